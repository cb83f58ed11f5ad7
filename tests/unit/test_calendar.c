/*
 * Unit tests for the release calendar: the iCalendar reader (RFC 5545 line
 * folding, UTC / TZID / floating / DATE forms, a VTIMEZONE of the file, the
 * IANA zone otherwise, summer and winter time, STATUS:CANCELLED, repeated
 * UIDs, errors), the effective publication rule (postponed, earlier,
 * cancelled) and the file watcher (re-read on change, rate limit through the
 * caller's clock, a bad or vanished file keeps the last good version, a
 * calendar never moves a release earlier). No test depends on the real clock.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "em_caldata.h"
#include "em_calendar.h"
#include "em_time.h"

static time_t utc(const char *s)
{
	time_t t;

	assert_int_equal(em_time_parse(s, "UTC", &t, NULL, 0), 0);
	return t;
}

#define HEAD "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
#define TAIL "END:VCALENDAR\r\n"

static struct em_caldata *parse_ok(const char *text, const char *tz)
{
	char err[256] = "";
	struct em_caldata *c = em_calendar_parse(text, tz, err, sizeof(err));

	if (c == NULL)
		fprintf(stderr, "parse failed: %s\n", err);
	assert_non_null(c);
	return c;
}

static void test_folded_lines_are_joined(void **state)
{
	/* RFC 5545 3.1: CRLF followed by one space or tab continues the line. */
	struct em_caldata *c =
	    parse_ok(HEAD "BEGIN:VEVENT\r\n"
			  "UID:household-income-2026@stats.exam\r\n"
			  " ple.gov.uk\r\n"
			  "DTSTART:20261119T093000Z\r\n"
			  "SUMMARY:Household income\\, UK: financial year ending\r\n"
			  "\t 2026\r\n"
			  "END:VEVENT\r\n" TAIL,
		     NULL);
	const struct em_cal_event *e =
	    em_caldata_find(c, "household-income-2026@stats.example.gov.uk");

	assert_non_null(e);
	assert_int_equal(e->start, utc("2026-11-19 09:30"));
	assert_string_equal(e->summary, "Household income, UK: financial year ending 2026");
	em_caldata_unref(c);
}

static void test_tzid_with_vtimezone_of_the_file_applies_summer_and_winter_time(void **state)
{
	/* Outlook names its zones itself and ships the rules as a VTIMEZONE. */
	struct em_caldata *c = parse_ok(
	    HEAD "BEGIN:VTIMEZONE\r\nTZID:GMT Standard Time\r\n"
		 "BEGIN:STANDARD\r\nDTSTART:16011028T020000\r\n"
		 "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
		 "TZOFFSETFROM:+0100\r\nTZOFFSETTO:-0000\r\nEND:STANDARD\r\n"
		 "BEGIN:DAYLIGHT\r\nDTSTART:16010325T010000\r\n"
		 "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
		 "TZOFFSETFROM:-0000\r\nTZOFFSETTO:+0100\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
		 "BEGIN:VEVENT\r\nUID:summer\r\nDTSTART;TZID=GMT Standard Time:20260610T093000\r\n"
		 "END:VEVENT\r\n"
		 "BEGIN:VEVENT\r\nUID:winter\r\nDTSTART;TZID=GMT Standard Time:20261119T093000\r\n"
		 "END:VEVENT\r\n" TAIL,
	    NULL);

	assert_int_equal(em_caldata_find(c, "summer")->start, utc("2026-06-10 08:30"));
	assert_int_equal(em_caldata_find(c, "winter")->start, utc("2026-11-19 09:30"));
	em_caldata_unref(c);
}

static void test_tzid_without_vtimezone_uses_the_iana_zone(void **state)
{
	struct em_caldata *c = parse_ok(
	    HEAD "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/London:20260610T093000\r\n"
		 "END:VEVENT\r\n"
		 "BEGIN:VEVENT\r\nUID:b\r\nDTSTART;TZID=Europe/London:20261119T093000\r\n"
		 "END:VEVENT\r\n"
		 /* the Sunday the clocks go back: 01:30 BST is 00:30 UTC */
		 "BEGIN:VEVENT\r\nUID:c\r\nDTSTART;TZID=Europe/London:20261025T003000\r\n"
		 "END:VEVENT\r\n"
		 "BEGIN:VEVENT\r\nUID:d\r\nDTSTART;TZID=America/New_York:20261119T093000\r\n"
		 "END:VEVENT\r\n" TAIL,
	    NULL);

	assert_int_equal(em_caldata_find(c, "a")->start, utc("2026-06-10 08:30"));
	assert_int_equal(em_caldata_find(c, "b")->start, utc("2026-11-19 09:30"));
	assert_int_equal(em_caldata_find(c, "c")->start, utc("2026-10-24 23:30"));
	assert_int_equal(em_caldata_find(c, "d")->start, utc("2026-11-19 14:30"));
	em_caldata_unref(c);
}

static void test_floating_time_and_date_are_read_in_the_configured_zone(void **state)
{
	struct em_caldata *c = parse_ok(
	    HEAD "BEGIN:VEVENT\r\nUID:float\r\nDTSTART:20260610T093000\r\nEND:VEVENT\r\n"
		 "BEGIN:VEVENT\r\nUID:day\r\nDTSTART;VALUE=DATE:20261119\r\nEND:VEVENT\r\n" TAIL,
	    "Europe/London");

	assert_int_equal(em_caldata_find(c, "float")->start, utc("2026-06-10 08:30"));
	assert_int_equal(em_caldata_find(c, "day")->start, utc("2026-11-19 00:00"));
	em_caldata_unref(c);
}

static void test_cancelled_and_repeated_uids(void **state)
{
	struct em_caldata *c = parse_ok(
	    HEAD "BEGIN:VEVENT\r\nUID:gone\r\nDTSTART:20261119T093000Z\r\nSTATUS:CANCELLED\r\n"
		 "END:VEVENT\r\n"
		 "BEGIN:VEVENT\r\nUID:twice\r\nDTSTART:20261119T093000Z\r\nSTATUS:CANCELLED\r\n"
		 "END:VEVENT\r\n"
		 "BEGIN:VEVENT\r\nUID:twice\r\nDTSTART:20261126T093000Z\r\nSTATUS:CONFIRMED\r\n"
		 "END:VEVENT\r\n"
		 "BEGIN:VEVENT\r\nSUMMARY:no uid\r\nDTSTART:20261119T093000Z\r\nEND:VEVENT\r\n"
		 "BEGIN:VEVENT\r\nUID:no-start\r\nEND:VEVENT\r\n" TAIL,
	    NULL);

	assert_true(em_caldata_find(c, "gone")->cancelled);
	/* a repeated UID keeps the later start and is cancelled only if every copy is */
	assert_false(em_caldata_find(c, "twice")->cancelled);
	assert_int_equal(em_caldata_find(c, "twice")->start, utc("2026-11-26 09:30"));
	assert_null(em_caldata_find(c, "no-start"));
	assert_int_equal(em_caldata_count(c), 2);
	em_caldata_unref(c);
}

static void test_errors_refuse_the_file(void **state)
{
	char err[256];

	assert_null(em_calendar_parse("this is not a calendar\n", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "not an iCalendar file"));
	assert_null(em_calendar_parse(HEAD "BEGIN:VEVENT\r\nUID:x\r\n"
					   "DTSTART;TZID=Mars/Olympus:20261119T093000\r\n"
					   "END:VEVENT\r\n" TAIL,
				      NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "event x: DTSTART;TZID=Mars/Olympus: no such time zone"));
}

static void test_effective_publication_rule(void **state)
{
	struct em_caldata *c = em_caldata_new();
	time_t pub = utc("2026-11-19 09:30"), eff;

	assert_int_equal(em_caldata_add(c, "same", pub, false, NULL), 0);
	assert_int_equal(em_caldata_add(c, "later", pub + 7 * 86400, false, NULL), 0);
	assert_int_equal(em_caldata_add(c, "earlier", pub - 86400, false, NULL), 0);
	assert_int_equal(em_caldata_add(c, "cancelled", pub, true, NULL), 0);
	assert_int_equal(em_caldata_effective(c, NULL, pub, &eff), EM_CAL_NONE);
	assert_int_equal(eff, pub);
	assert_int_equal(em_caldata_effective(NULL, "same", pub, &eff), EM_CAL_NONE);
	assert_int_equal(em_caldata_effective(c, "unknown", pub, &eff), EM_CAL_NONE);
	assert_int_equal(em_caldata_effective(c, "same", pub, &eff), EM_CAL_SAME);
	assert_int_equal(em_caldata_effective(c, "later", pub, &eff), EM_CAL_POSTPONED);
	assert_int_equal(eff, pub + 7 * 86400);
	assert_int_equal(em_caldata_effective(c, "earlier", pub, &eff), EM_CAL_EARLIER);
	assert_int_equal(eff, pub);
	assert_int_equal(em_caldata_effective(c, "cancelled", pub, &eff), EM_CAL_CANCELLED);
	assert_int_equal(eff, EM_CAL_NEVER);
	em_caldata_unref(c);
}

static void test_keep_later_never_moves_earlier_nor_forgets(void **state)
{
	struct em_caldata *old = em_caldata_new(), *neu = em_caldata_new();

	assert_int_equal(em_caldata_add(old, "a", 2000, false, NULL), 0);
	assert_int_equal(em_caldata_add(old, "b", 2000, false, NULL), 0);
	assert_int_equal(em_caldata_add(old, "c", 2000, false, NULL), 0);
	assert_int_equal(em_caldata_add(neu, "a", 1000, false, NULL), 0); /* moved earlier */
	assert_int_equal(em_caldata_add(neu, "c", 3000, true, NULL), 0);  /* later, cancelled */
	assert_int_equal(em_caldata_keep_later(neu, old), 0);
	assert_int_equal(em_caldata_find(neu, "a")->start, 2000);
	assert_int_equal(em_caldata_find(neu, "b")->start, 2000); /* deleted: kept */
	assert_int_equal(em_caldata_find(neu, "c")->start, 3000);
	assert_true(em_caldata_find(neu, "c")->cancelled);
	em_caldata_unref(old);
	em_caldata_unref(neu);
}

/* ---- watcher: the file's versions are told apart by mtime set explicitly */

static void write_cal(const char *path, const char *dtstart, long mtime)
{
	FILE *f = fopen(path, "w");
	struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};

	assert_non_null(f);
	fprintf(f, HEAD "BEGIN:VEVENT\r\nUID:rel\r\nDTSTART:%s\r\nEND:VEVENT\r\n" TAIL, dtstart);
	fclose(f);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static time_t start_of(struct em_calwatch *w, time_t now, int *reread, char *err)
{
	struct em_caldata *c = em_calwatch_get(w, now, err, 256, reread);
	time_t t;

	assert_non_null(c);
	t = em_caldata_find(c, "rel")->start;
	em_caldata_unref(c);
	return t;
}

static void test_watcher_rereads_on_change_and_keeps_the_last_good_version(void **state)
{
	char dir[] = "/tmp/em-cal-test-XXXXXX", path[64], err[256];
	struct em_calwatch *w;
	int reread;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/calendar.ics", dir);
	w = em_calwatch_new(path, "UTC", 60);
	assert_non_null(w);
	/* no file yet: no snapshot, and a reason */
	assert_null(em_calwatch_get(w, 1000, err, sizeof(err), &reread));
	assert_non_null(strstr(err, "No such file"));

	write_cal(path, "20261119T093000Z", 1700000000);
	/* within the interval the file is not looked at */
	assert_null(em_calwatch_get(w, 1030, err, sizeof(err), &reread));
	assert_int_equal(start_of(w, 1060, &reread, err), utc("2026-11-19 09:30"));
	assert_int_equal(reread, 1);
	assert_int_equal(start_of(w, 1120, &reread, err), utc("2026-11-19 09:30"));
	assert_int_equal(reread, 0); /* unchanged: not parsed again */

	write_cal(path, "20261126T093000Z", 1700000100); /* postponed */
	assert_int_equal(start_of(w, 1150, &reread, err), utc("2026-11-19 09:30"));
	assert_int_equal(start_of(w, 1180, &reread, err), utc("2026-11-26 09:30"));
	assert_int_equal(reread, 1);

	write_cal(path, "20261112T093000Z", 1700000200); /* moved earlier: not applied */
	assert_int_equal(start_of(w, 1240, &reread, err), utc("2026-11-26 09:30"));

	{
		FILE *f = fopen(path, "w"); /* a broken version */
		struct timespec ts[2] = {{1700000300, 0}, {1700000300, 0}};

		assert_non_null(f);
		fputs("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:rel\r\nDTSTART;TZID=Nowhere/"
		      "X:20261201T093000"
		      "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		      f);
		fclose(f);
		assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
	assert_int_equal(start_of(w, 1300, &reread, err), utc("2026-11-26 09:30"));
	assert_non_null(strstr(err, "no such time zone"));
	assert_int_equal(start_of(w, 1360, &reread, err), utc("2026-11-26 09:30"));
	assert_string_equal(err, ""); /* said once per bad version */

	assert_int_equal(unlink(path), 0);
	assert_int_equal(start_of(w, 1420, &reread, err), utc("2026-11-26 09:30"));
	assert_non_null(strstr(err, "No such file"));
	em_calwatch_free(w);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_folded_lines_are_joined),
	    cmocka_unit_test(test_tzid_with_vtimezone_of_the_file_applies_summer_and_winter_time),
	    cmocka_unit_test(test_tzid_without_vtimezone_uses_the_iana_zone),
	    cmocka_unit_test(test_floating_time_and_date_are_read_in_the_configured_zone),
	    cmocka_unit_test(test_cancelled_and_repeated_uids),
	    cmocka_unit_test(test_errors_refuse_the_file),
	    cmocka_unit_test(test_effective_publication_rule),
	    cmocka_unit_test(test_keep_later_never_moves_earlier_nor_forgets),
	    cmocka_unit_test(test_watcher_rereads_on_change_and_keeps_the_last_good_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
