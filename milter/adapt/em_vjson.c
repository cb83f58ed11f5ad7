/*
 * em_vjson - a verdict as JSON and back (see em_vjson.h for the contract).
 *
 * Owns: the key names and their order, the time and number formats, and
 * turning hostile strings (invalid UTF-8 from a broken Subject) into valid
 * JSON: invalid bytes become U+FFFD, so encoding never fails on content.
 * Must not depend on: libmilter, syslog, libconfig. Never logs.
 * Does not define em_verdict_free (the core owns it); a verdict built here
 * is allocated exactly as the core's: every string and array separately, so
 * em_verdict_free also frees one that failed half-way.
 */
#include "em_vjson.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *jstr(const char *s);
static json_t *jstr_or_null(const char *s);
static json_t *jtime(time_t t);
static int set(json_t *o, const char *key, json_t *val);
static json_t *str_array(char *const *v, size_t n);
static json_t *release_obj(const struct em_release_verdict *r, time_t at, int flags);
static int parse_time(const json_t *j, time_t *out);
static int get_str(const json_t *o, const char *key, int required, char **out);
static int get_str_array(const json_t *o, const char *key, char ***v, size_t *n);
static int get_release(const json_t *o, struct em_release_verdict *r);
static json_t *unreadable_array(const struct em_verdict *v);
static int get_unreadable(const json_t *o, struct em_verdict *v);

static const char *const after_names[] = {
	[EM_AFTER_KEEP] = "keep", [EM_AFTER_RELEASE] = "release", [EM_AFTER_INHERIT] = "inherit",
};
#define NAFTER (sizeof(after_names) / sizeof(after_names[0]))

/* Returns the byte length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are what jansson refuses. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* A JSON string for s; invalid UTF-8 bytes are replaced by U+FFFD. NULL = out of memory. */
static json_t *jstr(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i, o = 0, k;
	char *clean;
	json_t *j;

	for (i = 0; i < n; i += k)
		if ((k = utf8_seq(p + i, n - i)) == 0)
			break;
	if (i == n)
		return json_stringn_nocheck(s, n);
	/* Each invalid byte grows to at most 3 bytes. */
	if (n > (SIZE_MAX - 1) / 3)
		return NULL;
	clean = malloc(n * 3 + 1);
	if (clean == NULL)
		return NULL;
	for (i = 0; i < n;) {
		k = utf8_seq(p + i, n - i);
		if (k == 0) {
			memcpy(clean + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else {
			memcpy(clean + o, p + i, k);
			o += k;
			i += k;
		}
	}
	j = json_stringn_nocheck(clean, o);
	free(clean);
	return j;
}

static json_t *jstr_or_null(const char *s)
{
	return s ? jstr(s) : json_null();
}

struct json_t *em_vjson_string(const char *s)
{
	return jstr_or_null(s);
}

/* RFC 3339 UTC, or null when t has no calendar representation. */
static json_t *jtime(time_t t)
{
	struct tm tm;
	char buf[64];

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return json_null();
	if (strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
}

/* Sets key to val (stealing val); returns 0, or -1 when val is NULL or out of memory. */
static int set(json_t *o, const char *key, json_t *val)
{
	if (val == NULL)
		return -1;
	return json_object_set_new(o, key, val) == 0 ? 0 : -1;
}

static json_t *str_array(char *const *v, size_t n)
{
	json_t *a = json_array();

	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (json_array_append_new(a, jstr(v[i] ? v[i] : "")) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *release_obj(const struct em_release_verdict *r, time_t at, int flags)
{
	json_t *o = json_object(), *ev, *e;
	const char *act = em_action_name(r->action);
	double hours = round(difftime(r->publish_at, at) / 360.0) / 10.0;

	if (o == NULL)
		return NULL;
	if (set(o, "id", jstr_or_null(r->id)) || set(o, "title", jstr_or_null(r->title)) ||
	    set(o, "publish_at", jtime(r->publish_at)) ||
	    set(o, "pre_release_from", jtime(r->pre_release_from)) ||
	    set(o, "action", act ? json_string(act) : json_null()) ||
	    set(o, "pra_open", json_boolean(r->pra_open)) ||
	    set(o, "hours_to_publication", json_real(hours)) ||
	    set(o, "blocked", str_array(r->blocked, r->nblocked)))
		goto fail;
	if ((ev = json_array()) == NULL || set(o, "evidence", ev))
		goto fail;
	for (size_t i = 0; i < r->nevidence; i++) {
		const struct em_evidence *x = &r->evidence[i];
		const char *kind = em_ev_kind_name(x->kind);

		if ((e = json_object()) == NULL || json_array_append_new(ev, e) != 0)
			goto fail;
		if (set(e, "kind", kind ? json_string(kind) : json_null()) ||
		    set(e, "where", jstr_or_null(x->where)) || set(e, "text", jstr_or_null(x->text)))
			goto fail;
	}
	if (flags & EM_VJSON_FULL) {
		const char *a = (unsigned)r->after_publication < NAFTER
					? after_names[r->after_publication]
					: NULL;

		if (set(o, "after_publication", a ? json_string(a) : json_null()))
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

struct json_t *em_verdict_to_jobj(const struct em_verdict *v, int flags)
{
	json_t *o, *rels;
	const char *act;

	if (v == NULL || (o = json_object()) == NULL)
		return NULL;
	act = em_action_name(v->action);
	if (set(o, "action", act ? json_string(act) : json_null()))
		goto fail;
	if ((rels = json_array()) == NULL || set(o, "releases", rels))
		goto fail;
	for (size_t i = 0; i < v->nreleases; i++)
		if (json_array_append_new(rels, release_obj(&v->releases[i], v->at, flags)) != 0)
			goto fail;
	if (v->nincomplete && set(o, "incomplete", str_array(v->incomplete, v->nincomplete)))
		goto fail;
	if (v->nunreadable && set(o, "unreadable", unreadable_array(v)))
		goto fail;
	if (v->nnotes && set(o, "notes", str_array(v->notes, v->nnotes)))
		goto fail;
	if (set(o, "mode", json_string(v->mode == EM_MONITOR ? "monitor" : "enforce")) ||
	    set(o, "at", jtime(v->at)) || set(o, "sender", jstr_or_null(v->sender)) ||
	    set(o, "recipients", str_array(v->rcpts, v->nrcpts)) ||
	    set(o, "subject", jstr_or_null(v->subject)) ||
	    set(o, "message_id", jstr_or_null(v->message_id)))
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

char *em_verdict_to_json(const struct em_verdict *v, int flags)
{
	json_t *o = em_verdict_to_jobj(v, flags);
	size_t dflags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15);
	char *s;

	if (o == NULL)
		return NULL;
	dflags |= (flags & EM_VJSON_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
	s = json_dumps(o, dflags);
	json_decref(o);
	return s;
}

/* ---- decoding ---- */

/* "YYYY-MM-DDTHH:MM:SSZ" (also "+00:00"-style offsets) into *out; 0 or -1. */
static int parse_time(const json_t *j, time_t *out)
{
	const char *s;
	struct tm tm;
	int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
	char sign = 0;
	time_t t;

	if (j == NULL || json_is_null(j)) {
		*out = 0;
		return 0;
	}
	if (!json_is_string(j))
		return -1;
	s = json_string_value(j);
	if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n != 19)
		return -1;
	s += n;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s;
		n = 0;
		if (sscanf(s + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5 || oh > 23 || om > 59)
			return -1;
		s += 1 + n;
	} else {
		return -1;
	}
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	errno = 0;
	t = timegm(&tm);
	if (t == (time_t)-1 && errno != 0)
		return -1;
	if (sign)
		t += (sign == '+' ? -1 : 1) * (time_t)(oh * 3600 + om * 60);
	*out = t;
	return 0;
}

/* A string member (null/absent -> NULL unless required); 0 or -1 (wrong type, out of memory). */
static int get_str(const json_t *o, const char *key, int required, char **out)
{
	const json_t *j = json_object_get(o, key);

	*out = NULL;
	if (j == NULL || json_is_null(j))
		return required ? -1 : 0;
	if (!json_is_string(j))
		return -1;
	*out = strdup(json_string_value(j));
	return *out ? 0 : -1;
}

/* An array of strings (absent -> empty); 0 or -1. On -1 what was built is in *v, *n. */
static int get_str_array(const json_t *o, const char *key, char ***v, size_t *n)
{
	const json_t *a = json_object_get(o, key);
	size_t cnt;

	*v = NULL;
	*n = 0;
	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return -1;
	cnt = json_array_size(a);
	if (cnt == 0)
		return 0;
	if ((*v = calloc(cnt, sizeof(**v))) == NULL)
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		const json_t *s = json_array_get(a, i);

		if (!json_is_string(s) || ((*v)[i] = strdup(json_string_value(s))) == NULL)
			return -1;
		*n = i + 1;
	}
	return 0;
}

static int get_release(const json_t *o, struct em_release_verdict *r)
{
	const json_t *ev, *j;
	int a;

	if (!json_is_object(o))
		return -1;
	if (get_str(o, "id", 1, &r->id) || get_str(o, "title", 0, &r->title) ||
	    parse_time(json_object_get(o, "publish_at"), &r->publish_at) ||
	    parse_time(json_object_get(o, "pre_release_from"), &r->pre_release_from))
		return -1;
	j = json_object_get(o, "action");
	if (!json_is_string(j) || (a = em_action_parse(json_string_value(j))) < 0)
		return -1;
	r->action = (enum em_action)a;
	j = json_object_get(o, "pra_open");
	if (j != NULL && !json_is_boolean(j))
		return -1;
	r->pra_open = json_is_true(j);
	r->after_publication = EM_AFTER_KEEP;
	j = json_object_get(o, "after_publication");
	if (j != NULL && !json_is_null(j)) {
		size_t k;

		if (!json_is_string(j))
			return -1;
		for (k = 0; k < NAFTER; k++)
			if (strcmp(json_string_value(j), after_names[k]) == 0)
				break;
		if (k == NAFTER)
			return -1;
		r->after_publication = (enum em_after_pub)k;
	}
	if (get_str_array(o, "blocked", &r->blocked, &r->nblocked))
		return -1;
	ev = json_object_get(o, "evidence");
	if (ev == NULL || json_is_null(ev))
		return 0;
	if (!json_is_array(ev))
		return -1;
	if (json_array_size(ev) == 0)
		return 0;
	if ((r->evidence = calloc(json_array_size(ev), sizeof(*r->evidence))) == NULL)
		return -1;
	for (size_t i = 0; i < json_array_size(ev); i++) {
		const json_t *e = json_array_get(ev, i);
		struct em_evidence *x = &r->evidence[i];
		const char *kind;
		int k;

		r->nevidence = i + 1;
		if (!json_is_object(e) || !json_is_string(json_object_get(e, "kind")))
			return -1;
		kind = json_string_value(json_object_get(e, "kind"));
		if ((k = em_ev_kind_parse(kind)) < 0)
			return -1;
		x->kind = (enum em_ev_kind)k;
		if (get_str(e, "where", 0, &x->where) || get_str(e, "text", 0, &x->text))
			return -1;
	}
	return 0;
}

struct em_verdict *em_verdict_from_json(const char *json)
{
	json_t *root, *o, *j, *rels;
	struct em_verdict *v;
	int a;

	if (json == NULL)
		return NULL;
	root = json_loads(json, JSON_REJECT_DUPLICATES, NULL);
	if (root == NULL)
		return NULL;
	o = root;
	/* A quarantine record file carries the verdict under "verdict". */
	if (json_is_object(root) && json_is_object(json_object_get(root, "verdict")))
		o = json_object_get(root, "verdict");
	if (!json_is_object(o) || (v = calloc(1, sizeof(*v))) == NULL) {
		json_decref(root);
		return NULL;
	}
	j = json_object_get(o, "action");
	if (!json_is_string(j) || (a = em_action_parse(json_string_value(j))) < 0)
		goto fail;
	v->action = (enum em_action)a;
	j = json_object_get(o, "mode");
	if (!json_is_string(j))
		goto fail;
	if (strcmp(json_string_value(j), "enforce") == 0)
		v->mode = EM_ENFORCE;
	else if (strcmp(json_string_value(j), "monitor") == 0)
		v->mode = EM_MONITOR;
	else
		goto fail;
	if (parse_time(json_object_get(o, "at"), &v->at) ||
	    get_str(o, "sender", 0, &v->sender) ||
	    get_str_array(o, "recipients", &v->rcpts, &v->nrcpts) ||
	    get_str(o, "subject", 0, &v->subject) || get_str(o, "message_id", 0, &v->message_id) ||
	    get_str_array(o, "notes", &v->notes, &v->nnotes) ||
	    get_str_array(o, "incomplete", &v->incomplete, &v->nincomplete) ||
	    get_unreadable(o, v))
		goto fail;
	rels = json_object_get(o, "releases");
	if (!json_is_array(rels))
		goto fail;
	if (json_array_size(rels) > 0) {
		v->releases = calloc(json_array_size(rels), sizeof(*v->releases));
		if (v->releases == NULL)
			goto fail;
		for (size_t i = 0; i < json_array_size(rels); i++) {
			v->nreleases = i + 1;
			if (get_release(json_array_get(rels, i), &v->releases[i]))
				goto fail;
		}
	}
	json_decref(root);
	return v;
fail:
	json_decref(root);
	em_verdict_free(v); /* NULL-safe on a partly built verdict */
	return NULL;
}

/* "unreadable": [{"where": ..., "why": ...}, ...] (what could not be read). */
static json_t *unreadable_array(const struct em_verdict *v)
{
	json_t *a = json_array();

	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < v->nunreadable; i++) {
		json_t *e = json_object();

		if (e == NULL || json_array_append_new(a, e) != 0 ||
		    set(e, "where", jstr(v->unreadable[i].where ? v->unreadable[i].where : "")) ||
		    set(e, "why", jstr(v->unreadable[i].why ? v->unreadable[i].why : ""))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Optional (records written before it existed have none); an element may
 * also be a plain string (its why). Returns 0, or -1 when malformed. */
static int get_unreadable(const json_t *o, struct em_verdict *v)
{
	const json_t *a = json_object_get(o, "unreadable");
	size_t n;

	if (a == NULL)
		return 0;
	if (!json_is_array(a))
		return -1;
	n = json_array_size(a);
	if (n == 0)
		return 0;
	if ((v->unreadable = calloc(n, sizeof(*v->unreadable))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(a, i);
		struct em_unreadable_item *u = &v->unreadable[i];

		v->nunreadable = i + 1;
		if (json_is_string(e)) {
			u->where = strdup("message");
			u->why = strdup(json_string_value(e));
		} else if (json_is_object(e) && json_is_string(json_object_get(e, "where")) &&
			   json_is_string(json_object_get(e, "why"))) {
			u->where = strdup(json_string_value(json_object_get(e, "where")));
			u->why = strdup(json_string_value(json_object_get(e, "why")));
		} else {
			return -1;
		}
		if (u->where == NULL || u->why == NULL)
			return -1;
	}
	return 0;
}
