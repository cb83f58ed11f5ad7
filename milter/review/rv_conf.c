/*
 * rv_conf - the `review = { ... }` group of the main config (em_config
 * accepts the group and leaves its keys to this file). Every error is
 * printed as FILE:LINE: message and all of them are reported before the
 * service refuses to start.
 */
#define _GNU_SOURCE
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv.h"

static int nerr;

static void err_at(const char *path, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err_at(const char *path, const config_setting_t *s, const char *fmt, ...)
{
	const char *f = s ? config_setting_source_file(s) : NULL;
	va_list ap;

	fprintf(stderr, "%s:%d: ", f ? f : path, s ? (int)config_setting_source_line(s) : 0);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	nerr++;
}

static char *str(const char *path, const config_setting_t *s)
{
	const char *v = config_setting_get_string(s);

	if (v == NULL) {
		err_at(path, s, "review.%s: expected a string", config_setting_name(s));
		return NULL;
	}
	return strdup(v);
}

static double num(const char *path, const config_setting_t *s, double lo, double hi)
{
	double v;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		v = (double)config_setting_get_int64(s);
		break;
	case CONFIG_TYPE_FLOAT:
		v = config_setting_get_float(s);
		break;
	default:
		err_at(path, s, "review.%s: expected a number", config_setting_name(s));
		return -1;
	}
	if (!(v >= lo && v <= hi)) {
		err_at(path, s, "review.%s: must be between %g and %g", config_setting_name(s), lo,
		       hi);
		return -1;
	}
	return v;
}

static void set_str(char **dst, char *v)
{
	if (v) {
		free(*dst);
		*dst = v;
	}
}

int rv_conf_load(const char *path, const struct em_config *cfg, struct rv_conf *c)
{
	static const char *const keys[] = {
	    "listen",	       "trusted_proxies",   "user_header",
	    "session_minutes", "session_max_hours", "reviewer_group",
	    "pam_service",     "address_domain",    "request_log",
	    "login_failures",  "page_size",	    "static_dir",
	};
	config_t lc;
	const config_setting_t *g;
	double d;

	nerr = 0;
	*c = (struct rv_conf){.listen = strdup(RV_DEFAULT_LISTEN),
			      .session_minutes = 30,
			      .session_max_hours = 12,
			      .pam_service = strdup(RV_DEFAULT_SERVICE),
			      .login_failures = 5,
			      .page_size = 50,
			      .static_dir = strdup(EM_REVIEW_STATIC_DIR)};
	if (cfg->reviewer_group)
		c->reviewer_group = strdup(cfg->reviewer_group);
	config_init(&lc);
	if (config_read_file(&lc, path) != CONFIG_TRUE) {
		fprintf(stderr, "%s:%d: %s\n",
			config_error_file(&lc) ? config_error_file(&lc) : path,
			config_error_line(&lc), config_error_text(&lc));
		config_destroy(&lc);
		return -1;
	}
	g = config_lookup(&lc, "review");
	for (int i = 0; g && i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		size_t k = 0;

		while (k < sizeof(keys) / sizeof(keys[0]) && strcmp(keys[k], name) != 0)
			k++;
		switch (k) {
		case 0:
			set_str(&c->listen, str(path, s));
			if (strncmp(c->listen, "unix:/", 6) != 0 && strrchr(c->listen, ':') == NULL)
				err_at(path, s, "review.listen: \"HOST:PORT\" or \"unix:/path\"");
			break;
		case 1:
			if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
				err_at(path, s,
				       "review.trusted_proxies: expected [ \"ADDRESS\", ... ]");
				break;
			}
			c->nproxies = (size_t)config_setting_length(s);
			c->proxies = calloc(c->nproxies + 1, sizeof(char *));
			for (size_t j = 0; c->proxies && j < c->nproxies; j++)
				c->proxies[j] = str(path, config_setting_get_elem(s, (unsigned)j));
			break;
		case 2:
			set_str(&c->user_header, str(path, s));
			break;
		case 3:
			if ((d = num(path, s, 0.01, 24 * 60)) > 0)
				c->session_minutes = d;
			break;
		case 4:
			if ((d = num(path, s, 0.01, 24 * 31)) > 0)
				c->session_max_hours = d;
			break;
		case 5:
			set_str(&c->reviewer_group, str(path, s));
			break;
		case 6:
			set_str(&c->pam_service, str(path, s));
			break;
		case 7:
			set_str(&c->address_domain, str(path, s));
			break;
		case 8:
			set_str(&c->request_log, str(path, s));
			break;
		case 9:
			if ((d = num(path, s, 1, 1000)) > 0)
				c->login_failures = (unsigned)d;
			break;
		case 10:
			if ((d = num(path, s, 5, 1000)) > 0)
				c->page_size = (unsigned)d;
			break;
		case 11:
			set_str(&c->static_dir, str(path, s));
			break;
		default:
			err_at(path, s, "review: unknown setting \"%s\"", name);
		}
	}
	if (c->user_header && c->nproxies == 0)
		err_at(path, g,
		       "review.user_header needs trusted_proxies (the addresses of the "
		       "reverse proxy that sets it)");
	if (c->reviewer_group == NULL)
		err_at(path, g,
		       "review.reviewer_group (or the main reviewer_group) must name the Unix "
		       "group of reviewers");
	config_destroy(&lc);
	return nerr ? -1 : 0;
}

void rv_conf_free(struct rv_conf *c)
{
	for (size_t i = 0; c->proxies && i < c->nproxies; i++)
		free(c->proxies[i]);
	free(c->proxies);
	free(c->listen);
	free(c->user_header);
	free(c->reviewer_group);
	free(c->pam_service);
	free(c->address_domain);
	free(c->request_log);
	free(c->static_dir);
	*c = (struct rv_conf){0};
}
