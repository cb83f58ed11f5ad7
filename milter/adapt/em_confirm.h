/*
 * em_confirm - the pure parts of the `confirm` action: one-time codes, their
 * salted hashes, reading a reply to a confirmation notice (which code, what
 * justification), and the texts of the notices (to the sender when a message
 * is held for confirmation, the short answers to a reply, and the security
 * mailbox's note of a release request).
 *
 * Codes: 8 characters from a 32-symbol alphabet without look-alikes
 * (A-Z without I and O, digits 2-9), written "ABCD-2345": 40 bits from
 * getrandom(2). Only SHA-256(salt ":" CODE) is kept (FIPS 180-4, via Nettle),
 * with a 128-bit random salt per code; codes are compared case-insensitively.
 *
 * Replies: the code is looked for in the Subject first, then in the whole body
 * text INCLUDING quoted lines. A reply whose only copy of the code is the
 * quoted notice is accepted: the quoted notice is the sender's own copy, sent
 * to that address only, and the envelope sender must still match the held
 * message's sender (em_requests checks that). The justification is the first
 * non-quoted lines of the body (the first text/plain part, else the first
 * text/html part reduced to text), up to the first quote line ('>' prefix,
 * "On ... wrote:", "-----Original Message-----", Outlook's "From:" block or
 * "____" separator, "Le ... a écrit", "Am ... schrieb") or signature ("-- "),
 * with code tokens removed.
 *
 * Notices carry nothing from the held message's content: only release ids
 * and titles, times, envelope addresses, the record id and the code (the
 * justification, written by the sender in the reply, goes only to the
 * security mailbox and the audit log).
 * Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_CONFIRM_H
#define EM_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../core/em_scan.h"
#include "../core/em_types.h"

#define EM_CONFIRM_CODE_SIZE 10	       /* "ABCD-2345" + NUL */
#define EM_CONFIRM_SALT_SIZE 33	       /* 32 hex digits + NUL */
#define EM_CONFIRM_HASH_SIZE 65	       /* 64 hex digits + NUL */
#define EM_CONFIRM_MAX_CODES 8	       /* candidate codes taken from one reply */
#define EM_CONFIRM_REASON_MAX 1000     /* bytes of justification kept */
#define EM_CONFIRM_MAX_AGE (72 * 3600) /* a code expires at publish_at or after this */
#define EM_CONFIRM_SUBJECT_TAG "[embargo-milter]"

/*
 * A new random code, written as "XXXX-XXXX" into code (EM_CONFIRM_CODE_SIZE
 * bytes). Returns 0, or -1 when getrandom fails (errno set).
 */
int em_confirm_code_new(char *code);

/* A new random salt, 32 lowercase hex digits, into salt. Returns 0 or -1. */
int em_confirm_salt_new(char *salt);

/*
 * SHA-256 over salt ":" CODE (code upper-cased, as em_confirm_code_norm
 * gives it), as 64 lowercase hex digits into hash (EM_CONFIRM_HASH_SIZE).
 * Returns 0, or -1 when code is not a well-formed code.
 */
int em_confirm_hash(const char *salt, const char *code, char *hash);

/* 1 when code (any case) hashes to hash with salt, else 0. Constant time in the hash. */
int em_confirm_code_matches(const char *salt, const char *hash, const char *code);

/*
 * Finds code-shaped tokens in text[0..len): 4 symbols, '-', 4 symbols of the
 * code alphabet (any case), not inside a longer word. Appends each new one
 * (upper-cased) to codes, up to EM_CONFIRM_MAX_CODES in all; *ncodes counts
 * them. Returns the number added.
 */
size_t em_confirm_find_codes(const char *text, size_t len, char (*codes)[EM_CONFIRM_CODE_SIZE],
			     size_t *ncodes);

/*
 * The justification in a reply's body text (UTF-8): the non-empty lines
 * before the first quote or signature line, code tokens removed, control
 * characters made spaces, joined with " " and cut at EM_CONFIRM_REASON_MAX
 * bytes (on a character boundary, "..." added). Returns a malloc'd string
 * (caller frees; "" when the sender wrote nothing), NULL when out of memory.
 */
char *em_confirm_justification(const char *text, size_t len);

/* What a reply says. Owned by the struct; free with em_confirm_reply_free. */
struct em_confirm_reply {
	char codes[EM_CONFIRM_MAX_CODES][EM_CONFIRM_CODE_SIZE]; /* subject's first */
	size_t ncodes;
	char *justification; /* malloc'd, "" when none */
	bool auto_submitted; /* Auto-Submitted other than "no", or Precedence bulk/junk/list */
	bool damaged;	     /* the MIME walk found damage or hit a limit */
};

/*
 * Reads a whole reply message (headers and body, raw[0..len)) with the core's
 * MIME walk under lim. Fills *out. Returns 0, or -1 when out of memory
 * (out is then freed).
 */
int em_confirm_parse_reply(const char *raw, size_t len, const struct em_limits *lim,
			   struct em_confirm_reply *out);
/* Frees what em_confirm_parse_reply allocated; accepts a zeroed struct. */
void em_confirm_reply_free(struct em_confirm_reply *r);

/* Input of the notice builders. Strings are borrowed. */
struct em_confirm_notice_in {
	const struct em_verdict *v;  /* held message's verdict (the blocking releases) */
	const char *sender;	     /* the address the notice goes to, without <> */
	const char *from;	     /* notify_from; NULL = MAILER-DAEMON */
	const char *confirm_address; /* Reply-To: of the notice */
	const char *code;	     /* the one-time code (hold notice only) */
	const char *record;	     /* record id */
	const char *contact;	     /* NULL = none */
	const char *timezone;	     /* NULL = Europe/London */
	const char *message_id;	     /* "<...@host>" */
	time_t now;
	time_t expires; /* when the code stops working */
	bool omit_titles;
	const char *confirm_url; /* the review console's confirm page; NULL = not named */
};

/*
 * The notice to the sender of a message held for confirmation: why in plain
 * words (release title and id, hours to publication, the recipients not on
 * its list), how to release it (reply to confirm_address keeping the code in
 * the subject or body, with a short reason), until when. Subject
 * "[embargo-milter] held: TITLE code XXXX-XXXX". Returns 0 with *out a
 * malloc'd RFC 5322 message with CRLF line ends (caller frees), -1 when out
 * of memory.
 */
int em_confirm_notice_text(const struct em_confirm_notice_in *in, char **out);

/*
 * A short answer to a reply (to: in->sender): accepted (record and the
 * reason as recorded) when accepted, else refused, with why (a fixed,
 * generic phrase of the caller's: it must not tell a stranger whether a code
 * exists). Returns 0 with *out malloc'd (caller frees), -1 out of memory.
 */
int em_confirm_answer_text(const struct em_confirm_notice_in *in, bool accepted, const char *why,
			   char **out);

/*
 * The security mailbox's note of a release request: record, release(s),
 * requested by, when, the justification (omitted, with a pointer to the
 * audit log, when reason is NULL). to is the security mailbox. Returns 0 with
 * *out malloc'd (caller frees), -1 out of memory.
 */
int em_confirm_security_text(const struct em_confirm_notice_in *in, const char *to,
			     const char *request_id, const char *requested_by, const char *reason,
			     char **out);

#endif
