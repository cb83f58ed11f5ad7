#!/bin/bash
# make bench (review console): time of the held-list page with N held records (default 10,000), through the
# real embargo-review over loopback (curl's time_total), as a reviewer signed in by the trusted proxy header.
# Prints p50/p95/max in ms for page 1, a filtered page (sender substring) and a sorted page.
#   tests/bench/bench-review.sh [BUILD_DIR]      env: BENCH_REVIEW_RECORDS (10000), BENCH_REVIEW_RUNS (100)
set -u
BUILD=${1:-build}
N=${BENCH_REVIEW_RECORDS:-10000}
RUNS=${BENCH_REVIEW_RUNS:-100}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/releases.d"
PORT=18800
while (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
cat > "$T/embargo-milter.conf" <<EOF
releases_dir = "releases.d";
markers = ( "OFFICIAL[-: ]?SENSITIVE" );
quarantine_dir = "$T/q";
audit_log = "$T/audit.log";
review = {
  listen = "127.0.0.1:$PORT";
  trusted_proxies = [ "127.0.0.1" ];
  user_header = "X-Remote-User";
  reviewer_group = "root";
  request_log = "$T/requests.log";
};
EOF
cat > "$T/releases.d/future.conf" <<'EOF'
release = { id = "future-2099"; title = "Future Households 2099"; publish_at = "2099-01-15 09:30";
  identifiers = ( "Future Households" ); producers = ( "@stats.example.gov.uk" ); };
EOF
echo "filling a store with $N held records ..."
"$BUILD/bench_review_fill" "$T/embargo-milter.conf" "$ROOT/tests/browser/messages/future.eml" "$N" > /dev/null || exit 2
"$BUILD/embargo-review" -c "$T/embargo-milter.conf" 2> "$T/err" &
PID=$!
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
measure() { # NAME PATH
	for _ in $(seq "$RUNS"); do
		curl -s -o /dev/null -w '%{time_total}\n' -H 'X-Remote-User: root' "http://127.0.0.1:$PORT$2"
	done | sort -n | awk -v name="$1" -v n="$N" '{ t[NR] = $1 * 1000 } END {
		p50 = t[int(NR * 0.50 + 0.5)]; p95 = t[int(NR * 0.95 + 0.5)];
		printf "review list %-22s %d records: p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d requests)\n", name, n, p50, p95, t[NR], NR }'
}
measure "page 1" "/held"
measure "sender filter" "/held?sender=dept5.example"
measure "sorted by sender, p.50" "/held?sort=sender&order=desc&page=50"
