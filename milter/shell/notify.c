/*
 * notify - notices through sendmail without blocking the milter (see
 * notify.h).
 *
 * Process shape, chosen so the milter thread never waits for sendmail and
 * no zombie is left: the milter thread forks child C and waits for C only;
 * C forks grandchild G and exits at once; G (now a child of init) closes
 * every inherited descriptor above 2 (the milter socket, the signal pipe,
 * other threads' spools), makes a pipe, forks S which execs sendmail with the
 * pipe as stdin, writes the notice into the pipe, reaps S and exits. Between
 * fork and exec only async-signal-safe calls are made: everything (argv, the
 * text, the descriptor limit) is prepared before the first fork, since other
 * threads may hold locks at that moment. SIGCHLD is left as it is (default).
 * S gets an empty signal mask and default dispositions: the milter's threads
 * block SIGHUP/SIGTERM/SIGINT and that mask survives exec.
 *
 * Must not depend on: the scan's evidence or the message content (notices
 * are built by adapt/em_notify from ids, times and addresses only).
 */
#define _GNU_SOURCE
#include "notify.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../adapt/em_notify.h"
#include "../core/em_settings.h"
#include "log.h"
#include "submit.h"

#define SENDMAIL_TIMEOUT_S 60

static unsigned notice_seq;

/* Only async-signal-safe calls from here to execv / _exit. */
static void close_from_3(long maxfd)
{
	if (close_range(3, ~0u, 0) == 0)
		return;
	for (long fd = 3; fd < maxfd; fd++)
		close((int)fd);
}

static void exec_sendmail(int in_fd, char *const argv[])
{
	struct sigaction sa;
	sigset_t none;

	if (dup2(in_fd, 0) < 0)
		_exit(126);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv(argv[0], argv);
	_exit(127);
}

/* The grandchild: feeds sendmail and reaps it. */
static void grandchild(char *const argv[], const char *text, size_t len, long maxfd)
{
	struct sigaction sa;
	int p[2], st = 0;
	pid_t s;

	close_from_3(maxfd);
	if (pipe(p) < 0)
		_exit(1);
	s = fork();
	if (s < 0)
		_exit(1);
	if (s == 0) {
		close(p[1]);
		exec_sendmail(p[0], argv);
	}
	close(p[0]);
	/* sendmail exiting early must end the writing, not this process */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	while (len > 0) {
		ssize_t n = write(p[1], text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		text += n;
		len -= (size_t)n;
	}
	close(p[1]);
	/* bounded: a sendmail that hangs (postdrop without its setgid) is killed */
	for (int tick = 0;; tick++) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		pid_t w = waitpid(s, &st, WNOHANG);

		if (w == s || (w < 0 && errno != EINTR))
			break;
		if (tick >= SENDMAIL_TIMEOUT_S * 10) {
			kill(s, SIGKILL);
			while (waitpid(s, &st, 0) < 0 && errno == EINTR) {
			}
			_exit(124);
		}
		nanosleep(&ts, NULL);
	}
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

int em_notify_spawn(const char *sendmail_path, const char *env_from, const char *rcpt,
		    const char *text, size_t len)
{
	char *argv[] = {(char *)sendmail_path, (char *)"-i", (char *)"-f", (char *)env_from,
			(char *)"--",	       (char *)rcpt, NULL};
	long maxfd = sysconf(_SC_OPEN_MAX);
	int st;
	pid_t c, w;

	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	c = fork();
	if (c < 0)
		return -1;
	if (c == 0) {
		pid_t g = fork();

		if (g == 0)
			grandchild(argv, text, len, maxfd);
		_exit(g < 0 ? 1 : 0);
	}
	while ((w = waitpid(c, &st, 0)) < 0 && errno == EINTR) {
	}
	if (w < 0)
		return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		errno = EAGAIN; /* the first child could not fork */
		return -1;
	}
	return 0;
}

/* "<20201111203500.1234.7.s@relay.example>": unique per process and call. */
static void make_msgid(char *buf, size_t sz, time_t now, char kind)
{
	char host[256] = "localhost";
	struct tm tm;
	char stamp[32] = "0";
	unsigned seq = __atomic_add_fetch(&notice_seq, 1, __ATOMIC_RELAXED);

	if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	for (char *h = host; *h; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		      (*h >= '0' && *h <= '9') || *h == '.' || *h == '-'))
			*h = '-';
	if (gmtime_r(&now, &tm) != NULL)
		strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	snprintf(buf, sz, "<%s.%ld.%u.%c.notice@%s>", stamp, (long)getpid(), seq, kind, host);
}

/*
 * Would this notice itself be stopped (by the same rules, to the same
 * recipient)? Returns 1 clean, 0 it would be stopped (the blocking release's
 * id copied into rel, "-" when none), -1 out of memory (not clean either).
 */
static int notice_is_clean(const struct em_rules *rules, const char *env_from, const char *rcpt,
			   const char *text, time_t now, char *rel, size_t relsz)
{
	struct em_scan *s = em_scan_new(rules, NULL);
	struct em_verdict *nv = NULL;
	int clean;

	snprintf(rel, relsz, "-");
	if (s == NULL)
		return -1;
	if (em_scan_set_sender(s, env_from) < 0 || em_scan_add_rcpt(s, rcpt) < 0 ||
	    em_scan_push(s, text, strlen(text)) < 0 || em_scan_finish(s, now, &nv) < 0) {
		em_scan_free(s);
		return -1;
	}
	em_scan_free(s);
	clean = nv->action == EM_ACCEPT && nv->nincomplete == 0;
	for (size_t i = 0; !clean && i < nv->nreleases; i++)
		if (nv->releases[i].nblocked > 0) {
			snprintf(rel, relsz, "%s", nv->releases[i].id);
			break;
		}
	em_verdict_free(nv);
	return clean ? 1 : 0;
}

/* Builds, checks and sends one notice; logs what became of it. */
static void send_one(const struct em_rules *rules, const struct em_config *cfg,
		     struct em_notify_in *in, int (*build)(const struct em_notify_in *, char **),
		     const char *what, const char *rcpt_spelled, const char *env_from)
{
	const char *qid = in->queue_id ? in->queue_id : "unknown";
	char *rcpt = NULL, *text = NULL, rel[128];
	int rc;

	rc = em_notify_addr(rcpt_spelled, &rcpt);
	if (rc != 0) {
		if (rc < 0)
			em_log(LOG_ERR, "%s: %s notice not sent: out of memory", qid, what);
		else if (strcmp(what, "security") == 0)
			em_log(LOG_ERR, "%s: security notice not sent: unusable security_mailbox",
			       qid);
		/* a null or unusable sender has nobody to tell: normal for bounces */
		return;
	}
	for (int pass = 0; pass < 2; pass++) {
		in->omit_titles = pass == 1;
		free(text);
		text = NULL;
		rc = build(in, &text);
		if (rc != 0) {
			if (rc < 0)
				em_log(LOG_ERR, "%s: %s notice not sent: out of memory", qid, what);
			goto out;
		}
		rc = notice_is_clean(rules, env_from, rcpt, text, in->now, rel, sizeof(rel));
		if (rc == 1)
			break;
		if (pass == 1) {
			em_log(LOG_WARNING,
			       "%s: %s notice to %s not sent: it would itself be stopped "
			       "(release %s%s)",
			       qid, what, rcpt, rel, rc < 0 ? ", or the check failed" : "");
			goto out;
		}
	}
	(void)em_notify_send(cfg, env_from, rcpt, text, qid, what,
			     in->omit_titles ? " (without release titles)" : NULL);
out:
	free(text);
	free(rcpt);
}

int em_notify_send(const struct em_config *cfg, const char *env_from, const char *rcpt,
		   const char *text, const char *qid, const char *what, const char *note)
{
	note = note ? note : "";
	qid = qid ? qid : "unknown";
	if (!cfg->notify_via_sendmail) {
		if (cfg->notify_smtp == NULL || cfg->notify_smtp[0] == '\0' ||
		    em_submit_start(cfg->notify_smtp, env_from, rcpt, text, qid, what, note) < 0) {
			em_log(LOG_ERR,
			       "%s: %s notice to %s not sent: cannot start the SMTP "
			       "submission to %s",
			       qid, what, rcpt, cfg->notify_smtp ? cfg->notify_smtp : "(none)");
			return -1;
		}
		return 0; /* the outcome is logged by the submission */
	}
	if (cfg->sendmail_path == NULL || cfg->sendmail_path[0] != '/') {
		em_log(LOG_ERR, "%s: %s notice to %s not sent: sendmail is not an absolute path",
		       qid, what, rcpt);
		return -1;
	}
	if (em_notify_spawn(cfg->sendmail_path, env_from, rcpt, text, strlen(text)) < 0) {
		em_log(LOG_ERR, "%s: %s notice to %s not sent: cannot start %s: %m", qid, what,
		       rcpt, cfg->sendmail_path);
		return -1;
	}
	/* the exit status is not seen here: by SMTP the MTA's queue id is logged */
	em_log(LOG_INFO, "%s: %s notice to %s handed to %s%s", qid, what, rcpt, cfg->sendmail_path,
	       note);
	return 0;
}

void em_notify_decision(const struct em_rules *rules, const struct em_verdict *v,
			const struct em_act_out *out, const char *const *rcpts, size_t nrcpts,
			const char *queue_id, time_t now)
{
	const struct em_config *cfg = em_rules_config(rules);
	struct em_notify_in in;
	char msgid[400];

	if (out->taken != EM_QUARANTINE && out->taken != EM_REJECT)
		return;
	if (cfg == NULL || (!cfg->notify_sender && cfg->security_mailbox == NULL))
		return;
	memset(&in, 0, sizeof(in));
	in.taken = out->taken;
	in.v = v;
	in.sender = v ? v->sender : NULL;
	in.rcpts = rcpts;
	in.nrcpts = nrcpts;
	in.record = out->taken == EM_QUARANTINE ? out->record : NULL;
	in.queue_id = queue_id;
	in.from = cfg->notify_from;
	in.security_mailbox = cfg->security_mailbox;
	in.contact = cfg->contact;
	in.timezone = cfg->timezone;
	in.now = now;
	in.message_id = msgid;

	/* null envelope sender: a bounce of a notice never loops back to us */
	if (cfg->notify_sender && in.sender != NULL) {
		make_msgid(msgid, sizeof(msgid), now, 's');
		send_one(rules, cfg, &in, em_notify_sender_text, "sender", in.sender, "<>");
	}
	if (cfg->security_mailbox != NULL) {
		make_msgid(msgid, sizeof(msgid), now, 'x');
		send_one(rules, cfg, &in, em_notify_security_text, "security",
			 cfg->security_mailbox,
			 cfg->notify_from && cfg->notify_from[0] ? cfg->notify_from : "<>");
	}
}
