/*
 * put_record - test helper for tests/review/run.sh: scans a message with the
 * real rules (the one decision path) and stores it in the config's
 * quarantine_dir exactly as the daemon would (em_store_put), then prints the
 * record id. Not installed; built ad hoc by run.sh against libemcore.a.
 *
 *   put_record CONFIG FILE.eml AT FROM QUEUE_ID|- ACTION RCPT...
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../milter/adapt/em_config.h"
#include "../../milter/adapt/em_store.h"
#include "../../milter/core/em_rules.h"
#include "../../milter/core/em_scan.h"
#include "../../milter/core/em_time.h"

int main(int argc, char **argv)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg;
	struct em_rules *r;
	struct em_scan *s;
	struct em_verdict *v = NULL;
	struct em_store *st;
	char buf[65536], id[EM_STORE_ID_SIZE], err[512];
	time_t at;
	ssize_t n;
	int fd;

	if (argc < 8) {
		fprintf(stderr,
			"usage: put_record CONFIG FILE AT FROM QUEUE_ID|- ACTION RCPT...\n");
		return 2;
	}
	if ((cfg = em_config_load(argv[1], &errs)) == NULL ||
	    (r = em_rules_build(cfg, &errs)) == NULL) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.v[i]);
		return 2;
	}
	em_errors_free(&errs);
	if (em_time_parse(argv[3], em_rules_config(r)->timezone, &at, err, sizeof(err)) < 0) {
		fprintf(stderr, "put_record: %s: %s\n", argv[3], err);
		return 2;
	}
	if ((s = em_scan_new(r, NULL)) == NULL || em_scan_set_sender(s, argv[4]) < 0)
		return 2;
	for (int i = 7; i < argc; i++)
		if (em_scan_add_rcpt(s, argv[i]) < 0)
			return 2;
	if ((fd = open(argv[2], O_RDONLY)) < 0) {
		perror(argv[2]);
		return 2;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		em_scan_push(s, buf, (size_t)n);
	if (em_scan_finish(s, at, &v) < 0 || lseek(fd, 0, SEEK_SET) != 0)
		return 2;
	if ((st = em_store_open(em_rules_config(r)->quarantine_dir, err, sizeof(err))) == NULL ||
	    em_store_put(st, v, strcmp(argv[5], "-") ? argv[5] : NULL, argv[6], fd, id, sizeof(id),
			 err, sizeof(err)) < 0) {
		fprintf(stderr, "put_record: %s\n", err);
		return 2;
	}
	printf("%s\n", id);
	close(fd);
	em_store_close(st);
	em_verdict_free(v);
	em_scan_free(s);
	em_rules_free(r);
	return 0;
}
