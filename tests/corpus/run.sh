#!/bin/sh
# Golden corpus: every case in cases.tsv must get the expected action, the
# expected releases and the matching exit code under the example config (conf/).
# Then every real-world message must scan without crash, hang or error
# (exit 0 or 1 within 20 s; 2 or a signal is a failure).
set -u
CTL=${1:-build/embargoctl}
HERE=$(cd "$(dirname "$0")" && pwd)
CONF=${CONF:-$HERE/../../conf/embargo-milter.conf}
fail=0 n=0
TAB=$(printf '\t')
while IFS="$TAB" read -r file at from rcpts action releases trick; do
	case "$file" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	set --
	old_ifs=$IFS; IFS=,
	for r in $rcpts; do set -- "$@" --rcpt "$r"; done
	IFS=$old_ifs
	out=$("$CTL" scan -c "$CONF" --at "$at" --from "$from" "$@" --json "$HERE/cases/$file" 2>&1)
	code=$?
	got=$(printf '%s' "$out" | python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)
except Exception as e:
    print("unparsable-json"); sys.exit(0)
print(v["action"], ",".join(sorted(r["id"] for r in v["releases"])) or "-")')
	want_code=1; [ "$action" = accept ] && want_code=0
	if [ "$got" != "$action $releases" ] || [ "$code" != "$want_code" ]; then
		echo "FAIL corpus $file ($trick): want '$action $releases' exit $want_code, got '$got' exit $code"
		printf '%s\n' "$out" | head -20 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done < "$HERE/cases.tsv"
echo "golden corpus: $n cases, $fail failed"

rw=0 rwfail=0
list=$(mktemp)
find "$HERE/real-world" -type f ! -name '*.json' ! -name 'SOURCES.md' ! -name '*LICENSE*' \
	! -name 'COPYING' ! -name 'NOTICE' ! -name 'README.txt' | sort > "$list"
while IFS= read -r f; do
	rw=$((rw + 1))
	timeout 20 "$CTL" scan -c "$CONF" --at "2020-11-11 12:00" --from a@example.org --rcpt b@example.org --json "$f" >/dev/null 2>&1
	code=$?
	if [ $code -ne 0 ] && [ $code -ne 1 ]; then
		echo "FAIL real-world $f: exit $code"
		rwfail=$((rwfail + 1))
	fi
done < "$list"
rm -f "$list"
echo "real-world corpus: $rw messages, $rwfail failed (crash, hang or error)"
[ $fail -eq 0 ] && [ $rwfail -eq 0 ]
