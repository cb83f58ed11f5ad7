/*
 * bench_scan - engine throughput: scans every message of a directory
 * (loaded into memory first, so disk speed is not measured) PASSES times with
 * one rule set, through em_scan exactly as the milter does, in 64 KB chunks.
 * Prints MB/s, messages/s and peak RSS after the first pass and at the end
 * (memory must not grow with the number of messages scanned), and the CPU
 * seconds of the scan loop (less sensitive than wall time to a shared
 * machine's load). With BENCH_EXTRACTOR=1 the sandboxed extractor
 * (embargo-extract beside this binary) reads PDFs and images, as in the
 * milter; without it those parts are only sniffed.
 *   bench_scan CONFIG DIR [PASSES]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../../milter/adapt/em_config.h"
#include "../../milter/adapt/em_extract.h"
#include "../../milter/core/em_rules.h"
#include "../../milter/core/em_scan.h"

struct msg {
	char *data;
	size_t len;
};

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg;
	struct em_rules *rules;
	struct msg *msgs = NULL;
	size_t n = 0, total = 0;
	int passes = argc > 3 ? atoi(argv[3]) : 3;
	DIR *d;
	struct dirent *e;
	size_t counts[EM_TEMPFAIL + 1] = {0}, cut = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_scan CONFIG DIR [PASSES]\n");
		return 2;
	}
	cfg = em_config_load(argv[1], &errs);
	rules = cfg ? em_rules_build(cfg, &errs) : NULL;
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	if (rules == NULL)
		return 2;
	if ((d = opendir(argv[2])) == NULL) {
		perror(argv[2]);
		return 2;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		FILE *f;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[2], e->d_name);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		rewind(f);
		msgs = realloc(msgs, (n + 1) * sizeof(*msgs));
		msgs[n].data = malloc((size_t)len + 1);
		msgs[n].len = fread(msgs[n].data, 1, (size_t)len, f);
		total += msgs[n].len;
		n++;
		fclose(f);
	}
	closedir(d);
	printf("corpus: %zu messages, %.1f MB; rules: %zu releases\n", n, (double)total / 1e6,
	       em_rules_count(rules));
	long rss_first = 0;
	const char *bx = getenv("BENCH_EXTRACTOR");
	struct em_extract *ex =
	    bx && strcmp(bx, "1") == 0 ? em_extract_new(&em_rules_config(rules)->extract) : NULL;
	struct timespec c0, c1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	double t0 = now();
	for (int p = 0; p < passes; p++) {
		for (size_t i = 0; i < n; i++) {
			struct em_scan *s = em_scan_new(rules, NULL);
			struct em_verdict *v = NULL;
			if (ex)
				em_scan_set_extractor(s, em_extract_extractor(ex));
			em_scan_set_sender(s, "sender@example.gov.uk");
			em_scan_add_rcpt(s, "outsider@example.org");
			for (size_t off = 0; off < msgs[i].len; off += 65536)
				em_scan_push(s, msgs[i].data + off,
					     msgs[i].len - off < 65536 ? msgs[i].len - off : 65536);
			if (em_scan_finish(s, 1600000000, &v) == 0 && p == 0) {
				counts[v->action]++;
				cut += v->nunreadable > 0 || v->nincomplete > 0;
			}
			em_verdict_free(v);
			em_scan_free(s);
		}
		if (p == 0)
			rss_first = rss_kb();
	}
	double secs = now() - t0;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("scanned %d passes: %.1f MB/s, %.0f messages/s (%.2f s)\n", passes,
	       (double)total * passes / 1e6 / secs, (double)n * passes / secs, secs);
	printf("cpu: %.2f s, %.1f MB/s of CPU (this process; the extractor's children not "
	       "counted)\n",
	       cpu, (double)total * passes / 1e6 / cpu);
	printf("RSS after pass 1: %ld KB, after pass %d: %ld KB, peak: %ld KB\n", rss_first, passes,
	       rss_kb(), ru.ru_maxrss);
	printf("verdicts (pass 1):");
	for (int a = 0; a <= EM_TEMPFAIL; a++)
		printf(" %s=%zu", em_action_name(a), counts[a]);
	/* a message cut at a limit (max_decoded_mb...) is not read whole: its
	 * MB/s would flatter the engine, so say how many there were */
	printf("; not read whole (a limit or an unreadable part): %zu of %zu\n", cut, n);
	for (size_t i = 0; i < n; i++)
		free(msgs[i].data);
	free(msgs);
	em_extract_free(ex);
	em_rules_free(rules);
	em_errors_free(&errs);
	return 0;
}
