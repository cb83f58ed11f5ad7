/*
 * test_spool - the shell's message spool (milter/shell/spool.c, included:
 * unit tests link only libemcore). Memory up to the threshold, then an
 * unlinked temporary file; every byte comes back; failures stick.
 */
#define _GNU_SOURCE
#include "../../milter/shell/spool.c"

#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* clang-format off: cmocka.h needs the headers above first */
#include <cmocka.h>
/* clang-format on */
#include <sys/resource.h>

static char *read_back(struct em_spool *sp, size_t *len)
{
	int fd = em_spool_fd(sp);
	size_t cap = em_spool_size(sp) + 1, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;

	assert_true(fd >= 0);
	assert_non_null(buf);
	while ((r = read(fd, buf + n, cap - n)) > 0)
		n += (size_t)r;
	*len = n;
	return buf;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static char *make_dir(void)
{
	char *d = strdup("/tmp/test_spool.XXXXXX");

	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static void test_small_message_stays_in_memory_and_reads_back_exactly(void **state)
{
	struct em_spool *sp = em_spool_new(1024, NULL);
	char *back;
	size_t len;

	assert_int_equal(em_spool_write(sp, "Subject: a\r\n\r\n", 14), 0);
	assert_int_equal(em_spool_write(sp, "body\0bytes", 10), 0);
	assert_false(em_spool_on_disk(sp));
	back = read_back(sp, &len);
	assert_int_equal(len, 24);
	assert_memory_equal(back, "Subject: a\r\n\r\nbody\0bytes", 24);
	free(back);
	em_spool_free(sp);
}

static void test_crossing_the_threshold_moves_to_an_unlinked_file(void **state)
{
	char *dir = make_dir();
	struct em_spool *sp = em_spool_new(100, dir);
	char chunk[64], *back;
	size_t len;

	for (int i = 0; i < 64; i++)
		chunk[i] = (char)('A' + i % 26);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(em_spool_write(sp, chunk, sizeof(chunk)), 0);
	assert_true(em_spool_on_disk(sp));
	assert_int_equal(count_entries(dir), 0); /* unlinked at once */
	back = read_back(sp, &len);
	assert_int_equal(len, 64000);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(back[i], chunk[i % 64]);
	/* a second read starts at the beginning again */
	free(back);
	back = read_back(sp, &len);
	assert_int_equal(len, 64000);
	free(back);
	em_spool_free(sp);
	rmdir(dir);
	free(dir);
}

static void test_zero_threshold_spools_to_disk_from_the_first_byte(void **state)
{
	struct em_spool *sp = em_spool_new(0, NULL);

	assert_int_equal(em_spool_write(sp, "x", 1), 0);
	assert_true(em_spool_on_disk(sp));
	em_spool_free(sp);
}

static void test_unusable_directory_falls_back_to_tmpdir(void **state)
{
	char *dir = make_dir();
	struct em_spool *sp;

	setenv("TMPDIR", dir, 1);
	sp = em_spool_new(0, "/nonexistent/quarantine/tmp");
	assert_int_equal(em_spool_write(sp, "abc", 3), 0);
	assert_true(em_spool_on_disk(sp));
	em_spool_free(sp);
	unsetenv("TMPDIR");
	rmdir(dir);
	free(dir);
}

static void test_in_memory_spool_becomes_a_file_when_an_fd_is_needed(void **state)
{
	struct em_spool *sp = em_spool_new(1 << 20, NULL);
	char *back;
	size_t len;

	assert_int_equal(em_spool_write(sp, "hello", 5), 0);
	back = read_back(sp, &len);
	assert_true(em_spool_on_disk(sp));
	assert_int_equal(len, 5);
	assert_memory_equal(back, "hello", 5);
	free(back);
	em_spool_free(sp);
}

static void test_write_failure_sticks_and_the_fd_is_refused(void **state)
{
	struct rlimit old, lim;
	struct em_spool *sp = em_spool_new(0, NULL);
	char big[8192] = {0};

	/* a disk-full stand-in: the file size limit makes write() fail */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 4096;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(em_spool_write(sp, big, sizeof(big)), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(em_spool_write(sp, "x", 1), -1);
	assert_int_equal(em_spool_fd(sp), -1);
	em_spool_free(sp);
}

static void test_free_accepts_null(void **state)
{
	em_spool_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small_message_stays_in_memory_and_reads_back_exactly),
	    cmocka_unit_test(test_crossing_the_threshold_moves_to_an_unlinked_file),
	    cmocka_unit_test(test_zero_threshold_spools_to_disk_from_the_first_byte),
	    cmocka_unit_test(test_unusable_directory_falls_back_to_tmpdir),
	    cmocka_unit_test(test_in_memory_spool_becomes_a_file_when_an_fd_is_needed),
	    cmocka_unit_test(test_write_failure_sticks_and_the_fd_is_refused),
	    cmocka_unit_test(test_free_accepts_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
