/*
 * record - what the daemon keeps about a decision: the held message in the
 * quarantine store (one shared em_store handle, opened lazily after the
 * privilege drop, reopened when a reload moves quarantine_dir) and the audit
 * log line. Shell only.
 */
#ifndef EM_SHELL_RECORD_H
#define EM_SHELL_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "../adapt/em_act.h"
#include "../core/em_scan.h"

/*
 * Saves the message read from raw_fd under quarantine_dir with verdict v
 * (serialised: one writer at a time). Returns 0 with the record id in id, or
 * -1 with a reason in err.
 */
int em_record_store(const char *quarantine_dir, const struct em_verdict *v, const char *queue_id,
		    const char *action_taken, int raw_fd, char *id, size_t idsz, char *err,
		    size_t errsz);

/*
 * Runs fn(store, arg) on the shared store handle (opened when needed), one
 * caller at a time. Returns fn's result, or -1 with err when the store
 * cannot be opened.
 */
struct em_store;
int em_record_with_store(const char *quarantine_dir, int (*fn)(struct em_store *st, void *arg),
			 void *arg, char *err, size_t errsz);

/*
 * With a shared store (`store`): every record and state change also gets an
 * outbox row in the same transaction (em_store_set_outbox). Set at start.
 */
void em_record_set_outbox(bool on);
bool em_record_outbox(void);

/* Closes the shared store handle (at exit). */
void em_record_close(void);

/*
 * The audit line for one decision: the verdict JSON (em_verdict_to_json)
 * plus "queue_id", "action_taken", "record" and, when they apply, "would"
 * (monitor mode or a changed plan) and "error". v may be NULL. Returns a
 * malloc'd line ending in '\n' (caller frees), NULL when out of memory.
 */
char *em_record_audit_line(const struct em_verdict *v, const char *queue_id,
			   const struct em_act_out *out, long at);

#endif
