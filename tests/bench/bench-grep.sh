#!/bin/sh
# make bench-grep: the engine against GNU grep on the same plain text.
#
# One 64 MB text/plain message (7bit, generated prose, no match) is scanned by
# `embargoctl scan` with the benchmark's 50 releases, and searched by
# `grep -F -i -c -f PHRASES` for the same releases' literal phrases (every
# identifier and title, and each content pattern with its regex parts replaced
# by one literal spelling). grep decodes nothing and normalizes nothing: it is
# the floor the prefilter design aims at. Rounds are interleaved (grep, scan,
# grep, scan, ...) so machine load hits both alike; the ratio is given per
# round and as the median. Wall-clock seconds from the shell's clock.
#   tests/bench/bench-grep.sh BUILD   (BENCH_GREP_MB, BENCH_GREP_ROUNDS, BENCH_GREP_CPU=1:
#   CPU seconds instead of wall-clock; "MB/s" is then per CPU-second)
set -eu
BUILD=${1:-build}
MB=${BENCH_GREP_MB:-64}
ROUNDS=${BENCH_GREP_ROUNDS:-3}
DIR=$BUILD/bench-grep
CTL=$BUILD/embargoctl
mkdir -p "$DIR"
if [ ! -f "$DIR/conf/embargo-milter.conf" ]; then
	python3 tests/bench/gen-corpus.py "$DIR" 50 1 >/dev/null
fi
if [ ! -f "$DIR/big-$MB.eml" ]; then
	python3 - "$DIR/big-$MB.eml" "$MB" <<'EOF'
import random, sys
rnd = random.Random(7)
W = ("the of and to in for on with as by from at rate quarter annual survey estimate household "
     "region policy national change increase decrease data table figure report statistics england "
     "wales local authority children care education health employment earnings housing population "
     "per cent compared previous year provisional revised official guidance meeting agenda note draft").split()
with open(sys.argv[1], "w") as f:
    f.write("From: a@example.gov.uk\nTo: b@example.org\nSubject: report\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=us-ascii\n\n")
    size, limit = 0, int(sys.argv[2]) << 20
    while size < limit:
        l = " ".join(rnd.choice(W) for _ in range(rnd.randint(8, 14))).capitalize() + ".\n"
        f.write(l); size += len(l)
EOF
fi
# literal phrases: identifiers, titles, and content patterns with one spelling
grep -ho '"[^"]*"' "$DIR"/conf/releases.d/*.conf | grep -v 'release-\|@\|2030' |
	sed 's/"//g; s/ (rose|fell) by \[0-9.\]+ ?% / rose by 1% /' >"$DIR/phrases.txt"
echo "input: $(wc -c <"$DIR/big-$MB.eml") bytes, $(wc -l <"$DIR/phrases.txt") phrases, 50 releases"

secs() { # secs CMD...: seconds of CMD (output discarded): wall-clock, or
	# with BENCH_GREP_CPU=1 user + system CPU (robust to a shared machine's load)
	python3 - "$@" <<'EOF'
import os, resource, subprocess, sys, time
# children's CPU before the run too: a wrapper that exec'd this python (a
# pyenv shim) leaves its own children's time in the counter
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = os.environ.get("BENCH_GREP_CPU") == "1"
c = ru.ru_utime + ru.ru_stime - r0.ru_utime - r0.ru_stime
print("%.3f" % (c if cpu else time.monotonic() - t))
EOF
}
# the same command on a message with no body: loading the config and
# compiling the 50 releases' patterns, paid once per daemon, per CLI call
head -6 "$DIR/big-$MB.eml" >"$DIR/empty.eml"
# the compiled-prefilter cache (em_hscache) as a CLI user has it: warm after the
# first call. EMBARGO_CACHE_DIR=off measures every call compiling.
EMBARGO_CACHE_DIR=${EMBARGO_CACHE_DIR-$DIR/hs-cache}
export EMBARGO_CACHE_DIR
"$CTL" scan -c "$DIR/conf/embargo-milter.conf" --at "2029-01-01 00:00" \
	--from a@example.gov.uk --rcpt b@example.org "$DIR/empty.eml" >/dev/null || true
# the whole text must be read: a scan stopped by a limit (max_decoded_mb) is
# not a speed
if "$CTL" scan -c "$DIR/conf/embargo-milter.conf" --at "2029-01-01 00:00" \
	--from a@example.gov.uk --rcpt b@example.org "$DIR/big-$MB.eml" | grep -q '^Not readable'; then
	echo "bench-grep: embargoctl scan did not read the whole message (a limit): raise limits in $DIR/conf" >&2
	exit 1
fi
ratios=""
sratios=""
nratios=""
r=1
while [ "$r" -le "$ROUNDS" ]; do
	g=$(secs grep -F -i -c -f "$DIR/phrases.txt" "$DIR/big-$MB.eml")
	e=$(secs "$CTL" scan -c "$DIR/conf/embargo-milter.conf" --at "2029-01-01 00:00" \
		--from a@example.gov.uk --rcpt b@example.org "$DIR/big-$MB.eml")
	e0=$(secs "$CTL" scan -c "$DIR/conf/embargo-milter.conf" --at "2029-01-01 00:00" \
		--from a@example.gov.uk --rcpt b@example.org "$DIR/empty.eml")
	ec=$(EMBARGO_CACHE_DIR=off secs "$CTL" scan -c "$DIR/conf/embargo-milter.conf" \
		--at "2029-01-01 00:00" --from a@example.gov.uk --rcpt b@example.org "$DIR/empty.eml")
	ratio=$(python3 -c "print(round($g / $e, 3))")
	sratio=$(python3 -c "print(round($g / max($e - $e0, 0.001), 3))")
	nratio=$(python3 -c "print(round($g / max($e - $e0 + $ec, 0.001), 3))")
	echo "round $r: grep ${g}s ($(python3 -c "print(round($MB / $g))") MB/s)  embargoctl scan ${e}s ($(python3 -c "print(round($MB / $e))") MB/s)  engine/grep speed ratio $ratio;  rule build ${e0}s (${ec}s without the cache), scan alone $(python3 -c "print(round($e - $e0, 3))")s: ratio $sratio;  whole command compiling (no cache): ratio $nratio"
	ratios="$ratios $ratio"
	sratios="$sratios $sratio"
	nratios="$nratios $nratio"
	r=$((r + 1))
done
med() { python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))" "$@"; }
# shellcheck disable=SC2086
echo "median engine/grep speed ratio: $(med $ratios) (whole command); scan alone (minus the rule build): $(med $sratios); whole command without the cache: $(med $nratios)"
echo "prefilter cache: ${EMBARGO_CACHE_DIR:-off}"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
