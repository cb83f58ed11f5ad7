/*
 * em_match - prefilter + confirm over one text (see em_match.h).
 * Depends on pcre2 and vectorscan only.
 */
#include "em_match.h"

#include <stdlib.h>
#include <string.h>

#include "em_rules_priv.h"

/* Backtracking caps: a hostile text against a careless regex gives up
 * (reported as an incomplete scan) instead of burning the CPU. */
#define MATCH_LIMIT 5000000u
#define DEPTH_LIMIT 100000u

struct em_matcher {
	const struct em_rules *r;
	hs_scratch_t *scratch;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	unsigned char *cand;	/* per pattern: seen by the prefilter in this text */
	unsigned *list;		/* the candidates, in order found */
	size_t nlist;
};

struct em_matcher *em_matcher_new(const struct em_rules *rules)
{
	struct em_matcher *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->r = rules;
	m->cand = calloc(rules->npat + 1, 1);
	m->list = calloc(rules->npat + 1, sizeof(*m->list));
	m->md = pcre2_match_data_create(1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (!m->cand || !m->list || !m->md || !m->mctx || !m->jit)
		goto fail;
	pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, DEPTH_LIMIT);
	pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
	if (rules->scratch && hs_clone_scratch(rules->scratch, &m->scratch) != HS_SUCCESS)
		goto fail;
	return m;
fail:
	em_matcher_free(m);
	return NULL;
}

void em_matcher_free(struct em_matcher *m)
{
	if (m == NULL)
		return;
	hs_free_scratch(m->scratch);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit);
	free(m->cand);
	free(m->list);
	free(m);
}

static int on_candidate(unsigned id, unsigned long long from, unsigned long long to,
			unsigned flags, void *ctx)
{
	struct em_matcher *m = ctx;

	if (!m->cand[id]) {
		m->cand[id] = 1;
		m->list[m->nlist++] = id;
	}
	return 0;
}

static int confirm(struct em_matcher *m, size_t i, const char *text, size_t len, em_match_fn fn,
		   void *ctx)
{
	PCRE2_SIZE from = 0;
	int rc;

	/* the first occurrence, or the next after one the caller turned down
	 * (EM_MATCH_NEXT); each turn starts past the last match, so it ends */
	while ((rc = pcre2_match(m->r->pat[i].code, (PCRE2_SPTR)text, len, from,
				 PCRE2_NO_UTF_CHECK, m->md, m->mctx)) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		int r = fn(ctx, i, text + ov[0], ov[1] - ov[0]);

		if (r != EM_MATCH_NEXT)
			return r;
		from = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		while (from < len && ((unsigned char)text[from] & 0xC0) == 0x80)
			from++; /* never start inside a UTF-8 character */
		if (from > len)
			return 0;
	}
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_NOMEMORY)
		return -1;
	return -2;	/* match/depth/JIT-stack limit: not fully checked */
}

int em_matcher_scan(struct em_matcher *m, const char *text, size_t len, em_match_fn fn, void *ctx)
{
	const struct em_rules *r = m->r;
	int rc = 0, limited = 0;

	m->nlist = 0;
	if (r->db) {
		/* Vectorscan takes an unsigned int length: scan huge texts in
		 * overlapping windows (no pattern we compile spans 1 MB). */
		const size_t win = 1u << 30, overlap = 1u << 20;
		size_t off = 0;
		for (;;) {
			size_t n = len - off > win ? win : len - off;
			if (hs_scan(r->db, text + off, (unsigned)n, 0, m->scratch, on_candidate, m) !=
			    HS_SUCCESS)
				return -1;
			if (off + n >= len)
				break;
			off += n - overlap;
		}
	}
	for (size_t k = 0; k < m->nlist && rc == 0; k++) {
		rc = confirm(m, m->list[k], text, len, fn, ctx);
		if (rc == -2)
			limited = 1, rc = 0;
	}
	for (size_t k = 0; k < r->nalways && rc == 0; k++) {
		rc = confirm(m, r->always[k], text, len, fn, ctx);
		if (rc == -2)
			limited = 1, rc = 0;
	}
	for (size_t k = 0; k < m->nlist; k++)
		m->cand[m->list[k]] = 0;
	return rc ? rc : limited ? -2 : 0;
}

size_t em_rules_pattern_count(const struct em_rules *r)
{
	return r->npat;
}

void em_rules_pattern(const struct em_rules *r, size_t i, struct em_pattern_info *out)
{
	out->kind = r->pat[i].kind;
	out->release = r->pat[i].release;
	out->source = r->pat[i].source;
}
