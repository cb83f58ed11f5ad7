/*
 * lineage - the daemon's side of thread lineage: one shared lineage store
 * (em_lineage_store, quarantine_dir/lineage.sqlite) opened lazily after the
 * privilege drop and reopened when a reload moves quarantine_dir; the scan's
 * lookup bound to it before the decision, and the message recorded as an
 * origin after it. Shell only; logs its own failures.
 */
#ifndef EM_SHELL_LINEAGE_H
#define EM_SHELL_LINEAGE_H

#include <time.h>

#include "../adapt/em_act.h"
#include "../core/em_scan.h"

/* Makes scan consult the store under qdir at em_scan_finish (qdir NULL:
 * nothing). A store that cannot be opened answers with an error, which the
 * scan turns into a note. */
void em_shell_lineage_bind(struct em_scan *scan, const char *qdir);

/*
 * After the decision: when v matched an embargoed release (held, delivered
 * to allowed recipients, flagged, stripped or refused; not when deferred),
 * records the message's origin keys for each matched release, with the
 * record id when held. Failures are logged with qid, never change the
 * decision.
 */
void em_shell_lineage_record(const char *qdir, const struct em_scan *scan,
			     const struct em_verdict *v, const struct em_act_out *out, time_t now,
			     const char *qid);

/* Closes the shared store (at exit). */
void em_shell_lineage_close(void);

#endif
