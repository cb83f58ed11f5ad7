/*
 * test_extract - em_sniff (content-based format recognition, image sizes)
 * and em_extract_parse (the extractor's record stream, ex_proto.h). Pure
 * parts only: the sandboxed runs are tested by tests/extract/run.sh and
 * tests/e2e/t_n_extract.sh with the real program.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "em_config.h"
#include "em_errors.h"
#include "em_extract.h"
#include "em_settings.h"
#include "em_sniff.h"

/* ---- em_sniff ------------------------------------------------------------ */

static void test_magic_numbers_name_their_formats(void **state)
{
	static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0};
	static const unsigned char tnef[] = {0x78, 0x9F, 0x3E, 0x22, 1, 0};
	static const unsigned char gz[] = {0x1F, 0x8B, 0x08, 0, 0, 0};
	static const unsigned char xz[] = {0xFD, '7', 'z', 'X', 'Z', 0, 0};
	static const unsigned char zst[] = {0x28, 0xB5, 0x2F, 0xFD, 0};
	static const unsigned char sz[] = {'7', 'z', 0xBC, 0xAF, 0x27, 0x1C, 0};

	assert_int_equal(em_sniff(ole, sizeof(ole)), EM_SNIFF_OLE2);
	assert_int_equal(em_sniff(tnef, sizeof(tnef)), EM_SNIFF_TNEF);
	assert_int_equal(em_sniff(gz, sizeof(gz)), EM_SNIFF_GZIP);
	assert_int_equal(em_sniff(xz, sizeof(xz)), EM_SNIFF_XZ);
	assert_int_equal(em_sniff(zst, sizeof(zst)), EM_SNIFF_ZSTD);
	assert_int_equal(em_sniff(sz, sizeof(sz)), EM_SNIFF_7Z);
	assert_int_equal(em_sniff("{\\rtf1\\ansi", 11), EM_SNIFF_RTF);
	assert_int_equal(em_sniff("BZh91AY&SY\0\0", 12), EM_SNIFF_BZIP2);
	assert_int_equal(em_sniff("Rar!\x1A\x07\x01\x00", 8), EM_SNIFF_RAR);
	assert_int_equal(em_sniff("MSCF\0\0\0\0xx", 10), EM_SNIFF_CAB);
	assert_int_equal(em_sniff("GIF89a\x10\x00\x20\x00", 10), EM_SNIFF_GIF);
	assert_string_equal(em_sniff_name(EM_SNIFF_PDF), "pdf");
	assert_string_equal(em_sniff_name(EM_SNIFF_NONE), "none");
}

static void test_pdf_after_junk_is_still_a_pdf(void **state)
{
	char d[600];

	memset(d, 'x', sizeof(d));
	memcpy(d + 500, "%PDF-1.7\n", 9);
	assert_int_equal(em_sniff(d, sizeof(d)), EM_SNIFF_PDF);
	assert_int_equal(em_sniff("%PDF", 4), EM_SNIFF_NONE); /* no dash: not the header */
}

static void test_tar_and_iso_are_found_at_their_offsets(void **state)
{
	static char d[40000];

	memset(d, 0, sizeof(d));
	memcpy(d + 257, "ustar", 5);
	assert_int_equal(em_sniff(d, 1024), EM_SNIFF_TAR);
	memset(d, 0, sizeof(d));
	memcpy(d + 32769, "CD001", 5);
	assert_int_equal(em_sniff(d, sizeof(d)), EM_SNIFF_ISO);
	assert_int_equal(em_sniff(d, 4096), EM_SNIFF_NONE); /* a prefix too short to tell */
}

static void test_cms_content_types_are_told_apart(void **state)
{
	/* SEQUENCE (indefinite/long form) { OID 1.2.840.113549.1.7.x ... } */
	unsigned char d[] = {0x30, 0x82, 0x01, 0x00, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
			     0xF7, 0x0D, 0x01, 0x07, 0x02, 0xA0, 0x80, 0,    0,	   0};

	assert_int_equal(em_sniff(d, sizeof(d)), EM_SNIFF_PKCS7_SIGNED);
	d[14] = 0x03;
	assert_int_equal(em_sniff(d, sizeof(d)), EM_SNIFF_PKCS7_ENVELOPED);
	d[14] = 0x01;
	assert_int_equal(em_sniff(d, sizeof(d)), EM_SNIFF_PKCS7_OTHER);
	d[10] = 0x00; /* another OID */
	assert_int_equal(em_sniff(d, sizeof(d)), EM_SNIFF_NONE);
}

static void test_plain_text_and_short_input_are_nothing(void **state)
{
	assert_int_equal(em_sniff("Hello, world.\n", 14), EM_SNIFF_NONE);
	assert_int_equal(em_sniff("PK\x03\x04", 4), EM_SNIFF_NONE); /* zip: the core's own */
	assert_int_equal(em_sniff("\x1F\x8B", 2), EM_SNIFF_NONE);
	assert_int_equal(em_sniff(NULL, 0), EM_SNIFF_NONE);
}

static void test_png_gif_bmp_sizes_come_from_their_headers(void **state)
{
	unsigned char png[24] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0,	  13,
				 'I',  'H', 'D', 'R', 0,    0,	  0x27, 0x10, 0, 0, 0x01, 0x2C};
	unsigned char gif[10] = {'G', 'I', 'F', '8', '9', 'a', 0x40, 0x01, 0xC8, 0x00};
	unsigned char bmp[26] = {'B', 'M', 0, 0, 0, 0,	  0,	0, 0, 0,    0,	  0,	0,
				 0,   40,  0, 0, 0, 0x20, 0x03, 0, 0, 0x9C, 0xFF, 0xFF, 0xFF};
	unsigned long w, h;

	assert_true(em_sniff_image_size(png, sizeof(png), &w, &h));
	assert_int_equal(w, 10000);
	assert_int_equal(h, 300);
	assert_true(em_sniff_image_size(gif, sizeof(gif), &w, &h));
	assert_int_equal(w, 320);
	assert_int_equal(h, 200);
	assert_true(em_sniff_image_size(bmp, sizeof(bmp), &w, &h));
	assert_int_equal(w, 800);
	assert_int_equal(h, 100); /* top-down: negative height */
	assert_false(em_sniff_image_size(png, 20, &w, &h));
	assert_true(em_sniff_is_image(EM_SNIFF_WEBP));
	assert_false(em_sniff_is_image(EM_SNIFF_PDF));
}

static void test_jpeg_size_is_found_after_other_segments(void **state)
{
	/* SOI, APP0 (16 bytes), SOF0 8-bit 480 x 640 */
	static const unsigned char j[] = {
	    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',	0,    1,    1, 0, 0, 1, 0,
	    1,	  0,	0,    0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 3, 0, 0, 0};
	unsigned long w, h;

	assert_int_equal(em_sniff(j, sizeof(j)), EM_SNIFF_JPEG);
	assert_true(em_sniff_image_size(j, sizeof(j), &w, &h));
	assert_int_equal(w, 640);
	assert_int_equal(h, 480);
	assert_false(em_sniff_image_size(j, 22, &w, &h)); /* SOF beyond what was given */
}

/* ---- em_extract_parse ----------------------------------------------------- */

struct got {
	char log[2048];
};

static void add_log(struct got *g, const char *kind, const char *a, const char *b, size_t len)
{
	size_t l = strlen(g->log);

	snprintf(g->log + l, sizeof(g->log) - l, "%s(%s,%.*s);", kind, a, (int)len, b);
}

static void s_text(void *ctx, const char *w, const char *t, size_t len)
{
	add_log(ctx, "T", w, t, len);
}

static void s_msg(void *ctx, const char *w, const char *t, size_t len)
{
	add_log(ctx, "M", w, t, len);
}

static void s_file(void *ctx, const char *n, const char *t, size_t len)
{
	add_log(ctx, "F", n, t, len);
}

static void s_unr(void *ctx, const char *w, const char *why)
{
	add_log(ctx, "U", w, why, strlen(why));
}

static size_t rec(char *out, char type, const char *name, const char *body)
{
	size_t nl = strlen(name), bl = strlen(body);

	out[0] = type;
	for (int i = 0; i < 4; i++) {
		out[1 + i] = (char)(nl >> (24 - 8 * i));
		out[5 + i] = (char)(bl >> (24 - 8 * i));
	}
	memcpy(out + 9, name, nl);
	memcpy(out + 9 + nl, body, bl);
	return 9 + nl + bl;
}

static int parse(const char *d, size_t n, struct got *g, const char **err)
{
	struct em_extract_sink sink = {g, s_text, s_msg, s_file, s_unr};

	memset(g, 0, sizeof(*g));
	return em_extract_parse(d, n, &sink, err);
}

static void test_records_reach_the_sink_in_order(void **state)
{
	char buf[512];
	size_t n = 0;
	struct got g;
	const char *err;

	n += rec(buf + n, 'I', "pages", "3");
	n += rec(buf + n, 'T', "/subject", "OFFICIAL-SENSITIVE");
	n += rec(buf + n, 'F', "a.txt", "abc");
	n += rec(buf + n, 'M', "", "Subject: x\r\n\r\nhi");
	n += rec(buf + n, 'U', "", "encrypted");
	n += rec(buf + n, 'E', "", "");
	assert_int_equal(parse(buf, n, &g, &err), 0);
	assert_string_equal(g.log, "T(/subject,OFFICIAL-SENSITIVE);F(a.txt,abc);"
				   "M(,Subject: x\r\n\r\nhi);U(,encrypted);");
}

static void test_a_stream_cut_short_reports_what_arrived(void **state)
{
	char buf[256];
	size_t n = 0;
	struct got g;
	const char *err;

	n += rec(buf + n, 'T', "", "first");
	n += rec(buf + n, 'T', "", "second");
	assert_int_equal(parse(buf, n - 3, &g, &err), 1); /* killed mid-record */
	assert_string_equal(g.log, "T(,first);");
	assert_int_equal(parse(buf, n, &g, &err), 1); /* no end record */
	assert_int_equal(parse(buf, 0, &g, &err), 1);
}

static void test_malformed_streams_are_refused(void **state)
{
	char buf[256];
	size_t n;
	struct got g;
	const char *err = NULL;

	n = rec(buf, 'X', "", "what");
	assert_int_equal(parse(buf, n, &g, &err), -1);
	assert_non_null(err);
	n = rec(buf, 'E', "", "");
	n += rec(buf + n, 'T', "", "after the end");
	assert_int_equal(parse(buf, n, &g, &err), -1);
	n = rec(buf, 'T', "a", "x");
	buf[1 + 3] = 3; /* a 3-byte name "a", NUL, "b" */
	memcpy(buf + 9, "a\0bx", 4);
	assert_int_equal(parse(buf, 9 + 3 + 1, &g, &err), -1);
	buf[0] = 'T';
	buf[1] = 0x7F; /* a name longer than EX_NAME_MAX */
	assert_int_equal(parse(buf, 64, &g, &err), -1);
}

static void test_unreadable_reasons_lose_control_characters(void **state)
{
	char buf[128];
	size_t n = 0;
	struct got g;
	const char *err;

	n += rec(buf + n, 'U', "", "bad\nline\x1b[31m");
	n += rec(buf + n, 'E', "", "");
	assert_int_equal(parse(buf, n, &g, &err), 0);
	assert_string_equal(g.log, "U(,bad line [31m);");
}

/* ---- configuration: ocr and extract = { ... } ----------------------------- */

static struct em_config *load(const char *text, struct em_errors *errs)
{
	char dir[] = "/tmp/em-test-extract.XXXXXX", path[64], rel[64];
	struct em_config *c;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(rel, sizeof(rel), "%s/releases.d", dir);
	assert_int_equal(mkdir(rel, 0700), 0);
	snprintf(path, sizeof(path), "%s/m.conf", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	c = em_config_load(path, errs);
	unlink(path);
	rmdir(rel);
	rmdir(dir);
	return c;
}

static void test_extract_defaults_and_values_are_read(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *c = load("releases_dir = \"releases.d\";\n", &errs);

	assert_non_null(c);
	assert_true(c->extract.ocr);
	assert_int_equal(c->extract.sandbox, EM_SANDBOX_AUTO);
	assert_int_equal(c->extract.timeout_seconds, 20);
	assert_int_equal(c->extract.output_mb, 32);
	assert_true(c->extract.prefork);
	em_config_free(c);
	c = load("releases_dir = \"releases.d\";\nocr = \"off\";\n"
		 "extract = { sandbox = \"basic\"; timeout_seconds = 7; memory_mb = 300;\n"
		 "  program = \"/opt/x/embargo-extract\"; ocr_min_width = 500;\n"
		 "  prefork = false; };\n",
		 &errs);
	assert_non_null(c);
	assert_int_equal(errs.n, 0);
	assert_false(c->extract.ocr);
	assert_int_equal(c->extract.sandbox, EM_SANDBOX_BASIC);
	assert_int_equal(c->extract.timeout_seconds, 7);
	assert_int_equal(c->extract.memory_mb, 300);
	assert_int_equal(c->extract.ocr_min_width, 500);
	assert_string_equal(c->extract.program, "/opt/x/embargo-extract");
	assert_false(c->extract.prefork);
	em_config_free(c);
	em_errors_free(&errs);
}

static void test_extract_errors_name_file_and_line(void **state)
{
	struct em_errors errs = EM_ERRORS_INIT;
	struct em_config *c = load("releases_dir = \"releases.d\";\nocr = \"maybe\";\n"
				   "extract = {\n  timeout_seconds = 0;\n  sandbox = \"jail\";\n"
				   "  bogus = 1;\n  cpu_seconds = \"ten\";\n  prefork = \"yes\";\n};\n",
				   &errs);
	const char *want[] = {":2:", ":4:", ":5:", ":6:", ":7:", ":8:"};

	em_config_free(c);
	assert_int_equal(errs.n, 6);
	for (size_t i = 0; i < 6; i++) {
		bool found = false;

		for (size_t k = 0; k < errs.n; k++)
			found |= strstr(errs.v[k], want[i]) != NULL;
		if (!found)
			fail_msg("no error at line %s", want[i]);
	}
	em_errors_free(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_magic_numbers_name_their_formats),
	    cmocka_unit_test(test_pdf_after_junk_is_still_a_pdf),
	    cmocka_unit_test(test_tar_and_iso_are_found_at_their_offsets),
	    cmocka_unit_test(test_cms_content_types_are_told_apart),
	    cmocka_unit_test(test_plain_text_and_short_input_are_nothing),
	    cmocka_unit_test(test_png_gif_bmp_sizes_come_from_their_headers),
	    cmocka_unit_test(test_jpeg_size_is_found_after_other_segments),
	    cmocka_unit_test(test_records_reach_the_sink_in_order),
	    cmocka_unit_test(test_a_stream_cut_short_reports_what_arrived),
	    cmocka_unit_test(test_malformed_streams_are_refused),
	    cmocka_unit_test(test_unreadable_reasons_lose_control_characters),
	    cmocka_unit_test(test_extract_defaults_and_values_are_read),
	    cmocka_unit_test(test_extract_errors_name_file_and_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
