#!/bin/bash
# t_b_reject: a release whose action is "reject": the SMTP client is refused
# with 550 5.7.1 and a text naming the release; nothing is queued or held,
# nothing reaches the sink.
. "$(dirname "$0")/lib.sh"
e2e_standard_setup reject

msg_write "$E2E_TMP/leak.eml" "briefing reject-tag-b1" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test)
rc=$?
e2e_log "reply: $out"
[ $rc = 5 ] || e2e_fail "expected a 5xx reply, got: $out"
case "$out" in "550 5.7.1"*) ;; *) e2e_fail "expected '550 5.7.1 ...', got: $out" ;; esac
case "$out" in *widgets-e2e*) ;; *) e2e_fail "the reject text does not name the release: $out" ;; esac
case "$out" in *outsider@out.e2e.test*) ;; *) e2e_log "note: reject text does not name the blocked recipient" ;; esac

# The same message to a PRA recipient still goes through (the reject is per
# release and recipient, not a blanket refusal).
msg_write "$E2E_TMP/ok.eml" "briefing reject-tag-b2" "pra.minister@gov.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/ok.eml" analyst@stats.e2e.test pra.minister@gov.e2e.test) ||
	e2e_fail "mail to the PRA recipient refused: $out"
sink_wait_grep reject-tag-b2 30 || e2e_fail "mail to the PRA recipient not delivered"

sleep 1
[ -z "$(sink_grep reject-tag-b1)" ] || e2e_fail "the rejected message reached the sink"
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "a rejected message was also held"
exit 0
