/*
 * record - quarantine store handle and audit lines (see record.h).
 */
#define _GNU_SOURCE
#include "record.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../adapt/em_store.h"

#if defined(__has_include)
#if __has_include("../adapt/em_vjson.h")
#include "../adapt/em_vjson.h"
#define EM_HAVE_VJSON_H 1
#endif
#endif
#ifndef EM_HAVE_VJSON_H
/* Contract of adapt/em_vjson.h (written in another branch): malloc'd JSON
 * object of the verdict, flags 0; caller frees. */
char *em_verdict_to_json(const struct em_verdict *v, int flags);
#endif

static pthread_mutex_t store_mu = PTHREAD_MUTEX_INITIALIZER;
static struct em_store *store;
static char *store_dir;
static bool with_outbox; /* a shared store is configured: write outbox rows */

/* Opens (or reopens for a moved quarantine_dir) the shared store; store_mu held. */
static int store_ready(const char *quarantine_dir, char *err, size_t errsz)
{
	if (store != NULL && strcmp(store_dir, quarantine_dir) != 0) {
		em_store_close(store);
		store = NULL;
		free(store_dir);
		store_dir = NULL;
	}
	if (store == NULL) {
		/* retried on every message: a fixed disk or directory heals by itself */
		store_dir = strdup(quarantine_dir);
		if (store_dir == NULL) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		store = em_store_open(quarantine_dir, err, errsz);
		if (store == NULL) {
			free(store_dir);
			store_dir = NULL;
			return -1;
		}
		em_store_set_outbox(store, with_outbox);
	}
	return 0;
}

int em_record_store(const char *quarantine_dir, const struct em_verdict *v, const char *queue_id,
		    const char *action_taken, int raw_fd, char *id, size_t idsz, char *err,
		    size_t errsz)
{
	int rc;

	if (quarantine_dir == NULL) {
		snprintf(err, errsz, "no quarantine_dir");
		return -1;
	}
	if (v == NULL) {
		snprintf(err, errsz, "no verdict to record");
		return -1;
	}
	pthread_mutex_lock(&store_mu);
	rc = store_ready(quarantine_dir, err, errsz);
	if (rc == 0)
		rc = em_store_put(store, v, queue_id, action_taken, raw_fd, id, idsz, err, errsz);
	pthread_mutex_unlock(&store_mu);
	return rc;
}

int em_record_with_store(const char *quarantine_dir, int (*fn)(struct em_store *st, void *arg),
			 void *arg, char *err, size_t errsz)
{
	int rc;

	if (quarantine_dir == NULL) {
		snprintf(err, errsz, "no quarantine_dir");
		return -1;
	}
	pthread_mutex_lock(&store_mu);
	rc = store_ready(quarantine_dir, err, errsz);
	if (rc == 0)
		rc = fn(store, arg);
	pthread_mutex_unlock(&store_mu);
	return rc;
}

void em_record_set_outbox(bool on)
{
	pthread_mutex_lock(&store_mu);
	with_outbox = on;
	if (store != NULL)
		em_store_set_outbox(store, on);
	pthread_mutex_unlock(&store_mu);
}

bool em_record_outbox(void)
{
	bool on;

	pthread_mutex_lock(&store_mu);
	on = with_outbox;
	pthread_mutex_unlock(&store_mu);
	return on;
}

void em_record_close(void)
{
	pthread_mutex_lock(&store_mu);
	em_store_close(store);
	store = NULL;
	free(store_dir);
	store_dir = NULL;
	pthread_mutex_unlock(&store_mu);
}

/* json_string refuses invalid UTF-8; such a field is then left out. */
static void set_str(json_t *o, const char *key, const char *val)
{
	json_t *s = val ? json_string(val) : json_null();

	if (s != NULL)
		json_object_set_new(o, key, s);
}

char *em_record_audit_line(const struct em_verdict *v, const char *queue_id,
			   const struct em_act_out *out, long at)
{
	json_t *o = NULL;
	char *line, *s;
	size_t n;

	if (v != NULL && (s = em_verdict_to_json(v, 0)) != NULL) {
		o = json_loads(s, 0, NULL);
		free(s);
		if (o != NULL && !json_is_object(o)) {
			json_decref(o);
			o = NULL;
		}
	}
	if (o == NULL) {
		/* no verdict (or no JSON for it): still one line per decision */
		if ((o = json_object()) == NULL)
			return NULL;
		json_object_set_new(o, "at", json_integer(at));
	}
	set_str(o, "queue_id", queue_id);
	set_str(o, "action_taken", em_action_name(out->taken));
	set_str(o, "record", out->record[0] ? out->record : NULL);
	if (out->monitor || out->would != out->taken)
		set_str(o, "would", em_action_name(out->would));
	if (out->why != NULL)
		set_str(o, "error", out->why);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		return NULL;
	n = strlen(s);
	line = realloc(s, n + 2);
	if (line == NULL) {
		free(s);
		return NULL;
	}
	line[n] = '\n';
	line[n + 1] = '\0';
	return line;
}
