/*
 * workbench - PRA history on load (see workbench.h). Shell code: logs.
 */
#include "workbench.h"

#include <stdlib.h>
#include <time.h>

#include "../adapt/em_prahist.h"
#include "log.h"

void em_workbench_loaded(const struct em_config *cfg)
{
	char err[512];
	char *state = em_prahist_state_path(cfg);
	size_t n = 0;

	if (state == NULL) {
		em_log(LOG_ERR, "PRA history: out of memory");
		return;
	}
	if (em_prahist_record(cfg, state, cfg->audit_log, time(NULL), &n, err, sizeof(err)) < 0)
		em_log(LOG_ERR, "PRA history not recorded: %s", err);
	else if (n > 0)
		em_log(LOG_INFO, "PRA lists: %zu change(s) written to %s", n, cfg->audit_log);
	free(state);
}
