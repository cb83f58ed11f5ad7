#!/bin/sh
# Extraction corpus: every case in tests/extract/cases.tsv (made from real
# tools' output by make-fixtures.sh) must get its expected action through
# `embargoctl scan` with the sandboxed extractor, and, where a notes regex is
# given, say why the attachment could not be read. Then a subset again with
# the fallback sandbox (extract.sandbox = "basic"). Prints the seconds each
# case took (not asserted; a hang is caught by `timeout 120`).
#   tests/extract/run.sh [BUILD]
set -u
BUILD=${1:-build}
CTL=$BUILD/embargoctl
[ -x "$CTL" ] && [ -x "$BUILD/embargo-extract" ] || { echo "extract: $CTL or $BUILD/embargo-extract not built" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
TAB=$(printf '\t')
fail=0 n=0
basic=$(mktemp -d /tmp/em-extract-basic.XXXXXX)
trap 'rm -rf "$basic"' EXIT
sed -e 's|^releases_dir = .*|releases_dir = "'"$HERE"'/../../conf/releases.d";|' \
	-e 's|^extract = {|extract = {\n  sandbox = "basic";|' "$HERE/embargo-milter.conf" >"$basic/embargo-milter.conf"

one() { # conf file action regex kind
	n=$((n + 1))
	t0=$(date +%s.%N)
	out=$(timeout 120 "$CTL" scan -c "$1" --at "2020-11-11 20:35" --from private.office@education.example.gov.uk \
		--rcpt duty.press.officer@education.example.gov.uk --json "$HERE/cases/$2" 2>&1)
	code=$?
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
	got=$(printf '%s' "$out" | python3 -c '
import json, re, sys
try:
    v = json.load(sys.stdin)
except Exception:
    print("unparsable-json"); sys.exit(0)
unr = [u if isinstance(u, str) else u.get("where", "") + ": " + u.get("why", "") for u in v.get("unreadable", [])]
notes = " | ".join(v.get("notes", []) + v.get("incomplete", []) + unr)
ok = sys.argv[1] == "-" or re.search(sys.argv[1], notes) is not None
print(v["action"], "notes-ok" if ok else "notes-missing:" + notes[:300])' "$4")
	want_code=1; [ "$3" = accept ] && want_code=0
	if [ "$got" != "$3 notes-ok" ] || [ "$code" != "$want_code" ]; then
		echo "FAIL extract $2 ($5): want '$3' (notes /$4/) exit $want_code, got '$got' exit $code"
		printf '%s\n' "$out" | head -5 | cut -c1-400 | sed 's/^/    /'
		fail=$((fail + 1))
	else
		printf 'ok    %-32s %-10s %5.2fs  %s\n' "$2" "$3" "$secs" "$5"
	fi
}

while IFS="$TAB" read -r file action notes kind; do
	case "$file" in ''|file|'#'*) continue ;; esac
	one "$HERE/embargo-milter.conf" "$file" "$action" "$notes" "$kind"
done <"$HERE/cases.tsv"
echo "-- the same, sandbox = basic (rlimits, network namespace, no_new_privs, seccomp):"
while IFS="$TAB" read -r file action notes kind; do
	case "$file" in pdf-leak.eml|doc-leak.eml|tnef-doc.eml|tar-gz-docx.eml|smime-signed.eml|hostile-bomb-gz.eml|hostile-loop-pdf.eml|hostile-truncated-doc.eml)
		one "$basic/embargo-milter.conf" "$file" "$action" "$notes" "$kind (basic)" ;;
	esac
done <"$HERE/cases.tsv"
# the shared readability cases of this kind (copied from ../shared, see README)
for f in "$HERE"/readability/*.eml; do
	want=$(awk -F"$TAB" -v f="$(basename "$f")" '$1 == f {print $2}' "$HERE/readability/cases.tsv")
	cp "$f" "$HERE/cases/.r.eml" 2>/dev/null
	one "$HERE/../../conf/embargo-milter.conf" .r.eml "$want" - "readability $(basename "$f")"
	rm -f "$HERE/cases/.r.eml"
done
# the pre-forked extractor: a crash, a hang, a killed server, two at once and
# the job child's sandbox, under the configured sandbox and under basic
if [ -x "$BUILD/prefork_test" ]; then
	for c in "$HERE/embargo-milter.conf" "$basic/embargo-milter.conf"; do
		n=$((n + 1))
		(b=$(cd "$BUILD" && pwd) && cd "$HERE" && timeout 300 "$b/prefork_test" "$c" fixtures) ||
			{ echo "FAIL extract prefork ($c)"; fail=$((fail + 1)); }
	done
fi
echo "extract corpus: $n cases, $fail failed"
[ $fail -eq 0 ]
