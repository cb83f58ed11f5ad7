#!/bin/bash
# t_i_reload: SIGHUP reloads the rules. While leaking messages keep arriving,
# the release file is replaced by a broken one and the daemon gets SIGHUP: it
# logs the error (naming the file) and keeps the old rules, so leaks sent
# after that reload are still held. Then the file is fixed (now a different
# release, "gadgets-e2e") and SIGHUP again: the new rules apply (a gadgets
# leak is held under the new release id; the old widgets text now goes out).
# No message sent during all this is lost.
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine

# Background traffic: a widgets leak every 0.2 s until told to stop.
(
	n=0
	while [ ! -e "$E2E_TMP/stop-traffic" ] && [ $n -lt 300 ]; do
		n=$((n + 1))
		msg_write "$E2E_TMP/bg.eml" "bg-tag-$n" "outsider@out.e2e.test" "$LEAK_BODY"
		echo "bg-tag-$n $(python3 "$E2E_DIR/send.py" --port "$PF_PORT" --retry 60 \
			--file "$E2E_TMP/bg.eml" --from analyst@stats.e2e.test outsider@out.e2e.test)" \
			>>"$E2E_TMP/bg.results"
		sleep 0.2
	done
) &
BG=$!
E2E_PIDS+=("$BG")
_bg_started() { [ -f "$E2E_TMP/bg.results" ] && [ "$(wc -l <"$E2E_TMP/bg.results")" -ge 3 ]; }
e2e_wait 60 _bg_started || e2e_fail "background traffic did not start"

# 1. A broken release file and SIGHUP: logged, old rules kept.
cp "$EM_RELEASES/widgets.conf" "$E2E_TMP/widgets.conf.good"
printf 'release = {\n  id = "widgets-e2e";\n  title = "broken"\n  publish_at = ;\n};\n' \
	>"$EM_RELEASES/widgets.conf"
loglines=$(wc -l <"$E2E_TMP/milter.log")
kill -HUP "$EM_PID"
_logged_error() { tail -n +"$((loglines + 1))" "$E2E_TMP/milter.log" | grep -q 'widgets\.conf:[0-9]'; }
e2e_wait 15 _logged_error || e2e_fail "the failed reload was not logged with widgets.conf:LINE"
e2e_log "logged: $(tail -n +"$((loglines + 1))" "$E2E_TMP/milter.log" | grep -m1 'widgets\.conf:[0-9]')"
kill -0 "$EM_PID" 2>/dev/null || e2e_fail "the daemon died on a bad reload"
for n in 1 2 3; do
	msg_write "$E2E_TMP/after$n.eml" "briefing after-bad-reload-$n" "outsider@out.e2e.test" "$LEAK_BODY"
	out=$(send_smtp "$E2E_TMP/after$n.eml" analyst@stats.e2e.test outsider@out.e2e.test) ||
		e2e_fail "send after the bad reload: $out"
done
_held_after_bad() { [ -n "$(pf_held_with after-bad-reload-3)" ]; }
e2e_wait 30 _held_after_bad || e2e_fail "after a failed reload, leaks are no longer held"
for n in 1 2; do
	[ -n "$(pf_held_with after-bad-reload-$n)" ] || e2e_fail "after-bad-reload-$n not held"
done

# 2. A good file (a different release) and SIGHUP: new rules apply.
sed -e 's/widgets-e2e/gadgets-e2e/' -e 's/Widget Production Statistics/Gadget Output Figures/' \
	"$E2E_TMP/widgets.conf.good" >"$EM_RELEASES/widgets.conf"
touch "$E2E_TMP/stop-traffic"
e2e_wait 90 e2e_pid_gone "$BG" || e2e_fail "background traffic did not stop"
kill -HUP "$EM_PID"
# Probe until the new release is in force (bounded).
probe=0
_new_rules() {
	probe=$((probe + 1))
	msg_write "$E2E_TMP/probe.eml" "probe-tag-$probe" "outsider@out.e2e.test" \
		"OFFICIAL-SENSITIVE: Gadget Output Figures, before publication."
	send_smtp "$E2E_TMP/probe.eml" analyst@stats.e2e.test outsider@out.e2e.test >/dev/null
	e2e_wait 10 _probe_done "probe-tag-$probe"
	[ -n "$(pf_held_with "probe-tag-$probe")" ]
}
_probe_done() { [ -n "$(pf_held_with "$1")$(sink_grep "$1")" ]; }
e2e_wait 30 _new_rules || e2e_fail "the new release never applied after the second SIGHUP"
id=$(pf_held_with "probe-tag-$probe")
pf_held_copy "$id" "$E2E_TMP/probe-held.eml"
v=$(expect_one_verdict "$E2E_TMP/probe-held.eml" "quarantined;") || exit 1
case "$v" in *release=gadgets-e2e*) ;; *) e2e_fail "held under the wrong release: $v" ;; esac
msg_write "$E2E_TMP/old.eml" "old-rules-tag" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/old.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
sink_wait_grep old-rules-tag 30 || e2e_fail "the removed release still blocks after the reload"

# 3. Background traffic: every message accepted, every one held (all of it
# was sent before the good reload), none at the sink.
pf_wait_settled 60 || e2e_fail "queue did not settle"
bad=$(grep -v ' 250 ' "$E2E_TMP/bg.results")
[ -z "$bad" ] || e2e_fail "background messages not accepted: $bad"
total=$(wc -l <"$E2E_TMP/bg.results")
held=0
for id in $(pf_hold_ids); do
	postcat -c "$PF_CONF" -h -q "$id" 2>/dev/null | grep -q '^Subject: bg-tag-' && held=$((held + 1))
done
e2e_log "background: $total sent, $held held"
[ "$held" = "$total" ] || e2e_fail "background: $total sent but $held held"
[ -z "$(sink_grep 'Subject: bg-tag-')" ] || e2e_fail "a background leak reached the sink"
exit 0
