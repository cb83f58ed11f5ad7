#!/bin/bash
# t_a_held: a message with OFFICIAL-SENSITIVE and the release identifier, sent
# by SMTP to someone not on the pre-release access list, is quarantined: it
# sits in Postfix's hold queue (with our verdict header on the held copy), the
# milter keeps its own record (index.sqlite row, msg/<record>.eml, an audit log
# line), and nothing reaches the outside world.
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine

msg_write "$E2E_TMP/leak.eml" "briefing held-tag-a1" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) ||
	e2e_fail "the relay should accept (then hold) the message, got: $out"

pf_wait_hold 1 30 || e2e_fail "no message in the hold queue"
id=$(pf_held_with held-tag-a1)
[ -n "$id" ] || e2e_fail "the leaking message is not the one held"
e2e_log "held as $id"

# Our record, visible to reviewers.
e2e_wait 10 test -f "$EM_QDIR/index.sqlite" || e2e_fail "no $EM_QDIR/index.sqlite"
n=$(em_record_count)
[ "$n" = 1 ] || e2e_fail "expected 1 quarantine record, got $n"
[ "$(em_eml_count)" = 1 ] || e2e_fail "expected 1 msg/*.eml, got $(em_eml_count)"
grep -qF held-tag-a1 "$EM_QDIR"/msg/*.eml || e2e_fail "the stored .eml is not the message"

# The held copy carries the verdict, pointing at the record.
pf_held_copy "$id" "$E2E_TMP/held.eml"
v=$(expect_one_verdict "$E2E_TMP/held.eml" "quarantined;") || exit 1
case "$v" in *"release=widgets-e2e"*) ;; *) e2e_fail "verdict lacks release=widgets-e2e: $v" ;; esac
rec=$(printf '%s' "$v" | sed -n 's/.*record=\([^; ]*\).*/\1/p')
[ -n "$rec" ] || e2e_fail "verdict lacks record=: $v"
[ -f "$EM_QDIR/msg/$rec.eml" ] || e2e_fail "record $rec named in the header has no msg/$rec.eml"
[ -f "$EM_QDIR/msg/$rec.json" ] || e2e_fail "record $rec has no msg/$rec.json"

# The decision is in the audit log (one JSON object per line).
audit=$EM_QDIR/audit.log
[ -s "$audit" ] || e2e_fail "no audit log at $audit"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()]' "$audit" ||
	e2e_fail "audit log is not one JSON object per line"
grep -q widgets-e2e "$audit" || e2e_fail "audit log does not name the release"

# Nothing went out.
sleep 2
[ -z "$(sink_grep held-tag-a1)" ] || e2e_fail "the leaking message reached the sink"
[ "$(sink_count)" = 0 ] || e2e_fail "the sink received $(sink_count) messages"
exit 0
