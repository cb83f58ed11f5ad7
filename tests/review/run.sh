#!/bin/sh
# Review tool end to end, without an MTA: builds tests/review/put_record.c
# against libemcore.a, stores real scanned messages in a temporary
# quarantine, then drives `embargoctl quarantine list|show|release|delete|
# release-due`, `report` and `audit`, with FAKE postqueue/postsuper
# (EMBARGO_POSTQUEUE / EMBARGO_POSTSUPER) that record the arguments they got.
#   tests/review/run.sh [BUILD_DIR]      (default build; needs BUILD/embargoctl, BUILD/libemcore.a)
# Env: REVIEW_WRAP runs embargoctl under a wrapper (e.g. "valgrind -q --error-exitcode=99
# --leak-check=full"); REVIEW_CFLAGS is added when building the helper (e.g.
# "-fsanitize=address,undefined" for BUILD_DIR build-asan); REVIEW_KEEP keeps the temp dir.
set -u
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
CTL="$BUILD/embargoctl"
WRAP=${REVIEW_WRAP:-}
T=$(mktemp -d)
if [ -n "${REVIEW_KEEP:-}" ]; then echo "review: keeping $T"; else trap 'rm -rf "$T"' EXIT; fi
fail=0 n=0

ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL review: $*"; }
# check NAME CONDITION-COMMAND...
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
has() { grep -qF -- "$2" "$1"; }
hasnt() { ! grep -qF -- "$2" "$1"; }

for f in "$CTL" "$BUILD/libemcore.a"; do
	[ -e "$f" ] || { echo "review: $f missing (run make first)"; exit 2; }
done
# every embargoctl call below goes through the wrapper when one is given
ctl() { $WRAP "$CTL" "$@"; }
CORE_PKGS=${EM_CORE_PKGS:-$(make -s -C "$ROOT" print-pkgs)}
# shellcheck disable=SC2046
cc -std=gnu11 -O1 ${REVIEW_CFLAGS:-} -o "$T/put_record" "$HERE/put_record.c" "$BUILD/libemcore.a" \
	$(pkg-config --libs $CORE_PKGS) \
	-lm -pthread || { echo "review: cannot build put_record"; exit 2; }

# ---- a config with three releases: one far in the future, two published ----
mkdir -p "$T/conf/releases.d" "$T/pf-env" "$T/pf-opt"
cat > "$T/conf/embargo-milter.conf" <<EOF
releases_dir = "releases.d";
markers = ( "OFFICIAL[-: ]?SENSITIVE" );
always_allowed = ( "head.of.profession@example.gov.uk" );
default_action = "quarantine";
quarantine_dir = "$T/q";
audit_log = "$T/audit.log";
timezone = "Europe/London";
EOF
cat > "$T/conf/releases.d/future.conf" <<'EOF'
release = {
  id = "future-2099";
  title = "Future Households 2099";
  publish_at = "2099-01-15 09:30";
  identifiers = ( "Future Households" );
  content = ( "households fell by [0-9.]+ ?%" );
  producers = ( "@stats.example.gov.uk" );
  after_publication = "release";
};
EOF
cat > "$T/conf/releases.d/past.conf" <<'EOF'
release = {
  id = "past-2020";
  title = "Past Fostering 2020";
  publish_at = "2020-11-12 09:30";
  identifiers = ( "Past Fostering" );
  producers = ( "@stats.example.gov.uk" );
  after_publication = "release";
};
EOF
cat > "$T/conf/releases.d/keep.conf" <<'EOF'
release = {
  id = "keep-2020";
  title = "Kept Prices 2020";
  publish_at = "2020-11-12 07:00";
  identifiers = ( "Kept Prices" );
  producers = ( "@stats.example.gov.uk" );
  after_publication = "keep";
};
EOF
CONF="$T/conf/embargo-milter.conf"

# hostile display text: an ANSI escape in the From phrase (RFC 2047), a bidi override in To
cat > "$T/future.eml" <<'EOF'
From: =?utf-8?q?Evil=1B[2J_Sender?= <policy.official@education.example.gov.uk>
To: =?utf-8?q?Colleague_=E2=80=AE?= <colleague@education.example.gov.uk>
Subject: OFFICIAL-SENSITIVE: Future Households headline
Message-ID: <future1@education.example.gov.uk>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Colleagues, ahead of Future Households day: the number of households fell by=
 4.2% this year, more than expected.
--b1
Content-Type: text/csv; name="figures.csv"
Content-Disposition: attachment; filename="figures.csv"

region,change
north,-4.2
--b1--
EOF
cat > "$T/past.eml" <<'EOF'
From: Policy <policy.official@education.example.gov.uk>
To: colleague@education.example.gov.uk
Subject: Past Fostering summary - OFFICIAL SENSITIVE
Message-ID: <past1@education.example.gov.uk>

Headline findings of Past Fostering, before release.
EOF
cat > "$T/keep.eml" <<'EOF'
From: Policy <policy.official@education.example.gov.uk>
To: colleague@education.example.gov.uk
Subject: Kept Prices - OFFICIAL-SENSITIVE

Kept Prices headline for you.
EOF

put() { "$T/put_record" "$CONF" "$@"; }
A=$(put "$T/future.eml" "2030-01-01 12:00" policy.official@education.example.gov.uk QFUT1 quarantine \
	colleague@education.example.gov.uk analyst@stats.example.gov.uk)
B=$(put "$T/past.eml" "2020-11-11 11:45" policy.official@education.example.gov.uk QPAST1 quarantine \
	colleague@education.example.gov.uk)
C=$(put "$T/keep.eml" "2020-11-11 11:45" policy.official@education.example.gov.uk QKEEP1 quarantine \
	colleague@education.example.gov.uk)
D=$(put "$T/future.eml" "2030-01-02 12:00" policy.official@education.example.gov.uk QGONE1 quarantine \
	outsider@example.org)
E=$(put "$T/future.eml" "2030-01-03 12:00" policy.official@education.example.gov.uk - reject \
	outsider@example.org)
F=$(put "$T/keep.eml" "2020-11-11 11:50" policy.official@education.example.gov.uk QKEEP2 quarantine \
	colleague@education.example.gov.uk)
for id in "$A" "$B" "$C" "$D" "$E" "$F"; do
	case "$id" in ????????T??????Z-????????) ;; *) echo "review: put_record failed ($id)"; exit 2 ;; esac
done

# ---- fake MTA tools ----
cat > "$T/postqueue" <<EOF
#!/bin/sh
echo "\$*" >> "$T/postqueue.args"
cat "$T/queue.jsonl"
EOF
cat > "$T/postsuper" <<EOF
#!/bin/sh
echo "\$*" >> "$T/postsuper.args"
exit 0
EOF
chmod +x "$T/postqueue" "$T/postsuper"
cat > "$T/queue.jsonl" <<'EOF'
{"queue_name": "deferred", "queue_id": "QOTHER", "arrival_time": 1, "message_size": 10, "sender": "a@b", "recipients": []}
{"queue_name": "hold", "queue_id": "QFUT1", "arrival_time": 1, "message_size": 10, "sender": "a@b", "recipients": []}
{"queue_name": "hold", "queue_id": "QPAST1", "arrival_time": 1, "message_size": 10, "sender": "a@b", "recipients": []}
{"queue_name": "hold", "queue_id": "QKEEP1", "arrival_time": 1, "message_size": 10, "sender": "a@b", "recipients": []}
{"queue_name": "hold", "queue_id": "QKEEP2", "arrival_time": 1, "message_size": 10, "sender": "a@b", "recipients": []}
EOF
: > "$T/postsuper.args"
export EMBARGO_POSTQUEUE="$T/postqueue" EMBARGO_POSTSUPER="$T/postsuper"
export EMBARGO_POSTFIX_CONFIG="$T/pf-env"
unset SUDO_USER
export LOGNAME=review-tester
# the login the tool must record: getlogin() first, as the tool does
WHO=$(logname 2>/dev/null || true)
[ -n "$WHO" ] || WHO=review-tester
q() { ctl quarantine "$@" -c "$CONF"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $1" "$2"; }

# ---- list ----
q list > "$T/out" 2>&1; rc=$?
check "list exits 0" [ $rc = 0 ]
for id in "$A" "$B" "$C" "$D" "$E" "$F"; do check "list shows $id" has "$T/out" "$id"; done
check "list shows blocked recipients" has "$T/out" "1:colleague@education.example.gov.uk"
q list --release past-2020 > "$T/out" 2>&1
check "list --release filters" sh -c "grep -c '^20' '$T/out' | grep -qx 1"
check "list --release keeps the match" has "$T/out" "$B"
q list --json > "$T/list.json" 2>&1; rc=$?
check "list --json exits 0" [ $rc = 0 ]
check "list --json rows and fields" json '
r = {x["id"]: x for x in d}
b = r["'"$B"'"]
assert len(d) == 6, d
assert b["release"] == ["past-2020"] and b["state"] == "held" and b["queue_id"] == "QPAST1"
assert b["blocked"] == ["colleague@education.example.gov.uk"], b
assert abs(b["hours_before_publication"] - 21.75) < 0.01, b
assert b["time"].endswith("Z") and b["sender"] == "policy.official@education.example.gov.uk"
assert r["'"$A"'"]["blocked"] == ["colleague@education.example.gov.uk"], r["'"$A"'"]
' "$T/list.json"
q list --since "2099-01-01" > "$T/out" 2>&1
check "list --since in the future lists nothing" sh -c "! grep -q '^20' '$T/out'"
q list --since "1h" > "$T/out" 2>&1
check "list --since 1h lists what was just stored" has "$T/out" "$A"
q list --since "yesterday-ish" > "$T/out" 2>&1; rc=$?
check "list --since garbage exits 2" [ $rc = 2 ]

# ---- show: redacted before publication ----
q show "$A" > "$T/show" 2>&1; rc=$?
check "show exits 0" [ $rc = 0 ]
check "show gives the verdict in words" has "$T/show" "held the message in quarantine"
check "show names the release" has "$T/show" "future-2099"
check "show gives evidence places" has "$T/show" "content    in body"
check "show gives the subject evidence place" has "$T/show" "in subject"
check "show redacts" has "$T/show" "REDACTED"
check "show redacts matched body text" hasnt "$T/show" "fell by"
check "show redacts the subject" hasnt "$T/show" "headline"
check "show prints other headers" has "$T/show" "Message-ID: <future1@education.example.gov.uk>"
check "show lists the attachment" has "$T/show" "attachment:figures.csv"
check "show never prints an escape byte" sh -c "! grep -q \"\$(printf '\\033')\" '$T/show'"
check "show never prints a bidi override" sh -c "! grep -q \"\$(printf '\\342\\200\\256')\" '$T/show'"
check "a redacted show is not audited" sh -c "! grep -qs '\"reveal\"' '$T/audit.log'"
q show "$A" --raw > "$T/show" 2>&1; rc=$?
check "show --raw before publication exits 2" [ $rc = 2 ]
check "show --raw before publication prints no message" hasnt "$T/show" "fell by"
check "show --raw refusal names --reveal" has "$T/show" "--reveal"

# ---- show --reveal: audited ----
q show "$A" --reveal > "$T/show" 2>&1; rc=$?
check "show --reveal exits 0" [ $rc = 0 ]
check "show --reveal highlights the match with context" has "$T/show" "number of **households fell by 4.2%** this year"
check "show --reveal prints the body" has "$T/show" "more than expected."
check "show --reveal prints the subject" has "$T/show" "Subject: OFFICIAL-SENSITIVE: Future Households headline"
python3 - "$T/audit.log" "$A" "$WHO" <<'EOF' && ok || bad "reveal is audited with the login"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if '"reveal"' in l]
assert len(ev) == 1, ev
e = ev[0]
assert e["event"] == "reveal" and e["record"] == sys.argv[2] and e["queue_id"] == "QFUT1", e
assert e["by"] == sys.argv[3] and e["what"] == "show" and e["at"].endswith("Z"), e
assert e["releases"] == ["future-2099"], e
EOF
q show "$A" --raw --reveal > "$T/raw" 2>&1; rc=$?
check "show --raw --reveal exits 0" [ $rc = 0 ]
check "show --raw --reveal prints the message byte for byte" cmp -s "$T/raw" "$T/future.eml"
check "raw reveal is audited" sh -c "grep '\"reveal\"' '$T/audit.log' | grep -q '\"what\":\"raw\"'"

# ---- show after publication: nothing redacted, nothing audited ----
lines=$(wc -l < "$T/audit.log")
q show "$B" > "$T/show" 2>&1; rc=$?
check "show of a published record exits 0" [ $rc = 0 ]
check "published record is not redacted" hasnt "$T/show" "REDACTED"
check "published record shows the body" has "$T/show" "Headline findings of Past Fostering"
check "published show is not audited" [ "$(wc -l < "$T/audit.log")" = "$lines" ]

# ---- errors ----
q show 20991231T000000Z-00000000 > "$T/out" 2>&1; rc=$?
check "unknown record exits 2" [ $rc = 2 ]
q show "../../etc/passwd" > "$T/out" 2>&1; rc=$?
check "a malformed id exits 2" [ $rc = 2 ]
ctl quarantine list -c "$T/nope.conf" > "$T/out" 2>&1; rc=$?
check "a missing config exits 2" [ $rc = 2 ]

# ---- report ----
ctl report "$A" -c "$CONF" --format md > "$T/rep" 2>&1; rc=$?
check "report exits 0" [ $rc = 0 ]
check "report md heading" has "$T/rep" "# Report of a breach of the Code of Practice for Statistics"
check "report names the release" has "$T/rep" "Future Households 2099 (release future-2099)"
check "report principle" has "$T/rep" "Trustworthiness: T3: Orderly release"
check "report blank sections" has "$T/rep" "[to be completed]"
check "report today" has "$T/rep" "| Date of breach report | $(TZ=Europe/London date +%Y-%m-%d) |"
check "report counts blocked recipients" has "$T/rep" "of whom 1 was not on the pre-release access list"
check "report holds no matched text" hasnt "$T/rep" "fell by"
check "report impact is the record state" has "$T/rep" "(record state: held)"
ctl report "$B" -c "$CONF" --format txt > "$T/rep" 2>&1; rc=$?
check "report txt exits 0" [ $rc = 0 ]
check "report txt rows" has "$T/rep" "$(printf 'Date of occurrence of breach\t2020-11-11 11:45 GMT')"
check "report txt hours" has "$T/rep" "21.8 hours before publication"
ctl report "$B" -c "$CONF" --format pdf > "$T/rep" 2>&1; rc=$?
check "report --format pdf exits 2" [ $rc = 2 ]

# ---- release: MTA checked, postsuper, store, audit; idempotent ----
q release "$A" > "$T/out" 2>&1; rc=$?
check "release exits 0" [ $rc = 0 ]
check "postqueue got -c DIR -j" sh -c "tail -1 '$T/postqueue.args' | grep -qx -- '-c $T/pf-env -j'"
check "postsuper got -c DIR -H QID" sh -c "grep -qx -- '-c $T/pf-env -H QFUT1' '$T/postsuper.args'"
check "release before publication warns" has "$T/out" "BEFORE publication"
python3 - "$T/audit.log" "$A" "$WHO" <<'EOF' && ok || bad "release audit line"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if '"event":"release"' in l]
assert len(ev) == 1, ev
e = ev[0]
assert e["record"] == sys.argv[2] and e["queue_id"] == "QFUT1" and e["by"] == sys.argv[3], e
assert e["at"].endswith("Z") and e["released_before_publication"] == ["future-2099"], e
EOF
q list --json > "$T/list.json" 2>&1
check "release updates the store" json '
r = {x["id"]: x for x in d}; a = r["'"$A"'"]
assert a["state"] == "released" and a["state_by"] == "'"$WHO"'", a' "$T/list.json"
q release "$A" > "$T/out" 2>&1; rc=$?
check "second release exits 0" [ $rc = 0 ]
check "second release runs no second postsuper" [ "$(grep -c QFUT1 "$T/postsuper.args")" = 1 ]
check "second release writes no second audit line" [ "$(grep -c '"event":"release"' "$T/audit.log")" = 1 ]

# ---- the record and the MTA disagree ----
q release "$D" > "$T/out" 2>&1; rc=$?
check "release of a record the MTA does not hold exits 2" [ $rc = 2 ]
check "disagreement is explained" has "$T/out" "disagree"
check "no postsuper on disagreement" hasnt "$T/postsuper.args" "QGONE1"
q list --state held > "$T/out" 2>&1
check "refused release leaves the record held" has "$T/out" "$D"
q release "$D" --force > "$T/out" 2>&1; rc=$?
check "release --force exits 0" [ $rc = 0 ]
check "release --force does not touch the MTA" hasnt "$T/postsuper.args" "QGONE1"
check "forced release is audited as forced" sh -c "grep '$D' '$T/audit.log' | grep -q '\"forced\":true'"
q release "$E" > "$T/out" 2>&1; rc=$?
check "release of a rejected message exits 2" [ $rc = 2 ]
check "queue id in another queue refuses" sh -c "
	sed 's/\"hold\", \"queue_id\": \"QKEEP1\"/\"deferred\", \"queue_id\": \"QKEEP1\"/' '$T/queue.jsonl' > '$T/q2' &&
	EMBARGO_POSTQUEUE='$T/pq2' && printf '#!/bin/sh\ncat %s\n' '$T/q2' > '$T/pq2' && chmod +x '$T/pq2' &&
	EMBARGO_POSTQUEUE='$T/pq2' '$CTL' quarantine delete '$C' -c '$CONF' > '$T/out' 2>&1; test \$? = 2 &&
	grep -q 'queue deferred' '$T/out'"

# ---- delete with --postfix-config (wins over the environment) ----
q delete "$C" --postfix-config "$T/pf-opt" > "$T/out" 2>&1; rc=$?
check "delete exits 0" [ $rc = 0 ]
check "postsuper got -c OPTDIR -d QID" sh -c "grep -qx -- '-c $T/pf-opt -d QKEEP1' '$T/postsuper.args'"
check "delete removes the message" [ ! -e "$T/q/msg/$C.eml" ]
check "delete keeps the record json" [ -e "$T/q/msg/$C.json" ]
q show "$C" > "$T/out" 2>&1; rc=$?
check "show of a deleted record exits 0" [ $rc = 0 ]
check "show of a deleted record says so" has "$T/out" "deleted"
q release "$C" > "$T/out" 2>&1; rc=$?
check "release of a deleted record exits 2" [ $rc = 2 ]
check "delete is audited" sh -c "grep '\"event\":\"delete\"' '$T/audit.log' | grep -q '$C'"

# ---- release-due: only published, after_publication=release records ----
q release-due > "$T/out" 2>&1; rc=$?
check "release-due exits 0" [ $rc = 0 ]
check "release-due releases the due record" sh -c "grep -qx -- '-c $T/pf-env -H QPAST1' '$T/postsuper.args'"
check "release-due keeps after_publication=keep" hasnt "$T/postsuper.args" "QKEEP2"
check "release-due leaves embargoed records" [ "$(grep -c QFUT "$T/postsuper.args")" = 1 ]
check "release-due is audited" sh -c "grep '\"event\":\"release-due\"' '$T/audit.log' | grep -q '$B'"
check "release-due after publication is not early" sh -c "grep '\"event\":\"release-due\"' '$T/audit.log' | grep -q '\"released_before_publication\":\[\]'"
q release-due > "$T/out" 2>&1
check "release-due twice releases nothing more" [ "$(grep -c QPAST1 "$T/postsuper.args")" = 1 ]

# ---- audit: decisions (as the daemon writes them) and review events ----
ctl scan -c "$CONF" --at "2030-01-01 12:00" --from policy.official@education.example.gov.uk \
	--rcpt analyst@stats.example.gov.uk --json "$T/future.eml" > "$T/v.json" 2>/dev/null
ctl scan -c "$CONF" --at "2030-01-01 12:00" --from policy.official@education.example.gov.uk \
	--rcpt analyst@stats.example.gov.uk --json "$T/keep.eml" > "$T/v2.json" 2>/dev/null
python3 - "$T/v.json" "$T/v2.json" "$A" >> "$T/audit.log" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))
v.update(queue_id="QOK1", action_taken="accept", record=None)
print(json.dumps(v, separators=(",", ":")))
v = json.load(open(sys.argv[1]))
v.update(queue_id="QFUT1", action_taken="quarantine", record=sys.argv[3])
v["recipients"] = ["colleague@education.example.gov.uk", "analyst@stats.example.gov.uk"]
v["releases"][0]["blocked"] = ["colleague@education.example.gov.uk"]
print(json.dumps(v, separators=(",", ":")))
v = json.load(open(sys.argv[2]))   # matched no embargoed release: not listed
v.update(queue_id="QNONE", action_taken="accept", record=None)
print(json.dumps(v, separators=(",", ":")))
print('{"torn line')
EOF
ctl audit -c "$CONF" > "$T/out" 2>"$T/err"; rc=$?
check "audit exits 0" [ $rc = 0 ]
check "audit lists the allowed decision" has "$T/out" "QOK1"
check "audit leaves out mail that matched nothing" hasnt "$T/out" "QNONE"
check "audit lists review events" has "$T/out" "release-due by"
check "audit: allowed recipient received before publication" sh -c "grep 'analyst@stats.example.gov.uk allowed (delivered by the filter' '$T/out' | grep -q future-2099"
check "audit: blocked recipient received through the early release" has "$T/out" "future-2099 colleague@education.example.gov.uk NOT ALLOWED (released from quarantine"
check "audit: held decision delivers nobody" sh -c "! grep -q 'colleague@education.example.gov.uk NOT ALLOWED (delivered' '$T/out'"
check "audit reports the torn line" has "$T/err" "1 line(s)"
ctl audit -c "$CONF" --release past-2020 --json > "$T/aud.json" 2>/dev/null; rc=$?
check "audit --release --json exits 0" [ $rc = 0 ]
check "audit --release filters" json '
assert d["entries"], d
for e in d["entries"]:
    rel = [r if isinstance(r, str) else r["id"] for r in e["releases"]]
    assert "past-2020" in rel, e
assert d["received_before_publication"] == [], d' "$T/aud.json"
ctl audit -c "$CONF" --json > "$T/aud.json" 2>/dev/null
check "audit --json received list" json '
got = {(x["release"], x["recipient"], x["allowed"], x["via"]) for x in d["received_before_publication"]}
assert ("future-2099", "analyst@stats.example.gov.uk", True, "delivered by the filter") in got, got
assert ("future-2099", "colleague@education.example.gov.uk", False, "released from quarantine") in got, got
assert not any(x[0] == "past-2020" for x in got), got' "$T/aud.json"
ctl audit -c "$CONF" --since "2099-06-01" > "$T/out" 2>/dev/null
check "audit --since filters" has "$T/out" "(nobody)"

echo "review: $n checks, $fail failed"
[ "$fail" = 0 ]
