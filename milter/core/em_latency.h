/*
 * em_latency - a lock-free histogram of durations, for the decision time the
 * daemon reports in `embargoctl status` (end of data to the milter's reply).
 *
 * Buckets are log-linear, as in HdrHistogram (Gil Tene, "HdrHistogram: a
 * high dynamic range histogram"): values below 16 us have a bucket each;
 * above, every power of two is split into 8 equal sub-buckets, so a reported
 * quantile is the upper bound of its bucket and overstates the true value by
 * at most 12.5 %. Durations up to 2^40 us (about 12 days) are counted; longer
 * ones land in the last bucket. Memory is fixed (EM_LATENCY_BUCKETS counters);
 * adding is one atomic increment, safe from any number of threads.
 */
#ifndef EM_LATENCY_H
#define EM_LATENCY_H

#include <stdint.h>

#define EM_LATENCY_BUCKETS (16 + 37 * 8)

struct em_latency {
	uint64_t count[EM_LATENCY_BUCKETS];
	uint64_t max_us; /* the largest value added, exact */
};

/* Zero-initialize (static storage or memset) before use. */

/* Counts one duration of us microseconds. Thread-safe (atomic). */
void em_latency_add(struct em_latency *l, uint64_t us);

/* Number of durations counted so far. */
uint64_t em_latency_total(const struct em_latency *l);

/*
 * The q-quantile (0 < q <= 1; 0.5 = median, 0.99 = p99) in microseconds: the
 * upper bound of the bucket holding the ceil(q * total)-th smallest value,
 * never more than the exact maximum. Returns 0 when nothing was counted.
 * Reads without a lock: concurrent adds may or may not be included.
 */
uint64_t em_latency_quantile(const struct em_latency *l, double q);

#endif
