/*
 * test_qperm - reviewer_group on the quarantine store (em_qperm): modes and
 * group of directories and files, symbolic links never followed, the audit
 * log outside the store, what is already right left alone. Group changes to
 * a foreign group need root; without root the tests use the caller's own
 * group (always allowed) and skip the foreign-owner cases.
 */
#define _GNU_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

/* clang-format off: cmocka.h needs the headers above first */
#include <cmocka.h>
/* clang-format on */

#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "em_qperm.h"

struct fx {
	char dir[64];
	char q[96];
	gid_t gid; /* the group to give: nogroup as root, else our own */
};

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct group *gr = getgrnam("nogroup");

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/test_qperm.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->q, sizeof(fx->q), "%s/quarantine", fx->dir);
	fx->gid = geteuid() == 0 && gr != NULL ? gr->gr_gid : getegid();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static void put(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x\n", 2), 2);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static void assert_mode_group(const char *path, mode_t mode, gid_t gid)
{
	struct stat sb;

	assert_int_equal(lstat(path, &sb), 0);
	if ((sb.st_mode & 07777) != mode || sb.st_gid != gid)
		fail_msg("%s: mode %o group %ld, wanted %o %ld", path, sb.st_mode & 07777,
			 (long)sb.st_gid, mode, (long)gid);
}

static void test_store_directories_become_2750_and_files_0640_of_the_group(void **state)
{
	struct fx *fx = *state;
	char p[256], err[256] = "";

	assert_int_equal(mkdir(fx->q, 0700), 0);
	snprintf(p, sizeof(p), "%s/msg", fx->q);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/msg/20201111T114500Z-3f9a1c2b.eml", fx->q);
	put(p, 0600);
	snprintf(p, sizeof(p), "%s/index.sqlite", fx->q);
	put(p, 0644);
	assert_true(em_qperm_apply(fx->q, NULL, (uid_t)-1, fx->gid, err, sizeof(err)) > 0);
	assert_string_equal(err, "");
	assert_mode_group(fx->q, 02750, fx->gid);
	snprintf(p, sizeof(p), "%s/msg", fx->q);
	assert_mode_group(p, 02750, fx->gid);
	snprintf(p, sizeof(p), "%s/msg/20201111T114500Z-3f9a1c2b.eml", fx->q);
	assert_mode_group(p, 0640, fx->gid);
	snprintf(p, sizeof(p), "%s/index.sqlite", fx->q);
	assert_mode_group(p, 0640, fx->gid);
	/* the second run finds nothing to change */
	assert_int_equal(em_qperm_apply(fx->q, NULL, (uid_t)-1, fx->gid, err, sizeof(err)), 0);
}

static void test_a_missing_store_is_created_and_a_file_made_later_inherits_the_group(void **state)
{
	struct fx *fx = *state;
	char p[256], err[256] = "";

	assert_true(em_qperm_apply(fx->q, NULL, (uid_t)-1, fx->gid, err, sizeof(err)) >= 0);
	assert_mode_group(fx->q, 02750, fx->gid);
	snprintf(p, sizeof(p), "%s/audit.log", fx->q);
	put(p, 0640);
	assert_mode_group(p, 0640, fx->gid);
}

static void test_symbolic_links_are_never_followed(void **state)
{
	struct fx *fx = *state;
	char p[256], target[256], err[256] = "";

	snprintf(target, sizeof(target), "%s/outside", fx->dir);
	put(target, 0600);
	assert_int_equal(mkdir(fx->q, 0750), 0);
	snprintf(p, sizeof(p), "%s/evil", fx->q);
	assert_int_equal(symlink(target, p), 0);
	assert_true(em_qperm_apply(fx->q, NULL, (uid_t)-1, fx->gid, err, sizeof(err)) >= 0);
	assert_mode_group(target, 0600, getegid());
}

static void test_an_audit_log_outside_the_store_gets_the_file_rules(void **state)
{
	struct fx *fx = *state;
	char log[256], err[256] = "";

	snprintf(log, sizeof(log), "%s/audit.log", fx->dir);
	put(log, 0600);
	assert_true(em_qperm_apply(fx->q, log, (uid_t)-1, fx->gid, err, sizeof(err)) > 0);
	assert_mode_group(log, 0640, fx->gid);
}

static void test_a_group_the_caller_may_not_give_is_reported(void **state)
{
	struct fx *fx = *state;
	char err[256] = "";
	struct group *gr = getgrnam("nogroup");

	if (geteuid() == 0 || gr == NULL || em_qperm_can_chgrp(gr->gr_gid))
		skip();
	assert_int_equal(mkdir(fx->q, 0750), 0);
	assert_int_equal(em_qperm_apply(fx->q, NULL, (uid_t)-1, gr->gr_gid, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "chgrp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_store_directories_become_2750_and_files_0640_of_the_group, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_a_missing_store_is_created_and_a_file_made_later_inherits_the_group, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(test_symbolic_links_are_never_followed, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_an_audit_log_outside_the_store_gets_the_file_rules,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_group_the_caller_may_not_give_is_reported, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
