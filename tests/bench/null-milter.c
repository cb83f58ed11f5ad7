/*
 * null-milter - a milter that does nothing, as the protocol-floor baseline for
 * tests/bench/bench-mta.sh and as a stand-in to validate the e2e harness.
 *
 * It negotiates like a real content filter (the same actions embargo-milter
 * asks for, every protocol step kept: envelope, each header, end of headers,
 * every body chunk), so the MTA does all the work it would do for the real
 * filter; the callbacks only say "continue" and end-of-message accepts. The
 * difference between "no milter" and this one is the cost of the milter
 * protocol itself; the difference between this one and embargo-milter is the
 * cost of scanning.
 *
 * Usage: null-milter -p SOCKET [-T TIMEOUT] [-b BACKLOG] [-H "NAME: VALUE"]
 * -H adds that header to every message at end of message, as embargo-milter
 * adds its verdict header to clean mail, so the MTA does the same header
 * edit for both (the baseline issue 16 asks for).
 * Depends on libmilter only; no config, no state, no logging.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmilter/mfapi.h>
#include "../../milter/shell/daemon.h"

/* What embargo-milter asks for: header changes, recipient removal, quarantine. */
#define NULL_MILTER_ACTIONS (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_DELRCPT | SMFIF_QUARANTINE)

static sfsistat null_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
			       unsigned long f3, unsigned long *pf0, unsigned long *pf1,
			       unsigned long *pf2, unsigned long *pf3)
{
	/*
	 * Take the actions a real filter takes (those the MTA offers) and ask
	 * for no protocol shortcuts: a content filter must see every header
	 * and every body chunk, so no SMFIP_NO* / SMFIP_SKIP flags here.
	 */
	*pf0 = f0 & NULL_MILTER_ACTIONS;
	*pf1 = 0;
	*pf2 = 0;
	*pf3 = 0;
	return SMFIS_CONTINUE;
}

static sfsistat null_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_helo(SMFICTX *ctx, char *helo)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_envfrom(SMFICTX *ctx, char **argv)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_envrcpt(SMFICTX *ctx, char **argv)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_header(SMFICTX *ctx, char *name, char *value)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_eoh(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	return SMFIS_CONTINUE;
}

/* -H: the header to add at end of message (NULL = none) */
static char *hdr_name, *hdr_value;

static sfsistat null_eom(SMFICTX *ctx)
{
	if (hdr_name != NULL && smfi_addheader(ctx, hdr_name, hdr_value) == MI_FAILURE)
		return SMFIS_TEMPFAIL;
	return SMFIS_ACCEPT;
}

static sfsistat null_abort(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static sfsistat null_close(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static struct smfiDesc null_desc = {
    .xxfi_name = "null-milter",
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = NULL_MILTER_ACTIONS,
    .xxfi_connect = null_connect,
    .xxfi_helo = null_helo,
    .xxfi_envfrom = null_envfrom,
    .xxfi_envrcpt = null_envrcpt,
    .xxfi_header = null_header,
    .xxfi_eoh = null_eoh,
    .xxfi_body = null_body,
    .xxfi_eom = null_eom,
    .xxfi_abort = null_abort,
    .xxfi_close = null_close,
    .xxfi_unknown = NULL,
    .xxfi_data = NULL,
    .xxfi_negotiate = null_negotiate,
};

static void usage(void)
{
	fprintf(stderr,
		"usage: null-milter -p SOCKET [-T TIMEOUT] [-b BACKLOG] [-H \"NAME: VALUE\"]\n");
	exit(2);
}

static int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

int main(int argc, char **argv)
{
	const char *sock = NULL;
	int timeout = 300;
	int backlog = 128;
	int c;

	while ((c = getopt(argc, argv, "p:T:b:H:")) != -1) {
		switch (c) {
		case 'H': {
			char *colon = strchr(optarg, ':');

			if (colon == NULL || colon == optarg)
				usage();
			*colon = '\0';
			hdr_name = optarg;
			hdr_value = colon + 1;
			while (*hdr_value == ' ')
				hdr_value++;
			break;
		}
		case 'p':
			sock = optarg;
			break;
		case 'T':
			if (parse_int(optarg, &timeout))
				usage();
			break;
		case 'b':
			if (parse_int(optarg, &backlog))
				usage();
			break;
		default:
			usage();
		}
	}
	if (!sock || optind != argc)
		usage();

	if (smfi_setconn((char *)sock) == MI_FAILURE) {
		fprintf(stderr, "null-milter: bad socket %s\n", sock);
		return 1;
	}
	smfi_settimeout(timeout);
	smfi_setbacklog(backlog);
	if (smfi_register(null_desc) == MI_FAILURE) {
		fprintf(stderr, "null-milter: smfi_register failed\n");
		return 1;
	}
	/*
	 * Open the socket now (after register, as libmilter requires) so a
	 * bad address fails here with a message, and a stale unix socket left
	 * by a killed run is removed instead of making the bind fail.
	 */
	if (smfi_opensocket(1) == MI_FAILURE) {
		fprintf(stderr, "null-milter: cannot open socket %s\n", sock);
		return 1;
	}
	/* the same TCP_NODELAY as embargo-milter (milter/shell/nodelay.c): without
	 * it the header edit and the end-of-message reply wait on Nagle and the
	 * MTA's delayed ACK, and the floor would be slower than the filter */
	em_daemon_listener_nodelay();
	/* smfi_main handles SIGTERM/SIGINT (clean stop) in its signal thread. */
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
