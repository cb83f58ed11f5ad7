/*
 * em_addr - e-mail address lists: who may receive a release.
 *
 * Entries are full addresses ("minister.po@example.gov.uk"), "@domain"
 * (exactly that domain) or "@*.domain" (the domain and all its subdomains).
 * Comparison is case-insensitive after trimming whitespace and one pair of
 * angle brackets. Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_ADDR_H
#define EM_ADDR_H

#include <stdbool.h>
#include <stddef.h>

struct em_addr_list;	/* opaque; sorted/hashed for fast lookup */

/* Returns a new empty list (caller frees with em_addr_list_free), NULL if out of memory. */
struct em_addr_list *em_addr_list_new(void);
void em_addr_list_free(struct em_addr_list *l);

/*
 * Adds one entry. Returns 0, -1 out of memory, or -2 when the entry is not a
 * plausible address/@domain/@*.domain (err then holds why, e.g. "missing @",
 * "empty domain", "spaces inside address").
 */
int em_addr_list_add(struct em_addr_list *l, const char *entry, char *err, size_t errsz);

/* Number of entries. */
size_t em_addr_list_count(const struct em_addr_list *l);

/* Does the envelope address (any spelling: "<A@B>", "a@b") match an entry?
 * A domain entry (@domain, @*.domain) never matches a local part that routes
 * elsewhere ('%', '!' or a quoted '@': "leak%gmail.com@domain"). */
bool em_addr_list_match(const struct em_addr_list *l, const char *addr);

/*
 * Canonical form of an envelope address into out (size outsz): trimmed,
 * brackets stripped, lower-cased. Returns out.
 */
char *em_addr_canon(const char *addr, char *out, size_t outsz);

/*
 * The one spelling of an address in records, listings, reports and the
 * audit log (issue 9): the envelope address with surrounding whitespace and
 * one pair of angle brackets removed, case kept ("<A@b.org>" -> "A@b.org",
 * the null sender "<>" -> ""). RFC 5321 section 4.1.2 Path = "<" Mailbox ">";
 * the verdict's per-release "blocked" lists keep the envelope's own spelling
 * (the MTA needs it to delete a recipient). Returns a malloc'd string the
 * caller frees, NULL when out of memory; addr NULL gives "".
 */
char *em_addr_bare_dup(const char *addr);

/*
 * Parses a PRA file's text: one address or @domain per line, '#' starts a
 * comment, blank lines ignored. Calls add for each entry with its line number;
 * returns 0, or the first non-zero value returned by add.
 */
int em_addr_parse_lines(const char *text, size_t len,
			int (*add)(void *ctx, const char *entry, int line), void *ctx);

#endif
