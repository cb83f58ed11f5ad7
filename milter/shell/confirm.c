/*
 * confirm - codes after a confirm hold, replies to confirm_address (see
 * confirm.h).
 *
 * Audit events (one JSON line each in audit_log):
 *   {"event":"confirm-notice", "at", "record", "queue_id", "to", "expires", "sent"}
 *   {"event":"confirm-request", "at", "record", "request", "by", "reason", "queue_id"}
 *   {"event":"confirm-refused", "at", "record"|null, "by", "why", "reason", "queue_id"}
 *   (with a shared store, a reply whose code another relay holds adds
 *   "relay": the relay holding the record; its request goes to that relay)
 * ("at" and "expires" are RFC 3339 UTC; queue_id is the reply's own.)
 */
#define _GNU_SOURCE
#include "confirm.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../adapt/em_confirm.h"
#include "../adapt/em_confirm_shared.h"
#include "../adapt/em_notify.h"
#include "../adapt/em_pg.h"
#include "../adapt/em_requests.h"
#include "../adapt/em_store.h"
#include "../core/em_addr.h"
#include "../core/em_settings.h"
#include "log.h"
#include "notify.h"
#include "record.h"

#define READ_MAX (1024 * 1024) /* bytes of a reply read: a reply is short */
#define ADDR_MAX 512

static unsigned confirm_seq;

enum em_confirm_rcpts em_confirm_rcpts_kind(const struct em_config *cfg, char *const *rcpts,
					    size_t n)
{
	char want[ADDR_MAX], got[ADDR_MAX];
	size_t hits = 0;

	if (cfg == NULL || cfg->confirm_address == NULL || n == 0)
		return EM_CONFIRM_RCPT_NONE;
	em_addr_canon(cfg->confirm_address, want, sizeof(want));
	for (size_t i = 0; i < n; i++)
		if (strcmp(em_addr_canon(rcpts[i] ? rcpts[i] : "", got, sizeof(got)), want) == 0)
			hits++;
	if (hits == 0)
		return EM_CONFIRM_RCPT_NONE;
	return hits == n ? EM_CONFIRM_RCPT_ONLY : EM_CONFIRM_RCPT_MIXED;
}

static void rfc3339(time_t t, char *buf, size_t sz)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, sz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, sz, "1970-01-01T00:00:00Z");
}

static void msgid(char *buf, size_t sz, time_t now, char kind)
{
	char host[256] = "localhost";
	unsigned seq = __atomic_add_fetch(&confirm_seq, 1, __ATOMIC_RELAXED);

	if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	for (char *h = host; *h; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		      (*h >= '0' && *h <= '9') || *h == '.' || *h == '-'))
			*h = '-';
	snprintf(buf, sz, "<%ld.%ld.%u.%c.confirm@%s>", (long)now, (long)getpid(), seq, kind, host);
}

/* json_string refuses invalid UTF-8; such a value is then null. */
static void jset(json_t *o, const char *k, const char *v)
{
	json_t *s = v ? json_string(v) : NULL;

	json_object_set_new(o, k, s ? s : json_null());
}

static void audit(const struct em_config *cfg, json_t *o, const char *qid)
{
	char err[256] = "";
	char *s;

	if (o == NULL)
		return;
	if (cfg->audit_log != NULL && (s = json_dumps(o, JSON_COMPACT)) != NULL) {
		size_t n = strlen(s);
		char *line = realloc(s, n + 2);

		if (line == NULL) {
			free(s);
		} else {
			line[n] = '\n';
			line[n + 1] = '\0';
			if (em_audit_append(cfg->audit_log, line, err, sizeof(err)) < 0)
				em_log(LOG_ERR, "%s: audit log %s: %s", qid, cfg->audit_log, err);
			free(line);
		}
	}
	json_decref(o);
}

static json_t *event(const char *name, time_t now, const char *qid)
{
	char at[32];
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	rfc3339(now, at, sizeof(at));
	jset(o, "event", name);
	jset(o, "at", at);
	jset(o, "queue_id", qid);
	return o;
}

/*
 * Would this notice itself be stopped by the live rules? 1 clean, 0 not,
 * -1 the check failed (not clean either). The same test shell/notify makes.
 */
static int notice_clean(const struct em_rules *rules, const char *env_from, const char *rcpt,
			const char *text, time_t now)
{
	struct em_scan *s = em_scan_new(rules, NULL);
	struct em_verdict *nv = NULL;
	int clean;

	if (s == NULL)
		return -1;
	if (em_scan_set_sender(s, env_from) < 0 || em_scan_add_rcpt(s, rcpt) < 0 ||
	    em_scan_push(s, text, strlen(text)) < 0 || em_scan_finish(s, now, &nv) < 0) {
		em_scan_free(s);
		return -1;
	}
	em_scan_free(s);
	clean = nv->action == EM_ACCEPT && nv->nincomplete == 0;
	em_verdict_free(nv);
	return clean ? 1 : 0;
}

/* Sends a notice the way every notice goes (notify_smtp by default, or the
 * configured sendmail command; see em_notify_send); logs. Returns 0 when the
 * sending started. */
static int send_text(const struct em_config *cfg, const char *what, const char *env_from,
		     const char *rcpt, const char *text, const char *qid)
{
	return em_notify_send(cfg, env_from, rcpt, text, qid, what, "");
}

/* ---- after a hold ---- */

struct put_code {
	const char *record, *sender, *salt, *hash;
	time_t now, expires;
	char err[256];
};

static int put_code_fn(struct em_store *st, void *p)
{
	struct put_code *a = p;

	return em_confirm_code_put(st, a->record, a->sender, a->salt, a->hash, a->now, a->expires,
				   a->err, sizeof(a->err));
}

void em_confirm_after_hold(const struct em_rules *rules, const struct em_verdict *v,
			   const struct em_act_out *out, const char *queue_id, time_t now)
{
	const struct em_config *cfg = em_rules_config(rules);
	const char *qid = queue_id ? queue_id : "unknown";
	char code[EM_CONFIRM_CODE_SIZE], salt[EM_CONFIRM_SALT_SIZE], hash[EM_CONFIRM_HASH_SIZE];
	char mid[400], exp_s[32];
	struct em_confirm_notice_in in;
	struct put_code pc;
	char *to = NULL, *text = NULL;
	time_t expires = now + EM_CONFIRM_MAX_AGE;
	bool sent = false;
	json_t *ev;

	if (out->taken != EM_CONFIRM || cfg == NULL || v == NULL || out->record[0] == '\0')
		return;
	if (em_notify_addr(v->sender, &to) != 0) {
		em_log(LOG_WARNING,
		       "%s: record %s held for confirmation, but the sender has no usable "
		       "address: it stays held for review",
		       qid, out->record);
		return;
	}
	for (size_t i = 0; i < v->nreleases; i++)
		if (v->releases[i].nblocked > 0 && v->releases[i].publish_at < expires)
			expires = v->releases[i].publish_at;
	if (em_confirm_code_new(code) < 0 || em_confirm_salt_new(salt) < 0 ||
	    em_confirm_hash(salt, code, hash) < 0) {
		em_log(LOG_ERR,
		       "%s: record %s: no confirmation code (getrandom: %m): it stays held", qid,
		       out->record);
		goto out;
	}
	memset(&pc, 0, sizeof(pc));
	pc.record = out->record;
	pc.sender = v->sender;
	pc.salt = salt;
	pc.hash = hash;
	pc.now = now;
	pc.expires = expires;
	if (em_record_with_store(cfg->quarantine_dir, put_code_fn, &pc, pc.err, sizeof(pc.err)) <
	    0) {
		em_log(LOG_ERR, "%s: record %s: confirmation code not stored (%s): it stays held",
		       qid, out->record, pc.err);
		goto out;
	}
	memset(&in, 0, sizeof(in));
	msgid(mid, sizeof(mid), now, 'c');
	in.v = v;
	in.sender = to;
	in.from = cfg->notify_from;
	in.confirm_address = cfg->confirm_address;
	in.confirm_url = cfg->confirm_url;
	in.code = code;
	in.record = out->record;
	in.contact = cfg->contact;
	in.timezone = cfg->timezone;
	in.message_id = mid;
	in.now = now;
	in.expires = expires;
	for (int pass = 0; pass < 2 && !sent; pass++) {
		in.omit_titles = pass == 1;
		free(text);
		text = NULL;
		if (em_confirm_notice_text(&in, &text) < 0) {
			em_log(LOG_ERR, "%s: confirmation notice: out of memory", qid);
			break;
		}
		if (notice_clean(rules, "<>", to, text, now) == 1)
			sent = send_text(cfg, "confirmation notice", "<>", to, text, qid) == 0;
		else if (pass == 1)
			em_log(LOG_WARNING,
			       "%s: confirmation notice to %s not sent: it would itself be "
			       "stopped; record %s stays held for review",
			       qid, to, out->record);
		else
			continue;
		break;
	}
	ev = event("confirm-notice", now, qid);
	if (ev != NULL) {
		rfc3339(expires, exp_s, sizeof(exp_s));
		jset(ev, "record", out->record);
		jset(ev, "to", to);
		jset(ev, "expires", exp_s);
		json_object_set_new(ev, "sent", json_boolean(sent));
	}
	audit(cfg, ev, qid);
out:
	free(text);
	free(to);
}

/* ---- a reply ---- */

struct redeem {
	const struct em_confirm_redeem_in *in;
	enum em_confirm_result res;
	char relay[256]; /* another relay's record (shared store); "" = this relay's */
	char record[EM_STORE_ID_SIZE];
	char request[EM_REQUEST_ID_SIZE];
	struct em_store_row *row;
	char err[256];
};

static int redeem_fn(struct em_store *st, void *p)
{
	struct redeem *a = p;

	if (em_confirm_redeem(st, a->in, &a->res, a->record, a->request, a->err, sizeof(a->err)) <
	    0)
		return -1;
	if (a->res == EM_CONFIRM_ACCEPTED &&
	    em_store_get(st, a->record, &a->row, a->err, sizeof(a->err)) != 0)
		a->row = NULL; /* the note to security then lacks the releases: not fatal */
	return 0;
}

/*
 * Rewrites quarantine_dir/requests.pending so that a systemd path unit
 * (embargo-milter-requests.path) starts the root job at once; the job never
 * writes this file, so it cannot trigger itself. Best effort: the timer
 * runs the job every minute anyway.
 */
static void poke_request_job(const struct em_config *cfg, const char *qid)
{
	char path[4096], stamp[32];
	int fd;

	snprintf(path, sizeof(path), "%s/requests.pending", cfg->quarantine_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0) {
		em_log(LOG_WARNING, "%s: %s: %m (the request job runs on its timer)", qid, path);
		return;
	}
	snprintf(stamp, sizeof(stamp), "%ld\n", (long)time(NULL));
	if (write(fd, stamp, strlen(stamp)) < 0)
		em_log(LOG_WARNING, "%s: %s: %m", qid, path);
	close(fd);
}

/* Reads up to READ_MAX bytes of fd from offset 0. */
static char *read_raw(int fd, size_t *len)
{
	char *b = malloc(READ_MAX);
	size_t n = 0;

	if (b == NULL)
		return NULL;
	while (n < READ_MAX) {
		ssize_t r = pread(fd, b + n, READ_MAX - n, (off_t)n);

		if (r < 0) {
			free(b);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return b;
}

static const char *refusal_phrase(enum em_confirm_result r)
{
	switch (r) {
	case EM_CONFIRM_NO_CODE:
		return "no confirmation code was found in it";
	case EM_CONFIRM_NO_REASON:
		return "it gave no reason; reply again with the code and one or two sentences "
		       "on why the recipients may have the message before publication";
	default:
		/* one phrase for all: a stranger must not learn which codes exist */
		return "the code was not accepted (it is unknown, already used, expired, or was "
		       "sent to a different address)";
	}
}

/* The security mailbox's note: the row's releases and blocked recipients. */
static void notify_security(const struct em_rules *rules, const struct em_config *cfg,
			    struct redeem *rd, const char *by, const char *reason, time_t now,
			    const char *qid)
{
	struct em_release_verdict rv;
	struct em_verdict v;
	struct em_confirm_notice_in in;
	char mid[400], *text = NULL, ids[512] = "";
	const char *env_from = cfg->notify_from && cfg->notify_from[0] ? cfg->notify_from : "<>";
	char *to = NULL;

	if (cfg->security_mailbox == NULL || em_notify_addr(cfg->security_mailbox, &to) != 0)
		return;
	memset(&v, 0, sizeof(v));
	memset(&rv, 0, sizeof(rv));
	if (rd->row != NULL && rd->row->nreleases > 0) {
		for (size_t i = 0; i < rd->row->nreleases; i++)
			snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%s%s",
				 i ? ", " : "", rd->row->releases[i]);
		rv.id = ids;
		rv.publish_at = rd->row->publish_at;
		rv.blocked = rd->row->blocked;
		rv.nblocked = rd->row->nblocked;
		v.releases = &rv;
		v.nreleases = 1;
	}
	memset(&in, 0, sizeof(in));
	msgid(mid, sizeof(mid), now, 'x');
	in.v = v.nreleases ? &v : NULL;
	in.from = cfg->notify_from;
	in.record = rd->record;
	in.timezone = cfg->timezone;
	in.message_id = mid;
	in.now = now;
	in.omit_titles = true;
	/* the reason is the sender's own text: it goes only if it is clean itself */
	for (int pass = 0; pass < 2; pass++) {
		free(text);
		text = NULL;
		if (em_confirm_security_text(&in, to, rd->request, by, pass == 0 ? reason : NULL,
					     &text) < 0)
			break;
		if (notice_clean(rules, env_from, to, text, now) == 1) {
			send_text(cfg, "confirmation note to security", env_from, to, text, qid);
			break;
		}
		if (pass == 1)
			em_log(LOG_WARNING,
			       "%s: confirmation note to %s not sent: it would be stopped", qid,
			       to);
	}
	free(text);
	free(to);
}

/*
 * A code this relay does not know: the other relays' codes in the shared
 * store. Returns 0 (rd filled; nothing found leaves EM_CONFIRM_UNKNOWN) or
 * -2 when the shared store cannot be asked (the reply is then tempfailed:
 * refusing it would lose a good code, accepting it cannot be checked).
 */
static int redeem_shared(const struct em_config *cfg, const struct em_confirm_redeem_in *rin,
			 struct redeem *rd, const char *by, const char *qid)
{
	struct em_confirm_shared_out so;
	char self[256], err[512] = "";

	if (em_pg_relay_id(cfg->relay_id, self, sizeof(self)) < 0) {
		em_log(LOG_ERR, "%s: confirmation reply from %s: no relay_id and no host name", qid,
		       by);
		return -2;
	}
	if (em_confirm_redeem_shared(cfg->store, self, rin, &so, err, sizeof(err)) < 0) {
		em_log(LOG_ERR,
		       "%s: confirmation reply from %s: its code is not known on this relay and "
		       "the shared store cannot be asked (%s): tempfail",
		       qid, by, err);
		return -2;
	}
	if (so.res == EM_CONFIRM_UNKNOWN && so.record[0] == '\0')
		return 0;
	rd->res = so.res;
	snprintf(rd->relay, sizeof(rd->relay), "%s", so.relay);
	snprintf(rd->record, sizeof(rd->record), "%s", so.record);
	snprintf(rd->request, sizeof(rd->request), "%s", so.request);
	return 0;
}

int em_confirm_consume(const struct em_rules *rules, const char *sender, int raw_fd,
		       const char *queue_id, time_t now)
{
	const struct em_config *cfg = em_rules_config(rules);
	const char *qid = queue_id ? queue_id : "unknown";
	struct em_confirm_reply reply;
	struct em_confirm_redeem_in rin;
	struct redeem rd;
	char *raw = NULL, *by = NULL, mid[400], *text = NULL;
	size_t len = 0;
	json_t *ev;
	int rc = -1;

	memset(&rd, 0, sizeof(rd));
	memset(&reply, 0, sizeof(reply));
	if (raw_fd < 0 || (raw = read_raw(raw_fd, &len)) == NULL) {
		em_log(LOG_ERR, "%s: confirmation reply unreadable: %m: tempfail", qid);
		return -1;
	}
	if (em_confirm_parse_reply(raw, len, &cfg->limits, &reply) < 0) {
		em_log(LOG_ERR, "%s: confirmation reply: out of memory: tempfail", qid);
		goto out;
	}
	if (em_notify_addr(sender, &by) != 0 || by == NULL) {
		/* a bounce or an unusable sender: nobody to release for, nobody to answer */
		em_log(LOG_INFO, "%s: reply to %s from a null or unusable sender discarded", qid,
		       cfg->confirm_address);
		ev = event("confirm-refused", now, qid);
		jset(ev, "by", sender);
		jset(ev, "why", "null-sender");
		audit(cfg, ev, qid);
		rc = 0;
		goto out;
	}
	memset(&rin, 0, sizeof(rin));
	rin.sender = by;
	rin.codes = (const char(*)[EM_CONFIRM_CODE_SIZE])reply.codes;
	rin.ncodes = reply.ncodes;
	rin.reason = reply.justification;
	rin.now = now;
	rd.in = &rin;
	if (em_record_with_store(cfg->quarantine_dir, redeem_fn, &rd, rd.err, sizeof(rd.err)) < 0) {
		em_log(LOG_ERR, "%s: confirmation reply from %s not recorded (%s): tempfail", qid,
		       by, rd.err);
		goto out;
	}
	if (rd.res == EM_CONFIRM_UNKNOWN && cfg->store != NULL &&
	    (rc = redeem_shared(cfg, &rin, &rd, by, qid)) < 0)
		goto out;
	rc = -1;
	em_log(rd.res == EM_CONFIRM_ACCEPTED ? LOG_INFO : LOG_WARNING,
	       "%s: confirmation reply from %s: %s record=%s%s%s request=%s", qid, by,
	       em_confirm_result_name(rd.res), rd.record[0] ? rd.record : "-",
	       rd.relay[0] ? " relay=" : "", rd.relay, rd.request[0] ? rd.request : "-");
	ev = event(rd.res == EM_CONFIRM_ACCEPTED ? "confirm-request" : "confirm-refused", now, qid);
	if (ev != NULL) {
		jset(ev, "record", rd.record[0] ? rd.record : NULL);
		if (rd.relay[0])
			jset(ev, "relay", rd.relay);
		if (rd.res == EM_CONFIRM_ACCEPTED)
			jset(ev, "request", rd.request);
		else
			jset(ev, "why", em_confirm_result_name(rd.res));
		jset(ev, "by", by);
		jset(ev, "reason", reply.justification);
		if (reply.auto_submitted)
			json_object_set_new(ev, "auto_submitted", json_true());
	}
	audit(cfg, ev, qid);
	rc = 0;
	if (rd.res == EM_CONFIRM_ACCEPTED) {
		/* another relay's record: that relay's shipper fetches the request */
		if (rd.relay[0] == '\0')
			poke_request_job(cfg, qid);
		notify_security(rules, cfg, &rd, by, reply.justification, now, qid);
	}
	/* an answer, except to automatic mail (no loops with auto-responders) */
	if (!reply.auto_submitted) {
		struct em_confirm_notice_in in;
		bool ok = rd.res == EM_CONFIRM_ACCEPTED;

		memset(&in, 0, sizeof(in));
		msgid(mid, sizeof(mid), now, ok ? 'a' : 'r');
		in.sender = by;
		in.from = cfg->notify_from;
		in.record = rd.record;
		in.contact = cfg->contact;
		in.timezone = cfg->timezone;
		in.message_id = mid;
		in.now = now;
		if (em_confirm_answer_text(
			&in, ok, ok ? reply.justification : refusal_phrase(rd.res), &text) == 0) {
			if (notice_clean(rules, "<>", by, text, now) == 1)
				send_text(cfg, ok ? "confirmation answer" : "confirmation refusal",
					  "<>", by, text, qid);
			else
				em_log(LOG_WARNING,
				       "%s: answer to %s not sent: it would be stopped", qid, by);
		}
	}
out:
	em_store_row_free(rd.row);
	em_confirm_reply_free(&reply);
	free(text);
	free(by);
	free(raw);
	return rc;
}
