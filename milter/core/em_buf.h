/*
 * em_buf - a growable byte buffer.
 *
 * The buffer owns its storage; em_buf_free() releases it and accepts a
 * zeroed or already-freed buffer. The data is always NUL-terminated after a
 * successful append so it may be handed to string functions, but it may also
 * contain NUL bytes: len is authoritative.
 */
#ifndef EM_BUF_H
#define EM_BUF_H

#include <stddef.h>

struct em_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define EM_BUF_INIT {NULL, 0, 0}

/* Appends len bytes; returns 0, or -1 when out of memory (buffer unchanged). */
int em_buf_append(struct em_buf *b, const void *p, size_t len);
/* Appends one byte; returns 0 or -1 (out of memory). */
int em_buf_putc(struct em_buf *b, int c);
/* Appends a NUL-terminated string; returns 0 or -1. */
int em_buf_puts(struct em_buf *b, const char *s);
/* Appends printf-formatted text; returns 0 or -1 (out of memory). */
int em_buf_printf(struct em_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Makes room for at least extra more bytes; returns 0 or -1. */
int em_buf_reserve(struct em_buf *b, size_t extra);
/* Empties the buffer, keeping its storage. */
void em_buf_reset(struct em_buf *b);
/* Releases the storage; the buffer is then empty and reusable. */
void em_buf_free(struct em_buf *b);
/* Hands the storage to the caller (who must free() it); the buffer is emptied.
 * Returns an allocated empty string for an empty buffer, NULL if out of memory. */
char *em_buf_steal(struct em_buf *b);

#endif
