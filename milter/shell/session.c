/*
 * session - per-message state fed by the libmilter callbacks (see
 * session.h). Everything received is both pushed to the engine and spooled;
 * a failure of either is recorded and the message then fails closed at
 * end-of-message (on_error), but scanning continues so a blocking match in
 * what was scanned still decides.
 */
#define _GNU_SOURCE
#include "session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../adapt/em_act.h"
#include "../core/em_buf.h"
#include "../core/em_rules.h"
#include "../core/em_settings.h"
#include "spool.h"
#include "workbench.h"

static void set_error(struct em_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Keeps the first failure: later ones are usually its consequences. */
static void set_error(struct em_session *s, const char *fmt, ...)
{
	va_list ap;

	if (s->error[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
}

const struct em_rules *em_session_rules(const struct em_session *s)
{
	return s->rset->obj;
}

/* quarantine_dir/tmp when it exists: same file system as the store, and
 * space an operator already watches; else spool.c falls back to $TMPDIR. */
static char *spool_dir(const struct em_config *cfg)
{
	struct stat st;
	char *d;

	if (cfg == NULL || cfg->quarantine_dir == NULL)
		return NULL;
	if (asprintf(&d, "%s/tmp", cfg->quarantine_dir) < 0)
		return NULL;
	if (stat(d, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(d);
		return NULL;
	}
	return d;
}

struct em_session *em_session_new(struct em_rules_ref *ref)
{
	struct em_session *s = calloc(1, sizeof(*s));
	const struct em_config *cfg;
	char *dir;

	if (s == NULL)
		return NULL;
	s->ref = ref;
	s->rset = em_rules_ref_acquire(ref);
	if (s->rset == NULL) {
		free(s);
		return NULL;
	}
	cfg = em_rules_config(em_session_rules(s));
	dir = spool_dir(cfg);
	s->spool = em_spool_new(cfg ? cfg->spool_threshold : 1024 * 1024, dir);
	free(dir);
	s->scan = em_scan_new(em_session_rules(s), NULL);
	s->extract = cfg ? em_extract_new(&cfg->extract) : NULL;
	if (s->scan && s->extract)
		em_scan_set_extractor(s->scan, em_extract_extractor(s->extract));
	s->next_progress = EM_PROGRESS_BYTES;
	if (s->spool == NULL || s->scan == NULL || s->extract == NULL) {
		em_session_free(s);
		return NULL;
	}
	return s;
}

void em_session_free(struct em_session *s)
{
	if (s == NULL)
		return;
	em_scan_free(s->scan);
	em_extract_free(s->extract);
	em_spool_free(s->spool);
	for (size_t i = 0; i < s->nrcpts; i++)
		free(s->rcpts[i]);
	free(s->rcpts);
	free(s->queue_id);
	em_rules_ref_release(s->ref, s->rset);
	free(s);
}

void em_session_sender(struct em_session *s, const char *addr)
{
	if (em_scan_set_sender(s->scan, addr ? addr : "") < 0)
		set_error(s, "out of memory");
}

void em_session_rcpt(struct em_session *s, const char *addr)
{
	char *copy;

	if (addr == NULL)
		return;
	if (s->nrcpts == s->caprcpts) {
		size_t ncap = s->caprcpts ? s->caprcpts * 2 : 8;
		char **v = realloc(s->rcpts, ncap * sizeof(*v));

		if (v == NULL) {
			set_error(s, "out of memory");
			return;
		}
		s->rcpts = v;
		s->caprcpts = ncap;
	}
	if ((copy = strdup(addr)) == NULL) {
		set_error(s, "out of memory");
		return;
	}
	s->rcpts[s->nrcpts++] = copy;
	if (em_scan_add_rcpt(s->scan, addr) < 0)
		set_error(s, "out of memory");
}

void em_session_queue_id(struct em_session *s, const char *qid)
{
	if (qid == NULL || *qid == '\0' || s->queue_id != NULL)
		return;
	s->queue_id = strdup(qid); /* NULL only costs the fallback "unknown" */
}

/* Bytes to both consumers; scanning goes on when spooling fails. */
static void feed(struct em_session *s, const char *p, size_t n)
{
	if (em_scan_push(s->scan, p, n) < 0)
		set_error(s, "out of memory");
	if (em_spool_write(s->spool, p, n) < 0)
		set_error(s, "spool write failed: %s", strerror(errno));
}

void em_session_header(struct em_session *s, const char *name, const char *value, bool leadspc)
{
	struct em_buf b = EM_BUF_INIT;
	int rc;

	if (name == NULL)
		return;
	if (value == NULL)
		value = "";
	if (strcasecmp(name, EM_HDR_VERDICT) == 0)
		s->nforged++;
	else if (strcasecmp(name, EM_HDR_REMOVED) == 0)
		s->nforged_removed++;
	rc = em_buf_puts(&b, name) < 0 || em_buf_puts(&b, leadspc ? ":" : ": ") < 0;
	for (const char *c = value; *c != '\0' && !rc; c++) {
		if (*c == '\n' && (c == value || c[-1] != '\r'))
			rc = em_buf_putc(&b, '\r') < 0;
		if (!rc)
			rc = em_buf_putc(&b, *c) < 0;
	}
	if (rc || em_buf_puts(&b, "\r\n") < 0)
		set_error(s, "out of memory");
	else
		feed(s, b.data, b.len);
	em_buf_free(&b);
}

void em_session_eoh(struct em_session *s)
{
	feed(s, "\r\n", 2);
}

bool em_session_body(struct em_session *s, const void *p, size_t n)
{
	feed(s, p, n);
	s->bytes += n;
	if (s->bytes >= s->next_progress) {
		s->next_progress = s->bytes + EM_PROGRESS_BYTES;
		return true;
	}
	return false;
}

int em_session_finish(struct em_session *s, time_t at, struct em_verdict **v)
{
	/* The release calendar as it is now: it may postpone a release (issue 13). */
	struct em_caldata *cal = em_workbench_calendar();
	int rc;

	*v = NULL;
	em_scan_set_calendar(s->scan, cal);
	rc = em_scan_finish(s->scan, at, v);
	em_caldata_unref(cal);
	return rc;
}
