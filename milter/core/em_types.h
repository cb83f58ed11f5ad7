/*
 * em_types - small value types shared by the core, the adapters and the shell.
 */
#ifndef EM_TYPES_H
#define EM_TYPES_H

#include <stddef.h>

/* Actions in increasing severity for EM_FLAG..EM_REJECT (the verdict takes
 * the most severe): reject > quarantine > strip > confirm > flag.
 * EM_CONFIRM holds the message like quarantine and lets its sender release it
 * with a one-time code and a justification. EM_TEMPFAIL is the on_error
 * outcome of an incomplete scan. */
enum em_action {
	EM_ACCEPT = 0,
	EM_FLAG,
	EM_CONFIRM,
	EM_STRIP,
	EM_QUARANTINE,
	EM_REJECT,
	EM_TEMPFAIL,
};

enum em_mode {
	EM_ENFORCE = 0,
	EM_MONITOR,
};

/* What happens to a message held only for a release once it is published. */
enum em_after_pub {
	EM_AFTER_KEEP = 0,	/* a person decides */
	EM_AFTER_RELEASE,	/* released automatically */
	EM_AFTER_INHERIT,	/* (release files only) use the global setting */
};

/* Scan limits; hitting one makes the scan incomplete (never a silent pass). */
struct em_limits {
	size_t max_decoded;	/* total decoded bytes scanned per message (default 25 MB) */
	unsigned max_depth;	/* MIME/message/zip nesting levels (default 10) */
	unsigned max_zip_ratio;	/* uncompressed:compressed per zip entry (default 100) */
	unsigned max_parts;	/* MIME parts per message (default 100000) */
	size_t max_header;	/* bytes of one header field (default 1 MB) */
	double max_cpu_seconds;	/* CPU time per message scan (default 30; 0 = none) */
};

#define EM_LIMITS_DEFAULT {25u * 1024 * 1024, 10, 100, 100000, 1024 * 1024, 30.0}

/* "accept", "flag", ... ; NULL for an unknown value. */
const char *em_action_name(enum em_action a);
/* Parses an action name; returns -1 when unknown. */
int em_action_parse(const char *s);

#endif
