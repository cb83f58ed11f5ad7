#!/bin/sh
# Metamorphic test: meaning-preserving variants of every held message of the
# golden and adversarial corpora must still be held (see transform.py).
#   tests/transform/run.sh [BUILD]     BUILD defaults to build (uses BUILD/embargoctl)
set -u
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$BUILD/embargoctl" ] || { echo "transform: $BUILD/embargoctl not built" >&2; exit 2; }
exec python3 "$HERE/transform.py" --ctl "$BUILD/embargoctl" ${CONF:+--conf "$CONF"}
