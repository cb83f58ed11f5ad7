/*
 * em_confirm_shared - a reply to confirm_address whose code this relay does
 * not know, checked against the codes other relays shipped to the shared
 * PostgreSQL store (em_pg.h, table confirm_codes).
 *
 * The relay that held the message stays the one that releases it: when the
 * code matches, is unexpired and unused, the reply comes from the held
 * message's sender and gives a reason, this relay spends the code in the
 * shared store (one conditional UPDATE ... WHERE used_at IS NULL, so two
 * relays never both accept it) and writes a release request for the holding
 * relay in the same PostgreSQL transaction; that relay's shipper copies the
 * request into its local table, marks its local code spent, and its root job
 * releases the message (em_requests, `quarantine process-requests`).
 *
 * The judgement is em_confirm_pick's, the same as for local codes. One
 * connection per call (replies are written by people: rare), with em_pg's
 * time limits on connecting and on every statement.
 *
 * Must not depend on: libmilter, syslog, libconfig.
 */
#ifndef EM_CONFIRM_SHARED_H
#define EM_CONFIRM_SHARED_H

#include <stddef.h>

#include "em_requests.h"

#define EM_CONFIRM_SHARED_MAX 10000	    /* unused codes looked at per reply */
#define EM_CONFIRM_SHARED_GRACE (7 * 86400) /* expired codes still told apart as "expired" */

/* What a shared-store check found: the holding relay and ids, owned. */
struct em_confirm_shared_out {
	enum em_confirm_result res;
	char relay[256];		  /* the relay holding the record ("" when none matched) */
	char record[EM_STORE_ID_SIZE];	  /* "" when none matched */
	char request[EM_REQUEST_ID_SIZE]; /* the request written (accepted only) */
};

/*
 * Checks in (codes, sender, reason, now) against the unused codes of relays
 * other than self_relay in the shared store at conninfo; when accepted,
 * spends the code and writes a pending release request {requested_by the
 * canonical sender, via in->via or "mail-reply", requested_from
 * self_relay} for the holding relay, atomically. A code another relay spent
 * meanwhile gives EM_CONFIRM_UNKNOWN. Fills *out. Returns 0, or -1 with a
 * reason in err when the shared store could not be asked (unreachable, no
 * schema, a statement failed): the caller must not treat the reply as
 * refused then (tempfail it).
 */
int em_confirm_redeem_shared(const char *conninfo, const char *self_relay,
			     const struct em_confirm_redeem_in *in,
			     struct em_confirm_shared_out *out, char *err, size_t errsz);

#endif
