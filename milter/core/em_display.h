/*
 * em_display - text as a mail client displays it, where that differs from
 * the bytes: format=flowed lines joined, right-to-left overrides applied,
 * iCalendar properties unfolded and unescaped.
 *
 * The engine matches both the text as stored and the text as displayed; the
 * functions here produce the second reading.
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 * Return convention: 0 (or 1 where said) on success, -1 only out of memory.
 * Every function is linear in its input and appends to out (owned by the
 * caller).
 */
#ifndef EM_DISPLAY_H
#define EM_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "em_buf.h"

/*
 * RFC 3676 (format=flowed): a line ending in a space is soft-broken and
 * joins the next line of the same quote depth; with delsp=yes that trailing
 * space is deleted on display ("Foster " + "ing" gives "Fostering"), with
 * delsp=no it stays. Space-stuffing (one leading space) is removed, quote
 * markers ('>') are dropped, the signature separator "-- " is a hard break.
 * CRLF or LF line ends.
 */
int em_flowed_display(const char *in, size_t len, bool delsp, struct em_buf *out);

/* True when UTF-8 text holds a bidi embedding, override or isolate control
 * (U+202A-U+202E, U+2066-U+2069): only then can the display order differ. */
bool em_bidi_present(const char *in, size_t len);

/*
 * The visual order of UTF-8 text with explicit bidi controls (Unicode UAX #9,
 * explicit levels X1-X10 reduced: RLO, RLE and RLI raise to the next odd
 * level, LRO, LRE, LRI and FSI to the next even one, PDF and PDI close,
 * a line end closes all; then rule L2 reverses every run at or above each
 * odd level). Text written backwards between U+202E and U+202C reads
 * forwards. The controls themselves are dropped. Implicit levels of
 * right-to-left letters are not computed (they are not what hides Latin
 * text). Nesting deeper than 125 levels is ignored (UAX #9 max_depth).
 */
int em_bidi_display(const char *in, size_t len, struct em_buf *out);

/*
 * The text of an iCalendar object (RFC 5545; vCalendar 1.0 alike): content
 * lines unfolded (a line break followed by a space or tab is removed, section
 * 3.1), and for every property the value, unescaped ("\," "\;" "\\" "\:" and
 * "\n"/"\N" as a line break, section 3.3.11), one per line, plus the CN=
 * parameter of ATTENDEE/ORGANIZER. BEGIN/END, DTSTART-like and binary
 * (ENCODING=BASE64) properties give nothing. X-ALT-DESC (an HTML copy of the
 * description) goes to html when it is not NULL, else to out.
 */
int em_ical_to_text(const char *in, size_t len, struct em_buf *out, struct em_buf *html);

/* A file carried inline in a calendar object: its name as the FILENAME-like
 * parameter gives it ("" when none), its decoded bytes (valid during the
 * call). A non-zero return stops the walk and is passed back. */
typedef int (*em_ical_file_fn)(void *ctx, const char *name, const char *data, size_t len);

/* em_ical_to_text, and every ATTACH property with ENCODING=BASE64 (RFC 5545
 * 3.8.1.1; Apple Calendar and Thunderbird Lightning put files there) decoded
 * and handed to fn (may be NULL: skipped, as em_ical_to_text does). */
int em_ical_to_text_files(const char *in, size_t len, struct em_buf *out, struct em_buf *html,
			  em_ical_file_fn fn, void *ctx);

/* Does the text start (after blanks and a BOM) like an iCalendar or vCalendar object? */
bool em_ical_sniff(const char *in, size_t len);

#endif
