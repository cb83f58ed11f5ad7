#!/bin/sh
# make bench: engine throughput on a generated corpus (see gen-corpus.py).
# Baseline in the same run: the same corpus with 1 release; figure: 50 releases.
set -eu
BUILD=${1:-build}
DIR=$BUILD/bench-data
NREL=${BENCH_RELEASES:-50}
NMSG=${BENCH_MESSAGES:-400}
PASSES=${BENCH_PASSES:-3}
if [ ! -d "$DIR/mail" ]; then
	echo "generating corpus ($NMSG messages, $NREL releases) in $DIR ..."
	python3 tests/bench/gen-corpus.py "$DIR" "$NREL" "$NMSG"
fi
echo "== baseline: 1 release"
"$BUILD/bench_scan" "$DIR/conf1/embargo-milter.conf" "$DIR/mail" "$PASSES" | tee "$BUILD/bench-1.txt"
echo "== $NREL releases (5 identifiers + 5 content patterns each)"
"$BUILD/bench_scan" "$DIR/conf/embargo-milter.conf" "$DIR/mail" "$PASSES" | tee "$BUILD/bench-n.txt"
b=$(sed -n 's/.*: \([0-9.]*\) MB\/s.*/\1/p' "$BUILD/bench-1.txt")
n=$(sed -n 's/.*: \([0-9.]*\) MB\/s.*/\1/p' "$BUILD/bench-n.txt")
echo "ratio $NREL releases / 1 release: $(python3 -c "print(round($n / $b, 3))")"
echo "== thread lineage store: ${BENCH_ORIGINS:-100000} recorded origins"
"$BUILD/bench_lineage" "${BENCH_ORIGINS:-100000}" | tee "$BUILD/bench-lineage.txt"

# ---- release fingerprints: 50 releases each fingerprinting a 40-page document ----
if [ ! -f "$DIR/conf-fp/fp.key" ]; then
	echo "fingerprinting a 40-page draft for each of the $NREL releases ..."
	python3 tests/bench/gen-fpdocs.py "$DIR" 40
	"$BUILD/embargoctl" fingerprint --new-key "$DIR/conf-fp/fp.key" > /dev/null
	for doc in "$DIR"/docs/*.txt; do
		id=$(basename "$doc" .txt)
		"$BUILD/embargoctl" fingerprint -c "$DIR/conf-fp/embargo-milter.conf" \
			-o "$DIR/conf-fp/releases.d/$id.fp" "$doc" > /dev/null
	done
fi
echo "== $NREL releases with fingerprints (40-page documents) and 3 hand-written figures each"
"$BUILD/bench_scan" "$DIR/conf-fp/embargo-milter.conf" "$DIR/mail" "$PASSES" | tee "$BUILD/bench-fp.txt"
f=$(sed -n 's/.*: \([0-9.]*\) MB\/s.*/\1/p' "$BUILD/bench-fp.txt")
echo "ratio with fingerprints / without: $(python3 -c "print(round($f / $n, 3))") (target >= 0.9)"
# the same ratio in CPU time (the scan loop's), less distorted by a shared machine's load
fc=$(sed -n 's/^cpu: .*, \([0-9.]*\) MB\/s of CPU.*/\1/p' "$BUILD/bench-fp.txt")
nc=$(sed -n 's/^cpu: .*, \([0-9.]*\) MB\/s of CPU.*/\1/p' "$BUILD/bench-n.txt")
echo "ratio with fingerprints / without, CPU time: $(python3 -c "print(round($fc / $nc, 3))")"
