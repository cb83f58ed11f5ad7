#!/bin/sh
# Before/after on one machine in one run: two builds' bench_scan on the
# benchmark corpus (50 releases, without and with fingerprints), rounds
# interleaved, CPU-time MB/s (robust to a shared machine's load) and wall
# MB/s; and both builds' embargoctl scan of bench-grep's 64 MB message with
# its peak RSS (/usr/bin/time).
#   tests/bench/bench-compare.sh OLD_BUILD NEW_BUILD [ROUNDS]
# OLD_BUILD: e.g. `git archive BASE | tar -x -C /tmp/base && make -C /tmp/base
# build/bench_scan build/embargoctl` (copy tests/bench/bench_scan.c first for
# its CPU line). Run make bench and make bench-grep first (their inputs).
set -eu
OLD=$1 NEW=$2 ROUNDS=${3:-3}
DATA=build/bench-data G=build/bench-grep
for r in $(seq "$ROUNDS"); do
	for conf in conf conf-fp; do
		for b in "$OLD" "$NEW"; do
			"$b/bench_scan" "$DATA/$conf/embargo-milter.conf" "$DATA/mail" 1 |
				sed -n "s|^scanned.*: \([0-9.]*\) MB/s,.*|round $r $conf $b wall \1|p; s|^cpu: .*, \([0-9.]*\) MB/s of CPU.*|round $r $conf $b cpu \1|p"
		done
	done
	for b in "$OLD" "$NEW"; do
		/usr/bin/time -f "round $r 64MB-scan $b %e s %M KB" "$b/embargoctl" scan \
			-c "$G/conf/embargo-milter.conf" --at "2029-01-01 00:00" --from a@example.gov.uk \
			--rcpt b@example.org "$G/big-64.eml" >/dev/null 2>>"$G/compare.time" || true
	done
	tail -2 "$G/compare.time"
done
rm -f "$G/compare.time"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
