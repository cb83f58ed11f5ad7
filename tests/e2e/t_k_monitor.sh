#!/bin/bash
# t_k_monitor: in monitor mode nothing is stopped: a leaking message is
# delivered, marked "X-Embargo-Milter: monitor; would=quarantine;
# release=widgets-e2e; blocked=1", and nothing is held.
. "$(dirname "$0")/lib.sh"
EM_MODE=monitor
e2e_standard_setup quarantine

msg_write "$E2E_TMP/leak.eml" "briefing monitor-tag-k1" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
sink_wait_grep monitor-tag-k1 30 || e2e_fail "monitor mode did not deliver the message"
got=$(sink_grep monitor-tag-k1)
v=$(expect_one_verdict "$got" "monitor;") || exit 1
e2e_log "verdict: $v"
for want in would=quarantine release=widgets-e2e blocked=1; do
	case "$v" in *"$want"*) ;; *) e2e_fail "verdict lacks $want: $v" ;; esac
done
same_as_sent "$E2E_TMP/leak.eml" "$got" || e2e_fail "monitor mode changed the message"
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "monitor mode held a message"
exit 0
