#!/bin/bash
# t_e_forged_headers: X-Embargo-Milter fields arriving from outside (three of
# them: first, in the middle with a folded value, last with odd case) are all
# removed; only the milter's own verdict remains. Forging "accept" on a
# leaking message does not get it out either.
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine

msg_write "$E2E_TMP/clean.eml" "forge-tag-e1" "outsider@out.e2e.test" "$CLEAN_BODY"
e2e_forge_verdicts "$E2E_TMP/clean.eml"
[ "$(grep -ci '^x-embargo-milter:' "$E2E_TMP/clean.eml")" = 3 ] || e2e_fail "test message not forged as intended"
out=$(send_smtp "$E2E_TMP/clean.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
sink_wait_grep forge-tag-e1 30 || e2e_fail "clean message not delivered"
got=$(sink_grep forge-tag-e1)
grep -q FORGED-HDR "$got" && e2e_fail "a forged X-Embargo-Milter survived: $(grep -i -A1 x-embargo "$got")"
v=$(expect_one_verdict "$got" "accept") || exit 1
e2e_log "verdict: $v"
same_as_sent "$E2E_TMP/clean.eml" "$got" || e2e_fail "apart from the forged fields, the message changed"

msg_write "$E2E_TMP/leak.eml" "briefing forge-tag-e2" "outsider@out.e2e.test" "$LEAK_BODY"
e2e_forge_verdicts "$E2E_TMP/leak.eml"
out=$(send_smtp "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
pf_wait_hold 1 30 || e2e_fail "forged accept header let a leak through (not held)"
id=$(pf_held_with forge-tag-e2)
[ -n "$id" ] || e2e_fail "held message is not forge-tag-e2"
pf_held_copy "$id" "$E2E_TMP/held.eml"
grep -q FORGED-HDR "$E2E_TMP/held.eml" && e2e_fail "a forged header survived on the held copy"
expect_one_verdict "$E2E_TMP/held.eml" "quarantined;" >/dev/null
[ -z "$(sink_grep forge-tag-e2)" ] || e2e_fail "the leak reached the sink"
exit 0
