#!/bin/bash
# t_s1_sendmail_held: through a real Sendmail (sendmail_lib.sh; the .mc holds
# conf/sendmail.mc.snippet as shipped): a leak to an outsider is put in
# Sendmail's quarantine (hf file, listed by `mailq -qQ` with our reason and
# record id), our record names Sendmail's queue id, the held copy carries our
# verdict and nothing reaches the sink. A release with action "flag" lets the
# leak through marked "X-Embargo-Milter: flagged...".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sendmail_lib.sh"
sm_standard_setup quarantine

msg_write "$E2E_TMP/leak.eml" "briefing held-tag-s1" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_sm "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) ||
	e2e_fail "Sendmail should accept (then quarantine) the message, got: $out"
sm_wait_quarantined 1 30 || e2e_fail "nothing in Sendmail's quarantine: $(ls "$SM_QUEUE")"
id=$(sm_held_with held-tag-s1)
[ -n "$id" ] || e2e_fail "the quarantined job is not the leaking message"
e2e_log "quarantined by Sendmail as $id"
case "$out" in *"$id"*) ;; *) e2e_fail "the SMTP reply does not name queue id $id: $out" ;; esac

mq=$(sm_mailq_quarantined)
printf '%s\n' "$mq" | sed 's/^/  mailq -qQ | /' >&2
printf '%s\n' "$mq" | grep -q "^$id" || e2e_fail "mailq -qQ does not list $id"
printf '%s\n' "$mq" | grep -q "QUARANTINE: embargo: widgets-e2e" || e2e_fail "mailq -qQ shows no embargo reason"
# Plain mailq (no -qQ) does not show quarantined jobs.
sm_cmd -bp 2>&1 | grep -q "^$id" && e2e_fail "plain mailq lists the quarantined job"

# Our record names Sendmail's queue id.
e2e_wait 10 test -f "$EM_QDIR/index.sqlite" || e2e_fail "no $EM_QDIR/index.sqlite"
[ "$(em_record_count)" = 1 ] || e2e_fail "expected 1 record, got $(em_record_count)"
qid=$(sqlite3 "$EM_QDIR/index.sqlite" "select queue_id from records")
[ "$qid" = "$id" ] || e2e_fail "record's queue id '$qid' is not Sendmail's '$id'"
grep -qF held-tag-s1 "$EM_QDIR"/msg/*.eml || e2e_fail "stored .eml is not the message"

# The held copy's header (the hf file) has our one verdict with the record id.
v=$(grep -a '^H.*X-Embargo-Milter:' "$SM_QUEUE/hf$id" | sed 's/^H[^X]*X-Embargo-Milter: *//')
[ "$(printf '%s\n' "$v" | grep -c .)" = 1 ] || e2e_fail "expected one X-Embargo-Milter in hf$id: $v"
case "$v" in "quarantined;"*release=widgets-e2e*) ;; *) e2e_fail "verdict on the held copy: $v" ;; esac
rec=$(printf '%s' "$v" | sed -n 's/.*record=\([^; ]*\).*/\1/p')
[ -f "$EM_QDIR/msg/$rec.eml" ] || e2e_fail "record $rec has no msg/$rec.eml"
grep -a "^q" "$SM_QUEUE/hf$id" | grep -qF "$rec" || e2e_fail "hf$id's quarantine reason does not name $rec"

# Queue runs (every 2 s) leave it alone.
sleep 5
[ -f "$SM_QUEUE/hf$id" ] || e2e_fail "the quarantined job left the queue"
[ "$(sink_count)" = 0 ] || e2e_fail "the sink received $(sink_count) messages"

# action "flag": delivered, marked.
em_write_release widgets widgets-e2e flag
kill -HUP "$EM_PID"
n=0
_flag_delivered() {
	n=$((n + 1))
	msg_write "$E2E_TMP/f.eml" "briefing flag-tag-s1-$n" "outsider@out.e2e.test" "$LEAK_BODY"
	send_sm "$E2E_TMP/f.eml" analyst@stats.e2e.test outsider@out.e2e.test >/dev/null || return 1
	sink_wait_grep "flag-tag-s1-$n" 10
}
e2e_wait 30 _flag_delivered || e2e_fail "after the reload to action flag, the leak was not delivered"
got=$(sink_grep "flag-tag-s1-$n")
v=$(expect_one_verdict "$got" "flagged;") || exit 1
case "$v" in *release=widgets-e2e*) ;; *) e2e_fail "flag verdict lacks the release: $v" ;; esac
e2e_log "flag: $v"
exit 0
