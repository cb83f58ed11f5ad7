/*
 * test_notify - the sender and security notice texts (milter/adapt/em_notify).
 *
 * Verdicts are built by hand; the notices are parsed back (header section,
 * body) and checked for what a person needs to read, for what must never be
 * in them (the message's subject and matched text), and for header safety.
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
#include <strings.h>

#include "em_notify.h"

/* 2020-11-12 09:30 UTC (GMT in London) and 2020-11-11 20:35 UTC. */
#define PUBLISH_WINTER ((time_t)1605173400)
#define SENT_WINTER ((time_t)1605126900)
/* 2020-07-01 08:30 UTC = 09:30 BST. */
#define PUBLISH_SUMMER ((time_t)1593592200)

struct fixture {
	struct em_verdict v;
	struct em_release_verdict rel[2];
	struct em_evidence ev;
	char *blocked0[2];
	char *blocked1[1];
	char *rcpts[3];
	struct em_notify_in in;
};

static struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->ev.kind = EM_EV_CONTENT;
	f->ev.where = (char *)"attachment:Secret OFFICIAL-SENSITIVE plan.docx/word/document.xml";
	f->ev.text = (char *)"fostering households fell by 3.2%";
	f->blocked0[0] = (char *)"<duty.press.officer@education.example.gov.uk>";
	f->blocked0[1] = (char *)"<spad@education.example.gov.uk>";
	f->rel[0].id = (char *)"fostering-2020";
	f->rel[0].title = (char *)"Fostering in England 2019-20";
	f->rel[0].publish_at = PUBLISH_WINTER;
	f->rel[0].action = EM_QUARANTINE;
	f->rel[0].blocked = f->blocked0;
	f->rel[0].nblocked = 2;
	f->rel[0].evidence = &f->ev;
	f->rel[0].nevidence = 1;
	f->rcpts[0] = f->blocked0[0];
	f->rcpts[1] = f->blocked0[1];
	f->rcpts[2] = (char *)"<minister.po@example.gov.uk>";
	f->v.action = EM_QUARANTINE;
	f->v.at = SENT_WINTER;
	f->v.sender = (char *)"<private.office@education.example.gov.uk>";
	f->v.rcpts = f->rcpts;
	f->v.nrcpts = 3;
	f->v.subject = (char *)"OFFICIAL-SENSITIVE: final briefing note";
	f->v.message_id = (char *)"<EMBARGOED-leak@desk.example>";
	f->v.releases = f->rel;
	f->v.nreleases = 1;
	f->in.taken = EM_QUARANTINE;
	f->in.v = &f->v;
	f->in.sender = f->v.sender;
	f->in.rcpts = (const char *const *)f->rcpts;
	f->in.nrcpts = 3;
	f->in.record = "20201111T203500Z-3f9a1c2b";
	f->in.queue_id = "4F2A31C0D2";
	f->in.security_mailbox = "security@example.gov.uk";
	f->in.contact = "the Head of Profession office, hop.office@example.gov.uk";
	f->in.timezone = "Europe/London";
	f->in.now = SENT_WINTER + 1;
	f->in.message_id = "<20201111203501.42.1.s.notice@relay.example>";
	return f;
}

static int setup(void **state)
{
	*state = fixture_new();
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* noinline: gcc 12 takes strstr() on the result for a pointer to the local
 * t once these are inlined (a -Wdangling-pointer false positive) */
static __attribute__((noinline)) char *sender_text(const struct em_notify_in *in)
{
	char *t = NULL;

	assert_int_equal(em_notify_sender_text(in, &t), 0);
	assert_non_null(t);
	return t;
}

static __attribute__((noinline)) char *security_text(const struct em_notify_in *in)
{
	char *t = NULL;

	assert_int_equal(em_notify_security_text(in, &t), 0);
	assert_non_null(t);
	return t;
}

/* The body: everything after the first empty line. */
static const char *body_of(const char *t)
{
	const char *b = strstr(t, "\r\n\r\n");

	assert_non_null(b);
	return b + 4;
}

/* Value of header name in the header section (malloc'd), NULL when absent;
 * fails the test when it occurs more than once. */
static char *header(const char *t, const char *name)
{
	const char *end = strstr(t, "\r\n\r\n"), *p = t;
	size_t nl = strlen(name);
	char *found = NULL;

	assert_non_null(end);
	while (p < end) {
		const char *eol = strstr(p, "\r\n");

		if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;

			assert_null(found);
			while (*v == ' ')
				v++;
			found = strndup(v, (size_t)(eol - v));
		}
		p = eol + 2;
	}
	return found;
}

static void assert_header(const char *t, const char *name, const char *want)
{
	char *v = header(t, name);

	if (v == NULL)
		fail_msg("no %s header", name);
	if (strcmp(v, want) != 0)
		fail_msg("%s is '%s', expected '%s'", name, v, want);
	free(v);
}

static void assert_has(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

static void assert_lacks_ci(const char *hay, const char *needle)
{
	if (strcasestr(hay, needle) != NULL)
		fail_msg("'%s' must not be in:\n%s", needle, hay);
}

/* Every line ends in CRLF, no bare CR or LF, none longer than 998 bytes. */
static void assert_wire_clean(const char *t)
{
	size_t line = 0;

	for (const char *p = t; *p; p++) {
		if (*p == '\r') {
			assert_int_equal(p[1], '\n');
			p++;
			line = 0;
			continue;
		}
		assert_int_not_equal(*p, '\n');
		assert_true(++line <= 998);
	}
	assert_true(strlen(t) >= 2 && strcmp(t + strlen(t) - 2, "\r\n") == 0);
}

static void test_sender_notice_has_every_header_of_an_automatic_utf8_message(void **state)
{
	struct fixture *f = *state;
	char *t = sender_text(&f->in), *date;

	assert_header(t, "From", "Mail relay release check <MAILER-DAEMON>");
	assert_header(t, "To", "<private.office@education.example.gov.uk>");
	assert_header(t, "Subject", "Your message has been held for review and not delivered");
	assert_header(t, "Message-ID", "<20201111203501.42.1.s.notice@relay.example>");
	assert_header(t, "MIME-Version", "1.0");
	assert_header(t, "Content-Type", "text/plain; charset=utf-8");
	assert_header(t, "Content-Transfer-Encoding", "8bit");
	assert_header(t, "Auto-Submitted", "auto-generated");
	assert_header(t, "X-Embargo-Milter", "notice");
	date = header(t, "Date");
	assert_non_null(date);
	assert_string_equal(date, "Wed, 11 Nov 2020 20:35:01 +0000");
	free(date);
	assert_wire_clean(t);
	free(t);
}

static void test_sender_notice_says_which_release_who_and_until_when(void **state)
{
	struct fixture *f = *state;
	char *t = sender_text(&f->in);
	const char *b = body_of(t);

	assert_has(b, "Your message sent at 2020-11-11 20:35 GMT has been held for review.");
	assert_has(b, "It has not been delivered to anyone.");
	assert_has(b, "Release:       Fostering in England 2019-20 (fostering-2020)\r\n");
	assert_has(b, "Published at:  2020-11-12 09:30 GMT\r\n");
	assert_has(b, "Recipients not on its list for early access (2):\r\n"
		      "  duty.press.officer@education.example.gov.uk\r\n"
		      "  spad@education.example.gov.uk\r\n");
	assert_has(b, "Contact: the Head of Profession office, hop.office@example.gov.uk\r\n");
	assert_has(b, "Reference: 20201111T203500Z-3f9a1c2b\r\n");
	assert_has(b, "the security team will review the message");
	/* an allowed recipient is not named as a problem */
	assert_lacks_ci(b, "minister.po@");
	free(t);
}

static void test_times_follow_the_configured_zone_and_summer_time(void **state)
{
	struct fixture *f = *state;
	char *t;

	f->rel[0].publish_at = PUBLISH_SUMMER;
	t = sender_text(&f->in);
	assert_has(body_of(t), "Published at:  2020-07-01 09:30 BST\r\n");
	free(t);
	f->in.timezone = "America/New_York";
	t = sender_text(&f->in);
	assert_has(body_of(t), "Published at:  2020-07-01 04:30 EDT\r\n");
	assert_has(body_of(t), "sent at 2020-11-11 15:35 EST");
	free(t);
}

static void test_notices_never_carry_subject_message_id_or_matched_text(void **state)
{
	struct fixture *f = *state;
	char *t[2];

	t[0] = sender_text(&f->in);
	t[1] = security_text(&f->in);
	for (int i = 0; i < 2; i++) {
		const char *b = body_of(t[i]);
		char *subj = header(t[i], "Subject");

		assert_lacks_ci(t[i], "final briefing note");
		assert_lacks_ci(t[i], "fostering households");
		assert_lacks_ci(t[i], "3.2%");
		assert_lacks_ci(t[i], "Secret");
		assert_lacks_ci(t[i], "leak@desk");
		/* the usual marker words are not in the fixed wording either */
		assert_lacks_ci(t[i], "official");
		assert_lacks_ci(t[i], "sensitive");
		assert_lacks_ci(t[i], "embargoed");
		assert_lacks_ci(t[i], "pre-release access");
		assert_lacks_ci(b, "embargo");
		assert_lacks_ci(subj, "embargo");
		free(subj);
		free(t[i]);
	}
}

static void test_reject_says_refused_and_gives_no_record(void **state)
{
	struct fixture *f = *state;
	char *t, *s;

	f->in.taken = EM_REJECT;
	t = sender_text(&f->in);
	assert_header(t, "Subject", "Your message has been refused and not delivered");
	assert_has(body_of(t), "has been refused by the mail relay.");
	assert_has(body_of(t), "no copy was kept");
	assert_lacks_ci(t, "Reference:");
	assert_lacks_ci(t, f->in.record);
	free(t);

	s = security_text(&f->in);
	assert_header(s, "Subject", "Rejected: release fostering-2020");
	assert_has(body_of(s), "A message was rejected at the relay; no copy was kept.");
	assert_lacks_ci(s, "Record:");
	assert_lacks_ci(s, f->in.record);
	free(s);
}

static void test_null_or_unusable_sender_gets_no_notice(void **state)
{
	struct fixture *f = *state;
	const char *bad[] = {
	    "<>",	    "",	       "   ",	      NULL, "<a@b\r\nBcc: victim@x>", "<-oQ/tmp@x>",
	    "<no-at-sign>", "<a b@x>", "<a@b>, <c@d>"};
	char *t = (char *)"untouched";

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f->in.sender = bad[i];
		assert_int_equal(em_notify_sender_text(&f->in, &t), 1);
		assert_null(t);
	}
}

static void test_security_notice_names_record_queue_sender_and_blocked(void **state)
{
	struct fixture *f = *state;
	char *t = security_text(&f->in);
	const char *b = body_of(t);

	assert_header(t, "To", "<security@example.gov.uk>");
	assert_header(t, "Subject",
		      "Held for review: release fostering-2020, record 20201111T203500Z-3f9a1c2b");
	assert_header(t, "Auto-Submitted", "auto-generated");
	assert_header(t, "X-Embargo-Milter", "notice");
	assert_has(b, "A message was held for review (quarantined).");
	assert_has(b, "Record:        20201111T203500Z-3f9a1c2b\r\n");
	assert_has(b, "Queue id:      4F2A31C0D2\r\n");
	assert_has(b, "Time:          2020-11-11 20:35 GMT\r\n");
	assert_has(b, "Sender:        private.office@education.example.gov.uk\r\n");
	assert_has(b, "Recipients:    3\r\n");
	assert_has(b, "Release:       Fostering in England 2019-20 (fostering-2020)\r\n");
	assert_has(b, "Not allowed yet (2):\r\n  duty.press.officer@education.example.gov.uk\r\n");
	assert_wire_clean(t);
	free(t);
}

static void test_security_notice_needs_a_usable_mailbox(void **state)
{
	struct fixture *f = *state;
	char *t = NULL;

	f->in.security_mailbox = NULL;
	assert_int_equal(em_notify_security_text(&f->in, &t), 1);
	assert_null(t);
	f->in.security_mailbox = "sec@x\nBcc: y@z";
	assert_int_equal(em_notify_security_text(&f->in, &t), 1);
	assert_null(t);
}

static void test_configured_from_is_used_and_sanitised(void **state)
{
	struct fixture *f = *state;
	char *t;

	f->in.from = "embargo-notices@relay.example";
	t = security_text(&f->in);
	assert_header(t, "From", "Mail relay release check <embargo-notices@relay.example>");
	free(t);
	f->in.from = "x@y\r\nBcc: victim@elsewhere";
	t = security_text(&f->in);
	assert_header(t, "From", "Mail relay release check <x@y??Bcc: victim@elsewhere>");
	assert_null(header(t, "Bcc"));
	assert_wire_clean(t);
	free(t);
}

static void test_control_characters_in_envelope_values_cannot_inject_lines(void **state)
{
	struct fixture *f = *state;
	char *t[2];

	f->blocked0[1] = (char *)"<evil@x>\r\nBcc: victim@elsewhere";
	f->rel[0].title = (char *)"Title\r\nBcc: victim@elsewhere";
	f->in.queue_id = "Q1\nX-Injected: 1";
	f->in.message_id = "<id@x>\r\nBcc: victim@elsewhere";
	t[0] = sender_text(&f->in);
	t[1] = security_text(&f->in);
	for (int i = 0; i < 2; i++) {
		char *bcc = header(t[i], "Bcc"), *inj = header(t[i], "X-Injected");

		assert_null(bcc);
		assert_null(inj);
		assert_wire_clean(t[i]);
		assert_lacks_ci(t[i], "\nBcc:");
		assert_has(t[i], "Title??Bcc: victim@elsewhere (fostering-2020)");
		free(t[i]);
	}
}

static void test_invalid_utf8_is_replaced_and_long_values_cut_visibly(void **state)
{
	struct fixture *f = *state;
	char title[1300], *t;
	const char *p;

	/* 600 x "é" (2 bytes): a 300-byte cut must land between characters */
	title[0] = '\0';
	for (int i = 0; i < 600; i++)
		strcat(title, "\xc3\xa9");
	f->rel[0].title = title;
	f->in.contact = "caf\xe9 \xff\xfe office";
	t = sender_text(&f->in);
	p = strstr(t, "Release:       ");
	assert_non_null(p);
	p += strlen("Release:       ");
	for (int i = 0; i < 150; i++, p += 2)
		assert_memory_equal(p, "\xc3\xa9", 2);
	assert_memory_equal(p, "... (fostering-2020)", 20);
	assert_has(t, "Contact: caf? ?? office\r\n");
	free(t);
}

static void test_omit_titles_keeps_the_release_id_only(void **state)
{
	struct fixture *f = *state;
	char *t;

	f->in.omit_titles = true;
	t = sender_text(&f->in);
	assert_has(body_of(t), "Release:       fostering-2020\r\n");
	assert_lacks_ci(t, "Fostering in England");
	free(t);
	t = security_text(&f->in);
	assert_lacks_ci(t, "Fostering in England");
	free(t);
}

static void test_every_blocking_release_is_listed_and_allowed_ones_are_not(void **state)
{
	struct fixture *f = *state;
	char *t;

	f->blocked1[0] = (char *)"<press@example.gov.uk>";
	f->rel[1].id = (char *)"lfs-2020-11";
	f->rel[1].title = (char *)"Labour market overview";
	f->rel[1].publish_at = PUBLISH_SUMMER;
	f->rel[1].blocked = f->blocked1;
	f->rel[1].nblocked = 1;
	f->v.nreleases = 2;
	t = security_text(&f->in);
	assert_has(body_of(t), "Release:       Labour market overview (lfs-2020-11)\r\n"
			       "Published at:  2020-07-01 09:30 BST\r\n"
			       "Not allowed yet (1):\r\n  press@example.gov.uk\r\n");
	assert_header(t, "Subject",
		      "Held for review: release fostering-2020 and others, record "
		      "20201111T203500Z-3f9a1c2b");
	free(t);

	/* a matched release nobody is blocked for is not what held the message */
	f->rel[1].nblocked = 0;
	t = sender_text(&f->in);
	assert_lacks_ci(t, "lfs-2020-11");
	free(t);
}

static void test_incomplete_scan_notices_say_so_and_list_all_recipients(void **state)
{
	struct fixture *f = *state;
	char *t;

	f->v.nreleases = 0;
	t = sender_text(&f->in);
	assert_has(body_of(t), "could not check all of its content");
	assert_lacks_ci(t, "Release:");
	free(t);
	t = security_text(&f->in);
	assert_header(t, "Subject",
		      "Held for review: scan incomplete, record 20201111T203500Z-3f9a1c2b");
	assert_has(body_of(t), "Recipients:\r\n  <duty.press.officer@education.example.gov.uk>\r\n"
			       "  <spad@education.example.gov.uk>\r\n"
			       "  <minister.po@example.gov.uk>\r\n");
	free(t);
	/* no verdict at all (out of memory in the scan): the security notice still goes */
	f->in.v = NULL;
	t = security_text(&f->in);
	assert_has(body_of(t), "Time:          2020-11-11 20:35 GMT");
	free(t);
}

static void test_a_long_recipient_list_is_cut_with_a_count(void **state)
{
	struct fixture *f = *state;
	size_t n = 650;
	char **many = calloc(n, sizeof(*many)), *t;

	assert_non_null(many);
	for (size_t i = 0; i < n; i++)
		assert_true(asprintf(&many[i], "<user%zu@example.org>", i) > 0);
	f->rel[0].blocked = many;
	f->rel[0].nblocked = n;
	t = sender_text(&f->in);
	assert_has(t, "(650):\r\n  user0@example.org\r\n");
	assert_has(t, "  user499@example.org\r\n  ... and 150 more\r\n");
	assert_lacks_ci(t, "user500@");
	free(t);
	for (size_t i = 0; i < n; i++)
		free(many[i]);
	free(many);
}

static void test_addr_strips_brackets_and_refuses_unsafe_addresses(void **state)
{
	char *a = NULL;

	(void)state;
	assert_int_equal(em_notify_addr(" <Ann.Other@Example.ORG> ", &a), 0);
	assert_string_equal(a, "Ann.Other@Example.ORG");
	free(a);
	assert_int_equal(em_notify_addr("bare@example.org", &a), 0);
	assert_string_equal(a, "bare@example.org");
	free(a);
	assert_int_equal(em_notify_addr("<jos\xc3\xa9@example.org>", &a), 0);
	assert_string_equal(a, "jos\xc3\xa9@example.org");
	free(a);
	assert_int_equal(em_notify_addr("<jos\xe9@example.org>", &a), 1);
	assert_null(a);
	assert_int_equal(em_notify_addr("<a@b\x85>", &a), 1);
	assert_int_equal(em_notify_addr("<a\tb@x>", &a), 1);
	assert_int_equal(em_notify_addr("<a@b>>", &a), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_sender_notice_has_every_header_of_an_automatic_utf8_message, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_sender_notice_says_which_release_who_and_until_when, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_times_follow_the_configured_zone_and_summer_time,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_notices_never_carry_subject_message_id_or_matched_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reject_says_refused_and_gives_no_record, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_null_or_unusable_sender_gets_no_notice, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_security_notice_names_record_queue_sender_and_blocked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_security_notice_needs_a_usable_mailbox, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_configured_from_is_used_and_sanitised, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_control_characters_in_envelope_values_cannot_inject_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_invalid_utf8_is_replaced_and_long_values_cut_visibly, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_omit_titles_keeps_the_release_id_only, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_every_blocking_release_is_listed_and_allowed_ones_are_not, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_incomplete_scan_notices_say_so_and_list_all_recipients, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_long_recipient_list_is_cut_with_a_count, setup,
					    teardown),
	    cmocka_unit_test(test_addr_strips_brackets_and_refuses_unsafe_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
