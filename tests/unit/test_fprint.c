/*
 * Unit tests for em_fprint: SipHash-2-4 against the reference test vectors
 * (Aumasson & Bernstein, siphash/vectors.h), tokens, the winnowing guarantee
 * (any run of k + w - 1 words of a document is found), the .fp format (round
 * trip, refusals), figures near their context words, and one index over
 * several releases. Texts are normalized by hand (lower case, as
 * em_norm_append makes them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "em_figures.h"
#include "em_fprint.h"

static const uint8_t key[EM_FP_KEY_BYTES] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

static const char doc[] =
    "the number of children looked after by local authorities in england fell to 80,120 at "
    "31 march 2026, down 2% on the previous year. caseworkers reported growing difficulty "
    "finding a first placement for teenagers. the rate fell to 66 per 10,000 children.";

static void test_siphash_matches_the_reference_vectors(void **state)
{
	uint8_t in[64];

	(void)state;
	for (int i = 0; i < 64; i++)
		in[i] = (uint8_t)i;
	/* vectors_sip64[0], [1], [7], [8], [15] of the reference implementation */
	assert_true(em_siphash(key, in, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(em_siphash(key, in, 1) == 0x74f839c593dc67fdULL);
	assert_true(em_siphash(key, in, 7) == 0xab0200f58b01d137ULL);
	assert_true(em_siphash(key, in, 8) == 0x93f5f5799a932462ULL);
	assert_true(em_siphash(key, in, 15) == 0xa129ca6149be45e5ULL);
}

static void test_numbers_are_tokens_and_separators_do_not_matter(void **state)
{
	struct em_fp_toks a = {0}, b = {0};

	(void)state;
	assert_int_equal(em_fp_tokenize(key, "fell to 80,120 children", 23, &a), 0);
	assert_int_equal(em_fp_tokenize(key, "fell to 80120 child", 19, &b), 0);
	assert_int_equal(a.n, 4);
	em_fp_mark_context(&a, "fell to 80,120 children", 0, a.n);
	assert_true(a.v[2].number);
	assert_true(a.v[2].h == b.v[2].h);
	assert_false(a.v[3].h == b.v[3].h); /* "children" is not "child" */
	assert_false(a.v[0].context);	    /* "fell": a trend word */
	assert_true(a.v[3].context);
	em_fp_toks_free(&a);
	em_fp_toks_free(&b);
}

/* A byte not in the declared charset is decoded as U+FFFD: it separates words
 * as the "£" it often was, in both tokenizers. */
static void test_replacement_character_separates_words(void **state)
{
	const char *bad = "cost \xef\xbf\xbd" "1.4bn now", *good = "cost \xc2\xa3" "1.4bn now";
	struct em_fp_toks a = {0}, b = {0};

	(void)state;
	for (int ref = 0; ref < 2; ref++) {
		em_fp_reference(ref == 1);
		assert_int_equal(em_fp_tokenize(key, bad, strlen(bad), &a), 0);
		assert_int_equal(em_fp_tokenize(key, good, strlen(good), &b), 0);
		assert_int_equal(a.n, b.n);
		for (size_t i = 0; i < a.n; i++)
			assert_true(a.v[i].h == b.v[i].h);
	}
	em_fp_reference(false);
	em_fp_toks_free(&a);
	em_fp_toks_free(&b);
}

static struct em_fp *build(const char *text, const char *published)
{
	struct em_fp_builder *b = em_fp_builder_new(key, "0123456789abcdef", 6, 3);
	struct em_fp *fp;

	assert_non_null(b);
	if (published)
		assert_int_equal(em_fp_builder_add(b, published, strlen(published), true), 0);
	assert_int_equal(em_fp_builder_add(b, text, strlen(text), false), 0);
	assert_int_equal(em_fp_builder_source(b, "draft.docx"), 0);
	fp = em_fp_builder_finish(b, "2026-11-30T18:00:00Z", NULL, NULL);
	assert_non_null(fp);
	em_fp_builder_free(b);
	return fp;
}

static struct em_fp_index *index_of(struct em_fp **fps, unsigned n)
{
	struct em_fp_index *x = em_fp_index_new(n);

	assert_non_null(x);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(em_fp_index_add(x, i, fps[i]), 0);
	assert_int_equal(em_fp_index_finish(x), 0);
	return x;
}

/* Words of doc[from .. from + n) as a string (doc words are single-spaced). */
static char *words_of(const char *text, size_t from, size_t n)
{
	const char *p = text, *start;
	size_t i = 0;

	while (i < from) {
		p = strchr(p, ' ') + 1;
		i++;
	}
	start = p;
	for (i = 0; i < n && p; i++) {
		p = strchr(p, ' ');
		if (p && i + 1 < n)
			p++;
	}
	return strndup(start, p ? (size_t)(p - start) : strlen(start));
}

static void test_every_run_of_k_plus_w_minus_1_words_is_found(void **state)
{
	struct em_fp *fp = build(doc, NULL);
	struct em_fp_index *x = index_of(&fp, 1);
	size_t nwords = 1;

	(void)state;
	for (const char *p = doc; *p; p++)
		nwords += *p == ' ';
	for (size_t from = 0; from + 8 <= nwords; from++) {
		char *ex = words_of(doc, from, 8);
		char mail[512];
		struct em_fp_hits *h = em_fp_hits_new(x);
		const char *t, *w;
		unsigned words;
		snprintf(mail, sizeof(mail), "hello, as discussed: %s. thanks", ex);
		assert_int_equal(em_fp_scan(x, key, mail, strlen(mail), "body", h), 0);
		if (!em_fp_hits_excerpt(h, 0, &t, &w, &words))
			fail_msg("8 words from word %zu not found: \"%s\"", from, ex);
		assert_true(words >= 6);
		assert_string_equal(w, "body");
		em_fp_hits_free(h);
		free(ex);
	}
	em_fp_index_free(x);
	em_fp_free(fp);
}

/* What `embargoctl fingerprint` writes: every k-gram kept (w 1), so the run
 * a mail shares is counted exactly and one shorter than excerpt_words (8) is
 * not an excerpt — six words a draft shares with everyday mail ("at any
 * point in the year") no longer hold mail on any subject. A winnowed .fp
 * (w 3, written before) keeps counting any hit. */
static void test_a_run_shorter_than_excerpt_words_is_not_an_excerpt(void **state)
{
	struct em_fp_builder *b = em_fp_builder_new(key, "0123456789abcdef", 6, 1);
	struct em_fp *all, *winnowed = build(doc, NULL);
	struct em_fp_index *x = em_fp_index_new(2);
	size_t nwords = 1;

	(void)state;
	assert_non_null(b);
	assert_int_equal(em_fp_builder_add(b, doc, strlen(doc), false), 0);
	all = em_fp_builder_finish(b, "2026-12-01T06:00:00Z", NULL, NULL);
	assert_non_null(all);
	em_fp_builder_free(b);
	assert_true(all->nhashes > winnowed->nhashes);
	assert_non_null(x);
	assert_int_equal(em_fp_index_add(x, 0, all), 0);
	assert_int_equal(em_fp_index_add(x, 1, winnowed), 0);
	em_fp_index_min_words(x, 8);
	assert_int_equal(em_fp_index_finish(x), 0);
	assert_false(em_fp_index_winnowed(x, 0));
	assert_true(em_fp_index_winnowed(x, 1));
	for (const char *p = doc; *p; p++)
		nwords += *p == ' ';
	for (size_t n = 6; n <= 9; n++) {
		size_t found = 0;

		for (size_t from = 0; from + n <= nwords; from++) {
			char *ex = words_of(doc, from, n);
			char mail[512];
			struct em_fp_hits *h = em_fp_hits_new(x);
			const char *t, *w;
			unsigned words;

			snprintf(mail, sizeof(mail), "hello, as discussed: %s. thanks", ex);
			assert_int_equal(em_fp_scan(x, key, mail, strlen(mail), "body", h), 0);
			if (em_fp_hits_excerpt(h, 0, &t, &w, &words)) {
				/* the whole run, counted from its first word */
				assert_true(n >= 8);
				assert_int_equal(words, n);
				if (strstr(ex, t) == NULL || strncmp(t, ex, 4) != 0)
					fail_msg("excerpt \"%s\" is not the run \"%s\"", t, ex);
				found++;
			}
			if (n >= 8 && em_fp_hits_excerpt(h, 1, &t, &w, &words) == false)
				fail_msg("%zu words from word %zu not found in the winnowed .fp", n, from);
			em_fp_hits_free(h);
			free(ex);
		}
		if (n >= 8)
			assert_int_equal(found, nwords - n + 1);
		else
			assert_int_equal(found, 0);
	}
	em_fp_index_free(x);
	em_fp_free(all);
	em_fp_free(winnowed);
}

static void test_passages_in_published_files_are_left_out(void **state)
{
	const char *pub = "caseworkers reported growing difficulty finding a first placement for "
			  "teenagers.";
	struct em_fp *with = build(doc, NULL), *without = build(doc, pub);
	struct em_fp_index *x = index_of(&without, 1);
	struct em_fp_hits *h = em_fp_hits_new(x);
	const char *t, *w;
	unsigned words;

	(void)state;
	assert_true(without->public_passages > 0);
	assert_true(without->nhashes < with->nhashes);
	assert_int_equal(em_fp_scan(x, key, pub, strlen(pub), "body", h), 0);
	assert_false(em_fp_hits_excerpt(h, 0, &t, &w, &words));
	em_fp_hits_free(h);
	em_fp_index_free(x);
	em_fp_free(with);
	em_fp_free(without);
}

static void test_fp_file_round_trips_and_holds_no_text(void **state)
{
	struct em_fp *fp = build(doc, NULL), *back;
	struct em_buf out = EM_BUF_INIT;
	char why[128];

	(void)state;
	assert_int_equal(em_fp_write(fp, &out), 0);
	assert_null(strstr(out.data, "children"));
	assert_null(strstr(out.data, "80,120"));
	assert_null(strstr(out.data, " 80120"));
	back = em_fp_parse(out.data, out.len, why, sizeof(why));
	if (back == NULL)
		fail_msg("%s", why);
	assert_int_equal(back->nhashes, fp->nhashes);
	assert_int_equal(back->nfigs, fp->nfigs);
	assert_int_equal(back->k, 6);
	assert_int_equal(back->w, 3);
	assert_string_equal(back->key_id, "0123456789abcdef");
	assert_string_equal(back->sources[0], "draft.docx");
	assert_memory_equal(back->hashes, fp->hashes, fp->nhashes * sizeof(uint64_t));
	em_fp_free(back);
	em_fp_free(fp);
	em_buf_free(&out);
}

static void test_fp_reader_refuses_damage_with_a_line_number(void **state)
{
	struct em_fp *fp = build(doc, NULL);
	struct em_buf out = EM_BUF_INIT;
	char why[128];

	(void)state;
	assert_int_equal(em_fp_write(fp, &out), 0);
	/* cut short */
	assert_null(em_fp_parse(out.data, out.len - 5, why, sizeof(why)));
	assert_non_null(strstr(why, "line"));
	/* another version */
	char *v2 = strdup(out.data);
	v2[strlen("embargo-milter fingerprint ")] = '2';
	assert_null(em_fp_parse(v2, strlen(v2), why, sizeof(why)));
	assert_non_null(strstr(why, "version 2"));
	/* not a fingerprint */
	assert_null(em_fp_parse("hello\n", 6, why, sizeof(why)));
	assert_non_null(strstr(why, "line 1"));
	free(v2);
	em_fp_free(fp);
	em_buf_free(&out);
}

static size_t figures_found(struct em_fp_index *x, unsigned rel, const char *mail,
			    const char **text)
{
	struct em_fp_hits *h = em_fp_hits_new(x);
	const char *w;
	static char keep[256];

	assert_int_equal(em_fp_scan(x, key, mail, strlen(mail), "body", h), 0);
	size_t n = em_fp_hits_figures(h, rel, text, &w);
	snprintf(keep, sizeof(keep), "%s", *text);
	*text = keep;
	em_fp_hits_free(h);
	return n;
}

static void test_figures_count_only_near_their_context_words(void **state)
{
	struct em_fp *fp = build(doc, NULL);
	struct em_fp_index *x = index_of(&fp, 1);
	const char *t;

	(void)state;
	assert_int_equal(figures_found(x, 0,
				       "looked after children down about 2 per cent to just "
				       "over 80k in england",
				       &t),
			 2);
	assert_string_equal(t, "2 per cent; 80k");
	/* the same figures about something else */
	assert_true(
	    figures_found(x, 0, "our charity appeal raised over 80k, up 2% on last time", &t) < 2);
	/* near context, but in another sentence */
	assert_true(figures_found(x, 0,
				  "children looked after in england. the budget is 80k, up 2%",
				  &t) < 2);
	/* percentages alone are too common */
	assert_true(
	    figures_found(x, 0, "looked after children in england: 2%, and the rate 2%", &t) < 2);
	em_fp_index_free(x);
	em_fp_free(fp);
}

/* Context words meet as themselves or as their stem (red team: "Foster
 * households down 3.2% to 42,850" never met "fostering households"). */
static void test_context_words_meet_by_their_stem(void **state)
{
	static const char words[] = "fostering fostered foster fosters approved approve approving "
				    "spend spending place placing care cares";
	struct em_fp_toks t = {0};
	uint64_t st[16];
	bool has[16];
	struct em_fp *fp = build(doc, NULL);
	struct em_fp_index *x = index_of(&fp, 1);
	const char *txt;

	(void)state;
	assert_int_equal(em_fp_tokenize(key, words, strlen(words), &t), 0);
	assert_int_equal(t.n, 13);
	for (size_t i = 0; i < t.n; i++)
		has[i] = em_fp_stem_hash(key, words, &t.v[i], &st[i]);
	/* fostering, fostered -> foster; foster and fosters are their own stem */
	assert_true(has[0] && has[1] && !has[2] && !has[3]);
	assert_true(st[0] == st[1] && st[0] == t.v[2].h && t.v[2].h == t.v[3].h);
	/* approved, approve, approving -> approv */
	assert_true(has[4] && has[5] && has[6] && st[4] == st[5] && st[5] == st[6]);
	/* spending -> spend; place, placing -> plac; care, cares: too short */
	assert_true(has[8] && st[8] == t.v[7].h);
	assert_true(has[9] && has[10] && st[9] == st[10]);
	assert_true(!has[11] && !has[12] && t.v[11].h == t.v[12].h);
	em_fp_toks_free(&t);
	/* "looking" meets the document's "looked": with "children" two context words */
	assert_int_equal(figures_found(x, 0, "the children looking on: down about 2 per cent to just "
					     "over 80k", &txt), 2);
	assert_true(figures_found(x, 0, "the children: down about 2 per cent to just over 80k", &txt) < 2);
	em_fp_index_free(x);
	em_fp_free(fp);
}

/* The same figure added twice to a release (by hand and from the document)
 * is one figure; one mail figure that may stand for two counts once. */
static void test_one_figure_counts_once(void **state)
{
	struct em_fp *fp = build(doc, NULL);
	struct em_fp_index *x = em_fp_index_new(1);
	const char *txt;

	(void)state;
	assert_non_null(x);
	assert_int_equal(em_fp_index_add(x, 0, fp), 0);
	for (size_t i = 0; i < fp->nfigs; i++)
		assert_int_equal(em_fp_index_add_figure(x, 0, fp->figs[i].forms, fp->figs[i].nforms,
							 fp->figs[i].ctx, fp->figs[i].nctx),
				 0);
	assert_int_equal(em_fp_index_finish(x), 0);
	assert_int_equal(figures_found(x, 0, "looked after children in england: just over 80k", &txt), 1);
	assert_int_equal(figures_found(x, 0,
				       "looked after children in england down about 2 per cent to just "
				       "over 80k",
				       &txt),
			 2);
	em_fp_index_free(x);
	em_fp_free(fp);
}

/* One finding told on its own, exactly as the draft has it, is worth asking
 * about; a rounding or a percentage alone is too common (red team: "a record
 * low of 8,730" was accepted). */
static void test_one_exact_count_beside_its_words_is_a_finding(void **state)
{
	struct em_fp *fp = build(doc, NULL);
	struct em_fp_index *x = index_of(&fp, 1);
	static const struct {
		const char *mail;
		bool finding;
	} c[] = {
	    {"children looked after in england: 80,120 now", true},
	    {"children looked after in england: just over 80k now", false}, /* a rounding */
	    {"children looked after in england: down 2%", false},	       /* a percentage */
	    {"in england: 80,120 now", false},				       /* one word */
	    {"our appeal raised 80,120 pounds", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct em_fp_hits *h = em_fp_hits_new(x);

		assert_int_equal(em_fp_scan(x, key, c[i].mail, strlen(c[i].mail), "body", h), 0);
		if (em_fp_hits_finding(h, 0) != c[i].finding)
			fail_msg("\"%s\": finding should be %d", c[i].mail, c[i].finding);
		em_fp_hits_free(h);
	}
	em_fp_index_free(x);
	em_fp_free(fp);
}

/* A figure alone in the sentence right after one counted for the release
 * (red-team G04) counts with it; one further on, or before, does not. */
static void test_a_figure_in_the_next_sentence_continues_the_last_one(void **state)
{
	struct em_fp *fp = build(doc, NULL);
	struct em_fp_index *x = index_of(&fp, 1);
	const char *t;

	(void)state;
	assert_int_equal(figures_found(x, 0,
				       "looked after children in england down about 2 per cent.\n"
				       "total now just over 80k.",
				       &t),
			 2);
	assert_string_equal(t, "2 per cent; 80k");
	/* a sentence between them breaks the chain */
	assert_true(figures_found(x, 0,
				  "looked after children in england down about 2 per cent. no "
				  "change there. total now just over 80k.",
				  &t) < 2);
	/* the lone figure first: a chain only runs forward */
	assert_true(figures_found(x, 0,
				  "total now just over 80k. looked after children in england down "
				  "about 2 per cent.",
				  &t) < 2);
	em_fp_index_free(x);
	em_fp_free(fp);
}

static void test_one_index_answers_for_every_release(void **state)
{
	const char *other = "school workforce statistics show 468,000 full-time teachers in "
			    "england, with vacancies for teachers rising to 2,800 posts.";
	struct em_fp *fps[2] = {build(doc, NULL), build(other, NULL)};
	struct em_fp_index *x = index_of(fps, 2);
	struct em_fp_hits *h = em_fp_hits_new(x);
	const char *mail = "fyi: full-time teachers in england, with vacancies for teachers rising "
			   "to 2,800 posts";
	const char *t, *w;
	unsigned words;
	size_t p0, p1, f0, f1;

	(void)state;
	assert_int_equal(em_fp_scan(x, key, mail, strlen(mail), "body", h), 0);
	assert_false(em_fp_hits_excerpt(h, 0, &t, &w, &words));
	assert_true(em_fp_hits_excerpt(h, 1, &t, &w, &words));
	em_fp_index_counts(x, 0, &p0, &f0);
	em_fp_index_counts(x, 1, &p1, &f1);
	assert_int_equal(p0, fps[0]->nhashes);
	assert_int_equal(p1, fps[1]->nhashes);
	assert_int_equal(f1, fps[1]->nfigs);
	em_fp_hits_free(h);
	em_fp_index_free(x);
	em_fp_free(fps[0]);
	em_fp_free(fps[1]);
}

static void test_another_key_finds_nothing(void **state)
{
	static const uint8_t other[EM_FP_KEY_BYTES] = {1};
	struct em_fp *fp = build(doc, NULL);
	struct em_fp_index *x = index_of(&fp, 1);
	struct em_fp_hits *h = em_fp_hits_new(x);
	const char *t, *w;
	unsigned words;

	(void)state;
	assert_int_equal(em_fp_scan(x, other, doc, strlen(doc), "body", h), 0);
	assert_false(em_fp_hits_excerpt(h, 0, &t, &w, &words));
	assert_int_equal(em_fp_hits_figures(h, 0, &t, &w), 0);
	em_fp_hits_free(h);
	em_fp_index_free(x);
	em_fp_free(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_siphash_matches_the_reference_vectors),
	    cmocka_unit_test(test_numbers_are_tokens_and_separators_do_not_matter),
	    cmocka_unit_test(test_replacement_character_separates_words),
	    cmocka_unit_test(test_every_run_of_k_plus_w_minus_1_words_is_found),
	    cmocka_unit_test(test_a_run_shorter_than_excerpt_words_is_not_an_excerpt),
	    cmocka_unit_test(test_context_words_meet_by_their_stem),
	    cmocka_unit_test(test_one_figure_counts_once),
	    cmocka_unit_test(test_one_exact_count_beside_its_words_is_a_finding),
	    cmocka_unit_test(test_passages_in_published_files_are_left_out),
	    cmocka_unit_test(test_fp_file_round_trips_and_holds_no_text),
	    cmocka_unit_test(test_fp_reader_refuses_damage_with_a_line_number),
	    cmocka_unit_test(test_figures_count_only_near_their_context_words),
	    cmocka_unit_test(test_a_figure_in_the_next_sentence_continues_the_last_one),
	    cmocka_unit_test(test_one_index_answers_for_every_release),
	    cmocka_unit_test(test_another_key_finds_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
