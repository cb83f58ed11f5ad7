/*
 * bench_lineage N - the thread lineage store at size: records N origins
 * (each with its own Message-ID, an attached Message-ID, a Thread-Index GUID
 * and a subject, as the daemon records them) in a fresh SQLite store in a
 * temp dir, then times what the milter does per message: one lookup of a
 * realistic key set (own Message-ID, In-Reply-To, three References, a
 * Thread-Index GUID, a subject), half of them hitting an origin. Prints the
 * store size and p50/p99/max per record and per lookup, then one expiry of
 * half the store. Part of `make bench`; figures in README.md.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../milter/adapt/em_lineage_store.h"

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static double cpu_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp);
	printf("%-28s n=%zu  p50 %.1f us  p99 %.1f us  max %.1f us\n", what, n, v[n / 2],
	       v[(size_t)((double)n * 0.99)], v[n - 1]);
}

static long long fsize(const char *dir, const char *name)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000, nl = 20000;
	char dir[] = "/tmp/em-bench-lineage-XXXXXX", err[256], cmd[128];
	struct em_lineage_store *st;
	double *rec = calloc(n, sizeof(double)), *look = calloc(nl, sizeof(double)), t0, c0;
	double *lcpu = calloc(nl, sizeof(double));
	time_t base = 1600000000, pub = base + 86400;
	size_t hits = 0, removed = 0;

	if (!rec || !look || !lcpu || mkdtemp(dir) == NULL)
		return 2;
	if ((st = em_lineage_store_open(dir, false, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	srand(12345);
	for (size_t i = 0; i < n; i++) {
		char k0[96], k1[96], k2[64], k3[64];
		/* own Message-ID, an attached message's, the conversation, the subject */
		const char *keys[] = {k0, k1, k2, k3};
		snprintf(k0, sizeof(k0), "mid:%08zx.a1b2@lo2p265mb%04zu.gbrp265.prod.outlook.com",
			 i, i % 9973);
		snprintf(k1, sizeof(k1), "mid:att-%zu@stats.example.gov.uk", i);
		snprintf(k2, sizeof(k2), "tix:%08x%08x%08x%08zx", rand(), rand(), rand(), i);
		snprintf(k3, sizeof(k3), "sub:release %zu briefing", i % 500);
		struct em_lineage_origin o = {
		    .release = i % 2 ? "release-a" : "release-b",
		    /* half the store is published right after the last record,
		     * half a day later */
		    .expires = i % 2 ? pub + (time_t)n : base + (time_t)n + 10,
		    .at = base + (time_t)i,
		    .message_id = k0,
		    .record = i % 10 ? NULL : "20201111T114500Z-3f9a1c2b",
		    .subject = k3 + 4,
		    .action = i % 10 ? "accept" : "quarantine",
		    .keys = keys,
		    .nkeys = 4,
		};
		t0 = now_us();
		if (em_lineage_store_record(st, &o, err, sizeof(err)) < 0) {
			fprintf(stderr, "record: %s\n", err);
			return 2;
		}
		rec[i] = now_us() - t0;
	}
	printf("store: %zu origins, %zu keys: %.1f MB (lineage.sqlite %lld + wal %lld bytes)\n", n,
	       4 * n,
	       (double)(fsize(dir, "lineage.sqlite") + fsize(dir, "lineage.sqlite-wal")) / 1e6,
	       fsize(dir, "lineage.sqlite"), fsize(dir, "lineage.sqlite-wal"));
	report("record one origin", rec, n);
	for (size_t i = 0; i < nl; i++) {
		char k[7][96];
		const char *keys[7];
		size_t j = (size_t)rand() % n, nh = 0;
		struct em_lineage_hit *h = NULL;
		bool hit = i % 2 == 0;

		snprintf(k[0], 96, "mid:new-%zu-%08x@gov.example.gov.uk", i, rand());
		/* In-Reply-To: a recorded origin's Message-ID, or unknown */
		if (hit)
			snprintf(k[1], 96, "mid:%08zx.a1b2@lo2p265mb%04zu.gbrp265.prod.outlook.com",
				 j, j % 9973);
		else
			snprintf(k[1], 96, "mid:unknown-%zu@example.org", i);
		snprintf(k[2], 96, "mid:ref-a-%zu@example.org", i);
		snprintf(k[3], 96, "mid:ref-b-%zu@example.org", i);
		snprintf(k[4], 96, "mid:ref-c-%zu@example.org", i);
		snprintf(k[5], 96, "tix:%08x%08x%08x%08x", rand(), rand(), rand(), rand());
		snprintf(k[6], 96, "sub:unrelated subject %zu", i);
		for (int x = 0; x < 7; x++)
			keys[x] = k[x];
		c0 = cpu_us();
		t0 = now_us();
		if (em_lineage_store_lookup(st, keys, 7, &h, &nh, err, sizeof(err)) < 0) {
			fprintf(stderr, "lookup: %s\n", err);
			return 2;
		}
		look[i] = now_us() - t0;
		lcpu[i] = cpu_us() - c0;
		hits += nh > 0;
		em_lineage_hits_free(h, nh);
	}
	report("lookup 7 keys (1 message)", look, nl);
	report("  the same, CPU time only", lcpu, nl);
	printf("lookups with a hit: %zu of %zu\n", hits, nl);
	t0 = now_us();
	if (em_lineage_store_expire(st, base + (time_t)n + 10, EM_LINEAGE_MAX_ORIGINS, &removed,
				    err, sizeof(err)) < 0) {
		fprintf(stderr, "expire: %s\n", err);
		return 2;
	}
	printf("expire at publication: %zu origins removed in %.0f ms\n", removed,
	       (now_us() - t0) / 1000.0);
	em_lineage_store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	free(rec);
	free(look);
	free(lcpu);
	return system(cmd) == 0 ? 0 : 2;
}
