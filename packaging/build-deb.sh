#!/bin/sh
# build-deb.sh - `make deb`: builds the Debian package from a clean copy of
# this tree (no build/, no .git) into build/deb/, with dpkg-buildpackage.
# Needs the build dependencies (tests/deps.sh installs them, debhelper
# included). Prints the path of the .deb.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(sed -n '1s/.*(\([^)]*\)).*/\1/p' "$TOP/packaging/debian/changelog")
OUT=$TOP/build/deb
SRC=$OUT/embargo-milter-$VERSION
rm -rf "$OUT"
mkdir -p "$SRC"
tar -C "$TOP" --exclude=./build --exclude=./build-asan --exclude=./.git --exclude=./debian \
	-cf - . | tar -C "$SRC" -xf -
cp -r "$SRC/packaging/debian" "$SRC/debian"
(cd "$SRC" && dpkg-buildpackage -us -uc -b) >"$OUT/build.log" 2>&1 ||
	{ tail -40 "$OUT/build.log"; echo "make deb: dpkg-buildpackage failed (log: $OUT/build.log)" >&2; exit 1; }
ls "$OUT"/embargo-milter_*.deb
