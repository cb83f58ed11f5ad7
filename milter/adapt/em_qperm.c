/*
 * em_qperm - the reviewers' group on the quarantine store (see em_qperm.h).
 *
 * Works on file descriptors opened with O_NOFOLLOW (fchown/fchmod), so a
 * symbolic link planted in the store is never followed. Only what differs
 * is changed: a store already right is left untouched (no chmod under
 * systemd's RestrictSUIDSGID=, which refuses setting the setgid bit; when
 * that refusal comes, the mode is set without it and the group is still
 * given).
 */
#define _GNU_SOURCE
#include "em_qperm.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct qp {
	uid_t uid;
	gid_t gid;
	int changed;
	int failed;
	char *err;
	size_t errsz;
};

static void qp_fail(struct qp *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void qp_fail(struct qp *q, const char *fmt, ...)
{
	va_list ap;

	if (q->failed++ == 0 && q->err != NULL && q->errsz > 0) {
		va_start(ap, fmt);
		vsnprintf(q->err, q->errsz, fmt, ap);
		va_end(ap);
	}
}

int em_qperm_can_chgrp(gid_t gid)
{
	gid_t groups[256];
	int n;

	if (geteuid() == 0 || getegid() == gid)
		return 1;
	n = getgroups((int)(sizeof(groups) / sizeof(groups[0])), groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

/* Owner, group and mode of one open file; path is for messages only. */
static void fix_fd(struct qp *q, int fd, const char *path, mode_t want)
{
	struct stat sb;
	int changed = 0;

	if (fstat(fd, &sb) != 0) {
		qp_fail(q, "stat %s: %s", path, strerror(errno));
		return;
	}
	if (sb.st_gid != q->gid || (q->uid != (uid_t)-1 && sb.st_uid != q->uid)) {
		if (fchown(fd, q->uid, q->gid) != 0) {
			qp_fail(q, "chgrp %s: %s", path, strerror(errno));
			return;
		}
		changed = 1;
		/* chown clears the setgid bit of a directory for a non-root caller */
		if (fstat(fd, &sb) != 0) {
			qp_fail(q, "stat %s: %s", path, strerror(errno));
			return;
		}
	}
	if ((sb.st_mode & 07777) != want) {
		if (fchmod(fd, want) != 0) {
			/* RestrictSUIDSGID= (or a file system without it): keep going without */
			if (!(want & S_ISGID) || fchmod(fd, want & ~(mode_t)S_ISGID) != 0) {
				qp_fail(q, "chmod %s: %s", path, strerror(errno));
				return;
			}
		}
		changed = 1;
	}
	q->changed += changed;
}

static void fix_path(struct qp *q, int at, const char *name, const char *path, int depth);

/* Every entry of the open directory dfd, then dfd itself. */
static void fix_dir(struct qp *q, int dfd, const char *path, int depth)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	fix_fd(q, dfd, path, EM_QPERM_DIR_MODE);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		qp_fail(q, "read %s: %s", path, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *sub;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (asprintf(&sub, "%s/%s", path, de->d_name) < 0) {
			qp_fail(q, "out of memory");
			break;
		}
		fix_path(q, dfd, de->d_name, sub, depth + 1);
		free(sub);
	}
	closedir(d);
}

static void fix_path(struct qp *q, int at, const char *name, const char *path, int depth)
{
	struct stat sb;
	int fd;

	if (fstatat(at, name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno != ENOENT) /* a file removed meanwhile is no failure */
			qp_fail(q, "stat %s: %s", path, strerror(errno));
		return;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (depth > 1)
			return;
		fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			qp_fail(q, "open %s: %s", path, strerror(errno));
			return;
		}
		fix_dir(q, fd, path, depth);
		close(fd);
	} else if (S_ISREG(sb.st_mode)) {
		/* O_NONBLOCK|O_NOCTTY: opening never waits or takes a terminal */
		fd = openat(at, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd < 0) {
			if (errno != ENOENT)
				qp_fail(q, "open %s: %s", path, strerror(errno));
			return;
		}
		fix_fd(q, fd, path, EM_QPERM_FILE_MODE);
		close(fd);
	}
	/* sockets, fifos, links: not ours to change */
}

int em_qperm_apply(const char *dir, const char *audit_log, uid_t uid, gid_t gid, char *err,
		   size_t errsz)
{
	struct qp q = {uid, gid, 0, 0, err, errsz};

	if (dir == NULL || *dir == '\0') {
		qp_fail(&q, "no quarantine directory given");
		return -1;
	}
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		qp_fail(&q, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	fix_path(&q, AT_FDCWD, dir, dir, 0);
	if (audit_log != NULL)
		fix_path(&q, AT_FDCWD, audit_log, audit_log, 2);
	return q.failed ? -1 : q.changed;
}
