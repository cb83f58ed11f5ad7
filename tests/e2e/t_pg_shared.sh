#!/bin/bash
# t_pg_shared: two relays (two throw-away Postfix instances, each with its own
# embargo-milter and local SQLite quarantine) share one real PostgreSQL
# server (Debian's postgresql, initdb into the temp dir, run as the postgres
# user on 127.0.0.1 and a private socket dir):
#   1. `embargoctl store migrate` applies the schema, a second run changes nothing
#   2. a leak held on relay A is listed from relay B's CLI (field "relay"),
#      shown from B, released from B: A's request job carries it out, the
#      message reaches the sink, B's CLI reports the outcome
#   3. a reply through B to the message held on A is held on B as `thread`
#      (A's lineage reached B through PostgreSQL)
#   4. PostgreSQL killed -9 mid-load: mail keeps being held on A, the status
#      shows the local backlog; after the restart, and A's daemon killed -9
#      right after (mid-batch), every record and every audit line reaches
#      PostgreSQL exactly once (row counts against A's index and audit log)
#   5. relays with different rules: `embargoctl relays` exits 1 with a
#      warning, doctor reports it
#   C. shared confirmation codes: a message held on A for confirmation; its
#      code's salted hash (never the code) reaches PostgreSQL; the sender's
#      reply through B while PostgreSQL is down is tempfailed with a clear
#      reply; after the restart the same reply through B is accepted, A
#      delivers the message (audited, via relay:relay-b), and the code is
#      spent everywhere: the reply again through A and through B is refused
#   6. embargo-review on B lists both relays' records (relay column and filter), shows relay-a's
#      record, releases it through a request relay-a carries out, and shows each relay's rule hash
# A's request job (embargo-milter-requests.path/.timer in a package) is
# emulated by a loop running `embargoctl quarantine process-requests`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
pg_find || e2e_skip "PostgreSQL server binaries or the postgres user missing (apt-get install postgresql)"
e2e_init
T=$E2E_TMP
CTL="$BUILD/embargoctl"
M="python3 $E2E_DIR/lineage_msgs.py"

# --- PostgreSQL ---------------------------------------------------------------
pg_init --no-sync
PG_OPTS=(-c fsync=off -c full_page_writes=off)
trap 'rc=$?; pg_stop; (exit $rc); e2e_cleanup' EXIT
pg_start "${PG_OPTS[@]}"
STORE="host=127.0.0.1 port=$PGPORT dbname=postgres user=embargo connect_timeout=3"

# --- two relays -------------------------------------------------------------
sink_start
CONFIRM=embargo-confirm@relay.e2e.test
relay_config() { # relay_config NAME: $T/NAME/ with config, releases, quarantine
	local d=$T/$1
	mkdir -p "$d/releases.d" "$d/quarantine"
	cat >"$d/embargo-milter.conf" <<EOF
mode = "enforce";
releases_dir = "releases.d";
markers = ( "OFFICIAL[-: ]?SENSITIVE", "PRE-RELEASE ACCESS", "EMBARGOED" );
always_allowed = ( "hop@cabinet.e2e.test" );
default_action = "quarantine";
quarantine_dir = "$d/quarantine";
on_error = "tempfail";
timezone = "Europe/London";
contact = "hop@stats.e2e.test";
control_socket = "control.sock";
confirm_address = "$CONFIRM";
notify_smtp = "127.0.0.1:$SINK_PORT";
notify_from = "embargo-notices@relay.e2e.test";
store = "$STORE";
relay_id = "relay-$1";
EOF
	EM_RELEASES=$d/releases.d
	em_write_release widgets widgets-e2e quarantine
	EM_REL_IDENTIFIER="Gizmo Confidence Index" EM_REL_CONTENT="gizmo confidence (fell|rose) by [0-9.]+ ?%" \
		em_write_release gizmo gizmo-e2e confirm
}
relay_config a
relay_config b
# identical release files on both relays
cp "$T/a/releases.d/widgets.conf" "$T/a/releases.d/gizmo.conf" "$T/b/releases.d/"
CA=$T/a/embargo-milter.conf
CB=$T/b/embargo-milter.conf

out=$("$CTL" store migrate -c "$CA" 2>&1) || e2e_fail "store migrate: $out"
case "$out" in *"0 -> 2"*) ;; *) e2e_fail "first migrate should apply versions 1 and 2: $out" ;; esac
out=$("$CTL" store migrate -c "$CB" 2>&1) || e2e_fail "second store migrate: $out"
case "$out" in *"up to date"*) ;; *) e2e_fail "second migrate should change nothing: $out" ;; esac
[ "$(q "select count(*) from schema_version")" = 2 ] || e2e_fail "schema_version should hold two rows"
"$CTL" store status -c "$CA" >/dev/null || e2e_fail "store status should be 0 when up to date"

milter_launch() { # milter_launch NAME [PORT]: starts it (milter_ready waits)
	local port=${2:-}
	[ -n "$port" ] || port=$(e2e_free_port)
	"$BUILD/embargo-milter" -f -c "$T/$1/embargo-milter.conf" -p "inet:$port@127.0.0.1" \
		>>"$T/milter-$1.log" 2>&1 &
	eval "MPID_$1=$! MPORT_$1=$port"
	E2E_PIDS+=("$!")
}
milter_ready() {
	local port
	eval "port=\$MPORT_$1"
	e2e_wait 30 e2e_port_open "$port" || e2e_fail "milter $1 did not start: $(tail -n 5 "$T/milter-$1.log")"
}
milter_start() { milter_launch "$@" && milter_ready "$1"; }
milter_launch a
milter_launch b
milter_ready a
milter_ready b
PF_NAME=pfa pf_setup "inet:127.0.0.1:$MPORT_a"
pf_start
PFA=$PF_CONF PORTA=$PF_PORT
PF_NAME=pfb pf_setup "inet:127.0.0.1:$MPORT_b"
pf_start
PFB=$PF_CONF PORTB=$PF_PORT
via() { PF_PORT=$1; shift; send_smtp "$@"; }

# A's request job (the path unit + timer in a package)
(
	while :; do
		EMBARGO_POSTFIX_CONFIG=$PFA "$CTL" quarantine process-requests -c "$CA" >>"$T/requests-a.log" 2>&1
		sleep 0.3
	done
) &
E2E_PIDS+=("$!")

# --- 2. held on A, listed, shown and released from B --------------------------
$M outlook-pra "$T/leak.eml" mid=leak-1.pg@stats.e2e.test guid="$(tr -d '-' </proc/sys/kernel/random/uuid)" \
	to=press@out.e2e.test subject="Widget briefing pg-leak-tag" >/dev/null
out=$(via "$PORTA" "$T/leak.eml" analyst@stats.e2e.test press@out.e2e.test) || e2e_fail "leak via A: $out"
PF_CONF=$PFA pf_wait_hold 1 || e2e_fail "the leak should be held on A"
REC=$(sqlite3 "$T/a/quarantine/index.sqlite" "select id from records")
[ -n "$REC" ] || e2e_fail "no record on A"
_listed_on_b() {
	"$CTL" quarantine list --json -c "$CB" 2>/dev/null | python3 -c '
import json, sys
rows = json.load(sys.stdin)
sys.exit(0 if any(r["id"] == sys.argv[1] and r["relay"] == "relay-a" and r["state"] == "held" for r in rows) else 1)' "$REC"
}
e2e_wait 20 _listed_on_b || e2e_fail "record $REC of A should be listed from B with relay relay-a: $("$CTL" quarantine list --json -c "$CB" 2>&1 | head -c 600)"
e2e_log "info: shipper lag of $REC (stored -> in PostgreSQL, whole seconds): $(q "select shipped_at - created from records where id='$REC'") s"
show=$("$CTL" quarantine show "$REC" -c "$CB" 2>&1) || e2e_fail "show from B: $show"
grep -q "^Relay: *relay-a" <<<"$show" || e2e_fail "show from B should name relay-a: $show"
grep -q "REDACTED" <<<"$show" || e2e_fail "show from B should redact before publication: $show"
rep=$("$CTL" report "$REC" -c "$CB" 2>&1) || e2e_fail "report from B: $rep"
grep -q "widgets-e2e" <<<"$rep" || e2e_fail "the report from B should name the release: $rep"
[ -z "$(sink_grep pg-leak-tag)" ] || e2e_fail "the leak was delivered before any release"
out=$("$CTL" quarantine release "$REC" -c "$CB" --wait 40 2>&1) || e2e_fail "release from B: $out"
grep -q "done on relay relay-a: released" <<<"$out" || e2e_fail "release from B should report A's outcome: $out"
sink_wait_grep pg-leak-tag 30 || e2e_fail "the released message should be delivered by A"
[ "$(sqlite3 "$T/a/quarantine/index.sqlite" "select state from records where id='$REC'")" = released ] ||
	e2e_fail "A's record should be released"
_pg_released() { [ "$(q "select state from records where id='$REC'")" = released ]; }
e2e_wait 20 _pg_released || e2e_fail "the shared store should show the record released"
_audit_on_b() { "$CTL" audit --json -c "$CB" 2>/dev/null | grep -q '"event": "request-release"'; }
e2e_wait 20 _audit_on_b || e2e_fail "B's audit should show A's request-release event"
"$CTL" audit --json -c "$CB" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ev = [e for e in d["entries"] if e.get("event") == "request-release"]
sys.exit(0 if ev and ev[0]["relay"] == "relay-a" and ev[0].get("via") == "relay:relay-b" else 1)' ||
	e2e_fail "the audited release should name relay-a and come via relay-b"

# --- 3. a reply through B to the message held on A ----------------------------
$M thunderbird-reply "$T/reply.eml" mid=reply-1.pg@stats.e2e.test parent=leak-1.pg@stats.e2e.test \
	to=press2@out.e2e.test subject="Widget briefing pg-reply-tag"
_lineage_on_b() { [ "$(sqlite3 "$T/b/quarantine/lineage.sqlite" "select count(*) from origins where record='$REC'" 2>/dev/null)" -ge 1 ]; }
e2e_wait 20 _lineage_on_b || e2e_fail "A's lineage should reach B's local lineage store"
out=$(via "$PORTB" "$T/reply.eml" analyst@stats.e2e.test press2@out.e2e.test) || e2e_fail "reply via B: $out"
PF_CONF=$PFB pf_wait_hold 1 || e2e_fail "the reply should be held on B"
jb=$(ls "$T"/b/quarantine/msg/*.json | head -n 1)
python3 - "$jb" <<'PY' || e2e_fail "B's record should carry thread evidence: $(cat "$jb")"
import json, sys
d = json.load(open(sys.argv[1]))["verdict"]
sys.exit(0 if any(e["kind"] == "thread" for r in d["releases"] for e in r["evidence"]) else 1)
PY

# --- C1. held on A for confirmation: the code's hash reaches PostgreSQL ------------
msg_write "$T/gizmo.eml" "Gizmo briefing pg-confirm-tag" press@out.e2e.test "OFFICIAL-SENSITIVE

The Gizmo Confidence Index briefing ahead of publication."
holds=$(PF_CONF=$PFA pf_queue_count hold)
out=$(via "$PORTA" "$T/gizmo.eml" analyst@stats.e2e.test press@out.e2e.test) || e2e_fail "confirm leak via A: $out"
PF_CONF=$PFA pf_wait_hold $((holds + 1)) || e2e_fail "the confirm leak should be held on A"
CREC=$(sqlite3 "$T/a/quarantine/index.sqlite" "select record_id from confirm_codes")
[ -n "$CREC" ] || e2e_fail "no confirmation code row on A"
sink_wait_grep "Reference: $CREC" 30 || e2e_fail "no confirmation notice for $CREC at the sink"
CODE=$(sed -n 's/^Subject: .* code \([A-Z2-9]\{4\}-[A-Z2-9]\{4\}\)\r*$/\1/p' "$(sink_grep "Reference: $CREC" | head -n 1)" | head -n 1)
[ -n "$CODE" ] || e2e_fail "no code in the notice for $CREC"
_code_in_pg() { [ "$(q "select count(*) from confirm_codes where relay_id='relay-a' and record_id='$CREC' and used_at is null" 2>/dev/null)" = 1 ]; }
e2e_wait 20 _code_in_pg || e2e_fail "A's confirmation code should reach PostgreSQL"
! q "select row_to_json(c) from confirm_codes c" | grep -qF "$CODE" || e2e_fail "the code itself is in PostgreSQL"
# reply_write FILE: the sender's reply with the code in the subject and a reason
python3 - "$T/confirm-reply.eml" "$CONFIRM" "$CODE" <<'PY'
import sys, email.utils, uuid
f, to, code = sys.argv[1:4]
hdr = ["From: Analyst <analyst@stats.e2e.test>", "To: <%s>" % to,
       "Subject: RE: [embargo-milter] held: Gizmo code %s" % code, "Date: " + email.utils.formatdate(),
       "Message-ID: <%s@stats.e2e.test>" % uuid.uuid4().hex, "MIME-Version: 1.0",
       "Content-Type: text/plain; charset=utf-8"]
body = ["The press office is on the pre-release list from today; agreed with the HoP.", "",
        "-----Original Message-----", "Your message has been held."]
open(f, "wb").write(("\r\n".join(hdr + [""] + body) + "\r\n").encode())
PY
audit_n() { grep -c "\"event\":\"$2\"" "$T/$1/quarantine/audit.log" 2>/dev/null || true; }

# --- 4. PostgreSQL killed -9 mid-load, A's daemon killed -9 mid-batch ----------
N=12
msg_write "$T/load.eml" "Load pg-load-tag" press@out.e2e.test "$LEAK_BODY"
for i in $(seq 1 $N); do # one Python start per message is seconds on a loaded runner
	sed -e "s/^Subject: .*/Subject: Load $i pg-load-tag\r/" \
		-e "s/^Message-ID: .*/Message-ID: <load-$i-$$@stats.e2e.test>\r/" "$T/load.eml" >"$T/load$i.eml"
done
# one SMTP client sends them all, a message every 0.1 s; PostgreSQL dies after the 4th is held
python3 - "$PORTA" "$T" "$N" >"$T/load.out" 2>&1 <<'PY' &
import smtplib, sys, time
port, d, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
codes = []
for i in range(1, n + 1):
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as s:
        try:
            s.sendmail("analyst@stats.e2e.test", ["press@out.e2e.test"],
                       open("%s/load%d.eml" % (d, i), "rb").read())
            codes.append("250")
        except smtplib.SMTPResponseException as e:
            codes.append(str(e.smtp_code))
    time.sleep(0.1)
print(" ".join(codes))
PY
SENDER=$!
_a_records() { [ "$(sqlite3 "$T/a/quarantine/index.sqlite" "select count(*) from records")" -ge "$1" ]; }
e2e_wait 60 _a_records 5 || e2e_fail "the first load messages should be held on A"
pg_kill9
wait "$SENDER"
[ "$(cat "$T/load.out")" = "$(printf '250 %.0s' $(seq 1 $N) | sed 's/ $//')" ] ||
	e2e_fail "every load message should be accepted (held) while PostgreSQL is down: $(cat "$T/load.out")"
PF_CONF=$PFA pf_wait_hold "$N" || e2e_fail "every load message should be held on A"
nrec=$(sqlite3 "$T/a/quarantine/index.sqlite" "select count(*) from records")
[ "$nrec" = $((N + 2)) ] || e2e_fail "A should hold $((N + 2)) records, has $nrec"
st=$("$CTL" status --json -c "$CA") || e2e_fail "status of A: $st"
python3 -c '
import json, sys
s = json.loads(sys.argv[1])["shared_store"]
sys.exit(0 if s["backlog"] > 0 and s["connected"] is False and s["relay_id"] == "relay-a" else 1)' "$st" ||
	e2e_fail "A's status should show a backlog while PostgreSQL is down: $st"
"$CTL" status -c "$CA" | grep -q "shared store: relay relay-a, NOT connected, backlog [1-9]" ||
	e2e_fail "status text should show the backlog: $("$CTL" status -c "$CA")"
# review does not wait for the database: A's own records, with a warning
out=$("$CTL" quarantine list --json -c "$CA" 2>"$T/list-down.err") || e2e_fail "list while PostgreSQL is down: $out"
[ "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$out")" = "$nrec" ] ||
	e2e_fail "list while PostgreSQL is down should show A's $nrec records: $out"
grep -q "listing this relay's records only" "$T/list-down.err" || e2e_fail "list should warn: $(cat "$T/list-down.err")"
# C2. the reply through B cannot be checked: a clear tempfail, never accepted or lost
out=$(via "$PORTB" "$T/confirm-reply.eml" analyst@stats.e2e.test "$CONFIRM")
[ $? = 4 ] && grep -q "shared store is unreachable" <<<"$out" ||
	e2e_fail "a reply through B while PostgreSQL is down should be tempfailed: $out"
[ "$(audit_n b confirm-request)" = 0 ] || e2e_fail "B should not accept a reply it could not check"
pg_start "${PG_OPTS[@]}"
sleep 0.4
kill -KILL "$MPID_a" # mid-batch, most likely: the shipper retries within a second
wait "$MPID_a" 2>/dev/null
milter_start a "$MPORT_a" # the port A's Postfix talks to
_drained() {
	local a b
	a=$(q "select count(*) from records where relay_id='relay-a'" 2>/dev/null) || return 1
	b=$(sqlite3 "$T/a/quarantine/index.sqlite" "select count(*) from outbox")
	[ "$a" = "$nrec" ] && [ "$b" = 0 ]
}
e2e_wait 60 _drained || e2e_fail "A's backlog should drain: PG has $(q "select count(*) from records where relay_id='relay-a'"), outbox $(sqlite3 "$T/a/quarantine/index.sqlite" "select count(*) from outbox")"
lines=$(grep -c . "$T/a/quarantine/audit.log")
_audit_all() { [ "$(q "select count(*) from audit where relay_id='relay-a'")" = "$lines" ]; }
e2e_wait 20 _audit_all || e2e_fail "audit lines of A in PG: $(q "select count(*) from audit where relay_id='relay-a'"), in the log: $lines"
# exactly once: as many distinct message ids as rows, every local id present
[ "$(q "select count(distinct id) from records where relay_id='relay-a'")" = "$nrec" ] || e2e_fail "duplicate records in PG"
[ "$(q "select count(*) from records where relay_id='relay-a' and eml is not null")" = "$nrec" ] ||
	e2e_fail "every record's message should be in PG"
for id in $(sqlite3 "$T/a/quarantine/index.sqlite" "select id from records"); do
	[ "$(q "select count(*) from records where id='$id'")" = 1 ] || e2e_fail "record $id not exactly once in PG"
done
st=$("$CTL" status --json -c "$CA") || e2e_fail "status of A: $st"
python3 -c '
import json, sys
s = json.loads(sys.argv[1])["shared_store"]
sys.exit(0 if s["backlog"] == 0 and s["last_ship"] else 1)' "$st" || e2e_fail "A's status after the drain: $st"

# --- C3. the same reply through B, PostgreSQL back: A releases the message ------
out=$(via "$PORTB" "$T/confirm-reply.eml" analyst@stats.e2e.test "$CONFIRM") || e2e_fail "the reply through B should be accepted (consumed): $out"
python3 - "$T/b/quarantine/audit.log" "$CREC" <<'PY' || e2e_fail "B should audit the request for A's record: $(tail -n 3 "$T/b/quarantine/audit.log")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if '"confirm-request"' in l]
sys.exit(0 if len(ev) == 1 and ev[0]["record"] == sys.argv[2] and ev[0]["relay"] == "relay-a"
         and ev[0]["by"] == "analyst@stats.e2e.test" and "pre-release list" in ev[0]["reason"] else 1)
PY
[ "$(q "select used_relay from confirm_codes where record_id='$CREC'")" = relay-b ] || e2e_fail "the code should be spent in PostgreSQL by relay-b"
sink_wait_grep pg-confirm-tag 40 || e2e_fail "A should deliver the confirmed message: $(tail -n 5 "$T/requests-a.log")"
[ "$(sqlite3 "$T/a/quarantine/index.sqlite" "select state from records where id='$CREC'")" = released ] || e2e_fail "A's confirm record should be released"
[ "$(sqlite3 "$T/a/quarantine/index.sqlite" "select state from confirm_codes where record_id='$CREC'")" = confirmed ] ||
	e2e_fail "A's local code should be spent"
grep "\"$CREC\"" "$T/a/quarantine/audit.log" | grep -q '"via":"relay:relay-b"' ||
	e2e_fail "A's audit should show the release via relay-b: $(grep "$CREC" "$T/a/quarantine/audit.log" | tail -n 2)"
# a code works once, on every relay
out=$(via "$PORTA" "$T/confirm-reply.eml" analyst@stats.e2e.test "$CONFIRM") || e2e_fail "the replay through A: $out"
out=$(via "$PORTB" "$T/confirm-reply.eml" analyst@stats.e2e.test "$CONFIRM") || e2e_fail "the replay through B: $out"
[ "$(audit_n a confirm-request)" = 0 ] && [ "$(audit_n a confirm-refused)" = 1 ] ||
	e2e_fail "the replay through A should be refused: $(grep confirm- "$T/a/quarantine/audit.log")"
[ "$(audit_n b confirm-request)" = 1 ] && [ "$(audit_n b confirm-refused)" = 1 ] ||
	e2e_fail "the replay through B should be refused: $(grep confirm- "$T/b/quarantine/audit.log")"

# --- 5. same rules, then different rules -----------------------------------------
_relays_agree() { "$CTL" relays --json -c "$CB" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if len(d["relays"]) == 2 and d["rules_agree"] else 1)'; }
e2e_wait 20 _relays_agree || e2e_fail "two relays with the same rules: $("$CTL" relays -c "$CB" 2>&1)"
cat >"$T/b/releases.d/gadgets.conf" <<EOF
release = {
  id = "gadgets-e2e";
  title = "Gadget Survey";
  publish_at = "$(em_time 24)";
  identifiers = ( "Gadget Survey" );
  producers = ( "@stats.e2e.test" );
  action = "quarantine";
};
EOF
kill -HUP "$MPID_b"
_relays_differ() { ! "$CTL" relays -c "$CB" >"$T/relays.out" 2>&1 && grep -q "WARNING: the relays enforce different rules" "$T/relays.out"; }
e2e_wait 20 _relays_differ || e2e_fail "relays with different rules should be reported: $(cat "$T/relays.out")"
doc=$("$CTL" doctor -c "$CB" --postfix-config "$PFB" 2>&1)
grep -q "UNSAFE: relays enforce different rules" <<<"$doc" || e2e_fail "doctor should report the relays' different rules: $doc"
# --- 6. the review console on B reads every relay's records -------------------------
RV_PORT=$(e2e_free_port)
cat >>"$CB" <<EOF2
review = { listen = "127.0.0.1:$RV_PORT"; trusted_proxies = [ "127.0.0.1" ];
  user_header = "X-Remote-User"; reviewer_group = "root"; request_log = "$T/review.log"; };
EOF2
"$BUILD/embargo-review" -c "$CB" >>"$T/review.err" 2>&1 &
E2E_PIDS+=("$!")
_rv_ready() { e2e_port_open "$RV_PORT"; }
e2e_wait 20 _rv_ready || e2e_fail "embargo-review on B did not listen: $(cat "$T/review.err")"
C=(curl -s -H "X-Remote-User: root" -b "$T/jar" -c "$T/jar")
U="http://127.0.0.1:$RV_PORT"
"${C[@]}" -o "$T/held.html" "$U/held?state=any" || e2e_fail "GET /held on B failed"
RECB=$(sqlite3 "$T/b/quarantine/index.sqlite" "select id from records limit 1")
for pair in "$REC relay-a" "$RECB relay-b"; do
	set -- $pair
	python3 - "$T/held.html" "$1" "$2" <<'PY' || e2e_fail "the console on B should list $1 with relay $2: $(grep -c '<tr>' "$T/held.html") rows"
import re, sys
html, rec, relay = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
rows = [r for r in html.split("<tr>") if 'href="/msg/%s"' % rec in r]
sys.exit(0 if rows and re.search(r'<td class="relay">%s</td>' % re.escape(relay), rows[0]) else 1)
PY
done
"${C[@]}" -o "$T/held-b.html" "$U/held?state=any&relay=relay-b"
grep -qF "/msg/$RECB" "$T/held-b.html" && ! grep -qF 'class="relay">relay-a' "$T/held-b.html" ||
	e2e_fail "the relay filter should keep relay-b's records only"
RECA=$(q "select id from records where relay_id='relay-a' and state='held' order by id limit 1")
[ -n "$RECA" ] || e2e_fail "no held record of relay-a in PostgreSQL"
"${C[@]}" -o "$T/msga.html" "$U/msg/$RECA"
grep -qF '<dd id="relay">relay-a</dd>' "$T/msga.html" || e2e_fail "the message page should name relay-a"
grep -qF 'id="redacted"' "$T/msga.html" || e2e_fail "another relay's record should be redacted before publication"
"${C[@]}" -o "$T/report-a.md" "$U/msg/$RECA/report.md"
grep -q "^# Report of a breach" "$T/report-a.md" && grep -qF "$RECA" "$T/report-a.md" ||
	e2e_fail "the breach report of relay-a's record should be built on B: $(head -c 300 "$T/report-a.md")"
CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/msga.html" | head -n 1)
code=$("${C[@]}" -o /dev/null -w '%{http_code}' --data-urlencode action=release --data-urlencode "csrf=$CSRF" \
	--data-urlencode "reason=cross-relay console release" "$U/msg/$RECA/act")
[ "$code" = 303 ] || e2e_fail "the console's release of relay-a's record got $code"
[ "$(q "select relay_id||' '||via||' '||requested_by from requests where record_id='$RECA'")" = "relay-a console root" ] ||
	e2e_fail "no console request for relay-a in PostgreSQL: $(q "select * from requests where record_id='$RECA'")"
_a_released() { [ "$(sqlite3 "$T/a/quarantine/index.sqlite" "select state from records where id='$RECA'")" = released ]; }
e2e_wait 40 _a_released || e2e_fail "relay-a should carry out the console's release: $(tail -n 3 "$T/requests-a.log")"
grep "\"event\":\"review-request\"" "$T/b/quarantine/audit.log" | grep -qF "\"relay\":\"relay-a\"" ||
	e2e_fail "B's audit should record the console's request for relay-a"
"${C[@]}" -o "$T/releases.html" "$U/releases"
for r in relay-a relay-b; do
	h=$(q "select rules_hash from relays where relay_id='$r'")
	grep -qF "<td>$r</td><td class=\"hash\">$h</td>" "$T/releases.html" ||
		e2e_fail "the releases page should show $r's rule hash $h"
done
grep -qF 'id="rules-differ"' "$T/releases.html" || e2e_fail "the releases page should warn that the rules differ"
e2e_log "ok: $nrec records, $lines audit lines of relay-a in PostgreSQL exactly once"
exit 0
