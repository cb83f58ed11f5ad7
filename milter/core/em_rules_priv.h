/*
 * em_rules_priv - the compiled form of a rule set, shared by em_rules.c
 * (which builds it) and em_match.c (which runs it). Not for the shell.
 */
#ifndef EM_RULES_PRIV_H
#define EM_RULES_PRIV_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>

#include "em_fprint.h"
#include "em_rules.h"
#include "em_scan.h"

struct em_pattern {
	enum em_ev_kind kind;
	int release;		/* index into releases; -1 for a global marker */
	const char *source;	/* as written (points into the config) */
	pcre2_code *code;	/* the confirming (and defining) regex */
	bool prefiltered;	/* in the Vectorscan database; else always confirmed */
};

struct em_rules {
	struct em_config *cfg;
	struct em_release *rel;
	size_t nrel;
	struct em_pattern *pat;
	size_t npat;
	hs_database_t *db;		/* NULL when nothing could be prefiltered */
	hs_scratch_t *scratch;		/* prototype, cloned per scan */
	unsigned *always;		/* patterns outside the database */
	size_t nalways;
	struct em_fp_index *fpidx;	/* passages and figures of every release; NULL: none */
};

#endif
