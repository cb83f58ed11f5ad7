/*
 * em_errors - a list of "FILE:LINE: message" errors owned by the caller.
 */
#ifndef EM_ERRORS_H
#define EM_ERRORS_H

#include <stddef.h>

struct em_errors {
	char **v;	/* each "FILE:LINE: message" (or "FILE: message" when line is 0) */
	size_t n;
	int nomem;	/* an error could not be recorded */
};

#define EM_ERRORS_INIT {NULL, 0, 0}

/* Records one error; file may be NULL, line 0 = no line. */
void em_errors_add(struct em_errors *e, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void em_errors_free(struct em_errors *e);

#endif
