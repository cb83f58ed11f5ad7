/*
 * em_pra - PRA entries with a role and a window of their own (see em_pra.h).
 *
 * Owns: the entry list, its window rule and the column syntax of PRA files.
 * Lists are short (tens of people), so the windowed check is a linear walk;
 * entries without an own window live in the release's hashed em_addr_list.
 * Depends on libc and em_addr only; must not depend on libmilter, syslog or
 * libconfig.
 */
#include "em_pra.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void seterr(char *err, size_t errsz, const char *msg)
{
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "%s", msg);
}

int em_pra_add(struct em_pra *p, const char *address, const char *role, const time_t *from,
	       const time_t *until, const char *file, int line, char *err, size_t errsz)
{
	struct em_pra_entry e;
	struct em_pra_entry *v;
	int rc;

	memset(&e, 0, sizeof(e));
	if ((e.match = em_addr_list_new()) == NULL) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	rc = em_addr_list_add(e.match, address, err, errsz);
	if (rc != 0) {
		em_addr_list_free(e.match);
		return rc;
	}
	e.address = strdup(address);
	e.role = role ? strdup(role) : NULL;
	v = realloc(p->v, (p->n + 1) * sizeof(*v));
	if (e.address == NULL || (role && e.role == NULL) || v == NULL) {
		if (v != NULL)
			p->v = v;
		free(e.address);
		free(e.role);
		em_addr_list_free(e.match);
		seterr(err, errsz, "out of memory");
		return -1;
	}
	p->v = v;
	if (from) {
		e.from = *from;
		e.has_from = true;
	}
	if (until) {
		e.until = *until;
		e.has_until = true;
	}
	e.file = file;
	e.line = line;
	p->v[p->n++] = e;
	return 0;
}

size_t em_pra_windowed(const struct em_pra *p)
{
	size_t n = 0;

	for (size_t i = 0; p != NULL && i < p->n; i++)
		n += p->v[i].has_from || p->v[i].has_until;
	return n;
}

void em_pra_clear(struct em_pra *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].address);
		free(p->v[i].role);
		em_addr_list_free(p->v[i].match);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

void em_pra_window(const struct em_pra_entry *e, time_t release_from, time_t publish_at,
		   time_t *from, time_t *until)
{
	*from = e->has_from ? e->from : release_from;
	*until = e->has_until ? e->until : publish_at;
	/* Access never outlives the embargo: after publication nobody is blocked anyway. */
	if (*until > publish_at)
		*until = publish_at;
}

bool em_pra_allows(const struct em_pra *p, const char *rcpt, time_t at, time_t release_from,
		   time_t publish_at)
{
	if (p == NULL)
		return false;
	for (size_t i = 0; i < p->n; i++) {
		const struct em_pra_entry *e = &p->v[i];
		time_t from, until;

		if (!e->has_from && !e->has_until)
			continue;
		em_pra_window(e, release_from, publish_at, &from, &until);
		if (at >= from && at < until && em_addr_list_match(e->match, rcpt))
			return true;
	}
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "YYYY-MM-DD" exactly. */
static bool is_date(const char *s)
{
	return strlen(s) == 10 && is_digits(s, 4) && s[4] == '-' && is_digits(s + 5, 2) &&
	       s[7] == '-' && is_digits(s + 8, 2);
}

/* "HH:MM" or "HH:MM:SS", optionally followed by Z or an offset. */
static bool is_clock(const char *s)
{
	return strlen(s) >= 5 && is_digits(s, 2) && s[2] == ':' && is_digits(s + 3, 2);
}

/* Trims blanks around s (in place); "-" and "" become NULL. */
static char *column(char *s)
{
	char *e;

	while (is_blank(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_blank(e[-1]))
		*--e = '\0';
	if (*s == '\0' || strcmp(s, "-") == 0)
		return NULL;
	return s;
}

int em_pra_split(char *line, char *col[4], char *err, size_t errsz)
{
	char *tok[8];
	int ntok = 0, n = 0;
	char *p = line;

	col[0] = col[1] = col[2] = col[3] = NULL;
	if (strchr(line, '\t') != NULL) {
		char *start = line;

		for (;;) {
			char *tab;

			/* Each TAB separates (as spreadsheets export TSV): an empty
			 * column between two TABs is a column not given. */
			tab = strchr(start, '\t');
			if (tab)
				*tab = '\0';
			if (n == 4) {
				if (column(start) == NULL && tab == NULL)
					break;
				seterr(err, errsz,
				       "more than 4 columns (address, role, from, until)");
				return -1;
			}
			col[n++] = column(start);
			if (tab == NULL)
				break;
			start = tab + 1;
		}
		return n;
	}
	while (*p) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		if (ntok == 8) {
			seterr(err, errsz, "more than 4 columns (address, role, from, until)");
			return -1;
		}
		if (*p == '"') {
			char *q = strchr(p + 1, '"');

			if (q == NULL) {
				seterr(err, errsz, "unterminated quote");
				return -1;
			}
			*q = '\0';
			tok[ntok++] = p + 1;
			p = q + 1;
			if (*p && !is_blank(*p)) {
				seterr(err, errsz, "a space must follow a closing quote");
				return -1;
			}
			continue;
		}
		tok[ntok++] = p;
		while (*p && !is_blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	for (int i = 0; i < ntok; i++) {
		if (n == 4) {
			seterr(err, errsz,
			       "more than 4 columns (address, role, from, until); "
			       "quote a role with spaces");
			return -1;
		}
		char *t = tok[i];

		/* "2026-11-18 14:00" unquoted: join the date with its time. */
		if (i + 1 < ntok && is_date(t) && is_clock(tok[i + 1])) {
			t[10] = ' '; /* was the NUL ending the date */
			memmove(t + 11, tok[i + 1], strlen(tok[i + 1]) + 1);
			i++;
		}
		col[n++] = column(t);
	}
	return n;
}
