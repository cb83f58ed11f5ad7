/*
 * em_pra - pre-release access as the Pre-release Access to Official
 * Statistics Order 2008 (SI 2008/2998) defines it: access is granted to named
 * people in named roles, for a window that ends at publication and (schedule,
 * para 2) starts no more than 24 hours before it.
 *
 * A release keeps every PRA entry as written (address, role, own window,
 * FILE:LINE) for the export producers publish and for the audit of changes;
 * the decision asks em_pra_allows whether a recipient holds access at a time.
 * Entries without a window of their own use the release's (pre_release_from
 * to publication); they also sit in the release's fast em_addr_list.
 *
 * Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_PRA_H
#define EM_PRA_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "em_addr.h"

struct em_pra_entry {
	char *address; /* as written ("spad@example.gov.uk", "@dept.gov.uk") */
	char *role;    /* NULL when not given */
	time_t from;   /* valid when has_from */
	time_t until;  /* valid when has_until */
	bool has_from;
	bool has_until;
	struct em_addr_list *match; /* the one address, for em_addr_list_match */
	const char *file;	    /* where it was written (borrowed: the config's file table) */
	int line;
};

struct em_pra {
	struct em_pra_entry *v;
	size_t n;
};

/*
 * Appends an entry. address is validated like any address list entry; role,
 * from and until may be NULL/absent. Copies every string (file is borrowed).
 * Returns 0, -1 out of memory, -2 when the address is not plausible (err
 * says why, as em_addr_list_add).
 */
int em_pra_add(struct em_pra *p, const char *address, const char *role, const time_t *from,
	       const time_t *until, const char *file, int line, char *err, size_t errsz);

/* Number of entries with a window of their own (has_from or has_until); 0 for NULL. */
size_t em_pra_windowed(const struct em_pra *p);

/* Frees the entries (not p itself); accepts NULL and an empty list. */
void em_pra_clear(struct em_pra *p);

/*
 * Does an entry with a window of its own (has_from or has_until) grant rcpt
 * access at time at? Its window is [from, until): from defaults to
 * release_from (the release's pre_release_from), until to publish_at.
 * Entries without an own window are not consulted here (the caller checks
 * the release's address list against the release's window).
 */
bool em_pra_allows(const struct em_pra *p, const char *rcpt, time_t at, time_t release_from,
		   time_t publish_at);

/* The effective window of entry e: writes *from and *until. */
void em_pra_window(const struct em_pra_entry *e, time_t release_from, time_t publish_at,
		   time_t *from, time_t *until);

/*
 * Splits one line of a PRA file into at most 4 columns: address, role, from,
 * until. Columns are separated by TABs when the line holds one, each TAB
 * one separator (an empty column or "-" means "not given"); otherwise by spaces, where a column
 * with spaces is written in double quotes ("Special Adviser") and a date followed by a time
 * ("2026-11-18 14:00") is one column. line is modified in place; col[i] point into it or are NULL.
 * Returns the number of columns (1-4), or -1 with a reason in err (more than 4 columns, an
 * unterminated quote).
 */
int em_pra_split(char *line, char *col[4], char *err, size_t errsz);

#endif
