/*
 * test_rules_ref - the reference-counted rule set holder
 * (milter/shell/rules_ref.c, included: unit tests link only libemcore).
 * A reload never frees rules under a message in flight, and every set is
 * freed exactly once.
 */
#include "../../milter/shell/rules_ref.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* clang-format off: cmocka.h needs the headers above first */
#include <cmocka.h>
/* clang-format on */
#include <string.h>

struct obj {
	int id;
	int *freed; /* incremented on free */
};

static void obj_free(void *p)
{
	struct obj *o = p;

	(*o->freed)++;
	free(o);
}

static struct obj *obj_new(int id, int *freed)
{
	struct obj *o = malloc(sizeof(*o));

	assert_non_null(o);
	o->id = id;
	o->freed = freed;
	return o;
}

static void test_message_keeps_its_rules_across_a_reload(void **state)
{
	struct em_rules_ref r;
	int freed_a = 0, freed_b = 0;
	struct em_rset *msg, *next;

	assert_int_equal(em_rules_ref_init(&r, obj_new(1, &freed_a), obj_free), 0);
	msg = em_rules_ref_acquire(&r);
	assert_int_equal(((struct obj *)msg->obj)->id, 1);
	assert_int_equal(em_rules_ref_swap(&r, obj_new(2, &freed_b)), 0);
	/* the message in flight still sees set 1 */
	assert_int_equal(freed_a, 0);
	assert_int_equal(((struct obj *)msg->obj)->id, 1);
	next = em_rules_ref_acquire(&r);
	assert_int_equal(((struct obj *)next->obj)->id, 2);
	em_rules_ref_release(&r, msg);
	assert_int_equal(freed_a, 1); /* its last message ended */
	em_rules_ref_release(&r, next);
	assert_int_equal(freed_b, 0); /* still current */
	em_rules_ref_destroy(&r);
	assert_int_equal(freed_b, 1);
	pthread_mutex_destroy(&r.mu);
}

static void test_set_without_messages_is_freed_at_swap(void **state)
{
	struct em_rules_ref r;
	int freed_a = 0, freed_b = 0;

	assert_int_equal(em_rules_ref_init(&r, obj_new(1, &freed_a), obj_free), 0);
	assert_int_equal(em_rules_ref_swap(&r, obj_new(2, &freed_b)), 0);
	assert_int_equal(freed_a, 1);
	em_rules_ref_destroy(&r);
	assert_int_equal(freed_b, 1);
	pthread_mutex_destroy(&r.mu);
}

static void test_destroy_waits_for_messages_in_flight(void **state)
{
	struct em_rules_ref r;
	int freed = 0;
	struct em_rset *msg;

	assert_int_equal(em_rules_ref_init(&r, obj_new(1, &freed), obj_free), 0);
	msg = em_rules_ref_acquire(&r);
	em_rules_ref_destroy(&r);
	assert_int_equal(freed, 0);
	em_rules_ref_release(&r, msg);
	assert_int_equal(freed, 1);
	em_rules_ref_release(&r, NULL); /* accepted */
	pthread_mutex_destroy(&r.mu);
}

struct race {
	struct em_rules_ref *r;
	int rounds;
};

static void *messages(void *p)
{
	struct race *rc = p;

	for (int i = 0; i < rc->rounds; i++) {
		struct em_rset *s = em_rules_ref_acquire(rc->r);

		/* touching the object after the swap must be safe */
		assert_true(((struct obj *)s->obj)->id >= 0);
		em_rules_ref_release(rc->r, s);
	}
	return NULL;
}

static void test_concurrent_messages_and_reloads_free_every_set_once(void **state)
{
	enum { SWAPS = 2000, THREADS = 4 };
	struct em_rules_ref r;
	static int freed[SWAPS + 1];
	pthread_t t[THREADS];
	struct race rc = {&r, 20000};
	int total = 0;

	memset(freed, 0, sizeof(freed));
	assert_int_equal(em_rules_ref_init(&r, obj_new(0, &freed[0]), obj_free), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, messages, &rc), 0);
	for (int i = 1; i <= SWAPS; i++)
		assert_int_equal(em_rules_ref_swap(&r, obj_new(i, &freed[i])), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	em_rules_ref_destroy(&r);
	for (int i = 0; i <= SWAPS; i++) {
		assert_int_equal(freed[i], 1);
		total += freed[i];
	}
	assert_int_equal(total, SWAPS + 1);
	pthread_mutex_destroy(&r.mu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_message_keeps_its_rules_across_a_reload),
	    cmocka_unit_test(test_set_without_messages_is_freed_at_swap),
	    cmocka_unit_test(test_destroy_waits_for_messages_in_flight),
	    cmocka_unit_test(test_concurrent_messages_and_reloads_free_every_set_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
