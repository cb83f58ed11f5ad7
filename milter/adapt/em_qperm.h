/*
 * em_qperm - gives the quarantine store to the reviewers' group
 * (`reviewer_group`): quarantine_dir and its subdirectories 2750 (setgid, so
 * every file the daemon creates later, SQLite's -wal/-shm and the audit log
 * included, gets the group by itself), files 0640, all of group gid.
 *
 * Run by the daemon at start (as root before it drops privileges, or as a
 * member of the group) and, with the same rules, by the Debian postinst.
 * Must not depend on libmilter, syslog or libconfig: failures are returned.
 * Never follows a symbolic link; goes two levels deep (quarantine_dir/msg/x).
 */
#ifndef EM_QPERM_H
#define EM_QPERM_H

#include <stddef.h>
#include <sys/types.h>

#define EM_QPERM_DIR_MODE 02750
#define EM_QPERM_FILE_MODE 0640

/*
 * Creates dir when missing (0750, then as below) and gives dir, every
 * directory in it (one level) and every regular file in those to group gid,
 * directories EM_QPERM_DIR_MODE, files EM_QPERM_FILE_MODE. uid (uid_t)-1
 * keeps the owner, else the owner becomes uid (root only). audit_log (may
 * be NULL; may lie outside dir) gets the file rules when it exists.
 * Returns the number of entries changed (>= 0), or -1 with the first
 * failure in err ("chgrp PATH: Operation not permitted"); it goes on after
 * a failure, so as much as possible is fixed.
 */
int em_qperm_apply(const char *dir, const char *audit_log, uid_t uid, gid_t gid, char *err,
		   size_t errsz);

/* 1 when the calling process may give files to gid (root, or gid is its
 * effective or a supplementary group), else 0. */
int em_qperm_can_chgrp(gid_t gid);

#endif
