/*
 * lineage - the daemon's lineage store handle (see lineage.h).
 *
 * Two SQLite connections for every milter thread: lookups share the reader
 * (a few indexed point queries, ~70 us; `make bench` measures p50/p99),
 * records share the writer; each is serialised by its own mutex.
 */
#define _GNU_SOURCE
#include "lineage.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../adapt/em_lineage_store.h"
#include "../adapt/em_outbox.h"
#include "log.h"
#include "record.h"

/* The handles for one quarantine_dir: a writer and a read-only reader, so a
 * slow write (a WAL checkpoint, an expiry slice) never delays a lookup in
 * another thread (WAL readers do not wait for the writer). Once both are
 * open they stay valid until exit: a reload that moves quarantine_dir
 * retires them instead of closing them under a lookup in flight. */
struct handles {
	char *dir;
	struct em_lineage_store *rd, *wr;
	struct handles *next; /* retired ones */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct handles *cur, *retired;
static time_t last_open_error;

static struct handles *get_handles(const char *qdir, char *err, size_t errsz)
{
	struct handles *h = NULL;
	time_t now = time(NULL);

	pthread_mutex_lock(&mu);
	if (cur != NULL && strcmp(cur->dir, qdir) != 0) {
		/* around a reload, messages of the old and the new rules alternate:
		 * a retired pair for this directory is taken back, not reopened */
		struct handles **pp = &retired, *back = NULL;

		for (; *pp != NULL; pp = &(*pp)->next)
			if (strcmp((*pp)->dir, qdir) == 0) {
				back = *pp;
				*pp = back->next;
				break;
			}
		cur->next = retired;
		retired = cur;
		cur = back;
		if (cur != NULL)
			cur->next = NULL;
	}
	if (cur == NULL && (cur = calloc(1, sizeof(*cur))) != NULL &&
	    (cur->dir = strdup(qdir)) == NULL) {
		free(cur);
		cur = NULL;
	}
	if (cur == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	/* retried on every message until it works: a fixed directory heals */
	if (cur->wr == NULL)
		cur->wr = em_lineage_store_open(qdir, false, err, errsz);
	if (cur->wr != NULL && cur->rd == NULL)
		cur->rd = em_lineage_store_open(qdir, true, err, errsz);
	if (cur->wr != NULL && cur->rd != NULL)
		h = cur;
	else if (now - last_open_error >= 60) {
		last_open_error = now; /* once a minute is enough in the log */
		em_log(LOG_ERR, "thread lineage store in %s: %s", qdir, err);
	}
out:
	pthread_mutex_unlock(&mu);
	return h;
}

static int lookup(void *ctx, const char *const *keys, size_t nkeys, struct em_lineage_hit **hits,
		  size_t *nhits, char *err, size_t errsz)
{
	struct handles *h = get_handles(ctx, err, errsz);

	*hits = NULL;
	*nhits = 0;
	return h ? em_lineage_store_lookup(h->rd, keys, nkeys, hits, nhits, err, errsz) : -1;
}

void em_shell_lineage_bind(struct em_scan *scan, const char *qdir)
{
	/* qdir belongs to the message's rule set, alive until the scan ends */
	struct em_lineage_lookup lk = {.ctx = (void *)qdir, .lookup = lookup};

	em_scan_set_lineage(scan, qdir ? &lk : NULL);
}

struct outbox_arg {
	const char *payload;
	char err[256];
};

static int outbox_fn(struct em_store *st, void *p)
{
	struct outbox_arg *a = p;
	char key[40];

	if (em_outbox_random_key("l-", key, sizeof(key)) < 0) {
		snprintf(a->err, sizeof(a->err), "getrandom failed");
		return -1;
	}
	return em_outbox_add(st, "lineage", key, a->payload, time(NULL), a->err, sizeof(a->err));
}

/* Queues an origin for the shared store (local SQLite only: no network). */
static void outbox_origin(const char *qdir, const struct em_lineage_origin *o, const char *qid)
{
	json_t *keys = json_array(), *j;
	struct outbox_arg a = {NULL, ""};
	char *s = NULL, err[256] = "";

	for (size_t i = 0; keys && i < o->nkeys; i++)
		json_array_append_new(keys, json_string(o->keys[i]));
	j = json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:I,s:I,s:o}", "release", o->release,
		      "message_id", o->message_id, "record", o->record, "subject", o->subject,
		      "action", o->action, "via", o->via, "at", (json_int_t)o->at, "expires",
		      (json_int_t)o->expires, "keys", keys ? keys : json_array());
	if (j == NULL || (s = json_dumps(j, JSON_COMPACT)) == NULL) {
		em_log(LOG_ERR, "%s: lineage not queued for the shared store: out of memory", qid);
	} else {
		a.payload = s;
		if (em_record_with_store(qdir, outbox_fn, &a, err, sizeof(err)) < 0)
			em_log(LOG_ERR, "%s: lineage not queued for the shared store: %s", qid,
			       a.err[0] ? a.err : err);
	}
	free(s);
	json_decref(j);
}

void em_shell_lineage_record(const char *qdir, const struct em_scan *scan,
			     const struct em_verdict *v, const struct em_act_out *out, time_t now,
			     const char *qid)
{
	const struct em_lineage *l = em_scan_lineage(scan);
	const struct em_lineage_key *k;
	const char **keys;
	size_t nk;
	char err[256] = "";
	struct handles *h;

	if (qdir == NULL || v == NULL || v->nreleases == 0 || out->taken == EM_TEMPFAIL)
		return;
	k = em_lineage_origin_keys(l, &nk);
	if (nk == 0)
		return; /* nothing a reply could point at */
	if ((keys = calloc(nk, sizeof(*keys))) == NULL) {
		em_log(LOG_ERR, "%s: lineage not recorded: out of memory", qid);
		return;
	}
	for (size_t i = 0; i < nk; i++)
		keys[i] = k[i].key;
	h = get_handles(qdir, err, sizeof(err));
	for (size_t i = 0; h != NULL && i < v->nreleases; i++) {
		const struct em_release_verdict *r = &v->releases[i];
		struct em_lineage_origin o = {
		    .release = r->id,
		    .expires = r->publish_at,
		    .at = now,
		    .message_id = em_lineage_own_id(l),
		    .record = out->record[0] ? out->record : NULL,
		    .subject = em_lineage_norm_subject(l),
		    .action = em_action_name(out->taken),
		    .via = em_scan_lineage_via(scan, r->id),
		    .keys = keys,
		    .nkeys = nk,
		};
		if (em_lineage_store_record(h->wr, &o, err, sizeof(err)) < 0)
			break;
		if (em_record_outbox())
			outbox_origin(qdir, &o, qid);
	}
	if (err[0])
		em_log(LOG_ERR, "%s: lineage not recorded: %s", qid, err);
	free(keys);
}

void em_shell_lineage_close(void)
{
	pthread_mutex_lock(&mu);
	if (cur != NULL) {
		cur->next = retired;
		retired = cur;
		cur = NULL;
	}
	while (retired != NULL) {
		struct handles *n = retired->next;
		em_lineage_store_close(retired->rd);
		em_lineage_store_close(retired->wr);
		free(retired->dir);
		free(retired);
		retired = n;
	}
	pthread_mutex_unlock(&mu);
}
