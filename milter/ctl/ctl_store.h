/*
 * ctl_store - embargoctl and the shared PostgreSQL store (see ctl_store.c).
 */
#ifndef CTL_STORE_H
#define CTL_STORE_H

#include <stdio.h>
#include <time.h>

#include "../adapt/em_config.h"
#include "../adapt/em_pg.h"
#include "../adapt/em_store.h"

/* `embargoctl store migrate|status`, `embargoctl relays`. Exit codes 0/1/2. */
int em_ctl_store(int argc, char **argv);
int em_ctl_relays(int argc, char **argv);

/* Connects to cfg->store; prints why and returns NULL on failure. */
struct em_pg *em_ctl_pg(const struct em_config *cfg);

/*
 * Every relay's records (filters as em_store_list; state -1 = any).
 * rows and relays receive *n entries (free with em_store_rows_free and
 * free() of each relay and the array). Returns 0 or -1 after printing why.
 */
int em_ctl_pg_rows(const struct em_config *cfg, const char *release, time_t since, int state,
		   struct em_store_row **rows, char ***relays, size_t *n);

/* A shared-store row as an em_store_row (files under dir, or none). 0 or -1. */
int em_ctl_pg_to_row(const struct em_pg_row *p, const char *dir, struct em_store_row *r);

/*
 * One record of any relay, its .json/.eml written to a new private
 * directory *tmpdir (remove with em_ctl_pg_tmp_free), *relay its relay
 * (caller frees). Returns the row (em_store_row_free) or NULL after
 * printing why.
 */
struct em_store_row *em_ctl_pg_record(const struct em_config *cfg, const char *id, char **relay,
				      char **tmpdir);
/* Removes a directory from em_ctl_pg_record and frees the string; accepts NULL. */
void em_ctl_pg_tmp_free(char *dir);

/*
 * Release/delete (action) of another relay's record: writes a request for
 * the holding relay and waits up to wait_s seconds for its outcome.
 * Returns 0 done, 2 failed or error, 3 still open after wait_s.
 */
int em_ctl_pg_remote_act(const struct em_config *cfg, const char *id, const char *action,
			 const char *by, int wait_s);

/* Every relay's audit lines, each with "relay" added, as a temporary file
 * positioned at its start (caller fcloses); NULL after printing why. */
FILE *em_ctl_pg_audit(const struct em_config *cfg);

/* Do the relays' rule hashes agree? 0 yes, 1 no (msg says which), -1 error (msg). */
int em_ctl_relays_check(const struct em_config *cfg, char *msg, size_t msgsz);

#endif
