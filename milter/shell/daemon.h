/*
 * daemon - process set-up around libmilter: background mode, pid file, the
 * unix socket's owner and mode, and the drop to an unprivileged user. Shell
 * only. Each function logs its own failure and returns -1.
 */
#ifndef EM_SHELL_DAEMON_H
#define EM_SHELL_DAEMON_H

#include <stdbool.h>
#include <sys/types.h>

/* The file system path of a libmilter socket spec ("unix:/p", "local:/p",
 * "/p"), or NULL for inet sockets. Points into spec. */
const char *em_daemon_socket_path(const char *spec);

/* Looks up user; fills uid/gid. Returns 0 or -1. */
int em_daemon_lookup_user(const char *user, uid_t *uid, gid_t *gid);

/* Mode 0660 on the unix socket; chown to uid:gid when chown_it. */
int em_daemon_socket_perms(const char *path, bool chown_it, uid_t uid, gid_t gid);

/* fork, setsid, chdir /, stdio to /dev/null; the parent exits 0. */
int em_daemon_detach(void);

/* Writes our pid to path (0644). */
int em_daemon_pidfile_write(const char *path);
/* Removes the pid file only if it still names this process. Accepts NULL. */
void em_daemon_pidfile_remove(const char *path);
/*
 * Whether the pid file at path names a live process other than this one
 * (logged at LOG_ERR as the reason to refuse to start). A missing file, an
 * unparsable one or a dead pid is not live.
 */
bool em_daemon_pidfile_live(const char *path);
/* Whether something accepts connections on the unix socket at path. */
bool em_daemon_socket_live(const char *path);

/* initgroups/setgid/setuid to user; verifies root cannot be regained. */
int em_daemon_drop(const char *user, uid_t uid, gid_t gid);

/*
 * Sets TCP_NODELAY on libmilter's listening TCP socket (found among our open
 * descriptors: libmilter does not hand it out); accepted connections inherit
 * it on Linux. Without it, a header edit followed by the end-of-message reply
 * is two small writes, and Nagle plus the MTA's delayed ACK holds the second
 * for ~40 ms: measured as half of Postfix's throughput. No-op for unix sockets.
 */
void em_daemon_listener_nodelay(void);

#endif
