/*
 * ctl_partial - release to chosen recipients only (see ctl_partial.h).
 */
#define _GNU_SOURCE
#include "ctl_partial.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../adapt/em_reltoken.h"
#include "../core/em_addr.h"

#define ADDR_MAX 512

void em_ctl_strv_free(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

int em_ctl_rcpts_split(const char *text, char ***out, size_t *n)
{
	char **v = NULL;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	for (const char *p = text; p && *p;) {
		size_t len = strcspn(p, "\n");
		char **nv;

		if (len > 0) {
			if ((nv = realloc(v, (k + 1) * sizeof(*v))) == NULL ||
			    (nv[k] = strndup(p, len)) == NULL) {
				em_ctl_strv_free(nv ? nv : v, k);
				return -1;
			}
			v = nv;
			k++;
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	*out = v;
	*n = k;
	return 0;
}

int em_ctl_rcpts_check(const struct em_store_row *row, char *const *chosen, size_t n, bool *all,
		       char *bad, size_t badsz)
{
	char a[ADDR_MAX], b[ADDR_MAX];
	size_t covered = 0;

	*all = false;
	if (n == 0) {
		snprintf(bad, badsz, "(none)");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		em_addr_canon(chosen[i], a, sizeof(a));
		for (size_t j = 0; j < row->nrcpts && !found; j++)
			found = strcmp(a, em_addr_canon(row->rcpts[j], b, sizeof(b))) == 0;
		if (!found) {
			snprintf(bad, badsz, "%s", chosen[i]);
			return -1;
		}
	}
	for (size_t j = 0; j < row->nrcpts; j++) {
		bool found = false;

		em_addr_canon(row->rcpts[j], b, sizeof(b));
		for (size_t i = 0; i < n && !found; i++)
			found = strcmp(b, em_addr_canon(chosen[i], a, sizeof(a))) == 0;
		covered += found;
	}
	*all = covered == row->nrcpts;
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Writes the token header, then the stored message from path, leaving out
 * any X-Embargo-Release header (and its continuation lines) the original
 * itself carried: the milter believes exactly one. 0 or -1.
 */
static int feed(int fd, const char *token, const char *path)
{
	static const char name[] = EM_RELTOKEN_HEADER ":";
	FILE *in;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	bool in_head = true, skipping = false;
	int rc = 0;

	if (dprintf(fd, EM_RELTOKEN_HEADER ": %s\n", token) < 0)
		return -1;
	if ((in = fopen(path, "re")) == NULL)
		return -1;
	while (rc == 0 && (n = getline(&line, &cap, in)) > 0) {
		if (in_head) {
			if (line[0] == '\n' || (line[0] == '\r' && line[1] == '\n')) {
				in_head = false;
				skipping = false;
			} else if (line[0] == ' ' || line[0] == '\t') {
				if (skipping)
					continue; /* a continuation of the left-out header */
			} else {
				skipping = strncasecmp(line, name, sizeof(name) - 1) == 0;
				if (skipping)
					continue;
			}
		}
		rc = write_all(fd, line, (size_t)n);
	}
	if (ferror(in))
		rc = -1;
	free(line);
	fclose(in);
	return rc;
}

int em_ctl_submit_copy(const struct em_config *cfg, bool sendmail_mta, const char *postfix_dir,
		       const struct em_store_row *row, char *const *chosen, size_t n, char *err,
		       size_t errsz)
{
	char token[EM_RELTOKEN_SIZE], sender[ADDR_MAX];
	const char *bin = getenv("EMBARGO_SENDMAIL");
	const char **argv = NULL;
	int pfd[2], status, fed;
	size_t i = 0;
	pid_t pid;
	void (*old)(int);

	if (row->eml_path == NULL || access(row->eml_path, R_OK) < 0) {
		snprintf(err, errsz, "the stored message of record %s is not readable", row->id);
		return -1;
	}
	if (bin == NULL || *bin == '\0')
		bin = cfg->sendmail_path ? cfg->sendmail_path : "/usr/sbin/sendmail";
	if ((argv = calloc(n + 10, sizeof(*argv))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	em_addr_canon(row->sender ? row->sender : "", sender, sizeof(sender));
	argv[i++] = bin;
	if (sendmail_mta ? cfg->sendmail_cf != NULL : postfix_dir != NULL) {
		argv[i++] = "-C";
		argv[i++] = sendmail_mta ? cfg->sendmail_cf : postfix_dir;
	}
	argv[i++] = "-i";
	argv[i++] = "-f";
	argv[i++] = sender;
	argv[i++] = "--";
	for (size_t k = 0; k < n; k++)
		argv[i++] = chosen[k];
	argv[i] = NULL;
	if (em_reltoken_issue(cfg->quarantine_dir, row->id, (const char *const *)chosen, n,
			      time(NULL), token, err, errsz) < 0) {
		free(argv);
		return -1;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		snprintf(err, errsz, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		goto fail;
	}
	if (pid == 0) {
		if (dup2(pfd[0], STDIN_FILENO) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			_exit(127);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "embargoctl: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	old = signal(SIGPIPE, SIG_IGN); /* a sendmail that dies early is seen by its status */
	fed = feed(pfd[1], token, row->eml_path);
	close(pfd[1]);
	signal(SIGPIPE, old);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	if (fed < 0 || status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errsz, "%s did not accept the copy (%s)", bin,
			 fed < 0 ? "could not feed the message" : "non-zero exit");
		goto fail;
	}
	free(argv);
	return 0;
fail:
	em_reltoken_drop(cfg->quarantine_dir, token);
	free(argv);
	return -1;
}
