#!/bin/bash
# t_n_calendar_postponed: a release linked to the release calendar
# (calendar_uid) is postponed in the calendar file while the daemon runs; no
# reload, no edit of the rule. After the rule's own publish_at has passed, a
# leak is still held, because the calendar's later time applies; a second
# release with the same publish_at but no calendar link is public by then (its
# leak is delivered), which shows the clock really passed publish_at.
# The daemon has no clock injection: times are relative to now (publication
# about 40 s after the start of the test).
. "$(dirname "$0")/lib.sh"
e2e_init
sink_start

now=$(date +%s)
PUB=$((now + 40))
utc() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
ics() { date -u -d "@$1" +%Y%m%dT%H%M%SZ; }

em_write_config 'calendar = "calendar.ics";'
write_release() { # NAME ID IDENTIFIER [EXTRA]
	{
		echo 'release = {'
		echo "  id = \"$2\"; title = \"$3, e2e\";"
		echo "  publish_at = \"$(utc "$PUB")\";"
		echo "  identifiers = ( \"$3\" );"
		echo '  producers = ( "@stats.e2e.test" );'
		echo '  action = "quarantine";'
		[ -n "${4:-}" ] && echo "  $4"
		echo '};'
	} >"$EM_RELEASES/$1.conf"
}
write_release widgets widgets-e2e "Widget Production Statistics" 'calendar_uid = "widgets-e2e@stats.e2e.test"; after_publication = "release";'
write_release gadgets gadgets-e2e "Gadget Output Figures"
# write_calendar START: the calendar as a department exports it (folded SUMMARY).
write_calendar() {
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//e2e//calendar//EN\r\nBEGIN:VEVENT\r\nUID:widgets-e2e@stats.e2e.test\r\nDTSTAMP:%s\r\nDTSTART:%s\r\nSUMMARY:Widget Production Statistics\\, e2e test release (official\r\n  statistics)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' \
		"$(ics "$now")" "$(ics "$1")" >"$EM_DIR/calendar.ics.new"
	mv "$EM_DIR/calendar.ics.new" "$EM_DIR/calendar.ics"
}
write_calendar "$PUB"

EM_PORT=$(e2e_free_port)
em_start
em_wait_ready
pf_setup "$EM_SOCKET"
pf_start
[ "$(date +%s)" -lt $((PUB - 5)) ] || e2e_fail "set-up took too long: publication time already near"

# Before publication: held (the calendar agrees with the rule).
msg_write "$E2E_TMP/before.eml" "briefing cal-before" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/before.eml" analyst@stats.e2e.test outsider@out.e2e.test) ||
	e2e_fail "send before publication: $out"
_held_before() { [ -n "$(pf_held_with cal-before)" ]; }
e2e_wait 30 _held_before || e2e_fail "the leak before publication was not held"

# The release is postponed by a day in the calendar file; the daemon is not told.
write_calendar $((PUB + 86400))
e2e_log "calendar postponed to $(utc $((PUB + 86400))); waiting for the old publication time $(utc "$PUB")"
_past_pub() { [ "$(date +%s)" -ge $((PUB + 2)) ]; }
e2e_wait 90 _past_pub || e2e_fail "clock did not pass the publication time"

GADGET_BODY='OFFICIAL-SENSITIVE

Gadget Output Figures attached, ahead of publication.
'
msg_write "$E2E_TMP/widgets.eml" "briefing cal-after-old-time" "outsider@out.e2e.test" "$LEAK_BODY"
msg_write "$E2E_TMP/gadgets.eml" "briefing cal-control" "outsider@out.e2e.test" "$GADGET_BODY"
out=$(send_smtp "$E2E_TMP/widgets.eml" analyst@stats.e2e.test outsider@out.e2e.test) ||
	e2e_fail "send after the old publication time: $out"
out=$(send_smtp "$E2E_TMP/gadgets.eml" analyst@stats.e2e.test outsider@out.e2e.test) ||
	e2e_fail "send of the control: $out"

sink_wait_grep cal-control 30 || e2e_fail "the control release (not postponed, published) was not delivered"
_held_after() { [ -n "$(pf_held_with cal-after-old-time)" ]; }
e2e_wait 30 _held_after || e2e_fail "the postponed release's leak after the old publication time was NOT held"
[ -z "$(sink_grep cal-after-old-time)" ] || e2e_fail "the postponed release leaked to the sink"

# The held record carries the calendar's time, and the daemon said why.
grep -q 'postponed in the release calendar' "$EM_QDIR"/msg/*.json ||
	e2e_fail "the record does not note the postponement"
grep -q "calendar .*calendar.ics read" "$E2E_TMP/milter.log" || e2e_fail "the daemon did not log reading the calendar"
e2e_log "held after the old publication time; control delivered"

# release-due (after_publication = "release") after the old time: the message
# held before the postponement recorded the old time, but the calendar's
# later time applies, so it stays held (red team round 3: it was released).
"$BUILD/embargoctl" quarantine release-due -c "$EM_CONF" >"$E2E_TMP/due.out" 2>&1 ||
	e2e_fail "release-due: $(cat "$E2E_TMP/due.out")"
grep -q "0 record(s) released" "$E2E_TMP/due.out" || e2e_fail "release-due released a postponed release's mail: $(cat "$E2E_TMP/due.out")"
[ -n "$(pf_held_with cal-before)" ] || e2e_fail "the mail held before the postponement is no longer held"
sleep 2
[ -z "$(sink_grep cal-before)" ] || e2e_fail "the mail held before the postponement leaked to the sink"
exit 0
