/*
 * em_url - where a wrapped or shared link really goes (see em_url.h).
 * Depends on libc only.
 */
#define _GNU_SOURCE /* memmem */
#include "em_url.h"

#include <stdbool.h>
#include <string.h>

#define URL_MAX 4096 /* longer "links" are not followed back to their start */

static const char SAFELINKS[] = "safelinks.protection.outlook.com/";
static const char PP_V2[] = "urldefense.proofpoint.com/v2/url?u=";
static const char PP_V3[] = "urldefense.com/v3/__";

/* Does a link end before byte c? */
static bool url_end(unsigned char c)
{
	return c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == 0x7f;
}

/* Index of the end of the link that goes on at i. */
static size_t end_of(const char *t, size_t n, size_t i)
{
	while (i < n && !url_end((unsigned char)t[i]))
		i++;
	return i;
}

/* Index where the link holding t[i] starts (at most URL_MAX back). */
static size_t start_of(const char *t, size_t i)
{
	size_t lo = i > URL_MAX ? i - URL_MAX : 0;

	while (i > lo && !url_end((unsigned char)t[i - 1]))
		i--;
	return i;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends s[0..n) decoded: `esc` followed by two hex digits is that byte
 * ('%' for RFC 3986 percent-encoding, '-' for Proofpoint v2), and with
 * slash_us '_' is '/' (Proofpoint v2). */
static int decode(const char *s, size_t n, char esc, bool slash_us, struct em_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		char c = s[i];

		if (c == esc && i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (slash_us && c == '_') {
			c = '/';
		}
		if (em_buf_putc(out, c) < 0)
			return -1;
	}
	return 0;
}

/*
 * SharePoint sharing links in t[0..n): /:T:/s/SITE -> /sites/SITE,
 * /:T:/t/SITE -> /teams/SITE, /:T:/r/PATH and /:T:/g/PATH -> /PATH.
 * Returns how many were appended, -1 out of memory.
 */
static int sharing_links(const char *t, size_t n, struct em_buf *out)
{
	int found = 0;

	for (const char *p = memmem(t, n, "/:", 2); p != NULL;
	     p = memmem(p + 2, n - (size_t)(p + 2 - t), "/:", 2)) {
		size_t i = (size_t)(p - t), s, e;
		const char *under;

		/* "/:w:/s/" : slash, colon, type letter, colon, slash, kind, slash */
		if (n - i < 7 || !(p[2] >= 'a' && p[2] <= 'z') || p[3] != ':' || p[4] != '/' ||
		    p[6] != '/')
			continue;
		switch (p[5]) {
		case 's':
			under = "/sites/";
			break;
		case 't':
			under = "/teams/";
			break;
		case 'r':
		case 'g':
			under = "/";
			break;
		default:
			continue;
		}
		s = start_of(t, i);
		e = end_of(t, n, i);
		if (memmem(t + s, i - s, "://", 3) == NULL)
			continue; /* not inside a URL */
		if (em_buf_append(out, t + s, i - s) < 0 || em_buf_puts(out, under) < 0 ||
		    em_buf_append(out, t + i + 7, e - (i + 7)) < 0 || em_buf_putc(out, '\n') < 0)
			return -1;
		found++;
	}
	return found;
}

/* Appends the unwrapped URL in *u and its sharing-link reading to out, then
 * empties *u. Returns how many lines, -1 out of memory. */
static int put_unwrapped(struct em_buf *u, struct em_buf *out)
{
	int k;

	if (em_buf_append(out, u->data ? u->data : "", u->len) < 0 || em_buf_putc(out, '\n') < 0)
		return -1;
	k = sharing_links(u->data ? u->data : "", u->len, out);
	em_buf_reset(u);
	return k < 0 ? -1 : 1 + k;
}

int em_url_targets(const char *t, size_t n, struct em_buf *out)
{
	struct em_buf plain = EM_BUF_INIT; /* one unwrapped URL */
	int found = 0, k;

	if (n == 0)
		return 0;
	if ((k = sharing_links(t, n, out)) < 0)
		return -1;
	found += k;
	/* Safe Links: ...safelinks.protection.outlook.com/?url=ENC&data=... */
	for (const char *p = memmem(t, n, SAFELINKS, sizeof(SAFELINKS) - 1); p != NULL;
	     p = memmem(p + 1, n - (size_t)(p + 1 - t), SAFELINKS, sizeof(SAFELINKS) - 1)) {
		size_t i = (size_t)(p - t) + sizeof(SAFELINKS) - 1, e = end_of(t, n, i), v, ve;
		const char *u = memmem(t + i, e - i, "url=", 4);

		if (u == NULL)
			continue;
		v = (size_t)(u - t) + 4;
		for (ve = v; ve < e && t[ve] != '&'; ve++)
			;
		if (decode(t + v, ve - v, '%', false, &plain) < 0 || (k = put_unwrapped(&plain, out)) < 0)
			goto nomem;
		found += k;
	}
	/* Proofpoint v2: u=https-3A__host_path&d=... */
	for (const char *p = memmem(t, n, PP_V2, sizeof(PP_V2) - 1); p != NULL;
	     p = memmem(p + 1, n - (size_t)(p + 1 - t), PP_V2, sizeof(PP_V2) - 1)) {
		size_t v = (size_t)(p - t) + sizeof(PP_V2) - 1, e = end_of(t, n, v), ve;

		for (ve = v; ve < e && t[ve] != '&'; ve++)
			;
		if (decode(t + v, ve - v, '-', true, &plain) < 0 || (k = put_unwrapped(&plain, out)) < 0)
			goto nomem;
		found += k;
	}
	/* Proofpoint v3: urldefense.com/v3/__URL__;token */
	for (const char *p = memmem(t, n, PP_V3, sizeof(PP_V3) - 1); p != NULL;
	     p = memmem(p + 1, n - (size_t)(p + 1 - t), PP_V3, sizeof(PP_V3) - 1)) {
		size_t v = (size_t)(p - t) + sizeof(PP_V3) - 1, e = end_of(t, n, v);
		const char *q = memmem(t + v, e - v, "__;", 3);
		size_t ve = q ? (size_t)(q - t) : e;

		if (em_buf_append(&plain, t + v, ve - v) < 0 || (k = put_unwrapped(&plain, out)) < 0)
			goto nomem;
		found += k;
	}
	em_buf_free(&plain);
	return found;
nomem:
	em_buf_free(&plain);
	return -1;
}
