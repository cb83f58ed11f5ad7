/*
 * ctl_store - embargoctl's side of the shared PostgreSQL store (em_pg.h):
 *
 *   embargoctl store migrate [-c CONFIG]     applies the schema (idempotent)
 *   embargoctl store status [-c CONFIG] [--json]
 *   embargoctl relays [-c CONFIG] [--json]   relays, rule hashes, backlog, last contact
 *
 * and what `quarantine list/show/release/delete` and `audit` use when
 * `store` is set: records of every relay, a record of another relay
 * fetched into a private temporary directory for `show`, release/delete of
 * another relay's record as a request that the holding relay carries out
 * (the CLI waits, bounded, for the outcome).
 *
 * Shell code: prints errors. Must not depend on libmilter.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../adapt/em_config.h"
#include "../adapt/em_outbox.h"
#include "../adapt/em_pg.h"
#include "../adapt/em_requests.h"
#include "../adapt/em_store.h"
#include "../core/em_time.h"
#include "ctl.h"
#include "ctl_store.h"

#define STALE_S 120 /* a relay silent this long is shown as stale */

struct em_pg *em_ctl_pg(const struct em_config *cfg)
{
	struct em_pg *pg = em_pg_new(cfg->store);
	char err[512];

	if (pg == NULL) {
		fprintf(stderr, "embargoctl: out of memory\n");
		return NULL;
	}
	if (em_pg_connect(pg, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl: shared store: %s\n", err);
		em_pg_close(pg);
		return NULL;
	}
	return pg;
}

/* ---- store migrate / status ---- */

static int cmd_migrate(const struct em_config *cfg)
{
	struct em_pg *pg = em_ctl_pg(cfg);
	char err[512];
	int from = 0, to = 0, rc = 2;

	if (pg == NULL)
		return 2;
	if (em_pg_migrate(pg, &from, &to, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl store migrate: %s\n", err);
	} else {
		if (from == to)
			printf("shared store: schema version %d, up to date\n", to);
		else
			printf("shared store: schema version %d -> %d\n", from, to);
		rc = 0;
	}
	em_pg_close(pg);
	return rc;
}

static int cmd_status(const struct em_config *cfg, bool json)
{
	struct em_pg *pg;
	struct em_store *st;
	char err[512], relay[256];
	int v = 0, rc = 2;
	long long backlog = -1;
	time_t oldest = 0;

	if (em_pg_relay_id(cfg->relay_id, relay, sizeof(relay)) < 0)
		snprintf(relay, sizeof(relay), "?");
	if ((st = em_store_open(cfg->quarantine_dir, err, sizeof(err))) != NULL) {
		if (em_outbox_backlog(st, &backlog, &oldest, err, sizeof(err)) < 0)
			backlog = -1;
		em_store_close(st);
	}
	if ((pg = em_ctl_pg(cfg)) == NULL) {
		if (json)
			printf("{\"store\": \"postgresql\", \"relay_id\": \"%s\", \"reachable\": "
			       "false, "
			       "\"backlog\": %lld}\n",
			       relay, backlog);
		return 2;
	}
	if (em_pg_schema_version(pg, &v, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl store status: %s\n", err);
		goto out;
	}
	if (json) {
		json_t *o = json_pack("{s:s,s:s,s:b,s:i,s:i,s:b,s:I}", "store", "postgresql",
				      "relay_id", relay, "reachable", 1, "schema_version", v,
				      "schema_version_wanted", EM_PG_SCHEMA_VERSION, "up_to_date",
				      v == EM_PG_SCHEMA_VERSION, "backlog", (json_int_t)backlog);
		char *s = o ? json_dumps(o, JSON_PRESERVE_ORDER) : NULL;

		printf("%s\n", s ? s : "{}");
		free(s);
		json_decref(o);
	} else {
		printf("shared store: reachable, schema version %d (this program: %d)%s\n", v,
		       EM_PG_SCHEMA_VERSION,
		       v < EM_PG_SCHEMA_VERSION ? ": run `embargoctl store migrate`" : "");
		printf("relay id:     %s\nlocal backlog: %lld row(s)\n", relay, backlog);
	}
	rc = v == EM_PG_SCHEMA_VERSION ? 0 : 1;
out:
	em_pg_close(pg);
	return rc;
}

int em_ctl_store(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	const char *conf = EM_CTL_DEFAULT_CONFIG, *sub;
	struct em_config *cfg;
	bool json = false;
	int c, rc = 2;

	if (argc < 2) {
		fprintf(stderr, "usage: embargoctl store migrate|status [-c CONFIG] [--json]\n");
		return 2;
	}
	sub = argv[1];
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (c == 'c')
			conf = optarg;
		else if (c == 'j')
			json = true;
		else
			return 2;
	}
	if ((cfg = em_ctl_config_load(conf)) == NULL)
		return 2;
	if (cfg->store == NULL) {
		fprintf(stderr,
			"embargoctl store: %s sets no `store`: this relay keeps its "
			"quarantine in SQLite only\n",
			conf);
		em_config_free(cfg);
		return 2;
	}
	if (strcmp(sub, "migrate") == 0)
		rc = cmd_migrate(cfg);
	else if (strcmp(sub, "status") == 0)
		rc = cmd_status(cfg, json);
	else
		fprintf(stderr, "embargoctl store: unknown command \"%s\"\n", sub);
	em_config_free(cfg);
	return rc;
}

/* ---- relays ---- */

static void fmt_time(long long t, const char *tz, char *b, size_t n)
{
	if (t <= 0)
		snprintf(b, n, "-");
	else
		em_time_format_local((time_t)t, tz, b, n);
}

static json_t *jtime(long long t)
{
	char b[32];

	if (t <= 0)
		return json_null();
	em_time_format_utc((time_t)t, b, sizeof(b));
	return json_string(b);
}

int em_ctl_relays_check(const struct em_config *cfg, char *msg, size_t msgsz)
{
	struct em_pg *pg = em_pg_new(cfg->store);
	struct em_pg_relay_row *r = NULL;
	size_t n = 0;
	int rc = -1;
	char err[512];

	msg[0] = '\0';
	if (pg == NULL || em_pg_relays(pg, &r, &n, err, sizeof(err)) < 0) {
		snprintf(msg, msgsz, "shared store: %s", pg ? err : "out of memory");
		em_pg_close(pg);
		return -1;
	}
	rc = 0;
	for (size_t i = 1; i < n; i++)
		if (strcmp(r[i].rules_hash ? r[i].rules_hash : "",
			   r[0].rules_hash ? r[0].rules_hash : "") != 0) {
			snprintf(msg, msgsz,
				 "relays enforce different rules: %s has rule hash %s, %s has %s "
				 "(`embargoctl relays` lists them all)",
				 r[0].relay_id, r[0].rules_hash ? r[0].rules_hash : "-",
				 r[i].relay_id, r[i].rules_hash ? r[i].rules_hash : "-");
			rc = 1;
			break;
		}
	em_pg_relays_free(r, n);
	em_pg_close(pg);
	return rc;
}

int em_ctl_relays(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	const char *conf = EM_CTL_DEFAULT_CONFIG;
	struct em_config *cfg;
	struct em_pg *pg = NULL;
	struct em_pg_relay_row *r = NULL;
	size_t n = 0;
	bool json = false, differ = false;
	char err[512];
	int c, rc = 2;
	time_t now = time(NULL);

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (c == 'c')
			conf = optarg;
		else if (c == 'j')
			json = true;
		else
			return 2;
	}
	if ((cfg = em_ctl_config_load(conf)) == NULL)
		return 2;
	if (cfg->store == NULL) {
		fprintf(stderr, "embargoctl relays: %s sets no `store` (one relay, SQLite)\n",
			conf);
		goto out;
	}
	if ((pg = em_ctl_pg(cfg)) == NULL)
		goto out;
	if (em_pg_relays(pg, &r, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl relays: %s\n", err);
		goto out;
	}
	for (size_t i = 1; i < n; i++)
		if (strcmp(r[i].rules_hash ? r[i].rules_hash : "",
			   r[0].rules_hash ? r[0].rules_hash : "") != 0)
			differ = true;
	if (json) {
		json_t *a = json_array();
		char *s;

		for (size_t i = 0; a && i < n; i++) {
			json_t *rel =
			    r[i].rules_releases ? json_loads(r[i].rules_releases, 0, NULL) : NULL;

			json_array_append_new(
			    a, json_pack(
				   "{s:s,s:s?,s:s?,s:o,s:o,s:I,s:I,s:o,s:o,s:o,s:b}", "relay_id",
				   r[i].relay_id, "version", r[i].program_version, "rules_hash",
				   r[i].rules_hash, "releases", rel ? rel : json_array(),
				   "rules_loaded_at", jtime(r[i].rules_loaded_at), "backlog",
				   (json_int_t)r[i].backlog, "records", (json_int_t)r[i].records,
				   "last_ship", jtime(r[i].last_ship), "last_contact",
				   jtime(r[i].last_contact), "started_at", jtime(r[i].started_at),
				   "stale", now - r[i].last_contact > STALE_S));
		}
		json_t *doc =
		    a ? json_pack("{s:o,s:b}", "relays", a, "rules_agree", !differ) : NULL;

		s = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		printf("%s\n", s ? s : "{}");
		free(s);
		json_decref(doc);
	} else {
		printf("%-20s %-16s %8s %8s  %-22s %-22s %s\n", "RELAY", "RULES HASH", "RECORDS",
		       "BACKLOG", "LAST SHIP", "LAST CONTACT", "RELEASES");
		for (size_t i = 0; i < n; i++) {
			char ls[64], lc[64];

			fmt_time(r[i].last_ship, cfg->timezone, ls, sizeof(ls));
			fmt_time(r[i].last_contact, cfg->timezone, lc, sizeof(lc));
			printf("%-20s %-16s %8lld %8lld  %-22s %-22s %s%s\n", r[i].relay_id,
			       r[i].rules_hash ? r[i].rules_hash : "-", r[i].records, r[i].backlog,
			       ls, lc, r[i].rules_releases ? r[i].rules_releases : "-",
			       now - r[i].last_contact > STALE_S ? "  (stale)" : "");
		}
		if (differ)
			printf(
			    "WARNING: the relays enforce different rules (rule hashes differ)\n");
	}
	rc = differ ? 1 : 0;
out:
	em_pg_relays_free(r, n);
	em_pg_close(pg);
	em_config_free(cfg);
	return rc;
}

/* ---- records of every relay ---- */

static int strv_parse(const char *text, char ***out, size_t *n)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL, *x;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!json_is_array(a)) {
		json_decref(a);
		return 0;
	}
	if (json_array_size(a) > 0 && (*out = calloc(json_array_size(a), sizeof(char *))) == NULL) {
		json_decref(a);
		return -1;
	}
	json_array_foreach(a, i, x)
	{
		if (((*out)[*n] = strdup(json_string_value(x) ? json_string_value(x) : "")) ==
		    NULL) {
			json_decref(a);
			return -1;
		}
		(*n)++;
	}
	json_decref(a);
	return 0;
}

static char *dup0(const char *s)
{
	return s ? strdup(s) : NULL;
}

int em_ctl_pg_to_row(const struct em_pg_row *p, const char *dir, struct em_store_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = dup0(p->id);
	r->created = (time_t)p->created;
	r->sender = dup0(p->sender);
	r->publish_at = (time_t)p->publish_at;
	r->queue_id = dup0(p->queue_id);
	r->action_taken = dup0(p->action_taken);
	r->state = (enum em_store_state)(
	    em_store_state_parse(p->state) < 0 ? 0 : em_store_state_parse(p->state));
	r->state_by = dup0(p->state_by);
	r->state_at = (time_t)p->state_at;
	r->subject = dup0(p->subject);
	r->message_id = dup0(p->message_id);
	if (dir != NULL && p->id != NULL &&
	    (asprintf(&r->eml_path, "%s/%s.eml", dir, p->id) < 0 ||
	     asprintf(&r->json_path, "%s/%s.json", dir, p->id) < 0))
		return -1;
	if (r->eml_path == NULL)
		r->eml_path = strdup("/nonexistent");
	if (r->json_path == NULL)
		r->json_path = strdup("/nonexistent");
	if (strv_parse(p->recipients, &r->rcpts, &r->nrcpts) < 0 ||
	    strv_parse(p->blocked, &r->blocked, &r->nblocked) < 0 ||
	    strv_parse(p->releases, &r->releases, &r->nreleases) < 0 || r->id == NULL)
		return -1;
	return 0;
}

static int write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];
	int fd;
	size_t off = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

struct em_store_row *em_ctl_pg_record(const struct em_config *cfg, const char *id, char **relay,
				      char **tmpdir)
{
	struct em_pg *pg;
	struct em_pg_row *p = NULL;
	struct em_store_row *r = NULL;
	char *doc = NULL, *eml = NULL, err[512], name[64], tmpl[] = "/tmp/embargoctl-XXXXXX";
	size_t elen = 0;
	int g;

	*relay = NULL;
	*tmpdir = NULL;
	if (!em_store_id_valid(id)) {
		fprintf(stderr, "embargoctl: not a record id: \"%.64s\"\n", id);
		return NULL;
	}
	if ((pg = em_ctl_pg(cfg)) == NULL)
		return NULL;
	g = em_pg_get(pg, id, &p, &doc, &eml, &elen, err, sizeof(err));
	em_pg_close(pg);
	if (g != 0) {
		fprintf(stderr, "embargoctl: %s\n", g == 1 ? "no such record on any relay" : err);
		goto fail;
	}
	/* the message goes to a private directory, removed after use */
	if (mkdtemp(tmpl) == NULL || (*tmpdir = strdup(tmpl)) == NULL) {
		fprintf(stderr, "embargoctl: cannot create a temporary directory: %s\n",
			strerror(errno));
		goto fail;
	}
	snprintf(name, sizeof(name), "%s.json", id);
	if (doc != NULL && write_file(tmpl, name, doc, strlen(doc)) < 0)
		goto io;
	snprintf(name, sizeof(name), "%s.eml", id);
	if (eml != NULL && write_file(tmpl, name, eml, elen) < 0)
		goto io;
	if ((r = calloc(1, sizeof(*r))) == NULL || em_ctl_pg_to_row(p, tmpl, r) < 0 ||
	    (*relay = dup0(p->relay)) == NULL) {
		fprintf(stderr, "embargoctl: out of memory\n");
		goto fail;
	}
	if (eml == NULL && p->state && strcmp(p->state, "deleted") != 0)
		fprintf(
		    stderr,
		    "embargoctl: the message of record %s is not in the shared store (%lld bytes; "
		    "the limit is %u): read it on relay %s\n",
		    id, p->eml_size, EM_PG_BODY_MAX, p->relay);
	free(doc);
	free(eml);
	em_pg_rows_free(p, 1);
	return r;
io:
	fprintf(stderr, "embargoctl: %s: %s\n", tmpl, strerror(errno));
fail:
	em_store_row_free(r);
	free(doc);
	free(eml);
	em_pg_rows_free(p, p ? 1 : 0);
	free(*relay);
	*relay = NULL;
	em_ctl_pg_tmp_free(*tmpdir);
	*tmpdir = NULL;
	return NULL;
}

void em_ctl_pg_tmp_free(char *dir)
{
	char path[4096];
	DIR *d;
	struct dirent *e;

	if (dir == NULL)
		return;
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
	free(dir);
}

int em_ctl_pg_rows(const struct em_config *cfg, const char *release, time_t since, int state,
		   struct em_store_row **rows, char ***relays, size_t *n)
{
	struct em_pg *pg;
	struct em_pg_row *p = NULL;
	size_t np = 0;
	char err[512];
	int rc = -1;

	*rows = NULL;
	*relays = NULL;
	*n = 0;
	if ((pg = em_ctl_pg(cfg)) == NULL)
		return -1;
	if (em_pg_list(pg, release, (long long)since,
		       state >= 0 ? em_store_state_name(state) : NULL, &p, &np, err,
		       sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl: shared store: %s\n", err);
		goto out;
	}
	if (np > 0 && ((*rows = calloc(np, sizeof(**rows))) == NULL ||
		       (*relays = calloc(np, sizeof(char *))) == NULL))
		goto nomem;
	for (size_t i = 0; i < np; i++) {
		(*n)++;
		if (em_ctl_pg_to_row(&p[i], NULL, &(*rows)[i]) < 0 ||
		    ((*relays)[i] = dup0(p[i].relay)) == NULL)
			goto nomem;
	}
	rc = 0;
	goto out;
nomem:
	fprintf(stderr, "embargoctl: out of memory\n");
	em_store_rows_free(*rows, *n);
	for (size_t i = 0; *relays && i < *n; i++)
		free((*relays)[i]);
	free(*relays);
	*rows = NULL;
	*relays = NULL;
	*n = 0;
out:
	em_pg_rows_free(p, np);
	em_pg_close(pg);
	return rc;
}

/* ---- release/delete of another relay's record ---- */

int em_ctl_pg_remote_act(const struct em_config *cfg, const char *id, const char *action,
			 const char *by, int wait_s)
{
	struct em_pg *pg;
	struct em_pg_row *p = NULL;
	struct em_pg_request *rq = NULL;
	char err[512], rid[EM_REQUEST_ID_SIZE], me[256];
	int g, rc = 2;
	time_t until = time(NULL) + wait_s;

	if (em_pg_relay_id(cfg->relay_id, me, sizeof(me)) < 0)
		snprintf(me, sizeof(me), "?");
	if ((pg = em_ctl_pg(cfg)) == NULL)
		return 2;
	g = em_pg_get(pg, id, &p, NULL, NULL, NULL, err, sizeof(err));
	if (g != 0) {
		fprintf(stderr, "embargoctl quarantine %s: %s\n", action,
			g == 1 ? "no such record on this relay or in the shared store" : err);
		goto out;
	}
	if (em_request_id_new(rid) < 0 ||
	    em_pg_request_add(pg, rid, p->relay, id, action, by, "cli", "", me,
			      (long long)time(NULL), err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl quarantine %s: shared store: %s\n", action, err);
		goto out;
	}
	printf("request %s: %s record %s held on relay %s; waiting up to %d s for that relay\n",
	       rid, action, id, p->relay, wait_s);
	fflush(stdout);
	for (;;) {
		g = em_pg_request_get(pg, rid, &rq, err, sizeof(err));
		if (g == 0 &&
		    (strcmp(rq->state, "done") == 0 || strcmp(rq->state, "failed") == 0)) {
			printf("request %s %s on relay %s: %s\n", rid, rq->state, p->relay,
			       rq->outcome ? rq->outcome : "-");
			rc = strcmp(rq->state, "done") == 0 ? 0 : 2;
			goto out;
		}
		em_pg_requests_free(rq, g == 0 ? 1 : 0);
		rq = NULL;
		if (time(NULL) >= until)
			break;
		usleep(300 * 1000);
	}
	fprintf(stderr,
		"embargoctl quarantine %s: request %s is still open after %d s: relay %s has not "
		"carried it out yet (it will when its shipper and request job run)\n",
		action, rid, wait_s, p->relay);
	rc = 3;
out:
	em_pg_requests_free(rq, rq ? 1 : 0);
	em_pg_rows_free(p, p ? 1 : 0);
	em_pg_close(pg);
	return rc;
}

/* ---- audit lines of every relay ---- */

static void add_line(void *arg, const char *relay, const char *line)
{
	FILE *f = arg;
	json_t *o = json_loads(line, 0, NULL);
	char *s;

	if (!json_is_object(o)) {
		fprintf(f, "%s\n", line); /* counted as not JSON by the reader */
		json_decref(o);
		return;
	}
	json_object_set_new(o, "relay", json_string(relay));
	if ((s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) != NULL)
		fprintf(f, "%s\n", s);
	free(s);
	json_decref(o);
}

FILE *em_ctl_pg_audit(const struct em_config *cfg)
{
	struct em_pg *pg = em_ctl_pg(cfg);
	FILE *f;
	char err[512];

	if (pg == NULL)
		return NULL;
	if ((f = tmpfile()) == NULL) {
		fprintf(stderr, "embargoctl: tmpfile: %s\n", strerror(errno));
	} else if (em_pg_audit_each(pg, add_line, f, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl audit: shared store: %s\n", err);
		fclose(f);
		f = NULL;
	} else {
		rewind(f);
	}
	em_pg_close(pg);
	return f;
}
