/*
 * test_confirm - the confirm action's pure parts (milter/adapt/em_confirm)
 * and its tables (milter/adapt/em_requests, on a store in a temp dir):
 * codes and their hashes, finding the code and the justification in the
 * reply shapes of Outlook, Apple Mail, Thunderbird and an HTML-only client,
 * the notice texts, and redeeming a code (right sender, wrong sender, wrong
 * code, expired, spent) into a release request that a run claims once.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* clang-format off: cmocka.h needs the headers above first */
#include <cmocka.h>
/* clang-format on */

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "em_confirm.h"
#include "em_outbox.h"
#include "em_requests.h"
#include "em_store.h"

/* 2020-11-12 09:30 UTC, 2020-11-11 20:35 UTC. */
#define PUBLISH ((time_t)1605173400)
#define SENT ((time_t)1605126900)

static const struct em_limits lim = EM_LIMITS_DEFAULT;

/* ---- codes ---- */

static bool code_shape(const char *c)
{
	if (strlen(c) != 9 || c[4] != '-')
		return false;
	for (int i = 0; i < 9; i++)
		if (i != 4 && strchr("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", c[i]) == NULL)
			return false;
	return true;
}

static void test_new_codes_have_the_shape_and_differ(void **state)
{
	char a[EM_CONFIRM_CODE_SIZE], b[EM_CONFIRM_CODE_SIZE];
	int same = 0;

	for (int i = 0; i < 200; i++) {
		assert_int_equal(em_confirm_code_new(a), 0);
		assert_int_equal(em_confirm_code_new(b), 0);
		assert_true(code_shape(a));
		assert_true(code_shape(b));
		same += strcmp(a, b) == 0;
	}
	/* 40 bits: two equal draws in 200 pairs would be a broken generator */
	assert_int_equal(same, 0);
}

static void test_hash_matches_the_code_in_any_case_and_nothing_else(void **state)
{
	char salt[EM_CONFIRM_SALT_SIZE], salt2[EM_CONFIRM_SALT_SIZE], hash[EM_CONFIRM_HASH_SIZE],
	    hash2[EM_CONFIRM_HASH_SIZE];

	assert_int_equal(em_confirm_salt_new(salt), 0);
	assert_int_equal(strlen(salt), 32);
	assert_int_equal(em_confirm_hash(salt, "ABCD-2345", hash), 0);
	assert_int_equal(strlen(hash), 64);
	assert_null(strstr(hash, "ABCD"));
	assert_int_equal(em_confirm_code_matches(salt, hash, "ABCD-2345"), 1);
	assert_int_equal(em_confirm_code_matches(salt, hash, "abcd-2345"), 1);
	assert_int_equal(em_confirm_code_matches(salt, hash, "ABCD-2346"), 0);
	assert_int_equal(em_confirm_code_matches(salt, hash, "ABCD2345"), 0);
	assert_int_equal(em_confirm_code_matches(salt, hash, ""), 0);
	/* the same code under another salt hashes differently */
	assert_int_equal(em_confirm_salt_new(salt2), 0);
	assert_int_equal(em_confirm_hash(salt2, "ABCD-2345", hash2), 0);
	assert_string_not_equal(hash, hash2);
	assert_int_equal(em_confirm_code_matches(salt2, hash, "ABCD-2345"), 0);
	/* not a code: I and O and 0 and 1 are not in the alphabet */
	assert_int_equal(em_confirm_hash(salt, "ABCI-2345", hash), -1);
	assert_int_equal(em_confirm_hash(salt, "ABC0-2345", hash), -1);
}

static void test_find_codes_takes_whole_tokens_only(void **state)
{
	char codes[EM_CONFIRM_MAX_CODES][EM_CONFIRM_CODE_SIZE];
	size_t n = 0;
	const char *t = "RE: [embargo-milter] held: X code abcd-2345; also XABCD-2345 and "
			"ABCD-23456 and ABCD-2345-EFGH and ABCD-2345 again, EFGH-JKLM.";

	assert_int_equal(em_confirm_find_codes(t, strlen(t), codes, &n), 2);
	assert_int_equal(n, 2);
	assert_string_equal(codes[0], "ABCD-2345");
	assert_string_equal(codes[1], "EFGH-JKLM");
}

static void test_find_codes_stops_at_the_cap(void **state)
{
	char codes[EM_CONFIRM_MAX_CODES][EM_CONFIRM_CODE_SIZE], t[2000] = "";
	size_t n = 0;

	for (int i = 0; i < 20; i++)
		snprintf(t + strlen(t), sizeof(t) - strlen(t), "AAAA-%c%c%c%c ", "23456789"[i % 8],
			 "ABCDEFGH"[i / 8], 'Z', 'Z');
	em_confirm_find_codes(t, strlen(t), codes, &n);
	assert_int_equal(n, EM_CONFIRM_MAX_CODES);
}

/* ---- justification ---- */

static void test_justification_stops_at_the_quoted_original(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    /* Outlook plain */
	    {"Needed for the briefing.\r\nThanks\r\n\r\n-----Original Message-----\r\nFrom: "
	     "x\r\nYour message has been held\r\n",
	     "Needed for the briefing. Thanks"},
	    /* Outlook (new): underscores, then From: */
	    {"Cleared by HoP\r\n\r\n________________________________\r\nFrom: Mail relay\r\n",
	     "Cleared by HoP"},
	    /* Thunderbird */
	    {"Minister asked for it.\n\nOn 11/11/2020 20:36, Mail relay release check wrote:\n> "
	     "Your message has been held\n",
	     "Minister asked for it."},
	    /* Apple Mail */
	    {"ok to send, agreed with HoP\n\n> On 11 Nov 2020, at 20:36, Mail relay release "
	     "check <x@y> wrote:\n> \n> held\n",
	     "ok to send, agreed with HoP"},
	    /* code alone on a line and a signature */
	    {"ABCD-2345\nFor the PQ answer\n-- \nJane\n", "For the PQ answer"},
	    /* nothing written above the quote */
	    {"\n\n> Your message has been held\n> ABCD-2345\n", ""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *j = em_confirm_justification(cases[i].text, strlen(cases[i].text));

		assert_non_null(j);
		assert_string_equal(j, cases[i].want);
		free(j);
	}
}

static void test_justification_is_cut_visibly_and_has_no_controls(void **state)
{
	char text[3000];
	char *j;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	text[10] = '\t';
	text[11] = '\033';
	j = em_confirm_justification(text, strlen(text));
	assert_non_null(j);
	assert_int_equal(strlen(j), EM_CONFIRM_REASON_MAX + 3);
	assert_string_equal(j + EM_CONFIRM_REASON_MAX, "...");
	assert_null(strchr(j, '\033'));
	assert_null(strchr(j, '\t'));
	free(j);
}

/* ---- whole replies ---- */

static void parse(const char *raw, struct em_confirm_reply *r)
{
	assert_int_equal(em_confirm_parse_reply(raw, strlen(raw), &lim, r), 0);
}

static void test_outlook_reply_code_in_subject(void **state)
{
	struct em_confirm_reply r;

	parse("From: Private Office <private.office@example.gov.uk>\r\n"
	      "Subject: RE: [embargo-milter] held: Fostering in England 2019-20 (fostering-2020) "
	      "code ABCD-2345\r\n"
	      "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
	      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	      "The duty press officer needs it for the 9:30 lines to take=2E\r\n\r\n"
	      "-----Original Message-----\r\nFrom: Mail relay release check <x@relay>\r\n"
	      "Sent: 11 November 2020 20:36\r\nSubject: [embargo-milter] held\r\n\r\n"
	      "    ABCD-2345\r\n",
	      &r);
	assert_int_equal(r.ncodes, 1);
	assert_string_equal(r.codes[0], "ABCD-2345");
	assert_string_equal(r.justification,
			    "The duty press officer needs it for the 9:30 lines to take.");
	assert_false(r.auto_submitted);
	em_confirm_reply_free(&r);
}

static void test_html_only_reply_is_read_as_text(void **state)
{
	struct em_confirm_reply r;

	parse(
	    "Subject: =?utf-8?Q?AW=3A_your_message?=\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"
	    /* <div>Agreed with the HoP &amp; the SRO</div><hr><div><b>From:</b> relay</div>
	     * <blockquote>code ABCD-2345</blockquote> */
	    "PGRpdj5BZ3JlZWQgd2l0aCB0aGUgSG9QICZhbXA7IHRoZSBTUk88L2Rpdj48aHI+PGRpdj48Yj5G\r\n"
	    "cm9tOjwvYj4gcmVsYXk8L2Rpdj48YmxvY2txdW90ZT5jb2RlIEFCQ0QtMjM0NTwvYmxvY2txdW90ZT4=\r\n",
	    &r);
	assert_int_equal(r.ncodes, 1);
	assert_string_equal(r.codes[0], "ABCD-2345");
	assert_string_equal(r.justification, "Agreed with the HoP & the SRO");
	em_confirm_reply_free(&r);
}

static void test_code_only_in_a_quoted_line_still_counts(void **state)
{
	struct em_confirm_reply r;

	/* Thunderbird, subject edited: the code survives only in the quote */
	parse("Subject: Re: my message\r\nContent-Type: text/plain; charset=UTF-8; "
	      "format=flowed\r\n\r\n"
	      "Needed by the Minister\xe2\x80\x99s office tonight.\r\n\r\n"
	      "On 11/11/2020 20:36, Mail relay release check wrote:\r\n"
	      "> keep the code\r\n>\r\n>     EFGH-JK23\r\n",
	      &r);
	assert_int_equal(r.ncodes, 1);
	assert_string_equal(r.codes[0], "EFGH-JK23");
	assert_string_equal(r.justification, "Needed by the Minister\xe2\x80\x99s office tonight.");
	em_confirm_reply_free(&r);
}

static void test_multipart_reply_prefers_the_plain_part(void **state)
{
	struct em_confirm_reply r;

	/* Apple Mail: multipart/alternative, code in subject and quote */
	parse("Subject: Re: [embargo-milter] held: x code ABCD-2345\r\n"
	      "Content-Type: multipart/alternative; boundary=\"Apple-Mail=_1\"\r\n\r\n"
	      "--Apple-Mail=_1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
	      "For the select committee\r\n\r\n> On 11 Nov 2020, at 20:36, relay wrote:\r\n"
	      "> ABCD-2345\r\n"
	      "--Apple-Mail=_1\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n"
	      "<html><body>For the select committee<blockquote>ABCD-2345</blockquote></body>"
	      "</html>\r\n--Apple-Mail=_1--\r\n",
	      &r);
	assert_int_equal(r.ncodes, 1);
	assert_string_equal(r.justification, "For the select committee");
	em_confirm_reply_free(&r);
}

static void test_auto_replies_are_marked(void **state)
{
	struct em_confirm_reply r;

	parse("Subject: Automatic reply: out of office\r\nAuto-Submitted: auto-replied\r\n\r\n"
	      "I am away.\r\n",
	      &r);
	assert_true(r.auto_submitted);
	assert_int_equal(r.ncodes, 0);
	em_confirm_reply_free(&r);
	parse("Subject: x\r\nAuto-Submitted: no\r\n\r\nhi\r\n", &r);
	assert_false(r.auto_submitted);
	em_confirm_reply_free(&r);
}

/* ---- notices ---- */

struct fx {
	struct em_verdict v;
	struct em_release_verdict rel;
	char *blocked[2];
	struct em_confirm_notice_in in;
};

static void fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->blocked[0] = (char *)"<duty.press.officer@education.example.gov.uk>";
	f->blocked[1] = (char *)"<spad@education.example.gov.uk>";
	f->rel.id = (char *)"fostering-2020";
	f->rel.title = (char *)"Fostering in England 2019-20";
	f->rel.publish_at = PUBLISH;
	f->rel.blocked = f->blocked;
	f->rel.nblocked = 2;
	f->v.releases = &f->rel;
	f->v.nreleases = 1;
	f->v.subject = (char *)"SECRET-SUBJECT-WORDS";
	f->in.v = &f->v;
	f->in.sender = "private.office@education.example.gov.uk";
	f->in.from = "embargo-notices@relay.example";
	f->in.confirm_address = "embargo-confirm@relay.example";
	f->in.code = "ABCD-2345";
	f->in.record = "20201111T203500Z-3f9a1c2b";
	f->in.timezone = "Europe/London";
	f->in.message_id = "<1.c.confirm@relay.example>";
	f->in.now = SENT;
	f->in.expires = PUBLISH;
}

static void test_notice_says_why_and_how_to_release(void **state)
{
	struct fx f;
	char *t = NULL;

	fx_init(&f);
	assert_int_equal(em_confirm_notice_text(&f.in, &t), 0);
	assert_non_null(strstr(t, "Subject: [embargo-milter] held: Fostering in England 2019-20 "
				  "(fostering-2020) code ABCD-2345\r\n"));
	assert_non_null(strstr(t, "Reply-To: <embargo-confirm@relay.example>\r\n"));
	assert_non_null(strstr(t, "To: <private.office@education.example.gov.uk>\r\n"));
	assert_non_null(strstr(t, "Auto-Submitted: auto-generated\r\n"));
	assert_non_null(strstr(t, "duty.press.officer@education.example.gov.uk"));
	assert_non_null(strstr(t, "(in 12 h 55 min)"));
	assert_non_null(strstr(t, "12 November 2020") ? strstr(t, "12 November 2020")
						      : strstr(t, "2020-11-12"));
	assert_non_null(strstr(t, "Reference: 20201111T203500Z-3f9a1c2b"));
	assert_null(strstr(t, "SECRET-SUBJECT-WORDS"));
	free(t);
	f.in.omit_titles = true;
	assert_int_equal(em_confirm_notice_text(&f.in, &t), 0);
	assert_null(strstr(t, "Fostering in England"));
	assert_non_null(strstr(t, "held: fostering-2020 code ABCD-2345"));
	assert_null(strstr(t, "Or open")); /* no console configured: not named */
	free(t);
	f.in.confirm_url = "https://review.example.gov.uk/confirm";
	assert_int_equal(em_confirm_notice_text(&f.in, &t), 0);
	assert_non_null(strstr(t, "Or open\r\n\r\n    https://review.example.gov.uk/confirm\r\n"));
	assert_non_null(strstr(t, "type the code and your reason there"));
	free(t);
}

static void test_answers_and_security_note(void **state)
{
	struct fx f;
	char *t = NULL;

	fx_init(&f);
	f.in.sender = "someone@else.example";
	assert_int_equal(em_confirm_answer_text(&f.in, false, "the code was not accepted", &t), 0);
	assert_non_null(strstr(t, "Subject: [embargo-milter] not released\r\n"));
	assert_non_null(strstr(t, "the code was not accepted"));
	free(t);
	assert_int_equal(em_confirm_security_text(&f.in, "security@example.gov.uk", "req-00",
						  "a@b.example", "Needed\r\nBcc: evil@x", &t),
			 0);
	assert_non_null(strstr(t, "To: <security@example.gov.uk>\r\n"));
	assert_null(strstr(t, "Reply-To:"));
	assert_non_null(strstr(t, "Requested by:  a@b.example"));
	/* a reason cannot add a header line */
	assert_non_null(strstr(t, "Needed??Bcc: evil@x"));
	free(t);
}

/* ---- the tables ---- */

struct db {
	char dir[64];
	struct em_store *st;
	char rec[EM_STORE_ID_SIZE];
};

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

/* ---- the one judgement, for local and shared codes ---- */

static void test_pick_ranks_what_a_matching_code_tells(void **state)
{
	char salt[3][EM_CONFIRM_SALT_SIZE], hash[3][EM_CONFIRM_HASH_SIZE];
	const char *code[3] = {"AAAA-2222", "BBBB-3333", "CCCC-4444"};
	struct em_confirm_candidate c[3];
	char codes[2][EM_CONFIRM_CODE_SIZE];
	struct em_confirm_redeem_in in = {.codes = (const char(*)[EM_CONFIRM_CODE_SIZE])codes,
					  .reason = "agreed",
					  .now = SENT + 60};
	size_t best = 99;

	for (int i = 0; i < 3; i++) {
		assert_int_equal(em_confirm_salt_new(salt[i]), 0);
		assert_int_equal(em_confirm_hash(salt[i], code[i], hash[i]), 0);
		c[i] = (struct em_confirm_candidate){.record = i == 0	? "r0"
							       : i == 1 ? "r1"
									: "r2",
						     .sender = "a@example.gov.uk",
						     .salt = salt[i],
						     .hash = hash[i],
						     .expires = PUBLISH,
						     .held = true};
	}
	c[0].sender = "someone.else@example.gov.uk";
	c[1].expires = SENT; /* already expired */
	/* no code at all */
	in.ncodes = 0;
	assert_int_equal(em_confirm_pick(c, 3, &in, "a@example.gov.uk", &best), EM_CONFIRM_NO_CODE);
	assert_int_equal(best, 3);
	/* a code of nobody */
	snprintf(codes[0], sizeof(codes[0]), "DDDD-5555");
	in.ncodes = 1;
	assert_int_equal(em_confirm_pick(c, 3, &in, "a@example.gov.uk", &best), EM_CONFIRM_UNKNOWN);
	assert_int_equal(best, 3);
	/* another sender's code, then an expired one */
	snprintf(codes[0], sizeof(codes[0]), "aaaa-2222");
	assert_int_equal(em_confirm_pick(c, 3, &in, "a@example.gov.uk", &best),
			 EM_CONFIRM_WRONG_SENDER);
	assert_int_equal(best, 0);
	snprintf(codes[0], sizeof(codes[0]), "BBBB-3333");
	assert_int_equal(em_confirm_pick(c, 3, &in, "a@example.gov.uk", &best), EM_CONFIRM_EXPIRED);
	assert_int_equal(best, 1);
	/* two codes in one reply: the good one wins whatever the order */
	snprintf(codes[0], sizeof(codes[0]), "AAAA-2222");
	snprintf(codes[1], sizeof(codes[1]), "CCCC-4444");
	in.ncodes = 2;
	assert_int_equal(em_confirm_pick(c, 3, &in, "a@example.gov.uk", &best),
			 EM_CONFIRM_ACCEPTED);
	assert_int_equal(best, 2);
	/* the same, no longer held; then held but no reason */
	c[2].held = false;
	assert_int_equal(em_confirm_pick(c, 3, &in, "a@example.gov.uk", &best),
			 EM_CONFIRM_NOT_HELD);
	assert_int_equal(best, 2);
	c[2].held = true;
	in.reason = "";
	assert_int_equal(em_confirm_pick(c, 3, &in, "a@example.gov.uk", &best),
			 EM_CONFIRM_NO_REASON);
	assert_int_equal(best, 2);
	/* no candidates (nothing in the store) */
	assert_int_equal(em_confirm_pick(NULL, 0, &in, "a@example.gov.uk", &best),
			 EM_CONFIRM_UNKNOWN);
	assert_int_equal(best, 0);
}

/* A store with one held record whose sender is private.office@... */
static int db_setup(void **state)
{
	struct db *d = calloc(1, sizeof(*d));
	struct em_verdict v;
	struct em_release_verdict rel;
	char *blocked[1] = {(char *)"<x@out.example>"};
	char *rcpts[1] = {(char *)"<x@out.example>"};
	char err[256], path[128];
	int fd;

	assert_non_null(d);
	snprintf(d->dir, sizeof(d->dir), "/tmp/em-test-confirm.XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	d->st = em_store_open(d->dir, err, sizeof(err));
	assert_non_null(d->st);
	memset(&v, 0, sizeof(v));
	memset(&rel, 0, sizeof(rel));
	rel.id = (char *)"fostering-2020";
	rel.publish_at = PUBLISH;
	rel.blocked = blocked;
	rel.nblocked = 1;
	rel.action = EM_CONFIRM;
	v.action = EM_CONFIRM;
	v.sender = (char *)"<Private.Office@Example.gov.uk>";
	v.rcpts = rcpts;
	v.nrcpts = 1;
	v.releases = &rel;
	v.nreleases = 1;
	v.at = SENT;
	snprintf(path, sizeof(path), "%s/raw", d->dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "Subject: x\r\n\r\nbody\r\n", 20), 20);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(em_store_put(d->st, &v, "4F2A31C0D2", "confirm", fd, d->rec,
				      sizeof(d->rec), err, sizeof(err)),
			 0);
	close(fd);
	unlink(path);
	*state = d;
	return 0;
}

static int db_teardown(void **state)
{
	struct db *d = *state;

	em_store_close(d->st);
	nftw(d->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(d);
	return 0;
}

static void put_code(struct db *d, const char *code, time_t expires)
{
	char salt[EM_CONFIRM_SALT_SIZE], hash[EM_CONFIRM_HASH_SIZE], err[256];

	assert_int_equal(em_confirm_salt_new(salt), 0);
	assert_int_equal(em_confirm_hash(salt, code, hash), 0);
	assert_int_equal(em_confirm_code_put(d->st, d->rec, "<Private.Office@Example.gov.uk>", salt,
					     hash, SENT, expires, err, sizeof(err)),
			 0);
}

static enum em_confirm_result redeem(struct db *d, const char *sender, const char *code,
				     const char *reason, time_t now, char *req)
{
	char codes[1][EM_CONFIRM_CODE_SIZE], rec[EM_STORE_ID_SIZE], err[256];
	struct em_confirm_redeem_in in = {.sender = sender,
					  .codes = (const char(*)[EM_CONFIRM_CODE_SIZE])codes,
					  .ncodes = 1,
					  .reason = reason,
					  .now = now}; /* .via NULL: "mail-reply" */
	enum em_confirm_result res = EM_CONFIRM_UNKNOWN;

	snprintf(codes[0], sizeof(codes[0]), "%s", code);
	assert_int_equal(em_confirm_redeem(d->st, &in, &res, rec, req, err, sizeof(err)), 0);
	if (res != EM_CONFIRM_UNKNOWN)
		assert_string_equal(rec, d->rec);
	return res;
}

static void test_redeem_refuses_wrong_sender_code_reason_and_expiry(void **state)
{
	struct db *d = *state;
	char req[EM_REQUEST_ID_SIZE], st[32], err[256];
	struct em_request *rq;
	size_t n;

	put_code(d, "ABCD-2345", PUBLISH);
	assert_int_equal(em_confirm_state(d->st, d->rec, SENT, st, sizeof(st), err, sizeof(err)),
			 1);
	assert_string_equal(st, "awaiting-confirmation");
	assert_int_equal(redeem(d, "<x@out.example>", "ABCD-2345", "ok", SENT + 60, req),
			 EM_CONFIRM_WRONG_SENDER);
	assert_int_equal(
	    redeem(d, "<private.office@example.gov.uk>", "ABCD-2346", "ok", SENT + 60, req),
	    EM_CONFIRM_UNKNOWN);
	assert_int_equal(
	    redeem(d, "<private.office@example.gov.uk>", "ABCD-2345", "", SENT + 60, req),
	    EM_CONFIRM_NO_REASON);
	assert_int_equal(
	    redeem(d, "<private.office@example.gov.uk>", "ABCD-2345", "ok", PUBLISH, req),
	    EM_CONFIRM_EXPIRED);
	assert_int_equal(em_confirm_state(d->st, d->rec, PUBLISH, st, sizeof(st), err, sizeof(err)),
			 1);
	assert_string_equal(st, "expired");
	assert_int_equal(em_requests_list(d->st, NULL, &rq, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	em_requests_free(rq, n);
}

static void test_redeem_writes_one_request_and_spends_the_code(void **state)
{
	struct db *d = *state;
	char req[EM_REQUEST_ID_SIZE], err[256];
	struct em_request *rq;
	size_t n;

	put_code(d, "ABCD-2345", PUBLISH);
	/* the sender in another spelling and case, the code in lower case */
	assert_int_equal(redeem(d, "private.office@EXAMPLE.gov.uk", "abcd-2345", "For the briefing",
				SENT + 60, req),
			 EM_CONFIRM_ACCEPTED);
	assert_int_equal(strncmp(req, "req-", 4), 0);
	assert_int_equal(redeem(d, "<private.office@example.gov.uk>", "ABCD-2345",
				"For the briefing", SENT + 61, req),
			 EM_CONFIRM_UNKNOWN);
	assert_int_equal(em_requests_list(d->st, "pending", &rq, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rq[0].record_id, d->rec);
	assert_string_equal(rq[0].action, "release");
	assert_string_equal(rq[0].requested_by, "private.office@example.gov.uk");
	assert_string_equal(rq[0].via, "mail-reply");
	assert_string_equal(rq[0].reason, "For the briefing");
	assert_int_equal(rq[0].requested_at, SENT + 60);
	/* claimed once; a second claim (another run) gets nothing */
	assert_int_equal(em_request_claim(d->st, rq[0].id, SENT + 70, err, sizeof(err)), 1);
	assert_int_equal(em_request_claim(d->st, rq[0].id, SENT + 70, err, sizeof(err)), 0);
	assert_int_equal(
	    em_request_finish(d->st, rq[0].id, true, "released", SENT + 71, err, sizeof(err)), 0);
	assert_int_equal(
	    em_request_finish(d->st, rq[0].id, true, "released", SENT + 71, err, sizeof(err)), -1);
	em_requests_free(rq, n);
	assert_int_equal(em_requests_list(d->st, "done", &rq, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rq[0].outcome, "released");
	assert_int_equal(rq[0].done_at, SENT + 71);
	em_requests_free(rq, n);
}

static void test_interrupted_requests_become_pending_again(void **state)
{
	struct db *d = *state;
	char id[EM_REQUEST_ID_SIZE], err[256];
	struct em_request *rq;
	size_t n, reset;

	assert_int_equal(em_request_add(d->st, d->rec, "delete", "reviewer", "console", "duplicate",
					SENT, id, err, sizeof(err)),
			 0);
	assert_int_equal(em_request_add(d->st, d->rec, "publish", "reviewer", "console", "x", SENT,
					id, err, sizeof(err)),
			 -1);
	assert_int_equal(em_requests_list(d->st, "pending", &rq, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(em_request_claim(d->st, rq[0].id, SENT, err, sizeof(err)), 1);
	em_requests_free(rq, n);
	assert_int_equal(em_requests_unstick(d->st, &reset, err, sizeof(err)), 0);
	assert_int_equal(reset, 1);
	assert_int_equal(em_requests_list(d->st, "pending", &rq, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	em_requests_free(rq, n);
}

/* With a shared store: the code's outbox row carries salt and hash, never the code. */
static void test_shared_store_gets_the_hash_and_the_spending(void **state)
{
	struct db *d = *state;
	char req[EM_REQUEST_ID_SIZE], err[256];
	struct em_outbox_item *it = NULL;
	size_t n = 0;
	long long seqs[8];

	em_store_set_outbox(d->st, true);
	/* the record's own outbox row was written before: drop it */
	assert_int_equal(em_outbox_peek(d->st, 8, &it, &n, err, sizeof(err)), 0);
	for (size_t i = 0; i < n; i++)
		seqs[i] = it[i].seq;
	assert_int_equal(em_outbox_done(d->st, seqs, n, err, sizeof(err)), 0);
	em_outbox_items_free(it, n);
	put_code(d, "ABCD-2345", PUBLISH);
	assert_int_equal(em_outbox_peek(d->st, 8, &it, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(it[0].kind, "confirm");
	assert_string_equal(it[0].ref, d->rec);
	assert_non_null(strstr(it[0].payload, "\"sender\":\"private.office@example.gov.uk\""));
	assert_non_null(strstr(it[0].payload, "\"hash\":\""));
	assert_non_null(strstr(it[0].payload, "\"salt\":\""));
	assert_null(strcasestr(it[0].payload, "ABCD-2345"));
	assert_null(strcasestr(it[0].payload, "ABCD2345"));
	assert_true(it[0].queued_ms > 0);
	seqs[0] = it[0].seq;
	assert_int_equal(em_outbox_done(d->st, seqs, 1, err, sizeof(err)), 0);
	em_outbox_items_free(it, n);
	/* a refused reply writes nothing; an accepted one spends the code there too */
	assert_int_equal(redeem(d, "<x@out.example>", "ABCD-2345", "ok", SENT + 60, req),
			 EM_CONFIRM_WRONG_SENDER);
	assert_int_equal(em_outbox_peek(d->st, 8, &it, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	em_outbox_items_free(it, n);
	assert_int_equal(
	    redeem(d, "<private.office@example.gov.uk>", "ABCD-2345", "ok", SENT + 60, req),
	    EM_CONFIRM_ACCEPTED);
	assert_int_equal(em_outbox_peek(d->st, 8, &it, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(it[0].kind, "confirm-used");
	assert_string_equal(it[0].ref, d->rec);
	assert_non_null(strstr(it[0].payload, "\"by\":\"private.office@example.gov.uk\""));
	em_outbox_items_free(it, n);
}

/* A reply accepted on another relay spends the code here: it works once. */
static void test_code_spent_elsewhere_is_refused_here(void **state)
{
	struct db *d = *state;
	char req[EM_REQUEST_ID_SIZE], st[32], err[256];

	put_code(d, "ABCD-2345", PUBLISH);
	assert_int_equal(em_confirm_mark_used(d->st, d->rec, SENT + 30, err, sizeof(err)), 1);
	assert_int_equal(em_confirm_mark_used(d->st, d->rec, SENT + 31, err, sizeof(err)), 0);
	assert_int_equal(
	    em_confirm_state(d->st, d->rec, SENT + 40, st, sizeof(st), err, sizeof(err)), 1);
	assert_string_equal(st, "confirmed");
	assert_int_equal(
	    redeem(d, "<private.office@example.gov.uk>", "ABCD-2345", "ok", SENT + 60, req),
	    EM_CONFIRM_UNKNOWN);
	/* no code at all for a record: nothing to spend */
	assert_int_equal(
	    em_confirm_mark_used(d->st, "20201112T000000Z-00000000", SENT, err, sizeof(err)), 0);
}

static void test_a_release_request_carries_the_chosen_recipients(void **state)
{
	struct db *d = *state;
	const char *picked[] = {"<One@Out.Example>", "", "two@out.example"};
	char id[EM_REQUEST_ID_SIZE], err[256], *joined = em_request_rcpts_join(picked, 3);
	struct em_request *rq;
	size_t n;

	assert_non_null(joined);
	assert_string_equal(joined, "one@out.example\ntwo@out.example");
	assert_null(em_request_rcpts_join(picked + 1, 1)); /* none left */
	assert_int_equal(em_request_add_to(d->st, d->rec, "delete", "bob", "console", "x", joined,
					   SENT, id, err, sizeof(err)),
			 -1);
	assert_int_equal(em_request_add_to(d->st, d->rec, "release", "bob", "console", "x", "",
					   SENT, id, err, sizeof(err)),
			 -1);
	assert_int_equal(em_request_add_to(d->st, d->rec, "release", "bob", "console", "x", joined,
					   SENT, id, err, sizeof(err)),
			 0);
	assert_int_equal(em_request_add(d->st, d->rec, "release", "carol", "console", "y", SENT + 1,
					id, err, sizeof(err)),
			 0);
	assert_int_equal(em_requests_list(d->st, "pending", &rq, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rq[0].recipients, joined);
	assert_null(rq[1].recipients); /* all */
	em_requests_free(rq, n);
	free(joined);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_new_codes_have_the_shape_and_differ),
	    cmocka_unit_test(test_hash_matches_the_code_in_any_case_and_nothing_else),
	    cmocka_unit_test(test_find_codes_takes_whole_tokens_only),
	    cmocka_unit_test(test_find_codes_stops_at_the_cap),
	    cmocka_unit_test(test_justification_stops_at_the_quoted_original),
	    cmocka_unit_test(test_justification_is_cut_visibly_and_has_no_controls),
	    cmocka_unit_test(test_outlook_reply_code_in_subject),
	    cmocka_unit_test(test_html_only_reply_is_read_as_text),
	    cmocka_unit_test(test_code_only_in_a_quoted_line_still_counts),
	    cmocka_unit_test(test_multipart_reply_prefers_the_plain_part),
	    cmocka_unit_test(test_auto_replies_are_marked),
	    cmocka_unit_test(test_notice_says_why_and_how_to_release),
	    cmocka_unit_test(test_answers_and_security_note),
	    cmocka_unit_test(test_pick_ranks_what_a_matching_code_tells),
	    cmocka_unit_test_setup_teardown(test_shared_store_gets_the_hash_and_the_spending,
					    db_setup, db_teardown),
	    cmocka_unit_test_setup_teardown(test_code_spent_elsewhere_is_refused_here, db_setup,
					    db_teardown),
	    cmocka_unit_test_setup_teardown(test_redeem_refuses_wrong_sender_code_reason_and_expiry,
					    db_setup, db_teardown),
	    cmocka_unit_test_setup_teardown(test_redeem_writes_one_request_and_spends_the_code,
					    db_setup, db_teardown),
	    cmocka_unit_test_setup_teardown(test_interrupted_requests_become_pending_again,
					    db_setup, db_teardown),
	    cmocka_unit_test_setup_teardown(test_a_release_request_carries_the_chosen_recipients,
					    db_setup, db_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
