/*
 * lineage - the daemon's lineage store handle (see lineage.h).
 *
 * One handle for every milter thread, behind one mutex: a lookup is a few
 * indexed point queries (microseconds; `make bench` measures p50/p99), so
 * serialising them costs less than a connection per thread.
 */
#define _GNU_SOURCE
#include "lineage.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../adapt/em_lineage_store.h"
#include "log.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct em_lineage_store *store;
static char *store_dir;
static time_t last_open_error;

/* The store for qdir; called with mu held. NULL with a reason in err. */
static struct em_lineage_store *get_store(const char *qdir, char *err, size_t errsz)
{
	time_t now = time(NULL);

	if (store != NULL && strcmp(store_dir, qdir) == 0)
		return store;
	em_lineage_store_close(store);
	store = NULL;
	free(store_dir);
	store_dir = strdup(qdir);
	if (store_dir == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	store = em_lineage_store_open(qdir, false, err, errsz);
	if (store == NULL && now - last_open_error >= 60) {
		last_open_error = now; /* once a minute is enough in the log */
		em_log(LOG_ERR, "thread lineage store in %s: %s", qdir, err);
	}
	return store;
}

static int lookup(void *ctx, const char *const *keys, size_t nkeys, struct em_lineage_hit **hits,
		  size_t *nhits, char *err, size_t errsz)
{
	const char *qdir = ctx;
	struct em_lineage_store *st;
	int rc = -1;

	*hits = NULL;
	*nhits = 0;
	pthread_mutex_lock(&mu);
	if ((st = get_store(qdir, err, errsz)) != NULL)
		rc = em_lineage_store_lookup(st, keys, nkeys, hits, nhits, err, errsz);
	pthread_mutex_unlock(&mu);
	return rc;
}

void em_shell_lineage_bind(struct em_scan *scan, const char *qdir)
{
	/* qdir belongs to the message's rule set, alive until the scan ends */
	struct em_lineage_lookup lk = {.ctx = (void *)qdir, .lookup = lookup};

	em_scan_set_lineage(scan, qdir ? &lk : NULL);
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
	struct em_lineage_store *st;

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
	pthread_mutex_lock(&mu);
	st = get_store(qdir, err, sizeof(err));
	for (size_t i = 0; st != NULL && i < v->nreleases; i++) {
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
		if (em_lineage_store_record(st, &o, err, sizeof(err)) < 0)
			break;
	}
	pthread_mutex_unlock(&mu);
	if (err[0])
		em_log(LOG_ERR, "%s: lineage not recorded: %s", qid, err);
	free(keys);
}

void em_shell_lineage_close(void)
{
	pthread_mutex_lock(&mu);
	em_lineage_store_close(store);
	store = NULL;
	free(store_dir);
	store_dir = NULL;
	pthread_mutex_unlock(&mu);
}
