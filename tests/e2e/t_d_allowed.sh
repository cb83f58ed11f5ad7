#!/bin/bash
# t_d_allowed: mail that may go is delivered unchanged apart from our verdict
# header: the release content to a PRA recipient, to a colleague in the
# producer domain, to an always_allowed address, and unrelated mail (8-bit
# text, a leading dot, long folded header) to an outsider. Each arrives once,
# for exactly its recipient, body byte for byte and header set equal to what
# was sent (minus the relay's Received:), with one "X-Embargo-Milter: accept".
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine

i=0
for rcpt in pra.minister@gov.e2e.test colleague@stats.e2e.test hop@cabinet.e2e.test; do
	i=$((i + 1))
	msg_write "$E2E_TMP/ok$i.eml" "briefing allowed-tag-d$i" "$rcpt" "$LEAK_BODY"
	out=$(send_smtp "$E2E_TMP/ok$i.eml" analyst@stats.e2e.test "$rcpt") || e2e_fail "send to $rcpt: $out"
done
body=$(printf 'Hello,\n.a line starting with a dot\ntrailing blanks   \n\tindented\nCaf\xc3\xa9 \xe2\x82\xac12 \xe2\x80\x94 unrelated-tag-d4\n')
msg_write "$E2E_TMP/ok4.eml" "allotments, with a very long subject line that the sender folded over two lines because it is long" \
	"outsider@out.e2e.test" "$body"
# Fold the Subject and declare 8bit, as a real client would.
python3 - "$E2E_TMP/ok4.eml" <<'PY'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
d = d.replace(b"that the sender folded", b"that the sender\r\n folded")
d = d.replace(b"Content-Transfer-Encoding: 7bit", b"Content-Transfer-Encoding: 8bit")
d = d.replace(b"charset=us-ascii", b"charset=utf-8")
open(p, "wb").write(d)
PY
out=$(send_smtp "$E2E_TMP/ok4.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send unrelated: $out"

sink_wait_count 4 30 || e2e_fail "only $(sink_count) of 4 messages delivered"
i=0
for rcpt in pra.minister@gov.e2e.test colleague@stats.e2e.test hop@cabinet.e2e.test outsider@out.e2e.test; do
	i=$((i + 1))
	got=$(sink_files_for "$rcpt")
	[ "$(printf '%s\n' "$got" | grep -c .)" = 1 ] || e2e_fail "$rcpt: expected one delivery, got: $got"
	same_as_sent "$E2E_TMP/ok$i.eml" "$got" || e2e_fail "$rcpt: delivered copy differs from what was sent"
	v=$(expect_one_verdict "$got" "accept") || exit 1
	e2e_log "$rcpt: X-Embargo-Milter: $v"
done
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "something was held"
exit 0
