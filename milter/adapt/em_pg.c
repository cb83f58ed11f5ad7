/*
 * em_pg - the shared PostgreSQL store (see em_pg.h).
 *
 * Connection handling: one PGconn per handle, opened on first use with
 * connect_timeout (EM_PG_CONNECT_TIMEOUT_S unless the connection string sets
 * one), TCP keepalives and statement_timeout (EM_PG_CALL_TIMEOUT_MS); every
 * statement is prepared once per connection and sent asynchronously, then
 * waited for with poll(2) under the same limit, so a server that vanishes
 * (kill -9, a cut network) costs at most that long. A lost connection
 * (SQLSTATE class 08, 57P01-57P03, or libpq's CONNECTION_BAD) drops the
 * PGconn; the next call connects again. `host=a,b
 * target_session_attrs=read-write` in the connection string gives failover
 * to whichever host accepts writes (libpq's own logic).
 *
 * Must not depend on: libmilter, syslog, libconfig.
 */
#define _GNU_SOURCE
#include "em_pg.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct em_pg {
	char *conninfo;
	PGconn *c;
	bool prepared; /* the statements exist on this connection */
};

static void seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* ---- pure helpers ---- */

int em_pg_store_kind(const char *store)
{
	if (store == NULL || *store == '\0' || strcmp(store, "sqlite") == 0)
		return 0;
	return 1;
}

int em_pg_conninfo_check(const char *conninfo, char *err, size_t errsz)
{
	char *msg = NULL;
	PQconninfoOption *o = PQconninfoParse(conninfo, &msg);

	if (o == NULL) {
		size_t n;

		seterr(err, errsz, "%s", msg ? msg : "not a libpq connection string");
		n = strlen(err);
		while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
			err[--n] = '\0';
		PQfreemem(msg);
		return -1;
	}
	PQconninfoFree(o);
	return 0;
}

int em_pg_relay_id(const char *relay_id, char *out, size_t outsz)
{
	if (relay_id != NULL && *relay_id != '\0') {
		snprintf(out, outsz, "%s", relay_id);
		return 0;
	}
	if (gethostname(out, outsz) != 0 || *out == '\0')
		return -1;
	out[outsz - 1] = '\0';
	return 0;
}

bool em_pg_sqlstate_is_disconnect(const char *s)
{
	if (s == NULL)
		return false;
	return strncmp(s, "08", 2) == 0 || strcmp(s, "57P01") == 0 || strcmp(s, "57P02") == 0 ||
	       strcmp(s, "57P03") == 0;
}

unsigned em_pg_backoff_ms(unsigned attempt, unsigned base_ms, unsigned max_ms, double jitter)
{
	unsigned long long d = base_ms;

	for (unsigned i = 1; i < attempt && d < max_ms; i++)
		d *= 2;
	if (d > max_ms)
		d = max_ms;
	if (jitter > 0 && jitter < 1)
		d += (unsigned long long)(d * jitter / 4);
	return (unsigned)d;
}

/* ---- statements ---- */

struct stmt {
	const char *name;
	const char *sql;
};

#define REC_COLS                                                                                   \
	"relay_id, id, created, sender, recipients, blocked, releases, publish_at, queue_id, "     \
	"action_taken, state, state_by, state_at, subject, message_id"
#define REQ_COLS                                                                                   \
	"id, relay_id, record_id, action, requested_by, via, reason, state, outcome, "             \
	"requested_from, requested_at, done_at"

static const struct stmt stmts[] = {
    {"put_record",
     "INSERT INTO records(" REC_COLS ", doc, eml, eml_size, shipped_at) VALUES ($1, $2, $3, $4, "
     "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
     "extract(epoch from now())::bigint) ON CONFLICT (relay_id, id) DO NOTHING"},
    {"put_state",
     "UPDATE records SET state = $3, state_by = $4, state_at = $5 WHERE relay_id = $1 AND id = "
     "$2 AND state_at <= $5 AND state <> 'deleted'"},
    {"put_audit", "INSERT INTO audit(relay_id, key, at, line) VALUES ($1, $2, $3, $4) "
		  "ON CONFLICT (relay_id, key) DO NOTHING"},
    {"put_lineage",
     "INSERT INTO lineage(relay_id, key, release, message_id, record, subject, action, via, at, "
     "expires, keys) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
     "ON CONFLICT (relay_id, key) DO NOTHING"},
    {"put_relay",
     "INSERT INTO relays(relay_id, program_version, rules_hash, rules_releases, "
     "rules_loaded_at, backlog, last_ship, last_contact, started_at) VALUES ($1, $2, $3, $4, $5, "
     "$6, $7, $8, $9) ON CONFLICT (relay_id) DO UPDATE SET program_version = $2, rules_hash = "
     "$3, rules_releases = $4, rules_loaded_at = $5, backlog = $6, last_ship = "
     "GREATEST(relays.last_ship, $7), last_contact = $8, started_at = $9"},
    {"lineage_since",
     "SELECT seq, relay_id, key, release, message_id, record, subject, action, via, at, "
     "expires, keys FROM lineage WHERE relay_id <> $1 AND seq > $2 ORDER BY seq LIMIT $3"},
    {"list",
     "SELECT " REC_COLS ", eml_size FROM records WHERE ($1::text IS NULL OR releases::jsonb ? "
     "$1) AND created >= $2 AND ($3::text IS NULL OR state = $3) ORDER BY created, relay_id, id"},
    {"get", "SELECT " REC_COLS ", eml_size, doc, eml FROM records WHERE id = $1 "
	    "ORDER BY shipped_at LIMIT 1"},
    {"audit", "SELECT relay_id, line FROM audit ORDER BY at, relay_id, key"},
    {"relays",
     "SELECT r.relay_id, program_version, rules_hash, rules_releases, rules_loaded_at, "
     "backlog, last_ship, last_contact, started_at, (SELECT count(*) FROM records c WHERE "
     "c.relay_id = r.relay_id) FROM relays r ORDER BY r.relay_id"},
    {"req_add",
     "INSERT INTO requests(" REQ_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', NULL, "
     "$8, $9, NULL)"},
    {"req_get", "SELECT " REQ_COLS " FROM requests WHERE id = $1"},
    {"req_open", "SELECT " REQ_COLS " FROM requests WHERE relay_id = $1 AND state IN ('pending', "
		 "'running') ORDER BY requested_at, id"},
    {"req_set", "UPDATE requests SET state = $2, outcome = $3, done_at = $4 WHERE id = $1"},
    /* schema 2: confirmation codes of every relay */
    {"put_confirm",
     "INSERT INTO confirm_codes(relay_id, record_id, sender, salt, code_hash, created, expires, "
     "shipped_at) VALUES ($1, $2, $3, $4, $5, $6, $7, extract(epoch from now())::bigint) "
     "ON CONFLICT (relay_id, record_id) DO NOTHING"},
    {"confirm_used",
     "UPDATE confirm_codes SET used_at = $3, used_by = $4, used_relay = $1 WHERE relay_id = $1 "
     "AND record_id = $2 AND used_at IS NULL"},
    {"confirm_open",
     "SELECT c.relay_id, c.record_id, c.sender, c.salt, c.code_hash, c.expires, "
     "coalesce((SELECT r.state = 'held' FROM records r WHERE r.relay_id = c.relay_id AND r.id = "
     "c.record_id), true) FROM confirm_codes c WHERE c.relay_id <> $1 AND c.used_at IS NULL "
     "AND c.expires > $2 ORDER BY c.created LIMIT $3"},
    {"confirm_claim",
     "UPDATE confirm_codes SET used_at = $3, used_by = $4, used_relay = $5 WHERE relay_id = $1 "
     "AND record_id = $2 AND used_at IS NULL RETURNING record_id"},
};
#define NSTMTS (sizeof(stmts) / sizeof(stmts[0]))

/* Schema versions: MIGRATIONS[v - 1] takes the database from v - 1 to v. */
static const char *const migrations[] = {
    /* 1 */
    "CREATE TABLE relays(relay_id text PRIMARY KEY, program_version text, rules_hash text, "
    " rules_releases text, rules_loaded_at bigint, backlog bigint, last_ship bigint, "
    " last_contact bigint, started_at bigint);"
    "CREATE TABLE records(relay_id text NOT NULL, id text NOT NULL, created bigint NOT NULL, "
    " sender text, recipients text NOT NULL, blocked text NOT NULL, releases text NOT NULL, "
    " publish_at bigint, queue_id text, action_taken text NOT NULL, state text NOT NULL, "
    " state_by text, state_at bigint NOT NULL, subject text, message_id text, doc text, "
    " eml bytea, eml_size bigint, shipped_at bigint NOT NULL, PRIMARY KEY(relay_id, id));"
    "CREATE INDEX records_id ON records(id);"
    "CREATE INDEX records_created ON records(created);"
    "CREATE TABLE audit(relay_id text NOT NULL, key text NOT NULL, at bigint NOT NULL, "
    " line text NOT NULL, PRIMARY KEY(relay_id, key));"
    "CREATE INDEX audit_at ON audit(at);"
    "CREATE TABLE lineage(seq bigserial UNIQUE, relay_id text NOT NULL, key text NOT NULL, "
    " release text NOT NULL, message_id text, record text, subject text, action text, "
    " via text, at bigint NOT NULL, expires bigint NOT NULL, keys text NOT NULL, "
    " PRIMARY KEY(relay_id, key));"
    "CREATE TABLE requests(id text PRIMARY KEY, relay_id text NOT NULL, record_id text NOT "
    " NULL, action text NOT NULL, requested_by text NOT NULL, via text NOT NULL, reason text "
    " NOT NULL, state text NOT NULL, outcome text, requested_from text, requested_at bigint "
    " NOT NULL, done_at bigint);"
    "CREATE INDEX requests_open ON requests(relay_id, state);",
    /* 2 */
    "CREATE TABLE confirm_codes(relay_id text NOT NULL, record_id text NOT NULL, "
    " sender text NOT NULL, salt text NOT NULL, code_hash text NOT NULL, "
    " created bigint NOT NULL, expires bigint NOT NULL, shipped_at bigint NOT NULL, "
    " used_at bigint, used_by text, used_relay text, PRIMARY KEY(relay_id, record_id));"
    "CREATE INDEX confirm_codes_open ON confirm_codes(expires) WHERE used_at IS NULL;",
};
#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))
_Static_assert(NMIGRATIONS == EM_PG_SCHEMA_VERSION, "one migration per schema version");

/* ---- connection ---- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop(struct em_pg *pg)
{
	PQfinish(pg->c);
	pg->c = NULL;
	pg->prepared = false;
}

struct em_pg *em_pg_new(const char *conninfo)
{
	struct em_pg *pg = calloc(1, sizeof(*pg));

	if (pg == NULL || (pg->conninfo = strdup(conninfo ? conninfo : "")) == NULL) {
		free(pg);
		return NULL;
	}
	return pg;
}

void em_pg_close(struct em_pg *pg)
{
	if (pg == NULL)
		return;
	drop(pg);
	free(pg->conninfo);
	free(pg);
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/*
 * Waits for the answer to what was sent on pg->c, within the call time
 * limit. Returns the last result (caller PQclear's) or NULL with err (the
 * connection is then dropped when lost or timed out).
 */
static PGresult *wait_result(struct em_pg *pg, char *err, size_t errsz)
{
	long long deadline = now_ms() + EM_PG_CALL_TIMEOUT_MS;
	PGresult *last = NULL, *r;
	int fl;

	while ((fl = PQflush(pg->c)) == 1) {
		struct pollfd p = {PQsocket(pg->c), POLLOUT | POLLIN, 0};
		long long left = deadline - now_ms();

		if (left <= 0 || poll(&p, 1, (int)left) == 0)
			goto timeout;
		if (p.revents & POLLIN)
			(void)PQconsumeInput(pg->c);
	}
	if (fl < 0)
		goto lost;
	for (;;) {
		if (!PQconsumeInput(pg->c))
			goto lost;
		if (!PQisBusy(pg->c)) {
			r = PQgetResult(pg->c);
			if (r == NULL)
				break;
			PQclear(last);
			last = r;
			continue;
		}
		struct pollfd p = {PQsocket(pg->c), POLLIN, 0};
		long long left = deadline - now_ms();
		int pr;

		if (left <= 0)
			goto timeout;
		pr = poll(&p, 1, (int)left);
		if (pr == 0)
			goto timeout;
		if (pr < 0 && errno != EINTR)
			goto lost;
	}
	if (last == NULL)
		seterr(err, errsz, "no result from the server");
	return last;
timeout:
	PQclear(last);
	{
		PGcancel *cn = PQgetCancel(pg->c);
		char buf[64];

		if (cn != NULL) {
			(void)PQcancel(cn, buf, sizeof(buf));
			PQfreeCancel(cn);
		}
	}
	seterr(err, errsz, "no answer within %d ms", EM_PG_CALL_TIMEOUT_MS);
	drop(pg);
	return NULL;
lost:
	PQclear(last);
	seterr(err, errsz, "%s", PQerrorMessage(pg->c));
	chomp(err);
	drop(pg);
	return NULL;
}

/* Checks r for success; on failure err and, for a lost connection, drop. */
static int check(struct em_pg *pg, PGresult *r, char *err, size_t errsz)
{
	ExecStatusType s = PQresultStatus(r);
	const char *state;

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
		return 0;
	state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	seterr(err, errsz, "%s%s%s", PQresultErrorMessage(r), state ? " SQLSTATE " : "",
	       state ? state : "");
	{
		char *nl = strchr(err, '\n');

		if (nl != NULL) /* one line: message, then the state */
			memmove(nl, nl + 1, strlen(nl));
	}
	if (em_pg_sqlstate_is_disconnect(state) || PQstatus(pg->c) != CONNECTION_OK)
		drop(pg);
	return -1;
}

/* Runs sql (no parameters) with the time limit. Returns 0 or -1. */
static int simple(struct em_pg *pg, const char *sql, PGresult **out, char *err, size_t errsz)
{
	PGresult *r;

	if (out)
		*out = NULL;
	if (!PQsendQuery(pg->c, sql)) {
		seterr(err, errsz, "%s", PQerrorMessage(pg->c));
		chomp(err);
		drop(pg);
		return -1;
	}
	if ((r = wait_result(pg, err, errsz)) == NULL)
		return -1;
	if (check(pg, r, err, errsz) < 0) {
		PQclear(r);
		return -1;
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return 0;
}

static int version_of(struct em_pg *pg, int *v, char *err, size_t errsz)
{
	PGresult *r;

	*v = 0;
	if (simple(pg, "SELECT to_regclass('schema_version') IS NOT NULL", &r, err, errsz) < 0)
		return -1;
	if (strcmp(PQgetvalue(r, 0, 0), "t") == 0) {
		PQclear(r);
		if (simple(pg, "SELECT coalesce(max(version), 0) FROM schema_version", &r, err,
			   errsz) < 0)
			return -1;
		*v = atoi(PQgetvalue(r, 0, 0));
	}
	PQclear(r);
	return 0;
}

static int prepare_all(struct em_pg *pg, char *err, size_t errsz)
{
	for (size_t i = 0; i < NSTMTS; i++) {
		PGresult *r;

		if (!PQsendPrepare(pg->c, stmts[i].name, stmts[i].sql, 0, NULL)) {
			seterr(err, errsz, "%s", PQerrorMessage(pg->c));
			chomp(err);
			drop(pg);
			return -1;
		}
		if ((r = wait_result(pg, err, errsz)) == NULL)
			return -1;
		if (check(pg, r, err, errsz) < 0) {
			PQclear(r);
			return -1;
		}
		PQclear(r);
	}
	pg->prepared = true;
	return 0;
}

int em_pg_connect(struct em_pg *pg, char *err, size_t errsz)
{
	char ct[16], opt[64];
	/* our defaults first: the connection string (expanded last) overrides them */
	const char *keys[] = {"connect_timeout",
			      "keepalives",
			      "keepalives_idle",
			      "keepalives_interval",
			      "keepalives_count",
			      "application_name",
			      "options",
			      "dbname",
			      NULL};
	const char *vals[] = {ct, "1", "10", "3", "3", "embargo-milter", opt, pg->conninfo, NULL};
	int v;

	if (pg->c != NULL && PQstatus(pg->c) != CONNECTION_OK)
		drop(pg);
	if (pg->c == NULL) {
		snprintf(ct, sizeof(ct), "%d", EM_PG_CONNECT_TIMEOUT_S);
		snprintf(opt, sizeof(opt), "-c statement_timeout=%d", EM_PG_CALL_TIMEOUT_MS);
		pg->c = PQconnectdbParams(keys, vals, 1);
		if (pg->c == NULL) {
			seterr(err, errsz, "out of memory");
			return -1;
		}
		if (PQstatus(pg->c) != CONNECTION_OK) {
			seterr(err, errsz, "%s", PQerrorMessage(pg->c));
			chomp(err);
			drop(pg);
			return -1;
		}
		pg->prepared = false;
	}
	if (!pg->prepared) {
		if (version_of(pg, &v, err, errsz) < 0)
			return -1;
		if (v < EM_PG_SCHEMA_VERSION)
			return 0; /* statements after `embargoctl store migrate` */
		if (v > EM_PG_SCHEMA_VERSION) {
			seterr(err, errsz, "schema version %d is newer than this program's (%d)", v,
			       EM_PG_SCHEMA_VERSION);
			drop(pg);
			return -1;
		}
		return prepare_all(pg, err, errsz);
	}
	return 0;
}

int em_pg_schema_version(struct em_pg *pg, int *version, char *err, size_t errsz)
{
	if (em_pg_connect(pg, err, errsz) < 0)
		return -1;
	return version_of(pg, version, err, errsz);
}

int em_pg_migrate(struct em_pg *pg, int *from, int *to, char *err, size_t errsz)
{
	int v;

	if (em_pg_connect(pg, err, errsz) < 0)
		return -1;
	/* one migrator at a time: a transaction-scoped advisory lock per step */
	if (simple(pg, "CREATE TABLE IF NOT EXISTS schema_version(version integer NOT NULL)", NULL,
		   err, errsz) < 0 ||
	    version_of(pg, &v, err, errsz) < 0)
		return -1;
	if (from)
		*from = v;
	if (v > EM_PG_SCHEMA_VERSION) {
		seterr(err, errsz, "schema version %d is newer than this program's (%d)", v,
		       EM_PG_SCHEMA_VERSION);
		return -1;
	}
	while (v < EM_PG_SCHEMA_VERSION) {
		char step[64];
		int now;

		if (simple(pg, "BEGIN", NULL, err, errsz) < 0)
			return -1;
		if (simple(pg, "SELECT pg_advisory_xact_lock(4242001)", NULL, err, errsz) < 0 ||
		    version_of(pg, &now, err, errsz) < 0)
			goto rollback;
		if (now != v) { /* another migrator got there first */
			em_pg_rollback(pg);
			v = now;
			continue;
		}
		snprintf(step, sizeof(step), "INSERT INTO schema_version VALUES (%d)", v + 1);
		if (simple(pg, migrations[v], NULL, err, errsz) < 0 ||
		    simple(pg, step, NULL, err, errsz) < 0 ||
		    simple(pg, "COMMIT", NULL, err, errsz) < 0)
			goto rollback;
		v++;
	}
	if (to)
		*to = v;
	if (!pg->prepared)
		return prepare_all(pg, err, errsz);
	return 0;
rollback:
	em_pg_rollback(pg);
	return -1;
}

/* Runs prepared statement name; *out (may be NULL) receives the result. */
static int run(struct em_pg *pg, const char *name, int n, const char *const *vals, const int *lens,
	       const int *fmts, PGresult **out, char *err, size_t errsz)
{
	PGresult *r;

	if (out)
		*out = NULL;
	if (em_pg_connect(pg, err, errsz) < 0)
		return -1;
	if (!pg->prepared) {
		seterr(err, errsz,
		       "the shared store's schema is missing or older than this program's (%d): "
		       "run `embargoctl store migrate`",
		       EM_PG_SCHEMA_VERSION);
		return -1;
	}
	if (!PQsendQueryPrepared(pg->c, name, n, vals, lens, fmts, 0)) {
		seterr(err, errsz, "%s", PQerrorMessage(pg->c));
		chomp(err);
		drop(pg);
		return -1;
	}
	if ((r = wait_result(pg, err, errsz)) == NULL)
		return -1;
	if (check(pg, r, err, errsz) < 0) {
		PQclear(r);
		return -1;
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return 0;
}

int em_pg_begin(struct em_pg *pg, char *err, size_t errsz)
{
	if (em_pg_connect(pg, err, errsz) < 0)
		return -1;
	if (!pg->prepared) {
		seterr(err, errsz,
		       "the shared store's schema is missing or older than this program's (%d): "
		       "run `embargoctl store migrate`",
		       EM_PG_SCHEMA_VERSION);
		return -1;
	}
	return simple(pg, "BEGIN", NULL, err, errsz);
}

int em_pg_commit(struct em_pg *pg, char *err, size_t errsz)
{
	if (pg->c == NULL) {
		seterr(err, errsz, "connection lost");
		return -1;
	}
	return simple(pg, "COMMIT", NULL, err, errsz);
}

void em_pg_rollback(struct em_pg *pg)
{
	char err[64];

	if (pg->c != NULL)
		(void)simple(pg, "ROLLBACK", NULL, err, sizeof(err));
}

/* ---- writing ---- */

#define LL(buf, v) (snprintf((buf), sizeof(buf), "%lld", (long long)(v)), (buf))

int em_pg_put_record(struct em_pg *pg, const char *relay, const struct em_pg_record *r,
		     int *inserted, char *err, size_t errsz)
{
	char c[24], p[24], sa[24], es[24];
	const char *v[18] = {relay,
			     r->id,
			     LL(c, r->created),
			     r->sender,
			     r->recipients,
			     r->blocked,
			     r->releases,
			     r->publish_at ? LL(p, r->publish_at) : NULL,
			     r->queue_id,
			     r->action_taken,
			     r->state,
			     r->state_by,
			     LL(sa, r->state_at),
			     r->subject,
			     r->message_id,
			     r->doc,
			     r->eml,
			     r->eml_size >= 0 ? LL(es, r->eml_size) : NULL};
	int lens[18] = {0}, fmts[18] = {0};
	PGresult *res;

	lens[16] = (int)r->eml_len;
	fmts[16] = 1; /* bytea in binary: no escaping of the message */
	if (run(pg, "put_record", 18, v, lens, fmts, &res, err, errsz) < 0)
		return -1;
	if (inserted)
		*inserted = atoi(PQcmdTuples(res)) > 0;
	PQclear(res);
	return 0;
}

int em_pg_put_state(struct em_pg *pg, const char *relay, const char *id, const char *state,
		    const char *by, long long at, char *err, size_t errsz)
{
	char a[24];
	const char *v[5] = {relay, id, state, by, LL(a, at)};

	return run(pg, "put_state", 5, v, NULL, NULL, NULL, err, errsz);
}

int em_pg_put_audit(struct em_pg *pg, const char *relay, const char *key, long long at,
		    const char *line, char *err, size_t errsz)
{
	char a[24];
	const char *v[4] = {relay, key, LL(a, at), line};

	return run(pg, "put_audit", 4, v, NULL, NULL, NULL, err, errsz);
}

int em_pg_put_lineage(struct em_pg *pg, const char *relay, const struct em_pg_lineage *l, char *err,
		      size_t errsz)
{
	char a[24], e[24];
	const char *v[11] = {relay,
			     l->key,
			     l->release,
			     l->message_id,
			     l->record,
			     l->subject,
			     l->action,
			     l->via,
			     LL(a, l->at),
			     LL(e, l->expires),
			     l->keys ? l->keys : ""};

	return run(pg, "put_lineage", 11, v, NULL, NULL, NULL, err, errsz);
}

int em_pg_put_relay(struct em_pg *pg, const struct em_pg_relay *r, char *err, size_t errsz)
{
	char a[24], b[24], c[24], d[24], e[24];
	const char *v[9] = {r->relay_id,	 r->program_version,	    r->rules_hash,
			    r->rules_releases,	 LL(a, r->rules_loaded_at), LL(b, r->backlog),
			    LL(c, r->last_ship), LL(d, r->last_contact),    LL(e, r->started_at)};

	return run(pg, "put_relay", 9, v, NULL, NULL, NULL, err, errsz);
}

/* ---- reading ---- */

static char *dup_col(PGresult *r, int row, int col, bool *nomem)
{
	char *s;

	if (PQgetisnull(r, row, col))
		return NULL;
	if ((s = strdup(PQgetvalue(r, row, col))) == NULL)
		*nomem = true;
	return s;
}

static long long ll_col(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : atoll(PQgetvalue(r, row, col));
}

int em_pg_lineage_since(struct em_pg *pg, const char *not_relay, long long after, int limit,
			struct em_pg_lineage **rows, size_t *n, char *err, size_t errsz)
{
	char a[24], l[24];
	const char *v[3] = {not_relay, LL(a, after), LL(l, limit)};
	PGresult *r;
	bool nomem = false;
	int nt;

	*rows = NULL;
	*n = 0;
	if (run(pg, "lineage_since", 3, v, NULL, NULL, &r, err, errsz) < 0)
		return -1;
	nt = PQntuples(r);
	if (nt > 0 && (*rows = calloc((size_t)nt, sizeof(**rows))) == NULL)
		nomem = true;
	for (int i = 0; !nomem && i < nt; i++) {
		struct em_pg_lineage *x = &(*rows)[i];

		x->seq = ll_col(r, i, 0);
		x->relay = dup_col(r, i, 1, &nomem);
		x->key = dup_col(r, i, 2, &nomem);
		x->release = dup_col(r, i, 3, &nomem);
		x->message_id = dup_col(r, i, 4, &nomem);
		x->record = dup_col(r, i, 5, &nomem);
		x->subject = dup_col(r, i, 6, &nomem);
		x->action = dup_col(r, i, 7, &nomem);
		x->via = dup_col(r, i, 8, &nomem);
		x->at = ll_col(r, i, 9);
		x->expires = ll_col(r, i, 10);
		x->keys = dup_col(r, i, 11, &nomem);
		(*n)++;
	}
	PQclear(r);
	if (nomem) {
		em_pg_lineage_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		seterr(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

void em_pg_lineage_free(struct em_pg_lineage *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].relay);
		free((char *)rows[i].key);
		free((char *)rows[i].release);
		free((char *)rows[i].message_id);
		free((char *)rows[i].record);
		free((char *)rows[i].subject);
		free((char *)rows[i].action);
		free((char *)rows[i].via);
		free((char *)rows[i].keys);
	}
	free(rows);
}

static void fill_row(PGresult *r, int i, struct em_pg_row *x, bool *nomem)
{
	x->relay = dup_col(r, i, 0, nomem);
	x->id = dup_col(r, i, 1, nomem);
	x->created = ll_col(r, i, 2);
	x->sender = dup_col(r, i, 3, nomem);
	x->recipients = dup_col(r, i, 4, nomem);
	x->blocked = dup_col(r, i, 5, nomem);
	x->releases = dup_col(r, i, 6, nomem);
	x->publish_at = ll_col(r, i, 7);
	x->queue_id = dup_col(r, i, 8, nomem);
	x->action_taken = dup_col(r, i, 9, nomem);
	x->state = dup_col(r, i, 10, nomem);
	x->state_by = dup_col(r, i, 11, nomem);
	x->state_at = ll_col(r, i, 12);
	x->subject = dup_col(r, i, 13, nomem);
	x->message_id = dup_col(r, i, 14, nomem);
	x->eml_size = PQgetisnull(r, i, 15) ? -1 : ll_col(r, i, 15);
}

int em_pg_list(struct em_pg *pg, const char *release, long long since, const char *state,
	       struct em_pg_row **rows, size_t *n, char *err, size_t errsz)
{
	char s[24];
	const char *v[3] = {release, LL(s, since), state};
	PGresult *r;
	bool nomem = false;
	int nt;

	*rows = NULL;
	*n = 0;
	if (run(pg, "list", 3, v, NULL, NULL, &r, err, errsz) < 0)
		return -1;
	nt = PQntuples(r);
	if (nt > 0 && (*rows = calloc((size_t)nt, sizeof(**rows))) == NULL)
		nomem = true;
	for (int i = 0; !nomem && i < nt; i++) {
		fill_row(r, i, &(*rows)[i], &nomem);
		(*n)++;
	}
	PQclear(r);
	if (nomem) {
		em_pg_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		seterr(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

void em_pg_rows_free(struct em_pg_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		struct em_pg_row *x = &rows[i];

		free(x->relay);
		free(x->id);
		free(x->sender);
		free(x->recipients);
		free(x->blocked);
		free(x->releases);
		free(x->queue_id);
		free(x->action_taken);
		free(x->state);
		free(x->state_by);
		free(x->subject);
		free(x->message_id);
	}
	free(rows);
}

int em_pg_get(struct em_pg *pg, const char *id, struct em_pg_row **row, char **doc, char **eml,
	      size_t *eml_len, char *err, size_t errsz)
{
	const char *v[1] = {id};
	PGresult *r;
	bool nomem = false;
	int rc = 0;

	if (row)
		*row = NULL;
	if (doc)
		*doc = NULL;
	if (eml)
		*eml = NULL;
	if (eml_len)
		*eml_len = 0;
	if (run(pg, "get", 1, v, NULL, NULL, &r, err, errsz) < 0)
		return -1;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return 1;
	}
	if (row && (*row = calloc(1, sizeof(**row))) != NULL)
		fill_row(r, 0, *row, &nomem);
	else if (row)
		nomem = true;
	if (doc)
		*doc = dup_col(r, 0, 16, &nomem);
	if (eml && !PQgetisnull(r, 0, 17)) {
		size_t len = 0;
		unsigned char *b =
		    PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 17), &len);

		if (b == NULL) {
			nomem = true;
		} else if ((*eml = malloc(len + 1)) == NULL) {
			nomem = true;
		} else {
			memcpy(*eml, b, len);
			(*eml)[len] = '\0';
			if (eml_len)
				*eml_len = len;
		}
		PQfreemem(b);
	}
	PQclear(r);
	if (nomem) {
		if (row) {
			em_pg_rows_free(*row, *row ? 1 : 0);
			*row = NULL;
		}
		if (doc) {
			free(*doc);
			*doc = NULL;
		}
		if (eml) {
			free(*eml);
			*eml = NULL;
		}
		seterr(err, errsz, "out of memory");
		rc = -1;
	}
	return rc;
}

int em_pg_audit_each(struct em_pg *pg, void (*fn)(void *arg, const char *relay, const char *line),
		     void *arg, char *err, size_t errsz)
{
	PGresult *r;

	if (run(pg, "audit", 0, NULL, NULL, NULL, &r, err, errsz) < 0)
		return -1;
	for (int i = 0; i < PQntuples(r); i++)
		fn(arg, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
	PQclear(r);
	return 0;
}

int em_pg_relays(struct em_pg *pg, struct em_pg_relay_row **rows, size_t *n, char *err,
		 size_t errsz)
{
	PGresult *r;
	bool nomem = false;
	int nt;

	*rows = NULL;
	*n = 0;
	if (run(pg, "relays", 0, NULL, NULL, NULL, &r, err, errsz) < 0)
		return -1;
	nt = PQntuples(r);
	if (nt > 0 && (*rows = calloc((size_t)nt, sizeof(**rows))) == NULL)
		nomem = true;
	for (int i = 0; !nomem && i < nt; i++) {
		struct em_pg_relay_row *x = &(*rows)[i];

		x->relay_id = dup_col(r, i, 0, &nomem);
		x->program_version = dup_col(r, i, 1, &nomem);
		x->rules_hash = dup_col(r, i, 2, &nomem);
		x->rules_releases = dup_col(r, i, 3, &nomem);
		x->rules_loaded_at = ll_col(r, i, 4);
		x->backlog = ll_col(r, i, 5);
		x->last_ship = ll_col(r, i, 6);
		x->last_contact = ll_col(r, i, 7);
		x->started_at = ll_col(r, i, 8);
		x->records = ll_col(r, i, 9);
		(*n)++;
	}
	PQclear(r);
	if (nomem) {
		em_pg_relays_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		seterr(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

void em_pg_relays_free(struct em_pg_relay_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].relay_id);
		free(rows[i].program_version);
		free(rows[i].rules_hash);
		free(rows[i].rules_releases);
	}
	free(rows);
}

/* ---- requests ---- */

int em_pg_request_add(struct em_pg *pg, const char *id, const char *relay, const char *record_id,
		      const char *action, const char *by, const char *via, const char *reason,
		      const char *from_relay, long long now, char *err, size_t errsz)
{
	char t[24];
	const char *v[9] = {id,		relay,	   record_id, action, by, via, reason ? reason : "",
			    from_relay, LL(t, now)};

	return run(pg, "req_add", 9, v, NULL, NULL, NULL, err, errsz);
}

static int req_rows(PGresult *r, struct em_pg_request **rows, size_t *n, char *err, size_t errsz)
{
	bool nomem = false;
	int nt = PQntuples(r);

	*rows = NULL;
	*n = 0;
	if (nt > 0 && (*rows = calloc((size_t)nt, sizeof(**rows))) == NULL)
		nomem = true;
	for (int i = 0; !nomem && i < nt; i++) {
		struct em_pg_request *x = &(*rows)[i];

		x->id = dup_col(r, i, 0, &nomem);
		x->relay_id = dup_col(r, i, 1, &nomem);
		x->record_id = dup_col(r, i, 2, &nomem);
		x->action = dup_col(r, i, 3, &nomem);
		x->requested_by = dup_col(r, i, 4, &nomem);
		x->via = dup_col(r, i, 5, &nomem);
		x->reason = dup_col(r, i, 6, &nomem);
		x->state = dup_col(r, i, 7, &nomem);
		x->outcome = dup_col(r, i, 8, &nomem);
		x->requested_from = dup_col(r, i, 9, &nomem);
		x->requested_at = ll_col(r, i, 10);
		x->done_at = ll_col(r, i, 11);
		(*n)++;
	}
	PQclear(r);
	if (nomem) {
		em_pg_requests_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		seterr(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

int em_pg_request_get(struct em_pg *pg, const char *id, struct em_pg_request **out, char *err,
		      size_t errsz)
{
	const char *v[1] = {id};
	PGresult *r;
	size_t n;

	*out = NULL;
	if (run(pg, "req_get", 1, v, NULL, NULL, &r, err, errsz) < 0 ||
	    req_rows(r, out, &n, err, errsz) < 0)
		return -1;
	return n == 0 ? 1 : 0;
}

int em_pg_requests_open(struct em_pg *pg, const char *relay, struct em_pg_request **rows, size_t *n,
			char *err, size_t errsz)
{
	const char *v[1] = {relay};
	PGresult *r;

	*rows = NULL;
	*n = 0;
	if (run(pg, "req_open", 1, v, NULL, NULL, &r, err, errsz) < 0)
		return -1;
	return req_rows(r, rows, n, err, errsz);
}

int em_pg_request_set(struct em_pg *pg, const char *id, const char *state, const char *outcome,
		      long long done_at, char *err, size_t errsz)
{
	char d[24];
	const char *v[4] = {id, state, outcome, done_at ? LL(d, done_at) : NULL};

	return run(pg, "req_set", 4, v, NULL, NULL, NULL, err, errsz);
}

void em_pg_requests_free(struct em_pg_request *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		struct em_pg_request *x = &rows[i];

		free(x->id);
		free(x->relay_id);
		free(x->record_id);
		free(x->action);
		free(x->requested_by);
		free(x->via);
		free(x->reason);
		free(x->state);
		free(x->outcome);
		free(x->requested_from);
	}
	free(rows);
}

/* ---- confirmation codes (schema 2) ---- */

int em_pg_put_confirm(struct em_pg *pg, const char *relay, const struct em_pg_confirm *c, char *err,
		      size_t errsz)
{
	char a[24], e[24];
	const char *v[7] = {relay,   c->record_id,	c->sender,	  c->salt,
			    c->hash, LL(a, c->created), LL(e, c->expires)};

	return run(pg, "put_confirm", 7, v, NULL, NULL, NULL, err, errsz);
}

int em_pg_confirm_used(struct em_pg *pg, const char *relay, const char *record_id, long long at,
		       const char *by, char *err, size_t errsz)
{
	char a[24];
	const char *v[4] = {relay, record_id, LL(a, at), by};

	return run(pg, "confirm_used", 4, v, NULL, NULL, NULL, err, errsz);
}

int em_pg_confirm_open(struct em_pg *pg, const char *not_relay, long long now, int limit,
		       struct em_pg_confirm **rows, size_t *n, char *err, size_t errsz)
{
	char t[24], l[24];
	const char *v[3] = {not_relay, LL(t, now), LL(l, limit)};
	PGresult *r;
	bool nomem = false;
	int nt;

	*rows = NULL;
	*n = 0;
	if (run(pg, "confirm_open", 3, v, NULL, NULL, &r, err, errsz) < 0)
		return -1;
	nt = PQntuples(r);
	if (nt > 0 && (*rows = calloc((size_t)nt, sizeof(**rows))) == NULL)
		nomem = true;
	for (int i = 0; !nomem && i < nt; i++) {
		struct em_pg_confirm *x = &(*rows)[i];

		x->relay = dup_col(r, i, 0, &nomem);
		x->record_id = dup_col(r, i, 1, &nomem);
		x->sender = dup_col(r, i, 2, &nomem);
		x->salt = dup_col(r, i, 3, &nomem);
		x->hash = dup_col(r, i, 4, &nomem);
		x->expires = ll_col(r, i, 5);
		x->held = strcmp(PQgetvalue(r, i, 6), "t") == 0;
		(*n)++;
	}
	PQclear(r);
	if (nomem) {
		em_pg_confirm_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		seterr(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

void em_pg_confirm_free(struct em_pg_confirm *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].relay);
		free((char *)rows[i].record_id);
		free((char *)rows[i].sender);
		free((char *)rows[i].salt);
		free((char *)rows[i].hash);
	}
	free(rows);
}

int em_pg_confirm_claim(struct em_pg *pg, const char *relay, const char *record_id, long long at,
			const char *by, const char *by_relay, char *err, size_t errsz)
{
	char a[24];
	const char *v[5] = {relay, record_id, LL(a, at), by, by_relay};
	PGresult *r;
	int got;

	if (run(pg, "confirm_claim", 5, v, NULL, NULL, &r, err, errsz) < 0)
		return -1;
	got = PQntuples(r) > 0;
	PQclear(r);
	return got;
}
