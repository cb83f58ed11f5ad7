/*
 * em_control - the daemon's control socket: the protocol both ends share,
 * the client side (`embargoctl status`, `embargoctl doctor`) and the hash
 * that names a rule set.
 *
 * PROTOCOL (version 1). A unix stream socket (`control_socket`, default
 * EM_CONTROL_DEFAULT), mode 0660, group `reviewer_group` (else the daemon's
 * group). The client sends one command line ("status\n"); the daemon answers
 * with one JSON object on one line and closes the connection. Commands:
 *   status   {"protocol": 1, "version", "pid", "started_at" (RFC 3339 UTC),
 *             "uptime_s", "socket" (the milter socket in use), "config",
 *             "rules": {"releases": [ids], "count", "hash", "loaded_at"},
 *             "last_reload": null | {"at", "ok", "error"},
 *             "restart_needed": null | "why",
 *             "decisions": {"accept": N, "flag": N, ...} since start}
 *   version  {"protocol": 1, "version"}
 * Any other command: {"protocol": 1, "error": "unknown command: X"}.
 * Extending: new commands and new keys in an answer are added, never renamed
 * or removed; clients ignore keys they do not know.
 *
 * Ring: adapter (sockets and files; no libmilter, no syslog).
 */
#ifndef EM_CONTROL_H
#define EM_CONTROL_H

#include <stddef.h>

#include "../core/em_settings.h"

#define EM_CONTROL_DEFAULT "/run/embargo-milter/control.sock"
#define EM_CONTROL_PROTOCOL 1
#define EM_VERSION "0.1.0"

/* The control socket path of cfg (borrowed; never NULL). */
const char *em_control_path(const struct em_config *cfg);

/*
 * Sends cmd (without the newline) to the control socket at path and reads
 * the whole answer, waiting at most timeout_ms for each step. Returns the
 * answer (NUL-terminated, caller frees), or NULL with the reason in err
 * (errno-style text, e.g. "No such file or directory", "Permission denied",
 * "Connection refused", "timed out").
 */
char *em_control_query(const char *path, const char *cmd, int timeout_ms, char *err, size_t errsz);

/*
 * A 16-hex-digit name of the rule set: 64-bit FNV-1a over the name and the
 * bytes of every file cfg read (main config, release files, PRA files), in
 * the order read. out receives 17 bytes. Returns 0, or -1 when a file could
 * not be read (err says which, as "permission denied reading FILE" or
 * "FILE: reason").
 */
int em_control_hash(const struct em_config *cfg, char out[17], char *err, size_t errsz);

/*
 * The hash relays compare (`embargoctl relays`, doctor): like
 * em_control_hash but over the contents of every file the config read
 * except the main config itself (which holds each relay's own paths and
 * relay_id), without file names. Two relays with the same release files,
 * marker sets and PRA lists report the same value. Returns 0 or -1 with err.
 */
int em_control_rules_hash(const struct em_config *cfg, char out[17], char *err, size_t errsz);

#endif
