#!/bin/bash
# t_m_notify: with notify_sender and security_mailbox set, a held message
# makes the milter hand two notices to its `sendmail`: one to the sender
# (null envelope sender, says which release, which recipients, when it is
# published, whom to contact, the record as reference) and one to the
# security mailbox (envelope sender notify_from, the record id). `sendmail`
# is a fake that records argv and stdin under $E2E_TMP/notices and is slow on
# purpose: the SMTP reply must not wait for it. Neither notice carries the
# message's subject, body or matched text; fed back through the relay each
# notice is delivered, not held; the held message stays held. Then a release
# whose title holds a marker and its identifier: the sender's notice goes
# without titles (it would match otherwise), the security mailbox (a producer
# address here) gets the title.
. "$(dirname "$0")/lib.sh"

# fake_sendmail PATH: writes the fake at PATH.
fake_sendmail() {
	cat >"$1" <<EOF
#!/bin/sh
# fake sendmail for t_m_notify: slow, then records argv and stdin
sleep 6
n=\$(date +%s%N).\$\$
printf '%s\n' "\$@" >"$NOTICES/\$n.argv.tmp"
cat >"$NOTICES/\$n.eml"
mv "$NOTICES/\$n.argv.tmp" "$NOTICES/\$n.argv"
EOF
	chmod 755 "$1"
}

# e2e_standard_setup, by its pieces: the fake goes inside $E2E_TMP.
e2e_init
sink_start
NOTICES=$E2E_TMP/notices
mkdir -p "$NOTICES"
fake_sendmail "$E2E_TMP/fake-sendmail"
em_write_config 'notify_sender = true;' \
	'security_mailbox = "security@stats.e2e.test";' \
	'notify_from = "embargo-notices@relay.e2e.test";' \
	"sendmail = \"$E2E_TMP/fake-sendmail\";"
em_write_release widgets widgets-e2e quarantine
# A release whose title holds a marker and its own identifier: a notice
# naming it would itself be stopped, so the milter sends it without titles.
cat >"$EM_RELEASES/gadgets.conf" <<EOF
release = {
  id = "gadgets-e2e";
  title = "OFFICIAL-SENSITIVE Gadget Survey";
  publish_at = "$(em_time 24)";
  identifiers = ( "Gadget Survey" );
  producers = ( "@stats.e2e.test" );
  action = "quarantine";
};
EOF
EM_PORT=$(e2e_free_port)
em_start
em_wait_ready
pf_setup "$EM_SOCKET"
pf_start

notice_count() { ls "$NOTICES"/*.argv 2>/dev/null | wc -l; }
_notices_are() { [ "$(notice_count)" -ge "$1" ]; }

# --- a clean message and an allowed one: no notice -------------------------
msg_write "$E2E_TMP/clean.eml" "allotment notify-tag-m0" "outsider@out.e2e.test" "$CLEAN_BODY"
send_smtp "$E2E_TMP/clean.eml" private.office@cabinet.e2e.test outsider@out.e2e.test >/dev/null ||
	e2e_fail "clean message refused"
sink_wait_grep notify-tag-m0 30 || e2e_fail "clean message not delivered"

# --- the leak ----------------------------------------------------------------
msg_write "$E2E_TMP/leak.eml" "briefing notify-tag-m1" "outsider@out.e2e.test" "$LEAK_BODY"
t0=$(date +%s%N)
out=$(send_smtp "$E2E_TMP/leak.eml" private.office@cabinet.e2e.test outsider@out.e2e.test) ||
	e2e_fail "the relay should accept (then hold) the message, got: $out"
ms=$((($(date +%s%N) - t0) / 1000000))
e2e_log "held message answered in ${ms} ms"
# the fake sleeps 6 s before it even reads its input: waiting for it would show
[ "$ms" -lt 5000 ] || e2e_fail "the SMTP reply took ${ms} ms: the milter waited for sendmail"

pf_wait_hold 1 30 || e2e_fail "no message in the hold queue"
id=$(pf_held_with notify-tag-m1)
[ -n "$id" ] || e2e_fail "the leaking message is not the one held"
pf_held_copy "$id" "$E2E_TMP/held.eml"
v=$(expect_one_verdict "$E2E_TMP/held.eml" "quarantined;") || exit 1
rec=$(printf '%s' "$v" | sed -n 's/.*record=\([^; ]*\).*/\1/p')
[ -n "$rec" ] || e2e_fail "verdict lacks record=: $v"

e2e_wait 30 _notices_are 2 || e2e_fail "expected 2 notices, got $(notice_count); log: $(grep -i notice "$E2E_TMP/milter.log" | tail -n 3)"
sleep 1
[ "$(notice_count)" = 2 ] || e2e_fail "expected exactly 2 notices (the clean message must not make one), got $(notice_count)"

sender_n="" security_n=""
for a in "$NOTICES"/*.argv; do
	case "$(tail -n 1 "$a")" in
	private.office@cabinet.e2e.test) sender_n=${a%.argv} ;;
	security@stats.e2e.test) security_n=${a%.argv} ;;
	*) e2e_fail "a notice to an unexpected recipient: $(tr '\n' ' ' <"$a")" ;;
	esac
done
[ -n "$sender_n" ] || e2e_fail "no notice to the sender"
[ -n "$security_n" ] || e2e_fail "no notice to the security mailbox"

# argv: -i -f FROM -- RCPT (null sender for the sender notice: no bounce loop)
want=$(printf '%s\n' -i -f '<>' -- private.office@cabinet.e2e.test)
[ "$(cat "$sender_n.argv")" = "$want" ] || e2e_fail "sender notice argv: $(tr '\n' ' ' <"$sender_n.argv")"
want=$(printf '%s\n' -i -f embargo-notices@relay.e2e.test -- security@stats.e2e.test)
[ "$(cat "$security_n.argv")" = "$want" ] || e2e_fail "security notice argv: $(tr '\n' ' ' <"$security_n.argv")"

need() { # need FILE TEXT: FILE contains TEXT (fixed string)
	grep -qF -- "$2" "$1" || e2e_fail "$(basename "$1") lacks '$2'"
}
for f in "$sender_n.eml" "$security_n.eml"; do
	need "$f" "Auto-Submitted: auto-generated"
	need "$f" "X-Embargo-Milter: notice"
	need "$f" "Content-Type: text/plain; charset=utf-8"
	need "$f" "From: Mail relay release check <embargo-notices@relay.e2e.test>"
	need "$f" "Widget Production Statistics, e2e test release (widgets-e2e)"
	need "$f" "outsider@out.e2e.test"
	need "$f" "Published at:"
	# nothing of the message itself: subject tag, marker, body text
	for bad in notify-tag-m1 OFFICIAL-SENSITIVE "Dear colleague" "ahead of publication" "Do not forward"; do
		! grep -qiF -- "$bad" "$f" || e2e_fail "$(basename "$f") contains '$bad' from the message"
	done
done
need "$sender_n.eml" "To: <private.office@cabinet.e2e.test>"
need "$sender_n.eml" "has been held for review"
need "$sender_n.eml" "Contact: the Head of Profession office, hop@stats.e2e.test"
need "$sender_n.eml" "Reference: $rec"
need "$security_n.eml" "To: <security@stats.e2e.test>"
need "$security_n.eml" "Subject: Held for review: release widgets-e2e, record $rec"
need "$security_n.eml" "Record:        $rec"
need "$security_n.eml" "Sender:        private.office@cabinet.e2e.test"
grep -q "sender notice to private.office@cabinet.e2e.test handed to" "$E2E_TMP/milter.log" ||
	e2e_fail "no log line for the sender notice"

# Fed back through the relay (as the real sendmail would), each notice is
# delivered, not held: it carries nothing that matches.
send_local "$sender_n.eml" "" private.office@cabinet.e2e.test ||
	e2e_fail "sendmail refused the sender notice"
send_local "$security_n.eml" embargo-notices@relay.e2e.test security@stats.e2e.test ||
	e2e_fail "sendmail refused the security notice"
sink_wait_rcpt private.office@cabinet.e2e.test 30 || e2e_fail "the sender notice was not delivered"
sink_wait_rcpt security@stats.e2e.test 30 || e2e_fail "the security notice was not delivered"
for r in private.office@cabinet.e2e.test security@stats.e2e.test; do
	f=$(sink_files_for "$r" | head -n 1)
	expect_one_verdict "$f" "accept" >/dev/null || exit 1
done

# The held message is still held, and it alone; nothing of it went out.
[ "$(pf_queue_count hold)" = 1 ] || e2e_fail "expected 1 held message, got $(pf_queue_count hold)"
[ -n "$(pf_held_with notify-tag-m1)" ] || e2e_fail "the leaking message is no longer held"
[ "$(em_record_count)" = 1 ] || e2e_fail "expected 1 quarantine record, got $(em_record_count)"
[ -z "$(sink_grep notify-tag-m1)" ] || e2e_fail "the leaking message reached the sink"

# --- a release whose title would make its own notice match ------------------
mkdir "$E2E_TMP/first" && mv "$NOTICES"/* "$E2E_TMP/first/"
msg_write "$E2E_TMP/leak2.eml" "survey notify-tag-m2" "outsider@out.e2e.test" \
	"OFFICIAL-SENSITIVE: the Gadget Survey results, before publication."
send_smtp "$E2E_TMP/leak2.eml" private.office@cabinet.e2e.test outsider@out.e2e.test >/dev/null ||
	e2e_fail "the relay should accept (then hold) the second message"
pf_wait_hold 2 30 || e2e_fail "the second message was not held"
e2e_wait 30 _notices_are 2 || e2e_fail "expected 2 notices for the second message, got $(notice_count)"
for a in "$NOTICES"/*.argv; do
	case "$(tail -n 1 "$a")" in
	private.office@cabinet.e2e.test)
		# to someone the release is not for: id only, no title
		need "${a%.argv}.eml" "Release:       gadgets-e2e"
		! grep -qiF "Gadget Survey" "${a%.argv}.eml" || e2e_fail "the sender notice names the title that matches"
		grep -q "sender notice to private.office@cabinet.e2e.test handed to .* (without release titles)" \
			"$E2E_TMP/milter.log" || e2e_fail "no log line for the title-less sender notice"
		send_local "${a%.argv}.eml" "" private.office@cabinet.e2e.test ||
			e2e_fail "sendmail refused the title-less notice"
		;;
	security@stats.e2e.test)
		# the security mailbox is in the producers' domain: the title may go
		need "${a%.argv}.eml" "OFFICIAL-SENSITIVE Gadget Survey (gadgets-e2e)" ;;
	*) e2e_fail "a notice to an unexpected recipient: $(tr '\n' ' ' <"$a")" ;;
	esac
done
sink_wait_grep "Release:       gadgets-e2e" 30 || e2e_fail "the title-less sender notice was not delivered"
[ "$(pf_queue_count hold)" = 2 ] || e2e_fail "expected 2 held messages, got $(pf_queue_count hold)"
exit 0
