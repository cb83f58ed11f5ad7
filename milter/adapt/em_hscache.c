/*
 * em_hscache - compiled prefilter databases on disk (see em_hscache.h for
 * the key, the file format's checks and the directory). Never makes a build
 * fail: every error is a miss, counted, with its reason kept in c->why.
 *
 * File format (integers little-endian as written by this host; the platform
 * is part of the key anyway):
 *   "EMHSDB1\n" | key (32) | n (u32) | in[n] (one byte each, 0 or 1) |
 *   dblen (u64) | SHA-256 of the database (32) | database (dblen bytes)
 */
#define _GNU_SOURCE
#include "em_hscache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hs/hs.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "EMHSDB1\n"
#define MAGIC_LEN 8
#define FORMAT "embargo-milter hs cache 1"
#define MAX_FILE (512UL * 1024 * 1024)
#define KEEP_FILES 16	/* databases kept per directory; the oldest go first */

char *em_hscache_default_dir(void)
{
	const char *e = getenv("EMBARGO_CACHE_DIR");
	char *out = NULL;

	if (e != NULL)
		return (*e == '\0' || strcmp(e, "off") == 0) ? NULL : strdup(e);
	if ((e = getenv("CACHE_DIRECTORY")) != NULL && *e == '/') {
		/* systemd: several directories are ':'-separated; the first is ours */
		size_t n = strcspn(e, ":");
		return strndup(e, n);
	}
	if (geteuid() == 0)
		return strdup("/var/cache/embargo-milter");
	if ((e = getenv("XDG_CACHE_HOME")) != NULL && *e == '/') {
		if (asprintf(&out, "%s/embargo-milter", e) < 0)
			return NULL;
		return out;
	}
	if ((e = getenv("HOME")) != NULL && *e == '/') {
		if (asprintf(&out, "%s/.cache/embargo-milter", e) < 0)
			return NULL;
		return out;
	}
	return NULL;
}

int em_hscache_init(struct em_hscache *c, const char *dir)
{
	memset(c, 0, sizeof(*c));
	if (dir == NULL)
		return 0;
	c->dir = strdup(dir);
	return c->dir ? 0 : -1;
}

void em_hscache_free(struct em_hscache *c)
{
	if (c == NULL)
		return;
	free(c->dir);
	c->dir = NULL;
}

static void put_u32(struct sha256_ctx *h, uint32_t v)
{
	sha256_update(h, sizeof(v), (const uint8_t *)&v);
}

static void put_u64(struct sha256_ctx *h, uint64_t v)
{
	sha256_update(h, sizeof(v), (const uint8_t *)&v);
}

int em_hscache_key(const char *const *expr, const unsigned *flags, const unsigned *ids, unsigned n,
		   uint8_t key[EM_HSCACHE_KEY_BYTES])
{
	struct sha256_ctx h;
	hs_platform_info_t plat;
	const char *ver = hs_version();

	memset(&plat, 0, sizeof(plat));
	if (hs_populate_platform(&plat) != HS_SUCCESS)
		return -1;
	sha256_init(&h);
	/* each field is length-prefixed, so no two inputs hash the same bytes */
	put_u64(&h, sizeof(FORMAT));
	sha256_update(&h, sizeof(FORMAT), (const uint8_t *)FORMAT);
	put_u64(&h, strlen(ver));
	sha256_update(&h, strlen(ver), (const uint8_t *)ver);
	put_u32(&h, plat.tune);
	put_u64(&h, plat.cpu_features);
	put_u32(&h, (uint32_t)sizeof(void *));
	put_u32(&h, HS_MODE_BLOCK);
	put_u32(&h, n);
	for (unsigned i = 0; i < n; i++) {
		size_t len = strlen(expr[i]);
		put_u32(&h, ids[i]);
		put_u32(&h, flags[i]);
		put_u64(&h, len);
		sha256_update(&h, len, (const uint8_t *)expr[i]);
	}
	sha256_digest(&h, EM_HSCACHE_KEY_BYTES, key);
	return 0;
}

int em_hscache_path(const struct em_hscache *c, const uint8_t key[EM_HSCACHE_KEY_BYTES], char *path,
		    size_t pathlen)
{
	char hex[2 * EM_HSCACHE_KEY_BYTES + 1];

	for (size_t i = 0; i < EM_HSCACHE_KEY_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	int w = snprintf(path, pathlen, "%s/hs-%s.db", c->dir, hex);
	return w < 0 || (size_t)w >= pathlen ? -1 : 0;
}

/* Reads the whole file if it may be trusted; NULL with c->why otherwise. */
static uint8_t *read_trusted(struct em_hscache *c, const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		if (errno != ENOENT)
			snprintf(c->why, sizeof(c->why), "%.400s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(c->why, sizeof(c->why), "%.400s: not a regular file", path);
		goto bad;
	}
	if ((st.st_uid != geteuid() && st.st_uid != 0) || (st.st_mode & 022) != 0) {
		snprintf(c->why, sizeof(c->why),
			 "%.400s: owned by another user or writable by others: ignored", path);
		goto bad;
	}
	if (st.st_size <= 0 || (unsigned long)st.st_size > MAX_FILE) {
		snprintf(c->why, sizeof(c->why), "%.400s: implausible size", path);
		goto bad;
	}
	buf = malloc((size_t)st.st_size);
	if (buf == NULL)
		goto bad;
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			snprintf(c->why, sizeof(c->why), "%.400s: short read", path);
			goto bad;
		}
		got += (size_t)k;
	}
	close(fd);
	*len = got;
	return buf;
bad:
	free(buf);
	close(fd);
	return NULL;
}

/* Vectorscan's own description of the bytes must be a block-mode database of
 * the running version: "Version: 5.4.9 Features: ... Mode: BLOCK". */
static bool info_matches(const uint8_t *db, size_t dblen)
{
	char *info = NULL;
	size_t size = 0;
	char want[64];
	bool ok;

	if (hs_serialized_database_size((const char *)db, dblen, &size) != HS_SUCCESS || size == 0)
		return false;
	if (hs_serialized_database_info((const char *)db, dblen, &info) != HS_SUCCESS ||
	    info == NULL)
		return false;
	snprintf(want, sizeof(want), "Version: %.*s ", (int)strcspn(hs_version(), " "),
		 hs_version());
	ok = strncmp(info, want, strlen(want)) == 0 && strstr(info, "Mode: BLOCK") != NULL;
	free(info); /* hs_misc_alloc defaults to malloc */
	return ok;
}

static int cache_load(void *ctx, const char *const *expr, const unsigned *flags,
		      const unsigned *ids, unsigned n, struct hs_database **dbp, bool *in)
{
	struct em_hscache *c = ctx;
	uint8_t key[EM_HSCACHE_KEY_BYTES], sum[SHA256_DIGEST_SIZE];
	char path[4096];
	size_t len = 0, off;
	uint8_t *buf;
	uint32_t fn;
	uint64_t dblen;
	hs_database_t *db = NULL;
	hs_scratch_t *scratch = NULL;
	struct sha256_ctx h;

	if (c->dir == NULL || em_hscache_key(expr, flags, ids, n, key) < 0 ||
	    em_hscache_path(c, key, path, sizeof(path)) < 0) {
		c->misses++;
		return -1;
	}
	if ((buf = read_trusted(c, path, &len)) == NULL) {
		c->rejected += c->why[0] != '\0';
		c->misses++;
		return -1;
	}
	off = MAGIC_LEN + EM_HSCACHE_KEY_BYTES + 4;
	if (len < off || memcmp(buf, MAGIC, MAGIC_LEN) != 0 ||
	    memcmp(buf + MAGIC_LEN, key, EM_HSCACHE_KEY_BYTES) != 0)
		goto bad;
	memcpy(&fn, buf + MAGIC_LEN + EM_HSCACHE_KEY_BYTES, 4);
	if (fn != n || len - off < (size_t)n + 8 + SHA256_DIGEST_SIZE)
		goto bad;
	for (unsigned i = 0; i < n; i++) {
		if (buf[off + i] > 1)
			goto bad;
		in[i] = buf[off + i] == 1;
	}
	off += n;
	memcpy(&dblen, buf + off, 8);
	off += 8;
	if (dblen == 0 || dblen != len - off - SHA256_DIGEST_SIZE)
		goto bad;
	sha256_init(&h);
	sha256_update(&h, (size_t)dblen, buf + off + SHA256_DIGEST_SIZE);
	sha256_digest(&h, sizeof(sum), sum);
	if (memcmp(sum, buf + off, sizeof(sum)) != 0)
		goto bad;
	off += SHA256_DIGEST_SIZE;
	if (!info_matches(buf + off, (size_t)dblen) ||
	    hs_deserialize_database((const char *)buf + off, (size_t)dblen, &db) != HS_SUCCESS ||
	    hs_alloc_scratch(db, &scratch) != HS_SUCCESS)
		goto bad;
	hs_free_scratch(scratch);
	free(buf);
	*dbp = db;
	c->hits++;
	return 0;
bad:
	hs_free_database(db);
	free(buf);
	snprintf(c->why, sizeof(c->why), "%.400s: not a valid database for these rules: ignored",
		 path);
	c->rejected++;
	c->misses++;
	return -1;
}

/* mkdir -p with mode 0700 for what it creates. */
static int make_dirs(const char *dir)
{
	char *p = strdup(dir);
	int rc = 0;

	if (p == NULL)
		return -1;
	for (char *s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char was = *s;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*s = was;
		if (was == '\0')
			break;
	}
	free(p);
	return rc;
}

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		ssize_t k = write(fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Keeps the KEEP_FILES newest databases (by mtime): a cache of rule sets that
 * change must not grow without bound. Errors are ignored (a miss later). */
static void prune(const char *dir)
{
	for (;;) {
		DIR *d = opendir(dir);
		struct dirent *e;
		char oldest[256] = "";
		struct timespec ot = {0, 0};
		unsigned n = 0;
		if (d == NULL)
			return;
		while ((e = readdir(d)) != NULL) {
			struct stat st;
			size_t l = strlen(e->d_name);
			if (strncmp(e->d_name, "hs-", 3) != 0 || l < 6 || l >= sizeof(oldest) ||
			    strcmp(e->d_name + l - 3, ".db") != 0 ||
			    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			n++;
			if (oldest[0] == '\0' || st.st_mtim.tv_sec < ot.tv_sec ||
			    (st.st_mtim.tv_sec == ot.tv_sec && st.st_mtim.tv_nsec < ot.tv_nsec)) {
				memcpy(oldest, e->d_name, l + 1);
				ot = st.st_mtim;
			}
		}
		if (n > KEEP_FILES)
			(void)unlinkat(dirfd(d), oldest, 0);
		closedir(d);
		if (n <= KEEP_FILES)
			return;
	}
}

static void cache_store(void *ctx, const char *const *expr, const unsigned *flags,
			const unsigned *ids, unsigned n, const struct hs_database *db,
			const bool *in)
{
	struct em_hscache *c = ctx;
	uint8_t key[EM_HSCACHE_KEY_BYTES], sum[SHA256_DIGEST_SIZE];
	char path[4096], tmp[4096 + 16];
	char *bytes = NULL;
	size_t dblen = 0;
	uint8_t *inb = NULL;
	uint32_t n32 = n;
	uint64_t len64;
	struct sha256_ctx h;
	int fd = -1;

	if (c->dir == NULL || em_hscache_key(expr, flags, ids, n, key) < 0 ||
	    em_hscache_path(c, key, path, sizeof(path)) < 0)
		return;
	if (make_dirs(c->dir) < 0) {
		snprintf(c->why, sizeof(c->why), "%.400s: %s", c->dir, strerror(errno));
		return;
	}
	if (hs_serialize_database(db, &bytes, &dblen) != HS_SUCCESS || bytes == NULL)
		return;
	if ((inb = malloc(n + 1)) == NULL)
		goto out;
	for (unsigned i = 0; i < n; i++)
		inb[i] = in[i] ? 1 : 0;
	len64 = dblen;
	sha256_init(&h);
	sha256_update(&h, dblen, (const uint8_t *)bytes);
	sha256_digest(&h, sizeof(sum), sum);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(c->why, sizeof(c->why), "%.400s: %s", c->dir, strerror(errno));
		goto out;
	}
	/* mkstemp makes 0600 already; say it, whatever the umask did */
	if (fchmod(fd, 0600) < 0 || write_all(fd, MAGIC, MAGIC_LEN) < 0 ||
	    write_all(fd, key, sizeof(key)) < 0 || write_all(fd, &n32, 4) < 0 ||
	    write_all(fd, inb, n) < 0 || write_all(fd, &len64, 8) < 0 ||
	    write_all(fd, sum, sizeof(sum)) < 0 || write_all(fd, bytes, dblen) < 0 ||
	    close(fd) < 0) {
		fd = -1;
		snprintf(c->why, sizeof(c->why), "%.400s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		snprintf(c->why, sizeof(c->why), "%.400s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	c->stores++;
	prune(c->dir);
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	free(inb);
	free(bytes); /* hs_misc_alloc defaults to malloc */
}

void em_hscache_ops(struct em_hscache *c, struct em_rules_dbcache *ops)
{
	ops->load = cache_load;
	ops->store = cache_store;
	ops->ctx = c;
}

struct em_rules *em_hscache_build(struct em_config *cfg, struct em_errors *errs)
{
	struct em_hscache c;
	struct em_rules_dbcache ops;
	char *dir = em_hscache_default_dir();
	struct em_rules *r;

	if (em_hscache_init(&c, dir) < 0) {
		free(dir);
		return em_rules_build(cfg, errs);
	}
	free(dir);
	em_hscache_ops(&c, &ops);
	r = em_rules_build_cached(cfg, errs, c.dir ? &ops : NULL);
	em_hscache_free(&c);
	return r;
}
