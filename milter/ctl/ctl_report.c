/*
 * ctl_report - `embargoctl report ID [--format md|txt]`: a draft Code of
 * Practice breach report for one quarantine record (built by em_report),
 * and the record-reading plumbing the review commands share (config, store,
 * record, verdict, embargo test).
 *
 * Shell code: prints errors and returns exit status 2. Must not depend on
 * libmilter. The report holds no matched text, so it needs no --reveal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../adapt/em_config.h"
#include "../adapt/em_report.h"
#include "../adapt/em_vjson.h"
#include "../core/em_buf.h"
#include "ctl.h"
#include "ctl_store.h"

/* A record file larger than this is not a record the daemon wrote. */
#define MAX_RECORD_JSON (64u * 1024 * 1024)

struct em_config *em_ctl_config_load(const char *path)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg = em_config_load(path, &errs);

	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	if (errs.nomem)
		fprintf(stderr, "embargoctl: out of memory while reporting errors\n");
	if (cfg == NULL && errs.n == 0)
		fprintf(stderr, "embargoctl: %s: cannot load (out of memory)\n", path);
	em_errors_free(&errs);
	return cfg;
}

struct em_store *em_ctl_store_open(const struct em_config *cfg)
{
	char err[512], *index = NULL;
	struct em_store *st;

	/* say plainly when it is a matter of permissions (issue 9) */
	if (asprintf(&index, "%s/index.sqlite", cfg->quarantine_dir) > 0) {
		const char *denied = NULL;

		if (access(cfg->quarantine_dir, R_OK | X_OK) < 0 && errno == EACCES)
			denied = cfg->quarantine_dir;
		else if (access(index, R_OK) < 0 && errno == EACCES)
			denied = index;
		if (denied != NULL) {
			fprintf(
			    stderr,
			    "embargoctl: permission denied reading %s (the quarantine is readable "
			    "by the daemon's user%s%s: run as that user or root%s)\n",
			    denied, cfg->reviewer_group ? " and group " : "",
			    cfg->reviewer_group ? cfg->reviewer_group : "",
			    cfg->reviewer_group ? ", or join that group" : "");
			free(index);
			return NULL;
		}
		free(index);
	}
	st = em_store_open(cfg->quarantine_dir, err, sizeof(err));
	if (st == NULL)
		fprintf(stderr, "embargoctl: quarantine %s: %s\n", cfg->quarantine_dir, err);
	/* a shared store: state changes made here reach it through the outbox */
	em_store_set_outbox(st, cfg->store != NULL);
	return st;
}

struct em_store_row *em_ctl_record(struct em_store *st, const char *id)
{
	char err[512];
	struct em_store_row *row = NULL;

	if (em_store_get(st, id, &row, err, sizeof(err)) != 0) {
		fprintf(stderr, "embargoctl: %s\n", err);
		return NULL;
	}
	return row;
}

struct em_verdict *em_ctl_verdict(const struct em_store_row *row)
{
	struct em_buf b = EM_BUF_INIT;
	struct em_verdict *v = NULL;
	char chunk[16384];
	ssize_t n;
	int fd;

	if (row == NULL || row->json_path == NULL)
		return NULL;
	if ((fd = open(row->json_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return NULL;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (b.len + (size_t)n > MAX_RECORD_JSON ||
		    em_buf_append(&b, chunk, (size_t)n) < 0) {
			n = -1;
			break;
		}
	close(fd);
	if (n == 0 && b.data)
		v = em_verdict_from_json(b.data);
	em_buf_free(&b);
	return v;
}

const struct em_release_src *em_ctl_release(const struct em_config *cfg, const char *id)
{
	for (size_t i = 0; cfg && id && i < cfg->nreleases; i++)
		if (cfg->releases[i].id && strcmp(cfg->releases[i].id, id) == 0)
			return &cfg->releases[i];
	return NULL;
}

bool em_ctl_embargoed(const struct em_config *cfg, const struct em_store_row *row,
		      const struct em_verdict *v, time_t now)
{
	size_t n = v ? v->nreleases : row->nreleases;

	if (n == 0)
		return true; /* held for an unknown reason (e.g. an incomplete scan) */
	for (size_t i = 0; i < n; i++) {
		const char *id = v ? v->releases[i].id : row->releases[i];
		const struct em_release_src *cur = em_ctl_release(cfg, id);
		time_t pub = v ? v->releases[i].publish_at : 0;

		if (cur && cur->publish_at > pub)
			pub = cur->publish_at;
		/* Without the verdict or the release, only a single-release row's time is known. */
		if (pub == 0 && n == 1)
			pub = row->publish_at;
		if (pub == 0 || now < pub)
			return true;
	}
	return false;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: embargoctl report [-c CONFIG] [--format md|txt] ID\n");
}

int em_ctl_report(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *conf = EM_CTL_DEFAULT_CONFIG;
	enum em_report_format fmt = EM_REPORT_MD;
	struct em_config *cfg = NULL;
	struct em_store *st = NULL;
	struct em_store_row *row = NULL;
	struct em_verdict *v = NULL;
	struct em_report_in in;
	char *text = NULL, *relay = NULL, *tmpdir = NULL, err[512];
	int c, rc = 2;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "md") == 0) {
				fmt = EM_REPORT_MD;
			} else if (strcmp(optarg, "txt") == 0) {
				fmt = EM_REPORT_TXT;
			} else {
				fprintf(stderr, "embargoctl report: --format is md or txt\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if ((cfg = em_ctl_config_load(conf)) == NULL || (st = em_ctl_store_open(cfg)) == NULL)
		goto out;
	if (cfg->store != NULL && em_store_get(st, argv[optind], &row, err, sizeof(err)) == 1) {
		/* another relay's record: from the shared store */
		if ((row = em_ctl_pg_record(cfg, argv[optind], &relay, &tmpdir)) == NULL)
			goto out;
	} else if (row == NULL && (row = em_ctl_record(st, argv[optind])) == NULL) {
		goto out;
	}
	if ((v = em_ctl_verdict(row)) == NULL)
		fprintf(stderr, "embargoctl report: %s: verdict unreadable; using the index only\n",
			row->id);
	in = (struct em_report_in){row, v, time(NULL), cfg->timezone};
	if ((text = em_report_build(&in, fmt)) == NULL) {
		fprintf(stderr, "embargoctl report: out of memory\n");
		goto out;
	}
	fputs(text, stdout);
	rc = fflush(stdout) == 0 ? 0 : 2;
out:
	free(text);
	em_verdict_free(v);
	em_store_row_free(row);
	free(relay);
	em_ctl_pg_tmp_free(tmpdir);
	em_store_close(st);
	em_config_free(cfg);
	return rc;
}
