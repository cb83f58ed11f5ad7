/*
 * em_display - the displayed reading of text (see em_display.h): RFC 3676
 * flowed lines, explicit bidi overrides (UAX #9, reduced), RFC 5545
 * iCalendar text.
 *
 * Depends on libc, em_buf and em_text's UTF-8 helpers only: never libmilter,
 * syslog or libconfig; never logs, never exits. Each pass walks its input
 * once (bidi: once per line, times the nesting depth of that line).
 */
#define _GNU_SOURCE /* memmem */
#include "em_display.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "em_decode.h"
#include "em_text.h"

/* ---- format=flowed ------------------------------------------------------ */

int em_flowed_display(const char *in, size_t len, bool delsp, struct em_buf *out)
{
	bool prev_flowed = false, first = true;
	size_t prev_depth = 0, i = 0;

	while (i < len) {
		const char *nl = memchr(in + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - in) : len, depth = 0;
		const char *s = in + i;
		size_t n = e - i;
		bool sig, flowed;

		i = e + 1;
		if (n && s[n - 1] == '\r')
			n--;
		while (n && *s == '>')
			s++, n--, depth++;
		if (n && *s == ' ')
			s++, n--; /* space-stuffing (or the blank after '>') */
		sig = n == 3 && memcmp(s, "-- ", 3) == 0;
		flowed = !sig && n && s[n - 1] == ' ';
		if (!first && !(prev_flowed && depth == prev_depth) && em_buf_putc(out, '\n') < 0)
			return -1;
		first = false;
		if (flowed && delsp)
			n--;
		if (em_buf_append(out, s, n) < 0)
			return -1;
		prev_flowed = flowed;
		prev_depth = depth;
	}
	return 0;
}

/* ---- bidi --------------------------------------------------------------- */

#define BIDI_MAX_DEPTH 125

static bool is_bidi_control(int32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

bool em_bidi_present(const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	const unsigned char *p = s, *end = s + len;

	while (p < end && (p = memchr(p, 0xe2, (size_t)(end - p))) != NULL) {
		if (end - p >= 3 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
				     (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
			return true;
		p++;
	}
	return false;
}

/* Reorders one line (no '\n' in it) and appends it. */
static int bidi_line(const unsigned char *s, size_t n, struct em_buf *out)
{
	int32_t *cp;
	unsigned char *lv, stack[BIDI_MAX_DEPTH + 2];
	size_t m = 0, depth = 0, i = 0;
	unsigned char maxlv = 0, minodd = 255;
	int rc = 0;

	if (n == 0)
		return 0;
	cp = malloc(n * sizeof(*cp));
	lv = malloc(n);
	if (cp == NULL || lv == NULL) {
		free(cp);
		free(lv);
		return -1;
	}
	stack[0] = 0;
	while (i < n) {
		int32_t c;
		size_t k = em_utf8_decode(s + i, n - i, &c);

		if (k == 0) {
			i++; /* invalid bytes are dropped, as the normalizer does */
			continue;
		}
		i += k;
		if (is_bidi_control(c)) {
			unsigned char cur = stack[depth], next;

			if (c == 0x202c || c == 0x2069) { /* PDF, PDI */
				if (depth)
					depth--;
				continue;
			}
			if (c == 0x202b || c == 0x202e || c == 0x2067) /* RLE, RLO, RLI */
				next = (unsigned char)((cur + 1) | 1);
			else /* LRE, LRO, LRI, FSI */
				next = (unsigned char)((cur + 2) & ~1u);
			if (depth < BIDI_MAX_DEPTH && next <= BIDI_MAX_DEPTH)
				stack[++depth] = next;
			continue;
		}
		cp[m] = c;
		lv[m] = stack[depth];
		if (lv[m] > maxlv)
			maxlv = lv[m];
		if ((lv[m] & 1) && lv[m] < minodd)
			minodd = lv[m];
		m++;
	}
	/* L2: from the highest level down to the lowest odd one, reverse every
	 * run at that level or higher. */
	for (int l = maxlv; minodd != 255 && l >= minodd; l--) {
		size_t a = 0;

		while (a < m) {
			size_t b;

			if (lv[a] < l) {
				a++;
				continue;
			}
			for (b = a; b < m && lv[b] >= l; b++)
				;
			for (size_t x = a, y = b - 1; x < y; x++, y--) {
				int32_t t = cp[x];
				unsigned char u = lv[x];

				cp[x] = cp[y];
				cp[y] = t;
				lv[x] = lv[y];
				lv[y] = u;
			}
			a = b;
		}
	}
	for (size_t k = 0; k < m && rc == 0; k++)
		rc = em_utf8_put(out, cp[k]);
	free(cp);
	free(lv);
	return rc;
}

int em_bidi_display(const char *in, size_t len, struct em_buf *out)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(in + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - in) : len;

		if (bidi_line((const unsigned char *)in + i, e - i, out) < 0)
			return -1;
		if (nl && em_buf_putc(out, '\n') < 0)
			return -1;
		i = e + 1;
	}
	return 0;
}

/* ---- iCalendar ---------------------------------------------------------- */

bool em_ical_sniff(const char *in, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (in[i] == ' ' || in[i] == '\t' || in[i] == '\r' || in[i] == '\n'))
		i++;
	return len - i >= 15 && strncasecmp(in + i, "BEGIN:VCALENDAR", 15) == 0;
}

/* Properties whose value is never text a reader sees as such. */
static bool ical_skip(const char *name, size_t n)
{
	static const char *const skip[] = {
	    "BEGIN",   "END",		"VERSION",    "PRODID", "METHOD",   "CALSCALE",
	    "UID",     "SEQUENCE",	"DTSTART",    "DTEND",	"DTSTAMP",  "DUE",
	    "CREATED", "LAST-MODIFIED", "RRULE",      "EXDATE", "RDATE",    "RECURRENCE-ID",
	    "TZID",    "TZOFFSETFROM",	"TZOFFSETTO", "TRANSP", "STATUS",   "PRIORITY",
	    "CLASS",   "DURATION",	"TRIGGER",    "ACTION", "FREEBUSY", "GEO",
	    "TZURL",
	};
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strlen(skip[i]) == n && strncasecmp(name, skip[i], n) == 0)
			return true;
	return n > 16 && strncasecmp(name, "X-MICROSOFT-CDO-", 16) == 0 &&
	       !(n == 23 && strncasecmp(name, "X-MICROSOFT-CDO-ALTDESC", 23) == 0);
}

/* Appends value v[0..n) unescaped (RFC 5545 3.3.11). */
static int ical_unescape(const char *v, size_t n, struct em_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (c == '\\' && i + 1 < n) {
			c = v[++i];
			if (c == 'n' || c == 'N')
				c = '\n';
		}
		if (em_buf_putc(out, c) < 0)
			return -1;
	}
	return em_buf_putc(out, '\n');
}

/* Where an inline attachment goes (em_ical_to_text_files), or fn NULL. */
struct ical_files {
	em_ical_file_fn fn;
	void *ctx;
};

/* A base64 ATTACH value (RFC 5545 3.8.1.1) decoded and handed to f->fn with
 * its file name (FILENAME, X-FILENAME, X-APPLE-FILENAME, X-ORACLE-FILENAME
 * parameter; "" when none). Returns the callback's value, -1 out of memory. */
static int ical_attach(const struct ical_files *f, const char *name, size_t name_len,
		       const char *value, size_t n)
{
	struct em_buf dec = EM_BUF_INIT, fname = EM_BUF_INIT;
	struct em_b64 b;
	int rc;

	if (em_buf_append(&fname, name, name_len) < 0) {
		em_buf_free(&fname);
		return -1;
	}
	em_b64_init(&b);
	if (em_b64_push(&b, value, n, &dec) < 0) {
		em_buf_free(&fname);
		em_buf_free(&dec);
		return -1;
	}
	rc = f->fn(f->ctx, fname.data ? fname.data : "", dec.data ? dec.data : "", dec.len);
	em_buf_free(&fname);
	em_buf_free(&dec);
	return rc;
}

/* One unfolded content line "NAME;P=V;P="Q":value". */
static int ical_line(const char *s, size_t n, struct em_buf *out, struct em_buf *html,
		     const struct ical_files *files)
{
	size_t i = 0, name_len, colon = n;
	bool binary = false, inq = false;
	const char *cn = NULL, *fname = "";
	size_t cn_len = 0, fname_len = 0;

	while (i < n && s[i] != ';' && s[i] != ':')
		i++;
	name_len = i;
	for (size_t k = i; k < n; k++) {
		if (s[k] == '"')
			inq = !inq;
		else if (s[k] == ':' && !inq) {
			colon = k;
			break;
		}
	}
	if (colon == n || name_len == 0 || ical_skip(s, name_len))
		return 0;
	/* parameters between the name and the colon */
	for (size_t k = name_len; k < colon;) {
		size_t ps = ++k, pe;

		inq = false;
		for (pe = ps; pe < colon && (inq || s[pe] != ';'); pe++)
			if (s[pe] == '"')
				inq = !inq;
		if (pe - ps > 9 && strncasecmp(s + ps, "ENCODING=", 9) == 0 &&
		    strncasecmp(s + ps + 9, "B", 1) == 0)
			binary = true; /* ENCODING=BASE64 or B */
		if (pe - ps >= 12 && strncasecmp(s + ps, "VALUE=BINARY", 12) == 0)
			binary = true;
		{
			const char *eq = memchr(s + ps, '=', pe - ps);
			size_t kl = eq ? (size_t)(eq - (s + ps)) : 0;

			if (eq && kl >= 8 && strncasecmp(s + ps + kl - 8, "FILENAME", 8) == 0) {
				fname = eq + 1;
				fname_len = (size_t)(s + pe - fname);
				if (fname_len >= 2 && fname[0] == '"' && fname[fname_len - 1] == '"')
					fname++, fname_len -= 2;
			}
		}
		if (pe - ps > 3 && strncasecmp(s + ps, "CN=", 3) == 0) {
			cn = s + ps + 3;
			cn_len = pe - ps - 3;
			if (cn_len >= 2 && cn[0] == '"' && cn[cn_len - 1] == '"')
				cn++, cn_len -= 2;
		}
		k = pe;
	}
	if (binary) {
		/* a file carried in the calendar itself (Apple Calendar, Lightning) */
		if (files != NULL && files->fn != NULL && name_len == 6 &&
		    strncasecmp(s, "ATTACH", 6) == 0)
			return ical_attach(files, fname, fname_len, s + colon + 1, n - colon - 1);
		return 0;
	}
	if (cn && ical_unescape(cn, cn_len, out) < 0)
		return -1;
	if (html && ((name_len == 10 && strncasecmp(s, "X-ALT-DESC", 10) == 0) ||
		     (name_len == 23 && strncasecmp(s, "X-MICROSOFT-CDO-ALTDESC", 23) == 0)))
		return ical_unescape(s + colon + 1, n - colon - 1, html);
	return ical_unescape(s + colon + 1, n - colon - 1, out);
}

int em_ical_to_text(const char *in, size_t len, struct em_buf *out, struct em_buf *html)
{
	return em_ical_to_text_files(in, len, out, html, NULL, NULL);
}

int em_ical_to_text_files(const char *in, size_t len, struct em_buf *out, struct em_buf *html,
			  em_ical_file_fn fn, void *ctx)
{
	const struct ical_files files = {fn, ctx};
	struct em_buf line = EM_BUF_INIT;
	size_t i = 0;
	int rc = 0;

	while (i < len && rc == 0) {
		/* one content line, unfolded: CRLF/LF followed by SP or HTAB goes */
		em_buf_reset(&line);
		while (i < len) {
			const char *nl = memchr(in + i, '\n', len - i);
			size_t e = nl ? (size_t)(nl - in) : len, n = e - i;

			if (n && in[i + n - 1] == '\r')
				n--;
			if (em_buf_append(&line, in + i, n) < 0) {
				rc = -1;
				break;
			}
			i = e + 1;
			if (i >= len || (in[i] != ' ' && in[i] != '\t'))
				break;
			i++; /* the fold's one blank */
		}
		if (rc == 0 && line.len)
			rc = ical_line(line.data, line.len, out, html, &files);
	}
	em_buf_free(&line);
	return rc;
}
