/*
 * Unit tests for em_figures: figures as people write them (separators,
 * per cent spellings, words, multipliers, rates, signs), what is never a
 * figure (years, small counts), and the rounding forms of a release figure.
 * Expected forms are worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "em_figures.h"

/* The canonical forms of every figure in text, joined by " ". */
static const char *forms_in(const char *text)
{
	static char out[1024];
	struct em_figure f;
	size_t pos = 0;

	out[0] = '\0';
	while (em_figures_next(text, strlen(text), &pos, &f)) {
		char form[EM_FIG_FORM_MAX];
		em_figures_form(&f, form);
		if (out[0])
			strcat(out, " ");
		strcat(out, form);
	}
	return out;
}

static bool has_form(const char *release_figure, const char *form)
{
	struct em_figure f;
	char why[128], forms[EM_FIG_FORMS_MAX][EM_FIG_FORM_MAX];

	assert_int_equal(em_figures_parse(release_figure, &f, why, sizeof(why)), 0);
	size_t n = em_figures_forms(&f, forms);
	for (size_t i = 0; i < n; i++)
		if (strcmp(forms[i], form) == 0)
			return true;
	return false;
}

static void test_thousands_separators_or_none_are_the_same_count(void **state)
{
	(void)state;
	assert_string_equal(forms_in("80,120 children"), "c:80120");
	assert_string_equal(forms_in("80120 children"), "c:80120");
	assert_string_equal(forms_in("1,234,567"), "c:1234567");
}

static void test_per_cent_spellings_are_one_percentage(void **state)
{
	(void)state;
	assert_string_equal(forms_in("2% 2 % 2 per cent 2 percent 2pc 2 pc"),
			    "p:2 p:2 p:2 p:2 p:2 p:2");
	assert_string_equal(forms_in("up 2.5 percentage points"), "p:2.5");
}

static void test_numbers_in_words_up_to_the_hundreds(void **state)
{
	(void)state;
	assert_string_equal(forms_in("two per cent"), "p:2");
	assert_string_equal(forms_in("sixty-six per ten thousand"), "r:66/10000");
	assert_string_equal(forms_in("a hundred and five children"), "c:105");
	assert_string_equal(forms_in("eighty thousand"), "c:80000");
	assert_string_equal(forms_in("ninety nine per cent"), "p:99");
}

static void test_multipliers_k_thousand_m_million(void **state)
{
	(void)state;
	assert_string_equal(forms_in("just over 80k"), "c:80000");
	assert_string_equal(forms_in("80.1k"), "c:80100");
	assert_string_equal(forms_in("2.4m people and 1.6 million more"), "c:2400000 c:1600000");
	assert_string_equal(forms_in("3bn"), "c:3000000000");
}

static void test_rates_per_n_in_any_spelling(void **state)
{
	(void)state;
	assert_string_equal(forms_in("66 per 10,000"), "r:66/10000");
	assert_string_equal(forms_in("66 per 10k"), "r:66/10000");
	assert_string_equal(forms_in("66/10k"), "r:66/10000");
	assert_string_equal(forms_in("66 in every 10,000"), "r:66/10000");
}

static void test_signs_and_unicode_minus_are_dropped(void **state)
{
	(void)state;
	assert_string_equal(forms_in("(-2%) (+14%)"), "p:2 p:14");
	struct em_figure f;
	char why[64];
	assert_int_equal(em_figures_parse("\xe2\x88\x92"
					  "2%",
					  &f, why, sizeof(why)),
			 0);
	assert_int_equal(f.kind, EM_FIG_PERCENT);
	assert_true(f.value == 2);
}

static void test_years_and_small_counts_are_never_figures(void **state)
{
	(void)state;
	assert_string_equal(forms_in("in 2026, at 31 March, 2019-20, 14 people, 99 red balloons"),
			    "");
	struct em_figure f;
	char why[128];
	assert_int_equal(em_figures_parse("2026", &f, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "year"));
	assert_int_equal(em_figures_parse("42", &f, why, sizeof(why)), -1);
	/* with a unit a small number is a figure */
	assert_int_equal(em_figures_parse("42%", &f, why, sizeof(why)), 0);
}

static void test_a_year_with_a_multiplier_or_separator_is_a_count(void **state)
{
	(void)state;
	assert_string_equal(forms_in("2,026 children"), "c:2026");
}

static void test_hand_written_figure_must_be_one_figure(void **state)
{
	struct em_figure f;
	char why[128];

	(void)state;
	assert_int_equal(em_figures_parse("about 80,120", &f, why, sizeof(why)), -1);
	assert_int_equal(em_figures_parse("80,120 children", &f, why, sizeof(why)), -1);
	assert_int_equal(em_figures_parse("  66 per 10,000 ", &f, why, sizeof(why)), 0);
	assert_int_equal(em_figures_parse("", &f, why, sizeof(why)), -1);
}

static void test_headline_roundings_people_write_are_forms(void **state)
{
	(void)state;
	/* "just over 80k", "around 80,100", "nearly 81k" for 80,120 */
	assert_true(has_form("80,120", "c:80120"));
	assert_true(has_form("80,120", "c:80000"));
	assert_true(has_form("80,120", "c:80100"));
	assert_true(has_form("80,120", "c:81000"));
	/* never one significant digit for a count: 80,120 is not "90k" or "100k" */
	assert_false(has_form("80,120", "c:90000"));
	assert_false(has_form("80,120", "c:100000"));
	/* "about 2 per cent" for 2.4%, never "10%" for 12.5% */
	assert_true(has_form("2.4%", "p:2"));
	assert_true(has_form("12.5%", "p:13"));
	assert_false(has_form("12.5%", "p:10"));
	/* a rate keeps its base and its whole number */
	assert_true(has_form("66 per 10,000", "r:66/10000"));
	assert_false(has_form("66 per 10,000", "r:70/10000"));
	assert_false(has_form("66 per 10,000", "p:66"));
}

static void test_numbers_inside_words_and_codes_are_not_figures(void **state)
{
	(void)state;
	assert_string_equal(forms_in("ssda903 h2o abc123def"), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_thousands_separators_or_none_are_the_same_count),
	    cmocka_unit_test(test_per_cent_spellings_are_one_percentage),
	    cmocka_unit_test(test_numbers_in_words_up_to_the_hundreds),
	    cmocka_unit_test(test_multipliers_k_thousand_m_million),
	    cmocka_unit_test(test_rates_per_n_in_any_spelling),
	    cmocka_unit_test(test_signs_and_unicode_minus_are_dropped),
	    cmocka_unit_test(test_years_and_small_counts_are_never_figures),
	    cmocka_unit_test(test_a_year_with_a_multiplier_or_separator_is_a_count),
	    cmocka_unit_test(test_hand_written_figure_must_be_one_figure),
	    cmocka_unit_test(test_headline_roundings_people_write_are_forms),
	    cmocka_unit_test(test_numbers_inside_words_and_codes_are_not_figures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
