/*
 * em_confirm_shared - confirmation codes of other relays, through the shared
 * store (see em_confirm_shared.h).
 *
 * Depends on: em_pg (libpq), em_requests' judgement and request ids.
 * Must not depend on: libmilter, syslog, libconfig.
 */
#define _GNU_SOURCE
#include "em_confirm_shared.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/em_addr.h"
#include "em_pg.h"

#define ADDR_MAX 512

int em_confirm_redeem_shared(const char *conninfo, const char *self_relay,
			     const struct em_confirm_redeem_in *in,
			     struct em_confirm_shared_out *out, char *err, size_t errsz)
{
	char canon[ADDR_MAX];
	struct em_pg *pg = NULL;
	struct em_pg_confirm *rows = NULL;
	struct em_confirm_candidate *c = NULL;
	size_t n = 0, at = 0;
	int rc = -1, claimed;

	memset(out, 0, sizeof(*out));
	out->res = EM_CONFIRM_NO_CODE;
	if (in->ncodes == 0)
		return 0;
	em_addr_canon(in->sender ? in->sender : "", canon, sizeof(canon));
	if ((pg = em_pg_new(conninfo)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	if (em_pg_confirm_open(pg, self_relay, (long long)in->now - EM_CONFIRM_SHARED_GRACE,
			       EM_CONFIRM_SHARED_MAX, &rows, &n, err, errsz) < 0)
		goto out;
	if (n > 0 && (c = calloc(n, sizeof(*c))) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		c[i] = (struct em_confirm_candidate){
		    .record = rows[i].record_id,
		    .sender = rows[i].sender,
		    .salt = rows[i].salt,
		    .hash = rows[i].hash,
		    .expires = (time_t)rows[i].expires,
		    .held = rows[i].held,
		};
	out->res = em_confirm_pick(c, n, in, canon, &at);
	if (at < n) {
		snprintf(out->relay, sizeof(out->relay), "%s",
			 rows[at].relay ? rows[at].relay : "");
		snprintf(out->record, sizeof(out->record), "%s", rows[at].record_id);
	}
	if (out->res != EM_CONFIRM_ACCEPTED) {
		rc = 0;
		goto out;
	}
	if (em_request_id_new(out->request) < 0) {
		snprintf(err, errsz, "getrandom failed");
		goto out;
	}
	/* the code is spent and the request written together, or neither */
	if (em_pg_begin(pg, err, errsz) < 0)
		goto out;
	claimed = em_pg_confirm_claim(pg, out->relay, out->record, (long long)in->now, canon,
				      self_relay, err, errsz);
	if (claimed < 0)
		goto rollback;
	if (claimed == 0) {
		/* another relay accepted it a moment ago: a code works once */
		em_pg_rollback(pg);
		out->res = EM_CONFIRM_UNKNOWN;
		out->request[0] = '\0';
		rc = 0;
		goto out;
	}
	if (em_pg_request_add(pg, out->request, out->relay, out->record, "release", canon,
			      in->via ? in->via : "mail-reply", in->reason, self_relay,
			      (long long)in->now, err, errsz) < 0)
		goto rollback;
	if (em_pg_commit(pg, err, errsz) < 0)
		goto out;
	rc = 0;
	goto out;
rollback:
	em_pg_rollback(pg);
out:
	if (rc < 0)
		out->request[0] = '\0';
	free(c);
	em_pg_confirm_free(rows, n);
	em_pg_close(pg);
	return rc;
}
