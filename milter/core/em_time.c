/*
 * em_time - parsing and formatting release times (see em_time.h).
 *
 * Owns: the accepted time syntax, calendar validation, and conversion of
 * local wall-clock times in an IANA zone to time_t. Times with an offset are
 * converted arithmetically (no libc time zone state). Times without one go
 * through mktime() with TZ pointing at the zone file, under a mutex, and TZ
 * is restored afterwards: glibc has no per-call zone API. Another thread
 * calling localtime() during that window may briefly see the other zone;
 * release times are parsed at (re)load only, so the window is rare and short.
 *
 * At DST changes a local time may not exist (clocks jump forward) or exist
 * twice (clocks go back). An ambiguous time is the LATER of its two instants
 * (the winter-time one: an embargo then ends an hour late, never early); a
 * skipped time is read at the standard-time offset, the instant as far past
 * the jump as the time is. Both are decided here, not by mktime()'s
 * tm_isdst = -1 guess, which glibc makes from the zone state of the previous
 * call (the same release file read alone or after another one gave times an
 * hour apart). Write an explicit offset to pin such a time.
 *
 * Zone names are checked before use: glibc silently falls back to UTC for an
 * unknown TZ, which would shift every release by an hour in summer.
 * Depends on libc and pthreads only; must not depend on libmilter, syslog or
 * libconfig.
 */
#define _GNU_SOURCE
#include "em_time.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define DEFAULT_ZONE "Europe/London"
#define FORMAT_HINT "expected YYYY-MM-DD HH:MM[:SS][Z|+hh:mm]"

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

static int digits(const char *s, int n, int *out);
static int64_t days_from_civil(int64_t y, int m, int d);
static int days_in_month(int y, int m);
static int zone_path(const char *tz, char **path, char *err, size_t errsz);
static int with_zone(const char *path, time_t *t, struct tm *tm, char **abbr);
static void seterr(char *err, size_t errsz, const char *msg, const char *arg);

/* Writes msg, followed by the quoted arg when there is one, into err. */
static void seterr(char *err, size_t errsz, const char *msg, const char *arg)
{
	if (err == NULL || errsz == 0)
		return;
	if (arg != NULL)
		snprintf(err, errsz, "%s \"%s\"", msg, arg);
	else
		snprintf(err, errsz, "%s", msg);
}

/* Exactly n ASCII digits (isdigit() would follow the locale). */
static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

/*
 * Checks that tz names a compiled zone file and returns its absolute path
 * (malloc'd, caller frees). Names are relative to the zoneinfo directory,
 * never absolute and never climbing out of it with "..".
 */
static int zone_path(const char *tz, char **path, char *err, size_t errsz)
{
	char magic[4];
	struct stat st;
	int fd;
	ssize_t n;

	*path = NULL;
	if (tz == NULL || tz[0] == '\0')
		tz = DEFAULT_ZONE;
	if (tz[0] == '/' || strlen(tz) > 255) {
		seterr(err, errsz, "no such time zone", tz);
		return -1;
	}
	for (const char *p = tz; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '-' || c == '+' || c == '.')) {
			seterr(err, errsz, "no such time zone", tz);
			return -1;
		}
		if (c == '.' && (p == tz || p[-1] == '/') && p[1] == '.') {
			seterr(err, errsz, "no such time zone", tz);
			return -1;
		}
	}
	if (asprintf(path, "%s/%s", ZONEINFO_DIR, tz) < 0) {
		*path = NULL;
		seterr(err, errsz, "out of memory", NULL);
		return -1;
	}
	fd = open(*path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (n = read(fd, magic, sizeof(magic))) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, "TZif", 4) != 0) {
		if (fd >= 0)
			close(fd);
		free(*path);
		*path = NULL;
		seterr(err, errsz, "no such time zone", tz);
		return -1;
	}
	close(fd);
	return 0;
}

/* Does instant t show as the wall-clock time *want in the current TZ? */
static bool shows_as(time_t t, const struct tm *want)
{
	struct tm got;

	return localtime_r(&t, &got) != NULL && got.tm_year == want->tm_year &&
	       got.tm_mon == want->tm_mon && got.tm_mday == want->tm_mday &&
	       got.tm_hour == want->tm_hour && got.tm_min == want->tm_min &&
	       got.tm_sec == want->tm_sec;
}

/*
 * The instant of wall-clock time *want in the current TZ (see the DST rule at
 * the top): both readings, standard and summer time, are tried and checked
 * against the wall clock. 0, or -1 when mktime cannot convert it.
 */
static int local_to_utc(const struct tm *want, time_t *t)
{
	struct tm std = *want, dst = *want;
	time_t ts, td;
	bool vs, vd;

	std.tm_isdst = 0;
	dst.tm_isdst = 1;
	errno = 0;
	ts = mktime(&std);
	if (ts == (time_t)-1 && errno != 0)
		return -1;
	td = mktime(&dst);
	vs = shows_as(ts, want);
	vd = td != (time_t)-1 && shows_as(td, want);
	if (vs && vd)
		*t = ts > td ? ts : td; /* ambiguous: the later instant */
	else if (vd)
		*t = td;
	else
		*t = ts; /* the standard-time reading, valid or past a jump */
	return 0;
}

/*
 * With TZ set to the zone file: when abbr is given, converts *t into *tm
 * (localtime_r) and sets *abbr to a malloc'd copy of the zone abbreviation
 * (copied under the lock: tm_zone points into libc's zone state); otherwise
 * converts *tm (tm_isdst = -1) into *t (mktime). Restores TZ. Returns 0 or -1.
 */
static int with_zone(const char *path, time_t *t, struct tm *tm, char **abbr)
{
	char *old = NULL, *val = NULL;
	const char *cur;
	int rc = -1;

	if (asprintf(&val, ":%s", path) < 0)
		return -1;
	pthread_mutex_lock(&tz_lock);
	cur = getenv("TZ");
	if (cur != NULL && (old = strdup(cur)) == NULL)
		goto unlock;
	if (setenv("TZ", val, 1) != 0)
		goto unlock;
	tzset();
	if (abbr != NULL) {
		rc = -1;
		if (localtime_r(t, tm) != NULL) {
			*abbr = strdup(tm->tm_zone != NULL ? tm->tm_zone : "");
			rc = *abbr != NULL ? 0 : -1;
		}
	} else {
		rc = local_to_utc(tm, t);
	}
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
unlock:
	pthread_mutex_unlock(&tz_lock);
	free(old);
	free(val);
	return rc;
}

/*
 * Parses s (formats in em_time.h) into *out; local times are in zone tz
 * (NULL/"" = Europe/London). Returns 0, or -1 with the reason in err and
 * *out untouched.
 */
int em_time_parse(const char *s, const char *tz, time_t *out, char *err, size_t errsz)
{
	int Y, M, D, h = 0, m = 0, sec = 0, oh = 0, om = 0, sign = 0;
	bool has_time = false;
	const char *p, *e;
	int64_t days, t;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (s == NULL) {
		seterr(err, errsz, FORMAT_HINT, NULL);
		return -1;
	}
	p = s;
	e = s + strlen(s);
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	/* Every field is fixed-width; check the length before each read. */
	if (e - p < 10 || digits(p, 4, &Y) || p[4] != '-' || digits(p + 5, 2, &M) || p[7] != '-' ||
	    digits(p + 8, 2, &D))
		goto syntax;
	p += 10;
	if (p < e) {
		if (e - p < 6 || (*p != ' ' && *p != 'T' && *p != 't') || digits(p + 1, 2, &h) ||
		    p[3] != ':' || digits(p + 4, 2, &m))
			goto syntax;
		p += 6;
		has_time = true;
		if (p < e && *p == ':') {
			if (e - p < 3 || digits(p + 1, 2, &sec))
				goto syntax;
			p += 3;
		}
	}
	if (p < e && has_time) {
		if ((*p == 'Z' || *p == 'z') && e - p == 1) {
			sign = 1;
		} else if (*p == '+' || *p == '-') {
			sign = *p == '-' ? -1 : 1;
			if (e - p == 3 && !digits(p + 1, 2, &oh))
				;
			else if (e - p == 5 && !digits(p + 1, 2, &oh) && !digits(p + 3, 2, &om))
				;
			else if (e - p == 6 && !digits(p + 1, 2, &oh) && p[3] == ':' &&
				 !digits(p + 4, 2, &om))
				;
			else
				goto syntax;
		} else {
			goto syntax;
		}
		p = e;
	}
	if (p != e)
		goto syntax;
	if (M < 1 || M > 12 || D < 1 || D > days_in_month(Y, M)) {
		seterr(err, errsz, "no such date in", s);
		return -1;
	}
	if (h > 23 || m > 59 || sec > 59) {
		seterr(err, errsz, "no such time of day in", s);
		return -1;
	}
	if (oh > 23 || om > 59) {
		seterr(err, errsz, "offset out of range in", s);
		return -1;
	}
	if (sign != 0) {
		days = days_from_civil(Y, M, D);
		t = days * 86400 + h * 3600 + m * 60 + sec - sign * (oh * 3600 + om * 60);
		if ((int64_t)(time_t)t != t) {
			seterr(err, errsz, "time out of range in", s);
			return -1;
		}
		*out = (time_t)t;
		return 0;
	} else {
		struct tm tm;
		char *path;
		time_t r;

		if (zone_path(tz, &path, err, errsz) != 0)
			return -1;
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = Y - 1900;
		tm.tm_mon = M - 1;
		tm.tm_mday = D;
		tm.tm_hour = h;
		tm.tm_min = m;
		tm.tm_sec = sec;
		tm.tm_isdst = -1;
		if (with_zone(path, &r, &tm, NULL) != 0) {
			free(path);
			seterr(err, errsz, "cannot convert local time", s);
			return -1;
		}
		free(path);
		*out = r;
		return 0;
	}
syntax:
	seterr(err, errsz, FORMAT_HINT, NULL);
	return -1;
}

/* "2020-11-12T09:30:00Z" into buf; "" when buf is too small. */
void em_time_format_utc(time_t t, char *buf, size_t bufsz)
{
	struct tm tm;

	if (buf == NULL || bufsz == 0)
		return;
	/* strftime leaves the buffer undefined when it does not fit: never print half a time. */
	if (gmtime_r(&t, &tm) == NULL || strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}

void em_time_format_rfc5322(time_t t, char *buf, size_t bufsz)
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;

	if (buf == NULL || bufsz == 0)
		return;
	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, bufsz, "Thu, 01 Jan 1970 00:00:00 +0000");
		return;
	}
	snprintf(buf, bufsz, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday], tm.tm_mday,
		 mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * "2020-11-12 09:30 GMT" in zone tz into buf; an unknown zone prints UTC and
 * says "UTC"; "" when buf is too small.
 */
void em_time_format_local(time_t t, const char *tz, char *buf, size_t bufsz)
{
	struct tm tm;
	char *path = NULL, *abbr = NULL, day[32];
	int n;

	if (buf == NULL || bufsz == 0)
		return;
	/* An unusable zone prints UTC, saying so, rather than a wrong local time. */
	if (zone_path(tz, &path, NULL, 0) != 0 || with_zone(path, &t, &tm, &abbr) != 0) {
		if (gmtime_r(&t, &tm) == NULL) {
			buf[0] = '\0';
			free(path);
			return;
		}
	}
	free(path);
	if (strftime(day, sizeof(day), "%Y-%m-%d %H:%M", &tm) == 0) {
		buf[0] = '\0';
	} else {
		n = snprintf(buf, bufsz, "%s %s", day, abbr != NULL ? abbr : "UTC");
		/* Never a cut time: too small a buffer yields "". */
		if (n < 0 || (size_t)n >= bufsz)
			buf[0] = '\0';
	}
	free(abbr);
}
