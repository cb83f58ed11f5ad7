/*
 * em_outbox - the relay's queue towards the shared store (see em_outbox.h).
 */
#define _GNU_SOURCE
#include "em_outbox.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* The queued_ms column (added after the first version): added when missing. */
static int add_queued_ms(sqlite3 *db, char *err, size_t errsz)
{
	sqlite3_stmt *q = NULL;
	bool have = false;
	char *msg = NULL;

	if (sqlite3_prepare_v2(db,
			       "SELECT 1 FROM pragma_table_info('outbox') WHERE name = "
			       "'queued_ms'",
			       -1, &q, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "index: %s", sqlite3_errmsg(db));
		return -1;
	}
	have = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	if (have)
		return 0;
	if (sqlite3_exec(db, "ALTER TABLE outbox ADD COLUMN queued_ms INTEGER", NULL, NULL, &msg) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "index: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int em_outbox_schema(struct sqlite3 *db, char *err, size_t errsz)
{
	char *msg = NULL;

	if (sqlite3_exec(
		db,
		"CREATE TABLE IF NOT EXISTS outbox("
		" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
		" kind TEXT NOT NULL,"
		" ref TEXT NOT NULL,"
		" payload TEXT,"
		" created INTEGER NOT NULL,"
		" attempts INTEGER NOT NULL DEFAULT 0,"
		" last_error TEXT);"
		"CREATE TABLE IF NOT EXISTS ship_state(name TEXT PRIMARY KEY, value TEXT);",
		NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "index: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return add_queued_ms(db, err, errsz);
}

int em_outbox_insert(struct sqlite3 *db, const char *kind, const char *ref, const char *payload,
		     time_t now, char *err, size_t errsz)
{
	sqlite3_stmt *q = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(db,
			       "INSERT INTO outbox(kind, ref, payload, created, queued_ms) VALUES "
			       "(?1, ?2, ?3, ?4, ?5)",
			       -1, &q, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, payload, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)now);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)now_ms());
	if (sqlite3_step(q) == SQLITE_DONE)
		rc = 0;
out:
	if (rc < 0)
		snprintf(err, errsz, "outbox: %s", sqlite3_errmsg(db));
	sqlite3_finalize(q);
	return rc;
}

struct add_arg {
	const char *kind, *ref, *payload;
	time_t now;
	char *err;
	size_t errsz;
};

static int add_fn(sqlite3 *db, void *p)
{
	struct add_arg *a = p;

	return em_outbox_insert(db, a->kind, a->ref, a->payload, a->now, a->err, a->errsz);
}

int em_outbox_add(struct em_store *st, const char *kind, const char *ref, const char *payload,
		  time_t now, char *err, size_t errsz)
{
	struct add_arg a = {kind, ref, payload, now, err, errsz};

	return em_store_with_db(st, add_fn, &a);
}

struct peek_arg {
	size_t limit;
	struct em_outbox_item *items;
	size_t n;
	char *err;
	size_t errsz;
};

static char *dup_text(sqlite3_stmt *q, int col, bool *nomem)
{
	const unsigned char *s = sqlite3_column_text(q, col);
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup((const char *)s)) == NULL)
		*nomem = true;
	return d;
}

static int peek_fn(sqlite3 *db, void *p)
{
	struct peek_arg *a = p;
	sqlite3_stmt *q = NULL;
	bool nomem = false;
	int rc;

	if (sqlite3_prepare_v2(
		db,
		"SELECT seq, kind, ref, payload, created, attempts, queued_ms FROM outbox "
		"ORDER BY seq LIMIT ?1",
		-1, &q, NULL) != SQLITE_OK) {
		snprintf(a->err, a->errsz, "outbox: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(q, 1, (sqlite3_int64)a->limit);
	if (a->limit > 0 && (a->items = calloc(a->limit, sizeof(*a->items))) == NULL)
		nomem = true;
	while (!nomem && a->n < a->limit && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct em_outbox_item *it = &a->items[a->n++];

		it->seq = sqlite3_column_int64(q, 0);
		it->kind = dup_text(q, 1, &nomem);
		it->ref = dup_text(q, 2, &nomem);
		it->payload = dup_text(q, 3, &nomem);
		it->created = (time_t)sqlite3_column_int64(q, 4);
		it->attempts = sqlite3_column_int(q, 5);
		it->queued_ms = sqlite3_column_int64(q, 6); /* NULL reads as 0 */
	}
	sqlite3_finalize(q);
	if (nomem) {
		snprintf(a->err, a->errsz, "out of memory");
		return -1;
	}
	return 0;
}

int em_outbox_peek(struct em_store *st, size_t limit, struct em_outbox_item **items, size_t *n,
		   char *err, size_t errsz)
{
	struct peek_arg a = {limit, NULL, 0, err, errsz};
	int rc = em_store_with_db(st, peek_fn, &a);

	if (rc < 0) {
		em_outbox_items_free(a.items, a.n);
		*items = NULL;
		*n = 0;
		return -1;
	}
	*items = a.items;
	*n = a.n;
	return 0;
}

void em_outbox_items_free(struct em_outbox_item *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].kind);
		free(items[i].ref);
		free(items[i].payload);
	}
	free(items);
}

struct done_arg {
	const long long *seqs;
	size_t n;
	char *err;
	size_t errsz;
};

static int done_fn(sqlite3 *db, void *p)
{
	struct done_arg *a = p;
	sqlite3_stmt *q = NULL;
	int rc = 0;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM outbox WHERE seq = ?1", -1, &q, NULL) != SQLITE_OK)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < a->n; i++) {
		sqlite3_bind_int64(q, 1, a->seqs[i]);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(q);
	}
	if (rc < 0)
		snprintf(a->err, a->errsz, "outbox: %s", sqlite3_errmsg(db));
	sqlite3_finalize(q);
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(a->err, a->errsz, "outbox: %s", sqlite3_errmsg(db));
		rc = -1;
	}
	if (rc < 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int em_outbox_done(struct em_store *st, const long long *seqs, size_t n, char *err, size_t errsz)
{
	struct done_arg a = {seqs, n, err, errsz};

	return n == 0 ? 0 : em_store_with_db(st, done_fn, &a);
}

struct backlog_arg {
	long long rows;
	time_t oldest;
	char *err;
	size_t errsz;
};

static int backlog_fn(sqlite3 *db, void *p)
{
	struct backlog_arg *a = p;
	sqlite3_stmt *q = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT count(*), coalesce(min(created), 0) FROM outbox", -1, &q,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW) {
		a->rows = sqlite3_column_int64(q, 0);
		a->oldest = (time_t)sqlite3_column_int64(q, 1);
		rc = 0;
	} else {
		snprintf(a->err, a->errsz, "outbox: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(q);
	return rc;
}

int em_outbox_backlog(struct em_store *st, long long *rows, time_t *oldest, char *err, size_t errsz)
{
	struct backlog_arg a = {0, 0, err, errsz};
	int rc = em_store_with_db(st, backlog_fn, &a);

	*rows = a.rows;
	if (oldest)
		*oldest = a.oldest;
	return rc;
}

struct kv_arg {
	const char *name;
	const char *value; /* set */
	char *out;	   /* get */
	size_t outsz;
	char *err;
	size_t errsz;
};

static int get_fn(sqlite3 *db, void *p)
{
	struct kv_arg *a = p;
	sqlite3_stmt *q = NULL;
	int rc = -1, step;

	if (sqlite3_prepare_v2(db, "SELECT value FROM ship_state WHERE name = ?1", -1, &q, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(q, 1, a->name, -1, SQLITE_STATIC);
		step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			const unsigned char *s = sqlite3_column_text(q, 0);

			snprintf(a->out, a->outsz, "%s", s ? (const char *)s : "");
			rc = 1;
		} else if (step == SQLITE_DONE) {
			rc = 0;
		}
	}
	if (rc < 0)
		snprintf(a->err, a->errsz, "ship state: %s", sqlite3_errmsg(db));
	sqlite3_finalize(q);
	return rc;
}

static int set_fn(sqlite3 *db, void *p)
{
	struct kv_arg *a = p;
	sqlite3_stmt *q = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(
		db,
		"INSERT INTO ship_state(name, value) VALUES (?1, ?2) ON CONFLICT(name) "
		"DO UPDATE SET value = excluded.value",
		-1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_text(q, 1, a->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, a->value, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_DONE)
			rc = 0;
	}
	if (rc < 0)
		snprintf(a->err, a->errsz, "ship state: %s", sqlite3_errmsg(db));
	sqlite3_finalize(q);
	return rc;
}

int em_ship_state_get(struct em_store *st, const char *name, char *out, size_t outsz, char *err,
		      size_t errsz)
{
	struct kv_arg a = {name, NULL, out, outsz, err, errsz};

	out[0] = '\0';
	return em_store_with_db(st, get_fn, &a);
}

int em_ship_state_set(struct em_store *st, const char *name, const char *value, char *err,
		      size_t errsz)
{
	struct kv_arg a = {name, value, NULL, 0, err, errsz};

	return em_store_with_db(st, set_fn, &a);
}

void em_outbox_audit_key(uint64_t inode, uint64_t offset, const char *line, size_t len, char *out)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)line[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(out, EM_OUTBOX_KEY_SIZE, "a-%" PRIx64 "-%" PRIx64 "-%016" PRIx64, inode, offset,
		 h);
}

int em_outbox_random_key(const char *prefix, char *out, size_t outsz)
{
	unsigned char b[12];
	size_t n;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	n = (size_t)snprintf(out, outsz, "%s", prefix);
	for (size_t i = 0; i < sizeof(b) && n + 2 < outsz; i++, n += 2)
		snprintf(out + n, outsz - n, "%02x", b[i]);
	return 0;
}
