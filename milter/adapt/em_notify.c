/*
 * em_notify - the sender and security notices as RFC 5322 text (see
 * em_notify.h).
 *
 * Owns: the wording of notices, their headers, and the sanitising of every
 * value taken from the envelope. Must not depend on: libmilter, syslog,
 * libconfig. Never copies anything from the message content (subject, body,
 * evidence, file names, Message-ID) into a notice: that is what keeps a
 * notice from being held itself. The fixed wording avoids marker-like words
 * ("embargoed", "official", "sensitive", "pre-release access").
 * Bounds: one value (title, contact, address) at most FIELD_MAX bytes, cut at
 * a character boundary and marked "..."; at most LIST_MAX recipients listed
 * per release, the rest counted ("... and 12 more").
 */
#define _GNU_SOURCE
#include "em_notify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/em_buf.h"
#include "../core/em_time.h"

#define FIELD_MAX 300
#define LIST_MAX 500
#define DEFAULT_TZ "Europe/London"

/* Length of the valid UTF-8 sequence at p (at most avail bytes), 0 if
 * invalid: overlong forms, surrogates and values past U+10FFFF rejected. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	unsigned c = p[0];
	size_t n;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* True for a character that must not reach a header or a text line: ASCII
 * and C1 controls (CR and LF among them) and DEL. */
static bool is_control(const unsigned char *p, size_t n)
{
	if (n == 1)
		return p[0] < 0x20 || p[0] == 0x7f;
	return n == 2 && p[0] == 0xc2 && p[1] < 0xa0;
}

/* Appends s (NULL = "") with every control character and invalid byte
 * replaced by '?', at most max bytes, cut on a character boundary and marked
 * "..." when cut. The one way values reach a notice. */
static int put_safe(struct em_buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i = 0, done = 0;

	while (i < len) {
		size_t n = utf8_len(p + i, len - i);

		if (n == 0 || is_control(p + i, n)) {
			if (done + 1 > max)
				break;
			if (em_buf_putc(b, '?') < 0)
				return -1;
			i += n ? n : 1;
			done++;
			continue;
		}
		if (done + n > max)
			break;
		if (em_buf_append(b, p + i, n) < 0)
			return -1;
		i += n;
		done += n;
	}
	if (i < len && em_buf_puts(b, "...") < 0)
		return -1;
	return 0;
}

int em_notify_addr(const char *spelled, char **out)
{
	const char *a = spelled;
	size_t len;

	*out = NULL;
	if (a == NULL)
		return 1;
	while (*a == ' ' || *a == '\t')
		a++;
	len = strlen(a);
	while (len > 0 && (a[len - 1] == ' ' || a[len - 1] == '\t'))
		len--;
	if (len >= 2 && a[0] == '<' && a[len - 1] == '>') {
		a++;
		len -= 2;
	}
	if (len == 0 || len > FIELD_MAX)
		return 1;
	/* An address we cannot put safely between <> in a header nor hand to
	 * sendmail as one argument gets no notice rather than a mangled one. */
	for (size_t i = 0; i < len;) {
		const unsigned char *p = (const unsigned char *)a + i;
		size_t n = utf8_len(p, len - i);

		if (n == 0 || is_control(p, n) || (n == 1 && strchr(" <>,;\"()\\", p[0]) != NULL))
			return 1;
		i += n;
	}
	if (a[0] == '-' || strchr(a, '@') == NULL)
		return 1;
	*out = strndup(a, len);
	return *out ? 0 : -1;
}

/* RFC 5322 date in UTC (em_time_format_rfc5322). */
static int put_date(struct em_buf *b, time_t t)
{
	char d[EM_TIME_RFC5322_SIZE];

	em_time_format_rfc5322(t, d, sizeof(d));
	return em_buf_puts(b, d);
}

static const char *tz_of(const struct em_notify_in *in)
{
	return in->timezone && in->timezone[0] ? in->timezone : DEFAULT_TZ;
}

static int put_local_time(struct em_buf *b, const struct em_notify_in *in, time_t t)
{
	char when[96];

	em_time_format_local(t, tz_of(in), when, sizeof(when));
	return put_safe(b, when[0] ? when : "(unknown time)", FIELD_MAX);
}

/* A release blocks when someone in the envelope may not have it yet; only
 * those are what the message was stopped for. */
static size_t count_blocking(const struct em_verdict *v)
{
	size_t n = 0;

	for (size_t i = 0; v != NULL && i < v->nreleases; i++)
		if (v->releases[i].nblocked > 0)
			n++;
	return n;
}

static int put_headers(struct em_buf *b, const struct em_notify_in *in, const char *to,
		       const char *subject)
{
	const char *from = in->from && in->from[0] ? in->from : EM_NOTIFY_DEFAULT_FROM;

	if (em_buf_puts(b, "From: Mail relay release check <") < 0 ||
	    put_safe(b, from, FIELD_MAX) < 0 || em_buf_puts(b, ">\r\nTo: <") < 0 ||
	    put_safe(b, to, FIELD_MAX) < 0 || em_buf_puts(b, ">\r\nSubject: ") < 0 ||
	    put_safe(b, subject, FIELD_MAX) < 0 || em_buf_puts(b, "\r\nDate: ") < 0 ||
	    put_date(b, in->now) < 0 || em_buf_puts(b, "\r\nMessage-ID: ") < 0 ||
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

/* "Release:" block of one blocking release: title (unless omitted) and id,
 * publication time, the recipients who may not have it yet. */
static int put_release(struct em_buf *b, const struct em_notify_in *in,
		       const struct em_release_verdict *r, const char *who_line)
{
	size_t shown = 0;

	if (em_buf_puts(b, "Release:       ") < 0)
		return -1;
	if (!in->omit_titles && r->title != NULL && r->title[0] != '\0') {
		if (put_safe(b, r->title, FIELD_MAX) < 0 || em_buf_puts(b, " (") < 0 ||
		    put_safe(b, r->id, FIELD_MAX) < 0 || em_buf_putc(b, ')') < 0)
			return -1;
	} else if (put_safe(b, r->id, FIELD_MAX) < 0) {
		return -1;
	}
	if (em_buf_puts(b, "\r\nPublished at:  ") < 0 || put_local_time(b, in, r->publish_at) < 0 ||
	    em_buf_printf(b, "\r\n%s (%zu):\r\n", who_line, r->nblocked) < 0)
		return -1;
	for (size_t i = 0; i < r->nblocked; i++) {
		char *a = NULL;
		int rc;

		if (shown == LIST_MAX) {
			if (em_buf_printf(b, "  ... and %zu more\r\n", r->nblocked - i) < 0)
				return -1;
			break;
		}
		rc = em_notify_addr(r->blocked[i], &a);
		if (rc < 0)
			return -1;
		/* an address we would not write as is is still counted, shown safe */
		if (em_buf_puts(b, "  ") < 0 || put_safe(b, a ? a : r->blocked[i], FIELD_MAX) < 0 ||
		    em_buf_puts(b, "\r\n") < 0) {
			free(a);
			return -1;
		}
		free(a);
		shown++;
	}
	return em_buf_puts(b, "\r\n");
}

static int put_contact(struct em_buf *b, const struct em_notify_in *in)
{
	if (in->contact == NULL || in->contact[0] == '\0')
		return 0;
	if (em_buf_puts(b, "Contact: ") < 0 || put_safe(b, in->contact, FIELD_MAX) < 0 ||
	    em_buf_puts(b, "\r\n") < 0)
		return -1;
	return 0;
}

static bool has_record(const struct em_notify_in *in)
{
	return in->taken != EM_REJECT && in->record != NULL && in->record[0] != '\0';
}

static int finish(struct em_buf *b, char **out)
{
	*out = em_buf_steal(b);
	em_buf_free(b);
	return *out ? 0 : -1;
}

int em_notify_sender_text(const struct em_notify_in *in, char **out)
{
	struct em_buf b = EM_BUF_INIT;
	const struct em_verdict *v = in->v;
	bool held = in->taken != EM_REJECT;
	size_t nblocking = count_blocking(v);
	char *to = NULL;
	int rc;

	*out = NULL;
	rc = em_notify_addr(in->sender, &to);
	if (rc != 0)
		return rc;
	rc = put_headers(&b, in, to,
			 held ? "Your message has been held for review and not delivered"
			      : "Your message has been refused and not delivered");
	rc = rc || em_buf_puts(&b, "Your message sent at ") < 0 ||
	     put_local_time(&b, in, v ? v->at : in->now) < 0 ||
	     em_buf_puts(&b, held ? " has been held for review.\r\n"
				  : " has been refused by the mail relay.\r\n") < 0 ||
	     em_buf_puts(&b, "It has not been delivered to anyone.\r\n\r\n") < 0;
	if (!rc && nblocking > 0) {
		rc = em_buf_puts(
			 &b, "Why: it contains statistics from a release that is not yet\r\n"
			     "published, and some of its recipients are not on the list of\r\n"
			     "people allowed to see that release before publication.\r\n\r\n") < 0;
		for (size_t i = 0; !rc && i < v->nreleases; i++)
			if (v->releases[i].nblocked > 0)
				rc = put_release(&b, in, &v->releases[i],
						 "Recipients not on its list for early access") < 0;
		rc = rc ||
		     em_buf_puts(
			 &b, "Until a release is published, only the people who produce it and\r\n"
			     "those named on its list for early access may receive it, and only\r\n"
			     "from the time that access opens. Before sending material from an\r\n"
			     "unpublished release, check that every recipient is on that list.\r\n"
			     "\r\n") < 0;
	} else if (!rc) {
		rc = em_buf_puts(&b,
				 "Why: the mail relay could not check all of its content for\r\n"
				 "unpublished statistics (for example an encrypted or damaged\r\n"
				 "attachment), so it was stopped to be safe.\r\n\r\n") < 0;
	}
	if (!rc && held)
		rc = em_buf_puts(&b,
				 "What happens next: the security team will review the message\r\n"
				 "and release it or keep it. Please do not send it again by\r\n"
				 "another route in the meantime.\r\n\r\n") < 0;
	else if (!rc)
		rc = em_buf_puts(&b,
				 "What happens next: nothing; no copy was kept. Send it again\r\n"
				 "after publication, or only to people who may receive it now.\r\n"
				 "\r\n") < 0;
	if (!rc && in->contact && in->contact[0])
		rc = em_buf_puts(
			 &b, "If you think this is wrong, or you need to share this material\r\n"
			     "before publication, ask first.\r\n") < 0 ||
		     put_contact(&b, in) < 0;
	if (!rc && has_record(in))
		rc = em_buf_puts(&b, "Reference: ") < 0 ||
		     put_safe(&b, in->record, FIELD_MAX) < 0 || em_buf_puts(&b, "\r\n") < 0;
	free(to);
	if (rc) {
		em_buf_free(&b);
		return -1;
	}
	return finish(&b, out);
}

int em_notify_security_text(const struct em_notify_in *in, char **out)
{
	struct em_buf b = EM_BUF_INIT;
	const struct em_verdict *v = in->v;
	bool held = in->taken != EM_REJECT;
	size_t nblocking = count_blocking(v);
	const struct em_release_verdict *first = NULL;
	char *to = NULL, *subject = NULL, *from = NULL;
	int rc;

	*out = NULL;
	rc = em_notify_addr(in->security_mailbox, &to);
	if (rc != 0)
		return rc;
	for (size_t i = 0; v != NULL && i < v->nreleases && first == NULL; i++)
		if (v->releases[i].nblocked > 0)
			first = &v->releases[i];
	/* release ids are [a-z0-9-]+ and record ids are ours: safe in a subject,
	 * and put_headers sanitises them all the same */
	if (asprintf(&subject, "%s: %s%s%s%s%s", held ? "Held for review" : "Rejected",
		     first ? "release " : "scan incomplete", first ? first->id : "",
		     nblocking > 1 ? " and others" : "", has_record(in) ? ", record " : "",
		     has_record(in) ? in->record : "") < 0) {
		free(to);
		return -1;
	}
	rc = put_headers(&b, in, to, subject) < 0;
	free(subject);
	free(to);
	if (held)
		rc = rc ||
		     em_buf_puts(&b, "A message was held for review (quarantined).\r\n\r\n") < 0;
	else
		rc = rc ||
		     em_buf_puts(&b, "A message was rejected at the relay; no copy was kept.\r\n"
				     "\r\n") < 0;
	if (!rc && has_record(in))
		rc = em_buf_puts(&b, "Record:        ") < 0 ||
		     put_safe(&b, in->record, FIELD_MAX) < 0 || em_buf_puts(&b, "\r\n") < 0;
	if (!rc && in->queue_id && in->queue_id[0])
		rc = em_buf_puts(&b, "Queue id:      ") < 0 ||
		     put_safe(&b, in->queue_id, FIELD_MAX) < 0 || em_buf_puts(&b, "\r\n") < 0;
	rc = rc || em_buf_puts(&b, "Time:          ") < 0 ||
	     put_local_time(&b, in, v ? v->at : in->now) < 0 ||
	     em_buf_puts(&b, "\r\nSender:        ") < 0;
	if (!rc) {
		rc = em_notify_addr(in->sender, &from);
		rc = rc < 0 || put_safe(&b, from ? from : "<> (null sender)", FIELD_MAX) < 0;
		free(from);
	}
	rc = rc || em_buf_printf(&b, "\r\nRecipients:    %zu\r\n\r\n", in->nrcpts) < 0;
	if (!rc && nblocking > 0) {
		for (size_t i = 0; !rc && i < v->nreleases; i++)
			if (v->releases[i].nblocked > 0)
				rc = put_release(&b, in, &v->releases[i], "Not allowed yet") < 0;
	} else if (!rc) {
		rc = em_buf_puts(&b, "Reason:        the scan could not be completed (see the\r\n"
				     "               record and the log for why)\r\n\r\n"
				     "Recipients:\r\n") < 0;
		for (size_t i = 0; !rc && i < in->nrcpts && i < LIST_MAX; i++)
			rc = em_buf_puts(&b, "  ") < 0 ||
			     put_safe(&b, in->rcpts[i], FIELD_MAX) < 0 ||
			     em_buf_puts(&b, "\r\n") < 0;
		if (!rc && in->nrcpts > LIST_MAX)
			rc = em_buf_printf(&b, "  ... and %zu more\r\n", in->nrcpts - LIST_MAX) < 0;
		rc = rc || em_buf_puts(&b, "\r\n") < 0;
	}
	if (rc) {
		em_buf_free(&b);
		return -1;
	}
	return finish(&b, out);
}
