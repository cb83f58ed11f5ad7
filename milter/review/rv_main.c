/*
 * embargo-review - main: reads the main config (em_config, every error as
 * FILE:LINE) and its `review` group (rv_conf), opens the quarantine store
 * and serves the console until SIGTERM. See embargo-review(8).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../adapt/em_config.h"
#include "../ctl/ctl.h"
#include "rv.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: embargo-review [-c CONFIG] [--check]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"check", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct rv_ctx x = {.conf_path = EM_CTL_DEFAULT_CONFIG};
	int c, rc = 1, check = 0;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			x.conf_path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	if ((x.cfg = em_ctl_config_load(x.conf_path)) == NULL)
		return 1;
	if (rv_conf_load(x.conf_path, x.cfg, &x.conf) < 0)
		goto out;
	if (check) {
		printf("embargo-review: %s is fine (listen %s)\n", x.conf_path, x.conf.listen);
		rc = 0;
		goto out;
	}
	if ((x.st = em_ctl_store_open(x.cfg)) == NULL || rv_auth_init(&x.conf) < 0)
		goto out;
	rc = rv_http_run(&x);
out:
	rv_auth_done();
	em_store_close(x.st);
	rv_conf_free(&x.conf);
	em_config_free(x.cfg);
	return rc;
}
