/*
 * test_fprint_fast - the fast fingerprint path (class-table tokenizer, the
 * per-thread cache of token hashes, the table directories, the two-bit
 * passage filter, reading in windows of tokens) gives exactly what the reference path gives
 * (em_fp_reference(true): the tokenizer as first written, SipHash-2-4 of
 * every token, binary search over whole tables): the same tokens and
 * hashes, the same table positions, the same excerpts and figures.
 * Texts are generated from a fixed seed and are normalized by hand (lower
 * case), with the tokenizer's edge cases mixed in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "em_buf.h"
#include "em_fprint.h"

static const uint8_t key[EM_FP_KEY_BYTES] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
static const uint8_t key2[EM_FP_KEY_BYTES] = {9, 9, 9, 9, 9, 9, 9, 9, 1, 1, 1, 1, 1, 1, 1, 1};

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Words that exercise the tokenizer: numbers with separators, plurals,
 * capitals, UTF-8 letters and punctuation, tokens of 15-17 and 300 bytes. */
static const char *const odd[] = {
    "80,120",
    "2.4",
    "1,234,567.89",
    "2026",
    "66",
    "per",
    "cent",
    "children's",
    "households",
    "glass",
    "bus",
    "Fostering",
    "ENGLAND",
    "caf\xc3\xa9",
    "na\xc3\xafve",
    "\xe2\x80\x94",
    "\xc2\xa0",
    "a\xe2\x80\x99s",
    "abcdefghijklmnop",
    "abcdefghijklmnopq",
    "abcdefghijklmnos",
    "abcdefghijklmnopqs",
    "x.y,z",
    "3.",
    ",5",
    "10%",
    "\xe2\x88\x92"
    "2",
    "\xc2\xa3"
    "5m",
    /* number words, whole, plural-cut and glued to digits */
    "two",
    "twenty",
    "tens",
    "two1",
    "a",
    "one2",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "per cent",
    "eighty thousand",
    "fours",
    "sixs",
    "k",
    "m",
    "bn",
};

/* One random word: an odd one, or 1-20 random letters/digits (a vocabulary
 * far larger than the cache, so entries are evicted and collide). */
static void word(struct em_buf *b)
{
	uint64_t r = next();

	if (r % 5 == 0) {
		assert_int_equal(em_buf_puts(b, odd[(r >> 8) % (sizeof(odd) / sizeof(odd[0]))]), 0);
		return;
	}
	size_t n = 1 + (r >> 8) % 20;
	for (size_t i = 0; i < n; i++) {
		uint64_t c = next() % 40;
		assert_int_equal(em_buf_putc(b, (char)(c < 26	? 'a' + c
						       : c < 36 ? '0' + c - 26
								: 's')),
				 0);
	}
}

static void text(struct em_buf *b, size_t words)
{
	static const char *const seps[] = {" ", " ", " ", ", ", ". ", "\n", " - ", "(", ") "};

	em_buf_reset(b);
	for (size_t i = 0; i < words; i++) {
		word(b);
		assert_int_equal(em_buf_puts(b, seps[next() % (sizeof(seps) / sizeof(seps[0]))]),
				 0);
	}
	if (next() % 3 == 0) { /* a very long token */
		for (int i = 0; i < 300; i++)
			assert_int_equal(em_buf_putc(b, (char)('a' + i % 26)), 0);
	}
}

static void assert_same_tokens(const struct em_fp_toks *a, const struct em_fp_toks *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		assert_true(a->v[i].h == b->v[i].h);
		assert_int_equal(a->v[i].off, b->v[i].off);
		assert_int_equal(a->v[i].end, b->v[i].end);
		assert_int_equal(a->v[i].number, b->v[i].number);
		assert_int_equal(a->v[i].context, b->v[i].context);
	}
}

static void test_fast_tokenizer_gives_the_reference_tokens(void **state)
{
	struct em_buf b = EM_BUF_INIT;
	struct em_fp_toks ref = {0}, fast = {0};

	(void)state;
	for (int round = 0; round < 300; round++) {
		text(&b, 20 + next() % 400);
		const uint8_t *k = round % 7 == 3 ? key2 : key; /* a key change empties the cache */
		em_fp_reference(true);
		assert_int_equal(em_fp_tokenize(k, b.data, b.len, &ref), 0);
		em_fp_reference(false);
		assert_int_equal(em_fp_tokenize(k, b.data, b.len, &fast), 0);
		assert_same_tokens(&ref, &fast);
		/* twice: the second time mostly from the cache */
		assert_int_equal(em_fp_tokenize(k, b.data, b.len, &fast), 0);
		assert_same_tokens(&ref, &fast);
	}
	em_fp_toks_free(&ref);
	em_fp_toks_free(&fast);
	em_buf_free(&b);
}

static void test_cached_hashes_are_not_reused_under_another_key(void **state)
{
	struct em_fp_toks a = {0}, b = {0}, ref = {0};
	const char *t = "the rate fell to 66 per 10,000 children";

	(void)state;
	em_fp_reference(false);
	assert_int_equal(em_fp_tokenize(key, t, strlen(t), &a), 0);
	assert_int_equal(em_fp_tokenize(key2, t, strlen(t), &b), 0);
	em_fp_reference(true);
	assert_int_equal(em_fp_tokenize(key2, t, strlen(t), &ref), 0);
	em_fp_reference(false);
	assert_same_tokens(&ref, &b);
	for (size_t i = 0; i < a.n; i++)
		assert_false(a.v[i].h == b.v[i].h);
	em_fp_toks_free(&a);
	em_fp_toks_free(&b);
	em_fp_toks_free(&ref);
}

static void test_directory_lookups_agree_with_binary_search(void **state)
{
	enum { NREL = 3, N = 3000 };
	struct em_fp fps[NREL];
	uint64_t hashes[NREL][N];
	struct em_fp_fig figs[NREL][4];
	uint64_t forms[NREL][4][2];
	struct em_fp_index *x = em_fp_index_new(NREL);

	(void)state;
	assert_non_null(x);
	for (unsigned r = 0; r < NREL; r++) {
		for (size_t i = 0; i < N; i++) {
			uint64_t h = next();
			if (i % 10 == 0 && i > 0) /* runs sharing their top bits */
				h = (hashes[r][i - 1] & ~0xffffULL) | (h & 0xffff);
			if (r > 0 && i % 7 == 0) /* the same passage in two releases */
				h = hashes[0][i];
			hashes[r][i] = h;
		}
		for (size_t i = 0; i < 4; i++) {
			forms[r][i][0] = next();
			forms[r][i][1] = i ? forms[r][i - 1][0] : next();
			figs[r][i] = (struct em_fp_fig){.forms = forms[r][i], .nforms = 2};
		}
		memset(&fps[r], 0, sizeof(fps[r]));
		fps[r].k = 6;
		fps[r].w = 3;
		fps[r].hashes = hashes[r];
		fps[r].nhashes = N;
		fps[r].figs = figs[r];
		fps[r].nfigs = 4;
		assert_int_equal(em_fp_index_add(x, r, &fps[r]), 0);
	}
	assert_int_equal(em_fp_index_finish(x), 0);
	for (size_t i = 0; i < 20000; i++) {
		uint64_t h = i < NREL * N ? hashes[i % NREL][i / NREL] + (i % 3) - 1 : next();
		if (i % 5000 == 0)
			h = i ? UINT64_MAX : 0;
		assert_int_equal(em_fp_index_lower(x, h, false, false),
				 em_fp_index_lower(x, h, false, true));
		uint64_t f = i < NREL * 8 ? forms[i % NREL][(i / NREL) % 4][i % 2] : next();
		assert_int_equal(em_fp_index_lower(x, f, true, false),
				 em_fp_index_lower(x, f, true, true));
	}
	em_fp_index_free(x);
}

/* A release document: sentences of generated words with headline figures. */
static void document(struct em_buf *b, unsigned seed)
{
	static const char *const figs[] = {
	    "80,120",	       "2%",	 "66 per 10,000", "4.5 million", "310", "two per cent",
	    "eighty thousand", "ninety", "twenty one",	  "a hundred"};

	rng = 0x9e3779b97f4a7c15ULL * (seed + 1);
	em_buf_reset(b);
	for (int s = 0; s < 60; s++) {
		for (int w = 0; w < 12; w++) {
			if (w == 6)
				assert_int_equal(em_buf_puts(b, figs[(s + seed) % 10]), 0);
			else
				word(b);
			assert_int_equal(em_buf_putc(b, ' '), 0);
		}
		assert_int_equal(em_buf_puts(b, ". "), 0);
	}
}

struct result {
	bool ex;
	char extext[256];
	unsigned words;
	size_t nfig;
	char figtext[256];
};

static void scan(const struct em_fp_index *x, const char *mail, bool reference,
		 struct result out[3])
{
	struct em_fp_hits *h = em_fp_hits_new(x);
	const char *t, *w;

	assert_non_null(h);
	em_fp_reference(reference);
	assert_int_equal(em_fp_scan(x, key, mail, strlen(mail), "body", h), 0);
	em_fp_reference(false);
	for (unsigned r = 0; r < 3; r++) {
		memset(&out[r], 0, sizeof(out[r]));
		out[r].ex = em_fp_hits_excerpt(h, r, &t, &w, &out[r].words);
		if (out[r].ex)
			snprintf(out[r].extext, sizeof(out[r].extext), "%s", t);
		out[r].nfig = em_fp_hits_figures(h, r, &t, &w);
		snprintf(out[r].figtext, sizeof(out[r].figtext), "%s", t);
	}
	em_fp_hits_free(h);
}

static void test_scan_finds_what_the_reference_path_finds(void **state)
{
	struct em_buf d = EM_BUF_INIT, m = EM_BUF_INIT, tail = EM_BUF_INIT;
	struct em_fp *fps[3];
	struct em_fp_index *x = em_fp_index_new(3);
	unsigned found = 0, figures = 0;

	(void)state;
	assert_non_null(x);
	for (unsigned r = 0; r < 3; r++) {
		struct em_fp_builder *b = em_fp_builder_new(key, "0123456789abcdef", 6, 3);
		assert_non_null(b);
		document(&d, r);
		assert_int_equal(em_fp_builder_add(b, d.data, d.len, false), 0);
		fps[r] = em_fp_builder_finish(b, "2026-11-30T18:00:00Z", NULL, NULL);
		assert_non_null(fps[r]);
		em_fp_builder_free(b);
		assert_int_equal(em_fp_index_add(x, r, fps[r]), 0);
	}
	assert_int_equal(em_fp_index_finish(x), 0);
	for (int round = 0; round < 120; round++) {
		/* a mail: generated words around a slice of one document */
		document(&d, (unsigned)round % 3);
		rng += (uint64_t)round * 7919;
		size_t from = next() % d.len, n = round % 4 == 0 ? 0 : next() % 400;
		text(&m, 30);
		assert_int_equal(
		    em_buf_append(&m, d.data + from, from + n > d.len ? d.len - from : n), 0);
		text(&tail, 30);
		assert_int_equal(em_buf_append(&m, tail.data, tail.len), 0);
		struct result ref[3], fast[3];
		/* windows of 1, 7 and 50 tokens: texts of ~500 words cross many edges */
		static const size_t windows[] = {0, 1, 7, 50};
		em_fp_window(windows[round % 4]);
		scan(x, m.data, true, ref);
		scan(x, m.data, false, fast);
		em_fp_window(0);
		for (unsigned r = 0; r < 3; r++) {
			assert_int_equal(ref[r].ex, fast[r].ex);
			assert_int_equal(ref[r].words, fast[r].words);
			assert_string_equal(ref[r].extext, fast[r].extext);
			assert_int_equal(ref[r].nfig, fast[r].nfig);
			assert_string_equal(ref[r].figtext, fast[r].figtext);
			found += ref[r].ex;
			figures += ref[r].nfig > 0;
		}
	}
	/* the comparison was about something: excerpts and figures were found */
	assert_true(found >= 40);
	assert_true(figures >= 5);
	for (unsigned r = 0; r < 3; r++)
		em_fp_free(fps[r]);
	em_fp_index_free(x);
	em_buf_free(&d);
	em_buf_free(&m);
	em_buf_free(&tail);
}

static void test_window_edges_keep_a_figure_with_its_context_words_before_it(void **state)
{
	/* the context words of 80,120 come before it, the figure last */
	const char *d = "some preamble here. looked after children placement authorities numbered "
			"80,120 at the end. the rate fell to 66 per 10,000 children.";
	/* its context words 8-11 words before it, stopwords between */
	const char *tail = "hello all. looked after children placement the of and to in the of "
			   "80,120. and the rate fell to 66 per 10,000 in the year.";
	char mail[4096];
	size_t ml = 0;
	struct em_fp_builder *b = em_fp_builder_new(key, "0123456789abcdef", 6, 3);
	struct em_fp *fp;
	struct em_fp_index *x = em_fp_index_new(1);

	(void)state;
	/* 150 words first: more than a window's look-ahead */
	for (int i = 0; i < 150; i++)
		ml += (size_t)snprintf(mail + ml, sizeof(mail) - ml, "w%d ", i);
	ml += (size_t)snprintf(mail + ml, sizeof(mail) - ml, "%s", tail);
	for (int i = 0; i < 150; i++) /* ... and after: windows move past the figures */
		ml += (size_t)snprintf(mail + ml, sizeof(mail) - ml, " v%d", i);
	assert_non_null(b);
	assert_non_null(x);
	assert_int_equal(em_fp_builder_add(b, d, strlen(d), false), 0);
	fp = em_fp_builder_finish(b, "2026-11-30T18:00:00Z", NULL, NULL);
	assert_non_null(fp);
	em_fp_builder_free(b);
	assert_int_equal(em_fp_index_add(x, 0, fp), 0);
	assert_int_equal(em_fp_index_finish(x), 0);
	struct result ref[3];
	scan(x, mail, true, ref);
	assert_int_equal(ref[0].nfig, 2); /* the check is about something */
	for (size_t wnd = 1; wnd <= 160; wnd++) {
		struct result fast[3];
		em_fp_window(wnd);
		scan(x, mail, false, fast);
		em_fp_window(0);
		assert_int_equal(ref[0].nfig, fast[0].nfig);
		assert_string_equal(ref[0].figtext, fast[0].figtext);
		assert_int_equal(ref[0].words, fast[0].words);
	}
	em_fp_index_free(x);
	em_fp_free(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fast_tokenizer_gives_the_reference_tokens),
	    cmocka_unit_test(test_cached_hashes_are_not_reused_under_another_key),
	    cmocka_unit_test(test_directory_lookups_agree_with_binary_search),
	    cmocka_unit_test(test_scan_finds_what_the_reference_path_finds),
	    cmocka_unit_test(test_window_edges_keep_a_figure_with_its_context_words_before_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
