/* Unit tests of thread lineage: the Thread-Index decoder, Message-ID and
 * subject normalization, key extraction from real-looking Outlook, Apple Mail
 * and Thunderbird headers (top level and attached messages), matching in
 * em_scan through an injected lookup (a table in this file standing in for
 * the store, the way a clock is injected), and the SQLite store itself in a
 * temp dir. The clock is injected: before, inside and after the embargo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h> /* after setjmp.h, stdarg.h, stddef.h */

#include "rules_fixture.h"

#include "em_config.h"
#include "em_lineage.h"
#include "em_lineage_store.h"
#include "em_rules.h"
#include "em_scan.h"
#include "em_time.h"

static char dir[64];
static struct em_rules *rules;

/* publish 2020-11-12 09:30Z, PRA from 2020-11-11 09:30Z */
static const char RELEASE[] =
    "release = {\n"
    "  id = \"fostering-2020\";\n  title = \"Fostering in England 2019-20\";\n"
    "  publish_at = \"2020-11-12T09:30:00Z\";\n"
    "  identifiers = ( \"Fostering in England\" );\n"
    "  content = ( \"fostering households (fell|rose) by [0-9.]+ ?%\" );\n"
    "  producers = ( \"@stats.example.gov.uk\" );\n"
    "  pre_release_access = ( \"minister.po@example.gov.uk\" );\n"
    "  action = \"quarantine\";\n};\n";

static int setup(void **state)
{
	char path[256];

	if (fixture_dir_make(dir, sizeof(dir), "em-lineage-test") < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/q", dir);
	mkdir(path, 0700);
	fixture_write(dir, "main.conf",
		      "releases_dir = \"releases.d\";\nquarantine_dir = \"q\";\n");
	fixture_write(dir, "releases.d/fostering.conf", RELEASE);
	rules = fixture_rules_load(dir);
	return rules ? 0 : -1;
}

static int teardown(void **state)
{
	return fixture_teardown(dir, rules);
}

static time_t at(const char *s)
{
	time_t t;
	char err[128];

	assert_int_equal(em_time_parse(s, "UTC", &t, err, sizeof(err)), 0);
	return t;
}

/* ---- Thread-Index ------------------------------------------------------- */

/* Built with python3: base64 of 0x01, FILETIME d5eb1d7b30, GUID
 * e8aab2dd86794d4fbbccfb28669a6f75, then 0, 1 or 2 five-byte response levels. */
#define TI_ROOT "AdXrHXsw6Kqy3YZ5TU+7zPsoZppvdQ=="
#define TI_REPLY "AdXrHXsw6Kqy3YZ5TU+7zPsoZppvdQAAofLD"
#define TI_REPLY2 "AdXrHXsw6Kqy3YZ5TU+7zPsoZppvdQAAofLDAAAbLD0="
#define TI_GUID "e8aab2dd86794d4fbbccfb28669a6f75"

static void guid_hex(const unsigned char g[16], char out[33])
{
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", g[i]);
}

static void test_thread_index_guid_is_bytes_6_to_21_of_the_header_block(void **state)
{
	unsigned char g[16];
	char hex[33];

	assert_int_equal(em_lineage_thread_index(TI_ROOT, strlen(TI_ROOT), g), 0);
	guid_hex(g, hex);
	assert_string_equal(hex, TI_GUID);
}

static void test_thread_index_of_replies_keeps_the_conversation_guid(void **state)
{
	unsigned char g1[16], g2[16];
	char h1[33], h2[33];
	const char folded[] = "AdXrHXsw6Kqy3YZ5TU+7zPso\r\n\tZppvdQAAofLDAAAbLD0=";

	assert_int_equal(em_lineage_thread_index(TI_REPLY, strlen(TI_REPLY), g1), 0);
	assert_int_equal(em_lineage_thread_index(folded, strlen(folded), g2), 0);
	guid_hex(g1, h1);
	guid_hex(g2, h2);
	assert_string_equal(h1, TI_GUID);
	assert_string_equal(h2, TI_GUID);
}

static void test_thread_index_that_is_too_short_or_not_base64_or_zero_is_refused(void **state)
{
	unsigned char g[16];
	const char *bad[] = {
	    "AdXrHXsw6Kqy3YZ5TU+7zPsoZppv",	/* 21 bytes */
	    "AdXrHXswAAAAAAAAAAAAAAAAAAAAAA==", /* GUID all zero */
	    "not a thread index at all, (really)",
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(em_lineage_thread_index(bad[i], strlen(bad[i]), g), -1);
}

/* ---- Message-IDs and subjects ------------------------------------------ */

struct ids {
	char v[8][128];
	int n;
};

static int collect(void *arg, const char *id, size_t len)
{
	struct ids *x = arg;

	snprintf(x->v[x->n++], 128, "%.*s", (int)len, id);
	return 0;
}

static void test_references_yield_every_id_across_folds_and_comments(void **state)
{
	const char refs[] = "<CAF=abc@mail.gmail.com>\r\n <1234.5678@Stats.Example.GOV.uk>"
			    " (a comment)\t<x-y@z>";
	struct ids x = {.n = 0};

	assert_int_equal(em_lineage_msgids(refs, strlen(refs), collect, &x), 3);
	assert_string_equal(x.v[0], "CAF=abc@mail.gmail.com");
	assert_string_equal(x.v[1], "1234.5678@Stats.Example.GOV.uk");
	assert_string_equal(x.v[2], "x-y@z");
	x.n = 0;
	assert_int_equal(em_lineage_msgids(" bare-id@host.example ", 22, collect, &x), 1);
	assert_string_equal(x.v[0], "bare-id@host.example");
	x.n = 0;
	assert_int_equal(em_lineage_msgids("no ids here", 11, collect, &x), 0);
}

static void test_message_id_keys_are_lower_cased_without_whitespace(void **state)
{
	struct em_buf b = EM_BUF_INIT;

	assert_int_equal(em_lineage_msgid_key("AB12.CD@Host.Example", 20, &b), 0);
	assert_string_equal(b.data, "mid:ab12.cd@host.example");
	em_buf_reset(&b);
	assert_int_equal(em_lineage_msgid_key("  ", 2, &b), 1);
	assert_int_equal(b.len, 0);
	assert_int_equal(em_lineage_msgid_key("a\x01@b", 4, &b), 1);
	em_buf_free(&b);
}

static void check_subject(const char *in, const char *want)
{
	struct em_buf b = EM_BUF_INIT;

	assert_int_equal(em_lineage_subject(in, strlen(in), &b), 0);
	assert_string_equal(b.data ? b.data : "", want);
	em_buf_free(&b);
}

static void test_subject_prefixes_of_many_languages_and_list_tags_are_removed(void **state)
{
	check_subject("RE: AW: [EXTERNAL] Fwd:  Widget   figures", "widget figures");
	check_subject("Re[2]: Re(3): SV: VS: WG: Antw: Final note", "final note");
	check_subject("[stats-list] TR: RIF: R: I: ENC: RV: Odp: YNT: Briefing", "briefing");
	check_subject("\xe5\x9b\x9e\xe5\xa4\x8d\xef\xbc\x9a Briefing", "briefing"); /* 回复： */
	check_subject("\xd0\x9e\xd1\x82\xd0\xb2\xd0\xb5\xd1\x82: Briefing",
		      "briefing"); /* Ответ: */
	check_subject("Briefing note (fwd)", "briefing note");
	/* not a prefix: the word goes on */
	check_subject("Result: figures", "result: figures");
	check_subject("Regarding: figures", "regarding: figures");
}

/* ---- keys from a whole message ------------------------------------------ */

/* Outlook reply (Thread-Index, Thread-Topic, In-Reply-To, References) that
 * forwards an Apple Mail message as an attachment. */
static const char OUTLOOK_REPLY_WITH_ATTACHMENT[] =
    "From: Private Office <po@example.gov.uk>\r\n"
    "To: press@example.gov.uk\r\n"
    "Subject: RE: Fostering briefing\r\n"
    "Thread-Topic: Fostering briefing\r\n"
    "Thread-Index: " TI_REPLY "\r\n"
    "Date: Wed, 11 Nov 2020 20:35:00 +0000\r\n"
    "Message-ID: <LO2P265MB0001A1B2C3D4E5F6@LO2P265MB0001.GBRP265.PROD.OUTLOOK.COM>\r\n"
    "References: <root-1@stats.example.gov.uk>\r\n"
    "In-Reply-To: <root-1@stats.example.gov.uk>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain\r\n\r\n"
    "See below.\r\n"
    "--b1\r\n"
    "Content-Type: message/rfc822; name=\"Fwd.eml\"\r\n"
    "Content-Disposition: attachment; filename=\"Fwd.eml\"\r\n\r\n"
    "From: Analyst <analyst@stats.example.gov.uk>\r\n"
    "Subject: Numbers\r\n"
    "Message-Id: <5F1E2D3C-0000-4A4A-9999-ABCDEF012345@stats.example.gov.uk>\r\n"
    "In-Reply-To: <apple-parent@stats.example.gov.uk>\r\n"
    "Content-Type: text/plain\r\n\r\n"
    "The numbers.\r\n"
    "--b1--\r\n";

static bool has_key(const struct em_lineage_key *k, size_t n, const char *key, const char *where)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(k[i].key, key) == 0 && (where == NULL || strcmp(k[i].where, where) == 0))
			return true;
	return false;
}

static void test_keys_come_from_threading_headers_and_attached_messages(void **state)
{
	struct em_scan *s = em_scan_new(rules, NULL);
	struct em_verdict *v = NULL;
	const struct em_lineage_key *k;
	size_t n;

	assert_int_equal(em_scan_add_rcpt(s, "press@example.gov.uk"), 0);
	assert_int_equal(
	    em_scan_push(s, OUTLOOK_REPLY_WITH_ATTACHMENT, strlen(OUTLOOK_REPLY_WITH_ATTACHMENT)),
	    0);
	assert_int_equal(em_scan_finish(s, at("2020-11-11 20:35"), &v), 0);
	const struct em_lineage *l = em_scan_lineage(s);

	k = em_lineage_lookup_keys(l, &n);
	assert_true(has_key(k, n, "mid:root-1@stats.example.gov.uk", "header:References"));
	assert_true(has_key(k, n, "tix:" TI_GUID, "header:Thread-Index"));
	assert_true(has_key(k, n,
			    "mid:lo2p265mb0001a1b2c3d4e5f6@lo2p265mb0001.gbrp265.prod.outlook.com",
			    "header:Message-ID"));
	assert_true(has_key(k, n, "mid:5f1e2d3c-0000-4a4a-9999-abcdef012345@stats.example.gov.uk",
			    "attachment:Fwd.eml/header:Message-Id"));
	assert_true(has_key(k, n, "mid:apple-parent@stats.example.gov.uk",
			    "attachment:Fwd.eml/header:In-Reply-To"));
	assert_true(has_key(k, n, "sub:fostering briefing", "header:Subject"));
	assert_false(has_key(k, n, "sub:numbers", NULL)); /* only the top subject */

	/* what is recorded: own id, own conversation, attached ids, subject;
	 * never the parents named by In-Reply-To/References */
	k = em_lineage_origin_keys(l, &n);
	assert_int_equal(n, 4);
	assert_true(has_key(k, n, "tix:" TI_GUID, NULL));
	assert_true(
	    has_key(k, n, "mid:5f1e2d3c-0000-4a4a-9999-abcdef012345@stats.example.gov.uk", NULL));
	assert_false(has_key(k, n, "mid:root-1@stats.example.gov.uk", NULL));
	assert_string_equal(em_lineage_own_id(l),
			    "mid:lo2p265mb0001a1b2c3d4e5f6@lo2p265mb0001.gbrp265.prod.outlook.com");
	assert_string_equal(em_lineage_norm_subject(l), "fostering briefing");
	em_verdict_free(v);
	em_scan_free(s);
}

/* ---- matching through an injected lookup -------------------------------- */

struct origin {
	const char *key, *release, *mid, *record;
};

struct table {
	const struct origin *o;
	size_t n;
	bool fail;
	size_t asked;
};

static int table_lookup(void *ctx, const char *const *keys, size_t nkeys,
			struct em_lineage_hit **hits, size_t *nhits, char *err, size_t errsz)
{
	struct table *t = ctx;
	struct em_lineage_hit *h = calloc(nkeys * t->n + 1, sizeof(*h));
	size_t n = 0;

	t->asked += nkeys;
	if (t->fail) {
		free(h);
		snprintf(err, errsz, "database is locked");
		return -1;
	}
	for (size_t i = 0; i < nkeys; i++)
		for (size_t j = 0; j < t->n; j++)
			if (strcmp(keys[i], t->o[j].key) == 0) {
				h[n].key = i;
				h[n].release = strdup(t->o[j].release);
				h[n].message_id = t->o[j].mid ? strdup(t->o[j].mid) : NULL;
				h[n].record = t->o[j].record ? strdup(t->o[j].record) : NULL;
				h[n].at = at("2020-11-11 11:45");
				n++;
			}
	*hits = h;
	*nhits = n;
	return 0;
}

static struct em_verdict *scan_with(struct table *t, const char *msg, time_t when,
				    const char *rcpts[])
{
	struct em_scan *s = em_scan_new(rules, NULL);
	struct em_lineage_lookup lk = {.ctx = t, .lookup = table_lookup};
	struct em_verdict *v = NULL;

	assert_non_null(s);
	for (size_t i = 0; rcpts[i]; i++)
		assert_int_equal(em_scan_add_rcpt(s, rcpts[i]), 0);
	em_scan_set_lineage(s, &lk);
	assert_int_equal(em_scan_push(s, msg, strlen(msg)), 0);
	assert_int_equal(em_scan_finish(s, when, &v), 0);
	em_scan_free(s);
	return v;
}

/* Thunderbird reply with the marker deleted: nothing but its threading. */
static const char TB_REPLY[] =
    "From: Minister PO <minister.po@example.gov.uk>\r\n"
    "To: press@example.gov.uk, analyst@stats.example.gov.uk\r\n"
    "Subject: Re: briefing\r\n"
    "Message-ID: <7a1b2c3d-1111-2222-3333-444455556666@example.gov.uk>\r\n"
    "In-Reply-To: <PRA-EMAIL-1@stats.example.gov.uk>\r\n"
    "References: <PRA-EMAIL-1@stats.example.gov.uk>\r\n"
    "User-Agent: Mozilla/5.0 Thunderbird/115.4.1\r\n"
    "Content-Type: text/plain; charset=UTF-8; format=flowed\r\n\r\n"
    "Thanks - see you at the briefing.\r\n";

static const struct origin PRA_EMAIL[] = {
    {"mid:pra-email-1@stats.example.gov.uk", "fostering-2020",
     "mid:pra-email-1@stats.example.gov.uk", NULL},
};

static void test_reply_to_a_recorded_origin_is_held_as_thread_naming_the_origin(void **state)
{
	struct table t = {PRA_EMAIL, 1, false, 0};
	const char *r[] = {"press@example.gov.uk", "analyst@stats.example.gov.uk", NULL};
	struct em_verdict *v = scan_with(&t, TB_REPLY, at("2020-11-11 20:35"), r);

	assert_int_equal(v->action, EM_QUARANTINE);
	assert_int_equal(v->nreleases, 1);
	assert_string_equal(v->releases[0].id, "fostering-2020");
	assert_int_equal(v->releases[0].nblocked, 1);
	assert_string_equal(v->releases[0].blocked[0], "press@example.gov.uk");
	assert_int_equal(v->releases[0].nevidence, 1);
	assert_int_equal(v->releases[0].evidence[0].kind, EM_EV_THREAD);
	assert_string_equal(v->releases[0].evidence[0].where, "header:In-Reply-To");
	assert_non_null(
	    strstr(v->releases[0].evidence[0].text, "<pra-email-1@stats.example.gov.uk>"));
	assert_non_null(strstr(v->releases[0].evidence[0].text, "2020-11-11T11:45:00Z"));
	em_verdict_free(v);
}

static void test_reply_among_allowed_recipients_stays_allowed(void **state)
{
	struct table t = {PRA_EMAIL, 1, false, 0};
	const char *r[] = {"minister.po@example.gov.uk", "analyst@stats.example.gov.uk", NULL};
	struct em_verdict *v = scan_with(&t, TB_REPLY, at("2020-11-11 20:35"), r);

	assert_int_equal(v->action, EM_ACCEPT);
	assert_int_equal(v->nreleases, 1); /* matched, listed, nobody blocked */
	assert_int_equal(v->releases[0].nblocked, 0);
	em_verdict_free(v);
}

static void test_after_publication_nothing_is_tainted(void **state)
{
	struct table t = {PRA_EMAIL, 1, false, 0};
	const char *r[] = {"press@example.gov.uk", NULL};
	struct em_verdict *v = scan_with(&t, TB_REPLY, at("2020-11-12 09:30"), r);

	assert_int_equal(v->action, EM_ACCEPT);
	assert_int_equal(v->nreleases, 0);
	em_verdict_free(v);
}

static void test_forged_references_to_an_unknown_id_change_nothing(void **state)
{
	static const char forged[] =
	    "From: x@example.org\r\nTo: press@example.gov.uk\r\nSubject: hello\r\n"
	    "References: <3f9a1c2b77e04d1e@random.example>\r\n\r\nhi\r\n";
	struct table t = {PRA_EMAIL, 1, false, 0};
	const char *r[] = {"press@example.gov.uk", NULL};
	struct em_verdict *v = scan_with(&t, forged, at("2020-11-11 20:35"), r);

	assert_true(t.asked > 0); /* the store was asked */
	assert_int_equal(v->action, EM_ACCEPT);
	assert_int_equal(v->nreleases, 0);
	em_verdict_free(v);
}

static void test_outlook_thread_index_alone_links_the_conversation(void **state)
{
	static const char ol[] = "From: po@example.gov.uk\r\nTo: press@example.gov.uk\r\n"
				 "Subject: RE: catch-up\r\nThread-Topic: catch-up\r\n"
				 "Thread-Index: " TI_REPLY2 "\r\n\r\nok\r\n";
	static const struct origin o[] = {
	    {"tix:" TI_GUID, "fostering-2020", "mid:pra-email-1@stats.example.gov.uk",
	     "20201111T114500Z-3f9a1c2b"},
	};
	struct table t = {o, 1, false, 0};
	const char *r[] = {"press@example.gov.uk", NULL};
	struct em_verdict *v = scan_with(&t, ol, at("2020-11-11 20:35"), r);

	assert_int_equal(v->action, EM_QUARANTINE);
	assert_string_equal(v->releases[0].evidence[0].where, "header:Thread-Index");
	assert_non_null(
	    strstr(v->releases[0].evidence[0].text, "record 20201111T114500Z-3f9a1c2b"));
	em_verdict_free(v);
}

static void test_the_most_direct_link_names_the_origin(void **state)
{
	/* Outlook writes Thread-Index before In-Reply-To; both lead to the
	 * same origin, and the evidence names the reply link */
	static const char ol[] = "From: po@example.gov.uk\r\nTo: press@example.gov.uk\r\n"
				 "Subject: RE: briefing\r\nThread-Index: " TI_REPLY "\r\n"
				 "In-Reply-To: <PRA-EMAIL-1@stats.example.gov.uk>\r\n\r\nok\r\n";
	static const struct origin o[] = {
	    {"tix:" TI_GUID, "fostering-2020", "mid:pra-email-1@stats.example.gov.uk", NULL},
	    {"mid:pra-email-1@stats.example.gov.uk", "fostering-2020",
	     "mid:pra-email-1@stats.example.gov.uk", NULL},
	};
	struct table t = {o, 2, false, 0};
	const char *r[] = {"press@example.gov.uk", NULL};
	struct em_verdict *v = scan_with(&t, ol, at("2020-11-11 20:35"), r);

	assert_int_equal(v->action, EM_QUARANTINE);
	assert_int_equal(v->releases[0].nevidence, 1); /* one origin, named once */
	assert_string_equal(v->releases[0].evidence[0].where, "header:In-Reply-To");
	em_verdict_free(v);
}

static void test_forward_as_attachment_links_through_the_attached_message_id(void **state)
{
	static const struct origin o[] = {
	    {"mid:5f1e2d3c-0000-4a4a-9999-abcdef012345@stats.example.gov.uk", "fostering-2020",
	     "mid:5f1e2d3c-0000-4a4a-9999-abcdef012345@stats.example.gov.uk", NULL},
	};
	struct table t = {o, 1, false, 0};
	const char *r[] = {"press@example.gov.uk", NULL};
	struct em_verdict *v =
	    scan_with(&t, OUTLOOK_REPLY_WITH_ATTACHMENT, at("2020-11-11 20:35"), r);

	assert_int_equal(v->action, EM_QUARANTINE);
	assert_string_equal(v->releases[0].evidence[0].where,
			    "attachment:Fwd.eml/header:Message-Id");
	em_verdict_free(v);
}

static void test_an_equal_subject_is_only_a_note(void **state)
{
	static const struct origin o[] = {
	    {"sub:briefing", "fostering-2020", "mid:pra-email-1@stats.example.gov.uk", NULL},
	};
	static const char msg[] = "From: x@example.org\r\nTo: press@example.gov.uk\r\n"
				  "Subject: FW: [ext] Briefing\r\n\r\nhi\r\n";
	struct table t = {o, 1, false, 0};
	const char *r[] = {"press@example.gov.uk", NULL};
	struct em_verdict *v = scan_with(&t, msg, at("2020-11-11 20:35"), r);
	bool noted = false;

	assert_int_equal(v->action, EM_ACCEPT);
	assert_int_equal(v->nreleases, 0);
	for (size_t i = 0; i < v->nnotes; i++)
		noted |= strstr(v->notes[i], "subject equals") != NULL;
	assert_true(noted);
	em_verdict_free(v);
}

static void test_a_store_that_cannot_answer_is_a_note_not_a_decision(void **state)
{
	struct table t = {PRA_EMAIL, 1, true, 0};
	const char *r[] = {"press@example.gov.uk", NULL};
	struct em_verdict *v = scan_with(&t, TB_REPLY, at("2020-11-11 20:35"), r);
	bool noted = false;

	assert_int_equal(v->action, EM_ACCEPT);
	assert_int_equal(v->nincomplete, 0);
	for (size_t i = 0; i < v->nnotes; i++)
		noted |= strstr(v->notes[i], "database is locked") != NULL;
	assert_true(noted);
	em_verdict_free(v);
}

static void test_an_origin_of_an_unknown_release_is_ignored(void **state)
{
	static const struct origin o[] = {
	    {"mid:pra-email-1@stats.example.gov.uk", "deleted-release", NULL, NULL},
	};
	struct table t = {o, 1, false, 0};
	const char *r[] = {"press@example.gov.uk", NULL};
	struct em_verdict *v = scan_with(&t, TB_REPLY, at("2020-11-11 20:35"), r);

	assert_int_equal(v->action, EM_ACCEPT);
	assert_int_equal(v->nreleases, 0);
	em_verdict_free(v);
}

/* ---- the SQLite store --------------------------------------------------- */

static struct em_lineage_store *store_open(const char *sub, bool ro)
{
	char path[128], err[256] = "";
	struct em_lineage_store *st;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	mkdir(path, 0700);
	st = em_lineage_store_open(path, ro, err, sizeof(err));
	if (st == NULL && !ro)
		fprintf(stderr, "%s\n", err);
	return st;
}

static void record(struct em_lineage_store *st, const char *release, const char *mid,
		   const char *via, time_t when, time_t expires, const char *const *keys, size_t nk)
{
	char err[256] = "";
	struct em_lineage_origin o = {
	    .release = release,
	    .expires = expires,
	    .at = when,
	    .message_id = mid,
	    .action = "accept",
	    .via = via,
	    .keys = keys,
	    .nkeys = nk,
	};
	assert_int_equal(em_lineage_store_record(st, &o, err, sizeof(err)), 0);
}

static void test_store_records_looks_up_and_shows_origins(void **state)
{
	struct em_lineage_store *st = store_open("s1", false);
	const char *k1[] = {"mid:a@x", "tix:" TI_GUID, "sub:briefing"};
	const char *k2[] = {"mid:b@x"};
	const char *ask[] = {"mid:zzz@x", "tix:" TI_GUID, "mid:b@x"};
	struct em_lineage_hit *h = NULL;
	struct em_lineage_row *rows = NULL;
	size_t nh = 0, nr = 0;
	char err[256];
	time_t t0 = at("2020-11-11 11:45"), pub = at("2020-11-12 09:30");

	assert_non_null(st);
	record(st, "fostering-2020", "mid:a@x", NULL, t0, pub, k1, 3);
	record(st, "fostering-2020", "mid:b@x", "mid:a@x", t0 + 60, pub, k2, 1);
	assert_int_equal(em_lineage_store_lookup(st, ask, 3, &h, &nh, err, sizeof(err)), 0);
	assert_int_equal(nh, 2);
	assert_int_equal(h[0].key, 1);
	assert_string_equal(h[0].message_id, "mid:a@x");
	assert_int_equal(h[1].key, 2);
	assert_int_equal(h[1].at, t0 + 60);
	assert_int_equal(h[1].expires, pub);
	em_lineage_hits_free(h, nh);

	assert_int_equal(
	    em_lineage_store_show(st, "fostering-2020", NULL, &rows, &nr, err, sizeof(err)), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(rows[0].nkeys, 3);
	assert_string_equal(rows[1].via, "mid:a@x");
	em_lineage_rows_free(rows, nr);
	/* by Message-ID: the origin and what was matched through it */
	assert_int_equal(em_lineage_store_show(st, NULL, "mid:a@x", &rows, &nr, err, sizeof(err)),
			 0);
	assert_int_equal(nr, 2);
	em_lineage_rows_free(rows, nr);
	em_lineage_store_close(st);
}

static void test_store_expires_at_publication_and_keeps_its_bound(void **state)
{
	struct em_lineage_store *st = store_open("s2", false);
	const char *ka[] = {"mid:a@x"}, *kb[] = {"mid:b@x"}, *kc[] = {"mid:c@x"};
	const char *ask[] = {"mid:a@x", "mid:b@x", "mid:c@x"};
	struct em_lineage_hit *h = NULL;
	size_t nh = 0, removed = 0;
	char err[256];
	time_t t0 = at("2020-11-11 11:45");

	assert_non_null(st);
	record(st, "r1", "mid:a@x", NULL, t0, t0 + 3600, ka, 1);
	record(st, "r2", "mid:b@x", NULL, t0 + 1, t0 + 7200, kb, 1);
	record(st, "r2", "mid:c@x", NULL, t0 + 2, t0 + 7200, kc, 1);
	assert_int_equal(em_lineage_store_expire(st, t0 + 3600, 1000, &removed, err, sizeof(err)),
			 0);
	assert_int_equal(removed, 1);
	assert_int_equal(em_lineage_store_lookup(st, ask, 3, &h, &nh, err, sizeof(err)), 0);
	assert_int_equal(nh, 2); /* a@x expired with its release's publication */
	em_lineage_hits_free(h, nh);
	assert_int_equal(em_lineage_store_expire(st, t0, 1, &removed, err, sizeof(err)), 0);
	assert_int_equal(removed, 1); /* the bound: the oldest goes */
	assert_int_equal(em_lineage_store_lookup(st, ask, 3, &h, &nh, err, sizeof(err)), 0);
	assert_int_equal(nh, 1);
	assert_string_equal(h[0].message_id, "mid:c@x");
	em_lineage_hits_free(h, nh);
	em_lineage_store_close(st);
}

static void test_store_read_only_refuses_a_missing_store_and_writes(void **state)
{
	char err[256] = "";
	struct em_lineage_store *st = store_open("s3", true);
	const char *k[] = {"mid:a@x"};
	struct em_lineage_origin o = {.release = "r", .keys = k, .nkeys = 1};

	assert_null(st);
	st = store_open("s3", false); /* creates it */
	assert_non_null(st);
	em_lineage_store_close(st);
	st = store_open("s3", true);
	assert_non_null(st);
	assert_int_equal(em_lineage_store_record(st, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "read-only"));
	em_lineage_store_close(st);
}

/* The store behind the scan, end to end in one process. */
static void test_scan_consults_the_real_store(void **state)
{
	struct em_lineage_store *st = store_open("s4", false);
	const char *k[] = {"mid:pra-email-1@stats.example.gov.uk"};
	struct em_lineage_lookup lk;
	struct em_scan *s;
	struct em_verdict *v = NULL;

	assert_non_null(st);
	record(st, "fostering-2020", k[0], NULL, at("2020-11-11 11:45"), at("2020-11-12 09:30"), k,
	       1);
	lk = em_lineage_store_lookup_ops(st);
	s = em_scan_new(rules, NULL);
	assert_int_equal(em_scan_add_rcpt(s, "press@example.gov.uk"), 0);
	em_scan_set_lineage(s, &lk);
	assert_int_equal(em_scan_push(s, TB_REPLY, strlen(TB_REPLY)), 0);
	assert_int_equal(em_scan_finish(s, at("2020-11-11 20:35"), &v), 0);
	assert_int_equal(v->action, EM_QUARANTINE);
	assert_int_equal(v->releases[0].evidence[0].kind, EM_EV_THREAD);
	assert_string_equal(em_scan_lineage_via(s, "fostering-2020"), k[0]);
	em_verdict_free(v);
	em_scan_free(s);
	em_lineage_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_thread_index_guid_is_bytes_6_to_21_of_the_header_block),
	    cmocka_unit_test(test_thread_index_of_replies_keeps_the_conversation_guid),
	    cmocka_unit_test(test_thread_index_that_is_too_short_or_not_base64_or_zero_is_refused),
	    cmocka_unit_test(test_references_yield_every_id_across_folds_and_comments),
	    cmocka_unit_test(test_message_id_keys_are_lower_cased_without_whitespace),
	    cmocka_unit_test(test_subject_prefixes_of_many_languages_and_list_tags_are_removed),
	    cmocka_unit_test(test_keys_come_from_threading_headers_and_attached_messages),
	    cmocka_unit_test(test_reply_to_a_recorded_origin_is_held_as_thread_naming_the_origin),
	    cmocka_unit_test(test_reply_among_allowed_recipients_stays_allowed),
	    cmocka_unit_test(test_after_publication_nothing_is_tainted),
	    cmocka_unit_test(test_forged_references_to_an_unknown_id_change_nothing),
	    cmocka_unit_test(test_outlook_thread_index_alone_links_the_conversation),
	    cmocka_unit_test(test_the_most_direct_link_names_the_origin),
	    cmocka_unit_test(test_forward_as_attachment_links_through_the_attached_message_id),
	    cmocka_unit_test(test_an_equal_subject_is_only_a_note),
	    cmocka_unit_test(test_a_store_that_cannot_answer_is_a_note_not_a_decision),
	    cmocka_unit_test(test_an_origin_of_an_unknown_release_is_ignored),
	    cmocka_unit_test(test_store_records_looks_up_and_shows_origins),
	    cmocka_unit_test(test_store_expires_at_publication_and_keeps_its_bound),
	    cmocka_unit_test(test_store_read_only_refuses_a_missing_store_and_writes),
	    cmocka_unit_test(test_scan_consults_the_real_store),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
