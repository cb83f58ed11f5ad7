#!/bin/bash
# t_0_harness: the harness itself, with the do-nothing null milter in place of
# embargo-milter (so it runs before the daemon exists): SMTP and sendmail
# submissions reach the sink byte for byte with the right envelopes; the
# hold-queue helpers see a held message (held here by a header_checks HOLD
# rule); with the milter down, SMTP gets 4xx and a local submission waits in
# the maildrop until the milter is back (proving non_smtpd_milters is in the
# path).
. "$(dirname "$0")/lib.sh"
e2e_init
sink_start
printf '/^Subject: please hold me/ HOLD harness test\n' >"$E2E_TMP/header_checks"
PF_EXTRA="header_checks = regexp:$E2E_TMP/header_checks"
EM_PORT=$(e2e_free_port)
null_start
e2e_wait 10 e2e_port_open "$EM_PORT" || e2e_fail "null-milter did not listen"
pf_setup "$EM_SOCKET"
pf_start

# 1. SMTP, two recipients, 8-bit text, a leading dot, trailing blanks.
body=$(printf 'Line one\n.leading dot stays\ntrailing blanks   \n\tand a tab\nUTF-8: Gr\xc3\xbc\xc3\x9fe, \xe2\x82\xac 5\n')
msg_write "$E2E_TMP/m1.eml" "harness smtp" "a@out.e2e.test" "$body"
out=$(send_smtp "$E2E_TMP/m1.eml" sender@stats.e2e.test a@out.e2e.test b@out.e2e.test) ||
	e2e_fail "SMTP send: $out"
sink_wait_count 1 30 || e2e_fail "SMTP message not at the sink"
got=$(sink_files_for b@out.e2e.test)
[ -n "$got" ] || e2e_fail "no message for b@out.e2e.test"
same_as_sent "$E2E_TMP/m1.eml" "$got" || e2e_fail "SMTP copy differs from what was sent"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1]));
sys.exit(not (m["mail_from"]=="sender@stats.e2e.test" and m["rcpt_to"]==["a@out.e2e.test","b@out.e2e.test"]))' \
	"${got%.eml}.json" || e2e_fail "wrong envelope: $(cat "${got%.eml}.json")"

# 2. Local submission through the instance's sendmail.
msg_write "$E2E_TMP/m2.eml" "harness local" "c@out.e2e.test" "local body"
send_local "$E2E_TMP/m2.eml" sender@stats.e2e.test c@out.e2e.test || e2e_fail "sendmail -C failed"
sink_wait_rcpt c@out.e2e.test 30 || e2e_fail "local message not at the sink"
same_as_sent "$E2E_TMP/m2.eml" "$(sink_files_for c@out.e2e.test)" || e2e_fail "local copy differs"

# 3. The hold-queue helpers.
msg_write "$E2E_TMP/m3.eml" "please hold me" "d@out.e2e.test" "hold-tag-7731"
send_smtp "$E2E_TMP/m3.eml" sender@stats.e2e.test d@out.e2e.test >/dev/null || e2e_fail "send m3"
pf_wait_hold 1 20 || e2e_fail "header_checks HOLD not seen in the hold queue"
id=$(pf_held_with hold-tag-7731)
[ -n "$id" ] || e2e_fail "pf_held_with did not find the held message"
pf_held_copy "$id" "$E2E_TMP/held.eml"
grep -q '^Subject: please hold me' "$E2E_TMP/held.eml" || e2e_fail "pf_held_copy"
[ -z "$(sink_grep hold-tag-7731)" ] || e2e_fail "held message reached the sink"

# 4. Milter down: SMTP tempfails, local submission waits, then goes through.
e2e_stop_pid "$EM_PID"
msg_write "$E2E_TMP/m4.eml" "while down" "e@out.e2e.test" "down-tag-1"
out=$(send_smtp "$E2E_TMP/m4.eml" sender@stats.e2e.test e@out.e2e.test)
[ $? = 4 ] || e2e_fail "SMTP with the milter down: expected 4xx, got: $out"
msg_write "$E2E_TMP/m5.eml" "while down" "f@out.e2e.test" "down-tag-2"
send_local "$E2E_TMP/m5.eml" sender@stats.e2e.test f@out.e2e.test || e2e_fail "sendmail -C failed"
sleep 3
[ -z "$(sink_grep down-tag-2)" ] || e2e_fail "local message bypassed the (down) milter"
null_start
e2e_wait 10 e2e_port_open "$EM_PORT" || e2e_fail "null-milter did not restart"
pf_flush
sink_wait_grep down-tag-2 60 || e2e_fail "local message not delivered after the milter came back"
out=$(send_smtp "$E2E_TMP/m4.eml" sender@stats.e2e.test e@out.e2e.test) || e2e_fail "SMTP resend: $out"
sink_wait_grep down-tag-1 30 || e2e_fail "resent message not delivered"
exit 0
