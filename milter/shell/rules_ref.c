/*
 * rules_ref - reference-counted current rule set (see rules_ref.h). One
 * mutex guards the pointer and every count: acquisitions happen once per
 * message, far too rarely for contention to matter.
 */
#include "rules_ref.h"

#include <stdlib.h>

static struct em_rset *rset_new(void *obj, void (*free_fn)(void *))
{
	struct em_rset *s = malloc(sizeof(*s));

	if (s == NULL)
		return NULL;
	s->refs = 1; /* the holder's reference */
	s->obj = obj;
	s->free_fn = free_fn;
	return s;
}

static void rset_free(struct em_rset *s)
{
	if (s->free_fn != NULL)
		s->free_fn(s->obj);
	free(s);
}

int em_rules_ref_init(struct em_rules_ref *r, void *obj, void (*free_fn)(void *obj))
{
	if (pthread_mutex_init(&r->mu, NULL) != 0)
		return -1;
	r->free_fn = free_fn;
	r->cur = rset_new(obj, free_fn);
	if (r->cur == NULL) {
		pthread_mutex_destroy(&r->mu);
		return -1;
	}
	return 0;
}

struct em_rset *em_rules_ref_acquire(struct em_rules_ref *r)
{
	struct em_rset *s;

	pthread_mutex_lock(&r->mu);
	s = r->cur;
	if (s != NULL)
		s->refs++;
	pthread_mutex_unlock(&r->mu);
	return s;
}

void em_rules_ref_release(struct em_rules_ref *r, struct em_rset *s)
{
	unsigned long left;

	if (s == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	left = --s->refs;
	pthread_mutex_unlock(&r->mu);
	if (left == 0)
		rset_free(s);
}

int em_rules_ref_swap(struct em_rules_ref *r, void *obj)
{
	struct em_rset *s = rset_new(obj, r->free_fn), *old;

	if (s == NULL)
		return -1;
	pthread_mutex_lock(&r->mu);
	old = r->cur;
	r->cur = s;
	pthread_mutex_unlock(&r->mu);
	em_rules_ref_release(r, old);
	return 0;
}

void em_rules_ref_destroy(struct em_rules_ref *r)
{
	struct em_rset *old;

	pthread_mutex_lock(&r->mu);
	old = r->cur;
	r->cur = NULL;
	pthread_mutex_unlock(&r->mu);
	/* the mutex stays: late releases of in-flight sets still use it */
	em_rules_ref_release(r, old);
}
