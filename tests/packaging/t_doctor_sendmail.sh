#!/bin/sh
# t_doctor_sendmail.sh - `embargoctl doctor`'s Sendmail checks against
# sendmail.cf files built by Sendmail's own m4 tree (the copy that
# tests/e2e/sendmail_fetch.sh unpacks) from an .mc holding
# conf/sendmail.mc.snippet as shipped (only the socket replaced): the
# snippet itself is clean; short timeouts, no queue id macro, a socket
# Sendmail's RunAsUser cannot reach, a missing queue directory, `mta` set to
# postfix are each reported; an invalid `mta` is a config error with FILE:LINE.
#
#   tests/packaging/t_doctor_sendmail.sh [build/embargoctl]
# (doctor --no-live: these cases check sendmail.cf, not a running daemon)
#
# Exit 0 when every case passes, 1 on a failure, 77 when the Sendmail cf tree
# is not available (and cannot be fetched).
set -u
CTL=${1:-build/embargoctl}
case $CTL in /*) ;; *) CTL=$(pwd)/$CTL ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SM=${EM_SENDMAIL_PREFIX:-/var/cache/embargo-milter-tests/sendmail}
if [ ! -e "$SM/.complete" ] && ! sh "$ROOT/tests/e2e/sendmail_fetch.sh" "$SM" >/dev/null 2>&1; then
	echo "t_doctor_sendmail: SKIP (no Sendmail cf tree in $SM)"
	exit 77
fi
T=$(mktemp -d /tmp/t_doctor_sm.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
chmod 0755 "$T"
fail=0
n=0

# expect NAME RC PATTERN...: see expect.sh
. "$(dirname "$0")/expect.sh"

mkconf() { # DIR SOCKET [extra main-config lines]
	d=$1
	mkdir -p "$d/releases.d"
	{
		echo "socket = \"$2\";"
		echo 'releases_dir = "releases.d";'
		echo 'quarantine_dir = "q";'
		echo 'mta = "sendmail";'
		echo 'sendmail = "/bin/true";'
		shift 2
		for l in "$@"; do echo "$l"; done
	} >"$d/embargo-milter.conf"
	cat >"$d/releases.d/future.conf" <<'EOF'
release = {
  id = "future-2099";
  title = "Future statistics";
  publish_at = "2099-01-01 09:30";
  identifiers = ( "Future statistics" );
  producers = ( "@stats.example.gov.uk" );
  pre_release_access = ( "minister.po@example.gov.uk" );
};
EOF
}

# mkcf OUT SOCKET [SED-EXPR [EXTRA .mc LINES]]: sendmail.cf from an .mc with the
# shipped snippet (S= replaced by SOCKET, then SED-EXPR applied to the snippet).
mkcf() {
	mkdir -p "$T/mqueue"
	{
		echo "divert(0)dnl"
		echo "OSTYPE(\`linux')dnl"
		echo "define(\`QUEUE_DIR', \`$T/mqueue')dnl"
		[ $# -ge 4 ] && printf '%s\n' "$4"
		sed -e "s|S=[^,]*,|S=$2,|" -e "${3:-s/^//}" "$ROOT/conf/sendmail.mc.snippet"
		echo "MAILER(\`smtp')dnl"
	} >"$1.mc"
	"$SM/usr/bin/m4" -D_CF_DIR_="$SM/usr/share/sendmail/cf/" "$SM/usr/share/sendmail/cf/m4/cf.m4" \
		"$1.mc" >"$1" 2>"$1.err" || { echo "m4 failed: $(cat "$1.err")"; exit 1; }
}

# A real unix socket (left behind by a process that bound it).
mkdir -p "$T/run"
chmod 0755 "$T/run"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/run/em.sock"
chmod 0660 "$T/run/em.sock"
mkconf "$T/c1" "unix:$T/run/em.sock"

mkcf "$T/ok.cf" "unix:$T/run/em.sock"
cmd="EMBARGO_POSTCONF=/nonexistent '$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --sendmail-cf '$T/ok.cf'"
expect "the shipped snippet is clean" 0 "Sendmail filter embargo-milter fails closed (F=T)" \
	"ok: Sendmail filter embargo-milter timeouts S:240s R:240s E:600s" "ok: Sendmail (as root) can reach" \
	"ok: Sendmail sends the queue id (i)" "ok: 1 Sendmail queue directory" "!UNSAFE" "!warning"

mkcf "$T/short.cf" "unix:$T/run/em.sock" 's/T=S:4m;R:4m;E:10m/T=S:10s;R:10s;E:1m/'
cmd="EMBARGO_POSTCONF=/nonexistent '$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --sendmail-cf '$T/short.cf'"
expect "short T= timeouts are reported" 0 "T=E:60s (whole message) is shorter" "T=S:10s;R:10s is short"

mkcf "$T/default-t.cf" "unix:$T/run/em.sock" 's/, T=S:4m;R:4m;E:10m//'
cmd="EMBARGO_POSTCONF=/nonexistent '$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --sendmail-cf '$T/default-t.cf'"
expect "Sendmail's default timeouts (no T=) are too short" 0 "T=S:10s;R:10s is short"

mkcf "$T/noi.cf" "unix:$T/run/em.sock" '/confMILTER_MACROS_EOM/d' \
	"define(\`confMILTER_MACROS_ENVFROM', \`{auth_type}')dnl"
cmd="EMBARGO_POSTCONF=/nonexistent '$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --sendmail-cf '$T/noi.cf'"
expect "no queue id macro is reported" 0 "sends no queue id (macro i)" "confMILTER_MACROS_EOM"

mkcf "$T/runas.cf" "unix:$T/run/em.sock" 's/^//' "define(\`confRUN_AS_USER', \`nobody')dnl"
cmd="EMBARGO_POSTCONF=/nonexistent '$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --sendmail-cf '$T/runas.cf'"
expect "RunAsUser that cannot write the socket is unsafe" 1 "UNSAFE: Sendmail (as nobody) cannot connect" \
	"may not write to $T/run/em.sock"
chmod 0700 "$T/run"
chmod 0666 "$T/run/em.sock"
expect "RunAsUser that cannot search the socket's directory is unsafe" 1 "nobody may not search $T/run"
chmod 0755 "$T/run"
chmod 0660 "$T/run/em.sock"

mkcf "$T/noq.cf" "unix:$T/run/em.sock"
sed -i "s|^O QueueDirectory=.*|O QueueDirectory=$T/gone/q*|" "$T/noq.cf"
printf 'Qextra, P=%s/nogroup, F=f\n' "$T" >>"$T/noq.cf"
cmd="EMBARGO_POSTCONF=/nonexistent '$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --sendmail-cf '$T/noq.cf'"
expect "a missing queue group directory is reported" 0 "queue directory $T/nogroup of"

mkconf "$T/c2" "unix:$T/run/em.sock" 'mta = "postfix";'
sed -i '/^mta = "sendmail";$/d' "$T/c2/embargo-milter.conf"
cmd="EMBARGO_POSTCONF=/nonexistent '$CTL' doctor --no-live -c '$T/c2/embargo-milter.conf' --sendmail-cf '$T/ok.cf'"
expect "mta = postfix on a Sendmail relay is reported" 0 "embargoctl quarantine drives Postfix here"

mkconf "$T/c3" "unix:$T/run/em.sock"
sed -i 's/^mta = "sendmail";$/mta = "exim";/' "$T/c3/embargo-milter.conf"
cmd="'$CTL' doctor --no-live -c '$T/c3/embargo-milter.conf' --sendmail-cf '$T/ok.cf'"
expect "an unknown mta is a config error with FILE:LINE" 2 "embargo-milter.conf:4:" '"exim" is not "postfix" or "sendmail"'

echo "1..$n"
exit $fail
