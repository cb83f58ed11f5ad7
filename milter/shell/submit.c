/*
 * submit - notices by SMTP to the local MTA (see submit.h).
 */
#define _GNU_SOURCE
#include "submit.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"

#define CONNECT_MS 5000
#define REPLY_MS 10000
#define DATA_END_MS 30000

struct job {
	char *host, *port, *from, *rcpt, *text, *qid, *what, *hostport, *note;
};

static void job_free(struct job *j)
{
	if (j == NULL)
		return;
	free(j->host);
	free(j->port);
	free(j->from);
	free(j->rcpt);
	free(j->text);
	free(j->qid);
	free(j->what);
	free(j->hostport);
	free(j->note);
	free(j);
}

/* One SMTP connection with a small line buffer for replies. */
struct conn {
	int fd;
	char buf[2048];
	size_t len;
};

static int wait_io(int fd, short ev, int ms)
{
	struct pollfd p = {.fd = fd, .events = ev};
	int r;

	while ((r = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	if (r == 0)
		errno = ETIMEDOUT;
	return r > 0 ? 0 : -1;
}

static int send_all(struct conn *c, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w;

		if (wait_io(c->fd, POLLOUT, REPLY_MS) < 0)
			return -1;
		if ((w = send(c->fd, s, n, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Reads one (possibly multi-line) reply; its last line goes to line.
 * Returns the 3-digit code, or -1 (errno set).
 */
static int reply(struct conn *c, int ms, char *line, size_t linesz)
{
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);

		if (nl != NULL) {
			size_t n = (size_t)(nl - c->buf) + 1;
			int code;
			bool last;

			snprintf(line, linesz, "%.*s",
				 (int)(n > 1 && nl[-1] == '\r' ? n - 2 : n - 1), c->buf);
			last = n < 5 || c->buf[3] != '-';
			code = atoi(c->buf);
			memmove(c->buf, c->buf + n, c->len - n);
			c->len -= n;
			if (!last)
				continue;
			if (code < 100 || code > 599) {
				errno = EPROTO;
				return -1;
			}
			return code;
		}
		if (c->len == sizeof(c->buf)) { /* an over-long line: keep its end */
			c->len = 0;
		}
		if (wait_io(c->fd, POLLIN, ms) < 0)
			return -1;
		{
			ssize_t r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				if (r == 0)
					errno = ECONNRESET;
				return -1;
			}
			c->len += (size_t)r;
		}
	}
}

static int dial(const struct job *j)
{
	struct addrinfo hints, *res = NULL, *ai;
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(j->host, j->port, &hints, &res) != 0) {
		errno = EHOSTUNREACH;
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		int soerr = 0;
		socklen_t l = sizeof(soerr);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    (errno == EINPROGRESS && wait_io(fd, POLLOUT, CONNECT_MS) == 0 &&
		     getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l) == 0 && soerr == 0))
			break;
		if (soerr != 0)
			errno = soerr;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* The message, dot-stuffed with CRLF line ends and the final ".". */
static char *data_of(const char *text, size_t *outlen)
{
	size_t n = strlen(text), cap = n * 2 + 8, o = 0;
	char *out = malloc(cap);
	bool bol = true;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char ch = text[i];

		if (bol && ch == '.')
			out[o++] = '.';
		if (ch == '\n') {
			if (o == 0 || out[o - 1] != '\r')
				out[o++] = '\r';
			out[o++] = '\n';
			bol = true;
			continue;
		}
		out[o++] = ch;
		bol = false;
	}
	if (!bol) {
		out[o++] = '\r';
		out[o++] = '\n';
	}
	memcpy(out + o, ".\r\n", 3);
	*outlen = o + 3;
	return out;
}

static void *submit_thread(void *arg)
{
	struct job *j = arg;
	struct conn c = {.fd = -1, .len = 0};
	char line[512] = "", cmd[1200], host[256] = "localhost";
	const char *step = "connect";
	char *data = NULL;
	size_t dlen;
	int code;

	if ((c.fd = dial(j)) < 0)
		goto fail;
	step = "greeting";
	if ((code = reply(&c, REPLY_MS, line, sizeof(line))) != 220)
		goto bad;
	if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
		strcpy(host, "localhost");
	step = "EHLO";
	snprintf(cmd, sizeof(cmd), "EHLO %s\r\n", host);
	if (send_all(&c, cmd, strlen(cmd)) < 0)
		goto fail;
	if ((code = reply(&c, REPLY_MS, line, sizeof(line))) != 250)
		goto bad;
	step = "MAIL FROM";
	snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>\r\n", strcmp(j->from, "<>") == 0 ? "" : j->from);
	if (send_all(&c, cmd, strlen(cmd)) < 0)
		goto fail;
	if ((code = reply(&c, REPLY_MS, line, sizeof(line))) != 250)
		goto bad;
	step = "RCPT TO";
	snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>\r\n", j->rcpt);
	if (send_all(&c, cmd, strlen(cmd)) < 0)
		goto fail;
	if ((code = reply(&c, REPLY_MS, line, sizeof(line))) != 250 && code != 251)
		goto bad;
	step = "DATA";
	if (send_all(&c, "DATA\r\n", 6) < 0)
		goto fail;
	if ((code = reply(&c, REPLY_MS, line, sizeof(line))) != 354)
		goto bad;
	step = "end of data";
	if ((data = data_of(j->text, &dlen)) == NULL) {
		errno = ENOMEM;
		goto fail;
	}
	if (send_all(&c, data, dlen) < 0)
		goto fail;
	if ((code = reply(&c, DATA_END_MS, line, sizeof(line))) != 250)
		goto bad;
	em_log(LOG_INFO, "%s: %s notice to %s accepted by %s: %s%s", j->qid, j->what, j->rcpt,
	       j->hostport, line, j->note);
	(void)send_all(&c, "QUIT\r\n", 6);
	goto out;
bad:
	if (code < 0)
		goto fail;
	em_log(LOG_ERR, "%s: %s notice to %s not sent: %s refused %s: %s", j->qid, j->what, j->rcpt,
	       j->hostport, step, line);
	(void)send_all(&c, "QUIT\r\n", 6);
	goto out;
fail:
	em_log(LOG_ERR, "%s: %s notice to %s not sent: SMTP %s to %s failed: %s", j->qid, j->what,
	       j->rcpt, step, j->hostport, errno == ETIMEDOUT ? "timed out" : strerror(errno));
out:
	if (c.fd >= 0)
		close(c.fd);
	free(data);
	job_free(j);
	return NULL;
}

/* Splits "host:port", "[v6]:port" or "host" (port 25). */
static int split_hostport(const char *hp, char **host, char **port)
{
	const char *colon;

	if (hp[0] == '[') {
		const char *close = strchr(hp, ']');

		if (close == NULL)
			return -1;
		*host = strndup(hp + 1, (size_t)(close - hp - 1));
		*port = strdup(close[1] == ':' ? close + 2 : "25");
	} else if ((colon = strrchr(hp, ':')) != NULL && strchr(hp, ':') == colon) {
		*host = strndup(hp, (size_t)(colon - hp));
		*port = strdup(colon + 1);
	} else {
		*host = strdup(hp);
		*port = strdup("25");
	}
	return *host && *port ? 0 : -1;
}

int em_submit_start(const char *hostport, const char *env_from, const char *rcpt, const char *text,
		    const char *qid, const char *what, const char *note)
{
	struct job *j = calloc(1, sizeof(*j));
	pthread_attr_t at;
	pthread_t tid;
	int rc;

	if (j == NULL)
		return -1;
	if (split_hostport(hostport, &j->host, &j->port) < 0 ||
	    (j->from = strdup(env_from ? env_from : "<>")) == NULL ||
	    (j->rcpt = strdup(rcpt)) == NULL || (j->text = strdup(text)) == NULL ||
	    (j->qid = strdup(qid ? qid : "unknown")) == NULL ||
	    (j->what = strdup(what ? what : "")) == NULL ||
	    (j->hostport = strdup(hostport)) == NULL ||
	    (j->note = strdup(note ? note : "")) == NULL) {
		job_free(j);
		return -1;
	}
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &at, submit_thread, j);
	pthread_attr_destroy(&at);
	if (rc != 0) {
		job_free(j);
		errno = rc;
		return -1;
	}
	return 0;
}
