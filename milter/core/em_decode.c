/*
 * em_decode - the decoders the MIME walk uses: base64 and quoted-printable
 * (streaming, table driven), RFC 2047 encoded words, RFC 2045/2231 header
 * parameters, and conversion of any declared charset to valid UTF-8.
 *
 * Depends on libc, glibc iconv and em_buf only. Must not depend on
 * libmilter, syslog, libconfig or any other em_ module; never logs, never
 * exits. Thread safety: no mutable global state at all; an iconv descriptor
 * is opened and closed per conversion (glibc caches the gconv modules itself,
 * thread-safely).
 * Limits: none of its own. Input sizes are bounded by the caller
 * (max_header, max_decoded); outputs grow as needed and are never truncated.
 * Hostile input is decoded as far as it goes; the work per input byte is
 * bounded (no quadratic rescans), see ew_close() below.
 */
#include "em_decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define B64_WS 64
#define B64_PAD 65
#define B64_JUNK 66

/* clang-format off */
/* base64 alphabet value, or B64_WS / B64_PAD / B64_JUNK. */
static const unsigned char b64_tab[256] = {
	66, 66, 66, 66, 66, 66, 66, 66, 66, 64, 64, 64, 64, 64, 66, 66,
	66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66,
	64, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 62, 66, 66, 66, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 66, 66, 66, 65, 66, 66,
	66, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 66, 66, 66, 66, 66,
	66, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 66, 66, 66, 66, 66,
	66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66,
	66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66,
	66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66,
	66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66,
	66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66,
	66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66,
	66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66,
	66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 66,
};

/* hex digit value (either case), or 255. */
static const unsigned char hex_tab[256] = {
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 255, 255, 255, 255, 255, 255,
	255, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
};

/* windows-1252 0x80..0x9F; the five undefined bytes map to the C1 control of
 * the same value (as WHATWG does) so conversion never stops on them. */
static const uint16_t cp1252_hi[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/* clang-format on */

static const unsigned char utf8_fffd[3] = {0xEF, 0xBF, 0xBD};

/* ---------------------------------------------------------------- base64 */

void em_b64_init(struct em_b64 *d)
{
	d->acc = 0;
	d->nbits = 0;
	d->bad = false;
}

int em_b64_push(struct em_b64 *d, const char *in, size_t len, struct em_buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	const unsigned char *end = p + len;
	unsigned char *o;
	unsigned acc = d->acc;
	int nbits = d->nbits;

	if (len == 0)
		return 0;
	/* At most 6 bits per input byte plus up to 6 carried bits. */
	if (em_buf_reserve(out, len / 4 * 3 + 4) < 0)
		return -1;
	o = (unsigned char *)out->data + out->len;
	while (p < end) {
		unsigned v;

		/* Four alphabet bytes on a quantum boundary: the common case. All
		 * table values >= 64 have bit 6 set, so one test checks all four. */
		if (nbits == 0 && end - p >= 4) {
			unsigned a = b64_tab[p[0]], b = b64_tab[p[1]];
			unsigned c = b64_tab[p[2]], e = b64_tab[p[3]];

			if ((a | b | c | e) < 64) {
				v = a << 18 | b << 12 | c << 6 | e;
				o[0] = (unsigned char)(v >> 16);
				o[1] = (unsigned char)(v >> 8);
				o[2] = (unsigned char)v;
				o += 3;
				p += 4;
				continue;
			}
		}
		v = b64_tab[*p++];
		if (v < 64) {
			acc = (acc << 6 | v) & 0xFFF;
			nbits += 6;
			if (nbits >= 8) {
				nbits -= 8;
				*o++ = (unsigned char)(acc >> nbits);
			}
		} else if (v == B64_PAD) {
			/* Padding ends the quantum. A single sextet cannot form a
			 * byte: damage. Whatever follows starts a new quantum, as
			 * clients decode concatenated base64 blobs. */
			if (nbits == 6)
				d->bad = true;
			nbits = 0;
			acc = 0;
		} else if (v == B64_JUNK) {
			d->bad = true;
		}
	}
	d->acc = acc;
	d->nbits = nbits;
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* ------------------------------------------------------ quoted-printable */

int em_qp_push_line(const char *line, size_t len, struct em_buf *out, bool *bad)
{
	const unsigned char *p = (const unsigned char *)line;
	const unsigned char *end;
	unsigned char *o;
	bool soft = false;

	/* RFC 2045 6.7 (3): trailing whitespace on a line is padding added in
	 * transport and is removed; a stray CR from a bare-LF split too. */
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	if (len > 0 && line[len - 1] == '=') {
		soft = true;
		len--;
	}
	if (em_buf_reserve(out, len + 1) < 0)
		return -1;
	o = (unsigned char *)out->data + out->len;
	end = p + len;
	while (p < end) {
		const unsigned char *eq = memchr(p, '=', (size_t)(end - p));
		size_t n = eq ? (size_t)(eq - p) : (size_t)(end - p);

		memcpy(o, p, n);
		o += n;
		p += n;
		if (eq == NULL)
			break;
		if (end - p >= 3 && hex_tab[p[1]] < 16 && hex_tab[p[2]] < 16) {
			*o++ = (unsigned char)(hex_tab[p[1]] << 4 | hex_tab[p[2]]);
			p += 3;
		} else {
			/* RFC 2045 suggests showing a bad escape as is. */
			*o++ = '=';
			p++;
			if (bad)
				*bad = true;
		}
	}
	if (!soft)
		*o++ = '\n';
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* ----------------------------------------------------------------- UTF-8 */

/* Length of the well-formed UTF-8 sequence at p (n > 0 bytes available), or
 * 0 when p does not start one (overlong, surrogate, > U+10FFFF, truncated). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
			return 0;
		return 3;
	}
	if (c < 0xF5) {
		if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

bool em_utf8_valid(const char *in, size_t len)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0;

	while (i < len) {
		size_t n;

		/* Skip ASCII eight bytes at a time. */
		if (len - i >= 8) {
			uint64_t w;

			memcpy(&w, p + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0) {
				i += 8;
				continue;
			}
		}
		n = utf8_seq(p + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* Writes code point cp (< 0x110000, not a surrogate) as UTF-8 at o. */
static unsigned char *put_cp(unsigned char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*o++ = (unsigned char)(0xC0 | cp >> 6);
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (unsigned char)(0xE0 | cp >> 12);
		*o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (unsigned char)(0xF0 | cp >> 18);
		*o++ = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/* How a byte that is not part of well-formed UTF-8 is read. */
enum bad_byte {
	BAD_CP1252, /* as windows-1252 (mislabelled or unlabelled text) */
	BAD_FFFD,   /* as U+FFFD (declared UTF-8 that is damaged) */
};

/* Appends in[0..len) as UTF-8: well-formed sequences are copied, every other
 * byte is read per `how`. Only 8-bit bytes can grow (to at most 3 bytes), so
 * the room is counted first and reserved once. Sets *lossy on U+FFFD. */
static int utf8_or(const char *in, size_t len, enum bad_byte how, struct em_buf *out, bool *lossy)
{
	const unsigned char *p = (const unsigned char *)in;
	unsigned char *o;
	size_t i, high = 0;

	for (i = 0; i < len; i++)
		high += p[i] >> 7;
	if (high > ((size_t)-1 - len) / 2 || em_buf_reserve(out, len + 2 * high) < 0)
		return -1;
	o = (unsigned char *)out->data + out->len;
	i = 0;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);

		if (n == 1) {
			*o++ = p[i++];
		} else if (n > 1) {
			memcpy(o, p + i, n);
			o += n;
			i += n;
		} else if (how == BAD_FFFD) {
			memcpy(o, utf8_fffd, 3);
			o += 3;
			i++;
			if (lossy)
				*lossy = true;
		} else if (p[i] < 0xA0) {
			o = put_cp(o, cp1252_hi[p[i++] - 0x80]);
		} else {
			o = put_cp(o, p[i++]);
		}
	}
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* Appends in[0..len) read as windows-1252 (every byte defined). */
static int cp1252_to_utf8(const char *in, size_t len, struct em_buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	unsigned char *o;
	size_t i, high = 0;

	for (i = 0; i < len; i++)
		high += p[i] >> 7;
	if (high > ((size_t)-1 - len) / 2 || em_buf_reserve(out, len + 2 * high) < 0)
		return -1;
	o = (unsigned char *)out->data + out->len;
	for (i = 0; i < len; i++) {
		unsigned c = p[i];

		if (c < 0x80)
			*o++ = (unsigned char)c;
		else if (c < 0xA0)
			o = put_cp(o, cp1252_hi[c - 0x80]);
		else
			o = put_cp(o, c);
	}
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* Replaces out[start..] by itself with every ill-formed byte as U+FFFD, so a
 * converter that emitted something odd can never leak invalid UTF-8. */
static int utf8_sanitize_tail(struct em_buf *out, size_t start, bool *lossy)
{
	char *copy;
	size_t n = out->len - start;
	int rc;

	if (em_utf8_valid(out->data + start, n))
		return 0;
	copy = malloc(n);
	if (copy == NULL)
		return -1;
	memcpy(copy, out->data + start, n);
	out->len = start;
	rc = utf8_or(copy, n, BAD_FFFD, out, lossy);
	free(copy);
	return rc;
}

/* -------------------------------------------------------------- UTF-16 */

/* Appends UTF-16 in byte order `be` (true = big endian). Unpaired surrogates
 * and an odd trailing byte become U+FFFD; decoding always goes on. */
static int utf16_to_utf8(const unsigned char *p, size_t len, bool be, struct em_buf *out,
			 bool *lossy)
{
	unsigned char *o;
	size_t i = 0;

	/* Each 2-byte unit gives at most 3 bytes; a pair (4 in) gives 4. */
	if (em_buf_reserve(out, len / 2 * 3 + 3) < 0)
		return -1;
	o = (unsigned char *)out->data + out->len;
	while (len - i >= 2) {
		unsigned u = be ? (unsigned)p[i] << 8 | p[i + 1] : (unsigned)p[i + 1] << 8 | p[i];

		i += 2;
		if (u >= 0xD800 && u < 0xDC00 && len - i >= 2) {
			unsigned l =
			    be ? (unsigned)p[i] << 8 | p[i + 1] : (unsigned)p[i + 1] << 8 | p[i];

			if (l >= 0xDC00 && l < 0xE000) {
				i += 2;
				o = put_cp(o, 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00));
				continue;
			}
		}
		if (u >= 0xD800 && u < 0xE000) {
			memcpy(o, utf8_fffd, 3);
			o += 3;
			if (lossy)
				*lossy = true;
			continue;
		}
		o = put_cp(o, u);
	}
	if (i < len) {
		memcpy(o, utf8_fffd, 3);
		o += 3;
		if (lossy)
			*lossy = true;
	}
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* Byte order of BOM-less "utf-16": text is mostly ASCII or Latin, whose high
 * byte is zero, so the zeros sit at even offsets in big-endian text and at odd
 * ones in little-endian. A tie (no evidence) is big endian, RFC 2781's default. */
static bool utf16_guess_be(const unsigned char *p, size_t len)
{
	size_t i, even = 0, odd = 0, lim = len < 65536 ? len : 65536;

	for (i = 0; i + 1 < lim; i += 2) {
		even += p[i] == 0;
		odd += p[i + 1] == 0;
	}
	return even >= odd;
}

/* -------------------------------------------------------------- charsets */

enum cs_kind {
	CS_ICONV, /* via iconv, under the name given */
	CS_UTF8,
	CS_ASCII,   /* us-ascii: real mail lies, so UTF-8 if valid else cp1252 */
	CS_CP1252,  /* windows-1252 and everything read as it (latin1) */
	CS_UNKNOWN, /* UTF-8 if valid, else windows-1252 */
	CS_UTF16,   /* BOM, else guessed byte order */
	CS_UTF16LE,
	CS_UTF16BE,
};

struct cs_alias {
	const char *name; /* normalized: lower case, no quotes or spaces */
	enum cs_kind kind;
	const char *iconv_name; /* for CS_ICONV */
};

/* Names iconv does not know, or knows as something narrower than what mail
 * clients actually decode (supersets per the WHATWG encoding standard).
 * Everything else goes to iconv as given. */
/* clang-format off */
static const struct cs_alias cs_aliases[] = {
	{"utf-8", CS_UTF8, NULL},
	{"utf8", CS_UTF8, NULL},
	{"unicode-1-1-utf-8", CS_UTF8, NULL},
	{"x-unicode20utf8", CS_UTF8, NULL},
	{"cp65001", CS_UTF8, NULL},
	{"us-ascii", CS_ASCII, NULL},
	{"ascii", CS_ASCII, NULL},
	{"us", CS_ASCII, NULL},
	{"ansi_x3.4-1968", CS_ASCII, NULL},
	{"iso646-us", CS_ASCII, NULL},
	{"iso-ir-6", CS_ASCII, NULL},
	{"cp367", CS_ASCII, NULL},
	{"ibm367", CS_ASCII, NULL},
	{"windows-1252", CS_CP1252, NULL},
	{"cp1252", CS_CP1252, NULL},
	{"x-cp1252", CS_CP1252, NULL},
	{"x-user-defined", CS_CP1252, NULL},
	{"iso-8859-1", CS_CP1252, NULL},
	{"iso8859-1", CS_CP1252, NULL},
	{"iso_8859-1", CS_CP1252, NULL},
	{"iso_8859-1:1987", CS_CP1252, NULL},
	{"iso-ir-100", CS_CP1252, NULL},
	{"latin1", CS_CP1252, NULL},
	{"latin-1", CS_CP1252, NULL},
	{"l1", CS_CP1252, NULL},
	{"cp819", CS_CP1252, NULL},
	{"ibm819", CS_CP1252, NULL},
	{"unknown", CS_UNKNOWN, NULL},
	{"unknown-8bit", CS_UNKNOWN, NULL},
	{"x-unknown", CS_UNKNOWN, NULL},
	{"default", CS_UNKNOWN, NULL},
	{"utf-16", CS_UTF16, NULL},
	{"utf16", CS_UTF16, NULL},
	{"ucs-2", CS_UTF16, NULL},
	{"unicode", CS_UTF16, NULL},
	{"utf-16le", CS_UTF16LE, NULL},
	{"utf16le", CS_UTF16LE, NULL},
	{"ucs-2le", CS_UTF16LE, NULL},
	{"utf-16be", CS_UTF16BE, NULL},
	{"utf16be", CS_UTF16BE, NULL},
	{"ucs-2be", CS_UTF16BE, NULL},
	{"unicodefffe", CS_UTF16BE, NULL},
	{"ks_c_5601-1987", CS_ICONV, "CP949"},
	{"ks_c_5601", CS_ICONV, "CP949"},
	{"ksc5601", CS_ICONV, "CP949"},
	{"ksc_5601", CS_ICONV, "CP949"},
	{"euc-kr", CS_ICONV, "CP949"},
	{"windows-949", CS_ICONV, "CP949"},
	{"gb2312", CS_ICONV, "GB18030"},
	{"gb_2312-80", CS_ICONV, "GB18030"},
	{"euc-cn", CS_ICONV, "GB18030"},
	{"gbk", CS_ICONV, "GB18030"},
	{"x-gbk", CS_ICONV, "GB18030"},
	{"cp936", CS_ICONV, "GB18030"},
	{"big5", CS_ICONV, "BIG5-HKSCS"},
	{"x-x-big5", CS_ICONV, "BIG5-HKSCS"},
	{"cn-big5", CS_ICONV, "BIG5-HKSCS"},
	{"shift_jis", CS_ICONV, "CP932"},
	{"shift-jis", CS_ICONV, "CP932"},
	{"sjis", CS_ICONV, "CP932"},
	{"x-sjis", CS_ICONV, "CP932"},
	{"ms_kanji", CS_ICONV, "CP932"},
	{"windows-31j", CS_ICONV, "CP932"},
	{"iso-8859-8-i", CS_ICONV, "ISO-8859-8"},
	{"iso-8859-8-e", CS_ICONV, "ISO-8859-8"},
	{"iso-8859-6-i", CS_ICONV, "ISO-8859-6"},
	{"iso-8859-6-e", CS_ICONV, "ISO-8859-6"},
	{"iso-8859-9", CS_ICONV, "CP1254"},
	{"latin5", CS_ICONV, "CP1254"},
	{"tis-620", CS_ICONV, "CP874"},
	{"iso-8859-11", CS_ICONV, "CP874"},
	{"windows-874", CS_ICONV, "CP874"},
	{"x-mac-roman", CS_ICONV, "MACINTOSH"},
	{"unicode-1-1-utf-7", CS_ICONV, "UTF-7"},
	{"x-unicode-2-0-utf-7", CS_ICONV, "UTF-7"},
};

/* clang-format on */

/* Charset names longer than this are no real charset: read as unknown. */
#define CS_NAME_MAX 64

/* Normalizes `charset` into name (lower case, quotes and whitespace removed)
 * and classifies it. Names with bytes outside [a-z0-9._:+()-] are unknown,
 * so nothing odd ever reaches iconv_open. */
static enum cs_kind cs_classify(const char *charset, char name[CS_NAME_MAX + 1],
				const char **iconv_name)
{
	size_t n = 0, i;
	const char *s;

	*iconv_name = NULL;
	if (charset == NULL)
		return CS_UNKNOWN;
	for (s = charset; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\'' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      strchr("._:+-()", c) != NULL) ||
		    n == CS_NAME_MAX)
			return CS_UNKNOWN;
		name[n++] = (char)c;
	}
	name[n] = '\0';
	if (n == 0)
		return CS_UNKNOWN;
	for (i = 0; i < sizeof cs_aliases / sizeof cs_aliases[0]; i++) {
		if (strcmp(name, cs_aliases[i].name) == 0) {
			*iconv_name = cs_aliases[i].iconv_name;
			return cs_aliases[i].kind;
		}
	}
	*iconv_name = name;
	return CS_ICONV;
}

/* Converts with an open descriptor. An invalid or truncated sequence becomes
 * U+FFFD and `unit` bytes are skipped (1, or 4 for UTF-32 so it stays in
 * step); the shift state is reset so stateful charsets resynchronize. */
static int iconv_run(iconv_t cd, const char *in, size_t len, size_t unit, struct em_buf *out,
		     bool *lossy)
{
	char *ip = (char *)in;
	size_t il = len, start = out->len;
	char *op;
	size_t ol, r;

	if (len > (size_t)-1 / 4 || em_buf_reserve(out, len * 2 + 16) < 0)
		return -1;
	while (il > 0) {
		op = out->data + out->len;
		ol = out->cap - out->len - 1;
		r = iconv(cd, &ip, &il, &op, &ol);
		out->len = (size_t)(op - out->data);
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			if (em_buf_reserve(out, il * 2 + 64) < 0)
				return -1;
			continue;
		}
		/* EILSEQ, EINVAL (truncated at the end) or anything else. */
		if (em_buf_reserve(out, 3 + il * 2) < 0)
			return -1;
		memcpy(out->data + out->len, utf8_fffd, 3);
		out->len += 3;
		if (lossy)
			*lossy = true;
		r = unit < il ? unit : il;
		ip += r;
		il -= r;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	/* Flush whatever a stateful decoder still holds. */
	for (;;) {
		op = out->data + out->len;
		ol = out->cap - out->len - 1;
		r = iconv(cd, NULL, NULL, &op, &ol);
		out->len = (size_t)(op - out->data);
		if (r != (size_t)-1 || errno != E2BIG)
			break;
		if (em_buf_reserve(out, 64) < 0)
			return -1;
	}
	out->data[out->len] = '\0';
	return utf8_sanitize_tail(out, start, lossy);
}

/* Contract in em_decode.h. Stateless: each call is a complete text, so a
 * caller that converts a part in slices must cut them on character
 * boundaries (a character split across two calls becomes U+FFFD, and a
 * BOM-less UTF-16 byte order is guessed per call). A leading UTF-8 BOM is
 * dropped. iso-8859-1 is read as windows-1252, as browsers and mail clients
 * do. */
int em_charset_to_utf8(const char *charset, const char *in, size_t len, struct em_buf *out,
		       bool *lossy)
{
	char name[CS_NAME_MAX + 1];
	const char *iname;
	const unsigned char *p = (const unsigned char *)in;
	enum cs_kind kind = cs_classify(charset, name, &iname);
	iconv_t cd;
	size_t unit;
	int rc;

	if (len == 0)
		return 0;
	switch (kind) {
	case CS_UTF8:
		/* A byte order mark is not text. */
		if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
			in += 3;
			len -= 3;
		}
		if (em_utf8_valid(in, len))
			return em_buf_append(out, in, len);
		return utf8_or(in, len, BAD_FFFD, out, lossy);
	case CS_ASCII:
	case CS_UNKNOWN:
		if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
			in += 3;
			len -= 3;
		}
		if (em_utf8_valid(in, len))
			return em_buf_append(out, in, len);
		return utf8_or(in, len, BAD_CP1252, out, lossy);
	case CS_CP1252:
		return cp1252_to_utf8(in, len, out);
	case CS_UTF16:
	case CS_UTF16LE:
	case CS_UTF16BE:
		/* A BOM wins over the label. */
		if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
			return utf16_to_utf8(p + 2, len - 2, p[0] == 0xFE, out, lossy);
		if (kind == CS_UTF16)
			return utf16_to_utf8(p, len, utf16_guess_be(p, len), out, lossy);
		return utf16_to_utf8(p, len, kind == CS_UTF16BE, out, lossy);
	case CS_ICONV:
		break;
	}
	cd = iconv_open("UTF-8", iname);
	if (cd == (iconv_t)-1) {
		/* Unknown to iconv: the unlabelled fallback. */
		if (em_utf8_valid(in, len))
			return em_buf_append(out, in, len);
		return utf8_or(in, len, BAD_CP1252, out, lossy);
	}
	/* UTF-32 must skip whole units after an error to stay in step. */
	unit = strncmp(iname, "utf-32", 6) == 0 || strncmp(iname, "ucs-4", 5) == 0 ||
		       strncmp(iname, "utf32", 5) == 0 || strncmp(iname, "ucs4", 4) == 0
		   ? 4
		   : 1;
	rc = iconv_run(cd, in, len, unit, out, lossy);
	iconv_close(cd);
	return rc;
}

/* Contract in em_decode.h: mirrors the CS_UTF8/CS_ASCII/CS_UNKNOWN cases of
 * em_charset_to_utf8 above when they append the input unchanged. */
bool em_charset_is_identity(const char *charset, const char *in, size_t len)
{
	char name[CS_NAME_MAX + 1];
	const char *iname;
	const unsigned char *p = (const unsigned char *)in;
	enum cs_kind kind = cs_classify(charset, name, &iname);

	if (kind != CS_UTF8 && kind != CS_ASCII && kind != CS_UNKNOWN)
		return false;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		return false;
	return em_utf8_valid(in, len);
}

/* ------------------------------------------------------------- RFC 2047 */

/* Charsets in encoded words longer than this are not encoded words. */
#define EW_CHARSET_MAX 128

static bool is_lwsp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* One parsed encoded word "=?charset[*lang]?B|Q?text?=". */
struct ew {
	const char *cs; /* charset, without any RFC 2231 "*language" */
	size_t cslen;
	char enc; /* 'b' or 'q' */
	const char *text;
	size_t textlen;
	const char *end; /* just past "?=" */
};

/* Remembers the last "?=" search so a header full of "=?x?q?" openers that
 * never close costs linear time, not quadratic: if the search from `from`
 * found `at` (NULL = none to the end), any search starting in [from, at]
 * has the same answer. */
struct ew_cache {
	const char *from;
	const char *at;
};

/* First "?=" at or after p, or NULL. */
static const char *ew_close(struct ew_cache *c, const char *p, const char *end)
{
	const char *q;

	if (c->from != NULL && p >= c->from && (c->at == NULL || p <= c->at))
		return c->at;
	c->from = p;
	for (q = p; q + 1 < end; q++) {
		q = memchr(q, '?', (size_t)(end - q - 1));
		if (q == NULL)
			break;
		if (q[1] == '=') {
			c->at = q;
			return q;
		}
	}
	c->at = NULL;
	return NULL;
}

/* Is p ("=?...") the start of an encoded word: "=?charset?B?" or "?Q?"? */
static bool ew_opener(const char *p, const char *end)
{
	const char *q = p + 2;

	while (q < end && *q != '?' && !is_lwsp((unsigned char)*q) && q - p - 2 <= EW_CHARSET_MAX)
		q++;
	return q > p + 2 && end - q >= 3 && q[0] == '?' && strchr("bBqQ", q[1]) != NULL && q[1] &&
	       q[2] == '?';
}

/* Parses an encoded word at p (which starts with "=?"). Lenient: any text up
 * to the first "?=" (spaces from broken folding included, as Python and
 * Thunderbird accept), any length, any case. */
static bool ew_parse(const char *p, const char *end, struct ew_cache *cache, struct ew *w)
{
	const char *q = p + 2, *cs = q, *close;

	while (q < end && *q != '?' && !is_lwsp((unsigned char)*q) && q - cs <= EW_CHARSET_MAX)
		q++;
	if (q >= end || *q != '?' || q - cs > EW_CHARSET_MAX)
		return false;
	w->cs = cs;
	w->cslen = (size_t)(q - cs);
	/* RFC 2231 section 5: "utf-8*en" carries a language. */
	{
		const char *star = memchr(cs, '*', w->cslen);

		if (star != NULL)
			w->cslen = (size_t)(star - cs);
	}
	q++;
	if (end - q < 2 || q[1] != '?' || strchr("bBqQ", q[0]) == NULL || q[0] == '\0')
		return false;
	w->enc = (char)(q[0] | 0x20);
	w->text = q + 2;
	close = ew_close(cache, w->text, end);
	if (close == NULL)
		return false;
	/* A stray opener that never closes must not swallow the real word
	 * after it: B and Q text can hold neither '?' nor "=?", so an opener
	 * inside the text means this one is not a word. Only the stretch up to
	 * the next opener is searched, so a header of openers stays linear. */
	for (const char *x = w->text; x + 1 < close; x++) {
		x = memchr(x, '=', (size_t)(close - x - 1));
		if (x == NULL)
			break;
		if (x[1] == '?' && ew_opener(x, close))
			return false;
	}
	w->textlen = (size_t)(close - w->text);
	w->end = close + 2;
	return true;
}

/* Appends the bytes of a Q-encoded text: '_' is a space, "=XX" a byte, and
 * anything else (including a damaged escape) itself. */
static int q_decode(const char *text, size_t len, struct em_buf *out)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	unsigned char *o;

	if (em_buf_reserve(out, len) < 0)
		return -1;
	o = (unsigned char *)out->data + out->len;
	while (p < end) {
		if (*p == '_') {
			*o++ = ' ';
			p++;
		} else if (*p == '=' && end - p >= 3 && hex_tab[p[1]] < 16 && hex_tab[p[2]] < 16) {
			*o++ = (unsigned char)(hex_tab[p[1]] << 4 | hex_tab[p[2]]);
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* Converts the pending bytes of adjacent same-charset words and empties them.
 * The charset is at most EW_CHARSET_MAX bytes (ew_parse), so it fits. */
static int ew_flush(struct em_buf *pend, const char *cs, size_t cslen, struct em_buf *out)
{
	char name[EW_CHARSET_MAX + 1];
	int rc;

	if (pend->len == 0)
		return 0;
	memcpy(name, cs, cslen);
	name[cslen] = '\0';
	rc = em_charset_to_utf8(name, pend->data, pend->len, out, NULL);
	em_buf_reset(pend);
	return rc;
}

int em_rfc2047_decode(const char *in, size_t len, struct em_buf *out)
{
	struct em_buf pend = EM_BUF_INIT; /* bytes of adjacent words, one charset */
	const char *pcs = NULL;		  /* their charset */
	size_t pcslen = 0;
	const char *p = in, *end = in + len, *lit = in;
	struct ew_cache cache = {NULL, NULL};
	bool after_word = false;
	int rc = -1;

	if (em_buf_reserve(out, len) < 0)
		return -1;
	out->data[out->len] = '\0'; /* stays a string even if nothing is appended */
	while (p < end) {
		const char *q = memchr(p, '=', (size_t)(end - p));
		const char *s;
		struct ew w;
		struct em_b64 b64;

		if (q == NULL || end - q < 2)
			break;
		if (q[1] != '?' || !ew_parse(q, end, &cache, &w)) {
			p = q + 1;
			continue;
		}
		/* RFC 2047 6.2: whitespace between adjacent encoded words is
		 * not displayed. Anything else ends the run of words. */
		for (s = lit; s < q && is_lwsp((unsigned char)*s); s++)
			;
		if (!(after_word && s == q) && q > lit) {
			if (ew_flush(&pend, pcs, pcslen, out) < 0 ||
			    em_charset_to_utf8(NULL, lit, (size_t)(q - lit), out, NULL) < 0)
				goto done;
		}
		/* Same charset as the words before: one byte stream, so a
		 * character split across two words is joined before conversion. */
		if (pend.len > 0 && (pcslen != w.cslen || strncasecmp(pcs, w.cs, w.cslen) != 0) &&
		    ew_flush(&pend, pcs, pcslen, out) < 0)
			goto done;
		pcs = w.cs;
		pcslen = w.cslen;
		if (w.enc == 'b') {
			em_b64_init(&b64);
			if (em_b64_push(&b64, w.text, w.textlen, &pend) < 0)
				goto done;
		} else if (q_decode(w.text, w.textlen, &pend) < 0) {
			goto done;
		}
		after_word = true;
		p = lit = w.end;
	}
	if (ew_flush(&pend, pcs, pcslen, out) < 0 ||
	    em_charset_to_utf8(NULL, lit, (size_t)(end - lit), out, NULL) < 0)
		goto done;
	rc = 0;
done:
	em_buf_free(&pend);
	return rc;
}

/* ------------------------------------------------------- Content-Type */

static const char *skip_comment(const char *p, const char *end);

/* Skips whitespace and RFC 822 comments. */
static const char *skip_cfws(const char *p, const char *end)
{
	while (p < end) {
		if (is_lwsp((unsigned char)*p))
			p++;
		else if (*p == '(')
			p = skip_comment(p, end);
		else
			break;
	}
	return p;
}

/* p at '(': past the balanced comment (quoted-pairs honoured), or end. */
static const char *skip_comment(const char *p, const char *end)
{
	size_t depth = 0;

	for (; p < end; p++) {
		if (*p == '\\' && end - p >= 2)
			p++;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return end;
}

/* A byte of a MIME type or subtype token (RFC 2045 token, lenient on none of
 * the specials that would change the meaning). */
static bool is_type_char(unsigned char c)
{
	return c > 0x20 && c < 0x7F && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

void em_mime_type(const char *value, char *out, size_t outsz)
{
	const char *end, *p, *t, *s;
	size_t tl, sl, i;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (value == NULL)
		return;
	end = value + strlen(value);
	p = skip_cfws(value, end);
	for (t = p; p < end && is_type_char((unsigned char)*p); p++)
		;
	tl = (size_t)(p - t);
	p = skip_cfws(p, end); /* "text / plain" is seen in the wild */
	if (tl == 0 || p >= end || *p != '/')
		return;
	p = skip_cfws(p + 1, end);
	for (s = p; p < end && is_type_char((unsigned char)*p); p++)
		;
	sl = (size_t)(p - s);
	/* Whatever follows the subtype is the parameters' business, even
	 * without the ';' ("text/plain charset=x" is common junk). */
	if (sl == 0)
		return;
	/* Too long for the caller's buffer is unparsable, never cut short. */
	if (tl + 1 + sl >= outsz)
		return;
	for (i = 0; i < tl; i++)
		out[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] + 32 : t[i]);
	out[tl] = '/';
	for (i = 0; i < sl; i++)
		out[tl + 1 + i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[tl + 1 + sl] = '\0';
}

/* ----------------------------------------------------------- parameters */

/* One attribute=value pair, as slices of the header value. */
struct praw {
	const char *a;
	size_t alen;
	const char *v; /* inside the quotes when quoted */
	size_t vlen;
	bool quoted;
	size_t pos; /* ordinal among all pairs */
};

/* RFC 2045 attribute character (plus '*' for RFC 2231). */
static bool is_attr_char(unsigned char c)
{
	return c > 0x20 && c < 0x7F && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* True when p (after whitespace inside an unquoted value) starts another
 * "attribute =", i.e. the ';' before it is missing. */
static bool looks_like_attr(const char *p, const char *end)
{
	const char *a = p;

	while (p < end && is_attr_char((unsigned char)*p))
		p++;
	if (p == a)
		return false;
	while (p < end && is_lwsp((unsigned char)*p))
		p++;
	return p < end && *p == '=';
}

/* Finds the next attribute=value pair from p. Junk is skipped: the leading
 * type or disposition, tokens without '=', stray quoted strings, comments,
 * empty ';'. Returns the position after the pair, or NULL when none is left.
 * Never reads past end. */
static const char *param_next(const char *p, const char *end, struct praw *r)
{
	for (;;) {
		const char *a, *q;

		while (p < end && (is_lwsp((unsigned char)*p) || *p == ';' || *p == ','))
			p++;
		if (p >= end)
			return NULL;
		if (*p == '(') {
			p = skip_comment(p, end);
			continue;
		}
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\' && end - p >= 2)
					p++;
			p += p < end;
			continue;
		}
		a = p;
		while (p < end && *p != '=' && *p != ';' && *p != '"' && *p != '(' &&
		       !is_lwsp((unsigned char)*p))
			p++;
		r->a = a;
		r->alen = (size_t)(p - a);
		q = p;
		while (q < end && is_lwsp((unsigned char)*q))
			q++;
		if (q >= end || *q != '=') {
			/* No value: the main token or junk. p > a here, since
			 * the first byte was none of the stop bytes but '='. */
			if (p == a)
				p++;
			continue;
		}
		q = skip_cfws(q + 1, end);
		if (q < end && *q == '"') {
			r->v = ++q;
			while (q < end && *q != '"') {
				if (*q == '\\' && end - q >= 2)
					q++;
				q++;
			}
			r->vlen = (size_t)(q - r->v);
			r->quoted = true;
			return q + (q < end);
		}
		r->v = q;
		r->quoted = false;
		while (q < end && *q != ';') {
			if (is_lwsp((unsigned char)*q)) {
				const char *n = q;

				while (n < end && is_lwsp((unsigned char)*n))
					n++;
				if (looks_like_attr(n, end))
					break;
				q = n;
				continue;
			}
			q++;
		}
		p = q;
		while (q > r->v && is_lwsp((unsigned char)q[-1]))
			q--;
		/* A trailing comment: "us-ascii (Plain text)". A '(' inside the
		 * value, as in "report (1).pdf", is kept. */
		if (q > r->v && q[-1] == ')') {
			const char *c = q - 1;
			size_t depth = 0;

			for (; c >= r->v; c--) {
				if (*c == ')')
					depth++;
				else if (*c == '(' && --depth == 0)
					break;
				if (c == r->v)
					break;
			}
			if (*c == '(' && depth == 0 && c > r->v && is_lwsp((unsigned char)c[-1])) {
				q = c;
				while (q > r->v && is_lwsp((unsigned char)q[-1]))
					q--;
			}
		}
		r->vlen = (size_t)(q - r->v);
		return p;
	}
}

/* A pair of the parameter asked for: RFC 2231 section (-1 = none) and
 * whether its value is extended (charset'lang'%XX). */
struct pent {
	struct praw raw;
	long section;
	bool ext;
	size_t rank; /* for sections: how many earlier pairs had this section */
};

/* Matches attribute a against name; fills section and ext. "name",
 * "name*", "name*N", "name*N*"; case-insensitive. */
static bool attr_match(const char *a, size_t alen, const char *name, size_t nlen, long *section,
		       bool *ext)
{
	size_t i;
	long n = 0;

	if (alen < nlen || strncasecmp(a, name, nlen) != 0)
		return false;
	*section = -1;
	*ext = false;
	if (alen == nlen)
		return true;
	if (a[nlen] != '*')
		return false;
	i = nlen + 1;
	if (i == alen) {
		*ext = true;
		return true;
	}
	if (a[i] < '0' || a[i] > '9')
		return false;
	for (; i < alen && a[i] >= '0' && a[i] <= '9'; i++) {
		if (n > 1000000)
			return false; /* no real header has that many sections */
		n = n * 10 + (a[i] - '0');
	}
	if (i < alen && a[i] == '*') {
		*ext = true;
		i++;
	}
	if (i != alen)
		return false;
	*section = n;
	return true;
}

static int pent_by_section(const void *x, const void *y)
{
	const struct pent *a = x, *b = y;

	if (a->section != b->section)
		return a->section < b->section ? -1 : 1;
	return a->raw.pos < b->raw.pos ? -1 : a->raw.pos > b->raw.pos;
}

/* The pairs named `name`, sections ordered by (section, position) after the
 * plain ones, and each section's rank = which occurrence of the parameter it
 * belongs to (the k-th "name*0" starts the k-th continued value). Returns the
 * count of pairs in *n and of section groups in *ngroups; NULL with *n == 0
 * when there are none, NULL with *n != 0 when out of memory. */
static struct pent *param_collect(const char *value, const char *name, size_t *n, size_t *nplain,
				  size_t *ngroups)
{
	const char *p, *end = value + strlen(value);
	size_t nlen = strlen(name), cap = 0, pos = 0, i;
	struct pent *v = NULL, e;

	*n = *nplain = *ngroups = 0;
	for (p = value; (p = param_next(p, end, &e.raw)) != NULL; pos++) {
		e.raw.pos = pos;
		if (!attr_match(e.raw.a, e.raw.alen, name, nlen, &e.section, &e.ext))
			continue;
		if (*n == cap) {
			struct pent *nv;

			cap = cap ? cap * 2 : 8;
			nv = realloc(v, cap * sizeof *v);
			if (nv == NULL) {
				free(v);
				*n = 1;
				return NULL;
			}
			v = nv;
		}
		e.rank = 0;
		v[(*n)++] = e;
		*nplain += e.section < 0;
	}
	if (*n == 0)
		return v;
	/* Plain ones (section -1) sort first, in order of appearance. */
	qsort(v, *n, sizeof *v, pent_by_section);
	for (i = *nplain; i < *n; i++) {
		if (i > *nplain && v[i].section == v[i - 1].section)
			v[i].rank = v[i - 1].rank + 1;
		if (v[i].rank + 1 > *ngroups)
			*ngroups = v[i].rank + 1;
	}
	return v;
}

/* Appends the raw bytes of a value: quoted-pairs unescaped, CR/LF left over
 * from folding dropped. */
static int value_unquote(const struct praw *r, struct em_buf *out)
{
	const char *p = r->v, *end = r->v + r->vlen;
	char *o;

	if (!r->quoted)
		return em_buf_append(out, r->v, r->vlen);
	if (em_buf_reserve(out, r->vlen) < 0)
		return -1;
	o = out->data + out->len;
	for (; p < end; p++) {
		if (*p == '\\' && end - p >= 2)
			p++;
		else if (*p == '\r' || *p == '\n')
			continue;
		*o++ = *p;
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* Percent-decodes b[from..] in place (a damaged "%" stays as it is). */
static void percent_decode(struct em_buf *b, size_t from)
{
	unsigned char *s = (unsigned char *)b->data + from,
		      *end = (unsigned char *)b->data + b->len;
	unsigned char *o = s;

	for (; s < end; s++) {
		if (*s == '%' && end - s >= 3 && hex_tab[s[1]] < 16 && hex_tab[s[2]] < 16) {
			*o++ = (unsigned char)(hex_tab[s[1]] << 4 | hex_tab[s[2]]);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	b->len = (size_t)((char *)o - b->data);
	if (b->data)
		b->data[b->len] = '\0';
}

/* Appends one (possibly extended) section's bytes to raw. For the first
 * extended section, the "charset'language'" prefix goes to cs (which is then
 * non-NULL, "" when empty). */
static int section_append(const struct pent *e, bool first, struct em_buf *raw, struct em_buf *cs,
			  bool *have_cs)
{
	size_t from = raw->len;

	if (value_unquote(&e->raw, raw) < 0)
		return -1;
	if (!e->ext)
		return 0;
	if (first) {
		char *q1 = memchr(raw->data + from, '\'', raw->len - from);

		if (q1 != NULL) {
			char *q2 = memchr(q1 + 1, '\'', (size_t)(raw->data + raw->len - q1 - 1));
			char *rest = q2 ? q2 + 1 : q1 + 1;
			size_t restlen = (size_t)(raw->data + raw->len - rest);

			size_t cslen = (size_t)(q1 - raw->data - from);

			if (em_buf_append(cs, raw->data + from, cslen) < 0)
				return -1;
			*have_cs = true;
			memmove(raw->data + from, rest, restlen);
			raw->len = from + restlen;
			raw->data[raw->len] = '\0';
		}
	}
	percent_decode(raw, from);
	return 0;
}

int em_param_count(const char *value, const char *name)
{
	size_t n, nplain, ngroups;
	struct pent *v;

	if (value == NULL || name == NULL)
		return 0;
	v = param_collect(value, name, &n, &nplain, &ngroups);
	free(v);
	if (v == NULL && n != 0) {
		/* Out of memory: count without grouping sections, an upper bound
		 * that keeps a caller iterating rather than missing one. */
		const char *p = value, *end = value + strlen(value);
		struct praw r;
		long sec;
		bool ext;
		int c = 0;

		while ((p = param_next(p, end, &r)) != NULL)
			c += attr_match(r.a, r.alen, name, strlen(name), &sec, &ext);
		return c;
	}
	return (int)(nplain + ngroups);
}

/* An occurrence of a parameter: a plain pair or a group of sections, keyed
 * by the position of its earliest pair. */
struct pocc {
	size_t key;
	size_t idx; /* plain: index into the pairs; group: nplain + rank */
};

static int pocc_by_key(const void *x, const void *y)
{
	const struct pocc *a = x, *b = y;

	return a->key < b->key ? -1 : a->key > b->key;
}

char *em_param_get(const char *value, const char *name, int nth, bool *nomem)
{
	size_t n, nplain, ngroups, i, pick;
	struct pent *v;
	struct pocc *occ = NULL;
	struct em_buf raw = EM_BUF_INIT, cs = EM_BUF_INIT, res = EM_BUF_INIT;
	bool have_cs = false, first = true;
	char *ret = NULL;

	if (value == NULL || name == NULL || nth < 0)
		return NULL;
	v = param_collect(value, name, &n, &nplain, &ngroups);
	if (v == NULL) {
		if (n != 0 && nomem)
			*nomem = true;
		return NULL;
	}
	if ((size_t)nth >= nplain + ngroups) {
		free(v);
		return NULL;
	}
	/* Occurrences in order of first appearance. */
	occ = malloc((nplain + ngroups) * sizeof *occ);
	if (occ == NULL)
		goto oom;
	for (i = 0; i < nplain + ngroups; i++) {
		occ[i].key = i < nplain ? v[i].raw.pos : (size_t)-1;
		occ[i].idx = i;
	}
	for (i = nplain; i < n; i++)
		if (v[i].raw.pos < occ[nplain + v[i].rank].key)
			occ[nplain + v[i].rank].key = v[i].raw.pos;
	qsort(occ, nplain + ngroups, sizeof *occ, pocc_by_key);
	pick = occ[nth].idx;
	if (pick < nplain) {
		if (section_append(&v[pick], true, &raw, &cs, &have_cs) < 0)
			goto oom;
	} else {
		/* The group's pairs, already in section order. */
		for (i = nplain; i < n; i++) {
			if (v[i].rank != pick - nplain)
				continue;
			if (section_append(&v[i], first, &raw, &cs, &have_cs) < 0)
				goto oom;
			first = false;
		}
	}
	if (have_cs) {
		if (em_buf_putc(&cs, '\0') < 0 ||
		    em_charset_to_utf8(cs.data, raw.data, raw.len, &res, NULL) < 0)
			goto oom;
	} else if (em_rfc2047_decode(raw.data ? raw.data : "", raw.len, &res) < 0) {
		/* Outlook puts encoded words inside quoted values; raw 8-bit
		 * is UTF-8 when valid, else windows-1252 (same rules). */
		goto oom;
	}
	/* The result is a C string: a NUL byte must not cut it short. */
	if (res.len > 0 && memchr(res.data, '\0', res.len) != NULL) {
		struct em_buf fixed = EM_BUF_INIT;

		for (i = 0; i < res.len; i++) {
			int rc = res.data[i] ? em_buf_putc(&fixed, res.data[i])
					     : em_buf_append(&fixed, utf8_fffd, 3);

			if (rc < 0) {
				em_buf_free(&fixed);
				goto oom;
			}
		}
		em_buf_free(&res);
		res = fixed;
	}
	ret = em_buf_steal(&res);
	if (ret != NULL)
		goto out;
oom:
	if (nomem)
		*nomem = true;
out:
	free(occ);
	free(v);
	em_buf_free(&raw);
	em_buf_free(&cs);
	em_buf_free(&res);
	return ret;
}
