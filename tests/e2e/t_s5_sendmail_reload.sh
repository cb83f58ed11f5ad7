#!/bin/bash
# t_s5_sendmail_reload: reload under load through a real Sendmail. Two SMTP
# clients send 45 messages (every third leaks the release) while the daemon
# gets SIGHUP five times, once with a broken release file (old rules kept,
# error logged with FILE:LINE). Afterwards every leak sits in Sendmail's
# quarantine, every clean message was delivered once, none was lost.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sendmail_lib.sh"
sm_standard_setup quarantine
TOTAL=45

mkdir -p "$E2E_TMP/r"
# One python process writes the messages, one per client sends them (each
# retried on 4xx for up to 60 s): python start-up is slow on a loaded host.
python3 - "$E2E_TMP/r" "$TOTAL" "$LEAK_BODY" "$CLEAN_BODY" <<'PY'
import sys, os
d, total, leak, clean = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
for i in range(1, total + 1):
    body = leak if i % 3 == 0 else clean
    msg = ("From: Analyst <analyst@stats.e2e.test>\nTo: outsider@out.e2e.test\n"
           "Subject: reload-tag-s5-%d\nDate: Mon, 2 Jan 2023 09:00:00 +0000\n"
           "Message-ID: <reload-%d@stats.e2e.test>\nMIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=us-ascii\n\n%s\nreload-tag-s5-%d.\n") % (i, i, body, i)
    open(os.path.join(d, "%d.eml" % i), "w").write(msg.replace("\n", "\r\n"))
PY
for half in 0 1; do
	python3 - "$E2E_DIR" "$SM_PORT" "$E2E_TMP/r" "$TOTAL" "$half" >"$E2E_TMP/r.results.$half" <<'PY' &
import sys, time, smtplib
sys.path.insert(0, sys.argv[1])
from send import send_once
port, d, total, half = int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
for i in range(1 + half, total + 1, 2):
    data = open("%s/%d.eml" % (d, i), "rb").read()
    deadline = time.monotonic() + 60
    while True:
        try:
            code, text = send_once(port, data, "analyst@stats.e2e.test", ["outsider@out.e2e.test"])
        except (smtplib.SMTPException, OSError) as e:
            code, text = 0, str(e).encode()
        if code // 100 == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    print(i, code, text.decode("utf-8", "replace"), flush=True)
PY
	E2E_PIDS+=("$!")
	BG[$half]=$!
done
cp "$EM_RELEASES/widgets.conf" "$E2E_TMP/widgets.good"
for k in 1 2 3 4 5; do
	sleep 1
	if [ $k = 3 ]; then
		printf 'release = {\n  id = "widgets-e2e";\n  publish_at = ;\n};\n' >"$EM_RELEASES/widgets.conf"
	else
		cp "$E2E_TMP/widgets.good" "$EM_RELEASES/widgets.conf"
	fi
	kill -HUP "$EM_PID"
done
e2e_wait 180 e2e_pid_gone "${BG[0]}" || e2e_fail "client 0 did not finish"
e2e_wait 180 e2e_pid_gone "${BG[1]}" || e2e_fail "client 1 did not finish"
grep -q 'widgets\.conf:[0-9]' "$E2E_TMP/milter.log" || e2e_fail "the broken reload was not logged with FILE:LINE"
kill -0 "$EM_PID" || e2e_fail "the daemon died"
cat "$E2E_TMP"/r.results.* >"$E2E_TMP/r.results"
bad=$(grep -v '^[0-9]* 250 ' "$E2E_TMP/r.results")
[ -z "$bad" ] || e2e_fail "not accepted in the end: $bad"
leaks=$((TOTAL / 3))
sm_wait_quarantined "$leaks" 60 || e2e_fail "only $(sm_quarantined_ids | grep -c .) of $leaks leaks quarantined"
sink_wait_count $((TOTAL - leaks)) 60 || e2e_fail "only $(sink_count) of $((TOTAL - leaks)) clean messages delivered"
# Each message where it belongs, exactly once (one pass over sink and queue).
python3 - "$SINK_DIR" "$SM_QUEUE" "$TOTAL" <<'PY' || e2e_fail "a message is not where it belongs"
import glob, os, re, sys
sink, queue, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
tag = re.compile(rb"reload-tag-s5-(\d+)\.")
def tags(files):
    seen = {}
    for f in files:
        for m in set(tag.findall(open(f, "rb").read())):
            seen[int(m)] = seen.get(int(m), 0) + 1
    return seen
d = tags(glob.glob(sink + "/*.eml"))
h = tags(glob.glob(queue + "/df*"))
bad = 0
for i in range(1, total + 1):
    want_d, want_h = (0, 1) if i % 3 == 0 else (1, 0)
    if d.get(i, 0) != want_d or h.get(i, 0) != want_h:
        print("message %d: delivered %d, held %d" % (i, d.get(i, 0), h.get(i, 0)), file=sys.stderr)
        bad += 1
sys.exit(bad != 0)
PY
e2e_log "$TOTAL sent, $(sink_count) delivered, $(sm_quarantined_ids | grep -c .) quarantined, 5 reloads"
exit 0
