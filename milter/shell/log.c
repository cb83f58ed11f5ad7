/*
 * log - syslog plus an optional stderr copy (see log.h). Lines are formatted
 * into an allocated buffer: no fixed size, nothing cut.
 */
#define _GNU_SOURCE
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static bool log_stderr;

void em_log_open(bool to_stderr)
{
	openlog("embargo-milter", LOG_PID, LOG_MAIL);
	log_stderr = to_stderr;
}

void em_log_stderr(bool on)
{
	log_stderr = on;
}

void em_log(int prio, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int saved = errno, n;

	va_start(ap, fmt);
	errno = saved; /* for %m */
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		syslog(LOG_ERR, "a log line was lost (out of memory)");
		errno = saved;
		return;
	}
	syslog(prio, "%s", s);
	if (log_stderr)
		fprintf(stderr, "embargo-milter: %s\n", s);
	free(s);
	errno = saved;
}

void em_log_close(void)
{
	closelog();
}
