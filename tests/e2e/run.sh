#!/bin/bash
# run.sh BUILD - runs every tests/e2e/t_*.sh against the binaries in BUILD
# (BUILD/embargo-milter, BUILD/null-milter): each test builds its own
# throw-away Postfix instance on 127.0.0.1 (see lib.sh). Prints PASS, FAIL or
# SKIP per test and a summary; exits non-zero when a test failed (or, with
# E2E_STRICT=1, was skipped). Environment: E2E_ONLY="P1 P2" runs only tests
# whose name contains one of the patterns; E2E_SKIP="P1 P2" leaves out tests whose name
# contains any of them (CI's sanitizer and valgrind runs leave out the
# Sendmail cases, t_s*: the same daemon code through another MTA, already run
# in the plain suite); E2E_KEEP_FAILED=1 keeps a failed test's temp
# dir; E2E_TIMEOUT (seconds per test, default 600).
set -u
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
export BUILD
here=$(cd "$(dirname "$0")" && pwd)
logdir=$(mktemp -d /tmp/em-e2e-logs.XXXXXX)
pass=0 fail=0 skip=0 failed=""

if [ ! -x "$BUILD/embargo-milter" ]; then
	echo "e2e: note: $BUILD/embargo-milter is not built; tests that need it are skipped"
fi
for t in "$here"/t_*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${E2E_ONLY:-}" ]; then
		wanted=0
		for pat in $E2E_ONLY; do
			case "$name" in *"$pat"*) wanted=1 ;; esac
		done
		[ "$wanted" = 1 ] || continue
	fi
	skipme=0
	for pat in ${E2E_SKIP:-}; do
		case "$name" in *"$pat"*) skipme=1 ;; esac
	done
	[ "$skipme" = 1 ] && continue
	start=$(date +%s)
	timeout -k 10 "${E2E_TIMEOUT:-600}" bash "$t" >"$logdir/$name.log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	case $rc in
	0) pass=$((pass + 1)); printf 'PASS  %-28s %4ss\n' "$name" "$secs" ;;
	77) skip=$((skip + 1)); printf 'SKIP  %-28s %4ss  %s\n' "$name" "$secs" \
		"$(grep -m1 'SKIP:' "$logdir/$name.log" | sed 's/^ *SKIP: //')" ;;
	*) fail=$((fail + 1)); failed="$failed $name"
		[ $rc = 124 ] && echo "  (timed out after ${E2E_TIMEOUT:-600}s)" >>"$logdir/$name.log"
		printf 'FAIL  %-28s %4ss\n' "$name" "$secs"
		sed 's/^/      /' "$logdir/$name.log" | tail -n 40 ;;
	esac
done
if [ "$fail" = 0 ]; then
	rm -rf "$logdir"
	echo "e2e: $pass passed, $fail failed, $skip skipped"
else
	echo "e2e: $pass passed, $fail failed, $skip skipped (logs in $logdir)"
	echo "e2e: failed:$failed"
fi
[ "$fail" = 0 ] || exit 1
[ "${E2E_STRICT:-0}" = 1 ] && [ "$skip" != 0 ] && exit 1
exit 0
