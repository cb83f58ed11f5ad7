/*
 * test_reltoken - one-time release tokens (milter/adapt/em_reltoken): a
 * token lets through a copy for the chosen recipients exactly once; a copy
 * with another recipient, after expiry, with a malformed or unknown token is
 * not let through. Files in a temp dir; time is passed in.
 */
#define _GNU_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

/* clang-format off: cmocka.h needs the headers above first */
#include <cmocka.h>
/* clang-format on */

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "em_reltoken.h"

#define NOW ((time_t)1900000000)
#define REC "q-20300101-aaaa"

static char dir[64];

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test_reltoken.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void issue(const char *const *rcpts, size_t n, char *tok)
{
	char err[256] = "";

	assert_int_equal(em_reltoken_issue(dir, REC, rcpts, n, NOW, tok, err, sizeof(err)), 0);
	assert_int_equal(strlen(tok), EM_RELTOKEN_SIZE - 1);
}

static void test_a_token_lets_the_chosen_recipients_copy_through_once(void **state)
{
	const char *chosen[] = {"<One@Out.Example>"};
	const char *copy[] = {"one@out.example"};
	char tok[EM_RELTOKEN_SIZE], rec[128], why[256], hv[80];

	issue(chosen, 1, tok);
	snprintf(hv, sizeof(hv), " %s\r\n", tok); /* as a header value arrives */
	assert_int_equal(
	    em_reltoken_redeem(dir, hv, copy, 1, NOW + 5, rec, sizeof(rec), why, sizeof(why)), 1);
	assert_string_equal(rec, REC);
	assert_int_equal(
	    em_reltoken_redeem(dir, tok, copy, 1, NOW + 6, rec, sizeof(rec), why, sizeof(why)), 0);
	assert_non_null(strstr(why, "used"));
}

static void test_a_recipient_not_chosen_spends_the_token_and_is_refused(void **state)
{
	const char *chosen[] = {"one@out.example"};
	const char *copy[] = {"one@out.example", "two@out.example"};
	char tok[EM_RELTOKEN_SIZE], rec[128], why[256];

	issue(chosen, 1, tok);
	assert_int_equal(
	    em_reltoken_redeem(dir, tok, copy, 2, NOW, rec, sizeof(rec), why, sizeof(why)), 0);
	assert_string_equal(rec, "");
	assert_int_equal(
	    em_reltoken_redeem(dir, tok, copy, 1, NOW, rec, sizeof(rec), why, sizeof(why)), 0);
}

static void test_an_expired_token_is_refused(void **state)
{
	const char *chosen[] = {"one@out.example", "two@out.example"};
	char tok[EM_RELTOKEN_SIZE], rec[128], why[256];

	issue(chosen, 2, tok);
	assert_int_equal(em_reltoken_redeem(dir, tok, chosen, 2, NOW + EM_RELTOKEN_TTL_S, rec,
					    sizeof(rec), why, sizeof(why)),
			 0);
	assert_non_null(strstr(why, "expired"));
}

static void test_malformed_and_unknown_tokens_change_nothing(void **state)
{
	const char *chosen[] = {"one@out.example"};
	char tok[EM_RELTOKEN_SIZE], other[EM_RELTOKEN_SIZE], rec[128], why[256];

	issue(chosen, 1, tok);
	memset(other, 'a', EM_RELTOKEN_SIZE - 1);
	other[EM_RELTOKEN_SIZE - 1] = '\0';
	assert_int_equal(
	    em_reltoken_redeem(dir, other, chosen, 1, NOW, rec, sizeof(rec), why, sizeof(why)), 0);
	assert_int_equal(em_reltoken_redeem(dir, "../../etc/passwd", chosen, 1, NOW, rec,
					    sizeof(rec), why, sizeof(why)),
			 0);
	assert_int_equal(
	    em_reltoken_redeem(dir, "", chosen, 1, NOW, rec, sizeof(rec), why, sizeof(why)), 0);
	/* two tokens in one value are not one token */
	char two[2 * EM_RELTOKEN_SIZE + 2];

	snprintf(two, sizeof(two), "%s %s", tok, tok);
	assert_int_equal(
	    em_reltoken_redeem(dir, two, chosen, 1, NOW, rec, sizeof(rec), why, sizeof(why)), 0);
	/* the real one still works after all that */
	assert_int_equal(
	    em_reltoken_redeem(dir, tok, chosen, 1, NOW, rec, sizeof(rec), why, sizeof(why)), 1);
}

static void test_a_dropped_token_is_gone(void **state)
{
	const char *chosen[] = {"one@out.example"};
	char tok[EM_RELTOKEN_SIZE], rec[128], why[256];

	issue(chosen, 1, tok);
	assert_int_equal(em_reltoken_drop(dir, tok), 0);
	assert_int_equal(
	    em_reltoken_redeem(dir, tok, chosen, 1, NOW, rec, sizeof(rec), why, sizeof(why)), 0);
}

static void test_only_the_hash_of_a_token_is_on_disk(void **state)
{
	const char *chosen[] = {"one@out.example"};
	char tok[EM_RELTOKEN_SIZE], path[256];
	struct stat sb;

	issue(chosen, 1, tok);
	snprintf(path, sizeof(path), "%s/release-tokens/%s", dir, tok);
	assert_int_equal(stat(path, &sb), -1);
	snprintf(path, sizeof(path), "%s/release-tokens", dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_a_token_lets_the_chosen_recipients_copy_through_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_a_recipient_not_chosen_spends_the_token_and_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_an_expired_token_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed_and_unknown_tokens_change_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_a_dropped_token_is_gone, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_only_the_hash_of_a_token_is_on_disk, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
