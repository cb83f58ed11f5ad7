#!/bin/bash
# t_p_notify_smtp: notices go to the local MTA by SMTP (notify_smtp) by
# default, not through the sendmail command (issue 9: under the packaged
# unit's NoNewPrivileges= the setgid postdrop cannot run). A held leak makes
# the milter submit the sender and security notices to Postfix's listener;
# success is logged only with the MTA's 250 reply (its queue id), and both
# notices reach the outside world (the sink) through Postfix and the milter.
# With notify_smtp pointing at a closed port the failure is logged and the
# leak is still held.
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine 'notify_sender = true;' 'security_mailbox = "security@stats.e2e.test";' \
	'notify_from = "embargo-notices@relay.e2e.test";'
echo "notify_smtp = \"127.0.0.1:$PF_PORT\";" >>"$EM_CONF"
loglines=$(wc -l <"$E2E_TMP/milter.log")
kill -HUP "$EM_PID"
_reloaded() { tail -n +"$((loglines + 1))" "$E2E_TMP/milter.log" | grep -q 'reloaded'; }
e2e_wait 15 _reloaded || e2e_fail "no reload"

msg_write "$E2E_TMP/leak.eml" "briefing smtp-notice-1" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
_held() { [ -n "$(pf_held_with smtp-notice-1)" ]; }
e2e_wait 30 _held || e2e_fail "the leak was not held"
_logged() { [ "$(grep -c "notice to .* accepted by 127.0.0.1:$PF_PORT: 250 .*queued as" "$E2E_TMP/milter.log")" -ge 2 ]; }
e2e_wait 30 _logged || e2e_fail "no 'accepted ... queued as' log lines: $(grep notice "$E2E_TMP/milter.log")"
e2e_log "$(grep 'notice to' "$E2E_TMP/milter.log")"
grep -q "sender notice to analyst@stats.e2e.test accepted by" "$E2E_TMP/milter.log" || e2e_fail "sender notice not logged"
grep -q "security notice to security@stats.e2e.test accepted by" "$E2E_TMP/milter.log" || e2e_fail "security notice not logged"
sink_wait_rcpt analyst@stats.e2e.test 30 || e2e_fail "the sender notice did not arrive"
sink_wait_rcpt security@stats.e2e.test 30 || e2e_fail "the security notice did not arrive"
[ -z "$(sink_grep smtp-notice-1)" ] || e2e_fail "the leak (or its subject) reached the sink"

# a closed port: the failure is logged, the leak still held
dead=$(e2e_free_port)
sed -i "s/^notify_smtp = .*/notify_smtp = \"127.0.0.1:$dead\";/" "$EM_CONF"
loglines=$(wc -l <"$E2E_TMP/milter.log")
kill -HUP "$EM_PID"
e2e_wait 15 _reloaded || e2e_fail "no second reload"
msg_write "$E2E_TMP/leak2.eml" "briefing smtp-notice-2" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/leak2.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
_held2() { [ -n "$(pf_held_with smtp-notice-2)" ]; }
e2e_wait 30 _held2 || e2e_fail "the second leak was not held"
_failed() { grep -q "sender notice to analyst@stats.e2e.test not sent: SMTP connect to 127.0.0.1:$dead failed: Connection refused" "$E2E_TMP/milter.log"; }
e2e_wait 30 _failed || e2e_fail "the failed submission was not logged: $(grep 'notice to' "$E2E_TMP/milter.log" | tail -3)"
exit 0
