/*
 * control - the daemon's side of the control socket (protocol in
 * adapt/em_control.h) and the live status it reports: when the daemon
 * started, which rule set is live (ids, hash, when loaded), the last reload
 * and its error, whether a changed setting needs a restart, and decisions
 * counted by action since start.
 *
 * One thread serves the socket, one client at a time (each answer is a few
 * hundred bytes; a client that does not send its command within 2 s is
 * dropped). Shell only.
 */
#ifndef EM_SHELL_CONTROL_H
#define EM_SHELL_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "../core/em_types.h"
#include "rules_ref.h"

/*
 * Binds the control socket at path (mode 0660, owner uid, group gid; owner
 * and group are left alone when chown_it is false). A stale socket file is
 * replaced. Call before the privilege drop. Returns 0, -2 when a daemon
 * already answers there (logged; left alone), -1 on another failure (logged).
 */
int em_control_open(const char *path, bool chown_it, uid_t uid, gid_t gid);

/*
 * Starts the serving thread. rules is borrowed for the life of the daemon;
 * milter_socket and config are copied. Returns 0 or -1 (logged).
 */
int em_control_start(struct em_rules_ref *rules, const char *milter_socket, const char *config);

/* Removes the control socket if it is still the one this process bound. */
void em_control_close(void);

/* Counts one decision (thread-safe). */
void em_control_count(enum em_action taken);

/*
 * Counts the time of one decision, in microseconds from the end of the
 * message's data to the milter's reply (thread-safe). `status` reports the
 * median, p99 and maximum since start as "decision_us".
 */
void em_control_decision_time(uint64_t us);

/* A rule set was loaded (start or reload); hash as em_control_hash, or "". */
void em_control_loaded(const char *hash);

/* The live rule set's hash (as em_control_loaded got it) and load time. */
void em_control_rules(char hash[17], time_t *loaded_at);

/* A reload failed; why is copied (the first error, or a summary). */
void em_control_reload_failed(const char *why);

/* A setting that only a restart applies changed (why copied); NULL clears. */
void em_control_restart_needed(const char *why);

#endif
