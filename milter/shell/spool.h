/*
 * spool - one message's raw bytes as received, for the quarantine store:
 * in memory up to a threshold, then in an unlinked temporary file, so memory
 * per message stays bounded whatever the message size. Shell only.
 */
#ifndef EM_SHELL_SPOOL_H
#define EM_SHELL_SPOOL_H

#include <stdbool.h>
#include <stddef.h>

struct em_spool;

/*
 * New empty spool. threshold: bytes kept in memory (0 = file from the first
 * byte). dir: where the temporary file goes (NULL or unusable: $TMPDIR, then
 * /tmp); copied. Returns NULL when out of memory. Free with em_spool_free.
 */
struct em_spool *em_spool_new(size_t threshold, const char *dir);
void em_spool_free(struct em_spool *sp);

/* Appends n bytes. Returns 0, or -1 with errno set; after a failure the spool
 * stays failed and every later call fails the same way. */
int em_spool_write(struct em_spool *sp, const void *p, size_t n);

/* The whole message as a file descriptor positioned at offset 0 (spilling
 * an in-memory spool to a file first). The spool owns the fd. Returns -1
 * with errno set on failure. */
int em_spool_fd(struct em_spool *sp);

size_t em_spool_size(const struct em_spool *sp);
bool em_spool_on_disk(const struct em_spool *sp);

#endif
