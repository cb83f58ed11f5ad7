#!/bin/sh
# The ring rule: the core never includes libmilter, syslog or libconfig; then cppcheck.
set -e
cd "$(dirname "$0")/.."
if grep -nE '#include *[<"](libmilter/|syslog\.h|libconfig\.h)' milter/core/*.[ch]; then
	echo "lint: milter/core must not include libmilter, syslog or libconfig" >&2
	exit 1
fi
if command -v cppcheck >/dev/null; then
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--suppress=missingIncludeSystem --inline-suppr milter/
fi
# Man pages: mandoc's lint (Debian package mandoc), when installed.
if command -v mandoc >/dev/null; then
	mandoc -Tlint -Wwarning packaging/man/*
fi
echo "lint: ok"
