#!/bin/bash
# t_n_status: `embargoctl status` and `embargoctl doctor` ask the live daemon
# (issue 9). Through a real Postfix: status answers on the control socket
# with the live rules and counts the held leak; a broken release file and
# SIGHUP show as a FAILED reload naming FILE:LINE (exit 1) while the old
# rules stay live; fixed and reloaded, status is clean again; doctor does the
# milter handshake and reads the live rules; with the daemon stopped, doctor
# says the milter does not answer and status says it is not running.
. "$(dirname "$0")/lib.sh"
e2e_init
sink_start
EM_PORT=$(e2e_free_port)
em_write_config "socket = \"inet:$EM_PORT@127.0.0.1\";"
em_write_release widgets widgets-e2e quarantine
em_start
em_wait_ready
pf_setup "$EM_SOCKET"
pf_start
CTL=$BUILD/embargoctl
unset EMBARGO_SENDMAIL_CF

# 1. status: up, pid, live rules
out=$("$CTL" status -c "$EM_CONF") || e2e_fail "status exit $?: $out"
e2e_log "$out"
case $out in *"running, pid $EM_PID"*) ;; *) e2e_fail "status does not name pid $EM_PID" ;; esac
case $out in *"live rules: 1 release(s) (widgets-e2e), hash "*) ;; *) e2e_fail "status: no live rules" ;; esac

# 2. a held leak is counted
msg_write "$E2E_TMP/leak.eml" "status-leak" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
_held() { [ -n "$(pf_held_with status-leak)" ]; }
e2e_wait 30 _held || e2e_fail "the leak was not held"
n=$("$CTL" status -c "$EM_CONF" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["decisions"]["quarantine"])')
[ "$n" = 1 ] || e2e_fail "status counts $n quarantined, wanted 1"
# every decision is timed: one message decided, its time counted, p50 <= p99 <= max
lat=$("$CTL" status -c "$EM_CONF" --json | python3 -c 'import json,sys
d = json.load(sys.stdin)["decision_us"]
print(d["n"], int(0 < d["p50"] <= d["p99"] <= d["max"] < 60e6))')
[ "$lat" = "1 1" ] || e2e_fail "status decision_us: $lat, wanted one timed decision"
"$CTL" status -c "$EM_CONF" | grep -q '^decision time (end of data to reply): median ' ||
	e2e_fail "status does not print the decision time"

# 3. doctor: handshake and live rules
out=$("$CTL" doctor -c "$EM_CONF" --postfix-config "$PF_CONF" 2>&1)
rc=$?
e2e_log "$out"
case $out in *"ok: the milter answers on inet:$EM_PORT@127.0.0.1 (milter protocol version 6)"*) ;;
*) e2e_fail "doctor did not do the handshake" ;; esac
case $out in *"ok: embargo-milter pid $EM_PID runs 1 release(s)"*) ;;
*) e2e_fail "doctor did not report the live rules" ;; esac
[ $rc = 0 ] || e2e_fail "doctor exit $rc on a healthy set-up"

# 4. a broken release and SIGHUP: a FAILED reload, visible in status
cp "$EM_RELEASES/widgets.conf" "$E2E_TMP/widgets.good"
printf 'release = {\n  id = "widgets-e2e";\n  title = "broken"\n};\n' >"$EM_RELEASES/widgets.conf"
kill -HUP "$EM_PID"
_failed() { "$CTL" status -c "$EM_CONF" | grep -q 'FAILED: .*widgets\.conf:[0-9]'; }
e2e_wait 15 _failed || e2e_fail "status does not show the failed reload: $("$CTL" status -c "$EM_CONF")"
"$CTL" status -c "$EM_CONF" >"$E2E_TMP/st.out"
rc=$?
e2e_log "$(cat "$E2E_TMP/st.out")"
[ $rc = 1 ] || e2e_fail "status exit $rc after a failed reload, wanted 1"
grep -q 'live rules: 1 release(s) (widgets-e2e)' "$E2E_TMP/st.out" || e2e_fail "the old rules are not shown live"
grep -q 'the configuration on disk does not load' "$E2E_TMP/st.out" || e2e_fail "status does not say the files do not load"

# 5. fixed and reloaded: clean
cp "$E2E_TMP/widgets.good" "$EM_RELEASES/widgets.conf"
kill -HUP "$EM_PID"
_ok() { "$CTL" status -c "$EM_CONF" | grep -q 'last reload: .*, ok'; }
e2e_wait 15 _ok || e2e_fail "status does not show the good reload"
"$CTL" status -c "$EM_CONF" >/dev/null || e2e_fail "status exit $? after a good reload"

# 6. the daemon stopped: doctor and status say so
e2e_stop_pid "$EM_PID"
out=$("$CTL" doctor -c "$EM_CONF" --postfix-config "$PF_CONF" 2>&1)
rc=$?
[ $rc = 1 ] || e2e_fail "doctor exit $rc with the milter down, wanted 1"
case $out in *"UNSAFE: the milter does not answer on inet:$EM_PORT@127.0.0.1"*"systemctl start embargo-milter"*) ;;
*) e2e_fail "doctor did not report the milter down: $out" ;; esac
out=$("$CTL" status -c "$EM_CONF" 2>&1)
rc=$?
[ $rc = 2 ] || e2e_fail "status exit $rc with the daemon down, wanted 2"
case $out in *"embargo-milter is not running"*) ;; *) e2e_fail "status: $out" ;; esac
exit 0
