/*
 * prefork - the pre-forked extractor (extract.prefork) through the real
 * adapter (em_extract) and the real embargo-extract in its real sandbox,
 * driven from one process as the daemon drives it. Each check prints "ok" or
 * "FAIL" with what it saw; exit 1 when any failed. Run by tests/extract/run.sh
 * once with the test configuration's sandbox (bubblewrap here) and once with
 * sandbox = "basic".
 *
 *   prefork CONFIG FIXTURES_DIR
 *
 * 1. A job child's sandbox, read from /proc while it works on a PDF that never
 *    ends: seccomp filter mode, no_new_privs, its own network namespace, the
 *    job's RLIMIT_CPU / RLIMIT_AS / RLIMIT_NOFILE and no core.
 * 2. That child killed with SIGSEGV (a crash): its attachment is unreadable
 *    ("crashed"), the next attachment through the same server is read.
 * 3. Two concurrent extractions: the never-ending PDF and a .doc started after
 *    it; the .doc is read and finishes first, the PDF ends at its time limit;
 *    the same server served both.
 * 4. The server killed with SIGKILL: the following attachments are still
 *    read (by a spawned process meanwhile, then a new server), and a new
 *    server runs.
 * 5. A server that cannot start (extract.program = /bin/false): the
 *    attachment is unreadable, never skipped.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../milter/adapt/em_config.h"
#include "../../milter/adapt/em_extract.h"

static int failed;
static const struct em_extract_conf *conf;
static const char *fixtures;
static atomic_int finished; /* completion order */

struct result {
	const char *file;
	char text[8192];
	size_t text_len;
	char why[512];
	int rc;
	int order;
};

static void check(int ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "ok  " : "FAIL", what, detail && *detail ? ": " : "",
	       detail ? detail : "");
	if (!ok)
		failed++;
}

static void s_text(void *c, const char *w, const char *t, size_t n)
{
	struct result *r = c;
	size_t room = sizeof(r->text) - 1 - r->text_len;

	memcpy(r->text + r->text_len, t, n < room ? n : room);
	r->text_len += n < room ? n : room;
	r->text[r->text_len] = '\0';
}

static void s_file(void *c, const char *w, const char *t, size_t n)
{
}

static void s_unr(void *c, const char *w, const char *why)
{
	struct result *r = c;

	snprintf(r->why, sizeof(r->why), "%s", why);
}

static void *extract_one(void *arg)
{
	struct result *r = arg;
	char path[4096];
	struct stat st;
	char *data;
	int fd;
	struct em_extract *x = em_extract_new(conf);
	const struct em_extractor *e = em_extract_extractor(x);
	struct em_extract_sink sink = {r, s_text, s_file, s_file, s_unr};

	snprintf(path, sizeof(path), "%s/%s", fixtures, r->file);
	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0 ||
	    (data = malloc((size_t)st.st_size)) == NULL ||
	    read(fd, data, (size_t)st.st_size) != st.st_size) {
		fprintf(stderr, "prefork: cannot read %s\n", path);
		exit(2);
	}
	close(fd);
	r->rc = e->extract(e->ctx, "attachment:x", r->file, em_sniff(data, (size_t)st.st_size),
			   data, (size_t)st.st_size, &sink);
	r->order = ++finished;
	free(data);
	em_extract_free(x);
	return NULL;
}

static void run(struct result *r, const char *file)
{
	memset(r, 0, sizeof(*r));
	r->file = file;
	extract_one(r);
}

/* ---- /proc ---------------------------------------------------------------- */

static pid_t ppid_of(pid_t pid, char *comm, size_t cap)
{
	char p[64], buf[512], *rp;
	FILE *f;
	pid_t pp = -1;

	snprintf(p, sizeof(p), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(p, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')) != NULL) {
		char *lp = strchr(buf, '(');

		if (lp && comm) {
			size_t n = (size_t)(rp - lp - 1);

			snprintf(comm, cap, "%.*s", (int)(n < cap ? n : cap - 1), lp + 1);
		}
		pp = (pid_t)strtol(rp + 4, NULL, 10); /* ") S PPID" */
	}
	fclose(f);
	return pp;
}

/* Is pid a descendant of top? */
static int below(pid_t pid, pid_t top)
{
	for (int i = 0; i < 16 && pid > 1; i++) {
		pid = ppid_of(pid, NULL, 0);
		if (pid == top)
			return 1;
	}
	return 0;
}

/* The server process (want_child = 0) or a job child (1) below the
 * adapter's server process `top`: embargo-extract whose parent is not / is
 * embargo-extract. 0 when none. */
static pid_t find(pid_t top, int want_child)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t got = 0;

	while (d && (e = readdir(d)) != NULL && got == 0) {
		char comm[64], pcomm[64];
		pid_t pid, pp;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)atol(e->d_name);
		if ((pp = ppid_of(pid, comm, sizeof(comm))) <= 0 ||
		    strcmp(comm, "embargo-extract") != 0 || (pid != top && !below(pid, top)))
			continue;
		pcomm[0] = '\0';
		ppid_of(pp, pcomm, sizeof(pcomm));
		if ((strcmp(pcomm, "embargo-extract") == 0) == want_child)
			got = pid;
	}
	if (d)
		closedir(d);
	return got;
}

static pid_t wait_child(pid_t top)
{
	struct timespec ts = {0, 50 * 1000 * 1000};

	for (int i = 0; i < 400; i++) { /* bounded: 20 s */
		pid_t c = find(top, 1);

		if (c > 0)
			return c;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static int proc_has(pid_t pid, const char *file, const char *needle)
{
	char p[64], buf[8192];
	int fd;
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/%ld/%s", (long)pid, file);
	if ((fd = open(p, O_RDONLY)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	/* /proc/PID/limits pads with spaces: compare with runs of spaces as one */
	for (char *s = buf, *d = buf;; s++) {
		if (*s == ' ' && d > buf && d[-1] == ' ')
			continue;
		if ((*d++ = *s) == '\0')
			break;
	}
	return strstr(buf, needle) != NULL;
}

static int same_netns(pid_t pid)
{
	char a[128] = "", b[128] = "", p[64];

	snprintf(p, sizeof(p), "/proc/%ld/ns/net", (long)pid);
	if (readlink(p, a, sizeof(a) - 1) < 0 ||
	    readlink("/proc/self/ns/net", b, sizeof(b) - 1) < 0)
		return 1;
	return strcmp(a, b) == 0;
}

int main(int argc, char **argv)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg;
	struct result a, b;
	pthread_t ta, tb;
	pid_t top, srv, kid;
	char detail[1024];

	if (argc != 3) {
		fprintf(stderr, "usage: prefork CONFIG FIXTURES_DIR\n");
		return 2;
	}
	if ((cfg = em_config_load(argv[1], &errs)) == NULL) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.v[i]);
		return 2;
	}
	conf = &cfg->extract;
	fixtures = argv[2];
	printf("prefork: %s, sandbox %s\n", argv[1], em_extract_sandbox(conf));
	if (!conf->prefork) {
		fprintf(stderr, "prefork: the configuration must have extract.prefork = true\n");
		return 2;
	}

	/* 0. the first attachment starts the server */
	run(&a, "leak.doc");
	top = em_extract_server_pid();
	snprintf(detail, sizeof(detail), "server %ld, rc %d, %s", (long)top, a.rc, a.why);
	check(top > 0 && a.rc == 0 && strstr(a.text, "fostering households fell"),
	      "the first attachment starts a server and is read", detail);

	/* 1 + 2. a job child's sandbox, then a crash */
	memset(&a, 0, sizeof(a));
	a.file = "loop.pdf";
	pthread_create(&ta, NULL, extract_one, &a);
	kid = wait_child(top);
	check(kid > 0, "a job child of the server is found in /proc", NULL);
	if (kid > 0) {
		char lim[128];

		check(proc_has(kid, "status", "Seccomp:\t2"), "the job child runs under seccomp",
		      NULL);
		check(proc_has(kid, "status", "NoNewPrivs:\t1"), "the job child has no_new_privs",
		      NULL);
		check(!same_netns(kid), "the job child has its own network namespace", NULL);
		snprintf(lim, sizeof(lim), "Max cpu time %u %u seconds", conf->cpu_seconds,
			 conf->cpu_seconds + 1);
		check(proc_has(kid, "limits", lim), "the job child has the job's RLIMIT_CPU", lim);
		snprintf(lim, sizeof(lim), "Max address space %llu %llu bytes",
			 (unsigned long long)conf->memory_mb << 20,
			 (unsigned long long)conf->memory_mb << 20);
		check(proc_has(kid, "limits", lim), "the job child has the job's RLIMIT_AS", lim);
		check(proc_has(kid, "limits", "Max open files 64 64 files"),
		      "the job child has RLIMIT_NOFILE 64", NULL);
		check(proc_has(kid, "limits", "Max core file size 0 0 bytes"),
		      "the job child writes no core", NULL);
		kill(kid, SIGSEGV);
	}
	pthread_join(ta, NULL);
	check(a.rc != 0 && strstr(a.why, "crashed (signal 11)"),
	      "a crashing attachment is unreadable", a.why);
	run(&b, "leak.pdf");
	snprintf(detail, sizeof(detail), "rc %d, %s, server %ld then %ld", b.rc, b.why, (long)top,
		 (long)em_extract_server_pid());
	check(b.rc == 0 && strstr(b.text, "fostering households fell") &&
		  em_extract_server_pid() == top,
	      "after the crash the same server reads the next attachment", detail);

	/* 3. two at once: a hang and an ordinary file */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.file = "loop.pdf";
	b.file = "leak.doc";
	pthread_create(&ta, NULL, extract_one, &a);
	if (wait_child(top) == 0)
		check(0, "the never-ending PDF's child is found", NULL);
	pthread_create(&tb, NULL, extract_one, &b);
	pthread_join(tb, NULL);
	pthread_join(ta, NULL);
	snprintf(detail, sizeof(detail), "doc rc %d order %d; pdf rc %d order %d (%s)", b.rc,
		 b.order, a.rc, a.order, a.why);
	check(b.rc == 0 && strstr(b.text, "fostering households fell") && b.order < a.order,
	      "an attachment extracted beside a hanging one is read, and first", detail);
	check(a.rc != 0 && (strstr(a.why, "time limit") || strstr(a.why, "CPU limit")),
	      "the hanging attachment ends at its limit", a.why);
	check(em_extract_server_pid() == top, "the same server served both", NULL);

	/* 4. the server killed -9 */
	srv = find(top, 0);
	check(srv > 0, "the server process is found", NULL);
	if (srv > 0)
		kill(srv, SIGKILL);
	for (int i = 0; i < 3; i++) {
		char what[128];

		run(&b, i % 2 ? "leak.pdf" : "leak.doc");
		snprintf(what, sizeof(what), "attachment %d after the server was killed is read",
			 i + 1);
		snprintf(detail, sizeof(detail), "rc %d %s", b.rc, b.why);
		check(b.rc == 0 && strstr(b.text, "fostering households fell"), what, detail);
	}
	snprintf(detail, sizeof(detail), "old %ld, now %ld", (long)top,
		 (long)em_extract_server_pid());
	check(em_extract_server_pid() > 0 && em_extract_server_pid() != top,
	      "a new server was started", detail);
	em_extract_shutdown();
	check(em_extract_server_pid() == 0, "shutdown stops the server", NULL);

	/* 5. a server that cannot start: never a silent pass */
	free(cfg->extract.program);
	cfg->extract.program = strdup("/bin/false");
	run(&b, "leak.doc");
	check(b.rc != 0 && b.why[0] && em_extract_server_pid() == 0,
	      "with no server and no extractor the attachment is unreadable", b.why);
	em_extract_shutdown();
	em_config_free(cfg);
	printf("prefork: %d failed\n", failed);
	return failed ? 1 : 0;
}
