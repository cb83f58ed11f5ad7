/*
 * em_rules - a compiled, immutable rule set: every release's patterns in one
 * multi-pattern prefilter database (Vectorscan) confirmed by PCRE2 (JIT).
 *
 * Owns: normalizing rule literals like message text, compiling markers,
 * identifiers and content once per rule set, and answering "which patterns
 * occur in this normalized text". Must not depend on: libmilter, syslog,
 * libconfig. A rule set is read-only after em_rules_build and may be shared by
 * any number of threads; the shell reference-counts it across reloads.
 */
#ifndef EM_RULES_H
#define EM_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "em_addr.h"
#include "em_errors.h"
#include "em_settings.h"
#include "em_types.h"

struct em_rules;

/* Read-only view of one release. */
struct em_release {
	const char *id;
	const char *title;
	time_t publish_at;
	time_t pre_release_from;
	enum em_action action;
	enum em_after_pub after_publication;
	const struct em_addr_list *producers;
	const struct em_addr_list *pra;
	enum em_action weak_action;	/* for an identifier + marker with nothing else */
	unsigned min_figures;		/* distinct headline figures that are evidence */
	const struct em_pra *pra_entries;	/* every PRA entry; own windows apply */
	const char *calendar_uid;		/* NULL: not linked to the calendar */
};

/*
 * Compiles cfg into a rule set. Errors (bad regex with its offset, a literal
 * that normalizes to nothing) are added to errs with the rule's FILE:LINE.
 * Returns the rule set (free with em_rules_free) or NULL when errs got an
 * error or memory ran out. cfg must outlive the rule set: the rule set keeps
 * pointers into it, and takes ownership of it on success (em_rules_free
 * frees cfg); on failure the caller still owns cfg.
 */
struct em_rules *em_rules_build(struct em_config *cfg, struct em_errors *errs);

struct hs_database;
/*
 * A store of compiled prefilter databases, so that a CLI start or a reload
 * need not compile the same expressions again (em_hscache implements it on
 * disk). The input is every candidate expression in order: expr[i] with
 * Vectorscan flags flags[i] and id ids[i], n of them, compiled in block mode.
 * load: on a hit, sets *db (the caller owns it: hs_free_database) and
 * in[i] (whether expression i is in the database: those Vectorscan refused
 * are not) and returns 0; any other return is a miss, and the caller
 * compiles. store: offered the compiled result; errors are the store's own
 * business (the build never fails because of the cache). Both must be
 * exact: a database loaded for different input would lose matches.
 */
struct em_rules_dbcache {
	int (*load)(void *ctx, const char *const *expr, const unsigned *flags,
		    const unsigned *ids, unsigned n, struct hs_database **db, bool *in);
	void (*store)(void *ctx, const char *const *expr, const unsigned *flags,
		      const unsigned *ids, unsigned n, const struct hs_database *db,
		      const bool *in);
	void *ctx;
};

/* em_rules_build with a database cache (NULL: always compile). */
struct em_rules *em_rules_build_cached(struct em_config *cfg, struct em_errors *errs,
				       const struct em_rules_dbcache *cache);
void em_rules_free(struct em_rules *r);

/* The settings the rule set was built from. */
const struct em_config *em_rules_config(const struct em_rules *r);
size_t em_rules_count(const struct em_rules *r);

struct em_fp_index;
/* Passages and figures of every release in one index (em_fprint); NULL
 * when no release has fingerprints or figures. Owned by the rule set. */
const struct em_fp_index *em_rules_fp_index(const struct em_rules *r);
const struct em_release *em_rules_release(const struct em_rules *r, size_t i);

#endif
