/*
 * ctl_mta - which MTA holds the quarantined copies, and Sendmail's side of
 * `embargoctl quarantine release|delete|release-due` (Postfix's side,
 * postqueue/postsuper, lives in ctl_quarantine.c).
 *
 * Sendmail keeps a job that a milter quarantined (smfi_quarantine) in its
 * queue with the control file renamed from qf<QID> to hf<QID> (a 'q' line
 * holds the reason); `mailq -qQ` lists such jobs. Release unquarantines the one
 * job (`sendmail [-C CF] -qQ -qI<QID> -Q`; -qI alone would leave it
 * quarantined, -qQ -Q alone would release every quarantined job) and then
 * runs it (`sendmail [-C CF] -qI<QID>`). Sendmail has no delete command:
 * delete removes the job's hf, df and xf files while holding the job's lock
 * (flock, as Debian's Sendmail takes it), in whichever queue directory
 * (QueueDirectory, queue groups' P=, `*` wildcards, qf/ df/ xf/
 * subdirectories) of sendmail.cf the job lives in.
 *
 * Shell code: forks/execs sendmail (never a shell), prints its errors on
 * stderr. Must not depend on libmilter.
 */
#ifndef EM_CTL_MTA_H
#define EM_CTL_MTA_H

#include <stddef.h>

#include "../core/em_settings.h"

#define EM_CTL_SENDMAIL_CF_DEFAULT "/etc/mail/sendmail.cf"

enum em_ctl_mta { EM_CTL_MTA_POSTFIX, EM_CTL_MTA_SENDMAIL };

/* Where the MTA has a queue id; the values match ctl_quarantine's mta_state. */
enum em_ctl_mta_state {
	EM_CTL_MTA_ERROR = -1, /* could not tell (printed) */
	EM_CTL_MTA_ABSENT = 0, /* no such job */
	EM_CTL_MTA_HELD = 1,   /* held: Postfix hold queue, Sendmail quarantine */
	EM_CTL_MTA_OTHER = 2,  /* queued, but not held */
};

/*
 * The MTA of this relay: the config's `mta` when set; otherwise Postfix when
 * /usr/sbin/postsuper exists, else Sendmail when its sendmail.cf (the config's
 * `sendmail_cf`, default /etc/mail/sendmail.cf) exists, else Postfix.
 */
enum em_ctl_mta em_ctl_mta_detect(const struct em_config *cfg);

/* "Postfix" or "Sendmail". Static string. */
const char *em_ctl_mta_name(enum em_ctl_mta m);

/* The sendmail.cf in use: the config's `sendmail_cf` or the default. Borrowed. */
const char *em_ctl_sm_cf(const struct em_config *cfg);

/*
 * The queue directories named in sendmail.cf cf: `O QueueDirectory=` and every
 * queue group's `P=` (Sendmail Installation and Operation Guide, "Queue
 * Group Declaration"), `*` patterns expanded. Returns how many were stored in
 * dirs (at most max; each malloc'd, the caller frees them), or (size_t)-1
 * when cf cannot be read (errno set).
 */
size_t em_ctl_sm_queue_dirs(const char *cf, char **dirs, size_t max);

/*
 * Looks for Sendmail job qid in the queue directories of sendmail.cf:
 * EM_CTL_MTA_HELD for hf<qid>, EM_CTL_MTA_OTHER for qf<qid> (where gets a short
 * description), EM_CTL_MTA_ABSENT, or EM_CTL_MTA_ERROR (sendmail.cf unreadable;
 * printed). qid must have passed the caller's queue-id check (letters and
 * digits only).
 */
enum em_ctl_mta_state em_ctl_sm_find(const struct em_config *cfg, const char *qid, char *where,
				     size_t wsz);

/*
 * Unquarantines job qid (`sendmail -qQ -qI<qid> -Q`, with -C when `sendmail_cf`
 * is set; refused when another job's id contains qid, as -qI matches
 * substrings; the binary is the config's `sendmail`), checks that hf<qid> is gone,
 * then asks for a delivery attempt (`sendmail -qI<qid>`; its failure is only a
 * warning: the daemon's queue runs deliver it). Returns 0, or -1 (printed).
 */
int em_ctl_sm_release(const struct em_config *cfg, const char *qid);

/*
 * Deletes quarantined job qid: locks hf<qid> (flock, non-blocking: a job in use
 * is refused), removes hf, then df and xf (their failure is only a warning).
 * Returns 0, or -1 (printed; nothing is removed when the job cannot be locked).
 */
int em_ctl_sm_delete(const struct em_config *cfg, const char *qid);

#endif
