/*
 * rv - embargo-review, the security team's web console for held mail: a
 * small HTTP service (libmicrohttpd) behind the department's TLS reverse
 * proxy. It reads the quarantine store only through em_store, em_requests
 * and em_report (so it follows whichever store back end is configured) and
 * acts only by writing release/delete requests, which the root job
 * `embargoctl quarantine process-requests` carries out on the MTA.
 *
 * Files: rv_conf.c (the `review` group of the main config), rv_auth.c
 * (PAM, trusted proxy header, sessions, CSRF tokens, login rate limit,
 * roles), rv_http.c (the server, request log, headers, routing),
 * rv_pages.c (the HTML pages and actions), rv_html.c (escaping, forms),
 * rv_main.c (main).
 *
 * Shell ring: may log to stderr, must never touch the daemon's mail path.
 */
#ifndef RV_H
#define RV_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../adapt/em_store.h"
#include "../core/em_buf.h"
#include "../core/em_settings.h"

#define RV_DEFAULT_LISTEN "127.0.0.1:8025"
#define RV_DEFAULT_SERVICE "embargo-review"
#define RV_TOKEN_HEX 64 /* 32 random bytes */
#define RV_MAX_BODY (256u * 1024)

/* The `review = { ... }` group of the main config. */
struct rv_conf {
	char *listen;	/* "HOST:PORT" or "unix:/path" */
	char **proxies; /* addresses whose user_header is believed ("unix" = the socket) */
	size_t nproxies;
	char *user_header;	  /* e.g. "X-Remote-User"; NULL: proxy login off */
	double session_minutes;	  /* idle expiry (default 30) */
	double session_max_hours; /* absolute expiry (default 12) */
	char *reviewer_group;	  /* Unix group of reviewers (default: main reviewer_group) */
	char *pam_service;	  /* default "embargo-review"; "" disables the login form */
	char *address_domain;	  /* login "alice" is alice@DOMAIN on PRA lists; NULL: logins with @
				     only */
	char *request_log;	  /* one line per request; NULL: stderr */
	unsigned login_failures;  /* failed logins per address or user in 5 minutes (default 5) */
	unsigned page_size;	  /* rows per list page (default 50) */
	char *static_dir;	  /* the CSS file's directory */
};

/*
 * Reads the `review` group of the main config at path (the rest is read by
 * em_config). Defaults apply when the group is absent. Every error is
 * printed as FILE:LINE: message. Returns 0 or -1.
 */
int rv_conf_load(const char *path, const struct em_config *cfg, struct rv_conf *out);
void rv_conf_free(struct rv_conf *c);

/* ---- sessions and users (rv_auth.c) ---- */

struct rv_user {
	char login[128];
	bool reviewer;	   /* member of the reviewer group */
	char address[256]; /* for PRA/producer lists; "" when unknown */
};

struct rv_session {
	char token[RV_TOKEN_HEX + 1];
	char csrf[RV_TOKEN_HEX + 1];
	struct rv_user user;
	time_t created, last;
	bool via_proxy;
};

int rv_auth_init(const struct rv_conf *c);
void rv_auth_done(void);
/* Fills u from login (groups, address). Returns 0, -1 when no such user. */
int rv_user_lookup(const struct rv_conf *c, const char *login, struct rv_user *u);
/* PAM authentication and account check. Returns 0 when accepted. */
int rv_pam_check(const struct rv_conf *c, const char *login, const char *password);
/* Login rate limit: true when peer or login has too many recent failures. */
bool rv_login_limited(const struct rv_conf *c, const char *peer, const char *login, time_t now);
void rv_login_failed(const char *peer, const char *login, time_t now);
/* New session for u; copies it to *out. Returns 0 or -1. */
int rv_session_new(const struct rv_conf *c, const struct rv_user *u, bool via_proxy, time_t now,
		   struct rv_session *out);
/* Looks token up, refreshing its idle time; copies it to *out. Returns 0, -1 (none or expired). */
int rv_session_get(const struct rv_conf *c, const char *token, time_t now, struct rv_session *out);
void rv_session_end(const char *token);
/* Constant-time string equality. */
bool rv_token_eq(const char *a, const char *b);
/* 32 random bytes as hex into out (RV_TOKEN_HEX + 1). Returns 0 or -1. */
int rv_random_hex(char *out);

/* ---- HTML (rv_html.c) ---- */

/*
 * Appends s HTML-escaped for text and quoted attributes: & < > " ' as
 * entities; C0 controls (but newline and tab), DEL and the bidi controls
 * that reorder text as '?'. NULL appends nothing.
 */
void rv_esc(struct em_buf *b, const char *s);
/* The HTML/XML entity for c when it is one of & < > " ' (a static string), else NULL. */
const char *rv_entity(unsigned char c);
/* Appends s percent-encoded for a URL query value. */
void rv_urlenc(struct em_buf *b, const char *s);
/* Decodes %XX and '+' in place. */
void rv_urldec(char *s);
/* Appends a CSV field (quoted, and a leading = + - @ defused). */
void rv_csv(struct em_buf *b, const char *s);

/* ---- requests and responses (rv_http.c, rv_pages.c) ---- */

struct rv_ctx {
	const char *conf_path;
	struct em_config *cfg;
	struct rv_conf conf;
	struct em_store *st;
};

struct rv_field {
	char *name, *value;
};

struct rv_req {
	const char *method; /* "GET" | "POST" */
	const char *url;    /* path only */
	char peer[80];	    /* the connecting address ("unix" for the socket) */
	char client[80];    /* the browser's address: the last X-Forwarded-For entry when the peer
			       is a trusted proxy, else peer; for the login limit and the log */
	bool post;
	struct rv_field *form; /* the POST body's fields, decoded */
	size_t nform;
	bool have_session;
	struct rv_session s;
	void *conn; /* struct MHD_Connection */
};

struct rv_resp {
	unsigned status;
	const char *type; /* Content-Type; NULL: text/html; charset=utf-8 */
	struct em_buf body;
	char location[512];    /* redirect target ("" none) */
	char disposition[160]; /* Content-Disposition ("" none) */
	char cookie[256];      /* Set-Cookie ("" none) */
	const char *file;      /* serve this file instead of body (static) */
};

/* A query argument of a GET request (NULL when absent). */
const char *rv_arg(const struct rv_req *r, const char *name);
/* The first POST field called name (NULL when absent). */
const char *rv_field(const struct rv_req *r, const char *name);

/* Serves r (already authenticated as a reviewer, CSRF checked for POST). */
void rv_route(struct rv_ctx *x, struct rv_req *r, struct rv_resp *out);
/* The sender's confirm page (any signed-in user: their own held mail only). */
void rv_page_confirm(struct rv_ctx *x, struct rv_req *r, struct rv_resp *out);
/* Page frame: header with navigation (user may be NULL) and footer. */
void rv_page_begin(struct rv_resp *out, const char *title, const struct rv_req *r);
void rv_page_end(struct rv_resp *out);
/* A complete small page with one message (e.g. 403). */
void rv_page_message(struct rv_resp *out, unsigned status, const char *title, const char *text,
		     const struct rv_req *r);
/* The login form (error may be NULL). */
void rv_page_login(struct rv_resp *out, unsigned status, const char *error);

/*
 * The breach report draft as .odt (rv_odt.c): markdown (em_report's) in,
 * the zip package into out (replaced). Returns 0, or -1 (out of memory).
 */
int rv_odt_build(const char *markdown, struct em_buf *out);
/*
 * The same draft as Office Open XML (.docx, ECMA-376 / ISO/IEC 29500
 * packaging: [Content_Types].xml, _rels/.rels, word/document.xml,
 * word/styles.xml), rv_docx.c. Returns 0, or -1 (out of memory).
 */
int rv_docx_build(const char *markdown, struct em_buf *out);

/* Appends n bytes of markdown text s XML-escaped, markdown escapes undone. */
void rv_xml_text(struct em_buf *b, const char *s, size_t n);
/*
 * Calls cell(b, text, len) for each cell of the markdown table row line[0..n)
 * ("| a | b |": cells end at an unescaped '|', blanks around them trimmed);
 * text points into line. Used by the .odt and .docx writers.
 */
void rv_md_cells(struct em_buf *b, const char *line, size_t n,
		 void (*cell)(struct em_buf *b, const char *text, size_t len));
/* One member of a zip package: NUL-terminated data, stored or deflated. */
struct rv_zip_member {
	const char *name, *data;
	bool store;
};
/* Builds a zip package of the n members, in order, into out (replaced). 0 or -1. */
int rv_zip_build(const struct rv_zip_member *m, size_t n, struct em_buf *out);

/* ---- the shared PostgreSQL store (rv_shared.c); without `store`, the local one ---- */

/*
 * Records as em_store_list, of every relay when `store` is set: *relays then
 * receives each row's relay (free with rv_shared_relays_free), else NULL.
 * Returns 0 or -1 with err.
 */
int rv_shared_list(struct rv_ctx *x, const struct em_store_filter *f, struct em_store_row **rows,
		   char ***relays, size_t *n, char *err, size_t errsz);
void rv_shared_relays_free(char **relays, size_t n);
/* This relay's id in the shared store (relay_id or the host name) into buf. */
const char *rv_shared_me(const struct rv_ctx *x, char *buf, size_t bufsz);
/*
 * One record: this relay's, else (with `store`) another relay's, whose
 * files go to a new private directory *tmpdir (em_ctl_pg_tmp_free). *relay
 * (caller frees) is its relay with `store`, else NULL. Returns 0, 1 (no
 * such record), -1 with err.
 */
int rv_shared_record(struct rv_ctx *x, const char *id, struct em_store_row **row, char **relay,
		     char **tmpdir, char *err, size_t errsz);
/*
 * A release/delete request for another relay's held record in the shared
 * store (via "console"), carried out by that relay's request job. relay_out
 * receives the relay, rq_out (EM_REQUEST_ID_SIZE) the request id. Returns
 * 0 or -1 with err.
 */
int rv_shared_request(struct rv_ctx *x, const char *id, const char *action, const char *by,
		      const char *reason, char *relay_out, size_t relaysz, char *rq_out, char *err,
		      size_t errsz);
/* The relays' status and rule hashes as an HTML table (nothing without `store`). */
void rv_shared_relays_table(struct rv_ctx *x, struct em_buf *b);

/* Runs the service until SIGTERM/SIGINT. Returns the exit status. */
int rv_http_run(struct rv_ctx *x);

#endif
