/*
 * test_act - verdict -> recorded MTA operations (milter/adapt/em_act).
 *
 * The ops table is bound to a recorder that writes one line per call, so
 * each test states exactly what the MTA would see, in order.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* clang-format off: cmocka.h needs the headers above first */
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_act.h"

#define MAXOPS 64

struct rec {
	char *ops[MAXOPS];
	size_t n;
	const char *fail; /* name of the op that fails, or NULL */
	unsigned stores;
};

static void rec_add(struct rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rec_add(struct rec *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	assert_true(vasprintf(&s, fmt, ap) >= 0);
	va_end(ap);
	assert_true(r->n < MAXOPS);
	r->ops[r->n++] = s;
}

static int fails(struct rec *r, const char *op)
{
	return r->fail != NULL && strcmp(r->fail, op) == 0 ? -1 : 0;
}

static int op_add_header(void *ctx, const char *name, const char *value)
{
	rec_add(ctx, "add_header %s: %s", name, value);
	return fails(ctx, "add_header");
}

static int op_chg_header(void *ctx, const char *name, int idx, const char *value)
{
	rec_add(ctx, "chg_header %s %d %s", name, idx, value ? value : "(delete)");
	return fails(ctx, "chg_header");
}

static int op_del_rcpt(void *ctx, const char *rcpt)
{
	rec_add(ctx, "del_rcpt %s", rcpt);
	return fails(ctx, "del_rcpt");
}

static int op_quarantine(void *ctx, const char *reason)
{
	rec_add(ctx, "quarantine %s", reason);
	return fails(ctx, "quarantine");
}

static int op_set_reply(void *ctx, const char *rcode, const char *xcode, const char *const *lines,
			size_t n)
{
	struct rec *r = ctx;

	for (size_t i = 0; i < n; i++)
		rec_add(r, "reply %s %s %s", rcode, xcode, lines[i]);
	return fails(ctx, "set_reply");
}

static int op_store(void *ctx, const struct em_verdict *v, const char *action, char *id,
		    size_t idsz, char *err, size_t errsz)
{
	struct rec *r = ctx;

	rec_add(r, "store %s", action);
	if (fails(r, "store") < 0) {
		snprintf(err, errsz, "No space left on device");
		return -1;
	}
	snprintf(id, idsz, "20201111T114500Z-%08x", ++r->stores);
	return 0;
}

static const struct em_act_ops ops = {
    .add_header = op_add_header,
    .chg_header = op_chg_header,
    .del_rcpt = op_del_rcpt,
    .quarantine = op_quarantine,
    .set_reply = op_set_reply,
    .store = op_store,
};

static void rec_free(struct rec *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->ops[i]);
	r->n = 0;
}

/* A verdict with one release (blocking blocked[]) and the given action. */
struct fixture {
	struct em_verdict v;
	struct em_release_verdict rel[2];
	char *blocked0[8];
	char *blocked1[8];
	char *incomplete[1];
	const char *rcpts[8];
	struct em_act_in in;
	struct rec rec;
	struct em_act_out out;
};

static struct fixture *fx_new(enum em_action action, size_t nblocked)
{
	struct fixture *f = calloc(1, sizeof(*f));
	static const char *const blocked[] = {"a@x.org", "b@y.org", "c@z.org"};

	assert_non_null(f);
	f->rcpts[0] = "<a@x.org>";
	f->rcpts[1] = "<B@Y.org>";
	f->rcpts[2] = "<pra@gov.uk>";
	f->in.rcpts = f->rcpts;
	f->in.nrcpts = 3;
	f->in.on_error = EM_TEMPFAIL;
	f->in.contact = "press.office@stats.gov.uk";
	f->in.timezone = "Europe/London";
	f->in.v = &f->v;
	f->v.action = action;
	f->v.mode = EM_ENFORCE;
	if (action == EM_ACCEPT)
		return f;
	for (size_t i = 0; i < nblocked; i++)
		f->blocked0[i] = (char *)blocked[i];
	f->rel[0].id = "fostering-2020";
	f->rel[0].title = "Fostering in England 2019-20";
	f->rel[0].publish_at = 1605173400; /* 2020-11-12 09:30 UTC = GMT */
	f->rel[0].action = action;
	f->rel[0].blocked = f->blocked0;
	f->rel[0].nblocked = nblocked;
	f->v.releases = f->rel;
	f->v.nreleases = 1;
	return f;
}

static void fx_incomplete(struct fixture *f, const char *why)
{
	f->incomplete[0] = (char *)why;
	f->v.incomplete = f->incomplete;
	f->v.nincomplete = 1;
}

static enum em_act_reply fx_run(struct fixture *f)
{
	return em_act_apply(&f->in, &ops, &f->rec, &f->out);
}

static void fx_free(struct fixture *f)
{
	rec_free(&f->rec);
	em_act_out_free(&f->out);
	free(f);
}

static void assert_ops(const struct rec *r, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n && i < r->n; i++)
		assert_string_equal(r->ops[i], want[i]);
	assert_int_equal(r->n, n);
}

/* The reply lines of the recording joined by spaces (the wrap points), with
 * the given code prefix checked on every line; caller frees. */
static char *reply_joined(const struct rec *r, const char *prefix)
{
	size_t plen = strlen(prefix), len = 1;
	char *s;

	for (size_t i = 0; i < r->n; i++)
		if (strncmp(r->ops[i], "reply ", 6) == 0)
			len += strlen(r->ops[i]) + 1;
	s = calloc(1, len);
	assert_non_null(s);
	for (size_t i = 0; i < r->n; i++) {
		if (strncmp(r->ops[i], "reply ", 6) != 0)
			continue;
		assert_memory_equal(r->ops[i], prefix, plen);
		if (s[0] != '\0')
			strcat(s, " ");
		strcat(s, r->ops[i] + plen);
	}
	return s;
}

#define ASSERT_OPS(r, ...)                                                                         \
	do {                                                                                       \
		const char *const want_[] = {__VA_ARGS__};                                         \
		assert_ops((r), want_, sizeof(want_) / sizeof(want_[0]));                          \
	} while (0)

static void test_clean_message_gets_accept_header_and_continues(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec, "add_header X-Embargo-Milter: accept");
	assert_int_equal(f->out.taken, EM_ACCEPT);
	assert_null(f->out.why);
	fx_free(f);
}

static void test_three_forged_headers_are_deleted_highest_index_first_before_adding(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	f->in.nforged = 3;
	f->in.nforged_removed = 1;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec, "chg_header X-Embargo-Milter 3 (delete)",
		   "chg_header X-Embargo-Milter 2 (delete)",
		   "chg_header X-Embargo-Milter 1 (delete)",
		   "chg_header X-Embargo-Milter-Removed 1 (delete)",
		   "add_header X-Embargo-Milter: accept");
	fx_free(f);
}

static void test_flag_adds_release_and_blocked_count(void **state)
{
	struct fixture *f = fx_new(EM_FLAG, 2);

	f->in.nforged = 1;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec, "chg_header X-Embargo-Milter 1 (delete)",
		   "add_header X-Embargo-Milter: flagged; release=fostering-2020; blocked=2");
	assert_int_equal(f->out.taken, EM_FLAG);
	assert_string_equal(f->out.release, "fostering-2020");
	fx_free(f);
}

static void test_strip_deletes_blocked_recipients_in_their_envelope_spelling(void **state)
{
	struct fixture *f = fx_new(EM_STRIP, 2);

	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec, "del_rcpt <a@x.org>", "del_rcpt <B@Y.org>",
		   "add_header X-Embargo-Milter: stripped; release=fostering-2020; removed=2",
		   "add_header X-Embargo-Milter-Removed: a@x.org, B@Y.org");
	assert_int_equal(f->out.taken, EM_STRIP);
	assert_int_equal(f->out.nremoved, 2);
	fx_free(f);
}

static void test_strip_with_every_recipient_blocked_quarantines_instead(void **state)
{
	struct fixture *f = fx_new(EM_STRIP, 2);

	f->in.nrcpts = 2;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec, "store quarantine",
		   "add_header X-Embargo-Milter: quarantined; release=fostering-2020; "
		   "record=20201111T114500Z-00000001",
		   "quarantine embargo: fostering-2020 to 2 not on PRA list "
		   "(record 20201111T114500Z-00000001)");
	assert_int_equal(f->out.taken, EM_QUARANTINE);
	assert_string_equal(f->out.record, "20201111T114500Z-00000001");
	assert_string_equal(f->out.why, "strip would leave no recipients");
	fx_free(f);
}

static void test_strip_of_an_address_missing_from_the_envelope_quarantines(void **state)
{
	struct fixture *f = fx_new(EM_STRIP, 3); /* c@z.org was never an envelope rcpt */

	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	assert_int_equal(f->out.taken, EM_QUARANTINE);
	assert_string_equal(f->rec.ops[0], "store quarantine");
	for (size_t i = 0; i < f->rec.n; i++)
		assert_null(strstr(f->rec.ops[i], "del_rcpt"));
	fx_free(f);
}

static void test_long_removed_list_is_folded_below_998_bytes_a_line(void **state)
{
	struct fixture *f = fx_new(EM_STRIP, 0);
	char *addrs[40];
	const char *rcpts[41];
	const char *hdr = NULL;

	for (int i = 0; i < 40; i++) {
		assert_true(asprintf(&addrs[i],
				     "<recipient-number-%02d@a-rather-long-domain.example>",
				     i) > 0);
		rcpts[i] = addrs[i];
	}
	rcpts[40] = "<keep@gov.uk>";
	f->rel[0].blocked = addrs;
	f->rel[0].nblocked = 40;
	f->in.rcpts = rcpts;
	f->in.nrcpts = 41;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	for (size_t i = 0; i < f->rec.n; i++)
		if (strncmp(f->rec.ops[i], "add_header X-Embargo-Milter-Removed", 35) == 0)
			hdr = f->rec.ops[i];
	assert_non_null(hdr);
	assert_non_null(strstr(hdr, ",\n\t"));
	for (const char *l = hdr; l != NULL; l = strchr(l + 1, '\n'))
		assert_true(strcspn(l + 1, "\n") < 998);
	assert_int_equal(f->out.nremoved, 40);
	for (int i = 0; i < 40; i++)
		free(addrs[i]);
	fx_free(f);
}

static void test_quarantine_stores_then_adds_header_then_holds(void **state)
{
	struct fixture *f = fx_new(EM_QUARANTINE, 2);

	f->in.nforged = 2;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec, "store quarantine", "chg_header X-Embargo-Milter 2 (delete)",
		   "chg_header X-Embargo-Milter 1 (delete)",
		   "add_header X-Embargo-Milter: quarantined; release=fostering-2020; "
		   "record=20201111T114500Z-00000001",
		   "quarantine embargo: fostering-2020 to 2 not on PRA list "
		   "(record 20201111T114500Z-00000001)");
	fx_free(f);
}

static void test_confirm_holds_like_quarantine_with_its_own_header(void **state)
{
	struct fixture *f = fx_new(EM_CONFIRM, 2);

	f->in.confirm_ok = true;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	assert_int_equal(f->out.taken, EM_CONFIRM);
	ASSERT_OPS(&f->rec, "store confirm",
		   "add_header X-Embargo-Milter: held; awaiting-confirmation; "
		   "release=fostering-2020; record=20201111T114500Z-00000001",
		   "quarantine embargo: fostering-2020 to 2 not on PRA list "
		   "(record 20201111T114500Z-00000001)");
	fx_free(f);
}

static void test_confirm_without_confirm_address_is_a_quarantine(void **state)
{
	struct fixture *f = fx_new(EM_CONFIRM, 1);

	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	assert_int_equal(f->out.taken, EM_QUARANTINE);
	assert_non_null(f->out.why);
	assert_string_equal(f->rec.ops[0], "store quarantine");
	fx_free(f);
}

static void test_confirm_is_milder_than_strip_and_yields_to_on_error(void **state)
{
	struct fixture *f = fx_new(EM_CONFIRM, 1);

	/* a second release blocking with strip wins over confirm */
	f->blocked1[0] = (char *)"b@y.org";
	f->rel[1] = f->rel[0];
	f->rel[1].id = "other-2020";
	f->rel[1].action = EM_STRIP;
	f->rel[1].blocked = f->blocked1;
	f->rel[1].nblocked = 1;
	f->v.nreleases = 2;
	f->v.action = EM_STRIP;
	f->in.confirm_ok = true;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	assert_int_equal(f->out.taken, EM_STRIP);
	fx_free(f);
	/* an incomplete scan with only confirm found gets on_error (tempfail) */
	f = fx_new(EM_CONFIRM, 1);
	f->in.confirm_ok = true;
	fx_incomplete(f, "max_decoded_mb reached");
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	fx_free(f);
}

static void test_store_failure_applies_on_error_tempfail(void **state)
{
	struct fixture *f = fx_new(EM_QUARANTINE, 2);

	f->rec.fail = "store";
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	ASSERT_OPS(&f->rec, "store quarantine",
		   "reply 451 4.7.1 Message could not be fully checked for embargoed statistics "
		   "(the message could not be held for review); try again later");
	assert_int_equal(f->out.taken, EM_TEMPFAIL);
	assert_string_equal(f->out.why, "quarantine store failed: No space left on device");
	assert_string_equal(f->out.record, "");
	fx_free(f);
}

static void test_store_failure_with_on_error_quarantine_tempfails(void **state)
{
	struct fixture *f = fx_new(EM_QUARANTINE, 2);

	f->rec.fail = "store";
	f->in.on_error = EM_QUARANTINE;
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	fx_free(f);
}

static void test_store_failure_with_on_error_reject_rejects_naming_the_release(void **state)
{
	struct fixture *f = fx_new(EM_QUARANTINE, 2);
	char *text;

	f->rec.fail = "store";
	f->in.on_error = EM_REJECT;
	assert_int_equal(fx_run(f), EM_ACT_REJECT);
	assert_string_equal(f->rec.ops[0], "store quarantine");
	text = reply_joined(&f->rec, "reply 550 5.7.1 ");
	assert_non_null(strstr(text, "Message refused: it contains material from \"Fostering in "
				     "England 2019-20\" (fostering-2020)"));
	free(text);
	fx_free(f);
}

static void test_reject_reply_names_release_time_recipients_and_contact(void **state)
{
	struct fixture *f = fx_new(EM_REJECT, 2);

	char *text;

	f->in.nforged = 1;
	assert_int_equal(fx_run(f), EM_ACT_REJECT);
	/* no header changes on a rejected message, only the (wrapped) reply */
	ASSERT_OPS(
	    &f->rec,
	    "reply 550 5.7.1 Message refused: it contains material from \"Fostering in "
	    "England 2019-20\" (fostering-2020), embargoed until 2020-11-12 09:30 GMT. These "
	    "recipients are not on its pre-release access list: a@x.org,",
	    "reply 550 5.7.1 b@y.org. Contact: press.office@stats.gov.uk.");
	text = reply_joined(&f->rec, "reply 550 5.7.1 ");
	assert_string_equal(text, "Message refused: it contains material from \"Fostering in "
				  "England 2019-20\" (fostering-2020), embargoed until 2020-11-12 "
				  "09:30 GMT. These recipients are not on its pre-release access "
				  "list: a@x.org, b@y.org. Contact: press.office@stats.gov.uk.");
	free(text);
	assert_int_equal(f->out.taken, EM_REJECT);
	fx_free(f);
}

static void test_reject_with_many_recipients_is_wrapped_into_short_lines(void **state)
{
	struct fixture *f = fx_new(EM_REJECT, 0);
	char *addrs[300], *text;

	for (int i = 0; i < 300; i++)
		assert_true(
		    asprintf(&addrs[i], "person.number.%03d@some-department.example.org", i) > 0);
	f->rel[0].blocked = addrs;
	f->rel[0].nblocked = 300;
	assert_int_equal(fx_run(f), EM_ACT_REJECT);
	assert_true(f->rec.n > 1);
	assert_true(f->rec.n <= 32);
	for (size_t i = 0; i < f->rec.n; i++) {
		assert_true(strlen(f->rec.ops[i]) <= strlen("reply 550 5.7.1 ") + 200 + 3);
		assert_null(strchr(f->rec.ops[i], '\n'));
	}
	text = reply_joined(&f->rec, "reply 550 5.7.1 ");
	assert_non_null(strstr(text, "person.number.000@some-department.example.org, "));
	assert_non_null(strstr(text, " more. Contact: press.office@stats.gov.uk."));
	free(text);
	for (int i = 0; i < 300; i++)
		free(addrs[i]);
	fx_free(f);
}

static void test_reply_text_doubles_percent_and_hides_control_bytes(void **state)
{
	struct fixture *f = fx_new(EM_REJECT, 1);
	char *text;

	f->blocked0[0] = "a%b@x.org";
	f->rel[0].title = "Bad\r\ntitle \xe2\x80\x93 2020";
	assert_int_equal(fx_run(f), EM_ACT_REJECT);
	text = reply_joined(&f->rec, "reply 550 5.7.1 ");
	assert_non_null(strstr(text, "a%%b@x.org"));
	assert_non_null(strstr(text, "\"Bad??title ??? 2020\""));
	for (const char *c = text; *c; c++)
		assert_true(*c >= 0x20 && *c <= 0x7e);
	free(text);
	fx_free(f);
}

static void test_header_value_never_carries_a_line_break_from_a_release_id(void **state)
{
	struct fixture *f = fx_new(EM_FLAG, 1);

	f->rel[0].id = "evil\r\nBcc: x@y; z";
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec,
		   "add_header X-Embargo-Milter: flagged; release=evil??Bcc: x@y, z; blocked=1");
	fx_free(f);
}

static void test_incomplete_clean_scan_tempfails_by_default(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	fx_incomplete(f, "decoded size limit reached");
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	ASSERT_OPS(&f->rec, "reply 451 4.7.1 Message could not be fully checked for embargoed "
			    "statistics (decoded size limit reached); try again later");
	assert_string_equal(f->out.why, "scan incomplete: decoded size limit reached");
	fx_free(f);
}

static void test_engine_tempfail_without_reason_still_fails_closed(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	f->v.action = EM_TEMPFAIL;
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	fx_free(f);
}

static void test_incomplete_scan_with_on_error_quarantine_holds_it(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	fx_incomplete(f, "zip bomb");
	f->in.on_error = EM_QUARANTINE;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(
	    &f->rec, "store quarantine",
	    "add_header X-Embargo-Milter: quarantined; error=scan-incomplete; "
	    "record=20201111T114500Z-00000001",
	    "quarantine embargo: scan incomplete (zip bomb) (record 20201111T114500Z-00000001)");
	fx_free(f);
}

/* issue 9 point 7: the shell turns tempfail into quarantine for a local
 * submission; the hold then says "unscannable" everywhere it is shown */
static void test_incomplete_local_submission_is_held_as_unscannable(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	fx_incomplete(f, "too many MIME parts");
	f->in.on_error = EM_QUARANTINE;
	f->in.local = true;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec, "store quarantine",
		   "add_header X-Embargo-Milter: quarantined; error=scan-incomplete; "
		   "reason=unscannable; record=20201111T114500Z-00000001",
		   "quarantine embargo: unscannable (too many MIME parts) (record "
		   "20201111T114500Z-00000001)");
	assert_string_equal(f->out.reason, "unscannable");
	assert_string_equal(f->out.why, "unscannable: scan incomplete: too many MIME parts");
	fx_free(f);
}

static void test_incomplete_scan_held_by_on_error_says_scan_incomplete(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	fx_incomplete(f, "zip bomb");
	f->in.on_error = EM_QUARANTINE;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	assert_string_equal(f->out.reason, "scan incomplete");
	assert_string_equal(f->out.why, "scan incomplete: zip bomb");
	fx_free(f);
}

static void test_release_hold_of_a_local_submission_has_no_reason(void **state)
{
	struct fixture *f = fx_new(EM_QUARANTINE, 1);

	f->in.local = true;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	assert_null(f->out.reason);
	assert_null(f->out.why);
	fx_free(f);
}

static void test_incomplete_scan_with_on_error_reject_explains_why(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	fx_incomplete(f, "MIME nesting too deep");
	f->in.on_error = EM_REJECT;
	assert_int_equal(fx_run(f), EM_ACT_REJECT);
	ASSERT_OPS(&f->rec, "reply 550 5.7.1 Message refused: it could not be fully checked for "
			    "embargoed statistics (MIME nesting too deep). Contact: "
			    "press.office@stats.gov.uk.");
	fx_free(f);
}

static void test_blocking_quarantine_found_before_the_limit_still_wins(void **state)
{
	struct fixture *f = fx_new(EM_QUARANTINE, 2);

	fx_incomplete(f, "CPU limit reached");
	f->in.on_error = EM_REJECT;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	assert_int_equal(f->out.taken, EM_QUARANTINE);
	assert_string_equal(f->rec.ops[f->rec.n - 1],
			    "quarantine embargo: fostering-2020 to 2 not on PRA list "
			    "(record 20201111T114500Z-00000001)");
	fx_free(f);
}

static void test_flag_found_in_an_incomplete_scan_becomes_on_error(void **state)
{
	struct fixture *f = fx_new(EM_FLAG, 1);

	fx_incomplete(f, "too many parts");
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	assert_int_equal(f->out.would, EM_TEMPFAIL);
	fx_free(f);
}

static void test_missing_verdict_fails_closed_with_the_shell_reason(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	f->in.v = NULL;
	f->in.error = "spool write failed";
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	ASSERT_OPS(&f->rec, "reply 451 4.7.1 Message could not be fully checked for embargoed "
			    "statistics (spool write failed); try again later");
	fx_free(f);
}

static void test_spool_failure_on_a_clean_verdict_is_not_an_accept(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	f->in.error = "spool write failed";
	f->in.on_error = EM_QUARANTINE;
	/* the held copy cannot be written either: the sender retries */
	f->rec.fail = "store";
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	fx_free(f);
}

static void test_monitor_mode_delivers_with_what_would_have_happened(void **state)
{
	struct fixture *f = fx_new(EM_QUARANTINE, 2);

	f->v.action = EM_FLAG;
	f->v.mode = EM_MONITOR;
	f->in.nforged = 1;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(
	    &f->rec, "chg_header X-Embargo-Milter 1 (delete)",
	    "add_header X-Embargo-Milter: monitor; would=quarantine; release=fostering-2020; "
	    "blocked=2");
	assert_true(f->out.monitor);
	assert_int_equal(f->out.would, EM_QUARANTINE);
	assert_int_equal(f->out.taken, EM_ACCEPT);
	fx_free(f);
}

static void test_monitor_mode_reports_an_incomplete_scan_without_blocking(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	f->in.mode = EM_MONITOR;
	fx_incomplete(f, "decoder error");
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec,
		   "add_header X-Embargo-Milter: monitor; would=tempfail; error=scan-incomplete");
	fx_free(f);
}

static void test_monitor_mode_accept_says_accept(void **state)
{
	struct fixture *f = fx_new(EM_ACCEPT, 0);

	f->v.mode = EM_MONITOR;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec, "add_header X-Embargo-Milter: accept");
	fx_free(f);
}

static void test_failed_quarantine_call_tempfails_instead_of_delivering(void **state)
{
	struct fixture *f = fx_new(EM_QUARANTINE, 2);

	f->rec.fail = "quarantine";
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	assert_int_equal(f->out.taken, EM_TEMPFAIL);
	fx_free(f);
}

static void test_failed_recipient_deletion_tempfails(void **state)
{
	struct fixture *f = fx_new(EM_STRIP, 1);

	f->rec.fail = "del_rcpt";
	assert_int_equal(fx_run(f), EM_ACT_TEMPFAIL);
	fx_free(f);
}

static void test_most_severe_blocking_release_decides_and_blocked_are_counted_once(void **state)
{
	struct fixture *f = fx_new(EM_FLAG, 2);

	f->blocked1[0] = "<A@X.ORG>";
	f->blocked1[1] = "c@z.org";
	f->rel[1].id = "adoption-2020";
	f->rel[1].action = EM_REJECT;
	f->rel[1].blocked = f->blocked1;
	f->rel[1].nblocked = 2;
	f->rel[1].publish_at = 1605173400;
	f->v.nreleases = 2;
	f->v.action = EM_REJECT;
	assert_int_equal(fx_run(f), EM_ACT_REJECT);
	assert_string_equal(f->out.release, "adoption-2020");
	assert_int_equal(f->out.nblocked, 3);
	fx_free(f);
}

static void test_matched_release_that_blocks_nobody_does_not_act(void **state)
{
	struct fixture *f = fx_new(EM_REJECT, 0);

	f->v.action = EM_ACCEPT;
	assert_int_equal(fx_run(f), EM_ACT_CONTINUE);
	ASSERT_OPS(&f->rec, "add_header X-Embargo-Milter: accept");
	fx_free(f);
}

static void test_quarantine_reason_stays_on_one_line_within_250_bytes(void **state)
{
	char id[1000], buf[300];

	memset(id, 'x', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	id[5] = '\n';
	em_act_quarantine_reason(buf, sizeof(buf), id, 7, NULL, "REC");
	assert_true(strlen(buf) <= 250);
	assert_null(strchr(buf, '\n'));
	em_act_quarantine_reason(buf, sizeof(buf), NULL, 0, id, "REC");
	assert_true(strlen(buf) <= 250);
	assert_null(strchr(buf, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean_message_gets_accept_header_and_continues),
	    cmocka_unit_test(
		test_three_forged_headers_are_deleted_highest_index_first_before_adding),
	    cmocka_unit_test(test_flag_adds_release_and_blocked_count),
	    cmocka_unit_test(test_strip_deletes_blocked_recipients_in_their_envelope_spelling),
	    cmocka_unit_test(test_strip_with_every_recipient_blocked_quarantines_instead),
	    cmocka_unit_test(test_strip_of_an_address_missing_from_the_envelope_quarantines),
	    cmocka_unit_test(test_long_removed_list_is_folded_below_998_bytes_a_line),
	    cmocka_unit_test(test_quarantine_stores_then_adds_header_then_holds),
	    cmocka_unit_test(test_store_failure_applies_on_error_tempfail),
	    cmocka_unit_test(test_store_failure_with_on_error_quarantine_tempfails),
	    cmocka_unit_test(test_store_failure_with_on_error_reject_rejects_naming_the_release),
	    cmocka_unit_test(test_reject_reply_names_release_time_recipients_and_contact),
	    cmocka_unit_test(test_reject_with_many_recipients_is_wrapped_into_short_lines),
	    cmocka_unit_test(test_reply_text_doubles_percent_and_hides_control_bytes),
	    cmocka_unit_test(test_header_value_never_carries_a_line_break_from_a_release_id),
	    cmocka_unit_test(test_incomplete_clean_scan_tempfails_by_default),
	    cmocka_unit_test(test_engine_tempfail_without_reason_still_fails_closed),
	    cmocka_unit_test(test_incomplete_scan_with_on_error_quarantine_holds_it),
	    cmocka_unit_test(test_incomplete_local_submission_is_held_as_unscannable),
	    cmocka_unit_test(test_incomplete_scan_held_by_on_error_says_scan_incomplete),
	    cmocka_unit_test(test_release_hold_of_a_local_submission_has_no_reason),
	    cmocka_unit_test(test_incomplete_scan_with_on_error_reject_explains_why),
	    cmocka_unit_test(test_blocking_quarantine_found_before_the_limit_still_wins),
	    cmocka_unit_test(test_flag_found_in_an_incomplete_scan_becomes_on_error),
	    cmocka_unit_test(test_missing_verdict_fails_closed_with_the_shell_reason),
	    cmocka_unit_test(test_spool_failure_on_a_clean_verdict_is_not_an_accept),
	    cmocka_unit_test(test_monitor_mode_delivers_with_what_would_have_happened),
	    cmocka_unit_test(test_monitor_mode_reports_an_incomplete_scan_without_blocking),
	    cmocka_unit_test(test_monitor_mode_accept_says_accept),
	    cmocka_unit_test(test_failed_quarantine_call_tempfails_instead_of_delivering),
	    cmocka_unit_test(test_confirm_holds_like_quarantine_with_its_own_header),
	    cmocka_unit_test(test_confirm_without_confirm_address_is_a_quarantine),
	    cmocka_unit_test(test_confirm_is_milder_than_strip_and_yields_to_on_error),
	    cmocka_unit_test(test_failed_recipient_deletion_tempfails),
	    cmocka_unit_test(
		test_most_severe_blocking_release_decides_and_blocked_are_counted_once),
	    cmocka_unit_test(test_matched_release_that_blocks_nobody_does_not_act),
	    cmocka_unit_test(test_quarantine_reason_stays_on_one_line_within_250_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
