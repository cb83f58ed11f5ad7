#!/bin/sh
# Installs what building and testing embargo-milter needs (Debian/Ubuntu, as root).
# Idempotent and non-interactive: only missing packages are installed.
set -eu
PKGS="build-essential pkg-config python3 libmilter-dev libpcre2-dev libconfig-dev libcmocka-dev
libzip-dev libutf8proc-dev libjansson-dev libvectorscan-dev libsqlite3-dev nettle-dev sqlite3 postfix
opendkim-tools miltertest valgrind clang libclang-rt-14-dev cppcheck procps
debhelper dpkg-dev fakeroot libical-dev mandoc
libseccomp-dev libarchive-dev libgsf-1-dev libytnef0-dev libssl-dev bubblewrap poppler-utils catdoc tnef
libpoppler-glib-dev
tesseract-ocr tesseract-ocr-eng bc
libmicrohttpd-dev libpam0g-dev chromium chromium-driver python3-selenium
libpq-dev postgresql
zlib1g-dev logrotate"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	# Postfix asks how it is used: a throw-away local setup, its own instances come from the tests.
	echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
	echo "postfix postfix/mailname string localhost" | debconf-set-selections
	apt-get update -q || true
	apt-get install -y -q --no-install-recommends $missing
fi
# A private Sendmail for the e2e tests (never installed: it conflicts with postfix).
sh "$(dirname "$0")/e2e/sendmail_fetch.sh"
