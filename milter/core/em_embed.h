/*
 * em_embed - files embedded in a text body: uuencode and yEnc blocks.
 *
 * Owns: finding "begin MODE NAME ... end" (uuencode, POSIX uuencode(1);
 * also "begin-base64 MODE NAME ... ====") and "=ybegin ... =yend" (yEnc
 * 1.3, www.yenc.org/yenc-draft.1.3.txt) blocks anywhere in a text, and
 * decoding them, so a file a mail client would show as an attachment is read
 * like one.
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 * Lenient: a block without its end line is decoded as far as it goes and
 * reported damaged. Memory: one decoded file at a time, capped by max_bytes.
 */
#ifndef EM_EMBED_H
#define EM_EMBED_H

#include <stddef.h>

/* Why a block was not fully read; bits. */
enum em_embed_flag {
	EM_EMBED_DAMAGED = 1u << 0, /* no end line, or lines that are not the encoding */
	EM_EMBED_TOO_BIG = 1u << 1, /* decoded bytes beyond max_bytes were dropped */
};

/*
 * Called once per embedded file: name as written after the mode ("" when
 * none), its decoded bytes (valid during the call only). A non-zero return
 * stops the walk and is passed back.
 */
typedef int (*em_embed_fn)(void *ctx, const char *name, const char *data, size_t len);

/*
 * Finds and decodes every uuencoded and yEnc block in text[0..len) (CRLF or
 * LF line ends; a block must start at a line start). At most max_bytes are
 * decoded per message (0 = no cap). Sets enum em_embed_flag bits in *flags
 * (may be NULL). Returns 0, the callback's non-zero value, or -1 out of
 * memory. Linear in len.
 */
int em_embed_scan(const char *text, size_t len, size_t max_bytes, em_embed_fn fn, void *ctx,
		  unsigned *flags);

/* Cheap test: could text[0..len) hold a block (a "begin " or "=ybegin" line)? */
int em_embed_maybe(const char *text, size_t len);

#endif
