/*
 * em_office - text of zip containers: Office Open XML, OpenDocument and plain
 * zip archives, zip inside zip (see em_office.h for the contract).
 *
 * Owns: reading zips from memory with libzip (never a temporary file), telling
 * what each entry is by its content first and its name second, reducing XML
 * parts to text, converting text entries to UTF-8 (em_decode), and the guards:
 * nesting depth, entries per archive, a per-entry expansion ratio and a byte
 * budget shared by every archive of one scan. Sizes declared in zip headers
 * are only a hint: entries are read in chunks and cut off at the real limit,
 * so a lying header cannot make us allocate more than the budget.
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits;
 * every problem becomes a bit of enum em_zip_flag, out of memory is -1.
 *
 * Limits are taken literally (0 entries or 0 bytes allowed means none),
 * except that any entry may expand to RATIO_FLOOR bytes whatever its ratio:
 * tiny parts compress extremely well and are no bomb.
 * A password-protected OpenDocument file (encryption-data in its manifest)
 * counts as encrypted, like a zip entry with the encryption bit.
 * A workbook (.xlsx) is read as its sheets show, rows with their shared
 * strings and percentages (section SpreadsheetML); its shared strings and
 * styles are read before the other entries and held while it is walked.
 * Not handled: binary members (images, PDF, OLE .doc/.xls, vbaProject.bin)
 * are skipped, not scanned; data hidden outside the central directory.
 */
#define _GNU_SOURCE /* memmem */
#include "em_office.h"
#include "em_decode.h"
#include "em_text.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define SNIFF_BYTES 4096	/* read before deciding what an entry is */
#define CHUNK_BYTES 65536	/* one zip_fread */
#define RATIO_FLOOR 65536	/* any entry may expand this far */
#define HARD_DEPTH 32		/* whatever max_depth says: one recursion per level,
				 * on a milter thread's small stack (quine zips) */

/* Used when the caller passes no limits; mirrors EM_LIMITS_DEFAULT. */
static const struct em_zip_limits default_limits = {25u * 1024 * 1024, 100, 10, 100000, false};

/* ---- XML to text ----------------------------------------------------- */

enum xml_mode {
	XML_BLOCKS,	/* only paragraph-like elements break the text */
	XML_ALL,	/* every element breaks: metadata, no runs to join */
};

/* A name and its length (known at compile time: no strlen per tag). */
struct name {
	const char *s;
	size_t n;
};
#define NM(lit) {lit, sizeof(lit) - 1}

/*
 * Local names (prefix dropped, compared without case) whose start or end
 * makes a line break. Word/DrawingML/SpreadsheetML/ODF paragraphs, cells,
 * rows and breaks; footnotes and comments; chart points; custom properties;
 * the HTML block elements so .html members read the same way.
 */
static const struct name block_names[] = {
	NM("p"), NM("br"), NM("cr"), NM("tab"), NM("tc"), NM("tr"), NM("tbl"), NM("row"), NM("c"),
	NM("cell"), NM("si"), NM("f"), NM("v"), NM("pt"), NM("is"), NM("h"), NM("s"),
	NM("line-break"), NM("table-cell"), NM("covered-table-cell"), NM("table-row"),
	NM("list-item"), NM("note"), NM("note-citation"), NM("note-body"), NM("annotation"),
	NM("sp"), NM("txBody"), NM("comment"), NM("footnote"), NM("endnote"), NM("text"),
	NM("property"), NM("lpwstr"), NM("lpstr"), NM("bstr"), NM("title"), NM("subject"),
	NM("creator"), NM("description"), NM("keywords"), NM("keyword"), NM("category"),
	NM("lastModifiedBy"), NM("contentStatus"), NM("initial-creator"), NM("user-defined"),
	NM("div"), NM("td"), NM("th"), NM("li"), NM("ul"), NM("ol"), NM("dt"), NM("dd"), NM("h1"),
	NM("h2"), NM("h3"), NM("h4"), NM("h5"), NM("h6"), NM("table"), NM("hr"), NM("blockquote"),
	NM("pre"), NM("option"), NM("section"), NM("article"), NM("header"), NM("footer"),
};

/* Attributes whose value a reader sees: alt text, tooltips, ODF cell strings. */
static const struct name text_attrs[] = {NM("descr"), NM("title"), NM("tooltip"),
					 NM("string-value")};

/* Which folded first letters the names of each length have (bit k: 'a' + k):
 * one AND turns down most tags before a list is walked. Names are shorter
 * than NAME_FILTER_LEN and start with a letter. */
#define NAME_FILTER_LEN 24
static uint32_t block_filter[NAME_FILTER_LEN], attr_filter[NAME_FILTER_LEN];
static pthread_once_t filter_once = PTHREAD_ONCE_INIT;

static uint32_t first_bit(unsigned char c)
{
	c |= 32;
	return c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 0;
}

static void fill_filter(uint32_t *f, const struct name *set, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (set[i].n < NAME_FILTER_LEN)
			f[set[i].n] |= first_bit((unsigned char)set[i].s[0]);
}

static void filters_init(void)
{
	fill_filter(block_filter, block_names, sizeof(block_names) / sizeof(block_names[0]));
	fill_filter(attr_filter, text_attrs, sizeof(text_attrs) / sizeof(text_attrs[0]));
}

/* Is s[0..n) one of set[0..count), without case? filter: block_filter or
 * attr_filter for those two sets, else NULL. */
static bool name_in(const char *s, size_t n, const struct name *set, size_t count,
		    const uint32_t *filter)
{
	if (filter != NULL) {
		pthread_once(&filter_once, filters_init);
		if (n >= NAME_FILTER_LEN || !(filter[n] & first_bit((unsigned char)s[0])))
			return false;
	}
	if (n == 0)
		return false;
	for (size_t i = 0; i < count; i++)
		if (set[i].n == n && strncasecmp(s, set[i].s, n) == 0)
			return true;
	return false;
}

/* Local part of a qualified name s[0..n): what follows the last ':'. */
static const char *local_name(const char *s, size_t *n)
{
	const char *c = memchr(s, ':', *n);

	while (c != NULL) {
		*n -= (size_t)(c + 1 - s);
		s = c + 1;
		c = memchr(s, ':', *n);
	}
	return s;
}

static int put_break(struct em_buf *out)
{
	if (out->len == 0 || out->data[out->len - 1] == '\n')
		return 0;
	return em_buf_putc(out, '\n');
}

static int put_utf8(struct em_buf *out, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return em_buf_append(out, u, n);
}

/*
 * Decodes one reference at s[0] == '&'. Returns the bytes consumed, 0 when it
 * is not a reference we know (the caller keeps the '&' literally), or -1 out
 * of memory.
 */
static long put_entity(struct em_buf *out, const char *s, size_t n)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {
		{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
		{"nbsp", "\xC2\xA0"},
	};
	const char *semi;
	size_t len;

	semi = memchr(s, ';', n < 16 ? n : 16);
	if (semi == NULL)
		return 0;
	len = (size_t)(semi - s) - 1;	/* between '&' and ';' */
	if (len >= 2 && s[1] == '#') {
		unsigned long cp = 0;
		bool hex = s[2] == 'x' || s[2] == 'X';
		size_t i = hex ? 3 : 2;

		if (i > len)
			return 0;
		for (; i <= len; i++) {
			int d;
			char c = s[i];

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				return 0;
			cp = cp * (hex ? 16 : 10) + (unsigned long)d;
			if (cp > 0x10FFFF)
				return 0;
		}
		if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		return put_utf8(out, cp) < 0 ? -1 : (long)(len + 2);
	}
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strlen(named[i].name) == len && memcmp(s + 1, named[i].name, len) == 0)
			return em_buf_puts(out, named[i].text) < 0 ? -1 : (long)(len + 2);
	return 0;
}

/* Appends character data s[0..n) with references decoded. */
static int put_chars(struct em_buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0;

	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		long used;

		if (amp == NULL)
			break;
		i = (size_t)(amp - s);
		if (em_buf_append(out, s + run, i - run) < 0)
			return -1;
		used = put_entity(out, s + i, n - i);
		if (used < 0)
			return -1;
		if (used == 0) {
			if (em_buf_putc(out, '&') < 0)
				return -1;
			used = 1;
		}
		i += (size_t)used;
		run = i;
	}
	return em_buf_append(out, s + run, n - run);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Could s[0] start an element name? Otherwise a '<' is taken as text. */
static bool is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

/* Where the first occurrence of pat is in s[from..n), or n. */
static size_t find(const char *s, size_t n, size_t from, const char *pat)
{
	size_t m = strlen(pat);

	if (from > n)
		return n;
	for (const char *p = s + from; (size_t)(p - s) + m <= n; p++) {
		p = memchr(p, pat[0], n - (size_t)(p - s));
		if (p == NULL || (size_t)(p - s) + m > n)
			return n;
		if (memcmp(p, pat, m) == 0)
			return (size_t)(p - s);
	}
	return n;
}

/* End of a <!DOCTYPE ...> or other declaration starting at s[i]: quotes and
 * an internal subset [...] may contain '>'. */
static size_t skip_decl(const char *s, size_t n, size_t i)
{
	int depth = 0;
	char quote = 0;

	for (; i < n; i++) {
		char c = s[i];

		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '[') {
			depth++;
		} else if (c == ']') {
			depth--;
		} else if (c == '>' && depth <= 0) {
			return i + 1;
		}
	}
	return n;
}

/*
 * One attribute of the markup at s[i] (after a tag's name): blanks and '/'
 * skipped, a name up to a blank, '=', '>' or '/' into s[*an..*an + *alen),
 * then "= value" when present: quoted (the quotes dropped; '>' may stand
 * inside) or bare up to a blank or '>', into s[*vs..*ve). *vs == SIZE_MAX
 * when the attribute has no value. Returns the index after what was read;
 * i itself (or n) when s[i] is the tag's '>' or the markup ended.
 */
static size_t xml_attr(const char *s, size_t n, size_t i, size_t *an, size_t *alen, size_t *vs,
		       size_t *ve)
{
	*vs = *ve = SIZE_MAX;
	while (i < n && (is_space(s[i]) || s[i] == '/'))
		i++;
	*an = i;
	while (i < n && !is_space(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/')
		i++;
	*alen = i - *an;
	while (i < n && is_space(s[i]))
		i++;
	if (i >= n || s[i] != '=')
		return i;
	i++;
	while (i < n && is_space(s[i]))
		i++;
	if (i < n && (s[i] == '"' || s[i] == '\'')) {
		char q = s[i++];

		*vs = i;
		while (i < n && s[i] != q)
			i++;
		*ve = i;
		if (i < n)
			i++;
	} else {
		*vs = i;
		while (i < n && !is_space(s[i]) && s[i] != '>')
			i++;
		*ve = i;
	}
	return i;
}

/* One element tag as xtag_read found it: local name, raw attribute text. */
struct xtag {
	const char *name;
	size_t nlen;
	const char *attrs;
	size_t alen;
	bool end;	/* </name> */
	bool empty;	/* <name/> */
};

static bool xtag_is(const struct xtag *tg, const char *name)
{
	size_t n = strlen(name);

	return tg->nlen == n && strncasecmp(tg->name, name, n) == 0;
}

/* Reads the tag at s[i] == '<' into *tg; returns the index after it. A quoted
 * attribute value may hold '>'; cut markup ends at n. */
static size_t xtag_read(const char *s, size_t n, size_t i, struct xtag *tg)
{
	size_t start;
	char quote = 0;

	i++;
	tg->end = i < n && s[i] == '/';
	if (tg->end)
		i++;
	start = i;
	while (i < n && !is_space(s[i]) && s[i] != '>' && s[i] != '/')
		i++;
	tg->nlen = i - start;
	tg->name = local_name(s + start, &tg->nlen);
	tg->attrs = s + i;
	for (; i < n && (quote || s[i] != '>'); i++) {
		if (quote) {
			if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			quote = s[i];
		}
	}
	tg->alen = (size_t)(s + i - tg->attrs);
	tg->empty = tg->alen > 0 && tg->attrs[tg->alen - 1] == '/';
	return i < n ? i + 1 : n;
}

/* The raw value of attribute `want` (local name, any prefix) of *tg. */
static bool xtag_attr(const struct xtag *tg, const char *want, const char **v, size_t *vn)
{
	const char *s = tg->attrs;
	size_t n = tg->alen, i = 0, wl = strlen(want);

	while (i < n) {
		size_t an, alen, vs, ve, j = xml_attr(s, n, i, &an, &alen, &vs, &ve);
		const char *al;

		if (j == i)
			break; /* '>' (none stands unquoted in tg->attrs) */
		i = j;
		if (vs == SIZE_MAX)
			continue;
		al = local_name(s + an, &alen);
		if (alen == wl && strncasecmp(al, want, wl) == 0) {
			*v = s + vs;
			*vn = ve - vs;
			return true;
		}
	}
	return false;
}

/* A decimal attribute value; false when absent, not digits, or too large. */
static bool xtag_uint(const struct xtag *tg, const char *want, size_t *out)
{
	const char *v;
	size_t vn, r = 0;

	if (!xtag_attr(tg, want, &v, &vn) || vn == 0)
		return false;
	for (size_t i = 0; i < vn; i++) {
		if (v[i] < '0' || v[i] > '9' || r > (SIZE_MAX - 9) / 10)
			return false;
		r = r * 10 + (size_t)(v[i] - '0');
	}
	*out = r;
	return true;
}

struct xml_sax {
	int (*tag)(void *ctx, const struct xtag *tg);
	/* character data; raw: CDATA or a stray '<', no references to decode */
	int (*text)(void *ctx, const char *s, size_t n, bool raw);
	void *ctx;
};

/* Walks XML, handing tags and character data to *h: comments, processing
 * instructions and declarations are skipped, CDATA is raw text, a '<' that
 * cannot start a tag is a literal (sloppy markup). 0, or -1 from h. */
static int xml_events(const char *s, size_t n, const struct xml_sax *h)
{
	size_t i = 0;

	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		size_t t = lt ? (size_t)(lt - s) : n;

		if (t > i && h->text(h->ctx, s + i, t - i, false) < 0)
			return -1;
		i = t;
		if (i >= n)
			break;
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			i = find(s, n, i + 4, "-->");
			i = i < n ? i + 3 : n;
		} else if (n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
			size_t e = find(s, n, i + 9, "]]>");

			if (e > i + 9 && h->text(h->ctx, s + i + 9, e - (i + 9), true) < 0)
				return -1;
			i = e < n ? e + 3 : n;
		} else if (n - i >= 2 && s[i + 1] == '?') {
			i = find(s, n, i + 2, "?>");
			i = i < n ? i + 2 : n;
		} else if (n - i >= 2 && s[i + 1] == '!') {
			i = skip_decl(s, n, i + 2);
		} else if (n - i >= 2 && (s[i + 1] == '/' || is_name_start((unsigned char)s[i + 1]))) {
			struct xtag tg;

			i = xtag_read(s, n, i, &tg);
			if (h->tag(h->ctx, &tg) < 0)
				return -1;
		} else {
			/* "a < b" in sloppy markup: a literal '<'. */
			if (h->text(h->ctx, "<", 1, true) < 0)
				return -1;
			i++;
		}
	}
	return 0;
}

static int put_text(struct em_buf *b, const char *s, size_t n, bool raw)
{
	return raw ? em_buf_append(b, s, n) : put_chars(b, s, n);
}

struct text_p {
	enum xml_mode mode;
	struct em_buf *out;
	unsigned hidden; /* inside a formula or a number format code */
	/* a chart's cached numbers (<c:numCache>): their format code, and
	 * whether it shows a percentage (pct_decimals; -1 not) */
	char code[64];
	size_t ncode;
	bool in_code, in_v;
	int pct;
	char pre[16], suf[16]; /* the code's literal text around the number */
};

/*
 * The literal text a number format code's first section shows before and
 * after its number: quoted text ("\"£\"0.0\"bn\"" -> "£" and "bn"), an
 * escaped character (\£) and the currency of a [$£-809] locale tag; the
 * number itself is shown as cached (a chart caches 1.4, the axis shows
 * "£1.4bn"). Each is cut to fit its buffer at a character boundary.
 */
static void fmt_affixes(const char *c, size_t n, char *pre, char *suf, size_t cap)
{
	size_t np = 0, ns = 0;
	bool number = false;

	for (size_t i = 0; i < n && c[i] != ';'; i++) {
		const char *t = NULL;
		size_t tl = 0;

		if (c[i] == '"') {
			t = c + i + 1;
			while (i + 1 < n && c[i + 1] != '"')
				i++, tl++;
			i++;
		} else if (c[i] == '\\' && i + 1 < n) {
			t = c + ++i;
			tl = 1;
			while (i + 1 < n && ((unsigned char)c[i + 1] & 0xC0) == 0x80)
				i++, tl++;
		} else if (c[i] == '[' && i + 1 < n && c[i + 1] == '$') {
			t = c + i + 2;
			while (i + 2 + tl < n && c[i + 2 + tl] != '-' && c[i + 2 + tl] != ']')
				tl++;
			while (i + 1 < n && c[i] != ']')
				i++;
		} else if (c[i] == '0' || c[i] == '#' || c[i] == '?') {
			number = true;
			ns = 0; /* text between placeholders is not a suffix */
		}
		if (t == NULL)
			continue;
		char *dst = number ? suf : pre;
		size_t *len = number ? &ns : &np;
		for (size_t k = 0; k < tl;) { /* whole characters that fit */
			size_t cl = 1;
			while (k + cl < tl && ((unsigned char)t[k + cl] & 0xC0) == 0x80)
				cl++;
			if (*len + cl >= cap)
				break;
			memcpy(dst + *len, t + k, cl);
			*len += cl;
			k += cl;
		}
	}
	pre[np] = '\0';
	suf[ns] = '\0';
}

#define XL_PCT_LITERAL 16 /* pct_decimals: the '%' is literal text, no scaling */
static int pct_decimals(const char *c, size_t n);
static int put_percent(struct em_buf *out, const char *v, size_t n, int dec, bool scale);

/*
 * Elements whose text no reader sees: a formula (SpreadsheetML <f>, and a
 * chart's data reference <c:f>Sheet1!$B$2:$B$6</c:f>, ECMA-376 Part 1,
 * 21.2.2.65) and a number format code (<c:formatCode>0.0%</c:formatCode>):
 * the cached values beside them are what is shown. Read as text, "Sheet1!"
 * ended a sentence between a chart's series name and its values.
 */
static bool hidden_element(const char *name, size_t n)
{
	return (n == 1 && (*name == 'f' || *name == 'F')) ||
	       (n == 10 && strncasecmp(name, "formatCode", 10) == 0);
}

/* A tag of the text walk: breaks around block elements, and the values of
 * visible attributes (alt text, titles, sheet names, sensitivity labels). */
static int text_tag(void *ctx, const struct xtag *tg)
{
	struct text_p *p = ctx;
	const char *s = tg->attrs, *lname = tg->name;
	size_t n = tg->alen, llen = tg->nlen, i = 0;
	bool block = p->mode == XML_ALL ||
		     name_in(lname, llen, block_names, sizeof(block_names) / sizeof(block_names[0]),
			     block_filter);

	if (block && put_break(p->out) < 0)
		return -1;
	if (!tg->empty && hidden_element(lname, llen)) {
		if (!tg->end)
			p->hidden++;
		else if (p->hidden > 0)
			p->hidden--;
		if (llen == 10) { /* formatCode: kept for the values that follow */
			p->in_code = !tg->end;
			if (!tg->end)
				p->ncode = 0;
			else {
				p->pct = pct_decimals(p->code, p->ncode);
				fmt_affixes(p->code, p->ncode, p->pre, p->suf, sizeof(p->pre));
			}
		}
	} else if (llen == 1 && (*lname == 'v' || *lname == 'V')) {
		p->in_v = !tg->end && !tg->empty;
	} else if (tg->end && llen == 8 && strncasecmp(lname, "numCache", 8) == 0) {
		p->pct = -1;
		p->pre[0] = p->suf[0] = '\0';
	}
	while (i < n) {
		size_t an, alen, vs, ve, j = xml_attr(s, n, i, &an, &alen, &vs, &ve);
		const char *al;

		if (j == i)
			break;
		i = j;
		if (vs == SIZE_MAX)
			continue;
		al = local_name(s + an, &alen);
		if (ve > vs && (name_in(al, alen, text_attrs, sizeof(text_attrs) / sizeof(text_attrs[0]),
					attr_filter) ||
				(alen == 4 && strncasecmp(al, "name", 4) == 0 &&
				 ((llen == 5 && strncasecmp(lname, "sheet", 5) == 0) ||
				  (llen == 5 && strncasecmp(lname, "table", 5) == 0) ||
				  (llen == 8 && strncasecmp(lname, "property", 8) == 0))) ||
				/* sensitivity labels: docMetadata/LabelInfo.xml <clbl:label id=GUID> */
				(alen == 2 && strncasecmp(al, "id", 2) == 0 && llen == 5 &&
				 strncasecmp(lname, "label", 5) == 0))) {
			if (put_break(p->out) < 0 || put_chars(p->out, s + vs, ve - vs) < 0 ||
			    em_buf_putc(p->out, '\n') < 0)
				return -1;
		}
	}
	if (block && put_break(p->out) < 0)
		return -1;
	return 0;
}

static int text_chars(void *ctx, const char *s, size_t n, bool raw)
{
	struct text_p *p = ctx;

	if (p->in_code) {
		size_t k = n < sizeof(p->code) - p->ncode ? n : sizeof(p->code) - p->ncode;

		memcpy(p->code + p->ncode, s, k);
		p->ncode += k;
	}
	if (p->hidden)
		return 0;
	/* a chart value under a percent format is shown as the percentage:
	 * -0.032 under "0.0%" is "-3.2%" */
	if (p->in_v && p->pct >= 0) {
		int rc = put_percent(p->out, s, n, p->pct % XL_PCT_LITERAL, p->pct < XL_PCT_LITERAL);

		if (rc != 1)
			return rc;
	}
	if (p->in_v && (p->pre[0] || p->suf[0]))
		return put_chars(p->out, p->pre, strlen(p->pre)) < 0 ||
			       put_text(p->out, s, n, raw) < 0 ||
			       put_chars(p->out, p->suf, strlen(p->suf)) < 0
			   ? -1
			   : 0;
	return put_text(p->out, s, n, raw);
}

/* The text of an XML part: character data with references decoded, breaks
 * at block elements (mode), visible attribute values. 0, or -1 out of memory. */
static int xml_to_text(const char *s, size_t n, enum xml_mode mode, struct em_buf *out)
{
	struct text_p p = {.mode = mode, .out = out, .pct = -1};
	struct xml_sax h = {text_tag, text_chars, &p};

	return xml_events(s, n, &h);
}

int em_xml_to_text(const char *in, size_t len, struct em_buf *out)
{
	return xml_to_text(in, len, XML_BLOCKS, out);
}

/* ---- charsets ---------------------------------------------------------- */

/*
 * Checks UTF-8 strictly (no overlongs, surrogates or values past U+10FFFF).
 * Returns true when s[0..n) is valid, allowing one sequence cut short at the
 * very end (an entry cut off at a limit); *valid is the length to keep.
 */
static bool utf8_valid(const unsigned char *s, size_t n, size_t *valid)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		unsigned char lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			i++;
			/* ASCII (most of any XML) eight bytes at a time */
			while (n - i >= 8) {
				uint64_t x;

				memcpy(&x, s + i, 8);
				if (x & 0x8080808080808080ull)
					break;
				i += 8;
			}
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 3;
		else
			return false;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		else if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n) {
				*valid = i;
				return true;
			}
			if (s[i + j] < (j == 1 ? lo : 0x80) || s[i + j] > (j == 1 ? hi : 0xBF))
				return false;
		}
		i += k + 1;
	}
	*valid = n;
	return true;
}


/* Guesses BOM-less UTF-16 from where the NUL bytes sit: "LE", "BE" or NULL. */
static const char *guess_utf16(const unsigned char *s, size_t n)
{
	size_t even = 0, odd = 0, pairs;

	if (n > SNIFF_BYTES)
		n = SNIFF_BYTES;
	pairs = n / 2;
	if (pairs < 2)
		return NULL;
	for (size_t i = 0; i + 1 < n; i += 2) {
		even += s[i] == 0;
		odd += s[i + 1] == 0;
	}
	if (odd * 10 >= pairs * 4 && even * 10 <= pairs)
		return "UTF-16LE";
	if (even * 10 >= pairs * 4 && odd * 10 <= pairs)
		return "UTF-16BE";
	return NULL;
}

/* A UTF-16 charset name when s starts with a UTF-16 BOM or looks like
 * UTF-16; *skip is the BOM length. */
static const char *utf16_charset(const unsigned char *s, size_t n, size_t *skip)
{
	*skip = 0;
	if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
		*skip = 2;
		return "UTF-16LE";
	}
	if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		*skip = 2;
		return "UTF-16BE";
	}
	return guess_utf16(s, n);
}

/*
 * Converts text of unknown charset to UTF-8: UTF-16 (BOM or guessed), valid
 * UTF-8 as is (BOM dropped), `declared` when given and known, else
 * windows-1252. Returns 0 or -1 out of memory.
 */
static int to_utf8(const char *s, size_t n, const char *declared, struct em_buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *cs;
	size_t skip, keep;
	bool lossy = false;

	/* the conversions themselves are em_decode's; only the sniffing is ours */
	cs = utf16_charset(u, n, &skip);
	if (cs != NULL)
		return em_charset_to_utf8(cs, s + skip, n - skip, out, &lossy);
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		s += 3;
		u += 3;
		n -= 3;
	}
	if (utf8_valid(u, n, &keep))
		return em_buf_append(out, s, keep);
	return em_charset_to_utf8(declared && *declared ? declared : NULL, s, n, out, &lossy);
}

/* The encoding="..." of an XML declaration at the start of s, into cs. */
static void xml_declared_charset(const char *s, size_t n, char *cs, size_t cssz)
{
	size_t end, at, i = 0;

	cs[0] = '\0';
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if (n - i < 5 || memcmp(s + i, "<?xml", 5) != 0)
		return;
	end = find(s, n, i, "?>");
	at = find(s, end, i, "encoding");
	if (at >= end)
		return;
	at += 8;
	while (at < end && (is_space(s[at]) || s[at] == '='))
		at++;
	if (at >= end || (s[at] != '"' && s[at] != '\''))
		return;
	at++;
	for (i = 0; at < end && s[at] != '"' && s[at] != '\'' && i + 1 < cssz; at++) {
		char c = s[at];

		/* A plain charset name, nothing else (it ends up in iconv_open). */
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == ':')) {
			cs[0] = '\0';
			return;
		}
		cs[i++] = c;
	}
	cs[i] = '\0';
	if (at >= end || (s[at] != '"' && s[at] != '\''))
		cs[0] = '\0';	/* too long to be a charset name: ignore it */
}

/* ---- what an entry is -------------------------------------------------- */

enum kind {
	K_SKIP,		/* package plumbing: [Content_Types].xml, *.rels */
	K_XML,		/* document parts: paragraph-aware */
	K_XML_META,	/* metadata parts: one line per element */
	K_HTML,
	K_TEXT,
	K_SNIFF,	/* unknown name: decided by content */
};

static bool has_ext(const char *base, const char *ext)
{
	const char *dot = strrchr(base, '.');

	return dot != NULL && strcasecmp(dot + 1, ext) == 0;
}

static bool has_part(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	for (const char *p = path; *p; p++)
		if ((p == path || p[-1] == '/' || p[-1] == '\\') && strncasecmp(p, dir, n) == 0)
			return true;
	return false;
}

static enum kind kind_by_name(const char *name)
{
	static const char *const text_ext[] = {"txt", "csv", "tsv", "md", "json", "eml", "log",
					       "ini", "yaml", "yml", "rtf", "tex", "text"};
	const char *base = name, *p;

	for (p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (strcasecmp(base, "[Content_Types].xml") == 0 || has_ext(base, "rels"))
		return K_SKIP;
	if (has_ext(base, "xml") || has_ext(base, "vml") || has_ext(base, "svg") || has_ext(base, "rdf")) {
		if (has_part(name, "docProps/") || has_part(name, "customXml/") ||
		    has_part(name, "docMetadata/") ||
		    has_part(name, "META-INF/") || strcasecmp(base, "meta.xml") == 0 ||
		    strcasecmp(base, "settings.xml") == 0 || strcasecmp(base, "manifest.xml") == 0)
			return K_XML_META;
		return K_XML;
	}
	if (has_ext(base, "htm") || has_ext(base, "html") || has_ext(base, "xhtml"))
		return K_HTML;
	for (size_t i = 0; i < sizeof(text_ext) / sizeof(text_ext[0]); i++)
		if (has_ext(base, text_ext[i]))
			return K_TEXT;
	return K_SNIFF;
}

static unsigned long le32(const unsigned char *p)
{
	return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
	       (unsigned long)p[3] << 24;
}

bool em_zip_find(const void *data, size_t len, size_t *from, size_t *start, size_t *end)
{
	const unsigned char *d = data;
	size_t at = *from;

	while (at + 22 <= len) {
		const unsigned char *e = memmem(d + at, len - at, "PK\5\6", 4);
		size_t eo, cd_size, cd_off, cd_start, clen;

		if (e == NULL || (size_t)(e - d) + 22 > len)
			return false;
		eo = (size_t)(e - d);
		at = eo + 4;
		cd_size = le32(e + 12);
		cd_off = le32(e + 16);
		clen = (size_t)e[20] | (size_t)e[21] << 8;
		if (cd_size > eo)
			continue;
		cd_start = eo - cd_size;
		if (cd_size && memcmp(d + cd_start, "PK\1\2", 4) != 0)
			continue;
		if (cd_off > cd_start)
			continue;
		*start = cd_start - cd_off;
		if (*start < *from)
			*start = *from;	/* never overlap the archive before */
		*end = eo + 22 + clen <= len ? eo + 22 + clen : len;
		*from = *end;
		return true;
	}
	return false;
}

bool em_zip_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;

	return len >= 4 && p[0] == 'P' && p[1] == 'K' &&
	       ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

/* Does the start of an unknown entry look like text (not an image, font,
 * OLE file, ...)? Control bytes and NULs outside UTF-16 mean binary. */
static bool looks_text(const unsigned char *s, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
	} bin[] = {
		{"%PDF", 4}, {"\x89PNG", 4}, {"GIF8", 4}, {"\xFF\xD8\xFF", 3},
		{"\xD0\xCF\x11\xE0", 4}, {"\x1F\x8B", 2}, {"Rar!", 4}, {"7z\xBC\xAF", 4},
		{"BM", 2}, {"II*\0", 4}, {"MM\0*", 4}, {"OTTO", 4}, {"wOFF", 4},
	};
	size_t skip, ctl = 0;

	for (size_t i = 0; i < sizeof(bin) / sizeof(bin[0]); i++)
		if (n >= bin[i].len && memcmp(s, bin[i].magic, bin[i].len) == 0)
			return false;
	if (utf16_charset(s, n, &skip) != NULL)
		return true;
	if (n > SNIFF_BYTES)
		n = SNIFF_BYTES;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == 0)
			return false;
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' &&
		     s[i] != 0x1B) || s[i] == 0x7F)
			ctl++;
	}
	return ctl * 100 <= n;
}

/* Does UTF-8 text start (after blanks) like markup? */
static bool looks_markup(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_space(s[i]))
		i++;
	return n - i >= 2 && s[i] == '<' &&
	       (s[i + 1] == '?' || s[i + 1] == '!' || is_name_start((unsigned char)s[i + 1]));
}

/*
 * A password-protected OpenDocument file is an ordinary zip whose parts are
 * ciphertext; only its manifest says so, with <manifest:encryption-data>.
 */
static bool odf_encrypted(const char *name, const struct em_buf *raw)
{
	const char *base = strrchr(name, '/');

	base = base ? base + 1 : name;
	return strcasecmp(base, "manifest.xml") == 0 && raw->len > 0 &&
	       find(raw->data, raw->len, 0, "encryption-data") < raw->len;
}

/* ---- SpreadsheetML -------------------------------------------------------- */

/*
 * A workbook (.xlsx, .xlsm) is read as a person sees it (ECMA-376 Part 1,
 * 18.3 worksheets, 18.4 shared strings, 18.8 styles): each worksheet row is
 * one line, its cells joined by a tab and the line ended by XL_ROW_END, a
 * cell of type "s" being the shared string it indexes, a number the text of
 * its <v> or, under a percent number format, the percentage shown. A row is
 * then one sentence for em_fprint (sentence_of stops at ';'), so a figure's
 * context words are its row label, not the rows around it. Page header and
 * footer codes are dropped, their literal text kept.
 */
#define XL_ROW_END ";\n"
#define XL_DIGITS 40	/* significant digits of a <v> number we reformat */

struct xl {
	bool on;		/* the archive holds xl/workbook.xml */
	zip_int64_t sst_idx;	/* entry index of xl/sharedStrings.xml, or -1 */
	zip_int64_t styles_idx;	/* entry index of xl/styles.xml, or -1 */
	char *sst_name;		/* the shared strings' member name as stored */
	struct em_buf sst;	/* the shared strings' text, back to back */
	size_t *off;		/* item i is sst.data[off[i]..off[i + 1]) */
	size_t nstr, capstr;	/* items, and room in off (capstr + 1 slots) */
	unsigned char *used;	/* per item: some cell showed it */
	signed char *pct;	/* per cellXfs entry: pct_decimals of its format */
	size_t nxf;
};

static void xl_free(struct xl *x)
{
	free(x->sst_name);
	em_buf_free(&x->sst);
	free(x->off);
	free(x->used);
	free(x->pct);
}

/* Depth counter of a non-empty element: up at its start, down at its end. */
static void depth(int *d, const struct xtag *tg)
{
	if (tg->empty)
		return;
	if (!tg->end)
		(*d)++;
	else if (*d > 0)
		(*d)--;
}

/* -- shared strings: <sst><si><t>..</t></si><si><r><t>..</t></r><rPh>..</rPh></si> */

struct sst_p {
	struct xl *x;
	bool open;	/* inside an <si> */
	int in_t, in_rph;
};

static int sst_close(struct sst_p *p)
{
	struct xl *x = p->x;

	if (!p->open)
		return 0;
	p->open = false;
	if (x->nstr == x->capstr) {
		size_t cap = x->capstr ? x->capstr * 2 : 64;
		size_t *v = realloc(x->off, (cap + 1) * sizeof(*v));

		if (v == NULL)
			return -1;
		x->off = v;
		x->capstr = cap;
	}
	if (x->nstr == 0)
		x->off[0] = 0;
	x->off[++x->nstr] = x->sst.len;
	return 0;
}

static int sst_tag(void *ctx, const struct xtag *tg)
{
	struct sst_p *p = ctx;

	if (xtag_is(tg, "si")) {
		if (sst_close(p) < 0)
			return -1;
		/* an item ends at </si>, at the next <si> when cut, or is <si/> */
		if (!tg->end) {
			p->open = true;
			p->in_t = p->in_rph = 0;
			if (tg->empty)
				return sst_close(p);
		}
	} else if (p->open && xtag_is(tg, "rPh")) {
		depth(&p->in_rph, tg);
	} else if (p->open && xtag_is(tg, "t")) {
		depth(&p->in_t, tg);
	}
	return 0;
}

static int sst_text(void *ctx, const char *s, size_t n, bool raw)
{
	struct sst_p *p = ctx;

	if (!p->open || p->in_t == 0 || p->in_rph > 0)
		return 0;
	return put_text(&p->x->sst, s, n, raw);
}

/* Reads the items of xl/sharedStrings.xml (UTF-8) into x. */
static int xl_read_sst(struct xl *x, const char *s, size_t n)
{
	struct sst_p p = {x, false, 0, 0};
	struct xml_sax h = {sst_tag, sst_text, &p};

	if (xml_events(s, n, &h) < 0 || sst_close(&p) < 0)
		return -1;
	free(x->used);
	x->used = calloc(x->nstr ? x->nstr : 1, 1);
	return x->used == NULL ? -1 : 0;
}

/* -- styles: <numFmts><numFmt numFmtId formatCode/></numFmts>, <cellXfs><xf numFmtId/></cellXfs> */

/*
 * The decimals a number format code shows when its first section is a
 * percentage: an unquoted '%' (the value is shown times 100), or
 * XL_PCT_LITERAL plus the decimals when the '%' is only literal text ("%"
 * quoted or \% escaped: 3.2 under 0.0"%" shows "3.2%"); else -1. Quoted
 * text, an escaped character \c, _c and *c, and [colour/condition]
 * brackets are no placeholders; a code with no placeholder shows no number.
 */
static int pct_decimals(const char *c, size_t n)
{
	int dec = -1, after_point = 0;
	bool pct = false, literal = false, point = false, digits = false;

	for (size_t i = 0; i < n && c[i] != ';'; i++) {
		switch (c[i]) {
		case '"':
			while (i + 1 < n && c[i + 1] != '"')
				literal |= c[++i] == '%';
			i++;
			break;
		case '\\':
			literal |= i + 1 < n && c[i + 1] == '%';
			i++;
			break;
		case '_':
		case '*':
			i++;
			break;
		case '[':
			while (i + 1 < n && c[i + 1] != ']')
				i++;
			i++;
			break;
		case '%':
			pct = true;
			break;
		case '.':
			point = true;
			break;
		case '0':
		case '#':
		case '?':
			digits = true;
			if (point && after_point < 15)
				after_point++;
			break;
		default:
			if (point && after_point > 0)
				point = false;	/* "0.0 x 0": later placeholders are not decimals */
			break;
		}
	}
	if (!digits)
		dec = -1;	/* no number shown at all */
	else if (pct)
		dec = after_point;
	else if (literal)
		dec = XL_PCT_LITERAL + after_point;
	return dec;
}

struct fmt {
	size_t id;
	int dec;
};

struct styles_p {
	struct fmt *fmts;
	size_t nfmts, capfmts;
	size_t *xfs;		/* numFmtId of each cellXfs entry */
	size_t nxf, capxf;
	int in_numfmts, in_cellxfs;
	struct em_buf code;
};

static int push_size(size_t **v, size_t *n, size_t *cap, size_t val)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		size_t *p = realloc(*v, c * sizeof(*p));

		if (p == NULL)
			return -1;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = val;
	return 0;
}

static int styles_tag(void *ctx, const struct xtag *tg)
{
	struct styles_p *p = ctx;
	const char *v;
	size_t vn, id = 0;

	if (xtag_is(tg, "numFmts")) {
		depth(&p->in_numfmts, tg);
	} else if (xtag_is(tg, "cellXfs")) {
		depth(&p->in_cellxfs, tg);
	} else if (!tg->end && p->in_cellxfs > 0 && xtag_is(tg, "xf")) {
		(void)xtag_uint(tg, "numFmtId", &id);	/* absent: 0, General */
		return push_size(&p->xfs, &p->nxf, &p->capxf, id);
	} else if (!tg->end && p->in_numfmts > 0 && xtag_is(tg, "numFmt") &&
		   xtag_uint(tg, "numFmtId", &id) && xtag_attr(tg, "formatCode", &v, &vn)) {
		if (p->nfmts == p->capfmts) {
			size_t c = p->capfmts ? p->capfmts * 2 : 16;
			struct fmt *f = realloc(p->fmts, c * sizeof(*f));

			if (f == NULL)
				return -1;
			p->fmts = f;
			p->capfmts = c;
		}
		em_buf_reset(&p->code);
		if (put_chars(&p->code, v, vn) < 0)
			return -1;
		p->fmts[p->nfmts].id = id;
		p->fmts[p->nfmts++].dec = pct_decimals(p->code.data ? p->code.data : "", p->code.len);
	}
	return 0;
}

static int styles_text(void *ctx, const char *s, size_t n, bool raw)
{
	return 0;
}

/* Reads which cell formats of xl/styles.xml (UTF-8) show a percentage. */
static int xl_read_styles(struct xl *x, const char *s, size_t n)
{
	struct styles_p p = {0};
	struct xml_sax h = {styles_tag, styles_text, &p};
	int rc = -1;

	p.code = (struct em_buf)EM_BUF_INIT;
	if (xml_events(s, n, &h) < 0)
		goto out;
	free(x->pct);
	x->nxf = 0;
	if ((x->pct = malloc(p.nxf ? p.nxf : 1)) == NULL)
		goto out;
	for (size_t i = 0; i < p.nxf; i++) {
		size_t id = p.xfs[i];
		int dec = id == 9 ? 0 : id == 10 ? 2 : -1;	/* built-in "0%", "0.00%" */

		for (size_t k = 0; k < p.nfmts; k++)
			if (p.fmts[k].id == id)
				dec = p.fmts[k].dec;
		x->pct[i] = (signed char)dec;
	}
	x->nxf = p.nxf;
	rc = 0;
out:
	free(p.fmts);
	free(p.xfs);
	em_buf_free(&p.code);
	return rc;
}

/*
 * Appends the number v[0..n) as written in a <v> ([-]digits[.digits]
 * [E[+-]digits]), times 100 when `scale`, rounded half away from zero to
 * `dec` decimals, and a '%'. Decimal arithmetic on the digits, so 0.0325 is "3.3%" as a
 * spreadsheet shows it, never the "3.2%" of a binary double. Returns 0, 1
 * when v is no such number (nothing appended), or -1 out of memory.
 */
static int put_percent(struct em_buf *out, const char *v, size_t n, int dec, bool scale)
{
	char d[XL_DIGITS + 1], r[XL_DIGITS + 48];
	size_t nd = 0, i = 0, rn;
	long e = scale ? 2 : 0;	/* value = d * 10^e */
	bool neg = false, any = false;

	if (i < n && (v[i] == '-' || v[i] == '+'))
		neg = v[i++] == '-';
	for (bool point = false; i < n; i++) {
		if (v[i] == '.' && !point) {
			point = true;
		} else if (v[i] >= '0' && v[i] <= '9') {
			any = true;
			if (nd == 0 && v[i] == '0') {
				e -= point;	/* a leading zero only moves the point */
				continue;
			}
			if (nd == XL_DIGITS)
				return 1;
			d[nd++] = v[i];
			e -= point;
		} else {
			break;
		}
	}
	if (!any)
		return 1;
	if (i < n && (v[i] == 'E' || v[i] == 'e')) {
		long x = 0;
		bool xneg = false;

		i++;
		if (i < n && (v[i] == '-' || v[i] == '+'))
			xneg = v[i++] == '-';
		if (i >= n)
			return 1;
		for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
			if ((x = x * 10 + (v[i] - '0')) > 400)
				return 1;
		e += xneg ? -x : x;
	}
	if (i != n)
		return 1;
	/* r: the value times 10^dec, rounded to an integer */
	if (nd == 0) {
		rn = 0;
	} else if (e + dec >= 0) {
		if ((size_t)(e + dec) + nd > sizeof(r) - 1)
			return 1;
		memcpy(r, d, nd);
		memset(r + nd, '0', (size_t)(e + dec));
		rn = nd + (size_t)(e + dec);
	} else {
		size_t drop = (size_t)-(e + dec);
		bool up;

		if (drop > nd) {
			rn = 0;
		} else {
			rn = nd - drop;
			up = d[rn] >= '5';
			memcpy(r + 1, d, rn);	/* r[0]: room for a carry */
			r[0] = '0';
			for (size_t k = rn + 1; up && k-- > 0;) {
				up = r[k] == '9';
				r[k] = up ? '0' : (char)(r[k] + 1);
			}
			rn++;
		}
	}
	/* at least dec + 1 digits, so there is a digit before the point */
	{
		char o[XL_DIGITS + 112];
		size_t on = 0, lead = 0, width;

		while (lead + 1 < rn && r[lead] == '0')
			lead++;
		if (rn == 0 || (rn - lead == 1 && r[lead] == '0')) {
			rn = 0;
			lead = 0;
			neg = false;	/* "0.0%", not "-0.0%" */
		}
		width = rn - lead > (size_t)dec + 1 ? rn - lead : (size_t)dec + 1;
		if (neg)
			o[on++] = '-';
		for (size_t k = 0; k < width; k++) {
			size_t have = rn - lead;

			if (k == width - (size_t)dec && dec > 0)
				o[on++] = '.';
			o[on++] = k + have < width ? '0' : r[lead + k - (width - have)];
		}
		o[on++] = '%';
		return em_buf_append(out, o, on) < 0 ? -1 : 0;
	}
}

/*
 * Appends the literal text of a page header or footer (18.3.1.39
 * headerFooter and its codes: "&L", "&C", "&R" open a section, "&P", "&N",
 * "&D", "&T", "&A", "&F", "&Z", "&G" are fields, "&B" ... toggles,
 * "&\"font,style\"", "&12" a size, "&K" a colour; "&&" is '&'). Sections are
 * separated by a tab.
 */
static int put_header_footer(struct em_buf *out, const char *s, size_t n)
{
	size_t start = out->len;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '&') {
			if (em_buf_putc(out, s[i]) < 0)
				return -1;
			continue;
		}
		if (++i >= n)
			break;
		if (s[i] == '&') {
			if (em_buf_putc(out, '&') < 0)
				return -1;
		} else if (s[i] == '"') {
			while (i + 1 < n && s[i + 1] != '"')
				i++;
			i++;
		} else if (s[i] >= '0' && s[i] <= '9') {
			while (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
				i++;
		} else if (s[i] == 'K') {
			/* RRGGBB, or a theme colour "TT+SSS" */
			for (int k = 0; k < 6 && i + 1 < n &&
					(is_name_start((unsigned char)s[i + 1]) || s[i + 1] == '+' ||
					 s[i + 1] == '-' || (s[i + 1] >= '0' && s[i + 1] <= '9'));
			     k++)
				i++;
		} else if ((s[i] == 'L' || s[i] == 'C' || s[i] == 'R') && out->len > start &&
			   out->data[out->len - 1] != '\t') {
			if (em_buf_putc(out, '\t') < 0)
				return -1;
		}
	}
	while (out->len > start && (is_space(out->data[out->len - 1])))
		out->data[--out->len] = '\0';
	return 0;
}

/* -- worksheets: <sheetData><row><c r t s><f/><v/><is/></c></row></sheetData> */

struct sheet_p {
	struct xl *x;
	struct em_buf *out;
	struct em_buf val;	/* the text of the cell's <v> or <is> */
	struct em_buf f;	/* its formula, shown when it has no value */
	struct em_buf hf;	/* a header or footer in hand */
	int in_c, in_v, in_f, in_is, in_t, in_rph, in_hf, in_part;
	char type[10];		/* the cell's t attribute */
	size_t style;		/* its s attribute */
	bool row_open;
	size_t cells;		/* cells written on the row's line */
};

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

static int row_end(struct sheet_p *p)
{
	int rc = 0;

	if (p->cells > 0)
		rc = em_buf_puts(p->out, XL_ROW_END);
	p->row_open = false;
	p->cells = 0;
	return rc;
}

static int cell_end(struct sheet_p *p)
{
	struct xl *x = p->x;
	const char *v = p->val.data ? p->val.data : "";
	size_t n = p->val.len, k = 0;
	size_t before = p->out->len;
	int rc = 0;

	if (!p->in_c)
		return 0;
	p->in_c = p->in_v = p->in_f = p->in_is = p->in_t = p->in_rph = 0;
	trim(&v, &n);
	if (n == 0) {
		v = p->f.data ? p->f.data : "";
		n = p->f.len;
		trim(&v, &n);
		if (n == 0)
			return 0;
	} else if (strcmp(p->type, "s") == 0) {
		/* an index past the table (or not a number) shows nothing */
		for (size_t i = 0; i < n; i++) {
			if (v[i] < '0' || v[i] > '9' || k > (SIZE_MAX - 9) / 10)
				return 0;
			k = k * 10 + (size_t)(v[i] - '0');
		}
		if (k >= x->nstr)
			return 0;
		x->used[k] = 1;
		n = x->off[k + 1] - x->off[k];
		if (n == 0)
			return 0;
		v = x->sst.data + x->off[k];
	}
	if (!p->row_open)
		p->row_open = true;	/* a cell outside <row>: a line of its own */
	if (p->cells > 0 && em_buf_putc(p->out, '\t') < 0)
		return -1;
	if ((p->type[0] == '\0' || strcmp(p->type, "n") == 0) && p->style < x->nxf &&
	    x->pct[p->style] >= 0 && p->val.len > 0)
		rc = put_percent(p->out, v, n, x->pct[p->style] % XL_PCT_LITERAL,
				 x->pct[p->style] < XL_PCT_LITERAL);
	else
		rc = 1;
	if (rc == 1)
		rc = em_buf_append(p->out, v, n);
	if (rc == 0 && p->out->len > before)
		p->cells++;
	return rc < 0 ? -1 : 0;
}

static int part_end(struct sheet_p *p)
{
	size_t at = p->out->len;

	p->in_part = 0;
	if (p->hf.len == 0)
		return 0;
	if (put_header_footer(p->out, p->hf.data, p->hf.len) < 0)
		return -1;
	em_buf_reset(&p->hf);
	if (p->out->len > at && em_buf_puts(p->out, XL_ROW_END) < 0)
		return -1;
	return 0;
}

static bool is_hf_part(const struct xtag *tg)
{
	static const struct name parts[] = {NM("oddHeader"),   NM("oddFooter"),
					    NM("evenHeader"),  NM("evenFooter"),
					    NM("firstHeader"), NM("firstFooter")};

	return name_in(tg->name, tg->nlen, parts, sizeof(parts) / sizeof(parts[0]), NULL);
}

static int sheet_tag(void *ctx, const struct xtag *tg)
{
	struct sheet_p *p = ctx;
	const char *v;
	size_t vn;

	if (p->in_hf > 0 || xtag_is(tg, "headerFooter")) {
		if (xtag_is(tg, "headerFooter")) {
			depth(&p->in_hf, tg);
			if (p->in_hf == 0 && p->in_part)
				return part_end(p);
		} else if (is_hf_part(tg) && !tg->empty) {
			if (p->in_part && part_end(p) < 0)
				return -1;
			p->in_part = !tg->end;
		}
		return 0;
	}
	if (xtag_is(tg, "row")) {
		if (cell_end(p) < 0 || row_end(p) < 0)
			return -1;
		p->row_open = !tg->end && !tg->empty;
	} else if (xtag_is(tg, "c")) {
		if (cell_end(p) < 0)
			return -1;
		if (tg->end || tg->empty)
			return 0;
		p->in_c = 1;
		em_buf_reset(&p->val);
		em_buf_reset(&p->f);
		p->type[0] = '\0';
		if (xtag_attr(tg, "t", &v, &vn) && vn < sizeof(p->type)) {
			memcpy(p->type, v, vn);
			p->type[vn] = '\0';
		}
		if (!xtag_uint(tg, "s", &p->style))
			p->style = 0;
	} else if (p->in_c && xtag_is(tg, "v")) {
		depth(&p->in_v, tg);
	} else if (p->in_c && xtag_is(tg, "f")) {
		depth(&p->in_f, tg);
	} else if (p->in_c && xtag_is(tg, "is")) {
		depth(&p->in_is, tg);
	} else if (p->in_is && xtag_is(tg, "t")) {
		depth(&p->in_t, tg);
	} else if (p->in_is && xtag_is(tg, "rPh")) {
		depth(&p->in_rph, tg);
	} else if (!tg->end && !p->in_c && xtag_attr(tg, "tooltip", &v, &vn) && vn > 0) {
		/* a hyperlink's tooltip is shown on the sheet */
		if (cell_end(p) < 0 || row_end(p) < 0 || put_chars(p->out, v, vn) < 0 ||
		    em_buf_puts(p->out, XL_ROW_END) < 0)
			return -1;
	}
	return 0;
}

static int sheet_text(void *ctx, const char *s, size_t n, bool raw)
{
	struct sheet_p *p = ctx;

	if (p->in_hf > 0)
		return p->in_part ? put_text(&p->hf, s, n, raw) : 0;
	if (!p->in_c)
		return 0;
	if (p->in_v)
		return put_text(&p->val, s, n, raw);
	if (p->in_is && p->in_t && !p->in_rph)
		return put_text(&p->val, s, n, raw);
	if (p->in_f)
		return put_text(&p->f, s, n, raw);
	return 0;
}

/* Appends the text of a worksheet (UTF-8) as its rows read. */
static int xl_sheet_to_text(struct xl *x, const char *s, size_t n, struct em_buf *out)
{
	struct sheet_p p = {.x = x, .out = out};
	struct xml_sax h = {sheet_tag, sheet_text, &p};
	int rc = -1;

	p.val = p.f = p.hf = (struct em_buf)EM_BUF_INIT;
	/* cut markup: what is open still shows */
	if (xml_events(s, n, &h) == 0 && cell_end(&p) == 0 && row_end(&p) == 0 &&
	    (!p.in_part || part_end(&p) == 0))
		rc = 0;
	em_buf_free(&p.val);
	em_buf_free(&p.f);
	em_buf_free(&p.hf);
	return rc;
}

/* Is member `name` a sheet of cells (worksheets, macro and dialog sheets)? */
static bool xl_is_sheet(const char *name)
{
	static const char *const dirs[] = {"xl/worksheets/", "xl/macrosheets/", "xl/dialogsheets/"};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t n = strlen(dirs[i]);

		if (strncasecmp(name, dirs[i], n) == 0 && strchr(name + n, '/') == NULL &&
		    has_ext(name + n, "xml"))
			return true;
	}
	return false;
}

/* ---- the walk ---------------------------------------------------------- */

struct walk {
	const struct em_zip_limits *lim;
	em_zip_text_fn fn;
	em_zip_file_fn file_fn;	/* binary members, or NULL */
	bool office;		/* the archive in hand is an Office/ODF document */
	void *ctx;
	unsigned *flags;
	size_t budget;		/* decompressed bytes still allowed, all archives */
	struct em_buf path;	/* member path of the entry in hand */
	struct xl *xl;		/* the workbook state of the archive in hand */
	zip_int64_t idx;	/* the entry in hand */
};

static int walk_archive(struct walk *w, const void *data, size_t len, unsigned depth);

/* Maps a libzip error: -1 out of memory, else sets `flag` and returns 0. */
static int zip_fail(struct walk *w, int code, unsigned flag)
{
	if (code == ZIP_ER_MEMORY)
		return -1;
	if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
		flag = EM_ZIP_ENCRYPTED;
	*w->flags |= flag;
	return 0;
}

/*
 * Reads from zf until b holds `want` bytes or the entry ends. Returns 0, 1
 * when the data is damaged (b keeps what was read), or -1 out of memory.
 */
static int read_upto(zip_file_t *zf, struct em_buf *b, size_t want)
{
	while (b->len < want) {
		size_t n = want - b->len;
		zip_int64_t r;

		if (n > CHUNK_BYTES)
			n = CHUNK_BYTES;
		if (em_buf_reserve(b, n) < 0)
			return -1;
		r = zip_fread(zf, b->data + b->len, n);
		if (r < 0)
			return zip_error_code_zip(zip_file_get_error(zf)) == ZIP_ER_MEMORY ? -1 : 1;
		if (r == 0)
			break;
		b->len += (size_t)r;
		b->data[b->len] = '\0';
	}
	return 0;
}

/*
 * The parts of a workbook read apart (see SpreadsheetML above): shared
 * strings are kept for the sheets (the items no cell shows are handed on at
 * the end, xl_unused), styles are read for their percent formats and then
 * handed on as before, and a sheet's text is its rows. Returns 1 when the
 * entry is done (*rc: the callback's value), 0 when it goes on as any XML
 * part, -1 out of memory.
 */
static int emit_workbook(struct walk *w, const char *name, const struct em_buf *u,
			 struct em_buf *t, int *rc)
{
	struct xl *x = w->xl;

	*rc = 0;
	if (w->idx == x->sst_idx) {
		if ((x->sst_name = strdup(name)) == NULL)
			return -1;
		return xl_read_sst(x, u->data ? u->data : "", u->len) < 0 ? -1 : 1;
	}
	if (w->idx == x->styles_idx)
		return xl_read_styles(x, u->data ? u->data : "", u->len) < 0 ? -1 : 0;
	if (!xl_is_sheet(name))
		return 0;
	if (xl_sheet_to_text(x, u->data ? u->data : "", u->len, t) < 0)
		return -1;
	if (t->len > 0 && w->fn != NULL)
		*rc = w->fn(w->ctx, w->path.data, t->data, t->len);
	return 1;
}

/* Turns the raw bytes of one entry into text and hands it to the callback. */
static int emit(struct walk *w, enum kind kind, const char *name, const struct em_buf *raw)
{
	struct em_buf u = EM_BUF_INIT, t = EM_BUF_INIT;
	char cs[64];
	int rc;

	if (kind == K_XML || kind == K_XML_META) {
		xml_declared_charset(raw->data, raw->len, cs, sizeof(cs));
		rc = to_utf8(raw->data, raw->len, cs, &u);
	} else {
		rc = to_utf8(raw->data, raw->len, NULL, &u);
	}
	if (rc < 0)
		goto out;
	if (kind == K_SNIFF)
		kind = looks_markup(u.data, u.len) ? K_HTML : K_TEXT;
	if (kind == K_TEXT) {
		em_buf_free(&t);
		t = u;
		u = (struct em_buf)EM_BUF_INIT;
	} else if (kind == K_HTML) {
		rc = em_html_to_text(u.data, u.len, &t);
		if (rc < 0)
			goto out;
	} else {
		if (kind == K_XML && w->xl != NULL && w->xl->on) {
			int done = emit_workbook(w, name, &u, &t, &rc);

			if (done != 0) {
				if (done < 0)
					rc = -1;
				goto out;
			}
		}
		rc = xml_to_text(u.data, u.len, kind == K_XML_META ? XML_ALL : XML_BLOCKS, &t);
		if (rc < 0)
			goto out;
	}
	if (t.len > 0 && w->fn != NULL)
		rc = w->fn(w->ctx, w->path.data, t.data, t.len);
out:
	em_buf_free(&u);
	em_buf_free(&t);
	return rc;
}

static int walk_entry(struct walk *w, zip_t *za, zip_uint64_t idx, unsigned depth)
{
	struct em_buf raw = EM_BUF_INIT;
	zip_stat_t st;
	zip_file_t *zf;
	const char *name;
	enum kind kind;
	size_t ratio_cap = SIZE_MAX, limit, want, plen = w->path.len;
	bool archive, binary, cut = false;
	int rc = 0, rd;

	zip_stat_init(&st);
	if (zip_stat_index(za, idx, 0, &st) < 0)
		return zip_fail(w, zip_error_code_zip(zip_get_error(za)), EM_ZIP_CORRUPT);
	name = (st.valid & ZIP_STAT_NAME) && st.name ? st.name : "";
	if (*name && name[strlen(name) - 1] == '/')
		return 0;	/* a directory */
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		*w->flags |= EM_ZIP_ENCRYPTED;
		return 0;
	}
	kind = kind_by_name(name);
	if (kind == K_SKIP)
		return 0;
	/* The member's name is text a reader sees in the archive's listing. */
	if (w->fn != NULL && w->lim->report_names && *name) {
		const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
		struct em_buf dec = EM_BUF_INIT;
		if (em_buf_append(&w->path, name, strlen(name)) < 0 ||
		    em_rfc2047_decode(base, strlen(base), &dec) < 0) {
			em_buf_free(&dec);
			return -1;
		}
		rc = w->fn(w->ctx, w->path.data, dec.data ? dec.data : "", dec.len);
		em_buf_free(&dec);
		w->path.len = plen;
		w->path.data[plen] = '\0';
		if (rc != 0)
			return rc;
	}
	if (w->budget == 0) {
		*w->flags |= EM_ZIP_TOO_BIG;
		return 0;
	}
	if (st.valid & ZIP_STAT_COMP_SIZE) {
		if (w->lim->max_ratio == 0)
			ratio_cap = 0;
		else if (st.comp_size <= SIZE_MAX / w->lim->max_ratio)
			ratio_cap = (size_t)st.comp_size * w->lim->max_ratio;
		if (ratio_cap < RATIO_FLOOR)
			ratio_cap = RATIO_FLOOR;
	}
	limit = ratio_cap < w->budget ? ratio_cap : w->budget;
	zf = zip_fopen_index(za, idx, 0);
	if (zf == NULL)
		return zip_fail(w, zip_error_code_zip(zip_get_error(za)), EM_ZIP_CORRUPT);

	/* One byte past the limit tells "exactly at the limit" from "over it". */
	want = limit == SIZE_MAX ? limit : limit + 1;
	rd = read_upto(zf, &raw, want < SNIFF_BYTES ? want : SNIFF_BYTES);
	if (rd < 0)
		goto fail;
	archive = em_zip_sniff(raw.data, raw.len);
	if (archive && (depth >= w->lim->max_depth || depth >= HARD_DEPTH)) {
		*w->flags |= EM_ZIP_DEPTH;
		goto skip;
	}
	/* Whatever the name says: an image, font, OLE object, or the ciphertext
	 * of a password-protected OpenDocument part. A file in a plain archive
	 * (a PDF in a zipped "pack") and an object embedded in a document
	 * (word/embeddings/...) go to file_fn, read as an attachment would be;
	 * a document's own images, fonts and parts do not. */
	binary = !archive && !looks_text((const unsigned char *)raw.data, raw.len);
	if (binary && (w->file_fn == NULL || (w->office && !strstr(name, "embeddings/"))))
		goto skip;
	/* Declared sizes may lie either way; they only let us flag early. */
	if ((st.valid & ZIP_STAT_SIZE) && st.size > ratio_cap)
		*w->flags |= EM_ZIP_RATIO;
	else if ((st.valid & ZIP_STAT_SIZE) && st.size > w->budget)
		*w->flags |= EM_ZIP_TOO_BIG;
	if (rd == 0)
		rd = read_upto(zf, &raw, want);
	if (rd < 0)
		goto fail;
	if (rd > 0)
		*w->flags |= EM_ZIP_CORRUPT;	/* scan what came out anyway */
	zip_fclose(zf);
	zf = NULL;
	if (raw.len > limit) {
		raw.len = limit;
		raw.data[limit] = '\0';
		*w->flags |= ratio_cap <= w->budget ? EM_ZIP_RATIO : EM_ZIP_TOO_BIG;
		cut = true;
	}
	w->budget -= raw.len;
	if (kind == K_XML_META && odf_encrypted(name, &raw))
		*w->flags |= EM_ZIP_ENCRYPTED;
	/* Half an archive would only add a misleading CORRUPT. */
	if (raw.len == 0 || (archive && cut))
		goto skip;
	if (em_buf_append(&w->path, name, strlen(name)) < 0)
		goto fail;
	if (archive) {
		if (em_buf_putc(&w->path, '/') < 0)
			goto fail;
		rc = walk_archive(w, raw.data, raw.len, depth + 1);
	} else if (binary) {
		rc = w->file_fn(w->ctx, w->path.data, raw.data, raw.len);
	} else {
		rc = emit(w, kind, name, &raw);
	}
	goto skip;
fail:
	rc = -1;
skip:
	if (zf != NULL) {
		/* What was read to sniff or before a failure still counts. */
		w->budget -= raw.len < w->budget ? raw.len : w->budget;
		zip_fclose(zf);
	}
	w->path.len = plen;
	if (w->path.data)
		w->path.data[plen] = '\0';
	em_buf_free(&raw);
	return rc;
}

/*
 * Makes *x the workbook state of the archive in hand: on when it holds
 * xl/workbook.xml, with the indices of its shared strings and styles when
 * they are among the first n entries (those the walk reads).
 */
static void xl_open(struct walk *w, zip_t *za, zip_int64_t n, struct xl *x)
{
	zip_int64_t i;

	memset(x, 0, sizeof(*x));
	x->sst = (struct em_buf)EM_BUF_INIT;
	x->sst_idx = x->styles_idx = -1;
	w->xl = x;
	if (zip_name_locate(za, "xl/workbook.xml", ZIP_FL_NOCASE) < 0)
		return;
	x->on = true;
	i = zip_name_locate(za, "xl/sharedStrings.xml", ZIP_FL_NOCASE);
	x->sst_idx = i >= 0 && i < n ? i : -1;
	i = zip_name_locate(za, "xl/styles.xml", ZIP_FL_NOCASE);
	x->styles_idx = i >= 0 && i < n ? i : -1;
}

/* Hands on the shared strings no cell showed (deleted cells, sheets cut off
 * at a limit), one a line, under the shared strings' member name. */
static int xl_unused(struct walk *w)
{
	struct xl *x = w->xl;
	struct em_buf t = EM_BUF_INIT;
	size_t plen = w->path.len;
	int rc = 0;

	if (!x->on || x->nstr == 0 || x->sst_name == NULL || w->fn == NULL)
		return 0;
	for (size_t i = 0; i < x->nstr && rc == 0; i++) {
		if (x->used[i] || x->off[i + 1] == x->off[i])
			continue;
		if (em_buf_append(&t, x->sst.data + x->off[i], x->off[i + 1] - x->off[i]) < 0 ||
		    em_buf_putc(&t, '\n') < 0)
			rc = -1;
	}
	if (rc == 0 && t.len > 0) {
		if (em_buf_puts(&w->path, x->sst_name) < 0)
			rc = -1;
		else
			rc = w->fn(w->ctx, w->path.data, t.data, t.len);
		w->path.len = plen;
		w->path.data[plen] = '\0';
	}
	em_buf_free(&t);
	return rc;
}

static int walk_archive(struct walk *w, const void *data, size_t len, unsigned depth)
{
	struct xl xl, *outer = w->xl;
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t n;
	int rc = 0;

	/* Shorter than an end-of-central-directory record: not an archive
	 * (libzip would open zero bytes as an empty one). */
	if (len < 22) {
		*w->flags |= EM_ZIP_CORRUPT;
		return 0;
	}
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL) {
		rc = zip_fail(w, zip_error_code_zip(&ze), EM_ZIP_CORRUPT);
		zip_error_fini(&ze);
		return rc;
	}
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (za == NULL) {
		zip_source_free(src);
		rc = zip_fail(w, zip_error_code_zip(&ze), EM_ZIP_CORRUPT);
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	n = zip_get_num_entries(za, 0);
	if (n < 0) {
		*w->flags |= EM_ZIP_CORRUPT;
		n = 0;
	}
	if ((zip_uint64_t)n > w->lim->max_entries) {
		*w->flags |= EM_ZIP_ENTRIES;
		n = (zip_int64_t)w->lim->max_entries;
	}
	bool outer_office = w->office;
	/* an OOXML package names its parts in [Content_Types].xml (ECMA-376
	 * Part 2), an ODF one in mimetype (OASIS ODF 1.2 Part 3, 3.3) */
	w->office = zip_name_locate(za, "[Content_Types].xml", 0) >= 0 ||
		    zip_name_locate(za, "mimetype", 0) >= 0;
	xl_open(w, za, n, &xl);
	/* a workbook's sheets need its shared strings and styles first */
	for (int k = 0; k < 2 && rc == 0; k++) {
		w->idx = k == 0 ? xl.styles_idx : xl.sst_idx;
		if (w->idx >= 0)
			rc = walk_entry(w, za, (zip_uint64_t)w->idx, depth);
	}
	for (zip_int64_t i = 0; i < n && rc == 0; i++) {
		if (i == xl.sst_idx || i == xl.styles_idx)
			continue;
		w->idx = i;
		rc = walk_entry(w, za, (zip_uint64_t)i, depth);
	}
	if (rc == 0)
		rc = xl_unused(w);
	zip_discard(za);
	xl_free(&xl);
	w->xl = outer;
	w->office = outer_office;
	return rc;
}

int em_zip_scan(const void *data, size_t len, const struct em_zip_limits *lim, em_zip_text_fn fn,
		void *ctx, unsigned *flags)
{
	return em_zip_scan_files(data, len, lim, fn, NULL, ctx, flags);
}

int em_zip_scan_files(const void *data, size_t len, const struct em_zip_limits *lim,
		      em_zip_text_fn fn, em_zip_file_fn file_fn, void *ctx, unsigned *flags)
{
	struct walk w;
	unsigned ignored = 0;
	int rc;

	w.lim = lim ? lim : &default_limits;
	w.fn = fn;
	w.file_fn = file_fn;
	w.office = false;
	w.ctx = ctx;
	w.flags = flags ? flags : &ignored;
	w.budget = w.lim->max_bytes;
	w.path = (struct em_buf)EM_BUF_INIT;
	w.xl = NULL;
	w.idx = -1;
	if (w.lim->max_depth == 0) {
		*w.flags |= EM_ZIP_DEPTH;
		return 0;
	}
	if (em_buf_reserve(&w.path, 0) < 0)
		return -1;
	w.path.data[0] = '\0';
	rc = walk_archive(&w, data, len, 1);
	em_buf_free(&w.path);
	return rc;
}
