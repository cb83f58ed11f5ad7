/*
 * bench_review_fill - fills a quarantine store with N held records for
 * tests/bench/bench-review.sh: scans one message with the real rules once,
 * then stores it N times (em_store_put, as the daemon does) with a different
 * envelope sender and recipient each time (the list page's filters see
 * distinct rows). Prints the number stored.
 *
 *   bench_review_fill CONFIG FILE.eml N
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../milter/adapt/em_config.h"
#include "../../milter/adapt/em_store.h"
#include "../../milter/core/em_rules.h"
#include "../../milter/core/em_scan.h"

int main(int argc, char **argv)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg;
	struct em_rules *r;
	struct em_scan *s;
	struct em_verdict *v = NULL;
	struct em_store *st;
	char buf[65536], id[EM_STORE_ID_SIZE], err[512], from[64], to[64];
	char *sender0, *rcpt0;
	long n;
	ssize_t got;
	int fd;

	if (argc != 4 || (n = strtol(argv[3], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: bench_review_fill CONFIG FILE N\n");
		return 2;
	}
	if ((cfg = em_config_load(argv[1], &errs)) == NULL ||
	    (r = em_rules_build(cfg, &errs)) == NULL) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.v[i]);
		return 2;
	}
	if ((s = em_scan_new(r, NULL)) == NULL || em_scan_set_sender(s, "a@example.org") < 0 ||
	    em_scan_add_rcpt(s, "outsider@example.org") < 0 || (fd = open(argv[2], O_RDONLY)) < 0)
		return 2;
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		em_scan_push(s, buf, (size_t)got);
	if (em_scan_finish(s, time(NULL), &v) < 0 || v->nrcpts != 1)
		return 2;
	if ((st = em_store_open(em_rules_config(r)->quarantine_dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench_review_fill: %s\n", err);
		return 2;
	}
	sender0 = v->sender;
	rcpt0 = v->rcpts[0];
	for (long i = 0; i < n; i++) {
		snprintf(from, sizeof(from), "sender%ld@dept%ld.example.gov.uk", i, i % 37);
		snprintf(to, sizeof(to), "rcpt%ld@example.org", i);
		v->sender = from;
		v->rcpts[0] = to;
		if (lseek(fd, 0, SEEK_SET) != 0 ||
		    em_store_put(st, v, "QBENCH", "quarantine", fd, id, sizeof(id), err,
				 sizeof(err)) < 0) {
			fprintf(stderr, "bench_review_fill: %s\n", err);
			return 2;
		}
	}
	v->sender = sender0;
	v->rcpts[0] = rcpt0;
	printf("%ld\n", n);
	close(fd);
	em_store_close(st);
	em_verdict_free(v);
	em_scan_free(s);
	em_rules_free(r); /* frees the config it was built from */
	return 0;
}
