/*
 * rv_pages - the console's pages and actions, server-rendered HTML. Every
 * text that came from a message (sender, recipients, headers, file names,
 * evidence, body) is written through rv_esc; no page carries a script.
 * State changes are POSTs (rv_http has checked the CSRF token) that write
 * a release/delete request (em_requests) and a review event in the audit
 * log; the MTA is driven only by `embargoctl quarantine process-requests`.
 *
 * Content rule (as `embargoctl quarantine show`): before publication the
 * matched text, matching headers and the body are shown only to a reviewer
 * on the PRA or producers list of every still-embargoed release of the
 * record; anyone else sees them redacted unless they reveal with a reason
 * (audited, event "reveal").
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../adapt/em_msgview.h"
#include "../adapt/em_report.h"
#include "../adapt/em_requests.h"
#include "../core/em_addr.h"
#include "../core/em_time.h"
#include "../ctl/ctl.h"
#include "../ctl/ctl_store.h"
#include "rv.h"

#define REDACTED "[redacted before publication]"
#define BODY_MAX (64u * 1024)
#define REASON_MAX 2000
#define AUDIT_PAGE 500

/* ---- frame ---- */

static void esc(struct rv_resp *o, const char *s)
{
	rv_esc(&o->body, s);
}

static void csrf_field(struct rv_resp *o, const struct rv_req *r)
{
	em_buf_printf(&o->body, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->s.csrf);
}

void rv_page_begin(struct rv_resp *o, const char *title, const struct rv_req *r)
{
	em_buf_puts(&o->body, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			      "<meta name=\"viewport\" content=\"width=device-width, "
			      "initial-scale=1\"><title>");
	esc(o, title);
	em_buf_puts(&o->body, " — embargo-review</title><link rel=\"stylesheet\" "
			      "href=\"/static/review.css\"></head><body><header><span "
			      "class=\"brand\">embargo-review</span>");
	if (r && r->have_session && !r->s.user.reviewer) {
		em_buf_puts(&o->body, "<nav><a href=\"/confirm\">Confirm a held message</a></nav>"
				      "<form class=\"logout\" method=\"post\" action=\"/logout\">"
				      "<span id=\"user\">");
		esc(o, r->s.user.login);
		em_buf_puts(&o->body, "</span> ");
		csrf_field(o, r);
		em_buf_puts(&o->body, "<button type=\"submit\">Log out</button></form>");
	} else if (r && r->have_session) {
		em_buf_puts(&o->body, "<nav><a href=\"/held\">Held mail</a> <a "
				      "href=\"/releases\">Releases</a> <a "
				      "href=\"/audit\">Audit</a></nav><form class=\"logout\" "
				      "method=\"post\" action=\"/logout\"><span id=\"user\">");
		esc(o, r->s.user.login);
		em_buf_puts(&o->body, "</span> ");
		csrf_field(o, r);
		em_buf_puts(&o->body, "<button type=\"submit\">Log out</button></form>");
	}
	em_buf_puts(&o->body, "</header><main><h1>");
	esc(o, title);
	em_buf_puts(&o->body, "</h1>\n");
}

void rv_page_end(struct rv_resp *o)
{
	em_buf_puts(&o->body, "</main></body></html>\n");
}

void rv_page_message(struct rv_resp *o, unsigned status, const char *title, const char *text,
		     const struct rv_req *r)
{
	em_buf_reset(&o->body);
	o->status = status;
	rv_page_begin(o, title, r);
	em_buf_puts(&o->body, "<p class=\"msg\" id=\"message\">");
	esc(o, text);
	em_buf_puts(&o->body, "</p><p><a href=\"/held\">Held mail</a> · <a href=\"/login\">Log "
			      "in</a></p>");
	rv_page_end(o);
}

void rv_page_login(struct rv_resp *o, unsigned status, const char *error)
{
	o->status = status;
	rv_page_begin(o, "Log in", NULL);
	if (error) {
		em_buf_puts(&o->body, "<p class=\"error\" id=\"message\" role=\"alert\">");
		esc(o, error);
		em_buf_puts(&o->body, "</p>");
	}
	em_buf_puts(
	    &o->body,
	    "<form method=\"post\" action=\"/login\" class=\"login\">"
	    "<label for=\"user\">User name</label><input id=\"user\" name=\"user\" "
	    "autocomplete=\"username\" required autofocus>"
	    "<label for=\"password\">Password</label><input id=\"password\" "
	    "name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
	    "<button type=\"submit\" id=\"login\">Log in</button></form>");
	rv_page_end(o);
}

static void when(const struct rv_ctx *x, time_t t, char *buf, size_t sz)
{
	if (t == 0)
		snprintf(buf, sz, "—");
	else
		em_time_format_local(t, x->cfg->timezone, buf, sz);
}

static void list_cell(struct rv_resp *o, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			em_buf_puts(&o->body, ", ");
		esc(o, v[i]);
	}
	if (n == 0)
		em_buf_puts(&o->body, "—");
}

/* The latest publish_at of a row's releases (the current config's time when later). */
static time_t row_publish(const struct rv_ctx *x, const struct em_store_row *row)
{
	time_t pub = row->publish_at;

	for (size_t i = 0; i < row->nreleases; i++) {
		const struct em_release_src *r = em_ctl_release(x->cfg, row->releases[i]);

		if (r && r->publish_at > pub)
			pub = r->publish_at;
	}
	return pub;
}

static bool icontains(const char *hay, const char *needle)
{
	return needle == NULL || (hay && strcasestr(hay, needle) != NULL);
}

static bool any_contains(char *const *v, size_t n, const char *needle)
{
	if (needle == NULL)
		return true;
	for (size_t i = 0; i < n; i++)
		if (icontains(v[i], needle))
			return true;
	return false;
}

/*
 * The note after an action (?done=...), shown only when it is one of the
 * console's own phrases: a link from elsewhere cannot put words on the page.
 */
static const char *done_note(const struct rv_req *r)
{
	static const char *const fixed[] = {"release requested", "delete requested",
					    "release to the ticked recipients requested"};
	const char *d = rv_arg(r, "done");
	const char *p = d;

	if (d == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(d, fixed[i]) == 0)
			return d;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == d || p - d > 6)
		return NULL;
	if (strcmp(p, " release request(s) written") == 0 ||
	    strcmp(p, " delete request(s) written") == 0 ||
	    strcmp(p, " release request(s) written, some refused") == 0 ||
	    strcmp(p, " delete request(s) written, some refused") == 0)
		return d;
	return NULL;
}

/* ---- held list ---- */

struct sort_ctx {
	const struct rv_ctx *x;
	const char *key;
	int dir;
};
static struct sort_ctx sortc; /* qsort has no context; guarded by sort_mu */
static pthread_mutex_t sort_mu = PTHREAD_MUTEX_INITIALIZER;

static int cmp_rows(const void *a, const void *b)
{
	const struct em_store_row *ra = *(const struct em_store_row *const *)a;
	const struct em_store_row *rb = *(const struct em_store_row *const *)b;
	int c = 0;

	if (strcmp(sortc.key, "sender") == 0)
		c = strcasecmp(ra->sender ? ra->sender : "", rb->sender ? rb->sender : "");
	else if (strcmp(sortc.key, "release") == 0)
		c = strcmp(ra->nreleases ? ra->releases[0] : "",
			   rb->nreleases ? rb->releases[0] : "");
	else if (strcmp(sortc.key, "publication") == 0) {
		time_t pa = row_publish(sortc.x, ra), pb = row_publish(sortc.x, rb);

		c = pa < pb ? -1 : pa > pb;
	} else if (strcmp(sortc.key, "state") == 0)
		c = (int)ra->state - (int)rb->state;
	if (c == 0)
		c = ra->created < rb->created ? -1 : ra->created > rb->created;
	if (c == 0)
		c = strcmp(ra->id, rb->id);
	return c * sortc.dir;
}

static int parse_day(const struct rv_ctx *x, const char *s, time_t *out)
{
	char buf[64], err[128];

	if (s == NULL)
		return 0;
	if (strlen(s) == 10)
		snprintf(buf, sizeof(buf), "%sT00:00:00", s);
	else
		snprintf(buf, sizeof(buf), "%s", s);
	return em_time_parse(buf, x->cfg->timezone, out, err, sizeof(err));
}

struct relcount {
	const char *id;
	size_t n;
	time_t pub;
};

static void sort_link(struct rv_resp *o, const struct rv_req *r, const char *key, const char *label)
{
	static const char *const keep[] = {"release", "state", "sender", "rcpt", "since", "until"};
	const char *cur = rv_arg(r, "sort"), *ord = rv_arg(r, "order");
	bool desc = cur && strcmp(cur, key) == 0 && !(ord && strcmp(ord, "desc") == 0);

	em_buf_printf(&o->body, "<a href=\"/held?sort=%s&amp;order=%s", key, desc ? "desc" : "asc");
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (rv_arg(r, keep[i])) {
			em_buf_printf(&o->body, "&amp;%s=", keep[i]);
			rv_urlenc(&o->body, rv_arg(r, keep[i]));
		}
	em_buf_puts(&o->body, "\">");
	esc(o, label);
	em_buf_puts(&o->body, "</a>");
}

static void page_held(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o)
{
	const char *rel = rv_arg(r, "release"), *state = rv_arg(r, "state");
	const char *sender = rv_arg(r, "sender"), *rcpt = rv_arg(r, "rcpt");
	const char *sort = rv_arg(r, "sort"), *order = rv_arg(r, "order");
	const char *pg = rv_arg(r, "page"), *done = done_note(r);
	struct em_store_filter f = {.release = rel, .state = EM_STORE_HELD};
	const char *relay = rv_arg(r, "relay");
	char **relays = NULL; /* with `store`: each row's relay */
	struct em_store_row *rows = NULL, **sel = NULL;
	struct relcount *rc = NULL;
	size_t nrows = 0, nsel = 0, nrc = 0, page = pg ? strtoul(pg, NULL, 10) : 1, psz;
	time_t until = 0, now = time(NULL);
	char err[512], t[64];

	if (state && strcmp(state, "any") == 0)
		f.state = -1;
	else if (state && em_store_state_parse(state) >= 0)
		f.state = em_store_state_parse(state);
	if (parse_day(x, rv_arg(r, "since"), &f.since) < 0 ||
	    parse_day(x, rv_arg(r, "until"), &until) < 0) {
		rv_page_message(o, 400, "Bad filter", "Dates are YYYY-MM-DD or YYYY-MM-DDTHH:MM.",
				r);
		return;
	}
	if (rv_shared_list(x, &f, &rows, &relays, &nrows, err, sizeof(err)) < 0) {
		rv_page_message(o, 500, "Store error", err, r);
		return;
	}
	sel = calloc(nrows + 1, sizeof(*sel));
	rc = calloc(x->cfg->nreleases + nrows + 1, sizeof(*rc));
	if (sel == NULL || rc == NULL) {
		rv_page_message(o, 500, "Error", "Out of memory.", r);
		goto out;
	}
	for (size_t i = 0; i < nrows; i++) {
		const struct em_store_row *w = &rows[i];

		if (!icontains(w->sender, sender) || !any_contains(w->rcpts, w->nrcpts, rcpt) ||
		    (until && w->created >= until) ||
		    (relays && relay && *relay && !icontains(relays[i], relay)))
			continue;
		sel[nsel++] = &rows[i];
		for (size_t k = 0; k < w->nreleases; k++) {
			size_t j = 0;

			while (j < nrc && strcmp(rc[j].id, w->releases[k]) != 0)
				j++;
			if (j == nrc) {
				const struct em_release_src *s =
				    em_ctl_release(x->cfg, w->releases[k]);

				rc[nrc++] = (struct relcount){w->releases[k], 0,
							      s ? s->publish_at : w->publish_at};
			}
			rc[j].n++;
		}
	}
	pthread_mutex_lock(&sort_mu);
	sortc = (struct sort_ctx){x, sort ? sort : "time",
				  order && strcmp(order, "desc") == 0 ? -1 : 1};
	qsort(sel, nsel, sizeof(*sel), cmp_rows);
	pthread_mutex_unlock(&sort_mu);

	rv_page_begin(o, "Held mail", r);
	if (done) {
		em_buf_puts(&o->body, "<p class=\"ok\" id=\"message\" role=\"status\">");
		esc(o, done);
		em_buf_puts(&o->body, "</p>");
	}
	/* filters */
	em_buf_puts(&o->body,
		    "<form method=\"get\" action=\"/held\" class=\"filters\">"
		    "<label>Release <select name=\"release\"><option value=\"\">any</option>");
	for (size_t i = 0; i < x->cfg->nreleases; i++) {
		const char *id = x->cfg->releases[i].id;

		em_buf_puts(&o->body, "<option value=\"");
		esc(o, id);
		em_buf_printf(&o->body, "\"%s>", rel && strcmp(rel, id) == 0 ? " selected" : "");
		esc(o, id);
		em_buf_puts(&o->body, "</option>");
	}
	em_buf_puts(&o->body, "</select></label><label>State <select name=\"state\">");
	{
		static const char *const states[] = {"held", "released", "deleted", "any"};

		for (size_t i = 0; i < 4; i++)
			em_buf_printf(&o->body, "<option%s>%s</option>",
				      (state ? strcmp(state, states[i]) == 0 : i == 0) ? " selected"
										       : "",
				      states[i]);
	}
	em_buf_puts(&o->body, "</select></label><label>Sender <input name=\"sender\" value=\"");
	esc(o, sender);
	em_buf_puts(&o->body, "\"></label><label>Recipient <input name=\"rcpt\" value=\"");
	esc(o, rcpt);
	em_buf_puts(&o->body,
		    "\"></label><label>From <input type=\"date\" name=\"since\" value=\"");
	esc(o, rv_arg(r, "since"));
	em_buf_puts(&o->body,
		    "\"></label><label>Until <input type=\"date\" name=\"until\" value=\"");
	esc(o, rv_arg(r, "until"));
	em_buf_puts(&o->body, "\"></label>");
	if (relays != NULL || x->cfg->store != NULL) {
		em_buf_puts(&o->body, "<label>Relay <input name=\"relay\" id=\"relay-filter\" "
				      "value=\"");
		esc(o, relay);
		em_buf_puts(&o->body, "\"></label>");
	}
	em_buf_puts(&o->body, "<button type=\"submit\">Filter</button></form>");

	/* counts per release */
	em_buf_puts(&o->body,
		    "<table class=\"counts\" id=\"counts\"><caption>Per release</caption>"
		    "<tr><th>Release</th><th>Records</th><th>Hours to publication</th></tr>");
	for (size_t j = 0; j < nrc; j++) {
		em_buf_puts(&o->body, "<tr><td><a href=\"/held?release=");
		rv_urlenc(&o->body, rc[j].id);
		em_buf_puts(&o->body, "\">");
		esc(o, rc[j].id);
		em_buf_printf(&o->body, "</a></td><td>%zu</td><td>", rc[j].n);
		if (rc[j].pub > now)
			em_buf_printf(&o->body, "%.1f", difftime(rc[j].pub, now) / 3600.0);
		else
			em_buf_puts(&o->body, "published");
		em_buf_puts(&o->body, "</td></tr>");
	}
	em_buf_puts(&o->body, "</table>");

	/* the table, inside the bulk form */
	psz = x->conf.page_size;
	if (page < 1 || (page - 1) * psz >= nsel)
		page = 1;
	em_buf_printf(&o->body, "<p id=\"total\">%zu record(s)</p>", nsel);
	em_buf_puts(&o->body, "<form method=\"post\" action=\"/bulk\" id=\"bulk\">");
	csrf_field(o, r);
	em_buf_puts(&o->body, "<table class=\"held\" id=\"held\"><tr><th><span class=\"sr\">Select"
			      "</span></th><th>");
	sort_link(o, r, "time", "Time");
	em_buf_puts(&o->body, "</th><th>");
	sort_link(o, r, "sender", "Sender");
	em_buf_puts(&o->body, "</th><th>");
	sort_link(o, r, "release", "Release");
	em_buf_puts(&o->body, "</th><th>Not allowed</th><th>");
	sort_link(o, r, "publication", "Hours to publication");
	em_buf_puts(&o->body, "</th><th>");
	sort_link(o, r, "state", "State");
	em_buf_puts(&o->body, relays ? "</th><th>Relay</th></tr>" : "</th></tr>");
	for (size_t i = (page - 1) * psz; i < nsel && i < page * psz; i++) {
		const struct em_store_row *w = sel[i];
		time_t pub = row_publish(x, w);

		when(x, w->created, t, sizeof(t));
		em_buf_printf(&o->body,
			      "<tr><td><input type=\"checkbox\" name=\"id\" value=\"%s\" "
			      "aria-label=\"select %s\"></td><td><a class=\"open\" "
			      "href=\"/msg/%s\">%s</a></td><td class=\"sender\">",
			      w->id, w->id, w->id, t);
		esc(o, w->sender && *w->sender ? w->sender : "<>");
		em_buf_puts(&o->body, "</td><td>");
		list_cell(o, w->releases, w->nreleases);
		em_buf_puts(&o->body, "</td><td>");
		list_cell(o, w->blocked, w->nblocked);
		if (pub > now)
			em_buf_printf(&o->body, "</td><td>%.1f", difftime(pub, now) / 3600.0);
		else
			em_buf_puts(&o->body, w->nreleases ? "</td><td>published" : "</td><td>—");
		em_buf_printf(&o->body, "</td><td>%s", em_store_state_name(w->state));
		if (relays) {
			em_buf_puts(&o->body, "</td><td class=\"relay\">");
			esc(o, relays[w - rows]);
		}
		em_buf_puts(&o->body, "</td></tr>\n");
	}
	em_buf_puts(&o->body, "</table>");
	if (nsel > psz) {
		em_buf_puts(&o->body, "<nav class=\"pages\">");
		for (size_t p = 1; (p - 1) * psz < nsel; p++) {
			if (p == page) {
				em_buf_printf(&o->body, "<strong>%zu</strong> ", p);
				continue;
			}
			em_buf_printf(&o->body, "<a href=\"/held?page=%zu", p);
			static const char *const keep[] = {"release", "state", "sender",
							   "rcpt",    "since", "until",
							   "sort",    "order", "relay"};
			for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
				if (rv_arg(r, keep[k])) {
					em_buf_printf(&o->body, "&amp;%s=", keep[k]);
					rv_urlenc(&o->body, rv_arg(r, keep[k]));
				}
			em_buf_printf(&o->body, "\">%zu</a> ", p);
		}
		em_buf_puts(&o->body, "</nav>");
	}
	em_buf_puts(
	    &o->body,
	    "<fieldset class=\"actions\"><legend>Selected records</legend>"
	    "<label for=\"bulk-reason\">Reason</label><input id=\"bulk-reason\" "
	    "name=\"reason\" required maxlength=\"2000\">"
	    "<button type=\"submit\" name=\"action\" value=\"release\" "
	    "id=\"bulk-release\">Release selected</button>"
	    "<button type=\"submit\" name=\"action\" value=\"delete\" "
	    "id=\"bulk-delete\" class=\"danger\">Delete selected</button></fieldset></form>");
	rv_page_end(o);
out:
	free(sel);
	free(rc);
	rv_shared_relays_free(relays, nrows);
	em_store_rows_free(rows, nrows);
}

/* ---- one message ---- */

/* May this reviewer see the record's content: published, or on every embargoed release's lists. */
static bool may_see(const struct rv_ctx *x, const struct rv_req *r, const struct em_store_row *row,
		    const struct em_verdict *v, time_t now)
{
	size_t n = v ? v->nreleases : row->nreleases;

	if (!em_ctl_embargoed(x->cfg, row, v, now))
		return true;
	if (r->s.user.address[0] == '\0' || n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		const char *id = v ? v->releases[i].id : row->releases[i];
		const struct em_release_src *s = em_ctl_release(x->cfg, id);
		time_t pub = s ? s->publish_at : 0;

		if (v && v->releases[i].publish_at > pub)
			pub = v->releases[i].publish_at;
		if (pub && now >= pub)
			continue;
		if (s == NULL ||
		    !((s->pra && em_addr_list_match(s->pra, r->s.user.address)) ||
		      (s->producers && em_addr_list_match(s->producers, r->s.user.address)) ||
		      em_pra_allows(&s->pra_entries, r->s.user.address, now, s->pre_release_from,
				    s->publish_at)))
			return false;
	}
	return true;
}

static void evidence_row(struct rv_resp *o, const struct em_msgview *w, const struct em_evidence *e,
			 bool redact)
{
	em_buf_puts(&o->body, "<tr><td>");
	esc(o, em_ev_kind_name(e->kind));
	em_buf_puts(&o->body, "</td><td>");
	esc(o, e->where);
	em_buf_puts(&o->body, "</td><td class=\"evidence\">");
	if (redact) {
		em_buf_puts(&o->body, "<span class=\"redacted\">" REDACTED "</span>");
	} else {
		bool shown = false;

		for (size_t i = 0; i < w->npl && !shown; i++) {
			struct em_report_snip s;
			const struct em_msgview_place *p = &w->pl[i];

			if (strcmp(p->where, e->where) == 0 && p->norm.data &&
			    em_report_context(p->norm.data, p->norm.len, e->text, 4, &s)) {
				char *a = strndup(p->norm.data + s.from, s.match - s.from);
				char *m = strndup(p->norm.data + s.match, s.match_end - s.match);
				char *z = strndup(p->norm.data + s.match_end, s.to - s.match_end);

				em_buf_puts(&o->body, s.cut_before ? "…" : "");
				esc(o, a);
				em_buf_puts(&o->body, "<mark>");
				esc(o, m);
				em_buf_puts(&o->body, "</mark>");
				esc(o, z);
				em_buf_puts(&o->body, s.cut_after ? "…" : "");
				free(a);
				free(m);
				free(z);
				shown = true;
			}
		}
		if (!shown) {
			em_buf_puts(&o->body, "<mark>");
			esc(o, e->text);
			em_buf_puts(&o->body, "</mark>");
		}
	}
	em_buf_puts(&o->body, "</td></tr>");
}

static void confirm_info(struct rv_ctx *x, const struct em_store_row *row, struct rv_resp *o)
{
	struct em_request *rq = NULL;
	size_t n = 0;
	char cs[32], err[256];

	if (em_confirm_state(x->st, row->id, time(NULL), cs, sizeof(cs), err, sizeof(err)) == 1) {
		em_buf_puts(&o->body, "<dt>Confirmation</dt><dd>");
		esc(o, cs);
		em_buf_puts(&o->body, "</dd>");
	}
	if (em_requests_list(x->st, NULL, &rq, &n, err, sizeof(err)) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char t[64];

		if (strcmp(rq[i].record_id, row->id) != 0)
			continue;
		when(x, rq[i].requested_at, t, sizeof(t));
		em_buf_puts(&o->body,
			    strcmp(rq[i].via, "mail-reply") == 0
				? "<dt>Sender's justification</dt><dd class=\"justification\">"
				: "<dt>Request</dt><dd class=\"request\">");
		esc(o, rq[i].action);
		em_buf_puts(&o->body, " by ");
		esc(o, rq[i].requested_by);
		em_buf_puts(&o->body, " via ");
		esc(o, rq[i].via);
		em_buf_printf(&o->body, ", %s (", t);
		esc(o, rq[i].state);
		em_buf_puts(&o->body, "): “");
		esc(o, rq[i].reason);
		em_buf_puts(&o->body, "”</dd>");
	}
	em_requests_free(rq, n);
}

/* The record's release/delete requests: who asked, for whom, and what came of it. */
static void request_rows(struct rv_ctx *x, const struct em_store_row *row, struct rv_resp *o)
{
	struct em_request *rq = NULL;
	size_t n = 0, shown = 0;
	char err[256], t[64];

	if (em_requests_list(x->st, NULL, &rq, &n, err, sizeof(err)) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rq[i].record_id, row->id) != 0)
			continue;
		if (shown++ == 0)
			em_buf_puts(&o->body, "<h2>Requests</h2><table class=\"requests\" "
					      "id=\"requests\"><tr><th>Asked</th><th>By</th>"
					      "<th>Action</th><th>Recipients</th><th>State</th>"
					      "<th>Outcome</th></tr>");
		when(x, rq[i].requested_at, t, sizeof(t));
		em_buf_printf(&o->body, "<tr><td>%s</td><td>", t);
		esc(o, rq[i].requested_by);
		em_buf_puts(&o->body, "</td><td>");
		esc(o, rq[i].action);
		em_buf_puts(&o->body, "</td><td>");
		esc(o, rq[i].recipients ? rq[i].recipients : "all");
		em_buf_puts(&o->body, "</td><td>");
		esc(o, rq[i].state);
		em_buf_puts(&o->body, "</td><td>");
		esc(o, rq[i].outcome ? rq[i].outcome : "");
		em_buf_puts(&o->body, "</td></tr>");
	}
	if (shown)
		em_buf_puts(&o->body, "</table>");
	em_requests_free(rq, n);
}

/* Is addr (any spelling) among v? */
static bool addr_in(char *const *v, size_t n, const char *addr)
{
	char a[512], b[512];

	em_addr_canon(addr, a, sizeof(a));
	for (size_t i = 0; i < n; i++)
		if (strcmp(a, em_addr_canon(v[i], b, sizeof(b))) == 0)
			return true;
	return false;
}

/*
 * Release to chosen recipients only: one checkbox per recipient, NONE ticked
 * (the reviewer names each one who may get it; a recipient the rules did
 * not allow says so), and its own button. The held copy is then deleted:
 * the others are not delivered.
 */
static void rcpt_choice(struct rv_resp *o, const struct em_store_row *row)
{
	if (row->nrcpts < 2)
		return; /* one recipient: "release to all" is the same thing */
	em_buf_puts(&o->body, "<fieldset class=\"rcpts\" id=\"rcpt-choice\"><legend>Release to "
			      "chosen recipients only (none is ticked; the others will not get "
			      "it)</legend>");
	for (size_t i = 0; i < row->nrcpts; i++) {
		em_buf_printf(&o->body,
			      "<div><input type=\"checkbox\" name=\"rcpt\" id=\"rcpt-%zu\" "
			      "value=\"",
			      i);
		esc(o, row->rcpts[i]);
		em_buf_printf(&o->body, "\"><label for=\"rcpt-%zu\">", i);
		esc(o, row->rcpts[i]);
		if (addr_in(row->blocked, row->nblocked, row->rcpts[i]))
			em_buf_puts(&o->body, " <strong>(not allowed by the rules)</strong>");
		em_buf_puts(&o->body, "</label></div>");
	}
	em_buf_puts(&o->body, "<button type=\"submit\" name=\"action\" value=\"release-to\" "
			      "id=\"release-to\">Release to ticked recipients only</button>"
			      "</fieldset>");
}

static void page_msg(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o, const char *id,
		     bool reveal)
{
	struct em_store_row *row = NULL;
	struct em_verdict *v = NULL;
	struct em_msgview w = {0};
	char err[512], t[64], me[256];
	char *relay = NULL, *tmpdir = NULL; /* with `store`: its relay; another relay's files */
	time_t now = time(NULL);
	bool embargoed, redact, remote;
	int rc;

	if ((rc = rv_shared_record(x, id, &row, &relay, &tmpdir, err, sizeof(err))) != 0) {
		rv_page_message(o, rc == 1 ? 404 : 400, "Not found",
				rc == 1 ? "No such record." : err, r);
		return;
	}
	v = em_ctl_verdict(row);
	remote = relay && strcmp(relay, rv_shared_me(x, me, sizeof(me))) != 0;
	embargoed = em_ctl_embargoed(x->cfg, row, v, now);
	redact = embargoed && !reveal && !may_see(x, r, row, v, now);
	if (reveal && embargoed) {
		const char *reason = rv_field(r, "reason");
		json_t *ex;

		if (reason == NULL || *reason == '\0' || strlen(reason) > REASON_MAX) {
			rv_page_message(o, 400, "Reason needed", "A reveal needs a reason.", r);
			goto out;
		}
		ex = json_pack("{s:s,s:b,s:s,s:s}", "what", "show", "before_publication", 1, "via",
			       "console", "reason", reason);
		rc = ex ? em_ctl_audit_event(x->cfg, "reveal", row, r->s.user.login, now, ex) : -1;
		json_decref(ex);
		if (rc < 0) {
			rv_page_message(o, 500, "Not audited",
					"The reveal could not be written to the audit log; nothing "
					"is shown.",
					r);
			goto out;
		}
	}
	w.v = v;
	if (row->state != EM_STORE_DELETED)
		em_msgview_read(&x->cfg->limits, row->eml_path, &w);

	rv_page_begin(o, "Held message", r);
	if (done_note(r)) {
		em_buf_puts(&o->body, "<p class=\"ok\" id=\"message\" role=\"status\">");
		esc(o, done_note(r));
		em_buf_puts(&o->body, "</p>");
	}
	if (row->state == EM_STORE_HELD) {
		em_buf_printf(&o->body,
			      "<form method=\"post\" action=\"/msg/%s/act\" class=\"actions\" "
			      "id=\"actions\">",
			      row->id);
		csrf_field(o, r);
		em_buf_puts(
		    &o->body,
		    "<label for=\"reason\">Reason (written to the audit log)</label>"
		    "<input id=\"reason\" name=\"reason\" required maxlength=\"2000\">"
		    "<button type=\"submit\" name=\"action\" value=\"release\" "
		    "id=\"release\">Release to all recipients</button>"
		    "<button type=\"submit\" name=\"action\" value=\"breach\" "
		    "id=\"breach\">Confirmed breach: report</button>"
		    "<button type=\"submit\" name=\"action\" value=\"delete\" id=\"delete\" "
		    "class=\"danger\">Delete</button>");
		if (!remote)
			rcpt_choice(o, row);
		else
			em_buf_puts(&o->body, "<p class=\"note\">Held on another relay: release "
					      "and delete are carried out by that relay's request "
					      "job; a release to chosen recipients is made on that "
					      "relay's console.</p>");
		em_buf_puts(&o->body, "</form>");
	}
	em_buf_printf(&o->body,
		      "<p><a href=\"/msg/%s/report\" id=\"report\">Breach report draft</a>"
		      " · download <a href=\"/msg/%s/report.md\">Markdown</a>, <a "
		      "href=\"/msg/%s/report.odt\">OpenDocument (.odt)</a>, <a "
		      "href=\"/msg/%s/report.docx\">Word (.docx)</a></p>",
		      row->id, row->id, row->id, row->id);
	when(x, v ? v->at : row->created, t, sizeof(t));
	em_buf_printf(&o->body,
		      "<dl class=\"record\"><dt>Record</dt><dd id=\"record\">%s</dd>"
		      "<dt>Sent at</dt><dd>%s</dd><dt>State</dt><dd id=\"state\">%s",
		      row->id, t, em_store_state_name(row->state));
	if (row->state_by) {
		when(x, row->state_at, t, sizeof(t));
		em_buf_puts(&o->body, " (by ");
		esc(o, row->state_by);
		em_buf_printf(&o->body, ", %s)", t);
	}
	if (relay) {
		em_buf_puts(&o->body, "</dd><dt>Relay</dt><dd id=\"relay\">");
		esc(o, relay);
	}
	em_buf_puts(&o->body, "</dd><dt>Sender</dt><dd id=\"sender\">");
	esc(o, row->sender && *row->sender ? row->sender : "<>");
	em_buf_puts(&o->body, "</dd><dt>Recipients</dt><dd>");
	list_cell(o, row->rcpts, row->nrcpts);
	em_buf_puts(&o->body, "</dd><dt>Not allowed</dt><dd id=\"blocked\">");
	list_cell(o, row->blocked, row->nblocked);
	em_buf_puts(&o->body, "</dd><dt>Queue id</dt><dd>");
	esc(o, row->queue_id ? row->queue_id : "—");
	em_buf_puts(&o->body, "</dd>");
	confirm_info(x, row, o);
	em_buf_puts(&o->body, "</dl>");
	request_rows(x, row, o);

	em_buf_printf(&o->body, "<h2>Verdict</h2><p>The filter %s.</p>",
		      em_report_action_words(row->action_taken));
	if (redact)
		em_buf_printf(&o->body,
			      "<p class=\"notice\" id=\"redacted\">Under embargo: matched text, "
			      "matching headers and the body are redacted (you are not on this "
			      "release's pre-release access or producers list).</p>"
			      "<form method=\"post\" action=\"/msg/%s/reveal\" class=\"reveal\">",
			      row->id);
	if (redact) {
		csrf_field(o, r);
		em_buf_puts(&o->body,
			    "<label for=\"reveal-reason\">Reason to reveal (audited)</label>"
			    "<input id=\"reveal-reason\" name=\"reason\" required "
			    "maxlength=\"2000\"><button type=\"submit\">Reveal</button></form>");
	}
	for (size_t i = 0; v && i < v->nreleases; i++) {
		const struct em_release_verdict *rv = &v->releases[i];

		when(x, rv->publish_at, t, sizeof(t));
		em_buf_puts(&o->body, "<h3>Release ");
		esc(o, rv->id);
		em_buf_puts(&o->body, " “");
		esc(o, rv->title);
		em_buf_printf(&o->body,
			      "”</h3><p>Published %s; sent %.1f hours before publication; "
			      "pre-release access %s.</p><p>Not allowed: ",
			      t, difftime(rv->publish_at, v->at) / 3600.0,
			      rv->pra_open ? "was open" : "was not yet open");
		list_cell(o, rv->blocked, rv->nblocked);
		em_buf_puts(&o->body,
			    "</p><table class=\"evidence\"><tr><th>Kind</th><th>Where</th>"
			    "<th>Text</th></tr>");
		for (size_t k = 0; k < rv->nevidence; k++)
			evidence_row(o, &w, &rv->evidence[k], redact);
		em_buf_puts(&o->body, "</table>");
	}
	for (size_t i = 0; v && i < v->nnotes; i++) {
		em_buf_puts(&o->body, "<p class=\"note\">Note: ");
		esc(o, v->notes[i]);
		em_buf_puts(&o->body, "</p>");
	}
	if (row->state == EM_STORE_DELETED) {
		em_buf_puts(&o->body, "<p>The message was deleted; only the record remains.</p>");
		goto done;
	}
	em_buf_puts(&o->body, "<h2>Headers</h2><table class=\"headers\" id=\"headers\">");
	for (size_t i = 0; i < w.nh; i++) {
		em_buf_puts(&o->body, "<tr><th>");
		esc(o, w.h[i].name);
		em_buf_puts(&o->body, "</th><td>");
		if (redact && em_msgview_header_matches(&w, &w.h[i]))
			em_buf_puts(&o->body, "<span class=\"redacted\">" REDACTED "</span>");
		else
			esc(o, w.h[i].value);
		em_buf_puts(&o->body, "</td></tr>");
	}
	em_buf_puts(&o->body, "</table><h2>Attachments</h2>");
	if (w.na == 0)
		em_buf_puts(&o->body, "<p>None.</p>");
	else
		em_buf_puts(&o->body, "<table class=\"attachments\" id=\"attachments\"><tr><th>Name"
				      "</th><th>Type</th><th>Size</th></tr>");
	for (size_t i = 0; i < w.na; i++) {
		em_buf_puts(&o->body, "<tr><td>");
		esc(o, w.a[i].where);
		em_buf_puts(&o->body, "</td><td>");
		esc(o, w.a[i].type);
		em_buf_printf(&o->body, "</td><td>%zu bytes</td></tr>", w.a[i].size);
	}
	if (w.na)
		em_buf_puts(&o->body, "</table>");
	em_buf_puts(&o->body, "<h2>Body</h2>");
	if (!w.have_body) {
		em_buf_puts(&o->body, "<p>(no text body)</p>");
	} else if (redact) {
		em_buf_printf(&o->body,
			      "<p class=\"redacted\" id=\"body\">" REDACTED " (%zu bytes)</p>",
			      w.body.len);
	} else {
		char *b = strndup(w.body.data ? w.body.data : "",
				  w.body.len < BODY_MAX ? w.body.len : BODY_MAX);

		em_buf_puts(&o->body, "<pre id=\"body\">");
		esc(o, b);
		em_buf_puts(&o->body, "</pre>");
		if (w.body.len > BODY_MAX)
			em_buf_printf(&o->body, "<p>[%zu more bytes]</p>", w.body.len - BODY_MAX);
		free(b);
	}
done:
	rv_page_end(o);
out:
	em_msgview_free(&w);
	em_verdict_free(v);
	em_store_row_free(row);
	free(relay);
	em_ctl_pg_tmp_free(tmpdir);
}

/* ---- actions ---- */

/*
 * Rewrites quarantine_dir/requests.pending, as the daemon does after a
 * confirmed reply, so that embargo-milter-requests.path starts the root job
 * at once. Best effort: the job's timer runs it every minute anyway.
 */
static void poke_request_job(const struct rv_ctx *x)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/requests.pending", x->cfg->quarantine_dir);
	if ((f = fopen(path, "we")) == NULL) {
		fprintf(stderr,
			"embargo-review: %s: cannot write (the request job runs on its timer)\n",
			path);
		return;
	}
	fprintf(f, "%ld\n", (long)time(NULL));
	fclose(f);
}

/*
 * Another relay's record (shared store): a request for that relay, and this
 * relay's audit line saying so. Returns 0, or -1 with why in err.
 */
static int request_remote(struct rv_ctx *x, const struct rv_req *r, const char *id,
			  const char *action, const char *reason, char *err, size_t errsz)
{
	struct em_store_row *row = NULL;
	char rq[EM_REQUEST_ID_SIZE], relay[256], *rel = NULL, *tmpdir = NULL;
	json_t *ex;
	int rc;

	if (strcmp(action, "release-to") == 0) {
		snprintf(err, errsz,
			 "record %s is held on another relay: a release to chosen recipients is "
			 "made on that relay's console",
			 id);
		return -1;
	}
	if (rv_shared_request(x, id, action, r->s.user.login, reason, relay, sizeof(relay), rq, err,
			      errsz) < 0)
		return -1;
	/* the audit line needs the record: read once more (best effort) */
	if (rv_shared_record(x, id, &row, &rel, &tmpdir, err, errsz) != 0) {
		snprintf(err, errsz, "request %s written for relay %s, but the audit line was not",
			 rq, relay);
		return -1;
	}
	ex = json_pack("{s:s,s:s,s:s,s:s,s:s}", "action", action, "via", "console", "reason",
		       reason, "request", rq, "relay", relay);
	rc = ex ? em_ctl_audit_event(x->cfg, "review-request", row, r->s.user.login, time(NULL), ex)
		: -1;
	json_decref(ex);
	em_store_row_free(row);
	free(rel);
	em_ctl_pg_tmp_free(tmpdir);
	if (rc < 0) {
		snprintf(err, errsz, "the audit log could not be written");
		return -1;
	}
	return 0;
}

/* Writes one request and its audit event. Returns 0, or -1 with why in err. */
static int request_one(struct rv_ctx *x, const struct rv_req *r, const char *id, const char *action,
		       const char *reason, char *err, size_t errsz)
{
	struct em_store_row *row = NULL;
	char rq[EM_REQUEST_ID_SIZE], *chosen = NULL, *rel = NULL, *tmpdir = NULL;
	const char **picked = NULL;
	size_t npicked = 0;
	time_t now = time(NULL);
	json_t *ex;
	int rc;

	if ((rc = em_store_get(x->st, id, &row, err, errsz)) == 1 && x->cfg->store != NULL) {
		/* another relay's record: its relay acts; a breach is recorded here */
		if (strcmp(action, "breach") != 0)
			return request_remote(x, r, id, action, reason, err, errsz);
		rc = rv_shared_record(x, id, &row, &rel, &tmpdir, err, errsz);
	}
	if (rc != 0) {
		if (rc == 1)
			snprintf(err, errsz, "no record %s", id);
		return -1;
	}
	if (row->state != EM_STORE_HELD) {
		snprintf(err, errsz, "record %s is %s, not held", row->id,
			 em_store_state_name(row->state));
		goto fail;
	}
	if (strcmp(action, "release-to") == 0) {
		/* the ticked recipients, each one of the record's */
		if ((picked = calloc(r->nform + 1, sizeof(*picked))) == NULL) {
			snprintf(err, errsz, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < r->nform; i++) {
			if (strcmp(r->form[i].name, "rcpt") != 0)
				continue;
			if (!addr_in(row->rcpts, row->nrcpts, r->form[i].value)) {
				snprintf(err, errsz, "%s is not a recipient of record %s",
					 r->form[i].value, row->id);
				goto fail;
			}
			picked[npicked++] = r->form[i].value;
		}
		if (npicked == 0 || (chosen = em_request_rcpts_join(picked, npicked)) == NULL) {
			snprintf(err, errsz, "tick at least one recipient to release to");
			goto fail;
		}
		action = "release";
	}
	if (strcmp(action, "breach") != 0 &&
	    em_request_add_to(x->st, row->id, action, r->s.user.login, "console", reason, chosen,
			      now, rq, err, errsz) < 0)
		goto fail;
	if (strcmp(action, "breach") == 0)
		ex = json_pack("{s:s,s:s}", "via", "console", "reason", reason);
	else
		ex = json_pack("{s:s,s:s,s:s,s:s}", "action", action, "via", "console", "reason",
			       reason, "request", rq);
	if (ex != NULL && chosen != NULL) {
		json_t *a = json_array();

		for (size_t i = 0; a && i < npicked; i++)
			json_array_append_new(a, json_string(picked[i]));
		json_object_set_new(ex, "recipients", a ? a : json_null());
	}
	free(picked);
	free(chosen);
	rc = ex ? em_ctl_audit_event(x->cfg,
				     strcmp(action, "breach") == 0 ? "breach" : "review-request",
				     row, r->s.user.login, now, ex)
		: -1;
	json_decref(ex);
	em_store_row_free(row);
	free(rel);
	em_ctl_pg_tmp_free(tmpdir);
	if (strcmp(action, "breach") != 0)
		poke_request_job(x);
	if (rc < 0) {
		snprintf(err, errsz, "the audit log could not be written");
		return -1;
	}
	return 0;
fail:
	free(picked);
	free(chosen);
	em_store_row_free(row);
	free(rel);
	em_ctl_pg_tmp_free(tmpdir);
	return -1;
}

static const char *reason_ok(const struct rv_req *r)
{
	const char *reason = rv_field(r, "reason");

	if (reason == NULL || strlen(reason) > REASON_MAX)
		return NULL;
	for (const char *p = reason; *p; p++)
		if (!isspace((unsigned char)*p))
			return reason;
	return NULL;
}

static void do_act(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o, const char *id)
{
	const char *action = rv_field(r, "action"), *reason = reason_ok(r);
	char err[512];

	if (action == NULL ||
	    (strcmp(action, "release") != 0 && strcmp(action, "delete") != 0 &&
	     strcmp(action, "breach") != 0 && strcmp(action, "release-to") != 0)) {
		rv_page_message(o, 400, "Bad request", "Unknown action.", r);
		return;
	}
	if (reason == NULL) {
		rv_page_message(o, 400, "Reason needed", "Every decision needs a reason.", r);
		return;
	}
	if (request_one(x, r, id, action, reason, err, sizeof(err)) < 0) {
		rv_page_message(o, 409, "Not done", err, r);
		return;
	}
	o->status = 303;
	if (strcmp(action, "breach") == 0)
		snprintf(o->location, sizeof(o->location), "/msg/%s/report", id);
	else
		snprintf(o->location, sizeof(o->location), "/msg/%s?done=%s+requested", id,
			 strcmp(action, "release-to") == 0 ? "release+to+the+ticked+recipients"
							   : action);
}

static void do_bulk(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o)
{
	const char *action = rv_field(r, "action"), *reason = reason_ok(r);
	size_t ok = 0, bad = 0;
	char err[512];

	if (action == NULL || (strcmp(action, "release") != 0 && strcmp(action, "delete") != 0)) {
		rv_page_message(o, 400, "Bad request", "Unknown action.", r);
		return;
	}
	if (reason == NULL) {
		rv_page_message(o, 400, "Reason needed", "A bulk action needs a reason.", r);
		return;
	}
	for (size_t i = 0; i < r->nform; i++) {
		if (strcmp(r->form[i].name, "id") != 0)
			continue;
		if (em_store_id_valid(r->form[i].value) &&
		    request_one(x, r, r->form[i].value, action, reason, err, sizeof(err)) == 0)
			ok++;
		else
			bad++;
	}
	o->status = 303;
	snprintf(o->location, sizeof(o->location), "/held?done=%zu+%s+request(s)+written%s", ok,
		 action, bad ? ",+some+refused" : "");
}

/* ---- breach report ---- */

static void page_report(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o, const char *id,
			int download /* 0 page, 1 markdown, 2 odt, 3 docx */)
{
	struct em_store_row *row = NULL;
	struct em_verdict *v = NULL;
	char err[512], *rep = NULL, *relay = NULL, *tmpdir = NULL;
	int rc;

	if ((rc = rv_shared_record(x, id, &row, &relay, &tmpdir, err, sizeof(err))) != 0) {
		rv_page_message(o, rc == 1 ? 404 : 400, "Not found", "No such record.", r);
		return;
	}
	v = em_ctl_verdict(row);
	rep = em_report_build(&(struct em_report_in){row, v, time(NULL), x->cfg->timezone},
			      EM_REPORT_MD);
	if (rep == NULL) {
		rv_page_message(o, 500, "Error", "Out of memory.", r);
	} else if (download == 3) {
		if (rv_docx_build(rep, &o->body) < 0) {
			rv_page_message(o, 500, "Error", "The .docx file could not be built.", r);
		} else {
			o->type = "application/"
				  "vnd.openxmlformats-officedocument.wordprocessingml.document";
			snprintf(o->disposition, sizeof(o->disposition),
				 "attachment; filename=\"breach-report-%s.docx\"", row->id);
		}
	} else if (download == 2) {
		if (rv_odt_build(rep, &o->body) < 0) {
			rv_page_message(o, 500, "Error", "The .odt file could not be built.", r);
		} else {
			o->type = "application/vnd.oasis.opendocument.text";
			snprintf(o->disposition, sizeof(o->disposition),
				 "attachment; filename=\"breach-report-%s.odt\"", row->id);
		}
	} else if (download) {
		o->type = "text/markdown; charset=utf-8";
		snprintf(o->disposition, sizeof(o->disposition),
			 "attachment; filename=\"breach-report-%s.md\"", row->id);
		em_buf_puts(&o->body, rep);
	} else {
		rv_page_begin(o, "Breach report draft", r);
		em_buf_printf(
		    &o->body,
		    "<p>Download <a href=\"/msg/%s/report.md\" id=\"download\">Markdown</a>, <a "
		    "href=\"/msg/%s/report.odt\" id=\"download-odt\">OpenDocument (.odt)</a>, <a "
		    "href=\"/msg/%s/report.docx\" id=\"download-docx\">Word (.docx)</a> · "
		    "<a href=\"/msg/%s\">Back to the message</a></p><pre id=\"report-text\">",
		    row->id, row->id, row->id, row->id);
		esc(o, rep);
		em_buf_puts(&o->body, "</pre>");
		rv_page_end(o);
	}
	free(rep);
	em_verdict_free(v);
	em_store_row_free(row);
	free(relay);
	em_ctl_pg_tmp_free(tmpdir);
}

/* ---- audit ---- */

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void audit_rows(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o, bool csv)
{
	const char *fev = rv_arg(r, "event"), *frec = rv_arg(r, "record"), *fby = rv_arg(r, "by");
	FILE *f = fopen(x->cfg->audit_log, "re");
	char *line = NULL;
	size_t cap = 0, shown = 0;
	json_t **all = NULL;
	size_t n = 0, ncap = 0;

	if (f) {
		while (getline(&line, &cap, f) > 0) {
			json_t *e = json_loads(line, 0, NULL);
			const char *ev;

			if (e == NULL)
				continue;
			ev = *jstr(e, "event") ? jstr(e, "event") : "decision";
			if ((fev && strcmp(ev, fev) != 0) ||
			    (frec && strcmp(jstr(e, "record"), frec) != 0) ||
			    (fby && !icontains(jstr(e, "by"), fby))) {
				json_decref(e);
				continue;
			}
			if (n == ncap) {
				json_t **na =
				    realloc(all, (ncap = ncap ? 2 * ncap : 256) * sizeof(*na));

				if (na == NULL) {
					json_decref(e);
					break;
				}
				all = na;
			}
			all[n++] = e;
		}
		fclose(f);
	}
	free(line);
	if (csv)
		em_buf_puts(&o->body, "at,event,record,by,releases,action,reason\r\n");
	for (size_t i = n; i-- > 0 && (csv || shown < AUDIT_PAGE); shown++) {
		json_t *e = all[i], *rels = json_object_get(e, "releases"), *it;
		const char *ev = *jstr(e, "event") ? jstr(e, "event") : "decision";
		const char *at = *jstr(e, "at") ? jstr(e, "at") : jstr(e, "time");
		const char *act = *jstr(e, "action") ? jstr(e, "action") : jstr(e, "action_taken");
		struct em_buf rl = EM_BUF_INIT;
		size_t k;

		json_array_foreach(rels, k, it)
		{
			const char *id =
			    json_is_string(it) ? json_string_value(it) : jstr(it, "id");
			if (rl.len)
				em_buf_puts(&rl, " ");
			em_buf_puts(&rl, id);
		}
		if (csv) {
			const char *cells[] = {at,
					       ev,
					       jstr(e, "record"),
					       jstr(e, "by"),
					       rl.data ? rl.data : "",
					       act,
					       jstr(e, "reason")};

			for (size_t c = 0; c < 7; c++) {
				if (c)
					em_buf_putc(&o->body, ',');
				rv_csv(&o->body, cells[c]);
			}
			em_buf_puts(&o->body, "\r\n");
		} else {
			em_buf_puts(&o->body, "<tr><td>");
			esc(o, at);
			em_buf_puts(&o->body, "</td><td>");
			esc(o, ev);
			em_buf_puts(&o->body, "</td><td>");
			if (em_store_id_valid(jstr(e, "record")))
				em_buf_printf(&o->body, "<a href=\"/msg/%s\">%s</a>",
					      jstr(e, "record"), jstr(e, "record"));
			em_buf_puts(&o->body, "</td><td>");
			esc(o, jstr(e, "by"));
			em_buf_puts(&o->body, "</td><td>");
			esc(o, rl.data);
			em_buf_puts(&o->body, "</td><td>");
			esc(o, act);
			em_buf_puts(&o->body, "</td><td>");
			esc(o, jstr(e, "reason"));
			em_buf_puts(&o->body, "</td></tr>\n");
		}
		em_buf_free(&rl);
	}
	for (size_t i = 0; i < n; i++)
		json_decref(all[i]);
	free(all);
}

static void page_audit(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o, bool csv)
{
	if (csv) {
		o->type = "text/csv; charset=utf-8";
		snprintf(o->disposition, sizeof(o->disposition),
			 "attachment; filename=\"embargo-audit.csv\"");
		audit_rows(x, r, o, true);
		return;
	}
	rv_page_begin(o, "Audit", r);
	em_buf_puts(&o->body, "<form method=\"get\" action=\"/audit\" class=\"filters\">"
			      "<label>Event <input name=\"event\" value=\"");
	esc(o, rv_arg(r, "event"));
	em_buf_puts(&o->body, "\"></label><label>Record <input name=\"record\" value=\"");
	esc(o, rv_arg(r, "record"));
	em_buf_puts(&o->body, "\"></label><label>By <input name=\"by\" value=\"");
	esc(o, rv_arg(r, "by"));
	em_buf_puts(&o->body, "\"></label><button type=\"submit\">Filter</button></form>"
			      "<p><a id=\"csv\" href=\"/audit.csv");
	{
		const char *k[] = {"event", "record", "by"};
		char sep = '?';

		for (size_t i = 0; i < 3; i++)
			if (rv_arg(r, k[i])) {
				em_buf_printf(&o->body, "%s%s=", sep == '?' ? "?" : "&amp;", k[i]);
				rv_urlenc(&o->body, rv_arg(r, k[i]));
				sep = '&';
			}
	}
	em_buf_printf(&o->body,
		      "\">Export CSV</a> (newest first; the page shows at most %d)</p>"
		      "<table class=\"audit\" id=\"audit\"><tr><th>At</th><th>Event</th>"
		      "<th>Record</th><th>By</th><th>Releases</th><th>Action</th>"
		      "<th>Reason</th></tr>",
		      AUDIT_PAGE);
	audit_rows(x, r, o, false);
	em_buf_puts(&o->body, "</table>");
	rv_page_end(o);
}

/* ---- releases ---- */

static void page_releases(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o)
{
	time_t now = time(NULL);
	char t[64];

	rv_page_begin(o, "Releases", r);
	em_buf_puts(&o->body, "<table class=\"releases\" id=\"releases\"><tr><th>Release</th>"
			      "<th>Title</th><th>Published</th><th>State</th><th>Held</th>"
			      "<th>Pre-release access</th><th>Fingerprint</th></tr>");
	for (size_t i = 0; i < x->cfg->nreleases; i++) {
		const struct em_release_src *s = &x->cfg->releases[i];
		struct em_store_filter f = {.release = s->id, .state = EM_STORE_HELD};
		struct em_store_row *rows = NULL;
		size_t n = 0;
		char err[256];

		em_store_list(x->st, &f, &rows, &n, err, sizeof(err));
		em_store_rows_free(rows, n);
		when(x, s->publish_at, t, sizeof(t));
		em_buf_puts(&o->body, "<tr><td><a href=\"/held?release=");
		rv_urlenc(&o->body, s->id);
		em_buf_puts(&o->body, "\">");
		esc(o, s->id);
		em_buf_puts(&o->body, "</a></td><td>");
		esc(o, s->title);
		em_buf_printf(&o->body, "</td><td>%s</td><td>%s</td><td>%zu</td><td>", t,
			      now < s->publish_at ? "embargoed" : "published", n);
		for (size_t k = 0; k < s->pra_entries.n; k++) {
			const struct em_pra_entry *e = &s->pra_entries.v[k];

			if (k)
				em_buf_puts(&o->body, "<br>");
			esc(o, e->address);
			if (e->role) {
				em_buf_puts(&o->body, " (");
				esc(o, e->role);
				em_buf_puts(&o->body, ")");
			}
		}
		em_buf_printf(&o->body, "</td><td>%s</td></tr>", s->fp ? "yes" : "no");
	}
	em_buf_puts(&o->body, "</table>");
	rv_shared_relays_table(x, &o->body);
	rv_page_end(o);
}

/* ---- the sender's confirm page ---- */

/*
 * The web twin of replying to a confirm notice (em_confirm, README "Letting
 * the sender confirm"): the signed-in user types the code and a reason; the
 * code counts only for a record whose envelope sender is the user's address
 * (login@address_domain), unused and unexpired: em_confirm_redeem then spends
 * it and writes the release request (via "confirm-page"). A refusal never
 * says whether the code exists; each one counts against the login limit.
 */
void rv_page_confirm(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o)
{
	char codes[EM_CONFIRM_MAX_CODES][EM_CONFIRM_CODE_SIZE], record[EM_STORE_ID_SIZE] = "";
	char request[EM_REQUEST_ID_SIZE] = "", err[512];
	const char *code = r->post ? rv_field(r, "code") : NULL;
	const char *reason = r->post ? reason_ok(r) : NULL;
	enum em_confirm_result res = EM_CONFIRM_UNKNOWN;
	size_t ncodes = 0;
	time_t now = time(NULL);
	const char *msg = NULL;
	bool good = false;

	if (r->post) {
		if (r->s.user.address[0] == '\0') {
			msg = "Your account has no mail address here (address_domain is not set).";
		} else if (rv_login_limited(&x->conf, r->client, r->s.user.login, now)) {
			o->status = 429;
			msg = "Too many wrong codes: wait a few minutes.";
		} else if (code == NULL ||
			   em_confirm_find_codes(code, strlen(code), codes, &ncodes) == 0) {
			msg = "That is not a code: it looks like ABCD-2345.";
		} else if (reason == NULL || strlen(reason) > EM_CONFIRM_REASON_MAX) {
			msg = "Write why the message should go (at most 1000 characters).";
		} else {
			struct em_confirm_redeem_in in = {
			    .sender = r->s.user.address,
			    .codes = (const char(*)[EM_CONFIRM_CODE_SIZE])codes,
			    .ncodes = ncodes,
			    .reason = reason,
			    .now = now,
			    .via = "confirm-page"};

			if (em_confirm_redeem(x->st, &in, &res, record, request, err, sizeof(err)) <
			    0) {
				o->status = 500;
				msg = "The store could not be read; try again later.";
			} else if (res == EM_CONFIRM_ACCEPTED) {
				good = true;
				msg = "Thank you: the release of your message is requested and the "
				      "security team is told.";
			} else {
				rv_login_failed(r->client, r->s.user.login, now);
				msg = "The code was not accepted (wrong, expired, already used, or "
				      "not for a message you sent).";
			}
			if (record[0]) {
				struct em_store_row *row = NULL;

				if (em_store_get(x->st, record, &row, err, sizeof(err)) == 0) {
					json_t *ex = json_pack(
					    "{s:s,s:s,s:s,s:s}", "via", "confirm-page", "reason",
					    reason, "result", em_confirm_result_name(res),
					    "request", request);

					if (ex)
						em_ctl_audit_event(x->cfg,
								   good ? "confirm-request"
									: "confirm-refused",
								   row, r->s.user.address, now, ex);
					json_decref(ex);
				}
				em_store_row_free(row);
			}
			fprintf(stderr, "embargo-review: confirm by %s: %s%s%s\n", r->s.user.login,
				em_confirm_result_name(res), record[0] ? " record " : "", record);
			if (good)
				poke_request_job(x);
		}
		if (!good && o->status == 0)
			o->status = 400;
	}
	rv_page_begin(o, "Confirm a held message", r);
	if (msg) {
		em_buf_printf(&o->body, "<p class=\"%s\" id=\"message\" role=\"status\">",
			      good ? "ok" : "error");
		esc(o, msg);
		em_buf_puts(&o->body, "</p>");
	}
	if (!good) {
		em_buf_puts(&o->body,
			    "<p>A message you sent was held because it looked like a statistics "
			    "release before publication. If it may go, type the code from the "
			    "notice you received and say why.</p>"
			    "<form method=\"post\" action=\"/confirm\" class=\"login\">");
		csrf_field(o, r);
		em_buf_puts(&o->body,
			    "<label for=\"code\">Code</label><input id=\"code\" "
			    "name=\"code\" required autocomplete=\"off\" maxlength=\"40\">"
			    "<label for=\"reason\">Why may it go now?</label><textarea "
			    "id=\"reason\" name=\"reason\" required maxlength=\"1000\" "
			    "rows=\"4\"></textarea><button type=\"submit\" "
			    "id=\"confirm\">Confirm</button></form>");
	}
	rv_page_end(o);
}

/* ---- routing ---- */

void rv_route(struct rv_ctx *x, struct rv_req *r, struct rv_resp *o)
{
	const char *u = r->url;
	char id[EM_STORE_ID_SIZE];

	if (!r->post && (strcmp(u, "/") == 0)) {
		o->status = 303;
		snprintf(o->location, sizeof(o->location), "/held");
	} else if (!r->post && strcmp(u, "/held") == 0) {
		page_held(x, r, o);
	} else if (!r->post && strcmp(u, "/audit") == 0) {
		page_audit(x, r, o, false);
	} else if (!r->post && strcmp(u, "/audit.csv") == 0) {
		page_audit(x, r, o, true);
	} else if (!r->post && strcmp(u, "/releases") == 0) {
		page_releases(x, r, o);
	} else if (r->post && strcmp(u, "/bulk") == 0) {
		do_bulk(x, r, o);
	} else if (strncmp(u, "/msg/", 5) == 0 && strlen(u + 5) >= EM_STORE_ID_LEN) {
		const char *rest = u + 5 + EM_STORE_ID_LEN;

		memcpy(id, u + 5, EM_STORE_ID_LEN);
		id[EM_STORE_ID_LEN] = '\0';
		if (!em_store_id_valid(id))
			rv_page_message(o, 404, "Not found", "No such page.", r);
		else if (!r->post && *rest == '\0')
			page_msg(x, r, o, id, false);
		else if (r->post && strcmp(rest, "/reveal") == 0)
			page_msg(x, r, o, id, true);
		else if (r->post && strcmp(rest, "/act") == 0)
			do_act(x, r, o, id);
		else if (!r->post && strcmp(rest, "/report") == 0)
			page_report(x, r, o, id, 0);
		else if (!r->post && strcmp(rest, "/report.md") == 0)
			page_report(x, r, o, id, 1);
		else if (!r->post && strcmp(rest, "/report.odt") == 0)
			page_report(x, r, o, id, 2);
		else if (!r->post && strcmp(rest, "/report.docx") == 0)
			page_report(x, r, o, id, 3);
		else
			rv_page_message(o, 404, "Not found", "No such page.", r);
	} else {
		rv_page_message(o, 404, "Not found", "No such page.", r);
	}
}
