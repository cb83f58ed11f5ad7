/*
 * NAME
 *	embargo-milter - stop embargoed statistics leaving by mail
 * SYNOPSIS
 *	embargo-milter [-c CONFIG] [-f] [-p SOCKET] [-t] [-V]
 * DESCRIPTION
 *	A libmilter filter for Postfix (smtpd_milters and non_smtpd_milters)
 *	and Sendmail. Every message is streamed through the engine as the MTA
 *	delivers it and, at end of message, accepted with an X-Embargo-Milter
 *	header, flagged, stripped of blocked recipients, quarantined (MTA hold
 *	queue plus a record in quarantine_dir), rejected (550 5.7.1) or
 *	tempfailed (451 4.7.1) when it could not be fully checked (on_error).
 *
 *	-c CONFIG  main configuration (default /etc/embargo-milter/embargo-milter.conf)
 *	-f         stay in the foreground and log to stderr as well as syslog
 *	-p SOCKET  overrides `socket` (unix:/path, inet:PORT@HOST, ...)
 *	-t         check the configuration and release files, print every
 *	           FILE:LINE error, exit 0 (valid) or 2 (invalid)
 *	-V         print the version and exit
 * CONTROL
 *	`control_socket` (default /run/embargo-milter/control.sock) answers
 *	`embargoctl status` (protocol in adapt/em_control.h): live rules and
 *	their hash, the last reload and its error, decisions since start.
 *	A second daemon refuses to start while the milter socket, the control
 *	socket or the pid file belongs to a live one; the daemon removes only
 *	the pid file and sockets it created itself.
 * SIGNALS
 *	SIGHUP     reload the configuration and releases; messages in flight
 *	           finish on the rules they started with; an invalid new
 *	           configuration is logged (LOG_ERR, FILE:LINE) and the old
 *	           rules stay in force.
 *	SIGTERM, SIGINT  stop accepting connections and exit.
 *	libmilter's own signal thread treats SIGHUP as "stop". To keep it from
 *	ever seeing one, the milter runs in a second thread with HUP/TERM/INT
 *	blocked, and the main thread keeps them unblocked with handlers
 *	(SA_NODEFER): Linux hands a process-directed signal to the main thread
 *	whenever that thread does not block it, so libmilter's sigwait never
 *	gets it. The handlers only write a byte to a pipe the main thread reads.
 * PRIVILEGES
 *	Started as root with `user` set: the socket is opened (a stale unix
 *	socket removed), given to that user and group with mode 0660, the pid
 *	file written, then the process drops to the user for good. Without
 *	`user` it runs as started and warns when that is root.
 * EXIT STATUS
 *	0 clean stop or valid -t; 1 start-up failure; 2 invalid configuration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "../adapt/em_config.h"
#include "../adapt/em_control.h"
#include "../adapt/em_extract.h"
#include "../adapt/em_hscache.h"
#include "../adapt/em_qperm.h"
#include "../core/em_errors.h"
#include "../core/em_rules.h"
#include "control.h"
#include "daemon.h"
#include "lineage.h"
#include "log.h"
#include "mlfi.h"
#include "record.h"
#include "rules_ref.h"
#include "shipper.h"
#include "workbench.h"

#define DEFAULT_CONFIG "/etc/embargo-milter/embargo-milter.conf"
#define MILTER_TIMEOUT 600 /* s without a word from the MTA before libmilter gives up */
#define MILTER_BACKLOG 128

static struct em_rules_ref rules;
static int sig_pipe[2] = {-1, -1};
static volatile int milter_rc;

static void usage(void)
{
	fprintf(stderr, "usage: embargo-milter [-c CONFIG] [-f] [-p SOCKET] [-t] [-V]\n");
	exit(2);
}

/* The pre-forked extractor's news (started, lost, restarting) into the log. */
static void extract_log(bool warning, const char *msg)
{
	em_log(warning ? LOG_WARNING : LOG_INFO, "%s", msg);
}

static void rules_free_obj(void *obj)
{
	em_rules_free(obj);
}

/* Loads and compiles; every error lands in errs. Returns the rules or NULL. */
static struct em_rules *load(const char *path, struct em_errors *errs)
{
	struct em_config *cfg = em_config_load(path, errs);
	struct em_rules *r;

	if (cfg == NULL)
		return NULL;
	/* on success the rules own cfg; on failure it is still ours */
	if ((r = em_hscache_build(cfg, errs)) == NULL)
		em_config_free(cfg);
	return r;
}

static void print_errors(const struct em_errors *errs, const char *path)
{
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "%s\n", errs->v[i]);
	if (errs->nomem)
		fprintf(stderr, "%s: out of memory (more errors may exist)\n", path);
	if (errs->n == 0 && !errs->nomem)
		fprintf(stderr, "%s: invalid configuration\n", path);
}

/* The socket in use: -p, else `socket` at start (a reload cannot move it). */
static char *live_socket;
static bool socket_from_option;

/* The rule-set hash for status; "" when a file cannot be read again. */
static void hash_of(const struct em_rules *r, char out[17])
{
	char err[256];

	if (em_control_hash(em_rules_config(r), out, err, sizeof(err)) < 0) {
		em_log(LOG_WARNING, "rules hash: %s", err);
		out[0] = '\0';
	}
}

static void reload(const char *path)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r = load(path, &errs);
	char hash[17], why[640];

	if (r == NULL) {
		for (size_t i = 0; i < errs.n; i++)
			em_log(LOG_ERR, "reload: %s", errs.v[i]);
		em_log(LOG_ERR, "reload of %s failed%s: keeping the rules in force", path,
		       errs.nomem ? " (out of memory)" : "");
		snprintf(why, sizeof(why), "%s%s", errs.n > 0 ? errs.v[0] : "invalid configuration",
			 errs.n > 1 ? " (and more: see the log)" : "");
		em_control_reload_failed(why);
	} else {
		const char *ns = em_rules_config(r)->socket;

		hash_of(r, hash);
		if (em_rules_ref_swap(&rules, r) < 0) {
			em_rules_free(r);
			em_log(LOG_ERR, "reload of %s: out of memory: keeping the rules in force",
			       path);
			em_control_reload_failed("out of memory");
			em_errors_free(&errs);
			return;
		}
		/* r belongs to rules now; ns lives as long as the set is current */
		em_log(LOG_INFO, "reloaded %s: %zu releases", path, em_rules_count(r));
		em_control_loaded(hash);
		if (!socket_from_option && ns != NULL && strcmp(ns, live_socket) != 0) {
			snprintf(why, sizeof(why),
				 "socket changed to %.200s in %.150s: needs a restart (still "
				 "listening on %.120s)",
				 ns, path, live_socket);
			em_log(LOG_WARNING, "%s", why);
			em_control_restart_needed(why);
		} else {
			em_control_restart_needed(NULL);
		}
		em_workbench_loaded(em_rules_config(r));
	}
	em_errors_free(&errs);
}

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	/* a full pipe already holds a pending request: nothing is lost */
	if (write(sig_pipe[1], &c, 1) < 0) {
	}
	errno = saved;
}

static void *milter_thread(void *arg)
{
	unsigned char c = 0;

	milter_rc = smfi_main();
	if (write(sig_pipe[1], &c, 1) < 0) {
	}
	return NULL;
}

/* Runs libmilter in a thread and serves signals here until it stops. */
static int serve(const char *path)
{
	struct sigaction sa;
	sigset_t set;
	pthread_t tid;
	bool stopping = false;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		em_log(LOG_ERR, "pipe: %m");
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* NODEFER: not even while the handler runs may HUP be blocked here */
	sa.sa_flags = SA_RESTART | SA_NODEFER;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	/* the milter thread and all libmilter threads inherit the blocked set */
	if (pthread_create(&tid, NULL, milter_thread, NULL) != 0) {
		em_log(LOG_ERR, "cannot start the milter thread");
		return 1;
	}
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	{
		struct em_rset *rs = em_rules_ref_acquire(&rules);

		em_log(LOG_INFO, "started: %zu releases", em_rules_count(rs->obj));
		em_log(LOG_INFO, "extraction sandbox: %s%s",
		       em_extract_sandbox(&em_rules_config(rs->obj)->extract),
		       em_rules_config(rs->obj)->extract.prefork ? "; pre-forked server" : "");
		em_rules_ref_release(&rules, rs);
	}

	for (;;) {
		struct pollfd pfd = {.fd = sig_pipe[0], .events = POLLIN};
		unsigned char buf[64];
		bool hup = false, done = false;
		ssize_t n;

		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		while ((n = read(sig_pipe[0], buf, sizeof(buf))) > 0) {
			for (ssize_t i = 0; i < n; i++) {
				if (buf[i] == SIGHUP)
					hup = true;
				else if (buf[i] == SIGTERM || buf[i] == SIGINT)
					stopping = true;
				else if (buf[i] == 0)
					done = true;
			}
		}
		if (done)
			break;
		if (stopping) {
			static bool asked;

			if (!asked) {
				em_log(LOG_INFO, "stopping");
				smfi_stop();
				asked = true;
			}
			continue;
		}
		if (hup) /* several HUPs in a burst: one reload */
			reload(path);
	}
	pthread_join(tid, NULL);
	if (milter_rc != MI_SUCCESS && !stopping) {
		em_log(LOG_ERR, "libmilter stopped with an error");
		return 1;
	}
	return 0;
}

/*
 * reviewer_group: quarantine_dir, its directories 2750 and files 0640 of that
 * group (em_qperm), as root (then also owned by the daemon's user, uid) or
 * as a member of the group. Neither: a warning saying what to run.
 */
static void reviewer_perms(const struct em_config *cfg, uid_t uid)
{
	struct group *gr;
	char err[512] = "";
	int n;

	if (cfg->reviewer_group == NULL || cfg->quarantine_dir == NULL)
		return;
	if ((gr = getgrnam(cfg->reviewer_group)) == NULL)
		return; /* the control socket's set-up says so and stops */
	if (!em_qperm_can_chgrp(gr->gr_gid)) {
		em_log(LOG_WARNING,
		       "reviewer_group %s: this user is not in that group, so %s keeps the group "
		       "it has; add the daemon's user to the group and restart (the Debian "
		       "package's postinst does both)",
		       cfg->reviewer_group, cfg->quarantine_dir);
		return;
	}
	n = em_qperm_apply(cfg->quarantine_dir, cfg->audit_log, uid, gr->gr_gid, err, sizeof(err));
	if (n < 0)
		em_log(LOG_ERR, "reviewer_group %s on %s: %s", cfg->reviewer_group,
		       cfg->quarantine_dir, err);
	else if (n > 0)
		em_log(LOG_NOTICE, "reviewer_group %s: %d file(s) in %s given to the group",
		       cfg->reviewer_group, n, cfg->quarantine_dir);
}

int main(int argc, char **argv)
{
	const char *config = DEFAULT_CONFIG, *sock_opt = NULL, *sock, *spath;
	char path[PATH_MAX];
	bool foreground = false, check = false, drop;
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r;
	const struct em_config *cfg;
	uid_t uid = 0;
	gid_t gid = 0;
	char *pid_file = NULL;
	bool have_ref = false;
	int opt, rc;

	/* libmilter runs a thread per MTA connection; glibc would give each its
	 * own malloc arena (up to 8 per core) and the RSS creeps up with every
	 * new connection's thread. Two arenas keep it flat at no measurable cost. */
	mallopt(M_ARENA_MAX, 2);
	/* A HUP or TERM during start-up waits until serve() has its handlers
	 * (the default action of SIGHUP would kill the daemon). */
	{
		sigset_t early;

		sigemptyset(&early);
		sigaddset(&early, SIGHUP);
		sigaddset(&early, SIGTERM);
		sigaddset(&early, SIGINT);
		pthread_sigmask(SIG_BLOCK, &early, NULL);
	}
	while ((opt = getopt(argc, argv, "c:fp:thV")) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'p':
			sock_opt = optarg;
			break;
		case 't':
			check = true;
			break;
		case 'V':
			printf("embargo-milter %s\n", EM_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	/* absolute, so a reload after chdir("/") reads the same files */
	if (realpath(config, path) == NULL) {
		fprintf(stderr, "%s: %s\n", config, strerror(errno));
		return 2;
	}
	r = load(path, &errs);
	if (r == NULL) {
		print_errors(&errs, path);
		em_errors_free(&errs);
		return 2;
	}
	em_errors_free(&errs);
	cfg = em_rules_config(r);
	if (check) {
		printf("%s: OK, %zu releases\n", path, em_rules_count(r));
		em_rules_free(r);
		return 0;
	}

	em_log_open(true);
	em_extract_set_log(extract_log);
	sock = sock_opt ? sock_opt : cfg->socket;
	if (sock == NULL || *sock == '\0') {
		fprintf(stderr, "%s: no socket configured (set `socket` or use -p)\n", path);
		em_rules_free(r);
		return 2;
	}
	drop = cfg->user != NULL && geteuid() == 0;
	if (drop && em_daemon_lookup_user(cfg->user, &uid, &gid) < 0)
		goto fail;
	/* a copy: the first rule set (and its cfg->socket) goes at a reload */
	if ((live_socket = strdup(sock)) == NULL) {
		em_log(LOG_ERR, "out of memory");
		goto fail;
	}
	socket_from_option = sock_opt != NULL;
	spath = em_daemon_socket_path(sock);
	/* a second daemon must not take over a live one's socket or pid file */
	if (spath != NULL && em_daemon_socket_live(spath)) {
		em_log(LOG_ERR, "%s: another milter answers on this socket: refusing to start",
		       spath);
		goto fail;
	}
	if (cfg->pid_file != NULL && em_daemon_pidfile_live(cfg->pid_file))
		goto fail;
	{
		char hash[17];

		hash_of(r, hash);
		em_control_loaded(hash);
	}
	{
		gid_t cgid = gid;
		bool chown_it = drop;

		if (cfg->reviewer_group != NULL) {
			struct group *gr = getgrnam(cfg->reviewer_group);

			if (gr == NULL) {
				em_log(LOG_ERR, "reviewer_group %s: no such group",
				       cfg->reviewer_group);
				goto fail;
			}
			cgid = gr->gr_gid;
			chown_it = true;
		}
		rc = em_control_open(em_control_path(cfg), chown_it, drop ? uid : (uid_t)-1, cgid);
		if (rc == -1) {
			em_log(LOG_WARNING,
			       "no control socket: `embargoctl status` will not answer");
		}
	}
	if (em_rules_ref_init(&rules, r, rules_free_obj) < 0) {
		em_log(LOG_ERR, "out of memory");
		goto fail;
	}
	r = NULL; /* the reference owns it now */
	have_ref = true;
	if (smfi_register(*em_mlfi_desc(&rules)) == MI_FAILURE ||
	    smfi_setconn((char *)sock) == MI_FAILURE ||
	    smfi_settimeout(MILTER_TIMEOUT) == MI_FAILURE ||
	    smfi_setbacklog(MILTER_BACKLOG) == MI_FAILURE) {
		em_log(LOG_ERR, "libmilter set-up failed for %s", sock);
		goto fail;
	}
	/* true: remove a stale unix socket left by an earlier run */
	if (smfi_opensocket(true) == MI_FAILURE) {
		em_log(LOG_ERR, "cannot open socket %s", sock);
		goto fail;
	}
	em_daemon_listener_nodelay();
	if (spath != NULL && em_daemon_socket_perms(spath, drop, uid, gid) < 0)
		goto fail;
	if (!foreground && em_daemon_detach() < 0)
		goto fail;
	if (cfg->pid_file != NULL) {
		char *pf = strdup(cfg->pid_file);

		/* pid_file is set only once written: a failed write removes nothing */
		if (pf == NULL || em_daemon_pidfile_write(pf) < 0) {
			free(pf);
			goto fail;
		}
		pid_file = pf;
	}

	/* reviewer_group: the store to that group, before the drop (issue 9) */
	reviewer_perms(cfg, drop ? uid : (uid_t)-1);
	if (drop) {
		if (em_daemon_drop(cfg->user, uid, gid) < 0)
			goto fail;
		em_log(LOG_INFO, "running as %s", cfg->user);
	} else if (geteuid() == 0) {
		em_log(LOG_WARNING, "running as root: set `user` to drop privileges");
	}
	/* after the fork of em_daemon_detach (threads do not survive it) and the drop */
	if (em_control_start(&rules, sock, path) < 0)
		goto fail;
	/* a shared store: outbox rows with every record, and the shipper thread */
	em_record_set_outbox(cfg->store != NULL);
	if (em_shipper_start(&rules) < 0)
		goto fail;

	em_workbench_loaded(cfg);
	rc = serve(path);
	em_shipper_stop();
	em_control_close();
	free(live_socket);
	em_daemon_pidfile_remove(pid_file);
	free(pid_file);
	em_rules_ref_destroy(&rules);
	em_workbench_close();
	em_record_close();
	em_shell_lineage_close();
	em_log(LOG_INFO, "stopped");
	em_log_close();
	return rc;

fail:
	/* every early exit frees what it took: no daemon run ends with a leak */
	em_control_close();
	free(live_socket);
	live_socket = NULL;
	if (pid_file != NULL)
		em_daemon_pidfile_remove(pid_file);
	free(pid_file);
	if (have_ref)
		em_rules_ref_destroy(&rules);
	else
		em_rules_free(r);
	em_log_close();
	return 1;
}
