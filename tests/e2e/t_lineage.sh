#!/bin/bash
# t_lineage: thread lineage through a real Postfix. The PRA email (Outlook
# shape: Thread-Index, Thread-Topic) is delivered to a PRA member and
# recorded as an origin; then, with the marker deleted:
#   - the member's Thunderbird reply adding an outsider          -> held, evidence `thread`
#   - an Outlook reply (Thread-Index with In-Reply-To/References) -> held
#   - an Outlook reply linked by Thread-Index alone               -> held
#   - an Apple Mail forward as attachment to an outsider          -> held
#   - the reply to PRA members only                               -> delivered
#   - a message with forged References to a random id             -> delivered
#   - a reply to a message that was only an identifier note       -> delivered
#   - the same reply after publication                            -> delivered
# `embargoctl lineage show` lists the origin and what matched through it;
# `embargoctl scan --lineage` reaches the same verdict from the store.
# Publication during the test: a second release is published ~75 s after its
# config is written (the daemon has no clock injection; its clock is real).
. "$(dirname "$0")/lib.sh"
e2e_init
M="python3 $E2E_DIR/lineage_msgs.py"
PRA=pra.minister@gov.e2e.test
T=$E2E_TMP
uuid() { tr -d '-' </proc/sys/kernel/random/uuid; }

# Every message is written first (Python starts slowly on a loaded machine;
# the gadgets release's clock must not run meanwhile).
ti=$($M outlook-pra "$T/pra.eml" mid=pra-1.lin@stats.e2e.test guid="$(uuid)" to=$PRA) || e2e_fail "gen"
$M outlook-pra "$T/pra-g.eml" mid=pra-g.lin@stats.e2e.test guid="$(uuid)" \
	ident="Gadget Survey" subject="Gadget briefing" to=$PRA >/dev/null
$M thunderbird-reply "$T/tbg.eml" mid=tbg-1.lin@gov.e2e.test parent=pra-g.lin@stats.e2e.test \
	ident="Gadget Survey" subject="Gadget briefing" from="Minister PO <$PRA>" to="press@out.e2e.test"
$M thunderbird-reply "$T/tb.eml" mid=tb-1.lin@gov.e2e.test parent=pra-1.lin@stats.e2e.test \
	from="Minister PO <$PRA>" to="analyst@stats.e2e.test, press@out.e2e.test"
$M outlook-reply "$T/ol.eml" mid=ol-1.lin@gov.e2e.test parent=pra-1.lin@stats.e2e.test ti="$ti" \
	from="Minister PO <$PRA>" to="press2@out.e2e.test"
$M outlook-reply "$T/olti.eml" mid=olti-1.lin@gov.e2e.test parent=x ti="$ti" with_refs=0 \
	from="Minister PO <$PRA>" to="press3@out.e2e.test"
$M apple-fwd-attach "$T/fwd.eml" mid=fwd-1.lin@gov.e2e.test parent=pra-1.lin@stats.e2e.test \
	from="Minister PO <$PRA>" to="friend@out.e2e.test"
$M thunderbird-reply "$T/tbok.eml" mid=tbok-1.lin@gov.e2e.test parent=pra-1.lin@stats.e2e.test \
	from="Minister PO <$PRA>" to="analyst@stats.e2e.test"
$M forged-refs "$T/forged.eml" mid=forged-1.lin@out.e2e.test refs="$(uuid)@random.e2e.test" \
	from="x@out.e2e.test" to="press@out.e2e.test" subject="Widget briefing"
$M plain "$T/note.eml" mid=note-1.lin@stats.e2e.test subject="Release calendar" \
	body="The Widget Production Statistics are published on Thursday." to="news@out.e2e.test"
$M plain "$T/noterep.eml" mid=noterep-1.lin@out.e2e.test parent=note-1.lin@stats.e2e.test \
	subject="Re: Release calendar" body="Thanks, noted." to="desk@out.e2e.test" from="news@out.e2e.test"

sink_start
em_write_config
em_write_release widgets widgets-e2e quarantine
# The release whose publication passes during the test.
soon=$(($(date +%s) + 75))
cat >"$EM_RELEASES/gadgets.conf" <<EOF
release = {
  id = "gadgets-e2e";
  title = "Gadget Survey, e2e release published during the test";
  publish_at = "$(date -u -d "@$soon" +%Y-%m-%dT%H:%M:%SZ)";
  pre_release_from = "$(em_time -1)";
  identifiers = ( "Gadget Survey" );
  producers = ( "@stats.e2e.test" );
  pre_release_access = ( "pra.minister@gov.e2e.test" );
  action = "quarantine";
};
EOF
EM_PORT=$(e2e_free_port)
em_start
em_wait_ready
pf_setup "$EM_SOCKET"
pf_start
CTL="$BUILD/embargoctl"

held_json() { # held_json TAG: the record JSON of the held message containing TAG
	local f
	for f in "$EM_QDIR"/msg/*.eml; do
		grep -qF -- "$1" "$f" 2>/dev/null && { echo "${f%.eml}.json"; return 0; }
	done
	return 1
}
# expect_thread_hold TAG RELEASE WHERE: held, and the record's evidence is kind thread at WHERE
expect_thread_hold() {
	local j
	j=$(held_json "$1") || e2e_fail "$1: no quarantine record"
	python3 - "$j" "$2" "$3" <<'PY' || e2e_fail "$1: record evidence is not thread at $3: $(cat "$j")"
import json, sys
d = json.load(open(sys.argv[1]))["verdict"]
rel = [r for r in d["releases"] if r["id"] == sys.argv[2]]
ev = [e for r in rel for e in r["evidence"]]
sys.exit(0 if rel and any(e["kind"] == "thread" and e["where"] == sys.argv[3] for e in ev) else 1)
PY
}
delivered_to() { # delivered_to RCPT TAG: a message with TAG reached RCPT
	local f
	for f in $(sink_files_for "$1"); do grep -qF -- "$2" "$f" && return 0; done
	return 1
}

# --- 1. the PRA emails go to the PRA member and become origins --------------
# (the gadgets thread first: its release is published soon)
out=$(send_smtp "$T/pra-g.eml" analyst@stats.e2e.test $PRA) || e2e_fail "pra-g: $out"
out=$(send_smtp "$T/tbg.eml" $PRA press@out.e2e.test) || e2e_fail "tbg: $out"
[ "$(date +%s)" -lt "$soon" ] || e2e_fail "too slow: the gadgets reply was sent after its publication"
out=$(send_smtp "$T/pra.eml" analyst@stats.e2e.test $PRA) || e2e_fail "pra: $out"
_pra_both() { [ "$(sink_files_for $PRA | grep -c .)" -ge 2 ]; }
e2e_wait 30 _pra_both || e2e_fail "both PRA emails should be delivered to the PRA member"
rows=$(sqlite3 "$EM_QDIR/lineage.sqlite" "select count(*) from origins where message_id in
 ('mid:pra-1.lin@stats.e2e.test','mid:pra-g.lin@stats.e2e.test') and record is null")
[ "$rows" = 2 ] || e2e_fail "the delivered PRA emails should be recorded as origins, got $rows rows"

# --- 2. replies and forwards with the marker deleted ------------------------
out=$(send_smtp "$T/tb.eml" $PRA analyst@stats.e2e.test press@out.e2e.test) || e2e_fail "tb: $out"
out=$(send_smtp "$T/ol.eml" $PRA press2@out.e2e.test) || e2e_fail "ol: $out"
out=$(send_smtp "$T/olti.eml" $PRA press3@out.e2e.test) || e2e_fail "olti: $out"
out=$(send_smtp "$T/fwd.eml" $PRA friend@out.e2e.test) || e2e_fail "fwd: $out"

# --- 3. what must not be touched ---------------------------------------------
out=$(send_smtp "$T/tbok.eml" $PRA analyst@stats.e2e.test) || e2e_fail "tbok: $out"
out=$(send_smtp "$T/forged.eml" x@out.e2e.test press@out.e2e.test) || e2e_fail "forged: $out"
out=$(send_smtp "$T/note.eml" analyst@stats.e2e.test news@out.e2e.test) || e2e_fail "note: $out"
out=$(send_smtp "$T/noterep.eml" news@out.e2e.test desk@out.e2e.test) || e2e_fail "noterep: $out"

pf_wait_hold 5 30 || e2e_fail "expected 5 held messages, hold queue has $(pf_queue_count hold)"
expect_thread_hold tb-1.lin widgets-e2e header:References
expect_thread_hold ol-1.lin widgets-e2e header:References
expect_thread_hold olti-1.lin widgets-e2e header:Thread-Index
expect_thread_hold fwd-1.lin widgets-e2e "attachment:Widget briefing.eml/header:Message-ID"
expect_thread_hold tbg-1.lin gadgets-e2e header:References
for tag in tbok-1.lin:analyst@stats.e2e.test forged-1.lin:press@out.e2e.test \
	note-1.lin:news@out.e2e.test noterep-1.lin:desk@out.e2e.test; do
	e2e_wait 30 delivered_to "${tag#*:}" "${tag%%:*}" || e2e_fail "${tag%%:*} should be delivered to ${tag#*:}"
done
for tag in tb-1.lin ol-1.lin olti-1.lin fwd-1.lin tbg-1.lin; do
	[ -z "$(sink_grep "$tag")" ] || e2e_fail "$tag reached the outside world"
done
n=$(sqlite3 "$EM_QDIR/lineage.sqlite" "select count(*) from origins where message_id like 'mid:note%'")
[ "$n" = 0 ] || e2e_fail "an identifier note must not be recorded as an origin ($n rows)"

# --- 4. the review side --------------------------------------------------------
show=$("$CTL" lineage show -c "$EM_CONF" widgets-e2e) || e2e_fail "lineage show: $show"
printf '%s\n' "$show" | sed 's/^/  | /' >&2
printf '%s\n' "$show" | grep -q '<pra-1.lin@stats.e2e.test>.*delivered to allowed recipients' ||
	e2e_fail "lineage show does not list the PRA email as an origin"
printf '%s\n' "$show" | grep -A20 'matched through it' | grep -q 'tb-1.lin@gov.e2e.test.*held as record' ||
	e2e_fail "lineage show does not list the held reply under its origin"
show=$("$CTL" lineage show -c "$EM_CONF" '<note-1.lin@stats.e2e.test>') || e2e_fail "lineage show id"
printf '%s\n' "$show" | grep -q '^0 recorded origin' || e2e_fail "the identifier note has origins: $show"
"$CTL" scan -c "$EM_CONF" --lineage --from $PRA --rcpt press@out.e2e.test --json "$T/tb.eml" >"$T/scan.json"
[ $? = 1 ] || e2e_fail "scan --lineage of the reply should exit 1: $(cat "$T/scan.json")"
grep -q '"kind": *"thread"' "$T/scan.json" || e2e_fail "scan --lineage: no thread evidence: $(cat "$T/scan.json")"
"$CTL" scan -c "$EM_CONF" --from $PRA --rcpt press@out.e2e.test "$T/tb.eml" >/dev/null ||
	e2e_fail "scan without --lineage should not consult the store"

# --- 5. after publication the same reply goes ---------------------------------
# (the date is read on each try, not once when e2e_wait is called)
e2e_wait 90 sh -c '[ "$(date +%s)" -ge "$1" ]' _ "$((soon + 1))" || e2e_fail "clock"
out=$(send_smtp "$T/tbg.eml" $PRA press@out.e2e.test) || e2e_fail "tbg again: $out"
e2e_wait 30 delivered_to press@out.e2e.test tbg-1.lin || e2e_fail "the reply after publication was not delivered"
[ "$(pf_queue_count hold)" = 5 ] || e2e_fail "hold queue should still have 5, has $(pf_queue_count hold)"
exit 0
