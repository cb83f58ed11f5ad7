/*
 * em_prahist - PRA list changes into the audit log (see em_prahist.h).
 *
 * State file: {"version":1,"releases":{ID:{ADDRESS:{"role","from","until"}}}}
 * with addresses in their canonical (lower-case) form. Written to a
 * temporary file in the same directory and renamed over the old one.
 */
#define _GNU_SOURCE
#include "em_prahist.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/em_addr.h"
#include "../core/em_pra.h"
#include "../core/em_time.h"
#include "em_store.h"

static void seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

char *em_prahist_state_path(const struct em_config *cfg)
{
	char *p;

	if (asprintf(&p, "%s/pra-state.json", cfg->quarantine_dir) < 0)
		return NULL;
	return p;
}

static json_t *jtime(time_t t)
{
	char buf[32];

	em_time_format_utc(t, buf, sizeof(buf));
	return json_string(buf);
}

/* {ADDRESS: {role, from, until}} of one release, as enforced. */
static json_t *release_state(const struct em_release_src *r)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < r->pra_entries.n; i++) {
		const struct em_pra_entry *e = &r->pra_entries.v[i];
		char canon[512];
		time_t from, until;
		json_t *v = json_object();

		em_pra_window(e, r->pre_release_from, r->publish_at, &from, &until);
		em_addr_canon(e->address, canon, sizeof(canon));
		if (v == NULL ||
		    json_object_set_new(v, "role", e->role ? json_string(e->role) : json_null()) ||
		    json_object_set_new(v, "from", jtime(from)) ||
		    json_object_set_new(v, "until", jtime(until)) ||
		    json_object_set_new(o, canon[0] ? canon : e->address, v)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *config_state(const struct em_config *cfg)
{
	json_t *top = json_object(), *rels = json_object();

	if (top == NULL || rels == NULL || json_object_set_new(top, "version", json_integer(1)) ||
	    json_object_set(top, "releases", rels)) {
		json_decref(top);
		json_decref(rels);
		return NULL;
	}
	json_decref(rels);
	for (size_t i = 0; i < cfg->nreleases; i++) {
		json_t *r = release_state(&cfg->releases[i]);

		if (r == NULL || json_object_set_new(rels, cfg->releases[i].id, r)) {
			json_decref(top);
			return NULL;
		}
	}
	return top;
}

static bool same_str(json_t *a, json_t *b)
{
	if (json_is_null(a) || a == NULL)
		return json_is_null(b) || b == NULL;
	return json_is_string(b) && strcmp(json_string_value(a), json_string_value(b)) == 0;
}

static int ordered(json_t *dst, json_t *src)
{
	static const char *const keys[] = {"role", "from", "until"};

	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_object_get(src, keys[i]);

		if (json_object_set(dst, keys[i], v ? v : json_null()))
			return -1;
	}
	return 0;
}

static int emit(const char *audit_path, time_t at, const char *id, const char *change,
		const char *address, json_t *now, json_t *was, char *err, size_t errsz)
{
	json_t *o = json_object(), *rels = json_array(), *w = NULL;
	char *s = NULL;
	int rc = -1;

	if (o == NULL || rels == NULL || json_array_append_new(rels, json_string(id)) ||
	    json_object_set_new(o, "event", json_string("pra_change")) ||
	    json_object_set_new(o, "at", jtime(at)) ||
	    json_object_set_new(o, "by", json_string("embargo-milter")) ||
	    json_object_set(o, "releases", rels) ||
	    json_object_set_new(o, "release", json_string(id)) ||
	    json_object_set_new(o, "change", json_string(change)) ||
	    json_object_set_new(o, "address", json_string(address))) {
		seterr(err, errsz, "out of memory");
		goto out;
	}
	/* role, from, until in that order whatever order the state file kept */
	if ((now != NULL && ordered(o, now) < 0) || (was != NULL && (w = json_object()) == NULL) ||
	    (w != NULL && ordered(w, was) < 0) || (w != NULL && json_object_set(o, "was", w))) {
		seterr(err, errsz, "out of memory");
		goto out;
	}
	if ((s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) {
		seterr(err, errsz, "out of memory");
		goto out;
	}
	rc = em_audit_append(audit_path, s, err, errsz);
out:
	free(s);
	json_decref(w);
	json_decref(rels);
	json_decref(o);
	return rc;
}

/* Writes text to path atomically (tmp + rename). */
static int write_atomic(const char *path, const char *text, char *err, size_t errsz)
{
	char *tmp;
	int fd;
	size_t n = strlen(text);

	if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	{
		/* quarantine_dir may not exist before the first message is held */
		char *slash = strrchr(tmp, '/');

		if (slash != NULL && slash != tmp) {
			*slash = '\0';
			if (mkdir(tmp, 0750) != 0 && errno != EEXIST) {
				seterr(err, errsz, "cannot create %s: %s", tmp, strerror(errno));
				free(tmp);
				return -1;
			}
			*slash = '/';
		}
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0 || write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) {
		seterr(err, errsz, "cannot write %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		seterr(err, errsz, "cannot rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int em_prahist_record(const struct em_config *cfg, const char *state_path, const char *audit_path,
		      time_t at, size_t *changes, char *err, size_t errsz)
{
	json_t *old = NULL, *cur = config_state(cfg), *oldrels, *currels, *rel;
	const char *id;
	char *text = NULL;
	int rc = -1;

	*changes = 0;
	if (cur == NULL) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	if (access(state_path, F_OK) == 0) {
		json_error_t je;

		old = json_load_file(state_path, 0, &je);
		if (old == NULL || !json_is_object(json_object_get(old, "releases"))) {
			seterr(err, errsz, "%s:%d: %s", state_path, je.line,
			       old ? "no \"releases\" object" : je.text);
			goto out;
		}
	} else if (errno != ENOENT) {
		seterr(err, errsz, "%s: %s", state_path, strerror(errno));
		goto out;
	}
	oldrels = old ? json_object_get(old, "releases") : NULL;
	currels = json_object_get(cur, "releases");
	json_object_foreach(currels, id, rel)
	{
		json_t *before = oldrels ? json_object_get(oldrels, id) : NULL;
		const char *addr;
		json_t *e;

		json_object_foreach(rel, addr, e)
		{
			json_t *b = before ? json_object_get(before, addr) : NULL;

			if (b == NULL) {
				if (emit(audit_path, at, id, "added", addr, e, NULL, err, errsz) <
				    0)
					goto out;
				++*changes;
			} else if (!same_str(json_object_get(e, "role"),
					     json_object_get(b, "role")) ||
				   !same_str(json_object_get(e, "from"),
					     json_object_get(b, "from")) ||
				   !same_str(json_object_get(e, "until"),
					     json_object_get(b, "until"))) {
				if (emit(audit_path, at, id, "changed", addr, e, b, err, errsz) < 0)
					goto out;
				++*changes;
			}
		}
		if (before == NULL)
			continue;
		json_object_foreach(before, addr, e)
		{
			if (json_object_get(rel, addr) != NULL)
				continue;
			if (emit(audit_path, at, id, "removed", addr, e, NULL, err, errsz) < 0)
				goto out;
			++*changes;
		}
	}
	if ((text = json_dumps(cur, JSON_INDENT(1) | JSON_SORT_KEYS)) == NULL) {
		seterr(err, errsz, "out of memory");
		goto out;
	}
	if (old != NULL && *changes == 0) {
		rc = 0; /* nothing changed: leave the file (and its mtime) alone */
		goto out;
	}
	rc = write_atomic(state_path, text, err, errsz);
out:
	free(text);
	json_decref(old);
	json_decref(cur);
	return rc;
}
