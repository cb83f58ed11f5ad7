/*
 * ctl_status - `embargoctl status` (the live daemon, asked on its control
 * socket; protocol in adapt/em_control.h), `embargoctl --version`, and the
 * check that the daemon's `user` can read every file of a configuration
 * (used by `check` and `doctor` when run as root).
 * Shell code (ctl ring): prints, forks.
 */
#ifndef EM_CTL_STATUS_H
#define EM_CTL_STATUS_H

#include <stdio.h>

#include "../core/em_settings.h"

/*
 * `embargoctl status [-c CONFIG] [--socket PATH] [--json]`; argv[0] is
 * "status". Exit: 0 running with the rules on disk live, 1 running but
 * something needs attention (last reload failed, restart needed, files on
 * disk differ from the live rules), 2 not running or an error.
 */
int em_ctl_status(int argc, char **argv);

/*
 * When running as root and cfg->user is set: opens every file cfg read (main
 * config, releases, PRA files) and the releases directory as that user, in
 * a child that drops to it. Prints one line per file the user cannot read,
 * each starting with prefix (e.g. "UNSAFE: "), with the fix, and one "ok"
 * line otherwise (nothing when not root or no user). Returns the number of
 * unreadable files, or -1 when the check could not run (printed).
 */
int em_ctl_readable_as_user(const struct em_config *cfg, const char *prefix, FILE *out);

/*
 * Asks the milter socket spec ("unix:/p", "inet:PORT@HOST") for milter
 * option negotiation (SMFIC_OPTNEG), waiting at most timeout_ms. Returns
 * 0 with the protocol version the milter offers in *version, or -1 with the
 * reason in err.
 */
int em_ctl_milter_ping(const char *spec, int timeout_ms, unsigned *version, char *err,
		       size_t errsz);

#endif
