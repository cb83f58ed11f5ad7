#!/bin/sh
# Builds the libFuzzer harnesses with clang (-fsanitize=fuzzer,address,undefined)
# against the core and adapter sources, then runs each for SECONDS seconds.
#   tests/fuzz/run.sh [BUILD] [SECONDS]     defaults: build 60
# Output in BUILD/fuzz: the harness binaries, corpus-NAME/ (inputs found, kept
# between runs) and artifacts/ (crash-*, leak-*, timeout-* inputs to replay with
# `BUILD/fuzz/fuzz_NAME FILE`). Seeds: the golden, adversarial and real-world
# mail corpora for every harness, plus conf/releases.d for fuzz_release and
# fuzz_addr. Exits 1 if any harness found a problem.
set -u
BUILD=${1:-build}
SECONDS_EACH=${2:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
mkdir -p "$BUILD/fuzz" || exit 2
OUT=$(cd "$BUILD/fuzz" && pwd)
CC=${FUZZ_CC:-clang}
PKGS=${EM_CORE_PKGS:-$(make -s -C "$ROOT" print-pkgs)}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-O1 -g -std=gnu11 -pthread $SAN $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lm -pthread"

mkdir -p "$OUT/obj" "$OUT/artifacts" || exit 2
# Core and adapters once, instrumented for coverage (fuzzer-no-link).
objs=""
for src in "$ROOT"/milter/core/*.c "$ROOT"/milter/adapt/*.c; do
	o="$OUT/obj/$(basename "$src" .c).o"
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ "$0" -nt "$o" ]; then
		$CC $CFLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$src" || exit 2
	fi
	objs="$objs $o"
done
for h in mime release addr fp readable extract; do
	$CC $CFLAGS -fsanitize=fuzzer -o "$OUT/fuzz_$h" "$HERE/fuzz_$h.c" $objs $LIBS || exit 2
done

# Seed directories (libFuzzer reads every file in each; new finds go to the first).
seeds="$ROOT/tests/corpus/cases $ROOT/tests/adversarial/cases $ROOT/tests/corpus/real-world $ROOT/tests/corpus/readability"
rw_dirs=$(find "$ROOT/tests/corpus/real-world" -mindepth 1 -type d)
# Seeds for fuzz_extract: the real extractor's output over the extraction fixtures.
mkdir -p "$OUT/seeds-extract"
if [ -x "$BUILD/embargo-extract" ]; then
	for f in "$ROOT"/tests/extract/fixtures/*; do
		timeout 20 "$BUILD/embargo-extract" --max-output 1000000 --ocr <"$f" \
			>"$OUT/seeds-extract/$(basename "$f").rec" 2>/dev/null
	done
fi
fail=0
for h in mime release addr fp readable extract; do
	work=$OUT/corpus-$h
	mkdir -p "$work"
	extra=""
	maxlen=1048576
	case $h in
	release) extra="$ROOT/conf/releases.d"; maxlen=65536 ;;
	addr) extra="$ROOT/conf/releases.d"; maxlen=65536 ;;
	fp) extra="$ROOT/tests/fprint/seed-fp"; maxlen=262144 ;;
	extract) extra="$OUT/seeds-extract" ;;
	esac
	echo "fuzz_$h: $SECONDS_EACH s"
	# -fork keeps going after a finding is not wanted: stop at the first one
	(cd "$ROOT" && LSAN_OPTIONS="suppressions=$HERE/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" EM_FUZZ_CONF="$ROOT/conf/embargo-milter.conf" "$OUT/fuzz_$h" \
		-max_total_time="$SECONDS_EACH" -timeout=30 -rss_limit_mb=2560 -max_len=$maxlen \
		-artifact_prefix="$OUT/artifacts/$h-" -print_final_stats=1 \
		"$work" $seeds $rw_dirs $extra) > "$OUT/fuzz_$h.log" 2>&1
	rc=$?
	tail -n 12 "$OUT/fuzz_$h.log" | grep -E 'stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Test unit written' | sed "s/^/  /"
	if [ $rc -ne 0 ]; then
		echo "FAIL fuzz_$h (exit $rc): see $OUT/fuzz_$h.log and $OUT/artifacts/"
		fail=1
	fi
done
exit $fail
