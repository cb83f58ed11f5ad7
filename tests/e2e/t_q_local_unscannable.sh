#!/bin/bash
# t_q_local_unscannable: on_error = tempfail ends for mail submitted on the
# relay itself (issue 9). A message the milter cannot fully scan (here: more
# MIME parts than limits.max_parts) is deferred (451) when it comes by SMTP,
# as before; submitted with the sendmail command (non_smtpd_milters) it would
# be retried from maildrop for ever with a new queue id each time, so it is
# held instead (hold queue + quarantine record). The hold says why, in one
# word, wherever it is shown: reason "unscannable" in the log line, the
# verdict header, the MTA's hold reason, the record (index + JSON), the audit
# line and `embargoctl quarantine list/show` (text and --json).
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
grep -q "action=quarantine .*why=\"unscannable: scan incomplete" "$E2E_TMP/milter.log" ||
	e2e_fail "no unscannable quarantine decision logged: $(tail -n 5 "$E2E_TMP/milter.log")"
[ "$(em_record_count)" = 1 ] || e2e_fail "wanted exactly one quarantine record (the SMTP one is deferred)"
[ -z "$(sink_grep unscannable-local)" ] || e2e_fail "the unscannable message was delivered"

CTL=("$BUILD/embargoctl")
rec=$(sqlite3 "$EM_QDIR/index.sqlite" "select id from records")
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select reason from records")" = unscannable ] ||
	e2e_fail "the index row's reason is not unscannable"
python3 - "$EM_QDIR/msg/$rec.json" <<'PY' || e2e_fail "the record JSON has no reason unscannable"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d.get("reason") == "unscannable" and d["action_taken"] == "quarantine" else 1)
PY
"${CTL[@]}" quarantine list -c "$EM_CONF" --json >"$E2E_TMP/list.json" || e2e_fail "quarantine list --json"
python3 - "$E2E_TMP/list.json" "$rec" <<'PY' || e2e_fail "list --json: $(cat "$E2E_TMP/list.json")"
import json, sys
rows = json.load(open(sys.argv[1]))
r = [x for x in rows if x["id"] == sys.argv[2]]
sys.exit(0 if len(r) == 1 and r[0]["reason"] == "unscannable" and r[0]["state"] == "held" else 1)
PY
"${CTL[@]}" quarantine list -c "$EM_CONF" | grep "$rec" | grep -q "(unscannable)" ||
	e2e_fail "quarantine list does not say unscannable: $("${CTL[@]}" quarantine list -c "$EM_CONF")"
"${CTL[@]}" quarantine show -c "$EM_CONF" "$rec" >"$E2E_TMP/show.out" || e2e_fail "quarantine show"
grep -q "^Held because: unscannable" "$E2E_TMP/show.out" || e2e_fail "show: $(head -12 "$E2E_TMP/show.out")"
qid=$(pf_held_with unscannable-local | head -n 1)
postcat -c "$PF_CONF" -h -q "$qid" 2>/dev/null |
	grep -q "X-Embargo-Milter: quarantined; error=scan-incomplete; reason=unscannable" ||
	e2e_fail "the held message has no verdict header with reason=unscannable"
python3 - "$EM_QDIR/audit.log" "$rec" <<'PY' || e2e_fail "no audit line with reason unscannable"
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get("record") == sys.argv[2] and d.get("reason") == "unscannable" and \
            d.get("action_taken") == "quarantine":
        sys.exit(0)
sys.exit(1)
PY
exit 0
