/*
 * fuzz_release - libFuzzer harness: arbitrary bytes as a release file.
 *
 * A private temporary directory holds a fixed main configuration (its
 * releases_dir is releases.d), a PRA list, and the input written as
 * releases.d/fuzz.conf; then em_config_load and, when the config loads,
 * em_rules_build (PCRE2 and Vectorscan compilation of whatever patterns the
 * input declares). Checks: no crash, no leak, no undefined behaviour, and
 * errors always come back as FILE:LINE strings, never as a NULL with no
 * error recorded.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../milter/adapt/em_config.h"
#include "../../milter/core/em_rules.h"

static char dir[] = "/tmp/em-fuzz-release-XXXXXX";
static char main_path[256], rel_path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

static void cleanup(void)
{
	char p[300];

	unlink(rel_path);
	snprintf(p, sizeof(p), "%s/releases.d/fostering-2020.pra", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/releases.d", dir);
	rmdir(p);
	unlink(main_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char conf[] =
		"socket = \"inet:8894@127.0.0.1\";\n"
		"releases_dir = \"releases.d\";\n"
		"markers = ( \"OFFICIAL[-: ]?SENSITIVE\", \"EMBARGOED\" );\n"
		"always_allowed = ( \"head.of.profession@example.gov.uk\" );\n"
		"quarantine_dir = \"q\";\n"
		"timezone = \"Europe/London\";\n";
	static const char pra[] = "# PRA\nminister.po@education.example.gov.uk\n@ofsted.example.gov.uk\n";
	char p[300];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	snprintf(main_path, sizeof(main_path), "%s/embargo-milter.conf", dir);
	snprintf(rel_path, sizeof(rel_path), "%s/releases.d/fuzz.conf", dir);
	write_file(main_path, conf, sizeof(conf) - 1);
	snprintf(p, sizeof(p), "%s/releases.d", dir);
	if (mkdir(p, 0700) != 0) {
		perror(p);
		abort();
	}
	/* the name the example release file uses, so seeds from conf/ load */
	snprintf(p, sizeof(p), "%s/releases.d/fostering-2020.pra", dir);
	write_file(p, pra, sizeof(pra) - 1);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg;
	struct em_rules *r = NULL;

	write_file(rel_path, data, size);
	cfg = em_config_load(main_path, &errs);
	if (cfg == NULL && errs.n == 0 && !errs.nomem)
		abort();	/* refused without saying why */
	if (cfg) {
		r = em_rules_build(cfg, &errs);
		if (r == NULL) {
			if (errs.n == 0 && !errs.nomem)
				abort();
			em_config_free(cfg);
		}
	}
	em_rules_free(r);	/* frees cfg too */
	em_errors_free(&errs);
	return 0;
}
