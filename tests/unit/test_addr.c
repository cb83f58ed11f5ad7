/*
 * Unit tests for em_addr: entry validation, matching of addresses, @domain
 * and @*.domain, canonical forms, and the PRA file line parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "em_addr.h"

static struct em_addr_list *list_of(const char *const *entries, size_t n)
{
	struct em_addr_list *l = em_addr_list_new();
	char err[128];

	assert_non_null(l);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(em_addr_list_add(l, entries[i], err, sizeof(err)), 0);
	return l;
}

static void test_exact_address_matches_in_any_case_and_spelling(void **state)
{
	const char *e[] = {"Minister.PO@Example.GOV.uk"};
	struct em_addr_list *l = list_of(e, 1);

	assert_true(em_addr_list_match(l, "minister.po@example.gov.uk"));
	assert_true(em_addr_list_match(l, "<MINISTER.PO@EXAMPLE.GOV.UK>"));
	assert_true(em_addr_list_match(l, "  < minister.po@example.gov.uk >\r\n"));
	assert_true(em_addr_list_match(l, "minister.po@example.gov.uk."));
	assert_false(em_addr_list_match(l, "minister.po2@example.gov.uk"));
	assert_false(em_addr_list_match(l, "minister.po@example.gov.uk.evil.example"));
	assert_false(em_addr_list_match(l, "x.minister.po@example.gov.uk"));
	em_addr_list_free(l);
}

static void test_domain_entry_matches_only_that_domain(void **state)
{
	const char *e[] = {"@stats.example.gov.uk"};
	struct em_addr_list *l = list_of(e, 1);

	assert_true(em_addr_list_match(l, "anyone@stats.example.gov.uk"));
	assert_true(em_addr_list_match(l, "<Anyone@STATS.example.gov.uk>"));
	assert_false(em_addr_list_match(l, "anyone@sub.stats.example.gov.uk"));
	assert_false(em_addr_list_match(l, "anyone@example.gov.uk"));
	assert_false(em_addr_list_match(l, "anyone@evilstats.example.gov.uk"));
	assert_false(em_addr_list_match(l, "stats.example.gov.uk"));
	em_addr_list_free(l);
}

static void test_wildcard_domain_matches_domain_and_every_subdomain(void **state)
{
	const char *e[] = {"@*.example.gov.uk"};
	struct em_addr_list *l = list_of(e, 1);

	assert_true(em_addr_list_match(l, "a@example.gov.uk"));
	assert_true(em_addr_list_match(l, "a@stats.example.gov.uk"));
	assert_true(em_addr_list_match(l, "a@x.y.z.EXAMPLE.gov.uk"));
	assert_false(em_addr_list_match(l, "a@badexample.gov.uk"));
	assert_false(em_addr_list_match(l, "a@gov.uk"));
	assert_false(em_addr_list_match(l, "a@example.gov.uk.evil.example"));
	em_addr_list_free(l);
}

/* Red team round 3: Postfix forwards user%elsewhere@domain, elsewhere!user@domain
 * and "user@elsewhere"@domain when the domain is its own; a domain entry must
 * not let them through. A full address on the list still matches as written. */
static void test_domain_entry_never_allows_a_local_part_that_routes_elsewhere(void **state)
{
	const char *e[] = {"@stats.example.gov.uk", "@*.pra.example.gov.uk",
			   "ops%night@example.gov.uk"};
	struct em_addr_list *l = list_of(e, 3);

	assert_true(em_addr_list_match(l, "analyst@stats.example.gov.uk"));
	assert_true(em_addr_list_match(l, "a.b-c+tag@x.pra.example.gov.uk"));
	assert_false(em_addr_list_match(l, "leak%gmail.com@stats.example.gov.uk"));
	assert_false(em_addr_list_match(l, "gmail.com!leak@stats.example.gov.uk"));
	assert_false(em_addr_list_match(l, "\"leak@gmail.com\"@stats.example.gov.uk"));
	assert_false(em_addr_list_match(l, "<leak%gmail.com@x.pra.example.gov.uk>"));
	assert_true(em_addr_list_match(l, "ops%night@example.gov.uk"));
	em_addr_list_free(l);
}

static void test_address_without_at_matches_nothing_but_an_exact_entry(void **state)
{
	const char *e[] = {"@*.example.org", "@example.org", "postmaster@example.org"};
	struct em_addr_list *l = list_of(e, 3);

	assert_false(em_addr_list_match(l, "postmaster"));
	assert_false(em_addr_list_match(l, "<postmaster>"));
	assert_false(em_addr_list_match(l, "<>"));
	assert_false(em_addr_list_match(l, ""));
	assert_false(em_addr_list_match(l, "example.org"));
	assert_false(em_addr_list_match(l, "user@"));
	em_addr_list_free(l);
}

static void test_source_route_in_envelope_is_ignored(void **state)
{
	const char *e[] = {"user@example.org"};
	struct em_addr_list *l = list_of(e, 1);

	assert_true(em_addr_list_match(l, "<@relay.example.net:user@example.org>"));
	em_addr_list_free(l);
}

static void test_utf8_bytes_are_kept_and_compared_exactly(void **state)
{
	const char *e[] = {"J\xc3\xb6rg@B\xc3\xbcro.example"};
	struct em_addr_list *l = list_of(e, 1);

	assert_true(em_addr_list_match(l, "j\xc3\xb6rg@b\xc3\xbcro.example"));
	assert_false(em_addr_list_match(l, "j\xc3\x96rg@b\xc3\xbcro.example"));
	em_addr_list_free(l);
}

static void test_invalid_entries_are_refused_with_a_reason(void **state)
{
	static const struct {
		const char *entry, *why;
	} bad[] = {
		{"not an address", "spaces inside address"},
		{"postmaster", "missing @"},
		{"", "empty entry"},
		{"   ", "empty entry"},
		{"@", "empty domain"},
		{"user@", "empty domain"},
		{"@*.", "empty domain"},
		{"@*", "empty domain"},
		{"@example..org", "empty label in domain"},
		{"@.example.org", "empty label in domain"},
		{"@ex*ample.org", "'*' is only allowed as @*.domain"},
		{"a@b@example.org", "more than one @"},
		{"@a@example.org", "more than one @"},
		{"a@example.org,b@example.org", "more than one @"},
		{"a@example.org;", "invalid character in domain"},
		{"<a>@example.org", "invalid character in local part"},
		{"a\x01@example.org", "control character inside address"},
	};
	struct em_addr_list *l = em_addr_list_new();
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(err, "unset");
		assert_int_equal(em_addr_list_add(l, bad[i].entry, err, sizeof(err)), -2);
		assert_string_equal(err, bad[i].why);
	}
	assert_int_equal(em_addr_list_count(l), 0);
	em_addr_list_free(l);
}

static void test_plausible_entries_are_accepted(void **state)
{
	const char *ok[] = {"a@b", "@localhost", "@example.org", "@*.example.org",
			    "<first.last+tag@example.org>", "\"odd@local\"@example.org",
			    "user@[192.0.2.1]", "a#b@example.org"};
	struct em_addr_list *l = list_of(ok, sizeof(ok) / sizeof(ok[0]));

	assert_int_equal(em_addr_list_count(l), sizeof(ok) / sizeof(ok[0]));
	assert_true(em_addr_list_match(l, "<\"odd@local\"@EXAMPLE.org>"));
	assert_true(em_addr_list_match(l, "user@[192.0.2.1]"));
	assert_true(em_addr_list_match(l, "root@localhost"));
	em_addr_list_free(l);
}

static void test_duplicate_entries_count_once(void **state)
{
	const char *e[] = {"a@example.org", "A@EXAMPLE.ORG", "<a@example.org>", "@example.org",
			   "@Example.org"};
	struct em_addr_list *l = list_of(e, 5);

	assert_int_equal(em_addr_list_count(l), 2);
	em_addr_list_free(l);
}

static void test_large_list_finds_every_member_and_no_stranger(void **state)
{
	struct em_addr_list *l = em_addr_list_new();
	char a[64], err[64];

	for (int i = 0; i < 20000; i++) {
		snprintf(a, sizeof(a), "user%d@dept%d.example.gov.uk", i, i % 37);
		assert_int_equal(em_addr_list_add(l, a, err, sizeof(err)), 0);
	}
	assert_int_equal(em_addr_list_count(l), 20000);
	for (int i = 0; i < 20000; i++) {
		snprintf(a, sizeof(a), "<USER%d@dept%d.example.gov.uk>", i, i % 37);
		assert_true(em_addr_list_match(l, a));
		snprintf(a, sizeof(a), "user%d@dept%d.example.gov.uk", i, (i + 1) % 37);
		assert_false(em_addr_list_match(l, a));
	}
	em_addr_list_free(l);
}

static void test_empty_or_null_list_matches_nothing(void **state)
{
	struct em_addr_list *l = em_addr_list_new();

	assert_false(em_addr_list_match(l, "a@example.org"));
	assert_false(em_addr_list_match(NULL, "a@example.org"));
	assert_int_equal(em_addr_list_count(NULL), 0);
	em_addr_list_free(l);
	em_addr_list_free(NULL);
}

static void test_bare_strips_brackets_and_space_and_keeps_case(void **state)
{
	static const char *const cases[][2] = {
	    {"<A.B@Example.ORG>", "A.B@Example.ORG"},
	    {"  < a@b >  ", "a@b"},
	    {"a@b", "a@b"},
	    {"<>", ""},
	    {"", ""},
	    {"<a@b", "<a@b"},	  /* not a pair: left as written */
	    {"<<a@b>>", "<a@b>"}, /* one pair only */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *b = em_addr_bare_dup(cases[i][0]);

		assert_non_null(b);
		assert_string_equal(b, cases[i][1]);
		free(b);
	}
	{
		char *b = em_addr_bare_dup(NULL);

		assert_string_equal(b, "");
		free(b);
	}
}

static void test_canon_trims_strips_brackets_and_lowercases(void **state)
{
	char out[64];

	assert_string_equal(em_addr_canon("  <Foo.Bar@Example.ORG>  ", out, sizeof(out)),
			    "foo.bar@example.org");
	assert_string_equal(em_addr_canon("X@Y", out, sizeof(out)), "x@y");
	assert_string_equal(em_addr_canon("<>", out, sizeof(out)), "");
	assert_string_equal(em_addr_canon("\xc3\x84@x.example", out, sizeof(out)),
			    "\xc3\x84@x.example");
}

static void test_canon_too_long_for_buffer_is_empty_not_cut(void **state)
{
	char out[12];

	assert_string_equal(em_addr_canon("a@gov.uk.evil.example", out, sizeof(out)), "");
	assert_string_equal(em_addr_canon("<a@gov.uk>", out, sizeof(out)), "a@gov.uk");
}

struct seen {
	char entry[8][64];
	int line[8];
	int n;
	int fail_at;	/* line whose add returns 7, 0 = never */
};

static int record(void *ctx, const char *entry, int line)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		snprintf(s->entry[s->n], sizeof(s->entry[0]), "%s", entry);
		s->line[s->n] = line;
	}
	s->n++;
	return line == s->fail_at ? 7 : 0;
}

static void test_pra_lines_skip_comments_and_blanks_with_line_numbers(void **state)
{
	const char text[] = "\xef\xbb\xbf# PRA list\r\n"
			    "minister.po@example.gov.uk\r\n"
			    "\n"
			    "   @press.example.gov.uk   # the press office\n"
			    "\t# indented comment\n"
			    "a#b@example.org\n"
			    "last@example.org";
	struct seen s = {.n = 0, .fail_at = 0};

	assert_int_equal(em_addr_parse_lines(text, sizeof(text) - 1, record, &s), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.entry[0], "minister.po@example.gov.uk");
	assert_int_equal(s.line[0], 2);
	assert_string_equal(s.entry[1], "@press.example.gov.uk");
	assert_int_equal(s.line[1], 4);
	assert_string_equal(s.entry[2], "a#b@example.org");
	assert_int_equal(s.line[2], 6);
	assert_string_equal(s.entry[3], "last@example.org");
	assert_int_equal(s.line[3], 7);
}

static void test_pra_lines_stop_at_first_nonzero_from_add(void **state)
{
	const char text[] = "a@x.org\nb@x.org\nc@x.org\n";
	struct seen s = {.n = 0, .fail_at = 2};

	assert_int_equal(em_addr_parse_lines(text, sizeof(text) - 1, record, &s), 7);
	assert_int_equal(s.n, 2);
}

static void test_pra_line_with_nul_byte_does_not_validate(void **state)
{
	const char text[] = "ok@example.org\0junk\n";
	struct seen s = {.n = 0, .fail_at = 0};
	struct em_addr_list *l = em_addr_list_new();
	char err[64];

	assert_int_equal(em_addr_parse_lines(text, sizeof(text) - 1, record, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(em_addr_list_add(l, s.entry[0], err, sizeof(err)), -2);
	em_addr_list_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_address_matches_in_any_case_and_spelling),
	    cmocka_unit_test(test_domain_entry_matches_only_that_domain),
	    cmocka_unit_test(test_wildcard_domain_matches_domain_and_every_subdomain),
	    cmocka_unit_test(test_domain_entry_never_allows_a_local_part_that_routes_elsewhere),
	    cmocka_unit_test(test_address_without_at_matches_nothing_but_an_exact_entry),
	    cmocka_unit_test(test_source_route_in_envelope_is_ignored),
	    cmocka_unit_test(test_utf8_bytes_are_kept_and_compared_exactly),
	    cmocka_unit_test(test_invalid_entries_are_refused_with_a_reason),
	    cmocka_unit_test(test_plausible_entries_are_accepted),
	    cmocka_unit_test(test_duplicate_entries_count_once),
	    cmocka_unit_test(test_large_list_finds_every_member_and_no_stranger),
	    cmocka_unit_test(test_empty_or_null_list_matches_nothing),
	    cmocka_unit_test(test_canon_trims_strips_brackets_and_lowercases),
	    cmocka_unit_test(test_bare_strips_brackets_and_space_and_keeps_case),
	    cmocka_unit_test(test_canon_too_long_for_buffer_is_empty_not_cut),
	    cmocka_unit_test(test_pra_lines_skip_comments_and_blanks_with_line_numbers),
	    cmocka_unit_test(test_pra_lines_stop_at_first_nonzero_from_add),
	    cmocka_unit_test(test_pra_line_with_nul_byte_does_not_validate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
