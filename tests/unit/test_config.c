/*
 * Unit tests for em_config: the complete fixture under data/config/valid,
 * defaults, the friendly list forms, and every error class with its exact
 * FILE:LINE. Error cases write small trees into a private temporary
 * directory, so each test shows the text whose line numbers it asserts.
 * No test depends on today's date.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "em_config.h"
#include "em_time.h"

/* ------------------------------------------------------------- helpers */

/* The fixture directory, found next to this source file. */
static char *data_path(const char *rel)
{
	char *src = strdup(__FILE__), *slash, *p;

	assert_non_null(src);
	slash = strrchr(src, '/');
	if (slash)
		*slash = '\0';
	assert_true(asprintf(&p, "%s/data/config/%s", slash ? src : ".", rel) > 0);
	free(src);
	return p;
}

/* A throw-away config tree: main.conf plus files under it. */
struct tree {
	char *dir; /* realpath of the temporary directory */
	char *files[32];
	int nfiles;
	char *subdirs[8];
	int nsubdirs;
};

static void tree_init(struct tree *t)
{
	char tmpl[] = "/tmp/em-config-test-XXXXXX";

	memset(t, 0, sizeof(*t));
	assert_non_null(mkdtemp(tmpl));
	t->dir = realpath(tmpl, NULL);
	assert_non_null(t->dir);
}

static void tree_mkdir(struct tree *t, const char *rel)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", t->dir, rel) > 0);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_true(t->nsubdirs < 8);
	t->subdirs[t->nsubdirs++] = p;
}

static void tree_file(struct tree *t, const char *rel, const char *text)
{
	char *p;
	FILE *fp;

	assert_true(asprintf(&p, "%s/%s", t->dir, rel) > 0);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_true(t->nfiles < 32);
	t->files[t->nfiles++] = p;
}

static void tree_free(struct tree *t)
{
	for (int i = t->nfiles - 1; i >= 0; i--) {
		unlink(t->files[i]);
		free(t->files[i]);
	}
	for (int i = t->nsubdirs - 1; i >= 0; i--) {
		rmdir(t->subdirs[i]);
		free(t->subdirs[i]);
	}
	rmdir(t->dir);
	free(t->dir);
}

/* A tree with main.conf and a releases.d holding the given release files. */
static void tree_with(struct tree *t, const char *main_text, const char *const *releases)
{
	tree_init(t);
	tree_file(t, "main.conf", main_text);
	tree_mkdir(t, "releases.d");
	for (int i = 0; releases != NULL && releases[i] != NULL; i += 2) {
		char *rel;

		assert_true(asprintf(&rel, "releases.d/%s", releases[i]) > 0);
		tree_file(t, rel, releases[i + 1]);
		free(rel);
	}
}

static struct em_config *tree_load(const struct tree *t, struct em_errors *errs)
{
	char *p;
	struct em_config *c;

	assert_true(asprintf(&p, "%s/main.conf", t->dir) > 0);
	c = em_config_load(p, errs);
	free(p);
	return c;
}

static void dump_errors(const struct em_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		print_message("  error: %s\n", errs->v[i]);
}

/*
 * Asserts that errs holds "<tree>/<rel>:<line>: ..." containing what
 * (line 0: "<tree>/<rel>: ...").
 */
static void assert_error(const struct tree *t, const struct em_errors *errs, const char *rel,
			 int line, const char *what)
{
	char *prefix;

	if (line > 0)
		assert_true(asprintf(&prefix, "%s/%s:%d: ", t->dir, rel, line) > 0);
	else
		assert_true(asprintf(&prefix, "%s/%s: ", t->dir, rel) > 0);
	for (size_t i = 0; i < errs->n; i++) {
		if (strncmp(errs->v[i], prefix, strlen(prefix)) == 0 &&
		    strstr(errs->v[i] + strlen(prefix), what) != NULL) {
			free(prefix);
			return;
		}
	}
	dump_errors(errs);
	fail_msg("no error \"%s...%s\"", prefix, what);
}

/* Loads a tree that must fail with exactly n errors. */
static void load_fails(const struct tree *t, struct em_errors *errs, size_t n)
{
	struct em_config *c = tree_load(t, errs);

	if (c != NULL || errs->n != n) {
		dump_errors(errs);
		em_config_free(c);
		fail_msg("expected %zu errors, got %zu (config %s)", n, errs->n,
			 c ? "returned" : "NULL");
	}
}

static struct em_config *load_ok(const struct tree *t, struct em_errors *errs)
{
	struct em_config *c = tree_load(t, errs);

	if (c == NULL) {
		dump_errors(errs);
		fail_msg("config did not load");
	}
	assert_int_equal(errs->n, 0);
	return c;
}

static time_t utc(const char *s)
{
	time_t t;
	char err[128];

	assert_int_equal(em_time_parse(s, "UTC", &t, err, sizeof(err)), 0);
	return t;
}

static const char *const MINIMAL_RELEASE = "release = {\n"
					   "  id = \"r1\";\n"
					   "  title = \"Release one\";\n"
					   "  publish_at = \"2020-11-12 09:30\";\n"
					   "  identifiers = ( \"Release One\" );\n"
					   "};\n";

/* --------------------------------------------------------- valid configs */

static void test_full_fixture_loads_every_setting(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	char *path = data_path("valid/embargo-milter.conf");
	char *dir = data_path("valid"), *absdir = realpath(dir, NULL), *want;
	struct em_config *c = em_config_load(path, &errs);
	const struct em_release_src *r;

	if (c == NULL)
		dump_errors(&errs);
	assert_non_null(c);
	assert_int_equal(errs.n, 0);
	assert_non_null(absdir);
	assert_string_equal(c->path, path);
	assert_string_equal(c->dir, absdir);
	assert_string_equal(c->socket, "inet:8894@127.0.0.1");
	assert_int_equal(c->mode, EM_MONITOR);
	assert_true(asprintf(&want, "%s/releases.d", absdir) > 0);
	assert_string_equal(c->releases_dir, want);
	free(want);
	assert_int_equal(c->markers.n, 2);
	assert_string_equal(c->markers.v[0].s, "OFFICIAL[-: ]?SENSITIVE");
	assert_int_equal(c->markers.v[0].line, 6);
	assert_string_equal(c->markers.v[1].s, "RESTRICTED STATS");
	assert_int_equal(c->markers.v[1].line, 7);
	assert_string_equal(c->markers.v[1].file, path);
	assert_int_equal(em_addr_list_count(c->always_allowed), 2);
	assert_true(em_addr_list_match(c->always_allowed, "<Head.Of.Profession@example.gov.uk>"));
	assert_true(em_addr_list_match(c->always_allowed, "x@region.ons.example.gov.uk"));
	assert_int_equal(c->default_action, EM_REJECT);
	assert_true(asprintf(&want, "%s/quarantine", absdir) > 0);
	assert_string_equal(c->quarantine_dir, want);
	free(want);
	assert_int_equal(c->on_error, EM_QUARANTINE);
	assert_string_equal(c->timezone, "Europe/London");
	assert_string_equal(c->user, "embargo");
	assert_string_equal(c->pid_file, "/run/embargo-milter/embargo-milter.pid");
	assert_true(asprintf(&want, "%s/logs/audit.log", absdir) > 0);
	assert_string_equal(c->audit_log, want);
	free(want);
	assert_string_equal(c->contact, "the Head of Profession office, hop@example.gov.uk");
	assert_int_equal(c->spool_threshold, 262144);
	assert_int_equal(c->after_publication, EM_AFTER_RELEASE);
	assert_true(c->notify_sender);
	assert_string_equal(c->security_mailbox, "security@example.gov.uk");
	assert_string_equal(c->sendmail_path, "/usr/local/sbin/sendmail");
	assert_string_equal(c->notify_from, "Embargo Milter <embargo@example.gov.uk>");
	assert_string_equal(c->reviewer_group, "embargo-review");
	assert_int_equal(c->limits.max_decoded, 50u * 1024 * 1024);
	assert_int_equal(c->limits.max_depth, 8);
	assert_int_equal(c->limits.max_zip_ratio, 200);
	assert_int_equal(c->limits.max_parts, 5000);
	assert_int_equal(c->limits.max_header, 64 * 1024);
	assert_true(c->limits.max_cpu_seconds == 12.5);

	/* Two releases, in file-name order; dotfiles, *~ and non-.conf skipped. */
	assert_int_equal(c->nreleases, 2);
	r = &c->releases[0];
	assert_string_equal(r->id, "fostering-2020");
	assert_string_equal(r->title, "Fostering in England 2019-20");
	assert_non_null(strstr(r->file, "/releases.d/10-fostering-2020.conf"));
	assert_int_equal(r->line, 2);
	assert_int_equal(r->publish_at, utc("2020-11-12 09:30"));
	assert_int_equal(r->pre_release_from, utc("2020-11-11 09:30"));
	assert_int_equal(r->identifiers.n, 1);
	assert_string_equal(r->identifiers.v[0].s, "Fostering in England");
	assert_int_equal(r->identifiers.v[0].line, 7);
	assert_ptr_equal(r->identifiers.v[0].file, r->file);
	assert_int_equal(r->markers.n, 1);
	assert_string_equal(r->markers.v[0].s, "FOSTERING EMBARGO");
	assert_int_equal(r->content.n, 1);
	assert_string_equal(r->content.v[0].s, "fostering households (fell|rose) by [0-9.]+ ?%");
	assert_int_equal(r->content.v[0].line, 9);
	assert_true(em_addr_list_match(r->producers, "analyst@stats.example.gov.uk"));
	assert_false(em_addr_list_match(r->producers, "analyst@example.gov.uk"));
	/* pre_release_access plus the three entries of the PRA file. */
	assert_int_equal(em_addr_list_count(r->pra), 4);
	assert_true(em_addr_list_match(r->pra, "minister.po@example.gov.uk"));
	assert_true(em_addr_list_match(r->pra, "private.secretary@example.gov.uk"));
	assert_true(em_addr_list_match(r->pra, "journalist@press.example.gov.uk"));
	assert_true(em_addr_list_match(r->pra, "a@schools.dfe.example.gov.uk"));
	assert_false(em_addr_list_match(r->pra, "a@example.gov.uk"));
	assert_int_equal(r->action, EM_QUARANTINE);
	assert_int_equal(r->after_publication, EM_AFTER_KEEP);

	r = &c->releases[1];
	assert_string_equal(r->id, "prices-2021");
	/* July: BST, so 07:00 local is 06:00 UTC; default window is 24 hours. */
	assert_int_equal(r->publish_at, utc("2021-07-14 06:00"));
	assert_int_equal(r->pre_release_from, utc("2021-07-13 06:00"));
	assert_int_equal(r->identifiers.n, 1);
	assert_string_equal(r->identifiers.v[0].s, "Consumer prices inflation");
	assert_int_equal(r->identifiers.v[0].line, 5);
	assert_int_equal(r->content.n, 2);
	assert_int_equal(r->content.v[0].line, 6);
	assert_int_equal(r->content.v[1].line, 7);
	assert_int_equal(r->markers.n, 0);
	assert_int_equal(em_addr_list_count(r->producers), 0);
	assert_int_equal(em_addr_list_count(r->pra), 0);
	/* Not given in the release: the global settings. */
	assert_int_equal(r->action, EM_REJECT);
	assert_int_equal(r->after_publication, EM_AFTER_RELEASE);

	em_config_free(c);
	free(path);
	free(dir);
	free(absdir);
}

static void test_relative_config_path_gives_absolute_resolved_paths(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	char *path = data_path("valid/embargo-milter.conf");
	struct em_config *c;

	/* __FILE__ is relative when built by the Makefile; make sure of it here. */
	if (path[0] == '/')
		skip();
	c = em_config_load(path, &errs);
	assert_non_null(c);
	assert_true(c->dir[0] == '/');
	assert_true(c->releases_dir[0] == '/');
	assert_true(c->quarantine_dir[0] == '/');
	assert_true(c->audit_log[0] == '/');
	em_config_free(c);
	free(path);
}

static void test_confirm_action_and_confirm_address(void **state)
{
	const char *const files[] = {
	    "a.conf",
	    "release = { id = \"a\"; title = \"A\"; publish_at = \"2020-11-12 09:30Z\";\n"
	    "  identifiers = \"A\";\n"
	    "  action = \"confirm\"; };\n",
	    NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	struct em_config *c;

	tree_with(&t, "confirm_address = \"embargo-confirm@relay.example\";\n", files);
	c = load_ok(&t, &errs);
	assert_string_equal(c->confirm_address, "embargo-confirm@relay.example");
	assert_int_equal(c->releases[0].action, EM_CONFIRM);
	em_config_free(c);
	tree_free(&t);
	tree_with(&t, "\nconfirm_address = \"@relay.example\";\n", files);
	load_fails(&t, &errs, 1);
	assert_error(&t, &errs, "main.conf", 2, "confirm_address: not an address");
	em_errors_free(&errs);
	tree_free(&t);
}

/* confirm_url: an http(s) URL named in confirm notices; anything that could
 * break the notice's lines, or is not a URL, is refused at its line */
static void test_confirm_url(void **state)
{
	const char *const files[] = {NULL};
	const char *const bad[] = {"review.example.gov.uk/confirm", "https:///confirm",
				   "https://review.example/a b", "ftp://review.example/"};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	struct em_config *c;
	char text[160];

	tree_with(&t, "confirm_url = \"https://review.example.gov.uk/confirm\";\n", files);
	c = load_ok(&t, &errs);
	assert_string_equal(c->confirm_url, "https://review.example.gov.uk/confirm");
	em_config_free(c);
	tree_free(&t);
	tree_with(&t, "socket = \"unix:/tmp/x.sock\";\n", files);
	c = load_ok(&t, &errs);
	assert_null(c->confirm_url);
	em_config_free(c);
	tree_free(&t);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "\n\nconfirm_url = \"%s\";\n", bad[i]);
		tree_with(&t, text, files);
		load_fails(&t, &errs, 1);
		assert_error(&t, &errs, "main.conf", 3, "confirm_url: ");
		em_errors_free(&errs);
		tree_free(&t);
	}
}

static void test_minimal_config_gets_every_default(void **state)
{
	const char *const files[] = {"r1.conf", MINIMAL_RELEASE, NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_limits dflt = EM_LIMITS_DEFAULT;
	struct tree t;
	struct em_config *c;
	char *want;

	tree_with(&t, "# nothing set\n", files);
	c = load_ok(&t, &errs);
	assert_string_equal(c->socket, "unix:/run/embargo-milter/embargo-milter.sock");
	assert_int_equal(c->mode, EM_ENFORCE);
	assert_true(asprintf(&want, "%s/releases.d", t.dir) > 0);
	assert_string_equal(c->releases_dir, want);
	free(want);
	assert_int_equal(c->markers.n, 3);
	assert_string_equal(c->markers.v[0].s, "OFFICIAL ?[-:]? ?SENSITIVE");
	assert_string_equal(c->markers.v[1].s, "PRE[- ]?RELEASE ACCESS");
	assert_string_equal(c->markers.v[2].s, "EMBARGOED");
	assert_non_null(c->markers.v[0].file);
	assert_int_equal(em_addr_list_count(c->always_allowed), 0);
	assert_int_equal(c->default_action, EM_QUARANTINE);
	assert_string_equal(c->quarantine_dir, "/var/lib/embargo-milter/quarantine");
	assert_int_equal(c->on_error, EM_TEMPFAIL);
	assert_string_equal(c->timezone, "Europe/London");
	assert_null(c->user);
	assert_null(c->pid_file);
	assert_string_equal(c->audit_log, "/var/lib/embargo-milter/quarantine/audit.log");
	assert_null(c->contact);
	assert_int_equal(c->spool_threshold, 1048576);
	assert_int_equal(c->after_publication, EM_AFTER_KEEP);
	assert_false(c->notify_sender);
	assert_null(c->security_mailbox);
	assert_string_equal(c->sendmail_path, "/usr/sbin/sendmail");
	assert_null(c->notify_from);
	assert_null(c->reviewer_group);
	assert_null(c->confirm_address);
	assert_int_equal(c->limits.max_decoded, dflt.max_decoded);
	assert_int_equal(c->limits.max_depth, dflt.max_depth);
	assert_int_equal(c->limits.max_zip_ratio, dflt.max_zip_ratio);
	assert_int_equal(c->limits.max_parts, dflt.max_parts);
	assert_int_equal(c->limits.max_header, dflt.max_header);
	assert_true(c->limits.max_cpu_seconds == dflt.max_cpu_seconds);
	assert_int_equal(c->nreleases, 1);
	assert_int_equal(c->releases[0].action, EM_QUARANTINE);
	assert_int_equal(c->releases[0].after_publication, EM_AFTER_KEEP);
	assert_int_equal(c->releases[0].publish_at - c->releases[0].pre_release_from, 86400);
	assert_non_null(c->releases[0].producers);
	assert_non_null(c->releases[0].pra);
	em_config_free(c);
	tree_free(&t);
}

static void test_quarantine_dir_moves_default_audit_log_along(void **state)
{
	const char *const files[] = {"r1.conf", MINIMAL_RELEASE, NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	struct em_config *c;

	tree_with(&t, "quarantine_dir = \"/srv/q\";\nmarkers = ();\n", files);
	c = load_ok(&t, &errs);
	assert_string_equal(c->audit_log, "/srv/q/audit.log");
	/* An explicit empty list means no global markers, not the defaults. */
	assert_int_equal(c->markers.n, 0);
	em_config_free(c);
	tree_free(&t);
}

static void test_list_array_and_single_string_forms_are_equal(void **state)
{
	const char *const files[] = {
	    "a.conf",
	    "release = { id = \"a\"; title = \"A\"; publish_at = \"2020-11-12 09:30Z\";\n"
	    "  identifiers = ( \"One\" ); producers = ( \"@x.example\" ); };\n",
	    "b.conf",
	    "release = { id = \"b\"; title = \"B\"; publish_at = \"2020-11-12 09:30Z\";\n"
	    "  identifiers = [ \"One\" ]; producers = [ \"@x.example\" ]; };\n",
	    "c.conf",
	    "release = { id = \"c\"; title = \"C\"; publish_at = \"2020-11-12 09:30Z\";\n"
	    "  identifiers = \"One\"; producers = \"@x.example\"; };\n",
	    NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	struct em_config *c;

	tree_with(&t, "markers = \"ONE MARKER\";\nalways_allowed = \"boss@example.org\";\n", files);
	c = load_ok(&t, &errs);
	assert_int_equal(c->markers.n, 1);
	assert_string_equal(c->markers.v[0].s, "ONE MARKER");
	assert_int_equal(c->markers.v[0].line, 1);
	assert_true(em_addr_list_match(c->always_allowed, "boss@example.org"));
	assert_int_equal(c->nreleases, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(c->releases[i].identifiers.n, 1);
		assert_string_equal(c->releases[i].identifiers.v[0].s, "One");
		assert_int_equal(c->releases[i].identifiers.v[0].line, 2);
		assert_true(em_addr_list_match(c->releases[i].producers, "p@x.example"));
	}
	em_config_free(c);
	tree_free(&t);
}

static void test_release_times_follow_the_configured_zone(void **state)
{
	const char *const files[] = {
	    "a.conf",
	    "release = { id = \"a\"; title = \"A\"; identifiers = \"A\";\n"
	    "  publish_at = \"2020-07-01 04:30\"; pre_release_from = \"2020-06-30 04:30\"; };\n",
	    NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	struct em_config *c;

	tree_with(&t, "timezone = \"America/New_York\";\n", files);
	c = load_ok(&t, &errs);
	assert_int_equal(c->releases[0].publish_at, utc("2020-07-01 08:30"));
	assert_int_equal(c->releases[0].pre_release_from, utc("2020-06-30 08:30"));
	em_config_free(c);
	tree_free(&t);
}

static void test_empty_releases_dir_is_allowed(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	struct em_config *c;

	tree_with(&t, "mode = \"enforce\";\n", NULL);
	c = load_ok(&t, &errs);
	assert_int_equal(c->nreleases, 0);
	em_config_free(c);
	tree_free(&t);
}

static void test_limits_accept_integer_cpu_seconds_and_zero_means_none(void **state)
{
	const char *const files[] = {"r1.conf", MINIMAL_RELEASE, NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	struct em_config *c;

	tree_with(&t, "limits = { max_cpu_seconds = 7; };\n", files);
	c = load_ok(&t, &errs);
	assert_true(c->limits.max_cpu_seconds == 7.0);
	assert_int_equal(c->limits.max_depth, 10);
	em_config_free(c);
	tree_free(&t);

	tree_with(&t, "limits = { max_cpu_seconds = 0; };\n", files);
	c = load_ok(&t, &errs);
	assert_true(c->limits.max_cpu_seconds == 0.0);
	em_config_free(c);
	tree_free(&t);
}

/* ---------------------------------------------------------------- errors */

static void test_missing_main_config_cannot_be_read(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;

	assert_null(em_config_load("/nonexistent/embargo-milter.conf", &errs));
	assert_int_equal(errs.n, 1);
	assert_string_equal(
	    errs.v[0], "/nonexistent/embargo-milter.conf: cannot read: No such file or directory");
	em_errors_free(&errs);
}

static void test_syntax_error_gives_libconfig_message_and_line(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "mode = \"enforce\";\n# comment\nsocket = ;\n", NULL);
	load_fails(&t, &errs, 1);
	assert_error(&t, &errs, "main.conf", 3, "syntax error");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_syntax_error_in_release_file_names_that_file(void **state)
{
	const char *const files[] = {"bad.conf", "release = {\n  id = \"x\";\n  title = ;\n};\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "", files);
	load_fails(&t, &errs, 1);
	assert_error(&t, &errs, "releases.d/bad.conf", 3, "syntax error");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_include_of_a_directory_is_an_error_not_an_exit(void **state)
{
	/* libconfig 1.5 would exit() the process on this */
	const char *const files[] = {"bad.conf", "\n@include \".\"\nrelease = { id = \"x\"; };\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "", files);
	load_fails(&t, &errs, 1);
	assert_error(&t, &errs, "releases.d/bad.conf", 2, "not a readable file");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_unknown_keys_are_errors_at_every_level(void **state)
{
	const char *const files[] = {"a.conf",
				     "release = {\n"
				     "  id = \"a\";\n"
				     "  title = \"A\";\n"
				     "  publish_at = \"2020-11-12 09:30Z\";\n"
				     "  identifier = ( \"A\" );\n"
				     "  content = ( \"A\" );\n"
				     "};\n"
				     "extra = 1;\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t,
		  "mode = \"enforce\";\n"
		  "maker = ( \"X\" );\n"
		  "limits = {\n"
		  "  max_depth = 3;\n"
		  "  max_zip = 4;\n"
		  "};\n"
		  "frobnicate = true;\n",
		  files);
	load_fails(&t, &errs, 5);
	assert_error(&t, &errs, "main.conf", 2,
		     "unknown setting \"maker\" (did you mean \"markers\"?)");
	assert_error(&t, &errs, "main.conf", 5, "unknown setting \"max_zip\"");
	assert_error(&t, &errs, "main.conf", 7, "unknown setting \"frobnicate\"");
	assert_error(&t, &errs, "releases.d/a.conf", 5,
		     "unknown setting \"identifier\" (did you mean \"identifiers\"?)");
	assert_error(&t, &errs, "releases.d/a.conf", 8, "unknown setting \"extra\"");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_wrong_types_are_errors(void **state)
{
	const char *const files[] = {"a.conf",
				     "release = {\n"
				     "  id = 7;\n"
				     "  title = ( \"A\" );\n"
				     "  publish_at = \"2020-11-12 09:30Z\";\n"
				     "  identifiers = ( \"A\",\n"
				     "                  42 );\n"
				     "  producers = { x = 1; };\n"
				     "};\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t,
		  "mode = 1;\n"
		  "markers = 5;\n"
		  "notify_sender = \"yes\";\n"
		  "spool_threshold = \"big\";\n"
		  "limits = 3;\n"
		  "always_allowed = ( \"a@example.org\", true );\n",
		  files);
	load_fails(&t, &errs, 10);
	assert_error(&t, &errs, "main.conf", 1, "mode: expected a string");
	assert_error(&t, &errs, "main.conf", 2, "markers: expected a list of strings");
	assert_error(&t, &errs, "main.conf", 3, "notify_sender: expected true or false");
	assert_error(&t, &errs, "main.conf", 4, "spool_threshold: expected an integer");
	assert_error(&t, &errs, "main.conf", 5, "limits: expected a group");
	assert_error(&t, &errs, "main.conf", 6, "always_allowed: expected a list of strings");
	assert_error(&t, &errs, "releases.d/a.conf", 2, "id: expected a string");
	assert_error(&t, &errs, "releases.d/a.conf", 3, "title: expected a string");
	assert_error(&t, &errs, "releases.d/a.conf", 6, "identifiers: expected a list of strings");
	assert_error(&t, &errs, "releases.d/a.conf", 7, "producers: expected a list of strings");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_bad_values_of_enumerations_and_socket_are_errors(void **state)
{
	const char *const files[] = {
	    "a.conf",
	    "release = { id = \"a\"; title = \"A\"; publish_at = \"2020-11-12 09:30Z\";\n"
	    "  identifiers = \"A\";\n"
	    "  action = \"tempfail\";\n"
	    "  after_publication = \"never\"; };\n",
	    NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t,
		  "mode = \"enforcing\";\n"
		  "default_action = \"drop\";\n"
		  "on_error = \"accept\";\n"
		  "after_publication = \"later\";\n"
		  "socket = \"tcp:8894\";\n"
		  "security_mailbox = \"@example.org\";\n"
		  "contact = \"line one\\nBcc: evil@example.org\";\n",
		  files);
	load_fails(&t, &errs, 9);
	assert_error(&t, &errs, "main.conf", 1,
		     "mode: \"enforcing\" is not one of enforce or monitor");
	assert_error(&t, &errs, "main.conf", 2,
		     "default_action: \"drop\" is not one of quarantine, reject, strip, flag or "
		     "confirm");
	assert_error(&t, &errs, "main.conf", 3,
		     "on_error: \"accept\" is not one of tempfail, quarantine or reject");
	assert_error(&t, &errs, "main.conf", 4, "after_publication: \"later\" is not one of keep");
	assert_error(&t, &errs, "main.conf", 5, "socket: \"tcp:8894\" is not");
	assert_error(&t, &errs, "main.conf", 6, "security_mailbox: not an address");
	assert_error(&t, &errs, "main.conf", 7, "contact: control character");
	assert_error(&t, &errs, "releases.d/a.conf", 3, "action: \"tempfail\" is not one of");
	assert_error(&t, &errs, "releases.d/a.conf", 4, "after_publication: \"never\"");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_limits_are_bounds_checked(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t,
		  "limits = {\n"
		  "  max_depth = 0;\n"
		  "  max_parts = -5;\n"
		  "  max_cpu_seconds = -1.5;\n"
		  "  max_decoded_mb = 5000000000;\n"
		  "  max_header_kb = \"64\";\n"
		  "  max_zip_ratio = 1.5;\n"
		  "};\n"
		  "spool_threshold = 0;\n",
		  NULL);
	load_fails(&t, &errs, 7);
	assert_error(&t, &errs, "main.conf", 2, "limits.max_depth: must be a positive integer");
	assert_error(&t, &errs, "main.conf", 3, "limits.max_parts: must be a positive integer");
	assert_error(&t, &errs, "main.conf", 4, "limits.max_cpu_seconds: must be between 0");
	assert_error(&t, &errs, "main.conf", 5, "max_decoded_mb: number too large");
	assert_error(&t, &errs, "main.conf", 6, "limits.max_header_kb: expected an integer");
	assert_error(&t, &errs, "main.conf", 7, "limits.max_zip_ratio: expected an integer");
	assert_error(&t, &errs, "main.conf", 9, "spool_threshold: must be a positive number");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_release_missing_required_keys_reports_the_release_line(void **state)
{
	const char *const files[] = {
	    "a.conf", "# empty release\n\nrelease = {\n  markers = \"M\";\n};\n", NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "", files);
	load_fails(&t, &errs, 4);
	assert_error(&t, &errs, "releases.d/a.conf", 3, "missing required setting \"id\"");
	assert_error(&t, &errs, "releases.d/a.conf", 3, "missing required setting \"title\"");
	assert_error(&t, &errs, "releases.d/a.conf", 3, "missing required setting \"publish_at\"");
	assert_error(&t, &errs, "releases.d/a.conf", 3, "at least one identifier or content");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_release_file_without_release_group_is_an_error(void **state)
{
	const char *const files[] = {"a.conf", "# nothing here\n", "b.conf", "release = \"x\";\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "", files);
	load_fails(&t, &errs, 2);
	assert_error(&t, &errs, "releases.d/a.conf", 0, "no `release = { ... };`");
	assert_error(&t, &errs, "releases.d/b.conf", 1, "release: expected a group");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_empty_identifier_and_content_lists_are_an_error(void **state)
{
	const char *const files[] = {
	    "a.conf",
	    "release = { id = \"a\"; title = \"A\"; publish_at = \"2020-11-12 09:30Z\";\n"
	    "  identifiers = (); content = []; };\n",
	    NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "", files);
	load_fails(&t, &errs, 1);
	assert_error(&t, &errs, "releases.d/a.conf", 1, "at least one identifier or content");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_bad_release_id_and_empty_strings_are_errors(void **state)
{
	const char *const files[] = {"a.conf",
				     "release = {\n"
				     "  id = \"Fostering_2020\";\n"
				     "  title = \"\";\n"
				     "  publish_at = \"2020-11-12 09:30Z\";\n"
				     "  identifiers = ( \"Fostering\",\n"
				     "                  \"\"\n"
				     "  );\n"
				     "  content = ( \"\", \"x\" );\n"
				     "};\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "user = \"\";\n", files);
	load_fails(&t, &errs, 5);
	assert_error(&t, &errs, "main.conf", 1, "user: must not be empty");
	assert_error(&t, &errs, "releases.d/a.conf", 2, "id: \"Fostering_2020\" may use only");
	assert_error(&t, &errs, "releases.d/a.conf", 3, "title: must not be empty");
	/* The "" before ")" on the next line: reported where it is written. */
	assert_error(&t, &errs, "releases.d/a.conf", 6, "identifiers: empty string in list");
	assert_error(&t, &errs, "releases.d/a.conf", 8, "content: empty string in list");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_duplicate_release_id_names_both_places(void **state)
{
	const char *const files[] = {"a.conf", MINIMAL_RELEASE, "b.conf",
				     "# the same id again\n"
				     "release = {\n"
				     "  title = \"Again\";\n"
				     "  id = \"r1\";\n"
				     "  publish_at = \"2020-11-12 09:30\";\n"
				     "  content = \"x\";\n"
				     "};\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	char *other;

	tree_with(&t, "", files);
	load_fails(&t, &errs, 1);
	assert_true(asprintf(&other, "also defined at %s/releases.d/a.conf:2", t.dir) > 0);
	assert_error(&t, &errs, "releases.d/b.conf", 4, "duplicate release id \"r1\"");
	assert_error(&t, &errs, "releases.d/b.conf", 4, other);
	free(other);
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_bad_times_and_order_are_errors(void **state)
{
	const char *const files[] = {"a.conf",
				     "release = {\n"
				     "  id = \"a\"; title = \"A\"; identifiers = \"A\";\n"
				     "  publish_at = \"2020-02-30 09:30\";\n"
				     "};\n",
				     "b.conf",
				     "release = {\n"
				     "  id = \"b\"; title = \"B\"; identifiers = \"B\";\n"
				     "  publish_at = \"2020-11-12 09:30\";\n"
				     "  pre_release_from = \"2020-11-12 09:31\";\n"
				     "};\n",
				     "c.conf",
				     "release = {\n"
				     "  id = \"c\"; title = \"C\"; identifiers = \"C\";\n"
				     "  publish_at = \"2020-11-12 25:00\";\n"
				     "  pre_release_from = \"next tuesday\";\n"
				     "};\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "", files);
	load_fails(&t, &errs, 4);
	assert_error(&t, &errs, "releases.d/a.conf", 3, "publish_at: no such date");
	assert_error(&t, &errs, "releases.d/b.conf", 4,
		     "pre_release_from (2020-11-12T09:31:00Z) is after publish_at "
		     "(2020-11-12T09:30:00Z)");
	assert_error(&t, &errs, "releases.d/c.conf", 3, "publish_at: no such time of day");
	assert_error(&t, &errs, "releases.d/c.conf", 4, "pre_release_from: expected YYYY-MM-DD");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_unknown_timezone_is_an_error_and_releases_are_still_checked(void **state)
{
	const char *const files[] = {"a.conf",
				     "release = { id = \"a\"; title = \"A\"; identifiers = \"A\";\n"
				     "  publish_at = \"2020-11-12 09:30\";\n"
				     "  action = \"hold\"; };\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "\ntimezone = \"Europe/Londres\";\n", files);
	load_fails(&t, &errs, 2);
	assert_error(&t, &errs, "main.conf", 2, "timezone: no such time zone \"Europe/Londres\"");
	assert_error(&t, &errs, "releases.d/a.conf", 3, "action: \"hold\"");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_bad_addresses_are_reported_at_their_own_line(void **state)
{
	const char *const files[] = {"a.conf",
				     "release = { id = \"a\"; title = \"A\"; identifiers = \"A\";\n"
				     "  publish_at = \"2020-11-12 09:30\";\n"
				     "  producers = ( \"@stats.example.gov.uk\",\n"
				     "                \"stats team\" );\n"
				     "  pre_release_access = [\n"
				     "    \"minister.po@example.gov.uk\",\n"
				     "    \"no-at-sign\"\n"
				     "  ];\n"
				     "};\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "always_allowed = ( \"@\" );\n", files);
	load_fails(&t, &errs, 3);
	assert_error(&t, &errs, "main.conf", 1,
		     "always_allowed: not an address: \"@\" (empty domain)");
	assert_error(&t, &errs, "releases.d/a.conf", 4,
		     "producers: not an address: \"stats team\" (spaces inside address)");
	assert_error(&t, &errs, "releases.d/a.conf", 7,
		     "pre_release_access: not an address: \"no-at-sign\" (missing @)");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_missing_pra_file_is_an_error(void **state)
{
	const char *const files[] = {"a.conf",
				     "release = { id = \"a\"; title = \"A\"; identifiers = \"A\";\n"
				     "  publish_at = \"2020-11-12 09:30\";\n"
				     "  pre_release_access_file = \"a.pra\";\n"
				     "};\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "", files);
	load_fails(&t, &errs, 1);
	assert_error(&t, &errs, "releases.d/a.conf", 3,
		     "pre_release_access_file \"a.pra\": cannot read: No such file or directory");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_bad_pra_lines_report_pra_file_and_line(void **state)
{
	const char *const files[] = {"a.conf",
				     "release = { id = \"a\"; title = \"A\"; identifiers = \"A\";\n"
				     "  publish_at = \"2020-11-12 09:30\";\n"
				     "  pre_release_access_file = \"a.pra\";\n"
				     "};\n",
				     "a.pra",
				     "# PRA for a\n"
				     "ok@example.org\n"
				     "not an address\n"
				     "\n"
				     "@\n"
				     "also.ok@example.org  # trailing comment\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "", files);
	load_fails(&t, &errs, 2);
	assert_error(&t, &errs, "releases.d/a.pra", 3,
		     "not an address: \"not an address\" (spaces inside address)");
	assert_error(&t, &errs, "releases.d/a.pra", 5, "not an address: \"@\" (empty domain)");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_missing_releases_dir_is_an_error(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	char *msg;

	/* Given explicitly: the error points at the setting. */
	tree_with(&t, "mode = \"enforce\";\nreleases_dir = \"nowhere\";\n", NULL);
	load_fails(&t, &errs, 1);
	assert_true(
	    asprintf(&msg, "releases_dir \"%s/nowhere\": cannot open: No such file", t.dir) > 0);
	assert_error(&t, &errs, "main.conf", 2, msg);
	free(msg);
	em_errors_free(&errs);
	tree_free(&t);

	/* The default releases.d is missing: no line to point at. */
	tree_init(&t);
	tree_file(&t, "main.conf", "");
	load_fails(&t, &errs, 1);
	assert_error(&t, &errs, "main.conf", 0, "releases_dir");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_bad_releases_dir_setting_is_reported_once(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_init(&t);
	tree_file(&t, "main.conf", "releases_dir = 5;\n");
	load_fails(&t, &errs, 1);
	assert_error(&t, &errs, "main.conf", 1, "releases_dir: expected a string");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_every_error_is_collected_in_one_pass(void **state)
{
	const char *const files[] = {"a.conf",
				     "release = { id = \"a\"; title = \"A\"; identifiers = \"A\";\n"
				     "  publish_at = \"soon\"; };\n",
				     "b.conf",
				     "release = { id = \"b\"; title = \"B\"; identifiers = \"B\";\n"
				     "  publish_at = \"2020-11-12\"; colour = \"red\"; };\n",
				     "c.conf",
				     "release = { id = ; };\n",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "mode = \"x\";\non_error = \"y\";\n", files);
	load_fails(&t, &errs, 5);
	assert_error(&t, &errs, "main.conf", 1, "mode:");
	assert_error(&t, &errs, "main.conf", 2, "on_error:");
	assert_error(&t, &errs, "releases.d/a.conf", 2, "publish_at:");
	assert_error(&t, &errs, "releases.d/b.conf", 2, "unknown setting \"colour\"");
	assert_error(&t, &errs, "releases.d/c.conf", 1, "syntax error");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_only_conf_files_are_read_in_name_order(void **state)
{
	const char *const files[] = {"b.conf",
				     "release = { id = \"b\"; title = \"B\"; identifiers = \"B\"; "
				     "publish_at = \"2020-11-12\"; };\n",
				     "A.conf",
				     "release = { id = \"a\"; title = \"A\"; identifiers = \"A\"; "
				     "publish_at = \"2020-11-12\"; };\n",
				     ".c.conf",
				     "broken {",
				     "d.conf~",
				     "broken {",
				     "e.conf.bak",
				     "broken {",
				     "f.txt",
				     "broken {",
				     NULL};
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;
	struct em_config *c;

	tree_with(&t, "", files);
	c = load_ok(&t, &errs);
	assert_int_equal(c->nreleases, 2);
	assert_string_equal(c->releases[0].id, "a");
	assert_string_equal(c->releases[1].id, "b");
	em_config_free(c);
	tree_free(&t);
}

static void test_errors_in_an_included_file_name_that_file(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct tree t;

	tree_with(&t, "mode = \"monitor\";\n@include \"extra.conf\"\n", NULL);
	tree_file(&t, "extra.conf", "# extra\nbogus = 1;\n");
	load_fails(&t, &errs, 1);
	assert_error(&t, &errs, "extra.conf", 2, "unknown setting \"bogus\"");
	em_errors_free(&errs);
	tree_free(&t);
}

static void test_free_accepts_null(void **state)
{
	em_config_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_fixture_loads_every_setting),
	    cmocka_unit_test(test_relative_config_path_gives_absolute_resolved_paths),
	    cmocka_unit_test(test_minimal_config_gets_every_default),
	    cmocka_unit_test(test_confirm_action_and_confirm_address),
	    cmocka_unit_test(test_confirm_url),
	    cmocka_unit_test(test_quarantine_dir_moves_default_audit_log_along),
	    cmocka_unit_test(test_list_array_and_single_string_forms_are_equal),
	    cmocka_unit_test(test_release_times_follow_the_configured_zone),
	    cmocka_unit_test(test_empty_releases_dir_is_allowed),
	    cmocka_unit_test(test_limits_accept_integer_cpu_seconds_and_zero_means_none),
	    cmocka_unit_test(test_missing_main_config_cannot_be_read),
	    cmocka_unit_test(test_syntax_error_gives_libconfig_message_and_line),
	    cmocka_unit_test(test_syntax_error_in_release_file_names_that_file),
	    cmocka_unit_test(test_include_of_a_directory_is_an_error_not_an_exit),
	    cmocka_unit_test(test_unknown_keys_are_errors_at_every_level),
	    cmocka_unit_test(test_wrong_types_are_errors),
	    cmocka_unit_test(test_bad_values_of_enumerations_and_socket_are_errors),
	    cmocka_unit_test(test_limits_are_bounds_checked),
	    cmocka_unit_test(test_release_missing_required_keys_reports_the_release_line),
	    cmocka_unit_test(test_release_file_without_release_group_is_an_error),
	    cmocka_unit_test(test_empty_identifier_and_content_lists_are_an_error),
	    cmocka_unit_test(test_bad_release_id_and_empty_strings_are_errors),
	    cmocka_unit_test(test_duplicate_release_id_names_both_places),
	    cmocka_unit_test(test_bad_times_and_order_are_errors),
	    cmocka_unit_test(test_unknown_timezone_is_an_error_and_releases_are_still_checked),
	    cmocka_unit_test(test_bad_addresses_are_reported_at_their_own_line),
	    cmocka_unit_test(test_missing_pra_file_is_an_error),
	    cmocka_unit_test(test_bad_pra_lines_report_pra_file_and_line),
	    cmocka_unit_test(test_missing_releases_dir_is_an_error),
	    cmocka_unit_test(test_bad_releases_dir_setting_is_reported_once),
	    cmocka_unit_test(test_every_error_is_collected_in_one_pass),
	    cmocka_unit_test(test_only_conf_files_are_read_in_name_order),
	    cmocka_unit_test(test_errors_in_an_included_file_name_that_file),
	    cmocka_unit_test(test_free_accepts_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
