#!/bin/bash
# t_g_sendmail_held: mail submitted on the relay itself with the sendmail
# command (postdrop -> pickup -> cleanup) reaches the milter only through
# non_smtpd_milters: a leaking message submitted that way is held like one
# sent by SMTP, and a clean one is delivered with our verdict header.
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine

msg_write "$E2E_TMP/leak.eml" "briefing local-tag-g1" "outsider@out.e2e.test" "$LEAK_BODY"
send_local "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test || e2e_fail "sendmail -C failed"
msg_write "$E2E_TMP/clean.eml" "local-tag-g2" "outsider@out.e2e.test" "$CLEAN_BODY"
send_local "$E2E_TMP/clean.eml" analyst@stats.e2e.test outsider@out.e2e.test || e2e_fail "sendmail -C failed"

pf_wait_hold 1 30 || e2e_fail "the locally submitted leak was not held"
id=$(pf_held_with local-tag-g1)
[ -n "$id" ] || e2e_fail "the held message is not local-tag-g1"
pf_held_copy "$id" "$E2E_TMP/held.eml"
expect_one_verdict "$E2E_TMP/held.eml" "quarantined;" >/dev/null
_has_record() { [ "$(em_record_count)" -ge 1 ]; }
e2e_wait 10 _has_record || e2e_fail "no quarantine record for the local submission"
sink_wait_grep local-tag-g2 30 || e2e_fail "the clean local message was not delivered"
expect_one_verdict "$(sink_grep local-tag-g2)" "accept" >/dev/null
[ -z "$(sink_grep local-tag-g1)" ] || e2e_fail "the leak reached the sink"
exit 0
