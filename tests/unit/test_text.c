/*
 * test_text - em_text: matching normalization, HTML to text, reply unquoting.
 *
 * The normalizer is also checked against a reference built directly on
 * utf8proc_map (same options, same category post-pass) so the windowed,
 * ASCII-fast-path implementation cannot drift from the definition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "em_text.h"

/* ---- helpers ------------------------------------------------------------ */

static char *run_norm(const char *in, size_t len)
{
	struct em_buf b = EM_BUF_INIT;
	char *s;

	assert_int_equal(em_norm_append(in, len, &b), 0);
	s = em_buf_steal(&b);
	assert_non_null(s);
	return s;
}

static void expect_norm_n(const char *in, size_t len, const char *want)
{
	char *got = run_norm(in, len);

	assert_string_equal(got, want);
	free(got);
}

static void expect_norm(const char *in, const char *want)
{
	expect_norm_n(in, strlen(in), want);
}

static void expect_html_n(const char *in, size_t len, const char *want)
{
	struct em_buf b = EM_BUF_INIT;

	assert_int_equal(em_html_to_text(in, len, &b), 0);
	assert_int_equal(b.len, strlen(want));
	if (b.len)
		assert_memory_equal(b.data, want, b.len);
	em_buf_free(&b);
}

static void expect_html(const char *in, const char *want)
{
	expect_html_n(in, strlen(in), want);
}

static void expect_unquote(const char *in, const char *want)
{
	struct em_buf b = EM_BUF_INIT;

	assert_int_equal(em_unquote_reply(in, strlen(in), &b), 0);
	assert_int_equal(b.len, strlen(want));
	if (b.len)
		assert_memory_equal(b.data, want, b.len);
	em_buf_free(&b);
}

/* An independent check of well-formed UTF-8 (RFC 3629). */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			k = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			k = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (n - i < k)
			return 0;
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k;
	}
	return 1;
}

/* A small deterministic PRNG so hostile-input tests are reproducible. */
static uint32_t rng_next(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/*
 * The definition of the normalization written the slow, obvious way:
 * utf8proc_map over the whole (valid UTF-8) text, then the category pass.
 */
static char *reference_norm(const char *in)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n;
	struct em_buf b = EM_BUF_INIT;
	int sp = 1;

	n = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)strlen(in), &mapped,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
				 UTF8PROC_IGNORE);
	assert_true(n >= 0);
	for (utf8proc_ssize_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(mapped + i, n - i, &cp);
		int cat;

		assert_true(k > 0);
		i += k;
		cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_CF)
			continue;
		if (cat == UTF8PROC_CATEGORY_PD || cp == 0x2212) {
			assert_int_equal(em_buf_putc(&b, '-'), 0);
			sp = 0;
		} else if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
			   cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC) {
			if (!sp)
				assert_int_equal(em_buf_putc(&b, ' '), 0);
			sp = 1;
		} else {
			utf8proc_uint8_t tmp[4];
			utf8proc_ssize_t e = utf8proc_encode_char(cp, tmp);

			assert_int_equal(em_buf_append(&b, tmp, (size_t)e), 0);
			sp = 0;
		}
	}
	free(mapped);
	return em_buf_steal(&b);
}

/* ---- em_norm_append ------------------------------------------------------ */

static void test_norm_ascii_letters_are_lowercased(void **state)
{
	expect_norm("OFFICIAL-Sensitive 2024/25 Q3", "official-sensitive 2024/25 q3");
}

static void test_norm_whitespace_runs_collapse_to_one_space(void **state)
{
	expect_norm("a \t\t\r\n\f\v  b", "a b");
}

static void test_norm_leading_whitespace_of_empty_output_is_dropped(void **state)
{
	expect_norm(" \t\n word", "word");
	expect_norm("\u00a0\u2003word", "word");
}

static void test_norm_trailing_whitespace_is_kept_as_one_space(void **state)
{
	expect_norm("word \n\t", "word ");
}

static void test_norm_collapse_continues_across_calls(void **state)
{
	struct em_buf b = EM_BUF_INIT;

	assert_int_equal(em_norm_append("OFFICIAL  ", 10, &b), 0);
	assert_int_equal(em_norm_append("\n\t SENSITIVE", 12, &b), 0);
	assert_int_equal(em_norm_append("\u00a0", strlen("\u00a0"), &b), 0);
	assert_int_equal(em_norm_append(" X", 2, &b), 0);
	assert_string_equal(b.data, "official sensitive x");
	em_buf_free(&b);
}

static void test_norm_appends_after_existing_content(void **state)
{
	struct em_buf b = EM_BUF_INIT;

	assert_int_equal(em_buf_puts(&b, "keep|"), 0);
	assert_int_equal(em_norm_append("ABC", 3, &b), 0);
	assert_string_equal(b.data, "keep|abc");
	em_buf_free(&b);
}

static void test_norm_empty_input_appends_nothing(void **state)
{
	struct em_buf b = EM_BUF_INIT;

	assert_int_equal(em_norm_append("", 0, &b), 0);
	assert_int_equal(b.len, 0);
	em_buf_free(&b);
}

/* The byte-at-a-time meaning of em_norm_append for ASCII: A-Z lowered,
 * controls and DEL to a space, no space after a space or at the start. */
static void ref_norm_ascii(const char *prefix, const unsigned char *in, size_t n, char *out)
{
	size_t o = strlen(prefix);

	memcpy(out, prefix, o);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = in[i];

		c = (c < 0x20 || c == 0x7f) ? ' ' : (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
		if (c == ' ' && (o == 0 || out[o - 1] == ' '))
			continue;
		out[o++] = (char)c;
	}
	out[o] = '\0';
}

/* The eight-bytes-at-once path (ascii8) against the byte loop: random ASCII
 * with spaces, double spaces, capitals, controls and DEL, every length up to
 * 70 (every alignment of the 8-byte blocks), after an empty output, a word
 * and a space. */
static void test_norm_ascii_blocks_equal_the_byte_loop(void **state)
{
	static const char alphabet[] = "aaaaaeeeettnnoo  AZQMz09.,;-'%\n\t\x7f\x01 ";
	static const char *const prefixes[] = {"", "x", "x "};
	unsigned seed = 12345;
	unsigned char in[80];
	char want[200];

	for (int round = 0; round < 3000; round++) {
		size_t n = (size_t)round % 71;
		const char *prefix = prefixes[round % 3];
		struct em_buf b = EM_BUF_INIT;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (unsigned char)alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		ref_norm_ascii(prefix, in, n, want);
		assert_int_equal(em_buf_append(&b, prefix, strlen(prefix)), 0);
		assert_int_equal(em_norm_append((const char *)in, n, &b), 0);
		assert_string_equal(b.data ? b.data : "", want);
		em_buf_free(&b);
	}
}

/* iPhone and SI digit grouping: "42 850" with U+202F, U+2009 or U+2007 is
 * 42,850; a no-break space, a space not between digits, or one at the end of
 * the text stays a space */
static void test_norm_digit_group_space_is_a_thousands_separator(void **state)
{
	static const struct {
		const char *in, *want;
	} c[] = {
	    {"down to 42\u202f850.", "down to 42,850."},
	    {"1\u2009234\u2009567", "1,234,567"},
	    {"12\u2007500", "12,500"},
	    {"Q3\u00a02026", "q3 2026"},
	    {"42\u202fchildren", "42 children"},
	    {"page\u202f850", "page 850"},
	    {"42\u202f", "42 "},
	    {"\u202f850", "850"},
	    {"3.2%\u00a0to 42\u202f850", "3.2% to 42,850"},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct em_buf b = EM_BUF_INIT;

		assert_int_equal(em_norm_append(c[i].in, strlen(c[i].in), &b), 0);
		assert_string_equal(b.data ? b.data : "", c[i].want);
		em_buf_free(&b);
	}
}

static void test_norm_footnote_digit_after_a_figure_is_a_word_of_its_own(void **state)
{
	expect_norm("fell by 3.2%\u00b9 to 42,850\u00b2.", "fell by 3.2% 1 to 42,850 2.");
	expect_norm("\u00a31.4bn\u00b3", "\u00a31.4bn3"); /* after a letter: nothing to split */
	expect_norm("42\u2074", "42 4");
	expect_norm("H\u2082O", "h2o");
	expect_norm("m\u00b2", "m2");
	expect_norm("\u00b2", "2");
}

static void test_norm_control_characters_and_nul_become_space(void **state)
{
	expect_norm_n("a\0b\x01" "c\x7f" "d\x1b" "e", 9, "a b c d e");
	expect_norm("a\xc2\x85" "b\xc2\x9f" "c", "a b c");
}

static void test_norm_en_dash_folds_to_hyphen(void **state)
{
	expect_norm("Official\u2013Sensitive", "official-sensitive");
}

static void test_norm_every_dash_and_minus_folds_to_hyphen(void **state)
{
	static const char *const dashes[] = {
		"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212",
		"\ufe58", "\ufe63", "\uff0d", "\u2e3a", "\u301c", "\u058a", "\u1806",
	};

	for (size_t i = 0; i < sizeof(dashes) / sizeof(dashes[0]); i++) {
		char in[32];

		snprintf(in, sizeof(in), "a%sb", dashes[i]);
		expect_norm(in, "a-b");
	}
}

static void test_norm_fullwidth_letters_become_ascii(void **state)
{
	expect_norm("\uff2f\uff26\uff26\uff29\uff23\uff29\uff21\uff2c", "official");
}

static void test_norm_format_characters_are_removed(void **state)
{
	expect_norm("O\u200bFFICIAL", "official");
	expect_norm("OF\u200cFI\u200dCI\u2060AL", "official");
	expect_norm("\ufeffOFF\u00adICIAL", "official");
	expect_norm("OFF\u200eIC\u200fIAL\u202e", "official");
	expect_norm("OFF\u2061IC\u2062IAL\u2063\u2064", "official");
}

static void test_norm_unicode_spaces_collapse_with_ascii_ones(void **state)
{
	expect_norm("a\u00a0\u00a0 \t\nb", "a b");
	expect_norm("a\u2003b\u3000c\u202fd\u205fe\u2009 f", "a b c d e f");
}

static void test_norm_line_and_paragraph_separators_become_space(void **state)
{
	expect_norm("a\u2028b\u2029c", "a b c");
	expect_norm("a \u2028 \u2029 b", "a b");
}

static void test_norm_sharp_s_casefolds_like_double_s(void **state)
{
	expect_norm("STRASSE", "strasse");
	expect_norm("Stra\u00dfe", "strasse");
	expect_norm("STRA\u1e9eE", "strasse");
}

static void test_norm_combining_mark_composes_with_preceding_ascii(void **state)
{
	char *a = run_norm("Cafe\u0301", strlen("Cafe\u0301"));
	char *b = run_norm("CAF\u00c9", strlen("CAF\u00c9"));

	assert_string_equal(a, "caf\u00e9");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_norm_combining_mark_composes_across_calls(void **state)
{
	struct em_buf b = EM_BUF_INIT;

	assert_int_equal(em_norm_append("CAFE", 4, &b), 0);
	assert_int_equal(em_norm_append("\u0301 NOIR", strlen("\u0301 NOIR"), &b), 0);
	assert_string_equal(b.data, "caf\u00e9 noir");
	em_buf_free(&b);
}

static void test_norm_combining_marks_are_canonically_ordered(void **state)
{
	char *a = run_norm("q\u0307\u0323", strlen("q\u0307\u0323"));
	char *b = run_norm("q\u0323\u0307", strlen("q\u0323\u0307"));

	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_norm_invalid_utf8_bytes_are_dropped(void **state)
{
	expect_norm("OFF\xffICIAL", "official");
	expect_norm("OFF\xc0\xafICIAL", "official");	/* overlong '/' */
	expect_norm("OFF\xed\xa0\x80ICIAL", "official");	/* surrogate */
	expect_norm("OFF\xf4\x90\x80\x80ICIAL", "official");	/* above U+10FFFF */
	expect_norm("OFFICIAL\xe2\x80", "official");	/* truncated at the end */
	expect_norm("\x80\x80\xbf", "");
	expect_norm("caf\xc3\xa9\xc3", "caf\u00e9");
}

static void test_norm_compatibility_forms_decompose(void **state)
{
	expect_norm("\ufb01nal \u2460 \u2163 \u00bd", "final 1 iv 1\u20442");
	expect_norm("\u212aelvin \u210cilbert", "kelvin hilbert");
	expect_norm("\U0001d40e\U0001d405\U0001d405", "off");	/* mathematical bold */
}

static void test_norm_non_latin_scripts_are_casefolded_and_lookalikes_become_latin(void **state)
{
	/* О, А, Н look like Latin O, A, H: folded; Ф, И, Ц, Л, Ь are not */
	expect_norm("\u041e\u0424\u0418\u0426\u0418\u0410\u041b\u042c\u041d\u041e",
		    "o\u0444\u0438\u0446\u0438a\u043b\u044cho");
	expect_norm("\u039f\u03a3\u039f\u03a3", "o\u03c3o\u03c3");
}

static void test_norm_homoglyph_marker_reads_as_latin(void **state)
{
	/* OFFICIAL with Cyrillic О and А, SENSITIVE with Cyrillic Е and Ѕ */
	expect_norm("\u041eFFICI\u0410L-\u0405\u0415NSITIVE", "official-sensitive");
}

static void test_norm_output_is_a_fixed_point(void **state)
{
	const char *in = "  Stra\u00dfe\u2013\uff2f\uff26\uff26 Cafe\u0301 \u00bd \u1100\u1161\u11a8 "
			 "O\u200bK \u00c5ngstr\u00f6m \u212b \ufb03 \u3000END ";
	char *once = run_norm(in, strlen(in));
	char *twice = run_norm(once, strlen(once));

	assert_string_equal(once, twice);
	free(once);
	free(twice);
}

static void test_norm_matches_the_utf8proc_reference_on_long_mixed_text(void **state)
{
	static const char *const pieces[] = {
		"OFFICIAL-SENSITIVE ", "Stra\u00dfe ", "\u00c9tude ", "e\u0301", "\u0323\u0307",
		"\u2013", "\u00a0\u00a0", "\uff33\uff25\uff2e", "\u200b", "\u1100\u1161", "\u11a8",
		"\ud55c\uad6d\uc5b4 ", "\u4e2d\u6587", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 ",
		"\ufdfa", "\u2028", "\t\n", "\u0915\u094d\u0937", "\u0b47\u0b3e", "x",
	};
	struct em_buf in = EM_BUF_INIT;
	uint32_t seed = 12345;
	char *got, *want;

	for (int i = 0; i < 20000; i++)
		assert_int_equal(em_buf_puts(&in, pieces[rng_next(&seed) % 20]), 0);
	got = run_norm(in.data, in.len);
	want = reference_norm(in.data);
	assert_string_equal(got, want);
	free(got);
	free(want);
	em_buf_free(&in);
}

static void test_norm_matches_the_utf8proc_reference_on_long_non_ascii_stretches(void **state)
{
	/* No ASCII at all, so the codepoint window fills and must cut safely. */
	static const char *const pieces[] = {
		"\u00c9", "\u0301", "\u0323\u0307", "\u1100", "\u1161", "\u11a8", "\uac00",
		"\u4e2d", "\u00a0", "\u2013", "\ufb01", "\u0b47", "\u0b3e", "\u00df", "\u200b",
		"\u0915\u094d", "\u0f71\u0f72", "\u3099", "\u304b", "\uff25", "\u00e9",
		"\u0451", "\u1f71", "\uf900", "\u0436", "\u212b", "\u0374", "\u01c4",
	};
	struct em_buf in = EM_BUF_INIT;
	uint32_t seed = 777;
	char *got, *want;

	for (int i = 0; i < 50000; i++) {
		size_t k = rng_next(&seed) % (sizeof(pieces) / sizeof(pieces[0]));

		assert_int_equal(em_buf_puts(&in, pieces[k]), 0);
	}
	got = run_norm(in.data, in.len);
	want = reference_norm(in.data);
	assert_string_equal(got, want);
	free(got);
	free(want);
	em_buf_free(&in);
}

static void test_norm_chunked_input_matches_whole_input(void **state)
{
	const char *in = "Pre-release: ORIGINAL Cafe\u0301 \u00a0 Stra\u00dfe\u2014\uff2f\uff26 "
			 "\u1100\u1161\u11a8 e\u0323\u0302 O\u200bFFICIAL  end";
	char *whole = run_norm(in, strlen(in));

	/* Split at every codepoint boundary: the result must not change. */
	for (size_t cut = 0; cut <= strlen(in); cut++) {
		struct em_buf b = EM_BUF_INIT;

		if (cut < strlen(in) && ((unsigned char)in[cut] & 0xc0) == 0x80)
			continue;
		assert_int_equal(em_norm_append(in, cut, &b), 0);
		assert_int_equal(em_norm_append(in + cut, strlen(in) - cut, &b), 0);
		assert_string_equal(b.data, whole);
		em_buf_free(&b);
	}
	free(whole);
}

static void test_norm_megabyte_of_combining_marks_is_handled(void **state)
{
	size_t n = 1 + 2 * 500000;
	char *in = malloc(n);
	char *got;

	assert_non_null(in);
	in[0] = 'a';
	for (size_t i = 1; i < n; i += 2) {
		/* Alternate classes 230 and 220 so canonical ordering has work to do. */
		in[i] = '\xcc';
		in[i + 1] = (i / 2) % 2 ? '\x81' : '\x96';
	}
	got = run_norm(in, n);
	assert_true(valid_utf8((const unsigned char *)got, strlen(got)));
	assert_true(strlen(got) >= n - 2);
	free(got);
	free(in);
}

static void test_norm_random_bytes_give_valid_utf8_without_space_runs(void **state)
{
	uint32_t seed = 99;

	for (int round = 0; round < 200; round++) {
		unsigned char in[512];
		char *got;

		for (size_t i = 0; i < sizeof(in); i++)
			in[i] = (unsigned char)rng_next(&seed);
		got = run_norm((const char *)in, sizeof(in));
		assert_true(valid_utf8((const unsigned char *)got, strlen(got)));
		assert_null(strstr(got, "  "));
		assert_true(got[0] != ' ');
		free(got);
	}
}

/* ---- em_html_to_text ----------------------------------------------------- */

static void test_html_inline_tags_are_removed_without_a_space(void **state)
{
	expect_html("Fos<span>ter</span>ing", "Fostering");
	expect_html("OFF<b class=\"x\">ICI</b><i>AL</i>", "OFFICIAL");
	expect_html("O<font color=white>FF</font>I<img src=x.png>CIAL", "OFFICIAL");
}

static void test_html_br_between_words_becomes_a_newline(void **state)
{
	expect_html("OFFICIAL<br>SENSITIVE", "OFFICIAL\nSENSITIVE");
	expect_html("OFFICIAL<BR/>SENSITIVE", "OFFICIAL\nSENSITIVE");
	expect_html("OFFICIAL<br />SENSITIVE", "OFFICIAL\nSENSITIVE");
}

static void test_html_block_elements_become_newlines(void **state)
{
	expect_html("<p>a</p><div>b</div>", "\na\n\nb\n");
	expect_html("<ul><li>a<li>b</ul>", "\n\na\nb\n");
	expect_html("<table><tr><td>a</td><TD>b</table>", "\n\n\na\n\nb\n");
	expect_html("<h1>t</h1><hr><blockquote>q</blockquote>", "\nt\n\n\nq\n");
	expect_html("<section>a</section><article>b</article><pre>c</pre>",
		    "\na\n\nb\n\nc\n");
}

static void test_html_normalized_block_break_separates_words(void **state)
{
	struct em_buf t = EM_BUF_INIT, n = EM_BUF_INIT;
	const char *in = "<p>OFFICIAL</p><p>SENSITIVE</p>";

	assert_int_equal(em_html_to_text(in, strlen(in), &t), 0);
	assert_int_equal(em_norm_append(t.data, t.len, &n), 0);
	assert_string_equal(n.data, "official sensitive ");
	em_buf_free(&t);
	em_buf_free(&n);
}

static void test_html_footnote_reference_after_a_figure_is_a_word_of_its_own(void **state)
{
	/* Word pastes footnote references as <sup>: "42,850<sup>2</sup>" is
	 * 42,850 and footnote 2, in both readings */
	static const struct {
		const char *in, *want;
	} c[] = {
	    {"fell by 3.2%<sup><span style=\"font-size:8pt\">1</span></sup> to 42,850<sup>2</sup>.",
	     "fell by 3.2% 1 to 42,850 2."},
	    {"&pound;1.4bn<SUP>3</SUP>", "\u00a31.4bn 3"},
	    {"CO<sub>2</sub>", "CO 2"},
	    {"12<sup>th</sup> November", "12th November"},	/* Outlook's ordinals stay words */
	    {"Fos<sup>ter</sup>ing", "Fostering"},
	    {"x<sup>", "x"},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct em_buf d = EM_BUF_INIT;

		expect_html(c[i].in, c[i].want);
		assert_true(em_html_display(c[i].in, strlen(c[i].in), &d, NULL) >= 0);
		assert_string_equal(d.data ? d.data : "", c[i].want);
		em_buf_free(&d);
	}
}

static void test_html_style_and_script_content_is_never_text(void **state)
{
	expect_html("a<style>p { color: red }</style>b", "ab");
	expect_html("a<STYLE type=\"text/css\">x</Style >b", "ab");
	expect_html("a<script>if (x < y && y > 2) document.write('<b>')</script>b", "ab");
	expect_html("a<script>var s = '</scriptx>';</script>b", "ab");
	expect_html("<head><meta charset=utf-8><style>s</style></head>body", "body");
}

static void test_html_unterminated_script_hides_the_rest(void **state)
{
	expect_html("a<script>secret", "a");
}

static void test_html_title_is_kept_as_text(void **state)
{
	expect_html("<html><head><title>Q3 &amp; more</title></head><body>x</body></html>",
		    "\nQ3 & more\nx");
}

static void test_html_comments_are_skipped(void **state)
{
	expect_html("a<!-- hidden -->b", "ab");
	expect_html("a<!-- x -- y -->b", "ab");
	expect_html("a<!-->b", "ab");
	expect_html("a<!--->b", "ab");
	expect_html("a<!-- x --!>b", "ab");
	expect_html("a<!-- <p>tag</p> -->b", "ab");
}

static void test_html_unterminated_comment_runs_to_the_end(void **state)
{
	expect_html("a<!-- never closed OFFICIAL", "a");
	expect_html("a<!--", "a");
	expect_html("a<!-- x -", "a");
}

static void test_html_conditional_comment_content_is_kept(void **state)
{
	expect_html("<!--[if mso]>OFFICIAL<![endif]-->!", "OFFICIAL!");
	expect_html("<!--[if !mso]><!-->x<!--<![endif]-->", "x");
}

static void test_html_cdata_doctype_and_processing_instructions_are_skipped(void **state)
{
	expect_html("<!DOCTYPE html>a<![CDATA[b]]>c<?xml version=\"1.0\"?>d", "acd");
	expect_html("a<![CDATA[never closed", "a");
	expect_html("a<!DOCTYPE", "a");
	expect_html("a<?php", "a");
}

static void test_html_quoted_attributes_may_contain_gt(void **state)
{
	expect_html("<a title=\"x>y\" href='a>b'>link</a>", "link");
	expect_html("<a title = \"x>y\">l</a>", "l");
	expect_html("<img alt=x>y>z", "y>z");
}

static void test_html_lone_less_than_is_kept_as_text(void **state)
{
	expect_html("a < b", "a < b");
	expect_html("a <3 b <= c", "a <3 b <= c");
	expect_html("x<", "x<");
	expect_html("x</", "x</");
	expect_html("1<2", "1<2");
}

static void test_html_odd_end_tags_are_dropped(void **state)
{
	expect_html("a</>b", "ab");
	expect_html("a</ bogus>b", "ab");
}

static void test_html_unterminated_tag_at_the_end_is_kept_as_text(void **state)
{
	expect_html("ok <span class=\"OFFICIAL-SENSITIVE", "ok <span class=\"OFFICIAL-SENSITIVE");
	expect_html("ok <b", "ok <b");
}

static void test_html_numeric_references_are_decoded(void **state)
{
	expect_html("&#65;&#x42;&#X43;&#0068;", "ABCD");
	expect_html("&#65 &#x42z", "A Bz");
	expect_html("a&#8211;b&#x2014;c", "a\u2013b\u2014c");
	expect_html("&#128512;", "\U0001f600");
}

static void test_html_invalid_numeric_references_become_replacement_character(void **state)
{
	expect_html("&#0;", "\ufffd");
	expect_html("&#xD800;", "\ufffd");
	expect_html("&#1114112;", "\ufffd");
	expect_html("&#x110000;", "\ufffd");
	expect_html("&#99999999999999999999999999;", "\ufffd");
	expect_html("&#xffffffffffffffffffff;x", "\ufffdx");
}

static void test_html_c1_numeric_references_map_through_windows_1252(void **state)
{
	expect_html("OFFICIAL&#150;SENSITIVE", "OFFICIAL\u2013SENSITIVE");
	expect_html("&#128;&#x99;", "\u20ac\u2122");
}

static void test_html_incomplete_numeric_references_are_literal(void **state)
{
	expect_html("&#", "&#");
	expect_html("&#x", "&#x");
	expect_html("&#;", "&#;");
	expect_html("&#xg;", "&#xg;");
}

static void test_html_named_references_are_decoded(void **state)
{
	expect_html("&amp;&lt;&gt;&quot;&apos;", "&<>\"'");
	expect_html("&nbsp;&ndash;&mdash;&minus;&hellip;", "\u00a0\u2013\u2014\u2212\u2026");
	expect_html("&euro;&pound;&trade;&bull;&middot;", "\u20ac\u00a3\u2122\u2022\u00b7");
	expect_html("&thinsp;&ensp;&emsp;&zwj;&zwnj;&lrm;&rlm;",
		    "\u2009\u2002\u2003\u200d\u200c\u200e\u200f");
	expect_html("&eacute;&Eacute;&szlig;&yuml;&AElig;", "\u00e9\u00c9\u00df\u00ff\u00c6");
	expect_html("&lsquo;&rsquo;&ldquo;&rdquo;", "\u2018\u2019\u201c\u201d");
	expect_html("&zwnj;&CounterClockwiseContourIntegral;&ZeroWidthSpace;",
		    "\u200c\u2233\u200b");
	expect_html("&NotEqualTilde;", "\u2242\u0338");
}

static void test_html_legacy_named_references_work_without_semicolon(void **state)
{
	expect_html("&copy2020 &amp &ltx", "\u00a92020 & <x");
	expect_html("&notit;", "\u00acit;");
	expect_html("a&nbspb", "a\u00a0b");
}

static void test_html_unknown_references_are_kept_literally(void **state)
{
	expect_html("AT&T &bogus; &ndashx &", "AT&T &bogus; &ndashx &");
	expect_html("&;&&", "&;&&");
	expect_html("&ThisNameIsFarTooLongToBeAnyEntityAtAll;", "&ThisNameIsFarTooLongToBeAnyEntityAtAll;");
}

static void test_html_soft_hyphen_reference_survives_until_normalization(void **state)
{
	struct em_buf t = EM_BUF_INIT, n = EM_BUF_INIT;
	const char *in = "Fos&shy;tering O&#8203;FFICIAL";

	assert_int_equal(em_html_to_text(in, strlen(in), &t), 0);
	assert_string_equal(t.data, "Fos\u00adtering O\u200bFFICIAL");
	assert_int_equal(em_norm_append(t.data, t.len, &n), 0);
	assert_string_equal(n.data, "fostering official");
	em_buf_free(&t);
	em_buf_free(&n);
}

static void test_html_entity_obfuscated_marker_normalizes_to_marker(void **state)
{
	struct em_buf t = EM_BUF_INIT, n = EM_BUF_INIT;
	const char *in = "<p>&#79;FFI<span>C</span>IAL&nbsp;&ndash;&#x00A0;S&#69;NSITIVE</p>";

	assert_int_equal(em_html_to_text(in, strlen(in), &t), 0);
	assert_int_equal(em_norm_append(t.data, t.len, &n), 0);
	assert_string_equal(n.data, "official - sensitive ");
	em_buf_free(&t);
	em_buf_free(&n);
}

static void test_html_rcdata_and_raw_elements_show_markup_as_text(void **state)
{
	expect_html("<textarea><b>x</b> &amp;</textarea>", "\n<b>x</b> &\n");
	expect_html("<xmp><b>&amp;</b></xmp>", "\n<b>&amp;</b>\n");
	expect_html("<plaintext></plaintext><b>", "\n</plaintext><b>");
}

static void test_html_nul_bytes_and_invalid_utf8_are_dropped(void **state)
{
	expect_html_n("OFF\0ICI\xff" "AL<b\0>x", 15, "OFFICIALx");
	expect_html("caf\xc3\xa9 \xc3", "caf\u00e9 ");
}

static void test_html_megabyte_of_less_than_signs_is_kept(void **state)
{
	size_t n = 1 << 20;
	char *in = malloc(n);
	struct em_buf b = EM_BUF_INIT;

	assert_non_null(in);
	memset(in, '<', n);
	assert_int_equal(em_html_to_text(in, n, &b), 0);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.data, in, n);
	em_buf_free(&b);
	free(in);
}

/*
 * CPU time to reduce `unit` repeated to about n bytes followed by `tail`;
 * checks the output is valid UTF-8.
 */
static double html_cpu_seconds(const char *unit, const char *tail, size_t n)
{
	size_t ul = strlen(unit), tl = strlen(tail), len = n - n % ul + tl;
	char *in = malloc(len);
	struct em_buf b = EM_BUF_INIT;
	clock_t t0;
	double t;

	assert_non_null(in);
	for (size_t i = 0; i + tl < len; i += ul)
		memcpy(in + i, unit, ul);
	memcpy(in + len - tl, tail, tl);
	t0 = clock();
	assert_int_equal(em_html_to_text(in, len, &b), 0);
	t = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(valid_utf8((const unsigned char *)b.data, b.len));
	em_buf_free(&b);
	free(in);
	return t;
}

static void test_html_megabyte_of_hostile_openers_is_reduced_to_valid_text(void **state)
{
	static const char *const units[] = {"<a", "<!--", "<!", "&", "&#", "&#x1", "<a '",
					    "<style>", "</", "<![CDATA[", "&amp", "<p>",
					    "<!--[if-->", "<!--[if]>", "<a b=\"\">", "&#99999999"};
	size_t n = 1 << 20;

	/*
	 * No timing asserted here (timed unit tests are flaky under sanitizers
	 * and load): a quadratic path would make this test run for minutes, which
	 * the test runner's time limit catches; the output must be valid UTF-8.
	 */
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		/* Each unit alone, then closed far away by every kind of ending. */
		static const char *const tails[] = {"", "-->", "]]>", ">", "</style>", "\"'>"};

		for (size_t k = 0; k < sizeof(tails) / sizeof(tails[0]); k++)
			(void)html_cpu_seconds(units[u], tails[k], n);
	}
}

static void test_html_random_markup_gives_valid_utf8(void **state)
{
	static const char alphabet[] = "<>/!-&#;x1aA\"' =p\0\xc3\xa9\xff\xe2\x80";
	uint32_t seed = 7;

	for (int round = 0; round < 500; round++) {
		char in[300];
		struct em_buf b = EM_BUF_INIT;

		for (size_t i = 0; i < sizeof(in); i++)
			in[i] = alphabet[rng_next(&seed) % (sizeof(alphabet) - 1)];
		assert_int_equal(em_html_to_text(in, sizeof(in), &b), 0);
		assert_true(valid_utf8((const unsigned char *)b.data, b.len));
		assert_true(b.len == 0 || memchr(b.data, '\0', b.len) == NULL);
		em_buf_free(&b);
	}
}

/* ---- em_unquote_reply ---------------------------------------------------- */

static void test_unquote_nested_markers_with_spaces_are_dropped(void **state)
{
	expect_unquote(">> > text", "text");
	expect_unquote("> a\n>> b\n> > > c\n", "a\nb\nc\n");
}

static void test_unquote_unquoted_lines_are_kept(void **state)
{
	expect_unquote("plain\n  indented\n\nend", "plain\n  indented\n\nend");
}

static void test_unquote_gt_inside_a_line_is_kept(void **state)
{
	expect_unquote("a > b\n> x > y", "a > b\nx > y");
}

static void test_unquote_quote_only_lines_become_empty(void **state)
{
	expect_unquote(">\n>>\r\n> >", "\n\r\n");
}

static void test_unquote_crlf_line_ends_are_kept(void **state)
{
	expect_unquote("> a\r\n> b\r\n", "a\r\nb\r\n");
}

static void test_unquote_wrapped_phrase_joins_after_normalization(void **state)
{
	struct em_buf q = EM_BUF_INIT, n = EM_BUF_INIT;
	const char *in = "> > the OFFICIAL\r\n> > SENSITIVE figures\r\n";

	assert_int_equal(em_unquote_reply(in, strlen(in), &q), 0);
	assert_int_equal(em_norm_append(q.data, q.len, &n), 0);
	assert_string_equal(n.data, "the official sensitive figures ");
	em_buf_free(&q);
	em_buf_free(&n);
}

static void test_unquote_empty_input_appends_nothing(void **state)
{
	expect_unquote("", "");
}

/* em_reply_quoted (the scan skips unquoting when it says no): for every
 * text of up to 7 characters over blanks, '>', newlines, CR and a letter,
 * it is true exactly when em_unquote_reply changes the text. */
static void test_reply_quoted_is_true_exactly_when_unquoting_changes_text(void **state)
{
	static const char alpha[] = {' ', '\t', '>', '\n', 'a', '\r'};
	char in[8];
	size_t changed = 0, total = 0;

	for (size_t n = 0; n <= 7; n++) {
		size_t count = 1;
		for (size_t i = 0; i < n; i++)
			count *= sizeof(alpha);
		for (size_t c = 0; c < count; c++) {
			size_t v = c;
			for (size_t i = 0; i < n; i++, v /= sizeof(alpha))
				in[i] = alpha[v % sizeof(alpha)];
			struct em_buf b = EM_BUF_INIT;
			assert_int_equal(em_unquote_reply(in, n, &b), 0);
			bool differs = b.len != n || (n && memcmp(b.data, in, n) != 0);
			if (em_reply_quoted(in, n) != differs)
				fail_msg("em_reply_quoted(\"%.*s\") = %d, unquoting %s the text",
					 (int)n, in, !differs, differs ? "changes" : "keeps");
			changed += differs;
			total++;
			em_buf_free(&b);
		}
	}
	assert_true(changed > 0 && changed < total); /* both answers were exercised */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_norm_ascii_letters_are_lowercased),
		cmocka_unit_test(test_norm_ascii_blocks_equal_the_byte_loop),
		cmocka_unit_test(test_norm_digit_group_space_is_a_thousands_separator),
		cmocka_unit_test(test_norm_footnote_digit_after_a_figure_is_a_word_of_its_own),
		cmocka_unit_test(test_norm_whitespace_runs_collapse_to_one_space),
		cmocka_unit_test(test_norm_leading_whitespace_of_empty_output_is_dropped),
		cmocka_unit_test(test_norm_trailing_whitespace_is_kept_as_one_space),
		cmocka_unit_test(test_norm_collapse_continues_across_calls),
		cmocka_unit_test(test_norm_appends_after_existing_content),
		cmocka_unit_test(test_norm_empty_input_appends_nothing),
		cmocka_unit_test(test_norm_control_characters_and_nul_become_space),
		cmocka_unit_test(test_norm_en_dash_folds_to_hyphen),
		cmocka_unit_test(test_norm_every_dash_and_minus_folds_to_hyphen),
		cmocka_unit_test(test_norm_fullwidth_letters_become_ascii),
		cmocka_unit_test(test_norm_format_characters_are_removed),
		cmocka_unit_test(test_norm_unicode_spaces_collapse_with_ascii_ones),
		cmocka_unit_test(test_norm_line_and_paragraph_separators_become_space),
		cmocka_unit_test(test_norm_sharp_s_casefolds_like_double_s),
		cmocka_unit_test(test_norm_combining_mark_composes_with_preceding_ascii),
		cmocka_unit_test(test_norm_combining_mark_composes_across_calls),
		cmocka_unit_test(test_norm_combining_marks_are_canonically_ordered),
		cmocka_unit_test(test_norm_invalid_utf8_bytes_are_dropped),
		cmocka_unit_test(test_norm_compatibility_forms_decompose),
		cmocka_unit_test(test_norm_non_latin_scripts_are_casefolded_and_lookalikes_become_latin),
		cmocka_unit_test(test_norm_homoglyph_marker_reads_as_latin),
		cmocka_unit_test(test_norm_output_is_a_fixed_point),
		cmocka_unit_test(test_norm_matches_the_utf8proc_reference_on_long_mixed_text),
		cmocka_unit_test(test_norm_matches_the_utf8proc_reference_on_long_non_ascii_stretches),
		cmocka_unit_test(test_norm_chunked_input_matches_whole_input),
		cmocka_unit_test(test_norm_megabyte_of_combining_marks_is_handled),
		cmocka_unit_test(test_norm_random_bytes_give_valid_utf8_without_space_runs),
		cmocka_unit_test(test_html_inline_tags_are_removed_without_a_space),
		cmocka_unit_test(test_html_br_between_words_becomes_a_newline),
		cmocka_unit_test(test_html_block_elements_become_newlines),
		cmocka_unit_test(test_html_normalized_block_break_separates_words),
		cmocka_unit_test(test_html_footnote_reference_after_a_figure_is_a_word_of_its_own),
		cmocka_unit_test(test_html_style_and_script_content_is_never_text),
		cmocka_unit_test(test_html_unterminated_script_hides_the_rest),
		cmocka_unit_test(test_html_title_is_kept_as_text),
		cmocka_unit_test(test_html_comments_are_skipped),
		cmocka_unit_test(test_html_unterminated_comment_runs_to_the_end),
		cmocka_unit_test(test_html_conditional_comment_content_is_kept),
		cmocka_unit_test(test_html_cdata_doctype_and_processing_instructions_are_skipped),
		cmocka_unit_test(test_html_quoted_attributes_may_contain_gt),
		cmocka_unit_test(test_html_lone_less_than_is_kept_as_text),
		cmocka_unit_test(test_html_odd_end_tags_are_dropped),
		cmocka_unit_test(test_html_unterminated_tag_at_the_end_is_kept_as_text),
		cmocka_unit_test(test_html_numeric_references_are_decoded),
		cmocka_unit_test(test_html_invalid_numeric_references_become_replacement_character),
		cmocka_unit_test(test_html_c1_numeric_references_map_through_windows_1252),
		cmocka_unit_test(test_html_incomplete_numeric_references_are_literal),
		cmocka_unit_test(test_html_named_references_are_decoded),
		cmocka_unit_test(test_html_legacy_named_references_work_without_semicolon),
		cmocka_unit_test(test_html_unknown_references_are_kept_literally),
		cmocka_unit_test(test_html_soft_hyphen_reference_survives_until_normalization),
		cmocka_unit_test(test_html_entity_obfuscated_marker_normalizes_to_marker),
		cmocka_unit_test(test_html_rcdata_and_raw_elements_show_markup_as_text),
		cmocka_unit_test(test_html_nul_bytes_and_invalid_utf8_are_dropped),
		cmocka_unit_test(test_html_megabyte_of_less_than_signs_is_kept),
		cmocka_unit_test(test_html_megabyte_of_hostile_openers_is_reduced_to_valid_text),
		cmocka_unit_test(test_html_random_markup_gives_valid_utf8),
		cmocka_unit_test(test_unquote_nested_markers_with_spaces_are_dropped),
		cmocka_unit_test(test_unquote_unquoted_lines_are_kept),
		cmocka_unit_test(test_unquote_gt_inside_a_line_is_kept),
		cmocka_unit_test(test_reply_quoted_is_true_exactly_when_unquoting_changes_text),
		cmocka_unit_test(test_unquote_quote_only_lines_become_empty),
		cmocka_unit_test(test_unquote_crlf_line_ends_are_kept),
		cmocka_unit_test(test_unquote_wrapped_phrase_joins_after_normalization),
		cmocka_unit_test(test_unquote_empty_input_appends_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
