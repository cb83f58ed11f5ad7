/*
 * rv_docx - the breach report draft as a Word document (.docx, Office Open
 * XML, ECMA-376 Part 1 WordprocessingML and Part 2 packaging), built in
 * memory with libzip from em_report's markdown, line by line as rv_odt.c:
 * "# " and "## " lines become Heading1/Heading2 paragraphs (styles defined
 * in word/styles.xml), "| a | b |" rows a two-column table (the "|---|"
 * rule dropped), other lines paragraphs; everything XML-escaped.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "rv.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

static void para(struct em_buf *b, const char *style, const char *s, size_t n)
{
	em_buf_puts(b, "<w:p>");
	if (style)
		em_buf_printf(b, "<w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
	em_buf_puts(b, "<w:r><w:t xml:space=\"preserve\">");
	rv_xml_text(b, s, n);
	em_buf_puts(b, "</w:t></w:r></w:p>");
}

static void table_cell(struct em_buf *b, const char *s, size_t n)
{
	em_buf_puts(b, "<w:tc><w:tcPr><w:tcW w:w=\"4500\" w:type=\"dxa\"/></w:tcPr>");
	para(b, NULL, s, n);
	em_buf_puts(b, "</w:tc>");
}

/* The cells of a "| a | b |" row. */
static void table_row(struct em_buf *b, const char *line, size_t n)
{
	em_buf_puts(b, "<w:tr>");
	rv_md_cells(b, line, n, table_cell);
	em_buf_puts(b, "</w:tr>");
}

static char *document_xml(const char *md)
{
	struct em_buf b = EM_BUF_INIT;
	bool in_table = false;

	em_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
			"<w:document xmlns:w=\"" W_NS "\"><w:body>");
	for (const char *p = md; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		bool row = n > 1 && p[0] == '|';

		if (in_table && !row) {
			/* a table must not end the cell flow without a paragraph after it */
			em_buf_puts(&b, "</w:tbl><w:p/>");
			in_table = false;
		}
		if (row) {
			if (!in_table)
				em_buf_puts(&b, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
						"<w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>"
						"<w:tblGrid><w:gridCol w:w=\"4500\"/>"
						"<w:gridCol w:w=\"4500\"/></w:tblGrid>");
			in_table = true;
			if (strncmp(p, "|---", 4) != 0)
				table_row(&b, p, n);
		} else if (n > 3 && strncmp(p, "## ", 3) == 0) {
			para(&b, "Heading2", p + 3, n - 3);
		} else if (n > 2 && strncmp(p, "# ", 2) == 0) {
			para(&b, "Heading1", p + 2, n - 2);
		} else if (n > 0) {
			para(&b, NULL, p, n);
		}
		p += n + (nl != NULL);
	}
	if (in_table)
		em_buf_puts(&b, "</w:tbl><w:p/>");
	em_buf_puts(&b, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" "
			"w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"708\" "
			"w:footer=\"708\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>\n");
	return em_buf_steal(&b);
}

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/></Types>\n";

static const char rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>\n";

static const char doc_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/></Relationships>\n";

static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"" W_NS "\">"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "<w:pPr><w:spacing w:after=\"120\"/></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
    "<w:pPr><w:keepNext/><w:spacing w:before=\"240\"/><w:outlineLvl w:val=\"0\"/></w:pPr>"
    "<w:rPr><w:b/><w:sz w:val=\"32\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
    "<w:pPr><w:keepNext/><w:spacing w:before=\"200\"/><w:outlineLvl w:val=\"1\"/></w:pPr>"
    "<w:rPr><w:b/><w:sz w:val=\"26\"/></w:rPr></w:style>"
    "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>"
    "<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
    "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
    "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
    "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
    "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
    "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
    "</w:tblBorders></w:tblPr></w:style></w:styles>\n";

int rv_docx_build(const char *markdown, struct em_buf *out)
{
	char *doc = document_xml(markdown);
	int rc;

	if (doc == NULL)
		return -1;
	rc = rv_zip_build(
	    (const struct rv_zip_member[]){{"[Content_Types].xml", content_types, false},
					   {"_rels/.rels", rels, false},
					   {"word/document.xml", doc, false},
					   {"word/_rels/document.xml.rels", doc_rels, false},
					   {"word/styles.xml", styles, false}},
	    5, out);
	free(doc);
	return rc;
}
