#!/bin/bash
# t_q_reviewer_group: `reviewer_group` works (issue 9 point 8). The daemon,
# started as root with `user` and `reviewer_group` set, gives the quarantine
# to that group before it drops privileges: quarantine_dir and its
# subdirectories 2750 (setgid: later files get the group by themselves),
# files 0640 — a file left 0600 by root before the start included. A leak is
# held through the real Postfix; a reviewer in the group can then list, show
# and audit as an ordinary user, one outside it is told "permission denied
# reading PATH", and so is a member facing a file made unreadable.
. "$(dirname "$0")/lib.sh"

# throw-away accounts, unique per run (other runs may share the machine)
G=emrv$$
DU=emd$$
IN=emin$$
OUT=emout$$
del_accounts() {
	local u
	for u in "$DU" "$IN" "$OUT"; do
		getent passwd "$u" >/dev/null && userdel "$u" 2>/dev/null
	done
	getent group "$G" >/dev/null && groupdel "$G" 2>/dev/null
	return 0
}

e2e_init
# the daemon runs as $DU: stopped before its account goes, then the usual cleanup
trap 'rc=$?; for p in "${E2E_PIDS[@]}"; do e2e_stop_pid "$p" 5; done; del_accounts; (exit $rc); e2e_cleanup' EXIT
command -v setpriv >/dev/null || e2e_skip "setpriv missing (util-linux)"
groupadd "$G" || e2e_fail "groupadd $G"
for u in "$DU" "$IN" "$OUT"; do
	useradd -r -M -d / -s /usr/sbin/nologin -U "$u" || e2e_fail "useradd $u"
done
usermod -a -G "$G" "$IN" || e2e_fail "usermod $IN"

sink_start
em_write_config "user = \"$DU\";" "reviewer_group = \"$G\";"
em_write_release widgets widgets-e2e quarantine
# made by root before the daemon's first start, unreadable to reviewers
printf '{"event":"before-start"}\n' >"$EM_QDIR/audit.log"
chmod 0600 "$EM_QDIR/audit.log"
EM_PORT=$(e2e_free_port)
em_start
em_wait_ready
pf_setup "$EM_SOCKET"
pf_start

msg_write "$E2E_TMP/leak.eml" "briefing rg-tag-1" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) ||
	e2e_fail "the relay should accept (then hold) the message, got: $out"
pf_wait_hold 1 30 || e2e_fail "no message in the hold queue"
e2e_wait 10 test -f "$EM_QDIR/index.sqlite" || e2e_fail "no index"
rec=$(sqlite3 "$EM_QDIR/index.sqlite" "select id from records")
[ -n "$rec" ] || e2e_fail "no quarantine record"

# --- modes and group ---------------------------------------------------------
want() { # PATH MODE
	local got
	got=$(stat -c '%a %U %G' "$1")
	[ "$got" = "$2 $DU $G" ] || e2e_fail "$1: $got, wanted $2 $DU $G"
}
want "$EM_QDIR" 2750
want "$EM_QDIR/msg" 2750
want "$EM_QDIR/tmp" 2750
want "$EM_QDIR/msg/$rec.eml" 640
want "$EM_QDIR/msg/$rec.json" 640
want "$EM_QDIR/index.sqlite" 640
want "$EM_QDIR/audit.log" 640
grep -q "reviewer_group $G: .* given to the group" "$E2E_TMP/milter.log" ||
	e2e_fail "the start-up fix is not logged"

as() { # USER CMD... (a login's groups, no root)
	local u=$1
	shift
	setpriv --reuid="$u" --regid="$u" --init-groups -- "$@"
}
CTL=$BUILD/embargoctl
chmod 755 "$BUILD" 2>/dev/null
as "$IN" test -x "$CTL" || e2e_skip "$CTL is not reachable by other users (build dir permissions)"

# --- a reviewer in the group reads everything --------------------------------
as "$IN" "$CTL" quarantine list -c "$EM_CONF" >"$E2E_TMP/in.list" 2>&1 ||
	e2e_fail "member: quarantine list failed: $(cat "$E2E_TMP/in.list")"
grep -q "$rec" "$E2E_TMP/in.list" || e2e_fail "member: list lacks $rec: $(cat "$E2E_TMP/in.list")"
as "$IN" "$CTL" quarantine show -c "$EM_CONF" "$rec" >"$E2E_TMP/in.show" 2>&1 ||
	e2e_fail "member: quarantine show failed: $(cat "$E2E_TMP/in.show")"
grep -q "widgets-e2e" "$E2E_TMP/in.show" || e2e_fail "member: show lacks the release"
as "$IN" "$CTL" audit -c "$EM_CONF" >"$E2E_TMP/in.audit" 2>&1 ||
	e2e_fail "member: audit failed: $(cat "$E2E_TMP/in.audit")"
grep -q "widgets-e2e" "$E2E_TMP/in.audit" || e2e_fail "member: audit lacks the release"

# --- outside the group: told plainly -------------------------------------------
as "$OUT" "$CTL" quarantine list -c "$EM_CONF" >"$E2E_TMP/out.list" 2>&1 && rc=0 || rc=$?
[ "$rc" = 2 ] || e2e_fail "non-member: list exit $rc, wanted 2"
grep -q "permission denied reading $EM_QDIR" "$E2E_TMP/out.list" ||
	e2e_fail "non-member: $(cat "$E2E_TMP/out.list")"
as "$OUT" "$CTL" audit -c "$EM_CONF" >"$E2E_TMP/out.audit" 2>&1 && rc=0 || rc=$?
[ "$rc" = 2 ] || e2e_fail "non-member: audit exit $rc, wanted 2"
grep -q "permission denied reading $EM_QDIR" "$E2E_TMP/out.audit" ||
	e2e_fail "non-member audit: $(cat "$E2E_TMP/out.audit")"

# --- a member facing one unreadable file ---------------------------------------
chmod 0600 "$EM_QDIR/msg/$rec.json"
as "$IN" "$CTL" quarantine show -c "$EM_CONF" "$rec" >"$E2E_TMP/in.show2" 2>&1
grep -q "permission denied reading $EM_QDIR/msg/$rec.json" "$E2E_TMP/in.show2" ||
	e2e_fail "unreadable verdict: $(head -5 "$E2E_TMP/in.show2")"
chmod 0640 "$EM_QDIR/msg/$rec.json"
chmod 0600 "$EM_QDIR/audit.log"
as "$IN" "$CTL" audit -c "$EM_CONF" >"$E2E_TMP/in.audit2" 2>&1 && rc=0 || rc=$?
[ "$rc" = 2 ] || e2e_fail "unreadable audit log: exit $rc, wanted 2"
grep -q "permission denied reading $EM_QDIR/audit.log" "$E2E_TMP/in.audit2" ||
	e2e_fail "unreadable audit log: $(cat "$E2E_TMP/in.audit2")"
exit 0
