/*
 * em_report - pure text builders for the review tool (embargoctl): the draft
 * Code of Practice breach report filled in from a quarantine record, the
 * evidence context snippet, and text made safe to show a reviewer.
 *
 * Owns: the report's form (headings follow the seed report, "Report of a
 * breach of the Code of Practice for Statistics"), its markdown and plain
 * text renderings, and the display-cleaning rule. Must not depend on:
 * libmilter, syslog, libconfig, the store's files or the clock (the date
 * of the report is a parameter). Never logs, never exits; out of memory is
 * returned as NULL / -1.
 */
#ifndef EM_REPORT_H
#define EM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../core/em_scan.h"
#include "em_store.h"

enum em_report_format {
	EM_REPORT_TXT = 0, /* plain text, "Information needed<TAB>Response" rows like the seed */
	EM_REPORT_MD,	   /* markdown: headings and tables */
};

/* Everything a report is filled in from; nothing here is freed by the builder. */
struct em_report_in {
	const struct em_store_row *row; /* required: the index row */
	const struct em_verdict *v;	/* the record's verdict; NULL when unreadable */
	time_t today;			/* date of the breach report */
	const char *tz; /* zone for dates and times (config timezone); NULL = London */
};

/* The phrase used for a section a person must write. */
#define EM_REPORT_TBC "[to be completed]"

/*
 * Builds the draft breach report. Text taken from the message (sender,
 * recipients, titles, places) is cleaned (em_report_clean) and, for
 * markdown, escaped. Matched text is never copied into the report: only its
 * kind and place. Returns a malloc'd NUL-terminated string (the caller
 * frees it), or NULL when out of memory or in->row is NULL.
 */
char *em_report_build(const struct em_report_in *in, enum em_report_format fmt);

/*
 * What the milter did, in words, for an action_taken value ("quarantine" ->
 * "held the message in quarantine for review"; whether it was delivered
 * later is the record's state). Never NULL; an
 * unknown value gives a generic phrase. Static storage.
 */
const char *em_report_action_words(const char *action_taken);

/*
 * Copies s for showing on a terminal or in a report, as one line: C0 and
 * C1 controls, DEL, invalid UTF-8 and the invisible format characters that
 * reorder or hide text (bidi overrides and isolates, zero-width characters)
 * become '?'; line breaks and tabs become ' '. NULL gives "". Returns a
 * malloc'd string (the caller frees it), NULL when out of memory.
 */
char *em_report_clean(const char *s);

/* Where a match sits in a text, with a few words either side. */
struct em_report_snip {
	size_t from;	  /* start of the shown text (before the match) */
	size_t match;	  /* start of the match */
	size_t match_end; /* end of the match */
	size_t to;	  /* end of the shown text */
	bool cut_before;  /* there is more text before `from` */
	bool cut_after;	  /* there is more text after `to` */
};

/*
 * Finds needle (both in normalized form) in text[0..len) and widens the span
 * by up to `words` words on each side, never more than 80 bytes a side and
 * always on a UTF-8 character boundary. Returns 1 and fills *out when found,
 * 0 when not (or needle is empty).
 */
int em_report_context(const char *text, size_t len, const char *needle, unsigned words,
		      struct em_report_snip *out);

#endif
