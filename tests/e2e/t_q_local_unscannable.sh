#!/bin/bash
# t_q_local_unscannable: on_error = tempfail ends for mail submitted on the
# relay itself (issue 9). A message the milter cannot fully scan (here: more
# MIME parts than limits.max_parts) is deferred (451) when it comes by SMTP,
# as before; submitted with the sendmail command (non_smtpd_milters) it would
# be retried from maildrop for ever with a new queue id each time, so it is
# held instead (hold queue + quarantine record, scan incomplete).
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine 'limits = { max_parts = 3; };'

mkmsg() { # FILE TAG
	{
		printf 'From: analyst@stats.e2e.test\r\nTo: outsider@out.e2e.test\r\n'
		printf 'Subject: %s\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n' "$2"
		printf 'Message-ID: <%s@stats.e2e.test>\r\nMIME-Version: 1.0\r\n' "$2"
		printf 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
		for i in 1 2 3 4 5 6; do
			printf -- '--b\r\nContent-Type: text/plain\r\n\r\nallotment part %s\r\n' "$i"
		done
		printf -- '--b--\r\n'
	} >"$1"
}

# by SMTP: tempfail, as configured
mkmsg "$E2E_TMP/smtp.eml" unscannable-smtp
out=$(send_smtp "$E2E_TMP/smtp.eml" analyst@stats.e2e.test outsider@out.e2e.test)
rc=$?
e2e_log "SMTP: $out"
[ $rc = 4 ] || e2e_fail "an unscannable message by SMTP: exit $rc ($out), wanted a 4xx"

# submitted locally: held, not retried
mkmsg "$E2E_TMP/local.eml" unscannable-local
send_local "$E2E_TMP/local.eml" analyst@stats.e2e.test outsider@out.e2e.test || e2e_fail "sendmail failed"
_held() { [ -n "$(pf_held_with unscannable-local)" ]; }
e2e_wait 60 _held || e2e_fail "the locally submitted unscannable message was not held: $(tail -n 5 "$E2E_TMP/milter.log")"
grep -q "action=quarantine .*why=\"scan incomplete" "$E2E_TMP/milter.log" ||
	e2e_fail "no quarantine decision logged: $(tail -n 5 "$E2E_TMP/milter.log")"
[ "$(em_record_count)" -ge 1 ] || e2e_fail "no quarantine record"
[ -z "$(sink_grep unscannable-local)" ] || e2e_fail "the unscannable message was delivered"
exit 0
