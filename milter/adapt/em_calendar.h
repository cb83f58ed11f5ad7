/*
 * em_calendar - the release calendar file (iCalendar, RFC 5545) into a
 * core/em_caldata snapshot, and a watcher that re-reads the file when it
 * changes, without a reload of the daemon.
 *
 * Reading is libical's (line unfolding, escaping, VTIMEZONE): for each VEVENT
 * its UID, DTSTART and STATUS. DTSTART may be UTC ("...Z"), local to a TZID
 * (a VTIMEZONE of the file, else the IANA zone of that name; daylight saving
 * applied by the zone rules), floating (read in the configured timezone), or
 * a DATE (midnight in the configured timezone). An event without UID or
 * DTSTART is skipped; a TZID that names no zone is an error (the file is
 * refused as a whole and the previous snapshot stays in force).
 *
 * libical is not thread-safe in its time zone code: every call into it is
 * serialised by a mutex here. Depends on libical and the core's em_caldata
 * and em_time. Never logs, never exits.
 */
#ifndef EM_CALENDAR_H
#define EM_CALENDAR_H

#include <stddef.h>
#include <time.h>

#include "../core/em_caldata.h"

/*
 * Parses iCalendar text (NUL-terminated). tz is the zone of floating times
 * and dates (NULL = Europe/London). Returns a snapshot with one reference
 * (release with em_caldata_unref), or NULL with the reason in err.
 */
struct em_caldata *em_calendar_parse(const char *text, const char *tz, char *err, size_t errsz);

/* The same from a file (at most 64 MB). */
struct em_caldata *em_calendar_load(const char *path, const char *tz, char *err, size_t errsz);

struct em_calwatch;

/*
 * Watches path: the file is read on the first em_calwatch_get and re-read
 * when its modification time, size or inode change, looked at no more than
 * once per interval_s seconds. path and tz are copied. NULL: out of memory.
 */
struct em_calwatch *em_calwatch_new(const char *path, const char *tz, unsigned interval_s);
void em_calwatch_free(struct em_calwatch *w);

/* The watched path (borrowed). */
const char *em_calwatch_path(const struct em_calwatch *w);

/*
 * The current snapshot, re-read first if the file changed and the interval
 * has passed (now: the caller's clock). Returns a new reference (caller
 * unrefs) or NULL when no version of the file was ever read. When this call
 * read the file and failed, err receives why (the previous snapshot stays in
 * force and is returned); otherwise err is set to "". *reread (may be NULL)
 * tells whether a new version was loaded by this call. Thread-safe.
 * A new version never moves an event earlier than a version read before it
 * by the same watcher, nor forgets one (em_caldata_keep_later).
 */
struct em_caldata *em_calwatch_get(struct em_calwatch *w, time_t now, char *err, size_t errsz,
				   int *reread);

#endif
