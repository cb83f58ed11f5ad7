/*
 * em_extract - runs the sandboxed extractor per attachment (see em_extract.h).
 *
 * Between fork and exec the child only makes async-signal-safe calls
 * (the daemon is multi-threaded): every argument vector, the environment and
 * the seccomp program are built before fork.
 */
#define _GNU_SOURCE
#include "em_extract.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/em_buf.h"
#include "../extract/ex_proto.h"

#ifndef EM_EXTRACT_PATH
#define EM_EXTRACT_PATH "/usr/lib/embargo-milter/embargo-extract"
#endif
#define BWRAP_PATH "/usr/bin/bwrap"
#define NPROC_LIMIT 512
#define NOFILE_LIMIT 64
#define SERVER_NOFILE 1024 /* a status pipe per job in flight (ex_proto.h) */

struct em_extract {
	const struct em_extract_conf *c;
	struct em_extractor iface;
	unsigned runs;
	double seconds; /* wall clock spent in extractors for this message */
	char program[4096];
	bool exhausted; /* the per-message budget was spent (said once) */
};

/* ---- the process-wide probe and seccomp program ------------------------- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct sock_filter *bpf; /* the seccomp program, NULL when none */
static size_t bpf_len;		/* instructions */
static bool bwrap_ok;		/* bwrap --unshare-all runs here */
static bool netns_ok;		/* a private network namespace is possible (basic) */

/* Syscalls an extractor never needs; socket() other than AF_UNIX fails. */
static void build_seccomp(void)
{
	static const int deny[] = {
	    SCMP_SYS(ptrace),
	    SCMP_SYS(mount),
	    SCMP_SYS(umount2),
	    SCMP_SYS(pivot_root),
	    SCMP_SYS(chroot),
	    SCMP_SYS(setns),
	    SCMP_SYS(unshare),
	    SCMP_SYS(keyctl),
	    SCMP_SYS(add_key),
	    SCMP_SYS(request_key),
	    SCMP_SYS(bpf),
	    SCMP_SYS(perf_event_open),
	    SCMP_SYS(kexec_load),
	    SCMP_SYS(init_module),
	    SCMP_SYS(finit_module),
	    SCMP_SYS(delete_module),
	    SCMP_SYS(process_vm_readv),
	    SCMP_SYS(process_vm_writev),
	    SCMP_SYS(userfaultfd),
	    SCMP_SYS(swapon),
	    SCMP_SYS(swapoff),
	    SCMP_SYS(reboot),
	    SCMP_SYS(connect),
	    SCMP_SYS(bind),
	    SCMP_SYS(listen),
	    SCMP_SYS(accept),
	    SCMP_SYS(accept4),
	    SCMP_SYS(sendto),
	    SCMP_SYS(sendmsg),
	    SCMP_SYS(sendmmsg),
	};
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	int fd = -1;
	struct stat st;
	bool ok = f != NULL;

	for (size_t i = 0; ok && i < sizeof(deny) / sizeof(deny[0]); i++)
		ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), deny[i], 0) == 0;
	if (ok)
		ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
				      SCMP_A0(SCMP_CMP_NE, AF_UNIX)) == 0;
	if (ok && (fd = memfd_create("em-seccomp", MFD_CLOEXEC)) >= 0 &&
	    seccomp_export_bpf(f, fd) == 0 && fstat(fd, &st) == 0 && st.st_size > 0 &&
	    (bpf = malloc((size_t)st.st_size)) != NULL &&
	    pread(fd, bpf, (size_t)st.st_size, 0) == st.st_size)
		bpf_len = (size_t)st.st_size / sizeof(struct sock_filter);
	else {
		free(bpf);
		bpf = NULL;
	}
	if (fd >= 0)
		close(fd);
	if (f)
		seccomp_release(f);
}

static int run_quiet(char *const argv[], bool try_netns)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
		}
		if (try_netns)
			_exit(unshare(geteuid() == 0 ? CLONE_NEWNET
						     : CLONE_NEWUSER | CLONE_NEWNET) == 0
				  ? 0
				  : 1);
		if (argv == NULL) { /* can the seccomp program be loaded here? */
			struct sock_fprog prog = {(unsigned short)bpf_len, bpf};

			_exit(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
				      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0
				  ? 0
				  : 1);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void probe(void)
{
	char *argv[] = {BWRAP_PATH,
			"--unshare-all",
			"--die-with-parent",
			"--new-session",
			"--ro-bind",
			"/usr",
			"/usr",
			"--symlink",
			"usr/lib",
			"/lib",
			"--symlink",
			"usr/lib64",
			"/lib64",
			"--symlink",
			"usr/bin",
			"/bin",
			"--ro-bind-try",
			"/etc/ld.so.cache",
			"/etc/ld.so.cache",
			"--proc",
			"/proc",
			"--dev",
			"/dev",
			"--tmpfs",
			"/tmp",
			"--",
			"/usr/bin/true",
			NULL};

	build_seccomp();
	if (bpf && run_quiet(NULL, false) != 0) { /* e.g. a service manager forbids it */
		free(bpf);
		bpf = NULL;
	}
	bwrap_ok = access(BWRAP_PATH, X_OK) == 0 && run_quiet(argv, false) == 0;
	netns_ok = run_quiet(argv, true) == 0;
}

static bool use_bwrap(const struct em_extract_conf *c)
{
	pthread_once(&once, probe);
	return c->sandbox == EM_SANDBOX_BWRAP || (c->sandbox == EM_SANDBOX_AUTO && bwrap_ok);
}

const char *em_extract_sandbox(const struct em_extract_conf *c)
{
	if (use_bwrap(c)) {
		if (!bwrap_ok)
			return "bubblewrap (configured, but it cannot run here: every attachment "
			       "that "
			       "needs extraction is unreadable)";
		return bpf ? "bubblewrap (all namespaces, no network; seccomp; rlimits)"
			   : "bubblewrap (all namespaces, no network; rlimits; no seccomp)";
	}
	if (netns_ok)
		return bpf ? "basic (private network namespace, no_new_privs, seccomp, rlimits)"
			   : "basic (private network namespace, no_new_privs, rlimits)";
	return bpf ? "basic (no_new_privs, seccomp without IP sockets, rlimits; no namespace)"
		   : "basic (no_new_privs, rlimits only: weak)";
}

static char default_program[4096];
static pthread_once_t default_program_once = PTHREAD_ONCE_INIT;

static void find_default_program(void)
{
	char *buf = default_program, self[sizeof(default_program) - 32];
	size_t cap = sizeof(default_program);
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			snprintf(buf, cap, "%s/embargo-extract", self);
			if (access(buf, X_OK) == 0)
				return;
		}
	}
	/* the path this build was configured for, then the usual prefixes */
	snprintf(buf, cap, "%s", EM_EXTRACT_PATH);
	if (access(buf, X_OK) != 0 && access("/usr/lib/embargo-milter/embargo-extract", X_OK) == 0)
		snprintf(buf, cap, "/usr/lib/embargo-milter/embargo-extract");
	else if (access(buf, X_OK) != 0 &&
		 access("/usr/local/lib/embargo-milter/embargo-extract", X_OK) == 0)
		snprintf(buf, cap, "/usr/local/lib/embargo-milter/embargo-extract");
}

const char *em_extract_program(const struct em_extract_conf *c, char *buf, size_t cap)
{
	if (c->program) {
		snprintf(buf, cap, "%s", c->program);
		return buf;
	}
	/* looked for once per process: every session made it (readlink and
	 * access per message, seen in strace of the daemon under load) */
	pthread_once(&default_program_once, find_default_program);
	snprintf(buf, cap, "%s", default_program);
	return buf;
}

/* ---- the record stream --------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int em_extract_parse(const char *d, size_t n, const struct em_extract_sink *sink, const char **err)
{
	const unsigned char *u = (const unsigned char *)d;
	size_t i = 0;
	char name[EX_NAME_MAX + 1];

	*err = NULL;
	while (i < n) {
		uint32_t nl, bl;
		char type;
		const char *body;

		if (n - i < EX_HDR_LEN)
			return 1;
		type = (char)u[i];
		nl = be32(u + i + 1);
		bl = be32(u + i + 5);
		if (nl > EX_NAME_MAX) {
			*err = "record name too long";
			return -1;
		}
		if (!strchr("TMFUIE", type) || type == '\0') {
			*err = "unknown record type";
			return -1;
		}
		if (n - i - EX_HDR_LEN < (size_t)nl + bl)
			return 1; /* cut short: a kill at a limit */
		memcpy(name, d + i + EX_HDR_LEN, nl);
		name[nl] = '\0';
		if (memchr(name, '\0', nl) != NULL) {
			*err = "NUL in a record name";
			return -1;
		}
		body = d + i + EX_HDR_LEN + nl;
		i += EX_HDR_LEN + (size_t)nl + bl;
		switch (type) {
		case 'T':
			sink->text(sink->ctx, name, body, bl);
			break;
		case 'M':
			sink->message(sink->ctx, name, body, bl);
			break;
		case 'F':
			sink->file(sink->ctx, nl ? name : "member", body, bl);
			break;
		case 'U': {
			char why[512];
			size_t wl = bl < sizeof(why) - 1 ? bl : sizeof(why) - 1;

			memcpy(why, body, wl);
			why[wl] = '\0';
			for (size_t k = 0; k < wl; k++)
				if ((unsigned char)why[k] < 0x20)
					why[k] = ' ';
			sink->unreadable(sink->ctx, name, why);
			break;
		}
		case 'I':
			break;
		case 'E':
			if (i != n) {
				*err = "data after the end record";
				return -1;
			}
			return 0;
		}
	}
	return 1;
}

/* ---- one run ------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Everything the child needs, built before fork. */
struct spawn {
	char *argv[80];
	int argc;
	char *envp[8];
	struct rlimit cpu, as, fsize, nofile, nproc, core;
	bool bwrap, netns;
	int in_fd, out_fd, bpf_fd;
	char num[4][32];
};

static void add(struct spawn *sp, const char *a)
{
	if (sp->argc < (int)(sizeof(sp->argv) / sizeof(sp->argv[0])) - 1)
		sp->argv[sp->argc++] = (char *)a;
	sp->argv[sp->argc] = NULL;
}

static void child(const struct spawn *sp)
{
	struct sock_fprog prog = {(unsigned short)bpf_len, bpf};
	int nul;

	setsid();
	dup2(sp->in_fd, 0);
	dup2(sp->out_fd, 1);
	nul = open("/dev/null", O_WRONLY);
	dup2(nul >= 0 ? nul : 1, 2);
	if (sp->bpf_fd >= 0) {
		dup2(sp->bpf_fd, 3);
		syscall(SYS_close_range, 4U, ~0U, 0U);
	} else {
		syscall(SYS_close_range, 3U, ~0U, 0U);
	}
	setrlimit(RLIMIT_CPU, &sp->cpu);
	setrlimit(RLIMIT_AS, &sp->as);
	setrlimit(RLIMIT_FSIZE, &sp->fsize);
	setrlimit(RLIMIT_NOFILE, &sp->nofile);
	setrlimit(RLIMIT_NPROC, &sp->nproc);
	setrlimit(RLIMIT_CORE, &sp->core);
	if (!sp->bwrap) {
		if (sp->netns &&
		    unshare(geteuid() == 0 ? CLONE_NEWNET : CLONE_NEWUSER | CLONE_NEWNET) != 0)
			_exit(126);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			_exit(126);
		if (bpf && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
			_exit(126);
	}
	execve(sp->argv[0], sp->argv, sp->envp);
	_exit(127);
}

static void build(const struct em_extract_conf *c, const char *program, struct spawn *sp,
		  const char *name, bool server)
{
	static char *env[] = {"PATH=/usr/bin:/bin", "HOME=/tmp",	  "TMPDIR=/tmp",
			      "LANG=C.UTF-8",	    "OMP_THREAD_LIMIT=1", NULL};

	memset(sp->envp, 0, sizeof(sp->envp));
	for (int i = 0; env[i]; i++)
		sp->envp[i] = env[i];
	sp->argc = 0;
	sp->bwrap = use_bwrap(c);
	sp->netns = netns_ok;
	if (sp->bwrap) {
		static const char *const a[] = {BWRAP_PATH,
						"--unshare-all",
						"--die-with-parent",
						"--new-session",
						"--cap-drop",
						"ALL",
						"--ro-bind",
						"/usr",
						"/usr",
						"--symlink",
						"usr/lib",
						"/lib",
						"--symlink",
						"usr/lib64",
						"/lib64",
						"--symlink",
						"usr/bin",
						"/bin",
						"--symlink",
						"usr/sbin",
						"/sbin",
						"--ro-bind-try",
						"/etc/ld.so.cache",
						"/etc/ld.so.cache",
						"--ro-bind-try",
						"/etc/alternatives",
						"/etc/alternatives",
						"--proc",
						"/proc",
						"--dev",
						"/dev",
						"--tmpfs",
						"/tmp",
						"--chdir",
						"/tmp",
						"--clearenv",
						"--setenv",
						"PATH",
						"/usr/bin:/bin",
						"--setenv",
						"HOME",
						"/tmp",
						"--setenv",
						"TMPDIR",
						"/tmp",
						"--setenv",
						"LANG",
						"C.UTF-8",
						"--setenv",
						"OMP_THREAD_LIMIT",
						"1",
						NULL};

		for (int i = 0; a[i]; i++)
			/* --die-with-parent follows the thread that forked bwrap, and
			 * the server outlives a milter thread: it ends instead when
			 * its control socket closes (ex_proto.h) */
			if (!server || strcmp(a[i], "--die-with-parent") != 0)
				add(sp, a[i]);
		if (strncmp(program, "/usr/", 5) != 0) {
			add(sp, "--ro-bind");
			add(sp, program);
			add(sp, program);
		}
		if (bpf) {
			add(sp, "--seccomp");
			add(sp, "3");
		}
		add(sp, "--");
	}
	add(sp, program);
	if (server) {
		add(sp, "--server");
		/* the server's own limits; each child lowers them to the job's */
		sp->cpu.rlim_cur = sp->cpu.rlim_max = RLIM_INFINITY;
		sp->as.rlim_cur = sp->as.rlim_max = (rlim_t)c->memory_mb << 20;
		sp->fsize.rlim_cur = sp->fsize.rlim_max = (rlim_t)c->file_mb << 20;
		sp->nofile.rlim_cur = sp->nofile.rlim_max = SERVER_NOFILE;
		sp->nproc.rlim_cur = sp->nproc.rlim_max = NPROC_LIMIT;
		sp->core.rlim_cur = sp->core.rlim_max = 0;
		return;
	}
	snprintf(sp->num[0], sizeof(sp->num[0]), "%zu", (size_t)c->output_mb << 20);
	snprintf(sp->num[1], sizeof(sp->num[1]), "%u", c->max_members);
	snprintf(sp->num[2], sizeof(sp->num[2]), "%lu",
		 (unsigned long)c->ocr_max_megapixels * 1000000ul);
	add(sp, "--max-output");
	add(sp, sp->num[0]);
	add(sp, "--max-members");
	add(sp, sp->num[1]);
	if (c->ocr) {
		add(sp, "--ocr");
		add(sp, "--ocr-max-pixels");
		add(sp, sp->num[2]);
	}
	if (name) {
		add(sp, "--name");
		add(sp, name);
	}
	sp->cpu.rlim_cur = c->cpu_seconds;
	sp->cpu.rlim_max = c->cpu_seconds + 1;
	sp->as.rlim_cur = sp->as.rlim_max = (rlim_t)c->memory_mb << 20;
	sp->fsize.rlim_cur = sp->fsize.rlim_max = (rlim_t)c->file_mb << 20;
	sp->nofile.rlim_cur = sp->nofile.rlim_max = NOFILE_LIMIT;
	sp->nproc.rlim_cur = sp->nproc.rlim_max = NPROC_LIMIT;
	sp->core.rlim_cur = sp->core.rlim_max = 0;
}

/* The bytes into a memory file the child reads as stdin (seekable). */
static int input_fd(const void *data, size_t len)
{
	int fd = memfd_create("em-extract-in", MFD_CLOEXEC);
	const char *p = data;
	size_t left = len;

	if (fd < 0)
		return -1;
	while (left > 0) {
		ssize_t w = write(fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Reads the record pipe fd into out until end of file, the deadline or the
 * output cap (cap bytes). Sets *killed_time or *killed_size when it stopped
 * for one of them; the caller kills the writer.
 */
static void pump(int fd, double deadline, size_t cap, struct em_buf *out, bool *killed_time,
		 bool *killed_size)
{
	char chunk[65536];

	for (;;) {
		struct pollfd pf = {fd, POLLIN, 0};
		double left = deadline - now_s();
		int pr;
		ssize_t r;

		if (left <= 0) {
			*killed_time = true;
			break;
		}
		pr = poll(&pf, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			break;
		if (pr == 0)
			continue;
		r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			break;
		if (out->len + (size_t)r > cap) {
			*killed_size = true;
			break;
		}
		if (em_buf_append(out, chunk, (size_t)r) < 0) {
			*killed_size = true;
			break;
		}
	}
}

/* The reason for a run's end in words (into why); 0 when it exited 0. */
static int verdict(struct em_extract *x, int st, bool killed_time, bool killed_size, double seconds,
		   char *why, size_t whycap)
{
	const struct em_extract_conf *c = x->c;

	if (killed_time || (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM))
		snprintf(why, whycap,
			 "time limit: the extractor ran more than %u s and was stopped",
			 (unsigned)(seconds + 0.5));
	else if (killed_size)
		snprintf(why, whycap, "output limit: more than %u MB extracted", c->output_mb);
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGXCPU)
		snprintf(why, whycap, "CPU limit: more than %u s of CPU", c->cpu_seconds);
	else if (WIFSIGNALED(st))
		snprintf(why, whycap, "the extractor crashed (signal %d)", WTERMSIG(st));
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
		snprintf(why, whycap, "the sandbox could not be set up");
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		snprintf(why, whycap, "the extractor %.200s could not be run", x->program);
	else if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
		snprintf(why, whycap, "the extractor failed (exit %d)", WEXITSTATUS(st));
	else
		return 0;
	return -1;
}

/* A memory file holding the seccomp program for bwrap (--seccomp 3), or -1. */
static int bpf_memfd(void)
{
	int bfd = memfd_create("em-seccomp", MFD_CLOEXEC);

	if (bfd >= 0 &&
	    (write(bfd, bpf, bpf_len * sizeof(*bpf)) != (ssize_t)(bpf_len * sizeof(*bpf)) ||
	     lseek(bfd, 0, SEEK_SET) != 0)) {
		close(bfd);
		bfd = -1;
	}
	return bfd;
}

/*
 * Runs the extractor on one attachment in a process of its own (the
 * per-attachment spawn: extract.prefork = false, or the server is down).
 * Fills out with its stdout; why gets the reason when the run failed.
 * Returns 0 when the child exited 0, -1 otherwise.
 */
static int run_spawn(struct em_extract *x, const char *name, const void *data, size_t len,
		     double t0, double deadline, struct em_buf *out, char *why, size_t whycap)
{
	const struct em_extract_conf *c = x->c;
	struct spawn sp;
	int p[2] = {-1, -1}, bfd = -1, st = 0, rc = -1;
	pid_t pid;
	size_t cap = ((size_t)c->output_mb << 20) + 2 * (EX_HDR_LEN + EX_NAME_MAX);
	bool killed_time = false, killed_size = false;

	memset(&sp, 0, sizeof(sp));
	build(c, x->program, &sp, name, false);
	if ((sp.in_fd = input_fd(data, len)) < 0 || pipe2(p, O_CLOEXEC) < 0) {
		snprintf(why, whycap, "extractor could not start (%s)", strerror(errno));
		goto out;
	}
	sp.out_fd = p[1];
	sp.bpf_fd = -1;
	if (sp.bwrap && bpf) {
		if ((bfd = bpf_memfd()) < 0) {
			snprintf(why, whycap, "extractor could not start (seccomp)");
			goto out;
		}
		sp.bpf_fd = bfd;
	}
	if ((pid = fork()) < 0) {
		snprintf(why, whycap, "extractor could not start (%s)", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(&sp);
	close(p[1]);
	p[1] = -1;
	pump(p[0], deadline, cap, out, &killed_time, &killed_size);
	if (killed_time || killed_size) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			break;
	rc = verdict(x, st, killed_time, killed_size, deadline - t0, why, whycap);
out:
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	if (sp.in_fd > 0)
		close(sp.in_fd);
	if (bfd >= 0)
		close(bfd);
	return rc;
}

/* ---- the pre-forked server (extract.prefork, ex_proto.h) ------------------
 *
 * One per process, shared by every thread, started at the first attachment:
 * the same bwrap/basic sandbox, seccomp filter and rlimits as a spawned
 * extractor, running `embargo-extract --server`. A job is sent under srv_mu
 * (send + the server's immediate answer: sub-millisecond), then read without
 * the lock, so messages extract concurrently. A runaway child is stopped
 * twice over: the adapter asks the server to kill its process group ('K')
 * at the deadline, and the child's own alarm(2) and RLIMIT_CPU end it even if
 * the server is gone. A server that does not start or dies is restarted at
 * the next attachment (after 1 s, 2 s, 4 s ... at most 60 s of consecutive
 * failures); meanwhile each attachment is spawned as without prefork. */

static pthread_mutex_t srv_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int ctl;	    /* our end of the control socket; -1: no server */
	pid_t pid;	    /* bwrap, or the basic sandbox's process */
	pid_t owner;	    /* the process that started it (not a forked copy) */
	char program[4096]; /* what it runs, */
	bool bwrap;	    /* in which sandbox, */
	unsigned memory_mb; /* with which server limits */
	unsigned file_mb;
	unsigned failures;     /* consecutive failed starts or losses */
	double next_try;       /* no new start before this (monotonic seconds) */
	unsigned long started; /* servers started (a generation for 'K') */
} srv = {.ctl = -1};
static void (*log_fn)(bool warning, const char *msg);

void em_extract_set_log(void (*fn)(bool warning, const char *msg))
{
	log_fn = fn;
}

static void say(bool warning, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(bool warning, const char *fmt, ...)
{
	char m[512];
	va_list ap;

	if (log_fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	log_fn(warning, m);
}

/* Under srv_mu: ends the server (closing its socket ends it; the kill makes
 * sure) and reaps it. */
static void srv_stop(void)
{
	int st;

	if (srv.ctl >= 0)
		close(srv.ctl);
	srv.ctl = -1;
	if (srv.pid > 0) {
		kill(srv.pid, SIGKILL);
		while (waitpid(srv.pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	srv.pid = 0;
}

/* Under srv_mu: the server failed (why); the next start waits. */
static void srv_lost(const char *why)
{
	double wait;

	srv_stop();
	srv.failures++;
	wait = srv.failures <= 1 ? 0 : (double)(1u << (srv.failures < 7 ? srv.failures - 1 : 6));
	if (wait > 60)
		wait = 60;
	srv.next_try = now_s() + wait;
	say(true,
	    "extraction server: %s; attachments are extracted by one process each until it "
	    "restarts (in %.0f s, failure %u)",
	    why, wait, srv.failures);
}

/* Under srv_mu: a running server for c and program, starting one when
 * needed. Returns 0, or -1 when there is none (the caller spawns). */
static int srv_ready(const struct em_extract_conf *c, const char *program)
{
	struct spawn sp;
	int sv[2] = {-1, -1}, nul = -1, bfd = -1;
	pid_t pid;
	struct pollfd pf;
	char r = 0;
	bool bw = use_bwrap(c);

	if (srv.owner != getpid()) { /* a forked copy of the daemon: not ours */
		if (srv.ctl >= 0)
			close(srv.ctl);
		srv.ctl = -1;
		srv.pid = 0;
		srv.failures = 0;
		srv.next_try = 0;
		srv.owner = getpid();
	}
	if (srv.ctl >= 0 && (strcmp(srv.program, program) != 0 || srv.bwrap != bw ||
			     srv.memory_mb != c->memory_mb || srv.file_mb != c->file_mb))
		srv_stop(); /* the configuration changed (a reload) */
	if (srv.ctl >= 0)
		return 0;
	if (now_s() < srv.next_try)
		return -1;
	if (bw && !bwrap_ok)
		return -1; /* the spawn path says why */
	memset(&sp, 0, sizeof(sp));
	build(c, program, &sp, NULL, true);
	sp.bpf_fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
	    (nul = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0 ||
	    (bw && bpf && (bfd = bpf_memfd()) < 0)) {
		srv_lost("could not be started (no descriptors)");
		goto out;
	}
	sp.in_fd = sv[1];
	sp.out_fd = nul;
	sp.bpf_fd = bfd;
	if ((pid = fork()) < 0) {
		srv_lost("could not be started (fork)");
		goto out;
	}
	if (pid == 0)
		child(&sp);
	close(sv[1]); /* else its end never reads as closed */
	sv[1] = -1;
	srv.ctl = sv[0];
	sv[0] = -1;
	srv.pid = pid;
	srv.owner = getpid();
	snprintf(srv.program, sizeof(srv.program), "%s", program);
	srv.bwrap = bw;
	srv.memory_mb = c->memory_mb;
	srv.file_mb = c->file_mb;
	srv.started++;
	pf.fd = srv.ctl;
	pf.events = POLLIN;
	while (poll(&pf, 1, 15000) < 0 && errno == EINTR)
		;
	if (!(pf.revents & POLLIN) || read(srv.ctl, &r, 1) != 1 || r != 'R') {
		srv_lost("did not start");
		goto out;
	}
	say(false, "extraction server started (pid %ld, %s)", (long)pid,
	    bw ? "bubblewrap" : "basic sandbox");
out:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (nul >= 0)
		close(nul);
	if (bfd >= 0)
		close(bfd);
	return srv.ctl >= 0 ? 0 : -1;
}

/* Under srv_mu: sends job j with fds[3]; returns the child's pid (the
 * server's view), 0 when the server could not fork, -1 when the server is
 * lost (it was stopped). */
static pid_t srv_send(const struct ex_job *j, const int fds[3])
{
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = {(void *)j, sizeof(*j)};
	struct msghdr mh = {0};
	struct cmsghdr *cm;
	struct ex_reply rep;
	struct pollfd pf = {srv.ctl, POLLIN, 0};
	ssize_t r;
	int pr;

	memset(cbuf, 0, sizeof(cbuf));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(3 * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, 3 * sizeof(int));
	while ((r = sendmsg(srv.ctl, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	if (r != (ssize_t)sizeof(*j)) {
		srv_lost("it went away (send)");
		return -1;
	}
	while ((pr = poll(&pf, 1, 10000)) < 0 && errno == EINTR)
		;
	while (pr > 0 && (r = recv(srv.ctl, &rep, sizeof(rep), 0)) < 0 && errno == EINTR)
		;
	if (pr <= 0 || r != (ssize_t)sizeof(rep)) {
		srv_lost(pr == 0 ? "it did not answer within 10 s" : "it went away");
		return -1;
	}
	if (rep.pid <= 0)
		say(true, "extraction server could not fork (%s)", strerror(rep.err));
	return rep.pid > 0 ? rep.pid : 0;
}

/*
 * Runs one attachment through the server. Returns as run_spawn, or -2 when
 * there is no server (nothing was started; the caller spawns).
 */
static int run_server(struct em_extract *x, const char *name, const void *data, size_t len,
		      double t0, double deadline, struct em_buf *out, char *why, size_t whycap)
{
	const struct em_extract_conf *c = x->c;
	struct ex_job j;
	int in = -1, op[2] = {-1, -1}, sp[2] = {-1, -1}, rc = -2;
	int32_t st = 0;
	pid_t pid = -1;
	unsigned long gen = 0;
	size_t cap = ((size_t)c->output_mb << 20) + 2 * (EX_HDR_LEN + EX_NAME_MAX);
	bool killed_time = false, killed_size = false, have = false;
	double left = deadline - t0;

	memset(&j, 0, sizeof(j));
	j.magic = EX_JOB_MAGIC;
	j.op = 'J';
	j.cpu_seconds = c->cpu_seconds;
	/* a second after the adapter's own deadline: it normally reports first */
	j.alarm_seconds = (uint32_t)(left > 0 ? left : 0) + 2;
	j.max_members = c->max_members;
	j.ocr = c->ocr;
	j.as_bytes = (uint64_t)c->memory_mb << 20;
	j.fsize_bytes = (uint64_t)c->file_mb << 20;
	j.max_output = (uint64_t)c->output_mb << 20;
	j.ocr_max_pixels = (uint64_t)c->ocr_max_megapixels * 1000000u;
	snprintf(j.name, sizeof(j.name), "%s", name ? name : "");
	if ((in = input_fd(data, len)) < 0 || pipe2(op, O_CLOEXEC) < 0 || pipe2(sp, O_CLOEXEC) < 0)
		goto out; /* the spawn path reports it */
	pthread_mutex_lock(&srv_mu);
	if (srv_ready(c, x->program) == 0) {
		int fds[3] = {in, op[1], sp[1]};

		gen = srv.started;
		pid = srv_send(&j, fds);
		if (pid > 0)
			srv.failures = 0;
	}
	pthread_mutex_unlock(&srv_mu);
	if (pid <= 0)
		goto out;
	close(op[1]);
	close(sp[1]);
	op[1] = sp[1] = -1;
	pump(op[0], deadline, cap, out, &killed_time, &killed_size);
	if (killed_time || killed_size) {
		j.op = 'K';
		j.pid = pid;
		pthread_mutex_lock(&srv_mu);
		if (srv.ctl >= 0 && srv.started == gen && srv.owner == getpid())
			(void)send(srv.ctl, &j, sizeof(j), MSG_NOSIGNAL | MSG_DONTWAIT);
		pthread_mutex_unlock(&srv_mu);
	}
	{
		/* the status follows the end of the records at once; a killed or
		 * alarmed child is reaped within its alarm */
		double until = (deadline > now_s() ? deadline : now_s()) + j.alarm_seconds + 3.0;

		for (;;) {
			struct pollfd pf = {sp[0], POLLIN, 0};
			double l = until - now_s();
			int pr;

			if (l <= 0)
				break;
			pr = poll(&pf, 1, (int)(l * 1000) + 1);
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr > 0) {
				ssize_t r = read(sp[0], &st, sizeof(st));

				if (r < 0 && errno == EINTR)
					continue;
				have = r == (ssize_t)sizeof(st);
			}
			break;
		}
	}
	if (!have && !killed_time && !killed_size) {
		snprintf(why, whycap, "the extraction server stopped during the job");
		rc = -1;
	} else {
		rc =
		    verdict(x, have ? st : 0, killed_time, killed_size, deadline - t0, why, whycap);
	}
out:
	if (in >= 0)
		close(in);
	for (int i = 0; i < 2; i++) {
		if (op[i] >= 0)
			close(op[i]);
		if (sp[i] >= 0)
			close(sp[i]);
	}
	return rc;
}

pid_t em_extract_server_pid(void)
{
	pid_t p;

	pthread_mutex_lock(&srv_mu);
	p = srv.owner == getpid() && srv.ctl >= 0 ? srv.pid : 0;
	pthread_mutex_unlock(&srv_mu);
	return p;
}

void em_extract_shutdown(void)
{
	pthread_mutex_lock(&srv_mu);
	if (srv.owner == getpid())
		srv_stop();
	srv.failures = 0;
	srv.next_try = 0;
	pthread_mutex_unlock(&srv_mu);
}

/*
 * Runs the extractor on one attachment: through the server (prefork), else
 * in a process of its own. Fills out with the records; why gets the reason
 * when the run failed. Returns 0 when the extractor exited 0, -1 otherwise.
 */
static int run(struct em_extract *x, const char *name, const void *data, size_t len,
	       struct em_buf *out, char *why, size_t whycap)
{
	const struct em_extract_conf *c = x->c;
	double t0 = now_s(), deadline = t0 + c->timeout_seconds;
	int rc = -2;

	if (t0 + (c->message_seconds - x->seconds) < deadline)
		deadline = t0 + (c->message_seconds - x->seconds);
	if (c->prefork)
		rc = run_server(x, name, data, len, t0, deadline, out, why, whycap);
	if (rc == -2) {
		/* a server lost on the way cost time the attachment is not charged */
		double t1 = now_s(), d1 = t1 + c->timeout_seconds;

		if (t1 + (c->message_seconds - x->seconds) < d1)
			d1 = t1 + (c->message_seconds - x->seconds);
		em_buf_reset(out);
		rc = run_spawn(x, name, data, len, t1, d1, out, why, whycap);
	}
	x->seconds += now_s() - t0;
	return rc;
}

static int extract(void *ctx, const char *where, const char *name, enum em_sniff_kind kind,
		   const void *data, size_t len, const struct em_extract_sink *sink)
{
	struct em_extract *x = ctx;
	struct em_buf out = EM_BUF_INIT;
	char why[256];
	const char *err = NULL;
	int rc, prc;

	if (x->runs >= x->c->message_attachments || x->seconds >= x->c->message_seconds) {
		snprintf(why, sizeof(why),
			 "per-message extraction limit (%u attachments, %u s) reached",
			 x->c->message_attachments, x->c->message_seconds);
		sink->unreadable(sink->ctx, "", why);
		return -1;
	}
	x->runs++;
	rc = run(x, name, data, len, &out, why, sizeof(why));
	prc = em_extract_parse(out.data ? out.data : "", out.len, sink, &err);
	em_buf_free(&out);
	if (rc < 0) {
		sink->unreadable(sink->ctx, "", why);
		return -1;
	}
	if (prc < 0) {
		snprintf(why, sizeof(why), "extractor protocol error (%s)", err);
		sink->unreadable(sink->ctx, "", why);
		return -1;
	}
	if (prc > 0) {
		sink->unreadable(sink->ctx, "", "the extractor stopped before its end record");
		return -1;
	}
	return 0;
}

struct em_extract *em_extract_new(const struct em_extract_conf *c)
{
	struct em_extract *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->c = c;
	em_extract_program(c, x->program, sizeof(x->program));
	x->iface.ctx = x;
	x->iface.images = c->ocr;
	x->iface.ocr_min_width = c->ocr_min_width;
	x->iface.ocr_min_height = c->ocr_min_height;
	x->iface.extract = extract;
	return x;
}

void em_extract_free(struct em_extract *x)
{
	free(x);
}

const struct em_extractor *em_extract_extractor(struct em_extract *x)
{
	return &x->iface;
}
