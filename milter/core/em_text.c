/*
 * em_text - the matching normalization and reply unquoting (see em_text.h;
 * HTML lives in em_html.c).
 *
 * Owns: the one text normalization (shared by message text and rule
 * literals, so both sides must go through em_norm_append), confusable
 * folding, and quote-prefix removal. Depends on libc and utf8proc only: never libmilter, syslog or
 * libconfig; never logs, never exits; out of memory is returned as -1.
 *
 * Limits: none on input size. Every pass is linear in its input (no
 * backtracking over the rest of the buffer). Non-ASCII text is normalized
 * through a codepoint window that is flushed at safe boundaries, so memory is
 * bounded even for a megabyte of combining marks; the Unicode stream-safe
 * rule (at most 30 non-starters in a row) keeps canonical ordering cheap.
 * em_norm_append keeps no state between calls except what out ends with, so
 * a caller must not split one UTF-8 character across two calls (its halves
 * are invalid alone and are dropped); splitting between characters is fine.
 */
#define _GNU_SOURCE	/* memmem */
#include "em_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---------------------------------------------------------------------------
 * UTF-8 helpers
 */

/*
 * Decodes the UTF-8 sequence at s (n bytes available) into *cp. Returns its
 * length, or 0 when s[0] does not start a well-formed sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF, no truncation).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2)
		return 0;
	if (c < 0xe0) {
		if (n < 2 || (s[1] & 0xc0) != 0x80)
			return 0;
		*cp = ((int32_t)(c & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if (c < 0xf0) {
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		*cp = ((int32_t)(c & 0x0f) << 12) | ((int32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		return 3;
	}
	if (c < 0xf5) {
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (n < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		*cp = ((int32_t)(c & 0x07) << 18) | ((int32_t)(s[1] & 0x3f) << 12) |
		      ((int32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
		return 4;
	}
	return 0;
}

/* Writes cp (a valid scalar value) as UTF-8 at o; returns the byte count. */
static size_t utf8_encode(int32_t cp, char *o)
{
	unsigned char *u = (unsigned char *)o;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (unsigned char)(0xf0 | (cp >> 18));
	u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static int buf_put_cp(struct em_buf *b, int32_t cp)
{
	char tmp[4];

	return em_buf_append(b, tmp, utf8_encode(cp, tmp));
}

size_t em_utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	return utf8_decode(s, n, cp);
}

int em_utf8_put(struct em_buf *b, int32_t cp)
{
	return buf_put_cp(b, cp);
}

/* ---------------------------------------------------------------------------
 * Normalization
 */

#define NORM_DECOMPOSE                                                                             \
	(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)
#define NORM_COMPOSE (UTF8PROC_STABLE | UTF8PROC_COMPOSE)

/*
 * ASCII byte -> normalized byte: A-Z lowered, every control (NUL, \t \n \r
 * \f \v, DEL, ...) to ' '. Bytes >= 0x80 map to 0, which stops the fast
 * path; 0 is free as a sentinel because NUL itself maps to ' '.
 */
#define NA(c)                                                                                      \
	((unsigned char)((c) >= 0x80			? 0                                         \
			 : ((c) < 0x20 || (c) == 0x7f) ? ' '                                       \
			 : ((c) >= 'A' && (c) <= 'Z')  ? (c) + 32                                  \
							: (c)))
#define NA4(c) NA(c), NA((c) + 1), NA((c) + 2), NA((c) + 3)
#define NA16(c) NA4(c), NA4((c) + 4), NA4((c) + 8), NA4((c) + 12)
#define NA64(c) NA16(c), NA16((c) + 16), NA16((c) + 32), NA16((c) + 48)
static const unsigned char norm_ascii[256] = {NA64(0), NA64(64), NA64(128), NA64(192)};

/*
 * The codepoint window for one non-ASCII stretch: decomposed (NFKD +
 * casefold, ignorables dropped) codepoints waiting for canonical ordering and
 * composition. It starts on the stack and moves to the heap only for long
 * stretches without a safe boundary.
 */
#define WIN_STACK 512
#define WIN_SOFT 384	/* flush at the next safe starter beyond this */
#define WIN_HARD 65536	/* flush regardless (only pathological input gets here) */
#define WIN_MAX_NONSTARTERS 30	/* UAX #15 stream-safe text format */

struct win {
	int32_t *v;
	size_t n, cap;
	size_t nonstarters;	/* trailing run of combining-class != 0 */
	int32_t stack[WIN_STACK];
};

static void win_init(struct win *w)
{
	w->v = w->stack;
	w->n = 0;
	w->cap = WIN_STACK;
	w->nonstarters = 0;
}

static void win_free(struct win *w)
{
	if (w->v != w->stack)
		free(w->v);
	w->v = w->stack;
}

static int win_reserve(struct win *w, size_t extra)
{
	size_t cap;
	int32_t *v;

	if (w->n + extra <= w->cap)
		return 0;
	cap = w->cap * 2;
	while (cap < w->n + extra)
		cap *= 2;
	if (w->v == w->stack) {
		v = malloc(cap * sizeof(*v));
		if (v != NULL)
			memcpy(v, w->stack, w->n * sizeof(*v));
	} else {
		v = realloc(w->v, cap * sizeof(*v));
	}
	if (v == NULL)
		return -1;
	w->v = v;
	w->cap = cap;
	return 0;
}

/*
 * True when cp can never combine with anything before it, so a window may
 * be cut just before it without changing the composed result: a starter that
 * is not a mark and not a Hangul medial vowel or final consonant (the only
 * starters that appear as the second of a composition pair).
 */
static int is_safe_starter(int32_t cp)
{
	const utf8proc_property_t *p;

	if (cp < 0x80)
		return 1;
	if ((cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0xd7b0 && cp <= 0xd7ff))
		return 0;
	p = utf8proc_get_property(cp);
	if (p->combining_class != 0)
		return 0;
	return p->category != UTF8PROC_CATEGORY_MN && p->category != UTF8PROC_CATEGORY_MC &&
	       p->category != UTF8PROC_CATEGORY_ME;
}

/* Canonical ordering of combining marks, as utf8proc_decompose does it. */
static void canonical_order(int32_t *v, size_t n)
{
	size_t pos = 0;

	while (pos + 1 < n) {
		int c1 = utf8proc_get_property(v[pos])->combining_class;
		int c2 = utf8proc_get_property(v[pos + 1])->combining_class;

		if (c1 > c2 && c2 > 0) {
			int32_t t = v[pos];

			v[pos] = v[pos + 1];
			v[pos + 1] = t;
			if (pos > 0)
				pos--;
			else
				pos++;
		} else {
			pos++;
		}
	}
}

/*
 * Letters of other scripts that look like Latin ones, after case folding
 * (so the upper-case look decides: Cyrillic "в" is folded "В", which looks
 * like "B"). A word spelt "OFFICIАL" with a Cyrillic A must still match.
 * Genuine Cyrillic or Greek text is changed too, harmlessly: rules are
 * normalized the same way. Sorted for binary search.
 */
static const struct {
	int32_t cp;
	char latin;
} confusables[] = {
	{0x03b1, 'a'}, {0x03b2, 'b'}, {0x03b5, 'e'}, {0x03b6, 'z'}, {0x03b7, 'h'}, {0x03b9, 'i'},
	{0x03ba, 'k'}, {0x03bc, 'm'}, {0x03bd, 'n'}, {0x03bf, 'o'}, {0x03c1, 'p'}, {0x03c4, 't'},
	{0x03c5, 'y'}, {0x03c7, 'x'}, {0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'}, {0x043a, 'k'},
	{0x043c, 'm'}, {0x043d, 'h'}, {0x043e, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0442, 't'},
	{0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x04bb, 'h'},
	{0x04cf, 'l'}, {0x0501, 'd'}, {0x051b, 'q'}, {0x051d, 'w'},
};

/* The Latin letter a confusable folds to, or 0. */
static char confusable_latin(int32_t cp)
{
	size_t lo = 0, hi = sizeof(confusables) / sizeof(confusables[0]);

	if (cp < 0x03b1 || cp > 0x051d)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (confusables[mid].cp == cp)
			return confusables[mid].latin;
		if (confusables[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * Letters that look blank: Hangul fillers (U+115F, U+1160, U+3164, U+FFA0),
 * the braille blank (U+2800), Khmer inherent vowels (U+17B4, U+17B5) and
 * the musical null notehead (U+1D159). A reader sees a space, so they are
 * matched as one.
 */
static int is_blank_filler(int32_t cp)
{
	return cp == 0x115f || cp == 0x1160 || cp == 0x3164 || cp == 0xffa0 || cp == 0x2800 ||
	       cp == 0x17b4 || cp == 0x17b5 || cp == 0x1d159;
}

/*
 * The spaces made to separate digit groups (ISO 80000-1 / SI: "a thin space";
 * iOS and macOS write U+202F in French and other locales): U+2007 figure
 * space, U+2009 thin space, U+202F narrow no-break space. Not U+00A0, which
 * HTML mail puts between any two words ("Q3&nbsp;2026").
 */
static int is_digit_group_space(int32_t cp)
{
	return cp == 0x2007 || cp == 0x2009 || cp == 0x202f;
}

/*
 * Superscript and subscript digits (U+00B9, U+00B2, U+00B3, U+2070,
 * U+2074..U+2079, U+2080..U+2089): NFKC makes them plain digits, so a
 * footnote reference typed after a figure ("42,850\u00b2") would join it.
 */
static int is_script_digit(int32_t cp)
{
	return cp == 0xb9 || cp == 0xb2 || cp == 0xb3 || cp == 0x2070 ||
	       (cp >= 0x2074 && cp <= 0x2079) || (cp >= 0x2080 && cp <= 0x2089);
}

/*
 * Appends normalized codepoints to out, applying the category post-pass
 * (Cf dropped, dashes to '-', separators and controls to ' ', runs of ' '
 * collapsed against what out already ends with).
 */
static int emit_cps(const int32_t *v, size_t n, struct em_buf *out)
{
	char *o;
	int sp;

	if (n == 0)
		return 0;
	if (n > ((size_t)-1 / 2) / 4 || em_buf_reserve(out, n * 4) < 0)
		return -1;
	o = out->data + out->len;
	sp = out->len == 0 || o[-1] == ' ';
	for (size_t i = 0; i < n; i++) {
		int32_t cp = v[i];
		int cat;

		if (cp < 0x80) {
			unsigned char m = norm_ascii[cp];

			if (m == ' ') {
				if (sp)
					continue;
				sp = 1;
			} else {
				sp = 0;
			}
			*o++ = (char)m;
			continue;
		}
		if (confusable_latin(cp)) {
			*o++ = confusable_latin(cp);
			sp = 0;
			continue;
		}
		cat = utf8proc_get_property(cp)->category;
		if (cat == UTF8PROC_CATEGORY_CF)
			continue;
		if (cat == UTF8PROC_CATEGORY_PD || cp == 0x2212) {
			*o++ = '-';
			sp = 0;
		} else if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
			   cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC ||
			   is_blank_filler(cp)) {
			if (!sp)
				*o++ = ' ';
			sp = 1;
		} else {
			o += utf8_encode(cp, o);
			sp = 0;
		}
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* Composes the window and appends it to out; the window is then empty. */
static int win_flush(struct win *w, struct em_buf *out)
{
	utf8proc_ssize_t n;

	if (w->n == 0)
		return 0;
	canonical_order(w->v, w->n);
	n = utf8proc_normalize_utf32(w->v, (utf8proc_ssize_t)w->n, NORM_COMPOSE);
	if (n < 0)
		n = 0;	/* cannot happen for valid scalar values */
	w->n = 0;
	w->nonstarters = 0;
	return emit_cps(w->v, (size_t)n, out);
}

/* Decomposes one codepoint into the window, flushing first when it may. */
static int win_add(struct win *w, int32_t cp, struct em_buf *out)
{
	int32_t d[32];
	utf8proc_ssize_t k;
	int bound = 0, ccc;

	if (cp < 0x80) {
		d[0] = cp;	/* emit_cps lowers and maps it */
		k = 1;
	} else {
		k = utf8proc_decompose_char(cp, d, 32, NORM_DECOMPOSE, &bound);
		if (k < 0 || k > 32) {
			d[0] = 0xfffd;	/* utf8proc data never decomposes beyond 18 */
			k = 1;
		}
	}
	if (k == 0)
		return 0;
	ccc = d[0] < 0x80 ? 0 : utf8proc_get_property(d[0])->combining_class;
	if ((w->n >= WIN_SOFT && is_safe_starter(d[0])) || w->n >= WIN_HARD ||
	    (ccc != 0 && w->nonstarters >= WIN_MAX_NONSTARTERS)) {
		if (win_flush(w, out) < 0)
			return -1;
	}
	if (win_reserve(w, (size_t)k) < 0)
		return -1;
	for (utf8proc_ssize_t i = 0; i < k; i++) {
		w->v[w->n++] = d[i];
		if (d[i] >= 0x80 && utf8proc_get_property(d[i])->combining_class != 0)
			w->nonstarters++;
		else
			w->nonstarters = 0;
	}
	return 0;
}

/*
 * True when cp is already its own normalization and can combine with no
 * neighbour: no case folding, no decomposition (except precomposed Latin and
 * Cyrillic letters, which recompose to themselves; other scripts' canonical
 * decompositions include singletons that do not), not ignorable, not a mark
 * or Hangul vowel/final, and nothing the category pass rewrites. Runs of
 * such characters are copied as they are, which keeps lower-case Cyrillic,
 * Greek, CJK and accented Latin text off the utf8proc path. (Checked
 * exhaustively against utf8proc_map for every codepoint when written.)
 */
static int cp_is_stable(int32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property(cp);

	if (confusable_latin(cp))
		return 0;
	if (p->casefold_seqindex != UINT16_MAX || p->ignorable || p->combining_class != 0)
		return 0;
	if (p->decomp_seqindex != UINT16_MAX &&
	    (p->decomp_type != 0 || p->comp_exclusion ||
	     !(cp < 0x370 || (cp >= 0x400 && cp < 0x530) || (cp >= 0x1e00 && cp < 0x1f00))))
		return 0;
	switch (p->category) {
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		return 0;
	default:
		break;
	}
	return cp != 0x2212 && !(cp >= 0x1160 && cp <= 0x11ff) && !(cp >= 0xd7b0 && cp <= 0xd7ff);
}

/*
 * Takes the last character of out back into the (empty) window so that a
 * combining mark that follows composes with it ("e" + U+0301 -> "é").
 * Normalized output normalizes to itself, so nothing else changes. A space
 * is left alone: nothing composes with it and collapsing depends on it.
 */
static int win_take_back(struct win *w, struct em_buf *out)
{
	size_t p;
	int32_t cp;

	if (out->len == 0 || out->data[out->len - 1] == ' ')
		return 0;
	p = out->len - 1;
	while (p > 0 && out->len - p < 4 && ((unsigned char)out->data[p] & 0xc0) == 0x80)
		p--;
	if (utf8_decode((const unsigned char *)out->data + p, out->len - p, &cp) != out->len - p)
		return 0;	/* not ours (caller-appended bytes): leave it */
	out->len = p;
	out->data[p] = '\0';
	return win_add(w, cp, out);
}

/*
 * Normalizes one stretch of non-ASCII bytes: runs of stable characters are
 * copied, everything else goes through the window. Invalid bytes are dropped.
 */
static int norm_stretch(struct win *w, const unsigned char *s, size_t n, unsigned char next,
			struct em_buf *out)
{
	size_t i = 0;

	while (i < n) {
		int32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp), j;

		if (k == 0) {
			i++;
			continue;
		}
		if (is_digit_group_space(cp) && i + k == n && next >= '0' && next <= '9') {
			/* "42 850" with the narrow no-break, thin or figure space a
			 * phone or a French/SI locale puts between digit groups: a
			 * thousands separator, read as the ',' of "42,850" */
			if (win_flush(w, out) < 0)
				return -1;
			if (out->len && out->data[out->len - 1] >= '0' && out->data[out->len - 1] <= '9') {
				if (em_buf_putc(out, ',') < 0)
					return -1;
				i += k;
				continue;
			}
		}
		if (is_script_digit(cp)) {
			/* a raised or lowered number after a figure is a footnote
			 * reference, not more of its digits: "42,850 2" */
			if (win_flush(w, out) < 0)
				return -1;
			if (out->len) {
				char c = out->data[out->len - 1];

				if (((c >= '0' && c <= '9') || c == '%') && em_buf_putc(out, ' ') < 0)
					return -1;
			}
		}
		if (is_blank_filler(cp)) {
			/* shown as a blank: a space (before utf8proc, which would
			 * drop the default-ignorable fillers and join the words) */
			if (win_flush(w, out) < 0)
				return -1;
			if (out->len && out->data[out->len - 1] != ' ' && em_buf_putc(out, ' ') < 0)
				return -1;
			i += k;
			continue;
		}
		if (cp_is_stable(cp)) {
			/* A stable character is a safe starter: the window may end here. */
			if (win_flush(w, out) < 0)
				return -1;
			for (j = i + k; j < n; j += k) {
				k = utf8_decode(s + j, n - j, &cp);
				if (k == 0 || !cp_is_stable(cp))
					break;
			}
			if (em_buf_append(out, s + i, j - i) < 0)
				return -1;
			i = j;
			continue;
		}
		if (w->n == 0 && win_take_back(w, out) < 0)
			return -1;
		if (win_add(w, cp, out) < 0)
			return -1;
		i += k;
	}
	return win_flush(w, out);
}

/*
 * Eight ASCII bytes at once (SWAR, "SIMD within a register"; the byte tests
 * are those of Hacker's Delight ch. 6 / the Stanford "bit twiddling hacks",
 * exact here because every byte is below 0x80, so no sum carries into the
 * next byte). When s[0..8) is printable ASCII (no control, no DEL, nothing
 * >= 0x80) with no two spaces in a row, and does not start with a space
 * while *sp says the output ends in one, writes it lower-cased to o[0..8),
 * sets *sp to whether it ends in a space and returns true: exactly what the
 * byte loop would write. Otherwise writes nothing and returns false.
 */
static bool ascii8(const unsigned char *s, unsigned char *o, unsigned *sp)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define K8(b) (0x0101010101010101ull * (uint64_t)(b))
	const uint64_t hi = K8(0x80);
	uint64_t x, ctl, spc, up;

	memcpy(&x, s, 8);
	if (x & hi)
		return false;
	/* b < 0x20: b + 0x60 stays below 0x80; b == 0x7f: b + 1 reaches it */
	ctl = (~(x + K8(0x60)) | (x + K8(0x01))) & hi;
	/* b == ' ': (b ^ 0x20) + 0x7f stays below 0x80 only for 0 */
	spc = ~((x ^ K8(0x20)) + K8(0x7f)) & hi;
	if (ctl || (spc & (spc << 8)) || (*sp && (spc & 0x80)))
		return false;
	/* 'A' <= b <= 'Z': b + 0x3f reaches 0x80, b + 0x25 does not */
	up = (x + K8(0x80 - 'A')) & ~(x + K8(0x80 - 'Z' - 1)) & hi;
	x |= up >> 2; /* 0x80 >> 2 = 0x20: lower case */
	memcpy(o, &x, 8);
	*sp = (unsigned)(spc >> 63);
	return true;
#undef K8
#else
	(void)s, (void)o, (void)sp;
	return false;
#endif
}

/*
 * See em_text.h. Appends to out (owned by the caller); 0, or -1 when out of
 * memory, in which case out holds a valid but incomplete prefix.
 */
int em_norm_append(const char *in, size_t len, struct em_buf *out)
{
	const unsigned char *s = (const unsigned char *)in;
	struct win w;
	size_t i = 0;
	int rc = 0;

	win_init(&w);
	while (i < len) {
		char *o;
		unsigned sp;
		size_t j, e;

		/* ASCII fast path: table lookup, branch-free space collapsing. */
		if (em_buf_reserve(out, len - i) < 0) {
			rc = -1;
			break;
		}
		o = out->data + out->len;
		sp = out->len == 0 || o[-1] == ' ';
		for (j = i; j < len;) {
			size_t stop;

			if (len - j >= 8 && ascii8(s + j, (unsigned char *)o, &sp)) {
				j += 8;
				o += 8;
				continue;
			}
			/* the block the eight-byte test turned down, a byte at a time */
			for (stop = len - j > 8 ? j + 8 : len; j < stop; j++) {
				unsigned char m = norm_ascii[s[j]];
				unsigned isp;

				if (m == 0)
					break;
				isp = m == ' ';
				*o = (char)m;
				o += !(isp & sp);
				sp = isp;
			}
			if (j < stop)
				break; /* a byte >= 0x80 */
		}
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		if (j == len)
			break;
		for (e = j; e < len && s[e] >= 0x80; e++)
			;
		if (norm_stretch(&w, s + j, e - j, e < len ? s[e] : 0, out) < 0) {
			rc = -1;
			break;
		}
		i = e;
	}
	win_free(&w);
	return rc;
}

/* ---------------------------------------------------------------------------
 * Reply quotes
 */

/*
 * See em_text.h. Leading spaces or tabs before the first '>' go with the
 * prefix; a line with no '>' prefix is copied unchanged, line end included.
 * Appends to out (owned by the caller); 0, or -1 when out of memory.
 */
int em_unquote_reply(const char *in, size_t len, struct em_buf *out)
{
	size_t i = 0;

	while (i < len) {
		const char *nl;
		size_t j = i, end;

		while (j < len && (in[j] == ' ' || in[j] == '\t'))
			j++;
		if (j < len && in[j] == '>') {
			while (j < len && (in[j] == '>' || in[j] == ' ' || in[j] == '\t'))
				j++;
			i = j;
		}
		nl = memchr(in + i, '\n', len - i);
		end = nl ? (size_t)(nl - in) + 1 : len;
		if (em_buf_append(out, in + i, end - i) < 0)
			return -1;
		i = end;
	}
	return 0;
}

/* See em_text.h: each '>' is checked for only blanks back to its line start. */
bool em_reply_quoted(const char *in, size_t len)
{
	const char *p = in, *end = in + len;

	while (p < end && (p = memchr(p, '>', (size_t)(end - p))) != NULL) {
		const char *q = p;
		while (q > in && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if (q == in || q[-1] == '\n')
			return true;
		p++;
	}
	return false;
}
