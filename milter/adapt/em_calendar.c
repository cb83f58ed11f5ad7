/*
 * em_calendar - iCalendar release calendar reader and file watcher (see
 * em_calendar.h). RFC 5545 sections used: 3.1 (content lines and folding,
 * done by libical's parser), 3.3.5 (DATE-TIME forms: UTC, local with TZID,
 * floating), 3.6.1 (VEVENT), 3.8.1.11 (STATUS), 3.8.4.7 (UID), 3.6.5
 * (VTIMEZONE).
 */
#define _GNU_SOURCE
#include "em_calendar.h"

#include <errno.h>
#include <libical/ical.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/em_time.h"

#define MAX_CAL_BYTES (64u * 1024 * 1024)

/* libical's zone cache and error state are process-wide. */
static pthread_mutex_t ical_lock = PTHREAD_MUTEX_INITIALIZER;

static void seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* DTSTART of ev as an instant; -1 after writing why into err. */
static int event_start(icalcomponent *root, icalproperty *p, const char *tz, time_t *out, char *err,
		       size_t errsz)
{
	struct icaltimetype t = icalproperty_get_dtstart(p);
	icalparameter *tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	char buf[64], why[160];

	if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t)) {
		seterr(err, errsz, "DTSTART is not a valid date or time");
		return -1;
	}
	if (icaltime_is_date(t)) {
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", t.year, t.month, t.day);
	} else if (icaltime_is_utc(t)) {
		*out = icaltime_as_timet(t);
		return 0;
	} else if (tzp != NULL) {
		const char *tzid = icalparameter_get_tzid(tzp);
		icaltimezone *z = NULL;

		if (tzid != NULL) {
			z = icalcomponent_get_timezone(root, tzid);
			if (z == NULL)
				z = icaltimezone_get_builtin_timezone(tzid);
			if (z == NULL)
				z = icaltimezone_get_builtin_timezone_from_tzid(tzid);
		}
		if (z == NULL) {
			seterr(err, errsz,
			       "DTSTART;TZID=%s: no such time zone (and no VTIMEZONE for it)",
			       tzid ? tzid : "");
			return -1;
		}
		*out = icaltime_as_timet_with_zone(t, z);
		return 0;
	} else {
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", t.year, t.month, t.day,
			 t.hour, t.minute, t.second);
	}
	/* Floating time or a date: the configured zone, DST-aware (em_time). */
	if (em_time_parse(buf, tz, out, why, sizeof(why)) != 0) {
		seterr(err, errsz, "DTSTART %s: %s", buf, why);
		return -1;
	}
	return 0;
}

static int add_events(struct em_caldata *c, icalcomponent *root, icalcomponent *cal, const char *tz,
		      char *err, size_t errsz)
{
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	     ev != NULL; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		const char *uid = icalcomponent_get_uid(ev);
		icalproperty *p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		time_t start;
		char why[256];

		if (uid == NULL || *uid == '\0' || p == NULL)
			continue;
		if (event_start(root, p, tz, &start, why, sizeof(why)) < 0) {
			seterr(err, errsz, "event %s: %s", uid, why);
			return -1;
		}
		if (em_caldata_add(c, uid, start,
				   icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED,
				   icalcomponent_get_summary(ev)) < 0) {
			seterr(err, errsz, "out of memory");
			return -1;
		}
	}
	return 0;
}

struct em_caldata *em_calendar_parse(const char *text, const char *tz, char *err, size_t errsz)
{
	struct em_caldata *c;
	icalcomponent *root;
	int rc = 0;

	if (tz == NULL || *tz == '\0')
		tz = "Europe/London";
	if ((c = em_caldata_new()) == NULL) {
		seterr(err, errsz, "out of memory");
		return NULL;
	}
	pthread_mutex_lock(&ical_lock);
	icalerror_clear_errno();
	root = icalparser_parse_string(text);
	if (root == NULL) {
		seterr(err, errsz, "not an iCalendar file (no BEGIN:VCALENDAR ... END:VCALENDAR)");
		rc = -1;
	} else if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
		rc = add_events(c, root, root, tz, err, errsz);
	} else if (icalcomponent_isa(root) == ICAL_XROOT_COMPONENT) {
		/* several VCALENDARs in one file */
		for (icalcomponent *k =
			 icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
		     k != NULL && rc == 0;
		     k = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT))
			rc = add_events(c, k, k, tz, err, errsz);
	} else {
		seterr(err, errsz, "not an iCalendar file (the top component is not VCALENDAR)");
		rc = -1;
	}
	if (root != NULL)
		icalcomponent_free(root);
	pthread_mutex_unlock(&ical_lock);
	if (rc < 0) {
		em_caldata_unref(c);
		return NULL;
	}
	return c;
}

struct em_caldata *em_calendar_load(const char *path, const char *tz, char *err, size_t errsz)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;
	struct em_caldata *c;

	if (f == NULL) {
		seterr(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	n = getdelim(&text, &cap, '\0', f);
	if (n < 0 && ferror(f)) {
		seterr(err, errsz, "%s: %s", path, strerror(errno));
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	if (n < 0) {
		free(text);
		seterr(err, errsz, "%s: empty file", path);
		return NULL;
	}
	if ((size_t)n > MAX_CAL_BYTES || strlen(text) != (size_t)n) {
		free(text);
		seterr(err, errsz, "%s: too large or contains a NUL byte", path);
		return NULL;
	}
	c = em_calendar_parse(text, tz, err, errsz);
	if (c == NULL && err != NULL) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err);
		seterr(err, errsz, "%s: %s", path, why);
	}
	free(text);
	return c;
}

/* ---- watcher ---- */

struct em_calwatch {
	char *path;
	char *tz;
	unsigned interval;
	pthread_mutex_t lock;
	struct em_caldata *cur; /* last good snapshot, or NULL */
	bool looked;		/* stat()ed at least once */
	time_t last_check;
	struct stat seen; /* of the version in cur (or of the last failed one) */
	bool have_seen;
};

struct em_calwatch *em_calwatch_new(const char *path, const char *tz, unsigned interval_s)
{
	struct em_calwatch *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->path = strdup(path);
	w->tz = strdup(tz && *tz ? tz : "Europe/London");
	w->interval = interval_s;
	if (w->path == NULL || w->tz == NULL || pthread_mutex_init(&w->lock, NULL) != 0) {
		free(w->path);
		free(w->tz);
		free(w);
		return NULL;
	}
	return w;
}

void em_calwatch_free(struct em_calwatch *w)
{
	if (w == NULL)
		return;
	em_caldata_unref(w->cur);
	pthread_mutex_destroy(&w->lock);
	free(w->path);
	free(w->tz);
	free(w);
}

const char *em_calwatch_path(const struct em_calwatch *w)
{
	return w->path;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

struct em_caldata *em_calwatch_get(struct em_calwatch *w, time_t now, char *err, size_t errsz,
				   int *reread)
{
	struct em_caldata *out;
	struct stat st;

	seterr(err, errsz, "%s", "");
	if (reread)
		*reread = 0;
	pthread_mutex_lock(&w->lock);
	if (!w->looked || now - w->last_check >= (time_t)w->interval || now < w->last_check) {
		w->looked = true;
		w->last_check = now;
		if (stat(w->path, &st) != 0) {
			/* Only say it once per disappearance. */
			if (w->have_seen || w->cur == NULL)
				seterr(err, errsz, "%s: %s", w->path, strerror(errno));
			w->have_seen = false;
		} else if (!w->have_seen || !same_file(&st, &w->seen)) {
			struct em_caldata *c = em_calendar_load(w->path, w->tz, err, errsz);

			/* Remember the version even when it failed: one message per bad version. */
			w->seen = st;
			w->have_seen = true;
			if (c != NULL && em_caldata_keep_later(c, w->cur) < 0) {
				seterr(err, errsz, "out of memory");
				em_caldata_unref(c);
				c = NULL;
			}
			if (c != NULL) {
				em_caldata_unref(w->cur);
				w->cur = c;
				if (reread)
					*reread = 1;
			}
		}
	}
	out = em_caldata_ref(w->cur);
	pthread_mutex_unlock(&w->lock);
	return out;
}
