#!/bin/bash
# t_f_chunk_boundary: libmilter hands the body over in chunks of about 64 KB
# (Postfix: 65535 bytes). A marker written across that boundary must still be
# found: "OFFICIAL-SENSITIVE" is placed across body byte 65536 (so it spans
# both 65535 and 65536), and in a second message across byte 131072; the
# identifier is at the top of the body, and nothing else in the filler
# matches. Both are held; a third message with the same filler and no marker
# (the control) is delivered.
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine

# mkbody FILE TAG OFFSET|none: body of CRLF lines, marker starting at
# OFFSET - 9 bytes into the body (as the milter sees it: CRLF line ends).
mkbody() {
	python3 - "$@" <<'PY'
import sys
path, tag, where = sys.argv[1], sys.argv[2], sys.argv[3]
head = ("Dear colleague,\r\n\r\nBriefing on Widget Production Statistics (%s).\r\n\r\n" % tag).encode()
marker = b"OFFICIAL-SENSITIVE"
filler_line = b"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod\r\n"
body = bytearray(head)
if where != "none":
    start = int(where) - len(marker) // 2
    while len(body) + len(filler_line) <= start - 30:
        body += filler_line
    body += b"x" * (start - 1 - len(body)) + b" "   # pad the marker's line up to start
    body += marker + b" tempor incididunt\r\n"
    assert body.find(marker) == start and start < int(where) < start + len(marker)
while len(body) < 200000:
    body += filler_line
body += b"Regards\r\n"
hdr = ("From: Analyst <analyst@stats.e2e.test>\r\nTo: outsider@out.e2e.test\r\n"
       "Subject: chunk test %s\r\nDate: Mon, 2 Jan 2023 09:00:00 +0000\r\n"
       "Message-ID: <%s@stats.e2e.test>\r\nMIME-Version: 1.0\r\n"
       "Content-Type: text/plain; charset=us-ascii\r\n\r\n" % (tag, tag)).encode()
open(path, "wb").write(hdr + bytes(body))
PY
}
mkbody "$E2E_TMP/f1.eml" chunk-tag-f1 65536
mkbody "$E2E_TMP/f2.eml" chunk-tag-f2 131072
mkbody "$E2E_TMP/f3.eml" chunk-tag-f3 none
for n in 1 2 3; do
	out=$(send_smtp "$E2E_TMP/f$n.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send f$n: $out"
done
pf_wait_hold 2 30 || e2e_fail "hold queue has $(pf_queue_count hold) of 2 messages"
[ -n "$(pf_held_with chunk-tag-f1)" ] || e2e_fail "marker across byte 65536 was missed"
[ -n "$(pf_held_with chunk-tag-f2)" ] || e2e_fail "marker across byte 131072 was missed"
sink_wait_grep chunk-tag-f3 30 || e2e_fail "the control message (no marker) was not delivered"
[ -z "$(sink_grep chunk-tag-f1)$(sink_grep chunk-tag-f2)" ] || e2e_fail "a marked message reached the sink"
same_as_sent "$E2E_TMP/f3.eml" "$(sink_grep chunk-tag-f3)" || e2e_fail "the control message changed"
exit 0
