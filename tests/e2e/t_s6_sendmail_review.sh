#!/bin/bash
# t_s6_sendmail_review: `embargoctl quarantine` on a real Sendmail relay
# (main config: mta = "sendmail", the instance's sendmail binary and
# sendmail.cf). Leaks A, B, C are quarantined by Sendmail; list shows them;
# release A: Sendmail unquarantines and delivers it (at the sink, job gone),
# record released, audit line; delete B: job files gone (mailq -qQ no longer
# lists it), nothing delivered, record deleted (refused while the job is
# locked; a release refused when another job's id contains the queue id,
# since sendmail -qI matches substrings); C taken out of Sendmail's
# quarantine behind our back: release and delete refuse (exit 2, record still
# held, MTA untouched) until --force. release-due: D, a leak of a second
# release published 40 s after the start with after_publication = "release",
# stays quarantined before publication and is delivered after it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sendmail_lib.sh"
e2e_init
sm_need
sink_start
EM_PORT=$(e2e_free_port)
# sendmail.cf path known before sm_setup writes it (same layout).
em_write_config 'mta = "sendmail";' "sendmail = \"$E2E_TMP/sm/bin/sendmail\";" \
	"sendmail_cf = \"$E2E_TMP/sm/sendmail.cf\";"
em_write_release widgets widgets-e2e quarantine
DUE_AT=$(($(date +%s) + 40))
cat >"$EM_RELEASES/gizmos.conf" <<REL
release = {
  id = "gizmos-e2e";
  title = "Gizmo Figures, e2e test release";
  publish_at = "$(date -u -d "@$DUE_AT" +%Y-%m-%dT%H:%M:%SZ)";
  pre_release_from = "$(em_time -1)";
  identifiers = ( "Gizmo Figures" );
  producers = ( "@stats.e2e.test" );
  pre_release_access = ( "pra.minister@gov.e2e.test" );
  action = "quarantine";
  after_publication = "release";
};
REL
em_start
em_wait_ready
sm_setup "$EM_PORT"
sm_start
_published() { [ "$(date +%s)" -gt "$DUE_AT" ]; }
CTL() { "$BUILD/embargoctl" quarantine "$@" -c "$EM_CONF"; }
[ -x "$BUILD/embargoctl" ] || e2e_skip "$BUILD/embargoctl not built"

msg_write "$E2E_TMP/D.eml" "briefing review-tag-s6-D" "outsider@out.e2e.test" \
	"$(printf 'OFFICIAL-SENSITIVE\n\nThe Gizmo Figures briefing, ahead of publication.\n')"
out=$(send_sm "$E2E_TMP/D.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send D: $out"
_d_held() { [ -n "$(sm_held_with review-tag-s6-D)" ]; }
e2e_wait 30 _d_held || e2e_fail "D not quarantined"
CTL release-due >"$E2E_TMP/due0.out" 2>&1 || e2e_fail "release-due (nothing due): $(cat "$E2E_TMP/due0.out")"
[ "$(date +%s)" -lt "$DUE_AT" ] || e2e_fail "too slow: publication passed before the first release-due"
_d_held || e2e_fail "release-due released D before publication"
for t in A B C; do
	msg_write "$E2E_TMP/$t.eml" "briefing review-tag-s6-$t" "outsider@out.e2e.test" "$LEAK_BODY"
	out=$(send_sm "$E2E_TMP/$t.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send $t: $out"
done
sm_wait_quarantined 4 30 || e2e_fail "not all three quarantined: $(ls "$SM_QUEUE")"
for t in A B C; do
	q=$(sm_held_with "review-tag-s6-$t")
	[ -n "$q" ] || e2e_fail "$t not quarantined"
	r=$(sqlite3 "$EM_QDIR/index.sqlite" "select id from records where queue_id = '$q'")
	[ -n "$r" ] || e2e_fail "no record with queue id $q"
	eval "Q$t=$q R$t=$r"
done
e2e_log "A=$QA/$RA B=$QB/$RB C=$QC/$RC"
CTL list >"$E2E_TMP/list.out" || e2e_fail "list failed"
for r in "$RA" "$RB" "$RC"; do grep -qF "$r" "$E2E_TMP/list.out" || e2e_fail "list lacks $r"; done

# -qI matches by substring: with another job whose id contains A's, release refuses.
cp "$SM_QUEUE/hf$QA" "$SM_QUEUE/hf${QA}9"
CTL release "$RA" >"$E2E_TMP/amb.out" 2>&1
rc=$?
rm -f "$SM_QUEUE/hf${QA}9"
[ $rc = 2 ] || e2e_fail "release with an ambiguous queue id: exit $rc: $(cat "$E2E_TMP/amb.out")"
grep -q "contains $QA" "$E2E_TMP/amb.out" || e2e_fail "ambiguous release: $(cat "$E2E_TMP/amb.out")"
[ -f "$SM_QUEUE/hf$QA" ] || e2e_fail "the refused release changed job A"

# Release A.
CTL release "$RA" >"$E2E_TMP/relA.out" 2>&1 || e2e_fail "release A: $(cat "$E2E_TMP/relA.out")"
e2e_log "$(cat "$E2E_TMP/relA.out")"
sink_wait_grep review-tag-s6-A 30 || e2e_fail "released A did not reach the sink"
got=$(sink_grep review-tag-s6-A)
[ "$(printf '%s\n' "$got" | grep -c .)" = 1 ] || e2e_fail "A delivered more than once: $got"
grep -qF "$RA" "$got" || e2e_fail "delivered A does not carry its verdict header"
[ -z "$(find "$SM_QUEUE" -name "*$QA")" ] || e2e_fail "A's files still in the queue: $(find "$SM_QUEUE" -name "*$QA")"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select state from records where id = '$RA'")" = released ] ||
	e2e_fail "record A not released"
grep -F "\"$RA\"" "$EM_QDIR/audit.log" | grep -q '"release"' || e2e_fail "no audit line for releasing A"
# A retry is a no-op.
CTL release "$RA" >/dev/null 2>&1 || e2e_fail "second release of A should be a no-op"

# Delete B: refused while Sendmail (here: flock(1)) holds the job's lock.
flock "$SM_QUEUE/hf$QB" "$BUILD/embargoctl" quarantine delete "$RB" -c "$EM_CONF" >"$E2E_TMP/lock.out" 2>&1
rc=$?
[ $rc = 2 ] || e2e_fail "delete of a locked job: exit $rc: $(cat "$E2E_TMP/lock.out")"
grep -q "in use" "$E2E_TMP/lock.out" || e2e_fail "delete of a locked job: $(cat "$E2E_TMP/lock.out")"
[ -f "$SM_QUEUE/hf$QB" ] && [ -f "$SM_QUEUE/df$QB" ] || e2e_fail "a refused delete removed files of B"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select state from records where id = '$RB'")" = held ] ||
	e2e_fail "a refused delete changed record B"
CTL delete "$RB" >"$E2E_TMP/delB.out" 2>&1 || e2e_fail "delete B: $(cat "$E2E_TMP/delB.out")"
[ -z "$(find "$SM_QUEUE" -name "*$QB")" ] || e2e_fail "B's files still in the queue"
sm_mailq_quarantined | grep -q "^$QB" && e2e_fail "mailq -qQ still lists B"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select state from records where id = '$RB'")" = deleted ] ||
	e2e_fail "record B not deleted"
sm_mailq_quarantined | grep -q "^$QC" || e2e_fail "deleting B touched C"

# C unquarantined by hand (it is then delivered): the record and Sendmail disagree.
sm_cmd -qQ -qI"$QC" -Q >/dev/null 2>&1 || e2e_fail "could not unquarantine C by hand"
sink_wait_grep review-tag-s6-C 30 || e2e_fail "C was not delivered after the manual release"
for verb in release delete; do
	CTL "$verb" "$RC" >"$E2E_TMP/c.out" 2>&1
	rc=$?
	[ $rc = 2 ] || e2e_fail "$verb C: expected exit 2 (disagreement), got $rc: $(cat "$E2E_TMP/c.out")"
	grep -q "Sendmail has no queue id $QC" "$E2E_TMP/c.out" || e2e_fail "$verb C: $(cat "$E2E_TMP/c.out")"
done
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select state from records where id = '$RC'")" = held ] ||
	e2e_fail "a refused action changed record C"
CTL delete "$RC" --force >/dev/null 2>&1 || e2e_fail "delete C --force"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select state from records where id = '$RC'")" = deleted ] ||
	e2e_fail "--force did not update record C"

# release-due after D's publication.
e2e_wait 60 _published || e2e_fail "clock"
CTL release-due >"$E2E_TMP/due.out" 2>&1 || e2e_fail "release-due: $(cat "$E2E_TMP/due.out")"
e2e_log "$(cat "$E2E_TMP/due.out")"
sink_wait_grep review-tag-s6-D 30 || e2e_fail "release-due did not deliver D"
_d_held && e2e_fail "D still quarantined"
grep '"event":"release-due"' "$EM_QDIR/audit.log" | grep -q gizmos-e2e || e2e_fail "release-due not audited"
exit 0
