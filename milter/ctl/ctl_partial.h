/*
 * ctl_partial - release a held message to chosen recipients only (see
 * em_reltoken.h): the stored original is submitted again through the MTA's
 * sendmail command to those recipients, carrying a one-time release token
 * the milter honours; the caller then deletes the held copy.
 *
 * Shell code (embargoctl): fork/exec, never a shell. Must not depend on
 * libmilter.
 */
#ifndef CTL_PARTIAL_H
#define CTL_PARTIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../adapt/em_config.h"
#include "../adapt/em_store.h"

/*
 * Splits the requests table's recipients text (one address per line) into
 * *out (*n entries; free with em_ctl_strv_free). Returns 0 or -1 (out of
 * memory).
 */
int em_ctl_rcpts_split(const char *text, char ***out, size_t *n);
void em_ctl_strv_free(char **v, size_t n);

/*
 * Checks the chosen recipients against the record's: every chosen one must
 * be a recipient of row (any spelling). *all is set when they cover every
 * recipient (a release to all). Returns 0, or -1 with the offending address
 * in bad (badsz bytes).
 */
int em_ctl_rcpts_check(const struct em_store_row *row, char *const *chosen, size_t n, bool *all,
		       char *bad, size_t badsz);

/*
 * Submits row's stored message (row->eml_path) to the n chosen recipients
 * from row's envelope sender, with an X-Embargo-Release header carrying a
 * token issued for them. The MTA's sendmail command: EMBARGO_SENDMAIL, else
 * the config's `sendmail`, else /usr/sbin/sendmail; with `-C DIR` for
 * Postfix (postfix_dir, may be NULL) or `-C CF` for Sendmail (sendmail_cf).
 * Returns 0 once the MTA accepted the copy, -1 with why in err (the token
 * is dropped again).
 */
int em_ctl_submit_copy(const struct em_config *cfg, bool sendmail_mta, const char *postfix_dir,
		       const struct em_store_row *row, char *const *chosen, size_t n, char *err,
		       size_t errsz);

#endif
