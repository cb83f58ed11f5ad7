#!/bin/sh
# Runs every cmocka unit-test binary given; fails if any fails.
fail=0
for t in "$@"; do
	if ! timeout 600 "$t"; then
		echo "FAIL: $t" >&2
		fail=1
	fi
done
exit $fail
