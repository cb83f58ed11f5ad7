/*
 * em_figures - headline figures as people write them: "80,120", "80120",
 * "just over 80k", "eighty thousand", "2%", "two per cent", "2pc",
 * "66 per 10,000", "66 per 10k", "-2%" / "−2%" (signs are dropped: a fall of
 * 2% and a 2% figure are the same figure, the context word decides),
 * money as a count: "£1.4bn", "£1,400m", "1.4 billion pounds", "£1.1tn".
 *
 * A figure is a kind (count, percent, rate per N) and a value. A release's
 * figure is expanded into the forms people round a headline to (the
 * value to fewer significant figures: rounded, and floored/ceiled for "just
 * over"/"nearly"), each form a canonical string ("c:80000", "p:2",
 * "r:66/10000") that the fingerprint layer hashes with the deployment key.
 * A figure in mail is canonicalized exactly as written; it matches when its
 * form is among the release figure's forms.
 *
 * Years (1900-2100 written as a bare number) and small counts (< 100) are
 * never figures on their own. Pure: libc only. No allocation in the
 * scanner; forms are written into caller buffers.
 */
#ifndef EM_FIGURES_H
#define EM_FIGURES_H

#include <stdbool.h>
#include <stddef.h>

enum em_fig_kind {
	EM_FIG_COUNT = 'c',
	EM_FIG_PERCENT = 'p',
	EM_FIG_RATE = 'r', /* value per base ("66 per 10,000") */
};

struct em_figure {
	enum em_fig_kind kind;
	double value;	 /* absolute value, multipliers applied */
	double base;	 /* EM_FIG_RATE only */
	unsigned sig;	 /* significant digits as written (rounding forms) */
	size_t off, end; /* byte span in the text it was found in */
};

#define EM_FIG_FORM_MAX 56  /* bytes of one canonical form, NUL included */
#define EM_FIG_FORMS_MAX 16 /* forms of one release figure */

/*
 * Finds the next figure in normalized text (case-folded, dashes folded to
 * '-', as em_norm_append makes it) at or after *pos. Returns true and fills
 * *f (f->off/end are byte offsets into text) and advances *pos past it;
 * false when there is none. Years and small counts are skipped.
 */
bool em_figures_next(const char *text, size_t len, size_t *pos, struct em_figure *f);

/*
 * One position of em_figures_next's walk: true when a figure that counts
 * starts at text[i] (then *f is filled). Either way *next is where the walk
 * goes on (past the figure, the word, or i + 1); positions between i and
 * *next are never figure starts. em_figures_next is this called from *pos
 * on; a caller that knows the word starts (a tokenizer) may call it only
 * there, as long as it skips to *next and also tries any word start after
 * a non-alphanumeric byte inside its tokens.
 */
bool em_figures_at(const char *text, size_t len, size_t i, struct em_figure *f, size_t *next);

/*
 * A quick necessary test for a word w[0..n) (lower-case letters) to be a
 * number word em_figures reads ("a", "one".."nineteen", "twenty".."ninety"):
 * its first letter and length fit one. A word failing it is never the
 * start of a figure in words.
 */
bool em_figures_word_may_be_number(const char *w, size_t n);
/* Whether w[0..n), all letters a-z, is a word a figure can start with
 * ("a", "zero".."ninety"): exactly what em_figures_at checks at a letter
 * before reading a number (false means em_figures_at there is false). */
bool em_figures_is_number_word(const char *w, size_t n);

/*
 * Parses one hand-written figure ("80,120", "2%", "66 per 10,000", "2.4 per
 * cent", "£1.4bn"). The whole string must be one figure (surrounding space
 * and a currency sign £ € $ right before it allowed).
 * Returns 0, or -1 when it is not a figure or is a year/small count (why
 * gets a reason).
 */
int em_figures_parse(const char *s, struct em_figure *f, char *why, size_t whylen);

/* The canonical form of f exactly as written, into out[EM_FIG_FORM_MAX]. */
void em_figures_form(const struct em_figure *f, char *out);

/*
 * The forms a person may write f as (f itself first, then its roundings to
 * fewer significant digits: round, floor ("just over"), and ceil ("nearly")
 * when it is within 2.5 % above f; counts of 1000 or more keep at least 2
 * digits). Writes up to EM_FIG_FORMS_MAX distinct forms into out; returns
 * how many.
 */
size_t em_figures_forms(const struct em_figure *f, char out[][EM_FIG_FORM_MAX]);

#endif
