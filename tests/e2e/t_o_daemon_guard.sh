#!/bin/bash
# t_o_daemon_guard: two daemons never share a socket or a pid file, and a
# daemon removes only what it created (issue 9). No Postfix needed.
#   - a second daemon on the live unix socket refuses to start;
#   - a second daemon on another socket but the same live pid file refuses;
#   - a changed `socket` on SIGHUP is logged as needing a restart and shown
#     by status (exit 1) and doctor;
#   - a pid file that names another process by the time the daemon stops is
#     left alone; the daemon's own control socket is removed.
. "$(dirname "$0")/lib.sh"
e2e_init
[ -x "$BUILD/embargo-milter" ] || e2e_skip "$BUILD/embargo-milter not built"
CTL=$BUILD/embargoctl
D=$E2E_TMP/g
mkdir -p "$D/releases.d"
chmod 0755 "$E2E_TMP" "$D"
conf() { # SOCKET
	printf '%s\n' "socket = \"unix:$1\";" 'releases_dir = "releases.d";' 'quarantine_dir = "q";' \
		"pid_file = \"$D/em.pid\";" 'control_socket = "ctl.sock";' >"$D/em.conf"
}
conf "$D/m.sock"
cat >"$D/releases.d/future.conf" <<'EOR'
release = {
  id = "future-2099";
  title = "Future statistics";
  publish_at = "2099-01-01 09:30";
  identifiers = ( "Future statistics" );
  producers = ( "@stats.example.gov.uk" );
  pre_release_access = ( "minister.po@example.gov.uk" );
};
EOR
"$BUILD/embargo-milter" -f -c "$D/em.conf" >>"$E2E_TMP/a.log" 2>&1 &
A=$!
E2E_PIDS+=("$A")
_up() { "$CTL" status -c "$D/em.conf" >/dev/null 2>&1; }
e2e_wait 20 _up || e2e_fail "daemon A did not answer: $(tail -n 5 "$E2E_TMP/a.log")"
chgrp postfix "$D/m.sock" # as the package arranges (postfix in the daemon's group)

# 1. the same live socket
timeout 20 "$BUILD/embargo-milter" -f -c "$D/em.conf" >"$E2E_TMP/b.log" 2>&1
rc=$?
[ $rc = 1 ] || e2e_fail "a second daemon on the live socket: exit $rc, wanted 1"
grep -q "m.sock: another milter answers on this socket: refusing to start" "$E2E_TMP/b.log" ||
	e2e_fail "no reason given: $(cat "$E2E_TMP/b.log")"
[ -S "$D/m.sock" ] || e2e_fail "the live socket was removed"
_up || e2e_fail "daemon A stopped answering"

# 2. another socket, the same live pid file
timeout 20 "$BUILD/embargo-milter" -f -c "$D/em.conf" -p "unix:$D/other.sock" >"$E2E_TMP/c.log" 2>&1
rc=$?
[ $rc = 1 ] || e2e_fail "a second daemon on a live pid file: exit $rc, wanted 1"
grep -q "names process $A, which is running: refusing to start" "$E2E_TMP/c.log" ||
	e2e_fail "no reason given: $(cat "$E2E_TMP/c.log")"
[ "$(cat "$D/em.pid")" = "$A" ] || e2e_fail "the pid file was overwritten"

# 3. doctor against a Postfix config naming the socket: handshake ok, clean
mkdir -p "$E2E_TMP/pf"
printf '%s\n' "smtp inet n - n - - smtpd" "cleanup unix n - n - 0 cleanup" >"$E2E_TMP/pf/master.cf"
printf '%s\n' "queue_directory = $E2E_TMP/q" "smtpd_milters = unix:$D/m.sock" \
	'non_smtpd_milters = $smtpd_milters' 'milter_default_action = tempfail' >"$E2E_TMP/pf/main.cf"
printf 'Xembargo-milter, S=local:%s, F=T\n' "$D/m.sock" >"$E2E_TMP/sm.cf"
doctor() { "$CTL" doctor -c "$D/em.conf" --postfix-config "$E2E_TMP/pf" --sendmail-cf "$E2E_TMP/sm.cf" 2>&1; }
out=$(doctor)
rc=$?
e2e_log "$out"
[ $rc = 0 ] || e2e_fail "doctor exit $rc on a healthy daemon"
case $out in *"ok: the milter answers on unix:$D/m.sock"*) ;; *) e2e_fail "no handshake" ;; esac

# 4. a change on disk not yet loaded: status and doctor see it
sed -i 's/Future statistics"/Future statistics 2"/' "$D/releases.d/future.conf"
out=$("$CTL" status -c "$D/em.conf")
[ $? = 1 ] || e2e_fail "status does not flag files that differ from the live rules"
case $out in *"differ from the live rules"*) ;; *) e2e_fail "status: $out" ;; esac
out=$(doctor)
case $out in *"are not the rules the daemon runs"*) ;; *) e2e_fail "doctor: $out" ;; esac

# 5. a changed socket needs a restart
conf "$D/m2.sock"
kill -HUP "$A"
_restart() { "$CTL" status -c "$D/em.conf" | grep -q "restart needed: socket changed to unix:$D/m2.sock"; }
e2e_wait 15 _restart || e2e_fail "status does not show the restart needed: $("$CTL" status -c "$D/em.conf")"
grep -q "needs a restart (still listening on unix:$D/m.sock)" "$E2E_TMP/a.log" || e2e_fail "not logged"
"$CTL" status -c "$D/em.conf" >/dev/null
[ $? = 1 ] || e2e_fail "status exit 0 with a restart needed"

# 6. the pid file now names another process: left alone at stop
echo $$ >"$D/em.pid"
e2e_stop_pid "$A"
[ "$(cat "$D/em.pid" 2>/dev/null)" = "$$" ] || e2e_fail "the daemon removed a pid file it no longer owned"
[ ! -e "$D/ctl.sock" ] || e2e_fail "the daemon left its control socket"
grep -q "names another process: left alone" "$E2E_TMP/a.log" || e2e_fail "not logged"
exit 0
