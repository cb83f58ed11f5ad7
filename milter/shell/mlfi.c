/*
 * mlfi - libmilter callbacks (see mlfi.h).
 *
 * Per connection: struct conn (smfi_setpriv) with what was negotiated and
 * the current message. A message lives from MAIL FROM to end-of-message or
 * abort; several messages may follow on one connection. Any failure to set
 * up a message is a tempfail, never an accept.
 */
#define _GNU_SOURCE
#include "mlfi.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../adapt/em_act.h"
#include "../adapt/em_reltoken.h"
#include "../adapt/em_store.h"
#include "../core/em_rules.h"
#include "../core/em_settings.h"
#include "confirm.h"
#include "control.h"
#include "lineage.h"
#include "log.h"
#include "notify.h"
#include "record.h"
#include "session.h"
#include "spool.h"

struct conn {
	bool leadspc; /* SMFIP_HDR_LEADSPC negotiated */
	bool local;   /* submitted on the relay itself (see mlfi_connect) */
	struct em_session *msg;
	char *reltoken;	    /* the message's X-Embargo-Release value (em_reltoken.h) */
	unsigned nreltoken; /* how many such headers: only exactly one is believed */
};

/* What the ops need at end-of-message. */
struct opctx {
	SMFICTX *ctx;
	struct conn *conn;
	struct em_session *s;
	const char *queue_id;
	const struct em_config *cfg;
	const struct em_act_out *out; /* its reason is set before the store op */
};

static struct em_rules_ref *rules_ref;

static struct conn *conn_get(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL && (c = calloc(1, sizeof(*c))) != NULL)
		smfi_setpriv(ctx, c);
	return c;
}

static void conn_end_message(struct conn *c)
{
	if (c != NULL) {
		em_session_free(c->msg);
		c->msg = NULL;
		free(c->reltoken);
		c->reltoken = NULL;
		c->nreltoken = 0;
	}
}

/* --- ops bound to libmilter ------------------------------------------- */

static int op_add_header(void *p, const char *name, const char *value)
{
	struct opctx *o = p;
	char *v = NULL;
	int rc;

	/* with LEADSPC the MTA adds no space of its own after the colon */
	if (o->conn->leadspc && asprintf(&v, " %s", value) < 0)
		return -1;
	rc = smfi_addheader(o->ctx, (char *)name, v ? v : (char *)value);
	free(v);
	return rc == MI_SUCCESS ? 0 : -1;
}

static int op_chg_header(void *p, const char *name, int idx, const char *value)
{
	struct opctx *o = p;
	char *v = NULL;
	int rc;

	if (value != NULL && o->conn->leadspc && asprintf(&v, " %s", value) < 0)
		return -1;
	rc = smfi_chgheader(o->ctx, (char *)name, idx, v ? v : (char *)value);
	free(v);
	return rc == MI_SUCCESS ? 0 : -1;
}

static int op_del_rcpt(void *p, const char *rcpt)
{
	return smfi_delrcpt(((struct opctx *)p)->ctx, (char *)rcpt) == MI_SUCCESS ? 0 : -1;
}

static int op_quarantine(void *p, const char *reason)
{
	return smfi_quarantine(((struct opctx *)p)->ctx, (char *)reason) == MI_SUCCESS ? 0 : -1;
}

static int op_set_reply(void *p, const char *rcode, const char *xcode, const char *const *lines,
			size_t n)
{
	SMFICTX *ctx = ((struct opctx *)p)->ctx;
	char *l[32] = {NULL};

	if (n == 1)
		return smfi_setreply(ctx, (char *)rcode, (char *)xcode, (char *)lines[0]) ==
			       MI_SUCCESS
			   ? 0
			   : -1;
	for (size_t i = 0; i < n && i < 32; i++)
		l[i] = (char *)lines[i];
	/* smfi_setmlreply reads lines up to the first NULL (at most 32) */
	return smfi_setmlreply(ctx, rcode, xcode, l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7],
			       l[8], l[9], l[10], l[11], l[12], l[13], l[14], l[15], l[16], l[17],
			       l[18], l[19], l[20], l[21], l[22], l[23], l[24], l[25], l[26], l[27],
			       l[28], l[29], l[30], l[31], NULL) == MI_SUCCESS
		   ? 0
		   : -1;
}

static int op_store(void *p, const struct em_verdict *v, const char *action, char *id, size_t idsz,
		    char *err, size_t errsz)
{
	struct opctx *o = p;
	int fd = em_spool_fd(o->s->spool);

	if (fd < 0) {
		snprintf(err, errsz, "spool: %m");
		return -1;
	}
	return em_record_store(o->cfg->quarantine_dir, v, o->queue_id, action,
			       o->out ? o->out->reason : NULL, fd, id, idsz, err, errsz);
}

static const char *op_getsymval(void *p, const char *name)
{
	return smfi_getsymval(((struct opctx *)p)->ctx, (char *)name);
}

static int op_progress(void *p)
{
	return smfi_progress(((struct opctx *)p)->ctx) == MI_SUCCESS ? 0 : -1;
}

static const struct em_act_ops milter_ops = {
    .add_header = op_add_header,
    .chg_header = op_chg_header,
    .del_rcpt = op_del_rcpt,
    .quarantine = op_quarantine,
    .set_reply = op_set_reply,
    .store = op_store,
    .getsymval = op_getsymval,
    .progress = op_progress,
};

/* --- callbacks --------------------------------------------------------- */

static sfsistat mlfi_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
			       unsigned long f3, unsigned long *pf0, unsigned long *pf1,
			       unsigned long *pf2, unsigned long *pf3)
{
	struct conn *c = conn_get(ctx);

	if (c == NULL)
		return SMFIS_TEMPFAIL;
	if ((f0 & EM_MLFI_FLAGS) != EM_MLFI_FLAGS) {
		em_log(LOG_ERR,
		       "the MTA does not offer the actions this filter needs "
		       "(offered 0x%lx, need 0x%lx)",
		       f0, (unsigned long)EM_MLFI_FLAGS);
		return SMFIS_REJECT;
	}
	*pf0 = EM_MLFI_FLAGS;
	/* skip nothing, reply to every event; only ask for values as sent */
	*pf1 = f1 & SMFIP_HDR_LEADSPC;
	*pf2 = 0;
	*pf3 = 0;
	c->leadspc = (*pf1 & SMFIP_HDR_LEADSPC) != 0;
	return SMFIS_CONTINUE;
}

/*
 * Mail submitted on the relay itself (sendmail(1) -> pickup -> cleanup's
 * non_smtpd_milters) arrives with an emulated connect: Postfix's cleanup
 * names the client localhost, 127.0.0.1, port 0 (cleanup_milter.c,
 * NO_CLIENT_PORT); a real SMTP client always has a source port. No address
 * at all (Sendmail's local submissions) counts as local too.
 */
static sfsistat mlfi_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	struct conn *c = conn_get(ctx);

	if (c == NULL)
		return SMFIS_TEMPFAIL;
	if (addr == NULL) {
		c->local = true;
	} else if (addr->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)addr;

		c->local = in->sin_port == 0 && ntohl(in->sin_addr.s_addr) == INADDR_LOOPBACK;
	} else if (addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;

		c->local = in6->sin6_port == 0 && IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_get(ctx);

	if (c == NULL)
		return SMFIS_TEMPFAIL;
	conn_end_message(c); /* a message without abort/eom before it */
	c->msg = em_session_new(rules_ref);
	if (c->msg == NULL) {
		em_log(LOG_ERR, "out of memory starting a message: tempfail");
		return SMFIS_TEMPFAIL;
	}
	em_session_sender(c->msg, argv ? argv[0] : NULL);
	em_session_queue_id(c->msg, smfi_getsymval(ctx, "i"));
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_envrcpt(SMFICTX *ctx, char **argv)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	em_session_rcpt(c->msg, argv ? argv[0] : NULL);
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_header(SMFICTX *ctx, char *name, char *value)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	em_session_header(c->msg, name, value, c->leadspc);
	if (name != NULL && strcasecmp(name, EM_RELTOKEN_HEADER) == 0 && c->nreltoken++ == 0)
		c->reltoken = strdup(value ? value : "");
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_eoh(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	em_session_eoh(c->msg);
	em_session_queue_id(c->msg, smfi_getsymval(ctx, "i"));
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_body(SMFICTX *ctx, unsigned char *p, size_t n)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	if (em_session_body(c->msg, p, n))
		smfi_progress(ctx);
	return SMFIS_CONTINUE;
}

/* One syslog line per decision:
 * "QUEUEID: action=quarantine release=ID blocked=6 rcpts=7 record=REC". */
static void log_decision(const char *qid, const struct em_session *s, const struct em_act_out *o)
{
	char removed[32] = "", mon[48] = "";

	if (o->nremoved > 0)
		snprintf(removed, sizeof(removed), " removed=%zu", o->nremoved);
	if (o->monitor)
		snprintf(mon, sizeof(mon), " mode=monitor would=%s", em_action_name(o->would));
	em_log(o->why ? LOG_WARNING : LOG_INFO,
	       "%s: action=%s release=%s blocked=%zu rcpts=%zu%s record=%s%s%s%s%s", qid,
	       em_action_name(o->taken), o->release ? o->release : "-", o->nblocked, s->nrcpts,
	       removed, o->record[0] ? o->record : "-", mon, o->why ? " why=\"" : "",
	       o->why ? o->why : "", o->why ? "\"" : "");
}

/* What could not be read (issue 10: the `unreadable` policy), one line:
 * "QUEUEID: unreadable=2 attachment:x.zip (password-protected archive); ...". */
static void log_unreadable(const char *qid, const struct em_verdict *v)
{
	char list[512] = "";
	size_t o = 0;

	if (v == NULL || v->nunreadable == 0)
		return;
	for (size_t i = 0; i < v->nunreadable && o < sizeof(list) - 1; i++) {
		int k = snprintf(list + o, sizeof(list) - o, "%s%.120s (%.80s)", i ? "; " : "",
				 v->unreadable[i].where, v->unreadable[i].why);
		if (k < 0)
			break;
		o += (size_t)k < sizeof(list) - o ? (size_t)k : sizeof(list) - o - 1;
	}
	em_log(LOG_NOTICE, "%s: unreadable=%zu %s", qid, v->nunreadable, list);
}

static void audit(const struct em_config *cfg, const struct em_verdict *v, const char *qid,
		  const struct em_act_out *o, time_t at)
{
	char err[256] = "";
	char *line;

	if (cfg->audit_log == NULL)
		return;
	line = em_record_audit_line(v, qid, o, (long)at);
	if (line == NULL) {
		em_log(LOG_ERR, "%s: audit line lost: out of memory", qid);
		return;
	}
	if (em_audit_append(cfg->audit_log, line, err, sizeof(err)) < 0)
		em_log(LOG_ERR, "%s: audit log %s: %s", qid, cfg->audit_log, err);
	free(line);
}

/* End of a reply to confirm_address (see shell/confirm.h): discarded. */
static sfsistat mlfi_confirm_reply(SMFICTX *ctx, struct conn *c, struct em_verdict *v, int rc,
				   const char *qid, time_t now)
{
	struct em_session *s = c->msg;
	int fd = em_spool_fd(s->spool);
	int r = -1;

	if (rc == 0 && v != NULL && s->error[0] == '\0' && fd >= 0)
		r = em_confirm_consume(em_session_rules(s), v->sender, fd, qid, now);
	else
		em_log(LOG_ERR, "%s: confirmation reply not readable (%s): tempfail", qid,
		       s->error[0] ? s->error : "out of memory");
	em_verdict_free(v);
	conn_end_message(c);
	if (r == -2) {
		smfi_setreply(ctx, "451", "4.3.0",
			      "Confirmation code not checked: the shared store is unreachable; "
			      "try again later");
		return SMFIS_TEMPFAIL;
	}
	if (r < 0) {
		smfi_setreply(ctx, "451", "4.7.1",
			      "Confirmation reply not recorded; try again later");
		return SMFIS_TEMPFAIL;
	}
	return SMFIS_DISCARD;
}

/*
 * A copy the root job submitted for a release to chosen recipients (see
 * em_reltoken.h): returns true when its token is valid for exactly these
 * envelope recipients, after removing the token header and marking the
 * copy; false lets the message be scanned like any other.
 */
static bool released_copy(SMFICTX *ctx, struct conn *c, const char *qid)
{
	const struct em_config *cfg = em_rules_config(em_session_rules(c->msg));
	char rec[128], why[256], hv[200];
	int r;

	if (c->nreltoken != 1 || c->reltoken == NULL)
		return false;
	r = em_reltoken_redeem(cfg->quarantine_dir, c->reltoken, (const char *const *)c->msg->rcpts,
			       c->msg->nrcpts, time(NULL), rec, sizeof(rec), why, sizeof(why));
	if (r != 1) {
		em_log(r < 0 ? LOG_ERR : LOG_WARNING,
		       "%s: " EM_RELTOKEN_HEADER " not honoured (%s): scanned as usual", qid, why);
		return false;
	}
	snprintf(hv, sizeof(hv), "%sreleased; record=%s", c->leadspc ? " " : "", rec);
	if (smfi_chgheader(ctx, EM_RELTOKEN_HEADER, 1, NULL) != MI_SUCCESS ||
	    smfi_addheader(ctx, "X-Embargo-Milter", hv) != MI_SUCCESS) {
		em_log(LOG_ERR,
		       "%s: released copy of record %s: header change failed: scanned as usual",
		       qid, rec);
		return false;
	}
	em_log(LOG_INFO, "%s: action=accept released-copy record=%s rcpts=%zu", qid, rec,
	       c->msg->nrcpts);
	return true;
}

static sfsistat mlfi_decide(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);
	struct em_session *s;
	struct em_verdict *v = NULL;
	struct em_act_out out;
	struct em_act_in in;
	struct opctx o;
	const char *qid;
	time_t now;
	int rc;

	if (c == NULL || c->msg == NULL)
		return SMFIS_TEMPFAIL;
	s = c->msg;
	smfi_progress(ctx); /* the decision itself may take a while */
	qid = smfi_getsymval(ctx, "i");
	if (qid == NULL || *qid == '\0')
		qid = s->queue_id ? s->queue_id : "unknown";
	if (released_copy(ctx, c, qid)) {
		conn_end_message(c);
		return SMFIS_ACCEPT;
	}
	now = time(NULL);
	em_shell_lineage_bind(s->scan, em_rules_config(em_session_rules(s))->quarantine_dir);
	rc = em_session_finish(s, now, &v);

	o.ctx = ctx;
	o.conn = c;
	o.s = s;
	o.queue_id = qid;
	o.cfg = em_rules_config(em_session_rules(s));
	o.out = &out;
	switch (em_confirm_rcpts_kind(o.cfg, s->rcpts, s->nrcpts)) {
	case EM_CONFIRM_RCPT_ONLY:
		/* a reply to a confirmation notice: consumed here, never delivered */
		return mlfi_confirm_reply(ctx, c, v, rc, qid, now);
	case EM_CONFIRM_RCPT_MIXED:
		em_log(LOG_NOTICE,
		       "%s: action=reject why=\"confirm_address with other recipients\"", qid);
		smfi_setreply(ctx, "550", "5.7.1",
			      "Send a confirmation reply to the confirmation address alone");
		em_verdict_free(v);
		conn_end_message(c);
		return SMFIS_REJECT;
	default:
		break;
	}
	memset(&in, 0, sizeof(in));
	in.v = rc == 0 ? v : NULL;
	in.error = s->error[0] ? s->error : rc < 0 ? "out of memory" : NULL;
	in.mode = o.cfg->mode;
	in.on_error = o.cfg->on_error;
	/* tempfail would retry a local submission from maildrop for ever, with a
	 * new queue id each time and nobody told: hold it instead (README) */
	if (c->local && in.on_error == EM_TEMPFAIL)
		in.on_error = EM_QUARANTINE;
	in.local = c->local;
	in.contact = o.cfg->contact;
	in.timezone = o.cfg->timezone;
	in.rcpts = (const char *const *)s->rcpts;
	in.nrcpts = s->nrcpts;
	in.nforged = s->nforged;
	in.nforged_removed = s->nforged_removed;
	in.confirm_ok = o.cfg->confirm_address != NULL;

	em_act_apply(&in, &milter_ops, &o, &out);
	log_decision(qid, s, &out);
	em_control_count(out.taken);
	log_unreadable(qid, v);
	audit(o.cfg, in.v, qid, &out, now);
	em_confirm_after_hold(em_session_rules(s), in.v, &out, qid, now);
	/* the one place notices start: held or refused only (see notify.h) */
	em_notify_decision(em_session_rules(s), in.v, &out, in.rcpts, in.nrcpts, qid, now);
	/* thread lineage: what matched a release becomes an origin of replies */
	em_shell_lineage_record(o.cfg->quarantine_dir, s->scan, in.v, &out, now, qid);

	em_verdict_free(v);
	conn_end_message(c);
	switch (out.reply) {
	case EM_ACT_REJECT:
		em_act_out_free(&out);
		return SMFIS_REJECT;
	case EM_ACT_TEMPFAIL:
		em_act_out_free(&out);
		return SMFIS_TEMPFAIL;
	default:
		em_act_out_free(&out);
		return SMFIS_CONTINUE;
	}
}

/* End of message: decides, and counts how long the decision took (status). */
static sfsistat mlfi_eom(SMFICTX *ctx)
{
	struct timespec t0, t1;
	int64_t us;
	sfsistat r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = mlfi_decide(ctx);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* signed: the nanoseconds part of the difference may be negative */
	us = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
	em_control_decision_time(us > 0 ? (uint64_t)us : 0);
	return r;
}

static sfsistat mlfi_abort(SMFICTX *ctx)
{
	conn_end_message(smfi_getpriv(ctx));
	return SMFIS_CONTINUE;
}

static sfsistat mlfi_close(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	conn_end_message(c);
	free(c);
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

static struct smfiDesc desc = {
    .xxfi_name = "embargo-milter",
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = EM_MLFI_FLAGS,
    .xxfi_connect = mlfi_connect,
    .xxfi_envfrom = mlfi_envfrom,
    .xxfi_envrcpt = mlfi_envrcpt,
    .xxfi_header = mlfi_header,
    .xxfi_eoh = mlfi_eoh,
    .xxfi_body = mlfi_body,
    .xxfi_eom = mlfi_eom,
    .xxfi_abort = mlfi_abort,
    .xxfi_close = mlfi_close,
    .xxfi_negotiate = mlfi_negotiate,
};

struct smfiDesc *em_mlfi_desc(struct em_rules_ref *ref)
{
	rules_ref = ref;
	return &desc;
}
