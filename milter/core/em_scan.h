/*
 * em_scan - the one decision path: a message fed incrementally (envelope,
 * then the raw RFC 5322 bytes in any chunking), a rule set and a time in; a
 * verdict out. Used identically by `embargoctl scan` and by the milter.
 *
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 * Memory per scan is bounded by the limits (decoded bytes, header size,
 * parts); hitting a limit makes the scan incomplete, never a silent accept.
 * One scan is used by one thread at a time; many scans may share rules.
 */
#ifndef EM_SCAN_H
#define EM_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "em_caldata.h"
#include "em_lineage.h"
#include "em_rules.h"
#include "em_sniff.h"
#include "em_types.h"

/* Evidence kinds. Weak: an identifier and a marker with nothing else.
 * Strong: content, excerpt, figures, link, thread. */
enum em_ev_kind {
	EM_EV_MARKER = 0,
	EM_EV_IDENTIFIER,
	EM_EV_CONTENT,
	EM_EV_EXCERPT,	/* a passage of a fingerprinted release document */
	EM_EV_FIGURES,	/* min_figures headline figures of the release */
	EM_EV_LINK,	/* a link into the release's working area */
	EM_EV_THREAD,	/* a reply/forward of a message matched to the release */
	EM_EV__COUNT
};

/* "marker", "identifier", "content", "excerpt", "figures", "link", "thread";
 * NULL for an unknown value. A static string. */
const char *em_ev_kind_name(enum em_ev_kind k);
/* Parses a kind name; returns -1 when unknown. */
int em_ev_kind_parse(const char *s);

struct em_evidence {
	enum em_ev_kind kind;
	char *where;	/* "subject", "body", "header:NAME", "attachment:FILE[/MEMBER...]" */
	char *text;	/* the matched text, normalized */
};

/* One release whose content was found (matched) while still embargoed. */
struct em_release_verdict {
	char *id;
	char *title;
	time_t publish_at;
	time_t pre_release_from;
	enum em_action action;		/* the release's action (before monitor mode) */
	enum em_after_pub after_publication;
	bool pra_open;			/* at >= pre_release_from */
	char **blocked;			/* envelope spelling of recipients not allowed */
	size_t nblocked;
	struct em_evidence *evidence;
	size_t nevidence;
};

/* Something in the message that could not be read (encrypted, password-
 * protected, rights-protected, a format not opened, a limit reached). */
struct em_unreadable_item {
	char *where;	/* as em_evidence.where, or "message" for the whole message */
	char *why;	/* in words: "password-protected archive", ... */
};

struct em_verdict {
	enum em_action action;		/* final: accept .. reject, or tempfail */
	enum em_mode mode;
	time_t at;			/* decision time */
	char *sender;
	char **rcpts;
	size_t nrcpts;
	char *subject;			/* decoded, NULL when absent */
	char *message_id;		/* NULL when absent */
	struct em_release_verdict *releases;	/* matched, embargoed releases */
	size_t nreleases;
	char **notes;			/* e.g. "identifier of release X without a marker" */
	size_t nnotes;
	char **incomplete;		/* why the scan is incomplete; empty when complete */
	size_t nincomplete;
	/* What could not be read, whatever the action. With the config's
	 * `unreadable = "signalled"` policy (the default) an unreadable item
	 * makes the scan incomplete (on_error) only when a release is embargoed
	 * at `at` and the message carries a signal for it (a marker, an
	 * identifier or any other evidence); otherwise the message is accepted
	 * and this list says what was not read. `always`: every item makes the
	 * scan incomplete. Out of memory is always incomplete. */
	struct em_unreadable_item *unreadable;
	size_t nunreadable;
};

struct em_scan;

/*
 * Starts a scan. rules must stay alive until em_scan_free. lim NULL = the
 * rule set's configured limits. Returns NULL when out of memory.
 */
struct em_scan *em_scan_new(const struct em_rules *rules, const struct em_limits *lim);
void em_scan_free(struct em_scan *s);

/* Envelope; returns 0 or -1 out of memory. */
int em_scan_set_sender(struct em_scan *s, const char *addr);
int em_scan_add_rcpt(struct em_scan *s, const char *addr);
/*
 * The release calendar snapshot to decide with (NULL: none): releases with a
 * calendar_uid stay embargoed until the later of publish_at and the event's
 * start, or for good when it is cancelled (em_caldata_effective). Borrowed:
 * cal must stay alive until em_scan_finish returns.
 */
void em_scan_set_calendar(struct em_scan *s, const struct em_caldata *cal);

/* Forgets all recipients (a milter may see RCPT TO rejected later). */
void em_scan_clear_rcpts(struct em_scan *s);

/*
 * Feeds raw message bytes: header lines, the empty line, the body, in any
 * chunking (a marker straddling two chunks is still found). CRLF or LF line
 * ends. Returns 0; -1 when out of memory (the scan is then incomplete; keep
 * calling or go straight to em_scan_finish).
 */
int em_scan_push(struct em_scan *s, const char *data, size_t len);

/*
 * Ends the message and decides at time `at`. *out receives the verdict
 * (free with em_verdict_free). Returns 0, or -1 when out of memory (*out is
 * then NULL and the caller must apply on_error).
 */
int em_scan_finish(struct em_scan *s, time_t at, struct em_verdict **out);

void em_verdict_free(struct em_verdict *v);

/*
 * Extraction of complex binary formats (PDF, OLE2, RTF, TNEF, archives other
 * than zip, S/MIME signed-data, images) is injected: the core never forks and
 * never parses these formats itself. The adapter (milter/adapt/em_extract)
 * runs the sandboxed program milter/extract/embargo-extract and reports what
 * it read into the sink, during the extract call.
 *
 * Sink callbacks (all strings valid during the call only; where_suffix is
 * appended to the attachment's where, e.g. "/page-text" or "" ):
 *   text        UTF-8 text to match
 *   message     RFC 5322 bytes to walk as a message (S/MIME inner entity)
 *   file        a member file, dispatched again through the core's leaf
 *               logic (a .docx inside a .tar.gz is read by the zip reader)
 *   unreadable  what could not be read and why (crash, timeout, limit,
 *               encrypted, unknown format): the scan is marked incomplete
 */
struct em_extract_sink {
	void *ctx;
	void (*text)(void *ctx, const char *where_suffix, const char *utf8, size_t len);
	void (*message)(void *ctx, const char *where_suffix, const char *data, size_t len);
	void (*file)(void *ctx, const char *name, const char *data, size_t len);
	void (*unreadable)(void *ctx, const char *where_suffix, const char *why);
};

struct em_extractor {
	void *ctx;
	bool images;			/* OCR wanted (main config ocr = "auto") */
	unsigned long ocr_min_width;	/* smaller images are logos: not sent (pixels) */
	unsigned long ocr_min_height;
	/*
	 * Reads one attachment: where is its location ("attachment:a.pdf"),
	 * name its file name or NULL, kind what em_sniff found. Reports into
	 * sink before returning; every failure is reported as unreadable.
	 * Returns 0, or -1 when it could not run at all (also reported).
	 */
	int (*extract)(void *ctx, const char *where, const char *name, enum em_sniff_kind kind,
		       const void *data, size_t len, const struct em_extract_sink *sink);
};

/*
 * Sets the extractor used by this scan (x is kept by pointer and must
 * outlive the scan; NULL = none). Without one, an attachment that needs it
 * is unreadable (the scan is incomplete), and images are not read.
 */
void em_scan_set_extractor(struct em_scan *s, const struct em_extractor *x);

/*
 * Thread lineage (em_lineage.h): the store lookup em_scan_finish asks with
 * the message's threading keys (lk is copied; NULL = no lookup, the
 * default). A recorded origin of release R, while R is embargoed at the scan
 * time, matches R with evidence kind `thread` naming the origin; an equal
 * normalized subject is only a note. Lineage only ever adds a match.
 */
void em_scan_set_lineage(struct em_scan *s, const struct em_lineage_lookup *lk);
/* The message's threading keys, for recording it as an origin after the
 * decision (valid until em_scan_free; complete after em_scan_finish). */
const struct em_lineage *em_scan_lineage(const struct em_scan *s);
/* After em_scan_finish: the origin through which release was matched by
 * lineage (its "mid:..." key, else its record id), or NULL when it was not.
 * Owned by s. */
const char *em_scan_lineage_via(const struct em_scan *s, const char *release);

/*
 * Hands every normalized text the scan reads to fn (where it was found, the
 * bytes, valid only during the call) besides matching it: `embargoctl
 * fingerprint` reads release documents through the scan's own readers, so
 * every format the scan learns is fingerprinted the same way.
 */
typedef void (*em_scan_text_fn)(void *ctx, const char *where, const char *text, size_t len);
void em_scan_set_text_sink(struct em_scan *s, em_scan_text_fn fn, void *ctx);

/* Severity-ordered helper: the more severe of a and b (tempfail aside). */
enum em_action em_action_max(enum em_action a, enum em_action b);

#endif
