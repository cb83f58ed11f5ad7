/*
 * em_lineage_store - the lineage store and its SQLite back end (see
 * em_lineage_store.h for the format and the interface).
 *
 * Depends on sqlite3 and POSIX; must not depend on libmilter, syslog or
 * libconfig. Never logs. Lookups are one indexed point query per key on a
 * prepared statement (WAL: readers never wait for the writer); writes are one
 * transaction per origin. Durability is synchronous=NORMAL: losing the last
 * origins in a power cut only loses lineage, never a held message (those are
 * in the quarantine store, synchronous=FULL).
 */
#define _GNU_SOURCE
#include "em_lineage_store.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SCHEMA_VERSION 1
#define BUSY_TIMEOUT_MS 1000 /* writers only; WAL readers do not wait */
#define FILE_MODE 0640
#define STR_(x) #x
#define STR(x) STR_(x)

struct sq {
	sqlite3 *db;
	bool readonly;
	sqlite3_stmt *q_lookup;
};

struct em_lineage_store {
	const struct em_lineage_backend *be;
	void *h;
	pthread_mutex_t lock;
	unsigned since_expire;
};

static void seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

static char *dupnull(const unsigned char *s)
{
	return s ? strdup((const char *)s) : NULL;
}

/* 64-bit FNV-1a of a key: the index holds 8-byte integers instead of the
 * key text. A collision could only add a candidate, and every candidate is
 * checked against the origin's key list, so none is ever reported. */
static sqlite3_int64 key_hash(const char *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *k; k++) {
		h ^= (unsigned char)*k;
		h *= 0x100000001b3ULL;
	}
	return (sqlite3_int64)h;
}

/* Whether key is one of the newline-framed keys in list ("\nk1\nk2\n"). */
static bool list_has(const char *list, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = list; p && n && (p = strstr(p, key)) != NULL; p++)
		if (p > list && p[-1] == '\n' && p[n] == '\n')
			return true;
	return false;
}

/* ---- SQLite back end ---------------------------------------------------- */

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS lineage_meta(version INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS origins(id INTEGER PRIMARY KEY, release TEXT NOT NULL,"
    " message_id TEXT, record TEXT, subject TEXT, action TEXT, via TEXT,"
    " at INTEGER NOT NULL, expires INTEGER NOT NULL, keys TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS keys(h INTEGER NOT NULL, origin INTEGER NOT NULL,"
    " PRIMARY KEY(h, origin)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS keys_origin ON keys(origin);"
    "CREATE INDEX IF NOT EXISTS origins_expires ON origins(expires);"
    "CREATE INDEX IF NOT EXISTS origins_release ON origins(release);"
    "CREATE TRIGGER IF NOT EXISTS origins_keys_del AFTER DELETE ON origins"
    " BEGIN DELETE FROM keys WHERE origin = old.id; END;";

static int sq_exec(struct sq *s, const char *sql, char *err, size_t errsz)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		seterr(err, errsz, "lineage store: %s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static void sq_close(void *h)
{
	struct sq *s = h;

	if (s == NULL)
		return;
	sqlite3_finalize(s->q_lookup);
	sqlite3_close(s->db);
	free(s);
}

static void *sq_open(const char *where, bool readonly, char *err, size_t errsz)
{
	struct sq *s = calloc(1, sizeof(*s));
	struct stat st;
	char *path = NULL;
	bool created;
	int version = -1;
	sqlite3_stmt *q = NULL;

	if (s == NULL) {
		seterr(err, errsz, "out of memory");
		return NULL;
	}
	s->readonly = readonly;
	if (stat(where, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (asprintf(&path, "%s/%s", where, EM_LINEAGE_FILE) < 0)
			path = NULL;
	} else {
		path = strdup(where);
	}
	if (path == NULL) {
		seterr(err, errsz, "out of memory");
		free(s);
		return NULL;
	}
	created = stat(path, &st) != 0;
	if (readonly && created) {
		seterr(err, errsz, "no lineage store at %s", path);
		goto fail;
	}
	if (sqlite3_open_v2(path, &s->db,
			    readonly ? SQLITE_OPEN_READONLY
				     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		seterr(err, errsz, "cannot open %s: %s", path,
		       s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	if (!readonly) {
		if (created && chmod(path, FILE_MODE) != 0) {
			seterr(err, errsz, "cannot chmod %s: %s", path, strerror(errno));
			goto fail;
		}
		if (sq_exec(s,
			    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			    " PRAGMA journal_size_limit=8388608;",
			    err, errsz) < 0 ||
		    sq_exec(s, "BEGIN IMMEDIATE;", err, errsz) < 0)
			goto fail;
		if (sq_exec(s, schema, err, errsz) < 0) {
			sq_exec(s, "ROLLBACK;", NULL, 0);
			goto fail;
		}
		if (sq_exec(s,
			    "INSERT INTO lineage_meta(version) SELECT 1 WHERE NOT EXISTS "
			    "(SELECT 1 FROM lineage_meta); COMMIT;",
			    err, errsz) < 0) {
			sq_exec(s, "ROLLBACK;", NULL, 0);
			goto fail;
		}
	}
	if (sqlite3_prepare_v2(s->db, "SELECT version FROM lineage_meta", -1, &q, NULL) !=
	    SQLITE_OK) {
		seterr(err, errsz, "%s is not a lineage store: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	if (sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version != SCHEMA_VERSION) {
		seterr(err, errsz, "%s: lineage store version %d, this program knows %d", path,
		       version, SCHEMA_VERSION);
		goto fail;
	}
	if (sqlite3_prepare_v3(
		s->db,
		"SELECT o.release, o.message_id, o.record, o.at, o.expires, o.keys FROM keys k"
		" JOIN origins o ON o.id = k.origin WHERE k.h = ?1"
		" ORDER BY o.id DESC LIMIT " STR(EM_LINEAGE_HITS_PER_KEY),
		-1, SQLITE_PREPARE_PERSISTENT, &s->q_lookup, NULL) != SQLITE_OK) {
		seterr(err, errsz, "lineage store: %s", sqlite3_errmsg(s->db));
		goto fail;
	}
	free(path);
	return s;
fail:
	free(path);
	sq_close(s);
	return NULL;
}

static int bind_text(sqlite3_stmt *q, int i, const char *v)
{
	return v ? sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(q, i);
}

static int sq_record(void *h, const struct em_lineage_origin *o, char *err, size_t errsz)
{
	struct sq *s = h;
	sqlite3_stmt *qo = NULL, *qk = NULL;
	sqlite3_int64 id;
	int rc = -1;
	char *list;
	size_t len = 2;

	if (s->readonly) {
		seterr(err, errsz, "lineage store opened read-only");
		return -1;
	}
	/* the keys as text, "\nk1\nk2\n": shown by `lineage show`, and what a
	 * hash hit is checked against */
	for (size_t i = 0; i < o->nkeys; i++) {
		if (strchr(o->keys[i], '\n') != NULL) {
			seterr(err, errsz, "lineage key with a line break");
			return -1;
		}
		len += strlen(o->keys[i]) + 1;
	}
	if ((list = malloc(len)) == NULL) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	strcpy(list, "\n");
	for (size_t i = 0; i < o->nkeys; i++) {
		strcat(list, o->keys[i]);
		strcat(list, "\n");
	}
	if (sq_exec(s, "BEGIN IMMEDIATE;", err, errsz) < 0) {
		free(list);
		return -1;
	}
	if (sqlite3_prepare_v2(
		s->db,
		"INSERT INTO origins(release, message_id, record, subject, action, via,"
		" at, expires, keys) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		-1, &qo, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO keys(h, origin) VALUES(?1, ?2)", -1,
			       &qk, NULL) != SQLITE_OK)
		goto out;
	bind_text(qo, 1, o->release);
	bind_text(qo, 2, o->message_id);
	bind_text(qo, 3, o->record);
	bind_text(qo, 4, o->subject);
	bind_text(qo, 5, o->action);
	bind_text(qo, 6, o->via);
	sqlite3_bind_int64(qo, 7, (sqlite3_int64)o->at);
	sqlite3_bind_int64(qo, 8, (sqlite3_int64)o->expires);
	bind_text(qo, 9, list);
	if (sqlite3_step(qo) != SQLITE_DONE)
		goto out;
	id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < o->nkeys; i++) {
		sqlite3_reset(qk);
		sqlite3_bind_int64(qk, 1, key_hash(o->keys[i]));
		sqlite3_bind_int64(qk, 2, id);
		if (sqlite3_step(qk) != SQLITE_DONE)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		seterr(err, errsz, "lineage store: %s", sqlite3_errmsg(s->db));
	sqlite3_finalize(qo);
	sqlite3_finalize(qk);
	free(list);
	if (rc == 0 && sq_exec(s, "COMMIT;", err, errsz) < 0)
		rc = -1;
	if (rc < 0)
		sq_exec(s, "ROLLBACK;", NULL, 0);
	return rc;
}

static int sq_lookup(void *h, const char *const *keys, size_t nkeys, struct em_lineage_hit **hits,
		     size_t *nhits, char *err, size_t errsz)
{
	struct sq *s = h;
	struct em_lineage_hit *v = NULL;
	size_t n = 0, cap = 0;
	int step;

	*hits = NULL;
	*nhits = 0;
	for (size_t i = 0; i < nkeys; i++) {
		sqlite3_reset(s->q_lookup);
		sqlite3_clear_bindings(s->q_lookup);
		sqlite3_bind_int64(s->q_lookup, 1, key_hash(keys[i]));
		while ((step = sqlite3_step(s->q_lookup)) == SQLITE_ROW) {
			struct em_lineage_hit *x;

			if (!list_has((const char *)sqlite3_column_text(s->q_lookup, 5), keys[i]))
				continue; /* a hash collision */
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 4;
				struct em_lineage_hit *nv = realloc(v, ncap * sizeof(*nv));
				if (nv == NULL)
					goto nomem;
				v = nv;
				cap = ncap;
			}
			x = &v[n];
			memset(x, 0, sizeof(*x));
			x->key = i;
			x->release = dupnull(sqlite3_column_text(s->q_lookup, 0));
			x->message_id = dupnull(sqlite3_column_text(s->q_lookup, 1));
			x->record = dupnull(sqlite3_column_text(s->q_lookup, 2));
			x->at = (time_t)sqlite3_column_int64(s->q_lookup, 3);
			x->expires = (time_t)sqlite3_column_int64(s->q_lookup, 4);
			n++;
			if (x->release == NULL ||
			    (sqlite3_column_type(s->q_lookup, 1) != SQLITE_NULL &&
			     !x->message_id) ||
			    (sqlite3_column_type(s->q_lookup, 2) != SQLITE_NULL && !x->record))
				goto nomem;
		}
		if (step != SQLITE_DONE) {
			seterr(err, errsz, "lineage store: %s", sqlite3_errmsg(s->db));
			sqlite3_reset(s->q_lookup);
			em_lineage_hits_free(v, n);
			return -1;
		}
	}
	sqlite3_reset(s->q_lookup);
	*hits = v;
	*nhits = n;
	return 0;
nomem:
	sqlite3_reset(s->q_lookup);
	em_lineage_hits_free(v, n);
	seterr(err, errsz, "out of memory");
	return -1;
}

/* The row's keys from its newline-framed list. */
static int row_keys(const char *list, struct em_lineage_row *r)
{
	const char *p = list, *nl;

	while (p && *p) {
		if (*p == '\n') {
			p++;
			continue;
		}
		nl = strchr(p, '\n');
		char **nv = realloc(r->keys, (r->nkeys + 1) * sizeof(*nv));
		if (nv == NULL)
			return -1;
		r->keys = nv;
		if ((nv[r->nkeys] = nl ? strndup(p, (size_t)(nl - p)) : strdup(p)) == NULL)
			return -1;
		r->nkeys++;
		p = nl;
	}
	return 0;
}

static int sq_show(void *h, const char *release, const char *key, struct em_lineage_row **rows,
		   size_t *nrows, char *err, size_t errsz)
{
	struct sq *s = h;
	sqlite3_stmt *q = NULL;
	struct em_lineage_row *v = NULL;
	size_t n = 0;
	int step;
	const char *sql =
	    release ? "SELECT id, release, message_id, record, subject, action, via, at, expires,"
		      " keys FROM origins WHERE release = ?1 ORDER BY id"
		    : "SELECT id, release, message_id, record, subject, action, via, at, expires,"
		      " keys FROM origins WHERE via = ?1 OR id IN"
		      " (SELECT origin FROM keys WHERE h = ?2) ORDER BY id";

	*rows = NULL;
	*nrows = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
		seterr(err, errsz, "lineage store: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	bind_text(q, 1, release ? release : key);
	if (release == NULL)
		sqlite3_bind_int64(q, 2, key_hash(key));
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		struct em_lineage_row *nv = realloc(v, (n + 1) * sizeof(*nv)), *r;
		if (nv == NULL)
			goto nomem;
		v = nv;
		r = &v[n++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(q, 0);
		r->release = dupnull(sqlite3_column_text(q, 1));
		r->message_id = dupnull(sqlite3_column_text(q, 2));
		r->record = dupnull(sqlite3_column_text(q, 3));
		r->subject = dupnull(sqlite3_column_text(q, 4));
		r->action = dupnull(sqlite3_column_text(q, 5));
		r->via = dupnull(sqlite3_column_text(q, 6));
		r->at = (time_t)sqlite3_column_int64(q, 7);
		r->expires = (time_t)sqlite3_column_int64(q, 8);
		if (r->release == NULL || row_keys((const char *)sqlite3_column_text(q, 9), r) < 0)
			goto nomem;
	}
	if (step != SQLITE_DONE) {
		seterr(err, errsz, "lineage store: %s", sqlite3_errmsg(s->db));
		sqlite3_finalize(q);
		em_lineage_rows_free(v, n);
		return -1;
	}
	sqlite3_finalize(q);
	*rows = v;
	*nrows = n;
	return 0;
nomem:
	sqlite3_finalize(q);
	em_lineage_rows_free(v, n);
	seterr(err, errsz, "out of memory");
	return -1;
}

static int sq_expire(void *h, time_t now, size_t max_origins, size_t slice, size_t *removed,
		     char *err, size_t errsz)
{
	struct sq *s = h;
	sqlite3_stmt *q = NULL;
	size_t n = 0;
	int rc = -1;

	if (removed)
		*removed = 0;
	if (s->readonly) {
		seterr(err, errsz, "lineage store opened read-only");
		return -1;
	}
	if (sq_exec(s, "BEGIN IMMEDIATE;", err, errsz) < 0)
		return -1;
	/* in slices, so one call never holds the writer for long */
	if (sqlite3_prepare_v2(s->db,
			       "DELETE FROM origins WHERE id IN (SELECT id FROM origins"
			       " WHERE expires <= ?1 LIMIT ?2)",
			       -1, &q, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(q, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)slice);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto out;
	n += (size_t)sqlite3_changes(s->db);
	sqlite3_finalize(q);
	q = NULL;
	/* the bound: the oldest rows beyond max_origins go first */
	if (sqlite3_prepare_v2(s->db,
			       "DELETE FROM origins WHERE id IN (SELECT id FROM origins WHERE id <="
			       " (SELECT id FROM origins ORDER BY id DESC LIMIT 1 OFFSET ?1)"
			       " ORDER BY id LIMIT ?2)",
			       -1, &q, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(q, 1, (sqlite3_int64)max_origins);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)slice);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto out;
	n += (size_t)sqlite3_changes(s->db);
	rc = 0;
out:
	if (rc < 0)
		seterr(err, errsz, "lineage store: %s", sqlite3_errmsg(s->db));
	sqlite3_finalize(q);
	if (rc == 0 && sq_exec(s, "COMMIT;", err, errsz) < 0)
		rc = -1;
	if (rc < 0)
		sq_exec(s, "ROLLBACK;", NULL, 0);
	else if (removed)
		*removed = n;
	return rc;
}

const struct em_lineage_backend em_lineage_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .record = sq_record,
    .lookup = sq_lookup,
    .show = sq_show,
    .expire = sq_expire,
    .close = sq_close,
};

/* ---- the shared handle -------------------------------------------------- */

struct em_lineage_store *em_lineage_store_open(const char *dir, bool readonly, char *err,
					       size_t errsz)
{
	struct em_lineage_store *st = calloc(1, sizeof(*st));

	if (st == NULL) {
		seterr(err, errsz, "out of memory");
		return NULL;
	}
	st->be = &em_lineage_sqlite;
	if ((st->h = st->be->open(dir, readonly, err, errsz)) == NULL) {
		free(st);
		return NULL;
	}
	pthread_mutex_init(&st->lock, NULL);
	return st;
}

void em_lineage_store_close(struct em_lineage_store *st)
{
	if (st == NULL)
		return;
	st->be->close(st->h);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

int em_lineage_store_record(struct em_lineage_store *st, const struct em_lineage_origin *o,
			    char *err, size_t errsz)
{
	int rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->record(st->h, o, err, errsz);
	if (rc == 0 && ++st->since_expire >= EM_LINEAGE_EXPIRE_EVERY) {
		st->since_expire = 0;
		/* a failed clean-up is retried next time; the origin is recorded */
		st->be->expire(st->h, o->at, EM_LINEAGE_MAX_ORIGINS, EM_LINEAGE_EXPIRE_SLICE, NULL,
			       NULL, 0);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int em_lineage_store_lookup(struct em_lineage_store *st, const char *const *keys, size_t nkeys,
			    struct em_lineage_hit **hits, size_t *nhits, char *err, size_t errsz)
{
	int rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->lookup(st->h, keys, nkeys, hits, nhits, err, errsz);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int em_lineage_store_show(struct em_lineage_store *st, const char *release, const char *key,
			  struct em_lineage_row **rows, size_t *nrows, char *err, size_t errsz)
{
	int rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->show(st->h, release, key, rows, nrows, err, errsz);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int em_lineage_store_expire(struct em_lineage_store *st, time_t now, size_t max_origins,
			    size_t *removed, char *err, size_t errsz)
{
	int rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->expire(st->h, now, max_origins, SIZE_MAX / 2, removed, err, errsz);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

void em_lineage_rows_free(struct em_lineage_row *rows, size_t n)
{
	if (rows == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(rows[i].release);
		free(rows[i].message_id);
		free(rows[i].record);
		free(rows[i].subject);
		free(rows[i].action);
		free(rows[i].via);
		for (size_t k = 0; k < rows[i].nkeys; k++)
			free(rows[i].keys[k]);
		free(rows[i].keys);
	}
	free(rows);
}

static int ops_lookup(void *ctx, const char *const *keys, size_t nkeys,
		      struct em_lineage_hit **hits, size_t *nhits, char *err, size_t errsz)
{
	return em_lineage_store_lookup(ctx, keys, nkeys, hits, nhits, err, errsz);
}

struct em_lineage_lookup em_lineage_store_lookup_ops(struct em_lineage_store *st)
{
	struct em_lineage_lookup lk = {.ctx = st, .lookup = ops_lookup};

	return lk;
}
