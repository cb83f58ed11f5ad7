/*
 * control - control socket server and live status (see control.h).
 */
#define _GNU_SOURCE
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../adapt/em_control.h"
#include "../core/em_latency.h"
#include "../core/em_rules.h"
#include "log.h"
#include "shipper.h"

#define N_ACTIONS (EM_TEMPFAIL + 1)

static struct {
	pthread_mutex_t mu;
	int fd;
	char *path;
	dev_t dev;
	ino_t ino;
	struct em_rules_ref *rules;
	char *milter_socket, *config;
	time_t started, loaded_at, reload_at;
	char hash[17];
	bool reload_ok, reloaded;
	char *reload_error, *restart_why;
	unsigned long counts[N_ACTIONS];
	struct em_latency decide; /* end of data to reply, microseconds */
} st = {.mu = PTHREAD_MUTEX_INITIALIZER, .fd = -1};

static void rfc3339(time_t t, char *buf, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int bind_at(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int em_control_open(const char *path, bool chown_it, uid_t uid, gid_t gid)
{
	struct stat sb;
	char err[128];
	char *ans;
	mode_t old;
	int fd;

	if ((ans = em_control_query(path, "version", 2000, err, sizeof(err))) != NULL) {
		free(ans);
		/* not a reason to stop filtering mail: the milter socket and the pid
		 * file are what keep two daemons apart */
		em_log(LOG_WARNING,
		       "control socket %s: another embargo-milter answers there: this one runs "
		       "without a control socket (set control_socket)",
		       path);
		return -2;
	}
	/* nobody answers: a file left by a daemon that died is replaced */
	if (lstat(path, &sb) == 0 && S_ISSOCK(sb.st_mode))
		unlink(path);
	old = umask(0117);
	fd = bind_at(path);
	umask(old);
	if (fd < 0) {
		em_log(LOG_ERR, "control socket %s: %m", path);
		return -1;
	}
	if ((chown_it && chown(path, uid, gid) < 0) || chmod(path, 0660) < 0 ||
	    stat(path, &sb) < 0) {
		em_log(LOG_ERR, "control socket %s: %m", path);
		close(fd);
		unlink(path);
		return -1;
	}
	if ((st.path = strdup(path)) == NULL) {
		close(fd);
		unlink(path);
		return -1;
	}
	st.fd = fd;
	st.dev = sb.st_dev;
	st.ino = sb.st_ino;
	return 0;
}

void em_control_close(void)
{
	struct stat sb;

	if (st.path == NULL)
		return;
	/* only the socket this process bound: a later daemon may own the path */
	if (stat(st.path, &sb) == 0 && sb.st_dev == st.dev && sb.st_ino == st.ino)
		unlink(st.path);
	free(st.path);
	st.path = NULL;
}

void em_control_count(enum em_action taken)
{
	if ((unsigned)taken < N_ACTIONS)
		__atomic_add_fetch(&st.counts[taken], 1, __ATOMIC_RELAXED);
}

void em_control_decision_time(uint64_t us)
{
	em_latency_add(&st.decide, us);
}

void em_control_loaded(const char *hash)
{
	pthread_mutex_lock(&st.mu);
	snprintf(st.hash, sizeof(st.hash), "%s", hash ? hash : "");
	st.loaded_at = time(NULL);
	if (st.started != 0) { /* a reload, not the first load */
		st.reloaded = true;
		st.reload_ok = true;
		st.reload_at = st.loaded_at;
		free(st.reload_error);
		st.reload_error = NULL;
	}
	pthread_mutex_unlock(&st.mu);
}

void em_control_rules(char hash[17], time_t *loaded_at)
{
	pthread_mutex_lock(&st.mu);
	memcpy(hash, st.hash, sizeof(st.hash));
	*loaded_at = st.loaded_at;
	pthread_mutex_unlock(&st.mu);
}

void em_control_reload_failed(const char *why)
{
	pthread_mutex_lock(&st.mu);
	st.reloaded = true;
	st.reload_ok = false;
	st.reload_at = time(NULL);
	free(st.reload_error);
	st.reload_error = strdup(why ? why : "reload failed");
	pthread_mutex_unlock(&st.mu);
}

void em_control_restart_needed(const char *why)
{
	pthread_mutex_lock(&st.mu);
	free(st.restart_why);
	st.restart_why = why ? strdup(why) : NULL;
	pthread_mutex_unlock(&st.mu);
}

/* The answer to `status`; caller frees. */
static char *status_json(void)
{
	json_t *o = json_object(), *rules = json_object(), *ids = json_array();
	json_t *dec = json_object(), *last;
	struct em_rset *rs = em_rules_ref_acquire(st.rules);
	const struct em_rules *r = rs->obj;
	char t1[32], t2[32], t3[32];
	time_t now = time(NULL);
	char *s;

	for (size_t i = 0; i < em_rules_count(r); i++)
		json_array_append_new(ids, json_string(em_rules_release(r, i)->id));
	em_rules_ref_release(st.rules, rs);
	pthread_mutex_lock(&st.mu);
	rfc3339(st.started, t1, sizeof(t1));
	rfc3339(st.loaded_at, t2, sizeof(t2));
	rfc3339(st.reload_at, t3, sizeof(t3));
	json_object_set_new(rules, "count", json_integer((json_int_t)json_array_size(ids)));
	json_object_set_new(rules, "releases", ids);
	json_object_set_new(rules, "hash", json_string(st.hash));
	json_object_set_new(rules, "loaded_at", json_string(t2));
	if (st.reloaded) {
		last = json_object();
		json_object_set_new(last, "at", json_string(t3));
		json_object_set_new(last, "ok", json_boolean(st.reload_ok));
		json_object_set_new(last, "error",
				    st.reload_error ? json_string(st.reload_error) : json_null());
	} else {
		last = json_null();
	}
	for (int a = 0; a < N_ACTIONS; a++)
		json_object_set_new(
		    dec, em_action_name((enum em_action)a),
		    json_integer((json_int_t)__atomic_load_n(&st.counts[a], __ATOMIC_RELAXED)));
	json_object_set_new(o, "protocol", json_integer(EM_CONTROL_PROTOCOL));
	json_object_set_new(o, "version", json_string(EM_VERSION));
	json_object_set_new(o, "pid", json_integer((json_int_t)getpid()));
	json_object_set_new(o, "started_at", json_string(t1));
	json_object_set_new(o, "uptime_s", json_integer((json_int_t)(now - st.started)));
	json_object_set_new(o, "socket", json_string(st.milter_socket));
	json_object_set_new(o, "config", json_string(st.config));
	json_object_set_new(o, "rules", rules);
	json_object_set_new(o, "last_reload", last);
	json_object_set_new(o, "restart_needed",
			    st.restart_why ? json_string(st.restart_why) : json_null());
	json_object_set_new(o, "decisions", dec);
	{
		json_t *lat = json_object();

		json_object_set_new(lat, "n",
				    json_integer((json_int_t)em_latency_total(&st.decide)));
		json_object_set_new(lat, "p50",
				    json_integer((json_int_t)em_latency_quantile(&st.decide, 0.5)));
		json_object_set_new(
		    lat, "p99", json_integer((json_int_t)em_latency_quantile(&st.decide, 0.99)));
		json_object_set_new(lat, "max",
				    json_integer((json_int_t)em_latency_quantile(&st.decide, 1.0)));
		json_object_set_new(o, "decision_us", lat);
	}
	em_shipper_status(o); /* "shared_store", only with a `store` */
	pthread_mutex_unlock(&st.mu);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

static char *answer(const char *cmd)
{
	json_t *o;
	char *s;

	if (strcmp(cmd, "status") == 0)
		return status_json();
	o = json_object();
	json_object_set_new(o, "protocol", json_integer(EM_CONTROL_PROTOCOL));
	if (strcmp(cmd, "version") == 0) {
		json_object_set_new(o, "version", json_string(EM_VERSION));
	} else {
		char msg[160];

		snprintf(msg, sizeof(msg), "unknown command: %.100s", cmd);
		json_object_set_new(o, "error", json_string(msg));
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

static void serve_one(int c)
{
	char cmd[128];
	size_t len = 0;
	char *s;

	while (len < sizeof(cmd) - 1) {
		struct pollfd p = {.fd = c, .events = POLLIN};
		ssize_t r;

		if (poll(&p, 1, 2000) <= 0)
			return;
		if ((r = read(c, cmd + len, sizeof(cmd) - 1 - len)) <= 0)
			return;
		len += (size_t)r;
		if (memchr(cmd, '\n', len) != NULL)
			break;
	}
	cmd[len] = '\0';
	cmd[strcspn(cmd, "\r\n")] = '\0';
	if ((s = answer(cmd)) == NULL)
		return;
	len = strlen(s);
	s[len] = '\0';
	for (size_t off = 0; off < len;) {
		struct pollfd p = {.fd = c, .events = POLLOUT};
		ssize_t w;

		if (poll(&p, 1, 2000) <= 0)
			break;
		if ((w = send(c, s + off, len - off, MSG_NOSIGNAL)) <= 0)
			break;
		off += (size_t)w;
	}
	if (len > 0)
		(void)send(c, "\n", 1, MSG_NOSIGNAL);
	free(s);
}

static void *control_thread(void *arg)
{
	for (;;) {
		int c = accept4(st.fd, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE ||
			    errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				continue;
			em_log(LOG_ERR, "control socket: accept: %m");
			return NULL;
		}
		serve_one(c);
		close(c);
	}
	return NULL;
}

int em_control_start(struct em_rules_ref *rules, const char *milter_socket, const char *config)
{
	pthread_t tid;
	pthread_attr_t at;

	st.rules = rules;
	st.started = time(NULL);
	if ((st.milter_socket = strdup(milter_socket)) == NULL ||
	    (st.config = strdup(config)) == NULL) {
		em_log(LOG_ERR, "out of memory");
		return -1;
	}
	if (st.fd < 0)
		return 0;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&tid, &at, control_thread, NULL) != 0) {
		pthread_attr_destroy(&at);
		em_log(LOG_ERR, "cannot start the control thread");
		return -1;
	}
	pthread_attr_destroy(&at);
	return 0;
}
