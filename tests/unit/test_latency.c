/*
 * Unit tests for em_latency: every value's bucket bounds it within 12.5 %,
 * quantiles of known distributions, the maximum caps a quantile, concurrent
 * adds are all counted.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "em_latency.h"

static void empty_is_zero(void **state)
{
	static struct em_latency l;

	assert_int_equal(em_latency_total(&l), 0);
	assert_int_equal(em_latency_quantile(&l, 0.5), 0);
}

/* One value alone: its quantile is the value itself (the exact max caps the
 * bucket's top). Two values: the smaller one's bucket top bounds it within
 * 1/8 and is never below it. */
static void bucket_bounds(void **state)
{
	uint64_t v, big = 1ull << 50;

	for (v = 0; v < 5000000; v = v < 40 ? v + 1 : v + v / 7 + 1) {
		struct em_latency l;
		uint64_t q;

		memset(&l, 0, sizeof(l));
		em_latency_add(&l, v);
		assert_int_equal(em_latency_quantile(&l, 0.5), v);
		em_latency_add(&l, big); /* raises max: the bucket top shows */
		q = em_latency_quantile(&l, 0.5);
		if (q < v || (double)q > (double)v * 1.125 + 1)
			fail_msg("value %llu reported as %llu", (unsigned long long)v,
				 (unsigned long long)q);
	}
}

static void uniform_quantiles(void **state)
{
	static struct em_latency l;
	uint64_t p50, p99;

	for (uint64_t v = 1; v <= 1000; v++)
		em_latency_add(&l, v);
	assert_int_equal(em_latency_total(&l), 1000);
	p50 = em_latency_quantile(&l, 0.5);
	p99 = em_latency_quantile(&l, 0.99);
	assert_true(p50 >= 500 && p50 <= 563);
	assert_true(p99 >= 990 && p99 <= 1000); /* capped by the exact max */
	assert_int_equal(em_latency_quantile(&l, 1.0), 1000);
	/* out-of-range q is clamped, not an error */
	assert_int_equal(em_latency_quantile(&l, 7.0), 1000);
	assert_int_equal(em_latency_quantile(&l, -1.0), 1);
}

static void huge_values_counted(void **state)
{
	static struct em_latency l;

	em_latency_add(&l, UINT64_MAX);
	em_latency_add(&l, 3);
	assert_int_equal(em_latency_total(&l), 2);
	assert_int_equal(em_latency_quantile(&l, 0.5), 3);
	assert_true(em_latency_quantile(&l, 1.0) > (1ull << 40));
}

static struct em_latency shared;

static void *adder(void *arg)
{
	uint64_t base = (uint64_t)(uintptr_t)arg;

	for (uint64_t i = 0; i < 20000; i++)
		em_latency_add(&shared, base + i % 977);
	return NULL;
}

static void concurrent_adds(void **state)
{
	pthread_t t[4];

	for (uintptr_t i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, adder, (void *)(i * 1000)), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(em_latency_total(&shared), 80000);
	assert_int_equal(em_latency_quantile(&shared, 1.0), 3000 + 976);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(empty_is_zero),	 cmocka_unit_test(bucket_bounds),
	    cmocka_unit_test(uniform_quantiles), cmocka_unit_test(huge_values_counted),
	    cmocka_unit_test(concurrent_adds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
