/*
 * log - the daemon's logging: syslog (ident "embargo-milter", LOG_PID,
 * LOG_MAIL) and, in foreground mode, stderr as well. Shell only; the core
 * never logs.
 */
#ifndef EM_SHELL_LOG_H
#define EM_SHELL_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* Opens syslog; to_stderr also copies every line to stderr. */
void em_log_open(bool to_stderr);
/* Switches the stderr copy on or off (off once stdio is /dev/null). */
void em_log_stderr(bool on);
/* Logs one line at priority prio (LOG_ERR, LOG_WARNING, LOG_INFO ...); %m works. */
void em_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void em_log_close(void);

#endif
