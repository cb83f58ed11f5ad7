/*
 * em_requests - what the confirm action keeps beside the quarantine index:
 * the one-time codes of messages held for confirmation (table
 * confirm_codes), and release/delete requests that a root job carries out
 * (table requests). Both live in index.sqlite (schema version 2, see
 * em_store.c) and are reached through struct em_store.
 *
 * The requests table is the hand-over point between whoever may ASK for a
 * release (the daemon, for a sender's confirmed reply; later the review
 * console or a PostgreSQL-backed store) and the one job that may ACT on the
 * MTA (`embargoctl quarantine process-requests`, run as root). Its columns
 * use only text and integer (unix seconds) types so another store can carry
 * the same rows.
 *
 * Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_REQUESTS_H
#define EM_REQUESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "em_confirm.h"
#include "em_store.h"

#define EM_REQUEST_ID_SIZE 33 /* "req-" + 24 hex digits + NUL, rounded up */

/* Creates the tables when missing (inside em_store's schema transaction). */
struct sqlite3;
int em_requests_schema(struct sqlite3 *db, char *err, size_t errsz);

/*
 * Remembers the code of a record held for confirmation: sender is the held
 * message's envelope sender (any spelling; kept canonical: brackets
 * stripped, lower-cased), salt and hash from em_confirm_salt_new /
 * em_confirm_hash, expires in unix seconds. State 'awaiting-confirmation'.
 * With a shared store (em_store_set_outbox on) an outbox row 'confirm'
 * (sender, salt, hash, times: never the code) is written in the same
 * transaction, so other relays can check a reply that reaches them.
 * Returns 0 or -1 with a reason in err.
 */
int em_confirm_code_put(struct em_store *st, const char *record_id, const char *sender,
			const char *salt, const char *hash, time_t created, time_t expires,
			char *err, size_t errsz);

enum em_confirm_result {
	EM_CONFIRM_ACCEPTED = 0, /* request written */
	EM_CONFIRM_NO_CODE,	 /* the reply holds no code-shaped token */
	EM_CONFIRM_UNKNOWN,	 /* no code matches any record awaiting confirmation */
	EM_CONFIRM_WRONG_SENDER, /* a code matches, but the reply is not from that record's sender
				  */
	EM_CONFIRM_EXPIRED,	 /* a code of this sender matches but has expired */
	EM_CONFIRM_NOT_HELD,	 /* a code matches but its record is no longer held */
	EM_CONFIRM_NO_REASON,	 /* right code and sender, but no justification written */
};

/* "accepted", "no-code", "unknown-code", "wrong-sender", "expired", "not-held", "no-reason". */
const char *em_confirm_result_name(enum em_confirm_result r);

struct em_confirm_redeem_in {
	const char *sender; /* the reply's envelope sender, any spelling */
	const char (*codes)[EM_CONFIRM_CODE_SIZE];
	size_t ncodes;
	const char *reason; /* the justification ("" = none) */
	time_t now;
	const char *via; /* the request's via; NULL = "mail-reply" ("confirm-page": the console) */
};

/* One code awaiting confirmation, as a store keeps it. Borrowed strings. */
struct em_confirm_candidate {
	const char *record; /* record id */
	const char *sender; /* canonical envelope sender of the held message */
	const char *salt, *hash;
	time_t expires; /* unix seconds */
	bool held;	/* its record is still held */
};

/*
 * The one judgement of a reply, for the local store and the shared one
 * alike: which candidate (if any) in[0..n) a code of in->codes matches and
 * what that means for this reply (sender_canon: the reply's envelope sender,
 * canonical). When several match, the most telling result wins: accepted >
 * no-reason > not-held > expired > wrong-sender. *best (may be NULL)
 * receives the index of the winning candidate, or n when none matched
 * (EM_CONFIRM_UNKNOWN; EM_CONFIRM_NO_CODE when in->ncodes is 0). Pure: one
 * SHA-256 per candidate and code (em_confirm_code_matches).
 */
enum em_confirm_result em_confirm_pick(const struct em_confirm_candidate *c, size_t n,
				       const struct em_confirm_redeem_in *in,
				       const char *sender_canon, size_t *best);

/*
 * Marks the code of record_id spent (state 'confirmed') when it is still
 * awaiting: what a relay does when another relay accepted a reply with this
 * code through the shared store. Returns 1 when a code was marked, 0 when
 * there was none awaiting, -1 with err.
 */
int em_confirm_mark_used(struct em_store *st, const char *record_id, time_t now, char *err,
			 size_t errsz);

/*
 * Checks a reply's codes against every record awaiting confirmation. When
 * one matches, is unexpired, its record still held, the reply's sender is
 * the record's sender and reason is not empty: in one transaction the code
 * is spent (state 'confirmed') and a request {action release, requested_by
 * the sender, via "mail-reply", reason} is written (with a shared store,
 * em_store_set_outbox on: also an outbox row 'confirm-used', so the code is
 * spent in the shared store too). *res says what happened;
 * record (EM_STORE_ID_SIZE) receives the matching record id when a code
 * matched ("" otherwise), request (EM_REQUEST_ID_SIZE) the new request id.
 * Returns 0, or -1 with a reason in err (database error).
 */
int em_confirm_redeem(struct em_store *st, const struct em_confirm_redeem_in *in,
		      enum em_confirm_result *res, char *record, char *request, char *err,
		      size_t errsz);

/*
 * The confirmation state of a record: "awaiting-confirmation", "confirmed",
 * "expired" (computed at now) into state (>= 24 bytes). Returns 1 when the
 * record has a code, 0 when not (state ""), -1 with err.
 */
int em_confirm_state(struct em_store *st, const char *record_id, time_t now, char *state,
		     size_t statesz, char *err, size_t errsz);

/* One request row; every string is owned by the row. */
struct em_request {
	char *id;
	char *record_id;
	char *action;	    /* "release" | "delete" */
	char *requested_by; /* an envelope address or a login */
	char *via;	    /* "mail-reply", "console", "cli" */
	char *reason;
	time_t requested_at;
	char *state;   /* "pending" | "running" | "done" | "failed" */
	char *outcome; /* NULL until done/failed */
	time_t done_at;
	char *recipients; /* NULL: all; else the chosen ones, canonical, one per line */
};

/*
 * Writes a pending request. action "release" or "delete". id_out receives
 * the request id (EM_REQUEST_ID_SIZE bytes). Returns 0 or -1 with err.
 */
int em_request_add(struct em_store *st, const char *record_id, const char *action,
		   const char *requested_by, const char *via, const char *reason, time_t now,
		   char *id_out, char *err, size_t errsz);

/*
 * As em_request_add, for a release to chosen recipients only: recipients
 * (NULL = all) is em_request_rcpts_join's text. Returns 0 or -1 with err
 * (also for recipients with an action other than release, or empty).
 */
int em_request_add_to(struct em_store *st, const char *record_id, const char *action,
		      const char *requested_by, const char *via, const char *reason,
		      const char *recipients, time_t now, char *id_out, char *err, size_t errsz);

/*
 * The n addresses rcpts (any spelling) as the requests table keeps them:
 * canonical, one per line; empty or newline-holding ones are left out.
 * Returns a malloc'd string (caller frees), NULL when none is left or out
 * of memory.
 */
char *em_request_rcpts_join(const char *const *rcpts, size_t n);

/*
 * Requests in state (NULL = any), oldest first. *out receives *n rows
 * (free with em_requests_free). Returns 0 or -1 with err.
 */
int em_requests_list(struct em_store *st, const char *state, struct em_request **out, size_t *n,
		     char *err, size_t errsz);
void em_requests_free(struct em_request *r, size_t n);

/*
 * Takes a pending request for carrying out: pending -> running, atomically.
 * Returns 1 when this caller got it, 0 when it was not pending any more
 * (another run took it), -1 with err.
 */
int em_request_claim(struct em_store *st, const char *id, time_t now, char *err, size_t errsz);

/* running -> done (ok) or failed, with a one-line outcome. Returns 0 or -1. */
int em_request_finish(struct em_store *st, const char *id, bool ok, const char *outcome, time_t now,
		      char *err, size_t errsz);

/*
 * running -> pending for every request: what a run that crashed left. Only
 * to be called while holding the process-requests lock (no run is active).
 * *n (may be NULL) receives the number reset. Returns 0 or -1.
 */
int em_requests_unstick(struct em_store *st, size_t *n, char *err, size_t errsz);

/* A new request id ("req-" + 24 hex digits, getrandom) into id_out
 * (EM_REQUEST_ID_SIZE). Returns 0 or -1. */
int em_request_id_new(char *id_out);

/*
 * Writes a pending request under a given id (one written to the shared
 * store by another relay's reviewer, em_pg.h). Returns 0, 1 when a request
 * with that id exists already (nothing changed), -1 with err.
 */
int em_request_import(struct em_store *st, const char *id, const char *record_id,
		      const char *action, const char *requested_by, const char *via,
		      const char *reason, time_t at, char *err, size_t errsz);
/* As em_request_import, with the chosen recipients (NULL or "" = all). */
int em_request_import_to(struct em_store *st, const char *id, const char *record_id,
			 const char *action, const char *requested_by, const char *via,
			 const char *reason, const char *recipients, time_t at, char *err,
			 size_t errsz);

#endif
