/*
 * em_config - the libconfig adapter (see em_config.h): the main config and
 * every release file into a struct em_config, each problem reported as
 * "FILE:LINE: what is wrong", all of them in one pass.
 *
 * Owns: the schema (key names, types, defaults, bounds), path resolution
 * (relative to the main config's directory; PRA files relative to their
 * release file), release times (em_time), PRA files (em_addr). Patterns are
 * kept as strings with their FILE:LINE and compiled by em_rules, not here.
 *
 * Friendly forms: wherever a list of strings is expected, both libconfig
 * lists ( ... ) and arrays [ ... ] are accepted, and so is a single string,
 * read as a list of one ("producers = "@stats.example.gov.uk";").
 *
 * libconfig quirks handled here: it records a list element's line after
 * reading the next token, so an element followed by ")" on a later line would
 * be reported one line late (elem_line corrects that); and libconfig 1.5
 * silently wraps integers beyond 32 bits, so integer settings are re-read
 * from the file text and a wrapped value is an error (int_checked).
 *
 * Depends on libconfig, libc and the core's em_settings, em_addr, em_time,
 * em_errors. Never logs and never exits: errors go into the caller's list.
 */
#define _GNU_SOURCE
#include "em_config.h"

#include <dirent.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/em_buf.h"
#include "../core/em_figures.h"
#include "../core/em_fprint.h"
#include "../core/em_time.h"
#include "em_fpkey.h"
#include "em_pg.h"

#define MAX_FILE_BYTES (64u * 1024 * 1024) /* a config or PRA file larger than this is a mistake   \
					    */
#define PRE_RELEASE_DEFAULT (24 * 60 * 60)
#ifndef EM_RULES_DIR
#define EM_RULES_DIR "/usr/share/embargo-milter/rules" /* set by the Makefile from PREFIX */
#endif

static const char *const default_markers[] = {
    "OFFICIAL ?[-:]? ?SENSITIVE",
    "PRE[- ]?RELEASE ACCESS",
    "EMBARGOED",
};

/* The file being read: its text lets us correct libconfig's line numbers. */
struct cur_file {
	const char *name; /* interned in cfg->files */
	const char *text;
	size_t len;
	size_t *lines; /* offset of each line start; lines[0] is line 1 */
	size_t nlines;
};

/* Loader state: the config being filled, where errors go. */
struct ld {
	struct em_config *c;
	struct em_errors *errs;
	struct cur_file f;
	const char *incdir; /* libconfig's include dir for the current file */
	const char *tz;	    /* zone for release times: the configured one, or UTC when invalid */
	int *id_lines;	    /* line of each release's id, parallel to c->releases */
	bool failed;	    /* an error was recorded (em_errors may have run out of memory) */
};

enum kind {
	K_STR,	/* one-line string */
	K_PATH, /* string resolved against the main config's directory */
	K_SOCKET,
	K_MODE,
	K_ACTION,
	K_ONERROR,
	K_AFTERPUB,
	K_STRLIST,
	K_ADDRLIST,
	K_ADDR, /* one address */
	K_BOOL,
	K_SIZE,
	K_TZ,
	K_LIMITS,
	K_WEAKACTION, /* confirm | quarantine | reject | strip | flag */
	K_WORDS,      /* excerpt_words: 4..64 */
	K_UNREADABLE,
	K_LABELS,
	K_OCR,	   /* ocr = "auto" | "off" */
	K_EXTRACT, /* extract = { ... } (sandboxed extraction) */
	K_MTA,	   /* "postfix" | "sendmail" */
	K_URL,	   /* an http:// or https:// URL without spaces or controls */
	K_EXT,	   /* issue 13 keys: ext_main_setting */
};

struct key {
	const char *name;
	enum kind kind;
	size_t off;
};

#define F(x) offsetof(struct em_config, x)
static const struct key main_keys[] = {
    {"socket", K_SOCKET, F(socket)},
    {"mode", K_MODE, F(mode)},
    {"releases_dir", K_PATH, F(releases_dir)},
    {"markers", K_STRLIST, F(markers)},
    {"always_allowed", K_ADDRLIST, F(always_allowed)},
    {"default_action", K_ACTION, F(default_action)},
    {"quarantine_dir", K_PATH, F(quarantine_dir)},
    {"on_error", K_ONERROR, F(on_error)},
    {"timezone", K_TZ, F(timezone)},
    {"user", K_STR, F(user)},
    {"pid_file", K_PATH, F(pid_file)},
    {"audit_log", K_PATH, F(audit_log)},
    {"contact", K_STR, F(contact)},
    {"spool_threshold", K_SIZE, F(spool_threshold)},
    {"after_publication", K_AFTERPUB, F(after_publication)},
    {"notify_sender", K_BOOL, F(notify_sender)},
    {"security_mailbox", K_ADDR, F(security_mailbox)},
    {"sendmail", K_STR, F(sendmail_path)},
    {"notify_from", K_STR, F(notify_from)},
    {"reviewer_group", K_STR, F(reviewer_group)},
    {"confirm_address", K_ADDR, F(confirm_address)},
    {"confirm_url", K_URL, F(confirm_url)},
    {"control_socket", K_PATH, F(control_socket)},
    {"notify_smtp", K_STR, F(notify_smtp)},
    {"mta", K_MTA, F(mta)},
    {"sendmail_cf", K_PATH, F(sendmail_cf)},
    {"limits", K_LIMITS, F(limits)},
    {"fingerprint_key", K_PATH, F(fingerprint_key)},
    {"weak_action", K_WEAKACTION, F(weak_action)},
    {"excerpt_words", K_WORDS, F(excerpt_words)},
    {"unreadable", K_UNREADABLE, F(unreadable)},
    {"labels", K_LABELS, F(labels)},
    {"ocr", K_OCR, F(extract)},
    {"extract", K_EXTRACT, F(extract)},
    {"marker_sets", K_EXT, 0},
    {"marker_sets_dir", K_PATH, F(marker_sets_dir)},
    {"store", K_STR, F(store)},
    {"relay_id", K_STR, F(relay_id)},
    {"calendar", K_PATH, F(calendar)},
    {"max_pra_hours", K_EXT, 0},
    {"review", K_EXT, 0}, /* issue 15: embargo-review's group, checked by embargo-review */
    {"quarantine_retention_days", K_EXT, 0},
};
#undef F

static const char *const limit_keys[] = {
    "max_decoded_mb", "max_depth", "max_zip_ratio", "max_parts", "max_header_kb", "max_cpu_seconds",
};

static const char *const release_keys[] = {
    "id",
    "title",
    "publish_at",
    "pre_release_from",
    "identifiers",
    "markers",
    "content",
    "producers",
    "pre_release_access",
    "pre_release_access_file",
    "action",
    "after_publication",
    "calendar_uid",
    "fingerprints",
    "figures",
    "min_figures",
    "links",
    "weak_action",
};

static void err_file(struct ld *ld, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void err_at(struct ld *ld, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void nomem(struct ld *ld);
static const char *intern(struct ld *ld, const char *name);
static char *read_text(const char *path, size_t *len, int *errnum);
static int file_begin(struct ld *ld, const char *path, char **text);
static void file_end(struct ld *ld);
static const char *setting_file(struct ld *ld, const config_setting_t *s);
static int elem_line(struct ld *ld, const config_setting_t *e);
static bool int_checked(struct ld *ld, const config_setting_t *s, long long *out);
static const char *type_name(const config_setting_t *s);
static void unknown_key(struct ld *ld, const config_setting_t *s, const char *const *keys,
			size_t nkeys);
static char *resolve(const char *dir, const char *p);
static char *dir_of(const char *path);
static char *get_str(struct ld *ld, const config_setting_t *s, bool one_line);
static int get_enum(struct ld *ld, const config_setting_t *s, const char *const *names,
		    const int *values, size_t n);
static void get_list(struct ld *ld, const config_setting_t *s, struct em_src_list *out);
static void get_addrs(struct ld *ld, const config_setting_t *s, struct em_addr_list *l);
static void get_limits(struct ld *ld, const config_setting_t *g, struct em_limits *lim);
static void get_extract(struct ld *ld, const config_setting_t *g, struct em_extract_conf *x);
static void main_setting(struct ld *ld, const config_setting_t *s);
static int set_defaults(struct ld *ld, const char *path);
static void load_releases(struct ld *ld, int rd_line);
static void load_release_file(struct ld *ld, const char *path);
static void release_setting(struct ld *ld, const config_setting_t *s, struct em_release_src *r,
			    const config_setting_t **pra_file, const config_setting_t **times);
static void load_pra_file(struct ld *ld, const config_setting_t *s, struct em_release_src *r,
			  const char *release_path);
static void src_list_clear(struct em_src_list *l);
static bool release_setting_evidence(struct ld *ld, const config_setting_t *s,
				     struct em_release_src *r);
static void load_fingerprint(struct ld *ld, struct em_release_src *r);
static void get_labels(struct ld *ld, const config_setting_t *g);
static void ext_main_setting(struct ld *ld, const config_setting_t *s);
static void load_marker_sets(struct ld *ld, const config_setting_t *root);
static void get_pra(struct ld *ld, const config_setting_t *s, struct em_release_src *r);
static int pra_file_line(struct ld *ld, struct em_release_src *r, char *line, const char *file,
			 int lineno);

/* ---------------------------------------------------------------- errors */

static void nomem(struct ld *ld)
{
	ld->failed = true;
	em_errors_add(ld->errs, NULL, 0, "out of memory while loading the configuration");
}

static void verr(struct ld *ld, const char *file, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void verr(struct ld *ld, const char *file, int line, const char *fmt, va_list ap)
{
	char *msg;

	ld->failed = true;
	if (vasprintf(&msg, fmt, ap) < 0) {
		ld->errs->nomem = 1;
		return;
	}
	em_errors_add(ld->errs, file, line, "%s", msg);
	free(msg);
}

static void err_file(struct ld *ld, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(ld, file, line, fmt, ap);
	va_end(ap);
}

/* An error at setting s: its own file (it may come from an @include) and line. */
static void err_at(struct ld *ld, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	int line = (int)config_setting_source_line(s);
	const config_setting_t *p = config_setting_parent(s);

	/* List elements carry libconfig's look-ahead line; see elem_line. */
	if (p != NULL && config_setting_name(s) == NULL && !config_setting_is_group(p))
		line = elem_line(ld, s);
	va_start(ap, fmt);
	verr(ld, setting_file(ld, s), line, fmt, ap);
	va_end(ap);
}

/* ----------------------------------------------------------------- files */

/* Keeps one copy of each file name in cfg->files; em_src_str.file points there. */
static const char *intern(struct ld *ld, const char *name)
{
	struct em_config *c = ld->c;
	char **v, *copy;

	for (size_t i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], name) == 0)
			return c->files[i];
	v = realloc(c->files, (c->nfiles + 1) * sizeof(*v));
	if (v == NULL)
		return NULL;
	c->files = v;
	if ((copy = strdup(name)) == NULL)
		return NULL;
	c->files[c->nfiles++] = copy;
	return copy;
}

/* Reads a whole file (malloc'd, NUL-terminated; caller frees); NULL with *errnum set. */
static char *read_text(const char *path, size_t *len, int *errnum)
{
	struct em_buf b = EM_BUF_INIT;
	struct stat st;
	char chunk[65536];
	FILE *fp;
	size_t n;
	char *text;

	fp = fopen(path, "re");
	if (fp == NULL) {
		*errnum = errno;
		return NULL;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		*errnum = EISDIR;
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b.len + n > MAX_FILE_BYTES) {
			*errnum = EFBIG;
			goto fail;
		}
		if (em_buf_append(&b, chunk, n) != 0) {
			*errnum = ENOMEM;
			goto fail;
		}
	}
	if (ferror(fp)) {
		*errnum = errno ? errno : EIO;
		goto fail;
	}
	fclose(fp);
	*len = b.len;
	text = em_buf_steal(&b);
	if (text == NULL)
		*errnum = ENOMEM;
	return text;
fail:
	fclose(fp);
	em_buf_free(&b);
	return NULL;
}

/*
 * Makes path the current file: interns its name, reads it (*text, caller
 * frees) and indexes its lines. Returns 0, or -1 after recording why.
 */
static int file_begin(struct ld *ld, const char *path, char **text)
{
	size_t len = 0, n = 1, i;
	int errnum = 0;
	const char *name = intern(ld, path);

	*text = NULL;
	memset(&ld->f, 0, sizeof(ld->f));
	if (name == NULL) {
		nomem(ld);
		return -1;
	}
	ld->f.name = name;
	*text = read_text(path, &len, &errnum);
	if (*text == NULL) {
		err_file(ld, name, 0, "cannot read: %s", strerror(errnum));
		return -1;
	}
	for (i = 0; i < len; i++)
		n += (*text)[i] == '\n';
	ld->f.lines = malloc(n * sizeof(size_t));
	if (ld->f.lines == NULL) {
		free(*text);
		*text = NULL;
		nomem(ld);
		return -1;
	}
	ld->f.lines[0] = 0;
	for (i = 0, n = 1; i < len; i++)
		if ((*text)[i] == '\n')
			ld->f.lines[n++] = i + 1;
	ld->f.nlines = n;
	ld->f.text = *text;
	ld->f.len = len;
	return 0;
}

static void file_end(struct ld *ld)
{
	free(ld->f.lines);
	memset(&ld->f, 0, sizeof(ld->f));
}

/* The file a setting was written in: the current file unless it came from an @include. */
static const char *setting_file(struct ld *ld, const config_setting_t *s)
{
	const char *f = config_setting_source_file(s);
	const char *name;
	char *full = NULL;

	if (f == NULL)
		return ld->f.name;
	/* libconfig opened a relative @include under the include dir: name that file. */
	if (f[0] != '/' && ld->incdir != NULL && (full = resolve(ld->incdir, f)) != NULL)
		f = full;
	name = intern(ld, f);
	free(full);
	return name ? name : config_setting_source_file(s);
}

/* Start and length of line n (1-based) of the current file; false when out of range. */
static bool line_text(const struct cur_file *f, int n, const char **p, size_t *len)
{
	size_t b, e;

	if (f->text == NULL || n < 1 || (size_t)n > f->nlines)
		return false;
	b = f->lines[n - 1];
	e = (size_t)n < f->nlines ? f->lines[n] - 1 : f->len;
	*p = f->text + b;
	*len = e - b;
	return true;
}

/* Is the line blank or only a comment? */
static bool line_is_empty(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
		i++;
	return i == len || p[i] == '#' || (i + 1 < len && p[i] == '/' && p[i + 1] == '/');
}

/*
 * libconfig stamps a list element with the line of the token after it. When
 * that line starts with ',' ')' or ']', the element ended on the last
 * non-empty line before it: report that one.
 */
static int elem_line(struct ld *ld, const config_setting_t *e)
{
	int line = (int)config_setting_source_line(e);
	int floor = (int)config_setting_source_line(config_setting_parent(e));
	const char *p;
	size_t len, i = 0;

	if (config_setting_source_file(e) != NULL || !line_text(&ld->f, line, &p, &len))
		return line;
	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == len || (p[i] != ',' && p[i] != ')' && p[i] != ']'))
		return line;
	for (int l = line - 1; l >= floor && l >= 1; l--) {
		if (line_text(&ld->f, l, &p, &len) && !line_is_empty(p, len))
			return l;
	}
	return line;
}

/* A character of a libconfig setting name: [-A-Za-z0-9_*]. */
static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '*';
}

/*
 * Integer value of s. libconfig 1.5 wraps literals beyond 32 bits without a
 * word, so the literal is re-read from the file text where possible: a
 * mismatch means the number was too large. Records the error; returns false.
 */
static bool int_checked(struct ld *ld, const config_setting_t *s, long long *out)
{
	const char *name = config_setting_name(s), *p, *q, *end;
	long long v = config_setting_get_int64(s), raw;
	size_t len, nlen;
	char *num, *stop;

	*out = v;
	if (name == NULL || config_setting_source_file(s) != NULL ||
	    !line_text(&ld->f, (int)config_setting_source_line(s), &p, &len))
		return true;
	end = p + len;
	nlen = strlen(name);
	for (q = p; q + nlen <= end; q++) {
		const char *r;

		/* The name itself, not the tail of a longer one. */
		if (memcmp(q, name, nlen) != 0 || (q > p && is_name_char(q[-1])))
			continue;
		r = q + nlen;
		while (r < end && (*r == ' ' || *r == '\t'))
			r++;
		if (r >= end || (*r != '=' && *r != ':'))
			continue;
		r++;
		while (r < end && (*r == ' ' || *r == '\t'))
			r++;
		if ((num = strndup(r, (size_t)(end - r))) == NULL)
			return true;
		errno = 0;
		raw = strtoll(num, &stop, 0);
		if (stop != num && (errno == ERANGE || raw != v)) {
			free(num);
			err_at(ld, s, "%s: number too large", name);
			return false;
		}
		free(num);
		return true;
	}
	return true;
}

static const char *type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
	case CONFIG_TYPE_LIST:
		return "a list";
	default:
		return "nothing";
	}
}

/* Edit distance capped at 3: enough to suggest the key an operator meant. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[64], prev, tmp;

	if (la >= 64 || lb >= 64)
		return 3;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int best = prev + ((a[i - 1] | 0x20) != (b[j - 1] | 0x20));

			tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb] < 3 ? row[lb] : 3;
}

static void unknown_key(struct ld *ld, const config_setting_t *s, const char *const *keys,
			size_t nkeys)
{
	const char *name = config_setting_name(s), *best = NULL;
	int bestd = 3;

	for (size_t i = 0; i < nkeys; i++) {
		int d = distance(name, keys[i]);

		if (d < bestd) {
			bestd = d;
			best = keys[i];
		}
	}
	if (best != NULL)
		err_at(ld, s, "unknown setting \"%s\" (did you mean \"%s\"?)", name, best);
	else
		err_at(ld, s, "unknown setting \"%s\"", name);
}

/* ----------------------------------------------------------------- paths */

static char *resolve(const char *dir, const char *p)
{
	char *r;

	if (p[0] == '/')
		return strdup(p);
	if (asprintf(&r, "%s/%s", dir, p) < 0)
		return NULL;
	return r;
}

/* Absolute directory of path (malloc'd), so that a later chdir("/") changes nothing. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d, *abs;

	if (slash == NULL)
		d = strdup(".");
	else if (slash == path)
		d = strdup("/");
	else
		d = strndup(path, (size_t)(slash - path));
	if (d == NULL)
		return NULL;
	abs = realpath(d, NULL);
	if (abs == NULL)
		return d;
	free(d);
	return abs;
}

/* ---------------------------------------------------------------- values */

/* A copy of a string setting (caller frees), or NULL after recording why. */
static char *get_str(struct ld *ld, const config_setting_t *s, bool one_line)
{
	const char *name = config_setting_name(s);
	const char *v;
	char *copy;

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		err_at(ld, s, "%s: expected a string, not %s", name, type_name(s));
		return NULL;
	}
	v = config_setting_get_string(s);
	if (v == NULL || v[0] == '\0') {
		err_at(ld, s, "%s: must not be empty", name);
		return NULL;
	}
	/* These end up in headers, reply texts and paths: one line only. */
	for (const char *p = v; one_line && *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			err_at(ld, s, "%s: control character in value", name);
			return NULL;
		}
	}
	if ((copy = strdup(v)) == NULL)
		nomem(ld);
	return copy;
}

/* One of names[] (its values[] entry), or -1 after recording why. */
static int get_enum(struct ld *ld, const config_setting_t *s, const char *const *names,
		    const int *values, size_t n)
{
	const char *name = config_setting_name(s), *v;
	char allowed[256] = "";

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		err_at(ld, s, "%s: expected a string, not %s", name, type_name(s));
		return -1;
	}
	v = config_setting_get_string(s);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v, names[i]) == 0)
			return values[i];
		/* Fixed table of short names: always fits. */
		strcat(allowed, i ? (i + 1 == n ? " or " : ", ") : "");
		strcat(allowed, names[i]);
	}
	err_at(ld, s, "%s: \"%s\" is not one of %s", name, v, allowed);
	return -1;
}

static void src_list_clear(struct em_src_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Appends one string with its place; false when out of memory. */
static bool src_list_push(struct em_src_list *l, const char *s, const char *file, int line)
{
	struct em_src_str *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (v == NULL)
		return false;
	l->v = v;
	if ((v[l->n].s = strdup(s)) == NULL)
		return false;
	v[l->n].file = file;
	v[l->n].line = line;
	l->n++;
	return true;
}

/*
 * A list of non-empty strings (list, array, or one string) into *out, which
 * it replaces. Bad elements are reported one by one and left out.
 */
static void get_list(struct ld *ld, const config_setting_t *s, struct em_src_list *out)
{
	const char *name = config_setting_name(s);
	int type = config_setting_type(s), n;

	src_list_clear(out);
	if (type == CONFIG_TYPE_STRING) {
		const char *v = config_setting_get_string(s);

		if (v[0] == '\0')
			err_at(ld, s, "%s: empty string", name);
		else if (!src_list_push(out, v, setting_file(ld, s),
					(int)config_setting_source_line(s)))
			nomem(ld);
		return;
	}
	if (type != CONFIG_TYPE_LIST && type != CONFIG_TYPE_ARRAY) {
		err_at(ld, s, "%s: expected a list of strings, not %s", name, type_name(s));
		return;
	}
	n = config_setting_length(s);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *v;

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			err_at(ld, e, "%s: expected a list of strings, element %d is %s", name,
			       i + 1, type_name(e));
			continue;
		}
		v = config_setting_get_string(e);
		if (v[0] == '\0') {
			err_at(ld, e, "%s: empty string in list", name);
			continue;
		}
		if (!src_list_push(out, v, setting_file(ld, e), elem_line(ld, e))) {
			nomem(ld);
			return;
		}
	}
}

/* Adds every address of list setting s to l, reporting bad ones at their own line. */
static void get_addrs(struct ld *ld, const config_setting_t *s, struct em_addr_list *l)
{
	struct em_src_list tmp = {NULL, 0};
	const char *name = config_setting_name(s);
	char why[128];

	get_list(ld, s, &tmp);
	for (size_t i = 0; i < tmp.n; i++) {
		int rc = em_addr_list_add(l, tmp.v[i].s, why, sizeof(why));

		if (rc == -1) {
			nomem(ld);
			break;
		}
		if (rc != 0)
			err_file(ld, tmp.v[i].file, tmp.v[i].line,
				 "%s: not an address: \"%s\" (%s)", name, tmp.v[i].s, why);
	}
	src_list_clear(&tmp);
}

/* limits = { ... }: each key optional, positive, within what its field can hold. */
static void get_limits(struct ld *ld, const config_setting_t *g, struct em_limits *lim)
{
	int n;

	if (!config_setting_is_group(g)) {
		err_at(ld, g, "limits: expected a group { ... }, not %s", type_name(g));
		return;
	}
	n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		int type = config_setting_type(s);
		long long v;

		if (strcmp(name, "max_cpu_seconds") == 0) {
			double d;

			if (type == CONFIG_TYPE_FLOAT)
				d = config_setting_get_float(s);
			else if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)
				d = (double)config_setting_get_int64(s);
			else {
				err_at(ld, s, "limits.%s: expected a number, not %s", name,
				       type_name(s));
				continue;
			}
			/* 0 means no CPU limit (em_types.h); negative or absurd is a typo. */
			if (!(d >= 0.0 && d <= 86400.0))
				err_at(ld, s, "limits.%s: must be between 0 and 86400", name);
			else
				lim->max_cpu_seconds = d;
			continue;
		}
		if (strcmp(name, "max_decoded_mb") != 0 && strcmp(name, "max_depth") != 0 &&
		    strcmp(name, "max_zip_ratio") != 0 && strcmp(name, "max_parts") != 0 &&
		    strcmp(name, "max_header_kb") != 0) {
			unknown_key(ld, s, limit_keys, sizeof(limit_keys) / sizeof(limit_keys[0]));
			continue;
		}
		if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64) {
			err_at(ld, s, "limits.%s: expected an integer, not %s", name, type_name(s));
			continue;
		}
		if (!int_checked(ld, s, &v))
			continue;
		if (v <= 0 || v > INT_MAX) {
			err_at(ld, s, "limits.%s: must be a positive integer up to %d", name,
			       INT_MAX);
			continue;
		}
		if (strcmp(name, "max_decoded_mb") == 0) {
			if ((unsigned long long)v > SIZE_MAX / (1024 * 1024))
				err_at(ld, s, "limits.%s: too large", name);
			else
				lim->max_decoded = (size_t)v * 1024 * 1024;
		} else if (strcmp(name, "max_header_kb") == 0) {
			lim->max_header = (size_t)v * 1024;
		} else if (strcmp(name, "max_depth") == 0) {
			lim->max_depth = (unsigned)v;
		} else if (strcmp(name, "max_zip_ratio") == 0) {
			lim->max_zip_ratio = (unsigned)v;
		} else {
			lim->max_parts = (unsigned)v;
		}
	}
}

/* -------------------------------------------------------------- main file */

static const char *const mode_names[] = {"enforce", "monitor"};
static const int mode_values[] = {EM_ENFORCE, EM_MONITOR};
static const char *const action_names[] = {"quarantine", "reject", "strip", "flag", "confirm"};
static const int action_values[] = {EM_QUARANTINE, EM_REJECT, EM_STRIP, EM_FLAG, EM_CONFIRM};
static const char *const onerror_names[] = {"tempfail", "quarantine", "reject"};
static const int onerror_values[] = {EM_TEMPFAIL, EM_QUARANTINE, EM_REJECT};
static const char *const weak_names[] = {"confirm", "quarantine", "reject", "strip", "flag"};
static const int weak_values[] = {EM_CONFIRM, EM_QUARANTINE, EM_REJECT, EM_STRIP, EM_FLAG};
static const char *const afterpub_names[] = {"keep", "release"};
static const int afterpub_values[] = {EM_AFTER_KEEP, EM_AFTER_RELEASE};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Accepts what libmilter's smfi_setconn does: {unix|local}:/path, inet[6]:port[@host], /path. */
/* An absolute http(s) URL with a host and no spaces or control characters:
 * it is printed in notices, so nothing in it may break a line. */
static bool url_ok(const char *u)
{
	const char *h;

	if (strncmp(u, "https://", 8) == 0)
		h = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		h = u + 7;
	else
		return false;
	if (*h == '\0' || *h == '/')
		return false;
	for (const unsigned char *c = (const unsigned char *)u; *c; c++)
		if (*c <= 0x20 || *c == 0x7f)
			return false;
	return true;
}

static bool socket_ok(const char *v)
{
	const char *p;
	long port;
	char *end;

	if (v[0] == '/')
		return true;
	if (strncmp(v, "unix:", 5) == 0 || strncmp(v, "local:", 6) == 0)
		return strchr(v, ':')[1] != '\0';
	if (strncmp(v, "inet:", 5) == 0)
		p = v + 5;
	else if (strncmp(v, "inet6:", 6) == 0)
		p = v + 6;
	else
		return false;
	if (*p < '0' || *p > '9')
		return false;
	port = strtol(p, &end, 10);
	return port > 0 && port <= 65535 && (*end == '\0' || (*end == '@' && end[1] != '\0'));
}

/* extract = { ... }: the sandboxed extractor's program, sandbox and limits. */
static void get_extract(struct ld *ld, const config_setting_t *g, struct em_extract_conf *x)
{
	static const char *const keys[] = {
	    "program",
	    "sandbox",
	    "timeout_seconds",
	    "cpu_seconds",
	    "memory_mb",
	    "output_mb",
	    "file_mb",
	    "max_members",
	    "message_seconds",
	    "message_attachments",
	    "ocr_min_width",
	    "ocr_min_height",
	    "ocr_max_megapixels",
	    "prefork",
	};
	unsigned *const nums[] = {
	    NULL,
	    NULL,
	    &x->timeout_seconds,
	    &x->cpu_seconds,
	    &x->memory_mb,
	    &x->output_mb,
	    &x->file_mb,
	    &x->max_members,
	    &x->message_seconds,
	    &x->message_attachments,
	    &x->ocr_min_width,
	    &x->ocr_min_height,
	    &x->ocr_max_megapixels,
	    NULL,
	};
	static const char *const sandbox_names[] = {"auto", "bwrap", "basic"};
	static const int sandbox_values[] = {EM_SANDBOX_AUTO, EM_SANDBOX_BWRAP, EM_SANDBOX_BASIC};
	int n;

	if (!config_setting_is_group(g)) {
		err_at(ld, g, "extract: expected a group { ... }, not %s", type_name(g));
		return;
	}
	n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		size_t k = 0;
		long long v;
		int e;

		while (k < N(keys) && strcmp(keys[k], name) != 0)
			k++;
		if (k == N(keys)) {
			unknown_key(ld, s, keys, N(keys));
		} else if (k == 0) {
			char *str = get_str(ld, s, true);

			if (str != NULL) {
				free(x->program);
				x->program = resolve(ld->c->dir, str);
				free(str);
				if (x->program == NULL)
					nomem(ld);
			}
		} else if (k == 1) {
			if ((e = get_enum(ld, s, sandbox_names, sandbox_values,
					  N(sandbox_names))) >= 0)
				x->sandbox = (enum em_sandbox)e;
		} else if (nums[k] == NULL) { /* prefork */
			if (config_setting_type(s) != CONFIG_TYPE_BOOL)
				err_at(ld, s, "extract.%s: expected true or false, not %s", name,
				       type_name(s));
			else
				x->prefork = config_setting_get_bool(s) != 0;
		} else if (config_setting_type(s) != CONFIG_TYPE_INT &&
			   config_setting_type(s) != CONFIG_TYPE_INT64) {
			err_at(ld, s, "extract.%s: expected an integer, not %s", name,
			       type_name(s));
		} else if (int_checked(ld, s, &v)) {
			if (v <= 0 || v > 1000000)
				err_at(ld, s,
				       "extract.%s: must be a positive integer up to 1000000",
				       name);
			else
				*nums[k] = (unsigned)v;
		}
	}
}

static void main_setting(struct ld *ld, const config_setting_t *s)
{
	const char *name = config_setting_name(s);
	const struct key *k = NULL;
	char *base = (char *)ld->c;
	char *str;
	int e;

	for (size_t i = 0; i < N(main_keys); i++)
		if (strcmp(main_keys[i].name, name) == 0)
			k = &main_keys[i];
	if (k == NULL) {
		const char *names[N(main_keys)];

		for (size_t i = 0; i < N(main_keys); i++)
			names[i] = main_keys[i].name;
		unknown_key(ld, s, names, N(main_keys));
		return;
	}
	/* an explicit `sendmail` keeps notices on the sendmail command */
	if (strcmp(name, "sendmail") == 0)
		ld->c->notify_via_sendmail = true;
	switch (k->kind) {
	case K_STR:
	case K_PATH:
	case K_SOCKET:
	case K_TZ:
	case K_ADDR:
	case K_MTA:
	case K_URL:
		if ((str = get_str(ld, s, true)) == NULL)
			return;
		if (k->kind == K_PATH) {
			char *r = resolve(ld->c->dir, str);

			free(str);
			if ((str = r) == NULL) {
				nomem(ld);
				return;
			}
		} else if (k->kind == K_URL && !url_ok(str)) {
			err_at(ld, s, "%s: \"%s\" is not an http:// or https:// URL", name, str);
		} else if (k->kind == K_MTA && strcmp(str, "postfix") != 0 &&
			   strcmp(str, "sendmail") != 0) {
			err_at(ld, s, "%s: \"%s\" is not \"postfix\" or \"sendmail\"", name, str);
		} else if (k->kind == K_SOCKET && !socket_ok(str)) {
			err_at(ld, s, "%s: \"%s\" is not unix:/PATH, local:/PATH or inet:PORT@HOST",
			       name, str);
		} else if (k->kind == K_TZ) {
			char why[160];
			time_t t;

			/* A zone is valid when a local time converts in it. */
			if (em_time_parse("2000-01-01 00:00", str, &t, why, sizeof(why)) != 0)
				err_at(ld, s, "%s: %s", name, why);
		} else if (k->kind == K_ADDR) {
			struct em_addr_list *probe = em_addr_list_new();
			char why[128];

			if (probe == NULL) {
				nomem(ld);
			} else if (strchr(str, '@') == str ||
				   em_addr_list_add(probe, str, why, sizeof(why)) != 0) {
				err_at(ld, s, "%s: not an address: \"%s\"", name, str);
			}
			em_addr_list_free(probe);
		}
		free(*(char **)(base + k->off));
		*(char **)(base + k->off) = str;
		if (k->off == offsetof(struct em_config, fingerprint_key)) {
			char why[512];

			if (em_fpkey_load(str, ld->c->fp_key, ld->c->fp_key_id, why, sizeof(why)) !=
			    0)
				err_at(ld, s, "fingerprint_key: %s", why);
		}
		if (k->off == offsetof(struct em_config, store)) {
			char why[512];

			/* "sqlite" (or "") is today's local store: same as no key */
			if (em_pg_store_kind(str) == 0) {
				free(str);
				ld->c->store = NULL;
			} else if (em_pg_conninfo_check(str, why, sizeof(why)) != 0) {
				err_at(ld, s, "store: not a PostgreSQL connection string: %s", why);
			}
		}
		return;
	case K_MODE:
		if ((e = get_enum(ld, s, mode_names, mode_values, N(mode_names))) >= 0)
			ld->c->mode = (enum em_mode)e;
		return;
	case K_ACTION:
		if ((e = get_enum(ld, s, action_names, action_values, N(action_names))) >= 0)
			ld->c->default_action = (enum em_action)e;
		return;
	case K_ONERROR:
		if ((e = get_enum(ld, s, onerror_names, onerror_values, N(onerror_names))) >= 0)
			ld->c->on_error = (enum em_action)e;
		return;
	case K_AFTERPUB:
		if ((e = get_enum(ld, s, afterpub_names, afterpub_values, N(afterpub_names))) >= 0)
			ld->c->after_publication = (enum em_after_pub)e;
		return;
	case K_STRLIST:
		get_list(ld, s, (struct em_src_list *)(base + k->off));
		return;
	case K_ADDRLIST:
		get_addrs(ld, s, *(struct em_addr_list **)(base + k->off));
		return;
	case K_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			err_at(ld, s, "%s: expected true or false, not %s", name, type_name(s));
		else
			*(bool *)(base + k->off) = config_setting_get_bool(s) != 0;
		return;
	case K_SIZE: {
		long long v;

		if (config_setting_type(s) != CONFIG_TYPE_INT &&
		    config_setting_type(s) != CONFIG_TYPE_INT64) {
			err_at(ld, s, "%s: expected an integer, not %s", name, type_name(s));
		} else if (int_checked(ld, s, &v)) {
			if (v <= 0 || (unsigned long long)v > SIZE_MAX)
				err_at(ld, s, "%s: must be a positive number of bytes", name);
			else
				*(size_t *)(base + k->off) = (size_t)v;
		}
		return;
	}
	case K_LIMITS:
		get_limits(ld, s, (struct em_limits *)(base + k->off));
		return;
	case K_WEAKACTION:
		if ((e = get_enum(ld, s, weak_names, weak_values, N(weak_names))) >= 0)
			ld->c->weak_action = (enum em_action)e;
		return;
	case K_WORDS: {
		long long v;

		if (config_setting_type(s) != CONFIG_TYPE_INT)
			err_at(ld, s, "%s: expected an integer, not %s", name, type_name(s));
		else if (int_checked(ld, s, &v) && (v < 4 || v > 64))
			err_at(ld, s, "%s: must be 4..64 words", name);
		else
			ld->c->excerpt_words = (unsigned)v;
		return;
	}
	case K_UNREADABLE: {
		static const char *const names[] = {"signalled", "always"};
		static const int values[] = {EM_UNREADABLE_SIGNALLED, EM_UNREADABLE_ALWAYS};

		if ((e = get_enum(ld, s, names, values, N(names))) >= 0)
			ld->c->unreadable = (enum em_unreadable_policy)e;
		return;
	}
	case K_LABELS:
		get_labels(ld, s);
		return;
	case K_OCR: {
		static const char *const ocr_names[] = {"auto", "off"};
		static const int ocr_values[] = {1, 0};

		if ((e = get_enum(ld, s, ocr_names, ocr_values, N(ocr_names))) >= 0)
			ld->c->extract.ocr = e == 1;
		return;
	}
	case K_EXTRACT:
		get_extract(ld, s, &ld->c->extract);
		return;
	case K_EXT:
		ext_main_setting(ld, s);
		return;
	}
}

/* Every default of the main config; returns -1 when out of memory. */
static int set_defaults(struct ld *ld, const char *path)
{
	struct em_config *c = ld->c;
	struct em_limits lim = EM_LIMITS_DEFAULT;
	struct em_extract_conf xc = EM_EXTRACT_CONF_DEFAULT;

	c->extract = xc;
	c->mode = EM_ENFORCE;
	c->default_action = EM_QUARANTINE;
	c->on_error = EM_TEMPFAIL;
	c->after_publication = EM_AFTER_KEEP;
	c->notify_sender = false;
	c->spool_threshold = 1048576;
	c->weak_action = EM_CONFIRM;
	c->excerpt_words = 8;
	c->limits = lim;
	c->max_pra_hours = 24;
	c->quarantine_retention_days = 90;
	if ((c->path = strdup(path)) == NULL || (c->dir = dir_of(path)) == NULL ||
	    (c->socket = strdup("unix:/run/embargo-milter/embargo-milter.sock")) == NULL ||
	    (c->releases_dir = resolve(c->dir, "releases.d")) == NULL ||
	    (c->quarantine_dir = strdup("/var/lib/embargo-milter/quarantine")) == NULL ||
	    (c->timezone = strdup("Europe/London")) == NULL ||
	    (c->sendmail_path = strdup("/usr/sbin/sendmail")) == NULL ||
	    (c->notify_smtp = strdup("127.0.0.1:25")) == NULL ||
	    (c->always_allowed = em_addr_list_new()) == NULL ||
	    (c->marker_sets_dir = strdup(EM_RULES_DIR "/markers")) == NULL)
		return -1;
	return 0;
}

/* ---------------------------------------------------------- release files */

static bool is_release_name(const char *n)
{
	size_t len = strlen(n);

	return n[0] != '.' && len > 5 && strcmp(n + len - 5, ".conf") == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every releases_dir/<*.conf>, in byte order of their names. */
static void load_releases(struct ld *ld, int rd_line)
{
	const char *dir = ld->c->releases_dir;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (d == NULL) {
		err_file(ld, ld->c->files[0], rd_line, "releases_dir \"%s\": cannot open: %s", dir,
			 strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char **v;

		if (!is_release_name(de->d_name))
			continue;
		v = realloc(names, (n + 1) * sizeof(*v));
		if (v == NULL || (v[n] = strdup(de->d_name)) == NULL) {
			if (v != NULL)
				names = v;
			nomem(ld);
			break;
		}
		names = v;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char *path = resolve(dir, names[i]);

		if (path == NULL) {
			nomem(ld);
		} else {
			load_release_file(ld, path);
			free(path);
		}
		free(names[i]);
	}
	free(names);
}

struct pra_ctx {
	struct ld *ld;
	struct em_release_src *r;
	const char *file;
};

/* One line of a PRA file: an address, or columns address role from until. */
static int pra_add(void *ctx, const char *entry, int line)
{
	struct pra_ctx *p = ctx;
	char *copy = strdup(entry);
	int rc;

	if (copy == NULL)
		return -1;
	rc = pra_file_line(p->ld, p->r, copy, p->file, line);
	free(copy);
	return rc;
}

/* pre_release_access_file: relative to the release file; every line an address or @domain. */
static void load_pra_file(struct ld *ld, const config_setting_t *s, struct em_release_src *r,
			  const char *release_path)
{
	struct pra_ctx ctx;
	char *v, *dir, *path, *text;
	const char *name;
	size_t len = 0;
	int errnum = 0;

	if ((v = get_str(ld, s, true)) == NULL)
		return;
	dir = dir_of(release_path);
	path = dir ? resolve(dir, v) : NULL;
	free(dir);
	if (path == NULL || (name = intern(ld, path)) == NULL) {
		free(v);
		free(path);
		nomem(ld);
		return;
	}
	free(path);
	text = read_text(name, &len, &errnum);
	if (text == NULL) {
		err_at(ld, s, "pre_release_access_file \"%s\": cannot read: %s", v,
		       strerror(errnum));
		free(v);
		return;
	}
	free(v);
	ctx.ld = ld;
	ctx.r = r;
	ctx.file = name;
	if (em_addr_parse_lines(text, len, pra_add, &ctx) != 0)
		nomem(ld);
	free(text);
}

/* One key of `release = { ... }`; times and the PRA file are kept for after the loop. */
static void release_setting(struct ld *ld, const config_setting_t *s, struct em_release_src *r,
			    const config_setting_t **pra_file, const config_setting_t **times)
{
	const char *name = config_setting_name(s);
	int e;

	if (strcmp(name, "id") == 0) {
		char *id = get_str(ld, s, true);

		if (id == NULL)
			return;
		for (const char *p = id; *p; p++) {
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) {
				err_at(ld, s, "id: \"%s\" may use only a-z, 0-9 and '-'", id);
				free(id);
				return;
			}
		}
		free(r->id);
		r->id = id;
	} else if (strcmp(name, "title") == 0) {
		char *t = get_str(ld, s, true);

		if (t != NULL) {
			free(r->title);
			r->title = t;
		}
	} else if (strcmp(name, "publish_at") == 0) {
		times[0] = s;
	} else if (strcmp(name, "pre_release_from") == 0) {
		times[1] = s;
	} else if (strcmp(name, "identifiers") == 0) {
		get_list(ld, s, &r->identifiers);
	} else if (strcmp(name, "markers") == 0) {
		get_list(ld, s, &r->markers);
	} else if (strcmp(name, "content") == 0) {
		get_list(ld, s, &r->content);
	} else if (strcmp(name, "producers") == 0) {
		get_addrs(ld, s, r->producers);
	} else if (strcmp(name, "pre_release_access") == 0) {
		get_pra(ld, s, r);
	} else if (strcmp(name, "calendar_uid") == 0) {
		char *u = get_str(ld, s, true);

		if (u != NULL) {
			free(r->calendar_uid);
			r->calendar_uid = u;
		}
	} else if (strcmp(name, "pre_release_access_file") == 0) {
		*pra_file = s;
	} else if (strcmp(name, "action") == 0) {
		if ((e = get_enum(ld, s, action_names, action_values, N(action_names))) >= 0)
			r->action = (enum em_action)e;
	} else if (strcmp(name, "after_publication") == 0) {
		if ((e = get_enum(ld, s, afterpub_names, afterpub_values, N(afterpub_names))) >= 0)
			r->after_publication = (enum em_after_pub)e;
	} else if (release_setting_evidence(ld, s, r)) {
		/* fingerprints, figures, min_figures, links, weak_action */
	} else {
		unknown_key(ld, s, release_keys, N(release_keys));
	}
}

/* -------------------------------- release documents and evidence strength */

/*
 * The release keys of issue 11: fingerprints (a .fp file relative to the
 * release file), figures (each checked with em_figures_parse), min_figures,
 * links (URL prefixes), weak_action. Returns false when name is none of them.
 */
static bool release_setting_evidence(struct ld *ld, const config_setting_t *s,
				     struct em_release_src *r)
{
	const char *name = config_setting_name(s);
	int e;

	if (strcmp(name, "fingerprints") == 0) {
		char *v = get_str(ld, s, true), *dir, *p;

		if (v == NULL)
			return true;
		dir = dir_of(ld->f.name);
		p = dir ? resolve(dir, v) : NULL;
		free(dir);
		free(v);
		if (p == NULL) {
			nomem(ld);
			return true;
		}
		free(r->fingerprints.s);
		r->fingerprints.s = p;
		r->fingerprints.file = setting_file(ld, s);
		r->fingerprints.line = (int)config_setting_source_line(s);
	} else if (strcmp(name, "figures") == 0) {
		get_list(ld, s, &r->figures);
		for (size_t i = 0; i < r->figures.n; i++) {
			struct em_figure f;
			char why[256];

			if (em_figures_parse(r->figures.v[i].s, &f, why, sizeof(why)) != 0)
				err_file(ld, r->figures.v[i].file, r->figures.v[i].line,
					 "figures: %s", why);
		}
	} else if (strcmp(name, "min_figures") == 0) {
		long long v;

		if (config_setting_type(s) != CONFIG_TYPE_INT)
			err_at(ld, s, "min_figures: expected an integer, not %s", type_name(s));
		else if (int_checked(ld, s, &v) && (v < 1 || v > 50))
			err_at(ld, s, "min_figures: must be 1..50");
		else
			r->min_figures = (unsigned)v;
	} else if (strcmp(name, "links") == 0) {
		get_list(ld, s, &r->links);
		for (size_t i = 0; i < r->links.n; i++)
			if (strlen(r->links.v[i].s) < 8 || !strstr(r->links.v[i].s, "://"))
				err_file(ld, r->links.v[i].file, r->links.v[i].line,
					 "links: \"%s\" is not a URL prefix (https://host/path/)",
					 r->links.v[i].s);
	} else if (strcmp(name, "weak_action") == 0) {
		if ((e = get_enum(ld, s, weak_names, weak_values, N(weak_names))) >= 0)
			r->weak_action = (enum em_action)e;
	} else {
		return false;
	}
	return true;
}

/* Reads and checks release r's .fp file against the deployment key. */
static void load_fingerprint(struct ld *ld, struct em_release_src *r)
{
	const struct em_src_str *f = &r->fingerprints;
	char why[256];
	size_t len;
	int errnum = 0;
	char *text;

	if (f->s == NULL)
		return;
	if (ld->c->fingerprint_key == NULL) {
		err_file(ld, f->file, f->line,
			 "fingerprints: needs fingerprint_key in the main configuration");
		return;
	}
	if ((text = read_text(f->s, &len, &errnum)) == NULL) {
		if (errnum == ENOMEM)
			nomem(ld);
		else
			err_file(ld, f->file, f->line, "fingerprints \"%s\": %s", f->s,
				 strerror(errnum));
		return;
	}
	r->fp = em_fp_parse(text, len, why, sizeof(why));
	free(text);
	if (r->fp == NULL) {
		if (why[0] == '\0')
			nomem(ld);
		else
			err_file(ld, f->file, f->line, "fingerprints \"%s\": %s", f->s, why);
		return;
	}
	if (ld->c->fp_key_id[0] && strcmp(r->fp->key_id, ld->c->fp_key_id) != 0)
		err_file(ld, f->file, f->line,
			 "fingerprints \"%s\": made with key %s but fingerprint_key is key %s; "
			 "rebuild it with embargoctl fingerprint",
			 f->s, r->fp->key_id, ld->c->fp_key_id);
}

/* A release time setting into *t; false after recording why. */
static bool get_time(struct ld *ld, const config_setting_t *s, time_t *t)
{
	char why[160];
	char *v = get_str(ld, s, true);

	if (v == NULL)
		return false;
	if (em_time_parse(v, ld->tz, t, why, sizeof(why)) != 0) {
		err_at(ld, s, "%s: %s", config_setting_name(s), why);
		free(v);
		return false;
	}
	free(v);
	return true;
}

/*
 * libconfig 1.5 exit()s the whole process when an @include names a directory
 * or a file it cannot open; a daemon reloading a bad release file must not
 * die. So every @include is checked first (recursively, depth-capped): it
 * must name a readable regular file. Returns 0 when all are fine.
 */
static int check_includes(struct ld *ld, const char *file, const char *text, const char *dir,
			  int depth)
{
	int line = 1, bad = 0;

	for (const char *p = text; *p; line++) {
		const char *eol = strchr(p, '\n'), *q = p;
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		while (q < p + n && (*q == ' ' || *q == '\t'))
			q++;
		if ((size_t)(p + n - q) > 8 && strncmp(q, "@include", 8) == 0) {
			const char *a = memchr(q, '"', (size_t)(p + n - q)), *b = NULL;
			char path[4096];
			struct stat st;
			if (a)
				b = memchr(a + 1, '"', (size_t)(p + n - a - 1));
			if (a == NULL || b == NULL) {
				err_file(ld, file, line, "@include needs a quoted file name");
				bad = 1;
			} else {
				int len = (int)(b - a - 1);
				if (a[1] == '/' || dir == NULL)
					snprintf(path, sizeof(path), "%.*s", len, a + 1);
				else
					snprintf(path, sizeof(path), "%s/%.*s", dir, len, a + 1);
				if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
				    access(path, R_OK) != 0) {
					err_file(ld, file, line,
						 "@include \"%.*s\": not a readable file", len,
						 a + 1);
					bad = 1;
				} else if (depth >= 10) {
					err_file(ld, file, line, "@include nested too deeply");
					bad = 1;
				} else {
					FILE *f = fopen(path, "r");
					char *buf = NULL;
					size_t cap = 0;
					ssize_t got = f ? getdelim(&buf, &cap, '\0', f) : -1;
					if (f)
						fclose(f);
					if (got >= 0 &&
					    check_includes(ld, path, buf, dir, depth + 1) != 0)
						bad = 1;
					free(buf);
				}
			}
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return bad;
}

static void load_release_file(struct ld *ld, const char *path)
{
	struct em_config *c = ld->c;
	struct em_release_src r;
	const config_setting_t *root, *rel, *pra_file = NULL, *times[2] = {NULL, NULL};
	bool have_pub = false, have_from = false;
	char *text, *dir;
	int id_line = 0;
	config_t cfg;

	if (file_begin(ld, path, &text) != 0)
		return;
	memset(&r, 0, sizeof(r));
	config_init(&cfg);
	if ((dir = dir_of(path)) != NULL)
		config_set_include_dir(&cfg, dir);
	ld->incdir = dir;
	if (check_includes(ld, ld->f.name, text, dir, 0) != 0)
		goto out; /* reported; libconfig would exit() on it */
	if (!config_read_string(&cfg, text)) {
		const char *ef = config_error_file(&cfg);

		err_file(ld, ef ? ef : ld->f.name, config_error_line(&cfg), "%s",
			 config_error_text(&cfg));
		goto out;
	}
	root = config_root_setting(&cfg);
	for (int i = 0; i < config_setting_length(root); i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		static const char *const top[] = {"release"};

		if (strcmp(config_setting_name(s), "release") != 0)
			unknown_key(ld, s, top, 1);
	}
	rel = config_setting_get_member(root, "release");
	if (rel == NULL) {
		err_file(ld, ld->f.name, 0, "no `release = { ... };` in this file");
		goto out;
	}
	if (!config_setting_is_group(rel)) {
		err_at(ld, rel, "release: expected a group { ... }, not %s", type_name(rel));
		goto out;
	}
	r.file = ld->f.name;
	r.line = (int)config_setting_source_line(rel);
	r.action = c->default_action;
	r.weak_action = c->weak_action;
	r.min_figures = 2;
	/* Resolved here: consumers never see EM_AFTER_INHERIT. */
	r.after_publication = c->after_publication;
	if ((r.producers = em_addr_list_new()) == NULL || (r.pra = em_addr_list_new()) == NULL) {
		nomem(ld);
		goto out;
	}
	for (int i = 0; i < config_setting_length(rel); i++) {
		const config_setting_t *s = config_setting_get_elem(rel, (unsigned)i);

		if (strcmp(config_setting_name(s), "id") == 0)
			id_line = (int)config_setting_source_line(s);
		release_setting(ld, s, &r, &pra_file, times);
	}
	if (times[0] != NULL)
		have_pub = get_time(ld, times[0], &r.publish_at);
	if (times[1] != NULL)
		have_from = get_time(ld, times[1], &r.pre_release_from);
	if (pra_file != NULL)
		load_pra_file(ld, pra_file, &r, path);
	load_fingerprint(ld, &r);

	if (config_setting_get_member(rel, "id") == NULL)
		err_at(ld, rel, "release: missing required setting \"id\"");
	if (config_setting_get_member(rel, "title") == NULL)
		err_at(ld, rel, "release: missing required setting \"title\"");
	if (times[0] == NULL)
		err_at(ld, rel, "release: missing required setting \"publish_at\"");
	/* Without either, nothing could ever match the release. */
	if (r.identifiers.n == 0 && r.content.n == 0 && r.fingerprints.s == NULL &&
	    r.figures.n == 0 && r.links.n == 0)
		err_at(ld, rel, "release: needs at least one identifier or content pattern");
	if (have_pub && times[1] == NULL)
		r.pre_release_from = r.publish_at - PRE_RELEASE_DEFAULT;
	if (have_pub && have_from && r.pre_release_from > r.publish_at) {
		char a[32], b[32];

		em_time_format_utc(r.pre_release_from, a, sizeof(a));
		em_time_format_utc(r.publish_at, b, sizeof(b));
		err_at(ld, times[1], "pre_release_from (%s) is after publish_at (%s)", a, b);
	}
	if (r.id != NULL) {
		for (size_t i = 0; i < c->nreleases; i++) {
			if (strcmp(c->releases[i].id, r.id) == 0) {
				err_file(ld, r.file, id_line,
					 "duplicate release id \"%s\" (also defined at %s:%d)",
					 r.id, c->releases[i].file, ld->id_lines[i]);
				break;
			}
		}
	}
	/* Keep a release only when complete: later files are checked against its id. */
	if (r.id != NULL && r.title != NULL && have_pub) {
		struct em_release_src *v = realloc(c->releases, (c->nreleases + 1) * sizeof(*v));
		int *lines = v ? realloc(ld->id_lines, (c->nreleases + 1) * sizeof(int)) : NULL;

		if (v != NULL)
			c->releases = v;
		if (lines == NULL) {
			nomem(ld);
			goto out;
		}
		ld->id_lines = lines;
		lines[c->nreleases] = id_line;
		v[c->nreleases++] = r;
		memset(&r, 0, sizeof(r));
	}
out:
	free(r.id);
	free(r.title);
	src_list_clear(&r.identifiers);
	src_list_clear(&r.markers);
	src_list_clear(&r.content);
	free(r.fingerprints.s);
	em_fp_free(r.fp);
	src_list_clear(&r.figures);
	src_list_clear(&r.links);
	em_addr_list_free(r.producers);
	em_addr_list_free(r.pra);
	em_pra_clear(&r.pra_entries);
	free(r.calendar_uid);
	config_destroy(&cfg);
	ld->incdir = NULL;
	free(dir);
	free(text);
	file_end(ld);
}

/* ------------------------------------------------------------------ load */

/*
 * Loads path and its releases (see em_config.h). Every problem goes into
 * errs; returns the config (caller frees with em_config_free) only when none
 * was found, else NULL. Never prints, never exits.
 */
static struct em_config *load(const char *path, struct em_errors *errs, bool releases);

struct em_config *em_config_load(const char *path, struct em_errors *errs)
{
	return load(path, errs, true);
}

/* The main config alone, no release file read (see em_config.h). */
struct em_config *em_config_load_main(const char *path, struct em_errors *errs)
{
	return load(path, errs, false);
}

static struct em_config *load(const char *path, struct em_errors *errs, bool releases)
{
	struct ld ld;
	config_t cfg;
	const config_setting_t *root, *rd;
	char *text = NULL;
	int rd_line = 0;
	bool parsed = false;

	memset(&ld, 0, sizeof(ld));
	ld.errs = errs;
	ld.c = calloc(1, sizeof(*ld.c));
	if (ld.c == NULL || set_defaults(&ld, path) != 0) {
		nomem(&ld);
		em_config_free(ld.c);
		return NULL;
	}
	if (file_begin(&ld, path, &text) != 0) {
		em_config_free(ld.c);
		return NULL;
	}
	config_init(&cfg);
	config_set_include_dir(&cfg, ld.c->dir);
	ld.incdir = ld.c->dir;
	if (check_includes(&ld, ld.f.name, text, ld.c->dir, 0) != 0) {
		/* reported; libconfig would exit() on it */
	} else if (!config_read_string(&cfg, text)) {
		const char *ef = config_error_file(&cfg);

		err_file(&ld, ef ? ef : ld.f.name, config_error_line(&cfg), "%s",
			 config_error_text(&cfg));
	} else {
		parsed = true;
		root = config_root_setting(&cfg);
		for (int i = 0; i < config_setting_length(root); i++)
			main_setting(&ld, config_setting_get_elem(root, (unsigned)i));
		load_marker_sets(&ld, root);
		if ((rd = config_setting_get_member(root, "releases_dir")) != NULL) {
			rd_line = (int)config_setting_source_line(rd);
			/* Already reported: do not add "releases.d missing" on top. */
			if (config_setting_type(rd) != CONFIG_TYPE_STRING ||
			    config_setting_get_string(rd)[0] == '\0')
				parsed = false;
		}
		if (config_setting_get_member(root, "markers") == NULL) {
			for (size_t i = 0; i < N(default_markers); i++)
				if (!src_list_push(&ld.c->markers, default_markers[i],
						   ld.c->files[0], 0))
					nomem(&ld);
		}
	}
	config_destroy(&cfg);
	ld.incdir = NULL;
	free(text);
	file_end(&ld);

	if (ld.c->audit_log == NULL &&
	    asprintf(&ld.c->audit_log, "%s/audit.log", ld.c->quarantine_dir) < 0) {
		ld.c->audit_log = NULL;
		nomem(&ld);
	}
	/* Keep checking release files under a bad zone: their other errors still count. */
	ld.tz = ld.c->timezone;
	if (em_time_parse("2000-01-01 00:00", ld.tz, &(time_t){0}, NULL, 0) != 0)
		ld.tz = "UTC";
	if (parsed && releases)
		load_releases(&ld, rd_line);
	free(ld.id_lines);
	if (ld.failed || errs->nomem) {
		em_config_free(ld.c);
		return NULL;
	}
	return ld.c;
}

/* ------------------------------------------- issue 13: the workbench keys */

/* max_pra_hours (main); marker_sets is read after the loop (load_marker_sets). */
static void ext_main_setting(struct ld *ld, const config_setting_t *s)
{
	const char *name = config_setting_name(s);
	long long v;

	if (strcmp(name, "review") == 0) {
		if (!config_setting_is_group(s))
			err_at(ld, s, "review: expected a group { ... }, not %s", type_name(s));
		return;
	}
	if (strcmp(name, "max_pra_hours") == 0) {
		if (config_setting_type(s) != CONFIG_TYPE_INT &&
		    config_setting_type(s) != CONFIG_TYPE_INT64)
			err_at(ld, s, "%s: expected an integer, not %s", name, type_name(s));
		else if (int_checked(ld, s, &v) && (v <= 0 || v > 24 * 366))
			err_at(ld, s, "%s: must be between 1 and %d hours", name, 24 * 366);
		else
			ld->c->max_pra_hours = (unsigned)v;
	}
	/* issue 9: days a record is kept after its release's publication; 0 = for ever */
	if (strcmp(name, "quarantine_retention_days") == 0) {
		if (config_setting_type(s) != CONFIG_TYPE_INT &&
		    config_setting_type(s) != CONFIG_TYPE_INT64)
			err_at(ld, s, "%s: expected an integer, not %s", name, type_name(s));
		else if (int_checked(ld, s, &v) && (v < 0 || v > 36600))
			err_at(ld, s, "%s: must be 0 (keep for ever) to 36600 days", name);
		else
			ld->c->quarantine_retention_days = (unsigned)v;
	}
}

/*
 * marker_sets = ( "uk-gsc", "embargo-phrases" ): each name is
 * marker_sets_dir/NAME.markers (a name with '/' is a path relative to the
 * main config). Every non-blank line not starting with '#' is one marker
 * (PCRE2, like `markers`), appended to the global markers with its own
 * FILE:LINE so a bad pattern is reported where it is written.
 */
static void load_marker_sets(struct ld *ld, const config_setting_t *root)
{
	const config_setting_t *s = config_setting_get_member(root, "marker_sets");
	struct em_src_list names = {NULL, 0};

	if (s == NULL)
		return;
	get_list(ld, s, &names);
	for (size_t i = 0; i < names.n; i++) {
		const char *n = names.v[i].s;
		char *path = NULL, *text;
		const char *file;
		size_t len = 0, pos = 0;
		int errnum = 0, line = 0;
		bool bad_name = strchr(n, '/') == NULL && strspn(n, "abcdefghijklmnopqrstuvwxyz"
								    "0123456789-_.") != strlen(n);

		if (bad_name) {
			err_file(ld, names.v[i].file, names.v[i].line,
				 "marker_sets: \"%s\" is not a set name ([a-z0-9-_.]) or a path",
				 n);
			continue;
		}
		if (strchr(n, '/') != NULL)
			path = resolve(ld->c->dir, n);
		else if (asprintf(&path, "%s/%s.markers", ld->c->marker_sets_dir, n) < 0)
			path = NULL;
		if (path == NULL || (file = intern(ld, path)) == NULL) {
			free(path);
			nomem(ld);
			break;
		}
		free(path);
		text = read_text(file, &len, &errnum);
		if (text == NULL) {
			err_file(ld, names.v[i].file, names.v[i].line,
				 "marker_sets: \"%s\": cannot read %s: %s", n, file,
				 strerror(errnum));
			continue;
		}
		while (pos < len) {
			const char *nl = memchr(text + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - text) : len, b = pos, e = end;

			line++;
			pos = nl ? end + 1 : len;
			while (b < e && (text[b] == ' ' || text[b] == '\t'))
				b++;
			while (e > b &&
			       (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
				e--;
			if (b == e || text[b] == '#')
				continue;
			if (memchr(text + b, '\0', e - b) != NULL) {
				err_file(ld, file, line, "NUL byte in marker");
				continue;
			}
			char *pat = strndup(text + b, e - b);

			if (pat == NULL || !src_list_push(&ld->c->markers, pat, file, line))
				nomem(ld);
			free(pat);
		}
		free(text);
	}
	src_list_clear(&names);
}

/* Adds one PRA entry to both views: the entry list, and the release's fast
 * address list when it has no window of its own. Reports at file:line. */
static void pra_entry(struct ld *ld, struct em_release_src *r, const char *addr, const char *role,
		      const time_t *from, const time_t *until, const char *file, int line,
		      const char *what)
{
	char why[128];
	int rc = em_pra_add(&r->pra_entries, addr, role, from, until, file, line, why, sizeof(why));

	if (rc == -1) {
		nomem(ld);
		return;
	}
	if (rc != 0) {
		err_file(ld, file, line, "%snot an address: \"%s\" (%s)", what, addr, why);
		return;
	}
	if (from == NULL && until == NULL && em_addr_list_add(r->pra, addr, why, sizeof(why)) == -1)
		nomem(ld);
	if (from != NULL && until != NULL && *from >= *until)
		err_file(ld, file, line, "%s\"%s\": access from is not before until", what, addr);
}

/*
 * pre_release_access: strings (an address or @domain, the release's window)
 * and, as the Order describes access, objects
 *   { address = "..."; role = "..."; from = "YYYY-MM-DD HH:MM"; until = "..."; }
 * where role, from and until are optional.
 */
static void get_pra(struct ld *ld, const config_setting_t *s, struct em_release_src *r)
{
	const char *name = config_setting_name(s);
	int type = config_setting_type(s), n;

	if (type == CONFIG_TYPE_STRING) {
		const char *v = config_setting_get_string(s);

		pra_entry(ld, r, v, NULL, NULL, NULL, setting_file(ld, s),
			  (int)config_setting_source_line(s), "pre_release_access: ");
		return;
	}
	if (type != CONFIG_TYPE_LIST && type != CONFIG_TYPE_ARRAY) {
		err_at(ld, s,
		       "%s: expected a list of addresses or { address = ...; } groups, "
		       "not %s",
		       name, type_name(s));
		return;
	}
	n = config_setting_length(s);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const config_setting_t *a, *ro, *f, *u;
		time_t from, until;
		bool ok_from = true, ok_until = true;
		char *role = NULL;

		if (config_setting_type(e) == CONFIG_TYPE_STRING) {
			pra_entry(ld, r, config_setting_get_string(e), NULL, NULL, NULL,
				  setting_file(ld, e), elem_line(ld, e), "pre_release_access: ");
			continue;
		}
		if (!config_setting_is_group(e)) {
			err_at(ld, e, "%s: element %d is %s, not an address or a group", name,
			       i + 1, type_name(e));
			continue;
		}
		for (int k = 0; k < config_setting_length(e); k++) {
			const config_setting_t *m = config_setting_get_elem(e, (unsigned)k);
			static const char *const keys[] = {"address", "role", "from", "until"};
			const char *mn = config_setting_name(m);

			if (strcmp(mn, "address") && strcmp(mn, "role") && strcmp(mn, "from") &&
			    strcmp(mn, "until"))
				unknown_key(ld, m, keys, N(keys));
		}
		a = config_setting_get_member(e, "address");
		ro = config_setting_get_member(e, "role");
		f = config_setting_get_member(e, "from");
		u = config_setting_get_member(e, "until");
		if (a == NULL) {
			err_at(ld, e, "%s: element %d: missing \"address\"", name, i + 1);
			continue;
		}
		if (config_setting_type(a) != CONFIG_TYPE_STRING) {
			err_at(ld, a, "address: expected a string, not %s", type_name(a));
			continue;
		}
		if (ro != NULL && (role = get_str(ld, ro, true)) == NULL)
			continue;
		if (f != NULL)
			ok_from = get_time(ld, f, &from);
		if (u != NULL)
			ok_until = get_time(ld, u, &until);
		if (ok_from && ok_until)
			pra_entry(ld, r, config_setting_get_string(a), role, f ? &from : NULL,
				  u ? &until : NULL, setting_file(ld, a),
				  (int)config_setting_source_line(a), "pre_release_access: ");
		free(role);
	}
}

/* A PRA file line: "address" or columns (em_pra_split). Returns -1 only when out of memory. */
static int pra_file_line(struct ld *ld, struct em_release_src *r, char *line, const char *file,
			 int lineno)
{
	char *col[4], why[160];
	char orig[512];
	time_t from, until;
	bool ok = true;
	int n;

	snprintf(orig, sizeof(orig), "%s", line);
	n = em_pra_split(line, col, why, sizeof(why));
	if (n < 0) {
		err_file(ld, file, lineno, "%s", why);
		return 0;
	}
	if (col[0] == NULL) {
		err_file(ld, file, lineno, "the first column must be an address");
		return 0;
	}
	/* A line that does not start with an address is reported whole, as a
	 * line of the one-address-a-line format always was. */
	{
		struct em_addr_list *probe = em_addr_list_new();
		int rc = probe ? em_addr_list_add(probe, col[0], why, sizeof(why)) : -1;

		if (rc == -2)
			rc = em_addr_list_add(probe, orig, why, sizeof(why));
		em_addr_list_free(probe);
		if (rc == -1)
			return -1;
		if (rc != 0 || why[0] != '\0') {
			err_file(ld, file, lineno, "not an address: \"%s\" (%s)", orig, why);
			return 0;
		}
	}
	if (col[2] != NULL && em_time_parse(col[2], ld->tz, &from, why, sizeof(why)) != 0) {
		err_file(ld, file, lineno, "from \"%s\": %s", col[2], why);
		ok = false;
	}
	if (col[3] != NULL && em_time_parse(col[3], ld->tz, &until, why, sizeof(why)) != 0) {
		err_file(ld, file, lineno, "until \"%s\": %s", col[3], why);
		ok = false;
	}
	if (ok)
		pra_entry(ld, r, col[0], col[1], col[2] ? &from : NULL, col[3] ? &until : NULL,
			  file, lineno, "");
	return ld->errs->nomem ? -1 : 0;
}

/* ---------------------------------------------------------------- labels */

/* A label GUID (8-4-4-4-12 hex digits, braces allowed) lower-cased without
 * braces into out (37 bytes); false when it is not one. */
static bool label_guid(const char *v, char out[37])
{
	size_t n = strlen(v), k = 0;

	if (n == 38 && v[0] == '{' && v[37] == '}')
		v++, n -= 2;
	if (n != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		char c = v[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (c >= 'A' && c <= 'F'))) {
			return false;
		}
		out[k++] = (char)(c >= 'A' && c <= 'F' ? c + 32 : c);
	}
	out[k] = '\0';
	return true;
}

/*
 * labels = ( { id = "GUID"; name = "OFFICIAL-SENSITIVE"; }, ... ): the
 * sensitivity labels of Microsoft Purview Information Protection, so a label
 * known only by its GUID (docMetadata/LabelInfo.xml, msip_labels without
 * _Name) is read as its name. Every error names FILE:LINE.
 */
static void get_labels(struct ld *ld, const config_setting_t *g)
{
	int n;

	if (config_setting_type(g) != CONFIG_TYPE_LIST) {
		err_at(
		    ld, g,
		    "labels: expected a list ( { id = \"GUID\"; name = \"...\"; }, ... ), not %s",
		    type_name(g));
		return;
	}
	n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
		const config_setting_t *id, *name;
		char guid[37], *nm, *idv;
		struct em_label *v;
		bool bad = false;

		if (!config_setting_is_group(e)) {
			err_at(ld, e,
			       "labels: each label is a group { id = \"GUID\"; name = \"...\"; }, "
			       "not %s",
			       type_name(e));
			continue;
		}
		for (int k = 0; k < config_setting_length(e); k++) {
			const config_setting_t *m = config_setting_get_elem(e, (unsigned)k);
			const char *mn = config_setting_name(m);

			if (strcmp(mn, "id") != 0 && strcmp(mn, "name") != 0) {
				err_at(ld, m,
				       "labels: unknown key \"%s\" (a label has id and name)", mn);
				bad = true;
			}
		}
		id = config_setting_get_member(e, "id");
		name = config_setting_get_member(e, "name");
		if (id == NULL || name == NULL) {
			err_at(ld, e, "labels: a label needs both id and name");
			continue;
		}
		if (bad || (idv = get_str(ld, id, true)) == NULL)
			continue;
		if (!label_guid(idv, guid)) {
			err_at(ld, id, "labels: id \"%s\" is not a GUID (8-4-4-4-12 hex digits)",
			       idv);
			free(idv);
			continue;
		}
		free(idv);
		if ((nm = get_str(ld, name, true)) == NULL)
			continue;
		if (*nm == '\0') {
			err_at(ld, name, "labels: name is empty");
			free(nm);
			continue;
		}
		for (size_t k = 0; k < ld->c->nlabels; k++)
			if (strcmp(ld->c->labels[k].id, guid) == 0) {
				err_at(ld, id, "labels: label %s is already defined at %s:%d", guid,
				       ld->c->labels[k].file, ld->c->labels[k].line);
				free(nm);
				nm = NULL;
				break;
			}
		if (nm == NULL)
			continue;
		v = realloc(ld->c->labels, (ld->c->nlabels + 1) * sizeof(*v));
		if (v == NULL) {
			free(nm);
			nomem(ld);
			return;
		}
		ld->c->labels = v;
		v += ld->c->nlabels;
		v->name = nm;
		v->file = setting_file(ld, id);
		v->line = (int)config_setting_source_line(id);
		if ((v->id = strdup(guid)) == NULL) {
			free(nm);
			nomem(ld);
			return;
		}
		ld->c->nlabels++;
	}
}
