/*
 * em_settings - the settings of one configuration: main config values and
 * every release as written (strings with their FILE:LINE, parsed times,
 * address lists). Plain data filled by the libconfig adapter (adapt/em_config)
 * and compiled by em_rules; the core never sees libconfig.
 */
#ifndef EM_SETTINGS_H
#define EM_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "em_addr.h"
#include "em_types.h"

struct em_fp;

/* One string from a config file, remembering where it was written. */
struct em_src_str {
	char *s;
	const char *file;	/* points into struct em_config's file table */
	int line;
};

struct em_src_list {
	struct em_src_str *v;
	size_t n;
};

struct em_release_src {
	char *id;
	char *title;
	time_t publish_at;
	time_t pre_release_from;	/* publish_at - 24 h when not given */
	struct em_src_list identifiers;
	struct em_src_list markers;
	struct em_src_list content;
	struct em_addr_list *producers;
	struct em_addr_list *pra;	/* pre_release_access plus the PRA file */
	enum em_action action;		/* default_action when not given */
	enum em_after_pub after_publication;
	const char *file;		/* the release file */
	int line;			/* line of `release` */
	/* release documents and evidence strength (issue 11) */
	struct em_src_str fingerprints;	/* .fp path resolved against the release file; s NULL: none */
	struct em_fp *fp;		/* the parsed fingerprint (owned); NULL: none */
	struct em_src_list figures;	/* headline figures written by hand */
	unsigned min_figures;		/* distinct figures that make `figures` evidence (default 2) */
	struct em_src_list links;	/* URL prefixes of the release's working area */
	enum em_action weak_action;	/* identifier + marker only; main weak_action when not given */
};

struct em_config {
	char *path;			/* main config file as given */
	char *dir;			/* its directory */
	char *socket;
	enum em_mode mode;
	char *releases_dir;		/* resolved */
	struct em_src_list markers;
	struct em_addr_list *always_allowed;
	enum em_action default_action;
	char *quarantine_dir;		/* resolved */
	enum em_action on_error;	/* EM_TEMPFAIL, EM_QUARANTINE or EM_REJECT */
	char *timezone;
	char *user;			/* NULL: stay as started */
	char *pid_file;			/* NULL: none */
	char *audit_log;		/* resolved; default quarantine_dir/audit.log */
	char *contact;			/* who to contact, for reject texts and notices */
	size_t spool_threshold;		/* bytes held in memory before spooling */
	enum em_after_pub after_publication;	/* global default: keep */
	bool notify_sender;		/* notice to the sender of a held message */
	char *security_mailbox;		/* notice to the security team; NULL: none */
	char *sendmail_path;		/* default "/usr/sbin/sendmail" */
	char *notify_from;		/* From: of notices; NULL: "MAILER-DAEMON" */
	char *reviewer_group;		/* group owning quarantine files; NULL: none */
	struct em_limits limits;
	/* release documents and evidence strength (issue 11) */
	char *fingerprint_key;		/* resolved path; NULL: none */
	unsigned char fp_key[16];	/* derived SipHash key (em_fpkey); zero without a key file */
	char fp_key_id[17];		/* "" without a key file */
	enum em_action weak_action;	/* default EM_CONFIRM */
	unsigned excerpt_words;		/* words in a row that are always found (default 8) */
	struct em_release_src *releases;
	size_t nreleases;
	char **files;			/* every file read; em_src_str.file points here */
	size_t nfiles;
};

/* Frees everything the config owns; accepts NULL. */
void em_config_free(struct em_config *c);

#endif
