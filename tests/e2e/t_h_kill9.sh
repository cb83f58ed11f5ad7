#!/bin/bash
# t_h_kill9: the daemon is killed with SIGKILL while 200 messages are being
# sent (180 by SMTP from 4 parallel clients, 20 by the sendmail command;
# every 4th one leaks the release to an outsider). Meanwhile Postfix
# tempfails (milter_default_action = tempfail): SMTP clients get 4xx and
# retry, local submissions wait in the maildrop. After the daemon is
# restarted and the queue flushed, every message is accounted for: each
# leaking one is held, each clean one delivered, none lost.
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine
TOTAL=200

mkdir -p "$E2E_TMP/h"
python3 - "$E2E_TMP/h" "$TOTAL" "$LEAK_BODY" "$CLEAN_BODY" <<'PY'
import sys, os
d, total, leak, clean = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
for i in range(1, total + 1):
    tag = "kill-tag-%03d" % i
    body = (leak if i % 4 == 0 else clean) + "\n" + tag + "\n"
    kind = "local" if i % 10 == 5 else "smtp"
    msg = ("From: Analyst <analyst@stats.e2e.test>\nTo: outsider@out.e2e.test\n"
           "Subject: %s\nDate: Mon, 2 Jan 2023 09:00:00 +0000\nMessage-ID: <%s@stats.e2e.test>\n"
           "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n%s") % (tag, tag, body)
    open(os.path.join(d, "%s.%s" % (tag, kind)), "w").write(msg.replace("\n", "\r\n"))
PY

# SMTP clients: 4 threads, each message retried on 4xx until accepted (or
# the 180 s deadline); one "TAG CODE TEMPFAILS" line per message.
python3 - "$PF_PORT" "$E2E_TMP/h" "$E2E_TMP/h.results" <<'PY' &
import glob, os, smtplib, sys, threading, time
port, d, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
files = sorted(glob.glob(d + "/*.smtp"))
lock = threading.Lock()
deadline = time.monotonic() + 180
def send(path):
    data = open(path, "rb").read()
    tag = os.path.basename(path).split(".")[0]
    tempfails, code = 0, 0
    while time.monotonic() < deadline:
        try:
            s = smtplib.SMTP("127.0.0.1", port, timeout=60)
            try:
                s.sendmail("analyst@stats.e2e.test", ["outsider@out.e2e.test"], data)
                code = 250
            finally:
                try: s.quit()
                except Exception: s.close()
        except smtplib.SMTPResponseException as e:
            code = e.smtp_code
        except smtplib.SMTPRecipientsRefused as e:
            code = list(e.recipients.values())[0][0]
        except (smtplib.SMTPException, OSError):
            code = 0
        if code == 250 or code // 100 == 5:
            break
        tempfails += 1
        time.sleep(0.3)
    with lock:
        with open(out, "a") as f:
            f.write("%s %d %d\n" % (tag, code, tempfails))
def worker(k):
    for p in files[k::4]:
        send(p)
ts = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
PY
SENDER=$!
E2E_PIDS+=("$SENDER")
(
	for f in "$E2E_TMP"/h/*.local; do
		sendmail -C "$PF_CONF" -f analyst@stats.e2e.test outsider@out.e2e.test <"$f"
		sleep 0.1
	done
) &
LOCAL=$!
E2E_PIDS+=("$LOCAL")

# Kill the daemon once about 40 messages have been answered.
_answered() { [ "$(cat "$E2E_TMP/h.results" 2>/dev/null | wc -l)" -ge 40 ]; }
e2e_wait 60 _answered || e2e_fail "sending stalled before the kill"
kill -KILL "$EM_PID"
wait "$EM_PID" 2>/dev/null
e2e_log "killed the daemon after $(wc -l <"$E2E_TMP/h.results") answers"
sleep 3
em_start
em_wait_ready
e2e_log "restarted the daemon"

e2e_wait 200 e2e_pid_gone "$SENDER" || e2e_fail "SMTP senders did not finish"
e2e_wait 60 e2e_pid_gone "$LOCAL" || e2e_fail "local submissions did not finish"
pf_flush
pf_wait_settled 120 || e2e_fail "queue did not settle: $(pf_queue_count) queued, $(pf_queue_count hold) held"
sleep 2

smtp_n=$(wc -l <"$E2E_TMP/h.results")
bad=$(awk '$2 != 250' "$E2E_TMP/h.results")
[ -z "$bad" ] || e2e_fail "SMTP messages not accepted in the end: $bad"
tempfails=$(awk '{ n += $3 } END { print n + 0 }' "$E2E_TMP/h.results")
e2e_log "SMTP: $smtp_n answered, $tempfails tempfail replies while the daemon was down"
[ "$tempfails" -gt 0 ] || e2e_fail "no tempfail seen: was the daemon really down during the run?"

: >"$E2E_TMP/h.delivered"
for f in "$SINK_DIR"/*.eml; do
	[ -e "$f" ] && grep -o 'kill-tag-[0-9]*' "$f" | head -n 1 >>"$E2E_TMP/h.delivered"
done
: >"$E2E_TMP/h.held"
for id in $(pf_hold_ids); do
	postcat -c "$PF_CONF" -b -q "$id" 2>/dev/null | grep -o 'kill-tag-[0-9]*' | head -n 1 >>"$E2E_TMP/h.held"
done
python3 - "$TOTAL" "$E2E_TMP/h.delivered" "$E2E_TMP/h.held" <<'PY' || e2e_fail "accounting failed (see above)"
import collections, sys
total = int(sys.argv[1])
delivered = collections.Counter(open(sys.argv[2]).read().split())
held = collections.Counter(open(sys.argv[3]).read().split())
ok = True
lost, wrong = [], []
for i in range(1, total + 1):
    tag = "kill-tag-%03d" % i
    leak = i % 4 == 0
    if not delivered[tag] and not held[tag]:
        lost.append(tag)
    if leak and delivered[tag]:
        wrong.append(tag + " (leak delivered)")
    if not leak and held[tag]:
        wrong.append(tag + " (clean held)")
dups = [t for t, n in list(delivered.items()) + list(held.items()) if n > 1]
print("  delivered %d, held %d, lost %d, duplicates %d"
      % (len(delivered), len(held), len(lost), len(dups)))
if lost:
    print("  lost: " + " ".join(lost)); ok = False
if wrong:
    print("  wrong: " + " ".join(wrong)); ok = False
if dups:
    print("  note: duplicated (tolerated, SMTP is at-least-once): " + " ".join(dups))
sys.exit(0 if ok else 1)
PY
exit 0
