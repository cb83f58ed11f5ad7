/*
 * em_prahist - the history of PRA lists: what changed between two loads of
 * the configuration, written to the audit log.
 *
 * The Pre-release Access to Official Statistics Order 2008 makes producers
 * answerable for who had access and when. The daemon keeps the PRA lists it
 * last enforced in a state file (quarantine_dir/pra-state.json); on start and
 * on every reload it compares the new lists with it, appends one audit line
 * per change, then replaces the state file. A change is an entry added,
 * removed, or changed (role or effective window). Windows are compared as
 * enforced (an entry without a window of its own follows the release's
 * pre_release_from and publish_at), so moving publish_at shows up too.
 * Releases that disappear from the configuration are not reported entry by
 * entry.
 *
 * Audit line: {"event":"pra_change","at":RFC3339,"by":"embargo-milter",
 * "releases":[ID],"release":ID,"change":"added"|"removed"|"changed",
 * "address":A,"role":R|null,"from":RFC3339,"until":RFC3339,
 * "was":{"role","from","until"} (changed only)}.
 *
 * Depends on jansson and the core's settings; never logs, never exits.
 */
#ifndef EM_PRAHIST_H
#define EM_PRAHIST_H

#include <stddef.h>
#include <time.h>

#include "../core/em_settings.h"

/*
 * Compares cfg's PRA lists with the state file state_path, appends a
 * pra_change line per difference to audit_path (stamped at), and rewrites
 * the state file atomically. A missing state file means "no earlier lists"
 * (every entry is added). *changes receives the number of lines written.
 * Returns 0, or -1 with a reason in err (unreadable or corrupt state file:
 * nothing is written, so a later run reports the changes; audit log not
 * writable; out of memory).
 */
int em_prahist_record(const struct em_config *cfg, const char *state_path, const char *audit_path,
		      time_t at, size_t *changes, char *err, size_t errsz);

/* The default state file for cfg: quarantine_dir/pra-state.json (caller frees); NULL if out of
 * memory. */
char *em_prahist_state_path(const struct em_config *cfg);

#endif
