/*
 * ctl_expire - `embargoctl quarantine expire [--dry-run]`: retention of the
 * quarantine (`quarantine_retention_days`, default 90; 0 keeps for ever);
 * and `quarantine perms`: reviewer_group on the store (see the end).
 *
 * A record is due when it is released or deleted and its retention time has
 * passed: retention days after the latest publish_at of its releases (the
 * recorded one or the current configuration's, whichever is later: a
 * postponed release keeps its records longer), or after it was stored when
 * it matched no release. Each due record is first written to the audit log
 * ({"event": "expire", ...}; no audit line, nothing removed), then its
 * msg/<id>.eml and msg/<id>.json are removed and its index row marked
 * expired (em_store_expire). Held records are never expired: the MTA still
 * holds the message; they are counted and named. Run daily by
 * embargo-milter-expire.timer.
 *
 * Shell code: prints, returns 0 (done) or 2 (an error). Must not depend on
 * libmilter.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <jansson.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../adapt/em_config.h"
#include "../adapt/em_qperm.h"
#include "../adapt/em_store.h"
#include "../core/em_time.h"
#include "ctl.h"

#define DAY 86400

/* When the record's retention starts: latest publication, else storing. */
static time_t retention_base(const struct em_config *cfg, const struct em_store_row *r)
{
	time_t base = r->publish_at ? r->publish_at : r->created;

	for (size_t i = 0; i < r->nreleases; i++) {
		const struct em_release_src *cur = em_ctl_release(cfg, r->releases[i]);

		if (cur != NULL && cur->publish_at > base)
			base = cur->publish_at;
	}
	return base;
}

int em_ctl_quarantine_expire(const char *conf, bool dry_run)
{
	struct em_config *cfg = NULL;
	struct em_store *st = NULL;
	struct em_store_row *rows = NULL;
	struct em_store_filter f = {NULL, 0, -1};
	size_t n = 0, done = 0, held = 0, failed = 0;
	time_t now = time(NULL);
	char err[512], login[256], when[64];
	int rc = 2;

	if ((cfg = em_ctl_config_load(conf)) == NULL || (st = em_ctl_store_open(cfg)) == NULL)
		goto out;
	if (cfg->quarantine_retention_days == 0) {
		printf("expire: quarantine_retention_days = 0: records are kept for ever\n");
		rc = 0;
		goto out;
	}
	if (em_store_list(st, &f, &rows, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "embargoctl quarantine expire: %s\n", err);
		goto out;
	}
	em_ctl_login(login, sizeof(login));
	for (size_t i = 0; i < n; i++) {
		struct em_store_row *r = &rows[i];
		time_t due = retention_base(cfg, r) + (time_t)cfg->quarantine_retention_days * DAY;
		json_t *x;
		int arc;

		if (r->expired_at != 0 || now < due)
			continue;
		em_time_format_local(due, cfg->timezone, when, sizeof(when));
		if (r->state == EM_STORE_HELD) {
			printf("record %s is still held (retention ended %s): release or delete it "
			       "first\n",
			       r->id, when);
			held++;
			continue;
		}
		if (dry_run) {
			printf("record %s (%s) would expire: retention ended %s\n", r->id,
			       em_store_state_name(r->state), when);
			done++;
			continue;
		}
		x = json_pack("{s:i}", "retention_days", (int)cfg->quarantine_retention_days);
		arc = x ? em_ctl_audit_event(cfg, "expire", r, login, now, x) : -1;
		json_decref(x);
		if (arc < 0) {
			fprintf(stderr,
				"embargoctl quarantine expire: record %s: not audited, so not "
				"expired\n",
				r->id);
			failed++;
			continue;
		}
		if (em_store_expire(st, r->id, now, err, sizeof(err)) != 0) {
			fprintf(stderr, "embargoctl quarantine expire: %s\n", err);
			failed++;
			continue;
		}
		printf("record %s (%s) expired: retention ended %s\n", r->id,
		       em_store_state_name(r->state), when);
		done++;
	}
	printf("expire: %zu record(s) %s, %zu held past retention kept, %zu failed, %zu checked "
	       "(quarantine_retention_days = %u)\n",
	       done, dry_run ? "would expire (dry run)" : "expired", held, failed, n,
	       cfg->quarantine_retention_days);
	rc = failed ? 2 : 0;
out:
	em_store_rows_free(rows, n);
	em_store_close(st);
	em_config_free(cfg);
	return rc;
}

/*
 * `quarantine perms`: reviewer_group on the store, as the daemon does at
 * start (em_qperm: symbolic links never followed), for the package's
 * postinst and for an administrator who set reviewer_group. As root the
 * files also go to the configured `user`.
 */
int em_ctl_quarantine_perms(const char *conf)
{
	struct em_config *cfg = NULL;
	struct passwd *pw = NULL;
	struct group *gr;
	char err[512] = "";
	int n, rc = 2;

	if ((cfg = em_ctl_config_load(conf)) == NULL)
		goto out;
	if (cfg->reviewer_group == NULL) {
		printf("perms: no reviewer_group set: nothing to do\n");
		rc = 0;
		goto out;
	}
	if ((gr = getgrnam(cfg->reviewer_group)) == NULL) {
		fprintf(stderr, "embargoctl quarantine perms: reviewer_group %s: no such group\n",
			cfg->reviewer_group);
		goto out;
	}
	if (geteuid() == 0 && cfg->user != NULL && (pw = getpwnam(cfg->user)) == NULL) {
		fprintf(stderr, "embargoctl quarantine perms: user %s: no such user\n", cfg->user);
		goto out;
	}
	n = em_qperm_apply(cfg->quarantine_dir, cfg->audit_log, pw ? pw->pw_uid : (uid_t)-1,
			   gr->gr_gid, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "embargoctl quarantine perms: %s\n", err);
		goto out;
	}
	printf("perms: %s given to group %s (directories 2750, files 0640): %d change(s)\n",
	       cfg->quarantine_dir, cfg->reviewer_group, n);
	rc = 0;
out:
	em_config_free(cfg);
	return rc;
}
