/*
 * em_control - control-socket client and rule-set hash (see em_control.h).
 */
#define _GNU_SOURCE
#include "em_control.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define ANSWER_MAX (1024 * 1024)

const char *em_control_path(const struct em_config *cfg)
{
	return cfg != NULL && cfg->control_socket != NULL ? cfg->control_socket
							  : EM_CONTROL_DEFAULT;
}

static int wait_fd(int fd, short ev, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = ev};
	int r;

	while ((r = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	if (r == 0)
		errno = ETIMEDOUT;
	return r > 0 ? 0 : -1;
}

char *em_control_query(const char *path, const char *cmd, int timeout_ms, char *err, size_t errsz)
{
	struct sockaddr_un sa;
	char *line = NULL, *ans = NULL;
	size_t len = 0, cap = 0, n;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errsz, "socket path too long");
		return NULL;
	}
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errsz, "%s", strerror(errno));
		return NULL;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || asprintf(&line, "%s\n", cmd) < 0)
		goto fail;
	n = strlen(line);
	for (size_t off = 0; off < n;) {
		ssize_t w;

		if (wait_fd(fd, POLLOUT, timeout_ms) < 0)
			goto fail;
		if ((w = write(fd, line + off, n - off)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	for (;;) {
		ssize_t r;

		if (len + 4096 + 1 > cap) {
			char *nv;

			if (cap >= ANSWER_MAX) {
				errno = EMSGSIZE;
				goto fail;
			}
			if ((nv = realloc(ans, cap + 8192)) == NULL)
				goto fail;
			ans = nv;
			cap += 8192;
		}
		if (wait_fd(fd, POLLIN, timeout_ms) < 0)
			goto fail;
		if ((r = read(fd, ans + len, 4096)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	free(line);
	if (ans == NULL && (ans = malloc(1)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	ans[len] = '\0';
	return ans;
fail:
	snprintf(err, errsz, "%s", errno == ETIMEDOUT ? "timed out" : strerror(errno));
	close(fd);
	free(line);
	free(ans);
	return NULL;
}

#define FNV64_PRIME 1099511628211ULL
#define FNV64_BASIS 14695981039346656037ULL /* FNV-1a 64 offset basis */

/* Folds the bytes of file name into the FNV-1a hash *h. Returns 0, or -1
 * with the reason in err ("permission denied reading NAME" when that is it). */
static int fnv_file(uint64_t *h, const char *name, char *err, size_t errsz)
{
	unsigned char buf[8192];
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0) {
		if (errno == EACCES)
			snprintf(err, errsz, "permission denied reading %s", name);
		else
			snprintf(err, errsz, "%s: %s", name, strerror(errno));
		return -1;
	}
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errsz, "%s: %s", name, strerror(errno));
			close(fd);
			return -1;
		}
		for (ssize_t k = 0; k < r; k++)
			*h = (*h ^ buf[k]) * FNV64_PRIME;
	}
	close(fd);
	return 0;
}

int em_control_hash(const struct em_config *cfg, char out[17], char *err, size_t errsz)
{
	uint64_t h = FNV64_BASIS;

	for (size_t i = 0; i < cfg->nfiles; i++) {
		for (const char *p = cfg->files[i]; *p; p++)
			h = (h ^ (unsigned char)*p) * FNV64_PRIME;
		if (fnv_file(&h, cfg->files[i], err, errsz) < 0)
			return -1;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	return 0;
}

int em_control_rules_hash(const struct em_config *cfg, char out[17], char *err, size_t errsz)
{
	uint64_t h = FNV64_BASIS;

	for (size_t i = 0; i < cfg->nfiles; i++) {
		/* the main config holds this relay's own settings (paths, relay_id) */
		if (cfg->path != NULL && strcmp(cfg->files[i], cfg->path) == 0)
			continue;
		h = (h ^ 0xffu) * FNV64_PRIME; /* file boundary */
		if (fnv_file(&h, cfg->files[i], err, errsz) < 0)
			return -1;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	return 0;
}
