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
#include "em_pra.h"
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
	/* issue 13: every PRA entry as written (roles, own windows), and the calendar link */
	struct em_pra pra_entries;	/* strings and objects of pre_release_access and the file */
	char *calendar_uid;		/* UID of the release's event in `calendar`; NULL: none */
};

/* What the `unreadable` policy does with content that cannot be read. */
enum em_unreadable_policy {
	EM_UNREADABLE_SIGNALLED = 0,	/* on_error only when a release is embargoed and signalled */
	EM_UNREADABLE_ALWAYS,		/* on_error whenever something cannot be read */
};

/* One sensitivity label of the main config's `labels` table. */
struct em_label {
	char *id;			/* GUID, lower case, without braces */
	char *name;			/* the label's name, matched like text */
	const char *file;		/* points into struct em_config's file table */
	int line;
};

/* Sandboxed extraction of complex formats (adapt/em_extract, main config
 * `ocr` and `extract = { ... }`). Sizes in the units their names say. */
enum em_sandbox {
	EM_SANDBOX_AUTO = 0,	/* bubblewrap when it works here, else basic */
	EM_SANDBOX_BWRAP,	/* bubblewrap or nothing: extraction fails if it cannot run */
	EM_SANDBOX_BASIC,	/* rlimits + private network namespace + no_new_privs + seccomp */
};

struct em_extract_conf {
	char *program;			/* NULL: beside the running binary, else the installed one */
	enum em_sandbox sandbox;
	bool ocr;			/* ocr = "auto" (true) | "off" */
	unsigned timeout_seconds;	/* wall clock per attachment (20) */
	unsigned cpu_seconds;		/* RLIMIT_CPU per attachment (15) */
	unsigned memory_mb;		/* RLIMIT_AS per attachment (1024) */
	unsigned output_mb;		/* bytes read back per attachment (32) */
	unsigned file_mb;		/* RLIMIT_FSIZE: temporary files (256) */
	unsigned max_members;		/* archive members per attachment (10000) */
	unsigned message_seconds;	/* wall clock of all extractions of one message (60) */
	unsigned message_attachments;	/* extractor runs per message (100) */
	unsigned ocr_min_width;		/* smaller images are logos, not read (240 px) */
	unsigned ocr_min_height;	/* (80 px) */
	unsigned ocr_max_megapixels;	/* larger images are unreadable (40) */
	bool prefork;			/* one warm sandboxed server forks per attachment (true) */
};

#define EM_EXTRACT_CONF_DEFAULT {NULL, EM_SANDBOX_AUTO, true, 20, 15, 1024, 32, 256, 10000, 60, 100, 240, 80, 40, true}

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
	char *confirm_address;		/* replies to confirm notices; NULL: confirm holds for review */
	char *confirm_url;		/* the review console's confirm page, named in confirm notices; NULL: none */
	char *control_socket;		/* status socket; NULL: EM_CONTROL_DEFAULT */
	char *notify_smtp;		/* notices by SMTP to HOST:PORT (default 127.0.0.1:25) */
	bool notify_via_sendmail;	/* `sendmail` given: notices through that command */
	char *mta;			/* "postfix" or "sendmail"; NULL: detect (embargoctl) */
	char *sendmail_cf;		/* resolved; NULL: /etc/mail/sendmail.cf */
	struct em_limits limits;
	/* release documents and evidence strength (issue 11) */
	char *fingerprint_key;		/* resolved path; NULL: none */
	unsigned char fp_key[16];	/* derived SipHash key (em_fpkey); zero without a key file */
	char fp_key_id[17];		/* "" without a key file */
	enum em_action weak_action;	/* default EM_CONFIRM */
	unsigned excerpt_words;		/* words in a row that are always found (default 8) */
	enum em_unreadable_policy unreadable;	/* default EM_UNREADABLE_SIGNALLED */
	struct em_label *labels;	/* `labels`: sensitivity label GUID -> name */
	size_t nlabels;
	struct em_extract_conf extract;	/* `ocr` and `extract = { ... }` */
	struct em_release_src *releases;
	size_t nreleases;
	char **files;			/* every file read; em_src_str.file points here */
	size_t nfiles;
	/* issue 13: marker sets, the release calendar, the PRA limit */
	char *marker_sets_dir;		/* resolved; where marker_sets names are looked up */
	char *calendar;			/* resolved iCalendar file; NULL: none */
	unsigned max_pra_hours;		/* `check` warns about longer PRA (default 24) */
	/* issue 14: several relays sharing one PostgreSQL store */
	char *store;			/* libpq connection string; NULL: local SQLite only */
	char *relay_id;			/* this relay's name there; NULL: the host name */
	/* issue 9: `quarantine expire` removes a record's files this many days
	 * after its release's publication (no release: after it was stored);
	 * 0 = keep for ever. Default 90. */
	unsigned quarantine_retention_days;
};

/* Frees everything the config owns; accepts NULL. */
void em_config_free(struct em_config *c);

#endif
