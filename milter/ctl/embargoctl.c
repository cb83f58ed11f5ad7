/*
 * embargoctl - the statisticians' and reviewers' command line.
 *
 *   embargoctl check [-c CONFIG]
 *   embargoctl scan  [-c CONFIG] [--at TIME] --from ADDR --rcpt ADDR... [--json] FILE|-
 *   embargoctl quarantine list|show|release|delete|release-due ...   (ctl_quarantine.c)
 *   embargoctl report ID [--format md|txt]                          (ctl_report.c)
 *   embargoctl audit [--release ID] [--since TIME] [--json]          (ctl_audit.c)
 *   embargoctl lineage show RELEASE|MESSAGE-ID [--json]               (ctl_lineage.c)
 *
 * `scan` runs the very same decision path as the milter (em_scan) over a
 * message file. Exit codes (a contract): 0 accept, 1 any other action,
 * 2 error (bad config, bad arguments, unreadable file).
 */
#define _GNU_SOURCE /* asprintf, memmem */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../adapt/em_config.h"
#include "../adapt/em_control.h"
#include "../adapt/em_extract.h"
#include "../adapt/em_hscache.h"
#include "../adapt/em_lineage_store.h"
#include "../adapt/em_vjson.h"
#include "../core/em_addr.h"
#include "../core/em_caldata.h"
#include "../core/em_fprint.h"
#include "../core/em_rules.h"
#include "../core/em_scan.h"
#include "../core/em_time.h"
#include "ctl.h"
#include "ctl_doctor.h"
#include "ctl_status.h"
#include "ctl_store.h"
#include "../adapt/em_control.h"

#define DEFAULT_CONFIG "/etc/embargo-milter/embargo-milter.conf"

static void usage(FILE *f)
{
	fprintf(f, "usage: embargoctl check [-c CONFIG]\n"
		   "       embargoctl scan [-c CONFIG] [--at TIME] --from ADDR --rcpt ADDR "
		   "[--rcpt ADDR]... [--json] [--lineage[=DIR]] FILE|-\n"
		   "       embargoctl quarantine list [-c CONFIG] [--release ID] [--since TIME] "
		   "[--state S] [--json]\n"
		   "       embargoctl quarantine show [-c CONFIG] ID [--reveal] [--raw]\n"
		   "       embargoctl quarantine release|delete [-c CONFIG] ID [--force] "
		   "[--postfix-config DIR] [--no-mta]\n"
		   "       embargoctl quarantine release-due [-c CONFIG] [--postfix-config DIR]\n"
		   "       embargoctl report [-c CONFIG] ID [--format md|txt]\n"
		   "       embargoctl audit [-c CONFIG] [--release ID] [--since TIME] [--json]\n"
		   "       embargoctl lineage show [-c CONFIG] [--json] RELEASE|MESSAGE-ID\n"
		   "       embargoctl doctor [-c CONFIG] [--postfix-config DIR] [--sendmail-cf FILE] "
		   "[--no-live]\n"
		   "       embargoctl status [-c CONFIG] [--socket PATH] [--json]\n"
		   "       embargoctl store migrate|status [-c CONFIG] [--json]\n"
		   "       embargoctl relays [-c CONFIG] [--json]\n"
		   "       embargoctl --version\n"
		   "       embargoctl test [-c CONFIG] [-q] [PATH...]\n"
		   "       embargoctl pra export|history [-c CONFIG] RELEASE\n"
		   "       embargoctl fingerprint [-c CONFIG] [--published FILE]... -o OUT.fp DOCUMENT...\n"
		   "       embargoctl fingerprint --new-key FILE\n");
}

/* Loads and compiles; prints every error as FILE:LINE and returns NULL. */
static struct em_rules *load_rules(const char *path)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg = em_config_load(path, &errs);
	struct em_rules *r = NULL;

	if (cfg)
		r = em_hscache_build(cfg, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	if (errs.nomem)
		fprintf(stderr, "embargoctl: out of memory while reporting errors\n");
	if (r == NULL) {
		if (errs.n == 0)
			fprintf(stderr, "embargoctl: out of memory\n");
		em_config_free(cfg);
	}
	em_errors_free(&errs);
	return r;
}

static const char *release_state(const struct em_release *r, time_t now)
{
	if (now >= r->publish_at)
		return "published";
	if (now >= r->pre_release_from)
		return "pre-release";
	return "producers-only";
}

/* Per release: its fingerprint and figures, and a warning when nothing but
 * an identifier and a marker (weak evidence) can ever match it. */
/* A PRA entry with its own window whose address is also on the release's
 * list without one: the plain entry's (the release's whole) window wins,
 * which is rarely what the narrower entry meant. */
static void check_pra_overlap(const struct em_rules *r)
{
	const struct em_config *cfg = em_rules_config(r);

	for (size_t i = 0; i < cfg->nreleases; i++) {
		const struct em_release_src *s = &cfg->releases[i];

		for (size_t k = 0; k < s->pra_entries.n; k++) {
			const struct em_pra_entry *e = &s->pra_entries.v[k];

			if ((e->has_from || e->has_until) && e->address[0] != '@' &&
			    em_addr_list_match(s->pra, e->address))
				printf("warning: %s:%d: %s: %s has its own pre-release window here but "
				       "is also listed without one: the release's whole window "
				       "applies to it\n",
				       e->file ? e->file : s->file, e->line, s->id, e->address);
		}
	}
}

static void check_evidence(const struct em_rules *r)
{
	const struct em_config *cfg = em_rules_config(r);

	for (size_t i = 0; i < cfg->nreleases; i++) {
		const struct em_release_src *s = &cfg->releases[i];
		const struct em_release *rel = em_rules_release(r, i);
		size_t passages = 0, figures = 0;

		em_fp_index_counts(em_rules_fp_index(r), (unsigned)i, &passages, &figures);
		if (s->fp) {
			printf("%s: fingerprint %s: %zu passages, %zu figures, built %s, key %s, from",
			       s->id, s->fingerprints.s, s->fp->nhashes, s->fp->nfigs, s->fp->built,
			       s->fp->key_id);
			for (size_t k = 0; k < s->fp->nsources; k++)
				printf("%s %s", k ? "," : "", s->fp->sources[k]);
			printf("%s\n", s->fp->nsources ? "" : " (no documents)");
			if (em_fp_index_winnowed(em_rules_fp_index(r), (unsigned)i))
				printf("warning: %s: fingerprint %s keeps only some passages (built "
				       "before 2026-12, w %u): any %u words of the documents in a row "
				       "count as an excerpt, not %u; rebuild it with embargoctl "
				       "fingerprint\n",
				       s->id, s->fingerprints.s, s->fp->w, s->fp->k, cfg->excerpt_words);
		}
		if (figures)
			printf("%s: %zu headline figures (%zu written by hand), %u make evidence; %zu "
			       "link prefixes; identifier + marker alone: %s\n",
			       s->id, figures, s->figures.n, rel->min_figures, s->links.n,
			       em_action_name(rel->weak_action));
		if (s->content.n == 0 && s->fp == NULL && s->figures.n == 0 && s->links.n == 0)
			printf("warning: %s: no strong evidence source (no content, no fingerprints, "
			       "no figures): only an identifier with a marker matches it, and that "
			       "gets weak_action %s\n",
			       s->id, em_action_name(rel->weak_action));
	}
}

static int cmd_check(int argc, char **argv)
{
	const char *conf = DEFAULT_CONFIG;
	struct em_rules *r;
	time_t now = time(NULL);
	int c;

	while ((c = getopt(argc, argv, "c:h")) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if ((r = load_rules(conf)) == NULL)
		return 2;
	const struct em_config *cfg = em_rules_config(r);
	/* as root, the files must also be readable by the daemon's `user` */
	if (em_ctl_readable_as_user(cfg, "error: ", stderr) != 0) {
		fprintf(stderr, "%s: the daemon (user %s) cannot load this configuration\n", conf,
			cfg->user);
		em_rules_free(r);
		return 2;
	}
	printf("%s: OK, %zu release(s), mode %s, default action %s, on error %s\n", conf,
	       em_rules_count(r), cfg->mode == EM_MONITOR ? "monitor" : "enforce",
	       em_action_name(cfg->default_action), em_action_name(cfg->on_error));
	{
		char prog[4096];

		printf("extract: %s, sandbox %s, ocr %s\n",
		       em_extract_program(&cfg->extract, prog, sizeof(prog)),
		       em_extract_sandbox(&cfg->extract), cfg->extract.ocr ? "auto" : "off");
	}
	if (em_rules_count(r))
		printf("%-24s %-40s %-22s %-15s %s\n", "ID", "TITLE", "PUBLISH", "STATE", "ALLOWED");
	for (size_t i = 0; i < em_rules_count(r); i++) {
		const struct em_release *rel = em_rules_release(r, i);
		char when[64];
		size_t allowed = em_addr_list_count(cfg->always_allowed) +
				 em_addr_list_count(rel->producers) + em_addr_list_count(rel->pra) +
				 em_pra_windowed(rel->pra_entries);
		em_time_format_local(rel->publish_at, cfg->timezone, when, sizeof(when));
		printf("%-24s %-40.40s %-22s %-15s %zu\n", rel->id, rel->title, when,
		       release_state(rel, now), allowed);
	}
	check_evidence(r);
	check_pra_overlap(r);
	em_ctl_check_pra(cfg);
	em_ctl_check_calendar(cfg);
	em_rules_free(r);
	return 0;
}

/* Feeds a file (or stdin) to the scan in chunks, as the milter would. */
static int feed(struct em_scan *s, const char *path)
{
	char buf[65536];
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "embargoctl: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		em_scan_push(s, buf, (size_t)n);
	if (n < 0)
		fprintf(stderr, "embargoctl: %s: %s\n", path, strerror(errno));
	if (fd != 0)
		close(fd);
	return n < 0 ? -1 : 0;
}

static void print_human(const struct em_verdict *v, const char *tz)
{
	static const char *const meaning[] = {
		[EM_ACCEPT] = "the message would be delivered",
		[EM_FLAG] = "the message would be delivered, flagged for review",
		[EM_CONFIRM] = "the message would be held until its sender confirms it with a reason",
		[EM_STRIP] = "the recipients not allowed would be removed, the rest delivered",
		[EM_QUARANTINE] = "the message would be held in quarantine for review",
		[EM_REJECT] = "the message would be refused and returned to the sender",
		[EM_TEMPFAIL] = "the message would be deferred: it could not be fully checked",
	};
	char when[64];

	printf("Verdict: %s - %s.\n", em_action_name(v->action), meaning[v->action]);
	if (v->mode == EM_MONITOR && v->nreleases)
		printf("(monitor mode: nothing is held, only flagged and logged)\n");
	for (size_t i = 0; i < v->nreleases; i++) {
		const struct em_release_verdict *r = &v->releases[i];
		double hours = difftime(r->publish_at, v->at) / 3600.0;
		em_time_format_local(r->publish_at, tz, when, sizeof(when));
		printf("\nRelease %s \"%s\"\n", r->id, r->title);
		if (r->publish_at >= EM_CAL_NEVER)
			printf("  Cancelled in the release calendar: embargoed with no end, nobody "
			       "may receive it (not even its pre-release access list).\n");
		else
			printf("  Published %s: %.1f hours after the time of this message; "
			       "pre-release access %s.\n",
			       when, hours,
			       r->pra_open ? "was open (each listed person within their own window)"
					   : "was not yet open (producers only, and anyone whose own "
					     "window had opened)");
		if (r->nblocked) {
			printf("  %zu recipient(s) NOT allowed to receive it before publication:\n",
			       r->nblocked);
			for (size_t k = 0; k < r->nblocked; k++) {
				/* shown bare, as everywhere but the JSON's "blocked" */
				char *bare = em_addr_bare_dup(r->blocked[k]);

				printf("    %s\n", bare ? bare : r->blocked[k]);
				free(bare);
			}
			printf("  Action for this release: %s\n", em_action_name(r->action));
		} else {
			printf("  Every recipient is allowed to receive it.\n");
		}
		printf("  Why this message counts as the release:\n");
		for (size_t k = 0; k < r->nevidence; k++)
			printf("    %-10s \"%s\" in %s\n", em_ev_kind_name(r->evidence[k].kind),
			       r->evidence[k].text, r->evidence[k].where);
	}
	if (v->nreleases == 0)
		printf("No embargoed release was found in this message.\n");
	for (size_t i = 0; i < v->nincomplete; i++)
		printf("Incomplete scan: %s\n", v->incomplete[i]);
	for (size_t i = 0; i < v->nunreadable; i++)
		printf("Not readable: %s: %s\n", v->unreadable[i].where, v->unreadable[i].why);
	for (size_t i = 0; i < v->nnotes; i++)
		printf("Note: %s\n", v->notes[i]);
}

static int cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"at", required_argument, NULL, 'a'},
		{"from", required_argument, NULL, 'f'},	  {"rcpt", required_argument, NULL, 'r'},
		{"json", no_argument, NULL, 'j'},	  {"help", no_argument, NULL, 'h'},
		{"lineage", optional_argument, NULL, 'L'},
		{NULL, 0, NULL, 0},
	};
	bool lineage = false;
	const char *lineage_dir = NULL;
	struct em_lineage_store *lst = NULL;
	const char *conf = DEFAULT_CONFIG, *at_s = NULL, *from = NULL;
	const char **rcpts = NULL;
	size_t nrcpts = 0;
	bool json = false;
	int c, rc = 2;
	struct em_rules *r = NULL;
	struct em_scan *s = NULL;
	struct em_verdict *v = NULL;
	struct em_extract *ex = NULL;
	struct em_caldata *cal = NULL;
	time_t at = time(NULL);

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'a':
			at_s = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'r': {
			const char **nv = realloc(rcpts, (nrcpts + 1) * sizeof(*nv));
			if (nv == NULL) {
				fprintf(stderr, "embargoctl: out of memory\n");
				goto out;
			}
			rcpts = nv;
			rcpts[nrcpts++] = optarg;
			break;
		}
		case 'j':
			json = true;
			break;
		case 'L':
			lineage = true;
			lineage_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			rc = 0;
			goto out;
		default:
			usage(stderr);
			goto out;
		}
	}
	/* "--lineage DIR FILE": the store's place given as a separate word */
	if (lineage && lineage_dir == NULL && optind == argc - 2)
		lineage_dir = argv[optind++];
	if (optind != argc - 1 || from == NULL || nrcpts == 0) {
		fprintf(stderr, "embargoctl scan: needs --from, at least one --rcpt and one FILE (or -)\n");
		usage(stderr);
		goto out;
	}
	if ((r = load_rules(conf)) == NULL)
		goto out;
	if (at_s) {
		char err[160];
		if (em_time_parse(at_s, em_rules_config(r)->timezone, &at, err, sizeof(err)) < 0) {
			fprintf(stderr, "embargoctl scan: --at \"%s\": %s\n", at_s, err);
			goto out;
		}
	}
	if ((s = em_scan_new(r, NULL)) == NULL || em_scan_set_sender(s, from) < 0 ||
	    (ex = em_extract_new(&em_rules_config(r)->extract)) == NULL) {
		fprintf(stderr, "embargoctl: out of memory\n");
		goto out;
	}
	em_scan_set_extractor(s, em_extract_extractor(ex));
	cal = em_ctl_calendar(em_rules_config(r));
	em_scan_set_calendar(s, cal);
	for (size_t i = 0; i < nrcpts; i++)
		if (em_scan_add_rcpt(s, rcpts[i]) < 0) {
			fprintf(stderr, "embargoctl: out of memory\n");
			goto out;
		}
	if (lineage) {
		/* read-only: scanning a message never records lineage */
		char err[512];
		struct em_lineage_lookup lk;
		const char *dir = lineage_dir ? lineage_dir : em_rules_config(r)->quarantine_dir;

		if (dir == NULL || (lst = em_lineage_store_open(dir, true, err, sizeof(err))) == NULL) {
			fprintf(stderr, "embargoctl scan: --lineage: %s\n",
				dir ? err : "no quarantine_dir in the config");
			goto out;
		}
		lk = em_lineage_store_lookup_ops(lst);
		em_scan_set_lineage(s, &lk);
	}
	if (feed(s, argv[optind]) < 0)
		goto out;
	if (em_scan_finish(s, at, &v) < 0) {
		fprintf(stderr, "embargoctl: out of memory while deciding\n");
		goto out;
	}
	if (json) {
		char *j = em_verdict_to_json(v, 0);
		if (j == NULL) {
			fprintf(stderr, "embargoctl: out of memory\n");
			goto out;
		}
		printf("%s\n", j);
		free(j);
	} else {
		print_human(v, em_rules_config(r)->timezone);
	}
	rc = v->action == EM_ACCEPT ? 0 : 1;
out:
	em_verdict_free(v);
	em_scan_free(s);
	em_extract_free(ex);
	em_caldata_unref(cal);
	em_lineage_store_close(lst);
	em_rules_free(r);
	free(rcpts);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "scan") == 0)
		return cmd_scan(argc - 1, argv + 1);
	if (strcmp(argv[1], "quarantine") == 0)
		return em_ctl_quarantine(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return em_ctl_report(argc - 1, argv + 1);
	if (strcmp(argv[1], "audit") == 0)
		return em_ctl_audit(argc - 1, argv + 1);
	if (strcmp(argv[1], "fingerprint") == 0)
		return em_ctl_fingerprint(argc - 1, argv + 1);
	if (strcmp(argv[1], "doctor") == 0)
		return em_ctl_doctor(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return em_ctl_status(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("embargoctl %s\n", EM_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "test") == 0)
		return em_ctl_test(argc - 1, argv + 1);
	if (strcmp(argv[1], "pra") == 0)
		return em_ctl_pra(argc - 1, argv + 1);
	if (strcmp(argv[1], "store") == 0)
		return em_ctl_store(argc - 1, argv + 1);
	if (strcmp(argv[1], "relays") == 0)
		return em_ctl_relays(argc - 1, argv + 1);
	if (strcmp(argv[1], "lineage") == 0)
		return em_ctl_lineage(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "embargoctl: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
