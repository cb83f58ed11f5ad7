/*
 * rv_html - escaping for HTML text and attributes, URL query values and
 * CSV fields. Every byte that came from a message passes through here.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rv.h"

const char *rv_entity(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

void rv_esc(struct em_buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *ent = rv_entity(c);

		if (ent) {
			em_buf_puts(b, ent);
			continue;
		}
		switch (c) {
		case 0xe2:
			/* bidi embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069)
			 * would reorder what the reviewer reads: shown as '?' like the CLI does */
			if ((s[1] == '\x80' && s[2] >= '\xaa' && s[2] <= '\xae') ||
			    (s[1] == '\x81' && s[2] >= '\xa6' && s[2] <= '\xa9')) {
				em_buf_putc(b, '?');
				s += 2;
				break;
			}
			em_buf_putc(b, c);
			break;
		default:
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				em_buf_putc(b, '?');
			else
				em_buf_putc(b, c);
		}
	}
}

void rv_urlenc(struct em_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			em_buf_putc(b, c);
		} else {
			em_buf_putc(b, '%');
			em_buf_putc(b, hex[c >> 4]);
			em_buf_putc(b, hex[c & 15]);
		}
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

void rv_urldec(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '+') {
			*w++ = ' ';
		} else if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*w++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

void rv_csv(struct em_buf *b, const char *s)
{
	em_buf_putc(b, '"');
	/* a spreadsheet would run a cell starting with = + - @ as a formula */
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
		em_buf_putc(b, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			em_buf_putc(b, '"');
		em_buf_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
	}
	em_buf_putc(b, '"');
}
