/*
 * em_fprint - keyed fingerprints of release documents and matching them in
 * mail (see em_fprint.h for the algorithm and the .fp format).
 *
 * Limits: a token longer than 256 bytes is hashed by its first 256 bytes
 * and its length; a figure keeps at most EM_FIG_FORMS_MAX forms and 64
 * context words; evidence text is capped at EVIDENCE_MAX bytes.
 * Depends on libc and em_figures, em_buf only.
 */
#define _GNU_SOURCE
#include "em_fprint.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_figures.h"

#define TOKEN_MAX 256
#define CTX_MAX 64
#define CTX_SHOWN 8
#define SENTENCE_TOKENS 20 /* context words at most this far from a document figure */
#define MAIL_WINDOW 12	   /* ... and from a figure in mail */
#define EVIDENCE_MAX 200
#define WINDOW_TOKENS 4096 /* tokens em_fp_scan reads at a time (plus its look-around) */
static size_t window_tokens = WINDOW_TOKENS; /* tests: em_fp_window */
#define FILTER_BITS 24 /* 2 MB: a few per mille of lookups pass for 50 releases of 40 pages */

/*
 * The passage filter: a blocked Bloom filter (Putze, Sanders, Singler,
 * "Cache-, hash- and space-efficient Bloom filters", 2007) of 2^FILTER_BITS
 * bits in 64-bit words, two bits per hash in one word: the word from the top
 * bits of the hash, the two bits from the next twelve, so a probe is one
 * cache line. With one bit a hash, 2.7 % of the mail's k-grams passed on
 * `make bench` and each then searched the table; with two, about 0.3 %.
 */
static inline size_t filter_word(uint64_t h)
{
	return (size_t)(h >> (64 - (FILTER_BITS - 6)));
}

static inline uint64_t filter_mask(uint64_t h)
{
	unsigned s = 64 - (FILTER_BITS - 6);
	return (1ULL << ((h >> (s - 6)) & 63)) | (1ULL << ((h >> (s - 12)) & 63));
}

/* ---- SipHash-2-4 (reference algorithm, Aumasson & Bernstein 2012) ---- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = ROTL(v1, 13);                                                                 \
		v1 ^= v0;                                                                          \
		v0 = ROTL(v0, 32);                                                                 \
		v2 += v3;                                                                          \
		v3 = ROTL(v3, 16);                                                                 \
		v3 ^= v2;                                                                          \
		v0 += v3;                                                                          \
		v3 = ROTL(v3, 21);                                                                 \
		v3 ^= v0;                                                                          \
		v2 += v1;                                                                          \
		v1 = ROTL(v1, 17);                                                                 \
		v1 ^= v2;                                                                          \
		v2 = ROTL(v2, 32);                                                                 \
	} while (0)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&v, p, sizeof(v)); /* the same value, one load */
#else
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
#endif
	return v;
}

uint64_t em_siphash(const uint8_t key[EM_FP_KEY_BYTES], const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)len << 56, m;
	size_t i, end = len - (len % 8);

	for (i = 0; i < end; i += 8) {
		m = le64(in + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t r = len % 8; r > 0; r--)
		b |= (uint64_t)in[end + r - 1] << (8 * (r - 1));
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* ---- tokens -------------------------------------------------------------- */

static const char *const stopwords[] = {
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "and",
    "any",
    "are",
    "around",
    "been",
    "before",
    "below",
    "between",
    "both",
    "but",
    "can",
    "cent",
    "could",
    "did",
    "does",
    "down",
    "each",
    "for",
    "from",
    "had",
    "has",
    "have",
    "her",
    "his",
    "how",
    "into",
    "its",
    "just",
    "last",
    "less",
    "more",
    "most",
    "much",
    "nearly",
    "not",
    "now",
    "off",
    "once",
    "only",
    "other",
    "our",
    "out",
    "over",
    "per",
    "percent",
    "previou",
    "same",
    "she",
    "should",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thi",
    "those",
    "thousand",
    "through",
    "total",
    "under",
    "until",
    "very",
    "wa",
    "was",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "will",
    "with",
    "would",
    "year",
    "you",
    "your",
    "million",
    "number",
    "figure",
    "almost",
    "roughly",
    "approximately",
    /* how figures move and when: every statistic has them, they tell nothing
     * about which one (plural -s already cut: "rise" covers "rises") */
    "fell",
    "fall",
    "rose",
    "rise",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "decline",
    "declined",
    "higher",
    "lower",
    "highest",
    "lowest",
    "first",
    "since",
    "earlier",
    "latest",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "month",
    "week",
    "quarter",
    "ending",
    "during",
};

static bool is_stopword(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(stopwords) / sizeof(stopwords[0]); i++)
		if (n && stopwords[i][0] == w[0] && /* first letter first: most words differ */
		    strlen(stopwords[i]) == n && memcmp(stopwords[i], w, n) == 0)
			return true;
	return false;
}

/* Bytes of a separator at s[i] (0: part of a word). */
static size_t sep_len(const unsigned char *s, size_t n, size_t i)
{
	unsigned char c = s[i];

	if (c < 0x80)
		return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			   ? 0
			   : 1;
	/* general punctuation, currency; Latin-1 punctuation and symbols */
	if (c == 0xE2 && i + 2 < n && (s[i + 1] == 0x80 || s[i + 1] == 0x81 || s[i + 1] == 0x82))
		return 3;
	if (c == 0xC2 && i + 1 < n && s[i + 1] >= 0xA0)
		return 2;
	/* U+FFFD: what the decoder made of a byte that was not the declared
	 * charset (a windows-1252 "£" in a part labelled UTF-8) */
	if (c == 0xEF && i + 2 < n && s[i + 1] == 0xBF && s[i + 2] == 0xBD)
		return 3;
	return 0;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A per-thread cache of token hashes: mail repeats its words (a few
 * thousand distinct ones make most of any text), and SipHash-2-4 of every
 * occurrence was the largest single cost of fingerprinting. Direct-mapped,
 * TOKCACHE_SIZE entries of tokens up to 16 bytes, tagged with the key they
 * were hashed under; an entry is only ever the SipHash of exactly its bytes,
 * so a hit returns what em_siphash would (test_fprint compares them).
 * Memory only, per thread: the hashes are no more revealing than the
 * token arrays each scan makes anyway.
 */
#define TOKCACHE_BITS 11
#define TOKCACHE_SIZE (1u << TOKCACHE_BITS)
struct tokcache_entry {
	uint64_t w0, w1; /* the token's bytes, zero-padded */
	uint64_t h;
	uint32_t len; /* 0: empty */
	bool numword; /* letters only, and a word a figure can start with */
};
static __thread struct tokcache_entry tokcache[TOKCACHE_SIZE];
static __thread uint8_t tokcache_key[EM_FP_KEY_BYTES];
static __thread bool tokcache_keyed;
static bool tokcache_off; /* tests: the reference path */

void em_fp_reference(bool on)
{
	tokcache_off = on;
}

/* Empties this thread's cache when it holds hashes under another key. */
static void tokcache_prepare(const uint8_t key[EM_FP_KEY_BYTES])
{
	if (!tokcache_keyed || memcmp(tokcache_key, key, EM_FP_KEY_BYTES) != 0) {
		memset(tokcache, 0, sizeof(tokcache));
		memcpy(tokcache_key, key, EM_FP_KEY_BYTES);
		tokcache_keyed = true;
	}
}

/* em_siphash(key, buf, n) for n <= 16, through the cache; w0, w1 are
 * buf's bytes little-endian, zero-padded (tokcache_prepare(key) first). */
static uint64_t token_hash_w(const uint8_t key[EM_FP_KEY_BYTES], uint64_t w0, uint64_t w1,
			     const char *buf, size_t n, bool *numword)
{
	uint64_t m = (w0 * 0x9e3779b97f4a7c15ULL) ^ (w1 * 0xc2b2ae3d27d4eb4fULL) ^ n;
	m = (m ^ (m >> 29)) * 0xbf58476d1ce4e5b9ULL;
	struct tokcache_entry *e = &tokcache[m >> (64 - TOKCACHE_BITS)];
	if (e->len == n && e->w0 == w0 && e->w1 == w1) {
		*numword = e->numword;
		return e->h;
	}
	bool letters = true;
	for (size_t j = 0; j < n; j++)
		letters &= buf[j] >= 'a' && buf[j] <= 'z';
	e->w0 = w0;
	e->w1 = w1;
	e->len = (uint32_t)n;
	e->h = em_siphash(key, buf, n);
	e->numword = *numword = letters && em_figures_is_number_word(buf, n);
	return e->h;
}

static int toks_grow(struct em_fp_toks *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	void *v = realloc(t->v, cap * sizeof(*t->v));

	if (v == NULL)
		return -1;
	t->v = v;
	t->cap = cap;
	return 0;
}

static int toks_push(struct em_fp_toks *t, const struct em_fp_tok *tok)
{
	if (t->n == t->cap && toks_grow(t) < 0)
		return -1;
	t->v[t->n++] = *tok;
	return 0;
}

/* The tokenizer as first written: the reference the fast one below is
 * tested against (em_fp_reference). */
static int tokenize_ref(const uint8_t key[EM_FP_KEY_BYTES], const char *text, size_t len,
			struct em_fp_toks *t)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	t->n = 0;
	while (i < len) {
		size_t k = sep_len(s, len, i);
		if (k) {
			i += k;
			continue;
		}
		char buf[TOKEN_MAX + 8];
		size_t n = 0, start = i, full = 0;
		bool number = is_digit(s[i]);
		while (i < len) {
			if (sep_len(s, len, i)) {
				/* "80,120" and "2.4" stay one number token */
				if (number && (s[i] == ',' || s[i] == '.') && i + 1 < len &&
				    is_digit(s[i + 1]) && i > start && is_digit(s[i - 1])) {
					if (s[i] == '.' && n < TOKEN_MAX)
						buf[n++] = '.';
					full++;
					i++;
					continue;
				}
				break;
			}
			if (n < TOKEN_MAX)
				buf[n++] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
			full++;
			i++;
		}
		if (number)
			for (size_t j = 0; j < n; j++)
				if (!is_digit((unsigned char)buf[j]) && buf[j] != '.')
					number = false;
		/* a plural -s cut: "children's figures" ~ "figure" */
		if (!number && n >= 4 && buf[n - 1] == 's' && buf[n - 2] != 's')
			n--;
		if (full > TOKEN_MAX) { /* long token: its length counts too */
			memcpy(buf + n, &full, sizeof(uint32_t));
			n += sizeof(uint32_t);
		}
		/* context is decided lazily (em_fp_mark_context): most tokens never need it */
		struct em_fp_tok tok = {
		    .h = em_siphash(key, buf, n),
		    .maynum = true,
		    .off = (uint32_t)start,
		    .end = (uint32_t)i,
		    .number = number,
		    .context = !number && n >= 3 && full <= TOKEN_MAX,
		};
		if (toks_push(t, &tok) < 0)
			return -1;
	}
	return 0;
}

/* Byte classes for the tokenizer: ASCII separators, letters and digits;
 * bytes >= 0x80 are words unless sep_len says punctuation. */
enum { CL_SEP, CL_LOWER, CL_UPPER, CL_DIGIT, CL_HIGH };
static const uint8_t byte_class[256] = {
    ['0' ... '9'] = CL_DIGIT,
    ['A' ... 'Z'] = CL_UPPER,
    ['a' ... 'z'] = CL_LOWER,
    [0x80 ... 0xFF] = CL_HIGH,
};

/*
 * Same tokens as tokenize_ref, in one pass per byte: the class table instead
 * of sep_len's branches, the number test folded into the copy, and a token's
 * first 16 bytes gathered in two words as they are copied, which is what the
 * hash cache compares (no reload of the bytes just stored).
 */
/* Appends the tokens of text from byte *at on until t holds upto tokens
 * (or the text ends); *at is left after the last token, where the next call
 * resumes: tokens are maximal runs, so the split changes nothing. */
static int tokenize_upto(const uint8_t key[EM_FP_KEY_BYTES], const char *text, size_t len,
			 size_t *at, struct em_fp_toks *t, size_t upto)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = *at;

	tokcache_prepare(key);
	while (i < len && t->n < upto) {
		uint8_t cl = byte_class[s[i]];
		if (cl == CL_SEP) {
			i++;
			continue;
		}
		if (cl == CL_HIGH) {
			size_t k = sep_len(s, len, i);
			if (k) {
				i += k;
				continue;
			}
		}
		if (cl == CL_LOWER) {
			/* The common case, done in bulk: a lower-case ASCII word of
			 * letters and digits ended by an ASCII separator or the text's
			 * end. Its bytes are its canonical form (no case to fold, not a
			 * number, no separator inside), so they are hashed in place.
			 * Anything else (capitals, UTF-8, too long) goes the byte way. */
			size_t e = i + 1, n;
			uint8_t seen = CL_LOWER; /* | CL_DIGIT (3) sets bit 2: a digit */
			while (e < len &&
			       (byte_class[s[e]] == CL_LOWER || byte_class[s[e]] == CL_DIGIT))
				seen |= byte_class[s[e++]];
			n = e - i;
			if ((e == len || byte_class[s[e]] == CL_SEP) && n <= TOKEN_MAX) {
				size_t full = n;
				uint64_t w0 = 0, w1 = 0;
				if (n >= 4 && s[e - 1] == 's' && s[e - 2] != 's')
					n--; /* the plural cut */
				if (n <= 16) {
					memcpy(&w0, s + i, n < 8 ? n : 8);
					if (n > 8)
						memcpy(&w1, s + i + 8, n - 8);
				}
				if (t->n == t->cap && toks_grow(t) < 0)
					return -1;
				struct em_fp_tok *o = &t->v[t->n++];
				bool nw = false; /* > 16 letters: no number word */
				o->h = n <= 16
					   ? token_hash_w(key, w0, w1, (const char *)s + i, n, &nw)
					   : em_siphash(key, s + i, n);
				o->off = (uint32_t)i;
				o->end = (uint32_t)e;
				o->number = false;
				o->context = n >= 3 && full <= TOKEN_MAX;
				o->checked = false;
				/* the letters a figure would be read from are the token's
				 * own only when nothing was cut (and the cache then knows) */
				o->maynum = n != full || nw || (seen & 2);
				i = e;
				continue;
			}
		}
		char buf[TOKEN_MAX + 8];
		uint64_t w0 = 0, w1 = 0; /* kept in registers: no w[n >> 3] */
		size_t n = 0, start = i, full = 0;
		bool first_digit = cl == CL_DIGIT, digits = true;
		while (i < len) {
			unsigned char c = s[i];
			cl = byte_class[c];
			if (cl == CL_SEP || (cl == CL_HIGH && sep_len(s, len, i))) {
				/* "80,120" and "2.4" stay one number token */
				if (first_digit && (c == ',' || c == '.') && i + 1 < len &&
				    is_digit(s[i + 1]) && i > start && is_digit(s[i - 1])) {
					if (c == '.' && n < TOKEN_MAX) {
						if (n < 8)
							w0 |= (uint64_t)'.' << (8 * n);
						else if (n < 16)
							w1 |= (uint64_t)'.' << (8 * (n - 8));
						buf[n++] = '.';
					}
					full++;
					i++;
					continue;
				}
				break;
			}
			if (cl == CL_UPPER)
				c += 32;
			if (n < TOKEN_MAX) {
				digits &= cl == CL_DIGIT;
				if (n < 8)
					w0 |= (uint64_t)c << (8 * n);
				else if (n < 16)
					w1 |= (uint64_t)c << (8 * (n - 8));
				buf[n++] = (char)c;
			}
			full++;
			i++;
		}
		bool number = first_digit && digits;
		/* a plural -s cut: "children's figures" ~ "figure" */
		if (!number && n >= 4 && buf[n - 1] == 's' && buf[n - 2] != 's') {
			n--;
			if (n < 8)
				w0 &= ~(0xffULL << (8 * n));
			else if (n < 16)
				w1 &= ~(0xffULL << (8 * (n - 8)));
		}
		if (full > TOKEN_MAX) { /* long token: its length counts too */
			memcpy(buf + n, &full, sizeof(uint32_t));
			n += sizeof(uint32_t);
		}
		if (t->n == t->cap && toks_grow(t) < 0)
			return -1;
		/* written in place: a struct built on the stack and copied out stalled */
		struct em_fp_tok *o = &t->v[t->n++];
		bool nw = false;
		o->h = n <= 16 ? token_hash_w(key, w0, w1, buf, n, &nw) : em_siphash(key, buf, n);
		o->maynum = true; /* not the bulk case: let em_figures_at decide */
		o->off = (uint32_t)start;
		o->end = (uint32_t)i;
		o->number = number;
		o->context = !number && n >= 3 && full <= TOKEN_MAX;
		o->checked = false;
	}
	*at = i;
	return 0;
}

int em_fp_tokenize(const uint8_t key[EM_FP_KEY_BYTES], const char *text, size_t len,
		   struct em_fp_toks *t)
{
	size_t at = 0;

	if (tokcache_off)
		return tokenize_ref(key, text, len, t);
	t->n = 0;
	return tokenize_upto(key, text, len, &at, t, SIZE_MAX);
}

void em_fp_mark_context(struct em_fp_toks *t, const char *text, size_t a, size_t b)
{
	for (size_t i = a; i < b && i < t->n; i++) {
		struct em_fp_tok *k = &t->v[i];
		size_t n = k->end - k->off;
		if (!k->context || k->checked)
			continue;
		k->checked = true;
		if (n >= 4 && text[k->off + n - 1] == 's' && text[k->off + n - 2] != 's')
			n--; /* the plural cut of the tokenizer */
		k->context = !is_stopword(text + k->off, n);
	}
}

bool em_fp_stem_hash(const uint8_t key[EM_FP_KEY_BYTES], const char *text,
		     const struct em_fp_tok *t, uint64_t *h)
{
	char buf[TOKEN_MAX];
	size_t n = t->end - t->off, m;

	if (t->number || n < 5 || n > TOKEN_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[t->off + i];
		if (c >= 0x80)
			return false; /* English suffixes only */
		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (buf[n - 1] == 's' && buf[n - 2] != 's') /* the tokenizer's plural cut */
		n--;
	m = n;
	if (m > 5 && memcmp(buf + m - 3, "ing", 3) == 0)
		m -= 3;
	else if (m > 4 && memcmp(buf + m - 2, "ed", 2) == 0)
		m -= 2;
	if (m > 4 && buf[m - 1] == 'e')
		m--;
	if (m == n)
		return false;
	*h = em_siphash(key, buf, m);
	return true;
}

void em_fp_toks_free(struct em_fp_toks *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/* One step of em_fp_kgram. */
static inline uint64_t kmix(uint64_t h, uint64_t x)
{
	h = (h ^ x) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

uint64_t em_fp_kgram(const struct em_fp_toks *t, size_t i, unsigned k)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;

	for (unsigned j = 0; j < k; j++) {
		h = (h ^ t->v[i + j].h) * 0xff51afd7ed558ccdULL;
		h ^= h >> 33;
	}
	return h;
}

/* ---- small sorted uint64 sets ------------------------------------------- */

struct u64v {
	uint64_t *v;
	size_t n, cap;
};

static int u64_push(struct u64v *a, uint64_t x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		void *v = realloc(a->v, cap * sizeof(*a->v));
		if (v == NULL)
			return -1;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void u64_sort_unique(uint64_t *v, size_t *n)
{
	size_t k = 0;

	if (*n == 0)
		return;
	qsort(v, *n, sizeof(*v), cmp_u64);
	for (size_t i = 1; i < *n; i++)
		if (v[i] != v[k])
			v[++k] = v[i];
	*n = k + 1;
}

static bool u64_has(const uint64_t *v, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == x;
}

/* ---- the .fp format -------------------------------------------------------- */

void em_fp_free(struct em_fp *fp)
{
	if (fp == NULL)
		return;
	for (size_t i = 0; i < fp->nsources; i++)
		free(fp->sources[i]);
	free(fp->sources);
	free(fp->hashes);
	for (size_t i = 0; i < fp->nfigs; i++) {
		free(fp->figs[i].forms);
		free(fp->figs[i].ctx);
	}
	free(fp->figs);
	free(fp);
}

int em_fp_write(const struct em_fp *fp, struct em_buf *out)
{
	int bad = 0;

	bad |=
	    em_buf_printf(out, "embargo-milter fingerprint %u\nkey-id %s\nbuilt %s\nk %u\nw %u\n",
			  EM_FP_VERSION, fp->key_id, fp->built, fp->k, fp->w);
	for (size_t i = 0; i < fp->nsources; i++)
		bad |= em_buf_printf(out, "source %s\n", fp->sources[i]);
	bad |= em_buf_printf(out, "public-passages %zu\npublic-figures %zu\n", fp->public_passages,
			     fp->public_figures);
	for (size_t i = 0; i < fp->nfigs; i++) {
		const struct em_fp_fig *f = &fp->figs[i];
		bad |= em_buf_printf(out, "figure %zu", f->nforms);
		for (size_t k = 0; k < f->nforms; k++)
			bad |= em_buf_printf(out, " %016" PRIx64, f->forms[k]);
		bad |= em_buf_printf(out, " ctx %zu", f->nctx);
		for (size_t k = 0; k < f->nctx; k++)
			bad |= em_buf_printf(out, " %016" PRIx64, f->ctx[k]);
		bad |= em_buf_putc(out, '\n');
	}
	bad |= em_buf_printf(out, "passages %zu\n", fp->nhashes);
	for (size_t i = 0; i < fp->nhashes; i++)
		bad |= em_buf_printf(out, "%016" PRIx64 "%c", fp->hashes[i],
				     (i % 8 == 7 || i + 1 == fp->nhashes) ? '\n' : ' ');
	bad |= em_buf_puts(out, "end\n");
	return bad ? -1 : 0;
}

/* Parser state over the file's lines. */
struct rd {
	const char *p, *end;
	int line;
	char *why;
	size_t whylen;
	bool nomem;
};

static bool fail(struct rd *r, const char *what)
{
	snprintf(r->why, r->whylen, "line %d: %s", r->line, what);
	return false;
}

/* The next line into [*s, *e); false at the end of the text. */
static bool next_line(struct rd *r, const char **s, const char **e)
{
	if (r->p >= r->end)
		return false;
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	*s = r->p;
	*e = nl ? nl : r->end;
	r->p = nl ? nl + 1 : r->end;
	r->line++;
	return true;
}

/* Reads an unsigned decimal at *s (advances, skips one leading space). */
static bool read_size(const char **s, const char *e, size_t *out)
{
	const char *p = *s;
	size_t v = 0;

	if (p < e && *p == ' ')
		p++;
	if (p >= e || !is_digit((unsigned char)*p))
		return false;
	while (p < e && is_digit((unsigned char)*p)) {
		if (v > (SIZE_MAX - 9) / 10)
			return false;
		v = v * 10 + (size_t)(*p - '0');
		p++;
	}
	*s = p;
	*out = v;
	return true;
}

static bool read_hash(const char **s, const char *e, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;

	if (p < e && *p == ' ')
		p++;
	if (e - p < 16)
		return false;
	for (int i = 0; i < 16; i++, p++) {
		unsigned char c = (unsigned char)*p;
		unsigned d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return false;
		v = (v << 4) | d;
	}
	if (p < e && *p != ' ')
		return false;
	*out = v;
	*s = p;
	return true;
}

static bool starts(const char *s, const char *e, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(e - s) >= n && memcmp(s, w, n) == 0;
}

/* "figure F H... ctx C H..." */
static bool parse_figure(struct rd *r, const char *s, const char *e, struct em_fp *fp)
{
	struct em_fp_fig f = {0};
	size_t nf, nc;

	s += strlen("figure");
	if (!read_size(&s, e, &nf) || nf == 0 || nf > EM_FIG_FORMS_MAX)
		return fail(r, "figure: bad number of forms");
	if ((f.forms = calloc(nf, sizeof(*f.forms))) == NULL)
		return r->nomem = true, false;
	for (size_t i = 0; i < nf; i++)
		if (!read_hash(&s, e, &f.forms[i])) {
			free(f.forms);
			return fail(r, "figure: bad hash");
		}
	f.nforms = nf;
	if (!starts(s, e, " ctx") || (s += 4, !read_size(&s, e, &nc)) || nc > CTX_MAX) {
		free(f.forms);
		return fail(r, "figure: bad ctx");
	}
	if ((f.ctx = calloc(nc + 1, sizeof(*f.ctx))) == NULL) {
		free(f.forms);
		return r->nomem = true, false;
	}
	for (size_t i = 0; i < nc; i++)
		if (!read_hash(&s, e, &f.ctx[i])) {
			free(f.forms);
			free(f.ctx);
			return fail(r, "figure: bad hash");
		}
	f.nctx = nc;
	u64_sort_unique(f.ctx, &f.nctx);
	if (s != e) {
		free(f.forms);
		free(f.ctx);
		return fail(r, "figure: trailing text");
	}
	void *v = realloc(fp->figs, (fp->nfigs + 1) * sizeof(*fp->figs));
	if (v == NULL) {
		free(f.forms);
		free(f.ctx);
		return r->nomem = true, false;
	}
	fp->figs = v;
	fp->figs[fp->nfigs++] = f;
	return true;
}

static bool parse_header_line(struct rd *r, const char *s, const char *e, struct em_fp *fp,
			      unsigned *seen)
{
	size_t v;
	const char *q;

	if (starts(s, e, "key-id ")) {
		if (e - s != 7 + 16)
			return fail(r, "key-id: expected 16 hex digits");
		for (q = s + 7; q < e; q++)
			if (!((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f')))
				return fail(r, "key-id: expected 16 hex digits");
		memcpy(fp->key_id, s + 7, 16);
		fp->key_id[16] = '\0';
		*seen |= 1;
	} else if (starts(s, e, "built ")) {
		if (e - s - 6 <= 0 || e - s - 6 >= (long)sizeof(fp->built))
			return fail(r, "built: bad time");
		memcpy(fp->built, s + 6, (size_t)(e - s - 6));
		fp->built[e - s - 6] = '\0';
	} else if (starts(s, e, "k ")) {
		q = s + 1;
		if (!read_size(&q, e, &v) || q != e || v < 2 || v > 64)
			return fail(r, "k: expected 2..64");
		fp->k = (unsigned)v;
		*seen |= 2;
	} else if (starts(s, e, "w ")) {
		q = s + 1;
		if (!read_size(&q, e, &v) || q != e || v < 1 || v > 64)
			return fail(r, "w: expected 1..64");
		fp->w = (unsigned)v;
		*seen |= 4;
	} else if (starts(s, e, "source ")) {
		char **nv = realloc(fp->sources, (fp->nsources + 1) * sizeof(*nv));
		if (nv == NULL)
			return r->nomem = true, false;
		fp->sources = nv;
		if ((nv[fp->nsources] = strndup(s + 7, (size_t)(e - s - 7))) == NULL)
			return r->nomem = true, false;
		fp->nsources++;
	} else if (starts(s, e, "public-passages ")) {
		q = s + 15;
		if (!read_size(&q, e, &fp->public_passages) || q != e)
			return fail(r, "public-passages: expected a number");
	} else if (starts(s, e, "public-figures ")) {
		q = s + 14;
		if (!read_size(&q, e, &fp->public_figures) || q != e)
			return fail(r, "public-figures: expected a number");
	} else if (starts(s, e, "figure ")) {
		return parse_figure(r, s, e, fp);
	} else {
		return fail(r, "unknown line");
	}
	return true;
}

struct em_fp *em_fp_parse(const char *text, size_t len, char *why, size_t whylen)
{
	struct rd r = {text, text + len, 0, why, whylen, false};
	struct em_fp *fp = calloc(1, sizeof(*fp));
	const char *s, *e, *q;
	unsigned seen = 0;
	size_t n, v;

	if (whylen)
		why[0] = '\0';
	if (fp == NULL)
		return NULL;
	if (!next_line(&r, &s, &e) || !starts(s, e, "embargo-milter fingerprint ")) {
		fail(&r, "not an embargo-milter fingerprint file");
		goto bad;
	}
	q = s + strlen("embargo-milter fingerprint");
	if (!read_size(&q, e, &v) || q != e) {
		fail(&r, "bad version");
		goto bad;
	}
	if (v != EM_FP_VERSION) {
		snprintf(why, whylen, "line 1: version %zu; this program reads version %d", v,
			 EM_FP_VERSION);
		goto bad;
	}
	fp->version = (unsigned)v;
	for (;;) {
		if (!next_line(&r, &s, &e)) {
			fail(&r, "missing \"passages\" and \"end\" (file cut short?)");
			goto bad;
		}
		if (starts(s, e, "passages "))
			break;
		if (!parse_header_line(&r, s, e, fp, &seen))
			goto bad;
	}
	if ((seen & 7) != 7) {
		fail(&r, "missing key-id, k or w before passages");
		goto bad;
	}
	q = s + 8;
	if (!read_size(&q, e, &n) || q != e || n > len / 16) {
		fail(&r, "passages: bad count");
		goto bad;
	}
	if ((fp->hashes = calloc(n + 1, sizeof(*fp->hashes))) == NULL) {
		r.nomem = true;
		goto bad;
	}
	while (fp->nhashes < n) {
		if (!next_line(&r, &s, &e)) {
			fail(&r, "fewer passages than announced (file cut short?)");
			goto bad;
		}
		while (s < e && fp->nhashes < n) {
			if (!read_hash(&s, e, &fp->hashes[fp->nhashes])) {
				fail(&r, "bad passage hash");
				goto bad;
			}
			fp->nhashes++;
		}
		if (s != e) {
			fail(&r, "trailing text after passages");
			goto bad;
		}
	}
	if (!next_line(&r, &s, &e) || !starts(s, e, "end") || e - s != 3) {
		fail(&r, "expected \"end\" (file cut short?)");
		goto bad;
	}
	u64_sort_unique(fp->hashes, &fp->nhashes);
	return fp;
bad:
	if (r.nomem && whylen)
		why[0] = '\0';
	em_fp_free(fp);
	return NULL;
}

/* ---- building -------------------------------------------------------------- */

struct bfig {
	char form[EM_FIG_FORM_MAX];
	char written[48];
	struct u64v ctx;
	char shown[CTX_SHOWN * 24];
	size_t nshown;
};

struct em_fp_builder {
	uint8_t key[EM_FP_KEY_BYTES];
	char key_id[17];
	unsigned k, w;
	struct u64v kept;   /* winnowed hashes of the documents */
	struct u64v pub;    /* every k-gram of the published files */
	struct u64v pubfig; /* exact forms of the published files' figures */
	struct bfig *figs;
	size_t nfigs;
	char **sources;
	size_t nsources;
	struct em_fp_toks toks;
};

struct em_fp_builder *em_fp_builder_new(const uint8_t key[EM_FP_KEY_BYTES], const char *key_id,
					unsigned k, unsigned w)
{
	struct em_fp_builder *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	memcpy(b->key, key, EM_FP_KEY_BYTES);
	snprintf(b->key_id, sizeof(b->key_id), "%s", key_id);
	b->k = k;
	b->w = w;
	return b;
}

void em_fp_builder_free(struct em_fp_builder *b)
{
	if (b == NULL)
		return;
	free(b->kept.v);
	free(b->pub.v);
	free(b->pubfig.v);
	for (size_t i = 0; i < b->nfigs; i++)
		free(b->figs[i].ctx.v);
	free(b->figs);
	for (size_t i = 0; i < b->nsources; i++)
		free(b->sources[i]);
	free(b->sources);
	em_fp_toks_free(&b->toks);
	free(b);
}

int em_fp_builder_source(struct em_fp_builder *b, const char *name)
{
	char **v = realloc(b->sources, (b->nsources + 1) * sizeof(*v));
	const char *base = strrchr(name, '/');

	if (v == NULL)
		return -1;
	b->sources = v;
	if ((v[b->nsources] = strdup(base ? base + 1 : name)) == NULL)
		return -1;
	for (char *p = v[b->nsources]; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	b->nsources++;
	return 0;
}

/* Winnowing (robust variant, SWA 2003 section 5.2): in every window of w
 * consecutive k-gram hashes keep the minimum, the rightmost on ties, and
 * record it when it differs from the last one recorded. */
static int winnow(const uint64_t *h, size_t n, unsigned w, struct u64v *out)
{
	size_t last = SIZE_MAX;

	if (n == 0)
		return 0;
	if (n < w)
		w = (unsigned)n;
	for (size_t i = 0; i + w <= n; i++) {
		size_t m = i;
		for (size_t j = i + 1; j < i + w; j++)
			if (h[j] <= h[m])
				m = j;
		if (m != last) {
			if (u64_push(out, h[m]) < 0)
				return -1;
			last = m;
		}
	}
	return 0;
}

/* Token index range [*a, *b) of the sentence holding byte offset off. */
static void sentence_of(const char *text, const struct em_fp_toks *t, size_t ti, size_t *a,
			size_t *b, size_t max)
{
	size_t lo = ti, hi = ti;

	while (lo > 0 && ti - lo < max) {
		const char *gap = text + t->v[lo - 1].end;
		size_t glen = t->v[lo].off - t->v[lo - 1].end;
		if (memchr(gap, '.', glen) || memchr(gap, '!', glen) || memchr(gap, '?', glen) ||
		    memchr(gap, ';', glen))
			break;
		lo--;
	}
	while (hi + 1 < t->n && hi - ti < max) {
		const char *gap = text + t->v[hi].end;
		size_t glen = t->v[hi + 1].off - t->v[hi].end;
		if (memchr(gap, '.', glen) || memchr(gap, '!', glen) || memchr(gap, '?', glen) ||
		    memchr(gap, ';', glen))
			break;
		hi++;
	}
	*a = lo;
	*b = hi + 1;
}

/* First token at or after byte offset off. */
static size_t tok_at(const struct em_fp_toks *t, size_t off)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->v[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int add_doc_figure(struct em_fp_builder *b, const char *text, const struct em_figure *f)
{
	char form[EM_FIG_FORM_MAX];
	struct bfig *g = NULL;
	size_t ti, a, e;

	em_figures_form(f, form);
	for (size_t i = 0; i < b->nfigs; i++)
		if (strcmp(b->figs[i].form, form) == 0)
			g = &b->figs[i];
	if (g == NULL) {
		void *v = realloc(b->figs, (b->nfigs + 1) * sizeof(*b->figs));
		if (v == NULL)
			return -1;
		b->figs = v;
		g = &b->figs[b->nfigs++];
		memset(g, 0, sizeof(*g));
		memcpy(g->form, form, sizeof(form));
		size_t wl = f->end - f->off;
		if (wl >= sizeof(g->written))
			wl = sizeof(g->written) - 1;
		memcpy(g->written, text + f->off, wl);
		g->written[wl] = '\0';
	}
	if (b->toks.n == 0)
		return 0;
	ti = tok_at(&b->toks, f->off);
	if (ti >= b->toks.n)
		ti = b->toks.n - 1;
	sentence_of(text, &b->toks, ti, &a, &e, SENTENCE_TOKENS);
	for (size_t i = a; i < e; i++) {
		const struct em_fp_tok *t = &b->toks.v[i];
		if (!t->context || (t->off >= f->off && t->end <= f->end))
			continue;
		if (g->ctx.n >= CTX_MAX)
			break;
		bool dup = false;
		for (size_t k = 0; k < g->ctx.n; k++)
			dup |= g->ctx.v[k] == t->h;
		if (dup)
			continue;
		if (u64_push(&g->ctx, t->h) < 0)
			return -1;
		uint64_t st;
		if (g->ctx.n < CTX_MAX && em_fp_stem_hash(b->key, text, t, &st)) {
			bool have = false;
			for (size_t k = 0; k < g->ctx.n; k++)
				have |= g->ctx.v[k] == st;
			if (!have && u64_push(&g->ctx, st) < 0)
				return -1;
		}
		if (g->nshown < CTX_SHOWN) {
			size_t used = strlen(g->shown), wl = t->end - t->off;
			if (used + wl + 2 < sizeof(g->shown)) {
				if (used)
					g->shown[used++] = ' ';
				memcpy(g->shown + used, text + t->off, wl);
				g->shown[used + wl] = '\0';
				g->nshown++;
			}
		}
	}
	return 0;
}

int em_fp_builder_add(struct em_fp_builder *b, const char *text, size_t len, bool published)
{
	uint64_t *h = NULL;
	size_t nk, pos = 0;
	struct em_figure f;
	int rc = -1;

	if (em_fp_tokenize(b->key, text, len, &b->toks) < 0)
		return -1;
	em_fp_mark_context(&b->toks, text, 0, b->toks.n);
	nk = b->toks.n >= b->k ? b->toks.n - b->k + 1 : 0;
	if ((h = calloc(nk + 1, sizeof(*h))) == NULL)
		return -1;
	for (size_t i = 0; i < nk; i++)
		h[i] = em_fp_kgram(&b->toks, i, b->k);
	if (published) {
		for (size_t i = 0; i < nk; i++)
			if (u64_push(&b->pub, h[i]) < 0)
				goto out;
	} else if (winnow(h, nk, b->w, &b->kept) < 0) {
		goto out;
	}
	while (em_figures_next(text, len, &pos, &f)) {
		if (published) {
			char form[EM_FIG_FORM_MAX];
			em_figures_form(&f, form);
			if (u64_push(&b->pubfig, em_siphash(b->key, form, strlen(form))) < 0)
				goto out;
		} else if (add_doc_figure(b, text, &f) < 0) {
			goto out;
		}
	}
	rc = 0;
out:
	free(h);
	return rc;
}

struct em_fp *em_fp_builder_finish(struct em_fp_builder *b, const char *built,
				   em_fp_report_fn report, void *ctx)
{
	struct em_fp *fp = calloc(1, sizeof(*fp));

	if (fp == NULL)
		return NULL;
	fp->version = EM_FP_VERSION;
	fp->k = b->k;
	fp->w = b->w;
	snprintf(fp->key_id, sizeof(fp->key_id), "%s", b->key_id);
	snprintf(fp->built, sizeof(fp->built), "%s", built);
	u64_sort_unique(b->pub.v, &b->pub.n);
	u64_sort_unique(b->pubfig.v, &b->pubfig.n);
	u64_sort_unique(b->kept.v, &b->kept.n);
	if ((fp->hashes = calloc(b->kept.n + 1, sizeof(*fp->hashes))) == NULL)
		goto fail;
	for (size_t i = 0; i < b->kept.n; i++) {
		if (u64_has(b->pub.v, b->pub.n, b->kept.v[i]))
			fp->public_passages++;
		else
			fp->hashes[fp->nhashes++] = b->kept.v[i];
	}
	if ((fp->figs = calloc(b->nfigs + 1, sizeof(*fp->figs))) == NULL)
		goto fail;
	for (size_t i = 0; i < b->nfigs; i++) {
		struct bfig *g = &b->figs[i];
		struct em_figure f;
		char forms[EM_FIG_FORMS_MAX][EM_FIG_FORM_MAX];
		char why[8];
		uint64_t exact = em_siphash(b->key, g->form, strlen(g->form));

		if (u64_has(b->pubfig.v, b->pubfig.n, exact)) {
			fp->public_figures++;
			if (report)
				report(ctx, g->written, NULL, false);
			continue;
		}
		if (em_figures_parse(g->written, &f, why, sizeof(why)) != 0)
			continue; /* cannot happen: the scanner found it */
		size_t nf = em_figures_forms(&f, forms);
		struct em_fp_fig *d = &fp->figs[fp->nfigs];
		d->forms = calloc(nf, sizeof(*d->forms));
		d->ctx = calloc(g->ctx.n + 1, sizeof(*d->ctx));
		if (d->forms == NULL || d->ctx == NULL) {
			free(d->forms);
			free(d->ctx);
			goto fail;
		}
		for (size_t k = 0; k < nf; k++)
			d->forms[k] = em_siphash(b->key, forms[k], strlen(forms[k]));
		d->nforms = nf;
		memcpy(d->ctx, g->ctx.v, g->ctx.n * sizeof(*d->ctx));
		d->nctx = g->ctx.n;
		u64_sort_unique(d->ctx, &d->nctx);
		fp->nfigs++;
		if (report)
			report(ctx, g->written, g->shown, true);
	}
	if ((fp->sources = calloc(b->nsources + 1, sizeof(*fp->sources))) == NULL)
		goto fail;
	for (size_t i = 0; i < b->nsources; i++) {
		if ((fp->sources[i] = strdup(b->sources[i])) == NULL)
			goto fail;
		fp->nsources++;
	}
	return fp;
fail:
	em_fp_free(fp);
	return NULL;
}

/* ---- the index -------------------------------------------------------------- */

struct pentry {
	uint64_t h;
	uint32_t rel;
};

struct fentry {
	uint64_t h;
	uint32_t fig;
};

struct ifig {
	unsigned rel;
	uint64_t canon; /* hash of the figure as written (its first form) */
	uint64_t *ctx;	/* sorted */
	size_t nctx;
};

struct em_fp_index {
	unsigned nrel, k;
	struct pentry *p;
	size_t np, pcap;
	struct fentry *f;
	size_t nf, fcap;
	struct ifig *figs;
	size_t nfigs, figcap;
	uint64_t *filter; /* 2^FILTER_BITS bits: a passage hash may be present */
	/* where each run of equal top bits starts in p and f (see dir_build) */
	uint32_t *pdir, *fdir;
	unsigned pbits, fbits;
	size_t *rel_passages, *rel_figures;
	/* a release with a winnowed document (w > 1: only some of its k-grams
	 * kept) cannot tell a run's true length: any hit is an excerpt */
	bool *rel_winnowed;
	unsigned min_words; /* excerpt_words: the shortest run that is an excerpt */
};

struct em_fp_index *em_fp_index_new(unsigned nrel)
{
	struct em_fp_index *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->nrel = nrel;
	x->rel_passages = calloc(nrel + 1, sizeof(size_t));
	x->rel_figures = calloc(nrel + 1, sizeof(size_t));
	x->rel_winnowed = calloc(nrel + 1, sizeof(bool));
	if (!x->rel_passages || !x->rel_figures || !x->rel_winnowed) {
		em_fp_index_free(x);
		return NULL;
	}
	return x;
}

void em_fp_index_free(struct em_fp_index *x)
{
	if (x == NULL)
		return;
	free(x->p);
	free(x->f);
	for (size_t i = 0; i < x->nfigs; i++)
		free(x->figs[i].ctx);
	free(x->figs);
	free(x->filter);
	free(x->pdir);
	free(x->fdir);
	free(x->rel_passages);
	free(x->rel_figures);
	free(x->rel_winnowed);
	free(x);
}

int em_fp_index_add_figure(struct em_fp_index *x, unsigned rel, const uint64_t *forms,
			   size_t nforms, const uint64_t *ctx, size_t nctx)
{
	if (nforms == 0)
		return 0;
	/* the same figure twice for one release (written by hand and found in
	 * the document): one figure with both sets of context words, or one
	 * figure in mail would count as two */
	for (size_t i = 0; i < x->nfigs; i++) {
		struct ifig *d = &x->figs[i];
		uint64_t *v;

		if (d->rel != rel || d->canon != forms[0])
			continue;
		if ((v = realloc(d->ctx, (d->nctx + nctx + 1) * sizeof(*v))) == NULL)
			return -1;
		d->ctx = v;
		if (nctx)
			memcpy(v + d->nctx, ctx, nctx * sizeof(*ctx));
		d->nctx += nctx;
		u64_sort_unique(d->ctx, &d->nctx);
		return 0;
	}
	if (x->nfigs == x->figcap) {
		size_t cap = x->figcap ? x->figcap * 2 : 16;
		void *v = realloc(x->figs, cap * sizeof(*x->figs));
		if (v == NULL)
			return -1;
		x->figs = v;
		x->figcap = cap;
	}
	if (x->nf + nforms > x->fcap) {
		size_t cap = (x->fcap + nforms) * 2;
		void *v = realloc(x->f, cap * sizeof(*x->f));
		if (v == NULL)
			return -1;
		x->f = v;
		x->fcap = cap;
	}
	struct ifig *g = &x->figs[x->nfigs];
	g->rel = rel;
	g->canon = forms[0];
	g->nctx = nctx;
	if ((g->ctx = calloc(nctx + 1, sizeof(*g->ctx))) == NULL)
		return -1;
	if (nctx)
		memcpy(g->ctx, ctx, nctx * sizeof(*ctx));
	u64_sort_unique(g->ctx, &g->nctx);
	for (size_t i = 0; i < nforms; i++) {
		x->f[x->nf].h = forms[i];
		x->f[x->nf].fig = (uint32_t)x->nfigs;
		x->nf++;
	}
	x->nfigs++;
	x->rel_figures[rel]++;
	return 0;
}

int em_fp_index_add(struct em_fp_index *x, unsigned rel, const struct em_fp *fp)
{
	if (fp->nhashes) {
		if (x->k && x->k != fp->k)
			return -2;
		x->k = fp->k;
		if (fp->w > 1)
			x->rel_winnowed[rel] = true;
	}
	if (x->np + fp->nhashes > x->pcap) {
		size_t cap = (x->np + fp->nhashes) * 2;
		void *v = realloc(x->p, cap * sizeof(*x->p));
		if (v == NULL)
			return -1;
		x->p = v;
		x->pcap = cap;
	}
	for (size_t i = 0; i < fp->nhashes; i++) {
		x->p[x->np].h = fp->hashes[i];
		x->p[x->np].rel = rel;
		x->np++;
	}
	x->rel_passages[rel] += fp->nhashes;
	for (size_t i = 0; i < fp->nfigs; i++)
		if (em_fp_index_add_figure(x, rel, fp->figs[i].forms, fp->figs[i].nforms,
					   fp->figs[i].ctx, fp->figs[i].nctx) < 0)
			return -1;
	return 0;
}

static int cmp_pentry(const void *a, const void *b)
{
	const struct pentry *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return (x->rel > y->rel) - (x->rel < y->rel);
}

static int cmp_fentry(const void *a, const void *b)
{
	const struct fentry *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return (x->fig > y->fig) - (x->fig < y->fig);
}

/*
 * A directory over a sorted hash table: dir[b] is the first entry whose top
 * *bits bits are >= b, so the entries with prefix b are dir[b]..dir[b + 1].
 * About one entry per prefix: a lookup reads the directory and a cache line
 * or two of the table, where a binary search over the whole table missed the
 * cache at each of its ~19 steps (a third of matching time on `make bench`).
 * h(i) is the hash of entry i. NULL when out of memory.
 */
static uint32_t *dir_build(size_t n, uint64_t (*h)(const void *, size_t), const void *tab,
			   unsigned *bits)
{
	unsigned b = 8;
	uint32_t *dir;

	while (b < 22 && ((size_t)1 << b) < n)
		b++;
	if ((dir = malloc((((size_t)1 << b) + 1) * sizeof(*dir))) == NULL)
		return NULL;
	size_t e = 0;
	for (size_t d = 0; d <= ((size_t)1 << b); d++) {
		while (e < n && (h(tab, e) >> (64 - b)) < d)
			e++;
		dir[d] = (uint32_t)e;
	}
	*bits = b;
	return dir;
}

static uint64_t ph(const void *tab, size_t i)
{
	return ((const struct pentry *)tab)[i].h;
}

static uint64_t fh(const void *tab, size_t i)
{
	return ((const struct fentry *)tab)[i].h;
}

int em_fp_index_finish(struct em_fp_index *x)
{
	if (x->np > UINT32_MAX || x->nf > UINT32_MAX)
		return -1;
	if (x->np)
		qsort(x->p, x->np, sizeof(*x->p), cmp_pentry);
	if (x->nf)
		qsort(x->f, x->nf, sizeof(*x->f), cmp_fentry);
	if ((x->pdir = dir_build(x->np, ph, x->p, &x->pbits)) == NULL ||
	    (x->fdir = dir_build(x->nf, fh, x->f, &x->fbits)) == NULL)
		return -1;
	if (x->np) {
		x->filter = calloc((1u << FILTER_BITS) / 64, sizeof(uint64_t));
		if (x->filter == NULL)
			return -1;
		for (size_t i = 0; i < x->np; i++) {
			x->filter[filter_word(x->p[i].h)] |= filter_mask(x->p[i].h);
		}
	}
	return 0;
}

bool em_fp_index_empty(const struct em_fp_index *x)
{
	return x == NULL || (x->np == 0 && x->nf == 0);
}

void em_fp_index_counts(const struct em_fp_index *x, unsigned rel, size_t *passages,
			size_t *figures)
{
	*passages = x && rel < x->nrel ? x->rel_passages[rel] : 0;
	*figures = x && rel < x->nrel ? x->rel_figures[rel] : 0;
}

void em_fp_index_min_words(struct em_fp_index *x, unsigned words)
{
	x->min_words = words;
}

bool em_fp_index_winnowed(const struct em_fp_index *x, unsigned rel)
{
	return rel < x->nrel && x->rel_winnowed[rel];
}

/* First entry with hash h (or the end): the binary search within h's
 * directory range, or over the whole table when reference (tests). */
static size_t plower_in(const struct em_fp_index *x, uint64_t h, bool reference)
{
	size_t lo = 0, hi = x->np;

	if (!reference && x->pdir) {
		size_t d = (size_t)(h >> (64 - x->pbits));
		lo = x->pdir[d];
		hi = x->pdir[d + 1];
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->p[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t plower(const struct em_fp_index *x, uint64_t h)
{
	return plower_in(x, h, tokcache_off);
}

static size_t flower_in(const struct em_fp_index *x, uint64_t h, bool reference)
{
	size_t lo = 0, hi = x->nf;

	if (!reference && x->fdir) {
		size_t d = (size_t)(h >> (64 - x->fbits));
		lo = x->fdir[d];
		hi = x->fdir[d + 1];
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->f[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t flower(const struct em_fp_index *x, uint64_t h)
{
	return flower_in(x, h, tokcache_off);
}

size_t em_fp_index_lower(const struct em_fp_index *x, uint64_t h, bool figures, bool reference)
{
	return figures ? flower_in(x, h, reference) : plower_in(x, h, reference);
}

/* ---- hits ----------------------------------------------------------------- */

#define CTX_SEEN 8

struct rel_hits {
	unsigned best_words; /* longest run of words found */
	char *excerpt, *excerpt_where;
	struct em_buf figtext;
	char *fig_where;
	size_t nfigs;
	bool count_or_rate;	     /* a figure found is not a percentage */
	uint64_t ctx_seen[CTX_SEEN]; /* distinct context words found near figures */
	size_t nctx_seen;
	/* the sentence of the last figure counted: its text (em_fp_hits.ntext)
	 * and the byte after its last word, for a figure in the next sentence */
	size_t chain_text, chain_end;
	/* the mail figure counted last (text, byte offset): a figure that may
	 * stand for two release figures ("43,000" for 42,850 and 43,100)
	 * counts once */
	size_t counted_text, counted_off;
	/* a counted figure was a count or rate of 3+ significant digits written
	 * as the release has it (not a rounding): "8,730", not "5,000" */
	bool exact_count;
};

/* The window of the text em_fp_scan is at: h->toks holds the text's tokens
 * base.. ; windows and figure starts from .. to (local) are this window's,
 * or from .. the last token when end (the text is all tokenized). */
struct em_fp_seg {
	size_t base, from, to;
	bool end;
};

struct em_fp_hits {
	const struct em_fp_index *x;
	size_t last;   /* the last winnowing pick, a token number of the text */
	size_t figpos; /* figures start at or after this byte */
	size_t ntext;  /* texts scanned so far: names the text a chain is in */
	struct rel_hits *rel;
	bool *fig_seen; /* per index figure */
	struct em_fp_toks toks;
	uint64_t *kg;
	size_t kgcap;
};

struct em_fp_hits *em_fp_hits_new(const struct em_fp_index *x)
{
	struct em_fp_hits *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	h->x = x;
	h->rel = calloc(x->nrel + 1, sizeof(*h->rel));
	h->fig_seen = calloc(x->nfigs + 1, sizeof(bool));
	if (!h->rel || !h->fig_seen) {
		em_fp_hits_free(h);
		return NULL;
	}
	return h;
}

void em_fp_hits_free(struct em_fp_hits *h)
{
	if (h == NULL)
		return;
	for (unsigned i = 0; h->rel && i < h->x->nrel; i++) {
		free(h->rel[i].excerpt);
		free(h->rel[i].excerpt_where);
		em_buf_free(&h->rel[i].figtext);
		free(h->rel[i].fig_where);
	}
	free(h->rel);
	free(h->fig_seen);
	em_fp_toks_free(&h->toks);
	free(h->kg);
	free(h);
}

static char *clip(const char *s, size_t n)
{
	if (n > EVIDENCE_MAX) {
		n = EVIDENCE_MAX;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return strndup(s, n);
}

static bool passage_has(const struct em_fp_index *x, uint64_t h, unsigned rel)
{
	uint64_t m = filter_mask(h);

	if ((x->filter[filter_word(h)] & m) != m)
		return false;
	for (size_t i = plower(x, h); i < x->np && x->p[i].h == h; i++)
		if (x->p[i].rel == rel)
			return true;
	return false;
}

/*
 * Passages: the mail is winnowed like the documents (same k and w), so any
 * run of k + w - 1 shared words gives at least one shared selected hash
 * (SWA 2003, section 4): only the selected k-grams are looked up, with the
 * filter words prefetched ahead (the lookups are memory-bound). A hit is
 * extended over the following k-grams of the same release for the evidence.
 */
static int scan_passages(const struct em_fp_index *x, const char *text, const char *where,
			 struct em_fp_hits *h, const struct em_fp_seg *g)
{
	const struct em_fp_toks *t = &h->toks;
	unsigned k = x->k, w = EM_FP_W_DEFAULT;
	size_t nk, nsel = 0;

	if (x->np == 0 || k == 0 || t->n < k)
		return 0;
	nk = t->n - k + 1;
	if (nk * 2 > h->kgcap) {
		void *v = realloc(h->kg, nk * 2 * sizeof(*h->kg));
		if (v == NULL)
			return -1;
		h->kg = v;
		h->kgcap = nk * 2;
	}
	uint64_t *kg = h->kg, *sel = h->kg + nk;
	if (k == 6 && !tokcache_off) /* the default, unrolled: k-grams overlap in the pipeline */
		for (size_t i = 0; i < nk; i++) {
			const struct em_fp_tok *v = t->v + i;
			uint64_t c = 0x9e3779b97f4a7c15ULL;
			c = kmix(c, v[0].h);
			c = kmix(c, v[1].h);
			c = kmix(c, v[2].h);
			c = kmix(c, v[3].h);
			c = kmix(c, v[4].h);
			kg[i] = kmix(c, v[5].h);
		}
	else
		for (size_t i = 0; i < nk; i++)
			kg[i] = em_fp_kgram(t, i, k);
	if (nk < w && g->base == 0)
		w = (unsigned)nk; /* the whole text is shorter than one window */
	/* windows starting at local g->from .. g->to (to the text's end when
	 * g->end); h->last is the last pick, as a token number of the text */
	for (size_t i = g->from; g->end ? i + w <= nk : i < g->to; i++) {
		size_t m = i, last = h->last;
		if (last != SIZE_MAX && last >= g->base + i && !tokcache_off) {
			/* the last pick (the rightmost minimum of the previous window)
			 * is still inside: only the k-gram that came in can beat it */
			last -= g->base;
			m = kg[i + w - 1] <= kg[last] ? i + w - 1 : last;
		} else {
			for (size_t j = i + 1; j < i + w; j++)
				if (kg[j] <= kg[m])
					m = j;
		}
		if (m + g->base != h->last)
			sel[nsel++] = m;
		h->last = m + g->base;
	}
	for (size_t s = 0; s < nsel; s++) {
		if (s + 16 < nsel)
			__builtin_prefetch(&x->filter[filter_word(kg[sel[s + 16]])]);
		size_t i = sel[s];
		uint64_t g = kg[i];
		uint64_t fm = filter_mask(g);
		if ((x->filter[filter_word(g)] & fm) != fm)
			continue;
		for (size_t e = plower(x, g); e < x->np && x->p[e].h == g; e++) {
			unsigned rel = x->p[e].rel;
			struct rel_hits *r = &h->rel[rel];
			size_t j = i, lastj = i, firstj = i;
			while (j + 1 < nk && j + 1 < i + 64) {
				j++;
				if (passage_has(x, kg[j], rel))
					lastj = j;
				else if (j - lastj >= x->k)
					break;
			}
			/* back to where the run starts: the mail's pick may be any
			 * k-gram of its window (MAIL_WINDOW: within what the
			 * window keeps before it, so both paths see the same) */
			for (j = i; j > 0 && i - (j - 1) <= MAIL_WINDOW;) {
				j--;
				if (passage_has(x, kg[j], rel))
					firstj = j;
				else if (firstj - j >= x->k)
					break;
			}
			unsigned words = (unsigned)(lastj - firstj + k);
			if (words > r->best_words) {
				char *ex = clip(text + t->v[firstj].off,
						t->v[lastj + k - 1].end - t->v[firstj].off);
				char *wh = strdup(where);
				if (!ex || !wh) {
					free(ex);
					free(wh);
					return -1;
				}
				free(r->excerpt);
				free(r->excerpt_where);
				r->excerpt = ex;
				r->excerpt_where = wh;
				r->best_words = words;
			}
		}
	}
	return 0;
}

static int scan_one_figure(const struct em_fp_index *x, const uint8_t key[EM_FP_KEY_BYTES],
			   const char *text, const char *where, struct em_fp_hits *h,
			   const struct em_figure *fp);

static int scan_figures(const struct em_fp_index *x, const uint8_t key[EM_FP_KEY_BYTES],
			const char *text, size_t len, const char *where, struct em_fp_hits *h,
			const struct em_fp_seg *g)
{
	struct em_figure f;
	size_t pos = h->figpos;

	if (x->nf == 0)
		return 0;
	/* Figures start only at word starts: walk the tokens (already made
	 * for the passages) instead of every byte. Inside a number token
	 * ("1234,567") a start may follow its ',' or '.' too. */
	for (size_t tn = g->from; tn < (g->end ? h->toks.n : g->to); tn++) {
		size_t c0 = h->toks.v[tn].off, c1 = h->toks.v[tn].end;
		if (c0 < pos && c1 <= pos)
			continue;
		if (!is_digit((unsigned char)text[c0])) {
			/* a word: only a number word can start a figure (maynum false:
			 * em_figures_at would say no here and move pos no further
			 * than this token's end, so skipping it changes nothing) */
			if (!h->toks.v[tn].maynum ||
			    !em_figures_word_may_be_number(text + c0, c1 - c0))
				continue;
			c1 = c0 + 1;
		}
		for (size_t c = c0 < pos ? pos : c0; c < c1; c++) {
			if (c != c0 && text[c - 1] != ',' && text[c - 1] != '.')
				continue;
			if (c < pos || !em_figures_at(text, len, c, &f, &pos))
				continue;
			if (scan_one_figure(x, key, text, where, h, &f) < 0)
				return -1;
		}
	}
	h->figpos = pos;
	return 0;
}

static int scan_one_figure(const struct em_fp_index *x, const uint8_t key[EM_FP_KEY_BYTES],
			   const char *text, const char *where, struct em_fp_hits *h,
			   const struct em_figure *fp)
{
	struct em_figure f = *fp;
	{
		char form[EM_FIG_FORM_MAX];
		em_figures_form(&f, form);
		uint64_t fh = em_siphash(key, form, strlen(form));
		size_t e0 = flower(x, fh);
		if (e0 >= x->nf || x->f[e0].h != fh)
			return 0; /* no release has it: the context is never looked at */
		size_t ti = tok_at(&h->toks, f.off), a, b;
		if (ti >= h->toks.n)
			return 0;
		/* near: in the same sentence of the mail, at most MAIL_WINDOW words away */
		sentence_of(text, &h->toks, ti, &a, &b, MAIL_WINDOW);
		em_fp_mark_context(&h->toks, text, a, b);
		for (size_t e = e0; e < x->nf && x->f[e].h == fh; e++) {
			uint32_t fig = x->f[e].fig;
			const struct ifig *g = &x->figs[fig];
			struct rel_hits *r = &h->rel[g->rel];
			bool near = false;
			if (h->fig_seen[fig] || (r->counted_text == h->ntext && r->counted_off == f.off))
				continue; /* one mail figure is one figure, whatever it rounds */
			for (size_t i = a; i < b; i++) {
				const struct em_fp_tok *t = &h->toks.v[i];
				uint64_t st, word;
				if (!t->context || (t->off >= f.off && t->end <= f.end))
					continue;
				/* the word, or its stem: "foster" for "fostering" */
				bool stem = em_fp_stem_hash(key, text, t, &st);
				if (!u64_has(g->ctx, g->nctx, t->h) &&
				    !(stem && u64_has(g->ctx, g->nctx, st)))
					continue;
				near = true;
				word = stem ? st : t->h; /* one word however inflected */
				bool dup = false;
				for (size_t c = 0; c < r->nctx_seen; c++)
					dup |= r->ctx_seen[c] == word;
				if (!dup && r->nctx_seen < CTX_SEEN)
					r->ctx_seen[r->nctx_seen++] = word;
			}
			/* A figure in the sentence right after one counted for the
			 * same release continues it ("Fostering households fell 3.2
			 * per cent. Total now 42,850."): a reader takes the second
			 * figure with the first's words. Counted figures still need
			 * two context words between them (em_fp_hits_figures). */
			if (!near && r->chain_text == h->ntext && a > 0 &&
			    h->toks.v[a - 1].end == r->chain_end)
				near = true;
			if (!near)
				continue;
			r->chain_text = h->ntext;
			r->chain_end = h->toks.v[b - 1].end;
			r->counted_text = h->ntext;
			r->counted_off = f.off;
			r->exact_count |= fh == g->canon && f.kind != EM_FIG_PERCENT && f.sig >= 3;
			h->fig_seen[fig] = true;
			r->count_or_rate |= f.kind != EM_FIG_PERCENT;
			int bad = 0;
			if (r->figtext.len == 0 ||
			    !memmem(r->figtext.data, r->figtext.len, text + f.off, f.end - f.off)) {
				if (r->figtext.len)
					bad |= em_buf_puts(&r->figtext, "; ");
				bad |= em_buf_append(&r->figtext, text + f.off,
						     f.end - f.off > 60 ? 60 : f.end - f.off);
			}
			if (r->fig_where == NULL && (r->fig_where = strdup(where)) == NULL)
				bad = -1;
			if (bad)
				return -1;
			r->nfigs++;
		}
	}
	return 0;
}

void em_fp_window(size_t tokens)
{
	window_tokens = tokens ? tokens : WINDOW_TOKENS;
}

/*
 * The text is read in windows of window_tokens tokens, so the token and
 * k-gram arrays stay a few hundred kilobytes (in the caches) whatever the
 * size of the part, instead of 24 + 16 bytes a word for the whole part.
 * Each window also holds the tokens its work looks at beyond it: after it,
 * a passage hit's extension (64 k-grams), the winnowing window and a
 * figure's sentence (MAIL_WINDOW words); before it, a figure's sentence.
 * Windows, picks and figure starts are taken in the text's order, so the
 * hits are those of one pass over the whole text (em_fp_reference, tests).
 */
int em_fp_scan(const struct em_fp_index *x, const uint8_t key[EM_FP_KEY_BYTES], const char *text,
	       size_t len, const char *where, struct em_fp_hits *h)
{
	size_t after = 64 + (size_t)x->k + EM_FP_W_DEFAULT + MAIL_WINDOW + 2;
	size_t before = MAIL_WINDOW + 1, at = 0;
	struct em_fp_seg g = {0};

	if (em_fp_index_empty(x) || len == 0)
		return 0;
	h->ntext++;
	h->last = SIZE_MAX;
	h->figpos = 0;
	h->toks.n = 0;
	if (tokcache_off) { /* the reference: the whole text at once */
		if (em_fp_tokenize(key, text, len, &h->toks) < 0)
			return -1;
		g.end = true;
		if (scan_passages(x, text, where, h, &g) < 0)
			return -1;
		return scan_figures(x, key, text, len, where, h, &g);
	}
	for (;;) {
		if (tokenize_upto(key, text, len, &at, &h->toks, g.from + window_tokens + after) <
		    0)
			return -1;
		g.end = at >= len;
		g.to = g.end ? h->toks.n : h->toks.n - after;
		if (scan_passages(x, text, where, h, &g) < 0 ||
		    scan_figures(x, key, text, len, where, h, &g) < 0)
			return -1;
		if (g.end)
			return 0;
		/* keep the tokens the next window looks back at */
		size_t drop = g.to > before ? g.to - before : 0;
		memmove(h->toks.v, h->toks.v + drop, (h->toks.n - drop) * sizeof(*h->toks.v));
		h->toks.n -= drop;
		g.base += drop;
		g.from = g.to - drop;
	}
}

bool em_fp_hits_excerpt(const struct em_fp_hits *h, unsigned rel, const char **text,
			const char **where, unsigned *words)
{
	if (h == NULL || rel >= h->x->nrel || h->rel[rel].best_words == 0 ||
	    (!h->x->rel_winnowed[rel] && h->rel[rel].best_words < h->x->min_words))
		return false;
	*text = h->rel[rel].excerpt;
	*where = h->rel[rel].excerpt_where;
	*words = h->rel[rel].best_words;
	return true;
}

bool em_fp_hits_finding(const struct em_fp_hits *h, unsigned rel)
{
	return h != NULL && rel < h->x->nrel && h->rel[rel].exact_count &&
	       h->rel[rel].nctx_seen >= 2;
}

size_t em_fp_hits_figures(const struct em_fp_hits *h, unsigned rel, const char **text,
			  const char **where)
{
	const struct rel_hits *r;

	if (h == NULL || rel >= h->x->nrel)
		return 0;
	r = &h->rel[rel];
	*text = r->figtext.data ? r->figtext.data : "";
	*where = r->fig_where ? r->fig_where : "";
	/* percentages alone, or figures near one word alone, are too common */
	if (r->nfigs > 1 && (!r->count_or_rate || r->nctx_seen < 2))
		return 1;
	return r->nfigs;
}
