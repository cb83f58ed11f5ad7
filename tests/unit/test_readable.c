/* Unit tests of issue 10 part A: text in the forms a mail client shows it.
 * Pure functions first (em_embed, em_display, em_html_display, em_zip_find,
 * fillers in em_norm_append), then the config keys `labels` and `unreadable`
 * and the unreadable policy through em_scan, with rule sets loaded from
 * configs written to a temp dir and an injected clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "em_config.h"
#include "em_display.h"
#include "em_embed.h"
#include "em_html.h"
#include "em_office.h"
#include "em_rules.h"
#include "em_scan.h"
#include "em_text.h"
#include "em_time.h"

/* ---- helpers ------------------------------------------------------------- */

struct files {
	char name[4][64];
	char data[4][512];
	size_t len[4];
	int n;
};

static int collect(void *ctx, const char *name, const char *data, size_t len)
{
	struct files *f = ctx;

	if (f->n == 4)
		return 1;
	snprintf(f->name[f->n], sizeof(f->name[0]), "%s", name);
	memcpy(f->data[f->n], data, len < 511 ? len : 511);
	f->data[f->n][len < 511 ? len : 511] = '\0';
	f->len[f->n] = len;
	f->n++;
	return 0;
}

#define EXPECT_OUT(call, want)                                                                     \
	do {                                                                                       \
		struct em_buf o_ = EM_BUF_INIT;                                                    \
		assert_true((call(&o_)) >= 0);                                                     \
		assert_string_equal(o_.data ? o_.data : "", want);                                 \
		em_buf_free(&o_);                                                                  \
	} while (0)

/* ---- uuencode / yEnc ------------------------------------------------------ */

static void test_uuencoded_block_is_decoded_with_its_name(void **state)
{
	/* "Hello, World!\n" as uuencode(1) writes it */
	const char *t =
	    "Text before.\nbegin 644 hello.txt\n.2&5L;&\\L(%=O<FQD(0H`\n`\nend\nafter\n";
	struct files f = {0};
	unsigned flags = 0;

	assert_int_equal(em_embed_scan(t, strlen(t), 0, collect, &f, &flags), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.name[0], "hello.txt");
	assert_int_equal(f.len[0], 14);
	assert_string_equal(f.data[0], "Hello, World!\n");
	assert_int_equal(flags, 0);
}

static void test_uuencode_crlf_lines_and_begin_base64_are_read(void **state)
{
	const char *t = "begin-base64 600 a.txt\r\nT0ZGSUNJQUw=\r\n====\r\n";
	struct files f = {0};

	assert_int_equal(em_embed_scan(t, strlen(t), 0, collect, &f, NULL), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.name[0], "a.txt");
	assert_string_equal(f.data[0], "OFFICIAL");
}

static void test_yenc_block_with_escapes_is_decoded(void **state)
{
	/* bytes 'A' (0x41+42=0x6B 'k'), 0xD6 (+42 = 0x00: escaped "=@"), 'B' */
	const char t[] = "=ybegin line=128 size=3 name=x y.bin\n"
			 "k=@l\n"
			 "=yend size=3\n";
	struct files f = {0};

	assert_int_equal(em_embed_scan(t, strlen(t), 0, collect, &f, NULL), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.name[0], "x y.bin");
	assert_int_equal(f.len[0], 3);
	assert_int_equal((unsigned char)f.data[0][0], 'A');
	assert_int_equal((unsigned char)f.data[0][1], 0xD6);
	assert_int_equal((unsigned char)f.data[0][2], 'B');
}

static void test_begin_in_prose_is_not_a_block(void **state)
{
	const char *t = "We begin 644 days from now.\nLet us begin the meeting\nsee begin 644 x\n";
	struct files f = {0};

	/* the first line is "begin 644 days..." only after "We " (not at a line
	 * start); the second has no mode; the third is not at a line start */
	assert_int_equal(em_embed_scan(t, strlen(t), 0, collect, &f, NULL), 0);
	assert_int_equal(f.n, 0);
	assert_false(em_embed_maybe("no blocks here\n", 15));
}

/* the quick test before the walk: each of the three line starts, at the text
 * start and after a newline, and the near misses */
static void test_embed_maybe_finds_each_line_start(void **state)
{
	static const char *const yes[] = {
	    "begin 644 a.txt\n",	  "x\nbegin 644 a.txt\n",	 "begin-base64 644 a\n",
	    "x\nbegin-base64 644 a\n", "=ybegin line=128 name=a\n", "x\n=ybegin line=128\n",
	    "We begin.\nbegin 600 b\n",
	};
	static const char *const no[] = {
	    "We begin 644 a.txt\n", "xbegin 644\n",	 "begin-base64\n", "begin-base6 644\n",
	    "x =ybegin line=1\n",	"=ybeginline\n",	 "=ybegin",	     "begin",
	    "y=ybegin 1\n",		"\nxy=ybegin 1\n", "",
	};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(em_embed_maybe(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(em_embed_maybe(no[i], strlen(no[i])));
}

static void test_block_without_end_is_handed_on_damaged(void **state)
{
	const char *t = "begin 644 cut.txt\n.2&5L;&\\L(%=O<FQD(0H`\n";
	struct files f = {0};
	unsigned flags = 0;

	assert_int_equal(em_embed_scan(t, strlen(t), 0, collect, &f, &flags), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.data[0], "Hello, World!\n");
	assert_true(flags & EM_EMBED_DAMAGED);
}

static void test_embedded_bytes_beyond_the_cap_are_dropped_and_flagged(void **state)
{
	const char *t = "begin 644 hello.txt\n.2&5L;&\\L(%=O<FQD(0H`\n`\nend\n";
	struct files f = {0};
	unsigned flags = 0;

	assert_int_equal(em_embed_scan(t, strlen(t), 5, collect, &f, &flags), 0);
	assert_int_equal(f.len[0], 5);
	assert_true(flags & EM_EMBED_TOO_BIG);
}

/* ---- format=flowed -------------------------------------------------------- */

static int flowed_yes(struct em_buf *o)
{
	const char *t =
	    "OFFICIAL-SENSI \r\nTIVE\r\n\r\nFoster \r\ning in Eng \r\nland\r\n-- \r\nSig\r\n";
	return em_flowed_display(t, strlen(t), true, o);
}

static int flowed_no(struct em_buf *o)
{
	const char *t = "Foster \ning\n";
	return em_flowed_display(t, strlen(t), false, o);
}

static int flowed_quoted(struct em_buf *o)
{
	const char *t = "> Fos \n> tering\n>> deep \n> shallow\n";
	return em_flowed_display(t, strlen(t), true, o);
}

static int flowed_stuffed(struct em_buf *o)
{
	const char *t = " From here \nand there\n";
	return em_flowed_display(t, strlen(t), false, o);
}

static void test_flowed_delsp_yes_joins_inside_words(void **state)
{
	EXPECT_OUT(flowed_yes, "OFFICIAL-SENSITIVE\n\nFostering in England\n-- \nSig");
}

static void test_flowed_delsp_no_keeps_the_space(void **state)
{
	EXPECT_OUT(flowed_no, "Foster ing");
}

static void test_flowed_joins_only_lines_of_the_same_quote_depth(void **state)
{
	EXPECT_OUT(flowed_quoted, "Fostering\ndeep\nshallow");
}

static void test_flowed_space_stuffing_is_removed(void **state)
{
	EXPECT_OUT(flowed_stuffed, "From here and there");
}

/* ---- bidi ----------------------------------------------------------------- */

static int bidi_rlo(struct em_buf *o)
{
	const char *t = "x \xe2\x80\xae"
			"EVITISNES\xe2\x80\xac y\nline2";
	return em_bidi_display(t, strlen(t), o);
}

static int bidi_nested(struct em_buf *o)
{
	/* RLO "ab" LRO "cd" PDF "ef" PDF: levels 1 1 2 2 1 1 -> "fe" "cd" "ba" */
	const char *t = "\xe2\x80\xae"
			"ab\xe2\x80\xad"
			"cd\xe2\x80\xac"
			"ef\xe2\x80\xac";
	return em_bidi_display(t, strlen(t), o);
}

static int bidi_unclosed(struct em_buf *o)
{
	const char *t = "\xe2\x80\xae"
			"cba\nabc";
	return em_bidi_display(t, strlen(t), o);
}

static void test_rlo_text_is_shown_forwards(void **state)
{
	EXPECT_OUT(bidi_rlo, "x SENSITIVE y\nline2");
	assert_true(em_bidi_present("\xe2\x80\xae", 3));
	assert_true(em_bidi_present("a\xe2\x81\xa7", 4));
	assert_false(em_bidi_present("plain \xe2\x80\x94 dash", 13));
}

static void test_nested_override_keeps_its_own_direction(void **state)
{
	EXPECT_OUT(bidi_nested, "fecdba");
}

static void test_a_line_end_closes_every_override(void **state)
{
	EXPECT_OUT(bidi_unclosed, "abc\nabc");
}

/* ---- iCalendar ------------------------------------------------------------ */

static int ical_basic(struct em_buf *o)
{
	const char *t =
	    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20201112T080000Z\r\n"
	    "SUMMARY:Fos\r\n tering\\, in\\; Eng\\nland\\\\\r\n"
	    "ATTENDEE;CN=\"Press, Duty\":mailto:d@example.org\r\n"
	    "ATTACH;ENCODING=BASE64;VALUE=BINARY:T0ZGSUNJQUw=\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	return em_ical_to_text(t, strlen(t), o, NULL);
}

static void test_calendar_is_unfolded_and_unescaped(void **state)
{
	EXPECT_OUT(ical_basic, "Fostering, in; Eng\nland\\\nPress, Duty\nmailto:d@example.org\n");
}

static void test_calendar_html_description_goes_apart(void **state)
{
	const char *t = "BEGIN:VCALENDAR\nX-ALT-DESC;FMTTYPE=text/html:<b>A</"
			"b>\nDESCRIPTION:B\nEND:VCALENDAR\n";
	struct em_buf o = EM_BUF_INIT, h = EM_BUF_INIT;

	assert_int_equal(em_ical_to_text(t, strlen(t), &o, &h), 0);
	assert_string_equal(o.data, "B\n");
	assert_string_equal(h.data, "<b>A</b>\n");
	assert_true(em_ical_sniff("\xef\xbb\xbf\r\nbegin:vcalendar\r\n", 20));
	assert_false(em_ical_sniff("BEGIN:VCARD\r\n", 13));
	em_buf_free(&o);
	em_buf_free(&h);
}

/* A file inline in the calendar (ATTACH;ENCODING=BASE64, as Apple Calendar
 * and Lightning send it) goes to the callback decoded, with its file name
 * (red team round 3: the .docx in an invite was dropped). */
struct ical_got {
	char name[32], data[32];
	int n;
};

static int ical_file(void *ctx, const char *name, const char *data, size_t len)
{
	struct ical_got *g = ctx;

	snprintf(g->name, sizeof(g->name), "%s", name);
	snprintf(g->data, sizeof(g->data), "%.*s", (int)len, data);
	g->n++;
	return 0;
}

static void test_calendar_inline_attachment_goes_to_the_file_callback(void **state)
{
	const char *t = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Lines\r\n"
			"ATTACH;FMTTYPE=application/octet-stream;ENCODING=BASE64;VALUE=BINARY;\r\n"
			" X-APPLE-FILENAME=\"Lines v2.txt\":T0ZGSUNJQUwt\r\n U0VOU0lUSVZF\r\n"
			"ATTACH:https://example.org/agenda\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	struct em_buf o = EM_BUF_INIT;
	struct ical_got g = {0};

	(void)state;
	assert_int_equal(em_ical_to_text_files(t, strlen(t), &o, NULL, ical_file, &g), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.name, "Lines v2.txt");
	assert_string_equal(g.data, "OFFICIAL-SENSITIVE");
	assert_string_equal(o.data, "Lines\nhttps://example.org/agenda\n");
	em_buf_free(&o);
}

/* ---- HTML as displayed ---------------------------------------------------- */

static void html_shown(const char *in, const char *want, int want_rc, const char *want_attrs)
{
	struct em_buf o = EM_BUF_INIT, a = EM_BUF_INIT;

	assert_int_equal(em_html_display(in, strlen(in), &o, &a), want_rc);
	assert_string_equal(o.data ? o.data : "", want);
	if (want_attrs)
		assert_string_equal(a.data ? a.data : "", want_attrs);
	em_buf_free(&o);
	em_buf_free(&a);
}

/* issue 11: a link only in an href (the anchor text says "the draft") */
static void test_href_targets_are_attribute_text(void **state)
{
	html_shown(
	    "See <a href=\"https://dfe.sharepoint.example/sites/cla-2026/d.docx?a=1&amp;b=2\" "
	    "title=\"Draft\">the draft</a>.",
	    "See the draft.", 0,
	    "Draft\nhttps://dfe.sharepoint.example/sites/cla-2026/d.docx?a=1&b=2\n");
	html_shown("<area href=x.html alt=Map>", "", 0, "Map\nx.html\n");
}

static void test_zero_font_junk_inside_words_is_not_displayed(void **state)
{
	html_shown("OFF<span style=\"font-size:0px\">zq</span>ICIAL", "OFFICIAL", 1, NULL);
	html_shown("A<span style=\"FONT-SIZE: 0.5PX\">zq</span>B", "AB", 1, NULL);
	html_shown("A<font style=\"font-size:0pt\">zq</font>B", "AB", 1, NULL);
}

static void test_zero_font_wrapper_with_readable_children_is_displayed(void **state)
{
	html_shown(
	    "<div style=\"font-size:0px\"><div style=\"font-size:14px\">Team lunch</div></div>",
	    "\n\nTeam lunch\n\n", 0, NULL);
}

static void test_display_none_and_visibility_hidden_are_not_displayed(void **state)
{
	html_shown("a<span style=\"display:none\">x<b>y</b></span>b", "ab", 1, NULL);
	html_shown(
	    "a<span style=\"visibility:hidden\">x<i style=\"visibility:visible\">V</i></span>b",
	    "aVb", 1, NULL);
	html_shown("a<span hidden>x</span>b<span style=\"mso-hide:all\">y</span>c", "abc", 1, NULL);
	html_shown("a<span style=\"width:0;height:0;overflow:hidden\">x</span>b", "ab", 1, NULL);
}

static void test_img_alt_is_shown_in_place_and_title_listed(void **state)
{
	html_shown(
	    "<p>See <img src=x alt=\"the chart\"> and <a title=\"tip &amp; more\">this</a></p>",
	    "\nSee the chart and this\n", 1, "the chart\ntip & more\n");
}

static void test_dir_rtl_is_wrapped_in_an_override(void **state)
{
	html_shown("<bdo dir=\"rtl\">cba</bdo>",
		   "\xe2\x80\xae"
		   "cba\xe2\x80\xac",
		   1, NULL);
}

static void test_plain_html_displays_as_stored(void **state)
{
	html_shown("<p>Fos<b>ter</b>ing</p>", "\nFostering\n", 0, "");
}

/* ---- zip archives inside other bytes -------------------------------------- */

/* An empty zip: only its end-of-central-directory record. */
static const char EOCD[22] = "PK\x05\x06";

static void test_zip_behind_a_stub_and_two_back_to_back_are_found(void **state)
{
	char d[200];
	size_t from = 0, a, b;

	memset(d, 'M', sizeof(d));
	memcpy(d + 50, EOCD, 22); /* archive 1: [50, 72) */
	memcpy(d + 72, EOCD, 22); /* archive 2: [72, 94) */
	assert_true(em_zip_find(d, sizeof(d), &from, &a, &b));
	assert_int_equal(a, 50);
	assert_int_equal(b, 72);
	assert_true(em_zip_find(d, sizeof(d), &from, &a, &b));
	assert_int_equal(a, 72);
	assert_int_equal(b, 94);
	assert_false(em_zip_find(d, sizeof(d), &from, &a, &b));
}

static void test_end_record_whose_directory_is_missing_is_not_a_zip(void **state)
{
	char d[100];
	size_t from = 0, a, b;

	memset(d, 'x', sizeof(d));
	memcpy(d + 60, EOCD, 22);
	d[60 + 12] = 10; /* says a 10-byte central directory precedes it: none does */
	assert_false(em_zip_find(d, sizeof(d), &from, &a, &b));
}

/* ---- fillers --------------------------------------------------------------- */

static void test_blank_looking_letters_normalize_to_spaces(void **state)
{
	const char *t = "OFFICIAL\xe3\x85\xa4SENSITIVE a\xe2\xa0\x80"
			"b c\xef\xbe\xa0\xe1\x85\x9f"
			"d";
	struct em_buf o = EM_BUF_INIT;

	assert_int_equal(em_norm_append(t, strlen(t), &o), 0);
	assert_string_equal(o.data, "official sensitive a b c d");
	em_buf_free(&o);
}

/* ---- config: labels, unreadable -------------------------------------------- */

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char RELEASE[] =
    "release = {\n  id = \"fostering-2020\";\n  title = \"Fostering in England 2019-20\";\n"
    "  publish_at = \"2020-11-12T09:30:00Z\";\n  identifiers = ( \"Fostering in England\" );\n"
    "  action = \"quarantine\";\n};\n";

/* Loads main.conf = head + the fixed keys; returns rules or NULL with errs. */
static struct em_rules *load(const char *head, struct em_errors *errs)
{
	char path[256], text[2048];
	struct em_config *cfg;

	snprintf(dir, sizeof(dir), "/tmp/em-readable-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/releases.d", dir);
	mkdir(path, 0700);
	/* identifier + marker is weak evidence (issue 11): these tests hold it */
	snprintf(text, sizeof(text),
		 "%sreleases_dir = \"releases.d\";\nquarantine_dir = \"/tmp\";\n"
		 "weak_action = \"quarantine\";\n",
		 head);
	write_file("main.conf", text);
	write_file("releases.d/f.conf", RELEASE);
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	cfg = em_config_load(path, errs);
	return cfg ? em_rules_build(cfg, errs) : NULL;
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static bool has_error(const struct em_errors *e, const char *needle)
{
	for (size_t i = 0; i < e->n; i++)
		if (strstr(e->v[i], needle))
			return true;
	return false;
}

static void test_label_errors_name_file_and_line(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r =
	    load("labels = (\n"
		 "  { id = \"not-a-guid\"; name = \"X\"; },\n"
		 "  { id = \"d9a1b3c4-5e6f-4a7b-8c9d-0e1f2a3b4c5d\"; },\n"
		 "  { id = \"{D9A1B3C4-5E6F-4A7B-8C9D-0E1F2A3B4C5D}\"; name = \"A\"; },\n"
		 "  { id = \"d9a1b3c4-5e6f-4a7b-8c9d-0e1f2a3b4c5d\"; name = \"B\"; colour = 1; },\n"
		 "  { id = \"d9a1b3c4-5e6f-4a7b-8c9d-0e1f2a3b4c5d\"; name = \"C\"; }\n"
		 ");\nunreadable = \"sometimes\";\n",
		 &errs);

	assert_null(r);
	assert_true(has_error(&errs, "main.conf:2: labels: id \"not-a-guid\" is not a GUID"));
	assert_true(has_error(&errs, "main.conf:3: labels: a label needs both id and name"));
	assert_true(has_error(&errs, "main.conf:5: labels: unknown key \"colour\""));
	assert_true(has_error(&errs, "main.conf:6: labels: label "
				     "d9a1b3c4-5e6f-4a7b-8c9d-0e1f2a3b4c5d is already defined at"));
	assert_true(has_error(&errs, "main.conf:8:"));
	assert_true(has_error(&errs, "sometimes"));
	em_errors_free(&errs);
	cleanup();
}

static struct em_verdict *scan_at(struct em_rules *r, const char *msg, const char *when, size_t max)
{
	struct em_limits lim = em_rules_config(r)->limits;
	struct em_scan *s;
	struct em_verdict *v = NULL;
	time_t at;
	char why[128];

	assert_int_equal(em_time_parse(when, "UTC", &at, why, sizeof(why)), 0);
	if (max)
		lim.max_decoded = max;
	s = em_scan_new(r, &lim);
	assert_non_null(s);
	em_scan_add_rcpt(s, "outsider@example.org");
	em_scan_push(s, msg, strlen(msg));
	assert_int_equal(em_scan_finish(s, at, &v), 0);
	em_scan_free(s);
	return v;
}

static void test_label_guid_in_msip_labels_counts_as_a_marker(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r = load("markers = ( \"OFFICIAL ?-? ?SENSITIVE\" );\n"
				  "labels = ( { id = \"D9A1B3C4-5E6F-4A7B-8C9D-0E1F2A3B4C5D\"; "
				  "name = \"Official Sensitive\"; } );\n",
				  &errs);
	struct em_verdict *v;

	assert_non_null(r);
	v = scan_at(r,
		    "msip_labels: MSIP_Label_d9a1b3c4-5e6f-4a7b-8c9d-0e1f2a3b4c5d_Enabled=true\r\n"
		    "\r\nFostering in England\r\n",
		    "2020-11-11 12:00", 0);
	assert_int_equal(v->action, EM_QUARANTINE);
	em_verdict_free(v);
	v = scan_at(r,
		    "msip_labels: MSIP_Label_00000000-5e6f-4a7b-8c9d-0e1f2a3b4c5d_Enabled=true\r\n"
		    "\r\nFostering in England\r\n",
		    "2020-11-11 12:00", 0);
	assert_int_equal(v->action, EM_ACCEPT);
	em_verdict_free(v);
	em_rules_free(r);
	em_errors_free(&errs);
	cleanup();
}

static const char BIG_ROUTINE[] =
    "Subject: scans\r\n\r\n"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";

static void test_unreadable_always_keeps_on_error_without_a_signal(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r = load("unreadable = \"always\";\non_error = \"reject\";\n", &errs);
	struct em_verdict *v;

	assert_non_null(r);
	v = scan_at(r, BIG_ROUTINE, "2020-11-11 12:00", 64);
	assert_int_equal(v->action, EM_REJECT);
	assert_int_equal(v->nunreadable, 1);
	em_verdict_free(v);
	em_rules_free(r);
	em_errors_free(&errs);
	cleanup();
}

static void test_unreadable_signalled_accepts_routine_mail_and_says_why(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r = load("unreadable = \"signalled\";\n", &errs);
	struct em_verdict *v;

	assert_non_null(r);
	v = scan_at(r, BIG_ROUTINE, "2020-11-11 12:00", 64);
	assert_int_equal(v->action, EM_ACCEPT);
	assert_int_equal(v->nincomplete, 0);
	assert_int_equal(v->nunreadable, 1);
	em_verdict_free(v);
	/* an identifier is a signal while the release is embargoed */
	v = scan_at(r,
		    "Subject: Fostering in "
		    "England\r\n\r\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaa\r\n",
		    "2020-11-11 12:00", 16);
	assert_int_equal(v->action, EM_TEMPFAIL);
	em_verdict_free(v);
	em_rules_free(r);
	em_errors_free(&errs);
	cleanup();
}

static void test_pgp_mention_is_readable_and_real_armour_is_not(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_rules *r = load("", &errs);
	struct em_verdict *v;

	assert_non_null(r);
	v = scan_at(
	    r,
	    "Subject: x\r\n\r\nA block starting -----BEGIN PGP MESSAGE----- is encrypted.\r\n"
	    "-----BEGIN PGP MESSAGE-----\r\nask IT\r\n",
	    "2020-11-11 12:00", 0);
	assert_int_equal(v->nunreadable, 0);
	em_verdict_free(v);
	v = scan_at(
	    r,
	    "Subject: x\r\n\r\n-----BEGIN PGP MESSAGE-----\r\nVersion: GnuPG\r\n\r\n"
	    "hQEMA6M2vXUhvP7sAQgAmtG0wHrC7c3bwp2Xm1Yq\r\n=Kx1P\r\n-----END PGP MESSAGE-----\r\n",
	    "2020-11-11 12:00", 0);
	assert_int_equal(v->nunreadable, 1);
	assert_int_equal(v->action, EM_ACCEPT);
	em_verdict_free(v);
	em_rules_free(r);
	em_errors_free(&errs);
	cleanup();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uuencoded_block_is_decoded_with_its_name),
	    cmocka_unit_test(test_uuencode_crlf_lines_and_begin_base64_are_read),
	    cmocka_unit_test(test_yenc_block_with_escapes_is_decoded),
	    cmocka_unit_test(test_begin_in_prose_is_not_a_block),
	    cmocka_unit_test(test_embed_maybe_finds_each_line_start),
	    cmocka_unit_test(test_block_without_end_is_handed_on_damaged),
	    cmocka_unit_test(test_embedded_bytes_beyond_the_cap_are_dropped_and_flagged),
	    cmocka_unit_test(test_flowed_delsp_yes_joins_inside_words),
	    cmocka_unit_test(test_flowed_delsp_no_keeps_the_space),
	    cmocka_unit_test(test_flowed_joins_only_lines_of_the_same_quote_depth),
	    cmocka_unit_test(test_flowed_space_stuffing_is_removed),
	    cmocka_unit_test(test_rlo_text_is_shown_forwards),
	    cmocka_unit_test(test_nested_override_keeps_its_own_direction),
	    cmocka_unit_test(test_a_line_end_closes_every_override),
	    cmocka_unit_test(test_calendar_is_unfolded_and_unescaped),
	    cmocka_unit_test(test_calendar_html_description_goes_apart),
	    cmocka_unit_test(test_calendar_inline_attachment_goes_to_the_file_callback),
	    cmocka_unit_test(test_href_targets_are_attribute_text),
	    cmocka_unit_test(test_zero_font_junk_inside_words_is_not_displayed),
	    cmocka_unit_test(test_zero_font_wrapper_with_readable_children_is_displayed),
	    cmocka_unit_test(test_display_none_and_visibility_hidden_are_not_displayed),
	    cmocka_unit_test(test_img_alt_is_shown_in_place_and_title_listed),
	    cmocka_unit_test(test_dir_rtl_is_wrapped_in_an_override),
	    cmocka_unit_test(test_plain_html_displays_as_stored),
	    cmocka_unit_test(test_zip_behind_a_stub_and_two_back_to_back_are_found),
	    cmocka_unit_test(test_end_record_whose_directory_is_missing_is_not_a_zip),
	    cmocka_unit_test(test_blank_looking_letters_normalize_to_spaces),
	    cmocka_unit_test(test_label_errors_name_file_and_line),
	    cmocka_unit_test(test_label_guid_in_msip_labels_counts_as_a_marker),
	    cmocka_unit_test(test_unreadable_always_keeps_on_error_without_a_signal),
	    cmocka_unit_test(test_unreadable_signalled_accepts_routine_mail_and_says_why),
	    cmocka_unit_test(test_pgp_mention_is_readable_and_real_armour_is_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
