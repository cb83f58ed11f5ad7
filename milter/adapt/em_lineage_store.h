/*
 * em_lineage_store - where thread lineage is kept: for every message matched
 * to an embargoed release R (held, or delivered to R's allowed recipients),
 * its keys (em_lineage.h: own Message-ID, Thread-Index GUID, attached
 * messages' Message-IDs, normalized subject), R, when, and the record id when
 * it was held. Rows expire at R's publish_at; the store is bounded.
 *
 * One interface, several back ends: struct em_lineage_backend is what a back
 * end implements (SQLite here, em_lineage_sqlite; PostgreSQL later). The
 * em_lineage_store_* functions add a mutex so one handle may be shared by
 * every milter thread. Adapter ring: no libmilter, syslog or libconfig;
 * never logs, every failure is returned with a reason.
 *
 * SQLite format (version 1), quarantine_dir/lineage.sqlite, WAL, file 0640:
 *   lineage_meta(version)               one row, 1
 *   origins(id INTEGER PRIMARY KEY, release, message_id, record, subject,
 *           action, via, at, expires, keys)   one row per (message, release);
 *           keys = the keys as text, each framed by '\n'
 *   keys(h, origin) WITHOUT ROWID       PRIMARY KEY(h, origin); h = 64-bit
 *           FNV-1a of the key; a hit is checked against origins.keys
 *   indices: keys_origin(origin), origins_expires(expires),
 *            origins_release(release)
 * A trigger deletes an origin's keys with it.
 */
#ifndef EM_LINEAGE_STORE_H
#define EM_LINEAGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../core/em_lineage.h"

#define EM_LINEAGE_FILE "lineage.sqlite"
#define EM_LINEAGE_MAX_ORIGINS 1000000 /* rows kept; the oldest go first beyond it */
#define EM_LINEAGE_HITS_PER_KEY 16     /* origins returned per looked-up key */

/* One origin to record. Strings are borrowed. */
struct em_lineage_origin {
	const char *release;	 /* the release id */
	time_t expires;		 /* the release's publish_at */
	time_t at;		 /* when the message was matched */
	const char *message_id;	 /* its own key "mid:...", or NULL */
	const char *record;	 /* quarantine record id when held, else NULL */
	const char *subject;	 /* normalized subject, or NULL */
	const char *action;	 /* what was done ("quarantine", "accept", ...) */
	const char *via;	 /* the origin it was matched through ("mid:..."
				  * or a record id), NULL for direct evidence */
	const char *const *keys; /* keys to record (em_lineage_origin_keys) */
	size_t nkeys;
};

/* One recorded origin, as `embargoctl lineage show` prints it. Owned by the row. */
struct em_lineage_row {
	long long id;
	char *release;
	char *message_id; /* "mid:..." or NULL */
	char *record;	  /* NULL when delivered */
	char *subject;
	char *action;
	char *via; /* NULL for direct evidence */
	time_t at;
	time_t expires;
	char **keys;
	size_t nkeys;
};

/* What a back end implements. h is the back end's handle. */
struct em_lineage_backend {
	const char *name;
	/* where: a directory (the file EM_LINEAGE_FILE in it) or a database
	 * file/connection string. readonly: never writes (no schema either). */
	void *(*open)(const char *where, bool readonly, char *err, size_t errsz);
	int (*record)(void *h, const struct em_lineage_origin *o, char *err, size_t errsz);
	/* em_lineage_lookup's contract (em_lineage.h), at most
	 * EM_LINEAGE_HITS_PER_KEY hits per key, newest first. */
	int (*lookup)(void *h, const char *const *keys, size_t nkeys, struct em_lineage_hit **hits,
		      size_t *nhits, char *err, size_t errsz);
	/* Rows of a release (what is a release id), or rows that hold the key
	 * what (a "mid:..." key) or were matched through it; oldest first. */
	int (*show)(void *h, const char *release, const char *key, struct em_lineage_row **rows,
		    size_t *nrows, char *err, size_t errsz);
	/* Deletes rows with expires <= now, then the oldest beyond max_origins,
	 * at most slice rows of each (bounds the time one call takes). */
	int (*expire)(void *h, time_t now, size_t max_origins, size_t slice, size_t *removed,
		      char *err, size_t errsz);
	void (*close)(void *h);
};

extern const struct em_lineage_backend em_lineage_sqlite;

struct em_lineage_store;

/*
 * Opens the SQLite store under dir (a quarantine_dir; or a path to a
 * lineage.sqlite file). readonly: for `embargoctl scan --lineage`; a missing
 * file is then an error. Returns NULL with a reason in err. Close with
 * em_lineage_store_close (accepts NULL).
 */
struct em_lineage_store *em_lineage_store_open(const char *dir, bool readonly, char *err,
					       size_t errsz);
void em_lineage_store_close(struct em_lineage_store *st);

/*
 * Records o. Every EM_LINEAGE_EXPIRE_EVERY records, also expires (at o->at,
 * bounded by EM_LINEAGE_MAX_ORIGINS), at most EM_LINEAGE_EXPIRE_SLICE rows at a
 * time, so a release published with many origins is cleaned up over the next
 * records instead of in one long transaction. Returns 0 or -1 with a reason
 * in err.
 */
int em_lineage_store_record(struct em_lineage_store *st, const struct em_lineage_origin *o,
			    char *err, size_t errsz);
#define EM_LINEAGE_EXPIRE_EVERY 256
#define EM_LINEAGE_EXPIRE_SLICE 512

/* See struct em_lineage_backend; expire here removes everything due at once
 * (no slice), for tools and tests. */
int em_lineage_store_lookup(struct em_lineage_store *st, const char *const *keys, size_t nkeys,
			    struct em_lineage_hit **hits, size_t *nhits, char *err, size_t errsz);
int em_lineage_store_show(struct em_lineage_store *st, const char *release, const char *key,
			  struct em_lineage_row **rows, size_t *nrows, char *err, size_t errsz);
int em_lineage_store_expire(struct em_lineage_store *st, time_t now, size_t max_origins,
			    size_t *removed, char *err, size_t errsz);

/* Frees n rows and the array; accepts NULL. */
void em_lineage_rows_free(struct em_lineage_row *rows, size_t n);

/*
 * The scan's view of st (em_scan_set_lineage): lookup calls
 * em_lineage_store_lookup. st must outlive every scan given it.
 */
struct em_lineage_lookup em_lineage_store_lookup_ops(struct em_lineage_store *st);

#endif
