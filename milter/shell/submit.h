/*
 * submit - hands one notice to the local MTA by SMTP (RFC 5321) from a
 * detached thread, so the milter never waits for it; logs the outcome: the
 * MTA's 250 reply to the end of data (Postfix: "2.0.0 Ok: queued as ID") when
 * it accepted the notice, else which step failed and the reply or error.
 *
 * Timeouts (each bounded, so a stuck MTA costs one thread for at most about
 * a minute): connect 5 s, each reply 10 s, the reply to the end of data 30 s.
 * Plain SMTP, no TLS and no AUTH: it is meant for the relay's own listener on
 * loopback (notify_smtp, default 127.0.0.1:25), which must accept mail from
 * 127.0.0.1 (Postfix's default mynetworks does). Shell only.
 */
#ifndef EM_SHELL_SUBMIT_H
#define EM_SHELL_SUBMIT_H

/*
 * Starts the submission of text (an RFC 5322 message with LF or CRLF line
 * ends; dot-stuffed here) to rcpt with envelope sender env_from ("<>" or ""
 * for the null sender) at hostport ("HOST:PORT", "[IPv6]:PORT" or "HOST",
 * port 25). qid, what and note (appended) only label the log lines. Every argument is copied.
 * Returns 0 when the thread started (the outcome is logged later), -1 when
 * it could not (out of memory or no thread; nothing was sent).
 */
int em_submit_start(const char *hostport, const char *env_from, const char *rcpt, const char *text,
		    const char *qid, const char *what, const char *note);

#endif
