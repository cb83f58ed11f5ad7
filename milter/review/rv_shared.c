/*
 * rv_shared - the console on the shared PostgreSQL store (main config
 * `store = "postgresql://..."`): every relay's records in the held list,
 * another relay's record on the message page, release/delete of another
 * relay's record as a request for that relay (the same row `embargoctl
 * quarantine release` writes from another relay), and the relays' rule
 * hashes (what `embargoctl relays` shows). Without `store` each call falls
 * back to the local SQLite store, so rv_pages.c asks one way.
 *
 * Reads PostgreSQL through ctl_store.c (a connection per call: the console
 * serves few requests, and a lost connection heals by itself).
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../adapt/em_pg.h"
#include "../adapt/em_requests.h"
#include "../core/em_time.h"
#include "../ctl/ctl.h"
#include "../ctl/ctl_store.h"
#include "rv.h"

int rv_shared_list(struct rv_ctx *x, const struct em_store_filter *f, struct em_store_row **rows,
		   char ***relays, size_t *n, char *err, size_t errsz)
{
	*relays = NULL;
	if (x->cfg->store == NULL)
		return em_store_list(x->st, f, rows, n, err, errsz);
	if (em_ctl_pg_rows(x->cfg, f->release, f->since, f->state, rows, relays, n) < 0) {
		snprintf(err, errsz,
			 "the shared store cannot be read (the console's log says why)");
		return -1;
	}
	return 0;
}

void rv_shared_relays_free(char **relays, size_t n)
{
	for (size_t i = 0; relays != NULL && i < n; i++)
		free(relays[i]);
	free(relays);
}

const char *rv_shared_me(const struct rv_ctx *x, char *buf, size_t bufsz)
{
	if (em_pg_relay_id(x->cfg->relay_id, buf, bufsz) < 0)
		snprintf(buf, bufsz, "?");
	return buf;
}

int rv_shared_record(struct rv_ctx *x, const char *id, struct em_store_row **row, char **relay,
		     char **tmpdir, char *err, size_t errsz)
{
	char me[256];
	int rc;

	*relay = NULL;
	*tmpdir = NULL;
	rc = em_store_get(x->st, id, row, err, errsz);
	if (x->cfg->store == NULL || rc < 0)
		return rc;
	if (rc == 0) {
		*relay = strdup(rv_shared_me(x, me, sizeof(me)));
		return 0;
	}
	/* another relay's record: its files in a private temp dir */
	if ((*row = em_ctl_pg_record(x->cfg, id, relay, tmpdir)) == NULL) {
		snprintf(err, errsz, "no such record on this relay or in the shared store");
		return 1;
	}
	return 0;
}

int rv_shared_request(struct rv_ctx *x, const char *id, const char *action, const char *by,
		      const char *reason, char *relay_out, size_t relaysz, char *rq_out, char *err,
		      size_t errsz)
{
	struct em_pg *pg;
	struct em_pg_row *p = NULL;
	char me[256];
	int g, rc = -1;

	if ((pg = em_ctl_pg(x->cfg)) == NULL) {
		snprintf(err, errsz, "the shared store cannot be reached");
		return -1;
	}
	g = em_pg_get(pg, id, &p, NULL, NULL, NULL, err, errsz);
	if (g != 0) {
		if (g == 1)
			snprintf(err, errsz, "no record %s in the shared store", id);
		goto out;
	}
	if (strcmp(p->state ? p->state : "", "held") != 0) {
		snprintf(err, errsz, "record %s is %s, not held", id, p->state ? p->state : "?");
		goto out;
	}
	snprintf(relay_out, relaysz, "%s", p->relay);
	if (em_request_id_new(rq_out) < 0) {
		snprintf(err, errsz, "getrandom failed");
		goto out;
	}
	if (em_pg_request_add(pg, rq_out, p->relay, id, action, by, "console", reason,
			      rv_shared_me(x, me, sizeof(me)), (long long)time(NULL), err,
			      errsz) < 0)
		goto out;
	rc = 0;
out:
	em_pg_rows_free(p, p ? 1 : 0);
	em_pg_close(pg);
	return rc;
}

/* The relay's releases (a JSON array of ids in the shared store) as "a, b". */
static void releases_cell(struct em_buf *b, const char *json)
{
	json_t *a = json ? json_loads(json, 0, NULL) : NULL;

	if (!json_is_array(a)) {
		rv_esc(b, json ? json : "—");
	} else {
		for (size_t i = 0; i < json_array_size(a); i++) {
			if (i)
				em_buf_puts(b, ", ");
			rv_esc(b, json_string_value(json_array_get(a, i)));
		}
	}
	json_decref(a);
}

void rv_shared_relays_table(struct rv_ctx *x, struct em_buf *b)
{
	struct em_pg *pg;
	struct em_pg_relay_row *r = NULL;
	size_t n = 0;
	char err[512], t[64];
	bool agree = true;

	if (x->cfg->store == NULL)
		return;
	em_buf_puts(b, "<h2>Relays</h2>");
	if ((pg = em_ctl_pg(x->cfg)) == NULL || em_pg_relays(pg, &r, &n, err, sizeof(err)) < 0) {
		em_buf_puts(b, "<p class=\"notice\">The shared store cannot be read.</p>");
		em_pg_close(pg);
		return;
	}
	for (size_t i = 1; i < n; i++)
		agree = agree && strcmp(r[i].rules_hash ? r[i].rules_hash : "",
					r[0].rules_hash ? r[0].rules_hash : "") == 0;
	if (!agree)
		em_buf_puts(b,
			    "<p class=\"notice\" id=\"rules-differ\" role=\"alert\">WARNING: the "
			    "relays enforce different rules.</p>");
	em_buf_puts(b, "<table class=\"relays\" id=\"relays\"><tr><th>Relay</th><th>Rule hash</th>"
		       "<th>Releases</th><th>Rules loaded</th><th>Last contact</th>"
		       "<th>Records</th><th>Backlog</th></tr>");
	for (size_t i = 0; i < n; i++) {
		em_buf_puts(b, "<tr><td>");
		rv_esc(b, r[i].relay_id);
		em_buf_puts(b, "</td><td class=\"hash\">");
		rv_esc(b, r[i].rules_hash ? r[i].rules_hash : "—");
		em_buf_puts(b, "</td><td>");
		releases_cell(b, r[i].rules_releases);
		em_time_format_local((time_t)r[i].rules_loaded_at, x->cfg->timezone, t, sizeof(t));
		em_buf_printf(b, "</td><td>%s</td>", r[i].rules_loaded_at ? t : "—");
		em_time_format_local((time_t)r[i].last_contact, x->cfg->timezone, t, sizeof(t));
		em_buf_printf(b, "<td>%s</td><td>%lld</td><td>%lld</td></tr>",
			      r[i].last_contact ? t : "—", r[i].records, r[i].backlog);
	}
	em_buf_puts(b, "</table>");
	em_pg_relays_free(r, n);
	em_pg_close(pg);
}
