/*
 * em_time - the time formats release files and `--at` accept.
 *
 * Accepted: "YYYY-MM-DD HH:MM", "YYYY-MM-DD HH:MM:SS", the same with 'T'
 * instead of the space, each optionally followed by "Z", "+hh:mm", "-hh:mm",
 * "+hhmm" or "+hh"; and "YYYY-MM-DD" alone (00:00). Without an offset the time
 * is local to the zone given (IANA name such as "Europe/London"), DST-aware.
 * Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_TIME_H
#define EM_TIME_H

#include <stddef.h>
#include <time.h>

/*
 * Parses s into *out. tz is the zone for times without an offset (NULL or ""
 * = "Europe/London"). Returns 0, or -1 with a short reason ("expected
 * YYYY-MM-DD HH:MM[:SS][Z|+hh:mm]", "no such time zone ...") written to
 * err (size errsz). Thread-safe: zone conversion is serialised by a mutex
 * (it may set TZ briefly and restores it).
 */
int em_time_parse(const char *s, const char *tz, time_t *out, char *err, size_t errsz);

/* Formats t as RFC 3339 UTC ("2020-11-12T09:30:00Z") into buf (>= 21 bytes). */
void em_time_format_utc(time_t t, char *buf, size_t bufsz);

/*
 * Formats t as an RFC 5322 section 3.3 date-time in UTC
 * ("Thu, 12 Nov 2020 09:30:00 +0000"), independent of the process locale,
 * into buf (>= 32 bytes; EM_TIME_RFC5322_SIZE). A time gmtime cannot
 * represent prints the epoch.
 */
#define EM_TIME_RFC5322_SIZE 32
void em_time_format_rfc5322(time_t t, char *buf, size_t bufsz);

/* Formats t in zone tz as "2020-11-12 09:30 GMT" / "... BST" into buf. */
void em_time_format_local(time_t t, const char *tz, char *buf, size_t bufsz);

#endif
