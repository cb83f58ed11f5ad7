#!/bin/bash
# t_n_confirm: the confirm round trip through the real Postfix. A release
# with action "confirm": the leak is held (hold queue + record, verdict
# "held; awaiting-confirmation"), the sender's notice (through the instance's
# own sendmail, so it passes the milter and reaches the sink) carries a
# one-time code and Reply-To: confirm_address. Replies to confirm_address are
# consumed (250, never delivered): one from another sender with the right
# code is refused, one from the sender with a wrong code is refused, an
# Outlook-shaped reply from the sender with the code in the subject and a
# justification above the quoted original is accepted: a release request,
# an audit line with the justification, a note to the security mailbox.
# `embargoctl quarantine process-requests` (postsuper -H) then delivers the
# held message to the sink and audits it with the justification; a second
# run does nothing; the same reply again is refused (a code works once).
# Finally two held messages confirmed, two process-requests runs at once:
# each released exactly once.
. "$(dirname "$0")/lib.sh"

e2e_init
sink_start
# notices go through this instance's sendmail (postdrop -> pickup -> milter -> sink)
cat >"$E2E_TMP/pf-sendmail" <<EOF
#!/bin/sh
exec /usr/sbin/sendmail -C "$E2E_TMP/pf" "\$@"
EOF
chmod 755 "$E2E_TMP/pf-sendmail"
CONFIRM=embargo-confirm@relay.e2e.test
SENDER=private.office@cabinet.e2e.test
em_write_config "confirm_address = \"$CONFIRM\";" \
	'security_mailbox = "security@stats.e2e.test";' \
	'notify_from = "embargo-notices@relay.e2e.test";' \
	"sendmail = \"$E2E_TMP/pf-sendmail\";"
em_write_release widgets widgets-e2e confirm
EM_PORT=$(e2e_free_port)
em_start
em_wait_ready
pf_setup "$EM_SOCKET"
pf_start
CTL=("$BUILD/embargoctl")
export EMBARGO_POSTFIX_CONFIG=$PF_CONF

# audit_has EVENT KEY VALUE: an audit line with that event has KEY == VALUE
audit_has() {
	python3 - "$EM_QDIR/audit.log" "$1" "$2" "$3" <<'EOF'
import json, sys
log, ev, k, v = sys.argv[1:5]
for l in open(log):
    if l.strip():
        o = json.loads(l)
        if o.get("event") == ev and str(o.get(k)) == v:
            sys.exit(0)
sys.exit(1)
EOF
}
audit_count() { grep -c "\"event\":\"$1\"" "$EM_QDIR/audit.log" 2>/dev/null || true; }
_audit_has() { audit_has "$@"; }
_audit_count_is() { [ "$(audit_count "$1")" = "$2" ]; }
# code_of FILE: the code in the notice's Subject
code_of() { sed -n 's/^Subject: .* code \([A-Z2-9]\{4\}-[A-Z2-9]\{4\}\)\r*$/\1/p' "$1" | head -n 1; }

# reply FILE FROM SUBJECT BODY: a reply to the notice
reply_write() {
	python3 - "$1" "$2" "$3" "$4" "$CONFIRM" <<'EOF'
import sys, email.utils, uuid
f, frm, subj, body, to = sys.argv[1:6]
hdr = ["From: <%s>" % frm, "To: <%s>" % to, "Subject: " + subj,
       "Date: " + email.utils.formatdate(), "Message-ID: <%s@cabinet.e2e.test>" % uuid.uuid4().hex,
       "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
open(f, "wb").write(("\r\n".join(hdr + [""] + body.split("\n")) + "\r\n").encode())
EOF
}

# hold_leak TAG: sends a leak from $SENDER, waits until held; sets REC, QID
hold_leak() {
	local want=$(($(pf_queue_count hold) + 1)) v
	msg_write "$E2E_TMP/$1.eml" "briefing $1" "outsider@out.e2e.test" "$LEAK_BODY"
	send_smtp "$E2E_TMP/$1.eml" "$SENDER" outsider@out.e2e.test >/dev/null ||
		e2e_fail "the relay should accept (then hold) $1"
	pf_wait_hold "$want" 30 || e2e_fail "$1 not held"
	QID=$(pf_held_with "$1")
	[ -n "$QID" ] || e2e_fail "$1 is not the message held"
	pf_held_copy "$QID" "$E2E_TMP/$1.held"
	v=$(expect_one_verdict "$E2E_TMP/$1.held" "held; awaiting-confirmation; release=widgets-e2e;") || exit 1
	REC=$(printf '%s' "$v" | sed -n 's/.*record=\([^; ]*\).*/\1/p')
	[ -n "$REC" ] || e2e_fail "verdict lacks record=: $v"
}

# notice_for REC: waits for the sender's notice naming REC; prints its file
notice_for() {
	sink_wait_grep "Reference: $1" 30 || e2e_fail "no notice for record $1 at the sink"
	sink_grep "Reference: $1" | head -n 1
}

# --- embargoctl scan: the same decision, exit 1 ---------------------------------
msg_write "$E2E_TMP/scan.eml" "briefing scan" "outsider@out.e2e.test" "$LEAK_BODY"
"${CTL[@]}" scan -c "$EM_CONF" --json --from "$SENDER" --rcpt outsider@out.e2e.test \
	"$E2E_TMP/scan.eml" >"$E2E_TMP/scan.json"
[ $? = 1 ] || e2e_fail "embargoctl scan should exit 1 for confirm"
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["action"] != "confirm")' \
	"$E2E_TMP/scan.json" || e2e_fail "scan --json action is not confirm: $(head -c 300 "$E2E_TMP/scan.json")"

# --- held, notice -------------------------------------------------------------
hold_leak confirm-tag-n1
REC1=$REC QID1=$QID
e2e_log "held as $QID1, record $REC1"
n=$(notice_for "$REC1")
need() { grep -qF -- "$2" "$1" || e2e_fail "$(basename "$1") lacks '$2'"; }
need "$n" "Reply-To: <$CONFIRM>"
need "$n" "To: <$SENDER>"
need "$n" "Subject: [embargo-milter] held: Widget Production Statistics, e2e test release (widgets-e2e) code "
need "$n" "outsider@out.e2e.test"
need "$n" "Published at:"
for bad in confirm-tag-n1 "Dear colleague" "Do not forward" OFFICIAL-SENSITIVE; do
	! grep -qF -- "$bad" "$n" || e2e_fail "the notice contains '$bad' from the held message"
done
CODE=$(code_of "$n")
[ -n "$CODE" ] || e2e_fail "no code in the notice's subject: $(grep '^Subject' "$n")"
! grep -rqF "$CODE" "$EM_QDIR/index.sqlite" || e2e_fail "the code itself is stored"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select state from confirm_codes where record_id='$REC1'")" = awaiting-confirmation ] ||
	e2e_fail "no awaiting-confirmation code row for $REC1"
"${CTL[@]}" quarantine list -c "$EM_CONF" | grep "$REC1" | grep -q awaiting-confirmation ||
	e2e_fail "quarantine list does not show $REC1 awaiting-confirmation"

# --- another sender with the right code: refused --------------------------------
reply_write "$E2E_TMP/r-other.eml" outsider@out.e2e.test "RE: [embargo-milter] held: x code $CODE" \
	"Please release it, it is fine."
out=$(send_smtp "$E2E_TMP/r-other.eml" outsider@out.e2e.test "$CONFIRM") ||
	e2e_fail "a reply to $CONFIRM should be accepted (then discarded), got: $out"
e2e_wait 15 _audit_has confirm-refused why wrong-sender || e2e_fail "no audit line for the wrong sender"
audit_has confirm-refused record "$REC1" || e2e_fail "the refusal does not name the record"
sink_wait_rcpt outsider@out.e2e.test 30 || e2e_fail "the other sender got no refusal notice"
f=$(sink_files_for outsider@out.e2e.test | head -n 1)
need "$f" "Subject: [embargo-milter] not released"
! grep -qF "$REC1" "$f" || e2e_fail "the refusal tells a stranger the record id"

# --- the sender with a wrong code: refused --------------------------------------
bad=ZZZZ-9999
[ "$bad" != "$CODE" ] || bad=YYYY-8888
reply_write "$E2E_TMP/r-bad.eml" "$SENDER" "RE: [embargo-milter] held: x code $bad" \
	"Needed for the briefing."
send_smtp "$E2E_TMP/r-bad.eml" "$SENDER" "$CONFIRM" >/dev/null || e2e_fail "wrong-code reply refused by SMTP"
e2e_wait 15 _audit_has confirm-refused why unknown-code || e2e_fail "no audit line for the wrong code"
[ "$(pf_queue_count hold)" = 1 ] || e2e_fail "still one held message expected"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select count(*) from requests")" = 0 ] ||
	e2e_fail "a refused reply wrote a request"

# --- the sender, Outlook shape: accepted ----------------------------------------
REASON="Needed for the Minister's briefing at 8am; the HoP agreed on the phone."
reply_write "$E2E_TMP/r-ok.eml" "$SENDER" "RE: [embargo-milter] held: Widget Production Statistics code $CODE" \
	"$REASON

-----Original Message-----
From: Mail relay release check <embargo-notices@relay.e2e.test>
Sent: today
Subject: [embargo-milter] held

Your message has been held: it was not delivered."
out=$(send_smtp "$E2E_TMP/r-ok.eml" "$SENDER" "$CONFIRM") || e2e_fail "the good reply was refused: $out"
e2e_wait 15 _audit_has confirm-request record "$REC1" || e2e_fail "no confirm-request audit line"
audit_has confirm-request reason "$REASON" || e2e_fail "the audit line lacks the justification: $(grep confirm-request "$EM_QDIR/audit.log")"
audit_has confirm-request by "$SENDER" || e2e_fail "the audit line lacks who asked"
sink_wait_rcpt security@stats.e2e.test 30 || e2e_fail "no note to the security mailbox"
need "$(sink_files_for security@stats.e2e.test | head -n 1)" "$REASON"
[ "$(pf_queue_count hold)" = 1 ] || e2e_fail "the message must stay held until the root job runs"
[ -z "$(sink_files_for "$CONFIRM")" ] || e2e_fail "a reply to $CONFIRM was delivered"
[ -z "$(sink_grep confirm-tag-n1)" ] || e2e_fail "released before process-requests"

# --- the root job ----------------------------------------------------------------
"${CTL[@]}" quarantine process-requests -c "$EM_CONF" >"$E2E_TMP/pr1.log" 2>&1 ||
	e2e_fail "process-requests failed: $(cat "$E2E_TMP/pr1.log")"
grep -q "1 done, 0 failed" "$E2E_TMP/pr1.log" || e2e_fail "process-requests: $(cat "$E2E_TMP/pr1.log")"
sink_wait_grep confirm-tag-n1 30 || e2e_fail "the released message did not reach the sink"
f=$(sink_grep confirm-tag-n1 | head -n 1)
python3 "$E2E_DIR/check.py" header "$f" X-Embargo-Milter | grep -q "awaiting-confirmation" ||
	e2e_fail "the delivered copy lacks its verdict header"
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "the hold queue is not empty after release"
audit_has confirm-release reason "$REASON" || e2e_fail "no confirm-release audit line with the reason"
audit_has confirm-release by "$SENDER" || e2e_fail "the release audit line lacks who asked"
"${CTL[@]}" audit -c "$EM_CONF" >"$E2E_TMP/audit.out" 2>&1 || e2e_fail "embargoctl audit failed"
grep -qF "widgets-e2e outsider@out.e2e.test NOT ALLOWED (released from quarantine, record $REC1" \
	"$E2E_TMP/audit.out" || e2e_fail "audit does not count the confirmed release as a receipt: $(tail -n 5 "$E2E_TMP/audit.out")"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select state from records where id='$REC1'")" = released ] ||
	e2e_fail "record $REC1 not marked released"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select state||' '||outcome from requests")" = "done released" ] ||
	e2e_fail "request not done: $(sqlite3 "$EM_QDIR/index.sqlite" "select * from requests")"

# idempotent: a second run does nothing
"${CTL[@]}" quarantine process-requests -c "$EM_CONF" >"$E2E_TMP/pr2.log" 2>&1 ||
	e2e_fail "second process-requests failed: $(cat "$E2E_TMP/pr2.log")"
grep -q "0 done, 0 failed, 0 pending" "$E2E_TMP/pr2.log" || e2e_fail "second run: $(cat "$E2E_TMP/pr2.log")"
[ "$(audit_count confirm-release)" = 1 ] || e2e_fail "expected one confirm-release line"

# the same reply again: the code is spent
send_smtp "$E2E_TMP/r-ok.eml" "$SENDER" "$CONFIRM" >/dev/null || e2e_fail "replayed reply refused by SMTP"
e2e_wait 15 _audit_count_is confirm-refused 3 || e2e_fail "the replayed reply was not refused"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select count(*) from requests")" = 1 ] || e2e_fail "a spent code wrote a request"

# --- mixed recipients: refused at SMTP ------------------------------------------
reply_write "$E2E_TMP/r-mixed.eml" "$SENDER" "RE: code $CODE" "x"
out=$(send_smtp "$E2E_TMP/r-mixed.eml" "$SENDER" "$CONFIRM" outsider@out.e2e.test)
[ $? = 5 ] || e2e_fail "confirm_address with another recipient should be refused, got: $out"

# --- two confirmed messages, two root jobs at once --------------------------------
hold_leak confirm-tag-n2
REC2=$REC
hold_leak confirm-tag-n3
REC3=$REC
for r in "$REC2" "$REC3"; do
	n=$(notice_for "$r")
	c=$(code_of "$n")
	reply_write "$E2E_TMP/r-$r.eml" "$SENDER" "Re: your held message" "Cleared by the HoP.

On Mon, 30 Nov 2026 at 18:00, Mail relay release check wrote:
> To release it: reply to this message, keep the code
>
>     $c"
	send_smtp "$E2E_TMP/r-$r.eml" "$SENDER" "$CONFIRM" >/dev/null || e2e_fail "reply for $r refused"
	e2e_wait 15 _audit_has confirm-request record "$r" || e2e_fail "quoted-code reply for $r not accepted"
done
"${CTL[@]}" quarantine process-requests -c "$EM_CONF" >"$E2E_TMP/pa.log" 2>&1 &
pa=$!
"${CTL[@]}" quarantine process-requests -c "$EM_CONF" >"$E2E_TMP/pb.log" 2>&1 &
pb=$!
wait $pa || e2e_fail "concurrent run A failed: $(cat "$E2E_TMP/pa.log")"
wait $pb || e2e_fail "concurrent run B failed: $(cat "$E2E_TMP/pb.log")"
sink_wait_grep confirm-tag-n2 30 || e2e_fail "n2 not delivered"
sink_wait_grep confirm-tag-n3 30 || e2e_fail "n3 not delivered"
[ "$(audit_count confirm-release)" = 3 ] || e2e_fail "expected 3 confirm-release lines, got $(audit_count confirm-release)"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select count(*) from requests where state='done'")" = 3 ] ||
	e2e_fail "requests: $(sqlite3 "$EM_QDIR/index.sqlite" "select id,state,outcome from requests")"
sleep 2
[ "$(sink_grep confirm-tag-n2 | wc -l)" = 1 ] || e2e_fail "n2 delivered more than once"
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "hold queue not empty"
exit 0
