/*
 * em_embed - uuencode and yEnc blocks in text bodies (see em_embed.h).
 *
 * A line walker: outside a block it looks only at line starts for "begin "
 * and "=ybegin "; inside one it decodes line by line into one buffer, handed
 * to the caller at the block's end (or at the end of the text, flagged
 * damaged). Depends on libc, em_buf and em_decode (base64) only.
 */
#define _GNU_SOURCE /* memmem */
#include "em_embed.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "em_buf.h"
#include "em_decode.h"

#define NAME_MAX_LEN 255

enum kind { NONE = 0, UU, UU64, YENC };

struct walk {
	size_t max, used;
	unsigned *flags;
	struct em_buf data;
	char name[NAME_MAX_LEN + 1];
	enum kind kind;
	struct em_b64 b64;
};

int em_embed_maybe(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	/* One pass for the three line starts "begin ", "begin-base64 " and
	 * "=ybegin ": each holds "begin" (three memmem passes over a large text
	 * part were a tenth of its scan). */
	while (p < end && (p = memmem(p, (size_t)(end - p), "begin", 5)) != NULL) {
		size_t rest = (size_t)(end - p);
		bool sp = rest >= 6 && p[5] == ' ';

		if ((p == text || p[-1] == '\n') &&
		    (sp || (rest >= 13 && memcmp(p + 5, "-base64 ", 8) == 0)))
			return 1;
		if (sp && p - text >= 2 && p[-2] == '=' && p[-1] == 'y' &&
		    (p - 2 == text || p[-3] == '\n'))
			return 1;
		p++;
	}
	return 0;
}

/* Copies the rest of a header line (after skipping `skip` bytes and blanks)
 * as the file name. */
static void set_name(struct walk *w, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > NAME_MAX_LEN)
		n = NAME_MAX_LEN;
	memcpy(w->name, s, n);
	w->name[n] = '\0';
}

/* "begin 644 name": an octal mode of 3 or 4 digits, then the name. */
static bool uu_begin(struct walk *w, const char *s, size_t n, size_t skip)
{
	size_t i = skip, d = 0;

	while (i < n && s[i] >= '0' && s[i] <= '7' && d < 5)
		i++, d++;
	if (d < 3 || d > 4 || i >= n || s[i] != ' ')
		return false;
	set_name(w, s + i + 1, n - i - 1);
	return true;
}

/* yEnc header: "=ybegin line=128 size=123 name=file name.txt" (name= is
 * last and runs to the line's end). */
static bool y_begin(struct walk *w, const char *s, size_t n)
{
	const char *p = memmem(s, n, " name=", 6);

	if (p == NULL)
		return false;
	set_name(w, p + 6, n - (size_t)(p + 6 - s));
	return true;
}

static int put(struct walk *w, const unsigned char *b, size_t n)
{
	if (w->max && w->used + n > w->max) {
		*w->flags |= EM_EMBED_TOO_BIG;
		n = w->max > w->used ? w->max - w->used : 0;
	}
	w->used += n;
	return n ? em_buf_append(&w->data, b, n) : 0;
}

/* One uuencoded line: a length character, then groups of four characters
 * (each (c - 32) & 63; '`' stands for 0) giving three bytes. */
static int uu_line(struct walk *w, const char *s, size_t n)
{
	unsigned char out[64];
	size_t want, o = 0;

	if (n == 0)
		return 0;
	want = (size_t)(((unsigned char)s[0] - 32) & 63);
	for (size_t i = 1; o < want; i += 4) {
		unsigned v[4];

		for (size_t k = 0; k < 4; k++) {
			unsigned char c = i + k < n ? (unsigned char)s[i + k] : '`';

			if (c < 32 || c > 96) {
				*w->flags |= EM_EMBED_DAMAGED;
				c = '`';
			}
			v[k] = (unsigned)(c - 32) & 63;
		}
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (o < want)
			out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (o < want)
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return put(w, out, o);
}

/* One yEnc line: each byte minus 42; "=" escapes the next byte (minus 64). */
static int y_line(struct walk *w, const char *s, size_t n)
{
	unsigned char out[256];
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '=') {
			if (++i == n)
				break;
			c = (unsigned char)(s[i] - 64);
		}
		out[o++] = (unsigned char)(c - 42);
		if (o == sizeof(out)) {
			if (put(w, out, o) < 0)
				return -1;
			o = 0;
		}
	}
	return put(w, out, o);
}

static int flush(struct walk *w, em_embed_fn fn, void *ctx, bool damaged)
{
	int rc;

	if (damaged)
		*w->flags |= EM_EMBED_DAMAGED;
	rc = fn(ctx, w->name, w->data.data ? w->data.data : "", w->data.len);
	em_buf_reset(&w->data);
	w->kind = NONE;
	return rc;
}

int em_embed_scan(const char *text, size_t len, size_t max_bytes, em_embed_fn fn, void *ctx,
		  unsigned *flags)
{
	struct walk w;
	unsigned ignored = 0;
	size_t i = 0;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.max = max_bytes;
	w.flags = flags ? flags : &ignored;
	while (i < len && rc == 0) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len, n;
		const char *s = text + i;

		n = e - i;
		if (n && s[n - 1] == '\r')
			n--;
		i = e + 1;
		switch (w.kind) {
		case NONE:
			if (n > 6 && memcmp(s, "begin ", 6) == 0 && uu_begin(&w, s, n, 6))
				w.kind = UU;
			else if (n > 13 && memcmp(s, "begin-base64 ", 13) == 0 &&
				 uu_begin(&w, s, n, 13)) {
				w.kind = UU64;
				em_b64_init(&w.b64);
			} else if (n > 8 && memcmp(s, "=ybegin ", 8) == 0 && y_begin(&w, s, n))
				w.kind = YENC;
			break;
		case UU:
			if (n == 3 && memcmp(s, "end", 3) == 0)
				rc = flush(&w, fn, ctx, false);
			else if (n > 0 && rc == 0 && uu_line(&w, s, n) < 0)
				rc = -1;
			break;
		case UU64:
			if (n == 4 && memcmp(s, "====", 4) == 0) {
				rc = flush(&w, fn, ctx, false);
			} else {
				size_t before = w.data.len;

				if (em_b64_push(&w.b64, s, n, &w.data) < 0)
					rc = -1;
				else if (w.max && w.used + (w.data.len - before) > w.max) {
					*w.flags |= EM_EMBED_TOO_BIG;
					w.data.len = before;
				} else
					w.used += w.data.len - before;
			}
			break;
		case YENC:
			if (n >= 5 && memcmp(s, "=yend", 5) == 0)
				rc = flush(&w, fn, ctx, false);
			else if (n >= 6 && memcmp(s, "=ypart", 6) == 0)
				; /* a part's range: the data lines follow */
			else if (y_line(&w, s, n) < 0)
				rc = -1;
			break;
		}
	}
	if (rc == 0 && w.kind != NONE)
		rc = flush(&w, fn, ctx, true);
	em_buf_free(&w.data);
	return rc;
}
