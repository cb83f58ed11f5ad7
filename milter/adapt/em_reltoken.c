/*
 * em_reltoken - one-time tokens for a release to chosen recipients (see
 * em_reltoken.h). Files only: no database, so the milter can check a token
 * without the store's lock and the root job can write one as root.
 */
#define _GNU_SOURCE
#include "em_reltoken.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/em_addr.h"

#define TOKDIR "release-tokens"
#define FILE_MAX 65536
#define ADDR_MAX 512

static void hexify(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* qdir/release-tokens/sha256hex(token) into path; -1 when token is not 64 hex digits. */
static int token_path(const char *qdir, const char *token, char *path, size_t pathsz)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char h[2 * SHA256_DIGEST_SIZE + 1];

	if (strlen(token) != EM_RELTOKEN_SIZE - 1 ||
	    strspn(token, "0123456789abcdef") != EM_RELTOKEN_SIZE - 1)
		return -1;
	sha256_init(&ctx);
	sha256_update(&ctx, EM_RELTOKEN_SIZE - 1, (const uint8_t *)token);
	sha256_digest(&ctx, sizeof(d), d);
	hexify(d, sizeof(d), h);
	return snprintf(path, pathsz, "%s/" TOKDIR "/%s", qdir, h) < (int)pathsz ? 0 : -1;
}

int em_reltoken_issue(const char *qdir, const char *record_id, const char *const *rcpts, size_t n,
		      time_t now, char *token_out, char *err, size_t errsz)
{
	unsigned char r[32];
	size_t got = 0;
	char dir[4096], path[4200], canon[ADDR_MAX];
	struct stat qs;
	FILE *f;
	int fd;

	if (qdir == NULL || record_id == NULL || n == 0 || strchr(record_id, '\n')) {
		snprintf(err, errsz, "release token: no record or no recipient");
		return -1;
	}
	if (stat(qdir, &qs) < 0) {
		snprintf(err, errsz, "release token: %s: %s", qdir, strerror(errno));
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/" TOKDIR, qdir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errsz, "release token: %s: %s", dir, strerror(errno));
		return -1;
	}
	/* the daemon (owner of quarantine_dir) must be able to read and unlink it */
	if (geteuid() == 0 && chown(dir, qs.st_uid, qs.st_gid) < 0) {
		snprintf(err, errsz, "release token: chown %s: %s", dir, strerror(errno));
		return -1;
	}
	while (got < sizeof(r)) {
		ssize_t k = getrandom(r + got, sizeof(r) - got, 0);

		if (k < 0) {
			snprintf(err, errsz, "release token: getrandom: %s", strerror(errno));
			return -1;
		}
		got += (size_t)k;
	}
	hexify(r, sizeof(r), token_out);
	if (token_path(qdir, token_out, path, sizeof(path)) < 0) {
		snprintf(err, errsz, "release token: path too long");
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errsz, "release token: %s: %s", path, strerror(errno));
		return -1;
	}
	if (geteuid() == 0 && fchown(fd, qs.st_uid, qs.st_gid) < 0) {
		snprintf(err, errsz, "release token: chown %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(path);
		snprintf(err, errsz, "release token: out of memory");
		return -1;
	}
	fprintf(f, "record %s\nexpires %lld\n", record_id, (long long)now + EM_RELTOKEN_TTL_S);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "rcpt %s\n",
			em_addr_canon(rcpts[i] ? rcpts[i] : "", canon, sizeof(canon)));
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0) {
		snprintf(err, errsz, "release token: %s: write failed", path);
		unlink(path);
		return -1;
	}
	return 0;
}

/* Is canonical address a among the "rcpt " lines of text? */
static bool listed(const char *text, const char *a)
{
	size_t al = strlen(a);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, "rcpt ", 5) == 0 && strncmp(p + 5, a, al) == 0 &&
		    (p[5 + al] == '\n' || p[5 + al] == '\0'))
			return true;
	return false;
}

int em_reltoken_redeem(const char *qdir, const char *token, const char *const *rcpts, size_t n,
		       time_t now, char *record_out, size_t recsz, char *why, size_t whysz)
{
	char tok[EM_RELTOKEN_SIZE + 1], path[4200], canon[ADDR_MAX], *text = NULL, *p;
	const char *s = token ? token : "";
	size_t len, got = 0;
	long long exp = 0;
	int fd, rc = 0;

	record_out[0] = '\0';
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strcspn(s, " \t\r\n");
	if (len != EM_RELTOKEN_SIZE - 1 || s[len + strspn(s + len, " \t\r\n")] != '\0') {
		snprintf(why, whysz, "malformed token");
		return 0;
	}
	memcpy(tok, s, len);
	tok[len] = '\0';
	if (token_path(qdir, tok, path, sizeof(path)) < 0) {
		snprintf(why, whysz, "malformed token");
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		snprintf(why, whysz, errno == ENOENT ? "unknown or used token" : "%s: %s", path,
			 strerror(errno));
		return errno == ENOENT ? 0 : -1;
	}
	/* spent before it is believed: of two copies racing, only one unlinks it */
	if (unlink(path) < 0) {
		snprintf(why, whysz, "token used meanwhile");
		close(fd);
		return 0;
	}
	if ((text = malloc(FILE_MAX + 1)) == NULL) {
		close(fd);
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	for (ssize_t k; got < FILE_MAX && (k = read(fd, text + got, FILE_MAX - got)) != 0;) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, whysz, "%s: %s", path, strerror(errno));
			rc = -1;
			goto out;
		}
		got += (size_t)k;
	}
	text[got] = '\0';
	if (strncmp(text, "record ", 7) != 0 || (p = strstr(text, "\nexpires ")) == NULL ||
	    sscanf(p + 9, "%lld", &exp) != 1) {
		snprintf(why, whysz, "token file unreadable");
		goto out;
	}
	len = strcspn(text + 7, "\n");
	if (len + 1 > recsz) {
		snprintf(why, whysz, "token file unreadable");
		goto out;
	}
	if ((long long)now >= exp) {
		snprintf(why, whysz, "token expired");
		goto out;
	}
	if (n == 0) {
		snprintf(why, whysz, "no recipient");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!listed(text, em_addr_canon(rcpts[i] ? rcpts[i] : "", canon, sizeof(canon)))) {
			snprintf(why, whysz, "recipient not chosen for this release");
			goto out;
		}
	memcpy(record_out, text + 7, len);
	record_out[len] = '\0';
	rc = 1;
out:
	free(text);
	close(fd);
	return rc;
}

int em_reltoken_drop(const char *qdir, const char *token)
{
	char path[4200];

	if (qdir == NULL || token == NULL || token_path(qdir, token, path, sizeof(path)) < 0)
		return -1;
	return unlink(path);
}
