#!/bin/bash
# bench-mta-store.sh BUILD - `make bench-mta` with the shared PostgreSQL store
# (BENCH_STORE=pg; issue 14's measurements): does a relay that copies its
# records to PostgreSQL filter as fast as one on SQLite alone, also while
# PostgreSQL is down, and how far behind is the copy?
#
# One real PostgreSQL server (Debian's postgresql: initdb as the postgres user
# into the temp dir, 127.0.0.1 and a private port, default settings, schema by
# `embargoctl store migrate`) and three embargo-milter daemons with the same
# 50 releases as bench-mta.sh, each behind its own throw-away Postfix
# (tests/e2e/lib.sh) that relays to one smtp-sink:
#   sqlite  no `store`: the default, one relay
#   pg      store = that server: every record and state change goes to the
#           local outbox in the same SQLite transaction, the shipper thread
#           copies it
#   pgdown  store = a port of 127.0.0.1 where no server listens (a stopped
#           PostgreSQL): connections are refused, the outbox only grows
# Each run sends the realistic mix of gen-mta-mix.py at the first of BENCH_SIZES
# (N = BENCH_MSGS clean messages, N/10 of each kind, none naming a release)
# plus N/10 leaks of one release (marker + identifier, small), which the
# daemon holds (a record, .eml and outbox row each: the shipper's work). The
# rate is (N + N/10) / (time until smtp-source is done, the queue is empty
# again, the instance's log counts N deliveries and the hold queue N/10 more
# messages). Rounds are interleaved, each starting with the next mode
# (sqlite pg pgdown, pg pgdown sqlite, pgdown sqlite pg, ...), so load on the
# machine hits every mode alike.
#
# Reported: per round the three rates and the ratios pg/sqlite and
# pgdown/sqlite; at the end the median rates, each daemon's decision time
# (p50/p99 over every message it decided, from `embargoctl status`), the
# shipper's lag (outbox row inserted -> its batch committed in PostgreSQL:
# p95 and max over every row shipped, from the pg daemon's status), and
# checks: the pg daemon's backlog drains to 0 and PostgreSQL holds exactly
# its records; the pgdown daemon says NOT connected and holds them all in
# its outbox. Every wait is bounded (BENCH_TIMEOUT seconds, default 600).
#
# Environment: BENCH_MSGS (default 1000), BENCH_ROUNDS (default 3),
# BENCH_SIZES (its first size is used; default 10240), BENCH_SESSIONS (default 10), E2E_KEEP=1 keeps
# the temp dir. Needs root (Postfix instances, the postgres user).
set -u
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
export BUILD
. "$(cd "$(dirname "$0")/../e2e" && pwd)/lib.sh"
. "$(cd "$(dirname "$0")/../e2e" && pwd)/pg_lib.sh"

N=${BENCH_MSGS:-1000}
N=$(((N + 9) / 10 * 10))
HELD=$((N / 10))
ROUNDS=${BENCH_ROUNDS:-3}
SIZE=${BENCH_SIZES:-10240}
SIZE=${SIZE%% *}
SESSIONS=${BENCH_SESSIONS:-10}
RUN_TIMEOUT=${BENCH_TIMEOUT:-600}
MODES="sqlite pg pgdown"
command -v smtp-source >/dev/null && command -v smtp-sink >/dev/null ||
	{ echo "bench-mta-store: smtp-source/smtp-sink not found (package postfix)"; exit 1; }
[ -x "$BUILD/embargo-milter" ] || { echo "bench-mta-store: $BUILD/embargo-milter not built"; exit 1; }
pg_find || { echo "bench-mta-store: PostgreSQL server binaries or the postgres user missing (apt-get install postgresql)"; exit 1; }

e2e_init
T=$E2E_TMP
CTL=$BUILD/embargoctl

# --- PostgreSQL -----------------------------------------------------------------
pg_init
DOWNPORT=$(e2e_free_port) || e2e_fail "no free port"
trap 'rc=$?; pg_stop; (exit $rc); e2e_cleanup' EXIT
pg_start

# --- the rules, the messages ------------------------------------------------------
mkdir -p "$T/releases.d" "$T/mix"
python3 - "$T/releases.d" "$(em_time 720)" "$(em_time 696)" <<'PY'
import sys
d, publish, pra_from = sys.argv[1:4]
for r in range(1, 51):  # as bench-mta.sh
    ids = ", ".join('"Bench Release %02d Indicator %d"' % (r, k) for k in range(1, 6))
    content = ", ".join('"bench-%02d series %d (rose|fell) by [0-9.]+ ?%%"' % (r, k) for k in range(1, 6))
    open("%s/bench-%02d.conf" % (d, r), "w").write(
        'release = {\n  id = "bench-%02d";\n  title = "Benchmark release %02d";\n'
        '  publish_at = "%s";\n  pre_release_from = "%s";\n  identifiers = ( %s );\n'
        '  content = ( %s );\n  producers = ( "@stats.bench.test" );\n'
        '  pre_release_access = ( "pra%02d@gov.bench.test" );\n  action = "quarantine";\n'
        '};\n' % (r, r, publish, pra_from, ids, content, r))
PY
python3 "$(dirname "$0")/gen-mta-mix.py" "$T/mix" "$SIZE" || e2e_fail "gen-mta-mix.py failed"
cat >"$T/mix/held.eml" <<'EOF'
From: Analyst <bench@stats.bench.test>
To: reader@out.bench.test
Subject: Briefing ahead of publication
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

OFFICIAL-SENSITIVE

Please find the briefing on Bench Release 07 Indicator 3 ahead of
publication. Do not forward.
EOF

# --- three daemons --------------------------------------------------------------
declare -A CONFS EMPORT EMPID
STORE_UP="host=127.0.0.1 port=$PGPORT dbname=postgres user=embargo"
STORE_DOWN="host=127.0.0.1 port=$DOWNPORT dbname=postgres user=embargo connect_timeout=2"
for mode in $MODES; do
	d=$T/em-$mode
	mkdir -p "$d/quarantine"
	{
		echo 'mode = "enforce";'
		echo "releases_dir = \"$T/releases.d\";"
		echo 'markers = ( "OFFICIAL[-: ]?SENSITIVE", "PRE-RELEASE ACCESS", "EMBARGOED" );'
		echo 'default_action = "quarantine";'
		echo 'weak_action = "quarantine";'
		echo "quarantine_dir = \"$d/quarantine\";"
		echo 'on_error = "tempfail";'
		echo 'control_socket = "control.sock";'
		case $mode in
		pg) echo "store = \"$STORE_UP\";" && echo 'relay_id = "bench-pg";' ;;
		pgdown) echo "store = \"$STORE_DOWN\";" && echo 'relay_id = "bench-pgdown";' ;;
		esac
	} >"$d/embargo-milter.conf"
	CONFS[$mode]=$d/embargo-milter.conf
done
out=$("$CTL" store migrate -c "${CONFS[pg]}" 2>&1) || e2e_fail "store migrate: $out"
for mode in $MODES; do
	EMPORT[$mode]=$(e2e_free_port)
	"$BUILD/embargo-milter" -f -c "${CONFS[$mode]}" -p "inet:${EMPORT[$mode]}@127.0.0.1" \
		>>"$T/milter-$mode.log" 2>&1 &
	EMPID[$mode]=$!
	E2E_PIDS+=("$!")
done
for mode in $MODES; do
	e2e_wait 60 e2e_port_open "${EMPORT[$mode]}" ||
		e2e_fail "embargo-milter ($mode) did not start: $(tail -n 5 "$T/milter-$mode.log")"
done

# --- three Postfix instances ------------------------------------------------------
SINK_PORT=$(e2e_free_port)
PF_EXTRA="in_flow_delay = 0
default_process_limit = 200
smtpd_client_connection_count_limit = 0
smtp_destination_concurrency_limit = 20"
declare -A PORT QUEUE CONF
for mode in $MODES; do
	PF_NAME=pf-$mode pf_setup "inet:127.0.0.1:${EMPORT[$mode]}"
	pf_start
	PORT[$mode]=$PF_PORT
	QUEUE[$mode]=$PF_QUEUE
	CONF[$mode]=$PF_CONF
done
smtp-sink -u postfix -4 "127.0.0.1:$SINK_PORT" 256 >"$T/sink.out" 2>&1 &
E2E_PIDS+=("$!")
e2e_wait 10 e2e_port_open "$SINK_PORT" || e2e_fail "smtp-sink did not start"

queue_empty() {
	[ -z "$(find "$1/incoming" "$1/active" "$1/deferred" "$1/maildrop" -type f 2>/dev/null | head -n 1)" ]
}
sent_count() { grep -c 'status=sent' "$1/maillog" 2>/dev/null || true; }
hold_count() { find "$1/hold" -type f 2>/dev/null | wc -l; }

# run_one MODE: sets RATE (msgs/s, or "fail")
run_one() {
	local mode=$1 t0 t1 before hb pids=() k p per=$((N / 10)) ses=$(((SESSIONS + 9) / 10))
	RATE=fail
	before=$(sent_count "${CONF[$mode]}")
	hb=$(hold_count "${QUEUE[$mode]}")
	t0=$(date +%s.%N)
	for k in 00 01 02 03 04 05 06 07 08 09 held; do
		smtp-source -4 -s "$ses" -m "$per" -F "$T/mix/$k.eml" -f bench@stats.bench.test \
			-t reader@out.bench.test -M client.bench.test "127.0.0.1:${PORT[$mode]}" \
			>>"$T/source.out" 2>&1 &
		pids+=("$!")
	done
	E2E_PIDS+=("${pids[@]}")
	for p in "${pids[@]}"; do
		e2e_wait "$RUN_TIMEOUT" e2e_pid_gone "$p" ||
			{ echo "bench-mta-store: $mode: smtp-source still running" >&2; e2e_stop_pid "$p"; return; }
		wait "$p" 2>/dev/null
	done
	e2e_wait "$RUN_TIMEOUT" queue_empty "${QUEUE[$mode]}" ||
		{ echo "bench-mta-store: $mode: queue not empty after ${RUN_TIMEOUT}s" >&2; return; }
	t1=$(date +%s.%N)
	_all_done() {
		[ $(($(sent_count "${CONF[$mode]}") - before)) -ge "$N" ] &&
			[ $(($(hold_count "${QUEUE[$mode]}") - hb)) -ge "$HELD" ]
	}
	e2e_wait 10 _all_done || {
		echo "bench-mta-store: $mode: $(($(sent_count "${CONF[$mode]}") - before)) of $N delivered," \
			"$(($(hold_count "${QUEUE[$mode]}") - hb)) of $HELD held" >&2
		return
	}
	RATE=$(python3 -c 'import sys
print("%.1f" % ((int(sys.argv[1]) + int(sys.argv[2])) / (float(sys.argv[4]) - float(sys.argv[3]))))' \
		"$N" "$HELD" "$t0" "$t1")
}
ratio() {
	python3 -c 'import sys
try: print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))
except (ValueError, ZeroDivisionError): print("n/a")' "$1" "$2"
}
status_json() { "$CTL" status -c "${CONFS[$1]}" --json 2>/dev/null; }

RESULTS=$T/results
: >"$RESULTS"
failed=0
echo "bench-mta-store: N=$N clean + $HELD held messages per run, size $SIZE, $SESSIONS sessions, $ROUNDS rounds; PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') on 127.0.0.1"
for r in $(seq 1 "$ROUNDS"); do
	declare -A rate=()
	# each round starts with the next mode: no mode always runs first or last
	m=($MODES) order=""
	for j in 0 1 2; do order+="${m[$(((j + r - 1) % 3))]} "; done
	for mode in $order; do
		run_one "$mode"
		rate[$mode]=$RATE
		[ "$RATE" = fail ] && failed=1
		echo "$r $mode $RATE" >>"$RESULTS"
	done
	printf 'round %d: sqlite %8s/s  pg %8s/s  pgdown %8s/s  pg/sqlite %5s  pgdown/sqlite %5s\n' "$r" \
		"${rate[sqlite]}" "${rate[pg]}" "${rate[pgdown]}" "$(ratio "${rate[pg]}" "${rate[sqlite]}")" \
		"$(ratio "${rate[pgdown]}" "${rate[sqlite]}")"
	unset rate
done

# --- the copy: drained and exactly once; the down relay kept everything -------------
_pg_drained() {
	status_json pg | python3 -c 'import json, sys
s = json.load(sys.stdin)["shared_store"]
sys.exit(0 if s["backlog"] == 0 and s["connected"] else 1)'
}
e2e_wait 120 _pg_drained || { echo "bench-mta-store: the pg daemon's backlog did not drain" >&2; failed=1; }
local_n=$(sqlite3 "$T/em-pg/quarantine/index.sqlite" "select count(*) from records")
pg_n=$(q "select count(*) from records where relay_id = 'bench-pg'")
pg_distinct=$(q "select count(distinct id) from records where relay_id = 'bench-pg'")
down_n=$(sqlite3 "$T/em-pgdown/quarantine/index.sqlite" "select count(*) from records")
down_box=$(sqlite3 "$T/em-pgdown/quarantine/index.sqlite" "select count(*) from outbox where kind = 'record'")
echo "pg: $local_n records held locally, $pg_n in PostgreSQL ($pg_distinct distinct)"
echo "pgdown: $down_n records held locally, $down_box record rows waiting in its outbox"
[ "$local_n" = "$pg_n" ] && [ "$pg_n" = "$pg_distinct" ] && [ "$local_n" = $((HELD * ROUNDS)) ] ||
	{ echo "bench-mta-store: the copy is not exactly once" >&2; failed=1; }
[ "$down_n" = "$down_box" ] && [ "$down_n" = $((HELD * ROUNDS)) ] ||
	{ echo "bench-mta-store: the down relay lost outbox rows" >&2; failed=1; }

echo
echo "Summary (median msgs/s over $ROUNDS rounds; decision time over every message of the run):"
{
	for mode in $MODES; do
		printf '%s ' "$mode"
		status_json "$mode" | tr -d '\n'
		echo
	done
} >"$T/status"
python3 - "$RESULTS" "$T/status" <<'PY'
import collections, json, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r, mode, rate = line.split()
    if rate != "fail":
        rows[mode].append(float(rate))
st = {}
for line in open(sys.argv[2]):
    mode, _, js = line.partition(" ")
    try:
        st[mode] = json.loads(js)
    except ValueError:
        st[mode] = {}
med = {m: statistics.median(v) if v else None for m, v in rows.items()}
base = med.get("sqlite")
dbase = st.get("sqlite", {}).get("decision_us", {}).get("p99")
print("%-7s %9s %7s %9s %9s %7s" % ("store", "msgs/s", "ratio", "p50 ms", "p99 ms", "ratio"))
for m in ("sqlite", "pg", "pgdown"):
    d = st.get(m, {}).get("decision_us", {})
    rate = med.get(m)
    print("%-7s %9s %7s %9s %9s %7s" % (
        m, "%.1f" % rate if rate else "n/a", "%.2f" % (rate / base) if rate and base else "n/a",
        "%.2f" % (d["p50"] / 1e3) if d else "n/a", "%.2f" % (d["p99"] / 1e3) if d else "n/a",
        "%.2f" % (d["p99"] / dbase) if d and dbase else "n/a"))
s = st.get("pg", {}).get("shared_store", {})
print("shipper lag (outbox row inserted -> committed in PostgreSQL) over %s rows: p95 %s ms, max %s ms"
      % (s.get("ship_lag_count"), s.get("ship_lag_p95_ms"), s.get("ship_lag_max_ms")))
s = st.get("pgdown", {}).get("shared_store", {})
print("pgdown: connected %s, backlog %s rows, last error: %s"
      % (s.get("connected"), s.get("backlog"), s.get("last_error")))
PY
for mode in $MODES; do
	kill -0 "${EMPID[$mode]}" 2>/dev/null || { echo "bench-mta-store: the $mode daemon died" >&2; failed=1; }
done
exit $failed
