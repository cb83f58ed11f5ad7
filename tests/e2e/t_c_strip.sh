#!/bin/bash
# t_c_strip: a release whose action is "strip": of one PRA recipient and one
# outsider, only the PRA recipient gets the message, marked
# "X-Embargo-Milter: stripped; release=...; removed=1" with the removed address
# in X-Embargo-Milter-Removed. The outsider gets nothing, nothing is held.
. "$(dirname "$0")/lib.sh"
e2e_standard_setup strip

msg_write "$E2E_TMP/leak.eml" "briefing strip-tag-c1" "pra.minister@gov.e2e.test, outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/leak.eml" analyst@stats.e2e.test pra.minister@gov.e2e.test outsider@out.e2e.test) ||
	e2e_fail "send: $out"
sink_wait_grep strip-tag-c1 30 || e2e_fail "nothing delivered"
sleep 2
files=$(sink_grep strip-tag-c1)
[ "$(printf '%s\n' "$files" | grep -c .)" = 1 ] || e2e_fail "expected one delivery, got: $files"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1]));
sys.exit(m["rcpt_to"] != ["pra.minister@gov.e2e.test"])' "${files%.eml}.json" ||
	e2e_fail "delivered to the wrong recipients: $(cat "${files%.eml}.json")"
[ -z "$(sink_files_for outsider@out.e2e.test)" ] || e2e_fail "the outsider received it"

v=$(expect_one_verdict "$files" "stripped;") || exit 1
case "$v" in *"release=widgets-e2e"*) ;; *) e2e_fail "no release=widgets-e2e in: $v" ;; esac
case "$v" in *"removed=1"*) ;; *) e2e_fail "no removed=1 in: $v" ;; esac
removed=$(hdr "$files" X-Embargo-Milter-Removed)
case "$removed" in *outsider@out.e2e.test*) ;; *) e2e_fail "X-Embargo-Milter-Removed: '$removed'" ;; esac
case "$removed" in *pra.minister*) e2e_fail "the PRA recipient is listed as removed: $removed" ;; esac
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "a stripped message was also held"

# Nobody left after stripping: quarantine instead.
msg_write "$E2E_TMP/leak2.eml" "briefing strip-tag-c2" "outsider@out.e2e.test" "$LEAK_BODY"
out=$(send_smtp "$E2E_TMP/leak2.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
pf_wait_hold 1 30 || e2e_fail "with nobody left, the message should be held"
[ -n "$(pf_held_with strip-tag-c2)" ] || e2e_fail "the held message is not strip-tag-c2"
[ -z "$(sink_grep strip-tag-c2)" ] || e2e_fail "strip-tag-c2 reached the sink"
exit 0
