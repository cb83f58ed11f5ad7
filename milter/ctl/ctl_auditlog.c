/*
 * ctl_auditlog - reads the audit log together with the files logrotate made
 * of it, oldest first: PATH.N[.gz] from the highest N down, then
 * PATH-DATE[.gz] (logrotate's dateext) in date order, then PATH itself.
 * Every file goes through zlib's gzopen, which reads gzip'd and plain files
 * alike (a .gz name is not trusted, nor needed).
 *
 * Errors are printed ("embargoctl audit: permission denied reading PATH"
 * when that is what happened). Shell code: must not depend on libmilter.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ctl.h"

#define LINE_MAX_BYTES (16u * 1024 * 1024) /* a longer "line" is torn, skipped */

struct rot {
	char *path;
	int kind; /* 0: PATH.N, 1: PATH-DATE, 2: PATH */
	unsigned long long key;
};

/* PATH.N / PATH.N.gz / PATH-DIGITS / PATH-DIGITS.gz: the kind and number, else -1. */
static int rot_kind(const char *name, const char *base, unsigned long long *key)
{
	size_t bl = strlen(base);
	const char *p = name + bl, *d;
	char *end;

	if (strncmp(name, base, bl) != 0 || (p[0] != '.' && p[0] != '-') || p[1] < '0' ||
	    p[1] > '9')
		return -1;
	for (d = p + 1; *d >= '0' && *d <= '9'; d++)
		;
	if (*d != '\0' && strcmp(d, ".gz") != 0)
		return -1;
	errno = 0;
	*key = strtoull(p + 1, &end, 10);
	if (errno != 0 || end != d)
		return -1;
	return p[0] == '.' ? 0 : 1;
}

static int rot_cmp(const void *a, const void *b)
{
	const struct rot *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->key == y->key)
		return strcmp(x->path, y->path);
	/* PATH.N: a higher N is older; PATH-DATE: a smaller date is older */
	if (x->kind == 0)
		return x->key > y->key ? -1 : 1;
	return x->key < y->key ? -1 : 1;
}

void em_ctl_denied_or(const char *who, const char *path, int err)
{
	if (err == EACCES || err == EPERM)
		fprintf(stderr, "%s: permission denied reading %s\n", who, path);
	else
		fprintf(stderr, "%s: %s: %s\n", who, path, strerror(err));
}

/* The files, oldest first, into *out (caller frees each path and the array). */
static int rot_list(const char *who, const char *path, struct rot **out, size_t *n)
{
	char *dir = strdup(path), *slash, *base;
	struct rot *v = NULL;
	size_t cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (dir == NULL)
		goto nomem;
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		base = dir;
		d = opendir(".");
	} else {
		*slash = '\0';
		base = slash + 1;
		d = opendir(slash == dir ? "/" : dir);
	}
	if (d == NULL) {
		em_ctl_denied_or(who, slash == NULL || slash == dir ? "/" : dir, errno);
		free(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		unsigned long long key = 0;
		int kind = strcmp(de->d_name, base) == 0 ? 2 : rot_kind(de->d_name, base, &key);

		if (kind < 0)
			continue;
		if (*n == cap) {
			struct rot *nv = realloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*v));

			if (nv == NULL)
				goto nomem_d;
			v = nv;
		}
		if (asprintf(&v[*n].path, "%s%s%s", slash ? dir : "", slash ? "/" : "",
			     de->d_name) < 0)
			goto nomem_d;
		v[*n].kind = kind;
		v[*n].key = key;
		(*n)++;
	}
	closedir(d);
	free(dir);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), rot_cmp);
	*out = v;
	return 0;
nomem_d:
	closedir(d);
	for (size_t i = 0; i < *n; i++)
		free(v[i].path);
	free(v);
	*n = 0;
nomem:
	free(dir);
	fprintf(stderr, "%s: out of memory\n", who);
	return rc;
}

/* One file, line by line; 0, or -1 after printing why. */
static int read_one(const char *who, const char *path, int (*fn)(const char *line, void *arg),
		    void *arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), errnum, rc = 0;
	size_t cap = 8192, len = 0;
	char *buf;
	gzFile g;

	if (fd < 0) {
		em_ctl_denied_or(who, path, errno);
		return -1;
	}
	if ((g = gzdopen(fd, "rb")) == NULL || (buf = malloc(cap)) == NULL) {
		if (g != NULL)
			gzclose(g);
		else
			close(fd);
		fprintf(stderr, "%s: %s: out of memory\n", who, path);
		return -1;
	}
	for (;;) {
		if (gzgets(g, buf + len, (int)(cap - len)) == NULL)
			break;
		len += strlen(buf + len);
		if (len > 0 && buf[len - 1] != '\n' && !gzeof(g)) {
			char *nb;

			if (cap >= LINE_MAX_BYTES || (nb = realloc(buf, cap * 2)) == NULL) {
				len = 0; /* a torn or absurd line: its rest is skipped too */
				continue;
			}
			buf = nb;
			cap *= 2;
			continue;
		}
		if (len > 0 && fn(buf, arg) != 0) {
			rc = -1;
			break;
		}
		len = 0;
	}
	if (rc == 0 && len > 0 && fn(buf, arg) != 0)
		rc = -1;
	if (rc == 0 && !gzeof(g)) {
		const char *m = gzerror(g, &errnum);

		fprintf(stderr, "%s: %s: read error (%s)\n", who, path,
			errnum == Z_ERRNO ? strerror(errno) : m);
		rc = -1;
	}
	free(buf);
	gzclose(g);
	return rc;
}

int em_ctl_audit_read(const char *who, const char *path, int (*fn)(const char *line, void *arg),
		      void *arg, size_t *nfiles)
{
	struct rot *v = NULL;
	size_t n = 0;
	int rc = 0;

	if (nfiles != NULL)
		*nfiles = 0;
	if (rot_list(who, path, &v, &n) < 0)
		return -1;
	if (n == 0) {
		/* neither the log nor a rotated file: say why opening it fails */
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			close(fd);
			rc = read_one(who, path, fn, arg);
		} else {
			em_ctl_denied_or(who, path, errno);
			rc = -1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && read_one(who, v[i].path, fn, arg) < 0)
			rc = -1;
		else if (rc == 0 && nfiles != NULL)
			(*nfiles)++;
		free(v[i].path);
	}
	free(v);
	return rc;
}
