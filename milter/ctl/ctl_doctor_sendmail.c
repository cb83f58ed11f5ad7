/*
 * ctl_doctor_sendmail - Sendmail checks of `embargoctl doctor` (see
 * ctl_doctor_sendmail.h):
 *   - T= of the filter: E (whole message) must outlast the daemon's
 *     limits.max_cpu_seconds, else a long scan always ends in a tempfail;
 *     S and R (reset by smfi_progress) at least a minute;
 *   - a unix socket must be reachable by the user Sendmail talks to filters
 *     as (RunAsUser, else root): search permission on every directory and
 *     write permission on the socket (mode bits and groups; ACLs not read);
 *   - Milter.macros.eom (or envfrom) must send `i`, the queue id: without it
 *     the record cannot name the quarantined job and release/delete refuse;
 *   - every queue directory of sendmail.cf must exist (quarantined jobs stay
 *     in their queue group's directory; embargoctl looks there), and the
 *     sendmail binary embargoctl runs must be executable; `mta` should not
 *     say postfix.
 * Reads sendmail.cf as text; never runs sendmail.
 */
#define _GNU_SOURCE
#include "ctl_doctor_sendmail.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_mta.h"

#define MIN_RW_SECONDS 60

struct smcf {
	char *xline;  /* our filter's X line, NULL: none */
	char *run_as; /* RunAsUser value or NULL */
	char *macros; /* Milter.macros.eom + "," + Milter.macros.envfrom */
	bool nomem;
};

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Sendmail's S= names our socket (unix:/local:/bare path, or inet:PORT@HOST). */
static bool sock_is_ours(const char *ours, const char *s)
{
	const char *o = ours, *t = s;

	if (strncmp(o, "local:", 6) == 0)
		o += 6;
	else if (strncmp(o, "unix:", 5) == 0)
		o += 5;
	if (strncmp(t, "local:", 6) == 0)
		t += 6;
	else if (strncmp(t, "unix:", 5) == 0)
		t += 5;
	return strcmp(o, t) == 0;
}

static void add_macros(struct smcf *c, const char *v)
{
	char *n;

	if (asprintf(&n, "%s,%s", c->macros ? c->macros : "", v) < 0) {
		c->nomem = true;
		return;
	}
	free(c->macros);
	c->macros = n;
}

static int read_cf(const struct em_config *cfg, const char *cf, struct smcf *c)
{
	FILE *f = fopen(cf, "r");
	char *line = NULL;
	size_t cap = 0;

	if (f == NULL)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char *l = trim(line), *s;

		if (l[0] == 'X' && c->xline == NULL && (s = strstr(l, "S=")) != NULL) {
			char v[4096];

			snprintf(v, sizeof(v), "%s", s + 2);
			v[strcspn(v, ", \t")] = '\0';
			if (sock_is_ours(cfg->socket, v) && (c->xline = strdup(l)) == NULL)
				c->nomem = true;
		} else if (strncmp(l, "O RunAsUser=", 12) == 0) {
			free(c->run_as);
			if ((c->run_as = strdup(trim(l + 12))) == NULL)
				c->nomem = true;
		} else if (strncmp(l, "O Milter.macros.eom=", 20) == 0) {
			add_macros(c, l + 20);
		} else if (strncmp(l, "O Milter.macros.envfrom=", 24) == 0) {
			add_macros(c, l + 24);
		}
	}
	free(line);
	fclose(f);
	return 0;
}

/* Seconds of a Sendmail time value ("10s", "4m", "1h", "30"); -1 when unreadable. */
static long sm_seconds(const char *v)
{
	char *end;
	long n = strtol(v, &end, 10), total = 0;

	if (end == v)
		return -1;
	/* Sendmail allows "1h30m": add the parts. */
	for (;;) {
		long unit = 1;

		switch (*end) {
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		case 'w':
			unit = 604800;
			break;
		case '\0':
		case ';':
		case ',':
			return total + n;
		default:
			return -1;
		}
		total += n * unit;
		v = end + 1;
		if (*v == '\0' || *v == ';' || *v == ',')
			return total;
		n = strtol(v, &end, 10);
		if (end == v)
			return -1;
	}
}

/* One T= field (letter S, R, E or C) of an X line, with Sendmail's default. */
static long x_timeout(const char *xline, char letter, long def)
{
	const char *t = strstr(xline, "T=");
	char key[3] = {letter, ':', '\0'};

	if (t == NULL)
		return def;
	t += 2;
	for (const char *p = t; *p && *p != ','; p++)
		if ((p == t || p[-1] == ';') && strncmp(p, key, 2) == 0)
			return sm_seconds(p + 2);
	return def;
}

static void check_timeouts(const struct em_config *cfg, const char *name, const char *xline,
			   int *warnings)
{
	long need = cfg->limits.max_cpu_seconds > 0 ? (long)cfg->limits.max_cpu_seconds + 60 : 300;
	long e = x_timeout(xline, 'E', 300), s = x_timeout(xline, 'S', 10),
	     r = x_timeout(xline, 'R', 10);

	if (e < 0 || s < 0 || r < 0) {
		printf("warning: Sendmail filter %s: cannot read its T= timeouts.\n", name);
		(*warnings)++;
		return;
	}
	if (e < need) {
		printf("warning: Sendmail filter %s: T=E:%lds (whole message) is shorter than the "
		       "daemon may scan (limits.max_cpu_seconds + 60 s = %lds): large mail is "
		       "tempfailed again and again (F=T) instead of being decided. Use E:10m.\n",
		       name, e, need);
		(*warnings)++;
	}
	if (s < MIN_RW_SECONDS || r < MIN_RW_SECONDS) {
		printf("warning: Sendmail filter %s: T=S:%lds;R:%lds is short for a filter that "
		       "extracts attachments; use S:4m;R:4m.\n",
		       name, s, r);
		(*warnings)++;
	}
	if (e >= need && s >= MIN_RW_SECONDS && r >= MIN_RW_SECONDS)
		printf("ok: Sendmail filter %s timeouts S:%lds R:%lds E:%lds\n", name, s, r, e);
}

/* Whether uid/gid (with its supplementary groups) may use perm bits (4, 2, 1) of st. */
static bool may(const struct stat *st, uid_t uid, const gid_t *groups, int ng, int perm)
{
	if (uid == 0)
		return perm != 1 || (st->st_mode & 0111) || S_ISDIR(st->st_mode);
	if (st->st_uid == uid)
		return (st->st_mode >> 6) & perm;
	for (int i = 0; i < ng; i++)
		if (groups[i] == st->st_gid)
			return (st->st_mode >> 3) & perm;
	return st->st_mode & perm;
}

/* Returns 1 when the unix socket path is reachable as user, 0 when not (why set), -1 unknown. */
static int socket_reachable(const char *path, const char *user, char *why, size_t whysz)
{
	struct passwd *pw = getpwnam(user);
	gid_t groups[256];
	int ng = 256;
	char dir[4096];
	struct stat st;

	if (pw == NULL) {
		snprintf(why, whysz, "user %s does not exist", user);
		return 0;
	}
	if (getgrouplist(user, pw->pw_gid, groups, &ng) < 0)
		ng = 0;
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (stat(dir, &st) == 0 && !may(&st, pw->pw_uid, groups, ng, 1)) {
			snprintf(why, whysz, "%s may not search %.300s", user, dir);
			return 0;
		}
		*p = '/';
	}
	if (stat(path, &st) < 0) {
		snprintf(why, whysz, "%.300s: %s (is the daemon running?)", path, strerror(errno));
		return -1;
	}
	if (!may(&st, pw->pw_uid, groups, ng, 2)) {
		snprintf(why, whysz, "%s may not write to %.300s (mode %03o, group %u)", user, path,
			 (unsigned)(st.st_mode & 0777), (unsigned)st.st_gid);
		return 0;
	}
	return 1;
}

static bool macro_listed(const char *list, const char *m)
{
	char *dup = strdup(list ? list : ""), *sp = NULL;
	bool found = false;

	for (char *t = dup ? strtok_r(dup, ",", &sp) : NULL; t; t = strtok_r(NULL, ",", &sp))
		if (strcmp(trim(t), m) == 0)
			found = true;
	free(dup);
	return found;
}

int em_ctl_doctor_sendmail(const struct em_config *cfg, const char *cf)
{
	struct smcf c = {0};
	char name[256] = "?", why[512];
	int findings = 0, warnings = 0;

	if (read_cf(cfg, cf, &c) < 0) {
		fprintf(stderr, "embargoctl doctor: %s: %s\n", cf, strerror(errno));
		return -1;
	}
	if (c.nomem)
		goto nomem;
	if (c.xline != NULL) {
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(c.xline + 1, ","), c.xline + 1);
		check_timeouts(cfg, name, c.xline, &warnings);
	}
	/* The socket, as the user Sendmail runs its SMTP children as. */
	if (strncmp(cfg->socket, "inet", 4) != 0) {
		const char *path =
		    strchr(cfg->socket, ':') ? strchr(cfg->socket, ':') + 1 : cfg->socket;
		char user[128];
		int r;

		snprintf(user, sizeof(user), "%s", c.run_as ? c.run_as : "root");
		user[strcspn(user, ":")] = '\0';
		if ((r = socket_reachable(path, user, why, sizeof(why))) == 0) {
			printf(
			    "UNSAFE: Sendmail (as %s) cannot connect to %s: %s; with F=T all mail "
			    "is deferred, with another F it passes unchecked.\n",
			    user, path, why);
			findings++;
		} else if (r < 0) {
			printf("warning: cannot check the socket for Sendmail: %s\n", why);
			warnings++;
		} else {
			printf("ok: Sendmail (as %s) can reach %s\n", user, path);
		}
	}
	if (!macro_listed(c.macros, "i")) {
		printf(
		    "warning: %s sends no queue id (macro i) to filters: held messages' records "
		    "cannot name Sendmail's job and `embargoctl quarantine release|delete` refuse. "
		    "Add define(`confMILTER_MACROS_EOM', `{msg_id}, i')dnl to sendmail.mc.\n",
		    cf);
		warnings++;
	} else {
		printf("ok: Sendmail sends the queue id (i) to filters\n");
	}
	/* The review tool's side: the queue directories, the binary, the MTA it will drive. */
	{
		char *dirs[256];
		size_t n = em_ctl_sm_queue_dirs(cf, dirs, 256), bad = 0;
		const char *bin = cfg->sendmail_path ? cfg->sendmail_path : "/usr/sbin/sendmail";

		for (size_t i = 0; n != (size_t)-1 && i < n; i++) {
			struct stat st;

			if (stat(dirs[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
				printf("warning: queue directory %s of %s is missing: jobs "
				       "quarantined "
				       "there cannot be reviewed.\n",
				       dirs[i], cf);
				bad++;
				warnings++;
			}
			free(dirs[i]);
		}
		if (n != (size_t)-1 && n > 0 && bad == 0)
			printf("ok: %zu Sendmail queue director%s for embargoctl quarantine\n", n,
			       n == 1 ? "y" : "ies");
		if (access(bin, X_OK) < 0) {
			printf("warning: %s (main-config `sendmail`) is not executable: "
			       "embargoctl quarantine release cannot unquarantine jobs.\n",
			       bin);
			warnings++;
		}
		if (em_ctl_mta_detect(cfg) != EM_CTL_MTA_SENDMAIL) {
			printf(
			    "warning: embargoctl quarantine drives %s here (main-config `mta`%s); "
			    "on a Sendmail relay set mta = \"sendmail\";\n",
			    em_ctl_mta_name(em_ctl_mta_detect(cfg)),
			    cfg->mta ? "" : " unset: /usr/sbin/postsuper exists");
			warnings++;
		}
	}
	free(c.xline);
	free(c.run_as);
	free(c.macros);
	return findings;
nomem:
	free(c.xline);
	free(c.run_as);
	free(c.macros);
	return -1;
}
