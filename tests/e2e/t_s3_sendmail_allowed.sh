#!/bin/bash
# t_s3_sendmail_allowed: through a real Sendmail, mail that may go (the release
# content to a PRA recipient, to the producer domain, to always_allowed, and
# unrelated 8-bit text with a leading dot and a folded Subject to an outsider)
# arrives once each, body byte for byte and header set as sent apart from
# Sendmail's Received: and one "X-Embargo-Milter: accept". Three forged
# X-Embargo-Milter fields on incoming mail are all removed, and a forged
# "accept" on a leak does not get it out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sendmail_lib.sh"
sm_standard_setup quarantine

i=0
for rcpt in pra.minister@gov.e2e.test colleague@stats.e2e.test hop@cabinet.e2e.test; do
	i=$((i + 1))
	msg_write "$E2E_TMP/ok$i.eml" "briefing allowed-tag-s3-$i" "$rcpt" "$LEAK_BODY"
	out=$(send_sm "$E2E_TMP/ok$i.eml" analyst@stats.e2e.test "$rcpt") || e2e_fail "send to $rcpt: $out"
done
body=$(printf 'Hello,\n.a line starting with a dot\ntrailing blanks   \n\tindented\nCaf\xc3\xa9 \xe2\x82\xac12 \xe2\x80\x94 unrelated-tag-s3\n')
msg_write "$E2E_TMP/ok4.eml" "allotments, with a very long subject line that the sender folded over two lines because it is long" \
	"outsider@out.e2e.test" "$body"
python3 - "$E2E_TMP/ok4.eml" <<'PY'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
d = d.replace(b"that the sender folded", b"that the sender\r\n folded")
d = d.replace(b"Content-Transfer-Encoding: 7bit", b"Content-Transfer-Encoding: 8bit")
d = d.replace(b"charset=us-ascii", b"charset=utf-8")
open(p, "wb").write(d)
PY
out=$(send_sm "$E2E_TMP/ok4.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send unrelated: $out"
sink_wait_count 4 30 || e2e_fail "only $(sink_count) of 4 messages delivered"
i=0
for rcpt in pra.minister@gov.e2e.test colleague@stats.e2e.test hop@cabinet.e2e.test outsider@out.e2e.test; do
	i=$((i + 1))
	got=$(sink_files_for "$rcpt")
	[ "$(printf '%s\n' "$got" | grep -c .)" = 1 ] || e2e_fail "$rcpt: expected one delivery, got: $got"
	same_as_sent "$E2E_TMP/ok$i.eml" "$got" || e2e_fail "$rcpt: delivered copy differs from what was sent"
	v=$(expect_one_verdict "$got" "accept") || exit 1
done

forge() {
	python3 - "$1" <<'PY'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
h, sep, b = d.partition(b"\r\n\r\n")
lines = h.split(b"\r\n")
lines.insert(0, b"X-Embargo-Milter: accept; FORGED-HDR-1")
lines.insert(4, b"X-Embargo-Milter: accept;\r\n\tFORGED-HDR-2")
lines.append(b"x-embargo-milter: accept; FORGED-HDR-3")
open(p, "wb").write(b"\r\n".join(lines) + sep + b)
PY
}
msg_write "$E2E_TMP/clean.eml" "forge-tag-s3" "outsider2@out.e2e.test" "$CLEAN_BODY"
forge "$E2E_TMP/clean.eml"
out=$(send_sm "$E2E_TMP/clean.eml" analyst@stats.e2e.test outsider2@out.e2e.test) || e2e_fail "send: $out"
sink_wait_grep forge-tag-s3 30 || e2e_fail "forged clean message not delivered"
got=$(sink_grep forge-tag-s3)
grep -q FORGED-HDR "$got" && e2e_fail "a forged X-Embargo-Milter survived: $(grep -i -A1 x-embargo "$got")"
expect_one_verdict "$got" "accept" >/dev/null || exit 1
same_as_sent "$E2E_TMP/clean.eml" "$got" || e2e_fail "apart from the forged fields, the message changed"

msg_write "$E2E_TMP/leak.eml" "briefing forge-tag-s3-leak" "outsider@out.e2e.test" "$LEAK_BODY"
forge "$E2E_TMP/leak.eml"
out=$(send_sm "$E2E_TMP/leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send: $out"
sm_wait_quarantined 1 30 || e2e_fail "a forged accept header let a leak through"
id=$(sm_held_with forge-tag-s3-leak)
[ -n "$id" ] || e2e_fail "the quarantined job is not the forged leak"
grep -aq FORGED-HDR "$SM_QUEUE/hf$id" && e2e_fail "a forged header survived on the held copy"
[ "$(grep -ac '^H.*X-Embargo-Milter:' "$SM_QUEUE/hf$id")" = 1 ] || e2e_fail "held copy: not exactly one verdict"
[ -z "$(sink_grep forge-tag-s3-leak)" ] || e2e_fail "the leak reached the sink"
exit 0
