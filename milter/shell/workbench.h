/*
 * workbench - the daemon's side of issue 13 (the statisticians' workbench):
 * PRA list changes written to the audit log on start and on every reload.
 */
#ifndef EM_SHELL_WORKBENCH_H
#define EM_SHELL_WORKBENCH_H

#include "../core/em_settings.h"

/* Records the PRA changes since the last load (em_prahist); logs the outcome. Never fails the
 * caller. */
void em_workbench_loaded(const struct em_config *cfg);

#endif
