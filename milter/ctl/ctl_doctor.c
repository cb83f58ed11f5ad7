/*
 * ctl_doctor - `embargoctl doctor` (see ctl_doctor.h): says plainly what
 * would let embargoed mail out unchecked.
 *
 * Postfix (read with postconf(1), `-c DIR` from --postfix-config or env
 * EMBARGO_POSTFIX_CONFIG; env EMBARGO_POSTCONF names the binary, for tests):
 *   - every smtpd(8) service must list the milter's socket in smtpd_milters,
 *     every cleanup(8) service in non_smtpd_milters, with master.cf -o
 *     overrides and the service's chroot taken into account (a chrooted
 *     Postfix daemon reads unix:/PATH inside its queue directory);
 *   - milter_default_action (global, per service, or the per-milter
 *     `{ ..., default_action = ... }` form) must not be accept;
 *   - a unix socket must be reachable by mail_owner: search permission on
 *     every directory, write permission on the socket (ACLs are not read).
 * Sendmail (when sendmail.cf exists; --sendmail-cf / env EMBARGO_SENDMAIL_CF):
 *   the X line of the filter must exist, carry F=T and be in InputMailFilters.
 *   - settings that take mail past the milter: no_milters in
 *     receive_override_options (main.cf, or -o on smtpd/qmqpd/pickup),
 *     smtpd_milter_maps entries (DISABLE, or a list without the milter; file
 *     tables are read), milter_default_action other than tempfail/reject,
 *     a '#' after a value (postconf -n / -P, unexpanded);
 *   - a socket directory inside the queue directory that does not exist.
 * Each finding ends with the command that fixes it.
 * Live (unless --no-live): the milter handshake on `socket` (ctl_status) and
 * the daemon's status on its control socket (a failed reload, a restart
 * needed, files on disk that differ from the live rules).
 * As root with `user` set: every file must be readable by that user.
 * Releases: one already published but still configured; an empty PRA list.
 * Config: monitor mode (nothing is held).
 *
 * Ring: ctl (shell). Uses the adapters to read the config; never used by the
 * daemon. Runs postconf with fork/exec (no shell).
 */
#define _GNU_SOURCE
#include "ctl_doctor.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../adapt/em_config.h"
#include "../adapt/em_control.h"
#include "../core/em_buf.h"
#include "../core/em_rules.h"
#include "../core/em_time.h"
#include "ctl_status.h"
#include "ctl_store.h"
#include <jansson.h>
#include "ctl_doctor_sendmail.h"

#define DEFAULT_CONFIG "/etc/embargo-milter/embargo-milter.conf"
#define DEFAULT_SENDMAIL_CF "/etc/mail/sendmail.cf"

/* The milter's socket, as the MTA must name it. */
struct sock {
	bool unix_path; /* else inet */
	char *path;	/* unix: absolute path */
	char *host;	/* inet: host as written, "" = any address */
	long port;
	char *postfix; /* the Postfix spelling, for messages */
};

/* One entry of a Postfix milter list. */
struct milter {
	char *name;	      /* "unix:/p" or "inet:host:port" */
	char *default_action; /* from "{ name, default_action = x }", or NULL */
};

struct milters {
	struct milter *v;
	size_t n;
};

/* One master.cf service ("smtp/inet") with what doctor needs from it. */
struct service {
	char *name;
	char *command; /* first word of the command */
	bool chroot;
	char *smtpd_milters; /* -o overrides, NULL when not overridden */
	char *non_smtpd_milters;
	char *default_action;
	char *receive_override; /* receive_override_options */
	char *milter_maps;	/* smtpd_milter_maps */
	char *content_filter;
};

struct doctor {
	const struct em_config *cfg;
	struct sock sock;
	unsigned findings;
	bool nomem;
	/* Postfix */
	char *pf_dir; /* -c DIR or NULL */
	char *smtpd_milters, *non_smtpd_milters, *default_action, *mail_owner, *queue_dir;
	char *receive_override, *milter_maps, *content_filter;
	struct service *svc;
	size_t nsvc;
};

static void finding(struct doctor *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void okay(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void finding(struct doctor *d, const char *fmt, ...)
{
	va_list ap;

	d->findings++;
	fputs("UNSAFE: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void okay(const char *fmt, ...)
{
	va_list ap;

	fputs("ok: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static char *xstrndup(struct doctor *d, const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		d->nomem = true;
	return p;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* ---- the milter's socket -------------------------------------------------- */

/* Parses our libmilter socket spec into the form Postfix and Sendmail use. */
static int sock_parse(struct sock *s, const char *spec)
{
	const char *p = NULL, *at;
	char *end;
	int n;

	memset(s, 0, sizeof(*s));
	if (strncmp(spec, "unix:", 5) == 0)
		p = spec + 5;
	else if (strncmp(spec, "local:", 6) == 0)
		p = spec + 6;
	else if (spec[0] == '/')
		p = spec;
	if (p != NULL) {
		s->unix_path = true;
		if ((s->path = strdup(p)) == NULL)
			return -1;
		n = asprintf(&s->postfix, "unix:%s", p);
		return n < 0 ? -1 : 0;
	}
	p = spec + (strncmp(spec, "inet6:", 6) == 0 ? 6 : 5);
	s->port = strtol(p, &end, 10);
	at = *end == '@' ? end + 1 : "";
	if ((s->host = strdup(at)) == NULL)
		return -1;
	if (strncmp(spec, "inet6:", 6) == 0 && *at)
		n = asprintf(&s->postfix, "inet:[%s]:%ld", at, s->port);
	else
		n = asprintf(&s->postfix, "inet:%s:%ld", *at ? at : "127.0.0.1", s->port);
	return n < 0 ? -1 : 0;
}

static void sock_free(struct sock *s)
{
	free(s->path);
	free(s->host);
	free(s->postfix);
}

static bool is_loopback(const char *h)
{
	return strcasecmp(h, "localhost") == 0 || strncmp(h, "127.", 4) == 0 ||
	       strcmp(h, "::1") == 0 || strcmp(h, "[::1]") == 0;
}

static bool host_same(const char *ours, const char *theirs, size_t tlen)
{
	char h[256];

	if (tlen >= sizeof(h))
		return false;
	memcpy(h, theirs, tlen);
	h[tlen] = '\0';
	if (h[0] == '[' && tlen > 2 && h[tlen - 1] == ']') {
		memmove(h, h + 1, tlen - 2);
		h[tlen - 2] = '\0';
	}
	/* a milter bound to every address answers on any of this host's */
	if (*ours == '\0' || strcmp(ours, "0.0.0.0") == 0 || strcmp(ours, "::") == 0)
		return true;
	return strcasecmp(ours, h) == 0 || (is_loopback(ours) && is_loopback(h));
}

/* Compares two paths, ignoring repeated and trailing slashes. */
static bool path_same(const char *a, const char *b)
{
	for (;;) {
		while (a[0] == '/' && a[1] == '/')
			a++;
		while (b[0] == '/' && b[1] == '/')
			b++;
		if ((*a == '\0' || (a[0] == '/' && a[1] == '\0')) &&
		    (*b == '\0' || (b[0] == '/' && b[1] == '\0')))
			return true;
		if (*a != *b)
			return false;
		a++;
		b++;
	}
}

/*
 * Does the Postfix milter name refer to our socket, for a daemon that is
 * (or is not) chrooted into queue_dir? A chrooted daemon resolves
 * unix:/PATH as queue_dir/PATH; every daemon resolves a relative path
 * against queue_dir (its working directory).
 */
static bool milter_is_ours(const struct doctor *d, const char *name, bool chroot)
{
	const struct sock *s = &d->sock;

	if (s->unix_path) {
		char *full = NULL;
		bool same;

		if (strncmp(name, "unix:", 5) != 0)
			return false;
		name += 5;
		if (name[0] == '/' && !chroot)
			return path_same(name, s->path);
		if (d->queue_dir == NULL || asprintf(&full, "%s/%s", d->queue_dir, name) < 0)
			return false;
		same = path_same(full, s->path);
		free(full);
		return same;
	}
	if (strncmp(name, "inet:", 5) == 0) {
		const char *h = name + 5, *colon = strrchr(h, ':');
		char *end;
		long port;

		if (colon == NULL)
			return false;
		port = strtol(colon + 1, &end, 10);
		return *end == '\0' && port == s->port &&
		       host_same(s->host, h, (size_t)(colon - h));
	}
	return false;
}

/* ---- Postfix milter lists ------------------------------------------------- */

/*
 * Splits a milter list ("a, b {c, default_action = accept}") into entries.
 * Returns 0 or -1 out of memory.
 */
static int milters_parse(struct doctor *d, const char *v, struct milters *out)
{
	const char *p = v;

	memset(out, 0, sizeof(*out));
	while (*p) {
		struct milter m = {NULL, NULL};
		struct milter *nv;

		while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *e = close ? close : p + strlen(p);
			char *body = xstrndup(d, p + 1, (size_t)(e - p - 1)), *save = NULL, *tok;
			bool first = true;

			if (body == NULL)
				return -1;
			for (tok = strtok_r(body, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				char *t = trim(tok), *eq = strchr(t, '=');

				if (first) {
					m.name = strdup(t);
					first = false;
				} else if (eq != NULL) {
					*eq = '\0';
					if (strcmp(trim(t), "default_action") == 0) {
						free(m.default_action);
						m.default_action = strdup(trim(eq + 1));
					}
				}
			}
			free(body);
			p = close ? close + 1 : e;
		} else {
			size_t n = strcspn(p, " \t,\n{");

			m.name = xstrndup(d, p, n);
			p += n;
		}
		if (m.name == NULL || (nv = realloc(out->v, (out->n + 1) * sizeof(*nv))) == NULL) {
			free(m.name);
			free(m.default_action);
			d->nomem = true;
			return -1;
		}
		out->v = nv;
		out->v[out->n++] = m;
	}
	return 0;
}

static void milters_free(struct milters *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].default_action);
	}
	free(m->v);
}

/* ---- running postconf ----------------------------------------------------- */

static const char *find_postconf(void)
{
	static const char *const dirs[] = {"/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin"};
	static char path[4096];
	const char *env = getenv("EMBARGO_POSTCONF"), *pathv = getenv("PATH");

	/* tests point this at nothing to stand for "no Postfix here" */
	if (env != NULL && *env)
		return access(env, X_OK) == 0 ? env : NULL;
	while (pathv != NULL && *pathv) {
		size_t n = strcspn(pathv, ":");

		if (n > 0 && n + sizeof("/postconf") < sizeof(path)) {
			memcpy(path, pathv, n);
			strcpy(path + n, "/postconf");
			if (access(path, X_OK) == 0)
				return path;
		}
		pathv += n + (pathv[n] == ':');
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/postconf", dirs[i]);
		if (access(path, X_OK) == 0)
			return path;
	}
	return NULL;
}

/*
 * Runs postconf [-c DIR] ARGS... and collects its standard output in out.
 * Its standard error goes to ours. Returns 0 when it exited 0, else -1 with
 * a message printed.
 */
static int run_postconf(struct doctor *d, const char *bin, const char *const *args,
			struct em_buf *out)
{
	const char *argv[16];
	size_t n = 0;
	int fds[2], status;
	pid_t pid;
	char buf[8192];
	ssize_t r;

	argv[n++] = bin;
	if (d->pf_dir) {
		argv[n++] = "-c";
		argv[n++] = d->pf_dir;
	}
	for (; *args && n < sizeof(argv) / sizeof(argv[0]) - 1; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (pipe(fds) < 0) {
		fprintf(stderr, "embargoctl doctor: pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(stdout);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "embargoctl doctor: fork: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(bin, (char *const *)argv);
		fprintf(stderr, "embargoctl doctor: %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	while ((r = read(fds[0], buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (em_buf_append(out, buf, (size_t)r) < 0)
			d->nomem = true;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "embargoctl doctor: %s%s%s failed (exit %d)\n", bin,
			d->pf_dir ? " -c " : "", d->pf_dir ? d->pf_dir : "",
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	if (out->data == NULL && em_buf_append(out, "", 0) < 0)
		d->nomem = true;
	return d->nomem ? -1 : 0;
}

/* Calls fn for each "name = value" line of postconf output. */
static void each_line(char *text, void (*fn)(struct doctor *, char *, char *), struct doctor *d)
{
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(l, " = ");

		if (eq == NULL) {
			/* "name =" with an empty value */
			size_t n = strlen(l);

			if (n >= 2 && strcmp(l + n - 2, " =") == 0) {
				l[n - 2] = '\0';
				fn(d, trim(l), l + n); /* the empty value */
			}
			continue;
		}
		*eq = '\0';
		fn(d, trim(l), trim(eq + 3));
	}
}

static void set_str(struct doctor *d, char **dst, const char *v)
{
	free(*dst);
	if ((*dst = strdup(v)) == NULL)
		d->nomem = true;
}

static void on_main(struct doctor *d, char *name, char *value)
{
	if (strcmp(name, "smtpd_milters") == 0)
		set_str(d, &d->smtpd_milters, value);
	else if (strcmp(name, "non_smtpd_milters") == 0)
		set_str(d, &d->non_smtpd_milters, value);
	else if (strcmp(name, "milter_default_action") == 0)
		set_str(d, &d->default_action, value);
	else if (strcmp(name, "mail_owner") == 0)
		set_str(d, &d->mail_owner, value);
	else if (strcmp(name, "queue_directory") == 0)
		set_str(d, &d->queue_dir, value);
	else if (strcmp(name, "receive_override_options") == 0)
		set_str(d, &d->receive_override, value);
	else if (strcmp(name, "smtpd_milter_maps") == 0)
		set_str(d, &d->milter_maps, value);
	else if (strcmp(name, "content_filter") == 0)
		set_str(d, &d->content_filter, value);
}

/* The service named by the "svc/type" prefix of name; creates it. */
static struct service *service_get(struct doctor *d, const char *name, size_t n)
{
	struct service *nv;

	for (size_t i = 0; i < d->nsvc; i++)
		if (strlen(d->svc[i].name) == n && strncmp(d->svc[i].name, name, n) == 0)
			return &d->svc[i];
	if ((nv = realloc(d->svc, (d->nsvc + 1) * sizeof(*nv))) == NULL) {
		d->nomem = true;
		return NULL;
	}
	d->svc = nv;
	memset(&d->svc[d->nsvc], 0, sizeof(d->svc[0]));
	if ((d->svc[d->nsvc].name = xstrndup(d, name, n)) == NULL)
		return NULL;
	return &d->svc[d->nsvc++];
}

/* "smtp/inet/chroot = y", "submission/inet/smtpd_milters = ..." */
static void on_service(struct doctor *d, char *name, char *value)
{
	char *s1 = strchr(name, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	struct service *sv;
	const char *key;

	if (s2 == NULL)
		return;
	key = s2 + 1;
	if (strcmp(key, "chroot") != 0 && strcmp(key, "command") != 0 &&
	    strcmp(key, "smtpd_milters") != 0 && strcmp(key, "non_smtpd_milters") != 0 &&
	    strcmp(key, "milter_default_action") != 0 &&
	    strcmp(key, "receive_override_options") != 0 && strcmp(key, "smtpd_milter_maps") != 0 &&
	    strcmp(key, "content_filter") != 0)
		return;
	if ((sv = service_get(d, name, (size_t)(s2 - name))) == NULL)
		return;
	if (strcmp(key, "chroot") == 0) {
		sv->chroot = value[0] == 'y' || value[0] == 'Y';
	} else if (strcmp(key, "command") == 0) {
		free(sv->command);
		sv->command = xstrndup(d, value, strcspn(value, " \t"));
	} else if (strcmp(key, "smtpd_milters") == 0) {
		set_str(d, &sv->smtpd_milters, value);
	} else if (strcmp(key, "non_smtpd_milters") == 0) {
		set_str(d, &sv->non_smtpd_milters, value);
	} else if (strcmp(key, "receive_override_options") == 0) {
		set_str(d, &sv->receive_override, value);
	} else if (strcmp(key, "smtpd_milter_maps") == 0) {
		set_str(d, &sv->milter_maps, value);
	} else if (strcmp(key, "content_filter") == 0) {
		set_str(d, &sv->content_filter, value);
	} else {
		set_str(d, &sv->default_action, value);
	}
}

/* ---- Postfix checks ------------------------------------------------------- */

/* Checks one service's milter list (param = smtpd_milters or non_smtpd_milters). */
static void check_list(struct doctor *d, const char *svc, bool chroot, const char *param,
		       const char *value, bool overridden, const char *what)
{
	struct milters m;
	const struct milter *ours = NULL;
	bool outside_chroot = false;

	if (milters_parse(d, value, &m) < 0)
		return;
	for (size_t i = 0; i < m.n && ours == NULL; i++) {
		if (milter_is_ours(d, m.v[i].name, chroot))
			ours = &m.v[i];
		else if (chroot && milter_is_ours(d, m.v[i].name, false))
			outside_chroot = true;
	}
	if (ours == NULL && outside_chroot) {
		finding(
		    d,
		    "Postfix service %s runs chrooted in %s (master.cf), so its %s entry "
		    "\"%s\" names a path inside %s, not the milter's socket: %s. Put the socket "
		    "under %s (socket = \"unix:%s/embargo-milter/embargo-milter.sock\", named "
		    "unix:/embargo-milter/embargo-milter.sock in Postfix), use an inet: socket, "
		    "or turn chroot off for this service.",
		    svc, d->queue_dir ? d->queue_dir : "the queue directory", param,
		    d->sock.postfix, d->queue_dir ? d->queue_dir : "it", what,
		    d->queue_dir ? d->queue_dir : "the queue directory",
		    d->queue_dir ? d->queue_dir : "");
	} else if (ours == NULL) {
		finding(d, "Postfix service %s: %s%s does not include the milter (%s): %s.", svc,
			param, overridden ? " (overridden in master.cf)" : "", d->sock.postfix,
			what);
	} else if (ours->default_action && strcasecmp(ours->default_action, "accept") == 0) {
		finding(
		    d,
		    "Postfix service %s: the %s entry for %s sets default_action = accept: when "
		    "the "
		    "milter is down or times out, mail is delivered unchecked. Remove it or set "
		    "tempfail.",
		    svc, param, ours->name);
	} else {
		okay("Postfix service %s%s passes mail to %s (%s)", svc,
		     chroot ? " (chrooted)" : "", ours->name, param);
	}
	milters_free(&m);
}

static void check_default_action(struct doctor *d, const char *where, const char *v)
{
	if (v == NULL || strcasecmp(v, "tempfail") == 0 || strcasecmp(v, "reject") == 0)
		return;
	if (strcasecmp(v, "accept") == 0)
		finding(
		    d,
		    "Postfix %s: milter_default_action = accept: when the milter is down, slow or "
		    "crashes, mail is delivered unchecked. Set milter_default_action = tempfail.",
		    where);
	else if (strcasecmp(v, "quarantine") == 0)
		finding(d,
			"Postfix %s: milter_default_action = quarantine: when the milter is down "
			"mail goes to the hold queue unscanned, and whoever releases it "
			"(postsuper -H) delivers it unchecked. Set milter_default_action = "
			"tempfail.",
			where);
	else
		finding(d,
			"Postfix %s: milter_default_action = \"%s\" is not a value Postfix "
			"knows (tempfail, reject, accept, quarantine): when the milter is down it "
			"logs a warning and answers 451 \"Server configuration error\". Set "
			"milter_default_action = tempfail.",
			where, v);
}

/* Can user (uid, groups) do `want` (a mode bit set for "other") on st? */
static bool may(const struct stat *st, uid_t uid, const gid_t *groups, int ngroups, mode_t want)
{
	if (uid == 0)
		return true;
	if (st->st_uid == uid)
		return (st->st_mode & (want << 6)) != 0;
	for (int i = 0; i < ngroups; i++)
		if (groups[i] == st->st_gid)
			return (st->st_mode & (want << 3)) != 0;
	return (st->st_mode & want) != 0;
}

static const char *group_name(gid_t g, char *buf, size_t n)
{
	struct group *gr = getgrgid(g);

	if (gr)
		snprintf(buf, n, "%s", gr->gr_name);
	else
		snprintf(buf, n, "%lu", (unsigned long)g);
	return buf;
}

/* Can Postfix's mail_owner connect to our unix socket? */
static void check_socket_access(struct doctor *d)
{
	const char *owner = d->mail_owner && *d->mail_owner ? d->mail_owner : "postfix";
	const char *path = d->sock.path;
	struct passwd *pw = getpwnam(owner);
	gid_t groups[256];
	int ngroups = (int)(sizeof(groups) / sizeof(groups[0]));
	char *dir, *slash;
	struct stat st;
	char gname[64];

	if (pw == NULL) {
		finding(d,
			"Postfix mail_owner %s is not a user on this system: cannot check who may "
			"reach %s.",
			owner, path);
		return;
	}
	if (getgrouplist(owner, pw->pw_gid, groups, &ngroups) < 0)
		ngroups = (int)(sizeof(groups) / sizeof(groups[0]));
	if ((dir = strdup(path)) == NULL) {
		d->nomem = true;
		return;
	}
	/* search permission on every directory above the socket */
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (stat(dir, &st) < 0) {
			size_t ql = d->queue_dir ? strlen(d->queue_dir) : 0;

			if (ql > 0 && strncmp(dir, d->queue_dir, ql) == 0 && dir[ql] == '/') {
				char gname2[64];

				/* nothing creates a directory inside the queue directory
				 * but the package or the administrator */
				finding(d,
					"the milter's socket directory %s does not exist: the "
					"milter cannot create its socket there. Fix: install -d "
					"-o %s -g %s -m 0750 %s && mkdir -p "
					"/etc/systemd/system/embargo-milter.service.d && printf "
					"'[Service]\\nReadWritePaths=%s\\n' "
					">/etc/systemd/system/embargo-milter.service.d/"
					"postfix-socket.conf && systemctl daemon-reload && "
					"systemctl restart embargo-milter",
					dir, d->cfg->user ? d->cfg->user : "embargo-milter",
					group_name(pw->pw_gid, gname2, sizeof(gname2)), dir, dir);
			} else {
				printf("note: %s does not exist yet (the service creates it "
				       "when it starts): cannot check that %s may reach the "
				       "socket.\n",
				       dir, owner);
			}
			free(dir);
			return;
		}
		if (!may(&st, pw->pw_uid, groups, ngroups, S_IXOTH)) {
			bool in_group = false;

			for (int i = 0; i < ngroups; i++)
				in_group |= groups[i] == st.st_gid;
			group_name(st.st_gid, gname, sizeof(gname));
			finding(d,
				"Postfix (user %s) cannot reach the milter socket %s: no search "
				"permission "
				"on %s (mode %04o, group %s). %s%s%s",
				owner, path, dir, (unsigned)(st.st_mode & 07777), gname,
				in_group ? "Give the group search permission (chmod g+x)."
					 : "Put the directory in a group of ",
				in_group ? "" : owner,
				in_group ? ""
					 : " with mode 0750 (the package adds postfix to group "
					   "embargo-milter).");
			free(dir);
			return;
		}
		*slash = '/';
	}
	free(dir);
	if (stat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			finding(d, "%s exists but is not a socket: the milter cannot listen there.",
				path);
		else if (!may(&st, pw->pw_uid, groups, ngroups, S_IWOTH))
			finding(
			    d,
			    "Postfix (user %s) may not connect to the milter socket %s (mode %04o, "
			    "group %s): add %s to that group.",
			    owner, path, (unsigned)(st.st_mode & 07777),
			    group_name(st.st_gid, gname, sizeof(gname)), owner);
		else
			okay("Postfix (user %s) may connect to %s", owner, path);
		return;
	}
	/* Not running: the daemon will create it 0660 in its own group, which is
	 * `user`'s group, or the group it runs as (the directory's, under systemd). */
	{
		char *d2 = strdup(path);
		gid_t g;
		struct stat ds;

		if (d2 == NULL) {
			d->nomem = true;
			return;
		}
		*strrchr(d2, '/') = '\0';
		if (d->cfg->user != NULL && getpwnam(d->cfg->user) != NULL)
			g = getpwnam(d->cfg->user)->pw_gid;
		else if (stat(*d2 ? d2 : "/", &ds) == 0)
			g = ds.st_gid;
		else
			g = (gid_t)-1;
		free(d2);
		memset(&st, 0, sizeof(st));
		st.st_uid = (uid_t)-1;
		st.st_gid = g;
		st.st_mode = 0660;
		if (!may(&st, pw->pw_uid, groups, ngroups, S_IWOTH))
			finding(
			    d,
			    "Postfix (user %s) will not be able to connect to the milter socket "
			    "%s: it "
			    "is created with mode 0660 in group %s, and %s is not in that group "
			    "(adduser %s %s).",
			    owner, path, group_name(g, gname, sizeof(gname)), owner, owner, gname);
		else
			okay("Postfix (user %s) will be able to connect to %s (group %s)", owner,
			     path, group_name(g, gname, sizeof(gname)));
	}
}

/* ---- settings that take mail past the milter ------------------------------ */

/* Is word (e.g. "no_milters") one of the comma/space separated words of v? */
static bool has_word(const char *v, const char *word)
{
	size_t wl = strlen(word);

	while (v != NULL && *v) {
		size_t n;

		v += strspn(v, " \t,\n");
		n = strcspn(v, " \t,\n");
		if (n == wl && strncasecmp(v, word, n) == 0)
			return true;
		v += n;
	}
	return false;
}

/* v without the word `word`, joined with commas; NULL out of memory. */
static char *without_word(const char *v, const char *word)
{
	struct em_buf b = EM_BUF_INIT;
	size_t wl = strlen(word);

	while (*v) {
		size_t n;

		v += strspn(v, " \t,\n");
		n = strcspn(v, " \t,\n");
		if (n > 0 && !(n == wl && strncasecmp(v, word, n) == 0)) {
			if ((b.len > 0 && em_buf_append(&b, ",", 1) < 0) ||
			    em_buf_append(&b, v, n) < 0) {
				em_buf_free(&b);
				return NULL;
			}
		}
		v += n;
	}
	if (em_buf_append(&b, "", 0) < 0) {
		em_buf_free(&b);
		return NULL;
	}
	return (char *)b.data;
}

/*
 * receive_override_options with no_milters: smtpd(8), qmqpd(8) and
 * pickup(8) then tell cleanup(8) to skip every milter, and smtpd skips its
 * own smtpd_milters as well. svc is NULL for the main.cf value alone.
 */
static void check_receive_override(struct doctor *d, const char *svc, const char *v,
				   bool overridden)
{
	char *rest, *fix = NULL;
	int n;

	if (v == NULL || !has_word(v, "no_milters"))
		return;
	if ((rest = without_word(v, "no_milters")) == NULL) {
		d->nomem = true;
		return;
	}
	if (overridden)
		n = *rest
			? asprintf(&fix, "postconf -P '%s/receive_override_options=%s'", svc, rest)
			: asprintf(&fix, "postconf -PX '%s/receive_override_options'", svc);
	else
		n = *rest ? asprintf(&fix, "postconf -e 'receive_override_options = %s'", rest)
			  : asprintf(&fix, "postconf -X receive_override_options");
	if (n < 0) {
		free(rest);
		d->nomem = true;
		return;
	}
	finding(d,
		"Postfix %s%s: receive_override_options = %s (%s) contains no_milters: mail "
		"received there is passed to no milter and leaves unchecked%s. Fix: %s && "
		"postfix reload",
		svc ? "service " : "", svc ? svc : "main.cf", v,
		overridden ? "master.cf -o" : "main.cf",
		overridden ? " (a content_filter's return service is no exception: "
			     "anything that connects to it bypasses the milter)"
			   : "",
		fix);
	free(fix);
	free(rest);
}

/* One entry "KEY VALUE" of a smtpd_milter_maps table. */
static void check_milter_map_entry(struct doctor *d, const char *where, const char *table,
				   unsigned lineno, const char *key, const char *value,
				   const char *file)
{
	struct milters m;
	bool ours = false;

	if (strncasecmp(value, "DISABLE", 7) == 0 &&
	    (value[7] == '\0' || value[7] == ' ' || value[7] == '\t')) {
		finding(d,
			"Postfix %s: smtpd_milter_maps %s line %u: clients matching %s get "
			"DISABLE: their mail is passed to no milter and leaves unchecked. Fix: "
			"delete that line%s%s%s, then postfix reload",
			where, table, lineno, key, file ? " (and run postmap " : "",
			file ? file : "", file ? " for an indexed table)" : "");
		return;
	}
	if (milters_parse(d, value, &m) < 0)
		return;
	for (size_t i = 0; i < m.n; i++)
		ours |=
		    milter_is_ours(d, m.v[i].name, false) || milter_is_ours(d, m.v[i].name, true);
	if (!ours)
		finding(
		    d,
		    "Postfix %s: smtpd_milter_maps %s line %u: clients matching %s get the milter "
		    "list \"%s\" instead of smtpd_milters, without the milter (%s): their mail "
		    "leaves unchecked. Fix: add %s to that entry, then postfix reload",
		    where, table, lineno, key, value, d->sock.postfix, d->sock.postfix);
	milters_free(&m);
}

/*
 * smtpd_milter_maps (Postfix 3.2+): per client address, DISABLE or another
 * milter list. File-based tables (cidr, texthash, pcre, regexp, and the
 * source file of hash/lmdb/btree/cdb/dbm) are read line by line; other
 * table types cannot be listed and are reported as unchecked.
 */
static void check_milter_maps(struct doctor *d, const char *svc, const char *v)
{
	static const char *const file_types[] = {"cidr", "texthash", "pcre", "regexp", "hash",
						 "lmdb", "btree",    "cdb",  "dbm",    "sdbm"};
	char where[300];
	char *list, *save = NULL;

	if (v == NULL || *v == '\0')
		return;
	snprintf(where, sizeof(where), "%s%s", svc ? "service " : "main.cf", svc ? svc : "");
	if ((list = strdup(v)) == NULL) {
		d->nomem = true;
		return;
	}
	for (char *t = strtok_r(list, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
		char *colon = strchr(t, ':');
		bool file = false;
		FILE *f;
		char *line = NULL;
		size_t cap = 0;
		unsigned lineno = 0;

		if (colon == NULL)
			continue;
		for (size_t i = 0; i < sizeof(file_types) / sizeof(file_types[0]); i++)
			file |= strlen(file_types[i]) == (size_t)(colon - t) &&
				strncasecmp(t, file_types[i], (size_t)(colon - t)) == 0;
		if (strncasecmp(t, "static:", 7) == 0) {
			check_milter_map_entry(d, where, t, 1, "(every client)", t + 7, NULL);
			continue;
		}
		if (!file) {
			finding(
			    d,
			    "Postfix %s: smtpd_milter_maps = %s: doctor cannot list table %s, so "
			    "it cannot tell whether an entry says DISABLE (no milter for those "
			    "clients). Check it by hand, or use a cidr: table.",
			    where, v, t);
			continue;
		}
		if ((f = fopen(colon + 1, "r")) == NULL) {
			finding(
			    d,
			    "Postfix %s: smtpd_milter_maps table %s: cannot read %s (%s): cannot "
			    "check whether it disables the milter for some clients.",
			    where, t, colon + 1, strerror(errno));
			continue;
		}
		while (getline(&line, &cap, f) > 0) {
			char *l = line, *val;

			lineno++;
			if (*l == ' ' || *l == '\t') /* continuation: already judged */
				continue;
			l = trim(l);
			if (*l == '\0' || *l == '#')
				continue;
			val = l + strcspn(l, " \t");
			if (*val == '\0')
				continue;
			*val++ = '\0';
			check_milter_map_entry(d, where, t, lineno, l, trim(val),
					       strncasecmp(t, "cidr:", 5) == 0 ||
						       strncasecmp(t, "pcre:", 5) == 0 ||
						       strncasecmp(t, "regexp:", 7) == 0 ||
						       strncasecmp(t, "texthash:", 9) == 0
						   ? NULL
						   : t);
		}
		free(line);
		fclose(f);
	}
	free(list);
}

/*
 * A `#` after a value in main.cf or master.cf: Postfix takes the rest of the
 * line as part of the value ("tempfail # comment" is not tempfail). text is
 * raw (unexpanded) postconf -n or -P output; master says which.
 */
static void check_comments(struct doctor *d, char *text, bool master)
{
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(l, " = "), *val, *hash;

		if (eq == NULL)
			continue;
		*eq = '\0';
		val = eq + 3;
		for (hash = strchr(val, '#');
		     hash && hash != val && hash[-1] != ' ' && hash[-1] != '\t' && hash[-1] != ',';
		     hash = strchr(hash + 1, '#'))
			;
		if (hash == NULL)
			continue;
		{
			char *good = xstrndup(d, val, (size_t)(hash - val));

			if (good == NULL)
				return;
			finding(
			    d,
			    "Postfix %s: %s = %s: Postfix reads everything after '=' as the "
			    "value, so \"%s\" is part of it (a comment must be on a line of its "
			    "own). Fix: postconf %s'%s%s%s' && postfix reload",
			    master ? "master.cf" : "main.cf", trim(l), val, hash,
			    master ? "-P " : "-e ", trim(l), master ? "=" : " = ", trim(good));
			free(good);
		}
	}
}

/* Returns 0 (checked), 1 (Postfix not installed), -1 (error). */
static int check_postfix(struct doctor *d, bool required)
{
	static const char *const main_args[] = {"-x",
						"smtpd_milters",
						"non_smtpd_milters",
						"milter_default_action",
						"mail_owner",
						"queue_directory",
						"receive_override_options",
						"smtpd_milter_maps",
						"content_filter",
						NULL};
	static const char *const svc_args[] = {"-Px", NULL};
	static const char *const fld_args[] = {"-F", NULL};
	static const char *const raw_main_args[] = {"-n", NULL};
	static const char *const raw_svc_args[] = {"-P", NULL};
	const char *bin = find_postconf();
	struct em_buf out = EM_BUF_INIT;
	size_t nsmtpd = 0, ncleanup = 0, nreceive = 0;

	if (bin == NULL) {
		if (required) {
			fprintf(stderr,
				"embargoctl doctor: postconf not found (set EMBARGO_POSTCONF)\n");
			return -1;
		}
		printf("note: postconf not found: Postfix is not checked.\n");
		return 1;
	}
	if (run_postconf(d, bin, main_args, &out) < 0)
		goto fail;
	each_line(out.data, on_main, d);
	em_buf_reset(&out);
	if (run_postconf(d, bin, fld_args, &out) < 0)
		goto fail;
	each_line(out.data, on_service, d);
	em_buf_reset(&out);
	if (run_postconf(d, bin, svc_args, &out) < 0)
		goto fail;
	each_line(out.data, on_service, d);
	em_buf_reset(&out);
	if (d->nomem)
		goto fail;

	printf("Postfix%s%s: milter socket %s\n", d->pf_dir ? " " : "", d->pf_dir ? d->pf_dir : "",
	       d->sock.postfix);
	/* comments after values, read unexpanded as written */
	if (run_postconf(d, bin, raw_main_args, &out) < 0)
		goto fail;
	check_comments(d, (char *)out.data, false);
	em_buf_reset(&out);
	if (run_postconf(d, bin, raw_svc_args, &out) < 0)
		goto fail;
	check_comments(d, (char *)out.data, true);
	em_buf_free(&out);
	if (d->nomem)
		return -1;

	check_default_action(d, "main.cf", d->default_action);
	for (size_t i = 0; i < d->nsvc; i++) {
		const struct service *sv = &d->svc[i];
		char where[300];

		snprintf(where, sizeof(where), "service %s (master.cf -o)", sv->name);
		check_default_action(d, where, sv->default_action);
		if (sv->command == NULL)
			continue;
		if (strcmp(sv->command, "smtpd") == 0 || strcmp(sv->command, "qmqpd") == 0 ||
		    strcmp(sv->command, "pickup") == 0) {
			nreceive++;
			check_receive_override(d, sv->name,
					       sv->receive_override ? sv->receive_override
								    : d->receive_override,
					       sv->receive_override != NULL);
		}
		if (sv->content_filter != NULL && *sv->content_filter)
			printf("note: service %s sends mail to content_filter %s: the mail it "
			       "re-injects is checked only through the services above.\n",
			       sv->name, sv->content_filter);
		if (strcmp(sv->command, "smtpd") == 0 &&
		    has_word(sv->receive_override ? sv->receive_override : d->receive_override,
			     "no_milters")) {
			nsmtpd++; /* reported above: no milter runs there at all */
		} else if (strcmp(sv->command, "smtpd") == 0) {
			check_milter_maps(d, sv->name,
					  sv->milter_maps ? sv->milter_maps : d->milter_maps);
			nsmtpd++;
			check_list(d, sv->name, sv->chroot, "smtpd_milters",
				   sv->smtpd_milters  ? sv->smtpd_milters
				   : d->smtpd_milters ? d->smtpd_milters
						      : "",
				   sv->smtpd_milters != NULL,
				   "mail received by SMTP there is not checked");
		} else if (strcmp(sv->command, "cleanup") == 0) {
			ncleanup++;
			check_list(d, sv->name, sv->chroot, "non_smtpd_milters",
				   sv->non_smtpd_milters  ? sv->non_smtpd_milters
				   : d->non_smtpd_milters ? d->non_smtpd_milters
							  : "",
				   sv->non_smtpd_milters != NULL,
				   "mail submitted on this host with sendmail(1) is not checked");
		}
	}
	/* no master.cf to read: judge the main.cf values alone */
	if (nreceive == 0)
		check_receive_override(d, NULL, d->receive_override, false);
	if (nsmtpd == 0)
		check_milter_maps(d, NULL, d->milter_maps);
	if (d->content_filter != NULL && *d->content_filter)
		printf("note: content_filter = %s: the mail it re-injects is checked only "
		       "through the services above.\n",
		       d->content_filter);
	if (nsmtpd == 0)
		check_list(d, "(main.cf)", false, "smtpd_milters",
			   d->smtpd_milters ? d->smtpd_milters : "", false,
			   "mail received by SMTP is not checked");
	if (ncleanup == 0)
		check_list(d, "(main.cf)", false, "non_smtpd_milters",
			   d->non_smtpd_milters ? d->non_smtpd_milters : "", false,
			   "mail submitted on this host with sendmail(1) is not checked");
	if (d->sock.unix_path)
		check_socket_access(d);
	return d->nomem ? -1 : 0;
fail:
	em_buf_free(&out);
	return -1;
}

/* ---- Sendmail -------------------------------------------------------------- */

/* Our socket as Sendmail's S= would name it. */
static bool sendmail_sock_is_ours(const struct doctor *d, const char *s, size_t n)
{
	char v[4096];
	const char *p = NULL;

	if (n >= sizeof(v))
		return false;
	memcpy(v, s, n);
	v[n] = '\0';
	if (strncmp(v, "unix:", 5) == 0)
		p = v + 5;
	else if (strncmp(v, "local:", 6) == 0)
		p = v + 6;
	else if (v[0] == '/')
		p = v;
	if (p != NULL)
		return d->sock.unix_path && path_same(p, d->sock.path);
	if (!d->sock.unix_path && (strncmp(v, "inet:", 5) == 0 || strncmp(v, "inet6:", 6) == 0)) {
		char *q = strchr(v, ':') + 1, *end;
		long port = strtol(q, &end, 10);
		const char *host = *end == '@' ? end + 1 : "";

		return port == d->sock.port && host_same(d->sock.host, host, strlen(host));
	}
	return false;
}

/* Returns 0 (checked), 1 (no sendmail.cf), -1 (error). */
static int check_sendmail(struct doctor *d, const char *cf, bool required)
{
	FILE *f = fopen(cf, "r");
	char *line = NULL, *name = NULL, *flags = NULL, *input = NULL;
	size_t cap = 0;
	bool found = false;

	if (f == NULL) {
		if (errno == ENOENT && !required) {
			printf("note: %s not found: Sendmail is not checked.\n", cf);
			return 1;
		}
		fprintf(stderr, "embargoctl doctor: %s: %s\n", cf, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		char *l = trim(line);

		if (strncmp(l, "O InputMailFilters=", 19) == 0) {
			free(input);
			input = strdup(trim(l + 19));
		} else if (l[0] == 'X' && !found) {
			char *comma = strchr(l, ','), *sp = NULL;
			bool ours = false;
			char *fl = NULL;

			if (comma == NULL)
				continue;
			for (char *tok = strtok_r(comma + 1, ",", &sp); tok;
			     tok = strtok_r(NULL, ",", &sp)) {
				char *t = trim(tok);

				if (strncmp(t, "S=", 2) == 0)
					ours = sendmail_sock_is_ours(d, t + 2, strlen(t + 2));
				else if (strncmp(t, "F=", 2) == 0)
					fl = t + 2;
			}
			if (ours) {
				found = true;
				name = strndup(l + 1, (size_t)(comma - l - 1));
				flags = strdup(fl ? fl : "");
				if (name == NULL || flags == NULL)
					d->nomem = true;
			}
		}
	}
	free(line);
	fclose(f);
	printf("Sendmail %s:\n", cf);
	if (!found) {
		finding(
		    d,
		    "%s has no filter (X line) for the milter's socket: mail is not checked. Add "
		    "INPUT_MAIL_FILTER(`embargo-milter', `S=%s%s, F=T, T=S:4m;R:4m;E:10m') to "
		    "sendmail.mc and rebuild sendmail.cf.",
		    cf, d->sock.unix_path ? "local:" : "inet:",
		    d->sock.unix_path ? d->sock.path : d->sock.postfix + 5);
	} else if (name != NULL && flags != NULL) {
		if (strchr(flags, 'T') == NULL)
			finding(
			    d,
			    "Sendmail filter %s has F=%s without T: when the milter is unavailable "
			    "Sendmail %s. Use F=T (tempfail).",
			    name, flags,
			    strchr(flags, 'R')
				? "rejects the mail permanently instead of deferring it"
				: "delivers mail unchecked");
		else
			okay("Sendmail filter %s fails closed (F=%s)", name, flags);
		if (input != NULL) {
			bool listed = false;
			char *sp = NULL;

			for (char *t = strtok_r(input, ",", &sp); t; t = strtok_r(NULL, ",", &sp))
				if (strcmp(trim(t), name) == 0)
					listed = true;
			if (!listed)
				finding(
				    d,
				    "Sendmail filter %s is defined but not in InputMailFilters: it "
				    "is never called.",
				    name);
		}
	}
	free(name);
	free(flags);
	free(input);
	return d->nomem ? -1 : 0;
}

/* ---- releases ------------------------------------------------------------ */

static void check_releases(struct doctor *d, const struct em_rules *r, time_t now)
{
	const struct em_config *cfg = d->cfg;
	char when[64];

	printf("Releases (%zu):\n", em_rules_count(r));
	if (cfg->mode == EM_MONITOR)
		finding(d,
			"mode = \"monitor\" in %s: nothing is held or rejected, leaks are only "
			"flagged and logged.",
			cfg->path);
	for (size_t i = 0; i < em_rules_count(r); i++) {
		const struct em_release *rel = em_rules_release(r, i);
		const struct em_release_src *src = &cfg->releases[i];

		em_time_format_local(rel->publish_at, cfg->timezone, when, sizeof(when));
		if (now >= rel->publish_at) {
			finding(d,
				"release %s (%s) was published %s but is still configured: remove "
				"it from "
				"%s so the rules stay the list of what is really embargoed.",
				rel->id, src->file ? src->file : "?", when, cfg->releases_dir);
		} else if (em_addr_list_count(rel->pra) == 0) {
			finding(
			    d,
			    "release %s (%s) has an empty pre-release access list: before %s only "
			    "producers and always_allowed may receive it. If that is intended, say "
			    "so "
			    "with an entry for the producers' own domain; else fill "
			    "pre_release_access.",
			    rel->id, src->file ? src->file : "?", when);
		} else {
			okay("release %s: publication %s, %zu on the pre-release access list",
			     rel->id, when, em_addr_list_count(rel->pra));
		}
	}
}

/* ---- several relays (a shared store) ------------------------------------- */

/* Every relay must enforce the same rules: a release missing on one relay leaks there. */
static void check_relays(struct doctor *d)
{
	char msg[768];
	int rc = em_ctl_relays_check(d->cfg, msg, sizeof(msg));

	if (rc == 1)
		finding(d, "%s", msg);
	else if (rc < 0)
		printf("note: %s: the relays' rules were not compared\n", msg);
	else
		okay("every relay in the shared store reports the same rule hash");
}

/* ---- the live daemon ----------------------------------------------------- */

/*
 * Does the milter answer on its socket (the milter handshake), and which
 * rules does the live daemon run (its control socket)?
 */
static void check_live(struct doctor *d)
{
	const struct em_config *cfg = d->cfg;
	const char *ctl = em_control_path(cfg);
	char err[256], hash[17] = "";
	unsigned version = 0;
	char *ans;
	json_t *o, *rules, *last;

	printf("Live daemon:\n");
	if (em_ctl_milter_ping(cfg->socket, 5000, &version, err, sizeof(err)) < 0) {
		finding(d,
			"the milter does not answer on %s (%s): the MTA defers (tempfail) every "
			"message until it does. Fix: systemctl start embargo-milter (journalctl -u "
			"embargo-milter says why it stopped)",
			cfg->socket, err);
		return;
	}
	okay("the milter answers on %s (milter protocol version %u)", cfg->socket, version);
	if ((ans = em_control_query(ctl, "status", 5000, err, sizeof(err))) == NULL) {
		printf("note: no status on the control socket %s (%s): the live rules were not "
		       "compared.\n",
		       ctl, err);
		return;
	}
	if ((o = json_loads(ans, 0, NULL)) == NULL) {
		printf("note: %s: not a status answer\n", ctl);
		free(ans);
		return;
	}
	rules = json_object_get(o, "rules");
	last = json_object_get(o, "last_reload");
	okay("embargo-milter pid %lld runs %lld release(s), rules hash %s, loaded %s",
	     (long long)json_integer_value(json_object_get(o, "pid")),
	     (long long)json_integer_value(json_object_get(rules, "count")),
	     json_string_value(json_object_get(rules, "hash"))
		 ? json_string_value(json_object_get(rules, "hash"))
		 : "?",
	     json_string_value(json_object_get(rules, "loaded_at"))
		 ? json_string_value(json_object_get(rules, "loaded_at"))
		 : "?");
	if (json_is_object(last) && !json_is_true(json_object_get(last, "ok")))
		finding(d,
			"the daemon's last reload failed (%s): it still runs the older rules, so "
			"a release added since is not enforced. Fix the error (embargoctl check), "
			"then systemctl reload embargo-milter",
			json_string_value(json_object_get(last, "error"))
			    ? json_string_value(json_object_get(last, "error"))
			    : "?");
	if (json_is_string(json_object_get(o, "restart_needed")))
		finding(d, "%s. Fix: systemctl restart embargo-milter",
			json_string_value(json_object_get(o, "restart_needed")));
	if (em_control_hash(cfg, hash, err, sizeof(err)) == 0 &&
	    json_string_value(json_object_get(rules, "hash")) != NULL &&
	    strcmp(hash, json_string_value(json_object_get(rules, "hash"))) != 0)
		finding(d,
			"the files on disk (rules hash %s) are not the rules the daemon runs "
			"(%s): a change was not loaded. Fix: embargoctl check && systemctl reload "
			"embargo-milter",
			hash, json_string_value(json_object_get(rules, "hash")));
	json_decref(o);
	free(ans);
}

/* ---- main ---------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f, "usage: embargoctl doctor [-c CONFIG] [--postfix-config DIR] "
		   "[--sendmail-cf FILE] [--no-live]\n");
}

int em_ctl_doctor(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"postfix-config", required_argument, NULL, 'P'},
	    {"sendmail-cf", required_argument, NULL, 'S'},
	    {"no-live", no_argument, NULL, 'L'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	bool live = true;
	const char *conf = DEFAULT_CONFIG, *cf = getenv("EMBARGO_SENDMAIL_CF");
	const char *pf = getenv("EMBARGO_POSTFIX_CONFIG");
	bool cf_required = cf != NULL && *cf, pf_required = pf != NULL && *pf;
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg = NULL;
	struct em_rules *r = NULL;
	struct doctor d;
	int c, rc = 2, pfr, smr, smx = 0;

	memset(&d, 0, sizeof(d));
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'P':
			pf = optarg;
			pf_required = true;
			break;
		case 'S':
			cf = optarg;
			cf_required = true;
			break;
		case 'L':
			live = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!cf_required)
		cf = DEFAULT_SENDMAIL_CF;
	if ((cfg = em_config_load(conf, &errs)) != NULL && (r = em_rules_build(cfg, &errs)) == NULL)
		em_config_free(cfg);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	em_errors_free(&errs);
	if (r == NULL) {
		fprintf(stderr, "embargoctl doctor: %s is not valid (see embargoctl check)\n",
			conf);
		return 2;
	}
	d.cfg = em_rules_config(r);
	if (sock_parse(&d.sock, d.cfg->socket) < 0 ||
	    (pf_required && (d.pf_dir = strdup(pf)) == NULL)) {
		fprintf(stderr, "embargoctl: out of memory\n");
		goto out;
	}
	printf("Configuration %s: socket %s\n", conf, d.cfg->socket);
	/* as root: the daemon reloads as `user`, which must read every file */
	{
		int bad = em_ctl_readable_as_user(d.cfg, "UNSAFE: ", stdout);

		if (bad > 0)
			d.findings += (unsigned)bad;
	}
	pfr = check_postfix(&d, pf_required);
	if (pfr < 0)
		goto out;
	smr = check_sendmail(&d, cf, cf_required);
	if (smr == 0 && (smx = em_ctl_doctor_sendmail(d.cfg, cf)) > 0)
		d.findings += (unsigned)smx;
	if (smr < 0 || smx < 0)
		goto out;
	if (live)
		check_live(&d);
	if (live && d.cfg->store != NULL)
		check_relays(&d);
	check_releases(&d, r, time(NULL));
	if (d.nomem) {
		fprintf(stderr, "embargoctl: out of memory\n");
		goto out;
	}
	if (pfr == 1 && smr == 1) {
		fprintf(stderr,
			"embargoctl doctor: neither Postfix (postconf) nor Sendmail (%s) "
			"found: the MTA wiring was not checked\n",
			cf);
		goto out;
	}
	if (d.findings)
		printf("\n%u unsafe setting(s) found.\n", d.findings);
	else
		printf("\nNothing unsafe found.\n");
	rc = d.findings ? 1 : 0;
out:
	sock_free(&d.sock);
	free(d.pf_dir);
	free(d.smtpd_milters);
	free(d.non_smtpd_milters);
	free(d.default_action);
	free(d.mail_owner);
	free(d.queue_dir);
	free(d.receive_override);
	free(d.milter_maps);
	free(d.content_filter);
	for (size_t i = 0; i < d.nsvc; i++) {
		free(d.svc[i].name);
		free(d.svc[i].command);
		free(d.svc[i].smtpd_milters);
		free(d.svc[i].non_smtpd_milters);
		free(d.svc[i].default_action);
		free(d.svc[i].receive_override);
		free(d.svc[i].milter_maps);
		free(d.svc[i].content_filter);
	}
	free(d.svc);
	em_rules_free(r);
	return rc;
}
