/*
 * test_hscache - the compiled-prefilter cache (em_hscache) gives the same
 * matches as compiling, misses when any rule changes, and falls back to
 * compiling when its file is corrupt, untrusted or cannot be written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h> /* after setjmp.h, stdarg.h, stddef.h */

#include "rules_fixture.h"

#include "em_config.h"
#include "em_hscache.h"
#include "em_match.h"
#include "em_rules.h"
#include "em_text.h"

static char dir[64];
static char cache[128];

static const char *MAIN_CONF = "releases_dir = \"releases.d\";\nquarantine_dir = \"/tmp\";\n"
			       "markers = ( \"OFFICIAL ?[-:_]? ?SENSITIVE\" );\n";

static void write_release(const char *content)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "release = {\n  id = \"probe\";\n  title = \"Probe\";\n"
		 "  publish_at = \"2030-01-01T09:30:00Z\";\n  identifiers = ( \"Probe "
		 "Bulletin\" );\n  content = ( \"%s\" );\n};\n",
		 content);
	fixture_write(dir, "releases.d/r.conf", text);
}

static int setup(void **state)
{
	if (fixture_dir_make(dir, sizeof(dir), "em-hscache-test") < 0)
		return -1;
	fixture_write(dir, "main.conf", MAIN_CONF);
	write_release("widget sales (rose|fell) by [0-9]+ ?%");
	snprintf(cache, sizeof(cache), "%s/cache/sub", dir);
	return 0;
}

static int teardown(void **state)
{
	return fixture_teardown(dir, NULL);
}

/* Loads the fixture config and builds it through the cache in `where`. */
static struct em_rules *build(const char *where, struct em_hscache *c)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules_dbcache ops;
	struct em_config *cfg;
	struct em_rules *r;
	char path[256];

	snprintf(path, sizeof(path), "%s/main.conf", dir);
	assert_int_equal(em_hscache_init(c, where), 0);
	em_hscache_ops(c, &ops);
	cfg = em_config_load(path, &errs);
	assert_non_null(cfg);
	r = em_rules_build_cached(cfg, &errs, &ops);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	em_errors_free(&errs);
	assert_non_null(r);
	return r;
}

static int note_hit(void *ctx, size_t pattern, const char *match, size_t len)
{
	unsigned *mask = ctx;
	if (pattern < 32)
		*mask |= 1u << pattern;
	return 0;
}

/* Which patterns match text (normalized first, as the engine does). */
static unsigned matches(const struct em_rules *r, const char *text)
{
	struct em_buf norm = EM_BUF_INIT;
	struct em_matcher *m = em_matcher_new(r);
	unsigned mask = 0;

	assert_non_null(m);
	assert_int_equal(em_norm_append(text, strlen(text), &norm), 0);
	assert_int_equal(em_matcher_scan(m, norm.data, norm.len, note_hit, &mask), 0);
	em_buf_free(&norm);
	em_matcher_free(m);
	return mask;
}

static const char *TEXT = "OFFICIAL-SENSITIVE: the Probe Bulletin says widget sales rose by 4%";

/* The one file in the cache (there must be exactly one). */
static void only_file(char *path, size_t len)
{
	char cmd[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls %s/hs-*.db | wc -l", cache);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(path, (int)len, p));
	pclose(p);
	assert_int_equal(atoi(path), 1);
	snprintf(cmd, sizeof(cmd), "ls %s/hs-*.db", cache);
	p = popen(cmd, "r");
	assert_non_null(fgets(path, (int)len, p));
	pclose(p);
	path[strcspn(path, "\n")] = '\0';
}

static void test_second_build_is_a_hit_with_the_same_matches(void **state)
{
	struct em_hscache c1, c2;
	struct em_rules *plain = fixture_rules_load(dir);
	struct em_rules *first = build(cache, &c1);
	struct em_rules *second = build(cache, &c2);
	char path[512];
	struct stat st;

	assert_non_null(plain);
	assert_int_equal(c1.hits, 0);
	assert_int_equal(c1.stores, 1);
	assert_int_equal(c2.hits, 1);
	assert_int_equal(c2.stores, 0);
	/* marker, identifier and content all found, as without a cache */
	assert_int_equal(matches(plain, TEXT), 7);
	assert_int_equal(matches(second, TEXT), matches(plain, TEXT));
	assert_int_equal(matches(second, "widget sales fell by 3 %"), 4);
	assert_int_equal(matches(second, "nothing to see"), 0);
	only_file(path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	em_rules_free(plain);
	em_rules_free(first);
	em_rules_free(second);
	em_hscache_free(&c1);
	em_hscache_free(&c2);
}

static void test_a_changed_rule_misses_and_matches_the_new_rule(void **state)
{
	struct em_hscache c;
	struct em_rules *r;

	/* one word of the content pattern changed */
	write_release("gadget sales (rose|fell) by [0-9]+ ?%");
	r = build(cache, &c);
	assert_int_equal(c.hits, 0);
	assert_int_equal(c.stores, 1);
	/* a stale database would not report the new pattern */
	assert_int_equal(matches(r, "gadget sales rose by 4%"), 4);
	assert_int_equal(matches(r, "widget sales rose by 4%"), 0);
	em_rules_free(r);
	em_hscache_free(&c);
	write_release("widget sales (rose|fell) by [0-9]+ ?%");
}

static void test_key_changes_with_any_expression_flag_or_id(void **state)
{
	const char *e1[] = {"ab", "c"}, *e2[] = {"a", "bc"}, *e3[] = {"ab", "d"};
	unsigned f1[] = {1, 2}, f2[] = {1, 3}, i1[] = {0, 1}, i2[] = {0, 2};
	uint8_t k[6][EM_HSCACHE_KEY_BYTES];

	assert_int_equal(em_hscache_key(e1, f1, i1, 2, k[0]), 0);
	assert_int_equal(em_hscache_key(e2, f1, i1, 2, k[1]), 0); /* same bytes, other split */
	assert_int_equal(em_hscache_key(e3, f1, i1, 2, k[2]), 0);
	assert_int_equal(em_hscache_key(e1, f2, i1, 2, k[3]), 0);
	assert_int_equal(em_hscache_key(e1, f1, i2, 2, k[4]), 0);
	assert_int_equal(em_hscache_key(e1, f1, i1, 1, k[5]), 0);
	for (int a = 0; a < 6; a++)
		for (int b = a + 1; b < 6; b++)
			assert_memory_not_equal(k[a], k[b], EM_HSCACHE_KEY_BYTES);
	assert_int_equal(em_hscache_key(e1, f1, i1, 2, k[1]), 0);
	assert_memory_equal(k[0], k[1], EM_HSCACHE_KEY_BYTES);
}

/* Damages the cached file with the shell command cmd ($F = its path), then builds: the file is
 * rejected, the rules are compiled and still match, and the file is
 * rewritten so the next build hits. */
static void damaged_file_is_compiled_over(const char *cmd)
{
	struct em_hscache c0, c1, c2;
	struct em_rules *r;
	char path[512], rm[256];

	snprintf(rm, sizeof(rm), "rm -rf %s", cache);
	assert_int_equal(system(rm), 0);
	em_rules_free(build(cache, &c0)); /* make sure the file is there */
	em_hscache_free(&c0);
	only_file(path, sizeof(path));
	setenv("F", path, 1);
	assert_int_equal(system(cmd), 0);
	r = build(cache, &c1);
	assert_int_equal(c1.hits, 0);
	assert_int_equal(c1.rejected, 1);
	assert_true(c1.why[0] != '\0');
	assert_int_equal(c1.stores, 1);
	assert_int_equal(matches(r, TEXT), 7);
	em_rules_free(r);
	r = build(cache, &c2);
	assert_int_equal(c2.hits, 1);
	assert_int_equal(matches(r, TEXT), 7);
	em_rules_free(r);
	em_hscache_free(&c1);
	em_hscache_free(&c2);
}

static void test_a_flipped_byte_in_the_database_is_compiled_over(void **state)
{
	/* a byte near the end: inside the serialized database */
	damaged_file_is_compiled_over("python3 -c \"import os; f = open(os.environ['F'], 'r+b'); "
				      "f.seek(-100, 2); b = f.read(1); f.seek(-100, 2); "
				      "f.write(bytes([b[0] ^ 0xff]))\"");
}

static void test_a_truncated_file_is_compiled_over(void **state)
{
	damaged_file_is_compiled_over("truncate -s 500 \"$F\"");
}

static void test_a_file_with_another_key_is_compiled_over(void **state)
{
	/* the key in the header is not this file's key */
	damaged_file_is_compiled_over(
	    "printf 'EMHSDB1\\nXXXXXXXX' | dd of=\"$F\" conv=notrunc status=none");
}

static void test_a_file_writable_by_others_is_not_trusted(void **state)
{
	damaged_file_is_compiled_over("chmod 0666 \"$F\"");
}

static void test_an_unwritable_cache_dir_still_compiles(void **state)
{
	struct em_hscache c;
	struct em_rules *r;
	char where[256];

	/* under a regular file: no mkdir can succeed, even as root */
	fixture_write(dir, "plainfile", "x");
	snprintf(where, sizeof(where), "%s/plainfile/cache", dir);
	r = build(where, &c);
	assert_int_equal(c.hits, 0);
	assert_int_equal(c.stores, 0);
	assert_true(c.why[0] != '\0');
	assert_int_equal(matches(r, TEXT), 7);
	em_rules_free(r);
	em_hscache_free(&c);
}

static void test_no_cache_dir_means_compiling(void **state)
{
	struct em_hscache c;
	struct em_rules *r = build(NULL, &c);

	assert_int_equal(c.hits + c.stores, 0);
	assert_int_equal(matches(r, TEXT), 7);
	em_rules_free(r);
	em_hscache_free(&c);
	setenv("EMBARGO_CACHE_DIR", "off", 1);
	assert_null(em_hscache_default_dir());
	setenv("EMBARGO_CACHE_DIR", "/x/y", 1);
	char *d = em_hscache_default_dir();
	assert_string_equal(d, "/x/y");
	free(d);
	unsetenv("EMBARGO_CACHE_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_second_build_is_a_hit_with_the_same_matches),
	    cmocka_unit_test(test_a_changed_rule_misses_and_matches_the_new_rule),
	    cmocka_unit_test(test_key_changes_with_any_expression_flag_or_id),
	    cmocka_unit_test(test_a_flipped_byte_in_the_database_is_compiled_over),
	    cmocka_unit_test(test_a_truncated_file_is_compiled_over),
	    cmocka_unit_test(test_a_file_with_another_key_is_compiled_over),
	    cmocka_unit_test(test_a_file_writable_by_others_is_not_trusted),
	    cmocka_unit_test(test_an_unwritable_cache_dir_still_compiles),
	    cmocka_unit_test(test_no_cache_dir_means_compiling),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
