/*
 * ctl_doctor - `embargoctl doctor`: checks that the MTA really sends mail
 * through the milter and fails closed, and that the release files are sane.
 * Shell code (ctl ring): may run postconf(1), read sendmail.cf, print.
 */
#ifndef EM_CTL_DOCTOR_H
#define EM_CTL_DOCTOR_H

/*
 * Runs `embargoctl doctor [-c CONFIG] [--postfix-config DIR]
 * [--sendmail-cf FILE]`; argv[0] is "doctor". Prints every finding in plain
 * words. Returns the exit status: 0 nothing unsafe found, 1 at least one
 * finding, 2 an error (bad config, postconf failed, no MTA to check).
 */
int em_ctl_doctor(int argc, char **argv);

#endif
