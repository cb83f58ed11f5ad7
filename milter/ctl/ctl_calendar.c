/*
 * ctl_calendar - the release calendar in embargoctl: `scan` and `test`
 * decide with it exactly as the daemon does, and `check` shows, for each
 * release linked by calendar_uid, both times and which one applies, with a
 * warning whenever they disagree. Shell code: prints.
 */
#include <stdio.h>
#include <time.h>

#include "../adapt/em_calendar.h"
#include "../core/em_time.h"
#include "ctl.h"

struct em_caldata *em_ctl_calendar(const struct em_config *cfg)
{
	char err[512];
	struct em_caldata *cal;

	if (cfg->calendar == NULL)
		return NULL;
	cal = em_calendar_load(cfg->calendar, cfg->timezone, err, sizeof(err));
	if (cal == NULL)
		fprintf(stderr, "warning: calendar %s; each rule's publish_at applies\n", err);
	return cal;
}

size_t em_ctl_check_calendar(const struct em_config *cfg)
{
	struct em_caldata *cal = NULL;
	size_t warnings = 0;
	char err[512];

	if (cfg->calendar != NULL) {
		cal = em_calendar_load(cfg->calendar, cfg->timezone, err, sizeof(err));
		if (cal == NULL) {
			printf(
			    "warning: calendar %s: releases linked to it keep their publish_at\n",
			    err);
			warnings++;
		} else {
			printf("calendar %s: %zu event(s)\n", cfg->calendar, em_caldata_count(cal));
		}
	}
	for (size_t i = 0; i < cfg->nreleases; i++) {
		const struct em_release_src *r = &cfg->releases[i];
		const struct em_cal_event *e;
		char a[64], b[64];
		time_t eff;
		enum em_cal_state st;

		if (r->calendar_uid == NULL)
			continue;
		em_time_format_local(r->publish_at, cfg->timezone, a, sizeof(a));
		if (cfg->calendar == NULL) {
			printf("warning: %s:%d: release %s has calendar_uid but no `calendar` is "
			       "configured: publish_at %s applies\n",
			       r->file, r->line, r->id, a);
			warnings++;
			continue;
		}
		if (cal == NULL)
			continue;
		st = em_caldata_effective(cal, r->calendar_uid, r->publish_at, &eff);
		e = em_caldata_find(cal, r->calendar_uid);
		if (e != NULL)
			em_time_format_local(e->start, cfg->timezone, b, sizeof(b));
		switch (st) {
		case EM_CAL_NONE:
			printf("warning: %s:%d: release %s: calendar_uid \"%s\" is not in the "
			       "calendar: "
			       "publish_at %s applies\n",
			       r->file, r->line, r->id, r->calendar_uid, a);
			warnings++;
			break;
		case EM_CAL_SAME:
			printf("release %s: publish_at %s, calendar %s: agree\n", r->id, a, b);
			break;
		case EM_CAL_POSTPONED:
			printf("warning: release %s: publish_at %s, calendar %s: postponed, the "
			       "calendar's "
			       "later time applies (update publish_at)\n",
			       r->id, a, b);
			warnings++;
			break;
		case EM_CAL_EARLIER:
			printf("warning: %s:%d: release %s: publish_at %s, calendar %s: the "
			       "calendar is "
			       "EARLIER; publish_at still applies (never brought forward "
			       "automatically: "
			       "edit publish_at if the release really moved)\n",
			       r->file, r->line, r->id, a, b);
			warnings++;
			break;
		case EM_CAL_CANCELLED:
			printf("warning: release %s: publish_at %s, calendar: CANCELLED; the "
			       "embargo is "
			       "kept until the rule is changed\n",
			       r->id, a);
			warnings++;
			break;
		}
	}
	em_caldata_unref(cal);
	return warnings;
}
