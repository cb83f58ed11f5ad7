#!/bin/sh
# make bench-extract (also part of make bench): what the sandboxed extractor
# costs per attachment and per format. For each file: N runs through the
# adapter under bubblewrap, under the "basic" sandbox, and the same program
# fork/exec'ed directly (no sandbox): the difference is the sandbox overhead.
# PDF pages/s from tests/bench/data/pages-158.pdf; archive MB/s from a
# generated 20 MB tar.gz; OCR ms per image from the 795x1124 screenshot.
set -eu
BUILD=${1:-build}
RUNS=${BENCH_EXTRACT_RUNS:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
FIX=$HERE/../extract/fixtures
W=$(mktemp -d /tmp/em-bench-extract.XXXXXX)
trap 'rm -rf "$W"' EXIT
for s in bwrap basic; do
	for p in true false; do
		n=$s; [ $p = false ] && n=$s-spawn
		cat >"$W/$n.conf" <<CONF
releases_dir = "$HERE/../../conf/releases.d";
extract = { sandbox = "$s"; prefork = $p; timeout_seconds = 120; cpu_seconds = 120; output_mb = 256; };
CONF
	done
done
python3 -c "
import random
random.seed(7)
w='the of and to in households figures release table per cent year rose fell'.split()
open('$W/text.txt','w').write('\n'.join(' '.join(random.choice(w) for _ in range(12)) for _ in range(280000)))"
tar -C "$W" -czf "$W/big.tar.gz" text.txt
printf 'x\n' | gzip >"$W/tiny.gz"
echo "== sandbox overhead per attachment (a 30-byte gzip, $RUNS runs each; -spawn: extract.prefork = false, a process per attachment; else the pre-forked server)"
for s in bwrap-spawn bwrap basic-spawn basic; do printf '%-12s ' "$s"; "$BUILD/bench_extract" "$W/$s.conf" "$W/tiny.gz" "$RUNS"; done
printf '%-12s ' direct; "$BUILD/bench_extract" "$W/bwrap.conf" "$W/tiny.gz" "$RUNS" --direct
echo "== per format, a process per attachment vs the pre-forked server (basic sandbox: the CPU of the extractor and its tools is counted there; under bwrap it is not, the sandboxed pid namespace is not reaped by us)"
for f in "$HERE/data/pages-158.pdf" "$FIX/leak.pdf" "$FIX/leak.doc" "$FIX/leak.xls" "$FIX/leak.ppt" "$FIX/tnef-doc.dat" \
	"$FIX/word-style.rtf" "$FIX/smime-signed.p7m" "$FIX/leak.7z" "$W/big.tar.gz"; do
	[ -f "$f" ] || continue
	for s in basic-spawn basic; do printf '%-12s ' "$s"; "$BUILD/bench_extract" "$W/$s.conf" "$f" "$RUNS"; done
done
for s in basic-spawn basic; do printf '%-12s ' "$s"; "$BUILD/bench_extract" "$W/$s.conf" "$FIX/leak.png" 3; done
ms=$("$BUILD/bench_extract" "$W/basic.conf" "$HERE/data/pages-158.pdf" "$RUNS" | sed -n 's/.* \([0-9.]*\) ms CPU.*/\1/p')
echo "PDF: $(python3 -c "print(round(158 / ($ms / 1000), 1))") pages per CPU-second (158 pages, $ms ms CPU)"
echo "tar.gz: uncompressed $(stat -c %s "$W/text.txt") bytes"
