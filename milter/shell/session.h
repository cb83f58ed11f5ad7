/*
 * session - one message between MAIL FROM and end-of-message: the rule set
 * reference it started with, the engine's scan, the raw spool, the envelope
 * recipients exactly as the MTA spelled them, and counts of forged verdict
 * headers. Each function is what one libmilter callback needs. Shell only;
 * no libmilter calls here.
 */
#ifndef EM_SHELL_SESSION_H
#define EM_SHELL_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../adapt/em_extract.h"
#include "../core/em_scan.h"
#include "rules_ref.h"

#define EM_PROGRESS_BYTES (4u * 1024 * 1024) /* smfi_progress every 4 MB of body */

struct em_spool;

struct em_session {
	struct em_rules_ref *ref;
	struct em_rset *rset; /* the rules this message is judged by */
	struct em_scan *scan;
	struct em_extract *extract;	/* the sandboxed extractor, this message's budget */
	struct em_spool *spool;
	char **rcpts; /* envelope spelling, for smfi_delrcpt */
	size_t nrcpts, caprcpts;
	char *queue_id;		  /* seen before end-of-message, or NULL */
	unsigned nforged;	  /* X-Embargo-Milter headers received */
	unsigned nforged_removed; /* X-Embargo-Milter-Removed headers received */
	char error[192];	  /* first reason the message is not fully scanned or
				   * spooled; "" when none */
	unsigned long long bytes; /* body bytes so far */
	unsigned long long next_progress;
};

/* Starts a message on the current rule set (a reference is taken).
 * Returns NULL when out of memory. */
struct em_session *em_session_new(struct em_rules_ref *ref);
/* Ends the message, dropping its rule set reference; accepts NULL. */
void em_session_free(struct em_session *s);

const struct em_rules *em_session_rules(const struct em_session *s);

/* Envelope. Failures are recorded in s->error (fail closed at the end). */
void em_session_sender(struct em_session *s, const char *addr);
void em_session_rcpt(struct em_session *s, const char *addr);
/* Remembers the queue id if the MTA already sent it (copied). */
void em_session_queue_id(struct em_session *s, const char *qid);

/*
 * One header as libmilter gives it. leadspc: the MTA keeps the value's
 * leading space (SMFIP_HDR_LEADSPC); otherwise the conventional single space
 * is put back. Folds (bare LF) become CRLF so scan and spool get the header
 * as received.
 */
void em_session_header(struct em_session *s, const char *name, const char *value, bool leadspc);
void em_session_eoh(struct em_session *s);
/* A body chunk; returns true when the caller should call smfi_progress. */
bool em_session_body(struct em_session *s, const void *p, size_t n);

/* Decides (em_scan_finish at time at). Returns 0 with *v set, or -1 (out of
 * memory; *v NULL). */
int em_session_finish(struct em_session *s, time_t at, struct em_verdict **v);

#endif
