#!/bin/bash
# soak.sh BUILD - the soak benchmark: SOAK_MSGS messages (default 200,000)
# through a throw-away Postfix (tests/e2e/lib.sh) with BUILD/embargo-milter as
# its milter, while the daemon is reloaded (SIGHUP) every SOAK_HUP seconds
# (default 10) and killed once with SIGKILL (at half the messages) and
# restarted. Every message carries a unique tag (soak-NNNNNNN) in its Subject
# so each one is accounted for at the end: delivered to the sink (smtp-sink
# dump file), in Postfix's hold queue, or still queued.
#
# The mix (message i = 1..N): i % 50 == 0 leaks the test release to a non-PRA
# recipient (marker + identifier as plain text, base64, quoted-printable with
# a soft break inside the marker, or the content pattern alone, in turn):
# expected held. i % 50 == 25 is the same leak sent to the PRA recipient:
# expected delivered. Every other message is clean (plain text, multipart
# with a base64 CSV attachment, or quoted-printable HTML): expected delivered.
# Before the run each kind is checked with `embargoctl scan` against the same
# config, so the expectations are the engine's, not assumed.
#
# Senders: SOAK_SESSIONS processes (default 8), each its own SMTP session of
# up to 100 messages; any reply other than 250 (4xx while the daemon is down,
# a dropped connection) closes the session and the message is retried every
# 0.3 s for up to SOAK_RETRY seconds (default 300).
#
# Reports: sent (accepted by Postfix), delivered, held, tempfailed-then-
# delivered (saw at least one 4xx or dropped session, then made it), still
# queued, lost (accepted but nowhere: must be 0), leaked (held expected but
# delivered: must be 0), wrongly held (clean mail held), duplicates
# (tolerated: SMTP is at-least-once), refused (the sender gave up), reloads,
# and the daemon's VmRSS at start, before the kill, after the restart, at the
# end (and the range sampled at each reload). Exit 1 when lost, leaked,
# wrongly held, refused or still queued is not 0, or the daemon died.
#
# Environment: SOAK_MSGS, SOAK_SESSIONS, SOAK_HUP, SOAK_RETRY, SOAK_TIMEOUT
# (seconds for all messages to be answered; default 600 + N/40), SOAK_DRAIN
# (seconds for the queue to drain afterwards; default 300), E2E_KEEP=1 keeps
# the temp dir.
# shellcheck disable=SC2034 # EM_PORT, PF_EXTRA... are read by lib.sh
set -u
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
export BUILD
. "$(cd "$(dirname "$0")/../e2e" && pwd)/lib.sh"

N=${SOAK_MSGS:-200000}
SESSIONS=${SOAK_SESSIONS:-8}
HUP_EVERY=${SOAK_HUP:-10}
RETRY=${SOAK_RETRY:-300}
TIMEOUT=${SOAK_TIMEOUT:-$((600 + N / 40))}
DRAIN=${SOAK_DRAIN:-300}
command -v smtp-sink >/dev/null || { echo "soak: smtp-sink not found (package postfix)"; exit 1; }
[ -x "$BUILD/embargo-milter" ] || { echo "soak: $BUILD/embargo-milter not built"; exit 1; }
[ -x "$BUILD/embargoctl" ] || { echo "soak: $BUILD/embargoctl not built"; exit 1; }

e2e_init
S=$E2E_TMP/soak
mkdir -p "$S/results" "$S/samples"

rss() { awk '/^VmRSS/ { print $2 " kB" }' "/proc/$1/status" 2>/dev/null || echo "gone"; }
started_count() { grep -c 'started:' "$E2E_TMP/milter.log" 2>/dev/null || true; }

# --- the message generator and the sender (one python file) -----------------
cat >"$S/soak.py" <<'PY'
"""Message kinds, sample writer and multi-process sender for soak.sh."""
import base64, glob, multiprocessing, os, re, smtplib, sys, time

FROM = "analyst@stats.e2e.test"
OUTSIDER = "outsider@out.e2e.test"
PRA = "pra.minister@gov.e2e.test"
READER = "reader@out.e2e.test"
LEAK_TEXT = ("OFFICIAL-SENSITIVE\r\n\r\nDear colleague,\r\n\r\nPlease find the briefing on "
             "Widget Production Statistics ahead of publication.\r\nDo not forward.\r\n")
CONTENT_TEXT = ("Hi,\r\n\r\nHeadline for the minister's box: widget output fell by 4.2 %"
                " on the year.\r\n\r\nThanks\r\n")
CLEAN_TEXT = ("Hello,\r\n\r\nMinutes of the allotment society meeting are below. The marrow\r\n"
              "competition is on Saturday; bring your own trestle table.\r\n\r\n"
              + "Item %d: the hedges along the north path need cutting back again.\r\n" * 12)


def kind_of(i):
    """(kind, recipient, expected) of message i: expected 'held' or 'delivered'."""
    if i % 50 == 0:
        return (("leak-plain", "leak-b64", "leak-qp", "leak-content")[(i // 50) % 4],
                OUTSIDER, "held")
    if i % 50 == 25:
        return "pra-leak", PRA, "delivered"
    r = i % 10
    if r <= 6:
        return "clean-plain", READER, "delivered"
    if r <= 8:
        return "clean-attach", READER, "delivered"
    return "clean-html", READER, "delivered"


def b64(s):
    raw = base64.b64encode(s.encode())
    return b"\r\n".join(raw[k:k + 76] for k in range(0, len(raw), 76)).decode() + "\r\n"


def message(i):
    kind, rcpt, _ = kind_of(i)
    tag = "soak-%07d" % i
    head = ("From: Analyst <%s>\r\nTo: %s\r\nSubject: %s weekly notes\r\n"
            "Date: Mon, 2 Jan 2023 09:00:00 +0000\r\nMessage-ID: <%s@stats.e2e.test>\r\n"
            "MIME-Version: 1.0\r\n" % (FROM, rcpt, tag, tag))
    clean = CLEAN_TEXT % tuple(range(1, 13))
    if kind in ("leak-plain", "pra-leak"):
        m = head + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + LEAK_TEXT
    elif kind == "leak-content":
        m = head + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + CONTENT_TEXT
    elif kind == "leak-b64":
        m = (head + "Content-Type: text/plain; charset=utf-8\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n" + b64(LEAK_TEXT))
    elif kind == "leak-qp":
        body = LEAK_TEXT.replace("OFFICIAL-SENSITIVE", "OFFICIAL-SENS=\r\nITIVE", 1)
        m = (head + "Content-Type: text/plain; charset=us-ascii\r\n"
             "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body)
    elif kind == "clean-plain":
        m = head + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + clean
    elif kind == "clean-attach":
        csv = "plot,holder,rent\r\n" + "".join("%d,member %d,%d.50\r\n" % (k, k, 10 + k)
                                                for k in range(1, 60))
        m = (head + 'Content-Type: multipart/mixed; boundary="=_b_%s"\r\n\r\n'
             "--=_b_%s\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n%s"
             "--=_b_%s\r\nContent-Type: text/csv; name=\"plots.csv\"\r\n"
             "Content-Disposition: attachment; filename=\"plots.csv\"\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n%s--=_b_%s--\r\n"
             % (tag, tag, clean, tag, b64(csv), tag))
    else:  # clean-html
        html = ("<html><body><p>Hello,</p><p>The allotment society meets on Saturday; the "
                "marrow competition =E2=80=93 bring a trestle table.</p>" + "<p>Item</p>" * 20
                + "</body></html>")
        m = (head + "Content-Type: text/html; charset=utf-8\r\n"
             "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + html + "\r\n")
    return rcpt, m.encode()


def samples(d):
    """Writes one sample per kind: d/KIND.eml and d/KIND.meta (rcpt expected)."""
    seen = set()
    for i in range(1, 1001):
        kind, rcpt, expected = kind_of(i)
        if kind in seen:
            continue
        seen.add(kind)
        open(os.path.join(d, kind + ".eml"), "wb").write(message(i)[1])
        open(os.path.join(d, kind + ".meta"), "w").write("%s %s\n" % (rcpt, expected))


def worker(port, n, k, nproc, retry, outdir):
    out = open(os.path.join(outdir, "r%02d" % k), "a", buffering=1)
    s, used = None, 0
    for i in range(k + 1, n + 1, nproc):
        rcpt, data = message(i)
        tempfails, code = 0, 0
        deadline = time.monotonic() + retry
        while True:
            try:
                if s is None or used >= 100:
                    if s is not None:
                        try:
                            s.quit()
                        except Exception:
                            s.close()
                    s, used = None, 0
                    s = smtplib.SMTP("127.0.0.1", port, local_hostname="client.soak.test",
                                     timeout=120)
                used += 1
                s.sendmail(FROM, [rcpt], data)
                code = 250
            except smtplib.SMTPResponseException as e:
                code = e.smtp_code
            except smtplib.SMTPRecipientsRefused as e:
                code = list(e.recipients.values())[0][0]
            except (smtplib.SMTPException, OSError):
                code = 0
            if code == 250:
                break
            # a failed transaction: start again in a fresh session (the old
            # one may stay tempfailed for good after the daemon died)
            if s is not None:
                try:
                    s.close()
                except Exception:
                    pass
            s = None
            if code // 100 == 5 or time.monotonic() >= deadline:
                break
            tempfails += 1
            time.sleep(0.3)
        out.write("soak-%07d %d %d\n" % (i, code, tempfails))
    if s is not None:
        try:
            s.quit()
        except Exception:
            s.close()


def send(port, n, nproc, retry, outdir):
    ps = [multiprocessing.Process(target=worker, args=(port, n, k, nproc, retry, outdir))
          for k in range(nproc)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()


TAG = re.compile(rb"Subject: (soak-\d{7})")


def tags_in_dump(path):
    """Tags of the messages in an smtp-sink dump file (one per Subject line)."""
    tags = []
    try:
        with open(path, "rb") as f:
            for line in f:
                if line.startswith(b"Subject: soak-"):
                    tags.append(line[9:21].decode())
    except FileNotFoundError:
        pass
    return tags


def tags_in_queue(qdir, names):
    """Tags of the queue files under qdir/NAME for each NAME (Postfix queue files
    hold header lines as records, so the Subject text is there verbatim)."""
    tags = []
    for name in names:
        for p in glob.glob(os.path.join(qdir, name, "**"), recursive=True):
            if not os.path.isfile(p):
                continue
            try:
                m = TAG.search(open(p, "rb").read())
            except OSError:
                continue
            tags.append(m.group(1).decode() if m else "untagged")
    return tags


def account(n, resdir, dump, qdir, counters):
    import collections
    expected = {}
    for i in range(1, n + 1):
        expected["soak-%07d" % i] = kind_of(i)[2]
    answers = {}
    for p in glob.glob(os.path.join(resdir, "r*")):
        for line in open(p):
            tag, code, tf = line.split()
            answers[tag] = (int(code), int(tf))
    delivered = collections.Counter(tags_in_dump(dump))
    held = collections.Counter(tags_in_queue(qdir, ["hold"]))
    queued = collections.Counter(tags_in_queue(qdir, ["incoming", "active", "deferred",
                                                      "maildrop"]))
    sent = [t for t, (c, _) in answers.items() if c == 250]
    refused = [t for t in expected if answers.get(t, (0, 0))[0] != 250]
    lost = [t for t in sent if not delivered[t] and not held[t] and not queued[t]]
    leaked = [t for t in delivered if expected.get(t) == "held"]
    wrongly_held = [t for t in held if expected.get(t) == "delivered"]
    unknown = [t for t in list(delivered) + list(held) if t not in expected]
    tf_ok = [t for t in sent if answers[t][1] > 0 and (delivered[t] or held[t])]
    dups = sum(c - 1 for c in delivered.values() if c > 1) + sum(c - 1 for c in held.values()
                                                                 if c > 1)
    exp_held = sum(1 for v in expected.values() if v == "held")
    r = collections.OrderedDict()
    r["messages"] = n
    r["sent"] = len(sent)
    r["delivered"] = len(delivered)
    r["held"] = len(held)
    r["held_expected"] = exp_held
    r["tempfailed_then_delivered"] = len(tf_ok)
    r["tempfail_replies"] = sum(tf for _, tf in answers.values())
    r["still_queued"] = sum(queued.values())
    r["lost"] = len(lost)
    r["leaked"] = len(leaked)
    r["wrongly_held"] = len(wrongly_held)
    r["refused"] = len(refused)
    r["duplicates"] = dups
    r["unknown"] = len(unknown)
    with open(counters, "w") as f:
        for k, v in r.items():
            f.write("%s %d\n" % (k, v))
    for name, lst in (("lost", lost), ("leaked", leaked), ("wrongly held", wrongly_held),
                      ("refused", refused), ("unknown", unknown)):
        if lst:
            print("soak: %s: %s%s" % (name, " ".join(sorted(lst)[:20]),
                                      " ..." if len(lst) > 20 else ""))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "samples":
        samples(sys.argv[2])
    elif cmd == "send":
        send(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]),
             sys.argv[6])
    elif cmd == "account":
        account(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6])
PY

# --- milter config, and the engine's view of each message kind ---------------
em_write_config
em_write_release widgets widgets-e2e quarantine
python3 "$S/soak.py" samples "$S/samples" || e2e_fail "cannot write the samples"
for eml in "$S"/samples/*.eml; do
	kind=$(basename "$eml" .eml)
	read -r rcpt expected <"${eml%.eml}.meta"
	"$BUILD/embargoctl" scan -c "$EM_CONF" --from analyst@stats.e2e.test --rcpt "$rcpt" \
		"$eml" >"$S/samples/$kind.scan" 2>&1
	code=$?
	want=0
	[ "$expected" = held ] && want=1
	[ "$code" = "$want" ] ||
		e2e_fail "sample $kind: embargoctl scan exit $code, expected $want: $(head -n 3 "$S/samples/$kind.scan")"
done
echo "soak: $N messages, $SESSIONS sending sessions, SIGHUP every ${HUP_EVERY}s, one kill -9 at $((N / 2))"

# --- sink, daemon, Postfix ----------------------------------------------------
SINK_PORT=$(e2e_free_port) || e2e_fail "no free port"
mkdir -p "$S/sink"
chown postfix "$S/sink"
smtp-sink -u postfix -4 -D "$S/sink/dump" "127.0.0.1:$SINK_PORT" 256 >"$S/sink.out" 2>&1 &
E2E_PIDS+=("$!")
e2e_wait 10 e2e_port_open "$SINK_PORT" || e2e_fail "smtp-sink did not start"

EM_PORT=$(e2e_free_port) || e2e_fail "no free port"
em_start
em_wait_ready 60
e2e_wait 30 test "$(started_count)" -ge 1 || e2e_fail "the daemon did not log 'started:'"
echo "$EM_PID" >"$S/em.pid"
RSS_START=$(rss "$EM_PID")

PF_EXTRA="in_flow_delay = 0
default_process_limit = 200
smtpd_client_connection_count_limit = 0
smtp_destination_concurrency_limit = 20"
pf_setup "$EM_SOCKET"
pf_start

# --- reloads: SIGHUP every HUP_EVERY s, switching an extra release in and out
# so each reload really changes the rule set; skipped while the daemon is
# being restarted (a HUP before its handler is installed would kill it).
# Each reload samples the daemon's VmRSS.
cat >"$EM_DIR/extra.conf.off" <<EOF
release = {
  id = "extra-soak";
  title = "An unrelated release switched in and out by the soak reloads";
  publish_at = "$(em_time 48)";
  identifiers = ( "Gadget Output Figures" );
  producers = ( "@stats.e2e.test" );
  action = "quarantine";
};
EOF
(
	n=0
	while [ ! -e "$S/stop" ]; do
		sleep "$HUP_EVERY"
		[ -e "$S/stop" ] && break
		[ -e "$S/restarting" ] && continue
		if [ -e "$EM_RELEASES/extra.conf" ]; then
			rm -f "$EM_RELEASES/extra.conf"
		else
			cp "$EM_DIR/extra.conf.off" "$EM_RELEASES/extra.conf"
		fi
		pid=$(cat "$S/em.pid")
		kill -HUP "$pid" 2>/dev/null && n=$((n + 1))
		echo "$n $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" >>"$S/hups"
	done
) &
HUPPER=$!
E2E_PIDS+=("$HUPPER")

# --- send ----------------------------------------------------------------------
answered() { cat "$S"/results/r* 2>/dev/null | wc -l; }
T0=$(date +%s)
python3 "$S/soak.py" send "$PF_PORT" "$N" "$SESSIONS" "$RETRY" "$S/results" \
	>"$S/send.out" 2>&1 &
SENDER=$!
E2E_PIDS+=("$SENDER")

# The kill: once half the messages are answered.
_half() { [ "$(answered)" -ge $((N / 2)) ] || e2e_pid_gone "$SENDER"; }
e2e_wait "$TIMEOUT" _half || e2e_fail "sending stalled before half ($(answered) answered)"
touch "$S/restarting"
RSS_BEFORE_KILL=$(rss "$EM_PID")
kill -KILL "$EM_PID"
wait "$EM_PID" 2>/dev/null
KILLED_AT=$(answered)
echo "soak: killed the daemon (VmRSS $RSS_BEFORE_KILL) after $KILLED_AT answers"
sleep 3
em_start
em_wait_ready 60
e2e_wait 30 test "$(started_count)" -ge 2 || e2e_fail "the restarted daemon did not log 'started:'"
echo "$EM_PID" >"$S/em.pid"
rm -f "$S/restarting"
RSS_RESTART=$(rss "$EM_PID")
echo "soak: restarted the daemon (VmRSS $RSS_RESTART)"

e2e_wait "$TIMEOUT" e2e_pid_gone "$SENDER" ||
	e2e_fail "senders still running after ${TIMEOUT}s ($(answered) answered)"
wait "$SENDER" 2>/dev/null
T1=$(date +%s)
touch "$S/stop"
echo "soak: all $N answered in $((T1 - T0))s; draining the queue"

# --- drain ---------------------------------------------------------------------
queue_empty() {
	[ -z "$(find "$PF_QUEUE/incoming" "$PF_QUEUE/active" "$PF_QUEUE/deferred" \
		"$PF_QUEUE/maildrop" -type f 2>/dev/null | head -n 1)" ]
}
pf_flush
e2e_wait "$DRAIN" queue_empty || echo "soak: queue not empty after ${DRAIN}s"
sleep 1
e2e_wait 60 e2e_pid_gone "$HUPPER"
RSS_END=$(rss "$EM_PID")
alive=1
kill -0 "$EM_PID" 2>/dev/null || alive=0
# a stable snapshot of the queue for the count
postfix -c "$PF_CONF" stop >/dev/null 2>&1

# --- count ---------------------------------------------------------------------
python3 "$S/soak.py" account "$N" "$S/results" "$S/sink/dump" "$PF_QUEUE" "$S/counters" ||
	e2e_fail "accounting failed"
declare -A C
while read -r k v; do C[$k]=$v; done <"$S/counters"
reloads=$(grep -c 'reloaded ' "$E2E_TMP/milter.log" || true)
reload_fail=$(grep -c 'reload of .* failed' "$E2E_TMP/milter.log" || true)
hups=$(tail -n 1 "$S/hups" 2>/dev/null | awk '{ print $1 }')
rss_range=$(awk '$2 != "" { if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2 }
	END { if (min != "") printf "%s-%s kB", min, max; else print "n/a" }' "$S/hups" 2>/dev/null ||
	echo n/a)

cat <<EOF
soak: results ($N messages, $((T1 - T0)) s to answer all, $(python3 -c "print('%.0f' % ($N / max(1, $T1 - $T0)))") msg/s)
  sent (accepted by Postfix)    ${C[sent]}
  delivered (at the sink)       ${C[delivered]}
  held (hold queue)             ${C[held]} (expected ${C[held_expected]})
  tempfailed, then delivered    ${C[tempfailed_then_delivered]} (${C[tempfail_replies]} 4xx/dropped replies)
  still queued                  ${C[still_queued]}
  lost                          ${C[lost]}
  leaked                        ${C[leaked]}
  wrongly held (clean)          ${C[wrongly_held]}
  refused (sender gave up)      ${C[refused]}
  duplicates (tolerated)        ${C[duplicates]}
  reloads                       ${hups:-0} SIGHUPs, $reloads reloads logged, $reload_fail failed
  kill -9                       1, after $KILLED_AT answers
  daemon VmRSS                  start $RSS_START, before kill $RSS_BEFORE_KILL, after restart $RSS_RESTART, end $RSS_END (at reloads: $rss_range)
EOF

failed=0
for k in lost leaked wrongly_held refused still_queued unknown; do
	[ "${C[$k]}" = 0 ] || { echo "soak: FAIL: $k = ${C[$k]}"; failed=1; }
done
[ $alive = 1 ] || { echo "soak: FAIL: the daemon died"; failed=1; }
[ "$reload_fail" = 0 ] || { echo "soak: FAIL: $reload_fail reloads failed"; failed=1; }
# (a short run may see no reload: the restart window skips them)
[ "${hups:-0}" -ge 1 ] && [ "$reloads" -ge 1 ] || [ $((T1 - T0)) -lt $((3 * HUP_EVERY)) ] ||
	{ echo "soak: FAIL: no reload happened"; failed=1; }
[ $failed = 0 ] && echo "soak: PASS"
exit $failed
