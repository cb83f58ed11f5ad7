/*
 * em_outbox - what a relay still has to copy to the shared PostgreSQL store
 * (em_pg.h), kept in its own index.sqlite so that the hold never waits on
 * the network: a record's outbox row is written in the same SQLite
 * transaction as the record itself (em_store_put, em_store_set_state once
 * em_store_set_outbox is on); the shipper (shell/shipper.c) reads rows
 * oldest first, copies them with idempotent keys and deletes them only after
 * PostgreSQL committed. A crash between the two ships the row again, which
 * the keys make harmless.
 *
 * Tables (index.sqlite; added beside schema version 2, which older tools
 * ignore):
 *   outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT, ref TEXT,
 *          payload TEXT, created INTEGER, attempts INTEGER, last_error TEXT,
 *          queued_ms INTEGER)
 *     kind 'record' ref = record id (the row and files are read at ship
 *     time); 'state' ref = record id, payload {"state","by","at"};
 *     'lineage' ref = a random key, payload = the origin as JSON;
 *     'confirm' ref = record id, payload {"sender","salt","hash","created",
 *     "expires"} (a confirmation code's salted hash, never the code);
 *     'confirm-used' ref = record id, payload {"at","by"} (the code was
 *     spent on this relay). queued_ms: unix milliseconds at insertion (for
 *     the shipper's lag figure; NULL in rows of older versions, added to an
 *     older table by ALTER TABLE).
 *   ship_state(name TEXT PRIMARY KEY, value TEXT)   the shipper's marks
 *     (audit log position, lineage pull position, last successful ship).
 *
 * Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_OUTBOX_H
#define EM_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "em_store.h"

struct sqlite3;

/* Creates the tables when missing (inside em_store's schema transaction). */
int em_outbox_schema(struct sqlite3 *db, char *err, size_t errsz);

/* Inserts one row on db (the caller's transaction). Returns 0 or -1 with err. */
int em_outbox_insert(struct sqlite3 *db, const char *kind, const char *ref, const char *payload,
		     time_t now, char *err, size_t errsz);

/* Inserts one row through the store's lock. Returns 0 or -1 with err. */
int em_outbox_add(struct em_store *st, const char *kind, const char *ref, const char *payload,
		  time_t now, char *err, size_t errsz);

struct em_outbox_item {
	long long seq;
	char *kind, *ref, *payload; /* owned by the item; payload may be NULL */
	time_t created;
	int attempts;
	long long queued_ms; /* unix ms when queued; 0 when unknown */
};

/* Up to limit rows, oldest first. Free with em_outbox_items_free. */
int em_outbox_peek(struct em_store *st, size_t limit, struct em_outbox_item **items, size_t *n,
		   char *err, size_t errsz);
void em_outbox_items_free(struct em_outbox_item *items, size_t n);

/* Deletes the rows seqs[0..n) (shipped). Returns 0 or -1 with err. */
int em_outbox_done(struct em_store *st, const long long *seqs, size_t n, char *err, size_t errsz);

/* Counts the rows and the oldest one's time (0 when empty). */
int em_outbox_backlog(struct em_store *st, long long *rows, time_t *oldest, char *err,
		      size_t errsz);

/* The shipper's marks. get: 1 found (value copied into out), 0 absent, -1 error. */
int em_ship_state_get(struct em_store *st, const char *name, char *out, size_t outsz, char *err,
		      size_t errsz);
int em_ship_state_set(struct em_store *st, const char *name, const char *value, char *err,
		      size_t errsz);

/*
 * The idempotent key of one audit-log line: the file's identity (inode), the
 * line's byte offset and a 64-bit FNV-1a hash of its bytes, as
 * "a-INODE-OFFSET-HASH" (hex) into out (>= EM_OUTBOX_KEY_SIZE). The same
 * line shipped twice gets the same key; another line at a reused offset of
 * a reused inode gets another hash. Pure.
 */
#define EM_OUTBOX_KEY_SIZE 64
void em_outbox_audit_key(uint64_t inode, uint64_t offset, const char *line, size_t len, char *out);

/* A random key ("l-" + 24 hex digits) for an outbox row. Returns 0 or -1. */
int em_outbox_random_key(const char *prefix, char *out, size_t outsz);

#endif
