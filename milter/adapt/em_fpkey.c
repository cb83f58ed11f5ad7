/*
 * em_fpkey - the fingerprint key file and what is derived from it (see
 * em_fpkey.h). Depends on OpenSSL libcrypto (HMAC-SHA256) and libc.
 */
#define _GNU_SOURCE
#include "em_fpkey.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECRET_BYTES 32

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int derive(const uint8_t *secret, const char *label, uint8_t out[32])
{
	unsigned len = 32;

	return HMAC(EVP_sha256(), secret, SECRET_BYTES, (const unsigned char *)label, strlen(label),
		    out, &len) != NULL
		   ? 0
		   : -1;
}

int em_fpkey_load(const char *path, uint8_t key[EM_FP_KEY_BYTES], char id[17], char *why,
		  size_t whylen)
{
	uint8_t secret[SECRET_BYTES], d[32];
	char buf[160];
	ssize_t n;
	size_t k = 0;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && (st.st_mode & 0007)) {
		close(fd);
		snprintf(why, whylen, "%s: readable by others (chmod 0640)", path);
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || buf[i] == '\r' || buf[i] == ' ')
			continue;
		int hi = hexval(buf[i]), lo = i + 1 < n ? hexval(buf[i + 1]) : -1;
		if (hi < 0 || lo < 0 || k == SECRET_BYTES) {
			k = 0;
			break;
		}
		secret[k++] = (uint8_t)(hi * 16 + lo);
		i++;
	}
	if (k != SECRET_BYTES) {
		snprintf(
		    why, whylen,
		    "%s: expected 64 hex digits (make one with embargoctl fingerprint --new-key)",
		    path);
		return -1;
	}
	if (derive(secret, "embargo-milter fingerprint v1", d) < 0) {
		snprintf(why, whylen, "%s: HMAC-SHA256 failed", path);
		return -1;
	}
	memcpy(key, d, EM_FP_KEY_BYTES);
	if (derive(secret, "embargo-milter key id", d) < 0) {
		snprintf(why, whylen, "%s: HMAC-SHA256 failed", path);
		return -1;
	}
	for (int i = 0; i < 8; i++)
		snprintf(id + 2 * i, 3, "%02x", d[i]);
	memset(secret, 0, sizeof(secret));
	return 0;
}

int em_fpkey_new(const char *path, char *why, size_t whylen)
{
	uint8_t secret[SECRET_BYTES];
	char hex[2 * SECRET_BYTES + 2];
	int fd;

	if (getrandom(secret, sizeof(secret), 0) != (ssize_t)sizeof(secret)) {
		snprintf(why, whylen, "getrandom: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < SECRET_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", secret[i]);
	hex[2 * SECRET_BYTES] = '\n';
	hex[2 * SECRET_BYTES + 1] = '\0';
	memset(secret, 0, sizeof(secret));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0640) != 0 || write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) ||
	    fsync(fd) != 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	memset(hex, 0, sizeof(hex));
	if (close(fd) != 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
