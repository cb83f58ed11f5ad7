/*
 * ex_proto - the pipe protocol between the sandboxed extractor
 * (embargo-extract) and the milter's adapter (adapt/em_extract).
 *
 * The adapter writes one attachment to the extractor's stdin (a sealed
 * memory file, seekable) and reads framed records from its stdout:
 *
 *   record  = type(1 byte) name_len(4 bytes, big-endian) body_len(4 bytes,
 *             big-endian) name(name_len bytes) body(body_len bytes)
 *   type    'T' text: name = where-suffix ("" or "/subject"), body = UTF-8
 *           'M' message: body = RFC 5322 bytes to walk as a message
 *           'F' file: name = member name, body = its bytes, dispatched again
 *               through the core's leaf logic
 *           'U' unreadable: name = where-suffix, body = why (UTF-8)
 *           'I' information for benchmarks: name = key ("pages"), body = value
 *           'E' end: the extractor finished; nothing may follow
 *
 * name_len <= EX_NAME_MAX. A stream without 'E' (a crash, a kill at a
 * limit) is incomplete: what arrived is still read, and the attachment is
 * unreadable. Any other type, or lengths past the end, is a protocol error.
 */
#ifndef EX_PROTO_H
#define EX_PROTO_H

#define EX_HDR_LEN 9
#define EX_NAME_MAX 4096

#endif
