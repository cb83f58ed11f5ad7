/*
 * em_text - text normalization for matching, and quoted-reply reduction.
 *
 * Owns: the one normalization applied both to message text and, at rule load
 * time, to rule literals; removal of reply quote prefixes; the UTF-8
 * helpers em_html shares. HTML to text is em_html.h.
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 * Return convention: 0 on success, -1 only when out of memory.
 */
#ifndef EM_TEXT_H
#define EM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "em_buf.h"
#include "em_html.h" /* em_html_to_text, split out of this module */

/*
 * Normalizes UTF-8 text and appends it to out:
 *   NFKC + Unicode case folding (utf8proc), format characters (category Cf:
 *   zero-width space/joiners, soft hyphen, BOM, bidi marks) removed, every
 *   dash (category Pd and U+2212) folded to '-', every space separator
 *   (category Zs, NBSP included) and every control whitespace (\t \n \r \f \v)
 *   folded to ' ', and whitespace runs collapsed to one ' '. Other control
 *   characters become ' ', and so do letters that look blank (Hangul fillers
 *   U+115F/U+1160/U+3164/U+FFA0, braille blank U+2800, U+17B4/U+17B5,
 *   U+1D159). A narrow no-break, thin or figure space (U+202F, U+2009,
 *   U+2007) between two ASCII digits in the same call is a thousands
 *   separator and becomes ',' ("42 850" -> "42,850"). Invalid UTF-8 bytes
 *   are dropped.
 * Collapsing continues across calls: if out already ends with ' ', leading
 * whitespace of `in` is not added. Leading whitespace at the very start of an
 * empty out is dropped. ASCII text takes a fast path (no utf8proc call).
 */
int em_norm_append(const char *in, size_t len, struct em_buf *out);

/*
 * Decodes the UTF-8 sequence at s (n bytes available) into *cp. Returns its
 * length, or 0 when s[0] does not start a well-formed sequence (RFC 3629).
 */
size_t em_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);

/* Appends cp (a Unicode scalar value) to b as UTF-8; 0, or -1 out of memory. */
int em_utf8_put(struct em_buf *b, int32_t cp);

/*
 * Removes reply quote prefixes: at the start of each line any run of '>'
 * characters and the spaces between them is dropped, so a phrase wrapped
 * across two quoted lines joins once whitespace is collapsed.
 */
int em_unquote_reply(const char *in, size_t len, struct em_buf *out);

/*
 * True when some line of in[0..len) starts (after spaces or tabs) with '>':
 * only then does em_unquote_reply change the text; otherwise its output is
 * the input byte for byte and the caller can skip the copy.
 */
bool em_reply_quoted(const char *in, size_t len);

#endif
