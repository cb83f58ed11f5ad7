/*
 * Unit tests for PRA as the Order defines it (em_pra, the config keys and the
 * decision): the PRA file's columns, each entry's own window with an injected
 * clock (before, at the edges, inside, after), strings keeping their old
 * meaning, FILE:LINE errors, max_pra_hours and marker_sets, and the release
 * calendar's effect on the decision (postponed, cancelled).
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

#include "em_caldata.h"
#include "em_config.h"
#include "em_pra.h"
#include "em_rules.h"
#include "em_scan.h"
#include "em_time.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char path[128];

	snprintf(dir, sizeof(dir), "/tmp/em-pra-test-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/releases.d", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/markers", dir);
	mkdir(path, 0700);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static time_t T(const char *s)
{
	time_t t;
	char err[128];

	assert_int_equal(em_time_parse(s, "Europe/London", &t, err, sizeof(err)), 0);
	return t;
}

/* Loads main.conf of the temp dir; errors are appended to errs. */
static struct em_rules *load(struct em_errors *errs)
{
	char path[128];
	struct em_config *cfg;
	struct em_rules *r = NULL;

	snprintf(path, sizeof(path), "%s/main.conf", dir);
	cfg = em_config_load(path, errs);
	if (cfg)
		r = em_rules_build(cfg, errs);
	if (cfg && r == NULL)
		em_config_free(cfg);
	return r;
}

static bool has_error(const struct em_errors *errs, const char *file, int line, const char *text)
{
	char want[512];

	snprintf(want, sizeof(want), "%s/%s:%d: ", dir, file, line);
	for (size_t i = 0; i < errs->n; i++)
		if (strncmp(errs->v[i], want, strlen(want)) == 0 && strstr(errs->v[i], text))
			return true;
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "  error: %s\n", errs->v[i]);
	fprintf(stderr, "ERROR: no error \"%s...%s\"\n", want, text);
	return false;
}

/* Action for one message to rcpt at time `at`, with calendar cal (may be NULL). */
static enum em_action decide(struct em_rules *r, const char *rcpt, const char *at,
			     const struct em_caldata *cal)
{
	static const char msg[] = "Subject: OFFICIAL-SENSITIVE: Looked After Children draft\r\n"
				  "\r\nThe draft is attached.\r\n";
	struct em_scan *s = em_scan_new(r, NULL);
	struct em_verdict *v = NULL;
	enum em_action a;

	assert_non_null(s);
	assert_int_equal(em_scan_set_sender(s, "hop@stats.example.gov.uk"), 0);
	assert_int_equal(em_scan_add_rcpt(s, rcpt), 0);
	em_scan_set_calendar(s, cal);
	assert_int_equal(em_scan_push(s, msg, sizeof(msg) - 1), 0);
	assert_int_equal(em_scan_finish(s, T(at), &v), 0);
	a = v->action;
	em_verdict_free(v);
	em_scan_free(s);
	return a;
}

/* ------------------------------------------------------------- columns */

static void test_tab_columns_keep_spaces_and_commas_in_roles(void **state)
{
	char line[] =
	    "spad@example.gov.uk\tDeputy Director, Policy\t2026-11-18 14:00\t2026-11-19 09:30";
	char *col[4];

	assert_int_equal(em_pra_split(line, col, NULL, 0), 4);
	assert_string_equal(col[0], "spad@example.gov.uk");
	assert_string_equal(col[1], "Deputy Director, Policy");
	assert_string_equal(col[2], "2026-11-18 14:00");
	assert_string_equal(col[3], "2026-11-19 09:30");
}

static void test_tab_columns_dash_and_empty_mean_not_given(void **state)
{
	char line[] = "a@example.gov.uk\t-\t\t2026-11-19 09:00";
	char *col[4];

	/* Each TAB separates: the empty column between two TABs is "from", not given. */
	assert_int_equal(em_pra_split(line, col, NULL, 0), 4);
	assert_string_equal(col[0], "a@example.gov.uk");
	assert_null(col[1]);
	assert_null(col[2]);
	assert_string_equal(col[3], "2026-11-19 09:00");
}

static void test_spaces_with_quoted_role_and_unquoted_date_time(void **state)
{
	char line[] =
	    "  head.of.news@example.gov.uk \"Head of News\" 2026-11-19 08:30 2026-11-19T09:30Z ";
	char *col[4];

	assert_int_equal(em_pra_split(line, col, NULL, 0), 4);
	assert_string_equal(col[1], "Head of News");
	assert_string_equal(col[2], "2026-11-19 08:30");
	assert_string_equal(col[3], "2026-11-19T09:30Z");
}

static void test_single_address_is_one_column(void **state)
{
	char line[] = "minister.po@example.gov.uk";
	char *col[4];

	assert_int_equal(em_pra_split(line, col, NULL, 0), 1);
	assert_string_equal(col[0], "minister.po@example.gov.uk");
	assert_null(col[1]);
}

static void test_unquoted_role_with_spaces_is_too_many_columns(void **state)
{
	char line[] = "a@example.gov.uk Head of News 2026-11-19 08:30";
	char *col[4], err[160];

	assert_int_equal(em_pra_split(line, col, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "quote a role with spaces"));
}

static void test_unterminated_quote_is_an_error(void **state)
{
	char line[] = "a@example.gov.uk \"Head of News";
	char *col[4], err[160];

	assert_int_equal(em_pra_split(line, col, err, sizeof(err)), -1);
	assert_string_equal(err, "unterminated quote");
}

/* ------------------------------------------------------------- windows */

static void test_window_edges_from_inclusive_until_exclusive(void **state)
{
	struct em_pra p = {NULL, 0};
	time_t from = T("2026-11-18 14:00"), until = T("2026-11-18 17:00");
	time_t rel_from = T("2026-11-18 09:30"), pub = T("2026-11-19 09:30");

	assert_int_equal(
	    em_pra_add(&p, "spad@example.gov.uk", "SpAd", &from, &until, NULL, 0, NULL, 0), 0);
	assert_false(em_pra_allows(&p, "spad@example.gov.uk", from - 1, rel_from, pub));
	assert_true(em_pra_allows(&p, "<SPAD@example.gov.uk>", from, rel_from, pub));
	assert_true(em_pra_allows(&p, "spad@example.gov.uk", until - 1, rel_from, pub));
	assert_false(em_pra_allows(&p, "spad@example.gov.uk", until, rel_from, pub));
	assert_false(em_pra_allows(&p, "other@example.gov.uk", from, rel_from, pub));
	em_pra_clear(&p);
}

static void test_missing_bound_defaults_to_release_window(void **state)
{
	struct em_pra p = {NULL, 0};
	time_t from = T("2026-11-19 08:30"), until = T("2026-11-18 12:00");
	time_t rel_from = T("2026-11-18 09:30"), pub = T("2026-11-19 09:30");

	assert_int_equal(em_pra_add(&p, "news@example.gov.uk", NULL, &from, NULL, NULL, 0, NULL, 0),
			 0);
	assert_int_equal(
	    em_pra_add(&p, "early@example.gov.uk", NULL, NULL, &until, NULL, 0, NULL, 0), 0);
	/* from only: until publication */
	assert_true(em_pra_allows(&p, "news@example.gov.uk", pub - 1, rel_from, pub));
	assert_false(em_pra_allows(&p, "news@example.gov.uk", from - 60, rel_from, pub));
	/* until only: from the release's pre_release_from */
	assert_false(em_pra_allows(&p, "early@example.gov.uk", rel_from - 1, rel_from, pub));
	assert_true(em_pra_allows(&p, "early@example.gov.uk", rel_from, rel_from, pub));
	assert_false(em_pra_allows(&p, "early@example.gov.uk", until, rel_from, pub));
	em_pra_clear(&p);
}

static void test_entries_without_own_window_are_left_to_the_release_list(void **state)
{
	struct em_pra p = {NULL, 0};

	assert_int_equal(
	    em_pra_add(&p, "po@example.gov.uk", "Private Secretary", NULL, NULL, NULL, 0, NULL, 0),
	    0);
	assert_false(em_pra_allows(&p, "po@example.gov.uk", T("2026-11-19 09:00"),
				   T("2026-11-18 09:30"), T("2026-11-19 09:30")));
	em_pra_clear(&p);
}

static void test_bad_address_is_refused_with_reason(void **state)
{
	struct em_pra p = {NULL, 0};
	char err[128];

	assert_int_equal(
	    em_pra_add(&p, "not an address", NULL, NULL, NULL, NULL, 0, err, sizeof(err)), -2);
	assert_string_equal(err, "spaces inside address");
	assert_int_equal(p.n, 0);
	em_pra_clear(&p);
}

/* -------------------------------------------------- config and decision */

/* identifier + marker is weak evidence (issue 11): these tests hold it, as before */
static const char MAIN[] = "releases_dir = \"releases.d\";\nquarantine_dir = \"/tmp\";\n"
			   "weak_action = \"quarantine\";\n";
static const char CLA[] = "release = {\n"
			  "  id = \"cla-2026\"; title = \"Looked After Children\";\n"
			  "  publish_at = \"2026-11-19 09:30\";\n"
			  "  identifiers = ( \"Looked After Children\" );\n"
			  "  producers = ( \"@stats.example.gov.uk\" );\n"
			  "  calendar_uid = \"cla-2026@stats.example.gov.uk\";\n"
			  "  pre_release_access = ( \"po@example.gov.uk\",\n"
			  "    { address = \"spad@example.gov.uk\"; role = \"Special Adviser\";\n"
			  "      from = \"2026-11-18 14:00\"; until = \"2026-11-19 09:30\"; } );\n"
			  "  pre_release_access_file = \"cla.pra\";\n"
			  "};\n";
static const char CLA_PRA[] =
    "# address role from until\n"
    "news@example.gov.uk \"Head of News\" 2026-11-19 08:30\n"
    "lead@example.gov.uk\tPolicy lead\t2026-11-18 09:30\t2026-11-18 17:00\n"
    "permsec@example.gov.uk\tPermanent Secretary\n";

static struct em_rules *load_cla(void)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r;

	write_file("main.conf", MAIN);
	write_file("releases.d/cla.conf", CLA);
	write_file("releases.d/cla.pra", CLA_PRA);
	r = load(&errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	em_errors_free(&errs);
	assert_non_null(r);
	return r;
}

static void test_object_entry_uses_its_own_window(void **state)
{
	struct em_rules *r = load_cla();

	/* The release window opens at 09:30 the day before; the SpAd's at 14:00. */
	assert_int_equal(decide(r, "spad@example.gov.uk", "2026-11-18 12:00", NULL), EM_QUARANTINE);
	assert_int_equal(decide(r, "spad@example.gov.uk", "2026-11-18 14:00", NULL), EM_ACCEPT);
	assert_int_equal(decide(r, "po@example.gov.uk", "2026-11-18 12:00", NULL), EM_ACCEPT);
	em_rules_free(r);
}

static void test_pra_file_columns_give_roles_and_windows(void **state)
{
	struct em_rules *r = load_cla();
	const struct em_release *rel = em_rules_release(r, 0);

	assert_int_equal(rel->pra_entries->n, 5);
	assert_string_equal(rel->pra_entries->v[2].role, "Head of News");
	assert_true(rel->pra_entries->v[2].has_from);
	assert_false(rel->pra_entries->v[2].has_until);
	assert_int_equal(rel->pra_entries->v[2].line, 2);
	assert_int_equal(decide(r, "news@example.gov.uk", "2026-11-19 08:00", NULL), EM_QUARANTINE);
	assert_int_equal(decide(r, "news@example.gov.uk", "2026-11-19 08:30", NULL), EM_ACCEPT);
	assert_int_equal(decide(r, "lead@example.gov.uk", "2026-11-18 16:59", NULL), EM_ACCEPT);
	assert_int_equal(decide(r, "lead@example.gov.uk", "2026-11-18 17:00", NULL), EM_QUARANTINE);
	/* a role without times: the release's window */
	assert_int_equal(decide(r, "permsec@example.gov.uk", "2026-11-18 09:29", NULL),
			 EM_QUARANTINE);
	assert_int_equal(decide(r, "permsec@example.gov.uk", "2026-11-18 09:30", NULL), EM_ACCEPT);
	em_rules_free(r);
}

static void test_postponed_calendar_moves_publication_and_windows(void **state)
{
	struct em_rules *r = load_cla();
	struct em_caldata *cal = em_caldata_new();

	assert_int_equal(em_caldata_add(cal, "cla-2026@stats.example.gov.uk", T("2026-11-26 09:30"),
					false, NULL),
			 0);
	/* after the rule's publish_at: public without the calendar, embargoed with it */
	assert_int_equal(decide(r, "press@example.org", "2026-11-20 10:00", NULL), EM_ACCEPT);
	assert_int_equal(decide(r, "press@example.org", "2026-11-20 10:00", cal), EM_QUARANTINE);
	assert_int_equal(decide(r, "press@example.org", "2026-11-26 09:30", cal), EM_ACCEPT);
	/* the PRA window moves with the publication: 24 h before the new time */
	assert_int_equal(decide(r, "po@example.gov.uk", "2026-11-18 12:00", cal), EM_QUARANTINE);
	assert_int_equal(decide(r, "po@example.gov.uk", "2026-11-25 09:30", cal), EM_ACCEPT);
	em_caldata_unref(cal);
	em_rules_free(r);
}

/* Unreadable content is let through only when no embargoed release is
 * signalled: "embargoed" means until the calendar's later time too (red team
 * round 3: an encrypted body naming a postponed release was accepted between
 * the rule's publish_at and the calendar's time). */
static void test_unreadable_content_under_a_postponed_release_is_not_let_through(void **state)
{
	static const char msg[] = "Subject: Looked After Children draft, as agreed\r\n\r\n"
				  "-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA1234567890ABAQf/abcdefgh\r\n"
				  "=abcd\r\n-----END PGP MESSAGE-----\r\n";
	struct em_rules *r = load_cla();
	struct em_caldata *cal = em_caldata_new();

	assert_int_equal(em_caldata_add(cal, "cla-2026@stats.example.gov.uk", T("2026-11-26 09:30"),
					false, NULL),
			 0);
	for (int k = 0; k < 3; k++) {
		const struct em_caldata *c = k == 0 ? NULL : cal;
		const char *at = k == 2 ? "2026-11-26 10:00" : "2026-11-20 10:00";
		struct em_scan *s = em_scan_new(r, NULL);
		struct em_verdict *v = NULL;

		assert_non_null(s);
		assert_int_equal(em_scan_set_sender(s, "hop@stats.example.gov.uk"), 0);
		assert_int_equal(em_scan_add_rcpt(s, "press@example.org"), 0);
		em_scan_set_calendar(s, c);
		assert_int_equal(em_scan_push(s, msg, sizeof(msg) - 1), 0);
		assert_int_equal(em_scan_finish(s, T(at), &v), 0);
		/* without the calendar, or after its time: published, let through;
		 * before the calendar's time: the configured on_error */
		if (k == 1)
			assert_int_not_equal(v->action, EM_ACCEPT);
		else
			assert_int_equal(v->action, EM_ACCEPT);
		em_verdict_free(v);
		em_scan_free(s);
	}
	em_caldata_unref(cal);
	em_rules_free(r);
}

static void test_cancelled_or_earlier_calendar_never_ends_the_embargo_early(void **state)
{
	struct em_rules *r = load_cla();
	struct em_caldata *cal = em_caldata_new(), *early = em_caldata_new();

	assert_int_equal(
	    em_caldata_add(cal, "cla-2026@stats.example.gov.uk", T("2026-11-19 09:30"), true, NULL),
	    0);
	assert_int_equal(em_caldata_add(early, "cla-2026@stats.example.gov.uk",
					T("2026-11-12 09:30"), false, NULL),
			 0);
	assert_int_equal(decide(r, "press@example.org", "2027-01-01 10:00", cal), EM_QUARANTINE);
	/* nobody has access to a cancelled release, not even the PRA list */
	assert_int_equal(decide(r, "po@example.gov.uk", "2026-11-19 09:00", cal), EM_QUARANTINE);
	/* an earlier calendar time is ignored: the rule's publish_at stands */
	assert_int_equal(decide(r, "press@example.org", "2026-11-15 10:00", early), EM_QUARANTINE);
	assert_int_equal(decide(r, "po@example.gov.uk", "2026-11-18 12:00", early), EM_ACCEPT);
	em_caldata_unref(cal);
	em_caldata_unref(early);
	em_rules_free(r);
}

static void test_pra_object_errors_name_file_and_line(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;

	write_file("main.conf", MAIN);
	write_file("releases.d/bad.conf",
		   "release = {\n"
		   "  id = \"bad\"; title = \"Bad\"; publish_at = \"2026-11-19 09:30\";\n"
		   "  identifiers = ( \"Bad\" );\n"
		   "  pre_release_access = (\n"
		   "    { role = \"No address\"; },\n"
		   "    { address = \"a@example.gov.uk\"; from = \"tomorrow\"; },\n"
		   "    { address = \"b@example.gov.uk\"; from = \"2026-11-19 09:00\";\n"
		   "      until = \"2026-11-19 08:00\"; },\n"
		   "    { address = \"c@example.gov.uk\"; rolle = \"typo\"; }\n"
		   "  );\n"
		   "  pre_release_access_file = \"bad.pra\";\n"
		   "};\n");
	write_file("releases.d/bad.pra", "ok@example.gov.uk \"Fine\"\n"
					 "d@example.gov.uk \"Role\" 2026-13-01 10:00\n"
					 "e@example.gov.uk \"Role\n");
	assert_null(load(&errs));
	assert_true(has_error(&errs, "releases.d/bad.conf", 5, "missing \"address\""));
	assert_true(has_error(&errs, "releases.d/bad.conf", 6, "from: expected YYYY-MM-DD"));
	assert_true(has_error(&errs, "releases.d/bad.conf", 7, "from is not before until"));
	assert_true(has_error(&errs, "releases.d/bad.conf", 9, "unknown setting \"rolle\""));
	assert_true(has_error(&errs, "releases.d/bad.pra", 2, "from \"2026-13-01 10:00\""));
	assert_true(has_error(&errs, "releases.d/bad.pra", 3, "unterminated quote"));
	em_errors_free(&errs);
	{
		char p[128];

		snprintf(p, sizeof(p), "%s/releases.d/bad.conf", dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/releases.d/bad.pra", dir);
		unlink(p);
	}
}

static void test_max_pra_hours_is_checked(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;

	write_file("main.conf", "releases_dir = \"releases.d\";\nmax_pra_hours = 0;\n");
	write_file("releases.d/cla.conf", CLA);
	write_file("releases.d/cla.pra", CLA_PRA);
	assert_null(load(&errs));
	assert_true(has_error(&errs, "main.conf", 2, "max_pra_hours: must be between 1"));
	em_errors_free(&errs);
}

/* issue 9: quarantine_retention_days, default 90, 0 = for ever, checked with FILE:LINE */
static void test_quarantine_retention_days_defaults_reads_and_is_checked(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r;

	write_file("releases.d/cla.conf", CLA);
	write_file("releases.d/cla.pra", CLA_PRA);
	write_file("main.conf", "releases_dir = \"releases.d\";\n");
	assert_non_null(r = load(&errs));
	assert_int_equal(em_rules_config(r)->quarantine_retention_days, 90);
	em_rules_free(r);
	write_file("main.conf", "releases_dir = \"releases.d\";\nquarantine_retention_days = 0;\n");
	assert_non_null(r = load(&errs));
	assert_int_equal(em_rules_config(r)->quarantine_retention_days, 0);
	em_rules_free(r);
	write_file("main.conf",
		   "releases_dir = \"releases.d\";\n\nquarantine_retention_days = -1;\n");
	assert_null(load(&errs));
	assert_true(has_error(&errs, "main.conf", 3, "quarantine_retention_days: must be 0"));
	em_errors_free(&errs);
}

static void test_marker_sets_add_markers_with_their_own_lines(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r;

	write_file("markers/probe.markers", "# comment\n\nLOOKED AFTER EMBARGO\n");
	write_file("main.conf", "releases_dir = \"releases.d\";\nmarkers = ( );\n"
				"marker_sets_dir = \"markers\";\nmarker_sets = ( \"probe\" );\n");
	write_file("releases.d/cla.conf", CLA);
	write_file("releases.d/cla.pra", CLA_PRA);
	r = load(&errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	assert_non_null(r);
	assert_int_equal(em_rules_config(r)->markers.n, 1);
	assert_int_equal(em_rules_config(r)->markers.v[0].line, 3);
	/* markers = () removed the defaults: OFFICIAL-SENSITIVE alone no longer holds */
	assert_int_equal(decide(r, "press@example.org", "2026-11-18 12:00", NULL), EM_ACCEPT);
	em_rules_free(r);

	write_file("markers/probe.markers", "OFFICIAL-SENSITIVE\n(unclosed\n");
	write_file("main.conf", "releases_dir = \"releases.d\";\nmarker_sets_dir = \"markers\";\n"
				"marker_sets = ( \"probe\" );\n");
	assert_null(load(&errs));
	/* a bad pattern is reported where it is written: in the set's file */
	assert_true(has_error(&errs, "markers/probe.markers", 2, "marker \"(unclosed\""));
	em_errors_free(&errs);
	write_file("main.conf", "releases_dir = \"releases.d\";\nmarker_sets_dir = \"markers\";\n"
				"marker_sets = ( \"probe\",\n \"missing\" );\n");
	assert_null(load(&errs));
	assert_true(has_error(&errs, "main.conf", 4, "marker_sets: \"missing\": cannot read"));
	em_errors_free(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tab_columns_keep_spaces_and_commas_in_roles),
	    cmocka_unit_test(test_tab_columns_dash_and_empty_mean_not_given),
	    cmocka_unit_test(test_spaces_with_quoted_role_and_unquoted_date_time),
	    cmocka_unit_test(test_single_address_is_one_column),
	    cmocka_unit_test(test_unquoted_role_with_spaces_is_too_many_columns),
	    cmocka_unit_test(test_unterminated_quote_is_an_error),
	    cmocka_unit_test(test_window_edges_from_inclusive_until_exclusive),
	    cmocka_unit_test(test_missing_bound_defaults_to_release_window),
	    cmocka_unit_test(test_entries_without_own_window_are_left_to_the_release_list),
	    cmocka_unit_test(test_bad_address_is_refused_with_reason),
	    cmocka_unit_test(test_object_entry_uses_its_own_window),
	    cmocka_unit_test(test_pra_file_columns_give_roles_and_windows),
	    cmocka_unit_test(test_postponed_calendar_moves_publication_and_windows),
	    cmocka_unit_test(test_unreadable_content_under_a_postponed_release_is_not_let_through),
	    cmocka_unit_test(test_cancelled_or_earlier_calendar_never_ends_the_embargo_early),
	    cmocka_unit_test(test_pra_object_errors_name_file_and_line),
	    cmocka_unit_test(test_max_pra_hours_is_checked),
	    cmocka_unit_test(test_quarantine_retention_days_defaults_reads_and_is_checked),
	    cmocka_unit_test(test_marker_sets_add_markers_with_their_own_lines),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
