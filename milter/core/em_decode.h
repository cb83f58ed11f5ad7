/*
 * em_decode - transfer-encoding, header-word, parameter and charset decoders.
 *
 * Owns: base64 and quoted-printable (streaming), RFC 2047 encoded words
 * (lenient), RFC 2045/2231 structured header parameters, and conversion of
 * any declared charset to valid UTF-8 (iconv).
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 * Every decoder is lenient: damaged input is decoded as far as it goes and
 * the damage is reported through a flag, never by failing.
 * Return convention: 0 on success, -1 only when out of memory.
 */
#ifndef EM_DECODE_H
#define EM_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "em_buf.h"

/* Streaming base64: feed any slices of the encoded text (line breaks, spaces
 * and other non-alphabet bytes are skipped and, except whitespace, flag bad). */
struct em_b64 {
	unsigned acc;
	int nbits;
	bool bad;
};
void em_b64_init(struct em_b64 *d);
int em_b64_push(struct em_b64 *d, const char *in, size_t len, struct em_buf *out);

/* Quoted-printable, one line at a time, line given WITHOUT its CR/LF.
 * Appends the decoded line and, unless it ends with a soft break ('=' possibly
 * followed by trailing whitespace), a '\n'. Invalid escapes are copied
 * literally and set *bad (if bad is not NULL). */
int em_qp_push_line(const char *line, size_t len, struct em_buf *out, bool *bad);

/* Decodes an unfolded header value with RFC 2047 encoded words, leniently:
 * over-long words, words without surrounding whitespace, whitespace between
 * adjacent encoded words dropped, B and Q, unknown charsets read as Latin-1.
 * Raw 8-bit text outside encoded words is taken as UTF-8 when valid, else
 * windows-1252. The result appended to out is valid UTF-8. */
int em_rfc2047_decode(const char *in, size_t len, struct em_buf *out);

/* Lower-cased "type/subtype" of a Content-Type value into out (size outsz).
 * Empty or unparsable values give "" (the caller applies RFC defaults). */
void em_mime_type(const char *value, char *out, size_t outsz);

/* Returns the parameter `name` (case-insensitive) of a structured header value
 * such as Content-Type or Content-Disposition, or NULL when absent.
 * Handles quoted strings, RFC 2231 continuations (name*0, name*1*) and
 * charset/language (name*=utf-8''%E2...), RFC 2047 words inside quotes.
 * `nth` selects among duplicates (0 = first occurrence). The result is
 * UTF-8, allocated; the caller frees it. *nomem is set when allocation failed. */
char *em_param_get(const char *value, const char *name, int nth, bool *nomem);
/* Number of times parameter `name` occurs (RFC 2231 sections count once). */
int em_param_count(const char *value, const char *name);

/* Converts len bytes in `charset` (may be NULL or "" = unknown) to UTF-8,
 * appended to out. Accepts every alias iconv knows (utf-8, us-ascii, latin1,
 * windows-1252, utf-16 with or without BOM (BOM-less byte order guessed),
 * utf-16le/be, utf-7, iso-2022-jp, ...). Unknown or missing charset: valid
 * UTF-8 is kept, anything else read as windows-1252. us-ascii/iso-8859-1
 * containing bytes that are not valid in it are read as windows-1252.
 * Never fails on content: invalid sequences become U+FFFD and set *lossy. */
int em_charset_to_utf8(const char *charset, const char *in, size_t len, struct em_buf *out,
		       bool *lossy);

/* True when in[0..len) is valid UTF-8. */
bool em_utf8_valid(const char *in, size_t len);

/* True when em_charset_to_utf8(charset, in, len, ...) would append exactly
 * in[0..len): the charset is UTF-8, US-ASCII or unknown, there is no byte
 * order mark and the bytes are valid UTF-8. The caller may then use the
 * input as it is instead of a converted copy (no allocation, no copy). */
bool em_charset_is_identity(const char *charset, const char *in, size_t len);

#endif
