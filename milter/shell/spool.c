/*
 * spool - memory-then-file message spool (see spool.h). The temporary file
 * is unlinked as soon as it is created (mode 0600), so nothing is left behind
 * whatever happens to the process.
 */
#define _GNU_SOURCE
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct em_spool {
	size_t threshold;
	char *dir;
	char *mem;
	size_t len, cap;
	int fd;	 /* -1 while in memory */
	int err; /* errno of the first failure, 0 when fine */
};

struct em_spool *em_spool_new(size_t threshold, const char *dir)
{
	struct em_spool *sp = calloc(1, sizeof(*sp));

	if (sp == NULL)
		return NULL;
	sp->threshold = threshold;
	sp->fd = -1;
	if (dir != NULL && (sp->dir = strdup(dir)) == NULL) {
		free(sp);
		return NULL;
	}
	return sp;
}

void em_spool_free(struct em_spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->fd >= 0)
		close(sp->fd);
	free(sp->mem);
	free(sp->dir);
	free(sp);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int open_tmp(const char *dir)
{
	char *path;
	int fd;

	if (dir == NULL || *dir == '\0')
		return -1;
	if (asprintf(&path, "%s/embargo-spool.XXXXXX", dir) < 0)
		return -1;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

/* Moves the in-memory bytes to a new unlinked file. */
static int spill(struct em_spool *sp)
{
	int fd = open_tmp(sp->dir);

	if (fd < 0)
		fd = open_tmp(getenv("TMPDIR"));
	if (fd < 0)
		fd = open_tmp("/tmp");
	if (fd < 0)
		return -1;
	if (write_all(fd, sp->mem, sp->len) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	free(sp->mem);
	sp->mem = NULL;
	sp->cap = 0;
	sp->fd = fd;
	return 0;
}

static int fail(struct em_spool *sp)
{
	sp->err = errno ? errno : EIO;
	errno = sp->err;
	return -1;
}

int em_spool_write(struct em_spool *sp, const void *p, size_t n)
{
	if (sp->err) {
		errno = sp->err;
		return -1;
	}
	if (n == 0)
		return 0;
	if (sp->fd < 0 && sp->len + n > sp->threshold && spill(sp) < 0)
		return fail(sp);
	if (sp->fd >= 0) {
		if (write_all(sp->fd, p, n) < 0)
			return fail(sp);
		sp->len += n;
		return 0;
	}
	if (sp->len + n > sp->cap) {
		size_t ncap = sp->cap ? sp->cap : 16384;
		char *m;

		while (ncap < sp->len + n)
			ncap *= 2;
		if (ncap > sp->threshold)
			ncap = sp->threshold;
		if ((m = realloc(sp->mem, ncap)) == NULL)
			return fail(sp);
		sp->mem = m;
		sp->cap = ncap;
	}
	memcpy(sp->mem + sp->len, p, n);
	sp->len += n;
	return 0;
}

int em_spool_fd(struct em_spool *sp)
{
	if (sp->err) {
		errno = sp->err;
		return -1;
	}
	if (sp->fd < 0 && spill(sp) < 0)
		return fail(sp);
	if (lseek(sp->fd, 0, SEEK_SET) < 0)
		return -1;
	return sp->fd;
}

size_t em_spool_size(const struct em_spool *sp)
{
	return sp->len;
}

bool em_spool_on_disk(const struct em_spool *sp)
{
	return sp->fd >= 0;
}
