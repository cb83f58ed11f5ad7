/*
 * em_caldata - a snapshot of the release calendar: for each event UID its
 * start (DTSTART) and whether it is cancelled. Read from an iCalendar file
 * (RFC 5545) by adapt/em_calendar; immutable once built and shared by any
 * number of scans, which hold a reference (em_caldata_ref/_unref) while they
 * decide, so a re-read calendar never changes under a message in flight.
 *
 * The rule it serves (em_caldata_effective): a release linked to the calendar
 * by `calendar_uid` keeps its embargo until the LATER of publish_at and the
 * event's DTSTART (a postponed release stays embargoed without anyone editing
 * its rule); an earlier DTSTART is never applied (the rule's publish_at
 * stands, and `check` warns); a cancelled event keeps the embargo with no end.
 *
 * Must not depend on: libmilter, syslog, libconfig, libical.
 */
#ifndef EM_CALDATA_H
#define EM_CALDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The "no end" of a cancelled release: 9999-12-31T23:59:59Z. */
#define EM_CAL_NEVER ((time_t)253402300799LL)

struct em_cal_event {
	char *uid;
	time_t start;	/* DTSTART as an instant */
	bool cancelled; /* STATUS:CANCELLED */
	char *summary;	/* SUMMARY, NULL when absent */
};

struct em_caldata;

/* An empty snapshot with one reference (caller unrefs); NULL if out of memory. */
struct em_caldata *em_caldata_new(void);

/*
 * Adds an event (strings copied). A UID seen twice keeps the later start and
 * is cancelled only when every copy is (RFC 5545 RECURRENCE-ID copies and
 * exports that repeat an event must not end an embargo early). Returns 0 or -1
 * out of memory. Only before the snapshot is shared.
 */
int em_caldata_add(struct em_caldata *c, const char *uid, time_t start, bool cancelled,
		   const char *summary);

/*
 * Carries the later times of an older snapshot into c (a new version of the
 * file, not yet shared): an event of old that c lacks is kept as it was, and
 * an event whose start moved earlier keeps old's start. So a calendar can
 * postpone a release while the daemon runs but never advance it, even when
 * the file is caught half-written or an event is deleted; a reload of the
 * daemon starts afresh. STATUS comes from c. Returns 0 or -1 out of memory.
 */
int em_caldata_keep_later(struct em_caldata *c, const struct em_caldata *old);

/* The event with this UID, or NULL. The pointer lives as long as c. */
const struct em_cal_event *em_caldata_find(const struct em_caldata *c, const char *uid);

size_t em_caldata_count(const struct em_caldata *c);

/* Reference counting (thread-safe); unref frees at zero and accepts NULL. */
struct em_caldata *em_caldata_ref(struct em_caldata *c);
void em_caldata_unref(struct em_caldata *c);

enum em_cal_state {
	EM_CAL_NONE = 0,  /* not linked, no calendar, or UID not in it: publish_at applies */
	EM_CAL_SAME,	  /* DTSTART equals publish_at */
	EM_CAL_POSTPONED, /* DTSTART later: it applies */
	EM_CAL_EARLIER,	  /* DTSTART earlier: ignored (warning) */
	EM_CAL_CANCELLED, /* embargo kept with no end */
};

/*
 * The publication time that applies to a release with publish_at and
 * calendar_uid uid (NULL: not linked) under snapshot c (NULL: none). Writes
 * the effective time to *effective and returns the state that explains it.
 */
enum em_cal_state em_caldata_effective(const struct em_caldata *c, const char *uid,
				       time_t publish_at, time_t *effective);

#endif
