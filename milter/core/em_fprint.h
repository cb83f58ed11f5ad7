/*
 * em_fprint - release documents as keyed fingerprints, and finding them in
 * mail: passages by winnowing (Schleimer, Wilkerson, Aiken, "Winnowing:
 * local algorithms for document fingerprinting", SIGMOD 2003) over word
 * k-grams, headline figures (em_figures) with the context words of their
 * sentence.
 *
 * Tokens are the words of normalized text (em_norm_append): letters and
 * digits, numbers kept as tokens ("80,120" -> "80120"), a plural -s cut.
 * Every token is hashed with SipHash-2-4 (Aumasson, Bernstein 2012: a keyed
 * pseudo-random function) under a 128-bit key derived from the deployment's
 * fingerprint_key; a k-gram's hash mixes its k token hashes. Without the key
 * the hashes say nothing about the text; the .fp file holds hashes only.
 *
 * The .fp format (text, version 1; one item a line, hashes as 16 hex digits):
 *   embargo-milter fingerprint 1
 *   key-id HEX16            id of the key (em_fpkey), never the key
 *   built YYYY-MM-DDTHH:MM:SSZ
 *   k K                     words per k-gram
 *   w W                     winnowing window (k-grams) of the documents:
 *                           1 (every k-gram kept) since 2026-12, so a
 *                           run's length in mail is exact; 3 before
 *   source NAME             one line per document (file name only)
 *   public-passages N       k-grams left out because a --published file has them
 *   public-figures N        figures left out for the same reason
 *   figure F H... ctx C H...   F rounding forms of one figure, C context words
 *   passages N              then N hashes, 8 a line
 *   end
 * Unknown lines before "passages" are an error (a newer version is refused
 * by its version number, not guessed at).
 *
 * Matching is multi-pattern over all releases at once: one sorted table of
 * passage hashes -> release and one of figure form hashes -> figure, built
 * once per rule set (em_fp_index) and read-only afterwards.
 * Pure: libc only; never logs, never exits.
 */
#ifndef EM_FPRINT_H
#define EM_FPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "em_buf.h"

#define EM_FP_VERSION 1
#define EM_FP_KEY_BYTES 16
#define EM_FP_K_DEFAULT 6
#define EM_FP_W_DEFAULT 3

/* SipHash-2-4 of data under key (16 bytes). */
uint64_t em_siphash(const uint8_t key[EM_FP_KEY_BYTES], const void *data, size_t len);

/* One token of normalized text. */
struct em_fp_tok {
	uint64_t h;	   /* keyed hash of the canonical token */
	uint32_t off, end; /* byte span in the text */
	bool number;	   /* digits */
	bool context;	   /* a word that can tell what a figure is about (once checked) */
	bool checked;	   /* context decided by em_fp_mark_context */
	bool maynum;	   /* false: provably no figure starts at this word (em_figures_at) */
};

struct em_fp_toks {
	struct em_fp_tok *v;
	size_t n, cap;
};

/* Tokenizes normalized text into t (reset first). 0, or -1 out of memory. */
int em_fp_tokenize(const uint8_t key[EM_FP_KEY_BYTES], const char *text, size_t len,
		   struct em_fp_toks *t);
void em_fp_toks_free(struct em_fp_toks *t);
/* Tests only: true switches tokenizing and index lookups to the reference
 * path (the tokenizer as first written, em_siphash of every token, binary
 * search over whole tables) instead of the fast one (class table, a
 * per-thread cache of token hashes, table directories); both must give the
 * same tokens, hashes and hits. Not thread-safe; default false. */
void em_fp_reference(bool on);
/* Tests only: the number of tokens em_fp_scan reads at a time (0: the
 * default, 4096), so that small texts cross window edges. */
void em_fp_window(size_t tokens);
/* Decides which tokens [a, b) of t are context words (not stop or trend
 * words); tokenizing leaves that open because few tokens ever need it. */
void em_fp_mark_context(struct em_fp_toks *t, const char *text, size_t a, size_t b);

/*
 * The keyed hash of the stem of word token t of text (a light English
 * suffix stripper for the context words of figures: after the plural cut,
 * "-ing" or "-ed", then a final "-e": "fostering", "fostered", "foster" ->
 * "foster"; "approved", "approve" -> "approv"). False, *h untouched, when
 * the word is its own stem, is a number, is shorter than 5 letters or is not
 * ASCII. A figure's context words hold each word and its stem, and a mail
 * word meets them as itself or as its stem.
 */
bool em_fp_stem_hash(const uint8_t key[EM_FP_KEY_BYTES], const char *text,
		     const struct em_fp_tok *t, uint64_t *h);

/* The hash of the k-gram starting at token i (i + k <= t->n). */
uint64_t em_fp_kgram(const struct em_fp_toks *t, size_t i, unsigned k);

/* One figure of a fingerprint: keyed hashes of its forms and context words. */
struct em_fp_fig {
	uint64_t *forms;
	size_t nforms;
	uint64_t *ctx; /* sorted */
	size_t nctx;
};

/* A parsed .fp file. */
struct em_fp {
	unsigned version, k, w;
	char key_id[17];
	char built[32];
	char **sources;
	size_t nsources;
	size_t public_passages, public_figures;
	uint64_t *hashes; /* sorted, distinct */
	size_t nhashes;
	struct em_fp_fig *figs;
	size_t nfigs;
};

/*
 * Parses a .fp file's bytes. Returns the fingerprint (free with em_fp_free)
 * or NULL with why (line number and reason) filled; NULL with why empty
 * means out of memory.
 */
struct em_fp *em_fp_parse(const char *text, size_t len, char *why, size_t whylen);
void em_fp_free(struct em_fp *fp);

/* Writes fp in the .fp format to out. 0, or -1 out of memory. */
int em_fp_write(const struct em_fp *fp, struct em_buf *out);

/* ---- building a fingerprint from documents ---- */

struct em_fp_builder;

/* key: the derived 16-byte key; key_id its id (16 hex digits). NULL on OOM. */
struct em_fp_builder *em_fp_builder_new(const uint8_t key[EM_FP_KEY_BYTES], const char *key_id,
					unsigned k, unsigned w);
void em_fp_builder_free(struct em_fp_builder *b);

/* Adds normalized text of a release document (published = false) or of a
 * published file whose passages and figures are to be left out. 0 / -1 OOM. */
int em_fp_builder_add(struct em_fp_builder *b, const char *text, size_t len, bool published);
/* Records a document's name (file name only). 0 / -1 OOM. */
int em_fp_builder_source(struct em_fp_builder *b, const char *name);

/* What the statistician is shown: called once per kept figure (as written
 * first in the documents, with up to 8 context words), once per figure left
 * out as public (ctxwords NULL). */
typedef void (*em_fp_report_fn)(void *ctx, const char *figure, const char *ctxwords, bool kept);

/*
 * Winnows the documents, leaves out what the published files also have,
 * and returns the fingerprint (caller frees with em_fp_free) stamped with
 * built (RFC 3339). report may be NULL. NULL when out of memory.
 */
struct em_fp *em_fp_builder_finish(struct em_fp_builder *b, const char *built,
				   em_fp_report_fn report, void *ctx);

/* ---- matching: one index over all releases ---- */

struct em_fp_index;

struct em_fp_index *em_fp_index_new(unsigned nrel);
void em_fp_index_free(struct em_fp_index *x);
/* Adds release rel's passages (k words each; every release must use the
 * same k: -2 when it differs) and figures. 0, -1 OOM, -2 k mismatch. */
int em_fp_index_add(struct em_fp_index *x, unsigned rel, const struct em_fp *fp);
/* Adds one hand-written figure of release rel. 0 / -1 OOM. */
int em_fp_index_add_figure(struct em_fp_index *x, unsigned rel, const uint64_t *forms,
			   size_t nforms, const uint64_t *ctx, size_t nctx);
/* Sorts the tables; call once after the last add. 0 / -1 OOM. */
int em_fp_index_finish(struct em_fp_index *x);
bool em_fp_index_empty(const struct em_fp_index *x);
/* Tests only: the position of the first passage (figures: figure form)
 * entry whose hash is >= h in the index's sorted table, found through its
 * directory or, when reference, by binary search over the whole table; the
 * two must agree. */
size_t em_fp_index_lower(const struct em_fp_index *x, uint64_t h, bool figures, bool reference);
/* Passages and figures release rel contributes (for `embargoctl check`). */
void em_fp_index_counts(const struct em_fp_index *x, unsigned rel, size_t *passages,
			size_t *figures);
/* The shortest run of a release document's words in a row that is an
 * excerpt (the main config's excerpt_words; 0, the default: any). Counted
 * exactly for a release whose .fp files keep every k-gram (w 1, what
 * `embargoctl fingerprint` writes); a release with a winnowed .fp (w > 1,
 * written before 2026-12) keeps only some k-grams, a run's length cannot be
 * told, and any passage hit stays an excerpt. */
void em_fp_index_min_words(struct em_fp_index *x, unsigned words);
/* True when release rel has a winnowed .fp (w > 1): `embargoctl check`
 * asks for it to be rebuilt. */
bool em_fp_index_winnowed(const struct em_fp_index *x, unsigned rel);

/* What one scan found, per release. */
struct em_fp_hits;

struct em_fp_hits *em_fp_hits_new(const struct em_fp_index *x);
void em_fp_hits_free(struct em_fp_hits *h);

/*
 * Looks for passages and figures of every release in one normalized text
 * found at where. 0, or -1 out of memory.
 */
int em_fp_scan(const struct em_fp_index *x, const uint8_t key[EM_FP_KEY_BYTES], const char *text,
	       size_t len, const char *where, struct em_fp_hits *h);

/* Release rel's passage evidence: the longest run found (mail text, owned
 * by h), where, and its length in words; false when none, or when the run
 * is shorter than em_fp_index_min_words (release with every k-gram kept). */
bool em_fp_hits_excerpt(const struct em_fp_hits *h, unsigned rel, const char **text,
			const char **where, unsigned *words);
/* Distinct figures of release rel found, each near a context word of its
 * sentence; *text lists them as written in the mail ("80k; 2 per cent",
 * owned by h), *where the first place. Figures that are all percentages,
 * or whose context is one word alone, count as 1 at most: too common. */
size_t em_fp_hits_figures(const struct em_fp_hits *h, unsigned rel, const char **text,
			  const char **where);
/* A headline finding of release rel told on its own: among the figures that
 * counted, a count or rate of 3 or more significant digits written as the
 * release has it (not one of its roundings: "8,730", never "5,000" for
 * 4,920), and two distinct context words (a word and its stem are one)
 * beside them. Fewer than min_figures figures, but still worth asking. */
bool em_fp_hits_finding(const struct em_fp_hits *h, unsigned rel);

#endif
