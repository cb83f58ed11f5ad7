#!/bin/bash
# t_q_retention_rotate: upkeep of the quarantine (issue 9 point 9), through
# the real Postfix and the real logrotate with the shipped
# packaging/logrotate/embargo-milter (only its path and `su` line adapted to
# this instance).
#  - Three leaks A, B, C are held; the audit log is rotated after A and after
#    B (delaycompress: A ends up in audit.log.2.gz, B in audit.log.1, C in
#    audit.log). `embargoctl audit --json` reads all three files, oldest
#    first, and nothing written by the daemon after a rotation is lost.
#  - Retention: A is released (postsuper -H), B deleted, C stays held; the
#    release is then published 100 days ago (config and index). With
#    quarantine_retention_days = 90, `quarantine expire --dry-run` names A
#    and B and changes nothing; `quarantine expire` removes their .eml/.json,
#    marks the rows expired (list --json "expired"), writes an "expire" audit
#    line for each, keeps the held C and says so; a second run expires
#    nothing; quarantine_retention_days = 0 keeps everything.
. "$(dirname "$0")/lib.sh"
command -v logrotate >/dev/null || { echo "SKIP: logrotate not installed"; exit 77; }
e2e_standard_setup quarantine 'quarantine_retention_days = 90;'
CTL=("$BUILD/embargoctl")
export EMBARGO_POSTFIX_CONFIG=$PF_CONF

# the shipped logrotate file, pointed at this instance
sed -e "s|/var/lib/embargo-milter/quarantine/audit.log|$EM_QDIR/audit.log|" \
	-e 's|^\([[:space:]]*\)su embargo-milter embargo-milter|\1su root root|' \
	"$E2E_DIR/../../packaging/logrotate/embargo-milter" >"$E2E_TMP/logrotate.conf"
grep -q "$EM_QDIR/audit.log" "$E2E_TMP/logrotate.conf" || e2e_fail "logrotate file not adapted"
rotate() { logrotate -f -s "$E2E_TMP/logrotate.state" "$E2E_TMP/logrotate.conf" ||
	e2e_fail "logrotate failed"; }

leak() { # TAG: sends one leak, waits until it is held, prints its record id
	msg_write "$E2E_TMP/$1.eml" "briefing $1" "outsider@out.e2e.test" "$LEAK_BODY"
	send_smtp "$E2E_TMP/$1.eml" analyst@stats.e2e.test outsider@out.e2e.test >/dev/null ||
		e2e_fail "send $1"
	e2e_wait 30 _held_tag "$1" || e2e_fail "$1 was not held"
	sqlite3 "$EM_QDIR/index.sqlite" "select id from records where subject like '%$1%'"
}
_held_tag() { [ -n "$(pf_held_with "$1")" ] && [ -n "$(sqlite3 "$EM_QDIR/index.sqlite" \
	"select id from records where subject like '%$1%'" 2>/dev/null)" ]; }

A=$(leak rr-tag-a)
rotate
B=$(leak rr-tag-b)
rotate
C=$(leak rr-tag-c)
[ -n "$A" ] && [ -n "$B" ] && [ -n "$C" ] || e2e_fail "records: A=$A B=$B C=$C"
[ -f "$EM_QDIR/audit.log.2.gz" ] && [ -f "$EM_QDIR/audit.log.1" ] && [ -f "$EM_QDIR/audit.log" ] ||
	e2e_fail "rotation did not make audit.log.2.gz/.1: $(ls "$EM_QDIR")"
gzip -dc "$EM_QDIR/audit.log.2.gz" | grep -q "$A" || e2e_fail "A is not in audit.log.2.gz"

"${CTL[@]}" audit -c "$EM_CONF" --json >"$E2E_TMP/audit.json" || e2e_fail "embargoctl audit"
python3 - "$E2E_TMP/audit.json" "$A" "$B" "$C" <<'PY' || e2e_fail "audit over rotated logs: $(cat "$E2E_TMP/audit.json" | head -40)"
import json, sys
doc = json.load(open(sys.argv[1]))
recs = [e.get("record") for e in doc["entries"] if e.get("record") in sys.argv[2:]]
sys.exit(0 if recs == sys.argv[2:] else 1)
PY

# --- retention -----------------------------------------------------------------
"${CTL[@]}" quarantine release -c "$EM_CONF" "$A" >/dev/null 2>&1 || e2e_fail "release $A"
"${CTL[@]}" quarantine delete -c "$EM_CONF" "$B" >/dev/null 2>&1 || e2e_fail "delete $B"
past=$(em_time $((-100 * 24)))
em_write_release widgets widgets-e2e quarantine
sed -i -e "s|publish_at = \"[^\"]*\"|publish_at = \"$past\"|" -e '/pre_release_from/d' \
	"$EM_RELEASES/widgets.conf"
grep -q "$past" "$EM_RELEASES/widgets.conf" || e2e_fail "could not move publication into the past"
sqlite3 "$EM_QDIR/index.sqlite" "update records set publish_at = strftime('%s','now') - 100*86400"

"${CTL[@]}" quarantine expire --dry-run -c "$EM_CONF" >"$E2E_TMP/dry.out" 2>&1 || e2e_fail "expire --dry-run: $(cat "$E2E_TMP/dry.out")"
grep -q "$A (released) would expire" "$E2E_TMP/dry.out" && grep -q "$B (deleted) would expire" "$E2E_TMP/dry.out" ||
	e2e_fail "dry run: $(cat "$E2E_TMP/dry.out")"
[ -f "$EM_QDIR/msg/$A.json" ] || e2e_fail "the dry run removed a file"
[ "$(sqlite3 "$EM_QDIR/index.sqlite" "select count(*) from records where expired_at is not null")" = 0 ] ||
	e2e_fail "the dry run marked rows"

"${CTL[@]}" quarantine expire -c "$EM_CONF" >"$E2E_TMP/exp.out" 2>&1 || e2e_fail "expire: $(cat "$E2E_TMP/exp.out")"
grep -q "2 record(s) expired, 1 held past retention kept" "$E2E_TMP/exp.out" || e2e_fail "expire: $(cat "$E2E_TMP/exp.out")"
grep -q "$C is still held" "$E2E_TMP/exp.out" || e2e_fail "expire does not name the held record"
for r in "$A" "$B"; do
	[ ! -e "$EM_QDIR/msg/$r.eml" ] && [ ! -e "$EM_QDIR/msg/$r.json" ] || e2e_fail "$r files remain"
done
[ -f "$EM_QDIR/msg/$C.eml" ] && [ -f "$EM_QDIR/msg/$C.json" ] || e2e_fail "the held record lost its files"
"${CTL[@]}" quarantine list -c "$EM_CONF" --json >"$E2E_TMP/list.json" || e2e_fail "list --json"
python3 - "$E2E_TMP/list.json" "$A" "$B" "$C" <<'PY' || e2e_fail "list after expire: $(cat "$E2E_TMP/list.json")"
import json, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))}
a, b, c = (rows[x] for x in sys.argv[2:5])
sys.exit(0 if a["expired"] and b["expired"] and c["expired"] is None and c["state"] == "held" else 1)
PY
n=$(grep -c '"event":"expire"' "$EM_QDIR/audit.log")
[ "$n" = 2 ] || e2e_fail "wanted 2 expire audit lines, got $n"
"${CTL[@]}" quarantine show -c "$EM_CONF" "$A" >"$E2E_TMP/show.out" 2>&1 || e2e_fail "show of an expired record"
grep -q "^Expired:" "$E2E_TMP/show.out" || e2e_fail "show does not say expired: $(head "$E2E_TMP/show.out")"

"${CTL[@]}" quarantine expire -c "$EM_CONF" >"$E2E_TMP/exp2.out" 2>&1 || e2e_fail "second expire"
grep -q "0 record(s) expired" "$E2E_TMP/exp2.out" || e2e_fail "second expire: $(cat "$E2E_TMP/exp2.out")"

sed -i 's/quarantine_retention_days = 90;/quarantine_retention_days = 0;/' "$EM_CONF"
"${CTL[@]}" quarantine expire -c "$EM_CONF" >"$E2E_TMP/exp3.out" 2>&1 || e2e_fail "expire with 0"
grep -q "kept for ever" "$E2E_TMP/exp3.out" || e2e_fail "retention 0: $(cat "$E2E_TMP/exp3.out")"
exit 0
