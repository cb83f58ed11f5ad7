/*
 * ctl_status - `embargoctl status`, the readable-as-user check, and the
 * milter handshake (see ctl_status.h).
 *
 * The handshake is the first step of the milter protocol (Sendmail's
 * libmilter/docs and Postfix's src/milter/milter8.c): a packet is a 32-bit
 * big-endian length, a command byte and its data; SMFIC_OPTNEG ('O') carries
 * version, actions and protocol flags (three 32-bit words), and the milter
 * answers with an 'O' packet of its own. SMFIC_QUIT ('Q') ends it.
 */
#define _GNU_SOURCE
#include "ctl_status.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <jansson.h>
#include <libconfig.h>
#include <libgen.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../adapt/em_config.h"
#include "../adapt/em_control.h"
#include "../core/em_errors.h"

#define DEFAULT_CONFIG "/etc/embargo-milter/embargo-milter.conf"

/* ---- readable as the daemon's user ---------------------------------------- */

static const char *gr_name_of(gid_t g)
{
	static char buf[32];
	struct group *gr = getgrgid(g);

	if (gr != NULL)
		return gr->gr_name;
	snprintf(buf, sizeof(buf), "%lu", (unsigned long)g);
	return buf;
}

int em_ctl_readable_as_user(const struct em_config *cfg, const char *prefix, FILE *out)
{
	struct passwd *pw;
	int fds[2], status, bad = 0;
	pid_t pid;
	FILE *in;
	char line[4200];
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0 || cfg->user == NULL)
		return 0;
	if ((pw = getpwnam(cfg->user)) == NULL) {
		fprintf(out, "%suser %s (`user` in %s) does not exist: the daemon cannot start.\n",
			prefix, cfg->user, cfg->path);
		return 1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (pipe(fds) < 0) {
		fprintf(stderr, "embargoctl: pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(out);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "embargoctl: fork: %s\n", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		FILE *w;

		close(fds[0]);
		if ((w = fdopen(fds[1], "w")) == NULL || initgroups(cfg->user, gid) < 0 ||
		    setgid(gid) < 0 || setuid(uid) < 0)
			_exit(3);
		/* every file the loader read, then the directory it lists */
		for (size_t i = 0; i < cfg->nfiles; i++) {
			int fd = open(cfg->files[i], O_RDONLY | O_CLOEXEC);

			if (fd < 0)
				fprintf(w, "%d f %s\n", errno, cfg->files[i]);
			else
				close(fd);
		}
		if (cfg->releases_dir != NULL) {
			int fd = open(cfg->releases_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			if (fd < 0)
				fprintf(w, "%d d %s\n", errno, cfg->releases_dir);
			else
				close(fd);
		}
		fclose(w);
		_exit(0);
	}
	close(fds[1]);
	if ((in = fdopen(fds[0], "r")) == NULL) {
		close(fds[0]);
		waitpid(pid, &status, 0);
		return -1;
	}
	while (fgets(line, sizeof(line), in) != NULL) {
		char *sp = strchr(line, ' ');
		int e = atoi(line);
		bool dir;

		if (sp == NULL || sp[1] == '\0' || sp[2] != ' ')
			continue;
		dir = sp[1] == 'd';
		sp += 2;
		sp[strcspn(sp, "\n")] = '\0';
		bad++;
		if (e == EACCES)
			fprintf(out,
				"%spermission denied reading %s as user %s (the daemon's `user`): "
				"the daemon refuses this configuration at start and keeps the old "
				"rules at a reload. Fix: chgrp %s %s && chmod g+r%s %s\n",
				prefix, sp + 1, cfg->user, gr_name_of(gid), sp + 1, dir ? "x" : "",
				sp + 1);
		else
			fprintf(out, "%suser %s (the daemon's `user`) cannot read %s: %s\n", prefix,
				cfg->user, sp + 1, strerror(e));
	}
	fclose(in);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "embargoctl: could not check the files as user %s\n", cfg->user);
		return -1;
	}
	if (bad == 0)
		fprintf(out,
			"ok: user %s (the daemon's `user`) can read all %zu configuration files\n",
			cfg->user, cfg->nfiles);
	return bad;
}

/* ---- the milter handshake ------------------------------------------------- */

static int io_wait(int fd, short ev, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = ev};
	int r;

	while ((r = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	if (r == 0)
		errno = ETIMEDOUT;
	return r > 0 ? 0 : -1;
}

static int io_all(int fd, void *buf, size_t n, bool wr, int timeout_ms)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t r;

		if (io_wait(fd, wr ? POLLOUT : POLLIN, timeout_ms) < 0)
			return -1;
		r = wr ? send(fd, p, n, MSG_NOSIGNAL) : read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = ECONNRESET;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Connects to a libmilter socket spec; returns the fd or -1 (err set). */
static int milter_connect(const char *spec, int timeout_ms, char *err, size_t errsz)
{
	const char *p = NULL;
	int fd = -1;

	if (strncmp(spec, "unix:", 5) == 0)
		p = spec + 5;
	else if (strncmp(spec, "local:", 6) == 0)
		p = spec + 6;
	else if (spec[0] == '/')
		p = spec;
	if (p != NULL) {
		struct sockaddr_un sa;

		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		if (strlen(p) >= sizeof(sa.sun_path)) {
			snprintf(err, errsz, "socket path too long");
			return -1;
		}
		strcpy(sa.sun_path, p);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			snprintf(err, errsz, "%s", strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		return fd;
	} else {
		const char *ps = strchr(spec, ':'), *at;
		char port[16], host[256];
		struct addrinfo hints, *res = NULL, *ai;
		int gai;

		if (ps == NULL) {
			snprintf(err, errsz, "cannot read socket \"%s\"", spec);
			return -1;
		}
		ps++;
		at = strchr(ps, '@');
		snprintf(port, sizeof(port), "%.*s", (int)(at ? at - ps : (long)strlen(ps)), ps);
		snprintf(host, sizeof(host), "%s", at && at[1] ? at + 1 : "127.0.0.1");
		if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "INADDR_ANY") == 0)
			strcpy(host, "127.0.0.1");
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		if ((gai = getaddrinfo(host, port, &hints, &res)) != 0) {
			snprintf(err, errsz, "%s:%s: %s", host, port, gai_strerror(gai));
			return -1;
		}
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			if ((fd = socket(ai->ai_family,
					 ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
				continue;
			if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
			    (errno == EINPROGRESS && io_wait(fd, POLLOUT, timeout_ms) == 0)) {
				int soerr = 0;
				socklen_t l = sizeof(soerr);

				getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l);
				if (soerr == 0) {
					fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
					break;
				}
				errno = soerr;
			}
			snprintf(err, errsz, "%s", strerror(errno));
			close(fd);
			fd = -1;
		}
		freeaddrinfo(res);
		return fd;
	}
}

int em_ctl_milter_ping(const char *spec, int timeout_ms, unsigned *version, char *err, size_t errsz)
{
	/* SMFIC_OPTNEG: version 6, every action and protocol step an MTA may offer */
	unsigned char pkt[17] = {0, 0, 0,    13,   'O', 0,    0,    0,	 6,
				 0, 0, 0x01, 0xff, 0,	0x1f, 0xff, 0xff};
	unsigned char quit[5] = {0, 0, 0, 1, 'Q'};
	unsigned char hdr[4], body[64];
	uint32_t len;
	int fd;

	if ((fd = milter_connect(spec, timeout_ms, err, errsz)) < 0)
		return -1;
	if (io_all(fd, pkt, sizeof(pkt), true, timeout_ms) < 0 ||
	    io_all(fd, hdr, 4, false, timeout_ms) < 0) {
		snprintf(err, errsz, "no answer to option negotiation: %s",
			 errno == ETIMEDOUT ? "timed out" : strerror(errno));
		close(fd);
		return -1;
	}
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
	if (len < 5 || len > sizeof(body) || io_all(fd, body, len, false, timeout_ms) < 0 ||
	    body[0] != 'O') {
		snprintf(err, errsz, "the answer is not a milter option negotiation");
		close(fd);
		return -1;
	}
	*version =
	    (unsigned)body[1] << 24 | (unsigned)body[2] << 16 | (unsigned)body[3] << 8 | body[4];
	(void)io_all(fd, quit, sizeof(quit), true, timeout_ms);
	close(fd);
	return 0;
}

/* ---- embargoctl status ----------------------------------------------------- */

/*
 * control_socket read from the main config file alone, for when the whole
 * configuration does not load (a broken release file after an edit: exactly
 * when status matters). Returns a path (caller frees) or NULL.
 */
static char *control_path_raw(const char *conf)
{
	config_t c;
	const char *v = NULL;
	char *out = NULL, *dup;

	config_init(&c);
	if (config_read_file(&c, conf) == CONFIG_TRUE &&
	    config_lookup_string(&c, "control_socket", &v) == CONFIG_TRUE && v != NULL) {
		if (v[0] == '/')
			out = strdup(v);
		else if ((dup = strdup(conf)) != NULL) {
			if (asprintf(&out, "%s/%s", dirname(dup), v) < 0)
				out = NULL;
			free(dup);
		}
	}
	config_destroy(&c);
	return out;
}

static void status_usage(FILE *f)
{
	fprintf(f, "usage: embargoctl status [-c CONFIG] [--socket PATH] [--json]\n");
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "?";
}

static void print_uptime(long s)
{
	if (s >= 86400)
		printf("%ldd %ldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		printf("%ldh %ldm", s / 3600, s % 3600 / 60);
	else
		printf("%ldm %lds", s / 60, s % 60);
}

int em_ctl_status(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"socket", required_argument, NULL, 's'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *conf = DEFAULT_CONFIG, *path = NULL;
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg;
	bool json = false;
	char err[256], disk_hash[17] = "", disk_err[512] = "";
	char *ans, *raw_path = NULL;
	json_t *o, *rules, *last, *dec;
	json_error_t jerr;
	int c, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			status_usage(stdout);
			return 0;
		default:
			status_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		status_usage(stderr);
		return 2;
	}
	/* the config names the socket and gives the on-disk hash to compare */
	cfg = em_config_load(conf, &errs);
	if (cfg == NULL) {
		snprintf(disk_err, sizeof(disk_err), "%s",
			 errs.n > 0 ? errs.v[0] : "cannot load the configuration");
		if (errno == EACCES || (errs.n > 0 && strstr(errs.v[0], "ermission denied")))
			snprintf(disk_err, sizeof(disk_err), "permission denied reading %s", conf);
	} else if (em_control_hash(cfg, disk_hash, err, sizeof(err)) < 0) {
		snprintf(disk_err, sizeof(disk_err), "%s", err);
		disk_hash[0] = '\0';
	}
	em_errors_free(&errs);
	if (path == NULL && cfg == NULL)
		path = raw_path = control_path_raw(conf);
	if (path == NULL)
		path = em_control_path(cfg);
	ans = em_control_query(path, "status", 5000, err, sizeof(err));
	if (ans == NULL) {
		if (strcmp(err, strerror(EACCES)) == 0)
			fprintf(stderr,
				"embargoctl status: permission denied reading %s (the control "
				"socket: its group is the daemon's `reviewer_group`)\n",
				path);
		else
			fprintf(
			    stderr,
			    "embargoctl status: embargo-milter is not running (no answer on %s: "
			    "%s)\n",
			    path, err);
		em_config_free(cfg);
		free(raw_path);
		return 2;
	}
	if ((o = json_loads(ans, 0, &jerr)) == NULL || !json_is_object(o)) {
		fprintf(stderr, "embargoctl status: %s: not a status answer: %s\n", path,
			jerr.text);
		free(ans);
		em_config_free(cfg);
		free(raw_path);
		return 2;
	}
	rules = json_object_get(o, "rules");
	last = json_object_get(o, "last_reload");
	dec = json_object_get(o, "decisions");
	if (json_is_object(last) && !json_is_true(json_object_get(last, "ok")))
		rc = 1;
	if (json_is_string(json_object_get(o, "restart_needed")))
		rc = 1;
	if ((disk_hash[0] && strcmp(disk_hash, jstr(rules, "hash")) != 0) || cfg == NULL)
		rc = 1;
	if (json) {
		fputs(ans, stdout);
		if (ans[0] && ans[strlen(ans) - 1] != '\n')
			putchar('\n');
	} else {
		json_t *ids = json_object_get(rules, "releases");
		const char *key;
		json_t *v;
		bool first = true;

		printf("embargo-milter %s: running, pid %lld, up ", jstr(o, "version"),
		       (long long)json_integer_value(json_object_get(o, "pid")));
		print_uptime((long)json_integer_value(json_object_get(o, "uptime_s")));
		printf(" (since %s)\n", jstr(o, "started_at"));
		printf("socket: %s\nconfig: %s\n", jstr(o, "socket"), jstr(o, "config"));
		printf("live rules: %lld release(s)",
		       (long long)json_integer_value(json_object_get(rules, "count")));
		for (size_t i = 0; i < json_array_size(ids); i++)
			printf("%s%s", i ? ", " : " (",
			       json_string_value(json_array_get(ids, i))
				   ? json_string_value(json_array_get(ids, i))
				   : "?");
		printf("%s, hash %s, loaded %s\n", json_array_size(ids) ? ")" : "",
		       jstr(rules, "hash"), jstr(rules, "loaded_at"));
		if (json_is_object(last)) {
			if (json_is_true(json_object_get(last, "ok")))
				printf("last reload: %s, ok\n", jstr(last, "at"));
			else
				printf(
				    "last reload: %s FAILED: %s\n  the live rules above are still "
				    "in force; fix the error and reload again\n",
				    jstr(last, "at"), jstr(last, "error"));
		}
		if (json_is_string(json_object_get(o, "restart_needed")))
			printf("restart needed: %s\n", jstr(o, "restart_needed"));
		if (disk_hash[0] && strcmp(disk_hash, jstr(rules, "hash")) != 0)
			printf("the files on disk (hash %s) differ from the live rules: reload "
			       "(systemctl reload embargo-milter)\n",
			       disk_hash);
		else if (cfg == NULL)
			printf(
			    "the configuration on disk does not load (%s): a reload keeps the live "
			    "rules above (embargoctl check -c %s)\n",
			    disk_err, conf);
		else if (disk_err[0])
			printf("note: the files on disk were not compared: %s\n", disk_err);
		printf("decisions since start:");
		json_object_foreach(dec, key, v)
		{
			printf("%s %s %lld", first ? "" : ",", key,
			       (long long)json_integer_value(v));
			first = false;
		}
		putchar('\n');
		{
			json_t *lat = json_object_get(o, "decision_us");
			long long n = (long long)json_integer_value(json_object_get(lat, "n"));

			if (n > 0)
				printf("decision time (end of data to reply): median %.1f ms, p99 "
				       "%.1f "
				       "ms, max %.1f ms over %lld messages\n",
				       json_integer_value(json_object_get(lat, "p50")) / 1000.0,
				       json_integer_value(json_object_get(lat, "p99")) / 1000.0,
				       json_integer_value(json_object_get(lat, "max")) / 1000.0, n);
		}
		{
			/* several relays: the copy to the shared PostgreSQL store */
			json_t *sh = json_object_get(o, "shared_store");

			if (json_is_object(sh))
				printf(
				    "shared store: relay %s, %s, backlog %lld, last ship %s%s%s\n",
				    jstr(sh, "relay_id"),
				    json_is_true(json_object_get(sh, "connected"))
					? "connected"
					: "NOT connected",
				    (long long)json_integer_value(json_object_get(sh, "backlog")),
				    json_is_string(json_object_get(sh, "last_ship"))
					? jstr(sh, "last_ship")
					: "never",
				    json_is_string(json_object_get(sh, "last_error"))
					? ", last error: "
					: "",
				    json_is_string(json_object_get(sh, "last_error"))
					? jstr(sh, "last_error")
					: "");
			if (json_is_object(sh) &&
			    json_integer_value(json_object_get(sh, "ship_lag_count")) > 0)
				printf("shared store lag: p95 %lld ms, max %lld ms over %lld rows "
				       "(queued -> committed in PostgreSQL)\n",
				       (long long)json_integer_value(
					   json_object_get(sh, "ship_lag_p95_ms")),
				       (long long)json_integer_value(
					   json_object_get(sh, "ship_lag_max_ms")),
				       (long long)json_integer_value(
					   json_object_get(sh, "ship_lag_count")));
		}
	}
	json_decref(o);
	free(ans);
	em_config_free(cfg);
	free(raw_path);
	return rc;
}
