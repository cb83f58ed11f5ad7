/*
 * Unit tests for the rule-test runner (`embargoctl test`, milter/ctl/ctl_test.c,
 * compiled in here) and the PRA history (em_prahist): a tree of tests written
 * to a temp dir, the runner's TAP output and exit status read back, and the
 * audit lines of PRA changes between two loads.
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

#include "../../milter/ctl/ctl_calendar.c"
#include "../../milter/ctl/ctl_test.c"
#include "em_prahist.h"

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

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t cap = 0;

	if (f == NULL)
		return strdup("");
	if (getdelim(&s, &cap, '\0', f) < 0) {
		free(s);
		s = strdup("");
	}
	fclose(f);
	return s;
}

static const char MAIN[] = "releases_dir = \"releases.d\";\nquarantine_dir = \"/tmp\";\n";
static const char REL[] = "release = {\n  id = \"gdp\"; title = \"GDP first estimate\";\n"
			  "  publish_at = \"2026-11-13 07:00\";\n"
			  "  identifiers = ( \"GDP first estimate\" );\n"
			  "  content = ( \"GDP grew by [0-9.]+ ?%\" );\n"
			  "  producers = ( \"@stats.example.gov.uk\" );\n"
			  "  pre_release_access = ( \"po@example.gov.uk\" );\n"
			  "  action = \"reject\";\n};\n";
static const char MSG[] = "Subject: tomorrow\r\n\r\nGDP grew by 0.4% in the quarter.\r\n";

static int setup(void **state)
{
	char p[128];

	snprintf(dir, sizeof(dir), "/tmp/em-ctltest-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/releases.d", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/tests", dir);
	mkdir(p, 0700);
	write_file("main.conf", MAIN);
	write_file("releases.d/gdp.conf", REL);
	write_file("tests/leak.eml", MSG);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (getenv("KEEP"))
		return 0;
	return system(cmd) == 0 ? 0 : -1;
}

/* Runs `embargoctl test -c main.conf PATH` with stdout captured into *out. */
static int run(const char *path, char **out)
{
	char conf[128], target[128], cap[128];
	char *argv[] = {"test", "-c", conf, target, NULL};
	int saved, fd, rc;

	snprintf(conf, sizeof(conf), "%s/main.conf", dir);
	snprintf(target, sizeof(target), "%s/%s", dir, path);
	snprintf(cap, sizeof(cap), "%s/out.txt", dir);
	fflush(stdout);
	saved = dup(1);
	fd = open(cap, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 1);
	close(fd);
	optind = 1;
	rc = em_ctl_test(4, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	*out = read_all(cap);
	return rc;
}

static void test_passing_test_prints_ok_and_exits_0(void **state)
{
	char *out;

	write_file("tests/leak.test",
		   "at = \"2026-11-12 21:10\"; from = \"a@stats.example.gov.uk\";\n"
		   "rcpts = ( \"trader@bank.example.com\" ); expect = \"reject\";\n"
		   "release = \"gdp\"; evidence = ( \"content\" );\n"
		   "blocked = ( \"trader@bank.example.com\" );\n");
	assert_int_equal(run("tests", &out), 0);
	assert_non_null(strstr(out, "TAP version 13\n1..1\nok 1 - "));
	assert_non_null(strstr(out, "leak.test: reject at 2026-11-12 21:10\n"));
	free(out);
}

static void test_every_difference_is_said_in_words_and_exits_1(void **state)
{
	char *out;

	write_file("tests/leak.test",
		   "at = \"2026-11-12 21:10\"; from = \"a@stats.example.gov.uk\";\n"
		   "rcpts = ( \"trader@bank.example.com\", \"po@example.gov.uk\" );\n"
		   "expect = \"accept\"; release = ( \"other\" );\n"
		   "evidence = ( \"marker\" ); blocked = ( \"po@example.gov.uk\" );\n");
	assert_int_equal(run("tests/leak.test", &out), 1);
	assert_non_null(strstr(out, "not ok 1 - "));
	assert_non_null(strstr(out, "#   expected accept (the message delivered), but it would be "
				    "reject (refused)\n"));
	assert_non_null(strstr(out, "#   release other was expected to be found, but was not\n"));
	assert_non_null(
	    strstr(out, "#   release gdp was found, but the test does not expect it\n"));
	assert_non_null(strstr(out, "#   evidence of kind marker was expected, but the evidence "
				    "found was: content\n"));
	/* 21:10 is inside the PRA window (from 07:00 the day before): po is allowed */
	assert_non_null(strstr(out, "#   recipient po@example.gov.uk was expected to be blocked, "
				    "but is allowed\n"));
	assert_non_null(strstr(out,
			       "#   recipient trader@bank.example.com is blocked, but the test "
			       "expects it allowed\n"));
	assert_non_null(strstr(out, "# 1 test(s), 0 passed, 1 failed\n"));
	free(out);
}

static void test_the_clock_of_the_test_decides(void **state)
{
	char *out;

	/* the same message at 07:00 is public: accept passes, reject fails */
	write_file("tests/leak.test",
		   "at = \"2026-11-13 07:00\"; from = \"a@stats.example.gov.uk\";\n"
		   "rcpts = \"trader@bank.example.com\"; expect = \"accept\";\n");
	assert_int_equal(run("tests", &out), 0);
	free(out);
	write_file("tests/leak.test",
		   "at = \"2026-11-13 06:59\"; from = \"a@stats.example.gov.uk\";\n"
		   "rcpts = \"trader@bank.example.com\"; expect = \"accept\";\n");
	assert_int_equal(run("tests", &out), 1);
	free(out);
}

static void test_malformed_test_files_fail_with_reasons(void **state)
{
	char *out;

	write_file("tests/leak.test", "from = \"a@b.example\"; rcpts = ( );\nexpect = \"hold\";\n"
				      "evidence = ( \"rumour\" ); colour = 1;\n");
	assert_int_equal(run("tests", &out), 1);
	assert_non_null(strstr(out, "missing `at = "));
	assert_non_null(strstr(out, "rcpts is empty"));
	assert_non_null(strstr(out, "expect \"hold\" is not accept"));
	assert_non_null(strstr(out, "evidence kind \"rumour\" is not marker"));
	assert_non_null(strstr(out, "unknown setting \"colour\""));
	free(out);
	write_file("tests/leak.test", "at = \"2026-11-12 21:10\"; from = \"a@b.example\";\n"
				      "rcpts = \"x@y.example\"; expect = \"reject\";\n"
				      "message = \"missing.eml\";\n");
	assert_int_equal(run("tests", &out), 1);
	assert_non_null(strstr(out, "missing.eml cannot be read"));
	free(out);
}

static void test_a_config_that_does_not_load_fails_every_test_naming_it(void **state)
{
	char *out;

	write_file("bad.conf", "releases_dir = \"releases.d\";\nmode = \"loud\";\n");
	write_file("tests/leak.test",
		   "config = \"../bad.conf\"; at = \"2026-11-12 21:10\";\n"
		   "from = \"a@b.example\"; rcpts = \"x@y.example\"; expect = \"reject\";\n");
	assert_int_equal(run("tests", &out), 1);
	assert_non_null(strstr(out, "does not load:\n#   "));
	assert_non_null(strstr(out, "bad.conf:2: mode: \"loud\" is not one of enforce or monitor"));
	free(out);
}

static void test_todo_reports_a_known_gap_without_failing(void **state)
{
	char *out;

	write_file("tests/leak.test",
		   "at = \"2026-11-12 21:10\"; from = \"a@stats.example.gov.uk\";\n"
		   "rcpts = \"trader@bank.example.com\"; expect = \"accept\";\n"
		   "todo = \"a known gap\";\n");
	assert_int_equal(run("tests", &out), 0);
	assert_non_null(strstr(out, "not ok 1 - "));
	assert_non_null(strstr(out, " # TODO a known gap\n"));
	assert_non_null(strstr(out, "1 known gap(s) (todo) failing"));
	free(out);
}

/* ---- PRA history ---- */

static struct em_config *load_cfg(void)
{
	struct em_errors errs = EM_ERRORS_INIT;
	char p[128];
	struct em_config *c;

	snprintf(p, sizeof(p), "%s/main.conf", dir);
	c = em_config_load(p, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	em_errors_free(&errs);
	assert_non_null(c);
	return c;
}

static size_t record(char *state_path, char *audit, time_t at)
{
	struct em_config *c = load_cfg();
	size_t n = 99;
	char err[256];

	assert_int_equal(em_prahist_record(c, state_path, audit, at, &n, err, sizeof(err)), 0);
	em_config_free(c);
	return n;
}

static void test_pra_history_records_added_changed_removed(void **state)
{
	char st[128], audit[128], *log;

	snprintf(st, sizeof(st), "%s/pra-state.json", dir);
	snprintf(audit, sizeof(audit), "%s/audit.log", dir);
	unlink(st);
	unlink(audit);
	assert_int_equal(record(st, audit, 1000), 1); /* first load: the entry is added */
	assert_int_equal(record(st, audit, 1001), 0); /* same list: nothing */
	write_file(
	    "releases.d/gdp.conf",
	    "release = {\n  id = \"gdp\"; title = \"GDP first estimate\";\n"
	    "  publish_at = \"2026-11-13 07:00\"; identifiers = ( \"GDP first estimate\" );\n"
	    "  pre_release_access = ( { address = \"PO@example.gov.uk\"; role = \"Private "
	    "Secretary\"; from = \"2026-11-12 12:00\"; },\n"
	    "    { address = \"spad@example.gov.uk\"; role = \"Special Adviser\"; } );\n};\n");
	assert_int_equal(record(st, audit, 1002), 2); /* po changed, spad added */
	write_file("releases.d/gdp.conf", REL);
	assert_int_equal(record(st, audit, 1003), 2); /* po changed back, spad removed */
	log = read_all(audit);
	assert_non_null(strstr(log, "\"event\":\"pra_change\",\"at\":\"1970-01-01T00:16:40Z\""));
	assert_non_null(strstr(log, "\"change\":\"added\",\"address\":\"po@example.gov.uk\","
				    "\"role\":null,\"from\":\"2026-11-12T07:00:00Z\","
				    "\"until\":\"2026-11-13T07:00:00Z\""));
	assert_non_null(strstr(log,
			       "\"change\":\"changed\",\"address\":\"po@example.gov.uk\","
			       "\"role\":\"Private Secretary\",\"from\":\"2026-11-12T12:00:00Z\","
			       "\"until\":\"2026-11-13T07:00:00Z\",\"was\":{\"role\":null,"
			       "\"from\":\"2026-11-12T07:00:00Z\""));
	assert_non_null(strstr(log, "\"change\":\"added\",\"address\":\"spad@example.gov.uk\""));
	assert_non_null(strstr(log, "\"change\":\"removed\",\"address\":\"spad@example.gov.uk\""));
	free(log);
}

static void test_state_directory_is_created_when_missing(void **state)
{
	char st[128], audit[128];
	struct stat sb;

	snprintf(st, sizeof(st), "%s/newq/pra-state.json", dir);
	snprintf(audit, sizeof(audit), "%s/audit3.log", dir);
	assert_int_equal(record(st, audit, 7), 1);
	assert_int_equal(stat(st, &sb), 0);
}

static void test_corrupt_state_file_writes_nothing(void **state)
{
	char st[128], audit[128], err[256], *log;
	struct em_config *c = load_cfg();
	size_t n;

	snprintf(st, sizeof(st), "%s/pra-state.json", dir);
	snprintf(audit, sizeof(audit), "%s/audit2.log", dir);
	write_file("pra-state.json", "{ torn");
	assert_int_equal(em_prahist_record(c, st, audit, 5, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pra-state.json:1:"));
	log = read_all(audit);
	assert_string_equal(log, "");
	free(log);
	em_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_passing_test_prints_ok_and_exits_0),
	    cmocka_unit_test(test_every_difference_is_said_in_words_and_exits_1),
	    cmocka_unit_test(test_the_clock_of_the_test_decides),
	    cmocka_unit_test(test_malformed_test_files_fail_with_reasons),
	    cmocka_unit_test(test_a_config_that_does_not_load_fails_every_test_naming_it),
	    cmocka_unit_test(test_todo_reports_a_known_gap_without_failing),
	    cmocka_unit_test(test_pra_history_records_added_changed_removed),
	    cmocka_unit_test(test_state_directory_is_created_when_missing),
	    cmocka_unit_test(test_corrupt_state_file_writes_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
