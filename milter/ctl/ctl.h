/*
 * ctl - the review side of embargoctl: `quarantine`, `report` and `audit`
 * (ctl_quarantine.c, ctl_report.c, ctl_audit.c), and the plumbing they share.
 *
 * Shell code: it prints, it may fork/exec postsuper and postqueue, and it
 * turns every error into a message on stderr and exit status 2. The pure
 * text builders it uses live in adapt/em_report.
 */
#ifndef EM_CTL_H
#define EM_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../adapt/em_store.h"
#include "../core/em_scan.h"
#include "../core/em_settings.h"

#define EM_CTL_DEFAULT_CONFIG "/etc/embargo-milter/embargo-milter.conf"

struct json_t;

/* Subcommands: argv[0] is the subcommand's own name. Return the exit status. */
int em_ctl_quarantine(int argc, char **argv);
int em_ctl_report(int argc, char **argv);
int em_ctl_audit(int argc, char **argv);
/* issue 13: rule tests (ctl_test.c), PRA export/history (ctl_pra.c) */
int em_ctl_test(int argc, char **argv);
int em_ctl_pra(int argc, char **argv);
/* `check` extras (ctl_pra.c, ctl_calendar.c): print warnings, return how many. */
size_t em_ctl_check_pra(const struct em_config *cfg);
size_t em_ctl_check_calendar(const struct em_config *cfg);
/* cfg's release calendar (NULL: none, or unreadable after a warning on stderr); caller unrefs. */
struct em_caldata *em_ctl_calendar(const struct em_config *cfg);
int em_ctl_lineage(int argc, char **argv);	/* ctl_lineage.c */
int em_ctl_fingerprint(int argc, char **argv);	/* ctl_fingerprint.c */

/* ---- shared plumbing (ctl_report.c) ---- */

/*
 * Loads the main config and the release files (no rules are compiled).
 * Prints every error as FILE:LINE and returns NULL on failure; the caller
 * frees the result with em_config_free.
 */
struct em_config *em_ctl_config_load(const char *path);

/* Opens cfg's quarantine store; prints the reason and returns NULL on failure. */
struct em_store *em_ctl_store_open(const struct em_config *cfg);

/*
 * Looks a record up; prints the reason on failure. Returns the row (the
 * caller frees it with em_store_row_free) or NULL.
 */
struct em_store_row *em_ctl_record(struct em_store *st, const char *id);

/*
 * Reads a record's verdict from its msg/<id>.json. Returns a verdict (free
 * with em_verdict_free) or NULL when the file is missing or unreadable.
 */
struct em_verdict *em_ctl_verdict(const struct em_store_row *row);

/*
 * Whether the record's content is still under embargo at now: before the
 * latest publish_at of its releases, taking the later of the recorded time
 * and the current config's (a postponed release stays embargoed). A record
 * whose releases are unknown counts as embargoed.
 */
bool em_ctl_embargoed(const struct em_config *cfg, const struct em_store_row *row,
		      const struct em_verdict *v, time_t now);

/* The current config's release with this id, or NULL. */
const struct em_release_src *em_ctl_release(const struct em_config *cfg, const char *id);

/* ---- shared plumbing (ctl_audit.c) ---- */

/*
 * The reviewer's login: getlogin(), else $SUDO_USER, else $LOGNAME, else
 * the password entry of the real uid, else "uid:N". Written to buf.
 */
const char *em_ctl_login(char *buf, size_t bufsz);

/*
 * Parses a --since value: a time em_time_parse accepts (in zone tz), or a
 * duration back from now ("36h", "7d", "90m"). Returns 0, or -1 after
 * printing why.
 */
int em_ctl_since(const char *s, const char *tz, time_t now, time_t *out);

/*
 * Appends one review event to cfg's audit log: {"event", "record",
 * "queue_id", "by", "at" (RFC 3339 UTC), "uid", "releases", ...extra's
 * keys}. extra (may be NULL) is borrowed, not consumed. Returns 0, or -1
 * after printing why.
 */
int em_ctl_audit_event(const struct em_config *cfg, const char *event,
		       const struct em_store_row *row, const char *by, time_t at,
		       struct json_t *extra);

/*
 * `quarantine expire [--dry-run]` (ctl_expire.c): removes the files of
 * released/deleted records whose quarantine_retention_days have passed,
 * audited first. Returns the exit status (0, or 2 after printing why).
 */
int em_ctl_quarantine_expire(const char *conf, bool dry_run);

/*
 * `quarantine perms` (ctl_expire.c): quarantine_dir, its directories 2750
 * and files 0640 of reviewer_group (em_qperm), owned by `user` when run as
 * root. Returns the exit status (0, or 2 after printing why).
 */
int em_ctl_quarantine_perms(const char *conf);

/* ---- the audit log and its rotated files (ctl_auditlog.c) ---- */

/*
 * Calls fn(line, arg) for every line of the audit log at path and of the
 * files logrotate made of it, oldest first (PATH.N[.gz] from the highest N,
 * PATH-DATE[.gz], then PATH; gzip'd or plain, read through zlib). A missing
 * PATH is no error while rotated files exist. fn returns 0 to go on.
 * *nfiles (may be NULL) receives how many files were read. Returns 0, or
 * -1 after printing why, prefixed by who ("permission denied reading
 * PATH" for EACCES/EPERM).
 */
int em_ctl_audit_read(const char *who, const char *path, int (*fn)(const char *line, void *arg),
		      void *arg, size_t *nfiles);

/* Prints "who: permission denied reading path" for EACCES/EPERM, else
 * "who: path: strerror(err)". */
void em_ctl_denied_or(const char *who, const char *path, int err);

#endif
