/*
 * em_notify - the texts of the two notices sent after a message was held
 * (quarantine) or refused (reject): one to the sender, saying in plain words
 * what happened and why, and one to the security mailbox with the record id.
 * Pure: builds complete RFC 5322 messages (headers and 8bit UTF-8 body) in
 * memory; sending them is the shell's job (shell/notify).
 *
 * A notice must never itself be held by this milter, or by a copy of it on
 * the next relay: so it carries NOTHING taken from the message's content -
 * not the subject, not the body, not the matched text or evidence, not
 * attachment names, not even the Message-ID. Only release ids and titles
 * (from the operator's rules), times, envelope addresses, the queue id and
 * the record id. Its wording avoids the usual marker words of embargo
 * configurations. The X-Embargo-Milter: notice header is informational: the
 * milter does not trust it (a sender could forge it; em_act removes it), a
 * notice passes because it contains nothing that matches. The shell checks
 * that with the live rules before sending and falls back to a notice without
 * titles (see omit_titles).
 *
 * Everything derived from the message (addresses) is stripped of control
 * characters and invalid UTF-8 before it goes into a header or a line, so no
 * header can be injected; long values are cut visibly ("...").
 * Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_NOTIFY_H
#define EM_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../core/em_scan.h"
#include "../core/em_types.h"

#define EM_NOTIFY_DEFAULT_FROM "MAILER-DAEMON"

struct em_notify_in {
	enum em_action taken;	    /* EM_QUARANTINE or EM_REJECT */
	const struct em_verdict *v; /* NULL or without blocking release: the scan was incomplete */
	const char *sender;	    /* envelope sender as the MTA spelled it ("<a@b>", "<>") */
	const char *const *rcpts;   /* every envelope recipient (for an incomplete scan) */
	size_t nrcpts;
	const char *record;	      /* quarantine record id; NULL or "" for none */
	const char *queue_id;	      /* MTA queue id, or NULL */
	const char *from;	      /* From: address of notices; NULL = MAILER-DAEMON */
	const char *security_mailbox; /* To: of the security notice */
	const char *contact;	      /* whom the sender should ask; NULL = none */
	const char *timezone;	      /* for times in the text; NULL = Europe/London */
	time_t now;		      /* Date: of the notice */
	const char *message_id;	      /* Message-ID of the notice, "<...@host>" */
	bool omit_titles;	      /* release ids only: the fallback when a title would
				       * make the notice itself match a rule */
};

/*
 * The envelope address proper of spelled ("<a@b>" -> "a@b"): spaces and one
 * pair of angle brackets trimmed. Returns a malloc'd string (caller frees)
 * and 0; 1 and *out NULL when there is no usable address (null sender "<>",
 * empty, or it contains a control character, a space or a byte that is not
 * valid UTF-8); -1 when out of memory.
 */
int em_notify_addr(const char *spelled, char **out);

/*
 * The notice to the sender: which release(s), which recipients may not
 * receive it yet, when it is published, whom to contact, and what happens
 * next. Returns 0 with *out a malloc'd NUL-terminated message with CRLF line
 * ends (caller frees); 1 with *out NULL when there is nobody to tell (null
 * sender, unusable address); -1 when out of memory.
 */
int em_notify_sender_text(const struct em_notify_in *in, char **out);

/*
 * The notice to the security mailbox: action (held with the record id, or
 * rejected), queue id, time, sender, release(s) and blocked recipients.
 * Returns 0 with *out a malloc'd message (caller frees); 1 when no usable
 * security_mailbox is set; -1 when out of memory.
 */
int em_notify_security_text(const struct em_notify_in *in, char **out);

#endif
