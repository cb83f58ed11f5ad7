/*
 * ctl_pra - `embargoctl pra export|history [-c CONFIG] [--json] RELEASE` and
 * the PRA warnings of `embargoctl check`.
 *
 *   export   the pre-release access list of a release in the form producers
 *            publish it (Pre-release Access to Official Statistics Order 2008,
 *            schedule para 4): the roles given access and when, never the
 *            addresses of people. An entry without a role is listed as "role
 *            not recorded" and named on stderr so the producer can add it;
 *            exit 1 then, 0 when every entry has a role.
 *   history  every change to the release's PRA list the daemon recorded in
 *            the audit log (em_prahist: added, removed, changed, when).
 *
 * Shell code: prints; errors go to stderr with exit status 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../adapt/em_config.h"
#include "../core/em_pra.h"
#include "../core/em_time.h"
#include "ctl.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: embargoctl pra export [-c CONFIG] [--json] RELEASE\n"
		   "       embargoctl pra history [-c CONFIG] [--json] RELEASE\n");
}

/* "Thursday 19 November 2026 09:30 GMT" style, for a published list. */
static void long_time(time_t t, const char *tz, char *buf, size_t bufsz)
{
	char local[64];

	em_time_format_local(t, tz, local, sizeof(local));
	snprintf(buf, bufsz, "%s", local);
}

static bool is_domain_entry(const char *a)
{
	return a[0] == '@';
}

static int export_release(const struct em_config *cfg, const struct em_release_src *r, bool json)
{
	const struct em_pra *p = &r->pra_entries;
	char pub[64], from[64], until[64];
	size_t unnamed = 0;

	if (json) {
		json_t *o = json_object(), *a = json_array();
		char *s;

		em_time_format_utc(r->publish_at, pub, sizeof(pub));
		json_object_set_new(o, "release", json_string(r->id));
		json_object_set_new(o, "title", json_string(r->title));
		json_object_set_new(o, "publish_at", json_string(pub));
		for (size_t i = 0; i < p->n; i++) {
			const struct em_pra_entry *e = &p->v[i];
			json_t *x = json_object();
			time_t f, u;

			em_pra_window(e, r->pre_release_from, r->publish_at, &f, &u);
			em_time_format_utc(f, from, sizeof(from));
			em_time_format_utc(u, until, sizeof(until));
			json_object_set_new(x, "role",
					    e->role ? json_string(e->role) : json_null());
			json_object_set_new(x, "from", json_string(from));
			json_object_set_new(x, "until", json_string(until));
			json_object_set_new(x, "hours_before_publication",
					    json_real(difftime(r->publish_at, f) / 3600.0));
			json_array_append_new(a, x);
			unnamed += e->role == NULL;
		}
		json_object_set_new(o, "access", a);
		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (s == NULL) {
			fprintf(stderr, "embargoctl: out of memory\n");
			return 2;
		}
		printf("%s\n", s);
		free(s);
	} else {
		long_time(r->publish_at, cfg->timezone, pub, sizeof(pub));
		printf("Pre-release access list\n\n%s\nPublished %s\n\n", r->title, pub);
		if (p->n == 0) {
			printf("No one outside the producers of these statistics was given "
			       "pre-release "
			       "access.\n");
			return 0;
		}
		printf("In addition to the professional and production staff, the following post "
		       "holders were given\npre-release access to these statistics:\n\n");
		for (size_t i = 0; i < p->n; i++) {
			const struct em_pra_entry *e = &p->v[i];
			time_t f, u;
			char who[300];

			em_pra_window(e, r->pre_release_from, r->publish_at, &f, &u);
			em_time_format_local(f, cfg->timezone, from, sizeof(from));
			if (e->role)
				snprintf(who, sizeof(who), "%s", e->role);
			else if (is_domain_entry(e->address))
				snprintf(who, sizeof(who), "[role not recorded: everyone at %s]",
					 e->address + 1);
			else
				snprintf(who, sizeof(who), "[role not recorded]");
			printf("  %-52s from %s (%.1f hours before publication)", who, from,
			       difftime(r->publish_at, f) / 3600.0);
			if (u < r->publish_at) {
				em_time_format_local(u, cfg->timezone, until, sizeof(until));
				printf(", until %s", until);
			}
			printf("\n");
			unnamed += e->role == NULL;
		}
	}
	if (unnamed) {
		fprintf(stderr,
			"embargoctl pra export: %zu entr%s without a role (add `role` in the "
			"rule, or a role column in the PRA file):\n",
			unnamed, unnamed == 1 ? "y" : "ies");
		for (size_t i = 0; i < p->n; i++)
			if (p->v[i].role == NULL)
				fprintf(stderr, "  %s:%d: %s\n", p->v[i].file ? p->v[i].file : "?",
					p->v[i].line, p->v[i].address);
		return 1;
	}
	return 0;
}

/* Prints s without control characters: the log is data, not terminal commands. */
static void clean(const char *s)
{
	for (; s && *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int history(const struct em_config *cfg, const char *id, bool json)
{
	FILE *f = fopen(cfg->audit_log, "re");
	char *line = NULL;
	size_t cap = 0, n = 0, bad = 0;
	ssize_t len;

	if (f == NULL) {
		if (errno == ENOENT) {
			printf("No PRA changes recorded for %s (no audit log yet: %s).\n", id,
			       cfg->audit_log);
			return 0;
		}
		em_ctl_denied_or("embargoctl pra history", cfg->audit_log, errno);
		return 2;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *e = json_loads(line, 0, &je);
		const char *ev, *rel;

		if (e == NULL) {
			bad++;
			continue;
		}
		ev = jstr(e, "event");
		rel = jstr(e, "release");
		if (ev && rel && strcmp(ev, "pra_change") == 0 && strcmp(rel, id) == 0) {
			if (json) {
				fputs(line, stdout);
			} else {
				json_t *was = json_object_get(e, "was");
				const char *role = jstr(e, "role");
				char at[64], fr[64], un[64];
				time_t t;

				if (n == 0)
					printf("%-24s %-8s %-40s %s\n", "WHEN", "CHANGE", "ADDRESS",
					       "ROLE, ACCESS");
				at[0] = fr[0] = un[0] = '\0';
				if (jstr(e, "at") &&
				    em_time_parse(jstr(e, "at"), "UTC", &t, NULL, 0) == 0)
					em_time_format_local(t, cfg->timezone, at, sizeof(at));
				if (jstr(e, "from") &&
				    em_time_parse(jstr(e, "from"), "UTC", &t, NULL, 0) == 0)
					em_time_format_local(t, cfg->timezone, fr, sizeof(fr));
				if (jstr(e, "until") &&
				    em_time_parse(jstr(e, "until"), "UTC", &t, NULL, 0) == 0)
					em_time_format_local(t, cfg->timezone, un, sizeof(un));
				printf("%-24s %-8s ", at,
				       jstr(e, "change") ? jstr(e, "change") : "?");
				clean(jstr(e, "address"));
				printf("  ");
				clean(role ? role : "(no role)");
				printf(", %s - %s", fr, un);
				if (was) {
					char wf[64] = "", wu[64] = "";

					if (jstr(was, "from") &&
					    em_time_parse(jstr(was, "from"), "UTC", &t, NULL, 0) ==
						0)
						em_time_format_local(t, cfg->timezone, wf,
								     sizeof(wf));
					if (jstr(was, "until") &&
					    em_time_parse(jstr(was, "until"), "UTC", &t, NULL, 0) ==
						0)
						em_time_format_local(t, cfg->timezone, wu,
								     sizeof(wu));
					printf("  (was: ");
					clean(jstr(was, "role") ? jstr(was, "role") : "(no role)");
					printf(", %s - %s)", wf, wu);
				}
				printf("\n");
			}
			n++;
		}
		json_decref(e);
	}
	free(line);
	fclose(f);
	if (n == 0 && !json)
		printf("No PRA changes recorded for %s in %s.\n", id, cfg->audit_log);
	if (bad)
		fprintf(stderr, "embargoctl pra history: %zu unreadable line(s) in %s skipped\n",
			bad, cfg->audit_log);
	return 0;
}

int em_ctl_pra(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *conf = EM_CTL_DEFAULT_CONFIG, *verb;
	bool json = false;
	struct em_config *cfg;
	const struct em_release_src *r;
	int c, rc;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	verb = argv[1];
	if (strcmp(verb, "-h") == 0 || strcmp(verb, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(verb, "export") != 0 && strcmp(verb, "history") != 0) {
		fprintf(stderr, "embargoctl pra: unknown command \"%s\"\n", verb);
		usage(stderr);
		return 2;
	}
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "c:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if ((cfg = em_ctl_config_load(conf)) == NULL)
		return 2;
	r = em_ctl_release(cfg, argv[optind]);
	if (r == NULL && strcmp(verb, "export") == 0) {
		fprintf(stderr, "embargoctl pra export: no release \"%s\" in %s\n", argv[optind],
			cfg->releases_dir);
		em_config_free(cfg);
		return 2;
	}
	if (strcmp(verb, "export") == 0)
		rc = export_release(cfg, r, json);
	else
		rc = history(cfg, argv[optind], json);
	em_config_free(cfg);
	return rc;
}

/*
 * `check`: a warning for every access that starts more than max_pra_hours
 * before publication (the Order's limit is 24 hours). Returns the number of
 * warnings printed.
 */
size_t em_ctl_check_pra(const struct em_config *cfg)
{
	size_t n = 0;
	double limit = (double)cfg->max_pra_hours * 3600.0;

	for (size_t i = 0; i < cfg->nreleases; i++) {
		const struct em_release_src *r = &cfg->releases[i];
		bool release_window_used = em_addr_list_count(r->pra) > 0;

		if (release_window_used && difftime(r->publish_at, r->pre_release_from) > limit) {
			printf("warning: %s:%d: release %s: pre-release access starts %.1f hours "
			       "before "
			       "publication (max_pra_hours = %u)\n",
			       r->file, r->line, r->id,
			       difftime(r->publish_at, r->pre_release_from) / 3600.0,
			       cfg->max_pra_hours);
			n++;
		}
		for (size_t k = 0; k < r->pra_entries.n; k++) {
			const struct em_pra_entry *e = &r->pra_entries.v[k];
			time_t f, u;

			if (!e->has_from && !e->has_until)
				continue; /* the release's window, checked above */
			em_pra_window(e, r->pre_release_from, r->publish_at, &f, &u);
			if (difftime(r->publish_at, f) > limit) {
				printf("warning: %s:%d: release %s: access for %s%s%s%s starts "
				       "%.1f hours "
				       "before publication (max_pra_hours = %u)\n",
				       e->file, e->line, r->id, e->address, e->role ? " (" : "",
				       e->role ? e->role : "", e->role ? ")" : "",
				       difftime(r->publish_at, f) / 3600.0, cfg->max_pra_hours);
				n++;
			}
			if (e->has_until && e->until > r->publish_at) {
				printf("note: %s:%d: release %s: access for %s ends after "
				       "publication; "
				       "nobody is held after publication anyway\n",
				       e->file, e->line, r->id, e->address);
			}
		}
	}
	return n;
}
