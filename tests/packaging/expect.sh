# expect.sh - sourced by the doctor tests (t_doctor.sh, t_doctor_sendmail.sh).
#
# expect NAME RC PATTERN... : runs the command in $cmd (eval), checks its exit
# code is RC and that each fixed-string PATTERN is in its output (a leading
# '!' means must NOT be there). Prints a TAP line; on a failure also the
# output, indented, and sets fail=1. Counts cases in n.
expect() {
	name=$1 want=$2
	shift 2
	n=$((n + 1))
	out=$(eval "$cmd" 2>&1)
	rc=$?
	ok=1
	[ "$rc" -eq "$want" ] || ok=0
	for p in "$@"; do
		case $p in
		!*) printf '%s' "$out" | grep -qF -- "${p#!}" && ok=0 ;;
		*) printf '%s' "$out" | grep -qF -- "$p" || ok=0 ;;
		esac
	done
	if [ $ok = 1 ]; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name (exit $rc, wanted $want)"
		printf '%s\n' "$out" | sed 's/^/#   /'
		fail=1
	fi
}
