/*
 * em_rules - compiles a configuration into an immutable rule set.
 *
 * Every marker, identifier and content pattern becomes a PCRE2 regex (the
 * rule language and the final word) and, where Vectorscan can express it, an
 * entry of one multi-pattern database used as a prefilter: one pass over the
 * text finds which few regexes can match, and only those run. A pattern
 * Vectorscan refuses is simply confirmed on every text (correct, slower).
 * Literals are normalized exactly like message text (em_norm_append), so
 * "Official–Sensitive" written in a rule matches "OFFICIAL-SENSITIVE" mail.
 * Depends on pcre2, vectorscan, utf8proc and the core's text normalizer.
 */
#include "em_rules_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "em_buf.h"
#include "em_figures.h"
#include "em_fprint.h"
#include "em_text.h"

#define RX_FLAGS (PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP)

/*
 * A regex as written, folded like text except for case (the regex is
 * caseless, and folding case would turn \S into \s): NFKC, dashes to '-',
 * space separators to ' ', format characters dropped. Caller frees.
 */
static char *regex_normalize(const char *src)
{
	utf8proc_uint8_t *nfkc = NULL;
	struct em_buf out = EM_BUF_INIT;
	utf8proc_ssize_t n, i = 0;

	n = utf8proc_map((const utf8proc_uint8_t *)src, 0, &nfkc,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
	if (n < 0)
		return strdup(src);	/* invalid UTF-8: PCRE2 will say so */
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(nfkc + i, n - i, &cp);
		if (k <= 0)
			break;
		utf8proc_category_t cat = utf8proc_category(cp);
		int r = 0;
		if (cp < 0x80)
			r = em_buf_append(&out, nfkc + i, (size_t)k);
		else if (cat == UTF8PROC_CATEGORY_PD || cp == 0x2212)
			r = em_buf_putc(&out, '-');
		else if (cat == UTF8PROC_CATEGORY_ZS)
			r = em_buf_putc(&out, ' ');
		else if (cat != UTF8PROC_CATEGORY_CF)
			r = em_buf_append(&out, nfkc + i, (size_t)k);
		if (r < 0) {
			free(nfkc);
			em_buf_free(&out);
			return NULL;
		}
		i += k;
	}
	free(nfkc);
	return em_buf_steal(&out);
}

/*
 * The prefilter copy of a marker/content expression, lower-cased.
 *
 * Vectorscan 5.4.9 (Debian 12) misses some HS_FLAG_CASELESS|HS_FLAG_UTF8
 * prefilter matches depending on the alignment of the scanned buffer
 * (tests/vectorscan/repro-prefilter-alignment.c: 8 of 32 offsets miss). The
 * text we scan is already case-folded (em_norm_append), so the prefilter does
 * not need CASELESS: the expression's letters are lower-cased instead and it
 * is compiled without the flag. PCRE2 still confirms every candidate caseless,
 * so a lower-cased prefilter can only be wider, never narrower, than needed.
 * Escapes (\S \W \D \B \p{..} \x{..} \k<..>), named groups and POSIX
 * class names are copied as written. *risky is set when the expression names
 * a case class lower-casing cannot carry ([:upper:], \p{Lu}, ...): such a
 * pattern is confirmed on every text instead. Returns a malloc'd string (the
 * caller owns it), or NULL when out of memory.
 */
static char *hs_lowercase(const char *rx, bool *risky)
{
	struct em_buf out = EM_BUF_INIT;
	const unsigned char *p = (const unsigned char *)rx;
	int rc = 0;

	*risky = strstr(rx, ":upper:") || strstr(rx, ":lower:") || strstr(rx, "{Lu") ||
		 strstr(rx, "{Ll") || strstr(rx, "{Lt") || strstr(rx, "{L&") || strstr(rx, "\\pL") ||
		 strstr(rx, "(?-i") || strstr(rx, "(?c");
	while (*p && rc == 0) {
		if (*p == '\\' && p[1]) {
			const unsigned char *q = p + 2;
			char close = 0;
			if (strchr("pPxNogk", p[1]) && (*q == '{' || *q == '<'))
				close = *q == '{' ? '}' : '>';
			else if (p[1] == 'c' && *q)
				q++;
			if (close) {
				while (*q && *q != (unsigned char)close)
					q++;
				if (*q)
					q++;
			}
			rc = em_buf_append(&out, p, (size_t)(q - p));
			p = q;
		} else if (*p == '(' && p[1] == '?' && (p[2] == '<' || p[2] == '\'' || p[2] == 'P') &&
			   p[3] != '=' && p[3] != '!') {
			const unsigned char *q = p + 3;	/* a group name: as written */
			while (*q && *q != '>' && *q != '\'' && *q != '=' && *q != ')')
				q++;
			rc = em_buf_append(&out, p, (size_t)(q - p));
			p = q;
		} else if (*p == '[' && p[1] == ':') {
			const unsigned char *q = p + 2;	/* [:alpha:] names as written */
			while (*q && *q != ']')
				q++;
			rc = em_buf_append(&out, p, (size_t)(q - p));
			p = q;
		} else if (*p < 0x80) {
			rc = em_buf_putc(&out, (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p));
			p++;
		} else {
			utf8proc_int32_t cp;
			utf8proc_uint8_t enc[4];
			utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
			if (k <= 0) {
				rc = em_buf_putc(&out, (char)*p);
				p++;
				continue;
			}
			rc = em_buf_append(&out, enc, (size_t)utf8proc_encode_char(utf8proc_tolower(cp), enc));
			p += k;
		}
	}
	if (rc < 0) {
		em_buf_free(&out);
		return NULL;
	}
	return em_buf_steal(&out);
}

static bool is_word_start(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

/* The last character of s[0..n) is a letter or digit (or non-ASCII)? */
static bool is_word_end(const char *s, size_t n)
{
	return n && is_word_start(s + n - 1);
}

/*
 * An identifier as a PCRE2 regex: its normalized literal, quoted, held to
 * word boundaries, and as a Vectorscan literal (bytes hex-escaped).
 */
static int identifier_regexes(const char *lit, char **rx, char **hsx)
{
	struct em_buf r = EM_BUF_INIT, h = EM_BUF_INIT;
	size_t n = strlen(lit);
	int bad = 0;

	if (is_word_start(lit))
		bad |= em_buf_puts(&r, "(?<![\\p{L}\\p{N}])");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)lit[i];
		char hex[8];
		if (c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == ' '))
			bad |= em_buf_putc(&r, '\\');
		bad |= em_buf_putc(&r, c);
		snprintf(hex, sizeof(hex), "\\x%02x", c);
		bad |= em_buf_puts(&h, hex);
	}
	if (is_word_end(lit, n))
		bad |= em_buf_puts(&r, "(?![\\p{L}\\p{N}])");
	if (bad) {
		em_buf_free(&r);
		em_buf_free(&h);
		return -1;
	}
	*rx = em_buf_steal(&r);
	*hsx = em_buf_steal(&h);
	return 0;
}

struct build {
	struct em_rules *r;
	struct em_errors *errs;
	char **hs_expr;		/* per pattern, NULL when not prefiltered */
	unsigned *hs_flags;
	size_t cap;
	bool nomem;
};

static int add_pattern(struct build *b, enum em_ev_kind kind, int release,
		       const struct em_src_str *src)
{
	struct em_rules *r = b->r;
	struct em_pattern *p;
	char *rx = NULL, *hsx = NULL;
	int errcode;
	PCRE2_SIZE erroff;
	unsigned flags;

	if (r->npat == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		void *a = realloc(r->pat, cap * sizeof(*r->pat));
		if (a)
			r->pat = a;
		void *e = realloc(b->hs_expr, cap * sizeof(*b->hs_expr));
		if (e)
			b->hs_expr = e;
		void *f = realloc(b->hs_flags, cap * sizeof(*b->hs_flags));
		if (f)
			b->hs_flags = f;
		if (!a || !e || !f)
			return -1;
		b->cap = cap;
	}
	if (kind == EM_EV_IDENTIFIER || kind == EM_EV_LINK) {
		struct em_buf norm = EM_BUF_INIT;
		if (em_norm_append(src->s, strlen(src->s), &norm) < 0)
			return -1;
		while (norm.len && norm.data[norm.len - 1] == ' ')
			norm.data[--norm.len] = '\0';
		if (norm.len == 0) {
			em_errors_add(b->errs, src->file, src->line,
				      "identifier \"%s\" is empty once normalized", src->s);
			em_buf_free(&norm);
			return 0;
		}
		int rc = identifier_regexes(norm.data, &rx, &hsx);
		em_buf_free(&norm);
		if (rc < 0)
			return -1;
		flags = HS_FLAG_SINGLEMATCH;
	} else {
		bool risky = false;
		rx = regex_normalize(src->s);
		hsx = rx ? hs_lowercase(rx, &risky) : NULL;
		if (rx == NULL || hsx == NULL) {
			free(rx);
			free(hsx);
			return -1;
		}
		/* no CASELESS: see hs_lowercase; 0 = confirm on every text */
		flags = risky ? 0
			      : HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH;
	}
	p = &r->pat[r->npat];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->release = release;
	p->source = src->s;
	p->code = pcre2_compile((PCRE2_SPTR)rx, PCRE2_ZERO_TERMINATED, RX_FLAGS, &errcode, &erroff,
				NULL);
	if (p->code == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		em_errors_add(b->errs, src->file, src->line, "%s \"%s\": %s at offset %zu",
			      em_ev_kind_name(kind), src->s, (char *)msg, (size_t)erroff);
		free(rx);
		free(hsx);
		return 0;
	}
	free(rx);
	(void)pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);	/* interpreter if JIT refuses */
	{
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(p->code, NULL);
		if (md == NULL) {
			pcre2_code_free(p->code);
			free(hsx);
			return -1;
		}
		if (pcre2_match(p->code, (PCRE2_SPTR) "", 0, 0, 0, md, NULL) >= 0) {
			em_errors_add(b->errs, src->file, src->line,
				      "%s \"%s\" matches empty text: it would match every message",
				      em_ev_kind_name(kind), src->s);
			pcre2_match_data_free(md);
			pcre2_code_free(p->code);
			free(hsx);
			return 0;
		}
		pcre2_match_data_free(md);
	}
	b->hs_expr[r->npat] = hsx;
	b->hs_flags[r->npat] = flags;
	r->npat++;
	return 0;
}

static int add_list(struct build *b, enum em_ev_kind kind, int release, const struct em_src_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (add_pattern(b, kind, release, &l->v[i]) < 0)
			return -1;
	return 0;
}

/*
 * Builds the prefilter database from every pattern Vectorscan accepts; the
 * ones it refuses are confirmed on every text instead. With a cache, the
 * candidates (every pattern with prefilter flags, in order) are its key.
 */
static int build_database(struct build *b, const struct em_rules_dbcache *cache)
{
	struct em_rules *r = b->r;
	const char **expr = calloc(r->npat + 1, sizeof(*expr));
	unsigned *flags = calloc(r->npat + 1, sizeof(*flags));
	unsigned *ids = calloc(r->npat + 1, sizeof(*ids));
	bool *in = calloc(r->npat + 1, sizeof(*in));
	const char **cexpr = calloc(r->npat + 1, sizeof(*cexpr));
	unsigned *cflags = calloc(r->npat + 1, sizeof(*cflags));
	unsigned *cids = calloc(r->npat + 1, sizeof(*cids));
	bool *cin = calloc(r->npat + 1, sizeof(*cin));
	unsigned nc = 0;
	bool cached = false;
	int rc = -1;

	r->always = calloc(r->npat + 1, sizeof(*r->always));
	if (!expr || !flags || !ids || !in || !cexpr || !cflags || !cids || !cin || !r->always)
		goto out;
	for (size_t i = 0; i < r->npat; i++) {
		in[i] = b->hs_flags[i] != 0;
		if (in[i]) {
			cexpr[nc] = b->hs_expr[i];
			cflags[nc] = b->hs_flags[i];
			cids[nc++] = (unsigned)i;
		}
	}
	if (cache && nc > 0 &&
	    cache->load(cache->ctx, cexpr, cflags, cids, nc, &r->db, cin) == 0 && r->db) {
		for (unsigned j = 0; j < nc; j++)
			in[cids[j]] = cin[j];
		cached = true;
	}
	while (!cached) {
		unsigned n = 0;
		hs_compile_error_t *cerr = NULL;
		for (size_t i = 0; i < r->npat; i++) {
			if (!in[i])
				continue;
			expr[n] = b->hs_expr[i];
			flags[n] = b->hs_flags[i];
			ids[n] = (unsigned)i;
			n++;
		}
		if (n == 0)
			break;
		if (hs_compile_multi(expr, flags, ids, n, HS_MODE_BLOCK, NULL, &r->db, &cerr) ==
		    HS_SUCCESS)
			break;
		if (cerr && cerr->expression >= 0 && (unsigned)cerr->expression < n) {
			in[ids[cerr->expression]] = false;
			hs_free_compile_error(cerr);
			continue;
		}
		hs_free_compile_error(cerr);
		for (size_t i = 0; i < r->npat; i++)
			in[i] = false;	/* the prefilter as a whole failed: confirm all */
		r->db = NULL;
		break;
	}
	if (!cached && cache && r->db) {
		for (unsigned j = 0; j < nc; j++)
			cin[j] = in[cids[j]];
		cache->store(cache->ctx, cexpr, cflags, cids, nc, r->db, cin);
	}
	if (r->db && hs_alloc_scratch(r->db, &r->scratch) != HS_SUCCESS)
		goto out;
	for (size_t i = 0; i < r->npat; i++) {
		r->pat[i].prefiltered = in[i];
		if (!in[i])
			r->always[r->nalways++] = (unsigned)i;
	}
	rc = 0;
out:
	free(expr);
	free(flags);
	free(ids);
	free(in);
	free(cexpr);
	free(cflags);
	free(cids);
	free(cin);
	return rc;
}

/*
 * Context words of a hand-written figure: the words of the release's title
 * and identifiers, plus those of the document figure it is a form of.
 */
static int hand_figure_ctx(const struct em_config *cfg, const struct em_release_src *s,
			   uint64_t exact, struct em_fp_toks *t, uint64_t **ctx, size_t *nctx)
{
	size_t n = 0, cap = 16;
	uint64_t *v = malloc(cap * sizeof(*v));

	if (v == NULL)
		return -1;
	for (size_t k = 0; k <= s->identifiers.n; k++) {
		const char *src = k == 0 ? s->title : s->identifiers.v[k - 1].s;
		struct em_buf norm = EM_BUF_INIT;
		if (src == NULL)
			continue;
		if (em_norm_append(src, strlen(src), &norm) < 0 ||
		    em_fp_tokenize(cfg->fp_key, norm.data ? norm.data : "", norm.len, t) < 0) {
			em_buf_free(&norm);
			free(v);
			return -1;
		}
		em_fp_mark_context(t, norm.data ? norm.data : "", 0, t->n);
		for (size_t j = 0; j < t->n; j++) {
			if (!t->v[j].context)
				continue;
			if (n + 2 > cap) {
				void *nv = realloc(v, (cap *= 2) * sizeof(*v));
				if (nv == NULL) {
					em_buf_free(&norm);
					free(v);
					return -1;
				}
				v = nv;
			}
			v[n++] = t->v[j].h;
			if (em_fp_stem_hash(cfg->fp_key, norm.data, &t->v[j], &v[n]))
				n++; /* and its stem: "foster" meets "fostering" */
		}
		em_buf_free(&norm);
	}
	for (size_t f = 0; s->fp && f < s->fp->nfigs; f++) {
		const struct em_fp_fig *g = &s->fp->figs[f];
		bool same = false;
		for (size_t j = 0; j < g->nforms; j++)
			same |= g->forms[j] == exact;
		if (!same)
			continue;
		void *nv = realloc(v, (n + g->nctx + 1) * sizeof(*v));
		if (nv == NULL) {
			free(v);
			return -1;
		}
		v = nv;
		memcpy(v + n, g->ctx, g->nctx * sizeof(*v));
		n += g->nctx;
	}
	*ctx = v;
	*nctx = n;
	return 0;
}

/* One index of every release's fingerprint passages and figures, and its
 * hand-written figures. Mixed passage lengths are a config error. */
static int build_fp_index(struct em_rules *r, struct em_errors *errs)
{
	const struct em_config *cfg = r->cfg;
	struct em_fp_toks t = {0};
	int rc = -1;

	r->fpidx = em_fp_index_new((unsigned)cfg->nreleases);
	if (r->fpidx == NULL)
		return -1;
	em_fp_index_min_words(r->fpidx, cfg->excerpt_words);
	for (size_t i = 0; i < cfg->nreleases; i++) {
		const struct em_release_src *s = &cfg->releases[i];
		if (s->fp) {
			int e = em_fp_index_add(r->fpidx, (unsigned)i, s->fp);
			if (e == -1)
				goto out;
			if (e == -2)
				em_errors_add(errs, s->fingerprints.file, s->fingerprints.line,
					      "fingerprints: built with %u words per passage, unlike "
					      "another release's; rebuild both with the same excerpt_words",
					      s->fp->k);
		}
		for (size_t k = 0; k < s->figures.n; k++) {
			struct em_figure f;
			char why[160], forms[EM_FIG_FORMS_MAX][EM_FIG_FORM_MAX];
			uint64_t h[EM_FIG_FORMS_MAX], *ctx = NULL;
			size_t nctx = 0, nf;
			if (em_figures_parse(s->figures.v[k].s, &f, why, sizeof(why)) != 0)
				continue;	/* reported by the config loader */
			nf = em_figures_forms(&f, forms);
			for (size_t j = 0; j < nf; j++)
				h[j] = em_siphash(cfg->fp_key, forms[j], strlen(forms[j]));
			if (hand_figure_ctx(cfg, s, h[0], &t, &ctx, &nctx) < 0)
				goto out;
			int e = em_fp_index_add_figure(r->fpidx, (unsigned)i, h, nf, ctx, nctx);
			free(ctx);
			if (e < 0)
				goto out;
		}
	}
	rc = em_fp_index_finish(r->fpidx);
out:
	em_fp_toks_free(&t);
	return rc;
}

struct em_rules *em_rules_build(struct em_config *cfg, struct em_errors *errs)
{
	return em_rules_build_cached(cfg, errs, NULL);
}

struct em_rules *em_rules_build_cached(struct em_config *cfg, struct em_errors *errs,
				       const struct em_rules_dbcache *cache)
{
	struct build b = {0};
	struct em_rules *r = calloc(1, sizeof(*r));
	size_t nerr = errs->n;
	int rc = -1;

	if (r == NULL)
		return NULL;
	r->cfg = cfg;
	b.r = r;
	b.errs = errs;
	r->rel = calloc(cfg->nreleases + 1, sizeof(*r->rel));
	if (r->rel == NULL)
		goto out;
	r->nrel = cfg->nreleases;
	for (size_t i = 0; i < cfg->nreleases; i++) {
		const struct em_release_src *s = &cfg->releases[i];
		struct em_release *d = &r->rel[i];
		d->id = s->id;
		d->title = s->title;
		d->publish_at = s->publish_at;
		d->pre_release_from = s->pre_release_from;
		d->action = s->action;
		d->after_publication = s->after_publication == EM_AFTER_INHERIT
					       ? cfg->after_publication
					       : s->after_publication;
		d->producers = s->producers;
		d->pra = s->pra;
		d->weak_action = s->weak_action;
		d->min_figures = s->min_figures ? s->min_figures : 2;
		d->pra_entries = &s->pra_entries;
		d->calendar_uid = s->calendar_uid;
	}
	if (add_list(&b, EM_EV_MARKER, -1, &cfg->markers) < 0)
		goto out;
	for (size_t i = 0; i < cfg->nreleases; i++) {
		const struct em_release_src *s = &cfg->releases[i];
		if (add_list(&b, EM_EV_MARKER, (int)i, &s->markers) < 0 ||
		    add_list(&b, EM_EV_IDENTIFIER, (int)i, &s->identifiers) < 0 ||
		    add_list(&b, EM_EV_CONTENT, (int)i, &s->content) < 0 ||
		    add_list(&b, EM_EV_LINK, (int)i, &s->links) < 0)
			goto out;
	}
	if (build_fp_index(r, errs) < 0)
		goto out;
	if (errs->n > nerr)
		goto out;
	if (build_database(&b, cache) < 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < r->npat; i++)
		free(b.hs_expr[i]);
	free(b.hs_expr);
	free(b.hs_flags);
	if (rc < 0) {
		r->cfg = NULL;	/* the caller keeps the config on failure */
		em_rules_free(r);
		return NULL;
	}
	return r;
}

void em_rules_free(struct em_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->npat; i++)
		pcre2_code_free(r->pat[i].code);
	free(r->pat);
	free(r->always);
	free(r->rel);
	hs_free_scratch(r->scratch);
	hs_free_database(r->db);
	em_fp_index_free(r->fpidx);
	em_config_free(r->cfg);
	free(r);
}

const struct em_config *em_rules_config(const struct em_rules *r)
{
	return r->cfg;
}

size_t em_rules_count(const struct em_rules *r)
{
	return r->nrel;
}

const struct em_release *em_rules_release(const struct em_rules *r, size_t i)
{
	return i < r->nrel ? &r->rel[i] : NULL;
}

const struct em_fp_index *em_rules_fp_index(const struct em_rules *r)
{
	return r->fpidx;
}
