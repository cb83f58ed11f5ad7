#!/bin/bash
# bench-mta.sh BUILD - throughput of Postfix with and without the filter:
# smtp-source -> Postfix (127.0.0.1) -> smtp-sink, on loopback.
#
# Three throw-away Postfix instances (tests/e2e/lib.sh) that differ only in
# their milter: none, BUILD/null-milter (the protocol floor), and
# BUILD/embargo-milter with 50 active releases (5 identifiers and 5 content
# patterns each, published in the future). The null milter adds the same
# verdict header embargo-milter adds to clean mail (X-Embargo-Milter: accept),
# so the MTA does the same header edit in both.
#
# Messages (BENCH_MIX): "realistic" (default) sends the ten kinds of ordinary
# mail made by gen-mta-mix.py (Outlook/Apple/Thunderbird HTML with quoted
# threads, a phone message, .docx, .xlsx, PDF, an inline photo, a forwarded
# message, a meeting request) at the size's mean, one smtp-source per kind,
# N/10 messages each, in parallel; "filler" sends smtp-source's filler text of
# exactly the size. Neither names a release: this measures the cost of
# scanning clean mail, the common case.
#
# For each size (10 KB and 100 KB) and each of BENCH_ROUNDS interleaved rounds
# (none, null, embargo, none, null, ...), N = BENCH_MSGS messages are sent by
# 10 parallel sessions; the rate is N / (time until the sink has received all
# N: smtp-source done and the Postfix queue empty again, checked every 0.1 s;
# the instance's log must then count N deliveries). Prints per round the rates,
# the CPU time per message (the whole machine's, and the filter's own: daemon +
# extractor processes),
# the ratios embargo/null and null/none, the daemon's VmRSS at start and after
# each round, and a summary table (medians). The daemon is restarted for each
# size, and after the size's rounds its decision time (end of data to reply,
# from `embargoctl status`: median and p99 over every message of that size)
# is printed. Every wait is bounded
# (BENCH_TIMEOUT seconds per run, default 600).
#
# Environment: BENCH_MSGS (default 5000), BENCH_ROUNDS (default 3),
# BENCH_SIZES (default "10240 102400"), BENCH_SESSIONS (default 10),
# BENCH_MIX (realistic or filler, default realistic), BENCH_EM_CONF (a config line),
# BENCH_RSS_MSGS (a long run for memory afterwards; BENCH_RSS_STEP per sample),
# BENCH_MODES (a subset of "none null embargo", e.g. to profile one),
# E2E_KEEP=1 keeps the temp dir.
set -u
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
export BUILD
# BENCH_STORE=pg: SQLite vs the shared PostgreSQL store vs PostgreSQL down (issue 14)
[ "${BENCH_STORE:-sqlite}" = pg ] && exec "$(dirname "$0")/bench-mta-store.sh" "$BUILD"
. "$(cd "$(dirname "$0")/../e2e" && pwd)/lib.sh"

N=${BENCH_MSGS:-5000}
ROUNDS=${BENCH_ROUNDS:-3}
SIZES=${BENCH_SIZES:-10240 102400}
SESSIONS=${BENCH_SESSIONS:-10}
MIX=${BENCH_MIX:-realistic}
case "$MIX" in realistic | filler) ;; *) echo "bench-mta: BENCH_MIX must be realistic or filler" >&2; exit 2 ;; esac
RUN_TIMEOUT=${BENCH_TIMEOUT:-600}
command -v smtp-source >/dev/null && command -v smtp-sink >/dev/null ||
	{ echo "bench-mta: smtp-source/smtp-sink not found (package postfix)"; exit 1; }
[ -x "$BUILD/null-milter" ] || { echo "bench-mta: $BUILD/null-milter not built"; exit 1; }
HAVE_EM=0
[ -x "$BUILD/embargo-milter" ] && HAVE_EM=1
[ $HAVE_EM = 1 ] || echo "bench-mta: $BUILD/embargo-milter not built: measuring none and null only"

e2e_init
SINK_PORT=$(e2e_free_port)
if [ "$MIX" = realistic ]; then
	N=$(((N + 9) / 10 * 10))
	MIXDIR=$E2E_TMP/mix
	for size in $SIZES; do
		mkdir -p "$MIXDIR/$size"
		python3 "$(dirname "$0")/gen-mta-mix.py" "$MIXDIR/$size" "$size" ||
			e2e_fail "gen-mta-mix.py failed"
	done
fi
# Fair to every mode: no inflow throttling, logging off the hot path kept
# the same for all three.
PF_EXTRA="in_flow_delay = 0
default_process_limit = 200
smtpd_client_connection_count_limit = 0
smtp_destination_concurrency_limit = 20"

# --- the filters ------------------------------------------------------------
NULL_PORT=$(e2e_free_port)
"$BUILD/null-milter" -p "inet:$NULL_PORT@127.0.0.1" -H "X-Embargo-Milter: accept" >>"$E2E_TMP/null-milter.log" 2>&1 &
NULL_PID=$!
E2E_PIDS+=("$NULL_PID")
e2e_wait 10 e2e_port_open "$NULL_PORT" || e2e_fail "null-milter did not start"

rss() { awk '/^VmRSS/ { print $2 " kB" }' "/proc/$1/status" 2>/dev/null || echo "gone"; }
# CPU accounting, in clock ticks: a process's own time plus that of the
# children it has reaped (the extractor server reaps every job child, so its
# count holds all extraction work); the whole machine's busy time.
cpu_ticks() {
	local t=""
	[ -n "$1" ] && t=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }')
	echo "${t:-0}"
}
HZ=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
# the pre-forked extractor server under EM_PID: the embargo-extract --server
# whose parent is not one (its job children are copies of it)
ext_pid() {
	local p pp
	for p in $(pgrep -x -f -- '.*embargo-extract --server'); do
		case "$(cat "/proc/$p/comm" 2>/dev/null)" in embargo-extrac*) ;; *) continue ;; esac # not bwrap
		pp=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $2 }') || continue
		case "$(cat "/proc/$pp/comm" 2>/dev/null)" in embargo-extrac*) ;; *) echo "$p"; return ;; esac
	done
}

if [ $HAVE_EM = 1 ]; then
	# BENCH_EM_CONF: one more line for the daemon's config, e.g.
	# 'extract = { prefork = false; };' (the extractor before issue 16's zygote)
	em_write_config ${BENCH_EM_CONF:+"$BENCH_EM_CONF"}
	python3 - "$EM_RELEASES" "$(em_time 720)" "$(em_time 696)" <<'PY'
import sys
d, publish, pra_from = sys.argv[1:4]
for r in range(1, 51):
    ids = ", ".join('"Bench Release %02d Indicator %d"' % (r, k) for k in range(1, 6))
    content = ", ".join('"bench-%02d series %d (rose|fell) by [0-9.]+ ?%%"' % (r, k) for k in range(1, 6))
    open("%s/bench-%02d.conf" % (d, r), "w").write(
        'release = {\n'
        '  id = "bench-%02d";\n'
        '  title = "Benchmark release %02d";\n'
        '  publish_at = "%s";\n'
        '  pre_release_from = "%s";\n'
        '  identifiers = ( %s );\n'
        '  content = ( %s );\n'
        '  producers = ( "@stats.bench.test" );\n'
        '  pre_release_access = ( "pra%02d@gov.bench.test" );\n'
        '  action = "quarantine";\n'
        '};\n' % (r, r, publish, pra_from, ids, content, r))
PY
	EM_PORT=$(e2e_free_port)
	em_start
	em_wait_ready 60
	"$BUILD/embargo-milter" -t -c "$EM_CONF" >/dev/null 2>&1 ||
		e2e_fail "embargo-milter -t rejects the bench config"
	echo "bench-mta: embargo-milter pid $EM_PID, 50 releases, VmRSS at start $(rss "$EM_PID")"
fi

# --- three Postfix instances, one per mode ----------------------------------
declare -A PORT QUEUE CONF
setup_instance() {
	PF_NAME=$1 pf_setup "$2"
	pf_start
	PORT[$1]=$PF_PORT
	QUEUE[$1]=$PF_QUEUE
	CONF[$1]=$PF_CONF
}
setup_instance none ""
setup_instance null "inet:127.0.0.1:$NULL_PORT"
MODES="none null"
if [ $HAVE_EM = 1 ]; then
	setup_instance embargo "inet:127.0.0.1:$EM_PORT"
	MODES="none null embargo"
fi
# BENCH_MODES: a subset, e.g. "embargo" alone while profiling
MODES=${BENCH_MODES:-$MODES}

queue_empty() {
	[ -z "$(find "$1/incoming" "$1/active" "$1/deferred" "$1/maildrop" -type f 2>/dev/null | head -n 1)" ]
}
sent_count() { grep -c 'status=sent' "$1/maillog" 2>/dev/null || true; }

# One smtp-sink for the whole run. (Not smtp-sink -M N: it exits on the
# N-th message before answering it, so Postfix defers that message and
# delivers it again into the next run.)
smtp-sink -u postfix -4 "127.0.0.1:$SINK_PORT" 256 >"$E2E_TMP/sink.out" 2>&1 &
E2E_PIDS+=("$!")
e2e_wait 10 e2e_port_open "$SINK_PORT" || e2e_fail "smtp-sink did not start"

# run_one MODE SIZE: sets RATE to msgs/s (or "fail"): N messages, from the
# start of smtp-source until the instance's queue is empty again, i.e. until
# the sink has accepted all N; the instance's log must show N more "sent".
# Not run in a command substitution, so its processes stay known to the
# cleanup trap.
run_one() {
	local mode=$1 size=$2 src_pid t0 t1 before after
	RATE=fail
	before=$(sent_count "${CONF[$mode]}")
	t0=$(date +%s.%N)
	local pids=() k per=$((N / 10)) ses=$(((SESSIONS + 9) / 10)) p
	if [ "$MIX" = filler ]; then
		smtp-source -4 -s "$SESSIONS" -m "$N" -l "$size" -f bench@stats.bench.test \
			-t reader@out.bench.test -M client.bench.test "127.0.0.1:${PORT[$mode]}" \
			>"$E2E_TMP/source.out" 2>&1 &
		pids+=("$!")
	else
		# one sender per kind of message, N/10 each (N is a multiple of 10)
		for k in 00 01 02 03 04 05 06 07 08 09; do
			smtp-source -4 -s "$ses" -m "$per" -F "$MIXDIR/$size/$k.eml" \
				-f bench@stats.bench.test -t reader@out.bench.test \
				-M client.bench.test "127.0.0.1:${PORT[$mode]}" \
				>>"$E2E_TMP/source.out" 2>&1 &
			pids+=("$!")
		done
	fi
	E2E_PIDS+=("${pids[@]}")
	for p in "${pids[@]}"; do
		if ! e2e_wait "$RUN_TIMEOUT" e2e_pid_gone "$p"; then
			echo "bench-mta: $mode/$size: smtp-source still running after ${RUN_TIMEOUT}s" >&2
			e2e_stop_pid "$p"
			return
		fi
		wait "$p" 2>/dev/null
	done
	if ! e2e_wait "$RUN_TIMEOUT" queue_empty "${QUEUE[$mode]}"; then
		echo "bench-mta: $mode/$size: queue not empty after ${RUN_TIMEOUT}s" >&2
		return
	fi
	t1=$(date +%s.%N)
	# postlogd writes asynchronously: give the last lines a moment.
	_sent_all() { [ $(($(sent_count "${CONF[$mode]}") - before)) -ge "$N" ]; }
	if ! e2e_wait 10 _sent_all; then
		after=$(sent_count "${CONF[$mode]}")
		echo "bench-mta: $mode/$size: only $((after - before)) of $N delivered;" \
			"smtp-source said: $(head -n 2 "$E2E_TMP/source.out")" >&2
		return
	fi
	RATE=$(python3 -c 'import sys
print("%.1f" % (int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2]))))' "$N" "$t0" "$t1")
}

ratio() {
	python3 -c 'import sys
a, b = sys.argv[1], sys.argv[2]
try: print("%.2f" % (float(a) / float(b)))
except (ValueError, ZeroDivisionError): print("n/a")' "$1" "$2"
}

RESULTS=$E2E_TMP/results
: >"$RESULTS"
failed=0
echo "bench-mta: N=$N messages per run, $SESSIONS sessions, $ROUNDS rounds, sizes: $SIZES, mix: $MIX"
# decision_time: the daemon's decision time over the messages since its start
decision_time() {
	"$BUILD/embargoctl" status -c "$EM_CONF" --json 2>/dev/null | python3 -c 'import json, sys
d = json.load(sys.stdin)["decision_us"]
print("decision time (end of data to reply) over %d messages: p50 %.2f ms, p99 %.2f ms, max %.1f ms"
      % (d["n"], d["p50"] / 1e3, d["p99"] / 1e3, d["max"] / 1e3))' || echo "decision time: status did not answer"
}
for size in $SIZES; do
	if [ $HAVE_EM = 1 ] && [ "$size" != "${SIZES%% *}" ]; then
		# a fresh daemon per size: its decision-time figures are that size's
		e2e_stop_pid "$EM_PID"
		em_start
		em_wait_ready 60
	fi
	for r in $(seq 1 "$ROUNDS"); do
		declare -A rate=()
		cpuline="CPU ms per message: machine (filter daemon + extractor)"
		for mode in $MODES; do
			fpid=""
			case $mode in null) fpid=$NULL_PID ;; embargo) fpid=$EM_PID ;; esac
			xpid=""
			[ "$mode" = embargo ] && xpid=$(ext_pid)
			b0=$(busy_ticks) f0=$(cpu_ticks "$fpid") x0=$(cpu_ticks "$xpid")
			run_one "$mode" "$size"
			b1=$(busy_ticks) f1=$(cpu_ticks "$fpid")
			# the server starts with the first attachment it is given
			if [ "$mode" = embargo ] && [ -z "$xpid" ]; then
				xpid=$(ext_pid)
				x0=0
			fi
			x1=$(cpu_ticks "$xpid")
			cpuline="$cpuline  $mode $(awk -v b=$((b1 - b0)) -v f=$((f1 - f0)) -v x=$((x1 - x0)) \
				-v n="$N" -v hz="$HZ" -v m="$mode" 'BEGIN { k = 1000 / hz / n
				printf "%.2f", b * k
				if (m != "none") printf " (%.2f + %.2f)", f * k, x * k }')"
			rate[$mode]=$RATE
			[ "${rate[$mode]}" = fail ] && failed=1
			echo "$size $r $mode ${rate[$mode]}" >>"$RESULTS"
		done
		line=$(printf 'size %6d round %d: none %8s/s  null %8s/s' "$size" "$r" "${rate[none]:--}" "${rate[null]:--}")
		if [ $HAVE_EM = 1 ]; then
			line="$line$(printf '  embargo %8s/s  embargo/null %5s  null/none %5s  VmRSS %s' \
				"${rate[embargo]:--}" "$(ratio "${rate[embargo]:--}" "${rate[null]:--}")" \
				"$(ratio "${rate[null]:--}" "${rate[none]:--}")" "$(rss "$EM_PID")")"
		else
			line="$line$(printf '  null/none %5s' "$(ratio "${rate[null]:--}" "${rate[none]:--}")")"
		fi
		echo "$line"
		echo "    $cpuline"
		unset rate
	done
	if [ $HAVE_EM = 1 ]; then
		echo "size $size: embargo-milter $(decision_time)" | tee -a "$E2E_TMP/decision"
	fi
done

echo
echo "Summary (median msgs/s over $ROUNDS rounds, N=$N, $SESSIONS sessions):"
python3 - "$RESULTS" "$HAVE_EM" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    size, r, mode, rate = line.split()
    if rate != "fail":
        rows[(int(size), mode)].append(float(rate))
have_em = sys.argv[2] == "1"
def med(size, mode):
    v = rows.get((size, mode))
    return statistics.median(v) if v else None
def fmt(x, f="%9.1f"):
    return f % x if x is not None else "%9s" % "n/a"
def rat(a, b):
    return "%7.2f" % (a / b) if a is not None and b else "%7s" % "n/a"
hdr = "%9s %9s %9s %9s %7s %7s" % ("size", "none", "null", "embargo", "emb/nul", "nul/non")
print(hdr)
for size in sorted({s for s, _ in rows}):
    n, u, e = med(size, "none"), med(size, "null"), med(size, "embargo") if have_em else None
    print("%9d %s %s %s %s %s" % (size, fmt(n), fmt(u), fmt(e), rat(e, u), rat(u, n)))
PY
if [ $HAVE_EM = 1 ] && [ "${BENCH_RSS_MSGS:-0}" -gt 0 ]; then
	# BENCH_RSS_MSGS: the long run for memory. That many more messages of the
	# first size through embargo-milter only, in runs of BENCH_RSS_STEP
	# (default 10,000), the daemon's and the extractor server's VmRSS after each.
	size=${SIZES%% *}
	N=${BENCH_RSS_STEP:-10000}
	done_msgs=0
	echo "long run: $BENCH_RSS_MSGS messages of $size bytes through embargo-milter, VmRSS after every $N;" \
		"daemon at start $(rss "$EM_PID"), extractor server $(rss "$(ext_pid)")"
	while [ "$done_msgs" -lt "$BENCH_RSS_MSGS" ]; do
		run_one embargo "$size"
		[ "$RATE" = fail ] && { failed=1; break; }
		done_msgs=$((done_msgs + N))
		echo "long run: $done_msgs messages, $RATE msg/s, VmRSS daemon $(rss "$EM_PID")," \
			"extractor server $(rss "$(ext_pid)")"
	done
fi
if [ $HAVE_EM = 1 ]; then
	cat "$E2E_TMP/decision"
	echo "embargo-milter VmRSS at end: $(rss "$EM_PID")"
	kill -0 "$EM_PID" 2>/dev/null || { echo "bench-mta: embargo-milter died during the run"; failed=1; }
fi
exit $failed
