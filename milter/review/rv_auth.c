/*
 * rv_auth - who is asking: PAM logins (service review.pam_service), the
 * trusted reverse proxy's user header (checked by rv_http against
 * trusted_proxies), sessions, per-session CSRF tokens, the login rate
 * limit, and roles from Unix groups.
 *
 * Sessions live in memory (a restart logs everyone out): a 256-bit random
 * token (getrandom) for the cookie and another for the forms' CSRF field;
 * idle expiry session_minutes, absolute expiry session_max_hours. At most
 * RV_MAX_SESSIONS; the oldest is dropped first.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "rv.h"

#define RV_MAX_SESSIONS 4096
#define RV_FAIL_WINDOW 300 /* seconds a failed login counts */
#define RV_FAIL_SLOTS 1024

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct rv_session *sess;
static size_t nsess;

struct fail {
	char key[160]; /* "ip:ADDR" or "user:LOGIN" */
	time_t at[16];
	unsigned n; /* ring position */
};
static struct fail fails[RV_FAIL_SLOTS];

int rv_auth_init(const struct rv_conf *c)
{
	sess = calloc(RV_MAX_SESSIONS, sizeof(*sess));
	return sess ? 0 : -1;
}

void rv_auth_done(void)
{
	if (sess)
		explicit_bzero(sess, RV_MAX_SESSIONS * sizeof(*sess));
	free(sess);
	sess = NULL;
	nsess = 0;
}

int rv_random_hex(char *out)
{
	unsigned char r[RV_TOKEN_HEX / 2];
	size_t got = 0;

	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(r); i++)
		sprintf(out + 2 * i, "%02x", r[i]);
	explicit_bzero(r, sizeof(r));
	return 0;
}

bool rv_token_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0 && la > 0;
}

int rv_user_lookup(const struct rv_conf *c, const char *login, struct rv_user *u)
{
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	char buf[16384], gbuf[16384];
	gid_t groups[256];
	int ng = 256;

	memset(u, 0, sizeof(*u));
	if (strlen(login) >= sizeof(u->login) || strpbrk(login, " \t\r\n/:") != NULL)
		return -1;
	snprintf(u->login, sizeof(u->login), "%s", login);
	if (strchr(login, '@'))
		snprintf(u->address, sizeof(u->address), "%s", login);
	else if (c->address_domain)
		snprintf(u->address, sizeof(u->address), "%s@%s", login, c->address_domain);
	if (getpwnam_r(login, &pw, buf, sizeof(buf), &pwp) != 0 || pwp == NULL)
		return -1;
	if (getgrnam_r(c->reviewer_group, &gr, gbuf, sizeof(gbuf), &grp) != 0 || grp == NULL)
		return 0; /* no such group: nobody is a reviewer */
	if (getgrouplist(login, pw.pw_gid, groups, &ng) < 0)
		return 0;
	for (int i = 0; i < ng; i++)
		if (groups[i] == gr.gr_gid)
			u->reviewer = true;
	return 0;
}

/* ---- PAM ---- */

struct conv_data {
	const char *password;
};

static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *arg)
{
	const struct conv_data *d = arg;
	struct pam_response *r = calloc((size_t)n, sizeof(*r));

	if (r == NULL)
		return PAM_BUF_ERR;
	for (int i = 0; i < n; i++) {
		if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF) {
			r[i].resp = strdup(d->password);
		} else if (msg[i]->msg_style == PAM_PROMPT_ECHO_ON) {
			r[i].resp = NULL; /* the login was given to pam_start */
		}
	}
	*resp = r;
	return PAM_SUCCESS;
}

int rv_pam_check(const struct rv_conf *c, const char *login, const char *password)
{
	struct conv_data d = {password};
	struct pam_conv pc = {conv, &d};
	pam_handle_t *ph = NULL;
	int rc;

	if (c->pam_service == NULL || *c->pam_service == '\0' || *login == '\0' ||
	    *password == '\0')
		return -1;
	if ((rc = pam_start(c->pam_service, login, &pc, &ph)) != PAM_SUCCESS)
		return -1;
	rc = pam_authenticate(ph, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
	if (rc == PAM_SUCCESS)
		rc = pam_acct_mgmt(ph, PAM_SILENT);
	pam_end(ph, rc);
	return rc == PAM_SUCCESS ? 0 : -1;
}

/* ---- login rate limit ---- */

static struct fail *fail_slot(const char *key, bool create)
{
	size_t h = 5381, free_i = RV_FAIL_SLOTS;

	for (const char *p = key; *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (size_t k = 0; k < 8; k++) {
		size_t i = (h + k) % RV_FAIL_SLOTS;

		if (strcmp(fails[i].key, key) == 0)
			return &fails[i];
		if (fails[i].key[0] == '\0' && free_i == RV_FAIL_SLOTS)
			free_i = i;
	}
	if (!create)
		return NULL;
	if (free_i == RV_FAIL_SLOTS)
		free_i = h % RV_FAIL_SLOTS; /* evict */
	memset(&fails[free_i], 0, sizeof(fails[free_i]));
	snprintf(fails[free_i].key, sizeof(fails[free_i].key), "%s", key);
	return &fails[free_i];
}

static unsigned recent(const struct fail *f, time_t now)
{
	unsigned n = 0;

	for (size_t i = 0; f && i < 16; i++)
		if (f->at[i] && now - f->at[i] < RV_FAIL_WINDOW)
			n++;
	return n;
}

bool rv_login_limited(const struct rv_conf *c, const char *peer, const char *login, time_t now)
{
	char k1[160], k2[160];
	unsigned lim = c->login_failures > 16 ? 16 : c->login_failures;
	bool limited;

	snprintf(k1, sizeof(k1), "ip:%s", peer);
	snprintf(k2, sizeof(k2), "user:%s", login);
	pthread_mutex_lock(&mu);
	limited =
	    recent(fail_slot(k1, false), now) >= lim || recent(fail_slot(k2, false), now) >= lim;
	pthread_mutex_unlock(&mu);
	return limited;
}

void rv_login_failed(const char *peer, const char *login, time_t now)
{
	char k[2][160];

	snprintf(k[0], sizeof(k[0]), "ip:%s", peer);
	snprintf(k[1], sizeof(k[1]), "user:%s", login);
	pthread_mutex_lock(&mu);
	for (int i = 0; i < 2; i++) {
		struct fail *f = fail_slot(k[i], true);

		f->at[f->n++ % 16] = now;
	}
	pthread_mutex_unlock(&mu);
}

/* ---- sessions ---- */

static bool expired(const struct rv_conf *c, const struct rv_session *s, time_t now)
{
	return now - s->last > (time_t)(c->session_minutes * 60) ||
	       now - s->created > (time_t)(c->session_max_hours * 3600);
}

int rv_session_new(const struct rv_conf *c, const struct rv_user *u, bool via_proxy, time_t now,
		   struct rv_session *out)
{
	struct rv_session s = {.user = *u, .created = now, .last = now, .via_proxy = via_proxy};
	size_t slot = 0;

	if (rv_random_hex(s.token) < 0 || rv_random_hex(s.csrf) < 0)
		return -1;
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < nsess; i++)
		if (expired(c, &sess[i], now))
			sess[i] = sess[--nsess];
	if (nsess == RV_MAX_SESSIONS) {
		for (size_t i = 1; i < nsess; i++)
			if (sess[i].created < sess[slot].created)
				slot = i;
	} else {
		slot = nsess++;
	}
	sess[slot] = s;
	pthread_mutex_unlock(&mu);
	*out = s;
	return 0;
}

int rv_session_get(const struct rv_conf *c, const char *token, time_t now, struct rv_session *out)
{
	int rc = -1;

	if (token == NULL || strlen(token) != RV_TOKEN_HEX)
		return -1;
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < nsess; i++)
		if (rv_token_eq(sess[i].token, token)) {
			if (expired(c, &sess[i], now)) {
				sess[i] = sess[--nsess];
				break;
			}
			sess[i].last = now;
			*out = sess[i];
			rc = 0;
			break;
		}
	pthread_mutex_unlock(&mu);
	return rc;
}

void rv_session_end(const char *token)
{
	if (token == NULL)
		return;
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < nsess; i++)
		if (rv_token_eq(sess[i].token, token)) {
			sess[i] = sess[--nsess];
			break;
		}
	pthread_mutex_unlock(&mu);
}
