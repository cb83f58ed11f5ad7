# pg_lib.sh - a throw-away PostgreSQL server for the tests that need one
# (t_pg_shared, tests/bench/bench-mta-store.sh). Source after lib.sh and
# e2e_init; T must name the test's temporary directory.
#
#   pg_find         sets PGBIN (the newest /usr/lib/postgresql/*/bin); false
#                   when the server binaries or the postgres user are missing
#   pg_init [OPTS]  initdb into $T/pgdata as postgres, superuser "embargo",
#                   trust auth, UTF8 (OPTS: extra initdb options); sets PGPORT
#   pg_start [OPTS] starts the server on 127.0.0.1:$PGPORT (OPTS: extra -c
#                   settings) and waits (bounded) until it answers; PG_PID
#   pg_stop         fast shutdown, bounded, then SIGKILL
#   pg_kill9        the server and its backends killed, as in a crash
#   q SQL           runs SQL as embargo, unaligned tuples only
PG_PID=""

pg_find() {
	PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] && id postgres >/dev/null 2>&1
}

as_pg() { setpriv --reuid=postgres --regid=postgres --clear-groups -- env HOME="$T" "$@"; }

pg_init() {
	PGPORT=$(e2e_free_port) || e2e_fail "no free port"
	mkdir -p "$T/pgdata" "$T/pgsock"
	chown postgres:postgres "$T/pgdata" "$T/pgsock"
	chmod 700 "$T/pgdata"
	as_pg "$PGBIN/initdb" -D "$T/pgdata" -U embargo --auth=trust -E UTF8 "$@" \
		>"$T/initdb.log" 2>&1 || e2e_fail "initdb: $(tail -n 5 "$T/initdb.log")"
}

psql_ok() { q "select 1" >/dev/null 2>&1; }
q() { "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U embargo -d postgres -Atqc "$1"; }

pg_start() {
	as_pg "$PGBIN/postgres" -D "$T/pgdata" -p "$PGPORT" -k "$T/pgsock" \
		-c listen_addresses=127.0.0.1 "$@" >>"$T/pg.log" 2>&1 &
	PG_PID=$!
	e2e_wait 30 psql_ok || e2e_fail "PostgreSQL did not start: $(tail -n 5 "$T/pg.log")"
}

_pg_children_gone() { ! pgrep -u postgres -f "$T/pgdata" >/dev/null; }
_pg_down() { [ ! -e "$T/pgdata/postmaster.pid" ]; }

# the postmaster (from its pid file) and its backends: a restart finds the
# lock file of a crash and refuses while any of them is still there
_pg_pids() {
	local pm
	pm=$(head -n 1 "$T/pgdata/postmaster.pid" 2>/dev/null)
	[ -n "$pm" ] && echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')"
}
_pg_pids_gone() {
	local p
	for p in $PG_OLD_PIDS; do kill -0 "$p" 2>/dev/null && return 1; done
	return 0
}

pg_kill9() {
	PG_OLD_PIDS=$(_pg_pids)
	pkill -KILL -P "$PG_PID" 2>/dev/null
	kill -KILL "$PG_PID" 2>/dev/null
	# shellcheck disable=SC2086 # a list of pids
	[ -n "$PG_OLD_PIDS" ] && kill -KILL $PG_OLD_PIDS 2>/dev/null
	wait "$PG_PID" 2>/dev/null
	e2e_wait 10 _pg_children_gone || true
	# a killed postmaster stays a zombie until its new parent reaps it, and
	# postgres takes a live pid in the lock file for a running server
	e2e_wait 20 _pg_pids_gone || true
	PG_PID=""
}

pg_stop() {
	[ -n "$PG_PID" ] || return 0
	kill -INT "$PG_PID" 2>/dev/null # fast shutdown
	# the server removes its pid file last (its pid stays a zombie of ours until waited for)
	e2e_wait 10 _pg_down || kill -KILL "$PG_PID" 2>/dev/null
	wait "$PG_PID" 2>/dev/null
	PG_PID=""
}
