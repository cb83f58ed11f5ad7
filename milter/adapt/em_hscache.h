/*
 * em_hscache - a disk cache of compiled Vectorscan prefilter databases, so
 * that `embargoctl scan`/`check` and the daemon's start and reload need not
 * compile the same rules again (hs_compile_multi of 50 releases costs about
 * 0.8 s of CPU; loading its serialized form, milliseconds).
 *
 * One file per key, DIR/hs-<key>.db. The key is SHA-256 (FIPS 180-4, nettle)
 * of the cache format, hs_version(), the host platform as Vectorscan sees it
 * (hs_populate_platform), the mode and every candidate expression with its
 * flags and id, in order: a change of any rule misses. A file is trusted only
 * when it is a regular file owned by the caller (or root), writable by no one
 * else, its header repeats the full key, the SHA-256 of the database bytes
 * matches, Vectorscan describes it (hs_serialized_database_info) as a block
 * mode database of this version, and it deserializes into a database a
 * scratch space can be allocated for. Anything else is a miss and the rules
 * are compiled as without a cache. Files are written to a temporary file,
 * mode 0600, and renamed into place. Uses Vectorscan (hs_runtime) and nettle.
 */
#ifndef EM_HSCACHE_H
#define EM_HSCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/em_rules.h"

#define EM_HSCACHE_KEY_BYTES 32

struct em_hscache {
	char *dir;				 /* owned; NULL: disabled */
	unsigned hits, misses, stores, rejected; /* rejected: a file was there but not trusted */
	char why[512]; /* the last reason a file was rejected or could not be written */
};

/*
 * The cache directory to use, in order: $EMBARGO_CACHE_DIR (empty or "off":
 * no cache), $CACHE_DIRECTORY (systemd CacheDirectory=), /var/cache/
 * embargo-milter when running as root, $XDG_CACHE_HOME/embargo-milter,
 * $HOME/.cache/embargo-milter. Returns a string the caller frees, or NULL
 * (no cache, or out of memory).
 */
char *em_hscache_default_dir(void);

/* Sets up c for dir (copied; NULL disables). Does not touch the disk: the
 * directory is created (0700, parents too) on the first store. 0 or -1 (memory). */
int em_hscache_init(struct em_hscache *c, const char *dir);
void em_hscache_free(struct em_hscache *c);

/* Fills ops so that em_rules_build_cached uses c (which must outlive the build). */
void em_hscache_ops(struct em_hscache *c, struct em_rules_dbcache *ops);

/*
 * em_rules_build with the cache in em_hscache_default_dir() (or none): what
 * embargoctl and the daemon call. Same contract as em_rules_build.
 */
struct em_rules *em_hscache_build(struct em_config *cfg, struct em_errors *errs);

/*
 * The cache key of n expressions (see above) into key. Returns 0, or -1 when
 * the platform cannot be determined. Exposed for tests.
 */
int em_hscache_key(const char *const *expr, const unsigned *flags, const unsigned *ids, unsigned n,
		   uint8_t key[EM_HSCACHE_KEY_BYTES]);

/* The file that holds key's database: DIR/hs-<64 hex>.db into path. 0 or -1 (too long). */
int em_hscache_path(const struct em_hscache *c, const uint8_t key[EM_HSCACHE_KEY_BYTES], char *path,
		    size_t pathlen);

#endif
