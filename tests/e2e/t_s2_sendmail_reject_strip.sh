#!/bin/bash
# t_s2_sendmail_reject_strip: through a real Sendmail. Action reject: the SMTP
# client gets Sendmail's relay of our "550 5.7.1 ..." naming the release, the
# job is not queued; mail to the PRA recipient still flows. Action strip (after
# a SIGHUP): of a PRA recipient and an outsider only the PRA recipient gets
# the message (Sendmail's delrcpt), marked "stripped; ...; removed=1".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sendmail_lib.sh"
sm_standard_setup reject

msg_write "$E2E_TMP/leak.eml" "briefing reject-tag-s2" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_sm "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test)
rc=$?
e2e_log "reply: $out"
[ $rc = 5 ] || e2e_fail "expected a 5xx reply, got: $out"
case "$out" in "550 5.7.1"*widgets-e2e*) ;; *) e2e_fail "expected '550 5.7.1 ...widgets-e2e...', got: $out" ;; esac
msg_write "$E2E_TMP/ok.eml" "briefing reject-tag-s2-pra" "pra.minister@gov.e2e.test" "$LEAK_BODY"
out=$(send_sm "$E2E_TMP/ok.eml" analyst@stats.e2e.test pra.minister@gov.e2e.test) ||
	e2e_fail "mail to the PRA recipient refused: $out"
sink_wait_grep reject-tag-s2-pra 30 || e2e_fail "mail to the PRA recipient not delivered"
sleep 1
[ -z "$(sink_grep reject-tag-s2)" ] || [ "$(sink_grep reject-tag-s2)" = "$(sink_grep reject-tag-s2-pra)" ] ||
	e2e_fail "the rejected message reached the sink"
[ "$(sm_job_count)" = 0 ] || e2e_fail "jobs left in Sendmail's queue: $(ls "$SM_QUEUE")"

# Strip.
em_write_release widgets widgets-e2e strip
kill -HUP "$EM_PID"
n=0
_stripped() {
	n=$((n + 1))
	msg_write "$E2E_TMP/s.eml" "briefing strip-tag-s2-$n" "pra.minister@gov.e2e.test, outsider@out.e2e.test" "$LEAK_BODY"
	send_sm "$E2E_TMP/s.eml" analyst@stats.e2e.test pra.minister@gov.e2e.test outsider@out.e2e.test >/dev/null ||
		return 1
	sink_wait_grep "strip-tag-s2-$n" 10
}
e2e_wait 30 _stripped || e2e_fail "after the reload to strip, nothing was delivered"
sleep 2
files=$(sink_grep "strip-tag-s2-$n")
[ "$(printf '%s\n' "$files" | grep -c .)" = 1 ] || e2e_fail "expected one delivery, got: $files"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1]));
sys.exit(m["rcpt_to"] != ["pra.minister@gov.e2e.test"])' "${files%.eml}.json" ||
	e2e_fail "delivered to the wrong recipients: $(cat "${files%.eml}.json")"
[ -z "$(sink_files_for outsider@out.e2e.test)" ] || e2e_fail "the outsider received it"
v=$(expect_one_verdict "$files" "stripped;") || exit 1
case "$v" in *release=widgets-e2e*removed=1* | *removed=1*release=widgets-e2e*) ;; *) e2e_fail "strip verdict: $v" ;; esac
removed=$(hdr "$files" X-Embargo-Milter-Removed)
case "$removed" in *outsider@out.e2e.test*) ;; *) e2e_fail "X-Embargo-Milter-Removed: '$removed'" ;; esac
[ -z "$(sm_quarantined_ids)" ] || e2e_fail "a stripped message was also quarantined"
exit 0
