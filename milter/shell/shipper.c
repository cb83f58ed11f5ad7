/*
 * shipper - the relay's copy to the shared store (see shipper.h).
 *
 * Order of one cycle: outbox rows (oldest first, batches of BATCH in one
 * PostgreSQL transaction, deleted locally only after COMMIT), new audit-log
 * lines (position kept in ship_state after COMMIT), the relay's status row,
 * requests for this relay, other relays' lineage. A failure anywhere ends
 * the cycle and the next one starts after the backoff; nothing is lost, and
 * what was sent before a crash is sent again under the same key (ON
 * CONFLICT DO NOTHING), so nothing is duplicated.
 *
 * The thread has its own SQLite connections (store and lineage): shipping
 * never holds a lock that a milter thread waits for.
 */
#define _GNU_SOURCE
#include "shipper.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../adapt/em_control.h"
#include "../adapt/em_lineage_store.h"
#include "../adapt/em_outbox.h"
#include "../adapt/em_pg.h"
#include "../adapt/em_requests.h"
#include "../adapt/em_store.h"
#include "../core/em_latency.h"
#include "../core/em_rules.h"
#include "control.h"
#include "log.h"

#define BATCH 100
#define BATCHES_PER_CYCLE 20
#define AUDIT_CHUNK (1024 * 1024)
#define LINEAGE_PULL 500
#define POLL_MS 1000
#define BACKOFF_BASE_MS 500
#define BACKOFF_MAX_MS 30000

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t tid;
	bool running, stop;
	struct em_rules_ref *rules;
	/* status, under mu */
	char relay[256];
	bool connected;
	long long backlog, shipped;
	time_t oldest, last_ship, last_error_at, started;
	char last_error[512];
	/* time from an outbox row's insertion to its batch's COMMIT in PostgreSQL */
	struct em_latency lag;
} sh = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* What a cycle needs from the live config, copied. */
struct snap {
	char *conninfo, *qdir, *audit_log, *releases;
	char relay[256];
	char rules_hash[17]; /* em_control_rules_hash of the live set */
	time_t loaded_at;
};

/* The live set's rules hash, recomputed only after a (re)load. Thread only. */
static char cached_hash[17];
static time_t cached_loaded = -1;

static void snap_free(struct snap *s)
{
	free(s->conninfo);
	free(s->qdir);
	free(s->audit_log);
	free(s->releases);
	memset(s, 0, sizeof(*s));
}

static int snap_take(struct snap *s)
{
	struct em_rset *rs = em_rules_ref_acquire(sh.rules);
	const struct em_rules *r = rs->obj;
	const struct em_config *cfg = em_rules_config(r);
	json_t *ids = json_array();
	int rc = -1;

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; ids && i < em_rules_count(r); i++)
		json_array_append_new(ids, json_string(em_rules_release(r, i)->id));
	{
		char live[17], why[256];

		em_control_rules(live, &s->loaded_at);
		if (s->loaded_at != cached_loaded) {
			if (em_control_rules_hash(cfg, cached_hash, why, sizeof(why)) < 0) {
				em_log(LOG_WARNING, "shared store: rules hash: %s", why);
				cached_hash[0] = '\0';
			}
			cached_loaded = s->loaded_at;
		}
		memcpy(s->rules_hash, cached_hash, sizeof(cached_hash));
	}
	if (cfg->store != NULL && em_pg_relay_id(cfg->relay_id, s->relay, sizeof(s->relay)) == 0 &&
	    (s->conninfo = strdup(cfg->store)) != NULL &&
	    (s->qdir = strdup(cfg->quarantine_dir)) != NULL &&
	    (s->audit_log = strdup(cfg->audit_log)) != NULL && ids &&
	    (s->releases = json_dumps(ids, JSON_COMPACT)) != NULL)
		rc = 0;
	em_rules_ref_release(sh.rules, rs);
	json_decref(ids);
	if (rc < 0)
		snap_free(s);
	return rc;
}

/* The handles the thread keeps between cycles. */
struct conn {
	struct em_pg *pg;
	char *conninfo;
	struct em_store *st;
	struct em_lineage_store *lin;
	char *qdir;
};

static void conn_close(struct conn *c)
{
	em_pg_close(c->pg);
	em_store_close(c->st);
	em_lineage_store_close(c->lin);
	free(c->conninfo);
	free(c->qdir);
	memset(c, 0, sizeof(*c));
}

static int conn_ready(struct conn *c, const struct snap *s, char *err, size_t errsz)
{
	if (c->conninfo && strcmp(c->conninfo, s->conninfo) != 0) {
		em_pg_close(c->pg);
		c->pg = NULL;
		free(c->conninfo);
		c->conninfo = NULL;
	}
	if (c->qdir && strcmp(c->qdir, s->qdir) != 0) {
		em_store_close(c->st);
		em_lineage_store_close(c->lin);
		c->st = NULL;
		c->lin = NULL;
		free(c->qdir);
		c->qdir = NULL;
	}
	if (c->pg == NULL) {
		if ((c->pg = em_pg_new(s->conninfo)) == NULL ||
		    (c->conninfo = strdup(s->conninfo)) == NULL) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
	}
	if (c->qdir == NULL && (c->qdir = strdup(s->qdir)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	if (c->st == NULL && (c->st = em_store_open(s->qdir, err, errsz)) == NULL)
		return -1;
	if (c->lin == NULL && (c->lin = em_lineage_store_open(s->qdir, false, err, errsz)) == NULL)
		return -1;
	return 0;
}

/* Reads a whole file up to max bytes; *len, *size (the file's size, -1 when absent). */
static char *slurp(const char *path, size_t max, size_t *len, long long *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	char *b = NULL;
	size_t n = 0;

	*len = 0;
	*size = -1;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) == 0) {
		*size = (long long)sb.st_size;
		if ((size_t)sb.st_size <= max && (b = malloc((size_t)sb.st_size + 1)) != NULL) {
			while (n < (size_t)sb.st_size) {
				ssize_t r = read(fd, b + n, (size_t)sb.st_size - n);

				if (r <= 0)
					break;
				n += (size_t)r;
			}
			b[n] = '\0';
			*len = n;
		}
	}
	close(fd);
	return b;
}

static char *strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	char *s;

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	s = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return s;
}

static int ship_record(struct conn *c, const char *relay, const char *id, char *err, size_t errsz)
{
	struct em_store_row *row = NULL;
	char *rc_ = NULL, *bl = NULL, *rel = NULL, *doc = NULL, *eml = NULL;
	size_t dl, el;
	long long ds, es;
	int rc = em_store_get(c->st, id, &row, err, errsz);

	if (rc == 1)
		return 0; /* no such record (cannot happen: the row came with it) */
	if (rc < 0)
		return -1;
	rc = -1;
	doc = slurp(row->json_path, EM_PG_BODY_MAX, &dl, &ds);
	eml = slurp(row->eml_path, EM_PG_BODY_MAX, &el, &es);
	if ((rc_ = strv_json(row->rcpts, row->nrcpts)) &&
	    (bl = strv_json(row->blocked, row->nblocked)) &&
	    (rel = strv_json(row->releases, row->nreleases))) {
		struct em_pg_record r = {
		    .id = row->id,
		    .created = row->created,
		    .sender = row->sender,
		    .recipients = rc_,
		    .blocked = bl,
		    .releases = rel,
		    .publish_at = row->publish_at,
		    .queue_id = row->queue_id,
		    .action_taken = row->action_taken,
		    .state = em_store_state_name(row->state),
		    .state_by = row->state_by,
		    .state_at = row->state_at,
		    .subject = row->subject,
		    .message_id = row->message_id,
		    .doc = doc,
		    .eml = eml,
		    .eml_len = el,
		    .eml_size = es,
		};
		rc = em_pg_put_record(c->pg, relay, &r, NULL, err, errsz);
	} else {
		snprintf(err, errsz, "out of memory");
	}
	free(rc_);
	free(bl);
	free(rel);
	free(doc);
	free(eml);
	em_store_row_free(row);
	return rc;
}

static int ship_state(struct conn *c, const char *relay, const struct em_outbox_item *it, char *err,
		      size_t errsz)
{
	json_t *o = it->payload ? json_loads(it->payload, 0, NULL) : NULL;
	const char *state = json_string_value(json_object_get(o, "state"));
	int rc;

	if (state == NULL) {
		json_decref(o);
		return 0; /* not ours to understand: dropped, not retried forever */
	}
	rc = em_pg_put_state(c->pg, relay, it->ref, state,
			     json_string_value(json_object_get(o, "by")),
			     (long long)json_integer_value(json_object_get(o, "at")), err, errsz);
	json_decref(o);
	return rc;
}

static char *keys_text(json_t *keys)
{
	size_t cap = 2, i;
	json_t *k;
	char *s;

	json_array_foreach(keys, i, k) cap +=
	    strlen(json_string_value(k) ? json_string_value(k) : "") + 1;
	if ((s = malloc(cap)) == NULL)
		return NULL;
	strcpy(s, "\n");
	json_array_foreach(keys, i, k)
	{
		if (json_string_value(k)) {
			strcat(s, json_string_value(k));
			strcat(s, "\n");
		}
	}
	return s;
}

static int ship_lineage(struct conn *c, const char *relay, const struct em_outbox_item *it,
			char *err, size_t errsz)
{
	json_t *o = it->payload ? json_loads(it->payload, 0, NULL) : NULL;
	struct em_pg_lineage l = {0};
	char *keys;
	int rc;

#define S(k) json_string_value(json_object_get(o, k))
	if (o == NULL || S("release") == NULL) {
		json_decref(o);
		return 0;
	}
	if ((keys = keys_text(json_object_get(o, "keys"))) == NULL) {
		json_decref(o);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	l.key = it->ref;
	l.release = S("release");
	l.message_id = S("message_id");
	l.record = S("record");
	l.subject = S("subject");
	l.action = S("action");
	l.via = S("via");
	l.at = (long long)json_integer_value(json_object_get(o, "at"));
	l.expires = (long long)json_integer_value(json_object_get(o, "expires"));
	l.keys = keys;
#undef S
	rc = em_pg_put_lineage(c->pg, relay, &l, err, errsz);
	free(keys);
	json_decref(o);
	return rc;
}

static int ship_confirm(struct conn *c, const char *relay, const struct em_outbox_item *it,
			char *err, size_t errsz)
{
	json_t *o = it->payload ? json_loads(it->payload, 0, NULL) : NULL;
	struct em_pg_confirm k = {0};
	int rc;

	k.record_id = it->ref;
	k.sender = json_string_value(json_object_get(o, "sender"));
	k.salt = json_string_value(json_object_get(o, "salt"));
	k.hash = json_string_value(json_object_get(o, "hash"));
	k.created = (long long)json_integer_value(json_object_get(o, "created"));
	k.expires = (long long)json_integer_value(json_object_get(o, "expires"));
	if (k.sender == NULL || k.salt == NULL || k.hash == NULL) {
		json_decref(o);
		return 0; /* not ours to understand: dropped, not retried forever */
	}
	rc = em_pg_put_confirm(c->pg, relay, &k, err, errsz);
	json_decref(o);
	return rc;
}

static int ship_confirm_used(struct conn *c, const char *relay, const struct em_outbox_item *it,
			     char *err, size_t errsz)
{
	json_t *o = it->payload ? json_loads(it->payload, 0, NULL) : NULL;
	int rc = em_pg_confirm_used(c->pg, relay, it->ref,
				    (long long)json_integer_value(json_object_get(o, "at")),
				    json_string_value(json_object_get(o, "by")), err, errsz);

	json_decref(o);
	return rc;
}

static long long wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_shipped(long long n)
{
	pthread_mutex_lock(&sh.mu);
	sh.shipped += n;
	pthread_mutex_unlock(&sh.mu);
}

/* Ships outbox batches. Returns 0 or -1. */
static int ship_outbox(struct conn *c, const char *relay, char *err, size_t errsz)
{
	for (int b = 0; b < BATCHES_PER_CYCLE; b++) {
		struct em_outbox_item *it = NULL;
		long long seqs[BATCH], queued[BATCH], done_ms;
		size_t n = 0;
		int rc = 0;

		if (em_outbox_peek(c->st, BATCH, &it, &n, err, errsz) < 0)
			return -1;
		if (n == 0) {
			em_outbox_items_free(it, n);
			return 0;
		}
		if (em_pg_begin(c->pg, err, errsz) < 0) {
			em_outbox_items_free(it, n);
			return -1;
		}
		for (size_t i = 0; rc == 0 && i < n; i++) {
			seqs[i] = it[i].seq;
			queued[i] = it[i].queued_ms;
			if (strcmp(it[i].kind, "record") == 0)
				rc = ship_record(c, relay, it[i].ref, err, errsz);
			else if (strcmp(it[i].kind, "state") == 0)
				rc = ship_state(c, relay, &it[i], err, errsz);
			else if (strcmp(it[i].kind, "lineage") == 0)
				rc = ship_lineage(c, relay, &it[i], err, errsz);
			else if (strcmp(it[i].kind, "confirm") == 0)
				rc = ship_confirm(c, relay, &it[i], err, errsz);
			else if (strcmp(it[i].kind, "confirm-used") == 0)
				rc = ship_confirm_used(c, relay, &it[i], err, errsz);
		}
		em_outbox_items_free(it, n);
		if (rc < 0) {
			em_pg_rollback(c->pg);
			return -1;
		}
		if (em_pg_commit(c->pg, err, errsz) < 0)
			return -1;
		done_ms = wall_ms();
		for (size_t i = 0; i < n; i++)
			if (queued[i] > 0 && done_ms >= queued[i])
				em_latency_add(&sh.lag, (uint64_t)(done_ms - queued[i]) * 1000);
		/* a crash here ships the batch again: the keys make that a no-op */
		if (em_outbox_done(c->st, seqs, n, err, errsz) < 0)
			return -1;
		set_shipped((long long)n);
		if (n < BATCH)
			return 0;
	}
	return 0;
}

/* The time of an audit line: its "at" (unix seconds or RFC 3339), else now. */
static long long line_time(const char *line, size_t len)
{
	json_t *o = json_loadb(line, len, 0, NULL), *at = json_object_get(o, "at");
	long long t = (long long)time(NULL);

	if (json_is_integer(at)) {
		t = (long long)json_integer_value(at);
	} else if (json_is_string(at)) {
		struct tm tm = {0};
		const char *e = strptime(json_string_value(at), "%Y-%m-%dT%H:%M:%S", &tm);

		if (e != NULL)
			t = (long long)timegm(&tm);
	}
	json_decref(o);
	return t;
}

/* Ships audit-log lines written since the last position. Returns 0 or -1. */
static int ship_audit(struct conn *c, const char *relay, const char *path, char *err, size_t errsz)
{
	char pos[64], val[64];
	unsigned long long ino = 0, off = 0;
	struct stat sb;
	int fd, rc = 0;
	char *buf;

	if (em_ship_state_get(c->st, "audit", pos, sizeof(pos), err, errsz) < 0)
		return -1;
	if (pos[0] && sscanf(pos, "%llu %llu", &ino, &off) != 2)
		ino = off = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT
			   ? 0
			   : (snprintf(err, errsz, "%s: %s", path, strerror(errno)), -1);
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return 0;
	}
	if ((unsigned long long)sb.st_ino != ino || (unsigned long long)sb.st_size < off)
		off = 0; /* a new (rotated) log: from its start */
	ino = (unsigned long long)sb.st_ino;
	if ((buf = malloc(AUDIT_CHUNK)) == NULL) {
		close(fd);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	while (rc == 0 && off < (unsigned long long)sb.st_size) {
		ssize_t got = pread(fd, buf, AUDIT_CHUNK, (off_t)off);
		size_t p = 0, used = 0;

		if (got <= 0)
			break;
		if (em_pg_begin(c->pg, err, errsz) < 0) {
			rc = -1;
			break;
		}
		while (rc == 0 && p < (size_t)got) {
			char *nl = memchr(buf + p, '\n', (size_t)got - p), key[EM_OUTBOX_KEY_SIZE];
			size_t len;

			if (nl == NULL)
				break; /* a line still being written: next time */
			len = (size_t)(nl - (buf + p));
			if (len > 0) {
				em_outbox_audit_key(ino, off + p, buf + p, len, key);
				*nl = '\0';
				rc = em_pg_put_audit(c->pg, relay, key, line_time(buf + p, len),
						     buf + p, err, errsz);
			}
			p += len + 1;
			used = p;
		}
		if (rc < 0) {
			em_pg_rollback(c->pg);
			break;
		}
		if (used == 0) {
			em_pg_rollback(c->pg);
			if ((size_t)got == AUDIT_CHUNK) /* one line longer than a chunk: skip it */
				off += (unsigned long long)got;
			break;
		}
		if (em_pg_commit(c->pg, err, errsz) < 0) {
			rc = -1;
			break;
		}
		off += used;
		snprintf(val, sizeof(val), "%llu %llu", ino, off);
		if (em_ship_state_set(c->st, "audit", val, err, errsz) < 0)
			rc = -1;
	}
	free(buf);
	close(fd);
	return rc;
}

/* Writes quarantine_dir/requests.pending (the path unit starts the root job). */
static void poke_request_job(const char *qdir)
{
	char path[4096], stamp[32];
	int fd;

	snprintf(path, sizeof(path), "%s/requests.pending", qdir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return; /* the timer runs the job every minute anyway */
	snprintf(stamp, sizeof(stamp), "%ld\n", (long)time(NULL));
	if (write(fd, stamp, strlen(stamp)) < 0)
		em_log(LOG_WARNING, "%s: %m", path);
	close(fd);
}

/* Requests addressed to this relay: into the local table, and outcomes back. */
static int do_requests(struct conn *c, const char *relay, const char *qdir, char *err, size_t errsz)
{
	struct em_pg_request *rq = NULL;
	struct em_request *loc = NULL;
	size_t n = 0, nl = 0;
	bool poke = false;
	int rc = 0;

	if (em_pg_requests_open(c->pg, relay, &rq, &n, err, errsz) < 0)
		return -1;
	if (n > 0 && em_requests_list(c->st, NULL, &loc, &nl, err, errsz) < 0) {
		em_pg_requests_free(rq, n);
		return -1;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct em_request *l = NULL;

		for (size_t j = 0; j < nl; j++)
			if (strcmp(loc[j].id, rq[i].id) == 0)
				l = &loc[j];
		if (l == NULL) {
			char via[300];
			int r;

			snprintf(via, sizeof(via), "relay:%s",
				 rq[i].requested_from ? rq[i].requested_from : "?");
			r = em_request_import(c->st, rq[i].id, rq[i].record_id, rq[i].action,
					      rq[i].requested_by, via, rq[i].reason,
					      (time_t)rq[i].requested_at, err, errsz);
			if (r < 0) {
				/* a bad request fails in the shared store, not forever here */
				rc = em_pg_request_set(c->pg, rq[i].id, "failed", err, time(NULL),
						       err, errsz);
				continue;
			}
			em_log(
			    LOG_INFO,
			    "request %s from relay %s: %s record %s (queued for the request job)",
			    rq[i].id, rq[i].requested_from ? rq[i].requested_from : "?",
			    rq[i].action, rq[i].record_id);
			poke = true;
			/* a reply accepted on another relay spent this relay's code there */
			if (strcmp(rq[i].action, "release") == 0 && rq[i].via != NULL &&
			    (strcmp(rq[i].via, "mail-reply") == 0 ||
			     strcmp(rq[i].via, "confirm-page") == 0) &&
			    em_confirm_mark_used(c->st, rq[i].record_id, time(NULL), err, errsz) <
				0)
				em_log(LOG_WARNING, "request %s: confirmation code of %s: %s",
				       rq[i].id, rq[i].record_id, err);
			if (strcmp(rq[i].state, "running") != 0)
				rc = em_pg_request_set(c->pg, rq[i].id, "running", NULL, 0, err,
						       errsz);
		} else if (strcmp(l->state, "done") == 0 || strcmp(l->state, "failed") == 0) {
			rc = em_pg_request_set(c->pg, rq[i].id, l->state, l->outcome,
					       (long long)l->done_at, err, errsz);
		} else if (strcmp(rq[i].state, "pending") == 0) {
			rc = em_pg_request_set(c->pg, rq[i].id, "running", NULL, 0, err, errsz);
		}
	}
	if (poke)
		poke_request_job(qdir);
	em_requests_free(loc, nl);
	em_pg_requests_free(rq, n);
	return rc;
}

/* Other relays' lineage into the local store (what the mail path reads). */
static int pull_lineage(struct conn *c, const char *relay, char *err, size_t errsz)
{
	char pos[32], val[32];
	long long wm = 0;
	struct em_pg_lineage *rows = NULL;
	size_t n = 0;
	int rc = 0;

	if (em_ship_state_get(c->st, "lineage_seq", pos, sizeof(pos), err, errsz) < 0)
		return -1;
	wm = pos[0] ? atoll(pos) : 0;
	if (em_pg_lineage_since(c->pg, relay, wm, LINEAGE_PULL, &rows, &n, err, errsz) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct em_pg_lineage *x = &rows[i];
		const char *keys[64];
		size_t nk = 0;
		char *kt = x->keys ? strdup(x->keys) : NULL, *save = NULL;

		for (char *k = kt ? strtok_r(kt, "\n", &save) : NULL; k && nk < 64;
		     k = strtok_r(NULL, "\n", &save))
			keys[nk++] = k;
		if (nk > 0) {
			struct em_lineage_origin o = {
			    .release = x->release,
			    .expires = (time_t)x->expires,
			    .at = (time_t)x->at,
			    .message_id = x->message_id,
			    .record = x->record,
			    .subject = x->subject,
			    .action = x->action,
			    .via = x->via,
			    .keys = keys,
			    .nkeys = nk,
			};
			rc = em_lineage_store_record(c->lin, &o, err, errsz);
		}
		free(kt);
		wm = x->seq;
	}
	em_pg_lineage_free(rows, n);
	if (n > 0) {
		snprintf(val, sizeof(val), "%lld", wm);
		if (em_ship_state_set(c->st, "lineage_seq", val, err, errsz) < 0)
			rc = -1;
	}
	return rc;
}

static int put_status(struct conn *c, const struct snap *s, char *err, size_t errsz)
{
	time_t oldest = 0, last;
	long long backlog = 0;
	struct em_pg_relay r;

	if (em_outbox_backlog(c->st, &backlog, &oldest, err, errsz) < 0)
		return -1;
	pthread_mutex_lock(&sh.mu);
	sh.backlog = backlog;
	sh.oldest = oldest;
	last = sh.last_ship;
	pthread_mutex_unlock(&sh.mu);
	r = (struct em_pg_relay){
	    .relay_id = s->relay,
	    .program_version = EM_VERSION,
	    .rules_hash = s->rules_hash,
	    .rules_releases = s->releases,
	    .rules_loaded_at = (long long)s->loaded_at,
	    .backlog = backlog,
	    .last_ship = (long long)last,
	    .last_contact = (long long)time(NULL),
	    .started_at = (long long)sh.started,
	};
	return em_pg_put_relay(c->pg, &r, err, errsz);
}

static int cycle(struct conn *c, const struct snap *s, char *err, size_t errsz)
{
	long long backlog = 0;
	time_t oldest = 0;

	if (conn_ready(c, s, err, errsz) < 0)
		goto fail;
	/* the backlog is known even while PostgreSQL is down */
	if (em_outbox_backlog(c->st, &backlog, &oldest, err, errsz) == 0) {
		pthread_mutex_lock(&sh.mu);
		sh.backlog = backlog;
		sh.oldest = oldest;
		pthread_mutex_unlock(&sh.mu);
	}
	if (em_pg_connect(c->pg, err, errsz) < 0 || ship_outbox(c, s->relay, err, errsz) < 0 ||
	    ship_audit(c, s->relay, s->audit_log, err, errsz) < 0)
		goto fail;
	pthread_mutex_lock(&sh.mu);
	sh.last_ship = time(NULL);
	sh.connected = true;
	pthread_mutex_unlock(&sh.mu);
	if (put_status(c, s, err, errsz) < 0 || do_requests(c, s->relay, s->qdir, err, errsz) < 0 ||
	    pull_lineage(c, s->relay, err, errsz) < 0)
		goto fail;
	return 0;
fail:
	pthread_mutex_lock(&sh.mu);
	sh.connected = false;
	snprintf(sh.last_error, sizeof(sh.last_error), "%s", err);
	sh.last_error_at = time(NULL);
	pthread_mutex_unlock(&sh.mu);
	return -1;
}

static void *ship_thread(void *arg)
{
	struct conn c = {0};
	unsigned attempt = 0;
	bool was_failing = false;

	(void)arg;
	for (;;) {
		struct snap s;
		char err[512] = "";
		unsigned wait_ms = POLL_MS;
		struct timespec until;

		if (snap_take(&s) == 0) {
			if (cycle(&c, &s, err, sizeof(err)) == 0) {
				if (was_failing)
					em_log(LOG_INFO, "shared store: shipping again");
				was_failing = false;
				attempt = 0;
			} else {
				unsigned char j = 0;

				if (!was_failing)
					em_log(LOG_WARNING,
					       "shared store: %s (records queue locally; retrying)",
					       err);
				was_failing = true;
				if (getrandom(&j, 1, GRND_NONBLOCK) != 1)
					j = 0;
				wait_ms = em_pg_backoff_ms(++attempt, BACKOFF_BASE_MS,
							   BACKOFF_MAX_MS, j / 256.0);
			}
			snap_free(&s);
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += wait_ms / 1000;
		until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&sh.mu);
		while (!sh.stop && pthread_cond_timedwait(&sh.cv, &sh.mu, &until) != ETIMEDOUT)
			;
		if (sh.stop) {
			pthread_mutex_unlock(&sh.mu);
			break;
		}
		pthread_mutex_unlock(&sh.mu);
	}
	conn_close(&c);
	return NULL;
}

int em_shipper_start(struct em_rules_ref *rules)
{
	struct em_rset *rs = em_rules_ref_acquire(rules);
	const struct em_config *cfg = em_rules_config(rs->obj);
	bool want = cfg->store != NULL;
	int rc = 0;

	if (want && em_pg_relay_id(cfg->relay_id, sh.relay, sizeof(sh.relay)) < 0) {
		em_log(LOG_ERR, "shared store: no relay_id and no host name");
		want = false;
		rc = -1;
	}
	em_rules_ref_release(rules, rs);
	if (!want)
		return rc;
	sh.rules = rules;
	sh.started = time(NULL);
	sh.stop = false;
	if (pthread_create(&sh.tid, NULL, ship_thread, NULL) != 0) {
		em_log(LOG_ERR, "shared store: cannot start the shipper thread");
		return -1;
	}
	sh.running = true;
	em_log(LOG_INFO, "shared store: shipping as relay %s", sh.relay);
	return 0;
}

void em_shipper_stop(void)
{
	if (!sh.running)
		return;
	pthread_mutex_lock(&sh.mu);
	sh.stop = true;
	pthread_cond_broadcast(&sh.cv);
	pthread_mutex_unlock(&sh.mu);
	pthread_join(sh.tid, NULL);
	sh.running = false;
}

static json_t *jtime(time_t t)
{
	char b[32];
	struct tm tm;

	if (t == 0)
		return json_null();
	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(b);
}

void em_shipper_status(json_t *o)
{
	json_t *s;

	if (!sh.running)
		return;
	if ((s = json_object()) == NULL)
		return;
	pthread_mutex_lock(&sh.mu);
	json_object_set_new(s, "relay_id", json_string(sh.relay));
	json_object_set_new(s, "connected", json_boolean(sh.connected));
	json_object_set_new(s, "backlog", json_integer(sh.backlog));
	json_object_set_new(s, "oldest_queued_at", jtime(sh.oldest));
	json_object_set_new(s, "last_ship", jtime(sh.last_ship));
	json_object_set_new(s, "shipped", json_integer(sh.shipped));
	json_object_set_new(s, "last_error",
			    sh.last_error[0] ? json_string(sh.last_error) : json_null());
	json_object_set_new(s, "last_error_at", jtime(sh.last_error_at));
	pthread_mutex_unlock(&sh.mu);
	/* outbox row inserted -> its batch committed in PostgreSQL, since start */
	json_object_set_new(s, "ship_lag_count",
			    json_integer((json_int_t)em_latency_total(&sh.lag)));
	json_object_set_new(s, "ship_lag_p95_ms",
			    json_integer((json_int_t)(em_latency_quantile(&sh.lag, 0.95) / 1000)));
	json_object_set_new(
	    s, "ship_lag_max_ms",
	    json_integer((json_int_t)(__atomic_load_n(&sh.lag.max_us, __ATOMIC_RELAXED) / 1000)));
	json_object_set_new(o, "shared_store", s);
}
