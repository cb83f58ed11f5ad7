/*
 * em_store - the quarantine store and the audit log (see em_store.h).
 *
 * Owns the on-disk format below; the daemon writes it from many milter
 * threads at once, `embargoctl quarantine` reads and updates it from other
 * processes. Depends on sqlite3, jansson (through em_vjson) and POSIX; must
 * not depend on libmilter, syslog or libconfig. Never logs: every failure is
 * returned with a reason.
 *
 * FORMAT (version 1)
 *
 * quarantine_dir/            mode 0750 (created when missing)
 *   index.sqlite             SQLite, journal_mode=WAL, synchronous=FULL; file 0640
 *   msg/                     0750; complete records only
 *     <id>.eml               the message exactly as received (headers + body), 0640
 *     <id>.json              the record document (below), 0640
 *   tmp/                     0750; files being written, never read by anyone
 *
 * <id> = "YYYYMMDDTHHMMSSZ-" (UTC time of storing) + 8 lowercase hex digits
 * from getrandom(2), e.g. "20201111T114500Z-3f9a1c2b". Never derived from
 * message content, so it is always safe in a path; every function that takes
 * an id validates this exact form before building a path or a query.
 *
 * Table schema_version(version INTEGER NOT NULL): one row, 2. A store with
 * a higher version is refused (a newer tool wrote it). Version 2 added the
 * tables confirm_codes and requests (described in em_requests.c); a version
 * 1 store is upgraded when opened.
 * Table records:
 *   id TEXT PRIMARY KEY      the record id
 *   created INTEGER          unix time the record was stored
 *   sender TEXT              envelope sender, NULL when none
 *   recipients TEXT          JSON array of every envelope recipient
 *   blocked TEXT             JSON array of the recipients not allowed (union over releases)
 *                            (addresses bare, without <>: em_addr_bare_dup)
 *   releases TEXT            JSON array of the matched release ids
 *   publish_at INTEGER       earliest publish_at of those releases, NULL when none
 *   queue_id TEXT            MTA queue id, NULL when unknown
 *   action_taken TEXT        what the daemon did ("quarantine", "reject", ...)
 *   state TEXT               'held' | 'released' | 'deleted'
 *   state_by TEXT            who set the state (NULL while held by the daemon)
 *   state_at INTEGER         unix time the state was set (= created while held)
 *   subject TEXT             decoded Subject, NULL when absent
 *   message_id TEXT          Message-ID, NULL when absent
 *   reason TEXT              why a record without a matched release is held:
 *                            "unscannable" (a local submission that could not be
 *                            fully scanned), "scan incomplete"; NULL otherwise
 *   expired_at INTEGER       when `quarantine expire` removed the files, NULL before
 * (reason and expired_at are added by ALTER TABLE to stores made before them.)
 * Indices records_created(created) and records_state(state).
 *
 * <id>.json is one object, keys in this order:
 *   {"format": 1, "id": "<id>", "created": RFC 3339 UTC, "queue_id": string|null,
 *    "action_taken": string, "verdict": <the em_vjson contract object, with
 *    "after_publication" in each release>, "reason": string (only when set)}
 *
 * Write protocol (em_store_put): tmp/<id>.eml and tmp/<id>.json are created
 * with O_EXCL, written, fsync'd, renamed into msg/ without replacing
 * anything, msg/ is fsync'd, and only then the index row is inserted. Any
 * failure unlinks what was written. A crash leaves files without a row
 * (in tmp/, or in msg/ when it struck between the rename and the insert),
 * never a row without its files; em_store_sweep removes such orphans.
 *
 * State transitions: held -> released, held -> deleted, released ->
 * released (no change). Deleting removes msg/<id>.eml.
 *
 * Concurrency: one struct em_store may be shared by any number of threads
 * (file writing runs in parallel; index access is serialised by a mutex);
 * other processes are handled by SQLite's locking and a busy timeout.
 */
#define _GNU_SOURCE

#include "em_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/em_addr.h"
#include "em_outbox.h"
#include "em_requests.h"
#include "em_vjson.h"

#define SCHEMA_VERSION 2 /* 2: + confirm_codes, requests (em_requests.c) */
#define DOC_FORMAT 1	  /* msg/<id>.json "format": unchanged by version 2 */
#define BUSY_TIMEOUT_MS 10000
#define FILE_MODE 0640
#define DIR_MODE 0750
#define COPY_CHUNK (64 * 1024)
#define ID_ATTEMPTS 16

struct em_store {
	char *dir;
	int dirfd;
	int msgfd;
	int tmpfd;
	sqlite3 *db;
	pthread_mutex_t lock; /* guards db: one connection, whole statement sequences */
	bool outbox;	      /* also write outbox rows (em_outbox.h) */
};

static void seterr(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int mkdir_open(int at, const char *name, const char *shown, char *err, size_t errsz);
static int db_exec(sqlite3 *db, const char *sql, char *err, size_t errsz);
static int db_init(struct em_store *st, char *err, size_t errsz);
static int make_id(char *id, time_t now);
static int write_all(int fd, const char *p, size_t n);
static int copy_fd(int in, int out, char *err, size_t errsz);
static char *record_doc(const struct em_verdict *v, const char *id, time_t created,
			const char *queue_id, const char *action_taken, const char *reason);
static int index_arrays(const struct em_verdict *v, char **rcpts, char **blocked,
			char **releases, time_t *publish_at);
static int move_noreplace(int from, const char *name, int to);
static int row_fill(sqlite3_stmt *q, const char *dir, struct em_store_row *r);
static void row_clear(struct em_store_row *r);

static const char *const state_names[] = {
	[EM_STORE_HELD] = "held", [EM_STORE_RELEASED] = "released", [EM_STORE_DELETED] = "deleted",
};
#define NSTATES (sizeof(state_names) / sizeof(state_names[0]))

#define ROW_COLUMNS                                                                          \
	"id, created, sender, recipients, blocked, releases, publish_at, queue_id, "          \
	"action_taken, state, state_by, state_at, subject, message_id"
/* read after ROW_COLUMNS; columns added in place to a version 2 store */
#define ROW_COLUMNS_MORE ", reason, expired_at"

static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

const char *em_store_state_name(enum em_store_state s)
{
	return (unsigned)s < NSTATES ? state_names[s] : NULL;
}

int em_store_state_parse(const char *s)
{
	for (size_t i = 0; s && i < NSTATES; i++)
		if (strcmp(s, state_names[i]) == 0)
			return (int)i;
	return -1;
}

int em_store_id_valid(const char *id)
{
	static const char form[] = "DDDDDDDDTDDDDDDZ-XXXXXXXX";

	if (id == NULL || strlen(id) != EM_STORE_ID_LEN)
		return 0;
	for (size_t i = 0; i < EM_STORE_ID_LEN; i++) {
		char c = id[i];

		if (form[i] == 'D' ? !(c >= '0' && c <= '9')
		    : form[i] == 'X' ? !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
				     : c != form[i])
			return 0;
	}
	return 1;
}

/* Creates (when missing) and opens directory name under at; returns the fd or -1. */
static int mkdir_open(int at, const char *name, const char *shown, char *err, size_t errsz)
{
	int fd;

	if (mkdirat(at, name, DIR_MODE) == 0) {
		struct stat sb;
		/* A setgid parent (reviewer_group, em_qperm) passes its group on:
		 * keep that bit; only what the umask narrowed is set again. */
		mode_t want = DIR_MODE;

		if (fstatat(at, name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
			want |= sb.st_mode & S_ISGID;
		/* The umask must not narrow what the review group may read. */
		if ((sb.st_mode & 07777) != want && fchmodat(at, name, want, 0) != 0 &&
		    fchmodat(at, name, DIR_MODE, 0) != 0) {
			seterr(err, errsz, "cannot chmod %s: %s", shown, strerror(errno));
			return -1;
		}
	} else if (errno != EEXIST) {
		seterr(err, errsz, "cannot create %s: %s", shown, strerror(errno));
		return -1;
	}
	fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		seterr(err, errsz, "cannot open %s: %s", shown, strerror(errno));
	return fd;
}

static int db_exec(sqlite3 *db, const char *sql, char *err, size_t errsz)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		seterr(err, errsz, "index: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Adds column name to records unless it is there; 0 or -1. Transaction held. */
static int add_column(sqlite3 *db, const char *name, const char *type, char *err, size_t errsz)
{
	sqlite3_stmt *q = NULL;
	char sql[128];
	int found;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('records') WHERE name = ?1", -1,
			       &q, NULL) != SQLITE_OK) {
		seterr(err, errsz, "index: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	if (found)
		return 0;
	snprintf(sql, sizeof(sql), "ALTER TABLE records ADD COLUMN %s %s", name, type);
	return db_exec(db, sql, err, errsz);
}

/* WAL, durability and the schema; safe when several processes open at once. */
static int db_init(struct em_store *st, char *err, size_t errsz)
{
	sqlite3_stmt *q = NULL;
	int rc, version = -1;

	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &q, NULL) != SQLITE_OK)
		goto dberr;
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW ||
	    sqlite3_stricmp((const char *)sqlite3_column_text(q, 0), "wal") != 0) {
		sqlite3_finalize(q);
		seterr(err, errsz, "index: cannot switch to WAL mode: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (db_exec(st->db, "PRAGMA synchronous=FULL", err, errsz) ||
	    db_exec(st->db, "BEGIN IMMEDIATE", err, errsz))
		return -1;
	if (db_exec(st->db,
		    "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL);"
		    "CREATE TABLE IF NOT EXISTS records("
		    " id TEXT PRIMARY KEY,"
		    " created INTEGER NOT NULL,"
		    " sender TEXT,"
		    " recipients TEXT NOT NULL,"
		    " blocked TEXT NOT NULL,"
		    " releases TEXT NOT NULL,"
		    " publish_at INTEGER,"
		    " queue_id TEXT,"
		    " action_taken TEXT NOT NULL,"
		    " state TEXT NOT NULL CHECK (state IN ('held','released','deleted')),"
		    " state_by TEXT,"
		    " state_at INTEGER NOT NULL,"
		    " subject TEXT,"
		    " message_id TEXT);"
		    "CREATE INDEX IF NOT EXISTS records_created ON records(created);"
		    "CREATE INDEX IF NOT EXISTS records_state ON records(state);",
		    err, errsz))
		goto rollback;
	if (sqlite3_prepare_v2(st->db, "SELECT max(version) FROM schema_version", -1, &q, NULL) !=
	    SQLITE_OK)
		goto dberr_rollback;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version > SCHEMA_VERSION) {
		seterr(err, errsz, "index: schema version %d is newer than this program's (%d)",
		       version, SCHEMA_VERSION);
		goto rollback;
	}
	/* version 2 only adds tables: a version 1 store is upgraded in place */
	if (em_requests_schema(st->db, err, errsz) < 0 ||
	    add_column(st->db, "reason", "TEXT", err, errsz) ||
	    add_column(st->db, "expired_at", "INTEGER", err, errsz))
		goto rollback;
	/* the shared store's outbox: extra tables, which older tools ignore */
	if (em_outbox_schema(st->db, err, errsz) < 0)
		goto rollback;
	if (version < 0 &&
	    db_exec(st->db, "INSERT INTO schema_version(version) VALUES (2)", err, errsz))
		goto rollback;
	if (version >= 0 && version < SCHEMA_VERSION &&
	    db_exec(st->db, "UPDATE schema_version SET version = 2", err, errsz))
		goto rollback;
	return db_exec(st->db, "COMMIT", err, errsz);
dberr_rollback:
	seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
rollback:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
dberr:
	seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
	return -1;
}

struct em_store *em_store_open(const char *dir, char *err, size_t errsz)
{
	struct em_store *st;
	char *dbpath = NULL;
	int fd;

	if (dir == NULL || *dir == '\0') {
		seterr(err, errsz, "no quarantine directory given");
		return NULL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL || (st->dir = strdup(dir)) == NULL) {
		free(st);
		seterr(err, errsz, "out of memory");
		return NULL;
	}
	st->dirfd = st->msgfd = st->tmpfd = -1;
	if (pthread_mutex_init(&st->lock, NULL) != 0) {
		free(st->dir);
		free(st);
		seterr(err, errsz, "cannot create a mutex");
		return NULL;
	}
	if ((st->dirfd = mkdir_open(AT_FDCWD, dir, dir, err, errsz)) < 0 ||
	    (st->msgfd = mkdir_open(st->dirfd, "msg", "msg/", err, errsz)) < 0 ||
	    (st->tmpfd = mkdir_open(st->dirfd, "tmp", "tmp/", err, errsz)) < 0)
		goto fail;
	/* Create the index ourselves so it (and SQLite's -wal/-shm, which copy
	 * its mode) is 0640 whatever the umask. */
	fd = openat(st->dirfd, "index.sqlite", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		    FILE_MODE);
	if (fd >= 0 && fchmod(fd, FILE_MODE) != 0) {
		seterr(err, errsz, "cannot chmod %s/index.sqlite: %s", dir, strerror(errno));
		close(fd);
		goto fail;
	}
	if (fd < 0 && errno != EEXIST) {
		seterr(err, errsz, "cannot create %s/index.sqlite: %s", dir, strerror(errno));
		goto fail;
	}
	if (fd >= 0)
		close(fd);
	if (asprintf(&dbpath, "%s/index.sqlite", dir) < 0) {
		dbpath = NULL;
		seterr(err, errsz, "out of memory");
		goto fail;
	}
	if (sqlite3_open_v2(dbpath, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) !=
	    SQLITE_OK) {
		seterr(err, errsz, "cannot open %s: %s", dbpath,
		       st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	if (db_init(st, err, errsz))
		goto fail;
	free(dbpath);
	return st;
fail:
	free(dbpath);
	em_store_close(st);
	return NULL;
}

void em_store_close(struct em_store *st)
{
	if (st == NULL)
		return;
	sqlite3_close_v2(st->db);
	if (st->tmpfd >= 0)
		close(st->tmpfd);
	if (st->msgfd >= 0)
		close(st->msgfd);
	if (st->dirfd >= 0)
		close(st->dirfd);
	pthread_mutex_destroy(&st->lock);
	free(st->dir);
	free(st);
}

/* Writes a fresh id for time now into id (EM_STORE_ID_SIZE bytes); 0 or -1. */
static int make_id(char *id, time_t now)
{
	unsigned char rnd[4];
	struct tm tm;
	ssize_t n;

	do
		n = getrandom(rnd, sizeof(rnd), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(rnd) || gmtime_r(&now, &tm) == NULL)
		return -1;
	if (strftime(id, EM_STORE_ID_SIZE, "%Y%m%dT%H%M%SZ-", &tm) != 17)
		return -1;
	snprintf(id + 17, EM_STORE_ID_SIZE - 17, "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
		 rnd[3]);
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int copy_fd(int in, int out, char *err, size_t errsz)
{
	char *buf = malloc(COPY_CHUNK);
	ssize_t n;

	if (buf == NULL) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	for (;;) {
		n = read(in, buf, COPY_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			seterr(err, errsz, "cannot read the message: %s", strerror(errno));
			break;
		}
		if (n == 0) {
			free(buf);
			return 0;
		}
		if (write_all(out, buf, (size_t)n)) {
			seterr(err, errsz, "cannot write the message: %s", strerror(errno));
			break;
		}
	}
	free(buf);
	return -1;
}

/* The msg/<id>.json document (see FORMAT); malloc'd, NULL when out of memory. */
static char *record_doc(const struct em_verdict *v, const char *id, time_t created,
			const char *queue_id, const char *action_taken, const char *reason)
{
	json_t *o = json_object(), *verdict = em_verdict_to_jobj(v, EM_VJSON_FULL);
	char when[32];
	struct tm tm;
	char *s = NULL;

	if (o == NULL || verdict == NULL || gmtime_r(&created, &tm) == NULL)
		goto out;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (json_object_set_new(o, "format", json_integer(DOC_FORMAT)) ||
	    json_object_set_new(o, "id", json_string(id)) ||
	    json_object_set_new(o, "created", json_string(when)) ||
	    json_object_set_new(o, "queue_id", em_vjson_string(queue_id)) ||
	    json_object_set_new(o, "action_taken", em_vjson_string(action_taken)))
		goto out;
	if (json_object_set_new(o, "verdict", verdict) == 0) {
		verdict = NULL;
		if (reason != NULL && json_object_set_new(o, "reason", em_vjson_string(reason)))
			goto out;
		s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	}
out:
	json_decref(verdict);
	json_decref(o);
	return s;
}

/* The JSON array columns and the earliest publish_at; 0 or -1 (out of memory). */
static int index_arrays(const struct em_verdict *v, char **rcpts, char **blocked,
			char **releases, time_t *publish_at)
{
	json_t *r = json_array(), *b = json_array(), *ids = json_array();
	int rc = -1;

	*rcpts = *blocked = *releases = NULL;
	*publish_at = 0;
	if (r == NULL || b == NULL || ids == NULL)
		goto out;
	for (size_t i = 0; i < v->nrcpts; i++) {
		char *bare = em_addr_bare_dup(v->rcpts[i]);
		int bad = bare == NULL || json_array_append_new(r, em_vjson_string(bare));

		free(bare);
		if (bad)
			goto out;
	}
	for (size_t i = 0; i < v->nreleases; i++) {
		const struct em_release_verdict *rel = &v->releases[i];

		if (json_array_append_new(ids, em_vjson_string(rel->id ? rel->id : "")))
			goto out;
		if (i == 0 || rel->publish_at < *publish_at)
			*publish_at = rel->publish_at;
		for (size_t k = 0; k < rel->nblocked; k++) {
			/* the index (listings, reports) keeps addresses bare, as the
			 * verdict's sender and recipients (em_addr_bare_dup) */
			char *bare = em_addr_bare_dup(rel->blocked[k]);
			json_t *s = bare ? em_vjson_string(bare) : NULL;
			size_t j;

			free(bare);
			if (s == NULL)
				goto out;
			/* Several releases usually block the same people: list each once. */
			for (j = 0; j < json_array_size(b); j++)
				if (json_equal(json_array_get(b, j), s))
					break;
			if (j < json_array_size(b))
				json_decref(s);
			else if (json_array_append_new(b, s))
				goto out;
		}
	}
	*rcpts = json_dumps(r, JSON_COMPACT);
	*blocked = json_dumps(b, JSON_COMPACT);
	*releases = json_dumps(ids, JSON_COMPACT);
	if (*rcpts && *blocked && *releases)
		rc = 0;
out:
	json_decref(r);
	json_decref(b);
	json_decref(ids);
	if (rc) {
		free(*rcpts);
		free(*blocked);
		free(*releases);
		*rcpts = *blocked = *releases = NULL;
	}
	return rc;
}

/* Renames from/name to to/name, failing with EEXIST rather than replacing. */
static int move_noreplace(int from, const char *name, int to)
{
	if (renameat2(from, name, to, name, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* A file system without RENAME_NOREPLACE: link(2) never replaces either. */
	if (linkat(from, name, to, name, 0) != 0)
		return -1;
	(void)unlinkat(from, name, 0);
	return 0;
}

int em_store_put(struct em_store *st, const struct em_verdict *v, const char *queue_id,
		 const char *action_taken, int raw_fd, char *id_out, size_t idsz, char *err,
		 size_t errsz)
{
	return em_store_put_reason(st, v, queue_id, action_taken, NULL, raw_fd, id_out, idsz, err,
				   errsz);
}

int em_store_put_reason(struct em_store *st, const struct em_verdict *v, const char *queue_id,
			const char *action_taken, const char *reason, int raw_fd, char *id_out,
			size_t idsz, char *err, size_t errsz)
{
	char id[EM_STORE_ID_SIZE], eml[EM_STORE_ID_SIZE + 8], js[EM_STORE_ID_SIZE + 8];
	char *doc = NULL, *rcpts = NULL, *blocked = NULL, *releases = NULL, *sender_bare = NULL;
	int efd = -1, jfd = -1, in_tmp = 0, in_msg = 0, rc = -1, i;
	sqlite3_stmt *q = NULL;
	time_t created = time(NULL), publish_at;
	struct stat sb;

	if (st == NULL || v == NULL || action_taken == NULL || id_out == NULL) {
		seterr(err, errsz, "em_store_put: missing argument");
		return -1;
	}
	if (idsz < EM_STORE_ID_SIZE) {
		seterr(err, errsz, "em_store_put: id buffer too small");
		return -1;
	}
	if (raw_fd < 0 || fstat(raw_fd, &sb) != 0) {
		seterr(err, errsz, "no readable message file descriptor");
		return -1;
	}
	if (v->sender != NULL && (sender_bare = em_addr_bare_dup(v->sender)) == NULL) {
		seterr(err, errsz, "out of memory");
		goto out;
	}
	if (index_arrays(v, &rcpts, &blocked, &releases, &publish_at)) {
		seterr(err, errsz, "out of memory");
		goto out;
	}
	/* Pick an id no other record or put in flight has: O_EXCL in tmp/, absent in msg/. */
	for (i = 0; i < ID_ATTEMPTS; i++) {
		if (make_id(id, created)) {
			seterr(err, errsz, "cannot make a record id: %s", strerror(errno));
			goto out;
		}
		snprintf(eml, sizeof(eml), "%s.eml", id);
		snprintf(js, sizeof(js), "%s.json", id);
		if (faccessat(st->msgfd, eml, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ||
		    faccessat(st->msgfd, js, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		efd = openat(st->tmpfd, eml, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			     FILE_MODE);
		if (efd < 0 && errno == EEXIST)
			continue;
		if (efd < 0) {
			seterr(err, errsz, "cannot create tmp/%s: %s", eml, strerror(errno));
			goto out;
		}
		jfd = openat(st->tmpfd, js, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			     FILE_MODE);
		if (jfd < 0) {
			int e = errno;

			close(efd);
			efd = -1;
			(void)unlinkat(st->tmpfd, eml, 0);
			if (e == EEXIST)
				continue;
			seterr(err, errsz, "cannot create tmp/%s: %s", js, strerror(e));
			goto out;
		}
		break;
	}
	if (i == ID_ATTEMPTS) {
		seterr(err, errsz, "cannot find an unused record id");
		goto out;
	}
	in_tmp = 1;
	if ((doc = record_doc(v, id, created, queue_id, action_taken, reason)) == NULL) {
		seterr(err, errsz, "out of memory");
		goto out;
	}
	if (copy_fd(raw_fd, efd, err, errsz))
		goto out;
	if (write_all(jfd, doc, strlen(doc)) || write_all(jfd, "\n", 1)) {
		seterr(err, errsz, "cannot write tmp/%s: %s", js, strerror(errno));
		goto out;
	}
	if (fchmod(efd, FILE_MODE) || fchmod(jfd, FILE_MODE) || fsync(efd) || fsync(jfd)) {
		seterr(err, errsz, "cannot sync the record: %s", strerror(errno));
		goto out;
	}
	i = close(efd);
	efd = -1;
	if (i || close(jfd)) {
		jfd = -1;
		seterr(err, errsz, "cannot write the record: %s", strerror(errno));
		goto out;
	}
	jfd = -1;
	if (move_noreplace(st->tmpfd, js, st->msgfd)) {
		seterr(err, errsz, "cannot move %s into msg/: %s", js, strerror(errno));
		goto out;
	}
	in_msg = 1;
	if (move_noreplace(st->tmpfd, eml, st->msgfd)) {
		seterr(err, errsz, "cannot move %s into msg/: %s", eml, strerror(errno));
		goto out;
	}
	in_msg = 2;
	in_tmp = 0;
	/* The renames must be durable before a row can point at the files. */
	if (fsync(st->msgfd)) {
		seterr(err, errsz, "cannot sync msg/: %s", strerror(errno));
		goto out;
	}

	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(
		st->db,
		"INSERT INTO records(" ROW_COLUMNS ", reason) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'held', NULL, ?2, ?10, ?11, ?12)",
		-1, &q, NULL) != SQLITE_OK) {
		seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
		pthread_mutex_unlock(&st->lock);
		goto out;
	}
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)created);
	sqlite3_bind_text(q, 3, sender_bare, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, rcpts, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, blocked, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, releases, -1, SQLITE_STATIC);
	if (v->nreleases)
		sqlite3_bind_int64(q, 7, (sqlite3_int64)publish_at);
	else
		sqlite3_bind_null(q, 7);
	sqlite3_bind_text(q, 8, queue_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, action_taken, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, v->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, v->message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 12, reason, -1, SQLITE_STATIC);
	if (st->outbox && db_exec(st->db, "BEGIN IMMEDIATE", err, errsz)) {
		sqlite3_finalize(q);
		pthread_mutex_unlock(&st->lock);
		goto out;
	}
	if (sqlite3_step(q) != SQLITE_DONE)
		seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
	else
		rc = 0;
	sqlite3_finalize(q);
	if (st->outbox) {
		/* the record and its outbox row commit together, or neither */
		if (rc == 0 && (em_outbox_insert(st->db, "record", id, NULL, created, err, errsz) ||
				db_exec(st->db, "COMMIT", err, errsz)))
			rc = -1;
		if (rc != 0)
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
	pthread_mutex_unlock(&st->lock);
	if (rc == 0)
		memcpy(id_out, id, EM_STORE_ID_SIZE);
out:
	if (efd >= 0)
		close(efd);
	if (jfd >= 0)
		close(jfd);
	if (rc != 0 && in_tmp) {
		(void)unlinkat(st->tmpfd, eml, 0);
		(void)unlinkat(st->tmpfd, js, 0);
	}
	if (rc != 0 && in_msg) {
		(void)unlinkat(st->msgfd, js, 0);
		if (in_msg == 2)
			(void)unlinkat(st->msgfd, eml, 0);
		(void)fsync(st->msgfd);
	}
	free(doc);
	free(rcpts);
	free(blocked);
	free(releases);
	free(sender_bare);
	return rc;
}

/* Copies a TEXT column (NULL stays NULL); 0, or -1 when out of memory. */
static int col_str(sqlite3_stmt *q, int col, char **out)
{
	const unsigned char *s = sqlite3_column_text(q, col);

	*out = NULL;
	if (s == NULL)
		return sqlite3_column_type(q, col) == SQLITE_NULL ? 0 : -1;
	*out = strdup((const char *)s);
	return *out ? 0 : -1;
}

/* Parses a JSON array-of-strings column; 0, or -1 (malformed, out of memory). */
static int col_array(sqlite3_stmt *q, int col, char ***v, size_t *n)
{
	const char *s = (const char *)sqlite3_column_text(q, col);
	json_t *a;
	int rc = -1;

	*v = NULL;
	*n = 0;
	if (s == NULL)
		return sqlite3_column_type(q, col) == SQLITE_NULL ? 0 : -1;
	a = json_loads(s, 0, NULL);
	if (!json_is_array(a))
		goto out;
	if (json_array_size(a) && (*v = calloc(json_array_size(a), sizeof(**v))) == NULL)
		goto out;
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *e = json_string_value(json_array_get(a, i));

		if (e == NULL || ((*v)[i] = strdup(e)) == NULL)
			goto out;
		*n = i + 1;
	}
	rc = 0;
out:
	json_decref(a);
	return rc;
}

/* Fills r from the current row of a SELECT ROW_COLUMNS; 0 or -1 (r then needs row_clear). */
static int row_fill(sqlite3_stmt *q, const char *dir, struct em_store_row *r)
{
	char *state = NULL;
	int s;

	memset(r, 0, sizeof(*r));
	if (col_str(q, 0, &r->id) || r->id == NULL)
		return -1;
	r->created = (time_t)sqlite3_column_int64(q, 1);
	if (col_str(q, 2, &r->sender) || col_array(q, 3, &r->rcpts, &r->nrcpts) ||
	    col_array(q, 4, &r->blocked, &r->nblocked) ||
	    col_array(q, 5, &r->releases, &r->nreleases))
		return -1;
	r->publish_at = (time_t)sqlite3_column_int64(q, 6);
	if (col_str(q, 7, &r->queue_id) || col_str(q, 8, &r->action_taken) ||
	    col_str(q, 9, &state))
		return -1;
	s = em_store_state_parse(state);
	free(state);
	if (s < 0)
		return -1;
	r->state = (enum em_store_state)s;
	if (col_str(q, 10, &r->state_by))
		return -1;
	r->state_at = (time_t)sqlite3_column_int64(q, 11);
	if (col_str(q, 12, &r->subject) || col_str(q, 13, &r->message_id) ||
	    col_str(q, 14, &r->reason))
		return -1;
	r->expired_at = (time_t)sqlite3_column_int64(q, 15);
	/* Paths only for ids of the valid form: a tampered index cannot point outside msg/. */
	if (!em_store_id_valid(r->id))
		return -1;
	if (asprintf(&r->eml_path, "%s/msg/%s.eml", dir, r->id) < 0) {
		r->eml_path = NULL;
		return -1;
	}
	if (asprintf(&r->json_path, "%s/msg/%s.json", dir, r->id) < 0) {
		r->json_path = NULL;
		return -1;
	}
	return 0;
}

static void row_clear(struct em_store_row *r)
{
	free(r->id);
	free(r->sender);
	for (size_t i = 0; i < r->nrcpts; i++)
		free(r->rcpts[i]);
	free(r->rcpts);
	for (size_t i = 0; i < r->nblocked; i++)
		free(r->blocked[i]);
	free(r->blocked);
	for (size_t i = 0; i < r->nreleases; i++)
		free(r->releases[i]);
	free(r->releases);
	free(r->queue_id);
	free(r->action_taken);
	free(r->state_by);
	free(r->subject);
	free(r->message_id);
	free(r->reason);
	free(r->eml_path);
	free(r->json_path);
	memset(r, 0, sizeof(*r));
}

void em_store_rows_free(struct em_store_row *rows, size_t n)
{
	if (rows == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		row_clear(&rows[i]);
	free(rows);
}

void em_store_row_free(struct em_store_row *row)
{
	em_store_rows_free(row, 1);
}

int em_store_list(struct em_store *st, const struct em_store_filter *f,
		  struct em_store_row **rows, size_t *nrows, char *err, size_t errsz)
{
	static const char sql[] =
	    "SELECT " ROW_COLUMNS ROW_COLUMNS_MORE " FROM records"
	    " WHERE (?1 IS NULL OR created >= ?1)"
	    " AND (?2 IS NULL OR state = ?2)"
	    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM json_each(records.releases)"
	    "  WHERE json_each.value = ?3))"
	    " ORDER BY created, id";
	struct em_store_row *v = NULL, *nv;
	size_t n = 0, cap = 0;
	sqlite3_stmt *q = NULL;
	int rc = -1, step;

	if (st == NULL || rows == NULL || nrows == NULL) {
		seterr(err, errsz, "em_store_list: missing argument");
		return -1;
	}
	*rows = NULL;
	*nrows = 0;
	if (f && f->state >= 0 && em_store_state_name((enum em_store_state)f->state) == NULL) {
		seterr(err, errsz, "unknown state %d", f->state);
		return -1;
	}
	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) {
		seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
		goto out;
	}
	if (f && f->since)
		sqlite3_bind_int64(q, 1, (sqlite3_int64)f->since);
	if (f && f->state >= 0)
		sqlite3_bind_text(q, 2, state_names[f->state], -1, SQLITE_STATIC);
	if (f && f->release)
		sqlite3_bind_text(q, 3, f->release, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;

			if (ncap > SIZE_MAX / sizeof(*v) ||
			    (nv = realloc(v, ncap * sizeof(*v))) == NULL) {
				seterr(err, errsz, "out of memory");
				goto out;
			}
			v = nv;
			cap = ncap;
		}
		if (row_fill(q, st->dir, &v[n])) {
			row_clear(&v[n]);
			seterr(err, errsz, "index: unreadable row (malformed or out of memory)");
			goto out;
		}
		n++;
	}
	if (step != SQLITE_DONE) {
		seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	pthread_mutex_unlock(&st->lock);
	if (rc) {
		em_store_rows_free(v, n);
		return -1;
	}
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*rows = v;
	*nrows = n;
	return 0;
}

int em_store_get(struct em_store *st, const char *id, struct em_store_row **out, char *err,
		 size_t errsz)
{
	struct em_store_row *r;
	sqlite3_stmt *q = NULL;
	int rc = -1, step;

	if (st == NULL || out == NULL) {
		seterr(err, errsz, "em_store_get: missing argument");
		return -1;
	}
	*out = NULL;
	if (!em_store_id_valid(id)) {
		seterr(err, errsz, "not a record id: \"%.64s\"", id ? id : "");
		return -1;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(st->db,
			       "SELECT " ROW_COLUMNS ROW_COLUMNS_MORE " FROM records WHERE id = ?1",
			       -1, &q, NULL) != SQLITE_OK) {
		seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
		goto out;
	}
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	step = sqlite3_step(q);
	if (step == SQLITE_DONE) {
		seterr(err, errsz, "no record %s", id);
		rc = 1;
	} else if (step != SQLITE_ROW) {
		seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
	} else if (row_fill(q, st->dir, r)) {
		seterr(err, errsz, "index: unreadable row (malformed or out of memory)");
	} else {
		rc = 0;
	}
out:
	sqlite3_finalize(q);
	pthread_mutex_unlock(&st->lock);
	if (rc == 0)
		*out = r;
	else
		em_store_row_free(r);
	return rc;
}

int em_store_set_state(struct em_store *st, const char *id, enum em_store_state new_state,
		       const char *by, char *err, size_t errsz)
{
	sqlite3_stmt *q = NULL;
	int rc = -1, step, cur = -1;
	char eml[EM_STORE_ID_SIZE + 8];
	time_t state_at = time(NULL);

	if (st == NULL) {
		seterr(err, errsz, "em_store_set_state: missing argument");
		return -1;
	}
	if (!em_store_id_valid(id)) {
		seterr(err, errsz, "not a record id: \"%.64s\"", id ? id : "");
		return -1;
	}
	if (em_store_state_name(new_state) == NULL) {
		seterr(err, errsz, "unknown state %d", (int)new_state);
		return -1;
	}
	pthread_mutex_lock(&st->lock);
	if (db_exec(st->db, "BEGIN IMMEDIATE", err, errsz))
		goto unlock;
	if (sqlite3_prepare_v2(st->db, "SELECT state FROM records WHERE id = ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		cur = em_store_state_parse((const char *)sqlite3_column_text(q, 0));
	else if (step != SQLITE_DONE)
		goto dberr;
	sqlite3_finalize(q);
	q = NULL;
	if (step == SQLITE_DONE) {
		seterr(err, errsz, "no record %s", id);
		rc = 1;
		goto rollback;
	}
	if (cur < 0) {
		seterr(err, errsz, "record %s has an unknown state", id);
		goto rollback;
	}
	if (cur == EM_STORE_RELEASED && new_state == EM_STORE_RELEASED) {
		rc = 0; /* releasing twice is a retry, not an error */
		goto rollback;
	}
	if (cur != EM_STORE_HELD || new_state == EM_STORE_HELD) {
		seterr(err, errsz, "record %s is %s; it cannot become %s", id, state_names[cur],
		       state_names[new_state]);
		goto rollback;
	}
	if (sqlite3_prepare_v2(st->db,
			       "UPDATE records SET state = ?1, state_by = ?2, state_at = ?3"
			       " WHERE id = ?4",
			       -1, &q, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(q, 1, state_names[new_state], -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)state_at);
	sqlite3_bind_text(q, 4, id, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto dberr;
	sqlite3_finalize(q);
	q = NULL;
	if (st->outbox) {
		json_t *o = json_pack("{s:s,s:s?,s:I}", "state", state_names[new_state], "by", by,
				      "at", (json_int_t)state_at);
		char *pl = o ? json_dumps(o, JSON_COMPACT) : NULL;
		int orc = pl ? em_outbox_insert(st->db, "state", id, pl, state_at, err, errsz) : -1;

		if (pl == NULL)
			seterr(err, errsz, "out of memory");
		free(pl);
		json_decref(o);
		if (orc < 0)
			goto rollback;
	}
	if (db_exec(st->db, "COMMIT", err, errsz))
		goto rollback;
	pthread_mutex_unlock(&st->lock);
	if (new_state == EM_STORE_DELETED) {
		snprintf(eml, sizeof(eml), "%s.eml", id);
		if (unlinkat(st->msgfd, eml, 0) != 0 && errno != ENOENT) {
			seterr(err, errsz,
			       "record %s is deleted but msg/%s remains (%s); em_store_sweep "
			       "removes it",
			       id, eml, strerror(errno));
			return -1;
		}
		(void)fsync(st->msgfd);
	}
	return 0;
dberr:
	seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
rollback:
	sqlite3_finalize(q);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
unlock:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int em_store_expire(struct em_store *st, const char *id, time_t at, char *err, size_t errsz)
{
	sqlite3_stmt *q = NULL;
	char name[EM_STORE_ID_SIZE + 8];
	const char *state = NULL;
	int rc = -1, step;

	if (st == NULL || !em_store_id_valid(id)) {
		seterr(err, errsz, "not a record id: \"%.64s\"", id ? id : "");
		return -1;
	}
	pthread_mutex_lock(&st->lock);
	if (db_exec(st->db, "BEGIN IMMEDIATE", err, errsz))
		goto unlock;
	if (sqlite3_prepare_v2(st->db, "SELECT state FROM records WHERE id = ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	step = sqlite3_step(q);
	if (step == SQLITE_DONE) {
		seterr(err, errsz, "no record %s", id);
		rc = 1;
		goto rollback;
	}
	if (step != SQLITE_ROW)
		goto dberr;
	state = (const char *)sqlite3_column_text(q, 0);
	if (state == NULL || strcmp(state, "held") == 0) {
		seterr(err, errsz, "record %s is held; release or delete it first", id);
		goto rollback;
	}
	sqlite3_finalize(q);
	/* an expired row keeps its first time: a second run only retries the unlinks */
	if (sqlite3_prepare_v2(
		st->db, "UPDATE records SET expired_at = coalesce(expired_at, ?1) WHERE id = ?2",
		-1, &q, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(q, 1, (sqlite3_int64)at);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto dberr;
	sqlite3_finalize(q);
	q = NULL;
	if (db_exec(st->db, "COMMIT", err, errsz))
		goto rollback;
	pthread_mutex_unlock(&st->lock);
	rc = 0;
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "%s.%s", id, i ? "json" : "eml");
		if (unlinkat(st->msgfd, name, 0) != 0 && errno != ENOENT) {
			seterr(err, errsz, "record %s is expired but msg/%s remains (%s)", id, name,
			       strerror(errno));
			rc = -1;
		}
	}
	(void)fsync(st->msgfd);
	return rc;
dberr:
	seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
rollback:
	sqlite3_finalize(q);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
unlock:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* What the index says of id: 0 no row, 1 a row, 2 a deleted row, -1 error. Lock held. */
static int row_status(struct em_store *st, const char *id)
{
	sqlite3_stmt *q = NULL;
	int rc = -1, step;

	if (sqlite3_prepare_v2(st->db, "SELECT state FROM records WHERE id = ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	step = sqlite3_step(q);
	if (step == SQLITE_DONE)
		rc = 0;
	else if (step == SQLITE_ROW)
		rc = em_store_state_parse((const char *)sqlite3_column_text(q, 0)) ==
				     EM_STORE_DELETED
			     ? 2
			     : 1;
	sqlite3_finalize(q);
	return rc;
}

/* Removes old orphans in one directory; msg/ files are kept while their row needs them. */
static int sweep_dir(struct em_store *st, int dfd, int is_msg, time_t min_age, size_t *removed,
		     char *err, size_t errsz)
{
	time_t now = time(NULL);
	struct dirent *de;
	struct stat sb;
	DIR *d;
	/* A new open file description: readdir must not move a shared offset. */
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		seterr(err, errsz, "cannot read %s: %s", is_msg ? "msg/" : "tmp/",
		       strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		const char *dot = strrchr(de->d_name, '.');
		char id[EM_STORE_ID_SIZE];
		int status;

		if (de->d_name[0] == '.' || fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW))
			continue;
		if (!S_ISREG(sb.st_mode) || now - sb.st_mtime < min_age)
			continue;
		/* Only our own names: anything else in the store is not ours to remove. */
		if (dot == NULL || (size_t)(dot - de->d_name) != EM_STORE_ID_LEN ||
		    (strcmp(dot, ".eml") != 0 && strcmp(dot, ".json") != 0))
			continue;
		memcpy(id, de->d_name, EM_STORE_ID_LEN);
		id[EM_STORE_ID_LEN] = '\0';
		if (!em_store_id_valid(id))
			continue;
		if (is_msg) {
			pthread_mutex_lock(&st->lock);
			status = row_status(st, id);
			pthread_mutex_unlock(&st->lock);
			if (status < 0) {
				seterr(err, errsz, "index: %s", sqlite3_errmsg(st->db));
				rc = -1;
				break;
			}
			if (status == 1 || (status == 2 && strcmp(dot, ".json") == 0))
				continue;
		}
		if (unlinkat(dfd, de->d_name, 0) == 0)
			(*removed)++;
	}
	closedir(d);
	(void)fsync(dfd);
	return rc;
}

int em_store_sweep(struct em_store *st, time_t min_age, size_t *removed, char *err,
		   size_t errsz)
{
	size_t n = 0;
	int rc;

	if (st == NULL) {
		seterr(err, errsz, "em_store_sweep: missing argument");
		return -1;
	}
	rc = sweep_dir(st, st->tmpfd, 0, min_age, &n, err, errsz);
	if (rc == 0)
		rc = sweep_dir(st, st->msgfd, 1, min_age, &n, err, errsz);
	if (removed)
		*removed = n;
	return rc;
}

int em_audit_append(const char *path, const char *json_line, char *err, size_t errsz)
{
	size_t n;
	char *line;
	ssize_t w;
	int fd, e;

	if (path == NULL || json_line == NULL) {
		seterr(err, errsz, "em_audit_append: missing argument");
		return -1;
	}
	n = strlen(json_line);
	if (n > 0 && json_line[n - 1] == '\n')
		n--;
	/* One record per line: an embedded newline would forge a second record. */
	if (memchr(json_line, '\n', n) != NULL) {
		seterr(err, errsz, "audit line contains a newline");
		return -1;
	}
	if ((line = malloc(n + 1)) == NULL) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	memcpy(line, json_line, n);
	line[n] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, FILE_MODE);
	if (fd < 0) {
		seterr(err, errsz, "cannot open %s: %s", path, strerror(errno));
		free(line);
		return -1;
	}
	/* A single write: with O_APPEND the kernel places it whole at the end, so
	 * lines of concurrent writers never interleave. No retry on a short
	 * write: a second write could land after another writer's line. */
	w = write(fd, line, n + 1);
	e = errno;
	free(line);
	if (w != (ssize_t)(n + 1)) {
		close(fd);
		seterr(err, errsz, "cannot append to %s: %s", path,
		       w < 0 ? strerror(e) : "short write");
		return -1;
	}
	if (close(fd) != 0) {
		seterr(err, errsz, "cannot append to %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int em_store_with_db(struct em_store *st, int (*fn)(struct sqlite3 *db, void *arg), void *arg)
{
	int rc;

	pthread_mutex_lock(&st->lock);
	rc = fn(st->db, arg);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

void em_store_set_outbox(struct em_store *st, bool on)
{
	if (st != NULL)
		st->outbox = on;
}

bool em_store_outbox_on(const struct em_store *st)
{
	return st != NULL && st->outbox;
}

const char *em_store_dir(const struct em_store *st)
{
	return st->dir;
}
