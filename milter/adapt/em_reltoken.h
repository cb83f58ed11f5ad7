/*
 * em_reltoken - one-time tokens for "release to chosen recipients only".
 *
 * Postfix and Sendmail can release a held message only as a whole. To
 * deliver it to some of its recipients, the root job (`embargoctl quarantine
 * release --to`, process-requests) submits the stored original again to the
 * chosen recipients with a header "X-Embargo-Release: TOKEN" and deletes the
 * held copy; the milter lets that copy through only when TOKEN was issued
 * here for that record, is unexpired and unused, and the copy's envelope
 * recipients are all among the chosen ones. Anything else is scanned as
 * usual (and so held again): a forged or replayed header gains nothing.
 *
 * A token is 32 random bytes (getrandom) as 64 hex digits; only its SHA-256
 * (Nettle) names a file quarantine_dir/release-tokens/<hash>, mode 0600,
 * owned by the owner of quarantine_dir (the daemon's user), holding
 *   record ID\nexpires UNIX-SECONDS\nrcpt ADDR\n... (canonical addresses)
 * Redeeming unlinks the file first, so a token is used at most once.
 *
 * Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_RELTOKEN_H
#define EM_RELTOKEN_H

#include <stddef.h>
#include <time.h>

#define EM_RELTOKEN_HEADER "X-Embargo-Release"
#define EM_RELTOKEN_SIZE 65	    /* 64 hex digits + NUL */
#define EM_RELTOKEN_TTL_S (60 * 60) /* a copy that has not arrived within an hour is refused */

/*
 * Issues a token for record_id and the n chosen recipients rcpts (any
 * spelling; stored canonical), valid until now + EM_RELTOKEN_TTL_S. qdir is
 * quarantine_dir; the file and its directory get qdir's owner. token_out
 * (EM_RELTOKEN_SIZE bytes) receives the token. Returns 0, or -1 with a reason
 * in err.
 */
int em_reltoken_issue(const char *qdir, const char *record_id, const char *const *rcpts, size_t n,
		      time_t now, char *token_out, char *err, size_t errsz);

/*
 * Redeems token (the header's value, surrounding white space ignored) for a
 * copy whose envelope recipients are rcpts (n of them, any spelling). On
 * success the token's file is gone and record_out (>= 64 bytes) receives
 * the record id. Returns 1 (valid: let the copy through), 0 (not valid: why
 * says why; an unknown token leaves nothing changed, an expired or
 * mismatching one is spent), -1 (I/O error, in why).
 */
int em_reltoken_redeem(const char *qdir, const char *token, const char *const *rcpts, size_t n,
		       time_t now, char *record_out, size_t recsz, char *why, size_t whysz);

/*
 * Drops a token's file (the submission that would have used it failed).
 * Best effort; returns 0 or -1.
 */
int em_reltoken_drop(const char *qdir, const char *token);

#endif
