/*
 * ctl_audit - `embargoctl audit [--release ID] [--since TIME] [--json]`:
 * every decision on a message that matched a release (allowed recipients
 * included) and every review event, from the audit log; then who received
 * which release's content before publication. Also the audit plumbing the
 * review commands share: the reviewer's login, --since parsing and writing
 * review events.
 *
 * Reads the log the daemon writes (one JSON object per line: a verdict
 * object plus "queue_id", "action_taken", "record"; review events carry
 * "event"). A line that is not JSON is counted and reported, never fatal:
 * the log is append-only and a crash may leave a torn last line.
 * Shell code: prints errors and returns 2. Must not depend on libmilter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../adapt/em_config.h"
#include "../adapt/em_report.h"
#include "../adapt/em_vjson.h"
#include "../core/em_time.h"
#include "ctl.h"
#include "ctl_store.h"

/* json_array_foreach, spelt out where cppcheck can see it. */
#define EACH(arr, i, x)                                                                            \
	for ((i) = 0; (i) < json_array_size(arr) && ((x) = json_array_get((arr), (i))) != NULL;    \
	     (i)++)

/* ---- shared plumbing ---- */

const char *em_ctl_login(char *buf, size_t bufsz)
{
	const char *s = getlogin();
	struct passwd *pw;

	if (s == NULL || *s == '\0')
		s = getenv("SUDO_USER");
	if (s == NULL || *s == '\0')
		s = getenv("LOGNAME");
	if ((s == NULL || *s == '\0') && (pw = getpwuid(getuid())) != NULL)
		s = pw->pw_name;
	if (s == NULL || *s == '\0')
		snprintf(buf, bufsz, "uid:%lu", (unsigned long)getuid());
	else
		snprintf(buf, bufsz, "%s", s);
	return buf;
}

int em_ctl_since(const char *s, const char *tz, time_t now, time_t *out)
{
	char err[160], *end;
	long long n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (end != s && errno == 0 && n >= 0 && n < 1000000 && end[0] && end[1] == '\0' &&
	    strchr("mhd", end[0])) {
		*out = now - (time_t)n * (end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 : 86400);
		return 0;
	}
	if (em_time_parse(s, tz, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl: --since \"%s\": %s (or a duration: 90m, 36h, 7d)\n", s,
			err);
		return -1;
	}
	return 0;
}

static json_t *strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, em_vjson_string(v[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int em_ctl_audit_event(const struct em_config *cfg, const char *event,
		       const struct em_store_row *row, const char *by, time_t at, json_t *extra)
{
	char when[32], err[512];
	json_t *o = json_object();
	char *line = NULL, *s = NULL;
	int rc = -1;

	em_time_format_utc(at, when, sizeof(when));
	if (o == NULL || json_object_set_new(o, "event", json_string(event)) ||
	    json_object_set_new(o, "record", em_vjson_string(row->id)) ||
	    json_object_set_new(o, "queue_id", em_vjson_string(row->queue_id)) ||
	    json_object_set_new(o, "by", em_vjson_string(by)) ||
	    json_object_set_new(o, "at", json_string(when)) ||
	    json_object_set_new(o, "uid", json_integer((json_int_t)getuid())) ||
	    json_object_set_new(o, "releases", strv_json(row->releases, row->nreleases)) ||
	    (extra && json_object_update(o, extra)) ||
	    (s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL ||
	    asprintf(&line, "%s\n", s) < 0) {
		line = NULL;
		fprintf(stderr, "embargoctl: out of memory writing the audit line\n");
		goto out;
	}
	if (em_audit_append(cfg->audit_log, line, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl: audit log %s: %s\n", cfg->audit_log, err);
		goto out;
	}
	rc = 0;
out:
	free(line);
	free(s);
	json_decref(o);
	return rc;
}

/* ---- reading the log ---- */

struct audit_opts {
	size_t nreceived; /* facts printed so far */
	const char *release;
	time_t since;
	bool json;
	const char *tz;
};

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The entry's time: RFC 3339 text, or unix seconds (a line written without a verdict). */
static time_t entry_time(json_t *o)
{
	json_t *at = json_object_get(o, "at");
	time_t t = 0;
	char err[64];

	if (json_is_integer(at))
		return (time_t)json_integer_value(at);
	if (json_is_string(at) &&
	    em_time_parse(json_string_value(at), "UTC", &t, err, sizeof(err)) == 0)
		return t;
	return 0;
}

static bool in_strings(json_t *arr, const char *s)
{
	size_t i;
	json_t *x;

	EACH(arr, i, x)
	{
		const char *v = json_string_value(x);

		if (v && s && strcmp(v, s) == 0)
			return true;
		if (json_is_object(x) && (v = jstr(x, "id")) && s && strcmp(v, s) == 0)
			return true;
	}
	return false;
}

/* A decision's recipients that were delivered at the time of the decision. */
static bool delivered_now(const char *action, json_t *blocked, const char *rcpt)
{
	if (action == NULL)
		return false;
	if (strcmp(action, "accept") == 0 || strcmp(action, "flag") == 0)
		return true;
	if (strcmp(action, "strip") == 0)
		return !in_strings(blocked, rcpt);
	return false;
}

/* Union of the blocked lists of every release in a decision. */
static json_t *all_blocked(json_t *releases)
{
	json_t *u = json_array(), *r, *b;
	size_t i, k;

	EACH(releases, i, r)
	{
		EACH(json_object_get(r, "blocked"), k, b)
		{
			if (u && !in_strings(u, json_string_value(b)))
				json_array_append(u, b);
		}
	}
	return u;
}

static void print_clean(const char *s)
{
	char *c = em_report_clean(s ? s : "-");

	fputs(c ? c : "?", stdout);
	free(c);
}

/* Appends one "received before publication" fact to out (JSON) or prints it. */
static void received(struct audit_opts *ao, json_t *out, const char *release, const char *rcpt,
		     bool allowed, time_t at, const char *via, json_t *entry)
{
	char when[64], utc[32];

	if (ao->release && strcmp(ao->release, release) != 0)
		return;
	ao->nreceived++;
	if (ao->json) {
		em_time_format_utc(at, utc, sizeof(utc));
		json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:s,s:s,s:O?,s:O?}", "release",
						     release, "recipient", rcpt, "allowed", allowed,
						     "at", utc, "via", via, "record",
						     json_object_get(entry, "record"), "queue_id",
						     json_object_get(entry, "queue_id")));
		return;
	}
	em_time_format_local(at, ao->tz, when, sizeof(when));
	printf("  %-24s ", when);
	print_clean(release);
	putchar(' ');
	print_clean(rcpt);
	printf(" %s (%s", allowed ? "allowed" : "NOT ALLOWED", via);
	if (jstr(entry, "record")) {
		printf(", record ");
		print_clean(jstr(entry, "record"));
	}
	printf(")\n");
}

/* Who received what, from one entry; decisions and release events both count. */
static void entry_receipts(struct audit_opts *ao, json_t *e, json_t *out)
{
	const char *ev = jstr(e, "event");
	time_t at = entry_time(e);
	json_t *r, *x;
	size_t i, k;

	if (ev == NULL) {
		const char *action = jstr(e, "action_taken");
		json_t *blocked = all_blocked(json_object_get(e, "releases"));

		EACH(json_object_get(e, "releases"), i, r)
		{
			const char *id = jstr(r, "id");

			EACH(json_object_get(e, "recipients"), k, x)
			{
				const char *rc = json_string_value(x);

				if (id && rc && delivered_now(action, blocked, rc))
					received(ao, out, id, rc,
						 !in_strings(json_object_get(r, "blocked"), rc), at,
						 "delivered by the filter", e);
			}
		}
		json_decref(blocked);
		return;
	}
	/* a release carried out for a request (a sender's confirmed reply) delivers too */
	if (strcmp(ev, "release") != 0 && strcmp(ev, "release-due") != 0 &&
	    strcmp(ev, "confirm-release") != 0 && strcmp(ev, "request-release") != 0)
		return;
	EACH(json_object_get(e, "released_before_publication"), i, r)
	{
		EACH(json_object_get(e, "recipients"), k, x)
		{
			const char *id = json_string_value(r), *rc = json_string_value(x);

			if (id && rc)
				received(ao, out, id, rc,
					 !in_strings(json_object_get(e, "blocked"), rc), at,
					 "released from quarantine", e);
		}
	}
}

static void print_entry(const struct audit_opts *ao, json_t *e)
{
	const char *ev = jstr(e, "event");
	char when[64];
	json_t *r;
	size_t i;

	em_time_format_local(entry_time(e), ao->tz, when, sizeof(when));
	printf("%-24s ", when);
	if (ev) {
		print_clean(ev);
		printf(" by ");
		print_clean(jstr(e, "by"));
		printf(" record ");
		print_clean(jstr(e, "record"));
		printf(" queue ");
		print_clean(jstr(e, "queue_id"));
		putchar('\n');
		return;
	}
	printf("decision ");
	print_clean(jstr(e, "action_taken"));
	printf(" queue ");
	print_clean(jstr(e, "queue_id"));
	printf(" record ");
	print_clean(jstr(e, "record"));
	printf(" from ");
	print_clean(jstr(e, "sender"));
	putchar('\n');
	EACH(json_object_get(e, "releases"), i, r)
	{
		json_t *hours = json_object_get(r, "hours_to_publication");

		printf("    release ");
		print_clean(jstr(r, "id"));
		if (json_is_number(hours))
			printf(", %.1f h before publication", json_number_value(hours));
		printf(", %zu recipient(s) not allowed\n",
		       json_array_size(json_object_get(r, "blocked")));
	}
}

static bool wanted(const struct audit_opts *ao, json_t *e)
{
	const char *ev = jstr(e, "event");
	json_t *rels = json_object_get(e, "releases");

	if (!json_is_object(e))
		return false;
	if (ev == NULL && json_array_size(rels) == 0)
		return false; /* a decision on a message that matched no release */
	if (ao->since && entry_time(e) < ao->since)
		return false;
	if (ao->release && !in_strings(rels, ao->release))
		return false;
	return true;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: embargoctl audit [-c CONFIG] [--release ID] [--since TIME] [--json]\n");
}

int em_ctl_audit(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'}, {"release", required_argument, NULL, 'r'},
	    {"since", required_argument, NULL, 's'},  {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	struct audit_opts ao = {0};
	const char *conf = EM_CTL_DEFAULT_CONFIG, *since = NULL;
	struct em_config *cfg = NULL;
	json_t *entries = NULL, *recv = NULL, *e;
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0, bad = 0, i;
	int c, rc = 2;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'r':
			ao.release = optarg;
			break;
		case 's':
			since = optarg;
			break;
		case 'j':
			ao.json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if ((cfg = em_ctl_config_load(conf)) == NULL)
		return 2;
	ao.tz = cfg->timezone;
	if (since && em_ctl_since(since, cfg->timezone, time(NULL), &ao.since) < 0)
		goto out;
	/* every relay's lines, each with its "relay"; while the shared store
	 * cannot be read, this relay's own log */
	if (cfg->store != NULL && (f = em_ctl_pg_audit(cfg)) == NULL)
		fprintf(stderr, "embargoctl audit: the shared store cannot be read: this relay's "
				"log only\n");
	if (f == NULL && (f = fopen(cfg->audit_log, "re")) == NULL) {
		fprintf(stderr, "embargoctl audit: %s: %s\n", cfg->audit_log, strerror(errno));
		goto out;
	}
	if ((entries = json_array()) == NULL || (recv = json_array()) == NULL) {
		fprintf(stderr, "embargoctl audit: out of memory\n");
		goto out;
	}
	errno = 0;
	while (getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);

		if (o == NULL) {
			bad++;
			continue;
		}
		if (wanted(&ao, o))
			json_array_append(entries, o);
		json_decref(o);
	}
	if (ferror(f)) {
		fprintf(stderr, "embargoctl audit: %s: read error\n", cfg->audit_log);
		goto out;
	}
	if (!ao.json) {
		EACH(entries, i, e)
		{
			print_entry(&ao, e);
		}
		printf("\nReceived before publication:\n");
	}
	EACH(entries, i, e)
	{
		entry_receipts(&ao, e, recv);
	}
	if (!ao.json && ao.nreceived == 0)
		printf("  (nobody)\n");
	if (ao.json) {
		json_t *doc =
		    json_pack("{s:O,s:O}", "entries", entries, "received_before_publication", recv);
		char *s = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

		json_decref(doc);
		if (s == NULL) {
			fprintf(stderr, "embargoctl audit: out of memory\n");
			goto out;
		}
		printf("%s\n", s);
		free(s);
	}
	if (bad)
		fprintf(stderr,
			"embargoctl audit: %zu line(s) of %s are not JSON and were skipped\n", bad,
			cfg->audit_log);
	rc = 0;
out:
	free(line);
	if (f)
		fclose(f);
	json_decref(entries);
	json_decref(recv);
	em_config_free(cfg);
	return rc;
}
