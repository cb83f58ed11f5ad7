/*
 * bench_extract - what extraction costs: runs one file through the adapter
 * (em_extract: the sandboxed embargo-extract) RUNS times and prints the mean
 * wall-clock and CPU (the children's user + system) milliseconds per
 * attachment and the bytes of text/files it returned. On a loaded machine
 * quote the CPU figures: wall time then mostly measures waiting for a core. With --direct, the same
 * program is fork/exec'ed without any sandbox or limit (the baseline the sandbox overhead is
 * measured against). bench_extract CONFIG FILE RUNS [--direct]
 *
 * With extract.prefork = true (the default) one warm-up attachment starts
 * the server first (not counted: a once-per-daemon cost); the CPU is then
 * the server's and its reaped job children's, read from /proc/PID/stat of the
 * server (the basic sandbox: it is our child; under bwrap the server is
 * inside bwrap's pid namespace and its CPU is not seen, as without prefork).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../milter/adapt/em_config.h"
#include "../../milter/adapt/em_extract.h"

static size_t got;
static unsigned unreadable;

static void s_text(void *c, const char *w, const char *t, size_t n)
{
	got += n;
}
static void s_file(void *c, const char *w, const char *t, size_t n)
{
	got += n;
}
static void s_unr(void *c, const char *w, const char *why)
{
	if (unreadable++ == 0)
		fprintf(stderr, "unreadable: %s\n", why);
}

/* CPU seconds (user + system) of the children waited for so far. */
static double child_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* CPU seconds of the pre-forked server process and its reaped children. */
static double server_cpu(void)
{
	char p[64], buf[1024], *rp;
	FILE *f;
	double t = 0;
	pid_t pid = em_extract_server_pid();

	if (pid <= 0)
		return 0;
	snprintf(p, sizeof(p), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(p, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')) != NULL) {
		unsigned long long v[4];

		/* fields 14-17 (utime stime cutime cstime) follow 11 after ") " */
		if (sscanf(rp + 2,
			   "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu %llu %llu", &v[0],
			   &v[1], &v[2], &v[3]) == 4)
			t = (double)(v[0] + v[1] + v[2] + v[3]) / (double)sysconf(_SC_CLK_TCK);
	}
	fclose(f);
	return t;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void direct(const char *prog, const char *data, size_t len)
{
	int fd = memfd_create("in", 0), p[2], st;
	char buf[65536];
	ssize_t r;
	pid_t pid;

	if (fd < 0 || write(fd, data, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0 ||
	    pipe(p) < 0)
		exit(2);
	if ((pid = fork()) == 0) {
		dup2(fd, 0);
		dup2(p[1], 1);
		close(p[0]);
		execl(prog, prog, "--ocr", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((r = read(p[0], buf, sizeof(buf))) > 0)
		got += (size_t)r;
	close(p[0]);
	close(fd);
	waitpid(pid, &st, 0);
}

int main(int argc, char **argv)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *cfg;
	struct stat st;
	char *data, prog[4096];
	int fd, runs;
	bool direct_run;
	double t0, t, c0, c;

	if (argc < 4) {
		fprintf(stderr, "usage: bench_extract CONFIG FILE RUNS [--direct]\n");
		return 2;
	}
	if ((cfg = em_config_load(argv[1], &errs)) == NULL) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.v[i]);
		return 2;
	}
	runs = atoi(argv[3]);
	if ((fd = open(argv[2], O_RDONLY)) < 0 || fstat(fd, &st) < 0 ||
	    (data = malloc((size_t)st.st_size + 1)) == NULL ||
	    read(fd, data, (size_t)st.st_size) != st.st_size)
		return 2;
	em_extract_program(&cfg->extract, prog, sizeof(prog));
	em_extract_sandbox(&cfg->extract); /* the one-off probe is not counted */
	direct_run = argc > 4 && strcmp(argv[4], "--direct") == 0;
	if (!direct_run && cfg->extract.prefork) { /* starts the server, not counted */
		struct em_extract *x = em_extract_new(&cfg->extract);
		const struct em_extractor *e = em_extract_extractor(x);
		struct em_extract_sink sink = {NULL, s_text, s_file, s_file, s_unr};

		e->extract(e->ctx, "attachment:f", argv[2], em_sniff(data, (size_t)st.st_size),
			   data, (size_t)st.st_size, &sink);
		em_extract_free(x);
		got = 0;
	}
	t0 = now();
	c0 = child_cpu() + server_cpu();
	for (int i = 0; i < runs; i++) {
		if (direct_run) {
			direct(prog, data, (size_t)st.st_size);
		} else {
			struct em_extract *x = em_extract_new(&cfg->extract);
			const struct em_extractor *e = em_extract_extractor(x);
			struct em_extract_sink sink = {NULL, s_text, s_file, s_file, s_unr};

			e->extract(e->ctx, "attachment:f", argv[2],
				   em_sniff(data, (size_t)st.st_size), data, (size_t)st.st_size,
				   &sink);
			em_extract_free(x);
		}
	}
	t = (now() - t0) / runs;
	c = (child_cpu() + server_cpu() - c0) / runs;
	em_extract_shutdown();
	printf("%-18s %8zu bytes %8.1f ms wall %8.1f ms CPU/attachment %7.2f MB/s(CPU) %9zu bytes "
	       "out%s\n",
	       strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2], (size_t)st.st_size,
	       t * 1000, c * 1000, c > 0 ? (double)st.st_size / c / 1e6 : 0.0, got / (size_t)runs,
	       unreadable ? "  (unreadable)" : "");
	free(data);
	em_config_free(cfg);
	return 0;
}
