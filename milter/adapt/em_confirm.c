/*
 * em_confirm - codes, reply parsing and notice texts of the confirm action
 * (see em_confirm.h).
 *
 * Depends on: the core's MIME walk, decoders and HTML-to-text, Nettle's
 * SHA-256, getrandom(2). Must not depend on: libmilter, syslog, libconfig.
 */
#define _GNU_SOURCE
#include "em_confirm.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "../core/em_buf.h"
#include "../core/em_decode.h"
#include "../core/em_mime.h"
#include "../core/em_text.h"
#include "../core/em_time.h"

#define ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#define FIELD_MAX 300
#define DEFAULT_TZ "Europe/London"
#define DEFAULT_FROM "MAILER-DAEMON"
#define LIST_MAX 50 /* recipients named in a notice; more are counted */

static int fill_random(void *p, size_t n)
{
	unsigned char *b = p;

	while (n > 0) {
		ssize_t got = getrandom(b, n, 0);

		if (got < 0)
			return -1;
		b += got;
		n -= (size_t)got;
	}
	return 0;
}

int em_confirm_code_new(char *code)
{
	unsigned char r[8];

	if (fill_random(r, sizeof(r)) < 0)
		return -1;
	/* 256 is a multiple of 32: taking the low 5 bits is uniform */
	for (int i = 0, o = 0; i < 8; i++) {
		if (i == 4)
			code[o++] = '-';
		code[o++] = ALPHABET[r[i] & 31];
	}
	code[9] = '\0';
	return 0;
}

int em_confirm_salt_new(char *salt)
{
	unsigned char r[16];

	if (fill_random(r, sizeof(r)) < 0)
		return -1;
	for (int i = 0; i < 16; i++)
		snprintf(salt + 2 * i, 3, "%02x", r[i]);
	return 0;
}

static bool sym(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	return c != '\0' && strchr(ALPHABET, c) != NULL;
}

/* Upper-cased copy of a well-formed code into out; -1 when not one. */
static int code_norm(const char *code, char *out)
{
	if (code == NULL || strlen(code) != 9 || code[4] != '-')
		return -1;
	for (int i = 0; i < 9; i++) {
		unsigned char c = (unsigned char)code[i];

		if (i == 4) {
			out[i] = '-';
			continue;
		}
		if (!sym(c))
			return -1;
		out[i] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
	}
	out[9] = '\0';
	return 0;
}

int em_confirm_hash(const char *salt, const char *code, char *hash)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char c[EM_CONFIRM_CODE_SIZE];

	if (salt == NULL || code_norm(code, c) < 0)
		return -1;
	sha256_init(&ctx);
	sha256_update(&ctx, strlen(salt), (const uint8_t *)salt);
	sha256_update(&ctx, 1, (const uint8_t *)":");
	sha256_update(&ctx, 9, (const uint8_t *)c);
	sha256_digest(&ctx, sizeof(d), d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(hash + 2 * i, 3, "%02x", d[i]);
	return 0;
}

int em_confirm_code_matches(const char *salt, const char *hash, const char *code)
{
	char h[EM_CONFIRM_HASH_SIZE];
	unsigned diff = 0;

	if (hash == NULL || strlen(hash) != 64 || em_confirm_hash(salt, code, h) < 0)
		return 0;
	for (int i = 0; i < 64; i++)
		diff |= (unsigned)(h[i] ^ hash[i]);
	return diff == 0;
}

static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* Length-9 code token at text+i (bounded by non-word characters)? */
static bool code_at(const char *t, size_t len, size_t i)
{
	if (i + 9 > len || (i > 0 && word_char((unsigned char)t[i - 1])) ||
	    (i + 9 < len && (word_char((unsigned char)t[i + 9]) || t[i + 9] == '-')) ||
	    (i > 0 && t[i - 1] == '-'))
		return false;
	for (size_t k = 0; k < 9; k++) {
		if (k == 4) {
			if (t[i + k] != '-')
				return false;
		} else if (!sym((unsigned char)t[i + k])) {
			return false;
		}
	}
	return true;
}

size_t em_confirm_find_codes(const char *text, size_t len, char (*codes)[EM_CONFIRM_CODE_SIZE],
			     size_t *ncodes)
{
	size_t added = 0;

	for (size_t i = 0; text != NULL && i + 9 <= len && *ncodes < EM_CONFIRM_MAX_CODES; i++) {
		char c[EM_CONFIRM_CODE_SIZE], raw[EM_CONFIRM_CODE_SIZE];
		size_t k;

		if (!code_at(text, len, i))
			continue;
		memcpy(raw, text + i, 9);
		raw[9] = '\0';
		if (code_norm(raw, c) < 0)
			continue;
		for (k = 0; k < *ncodes; k++)
			if (strcmp(codes[k], c) == 0)
				break;
		if (k == *ncodes) {
			memcpy(codes[(*ncodes)++], c, EM_CONFIRM_CODE_SIZE);
			added++;
		}
		i += 8;
	}
	return added;
}

/* ---- justification ---- */

static bool starts_ci(const char *l, size_t n, const char *p)
{
	size_t pn = strlen(p);

	return n >= pn && strncasecmp(l, p, pn) == 0;
}

static bool ends_ci(const char *l, size_t n, const char *p)
{
	size_t pn = strlen(p);

	return n >= pn && strncasecmp(l + n - pn, p, pn) == 0;
}

/* Where the quoted original (or a signature) begins: reply clients' shapes. */
static bool quote_start(const char *l, size_t n)
{
	while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	if (n == 2 && l[0] == '-' && l[1] == '-')
		return true; /* "-- " signature separator (trailing space trimmed) */
	while (n > 0 && (*l == ' ' || *l == '\t'))
		l++, n--;
	if (n == 0)
		return false;
	if (l[0] == '>')
		return true;
	if (starts_ci(l, n, "-----Original Message") || starts_ci(l, n, "-------- Original") ||
	    starts_ci(l, n, "________________") || starts_ci(l, n, "Begin forwarded message"))
		return true;
	/* Outlook: "From: X" then "Sent:"; the header block of the original */
	if (starts_ci(l, n, "From:") || starts_ci(l, n, "Sent:") || starts_ci(l, n, "De :") ||
	    starts_ci(l, n, "Von:"))
		return true;
	/* Thunderbird, Apple Mail, Gmail: "On <date>, <who> wrote:" */
	if (starts_ci(l, n, "On ") && (ends_ci(l, n, "wrote:") || ends_ci(l, n, "wrote")))
		return true;
	if (starts_ci(l, n, "Le ") && ends_ci(l, n, "crit :"))
		return true;
	if (starts_ci(l, n, "Am ") && ends_ci(l, n, "schrieb:"))
		return true;
	return false;
}

/* Appends line l[0..n) without code tokens, controls as spaces, spaces collapsed. */
static int put_line(struct em_buf *b, const char *l, size_t n)
{
	bool space = b->len == 0 || b->data[b->len - 1] == ' ';

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)l[i];

		if (code_at(l, n, i)) {
			i += 8;
			c = ' ';
		} else if (c < 0x20 || c == 0x7f) {
			c = ' ';
		}
		if (c == ' ') {
			if (!space && em_buf_putc(b, ' ') < 0)
				return -1;
			space = true;
			continue;
		}
		if (em_buf_putc(b, c) < 0)
			return -1;
		space = false;
	}
	if (!space && em_buf_putc(b, ' ') < 0)
		return -1;
	return 0;
}

char *em_confirm_justification(const char *text, size_t len)
{
	struct em_buf b = EM_BUF_INIT;
	size_t pos = 0, cut;
	char *s;

	while (text != NULL && pos < len) {
		const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;

		pos += n + (nl ? 1 : 0);
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (quote_start(l, n))
			break;
		if (put_line(&b, l, n) < 0) {
			em_buf_free(&b);
			return NULL;
		}
		if (b.len > EM_CONFIRM_REASON_MAX + 8)
			break;
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.len--;
	if (b.len > EM_CONFIRM_REASON_MAX) {
		/* cut on a UTF-8 character boundary, visibly */
		cut = EM_CONFIRM_REASON_MAX;
		while (cut > 0 && ((unsigned char)b.data[cut] & 0xc0) == 0x80)
			cut--;
		b.len = cut;
		if (em_buf_puts(&b, "...") < 0) {
			em_buf_free(&b);
			return NULL;
		}
	}
	if (b.data != NULL)
		b.data[b.len] = '\0';
	s = em_buf_steal(&b);
	/* invalid UTF-8 from a lying charset must not reach JSON or a notice */
	if (s != NULL && !em_utf8_valid(s, strlen(s)))
		for (char *p = s; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
	return s;
}

/* ---- reading a reply ---- */

struct walk {
	struct em_buf subject;
	struct em_buf plain;
	struct em_buf html;
	bool have_plain, have_html;
	bool auto_submitted;
	bool nomem;
};

static int on_header(void *ctx, const struct em_mime_part *p, bool message_header, const char *name,
		     const char *value, size_t len)
{
	struct walk *w = ctx;

	if (!message_header || p->depth != 0 || p->in_nested)
		return 0;
	if (strcasecmp(name, "Subject") == 0 && w->subject.len == 0) {
		if (em_rfc2047_decode(value, len, &w->subject) < 0)
			w->nomem = true;
	} else if (strcasecmp(name, "Auto-Submitted") == 0) {
		while (len > 0 && (*value == ' ' || *value == '\t'))
			value++, len--;
		if (!(len >= 2 && strncasecmp(value, "no", 2) == 0 &&
		      (len == 2 || value[2] == ' ' || value[2] == ';' || value[2] == '\r')))
			w->auto_submitted = true;
	} else if (strcasecmp(name, "Precedence") == 0) {
		if (memmem(value, len, "bulk", 4) || memmem(value, len, "junk", 4) ||
		    memmem(value, len, "list", 4))
			w->auto_submitted = true;
	}
	return 0;
}

static int on_leaf(void *ctx, const struct em_mime_part *p, const char *d, size_t n)
{
	struct walk *w = ctx;
	bool html = strcmp(p->type, "text/html") == 0;
	bool plain = strcmp(p->type, "text/plain") == 0;
	struct em_buf u = EM_BUF_INIT;
	bool lossy = false;

	if (strcmp(p->where, "body") != 0 || p->in_nested || (!html && !plain) ||
	    (plain && w->have_plain) || (html && w->have_html))
		return 0;
	if (em_charset_to_utf8(p->charset, d, n, &u, &lossy) < 0) {
		w->nomem = true;
		return 0;
	}
	if (plain) {
		if (em_buf_append(&w->plain, u.data ? u.data : "", u.len) < 0)
			w->nomem = true;
		w->have_plain = true;
	} else {
		if (em_html_to_text(u.data ? u.data : "", u.len, &w->html) < 0)
			w->nomem = true;
		w->have_html = true;
	}
	em_buf_free(&u);
	return 0;
}

void em_confirm_reply_free(struct em_confirm_reply *r)
{
	if (r == NULL)
		return;
	free(r->justification);
	r->justification = NULL;
}

int em_confirm_parse_reply(const char *raw, size_t len, const struct em_limits *lim,
			   struct em_confirm_reply *out)
{
	struct walk w;
	struct em_mime_cb cb;
	struct em_mime *m;
	const struct em_buf *body;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	memset(&cb, 0, sizeof(cb));
	cb.ctx = &w;
	cb.header = on_header;
	cb.leaf = on_leaf;
	m = em_mime_new(lim, &cb);
	if (m == NULL)
		return -1;
	em_mime_push(m, raw, len);
	em_mime_finish(m);
	out->damaged = em_mime_flags(m) != 0;
	em_mime_free(m);
	if (w.nomem)
		rc = -1;
	body = w.have_plain ? &w.plain : &w.html;
	out->auto_submitted = w.auto_submitted;
	em_confirm_find_codes(w.subject.data, w.subject.len, out->codes, &out->ncodes);
	em_confirm_find_codes(body->data, body->len, out->codes, &out->ncodes);
	/* an HTML part may hold a code the plain part lost (or the reverse) */
	if (w.have_plain && w.have_html)
		em_confirm_find_codes(w.html.data, w.html.len, out->codes, &out->ncodes);
	if (rc == 0 &&
	    (out->justification = em_confirm_justification(body->data, body->len)) == NULL)
		rc = -1;
	em_buf_free(&w.subject);
	em_buf_free(&w.plain);
	em_buf_free(&w.html);
	if (rc < 0)
		em_confirm_reply_free(out);
	return rc;
}

/* ---- notice texts ---- */

/* Appends s with control characters as '?' and invalid UTF-8 as '?', at most max bytes. */
static int put_safe(struct em_buf *b, const char *s, size_t max)
{
	size_t i;

	if (s == NULL)
		s = "";
	for (i = 0; i < max && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			c = '?';
		if (em_buf_putc(b, c) < 0)
			return -1;
	}
	if (s[i] != '\0' && em_buf_puts(b, "...") < 0)
		return -1;
	return 0;
}

/* RFC 5322 date in UTC (em_time_format_rfc5322). */
static int put_date(struct em_buf *b, time_t t)
{
	char d[EM_TIME_RFC5322_SIZE];

	em_time_format_rfc5322(t, d, sizeof(d));
	return em_buf_puts(b, d);
}

static int put_local(struct em_buf *b, const struct em_confirm_notice_in *in, time_t t)
{
	char when[96];

	em_time_format_local(t, in->timezone && in->timezone[0] ? in->timezone : DEFAULT_TZ, when,
			     sizeof(when));
	return put_safe(b, when[0] ? when : "(unknown time)", FIELD_MAX);
}

static int put_headers(struct em_buf *b, const struct em_confirm_notice_in *in, const char *to,
		       const struct em_buf *subject)
{
	const char *from = in->from && in->from[0] ? in->from : DEFAULT_FROM;

	if (em_buf_puts(b, "From: Mail relay release check <") < 0 ||
	    put_safe(b, from, FIELD_MAX) < 0 || em_buf_puts(b, ">\r\nTo: <") < 0 ||
	    put_safe(b, to, FIELD_MAX) < 0 || em_buf_puts(b, ">\r\n") < 0)
		return -1;
	if (in->confirm_address && in->confirm_address[0] &&
	    (em_buf_puts(b, "Reply-To: <") < 0 || put_safe(b, in->confirm_address, FIELD_MAX) < 0 ||
	     em_buf_puts(b, ">\r\n") < 0))
		return -1;
	if (em_buf_puts(b, "Subject: ") < 0 ||
	    put_safe(b, subject->data ? subject->data : "", 2 * FIELD_MAX) < 0 ||
	    em_buf_puts(b, "\r\nDate: ") < 0 || put_date(b, in->now) < 0 ||
	    em_buf_puts(b, "\r\nMessage-ID: ") < 0 ||
	    put_safe(b, in->message_id && in->message_id[0] ? in->message_id : "<notice@localhost>",
		     FIELD_MAX) < 0 ||
	    em_buf_puts(b, "\r\nMIME-Version: 1.0\r\n"
			   "Content-Type: text/plain; charset=utf-8\r\n"
			   "Content-Transfer-Encoding: 8bit\r\n"
			   "Auto-Submitted: auto-generated\r\n"
			   "X-Embargo-Milter: notice\r\n"
			   "\r\n") < 0)
		return -1;
	return 0;
}

/* Strips spaces and one pair of <> for texts. */
static int put_addr(struct em_buf *b, const char *a)
{
	size_t n;

	while (*a == ' ')
		a++;
	n = strlen(a);
	if (n >= 2 && a[0] == '<' && a[n - 1] == '>') {
		char *c = strndup(a + 1, n - 2);
		int rc;

		if (c == NULL)
			return -1;
		rc = put_safe(b, c, FIELD_MAX);
		free(c);
		return rc;
	}
	return put_safe(b, a, FIELD_MAX);
}

static int put_release_name(struct em_buf *b, const struct em_confirm_notice_in *in,
			    const struct em_release_verdict *r)
{
	if (!in->omit_titles && r->title && r->title[0])
		return put_safe(b, r->title, FIELD_MAX) < 0 || em_buf_puts(b, " (") < 0 ||
			       put_safe(b, r->id, FIELD_MAX) < 0 || em_buf_putc(b, ')') < 0
			   ? -1
			   : 0;
	return put_safe(b, r->id, FIELD_MAX);
}

/* The blocking releases: name, hours to publication, recipients not on the list. */
static int put_why(struct em_buf *b, const struct em_confirm_notice_in *in)
{
	const struct em_verdict *v = in->v;

	for (size_t i = 0; v != NULL && i < v->nreleases; i++) {
		const struct em_release_verdict *r = &v->releases[i];
		long mins = (long)((r->publish_at - in->now) / 60);

		if (r->nblocked == 0)
			continue;
		if (em_buf_puts(b, "Release:       ") < 0 || put_release_name(b, in, r) < 0 ||
		    em_buf_puts(b, "\r\nPublished at:  ") < 0 ||
		    put_local(b, in, r->publish_at) < 0)
			return -1;
		if (mins > 0 && em_buf_printf(b, " (in %ld h %02ld min)", mins / 60, mins % 60) < 0)
			return -1;
		if (em_buf_puts(b, "\r\nNot on its list yet:\r\n") < 0)
			return -1;
		for (size_t k = 0; k < r->nblocked && k < LIST_MAX; k++)
			if (em_buf_puts(b, "    ") < 0 || put_addr(b, r->blocked[k]) < 0 ||
			    em_buf_puts(b, "\r\n") < 0)
				return -1;
		if (r->nblocked > LIST_MAX &&
		    em_buf_printf(b, "    and %zu more\r\n", r->nblocked - LIST_MAX) < 0)
			return -1;
		if (em_buf_puts(b, "\r\n") < 0)
			return -1;
	}
	return 0;
}

static const struct em_release_verdict *first_blocking(const struct em_verdict *v)
{
	for (size_t i = 0; v != NULL && i < v->nreleases; i++)
		if (v->releases[i].nblocked > 0)
			return &v->releases[i];
	return NULL;
}

static char *finish(struct em_buf *b, int rc)
{
	char *s;

	if (rc < 0 || b->data == NULL) {
		em_buf_free(b);
		return NULL;
	}
	s = em_buf_steal(b);
	return s;
}

/* "Or open URL ..." when the review console's confirm page is configured. */
static int put_confirm_url(struct em_buf *b, const struct em_confirm_notice_in *in)
{
	if (in->confirm_url == NULL || in->confirm_url[0] == '\0')
		return 0;
	return em_buf_puts(b, "Or open\r\n\r\n    ") < 0 ||
		       put_safe(b, in->confirm_url, FIELD_MAX) < 0 ||
		       em_buf_puts(b,
				   "\r\n\r\nsign in with your usual account, and type the code and "
				   "your reason there.\r\n\r\n") < 0
		   ? -1
		   : 0;
}

int em_confirm_notice_text(const struct em_confirm_notice_in *in, char **out)
{
	const struct em_release_verdict *r = first_blocking(in->v);
	struct em_buf subj = EM_BUF_INIT, b = EM_BUF_INIT;
	int rc;

	rc = em_buf_puts(&subj, EM_CONFIRM_SUBJECT_TAG " held: ") < 0 ||
		     (r ? put_release_name(&subj, in, r) : em_buf_puts(&subj, "message")) < 0 ||
		     em_buf_puts(&subj, " code ") < 0 || put_safe(&subj, in->code, 16) < 0
		 ? -1
		 : 0;
	rc = rc < 0 || put_headers(&b, in, in->sender, &subj) < 0 ? -1 : 0;
	em_buf_free(&subj);
	if (rc == 0)
		rc =
		    em_buf_puts(&b, "Your message has been held: it was not delivered.\r\n\r\n"
				    "It seems to contain material from a statistical release that "
				    "is not published yet, and it was addressed to people who are "
				    "not on that release's list. The check is not certain, so you "
				    "may release it yourself if it is fine to send.\r\n\r\n") < 0 ||
			    put_why(&b, in) < 0
			? -1
			: 0;
	if (rc == 0)
		rc = em_buf_puts(&b, "To release it: reply to this message (the reply goes to ") <
				 0 ||
			     put_safe(&b, in->confirm_address, FIELD_MAX) < 0 ||
			     em_buf_puts(&b, "), keep the code\r\n\r\n    ") < 0 ||
			     put_safe(&b, in->code, 16) < 0 ||
			     em_buf_puts(&b,
					 "\r\n\r\nin the subject or the text, and write in the "
					 "first lines of your reply one\r\nor two sentences on why "
					 "these recipients may have it before publication.\r\n"
					 "Your reason is recorded and sent to the security team. "
					 "Send the reply from\r\nthe address this message was sent "
					 "from.\r\n\r\nThe code works until ") < 0 ||
			     put_local(&b, in, in->expires) < 0 ||
			     em_buf_puts(&b, ". If you do nothing, the message stays held\r\n"
					     "for review.\r\n\r\n") < 0 ||
			     put_confirm_url(&b, in) < 0 || em_buf_puts(&b, "Reference: ") < 0 ||
			     put_safe(&b, in->record, FIELD_MAX) < 0 || em_buf_puts(&b, "\r\n") < 0
			 ? -1
			 : 0;
	if (rc == 0 && in->contact && in->contact[0])
		rc = em_buf_puts(&b, "Contact:   ") < 0 ||
			     put_safe(&b, in->contact, FIELD_MAX) < 0 || em_buf_puts(&b, "\r\n") < 0
			 ? -1
			 : 0;
	*out = finish(&b, rc);
	return *out ? 0 : -1;
}

int em_confirm_answer_text(const struct em_confirm_notice_in *in, bool accepted, const char *why,
			   char **out)
{
	struct em_buf subj = EM_BUF_INIT, b = EM_BUF_INIT;
	int rc;

	rc = em_buf_puts(&subj, accepted ? EM_CONFIRM_SUBJECT_TAG " release requested"
					 : EM_CONFIRM_SUBJECT_TAG " not released") < 0 ||
		     put_headers(&b, in, in->sender, &subj) < 0
		 ? -1
		 : 0;
	em_buf_free(&subj);
	if (rc == 0 && accepted)
		rc = em_buf_puts(&b, "Your reply was accepted: the held message will be "
				     "delivered within a few minutes.\r\n\r\nReference: ") < 0 ||
			     put_safe(&b, in->record, FIELD_MAX) < 0 ||
			     em_buf_puts(&b, "\r\nYour reason, as recorded: ") < 0 ||
			     put_safe(&b, why, EM_CONFIRM_REASON_MAX + 3) < 0 ||
			     em_buf_puts(&b, "\r\n") < 0
			 ? -1
			 : 0;
	else if (rc == 0)
		rc = em_buf_puts(&b, "Your reply did not release any message: ") < 0 ||
			     put_safe(&b, why, FIELD_MAX) < 0 ||
			     em_buf_puts(&b,
					 ".\r\n\r\nNothing was delivered. A code works once, "
					 "only until the time given in the notice,\r\nand only in "
					 "a reply sent from the address the held message was sent "
					 "from.\r\n") < 0
			 ? -1
			 : 0;
	if (rc == 0 && in->contact && in->contact[0])
		rc = em_buf_puts(&b, "Contact: ") < 0 || put_safe(&b, in->contact, FIELD_MAX) < 0 ||
			     em_buf_puts(&b, "\r\n") < 0
			 ? -1
			 : 0;
	*out = finish(&b, rc);
	return *out ? 0 : -1;
}

int em_confirm_security_text(const struct em_confirm_notice_in *in, const char *to,
			     const char *request_id, const char *requested_by, const char *reason,
			     char **out)
{
	struct em_buf subj = EM_BUF_INIT, b = EM_BUF_INIT;
	const struct em_release_verdict *r = first_blocking(in->v);
	int rc;

	rc = em_buf_puts(&subj, "Release requested by its sender: ") < 0 ||
		     (r ? em_buf_puts(&subj, "release ") < 0 ||
			      put_safe(&subj, r->id, FIELD_MAX) < 0 || em_buf_puts(&subj, ", ") < 0
			: 0) ||
		     em_buf_puts(&subj, "record ") < 0 || put_safe(&subj, in->record, FIELD_MAX) < 0
		 ? -1
		 : 0;
	if (rc == 0) {
		struct em_confirm_notice_in s = *in;

		s.confirm_address = NULL;
		rc = put_headers(&b, &s, to, &subj);
	}
	em_buf_free(&subj);
	if (rc == 0)
		rc =
		    em_buf_puts(&b, "The sender of a message held for confirmation asked for it "
				    "to be released,\r\nwith the one-time code sent to them. The "
				    "root job (embargoctl quarantine\r\nprocess-requests) delivers "
				    "it.\r\n\r\nRecord:        ") < 0 ||
			    put_safe(&b, in->record, FIELD_MAX) < 0 ||
			    em_buf_puts(&b, "\r\nRequest:       ") < 0 ||
			    put_safe(&b, request_id, FIELD_MAX) < 0 ||
			    em_buf_puts(&b, "\r\nRequested by:  ") < 0 ||
			    put_safe(&b, requested_by, FIELD_MAX) < 0 ||
			    em_buf_puts(&b, "\r\nRequested at:  ") < 0 ||
			    put_local(&b, in, in->now) < 0 ||
			    em_buf_puts(&b, "\r\nReason:        ") < 0 ||
			    put_safe(&b, reason ? reason : "(in the audit log)",
				     EM_CONFIRM_REASON_MAX + 3) < 0 ||
			    em_buf_puts(&b, "\r\n\r\n") < 0 || put_why(&b, in) < 0
			? -1
			: 0;
	*out = finish(&b, rc);
	return *out ? 0 : -1;
}
