/*
 * ctl_doctor_sendmail - the Sendmail checks of `embargoctl doctor` beyond the
 * filter line itself (which ctl_doctor.c checks: X line, F=T,
 * InputMailFilters): timeouts, the socket's reachability for Sendmail's user,
 * the queue id macro and the queue directories the review tool works in.
 * Shell code (ctl ring): reads sendmail.cf and the file system, prints.
 */
#ifndef EM_CTL_DOCTOR_SENDMAIL_H
#define EM_CTL_DOCTOR_SENDMAIL_H

#include "../core/em_settings.h"

/*
 * Checks sendmail.cf cf (already found readable) against cfg and prints one
 * "UNSAFE: ", "warning: " or "ok: " line per check. Findings (UNSAFE) are
 * what lets mail out unchecked; warnings are what makes held mail hard or
 * impossible to review, or mail stay deferred. Returns the number of
 * findings (the caller adds them to its count), or -1 when out of memory.
 */
int em_ctl_doctor_sendmail(const struct em_config *cfg, const char *cf);

#endif
