/*
 * ctl_fingerprint - `embargoctl fingerprint`: release documents into a .fp
 * file of keyed hashes (em_fprint), for a release's `fingerprints` key.
 *
 *   embargoctl fingerprint --new-key FILE
 *   embargoctl fingerprint [-c CONFIG] [--published FILE]... -o OUT.fp DOCUMENT...
 *
 * Documents are read through the scan itself (em_scan with a text sink):
 * every format the scan reads (docx, xlsx, pptx, odt, ods, zip, txt, html,
 * eml, and whatever reader is added to the scan later, PDF included) is
 * fingerprinted the same way it is later found in mail. A document of which
 * no text or not all text could be read is an error, never a silently empty
 * fingerprint. The statistician is shown what was kept (passages, each
 * headline figure with its context words) and what was left out as public;
 * the .fp file holds hashes only.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../adapt/em_config.h"
#include "../adapt/em_fpkey.h"
#include "../core/em_buf.h"
#include "../core/em_fprint.h"
#include "../core/em_rules.h"
#include "../core/em_scan.h"
#include "../core/em_settings.h"
#include "ctl.h"

struct sink {
	struct em_fp_builder *b;
	bool published;
	size_t bytes;
	bool nomem;
};

static void on_text(void *ctx, const char *where, const char *text, size_t len)
{
	struct sink *k = ctx;

	k->bytes += len;
	if (em_fp_builder_add(k->b, text, len, k->published) < 0)
		k->nomem = true;
}

static int b64(struct em_buf *out, const unsigned char *d, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int bad = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)d[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)d[i + 1] << 8;
		if (i + 2 < n)
			v |= d[i + 2];
		char q[4] = {tab[(v >> 18) & 63], tab[(v >> 12) & 63],
			     i + 1 < n ? tab[(v >> 6) & 63] : '=', i + 2 < n ? tab[v & 63] : '='};
		bad |= em_buf_append(out, q, 4);
		if ((i / 3) % 19 == 18)
			bad |= em_buf_puts(out, "\r\n");
	}
	bad |= em_buf_puts(out, "\r\n");
	return bad;
}

static char *slurp(const char *path, size_t *len)
{
	struct em_buf b = EM_BUF_INIT;
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (em_buf_append(&b, chunk, (size_t)n) < 0) {
			n = -1;
			errno = ENOMEM;
			break;
		}
	int e = errno;
	close(fd);
	if (n < 0) {
		em_buf_free(&b);
		errno = e;
		return NULL;
	}
	*len = b.len;
	if (b.data == NULL)
		return strdup("");
	return em_buf_steal(&b);
}

/*
 * Reads len bytes at data (the document named path; as_message: an RFC 5322
 * message, else a file) through the scan; 0, or -1 after printing why.
 */
static int read_bytes(const struct em_rules *rules, const char *path, const char *data,
		      size_t len, bool as_message, struct sink *k)
{
	struct em_scan *s = em_scan_new(rules, NULL);
	struct em_verdict *v = NULL;
	struct em_buf msg = EM_BUF_INIT;
	const char *base = strrchr(path, '/');
	int rc = -1;

	base = base ? base + 1 : path;
	if (s == NULL)
		goto nomem;
	em_scan_set_text_sink(s, on_text, k);
	k->bytes = 0;
	if (as_message) {
		em_scan_push(s, data, len);
	} else {
		/* the document as the attachment of a message: the scan's own path */
		if (em_buf_printf(&msg,
				  "MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
				  "Content-Transfer-Encoding: base64\r\n\r\n") < 0 ||
		    b64(&msg, (const unsigned char *)data, len))
			goto nomem;
		em_scan_push(s, msg.data, msg.len);
	}
	if (em_scan_finish(s, time(NULL), &v) < 0 || k->nomem)
		goto nomem;
	if (v->nincomplete) {
		fprintf(stderr, "embargoctl: %s: could not be read fully: %s\n", path,
			v->incomplete[0]);
		goto out;
	}
	for (size_t i = 0; i < v->nnotes; i++)
		fprintf(stderr, "embargoctl: %s: %s\n", path, v->notes[i]);
	if (k->bytes == 0) {
		fprintf(stderr, "embargoctl: %s: no text could be read from it\n", path);
		goto out;
	}
	if (!k->published && em_fp_builder_source(k->b, base) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	fprintf(stderr, "embargoctl: %s: out of memory\n", path);
out:
	em_verdict_free(v);
	em_scan_free(s);
	em_buf_free(&msg);
	return rc;
}

/* Reads one document file through the scan; 0, or -1 after printing why. */
static int read_document(const struct em_rules *rules, const char *path, struct sink *k)
{
	size_t len = 0, n = strlen(path);
	char *data = slurp(path, &len);
	int rc;

	if (data == NULL) {
		fprintf(stderr, "embargoctl: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = read_bytes(rules, path, data, len, n > 4 && strcasecmp(path + n - 4, ".eml") == 0, k);
	free(data);
	return rc;
}

/* Adds one paragraph to the text of the public names; -1 out of memory. */
static int add_name(struct em_buf *names, const char *s)
{
	return s && *s ? em_buf_printf(names, "%s\r\n\r\n", s) : 0;
}

/*
 * The release calendar is public: every release's title and identifiers in
 * dir (a releases_dir, each *.conf a `release = { ... }` file) are read as
 * published text, so a draft's title line is never a passage and mail that
 * quotes a title (an invite, a comms grid) is not an excerpt. Read with
 * libconfig only for those keys (a release whose .fp does not exist yet is
 * fine here); a file that does not parse is skipped with a warning, as
 * `embargoctl check` reports it. Returns how many names were added, or -1
 * after printing why.
 */
static int read_release_names(const struct em_rules *rules, const char *dir,
			      struct em_fp_builder *b)
{
	struct em_buf names = EM_BUF_INIT;
	struct dirent **ents = NULL;
	int n, count = 0, rc = 0;

	if (dir == NULL || (n = scandir(dir, &ents, NULL, alphasort)) < 0)
		return 0;
	if (em_buf_puts(&names, "Content-Type: text/plain; charset=utf-8\r\n\r\n") < 0)
		rc = -1;
	for (int i = 0; i < n; i++) {
		const char *e = ents[i]->d_name;
		size_t len = strlen(e);
		char path[4096];
		config_t cf;
		config_setting_t *rel, *ids;

		if (rc == 0 && e[0] != '.' && len > 5 && strcmp(e + len - 5, ".conf") == 0 &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e) < sizeof(path)) {
			config_init(&cf);
			config_set_include_dir(&cf, dir);
			if (!config_read_file(&cf, path)) {
				fprintf(stderr, "embargoctl: warning: %s:%d: %s (its title is not "
						"left out)\n",
					path, config_error_line(&cf), config_error_text(&cf));
			} else if ((rel = config_lookup(&cf, "release")) != NULL &&
				   config_setting_is_group(rel)) {
				const char *t = NULL;

				if (config_setting_lookup_string(rel, "title", &t) && add_name(&names, t) < 0)
					rc = -1;
				count += t != NULL;
				ids = config_setting_get_member(rel, "identifiers");
				for (int k = 0; ids && k < config_setting_length(ids); k++) {
					const char *id = config_setting_get_string_elem(ids, (unsigned)k);

					if (add_name(&names, id) < 0)
						rc = -1;
					count += id != NULL;
				}
			}
			config_destroy(&cf);
		}
		free(ents[i]);
	}
	free(ents);
	if (rc == 0 && count > 0) {
		struct sink sk = {b, true, 0, false};

		rc = read_bytes(rules, "release titles and identifiers", names.data, names.len, true,
				&sk);
	}
	em_buf_free(&names);
	return rc < 0 ? -1 : count;
}

static void on_report(void *ctx, const char *figure, const char *ctxwords, bool kept)
{
	int *nshown = ctx;

	if (!kept)
		return;
	if ((*nshown)++ == 0)
		printf("headline figures kept, with the context words they must appear near:\n");
	printf("  %-20s %s\n", figure,
	       ctxwords && *ctxwords ? ctxwords : "(no context words: never matched)");
}

static void on_report_public(void *ctx, const char *figure, const char *ctxwords, bool kept)
{
	int *nshown = ctx;

	if (kept)
		return;
	if ((*nshown)++ == 0)
		printf("figures left out because a --published file has them:\n");
	printf("  %s\n", figure);
}

struct both {
	int kept, pub;
	char **pubv;
	size_t npub;
};

static void report_both(void *ctx, const char *figure, const char *ctxwords, bool kept)
{
	struct both *b = ctx;

	if (kept) {
		on_report(&b->kept, figure, ctxwords, kept);
	} else {
		char **v = realloc(b->pubv, (b->npub + 1) * sizeof(*v));
		if (v == NULL)
			return;
		b->pubv = v;
		if ((v[b->npub] = strdup(figure)) != NULL)
			b->npub++;
	}
}

static int write_atomic(const char *out, const struct em_buf *b)
{
	char *tmp = NULL;
	int fd;

	if (asprintf(&tmp, "%s.tmp.%ld", out, (long)getpid()) < 0)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, b->data, b->len) != (ssize_t)b->len || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, out) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	free(tmp);
	return 0;
}

static void usage_fp(FILE *f)
{
	fprintf(f, "usage: embargoctl fingerprint --new-key FILE\n"
		   "       embargoctl fingerprint [-c CONFIG] [--published FILE]... -o OUT.fp "
		   "DOCUMENT...\n");
}

int em_ctl_fingerprint(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"new-key", required_argument, NULL, 'K'},
	    {"published", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *conf = EM_CTL_DEFAULT_CONFIG, *out = NULL, *newkey = NULL;
	char **pub = NULL;
	size_t npub = 0;
	int c, rc = 2;
	struct em_config *cfg = NULL, *empty = NULL;
	struct em_rules *reader = NULL;
	struct em_fp_builder *b = NULL;
	struct em_fp *fp = NULL;
	struct em_buf text = EM_BUF_INIT;
	struct em_errors errs = EM_ERRORS_INIT;

	while ((c = getopt_long(argc, argv, "c:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'K':
			newkey = optarg;
			break;
		case 'P': {
			char **v = realloc(pub, (npub + 1) * sizeof(*v));
			if (v == NULL)
				goto done;
			pub = v;
			pub[npub++] = optarg;
			break;
		}
		case 'h':
			usage_fp(stdout);
			free(pub);
			return 0;
		default:
			usage_fp(stderr);
			free(pub);
			return 2;
		}
	}
	if (newkey) {
		char why[512];
		if (em_fpkey_new(newkey, why, sizeof(why)) != 0) {
			fprintf(stderr, "embargoctl: %s\n", why);
			goto done;
		}
		uint8_t k[EM_FP_KEY_BYTES];
		char id[17];
		if (em_fpkey_load(newkey, k, id, why, sizeof(why)) != 0) {
			fprintf(stderr, "embargoctl: %s\n", why);
			goto done;
		}
		printf(
		    "%s: new fingerprint key %s (mode 0640; give the milter's group read access, "
		    "set fingerprint_key = \"%s\";)\n",
		    newkey, id, newkey);
		rc = 0;
		goto done;
	}
	if (out == NULL || optind >= argc) {
		usage_fp(stderr);
		goto done;
	}
	cfg = em_config_load_main(conf, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	if (cfg == NULL)
		goto done;
	if (cfg->fingerprint_key == NULL) {
		fprintf(stderr,
			"embargoctl: %s has no fingerprint_key; make one with "
			"embargoctl fingerprint --new-key FILE\n",
			conf);
		goto done;
	}
	/* a reader: the scan with no release at all */
	if ((empty = calloc(1, sizeof(*empty))) == NULL)
		goto done;
	empty->limits = cfg->limits;
	empty->mode = EM_ENFORCE;
	empty->on_error = EM_TEMPFAIL;
	if ((reader = em_rules_build(empty, &errs)) == NULL) {
		em_config_free(empty);
		fprintf(stderr, "embargoctl: out of memory\n");
		goto done;
	}
	/* k-grams of k words, every one kept (w 1): mail is winnowed with a
	 * window of EM_FP_W_DEFAULT, so any run of excerpt_words shared words
	 * gives a hit, and the run's length is then counted exactly (a shorter
	 * run of common words is not an excerpt) */
	unsigned k = cfg->excerpt_words >= 5 ? cfg->excerpt_words - EM_FP_W_DEFAULT + 1 : 2;
	if ((b = em_fp_builder_new(cfg->fp_key, cfg->fp_key_id, k, 1)) == NULL)
		goto done;
	int names = read_release_names(reader, cfg->releases_dir, b);
	if (names < 0)
		goto done;
	for (size_t i = 0; i < npub; i++) {
		struct sink sk = {b, true, 0, false};
		if (read_document(reader, pub[i], &sk) < 0)
			goto done;
	}
	for (int i = optind; i < argc; i++) {
		struct sink sk = {b, false, 0, false};
		if (read_document(reader, argv[i], &sk) < 0)
			goto done;
	}
	char built[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(built, sizeof(built), "%Y-%m-%dT%H:%M:%SZ", &tm);
	struct both rep = {0};
	fp = em_fp_builder_finish(b, built, report_both, &rep);
	if (fp == NULL) {
		fprintf(stderr, "embargoctl: out of memory\n");
		goto done;
	}
	if (em_fp_write(fp, &text) < 0 || write_atomic(out, &text) < 0) {
		fprintf(stderr, "embargoctl: %s: %s\n", out, strerror(errno));
		for (size_t i = 0; i < rep.npub; i++)
			free(rep.pubv[i]);
		free(rep.pubv);
		goto done;
	}
	for (size_t i = 0; i < rep.npub; i++) {
		on_report_public(&rep.pub, rep.pubv[i], NULL, false);
		free(rep.pubv[i]);
	}
	free(rep.pubv);
	printf("%s: %zu passage fingerprints (%u words each: any %u words in a row are "
	       "found), %zu headline figures; key %s; %zu document(s)\n",
	       out, fp->nhashes, fp->k, cfg->excerpt_words, fp->nfigs, fp->key_id,
	       fp->nsources);
	printf("left out as public: %zu passage fingerprints, %zu figures (--published files and "
	       "%d release title(s) and identifier(s) of %s)\n",
	       fp->public_passages, fp->public_figures, names,
	       cfg->releases_dir ? cfg->releases_dir : "no releases_dir");
	if (fp->nhashes == 0 && fp->nfigs == 0)
		printf("warning: nothing was kept: this fingerprint can never match\n");
	rc = 0;
done:
	em_fp_free(fp);
	em_fp_builder_free(b);
	em_rules_free(reader);
	em_config_free(cfg);
	em_buf_free(&text);
	em_errors_free(&errs);
	free(pub);
	return rc;
}
