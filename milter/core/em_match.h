/*
 * em_match - runs a rule set over one normalized text: the prefilter pass
 * picks candidate patterns, PCRE2 confirms them and reports each pattern's
 * first match. One matcher per scan (it owns the per-thread scratch).
 * Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_MATCH_H
#define EM_MATCH_H

#include <stddef.h>

#include "em_rules.h"
#include "em_scan.h"

struct em_matcher;

/* Called for each pattern that matches: pattern index (em_match_pattern),
 * the matched bytes (inside the scanned text: the bytes before them may be
 * read back to its start). Return 0 to go on with the next pattern,
 * EM_MATCH_NEXT when this occurrence does not count and the same pattern is
 * to be looked for again after it; any other non-zero return stops the scan
 * and is returned. */
typedef int (*em_match_fn)(void *ctx, size_t pattern, const char *match, size_t len);
#define EM_MATCH_NEXT 1

/* A matcher for rules (which must outlive it); NULL when out of memory. */
struct em_matcher *em_matcher_new(const struct em_rules *rules);
void em_matcher_free(struct em_matcher *m);

/* Scans text[0..len) (valid, normalized UTF-8). Returns 0, the callback's
 * value, -1 out of memory, or -2 when a regex hit PCRE2's match/depth limit
 * (the text could not be fully checked). */
int em_matcher_scan(struct em_matcher *m, const char *text, size_t len, em_match_fn fn, void *ctx);

/* Read-only facts about pattern i. */
struct em_pattern_info {
	enum em_ev_kind kind;
	int release;		/* -1 for a global marker */
	const char *source;
};
size_t em_rules_pattern_count(const struct em_rules *r);
void em_rules_pattern(const struct em_rules *r, size_t i, struct em_pattern_info *out);

#endif
