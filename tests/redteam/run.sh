#!/bin/sh
# Red-team suite: mail as statisticians, private offices and press officers
# send it (Outlook, Apple Mail, Thunderbird, Gmail, iOS/Android clients),
# scanned against a release like the seed report's, with the draft registered
# as a fingerprint. Every case in cases.tsv must get its expected action and
# exit code, within 30 s and without a crash.
#   tests/redteam/run.sh [BUILD]           (make check-redteam)
#   tests/redteam/run.sh --gaps [BUILD]    reports known-gaps.tsv (never fails)
# The messages and documents are committed; make-docs.sh (LibreOffice) and
# make-cases.py rebuild them. The .fp is built here with a fresh key.
set -u
mode=cases
[ "${1:-}" = --gaps ] && { mode=gaps; shift; }
BUILD=${1:-build}
CTL=$(cd "$BUILD" 2>/dev/null && pwd)/embargoctl
[ -x "$CTL" ] || { echo "redteam: $BUILD/embargoctl not built" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/em-redteam.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
cp -r "$HERE/conf" "$T/conf" || exit 2
echo "marker_sets_dir = \"$HERE/../../rules/markers\";" >> "$T/conf/embargo-milter.conf"
"$CTL" fingerprint --new-key "$T/conf/fp.key" >/dev/null || { echo "FAIL redteam: --new-key"; exit 1; }
"$CTL" fingerprint -c "$T/conf/embargo-milter.conf" --published "$HERE/docs/published.txt" \
	-o "$T/conf/releases.d/fostering-2026.fp" "$HERE/docs/draft.docx" "$HERE/docs/tables.xlsx" \
	> "$T/fp.out" 2>&1 || { echo "FAIL redteam: fingerprint"; cat "$T/fp.out"; exit 1; }
# the release names "£1.4bn" by hand: check must accept it and read it as 1.4bn
"$CTL" check -c "$T/conf/embargo-milter.conf" > "$T/check.out" 2>&1 ||
	{ echo "FAIL redteam: check"; cat "$T/check.out"; exit 1; }
grep -q '^  1\.4bn ' "$T/fp.out" ||
	{ echo "FAIL redteam: the draft's £1.4bn is not kept as 1.4bn"; cat "$T/fp.out"; exit 1; }
# the .fp keeps every 6-gram (w 1): check has no rebuild warning; a PRA member
# listed plain and again with a narrower window of their own gets a warning
grep -q 'keeps only some passages' "$T/check.out" &&
	{ echo "FAIL redteam: check asks to rebuild a new .fp"; cat "$T/check.out"; exit 1; }
cp -r "$T/conf" "$T/conf-overlap"
sed -i 's|"press.lead@education.example.gov.uk" );|"press.lead@education.example.gov.uk",\n    { address = "Minister.PO@education.example.gov.uk"; from = "2026-11-12 08:00"; } );|' \
	"$T/conf-overlap/releases.d/fostering-2026.conf"
"$CTL" check -c "$T/conf-overlap/embargo-milter.conf" >"$T/check2.out" 2>&1 ||
	{ echo "FAIL redteam: check (overlap)"; cat "$T/check2.out"; exit 1; }
grep -q 'fostering-2026.conf:[0-9]*: fostering-2026: Minister.PO@education.example.gov.uk has its own pre-release window' \
	"$T/check2.out" || { echo "FAIL redteam: no warning for a PRA entry listed plain and windowed"; cat "$T/check2.out"; exit 1; }

list=$HERE/cases.tsv
[ $mode = gaps ] && list=$HERE/known-gaps.tsv
fail=0 n=0
TAB=$(printf '\t')
while IFS="$TAB" read -r file at from rcpts action note; do
	case "$file" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	set --
	old_ifs=$IFS; IFS=,
	for r in $rcpts; do set -- "$@" --rcpt "$r"; done
	IFS=$old_ifs
	out=$(timeout 30 "$CTL" scan -c "$T/conf/embargo-milter.conf" --at "$at" --from "$from" "$@" \
		--json "$HERE/cases/$file" 2>&1)
	code=$?
	got=$(printf '%s' "$out" | python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)
except Exception:
    print("unparsable-json"); sys.exit(0)
ev = sorted({e["kind"] for r in v["releases"] for e in r.get("evidence", [])})
# a reader sees each piece of evidence once per release
dup = any(len(r.get("evidence", [])) != len({(e["kind"], e["where"], e["text"]) for e in r["evidence"]})
          for r in v["releases"])
print(v["action"] + ("-with-duplicate-evidence" if dup else ""), ",".join(ev) or "-")')
	want_code=1; [ "$action" = accept ] && want_code=0
	if [ "${got%% *}" != "$action" ] || [ "$code" != "$want_code" ]; then
		if [ $mode = gaps ]; then
			echo "GAP  $file: a human expects $action, engine: $got (exit $code) - $note"
		else
			echo "FAIL redteam $file ($note): want $action exit $want_code, got '$got' exit $code"
			printf '%s\n' "$out" | head -5 | cut -c1-300 | sed 's/^/    /'
		fi
		fail=$((fail + 1))
	elif [ $mode = gaps ]; then
		echo "FIXED $file now gets $action: move it to cases.tsv"
	fi
done < "$list"
if [ $mode = gaps ]; then
	echo "redteam known gaps: $n listed, $fail still open"
	exit 0
fi
echo "redteam corpus: $n cases, $fail failed"
[ $fail -eq 0 ]
