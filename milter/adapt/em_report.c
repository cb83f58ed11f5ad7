/*
 * em_report - draft breach report, evidence context and display cleaning
 * (see em_report.h).
 *
 * Owns the report's wording and layout only. Reads a store row and a verdict
 * that the caller loaded; depends on the core's em_buf and em_time (for
 * dates in the configured zone). Must not depend on libmilter, syslog,
 * libconfig or the filesystem; never logs. Every allocation failure makes
 * the builder return NULL: a half-written report is never handed out.
 */
#define _GNU_SOURCE

#include "em_report.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/em_buf.h"
#include "../core/em_time.h"

#define SNIP_MAX_SIDE 80

struct out {
	struct em_buf b;
	enum em_report_format fmt;
	bool nomem;
};

static void put(struct out *o, const char *s);
static void putf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_text(struct out *o, const char *s);

/* ---- cleaning ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p (n bytes left) and its code point; 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		c = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		c = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	/* overlong forms, surrogates and values beyond Unicode are not text */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Characters that a terminal would act on, or that hide or reorder text. */
static bool unsafe_cp(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || (c >= 0x200B && c <= 0x200F) ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
}

char *em_report_clean(const char *s)
{
	struct em_buf b = EM_BUF_INIT;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);

	/* an empty append NUL-terminates even an empty result */
	if (em_buf_reserve(&b, n + 1) < 0 || em_buf_append(&b, "", 0) < 0) {
		em_buf_free(&b);
		return NULL;
	}
	for (size_t i = 0; i < n;) {
		uint32_t cp = 0;
		size_t k = utf8_seq(p + i, n - i, &cp);

		if (k == 0) {
			em_buf_putc(&b, '?');
			i++;
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			em_buf_putc(&b, ' ');
			i += k;
		} else if (unsafe_cp(cp)) {
			em_buf_putc(&b, '?');
			i += k;
		} else {
			em_buf_append(&b, p + i, k);
			i += k;
		}
	}
	/* The output is never longer than the input: the reserve above covers it. */
	return em_buf_steal(&b);
}

/* ---- context -------------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int em_report_context(const char *text, size_t len, const char *needle, unsigned words,
		      struct em_report_snip *out)
{
	size_t nl = needle ? strlen(needle) : 0, a, z, lim;
	const char *hit;
	unsigned w;

	if (text == NULL || nl == 0 || out == NULL)
		return 0;
	if ((hit = memmem(text, len, needle, nl)) == NULL)
		return 0;
	a = (size_t)(hit - text);
	z = a + nl;
	out->match = a;
	out->match_end = z;

	/* leftwards: skip the space next to the match, then `words` words */
	lim = a > SNIP_MAX_SIDE ? a - SNIP_MAX_SIDE : 0;
	for (w = 0; a > lim && w < words; w++) {
		while (a > lim && is_space(text[a - 1]))
			a--;
		while (a > lim && !is_space(text[a - 1]))
			a--;
	}
	while (a < out->match && (((unsigned char)text[a] & 0xC0) == 0x80))
		a++;
	while (a < out->match && is_space(text[a]))
		a++;

	lim = len - z > SNIP_MAX_SIDE ? z + SNIP_MAX_SIDE : len;
	for (w = 0; z < lim && w < words; w++) {
		while (z < lim && is_space(text[z]))
			z++;
		while (z < lim && !is_space(text[z]))
			z++;
	}
	while (z > out->match_end && z < len && (((unsigned char)text[z] & 0xC0) == 0x80))
		z--;
	while (z > out->match_end && is_space(text[z - 1]))
		z--;

	out->from = a;
	out->to = z;
	out->cut_before = a > 0;
	out->cut_after = z < len;
	return 1;
}

/* ---- output helpers --------------------------------------------------------- */

static void put(struct out *o, const char *s)
{
	if (!o->nomem && em_buf_puts(&o->b, s) < 0)
		o->nomem = true;
}

static void putf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->nomem = true;
		return;
	}
	put(o, s);
	free(s);
}

/* Text from the message: cleaned, and escaped where markdown would read it as markup
 * (it is never at the start of a line, so only inline markup and table bars matter). */
static void put_text(struct out *o, const char *s)
{
	char *c = em_report_clean(s);

	if (c == NULL) {
		o->nomem = true;
		return;
	}
	if (o->fmt == EM_REPORT_MD) {
		for (const char *p = c; *p && !o->nomem; p++) {
			if (strchr("\\`*_[]<>|~#", *p) && em_buf_putc(&o->b, '\\') < 0)
				o->nomem = true;
			if (em_buf_putc(&o->b, *p) < 0)
				o->nomem = true;
		}
	} else {
		put(o, c);
	}
	free(c);
}

static void heading(struct out *o, int level, const char *title)
{
	if (o->fmt == EM_REPORT_MD)
		putf(o, "%s %s\n\n", level == 1 ? "#" : "##", title);
	else
		putf(o, "%s\n\n", title);
}

static void table_head(struct out *o)
{
	if (o->fmt == EM_REPORT_MD)
		put(o, "| Information needed | Response |\n|---|---|\n");
	else
		put(o, "Information needed\tResponse\n");
}

/* A table row whose response is already-safe text the report wrote itself. */
static void row_plain(struct out *o, const char *label, const char *response)
{
	if (o->fmt == EM_REPORT_MD)
		putf(o, "| %s | %s |\n", label, response);
	else
		putf(o, "%s\t%s\n", label, response);
}

static void table_end(struct out *o)
{
	put(o, "\n");
}

/* "2020-11-11" in zone tz. */
static void date_local(time_t t, const char *tz, char *buf, size_t sz)
{
	em_time_format_local(t, tz, buf, sz);
	if (strlen(buf) > 10)
		buf[10] = '\0';
}

static void put_list(struct out *o, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(o, ", ");
		put_text(o, v[i]);
	}
}

/* ---- the report ------------------------------------------------------------- */

const char *em_report_action_words(const char *a)
{
	if (a == NULL)
		return "took an action that was not recorded";
	if (strcmp(a, "quarantine") == 0)
		return "held the message in quarantine for review";
	if (strcmp(a, "reject") == 0)
		return "rejected the message: it was returned to the sender and not delivered";
	if (strcmp(a, "strip") == 0)
		return "removed the recipients not on the pre-release access list; the message was "
		       "delivered to the others";
	if (strcmp(a, "flag") == 0)
		return "delivered the message, flagged for review";
	if (strcmp(a, "accept") == 0)
		return "delivered the message (monitor mode: nothing was held)";
	if (strcmp(a, "tempfail") == 0)
		return "deferred the message because it could not be fully checked";
	return "took an action not known to this report";
}

static const char *kind_words(enum em_ev_kind k)
{
	static const char *const words[] = {
		[EM_EV_MARKER] = "a protective marker",
		[EM_EV_IDENTIFIER] = "the release identifier",
		[EM_EV_CONTENT] = "release content",
		[EM_EV_EXCERPT] = "a passage of a release document",
		[EM_EV_FIGURES] = "headline figures of the release",
		[EM_EV_LINK] = "a link to the release's working area",
		[EM_EV_THREAD] = "a reply to or forward of release mail",
	};
	return (unsigned)k < EM_EV__COUNT ? words[k] : "evidence";
}

/* Kinds and places of the evidence, each pair once; never the matched text. */
static void put_evidence(struct out *o, const struct em_release_verdict *r)
{
	size_t shown = 0;

	for (size_t i = 0; i < r->nevidence; i++) {
		const struct em_evidence *e = &r->evidence[i];
		bool dup = false;

		for (size_t k = 0; k < i && !dup; k++)
			dup = r->evidence[k].kind == e->kind && e->where && r->evidence[k].where &&
			      strcmp(r->evidence[k].where, e->where) == 0;
		if (dup)
			continue;
		put(o, shown++ ? "; " : "");
		putf(o, "%s in ", kind_words(e->kind));
		put_text(o, e->where);
	}
	if (shown == 0)
		put(o, "no evidence recorded");
}

static void put_account_release(struct out *o, const struct em_report_in *in,
				const struct em_release_verdict *r)
{
	char pub[64];
	double hours = difftime(r->publish_at, in->v->at) / 3600.0;

	em_time_format_local(r->publish_at, in->tz, pub, sizeof(pub));
	put(o, "The message contained content of the release \"");
	put_text(o, r->title);
	put(o, "\" (");
	put_text(o, r->id);
	put(o, "), found as: ");
	put_evidence(o, r);
	put(o, ". ");
	if (hours >= 0)
		putf(o, "It was sent %.1f hours before publication (%s); ", hours, pub);
	else
		putf(o, "It was sent %.1f hours after publication (%s); ", -hours, pub);
	putf(o, "pre-release access %s. ",
	     r->pra_open ? "was open" : "was not yet open (producers only)");
	if (in->v->nreleases == 1) {
		put(o, "\n\n"); /* the recipients not allowed are named above */
	} else if (r->nblocked) {
		putf(o, "%zu recipient%s not on the pre-release access list: ", r->nblocked,
		     r->nblocked == 1 ? " was" : "s were");
		put_list(o, r->blocked, r->nblocked);
		put(o, ".\n\n");
	} else {
		put(o, "Every recipient was allowed to receive it.\n\n");
	}
}

static void put_account(struct out *o, const struct em_report_in *in, time_t at)
{
	const struct em_store_row *row = in->row;
	char when[64];

	em_time_format_local(at, in->tz, when, sizeof(when));
	putf(o, "On %s, ", when);
	if (row->sender && *row->sender)
		put_text(o, row->sender);
	else
		put(o, "an unknown sender (empty envelope sender)");
	putf(o, " sent an email to %zu recipient%s", row->nrcpts, row->nrcpts == 1 ? "" : "s");
	if (row->message_id) {
		put(o, " (Message-ID ");
		put_text(o, row->message_id);
		put(o, ")");
	}
	putf(o, ", of whom %zu %s not on the pre-release access list", row->nblocked,
	     row->nblocked == 1 ? "was" : "were");
	if (row->nblocked) {
		put(o, ": ");
		put_list(o, row->blocked, row->nblocked);
	}
	put(o, ".\n\n");
	if (in->v && in->v->nreleases) {
		for (size_t i = 0; i < in->v->nreleases; i++)
			put_account_release(o, in, &in->v->releases[i]);
	} else if (row->publish_at) {
		char pub[64];

		em_time_format_local(row->publish_at, in->tz, pub, sizeof(pub));
		putf(o, "It was sent %.1f hours before publication (%s).\n\n",
		     difftime(row->publish_at, at) / 3600.0, pub);
	}
	putf(o, "The embargo mail filter %s", em_report_action_words(row->action_taken));
	put(o, " (quarantine record ");
	put_text(o, row->id);
	if (row->queue_id) {
		put(o, ", mail queue id ");
		put_text(o, row->queue_id);
	}
	put(o, ").\n\n");
	put(o, "Roles of the persons involved and how the breach was found: " EM_REPORT_TBC "\n\n");
}

/* Whether the message reached the recipients not on the list, from the record's state. */
static void put_impact(struct out *o, const struct em_report_in *in)
{
	const struct em_store_row *row = in->row;
	const char *a = row->action_taken ? row->action_taken : "";
	bool delivered_anyway = strcmp(a, "accept") == 0 || strcmp(a, "flag") == 0;
	char when[64];

	em_time_format_local(row->state_at, in->tz, when, sizeof(when));
	if (delivered_anyway) {
		put(o, "The message was delivered to every recipient, including those not on the "
		       "pre-release access list");
	} else if (strcmp(a, "strip") == 0) {
		put(o, "The message was delivered only to the recipients on the pre-release access "
		       "list");
	} else if (row->state == EM_STORE_HELD) {
		put(o, "The message is held in quarantine and has not been delivered to the "
		       "recipients not on the pre-release access list");
	} else if (row->state == EM_STORE_RELEASED) {
		bool early = row->publish_at && row->state_at < row->publish_at;

		putf(o, "The message was released from quarantine on %s by ", when);
		put_text(o, row->state_by ? row->state_by : "an unrecorded reviewer");
		put(o, early ? " and delivered BEFORE publication"
			     : " and delivered after publication");
	} else if (row->state == EM_STORE_DELETED) {
		putf(o, "The message was deleted from quarantine on %s by ", when);
		put_text(o, row->state_by ? row->state_by : "an unrecorded reviewer");
		put(o, "; it was never delivered to the recipients not on the pre-release access "
		       "list");
	} else {
		put(o, "The state of the quarantined message is not known");
	}
	putf(o, " (record state: %s).\n\n",
	     em_store_state_name(row->state) ? em_store_state_name(row->state) : "unknown");
	put(o, "Impact inside the producer body and externally: " EM_REPORT_TBC "\n\n");
}

static void put_title(struct out *o, const struct em_report_in *in)
{
	const struct em_store_row *row = in->row;

	if (in->v && in->v->nreleases) {
		for (size_t i = 0; i < in->v->nreleases; i++) {
			put(o, i ? "; " : "");
			put_text(o, in->v->releases[i].title);
			put(o, " (release ");
			put_text(o, in->v->releases[i].id);
			put(o, ")");
		}
	} else if (row->nreleases) {
		put(o, "release ");
		put_list(o, row->releases, row->nreleases);
	} else {
		put(o, EM_REPORT_TBC);
	}
	put(o, "; link: " EM_REPORT_TBC);
}

char *em_report_build(const struct em_report_in *in, enum em_report_format fmt)
{
	struct out o = {EM_BUF_INIT, fmt, false};
	time_t at;
	char today[64], when[64];

	if (in == NULL || in->row == NULL)
		return NULL;
	at = in->v ? in->v->at : in->row->created;
	date_local(in->today, in->tz, today, sizeof(today));
	em_time_format_local(at, in->tz, when, sizeof(when));

	heading(&o, 1, "Report of a breach of the Code of Practice for Statistics");
	put(&o, "Draft filled in by embargoctl from quarantine record ");
	put_text(&o, in->row->id);
	put(&o, ". Check every entry and complete the blanks before sending.\n\n");

	heading(&o, 2, "Core Information");
	table_head(&o);
	if (fmt == EM_REPORT_MD)
		put(&o, "| Title and link to statistical output | ");
	else
		put(&o, "Title and link to statistical output\t");
	put_title(&o, in);
	put(&o, fmt == EM_REPORT_MD ? " |\n" : "\n");
	row_plain(&o, "Name of producer organisation", EM_REPORT_TBC);
	row_plain(&o, "Name and contact details of person dealing with report", EM_REPORT_TBC);
	row_plain(&o, "Name and contact details of Head of Profession for Statistics",
		  EM_REPORT_TBC);
	row_plain(&o, "Link to published statement about the breach (if relevant)", EM_REPORT_TBC);
	row_plain(&o, "Date of breach report", today);
	table_end(&o);

	heading(&o, 2, "Circumstances of breach");
	table_head(&o);
	row_plain(&o, "Relevant principle(s) and practice(s)",
		  "Trustworthiness: T3: Orderly release");
	row_plain(&o, "Date of occurrence of breach", when);
	table_end(&o);
	put(&o, "Please give an account of what happened including roles of persons involved, "
		"dates and times:\n\n");
	put_account(&o, in, at);

	heading(&o, 2, "Impact of the breach");
	put(&o, "Provide details of the impact of the breach both inside the producer body and "
		"externally:\n\n");
	put_impact(&o, in);

	heading(&o, 2, "Corrective actions (taken or planned) to prevent re-occurrence");
	put(&o, "Describe the short-term actions made to redress the situation and the longer-term "
		"changes to procedures:\n\n" EM_REPORT_TBC "\n");

	if (o.nomem) {
		em_buf_free(&o.b);
		return NULL;
	}
	return em_buf_steal(&o.b);
}
