/*
 * fuzz_mime - libFuzzer harness: arbitrary bytes as a message through the
 * whole decision path (em_scan: MIME walk, decoders, office/zip, normalizer,
 * matcher, decision) over the example rules.
 *
 * The first input byte picks the chunking, so the fuzzer also explores how a
 * message is split across em_scan_push calls (libmilter delivers body chunks
 * of any size). Checks: no crash, no leak, no undefined behaviour, and a
 * verdict for every message (em_scan_finish fails only when out of memory).
 * Limits are tightened (decoded bytes, CPU) so one input stays fast.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "../../milter/core/em_scan.h"
#include "fuzz_common.h"

static struct em_rules *rules;
static struct em_limits lim;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	rules = fuzz_load_rules();
	lim = em_rules_config(rules)->limits;
	lim.max_decoded = 4u * 1024 * 1024;
	lim.max_cpu_seconds = 10.0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct em_scan *s;
	struct em_verdict *v = NULL;
	/* 2020-11-11 13:00 UTC: inside the example release's PRA window */
	const time_t at = 1605099600;
	unsigned seed, chunk, maxchunk;

	if (size == 0)
		return 0;
	seed = data[0];
	maxchunk = seed == 1 ? 100000 : seed % 64 * 4 + 4;	/* 4 .. 256, or large */
	data++, size--;
	s = em_scan_new(rules, &lim);
	if (s == NULL)
		return 0;
	if (em_scan_set_sender(s, "policy.official@education.example.gov.uk") < 0 ||
	    em_scan_add_rcpt(s, "outsider@example.org") < 0 ||
	    em_scan_add_rcpt(s, "minister.po@education.example.gov.uk") < 0)
		goto out;
	/* seed 0: the whole message in one push; otherwise pseudo-random chunks
	 * of 1..maxchunk bytes, so 1-byte chunks are explored too */
	while (size) {
		if (seed == 0) {
			chunk = (unsigned)size;
		} else {
			seed = seed * 1103515245u + 12345u;
			chunk = 1 + (seed >> 16) % maxchunk;
		}
		if (chunk > size)
			chunk = (unsigned)size;
		em_scan_push(s, (const char *)data, chunk);
		data += chunk;
		size -= chunk;
	}
	if (em_scan_finish(s, at, &v) == 0 && v == NULL)
		abort();	/* success must give a verdict */
	em_verdict_free(v);
out:
	em_scan_free(s);
	return 0;
}
