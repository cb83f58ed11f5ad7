/*
 * em_office - text of zip containers: Office Open XML (.docx/.xlsx/.pptx),
 * OpenDocument (.odt/.ods/.odp) and plain zip archives (zip inside zip).
 *
 * Owns: zip reading (libzip, from memory), recognising documents by content,
 * reducing their XML parts to text, and the limits that guard it (nesting,
 * compression ratio, total decompressed bytes, entry count).
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 */
#ifndef EM_OFFICE_H
#define EM_OFFICE_H

#include <stdbool.h>
#include <stddef.h>

#include "em_buf.h"

/* Is this the start of a zip archive (local file header "PK\3\4", or an
 * empty archive "PK\5\6")? */
bool em_zip_sniff(const void *data, size_t len);

/*
 * Finds the next zip archive inside data[0..len) at or after *from, by its
 * end-of-central-directory record (APPNOTE.TXT 4.3.16) whose central
 * directory ("PK\1\2") sits where the record says: a zip behind a stub (a
 * self-extractor, offsets relative to the archive or to the file), or the
 * second of two zips back to back. On success sets [*start, *end) to the
 * archive's bytes, moves *from past it and returns true. Zip64 archives are
 * not found this way (the caller falls back to reading from offset 0).
 */
bool em_zip_find(const void *data, size_t len, size_t *from, size_t *start, size_t *end);

struct em_zip_limits {
	size_t max_bytes;	/* total decompressed bytes allowed (budget) */
	unsigned max_ratio;	/* max uncompressed:compressed ratio per entry */
	unsigned max_depth;	/* zip-in-zip nesting still opened (1 = this one only) */
	unsigned max_entries;	/* entries per archive */
	bool report_names;	/* also call fn once per entry with its base name as text */
};

/* Why a container could not be fully read; bits, several may be set. */
enum em_zip_flag {
	EM_ZIP_ENCRYPTED = 1u << 0,	/* an entry is password-protected */
	EM_ZIP_CORRUPT = 1u << 1,	/* archive or entry unreadable */
	EM_ZIP_TOO_BIG = 1u << 2,	/* byte budget exhausted */
	EM_ZIP_RATIO = 1u << 3,		/* an entry exceeds max_ratio (bomb) */
	EM_ZIP_DEPTH = 1u << 4,		/* nesting deeper than max_depth */
	EM_ZIP_ENTRIES = 1u << 5,	/* more entries than max_entries */
};

/*
 * Called once per text unit found. `member` is the entry's path inside the
 * archive, nested archives joined with '/' ("inner.zip/word/document.xml").
 * `text` is UTF-8 (not yet normalized). A non-zero return stops the walk and
 * is passed back by em_zip_scan.
 */
typedef int (*em_zip_text_fn)(void *ctx, const char *member, const char *text, size_t len);

/*
 * Walks the archive in data[0..len): every .xml entry (document body, headers,
 * footers, footnotes, comments, slides, notes, docProps/custom.xml with its
 * MSIP_Label_*_Name values, content.xml/styles.xml/meta.xml of OpenDocument)
 * is reduced to text with em_xml_to_text; text-like entries (.txt .csv
 * .htm(l) .md .json ...) are passed on after charset sniffing; nested
 * archives are opened recursively within max_depth.
 * A workbook (an archive holding xl/workbook.xml) is read as its sheets show
 * (ECMA-376 Part 1, 18.3/18.4/18.8): xl/sharedStrings.xml and xl/styles.xml
 * are read first, then each xl/worksheets/ part is one text unit under its
 * own member name, one line per row ending in ";\n" (a sentence of its own
 * for em_fprint), cells joined by '\t': a shared-string cell is its string
 * (an index past the table shows nothing), an inline string its text, a
 * formula its cached value, a number the text of its <v> or, under a percent
 * format (built-in 9/10 or a code with an unquoted '%'), the percentage with
 * the format's decimals ("-0.032" under "0.0%" is "-3.2%"; under 0.0"%" the
 * '%' is text and 3.25 is "3.3%"); page header and
 * footer codes are dropped, their literal text kept. The shared strings no
 * cell showed come last, one a line, under xl/sharedStrings.xml. The
 * shared-string table lives while its archive is walked: under four times
 * the part's bytes (9 bytes an item of at least 5), which count against
 * max_bytes like any entry's.
 * Sets bits of enum em_zip_flag in *flags for anything not fully read.
 * Returns 0, the callback's non-zero value, or -1 out of memory.
 */
int em_zip_scan(const void *data, size_t len, const struct em_zip_limits *lim, em_zip_text_fn fn,
		void *ctx, unsigned *flags);

/*
 * Called once per binary member (neither text, XML nor an archive) that a
 * reader could open as a file: every such member of a plain archive (a PDF,
 * a .doc, an image or an Outlook .msg in a zipped "pack") and the objects
 * embedded in an Office or OpenDocument package (a path holding
 * "embeddings/"), but not a document's own images, fonts or binary parts.
 * `member` as for em_zip_text_fn; data[0..len) valid during the call. The
 * bytes count against max_bytes like any entry's. A non-zero return stops
 * the walk.
 */
typedef int (*em_zip_file_fn)(void *ctx, const char *member, const char *data, size_t len);

/* em_zip_scan, and binary members to file_fn (may be NULL: skipped, as
 * em_zip_scan does). */
int em_zip_scan_files(const void *data, size_t len, const struct em_zip_limits *lim,
		      em_zip_text_fn fn, em_zip_file_fn file_fn, void *ctx, unsigned *flags);

/*
 * Reduces an XML document to text: element content is kept, tags are removed
 * without a space (runs <w:r> of one word join up), while paragraph/cell/
 * break-like elements (w:p, w:br, w:tab, w:tc, a:p, a:br, text:p, text:h,
 * text:s, text:tab, text:line-break, table:table-cell, row, c, si, ...)
 * become a '\n'. Entities and character references are decoded.
 */
int em_xml_to_text(const char *in, size_t len, struct em_buf *out);

#endif
