#!/bin/bash
# t_q_address_spelling: one address spelling (issue 9 point 10). The same
# leak is held twice, once sent by SMTP (Postfix hands the milter "<a@b>")
# and once submitted on the relay with the sendmail command. For both, the
# record (index and JSON), `quarantine list` (text and --json), `quarantine
# show`, the breach report and the audit log spell sender and recipients
# bare (a@b); only the verdict's per-release "blocked" keeps the envelope's
# spelling, as its contract says (the MTA needs it to delete a recipient).
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine
CTL=("$BUILD/embargoctl")
S=analyst@stats.e2e.test
R=outsider@out.e2e.test

msg_write "$E2E_TMP/smtp.eml" "briefing sp-tag-smtp" "$R" "$LEAK_BODY"
send_smtp "$E2E_TMP/smtp.eml" "$S" "$R" >/dev/null || e2e_fail "send by SMTP"
msg_write "$E2E_TMP/local.eml" "briefing sp-tag-local" "$R" "$LEAK_BODY"
send_local "$E2E_TMP/local.eml" "$S" "$R" || e2e_fail "sendmail"
_two() { [ "$(em_record_count)" = 2 ]; }
e2e_wait 60 _two || e2e_fail "wanted 2 records, got $(em_record_count)"

q() { sqlite3 "$EM_QDIR/index.sqlite" "$1"; }
for tag in smtp local; do
	rec=$(q "select id from records where subject like '%sp-tag-$tag%'")
	[ -n "$rec" ] || e2e_fail "no record for $tag"
	got=$(q "select sender||' '||recipients||' '||blocked from records where id='$rec'")
	[ "$got" = "$S [\"$R\"] [\"$R\"]" ] || e2e_fail "$tag index row: $got"
	python3 - "$EM_QDIR/msg/$rec.json" "$S" "$R" <<'PY' || e2e_fail "$tag record JSON: $(head -c 600 "$EM_QDIR/msg/$rec.json")"
import json, sys
v = json.load(open(sys.argv[1]))["verdict"]
s, r = sys.argv[2], sys.argv[3]
b = v["releases"][0]["blocked"]
ok = v["sender"] == s and v["recipients"] == [r] and len(b) == 1 and b[0].strip("<>") == r
sys.exit(0 if ok else 1)
PY
	"${CTL[@]}" quarantine show -c "$EM_CONF" "$rec" >"$E2E_TMP/show.$tag" 2>&1 || e2e_fail "show $tag"
	grep -q "^Sender:     $S\$" "$E2E_TMP/show.$tag" || e2e_fail "show $tag: $(grep Sender "$E2E_TMP/show.$tag")"
	"${CTL[@]}" report -c "$EM_CONF" "$rec" >"$E2E_TMP/report.$tag" 2>&1 || e2e_fail "report $tag"
	grep -q "$R" "$E2E_TMP/report.$tag" || e2e_fail "report $tag does not name the recipient"
	# the message's own headers (From: Analyst <...>) are the message, not a record
	sed -i '/^Headers:/,$d' "$E2E_TMP/show.$tag"
	for f in "$E2E_TMP/show.$tag" "$E2E_TMP/report.$tag"; do
		! grep -q "<$R>\|<$S>" "$f" || e2e_fail "$f spells an address with <>: $(grep "<$R>\|<$S>" "$f")"
	done
done

"${CTL[@]}" quarantine list -c "$EM_CONF" >"$E2E_TMP/list.txt" || e2e_fail "list"
! grep -q "<$R>\|<$S>" "$E2E_TMP/list.txt" || e2e_fail "list spells <>: $(cat "$E2E_TMP/list.txt")"
"${CTL[@]}" quarantine list -c "$EM_CONF" --json >"$E2E_TMP/list.json" || e2e_fail "list --json"
python3 - "$E2E_TMP/list.json" "$S" "$R" <<'PY' || e2e_fail "list --json: $(cat "$E2E_TMP/list.json")"
import json, sys
rows = json.load(open(sys.argv[1]))
sys.exit(0 if len(rows) == 2 and all(x["sender"] == sys.argv[2] and x["blocked"] == [sys.argv[3]]
                                     for x in rows) else 1)
PY
python3 - "$EM_QDIR/audit.log" "$S" "$R" <<'PY' || e2e_fail "audit lines spell addresses two ways"
import json, sys
n = 0
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get("action_taken") != "quarantine":
        continue
    n += 1
    if d["sender"] != sys.argv[2] or d["recipients"] != [sys.argv[3]]:
        sys.exit(1)
sys.exit(0 if n == 2 else 1)
PY
"${CTL[@]}" audit -c "$EM_CONF" >"$E2E_TMP/audit.txt" 2>&1 || e2e_fail "embargoctl audit"
! grep -q "<$R>\|<$S>" "$E2E_TMP/audit.txt" || e2e_fail "audit report spells <>: $(cat "$E2E_TMP/audit.txt")"
exit 0
