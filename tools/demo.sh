#!/bin/bash
# tools/demo.sh - see embargo-milter work before pointing real mail at it.
#
# Installs what is missing (tests/deps.sh), builds, then starts a throw-away
# Postfix on 127.0.0.1 (its own config and queue directories under /tmp, a
# capture sink standing in for the outside world) with the milter and the
# example release of conf/ (Fostering in England 2019-20), moved to the present:
# publication 13 hours from now, pre-release access opened 11 hours ago.
# It replays the two breaches of the seed report and a legitimate pre-release
# email, prints what happened to each and the quarantine list, then stops
# everything it started and removes its files. Nothing in /etc is changed.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it starts a private Postfix instance)" >&2; exit 2; }
echo "== installing dependencies (if missing) and building"
tests/deps.sh >/dev/null
make -s -j2 all >/dev/null
BUILD=build
. tests/e2e/lib.sh

e2e_init
sink_start
EM_DIR=$E2E_TMP/em
EM_CONF=$EM_DIR/embargo-milter.conf
EM_RELEASES=$EM_DIR/releases.d
EM_QDIR=$EM_DIR/quarantine
mkdir -p "$EM_RELEASES" "$EM_QDIR"
sed -e "s|^quarantine_dir = .*|quarantine_dir = \"$EM_QDIR\";|" conf/embargo-milter.conf >"$EM_CONF"
publish=$(date -u -d "@$(($(date +%s) + 13 * 3600))" +%Y-%m-%dT%H:%M:%SZ)
opened=$(date -u -d "@$(($(date +%s) - 11 * 3600))" +%Y-%m-%dT%H:%M:%SZ)
sed -e "s|^  publish_at = .*|  publish_at = \"$publish\";\n  pre_release_from = \"$opened\";|" \
	conf/releases.d/fostering-2020.conf >"$EM_RELEASES/fostering-2020.conf"
cp conf/releases.d/fostering-2020.pra "$EM_RELEASES/"
echo "== the release, as the milter sees it now"
"$BUILD/embargoctl" check -c "$EM_CONF"
em_start
em_wait_ready
pf_setup "$EM_SOCKET"
pf_start

POLICY=policy.official@education.example.gov.uk
send() {	# send LABEL FILE FROM RCPT...
	local label=$1 file=$2 from=$3
	shift 3
	local out
	out=$(send_smtp "tests/corpus/cases/$file" "$from" "$@" 2>&1) || true
	printf '\n--- %s\n    from %s to %s\n' "$label" "$from" "$*"
	[ -n "$out" ] && printf '    SMTP: %s\n' "$(printf '%s' "$out" | tr '\n' ' ' | cut -c1-200)"
}
send "Breach 1: 'short summary of 5 headline findings', marked OFFICIAL-SENSITIVE, to 6 policy colleagues" \
	breach1-headline-summary.eml "$POLICY" policy.colleague{1,2,3,4,5,6}@education.example.gov.uk
send "Breach 2: private office sends the final briefing note (.docx) to the duty press officer" \
	breach2-briefing-note-docx.eml private.office@education.example.gov.uk duty.press.officer@education.example.gov.uk
send "Legitimate: the pre-release access email to two people on the list" \
	pra-email-to-list.eml statistician@stats.example.gov.uk \
	secretary.of.state.po@education.example.gov.uk minister.po@education.example.gov.uk

_demo_settled() { [ "$(pf_queue_count hold)" -ge 2 ] && [ "$(sink_count)" -ge 1 ]; }
e2e_wait 30 _demo_settled || true
sleep 1
echo
echo "== what happened"
printf '  delivered to the outside world: %s message(s)\n' "$(sink_count)"
for r in minister.po@education.example.gov.uk duty.press.officer@education.example.gov.uk policy.colleague1@education.example.gov.uk; do
	if [ -n "$(sink_files_for "$r")" ]; then s=delivered; else s="NOT delivered"; fi
	printf '  %-48s %s\n' "$r" "$s"
done
printf '  held in Postfix'"'"'s hold queue: %s message(s)\n' "$(pf_queue_count hold)"
echo
echo "== the milter's decisions (syslog lines)"
grep -E "action=" "$E2E_TMP/milter.log" | sed 's/^/  /'
echo
echo "== embargoctl quarantine list (what the security team sees)"
"$BUILD/embargoctl" quarantine list -c "$EM_CONF" || true
id=$("$BUILD/embargoctl" quarantine list -c "$EM_CONF" --json 2>/dev/null |
	python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[-1]["id"] if r else "")' 2>/dev/null || true)
if [ -n "$id" ]; then
	echo
	echo "== embargoctl report $id (the breach-report draft, first lines)"
	"$BUILD/embargoctl" report -c "$EM_CONF" "$id" --format txt | head -30
fi
echo
echo "== stopping the demo Postfix, sink and milter; removing $E2E_TMP"
