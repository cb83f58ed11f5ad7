#!/bin/bash
# embargo-review without a browser: config errors name FILE:LINE (`--check`, and em_config's own check of the
# group), the trusted proxy's user header believed only from trusted_proxies (TCP and unix socket), the login
# rate limit, the security headers. Real service, curl on loopback, bounded loops.
#   tests/browser/t_config.sh [BUILD_DIR]
set -u
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
RV="$BUILD/embargo-review"
command -v curl > /dev/null || { echo "SKIP review-config: curl missing"; exit 0; }
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
n=0 fail=0
ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL review-config: $*"; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }

mkdir -p "$T/releases.d" "$T/q"
base() {
	cat <<EOF
releases_dir = "releases.d";
markers = ( "OFFICIAL[-: ]?SENSITIVE" );
quarantine_dir = "$T/q";
audit_log = "$T/audit.log";
EOF
}
# ---- 1. errors with FILE:LINE ----
{ base; cat <<'EOF'
review = {
  listen = 5;
  bogus = 1;
  session_minutes = 0;
  user_header = "X-Remote-User";
};
EOF
} > "$T/bad.conf"
"$RV" --check -c "$T/bad.conf" > "$T/out" 2>&1
rc=$?
check "bad config refused" [ $rc != 0 ]
check "listen error at its line" grep -q "^$T/bad.conf:6: review.listen: expected a string" "$T/out"
check "unknown key at its line" grep -q "^$T/bad.conf:7: review: unknown setting \"bogus\"" "$T/out"
check "bound at its line" grep -q "^$T/bad.conf:8: review.session_minutes: must be between" "$T/out"
check "user_header needs trusted_proxies" grep -q "user_header needs trusted_proxies" "$T/out"
{ base; echo 'review = 5;'; } > "$T/bad2.conf"
"$BUILD/embargoctl" check -c "$T/bad2.conf" > "$T/out2" 2>&1
check "embargoctl check: review must be a group (FILE:LINE)" grep -q "bad2.conf:5: review: expected a group" "$T/out2"

port_free() { ! (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=18600
while ! port_free $PORT; do PORT=$((PORT + 1)); [ $PORT -gt 18700 ] && exit 2; done
start() { # CONF; waits (bounded) for the listener
	"$RV" -c "$1" 2>> "$T/err" &
	PID=$!
	for _ in $(seq 100); do
		if grep -q "listening on" "$T/err" 2>/dev/null && { [ -S "$T/rv.sock" ] || ! port_free $PORT; }; then return 0; fi
		sleep 0.1
	done
	echo "review-config: did not start"; cat "$T/err"; exit 2
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null; PID=""; : > "$T/err"; }
good() { # PROXY LISTEN
	base
	cat <<EOF
review = {
  listen = "$2";
  trusted_proxies = [ "$1" ];
  user_header = "X-Remote-User";
  reviewer_group = "root";
  login_failures = 3;
};
EOF
}
# ---- 2. the user header from an address that is not a trusted proxy is ignored ----
good 192.0.2.7 "127.0.0.1:$PORT" > "$T/untrusted.conf"
check "good config --check" "$RV" --check -c "$T/untrusted.conf"
check "embargoctl check accepts the review group" "$BUILD/embargoctl" check -c "$T/untrusted.conf"
start "$T/untrusted.conf"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H 'X-Remote-User: root' "http://127.0.0.1:$PORT/held")
check "untrusted header: sent to the login page" [ "$code" = 303 ]
check "untrusted header logged" grep -q "X-Remote-User header from 127.0.0.1 (not a trusted proxy) ignored" "$T/err"
# ---- 3. login rate limit (3 per 5 minutes here) and security headers ----
for i in 1 2 3; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -d 'user=nosuchuser&password=x' "http://127.0.0.1:$PORT/login")
	check "failed login $i: 401" [ "$code" = 401 ]
done
code=$(curl -s -o "$T/body" -w '%{http_code}' -d 'user=nosuchuser&password=x' "http://127.0.0.1:$PORT/login")
check "4th failed login: 429" [ "$code" = 429 ]
curl -s -D "$T/hdr" -o /dev/null "http://127.0.0.1:$PORT/login"
check "CSP without script" grep -qi "^Content-Security-Policy: default-src 'none'; style-src 'self'" "$T/hdr"
check "no-store" grep -qi "^Cache-Control: no-store" "$T/hdr"
check "frame deny" grep -qi "^X-Frame-Options: DENY" "$T/hdr"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "http://127.0.0.1:$PORT/held")
check "other methods refused" [ "$code" = 405 ]
stop
# ---- 4. trusted proxy on TCP ----
good 127.0.0.1 "127.0.0.1:$PORT" > "$T/trusted.conf"
start "$T/trusted.conf"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H 'X-Remote-User: root' "http://127.0.0.1:$PORT/held")
check "trusted header: the list" [ "$code" = 200 ]
check "trusted header: signed in as root" grep -q '<span id="user">root</span>' "$T/body"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Remote-User: nosuchuser' "http://127.0.0.1:$PORT/held")
check "trusted header, unknown user: refused" [ "$code" = 403 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Remote-User: daemon' "http://127.0.0.1:$PORT/held")
check "trusted header, user not in the group: refused" [ "$code" = 403 ]
# behind the proxy the login limit counts the browser's address (X-Forwarded-For), not the proxy's
for i in 1 2 3; do
	curl -s -o /dev/null -H 'X-Forwarded-For: 10.9.9.9, 198.51.100.1' -d "user=nosuch$i&password=x" "http://127.0.0.1:$PORT/login"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.1' -d 'user=nosuch9&password=x' "http://127.0.0.1:$PORT/login")
check "the client behind the proxy is limited" [ "$code" = 429 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 198.51.100.2' -d 'user=nosuch8&password=x' "http://127.0.0.1:$PORT/login")
check "another client behind the same proxy is not" [ "$code" = 401 ]
check "the log names the client" grep -q "login failed for nosuch1 from 198.51.100.1" "$T/err"
stop
# ---- 5. unix socket, "unix" as the trusted proxy ----
good unix "unix:$T/rv.sock" > "$T/unix.conf"
start "$T/unix.conf"
check "socket mode 0660" [ "$(stat -c %a "$T/rv.sock")" = 660 ]
code=$(curl -s -o "$T/body" -w '%{http_code}' --unix-socket "$T/rv.sock" -H 'X-Remote-User: root' "http://localhost/held")
check "unix socket: the list" [ "$code" = 200 ]
stop

echo "review-config: $n checks, $fail failed"
[ $fail = 0 ]
