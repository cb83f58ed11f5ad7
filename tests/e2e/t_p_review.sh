#!/bin/bash
# t_p_review: the review console's release reaches the outside world through the real Postfix. A leak is held
# (hold queue + record); embargo-review (signed in by the trusted proxy's header, reviewer group root) shows it
# redacted, refuses a POST without the CSRF token, and takes "release to all recipients" with a reason: a release
# request (via console) and an audit line; `embargoctl quarantine process-requests` (postsuper -H) then delivers the
# held message to the sink, audited with the reviewer's login; the page then shows it released.
. "$(dirname "$0")/lib.sh"

e2e_init
[ -x "$BUILD/embargo-review" ] || e2e_skip "$BUILD/embargo-review not built"
review_relay_start

msg_write "$E2E_TMP/leak.eml" "briefing review-tag-p1" "outsider@out.e2e.test" "$LEAK_BODY"
send_smtp "$E2E_TMP/leak.eml" private.office@cabinet.e2e.test outsider@out.e2e.test >/dev/null ||
	e2e_fail "the relay should accept (then hold) the leak"
pf_wait_hold 1 30 || e2e_fail "the leak was not held"
QID=$(pf_held_with review-tag-p1)
pf_held_copy "$QID" "$E2E_TMP/held.eml"
REC=$(expect_one_verdict "$E2E_TMP/held.eml" "quarantined; release=widgets-e2e;" | sed -n 's/.*record=\([^; ]*\).*/\1/p')
[ -n "$REC" ] || e2e_fail "no record id in the verdict header"

C=(curl -s -H "X-Remote-User: root" -b "$E2E_TMP/jar" -c "$E2E_TMP/jar")
U="http://127.0.0.1:$RV_PORT"
"${C[@]}" -o "$E2E_TMP/list.html" "$U/held" || e2e_fail "GET /held failed"
grep -qF "/msg/$REC" "$E2E_TMP/list.html" || e2e_fail "the held record is not listed"
"${C[@]}" -o "$E2E_TMP/msg.html" "$U/msg/$REC" || e2e_fail "GET /msg failed"
grep -qF 'id="redacted"' "$E2E_TMP/msg.html" || e2e_fail "root is on no PRA list: the view must be redacted"
! grep -qF "widget output" "$E2E_TMP/msg.html" || e2e_fail "the matched text is on the redacted page"
CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$E2E_TMP/msg.html" | head -n 1)
[ ${#CSRF} = 64 ] || e2e_fail "no CSRF token on the page"

code=$("${C[@]}" -o /dev/null -w '%{http_code}' --data-urlencode action=release --data-urlencode reason=x "$U/msg/$REC/act")
[ "$code" = 403 ] || e2e_fail "a POST without the CSRF token got $code"
REASON="false alarm: the figure is last year's published one"
code=$("${C[@]}" -o /dev/null -w '%{http_code}' --data-urlencode action=release --data-urlencode "reason=$REASON" \
	--data-urlencode "csrf=$CSRF" "$U/msg/$REC/act")
[ "$code" = 303 ] || e2e_fail "release POST got $code"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select action||' '||via||' '||requested_by||' '||state from requests where record_id='$REC'")" = "release console root pending" ] ||
	e2e_fail "no pending console request: $(sqlite3 "$EM_QDIR/index.sqlite" 'select * from requests')"
[ -z "$(sink_grep review-tag-p1)" ] || e2e_fail "delivered before the root job ran"

"$BUILD/embargoctl" quarantine process-requests -c "$EM_CONF" >"$E2E_TMP/pr.log" 2>&1 ||
	e2e_fail "process-requests failed: $(cat "$E2E_TMP/pr.log")"
sink_wait_grep review-tag-p1 30 || e2e_fail "the released message did not reach the sink"
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "the hold queue is not empty after release"
grep -q "\"event\":\"review-request\".*\"by\":\"root\"" "$EM_QDIR/audit.log" || e2e_fail "no review-request audit line"
grep "\"event\":\"request-release\"" "$EM_QDIR/audit.log" | grep -qF "$REASON" ||
	e2e_fail "the release is not audited with the reason: $(tail -n 3 "$EM_QDIR/audit.log")"
"${C[@]}" -o "$E2E_TMP/msg2.html" "$U/msg/$REC"
grep -q '<dd id="state">released' "$E2E_TMP/msg2.html" || e2e_fail "the page does not show released"
grep -q " root POST /msg/$REC/act 303" "$E2E_TMP/review.log" || e2e_fail "request log lacks the user's POST"
exit 0
