/*
 * em_figures - headline figures as people write them (see em_figures.h).
 *
 * A small hand-written scanner over normalized text: digits with or without
 * thousands separators and a decimal part, or number words up to the
 * hundreds ("two", "sixty-six", "a hundred and five"), with decimals ("three
 * point two") or thousands ("forty-two thousand, eight hundred and fifty"),
 * as a radio script writes them; a multiplier ("k",
 * "thousand", "m", "million", "bn", "billion", "tn", "trillion"); a unit
 * ("%", "per cent", "percent", "pc", "pct", "percentage points", "pp", "per N",
 * "in every N"); a currency sign before it ("£1.4bn") is not part of it. Signs
 * and the Unicode minus (folded to '-' by the normalizer) are dropped.
 * Depends on libc and libm only.
 */
#include "em_figures.h"

/* How far above a figure its rounding up may be, relative: "nearly 5,000"
 * for 4,920 (1.6 %) is how people write it; "4%" for 3.2% (25 %) is not. */
#define CEIL_NEAR 0.025

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c >= 0x80;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Length of a Latin-1 symbol (U+00A0..U+00BF: "£", "¥", "§") or a general
 * punctuation / currency sign (U+2000..U+20CF: "€", "‰") ending just before
 * text[i], or U+FFFD (a byte the decoder could not read in the declared
 * charset: a windows-1252 "£" in a part labelled UTF-8), else 0: the
 * separators em_fprint's tokenizer skips, so "£1.4bn" is read from its "1"
 * as it is tokenized, never as "4bn".
 */
static size_t symbol_before(const char *t, size_t i)
{
	const unsigned char *s = (const unsigned char *)t;

	if (i >= 2 && s[i - 2] == 0xC2 && s[i - 1] >= 0xA0 && s[i - 1] <= 0xBF)
		return 2;
	if (i >= 3 && s[i - 3] == 0xE2 && s[i - 2] >= 0x80 && s[i - 2] <= 0x82 &&
	    s[i - 1] >= 0x80 && s[i - 1] <= 0xBF)
		return 3;
	if (i >= 3 && s[i - 3] == 0xEF && s[i - 2] == 0xBF && s[i - 1] == 0xBD)
		return 3;
	return 0;
}

/* text[i..] starts with word w followed by a non-alphanumeric (or the end). */
static bool word_at(const char *t, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);

	return i + k <= n && memcmp(t + i, w, k) == 0 &&
	       (i + k == n || !is_alnum((unsigned char)t[i + k]));
}

static size_t skip_space(const char *t, size_t n, size_t i)
{
	while (i < n && t[i] == ' ')
		i++;
	return i;
}

static const char *const ones[] = {
    "zero",	"one",	   "two",     "three",	   "four",     "five",	   "six",
    "seven",	"eight",   "nine",    "ten",	   "eleven",   "twelve",   "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
};
static const char *const tens[] = {"twenty", "thirty",	"forty",  "fifty",
				   "sixty",  "seventy", "eighty", "ninety"};

/* their lengths, in the same order */
static const unsigned char ones_len[] = {4, 3, 3, 5, 4, 4, 3, 5, 5, 4,
					 3, 6, 6, 8, 8, 7, 7, 9, 8, 8};
static const unsigned char tens_len[] = {6, 6, 5, 5, 5, 7, 6, 6};
_Static_assert(sizeof(ones_len) == sizeof(ones) / sizeof(ones[0]), "ones_len");
_Static_assert(sizeof(tens_len) == sizeof(tens) / sizeof(tens[0]), "tens_len");

/* A word among ones (0-19) at i: its value, *end past it; -1 if none. */
static int ones_at(const char *t, size_t n, size_t i, size_t *end)
{
	for (int v = 19; v >= 0; v--) /* longest first: "seventeen" before "seven" */
		if (word_at(t, n, i, ones[v])) {
			*end = i + strlen(ones[v]);
			return v;
		}
	return -1;
}

/* 0-99 in words ("sixty-six", "sixty six", "seven"); -1 if none. */
static int below_hundred(const char *t, size_t n, size_t i, size_t *end)
{
	for (int k = 0; k < 8; k++)
		if (word_at(t, n, i, tens[k])) {
			size_t e = i + strlen(tens[k]), e2;
			int v = 20 + 10 * k, u;
			if (e < n && (t[e] == '-' || t[e] == ' ') &&
			    (u = ones_at(t, n, e + 1, &e2)) >= 1 && u <= 9) {
				*end = e2;
				return v + u;
			}
			*end = e;
			return v;
		}
	return ones_at(t, n, i, end);
}

/* A number in words up to 999 ("a hundred and five"); -1 if none. */
static double words_number(const char *t, size_t n, size_t i, size_t *end)
{
	size_t e;
	int v;

	if (word_at(t, n, i, "a") && word_at(t, n, skip_space(t, n, i + 1), "hundred")) {
		v = 1;
		e = skip_space(t, n, i + 1);
	} else {
		if ((v = below_hundred(t, n, i, &e)) < 0)
			return -1;
		size_t h = skip_space(t, n, e);
		if (v < 1 || v > 9 || !word_at(t, n, h, "hundred")) {
			*end = e;
			return v;
		}
		e = h;
	}
	e += strlen("hundred");
	v *= 100;
	{
		size_t a = skip_space(t, n, e), e2;
		if (word_at(t, n, a, "and"))
			a = skip_space(t, n, a + 3);
		int r = below_hundred(t, n, a, &e2);
		if (r >= 1) {
			v += r;
			e = e2;
		}
	}
	*end = e;
	return v;
}

/* Per first letter a-z: bit k set when a number word of k letters starts
 * with it (the words of ones and tens, and "a"). Checked against the tables
 * by tests/unit/test_figures.c. */
static const uint16_t numword_lens[26] = {
    0x002, 0x000, 0x000, 0x000, 0x160, 0x1b0, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x150, 0x008, 0x000, 0x000, 0x000, 0x2a8, 0x168, 0x000, 0x000, 0x000, 0x000, 0x000, 0x010};

bool em_figures_word_may_be_number(const char *w, size_t n)
{
	unsigned char c = (unsigned char)w[0];

	return n >= 1 && n <= 9 && c >= 'a' && c <= 'z' && (numword_lens[c - 'a'] >> n & 1);
}

/* Cheap test before the word tables: the word at i (its letters a-z) is
 * one of the number words words_number can start with ("zero".."ninety",
 * or "a" as in "a hundred"). Exact, so the tables are walked only for
 * real number words: each word of ordinary prose costs one length check
 * and at most a few memcmp. */
static bool may_be_number_word(const char *t, size_t n, size_t i)
{
	size_t e = i, k;

	while (e < n && t[e] >= 'a' && t[e] <= 'z')
		e++;
	k = e - i;
	if (!em_figures_word_may_be_number(t + i, k))
		return false;
	if (k == 1)
		return true; /* "a" */
	for (size_t v = 0; v < sizeof(ones) / sizeof(ones[0]); v++)
		if (ones[v][0] == t[i] && ones_len[v] == k && memcmp(ones[v], t + i, k) == 0)
			return true;
	for (size_t v = 0; v < sizeof(tens) / sizeof(tens[0]); v++)
		if (tens[v][0] == t[i] && tens_len[v] == k && memcmp(tens[v], t + i, k) == 0)
			return true;
	return false;
}

bool em_figures_is_number_word(const char *w, size_t n)
{
	return may_be_number_word(w, n, 0);
}

/* Significant digits of a digit string (separators skipped). */
static unsigned sig_digits(const char *s, size_t n)
{
	unsigned sig = 0, zeros = 0;
	bool started = false, frac = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			frac = true;
			sig += zeros; /* zeros before the point are significant once there is a
					 fraction */
			zeros = 0;
			continue;
		}
		if (!is_digit((unsigned char)s[i]))
			continue;
		if (s[i] == '0' && !started)
			continue;
		started = true;
		if (s[i] == '0' && !frac) {
			zeros++;
		} else {
			sig += zeros + 1;
			zeros = 0;
		}
	}
	return sig ? sig : 1;
}

/*
 * A number at i: digits ("80,120", "80120", "2.4") or words. *end past it,
 * *sig its significant digits, *plain true for bare digits without
 * separator, fraction or multiplier (a year candidate). Returns -1 if none.
 */
static double number_at(const char *t, size_t n, size_t i, size_t *end, unsigned *sig, bool *plain)
{
	double v;
	size_t e = i;

	*plain = false;
	if (i < n && is_digit((unsigned char)t[i])) {
		size_t d = i;
		bool sep = false;
		while (e < n && is_digit((unsigned char)t[e]))
			e++;
		/* thousands groups: ",ddd" not followed by another digit */
		bool grouped = e - d <= 3;
		while (grouped && e + 3 < n && t[e] == ',' && is_digit((unsigned char)t[e + 1]) &&
		       is_digit((unsigned char)t[e + 2]) && is_digit((unsigned char)t[e + 3]) &&
		       (e + 4 >= n || !is_digit((unsigned char)t[e + 4]))) {
			sep = true;
			e += 4;
		}
		if (e + 1 < n && t[e] == '.' && is_digit((unsigned char)t[e + 1])) {
			e++;
			while (e < n && is_digit((unsigned char)t[e]))
				e++;
			sep = true;
		}
		char buf[64];
		size_t k = 0;
		for (size_t j = d; j < e && k + 1 < sizeof(buf); j++)
			if (t[j] != ',')
				buf[k++] = t[j];
		buf[k] = '\0';
		if (k + 1 >= sizeof(buf)) {
			/* too long for a figure: the caller skips the whole run, so
			 * "111,111,..." is not re-read from each ',' (quadratic) */
			*end = e;
			return -1;
		}
		v = strtod(buf, NULL);
		*sig = sig_digits(t + d, e - d);
		*plain = !sep;
	} else {
		v = words_number(t, n, i, &e);
		if (v < 0)
			return -1;
		char buf[48];
		int len = snprintf(buf, sizeof(buf), "%.0f", v);
		/* "three point two", "one point four five": digits after "point" */
		size_t p = skip_space(t, n, e), d, e2;
		if (v < 1000 && word_at(t, n, p, "point") &&
		    (d = skip_space(t, n, p + 5), ones_at(t, n, d, &e2) >= 0) &&
		    ones_at(t, n, d, &e2) <= 9) {
			buf[len++] = '.';
			for (int u; len + 1 < (int)sizeof(buf) && (u = ones_at(t, n, d, &e2)) >= 0 &&
				    u <= 9;
			     d = skip_space(t, n, e2)) {
				buf[len++] = (char)('0' + u);
				e = e2;
			}
			buf[len] = '\0';
			v = strtod(buf, NULL);
		} else if (v >= 1 && v < 1000 && (p = skip_space(t, n, e)) > e &&
			   word_at(t, n, p, "thousand")) {
			/* "forty-two thousand, eight hundred and fifty" */
			size_t a = skip_space(t, n, p + 8);
			if (a < n && t[a] == ',')
				a = skip_space(t, n, a + 1);
			if (word_at(t, n, a, "and"))
				a = skip_space(t, n, a + 3);
			double r = words_number(t, n, a, &e2);
			if (r >= 1 && r < 1000) {
				v = v * 1000 + r;
				e = e2;
				len = snprintf(buf, sizeof(buf), "%.0f", v);
			}
		}
		*sig = sig_digits(buf, (size_t)len);
	}
	/* multiplier, attached ("80k", "1.2m", "3bn") or spaced ("80 thousand") */
	{
		static const struct {
			const char *w;
			double m;
			bool attached;
		} mult[] = {
		    {"k", 1e3, true},	      {"m", 1e6, true},	       {"bn", 1e9, true},
		    {"thousand", 1e3, false}, {"million", 1e6, false}, {"billion", 1e9, false},
		    {"k", 1e3, false},	      {"bn", 1e9, false},      {"trillion", 1e12, false},
		    {"tn", 1e12, true},
		};
		for (size_t m = 0; m < sizeof(mult) / sizeof(mult[0]); m++) {
			size_t a = mult[m].attached ? e : skip_space(t, n, e);
			if (!mult[m].attached && a == e)
				continue;
			if (word_at(t, n, a, mult[m].w)) {
				v *= mult[m].m;
				e = a + strlen(mult[m].w);
				*plain = false;
				break;
			}
		}
	}
	*end = e;
	return v;
}

/* Reads kind and unit after a number ending at e. */
static size_t unit_at(const char *t, size_t n, size_t e, struct em_figure *f)
{
	size_t a = skip_space(t, n, e), e2;
	static const char *const pct[] = {"per cent",	      "percent",	  "pc",
					  "pct",	      "percentage points", "percentage point",
					  "pp"};

	f->kind = EM_FIG_COUNT;
	if (a < n && t[a] == '%') {
		f->kind = EM_FIG_PERCENT;
		return a + 1;
	}
	for (size_t k = 0; k < sizeof(pct) / sizeof(pct[0]); k++)
		if (word_at(t, n, a, pct[k])) {
			f->kind = EM_FIG_PERCENT;
			return a + strlen(pct[k]);
		}
	size_t b = 0;
	if (word_at(t, n, a, "per"))
		b = skip_space(t, n, a + 3);
	else if (a == e && a + 1 < n && t[a] == '/') /* "66/10k" */
		b = a + 1;
	else if (word_at(t, n, a, "in every"))
		b = skip_space(t, n, a + 8);
	if (b) {
		unsigned sig;
		bool plain;
		double base;
		if (word_at(t, n, b, "thousand")) {
			base = 1000;
			e2 = b + 8;
		} else {
			base = number_at(t, n, b, &e2, &sig, &plain);
		}
		if (base >= 10) {
			f->kind = EM_FIG_RATE;
			f->base = base;
			return e2;
		}
	}
	return e;
}

/* A bare year or a small count is not a figure on its own. */
static bool counts(const struct em_figure *f, bool plain)
{
	if (f->kind != EM_FIG_COUNT)
		return true;
	if (f->value < 100)
		return false;
	if (plain && f->value >= 1900 && f->value <= 2100 && f->value == floor(f->value))
		return false;
	return true;
}

bool em_figures_at(const char *text, size_t len, size_t i, struct em_figure *f, size_t *next)
{
	unsigned char c;
	size_t e;
	unsigned sig;
	bool plain;
	double v;

	*next = i + 1;
	if (i >= len)
		return false;
	c = (unsigned char)text[i];
	if ((i > 0 && is_alnum((unsigned char)text[i - 1]) && symbol_before(text, i) == 0) ||
	    (!is_digit(c) && !(c >= 'a' && c <= 'z')))
		return false;
	e = i;
	if (is_digit(c) || may_be_number_word(text, len, i))
		v = number_at(text, len, i, &e, &sig, &plain);
	else
		v = -1;
	if (v < 0) {
		while (i < len && is_alnum((unsigned char)text[i]))
			i++;
		*next = e > i ? e : i;
		return false;
	}
	memset(f, 0, sizeof(*f));
	f->value = v;
	f->sig = sig;
	f->off = i;
	f->end = unit_at(text, len, e, f);
	*next = f->end > i ? f->end : i + 1;
	return counts(f, plain && f->kind == EM_FIG_COUNT);
}

bool em_figures_next(const char *text, size_t len, size_t *pos, struct em_figure *f)
{
	size_t i = *pos;

	while (i < len) {
		size_t next;
		if (em_figures_at(text, len, i, f, &next)) {
			*pos = next;
			return true;
		}
		i = next;
	}
	*pos = len;
	return false;
}

int em_figures_parse(const char *s, struct em_figure *f, char *why, size_t whylen)
{
	char buf[128];
	size_t n = 0, pos = 0;

	/* lower-case ASCII and fold the Unicode minus, like the normalizer */
	for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < sizeof(buf); p++) {
		if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) {
			buf[n++] = '-';
			p += 2;
		} else {
			buf[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
		}
	}
	buf[n] = '\0';
	if (!em_figures_next(buf, n, &pos, f)) {
		snprintf(why, whylen,
			 "\"%s\" is not a figure (a year or a count below 100 never counts)", s);
		return -1;
	}
	/* a currency sign right before it is allowed: "£1.4bn", "€80m", "$2bn" */
	size_t cur = symbol_before(buf, f->off);
	if (cur == 0 && f->off > 0 && buf[f->off - 1] == '$')
		cur = 1;
	for (size_t i = 0; i < f->off - cur; i++) {
		if (buf[i] != ' ' && buf[i] != '-' && buf[i] != '+') {
			snprintf(why, whylen, "\"%s\": text before the figure", s);
			return -1;
		}
	}
	for (size_t i = f->end; i < n; i++)
		if (buf[i] != ' ') {
			snprintf(why, whylen, "\"%s\": text after the figure", s);
			return -1;
		}
	return 0;
}

/* A number as a canonical string: up to 6 decimals, trailing zeros cut. */
static void fmt_num(double v, char *out, size_t n)
{
	snprintf(out, n, "%.6f", v);
	char *dot = strchr(out, '.');
	if (dot) {
		char *z = out + strlen(out) - 1;
		while (z > dot && *z == '0')
			*z-- = '\0';
		if (z == dot)
			*z = '\0';
	}
}

static void form_of(enum em_fig_kind kind, double v, double base, char *out)
{
	char a[24], b[24];

	fmt_num(v, a, sizeof(a));
	if (kind == EM_FIG_RATE) {
		fmt_num(base, b, sizeof(b));
		snprintf(out, EM_FIG_FORM_MAX, "r:%s/%s", a, b);
	} else {
		snprintf(out, EM_FIG_FORM_MAX, "%c:%s", (char)kind, a);
	}
}

void em_figures_form(const struct em_figure *f, char *out)
{
	form_of(f->kind, f->value, f->base, out);
}

static size_t add_form(char out[][EM_FIG_FORM_MAX], size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(out[i], s) == 0)
			return n;
	if (n < EM_FIG_FORMS_MAX)
		snprintf(out[n++], EM_FIG_FORM_MAX, "%s", s);
	return n;
}

size_t em_figures_forms(const struct em_figure *f, char out[][EM_FIG_FORM_MAX])
{
	char s[EM_FIG_FORM_MAX];
	size_t n = 0;
	/* counts keep two digits ("80k", "81k"); rates and percentages are
	 * rounded to whole numbers at most ("2.4%" -> "2%", never "10%") */
	unsigned minlevel = f->kind == EM_FIG_COUNT ? 2 : 1;

	em_figures_form(f, s);
	n = add_form(out, n, s);
	if (f->value <= 0)
		return n;
	int e = (int)floor(log10(f->value));
	for (unsigned level = f->sig > 1 ? f->sig - 1 : 1; level >= minlevel && level >= 1;
	     level--) {
		double step = pow(10, e - (int)level + 1);
		if (f->kind != EM_FIG_COUNT && step > 1)
			break;
		double r[3] = {round(f->value / step) * step, floor(f->value / step) * step,
			       ceil(f->value / step) * step};
		for (int k = 0; k < 3; k++) {
			if (r[k] <= 0)
				continue;
			/* rounded up only when close: 4,920 is "nearly 5,000",
			 * but 3.2% is never "4%" nor 1,310 "1,400" */
			if (k == 2 && r[k] - f->value > CEIL_NEAR * f->value)
				continue;
			if (f->kind == EM_FIG_COUNT && r[k] < 100)
				continue;
			form_of(f->kind, r[k], f->base, s);
			n = add_form(out, n, s);
		}
		if (level == 1)
			break;
	}
	return n;
}
