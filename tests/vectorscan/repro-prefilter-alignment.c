/*
 * Reproduction (not built by make): Vectorscan 5.4.9 (Debian 12, x86-64 with
 * AVX-512) misses a CASELESS|UTF8|PREFILTER pattern depending on the alignment
 * of the scanned buffer when a second pattern is in the database.
 *   cc -o repro repro-prefilter-alignment.c $(pkg-config --cflags --libs libhs)
 *   ./repro   # prints how many of 32 buffer offsets miss the match (expected: 0)
 * Found by rules/markers/tests/uk-gsc/msip-label-header.test (issue 13).
 */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int hits;
static int cb(unsigned id, unsigned long long f, unsigned long long t, unsigned fl, void *c)
{
	if (id == 0)
		hits++;
	return 0;
}
int main(void)
{
	const char *ex[] = {"official ?[-:_]? ?sensitive", "\\bswyddogol ?[-:_]? ?sensitif\\b"};
	unsigned fl =
	    HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH;
	unsigned fls[] = {fl, fl};
	unsigned ids[] = {0, 1};
	hs_database_t *db;
	hs_compile_error_t *e;
	if (hs_compile_multi(ex, fls, ids, 2, HS_MODE_BLOCK, NULL, &db, &e)) {
		printf("err %s %d\n", e->message, e->expression);
		return 1;
	}
	hs_scratch_t *s = NULL;
	hs_alloc_scratch(db, &s);
	const char *t = "msip_label_3b7d8a2c-0000-4c1e-9d3a-5f1e2a7b9c10_enabled=true; "
			"msip_label_3b7d8a2c-0000-4c1e-9d3a-5f1e2a7b9c10_name=official_sensitive;";
	int miss = 0;
	char *buf = malloc(strlen(t) + 64);
	for (int off = 0; off < 32; off++) {
		strcpy(buf + off, t);
		hits = 0;
		hs_scan(db, buf + off, strlen(t), 0, s, cb, NULL);
		if (!hits)
			miss++;
	}
	printf("misses %d/32\n", miss);
	return 0;
}
