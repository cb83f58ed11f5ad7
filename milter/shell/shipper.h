/*
 * shipper - the daemon's thread that copies this relay's outbox (records
 * with their .eml/.json, state changes, lineage origins) and its audit log
 * to the shared PostgreSQL store, reports the relay's status there (rule
 * hash, releases, load time, backlog), carries release requests addressed
 * to this relay into the local requests table (for `embargoctl quarantine
 * process-requests`) and their outcome back, and copies other relays'
 * lineage into the local lineage store so the mail path never waits on the
 * network. Runs only when `store` is set at start. Retries with exponential
 * backoff (0.5 s doubling to 30 s, jittered). Shell only.
 */
#ifndef EM_SHELL_SHIPPER_H
#define EM_SHELL_SHIPPER_H

#include <jansson.h>

#include "rules_ref.h"

/*
 * Starts the thread when the live config has a `store` (else does nothing).
 * rules is borrowed for the life of the daemon. Returns 0 or -1 (logged).
 */
int em_shipper_start(struct em_rules_ref *rules);

/* Stops the thread (waits up to one call's time limit); accepts no thread. */
void em_shipper_stop(void);

/*
 * Adds "shared_store" to the status object o when the shipper runs:
 * {"relay_id", "connected", "backlog", "oldest_queued_at", "last_ship",
 *  "last_error", "last_error_at", "shipped"} (times RFC 3339 or null).
 */
void em_shipper_status(json_t *o);

#endif
