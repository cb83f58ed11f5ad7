#!/bin/sh
# t_deb.sh - builds the Debian package from a copy of the tree, lints it,
# installs it, checks the packaged daemon starts and listens, and purges it.
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

cleanup() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null
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
	./lib/systemd/system/embargo-milter-requests.path ./lib/systemd/system/embargo-milter-requests.timer; do
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
fi
/usr/sbin/embargo-milter -t -c /etc/embargo-milter/embargo-milter.conf >"$T/t.out" 2>&1 ||
	{ cat "$T/t.out"; die "embargo-milter -t rejects the packaged config"; }
/usr/bin/embargoctl check -c /etc/embargo-milter/embargo-milter.conf >"$T/check.out" 2>&1 ||
	{ cat "$T/check.out"; die "embargoctl check rejects the packaged config"; }

# A release still under embargo, so the packaged daemon has something to hold.
publish=$(date -u -d "@$(($(date +%s) + 86400))" +%Y-%m-%dT%H:%M:%SZ)
cat >/etc/embargo-milter/releases.d/zz-deb-test.conf <<EOR
release = {
  id = "deb-test";
  title = "Package test release";
  publish_at = "$publish";
  identifiers = ( "Package Test Statistics" );
  producers = ( "@stats.example.gov.uk" );
};
EOR
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "starting the daemon on inet:$PORT@127.0.0.1 as embargo-milter"
# setpriv execs the daemon itself, so $! is its pid and SIGTERM reaches it
setpriv --reuid=embargo-milter --regid=embargo-milter --init-groups -- /usr/sbin/embargo-milter -f -c /etc/embargo-milter/embargo-milter.conf \
	-p "inet:$PORT@127.0.0.1" >"$T/daemon.log" 2>&1 &
daemon=$!
listening=0
for i in $(seq 1 50); do
	if python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
		"$PORT" 2>/dev/null; then
		listening=1
		break
	fi
	kill -0 "$daemon" 2>/dev/null || break
	sleep 0.1
done
[ $listening = 1 ] || { cat "$T/daemon.log"; die "the daemon does not listen on $PORT"; }
say "listening"
# the live daemon answers status on its control socket (as root here)
/usr/bin/embargoctl status -c /etc/embargo-milter/embargo-milter.conf >"$T/status.out" 2>&1
grep -q "running, pid $daemon" "$T/status.out" || { cat "$T/status.out"; die "embargoctl status"; }
grep -q "live rules: .*deb-test" "$T/status.out" || { cat "$T/status.out"; die "status: no live rules"; }
say "status: $(head -1 "$T/status.out")"
if command -v miltertest >/dev/null; then
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
else
	say "miltertest missing: the packaged daemon was not sent a message"
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
	/lib/systemd/system/embargo-milter-requests.timer /var/spool/postfix/embargo-milter /run/embargo-milter; do
	[ ! -e "$p" ] || die "$p is left after purge"
done
# the quarantine (held mail, records, audit log) is evidence: purge keeps it
ls /var/lib/embargo-milter/quarantine/msg/*.eml >/dev/null 2>&1 || ! command -v miltertest >/dev/null ||
	die "purge deleted the quarantine"
grep -q "KEEPS" "$T/README.Debian" || die "README.Debian does not say purge keeps the quarantine"
rm -rf /var/lib/embargo-milter
say "PASS"
exit 0
