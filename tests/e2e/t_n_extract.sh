#!/bin/bash
# t_n_extract: formats read by the sandboxed extractor, through the real
# Postfix: a PDF, a Word 97-2003 .doc, a TNEF winmail.dat carrying a .doc and
# a .tar.gz carrying a .docx, each sent to an outsider, are held. A PDF that
# never finishes and a bzip2 bomb end unreadable within their limits (4xx);
# while the PDF is being worked on, a clean message is delivered at once (one
# message's extraction delays no other), and the daemon stays up and still
# holds a leak afterwards. Fixtures: tests/extract (made with real tools).
. "$(dirname "$0")/lib.sh"
CASES=$(cd "$(dirname "$0")/../extract/cases" && pwd)
[ -x "$BUILD/embargo-extract" ] || e2e_skip "$BUILD/embargo-extract not built"
EM_REL_IDENTIFIER="Fostering in England"
EM_REL_CONTENT="fostering households (fell|rose) by [0-9.]+ ?%"
e2e_standard_setup quarantine 'extract = { timeout_seconds = 6; cpu_seconds = 5; output_mb = 16; };'
grep -q "extraction sandbox: " "$E2E_TMP/milter.log" || e2e_fail "no sandbox line in the log"
e2e_log "$(grep -m1 'extraction sandbox' "$E2E_TMP/milter.log")"

n=0
for c in pdf-leak doc-leak tnef-doc tar-gz-docx; do
	out=$(send_smtp "$CASES/$c.eml" analyst@stats.e2e.test outsider@out.e2e.test) ||
		e2e_fail "$c: the relay should accept (then hold) it, got: $out"
	n=$((n + 1))
	pf_wait_hold "$n" 60 || e2e_fail "$c: not held ($(pf_queue_count hold) held)"
	[ -n "$(pf_held_with "$c@extract")" ] || e2e_fail "$c: the held message is not $c"
done
[ -z "$(sink_files_for outsider@out.e2e.test)" ] || e2e_fail "a leak reached the outsider"

# The never-ending PDF, and meanwhile an ordinary message.
send_smtp "$CASES/hostile-loop-pdf.eml" analyst@stats.e2e.test outsider@out.e2e.test >"$E2E_TMP/loop.out" &
loop_pid=$!
sleep 1
msg_write "$E2E_TMP/clean.eml" "lunch clean-tag-n1" "colleague@out.e2e.test" "Lunch on Friday?"
out=$(send_smtp "$E2E_TMP/clean.eml" analyst@stats.e2e.test colleague@out.e2e.test) || e2e_fail "clean: $out"
sink_wait_grep clean-tag-n1 30 || e2e_fail "the clean message was not delivered"
kill -0 "$loop_pid" 2>/dev/null || e2e_log "note: the PDF finished before the clean message was delivered"
wait "$loop_pid"
loop=$(cat "$E2E_TMP/loop.out")
case "$loop" in 4*) ;; *) e2e_fail "the never-ending PDF should be deferred (4xx), got: $loop" ;; esac

out=$(send_smtp "$CASES/hostile-bomb-bz2.eml" analyst@stats.e2e.test outsider@out.e2e.test)
case "$out" in 4*) ;; *) e2e_fail "the bzip2 bomb should be deferred (4xx), got: $out" ;; esac

kill -0 "$EM_PID" 2>/dev/null || e2e_fail "the daemon died"
out=$(send_smtp "$CASES/ppt-leak.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "after: $out"
pf_wait_hold 5 60 || e2e_fail "after the hostile files, a leak was not held"
grep -q "time limit\|CPU limit\|output limit" "$E2E_TMP/milter.log" "$EM_QDIR/audit.log" 2>/dev/null ||
	e2e_log "note: the limit reason is not in the log files (it is in the verdict notes)"

# The pre-forked extractor (extract.prefork, the default) killed with SIGKILL:
# the next attachments still get their verdict and a new server is started.
grep -q "extraction server started" "$E2E_TMP/milter.log" || e2e_fail "no pre-forked extraction server was started"
srv=""
for p in $(pgrep -x embargo-extract); do
	pp=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null) || continue
	[ "$(cat "/proc/$pp/comm" 2>/dev/null)" = embargo-extract ] && continue # a job child
	a=$p
	for _ in 1 2 3 4 5 6 7 8; do
		a=$(awk '{print $4}' "/proc/$a/stat" 2>/dev/null) || break
		[ "$a" = "$EM_PID" ] && { srv=$p; break; }
		[ "${a:-0}" -le 1 ] && break
	done
	[ -n "$srv" ] && break
done
[ -n "$srv" ] || e2e_fail "the daemon's extraction server process was not found"
kill -9 "$srv"
for c in pdf-leak doc-leak; do
	out=$(send_smtp "$CASES/$c.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "$c after kill -9: $out"
done
pf_wait_hold 7 60 || e2e_fail "after the extraction server was killed, a leak was not held ($(pf_queue_count hold) held)"
[ "$(grep -c "extraction server started" "$E2E_TMP/milter.log")" -ge 2 ] ||
	e2e_fail "no new extraction server after kill -9"
kill -0 "$EM_PID" 2>/dev/null || e2e_fail "the daemon died"
exit 0
