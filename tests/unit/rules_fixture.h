/*
 * rules_fixture.h - a throw-away configuration directory for unit tests that
 * need a compiled rule set: a temp dir with releases.d/, files written into
 * it, and em_config_load + em_rules_build on its main.conf. Header-only (each
 * test program is one translation unit); cmocka must be included first.
 */
#ifndef RULES_FIXTURE_H
#define RULES_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "em_config.h"
#include "em_errors.h"
#include "em_rules.h"

/* Makes /tmp/<prefix>-XXXXXX with an empty releases.d/ into dir (size dirsz).
 * Returns 0 or -1. */
static inline int fixture_dir_make(char *dir, size_t dirsz, const char *prefix)
{
	char path[256];

	snprintf(dir, dirsz, "/tmp/%s-XXXXXX", prefix);
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/releases.d", dir);
	return mkdir(path, 0700);
}

/* Writes text to dir/name (a cmocka failure if it cannot). */
static inline void fixture_write(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads dir/main.conf and compiles it; errors go to stderr. Returns the
 * rules (the caller frees them with em_rules_free) or NULL. */
static inline struct em_rules *fixture_rules_load(const char *dir)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg;
	struct em_rules *r;
	char path[256];

	snprintf(path, sizeof(path), "%s/main.conf", dir);
	cfg = em_config_load(path, &errs);
	r = cfg ? em_rules_build(cfg, &errs) : NULL;
	if (cfg != NULL && r == NULL)
		em_config_free(cfg);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	em_errors_free(&errs);
	return r;
}

/* Frees r and removes dir with everything in it. Returns system()'s status. */
static inline int fixture_teardown(const char *dir, struct em_rules *r)
{
	char cmd[128];

	em_rules_free(r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

#endif
