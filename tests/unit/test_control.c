/*
 * test_control - adapt/em_control: the rule-set hash names the bytes of
 * every file a configuration read (a change in any of them changes it, a
 * rewrite with the same bytes does not), an unreadable file is an error
 * naming it, and the client reports a missing daemon instead of hanging.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* clang-format off: cmocka.h needs the headers above first */
#include <cmocka.h>
/* clang-format on */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "em_control.h"

struct fx {
	char dir[64];
	char *files[2];
	struct em_config cfg;
};

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/test_control.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	assert_true(asprintf(&fx->files[0], "%s/main.conf", fx->dir) > 0);
	assert_true(asprintf(&fx->files[1], "%s/r.conf", fx->dir) > 0);
	put(fx->files[0], "socket = \"inet:1@127.0.0.1\";\n");
	put(fx->files[1], "release = { id = \"a\"; };\n");
	fx->cfg.files = fx->files;
	fx->cfg.nfiles = 2;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	unlink(fx->files[0]);
	unlink(fx->files[1]);
	rmdir(fx->dir);
	free(fx->files[0]);
	free(fx->files[1]);
	free(fx);
	return 0;
}

static void test_hash_changes_with_any_file_and_only_then(void **state)
{
	struct fx *fx = *state;
	char h1[17], h2[17], h3[17], h4[17], err[256];

	assert_int_equal(em_control_hash(&fx->cfg, h1, err, sizeof(err)), 0);
	assert_int_equal(strlen(h1), 16);
	put(fx->files[1], "release = { id = \"a\"; };\n"); /* same bytes */
	assert_int_equal(em_control_hash(&fx->cfg, h2, err, sizeof(err)), 0);
	assert_string_equal(h1, h2);
	put(fx->files[1], "release = { id = \"b\"; };\n");
	assert_int_equal(em_control_hash(&fx->cfg, h3, err, sizeof(err)), 0);
	assert_string_not_equal(h1, h3);
	put(fx->files[1], "release = { id = \"a\"; };\n");
	put(fx->files[0], "socket = \"inet:2@127.0.0.1\";\n");
	assert_int_equal(em_control_hash(&fx->cfg, h4, err, sizeof(err)), 0);
	assert_string_not_equal(h1, h4);
}

static void test_missing_file_is_an_error_naming_it(void **state)
{
	struct fx *fx = *state;
	char h[17], err[256];

	unlink(fx->files[1]);
	assert_int_equal(em_control_hash(&fx->cfg, h, err, sizeof(err)), -1);
	assert_non_null(strstr(err, fx->files[1]));
}

static void test_query_without_a_daemon_says_why(void **state)
{
	struct fx *fx = *state;
	char path[128], err[256];

	snprintf(path, sizeof(path), "%s/none.sock", fx->dir);
	assert_null(em_control_query(path, "status", 1000, err, sizeof(err)));
	assert_string_equal(err, strerror(ENOENT));
}

static void test_default_path_when_not_configured(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(em_control_path(NULL), EM_CONTROL_DEFAULT);
	assert_string_equal(em_control_path(&fx->cfg), EM_CONTROL_DEFAULT);
	fx->cfg.control_socket = (char *)"/x/ctl.sock";
	assert_string_equal(em_control_path(&fx->cfg), "/x/ctl.sock");
	fx->cfg.control_socket = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_hash_changes_with_any_file_and_only_then, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_missing_file_is_an_error_naming_it, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_query_without_a_daemon_says_why, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_path_when_not_configured, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
