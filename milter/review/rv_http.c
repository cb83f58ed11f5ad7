/*
 * rv_http - the HTTP side of embargo-review: listening (TCP on loopback or
 * a unix socket), reading POST bodies (at most RV_MAX_BODY bytes), who is
 * asking (session cookie, or the trusted proxy's user header), the CSRF
 * and Origin checks every POST passes, the security headers every answer
 * carries, and one request-log line per request with the user.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../core/em_time.h"
#include "rv.h"

#define COOKIE "embargo_review"
#define CSP                                                                                        \
	"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "               \
	"frame-ancestors 'none'; base-uri 'none'"

static FILE *reqlog;
static pthread_mutex_t logmu = PTHREAD_MUTEX_INITIALIZER;

struct conn_state {
	struct em_buf body;
	bool too_big;
};

const char *rv_arg(const struct rv_req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);

	return v && *v ? v : NULL;
}

const char *rv_field(const struct rv_req *r, const char *name)
{
	for (size_t i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].name, name) == 0)
			return r->form[i].value;
	return NULL;
}

static void form_parse(struct rv_req *r, char *body)
{
	size_t n = 1;

	for (const char *p = body; *p; p++)
		n += *p == '&';
	if ((r->form = calloc(n, sizeof(*r->form))) == NULL)
		return;
	for (char *save = NULL, *kv = strtok_r(body, "&", &save); kv;
	     kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');

		if (eq == NULL)
			continue;
		*eq = '\0';
		rv_urldec(kv);
		rv_urldec(eq + 1);
		r->form[r->nform++] = (struct rv_field){kv, eq + 1};
	}
}

static void peer_name(struct MHD_Connection *c, char *out, size_t outsz)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, outsz, "unknown");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)outsz);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)outsz);
	else if (sa->sa_family == AF_UNIX)
		snprintf(out, outsz, "unix");
}

static bool trusted(const struct rv_conf *c, const char *peer)
{
	for (size_t i = 0; i < c->nproxies; i++)
		if (c->proxies[i] && strcmp(c->proxies[i], peer) == 0)
			return true;
	return false;
}

/*
 * The browser's address: behind a trusted proxy the last X-Forwarded-For
 * entry (the one that proxy added), so that one client's failed logins do
 * not lock out everyone behind the same proxy; else the peer.
 */
static void client_name(const struct rv_ctx *x, struct MHD_Connection *c, const char *peer,
			char *out, size_t outsz)
{
	const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	const char *last;

	snprintf(out, outsz, "%s", peer);
	if (xff == NULL || !trusted(&x->conf, peer))
		return;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	if (*last && strlen(last) < outsz &&
	    strspn(last, "0123456789abcdefABCDEF.:") == strlen(last))
		snprintf(out, outsz, "%s", last);
}

/* The value of our cookie in a Cookie header (copied to out), or NULL. */
static const char *cookie_token(struct MHD_Connection *c, char *out, size_t outsz)
{
	const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE);

	if (v == NULL || strlen(v) >= outsz)
		return NULL;
	snprintf(out, outsz, "%s", v);
	return out;
}

static void set_cookie(const struct rv_ctx *x, struct rv_resp *out, const char *token)
{
	long age = token ? (long)(x->conf.session_max_hours * 3600) : 0;

	snprintf(out->cookie, sizeof(out->cookie),
		 "%s=%s; Path=/; Max-Age=%ld; HttpOnly; Secure; SameSite=Strict", COOKIE,
		 token ? token : "", age);
}

/* A POST from another site: its Origin (when sent) names another host than Host. */
static bool cross_origin(struct MHD_Connection *c)
{
	const char *o = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	const char *xf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Host");
	const char *p;

	if (o == NULL)
		return false; /* old browsers; the CSRF token still decides */
	if (strcmp(o, "null") == 0 || (p = strstr(o, "://")) == NULL)
		return true;
	p += 3;
	return !((h && strcmp(p, h) == 0) || (xf && strcmp(p, xf) == 0));
}

static void log_request(const struct rv_req *r, unsigned status)
{
	char when[32];
	const char *user = r->have_session ? r->s.user.login : "-";

	em_time_format_utc(time(NULL), when, sizeof(when));
	pthread_mutex_lock(&logmu);
	fprintf(reqlog ? reqlog : stderr, "%s %s %s %s %s %u\n", when, r->client, user, r->method,
		r->url, status);
	fflush(reqlog ? reqlog : stderr);
	pthread_mutex_unlock(&logmu);
}

static enum MHD_Result respond(struct MHD_Connection *c, const struct rv_req *r,
			       struct rv_resp *out)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (out->file) {
		FILE *f = fopen(out->file, "re");
		char buf[8192];
		size_t n;

		em_buf_reset(&out->body);
		if (f == NULL) {
			out->status = 404;
			out->type = "text/plain; charset=utf-8";
			em_buf_puts(&out->body, "not found\n");
		} else {
			while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
				em_buf_append(&out->body, buf, n);
			fclose(f);
		}
	}
	resp = MHD_create_response_from_buffer(out->body.len, out->body.data ? out->body.data : "",
					       MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type",
				out->type ? out->type : "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	/* not no-referrer: with it Chromium sends "Origin: null" on our own forms */
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Cache-Control", out->file ? "max-age=300" : "no-store");
	if (out->location[0])
		MHD_add_response_header(resp, "Location", out->location);
	if (out->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", out->disposition);
	if (out->cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", out->cookie);
	ret = MHD_queue_response(c, out->status ? out->status : 200, resp);
	MHD_destroy_response(resp);
	log_request(r, out->status ? out->status : 200);
	return ret;
}

static void redirect(struct rv_resp *out, const char *to)
{
	out->status = 303;
	snprintf(out->location, sizeof(out->location), "%s", to);
}

/* POST /login: PAM, rate-limited per peer and per login. */
static void do_login(struct rv_ctx *x, struct rv_req *r, struct rv_resp *out)
{
	const char *user = rv_field(r, "user"), *pw = rv_field(r, "password");
	time_t now = time(NULL);
	struct rv_user u;

	if (user == NULL || pw == NULL || *user == '\0') {
		rv_page_login(out, 400, "Give your user name and password.");
		return;
	}
	if (rv_login_limited(&x->conf, r->client, user, now)) {
		rv_page_login(out, 429, "Too many failed logins: wait a few minutes.");
		return;
	}
	if (rv_pam_check(&x->conf, user, pw) != 0 || rv_user_lookup(&x->conf, user, &u) != 0) {
		rv_login_failed(r->client, user, now);
		fprintf(stderr, "embargo-review: login failed for %.100s from %s\n", user,
			r->client);
		rv_page_login(out, 401, "Login failed.");
		return;
	}
	if (!u.reviewer) /* may still confirm their own held mail (/confirm) */
		fprintf(stderr, "embargo-review: %s is not in group %s: sender pages only\n",
			u.login, x->conf.reviewer_group);
	if (rv_session_new(&x->conf, &u, false, now, &r->s) != 0) {
		rv_page_message(out, 500, "Error", "Could not start a session.", NULL);
		return;
	}
	r->have_session = true;
	set_cookie(x, out, r->s.token);
	redirect(out, u.reviewer ? "/held" : "/confirm");
}

static void handle(struct rv_ctx *x, struct MHD_Connection *c, struct rv_req *r,
		   struct rv_resp *out)
{
	char tok[RV_TOKEN_HEX + 8];
	const char *hdr_user = NULL;
	time_t now = time(NULL);

	if (strcmp(r->url, "/static/review.css") == 0) {
		static char path[1024];

		snprintf(path, sizeof(path), "%s/review.css", x->conf.static_dir);
		out->file = path;
		out->type = "text/css; charset=utf-8";
		return;
	}
	if (x->conf.user_header)
		hdr_user = MHD_lookup_connection_value(c, MHD_HEADER_KIND, x->conf.user_header);
	if (hdr_user && !trusted(&x->conf, r->peer)) {
		fprintf(stderr, "embargo-review: %s header from %s (not a trusted proxy) ignored\n",
			x->conf.user_header, r->peer);
		hdr_user = NULL;
	}
	if (cookie_token(c, tok, sizeof(tok)) && rv_session_get(&x->conf, tok, now, &r->s) == 0)
		r->have_session = true;
	if (hdr_user && *hdr_user && (!r->have_session || strcmp(r->s.user.login, hdr_user) != 0)) {
		struct rv_user u;

		r->have_session = false;
		if (rv_user_lookup(&x->conf, hdr_user, &u) != 0) {
			rv_page_message(out, 403, "Refused", "Unknown user.", NULL);
			return;
		}
		if (rv_session_new(&x->conf, &u, true, now, &r->s) != 0) {
			rv_page_message(out, 500, "Error", "Could not start a session.", NULL);
			return;
		}
		r->have_session = true;
		set_cookie(x, out, r->s.token);
	}
	if (r->post && cross_origin(c)) {
		rv_page_message(out, 403, "Refused", "A form from another site was refused.", NULL);
		return;
	}
	if (strcmp(r->url, "/login") == 0) {
		if (r->post)
			do_login(x, r, out);
		else if (r->have_session)
			redirect(out, "/held");
		else
			rv_page_login(out, 200, NULL);
		return;
	}
	if (!r->have_session) {
		if (r->post) {
			rv_page_message(out, 403, "Refused",
					"Not signed in (or the session expired).", NULL);
		} else {
			redirect(out, "/login");
		}
		return;
	}
	if (r->post) {
		const char *t = rv_field(r, "csrf");

		if (t == NULL || !rv_token_eq(t, r->s.csrf)) {
			rv_page_message(out, 403, "Refused",
					"The form's security token is missing or wrong.", r);
			return;
		}
	}
	if (strcmp(r->url, "/logout") == 0 && r->post) {
		rv_session_end(r->s.token);
		set_cookie(x, out, NULL);
		r->have_session = false;
		redirect(out, r->s.via_proxy ? "/held" : "/login");
		return;
	}
	if (strcmp(r->url, "/confirm") == 0) {
		rv_page_confirm(x, r, out);
		return;
	}
	if (!r->s.user.reviewer) {
		rv_page_message(out, 403, "Refused", "Your account is not in the reviewer group.",
				r);
		return;
	}
	rv_route(x, r, out);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct rv_ctx *x = cls;
	struct conn_state *cs = *con_cls;
	struct rv_req r = {.method = method, .url = url, .conn = c};
	struct rv_resp out = {0};
	enum MHD_Result ret;

	r.post = strcmp(method, "POST") == 0;
	if (cs == NULL) {
		if ((cs = calloc(1, sizeof(*cs))) == NULL)
			return MHD_NO;
		*con_cls = cs;
		if (r.post)
			return MHD_YES; /* the body follows */
	}
	if (r.post && *upload_size) {
		if (cs->body.len + *upload_size > RV_MAX_BODY)
			cs->too_big = true;
		else
			em_buf_append(&cs->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	peer_name(c, r.peer, sizeof(r.peer));
	client_name(x, c, r.peer, r.client, sizeof(r.client));
	if (!r.post && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		rv_page_message(&out, 405, "Method not allowed", "Only GET and POST.", NULL);
	} else if (cs->too_big) {
		rv_page_message(&out, 413, "Too large", "The form is too large.", NULL);
	} else {
		if (r.post) {
			em_buf_putc(&cs->body, '\0');
			form_parse(&r, cs->body.data);
		}
		handle(x, c, &r, &out);
	}
	ret = respond(c, &r, &out);
	em_buf_free(&out.body);
	free(r.form);
	explicit_bzero(&r.s, sizeof(r.s));
	return ret;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;

	if (cs) {
		if (cs->body.data)
			explicit_bzero(cs->body.data, cs->body.cap); /* passwords */
		em_buf_free(&cs->body);
		free(cs);
	}
	*con_cls = NULL;
}

static int listen_on(const char *spec)
{
	int fd = -1, one = 1;

	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un sun = {.sun_family = AF_UNIX};
		const char *path = spec + 5;

		if (strlen(path) >= sizeof(sun.sun_path)) {
			fprintf(stderr, "embargo-review: %s: path too long\n", path);
			return -1;
		}
		strcpy(sun.sun_path, path);
		unlink(path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
		    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || chmod(path, 0660) < 0 ||
		    listen(fd, 64) < 0) {
			fprintf(stderr, "embargo-review: listen %s: %s\n", spec, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		return fd;
	} else {
		char host[256];
		const char *colon = strrchr(spec, ':');
		struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_PASSIVE,
					 .ai_socktype = SOCK_STREAM},
				*ai = NULL;
		size_t hl = (size_t)(colon - spec);

		if (hl >= sizeof(host))
			return -1;
		memcpy(host, spec, hl);
		host[hl] = '\0';
		if (host[0] == '[' && hl > 1 && host[hl - 1] == ']') {
			memmove(host, host + 1, hl - 2);
			host[hl - 2] = '\0';
		}
		if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || ai == NULL) {
			fprintf(stderr, "embargo-review: listen %s: not a numeric HOST:PORT\n",
				spec);
			return -1;
		}
		if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
		    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0) {
			fprintf(stderr, "embargo-review: listen %s: %s\n", spec, strerror(errno));
			if (fd >= 0)
				close(fd);
			fd = -1;
		}
		freeaddrinfo(ai);
		return fd;
	}
}

int rv_http_run(struct rv_ctx *x)
{
	struct MHD_Daemon *d;
	sigset_t set;
	int fd, sig = 0;

	if (x->conf.request_log && (reqlog = fopen(x->conf.request_log, "ae")) == NULL) {
		fprintf(stderr, "embargo-review: request_log %s: %s\n", x->conf.request_log,
			strerror(errno));
		return 1;
	}
	if ((fd = listen_on(x->conf.listen)) < 0)
		return 1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* the server's threads inherit the mask */
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     on_request, x, MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_THREAD_POOL_SIZE, 4u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			     MHD_OPTION_CONNECTION_LIMIT, 256u, MHD_OPTION_NOTIFY_COMPLETED,
			     on_done, x, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "embargo-review: could not start the HTTP server on %s\n",
			x->conf.listen);
		close(fd);
		return 1;
	}
	fprintf(stderr, "embargo-review: listening on %s\n", x->conf.listen);
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
		; /* no reload yet: the config is read at start */
	MHD_stop_daemon(d);
	close(fd);
	if (strncmp(x->conf.listen, "unix:", 5) == 0)
		unlink(x->conf.listen + 5);
	if (reqlog)
		fclose(reqlog);
	return 0;
}
