/*
 * workbench - the daemon's side of issue 13 (the statisticians' workbench):
 * PRA list changes written to the audit log on start and on every reload,
 * and the release calendar, re-read when its file changes (looked at no
 * more than once a second, at scan time) without a reload.
 */
#ifndef EM_SHELL_WORKBENCH_H
#define EM_SHELL_WORKBENCH_H

#include "../core/em_caldata.h"
#include "../core/em_settings.h"

/*
 * A configuration was loaded (start or reload): records the PRA changes
 * since the last load (em_prahist) and starts watching cfg's calendar afresh
 * (a reload forgets postponements the file no longer shows). Logs; never
 * fails the caller.
 */
void em_workbench_loaded(const struct em_config *cfg);

/*
 * The calendar snapshot to decide with (a reference: release with
 * em_caldata_unref), or NULL when no calendar is configured or none could be
 * read yet. Re-reads the file when it changed. Thread-safe.
 */
struct em_caldata *em_workbench_calendar(void);

/* Stops watching (at exit). */
void em_workbench_close(void);

#endif
