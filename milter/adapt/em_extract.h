/*
 * em_extract - the adapter between the core (struct em_extractor) and the
 * sandboxed program embargo-extract (milter/extract): each attachment gets a
 * process of its own, hands it the bytes, reads its records
 * (milter/extract/ex_proto.h) and reports them into the core's sink.
 *
 * Pre-forked (extract.prefork = true, the default): one sandboxed
 * `embargo-extract --server` per process, started at the first attachment,
 * whose libraries are already loaded; per attachment it forks a child that
 * sets the limits below, reads that one attachment and exits. Jobs are
 * passed over a SOCK_SEQPACKET socket with SCM_RIGHTS (ex_proto.h). When the
 * server cannot start or dies, it is restarted with a back-off (0, 1, 2 ... 60
 * s) and, meanwhile, each attachment is spawned as with prefork = false
 * (logged through em_extract_set_log). Either way an attachment that cannot
 * be read is unreadable, never skipped.
 *
 * Sandbox (extract.sandbox): bubblewrap (`bwrap --unshare-all
 * --die-with-parent --new-session`, read-only /usr, tmpfs /tmp, no /home, no
 * network, a seccomp filter) or, when bwrap cannot run, "basic": a private
 * network namespace when the kernel allows it, PR_SET_NO_NEW_PRIVS and the
 * same seccomp filter (no IP sockets, no ptrace, mount, keyctl, bpf ...).
 * Both add rlimits (CPU, AS, FSIZE, NOFILE, NPROC, no core), a wall-clock
 * timeout with SIGKILL of the process group and an output cap. A crash, a
 * hang or a limit makes that attachment unreadable; the calling thread waits
 * at most extract.timeout_seconds per attachment and message_seconds per
 * message, and no other message waits for it.
 *
 * Must not be called from the core. Thread-safe: one struct em_extract per
 * message scan; the process-wide probe of the sandbox runs once.
 */
#ifndef EM_EXTRACT_H
#define EM_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../core/em_scan.h"
#include "../core/em_settings.h"

struct em_extract;

/*
 * A per-message extractor for the configuration c (kept by pointer: it must
 * outlive the result). Counts the message's budget (runs, seconds). Returns
 * NULL when out of memory. Free with em_extract_free (accepts NULL).
 */
struct em_extract *em_extract_new(const struct em_extract_conf *c);
void em_extract_free(struct em_extract *x);

/* The interface to give em_scan_set_extractor; owned by x. */
const struct em_extractor *em_extract_extractor(struct em_extract *x);

/*
 * Which sandbox extraction runs in with this configuration, in words, for
 * `embargoctl check` and the daemon's start-up log line, e.g. "bubblewrap
 * (namespaces: all; seccomp)". Probes once per process (runs bwrap once).
 * A static string.
 */
const char *em_extract_sandbox(const struct em_extract_conf *c);

/*
 * The extractor program used with c: c->program, else embargo-extract
 * beside the running binary (a build tree), else the installed one
 * (EM_EXTRACT_PATH, /usr/lib/embargo-milter, /usr/local/lib/embargo-milter). Writes
 * into buf (cap bytes) and returns it.
 */
const char *em_extract_program(const struct em_extract_conf *c, char *buf, size_t cap);

/*
 * Where the adapter says what happened to the pre-forked server (started,
 * lost, restarting): fn(warning, one line) is called from any thread, with
 * no lock of the caller's held. NULL (the default) keeps it quiet.
 */
void em_extract_set_log(void (*fn)(bool warning, const char *msg));

/*
 * The pre-forked server's process in this process's view (bwrap, or the
 * basic sandbox's process), 0 when none is running. For tests and logs.
 */
pid_t em_extract_server_pid(void);

/*
 * Stops the pre-forked server, if any, and waits for it (benchmarks count
 * its CPU, tests start afresh). The next attachment starts a new one.
 */
void em_extract_shutdown(void);

/*
 * Parses an extractor's record stream (ex_proto.h) of n bytes at d and
 * reports each record into sink. Returns 0 when the stream ended with its
 * 'E' record, 1 when it stopped early (what arrived was reported), -1 on a
 * malformed stream (*err then says why; a static string). Pure; the fuzz
 * harness tests/fuzz/fuzz_extract.c drives it.
 */
int em_extract_parse(const char *d, size_t n, const struct em_extract_sink *sink, const char **err);

#endif
