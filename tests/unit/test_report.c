/*
 * test_report - the pure review-tool builders (em_report): the draft breach
 * report from a hand-built store row and verdict (the seed's second breach:
 * a briefing note sent to the duty press officer at 20:35 on 11 November
 * 2020, 12.9 hours before publication at 09:30), the evidence context
 * snippet and the display cleaner.
 */
#define _GNU_SOURCE

/* clang-format off: cmocka needs these first, in this order */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "em_report.h"

/* 2020-11-12T09:30:00Z: publication */
#define PUB ((time_t)1605173400)
/* 2020-11-11T20:35:00Z: the message */
#define SENT ((time_t)1605126900)
/* 2020-11-12T08:00:00Z: the day the report is drafted */
#define TODAY ((time_t)1605168000)

struct fx {
	char *blocked[2];
	char *rcpts[3];
	char *releases[1];
	struct em_evidence ev[3];
	struct em_release_verdict rv;
	struct em_verdict v;
	struct em_store_row row;
	struct em_report_in in;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->blocked[0] = "duty.press.officer@education.example.gov.uk";
	f->blocked[1] = "comms.lead@education.example.gov.uk";
	f->rcpts[0] = f->blocked[0];
	f->rcpts[1] = f->blocked[1];
	f->rcpts[2] = "minister.po@education.example.gov.uk";
	f->releases[0] = "fostering-2020";
	f->ev[0] = (struct em_evidence){EM_EV_MARKER, "header:msip_labels", "official-sensitive"};
	f->ev[1] = (struct em_evidence){EM_EV_CONTENT, "attachment:briefing.docx/word/document.xml",
					"households fell by 4.2%"};
	f->ev[2] = (struct em_evidence){EM_EV_CONTENT, "attachment:briefing.docx/word/document.xml",
					"households rose by 1.1%"};
	f->rv = (struct em_release_verdict){
	    .id = "fostering-2020",
	    .title = "Fostering in England 2019-20",
	    .publish_at = PUB,
	    .pre_release_from = PUB - 86400,
	    .action = EM_QUARANTINE,
	    .pra_open = true,
	    .blocked = f->blocked,
	    .nblocked = 2,
	    .evidence = f->ev,
	    .nevidence = 3,
	};
	f->v = (struct em_verdict){
	    .action = EM_QUARANTINE,
	    .at = SENT,
	    .sender = "private.office@education.example.gov.uk",
	    .rcpts = f->rcpts,
	    .nrcpts = 3,
	    .releases = &f->rv,
	    .nreleases = 1,
	};
	f->row = (struct em_store_row){
	    .id = "20201111T203500Z-3f9a1c2b",
	    .created = SENT + 2,
	    .sender = "private.office@education.example.gov.uk",
	    .rcpts = f->rcpts,
	    .nrcpts = 3,
	    .blocked = f->blocked,
	    .nblocked = 2,
	    .releases = f->releases,
	    .nreleases = 1,
	    .publish_at = PUB,
	    .queue_id = "4CgQ9X0kLzz1",
	    .action_taken = "quarantine",
	    .state = EM_STORE_HELD,
	    .state_at = SENT + 2,
	    .message_id = "<briefing@education.example.gov.uk>",
	};
	f->in = (struct em_report_in){&f->row, &f->v, TODAY, "Europe/London"};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* ---- the report ---- */

static void test_report_md_has_the_seed_headings_in_order(void **state)
{
	struct fx *f = *state;
	static const char *const heads[] = {
	    "# Report of a breach of the Code of Practice for Statistics",
	    "## Core Information",
	    "| Title and link to statistical output |",
	    "| Name of producer organisation |",
	    "| Date of breach report |",
	    "## Circumstances of breach",
	    "| Relevant principle(s) and practice(s) | Trustworthiness: T3: Orderly release |",
	    "| Date of occurrence of breach |",
	    "Please give an account of what happened",
	    "## Impact of the breach",
	    "## Corrective actions (taken or planned) to prevent re-occurrence",
	};
	char *r = em_report_build(&f->in, EM_REPORT_MD);
	const char *p;

	assert_non_null(r);
	p = r;
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		const char *q = strstr(p, heads[i]);

		if (q == NULL)
			fail_msg("missing or out of order: \"%s\"\n%s", heads[i], r);
		p = q + strlen(heads[i]);
	}
	free(r);
}

static void test_report_core_information_names_release_and_report_date(void **state)
{
	struct fx *f = *state;
	char *r = em_report_build(&f->in, EM_REPORT_MD);

	assert_non_null(r);
	assert_non_null(strstr(
	    r,
	    "| Fostering in England 2019-20 (release fostering-2020); link: [to be completed] |"));
	assert_non_null(strstr(r, "| Date of breach report | 2020-11-12 |"));
	assert_non_null(strstr(r, "| Name of producer organisation | [to be completed] |"));
	assert_non_null(strstr(r, "| Name and contact details of person dealing with report | "
				  "[to be completed] |"));
	free(r);
}

static void test_report_date_of_occurrence_is_local_time_of_the_message(void **state)
{
	struct fx *f = *state;
	char *r;

	f->in.tz = "Europe/London";
	r = em_report_build(&f->in, EM_REPORT_TXT);
	assert_non_null(r);
	assert_non_null(strstr(r, "Date of occurrence of breach\t2020-11-11 20:35 GMT\n"));
	free(r);
	/* another zone moves the same instant */
	f->in.tz = "Europe/Paris";
	r = em_report_build(&f->in, EM_REPORT_TXT);
	assert_non_null(r);
	assert_non_null(strstr(r, "Date of occurrence of breach\t2020-11-11 21:35 CET\n"));
	free(r);
}

static void test_report_account_names_sender_blocked_recipients_and_their_number(void **state)
{
	struct fx *f = *state;
	char *r = em_report_build(&f->in, EM_REPORT_TXT);

	assert_non_null(r);
	assert_non_null(strstr(r, "private.office@education.example.gov.uk sent an email to 3 "
				  "recipients"));
	assert_non_null(strstr(r, "of whom 2 were not on the pre-release access list: "
				  "duty.press.officer@education.example.gov.uk, "
				  "comms.lead@education.example.gov.uk."));
	/* the allowed recipient is not named as a breach */
	assert_null(strstr(r, "not on the pre-release access list: minister"));
	free(r);
}

static void test_report_gives_hours_before_publication_and_what_the_milter_did(void **state)
{
	struct fx *f = *state;
	char *r = em_report_build(&f->in, EM_REPORT_TXT);

	assert_non_null(r);
	assert_non_null(strstr(r, "12.9 hours before publication (2020-11-12 09:30 GMT)"));
	assert_non_null(strstr(r, "held the message in quarantine for review"));
	assert_non_null(strstr(r, "mail queue id 4CgQ9X0kLzz1"));
	free(r);
	f->row.action_taken = "reject";
	r = em_report_build(&f->in, EM_REPORT_TXT);
	assert_non_null(r);
	assert_non_null(strstr(r, "rejected the message"));
	free(r);
}

static void test_report_lists_evidence_places_but_never_the_matched_text(void **state)
{
	struct fx *f = *state;
	char *r = em_report_build(&f->in, EM_REPORT_TXT);

	assert_non_null(r);
	assert_non_null(strstr(r, "a protective marker in header:msip_labels"));
	/* two content hits in one place are named once */
	assert_int_equal(count(r, "release content in attachment:briefing.docx/word/document.xml"),
			 1);
	assert_null(strstr(r, "households fell"));
	assert_null(strstr(r, "4.2%"));
	assert_null(strstr(r, "official-sensitive"));
	free(r);
}

static void test_report_impact_follows_the_record_state(void **state)
{
	struct fx *f = *state;
	char *r = em_report_build(&f->in, EM_REPORT_TXT);

	assert_non_null(r);
	assert_non_null(strstr(r, "is held in quarantine and has not been delivered"));
	assert_non_null(strstr(r, "(record state: held)"));
	free(r);

	f->row.state = EM_STORE_RELEASED;
	f->row.state_by = "reviewer";
	f->row.state_at = PUB - 3600;
	r = em_report_build(&f->in, EM_REPORT_TXT);
	assert_non_null(r);
	assert_non_null(strstr(r, "released from quarantine on 2020-11-12 08:30 GMT by reviewer "
				  "and delivered BEFORE publication (record state: released)"));
	free(r);

	f->row.state_at = PUB + 60;
	r = em_report_build(&f->in, EM_REPORT_TXT);
	assert_non_null(r);
	assert_non_null(strstr(r, "delivered after publication"));
	free(r);

	f->row.state = EM_STORE_DELETED;
	r = em_report_build(&f->in, EM_REPORT_TXT);
	assert_non_null(r);
	assert_non_null(strstr(r, "deleted from quarantine"));
	assert_non_null(strstr(r, "never delivered"));
	free(r);

	f->row.action_taken = "flag";
	r = em_report_build(&f->in, EM_REPORT_TXT);
	assert_non_null(r);
	assert_non_null(strstr(r, "was delivered to every recipient"));
	free(r);
}

static void test_report_blank_sections_say_to_be_completed(void **state)
{
	struct fx *f = *state;
	char *r = em_report_build(&f->in, EM_REPORT_TXT);
	const char *corr;

	assert_non_null(r);
	/* link, producer, contact, head of profession, statement, roles, impact, corrective */
	assert_int_equal(count(r, "[to be completed]"), 8);
	corr = strstr(r, "Corrective actions");
	assert_non_null(corr);
	assert_non_null(strstr(corr, "[to be completed]"));
	free(r);
}

static void test_report_txt_rows_are_tab_separated_like_the_seed(void **state)
{
	struct fx *f = *state;
	char *r = em_report_build(&f->in, EM_REPORT_TXT);

	assert_non_null(r);
	assert_true(strncmp(r, "Report of a breach of the Code of Practice for Statistics\n", 58) ==
		    0);
	assert_non_null(strstr(r, "\nInformation needed\tResponse\n"));
	assert_non_null(strstr(r, "\nRelevant principle(s) and practice(s)\tTrustworthiness: T3: "
				  "Orderly release\n"));
	assert_null(strstr(r, "| "));
	free(r);
}

static void test_report_md_escapes_markup_and_controls_from_the_message(void **state)
{
	struct fx *f = *state;
	char *r;

	f->row.sender = "evil|*x*@example.org\n# injected\033[31m";
	r = em_report_build(&f->in, EM_REPORT_MD);
	assert_non_null(r);
	assert_non_null(strstr(r, "evil\\|\\*x\\*@example.org \\# injected?\\[31m"));
	assert_null(strstr(r, "\n# injected"));
	assert_null(strchr(r, '\033'));
	free(r);
}

static void test_report_without_verdict_falls_back_to_the_index_row(void **state)
{
	struct fx *f = *state;
	char *r;

	f->in.v = NULL;
	r = em_report_build(&f->in, EM_REPORT_TXT);
	assert_non_null(r);
	assert_non_null(strstr(r, "release fostering-2020; link: [to be completed]"));
	/* created two seconds after the message */
	assert_non_null(strstr(r, "12.9 hours before publication"));
	assert_non_null(strstr(r, "of whom 2 were"));
	free(r);
}

static void test_report_without_row_is_refused(void **state)
{
	struct em_report_in in = {NULL, NULL, TODAY, NULL};

	(void)state;
	assert_null(em_report_build(&in, EM_REPORT_MD));
	assert_null(em_report_build(NULL, EM_REPORT_MD));
}

static void test_action_words_cover_every_action_and_unknown(void **state)
{
	(void)state;
	assert_non_null(strstr(em_report_action_words("strip"), "removed the recipients"));
	assert_non_null(strstr(em_report_action_words("tempfail"), "deferred"));
	assert_non_null(strstr(em_report_action_words("bogus"), "not known"));
	assert_non_null(strstr(em_report_action_words(NULL), "not recorded"));
}

/* ---- cleaning ---- */

static void test_clean_replaces_terminal_escapes_bidi_and_invalid_utf8(void **state)
{
	char *c;

	(void)state;
	c = em_report_clean("a\033[2Jb\tc\r\nd\x7f"
			    "e\xc2\x9b"
			    "f\xe2\x80\xae"
			    "g\xff"
			    "h");
	assert_non_null(c);
	assert_string_equal(c, "a?[2Jb c  d?e?f?g?h");
	free(c);
	/* ordinary non-ASCII text stays */
	c = em_report_clean("Caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x93\x8a");
	assert_non_null(c);
	assert_string_equal(c, "Caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x93\x8a");
	free(c);
	/* truncated and overlong sequences */
	c = em_report_clean("x\xe2\x80"
			    "y\xc0\xaf");
	assert_non_null(c);
	assert_string_equal(c, "x??y??");
	free(c);
	c = em_report_clean(NULL);
	assert_non_null(c);
	assert_string_equal(c, "");
	free(c);
}

/* ---- context ---- */

static void test_context_gives_a_few_words_either_side(void **state)
{
	const char *t = "one two three four households fell by 4.2% five six seven eight";
	struct em_report_snip s;

	(void)state;
	assert_int_equal(em_report_context(t, strlen(t), "households fell by 4.2%", 2, &s), 1);
	assert_int_equal(s.match, strstr(t, "households") - t);
	assert_int_equal(s.match_end, strstr(t, " five") - t);
	assert_memory_equal(t + s.from, "three four households", 21);
	assert_int_equal(s.to, strstr(t, " seven") - t);
	assert_true(s.cut_before);
	assert_true(s.cut_after);
}

static void test_context_at_the_edges_is_not_cut(void **state)
{
	const char *t = "official-sensitive briefing";
	struct em_report_snip s;

	(void)state;
	assert_int_equal(em_report_context(t, strlen(t), "official-sensitive", 3, &s), 1);
	assert_int_equal(s.from, 0);
	assert_false(s.cut_before);
	assert_int_equal(s.to, strlen(t));
	assert_false(s.cut_after);
}

static void test_context_not_found_or_empty_needle_gives_zero(void **state)
{
	const char *t = "nothing here";
	struct em_report_snip s;

	(void)state;
	assert_int_equal(em_report_context(t, strlen(t), "embargo", 3, &s), 0);
	assert_int_equal(em_report_context(t, strlen(t), "", 3, &s), 0);
	assert_int_equal(em_report_context(t, strlen(t), NULL, 3, &s), 0);
}

static void test_context_in_one_long_word_is_capped_on_a_character_boundary(void **state)
{
	char t[700];
	struct em_report_snip s;
	size_t n = 0;

	(void)state;
	/* 150 two-byte characters, the match, 150 more: no spaces at all */
	for (int i = 0; i < 150; i++) {
		t[n++] = '\xc3';
		t[n++] = '\xa9';
	}
	memcpy(t + n, "MATCH", 5);
	n += 5;
	for (int i = 0; i < 150; i++) {
		t[n++] = '\xc3';
		t[n++] = '\xa9';
	}
	assert_int_equal(em_report_context(t, n, "MATCH", 3, &s), 1);
	assert_true(s.match - s.from <= 80);
	assert_true(s.to - s.match_end <= 80);
	assert_true(s.match - s.from >= 78);
	assert_int_equal((unsigned char)t[s.from], 0xc3);
	assert_true(s.to == n || (unsigned char)t[s.to] == 0xc3);
	assert_true(s.cut_before);
	assert_true(s.cut_after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_report_md_has_the_seed_headings_in_order, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_report_core_information_names_release_and_report_date, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_report_date_of_occurrence_is_local_time_of_the_message, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_report_account_names_sender_blocked_recipients_and_their_number, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_report_gives_hours_before_publication_and_what_the_milter_did, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_report_lists_evidence_places_but_never_the_matched_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report_impact_follows_the_record_state, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_report_blank_sections_say_to_be_completed, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_report_txt_rows_are_tab_separated_like_the_seed,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_report_md_escapes_markup_and_controls_from_the_message, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report_without_verdict_falls_back_to_the_index_row,
					    setup, teardown),
	    cmocka_unit_test(test_report_without_row_is_refused),
	    cmocka_unit_test(test_action_words_cover_every_action_and_unknown),
	    cmocka_unit_test(test_clean_replaces_terminal_escapes_bidi_and_invalid_utf8),
	    cmocka_unit_test(test_context_gives_a_few_words_either_side),
	    cmocka_unit_test(test_context_at_the_edges_is_not_cut),
	    cmocka_unit_test(test_context_not_found_or_empty_needle_gives_zero),
	    cmocka_unit_test(test_context_in_one_long_word_is_capped_on_a_character_boundary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
