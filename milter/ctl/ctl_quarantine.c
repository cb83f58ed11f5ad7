/*
 * ctl_quarantine - `embargoctl quarantine list|show|release|delete|release-due`:
 * the reviewer's view of the quarantine store and its actions on the MTA.
 *
 *   list [--release ID] [--since TIME] [--state S] [--json]
 *   show ID [--reveal] [--raw]
 *   release ID [--force] ; delete ID [--force] ; release-due [--force]
 *   process-requests  (the root job: carries out the requests table, see em_requests.h)
 *   expire [--dry-run] (quarantine_retention_days, see ctl_expire.c)
 *   perms  (reviewer_group on the store, as the daemon does at start)
 *   common: -c CONFIG, --postfix-config DIR, --no-mta
 *
 * Before publication `show` redacts matched text, matching header values and
 * the body, and --raw is refused, unless --reveal is given; each reveal is
 * written to the audit log (before anything is shown: no log line, no
 * reveal). release/delete first ask Postfix (`postqueue -j`) whether the
 * recorded queue id sits in the hold queue, refuse (exit 2) when the record
 * and the MTA disagree unless --force, then run `postsuper -H|-d QID`
 * (fork/exec, never a shell; EMBARGO_POSTQUEUE / EMBARGO_POSTSUPER override
 * the binaries, -c DIR from --postfix-config or EMBARGO_POSTFIX_CONFIG),
 * then update the store and append {"event", "record", "queue_id", "by",
 * "at", ...} to the audit log.
 *
 * Sendmail (main config `mta = "sendmail"`, or detected: no postsuper and a
 * sendmail.cf): the same checks and flow against Sendmail's quarantine (hf
 * files), through ctl_mta.c: `sendmail -qQ -qI<QID> -Q` to release, the job's
 * files removed under its lock to delete.
 *
 * Shell code: prints, exits 2 on any error. Must not depend on libmilter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../adapt/em_config.h"
#include "../adapt/em_msgview.h"
#include "../adapt/em_report.h"
#include "../adapt/em_requests.h"
#include "../adapt/em_vjson.h"
#include "../core/em_addr.h"
#include "../core/em_buf.h"
#include "../core/em_caldata.h"
#include "../core/em_decode.h"
#include "../core/em_mime.h"
#include "../core/em_office.h"
#include "../core/em_text.h"
#include "../core/em_time.h"
#include "ctl.h"
#include "ctl_mta.h"
#include "ctl_partial.h"
#include "ctl_store.h"

#define POSTQUEUE_DEFAULT "/usr/sbin/postqueue"
#define POSTSUPER_DEFAULT "/usr/sbin/postsuper"
#define CONTEXT_WORDS 4
#define BODY_SHOWN_MAX (64u * 1024) /* more is announced, and --raw shows it all */
#define REDACTED "[REDACTED before publication; --reveal shows it]"

struct qopts {
	struct em_caldata *cal; /* the release calendar (NULL: none), read once */
	const char *conf;
	const char *release;
	const char *since;
	const char *postfix_dir;
	int state;
	bool json, raw, reveal, force, no_mta, dry_run;
	int wait_s; /* release/delete of another relay's record: how long to wait */
	char **to;  /* release --to ADDR (repeatable): chosen recipients only */
	size_t nto;
};

static int cmd_list(struct qopts *o, int argc, char **argv);
static int cmd_show(struct qopts *o, int argc, char **argv);
static int cmd_act(struct qopts *o, int argc, char **argv, enum em_store_state to);
static int cmd_release_due(struct qopts *o, int argc, char **argv);
static int quarantine_dispatch(struct qopts *o, const char *sub, int argc, char **argv);

/* ---- small helpers ---- */

static void out_clean(const char *s)
{
	char *c = em_report_clean(s ? s : "-");

	fputs(c ? c : "?", stdout);
	free(c);
}

static void out_list(char *const *v, size_t n)
{
	if (n == 0)
		fputs("-", stdout);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(",", stdout);
		out_clean(v[i]);
	}
}

static json_t *jstrv(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, em_vjson_string(v[i]));
	return a;
}

static double hours_before(time_t publish_at, time_t at)
{
	return difftime(publish_at, at) / 3600.0;
}

/* ---- list ---- */

/* The message's time: the decision time in its verdict, else when it was stored. */
static time_t message_time(const struct em_store_row *r)
{
	struct em_verdict *v = em_ctl_verdict(r);
	time_t at = v ? v->at : r->created;

	em_verdict_free(v);
	return at;
}

/* A held record waiting for its sender's code reads "awaiting-confirmation"
 * (and "confirmed" or "expired" after); the store's state stays "held". */
static const char *list_state(struct em_store *st, const struct em_store_row *r)
{
	static char cs[32];
	char err[256];

	if (r->state == EM_STORE_HELD && r->action_taken &&
	    strcmp(r->action_taken, "confirm") == 0 &&
	    em_confirm_state(st, r->id, time(NULL), cs, sizeof(cs), err, sizeof(err)) == 1)
		return cs;
	return em_store_state_name(r->state);
}

static void confirmation_field(struct em_store *st, const struct em_store_row *r, json_t *o)
{
	char cs[32], err[256];

	if (o == NULL)
		return;
	if (em_confirm_state(st, r->id, time(NULL), cs, sizeof(cs), err, sizeof(err)) == 1)
		json_object_set_new(o, "confirmation", json_string(cs));
	else
		json_object_set_new(o, "confirmation", json_null());
}

/* Fields added to the list objects: "reason" (why a record without a release
 * is held, or null) and "expired" (the time `quarantine expire` removed the
 * files, or null). */
static void record_fields(const struct em_store_row *r, json_t *o)
{
	char t[32];

	if (o == NULL)
		return;
	json_object_set_new(o, "reason", em_vjson_string(r->reason));
	if (r->expired_at) {
		em_time_format_utc(r->expired_at, t, sizeof(t));
		json_object_set_new(o, "expired", json_string(t));
	} else {
		json_object_set_new(o, "expired", json_null());
	}
}

static int cmd_list(struct qopts *o, int argc, char **argv)
{
	struct em_config *cfg = NULL;
	struct em_store *st = NULL;
	struct em_store_row *rows = NULL;
	struct em_store_filter f = {o->release, 0, o->state};
	char **relays = NULL; /* with a shared store: each row's relay */
	bool shared = false;  /* rows and relays come from the shared store */
	size_t n = 0;
	char err[512], when[64];
	int rc = 2;

	if (optind != argc) {
		fprintf(stderr, "embargoctl quarantine list: unexpected argument \"%s\"\n",
			argv[optind]);
		return 2;
	}
	if ((cfg = em_ctl_config_load(o->conf)) == NULL || (st = em_ctl_store_open(cfg)) == NULL)
		goto out;
	if (o->since && em_ctl_since(o->since, cfg->timezone, time(NULL), &f.since) < 0)
		goto out;
	/* every relay's records, from the shared store; while it cannot be
	 * reached, this relay's own (a review must not wait for the database) */
	if (cfg->store != NULL) {
		if (em_ctl_pg_rows(cfg, f.release, f.since, f.state, &rows, &relays, &n) == 0)
			shared = true;
		else
			fprintf(stderr, "embargoctl quarantine list: the shared store cannot be "
					"read: listing this relay's records only\n");
	}
	if (shared) {
		/* listed from the shared store */
	} else if (em_store_list(st, &f, &rows, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl quarantine list: %s\n", err);
		goto out;
	}
	if (o->json) {
		json_t *a = json_array();
		char *s;

		for (size_t i = 0; a && i < n; i++) {
			struct em_store_row *r = &rows[i];
			time_t at = message_time(r);
			char t[32];

			em_time_format_utc(at, t, sizeof(t));
			json_t *h = r->publish_at ? json_real(hours_before(r->publish_at, at))
						  : json_null();
			json_array_append_new(
			    a, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o}", "id", r->id,
					 "time", t, "sender", em_vjson_string(r->sender), "release",
					 jstrv(r->releases, r->nreleases), "blocked",
					 jstrv(r->blocked, r->nblocked), "hours_before_publication",
					 h, "queue_id", em_vjson_string(r->queue_id), "state",
					 em_store_state_name(r->state), "state_by",
					 em_vjson_string(r->state_by), "action_taken",
					 em_vjson_string(r->action_taken)));
			confirmation_field(st, r, json_array_get(a, json_array_size(a) - 1));
			record_fields(r, json_array_get(a, json_array_size(a) - 1));
			if (shared)
				json_object_set_new(json_array_get(a, json_array_size(a) - 1),
						    "relay", json_string(relays[i]));
		}
		if (a == NULL || (s = json_dumps(a, JSON_INDENT(2))) == NULL) {
			json_decref(a);
			fprintf(stderr, "embargoctl quarantine list: out of memory\n");
			goto out;
		}
		printf("%s\n", s);
		free(s);
		json_decref(a);
	} else {
		if (shared)
			printf("%-16s ", "RELAY");
		printf("%-25s %-22s %-8s %7s  %-20s %-30s %s\n", "ID", "TIME", "STATE", "HOURS",
		       "RELEASE", "SENDER", "BLOCKED");
		for (size_t i = 0; i < n; i++) {
			struct em_store_row *r = &rows[i];
			time_t at = message_time(r);

			em_time_format_local(at, cfg->timezone, when, sizeof(when));
			if (shared)
				printf("%-16s ", relays[i]);
			printf("%-25s %-22s %-8s ", r->id, when, list_state(st, r));
			if (r->publish_at)
				printf("%7.1f  ", hours_before(r->publish_at, at));
			else
				printf("%7s  ", "-");
			out_list(r->releases, r->nreleases);
			putchar(' ');
			out_clean(r->sender && *r->sender ? r->sender : "<>");
			printf(" %zu:", r->nblocked);
			out_list(r->blocked, r->nblocked);
			if (r->reason) {
				printf(" (");
				out_clean(r->reason);
				putchar(')');
			}
			if (r->expired_at)
				printf(" [expired]");
			putchar('\n');
		}
	}
	rc = 0;
out:
	for (size_t i = 0; relays && i < n; i++)
		free(relays[i]);
	free(relays);
	em_store_rows_free(rows, n);
	em_store_close(st);
	em_config_free(cfg);
	return rc;
}

/* ---- show: walking the held message ---- */

/* the walk itself is em_msgview (shared with the review console) */

/* ---- show: printing ---- */

static void print_snip(const char *t, const struct em_report_snip *s, bool tty)
{
	char *part;

	fputs(s->cut_before ? "\"..." : "\"", stdout);
	if ((part = strndup(t + s->from, s->match - s->from)) != NULL)
		out_clean(part);
	free(part);
	fputs(tty ? "\033[1m" : "**", stdout);
	if ((part = strndup(t + s->match, s->match_end - s->match)) != NULL)
		out_clean(part);
	free(part);
	fputs(tty ? "\033[0m" : "**", stdout);
	if ((part = strndup(t + s->match_end, s->to - s->match_end)) != NULL)
		out_clean(part);
	free(part);
	fputs(s->cut_after ? "...\"" : "\"", stdout);
}

static void print_evidence(const struct em_msgview *w, const struct em_evidence *e, bool redact,
			   bool tty)
{
	printf("    %-10s in ", em_ev_kind_name(e->kind));
	out_clean(e->where);
	if (redact) {
		printf(": " REDACTED "\n");
		return;
	}
	for (size_t i = 0; i < w->npl; i++) {
		struct em_report_snip s;
		const struct em_msgview_place *p = &w->pl[i];

		if (strcmp(p->where, e->where) == 0 && p->norm.data &&
		    em_report_context(p->norm.data, p->norm.len, e->text, CONTEXT_WORDS, &s)) {
			printf(": ");
			print_snip(p->norm.data, &s, tty);
			putchar('\n');
			return;
		}
	}
	printf(": %s", tty ? "\033[1m" : "**");
	out_clean(e->text);
	printf("%s\n", tty ? "\033[0m" : "**");
}

static void print_verdict(const struct em_config *cfg, const struct em_store_row *row,
			  const struct em_verdict *v, const struct em_msgview *w, bool redact,
			  bool tty)
{
	char when[64];

	printf("Verdict: the filter %s.\n", em_report_action_words(row->action_taken));
	if (v == NULL) {
		printf("(the record's verdict file is unreadable; index only)\n");
		return;
	}
	for (size_t i = 0; i < v->nreleases; i++) {
		const struct em_release_verdict *r = &v->releases[i];

		em_time_format_local(r->publish_at, cfg->timezone, when, sizeof(when));
		printf("\nRelease ");
		out_clean(r->id);
		printf(" \"");
		out_clean(r->title);
		printf("\", published %s: sent %.1f hours before publication; pre-release access "
		       "%s.\n",
		       when, hours_before(r->publish_at, v->at),
		       r->pra_open ? "was open" : "was not yet open");
		printf("  %zu recipient(s) not allowed to receive it:", r->nblocked);
		for (size_t k = 0; k < r->nblocked; k++) {
			char *bare = em_addr_bare_dup(r->blocked[k]);

			printf(" ");
			out_clean(bare ? bare : r->blocked[k]);
			free(bare);
		}
		printf("\n  Evidence:\n");
		for (size_t k = 0; k < r->nevidence; k++)
			print_evidence(w, &r->evidence[k], redact, tty);
	}
	if (v->nreleases == 0)
		printf("No release matched (held for another reason).\n");
	for (size_t i = 0; i < v->nincomplete; i++) {
		printf("Incomplete scan: ");
		out_clean(v->incomplete[i]);
		putchar('\n');
	}
	for (size_t i = 0; i < v->nnotes; i++) {
		printf("Note: ");
		out_clean(v->notes[i]);
		putchar('\n');
	}
}

static void print_body(const struct em_msgview *w, bool redact)
{
	const char *p = w->body.data, *end = p + w->body.len;
	size_t shown = w->body.len < BODY_SHOWN_MAX ? w->body.len : BODY_SHOWN_MAX;

	printf("\nBody:\n");
	if (!w->have_body) {
		printf("  (no text body)\n");
		return;
	}
	if (redact) {
		printf("  " REDACTED " (%zu bytes)\n", w->body.len);
		return;
	}
	end = p + shown;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, len);

		printf("  ");
		out_clean(line);
		putchar('\n');
		free(line);
		p += len + (nl != NULL);
	}
	if (shown < w->body.len)
		printf("  [... %zu more bytes; --raw shows the whole message]\n",
		       w->body.len - shown);
}

static int cat_file(const char *path)
{
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		em_ctl_denied_or("embargoctl quarantine show", path, errno);
		return 2;
	}
	fflush(stdout);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
	close(fd);
	return n == 0 && fflush(stdout) == 0 ? 0 : 2;
}

static int cmd_show(struct qopts *o, int argc, char **argv)
{
	struct em_config *cfg = NULL;
	struct em_store *st = NULL;
	struct em_store_row *row = NULL;
	struct em_verdict *v = NULL;
	struct em_msgview w = {0};
	char login[256], when[64], *relay = NULL, *tmpdir = NULL;
	bool embargoed, redact, tty = isatty(STDOUT_FILENO);
	int rc = 2;

	if (optind != argc - 1) {
		fprintf(stderr, "embargoctl quarantine show: needs one record ID\n");
		return 2;
	}
	if ((cfg = em_ctl_config_load(o->conf)) == NULL || (st = em_ctl_store_open(cfg)) == NULL)
		goto out;
	if (cfg->store != NULL && em_store_get(st, argv[optind], &row, login, sizeof(login)) == 1) {
		/* another relay's record: read from the shared store */
		if ((row = em_ctl_pg_record(cfg, argv[optind], &relay, &tmpdir)) == NULL)
			goto out;
	} else if (row == NULL && (row = em_ctl_record(st, argv[optind])) == NULL) {
		goto out;
	}
	v = em_ctl_verdict(row);
	embargoed = em_ctl_embargoed(cfg, row, v, time(NULL));
	redact = embargoed && !o->reveal;
	if (o->raw && row->state == EM_STORE_DELETED) {
		fprintf(stderr,
			"embargoctl quarantine show: record %s is deleted; the message is "
			"gone\n",
			row->id);
		goto out;
	}
	if (o->raw && redact) {
		fprintf(stderr,
			"embargoctl quarantine show: record %s is still under embargo; "
			"--raw needs --reveal (which is written to the audit log)\n",
			row->id);
		goto out;
	}
	if (embargoed && o->reveal) {
		json_t *x = json_pack("{s:s,s:b}", "what", o->raw ? "raw" : "show",
				      "before_publication", 1);
		int arc = x ? em_ctl_audit_event(cfg, "reveal", row,
						 em_ctl_login(login, sizeof(login)), time(NULL), x)
			    : -1;

		json_decref(x);
		if (arc < 0) {
			fprintf(stderr, "embargoctl quarantine show: the reveal could not be "
					"audited; nothing is shown\n");
			goto out;
		}
	}
	if (o->raw) {
		rc = cat_file(row->eml_path);
		goto out;
	}
	w.v = v;
	w.lim = &cfg->limits;
	if (row->state != EM_STORE_DELETED && !row->expired_at &&
	    em_msgview_read(&cfg->limits, row->eml_path, &w) < 0) {
		if (access(row->eml_path, R_OK) < 0 && (errno == EACCES || errno == EPERM))
			em_ctl_denied_or("embargoctl quarantine show", row->eml_path, errno);
		else
			fprintf(stderr, "embargoctl quarantine show: %s: cannot read the message\n",
				row->eml_path);
	}
	if (w.nomem)
		fprintf(stderr, "embargoctl quarantine show: out of memory; what follows is "
				"incomplete\n");

	em_time_format_local(v ? v->at : row->created, cfg->timezone, when, sizeof(when));
	printf("Record:     %s\nSent at:    %s\n", row->id, when);
	if (cfg->store != NULL) {
		char me[256];

		if (relay == NULL && em_pg_relay_id(cfg->relay_id, me, sizeof(me)) == 0)
			printf("Relay:      %s (this relay)\n", me);
		else if (relay != NULL)
			printf("Relay:      %s\n", relay);
	}
	em_time_format_local(row->created, cfg->timezone, when, sizeof(when));
	printf("Stored at:  %s\nQueue id:   ", when);
	out_clean(row->queue_id);
	em_time_format_local(row->state_at, cfg->timezone, when, sizeof(when));
	printf("\nState:      %s", em_store_state_name(row->state));
	if (row->state_by) {
		printf(" (by ");
		out_clean(row->state_by);
		printf(", %s)", when);
	}
	if (row->reason) {
		printf("\nHeld because: ");
		out_clean(row->reason);
		if (strcmp(row->reason, "unscannable") == 0)
			printf(" (submitted on the relay and not fully scanned: held instead of "
			       "tempfailed)");
	}
	if (row->expired_at) {
		em_time_format_local(row->expired_at, cfg->timezone, when, sizeof(when));
		printf("\nExpired:    %s (quarantine_retention_days; message and verdict removed)",
		       when);
	}
	printf("\nSender:     ");
	out_clean(row->sender && *row->sender ? row->sender : "<>");
	printf("\nRecipients: ");
	out_list(row->rcpts, row->nrcpts);
	printf("\nNot allowed: ");
	out_list(row->blocked, row->nblocked);
	printf("\n\n");
	if (redact)
		printf(
		    "Under embargo: matched text, matching headers and the body are redacted.\n\n");
	print_verdict(cfg, row, v, &w, redact, tty);

	if (row->state == EM_STORE_DELETED) {
		printf("\nThe message was deleted; only the record remains.\n");
		rc = 0;
		goto out;
	}
	printf("\nHeaders:\n");
	for (size_t i = 0; i < w.nh; i++) {
		printf("  ");
		out_clean(w.h[i].name);
		printf(": ");
		if (redact && em_msgview_header_matches(&w, &w.h[i]))
			printf(REDACTED);
		else
			out_clean(w.h[i].value);
		putchar('\n');
	}
	printf("\nAttachments:\n");
	if (w.na == 0)
		printf("  (none)\n");
	for (size_t i = 0; i < w.na; i++) {
		printf("  ");
		out_clean(w.a[i].where);
		printf("  %s, %zu bytes\n", w.a[i].type, w.a[i].size);
	}
	print_body(&w, redact);
	rc = fflush(stdout) == 0 ? 0 : 2;
out:
	em_msgview_free(&w);
	em_verdict_free(v);
	em_store_row_free(row);
	free(relay);
	em_ctl_pg_tmp_free(tmpdir);
	em_store_close(st);
	em_config_free(cfg);
	return rc;
}

/* ---- release / delete: the MTA's copy ---- */

enum mta_state { MTA_ERROR = -1, MTA_ABSENT = 0, MTA_HOLD, MTA_OTHER };

/* A Postfix queue id: letters and digits only, so it can never be an option or "ALL". */
static bool queue_id_ok(const char *q)
{
	size_t n = q ? strlen(q) : 0;

	if (n == 0 || n > 64 || strcmp(q, "ALL") == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((q[i] >= '0' && q[i] <= '9') || (q[i] >= 'A' && q[i] <= 'Z') ||
		      (q[i] >= 'a' && q[i] <= 'z')))
			return false;
	return true;
}

/*
 * Runs argv (no shell) and waits. When out is not NULL, the child's stdout is
 * collected there. Returns the exit status, or -1 when it could not run.
 */
static int run(char *const argv[], struct em_buf *out)
{
	int pfd[2] = {-1, -1}, status;
	pid_t pid;
	char buf[8192];
	ssize_t n;

	if (out && pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) < 0) {
		if (out) {
			close(pfd[0]);
			close(pfd[1]);
		}
		return -1;
	}
	if (pid == 0) {
		if (out && dup2(pfd[1], STDOUT_FILENO) < 0)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "embargoctl: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (out) {
		close(pfd[1]);
		while ((n = read(pfd[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
			if (n > 0 && em_buf_append(out, buf, (size_t)n) < 0)
				break; /* out of memory: drain stops; the caller sees a short read
					*/
		close(pfd[0]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *postfix_dir(const struct qopts *o)
{
	const char *d = o->postfix_dir ? o->postfix_dir : getenv("EMBARGO_POSTFIX_CONFIG");

	return d && *d ? d : NULL;
}

static const char *tool(const char *env, const char *def)
{
	const char *t = getenv(env);

	return t && *t ? t : def;
}

/* Where Postfix has queue id q: `postqueue [-c DIR] -j`, one JSON object per line. */
static enum mta_state mta_find(const struct qopts *o, const char *q, char *qname, size_t qsz)
{
	char *argv[5];
	int i = 0, st;
	struct em_buf out = EM_BUF_INIT;
	enum mta_state res = MTA_ABSENT;

	argv[i++] = (char *)tool("EMBARGO_POSTQUEUE", POSTQUEUE_DEFAULT);
	if (postfix_dir(o)) {
		argv[i++] = "-c";
		argv[i++] = (char *)postfix_dir(o);
	}
	argv[i++] = "-j";
	argv[i] = NULL;
	if ((st = run(argv, &out)) != 0) {
		fprintf(stderr, "embargoctl: %s -j failed (%s %d)\n", argv[0],
			st < 0 ? "could not run," : "exit", st);
		em_buf_free(&out);
		return MTA_ERROR;
	}
	for (char *line = out.data, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		json_t *j;
		const char *id, *name;

		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if ((j = json_loads(line, 0, NULL)) == NULL)
			continue;
		id = json_string_value(json_object_get(j, "queue_id"));
		name = json_string_value(json_object_get(j, "queue_name"));
		if (id && strcmp(id, q) == 0) {
			snprintf(qname, qsz, "%s", name ? name : "?");
			res = name && strcmp(name, "hold") == 0 ? MTA_HOLD : MTA_OTHER;
		}
		json_decref(j);
		if (res != MTA_ABSENT)
			break;
	}
	em_buf_free(&out);
	return res;
}

static int mta_postsuper(const struct qopts *o, const char *flag, const char *q)
{
	char *argv[6];
	int i = 0, st;

	argv[i++] = (char *)tool("EMBARGO_POSTSUPER", POSTSUPER_DEFAULT);
	if (postfix_dir(o)) {
		argv[i++] = "-c";
		argv[i++] = (char *)postfix_dir(o);
	}
	argv[i++] = (char *)flag;
	argv[i++] = (char *)q;
	argv[i] = NULL;
	if ((st = run(argv, NULL)) != 0) {
		fprintf(stderr, "embargoctl: %s %s %s failed (%s %d)\n", argv[0], flag, q,
			st < 0 ? "could not run," : "exit", st);
		return -1;
	}
	return 0;
}

/* What a release to chosen recipients carries into act_core (chosen NULL: all). */
struct partial {
	char **chosen;
	size_t n;
};

static int act_core(const struct qopts *o, const struct em_config *cfg, struct em_store *st,
		    struct em_store_row *row, const struct em_verdict *v, enum em_store_state to,
		    const char *event, const struct em_request *req, const struct partial *pt);

/* The record's recipients that are not among the chosen, as a JSON array. */
static json_t *not_chosen(const struct em_store_row *row, const struct partial *pt)
{
	json_t *a = json_array();
	char x[512], y[512];

	for (size_t j = 0; a && j < row->nrcpts; j++) {
		bool found = false;

		em_addr_canon(row->rcpts[j], x, sizeof(x));
		for (size_t i = 0; i < pt->n && !found; i++)
			found = strcmp(x, em_addr_canon(pt->chosen[i], y, sizeof(y))) == 0;
		if (!found)
			json_array_append_new(a, em_vjson_string(row->rcpts[j]));
	}
	return a;
}

/*
 * Releases or deletes one record: MTA first, then the store, then the audit
 * log. A release to chosen recipients (--to, or a request's recipients)
 * submits the stored message again to those alone (ctl_partial.h) and
 * deletes the held copy; chosen recipients that are all of them make it a
 * plain release. Returns an exit status (0 or 2).
 */
/*
 * When recorded release r is published, as far as we know now: the latest of
 * the time recorded with the verdict, the current rule's publish_at and the
 * time the release calendar gives it (postponed after the message was held;
 * cancelled: never).
 */
static time_t published_at(const struct em_config *cfg, const struct em_caldata *cal,
			   const struct em_release_verdict *r)
{
	const struct em_release_src *cur = em_ctl_release(cfg, r->id);
	time_t pub = r->publish_at, t;

	if (cur != NULL) {
		em_caldata_effective(cal, cur->calendar_uid, cur->publish_at, &t);
		if (t > pub)
			pub = t;
	}
	return pub;
}

static int act_one(const struct qopts *o, const struct em_config *cfg, struct em_store *st,
		   struct em_store_row *row, const struct em_verdict *v, enum em_store_state to,
		   const char *event, const struct em_request *req)
{
	struct partial pt = {NULL, 0};
	bool all = true, owned = false;
	char bad[512];
	int rc;

	if (to == EM_STORE_RELEASED && req != NULL && req->recipients != NULL) {
		if (em_ctl_rcpts_split(req->recipients, &pt.chosen, &pt.n) < 0)
			return 2;
		owned = true;
	} else if (to == EM_STORE_RELEASED && req == NULL && o->nto > 0) {
		pt.chosen = o->to;
		pt.n = o->nto;
	} else if (o->nto > 0 && req == NULL) {
		fprintf(stderr, "embargoctl quarantine: --to is for release only\n");
		return 2;
	}
	if (pt.chosen != NULL && row->state == EM_STORE_HELD &&
	    em_ctl_rcpts_check(row, pt.chosen, pt.n, &all, bad, sizeof(bad)) < 0) {
		fprintf(stderr,
			"embargoctl quarantine release: %s is not a recipient of record %s; "
			"refusing\n",
			bad, row->id);
		rc = 2;
		goto out;
	}
	rc = act_core(o, cfg, st, row, v, to, event, req, all ? NULL : &pt);
out:
	if (owned)
		em_ctl_strv_free(pt.chosen, pt.n);
	return rc;
}

static int act_core(const struct qopts *o, const struct em_config *cfg, struct em_store *st,
		    struct em_store_row *row, const struct em_verdict *v, enum em_store_state to,
		    const char *event, const struct em_request *req, const struct partial *pt)
{
	const char *verb = to == EM_STORE_RELEASED ? "release" : "delete";
	/* quarantine and confirm both leave the MTA's copy in the hold queue */
	bool expect_copy = row->action_taken && (strcmp(row->action_taken, "quarantine") == 0 ||
						 strcmp(row->action_taken, "confirm") == 0);
	bool mta_done = false;
	const char *mta = "not checked (--no-mta)";
	char qname[64] = "", login[256], err[512];
	time_t now = time(NULL);
	json_t *x = NULL, *early = NULL;
	int rc = 2;

	if (row->state == to) {
		printf("record %s is already %s; nothing to do\n", row->id,
		       em_store_state_name(to));
		return 0; /* a retry: no second postsuper, no second audit line */
	}
	if (row->state != EM_STORE_HELD) {
		fprintf(stderr, "embargoctl quarantine %s: record %s is %s; it cannot be %sd\n",
			verb, row->id, em_store_state_name(row->state), verb);
		return 2;
	}
	if (pt != NULL && (o->no_mta || !expect_copy)) {
		fprintf(stderr,
			"embargoctl quarantine release: record %s: a release to chosen recipients "
			"needs the MTA's held copy (%s); refusing\n",
			row->id, o->no_mta ? "--no-mta given" : "the MTA holds none");
		return 2;
	}
	if (!o->no_mta && expect_copy) {
		enum mta_state ms = MTA_ABSENT;
		bool sm = em_ctl_mta_detect(cfg) == EM_CTL_MTA_SENDMAIL;

		if (!queue_id_ok(row->queue_id)) {
			fprintf(stderr,
				"embargoctl quarantine %s: record %s has no usable queue id "
				"(\"%s\")%s\n",
				verb, row->id, row->queue_id ? row->queue_id : "",
				o->force ? "; --force: updating the record only"
					 : "; refusing "
					   "(--force updates the record only)");
			if (!o->force)
				return 2;
			mta = "no usable queue id (forced)";
		} else if ((ms = sm ? (enum mta_state)em_ctl_sm_find(cfg, row->queue_id, qname,
								     sizeof(qname))
				    : mta_find(o, row->queue_id, qname, sizeof(qname))) ==
			   MTA_ERROR) {
			return 2;
		} else if (ms != MTA_HOLD) {
			fprintf(stderr,
				"embargoctl quarantine %s: record %s is held but %s "
				"%s queue id %s%s%s\n",
				verb, row->id, em_ctl_mta_name(em_ctl_mta_detect(cfg)),
				ms == MTA_ABSENT ? "has no" : "has", row->queue_id,
				ms == MTA_OTHER ? " in the queue " : " in any queue",
				ms == MTA_OTHER ? qname : "");
			if (!o->force || pt != NULL) {
				fprintf(stderr,
					"  refusing: the record and the MTA disagree (--force "
					"updates the record without touching the MTA)\n");
				return 2;
			}
			mta = "not in the hold queue (forced, MTA not touched)";
		} else if (pt != NULL) {
			/* a copy to the chosen ones, then the held original goes */
			if (em_ctl_submit_copy(cfg, sm, postfix_dir(o), row, pt->chosen, pt->n, err,
					       sizeof(err)) < 0) {
				fprintf(stderr,
					"embargoctl quarantine release: record %s: %s; nothing "
					"delivered, still held\n",
					row->id, err);
				return 2;
			}
			mta_done = true;
			mta = "copy submitted to the chosen recipients, held copy deleted";
			if (sm ? em_ctl_sm_delete(cfg, row->queue_id)
			       : mta_postsuper(o, "-d", row->queue_id)) {
				fprintf(stderr,
					"embargoctl quarantine release: record %s: the copy to the "
					"chosen recipients WAS submitted but the held copy (queue "
					"id %s) could not be deleted: delete it by hand\n",
					row->id, row->queue_id);
				mta = "copy submitted to the chosen recipients; held copy NOT "
				      "deleted";
			}
		} else {
			if (sm ? (to == EM_STORE_RELEASED ? em_ctl_sm_release(cfg, row->queue_id)
							  : em_ctl_sm_delete(cfg, row->queue_id))
			       : mta_postsuper(o, to == EM_STORE_RELEASED ? "-H" : "-d",
					       row->queue_id))
				return 2;
			mta_done = true;
			mta = to == EM_STORE_RELEASED
				  ? (sm ? "released from quarantine" : "released from hold")
				  : (sm ? "deleted from quarantine" : "deleted from hold");
		}
	} else if (!o->no_mta) {
		if (to == EM_STORE_RELEASED && !o->force) {
			fprintf(stderr,
				"embargoctl quarantine release: record %s was handled with "
				"\"%s\": the MTA holds no copy to deliver; refusing (--force "
				"marks it released without delivering anything)\n",
				row->id, row->action_taken ? row->action_taken : "?");
			return 2;
		}
		mta = "no MTA copy";
	}
	em_ctl_login(login, sizeof(login));
	if (em_store_set_state(st, row->id, to, req ? req->requested_by : login, err,
			       sizeof(err)) != 0) {
		fprintf(stderr, "embargoctl quarantine %s: %s%s\n", verb, err,
			mta_done ? " (the MTA's copy WAS acted on)" : "");
		return 2;
	}
	/* Which releases reached their recipients before publication through this release. */
	if ((early = json_array()) != NULL && mta_done && to == EM_STORE_RELEASED) {
		for (size_t i = 0; v && i < v->nreleases; i++) {
			if (now < published_at(cfg, o->cal, &v->releases[i]))
				json_array_append_new(early, json_string(v->releases[i].id));
		}
	}
	x = json_pack("{s:s,s:b,s:o,s:o,s:O}", "mta", mta, "forced", o->force ? 1 : 0, "recipients",
		      jstrv(row->rcpts, row->nrcpts), "blocked", jstrv(row->blocked, row->nblocked),
		      "released_before_publication", early ? early : json_null());
	if (x != NULL && pt != NULL) {
		/* who got it and who did not */
		json_object_set_new(x, "released_to", jstrv(pt->chosen, pt->n));
		json_object_set_new(x, "not_delivered", not_chosen(row, pt));
	}
	if (x != NULL && req != NULL) {
		/* who asked and why; the root job that acted is "executed_by" */
		json_object_set_new(x, "request", json_string(req->id));
		json_object_set_new(x, "via", json_string(req->via));
		json_object_set_new(x, "reason", em_vjson_string(req->reason));
		json_object_set_new(x, "executed_by", json_string(login));
	}
	if (x == NULL ||
	    em_ctl_audit_event(cfg, event, row, req ? req->requested_by : login, now, x) < 0) {
		fprintf(stderr,
			"embargoctl quarantine %s: record %s was %sd but the audit line "
			"was not written\n",
			verb, row->id, verb);
		goto out;
	}
	if (json_array_size(early))
		fprintf(stderr, "embargoctl: warning: record %s was released BEFORE publication\n",
			row->id);
	printf("record %s %sd (MTA: %s) by %s", row->id, verb, mta, login);
	if (pt != NULL) {
		printf("; released to ");
		out_list(pt->chosen, pt->n);
		printf(" (%zu of %zu recipients; the others are not delivered)", pt->n,
		       row->nrcpts);
	}
	putchar('\n');
	rc = 0;
out:
	json_decref(x);
	json_decref(early);
	return rc;
}

static int cmd_act(struct qopts *o, int argc, char **argv, enum em_store_state to)
{
	struct em_config *cfg = NULL;
	struct em_store *st = NULL;
	struct em_store_row *row = NULL;
	struct em_verdict *v = NULL;
	char err[512];
	int rc = 2;

	if (optind != argc - 1) {
		fprintf(stderr, "embargoctl quarantine %s: needs one record ID\n",
			to == EM_STORE_RELEASED ? "release" : "delete");
		return 2;
	}
	if ((cfg = em_ctl_config_load(o->conf)) == NULL || (st = em_ctl_store_open(cfg)) == NULL)
		goto out;
	o->cal = em_ctl_calendar(cfg);
	if (cfg->store != NULL && em_store_get(st, argv[optind], &row, err, sizeof(err)) == 1) {
		/* held on another relay: ask it through the shared store and wait */
		char login[256];

		if (o->nto > 0) {
			fprintf(stderr,
				"embargoctl quarantine release: record %s is held on another "
				"relay; --to works on the relay that holds it\n",
				argv[optind]);
			goto out;
		}

		rc = em_ctl_pg_remote_act(cfg, argv[optind],
					  to == EM_STORE_RELEASED ? "release" : "delete",
					  em_ctl_login(login, sizeof(login)), o->wait_s);
		goto out;
	}
	if (row == NULL && (row = em_ctl_record(st, argv[optind])) == NULL)
		goto out;
	v = em_ctl_verdict(row);
	rc = act_one(o, cfg, st, row, v, to, to == EM_STORE_RELEASED ? "release" : "delete", NULL);
out:
	em_verdict_free(v);
	em_store_row_free(row);
	em_store_close(st);
	em_caldata_unref(o->cal);
	o->cal = NULL;
	em_config_free(cfg);
	return rc;
}

/*
 * Due: every release of the record says after_publication "release" and is
 * published. The current config's release wins over the recorded one (a
 * postponed or re-decided release), the recorded verdict covers a release
 * since removed from the config.
 */
static bool release_due(const struct em_config *cfg, const struct em_caldata *cal,
			const struct em_verdict *v, time_t now)
{
	if (v == NULL || v->nreleases == 0)
		return false;
	for (size_t i = 0; i < v->nreleases; i++) {
		const struct em_release_verdict *r = &v->releases[i];
		const struct em_release_src *cur = em_ctl_release(cfg, r->id);
		enum em_after_pub ap = cur ? cur->after_publication : r->after_publication;
		time_t pub = published_at(cfg, cal, r);

		if (ap == EM_AFTER_INHERIT)
			ap = cfg->after_publication;
		if (ap != EM_AFTER_RELEASE || now < pub)
			return false;
	}
	return true;
}

static int cmd_release_due(struct qopts *o, int argc, char **argv)
{
	struct em_config *cfg = NULL;
	struct em_store *st = NULL;
	struct em_store_row *rows = NULL;
	struct em_store_filter f = {NULL, 0, EM_STORE_HELD};
	size_t n = 0, done = 0, failed = 0;
	time_t now = time(NULL);
	char err[512];
	int rc = 2;

	if (optind != argc) {
		fprintf(stderr, "embargoctl quarantine release-due: takes no argument\n");
		return 2;
	}
	if ((cfg = em_ctl_config_load(o->conf)) == NULL || (st = em_ctl_store_open(cfg)) == NULL)
		goto out;
	o->cal = em_ctl_calendar(cfg);
	if (em_store_list(st, &f, &rows, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl quarantine release-due: %s\n", err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct em_verdict *v = em_ctl_verdict(&rows[i]);

		if (release_due(cfg, o->cal, v, now)) {
			if (act_one(o, cfg, st, &rows[i], v, EM_STORE_RELEASED, "release-due",
				    NULL) == 0)
				done++;
			else
				failed++;
		}
		em_verdict_free(v);
	}
	printf("release-due: %zu record(s) released, %zu failed, %zu held record(s) checked\n",
	       done, failed, n);
	rc = failed ? 2 : 0;
out:
	em_store_rows_free(rows, n);
	em_store_close(st);
	em_caldata_unref(o->cal);
	o->cal = NULL;
	em_config_free(cfg);
	return rc;
}

/*
 * process-requests: carries out the pending rows of the requests table (a
 * sender's confirmed reply, later the review console) as root. One run at a
 * time (flock on quarantine_dir/requests.lock; a second run waits, then
 * finds nothing pending); each request is claimed pending -> running before
 * it is acted on, so no request is carried out twice; requests left running
 * by a run that died are pending again at the next run.
 */
static int process_one(const struct qopts *o, const struct em_config *cfg, struct em_store *st,
		       const struct em_request *rq, char *outcome, size_t outsz)
{
	bool rel = strcmp(rq->action, "release") == 0;
	enum em_store_state to = rel ? EM_STORE_RELEASED : EM_STORE_DELETED;
	struct em_store_row *row = NULL;
	struct em_verdict *v = NULL;
	char err[512];
	int rc;

	rc = em_store_get(st, rq->record_id, &row, err, sizeof(err));
	if (rc != 0) {
		snprintf(outcome, outsz, "%s", rc == 1 ? "no such record" : err);
		return -1;
	}
	if (row->state == to) {
		snprintf(outcome, outsz, "record already %s", em_store_state_name(to));
		em_store_row_free(row);
		return 0;
	}
	v = em_ctl_verdict(row);
	rc = act_one(o, cfg, st, row, v, to,
		     strcmp(rq->via, "mail-reply") == 0
			 ? (rel ? "confirm-release" : "confirm-delete")
			 : (rel ? "request-release" : "request-delete"),
		     rq);
	if (rc == 0 && rel && rq->recipients != NULL) {
		size_t k = 1;

		for (const char *p = rq->recipients; *p; p++)
			k += *p == '\n';
		snprintf(outcome, outsz, "released to %zu of %zu recipient(s): %.400s", k,
			 row->nrcpts, rq->recipients);
		for (char *p = outcome; *p; p++)
			if (*p == '\n')
				*p = ',';
	} else {
		snprintf(outcome, outsz, "%s",
			 rc == 0 ? (rel ? "released" : "deleted")
				 : "refused or failed (see the job's log)");
	}
	em_verdict_free(v);
	em_store_row_free(row);
	return rc == 0 ? 0 : -1;
}

static int cmd_process_requests(struct qopts *o, int argc, char **argv)
{
	struct em_config *cfg = NULL;
	struct em_store *st = NULL;
	struct em_request *rq = NULL;
	size_t n = 0, done = 0, failed = 0, unstuck = 0;
	char err[512], *lockpath = NULL;
	int lockfd = -1, rc = 2;

	if (optind != argc) {
		fprintf(stderr, "embargoctl quarantine process-requests: takes no argument\n");
		return 2;
	}
	if ((cfg = em_ctl_config_load(o->conf)) == NULL || (st = em_ctl_store_open(cfg)) == NULL)
		goto out;
	o->cal = em_ctl_calendar(cfg);
	if (asprintf(&lockpath, "%s/requests.lock", cfg->quarantine_dir) < 0) {
		lockpath = NULL;
		goto out;
	}
	lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
		fprintf(stderr, "embargoctl quarantine process-requests: %s: %s\n", lockpath,
			strerror(errno));
		goto out;
	}
	if (em_requests_unstick(st, &unstuck, err, sizeof(err)) < 0 ||
	    em_requests_list(st, "pending", &rq, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl quarantine process-requests: %s\n", err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char outcome[600];
		int c = em_request_claim(st, rq[i].id, time(NULL), err, sizeof(err)), r;

		if (c < 0) {
			fprintf(stderr, "embargoctl quarantine process-requests: %s\n", err);
			failed++;
			continue;
		}
		if (c == 0)
			continue; /* taken by another run */
		r = process_one(o, cfg, st, &rq[i], outcome, sizeof(outcome));
		if (em_request_finish(st, rq[i].id, r == 0, outcome, time(NULL), err, sizeof(err)) <
		    0)
			fprintf(stderr, "embargoctl quarantine process-requests: %s\n", err);
		printf("request %s (%s record %s, asked by ", rq[i].id, rq[i].action,
		       rq[i].record_id);
		out_clean(rq[i].requested_by);
		printf("): %s\n", outcome);
		if (r == 0)
			done++;
		else
			failed++;
	}
	printf("process-requests: %zu done, %zu failed, %zu pending seen%s\n", done, failed, n,
	       unstuck ? " (interrupted requests retried)" : "");
	rc = failed ? 2 : 0;
out:
	if (lockfd >= 0)
		close(lockfd); /* releases the lock */
	free(lockpath);
	em_requests_free(rq, n);
	em_store_close(st);
	em_caldata_unref(o->cal);
	o->cal = NULL;
	em_config_free(cfg);
	return rc;
}

/* ---- dispatch ---- */

static void usage(FILE *f)
{
	fprintf(f, "usage: embargoctl quarantine list [--release ID] [--since TIME] [--state S] "
		   "[--json]\n"
		   "       embargoctl quarantine show ID [--reveal] [--raw]\n"
		   "       embargoctl quarantine release ID [--force] [--wait SECONDS] "
		   "[--to ADDR]...\n"
		   "       embargoctl quarantine delete ID [--force] [--wait SECONDS]\n"
		   "       embargoctl quarantine release-due\n"
		   "       embargoctl quarantine process-requests\n"
		   "       embargoctl quarantine expire [--dry-run]\n"
		   "       embargoctl quarantine perms\n"
		   "  common: -c CONFIG, --postfix-config DIR, --no-mta (record only)\n");
}

int em_ctl_quarantine(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"release", required_argument, NULL, 'r'},
	    {"since", required_argument, NULL, 's'},
	    {"state", required_argument, NULL, 'S'},
	    {"json", no_argument, NULL, 'j'},
	    {"raw", no_argument, NULL, 'R'},
	    {"reveal", no_argument, NULL, 'v'},
	    {"force", no_argument, NULL, 'f'},
	    {"postfix-config", required_argument, NULL, 'p'},
	    {"no-mta", no_argument, NULL, 'n'},
	    {"dry-run", no_argument, NULL, 'D'},
	    {"wait", required_argument, NULL, 'w'},
	    {"to", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct qopts o = {.conf = EM_CTL_DEFAULT_CONFIG, .state = -1, .wait_s = 60};
	const char *sub;
	int c;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	sub = argv[1];
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.conf = optarg;
			break;
		case 'r':
			o.release = optarg;
			break;
		case 's':
			o.since = optarg;
			break;
		case 'S':
			if ((o.state = em_store_state_parse(optarg)) < 0) {
				fprintf(stderr,
					"embargoctl quarantine: --state is held, released or "
					"deleted\n");
				return 2;
			}
			break;
		case 'j':
			o.json = true;
			break;
		case 'R':
			o.raw = true;
			break;
		case 'v':
			o.reveal = true;
			break;
		case 'f':
			o.force = true;
			break;
		case 'p':
			o.postfix_dir = optarg;
			break;
		case 'n':
			o.no_mta = true;
			break;
		case 'D':
			o.dry_run = true;
			break;
		case 'w':
			o.wait_s = atoi(optarg);
			if (o.wait_s < 0 || o.wait_s > 3600) {
				fprintf(stderr,
					"embargoctl quarantine: --wait is 0..3600 seconds\n");
				return 2;
			}
			break;
		case 't': {
			char **nt = realloc(o.to, (o.nto + 1) * sizeof(*nt));

			if (nt == NULL || *optarg == '\0' || strchr(optarg, '\n')) {
				fprintf(stderr, "embargoctl quarantine: --to needs an address\n");
				free(nt ? nt : o.to);
				return 2;
			}
			o.to = nt;
			o.to[o.nto++] = optarg;
			break;
		}
		case 'h':
			free(o.to);
			usage(stdout);
			return 0;
		default:
			free(o.to);
			usage(stderr);
			return 2;
		}
	}
	if (o.nto > 0 && strcmp(sub, "release") != 0) {
		fprintf(stderr, "embargoctl quarantine: --to is for release only\n");
		free(o.to);
		return 2;
	}
	{
		int r = quarantine_dispatch(&o, sub, argc, argv);

		free(o.to);
		return r;
	}
}

static int quarantine_dispatch(struct qopts *o_, const char *sub, int argc, char **argv)
{
	struct qopts o = *o_;

	if (strcmp(sub, "list") == 0)
		return cmd_list(&o, argc, argv);
	if (strcmp(sub, "show") == 0)
		return cmd_show(&o, argc, argv);
	if (strcmp(sub, "release") == 0)
		return cmd_act(&o, argc, argv, EM_STORE_RELEASED);
	if (strcmp(sub, "delete") == 0)
		return cmd_act(&o, argc, argv, EM_STORE_DELETED);
	if (strcmp(sub, "release-due") == 0)
		return cmd_release_due(&o, argc, argv);
	if (strcmp(sub, "process-requests") == 0)
		return cmd_process_requests(&o, argc, argv);
	if (strcmp(sub, "perms") == 0) {
		if (optind != argc) {
			fprintf(stderr, "embargoctl quarantine perms: takes no argument\n");
			return 2;
		}
		return em_ctl_quarantine_perms(o.conf);
	}
	if (strcmp(sub, "expire") == 0) {
		if (optind != argc) {
			fprintf(stderr, "embargoctl quarantine expire: takes no argument\n");
			return 2;
		}
		return em_ctl_quarantine_expire(o.conf, o.dry_run);
	}
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "embargoctl quarantine: unknown command \"%s\"\n", sub);
	usage(stderr);
	return 2;
}
