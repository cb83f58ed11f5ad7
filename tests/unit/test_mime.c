/* Unit tests of the MIME walk: what leaves and headers come out, and which
 * findings are flagged, for well-formed and damaged structure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "em_buf.h"
#include "em_mime.h"

struct seen {
	char leaves[64][256];	/* "type|where|data" */
	int nleaves;
	char headers[64][128];	/* "name=value" */
	int nheaders;
};

static int on_header(void *ctx, const struct em_mime_part *p, bool msg, const char *name,
		     const char *value, size_t len)
{
	struct seen *s = ctx;
	if (s->nheaders < 64)
		snprintf(s->headers[s->nheaders++], 128, "%s%s=%.*s", msg ? "" : "part:", name,
			 (int)len, value);
	return 0;
}

static int on_leaf(void *ctx, const struct em_mime_part *p, const char *d, size_t n)
{
	struct seen *s = ctx;
	if (s->nleaves < 64)
		snprintf(s->leaves[s->nleaves++], 256, "%s|%s|%.*s", p->type, p->where,
			 (int)(n > 150 ? 150 : n), d);
	return 0;
}

/* Refuses leaves starting with "\x89PNG", like the scanner does for images. */
static bool on_wants(void *ctx, const struct em_mime_part *p, const char *head, size_t n)
{
	return !(n >= 4 && memcmp(head, "\x89PNG", 4) == 0);
}

static unsigned walk(const char *msg, size_t chunk, struct seen *s, const struct em_limits *lim)
{
	static const struct em_limits def = EM_LIMITS_DEFAULT;
	struct em_mime_cb cb = {.ctx = s, .header = on_header, .leaf = on_leaf, .wants = on_wants};
	struct em_mime *m;
	size_t len = strlen(msg);
	unsigned flags;

	memset(s, 0, sizeof(*s));
	m = em_mime_new(lim ? lim : &def, &cb);
	assert_non_null(m);
	for (size_t off = 0; off < len; off += chunk)
		assert_int_equal(em_mime_push(m, msg + off, len - off < chunk ? len - off : chunk), 0);
	assert_int_equal(em_mime_finish(m), 0);
	flags = em_mime_flags(m);
	em_mime_free(m);
	return flags;
}

static bool has_leaf(const struct seen *s, const char *want)
{
	for (int i = 0; i < s->nleaves; i++)
		if (strstr(s->leaves[i], want))
			return true;
	return false;
}

static void test_simple_message_gives_one_body_leaf_and_its_headers(void **state)
{
	struct seen s;
	unsigned f = walk("Subject: hi\r\nFrom: a@b\r\n\r\nhello world\r\n", 4096, &s, NULL);

	assert_int_equal(f, 0);
	assert_int_equal(s.nleaves, 1);
	assert_string_equal(s.leaves[0], "text/plain|body|hello world\n");
	assert_string_equal(s.headers[0], "Subject=hi");
}

static void test_folded_header_is_unfolded(void **state)
{
	struct seen s;

	walk("Subject: one\r\n two\r\n\tthree\r\n\r\nx\r\n", 4096, &s, NULL);
	assert_string_equal(s.headers[0], "Subject=one two\tthree");
}

static const char MULTI[] =
	"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n"
	"preamble\r\n"
	"--XX\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
	"Fos=\r\ntering caf=C3=A9\r\n"
	"--XX\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\nContent-Transfer-Encoding: base64\r\n"
	"Content-Disposition: attachment; filename=\"report.txt\"\r\n\r\n"
	"T0ZGSUNJQUwt\r\nU0VOU0lUSVZF\r\n"
	"--XX--\r\nepilogue text\r\n";

static void test_multipart_parts_are_decoded_and_named(void **state)
{
	struct seen s;
	unsigned f = walk(MULTI, 4096, &s, NULL);

	assert_int_equal(f & ~0u, 0);
	assert_true(has_leaf(&s, "text/plain|body|preamble"));
	assert_true(has_leaf(&s, "text/plain|body|Fostering caf\xc3\xa9"));
	assert_true(has_leaf(&s, "application/octet-stream|attachment:report.txt|OFFICIAL-SENSITIVE"));
	assert_true(has_leaf(&s, "text/plain|body|epilogue text"));
}

static void test_any_chunking_gives_the_same_leaves(void **state)
{
	struct seen a, b;

	walk(MULTI, 4096, &a, NULL);
	for (size_t chunk = 1; chunk < 40; chunk += 3) {
		walk(MULTI, chunk, &b, NULL);
		assert_int_equal(a.nleaves, b.nleaves);
		for (int i = 0; i < a.nleaves; i++)
			assert_string_equal(a.leaves[i], b.leaves[i]);
	}
}

static void test_missing_closing_boundary_is_flagged_and_still_read(void **state)
{
	struct seen s;
	unsigned f = walk("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsecret text\r\n",
			  4096, &s, NULL);

	assert_true(f & EM_MIME_MALFORMED);
	assert_true(has_leaf(&s, "secret text"));
}

static void test_nested_message_is_walked_with_its_headers(void **state)
{
	struct seen s;
	const char *m = "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\n"
			"Content-Type: message/rfc822\r\n\r\n"
			"Subject: inner subject\r\nContent-Type: text/plain\r\n"
			"Content-Transfer-Encoding: base64\r\n\r\naW5uZXIgYm9keQ==\r\n--o--\r\n";
	bool found = false;

	walk(m, 7, &s, NULL);
	assert_true(has_leaf(&s, "inner body"));
	for (int i = 0; i < s.nheaders; i++)
		found |= strcmp(s.headers[i], "Subject=inner subject") == 0;
	assert_true(found);
}

static void test_inner_boundary_that_is_never_closed_is_closed_by_the_outer(void **state)
{
	struct seen s;
	const char *m = "Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n"
			"Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\n\r\none\r\n"
			"--outer\r\n\r\ntwo\r\n--outer--\r\n";
	unsigned f = walk(m, 4096, &s, NULL);

	assert_true(f & EM_MIME_MALFORMED);
	assert_true(has_leaf(&s, "one"));
	assert_true(has_leaf(&s, "|two"));
}

static void test_two_boundary_parameters_are_both_honoured(void **state)
{
	struct seen s;
	const char *m = "Content-Type: multipart/mixed; boundary=aaa; boundary=bbb\r\n\r\n"
			"--aaa\r\n\r\nfirst\r\n--bbb\r\nContent-Type: text/html\r\n\r\n<p>second</p>\r\n--bbb--\r\n";

	walk(m, 4096, &s, NULL);
	assert_true(has_leaf(&s, "text/plain|body|first"));
	assert_true(has_leaf(&s, "text/html|body|<p>second</p>"));
}

static void test_nesting_beyond_the_limit_is_flagged_and_read_as_text(void **state)
{
	struct em_limits lim = EM_LIMITS_DEFAULT;
	struct em_buf b = EM_BUF_INIT;
	struct seen s;
	unsigned f;

	lim.max_depth = 3;
	for (int i = 0; i < 6; i++) {
		char line[128];
		snprintf(line, sizeof(line), "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i);
		em_buf_puts(&b, line);
	}
	em_buf_puts(&b, "\r\ndeep secret\r\n");
	f = walk(b.data, 4096, &s, &lim);
	assert_true(f & EM_MIME_TOO_DEEP);
	assert_true(has_leaf(&s, "deep secret"));
	em_buf_free(&b);
}

static void test_decoded_budget_is_enforced(void **state)
{
	struct em_limits lim = EM_LIMITS_DEFAULT;
	struct em_buf b = EM_BUF_INIT;
	struct seen s;

	lim.max_decoded = 1000;
	em_buf_puts(&b, "Subject: x\r\n\r\n");
	for (int i = 0; i < 100; i++)
		em_buf_puts(&b, "0123456789012345678901234567890123456789\r\n");
	assert_true(walk(b.data, 4096, &s, &lim) & EM_MIME_TOO_BIG);
	em_buf_free(&b);
}

static void test_line_without_breaks_is_read_in_pieces(void **state)
{
	struct em_buf b = EM_BUF_INIT;
	struct seen s;

	em_buf_puts(&b, "Content-Transfer-Encoding: base64\r\n\r\n");
	for (int i = 0; i < 50000; i++)
		em_buf_puts(&b, "QUJD");	/* "ABC", 200 KB on one line */
	walk(b.data, 65536, &s, NULL);
	assert_int_equal(s.nleaves, 1);
	assert_true(has_leaf(&s, "ABCABCABC"));
	em_buf_free(&b);
}

static void test_header_block_without_empty_line_ends_at_body_text(void **state)
{
	struct seen s;
	unsigned f = walk("Subject: x\r\nthis is body text without a blank line\r\n", 4096, &s, NULL);

	assert_true(f & EM_MIME_MALFORMED);
	assert_true(has_leaf(&s, "this is body text"));
}

static void test_disagreeing_transfer_encodings_are_read_both_ways(void **state)
{
	struct seen s;

	walk("Content-Transfer-Encoding: base64\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
	     "T0ZGSUNJQUw=\r\n", 4096, &s, NULL);
	assert_true(has_leaf(&s, "|OFFICIAL"));
	assert_true(has_leaf(&s, "|T0ZGSUNJQUw="));
}

static void test_refused_binary_leaf_does_not_use_the_budget(void **state)
{
	struct em_limits lim = EM_LIMITS_DEFAULT;
	struct em_buf b = EM_BUF_INIT;
	struct seen s;

	lim.max_decoded = 10000;
	em_buf_puts(&b, "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
			"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	for (int i = 0; i < 2000; i++)
		em_buf_puts(&b, "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA\r\n");
	em_buf_puts(&b, "--b\r\nContent-Type: application/octet-stream\r\n\r\nplain words here\r\n--b--\r\n");
	assert_int_equal(walk(b.data, 65536, &s, &lim) & EM_MIME_TOO_BIG, 0);
	assert_false(has_leaf(&s, "image/png"));
	assert_true(has_leaf(&s, "application/octet-stream|body|plain words here"));
	em_buf_free(&b);
}

static void test_second_transfer_encoding_base64_is_also_decoded(void **state)
{
	struct seen s;

	walk("Content-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64\r\n\r\n"
	     "T0ZGSUNJQUw=\r\n", 4096, &s, NULL);
	assert_true(has_leaf(&s, "|T0ZGSUNJQUw="));
	assert_true(has_leaf(&s, "text/plain|body|OFFICIAL"));
}

static void test_second_transfer_encoding_qp_joins_soft_breaks(void **state)
{
	struct seen s;

	walk("Content-Transfer-Encoding: base64\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
	     "OFFI=\r\nCIAL=2DSENSITIVE\r\n", 3, &s, NULL);
	assert_true(has_leaf(&s, "|OFFICIAL-SENSITIVE"));
}

static void test_second_content_type_is_read_too(void **state)
{
	struct seen s;
	unsigned f = walk("Content-Type: application/octet-stream\r\nContent-Type: text/html\r\n\r\n"
			  "<p>OFFI<b>CIAL</b></p>\r\n", 4096, &s, NULL);

	assert_true(f & EM_MIME_MALFORMED);
	assert_true(has_leaf(&s, "application/octet-stream|body|<p>OFFI"));
	assert_true(has_leaf(&s, "text/html|body|<p>OFFI"));
}

static void test_second_content_type_multipart_is_walked(void **state)
{
	struct seen s;

	walk("Content-Type: text/plain\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n"
	     "--in\r\nContent-Transfer-Encoding: base64\r\n\r\nT0ZGSUNJQUw=\r\n--in--\r\n", 4096, &s, NULL);
	assert_true(has_leaf(&s, "text/plain|body|OFFICIAL"));
}

static void test_same_content_type_twice_gives_one_reading(void **state)
{
	struct seen s;

	walk("Content-Type: text/plain\r\nContent-Type: TEXT/PLAIN; charset=utf-8\r\n\r\nhello\r\n", 4096, &s, NULL);
	assert_int_equal(s.nleaves, 1);
}

static void test_eml_attached_as_octet_stream_is_walked_as_a_message(void **state)
{
	struct seen s;

	walk("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
	     "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=d.eml\r\n"
	     "Content-Transfer-Encoding: base64\r\n\r\n"
	     /* "Subject: x\r\nContent-Transfer-Encoding: base64\r\n\r\nT0ZGSUNJQUw=\r\n" */
	     "U3ViamVjdDogeA0KQ29udGVudC1UcmFuc2Zlci1FbmNvZGluZzogYmFzZTY0DQoNClQwWkdTVU5KUVV3PQ0K\r\n"
	     "--b--\r\n", 4096, &s, NULL);
	assert_true(has_leaf(&s, "text/plain|attachment:d.eml|OFFICIAL"));
	assert_true(has_leaf(&s, "application/octet-stream|attachment:d.eml|Subject: x"));
}

static void test_binary_named_eml_is_not_walked_as_a_message(void **state)
{
	struct seen s;

	walk("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
	     "Content-Type: application/octet-stream; name=x.eml\r\n\r\nPK\x03\x04 not a header\r\n--b--\r\n",
	     4096, &s, NULL);
	assert_int_equal(s.nleaves, 1);	/* the part only: not walked as a message */
	assert_true(has_leaf(&s, "application/octet-stream|attachment:x.eml|PK"));
}

static void test_named_rfc822_part_hands_its_filename_on(void **state)
{
	struct seen s;

	walk("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
	     "Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"OFFICIAL.eml\"\r\n\r\n"
	     "Subject: x\r\n\r\nhello\r\n--b--\r\n", 4096, &s, NULL);
	assert_true(has_leaf(&s, "message/rfc822|attachment:OFFICIAL.eml|"));
	assert_true(has_leaf(&s, "text/plain|attachment:OFFICIAL.eml|hello"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_message_gives_one_body_leaf_and_its_headers),
		cmocka_unit_test(test_folded_header_is_unfolded),
		cmocka_unit_test(test_multipart_parts_are_decoded_and_named),
		cmocka_unit_test(test_any_chunking_gives_the_same_leaves),
		cmocka_unit_test(test_missing_closing_boundary_is_flagged_and_still_read),
		cmocka_unit_test(test_nested_message_is_walked_with_its_headers),
		cmocka_unit_test(test_inner_boundary_that_is_never_closed_is_closed_by_the_outer),
		cmocka_unit_test(test_two_boundary_parameters_are_both_honoured),
		cmocka_unit_test(test_nesting_beyond_the_limit_is_flagged_and_read_as_text),
		cmocka_unit_test(test_decoded_budget_is_enforced),
		cmocka_unit_test(test_line_without_breaks_is_read_in_pieces),
		cmocka_unit_test(test_header_block_without_empty_line_ends_at_body_text),
		cmocka_unit_test(test_disagreeing_transfer_encodings_are_read_both_ways),
		cmocka_unit_test(test_refused_binary_leaf_does_not_use_the_budget),
		cmocka_unit_test(test_second_transfer_encoding_base64_is_also_decoded),
		cmocka_unit_test(test_second_transfer_encoding_qp_joins_soft_breaks),
		cmocka_unit_test(test_second_content_type_is_read_too),
		cmocka_unit_test(test_second_content_type_multipart_is_walked),
		cmocka_unit_test(test_same_content_type_twice_gives_one_reading),
		cmocka_unit_test(test_eml_attached_as_octet_stream_is_walked_as_a_message),
		cmocka_unit_test(test_binary_named_eml_is_not_walked_as_a_message),
		cmocka_unit_test(test_named_rfc822_part_hands_its_filename_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
