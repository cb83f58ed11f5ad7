#!/bin/sh
# Adversarial corpus: every case in cases.tsv must get the expected action,
# the expected releases and the matching exit code under the example config
# (conf/), within 20 s each and without a crash (exit 2 or a signal fails).
#   tests/adversarial/run.sh [BUILD]     BUILD defaults to build (uses BUILD/embargoctl)
# A FAIL line names the trick the engine fell for; see cases.tsv.
set -u
BUILD=${1:-build}
CTL=$BUILD/embargoctl
[ -x "$CTL" ] || { echo "adversarial: $CTL not built (make BUILD=$BUILD)" >&2; exit 2; }
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
	out=$(timeout 20 "$CTL" scan -c "$CONF" --at "$at" --from "$from" "$@" --json "$HERE/cases/$file" 2>&1)
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
		echo "FAIL adversarial $file ($trick): want '$action $releases' exit $want_code, got '$got' exit $code"
		printf '%s\n' "$out" | head -5 | cut -c1-400 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done < "$HERE/cases.tsv"
echo "adversarial corpus: $n cases, $fail failed"
[ $fail -eq 0 ]
