/*
 * fuzz_common - helpers shared by the libFuzzer harnesses of tests/fuzz/:
 * loading the example configuration once per process.
 *
 * Test code only: may abort on a broken set-up (never on fuzz input).
 * Must not depend on anything but the core and the config adapter.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "../../milter/adapt/em_config.h"
#include "../../milter/core/em_rules.h"

/*
 * Loads and compiles the configuration named by $EM_FUZZ_CONF (default
 * conf/embargo-milter.conf, relative to the working directory). Aborts when
 * it does not load: a harness without rules fuzzes nothing. The caller owns
 * the result (it lives for the whole process).
 */
static inline struct em_rules *fuzz_load_rules(void)
{
	const char *path = getenv("EM_FUZZ_CONF");
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg;
	struct em_rules *r = NULL;

	if (path == NULL)
		path = "conf/embargo-milter.conf";
	cfg = em_config_load(path, &errs);
	if (cfg)
		r = em_rules_build(cfg, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	em_errors_free(&errs);
	if (r == NULL) {
		fprintf(stderr, "fuzz: cannot load %s (set EM_FUZZ_CONF)\n", path);
		abort();
	}
	return r;
}

#endif
