/*
 * ctl_mta - which MTA holds the quarantined copies, and Sendmail's side of
 * release/delete (see ctl_mta.h). Reads sendmail.cf only for its queue
 * directories; runs sendmail by fork/exec, never through a shell.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl_mta.h"

#define POSTSUPER_PATH "/usr/sbin/postsuper"
#define SM_QUEUE_DEFAULT "/var/spool/mqueue"
#define SM_MAX_QDIRS 256

static int sm_run(const struct em_config *cfg, const char *a1, const char *a2, const char *a3);
static bool sm_job_file(char *const *dirs, size_t n, const char *kind, const char *qid, char *out,
			size_t outsz);

enum em_ctl_mta em_ctl_mta_detect(const struct em_config *cfg)
{
	if (cfg->mta)
		return strcmp(cfg->mta, "sendmail") == 0 ? EM_CTL_MTA_SENDMAIL : EM_CTL_MTA_POSTFIX;
	if (access(POSTSUPER_PATH, X_OK) == 0)
		return EM_CTL_MTA_POSTFIX;
	if (access(em_ctl_sm_cf(cfg), R_OK) == 0)
		return EM_CTL_MTA_SENDMAIL;
	return EM_CTL_MTA_POSTFIX;
}

const char *em_ctl_mta_name(enum em_ctl_mta m)
{
	return m == EM_CTL_MTA_SENDMAIL ? "Sendmail" : "Postfix";
}

const char *em_ctl_sm_cf(const struct em_config *cfg)
{
	return cfg->sendmail_cf ? cfg->sendmail_cf : EM_CTL_SENDMAIL_CF_DEFAULT;
}

/* Adds dir (a path or a glob pattern, as in QueueDirectory and P=) to dirs. */
static void add_dirs(const char *pat, char **dirs, size_t *n, size_t max)
{
	glob_t g;

	if (strpbrk(pat, "*?[") == NULL) {
		if (*n < max && (dirs[*n] = strdup(pat)) != NULL)
			(*n)++;
		return;
	}
	if (glob(pat, GLOB_ONLYDIR, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc && *n < max; i++)
		if ((dirs[*n] = strdup(g.gl_pathv[i])) != NULL)
			(*n)++;
	globfree(&g);
}

size_t em_ctl_sm_queue_dirs(const char *cf, char **dirs, size_t max)
{
	FILE *f = fopen(cf, "r");
	char line[4096];
	size_t n = 0;
	bool main_seen = false;

	if (f == NULL)
		return (size_t)-1;
	while (fgets(line, sizeof(line), f)) {
		char *p, *e;

		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "O QueueDirectory=", 17) == 0) {
			add_dirs(line + 17, dirs, &n, max);
			main_seen = true;
		} else if (line[0] == 'Q' && (p = strstr(line, "P=")) != NULL &&
			   (p[-1] == ' ' || p[-1] == ',' || p[-1] == '\t')) {
			p += 2;
			if ((e = strchr(p, ',')) != NULL)
				*e = '\0';
			add_dirs(p, dirs, &n, max);
		}
	}
	fclose(f);
	if (!main_seen)
		add_dirs(SM_QUEUE_DEFAULT, dirs, &n, max);
	return n;
}

/* Finds KIND<qid> (kind "hf", "qf", "df", "xf") in dirs, also under DIR/qf|df|xf. */
static bool sm_job_file(char *const *dirs, size_t n, const char *kind, const char *qid, char *out,
			size_t outsz)
{
	/* hf files live where qf files do (the qf/ subdirectory when there is one). */
	const char *sub = strcmp(kind, "hf") == 0 ? "qf" : kind;
	struct stat sb;

	for (size_t i = 0; i < n; i++) {
		int r = snprintf(out, outsz, "%s/%s/%s%s", dirs[i], sub, kind, qid);

		if (r > 0 && (size_t)r < outsz && lstat(out, &sb) == 0 && S_ISREG(sb.st_mode))
			return true;
		r = snprintf(out, outsz, "%s/%s%s", dirs[i], kind, qid);
		if (r > 0 && (size_t)r < outsz && lstat(out, &sb) == 0 && S_ISREG(sb.st_mode))
			return true;
	}
	return false;
}

static void free_dirs(char **dirs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(dirs[i]);
}

enum em_ctl_mta_state em_ctl_sm_find(const struct em_config *cfg, const char *qid, char *where,
				     size_t wsz)
{
	char *dirs[SM_MAX_QDIRS], path[4096];
	size_t n = em_ctl_sm_queue_dirs(em_ctl_sm_cf(cfg), dirs, SM_MAX_QDIRS);
	enum em_ctl_mta_state res = EM_CTL_MTA_ABSENT;

	if (n == (size_t)-1) {
		fprintf(stderr, "embargoctl: cannot read %s: %s\n", em_ctl_sm_cf(cfg),
			strerror(errno));
		return EM_CTL_MTA_ERROR;
	}
	if (sm_job_file(dirs, n, "hf", qid, path, sizeof(path))) {
		res = EM_CTL_MTA_HELD;
	} else if (sm_job_file(dirs, n, "qf", qid, path, sizeof(path))) {
		snprintf(where, wsz, "(not quarantined)");
		res = EM_CTL_MTA_OTHER;
	}
	free_dirs(dirs, n);
	return res;
}

/* Runs `sendmail [-C cf] a1 [a2 [a3]]` and waits; returns its exit status or -1. */
static int sm_run(const struct em_config *cfg, const char *a1, const char *a2, const char *a3)
{
	const char *argv[8];
	int i = 0, status;
	pid_t pid;

	argv[i++] = cfg->sendmail_path ? cfg->sendmail_path : "/usr/sbin/sendmail";
	if (cfg->sendmail_cf) {
		argv[i++] = "-C";
		argv[i++] = cfg->sendmail_cf;
	}
	argv[i++] = a1;
	if (a2)
		argv[i++] = a2;
	if (a3)
		argv[i++] = a3;
	argv[i] = NULL;
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		/* sendmail's own chatter goes to stderr, never into our output. */
		if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			_exit(127);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "embargoctl: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Counts queue files (hf/qf/Qf) in dir whose id contains qid but is not qid. */
static size_t others_in(const char *dir, const char *qid)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		const char *id = e->d_name + 2;

		if (strlen(e->d_name) > 2 && e->d_name[1] == 'f' && strchr("hqQ", e->d_name[0]) &&
		    strcmp(id, qid) != 0 && strstr(id, qid) != NULL)
			n++;
	}
	closedir(d);
	return n;
}

/*
 * -qI matches queue ids by substring: refuse when another job's id contains
 * qid, so that releasing one job can never release another.
 */
static bool sm_ambiguous(const struct em_config *cfg, const char *qid)
{
	char *dirs[SM_MAX_QDIRS], sub[4096];
	size_t n = em_ctl_sm_queue_dirs(em_ctl_sm_cf(cfg), dirs, SM_MAX_QDIRS), hits = 0;

	if (n == (size_t)-1)
		return true;
	for (size_t i = 0; i < n; i++) {
		hits += others_in(dirs[i], qid);
		snprintf(sub, sizeof(sub), "%s/qf", dirs[i]);
		hits += others_in(sub, qid);
	}
	free_dirs(dirs, n);
	return hits != 0;
}

int em_ctl_sm_release(const struct em_config *cfg, const char *qid)
{
	char sel[128], where[64];
	int st;

	snprintf(sel, sizeof(sel), "-qI%s", qid);
	if (sm_ambiguous(cfg, qid)) {
		fprintf(stderr,
			"embargoctl: another Sendmail job's id contains %s (sendmail -qI matches "
			"substrings): refusing to release by id; release it by hand\n",
			qid);
		return -1;
	}
	/* -qQ selects the quarantined queue, -qI the one job, -Q without a reason unquarantines. */
	if ((st = sm_run(cfg, "-qQ", sel, "-Q")) != 0) {
		fprintf(stderr, "embargoctl: sendmail -qQ %s -Q failed (%s %d)\n", sel,
			st < 0 ? "could not run," : "exit", st);
		return -1;
	}
	if (em_ctl_sm_find(cfg, qid, where, sizeof(where)) == EM_CTL_MTA_HELD) {
		fprintf(stderr, "embargoctl: sendmail -qQ %s -Q left job %s quarantined\n", sel,
			qid);
		return -1;
	}
	if ((st = sm_run(cfg, sel, NULL, NULL)) != 0)
		fprintf(stderr,
			"embargoctl: warning: job %s was released but the delivery attempt "
			"(sendmail %s) failed (%s %d); Sendmail's next queue run delivers it\n",
			qid, sel, st < 0 ? "could not run," : "exit", st);
	return 0;
}

int em_ctl_sm_delete(const struct em_config *cfg, const char *qid)
{
	static const char *const others[] = {"df", "xf"};
	char *dirs[SM_MAX_QDIRS], hf[4096], path[4096];
	size_t n = em_ctl_sm_queue_dirs(em_ctl_sm_cf(cfg), dirs, SM_MAX_QDIRS);
	int fd = -1, rc = -1;

	if (n == (size_t)-1) {
		fprintf(stderr, "embargoctl: cannot read %s: %s\n", em_ctl_sm_cf(cfg),
			strerror(errno));
		return -1;
	}
	if (!sm_job_file(dirs, n, "hf", qid, hf, sizeof(hf))) {
		fprintf(stderr, "embargoctl: Sendmail has no quarantined job %s\n", qid);
		goto out;
	}
	if ((fd = open(hf, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		fprintf(stderr, "embargoctl: cannot open %s: %s\n", hf, strerror(errno));
		goto out;
	}
	/* Sendmail (HASFLOCK on Linux) locks a job's control file with flock while it works on it.
	 */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "embargoctl: job %s is in use by Sendmail (%s); try again\n", qid,
			strerror(errno));
		goto out;
	}
	/* Still the same job after the lock (not renamed away meanwhile)? */
	if (access(hf, F_OK) != 0) {
		fprintf(stderr, "embargoctl: job %s changed while being locked; try again\n", qid);
		goto out;
	}
	/* The control file first: once it is gone Sendmail no longer sees the job. */
	if (unlink(hf) < 0) {
		fprintf(stderr, "embargoctl: cannot remove %s: %s\n", hf, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (sm_job_file(dirs, n, others[i], qid, path, sizeof(path)) && unlink(path) < 0)
			fprintf(stderr, "embargoctl: warning: cannot remove %s: %s\n", path,
				strerror(errno));
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free_dirs(dirs, n == (size_t)-1 ? 0 : n);
	return rc;
}
