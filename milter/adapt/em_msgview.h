/*
 * em_msgview - a held message read for a reviewer: its top-level headers
 * (RFC 2047-decoded), attachments (place, type, size), the text body shown
 * (first text/plain part, else the first HTML part as text) and, for each
 * place that evidence points at, the normalized text found there (for
 * context snippets and redaction). Used by the review console
 * (milter/review) and by `embargoctl quarantine show` (ctl_quarantine.c).
 *
 * Must not depend on: libmilter, syslog, libconfig. Never logs or exits;
 * out of memory sets `nomem` and leaves what was read so far.
 */
#ifndef EM_MSGVIEW_H
#define EM_MSGVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/em_buf.h"
#include "../core/em_scan.h"
#include "../core/em_settings.h"

struct em_msgview_place {
	char *where;
	struct em_buf norm; /* normalized text found at that place */
};

struct em_msgview_hdr {
	char *name;
	char *value; /* RFC 2047-decoded */
	char *norm;  /* normalized, for redaction */
};

struct em_msgview_att {
	char *where;
	char *type;
	size_t size;
};

struct em_msgview {
	const struct em_verdict *v;
	const struct em_limits *lim;
	struct em_msgview_place *pl;
	size_t npl;
	struct em_msgview_hdr *h;
	size_t nh;
	struct em_msgview_att *a;
	size_t na;
	struct em_buf body;
	bool have_body, body_html;
	bool nomem;
};

/*
 * Reads the message at path (opened O_NOFOLLOW) into w, which the caller
 * zero-initializes and points w->v (verdict, may be NULL) at first; lim
 * (the config's limits) is kept in w->lim. Returns 0, or -1 when the file cannot be read.
 * Free what w holds with em_msgview_free.
 */
int em_msgview_read(const struct em_limits *lim, const char *path, struct em_msgview *w);
/* Frees what w holds (not w itself). */
void em_msgview_free(struct em_msgview *w);
/* Does header h carry (or is it the place of) any evidence of w->v? */
bool em_msgview_header_matches(const struct em_msgview *w, const struct em_msgview_hdr *h);

#endif
