/*
 * test_store - the quarantine store (em_store) and the verdict JSON contract
 * (em_vjson). Every test works in its own mkdtemp directory, removed after.
 * Verdicts are built by hand here and freed by a local helper: the core's
 * em_verdict_free is not linked into this module's tests.
 */
#define _GNU_SOURCE

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "em_store.h"
#include "em_vjson.h"

/* 2020-11-12T09:30:00Z */
#define PUB_A ((time_t)1605173400)
/* 2020-11-13T07:00:00Z */
#define PUB_B ((time_t)1605250800)

struct fx {
	char dir[64];
	char qdir[96];
};

/* ---- helpers ---- */

static char *xstrdup(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	assert_true(s == NULL || d != NULL);
	return d;
}

static char **xstrv(size_t n, ...)
{
	char **v = calloc(n ? n : 1, sizeof(*v));
	va_list ap;

	assert_non_null(v);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

/*
 * A quarantine verdict at 21.5 hours before PUB_A: release "lms-2020-11"
 * (PUB_A, the earliest) and, when release_b is given, a second release
 * (PUB_B) blocking one of the same recipients.
 */
static struct em_verdict *make_verdict(const char *release_b)
{
	struct em_verdict *v = calloc(1, sizeof(*v));
	struct em_release_verdict *r;

	assert_non_null(v);
	v->action = EM_QUARANTINE;
	v->mode = EM_ENFORCE;
	v->at = PUB_A - 77400;
	v->sender = xstrdup("analyst@stats.example");
	v->rcpts = xstrv(3, "press@news.example", "friend@else.example", "ok@stats.example");
	v->nrcpts = 3;
	v->subject = xstrdup("Draft: labour market, OFFICIAL-SENSITIVE");
	v->message_id = xstrdup("<abc.123@stats.example>");
	v->nreleases = release_b ? 2 : 1;
	v->releases = calloc(v->nreleases, sizeof(*v->releases));
	assert_non_null(v->releases);
	r = &v->releases[0];
	r->id = xstrdup("lms-2020-11");
	r->title = xstrdup("Labour market statistics: November 2020");
	r->publish_at = PUB_A;
	r->pre_release_from = PUB_A - 86400;
	r->action = EM_QUARANTINE;
	r->after_publication = EM_AFTER_RELEASE;
	r->pra_open = true;
	r->blocked = xstrv(2, "press@news.example", "friend@else.example");
	r->nblocked = 2;
	r->nevidence = 2;
	r->evidence = calloc(2, sizeof(*r->evidence));
	assert_non_null(r->evidence);
	r->evidence[0].kind = EM_EV_MARKER;
	r->evidence[0].where = xstrdup("subject");
	r->evidence[0].text = xstrdup("official-sensitive");
	r->evidence[1].kind = EM_EV_CONTENT;
	r->evidence[1].where = xstrdup("attachment:tables.xlsx/xl/sharedStrings.xml");
	r->evidence[1].text = xstrdup("unemployment rate 4.8%");
	if (release_b) {
		r = &v->releases[1];
		r->id = xstrdup(release_b);
		r->title = xstrdup("GDP first estimate");
		r->publish_at = PUB_B;
		r->pre_release_from = PUB_B - 86400;
		r->action = EM_REJECT;
		r->after_publication = EM_AFTER_KEEP;
		r->pra_open = false;
		r->blocked = xstrv(1, "press@news.example");
		r->nblocked = 1;
		r->nevidence = 1;
		r->evidence = calloc(1, sizeof(*r->evidence));
		assert_non_null(r->evidence);
		r->evidence[0].kind = EM_EV_IDENTIFIER;
		r->evidence[0].where = xstrdup("body");
		r->evidence[0].text = xstrdup("gdp-q3-2020");
	}
	return v;
}

/* A file in dir holding data, opened for reading at offset 0. */
static int data_fd(const char *dir, const void *data, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/raw-XXXXXX", dir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	assert_non_null(f);
	do {
		if (cap - n < 4096) {
			cap = cap * 2 + 4096;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Number of entries (other than . and ..) in qdir/sub. */
static int count_entries(const struct fx *fx, const char *sub)
{
	char path[512];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", fx->qdir, sub);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int count_rows(struct em_store *st)
{
	struct em_store_row *rows;
	size_t n;
	char err[256];

	assert_int_equal(em_store_list(st, NULL, &rows, &n, err, sizeof(err)), 0);
	em_store_rows_free(rows, n);
	return (int)n;
}

static void sql(const struct fx *fx, const char *stmt)
{
	char path[512];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/index.sqlite", fx->qdir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, stmt, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/emstore-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (strlen(fx->dir) >= sizeof(fx->dir) - 1 || mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	/* The store must create its own directory. */
	snprintf(fx->qdir, sizeof(fx->qdir), "%s/q", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static struct em_store *open_store(const struct fx *fx)
{
	char err[256] = "";
	struct em_store *st = em_store_open(fx->qdir, err, sizeof(err));

	if (st == NULL)
		fail_msg("em_store_open: %s", err);
	return st;
}

static void put_one(struct em_store *st, const struct fx *fx, const struct em_verdict *v,
		    const char *body, char *id)
{
	char err[256] = "";
	int fd = data_fd(fx->dir, body, strlen(body));

	if (em_store_put(st, v, "4F2Zk71fQz", "quarantine", fd, id, EM_STORE_ID_SIZE, err,
			 sizeof(err)) != 0)
		fail_msg("em_store_put: %s", err);
	close(fd);
}

/* ---- the store ---- */

static void test_put_then_get_round_trips_row_files_and_verdict(void **state)
{
	struct fx *fx = *state;
	/* Bytes a text path would mangle: CRLF, a NUL, 8-bit. */
	static const char raw[] = "Subject: x\r\nFrom: a@b\r\n\r\nbody \0 \xff\xfe end\r\n";
	struct em_verdict *v = make_verdict("gdp-q3-2020"), *back;
	struct em_store_row *row;
	char id[EM_STORE_ID_SIZE], err[256], prefix[20], *json, *eml;
	time_t before = time(NULL), after;
	struct stat sb;
	struct em_store *st;
	size_t len;
	json_t *doc;
	struct tm tm;
	int fd;

	umask(077); /* the store must still give the review group read access */
	st = open_store(fx);
	fd = data_fd(fx->dir, raw, sizeof(raw) - 1);
	assert_int_equal(em_store_put(st, v, "4F2Zk71fQz", "quarantine", fd, id, sizeof(id), err,
				      sizeof(err)),
			 0);
	close(fd);
	after = time(NULL);
	umask(022);

	assert_true(em_store_id_valid(id));
	/* The id starts with the UTC time of storing. */
	gmtime_r(&before, &tm);
	strftime(prefix, sizeof(prefix), "%Y%m%dT%H%M%SZ", &tm);
	if (strncmp(id, prefix, 16) != 0) {
		gmtime_r(&after, &tm);
		strftime(prefix, sizeof(prefix), "%Y%m%dT%H%M%SZ", &tm);
		assert_memory_equal(id, prefix, 16);
	}

	assert_int_equal(em_store_get(st, id, &row, err, sizeof(err)), 0);
	assert_string_equal(row->id, id);
	assert_true(row->created >= before && row->created <= after);
	assert_string_equal(row->sender, "analyst@stats.example");
	assert_int_equal(row->nrcpts, 3);
	assert_string_equal(row->rcpts[1], "friend@else.example");
	/* Blocked is the union over both releases, each address once. */
	assert_int_equal(row->nblocked, 2);
	assert_string_equal(row->blocked[0], "press@news.example");
	assert_string_equal(row->blocked[1], "friend@else.example");
	assert_int_equal(row->nreleases, 2);
	assert_string_equal(row->releases[0], "lms-2020-11");
	assert_string_equal(row->releases[1], "gdp-q3-2020");
	assert_int_equal(row->publish_at, PUB_A);
	assert_string_equal(row->queue_id, "4F2Zk71fQz");
	assert_string_equal(row->action_taken, "quarantine");
	assert_int_equal(row->state, EM_STORE_HELD);
	assert_null(row->state_by);
	assert_int_equal(row->state_at, row->created);
	assert_string_equal(row->subject, v->subject);
	assert_string_equal(row->message_id, v->message_id);

	eml = slurp(row->eml_path, &len);
	assert_int_equal(len, sizeof(raw) - 1);
	assert_memory_equal(eml, raw, len);
	free(eml);

	assert_int_equal(stat(row->eml_path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	assert_int_equal(stat(row->json_path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	assert_int_equal(stat(fx->qdir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0750);
	{
		char p[160];

		snprintf(p, sizeof(p), "%s/msg", fx->qdir);
		assert_int_equal(stat(p, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, 0750);
		snprintf(p, sizeof(p), "%s/index.sqlite", fx->qdir);
		assert_int_equal(stat(p, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, 0640);
	}

	json = slurp(row->json_path, NULL);
	doc = json_loads(json, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(doc, "format")), 1);
	assert_string_equal(json_string_value(json_object_get(doc, "id")), id);
	assert_string_equal(json_string_value(json_object_get(doc, "queue_id")), "4F2Zk71fQz");
	assert_string_equal(json_string_value(json_object_get(doc, "action_taken")), "quarantine");
	assert_non_null(json_string_value(json_object_get(doc, "created")));
	json_decref(doc);
	/* The record file reads back as the verdict, after_publication included. */
	back = em_verdict_from_json(json);
	free(json);
	assert_non_null(back);
	assert_int_equal(back->nreleases, 2);
	assert_int_equal(back->releases[0].after_publication, EM_AFTER_RELEASE);
	assert_int_equal(back->releases[1].after_publication, EM_AFTER_KEEP);
	assert_string_equal(back->releases[0].evidence[1].where,
			    "attachment:tables.xlsx/xl/sharedStrings.xml");
	em_verdict_free(back);

	/* Nothing stays behind in tmp/. */
	assert_int_equal(count_entries(fx, "tmp"), 0);
	assert_int_equal(count_entries(fx, "msg"), 2);
	em_store_row_free(row);
	em_store_close(st);
	em_verdict_free(v);
}

static void test_put_reads_from_the_current_offset_to_eof(void **state)
{
	struct fx *fx = *state;
	static const char raw[] = "ENVELOPE-JUNK\nSubject: s\n\nbody\n";
	struct em_verdict *v = make_verdict(NULL);
	struct em_store *st = open_store(fx);
	struct em_store_row *row;
	char id[EM_STORE_ID_SIZE], err[256], *eml;
	int fd = data_fd(fx->dir, raw, sizeof(raw) - 1);

	assert_int_equal(lseek(fd, 14, SEEK_SET), 14);
	assert_int_equal(em_store_put(st, v, NULL, "quarantine", fd, id, sizeof(id), err,
				      sizeof(err)),
			 0);
	close(fd);
	assert_int_equal(em_store_get(st, id, &row, err, sizeof(err)), 0);
	eml = slurp(row->eml_path, NULL);
	assert_string_equal(eml, raw + 14);
	assert_null(row->queue_id);
	assert_int_equal(row->publish_at, PUB_A);
	free(eml);
	em_store_row_free(row);
	em_store_close(st);
	em_verdict_free(v);
}

/* issue 9 point 7: why a record without a release is held, in the index
 * row, the record JSON and (absent) for an ordinary hold */
static void test_put_reason_lands_in_the_row_and_the_record_json(void **state)
{
	struct fx *fx = *state;
	static const char raw[] = "Subject: s\n\nbody\n";
	struct em_verdict *v = make_verdict(NULL);
	struct em_store *st = open_store(fx);
	struct em_store_row *row;
	char id[EM_STORE_ID_SIZE], id2[EM_STORE_ID_SIZE], err[256];
	json_t *doc;
	int fd = data_fd(fx->dir, raw, sizeof(raw) - 1);

	assert_int_equal(em_store_put_reason(st, v, "Q1", "quarantine", "unscannable", fd, id,
					     sizeof(id), err, sizeof(err)),
			 0);
	close(fd);
	fd = data_fd(fx->dir, raw, sizeof(raw) - 1);
	assert_int_equal(
	    em_store_put(st, v, "Q2", "quarantine", fd, id2, sizeof(id2), err, sizeof(err)), 0);
	close(fd);
	assert_int_equal(em_store_get(st, id, &row, err, sizeof(err)), 0);
	assert_string_equal(row->reason, "unscannable");
	assert_int_equal(row->expired_at, 0);
	doc = json_load_file(row->json_path, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "reason")), "unscannable");
	json_decref(doc);
	em_store_row_free(row);
	assert_int_equal(em_store_get(st, id2, &row, err, sizeof(err)), 0);
	assert_null(row->reason);
	doc = json_load_file(row->json_path, 0, NULL);
	assert_null(json_object_get(doc, "reason"));
	json_decref(doc);
	em_store_row_free(row);
	em_store_close(st);
	em_verdict_free(v);
}

/* issue 9 point 9: retention removes the files of a released or deleted
 * record and marks its row; a held record is refused; again is harmless */
static void test_expire_removes_files_marks_the_row_and_refuses_a_held_record(void **state)
{
	struct fx *fx = *state;
	static const char raw[] = "Subject: s\n\nbody\n";
	struct em_verdict *v = make_verdict("gdp-q3-2020");
	struct em_store *st = open_store(fx);
	struct em_store_row *row;
	char id[EM_STORE_ID_SIZE], err[256];
	struct stat sb;

	put_one(st, fx, v, raw, id);
	assert_int_equal(em_store_expire(st, id, 1700000000, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "held"));
	assert_int_equal(em_store_get(st, id, &row, err, sizeof(err)), 0);
	assert_int_equal(row->expired_at, 0);
	assert_int_equal(stat(row->eml_path, &sb), 0);
	em_store_row_free(row);

	assert_int_equal(em_store_set_state(st, id, EM_STORE_RELEASED, "rev", err, sizeof(err)), 0);
	assert_int_equal(em_store_expire(st, id, 1700000000, err, sizeof(err)), 0);
	assert_int_equal(em_store_expire(st, id, 1800000000, err, sizeof(err)), 0);
	assert_int_equal(em_store_get(st, id, &row, err, sizeof(err)), 0);
	assert_int_equal(row->expired_at, 1700000000);
	assert_int_equal(row->state, EM_STORE_RELEASED);
	assert_int_equal(stat(row->eml_path, &sb), -1);
	assert_int_equal(stat(row->json_path, &sb), -1);
	em_store_row_free(row);
	assert_int_equal(em_store_expire(st, "20201111T114500Z-00000000", 1, err, sizeof(err)), 1);
	em_store_close(st);
	em_verdict_free(v);
}

static void assert_nothing_stored(struct fx *fx, struct em_store *st)
{
	assert_int_equal(count_rows(st), 0);
	assert_int_equal(count_entries(fx, "msg"), 0);
	assert_int_equal(count_entries(fx, "tmp"), 0);
}

static void test_put_without_a_message_fd_fails_and_stores_nothing(void **state)
{
	struct fx *fx = *state;
	struct em_verdict *v = make_verdict(NULL);
	struct em_store *st = open_store(fx);
	char id[EM_STORE_ID_SIZE] = "", err[256] = "";

	assert_int_equal(em_store_put(st, v, "Q1", "quarantine", -1, id, sizeof(id), err,
				      sizeof(err)),
			 -1);
	assert_true(err[0] != '\0');
	assert_string_equal(id, "");
	assert_nothing_stored(fx, st);
	em_store_close(st);
	em_verdict_free(v);
}

static void test_put_from_an_unreadable_fd_fails_and_removes_its_tmp_files(void **state)
{
	struct fx *fx = *state;
	struct em_verdict *v = make_verdict(NULL);
	struct em_store *st = open_store(fx);
	char id[EM_STORE_ID_SIZE] = "", err[256] = "", path[160];
	int fd;

	/* Open for writing only: fstat works, read(2) fails after the tmp files exist. */
	snprintf(path, sizeof(path), "%s/wo", fx->dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(em_store_put(st, v, "Q1", "quarantine", fd, id, sizeof(id), err,
				      sizeof(err)),
			 -1);
	close(fd);
	assert_non_null(strstr(err, "read"));
	assert_nothing_stored(fx, st);
	em_store_close(st);
	em_verdict_free(v);
}

static void test_put_that_cannot_write_fails_and_leaves_nothing_half_written(void **state)
{
	struct fx *fx = *state;
	struct em_verdict *v = make_verdict(NULL);
	struct em_store *st = open_store(fx);
	char id[EM_STORE_ID_SIZE] = "", err[256] = "";
	size_t big = 512 * 1024;
	char *raw = malloc(big);
	struct rlimit old, lim;
	void (*oldsig)(int);
	int fd, rc;

	assert_non_null(raw);
	memset(raw, 'x', big);
	fd = data_fd(fx->dir, raw, big);
	/* A file size limit makes write(2) fail with EFBIG, like a full disk. */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 64 * 1024;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = em_store_put(st, v, "Q1", "quarantine", fd, id, sizeof(id), err, sizeof(err));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	close(fd);
	free(raw);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "write"));
	assert_nothing_stored(fx, st);
	em_store_close(st);
	em_verdict_free(v);
}

static void test_put_refuses_an_id_buffer_too_small_before_writing(void **state)
{
	struct fx *fx = *state;
	struct em_verdict *v = make_verdict(NULL);
	struct em_store *st = open_store(fx);
	char id[EM_STORE_ID_SIZE - 1], err[256] = "";
	int fd = data_fd(fx->dir, "x\n", 2);

	assert_int_equal(em_store_put(st, v, "Q1", "quarantine", fd, id, sizeof(id), err,
				      sizeof(err)),
			 -1);
	close(fd);
	assert_nothing_stored(fx, st);
	em_store_close(st);
	em_verdict_free(v);
}

#define NTHREADS 8
#define PUTS_PER_THREAD 12

struct put_job {
	struct em_store *st;
	struct fx *fx;
	int t;
	int failures;
	char ids[PUTS_PER_THREAD][EM_STORE_ID_SIZE];
};

static void *put_worker(void *arg)
{
	struct put_job *j = arg;
	struct em_verdict *v = make_verdict(j->t % 2 ? "gdp-q3-2020" : NULL);
	char body[128], err[256];

	for (int i = 0; i < PUTS_PER_THREAD; i++) {
		int n = snprintf(body, sizeof(body), "Subject: t%d m%d\n\nthread %d message %d\n",
				 j->t, i, j->t, i);
		int fd = data_fd(j->fx->dir, body, (size_t)n);

		if (em_store_put(j->st, v, NULL, "quarantine", fd, j->ids[i], EM_STORE_ID_SIZE,
				 err, sizeof(err)) != 0)
			j->failures++;
		close(fd);
	}
	em_verdict_free(v);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_concurrent_puts_from_eight_threads_all_land_with_unique_ids(void **state)
{
	struct fx *fx = *state;
	struct em_store *st = open_store(fx);
	struct put_job *jobs = calloc(NTHREADS, sizeof(*jobs));
	pthread_t th[NTHREADS];
	char(*all)[EM_STORE_ID_SIZE] = calloc(NTHREADS * PUTS_PER_THREAD, EM_STORE_ID_SIZE);
	struct em_store_row *row;
	char err[256], want[64], *eml;

	assert_non_null(jobs);
	assert_non_null(all);
	for (int t = 0; t < NTHREADS; t++) {
		jobs[t] = (struct put_job){.st = st, .fx = fx, .t = t};
		assert_int_equal(pthread_create(&th[t], NULL, put_worker, &jobs[t]), 0);
	}
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	for (int t = 0; t < NTHREADS; t++) {
		assert_int_equal(jobs[t].failures, 0);
		for (int i = 0; i < PUTS_PER_THREAD; i++) {
			memcpy(all[t * PUTS_PER_THREAD + i], jobs[t].ids[i], EM_STORE_ID_SIZE);
			/* Each id leads to its own message. */
			assert_int_equal(em_store_get(st, jobs[t].ids[i], &row, err, sizeof(err)),
					 0);
			eml = slurp(row->eml_path, NULL);
			snprintf(want, sizeof(want), "thread %d message %d\n", t, i);
			assert_non_null(strstr(eml, want));
			assert_int_equal(row->nreleases, t % 2 ? 2 : 1);
			free(eml);
			em_store_row_free(row);
		}
	}
	qsort(all, NTHREADS * PUTS_PER_THREAD, EM_STORE_ID_SIZE, cmp_str);
	for (int k = 1; k < NTHREADS * PUTS_PER_THREAD; k++)
		assert_string_not_equal(all[k - 1], all[k]);
	assert_int_equal(count_rows(st), NTHREADS * PUTS_PER_THREAD);
	assert_int_equal(count_entries(fx, "msg"), 2 * NTHREADS * PUTS_PER_THREAD);
	assert_int_equal(count_entries(fx, "tmp"), 0);
	free(all);
	free(jobs);
	em_store_close(st);
}

static void test_list_filters_by_release_since_and_state(void **state)
{
	struct fx *fx = *state;
	struct em_store *st = open_store(fx);
	struct em_verdict *one = make_verdict(NULL), *two = make_verdict("gdp-q3-2020");
	char a[EM_STORE_ID_SIZE], b[EM_STORE_ID_SIZE], c[EM_STORE_ID_SIZE], err[256], stmt[256];
	struct em_store_filter f;
	struct em_store_row *rows;
	size_t n;

	put_one(st, fx, one, "a\n", a);
	put_one(st, fx, two, "b\n", b);
	put_one(st, fx, two, "c\n", c);
	/* Spread the creation times so "since" has something to separate. */
	snprintf(stmt, sizeof(stmt),
		 "UPDATE records SET created = 1000 WHERE id = '%s';"
		 "UPDATE records SET created = 2000 WHERE id = '%s';"
		 "UPDATE records SET created = 3000 WHERE id = '%s';",
		 c, a, b);
	sql(fx, stmt);
	assert_int_equal(em_store_set_state(st, b, EM_STORE_RELEASED, "alice", err, sizeof(err)),
			 0);

	assert_int_equal(em_store_list(st, NULL, &rows, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	/* Oldest first. */
	assert_string_equal(rows[0].id, c);
	assert_string_equal(rows[1].id, a);
	assert_string_equal(rows[2].id, b);
	em_store_rows_free(rows, n);

	f = (struct em_store_filter){.release = "gdp-q3-2020", .since = 0, .state = -1};
	assert_int_equal(em_store_list(st, &f, &rows, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, c);
	assert_string_equal(rows[1].id, b);
	em_store_rows_free(rows, n);

	/* A release id that is a prefix of a real one matches nothing. */
	f = (struct em_store_filter){.release = "gdp", .since = 0, .state = -1};
	assert_int_equal(em_store_list(st, &f, &rows, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	assert_null(rows);

	f = (struct em_store_filter){.release = NULL, .since = 2000, .state = -1};
	assert_int_equal(em_store_list(st, &f, &rows, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, a);
	assert_string_equal(rows[1].id, b);
	em_store_rows_free(rows, n);

	f = (struct em_store_filter){.release = NULL, .since = 0, .state = EM_STORE_HELD};
	assert_int_equal(em_store_list(st, &f, &rows, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, c);
	assert_string_equal(rows[1].id, a);
	em_store_rows_free(rows, n);

	f = (struct em_store_filter){
		.release = "lms-2020-11", .since = 2500, .state = EM_STORE_RELEASED};
	assert_int_equal(em_store_list(st, &f, &rows, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, b);
	assert_string_equal(rows[0].state_by, "alice");
	em_store_rows_free(rows, n);

	f = (struct em_store_filter){.release = NULL, .since = 0, .state = 7};
	assert_int_equal(em_store_list(st, &f, &rows, &n, err, sizeof(err)), -1);

	em_store_close(st);
	em_verdict_free(one);
	em_verdict_free(two);
}

static void test_state_transitions_follow_the_rules(void **state)
{
	struct fx *fx = *state;
	struct em_store *st = open_store(fx);
	struct em_verdict *v = make_verdict(NULL);
	char a[EM_STORE_ID_SIZE], b[EM_STORE_ID_SIZE], err[256];
	struct em_store_row *row;
	time_t at;
	struct stat sb;

	put_one(st, fx, v, "a\n", a);
	put_one(st, fx, v, "b\n", b);

	/* held -> released, recorded with who and when. */
	assert_int_equal(em_store_set_state(st, a, EM_STORE_RELEASED, "alice", err, sizeof(err)),
			 0);
	assert_int_equal(em_store_get(st, a, &row, err, sizeof(err)), 0);
	assert_int_equal(row->state, EM_STORE_RELEASED);
	assert_string_equal(row->state_by, "alice");
	at = row->state_at;
	assert_true(at >= row->created);
	em_store_row_free(row);

	/* released -> released is idempotent: who released it first stays. */
	assert_int_equal(em_store_set_state(st, a, EM_STORE_RELEASED, "bob", err, sizeof(err)), 0);
	assert_int_equal(em_store_get(st, a, &row, err, sizeof(err)), 0);
	assert_string_equal(row->state_by, "alice");
	assert_int_equal(row->state_at, at);
	em_store_row_free(row);

	/* released -> deleted and back to held are refused, naming both states. */
	err[0] = '\0';
	assert_int_equal(em_store_set_state(st, a, EM_STORE_DELETED, "bob", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "released"));
	assert_non_null(strstr(err, "deleted"));
	assert_int_equal(em_store_set_state(st, a, EM_STORE_HELD, "bob", err, sizeof(err)), -1);

	/* held -> held is not a transition. */
	assert_int_equal(em_store_set_state(st, b, EM_STORE_HELD, "bob", err, sizeof(err)), -1);

	/* held -> deleted removes the message bytes but keeps the record file. */
	assert_int_equal(em_store_set_state(st, b, EM_STORE_DELETED, "bob", err, sizeof(err)), 0);
	assert_int_equal(em_store_get(st, b, &row, err, sizeof(err)), 0);
	assert_int_equal(row->state, EM_STORE_DELETED);
	assert_int_equal(stat(row->eml_path, &sb), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(stat(row->json_path, &sb), 0);
	em_store_row_free(row);

	/* deleted is final. */
	assert_int_equal(em_store_set_state(st, b, EM_STORE_RELEASED, "bob", err, sizeof(err)), -1);
	assert_int_equal(em_store_set_state(st, b, EM_STORE_DELETED, "bob", err, sizeof(err)), -1);

	/* Unknown but well-formed id: 1; malformed id: -1; bad state: -1. */
	assert_int_equal(em_store_set_state(st, "20200101T000000Z-00000000", EM_STORE_RELEASED,
					    "bob", err, sizeof(err)),
			 1);
	assert_int_equal(em_store_set_state(st, "../../etc/passwd", EM_STORE_RELEASED, "bob", err,
					    sizeof(err)),
			 -1);
	assert_int_equal(em_store_set_state(st, a, (enum em_store_state)9, "bob", err,
					    sizeof(err)),
			 -1);
	em_store_close(st);
	em_verdict_free(v);
}

static void test_ids_of_any_other_form_are_refused(void **state)
{
	struct fx *fx = *state;
	struct em_store *st = open_store(fx);
	struct em_store_row *row = (struct em_store_row *)&row;
	char err[256];
	static const char *const bad[] = {
		"",
		"20201111T114500Z-3f9a1c2",	 /* short */
		"20201111T114500Z-3f9a1c2b0",	 /* long */
		"20201111T114500Z-3F9A1C2B",	 /* upper-case hex */
		"20201111t114500Z-3f9a1c2b",	 /* lower t */
		"20201111T114500Z/3f9a1c2b",	 /* slash */
		"../../../../../../etc/pa",	 /* traversal */
		"20201111T114500Z-3f9a1c2g",	 /* not hex */
		"2020111XT114500Z-3f9a1c2b",	 /* not digit */
	};

	assert_true(em_store_id_valid("20201111T114500Z-3f9a1c2b"));
	assert_false(em_store_id_valid(NULL));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(em_store_id_valid(bad[i]));
		assert_int_equal(em_store_get(st, bad[i], &row, err, sizeof(err)), -1);
		assert_null(row);
	}
	assert_int_equal(em_store_get(st, "20201111T114500Z-3f9a1c2b", &row, err, sizeof(err)), 1);
	assert_null(row);
	em_store_close(st);
}

static void test_reopening_keeps_records_and_a_newer_schema_is_refused(void **state)
{
	struct fx *fx = *state;
	struct em_store *st = open_store(fx);
	struct em_verdict *v = make_verdict(NULL);
	char id[EM_STORE_ID_SIZE], err[256] = "";
	struct em_store_row *row;

	put_one(st, fx, v, "a\n", id);
	em_store_close(st);
	st = open_store(fx);
	assert_int_equal(count_rows(st), 1);
	assert_int_equal(em_store_get(st, id, &row, err, sizeof(err)), 0);
	em_store_row_free(row);
	em_store_close(st);

	/* a version 1 store (before confirm) is upgraded in place: 2 adds tables only */
	sql(fx, "DROP TABLE requests; DROP TABLE confirm_codes; "
		"UPDATE schema_version SET version = 1");
	st = open_store(fx);
	assert_int_equal(count_rows(st), 1);
	em_store_close(st);
	sql(fx, "INSERT INTO requests(id, record_id, action, requested_by, via, reason, "
		"requested_at, state) VALUES ('req-1', 'x', 'release', 'a', 'cli', 'r', 1, "
		"'pending')");

	sql(fx, "UPDATE schema_version SET version = 3");
	assert_null(em_store_open(fx->qdir, err, sizeof(err)));
	assert_non_null(strstr(err, "newer"));
	em_verdict_free(v);
}

static void test_open_reports_a_directory_it_cannot_create(void **state)
{
	struct fx *fx = *state;
	char path[160], err[256] = "";

	snprintf(path, sizeof(path), "%s/no/such/parent", fx->dir);
	assert_null(em_store_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot"));
	assert_null(em_store_open(NULL, err, sizeof(err)));
}

static void make_old_file(const struct fx *fx, const char *rel)
{
	char path[512];
	struct timespec ts[2] = {{.tv_sec = 1000}, {.tv_sec = 1000}};
	int fd;

	snprintf(path, sizeof(path), "%s/%s", fx->qdir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0640);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static int exists(const struct fx *fx, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", fx->qdir, rel);
	return access(path, F_OK) == 0;
}

static void test_sweep_removes_crash_orphans_and_keeps_records(void **state)
{
	struct fx *fx = *state;
	struct em_store *st = open_store(fx);
	struct em_verdict *v = make_verdict(NULL);
	char id[EM_STORE_ID_SIZE], gone[EM_STORE_ID_SIZE], err[256], rel[256];
	size_t removed = 99;

	put_one(st, fx, v, "kept\n", id);
	put_one(st, fx, v, "deleted\n", gone);
	/* An old record must survive however old its files are. */
	snprintf(rel, sizeof(rel), "%s/msg/%s.eml", fx->qdir, id);
	{
		struct timespec ts[2] = {{.tv_sec = 1000}, {.tv_sec = 1000}};

		assert_int_equal(utimensat(AT_FDCWD, rel, ts, 0), 0);
	}
	make_old_file(fx, "tmp/20200101T000000Z-0000000a.eml");
	make_old_file(fx, "msg/20200101T000000Z-0000000b.eml");
	make_old_file(fx, "msg/20200101T000000Z-0000000b.json");
	make_old_file(fx, "msg/README");
	/* A recent orphan may be a put in flight: kept. */
	{
		char p[512];
		int fd;

		snprintf(p, sizeof(p), "%s/tmp/20200101T000000Z-0000000c.eml", fx->qdir);
		fd = open(p, O_WRONLY | O_CREAT, 0640);
		assert_true(fd >= 0);
		close(fd);
	}
	/* A deleted record whose .eml survived (a failed unlink) loses it to the sweep. */
	sql(fx, "UPDATE records SET state = 'deleted'");
	sql(fx, "UPDATE records SET state = 'held' WHERE rowid = (SELECT min(rowid) FROM records)");
	{
		char p[512];
		struct timespec ts[2] = {{.tv_sec = 1000}, {.tv_sec = 1000}};

		snprintf(p, sizeof(p), "%s/msg/%s.eml", fx->qdir, gone);
		assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	}

	assert_int_equal(em_store_sweep(st, 3600, &removed, err, sizeof(err)), 0);
	assert_int_equal(removed, 4);
	assert_false(exists(fx, "tmp/20200101T000000Z-0000000a.eml"));
	assert_false(exists(fx, "msg/20200101T000000Z-0000000b.eml"));
	assert_false(exists(fx, "msg/20200101T000000Z-0000000b.json"));
	assert_true(exists(fx, "msg/README"));
	assert_true(exists(fx, "tmp/20200101T000000Z-0000000c.eml"));
	snprintf(rel, sizeof(rel), "msg/%s.eml", id);
	assert_true(exists(fx, rel));
	snprintf(rel, sizeof(rel), "msg/%s.json", id);
	assert_true(exists(fx, rel));
	snprintf(rel, sizeof(rel), "msg/%s.eml", gone);
	assert_false(exists(fx, rel));
	snprintf(rel, sizeof(rel), "msg/%s.json", gone);
	assert_true(exists(fx, rel));
	em_store_close(st);
	em_verdict_free(v);
}

/* ---- the audit log ---- */

#define AUDIT_LINES 300

struct audit_job {
	const char *path;
	int t;
	int failures;
};

/* Line k of thread t: long enough (several KiB for some) to tempt a split write. */
static char *audit_line(int t, int k)
{
	size_t pad = (size_t)((k * 7919 + t * 104729) % 6000);
	char *s = malloc(pad + 64);

	assert_non_null(s);
	int n = snprintf(s, 64, "{\"t\":%d,\"k\":%d,\"pad\":\"", t, k);
	memset(s + n, 'a' + t, pad);
	strcpy(s + n + pad, "\"}");
	return s;
}

static void *audit_worker(void *arg)
{
	struct audit_job *j = arg;
	char err[256];

	for (int k = 0; k < AUDIT_LINES; k++) {
		char *line = audit_line(j->t, k);

		if (em_audit_append(j->path, line, err, sizeof(err)) != 0)
			j->failures++;
		free(line);
	}
	return NULL;
}

static void test_audit_lines_from_eight_threads_never_interleave(void **state)
{
	struct fx *fx = *state;
	struct audit_job jobs[NTHREADS];
	pthread_t th[NTHREADS];
	char path[160], *data, *p, *nl;
	int seen[NTHREADS][AUDIT_LINES] = {{0}}, lines = 0;
	struct stat sb;

	snprintf(path, sizeof(path), "%s/audit.log", fx->dir);
	umask(077);
	for (int t = 0; t < NTHREADS; t++) {
		jobs[t] = (struct audit_job){.path = path, .t = t};
		assert_int_equal(pthread_create(&th[t], NULL, audit_worker, &jobs[t]), 0);
	}
	for (int t = 0; t < NTHREADS; t++) {
		pthread_join(th[t], NULL);
		assert_int_equal(jobs[t].failures, 0);
	}
	umask(022);
	/* O_CREAT mode 0640 under the process umask (077 here). */
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	data = slurp(path, NULL);
	for (p = data; *p; p = nl + 1) {
		int t, k;
		char *want;

		nl = strchr(p, '\n');
		assert_non_null(nl);
		*nl = '\0';
		assert_int_equal(sscanf(p, "{\"t\":%d,\"k\":%d", &t, &k), 2);
		assert_true(t >= 0 && t < NTHREADS && k >= 0 && k < AUDIT_LINES);
		want = audit_line(t, k);
		assert_string_equal(p, want);
		free(want);
		seen[t][k]++;
		lines++;
	}
	free(data);
	assert_int_equal(lines, NTHREADS * AUDIT_LINES);
	for (int t = 0; t < NTHREADS; t++)
		for (int k = 0; k < AUDIT_LINES; k++)
			assert_int_equal(seen[t][k], 1);
}

static void test_audit_refuses_a_line_with_an_embedded_newline(void **state)
{
	struct fx *fx = *state;
	char path[160], err[256] = "", *data;
	struct stat sb;

	snprintf(path, sizeof(path), "%s/audit.log", fx->dir);
	assert_int_equal(em_audit_append(path, "{\"a\":1}\n{\"forged\":1}", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newline"));
	/* A single trailing newline is not doubled. */
	assert_int_equal(em_audit_append(path, "{\"a\":1}\n", err, sizeof(err)), 0);
	assert_int_equal(em_audit_append(path, "{\"b\":2}", err, sizeof(err)), 0);
	data = slurp(path, NULL);
	assert_string_equal(data, "{\"a\":1}\n{\"b\":2}\n");
	free(data);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	snprintf(path, sizeof(path), "%s/no/dir/audit.log", fx->dir);
	assert_int_equal(em_audit_append(path, "{}", err, sizeof(err)), -1);
}

/* ---- the verdict JSON contract ---- */

static void assert_keys(json_t *o, const char *const *keys, size_t n)
{
	const char *key;
	json_t *val;
	size_t i = 0;

	json_object_foreach(o, key, val)
	{
		assert_true(i < n);
		assert_string_equal(key, keys[i]);
		i++;
	}
	assert_int_equal(i, n);
}

static void test_verdict_json_has_the_contract_keys_values_and_order(void **state)
{
	static const char *const top[] = {"action", "releases", "mode", "at", "sender",
					  "recipients", "subject", "message_id"};
	static const char *const top_full[] = {"action", "releases", "incomplete", "notes",
					       "mode", "at", "sender", "recipients",
					       "subject", "message_id"};
	static const char *const rel_keys[] = {"id", "title", "publish_at", "pre_release_from",
					       "action", "pra_open", "hours_to_publication",
					       "blocked", "evidence"};
	static const char *const ev_keys[] = {"kind", "where", "text"};
	struct em_verdict *v = make_verdict("gdp-q3-2020");
	char *s;
	json_t *o, *r, *e;

	s = em_verdict_to_json(v, 0);
	assert_non_null(s);
	assert_null(strchr(s, '\n'));
	/* One decimal, written as such (not 21.500000000000004). */
	assert_non_null(strstr(s, "\"hours_to_publication\":21.5,"));
	o = json_loads(s, 0, NULL);
	assert_non_null(o);
	assert_keys(o, top, sizeof(top) / sizeof(top[0]));
	assert_string_equal(json_string_value(json_object_get(o, "action")), "quarantine");
	assert_string_equal(json_string_value(json_object_get(o, "mode")), "enforce");
	assert_string_equal(json_string_value(json_object_get(o, "at")), "2020-11-11T12:00:00Z");
	assert_string_equal(json_string_value(json_object_get(o, "sender")),
			    "analyst@stats.example");
	assert_int_equal(json_array_size(json_object_get(o, "recipients")), 3);
	assert_string_equal(json_string_value(json_object_get(o, "message_id")),
			    "<abc.123@stats.example>");

	r = json_array_get(json_object_get(o, "releases"), 0);
	assert_keys(r, rel_keys, sizeof(rel_keys) / sizeof(rel_keys[0]));
	assert_string_equal(json_string_value(json_object_get(r, "id")), "lms-2020-11");
	assert_string_equal(json_string_value(json_object_get(r, "publish_at")),
			    "2020-11-12T09:30:00Z");
	assert_string_equal(json_string_value(json_object_get(r, "pre_release_from")),
			    "2020-11-11T09:30:00Z");
	assert_string_equal(json_string_value(json_object_get(r, "action")), "quarantine");
	assert_true(json_is_true(json_object_get(r, "pra_open")));
	assert_true(json_is_real(json_object_get(r, "hours_to_publication")));
	assert_true(json_real_value(json_object_get(r, "hours_to_publication")) == 21.5);
	assert_int_equal(json_array_size(json_object_get(r, "blocked")), 2);
	e = json_array_get(json_object_get(r, "evidence"), 1);
	assert_keys(e, ev_keys, 3);
	assert_string_equal(json_string_value(json_object_get(e, "kind")), "content");
	assert_string_equal(json_string_value(json_object_get(e, "text")),
			    "unemployment rate 4.8%");

	r = json_array_get(json_object_get(o, "releases"), 1);
	assert_string_equal(json_string_value(json_object_get(r, "action")), "reject");
	assert_true(json_is_false(json_object_get(r, "pra_open")));
	/* 2020-11-13T07:00Z is 43 h after at. */
	assert_true(json_real_value(json_object_get(r, "hours_to_publication")) == 43.0);
	assert_non_null(strstr(s, "\"hours_to_publication\":43.0,"));
	e = json_array_get(json_object_get(r, "evidence"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "kind")), "identifier");
	json_decref(o);
	free(s);

	/* incomplete and notes appear when non-empty, between releases and mode;
	 * absent subject and message id are null; monitor mode; rounding to 0.3. */
	v->incomplete = xstrv(1, "decoded size limit reached");
	v->nincomplete = 1;
	v->notes = xstrv(2, "identifier of release X without a marker", "n2");
	v->nnotes = 2;
	free(v->subject);
	v->subject = NULL;
	free(v->message_id);
	v->message_id = NULL;
	v->mode = EM_MONITOR;
	v->action = EM_TEMPFAIL;
	v->at = PUB_A - 1000;
	s = em_verdict_to_json(v, 0);
	assert_non_null(s);
	assert_non_null(strstr(s, "\"hours_to_publication\":0.3,"));
	o = json_loads(s, 0, NULL);
	assert_non_null(o);
	assert_keys(o, top_full, sizeof(top_full) / sizeof(top_full[0]));
	assert_string_equal(json_string_value(json_object_get(o, "action")), "tempfail");
	assert_string_equal(json_string_value(json_object_get(o, "mode")), "monitor");
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "incomplete"), 0)),
			    "decoded size limit reached");
	assert_int_equal(json_array_size(json_object_get(o, "notes")), 2);
	assert_true(json_is_null(json_object_get(o, "subject")));
	assert_true(json_is_null(json_object_get(o, "message_id")));
	json_decref(o);
	free(s);
	em_verdict_free(v);
}

static void test_verdict_json_flags_pretty_and_full(void **state)
{
	struct em_verdict *v = make_verdict(NULL);
	char *compact = em_verdict_to_json(v, 0), *pretty = em_verdict_to_json(v, EM_VJSON_PRETTY);
	char *full = em_verdict_to_json(v, EM_VJSON_FULL);
	json_t *a = json_loads(compact, 0, NULL), *b = json_loads(pretty, 0, NULL), *r;

	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(strchr(pretty, '\n'));
	assert_true(json_equal(a, b));
	assert_null(strstr(compact, "after_publication"));
	json_decref(a);
	json_decref(b);
	a = json_loads(full, 0, NULL);
	r = json_array_get(json_object_get(a, "releases"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "after_publication")), "release");
	json_decref(a);
	free(compact);
	free(pretty);
	free(full);
	em_verdict_free(v);
	assert_null(em_verdict_to_json(NULL, 0));
}

static void assert_verdicts_equal(const struct em_verdict *a, const struct em_verdict *b)
{
	assert_int_equal(a->action, b->action);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->at, b->at);
	assert_string_equal(a->sender, b->sender);
	assert_int_equal(a->nrcpts, b->nrcpts);
	for (size_t i = 0; i < a->nrcpts; i++)
		assert_string_equal(a->rcpts[i], b->rcpts[i]);
	if (a->subject)
		assert_string_equal(a->subject, b->subject);
	else
		assert_null(b->subject);
	if (a->message_id)
		assert_string_equal(a->message_id, b->message_id);
	else
		assert_null(b->message_id);
	assert_int_equal(a->nnotes, b->nnotes);
	for (size_t i = 0; i < a->nnotes; i++)
		assert_string_equal(a->notes[i], b->notes[i]);
	assert_int_equal(a->nincomplete, b->nincomplete);
	for (size_t i = 0; i < a->nincomplete; i++)
		assert_string_equal(a->incomplete[i], b->incomplete[i]);
	assert_int_equal(a->nreleases, b->nreleases);
	for (size_t i = 0; i < a->nreleases; i++) {
		const struct em_release_verdict *x = &a->releases[i], *y = &b->releases[i];

		assert_string_equal(x->id, y->id);
		assert_string_equal(x->title, y->title);
		assert_int_equal(x->publish_at, y->publish_at);
		assert_int_equal(x->pre_release_from, y->pre_release_from);
		assert_int_equal(x->action, y->action);
		assert_int_equal(x->after_publication, y->after_publication);
		assert_int_equal(x->pra_open, y->pra_open);
		assert_int_equal(x->nblocked, y->nblocked);
		for (size_t k = 0; k < x->nblocked; k++)
			assert_string_equal(x->blocked[k], y->blocked[k]);
		assert_int_equal(x->nevidence, y->nevidence);
		for (size_t k = 0; k < x->nevidence; k++) {
			assert_int_equal(x->evidence[k].kind, y->evidence[k].kind);
			assert_string_equal(x->evidence[k].where, y->evidence[k].where);
			assert_string_equal(x->evidence[k].text, y->evidence[k].text);
		}
	}
}

static void test_verdict_json_round_trips_through_from_json(void **state)
{
	struct em_verdict *v = make_verdict("gdp-q3-2020"), *back;
	char *s;

	v->incomplete = xstrv(1, "zip nesting limit");
	v->nincomplete = 1;
	free(v->message_id);
	v->message_id = NULL;
	s = em_verdict_to_json(v, EM_VJSON_FULL | EM_VJSON_PRETTY);
	assert_non_null(s);
	back = em_verdict_from_json(s);
	assert_non_null(back);
	assert_verdicts_equal(v, back);
	free(s);
	em_verdict_free(back);

	/* Without FULL, after_publication reads as keep; the rest is unchanged. */
	s = em_verdict_to_json(v, 0);
	back = em_verdict_from_json(s);
	assert_non_null(back);
	assert_int_equal(back->releases[0].after_publication, EM_AFTER_KEEP);
	back->releases[0].after_publication = v->releases[0].after_publication;
	assert_verdicts_equal(v, back);
	free(s);
	em_verdict_free(back);

	/* An empty verdict (accept, no releases) round trips too. */
	em_verdict_free(v);
	v = calloc(1, sizeof(*v));
	assert_non_null(v);
	v->at = PUB_B;
	s = em_verdict_to_json(v, 0);
	assert_string_equal(s, "{\"action\":\"accept\",\"releases\":[],\"mode\":\"enforce\","
			       "\"at\":\"2020-11-13T07:00:00Z\",\"sender\":null,"
			       "\"recipients\":[],\"subject\":null,\"message_id\":null}");
	back = em_verdict_from_json(s);
	assert_non_null(back);
	assert_int_equal(back->nreleases, 0);
	assert_null(back->sender);
	assert_int_equal(back->at, PUB_B);
	free(s);
	em_verdict_free(back);
	em_verdict_free(v);
}

static void test_verdict_json_replaces_invalid_utf8_instead_of_failing(void **state)
{
	struct em_verdict *v = make_verdict(NULL);
	char *s;
	json_t *o;

	free(v->subject);
	/* A lone 0xff, a truncated sequence, an overlong '/', a surrogate. */
	v->subject = xstrdup("a\xff" "b\xc3" "c\xc0\xaf" "d\xed\xa0\x80" "e \xc3\xa9");
	free(v->releases[0].evidence[0].text);
	v->releases[0].evidence[0].text = xstrdup("\x80\x80");
	s = em_verdict_to_json(v, 0);
	assert_non_null(s);
	o = json_loads(s, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "subject")),
			    "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd"
			    "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "e \xc3\xa9");
	json_decref(o);
	free(s);
	em_verdict_free(v);
}

static void test_verdict_from_json_rejects_what_is_not_a_verdict(void **state)
{
	static const char *const bad[] = {
		"",
		"not json",
		"[]",
		"{}",
		"{\"action\":\"maybe\",\"releases\":[],\"mode\":\"enforce\",\"at\":null}",
		"{\"action\":\"accept\",\"mode\":\"enforce\",\"at\":null}",
		"{\"action\":\"accept\",\"releases\":{},\"mode\":\"enforce\",\"at\":null}",
		"{\"action\":\"accept\",\"releases\":[],\"mode\":\"loud\",\"at\":null}",
		"{\"action\":\"accept\",\"releases\":[],\"mode\":\"enforce\",\"at\":\"yesterday\"}",
		"{\"action\":\"accept\",\"releases\":[],\"mode\":\"enforce\",\"at\":null,"
		"\"recipients\":[1]}",
		"{\"action\":\"accept\",\"releases\":[],\"mode\":\"enforce\",\"at\":null,"
		"\"sender\":5}",
		"{\"action\":\"accept\",\"releases\":[{\"title\":\"no id\",\"action\":\"flag\"}],"
		"\"mode\":\"enforce\",\"at\":null}",
		"{\"action\":\"accept\",\"releases\":[{\"id\":\"r\",\"action\":\"flag\","
		"\"evidence\":[{\"kind\":\"rumour\"}]}],\"mode\":\"enforce\",\"at\":null}",
		"{\"action\":\"accept\",\"releases\":[{\"id\":\"r\",\"action\":\"flag\","
		"\"pra_open\":\"yes\"}],\"mode\":\"enforce\",\"at\":null}",
		"{\"action\":\"accept\",\"action\":\"reject\",\"releases\":[],\"mode\":\"enforce\"}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct em_verdict *v = em_verdict_from_json(bad[i]);

		if (v != NULL) {
			em_verdict_free(v);
			fail_msg("accepted: %s", bad[i]);
		}
	}
	assert_null(em_verdict_from_json(NULL));
}

static void test_verdict_from_json_reads_utc_offsets(void **state)
{
	struct em_verdict *v = em_verdict_from_json(
		"{\"action\":\"flag\",\"releases\":[{\"id\":\"r\",\"action\":\"flag\","
		"\"publish_at\":\"2020-11-12T10:30:00+01:00\"}],\"mode\":\"enforce\","
		"\"at\":\"2020-11-12T09:30:00Z\"}");

	assert_non_null(v);
	assert_int_equal(v->at, PUB_A);
	assert_int_equal(v->releases[0].publish_at, PUB_A);
	em_verdict_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_put_then_get_round_trips_row_files_and_verdict,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_put_reads_from_the_current_offset_to_eof, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_put_without_a_message_fd_fails_and_stores_nothing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_expire_removes_files_marks_the_row_and_refuses_a_held_record, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_put_reason_lands_in_the_row_and_the_record_json,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_put_from_an_unreadable_fd_fails_and_removes_its_tmp_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_put_that_cannot_write_fails_and_leaves_nothing_half_written, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_put_refuses_an_id_buffer_too_small_before_writing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_concurrent_puts_from_eight_threads_all_land_with_unique_ids, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_filters_by_release_since_and_state, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_state_transitions_follow_the_rules, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ids_of_any_other_form_are_refused, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_reopening_keeps_records_and_a_newer_schema_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_reports_a_directory_it_cannot_create, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_sweep_removes_crash_orphans_and_keeps_records,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_lines_from_eight_threads_never_interleave,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_refuses_a_line_with_an_embedded_newline,
					    setup, teardown),
	    cmocka_unit_test(test_verdict_json_has_the_contract_keys_values_and_order),
	    cmocka_unit_test(test_verdict_json_flags_pretty_and_full),
	    cmocka_unit_test(test_verdict_json_round_trips_through_from_json),
	    cmocka_unit_test(test_verdict_json_replaces_invalid_utf8_instead_of_failing),
	    cmocka_unit_test(test_verdict_from_json_rejects_what_is_not_a_verdict),
	    cmocka_unit_test(test_verdict_from_json_reads_utc_offsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
