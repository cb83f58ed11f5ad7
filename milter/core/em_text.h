/*
 * em_text - text normalization for matching, and HTML / quoted-reply reduction.
 *
 * Owns: the one normalization applied both to message text and, at rule load
 * time, to rule literals; HTML to text; removal of reply quote prefixes.
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 * Return convention: 0 on success, -1 only when out of memory.
 */
#ifndef EM_TEXT_H
#define EM_TEXT_H

#include <stddef.h>

#include "em_buf.h"

/*
 * Normalizes UTF-8 text and appends it to out:
 *   NFKC + Unicode case folding (utf8proc), format characters (category Cf:
 *   zero-width space/joiners, soft hyphen, BOM, bidi marks) removed, every
 *   dash (category Pd and U+2212) folded to '-', every space separator
 *   (category Zs, NBSP included) and every control whitespace (\t \n \r \f \v)
 *   folded to ' ', and whitespace runs collapsed to one ' '. Other control
 *   characters become ' '. Invalid UTF-8 bytes are dropped.
 * Collapsing continues across calls: if out already ends with ' ', leading
 * whitespace of `in` is not added. Leading whitespace at the very start of an
 * empty out is dropped. ASCII text takes a fast path (no utf8proc call).
 */
int em_norm_append(const char *in, size_t len, struct em_buf *out);

/*
 * Reduces HTML (UTF-8) to its text, appended to out: block elements (p, div,
 * br, li, tr, td, th, h1-h6, table, blockquote, hr, ul, ol, section, article,
 * header, footer, pre, title) become a '\n'; every other tag is removed
 * without adding a space (so "Fos<b>ter</b>ing" gives "Fostering"); <style>,
 * <script>, <head> metadata and comments are not text; character references
 * (named HTML entities, &#NNN; and &#xHH;) are decoded to UTF-8.
 */
int em_html_to_text(const char *in, size_t len, struct em_buf *out);

/*
 * Removes reply quote prefixes: at the start of each line any run of '>'
 * characters and the spaces between them is dropped, so a phrase wrapped
 * across two quoted lines joins once whitespace is collapsed.
 */
int em_unquote_reply(const char *in, size_t len, struct em_buf *out);

#endif
