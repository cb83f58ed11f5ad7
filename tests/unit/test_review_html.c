/*
 * test_review_html - the review console's escaping (milter/review/rv_html.c,
 * compiled in here: the console is not part of libemcore): HTML text and
 * attribute escaping of hostile message text, URL query encoding and
 * decoding, CSV fields with spreadsheet formulas defused.
 */
#define _GNU_SOURCE

/* cmocka needs these first, in this order */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <stdlib.h>
#include <string.h>

#include "../../milter/review/rv_html.c"

static char *esc(const char *s)
{
	struct em_buf b = EM_BUF_INIT;

	rv_esc(&b, s);
	em_buf_putc(&b, '\0');
	return em_buf_steal(&b);
}

static void test_script_and_attribute_breakout_become_text(void **st)
{
	char *a = esc("<script>alert(1)</script>");
	char *b = esc("\"><img src=x onerror='x'>");
	char *c = esc("Tom & Jerry\x1b[2J\x7f");

	assert_string_equal(a, "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_string_equal(b, "&quot;&gt;&lt;img src=x onerror=&#39;x&#39;&gt;");
	assert_string_equal(c, "Tom &amp; Jerry?[2J?");
	free(a);
	free(b);
	free(c);
}

static void test_utf8_passes_but_bidi_controls_do_not(void **st)
{
	char *a = esc(NULL);
	char *b = esc("caf\xc3\xa9 \xe2\x80\xae\xe2\x81\xa6\xe2\x80\x94");

	assert_string_equal(a, "");
	assert_string_equal(b, "caf\xc3\xa9 ??\xe2\x80\x94"); /* RLO, LRI gone; em dash kept */
	free(a);
	free(b);
}

static void test_url_round_trip(void **st)
{
	struct em_buf b = EM_BUF_INIT;
	char *s;

	rv_urlenc(&b, "a b&c=d/é\"<");
	em_buf_putc(&b, '\0');
	assert_string_equal(b.data, "a%20b%26c%3Dd%2F%C3%A9%22%3C");
	s = em_buf_steal(&b);
	rv_urldec(s);
	assert_string_equal(s, "a b&c=d/é\"<");
	free(s);
	s = strdup("x+y%2%zz%41");
	rv_urldec(s);
	assert_string_equal(s, "x y%2%zzA"); /* a broken escape stays as written */
	free(s);
}

static void test_csv_quotes_and_defuses_formulas(void **st)
{
	struct em_buf b = EM_BUF_INIT;

	rv_csv(&b, "=HYPERLINK(\"http://x\")");
	em_buf_putc(&b, ',');
	rv_csv(&b, "line\nbreak");
	em_buf_putc(&b, ',');
	rv_csv(&b, NULL);
	em_buf_putc(&b, '\0');
	assert_string_equal(b.data, "\"'=HYPERLINK(\"\"http://x\"\")\",\"line break\",\"\"");
	em_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_script_and_attribute_breakout_become_text),
	    cmocka_unit_test(test_utf8_passes_but_bidi_controls_do_not),
	    cmocka_unit_test(test_url_round_trip),
	    cmocka_unit_test(test_csv_quotes_and_defuses_formulas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
