/*
 * embargo-extract - reads ONE attachment from stdin and writes what a
 * recipient could read in it as framed records on stdout (ex_proto.h).
 *
 * Runs only inside the sandbox the milter's adapter (adapt/em_extract.c)
 * builds: bubblewrap or rlimits + a private network namespace + no new
 * privileges. It is the only place where parsers of complex binary formats
 * run, and it is started anew for each attachment, so a crash, a hang or a
 * memory blow-up costs one attachment, never the daemon.
 *
 * Formats, recognised by content (em_sniff), and who reads them:
 *   PDF                      libpoppler-glib in-process (pdftotext when built
 *                            without it)
 *   OLE2 .doc / .xls         catdoc / xls2csv (catdoc); .ppt: its text atoms
 *                            (libgsf); the kind found from the streams
 *   Outlook .msg             libgsf: subject, sender and recipient names,
 *                            body, HTML body, compressed RTF body (libytnef's
 *                            MS-OXRTFCP decompressor), attachments, nested .msg
 *   RTF                      own tokenizer (rtf_text below; why: see README)
 *   TNEF winmail.dat         tnef (body and attachments, RTF body)
 *   S/MIME signed-data       OpenSSL CMS: the signed content as a message
 *   gzip bzip2 xz zstd tar 7z rar cab iso cpio ar   libarchive (members as files)
 *   PNG JPEG GIF TIFF BMP WebP                      tesseract OCR (English)
 *
 * Options: --name NAME (the attachment's file name, for single-stream
 * compressors), --max-output BYTES, --max-members N, --ocr (images are read),
 * --ocr-max-pixels N. Exit 0 after an 'E' record, whatever was read; any
 * other exit (a crash, a kill) makes the adapter call the attachment
 * unreadable.
 *
 * --server: the pre-forked extractor (extract.prefork, ex_proto.h). Started
 * once inside the same sandbox, it loads its libraries and then forks one
 * child per attachment; the child sets the job's limits and does exactly
 * what a fresh process would (job() below), then exits. The server itself
 * never parses mail: it only receives fds, forks, reaps and reports.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>
#include <iconv.h>
#include <openssl/cms.h>
#include <openssl/objects.h>
#ifdef EM_POPPLER_GLIB
#include <poppler.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <ytnef.h>

#include "../core/em_sniff.h"
#include "ex_proto.h"

struct buf {
	char *d;
	size_t n, cap;
};

static struct {
	const char *name;
	size_t max_output;
	unsigned max_members;
	bool ocr;
	unsigned long ocr_max_pixels;
} opt = {NULL, 32u << 20, 10000, false, 40000000};

static size_t out_total;
static char tmpdir[256];
static char inpath[300];

/* ---- output ------------------------------------------------------------- */

static void put_all(const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(1, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3); /* the reader went away */
		c += w;
		n -= (size_t)w;
	}
}

static void rec(char type, const char *name, const void *body, size_t len)
{
	unsigned char h[EX_HDR_LEN];
	size_t nl = name ? strlen(name) : 0;

	if (nl > EX_NAME_MAX)
		nl = EX_NAME_MAX;
	h[0] = (unsigned char)type;
	for (int i = 0; i < 4; i++) {
		h[1 + i] = (unsigned char)(nl >> (24 - 8 * i));
		h[5 + i] = (unsigned char)(len >> (24 - 8 * i));
	}
	put_all(h, sizeof(h));
	put_all(name ? name : "", nl);
	put_all(body, len);
	out_total += sizeof(h) + nl + len;
}

static bool forked_job; /* a child of the server: see finish() */
static void cleanup(void);

static void finish(int code)
{
	rec('E', "", "", 0);
	if (forked_job) {
		/* the libraries' exit handlers (OpenSSL, GLib) cost a fresh
		 * process ~15 ms of CPU and free nothing the kernel would not;
		 * records are written unbuffered */
		cleanup();
		_exit(code);
	}
	exit(code);
}

static void unreadable(const char *suffix, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void unreadable(const char *suffix, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	rec('U', suffix, why, strlen(why));
}

/* True when len more bytes fit the output cap; else says so (once) and stops. */
static bool fits(size_t len)
{
	if (out_total + len + EX_HDR_LEN + EX_NAME_MAX <= opt.max_output)
		return true;
	unreadable("", "output limit: more than %zu MB extracted", opt.max_output >> 20);
	finish(0);
	return false;
}

static void text(const char *suffix, const char *t, size_t len)
{
	if (len && fits(len))
		rec('T', suffix, t, len);
}

static void file(const char *name, const void *d, size_t len)
{
	if (fits(len))
		rec('F', name, d, len);
}

static int buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 4096;
		char *d;

		while (c < b->n + n + 1)
			c *= 2;
		if ((d = realloc(b->d, c)) == NULL)
			return -1;
		b->d = d;
		b->cap = c;
	}
	memcpy(b->d + b->n, p, n);
	b->n += n;
	b->d[b->n] = '\0';
	return 0;
}

/* ---- running a tool inside the same sandbox ------------------------------ */

/* Runs argv with stdout captured (at most cap bytes: beyond, the tool is
 * killed and -2 returned), stderr discarded. Returns the exit status (0..255),
 * -3 when it was stopped by its CPU limit (SIGXCPU, or SIGKILL at the hard
 * RLIMIT_CPU it inherits), -1 when it could not run or died of another signal. */
/* The attachment as a file for the tools that take a path (catdoc, xls2csv,
 * tnef, tesseract, pdftotext): written on first use, in a private
 * directory removed by cleanup(). What is read in-process (PDF through
 * poppler, archives, RTF, S/MIME, .ppt) never touches the file system. */
static const struct buf *job_input;

static bool input_file(void)
{
	const char *td = getenv("TMPDIR");
	int fd;

	if (inpath[0])
		return true;
	snprintf(tmpdir, sizeof(tmpdir), "%s/embargo-extract.XXXXXX", td && *td ? td : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		tmpdir[0] = '\0';
		return false;
	}
	snprintf(inpath, sizeof(inpath), "%s/in", tmpdir);
	if ((fd = open(inpath, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
	    write(fd, job_input->d ? job_input->d : "", job_input->n) != (ssize_t)job_input->n ||
	    close(fd) < 0) {
		inpath[0] = '\0'; /* cleanup() still removes tmpdir */
		return false;
	}
	return true;
}

static int run_tool(char *const argv[], struct buf *out, size_t cap)
{
	int p[2], st;
	pid_t pid;
	char chunk[65536];
	ssize_t r;
	bool over = false;

	if (!input_file()) {
		unreadable("", "could not write a temporary file");
		finish(0);
	}
	if (pipe(p) < 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		dup2(p[1], 1);
		if (nul >= 0)
			dup2(nul, 2), dup2(nul, 0);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while ((r = read(p[0], chunk, sizeof(chunk))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out->n + (size_t)r > cap) {
			over = true;
			kill(pid, SIGKILL);
			break;
		}
		if (buf_add(out, chunk, (size_t)r) < 0) {
			over = true;
			kill(pid, SIGKILL);
			break;
		}
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (over)
		return -2;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st) && (WTERMSIG(st) == SIGXCPU || WTERMSIG(st) == SIGKILL))
		return -3;
	return -1;
}

static size_t tool_cap(void)
{
	return out_total < opt.max_output ? opt.max_output - out_total : 0;
}

/* Runs a text tool on the input file and sends its output as text. */
static void tool_text(const char *what, char *const argv[], const char *suffix)
{
	struct buf b = {0};
	int rc = run_tool(argv, &b, tool_cap());

	if (rc == -2)
		unreadable(suffix, "output limit: %s produced more than %zu MB", what,
			   opt.max_output >> 20);
	else if (rc == -3)
		unreadable(suffix, "CPU limit: %s ran out of its CPU time", argv[0]);
	else if (rc != 0)
		unreadable(suffix, "%s could not read it (%s %s %d)", what, argv[0],
			   rc < 0 ? "killed, signal or missing:" : "exit", rc);
	else
		text(suffix, b.d ? b.d : "", b.n);
	free(b.d);
}

/* ---- PDF ------------------------------------------------------------------ */

#ifdef EM_POPPLER_GLIB
/* Poppler in-process (libpoppler-glib, the library pdftotext is made of):
 * the text of each page in reading order, pages ended by a form feed as
 * pdftotext writes them. In the pre-forked server the library is loaded once
 * instead of exec'ing pdftotext per PDF; it runs in the same child, sandbox
 * and limits (a PDF that never ends meets the child's RLIMIT_CPU or alarm). */
static void pdf(const char *d, size_t n)
{
	GBytes *by = g_bytes_new_static(d, n);
	GError *err = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(by, NULL, &err);
	struct buf b = {0};
	char pages[32];
	int np;

	if (doc == NULL) {
		if (err && g_error_matches(err, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
			unreadable("", "encrypted PDF (a password is needed)");
		else if (memmem(d, n, "/Encrypt", 8) != NULL)
			unreadable("", "encrypted PDF (a password is needed)");
		else
			unreadable("", "damaged PDF (%s)",
				   err && err->message ? err->message : "?");
		if (err)
			g_error_free(err);
		g_bytes_unref(by);
		return;
	}
	np = poppler_document_get_n_pages(doc);
	for (int i = 0; i < np; i++) {
		PopplerPage *pg = poppler_document_get_page(doc, i);
		char *t = pg ? poppler_page_get_text(pg) : NULL;
		size_t tl = t ? strlen(t) : 0;

		if (b.n + tl + 2 > tool_cap()) {
			unreadable("", "output limit: the PDF's text is more than %zu MB",
				   opt.max_output >> 20);
			g_free(t);
			if (pg)
				g_object_unref(pg);
			free(b.d);
			g_object_unref(doc);
			g_bytes_unref(by);
			return;
		}
		if (tl)
			buf_add(&b, t, tl);
		if (tl && t[tl - 1] != '\n')
			buf_add(&b, "\n", 1);
		buf_add(&b, "\f", 1);
		g_free(t);
		if (pg)
			g_object_unref(pg);
	}
	snprintf(pages, sizeof(pages), "%d", np);
	rec('I', "pages", pages, strlen(pages));
	text("", b.d ? b.d : "", b.n);
	free(b.d);
	g_object_unref(doc);
	g_bytes_unref(by);
}
#else
static void pdf(const char *d, size_t n)
{
	char *argv[] = {"pdftotext", "-q", "-enc", "UTF-8", "-eol", "unix", inpath, "-", NULL};
	struct buf b = {0};
	int rc = run_tool(argv, &b, tool_cap());
	char pages[32];
	size_t np = 0;

	if (rc == 0) {
		for (size_t i = 0; i < b.n; i++)
			np += b.d[i] == '\f';
		snprintf(pages, sizeof(pages), "%zu", np);
		rec('I', "pages", pages, strlen(pages));
		text("", b.d ? b.d : "", b.n);
	} else if (rc == -2) {
		unreadable("", "output limit: the PDF's text is more than %zu MB",
			   opt.max_output >> 20);
	} else if (rc == -3) {
		unreadable("", "CPU limit: pdftotext ran out of its CPU time");
	} else if (memmem(d, n, "/Encrypt", 8) != NULL) {
		unreadable("", "encrypted PDF (a password is needed)");
	} else {
		unreadable("", "damaged PDF (pdftotext %s %d)", rc < 0 ? "signal" : "exit", rc);
	}
	free(b.d);
}
#endif

/* ---- RTF (RTF 1.9.1): text of every group but the non-text destinations --- */

static const char *const rtf_skip[] = {
    "fonttbl",	 "colortbl",	 "stylesheet", "info",
    "pict",	 "object",	 "themedata",  "colorschememapping",
    "datastore", "latentstyles", "listtable",  "listoverridetable",
    "rsidtbl",	 "generator",	 "xmlnstbl",   "mmathPr",
    "header",	 "footer",	 "fldinst",    "bkmkstart",
    "bkmkend",	 "filetbl",	 "revtbl",     "pgdsctbl",
    "template",	 "objdata",	 "shppict",    "nonshppict",
};

static void utf8_put(struct buf *b, unsigned long c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | c >> 18);
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

/* One byte of the document's ANSI code page (\ansicpgN) as UTF-8. */
static void cp_put(struct buf *b, iconv_t cd, unsigned char c)
{
	char in[1] = {(char)c}, outb[8];
	char *ip = in, *op = outb;
	size_t il = 1, ol = sizeof(outb);

	if (c < 0x80 || cd == (iconv_t)-1) {
		utf8_put(b, c);
		return;
	}
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		utf8_put(b, 0xFFFD);
	else
		buf_add(b, outb, sizeof(outb) - ol);
}

#define RTF_DEPTH 256

static void rtf_text(const char *d, size_t n, struct buf *out)
{
	bool skip[RTF_DEPTH] = {false};
	int uc[RTF_DEPTH];
	int depth = 0, pending_skip = 0;
	bool star = false;
	iconv_t cd = iconv_open("UTF-8", "CP1252");

	uc[0] = 1;
	for (size_t i = 0; i < n;) {
		char c = d[i];

		if (c == '{') {
			if (depth + 1 < RTF_DEPTH) {
				depth++;
				skip[depth] = skip[depth - 1];
				uc[depth] = uc[depth - 1];
			}
			star = false;
			i++;
		} else if (c == '}') {
			if (depth > 0)
				depth--;
			i++;
		} else if (c == '\\' && i + 1 < n) {
			char w[40];
			size_t wl = 0;
			long arg = 0;
			bool has_arg = false, neg = false;

			i++;
			if (d[i] == '\'' && i + 2 < n) { /* \'hh */
				char hx[3] = {d[i + 1], d[i + 2], 0};

				i += 3;
				if (pending_skip > 0) {
					pending_skip--;
					continue;
				}
				if (!skip[depth])
					cp_put(out, cd, (unsigned char)strtoul(hx, NULL, 16));
				continue;
			}
			if (d[i] == '*') {
				star = true;
				i++;
				continue;
			}
			if (!((d[i] >= 'a' && d[i] <= 'z') || (d[i] >= 'A' && d[i] <= 'Z'))) {
				/* control symbol: \\ \{ \} \~ \- \_ \<newline> */
				if (!skip[depth]) {
					if (d[i] == '\\' || d[i] == '{' || d[i] == '}')
						buf_add(out, &d[i], 1);
					else if (d[i] == '~')
						buf_add(out, " ", 1);
					else if (d[i] == '_')
						buf_add(out, "-", 1);
					else if (d[i] == '\n' || d[i] == '\r')
						buf_add(out, "\n", 1);
				}
				i++;
				continue;
			}
			while (i < n && wl + 1 < sizeof(w) &&
			       ((d[i] >= 'a' && d[i] <= 'z') || (d[i] >= 'A' && d[i] <= 'Z')))
				w[wl++] = d[i++];
			w[wl] = '\0';
			while (i < n &&
			       ((d[i] >= 'a' && d[i] <= 'z') || (d[i] >= 'A' && d[i] <= 'Z')))
				i++; /* an absurdly long word */
			if (i < n && d[i] == '-') {
				neg = true;
				i++;
			}
			while (i < n && d[i] >= '0' && d[i] <= '9') {
				if (arg < 100000000)
					arg = arg * 10 + (d[i] - '0');
				has_arg = true;
				i++;
			}
			if (neg)
				arg = -arg;
			if (i < n && d[i] == ' ')
				i++;
			if (star) {
				skip[depth] = true; /* an unknown-to-us \*\destination */
				star = false;
			}
			for (size_t k = 0; k < sizeof(rtf_skip) / sizeof(rtf_skip[0]); k++)
				if (strcmp(w, rtf_skip[k]) == 0)
					skip[depth] = true;
			if (skip[depth])
				continue;
			if (strcmp(w, "ansicpg") == 0 && has_arg) {
				char cp[24];

				snprintf(cp, sizeof(cp), "CP%ld", arg);
				if (cd != (iconv_t)-1)
					iconv_close(cd);
				cd = iconv_open("UTF-8", cp);
			} else if (strcmp(w, "uc") == 0 && has_arg) {
				uc[depth] = (int)(arg < 0 ? 0 : arg > 8 ? 8 : arg);
			} else if (strcmp(w, "u") == 0 && has_arg) {
				utf8_put(out,
					 (unsigned long)(arg < 0 ? arg + 65536 : arg) & 0x1FFFFF);
				pending_skip = uc[depth];
				continue;
			} else if (strcmp(w, "par") == 0 || strcmp(w, "line") == 0 ||
				   strcmp(w, "row") == 0 || strcmp(w, "sect") == 0 ||
				   strcmp(w, "page") == 0) {
				buf_add(out, "\n", 1);
			} else if (strcmp(w, "tab") == 0 || strcmp(w, "cell") == 0) {
				buf_add(out, "\t", 1);
			} else if (strcmp(w, "emdash") == 0) {
				utf8_put(out, 0x2014);
			} else if (strcmp(w, "endash") == 0) {
				utf8_put(out, 0x2013);
			} else if (strcmp(w, "lquote") == 0 || strcmp(w, "rquote") == 0) {
				buf_add(out, "'", 1);
			} else if (strcmp(w, "ldblquote") == 0 || strcmp(w, "rdblquote") == 0) {
				buf_add(out, "\"", 1);
			} else if (strcmp(w, "bullet") == 0) {
				utf8_put(out, 0x2022);
			}
			pending_skip = 0;
		} else if (c == '\r' || c == '\n') {
			i++;
		} else {
			if (pending_skip > 0)
				pending_skip--;
			else if (!skip[depth])
				buf_add(out, &d[i], 1);
			star = false;
			i++;
		}
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
}

static void rtf(const char *d, size_t n)
{
	struct buf b = {0};

	rtf_text(d, n, &b);
	text("", b.d ? b.d : "", b.n);
	free(b.d);
}

/* ---- TNEF ([MS-OXTNEF]) through tnef(1) ------------------------------------ */

static void emit_dir_files(const char *dir)
{
	struct dirent **names;
	int k = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < k; i++) {
		char path[600];
		struct stat st;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    fits((size_t)st.st_size) && (f = fopen(path, "rb")) != NULL) {
			char *data = malloc((size_t)st.st_size + 1);

			if (data && fread(data, 1, (size_t)st.st_size, f) == (size_t)st.st_size)
				file(names[i]->d_name, data, (size_t)st.st_size);
			free(data);
			fclose(f);
		}
		free(names[i]);
	}
	free(names);
}

static void tnef(void)
{
	char out[300], maxs[32];
	struct buf b = {0};
	int rc;

	if (!input_file()) {
		unreadable("", "could not write a temporary file");
		return;
	}
	snprintf(out, sizeof(out), "%s/tnef", tmpdir);
	snprintf(maxs, sizeof(maxs), "%zu", tool_cap());
	if (mkdir(out, 0700) < 0) {
		unreadable("", "TNEF: no temporary directory");
		return;
	}
	{
		char *argv[] = {"tnef",	       "-f",	      inpath,
				"-C",	       out,	      "-x",
				maxs,	       "--save-body", "--body-pref=all",
				"--overwrite", NULL};

		rc = run_tool(argv, &b, 1 << 20);
	}
	free(b.d);
	emit_dir_files(out);
	if (rc != 0)
		unreadable("", "damaged or oversized TNEF (tnef exit %d)", rc);
}

/* ---- OLE2: .doc .xls .ppt .msg -------------------------------------------- */

static GsfInput *child(GsfInfile *f, const char *name)
{
	return gsf_infile_child_by_name(f, name);
}

static bool has_child(GsfInfile *f, const char *name)
{
	GsfInput *c = child(f, name);

	if (c)
		g_object_unref(c);
	return c != NULL;
}

/* Reads a whole stream (at most the output budget); NULL when too big. */
static const guint8 *stream_bytes(GsfInput *in, size_t *len)
{
	gsf_off_t sz = gsf_input_size(in);

	if (sz < 0 || (size_t)sz > tool_cap()) {
		*len = 0;
		return NULL;
	}
	*len = (size_t)sz;
	if (sz == 0)
		return (const guint8 *)"";
	return gsf_input_read(in, (size_t)sz, NULL);
}

/* A MAPI string property as UTF-8 (type 001F: UTF-16LE, 001E: code page). */
static char *mapi_string(const guint8 *d, size_t n, bool unicode, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", unicode ? "UTF-16LE" : "CP1252");
	size_t cap = n * 2 + 16, ol = cap, il = n;
	char *out, *op, *ip = (char *)d;

	if (cd == (iconv_t)-1 || (out = malloc(cap)) == NULL)
		return NULL;
	op = out;
	while (il > 0 && iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		if (errno == E2BIG)
			break;
		ip += unicode ? 2 : 1; /* skip a bad unit */
		il = il >= (unicode ? 2u : 1u) ? il - (unicode ? 2 : 1) : 0;
	}
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	while (*outlen > 0 && out[*outlen - 1] == '\0')
		(*outlen)--;
	return out;
}

/* A property stream "__substg1.0_PPPPTTTT" of the storage st, or NULL. */
static GsfInput *prop(GsfInfile *st, unsigned tag, unsigned type)
{
	char name[40];

	snprintf(name, sizeof(name), "__substg1.0_%04X%04X", tag, type);
	return child(st, name);
}

static char *prop_string(GsfInfile *st, unsigned tag, size_t *len)
{
	GsfInput *in;
	const guint8 *d;
	size_t n;
	char *s = NULL;
	bool uni = true;

	if ((in = prop(st, tag, 0x001F)) == NULL) {
		uni = false;
		if ((in = prop(st, tag, 0x001E)) == NULL)
			return NULL;
	}
	if ((d = stream_bytes(in, &n)) != NULL)
		s = mapi_string(d, n, uni, len);
	g_object_unref(in);
	return s;
}

static void msg(GsfInfile *st, const char *prefix, int depth);

static void msg_text(GsfInfile *st, unsigned tag, const char *prefix, const char *what)
{
	size_t len;
	char *s = prop_string(st, tag, &len);
	char suffix[1200];

	if (s == NULL)
		return;
	snprintf(suffix, sizeof(suffix), "%s/%s", prefix, what);
	text(suffix, s, len);
	free(s);
}

static void msg_attachment(GsfInfile *at, const char *prefix, int depth)
{
	size_t len = 0;
	char *name = prop_string(at, 0x3707, &len);
	GsfInput *in;

	if (name == NULL)
		name = prop_string(at, 0x3704, &len);
	if (name == NULL)
		name = strdup("attachment");
	if (name == NULL)
		return;
	if ((in = prop(at, 0x3701, 0x0102)) != NULL) { /* PR_ATTACH_DATA_BIN */
		size_t n;
		const guint8 *d = stream_bytes(in, &n);

		if (d)
			file(name, d, n);
		else
			unreadable(prefix, "attachment %s too large", name);
		g_object_unref(in);
	} else if ((in = prop(at, 0x3701, 0x000D)) != NULL) { /* embedded message */
		char sub[1200];

		snprintf(sub, sizeof(sub), "%s/attachment:%s", prefix, name);
		if (GSF_IS_INFILE(in) && depth < 10)
			msg(GSF_INFILE(in), sub, depth + 1);
		else
			unreadable(sub, "embedded message nested too deep");
		g_object_unref(in);
	}
	free(name);
}

/* An Outlook message storage ([MS-OXMSG] 2.1): its text properties, its
 * compressed RTF body ([MS-OXRTFCP]), attachments, embedded messages. */
static void msg(GsfInfile *st, const char *prefix, int depth)
{
	GsfInput *in;
	int nc = gsf_infile_num_children(st);

	msg_text(st, 0x0037, prefix, "subject");
	msg_text(st, 0x0070, prefix, "topic");
	msg_text(st, 0x0C1A, prefix, "sender");
	msg_text(st, 0x0E04, prefix, "to");
	msg_text(st, 0x0E03, prefix, "cc");
	msg_text(st, 0x1000, prefix, "body");
	if ((in = prop(st, 0x1013, 0x0102)) != NULL || (in = prop(st, 0x1013, 0x001F)) != NULL) {
		size_t n;
		const guint8 *d = stream_bytes(in, &n);

		if (d)
			file("body.html", d, n);
		g_object_unref(in);
	}
	if ((in = prop(st, 0x1009, 0x0102)) != NULL) { /* PR_RTF_COMPRESSED */
		size_t n;
		const guint8 *d = stream_bytes(in, &n);

		if (d && n > 16) {
			variableLength v = {(BYTE *)d, (int)n};
			int size = 0;
			BYTE *r = DecompressRTF(&v, &size);

			if (r && size > 0) {
				struct buf b = {0};
				char suffix[1200];

				rtf_text((const char *)r, (size_t)size, &b);
				snprintf(suffix, sizeof(suffix), "%s/body.rtf", prefix);
				text(suffix, b.d ? b.d : "", b.n);
				free(b.d);
			} else {
				unreadable(prefix, "damaged compressed RTF body");
			}
			free(r);
		}
		g_object_unref(in);
	}
	for (int i = 0; i < nc; i++) {
		const char *name = gsf_infile_name_by_index(st, i);

		if (name && strncmp(name, "__attach_version1.0_", 20) == 0) {
			GsfInput *a = gsf_infile_child_by_index(st, i);

			if (a && GSF_IS_INFILE(a))
				msg_attachment(GSF_INFILE(a), prefix, depth);
			if (a)
				g_object_unref(a);
		} else if (name && strncmp(name, "__recip_version1.0_", 19) == 0) {
			GsfInput *a = gsf_infile_child_by_index(st, i);

			if (a && GSF_IS_INFILE(a)) {
				msg_text(GSF_INFILE(a), 0x3001, prefix, "recipient");
				msg_text(GSF_INFILE(a), 0x39FE, prefix, "recipient");
			}
			if (a)
				g_object_unref(a);
		}
	}
}

/* PowerPoint 97-2003 ([MS-PPT] 2.3.1): every text atom of the document
 * stream, inside any container, OfficeArt text boxes included (catppt reads
 * only the slide list and misses text boxes, which LibreOffice and PowerPoint
 * both write). TextCharsAtom 0x0FA0 (UTF-16LE), TextBytesAtom 0x0FA8
 * (code page), CString 0x0FBA (UTF-16LE). */
static void ppt_walk(const guint8 *d, size_t n, int depth, struct buf *out)
{
	size_t i = 0;

	while (i + 8 <= n) {
		unsigned ver = d[i] & 0x0F;
		unsigned type = d[i + 2] | (unsigned)d[i + 3] << 8;
		size_t len = (size_t)d[i + 4] | (size_t)d[i + 5] << 8 | (size_t)d[i + 6] << 16 |
			     (size_t)d[i + 7] << 24;

		i += 8;
		if (len > n - i)
			len = n - i;
		if (ver == 0xF && depth < 32) {
			ppt_walk(d + i, len, depth + 1, out);
		} else if (type == 0x0FA0 || type == 0x0FA8 || type == 0x0FBA) {
			size_t tl;
			char *t = mapi_string(d + i, len, type != 0x0FA8, &tl);

			if (t) {
				for (size_t k = 0; k < tl; k++)
					if (t[k] == '\r' || t[k] == 0x0B)
						t[k] = '\n';
				buf_add(out, t, tl);
				buf_add(out, "\n", 1);
				free(t);
			}
		}
		i += len;
	}
}

static void ppt(GsfInfile *ole)
{
	GsfInput *in = child(ole, "PowerPoint Document");
	const guint8 *d;
	size_t n;
	struct buf b = {0};

	if (in == NULL || (d = stream_bytes(in, &n)) == NULL) {
		unreadable("", "PowerPoint document too large or damaged");
	} else {
		ppt_walk(d, n, 0, &b);
		text("", b.d ? b.d : "", b.n);
	}
	free(b.d);
	if (in)
		g_object_unref(in);
}

/* Word 97-2003 FIB: fEncrypted is bit 8 of the flags at offset 0x0A. */
static bool word_encrypted(GsfInfile *ole)
{
	GsfInput *w = child(ole, "WordDocument");
	guint8 fib[12];
	bool enc = false;

	if (w && gsf_input_read(w, sizeof(fib), fib) != NULL)
		enc = (fib[0x0B] & 0x01) != 0;
	if (w)
		g_object_unref(w);
	return enc;
}

/* BIFF8: a FILEPASS record (0x002F) among the first records of the workbook. */
static bool excel_encrypted(GsfInfile *ole)
{
	GsfInput *w = child(ole, "Workbook");
	bool enc = false;

	if (w == NULL)
		w = child(ole, "Book");
	for (int i = 0; w && i < 64; i++) {
		guint8 h[4];
		unsigned type, len;

		if (gsf_input_read(w, 4, h) == NULL)
			break;
		type = h[0] | (unsigned)h[1] << 8;
		len = h[2] | (unsigned)h[3] << 8;
		if (type == 0x002F) {
			enc = true;
			break;
		}
		if (gsf_input_seek(w, len, G_SEEK_CUR))
			break;
	}
	if (w)
		g_object_unref(w);
	return enc;
}

static void ole2(const char *d, size_t n)
{
	GsfInput *in = gsf_input_memory_new((const guint8 *)d, (gsf_off_t)n, FALSE);
	GError *err = NULL;
	GsfInfile *ole = in ? gsf_infile_msole_new(in, &err) : NULL;

	if (ole == NULL) {
		unreadable("", "damaged OLE2 compound file (%s)", err ? err->message : "?");
		if (err)
			g_error_free(err);
		if (in)
			g_object_unref(in);
		return;
	}
	if (has_child(ole, "EncryptedPackage") || has_child(ole, "EncryptedSummary")) {
		unreadable("", "encrypted Office document");
	} else if (has_child(ole, "WordDocument")) {
		char *argv[] = {"catdoc", "-d", "utf-8", "-w", inpath, NULL};

		if (word_encrypted(ole))
			unreadable("", "encrypted Word document");
		else
			tool_text("Word 97-2003 reader", argv, "");
	} else if (has_child(ole, "Workbook") || has_child(ole, "Book")) {
		char *argv[] = {"xls2csv", "-d", "utf-8", "-q", "0", inpath, NULL};

		if (excel_encrypted(ole))
			unreadable("", "encrypted Excel workbook");
		else
			tool_text("Excel 97-2003 reader", argv, "");
	} else if (has_child(ole, "PowerPoint Document")) {
		ppt(ole);
	} else if (has_child(ole, "__properties_version1.0") ||
		   has_child(ole, "__substg1.0_0037001F") ||
		   has_child(ole, "__substg1.0_0037001E")) {
		msg(ole, "", 0);
	} else {
		unreadable("", "an OLE2 document of a kind that is not read");
	}
	g_object_unref(ole);
	g_object_unref(in);
}

/* ---- S/MIME (RFC 5652, RFC 8551 opaque signing) ------------------------- */

static void cms(const char *d, size_t n)
{
	BIO *b = BIO_new_mem_buf(d, (int)n);
	CMS_ContentInfo *ci = b ? d2i_CMS_bio(b, NULL) : NULL;
	ASN1_OCTET_STRING **pos;

	if (ci == NULL) {
		unreadable("", "damaged S/MIME structure");
	} else if (OBJ_obj2nid(CMS_get0_type(ci)) == NID_pkcs7_enveloped ||
		   OBJ_obj2nid(CMS_get0_type(ci)) == NID_pkcs7_encrypted) {
		unreadable("", "encrypted (S/MIME enveloped-data)");
	} else if ((pos = CMS_get0_content(ci)) != NULL && *pos != NULL) {
		/* the signed content in clear; the signature is not checked:
		 * only what a recipient can read matters here */
		if (fits((size_t)ASN1_STRING_length(*pos)))
			rec('M', "", ASN1_STRING_get0_data(*pos), (size_t)ASN1_STRING_length(*pos));
	}
	/* a detached signature carries no content: nothing to read */
	CMS_ContentInfo_free(ci);
	BIO_free(b);
}

/* ---- archives (libarchive) ----------------------------------------------- */

/* A single compressed stream has no member name: the attachment's name
 * without its compression suffix. */
static void raw_name(char *out, size_t cap)
{
	static const char *const sfx[] = {".gz", ".bz2", ".xz",	  ".zst",
					  ".z",	 ".tgz", ".tbz2", ".txz"};
	const char *nm = opt.name ? strrchr(opt.name, '/') : NULL;
	size_t l;

	nm = nm ? nm + 1 : opt.name;
	snprintf(out, cap, "%s", nm && *nm ? nm : "decompressed");
	l = strlen(out);
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		size_t sl = strlen(sfx[i]);

		if (l > sl && strcasecmp(out + l - sl, sfx[i]) == 0) {
			out[l - sl] = '\0';
			if (i >= 5)
				snprintf(out + l - sl, cap - (l - sl), ".tar");
			return;
		}
	}
	if (strcmp(out, "decompressed") != 0 && l + 12 < cap)
		strcat(out, ".decompressed");
}

/* Returns the number of regular members sent. raw_only: the decompressed
 * stream as one file, whatever it looks like. */
static unsigned archive_pass(const char *d, size_t n, bool raw_only)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	unsigned members = 0, sent = 0;
	int rc;

	archive_read_support_filter_all(a);
	if (raw_only)
		goto raw;
	archive_read_support_format_tar(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_rar(a);
	archive_read_support_format_rar5(a);
	archive_read_support_format_cab(a);
	archive_read_support_format_iso9660(a);
	archive_read_support_format_ar(a);
	archive_read_support_format_xar(a);
	archive_read_support_format_lha(a);
	archive_read_support_format_zip(a);
raw:
	archive_read_support_format_raw(a); /* one compressed stream, no container */
	if (archive_read_open_memory(a, d, n) != ARCHIVE_OK) {
		unreadable("", "damaged archive (%s)", archive_error_string(a));
		archive_read_free(a);
		return 1;
	}
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		char name[1024];
		struct buf b = {0};
		char chunk[65536];
		la_ssize_t r;

		if (++members > opt.max_members) {
			unreadable("", "member limit: more than %u members", opt.max_members);
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (archive_format(a) == ARCHIVE_FORMAT_RAW)
			raw_name(name, sizeof(name));
		else
			snprintf(name, sizeof(name), "%s",
				 archive_entry_pathname_utf8(e) ? archive_entry_pathname_utf8(e)
				 : archive_entry_pathname(e)	? archive_entry_pathname(e)
								: "member");
		if (archive_entry_is_encrypted(e)) {
			unreadable("", "password-protected archive member %s", name);
			continue;
		}
		while ((r = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
			if (!fits(b.n + (size_t)r) || buf_add(&b, chunk, (size_t)r) < 0)
				break;
		}
		if (r < 0) {
			unreadable("", "damaged archive member %s (%s)", name,
				   archive_error_string(a));
			free(b.d);
			if (r == ARCHIVE_FATAL)
				break;
			continue;
		}
		if (raw_only) {
			/* the stream looked like an empty tar because of leading
			 * zeros: what follows them is the content */
			size_t z = 0;

			while (z < b.n && b.d[z] == '\0')
				z++;
			file(name, b.d ? b.d + z : "", b.n - z);
		} else {
			file(name, b.d ? b.d : "", b.n);
		}
		free(b.d);
		sent++;
	}
	if (rc == ARCHIVE_FATAL) {
		unreadable("", "%s archive (%s)",
			   archive_read_has_encrypted_entries(a) > 0 ? "password-protected"
								     : "damaged",
			   archive_error_string(a) ? archive_error_string(a) : "?");
		sent++; /* said: no second pass */
	}
	archive_read_free(a);
	return sent;
}

static void archive(const char *d, size_t n, bool single_stream)
{
	/* zeros first make a decompressed stream look like an empty tar: what
	 * gunzip would show is then read as one file */
	if (archive_pass(d, n, false) == 0 && single_stream)
		archive_pass(d, n, true);
}

/* ---- images: OCR --------------------------------------------------------- */

static void image(const char *d, size_t n)
{
	unsigned long w = 0, h = 0;
	char *argv[] = {"tesseract", inpath, "-", "-l", "eng", "--psm", "3", "quiet", NULL};

	if (!opt.ocr)
		return;
	if (em_sniff_image_size(d, n, &w, &h) && w * h > opt.ocr_max_pixels) {
		unreadable("", "image too large to read (%lu x %lu pixels; ocr_max_megapixels %lu)",
			   w, h, opt.ocr_max_pixels / 1000000);
		return;
	}
	tool_text("OCR (tesseract)", argv, "/ocr");
}

/* ---- main ---------------------------------------------------------------- */

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static void cleanup(void)
{
	if (tmpdir[0])
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static unsigned long num(const char *s)
{
	return strtoul(s ? s : "0", NULL, 10);
}

/* One attachment from stdin to records on stdout, with the options in opt;
 * does not return. */
static void job(void)
{
	struct buf in = {0};
	char chunk[65536];
	ssize_t r;
	enum em_sniff_kind k;

	signal(SIGPIPE, SIG_IGN);
	while ((r = read(0, chunk, sizeof(chunk))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || buf_add(&in, chunk, (size_t)r) < 0) {
			unreadable("", "could not read the input");
			finish(0);
		}
	}
	job_input = &in;
	atexit(cleanup);
	k = em_sniff(in.d, in.n);
	switch (k) {
	case EM_SNIFF_PDF:
		pdf(in.d, in.n);
		break;
	case EM_SNIFF_OLE2:
		ole2(in.d, in.n);
		break;
	case EM_SNIFF_RTF:
		rtf(in.d, in.n);
		break;
	case EM_SNIFF_TNEF:
		tnef();
		break;
	case EM_SNIFF_PKCS7_SIGNED:
	case EM_SNIFF_PKCS7_ENVELOPED:
	case EM_SNIFF_PKCS7_OTHER:
		cms(in.d, in.n);
		break;
	case EM_SNIFF_GZIP:
	case EM_SNIFF_BZIP2:
	case EM_SNIFF_XZ:
	case EM_SNIFF_ZSTD:
		archive(in.d, in.n, true);
		break;
	case EM_SNIFF_TAR:
	case EM_SNIFF_7Z:
	case EM_SNIFF_RAR:
	case EM_SNIFF_CAB:
	case EM_SNIFF_ISO:
		archive(in.d, in.n, false);
		break;
	case EM_SNIFF_PNG:
	case EM_SNIFF_JPEG:
	case EM_SNIFF_GIF:
	case EM_SNIFF_TIFF:
	case EM_SNIFF_BMP:
	case EM_SNIFF_WEBP:
		image(in.d, in.n);
		break;
	default:
		unreadable("", "a format that is not read");
		break;
	}
	free(in.d);
	finish(0);
}

/* ---- server mode (the pre-forked extractor, ex_proto.h) ------------------ */

#define SERVER_SLOTS 256

static struct slot {
	pid_t pid; /* 0: free */
	int status_fd;
} slots[SERVER_SLOTS];

/* Loads what the parsers load lazily, so that a forked child starts warm:
 * GLib's type system and libgsf's classes, libarchive's readers, OpenSSL,
 * iconv's conversion modules. Parses nothing that came from mail. */
static void warm_up(void)
{
	static const guint8 empty[512];
	GsfInput *in = gsf_input_memory_new(empty, sizeof(empty), FALSE);
	GError *err = NULL;
	GsfInfile *ole = in ? gsf_infile_msole_new(in, &err) : NULL;
	struct archive *a = archive_read_new();
	iconv_t cd = iconv_open("UTF-8", "CP1252");
	BIO *b = BIO_new_mem_buf(empty, sizeof(empty));

	if (ole)
		g_object_unref(ole);
	if (err)
		g_error_free(err);
	err = NULL;
	if (in)
		g_object_unref(in);
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	archive_read_free(a);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	CMS_ContentInfo_free(b ? d2i_CMS_bio(b, NULL) : NULL);
	BIO_free(b);
#ifdef EM_POPPLER_GLIB
	{ /* poppler's global parameters are made at the first document */
		GBytes *by = g_bytes_new_static(empty, sizeof(empty));
		PopplerDocument *doc = poppler_document_new_from_bytes(by, NULL, &err);

		if (doc)
			g_object_unref(doc);
		if (err)
			g_error_free(err);
		g_bytes_unref(by);
	}
#endif
}

/* In the forked child: the job's fds, limits and options; then the job. */
static void server_child(const struct ex_job *j, const int fds[3])
{
	struct rlimit rl;
	sigset_t none;
	static char name[sizeof(j->name)];

	setsid(); /* its own process group: a kill reaches the tools it runs */
	dup2(fds[0], 0);
	dup2(fds[1], 1);
	close_range(2, ~0U, 0);	     /* the control socket, other jobs' status pipes */
	open("/dev/null", O_WRONLY); /* fd 2 */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none); /* SIGALRM and SIGXCPU must reach it */
	sigprocmask(SIG_SETMASK, &none, NULL);
	rl.rlim_cur = j->cpu_seconds;
	rl.rlim_max = (rlim_t)j->cpu_seconds + 1;
	setrlimit(RLIMIT_CPU, &rl);
	rl.rlim_cur = rl.rlim_max = j->as_bytes;
	setrlimit(RLIMIT_AS, &rl);
	rl.rlim_cur = rl.rlim_max = j->fsize_bytes;
	setrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = rl.rlim_max = 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	alarm(j->alarm_seconds);
	forked_job = true;
	memcpy(name, j->name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	opt.name = name[0] ? name : NULL;
	opt.max_output = j->max_output;
	opt.max_members = j->max_members;
	opt.ocr = j->ocr != 0;
	opt.ocr_max_pixels = j->ocr_max_pixels;
	job();
}

static void server_reply(int32_t pid, int32_t err)
{
	struct ex_reply r = {pid, err};

	/* sendmsg is outside the seccomp filter: a connected socket takes write */
	if (write(0, &r, sizeof(r)) != sizeof(r))
		_exit(0);
}

static void server_job(const struct ex_job *j, const int fds[3])
{
	int k = 0;
	pid_t pid;

	while (k < SERVER_SLOTS && slots[k].pid != 0)
		k++;
	if (k == SERVER_SLOTS) {
		server_reply(0, EAGAIN);
		return;
	}
	if ((pid = fork()) < 0) {
		server_reply(0, errno);
		return;
	}
	if (pid == 0)
		server_child(j, fds);
	slots[k].pid = pid;
	slots[k].status_fd = fds[2];
	server_reply(pid, 0);
}

static void server_reap(void)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (int k = 0; k < SERVER_SLOTS; k++)
			if (slots[k].pid == pid) {
				int32_t v = st;

				if (write(slots[k].status_fd, &v, sizeof(v)) < 0) {
					/* the adapter gave up on it */
				}
				close(slots[k].status_fd);
				slots[k].pid = 0;
			}
}

static int server(void)
{
	sigset_t chld;
	int sfd;

	signal(SIGPIPE, SIG_IGN);
	warm_up();
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	if ((sfd = signalfd(-1, &chld, SFD_CLOEXEC)) < 0)
		return 1;
	if (write(0, "R", 1) != 1)
		return 1;
	for (;;) {
		struct pollfd pf[2] = {{0, POLLIN, 0}, {sfd, POLLIN, 0}};
		struct ex_job j;
		char cbuf[CMSG_SPACE(3 * sizeof(int))];
		struct iovec iov = {&j, sizeof(j)};
		struct msghdr mh = {0};
		struct cmsghdr *cm;
		int fds[3] = {-1, -1, -1}, nfd = 0;
		ssize_t r;

		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) < 0) {
				/* drained by server_reap anyway */
			}
			server_reap();
		}
		if (pf[0].revents == 0)
			continue;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		r = recvmsg(0, &mh, MSG_CMSG_CLOEXEC);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break; /* the adapter's process is gone */
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
				for (size_t i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
				     i++) {
					int fd;

					memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
					if (nfd < 3)
						fds[nfd++] = fd;
					else
						close(fd);
				}
		if (r == (ssize_t)sizeof(j) && j.magic == EX_JOB_MAGIC && j.op == 'J' && nfd == 3 &&
		    !(mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
			server_job(&j, fds);
			close(fds[0]);
			close(fds[1]);
		} else {
			if (r == (ssize_t)sizeof(j) && j.magic == EX_JOB_MAGIC && j.op == 'K' &&
			    j.pid > 0)
				for (int k = 0; k < SERVER_SLOTS; k++)
					if (slots[k].pid == j.pid) {
						kill(-j.pid, SIGKILL);
						kill(j.pid, SIGKILL);
					}
			for (int i = 0; i < nfd; i++)
				close(fds[i]);
			if (!(r == (ssize_t)sizeof(j) && j.magic == EX_JOB_MAGIC && j.op == 'K'))
				server_reply(0, EINVAL);
		}
	}
	for (int k = 0; k < SERVER_SLOTS; k++)
		if (slots[k].pid != 0) {
			kill(-slots[k].pid, SIGKILL);
			kill(slots[k].pid, SIGKILL);
		}
	return 0;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--server") == 0 && argc == 2)
			return server();
		if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			opt.name = argv[++i];
		else if (strcmp(argv[i], "--max-output") == 0 && i + 1 < argc)
			opt.max_output = num(argv[++i]);
		else if (strcmp(argv[i], "--max-members") == 0 && i + 1 < argc)
			opt.max_members = (unsigned)num(argv[++i]);
		else if (strcmp(argv[i], "--ocr") == 0)
			opt.ocr = true;
		else if (strcmp(argv[i], "--ocr-max-pixels") == 0 && i + 1 < argc)
			opt.ocr_max_pixels = num(argv[++i]);
		else {
			fprintf(stderr,
				"usage: embargo-extract [--name NAME] [--max-output BYTES] "
				"[--max-members N] [--ocr] [--ocr-max-pixels N] < FILE\n"
				"       embargo-extract --server   (fd 0: the control socket, "
				"see ex_proto.h)\n");
			return 2;
		}
	}
	job();
	return 0;
}
