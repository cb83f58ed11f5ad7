/*
 * em_url - where a wrapped or shared link really goes (see em_url.h).
 * Depends on libc only.
 */
#define _GNU_SOURCE /* memmem */
#include "em_url.h"

#include <stdbool.h>
#include <string.h>

#define URL_MAX 4096 /* longer "links" are not followed back to their start */

static const char SAFELINKS[] = "safelinks.protection.outlook.com/"; /* host, then path */
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
 * The SharePoint sharing link whose "/:" is at t[i] (/:T:/s/SITE ->
 * /sites/SITE, /:T:/t/SITE -> /teams/SITE, /:T:/r/PATH and /:T:/g/PATH ->
 * /PATH), appended to out. Returns 1 when one was, 0 when t[i..] is no
 * sharing link, -1 out of memory.
 */
static int sharing_link(const char *t, size_t n, size_t i, struct em_buf *out)
{
	const char *p = t + i, *under;
	size_t s, e;

	/* "/:w:/s/" : slash, colon, type letter, colon, slash, kind, slash */
	if (n - i < 7 || !(p[2] >= 'a' && p[2] <= 'z') || p[3] != ':' || p[4] != '/' || p[6] != '/')
		return 0;
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
		return 0;
	}
	s = start_of(t, i);
	e = end_of(t, n, i);
	if (memmem(t + s, i - s, "://", 3) == NULL)
		return 0; /* not inside a URL */
	if (em_buf_append(out, t + s, i - s) < 0 || em_buf_puts(out, under) < 0 ||
	    em_buf_append(out, t + i + 7, e - (i + 7)) < 0 || em_buf_putc(out, '\n') < 0)
		return -1;
	return 1;
}

/* Every sharing link in t[0..n) (see sharing_link). Count, -1 OOM. */
static int sharing_links(const char *t, size_t n, struct em_buf *out)
{
	int found = 0, k;

	for (const char *p = memchr(t, ':', n); p != NULL;
	     p = memchr(p + 1, ':', n - (size_t)(p + 1 - t))) {
		size_t i = (size_t)(p - t);

		if (i > 0 && t[i - 1] == '/') {
			if ((k = sharing_link(t, n, i - 1, out)) < 0)
				return -1;
			found += k;
		}
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

/* Does t[a..b) hold s? */
static bool has(const char *t, size_t a, size_t b, const char *s, size_t sl)
{
	return b > a && memmem(t + a, b - a, s, sl) != NULL;
}

/* t[a..b) starts with s? */
static bool starts(const char *t, size_t a, size_t b, const char *s, size_t sl)
{
	return b - a >= sl && memcmp(t + a, s, sl) == 0;
}

/*
 * The wrapped URL whose "://" is at t[i]: Safe Links, URL Defense v2/v3.
 * Unwrapped into *plain, then appended with its sharing-link reading.
 * Returns how many lines, 0 when it wraps nothing, -1 out of memory.
 */
static int wrapped(const char *t, size_t n, size_t i, struct em_buf *plain, struct em_buf *out)
{
	size_t host = i + 3, e = end_of(t, n, host), path = host, v, ve;

	while (path < e && t[path] != '/' && t[path] != '?')
		path++;
	if (has(t, host, path, SAFELINKS, sizeof(SAFELINKS) - 2)) {
		/* https://REGION.safelinks.protection.outlook.com/?url=ENC&data=... */
		const char *u = memmem(t + path, e - path, "url=", 4);

		if (u == NULL)
			return 0;
		v = (size_t)(u - t) + 4;
		for (ve = v; ve < e && t[ve] != '&'; ve++)
			;
		if (decode(t + v, ve - v, '%', false, plain) < 0)
			return -1;
	} else if (starts(t, host, e, PP_V2, sizeof(PP_V2) - 1)) {
		/* u=https-3A__host_path&d=... */
		v = host + sizeof(PP_V2) - 1;
		for (ve = v; ve < e && t[ve] != '&'; ve++)
			;
		if (decode(t + v, ve - v, '-', true, plain) < 0)
			return -1;
	} else if (starts(t, host, e, PP_V3, sizeof(PP_V3) - 1)) {
		/* urldefense.com/v3/__URL__;token */
		v = host + sizeof(PP_V3) - 1;
		const char *q = memmem(t + v, e - v, "__;", 3);
		ve = q ? (size_t)(q - t) : e;
		if (em_buf_append(plain, t + v, ve - v) < 0)
			return -1;
	} else {
		return 0;
	}
	return put_unwrapped(plain, out);
}

int em_url_targets(const char *t, size_t n, struct em_buf *out)
{
	struct em_buf plain = EM_BUF_INIT; /* one unwrapped URL */
	int found = 0, k = 0;

	/* one pass over the colons: "/:" starts a sharing link, "://" a URL
	 * that may be wrapped (prose has few colons; memchr is fast) */
	for (const char *p = n ? memchr(t, ':', n) : NULL; p != NULL;
	     p = memchr(p + 1, ':', n - (size_t)(p + 1 - t))) {
		size_t i = (size_t)(p - t);

		if (i > 0 && t[i - 1] == '/')
			k = sharing_link(t, n, i - 1, out);
		else if (n - i > 3 && p[1] == '/' && p[2] == '/')
			k = wrapped(t, n, i, &plain, out);
		else
			continue;
		if (k < 0) {
			em_buf_free(&plain);
			return -1;
		}
		found += k;
	}
	em_buf_free(&plain);
	return found;
}
