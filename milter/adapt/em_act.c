/*
 * em_act - verdict -> operations on the MTA (see em_act.h).
 *
 * Owns the end-of-message policy; every side effect goes through the ops
 * table. Must not depend on: libmilter, syslog, libconfig. Texts are built in
 * growable buffers; the only deliberate bounds are protocol ones (quarantine
 * reason <= 250 bytes, <= 32 reply lines), and cutting marks itself ("...").
 *
 * Precedence when the message could not be fully scanned (a limit, a decoder
 * error, out of memory, a spool write error): a blocking match already found
 * whose action is quarantine or reject still wins; anything milder (accept,
 * flag, strip) becomes on_error, because the unscanned part may block more.
 */
#define _GNU_SOURCE
#include "em_act.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/em_buf.h"
#include "../core/em_time.h"

#define REPLY_WIDTH 200	   /* characters per SMTP reply line (RFC 5321 allows 512 octets) */
#define REPLY_MAX_LINES 32 /* smfi_setmlreply's limit */
#define LIST_BUDGET 3000   /* characters of recipient list in one reply */
#define FIELD_MAX 300	   /* characters of one title/contact/error in a text */

/* Decision made before any side effect. */
struct plan {
	bool incomplete;
	bool monitor;
	const char *error;			  /* why incomplete (for texts), or NULL */
	const struct em_release_verdict *primary; /* most severe blocking release */
	enum em_action found;			  /* most severe blocking action, or accept */
	enum em_action would;			  /* the enforcing decision */
	const char **blocked;			  /* union over blocking releases, deduplicated */
	size_t nblocked;
};

static int severity(enum em_action a)
{
	switch (a) {
	case EM_FLAG:
		return 1;
	case EM_CONFIRM:
		return 2;
	case EM_STRIP:
		return 3;
	case EM_QUARANTINE:
		return 4;
	case EM_REJECT:
		return 5;
	default:
		return 0;
	}
}

/* Trims spaces and one pair of angle brackets: the envelope address proper. */
static void addr_span(const char *a, const char **p, size_t *n)
{
	size_t len;

	while (*a == ' ' || *a == '\t')
		a++;
	len = strlen(a);
	while (len > 0 && (a[len - 1] == ' ' || a[len - 1] == '\t'))
		len--;
	if (len >= 2 && a[0] == '<' && a[len - 1] == '>') {
		a++;
		len -= 2;
	}
	*p = a;
	*n = len;
}

static bool addr_eq(const char *a, const char *b)
{
	const char *pa, *pb;
	size_t na, nb;

	addr_span(a, &pa, &na);
	addr_span(b, &pb, &nb);
	return na == nb && strncasecmp(pa, pb, na) == 0;
}

/* Header value text: no control characters (no header injection), ';' kept
 * out because it separates our fields; at most max bytes, marked when cut. */
static int put_hval(struct em_buf *b, const char *s, size_t max)
{
	size_t i;

	if (s == NULL)
		s = "";
	for (i = 0; i < max && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			c = '?';
		else if (c == ';')
			c = ',';
		if (em_buf_putc(b, c) < 0)
			return -1;
	}
	if (s[i] != '\0' && em_buf_puts(b, "...") < 0)
		return -1;
	return 0;
}

/* SMTP reply text: printable ASCII only, '%' doubled as libmilter wants. */
static int put_reply(struct em_buf *b, const char *s, size_t max)
{
	size_t i;

	if (s == NULL)
		s = "";
	for (i = 0; i < max && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			if (em_buf_puts(b, "%%") < 0)
				return -1;
			continue;
		}
		if (c < 0x20 || c > 0x7e)
			c = '?';
		if (em_buf_putc(b, c) < 0)
			return -1;
	}
	if (s[i] != '\0' && em_buf_puts(b, "...") < 0)
		return -1;
	return 0;
}

static int why_set(struct em_act_out *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records the first reason for taking the fail-closed path. */
static int why_set(struct em_act_out *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out->why != NULL)
		return 0;
	va_start(ap, fmt);
	n = vasprintf(&out->why, fmt, ap);
	va_end(ap);
	if (n < 0) {
		out->why = NULL;
		return -1;
	}
	return 0;
}

static int plan_make(const struct em_act_in *in, struct plan *p)
{
	const struct em_verdict *v = in->v;
	size_t cap = 0;

	memset(p, 0, sizeof(*p));
	p->monitor = in->mode == EM_MONITOR || (v != NULL && v->mode == EM_MONITOR);
	p->found = EM_ACCEPT;
	if (v != NULL) {
		for (size_t i = 0; i < v->nreleases; i++) {
			const struct em_release_verdict *r = &v->releases[i];
			enum em_action a = r->action;

			if (r->nblocked == 0)
				continue;
			/* a blocking release with no usable action still blocks: flag it */
			if (severity(a) == 0)
				a = EM_FLAG;
			if (severity(a) > severity(p->found)) {
				p->found = a;
				p->primary = r;
			}
			for (size_t j = 0; j < r->nblocked; j++) {
				size_t k;

				for (k = 0; k < p->nblocked; k++)
					if (addr_eq(p->blocked[k], r->blocked[j]))
						break;
				if (k < p->nblocked)
					continue;
				if (p->nblocked == cap) {
					size_t ncap = cap ? cap * 2 : 8;
					const char **nb = realloc(p->blocked, ncap * sizeof(*nb));

					if (nb == NULL)
						return -1;
					p->blocked = nb;
					cap = ncap;
				}
				p->blocked[p->nblocked++] = r->blocked[j];
			}
		}
	}

	if (in->error != NULL)
		p->error = in->error;
	else if (v == NULL)
		p->error = "out of memory";
	else if (v->nincomplete > 0)
		p->error = v->incomplete[0];
	else if (v->action == EM_TEMPFAIL)
		p->error = "scan incomplete";
	p->incomplete = p->error != NULL;

	if (p->incomplete) {
		enum em_action oe = in->on_error;

		if (oe != EM_QUARANTINE && oe != EM_REJECT)
			oe = EM_TEMPFAIL;
		p->would = severity(p->found) >= severity(EM_QUARANTINE) ? p->found : oe;
	} else {
		p->would = p->found;
		/* the engine's final word counts too when it is more severe */
		if (!p->monitor && severity(v->action) > severity(p->would))
			p->would = v->action;
	}
	return 0;
}

/* Deletes every forged verdict header, highest index first: libmilter's
 * index is per name and 1-based; Postfix unlinks a deleted header (later
 * ones move down) while Sendmail keeps it counted, so deleting from the top
 * index down is the order that removes all of them on both MTAs. */
static int delete_forged(const struct em_act_in *in, const struct em_act_ops *ops, void *ctx)
{
	for (unsigned i = in->nforged; i >= 1; i--)
		if (ops->chg_header(ctx, EM_HDR_VERDICT, (int)i, NULL) < 0)
			return -1;
	for (unsigned i = in->nforged_removed; i >= 1; i--)
		if (ops->chg_header(ctx, EM_HDR_REMOVED, (int)i, NULL) < 0)
			return -1;
	return 0;
}

/* Splits text into lines of at most REPLY_WIDTH at spaces; at most
 * REPLY_MAX_LINES (the last then ends in "..."). Lines point into *store. */
static int wrap_lines(const char *text, char **store, const char **lines, size_t *nlines)
{
	size_t len = strlen(text), pos = 0, n = 0;
	char *s = malloc(len + 4 * REPLY_MAX_LINES + 1), *w;

	if (s == NULL)
		return -1;
	w = s;
	while (pos < len && n < REPLY_MAX_LINES) {
		size_t cut;

		while (text[pos] == ' ')
			pos++;
		if (pos >= len)
			break;
		if (len - pos <= REPLY_WIDTH) {
			cut = len;
		} else {
			cut = pos + REPLY_WIDTH;
			while (cut > pos && text[cut] != ' ')
				cut--;
			if (cut == pos) {
				size_t pct = 0;

				/* no space: hard cut, but never between the two '%' of "%%" */
				cut = pos + REPLY_WIDTH;
				while (cut - pct > pos && text[cut - pct - 1] == '%')
					pct++;
				if (pct % 2 == 1)
					cut--;
			}
		}
		lines[n++] = w;
		memcpy(w, text + pos, cut - pos);
		w += cut - pos;
		pos = cut;
		if (n == REPLY_MAX_LINES && pos < len) {
			memcpy(w, "...", 3);
			w += 3;
		}
		*w++ = '\0';
	}
	if (n == 0) {
		lines[n++] = w;
		*w++ = '\0';
	}
	*store = s;
	*nlines = n;
	return 0;
}

static int send_reply(const struct em_act_ops *ops, void *ctx, const char *rcode, const char *xcode,
		      const char *text)
{
	const char *lines[REPLY_MAX_LINES];
	size_t n;
	char *store;
	int rc;

	if (wrap_lines(text, &store, lines, &n) < 0)
		return -1;
	rc = ops->set_reply(ctx, rcode, xcode, lines, n);
	free(store);
	return rc;
}

/* Envelope spelling without brackets, for texts. fold: a header value,
 * folded ("\n\t", libmilter adds the CR) so no line exceeds 998 bytes. */
static int put_addr_list(struct em_buf *b, const char *const *addrs, size_t n, size_t budget,
			 int (*put)(struct em_buf *, const char *, size_t), bool fold)
{
	size_t start = b->len, line = b->len;

	for (size_t i = 0; i < n; i++) {
		const char *p;
		size_t len;
		char *one;
		int rc;

		if (b->len - start > budget) {
			if (em_buf_printf(b, " and %zu more", n - i) < 0)
				return -1;
			break;
		}
		if (i > 0 && fold && b->len - line > 70) {
			if (em_buf_puts(b, ",\n\t") < 0)
				return -1;
			line = b->len;
		} else if (i > 0 && em_buf_puts(b, ", ") < 0) {
			return -1;
		}
		addr_span(addrs[i], &p, &len);
		one = strndup(p, len);
		if (one == NULL)
			return -1;
		rc = put(b, one, FIELD_MAX);
		free(one);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int reject_text(const struct em_act_in *in, const struct plan *p, struct em_buf *b)
{
	const struct em_release_verdict *r = p->primary;

	if (r != NULL) {
		char when[64];

		em_time_format_local(r->publish_at, in->timezone ? in->timezone : "Europe/London",
				     when, sizeof(when));
		if (em_buf_puts(b, "Message refused: it contains material from ") < 0)
			return -1;
		if (r->title != NULL && r->title[0] != '\0') {
			if (em_buf_putc(b, '"') < 0 || put_reply(b, r->title, FIELD_MAX) < 0 ||
			    em_buf_puts(b, "\" (") < 0 || put_reply(b, r->id, FIELD_MAX) < 0 ||
			    em_buf_putc(b, ')') < 0)
				return -1;
		} else if (put_reply(b, r->id, FIELD_MAX) < 0) {
			return -1;
		}
		if (em_buf_puts(b, ", embargoed until ") < 0 || put_reply(b, when, FIELD_MAX) < 0 ||
		    em_buf_puts(b, ". These recipients are not on its pre-release access list: ") <
			0 ||
		    put_addr_list(b, (const char *const *)r->blocked, r->nblocked, LIST_BUDGET,
				  put_reply, false) < 0 ||
		    em_buf_putc(b, '.') < 0)
			return -1;
	} else {
		if (em_buf_puts(b, "Message refused: it could not be fully checked for embargoed "
				   "statistics (") < 0 ||
		    put_reply(b, p->error ? p->error : "scan incomplete", FIELD_MAX) < 0 ||
		    em_buf_puts(b, ").") < 0)
			return -1;
	}
	if (in->contact != NULL && in->contact[0] != '\0') {
		if (em_buf_puts(b, " Contact: ") < 0 || put_reply(b, in->contact, FIELD_MAX) < 0 ||
		    em_buf_putc(b, '.') < 0)
			return -1;
	}
	return 0;
}

static enum em_act_reply do_reject(const struct em_act_in *in, const struct plan *p,
				   const struct em_act_ops *ops, void *ctx, struct em_act_out *out)
{
	struct em_buf b = EM_BUF_INIT;

	out->taken = EM_REJECT;
	out->reply = EM_ACT_REJECT;
	/* without the text the MTA still rejects, with its default 5xx */
	if (reject_text(in, p, &b) == 0 && b.data != NULL)
		(void)send_reply(ops, ctx, "550", "5.7.1", b.data);
	em_buf_free(&b);
	return out->reply;
}

static enum em_act_reply do_tempfail(const char *reason, const struct em_act_ops *ops, void *ctx,
				     struct em_act_out *out)
{
	struct em_buf b = EM_BUF_INIT;

	out->taken = EM_TEMPFAIL;
	out->reply = EM_ACT_TEMPFAIL;
	if (em_buf_puts(&b, "Message could not be fully checked for embargoed statistics (") == 0 &&
	    put_reply(&b, reason ? reason : "internal error", FIELD_MAX) == 0 &&
	    em_buf_puts(&b, "); try again later") == 0)
		(void)send_reply(ops, ctx, "451", "4.7.1", b.data);
	em_buf_free(&b);
	return out->reply;
}

void em_act_quarantine_reason(char *buf, size_t bufsz, const char *release, size_t nblocked,
			      const char *error, const char *record)
{
	if (release != NULL)
		snprintf(buf, bufsz, "embargo: %.100s to %zu not on PRA list (record %.64s)",
			 release, nblocked, record ? record : "none");
	else
		snprintf(buf, bufsz, "embargo: scan incomplete (%.100s) (record %.64s)",
			 error ? error : "unknown", record ? record : "none");
	for (char *c = buf; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

/* Adds the verdict header built from fmt-free pieces in b. */
static int add_verdict(const struct em_act_ops *ops, void *ctx, struct em_buf *b)
{
	if (b->data == NULL)
		return -1;
	return ops->add_header(ctx, EM_HDR_VERDICT, b->data);
}

/* Quarantine, or with confirm the same hold waiting for the sender's code. */
static enum em_act_reply hold(const struct em_act_in *in, const struct plan *p,
			      const struct em_act_ops *ops, void *ctx, struct em_act_out *out,
			      bool confirm)
{
	char err[256] = "", reason[256];
	struct em_buf b = EM_BUF_INIT;
	int rc;

	if (p->primary == NULL)
		out->reason = in->local ? "unscannable" : "scan incomplete";
	if (ops->store(ctx, in->v, confirm ? "confirm" : "quarantine", out->record,
		       sizeof(out->record), err, sizeof(err)) < 0) {
		out->record[0] = '\0';
		why_set(out, "quarantine store failed: %s", err[0] ? err : "unknown error");
		/* on_error = quarantine cannot hold it either: the sender retries */
		if (in->on_error == EM_REJECT)
			return do_reject(in, p, ops, ctx, out);
		return do_tempfail("the message could not be held for review", ops, ctx, out);
	}
	out->taken = confirm ? EM_CONFIRM : EM_QUARANTINE;
	out->reply = EM_ACT_CONTINUE;
	if (p->primary != NULL)
		rc = em_buf_puts(&b, confirm ? "held; awaiting-confirmation; release="
					     : "quarantined; release=") < 0 ||
		     put_hval(&b, p->primary->id, FIELD_MAX) < 0;
	else
		rc = em_buf_puts(&b, in->local ? "quarantined; error=scan-incomplete; "
						 "reason=unscannable"
					       : "quarantined; error=scan-incomplete") < 0;
	rc = rc || em_buf_puts(&b, "; record=") < 0 || put_hval(&b, out->record, FIELD_MAX) < 0;
	em_act_quarantine_reason(reason, sizeof(reason), p->primary ? p->primary->id : NULL,
				 p->nblocked, p->error, out->record);
	if (p->primary == NULL && in->local) {
		snprintf(reason, sizeof(reason), "embargo: unscannable (%.100s) (record %.64s)",
			 p->error ? p->error : "unknown", out->record);
		for (char *c = reason; *c != '\0'; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	if (rc || delete_forged(in, ops, ctx) < 0 || add_verdict(ops, ctx, &b) < 0 ||
	    ops->quarantine(ctx, reason) < 0) {
		em_buf_free(&b);
		why_set(out, "MTA refused a change for quarantine record %s", out->record);
		return do_tempfail("the message could not be held for review", ops, ctx, out);
	}
	em_buf_free(&b);
	return out->reply;
}

static enum em_act_reply do_quarantine(const struct em_act_in *in, const struct plan *p,
				       const struct em_act_ops *ops, void *ctx,
				       struct em_act_out *out)
{
	return hold(in, p, ops, ctx, out, false);
}

/* Confirm needs somewhere for the sender's reply to go; without
 * confirm_address (or a verdict to tell the sender about) it is a plain
 * quarantine, reviewed by a person. */
static enum em_act_reply do_confirm(const struct em_act_in *in, struct plan *p,
				    const struct em_act_ops *ops, void *ctx, struct em_act_out *out)
{
	if (!in->confirm_ok || p->primary == NULL || in->v == NULL) {
		why_set(out, "confirm without confirm_address: held for review");
		p->would = EM_QUARANTINE;
		return hold(in, p, ops, ctx, out, false);
	}
	return hold(in, p, ops, ctx, out, true);
}

/* Strip: which envelope recipients go. Returns 0 and sets *ok false when
 * stripping cannot be done safely (a blocked address is not in the envelope
 * as we saw it, or nobody would be left); -1 out of memory. */
static int strip_targets(const struct em_act_in *in, const struct plan *p, const char ***del,
			 size_t *ndel, bool *ok)
{
	const char **d = calloc(in->nrcpts ? in->nrcpts : 1, sizeof(*d));
	size_t n = 0;

	if (d == NULL)
		return -1;
	*ok = true;
	for (size_t i = 0; i < in->nrcpts; i++)
		for (size_t k = 0; k < p->nblocked; k++)
			if (addr_eq(in->rcpts[i], p->blocked[k])) {
				d[n++] = in->rcpts[i];
				break;
			}
	for (size_t k = 0; k < p->nblocked && *ok; k++) {
		bool seen = false;

		for (size_t i = 0; i < n && !seen; i++)
			seen = addr_eq(d[i], p->blocked[k]);
		if (!seen)
			*ok = false;
	}
	if (n >= in->nrcpts)
		*ok = false;
	*del = d;
	*ndel = n;
	return 0;
}

static enum em_act_reply do_strip(const struct em_act_in *in, struct plan *p,
				  const struct em_act_ops *ops, void *ctx, struct em_act_out *out)
{
	struct em_buf v = EM_BUF_INIT, rm = EM_BUF_INIT;
	const char **del;
	size_t ndel;
	bool ok;
	int rc = 0;

	if (p->primary == NULL || p->nblocked == 0) {
		/* the engine said strip without naming whom: hold it instead */
		why_set(out, "strip without blocked recipients");
		p->would = EM_QUARANTINE;
		return do_quarantine(in, p, ops, ctx, out);
	}
	if (strip_targets(in, p, &del, &ndel, &ok) < 0) {
		why_set(out, "out of memory");
		return do_tempfail("out of memory", ops, ctx, out);
	}
	if (!ok) {
		free(del);
		why_set(out, ndel >= in->nrcpts ? "strip would leave no recipients"
						: "a blocked recipient is not in the envelope");
		p->would = EM_QUARANTINE;
		return do_quarantine(in, p, ops, ctx, out);
	}
	rc = em_buf_puts(&v, "stripped; release=") < 0 ||
	     put_hval(&v, p->primary->id, FIELD_MAX) < 0 ||
	     em_buf_printf(&v, "; removed=%zu", ndel) < 0 ||
	     put_addr_list(&rm, del, ndel, (size_t)-1, put_hval, true) < 0;
	if (!rc)
		rc = delete_forged(in, ops, ctx) < 0;
	for (size_t i = 0; i < ndel && !rc; i++)
		rc = ops->del_rcpt(ctx, del[i]) < 0;
	if (!rc)
		rc = add_verdict(ops, ctx, &v) < 0 || rm.data == NULL ||
		     ops->add_header(ctx, EM_HDR_REMOVED, rm.data) < 0;
	free(del);
	em_buf_free(&v);
	em_buf_free(&rm);
	if (rc) {
		why_set(out, "MTA refused a change while stripping recipients");
		return do_tempfail("recipients could not be removed", ops, ctx, out);
	}
	out->taken = EM_STRIP;
	out->nremoved = ndel;
	out->reply = EM_ACT_CONTINUE;
	return out->reply;
}

/* accept, flag and monitor: deliver with a verdict header. */
static enum em_act_reply do_deliver(const struct em_act_in *in, const struct plan *p,
				    const struct em_act_ops *ops, void *ctx, struct em_act_out *out)
{
	struct em_buf b = EM_BUF_INIT;
	int rc;

	if (p->monitor && p->would != EM_ACCEPT) {
		rc = em_buf_printf(&b, "monitor; would=%s", em_action_name(p->would)) < 0;
		if (!rc && p->primary != NULL)
			rc = em_buf_puts(&b, "; release=") < 0 ||
			     put_hval(&b, p->primary->id, FIELD_MAX) < 0 ||
			     em_buf_printf(&b, "; blocked=%zu", p->nblocked) < 0;
		else if (!rc)
			rc = em_buf_puts(&b, "; error=scan-incomplete") < 0;
	} else if (p->would == EM_FLAG) {
		rc = em_buf_puts(&b, "flagged; release=") < 0 ||
		     put_hval(&b, p->primary ? p->primary->id : "unknown", FIELD_MAX) < 0 ||
		     em_buf_printf(&b, "; blocked=%zu", p->nblocked) < 0;
	} else {
		rc = em_buf_puts(&b, "accept") < 0;
	}
	if (rc || delete_forged(in, ops, ctx) < 0 || add_verdict(ops, ctx, &b) < 0) {
		em_buf_free(&b);
		why_set(out, "MTA refused a header change");
		return do_tempfail("the verdict header could not be added", ops, ctx, out);
	}
	em_buf_free(&b);
	out->taken = p->monitor ? EM_ACCEPT : p->would;
	out->reply = EM_ACT_CONTINUE;
	return out->reply;
}

enum em_act_reply em_act_apply(const struct em_act_in *in, const struct em_act_ops *ops, void *ctx,
			       struct em_act_out *out)
{
	struct plan p;
	enum em_act_reply r;

	memset(out, 0, sizeof(*out));
	if (plan_make(in, &p) < 0) {
		free(p.blocked);
		why_set(out, "out of memory");
		out->would = EM_TEMPFAIL;
		return do_tempfail("out of memory", ops, ctx, out);
	}
	out->monitor = p.monitor;
	out->would = p.would;
	out->release = p.primary ? p.primary->id : NULL;
	out->nblocked = p.nblocked;
	/* a local submission held for it: "unscannable" (README), not retried */
	if (p.incomplete && in->local && p.would == EM_QUARANTINE && p.primary == NULL)
		why_set(out, "unscannable: scan incomplete: %s", p.error);
	else if (p.incomplete)
		why_set(out, "scan incomplete: %s", p.error);

	if (p.monitor) {
		r = do_deliver(in, &p, ops, ctx, out);
	} else {
		switch (p.would) {
		case EM_REJECT:
			r = do_reject(in, &p, ops, ctx, out);
			break;
		case EM_QUARANTINE:
			r = do_quarantine(in, &p, ops, ctx, out);
			break;
		case EM_STRIP:
			r = do_strip(in, &p, ops, ctx, out);
			break;
		case EM_CONFIRM:
			r = do_confirm(in, &p, ops, ctx, out);
			break;
		case EM_FLAG:
		case EM_ACCEPT:
			r = do_deliver(in, &p, ops, ctx, out);
			break;
		default:
			r = do_tempfail(p.error, ops, ctx, out);
			break;
		}
	}
	/* strip or confirm may have turned into quarantine */
	out->would = p.would;
	free(p.blocked);
	return r;
}

void em_act_out_free(struct em_act_out *out)
{
	if (out == NULL)
		return;
	free(out->why);
	out->why = NULL;
}
