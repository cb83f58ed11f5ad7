/*
 * workbench - PRA history on load and the watched release calendar (see
 * workbench.h). Shell code: logs.
 */
#include "workbench.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "../adapt/em_calendar.h"
#include "../adapt/em_prahist.h"
#include "../core/em_time.h"
#include "log.h"

#define CALENDAR_INTERVAL 1 /* seconds between two looks at the calendar file */

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct em_calwatch *watch;

/* Logs how the calendar bears on each linked release (as `embargoctl check` shows it). */
static void log_calendar(const struct em_config *cfg, const struct em_caldata *cal)
{
	for (size_t i = 0; i < cfg->nreleases; i++) {
		const struct em_release_src *r = &cfg->releases[i];
		char a[64], b[64];
		time_t eff;
		enum em_cal_state st;

		if (r->calendar_uid == NULL)
			continue;
		st = em_caldata_effective(cal, r->calendar_uid, r->publish_at, &eff);
		em_time_format_local(r->publish_at, cfg->timezone, a, sizeof(a));
		if (cal == NULL || st == EM_CAL_NONE) {
			em_log(LOG_WARNING,
			       "release %s: calendar_uid %s not in the calendar: publish_at %s "
			       "applies",
			       r->id, r->calendar_uid, a);
		} else if (st == EM_CAL_POSTPONED) {
			em_time_format_local(eff, cfg->timezone, b, sizeof(b));
			em_log(LOG_INFO,
			       "release %s: postponed in the calendar to %s (publish_at %s): the "
			       "later applies",
			       r->id, b, a);
		} else if (st == EM_CAL_EARLIER) {
			const struct em_cal_event *e = em_caldata_find(cal, r->calendar_uid);
			em_time_format_local(e->start, cfg->timezone, b, sizeof(b));
			em_log(LOG_WARNING,
			       "release %s: the calendar says %s, earlier than publish_at %s: "
			       "publish_at applies (edit the rule to publish earlier)",
			       r->id, b, a);
		} else if (st == EM_CAL_CANCELLED) {
			em_log(LOG_WARNING,
			       "release %s: cancelled in the calendar: the embargo is kept", r->id);
		}
	}
}

void em_workbench_loaded(const struct em_config *cfg)
{
	char err[512];
	char *state = em_prahist_state_path(cfg);
	size_t n = 0;

	if (state == NULL) {
		em_log(LOG_ERR, "PRA history: out of memory");
	} else {
		if (em_prahist_record(cfg, state, cfg->audit_log, time(NULL), &n, err,
				      sizeof(err)) < 0)
			em_log(LOG_ERR, "PRA history not recorded: %s", err);
		else if (n > 0)
			em_log(LOG_INFO, "PRA lists: %zu change(s) written to %s", n,
			       cfg->audit_log);
		free(state);
	}

	pthread_mutex_lock(&watch_lock);
	em_calwatch_free(watch);
	watch = NULL;
	if (cfg->calendar != NULL &&
	    (watch = em_calwatch_new(cfg->calendar, cfg->timezone, CALENDAR_INTERVAL)) == NULL)
		em_log(LOG_ERR, "calendar %s: out of memory: not watched", cfg->calendar);
	pthread_mutex_unlock(&watch_lock);
	if (cfg->calendar != NULL) {
		struct em_caldata *cal = em_workbench_calendar();

		log_calendar(cfg, cal);
		em_caldata_unref(cal);
	}
}

struct em_caldata *em_workbench_calendar(void)
{
	struct em_caldata *cal = NULL;
	char err[512];
	int reread = 0;

	pthread_mutex_lock(&watch_lock);
	if (watch != NULL) {
		cal = em_calwatch_get(watch, time(NULL), err, sizeof(err), &reread);
		if (err[0])
			em_log(LOG_ERR, "calendar: %s; %s", err,
			       cal ? "the version read before stays in force"
				   : "no calendar: each rule's publish_at applies");
		else if (reread)
			em_log(LOG_INFO, "calendar %s read: %zu event(s)", em_calwatch_path(watch),
			       em_caldata_count(cal));
	}
	pthread_mutex_unlock(&watch_lock);
	return cal;
}

void em_workbench_close(void)
{
	pthread_mutex_lock(&watch_lock);
	em_calwatch_free(watch);
	watch = NULL;
	pthread_mutex_unlock(&watch_lock);
}
