/*
 * em_latency - log-linear duration histogram; see em_latency.h.
 */
#include "em_latency.h"

#include <math.h>
#include <stdbool.h>

/* The bucket of us: exact below 16, then 8 sub-buckets per power of two. */
static unsigned bucket_of(uint64_t us)
{
	unsigned e;

	if (us < 16)
		return (unsigned)us;
	e = 63u - (unsigned)__builtin_clzll(us); /* 2^e <= us < 2^(e+1), e >= 4 */
	if (e > 40)
		return EM_LATENCY_BUCKETS - 1;
	return 16 + (e - 4) * 8 + (unsigned)((us >> (e - 3)) & 7);
}

/* The largest value that falls in bucket b. */
static uint64_t bucket_top(unsigned b)
{
	unsigned e, sub;

	if (b < 16)
		return b;
	e = (b - 16) / 8 + 4;
	sub = (b - 16) % 8;
	return ((uint64_t)(8 + sub + 1) << (e - 3)) - 1;
}

void em_latency_add(struct em_latency *l, uint64_t us)
{
	uint64_t m = __atomic_load_n(&l->max_us, __ATOMIC_RELAXED);

	__atomic_add_fetch(&l->count[bucket_of(us)], 1, __ATOMIC_RELAXED);
	while (us > m && !__atomic_compare_exchange_n(&l->max_us, &m, us, true, __ATOMIC_RELAXED,
						      __ATOMIC_RELAXED))
		;
}

uint64_t em_latency_total(const struct em_latency *l)
{
	uint64_t n = 0;

	for (unsigned b = 0; b < EM_LATENCY_BUCKETS; b++)
		n += __atomic_load_n(&l->count[b], __ATOMIC_RELAXED);
	return n;
}

uint64_t em_latency_quantile(const struct em_latency *l, double q)
{
	uint64_t total = em_latency_total(l), rank, seen = 0, top;
	uint64_t max = __atomic_load_n(&l->max_us, __ATOMIC_RELAXED);

	if (total == 0)
		return 0;
	if (!(q > 0))
		q = 0;
	if (q > 1)
		q = 1;
	rank = (uint64_t)ceil(q * (double)total);
	if (rank == 0)
		rank = 1;
	for (unsigned b = 0; b < EM_LATENCY_BUCKETS; b++) {
		seen += __atomic_load_n(&l->count[b], __ATOMIC_RELAXED);
		if (seen >= rank) {
			top = bucket_top(b);
			return top < max ? top : max;
		}
	}
	return max;
}
