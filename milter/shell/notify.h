/*
 * notify - sends the notices of adapt/em_notify to the local MTA, never
 * blocking the milter thread: by SMTP (shell/submit, the default) or through
 * the sendmail command when `sendmail` is set: a double fork, the first child
 * exits at once (the only process waited for), the grandchild feeds the text
 * to sendmail's stdin. Shell only.
 *
 * When: after a successful quarantine or reject (the message was stopped).
 * Not for strip (the message went to the allowed recipients and its header
 * says who was removed), flag or monitor (nothing was stopped: a notice would
 * teach people to ignore notices), nor for a tempfail (the sender's MTA
 * retries and already tells the sender).
 */
#ifndef EM_SHELL_NOTIFY_H
#define EM_SHELL_NOTIFY_H

#include <stddef.h>
#include <time.h>

#include "../adapt/em_act.h"
#include "../core/em_rules.h"
#include "../core/em_scan.h"

/*
 * Sends what the configuration asks for after one decision: the sender
 * notice when notify_sender is set, the security notice when security_mailbox
 * is set, and nothing unless out->taken is quarantine or reject. v may be
 * NULL (no sender notice then: the sender is only known from the verdict).
 * rules judge each notice before it goes (a notice that would itself be
 * stopped is rebuilt without titles, then dropped with a log line). Problems
 * are logged, never returned: a notice is best effort, the decision stands.
 */
void em_notify_decision(const struct em_rules *rules, const struct em_verdict *v,
			const struct em_act_out *out, const char *const *rcpts, size_t nrcpts,
			const char *queue_id, time_t now);

/*
 * Sends one notice text (a whole RFC 5322 message) to rcpt (bare address)
 * with envelope sender env_from ("<>": null sender) the way cfg says: by
 * SMTP to notify_smtp (default 127.0.0.1:25; the MTA's 250 reply with its
 * queue id is logged when it accepts), or through the `sendmail` command
 * when that key is set (killed after 60 s). qid and what ("sender",
 * "security", ...) label the log lines; note (may be NULL) is appended to
 * them, e.g. " (without release titles)". Never blocks the caller. Returns 0
 * when the sending started, -1 when it could not (logged).
 */
int em_notify_send(const struct em_config *cfg, const char *env_from, const char *rcpt,
		   const char *text, const char *qid, const char *what, const char *note);

/*
 * Starts sendmail_path -i -f env_from -- rcpt with text (len bytes) on its
 * stdin and returns without waiting for it. env_from "<>" is the null sender.
 * Returns 0 when the first child was started and reaped, -1 with errno set
 * (fork or pipe failed); whether sendmail succeeds is not known here. A
 * sendmail still running after 60 s is killed (a setgid postdrop that
 * cannot run under NoNewPrivileges= used to hang for ever).
 */
int em_notify_spawn(const char *sendmail_path, const char *env_from, const char *rcpt,
		    const char *text, size_t len);

#endif
