/*
 * test_prefilter - the Vectorscan prefilter never loses a match that PCRE2
 * would confirm, whatever the alignment of the scanned text.
 *
 * Vectorscan 5.4.9 (Debian 12) missed OFFICIAL_SENSITIVE in an msip_labels
 * value at 8-24 of 32 buffer offsets when marker patterns were compiled
 * CASELESS|UTF8|PREFILTER (tests/vectorscan/repro-prefilter-alignment.c);
 * em_rules now compiles a lower-cased prefilter copy without CASELESS.
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
#include "em_match.h"
#include "em_rules.h"
#include "em_text.h"

static char dir[64];
static struct em_rules *rules;

static int setup(void **state)
{
	if (fixture_dir_make(dir, sizeof(dir), "em-prefilter-test") < 0)
		return -1;
	/* exactly the uk-gsc marker set and one identifier: the database that missed */
	fixture_write(dir, "main.conf",
		      "releases_dir = \"releases.d\";\nquarantine_dir = \"/tmp\";\n"
		      "markers = ( \"OFFICIAL ?[-:_]? ?SENSITIVE\", \"\\\\bSWYDDOGOL ?[-:_]? "
		      "?SENSITIF\\\\b\" );\n");
	fixture_write(dir, "releases.d/r.conf",
		      "release = {\n  id = \"probe\";\n  title = \"Probe\";\n"
		      "  publish_at = \"2030-01-01T09:30:00Z\";\n  identifiers = ( \"Probe "
		      "Bulletin\" );\n};\n");
	rules = fixture_rules_load(dir);
	return rules ? 0 : -1;
}

static int teardown(void **state)
{
	return fixture_teardown(dir, rules);
}

static int count_hit(void *ctx, size_t pattern, const char *match, size_t len)
{
	(*(int *)ctx)++;
	return 0;
}

/* Scans `text` (normalized first, as the engine does) copied to each of 64
 * offsets of a buffer; returns how many offsets found nothing. */
static int misses_at_offsets(const char *text)
{
	struct em_buf norm = EM_BUF_INIT;
	struct em_matcher *m = em_matcher_new(rules);
	char *buf;
	int misses = 0;

	assert_non_null(m);
	assert_int_equal(em_norm_append(text, strlen(text), &norm), 0);
	buf = malloc(norm.len + 128);
	assert_non_null(buf);
	for (size_t off = 0; off < 64; off++) {
		int hits = 0;
		memcpy(buf + off, norm.data, norm.len);
		assert_int_equal(em_matcher_scan(m, buf + off, norm.len, count_hit, &hits), 0);
		misses += hits == 0;
	}
	free(buf);
	em_buf_free(&norm);
	em_matcher_free(m);
	return misses;
}

static void test_msip_label_marker_is_found_at_every_alignment(void **state)
{
	assert_int_equal(
	    misses_at_offsets("MSIP_Label_3b7d8a2c-0000-4c1e-9d3a-5f1e2a7b9c10_Enabled=true; "
			      "MSIP_Label_3b7d8a2c-0000-4c1e-9d3a-5f1e2a7b9c10_Name="
			      "OFFICIAL_SENSITIVE;"),
	    0);
}

static void test_upper_case_sources_match_mixed_case_text_at_every_alignment(void **state)
{
	assert_int_equal(misses_at_offsets("Subject: Official - Sensitive draft"), 0);
	assert_int_equal(misses_at_offsets("Rhybudd: SWYDDOGOL-SENSITIF heddiw"), 0);
}

static void test_text_without_a_marker_is_not_matched(void **state)
{
	assert_int_equal(misses_at_offsets("an ordinary note about official statistics"), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_msip_label_marker_is_found_at_every_alignment),
	    cmocka_unit_test(test_upper_case_sources_match_mixed_case_text_at_every_alignment),
	    cmocka_unit_test(test_text_without_a_marker_is_not_matched),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
