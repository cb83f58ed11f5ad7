#!/bin/sh
# sendmail_fetch.sh [PREFIX] - unpacks a private copy of Debian's Sendmail
# (sendmail-bin, sendmail-cf and the libraries the system lacks: libwrap0,
# liblockfile1, plus m4) into PREFIX (default $EM_SENDMAIL_PREFIX or
# /var/cache/embargo-milter-tests/sendmail) for the Sendmail e2e tests.
#
# Debian's sendmail packages conflict with postfix, so they are never
# installed: `apt-get download` fetches the .deb files and `dpkg -x` unpacks
# them; nothing outside PREFIX changes. The setgid bit is dropped from the
# copy (it runs as root in the tests and must honour LD_LIBRARY_PATH).
# Idempotent: an existing complete PREFIX is left as it is. Debian packages
# only, fetched with the ordinary client. Exit 0 when PREFIX is ready.
set -eu
PREFIX=${1:-${EM_SENDMAIL_PREFIX:-/var/cache/embargo-milter-tests/sendmail}}
PKGS="sendmail-bin sendmail-cf libwrap0 liblockfile1 m4"
if [ -x "$PREFIX/usr/libexec/sendmail/sendmail" ] && [ -f "$PREFIX/usr/share/sendmail/cf/m4/cf.m4" ] &&
	[ -x "$PREFIX/usr/bin/m4" ] && [ -e "$PREFIX/.complete" ]; then
	exit 0
fi
dl=$(mktemp -d /tmp/em-sendmail-dl.XXXXXX)
trap 'rm -rf "$dl"' EXIT
chmod 777 "$dl" # apt-get download drops to _apt when it can
(cd "$dl" && apt-get download -q $PKGS) || { apt-get update -q >/dev/null && (cd "$dl" && apt-get download -q $PKGS); }
rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
for d in "$dl"/*.deb; do dpkg -x "$d" "$PREFIX.new"; done
chmod g-s,u-s "$PREFIX.new/usr/libexec/sendmail/sendmail"
touch "$PREFIX.new/.complete"
rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"
echo "sendmail unpacked in $PREFIX"
