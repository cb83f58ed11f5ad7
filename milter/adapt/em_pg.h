/*
 * em_pg - the shared PostgreSQL store of several relays (libpq): one
 * connection with its statements prepared once, reconnecting after a lost
 * connection, a time limit on every call; the versioned schema; and the
 * operations the shipper, the review commands and `embargoctl relays` use.
 *
 * The local SQLite store (em_store) stays the record of truth for each
 * relay; this store is a copy that the shipper fills (idempotent keys: relay
 * id + record id, ON CONFLICT DO NOTHING), plus release requests addressed
 * to a relay and the relays' status. Adapter ring: no libmilter, syslog or
 * libconfig; never logs, every failure is returned with a reason.
 *
 * SCHEMA (version EM_PG_SCHEMA_VERSION, applied by em_pg_migrate)
 *   schema_version(version)                       one row per applied version
 *   relays(relay_id PK, program_version, rules_hash, rules_releases,
 *          rules_loaded_at, backlog, last_ship, last_contact, started_at)
 *   records(relay_id, id, PK(relay_id, id), the columns of em_store's
 *          records table, doc text (msg/<id>.json), eml bytea (NULL when
 *          deleted before shipping or larger than EM_PG_BODY_MAX), eml_size,
 *          shipped_at)
 *   audit(relay_id, key, PK(relay_id, key), at, line)  one audit-log line
 *   lineage(seq bigserial, relay_id, key, PK(relay_id, key), release,
 *          message_id, record, subject, action, via, at, expires, keys)
 *   requests(id PK, relay_id, record_id, action, requested_by, via, reason,
 *          requested_at, state, outcome, done_at, requested_from)
 *   confirm_codes(relay_id, record_id, PK(relay_id, record_id), sender,
 *          salt, code_hash, created, expires, shipped_at, used_at, used_by,
 *          used_relay)                            (version 2) a confirmation
 *          code's salted hash (never the code), spent at most once across
 *          relays: used_at is set by one conditional UPDATE
 * Times are unix seconds (bigint), as in the SQLite store.
 */
#ifndef EM_PG_H
#define EM_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define EM_PG_SCHEMA_VERSION 2
#define EM_PG_BODY_MAX (32u * 1024 * 1024) /* .eml bytes shipped; larger: metadata only */
#define EM_PG_CALL_TIMEOUT_MS 10000	   /* every statement (client and server side) */
#define EM_PG_CONNECT_TIMEOUT_S 5

struct em_pg;
struct pg_result;

/*
 * What a `store` value names: 0 the local SQLite store (NULL, "" or
 * "sqlite"), 1 PostgreSQL (a postgresql:// or postgres:// URI or a libpq
 * key=value string). Pure.
 */
int em_pg_store_kind(const char *store);

/*
 * Checks a libpq connection string (URI or key=value) without connecting.
 * Returns 0, or -1 with libpq's reason in err.
 */
int em_pg_conninfo_check(const char *conninfo, char *err, size_t errsz);

/*
 * The relay id: relay_id when set, else the host name. Writes into out
 * (outsz >= 2). Returns 0 or -1 (no host name).
 */
int em_pg_relay_id(const char *relay_id, char *out, size_t outsz);

/*
 * Is this SQLSTATE a lost connection (class 08, or 57P01/57P02/57P03 admin
 * shutdown)? Pure.
 */
bool em_pg_sqlstate_is_disconnect(const char *sqlstate);

/*
 * The next retry delay after a failure: doubling from base_ms up to
 * max_ms, attempt counting from 1; jitter in [0, 1) adds up to a quarter.
 * Pure.
 */
unsigned em_pg_backoff_ms(unsigned attempt, unsigned base_ms, unsigned max_ms, double jitter);

/*
 * A handle; does not connect yet (the first call does). conninfo copied.
 * Returns NULL when out of memory. Free with em_pg_close (accepts NULL).
 * One handle is used by one thread at a time.
 */
struct em_pg *em_pg_new(const char *conninfo);
void em_pg_close(struct em_pg *pg);

/* Connects when not connected (and prepares the statements when the schema
 * is there). Returns 0 or -1 with err. */
int em_pg_connect(struct em_pg *pg, char *err, size_t errsz);

/*
 * Applies the missing schema versions in one transaction each (idempotent).
 * *from / *to (may be NULL) receive the version before and after.
 * Returns 0 or -1 with err.
 */
int em_pg_migrate(struct em_pg *pg, int *from, int *to, char *err, size_t errsz);

/* The schema version in the database (0: none). Returns 0 or -1 with err. */
int em_pg_schema_version(struct em_pg *pg, int *version, char *err, size_t errsz);

/* ---- shipping (the relay's shipper) ---- */

/* A record as em_store keeps it, with its files. Borrowed strings. */
struct em_pg_record {
	const char *id;
	long long created;
	const char *sender, *recipients, *blocked, *releases; /* JSON arrays as text */
	long long publish_at;				      /* 0: none */
	const char *queue_id, *action_taken, *state, *state_by;
	long long state_at;
	const char *subject, *message_id;
	const char *doc;    /* msg/<id>.json; NULL when unreadable */
	const char *eml;    /* NULL: not shipped (gone or too large) */
	size_t eml_len;	    /* bytes at eml */
	long long eml_size; /* the file's size, -1 when gone */
};

/* Begin / commit / rollback of one shipping batch. */
int em_pg_begin(struct em_pg *pg, char *err, size_t errsz);
int em_pg_commit(struct em_pg *pg, char *err, size_t errsz);
void em_pg_rollback(struct em_pg *pg);

/* Inserts a record (ON CONFLICT DO NOTHING). *inserted (may be NULL): 1 new, 0 known. */
int em_pg_put_record(struct em_pg *pg, const char *relay, const struct em_pg_record *r,
		     int *inserted, char *err, size_t errsz);
/* Sets a record's state when at is not older than the stored one. */
int em_pg_put_state(struct em_pg *pg, const char *relay, const char *id, const char *state,
		    const char *by, long long at, char *err, size_t errsz);
/* One audit line under key (ON CONFLICT DO NOTHING). */
int em_pg_put_audit(struct em_pg *pg, const char *relay, const char *key, long long at,
		    const char *line, char *err, size_t errsz);
/* One lineage origin (fields as em_lineage_origin; keys '\n'-framed text). */
struct em_pg_lineage {
	const char *key, *release, *message_id, *record, *subject, *action, *via, *keys;
	long long at, expires;
	char *relay; /* filled by em_pg_lineage_since; owned by the row */
	long long seq;
};
int em_pg_put_lineage(struct em_pg *pg, const char *relay, const struct em_pg_lineage *l, char *err,
		      size_t errsz);
/* Upserts the relay's status row. */
struct em_pg_relay {
	const char *relay_id, *program_version, *rules_hash, *rules_releases;
	long long rules_loaded_at, backlog, last_ship, last_contact, started_at;
};
int em_pg_put_relay(struct em_pg *pg, const struct em_pg_relay *r, char *err, size_t errsz);

/*
 * Lineage rows of other relays with seq > after, at most limit, ascending.
 * *rows receives *n rows (free with em_pg_lineage_free; strings owned by
 * the rows). Returns 0 or -1 with err.
 */
int em_pg_lineage_since(struct em_pg *pg, const char *not_relay, long long after, int limit,
			struct em_pg_lineage **rows, size_t *n, char *err, size_t errsz);
void em_pg_lineage_free(struct em_pg_lineage *rows, size_t n);

/* ---- reading (the review commands) ---- */

/* A shared-store record; every string owned by the row. */
struct em_pg_row {
	char *relay, *id, *sender, *recipients, *blocked, *releases, *queue_id, *action_taken,
	    *state, *state_by, *subject, *message_id;
	long long created, publish_at, state_at, eml_size;
};

/*
 * Records (all relays), oldest first, filtered like em_store_list (release
 * NULL = any, since 0 = any, state NULL = any). Returns 0 or -1 with err.
 */
int em_pg_list(struct em_pg *pg, const char *release, long long since, const char *state,
	       struct em_pg_row **rows, size_t *n, char *err, size_t errsz);
void em_pg_rows_free(struct em_pg_row *rows, size_t n);

/*
 * One record by id (any relay). *row (free with em_pg_rows_free(row, 1)),
 * *doc and *eml (malloc'd; *eml NULL when the body is not in the store,
 * *eml_len its length) may each be NULL when not wanted. Returns 0, 1 when
 * there is no such record, -1 with err.
 */
int em_pg_get(struct em_pg *pg, const char *id, struct em_pg_row **row, char **doc, char **eml,
	      size_t *eml_len, char *err, size_t errsz);

/* Audit lines with their relay, in time order: calls fn for each. */
int em_pg_audit_each(struct em_pg *pg, void (*fn)(void *arg, const char *relay, const char *line),
		     void *arg, char *err, size_t errsz);

/* Relays' status rows (strings owned by the rows; free with em_pg_relays_free). */
struct em_pg_relay_row {
	char *relay_id, *program_version, *rules_hash, *rules_releases;
	long long rules_loaded_at, backlog, last_ship, last_contact, started_at, records;
};
int em_pg_relays(struct em_pg *pg, struct em_pg_relay_row **rows, size_t *n, char *err,
		 size_t errsz);
void em_pg_relays_free(struct em_pg_relay_row *rows, size_t n);

/* ---- release requests between relays ---- */

struct em_pg_request {
	char *id, *relay_id, *record_id, *action, *requested_by, *via, *reason, *state, *outcome,
	    *requested_from;
	long long requested_at, done_at;
};

/* Writes a pending request (id from em_requests' generator) for relay. */
int em_pg_request_add(struct em_pg *pg, const char *id, const char *relay, const char *record_id,
		      const char *action, const char *by, const char *via, const char *reason,
		      const char *from_relay, long long now, char *err, size_t errsz);
/* One request by id; 0, 1 when absent, -1. Free with em_pg_requests_free(r, 1). */
int em_pg_request_get(struct em_pg *pg, const char *id, struct em_pg_request **r, char *err,
		      size_t errsz);
/* Requests for relay in state pending or running, oldest first. */
int em_pg_requests_open(struct em_pg *pg, const char *relay, struct em_pg_request **rows, size_t *n,
			char *err, size_t errsz);
/* Sets a request's state (and outcome/done_at when finished). */
int em_pg_request_set(struct em_pg *pg, const char *id, const char *state, const char *outcome,
		      long long done_at, char *err, size_t errsz);
void em_pg_requests_free(struct em_pg_request *rows, size_t n);

/* ---- confirmation codes shared between relays (schema 2) ---- */

/* A code row. Put: borrowed strings; from em_pg_confirm_open: owned by the row. */
struct em_pg_confirm {
	char *relay; /* filled by em_pg_confirm_open */
	const char *record_id, *sender, *salt, *hash;
	long long created, expires;
	bool held; /* em_pg_confirm_open: the record is held (or not shipped yet) */
};

/* Ships a code row of relay (ON CONFLICT DO NOTHING). Returns 0 or -1 with err. */
int em_pg_put_confirm(struct em_pg *pg, const char *relay, const struct em_pg_confirm *c, char *err,
		      size_t errsz);

/* Marks relay's code of record_id spent at `at` by `by` (on that relay), when still unused. */
int em_pg_confirm_used(struct em_pg *pg, const char *relay, const char *record_id, long long at,
		       const char *by, char *err, size_t errsz);

/*
 * Unused codes of relays other than not_relay that expire after now, oldest
 * first, at most limit; *rows (free with em_pg_confirm_free) receives *n.
 * Returns 0 or -1 with err.
 */
int em_pg_confirm_open(struct em_pg *pg, const char *not_relay, long long now, int limit,
		       struct em_pg_confirm **rows, size_t *n, char *err, size_t errsz);
void em_pg_confirm_free(struct em_pg_confirm *rows, size_t n);

/*
 * Spends relay's code of record_id for a reply accepted on by_relay from
 * by: UPDATE ... WHERE used_at IS NULL RETURNING, so of two relays claiming
 * the same code at once exactly one gets it. Call inside em_pg_begin /
 * em_pg_commit with the request it leads to. Returns 1 claimed, 0 already
 * spent, -1 with err.
 */
int em_pg_confirm_claim(struct em_pg *pg, const char *relay, const char *record_id, long long at,
			const char *by, const char *by_relay, char *err, size_t errsz);

#endif
