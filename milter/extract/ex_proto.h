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

/*
 * Server mode (`embargo-extract --server`, the pre-forked extractor): fd 0
 * is an AF_UNIX SOCK_SEQPACKET control socket to the adapter, which holds its
 * other end. The server writes one byte 'R' once its libraries are loaded,
 * then serves messages of one struct ex_job each:
 *
 *   op 'J'  a job; SCM_RIGHTS carries exactly 3 fds: the attachment (a
 *           seekable memory file, the child's stdin), the write end of the
 *           record pipe (the child's stdout, records as above) and the write
 *           end of a status pipe. The server forks one child for the job and
 *           answers one struct ex_reply at once (pid > 0, or pid = 0 and err =
 *           an errno when it could not fork). The child applies the job's
 *           limits (rlimits, alarm), reads the one attachment, writes its
 *           records and exits; it never serves a second job. When the server
 *           reaps the child it writes the wait(2) status (int32, host order)
 *           into the status pipe and closes it.
 *   op 'K'  kill the process group of a live child (pid = the reply's pid,
 *           as the server sees it); no answer. Unknown or reaped pids are
 *           ignored.
 *
 * The server exits when the control socket reaches end of file (the adapter's
 * process is gone), killing its live children first.
 */
#include <stdint.h>

#define EX_JOB_MAGIC 0x454d5831u /* "EMX1" */

struct ex_job {
	uint32_t magic;		/* EX_JOB_MAGIC */
	uint32_t op;		/* 'J' or 'K' */
	int32_t pid;		/* 'K': the child */
	uint32_t cpu_seconds;	/* RLIMIT_CPU (soft; hard = soft + 1) */
	uint32_t alarm_seconds; /* wall clock: SIGALRM kills the child */
	uint32_t max_members;
	uint32_t ocr; /* 1: images are read */
	uint32_t pad;
	uint64_t as_bytes;    /* RLIMIT_AS */
	uint64_t fsize_bytes; /* RLIMIT_FSIZE */
	uint64_t max_output;  /* bytes of records */
	uint64_t ocr_max_pixels;
	char name[1024]; /* the attachment's file name, NUL-terminated ("" none) */
};

struct ex_reply {
	int32_t pid; /* the child as the server sees it; 0 when none */
	int32_t err; /* errno when pid is 0 */
};

#endif
