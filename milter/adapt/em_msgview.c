/*
 * em_msgview - see em_msgview.h. The walk is the one of
 * `embargoctl quarantine show` (ctl_quarantine.c), as a library.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/em_decode.h"
#include "../core/em_mime.h"
#include "../core/em_office.h"
#include "../core/em_text.h"
#include "em_msgview.h"

static bool place_wanted(const struct em_msgview *w, const char *where)
{
	for (size_t i = 0; w->v && i < w->v->nreleases; i++)
		for (size_t k = 0; k < w->v->releases[i].nevidence; k++)
			if (strcmp(w->v->releases[i].evidence[k].where, where) == 0)
				return true;
	return false;
}

/* Is there evidence inside the archive at where ("where/member...")? */
static bool member_wanted(const struct em_msgview *w, const char *where)
{
	size_t n = strlen(where);

	for (size_t i = 0; w->v && i < w->v->nreleases; i++)
		for (size_t k = 0; k < w->v->releases[i].nevidence; k++) {
			const char *e = w->v->releases[i].evidence[k].where;

			if (strncmp(e, where, n) == 0 && e[n] == '/')
				return true;
		}
	return false;
}

/* Records normalized text for a place that evidence points at. */
static void place_add(struct em_msgview *w, const char *where, const char *text, size_t len)
{
	struct em_msgview_place *np;

	if (len == 0 || !place_wanted(w, where))
		return;
	if ((np = realloc(w->pl, (w->npl + 1) * sizeof(*np))) == NULL) {
		w->nomem = true;
		return;
	}
	w->pl = np;
	np = &w->pl[w->npl];
	*np = (struct em_msgview_place){strdup(where), EM_BUF_INIT};
	if (np->where == NULL || em_norm_append(text, len, &np->norm) < 0) {
		free(np->where);
		em_buf_free(&np->norm);
		w->nomem = true;
		return;
	}
	w->npl++;
}

static int on_header(void *ctx, const struct em_mime_part *p, bool message_header, const char *name,
		     const char *value, size_t len)
{
	struct em_msgview *w = ctx;
	struct em_buf d = EM_BUF_INIT, n = EM_BUF_INIT;
	bool top = message_header && !p->in_nested;
	char *where = NULL;

	if (!message_header)
		return 0;
	if (em_rfc2047_decode(value, len, &d) < 0 ||
	    em_norm_append(d.data ? d.data : "", d.len, &n) < 0) {
		w->nomem = true;
		goto out;
	}
	if (top && strcasecmp(name, "subject") == 0)
		where = strdup("subject");
	else if (top || strcmp(p->where, "header") == 0 || *p->where == '\0')
		(void)!asprintf(&where, "header:%s", name);
	else
		(void)!asprintf(&where, "%s/header:%s", p->where, name);
	if (where == NULL) {
		w->nomem = true;
		goto out;
	}
	place_add(w, where, d.data ? d.data : "", d.len);
	place_add(w, where, value, len); /* as written, like the scan */
	if (top) {
		struct em_msgview_hdr *nh = realloc(w->h, (w->nh + 1) * sizeof(*nh));

		if (nh == NULL) {
			w->nomem = true;
			goto out;
		}
		w->h = nh;
		nh[w->nh] =
		    (struct em_msgview_hdr){strdup(name), em_buf_steal(&d), em_buf_steal(&n)};
		if (!nh[w->nh].name || !nh[w->nh].value || !nh[w->nh].norm) {
			free(nh[w->nh].name);
			free(nh[w->nh].value);
			free(nh[w->nh].norm);
			w->nomem = true;
			goto out;
		}
		w->nh++;
	}
out:
	free(where);
	em_buf_free(&d);
	em_buf_free(&n);
	return 0;
}

struct zip_walk {
	struct em_msgview *w;
	const char *where;
};

static int on_zip_text(void *ctx, const char *member, const char *text, size_t len)
{
	struct zip_walk *z = ctx;
	char *where = NULL;

	if (asprintf(&where, "%s/%s", z->where, member) < 0) {
		z->w->nomem = true;
		return 1;
	}
	place_add(z->w, where, text, len);
	free(where);
	return 0;
}

static int on_leaf(void *ctx, const struct em_mime_part *p, const char *d, size_t n)
{
	struct em_msgview *w = ctx;
	struct em_buf u = EM_BUF_INIT, t = EM_BUF_INIT;
	bool lossy = false, html = strcmp(p->type, "text/html") == 0;
	bool text = strncmp(p->type, "text/", 5) == 0;

	if (strcmp(p->where, "body") != 0 || !text) {
		struct em_msgview_att *na = realloc(w->a, (w->na + 1) * sizeof(*na));

		if (na == NULL) {
			w->nomem = true;
			return 0;
		}
		w->a = na;
		na[w->na] = (struct em_msgview_att){strdup(p->where), strdup(p->type), n};
		if (!na[w->na].where || !na[w->na].type) {
			free(na[w->na].where);
			free(na[w->na].type);
			w->nomem = true;
			return 0;
		}
		w->na++;
	}
	if (p->filename)
		place_add(w, p->where, p->filename, strlen(p->filename));
	if (em_zip_sniff(d, n) && !text) {
		struct zip_walk z = {w, p->where};
		struct em_zip_limits zl = {w->lim->max_decoded, w->lim->max_zip_ratio,
					   w->lim->max_depth, 10000, false};
		unsigned zf = 0;

		/* only archives that evidence points into are opened again */
		if (member_wanted(w, p->where))
			em_zip_scan(d, n, &zl, on_zip_text, &z, &zf);
		return 0;
	}
	if (em_charset_to_utf8(p->charset, d, n, &u, &lossy) < 0) {
		w->nomem = true;
		goto out;
	}
	place_add(w, p->where, u.data ? u.data : "", u.len);
	if (u.len && (html || memmem(u.data, u.len < 1024 ? u.len : 1024, "<", 1))) {
		if (em_html_to_text(u.data, u.len, &t) < 0) {
			w->nomem = true;
			goto out;
		}
		place_add(w, p->where, t.data ? t.data : "", t.len);
	}
	if (strcmp(p->type, "text/plain") == 0) {
		em_buf_reset(&t);
		if (em_unquote_reply(u.data ? u.data : "", u.len, &t) < 0) {
			w->nomem = true;
			goto out;
		}
		place_add(w, p->where, t.data ? t.data : "", t.len);
	}
	/* the body shown: the first plain text part, else the first HTML one as text */
	if (strcmp(p->where, "body") == 0 && text && (!w->have_body || (w->body_html && !html))) {
		em_buf_reset(&w->body);
		if (html) {
			em_buf_reset(&t);
			if (em_html_to_text(u.data ? u.data : "", u.len, &t) < 0 ||
			    em_buf_append(&w->body, t.data ? t.data : "", t.len) < 0)
				w->nomem = true;
		} else if (em_buf_append(&w->body, u.data ? u.data : "", u.len) < 0) {
			w->nomem = true;
		}
		w->have_body = true;
		w->body_html = html;
	}
out:
	em_buf_free(&u);
	em_buf_free(&t);
	return 0;
}

void em_msgview_free(struct em_msgview *w)
{
	for (size_t i = 0; i < w->npl; i++) {
		free(w->pl[i].where);
		em_buf_free(&w->pl[i].norm);
	}
	for (size_t i = 0; i < w->nh; i++) {
		free(w->h[i].name);
		free(w->h[i].value);
		free(w->h[i].norm);
	}
	for (size_t i = 0; i < w->na; i++) {
		free(w->a[i].where);
		free(w->a[i].type);
	}
	free(w->pl);
	free(w->h);
	free(w->a);
	em_buf_free(&w->body);
}

/* Walks the stored message; 0, or -1 when it cannot be read. */
int em_msgview_read(const struct em_limits *lim, const char *path, struct em_msgview *w)
{
	struct em_mime_cb cb = {.ctx = w, .header = on_header, .leaf = on_leaf};
	struct em_mime *m = em_mime_new(lim, &cb);
	char buf[65536];
	ssize_t n = -1;
	int fd;

	w->lim = lim;
	if (m == NULL)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			em_mime_push(m, buf, (size_t)n);
		close(fd);
		em_mime_finish(m);
	}
	em_mime_free(m);
	return n < 0 ? -1 : 0;
}

bool em_msgview_header_matches(const struct em_msgview *w, const struct em_msgview_hdr *h)
{
	for (size_t i = 0; w->v && i < w->v->nreleases; i++)
		for (size_t k = 0; k < w->v->releases[i].nevidence; k++) {
			const struct em_evidence *e = &w->v->releases[i].evidence[k];
			const char *hw = strncmp(e->where, "header:", 7) == 0 ? e->where + 7 : NULL;

			if ((hw && strcasecmp(hw, h->name) == 0) ||
			    (strcmp(e->where, "subject") == 0 &&
			     strcasecmp(h->name, "subject") == 0) ||
			    (*e->text && strstr(h->norm, e->text)))
				return true;
		}
	return false;
}
