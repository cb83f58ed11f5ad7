/*
 * daemon - background mode, pid file, socket permissions, privilege drop
 * (see daemon.h).
 */
#define _GNU_SOURCE
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

const char *em_daemon_socket_path(const char *spec)
{
	if (spec == NULL)
		return NULL;
	if (strncmp(spec, "unix:", 5) == 0)
		return spec + 5;
	if (strncmp(spec, "local:", 6) == 0)
		return spec + 6;
	if (spec[0] == '/')
		return spec;
	return NULL;
}

int em_daemon_lookup_user(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(user);
	if (pw == NULL) {
		em_log(LOG_ERR, "user %s: %s", user, errno ? strerror(errno) : "no such user");
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int em_daemon_socket_perms(const char *path, bool chown_it, uid_t uid, gid_t gid)
{
	if (chown_it && chown(path, uid, gid) < 0) {
		em_log(LOG_ERR, "chown %s: %m", path);
		return -1;
	}
	if (chmod(path, 0660) < 0) {
		em_log(LOG_ERR, "chmod %s: %m", path);
		return -1;
	}
	return 0;
}

int em_daemon_detach(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		em_log(LOG_ERR, "fork: %m");
		return -1;
	}
	if (pid > 0)
		_exit(0);
	if (setsid() < 0) {
		em_log(LOG_ERR, "setsid: %m");
		return -1;
	}
	if (chdir("/") < 0) {
		em_log(LOG_ERR, "chdir /: %m");
		return -1;
	}
	fd = open("/dev/null", O_RDWR);
	if (fd < 0) {
		em_log(LOG_ERR, "/dev/null: %m");
		return -1;
	}
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	em_log_stderr(false);
	return 0;
}

int em_daemon_pidfile_write(const char *path)
{
	FILE *f;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);

	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		em_log(LOG_ERR, "pid file %s: %m", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0) {
		em_log(LOG_ERR, "pid file %s: %m", path);
		return -1;
	}
	return 0;
}

/* The pid in the file at path, or 0. */
static long pidfile_read(const char *path)
{
	FILE *f = fopen(path, "r");
	long pid = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0)
		pid = 0;
	fclose(f);
	return pid;
}

void em_daemon_pidfile_remove(const char *path)
{
	if (path == NULL)
		return;
	/* a daemon started after us may have written its own pid there */
	if (pidfile_read(path) != (long)getpid()) {
		em_log(LOG_NOTICE, "pid file %s names another process: left alone", path);
		return;
	}
	/* after the privilege drop the directory may not be ours: say so only */
	if (unlink(path) < 0 && errno != ENOENT)
		em_log(LOG_NOTICE, "pid file %s not removed: %m", path);
}

bool em_daemon_pidfile_live(const char *path)
{
	long pid = pidfile_read(path);

	if (pid <= 0 || pid == (long)getpid())
		return false;
	if (kill((pid_t)pid, 0) == 0 || errno == EPERM) {
		em_log(LOG_ERR,
		       "pid file %s names process %ld, which is running: refusing to start", path,
		       pid);
		return true;
	}
	return false;
}

bool em_daemon_socket_live(const char *path)
{
	struct sockaddr_un sa;
	bool live;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	strcpy(sa.sun_path, path);
	live = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return live;
}

int em_daemon_drop(const char *user, uid_t uid, gid_t gid)
{
	if (initgroups(user, gid) < 0) {
		em_log(LOG_ERR, "initgroups %s: %m", user);
		return -1;
	}
	if (setgid(gid) < 0) {
		em_log(LOG_ERR, "setgid %ld: %m", (long)gid);
		return -1;
	}
	if (setuid(uid) < 0) {
		em_log(LOG_ERR, "setuid %ld: %m", (long)uid);
		return -1;
	}
	if (uid != 0 && (setuid(0) == 0 || geteuid() == 0)) {
		em_log(LOG_ERR, "could regain root after dropping to %s: refusing to run", user);
		return -1;
	}
	return 0;
}
