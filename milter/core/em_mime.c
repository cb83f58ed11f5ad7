/*
 * em_mime - the MIME walk (see em_mime.h).
 *
 * A line-oriented push parser. Each parser instance walks one message: its
 * header block, then a body that is either a leaf or a multipart whose open
 * boundaries sit on a stack (every enclosing boundary is checked, innermost
 * first, so a missing closing delimiter cannot swallow the rest). Preambles
 * and epilogues are handed on as plain text: a reader never shows them, but
 * text hidden there is still text that left the building. message/rfc822
 * parts are buffered and walked by a child parser sharing the budget.
 * Lines longer than LINE_CHUNK are handed on in pieces so memory stays
 * bounded even for a body without line breaks.
 * A header that contradicts itself is read every way a client might read it:
 * a second Content-Transfer-Encoding decodes the raw body again, a second
 * Content-Type hands the leaf on again under that type (or, when it is
 * multipart, the body is walked as multipart). A message attached as
 * application/octet-stream "NAME.eml" is also walked as a message, and a
 * named message/rfc822 part is handed on as an empty leaf so its filename is
 * matched like any attachment's.
 * Depends on libc and em_decode only.
 */
#define _GNU_SOURCE /* asprintf, memmem */
#include "em_mime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "em_buf.h"
#include "em_decode.h"

#define LINE_CHUNK (64u * 1024)
#define TYPE_MAX 96

enum cte { CTE_RAW = 0, CTE_BASE64, CTE_QP };

/* State shared by a message and the messages nested in it. */
struct shared {
	const struct em_limits *lim;
	struct em_mime_cb cb;
	size_t decoded;
	unsigned parts;
	unsigned flags;
};

/* An open multipart: its boundaries (a second boundary= parameter is an
 * alternative reading, honoured too) and the depth of its children. */
struct multipart {
	char *boundary[2];
	size_t blen[2];
	unsigned nboundary;
	unsigned depth;
	bool digest;
};

struct leaf {
	bool active;
	bool is_message;
	bool also_raw;		/* duplicate, disagreeing encodings: read both ways */
	bool binary;		/* not text/message: asked `wants` once */
	bool asked;
	bool dropped;		/* `wants` said no: bytes are discarded */
	bool flowed, delsp;	/* format=flowed; delsp=yes */
	bool encoded_multipart;	/* a multipart with base64/QP body: walked once decoded */
	unsigned alt_ctes;	/* bits (1 << enum cte): other declared encodings to read raw with */
	enum cte cte;
	char type[TYPE_MAX];
	char alt_type[TYPE_MAX];	/* a second, different Content-Type ("" when none) */
	char *alt_charset;
	char *charset;
	char *filename;
	char *where;
	unsigned depth;
	struct em_b64 b64;
	struct em_buf data;
	struct em_buf raw;
};

struct em_mime {
	struct shared *sh;
	bool owns_shared;
	unsigned base_depth;	/* depth of this message's own body */
	char *prefix;		/* where-prefix of a nested message, "" at top */

	struct em_buf line;	/* a line being assembled across pushes */
	struct em_buf scratch;	/* one decoded line, reused */
	bool mid_line;		/* the next bytes continue a line already handed on */

	bool in_headers;
	bool block_is_message;	/* the header block belongs to a message, not a part */
	unsigned block_depth;	/* depth of the part whose headers are being read */
	bool block_digest;	/* part of a multipart/digest: default message/rfc822 */
	struct em_buf field;	/* the header field being unfolded */
	bool field_cut;
	struct em_buf ctype, ctype2, cte, cdisp;
	unsigned nctype, ncte;
	unsigned cte_seen;	/* bits (1 << enum cte) of every Content-Transfer-Encoding */
	bool cte_disagree;

	struct multipart *mp;
	size_t nmp, capmp;
	struct leaf leaf;
};

static int process_line(struct em_mime *m, const char *s, size_t n, bool complete);

static void flag(struct em_mime *m, unsigned f)
{
	m->sh->flags |= f;
}

static struct em_mime *mime_alloc(struct shared *sh, bool owns, unsigned depth, const char *prefix)
{
	struct em_mime *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->prefix = strdup(prefix ? prefix : "");
	if (m->prefix == NULL) {
		free(m);
		return NULL;
	}
	m->sh = sh;
	m->owns_shared = owns;
	m->base_depth = depth;
	m->in_headers = true;
	m->block_is_message = true;
	m->block_depth = depth;
	return m;
}

struct em_mime *em_mime_new(const struct em_limits *lim, const struct em_mime_cb *cb)
{
	struct shared *sh = calloc(1, sizeof(*sh));
	struct em_mime *m;

	if (sh == NULL)
		return NULL;
	sh->lim = lim;
	sh->cb = *cb;
	m = mime_alloc(sh, true, 0, "");
	if (m == NULL)
		free(sh);
	return m;
}

static void leaf_clear(struct leaf *l)
{
	free(l->alt_charset);
	free(l->charset);
	free(l->filename);
	free(l->where);
	em_buf_free(&l->data);
	em_buf_free(&l->raw);
	memset(l, 0, sizeof(*l));
}

static void block_reset(struct em_mime *m)
{
	em_buf_reset(&m->field);
	em_buf_reset(&m->ctype);
	em_buf_reset(&m->ctype2);
	em_buf_reset(&m->cte);
	em_buf_reset(&m->cdisp);
	m->nctype = m->ncte = 0;
	m->cte_seen = 0;
	m->cte_disagree = false;
	m->field_cut = false;
}

void em_mime_free(struct em_mime *m)
{
	if (m == NULL)
		return;
	leaf_clear(&m->leaf);
	for (size_t i = 0; i < m->nmp; i++)
		for (unsigned j = 0; j < m->mp[i].nboundary; j++)
			free(m->mp[i].boundary[j]);
	free(m->mp);
	em_buf_free(&m->line);
	em_buf_free(&m->scratch);
	em_buf_free(&m->field);
	em_buf_free(&m->ctype);
	em_buf_free(&m->ctype2);
	em_buf_free(&m->cte);
	em_buf_free(&m->cdisp);
	free(m->prefix);
	if (m->owns_shared)
		free(m->sh);
	free(m);
}

unsigned em_mime_flags(const struct em_mime *m)
{
	return m->sh->flags;
}

size_t em_mime_decoded(const struct em_mime *m)
{
	return m->sh->decoded;
}

/* ---- leaves ------------------------------------------------------------ */

/* Counts bytes against the budget; false once it is exhausted. */
static bool budget_take(struct em_mime *m, size_t n)
{
	if (m->sh->decoded + n > m->sh->lim->max_decoded) {
		flag(m, EM_MIME_TOO_BIG);
		m->sh->decoded = m->sh->lim->max_decoded;
		return false;
	}
	m->sh->decoded += n;
	return true;
}

static char *join_where(const char *prefix, const char *tail)
{
	char *s;
	size_t a = strlen(prefix), b = strlen(tail);

	s = malloc(a + b + 2);
	if (s == NULL)
		return NULL;
	memcpy(s, prefix, a);
	if (a && b)
		s[a++] = '/';
	memcpy(s + a, tail, b + 1);
	return s;
}

/* Starts a leaf; type/charset/filename may be NULL. */
static int leaf_start(struct em_mime *m, const char *type, enum cte cte, const char *charset,
		      const char *filename, bool attachment, unsigned depth)
{
	struct leaf *l = &m->leaf;
	char *tail = NULL;
	int rc = 0;

	leaf_clear(l);
	l->active = true;
	l->cte = cte;
	l->depth = depth;
	snprintf(l->type, sizeof(l->type), "%s", type && *type ? type : "text/plain");
	l->is_message = strcmp(l->type, "message/rfc822") == 0 ||
			strcmp(l->type, "message/global") == 0;
	l->binary = !l->is_message && strncmp(l->type, "text/", 5) != 0;
	em_b64_init(&l->b64);
	if (charset && (l->charset = strdup(charset)) == NULL)
		rc = -1;
	if (filename && (l->filename = strdup(filename)) == NULL)
		rc = -1;
	if (filename) {
		if (asprintf(&tail, "attachment:%s", filename) < 0)
			tail = NULL, rc = -1;
	} else if (attachment && !l->is_message) {
		if (asprintf(&tail, "attachment:(unnamed %s)", l->type) < 0)
			tail = NULL, rc = -1;
	}
	l->where = join_where(m->prefix, tail ? tail : (*m->prefix ? "" : "body"));
	if (l->where && *l->where == '\0' && !l->is_message) {
		free(l->where);
		l->where = join_where(m->prefix, "body");
	}
	free(tail);
	if (l->where == NULL)
		rc = -1;
	if (rc < 0)
		flag(m, EM_MIME_NOMEM);
	return 0;
}

static void leaf_append(struct em_mime *m, struct em_buf *b, const char *p, size_t n)
{
	if (n == 0 || !budget_take(m, n))
		return;
	if (em_buf_append(b, p, n) < 0)
		flag(m, EM_MIME_NOMEM);
}

/* Asks the caller whether a binary leaf is worth keeping. */
static void leaf_ask(struct em_mime *m)
{
	struct leaf *l = &m->leaf;
	struct em_mime_part p = {
		.type = l->type, .charset = l->charset, .filename = l->filename,
		.where = l->where ? l->where : "body", .depth = l->depth,
	};

	l->asked = true;
	if (m->sh->cb.wants && !m->sh->cb.wants(m->sh->cb.ctx, &p, l->data.data, l->data.len)) {
		l->dropped = true;
		em_buf_free(&l->data);
		return;
	}
	if (!budget_take(m, l->data.len)) {
		l->dropped = true;
		em_buf_free(&l->data);
	}
}

/* One body line (or piece of one) for the current leaf. */
static void leaf_line(struct em_mime *m, const char *s, size_t n, bool complete)
{
	struct leaf *l = &m->leaf;
	/* one scratch buffer per parser, reused line after line (no malloc per line) */
	struct em_buf tmp = m->scratch;
	bool bad = false;

	if (!l->active || (m->sh->flags & (EM_MIME_TOO_BIG | EM_MIME_NOMEM)))
		return;
	if (l->also_raw) {
		leaf_append(m, &l->raw, s, n);
		if (complete)
			leaf_append(m, &l->raw, "\n", 1);
	}
	switch (l->cte) {
	case CTE_BASE64:
		if (em_b64_push(&l->b64, s, n, &tmp) < 0)
			flag(m, EM_MIME_NOMEM);
		break;
	case CTE_QP:
		if (complete) {
			if (em_qp_push_line(s, n, &tmp, &bad) < 0)
				flag(m, EM_MIME_NOMEM);
		} else {
			/* A piece of an over-long line (em_mime_push never cuts
			 * an "=XX" escape): decode it as if soft-broken. */
			struct em_buf piece = EM_BUF_INIT;
			if (em_buf_append(&piece, s, n) < 0 || em_buf_putc(&piece, '=') < 0 ||
			    em_qp_push_line(piece.data, piece.len, &tmp, &bad) < 0)
				flag(m, EM_MIME_NOMEM);
			em_buf_free(&piece);
		}
		break;
	default:
		if (!l->is_message && !(l->binary && !l->asked)) {
			/* the common case (7bit/8bit text): straight into the leaf,
			 * one copy, not two (same budget and bytes as below) */
			size_t k = n + (complete ? 1 : 0);
			if (l->dropped || k == 0 || !budget_take(m, k))
				return;
			if (em_buf_reserve(&l->data, k) < 0) {
				flag(m, EM_MIME_NOMEM);
				return;
			}
			if (n)
				memcpy(l->data.data + l->data.len, s, n);
			if (complete)
				l->data.data[l->data.len + n] = '\n';
			l->data.len += k;
			l->data.data[l->data.len] = '\0';
			return;
		}
		if (em_buf_append(&tmp, s, n) < 0 || (complete && em_buf_putc(&tmp, '\n') < 0))
			flag(m, EM_MIME_NOMEM);
		break;
	}
	if (bad)
		flag(m, EM_MIME_MALFORMED);
	if (l->is_message) {
		/* a nested message is walked later; its leaves count against the budget */
		if (l->data.len + tmp.len > m->sh->lim->max_decoded)
			flag(m, EM_MIME_TOO_BIG);
		else if (em_buf_append(&l->data, tmp.data, tmp.len) < 0)
			flag(m, EM_MIME_NOMEM);
	} else if (l->binary && !l->asked) {
		/* hold back the first bytes, uncounted, until `wants` decides */
		if (em_buf_append(&l->data, tmp.data, tmp.len) < 0)
			flag(m, EM_MIME_NOMEM);
		else if (l->data.len >= EM_MIME_SNIFF)
			leaf_ask(m);
	} else if (!l->dropped) {
		leaf_append(m, &l->data, tmp.data, tmp.len);
	}
	em_buf_reset(&tmp);
	m->scratch = tmp;
}

static int walk_nested(struct em_mime *m, const char *where, const char *data, size_t len,
		       unsigned depth)
{
	struct em_mime *child;
	int rc;

	child = mime_alloc(m->sh, false, depth, where);
	if (child == NULL) {
		flag(m, EM_MIME_NOMEM);
		return 0;
	}
	rc = em_mime_push(child, data, len);
	if (rc == 0)
		rc = em_mime_finish(child);
	em_mime_free(child);
	return rc;
}

/* Decodes a whole raw body (lines joined by '\n') with transfer encoding c. */
static void decode_raw(struct em_mime *m, enum cte c, const struct em_buf *raw, struct em_buf *out)
{
	bool bad = false;

	if (c == CTE_BASE64) {
		struct em_b64 d;
		em_b64_init(&d);
		if (em_b64_push(&d, raw->data, raw->len, out) < 0)
			flag(m, EM_MIME_NOMEM);
		return;
	}
	for (size_t i = 0; i < raw->len;) {
		const char *nl = memchr(raw->data + i, '\n', raw->len - i);
		size_t n = nl ? (size_t)(nl - (raw->data + i)) : raw->len - i;
		if (em_qp_push_line(raw->data + i, n, out, &bad) < 0) {
			flag(m, EM_MIME_NOMEM);
			return;
		}
		i += n + 1;
	}
}

/* Does a decoded body start like a message header ("Name: value")? */
static bool looks_like_message(const char *d, size_t n)
{
	size_t i = 0;

	while (i < n && i < 80 && d[i] > ' ' && d[i] < 127 && d[i] != ':')
		i++;
	return i > 0 && i < n && d[i] == ':';
}

static bool has_eml_name(const char *filename)
{
	size_t n = filename ? strlen(filename) : 0;

	return n > 4 && strcasecmp(filename + n - 4, ".eml") == 0;
}

/* The other readings of a leaf whose header disagreed with itself. */
static int leaf_alternatives(struct em_mime *m, struct em_mime_part *p)
{
	struct leaf *l = &m->leaf;
	int rc = 0;

	if (l->also_raw && l->raw.len) {
		p->type = "text/plain";
		rc = m->sh->cb.leaf(m->sh->cb.ctx, p, l->raw.data, l->raw.len);
		for (enum cte c = CTE_BASE64; rc == 0 && c <= CTE_QP; c++) {
			struct em_buf dec = EM_BUF_INIT;
			if (!(l->alt_ctes & (1u << c)))
				continue;
			decode_raw(m, c, &l->raw, &dec);
			p->type = l->type;
			if (dec.len && budget_take(m, dec.len))
				rc = m->sh->cb.leaf(m->sh->cb.ctx, p, dec.data, dec.len);
			em_buf_free(&dec);
		}
	}
	if (rc == 0 && l->alt_type[0] && l->data.len) {
		p->type = l->alt_type;
		p->charset = l->alt_charset;
		rc = m->sh->cb.leaf(m->sh->cb.ctx, p, l->data.data, l->data.len);
		p->charset = l->charset;
	}
	p->type = l->type;
	return rc;
}

static int leaf_finish(struct em_mime *m)
{
	struct leaf *l = &m->leaf;
	struct em_mime_part p = {0};
	int rc = 0;

	if (!l->active)
		return 0;
	if (l->binary && !l->asked && l->data.len)
		leaf_ask(m);
	if (l->b64.bad)
		flag(m, EM_MIME_MALFORMED);
	p.type = l->type;
	p.charset = l->charset;
	p.filename = l->filename;
	p.where = l->where ? l->where : "body";
	p.depth = l->depth;
	p.in_nested = *m->prefix != '\0' || m->base_depth > 0;
	p.flowed = l->flowed;
	p.delsp = l->delsp;
	if (l->encoded_multipart) {
		/* decoded body = "Content-Type: ...\n\n" + the parts: a message
		 * of its own, walked at this part's place and depth */
		if (l->data.len)
			rc = walk_nested(m, m->prefix, l->data.data, l->data.len, l->depth);
	} else if (l->is_message) {
		if (l->depth + 1 > m->sh->lim->max_depth) {
			flag(m, EM_MIME_TOO_DEEP);
			p.type = "text/plain";
			if (m->sh->cb.leaf && l->data.len)
				rc = m->sh->cb.leaf(m->sh->cb.ctx, &p, l->data.data, l->data.len);
		} else if (l->data.len) {
			rc = walk_nested(m, l->filename ? p.where : m->prefix, l->data.data,
					 l->data.len, l->depth + 1);
		}
		/* the attachment's name is text a reader sees too: an empty leaf
		 * carries it */
		if (rc == 0 && l->filename && m->sh->cb.leaf)
			rc = m->sh->cb.leaf(m->sh->cb.ctx, &p, "", 0);
	} else if (m->sh->cb.leaf) {
		if (l->data.len)
			rc = m->sh->cb.leaf(m->sh->cb.ctx, &p, l->data.data, l->data.len);
		if (rc == 0)
			rc = leaf_alternatives(m, &p);
		/* a message saved as draft.eml and attached as octet-stream is
		 * opened as a message by mail clients: walk it as one too */
		if (rc == 0 && has_eml_name(l->filename) && strcmp(l->type, "application/octet-stream") == 0 &&
		    looks_like_message(l->data.data, l->data.len)) {
			if (l->depth + 1 > m->sh->lim->max_depth)
				flag(m, EM_MIME_TOO_DEEP);
			else
				rc = walk_nested(m, p.where, l->data.data, l->data.len, l->depth + 1);
		}
	}
	leaf_clear(l);
	return rc;
}

/* ---- header blocks ------------------------------------------------------ */

static enum cte parse_cte(const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	if (n >= 6 && strncasecmp(v, "base64", 6) == 0)
		return CTE_BASE64;
	if (n >= 16 && strncasecmp(v, "quoted-printable", 16) == 0)
		return CTE_QP;
	/* 7bit, 8bit, binary and every unknown value: the bytes as they are,
	 * which is what mail clients show for an encoding they do not know. */
	return CTE_RAW;
}

static int field_flush(struct em_mime *m)
{
	struct em_buf *f = &m->field;
	char *colon;
	size_t nlen, vlen;
	const char *v;
	int rc = 0;

	if (f->len == 0)
		return 0;
	colon = memchr(f->data, ':', f->len);
	if (colon == NULL) {
		flag(m, EM_MIME_MALFORMED);
		em_buf_reset(f);
		return 0;
	}
	nlen = (size_t)(colon - f->data);
	while (nlen && (f->data[nlen - 1] == ' ' || f->data[nlen - 1] == '\t'))
		nlen--;
	f->data[nlen] = '\0';
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	vlen = f->len - (size_t)(v - f->data);
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;

	if (strcasecmp(f->data, "content-type") == 0) {
		if (m->nctype++ == 0) {
			if (em_buf_append(&m->ctype, v, vlen) < 0)
				flag(m, EM_MIME_NOMEM);
		} else {
			/* a reader may take any of them: the first other one is kept */
			flag(m, EM_MIME_MALFORMED);
			if (m->ctype2.len == 0 && em_buf_append(&m->ctype2, v, vlen) < 0)
				flag(m, EM_MIME_NOMEM);
		}
	} else if (strcasecmp(f->data, "content-transfer-encoding") == 0) {
		m->cte_seen |= 1u << parse_cte(v, vlen);
		if (m->ncte++ == 0) {
			if (em_buf_append(&m->cte, v, vlen) < 0)
				flag(m, EM_MIME_NOMEM);
		} else if (parse_cte(v, vlen) != parse_cte(m->cte.data, m->cte.len)) {
			m->cte_disagree = true;
			flag(m, EM_MIME_MALFORMED);
		}
	} else if (strcasecmp(f->data, "content-disposition") == 0) {
		if (m->cdisp.len == 0 && em_buf_append(&m->cdisp, v, vlen) < 0)
			flag(m, EM_MIME_NOMEM);
	}
	if (m->sh->cb.header) {
		struct em_mime_part p = {
			.type = "", .where = *m->prefix ? m->prefix : "header",
			.depth = m->block_depth, .in_nested = *m->prefix != '\0' || m->base_depth > 0,
		};
		char save = ((char *)v)[vlen];
		((char *)v)[vlen] = '\0';
		rc = m->sh->cb.header(m->sh->cb.ctx, &p, m->block_is_message, f->data, v, vlen);
		((char *)v)[vlen] = save;
	}
	em_buf_reset(f);
	m->field_cut = false;
	return rc;
}

static int push_multipart(struct em_mime *m, const char *ctype, unsigned depth, bool digest)
{
	struct multipart *mp;
	bool nomem = false;
	int count = em_param_count(ctype, "boundary");

	if (m->nmp == m->capmp) {
		size_t cap = m->capmp ? m->capmp * 2 : 4;
		struct multipart *v = realloc(m->mp, cap * sizeof(*v));
		if (v == NULL) {
			flag(m, EM_MIME_NOMEM);
			return -1;
		}
		m->mp = v;
		m->capmp = cap;
	}
	mp = &m->mp[m->nmp];
	memset(mp, 0, sizeof(*mp));
	for (int i = 0; i < count && mp->nboundary < 2; i++) {
		char *b = em_param_get(ctype, "boundary", i, &nomem);
		if (b == NULL || *b == '\0' || strlen(b) > 200) {
			free(b);
			continue;
		}
		mp->boundary[mp->nboundary] = b;
		mp->blen[mp->nboundary++] = strlen(b);
	}
	if (nomem)
		flag(m, EM_MIME_NOMEM);
	if (count > 1)
		flag(m, EM_MIME_MALFORMED);
	if (mp->nboundary == 0)
		return -1;
	mp->depth = depth;
	mp->digest = digest;
	m->nmp++;
	return 0;
}

/* The header block ended: decide what the body is. */
static int block_end(struct em_mime *m)
{
	char type[TYPE_MAX];
	char *charset, *filename, *cdtype = NULL;
	bool nomem = false, attachment = false;
	unsigned depth = m->block_depth;
	enum cte cte;
	int rc;

	if ((rc = field_flush(m)) != 0)
		return rc;
	m->in_headers = false;
	em_mime_type(m->ctype.len ? m->ctype.data : "", type, sizeof(type));
	if (m->ctype2.len) {
		char type2[TYPE_MAX];
		em_mime_type(m->ctype2.data, type2, sizeof(type2));
		if (strcmp(type2, type) == 0) {
			em_buf_reset(&m->ctype2);
		} else if (strncmp(type2, "multipart/", 10) == 0 && strncmp(type, "multipart/", 10) != 0) {
			/* the multipart reading sees every part decoded; its
			 * parts hold all the text the leaf reading would show */
			struct em_buf t = m->ctype;
			m->ctype = m->ctype2;
			m->ctype2 = t;
			snprintf(type, sizeof(type), "%s", type2);
		}
	}
	if (type[0] == '\0' || strchr(type, '/') == NULL) {
		if (m->ctype.len)
			flag(m, EM_MIME_MALFORMED);
		snprintf(type, sizeof(type), "%s", m->block_digest ? "message/rfc822" : "text/plain");
	}
	cte = parse_cte(m->cte.data ? m->cte.data : "", m->cte.len);

	if (strncmp(type, "multipart/", 10) == 0 && cte != CTE_RAW && depth + 1 <= m->sh->lim->max_depth) {
		/* RFC 2045 6.4 forbids it, yet clients decode it: decode, then walk */
		flag(m, EM_MIME_MALFORMED);
		rc = leaf_start(m, "message/rfc822", cte, NULL, NULL, false, depth + 1);
		m->leaf.encoded_multipart = true;
		m->leaf.is_message = true;
		if (em_buf_puts(&m->leaf.data, "Content-Type: ") < 0 ||
		    em_buf_append(&m->leaf.data, m->ctype.data, m->ctype.len) < 0 ||
		    em_buf_puts(&m->leaf.data, "\n\n") < 0)
			flag(m, EM_MIME_NOMEM);
		block_reset(m);
		return rc;
	}
	if (strncmp(type, "multipart/", 10) == 0) {
		if (depth + 1 > m->sh->lim->max_depth) {
			flag(m, EM_MIME_TOO_DEEP);
			snprintf(type, sizeof(type), "text/plain");
		} else if (push_multipart(m, m->ctype.data, depth + 1,
					  strcmp(type, "multipart/digest") == 0) == 0) {
			/* the preamble: text nobody sees, scanned anyway */
			rc = leaf_start(m, "text/plain", CTE_RAW, NULL, NULL, false, depth);
			block_reset(m);
			return rc;
		} else {
			flag(m, EM_MIME_MALFORMED);
			snprintf(type, sizeof(type), "text/plain");
		}
	}
	charset = m->ctype.len ? em_param_get(m->ctype.data, "charset", 0, &nomem) : NULL;
	filename = m->cdisp.len ? em_param_get(m->cdisp.data, "filename", 0, &nomem) : NULL;
	if (filename == NULL && m->ctype.len)
		filename = em_param_get(m->ctype.data, "name", 0, &nomem);
	if (m->cdisp.len) {
		char d[32];
		em_mime_type(m->cdisp.data, d, sizeof(d));	/* reads the first token */
		cdtype = d;
		attachment = strncmp(cdtype, "attachment", 10) == 0;
		if (d[0] == '\0')
			attachment = strncasecmp(m->cdisp.data, "attachment", 10) == 0;
	}
	if (nomem)
		flag(m, EM_MIME_NOMEM);
	if (filename && *filename == '\0') {
		free(filename);
		filename = NULL;
	}
	rc = leaf_start(m, type, cte, charset, filename, attachment, depth);
	if (m->ctype.len && strncmp(type, "text/", 5) == 0) {
		char *fmt = em_param_get(m->ctype.data, "format", 0, &nomem);
		char *dsp = fmt ? em_param_get(m->ctype.data, "delsp", 0, &nomem) : NULL;

		m->leaf.flowed = fmt && strcasecmp(fmt, "flowed") == 0;
		m->leaf.delsp = dsp && strcasecmp(dsp, "yes") == 0;
		free(fmt);
		free(dsp);
		if (nomem)
			flag(m, EM_MIME_NOMEM);
	}
	m->leaf.also_raw = m->cte_disagree;
	m->leaf.alt_ctes = m->cte_disagree ? m->cte_seen & ~(1u << cte) & ~(1u << CTE_RAW) : 0;
	if (m->ctype2.len) {
		em_mime_type(m->ctype2.data, m->leaf.alt_type, sizeof(m->leaf.alt_type));
		if (strncmp(m->leaf.alt_type, "multipart/", 10) == 0 || strchr(m->leaf.alt_type, '/') == NULL)
			m->leaf.alt_type[0] = '\0';	/* a leaf reading already covers it */
		else
			m->leaf.alt_charset = em_param_get(m->ctype2.data, "charset", 0, &nomem);
		if (nomem)
			flag(m, EM_MIME_NOMEM);
	}
	free(charset);
	free(filename);
	block_reset(m);
	return rc;
}

static int header_line(struct em_mime *m, const char *s, size_t n, bool complete)
{
	size_t max = m->sh->lim->max_header;
	int rc;

	if (n == 0 && complete && !m->mid_line)
		return block_end(m);
	if (!m->mid_line && n && (s[0] == ' ' || s[0] == '\t')) {
		/* folded continuation: unfold (the line break goes, the blank stays) */
	} else if (!m->mid_line) {
		const char *colon = memchr(s, ':', n);
		bool is_field = colon != NULL && colon != s;
		for (const char *q = s; is_field && q < colon; q++)
			if ((unsigned char)*q <= ' ' && !(q > s && (*q == ' ' || *q == '\t')))
				is_field = false;
		if (!is_field) {
			/* not a header: the block ended without its empty line */
			flag(m, EM_MIME_MALFORMED);
			if ((rc = block_end(m)) != 0)
				return rc;
			return process_line(m, s, n, complete);
		}
		if ((rc = field_flush(m)) != 0)
			return rc;
	}
	if (m->field_cut)
		return 0;
	if (m->field.len + n > max) {
		n = max > m->field.len ? max - m->field.len : 0;
		m->field_cut = true;
		flag(m, EM_MIME_HEADER_CUT);
	}
	if (em_buf_append(&m->field, s, n) < 0)
		flag(m, EM_MIME_NOMEM);
	return 0;
}

/* ---- body lines ----------------------------------------------------------- */

/* Does the line delimit multipart i? 1 = a part follows, 2 = closing. */
static int boundary_match(const struct multipart *mp, const char *s, size_t n)
{
	for (unsigned j = 0; j < mp->nboundary; j++) {
		size_t bl = mp->blen[j];
		if (n < 2 + bl || memcmp(s + 2, mp->boundary[j], bl) != 0)
			continue;
		const char *rest = s + 2 + bl;
		size_t rn = n - 2 - bl;
		bool closing = rn >= 2 && rest[0] == '-' && rest[1] == '-';
		if (closing)
			rest += 2, rn -= 2;
		while (rn && (*rest == ' ' || *rest == '\t'))
			rest++, rn--;
		if (rn == 0)
			return closing ? 2 : 1;
	}
	return 0;
}

static int body_line(struct em_mime *m, const char *s, size_t n, bool complete)
{
	int rc;

	if (!m->mid_line && n >= 2 && s[0] == '-' && s[1] == '-') {
		for (size_t i = m->nmp; i-- > 0;) {
			int how = boundary_match(&m->mp[i], s, n);
			if (how == 0)
				continue;
			if ((rc = leaf_finish(m)) != 0)
				return rc;
			if (i + 1 < m->nmp)
				flag(m, EM_MIME_MALFORMED);	/* inner multiparts never closed */
			while (m->nmp > i + 1) {
				struct multipart *mp = &m->mp[--m->nmp];
				for (unsigned j = 0; j < mp->nboundary; j++)
					free(mp->boundary[j]);
			}
			struct multipart *mp = &m->mp[i];
			if (how == 2) {
				unsigned d = mp->depth;
				for (unsigned j = 0; j < mp->nboundary; j++)
					free(mp->boundary[j]);
				m->nmp--;
				/* the epilogue */
				return leaf_start(m, "text/plain", CTE_RAW, NULL, NULL, false,
						  d ? d - 1 : 0);
			}
			if (++m->sh->parts > m->sh->lim->max_parts) {
				/* too many parts: keep reading, as plain text */
				flag(m, EM_MIME_TOO_MANY);
				return leaf_start(m, "text/plain", CTE_RAW, NULL, NULL, false,
						  mp->depth);
			}
			m->in_headers = true;
			m->block_is_message = false;
			m->block_depth = mp->depth;
			m->block_digest = mp->digest;
			block_reset(m);
			return 0;
		}
	}
	if (!m->leaf.active) {
		/* text after the last closing boundary of a nested level */
		if ((rc = leaf_start(m, "text/plain", CTE_RAW, NULL, NULL, false, m->base_depth)) != 0)
			return rc;
	}
	leaf_line(m, s, n, complete);
	return 0;
}

static int process_line(struct em_mime *m, const char *s, size_t n, bool complete)
{
	int rc;

	if (complete && n && s[n - 1] == '\r')
		n--;
	if (m->in_headers)
		rc = header_line(m, s, n, complete);
	else
		rc = body_line(m, s, n, complete);
	m->mid_line = !complete;
	return rc;
}

int em_mime_push(struct em_mime *m, const char *data, size_t len)
{
	int rc;

	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) + 1 : len;

		if (nl && m->line.len == 0) {
			/* the common case: a whole line in this chunk, no copy */
			if ((rc = process_line(m, data, take - 1, true)) != 0)
				return rc;
		} else {
			if (em_buf_append(&m->line, data, nl ? take - 1 : take) < 0) {
				flag(m, EM_MIME_NOMEM);
				return 0;
			}
			if (nl) {
				rc = process_line(m, m->line.data, m->line.len, true);
				em_buf_reset(&m->line);
				if (rc)
					return rc;
			} else if (m->line.len >= LINE_CHUNK) {
				/* keep a trailing '\r' or a cut "=XX" escape for the
				 * next piece */
				size_t n = m->line.len;
				if (m->line.data[n - 1] == '\r')
					n--;
				if (m->line.data[n - 1] == '=')
					n -= 1;
				else if (m->line.data[n - 2] == '=')
					n -= 2;
				rc = process_line(m, m->line.data, n, false);
				memmove(m->line.data, m->line.data + n, m->line.len - n);
				m->line.len -= n;
				if (rc)
					return rc;
			}
		}
		data += take;
		len -= take;
	}
	return 0;
}

int em_mime_finish(struct em_mime *m)
{
	int rc = 0;

	if (m->line.len) {
		rc = process_line(m, m->line.data, m->line.len, true);
		em_buf_reset(&m->line);
		if (rc)
			return rc;
	}
	if (m->in_headers) {
		if ((rc = field_flush(m)) != 0)
			return rc;
		m->in_headers = false;
	}
	if (m->nmp)
		flag(m, EM_MIME_MALFORMED);	/* a multipart never closed */
	return leaf_finish(m);
}
