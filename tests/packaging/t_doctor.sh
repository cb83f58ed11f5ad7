#!/bin/sh
# t_doctor.sh - `embargoctl doctor` against throw-away Postfix configuration
# directories (postconf -c DIR -e ...) and fake sendmail.cf files. No running
# Postfix is needed, only postconf(1).
#
#   tests/packaging/t_doctor.sh [build/embargoctl]
#
# Exit 0 when every case passes, 1 on a failure, 77 when postconf is missing.
set -u

CTL=${1:-build/embargoctl}
case $CTL in /*) ;; *) CTL=$(pwd)/$CTL ;; esac
if ! command -v postconf >/dev/null 2>&1 && [ ! -x /usr/sbin/postconf ]; then
	echo "t_doctor: SKIP (postconf not installed)"
	exit 77
fi
PATH=$PATH:/usr/sbin:/sbin
T=$(mktemp -d /tmp/t_doctor.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
# postfix (mail_owner) must be able to walk into the socket directories below
chmod 0755 "$T"
fail=0
n=0

# A release published far in the future, with a PRA list.
mkconf() { # DIR SOCKET [extra main-config lines]
	mkdir -p "$1/releases.d"
	{
		echo "socket = \"$2\";"
		echo 'releases_dir = "releases.d";'
		echo 'quarantine_dir = "q";'
		[ $# -ge 3 ] && echo "$3"
	} >"$1/embargo-milter.conf"
	cat >"$1/releases.d/future.conf" <<'EOF'
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

# A Postfix config dir: smtp (not chrooted) and cleanup (chrooted), plus
# whatever master.cf lines are given.
mkpostfix() { # DIR [master.cf lines]
	mkdir -p "$1"
	: >"$1/main.cf"
	{
		echo "smtp      inet  n       -       n       -       -       smtpd"
		echo "pickup    unix  n       -       y       60      1       pickup"
		echo "cleanup   unix  n       -       n       -       0       cleanup"
		[ $# -ge 2 ] && printf '%s\n' "$2"
	} >"$1/master.cf"
	postconf -c "$1" -e "queue_directory = $T/spool" "mail_owner = postfix"
}

# expect NAME RC PATTERN...: see expect.sh
. "$(dirname "$0")/expect.sh"

# --- inet socket, everything wired: clean ------------------------------------
mkconf "$T/c1" "inet:18894@127.0.0.1"
mkpostfix "$T/p1"
postconf -c "$T/p1" -e 'smtpd_milters = inet:127.0.0.1:18894' 'non_smtpd_milters = $smtpd_milters' \
	'milter_default_action = tempfail'
cat >"$T/sendmail-ok.cf" <<'EOF'
O InputMailFilters=embargo-milter
Xembargo-milter, S=inet:18894@127.0.0.1, F=T, T=S:4m;R:4m;E:10m
EOF
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sendmail-ok.cf'"
expect "a fully wired inet milter is clean" 0 "Nothing unsafe found" "!UNSAFE"

# the same, with the Postfix dir taken from the environment
cmd="EMBARGO_POSTFIX_CONFIG='$T/p1' '$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --sendmail-cf '$T/sendmail-ok.cf'"
expect "EMBARGO_POSTFIX_CONFIG selects the Postfix config dir" 0 "Postfix $T/p1" "!UNSAFE"

# --- Postfix mistakes ---------------------------------------------------------
postconf -c "$T/p1" -e 'milter_default_action = accept'
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sendmail-ok.cf'"
expect "milter_default_action = accept is unsafe" 1 "milter_default_action = accept" "1 unsafe"

postconf -c "$T/p1" -e 'milter_default_action = tempfail' 'non_smtpd_milters ='
expect "a milter missing from non_smtpd_milters is unsafe" 1 \
	"non_smtpd_milters does not include the milter (inet:127.0.0.1:18894)" "sendmail(1)"

postconf -c "$T/p1" -e 'non_smtpd_milters = inet:127.0.0.1:18894' 'smtpd_milters = inet:127.0.0.1:9999'
expect "a milter on another port does not count" 1 "smtp/inet: smtpd_milters does not include"

postconf -c "$T/p1" -e 'smtpd_milters = { inet:127.0.0.1:18894, default_action = accept }'
expect "a per-milter default_action = accept is unsafe" 1 "sets default_action = accept"

postconf -c "$T/p1" -e 'smtpd_milters = inet:localhost:18894, inet:127.0.0.1:8891'
expect "localhost names the loopback milter" 0 "!UNSAFE"

mkpostfix "$T/p2" "submission inet n       -       n       -       -       smtpd
  -o smtpd_milters=
  -o milter_default_action=accept"
postconf -c "$T/p2" -e 'smtpd_milters = inet:127.0.0.1:18894' 'non_smtpd_milters = $smtpd_milters'
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p2' --sendmail-cf '$T/sendmail-ok.cf'"
expect "a master.cf service overriding the milters away is unsafe" 1 \
	"service submission/inet: smtpd_milters (overridden in master.cf) does not include" \
	"service submission/inet (master.cf -o): milter_default_action = accept" \
	"ok: Postfix service smtp/inet passes mail"

# --- settings that take mail past the milter (issue 9) ------------------------
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sendmail-ok.cf'"
postconf -c "$T/p1" -e 'smtpd_milters = inet:127.0.0.1:18894' 'non_smtpd_milters = $smtpd_milters' \
	'receive_override_options = no_address_mappings, no_milters'
expect "receive_override_options = no_milters in main.cf is unsafe, with the fix" 1 \
	"service smtp/inet: receive_override_options = no_address_mappings, no_milters (main.cf) contains no_milters" \
	"service pickup/unix: receive_override_options" \
	"Fix: postconf -e 'receive_override_options = no_address_mappings' && postfix reload"
postconf -c "$T/p1" -X receive_override_options

mkpostfix "$T/p5" "127.0.0.1:10025 inet n - n - - smtpd
  -o content_filter=
  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters"
postconf -c "$T/p5" -e 'smtpd_milters = inet:127.0.0.1:18894' 'non_smtpd_milters = $smtpd_milters' \
	'content_filter = scan:[127.0.0.1]:10024'
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p5' --sendmail-cf '$T/sendmail-ok.cf'"
expect "a content_filter re-injection service with no_milters is unsafe, with the fix" 1 \
	"service 127.0.0.1:10025/inet: receive_override_options = no_unknown_recipient_checks,no_header_body_checks,no_milters (master.cf -o) contains no_milters" \
	"Fix: postconf -P '127.0.0.1:10025/inet/receive_override_options=no_unknown_recipient_checks,no_header_body_checks'" \
	"note: content_filter = scan:[127.0.0.1]:10024" "1 unsafe"

mkpostfix "$T/p6" "pickup2   unix  n       -       y       60      1       pickup
  -o receive_override_options=no_milters"
postconf -c "$T/p6" -e 'smtpd_milters = inet:127.0.0.1:18894' 'non_smtpd_milters = $smtpd_milters'
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p6' --sendmail-cf '$T/sendmail-ok.cf'"
expect "no_milters on a pickup service is unsafe; the only option is removed with -PX" 1 \
	"service pickup2/unix: receive_override_options = no_milters (master.cf -o)" \
	"Fix: postconf -PX 'pickup2/unix/receive_override_options'" "1 unsafe"

printf '%s\n' '# clients that get no milter' '192.0.2.0/24    DISABLE' \
	'198.51.100.7    inet:127.0.0.1:18894' '203.0.113.0/24  inet:127.0.0.1:8891' >"$T/milter_maps.cidr"
postconf -c "$T/p1" -e "smtpd_milter_maps = cidr:$T/milter_maps.cidr"
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sendmail-ok.cf'"
expect "smtpd_milter_maps entries that disable or replace the milter are unsafe" 1 \
	"smtpd_milter_maps cidr:$T/milter_maps.cidr line 2: clients matching 192.0.2.0/24 get DISABLE" \
	"line 4: clients matching 203.0.113.0/24 get the milter list \"inet:127.0.0.1:8891\"" \
	"!line 3" "2 unsafe"
postconf -c "$T/p1" -e "smtpd_milter_maps = pgsql:/etc/postfix/milters.cf"
expect "a smtpd_milter_maps table doctor cannot list is reported" 1 "cannot list table pgsql:"
postconf -c "$T/p1" -X smtpd_milter_maps

postconf -c "$T/p1" -e "milter_default_action = quarantine"
expect "milter_default_action = quarantine is unsafe" 1 "milter_default_action = quarantine" \
	"hold queue unscanned"
postconf -c "$T/p1" -e "milter_default_action = tempfial"
expect "a milter_default_action Postfix does not know is unsafe" 1 \
	'milter_default_action = "tempfial" is not a value Postfix knows'
postconf -c "$T/p1" -e 'milter_default_action = reject'
expect "milter_default_action = reject is safe" 0 "!UNSAFE"

# what pasting a snippet with trailing comments does to main.cf
mkpostfix "$T/p7"
printf '%s\n' 'smtpd_milters = inet:127.0.0.1:18894' \
	'milter_default_action = tempfail            # never accept unscanned mail' \
	'non_smtpd_milters = $smtpd_milters  # local submissions' >>"$T/p7/main.cf"
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p7' --sendmail-cf '$T/sendmail-ok.cf'"
expect "a # comment after a main.cf value is unsafe, with the fix" 1 \
	"main.cf: milter_default_action = tempfail # never accept unscanned mail: Postfix reads" \
	"Fix: postconf -e 'milter_default_action = tempfail'" \
	"Fix: postconf -e 'non_smtpd_milters = \$smtpd_milters'"
postconf -c "$T/p7" -e 'milter_default_action = tempfail' 'non_smtpd_milters = $smtpd_milters'
expect "fixed as doctor said, clean again" 0 "!UNSAFE"

# --- unix sockets, chroot and permissions ------------------------------------
mkdir -p "$T/run/em" "$T/spool/em"
chmod 0755 "$T/run" "$T/spool"
chgrp postfix "$T/run/em" "$T/spool/em"
chmod 0750 "$T/run/em" "$T/spool/em"
mkconf "$T/c2" "unix:$T/run/em/milter.sock"
printf 'Xembargo-milter, S=local:%s, F=T\n' "$T/run/em/milter.sock" >"$T/sm-unix.cf"
mkpostfix "$T/p3" "smtps     inet  n       -       y       -       -       smtpd"
postconf -c "$T/p3" -e "smtpd_milters = unix:$T/run/em/milter.sock" 'non_smtpd_milters = $smtpd_milters'
cmd="'$CTL' doctor --no-live -c '$T/c2/embargo-milter.conf' --postfix-config '$T/p3' --sendmail-cf '$T/sm-unix.cf'"
expect "a chrooted smtpd cannot reach a socket outside the queue directory" 1 \
	"service smtps/inet runs chrooted in $T/spool" "ok: Postfix service smtp/inet passes mail" \
	"will be able to connect"

mkconf "$T/c3" "unix:$T/spool/em/milter.sock"
printf 'Xembargo-milter, S=unix:%s, F=T\n' "$T/spool/em/milter.sock" >"$T/sm-unix3.cf"
mkpostfix "$T/p4" "smtps     inet  n       -       y       -       -       smtpd"
postconf -c "$T/p4" -e 'smtpd_milters = unix:/em/milter.sock' "non_smtpd_milters = unix:$T/spool/em/milter.sock"
cmd="'$CTL' doctor --no-live -c '$T/c3/embargo-milter.conf' --postfix-config '$T/p4' --sendmail-cf '$T/sm-unix3.cf'"
expect "a chrooted smtpd reaches a socket named relative to the queue directory" 1 \
	"ok: Postfix service smtps/inet (chrooted) passes mail" \
	"service smtp/inet: smtpd_milters does not include"

chmod 0700 "$T/run/em"
cmd="'$CTL' doctor --no-live -c '$T/c2/embargo-milter.conf' --postfix-config '$T/p3' --sendmail-cf '$T/sm-unix.cf'"
expect "a socket directory Postfix cannot search is unsafe" 1 \
	"cannot reach the milter socket $T/run/em/milter.sock: no search permission on $T/run/em" \
	"chmod g+x"

chmod 0750 "$T/run/em"
chgrp root "$T/run/em"
expect "a socket in a group Postfix is not in is unsafe" 1 "no search permission on $T/run/em" \
	"group root). Put the directory in a group of postfix"

chmod 0755 "$T/run/em"
python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$T/run/em/milter.sock"
chmod 0600 "$T/run/em/milter.sock"
expect "a socket Postfix may not write to is unsafe" 1 "may not connect to the milter socket"
chmod 0666 "$T/run/em/milter.sock"
expect "a socket Postfix may write to is fine" 1 "ok: Postfix (user postfix) may connect"

# --- the README's snippets, copied out of README.md itself (issue 9) ----------
# A block is the fenced code block whose first line contains the marker.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
readme_block() { # MARKER
	awk -v m="$1" '/^```/ { if (inb) exit; inb = 1; first = 1; next }
		inb && first { first = 0; if (index($0, m) == 0) { inb = 0; next } }
		inb { print }' "$TOP/README.md"
}
readme_block "embargo-milter: mail received by SMTP" >"$T/readme-main.cf"
readme_socket=$(grep -m1 '^socket = "unix:/var/spool/postfix/' "$TOP/README.md")
readme_install=$(grep -m1 '^install -d -o embargo-milter -g postfix -m 0750 ' "$TOP/README.md")
n=$((n + 1))
if [ -s "$T/readme-main.cf" ] && [ -n "$readme_socket" ] && [ -n "$readme_install" ]; then
	echo "ok $n - the README has the main.cf block, the socket line and the install -d command"
else
	echo "not ok $n - README.md lost a snippet this test copies (main.cf block, socket, install -d)"
	fail=1
fi
# Debian's master.cf: smtpd, pickup and cleanup chrooted
mkdir -p "$T/p8"
printf '%s\n' "smtp      inet  n       -       y       -       -       smtpd" \
	"pickup    unix  n       -       y       60      1       pickup" \
	"cleanup   unix  n       -       y       -       0       cleanup" >"$T/p8/master.cf"
: >"$T/p8/main.cf"
postconf -c "$T/p8" -e "queue_directory = $T/spool" "mail_owner = postfix"
cat "$T/readme-main.cf" >>"$T/p8/main.cf"
n=$((n + 1))
if [ "$(postconf -c "$T/p8" -h milter_default_action)" = tempfail ] &&
	[ "$(postconf -c "$T/p8" -xh non_smtpd_milters)" = "$(postconf -c "$T/p8" -h smtpd_milters)" ] &&
	[ "$(postconf -c "$T/p8" -h milter_protocol)" = 6 ]; then
	echo "ok $n - the README's main.cf block pastes as is (postconf reads the values meant)"
else
	echo "not ok $n - the README's main.cf block does not paste as is"
	postconf -c "$T/p8" -n | sed 's/^/#   /'
	fail=1
fi
mkdir -p "$T/c8/releases.d"
cp "$T/c1/releases.d/future.conf" "$T/c8/releases.d/"
{
	printf '%s\n' "$readme_socket" | sed "s|/var/spool/postfix|$T/spool|"
	echo 'releases_dir = "releases.d";'
	echo 'quarantine_dir = "q";'
} >"$T/c8/embargo-milter.conf"
rmdir "$T/spool/embargo-milter" 2>/dev/null
printf 'Xembargo-milter, S=local:%s, F=T\n' "$T/spool/embargo-milter/embargo-milter.sock" >"$T/sm8.cf"
cmd="'$CTL' doctor --no-live -c '$T/c8/embargo-milter.conf' --postfix-config '$T/p8' --sendmail-cf '$T/sm8.cf'"
expect "wired as the README says: chrooted services reach the socket; a missing directory gets the install -d fix" 1 \
	"ok: Postfix service smtp/inet (chrooted) passes mail to unix:embargo-milter/embargo-milter.sock" \
	"ok: Postfix service cleanup/unix (chrooted) passes mail" \
	"socket directory $T/spool/embargo-milter does not exist" \
	"Fix: install -d -o embargo-milter -g postfix -m 0750 $T/spool/embargo-milter" \
	"ReadWritePaths=$T/spool/embargo-milter" "!Postfix reads everything after"
# run the README's own command (the user may not exist on a test machine: root owns it here)
eval "$(printf '%s\n' "$readme_install" | sed -e "s|/var/spool/postfix|$T/spool|" -e 's/-o embargo-milter/-o root/')"
expect "after the README's install -d, doctor is clean" 0 \
	"will be able to connect to $T/spool/embargo-milter/embargo-milter.sock" "!UNSAFE"

# the commented copy in conf/ pastes as is too
mkpostfix "$T/p9"
cat "$TOP/conf/postfix-main.cf.snippet" >>"$T/p9/main.cf"
n=$((n + 1))
if postconf -c "$T/p9" -n | grep -q '#'; then
	echo "not ok $n - conf/postfix-main.cf.snippet puts a # into a main.cf value"
	postconf -c "$T/p9" -n | grep '#' | sed 's/^/#   /'
	fail=1
else
	echo "ok $n - conf/postfix-main.cf.snippet pastes as is (no # inside any value)"
fi

# --- files the daemon's user cannot read (issue 9, as root only) -------------
if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null; then
	mkconf "$T/c9" "inet:18894@127.0.0.1" 'user = "nobody";'
	chmod -R a+rX "$T/c9"
	cmd="'$CTL' doctor --no-live -c '$T/c9/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sendmail-ok.cf'"
	expect "files the daemon's user can read are fine" 0 \
		"ok: user nobody (the daemon's \`user\`) can read all 2 configuration files" "!UNSAFE"
	chmod 0600 "$T/c9/releases.d/future.conf"
	expect "a release file the daemon's user cannot read is unsafe, with the fix" 1 \
		"UNSAFE: permission denied reading $T/c9/releases.d/future.conf as user nobody" \
		"keeps the old rules at a reload" "Fix: chgrp nogroup $T/c9/releases.d/future.conf && chmod g+r "
	cmd="'$CTL' check -c '$T/c9/embargo-milter.conf'"
	expect "check refuses a release file the daemon's user cannot read" 2 \
		"permission denied reading $T/c9/releases.d/future.conf as user nobody" \
		"the daemon (user nobody) cannot load this configuration"
	chmod 0644 "$T/c9/releases.d/future.conf"
	chmod 0700 "$T/c9/releases.d"
	cmd="'$CTL' doctor --no-live -c '$T/c9/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sendmail-ok.cf'"
	expect "a releases directory the daemon's user cannot enter is unsafe" 1 \
		"permission denied reading $T/c9/releases.d/future.conf as user nobody" \
		"chmod g+rx $T/c9/releases.d"
	chmod 0755 "$T/c9/releases.d"
	mkdir -p "$T/c9/q"
	chmod 0700 "$T/c9/q"
	if command -v setpriv >/dev/null && setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$CTL"; then
		cmd="setpriv --reuid=nobody --regid=nogroup --clear-groups '$CTL' quarantine list -c '$T/c9/embargo-milter.conf'"
		expect "embargoctl says permission denied reading the quarantine" 2 \
			"embargoctl: permission denied reading $T/c9/q (the quarantine is readable by the daemon's user"
	fi
else
	echo "# skipped: readable-as-user cases need root and a user nobody"
fi

# --- Sendmail -----------------------------------------------------------------
postconf -c "$T/p1" -e 'smtpd_milters = inet:127.0.0.1:18894' 'non_smtpd_milters = $smtpd_milters'
printf 'O InputMailFilters=embargo-milter\nXembargo-milter, S=inet:18894@127.0.0.1, T=S:4m\n' >"$T/sm-nof.cf"
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sm-nof.cf'"
expect "a Sendmail filter without F=T is unsafe" 1 "has F= without T" "delivers mail unchecked"

printf 'O InputMailFilters=other\nXembargo-milter, S=inet:18894@127.0.0.1, F=R\n' >"$T/sm-r.cf"
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sm-r.cf'"
expect "F=R and a filter left out of InputMailFilters are both reported" 1 \
	"rejects the mail permanently" "not in InputMailFilters" "2 unsafe"

printf 'Xother, S=inet:8891@127.0.0.1, F=T\n' >"$T/sm-none.cf"
cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sm-none.cf'"
expect "a sendmail.cf without our filter is unsafe" 1 "has no filter (X line) for the milter's socket"

# --- releases and mode ---------------------------------------------------------
mkconf "$T/c4" "inet:18894@127.0.0.1" 'mode = "monitor";'
cat >"$T/c4/releases.d/old.conf" <<'EOF'
release = {
  id = "old-2020";
  title = "Old statistics";
  publish_at = "2020-11-12 09:30";
  identifiers = ( "Old statistics" );
  pre_release_access = ( "minister.po@example.gov.uk" );
};
EOF
cat >"$T/c4/releases.d/nopra.conf" <<'EOF'
release = {
  id = "nopra-2099";
  title = "No PRA statistics";
  publish_at = "2099-06-01 09:30";
  identifiers = ( "No PRA statistics" );
  producers = ( "@stats.example.gov.uk" );
};
EOF
cmd="'$CTL' doctor --no-live -c '$T/c4/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/sendmail-ok.cf'"
expect "published releases, empty PRA lists and monitor mode are reported" 1 \
	"release old-2020" "was published 2020-11-12 09:30 GMT but is still configured" \
	"release nopra-2099" "empty pre-release access list" 'mode = "monitor"' "3 unsafe" \
	"ok: release future-2099"

# --- errors --------------------------------------------------------------------
printf 'socket = "inet:18894@127.0.0.1";\nbogus_key = 1;\n' >"$T/bad.conf"
cmd="'$CTL' doctor --no-live -c '$T/bad.conf' --postfix-config '$T/p1'"
expect "an invalid config is an error" 2 "bad.conf:2:" "bogus_key"

cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/no-such-dir' --sendmail-cf '$T/sendmail-ok.cf'"
expect "a Postfix config dir postconf cannot read is an error" 2 "failed"

cmd="EMBARGO_POSTCONF=/nonexistent/postconf '$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf'"
[ -e /etc/mail/sendmail.cf ] && cmd="EMBARGO_SENDMAIL_CF=/nonexistent/x.cf $cmd"
expect "no Postfix and no Sendmail to check is an error" 2 "neither Postfix"

cmd="'$CTL' doctor --no-live -c '$T/c1/embargo-milter.conf' --postfix-config '$T/p1' --sendmail-cf '$T/none.cf'"
expect "a named sendmail.cf that is missing is an error" 2 "none.cf"

echo "1..$n"
exit $fail
