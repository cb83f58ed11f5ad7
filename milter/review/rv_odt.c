/*
 * rv_odt - the breach report draft as an OpenDocument text file (.odt, ODF
 * 1.2 part 3 packaging: a zip whose first member is the uncompressed
 * "mimetype"), built in memory with libzip from em_report's markdown: "# "
 * and "## " lines become headings, "| a | b |" rows a two-column table (the
 * "|---|" rule dropped), other lines paragraphs; markdown escapes are undone
 * and everything is XML-escaped.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "rv.h"

void rv_xml_text(struct em_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\' && i + 1 < n && strchr("\\`*_{}[]()#+-.!|<>~", s[i + 1])) {
			c = (unsigned char)s[++i]; /* a markdown escape */
		}
		const char *ent =
		    c == '\'' ? NULL : rv_entity(c); /* ' is plain text in XML content */

		if (ent)
			em_buf_puts(b, ent);
		else if (c < 0x20 && c != '\t')
			em_buf_putc(b, ' ');
		else
			em_buf_putc(b, c);
	}
}

void rv_md_cells(struct em_buf *b, const char *line, size_t n,
		 void (*cell)(struct em_buf *b, const char *text, size_t len))
{
	size_t start = 1;

	for (size_t i = 1; i < n; i++) {
		if (line[i] == '|' && line[i - 1] != '\\') {
			size_t a = start, z = i;

			while (a < z && line[a] == ' ')
				a++;
			while (z > a && line[z - 1] == ' ')
				z--;
			cell(b, line + a, z - a);
			start = i + 1;
		}
	}
}

static void table_cell(struct em_buf *b, const char *s, size_t n)
{
	em_buf_puts(b, "<table:table-cell office:value-type=\"string\"><text:p>");
	rv_xml_text(b, s, n);
	em_buf_puts(b, "</text:p></table:table-cell>");
}

/* The cells of a "| a | b |" row, each written as a table cell. */
static void table_row(struct em_buf *b, const char *line, size_t n)
{
	em_buf_puts(b, "<table:table-row>");
	rv_md_cells(b, line, n, table_cell);
	em_buf_puts(b, "</table:table-row>");
}

static char *content_xml(const char *md)
{
	struct em_buf b = EM_BUF_INIT;
	bool in_table = false;
	int tables = 0;

	em_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content "
			"xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
			"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
			"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
			"office:version=\"1.2\"><office:body><office:text>");
	for (const char *p = md; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		bool row = n > 1 && p[0] == '|';

		if (in_table && !row) {
			em_buf_puts(&b, "</table:table>");
			in_table = false;
		}
		if (row) {
			if (!in_table)
				em_buf_printf(
				    &b,
				    "<table:table table:name=\"Table%d\"><table:table-column "
				    "table:number-columns-repeated=\"2\"/>",
				    ++tables);
			in_table = true;
			if (strncmp(p, "|---", 4) != 0)
				table_row(&b, p, n);
		} else if (n > 3 && strncmp(p, "## ", 3) == 0) {
			em_buf_puts(&b, "<text:h text:outline-level=\"2\">");
			rv_xml_text(&b, p + 3, n - 3);
			em_buf_puts(&b, "</text:h>");
		} else if (n > 2 && strncmp(p, "# ", 2) == 0) {
			em_buf_puts(&b, "<text:h text:outline-level=\"1\">");
			rv_xml_text(&b, p + 2, n - 2);
			em_buf_puts(&b, "</text:h>");
		} else if (n > 0) {
			em_buf_puts(&b, "<text:p>");
			rv_xml_text(&b, p, n);
			em_buf_puts(&b, "</text:p>");
		}
		p += n + (nl != NULL);
	}
	if (in_table)
		em_buf_puts(&b, "</table:table>");
	em_buf_puts(&b, "</office:text></office:body></office:document-content>\n");
	return em_buf_steal(&b);
}

static const char manifest[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest "
    "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
    "manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" "
    "manifest:version=\"1.2\" manifest:media-type=\"application/"
    "vnd.oasis.opendocument.text\"/><manifest:file-entry manifest:full-path=\"content.xml\" "
    "manifest:media-type=\"text/xml\"/></manifest:manifest>\n";
static const char mimetype[] = "application/vnd.oasis.opendocument.text";

static int add(zip_t *za, const char *name, const char *data, size_t len, bool store)
{
	zip_source_t *s = zip_source_buffer(za, data, len, 0);
	zip_int64_t i;

	if (s == NULL)
		return -1;
	if ((i = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		return -1;
	}
	return store ? zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0) : 0;
}

int rv_zip_build(const struct rv_zip_member *m, size_t n, struct em_buf *out)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	int rc = -1;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL)
		return -1;
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (add(za, m[i].name, m[i].data, strlen(m[i].data), m[i].store) < 0) {
			zip_discard(za);
			goto out;
		}
	if (zip_close(za) < 0) {
		zip_discard(za);
		goto out;
	}
	if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0)
		goto out;
	em_buf_reset(out);
	if (em_buf_reserve(out, (size_t)st.size) == 0 &&
	    zip_source_read(src, out->data, st.size) == (zip_int64_t)st.size) {
		out->len = (size_t)st.size;
		rc = 0;
	}
	zip_source_close(src);
out:
	zip_source_free(src);
	return rc;
}

int rv_odt_build(const char *markdown, struct em_buf *out)
{
	char *content = content_xml(markdown);
	int rc;

	if (content == NULL)
		return -1;
	rc =
	    rv_zip_build((const struct rv_zip_member[]){{"mimetype", mimetype, true},
							{"content.xml", content, false},
							{"META-INF/manifest.xml", manifest, false}},
			 3, out);
	free(content);
	return rc;
}
