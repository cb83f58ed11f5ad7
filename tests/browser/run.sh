#!/bin/bash
# The review console in a real browser: headless Chromium (Debian's chromium + chromium-driver) driven by
# python3-selenium against a real embargo-review with real PAM logins (throw-away Unix users and group made
# here, removed on exit) and a real quarantine store filled by scanning messages (tests/review/put_record.c).
# Releases go through the store's release requests and `embargoctl quarantine process-requests` with FAKE
# postqueue/postsuper (as tests/review/run.sh) that record what they were asked.
#   tests/browser/run.sh [BUILD_DIR]
# Exit 77 (SKIP) only when chromium, chromium-driver or python3-selenium are absent; needs root (useradd,
# PAM's shadow access). Screenshots go to BUILD_DIR/browser/. BROWSER_KEEP=1 keeps the temp dir.
set -u
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac

# Debian's python3 (python3-selenium), not one from PATH (pyenv and the like)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
CHROME=$(command -v chromium || true)
DRIVER=$(command -v chromedriver || true)
if [ -z "$CHROME" ] || [ -z "$DRIVER" ] || ! "$PY" -c 'import selenium' 2>/dev/null; then
	echo "SKIP browser: chromium, chromium-driver or python3-selenium not installed (tests/deps.sh)"
	exit 77
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP browser: needs root (creates throw-away users for PAM)"
	exit 77
fi
for f in "$BUILD/embargo-review" "$BUILD/embargoctl" "$BUILD/libemcore.a"; do
	[ -e "$f" ] || { echo "browser: $f missing (run make first)"; exit 2; }
done

T=$(mktemp -d /tmp/embargo-browser.XXXXXX)
chmod 755 "$T"
SFX=$$
GRP="rvtgrp$SFX"
ALICE="rvtalice$SFX" BOB="rvtbob$SFX" CAROL="rvtcarol$SFX"
PAMSVC="embargo-review-test$SFX"
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	for u in "$ALICE" "$BOB" "$CAROL"; do userdel "$u" 2>/dev/null; done
	groupdel "$GRP" 2>/dev/null
	rm -f "/etc/pam.d/$PAMSVC"
	if [ -n "${BROWSER_KEEP:-}" ]; then echo "browser: keeping $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT INT TERM

# ---- users, group and PAM service (pam_unix through Debian's common-auth) ----
groupadd "$GRP" || exit 2
PW="pw-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
for u in "$ALICE" "$BOB" "$CAROL"; do
	useradd -M -N -s /usr/sbin/nologin "$u" || exit 2
	echo "$u:$PW" | chpasswd || exit 2
done
usermod -a -G "$GRP" "$ALICE" && usermod -a -G "$GRP" "$BOB" || exit 2
printf '@include common-auth\n@include common-account\n' > "/etc/pam.d/$PAMSVC"

# ---- config: one release far in the future (alice on its PRA list), one published ----
CORE_PKGS=${EM_CORE_PKGS:-$(make -s -C "$ROOT" print-pkgs)}
cc -std=gnu11 -O1 -o "$T/put_record" "$ROOT/tests/review/put_record.c" "$BUILD/libemcore.a" \
	$(pkg-config --libs $CORE_PKGS) \
	-lm -pthread || { echo "browser: cannot build put_record"; exit 2; }
cc -std=gnu11 -O1 -o "$T/put_code" "$HERE/put_code.c" "$BUILD/libemcore.a" \
	$(pkg-config --libs $CORE_PKGS) \
	-lm -pthread || { echo "browser: cannot build put_code"; exit 2; }
mkdir -p "$T/conf/releases.d" "$T/pf-env"
port_free() { ! (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=18025
while ! port_free $PORT; do PORT=$((PORT + 1)); [ $PORT -gt 18125 ] && exit 2; done
PORT2=$((PORT + 200))
while ! port_free $PORT2; do PORT2=$((PORT2 + 1)); [ $PORT2 -gt 18425 ] && exit 2; done
PORT3=$((PORT2 + 1))
while ! port_free $PORT3; do PORT3=$((PORT3 + 1)); [ $PORT3 -gt 18525 ] && exit 2; done
mkconf() { # FILE PORT SESSION_MINUTES
	cat > "$1" <<EOF
releases_dir = "releases.d";
markers = ( "OFFICIAL[-: ]?SENSITIVE" );
default_action = "quarantine";
mta = "postfix";
quarantine_dir = "$T/q";
audit_log = "$T/audit.log";
timezone = "Europe/London";
review = {
  listen = "127.0.0.1:$2";
  reviewer_group = "$GRP";
  pam_service = "$PAMSVC";
  address_domain = "review.example.gov.uk";
  session_minutes = $3;
  request_log = "$T/requests-$2.log";
  static_dir = "$ROOT/milter/review/static";
  page_size = 20;
};
EOF
}
mkconf "$T/conf/embargo-milter.conf" "$PORT" 30
mkconf "$T/conf/short.conf" "$PORT2" 0.05
cat > "$T/conf/releases.d/future.conf" <<EOF
release = {
  id = "future-2099";
  title = "Future Households 2099";
  publish_at = "2099-01-15 09:30";
  identifiers = ( "Future Households" );
  content = ( "households fell by [0-9.]+ ?%" );
  producers = ( "@stats.example.gov.uk" );
  pre_release_access = ( "$ALICE@review.example.gov.uk" );
};
EOF
cat > "$T/conf/releases.d/past.conf" <<'EOF'
release = {
  id = "past-2020";
  title = "Past Fostering 2020";
  publish_at = "2020-11-12 09:30";
  identifiers = ( "Past Fostering" );
  producers = ( "@stats.example.gov.uk" );
};
EOF
CONF="$T/conf/embargo-milter.conf"
put() { "$T/put_record" "$CONF" "$@"; }
M="$HERE/messages"
S=policy.official@education.example.gov.uk
{
	echo "FUTURE=$(put "$M/future.eml" "2030-01-01 12:00" $S QFUT1 quarantine colleague@education.example.gov.uk)"
	echo "HOSTILE=$(put "$M/hostile-subject.eml" "2030-01-01 12:05" "$S" QHOST1 quarantine outsider@example.org)"
	echo "MIMEKIT=$(put "$M/mimekit-body.6.eml" "2030-01-01 12:10" mimekit@mimekit.net QMK1 quarantine outsider@example.org)"
	echo "BULK1=$(put "$M/future.eml" "2030-01-02 12:00" $S QB1 quarantine bulk1@example.org)"
	echo "BULK2=$(put "$M/future.eml" "2030-01-02 12:01" $S QB2 quarantine bulk2@example.org)"
	echo "CSRF=$(put "$M/future.eml" "2030-01-02 12:02" $S QCSRF quarantine csrf@example.org)"
	echo "PARTIAL=$(put "$M/future.eml" "2030-01-02 12:04" $S QPART quarantine keep@example.org drop@example.org)"
	CONFREC=$(put "$M/future.eml" "2030-01-02 12:03" "$CAROL@review.example.gov.uk" QCONF confirm outsider@example.org)
	echo "CONFREC=$CONFREC"
	echo "CODE=$("$T/put_code" "$T/q" "$CONFREC" "$CAROL@review.example.gov.uk")"
} > "$T/ids.env" || exit 2
grep -q '=$' "$T/ids.env" && { echo "browser: put_record failed"; cat "$T/ids.env"; exit 2; }

# ---- fake MTA tools for process-requests ----
cat > "$T/postqueue" <<EOF
#!/bin/sh
cat "$T/queue.jsonl"
EOF
cat > "$T/postsuper" <<EOF
#!/bin/sh
echo "\$*" >> "$T/postsuper.args"
EOF
# the MTA's sendmail command, for a release to chosen recipients: arguments and message kept
cat > "$T/sendmail" <<EOF
#!/bin/sh
echo "\$*" >> "$T/sendmail.args"
cat > "$T/sendmail.msg"
EOF
chmod +x "$T/postqueue" "$T/postsuper" "$T/sendmail"
: > "$T/sendmail.args"
for q in QFUT1 QHOST1 QMK1 QB1 QB2 QCSRF QCONF QPART; do
	echo "{\"queue_name\": \"hold\", \"queue_id\": \"$q\", \"arrival_time\": 1, \"message_size\": 10, \"sender\": \"a@b\", \"recipients\": []}"
done > "$T/queue.jsonl"
: > "$T/postsuper.args"
cat > "$T/process.sh" <<EOF
#!/bin/sh
EMBARGO_POSTQUEUE="$T/postqueue" EMBARGO_POSTSUPER="$T/postsuper" EMBARGO_POSTFIX_CONFIG="$T/pf-env" \
	EMBARGO_SENDMAIL="$T/sendmail" \
	"$BUILD/embargoctl" quarantine process-requests -c "$CONF"
EOF
chmod +x "$T/process.sh"

# ---- the console (two instances: normal, and one whose sessions expire after 3 s) ----
"$BUILD/embargo-review" -c "$CONF" 2> "$T/review.err" &
PIDS="$PIDS $!"
"$BUILD/embargo-review" -c "$T/conf/short.conf" 2> "$T/review-short.err" &
PIDS="$PIDS $!"
# the attacker's site: another origin on loopback
mkdir -p "$T/evil"
"$PY" -m http.server "$PORT3" --bind 127.0.0.1 --directory "$T/evil" > /dev/null 2>&1 &
PIDS="$PIDS $!"
i=0
until (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && (echo > "/dev/tcp/127.0.0.1/$PORT2") 2>/dev/null \
	&& (echo > "/dev/tcp/127.0.0.1/$PORT3") 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "browser: the console did not start"; cat "$T"/review*.err; exit 2; }
	sleep 0.1
done

mkdir -p "$BUILD/browser"
# shellcheck disable=SC1091
. "$T/ids.env"
export FUTURE HOSTILE MIMEKIT BULK1 BULK2 CSRF PARTIAL CONFREC CODE PW ALICE BOB CAROL T PORT PORT2 PORT3 CHROME DRIVER
export SHOTS="$BUILD/browser" AUDIT="$T/audit.log" PROCESS="$T/process.sh" POSTSUPER_ARGS="$T/postsuper.args"
export SENDMAIL_ARGS="$T/sendmail.args" SENDMAIL_MSG="$T/sendmail.msg"
export REQLOG="$T/requests-$PORT.log" EMBARGOCTL="$BUILD/embargoctl" CONF
timeout 300 "$PY" "${BROWSER_SCRIPT:-$HERE/test_review.py}"
rc=$?
if [ $rc != 0 ]; then
	echo "--- review.err"; tail -20 "$T/review.err"
fi
exit $rc
