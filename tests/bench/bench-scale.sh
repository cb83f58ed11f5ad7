#!/bin/sh
# make bench-scale: how engine throughput scales (issue 16's scaling table).
#   1. releases: 1, 10, 50, 200 (5 identifiers + 5 content patterns each),
#      and 10, 50, 200 releases each with a fingerprinted 40-page document and
#      3 hand-written figures, on the benchmark corpus (gen-corpus.py);
#   2. decision time against message size (plain text, 10 KB .. 64 MB),
#      50 releases without and with fingerprints: linear if MB/s stays flat;
#   3. the realistic corpus (gen-realistic.py: HTML + plain QP, quoted
#      threads, docx/xlsx/pdf/image attachments, the real-world mail fixtures),
#      50 releases without and with fingerprints; once more with the
#      sandboxed extractor reading the PDFs and images.
# Rounds are interleaved (every configuration once per round) and the median
# of BENCH_ROUNDS (default 3) rounds is printed, as wall-clock MB/s and as
# MB/s of the scan loop's CPU time (the machine may be shared; load printed).
#   tests/bench/bench-scale.sh BUILD   (BENCH_ROUNDS, BENCH_SCALE_MESSAGES)
set -eu
BUILD=${1:-build}
ROUNDS=${BENCH_ROUNDS:-3}
NMSG=${BENCH_SCALE_MESSAGES:-400}
D=$BUILD/bench-scale
CTL=$BUILD/embargoctl
mkdir -p "$D"

setup() { # setup N: DIR/rN/conf (+ conf-fp with fingerprints when FP=1)
	n=$1
	[ -f "$D/r$n/conf/embargo-milter.conf" ] || python3 tests/bench/gen-corpus.py "$D/r$n" "$n" 0 >/dev/null
	if [ "${2:-}" = fp ] && [ ! -f "$D/r$n/conf-fp/fp.key" ]; then
		python3 tests/bench/gen-fpdocs.py "$D/r$n" 40
		"$CTL" fingerprint --new-key "$D/r$n/conf-fp/fp.key" >/dev/null
		for doc in "$D/r$n"/docs/*.txt; do
			"$CTL" fingerprint -c "$D/r$n/conf-fp/embargo-milter.conf" \
				-o "$D/r$n/conf-fp/releases.d/$(basename "$doc" .txt).fp" "$doc" >/dev/null
		done
	fi
}
# the corpus: the first NMSG messages of a gen-corpus.py run
if [ ! -d "$D/mail" ]; then
	python3 tests/bench/gen-corpus.py "$D/corpus" 1 "$NMSG" >/dev/null
	mv "$D/corpus/mail" "$D/mail"
fi
[ -d "$D/realistic" ] || python3 tests/bench/gen-realistic.py "$D" >/dev/null
for n in 1 10 50 200; do setup $n; done
echo "fingerprinting 10 + 50 + 200 forty-page documents (once) ..."
for n in 10 50 200; do setup $n fp; done
# plain messages of growing size (one per directory)
for kb in 10 100 1024 10240 65536; do
	[ -f "$D/size-$kb/m.eml" ] && continue
	mkdir -p "$D/size-$kb"
	python3 - "$D/size-$kb/m.eml" "$kb" <<'PY'
import random, sys
rnd = random.Random(kb := int(sys.argv[2]))
W = ("the of and to in for on with as by from at rate quarter annual survey estimate household "
     "region policy national change increase decrease data table figure report statistics england "
     "children care education health employment earnings housing population per cent 2,340 4.5% "
     "compared previous year provisional revised official guidance meeting agenda note draft").split()
with open(sys.argv[1], "w") as f:
    f.write("From: a@example.gov.uk\nTo: b@example.org\nSubject: report\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n\n")
    size = 0
    while size < kb << 10:
        l = " ".join(rnd.choice(W) for _ in range(rnd.randint(8, 14))).capitalize() + ".\n"
        f.write(l); size += len(l)
PY
done

med() { python3 -c "import statistics,sys; print('%.1f' % statistics.median(map(float, sys.argv[1:])))" "$@"; }
run() { # run CONF DIR PASSES -> "wallMBs cpuMBs"
	"$BUILD/bench_scan" "$1" "$2" "$3" | sed -n 's/^scanned.*: \([0-9.]*\) MB\/s,.*/\1/p; s/^cpu: .*, \([0-9.]*\) MB\/s of CPU.*/\1/p' | tr '\n' ' '
}
table() { # table TITLE DIR PASSES NAME=CONF...
	title=$1 dir=$2 passes=$3
	shift 3
	echo "== $title (median of $ROUNDS interleaved rounds; load: $(cut -d' ' -f1-3 /proc/loadavg))"
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		for nc in "$@"; do
			name=${nc%%=*}
			echo "$(run "${nc#*=}" "$dir" "$passes")" >>"$D/$name.res"
		done
		r=$((r + 1))
	done
	printf '  %-34s %12s %12s   %s\n' configuration "MB/s (wall)" "MB/s (CPU)" "rounds (wall MB/s)"
	for nc in "$@"; do
		name=${nc%%=*}
		w=$(cut -d' ' -f1 "$D/$name.res" | tr '\n' ' ')
		c=$(cut -d' ' -f2 "$D/$name.res" | tr '\n' ' ')
		# shellcheck disable=SC2086
		printf '  %-34s %12s %12s   %s\n' "$name" "$(med $w)" "$(med $c)" "$w"
		rm -f "$D/$name.res"
	done
}
table "releases and fingerprinted documents, $(ls "$D/mail" | wc -l) messages $(du -sm "$D/mail" | cut -f1) MB" "$D/mail" 1 \
	"1-release=$D/r1/conf1/embargo-milter.conf" \
	"10-releases=$D/r10/conf/embargo-milter.conf" \
	"50-releases=$D/r50/conf/embargo-milter.conf" \
	"200-releases=$D/r200/conf/embargo-milter.conf" \
	"10-releases+10-fingerprints=$D/r10/conf-fp/embargo-milter.conf" \
	"50-releases+50-fingerprints=$D/r50/conf-fp/embargo-milter.conf" \
	"200-releases+200-fingerprints=$D/r200/conf-fp/embargo-milter.conf"
for kb in 10 100 1024 10240 65536; do
	passes=$((65536 / kb))
	[ "$passes" -gt 200 ] && passes=200
	table "message size $kb KB: $passes scans of one plain message" "$D/size-$kb" "$passes" \
		"50-releases-$kb-KB=$D/r50/conf/embargo-milter.conf" \
		"50-releases+fingerprints-$kb-KB=$D/r50/conf-fp/embargo-milter.conf"
done
table "realistic corpus, $(ls "$D/realistic" | wc -l) messages $(du -sm "$D/realistic" | cut -f1) MB (extractor not attached)" "$D/realistic" 1 \
	"realistic-50-releases=$D/r50/conf/embargo-milter.conf" \
	"realistic-50-releases+fingerprints=$D/r50/conf-fp/embargo-milter.conf"
echo "== realistic corpus with the sandboxed extractor (PDF text, image OCR), 1 round"
BENCH_EXTRACTOR=1 "$BUILD/bench_scan" "$D/r50/conf/embargo-milter.conf" "$D/realistic" 1 | sed 's/^/  /'
