/*
 * em_act - verdict -> operations on the MTA. The pure piece of the milter
 * shell: it decides what happens to one message at end-of-message and drives
 * a small ops table (add/change header, delete recipient, quarantine, reply,
 * store); the shell binds the table to libmilter and em_store, the unit tests
 * bind it to a recorder.
 *
 * Owns: the fail-closed policy (on_error and its precedence), monitor mode,
 * strip -> quarantine when nobody is left, removal of forged X-Embargo-Milter
 * headers, the verdict header values and the SMTP reply / quarantine texts.
 * Must not depend on: libmilter, syslog, libconfig, jansson.
 *
 * Verdict header values (X-Embargo-Milter):
 *   accept
 *   flagged; release=ID; blocked=N
 *   stripped; release=ID; removed=N     (+ X-Embargo-Milter-Removed: a@x, b@y)
 *   quarantined; release=ID; record=REC
 *   quarantined; error=scan-incomplete; record=REC   (on_error = quarantine)
 *   quarantined; error=scan-incomplete; reason=unscannable; record=REC
 *       (a local submission that could not be fully scanned: held, not tempfailed)
 *   held; awaiting-confirmation; release=ID; record=REC   (confirm: held until
 *       the sender replies with the one-time code; shell/confirm sends it)
 *   monitor; would=ACTION; release=ID; blocked=N     (monitor mode)
 *   monitor; would=ACTION; error=scan-incomplete     (monitor, incomplete scan)
 * Rejected and tempfailed messages get no header (they are not accepted).
 */
#ifndef EM_ACT_H
#define EM_ACT_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/em_scan.h"
#include "../core/em_types.h"

#define EM_HDR_VERDICT "X-Embargo-Milter"
#define EM_HDR_REMOVED "X-Embargo-Milter-Removed"

/*
 * Side effects on the MTA and the store. Every function returns 0 on success
 * and -1 on failure; a failure makes the message fail closed (tempfail).
 * Header values are given without a leading space. idx of chg_header is the
 * 1-based index among headers of that name; value NULL deletes the header.
 */
struct em_act_ops {
	int (*add_header)(void *ctx, const char *name, const char *value);
	int (*chg_header)(void *ctx, const char *name, int idx, const char *value);
	int (*del_rcpt)(void *ctx, const char *rcpt);
	int (*quarantine)(void *ctx, const char *reason);
	/* nlines >= 1 lines of reply text, each printable ASCII with '%' doubled */
	int (*set_reply)(void *ctx, const char *rcode, const char *xcode, const char *const *lines,
			 size_t nlines);
	/* Saves the held message with its verdict (v may be NULL); writes the record id. */
	int (*store)(void *ctx, const struct em_verdict *v, const char *action_taken, char *id,
		     size_t idsz, char *err, size_t errsz);
	/* Not used by em_act; the shell's callbacks use them through the same table. */
	const char *(*getsymval)(void *ctx, const char *name);
	int (*progress)(void *ctx);
};

struct em_act_in {
	const struct em_verdict *v; /* NULL: the scan could not finish */
	const char *error;	    /* shell-side reason the message is not fully scanned or
				     * spooled (spool write failed, out of memory), or NULL */
	enum em_mode mode;	    /* used when v is NULL */
	enum em_action on_error;    /* EM_TEMPFAIL, EM_QUARANTINE or EM_REJECT */
	const char *contact;	    /* for reject texts; NULL = none */
	const char *timezone;	    /* for reject texts; NULL = Europe/London */
	const char *const *rcpts;   /* envelope recipients exactly as the MTA spelled them */
	size_t nrcpts;
	unsigned nforged;	  /* X-Embargo-Milter headers that arrived with the message */
	unsigned nforged_removed; /* X-Embargo-Milter-Removed headers that arrived */
	bool confirm_ok;	  /* confirm_address is set: confirm may hold for the
				   * sender's code (else confirm is quarantine) */
	bool local;		  /* submitted on the relay itself (non_smtpd_milters):
				   * an incomplete scan that is held reads "unscannable" */
};

enum em_act_reply {
	EM_ACT_CONTINUE = 0, /* accept the message (with the changes made) */
	EM_ACT_REJECT,	     /* 5xx, reply text set */
	EM_ACT_TEMPFAIL,     /* 4xx, reply text set */
};

struct em_act_out {
	enum em_act_reply reply;
	enum em_action taken; /* what was done: accept (also monitor mode), flag, strip,
			       * confirm, quarantine, reject, tempfail */
	enum em_action would; /* the enforcing decision; differs from taken in monitor
			       * mode and when a step failed */
	bool monitor;
	const char *release; /* most severe blocking release (points into the verdict) or NULL */
	size_t nblocked;     /* distinct blocked recipients over all blocking releases */
	size_t nremoved;     /* recipients deleted (strip) */
	char record[96];     /* quarantine record id, "" when none */
	char *why;	     /* malloc'd: why the fail-closed path was taken, or NULL */
	const char *reason;  /* why a hold without a matched release: "unscannable"
			      * (in.local) or "scan incomplete"; NULL otherwise. Set
			      * before ops->store is called (a static string). */
};

/*
 * Decides and applies the end-of-message action for in through ops (ctx is
 * passed to every op). Fills *out (release with em_act_out_free) and returns
 * out->reply. Never returns EM_ACT_CONTINUE for a message that could not be
 * fully scanned unless a blocking match already decided it or monitor mode
 * is on; out of memory inside em_act gives EM_ACT_TEMPFAIL.
 */
enum em_act_reply em_act_apply(const struct em_act_in *in, const struct em_act_ops *ops, void *ctx,
			       struct em_act_out *out);

/* Frees what em_act_apply allocated in out; accepts a zeroed out. */
void em_act_out_free(struct em_act_out *out);

/*
 * "embargo: ID to N not on PRA list (record REC)"-style one-line reason, at
 * most 250 bytes, into buf (bufsz >= 251). release NULL means the scan was
 * incomplete and error says why ("embargo: scan incomplete (WHY) (record
 * REC)"; em_act itself writes "embargo: unscannable (WHY) ..." for a local
 * submission). Exposed for tests and the shell's logs.
 */
void em_act_quarantine_reason(char *buf, size_t bufsz, const char *release, size_t nblocked,
			      const char *error, const char *record);

#endif
