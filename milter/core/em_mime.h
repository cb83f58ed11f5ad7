/*
 * em_mime - the MIME walk: a push parser fed raw message bytes in any
 * chunking, that finds every part (multipart nesting, message/rfc822 and
 * message/global at any depth), decodes its transfer encoding and hands each
 * leaf's decoded bytes, and every header field, to the caller.
 *
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 * Damage is a finding, not a stop: a missing closing boundary, bad base64 or
 * a part nested too deep sets a flag and the bytes are still handed on (as
 * plain text when the structure cannot be trusted), so damage cannot hide a
 * marker. Memory: one part's decoded bytes at a time, capped by the budget.
 * A multipart entity whose own body has a base64 or quoted-printable
 * Content-Transfer-Encoding (RFC 2045 forbids it; some clients decode it) is
 * decoded and then walked as a multipart.
 */
#ifndef EM_MIME_H
#define EM_MIME_H

#include <stdbool.h>
#include <stddef.h>

#include "em_types.h"

/* Findings; bits, several may be set. */
enum em_mime_flag {
	EM_MIME_MALFORMED = 1u << 0,	/* missing/misnested boundary, bad header, bad encoding */
	EM_MIME_TOO_BIG = 1u << 1,	/* decoded byte budget exhausted: the rest is not scanned */
	EM_MIME_TOO_DEEP = 1u << 2,	/* nesting beyond max_depth: read as plain text */
	EM_MIME_TOO_MANY = 1u << 3,	/* more parts than max_parts: the rest read as plain text */
	EM_MIME_NOMEM = 1u << 4,	/* out of memory: the rest is not scanned */
	EM_MIME_HEADER_CUT = 1u << 5,	/* a header field beyond max_header was cut */
};

/* What the caller learns about a part. Strings are valid during the callback only. */
struct em_mime_part {
	const char *type;	/* lower-case "text/plain"; RFC defaults applied */
	const char *charset;	/* NULL when not declared */
	const char *filename;	/* decoded (RFC 2231/2047), NULL when none */
	const char *where;	/* "body", "attachment:NAME", nested "attachment:A.eml/attachment:B" */
	unsigned depth;		/* 0 for the top-level message's own body */
	bool in_nested;		/* inside a message/rfc822 */
	bool flowed;		/* Content-Type format=flowed (RFC 3676) */
	bool delsp;		/* ... with delsp=yes */
};

struct em_mime_cb {
	void *ctx;
	/* Every header field of every header block (top-level message, nested
	 * messages, parts). value is unfolded, raw (not RFC 2047-decoded).
	 * where: "header" of the top message, or the nested message's where. */
	int (*header)(void *ctx, const struct em_mime_part *p, bool message_header, const char *name,
		      const char *value, size_t len);
	/* Optional. Asked once about a leaf that is not text or message,
	 * when its first SNIFF bytes are decoded (or at its end if shorter):
	 * false = nothing in it can be read (an image or a PDF), so its bytes are
	 * dropped and do not count against the decoded-byte budget. */
	bool (*wants)(void *ctx, const struct em_mime_part *p, const char *head, size_t len);
	/* One leaf part's whole decoded body (message/rfc822 are walked, not passed). */
	int (*leaf)(void *ctx, const struct em_mime_part *p, const char *data, size_t len);
};

struct em_mime;

#define EM_MIME_SNIFF 4096	/* bytes of a binary leaf shown to `wants` */

/* A parser for one message. lim and cb are copied/kept by pointer (lim must outlive it). */
struct em_mime *em_mime_new(const struct em_limits *lim, const struct em_mime_cb *cb);
void em_mime_free(struct em_mime *m);
/* Feeds bytes; returns 0, or a callback's non-zero return. */
int em_mime_push(struct em_mime *m, const char *data, size_t len);
/* Ends the message (flushes open parts). Returns 0 or a callback's non-zero return. */
int em_mime_finish(struct em_mime *m);
/* Findings so far (enum em_mime_flag bits). */
unsigned em_mime_flags(const struct em_mime *m);
/* Decoded bytes handed on so far (the budget's use). */
size_t em_mime_decoded(const struct em_mime *m);

#endif
