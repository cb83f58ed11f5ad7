/*
 * em_store - the quarantine store: held messages and their verdicts, as a
 * stable on-disk format that the review tool (embargoctl quarantine) reads.
 *
 * Layout under quarantine_dir (see docs in the implementation's header):
 *   index.sqlite         one row per record (WAL mode, safe for many writers)
 *   msg/<id>.eml         the original message, byte for byte
 *   msg/<id>.json        the verdict with evidence, envelope, queue id, time
 *   tmp/                 files being written (renamed into msg/ when complete)
 * Record ids are generated ("20201111T114500Z-3f9a1c2b"), never derived
 * from message content. Files are created 0640.
 */
#ifndef EM_STORE_H
#define EM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../core/em_scan.h"

struct em_store;

/* A record id is "YYYYMMDDTHHMMSSZ-" and 8 lowercase hex digits. */
#define EM_STORE_ID_LEN 25
#define EM_STORE_ID_SIZE (EM_STORE_ID_LEN + 1)	/* minimum idsz for em_store_put */

enum em_store_state {
	EM_STORE_HELD = 0,
	EM_STORE_RELEASED,
	EM_STORE_DELETED,
};

/* One index row, as the review tool sees it. Every pointer is owned by the row. */
struct em_store_row {
	char *id;
	time_t created;
	char *sender;			/* NULL when the envelope had none */
	char **rcpts;			/* every envelope recipient */
	size_t nrcpts;
	char **blocked;			/* recipients not allowed, over all releases */
	size_t nblocked;
	char **releases;		/* ids of the matched releases */
	size_t nreleases;
	time_t publish_at;		/* earliest publish_at of those releases; 0 = none */
	char *queue_id;			/* NULL when unknown */
	char *action_taken;
	enum em_store_state state;
	char *state_by;			/* who set the state; NULL while held by the daemon */
	time_t state_at;		/* when the state was set (created, while held) */
	char *subject;			/* NULL when absent */
	char *message_id;		/* NULL when absent */
	char *eml_path;			/* dir/msg/<id>.eml (gone once deleted) */
	char *json_path;		/* dir/msg/<id>.json */
	char *reason;			/* "unscannable", "scan incomplete" or NULL */
	time_t expired_at;		/* `quarantine expire` removed the files then; 0 = not */
};

/* List filter; a zero/NULL field does not filter. */
struct em_store_filter {
	const char *release;		/* records that matched this release id */
	time_t since;			/* created >= since */
	int state;			/* -1 = any, else an enum em_store_state */
};

/* "held", "released", "deleted"; NULL for an unknown value. */
const char *em_store_state_name(enum em_store_state s);
/* Parses a state name; -1 when unknown. */
int em_store_state_parse(const char *s);

/* Returns 1 when id has the record id form (and so is safe in a path), else 0. */
int em_store_id_valid(const char *id);

/*
 * Lists the records matching f (NULL = all), oldest first. *rows receives
 * an array of *nrows rows (free with em_store_rows_free; NULL when none).
 * Returns 0, or -1 with a reason in err.
 */
int em_store_list(struct em_store *st, const struct em_store_filter *f,
		  struct em_store_row **rows, size_t *nrows, char *err, size_t errsz);
/* Frees n rows returned by em_store_list; accepts NULL. */
void em_store_rows_free(struct em_store_row *rows, size_t n);

/*
 * Looks one record up. *out receives a row (free with em_store_row_free).
 * Returns 0; 1 when there is no such record; -1 with a reason in err (an
 * invalid id is refused before any path or query is built).
 */
int em_store_get(struct em_store *st, const char *id, struct em_store_row **out, char *err,
		 size_t errsz);
/* Frees one row returned by em_store_get; accepts NULL. */
void em_store_row_free(struct em_store_row *row);

/*
 * Moves a record to new_state, recording by (who, e.g. a login name) and the
 * time. Allowed: held -> released, held -> deleted, released -> released
 * (idempotent: nothing changes). Deleting also removes msg/<id>.eml (the
 * embargoed bytes); the .json stays as the record of what was found.
 * Returns 0; 1 when there is no such record; -1 with a reason in err (a
 * refused transition names both states).
 */
int em_store_set_state(struct em_store *st, const char *id, enum em_store_state new_state,
		       const char *by, char *err, size_t errsz);

/*
 * Retention (quarantine_retention_days): marks a released or deleted
 * record expired at `at` (the index row stays, with expired_at) and removes
 * msg/<id>.eml and msg/<id>.json. A held record is refused (the MTA still
 * holds the message). Expiring again keeps the first time and retries the
 * removals. Returns 0; 1 when there is no such record; -1 with a reason in
 * err.
 */
int em_store_expire(struct em_store *st, const char *id, time_t at, char *err, size_t errsz);

/*
 * Crash recovery: removes files in tmp/ and msg/ files without an index row
 * (what a crash between the rename and the index insert leaves), when they
 * are older than min_age seconds so puts in flight are not disturbed.
 * *removed (may be NULL) receives the number of files removed.
 * Returns 0 or -1 with a reason in err.
 */
int em_store_sweep(struct em_store *st, time_t min_age, size_t *removed, char *err,
		   size_t errsz);

/*
 * Opens (creating when needed) the store in dir. Returns NULL with a reason
 * in err. The store may be shared by any number of threads; free it with
 * em_store_close.
 */
struct em_store *em_store_open(const char *dir, char *err, size_t errsz);
/* Closes the store (no put may be in flight); accepts NULL. */
void em_store_close(struct em_store *st);

/*
 * Saves a held message atomically: the raw message read from raw_fd (from its
 * current offset to EOF; the caller keeps ownership of the fd), the verdict,
 * the MTA queue id (may be NULL) and the action taken. Writes the record id to
 * id_out. Returns 0, or -1 with a reason in err (disk full, ...): the caller
 * must then apply on_error, the message is not held.
 */
int em_store_put(struct em_store *st, const struct em_verdict *v, const char *queue_id,
		 const char *action_taken, int raw_fd, char *id_out, size_t idsz, char *err,
		 size_t errsz);

/*
 * em_store_put with why a record that matched no release is held: reason is
 * "unscannable" (a local submission that could not be fully scanned: held
 * instead of tempfailed) or "scan incomplete" (on_error = quarantine), NULL
 * for a release match. Stored in the index and as "reason" in <id>.json.
 */
int em_store_put_reason(struct em_store *st, const struct em_verdict *v, const char *queue_id,
			const char *action_taken, const char *reason, int raw_fd, char *id_out,
			size_t idsz, char *err, size_t errsz);

/*
 * Appends one JSON line to the append-only audit log at path (O_APPEND, one
 * write per line so concurrent writers never interleave). Returns 0 or -1
 * with a reason in err.
 */
int em_audit_append(const char *path, const char *json_line, char *err, size_t errsz);

/*
 * Runs fn(db, arg) on the store's SQLite connection with the store's lock
 * held (other threads wait), for the tables of em_requests. Returns fn's
 * result.
 */
struct sqlite3;
int em_store_with_db(struct em_store *st, int (*fn)(struct sqlite3 *db, void *arg), void *arg);

/*
 * From now on, em_store_put and em_store_set_state also write an outbox row
 * (em_outbox.h) in the same transaction, for the shipper to copy to the
 * shared PostgreSQL store. Off by default (the store then works exactly as
 * without a shared store). Call before the store is shared between threads.
 */
void em_store_set_outbox(struct em_store *st, bool on);

/* Whether em_store_set_outbox turned outbox rows on (false for NULL). */
bool em_store_outbox_on(const struct em_store *st);

/* The store's directory (owned by the store). */
const char *em_store_dir(const struct em_store *st);

#endif
