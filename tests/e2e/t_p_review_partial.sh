#!/bin/bash
# t_p_review_partial: release to chosen recipients only, through the real Postfix. A leak to two outside
# recipients is held. In the console (trusted proxy header) the message page offers one checkbox per
# recipient, none ticked; "release to ticked recipients only" with one ticked writes a release request that
# names that recipient; `embargoctl quarantine process-requests` submits the stored message again to that
# recipient alone (with a one-time X-Embargo-Release token the milter honours) and deletes the held copy: the
# sink gets it for the chosen one only, without the token header, and the audit line says who got it and who
# did not. The CLI's `release --to` does the same; --to with a non-recipient is refused; a forged token header
# gains nothing (the message is held as usual), and a release of that message to one recipient leaves the
# forged header out of the copy (the milter believes exactly one).
. "$(dirname "$0")/lib.sh"

e2e_init
[ -x "$BUILD/embargo-review" ] || e2e_skip "$BUILD/embargo-review not built"
review_relay_start

ONE=one@out.e2e.test TWO=two@out.e2e.test
_held() { [ -n "$(pf_held_with "$1")" ]; }
hold_one() { # TAG -> prints the record id
	msg_write "$E2E_TMP/$1.eml" "briefing $1" "$ONE" "$LEAK_BODY"
	send_smtp "$E2E_TMP/$1.eml" private.office@cabinet.e2e.test "$ONE" "$TWO" >/dev/null ||
		e2e_fail "the relay should accept (then hold) $1"
	e2e_wait 30 _held "$1" || e2e_fail "$1 was not held"
	local qid
	qid=$(pf_held_with "$1")
	pf_held_copy "$qid" "$E2E_TMP/$1.held"
	expect_one_verdict "$E2E_TMP/$1.held" "quarantined; release=widgets-e2e;" | sed -n 's/.*record=\([^; ]*\).*/\1/p'
}

# ---- the console ----
REC=$(hold_one partial-tag-c1)
[ -n "$REC" ] || e2e_fail "no record id in the verdict header"
C=(curl -s -H "X-Remote-User: root" -b "$E2E_TMP/jar" -c "$E2E_TMP/jar")
U="http://127.0.0.1:$RV_PORT"
"${C[@]}" -o "$E2E_TMP/msg.html" "$U/msg/$REC" || e2e_fail "GET /msg failed"
[ "$(grep -o 'type="checkbox" name="rcpt"[^>]*>' "$E2E_TMP/msg.html" | wc -l)" = 2 ] ||
	e2e_fail "not one recipient checkbox per recipient"
! grep -o 'type="checkbox" name="rcpt"[^>]*>' "$E2E_TMP/msg.html" | grep -q checked ||
	e2e_fail "a recipient is ticked by default"
CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$E2E_TMP/msg.html" | head -n 1)
[ ${#CSRF} = 64 ] || e2e_fail "no CSRF token on the page"
post() { "${C[@]}" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$CSRF" "$@" "$U/msg/$REC/act"; }
code=$(post --data-urlencode action=release-to --data-urlencode "reason=none ticked")
[ "$code" = 409 ] || e2e_fail "release-to with no recipient ticked got $code"
code=$(post --data-urlencode action=release-to --data-urlencode "rcpt=intruder@out.e2e.test" --data-urlencode "reason=x")
[ "$code" = 409 ] || e2e_fail "release-to a non-recipient got $code"
REASON="only the policy contact may see it before publication"
code=$(post --data-urlencode action=release-to --data-urlencode "rcpt=$ONE" --data-urlencode "reason=$REASON")
[ "$code" = 303 ] || e2e_fail "release-to POST got $code"
got=$(sqlite3 "$EM_QDIR/index.sqlite" "select action||' '||via||' '||state||' '||recipients from requests where record_id='$REC'")
[ "$got" = "release console pending $ONE" ] || e2e_fail "request row: $got"
grep "\"event\":\"review-request\"" "$EM_QDIR/audit.log" | grep -F "\"recipients\":[\"$ONE\"]" >/dev/null ||
	e2e_fail "the console's request is not audited with the recipients: $(tail -n 2 "$EM_QDIR/audit.log")"

"$BUILD/embargoctl" quarantine process-requests -c "$EM_CONF" >"$E2E_TMP/pr.log" 2>&1 ||
	e2e_fail "process-requests failed: $(cat "$E2E_TMP/pr.log")"
sink_wait_rcpt "$ONE" 30 || e2e_fail "the chosen recipient did not get it: $(cat "$E2E_TMP/pr.log"; tail -n 5 "$E2E_TMP/milter.log" 2>/dev/null)"
pf_wait_settled 30 || true
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "the held copy is still in the hold queue"
[ -z "$(sink_files_for "$TWO")" ] || e2e_fail "the recipient not chosen got it"
F=$(sink_files_for "$ONE")
[ "$(echo "$F" | wc -l)" = 1 ] || e2e_fail "the chosen recipient got $(echo "$F" | wc -l) copies"
grep -q "partial-tag-c1" "$F" || e2e_fail "the delivered copy is not the held message"
! grep -qi "^X-Embargo-Release:" "$F" || e2e_fail "the token header was delivered"
grep -qi "^X-Embargo-Milter: *released; record=$REC" "$F" || e2e_fail "the copy is not marked released"
line=$(grep "\"event\":\"request-release\"" "$EM_QDIR/audit.log" | grep -F "$REC")
echo "$line" | grep -qF "\"released_to\":[\"$ONE\"]" || e2e_fail "audit lacks released_to: $line"
echo "$line" | grep -qF "\"not_delivered\":[\"$TWO\"]" || e2e_fail "audit lacks not_delivered: $line"
echo "$line" | grep -qF "$REASON" || e2e_fail "audit lacks the reason: $line"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select state from records where id='$REC'")" = released ] ||
	e2e_fail "the record is not released"
sqlite3 "$EM_QDIR/index.sqlite" "select outcome from requests where record_id='$REC'" | grep -qF "released to 1 of 2 recipient(s): $ONE" ||
	e2e_fail "request outcome: $(sqlite3 "$EM_QDIR/index.sqlite" "select outcome from requests where record_id='$REC'")"
"${C[@]}" -o "$E2E_TMP/msg2.html" "$U/msg/$REC"
grep -qF "released to 1 of 2 recipient(s): $ONE" "$E2E_TMP/msg2.html" || e2e_fail "the page does not say who got it"
ls "$EM_QDIR/release-tokens" | grep -q . && e2e_fail "a spent token file is left"

# ---- the CLI ----
REC2=$(hold_one partial-tag-c2)
"$BUILD/embargoctl" quarantine release "$REC2" -c "$EM_CONF" --to intruder@out.e2e.test >"$E2E_TMP/cli0.log" 2>&1 &&
	e2e_fail "release --to a non-recipient succeeded"
grep -q "not a recipient" "$E2E_TMP/cli0.log" || e2e_fail "no reason for the refusal: $(cat "$E2E_TMP/cli0.log")"
"$BUILD/embargoctl" quarantine delete "$REC2" -c "$EM_CONF" --to "$TWO" >"$E2E_TMP/cli1.log" 2>&1 &&
	e2e_fail "delete --to was accepted"
[ "$(pf_queue_count hold)" = 1 ] || e2e_fail "a refused release touched the hold queue"
"$BUILD/embargoctl" quarantine release "$REC2" -c "$EM_CONF" --to "<Two@Out.E2E.test>" >"$E2E_TMP/cli.log" 2>&1 ||
	e2e_fail "release --to failed: $(cat "$E2E_TMP/cli.log")"
grep -qF "released to <Two@Out.E2E.test> (1 of 2 recipients" "$E2E_TMP/cli.log" || e2e_fail "CLI output: $(cat "$E2E_TMP/cli.log")"
_two_has_c2() { for f in $(sink_files_for "$TWO"); do grep -q partial-tag-c2 "$f" && return 0; done; return 1; }
e2e_wait 30 _two_has_c2 || e2e_fail "release --to: the chosen recipient did not get it"
pf_wait_settled 30 || true
for f in $(sink_files_for "$ONE"); do
	grep -q partial-tag-c2 "$f" && e2e_fail "release --to: the recipient not chosen got it"
done
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "release --to left the held copy"

# ---- a forged token header is scanned as usual; releasing that message to one recipient leaves it out ----
msg_write "$E2E_TMP/forged.eml" "briefing partial-tag-f" "$ONE" "$LEAK_BODY"
sed -i "1i X-Embargo-Release: $(printf 'ab%.0s' $(seq 32))" "$E2E_TMP/forged.eml"
# (one retry on a 4xx: once, on a loaded runner, the milter reset a new connection at the handshake)
out=$(send_smtp "$E2E_TMP/forged.eml" private.office@cabinet.e2e.test "$ONE" "$TWO") || {
	e2e_log "forged: first try answered \"$out\"; retrying once"
	sleep 1
	send_smtp "$E2E_TMP/forged.eml" private.office@cabinet.e2e.test "$ONE" "$TWO" >/dev/null
} || e2e_fail "forged: not accepted"
e2e_wait 30 _held partial-tag-f || e2e_fail "a message with a forged token was not held"
[ -z "$(sink_grep partial-tag-f)" ] || e2e_fail "a forged token let the message through"
pf_held_copy "$(pf_held_with partial-tag-f)" "$E2E_TMP/forged.held"
RECF=$(expect_one_verdict "$E2E_TMP/forged.held" "quarantined; release=widgets-e2e;" | sed -n 's/.*record=\([^; ]*\).*/\1/p')
"$BUILD/embargoctl" quarantine release "$RECF" -c "$EM_CONF" --to "$ONE" >"$E2E_TMP/clif.log" 2>&1 ||
	e2e_fail "release --to of the forged-header message failed: $(cat "$E2E_TMP/clif.log")"
sink_wait_grep partial-tag-f 30 || e2e_fail "the copy of the forged-header message was not delivered (its own header must be left out)"
F=$(sink_grep partial-tag-f)
[ "$(grep -ci "^X-Embargo-Release:" "$F")" = 0 ] || e2e_fail "a token header was delivered"
exit 0
