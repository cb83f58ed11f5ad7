/*
 * em_addr - e-mail address lists (see em_addr.h): who may receive a release.
 *
 * Owns: validating entries, their canonical form, and the lookup. A list is
 * three open-addressing hash sets of canonical strings: full addresses,
 * exact domains ("@example.gov.uk") and wildcard domains ("@*.gov.uk"). A
 * lookup is one probe for the address, one for the domain, then one per
 * label suffix of the domain for the wildcards, so a list of a million
 * entries costs the same per recipient as a list of ten.
 *
 * Canonical form: ASCII letters lower-cased (bytes >= 0x80 are kept as they
 * are, so UTF-8 addresses compare byte for byte), surrounding whitespace and
 * one pair of angle brackets removed, one trailing dot of the domain removed.
 *
 * Fail closed: when memory runs out during a lookup the answer is "not in the
 * list", which blocks a recipient rather than letting one through.
 * Depends on libc only; must not depend on libmilter, syslog or libconfig.
 */
#include "em_addr.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct em_set {
	char **slot;	/* NULL = empty */
	size_t cap;	/* power of two, or 0 */
	size_t n;
};

struct em_addr_list {
	struct em_set addrs;	/* "user@domain" */
	struct em_set domains;	/* "domain" from "@domain" */
	struct em_set wild;	/* "domain" from "@*.domain" */
};

static uint64_t set_hash(const char *s, size_t len);
static char **set_find(const struct em_set *set, const char *s, size_t len);
static int set_grow(struct em_set *set);
static int set_add(struct em_set *set, const char *s, size_t len);
static bool set_has(const struct em_set *set, const char *s, size_t len);
static void set_free(struct em_set *set);
static char *canon_dup(const char *addr, bool strip_route);
static int check_domain(const char *d, char *err, size_t errsz);
static int check_local(const char *l, size_t len, char *err, size_t errsz);
static void seterr(char *err, size_t errsz, const char *msg);

/* FNV-1a: short keys, no adversary controls the table (entries come from config). */
static uint64_t set_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Returns the slot holding s, or the empty slot where it would go; NULL when the set has no storage. */
static char **set_find(const struct em_set *set, const char *s, size_t len)
{
	size_t mask, i;

	if (set->cap == 0)
		return NULL;
	mask = set->cap - 1;
	i = (size_t)set_hash(s, len) & mask;
	for (;;) {
		char *e = set->slot[i];

		if (e == NULL || (strncmp(e, s, len) == 0 && e[len] == '\0'))
			return &set->slot[i];
		i = (i + 1) & mask;
	}
}

static int set_grow(struct em_set *set)
{
	struct em_set bigger;

	bigger.cap = set->cap ? set->cap * 2 : 16;
	if (bigger.cap < set->cap || bigger.cap > SIZE_MAX / sizeof(char *))
		return -1;
	bigger.n = set->n;
	bigger.slot = calloc(bigger.cap, sizeof(char *));
	if (bigger.slot == NULL)
		return -1;
	for (size_t i = 0; i < set->cap; i++) {
		if (set->slot[i] != NULL)
			*set_find(&bigger, set->slot[i], strlen(set->slot[i])) = set->slot[i];
	}
	free(set->slot);
	*set = bigger;
	return 0;
}

/* Adds a copy of s[0..len); a duplicate is not an error and is not counted twice. */
static int set_add(struct em_set *set, const char *s, size_t len)
{
	char **slot;
	char *copy;

	/* Keep the load factor under 3/4 so probes stay short and always end. */
	if ((set->n + 1) * 4 > set->cap * 3 && set_grow(set) != 0)
		return -1;
	slot = set_find(set, s, len);
	if (*slot != NULL)
		return 0;
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	*slot = copy;
	set->n++;
	return 0;
}

static bool set_has(const struct em_set *set, const char *s, size_t len)
{
	char **slot = set_find(set, s, len);

	return slot != NULL && *slot != NULL;
}

static void set_free(struct em_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	set->slot = NULL;
	set->cap = set->n = 0;
}

static void seterr(char *err, size_t errsz, const char *msg)
{
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "%s", msg);
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Narrows [*b, *e) to the address: surrounding blanks, then one pair of
 * angle brackets and the blanks inside them, are left out. */
static void strip_angles(const char **b, const char **e)
{
	const char *p = *b, *q = *e;

	while (p < q && is_space((unsigned char)*p))
		p++;
	while (q > p && is_space((unsigned char)q[-1]))
		q--;
	if (q - p >= 2 && *p == '<' && q[-1] == '>') {
		p++;
		q--;
		while (p < q && is_space((unsigned char)*p))
			p++;
		while (q > p && is_space((unsigned char)q[-1]))
			q--;
	}
	*b = p;
	*e = q;
}

/*
 * Canonical copy of addr (malloc'd, caller frees), NULL when out of memory.
 * strip_route drops an RFC 5321 source route ("<@relay:user@dom>") as an
 * envelope may carry one; entries never do.
 */
static char *canon_dup(const char *addr, bool strip_route)
{
	const char *b = addr, *e = addr + strlen(addr);
	char *out, *at;
	size_t len;

	strip_angles(&b, &e);
	if (strip_route && b < e && *b == '@') {
		const char *colon = memchr(b, ':', (size_t)(e - b));

		if (colon != NULL)
			b = colon + 1;
	}
	len = (size_t)(e - b);
	out = malloc(len + 1);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)b[i];

		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	out[len] = '\0';
	/* "user@example.gov.uk." names the same mailbox as without the dot. */
	at = strrchr(out, '@');
	if (at != NULL && len > 0 && out[len - 1] == '.' && (size_t)(at - out) + 2 < len)
		out[len - 1] = '\0';
	return out;
}

/* Canonical envelope form of addr into out; "" when it does not fit. Returns out. */
char *em_addr_canon(const char *addr, char *out, size_t outsz)
{
	char *c;

	if (out == NULL || outsz == 0)
		return out;
	out[0] = '\0';
	if (addr == NULL)
		return out;
	c = canon_dup(addr, true);
	/* An address that does not fit is left empty rather than cut: a cut
	 * "a@gov.uk.evil.example" could read as an allowed "a@gov.uk". */
	if (c != NULL && strlen(c) < outsz)
		memcpy(out, c, strlen(c) + 1);
	free(c);
	return out;
}

char *em_addr_bare_dup(const char *addr)
{
	const char *b = addr ? addr : "", *e = b + strlen(b);
	char *out;

	strip_angles(&b, &e);
	out = malloc((size_t)(e - b) + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, b, (size_t)(e - b));
	out[e - b] = '\0';
	return out;
}

/* Domain of an entry: non-empty labels, hostname bytes or UTF-8, or an [address literal]. */
static int check_domain(const char *d, char *err, size_t errsz)
{
	size_t len = strlen(d);

	if (len == 0) {
		seterr(err, errsz, "empty domain");
		return -2;
	}
	if (d[0] == '[') {
		if (d[len - 1] != ']' || len < 3) {
			seterr(err, errsz, "unterminated address literal in domain");
			return -2;
		}
		for (size_t i = 1; i + 1 < len; i++) {
			unsigned char c = (unsigned char)d[i];

			if (!(c == '.' || c == ':' || (c >= '0' && c <= '9') ||
			      (c >= 'a' && c <= 'z'))) {
				seterr(err, errsz, "invalid address literal in domain");
				return -2;
			}
		}
		return 0;
	}
	if (d[0] == '.' || d[len - 1] == '.' || strstr(d, "..") != NULL) {
		seterr(err, errsz, "empty label in domain");
		return -2;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)d[i];

		if (c == '*') {
			seterr(err, errsz, "'*' is only allowed as @*.domain");
			return -2;
		}
		if (!(c >= 0x80 || c == '.' || c == '-' || c == '_' || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9'))) {
			seterr(err, errsz, "invalid character in domain");
			return -2;
		}
	}
	return 0;
}

/* Local part: non-empty; either a quoted string or free of address punctuation. */
static int check_local(const char *l, size_t len, char *err, size_t errsz)
{
	if (len == 0) {
		seterr(err, errsz, "empty local part");
		return -2;
	}
	if (len >= 2 && l[0] == '"' && l[len - 1] == '"')
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (l[i] == '@') {
			seterr(err, errsz, "more than one @");
			return -2;
		}
		if (strchr(",;<>()[]\\\"", l[i]) != NULL) {
			seterr(err, errsz, "invalid character in local part");
			return -2;
		}
	}
	return 0;
}

/* A new empty list (caller frees with em_addr_list_free); NULL when out of memory. */
struct em_addr_list *em_addr_list_new(void)
{
	return calloc(1, sizeof(struct em_addr_list));
}

/* Frees the list and its entries; accepts NULL. */
void em_addr_list_free(struct em_addr_list *l)
{
	if (l == NULL)
		return;
	set_free(&l->addrs);
	set_free(&l->domains);
	set_free(&l->wild);
	free(l);
}

/*
 * Validates entry and adds its canonical form (a copy; the caller keeps entry).
 * Returns 0, -1 out of memory, -2 not plausible (err says why).
 */
int em_addr_list_add(struct em_addr_list *l, const char *entry, char *err, size_t errsz)
{
	char *c, *at;
	int rc;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	c = canon_dup(entry ? entry : "", false);
	if (c == NULL) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	rc = -2;
	at = strrchr(c, '@');
	if (c[0] == '\0') {
		seterr(err, errsz, "empty entry");
	} else if (strpbrk(c, " \t\r\n\v\f") != NULL) {
		seterr(err, errsz, "spaces inside address");
	} else if (at == NULL) {
		seterr(err, errsz, "missing @");
	} else {
		for (const char *p = c; *p; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				seterr(err, errsz, "control character inside address");
				goto out;
			}
		}
		if (strcmp(c, "@*") == 0) {
			/* "@*." arrives here too: the trailing dot was trimmed. */
			seterr(err, errsz, "empty domain");
		} else if (c[0] == '@' && strncmp(c + 1, "*.", 2) == 0) {
			if ((rc = check_domain(c + 3, err, errsz)) == 0)
				rc = set_add(&l->wild, c + 3, strlen(c + 3));
		} else if (c[0] == '@') {
			if (at != c) {
				seterr(err, errsz, "more than one @");
			} else if ((rc = check_domain(c + 1, err, errsz)) == 0) {
				rc = set_add(&l->domains, c + 1, strlen(c + 1));
			}
		} else if ((rc = check_local(c, (size_t)(at - c), err, errsz)) == 0 &&
			   (rc = check_domain(at + 1, err, errsz)) == 0) {
			rc = set_add(&l->addrs, c, strlen(c));
		}
		if (rc == -1)
			seterr(err, errsz, "out of memory");
	}
out:
	free(c);
	return rc;
}

/* Distinct entries in the list (duplicates count once); 0 for NULL. */
size_t em_addr_list_count(const struct em_addr_list *l)
{
	if (l == NULL)
		return 0;
	return l->addrs.n + l->domains.n + l->wild.n;
}

/* Is addr (any envelope spelling) in the list? False when unsure (out of memory). */
bool em_addr_list_match(const struct em_addr_list *l, const char *addr)
{
	char *c, *at;
	const char *d;
	bool hit = false;

	if (l == NULL || addr == NULL || em_addr_list_count(l) == 0)
		return false;
	c = canon_dup(addr, true);
	if (c == NULL)
		return false;
	if (c[0] == '\0')
		goto out;
	if (set_has(&l->addrs, c, strlen(c))) {
		hit = true;
		goto out;
	}
	/* The domain follows the last '@': a quoted local part may contain one. */
	at = strrchr(c, '@');
	if (at == NULL || at == c || at[1] == '\0')
		goto out;
	/* A domain entry never allows a local part that routes elsewhere: the
	 * percent hack (user%elsewhere@domain), a UUCP bang path (elsewhere!user)
	 * or a second '@' in a quoted local part. Postfix forwards these by
	 * default when the domain is its own (allow_percent_hack, swap_bangpath,
	 * resolve_dequoted_address), so the mail leaves for elsewhere. Full
	 * addresses on a list are matched as written above. */
	for (const char *q = c; q < at; q++)
		if (*q == '%' || *q == '!' || *q == '@')
			goto out;
	d = at + 1;
	if (set_has(&l->domains, d, strlen(d))) {
		hit = true;
		goto out;
	}
	/* @*.gov.uk covers gov.uk, x.gov.uk, y.x.gov.uk: try every label suffix. */
	for (const char *p = d; p != NULL; p = strchr(p, '.')) {
		if (*p == '.')
			p++;
		if (*p == '\0')
			break;
		if (set_has(&l->wild, p, strlen(p))) {
			hit = true;
			break;
		}
	}
out:
	free(c);
	return hit;
}

/*
 * Calls add(ctx, entry, line) for each address line of a PRA file text (len
 * bytes, NUL not needed). entry is valid only during the call. Returns 0,
 * -1 out of memory, or the first non-zero value of add.
 */
int em_addr_parse_lines(const char *text, size_t len,
			int (*add)(void *ctx, const char *entry, int line), void *ctx)
{
	size_t pos = 0;
	int lineno = 0;
	char *buf = NULL;
	size_t bufcap = 0;
	int rc = 0;

	if (text == NULL)
		return 0;
	/* A byte order mark from a Windows editor is not part of the first address. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len && rc == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t b = pos, e = end, ll;

		lineno++;
		pos = nl ? end + 1 : len;
		/* '#' starts a comment at the start of a line or after whitespace,
		 * so "a#b@example.org" (a valid mailbox) is kept whole. */
		for (size_t i = b; i < e; i++) {
			if (text[i] == '#' && (i == b || is_space((unsigned char)text[i - 1]))) {
				e = i;
				break;
			}
		}
		while (b < e && is_space((unsigned char)text[b]))
			b++;
		while (e > b && is_space((unsigned char)text[e - 1]))
			e--;
		if (b == e)
			continue;
		ll = e - b;
		if (ll + 1 > bufcap) {
			char *nb = realloc(buf, ll + 1);

			if (nb == NULL) {
				rc = -1;
				break;
			}
			buf = nb;
			bufcap = ll + 1;
		}
		/* A NUL inside a line would hide the rest of it from the entry
		 * check; a space makes the line fail validation instead. */
		for (size_t i = 0; i < ll; i++)
			buf[i] = text[b + i] == '\0' ? ' ' : text[b + i];
		buf[ll] = '\0';
		rc = add(ctx, buf, lineno);
	}
	free(buf);
	return rc;
}
