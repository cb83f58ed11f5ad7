#!/bin/bash
# t_s3_sendmail_allowed: through a real Sendmail, mail that may go (the release
# content to a PRA recipient, to the producer domain, to always_allowed, and
# unrelated 8-bit text with a leading dot and a folded Subject to an outsider)
# arrives once each, body byte for byte and header set as sent apart from
# Sendmail's Received: and one "X-Embargo-Milter: accept". Three forged
# X-Embargo-Milter fields on incoming mail are all removed, and a forged
# "accept" on a leak does not get it out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sendmail_lib.sh"
sm_standard_setup quarantine

e2e_allowed_mail send_sm s3-

msg_write "$E2E_TMP/clean.eml" "forge-tag-s3" "outsider2@out.e2e.test" "$CLEAN_BODY"
e2e_forge_verdicts "$E2E_TMP/clean.eml"
out=$(send_sm "$E2E_TMP/clean.eml" analyst@stats.e2e.test outsider2@out.e2e.test) || e2e_fail "send: $out"
sink_wait_grep forge-tag-s3 30 || e2e_fail "forged clean message not delivered"
got=$(sink_grep forge-tag-s3)
grep -q FORGED-HDR "$got" && e2e_fail "a forged X-Embargo-Milter survived: $(grep -i -A1 x-embargo "$got")"
expect_one_verdict "$got" "accept" >/dev/null || exit 1
same_as_sent "$E2E_TMP/clean.eml" "$got" || e2e_fail "apart from the forged fields, the message changed"

msg_write "$E2E_TMP/leak.eml" "briefing forge-tag-s3-leak" "outsider@out.e2e.test" "$LEAK_BODY"
e2e_forge_verdicts "$E2E_TMP/leak.eml"
out=$(send_sm "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
sm_wait_quarantined 1 30 || e2e_fail "a forged accept header let a leak through"
id=$(sm_held_with forge-tag-s3-leak)
[ -n "$id" ] || e2e_fail "the quarantined job is not the forged leak"
grep -aq FORGED-HDR "$SM_QUEUE/hf$id" && e2e_fail "a forged header survived on the held copy"
[ "$(grep -ac '^H.*X-Embargo-Milter:' "$SM_QUEUE/hf$id")" = 1 ] || e2e_fail "held copy: not exactly one verdict"
[ -z "$(sink_grep forge-tag-s3-leak)" ] || e2e_fail "the leak reached the sink"
exit 0
