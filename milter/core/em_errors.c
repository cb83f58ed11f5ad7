/*
 * em_errors - collected configuration errors (see em_errors.h). libc only.
 */
#define _GNU_SOURCE /* asprintf, memmem */
#include "em_errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void em_errors_add(struct em_errors *e, const char *file, int line, const char *fmt, ...)
{
	char msg[1024], *s, **v;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (file && line > 0)
		n = asprintf(&s, "%s:%d: %s", file, line, msg);
	else if (file)
		n = asprintf(&s, "%s: %s", file, msg);
	else
		n = asprintf(&s, "%s", msg);
	if (n < 0) {
		e->nomem = 1;
		return;
	}
	v = realloc(e->v, (e->n + 1) * sizeof(*v));
	if (v == NULL) {
		free(s);
		e->nomem = 1;
		return;
	}
	e->v = v;
	e->v[e->n++] = s;
}

void em_errors_free(struct em_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
	e->nomem = 0;
}
