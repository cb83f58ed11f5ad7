#!/bin/sh
# The fingerprint suite: release documents, headline figures, links and
# evidence strength, measured on a paraphrase set and a benign set.
#   tests/fprint/run.sh [BUILD]        (make check-fprint)
# 1. makes a key (embargoctl fingerprint --new-key), the example release's
#    documents (make-docs.py: draft.docx, last year's edition) and its .fp
#    with last year's edition as --published;
# 2. checks the relay holds no draft text: no sentence, no word run of 4 and
#    no figure of the draft occurs in the .fp;
# 3. scans every message of cases.tsv (make-cases.py) at a time before
#    publication, sender and recipient not on the list, and reports held /
#    total per class and evidence kind;
# 4. asserts the targets: >= 90% of retyped figure summaries held, >= 95% of
#    8+-word excerpts held, every link held, 0 benign messages quarantined,
#    every benign message naming the release with a marker gets confirm.
set -u
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
CTL=$(cd "$BUILD" && pwd)/embargoctl
T=$(mktemp -d /tmp/em-fprint.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0

cp -r "$HERE/conf" "$T/conf" || exit 2
# EXCERPT_WORDS=N measures another excerpt_words (the default, 8, was chosen so)
[ -n "${EXCERPT_WORDS:-}" ] && echo "excerpt_words = $EXCERPT_WORDS;" >> "$T/conf/embargo-milter.conf"
python3 "$HERE/make-docs.py" "$T/docs" || exit 2
"$CTL" fingerprint --new-key "$T/conf/fp.key" >/dev/null || { echo "FAIL fprint: --new-key"; exit 1; }
mode=$(stat -c %a "$T/conf/fp.key")
[ "$mode" = 640 ] || { echo "FAIL fprint: key file mode $mode, want 640"; fail=$((fail + 1)); }
"$CTL" fingerprint -c "$T/conf/embargo-milter.conf" --published "$T/docs/published.txt" \
	-o "$T/conf/releases.d/cla-2026.fp" "$T/docs/draft.docx" > "$T/fp.out" 2>&1 ||
	{ echo "FAIL fprint: embargoctl fingerprint"; cat "$T/fp.out"; exit 1; }
grep -q "left out as public: [1-9]" "$T/fp.out" ||
	{ echo "FAIL fprint: nothing left out as public"; fail=$((fail + 1)); }
grep -q "^  67 per 10,000" "$T/fp.out" ||
	{ echo "FAIL fprint: last year's 67 per 10,000 not reported as public"; fail=$((fail + 1)); }
"$CTL" check -c "$T/conf/embargo-milter.conf" > "$T/check.out" 2>&1 ||
	{ echo "FAIL fprint: check"; cat "$T/check.out"; fail=$((fail + 1)); }
grep -q "cla-2026: fingerprint .*passages.*figures.*key.*draft.docx" "$T/check.out" ||
	{ echo "FAIL fprint: check does not show the fingerprint"; cat "$T/check.out"; fail=$((fail + 1)); }

# ---- the relay holds no draft text ----
python3 - "$T/docs/draft.txt" "$T/conf/releases.d/cla-2026.fp" <<'PY' || fail=$((fail + 1))
import re, sys
draft = open(sys.argv[1], encoding="utf-8").read()
fp = "".join(l for l in open(sys.argv[2], encoding="utf-8") if not l.startswith("built ")).lower()
bad = []
sentences = [s.strip() for s in re.split(r"(?<=[.:;])\s+|\n", draft) if s.strip()]
for s in sentences:
    if s.lower() in fp:
        bad.append(s)
words = re.findall(r"[A-Za-z']+", draft)
for i in range(len(words) - 3):
    run = " ".join(words[i:i + 4]).lower()
    if run in fp:
        bad.append(run)
# figures as whole items (a hash is 16 hex digits: "472" inside one is chance)
items = set(fp.split())
for fig in set(re.findall(r"\d[\d,.]*\d%?|\d%", draft)):
    for form in (fig, fig.replace(",", ""), fig.rstrip("%")):
        # (counts below 100 are structure: "k 6", "figure 5")
        if form in items and (form.endswith("%") or len(form.replace(".", "")) >= 3):
            bad.append(form)
if bad:
    print("FAIL fprint: draft text in the .fp: %r" % bad[:5])
    sys.exit(1)
print("fprint: the .fp holds none of %d sentences, %d word runs, figures of the draft" %
      (len(sentences), len(words) - 3))
PY

# ---- scan every case ----
TAB=$(printf '\t')
: > "$T/results"
while IFS="$TAB" read -r file cls; do
	case "$file" in ''|'#'*) continue ;; esac
	out=$("$CTL" scan -c "$T/conf/embargo-milter.conf" --at "2026-11-17 12:00" \
		--from policy.adviser@education.example.gov.uk \
		--rcpt colleague.policy@education.example.gov.uk --json "$HERE/cases/$file" 2>&1)
	code=$?
	res=$(printf '%s' "$out" | python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)
except Exception:
    print("unparsable -"); sys.exit(0)
kinds = sorted({e["kind"] for r in v["releases"] for e in r["evidence"]})
print(v["action"], ",".join(kinds) or "-")')
	want=0; [ "${res%% *}" = accept ] || want=1
	[ "$code" = "$want" ] || { echo "FAIL fprint $file: exit $code for ${res%% *}"; fail=$((fail + 1)); }
	printf '%s\t%s\t%s\n' "$file" "$cls" "$res" >> "$T/results"
done < "$HERE/cases.tsv"

python3 - "$T/results" <<'PY' || fail=$((fail + 1))
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
def held(r): return r[2].split()[0] == "quarantine"
def kinds(r): return r[2].split()[1].split(",")
bad = 0
print("%-14s %6s %6s  %s" % ("class", "cases", "held", "evidence kind that held them / verdicts"))
for cls, kind, target in (("leak-figures", "figures", 0.90), ("leak-excerpt", "excerpt", 0.95),
                          ("leak-link", "link", 1.0)):
    rs = [r for r in rows if r[1] == cls]
    ok = [r for r in rs if held(r) and kind in kinds(r)]
    anyheld = [r for r in rs if held(r)]
    print("%-14s %6d %6d  %d held as %s (%.0f%%, target %.0f%%)" % (
        cls, len(rs), len(anyheld), len(ok), kind, 100.0 * len(ok) / max(len(rs), 1), 100 * target))
    for r in rs:
        if r not in ok:
            print("    missed %s: %s" % (r[0], r[2]))
    if len(ok) < target * len(rs):
        print("FAIL fprint: %s recall below target" % cls)
        bad = 1
for cls in ("benign", "benign-weak"):
    rs = [r for r in rows if r[1] == cls]
    q = [r for r in rs if held(r)]
    verdicts = {}
    for r in rs:
        verdicts[r[2].split()[0]] = verdicts.get(r[2].split()[0], 0) + 1
    print("%-14s %6d %6d  quarantined; verdicts %s" % (cls, len(rs), len(q),
          ", ".join("%s %d" % kv for kv in sorted(verdicts.items()))))
    for r in q:
        print("    FALSE HOLD %s: %s" % (r[0], r[2]))
    if q:
        bad = 1
    if cls == "benign-weak":
        for r in rs:
            if r[2] != "confirm identifier,marker":
                print("FAIL fprint: %s: weak-only match must be confirm, got %s" % (r[0], r[2]))
                bad = 1
sys.exit(bad)
PY
echo "fprint suite: $(grep -vc '^#' "$HERE/cases.tsv") messages, $fail failed"
[ "$fail" = 0 ]
