#!/bin/sh
# t_deb.sh - builds the Debian package from a copy of the tree, lints it,
# installs it, checks the packaged daemon starts and listens, and purges it.
# With Postfix installed, the daemon runs on the socket README.md's install
# section names (the socket line copied out of README.md) and
# deb_postfix.sh wires a throw-away Postfix with the README's own main.cf
# block: a leak sent by SMTP and one submitted locally are held, doctor is
# clean, `embargoctl status` shows the live rules. reviewer_group is set and
# applied with dpkg-reconfigure (postinst): a member lists the quarantine
# without root, a non-member is told "permission denied reading". Purge
# keeps the quarantine and the audit log.
#
#   tests/packaging/t_deb.sh          (run from the top of the tree, as root)
#
# Leaves the system as found: refuses to run when embargo-milter is already
# installed, and removes the package, its state, and the system user and
# group when it created them. Build tools installed with apt-get stay.
# Exit 0 pass, 1 fail, 77 skipped (not root, not Debian).
set -u

say() { printf 't_deb: %s\n' "$*"; }
die() { say "FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || { say "SKIP (needs root for dpkg -i)"; exit 77; }
command -v dpkg >/dev/null || { say "SKIP (not a Debian system)"; exit 77; }
[ -f packaging/debian/control ] || die "run from the top of the source tree"
if dpkg-query -W -f '${Status}' embargo-milter 2>/dev/null | grep -q 'installed\|config-files'; then
	say "SKIP (embargo-milter is already installed here; not touching it)"
	exit 77
fi

state_existed=0
[ -e /var/lib/embargo-milter ] && state_existed=1
user_existed=0
getent passwd embargo-milter >/dev/null && user_existed=1
group_existed=0
getent group embargo-milter >/dev/null && group_existed=1

TOP=$(pwd)
T=$(mktemp -d /tmp/t_deb.XXXXXX)
installed=0
daemon=

accounts=
cleanup() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null && sleep 0.5
	for u in $accounts; do userdel "$u" 2>/dev/null; done
	[ -n "${RG:-}" ] && getent group "$RG" >/dev/null && groupdel "$RG" 2>/dev/null
	if [ $installed = 1 ]; then
		dpkg --purge embargo-milter >/dev/null 2>&1 || say "warning: purge failed"
	fi
	# purge keeps the quarantine (evidence); a test leaves none behind
	[ $state_existed = 0 ] && rm -rf /var/lib/embargo-milter
	if [ $user_existed = 0 ] && getent passwd embargo-milter >/dev/null; then
		deluser --quiet --system embargo-milter >/dev/null 2>&1 || userdel embargo-milter
	fi
	if [ $group_existed = 0 ] && getent group embargo-milter >/dev/null; then
		delgroup --quiet --system embargo-milter >/dev/null 2>&1 || groupdel embargo-milter
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- tools and build dependencies ---------------------------------------------
need=
for p in dpkg-dev debhelper lintian fakeroot adduser; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
	say "installing$need"
	apt-get install -y --no-install-recommends $need >"$T/apt.log" 2>&1 ||
		{ cat "$T/apt.log"; die "apt-get install$need"; }
fi
missing=$(cd packaging && dpkg-checkbuilddeps 2>&1 | sed -n 's/.*Unmet build dependencies: //p' |
	sed 's/([^)]*)//g')
if [ -n "$missing" ]; then
	say "installing build dependencies: $missing"
	apt-get install -y --no-install-recommends $missing >"$T/apt.log" 2>&1 ||
		{ cat "$T/apt.log"; die "apt-get install $missing"; }
fi

# --- build ----------------------------------------------------------------------
SRC=$T/embargo-milter-0.1.0
mkdir -p "$SRC"
tar -C "$TOP" --exclude=./build --exclude=./build-asan --exclude=./.git --exclude=./debian \
	-cf - . | tar -C "$SRC" -xf - || die "copying the tree"
cp -r "$SRC/packaging/debian" "$SRC/debian"
say "dpkg-buildpackage -us -uc -b"
(cd "$SRC" && dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1 ||
	{ tail -60 "$T/build.log"; die "dpkg-buildpackage"; }
DEB=$(ls "$T"/embargo-milter_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || die "no .deb produced"
say "built $(basename "$DEB")"

# --- contents -----------------------------------------------------------------
dpkg-deb -c "$DEB" >"$T/contents"
for f in ./usr/sbin/embargo-milter ./usr/bin/embargoctl ./etc/embargo-milter/embargo-milter.conf \
	./etc/embargo-milter/releases.d/fostering-2020.conf ./lib/systemd/system/embargo-milter.service \
	./usr/lib/tmpfiles.d/embargo-milter.conf ./usr/share/man/man8/embargo-milter.8.gz \
	./usr/share/man/man1/embargoctl.1.gz ./usr/share/man/man5/embargo-milter.conf.5.gz \
	./usr/share/man/man5/embargo-release.5.gz ./lib/systemd/system/embargo-milter-requests.service \
	./lib/systemd/system/embargo-milter-requests.path ./lib/systemd/system/embargo-milter-requests.timer \
	./lib/systemd/system/embargo-milter-expire.service ./lib/systemd/system/embargo-milter-expire.timer \
	./etc/logrotate.d/embargo-milter; do
	grep -q " $f\$" "$T/contents" || die "$f is not in the package"
done
for f in ./usr/share/doc/embargo-milter/postfix-main.cf.snippet \
	./usr/share/doc/embargo-milter/examples/embargo-milter.conf \
	./usr/share/doc/embargo-milter/README.Debian; do
	grep -q " $f\$" "$T/contents" || die "$f is not in the package"
done
grep -q " ./usr/share/doc/embargo-milter/README.md" "$T/contents" || die "README.md is not in the package"
dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./usr/share/doc/embargo-milter/README.Debian >"$T/README.Debian"
dpkg-deb -e "$DEB" "$T/ctrl"
grep -q '/etc/embargo-milter/embargo-milter.conf' "$T/ctrl/conffiles" ||
	die "the main config is not a conffile"
grep -q 'embargo-milter.service' "$T/ctrl/postinst" || die "postinst does not handle the unit"
grep -q 'embargo-milter-requests.timer' "$T/ctrl/postinst" || die "postinst does not enable the request timer"
grep -q 'embargo-milter-expire.timer' "$T/ctrl/postinst" || die "postinst does not enable the expire timer"
grep -q '/etc/logrotate.d/embargo-milter' "$T/ctrl/conffiles" || die "the logrotate file is not a conffile"
grep -q 'systemd-tmpfiles' "$T/ctrl/postinst" || die "postinst does not create the tmpfiles entry"

# --- lintian: errors fail, the rest is shown ------------------------------------
say "lintian"
lintian -I --pedantic --tag-display-limit 0 "$DEB" >"$T/lintian" 2>&1
cat "$T/lintian"
grep -q '^E: ' "$T/lintian" && die "lintian reported errors"

# --- install ------------------------------------------------------------------
say "dpkg -i"
installed=1
dpkg -i "$DEB" >"$T/install.log" 2>&1 || { cat "$T/install.log"; die "dpkg -i"; }
getent passwd embargo-milter >/dev/null || die "no system user embargo-milter"
if getent passwd postfix >/dev/null; then
	id -nG postfix | tr ' ' '\n' | grep -qx embargo-milter ||
		die "postfix is not in group embargo-milter (socket access)"
fi
if getent group postfix >/dev/null; then
	id -nG embargo-milter | tr ' ' '\n' | grep -qx postfix ||
		die "embargo-milter is not in group postfix"
fi
[ "$(stat -c %U:%a /var/lib/embargo-milter/quarantine)" = embargo-milter:750 ] && [ "$(stat -c %a /var/lib/embargo-milter)" = 751 ] ||
	die "quarantine directory owner/mode: $(stat -c %U:%a /var/lib/embargo-milter/quarantine)"
man -w embargo-release >/dev/null 2>&1 || [ ! -x /usr/bin/man ] ||
	die "man embargo-release not found"

# --- the packaged binaries ------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify --man=no /lib/systemd/system/embargo-milter.service >"$T/verify" 2>&1 ||
		{ cat "$T/verify"; die "systemd-analyze verify rejects the unit"; }
	# the root job for release requests (action confirm) and what starts it
	systemd-analyze verify --man=no /lib/systemd/system/embargo-milter-requests.service \
		/lib/systemd/system/embargo-milter-requests.path \
		/lib/systemd/system/embargo-milter-requests.timer >"$T/verify" 2>&1 ||
		{ cat "$T/verify"; die "systemd-analyze verify rejects the request units"; }
	systemd-analyze verify --man=no /lib/systemd/system/embargo-milter-expire.service \
		/lib/systemd/system/embargo-milter-expire.timer >"$T/verify" 2>&1 ||
		{ cat "$T/verify"; die "systemd-analyze verify rejects the expire units"; }
fi
/usr/sbin/embargo-milter -t -c /etc/embargo-milter/embargo-milter.conf >"$T/t.out" 2>&1 ||
	{ cat "$T/t.out"; die "embargo-milter -t rejects the packaged config"; }
/usr/bin/embargoctl check -c /etc/embargo-milter/embargo-milter.conf >"$T/check.out" 2>&1 ||
	{ cat "$T/check.out"; die "embargoctl check rejects the packaged config"; }
if command -v logrotate >/dev/null; then
	logrotate -d /etc/logrotate.d/embargo-milter >"$T/logrotate.out" 2>&1 ||
		{ cat "$T/logrotate.out"; die "logrotate rejects /etc/logrotate.d/embargo-milter"; }
fi

# A release still under embargo, so the packaged daemon has something to hold.
publish=$(date -u -d "@$(($(date +%s) + 86400))" +%Y-%m-%dT%H:%M:%SZ)
cat >/etc/embargo-milter/releases.d/zz-deb-test.conf <<EOR
release = {
  id = "deb-test";
  title = "Package test release";
  publish_at = "$publish";
  identifiers = ( "Package Test Statistics" );
  producers = ( "@stats.example.gov.uk" );
  pre_release_access = ( "minister.po@gov.example.gov.uk" );
};
EOR
wait_listening() { # CHECK-COMMAND...: bounded wait while the daemon lives
	for i in $(seq 1 100); do
		"$@" 2>/dev/null && return 0
		kill -0 "$daemon" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
if [ -d /var/spool/postfix/embargo-milter ] && command -v postfix >/dev/null; then
	# --- README.md's install section, as written -------------------------------
	# step 1: the socket line, copied out of README.md itself
	readme_socket=$(grep -m1 '^socket = "unix:/var/spool/postfix/' "$TOP/README.md")
	[ -n "$readme_socket" ] || die "README.md lost its socket line"
	sed -i "s|^socket = .*|$readme_socket|" /etc/embargo-milter/embargo-milter.conf
	grep -qxF "$readme_socket" /etc/embargo-milter/embargo-milter.conf || die "could not set the README's socket"
	# and its removal of the shipped example release (doctor flags a published release)
	readme_rm=$(grep -o -m1 'rm /etc/embargo-milter/releases.d/[a-z0-9-]*\.conf' "$TOP/README.md")
	[ -n "$readme_rm" ] || die "README.md lost the removal of the example release"
	$readme_rm || die "$readme_rm"
	SOCK=/var/spool/postfix/embargo-milter/embargo-milter.sock
	say "starting the daemon on the README's socket as embargo-milter"
	setpriv --reuid=embargo-milter --regid=embargo-milter --init-groups -- /usr/sbin/embargo-milter -f \
		-c /etc/embargo-milter/embargo-milter.conf >"$T/daemon.log" 2>&1 &
	daemon=$!
	wait_listening test -S "$SOCK" || { cat "$T/daemon.log"; die "the daemon does not listen on $SOCK"; }
	say "listening on $SOCK"
else
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	say "Postfix not installed: starting the daemon on inet:$PORT@127.0.0.1 as embargo-milter"
	# setpriv execs the daemon itself, so $! is its pid and SIGTERM reaches it
	setpriv --reuid=embargo-milter --regid=embargo-milter --init-groups -- /usr/sbin/embargo-milter -f -c /etc/embargo-milter/embargo-milter.conf \
		-p "inet:$PORT@127.0.0.1" >"$T/daemon.log" 2>&1 &
	daemon=$!
	port_open() { python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$PORT"; }
	wait_listening port_open || { cat "$T/daemon.log"; die "the daemon does not listen on $PORT"; }
	say "listening"
fi
# the live daemon answers status on its control socket (as root here)
/usr/bin/embargoctl status -c /etc/embargo-milter/embargo-milter.conf >"$T/status.out" 2>&1
grep -q "running, pid $daemon" "$T/status.out" || { cat "$T/status.out"; die "embargoctl status"; }
grep -q "live rules: .*deb-test" "$T/status.out" || { cat "$T/status.out"; die "status: no live rules"; }
say "status: $(head -1 "$T/status.out")"
held=0
if [ -n "${SOCK:-}" ]; then
	bash "$TOP/tests/packaging/deb_postfix.sh" /var/lib/embargo-milter/quarantine >"$T/postfix.out" 2>&1
	rc=$?
	cat "$T/postfix.out"
	[ $rc = 0 ] || { cat "$T/daemon.log"; die "the README's Postfix wiring did not hold the leaks"; }
	held=1
elif command -v miltertest >/dev/null; then
	# filter one message through the packaged daemon with a real milter client
	cat >"$T/deb.lua" <<EOL
local conn = mt.connect("inet:$PORT@127.0.0.1", 20, 0.25)
assert(conn ~= nil, "cannot connect")
mt.set_timeout(60)
assert(mt.conninfo(conn, "desk.example.gov.uk", "127.0.0.1") == nil)
mt.macro(conn, SMFIC_MAIL, "i", "DEBTEST")
assert(mt.mailfrom(conn, "<analyst@stats.example.gov.uk>") == nil)
assert(mt.rcptto(conn, "<outsider@example.org>") == nil)
assert(mt.header(conn, "Subject", "OFFICIAL-SENSITIVE: draft") == nil)
assert(mt.eoh(conn) == nil)
assert(mt.bodystring(conn, "Package Test Statistics, draft figures.\\r\\n") == nil)
assert(mt.eom(conn) == nil)
if not mt.eom_check(conn, MT_QUARANTINE) then error("the packaged daemon did not quarantine the leak") end
mt.disconnect(conn)
EOL
	miltertest -s "$T/deb.lua" >"$T/mt.out" 2>&1 || { cat "$T/mt.out" "$T/daemon.log"; die "miltertest against the packaged daemon"; }
	ls /var/lib/embargo-milter/quarantine/msg/*.eml >/dev/null 2>&1 ||
		die "no quarantine record written by the packaged daemon"
	say "filtered a message: a leak was quarantined and recorded"
	held=1
else
	say "neither Postfix nor miltertest: the packaged daemon was not sent a message"
fi

# --- reviewer_group through the postinst (dpkg-reconfigure) ---------------------
RG=emdebrv$$
RIN=emdebin$$
ROUT=emdebout$$
if [ $held = 1 ] && groupadd "$RG" && useradd -r -M -d / -s /usr/sbin/nologin -U -G "$RG" "$RIN" &&
	useradd -r -M -d / -s /usr/sbin/nologin -U "$ROUT"; then
	accounts="$RIN $ROUT"
	printf 'reviewer_group = "%s";\n' "$RG" >>/etc/embargo-milter/embargo-milter.conf
	dpkg-reconfigure -f noninteractive embargo-milter >"$T/reconf.log" 2>&1 ||
		{ cat "$T/reconf.log"; die "dpkg-reconfigure"; }
	Q=/var/lib/embargo-milter/quarantine
	[ "$(stat -c %a:%G "$Q")" = "2750:$RG" ] && [ "$(stat -c %a:%G "$Q/msg")" = "2750:$RG" ] ||
		die "postinst did not give $Q to $RG: $(stat -c %a:%G "$Q" "$Q/msg")"
	f=$(ls "$Q"/msg/*.eml | head -n 1)
	[ "$(stat -c %a:%G "$f")" = "640:$RG" ] || die "$f: $(stat -c %a:%G "$f")"
	id -nG embargo-milter | tr ' ' '\n' | grep -qx "$RG" || die "postinst did not add embargo-milter to $RG"
	setpriv --reuid="$RIN" --regid="$RIN" --init-groups -- /usr/bin/embargoctl quarantine list \
		-c /etc/embargo-milter/embargo-milter.conf >"$T/rin.out" 2>&1 ||
		{ cat "$T/rin.out"; die "a reviewer in $RG cannot list the quarantine"; }
	grep -q "$(basename "$f" .eml)" "$T/rin.out" || die "the member's list lacks the record"
	setpriv --reuid="$ROUT" --regid="$ROUT" --init-groups -- /usr/bin/embargoctl quarantine list \
		-c /etc/embargo-milter/embargo-milter.conf >"$T/rout.out" 2>&1 && die "a non-member listed the quarantine"
	grep -q "permission denied reading $Q" "$T/rout.out" || { cat "$T/rout.out"; die "non-member error"; }
	say "reviewer_group: a member lists the quarantine, a non-member is told permission denied"
fi
rm -f /etc/embargo-milter/releases.d/zz-deb-test.conf
kill -TERM "$daemon"
rc=0
wait "$daemon" || rc=$?
daemon=
[ $rc = 0 ] || { cat "$T/daemon.log"; die "the daemon exited $rc on SIGTERM"; }

# --- purge ----------------------------------------------------------------------
say "dpkg --purge"
dpkg --purge embargo-milter >"$T/purge.log" 2>&1 || { cat "$T/purge.log"; die "dpkg --purge"; }
installed=0
for p in /etc/embargo-milter /usr/sbin/embargo-milter /lib/systemd/system/embargo-milter.service \
	/lib/systemd/system/embargo-milter-requests.timer /lib/systemd/system/embargo-milter-expire.timer \
	/etc/logrotate.d/embargo-milter /var/spool/postfix/embargo-milter /run/embargo-milter; do
	[ ! -e "$p" ] || die "$p is left after purge"
done
# the quarantine (held mail, records, audit log) is evidence: purge keeps it
if [ $held = 1 ]; then
	ls /var/lib/embargo-milter/quarantine/msg/*.eml >/dev/null 2>&1 || die "purge deleted the quarantine"
	[ -s /var/lib/embargo-milter/quarantine/audit.log ] || die "purge deleted the audit log"
	[ -s /var/lib/embargo-milter/quarantine/index.sqlite ] || die "purge deleted the index"
fi
grep -q "KEEPS" "$T/README.Debian" || die "README.Debian does not say purge keeps the quarantine"
rm -rf /var/lib/embargo-milter
say "PASS"
exit 0
