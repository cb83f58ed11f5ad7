/*
 * em_scan - the one decision path (see em_scan.h).
 *
 * Wires the MIME walk to the text pipeline (charset -> HTML/quote reduction
 * -> normalization -> matcher), keeps what each pattern matched and where,
 * and at the end applies the release semantics: matched releases, allowed
 * and blocked recipients at time `at`, the most severe action, and the
 * on_error outcome of an incomplete scan (a blocking match still wins).
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 */
#define _GNU_SOURCE /* asprintf, memmem */
#include "em_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "em_addr.h"
#include "em_buf.h"
#include "em_decode.h"
#include "em_display.h"
#include "em_embed.h"
#include "em_fprint.h"
#include "em_match.h"
#include "em_mime.h"
#include "em_office.h"
#include "em_text.h"
#include "em_url.h"

#define EV_PER_PATTERN 3 /* places remembered per pattern */
#define EV_TEXT_MAX 200	 /* bytes of matched text kept as evidence */
#define NOTES_MAX 20
#define UNREADABLE_MAX 32 /* items listed; more are counted in the last one */

enum scan_flag {
	SF_NOMEM = 1u << 0,
	SF_CPU = 1u << 1,
	SF_REGEX_LIMIT = 1u << 2,
	SF_ENCRYPTED = 1u << 3,
	SF_ZIP_CORRUPT = 1u << 4,
	SF_ZIP_BOMB = 1u << 5,
	SF_ZIP_DEPTH = 1u << 6,
	SF_ZIP_BIG = 1u << 7,
	SF_UNREADABLE = 1u << 8, /* unreadable() was called */
	SF_AUTO_REPLIED = 1u << 9, /* an automatic reply: top-level Auto-Submitted:
				    * auto-replied (RFC 3834), a read receipt or a bounce */
};

struct hit {
	size_t count;
	struct em_evidence ev[EV_PER_PATTERN];
	size_t nev;
};

struct em_scan {
	const struct em_rules *rules;
	struct em_limits lim;
	struct em_mime *mime;
	struct em_matcher *matcher;
	char *sender;
	char **rcpts;
	size_t nrcpts;
	char *subject;
	char *message_id;
	struct hit *hits; /* one per pattern */
	size_t *hitpat;	  /* at finish: the patterns with a hit, in order (npat) */
	size_t npat;
	const char *where;	     /* of the text being matched */
	struct em_buf a, b, c, norm; /* scratch for the text pipeline */
	struct em_buf uq, bidi, lab, url; /* scratch for match_reading and labels */
	unsigned flags;
	char *notes[NOTES_MAX];
	size_t nnotes;
	struct timespec cpu0;
	unsigned nest;		 /* messages found inside archives being walked */
	const char *embed_where; /* where of the text whose encoded files are read */
	struct em_unreadable_item unr[UNREADABLE_MAX]; /* what could not be read */
	size_t nunr;
	size_t unr_more;	      /* items beyond UNREADABLE_MAX */
	const struct em_extractor *x; /* NULL: formats that need it are unreadable */
	const struct em_caldata *cal; /* release calendar snapshot; NULL: none (borrowed) */
	struct em_lineage *lineage;   /* threading keys (em_lineage.h) */
	struct em_lineage_lookup lk;  /* the store; lk.lookup NULL = none */
	struct em_lineage_hit *lhits; /* what the store knew, at finish */
	size_t nlhits;
	struct em_fp_hits *fph; /* passages and figures found; NULL: no release has any */
	em_scan_text_fn sink;	/* every normalized text, for the fingerprint builder */
	void *sink_ctx;
};

/* ---- small helpers ------------------------------------------------------ */

static double cpu_seconds(const struct em_scan *s)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)(t.tv_sec - s->cpu0.tv_sec) + (double)(t.tv_nsec - s->cpu0.tv_nsec) / 1e9;
}

/* False once the scan must stop spending effort (CPU cap, no memory). */
static bool may_continue(struct em_scan *s)
{
	if (s->flags & (SF_CPU | SF_NOMEM))
		return false;
	if (s->lim.max_cpu_seconds > 0 && cpu_seconds(s) > s->lim.max_cpu_seconds) {
		s->flags |= SF_CPU;
		return false;
	}
	return true;
}

static void note(struct em_scan *s, const char *fmt, const char *arg)
    __attribute__((format(printf, 2, 0)));

static void note(struct em_scan *s, const char *fmt, const char *arg)
{
	char *n;

	if (s->nnotes >= NOTES_MAX)
		return;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (asprintf(&n, fmt, arg) < 0)
#pragma GCC diagnostic pop
		return;
	for (size_t i = 0; i < s->nnotes; i++)
		if (strcmp(s->notes[i], n) == 0) {
			free(n);
			return;
		}
	s->notes[s->nnotes++] = n;
}

/*
 * Records that something in the message could not be read: `where` as in
 * evidence ("attachment:x.zip", "message"), `why` in words. Every unreadable
 * thing goes through here (encrypted, password- or rights-protected, a
 * format not opened, a limit reached), so the verdict lists them and the
 * `unreadable` policy decides in one place whether they make the scan
 * incomplete (see struct em_verdict). The same item is listed once.
 */
static void unreadable(struct em_scan *s, const char *where, const char *why)
{
	struct em_unreadable_item *u;

	s->flags |= SF_UNREADABLE;
	if (where == NULL || *where == '\0')
		where = "message";
	for (size_t i = 0; i < s->nunr; i++)
		if (strcmp(s->unr[i].where, where) == 0 && strcmp(s->unr[i].why, why) == 0)
			return;
	if (s->nunr == UNREADABLE_MAX) {
		s->unr_more++;
		return;
	}
	u = &s->unr[s->nunr];
	u->where = strdup(where);
	u->why = strdup(why);
	if (u->where == NULL || u->why == NULL) {
		free(u->where);
		free(u->why);
		s->flags |= SF_NOMEM;
		return;
	}
	s->nunr++;
}

/*
 * Is the marker text[0..len) (inside the normalized s->norm) denied by the
 * words right before it: "not embargoed", "no longer embargoed", "isn't
 * official-sensitive", "un-embargoed"; or by a value of none right after
 * it: "Embargo: none", "embargo - n/a", "embargo lifted" (a press notice's
 * header line)? A public notice saying the release is not embargoed does
 * not mark the copy. Only these, right before or right after.
 */
static bool marker_denied(const struct em_scan *s, const char *text, size_t len)
{
	static const char *const none[] = {"none", "nil", "n/a", "not applicable", "lifted"};
	static const struct {
		const char *w;
		bool word_start; /* must start a word ("cannot " is not "not ") */
	} deny[] = {{"not ", true},	 {"no longer ", true}, {"n't ", false},
		    {"n\u2019t ", false}, {"un-", true},	   {"non-", true}};
	size_t before;

	if (s->norm.data == NULL || text < s->norm.data || text + len > s->norm.data + s->norm.len)
		return false;
	{
		const char *a = text + len, *end = s->norm.data + s->norm.len;

		while (a < end && (*a == ' ' || *a == ':' || *a == '-'))
			a++;
		for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++) {
			size_t n = strlen(none[k]);

			if ((size_t)(end - a) >= n && memcmp(a, none[k], n) == 0 &&
			    ((size_t)(end - a) == n || !((a[n] >= 'a' && a[n] <= 'z') ||
							 (a[n] >= '0' && a[n] <= '9'))) &&
			    /* "OFFICIAL-SENSITIVE - none of this to go further" marks */
			    !((size_t)(end - a) >= n + 3 && memcmp(a + n, " of", 3) == 0))
				return true;
		}
	}
	before = (size_t)(text - s->norm.data);
	for (size_t k = 0; k < sizeof(deny) / sizeof(deny[0]); k++) {
		size_t n = strlen(deny[k].w);
		unsigned char c;

		if (before < n || memcmp(text - n, deny[k].w, n) != 0)
			continue;
		if (!deny[k].word_start || before == n)
			return true;
		c = (unsigned char)text[-(ptrdiff_t)n - 1];
		if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return true;
	}
	return false;
}

static int on_match(void *ctx, size_t pat, const char *text, size_t len)
{
	struct em_scan *s = ctx;
	struct hit *h = &s->hits[pat];
	struct em_pattern_info pi;

	em_rules_pattern(s->rules, pat, &pi);
	if (pi.kind == EM_EV_MARKER && marker_denied(s, text, len))
		return EM_MATCH_NEXT;
	h->count++;
	if (h->nev == EV_PER_PATTERN)
		return 0;
	for (size_t i = 0; i < h->nev; i++)
		if (strcmp(h->ev[i].where, s->where) == 0)
			return 0; /* one place is enough per pattern */
	if (len > EV_TEXT_MAX) {
		len = EV_TEXT_MAX;
		while (len && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--; /* never cut a UTF-8 character */
	}
	struct em_evidence *e = &h->ev[h->nev];
	e->kind = pi.kind;
	e->where = strdup(s->where);
	e->text = strndup(text, len);
	if (e->where == NULL || e->text == NULL) {
		free(e->where);
		free(e->text);
		s->flags |= SF_NOMEM;
		return 0;
	}
	h->nev++;
	return 0;
}

/* Normalizes UTF-8 text and runs the rules over it. */
static void match_utf8(struct em_scan *s, const char *where, const char *text, size_t len)
{
	int rc;

	if (len == 0 || !may_continue(s))
		return;
	em_buf_reset(&s->norm);
	if (em_norm_append(text, len, &s->norm) < 0) {
		s->flags |= SF_NOMEM;
		return;
	}
	s->where = where;
	if (s->sink)
		s->sink(s->sink_ctx, where, s->norm.data ? s->norm.data : "", s->norm.len);
	if (s->fph && em_fp_scan(em_rules_fp_index(s->rules), em_rules_config(s->rules)->fp_key,
				 s->norm.data ? s->norm.data : "", s->norm.len, where, s->fph) < 0)
		s->flags |= SF_NOMEM;
	rc =
	    em_matcher_scan(s->matcher, s->norm.data ? s->norm.data : "", s->norm.len, on_match, s);
	if (rc == -1)
		s->flags |= SF_NOMEM;
	else if (rc == -2)
		s->flags |= SF_REGEX_LIMIT;
}

/*
 * Matches one reading of a text (reply quote prefixes removed when unquote),
 * and, when it holds bidi controls, the same text in display order too: a
 * phrase stored backwards between U+202E and U+202C is read as shown.
 */
static void match_reading(struct em_scan *s, const char *where, const char *t, size_t n,
			  bool unquote)
{
	if (n == 0)
		return;
	if (unquote && em_reply_quoted(t, n)) { /* else unquoting is the identity */
		em_buf_reset(&s->uq);
		if (em_unquote_reply(t, n, &s->uq) < 0) {
			s->flags |= SF_NOMEM;
			return;
		}
		t = s->uq.data ? s->uq.data : "";
		n = s->uq.len;
	}
	match_utf8(s, where, t, n);
	if (em_bidi_present(t, n)) {
		em_buf_reset(&s->bidi);
		if (em_bidi_display(t, n, &s->bidi) < 0) {
			s->flags |= SF_NOMEM;
			return;
		}
		match_utf8(s, where, s->bidi.data, s->bidi.len);
	}
	/* a link behind Safe Links / URL Defense, or a SharePoint sharing link,
	 * is matched as the plain URL it goes to (the release's `links`) */
	em_buf_reset(&s->url);
	int k = em_url_targets(t, n, &s->url);
	if (k < 0)
		s->flags |= SF_NOMEM;
	else if (k > 0)
		match_utf8(s, where, s->url.data, s->url.len);
}

/*
 * Sensitivity labels known by GUID (main config `labels`): wherever a
 * configured GUID occurs in label metadata (msip_labels header,
 * docProps/custom.xml, docMetadata/LabelInfo.xml), the label's name is
 * matched as text at that place, so a label whose name is a marker counts
 * as a marker.
 */
static void match_labels(struct em_scan *s, const char *where, const char *t, size_t n)
{
	const struct em_config *c = em_rules_config(s->rules);

	if (c->nlabels == 0 || n == 0)
		return;
	em_buf_reset(&s->lab);
	if (em_buf_append(&s->lab, t, n) < 0) {
		s->flags |= SF_NOMEM;
		return;
	}
	for (size_t i = 0; i < s->lab.len; i++)
		if (s->lab.data[i] >= 'A' && s->lab.data[i] <= 'F')
			s->lab.data[i] = (char)(s->lab.data[i] + 32);
	for (size_t i = 0; i < c->nlabels; i++)
		if (memmem(s->lab.data, s->lab.len, c->labels[i].id, strlen(c->labels[i].id)))
			match_utf8(s, where, c->labels[i].name, strlen(c->labels[i].name));
}

static bool is_label_member(const char *member)
{
	size_t n = strlen(member);

	return (n >= 19 && strcasecmp(member + n - 19, "docProps/custom.xml") == 0) ||
	       (n >= 25 && strcasecmp(member + n - 25, "docMetadata/LabelInfo.xml") == 0);
}

/* ---- what the MIME walk hands us --------------------------------------- */

static bool header_is_scanned(const char *name)
{
	static const char *const names[] = {
	    "subject",
	    "thread-topic",
	    "keywords",
	    "msip_labels",
	    "x-protective-marking",
	    "x-classification",
	    "x-security-classification",
	    "x-tm-classification",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

/* Matches a header value as written (bytes read as UTF-8 or windows-1252). */
static void raw_header(struct em_scan *s, const char *where, const char *value, size_t len)
{
	bool lossy = false;

	em_buf_reset(&s->b);
	if (em_charset_to_utf8(NULL, value, len, &s->b, &lossy) < 0) {
		s->flags |= SF_NOMEM;
		return;
	}
	match_utf8(s, where, s->b.data, s->b.len);
}

/*
 * An Auto-Submitted field value (RFC 3834 section 5) saying "auto-replied":
 * a keyword after optional folding white space, ended by white space, ";",
 * "(" (a comment) or the end, compared without case.
 */
static bool is_auto_replied(const char *v, size_t len)
{
	static const char kw[] = "auto-replied";
	size_t i = 0, k = sizeof(kw) - 1;

	while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n'))
		i++;
	if (len - i < k || strncasecmp(v + i, kw, k) != 0)
		return false;
	i += k;
	return i == len || v[i] == ' ' || v[i] == '\t' || v[i] == ';' || v[i] == '(' ||
	       v[i] == '\r' || v[i] == '\n';
}

/*
 * A Content-Type field value of a read receipt or a bounce: multipart/report
 * (RFC 6522) with report-type disposition-notification (an MDN, RFC 8098) or
 * delivery-status (a DSN, RFC 3464). Outlook sends its read receipts without
 * Auto-Submitted; they quote the subject of the message they answer.
 */
static bool is_receipt_or_bounce(const char *v, size_t len)
{
	char *c = strndup(v, len), *r;
	bool yes = false;

	if (c == NULL)
		return false;
	for (r = c; *r == ' ' || *r == '\t' || *r == '\r' || *r == '\n'; r++)
		;
	if (strncasecmp(r, "multipart/report", 16) == 0 && (r = strcasestr(r, "report-type")) != NULL) {
		r += 11;
		while (*r == ' ' || *r == '\t' || *r == '=' || *r == '"')
			r++;
		yes = strncasecmp(r, "disposition-notification", 24) == 0 ||
		      strncasecmp(r, "delivery-status", 15) == 0;
	}
	free(c);
	return yes;
}

static int on_header(void *ctx, const struct em_mime_part *p, bool message_header, const char *name,
		     const char *value, size_t len)
{
	struct em_scan *s = ctx;
	bool top = message_header && !p->in_nested;
	char *where = NULL;

	if (message_header && em_lineage_header(s->lineage, p->in_nested || s->nest > 0, p->where,
						name, value, len) < 0)
		s->flags |= SF_NOMEM;
	if (top && ((strcasecmp(name, "auto-submitted") == 0 && is_auto_replied(value, len)) ||
		    (strcasecmp(name, "content-type") == 0 && is_receipt_or_bounce(value, len))))
		s->flags |= SF_AUTO_REPLIED;
	if (!message_header || !header_is_scanned(name)) {
		if (top && s->message_id == NULL && strcasecmp(name, "message-id") == 0)
			s->message_id = strndup(value, len);
		return 0;
	}
	em_buf_reset(&s->a);
	if (em_rfc2047_decode(value, len, &s->a) < 0) {
		s->flags |= SF_NOMEM;
		return 0;
	}
	if (top && strcasecmp(name, "subject") == 0) {
		if (s->subject == NULL)
			s->subject = strdup(s->a.data ? s->a.data : "");
		match_utf8(s, "subject", s->a.data, s->a.len);
		/* the raw text too: a fake encoded word must not hide plain text */
		if (s->a.len != len || memcmp(s->a.data, value, len) != 0)
			raw_header(s, "subject", value, len);
		return 0;
	}
	if (top || strcmp(p->where, "header") == 0 || *p->where == '\0') {
		if (asprintf(&where, "header:%s", name) < 0)
			where = NULL;
	} else if (asprintf(&where, "%s/header:%s", p->where, name) < 0) {
		where = NULL;
	}
	if (where == NULL) {
		s->flags |= SF_NOMEM;
		return 0;
	}
	match_utf8(s, where, s->a.data, s->a.len);
	if (s->a.len != len || memcmp(s->a.data, value, len) != 0)
		raw_header(s, where, value, len);
	if (strcasecmp(name, "msip_labels") == 0)
		match_labels(s, where, value, len);
	free(where);
	return 0;
}

/* Declared text that is really HTML (text/plain bodies that are markup) is
 * read as both; cheap insurance against a lying Content-Type. */
static bool looks_like_html(const char *d, size_t n)
{
	size_t lim = n < 1024 ? n : 1024;

	for (size_t i = 0; i + 5 < lim; i++)
		if (d[i] == '<' &&
		    (strncasecmp(d + i, "<html", 5) == 0 || strncasecmp(d + i, "<body", 5) == 0 ||
		     strncasecmp(d + i, "<div", 4) == 0 || strncasecmp(d + i, "<!doc", 5) == 0))
			return true;
	return false;
}

/* Mostly printable with no NUL in the first 8 KB: worth reading as text. */
static bool looks_like_text(const unsigned char *d, size_t n)
{
	size_t lim = n < 8192 ? n : 8192, odd = 0;

	for (size_t i = 0; i < lim; i++) {
		if (d[i] == 0)
			return false;
		if (d[i] < 0x20 && d[i] != '\n' && d[i] != '\r' && d[i] != '\t' && d[i] != '\f')
			odd++;
	}
	return odd * 20 < lim + 1;
}

/* UTF-16 text without a declared charset (a .txt saved by Notepad). */
static const char *sniff_utf16(const unsigned char *d, size_t n)
{
	size_t lim = n < 4096 ? n : 4096, even0 = 0, odd0 = 0;

	if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
		return "UTF-16";
	if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF)
		return "UTF-16";
	for (size_t i = 0; i + 1 < lim; i += 2) {
		even0 += d[i] == 0;
		odd0 += d[i + 1] == 0;
	}
	if (lim >= 8 && odd0 * 3 > lim / 2 && even0 * 10 < lim / 2)
		return "UTF-16LE";
	if (lim >= 8 && even0 * 3 > lim / 2 && odd0 * 10 < lim / 2)
		return "UTF-16BE";
	return NULL;
}

/*
 * Reads a text part every way a client might show it: as stored (tags
 * removed, every text node) and as displayed (hidden elements dropped,
 * <img alt> in place, title= text; format=flowed lines joined; bidi
 * overrides applied), each matched.
 */
static void text_leaf(struct em_scan *s, const struct em_mime_part *p, const char *where,
		      const char *charset, bool html, bool plain, const char *d, size_t n)
{
	bool lossy = false;
	int shown;
	const char *a = d; /* the part as UTF-8: d itself when it already is */
	size_t an = n;

	if (!em_charset_is_identity(charset, d, n)) {
		em_buf_reset(&s->a);
		if (em_charset_to_utf8(charset, d, n, &s->a, &lossy) < 0) {
			s->flags |= SF_NOMEM;
			return;
		}
		a = s->a.data ? s->a.data : "";
		an = s->a.len;
	}
	if (html || looks_like_html(a, an)) {
		em_buf_reset(&s->b);
		if (em_html_to_text(a, an, &s->b) < 0) {
			s->flags |= SF_NOMEM;
			return;
		}
		/* a plain-text reply turned into HTML keeps its "> " prefixes */
		match_reading(s, where, s->b.data, s->b.len, true);
		em_buf_reset(&s->b);
		em_buf_reset(&s->c);
		if ((shown = em_html_display(a, an, &s->b, &s->c)) < 0) {
			s->flags |= SF_NOMEM;
			return;
		}
		if (shown)
			match_reading(s, where, s->b.data, s->b.len, true);
		match_reading(s, where, s->c.data, s->c.len, false);
		if (html)
			return;
	}
	if (plain) {
		match_reading(s, where, a, an, true);
		if (p && p->flowed) {
			em_buf_reset(&s->b);
			if (em_flowed_display(a, an, p->delsp, &s->b) < 0) {
				s->flags |= SF_NOMEM;
				return;
			}
			match_reading(s, where, s->b.data, s->b.len, false);
		}
	} else {
		match_reading(s, where, a, an, false);
	}
}

/* An iCalendar object (text/calendar, .ics): its properties' text, and the
 * HTML copy of the description, read as text and as HTML. */
static int on_leaf(void *ctx, const struct em_mime_part *p, const char *d, size_t n);

struct ical_ctx {
	struct em_scan *s;
	const struct em_mime_part *p;
};

/* A file inline in a calendar (ATTACH;ENCODING=BASE64): read as an
 * attachment named under the calendar part. */
static int on_ical_file(void *ctx, const char *name, const char *data, size_t len)
{
	struct ical_ctx *c = ctx;
	struct em_scan *s = c->s;
	struct em_mime_part p = {.type = "application/octet-stream", .in_nested = true};
	char *where;

	if (!may_continue(s))
		return 1;
	if (s->nest >= s->lim.max_depth) {
		s->flags |= SF_ZIP_DEPTH;
		return 0;
	}
	if (asprintf(&where, "%s/%s", c->p->where, *name ? name : "ATTACH") < 0) {
		s->flags |= SF_NOMEM;
		return 0;
	}
	p.filename = name;
	p.where = where;
	p.depth = c->p->depth + 1;
	s->nest++;
	on_leaf(s, &p, data, len);
	s->nest--;
	free(where);
	return 0;
}

static void calendar_leaf(struct em_scan *s, const struct em_mime_part *p, const char *d, size_t n)
{
	struct em_buf txt = EM_BUF_INIT, html = EM_BUF_INIT, cal = EM_BUF_INIT;
	struct ical_ctx ic = {s, p};
	bool lossy = false;

	/* its own buffer: an inline file is read (on_leaf) while the walk
	 * still reads this text, and on_leaf uses s->a */
	if (em_charset_to_utf8(p->charset, d, n, &cal, &lossy) < 0 ||
	    em_ical_to_text_files(cal.data ? cal.data : "", cal.len, &txt, &html, on_ical_file,
				  &ic) < 0) {
		s->flags |= SF_NOMEM;
	} else {
		if (txt.len)
			text_leaf(s, NULL, p->where, "utf-8", false, false, txt.data, txt.len);
		if (html.len)
			text_leaf(s, NULL, p->where, "utf-8", true, false, html.data, html.len);
	}
	em_buf_free(&txt);
	em_buf_free(&html);
	em_buf_free(&cal);
}

/* A file uuencoded or yEnc-encoded in a text body is read like an
 * attachment of that name. */
static int on_embedded(void *ctx, const char *name, const char *data, size_t len)
{
	struct em_scan *s = ctx;
	const char *where = s->embed_where;
	struct em_mime_part p = {.type = "application/octet-stream"};
	char *w = NULL;

	if (asprintf(&w, "%s/attachment:%s", where, *name ? name : "(unnamed)") < 0) {
		s->flags |= SF_NOMEM;
		return 0;
	}
	p.filename = *name ? name : NULL;
	p.where = w;
	p.depth = 1;
	s->nest++;
	on_leaf(s, &p, data, len);
	s->nest--;
	s->embed_where = where;
	free(w);
	return may_continue(s) ? 0 : 1;
}

static void embedded_files(struct em_scan *s, const char *where, const char *d, size_t n)
{
	unsigned ef = 0;

	if (!em_embed_maybe(d, n))
		return;
	if (s->nest >= s->lim.max_depth) {
		s->flags |= SF_ZIP_DEPTH;
		unreadable(s, where, "nesting limit: encoded file inside encoded file");
		return;
	}
	s->embed_where = where;
	if (em_embed_scan(d, n, s->lim.max_decoded, on_embedded, s, &ef) < 0)
		s->flags |= SF_NOMEM;
	if (ef & EM_EMBED_TOO_BIG)
		unreadable(s, where, "size limit: encoded file cut");
}

struct zip_ctx {
	struct em_scan *s;
	const char *where;
	struct em_buf path;
	struct em_buf text; /* member text without reply quote prefixes */
};

static bool on_wants(void *ctx, const struct em_mime_part *p, const char *d, size_t n);
static void unreadable(struct em_scan *s, const char *where, const char *why);
static bool extract_wants(struct em_scan *s, const char *d, size_t n);
static bool extract_leaf(struct em_scan *s, const struct em_mime_part *p, const char *d, size_t n);

/* Walks a message found inside an archive with the same callbacks; the
 * nesting of archives and messages is capped by max_depth. */
static void walk_saved_message(struct em_scan *s, const char *text, size_t len)
{
	struct em_mime_cb cb = {.ctx = s, .header = on_header, .leaf = on_leaf, .wants = on_wants};
	struct em_mime *m;

	if (s->nest >= s->lim.max_depth) {
		s->flags |= SF_ZIP_DEPTH;
		return;
	}
	if ((m = em_mime_new(&s->lim, &cb)) == NULL) {
		s->flags |= SF_NOMEM;
		return;
	}
	s->nest++;
	em_mime_push(m, text, len);
	em_mime_finish(m);
	s->nest--;
	if (em_mime_flags(m) & (EM_MIME_TOO_BIG | EM_MIME_TOO_DEEP | EM_MIME_TOO_MANY))
		s->flags |= SF_ZIP_DEPTH;
	if (em_mime_flags(m) & EM_MIME_NOMEM)
		s->flags |= SF_NOMEM;
	em_mime_free(m);
}

/* How many of the first lines of text are header fields a saved message
 * starts with (RFC 5322: From, To, Subject, Date, Message-ID, Received, ...),
 * up to the first blank line or 40 lines. */
static int message_headers(const char *t, size_t n)
{
	static const char *const names[] = {"from:", "to:", "cc:", "subject:", "date:",
					    "message-id:", "received:", "return-path:",
					    "mime-version:", "content-type:", "reply-to:",
					    "delivered-to:", "x-mailer:", "sender:"};
	int found = 0;

	for (size_t i = 0, lines = 0; i < n && lines < 40; lines++) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - t) : n;

		if (e == i || (e == i + 1 && t[i] == '\r'))
			break; /* the blank line after the header */
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			found += e - i > strlen(names[k]) &&
				 strncasecmp(t + i, names[k], strlen(names[k])) == 0;
		i = e + 1;
	}
	return found;
}

/* Walks each message of an mbox (RFC 4155: a "From " line before each). */
static void walk_mbox(struct em_scan *s, const char *t, size_t n)
{
	for (size_t start = 0; start < n;) {
		const char *nl = memchr(t + start, '\n', n - start);
		size_t b = nl ? (size_t)(nl - t) + 1 : n; /* after the "From " line */
		const char *next = b < n ? memmem(t + b, n - b, "\nFrom ", 6) : NULL;
		size_t e = next ? (size_t)(next - t) + 1 : n;

		walk_saved_message(s, t + b, e - b);
		if (!may_continue(s))
			return;
		start = e;
	}
}

static int on_zip_text(void *ctx, const char *member, const char *text, size_t len)
{
	struct zip_ctx *z = ctx;
	const char *base = strrchr(member, '/') ? strrchr(member, '/') + 1 : member;
	size_t ml = strlen(member);

	em_buf_reset(&z->path);
	if (em_buf_puts(&z->path, z->where) < 0 || em_buf_putc(&z->path, '/') < 0 ||
	    em_buf_puts(&z->path, member) < 0) {
		z->s->flags |= SF_NOMEM;
		return 0;
	}
	/* a message saved into the archive is walked as a message: a .eml, a
	 * file without extension that starts with two header fields, an mbox
	 * (Thunderbird's export: "From " lines); the last two are also read as
	 * text below, so a lookalike loses nothing */
	if (len > 4 && ml > 4 && strcasecmp(member + ml - 4, ".eml") == 0 && memchr(text, ':', len)) {
		walk_saved_message(z->s, text, len);
		return may_continue(z->s) ? 0 : 1;
	}
	const char *nl = memchr(text, '\n', len);
	size_t h = nl ? (size_t)(nl - text) + 1 : len; /* after an mbox "From " line */

	if (len > 5 && strncmp(text, "From ", 5) == 0 && message_headers(text + h, len - h) >= 2)
		walk_mbox(z->s, text, len);
	else if (strchr(base, '.') == NULL && message_headers(text, len) >= 2)
		walk_saved_message(z->s, text, len);
	if (!may_continue(z->s))
		return 1;
	if (is_label_member(member))
		match_labels(z->s, z->path.data, text, len);
	/* member text is UTF-8; normalize via the same path as any text, with
	 * reply prefixes dropped as for a text/plain body (a saved reply) */
	em_buf_reset(&z->text);
	if (em_unquote_reply(text, len, &z->text) < 0) {
		z->s->flags |= SF_NOMEM;
		return 0;
	}
	match_utf8(z->s, z->path.data, z->text.data, z->text.len);
	return may_continue(z->s) ? 0 : 1;
}

/* A binary member of an archive (a PDF in a zipped pack, an object embedded
 * in a document): read as an attachment named by its member path. */
static int on_zip_file(void *ctx, const char *member, const char *data, size_t len)
{
	struct zip_ctx *z = ctx;
	struct em_scan *s = z->s;
	struct em_mime_part p = {.type = "application/octet-stream", .in_nested = true};
	const char *base = strrchr(member, '/') ? strrchr(member, '/') + 1 : member;

	if (s->nest >= s->lim.max_depth) {
		s->flags |= SF_ZIP_DEPTH;
		return 0;
	}
	em_buf_reset(&z->path);
	if (em_buf_puts(&z->path, z->where) < 0 || em_buf_putc(&z->path, '/') < 0 ||
	    em_buf_puts(&z->path, member) < 0) {
		s->flags |= SF_NOMEM;
		return 0;
	}
	p.filename = base;
	p.where = z->path.data;
	s->nest++;
	on_leaf(s, &p, data, len);
	s->nest--;
	return may_continue(s) ? 0 : 1;
}

static void zip_leaf(struct em_scan *s, const char *where, const char *d, size_t n)
{
	struct em_zip_limits zl = {
	    .max_bytes = s->lim.max_decoded,
	    .max_ratio = s->lim.max_zip_ratio,
	    .max_depth = s->lim.max_depth,
	    .max_entries = 10000,
	    .report_names = true,
	};
	struct zip_ctx z = {s, where, EM_BUF_INIT, EM_BUF_INIT};
	unsigned zf = 0;

	if (em_zip_scan_files(d, n, &zl, on_zip_text, on_zip_file, &z, &zf) == -1)
		s->flags |= SF_NOMEM;
	em_buf_free(&z.path);
	em_buf_free(&z.text);
	if (zf & EM_ZIP_ENCRYPTED) {
		s->flags |= SF_ENCRYPTED;
		note(s, "password-protected archive %s could not be read", where);
		unreadable(s, where, "password-protected archive");
	}
	if (zf & EM_ZIP_CORRUPT) {
		s->flags |= SF_ZIP_CORRUPT;
		note(s, "damaged archive %s could not be fully read", where);
		unreadable(s, where, "damaged archive");
	}
	if (zf & EM_ZIP_RATIO) {
		s->flags |= SF_ZIP_BOMB;
		unreadable(s, where, "compression ratio limit");
	}
	if (zf & (EM_ZIP_DEPTH | EM_ZIP_ENTRIES)) {
		s->flags |= SF_ZIP_DEPTH;
		unreadable(s, where, "archive nesting or entry limit");
	}
	if (zf & EM_ZIP_TOO_BIG) {
		s->flags |= SF_ZIP_BIG;
		unreadable(s, where, "size limit");
	}
}

/* Every zip archive inside d (behind a stub, back to back); false when
 * none is found by its central directory. */
static bool zip_all(struct em_scan *s, const char *where, const char *d, size_t n)
{
	size_t from = 0, a, b;
	bool any = false;

	while (may_continue(s) && em_zip_find(d, n, &from, &a, &b)) {
		zip_leaf(s, where, d + a, b - a);
		any = true;
	}
	return any;
}

/* An OLE2 compound file holding an encrypted Office document. */
static bool is_encrypted_ole(const unsigned char *d, size_t n)
{
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	static const char tag[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e";

	if (n < 512 || memcmp(d, ole, 8) != 0)
		return false;
	return memmem(d, n < (1u << 20) ? n : (1u << 20), tag, sizeof(tag) - 1) != NULL;
}

/* Image, audio and PDF signatures: nothing the engine can read. */
static bool is_opaque_binary(const unsigned char *d, size_t n)
{
	static const struct {
		const char *sig;
		size_t len;
	} sigs[] = {
	    {"\x89PNG", 4}, {"\xff\xd8\xff", 3}, {"GIF8", 4}, {"%PDF", 4},
	    {"II*\0", 4},   {"MM\0*", 4},	 {"ID3", 3},  {"\x1a\x45\xdf\xa3", 4},
	    {"OggS", 4},    {"RIFF", 4},
	};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (n >= sigs[i].len && memcmp(d, sigs[i].sig, sigs[i].len) == 0)
			return true;
	return false;
}

/* What a body's protection lets us read. */
enum secrecy {
	SEC_NONE = 0,	 /* readable */
	SEC_ENCRYPTED,	 /* S/MIME enveloped/authEnveloped data, OpenPGP message */
	SEC_SIGNED_DATA, /* S/MIME opaque-signed: the text is inside, in clear */
	SEC_RIGHTS,	 /* rights-protected (IRM / sensitivity-label encryption) */
};

/*
 * The content type of a CMS ContentInfo (RFC 5652 section 3): the first
 * object identifier of the DER/BER blob. 2 = signedData (1.2.840.113549.1.7.2),
 * 3 = envelopedData (.7.3), 23 = authEnvelopedData (1.2.840.113549.1.9.16.1.23,
 * RFC 5083); 0 when d is not a ContentInfo.
 */
static int cms_content_type(const unsigned char *d, size_t n)
{
	static const unsigned char pkcs7[] = {0x06, 0x09, 0x2a, 0x86, 0x48,
					      0x86, 0xf7, 0x0d, 0x01, 0x07};
	static const unsigned char authenv[] = {0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7,
						0x0d, 0x01, 0x09, 0x10, 0x01, 0x17};
	size_t i = 2;

	if (n < 16 || d[0] != 0x30)
		return 0;
	if (d[1] & 0x80)
		i += d[1] & 0x7f; /* long or indefinite length */
	if (i + sizeof(authenv) > n)
		return 0;
	if (memcmp(d + i, pkcs7, sizeof(pkcs7)) == 0 && i + sizeof(pkcs7) < n)
		return d[i + sizeof(pkcs7)];
	if (memcmp(d + i, authenv, sizeof(authenv)) == 0)
		return 23;
	return 0;
}

/* A line "-----BEGIN PGP MESSAGE-----" at a line start, with an END line
 * after it and armoured base64 in between (RFC 4880 section 6.2): only that
 * is an encrypted block; a text quoting the BEGIN line is not. */
static bool has_pgp_armour(const char *d, size_t n)
{
	static const char begin[] = "-----BEGIN PGP MESSAGE-----";
	static const char end[] = "-----END PGP MESSAGE-----";
	size_t lim = n < (1u << 20) ? n : (1u << 20), from = 0;
	const char *b;

	while (from < lim && (b = memmem(d + from, lim - from, begin, sizeof(begin) - 1)) != NULL) {
		size_t at = (size_t)(b - d), i = at + sizeof(begin) - 1, b64 = 0;

		from = i;
		if (at > 0 && d[at - 1] != '\n')
			continue;
		while (i < lim && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r'))
			i++;
		if (i < lim && d[i] != '\n')
			continue; /* text goes on after the BEGIN line */
		/* armour header lines, an empty line, base64, then the END line */
		while (i < lim) {
			const char *nl = memchr(d + i + 1, '\n', lim - i - 1);
			size_t ls = i + 1, le = nl ? (size_t)(nl - d) : lim, k;

			while (le > ls && (d[le - 1] == '\r' || d[le - 1] == ' '))
				le--;
			if (le - ls >= sizeof(end) - 1 && memcmp(d + ls, end, sizeof(end) - 1) == 0)
				return b64 > 0;
			for (k = ls; k < le; k++) {
				char c = d[k];
				if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				      (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '='))
					break;
			}
			if (k == le && le > ls)
				b64++;
			else if (le > ls && memchr(d + ls, ':', le - ls) == NULL)
				break; /* neither base64 nor an armour header: not armour */
			if (nl == NULL)
				break;
			i = le < (size_t)(nl - d) ? (size_t)(nl - d) : le;
		}
	}
	return false;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* Is this body protected, and how? By content first (a CMS blob, an OpenPGP
 * armour block), then by declared type and name. */
static enum secrecy body_secrecy(const struct em_mime_part *p, const char *d, size_t n)
{
	const char *type = p->type;
	int cms = cms_content_type((const unsigned char *)d, n);

	if (strcmp(type, "application/x-microsoft-rpmsg-message") == 0 ||
	    has_suffix(p->filename, ".rpmsg"))
		return SEC_RIGHTS;
	if (cms == 3 || cms == 23)
		return SEC_ENCRYPTED;
	if (cms == 2)
		return SEC_SIGNED_DATA;
	if (strcmp(type, "application/pkcs7-mime") == 0 ||
	    strcmp(type, "application/x-pkcs7-mime") == 0 ||
	    strcmp(type, "application/pgp-encrypted") == 0)
		return SEC_ENCRYPTED;
	return has_pgp_armour(d, n) ? SEC_ENCRYPTED : SEC_NONE;
}

/* Records a protected body as unreadable; true when it was one. */
static bool protected_body(struct em_scan *s, const struct em_mime_part *p, const char *d, size_t n)
{
	switch (body_secrecy(p, d, n)) {
	case SEC_NONE:
		return false;
	case SEC_ENCRYPTED:
		s->flags |= SF_ENCRYPTED;
		note(s, "encrypted content %s could not be read", p->where);
		unreadable(s, p->where, "encrypted (S/MIME enveloped data or OpenPGP)");
		return true;
	case SEC_SIGNED_DATA:
		unreadable(s, p->where, "signed-data not opened");
		return true;
	case SEC_RIGHTS:
		s->flags |= SF_ENCRYPTED;
		note(s, "rights-protected message %s could not be read", p->where);
		unreadable(s, p->where, "rights-protected (IRM) message");
		return true;
	}
	return false;
}

static bool on_wants(void *ctx, const struct em_mime_part *p, const char *d, size_t n)
{
	struct em_scan *s = ctx;
	const unsigned char *u = (const unsigned char *)d;

	/* the extractor first: S/MIME signed data is read there */
	if (extract_wants(s, d, n))
		return true;
	if (n && protected_body(s, p, d, n))
		return false;

	if (!is_opaque_binary(u, n) || em_zip_sniff(d, n))
		return true;
	if (n >= 4 && memcmp(d, "%PDF", 4) == 0)
		note(s, "PDF %s is not scanned (its text is not extracted)", p->where);
	if (p->filename) /* the name is still read */
		match_utf8(s, p->where, p->filename, strlen(p->filename));
	return false;
}

static int on_leaf(void *ctx, const struct em_mime_part *p, const char *d, size_t n)
{
	struct em_scan *s = ctx;
	const unsigned char *u = (const unsigned char *)d;

	if (!may_continue(s))
		return 0;
	if (p->filename)
		match_utf8(s, p->where, p->filename, strlen(p->filename));
	if (extract_leaf(s, p, d, n))
		return 0;
	if (protected_body(s, p, d, n))
		return 0;
	/* Content first, the declared type second: a .docx declared text/plain
	 * is opened by its name, as a document, never shown as text. */
	if (em_zip_sniff(d, n)) {
		if (!zip_all(s, p->where, d, n))
			zip_leaf(s, p->where, d, n);
	} else if (strcmp(p->type, "text/calendar") == 0 || has_suffix(p->filename, ".ics") ||
		   em_ical_sniff(d, n)) {
		calendar_leaf(s, p, d, n);
		/* and as the stored text, like any text part */
		text_leaf(s, p, p->where, p->charset, false, false, d, n);
	} else if (strcmp(p->type, "text/html") == 0 ||
		   strcmp(p->type, "application/xhtml+xml") == 0) {
		text_leaf(s, p, p->where, p->charset, true, false, d, n);
	} else if (strncmp(p->type, "text/", 5) == 0) {
		const char *cs = p->charset ? p->charset : sniff_utf16(u, n);
		text_leaf(s, p, p->where, cs, false, strcmp(p->type, "text/plain") == 0, d, n);
		embedded_files(s, p->where, d, n);
	} else if (zip_all(s, p->where, d, n)) {
		/* a zip behind a stub (self-extractor) or two back to back */
	} else if (is_encrypted_ole(u, n)) {
		s->flags |= SF_ENCRYPTED;
		note(s, "encrypted Office document %s could not be read", p->where);
		unreadable(s, p->where, "encrypted Office document");
	} else if (sniff_utf16(u, n)) {
		text_leaf(s, p, p->where, sniff_utf16(u, n), false, false, d, n);
	} else if (looks_like_text(u, n)) {
		text_leaf(s, p, p->where, p->charset, false, false, d, n);
		embedded_files(s, p->where, d, n);
	}
	return 0;
}

/* ---- formats read by the sandboxed extractor ----------------------------- */

/* True when an image is worth OCR: big enough to hold a table, or of a
 * size the header does not tell (the extractor then decides). */
static bool image_wanted(const struct em_scan *s, const char *d, size_t n)
{
	unsigned long w, h;

	if (s->x == NULL || !s->x->images)
		return false;
	if (!em_sniff_image_size(d, n, &w, &h))
		return true;
	return w >= s->x->ocr_min_width && h >= s->x->ocr_min_height;
}

/* Asked with a leaf's first bytes: true for a kind the extractor reads. */
static bool extract_wants(struct em_scan *s, const char *d, size_t n)
{
	enum em_sniff_kind k = em_sniff(d, n);

	if (k == EM_SNIFF_NONE)
		return false;
	if (em_sniff_is_image(k))
		return image_wanted(s, d, n);
	return true;
}

struct extract_ctx {
	struct em_scan *s;
	const char *where;
	unsigned depth;
	struct em_buf path;
};

static const char *extract_path(struct extract_ctx *e, const char *sep, const char *suffix)
{
	em_buf_reset(&e->path);
	if (em_buf_puts(&e->path, e->where) < 0 || em_buf_puts(&e->path, sep) < 0 ||
	    em_buf_puts(&e->path, suffix ? suffix : "") < 0) {
		e->s->flags |= SF_NOMEM;
		return NULL;
	}
	return e->path.data;
}

static void on_extract_text(void *ctx, const char *suffix, const char *utf8, size_t len)
{
	struct extract_ctx *e = ctx;
	const char *w = extract_path(e, "", suffix);

	if (w != NULL)
		match_utf8(e->s, w, utf8, len);
}

static void on_extract_message(void *ctx, const char *suffix, const char *data, size_t len)
{
	struct extract_ctx *e = ctx;

	walk_saved_message(e->s, data, len);
}

static void on_extract_file(void *ctx, const char *name, const char *data, size_t len)
{
	struct extract_ctx *e = ctx;
	struct em_scan *s = e->s;
	struct em_mime_part p = {.type = "application/octet-stream", .in_nested = true};
	char *where;

	if (!may_continue(s))
		return;
	if (s->nest >= s->lim.max_depth) {
		s->flags |= SF_ZIP_DEPTH;
		return;
	}
	if (extract_path(e, "/", name) == NULL || (where = strdup(e->path.data)) == NULL) {
		s->flags |= SF_NOMEM;
		return;
	}
	p.filename = name;
	p.where = where;
	p.depth = e->depth + 1;
	s->nest++;
	on_leaf(s, &p, data, len);
	s->nest--;
	free(where);
}

static void on_extract_unreadable(void *ctx, const char *suffix, const char *why)
{
	struct extract_ctx *e = ctx;
	const char *w = extract_path(e, "", suffix);

	unreadable(e->s, w ? w : e->where, why);
}

/*
 * A leaf whose content is a kind the extractor reads: hands it over.
 * Returns true when the leaf is handled; false to go on with the ordinary
 * leaf logic (RTF is also read as raw text, an encrypted Office file and
 * unknown kinds take their old paths).
 */
static bool extract_leaf(struct em_scan *s, const struct em_mime_part *p, const char *d, size_t n)
{
	enum em_sniff_kind k = em_sniff(d, n);
	struct extract_ctx e = {s, p->where, p->depth, EM_BUF_INIT};
	struct em_extract_sink sink = {&e, on_extract_text, on_extract_message, on_extract_file,
				       on_extract_unreadable};
	char why[80];

	if (k == EM_SNIFF_NONE ||
	    (k == EM_SNIFF_OLE2 && is_encrypted_ole((const unsigned char *)d, n)))
		return false;
	if (em_sniff_is_image(k) && !image_wanted(s, d, n))
		return true; /* a logo, or OCR off: nothing is read from it */
	if (k == EM_SNIFF_PKCS7_ENVELOPED) {
		unreadable(s, p->where, "encrypted (S/MIME enveloped-data)");
		return true;
	}
	if (s->x == NULL) {
		snprintf(why, sizeof(why), "no extractor for %s", em_sniff_name(k));
		unreadable(s, p->where, why);
		return k != EM_SNIFF_RTF;
	}
	if (s->nest >= s->lim.max_depth) {
		s->flags |= SF_ZIP_DEPTH;
		return true;
	}
	s->nest++;
	s->x->extract(s->x->ctx, p->where, p->filename, k, d, n, &sink);
	s->nest--;
	em_buf_free(&e.path);
	return k != EM_SNIFF_RTF;
}

void em_scan_set_extractor(struct em_scan *s, const struct em_extractor *x)
{
	s->x = x;
}

/* ---- lifecycle ----------------------------------------------------------- */

struct em_scan *em_scan_new(const struct em_rules *rules, const struct em_limits *lim)
{
	struct em_scan *s = calloc(1, sizeof(*s));
	struct em_mime_cb cb;

	if (s == NULL)
		return NULL;
	s->rules = rules;
	s->lim = lim ? *lim : em_rules_config(rules)->limits;
	s->npat = em_rules_pattern_count(rules);
	s->hits = calloc(s->npat + 1, sizeof(*s->hits));
	s->hitpat = calloc(s->npat + 1, sizeof(*s->hitpat));
	s->matcher = em_matcher_new(rules);
	cb.ctx = s;
	cb.header = on_header;
	cb.leaf = on_leaf;
	cb.wants = on_wants;
	s->mime = em_mime_new(&s->lim, &cb);
	if (!em_fp_index_empty(em_rules_fp_index(rules)) &&
	    (s->fph = em_fp_hits_new(em_rules_fp_index(rules))) == NULL) {
		em_scan_free(s);
		return NULL;
	}
	s->lineage = em_lineage_new();
	if (!s->hits || !s->hitpat || !s->matcher || !s->mime || !s->lineage) {
		em_scan_free(s);
		return NULL;
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &s->cpu0);
	return s;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void em_scan_free(struct em_scan *s)
{
	if (s == NULL)
		return;
	em_mime_free(s->mime);
	em_matcher_free(s->matcher);
	em_fp_hits_free(s->fph);
	for (size_t i = 0; s->hits && i < s->npat; i++)
		for (size_t k = 0; k < s->hits[i].nev; k++) {
			free(s->hits[i].ev[k].where);
			free(s->hits[i].ev[k].text);
		}
	free(s->hits);
	free(s->hitpat);
	free(s->sender);
	free_strv(s->rcpts, s->nrcpts);
	free(s->subject);
	free(s->message_id);
	em_lineage_free(s->lineage);
	em_lineage_hits_free(s->lhits, s->nlhits);
	for (size_t i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	for (size_t i = 0; i < s->nunr; i++) {
		free(s->unr[i].where);
		free(s->unr[i].why);
	}
	em_buf_free(&s->a);
	em_buf_free(&s->b);
	em_buf_free(&s->c);
	em_buf_free(&s->norm);
	em_buf_free(&s->uq);
	em_buf_free(&s->bidi);
	em_buf_free(&s->url);
	em_buf_free(&s->lab);
	free(s);
}

void em_scan_set_text_sink(struct em_scan *s, em_scan_text_fn fn, void *ctx)
{
	s->sink = fn;
	s->sink_ctx = ctx;
}

int em_scan_set_sender(struct em_scan *s, const char *addr)
{
	char *a = strdup(addr ? addr : "");

	if (a == NULL)
		return -1;
	free(s->sender);
	s->sender = a;
	return 0;
}

void em_scan_set_calendar(struct em_scan *s, const struct em_caldata *cal)
{
	s->cal = cal;
}

int em_scan_add_rcpt(struct em_scan *s, const char *addr)
{
	char **v = realloc(s->rcpts, (s->nrcpts + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	s->rcpts = v;
	if ((v[s->nrcpts] = strdup(addr)) == NULL)
		return -1;
	s->nrcpts++;
	return 0;
}

void em_scan_clear_rcpts(struct em_scan *s)
{
	free_strv(s->rcpts, s->nrcpts);
	s->rcpts = NULL;
	s->nrcpts = 0;
}

int em_scan_push(struct em_scan *s, const char *data, size_t len)
{
	if (!may_continue(s))
		return (s->flags & SF_NOMEM) ? -1 : 0;
	em_mime_push(s->mime, data, len);
	if (em_mime_flags(s->mime) & EM_MIME_NOMEM) {
		s->flags |= SF_NOMEM;
		return -1;
	}
	return 0;
}

static const char *const ev_kind_names[EM_EV__COUNT] = {
    [EM_EV_MARKER] = "marker",	 [EM_EV_IDENTIFIER] = "identifier", [EM_EV_CONTENT] = "content",
    [EM_EV_EXCERPT] = "excerpt", [EM_EV_FIGURES] = "figures",	    [EM_EV_LINK] = "link",
    [EM_EV_THREAD] = "thread",
};

const char *em_ev_kind_name(enum em_ev_kind k)
{
	return (unsigned)k < EM_EV__COUNT ? ev_kind_names[k] : NULL;
}

int em_ev_kind_parse(const char *s)
{
	for (int k = 0; k < EM_EV__COUNT; k++)
		if (strcmp(s, ev_kind_names[k]) == 0)
			return k;
	return -1;
}

enum em_action em_action_max(enum em_action a, enum em_action b)
{
	if (a == EM_TEMPFAIL)
		return b;
	if (b == EM_TEMPFAIL)
		return a;
	return a > b ? a : b;
}

/* ---- the decision ------------------------------------------------------- */

static int strv_push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL)
		return -1;
	*v = nv;
	if ((nv[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

/* Message-wide limits reached are unreadable items too ("message"). */
static void limits_unreadable(struct em_scan *s)
{
	unsigned mf = em_mime_flags(s->mime);

	if (mf & EM_MIME_TOO_BIG)
		unreadable(s, "message", "size limit (max_decoded_mb)");
	if (mf & EM_MIME_TOO_DEEP)
		unreadable(s, "message", "nesting limit (max_depth)");
	if (mf & EM_MIME_TOO_MANY)
		unreadable(s, "message", "part limit (max_parts)");
	if (mf & EM_MIME_HEADER_CUT)
		unreadable(s, "message", "header limit (max_header_kb)");
	if (s->flags & SF_REGEX_LIMIT)
		unreadable(s, "message", "pattern limit");
	if (s->flags & SF_CPU)
		unreadable(s, "message", "CPU limit (max_cpu_seconds)");
}

static int add_reasons(struct em_scan *s, struct em_verdict *v)
{
	unsigned mf = em_mime_flags(s->mime);
	char buf[160];
	int bad = 0;

	if (mf & EM_MIME_TOO_BIG || s->flags & SF_ZIP_BIG) {
		snprintf(buf, sizeof(buf), "size limit: more than %zu MB of decoded content",
			 s->lim.max_decoded / (1024 * 1024));
		bad |= strv_push(&v->incomplete, &v->nincomplete, buf);
	}
	if (mf & EM_MIME_TOO_DEEP || s->flags & SF_ZIP_DEPTH) {
		snprintf(buf, sizeof(buf), "nesting limit: deeper than %u levels",
			 s->lim.max_depth);
		bad |= strv_push(&v->incomplete, &v->nincomplete, buf);
	}
	if (mf & EM_MIME_TOO_MANY) {
		snprintf(buf, sizeof(buf), "part limit: more than %u MIME parts", s->lim.max_parts);
		bad |= strv_push(&v->incomplete, &v->nincomplete, buf);
	}
	if (mf & EM_MIME_HEADER_CUT)
		bad |= strv_push(&v->incomplete, &v->nincomplete,
				 "header limit: a header field too large");
	if (s->flags & SF_ZIP_BOMB) {
		snprintf(buf, sizeof(buf),
			 "compression ratio limit: an archive entry expands more than %u:1",
			 s->lim.max_zip_ratio);
		bad |= strv_push(&v->incomplete, &v->nincomplete, buf);
	}
	if (s->flags & SF_ENCRYPTED)
		bad |= strv_push(&v->incomplete, &v->nincomplete,
				 "encrypted content cannot be scanned");
	if (s->flags & SF_ZIP_CORRUPT)
		bad |= strv_push(&v->incomplete, &v->nincomplete,
				 "damaged archive cannot be fully scanned");
	if (s->flags & SF_REGEX_LIMIT)
		bad |= strv_push(&v->incomplete, &v->nincomplete,
				 "pattern limit: a rule could not finish on this text");
	if (s->flags & SF_CPU) {
		snprintf(buf, sizeof(buf), "CPU limit: scan took more than %.0f s",
			 s->lim.max_cpu_seconds);
		bad |= strv_push(&v->incomplete, &v->nincomplete, buf);
	}
	if (s->flags & SF_UNREADABLE)
		bad |= strv_push(&v->incomplete, &v->nincomplete, "unreadable content (see notes)");
	if ((mf & EM_MIME_NOMEM) || (s->flags & SF_NOMEM))
		bad |= strv_push(&v->incomplete, &v->nincomplete, "out of memory");
	if ((s->flags & SF_UNREADABLE) && v->nincomplete == 0 && s->nunr) {
		/* an item with no flag of its own (a format not opened, signed
		 * data): the first one says why */
		snprintf(buf, sizeof(buf), "unreadable content: %s (%s)", s->unr[0].why,
			 s->unr[0].where);
		bad |= strv_push(&v->incomplete, &v->nincomplete, buf);
	}
	return bad ? -1 : 0;
}

/*
 * Does the message carry a signal for a release still embargoed at `at`: a
 * global marker, or any hit of a pattern of that release? A structure built
 * to defeat the scan (nesting beyond max_depth, more than max_parts parts, a
 * header beyond max_header_kb, a decompression bomb, archives nested or
 * crowded beyond their limits) is itself such a signal: ordinary mail never
 * has one, and whatever it hides past the limit cannot have been seen.
 */
static bool lineage_match(const struct em_scan *s, const char *release);

/* When release r is published: its publish_at, or the later time the
 * release calendar postponed it to (a cancelled release: never). */
static time_t published_at(const struct em_scan *s, const struct em_release *r)
{
	time_t pub;

	em_caldata_effective(s->cal, r->calendar_uid, r->publish_at, &pub);
	return pub;
}

static bool signalled(const struct em_scan *s, time_t at)
{
	size_t nrel = em_rules_count(s->rules);
	bool embargoed = false;

	for (size_t i = 0; i < nrel && !embargoed; i++)
		embargoed = at < published_at(s, em_rules_release(s->rules, i));
	if (!embargoed)
		return false;
	if ((em_mime_flags(s->mime) & (EM_MIME_TOO_DEEP | EM_MIME_TOO_MANY | EM_MIME_HEADER_CUT)) ||
	    (s->flags & (SF_ZIP_BOMB | SF_ZIP_DEPTH)))
		return true;
	for (size_t p = 0; p < s->npat; p++) {
		struct em_pattern_info pi;

		if (s->hits[p].count == 0)
			continue;
		em_rules_pattern(s->rules, p, &pi);
		if (pi.release == -1 ||
		    at < published_at(s, em_rules_release(s->rules, (size_t)pi.release)))
			return true;
	}
	/* any evidence is a signal: a passage or a headline figure of a release
	 * document, or a thread that carried the release */
	for (size_t i = 0; i < nrel; i++) {
		const struct em_release *r = em_rules_release(s->rules, i);
		const char *t, *w;
		unsigned words;

		if (at >= published_at(s, r))
			continue;
		if (em_fp_hits_excerpt(s->fph, (unsigned)i, &t, &w, &words) ||
		    em_fp_hits_figures(s->fph, (unsigned)i, &t, &w) || lineage_match(s, r->id))
			return true;
	}
	return false;
}

static bool recipient_allowed(const struct em_config *c, const struct em_release *r, time_t at,
			      const char *rcpt)
{
	return em_addr_list_match(c->always_allowed, rcpt) ||
	       em_addr_list_match(r->producers, rcpt) ||
	       (at >= r->pre_release_from && em_addr_list_match(r->pra, rcpt)) ||
	       em_pra_allows(r->pra_entries, rcpt, at, r->pre_release_from, r->publish_at);
}

/* Adds one evidence item (copies of where and text). */
static int add_evidence(struct em_release_verdict *rv, enum em_ev_kind kind, const char *where,
			const char *text)
{
	struct em_evidence *d = &rv->evidence[rv->nevidence];

	d->kind = kind;
	d->where = strdup(where);
	d->text = strdup(text);
	if (!d->where || !d->text) {
		free(d->where);
		free(d->text);
		return -1;
	}
	rv->nevidence++;
	return 0;
}

/* Copies the evidence of the patterns that belong to release i (its own and
 * the global markers), strong kinds first; excerpt and figures come from
 * the fingerprint hits. */
/*
 * Whether rv already lists evidence of e's kind, place and text: two
 * patterns can find the same words (a release's marker that is also a
 * default or marker-set marker), and a reader should see them once.
 */
static bool evidence_listed(const struct em_release_verdict *rv, const struct em_evidence *e)
{
	for (size_t k = 0; k < rv->nevidence; k++)
		if (rv->evidence[k].kind == e->kind && strcmp(rv->evidence[k].where, e->where) == 0 &&
		    strcmp(rv->evidence[k].text, e->text) == 0)
			return true;
	return false;
}

/*
 * Release i's headline-figure evidence: 2 strong (min_figures distinct
 * figures), 1 weak (fewer, but one finding told as the draft has it:
 * "applications to foster fell to a record low of 8,730", see
 * em_fp_hits_finding; the sender is asked), 0 none. *text, *where and
 * *nfig (may be NULL) as em_fp_hits_figures gives them.
 */
static int figure_strength(const struct em_scan *s, size_t i, const char **text,
			   const char **where, size_t *nfig)
{
	size_t n = em_fp_hits_figures(s->fph, (unsigned)i, text, where);

	if (nfig)
		*nfig = n;
	if (n == 0)
		return 0;
	if (n >= em_rules_release(s->rules, i)->min_figures)
		return 2;
	return em_fp_hits_finding(s->fph, (unsigned)i);
}

static int release_evidence(struct em_scan *s, int i, struct em_release_verdict *rv)
{
	static const enum em_ev_kind order[] = {EM_EV_CONTENT, EM_EV_LINK, EM_EV_IDENTIFIER,
						EM_EV_MARKER};
	const char *text, *where;
	unsigned words;
	size_t n = 2;

	for (size_t p = 0; p < s->npat; p++) {
		struct em_pattern_info pi;
		em_rules_pattern(s->rules, p, &pi);
		if (pi.release == i || pi.release == -1)
			n += s->hits[p].nev;
	}
	rv->evidence = calloc(n + 1, sizeof(*rv->evidence));
	if (rv->evidence == NULL)
		return -1;
	if (em_fp_hits_excerpt(s->fph, (unsigned)i, &text, &where, &words) &&
	    add_evidence(rv, EM_EV_EXCERPT, where, text) < 0)
		return -1;
	if (figure_strength(s, (size_t)i, &text, &where, NULL) > 0 &&
	    add_evidence(rv, EM_EV_FIGURES, where, text) < 0)
		return -1;
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		for (size_t p = 0; p < s->npat; p++) {
			struct em_pattern_info pi;
			em_rules_pattern(s->rules, p, &pi);
			if ((pi.release != i && pi.release != -1) || pi.kind != order[o])
				continue;
			for (size_t k = 0; k < s->hits[p].nev; k++) {
				struct em_evidence *d = &rv->evidence[rv->nevidence];
				if (evidence_listed(rv, &s->hits[p].ev[k]))
					continue;
				d->kind = s->hits[p].ev[k].kind;
				d->where = strdup(s->hits[p].ev[k].where);
				d->text = strdup(s->hits[p].ev[k].text);
				if (!d->where || !d->text) {
					free(d->where);
					free(d->text);
					return -1;
				}
				rv->nevidence++;
			}
		}
	return 0;
}

/* ---- thread lineage (em_lineage.h) -------------------------------------- */

void em_scan_set_lineage(struct em_scan *s, const struct em_lineage_lookup *lk)
{
	if (lk)
		s->lk = *lk;
	else
		memset(&s->lk, 0, sizeof(s->lk));
}

const struct em_lineage *em_scan_lineage(const struct em_scan *s)
{
	return s->lineage;
}

/* Asks the store once; a failure is a note (lineage only adds holds, so a
 * store that cannot answer must not tempfail all mail). */
static void lineage_lookup(struct em_scan *s)
{
	const struct em_lineage_key *k;
	const char **keys;
	size_t n;
	char err[160] = "";

	if (s->lk.lookup == NULL)
		return;
	k = em_lineage_lookup_keys(s->lineage, &n);
	if (em_lineage_truncated(s->lineage))
		note(s, "thread lineage: more than %s threading keys, the rest not looked up",
		     "256");
	if (n == 0)
		return;
	if ((keys = calloc(n, sizeof(*keys))) == NULL) {
		s->flags |= SF_NOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++)
		keys[i] = k[i].key;
	if (s->lk.lookup(s->lk.ctx, keys, n, &s->lhits, &s->nlhits, err, sizeof(err)) < 0) {
		s->lhits = NULL;
		s->nlhits = 0;
		note(s, "thread lineage store not consulted: %s", err);
	}
	free(keys);
}

/* A recorded origin of this release among the hits (subjects never count). */
static bool lineage_match(const struct em_scan *s, const char *release)
{
	size_t n;
	const struct em_lineage_key *k = em_lineage_lookup_keys(s->lineage, &n);

	for (size_t i = 0; i < s->nlhits; i++)
		if (s->lhits[i].key < n && strncmp(k[s->lhits[i].key].key, "sub:", 4) != 0 &&
		    strcmp(s->lhits[i].release, release) == 0)
			return true;
	return false;
}

/* Which link names an origin best: a direct reply first, the conversation
 * GUID and the message's own id last. */
static int where_rank(const char *where)
{
	if (strcmp(where, "header:In-Reply-To") == 0)
		return 0;
	if (strcmp(where, "header:References") == 0)
		return 1;
	if (strstr(where, "/header:") != NULL)
		return 2; /* an attached message */
	if (strcmp(where, "header:Thread-Index") == 0)
		return 3;
	return 4;
}

static bool same_origin(const struct em_lineage_hit *a, const struct em_lineage_hit *b)
{
	return (a->message_id && b->message_id && strcmp(a->message_id, b->message_id) == 0) ||
	       (a->record && b->record && strcmp(a->record, b->record) == 0);
}

/* Appends one `thread` evidence per origin (at most EV_PER_PATTERN), the
 * best link of each first. Returns 0 or -1 out of memory. */
static int lineage_evidence(struct em_scan *s, const char *release, struct em_release_verdict *rv)
{
	size_t n, added = 0;
	const struct em_lineage_key *k = em_lineage_lookup_keys(s->lineage, &n);
	const struct em_lineage_hit *done[EV_PER_PATTERN];

	for (int rank = 0; rank <= 4; rank++)
		for (size_t i = 0; i < s->nlhits && added < EV_PER_PATTERN; i++) {
			const struct em_lineage_hit *h = &s->lhits[i];
			struct em_evidence *ne;
			bool seen = false;

			if (h->key >= n || strcmp(h->release, release) != 0 ||
			    strncmp(k[h->key].key, "sub:", 4) == 0 ||
			    where_rank(k[h->key].where) != rank)
				continue;
			for (size_t j = 0; j < added; j++)
				seen |= same_origin(h, done[j]);
			if (seen)
				continue;
			ne = realloc(rv->evidence, (rv->nevidence + 1) * sizeof(*ne));
			if (ne == NULL)
				return -1;
			rv->evidence = ne;
			ne = &rv->evidence[rv->nevidence];
			ne->kind = EM_EV_THREAD;
			ne->where = strdup(k[h->key].where);
			ne->text = em_lineage_hit_text(h);
			if (!ne->where || !ne->text) {
				free(ne->where);
				free(ne->text);
				return -1;
			}
			rv->nevidence++;
			done[added++] = h;
		}
	return 0;
}

const char *em_scan_lineage_via(const struct em_scan *s, const char *release)
{
	size_t n;
	const struct em_lineage_key *k = em_lineage_lookup_keys(s->lineage, &n);

	for (size_t i = 0; i < s->nlhits; i++)
		if (s->lhits[i].key < n && strncmp(k[s->lhits[i].key].key, "sub:", 4) != 0 &&
		    strcmp(s->lhits[i].release, release) == 0)
			return s->lhits[i].message_id ? s->lhits[i].message_id : s->lhits[i].record;
	return NULL;
}

/* Is every envelope recipient blocked by some release of v? (em_act then
 * quarantines a strip, which would leave no recipient.) */
static bool strip_leaves_nobody(const struct em_scan *s, const struct em_verdict *v)
{
	for (size_t k = 0; k < s->nrcpts; k++) {
		bool blocked = false;

		for (size_t i = 0; i < v->nreleases && !blocked; i++)
			for (size_t b = 0; b < v->releases[i].nblocked && !blocked; b++)
				blocked = strcmp(v->releases[i].blocked[b], s->rcpts[k]) == 0;
		if (!blocked)
			return false;
	}
	return true;
}

/* An equal normalized subject: a note, never evidence. */
static void lineage_subject_notes(struct em_scan *s, const struct em_rules *rules, time_t at)
{
	size_t n;
	const struct em_lineage_key *k = em_lineage_lookup_keys(s->lineage, &n);

	for (size_t i = 0; i < s->nlhits; i++) {
		const struct em_lineage_hit *h = &s->lhits[i];
		if (h->key >= n || strncmp(k[h->key].key, "sub:", 4) != 0)
			continue;
		for (size_t r = 0; r < em_rules_count(rules); r++) {
			const struct em_release *rel = em_rules_release(rules, r);
			time_t pub; /* the release calendar may have postponed it */
			em_caldata_effective(s->cal, rel->calendar_uid, rel->publish_at, &pub);
			if (strcmp(rel->id, h->release) == 0 && at < pub)
				note(s,
				     "the subject equals that of a message matched to release %s "
				     "(only a note: subjects are not evidence)",
				     h->release);
		}
	}
}

static int decide(struct em_scan *s, time_t at, struct em_verdict *v)
{
	const struct em_config *c = em_rules_config(s->rules);
	size_t nrel = em_rules_count(s->rules);
	bool global_marker = false;
	enum em_action worst = EM_ACCEPT;
	bool blocks = false;
	size_t nhit = 0;

	/* Only the patterns that hit are looked at per release: clean mail has
	 * none, and releases x patterns was most of this function's time. */
	for (size_t p = 0; p < s->npat; p++) {
		struct em_pattern_info pi;

		if (s->hits[p].count == 0)
			continue;
		s->hitpat[nhit++] = p;
		em_rules_pattern(s->rules, p, &pi);
		if (pi.release == -1)
			global_marker = true;
	}
	v->releases = calloc(nrel + 1, sizeof(*v->releases));
	if (v->releases == NULL)
		return -1;
	lineage_lookup(s);
	for (size_t i = 0; i < nrel; i++) {
		const struct em_release *r = em_rules_release(s->rules, i);
		bool content = false, ident = false, marker = global_marker, link = false;
		bool excerpt, figures, strong;
		const char *ft, *fw;
		unsigned words;
		size_t nfig;
		int fstrength; /* figure_strength */
		bool thread = lineage_match(s, r->id);

		for (size_t h = 0; h < nhit; h++) {
			struct em_pattern_info pi;
			em_rules_pattern(s->rules, s->hitpat[h], &pi);
			if (pi.release != (int)i)
				continue;
			content |= pi.kind == EM_EV_CONTENT;
			ident |= pi.kind == EM_EV_IDENTIFIER;
			marker |= pi.kind == EM_EV_MARKER;
			link |= pi.kind == EM_EV_LINK;
		}
		/* The release calendar may postpone publication (never advance it);
		 * the windows move with it: at_w is `at` on the rule's own clock. */
		time_t pub;
		enum em_cal_state cs =
		    em_caldata_effective(s->cal, r->calendar_uid, r->publish_at, &pub);
		time_t at_w = at - (pub - r->publish_at);

		if (at >= pub)
			continue; /* published: never blocks */
		/* Evidence strength: content, excerpt, figures, link are strong and get
		 * the release's action; an identifier and a marker alone, or one finding
		 * told on its own (figure_strength 1), are weak and get weak_action
		 * (default confirm). */
		excerpt = em_fp_hits_excerpt(s->fph, (unsigned)i, &ft, &fw, &words);
		fstrength = figure_strength(s, i, &ft, &fw, &nfig);
		figures = fstrength == 2;
		strong = content || excerpt || figures || link || thread;
		if (nfig && fstrength == 0)
			note(s,
			     "one headline figure of release %s is not enough (min_figures): not "
			     "held",
			     r->id);
		if (!strong && !(ident && marker) && fstrength == 0) {
			if (ident)
				note(s,
				     "release %s is named but nothing marks this copy as "
				     "embargoed: not held",
				     r->id);
			continue;
		}
		/* An automatic reply (an out-of-office, a read receipt, a bounce)
		 * goes back to the sender of the message it answers and usually
		 * quotes its marked subject: with weak evidence only, nobody would
		 * ever confirm it. Strong evidence (a quoted body with content,
		 * excerpt, figures) is still held. */
		if (!strong && (s->flags & SF_AUTO_REPLIED)) {
			note(s,
			     "release %s is named in an automatic reply (Auto-Submitted: "
			     "auto-replied, a read receipt or a bounce) with weak evidence "
			     "only: not held",
			     r->id);
			continue;
		}
		struct em_release_verdict *rv = &v->releases[v->nreleases++];
		rv->id = strdup(r->id);
		rv->title = strdup(r->title ? r->title : "");
		if (!rv->id || !rv->title)
			return -1;
		rv->publish_at = pub;
		rv->pre_release_from = r->pre_release_from + (pub - r->publish_at);
		rv->action = strong ? r->action : r->weak_action;
		rv->after_publication = r->after_publication;
		rv->pra_open = at_w >= r->pre_release_from;
		if (cs == EM_CAL_POSTPONED)
			note(s,
			     "release %s is postponed in the release calendar: the later time "
			     "applies",
			     r->id);
		else if (cs == EM_CAL_CANCELLED)
			note(s,
			     "release %s is cancelled in the release calendar: the embargo is kept",
			     r->id);
		for (size_t k = 0; k < s->nrcpts; k++)
			if (!recipient_allowed(c, r, at_w, s->rcpts[k]) &&
			    strv_push(&rv->blocked, &rv->nblocked, s->rcpts[k]) < 0)
				return -1;
		if (release_evidence(s, (int)i, rv) < 0)
			return -1;
		if (thread && lineage_evidence(s, r->id, rv) < 0)
			return -1;
		if (rv->nblocked) {
			blocks = true;
			worst = em_action_max(worst, rv->action);
		}
	}
	limits_unreadable(s);
	lineage_subject_notes(s, s->rules, at);
	if (add_reasons(s, v) < 0)
		return -1;
	/* The `unreadable` policy: what could not be read makes the scan
	 * incomplete only when it could matter now. Out of memory always does. */
	if (v->nincomplete && c->unreadable == EM_UNREADABLE_SIGNALLED &&
	    !((em_mime_flags(s->mime) & EM_MIME_NOMEM) || (s->flags & SF_NOMEM)) &&
	    !signalled(s, at)) {
		free_strv(v->incomplete, v->nincomplete);
		v->incomplete = NULL;
		v->nincomplete = 0;
		note(s, "%s",
		     "content that could not be read was let through: no embargoed release is "
		     "signalled in this message (unreadable = \"signalled\")");
	}
	if (blocks)
		v->action = c->mode == EM_MONITOR ? EM_FLAG : worst;
	else if (v->nincomplete)
		v->action = c->mode == EM_MONITOR ? EM_FLAG : c->on_error;
	else
		v->action = EM_ACCEPT;
	if (v->action == EM_STRIP && s->nrcpts > 0 && strip_leaves_nobody(s, v))
		note(s, "%s",
		     "no recipient is allowed, so nothing would be left after stripping: the "
		     "message is held in quarantine instead");
	return 0;
}

int em_scan_finish(struct em_scan *s, time_t at, struct em_verdict **out)
{
	struct em_verdict *v = calloc(1, sizeof(*v));
	const struct em_config *c = em_rules_config(s->rules);

	*out = NULL;
	if (v == NULL)
		return -1;
	em_mime_finish(s->mime);
	v->mode = c->mode;
	v->at = at;
	/* one spelling in records and reports: bare (em_addr_bare_dup); only
	 * the releases' blocked lists keep the envelope's (the MTA's) spelling */
	v->sender = em_addr_bare_dup(s->sender);
	if (v->sender == NULL)
		goto fail;
	for (size_t i = 0; i < s->nrcpts; i++) {
		char *bare = em_addr_bare_dup(s->rcpts[i]);
		int pushed = bare != NULL ? strv_push(&v->rcpts, &v->nrcpts, bare) : -1;

		free(bare);
		if (pushed < 0)
			goto fail;
	}
	if (s->subject && (v->subject = strdup(s->subject)) == NULL)
		goto fail;
	if (s->message_id && (v->message_id = strdup(s->message_id)) == NULL)
		goto fail;
	if (decide(s, at, v) < 0)
		goto fail;
	for (size_t i = 0; i < s->nnotes; i++)
		if (strv_push(&v->notes, &v->nnotes, s->notes[i]) < 0)
			goto fail;
	if (s->nunr) {
		v->unreadable = calloc(s->nunr + 1, sizeof(*v->unreadable));
		if (v->unreadable == NULL)
			goto fail;
		for (size_t i = 0; i < s->nunr; i++) {
			struct em_unreadable_item *d = &v->unreadable[i];
			char more[64];

			d->where = strdup(s->unr[i].where);
			if (i + 1 == s->nunr && s->unr_more) {
				snprintf(more, sizeof(more), " (and %zu more)", s->unr_more);
				if (asprintf(&d->why, "%s%s", s->unr[i].why, more) < 0)
					d->why = NULL;
			} else {
				d->why = strdup(s->unr[i].why);
			}
			v->nunreadable++;
			if (d->where == NULL || d->why == NULL)
				goto fail;
		}
	}
	*out = v;
	return 0;
fail:
	em_verdict_free(v);
	return -1;
}

void em_verdict_free(struct em_verdict *v)
{
	if (v == NULL)
		return;
	free(v->sender);
	free_strv(v->rcpts, v->nrcpts);
	free(v->subject);
	free(v->message_id);
	for (size_t i = 0; v->releases && i < v->nreleases; i++) {
		struct em_release_verdict *r = &v->releases[i];
		free(r->id);
		free(r->title);
		free_strv(r->blocked, r->nblocked);
		for (size_t k = 0; k < r->nevidence; k++) {
			free(r->evidence[k].where);
			free(r->evidence[k].text);
		}
		free(r->evidence);
	}
	free(v->releases);
	free_strv(v->notes, v->nnotes);
	free_strv(v->incomplete, v->nincomplete);
	for (size_t i = 0; v->unreadable && i < v->nunreadable; i++) {
		free(v->unreadable[i].where);
		free(v->unreadable[i].why);
	}
	free(v->unreadable);
	free(v);
}
