#!/bin/bash
# valgrind.sh BUILD - memory checks under valgrind (make check-valgrind):
#   1. every unit-test binary BUILD/tests/test_* under Memcheck;
#   2. the golden corpus (tests/corpus/cases.tsv) and the adversarial corpus
#      (tests/adversarial/cases.tsv) through `valgrind BUILD/embargoctl scan`,
#      each case with its own valgrind log; the exit code must still be the
#      case's expected one (0 accept, 1 any action; never 2 or a signal);
#   3. (VALGRIND_NOJIT=1, the default) the unit tests and the golden corpus
#      again with PCRE2's JIT refused (an LD_PRELOAD stub for
#      pcre2_jit_compile_8), so the interpreter runs every pattern: the one
#      suppression in tests/valgrind.supp (the JIT's SIMD over-read) then has
#      nothing to hide, and any uninitialised byte we pass to PCRE2 would show.
# tests/valgrind.sh --e2e BUILD (make check-e2e-valgrind) instead runs the
# end-to-end suite (tests/e2e/run.sh) with the daemon under valgrind: a
# throw-away BUILD dir whose embargo-milter is a script that execs valgrind
# on the real BUILD/embargo-milter (same pid, so the suite's signals reach
# it), one valgrind log per daemon process; it fails when the suite fails or
# any log reports an error. A daemon killed with SIGKILL (t_h_kill9) writes
# no summary: its log is still searched for error reports.
#
# Memcheck: --leak-check=full --errors-for-leak-kinds=definite, the
# suppressions in tests/valgrind.supp (library frames only), any error fails.
# Prints one line per failure (with the valgrind log) and a summary; exit 1
# when anything failed.
#
# Environment: VALGRIND_CORPORA (default "golden adversarial"; add
# "real-world" for the 329 real-world messages: about 20 min),
# VALGRIND_JOBS (parallel corpus scans, default nproc), VALGRIND_NOJIT (1),
# VALGRIND_TIMEOUT (seconds per corpus scan, default 300).
set -u
E2E=0
[ "${1:-}" = --e2e ] && { E2E=1; shift; }
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CONF=${CONF:-$ROOT/conf/embargo-milter.conf}
CORPORA=${VALGRIND_CORPORA:-golden adversarial}
JOBS=${VALGRIND_JOBS:-$(nproc 2>/dev/null || echo 2)}
NOJIT=${VALGRIND_NOJIT:-1}
TMO=${VALGRIND_TIMEOUT:-300}
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)"; exit 1; }
[ -x "$BUILD/embargoctl" ] || { echo "valgrind: $BUILD/embargoctl not built"; exit 1; }
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --child-silent-after-fork=yes
	--suppressions="$HERE/valgrind.supp" --num-callers=30)
TMP=$(mktemp -d /tmp/em-valgrind.XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT
fail=0

# show_log TITLE LOG: a failure line and the valgrind log (first 40 lines).
show_log() {
	echo "FAIL $1"
	[ -s "$2" ] && head -n 40 "$2" | sed 's/^/    /'
	return 0
}

# unit PRELOAD LABEL: every unit-test binary under valgrind.
unit() {
	local t n=0 bad=0 log rc
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		n=$((n + 1))
		log=$TMP/unit-$2-$(basename "$t").log
		env ${1:+LD_PRELOAD=$1} "${VG[@]}" --log-file="$log" "$t" >"$log.out" 2>&1
		rc=$?
		if [ $rc != 0 ]; then
			show_log "unit $2 $(basename "$t") (exit $rc$([ $rc = 99 ] && echo ': valgrind errors'))" "$log"
			grep -E '^\[  (FAILED|ERROR) ' "$log.out" | head -n 5 | sed 's/^/    /'
			bad=$((bad + 1))
		fi
	done
	echo "valgrind: unit tests ($2): $n binaries, $bad failed"
	[ $bad = 0 ] || fail=1
}

# scan_case PRELOAD LABEL DIR FILE AT FROM RCPTS WANT_CODE ("any": 0 or 1): one case;
# writes TMP/fail.* on failure. A failure is a wrong exit code or any Memcheck
# report ("==PID==" lines); valgrind's own "--PID--" warnings are not (the
# forked child that execs the sandboxed extractor installs a seccomp filter,
# a syscall valgrind does not model; the child is silent after the fork).
scan_case() {
	local preload=$1 label=$2 dir=$3 file=$4 at=$5 from=$6 rcpts=$7 want=$8 code r log
	local args=()
	local IFS=,
	for r in $rcpts; do args+=(--rcpt "$r"); done
	IFS=' '
	log=$TMP/scan-$label-${file//\//_}.log
	env ${preload:+LD_PRELOAD=$preload} timeout "$TMO" "${VG[@]}" --log-file="$log" \
		"$BUILD/embargoctl" scan -c "$CONF" --at "$at" --from "$from" "${args[@]}" --json \
		"$dir/$file" >/dev/null 2>"$log.err"
	code=$?
	[ "$want" = any ] && { [ "$code" = 0 ] || [ "$code" = 1 ]; } && want=$code
	if [ "$code" != "$want" ] || grep -q "^==" "$log" 2>/dev/null; then
		{
			show_log "$label $file: exit $code, want $want$([ $code = 99 ] && echo ' (valgrind errors)')$([ $code = 124 ] && echo ' (timeout)')" "$log"
			head -n 5 "$log.err" | sed 's/^/    /'
		} >"$TMP/fail.$label.${file//\//_}"
	fi
}

# corpus PRELOAD LABEL TSV DIR: every case of a cases.tsv, JOBS at a time.
corpus() {
	local preload=$1 label=$2 tsv=$3 dir=$4 n=0 bad f
	local file at from rcpts action rest
	while IFS=$'\t' read -r file at from rcpts action rest; do
		case "$file" in '' | '#'*) continue ;; esac
		n=$((n + 1))
		want=1
		[ "$action" = accept ] && want=0
		scan_case "$preload" "$label" "$dir" "$file" "$at" "$from" "$rcpts" "$want" &
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
	done <"$tsv"
	wait
	bad=0
	for f in "$TMP"/fail."$label".*; do
		[ -e "$f" ] || continue
		cat "$f"
		bad=$((bad + 1))
	done
	echo "valgrind: $label corpus: $n cases, $bad failed"
	[ $bad = 0 ] || fail=1
}

# The real-world messages have no expected verdict: exit 0 or 1 both pass.
realworld() {
	local n=0 bad=0 f
	while IFS= read -r f; do
		n=$((n + 1))
		scan_case "" real-world "$ROOT/tests/corpus/real-world" \
			"${f#"$ROOT"/tests/corpus/real-world/}" "2020-11-11 12:00" a@example.org \
			b@example.org any &
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
	done < <(find "$ROOT/tests/corpus/real-world" -type f ! -name '*.json' ! -name 'SOURCES.md' \
		! -name '*LICENSE*' ! -name 'COPYING' ! -name 'NOTICE' ! -name 'README.txt' | sort)
	wait
	for f in "$TMP"/fail.real-world.*; do
		[ -e "$f" ] || continue
		cat "$f"
		bad=$((bad + 1))
	done
	echo "valgrind: real-world corpus: $n messages, $bad failed"
	[ $bad = 0 ] || fail=1
}

# --e2e: the end-to-end suite with the daemon under valgrind.
e2e() {
	local vb=$TMP/build logs=$TMP/e2e-logs rc f n=0 bad=0 killed=0
	[ -x "$BUILD/embargo-milter" ] || { echo "valgrind: $BUILD/embargo-milter not built"; exit 1; }
	mkdir -p "$vb" "$logs"
	chmod 755 "$TMP" "$logs"
	for f in null-milter embargoctl; do
		[ -e "$BUILD/$f" ] && ln -s "$BUILD/$f" "$vb/$f"
	done
	cat >"$vb/embargo-milter" <<EOF
#!/bin/sh
# embargo-milter under valgrind (generated by tests/valgrind.sh --e2e)
# --child-silent-after-fork: the notice sender forks; a forked child only has
# the forking thread, so what other threads' TLS held looks "lost" to it. No
# --error-exitcode here: it would change the forked children's exit status
# (which the daemon reads); errors are judged from the daemon's own log.
exec valgrind --leak-check=full --errors-for-leak-kinds=definite \\
	--child-silent-after-fork=yes \\
	--suppressions="$HERE/valgrind.supp" --num-callers=30 \\
	--log-file="$logs/embargo-milter.%p.log" "$BUILD/embargo-milter" "\$@"
EOF
	chmod 755 "$vb/embargo-milter"
	E2E_WAIT_SCALE=${E2E_WAIT_SCALE:-3} "$ROOT/tests/e2e/run.sh" "$vb"
	rc=$?
	for f in "$logs"/*.log; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		if grep -Eq 'ERROR SUMMARY: [1-9]' "$f" ||
			grep -Eq '^==[0-9]+== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|[0-9,]+ bytes in [0-9,]+ blocks are definitely lost)' "$f"; then
			show_log "e2e daemon $(basename "$f")" "$f"
			bad=$((bad + 1))
		elif ! grep -q 'ERROR SUMMARY' "$f"; then
			killed=$((killed + 1))
		fi
	done
	echo "valgrind: e2e: suite exit $rc; $n daemon runs under valgrind, $bad with errors, $killed without a summary (killed)"
	[ $rc = 0 ] && [ $bad = 0 ] && [ $n -gt 0 ]
	exit $?
}
[ $E2E = 1 ] && e2e

unit "" jit
for c in $CORPORA; do
	case "$c" in
	golden) corpus "" golden "$ROOT/tests/corpus/cases.tsv" "$ROOT/tests/corpus/cases" ;;
	adversarial) corpus "" adversarial "$ROOT/tests/adversarial/cases.tsv" \
		"$ROOT/tests/adversarial/cases" ;;
	real-world) realworld ;;
	*) echo "valgrind: unknown corpus '$c'"; fail=1 ;;
	esac
done

if [ "$NOJIT" = 1 ]; then
	cat >"$TMP/nojit.c" <<'EOF'
/* Refuses every JIT compilation: PCRE2 falls back to its interpreter. */
int pcre2_jit_compile_8(void *code, unsigned int options);
int pcre2_jit_compile_8(void *code, unsigned int options)
{
	(void)code;
	(void)options;
	return -45; /* PCRE2_ERROR_JIT_BADOPTION */
}
EOF
	if ${CC:-cc} -shared -fPIC -o "$TMP/nojit.so" "$TMP/nojit.c"; then
		unit "$TMP/nojit.so" nojit
		corpus "$TMP/nojit.so" golden-nojit "$ROOT/tests/corpus/cases.tsv" "$ROOT/tests/corpus/cases"
	else
		echo "valgrind: cannot build the no-JIT stub"
		fail=1
	fi
fi

[ $fail = 0 ] && echo "valgrind: all clean"
exit $fail
