/*
 * em_vjson - a verdict as JSON and back, with jansson.
 *
 * The JSON object is a contract (`embargoctl scan --json`, the quarantine
 * store's msg/<id>.json, the audit log). Keys, in this order:
 *
 *   {"action": "accept|flag|strip|quarantine|reject|tempfail",
 *    "releases": [{"id", "title",
 *                  "publish_at" (RFC 3339 UTC, "2020-11-12T09:30:00Z"),
 *                  "pre_release_from" (RFC 3339 UTC),
 *                  "action" (the release's own action),
 *                  "pra_open" (bool),
 *                  "hours_to_publication" (number, one decimal),
 *                  "blocked": [recipient, ...],
 *                  "evidence": [{"kind": "marker|identifier|content",
 *                                "where": "...", "text": "..."}]
 *                  [, "after_publication": "keep|release|inherit"  (EM_VJSON_FULL)]
 *                 }],
 *    "incomplete": [reason, ...]     (only when non-empty),
 *    "notes": [note, ...]            (only when non-empty),
 *    "mode": "enforce|monitor",
 *    "at": RFC 3339 UTC,
 *    "sender": string or null,
 *    "recipients": [address, ...],
 *    "subject": string or null,
 *    "message_id": string or null}
 *
 * A time that cannot be represented is written as null. Depends on jansson
 * and the core's verdict type only; never logs.
 */
#ifndef EM_VJSON_H
#define EM_VJSON_H

#include "../core/em_scan.h"

/* Flags for em_verdict_to_json. */
#define EM_VJSON_PRETTY 0x1	/* indented, several lines (default: one compact line) */
#define EM_VJSON_FULL	0x2	/* adds "after_publication" to each release (for exact round trips) */

struct json_t;

/*
 * Encodes v as the contract object above. flags: EM_VJSON_*. Returns a
 * malloc'd NUL-terminated string (the caller frees it with free()), or NULL
 * when out of memory or v is NULL. Compact output never contains a newline,
 * so it is fit for one line of a log.
 */
char *em_verdict_to_json(const struct em_verdict *v, int flags);

/*
 * Same as em_verdict_to_json but returns the jansson object (reference owned
 * by the caller: json_decref it), for embedding in a larger document.
 * Returns NULL when out of memory or v is NULL.
 */
struct json_t *em_verdict_to_jobj(const struct em_verdict *v, int flags);

/*
 * A JSON string for s (NULL gives JSON null) that is always valid: bytes
 * that are not UTF-8 become U+FFFD. Returns a new reference (the caller
 * json_decrefs it, or hands it to a *_new setter), NULL when out of memory.
 */
struct json_t *em_vjson_string(const char *s);

/*
 * Rebuilds a verdict from its JSON (as produced by em_verdict_to_json, or a
 * quarantine record file whose top-level object holds it under "verdict").
 * "hours_to_publication" is derived, so it is ignored; a missing
 * "after_publication" reads as keep. Returns a verdict whose every string
 * and array is separately malloc'd (free it with em_verdict_free), or NULL
 * when json is not a valid verdict or memory ran out.
 */
struct em_verdict *em_verdict_from_json(const char *json);

#endif
