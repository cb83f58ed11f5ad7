/*
 * em_lineage - threading headers -> lookup keys (see em_lineage.h).
 *
 * Owns the key forms ("mid:", "tix:", "sub:"), the Thread-Index decoder and
 * the subject normalizer. Must not depend on: libmilter, syslog, libconfig,
 * SQLite. Limits: EM_LINEAGE_MAX_KEYS keys per message, EM_LINEAGE_KEY_MAX
 * bytes per key; beyond them keys are dropped and em_lineage_truncated says so.
 */
#define _GNU_SOURCE
#include "em_lineage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "em_decode.h"

#define TI_HEADER 22	/* [MS-OXOMSG] 2.2.1.3: Conversation Index Header */
#define TI_GUID_OFF 6	/* after Reserved (1) and Current FILETIME (5) */
#define TI_MAX_B64 4096 /* a Thread-Index longer than this is not Outlook's */
#define SUBJECT_MIN 4	/* shorter normalized subjects are not worth a note */
#define TAG_MAX 80	/* bytes of one "[list tag]" */

struct keyv {
	struct em_lineage_key *v;
	size_t n, cap;
};

struct em_lineage {
	struct keyv look, orig;
	char *own;     /* own Message-ID key */
	char *subject; /* normalized, without "sub:" */
	bool have_tix; /* own Thread-Index seen */
	bool truncated;
};

static int keyv_add(struct em_lineage *l, struct keyv *kv, const char *key, const char *where)
{
	for (size_t i = 0; i < kv->n; i++)
		if (strcmp(kv->v[i].key, key) == 0)
			return 0; /* the first place is enough */
	if (kv->n == EM_LINEAGE_MAX_KEYS) {
		l->truncated = true;
		return 0;
	}
	if (kv->n == kv->cap) {
		size_t ncap = kv->cap ? kv->cap * 2 : 8;
		struct em_lineage_key *nv = realloc(kv->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		kv->v = nv;
		kv->cap = ncap;
	}
	kv->v[kv->n].key = strdup(key);
	kv->v[kv->n].where = strdup(where);
	if (!kv->v[kv->n].key || !kv->v[kv->n].where) {
		free(kv->v[kv->n].key);
		free(kv->v[kv->n].where);
		return -1;
	}
	kv->n++;
	return 0;
}

static void keyv_free(struct keyv *kv)
{
	for (size_t i = 0; i < kv->n; i++) {
		free(kv->v[i].key);
		free(kv->v[i].where);
	}
	free(kv->v);
}

/* ---- Thread-Index ------------------------------------------------------- */

int em_lineage_thread_index(const char *value, size_t len, unsigned char guid[EM_LINEAGE_GUID_LEN])
{
	struct em_buf out = EM_BUF_INIT;
	struct em_b64 d;
	bool zero = true;
	int rc = -1;

	if (len > TI_MAX_B64)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];
		/* only the base64 alphabet and folding whitespace: anything else is
		 * not a Thread-Index (and must not decode to a guessed GUID) */
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || c == '=' || c == ' ' || c == '\t' || c == '\r' ||
		      c == '\n'))
			return -1;
	}
	em_b64_init(&d);
	if (em_b64_push(&d, value, len, &out) < 0 || out.len < TI_HEADER)
		goto out;
	memcpy(guid, (const unsigned char *)out.data + TI_GUID_OFF, EM_LINEAGE_GUID_LEN);
	for (size_t i = 0; i < EM_LINEAGE_GUID_LEN; i++)
		zero &= guid[i] == 0;
	rc = zero ? -1 : 0;
out:
	em_buf_free(&out);
	return rc;
}

/* ---- Message-IDs -------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int em_lineage_msgids(const char *value, size_t len,
		      int (*fn)(void *arg, const char *id, size_t idlen), void *arg)
{
	const char *p = value, *end = value + len;
	int n = 0, rc;

	if (memchr(value, '<', len) == NULL) {
		while (p < end && is_space(*p))
			p++;
		while (end > p && is_space(end[-1]))
			end--;
		for (const char *q = p; q < end; q++)
			if (is_space(*q))
				return 0;
		if (end > p && memchr(p, '@', (size_t)(end - p)) != NULL) {
			if ((rc = fn(arg, p, (size_t)(end - p))) != 0)
				return rc > 0 ? -rc : rc;
			return 1;
		}
		return 0;
	}
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p)), *gt;
		if (lt == NULL)
			break;
		gt = memchr(lt + 1, '>', (size_t)(end - lt - 1));
		if (gt == NULL)
			break;
		if (gt > lt + 1) {
			if ((rc = fn(arg, lt + 1, (size_t)(gt - lt - 1))) != 0)
				return rc > 0 ? -rc : rc;
			n++;
		}
		p = gt + 1;
	}
	return n;
}

int em_lineage_msgid_key(const char *id, size_t len, struct em_buf *out)
{
	size_t start = out->len, kept = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		if (c < 0x20 && !is_space((char)c))
			return 1;
		if (c == 0x7f)
			return 1;
	}
	if (em_buf_puts(out, "mid:") < 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = id[i];
		if (is_space(c))
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (em_buf_putc(out, c) < 0)
			return -1;
		kept++;
	}
	if (kept == 0 || kept > EM_LINEAGE_KEY_MAX) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return 1;
	}
	return 0;
}

/* ---- subjects ----------------------------------------------------------- */

/* Reply and forward prefixes of common mail clients; ASCII ones compared
 * without case, the others byte for byte (as those clients write them). */
static const char *const prefixes[] = {
    "antw",
    "doorst",
    "fwd",
    "fw",
    "aw",
    "wg",
    "sv",
    "vs",
    "tr",
    "rif",
    "enc",
    "odp",
    "rv",
    "re",
    "pd",
    "ynt",
    "vl",
    "r",
    "i",
    "\xc4\xb0LT",					/* İLT (Turkish forward) */
    "\xce\xa3\xce\xa7\xce\x95\xce\xa4",			/* ΣΧΕΤ */
    "\xce\xa0\xce\xa1\xce\x98",				/* ΠΡΘ */
    "\xd0\x9e\xd1\x82\xd0\xb2\xd0\xb5\xd1\x82",		/* Ответ */
    "\xd0\x9f\xd0\xb5\xd1\x80\xd0\xb5\xd1\x81\xd0\xbb", /* Пересл */
    "\xe5\x9b\x9e\xe5\xa4\x8d",				/* 回复 */
    "\xe8\xbd\xac\xe5\x8f\x91",				/* 转发 */
    "\xe7\xad\x94\xe5\xa4\x8d",				/* 答复 */
    "\xe8\xbf\x94\xe4\xbf\xa1",				/* 返信 */
    "\xe8\xbb\xa2\xe9\x80\x81",				/* 転送 */
    "\xeb\x8b\xb5\xec\x9e\xa5",				/* 답장 */
    "\xec\xa0\x84\xeb\x8b\xac",				/* 전달 */
};

/* Length of a prefix with its counter and colon at p, or 0. */
static size_t prefix_at(const char *p, const char *end)
{
	for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		size_t n = strlen(prefixes[k]);
		const char *q = p + n;
		if ((size_t)(end - p) < n)
			continue;
		if ((unsigned char)prefixes[k][0] < 0x80 ? strncasecmp(p, prefixes[k], n) != 0
							 : memcmp(p, prefixes[k], n) != 0)
			continue;
		while (q < end && is_space(*q))
			q++;
		/* "RE[2]:", "Re(2):", "Re^2:" */
		if (q < end && (*q == '[' || *q == '(' || *q == '^')) {
			const char *r = q + 1;
			while (r < end && *r >= '0' && *r <= '9')
				r++;
			if (r > q + 1 && (*q == '^' || (r < end && (*r == ']' || *r == ')'))))
				q = *q == '^' ? r : r + 1;
		}
		while (q < end && is_space(*q))
			q++;
		if (q < end && *q == ':')
			return (size_t)(q + 1 - p);
		if (end - q >= 3 && memcmp(q, "\xef\xbc\x9a", 3) == 0) /* full-width colon */
			return (size_t)(q + 3 - p);
	}
	return 0;
}

int em_lineage_subject(const char *subj, size_t len, struct em_buf *out)
{
	const char *p = subj, *end = subj + len;
	bool space = false, any = false;

	for (;;) {
		size_t n;
		while (p < end && is_space(*p))
			p++;
		if (p < end && *p == '[') {
			const char *close = memchr(
			    p, ']', (size_t)(end - p) < TAG_MAX ? (size_t)(end - p) : TAG_MAX);
			if (close != NULL) {
				p = close + 1;
				continue;
			}
		}
		if ((n = prefix_at(p, end)) > 0) {
			p += n;
			continue;
		}
		break;
	}
	/* Thunderbird's and Pine's trailing "(fwd)" */
	while (end > p && is_space(end[-1]))
		end--;
	if (end - p >= 5 && strncasecmp(end - 5, "(fwd)", 5) == 0)
		end -= 5;
	for (; p < end; p++) {
		char c = *p;
		if (is_space(c)) {
			space = any;
			continue;
		}
		if (space && em_buf_putc(out, ' ') < 0)
			return -1;
		space = false;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (em_buf_putc(out, c) < 0)
			return -1;
		any = true;
	}
	return 0;
}

/* ---- the collector ------------------------------------------------------ */

struct em_lineage *em_lineage_new(void)
{
	return calloc(1, sizeof(struct em_lineage));
}

void em_lineage_free(struct em_lineage *l)
{
	if (l == NULL)
		return;
	keyv_free(&l->look);
	keyv_free(&l->orig);
	free(l->own);
	free(l->subject);
	free(l);
}

struct idctx {
	struct em_lineage *l;
	const char *where;
	bool origin; /* record it as the message's own (or attached) id */
	bool own;    /* the top-level Message-ID */
	struct em_buf key;
	int err;
};

static int on_id(void *arg, const char *id, size_t idlen)
{
	struct idctx *c = arg;
	int rc;

	em_buf_reset(&c->key);
	if ((rc = em_lineage_msgid_key(id, idlen, &c->key)) != 0) {
		c->err = rc < 0;
		return rc < 0 ? 1 : 0;
	}
	if (keyv_add(c->l, &c->l->look, c->key.data, c->where) < 0 ||
	    (c->origin && keyv_add(c->l, &c->l->orig, c->key.data, c->where) < 0)) {
		c->err = 1;
		return 1;
	}
	if (c->own) {
		if ((c->l->own = strdup(c->key.data)) == NULL) {
			c->err = 1;
			return 1;
		}
		return 1; /* one Message-ID per message */
	}
	if (c->origin)
		return 1; /* an attached message has one Message-ID too */
	return 0;
}

int em_lineage_header(struct em_lineage *l, bool nested, const char *where_prefix, const char *name,
		      const char *value, size_t len)
{
	bool mid = strcasecmp(name, "message-id") == 0;
	char where[512];

	if (!mid && strcasecmp(name, "in-reply-to") != 0 && strcasecmp(name, "references") != 0 &&
	    strcasecmp(name, "thread-index") != 0 && strcasecmp(name, "subject") != 0)
		return 0;
	if (nested && where_prefix && *where_prefix && strcmp(where_prefix, "header") != 0)
		snprintf(where, sizeof(where), "%s/header:%s", where_prefix, name);
	else
		snprintf(where, sizeof(where), "header:%s", name);

	if (strcasecmp(name, "subject") == 0) {
		struct em_buf dec = EM_BUF_INIT, norm = EM_BUF_INIT;
		int rc = 0;

		if (nested || l->subject != NULL)
			return 0;
		if (em_rfc2047_decode(value, len, &dec) < 0 ||
		    em_lineage_subject(dec.data ? dec.data : "", dec.len, &norm) < 0) {
			rc = -1;
		} else if (norm.len >= SUBJECT_MIN && norm.len <= EM_LINEAGE_KEY_MAX) {
			if ((l->subject = strdup(norm.data)) == NULL)
				rc = -1;
			em_buf_reset(&dec);
			if (!rc &&
			    (em_buf_puts(&dec, "sub:") < 0 || em_buf_puts(&dec, norm.data) < 0 ||
			     keyv_add(l, &l->look, dec.data, where) < 0 ||
			     keyv_add(l, &l->orig, dec.data, where) < 0))
				rc = -1;
		}
		em_buf_free(&dec);
		em_buf_free(&norm);
		return rc;
	}
	if (strcasecmp(name, "thread-index") == 0) {
		unsigned char g[EM_LINEAGE_GUID_LEN];
		char key[4 + 2 * EM_LINEAGE_GUID_LEN + 1];

		if (!nested && l->have_tix)
			return 0;
		if (em_lineage_thread_index(value, len, g) < 0)
			return 0;
		memcpy(key, "tix:", 4);
		for (size_t i = 0; i < EM_LINEAGE_GUID_LEN; i++)
			snprintf(key + 4 + 2 * i, 3, "%02x", g[i]);
		if (!nested)
			l->have_tix = true;
		if (keyv_add(l, &l->look, key, where) < 0 ||
		    (!nested && keyv_add(l, &l->orig, key, where) < 0))
			return -1;
		return 0;
	}
	struct idctx c = {.l = l, .where = where, .key = EM_BUF_INIT};
	if (mid) {
		if (!nested && l->own != NULL)
			return 0; /* a second Message-ID field: the first counts */
		c.origin = true;
		c.own = !nested;
	}
	em_lineage_msgids(value, len, on_id, &c);
	em_buf_free(&c.key);
	return c.err ? -1 : 0;
}

const struct em_lineage_key *em_lineage_lookup_keys(const struct em_lineage *l, size_t *n)
{
	*n = l->look.n;
	return l->look.v;
}

const struct em_lineage_key *em_lineage_origin_keys(const struct em_lineage *l, size_t *n)
{
	*n = l->orig.n;
	return l->orig.v;
}

const char *em_lineage_own_id(const struct em_lineage *l)
{
	return l->own;
}

const char *em_lineage_norm_subject(const struct em_lineage *l)
{
	return l->subject;
}

bool em_lineage_truncated(const struct em_lineage *l)
{
	return l->truncated;
}

void em_lineage_hits_free(struct em_lineage_hit *h, size_t n)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(h[i].release);
		free(h[i].message_id);
		free(h[i].record);
	}
	free(h);
}

char *em_lineage_hit_text(const struct em_lineage_hit *h)
{
	char when[32] = "?", *s = NULL;
	const char *id = h->message_id;
	struct tm tm;

	if (gmtime_r(&h->at, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (id != NULL && strncmp(id, "mid:", 4) == 0)
		id += 4;
	if (asprintf(&s, "%s%s%s (%s%s, matched %s)", id ? "<" : "",
		     id ? id : "a message without Message-ID", id ? ">" : "",
		     h->record ? "held as record " : "delivered to allowed recipients",
		     h->record ? h->record : "", when) < 0)
		return NULL;
	return s;
}
