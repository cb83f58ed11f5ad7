/*
 * ctl_lineage - `embargoctl lineage show RELEASE|MESSAGE-ID [--json]`: the
 * recorded origins of thread lineage (messages matched to a release, held or
 * delivered to allowed recipients) and what was matched through them.
 * Reads the config's quarantine_dir/lineage.sqlite read-only.
 * Exit codes: 0 shown (also when nothing is recorded), 2 error.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../adapt/em_config.h"
#include "../adapt/em_lineage_store.h"
#include "../core/em_buf.h"
#include "../core/em_lineage.h"
#include "ctl.h"

static void utc(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, n, "%lld", (long long)t);
}

/* "mid:x@y" -> "<x@y>"; other keys as they are. */
static void shown_id(const char *key, char *buf, size_t n)
{
	if (key == NULL)
		snprintf(buf, n, "(no Message-ID)");
	else if (strncmp(key, "mid:", 4) == 0)
		snprintf(buf, n, "<%s>", key + 4);
	else
		snprintf(buf, n, "%s", key);
}

static void print_row(const struct em_lineage_row *r, const char *indent, bool keys)
{
	char at[32], exp[32], id[600];

	utc(r->at, at, sizeof(at));
	utc(r->expires, exp, sizeof(exp));
	shown_id(r->message_id, id, sizeof(id));
	printf("%s%s  %s  release %s, %s%s%s (%s), tainted until %s\n", indent, at, id, r->release,
	       r->record ? "held as record " : "delivered to allowed recipients",
	       r->record ? r->record : "", "", r->action ? r->action : "?", exp);
	if (r->subject)
		printf("%s    subject: %s\n", indent, r->subject);
	if (keys)
		for (size_t k = 0; k < r->nkeys; k++)
			printf("%s    key: %s\n", indent, r->keys[k]);
}

/* Whether row c was matched through row o. */
static bool through(const struct em_lineage_row *c, const struct em_lineage_row *o)
{
	return c->via && ((o->message_id && strcmp(c->via, o->message_id) == 0) ||
			  (o->record && strcmp(c->via, o->record) == 0));
}

static json_t *row_json(const struct em_lineage_row *r)
{
	json_t *o = json_object(), *k = json_array();
	char at[32], exp[32];

	if (o == NULL || k == NULL) {
		json_decref(o);
		json_decref(k);
		return NULL;
	}
	utc(r->at, at, sizeof(at));
	utc(r->expires, exp, sizeof(exp));
	json_object_set_new(o, "release", json_string(r->release));
	json_object_set_new(o, "message_id",
			    r->message_id ? json_string(r->message_id) : json_null());
	json_object_set_new(o, "record", r->record ? json_string(r->record) : json_null());
	json_object_set_new(o, "subject", r->subject ? json_string(r->subject) : json_null());
	json_object_set_new(o, "action", r->action ? json_string(r->action) : json_null());
	json_object_set_new(o, "via", r->via ? json_string(r->via) : json_null());
	json_object_set_new(o, "at", json_string(at));
	json_object_set_new(o, "expires", json_string(exp));
	for (size_t i = 0; i < r->nkeys; i++)
		json_array_append_new(k, json_string(r->keys[i]));
	json_object_set_new(o, "keys", k);
	return o;
}

static int on_first_id(void *arg, const char *id, size_t len)
{
	struct em_buf *b = arg;

	return em_lineage_msgid_key(id, len, b) == 0 ? 1 : 0;
}

static int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	const char *conf = EM_CTL_DEFAULT_CONFIG, *what;
	struct em_config *cfg = NULL;
	struct em_lineage_store *st = NULL;
	struct em_lineage_row *rows = NULL;
	struct em_buf key = EM_BUF_INIT;
	size_t n = 0;
	bool json = false, is_id;
	char err[512];
	int c, rc = 2;

	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (c == 'c')
			conf = optarg;
		else if (c == 'j')
			json = true;
		else
			return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr,
			"usage: embargoctl lineage show [-c CONFIG] [--json] RELEASE|MESSAGE-ID\n");
		return 2;
	}
	what = argv[optind];
	is_id = strchr(what, '@') != NULL || what[0] == '<';
	if (is_id) {
		em_lineage_msgids(what, strlen(what), on_first_id, &key);
		if (key.len == 0) {
			fprintf(stderr, "embargoctl lineage show: \"%s\" is not a Message-ID\n",
				what);
			goto out;
		}
	}
	if ((cfg = em_ctl_config_load(conf)) == NULL)
		goto out;
	if ((st = em_lineage_store_open(cfg->quarantine_dir, true, err, sizeof(err))) == NULL) {
		fprintf(stderr, "embargoctl lineage: %s\n", err);
		goto out;
	}
	if (em_lineage_store_show(st, is_id ? NULL : what, is_id ? key.data : NULL, &rows, &n, err,
				  sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl lineage: %s\n", err);
		goto out;
	}
	if (json) {
		json_t *a = json_array();
		char *s;
		for (size_t i = 0; a && i < n; i++)
			json_array_append_new(a, row_json(&rows[i]));
		s = a ? json_dumps(a, JSON_INDENT(2)) : NULL;
		json_decref(a);
		if (s == NULL) {
			fprintf(stderr, "embargoctl: out of memory\n");
			goto out;
		}
		printf("%s\n", s);
		free(s);
		rc = 0;
		goto out;
	}
	printf("%zu recorded origin(s) for %s %s\n", n, is_id ? "Message-ID" : "release", what);
	for (size_t i = 0; i < n; i++) {
		bool shown_under = false;
		for (size_t j = 0; j < n && !shown_under; j++)
			shown_under = j != i && through(&rows[i], &rows[j]);
		if (shown_under)
			continue; /* printed under its origin */
		print_row(&rows[i], "", true);
		if (rows[i].via) {
			char v[600];
			shown_id(rows[i].via, v, sizeof(v));
			printf("    matched through %s\n", v);
		}
		bool header = false;
		for (size_t j = 0; j < n; j++) {
			if (j == i || !through(&rows[j], &rows[i]))
				continue;
			if (!header)
				printf("    matched through it:\n");
			header = true;
			print_row(&rows[j], "      ", false);
		}
	}
	rc = 0;
out:
	em_lineage_rows_free(rows, n);
	em_lineage_store_close(st);
	em_config_free(cfg);
	em_buf_free(&key);
	return rc;
}

int em_ctl_lineage(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	fprintf(stderr, "usage: embargoctl lineage show [-c CONFIG] [--json] RELEASE|MESSAGE-ID\n");
	return 2;
}
