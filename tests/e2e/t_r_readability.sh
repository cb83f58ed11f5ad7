#!/bin/bash
# t_r_readability: every readability case (tests/corpus/readability, both
# cases.tsv and project-cases.tsv: the
# encodings and containers mail clients produce — uuencode, TNEF, flowed,
# RTF, S/MIME signed, hidden HTML, zip behind a stub, gzip, PGP armour
# mentions, base64 multiparts, stray encoded words, labels, calendars … and
# their benign twins) sent through the real Postfix with the project's own
# conf/ (its release moved to a publication two days from now): each leak is
# held in Postfix's hold queue, each benign twin reaches the outside world,
# each signalled but unreadable one is deferred (4xx).
# The same verdicts as `embargoctl scan` gives (make check-readability), now
# through the milter and the sandboxed extractor. Then every format case of
# tests/extract (PDF, .doc/.xls/.ppt, RTF, TNEF, archives, .msg, OCR, S/MIME)
# but the hostile ones, the same way.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CASES=$ROOT/tests/corpus/readability
[ -x "$BUILD/embargo-extract" ] || e2e_skip "$BUILD/embargo-extract not built"
e2e_init
sink_start
EM_DIR=$E2E_TMP/em
EM_CONF=$EM_DIR/embargo-milter.conf
EM_QDIR=$EM_DIR/quarantine
mkdir -p "$EM_DIR/releases.d" "$EM_QDIR"
# the shipped config, with this instance's quarantine and control socket
sed -e "s|^quarantine_dir = .*|quarantine_dir = \"$EM_QDIR\";|" -e '/^socket = /d' \
	"$ROOT/conf/embargo-milter.conf" >"$EM_CONF"
echo 'control_socket = "control.sock";' >>"$EM_CONF"
cp "$ROOT"/conf/releases.d/* "$EM_DIR/releases.d/"
pub=$(em_time 48)
sed -i "s|^  publish_at = .*|  publish_at = \"$pub\";|" "$EM_DIR/releases.d/fostering-2020.conf"
grep -q "publish_at = \"$pub\"" "$EM_DIR/releases.d/fostering-2020.conf" || e2e_fail "publish_at not moved"
EM_PORT=$(e2e_free_port)
em_start
em_wait_ready
pf_setup "$EM_SOCKET"
pf_start

held=0 delivered=0 deferred=0 n=0
XCASES=$ROOT/tests/extract/cases
# the readability cases, then every extractor format case but the hostile
# ones (t_n_extract sends those)
{
	sed 's|^|R\t|' "$CASES/cases.tsv" "$CASES/project-cases.tsv"
	grep -v '^hostile-' "$ROOT/tests/extract/cases.tsv" | awk -F'\t' '{print "X\t" $1 "\t" $2 "\t" $4}'
} >"$E2E_TMP/cases.tsv"
while IFS="$(printf '\t')" read -r set file want kind _; do
	case "$file" in file | "#"* | "") continue ;; esac
	dir=$CASES
	[ "$set" = X ] && dir=$XCASES
	[ -f "$dir/$file" ] || e2e_fail "$file listed but missing"
	n=$((n + 1))
	mid=$(grep -m1 -i '^message-id:' "$dir/$file" | sed 's/^[^<]*<\([^>]*\)>.*/\1/')
	out=$(send_smtp "$dir/$file" private.office@education.example.gov.uk \
		duty.press.officer@education.example.gov.uk)
	rc=$?
	if [ "$want" = tempfail ]; then
		# signalled but unreadable: deferred (4xx), never held or delivered
		[ "$rc" = 4 ] || e2e_fail "$file ($kind): want 4xx, got: $out"
		deferred=$((deferred + 1))
		continue
	fi
	[ "$rc" = 0 ] || e2e_fail "$file: relay refused: $out"
	case "$want" in
	quarantine | confirm)
		held=$((held + 1))
		pf_wait_hold "$held" 60 || e2e_fail "$file ($kind): not held"
		;;
	accept)
		delivered=$((delivered + 1))
		[ -n "$mid" ] || e2e_fail "$file: no Message-ID to find it at the sink"
		sink_wait_grep "$mid" 60 || e2e_fail "$file ($kind): benign message not delivered"
		;;
	*) e2e_fail "$file: unknown expected action $want" ;;
	esac
done <"$E2E_TMP/cases.tsv"
pf_wait_settled 60 || true
[ "$(pf_queue_count hold)" = "$held" ] || e2e_fail "held $(pf_queue_count hold), want $held"
[ "$(em_record_count)" = "$held" ] || e2e_fail "records $(em_record_count), want $held"
kill -0 "$EM_PID" 2>/dev/null || e2e_fail "the daemon died"
e2e_log "$n cases: $held held, $delivered delivered, $deferred deferred"
exit 0
