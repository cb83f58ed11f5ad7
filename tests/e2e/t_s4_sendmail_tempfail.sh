#!/bin/bash
# t_s4_sendmail_tempfail: the filter line from conf/sendmail.mc.snippet has
# F=T. With the daemon killed (SIGKILL), Sendmail tempfails (4xx) both clean
# mail and leaks instead of passing them unscanned; nothing reaches the sink
# or the queue. After a restart on the same socket the next leak is
# quarantined and clean mail delivered.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sendmail_lib.sh"
sm_standard_setup quarantine
grep -q '^Xembargo-milter, .*F=T' "$SM_CF" || e2e_fail "sendmail.cf filter line lacks F=T"

kill -KILL "$EM_PID"
e2e_wait 10 e2e_pid_gone "$EM_PID" || e2e_fail "milter did not die"
wait "$EM_PID" 2>/dev/null
for kind in clean leak; do
	if [ $kind = clean ]; then body=$CLEAN_BODY; else body=$LEAK_BODY; fi
	msg_write "$E2E_TMP/$kind.eml" "down-tag-s4-$kind" "outsider@out.e2e.test" "$body"
	out=$(send_sm "$E2E_TMP/$kind.eml" analyst@stats.e2e.test outsider@out.e2e.test)
	rc=$?
	e2e_log "milter down, $kind: $out"
	[ $rc = 4 ] || e2e_fail "milter down: expected a 4xx for the $kind message, got: $out"
done
sleep 3
[ "$(sink_count)" = 0 ] || e2e_fail "mail went out unscanned while the milter was down"
[ "$(sm_job_count)" = 0 ] || e2e_fail "Sendmail queued mail while the milter was down: $(ls "$SM_QUEUE")"

em_start
em_wait_ready
out=$(send_sm "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "after restart: $out"
sm_wait_quarantined 1 30 || e2e_fail "after restart the leak was not quarantined"
out=$(send_sm "$E2E_TMP/clean.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "after restart: $out"
sink_wait_grep down-tag-s4-clean 30 || e2e_fail "after restart the clean message was not delivered"
[ -z "$(sink_grep down-tag-s4-leak)" ] || e2e_fail "the leak reached the sink"
exit 0
