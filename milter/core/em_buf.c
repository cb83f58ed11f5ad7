/*
 * em_buf - growable byte buffer (see em_buf.h). Depends on libc only.
 */
#define _GNU_SOURCE /* vasprintf */
#include "em_buf.h"

#include <stdarg.h>
#include <stdio.h>

#include <stdlib.h>
#include <string.h>

int em_buf_reserve(struct em_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > (size_t)-1 / 2 - b->len)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int em_buf_append(struct em_buf *b, const void *p, size_t len)
{
	if (em_buf_reserve(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int em_buf_putc(struct em_buf *b, int c)
{
	char ch = (char)c;

	return em_buf_append(b, &ch, 1);
}

int em_buf_puts(struct em_buf *b, const char *s)
{
	return em_buf_append(b, s, strlen(s));
}

void em_buf_reset(struct em_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void em_buf_free(struct em_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *em_buf_steal(struct em_buf *b)
{
	char *p = b->data;

	if (p == NULL)
		return strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

int em_buf_printf(struct em_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n, rc;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	rc = em_buf_append(b, s, (size_t)n);
	free(s);
	return rc;
}
