/*
 * confirm - the daemon's side of the confirm action: after a message was held
 * for confirmation, a one-time code is made, its hash stored and the sender
 * told how to release it; a reply to confirm_address is read, checked and
 * turned into a release request for the root job, and never delivered.
 * Shell only (logs, sends notices with shell/notify's em_notify_spawn).
 *
 * How a reply is consumed: it is accepted at end-of-data and then discarded
 * (SMFIS_DISCARD: Postfix answers 250 and logs "milter-discard", Sendmail
 * drops it), so the sender's client sees success and no bounce is made; the
 * outcome goes to the audit log and, as a short notice, to the reply's
 * sender. A reply that cannot be recorded (store error) is tempfailed, so
 * the sender's MTA retries. A message to confirm_address AND other
 * recipients is refused (550 5.7.1): a reply must not carry mail past the
 * scan.
 */
#ifndef EM_SHELL_CONFIRM_H
#define EM_SHELL_CONFIRM_H

#include <stddef.h>
#include <time.h>

#include "../adapt/em_act.h"
#include "../core/em_rules.h"
#include "../core/em_scan.h"

enum em_confirm_rcpts {
	EM_CONFIRM_RCPT_NONE = 0, /* an ordinary message */
	EM_CONFIRM_RCPT_ONLY,	  /* every recipient is confirm_address: a reply to consume */
	EM_CONFIRM_RCPT_MIXED,	  /* confirm_address and others: refuse */
};

/* Which kind of message the envelope makes this (cfg->confirm_address unset: NONE). */
enum em_confirm_rcpts em_confirm_rcpts_kind(const struct em_config *cfg, char *const *rcpts,
					    size_t n);

/*
 * After em_act_apply took EM_CONFIRM for v (record out->record): makes the
 * code, stores its hash with the expiry (earliest publish_at of the blocking
 * releases, at most EM_CONFIRM_MAX_AGE from now) and sends the sender the
 * notice. Problems are logged; the message then simply stays held for review.
 */
void em_confirm_after_hold(const struct em_rules *rules, const struct em_verdict *v,
			   const struct em_act_out *out, const char *queue_id, time_t now);

/*
 * Consumes a reply to confirm_address: raw_fd is the whole message (read
 * from offset 0), sender its envelope sender. Returns 0 (discard the
 * message), -1 (tempfail: the outcome could not be recorded) or -2
 * (tempfail: the code is not known here and the shared store, where other
 * relays' codes are, cannot be asked).
 */
int em_confirm_consume(const struct em_rules *rules, const char *sender, int raw_fd,
		       const char *queue_id, time_t now);

#endif
