/*
 * test_decode - unit tests for em_decode: base64, quoted-printable, RFC 2047,
 * Content-Type and parameters (RFC 2045/2231), charset conversion, UTF-8
 * validation. Includes hostile input (truncated words, NUL bytes, huge
 * inputs, random fragments) and header styles of Outlook, Gmail, Apple Mail.
 * Expected values are written out by hand (or computed by an independent
 * encoder in this file), never by the code under test.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "em_decode.h"

/* ------------------------------------------------------------- helpers */

/* A small independent base64 encoder, to produce test input. */
static char *b64_encode(const unsigned char *p, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	assert_non_null(out);
	for (i = 0; i + 2 < n; i += 3) {
		*o++ = a[p[i] >> 2];
		*o++ = a[(p[i] & 3) << 4 | p[i + 1] >> 4];
		*o++ = a[(p[i + 1] & 15) << 2 | p[i + 2] >> 6];
		*o++ = a[p[i + 2] & 63];
	}
	if (n - i == 1) {
		*o++ = a[p[i] >> 2];
		*o++ = a[(p[i] & 3) << 4];
		*o++ = '=';
		*o++ = '=';
	} else if (n - i == 2) {
		*o++ = a[p[i] >> 2];
		*o++ = a[(p[i] & 3) << 4 | p[i + 1] >> 4];
		*o++ = a[(p[i + 1] & 15) << 2];
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

static uint32_t rng_state = 2463534242u;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void assert_buf_eq(const struct em_buf *b, const char *expect, size_t n)
{
	assert_int_equal(b->len, n);
	if (n > 0)
		assert_memory_equal(b->data, expect, n);
}

static void b64_expect(const char *in, const char *expect, bool bad)
{
	struct em_buf out = EM_BUF_INIT;
	struct em_b64 d;

	em_b64_init(&d);
	assert_int_equal(em_b64_push(&d, in, strlen(in), &out), 0);
	assert_buf_eq(&out, expect, strlen(expect));
	assert_int_equal(d.bad, bad);
	em_buf_free(&out);
}

static void qp_expect(const char *line, const char *expect, bool bad)
{
	struct em_buf out = EM_BUF_INIT;
	bool b = false;

	assert_int_equal(em_qp_push_line(line, strlen(line), &out, &b), 0);
	assert_buf_eq(&out, expect, strlen(expect));
	assert_int_equal(b, bad);
	em_buf_free(&out);
}

static void w_expect_n(const char *in, size_t n, const char *expect, size_t en)
{
	struct em_buf out = EM_BUF_INIT;

	assert_int_equal(em_rfc2047_decode(in, n, &out), 0);
	if (out.len != en || (en && memcmp(out.data, expect, en) != 0))
		fail_msg("2047 \"%s\": got \"%.*s\", want \"%s\"", in, (int)out.len,
			 out.data ? out.data : "", expect);
	assert_true(em_utf8_valid(out.data, out.len));
	em_buf_free(&out);
}

static void w_expect(const char *in, const char *expect)
{
	w_expect_n(in, strlen(in), expect, strlen(expect));
}

static void cs_expect_n(const char *cs, const char *in, size_t n, const char *expect, size_t en,
			bool lossy)
{
	struct em_buf out = EM_BUF_INIT;
	bool l = false;

	assert_int_equal(em_charset_to_utf8(cs, in, n, &out, &l), 0);
	if (out.len != en || (en && memcmp(out.data, expect, en) != 0))
		fail_msg("charset %s: got \"%.*s\" (%zu), want \"%s\"", cs ? cs : "(null)",
			 (int)out.len, out.data ? out.data : "", out.len, expect);
	assert_int_equal(l, lossy);
	assert_true(em_utf8_valid(out.data, out.len));
	em_buf_free(&out);
}

static void cs_expect(const char *cs, const char *in, const char *expect, bool lossy)
{
	cs_expect_n(cs, in, strlen(in), expect, strlen(expect), lossy);
}

static void param_expect(const char *value, const char *name, int nth, const char *expect)
{
	bool nomem = false;
	char *v = em_param_get(value, name, nth, &nomem);

	assert_false(nomem);
	if (expect == NULL) {
		if (v != NULL)
			fail_msg("param %s[%d] of '%s': got '%s', want none", name, nth, value, v);
		return;
	}
	if (v == NULL)
		fail_msg("param %s[%d] of '%s': got none, want '%s'", name, nth, value, expect);
	if (strcmp(v, expect) != 0)
		fail_msg("param %s[%d] of '%s': got '%s', want '%s'", name, nth, value, v, expect);
	assert_true(em_utf8_valid(v, strlen(v)));
	free(v);
}

static void type_expect(const char *value, const char *expect)
{
	char out[128];

	memset(out, 'X', sizeof out);
	em_mime_type(value, out, sizeof out);
	assert_string_equal(out, expect);
}

/* -------------------------------------------------------------- base64 */

static void test_b64_decodes_padded_and_unpadded_text(void **state)
{
	b64_expect("T0ZGSUNJQUwtU0VOU0lUSVZF", "OFFICIAL-SENSITIVE", false);
	b64_expect("QQ==", "A", false);
	b64_expect("QUI=", "AB", false);
	b64_expect("QUJD", "ABC", false);
	/* Missing padding: the complete bytes are still there. */
	b64_expect("QQ", "A", false);
	b64_expect("QUI", "AB", false);
	b64_expect("", "", false);
}

static void test_b64_any_slicing_gives_the_same_bytes(void **state)
{
	unsigned char data[1000];
	char *enc;
	size_t i, n, step;

	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)rng();
	enc = b64_encode(data, sizeof data);
	n = strlen(enc);
	for (step = 1; step <= 9; step++) {
		struct em_buf out = EM_BUF_INIT;
		struct em_b64 d;

		em_b64_init(&d);
		for (i = 0; i < n; i += step)
			assert_int_equal(
			    em_b64_push(&d, enc + i, i + step <= n ? step : n - i, &out), 0);
		assert_buf_eq(&out, (const char *)data, sizeof data);
		assert_false(d.bad);
		em_buf_free(&out);
	}
	free(enc);
}

static void test_b64_line_breaks_and_spaces_are_skipped_without_flag(void **state)
{
	b64_expect("T0ZG\r\nSUNJ QUwt\tU0VO\nU0lU SVZF\r\n", "OFFICIAL-SENSITIVE", false);
	b64_expect("  Q U J D  ", "ABC", false);
}

static void test_b64_junk_is_skipped_and_flagged(void **state)
{
	b64_expect("T0Z!GSU*NJ", "OFFICI", true);
	b64_expect("QU\x80JD", "ABC", true);
	b64_expect("-_.", "", true);
}

static void test_b64_data_after_padding_keeps_decoding(void **state)
{
	/* Two blobs glued together, as some clients send. */
	b64_expect("QQ==QkM=", "ABC", false);
	b64_expect("QUI=Q0RF", "ABCDE", false);
	b64_expect("QQ====QQ==", "AA", false);
}

static void test_b64_lone_sextet_before_padding_is_flagged(void **state)
{
	b64_expect("QUJDR===", "ABC", true);
}

static void test_b64_nul_and_high_bytes_round_trip(void **state)
{
	static const unsigned char bin[] = {0, 0xFF, 0, 0x80, 'a', 0, 0xC3};
	char *enc = b64_encode(bin, sizeof bin);
	struct em_buf out = EM_BUF_INIT;
	struct em_b64 d;

	em_b64_init(&d);
	assert_int_equal(em_b64_push(&d, enc, strlen(enc), &out), 0);
	assert_buf_eq(&out, (const char *)bin, sizeof bin);
	em_buf_free(&out);
	free(enc);
}

static void test_b64_large_input_with_line_breaks_round_trips(void **state)
{
	size_t n = 3u * 1024 * 1024 + 1, i, j, k;
	unsigned char *data = malloc(n);
	char *enc, *wrapped;
	struct em_buf out = EM_BUF_INIT;
	struct em_b64 d;

	assert_non_null(data);
	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(rng() >> 7);
	enc = b64_encode(data, n);
	k = strlen(enc);
	wrapped = malloc(k + k / 76 * 2 + 3);
	assert_non_null(wrapped);
	for (i = j = 0; i < k; i++) {
		wrapped[j++] = enc[i];
		if (i % 76 == 75) {
			wrapped[j++] = '\r';
			wrapped[j++] = '\n';
		}
	}
	em_b64_init(&d);
	/* Chunks the size libmilter hands over. */
	for (i = 0; i < j; i += 65535)
		assert_int_equal(em_b64_push(&d, wrapped + i, j - i < 65535 ? j - i : 65535, &out),
				 0);
	assert_buf_eq(&out, (const char *)data, n);
	assert_false(d.bad);
	em_buf_free(&out);
	free(wrapped);
	free(enc);
	free(data);
}

/* ---------------------------------------------------- quoted-printable */

static void test_qp_plain_line_gets_a_newline(void **state)
{
	qp_expect("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE\n", false);
	qp_expect("", "\n", false);
}

static void test_qp_soft_break_inside_word_is_joined(void **state)
{
	struct em_buf out = EM_BUF_INIT;
	bool bad = false;

	assert_int_equal(em_qp_push_line("OFFICIAL-SEN=", 13, &out, &bad), 0);
	assert_int_equal(em_qp_push_line("SITIVE stats", 12, &out, &bad), 0);
	assert_buf_eq(&out, "OFFICIAL-SENSITIVE stats\n", 25);
	assert_false(bad);
	em_buf_free(&out);
}

static void test_qp_soft_break_followed_by_whitespace_is_still_soft(void **state)
{
	qp_expect("OFFICIAL-=  \t", "OFFICIAL-", false);
	qp_expect("abc=\r", "abc", false);
	qp_expect("=", "", false);
}

static void test_qp_upper_and_lower_case_hex_are_decoded(void **state)
{
	qp_expect("caf=C3=A9 =e2=80=93 =3d", "caf\xc3\xa9 \xe2\x80\x93 =\n", false);
}

static void test_qp_invalid_escape_is_copied_literally_and_flagged(void **state)
{
	qp_expect("a=XYb", "a=XYb\n", true);
	qp_expect("a=4", "a=4\n", true);
	qp_expect("1 = 2", "1 = 2\n", true);
	qp_expect("a=G0", "a=G0\n", true);
	/* "=" before the soft break is itself a damaged escape. */
	qp_expect("abc==", "abc=", true);
}

static void test_qp_trailing_whitespace_on_hard_line_end_is_removed(void **state)
{
	qp_expect("text  \t ", "text\n", false);
	/* Encoded trailing space is real content. */
	qp_expect("text=20", "text \n", false);
	qp_expect("text=09 ", "text\t\n", false);
}

static void test_qp_nul_and_8bit_bytes_pass_through(void **state)
{
	struct em_buf out = EM_BUF_INIT;

	assert_int_equal(em_qp_push_line("a\0b\xe9=00", 7, &out, NULL), 0);
	assert_buf_eq(&out, "a\0b\xe9\0\n", 6);
	em_buf_free(&out);
}

static void test_qp_long_line_is_decoded_in_one_push(void **state)
{
	size_t n = 1u << 20, i;
	char *line = malloc(n * 3);
	struct em_buf out = EM_BUF_INIT;
	bool bad = false;

	assert_non_null(line);
	for (i = 0; i < n; i++)
		memcpy(line + 3 * i, "=4A", 3);
	assert_int_equal(em_qp_push_line(line, n * 3, &out, &bad), 0);
	assert_int_equal(out.len, n + 1);
	for (i = 0; i < n; i++)
		if (out.data[i] != 'J')
			fail_msg("byte %zu is %02x", i, (unsigned char)out.data[i]);
	assert_false(bad);
	em_buf_free(&out);
	free(line);
}

/* ------------------------------------------------------------ RFC 2047 */

static void test_rfc2047_q_and_b_words_are_decoded(void **state)
{
	w_expect("=?utf-8?q?OFFICIAL-SENSITIVE?=", "OFFICIAL-SENSITIVE");
	w_expect("=?utf-8?b?T0ZGSUNJQUwtU0VOU0lUSVZF?=", "OFFICIAL-SENSITIVE");
	w_expect("Re: =?utf-8?q?caf=C3=A9?= menu", "Re: caf\xc3\xa9 menu");
}

static void test_rfc2047_underscore_is_space_in_q_only(void **state)
{
	w_expect("=?utf-8?q?GDP_first_estimate?=", "GDP first estimate");
	/* "a_b" base64-decodes to nothing readable; '_' is junk there. */
	w_expect("=?utf-8?b?YV9i?=", "a_b");
}

static void test_rfc2047_charset_and_encoding_are_case_insensitive(void **state)
{
	w_expect("=?UTF-8?B?T0ZGSUNJQUw=?=", "OFFICIAL");
	w_expect("=?Utf-8?Q?caf=c3=a9?=", "caf\xc3\xa9");
	w_expect("=?ISO-8859-1?q?caf=E9?=", "caf\xc3\xa9");
}

static void test_rfc2047_charset_with_language_is_understood(void **state)
{
	w_expect("=?utf-8*en?q?caf=C3=A9?=", "caf\xc3\xa9");
	w_expect("=?ISO-8859-1*fr-CA?Q?caf=E9?=", "caf\xc3\xa9");
}

static void test_rfc2047_whitespace_between_adjacent_words_is_dropped(void **state)
{
	w_expect("=?utf-8?q?OFFICIAL-?= =?utf-8?q?SENSITIVE?=", "OFFICIAL-SENSITIVE");
	w_expect("=?utf-8?q?OFFICIAL-?=\r\n\t=?iso-8859-1?q?SENSITIVE?=", "OFFICIAL-SENSITIVE");
	/* But not between a word and plain text. */
	w_expect("=?utf-8?q?GDP?= first", "GDP first");
	w_expect("first =?utf-8?q?GDP?=", "first GDP");
	w_expect("=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b");
}

static void test_rfc2047_words_without_surrounding_whitespace_are_decoded(void **state)
{
	w_expect("foo=?utf-8?q?bar?=baz", "foobarbaz");
	w_expect("OFFICIAL=?utf-8?q?-?=SENSITIVE", "OFFICIAL-SENSITIVE");
	w_expect("(=?utf-8?q?x?=)", "(x)");
}

static void test_rfc2047_over_long_words_are_decoded(void **state)
{
	unsigned char text[600];
	char *enc, *in;
	size_t i;

	for (i = 0; i < sizeof text; i++)
		text[i] = (unsigned char)('a' + i % 26);
	enc = b64_encode(text, sizeof text);
	in = malloc(strlen(enc) + 20);
	assert_non_null(in);
	sprintf(in, "=?utf-8?B?%s?=", enc);
	w_expect_n(in, strlen(in), (const char *)text, sizeof text);
	free(in);
	free(enc);
}

static void test_rfc2047_character_split_across_words_is_joined(void **state)
{
	/* U+20AC as E2 82 | AC. */
	w_expect("=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?=", "\xe2\x82\xac");
	/* Outlook-style split in the middle of an umlaut. */
	w_expect("=?utf-8?B?w5xiZXJyYXNjaHVuZzogdm9ybMM=?=\r\n =?utf-8?B?pHVmaWdlIFphaGxlbg==?=",
		 "\xc3\x9c"
		 "berraschung: vorl\xc3\xa4"
		 "ufige Zahlen");
	/* Q words too, and the charset names may differ in case. */
	w_expect("=?utf-8?q?=E2=82?= =?UTF-8?Q?=AC_rate?=", "\xe2\x82\xac rate");
}

static void test_rfc2047_different_charsets_are_converted_separately(void **state)
{
	w_expect("=?iso-8859-1?q?caf=E9?= =?utf-8?q?=E2=82=AC?=", "caf\xc3\xa9\xe2\x82\xac");
}

static void test_rfc2047_unknown_charset_is_read_as_latin1(void **state)
{
	w_expect("=?x-bogus?q?caf=E9?=", "caf\xc3\xa9");
	w_expect("=??q?caf=E9?=", "caf\xc3\xa9");
	/* ... unless it is valid UTF-8. */
	w_expect("=?x-bogus?q?caf=C3=A9?=", "caf\xc3\xa9");
}

static void test_rfc2047_raw_8bit_outside_words_is_utf8_or_windows_1252(void **state)
{
	w_expect("caf\xc3\xa9 =?utf-8?q?x?=", "caf\xc3\xa9 x");
	w_expect("\x93quoted\x94 caf\xe9", "\xe2\x80\x9cquoted\xe2\x80\x9d caf\xc3\xa9");
	/* Mixed: the UTF-8 survives, the stray byte is windows-1252. */
	w_expect("\xe2\x80\x93 \x96", "\xe2\x80\x93 \xe2\x80\x93");
}

static void test_rfc2047_truncated_and_damaged_words_stay_literal(void **state)
{
	w_expect("=?utf-8?B?", "=?utf-8?B?");
	w_expect("=?", "=?");
	w_expect("=", "=");
	w_expect("x =?utf-8?q?abc", "x =?utf-8?q?abc");
	w_expect("=?utf-8?x?abc?=", "=?utf-8?x?abc?=");
	w_expect("=?utf-8?qq?abc?=", "=?utf-8?qq?abc?=");
	w_expect("=?utf 8?q?abc?=", "=?utf 8?q?abc?=");
	w_expect("a=?b", "a=?b");
	w_expect("?= =?", "?= =?");
	/* A damaged word next to a good one. */
	/* a stray opener that never closes stays literal and does not swallow
	 * the real word after it (issue 10) */
	w_expect("=?utf-8?q?abc =?utf-8?q?def?=", "=?utf-8?q?abc def");
	w_expect("Re: =?utf-8?q?notes =?utf-8?b?T0ZGSUNJQUw=?=", "Re: =?utf-8?q?notes OFFICIAL");
}

static void test_rfc2047_nul_bytes_are_kept_and_output_is_valid(void **state)
{
	w_expect_n("a\0b =?utf-8?q?c=00d?=", 21, "a\0b c\0d", 7);
	/* A NUL inside a would-be word must not end the scan. */
	w_expect_n("=?utf-8?q?a\0b?=", 15, "a\0b", 3);
}

static void test_rfc2047_invalid_utf8_in_word_becomes_replacement(void **state)
{
	w_expect("=?utf-8?q?a=FFb?=", "a\xef\xbf\xbd"
				      "b");
	/* A multibyte character cut off at the end of the run. */
	w_expect("=?utf-8?b?4oI=?= x", "\xef\xbf\xbd\xef\xbf\xbd x");
}

static void test_rfc2047_many_unclosed_openers_take_linear_time(void **state)
{
	size_t n = 200000, i;
	char *in = malloc(n * 8 + 1);
	struct em_buf out = EM_BUF_INIT;

	assert_non_null(in);
	for (i = 0; i < n; i++)
		memcpy(in + 8 * i, "=?a?q?x ", 8);
	/* No "?=" anywhere: nothing is a word, everything is literal. With a
	 * quadratic rescan this would take minutes. */
	assert_int_equal(em_rfc2047_decode(in, n * 8, &out), 0);
	assert_buf_eq(&out, in, n * 8);
	em_buf_free(&out);
	free(in);
}

static void test_rfc2047_random_fragments_always_give_valid_utf8(void **state)
{
	static const char *frag[] = {
	    "=?",   "?=",   "utf-8", "UTF-16",	"iso-2022-jp", "?B?", "?q?", "?Q?",
	    " ",    "\t",   "=E2",   "=80",	"_",	       "4oI", "=",   "\xe2",
	    "\x80", "\xff", "\0",    "x-bogus", "*en",	       "a",   "?"};
	struct em_buf out = EM_BUF_INIT;
	char in[256];
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		size_t len = 0;

		while (len < 200) {
			const char *f = frag[rng() % (sizeof frag / sizeof frag[0])];
			size_t fl = f[0] ? strlen(f) : 1;

			memcpy(in + len, f, fl);
			len += fl;
		}
		em_buf_reset(&out);
		assert_int_equal(em_rfc2047_decode(in, len, &out), 0);
		if (!em_utf8_valid(out.data, out.len))
			fail_msg("invalid UTF-8 from iteration %d", iter);
	}
	em_buf_free(&out);
}

static void test_rfc2047_outlook_gmail_and_apple_subjects(void **state)
{
	/* Outlook: windows-1252 Q with an en dash. */
	w_expect("=?Windows-1252?Q?OFFICIAL-SENSITIVE:_Retail_sales_=96_embargoed?=",
		 "OFFICIAL-SENSITIVE: Retail sales \xe2\x80\x93 embargoed");
	/* Gmail: UTF-8 B, folded into two words. */
	w_expect("=?UTF-8?B?T0ZGSUNJQUwtU0VOU0lUSVZFOiBHRFAgZmlyc3QgZXN0aW1hdGUg?=\r\n"
		 " =?UTF-8?B?4oCTIFEz?=",
		 "OFFICIAL-SENSITIVE: GDP first estimate \xe2\x80\x93 Q3");
	/* Apple Mail: lower-case utf-8 Q with escaped colon. */
	w_expect("=?utf-8?Q?Re=3A_Embargoed_figures_=E2=80=94_draft?=",
		 "Re: Embargoed figures \xe2\x80\x94 draft");
	/* Japanese mailers: ISO-2022-JP in B. */
	w_expect("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
}

/* -------------------------------------------------------- em_mime_type */

static void test_mime_type_is_lower_cased_without_parameters(void **state)
{
	type_expect("Text/HTML; charset=utf-8", "text/html");
	type_expect("multipart/mixed;boundary=\"x\"", "multipart/mixed");
	type_expect("  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

static void test_mime_type_tolerates_comments_spaces_and_missing_semicolon(void **state)
{
	type_expect("(comment) text/plain", "text/plain");
	type_expect("text / plain ; charset=us-ascii", "text/plain");
	type_expect("text/plain charset=us-ascii", "text/plain");
	type_expect("text/plain(comment)", "text/plain");
}

static void test_mime_type_unparsable_values_give_empty(void **state)
{
	type_expect("", "");
	type_expect("text", "");
	type_expect("/plain", "");
	type_expect("text/", "");
	type_expect("; charset=utf-8", "");
	type_expect("\"text/plain\"", "");
	type_expect("(unclosed comment text/plain", "");
}

static void test_mime_type_too_long_for_buffer_is_empty_not_cut(void **state)
{
	char small[11];

	em_mime_type("text/plain", small, sizeof small);
	assert_string_equal(small, "text/plain");
	em_mime_type("text/plainx", small, sizeof small);
	assert_string_equal(small, "");
	em_mime_type("text/plain", small, 0); /* must not write */
}

/* ---------------------------------------------------------- parameters */

static void test_param_quoted_string_with_backslash_escapes(void **state)
{
	param_expect("attachment; filename=\"a \\\"b\\\" \\\\c.txt\"", "filename", 0,
		     "a \"b\" \\c.txt");
	param_expect("text/plain; name=\"semi;colon.txt\"; charset=utf-8", "name", 0,
		     "semi;colon.txt");
	param_expect("text/plain; name=\"semi;colon.txt\"; charset=utf-8", "charset", 0, "utf-8");
}

static void test_param_unquoted_values_and_junk_are_tolerated(void **state)
{
	param_expect("text/plain; charset=us-ascii", "charset", 0, "us-ascii");
	param_expect("text/plain charset=utf-8 name=foo.txt", "charset", 0, "utf-8");
	param_expect("text/plain charset=utf-8 name=foo.txt", "name", 0, "foo.txt");
	param_expect("text/plain; charset = \"utf-8\" ;", "charset", 0, "utf-8");
	param_expect("text/plain;;; charset=utf-8;;", "charset", 0, "utf-8");
	param_expect("attachment; filename=Report 2024.xlsx", "filename", 0, "Report 2024.xlsx");
	param_expect("multipart/mixed; boundary=----=_NextPart_000_0001_01D9", "boundary", 0,
		     "----=_NextPart_000_0001_01D9");
	param_expect("text/plain; charset=us-ascii (Plain text)", "charset", 0, "us-ascii");
	param_expect("attachment; filename=report (1).pdf", "filename", 0, "report (1).pdf");
	param_expect("attachment; junk; \"quoted junk\"; filename=a.pdf", "filename", 0, "a.pdf");
	param_expect("filename=a.pdf", "filename", 0, "a.pdf");
}

static void test_param_names_are_case_insensitive_and_exact(void **state)
{
	param_expect("text/plain; CHARSET=UTF-8", "charset", 0, "UTF-8");
	param_expect("attachment; filename=x.pdf", "file", 0, NULL);
	param_expect("attachment; filename=x.pdf", "filenames", 0, NULL);
	param_expect("text/plain; name*x=1", "name", 0, NULL);
	param_expect("text/plain", "charset", 0, NULL);
}

static void test_param_rfc2231_continuations_join_in_any_order(void **state)
{
	param_expect("attachment; filename*0=\"hello \"; filename*1=\"world.txt\"", "filename", 0,
		     "hello world.txt");
	param_expect("attachment; filename*2=.txt; filename*0=\"OFFICIAL-\"; filename*1=SENSITIVE",
		     "filename", 0, "OFFICIAL-SENSITIVE.txt");
	assert_int_equal(em_param_count("a; name*0=x; name*1=y; name*2=z", "name"), 1);
}

static void test_param_rfc2231_encoded_values_are_converted(void **state)
{
	param_expect("attachment; filename*=utf-8''%E2%82%AC%20rates.xlsx", "filename", 0,
		     "\xe2\x82\xac rates.xlsx");
	param_expect("attachment; filename*=iso-8859-1'en'caf%E9.pdf", "filename", 0,
		     "caf\xc3\xa9.pdf");
	param_expect("attachment; filename*=\"UTF-8''caf%c3%a9.pdf\"", "filename", 0,
		     "caf\xc3\xa9.pdf");
	/* A character split across two encoded sections. */
	param_expect("attachment; filename*1*=%AC.txt; filename*0*=utf-8''%E2%82", "filename", 0,
		     "\xe2\x82\xac.txt");
	/* Encoded and plain sections mixed. */
	param_expect("attachment; filename*0*=utf-8''caf%C3%A9; filename*1=\" menu.pdf\"",
		     "filename", 0, "caf\xc3\xa9 menu.pdf");
	/* Empty charset, damaged escape. */
	param_expect("attachment; filename*=''100%25 %zz.txt", "filename", 0, "100% %zz.txt");
}

static void test_param_rfc2047_words_inside_quoted_values_are_decoded(void **state)
{
	/* Outlook. */
	param_expect(
	    "attachment; filename=\"=?utf-8?B?T0ZGSUNJQUwtU0VOU0lUSVZFIHJlcG9ydC5kb2N4?=\"",
	    "filename", 0, "OFFICIAL-SENSITIVE report.docx");
	/* Unquoted, and split across continuations. */
	param_expect("attachment; filename==?utf-8?Q?caf=C3=A9.pdf?=", "filename", 0,
		     "caf\xc3\xa9.pdf");
	param_expect("attachment; name*0=\"=?utf-8?Q?caf\"; name*1=\"=C3=A9?=\"", "name", 0,
		     "caf\xc3\xa9");
}

static void test_param_duplicates_are_selected_by_nth(void **state)
{
	const char *v = "attachment; filename=a.pdf; FileName=\"b.pdf\"";
	const char *w = "attachment; filename=\"x.pdf\"; filename*=utf-8''y.pdf";
	const char *c = "a; name*0=a; name*1=b; name*0=c; name*1=d; name=e";

	assert_int_equal(em_param_count(v, "filename"), 2);
	param_expect(v, "filename", 0, "a.pdf");
	param_expect(v, "filename", 1, "b.pdf");
	param_expect(v, "filename", 2, NULL);
	param_expect(v, "filename", -1, NULL);
	assert_int_equal(em_param_count(w, "filename"), 2);
	param_expect(w, "filename", 0, "x.pdf");
	param_expect(w, "filename", 1, "y.pdf");
	assert_int_equal(em_param_count(c, "name"), 3);
	param_expect(c, "name", 0, "ab");
	param_expect(c, "name", 1, "cd");
	param_expect(c, "name", 2, "e");
	assert_int_equal(em_param_count(c, "nothere"), 0);
}

static void test_param_raw_8bit_and_nul_are_handled(void **state)
{
	param_expect("attachment; filename=\"caf\xe9.pdf\"", "filename", 0, "caf\xc3\xa9.pdf");
	param_expect("attachment; filename=\"caf\xc3\xa9.pdf\"", "filename", 0, "caf\xc3\xa9.pdf");
	/* A NUL must not cut the name short. */
	param_expect("attachment; filename*=utf-8''OFFICIAL%00.pdf", "filename", 0,
		     "OFFICIAL\xef\xbf\xbd.pdf");
}

static void test_param_truncated_values_never_read_past_the_string(void **state)
{
	param_expect("text/plain; name=\"abc", "name", 0, "abc");
	param_expect("text/plain; name=\"abc\\", "name", 0, "abc\\");
	param_expect("text/plain; name=", "name", 0, "");
	param_expect("text/plain; name", "name", 0, NULL);
	param_expect("text/plain; name*", "name", 0, NULL);
	param_expect("=", "name", 0, NULL);
	param_expect("\"", "name", 0, NULL);
	param_expect("(", "name", 0, NULL);
	param_expect("text/plain; (unclosed name=x", "name", 0, NULL);
	param_expect("", "name", 0, NULL);
	param_expect("text/plain; name*=utf-8'", "name", 0, "");
	param_expect("text/plain; name*0*=%", "name", 0, "%");
	assert_int_equal(em_param_count("", "x"), 0);
	assert_null(em_param_get(NULL, "x", 0, NULL));
	assert_int_equal(em_param_count(NULL, "x"), 0);
}

static void test_param_real_world_headers(void **state)
{
	/* Apple Mail, not unfolded. */
	param_expect("attachment;\r\n\tfilename*=utf-8''GDP%20Q3%20%E2%80%93%20embargoed.xlsx",
		     "filename", 0, "GDP Q3 \xe2\x80\x93 embargoed.xlsx");
	/* Thunderbird, long name in continuations. */
	param_expect("attachment;\r\n filename*0*=UTF-8''%4F%46%46%49%43%49%41%4C%2D;\r\n"
		     " filename*1*=%53%45%4E%53%49%54%49%56%45%2E%70%64%66",
		     "filename", 0, "OFFICIAL-SENSITIVE.pdf");
	/* Gmail: quoted encoded word for the name, boundary with '='. */
	param_expect(
	    "application/pdf; \r\n\tname=\"=?UTF-8?B?T0ZGSUNJQUwtU0VOU0lUSVZFIHJlcG9ydC5kb2N4?=\"",
	    "name", 0, "OFFICIAL-SENSITIVE report.docx");
	param_expect("multipart/alternative; boundary=\"000000000000a1b2c3=\"", "boundary", 0,
		     "000000000000a1b2c3=");
}

static void test_param_many_sections_do_not_take_quadratic_time(void **state)
{
	size_t n = 50000, i, len = 0;
	char *v = malloc(n * 24 + 16);
	char *got;
	bool nomem = false;

	assert_non_null(v);
	len += (size_t)sprintf(v, "a");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(v + len, "; x*%zu=y; x*0=z", n - i);
	assert_int_equal(em_param_count(v, "x"), (int)n);
	got = em_param_get(v, "x", (int)n - 1, &nomem);
	assert_non_null(got);
	assert_string_equal(got, "z");
	free(got);
	free(v);
}

/* -------------------------------------------------------------- charset */

static void test_charset_aliases_are_normalized(void **state)
{
	cs_expect("\"UTF8\"", "caf\xc3\xa9", "caf\xc3\xa9", false);
	cs_expect(" utf-8 ", "caf\xc3\xa9", "caf\xc3\xa9", false);
	cs_expect("CP1252", "\x93x\x94", "\xe2\x80\x9cx\xe2\x80\x9d", false);
	cs_expect("x-user-defined", "\x80", "\xe2\x82\xac", false);
	cs_expect("ks_c_5601-1987", "\xc7\xd1\xb1\xb9", "\xed\x95\x9c\xea\xb5\xad", false);
	/* GBK-only characters labelled gb2312, as real mail does. */
	cs_expect("gb2312", "\xd6\xd0\x88\xd2", "\xe4\xb8\xad\xe5\xa0\x83", false);
	cs_expect("iso-8859-8-i", "\xe0", "\xd7\x90", false);
	cs_expect("Latin1", "caf\xe9", "caf\xc3\xa9", false);
}

static void test_charset_utf16_honours_bom_and_guesses_byte_order(void **state)
{
	cs_expect_n("utf-16", "\xff\xfeO\0K\0", 6, "OK", 2, false);
	cs_expect_n("utf-16", "\xfe\xff\0O\0K", 6, "OK", 2, false);
	cs_expect_n("utf-16", "O\0K\0\xe9\0", 6, "OK\xc3\xa9", 4, false);
	cs_expect_n("UTF-16", "\0O\0K\0\xe9", 6, "OK\xc3\xa9", 4, false);
	cs_expect_n("utf-16le", "\xff\xfeO\0K\0", 6, "OK", 2, false);
	cs_expect_n("utf-16le", "\xac\x20", 2, "\xe2\x82\xac", 3, false);
	cs_expect_n("utf-16be", "\x20\xac", 2, "\xe2\x82\xac", 3, false);
	/* A surrogate pair, a lone surrogate, an odd trailing byte. */
	cs_expect_n("utf-16be", "\xd8\x3d\xde\x00", 4, "\xf0\x9f\x98\x80", 4, false);
	cs_expect_n("utf-16le", "\x00\xd8O\0", 4, "\xef\xbf\xbdO", 4, true);
	cs_expect_n("utf-16le", "O\0K", 3, "O\xef\xbf\xbd", 4, true);
}

static void test_charset_utf7_and_iso2022jp_go_through_iconv(void **state)
{
	cs_expect("utf-7", "Hi Mom -+Jjo--!", "Hi Mom -\xe2\x98\xba-!", false);
	cs_expect("iso-2022-jp", "\x1b$BF|K\\8l\x1b(B", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
		  false);
}

static void test_charset_invalid_sequences_become_replacement_and_continue(void **state)
{
	/* EUC-JP: a valid character, a byte that starts nothing, then text. */
	cs_expect("euc-jp",
		  "\xa4\xa2\xff"
		  "abc",
		  "\xe3\x81\x82\xef\xbf\xbd"
		  "abc",
		  true);
	/* Truncated at the end. */
	cs_expect("euc-jp", "abc\xa4", "abc\xef\xbf\xbd", true);
	/* Declared UTF-8 that is not: each bad byte replaced, overlongs too. */
	cs_expect("utf-8", "a\xffz", "a\xef\xbf\xbdz", true);
	cs_expect("utf-8", "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", true);
	cs_expect("utf-8", "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", true);
}

static void test_charset_unknown_or_missing_keeps_utf8_else_windows_1252(void **state)
{
	cs_expect(NULL, "caf\xc3\xa9", "caf\xc3\xa9", false);
	cs_expect("", "caf\xe9", "caf\xc3\xa9", false);
	cs_expect("x-bogus-charset", "caf\xe9", "caf\xc3\xa9", false);
	cs_expect("x-bogus-charset", "caf\xc3\xa9", "caf\xc3\xa9", false);
	/* Names that must never reach iconv_open. */
	cs_expect("../../../etc/passwd", "caf\xe9", "caf\xc3\xa9", false);
	cs_expect("utf-8//TRANSLIT", "caf\xe9", "caf\xc3\xa9", false);
	cs_expect(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "caf\xe9", "caf\xc3\xa9", false);
}

static void test_charset_us_ascii_with_8bit_is_utf8_or_windows_1252(void **state)
{
	cs_expect("us-ascii", "plain", "plain", false);
	cs_expect("us-ascii", "caf\xc3\xa9", "caf\xc3\xa9", false);
	cs_expect("US-ASCII", "\x96 caf\xe9", "\xe2\x80\x93 caf\xc3\xa9", false);
	/* iso-8859-1 is read as windows-1252, like every browser does. */
	cs_expect("iso-8859-1", "a\x96z", "a\xe2\x80\x93z", false);
}

static void test_charset_windows_1252_undefined_bytes_do_not_stop(void **state)
{
	cs_expect("windows-1252",
		  "a\x81"
		  "b\x8d"
		  "c\x8f"
		  "d\x90"
		  "e\x9d"
		  "f",
		  "a\xc2\x81"
		  "b\xc2\x8d"
		  "c\xc2\x8f"
		  "d\xc2\x90"
		  "e\xc2\x9d"
		  "f",
		  false);
}

static void test_charset_bom_is_dropped_and_nul_bytes_kept(void **state)
{
	cs_expect("utf-8", "\xef\xbb\xbfOK", "OK", false);
	cs_expect_n("utf-8", "a\0b", 3, "a\0b", 3, false);
	cs_expect_n("windows-1252", "a\0\xe9", 3, "a\0\xc3\xa9", 4, false);
	cs_expect_n("iso-8859-2", "a\0b", 3, "a\0b", 3, false);
}

static void test_charset_large_input_converts_completely(void **state)
{
	size_t n = 4u * 1024 * 1024, i;
	char *in = malloc(n);
	struct em_buf out = EM_BUF_INIT;
	bool lossy = false;

	assert_non_null(in);
	for (i = 0; i < n; i++)
		in[i] = (char)(i % 2 ? 0xE9 : 'a');
	assert_int_equal(em_charset_to_utf8("windows-1252", in, n, &out, &lossy), 0);
	assert_int_equal(out.len, n / 2 * 3);
	assert_memory_equal(out.data + out.len - 3, "a\xc3\xa9", 3);
	em_buf_reset(&out);
	/* Through iconv, with the output growing several times. */
	assert_int_equal(em_charset_to_utf8("iso-8859-2", in, n, &out, &lossy), 0);
	assert_int_equal(out.len, n / 2 * 3);
	assert_memory_equal(out.data + out.len - 3, "a\xc3\xa9", 3);
	assert_false(lossy);
	em_buf_free(&out);
	free(in);
}

struct conv_job {
	const char *cs;
	const char *in;
	const char *want;
	int ok;
};

static void *conv_thread(void *arg)
{
	struct conv_job *j = arg;
	int i;

	j->ok = 1;
	for (i = 0; i < 2000; i++) {
		struct em_buf out = EM_BUF_INIT;

		if (em_charset_to_utf8(j->cs, j->in, strlen(j->in), &out, NULL) < 0 ||
		    out.len != strlen(j->want) || memcmp(out.data, j->want, out.len) != 0)
			j->ok = 0;
		em_buf_free(&out);
	}
	return NULL;
}

/* (gconv modules with a RUNPATH, such as ISO-2022-JP, are left out: loading
 * them from a thread trips a known valgrind false positive in ld.so's
 * strncmp, which would hide real errors.) */
static void test_charset_conversions_run_safely_in_parallel_threads(void **state)
{
	struct conv_job jobs[4] = {
	    {"gb2312", "\xd6\xd0\xce\xc4", "\xe4\xb8\xad\xe6\x96\x87", 0},
	    {"shift_jis", "\x93\xfa\x96\x7b", "\xe6\x97\xa5\xe6\x9c\xac", 0},
	    {"koi8-r", "\xf0\xd2\xc9", "\xd0\x9f\xd1\x80\xd0\xb8", 0},
	    {"utf-7", "+Jjo-", "\xe2\x98\xba", 0},
	};
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, conv_thread, &jobs[i]), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		if (!jobs[i].ok)
			fail_msg("thread %d (%s) got a wrong conversion", i, jobs[i].cs);
	}
}

/* --------------------------------------------------------- em_utf8_valid */

static void test_utf8_valid_accepts_well_formed_text(void **state)
{
	assert_true(em_utf8_valid("", 0));
	assert_true(em_utf8_valid(NULL, 0));
	assert_true(em_utf8_valid("plain ascii text, long enough for the fast path", 47));
	assert_true(
	    em_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf", 19));
	assert_true(em_utf8_valid("\xed\x9f\xbf\xee\x80\x80", 6)); /* around the surrogates */
	assert_true(em_utf8_valid("a\0b", 3));
}

static void test_utf8_valid_rejects_overlongs_surrogates_and_out_of_range(void **state)
{
	assert_false(em_utf8_valid("\xc0\x80", 2));
	assert_false(em_utf8_valid("\xc1\xbf", 2));
	assert_false(em_utf8_valid("\xe0\x80\x80", 3));
	assert_false(em_utf8_valid("\xe0\x9f\xbf", 3));
	assert_false(em_utf8_valid("\xf0\x80\x80\x80", 4));
	assert_false(em_utf8_valid("\xf0\x8f\xbf\xbf", 4));
	assert_false(em_utf8_valid("\xed\xa0\x80", 3));
	assert_false(em_utf8_valid("\xed\xbf\xbf", 3));
	assert_false(em_utf8_valid("\xf4\x90\x80\x80", 4));
	assert_false(em_utf8_valid("\xf5\x80\x80\x80", 4));
	assert_false(em_utf8_valid("\xff", 1));
}

static void test_utf8_valid_rejects_truncated_and_stray_bytes(void **state)
{
	char buf[1024];

	assert_false(em_utf8_valid("\xe2\x82", 2));
	assert_false(em_utf8_valid("\x80", 1));
	assert_false(em_utf8_valid("a\xc3", 2));
	assert_false(em_utf8_valid("\xc3(", 2));
	/* A bad byte after a long ASCII run, at every offset mod 8. */
	memset(buf, 'a', sizeof buf);
	for (size_t i = 1000; i < 1008; i++) {
		buf[i] = '\x80';
		assert_false(em_utf8_valid(buf, sizeof buf));
		buf[i] = 'a';
	}
	assert_true(em_utf8_valid(buf, sizeof buf));
}

/* em_charset_is_identity (the scan then reads a part in place): whenever it
 * says yes, em_charset_to_utf8 appends the input unchanged; and it does say
 * yes for valid UTF-8 labelled utf-8, us-ascii or nothing. */
static void test_charset_identity_only_when_conversion_keeps_the_bytes(void **state)
{
	static const char *const cs[] = {NULL,	       "",	     "utf-8",	     "UTF8",
					 "us-ascii",   "iso-8859-1", "windows-1252", "utf-16",
					 "iso-8859-2", "x-unknown",  "utf-16le"};
	static const struct {
		const char *s;
		size_t n;
		bool valid; /* valid UTF-8 without a BOM */
	} in[] = {
	    {"plain text", 10, true},
	    {"caf\xc3\xa9", 5, true},
	    {"\xef\xbb\xbf"
	     "bom",
	     6, false},
	    {"bad \xe9 byte", 10, false},
	    {"a\0b", 3, true},
	    {"\xff\xfe"
	     "a\0",
	     4, false},
	    {"\xe2\x82", 2, false},
	    {"\xf0\x9f\x98\x80", 4, true},
	};
	size_t yes = 0;

	for (size_t c = 0; c < sizeof(cs) / sizeof(cs[0]); c++)
		for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
			bool id = em_charset_is_identity(cs[c], in[i].s, in[i].n);
			bool plain = cs[c] == NULL || !*cs[c] || strcmp(cs[c], "utf-8") == 0 ||
				     strcmp(cs[c], "UTF8") == 0 || strcmp(cs[c], "us-ascii") == 0;
			if (plain && in[i].valid && !id)
				fail_msg("charset %s, input %zu: valid UTF-8 not read in place",
					 cs[c] ? cs[c] : "(null)", i);
			if (!id)
				continue;
			yes++;
			struct em_buf out = EM_BUF_INIT;
			bool lossy = false;
			assert_int_equal(em_charset_to_utf8(cs[c], in[i].s, in[i].n, &out, &lossy),
					 0);
			if (out.len != in[i].n || memcmp(out.data, in[i].s, in[i].n) != 0)
				fail_msg(
				    "charset %s, input %zu: identity claimed, conversion differs",
				    cs[c] ? cs[c] : "(null)", i);
			em_buf_free(&out);
		}
	assert_true(yes > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_charset_identity_only_when_conversion_keeps_the_bytes),
	    cmocka_unit_test(test_b64_decodes_padded_and_unpadded_text),
	    cmocka_unit_test(test_b64_any_slicing_gives_the_same_bytes),
	    cmocka_unit_test(test_b64_line_breaks_and_spaces_are_skipped_without_flag),
	    cmocka_unit_test(test_b64_junk_is_skipped_and_flagged),
	    cmocka_unit_test(test_b64_data_after_padding_keeps_decoding),
	    cmocka_unit_test(test_b64_lone_sextet_before_padding_is_flagged),
	    cmocka_unit_test(test_b64_nul_and_high_bytes_round_trip),
	    cmocka_unit_test(test_b64_large_input_with_line_breaks_round_trips),
	    cmocka_unit_test(test_qp_plain_line_gets_a_newline),
	    cmocka_unit_test(test_qp_soft_break_inside_word_is_joined),
	    cmocka_unit_test(test_qp_soft_break_followed_by_whitespace_is_still_soft),
	    cmocka_unit_test(test_qp_upper_and_lower_case_hex_are_decoded),
	    cmocka_unit_test(test_qp_invalid_escape_is_copied_literally_and_flagged),
	    cmocka_unit_test(test_qp_trailing_whitespace_on_hard_line_end_is_removed),
	    cmocka_unit_test(test_qp_nul_and_8bit_bytes_pass_through),
	    cmocka_unit_test(test_qp_long_line_is_decoded_in_one_push),
	    cmocka_unit_test(test_rfc2047_q_and_b_words_are_decoded),
	    cmocka_unit_test(test_rfc2047_underscore_is_space_in_q_only),
	    cmocka_unit_test(test_rfc2047_charset_and_encoding_are_case_insensitive),
	    cmocka_unit_test(test_rfc2047_charset_with_language_is_understood),
	    cmocka_unit_test(test_rfc2047_whitespace_between_adjacent_words_is_dropped),
	    cmocka_unit_test(test_rfc2047_words_without_surrounding_whitespace_are_decoded),
	    cmocka_unit_test(test_rfc2047_over_long_words_are_decoded),
	    cmocka_unit_test(test_rfc2047_character_split_across_words_is_joined),
	    cmocka_unit_test(test_rfc2047_different_charsets_are_converted_separately),
	    cmocka_unit_test(test_rfc2047_unknown_charset_is_read_as_latin1),
	    cmocka_unit_test(test_rfc2047_raw_8bit_outside_words_is_utf8_or_windows_1252),
	    cmocka_unit_test(test_rfc2047_truncated_and_damaged_words_stay_literal),
	    cmocka_unit_test(test_rfc2047_nul_bytes_are_kept_and_output_is_valid),
	    cmocka_unit_test(test_rfc2047_invalid_utf8_in_word_becomes_replacement),
	    cmocka_unit_test(test_rfc2047_many_unclosed_openers_take_linear_time),
	    cmocka_unit_test(test_rfc2047_random_fragments_always_give_valid_utf8),
	    cmocka_unit_test(test_rfc2047_outlook_gmail_and_apple_subjects),
	    cmocka_unit_test(test_mime_type_is_lower_cased_without_parameters),
	    cmocka_unit_test(test_mime_type_tolerates_comments_spaces_and_missing_semicolon),
	    cmocka_unit_test(test_mime_type_unparsable_values_give_empty),
	    cmocka_unit_test(test_mime_type_too_long_for_buffer_is_empty_not_cut),
	    cmocka_unit_test(test_param_quoted_string_with_backslash_escapes),
	    cmocka_unit_test(test_param_unquoted_values_and_junk_are_tolerated),
	    cmocka_unit_test(test_param_names_are_case_insensitive_and_exact),
	    cmocka_unit_test(test_param_rfc2231_continuations_join_in_any_order),
	    cmocka_unit_test(test_param_rfc2231_encoded_values_are_converted),
	    cmocka_unit_test(test_param_rfc2047_words_inside_quoted_values_are_decoded),
	    cmocka_unit_test(test_param_duplicates_are_selected_by_nth),
	    cmocka_unit_test(test_param_raw_8bit_and_nul_are_handled),
	    cmocka_unit_test(test_param_truncated_values_never_read_past_the_string),
	    cmocka_unit_test(test_param_real_world_headers),
	    cmocka_unit_test(test_param_many_sections_do_not_take_quadratic_time),
	    cmocka_unit_test(test_charset_aliases_are_normalized),
	    cmocka_unit_test(test_charset_utf16_honours_bom_and_guesses_byte_order),
	    cmocka_unit_test(test_charset_utf7_and_iso2022jp_go_through_iconv),
	    cmocka_unit_test(test_charset_invalid_sequences_become_replacement_and_continue),
	    cmocka_unit_test(test_charset_unknown_or_missing_keeps_utf8_else_windows_1252),
	    cmocka_unit_test(test_charset_us_ascii_with_8bit_is_utf8_or_windows_1252),
	    cmocka_unit_test(test_charset_windows_1252_undefined_bytes_do_not_stop),
	    cmocka_unit_test(test_charset_bom_is_dropped_and_nul_bytes_kept),
	    cmocka_unit_test(test_charset_large_input_converts_completely),
	    cmocka_unit_test(test_charset_conversions_run_safely_in_parallel_threads),
	    cmocka_unit_test(test_utf8_valid_accepts_well_formed_text),
	    cmocka_unit_test(test_utf8_valid_rejects_overlongs_surrogates_and_out_of_range),
	    cmocka_unit_test(test_utf8_valid_rejects_truncated_and_stray_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
