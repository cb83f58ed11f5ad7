/*
 * test_office - em_office: XML to text, zip walking, Office/OpenDocument
 * fixtures, and the guards (bombs, encryption, damage, depth, entries).
 *
 * Fixtures live in tests/unit/data/office/ and are made by make-fixtures.py
 * there; run from the repository root (as `make check` does), or point
 * EM_OFFICE_DATA at the fixture directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <zip.h>

#include "em_office.h"

/* ---- helpers ----------------------------------------------------------- */

struct hit {
	char *member;
	char *text;
	size_t len;
};

struct coll {
	struct hit *v;
	size_t n;
	size_t total;	/* text bytes delivered */
	size_t stop_after;	/* return 7 from the callback after this many (0 = never) */
};

static int collect(void *ctx, const char *member, const char *text, size_t len)
{
	struct coll *c = ctx;
	struct hit *v = realloc(c->v, (c->n + 1) * sizeof(*v));

	assert_non_null(v);
	c->v = v;
	v[c->n].member = strdup(member);
	v[c->n].text = malloc(len + 1);
	assert_non_null(v[c->n].member);
	assert_non_null(v[c->n].text);
	memcpy(v[c->n].text, text, len);
	v[c->n].text[len] = '\0';
	v[c->n].len = len;
	/* the contract: text is NUL-terminated at len */
	assert_int_equal(text[len], '\0');
	c->n++;
	c->total += len;
	if (c->stop_after && c->n >= c->stop_after)
		return 7;
	return 0;
}

static void coll_free(struct coll *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].member);
		free(c->v[i].text);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* The text delivered for `member`, or NULL. */
static const char *text_of(const struct coll *c, const char *member)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].member, member) == 0)
			return c->v[i].text;
	return NULL;
}

static size_t count_member(const struct coll *c, const char *member)
{
	size_t k = 0;

	for (size_t i = 0; i < c->n; i++)
		k += strcmp(c->v[i].member, member) == 0;
	return k;
}

/* Does any delivered text contain needle? */
static bool seen(const struct coll *c, const char *needle)
{
	for (size_t i = 0; i < c->n; i++)
		if (strstr(c->v[i].text, needle) != NULL)
			return true;
	return false;
}

static char *load(const char *name, size_t *len)
{
	const char *dir = getenv("EM_OFFICE_DATA");
	char path[512];
	FILE *f;
	char *p;
	long n;

	if (dir == NULL)
		dir = "tests/unit/data/office";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open fixture %s (run from the repository root)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static const struct em_zip_limits lim_default = {25u * 1024 * 1024, 100, 10, 100000};

/* Scans fixture `name` with `lim`; returns em_zip_scan's value. */
static int scan_file(const char *name, const struct em_zip_limits *lim, struct coll *c, unsigned *flags)
{
	size_t len;
	char *data = load(name, &len);
	int rc;

	*flags = 0;
	rc = em_zip_scan(data, len, lim, collect, c, flags);
	free(data);
	return rc;
}

static char *xml(const char *in)
{
	struct em_buf out = EM_BUF_INIT;

	assert_int_equal(em_xml_to_text(in, strlen(in), &out), 0);
	return em_buf_steal(&out);
}

/* ---- em_xml_to_text ---------------------------------------------------- */

static void test_xml_runs_of_one_word_join_up(void **state)
{
	char *t = xml("<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Fos</w:t></w:r><w:proofErr/>"
		      "<w:r><w:t>tering</w:t></w:r></w:p>");

	assert_non_null(strstr(t, "Fostering"));
	free(t);
}

static void test_xml_paragraphs_cells_and_breaks_do_not_join(void **state)
{
	char *t = xml("<w:body><w:p><w:r><w:t>One</w:t></w:r></w:p><w:p><w:r><w:t>Two</w:t></w:r></w:p>"
		      "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>"
		      "<w:t>B</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
		      "<w:p><w:r><w:t>x</w:t><w:br/><w:t>y</w:t><w:tab/><w:t>z</w:t></w:r></w:p></w:body>");

	assert_string_equal(t, "One\nTwo\nA\nB\nx\ny\nz\n");
	free(t);
}

static void test_xml_entities_and_character_references_are_decoded(void **state)
{
	char *t = xml("<t>Tom &amp; Jerry &lt;3&gt; &quot;q&quot; &apos;a&apos; &#65;&#x42;&#X43; "
		      "caf&#233; &#x20AC; &#x1F600;</t>");

	assert_string_equal(t, "Tom & Jerry <3> \"q\" 'a' ABC caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
	free(t);
}

static void test_xml_unknown_or_invalid_references_stay_literal(void **state)
{
	char *t = xml("<t>a &bogus; b &#xD800; c &#0; d &#x110000; e &#12a; f & g &amp</t>");

	assert_string_equal(t, "a &bogus; b &#xD800; c &#0; d &#x110000; e &#12a; f & g &amp");
	free(t);
}

static void test_xml_comments_pis_and_doctype_are_dropped_and_cdata_kept(void **state)
{
	char *t = xml("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"<hidden>\">]>"
		      "<x>A<!-- HIDDEN -->B<![CDATA[<raw> &amp;]]>C<?pi HIDDEN?>D</x>");

	assert_string_equal(t, "AB<raw> &amp;CD");
	free(t);
}

static void test_xml_quoted_gt_inside_attribute_does_not_end_the_tag(void **state)
{
	char *t = xml("<w:r attr=\"a>b\" other='c>d'><w:t>Fos</w:t></w:r><w:r><w:t>tering</w:t></w:r>");

	assert_string_equal(t, "Fostering");
	free(t);
}

static void test_xml_sloppy_and_truncated_markup_keeps_the_text(void **state)
{
	char *t = xml("x < y and 1<2 <p>para</p> trailing <unterminated attr=\"oops");

	assert_string_equal(t, "x < y and 1<2 \npara\n trailing ");
	free(t);
	t = xml("<");
	assert_string_equal(t, "<");
	free(t);
	t = xml("<!-- never closed");
	assert_string_equal(t, "");
	free(t);
	t = xml("<![CDATA[open");
	assert_string_equal(t, "open");
	free(t);
}

static void test_xml_visible_attribute_values_get_their_own_line(void **state)
{
	char *t = xml("<sheets><sheet name=\"EmbargoSheet\" sheetId=\"1\"/></sheets>"
		      "<p:cNvPr id=\"2\" name=\"Title 1\" descr=\"Alt &amp; text\"/>");

	assert_non_null(strstr(t, "EmbargoSheet\n"));
	assert_non_null(strstr(t, "Alt & text\n"));
	/* a shape's internal name is not visible text */
	assert_null(strstr(t, "Title 1"));
	assert_null(strstr(t, "sheetId"));
	free(t);
}

static void test_xml_appends_to_existing_buffer_content(void **state)
{
	struct em_buf out = EM_BUF_INIT;

	assert_int_equal(em_buf_puts(&out, "prefix:"), 0);
	assert_int_equal(em_xml_to_text("<a>b</a>", 8, &out), 0);
	assert_string_equal(out.data, "prefix:b");
	em_buf_free(&out);
}

/* ---- sniffing and bad input -------------------------------------------- */

static void test_zip_sniff_recognises_local_header_and_empty_archive_only(void **state)
{
	assert_true(em_zip_sniff("PK\3\4rest", 9));
	assert_true(em_zip_sniff("PK\5\6", 4));
	assert_false(em_zip_sniff("PK\3", 3));
	assert_false(em_zip_sniff("PK\1\2....", 8));
	assert_false(em_zip_sniff("%PDF-1.7", 8));
	assert_false(em_zip_sniff("", 0));
}

static void test_non_zip_data_is_corrupt_and_yields_nothing(void **state)
{
	static const char junk[] = "This is plain text, not an archive at all, OFFICIAL-SENSITIVE.";
	struct coll c = {0};
	unsigned flags = 0;

	assert_false(em_zip_sniff(junk, sizeof(junk) - 1));
	assert_int_equal(em_zip_scan(junk, sizeof(junk) - 1, &lim_default, collect, &c, &flags), 0);
	assert_true(flags & EM_ZIP_CORRUPT);
	assert_int_equal(c.n, 0);
	flags = 0;
	assert_int_equal(em_zip_scan("", 0, &lim_default, collect, &c, &flags), 0);
	assert_true(flags & EM_ZIP_CORRUPT);
	coll_free(&c);
}

static void test_truncated_zip_is_corrupt_and_never_crashes(void **state)
{
	size_t len;
	char *data = load("doc.docx", &len);
	struct coll c = {0};
	unsigned flags = 0;

	assert_int_equal(em_zip_scan(data, len / 2, &lim_default, collect, &c, &flags), 0);
	assert_true(flags & EM_ZIP_CORRUPT);
	coll_free(&c);
	/* every cut, for the sanitizers and valgrind to watch */
	for (size_t cut = 0; cut < len; cut += 7) {
		flags = 0;
		assert_int_equal(em_zip_scan(data, cut, &lim_default, collect, &c, &flags), 0);
		assert_true(flags & EM_ZIP_CORRUPT);
		coll_free(&c);
	}
	free(data);
}

static void test_random_damage_never_crashes(void **state)
{
	static const char *const names[] = {"doc.docx", "nested.zip", "book.xlsx", "doc.odt"};
	uint32_t seed = 12345;

	for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		size_t len;
		char *orig = load(names[f], &len);
		char *data = malloc(len);

		assert_non_null(data);
		for (int round = 0; round < 150; round++) {
			struct coll c = {0};
			unsigned flags = 0;
			int rc;

			memcpy(data, orig, len);
			for (int k = 0; k < 1 + round % 8; k++) {
				seed = seed * 1103515245u + 12345u;
				data[(seed >> 8) % len] ^= (char)(1u << (seed % 8));
			}
			rc = em_zip_scan(data, len, &lim_default, collect, &c, &flags);
			assert_int_equal(rc, 0);
			coll_free(&c);
		}
		free(data);
		free(orig);
	}
}

static void test_damaged_entry_is_corrupt_and_the_next_entry_is_read(void **state)
{
	struct coll c = {0};
	unsigned flags;

	assert_int_equal(scan_file("corrupt-entry.zip", &lim_default, &c, &flags), 0);
	assert_true(flags & EM_ZIP_CORRUPT);
	assert_string_equal(text_of(&c, "good.txt"), "GoodAfterBroken");
	coll_free(&c);
}

/* ---- Office Open XML --------------------------------------------------- */

static void test_docx_phrase_split_across_runs_is_joined(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *body;

	assert_int_equal(scan_file("doc.docx", &lim_default, &c, &flags), 0);
	assert_int_equal(flags, 0);
	body = text_of(&c, "word/document.xml");
	assert_non_null(body);
	assert_non_null(strstr(body, "Fostering\n"));
	assert_non_null(strstr(body, "Second paragraph"));
	/* bookmarks and proofing marks between runs do not split a word */
	assert_non_null(strstr(body, "Embargoed"));
	/* two paragraphs, table cells and a line break never run together */
	assert_null(strstr(body, "FosteringSecond"));
	assert_non_null(strstr(body, "CellOne\nCellTwo"));
	assert_non_null(strstr(body, "Before\nAfter"));
	assert_non_null(strstr(body, "Tom & Jerry <3 \xE2\x80\x94 caf\xC3\xA9"));
	coll_free(&c);
}

static void test_docx_header_footer_comments_and_footnotes_are_scanned(void **state)
{
	struct coll c = {0};
	unsigned flags;

	assert_int_equal(scan_file("doc.docx", &lim_default, &c, &flags), 0);
	assert_non_null(strstr(text_of(&c, "word/header1.xml"), "HeaderMarker"));
	assert_non_null(strstr(text_of(&c, "word/footer1.xml"), "FooterMarker"));
	assert_non_null(strstr(text_of(&c, "word/comments.xml"), "CommentMarker"));
	assert_non_null(strstr(text_of(&c, "word/footnotes.xml"), "FootnoteMarker"));
	coll_free(&c);
}

static void test_docx_package_plumbing_and_binary_parts_are_skipped(void **state)
{
	struct coll c = {0};
	unsigned flags;

	assert_int_equal(scan_file("doc.docx", &lim_default, &c, &flags), 0);
	assert_false(seen(&c, "CTSENTINEL"));
	assert_false(seen(&c, "RELSENTINEL"));
	assert_false(seen(&c, "IMGSENTINEL"));
	assert_false(seen(&c, "VBASENTINEL"));
	assert_null(text_of(&c, "[Content_Types].xml"));
	assert_null(text_of(&c, "word/media/image1.png"));
	coll_free(&c);
}

static void test_docx_sensitivity_label_value_is_a_line_of_its_own(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *t;

	assert_int_equal(scan_file("doc.docx", &lim_default, &c, &flags), 0);
	t = text_of(&c, "docProps/custom.xml");
	assert_non_null(t);
	assert_true(strncmp(t, "OFFICIAL-SENSITIVE\n", 19) == 0 || strstr(t, "\nOFFICIAL-SENSITIVE\n"));
	coll_free(&c);
}

static void test_docx_core_properties_are_one_per_line(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *t;

	assert_int_equal(scan_file("doc.docx", &lim_default, &c, &flags), 0);
	t = text_of(&c, "docProps/core.xml");
	assert_non_null(t);
	assert_non_null(strstr(t, "Quarterly GDP\nCoreSubject\nStats Office"));
	coll_free(&c);
}

static void test_each_entry_gets_exactly_one_callback(void **state)
{
	struct coll c = {0};
	unsigned flags;

	assert_int_equal(scan_file("doc.docx", &lim_default, &c, &flags), 0);
	/* document, header, footer, comments, footnotes, core, custom */
	assert_int_equal(c.n, 7);
	for (size_t i = 0; i < c.n; i++)
		assert_int_equal(count_member(&c, c.v[i].member), 1);
	coll_free(&c);
}

static void test_xlsx_shared_inline_strings_and_numbers_are_read(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *sst, *sheet, *wb;

	assert_int_equal(scan_file("book.xlsx", &lim_default, &c, &flags), 0);
	assert_int_equal(flags, 0);
	sst = text_of(&c, "xl/sharedStrings.xml");
	sheet = text_of(&c, "xl/worksheets/sheet1.xml");
	wb = text_of(&c, "xl/workbook.xml");
	assert_non_null(sst);
	assert_non_null(sheet);
	assert_non_null(wb);
	/* a row is a line: the shared string A1 beside its numbers, cells apart */
	assert_string_equal(sheet, "Plain shared\t12345\t678;\nInline\tInline2;\n");
	/* the items no cell shows are still read */
	assert_string_equal(sst, "RichSplit\nThird\n");
	assert_non_null(strstr(wb, "EmbargoSheet"));
	coll_free(&c);
}

/* ---- SpreadsheetML read as its rows ------------------------------------ */

/* A zip in memory of the NULL-terminated name, text pairs (deflated, in that
 * order); the caller frees it. */
static char *make_zip(const char *const *parts, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_stat_t st;
	zip_t *za;
	char *out;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (size_t i = 0; parts[i] != NULL; i += 2) {
		zip_source_t *s = zip_source_buffer(za, parts[i + 1], strlen(parts[i + 1]), 0);

		assert_non_null(s);
		assert_true(zip_file_add(za, parts[i], s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	zip_stat_init(&st);
	assert_int_equal(zip_source_stat(src, &st), 0);
	out = malloc(st.size ? st.size : 1);
	assert_non_null(out);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = st.size;
	return out;
}

/* ---- binary members and charts (red team round 3) ----------------------- */

/* What em_zip_scan_files handed over: text (coll) and binary members. */
struct files {
	struct coll c;
	char names[8][64];
	size_t n;
};

static int collect_text(void *ctx, const char *member, const char *text, size_t len)
{
	return collect(&((struct files *)ctx)->c, member, text, len);
}

static int collect_file(void *ctx, const char *member, const char *data, size_t len)
{
	struct files *f = ctx;

	(void)data;
	(void)len;
	if (f->n < 8)
		snprintf(f->names[f->n++], sizeof(f->names[0]), "%s", member);
	return 0;
}

/* A PDF in a zipped "pack" and an object embedded in a document are files a
 * reader opens: handed to file_fn (they were skipped without a word); a
 * document's own images are not. */
static void test_binary_members_of_a_plain_zip_go_to_file_fn(void **state)
{
	static const char *const pack[] = {
	    "README.txt", "Thursday pack", "pack/bulletin.pdf", "%PDF-1.4\n\x80\x81 binary",
	    "pack/photo.png", "\x89PNG\r\n\x1a\n binary", NULL};
	static const char *const docx[] = {
	    "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>",
	    "word/media/image1.png", "\x89PNG\r\n\x1a\n binary",
	    "word/embeddings/oleObject1.bin", "\xD0\xCF\x11\xE0 ole", NULL};
	struct files f = {0};
	unsigned flags = 0;
	size_t len;
	char *z = make_zip(pack, &len);

	(void)state;
	assert_int_equal(
	    em_zip_scan_files(z, len, &lim_default, collect_text, collect_file, &f, &flags), 0);
	free(z);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.names[0], "pack/bulletin.pdf");
	assert_string_equal(f.names[1], "pack/photo.png");
	assert_string_equal(text_of(&f.c, "README.txt"), "Thursday pack");
	coll_free(&f.c);
	z = make_zip(docx, &len);
	memset(&f, 0, sizeof(f));
	assert_int_equal(
	    em_zip_scan_files(z, len, &lim_default, collect_text, collect_file, &f, &flags), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.names[0], "word/embeddings/oleObject1.bin");
	coll_free(&f.c);
	/* em_zip_scan: no file_fn, binary members skipped as before */
	assert_int_equal(em_zip_scan(z, len, &lim_default, collect, &f.c, &flags), 0);
	free(z);
	coll_free(&f.c);
}

/* A chart's cached values read with their series name and format: the data
 * reference <c:f> and the format code are not text ("Sheet1!" ended the
 * sentence), a percent format shows the percentage, literal text around the
 * number is kept. */
static void test_chart_values_are_read_as_the_chart_shows_them(void **state)
{
	char *t = xml("<c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>Approved fostering households"
		      "</a:t></a:r></a:p></c:rich></c:tx></c:title><c:ser><c:tx><c:strRef>"
		      "<c:f>Sheet1!$B$1</c:f><c:strCache><c:pt idx=\"0\"><c:v>Households</c:v></c:pt>"
		      "</c:strCache></c:strRef></c:tx><c:val><c:numRef><c:f>Sheet1!$B$2:$B$3</c:f>"
		      "<c:numCache><c:formatCode>0.0%</c:formatCode><c:ptCount val=\"2\"/>"
		      "<c:pt idx=\"0\"><c:v>-0.032</c:v></c:pt></c:numCache></c:numRef></c:val>"
		      "<c:val><c:numRef><c:numCache><c:formatCode>\"\xc2\xa3\"0.0\"bn\"</c:formatCode>"
		      "<c:pt idx=\"0\"><c:v>1.4</c:v></c:pt></c:numCache></c:numRef></c:val>"
		      "<c:val><c:numRef><c:numCache><c:formatCode>General</c:formatCode>"
		      "<c:pt idx=\"0\"><c:v>42850</c:v></c:pt></c:numCache></c:numRef></c:val>"
		      "</c:ser></c:chart>");

	(void)state;
	assert_null(strstr(t, "Sheet1"));
	assert_null(strstr(t, "0.0%"));
	assert_non_null(strstr(t, "-3.2%"));
	assert_non_null(strstr(t, "\xc2\xa3" "1.4bn"));
	assert_non_null(strstr(t, "42850"));
	assert_null(strstr(t, "\xc2\xa3" "42850"));
	free(t);
	/* a spreadsheet formula is not text either; its cached value is */
	t = xml("<c r=\"B4\"><f>SUM(B2:B3)</f><v>42850</v></c>");
	assert_null(strstr(t, "SUM"));
	assert_non_null(strstr(t, "42850"));
	free(t);
}

#define XL_NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define XL_SHEET(rows) "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " XL_NS "><sheetData>" rows "</sheetData></worksheet>"
#define XL_SST(items) "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst " XL_NS ">" items "</sst>"

/*
 * Builds a workbook of one sheet (sheet before shared strings and styles in
 * the zip, as the walk must not depend on the order) and scans it. sst and
 * styles may be NULL (the part is left out).
 */
static void scan_xlsx(const char *sheet, const char *sst, const char *styles, struct coll *c)
{
	const char *parts[16];
	size_t n = 0, len;
	unsigned flags = 0;
	char *data;

	parts[n++] = "[Content_Types].xml";
	parts[n++] = "<Types><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
		     "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>";
	parts[n++] = "xl/workbook.xml";
	parts[n++] = "<workbook " XL_NS "><sheets><sheet name=\"Table 1\" sheetId=\"1\"/></sheets></workbook>";
	parts[n++] = "xl/worksheets/sheet1.xml";
	parts[n++] = sheet;
	if (sst) {
		parts[n++] = "xl/sharedStrings.xml";
		parts[n++] = sst;
	}
	if (styles) {
		parts[n++] = "xl/styles.xml";
		parts[n++] = styles;
	}
	parts[n] = NULL;
	data = make_zip(parts, &len);
	assert_int_equal(em_zip_scan(data, len, &lim_default, collect, c, &flags), 0);
	assert_int_equal(flags, 0);
	free(data);
}

static void test_xlsx_shared_strings_are_resolved_in_row_order_beside_their_numbers(void **state)
{
	struct coll c = {0};

	scan_xlsx(XL_SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
			   "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"n\"><v>25410</v></c>"
			   "<c r=\"C2\"><v>-2140</v></c></row>"),
		  XL_SST("<si><t>Measure</t></si><si><t>Households</t></si>"
			 "<si><t xml:space=\"preserve\">Local authority fostering services</t></si>"),
		  NULL, &c);
	/* one line a row, cells by a tab, each row its own sentence (';') */
	assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"),
			    "Measure\tHouseholds;\nLocal authority fostering services\t25410\t-2140;\n");
	/* every item was shown by a cell: the shared strings give no text of their own */
	assert_null(text_of(&c, "xl/sharedStrings.xml"));
	coll_free(&c);
}

static void test_xlsx_rich_text_runs_join_and_phonetic_runs_are_dropped(void **state)
{
	struct coll c = {0};

	scan_xlsx(XL_SHEET("<row><c t=\"s\"><v>0</v></c><c><v>42850</v></c></row>"),
		  XL_SST("<si><r><rPr><b/></rPr><t>Fost</t></r><r><t xml:space=\"preserve\">ering </t></r>"
			 "<r><t>house&amp;holds</t></r><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh>"
			 "<phoneticPr fontId=\"1\"/></si>"),
		  NULL, &c);
	assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"), "Fostering house&holds\t42850;\n");
	assert_false(seen(&c, "PHONETIC"));
	coll_free(&c);
}

static void test_xlsx_inline_strings_and_formula_results_are_cells_of_their_row(void **state)
{
	struct coll c = {0};

	scan_xlsx(XL_SHEET("<row><c t=\"inlineStr\"><is><r><t>Independent</t></r><r><t> agencies</t></r>"
			   "<rPh><t>X</t></rPh></is></c><c><v>17440</v></c>"
			   "<c t=\"str\"><f>A1&amp;\"!\"</f><v>Total</v></c><c t=\"b\"><v>1</v></c>"
			   "<c t=\"e\"><v>#DIV/0!</v></c><c><f>SUM(B1:B9)</f></c></row>"),
		  NULL, NULL, &c);
	/* a formula shows its cached value; without one, the formula is all there is */
	assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"),
			    "Independent agencies\t17440\tTotal\t1\t#DIV/0!\tSUM(B1:B9);\n");
	coll_free(&c);
}

static void test_xlsx_percent_formats_show_the_percentage(void **state)
{
	static const char styles[] =
	    "<styleSheet " XL_NS "><numFmts count=\"5\">"
	    "<numFmt numFmtId=\"164\" formatCode=\"0.0%\"/>"
	    "<numFmt numFmtId=\"165\" formatCode=\"0.0&quot;%&quot;\"/>"
	    "<numFmt numFmtId=\"166\" formatCode=\"[Red]#,##0%;\\-0%\"/>"
	    "<numFmt numFmtId=\"168\" formatCode=\"#,##0.0\\%\"/><numFmt numFmtId=\"169\" formatCode=\"&quot;%&quot;\"/>"
	    "</numFmts>"
	    "<cellStyleXfs count=\"1\"><xf numFmtId=\"10\"/></cellStyleXfs>"
	    "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"10\" applyNumberFormat=\"1\"/>"
	    "<xf numFmtId=\"164\"><alignment horizontal=\"right\"/></xf><xf numFmtId=\"165\"/>"
	    "<xf numFmtId=\"166\"/><xf numFmtId=\"168\"/><xf numFmtId=\"169\"/></cellXfs>"
	    "<dxfs count=\"1\"><dxf><numFmt numFmtId=\"167\" formatCode=\"0%\"/></dxf></dxfs>"
	    "</styleSheet>";

	struct coll c = {0};

	scan_xlsx(XL_SHEET("<row><c s=\"1\"><v>-0.032</v></c><c s=\"2\"><v>-0.032</v></c>"
			   "<c s=\"2\"><v>0.0325</v></c><c s=\"2\" t=\"n\"><v>1.5E-2</v></c>"
			   "<c s=\"2\"><v>0.99996</v></c><c s=\"4\"><v>0.06</v></c><c s=\"2\"><v>-0.0001</v></c></row>"
			   /* a quoted "%" or \% is text after the number, which is not scaled */
			   "<row><c s=\"3\"><v>3.25</v></c><c s=\"3\"><v>-0.032</v></c><c s=\"5\"><v>42.849</v></c></row>"
			   /* not percentages: General, a style past cellXfs, no number shown, text */
			   "<row><c s=\"0\"><v>0.5</v></c><c s=\"9\"><v>0.25</v></c><c s=\"6\"><v>0.5</v></c>"
			   "<c s=\"2\" t=\"str\"><v>0.1</v></c><c s=\"2\"><v>n/a</v></c></row>"),
		  NULL, styles, &c);
	assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"),
			    "-3.20%\t-3.2%\t3.3%\t1.5%\t100.0%\t6%\t0.0%;\n"
			    "3.3%\t0.0%\t42.8%;\n"
			    "0.5\t0.25\t0.5\t0.1\tn/a;\n");
	coll_free(&c);
}

static void test_xlsx_header_footer_codes_are_not_text(void **state)
{
	struct coll c = {0};
	const char *t;

	scan_xlsx("<worksheet " XL_NS "><sheetData><row><c><v>7</v></c></row></sheetData>"
		  "<headerFooter><oddHeader>&amp;L&amp;\"Times New Roman,Regular\"&amp;12OFFICIAL-SENSITIVE"
		  "&amp;R&amp;K01+000&amp;BPage &amp;P of &amp;N</oddHeader>"
		  "<oddFooter>&amp;C&amp;&quot;Times New Roman,Regular&quot;&amp;12&amp;A</oddFooter>"
		  "<evenFooter>R&amp;&amp;D</evenFooter></headerFooter></worksheet>",
		  NULL, NULL, &c);
	t = text_of(&c, "xl/worksheets/sheet1.xml");
	/* the literal text a printed page shows stays (a marking in the header) */
	assert_string_equal(t, "7;\nOFFICIAL-SENSITIVE\tPage  of;\nR&D;\n");
	assert_false(seen(&c, "Times"));
	coll_free(&c);
}

static void test_xlsx_shared_string_index_out_of_range_is_skipped(void **state)
{
	struct coll c = {0};

	scan_xlsx(XL_SHEET("<row><c t=\"s\"><v>5</v></c><c t=\"s\"><v>184467440737095516160</v></c>"
			   "<c t=\"s\"><v>-1</v></c><c t=\"s\"><v>x</v></c><c t=\"s\"><v></v></c>"
			   "<c t=\"s\"><v> 0 </v></c><c><v>7</v></c></row>"),
		  XL_SST("<si><t>Label</t></si><si/><si><t>Unused</t></si>"), NULL, &c);
	assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"), "Label\t7;\n");
	assert_string_equal(text_of(&c, "xl/sharedStrings.xml"), "Unused\n");
	coll_free(&c);
}

static void test_xlsx_without_shared_strings_or_styles_reads_its_numbers(void **state)
{
	struct coll c = {0};

	scan_xlsx(XL_SHEET("<row><c t=\"s\"><v>0</v></c><c s=\"1\"><v>12</v></c></row>"
			   "<row/><row><c t=\"inlineStr\"><is><t>ok</t></is></c></row>"),
		  NULL, NULL, &c);
	assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"), "12;\nok;\n");
	coll_free(&c);
}

static void test_xlsx_cut_markup_keeps_what_was_read(void **state)
{
	struct coll c = {0};

	scan_xlsx("<worksheet " XL_NS "><sheetData><row><c t=\"s\"><v>0</v></c><c><v>123",
		  "<sst " XL_NS "><si><t>Label</t></si><si><t>Cut sh", NULL, &c);
	assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"), "Label\t123;\n");
	assert_string_equal(text_of(&c, "xl/sharedStrings.xml"), "Cut sh\n");
	coll_free(&c);
}

static void test_xlsx_inside_a_zip_is_read_as_a_workbook(void **state)
{
	struct coll c = {0}, inner = {0};
	const char *parts[5];
	char *book, *outer;
	size_t blen, olen;
	unsigned flags = 0;

	/* the same workbook alone, then inside a zip beside a sheet-like part
	 * of no workbook (read as any XML part, as before) */
	scan_xlsx(XL_SHEET("<row><c t=\"s\"><v>0</v></c><c><v>9</v></c></row>"), XL_SST("<si><t>Row</t></si>"),
		  NULL, &inner);
	{
		const char *bp[] = {"xl/workbook.xml", "<workbook/>", "xl/worksheets/sheet1.xml",
				    XL_SHEET("<row><c t=\"s\"><v>0</v></c><c><v>9</v></c></row>"),
				    "xl/sharedStrings.xml", XL_SST("<si><t>Row</t></si>"), NULL};
		book = make_zip(bp, &blen);
	}
	parts[0] = "xl/worksheets/sheet1.xml";
	parts[1] = XL_SHEET("<row><c t=\"s\"><v>0</v></c></row>");
	parts[2] = "tables.xlsx";
	parts[3] = NULL;
	/* make_zip takes text; the inner zip is binary, so add it by hand */
	{
		zip_error_t ze;
		zip_source_t *src, *s;
		zip_stat_t st;
		zip_t *za;

		zip_error_init(&ze);
		src = zip_source_buffer_create(NULL, 0, 0, &ze);
		zip_source_keep(src);
		za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
		assert_non_null(za);
		s = zip_source_buffer(za, parts[1], strlen(parts[1]), 0);
		assert_true(zip_file_add(za, parts[0], s, 0) >= 0);
		s = zip_source_buffer(za, book, blen, 0);
		assert_true(zip_file_add(za, parts[2], s, 0) >= 0);
		assert_int_equal(zip_close(za), 0);
		zip_stat_init(&st);
		assert_int_equal(zip_source_stat(src, &st), 0);
		outer = malloc(st.size);
		assert_non_null(outer);
		assert_int_equal(zip_source_open(src), 0);
		assert_int_equal(zip_source_read(src, outer, st.size), (zip_int64_t)st.size);
		zip_source_close(src);
		zip_source_free(src);
		zip_error_fini(&ze);
		olen = st.size;
	}
	assert_int_equal(em_zip_scan(outer, olen, &lim_default, collect, &c, &flags), 0);
	assert_int_equal(flags, 0);
	assert_string_equal(text_of(&c, "tables.xlsx/xl/worksheets/sheet1.xml"), "Row\t9;\n");
	assert_string_equal(text_of(&inner, "xl/worksheets/sheet1.xml"), "Row\t9;\n");
	/* no workbook at the top: the old reading, index and all */
	assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"), "0\n");
	free(book);
	free(outer);
	coll_free(&c);
	coll_free(&inner);
}

static void test_xlsx_hostile_parts_never_crash(void **state)
{
	static const char *const sheets[] = {
		"<row><c t=\"s\" s=\"99999999999999999999999\"><v>0</v></c></row>",
		"<c><v>1</v><c><v>2</v></c></c></row></row><row><row><c t=\"s\">",
		"<headerFooter><oddHeader>&amp;&amp;&amp;\"&amp;K&amp;",
		"<c s=\"1\"><v>-.</v></c><c s=\"1\"><v>1E</v></c><c s=\"1\"><v>1E999999</v></c>"
		"<c s=\"1\"><v>0.00000000000000000000000000000000000000000000000000001</v></c>"
		"<c s=\"1\"><v>123456789012345678901234567890123456789012345678901234567890</v></c>"
		"<c s=\"1\"><v>1E300</v></c><c s=\"1\"><v>9.9999999999999999E-1</v></c>",
		"<![CDATA[<c t=\"s\"><v>0</v></c>]]><c t='s'><v><![CDATA[0]]></v></c><c t=s><v>0</v></c",
	};
	static const char styles[] =
	    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"0.00000000000000000000000%\"/>"
	    "<numFmt numFmtId=\"x\" formatCode=\"0%\"/><numFmt numFmtId=\"165\" formatCode=\"&quot;%\"/>"
	    "<numFmt formatCode=\"[%\"/></numFmts>"
	    "<cellXfs><xf/><xf numFmtId=\"164\"/><xf numFmtId=\"99999999999999999999999\"/><xf numFmtId=\"165\"/>"
	    "</cellXfs>";

	for (size_t i = 0; i < sizeof(sheets) / sizeof(sheets[0]); i++) {
		struct coll c = {0};
		char sheet[1024];

		snprintf(sheet, sizeof(sheet), "<worksheet><sheetData>%s", sheets[i]);
		scan_xlsx(sheet, XL_SST("<si><t>A</t></si><si><si><r><t>B"), styles, &c);
		coll_free(&c);
	}
	{
		struct coll c = {0};

		scan_xlsx(XL_SHEET("<row><c s=\"1\"><v>1E300</v></c><c s=\"1\"><v>-0.0000001</v></c>"
				   "<c t='s'><v><![CDATA[0]]></v></c><c s=\"3\"><v>0.5</v></c></row>"),
			  XL_SST("<si><t>A</t></si>"), styles, &c);
		/* 15 decimals at most; beyond our digits: as written */
		assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"),
				    "1E300\t-0.000010000000000%\tA\t0.5;\n");
		coll_free(&c);
	}
	{
		struct coll c = {0};

		/* every item empty: the table has no text at all (found by libFuzzer, UBSan) */
		scan_xlsx(XL_SHEET("<row><c t=\"s\"><v>0</v></c><c><v>7</v></c></row>"), XL_SST("<si/><si></si>"),
			  NULL, &c);
		assert_string_equal(text_of(&c, "xl/worksheets/sheet1.xml"), "7;\n");
		assert_null(text_of(&c, "xl/sharedStrings.xml"));
		coll_free(&c);
	}
}

static void test_pptx_slide_and_speaker_notes_are_read(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *slide, *notes;

	assert_int_equal(scan_file("deck.pptx", &lim_default, &c, &flags), 0);
	slide = text_of(&c, "ppt/slides/slide1.xml");
	notes = text_of(&c, "ppt/notesSlides/notesSlide1.xml");
	assert_non_null(slide);
	assert_non_null(notes);
	assert_non_null(strstr(slide, "SlideTitle\n"));
	assert_non_null(strstr(slide, "BulletOne\nBullet Two"));
	assert_non_null(strstr(notes, "SpeakerNotes"));
	assert_false(seen(&c, "RELSENTINEL"));
	coll_free(&c);
}

static void test_utf16_and_declared_charset_xml_parts_are_decoded(void **state)
{
	struct coll c = {0};
	unsigned flags;

	assert_int_equal(scan_file("encodings.docx", &lim_default, &c, &flags), 0);
	assert_non_null(text_of(&c, "word/document.xml"));
	assert_non_null(strstr(text_of(&c, "word/document.xml"), "Utf16Body"));
	assert_non_null(text_of(&c, "word/header1.xml"));
	assert_non_null(strstr(text_of(&c, "word/header1.xml"), "Caf\xC3\xA9Header"));
	coll_free(&c);
}

/* ---- OpenDocument ------------------------------------------------------ */

static void test_odt_paragraphs_spans_and_metadata_are_read(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *body, *meta;

	assert_int_equal(scan_file("doc.odt", &lim_default, &c, &flags), 0);
	assert_int_equal(flags, 0);
	body = text_of(&c, "content.xml");
	meta = text_of(&c, "meta.xml");
	assert_non_null(body);
	assert_non_null(meta);
	assert_non_null(strstr(body, "OdfHeading\nFostering\n"));
	assert_non_null(strstr(body, "Word\nSpaced\nTabbed\nBroken"));
	assert_non_null(strstr(body, "ItemOne\nItemTwo"));
	assert_non_null(strstr(meta, "OdfTitle\nOdfSubject"));
	assert_non_null(strstr(text_of(&c, "styles.xml"), "OdfHeader"));
	/* the mimetype member is text too, harmlessly */
	assert_non_null(text_of(&c, "mimetype"));
	coll_free(&c);
}

static void test_ods_cells_and_sheet_name_are_read(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *body;

	assert_int_equal(scan_file("sheet.ods", &lim_default, &c, &flags), 0);
	body = text_of(&c, "content.xml");
	assert_non_null(body);
	assert_non_null(strstr(body, "OdsA1\n42\n"));
	assert_non_null(strstr(body, "OdsA2"));
	assert_non_null(strstr(body, "OdsSheet"));
	coll_free(&c);
}

/* ---- nesting and plain text members ------------------------------------ */

static void test_zip_inside_zip_is_opened_with_joined_member_path(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *t;

	assert_int_equal(scan_file("nested.zip", &lim_default, &c, &flags), 0);
	assert_int_equal(flags, 0);
	t = text_of(&c, "inner/doc.docx/word/document.xml");
	assert_non_null(t);
	assert_non_null(strstr(t, "Fostering"));
	assert_non_null(text_of(&c, "inner/doc.docx/docProps/custom.xml"));
	coll_free(&c);
}

static void test_docx_renamed_bin_inside_zip_is_recognised_by_content(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *t;

	assert_int_equal(scan_file("nested.zip", &lim_default, &c, &flags), 0);
	t = text_of(&c, "attachment.bin/word/header1.xml");
	assert_non_null(t);
	assert_non_null(strstr(t, "HeaderMarker"));
	coll_free(&c);
}

static void test_text_members_arrive_as_utf8_whatever_their_charset(void **state)
{
	struct coll c = {0};
	unsigned flags;

	assert_int_equal(scan_file("nested.zip", &lim_default, &c, &flags), 0);
	assert_string_equal(text_of(&c, "notes.txt"), "UTF-8 note: na\xC3\xAFve r\xC3\xA9sum\xC3\xA9\n");
	assert_string_equal(text_of(&c, "legacy.csv"), "Legacy;caf\xC3\xA9;\xE2\x80\x93" "dash\n");
	assert_string_equal(text_of(&c, "utf16.txt"), "Wide UTF16 text");
	assert_string_equal(text_of(&c, "no-extension"), "Unnamed text file with PlainMarker\n");
	/* directories give nothing */
	assert_null(text_of(&c, "subdir/"));
	coll_free(&c);
}

static void test_html_members_are_reduced_to_their_text(void **state)
{
	struct coll c = {0};
	unsigned flags;
	const char *t;

	assert_int_equal(scan_file("nested.zip", &lim_default, &c, &flags), 0);
	t = text_of(&c, "page.html");
	assert_non_null(t);
	assert_non_null(strstr(t, "HtmlBoldJoin"));	/* inline tags join */
	assert_non_null(strstr(t, "Html&Second"));	/* entities decoded */
	assert_null(strstr(t, "HtmlBoldJoinHtml"));	/* blocks separate */
	assert_null(strstr(t, "<b>"));
	coll_free(&c);
}

static void test_depth_limit_stops_nested_archives(void **state)
{
	struct em_zip_limits lim = lim_default;
	struct coll c = {0};
	unsigned flags;

	lim.max_depth = 3;
	assert_int_equal(scan_file("deep.zip", &lim, &c, &flags), 0);
	assert_int_equal(flags, 0);
	assert_string_equal(text_of(&c, "mid.zip/deepest.zip/deep.txt"), "DeepestMarker");
	coll_free(&c);

	lim.max_depth = 2;
	assert_int_equal(scan_file("deep.zip", &lim, &c, &flags), 0);
	assert_int_equal(flags, EM_ZIP_DEPTH);
	assert_false(seen(&c, "DeepestMarker"));
	assert_string_equal(text_of(&c, "mid.zip/mid.txt"), "MidMarker");
	assert_string_equal(text_of(&c, "top.txt"), "TopMarker");
	coll_free(&c);

	lim.max_depth = 1;
	assert_int_equal(scan_file("deep.zip", &lim, &c, &flags), 0);
	assert_int_equal(flags, EM_ZIP_DEPTH);
	assert_false(seen(&c, "MidMarker"));
	assert_string_equal(text_of(&c, "top.txt"), "TopMarker");
	coll_free(&c);

	lim.max_depth = 0;
	assert_int_equal(scan_file("deep.zip", &lim, &c, &flags), 0);
	assert_int_equal(flags, EM_ZIP_DEPTH);
	assert_int_equal(c.n, 0);
	coll_free(&c);
}

static void test_depth_is_capped_even_when_the_caller_allows_more(void **state)
{
	struct em_zip_limits lim = lim_default;
	struct coll c = {0};
	unsigned flags;

	lim.max_depth = 1000;
	assert_int_equal(scan_file("deep40.zip", &lim, &c, &flags), 0);
	assert_int_equal(flags, EM_ZIP_DEPTH);
	assert_true(seen(&c, "Level1Marker"));
	assert_true(seen(&c, "Level20Marker"));
	assert_false(seen(&c, "Level40Marker"));
	coll_free(&c);
}

static void test_budget_is_shared_across_nested_archives(void **state)
{
	struct em_zip_limits lim = lim_default;
	bool cut_seen = false;

	for (size_t budget = 1; budget <= 1200; budget += 3) {
		struct coll c = {0};
		unsigned flags;

		lim.max_bytes = budget;
		assert_int_equal(scan_file("deep.zip", &lim, &c, &flags), 0);
		/* every byte delivered was read once from the one shared budget */
		assert_true(c.total <= budget);
		if (flags & EM_ZIP_TOO_BIG)
			cut_seen = true;
		else
			assert_true(seen(&c, "DeepestMarker"));
		coll_free(&c);
	}
	assert_true(cut_seen);
}

static void test_nested_archive_spends_the_outer_budget(void **state)
{
	struct em_zip_limits lim = lim_default;
	struct coll c = {0};
	unsigned flags;

	/* 2 x 60 kB of text; the inner archive must not get a fresh budget */
	lim.max_bytes = 100000;
	assert_int_equal(scan_file("shared.zip", &lim, &c, &flags), 0);
	assert_int_equal(flags, EM_ZIP_TOO_BIG);
	assert_true(c.total <= lim.max_bytes);
	/* the rest was spent on the inner archive's own ~6 kB, nothing wasted */
	assert_true(c.total > lim.max_bytes - 10000);
	assert_non_null(text_of(&c, "inner.zip/big.txt"));
	assert_non_null(text_of(&c, "after.txt"));
	coll_free(&c);
}

static void test_entry_limit_is_flagged_and_respected(void **state)
{
	struct em_zip_limits lim = lim_default;
	struct coll c = {0};
	unsigned flags;

	lim.max_entries = 5;
	assert_int_equal(scan_file("many.zip", &lim, &c, &flags), 0);
	assert_int_equal(flags, EM_ZIP_ENTRIES);
	assert_int_equal(c.n, 5);
	coll_free(&c);
	lim.max_entries = 20;
	assert_int_equal(scan_file("many.zip", &lim, &c, &flags), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(c.n, 20);
	coll_free(&c);
}

static void test_callback_nonzero_stops_the_walk_and_is_returned(void **state)
{
	struct coll c = {0};
	unsigned flags;

	c.stop_after = 2;
	assert_int_equal(scan_file("nested.zip", &lim_default, &c, &flags), 7);
	assert_int_equal(c.n, 2);
	coll_free(&c);
}

/* ---- guards ------------------------------------------------------------ */

static void test_zip_bomb_is_cut_at_the_ratio_quickly(void **state)
{
	struct coll c = {0};
	unsigned flags;
	size_t zlen;
	char *z = load("bomb.zip", &zlen);

	free(z);
	assert_int_equal(scan_file("bomb.zip", &lim_default, &c, &flags), 0);
	assert_true(flags & EM_ZIP_RATIO);
	/* never more than ratio x compressed (< whole file) of the 50 MB */
	assert_true(c.total <= (size_t)lim_default.max_ratio * zlen);
	assert_true(c.total < 50u * 1024 * 1024 / 4);
	/* the entry after the bomb is still read */
	assert_string_equal(text_of(&c, "after.txt"), "AfterBomb");
	coll_free(&c);
}

static void test_zip_bomb_is_cut_at_the_budget_when_ratio_is_lax(void **state)
{
	struct em_zip_limits lim = lim_default;
	struct coll c = {0};
	unsigned flags;

	lim.max_ratio = 1000000;
	lim.max_bytes = 1024 * 1024;
	assert_int_equal(scan_file("bomb.zip", &lim, &c, &flags), 0);
	assert_true(flags & EM_ZIP_TOO_BIG);
	assert_false(flags & EM_ZIP_RATIO);
	assert_true(c.total <= lim.max_bytes);
	coll_free(&c);
}

static void test_bomb_with_lying_sizes_is_still_cut_while_reading(void **state)
{
	struct coll c = {0};
	unsigned flags;
	size_t zlen;
	char *z = load("bomb-lying.zip", &zlen);

	free(z);
	assert_int_equal(scan_file("bomb-lying.zip", &lim_default, &c, &flags), 0);
	assert_true(flags & EM_ZIP_RATIO);
	assert_true(c.total <= (size_t)lim_default.max_ratio * zlen);
	/* what was read before the cut is still scanned */
	assert_true(c.total > 0);
	coll_free(&c);
}

static void test_encrypted_entry_is_flagged_and_skipped_others_read(void **state)
{
	struct coll c = {0};
	unsigned flags;

	assert_int_equal(scan_file("encrypted.zip", &lim_default, &c, &flags), 0);
	assert_int_equal(flags, EM_ZIP_ENCRYPTED);
	assert_false(seen(&c, "SecretMarker"));
	assert_string_equal(text_of(&c, "plain.txt"), "PlainVisible");
	coll_free(&c);
}

static void test_password_protected_opendocument_is_flagged_encrypted(void **state)
{
	struct coll c = {0};
	unsigned flags;

	assert_int_equal(scan_file("encrypted.odt", &lim_default, &c, &flags), 0);
	assert_int_equal(flags, EM_ZIP_ENCRYPTED);
	/* the ciphertext of content.xml is not passed off as text */
	assert_null(text_of(&c, "content.xml"));
	coll_free(&c);
	/* an ordinary one is not */
	assert_int_equal(scan_file("doc.odt", &lim_default, &c, &flags), 0);
	assert_false(flags & EM_ZIP_ENCRYPTED);
	coll_free(&c);
}

static void test_null_flags_and_null_limits_are_accepted(void **state)
{
	size_t len;
	char *data = load("doc.docx", &len);
	struct coll c = {0};

	assert_int_equal(em_zip_scan(data, len, NULL, collect, &c, NULL), 0);
	assert_non_null(text_of(&c, "word/document.xml"));
	coll_free(&c);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_runs_of_one_word_join_up),
		cmocka_unit_test(test_xml_paragraphs_cells_and_breaks_do_not_join),
		cmocka_unit_test(test_xml_entities_and_character_references_are_decoded),
		cmocka_unit_test(test_xml_unknown_or_invalid_references_stay_literal),
		cmocka_unit_test(test_xml_comments_pis_and_doctype_are_dropped_and_cdata_kept),
		cmocka_unit_test(test_xml_quoted_gt_inside_attribute_does_not_end_the_tag),
		cmocka_unit_test(test_xml_sloppy_and_truncated_markup_keeps_the_text),
		cmocka_unit_test(test_xml_visible_attribute_values_get_their_own_line),
		cmocka_unit_test(test_xml_appends_to_existing_buffer_content),
		cmocka_unit_test(test_zip_sniff_recognises_local_header_and_empty_archive_only),
		cmocka_unit_test(test_non_zip_data_is_corrupt_and_yields_nothing),
		cmocka_unit_test(test_truncated_zip_is_corrupt_and_never_crashes),
		cmocka_unit_test(test_random_damage_never_crashes),
		cmocka_unit_test(test_damaged_entry_is_corrupt_and_the_next_entry_is_read),
		cmocka_unit_test(test_docx_phrase_split_across_runs_is_joined),
		cmocka_unit_test(test_docx_header_footer_comments_and_footnotes_are_scanned),
		cmocka_unit_test(test_docx_package_plumbing_and_binary_parts_are_skipped),
		cmocka_unit_test(test_docx_sensitivity_label_value_is_a_line_of_its_own),
		cmocka_unit_test(test_docx_core_properties_are_one_per_line),
		cmocka_unit_test(test_each_entry_gets_exactly_one_callback),
		cmocka_unit_test(test_xlsx_shared_inline_strings_and_numbers_are_read),
		cmocka_unit_test(test_xlsx_shared_strings_are_resolved_in_row_order_beside_their_numbers),
		cmocka_unit_test(test_xlsx_rich_text_runs_join_and_phonetic_runs_are_dropped),
		cmocka_unit_test(test_xlsx_inline_strings_and_formula_results_are_cells_of_their_row),
		cmocka_unit_test(test_xlsx_percent_formats_show_the_percentage),
		cmocka_unit_test(test_xlsx_header_footer_codes_are_not_text),
		cmocka_unit_test(test_xlsx_shared_string_index_out_of_range_is_skipped),
		cmocka_unit_test(test_xlsx_without_shared_strings_or_styles_reads_its_numbers),
		cmocka_unit_test(test_xlsx_cut_markup_keeps_what_was_read),
		cmocka_unit_test(test_xlsx_inside_a_zip_is_read_as_a_workbook),
		cmocka_unit_test(test_binary_members_of_a_plain_zip_go_to_file_fn),
		cmocka_unit_test(test_chart_values_are_read_as_the_chart_shows_them),
		cmocka_unit_test(test_xlsx_hostile_parts_never_crash),
		cmocka_unit_test(test_pptx_slide_and_speaker_notes_are_read),
		cmocka_unit_test(test_utf16_and_declared_charset_xml_parts_are_decoded),
		cmocka_unit_test(test_odt_paragraphs_spans_and_metadata_are_read),
		cmocka_unit_test(test_ods_cells_and_sheet_name_are_read),
		cmocka_unit_test(test_zip_inside_zip_is_opened_with_joined_member_path),
		cmocka_unit_test(test_docx_renamed_bin_inside_zip_is_recognised_by_content),
		cmocka_unit_test(test_text_members_arrive_as_utf8_whatever_their_charset),
		cmocka_unit_test(test_html_members_are_reduced_to_their_text),
		cmocka_unit_test(test_depth_limit_stops_nested_archives),
		cmocka_unit_test(test_depth_is_capped_even_when_the_caller_allows_more),
		cmocka_unit_test(test_budget_is_shared_across_nested_archives),
		cmocka_unit_test(test_nested_archive_spends_the_outer_budget),
		cmocka_unit_test(test_entry_limit_is_flagged_and_respected),
		cmocka_unit_test(test_callback_nonzero_stops_the_walk_and_is_returned),
		cmocka_unit_test(test_zip_bomb_is_cut_at_the_ratio_quickly),
		cmocka_unit_test(test_zip_bomb_is_cut_at_the_budget_when_ratio_is_lax),
		cmocka_unit_test(test_bomb_with_lying_sizes_is_still_cut_while_reading),
		cmocka_unit_test(test_encrypted_entry_is_flagged_and_skipped_others_read),
		cmocka_unit_test(test_password_protected_opendocument_is_flagged_encrypted),
		cmocka_unit_test(test_null_flags_and_null_limits_are_accepted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
