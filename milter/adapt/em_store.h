/*
 * em_store - the quarantine store: held messages and their verdicts, as a
 * stable on-disk format that the review tool (embargoctl quarantine) reads.
 *
 * Layout under quarantine_dir (see docs in the implementation's header):
 *   index.sqlite         one row per record (WAL mode, safe for many writers)
 *   msg/<id>.eml         the original message, byte for byte
 *   msg/<id>.json        the verdict with evidence, envelope, queue id, time
 *   tmp/                 files being written (renamed into msg/ when complete)
 * Record ids are generated ("20201111T114500Z-3f9a1c2b"), never derived
 * from message content. Files are created 0640.
 */
#ifndef EM_STORE_H
#define EM_STORE_H

#include <stddef.h>
#include <time.h>

#include "../core/em_scan.h"

struct em_store;

/* Opens (creating when needed) the store in dir. Returns NULL with a reason in err. */
struct em_store *em_store_open(const char *dir, char *err, size_t errsz);
void em_store_close(struct em_store *st);

/*
 * Saves a held message atomically: the raw message read from raw_fd (from its
 * current offset to EOF; the caller keeps ownership of the fd), the verdict,
 * the MTA queue id (may be NULL) and the action taken. Writes the record id to
 * id_out. Returns 0, or -1 with a reason in err (disk full, ...): the caller
 * must then apply on_error, the message is not held.
 */
int em_store_put(struct em_store *st, const struct em_verdict *v, const char *queue_id,
		 const char *action_taken, int raw_fd, char *id_out, size_t idsz, char *err,
		 size_t errsz);

/*
 * Appends one JSON line to the append-only audit log at path (O_APPEND, one
 * write per line so concurrent writers never interleave). Returns 0 or -1
 * with a reason in err.
 */
int em_audit_append(const char *path, const char *json_line, char *err, size_t errsz);

#endif
