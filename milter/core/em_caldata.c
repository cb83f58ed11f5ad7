/*
 * em_caldata - release calendar snapshot (see em_caldata.h). libc only.
 * Calendars hold hundreds of events: a sorted array would do, a linear
 * search does too at the one lookup per linked release per message.
 */
#include "em_caldata.h"

#include <stdlib.h>
#include <string.h>

struct em_caldata {
	struct em_cal_event *v;
	size_t n;
	unsigned refs; /* __atomic */
};

struct em_caldata *em_caldata_new(void)
{
	struct em_caldata *c = calloc(1, sizeof(*c));

	if (c)
		c->refs = 1;
	return c;
}

static struct em_cal_event *find(const struct em_caldata *c, const char *uid)
{
	for (size_t i = 0; c && uid && i < c->n; i++)
		if (strcmp(c->v[i].uid, uid) == 0)
			return &c->v[i];
	return NULL;
}

int em_caldata_add(struct em_caldata *c, const char *uid, time_t start, bool cancelled,
		   const char *summary)
{
	struct em_cal_event *e = find(c, uid), *v;

	if (e != NULL) {
		if (start > e->start)
			e->start = start;
		e->cancelled = e->cancelled && cancelled;
		return 0;
	}
	v = realloc(c->v, (c->n + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	c->v = v;
	e = &v[c->n];
	memset(e, 0, sizeof(*e));
	e->uid = strdup(uid);
	e->summary = summary ? strdup(summary) : NULL;
	if (e->uid == NULL || (summary && e->summary == NULL)) {
		free(e->uid);
		free(e->summary);
		return -1;
	}
	e->start = start;
	e->cancelled = cancelled;
	c->n++;
	return 0;
}

int em_caldata_keep_later(struct em_caldata *c, const struct em_caldata *old)
{
	for (size_t i = 0; old && i < old->n; i++) {
		const struct em_cal_event *o = &old->v[i];
		struct em_cal_event *e = find(c, o->uid);

		if (e == NULL) {
			if (em_caldata_add(c, o->uid, o->start, o->cancelled, o->summary) < 0)
				return -1;
		} else if (o->start > e->start) {
			e->start = o->start;
		}
	}
	return 0;
}

const struct em_cal_event *em_caldata_find(const struct em_caldata *c, const char *uid)
{
	return find(c, uid);
}

size_t em_caldata_count(const struct em_caldata *c)
{
	return c ? c->n : 0;
}

struct em_caldata *em_caldata_ref(struct em_caldata *c)
{
	if (c)
		__atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
	return c;
}

void em_caldata_unref(struct em_caldata *c)
{
	if (c == NULL || __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].uid);
		free(c->v[i].summary);
	}
	free(c->v);
	free(c);
}

enum em_cal_state em_caldata_effective(const struct em_caldata *c, const char *uid,
				       time_t publish_at, time_t *effective)
{
	const struct em_cal_event *e = uid ? find(c, uid) : NULL;

	*effective = publish_at;
	if (e == NULL)
		return EM_CAL_NONE;
	if (e->cancelled) {
		*effective = EM_CAL_NEVER;
		return EM_CAL_CANCELLED;
	}
	if (e->start > publish_at) {
		*effective = e->start;
		return EM_CAL_POSTPONED;
	}
	return e->start < publish_at ? EM_CAL_EARLIER : EM_CAL_SAME;
}
