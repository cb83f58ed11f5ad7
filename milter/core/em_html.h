/*
 * em_html - HTML to text: as stored and as displayed.
 *
 * Owns: reducing an HTML document (UTF-8) to the text it holds. Two readings,
 * because a mail client can show something other than the bytes: the stored
 * reading keeps every text node (a hidden span is still text that was sent);
 * the displayed reading is what a reader sees (hidden elements dropped,
 * right-to-left overrides applied, <img alt> text where the image is).
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 * Return convention: 0 on success, -1 only when out of memory.
 */
#ifndef EM_HTML_H
#define EM_HTML_H

#include <stddef.h>

#include "em_buf.h"

/*
 * The stored reading, appended to out: block elements (p, div, br, li, tr,
 * td, th, h1-h6, table, blockquote, hr, ul, ol, section, article, header,
 * footer, pre, title) become a '\n'; every other tag is removed without
 * adding a space (so "Fos<b>ter</b>ing" gives "Fostering"); <style>,
 * <script>, <head> metadata and comments are not text; character references
 * (named HTML entities, &#NNN; and &#xHH;) are decoded to UTF-8 (WHATWG HTML
 * "named character references").
 */
int em_html_to_text(const char *in, size_t len, struct em_buf *out);

/*
 * The displayed reading, appended to out: as em_html_to_text, except that
 *  - the content of elements a client does not show is dropped: inline
 *    style display:none, visibility:hidden (until a descendant sets
 *    visible), font-size:0 (until a descendant sets a non-zero size),
 *    width:0 or height:0 (also as attributes) with overflow hidden or
 *    max-height:0, opacity:0, and the `hidden` attribute;
 *  - <bdo dir=rtl> and elements with dir=rtl are wrapped in U+202E ... U+202C
 *    so em_bidi_display (em_display.h) shows them right to left;
 *  - <img alt="..."> gives its alt text in place (a client shows it when
 *    images are blocked), <input value> likewise.
 * When attrs is not NULL, the text of every title=, alt= and href=
 * attribute is appended to it, one per line (a tooltip is text a reader can
 * see; a link's target is where a reader goes, and the release's `links`
 * are matched against it).
 * Returns 1 when the displayed reading differs in what it drops or adds
 * (something hidden, bidi, alt), 0 when it is the stored reading, -1 out of
 * memory. Linear in len.
 */
int em_html_display(const char *in, size_t len, struct em_buf *out, struct em_buf *attrs);

#endif
