/*
 * test_pg - the pure parts of the shared store (em_pg: what a `store` value
 * names, connection strings checked by libpq's own parser, which SQLSTATEs
 * are a lost connection, the retry backoff) and the relay's outbox
 * (em_outbox: audit-line keys; outbox rows written with a record and a state
 * change in the same SQLite transaction only when the outbox is on; shipped
 * rows removed; the shipper's marks). No PostgreSQL server is needed: the
 * server side is tested end to end by tests/e2e/t_pg_shared.sh.
 */
#define _GNU_SOURCE

/* cmocka.h needs these first */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <fcntl.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "em_config.h"
#include "em_outbox.h"
#include "em_pg.h"
#include "em_store.h"

static void test_store_kind_sqlite_is_unset_empty_or_the_word(void **state)
{
	(void)state;
	assert_int_equal(em_pg_store_kind(NULL), 0);
	assert_int_equal(em_pg_store_kind(""), 0);
	assert_int_equal(em_pg_store_kind("sqlite"), 0);
	assert_int_equal(em_pg_store_kind("postgresql://db1/embargo"), 1);
	assert_int_equal(em_pg_store_kind("host=a,b target_session_attrs=read-write"), 1);
}

static void test_conninfo_uri_and_key_value_forms_pass_libpq(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(em_pg_conninfo_check("postgresql://em@db1:5433/embargo?sslmode=require",
					      err, sizeof(err)),
			 0);
	assert_int_equal(em_pg_conninfo_check("host=db1,db2 port=5432,5432 dbname=embargo "
					      "target_session_attrs=read-write",
					      err, sizeof(err)),
			 0);
}

static void test_conninfo_with_an_unknown_key_is_refused_with_libpqs_reason(void **state)
{
	char err[256] = "";

	(void)state;
	assert_int_equal(em_pg_conninfo_check("host=db1 colour=blue", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "colour"));
	assert_int_equal(em_pg_conninfo_check("postgresql://db1/x?nosuch=1", err, sizeof(err)), -1);
	assert_true(err[0] != '\0' && err[strlen(err) - 1] != '\n');
}

static void test_disconnect_sqlstates_are_class_08_and_admin_shutdown(void **state)
{
	(void)state;
	assert_true(em_pg_sqlstate_is_disconnect("08006"));
	assert_true(em_pg_sqlstate_is_disconnect("08001"));
	assert_true(em_pg_sqlstate_is_disconnect("57P01"));
	assert_true(em_pg_sqlstate_is_disconnect("57P03"));
	assert_false(em_pg_sqlstate_is_disconnect("23505")); /* unique violation */
	assert_false(em_pg_sqlstate_is_disconnect("57014")); /* statement timeout */
	assert_false(em_pg_sqlstate_is_disconnect("40001"));
	assert_false(em_pg_sqlstate_is_disconnect(NULL));
}

static void test_backoff_doubles_from_base_and_stops_at_max(void **state)
{
	(void)state;
	assert_int_equal(em_pg_backoff_ms(1, 500, 30000, 0), 500);
	assert_int_equal(em_pg_backoff_ms(2, 500, 30000, 0), 1000);
	assert_int_equal(em_pg_backoff_ms(3, 500, 30000, 0), 2000);
	assert_int_equal(em_pg_backoff_ms(7, 500, 30000, 0), 30000);
	assert_int_equal(em_pg_backoff_ms(1000, 500, 30000, 0), 30000);
	/* jitter adds at most a quarter */
	assert_int_equal(em_pg_backoff_ms(1, 400, 30000, 0.5), 450);
	assert_true(em_pg_backoff_ms(7, 500, 30000, 0.99) <= 37500);
}

static void test_audit_key_is_stable_and_separates_lines_and_places(void **state)
{
	char a[EM_OUTBOX_KEY_SIZE], b[EM_OUTBOX_KEY_SIZE], c[EM_OUTBOX_KEY_SIZE],
	    d[EM_OUTBOX_KEY_SIZE];
	const char *l1 = "{\"event\":\"release\",\"record\":\"x\"}", *l2 = "{\"event\":\"delete\"}";

	(void)state;
	em_outbox_audit_key(1234, 0, l1, strlen(l1), a);
	em_outbox_audit_key(1234, 0, l1, strlen(l1), b);
	assert_string_equal(a, b); /* shipped twice: the same key */
	assert_int_equal(strncmp(a, "a-4d2-0-", 8), 0);
	em_outbox_audit_key(1234, 0, l2, strlen(l2), c); /* other line, same place */
	assert_string_not_equal(a, c);
	em_outbox_audit_key(1234, 40, l1, strlen(l1), d); /* same line, other place */
	assert_string_not_equal(a, d);
	em_outbox_audit_key(99, 0, l1, strlen(l1), d); /* another log file */
	assert_string_not_equal(a, d);
}

/* ---- the outbox in a real store ---- */

struct fx {
	char dir[64];
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/test_pg.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
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

static void put(struct em_store *st, const struct fx *fx, char *id)
{
	struct em_verdict v = {0};
	char *rcpts[] = {"press@news.example"};
	char path[128], err[256];
	int fd;

	v.action = EM_QUARANTINE;
	v.mode = EM_ENFORCE;
	v.at = 1605173400;
	v.sender = "analyst@stats.example";
	v.rcpts = rcpts;
	v.nrcpts = 1;
	snprintf(path, sizeof(path), "%s/m.eml", fx->dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "Subject: x\r\n\r\nbody\r\n", 20), 20);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(
	    em_store_put(st, &v, "Q1", "quarantine", fd, id, EM_STORE_ID_SIZE, err, sizeof(err)),
	    0);
	close(fd);
}

static long long backlog(struct em_store *st)
{
	long long n = -1;
	char err[256];

	assert_int_equal(em_outbox_backlog(st, &n, NULL, err, sizeof(err)), 0);
	return n;
}

static void test_without_a_shared_store_no_outbox_row_is_written(void **state)
{
	struct fx *fx = *state;
	char err[256], id[EM_STORE_ID_SIZE];
	struct em_store *st = em_store_open(fx->dir, err, sizeof(err));

	assert_non_null(st);
	put(st, fx, id);
	assert_int_equal(em_store_set_state(st, id, EM_STORE_RELEASED, "rev", err, sizeof(err)), 0);
	assert_int_equal(backlog(st), 0);
	em_store_close(st);
}

static void test_record_and_state_change_each_queue_one_row_in_order(void **state)
{
	struct fx *fx = *state;
	char err[256], id[EM_STORE_ID_SIZE];
	struct em_store *st = em_store_open(fx->dir, err, sizeof(err));
	struct em_outbox_item *it = NULL;
	size_t n = 0;
	long long seqs[2];

	assert_non_null(st);
	em_store_set_outbox(st, true);
	put(st, fx, id);
	assert_int_equal(em_store_set_state(st, id, EM_STORE_DELETED, "rev", err, sizeof(err)), 0);
	assert_int_equal(em_outbox_peek(st, 10, &it, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(it[0].kind, "record");
	assert_string_equal(it[0].ref, id);
	assert_null(it[0].payload);
	assert_string_equal(it[1].kind, "state");
	assert_string_equal(it[1].ref, id);
	assert_non_null(strstr(it[1].payload, "\"state\":\"deleted\""));
	assert_non_null(strstr(it[1].payload, "\"by\":\"rev\""));
	assert_true(it[0].seq < it[1].seq);
	seqs[0] = it[0].seq;
	seqs[1] = it[1].seq;
	em_outbox_items_free(it, n);
	/* shipped: gone; shipping the same rows again finds nothing to delete */
	assert_int_equal(em_outbox_done(st, seqs, 2, err, sizeof(err)), 0);
	assert_int_equal(backlog(st), 0);
	assert_int_equal(em_outbox_done(st, seqs, 2, err, sizeof(err)), 0);
	em_store_close(st);
}

static void test_a_refused_state_change_queues_nothing(void **state)
{
	struct fx *fx = *state;
	char err[256], id[EM_STORE_ID_SIZE];
	struct em_store *st = em_store_open(fx->dir, err, sizeof(err));

	assert_non_null(st);
	em_store_set_outbox(st, true);
	put(st, fx, id);
	assert_int_equal(em_store_set_state(st, id, EM_STORE_DELETED, "rev", err, sizeof(err)), 0);
	assert_int_equal(backlog(st), 2);
	/* deleted -> released is refused: the transaction (and its outbox row) rolls back */
	assert_int_equal(em_store_set_state(st, id, EM_STORE_RELEASED, "rev", err, sizeof(err)),
			 -1);
	assert_int_equal(backlog(st), 2);
	em_store_close(st);
}

static void test_ship_marks_survive_a_reopen(void **state)
{
	struct fx *fx = *state;
	char err[256], val[64];
	struct em_store *st = em_store_open(fx->dir, err, sizeof(err));

	assert_non_null(st);
	assert_int_equal(em_ship_state_get(st, "audit", val, sizeof(val), err, sizeof(err)), 0);
	assert_int_equal(em_ship_state_set(st, "audit", "12 345", err, sizeof(err)), 0);
	assert_int_equal(em_ship_state_set(st, "audit", "12 400", err, sizeof(err)), 0);
	em_store_close(st);
	st = em_store_open(fx->dir, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(em_ship_state_get(st, "audit", val, sizeof(val), err, sizeof(err)), 1);
	assert_string_equal(val, "12 400");
	em_store_close(st);
}

static void test_random_keys_have_the_prefix_and_differ(void **state)
{
	char a[40], b[40];

	(void)state;
	assert_int_equal(em_outbox_random_key("l-", a, sizeof(a)), 0);
	assert_int_equal(em_outbox_random_key("l-", b, sizeof(b)), 0);
	assert_int_equal(strlen(a), 26);
	assert_int_equal(strncmp(a, "l-", 2), 0);
	assert_string_not_equal(a, b);
}

/* ---- the config keys ---- */

static struct em_config *load(const struct fx *fx, const char *lines, struct em_errors *errs)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/releases.d", fx->dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/m.conf", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "quarantine_dir = \"%s/q\";\n%s", fx->dir, lines);
	fclose(f);
	return em_config_load(path, errs);
}

static void test_store_key_sqlite_means_no_shared_store(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *c = load(*state, "store = \"sqlite\";\n", &errs);

	assert_non_null(c);
	assert_null(c->store);
	assert_null(c->relay_id);
	em_config_free(c);
	em_errors_free(&errs);
}

static void test_store_and_relay_id_keys_are_read(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *c = load(*state,
				   "store = \"host=a,b target_session_attrs=read-write\";\n"
				   "relay_id = \"relay-1\";\n",
				   &errs);

	assert_non_null(c);
	assert_string_equal(c->store, "host=a,b target_session_attrs=read-write");
	assert_string_equal(c->relay_id, "relay-1");
	em_config_free(c);
	em_errors_free(&errs);
}

static void test_a_bad_connection_string_is_a_config_error_at_its_line(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *c = load(*state, "\nstore = \"host=a colour=blue\";\n", &errs);

	assert_null(c);
	assert_true(errs.n >= 1);
	assert_non_null(strstr(errs.v[0], "m.conf:3"));
	assert_non_null(strstr(errs.v[0], "store"));
	em_errors_free(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_store_kind_sqlite_is_unset_empty_or_the_word),
	    cmocka_unit_test(test_conninfo_uri_and_key_value_forms_pass_libpq),
	    cmocka_unit_test(test_conninfo_with_an_unknown_key_is_refused_with_libpqs_reason),
	    cmocka_unit_test(test_disconnect_sqlstates_are_class_08_and_admin_shutdown),
	    cmocka_unit_test(test_backoff_doubles_from_base_and_stops_at_max),
	    cmocka_unit_test(test_audit_key_is_stable_and_separates_lines_and_places),
	    cmocka_unit_test(test_random_keys_have_the_prefix_and_differ),
	    cmocka_unit_test_setup_teardown(test_without_a_shared_store_no_outbox_row_is_written,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_record_and_state_change_each_queue_one_row_in_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_refused_state_change_queues_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ship_marks_survive_a_reopen, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_key_sqlite_means_no_shared_store, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_store_and_relay_id_keys_are_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_a_bad_connection_string_is_a_config_error_at_its_line, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
