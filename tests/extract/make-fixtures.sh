#!/bin/bash
# make-fixtures.sh - makes tests/extract/fixtures/ with real tools, then the
# .eml cases (make-cases.py). Run by hand when a fixture must change; the
# outputs are checked in so the tests do not need LibreOffice.
#   Needs: libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
#          tnef openssl p7zip-full gcab xorriso zstd bzip2 xz-utils python3 libgsf-1-dev
# Leak text: the seed report's release (conf/releases.d/fostering-2020.conf).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$here/fixtures
work=$(mktemp -d /tmp/em-fixtures.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"
export HOME=$work # LibreOffice's profile
so() { soffice --headless --convert-to "$1" --outdir "$work" "$2" >/dev/null 2>&1; }

printf 'OFFICIAL-SENSITIVE\nDraft headline for Fostering in England 2019-20:\nThe number of fostering households fell by 2.3%% on the previous year.\n' >leak.txt
printf 'Minutes of the facilities meeting.\nThe canteen reopens on Monday; the lifts are serviced on Friday.\n' >benign.txt
printf 'Measure,2019,2020\nOFFICIAL-SENSITIVE,,\nFostering in England 2019-20,,\nThe number of fostering households fell by 2.3%% on the previous year,1,2\n' >leak.csv
cat >leak.fodp <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:body><office:presentation><draw:page draw:name="p1">
  <draw:frame svg:x="1cm" svg:y="1cm" svg:width="20cm" svg:height="10cm"><draw:text-box>
   <text:p>OFFICIAL-SENSITIVE</text:p>
   <text:p>Draft headline for Fostering in England 2019-20:</text:p>
   <text:p>The number of fostering households fell by 2.3% on the previous year.</text:p>
  </draw:text-box></draw:frame></draw:page></office:presentation></office:body></office:document>
XML
so pdf leak.txt
so doc leak.txt
so docx leak.txt
so 'rtf:Rich Text Format' leak.txt
so png leak.txt
so xls leak.csv
so ppt leak.fodp
cp benign.txt benign-src.txt && so pdf benign-src.txt && mv benign-src.pdf benign.pdf
# Word writes each edit session's run as its own group: the phrase only exists
# once the groups are joined (the shared case 04 is one of these).
printf '%s\r\n' '{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}' \
	'{\pard\b OFFICIAL{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid7088 -}SENSITIVE\b0\par}' \
	'{\pard Draft headline for {\rtlch\fcs1 \af0 \insrsid7088 Fostering in }{\insrsid9123 England} 2019\'"'"'9620:\par}' \
	'{\pard The number of fostering house{\insrsid55 holds} fell by 2.{\insrsid56 3}{\insrsid55 %} on the previous year.\par}' \
	'}' >word-style.rtf
for f in leak.pdf leak.doc leak.docx leak.rtf leak.png leak.xls leak.ppt benign.pdf word-style.rtf; do
	[ -s "$f" ] || { echo "make-fixtures: $f was not made" >&2; exit 1; }
done

# TNEF: a .doc attached to an Outlook "Rich Text" message; and one whose only
# body is compressed RTF (what Outlook really sends). Read back with tnef(1).
python3 "$here/mktnef.py" tnef-doc.dat "Please see the attached note." leak.doc
python3 "$here/mktnef.py" --rtf-body word-style.rtf tnef-rtf.dat ""
python3 "$here/mktnef.py" tnef-benign.dat "See you on Monday." benign.txt
for f in tnef-doc.dat tnef-rtf.dat; do
	mkdir -p "chk-$f" && tnef -f "$f" -C "chk-$f" --save-body --body-pref=all >/dev/null
	[ -n "$(ls "chk-$f")" ] || { echo "make-fixtures: tnef cannot read $f" >&2; exit 1; }
done

# Outlook .msg: written with libgsf's OLE2 writer (mkmsg.c; no Debian tool writes .msg).
cc -o mkmsg "$here/mkmsg.c" $(pkg-config --cflags --libs libgsf-1)
./mkmsg msg-doc.msg "Note" "Please see the attached briefing." leak.doc
./mkmsg msg-body.msg "Fostering in England 2019-20" "OFFICIAL-SENSITIVE. The number of fostering households fell by 2.3% on the previous year." benign.txt
./mkmsg msg-benign.msg "Facilities" "See the minutes." benign.txt

# S/MIME: a throw-away key; opaque-signed (signed-data, content inside) and
# encrypted (enveloped-data) versions of one MIME entity.
openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 3650 -subj "/CN=private.office@education.example.gov.uk" 2>/dev/null
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n%s' "$(cat leak.txt)" >entity.txt
openssl cms -sign -nodetach -binary -in entity.txt -signer c.pem -inkey k.pem -outform DER -out smime-signed.p7m
openssl cms -encrypt -binary -in entity.txt -aes256 -outform DER -out smime-enveloped.p7m c.pem
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nSee you on Monday.\r\n' >benign-entity.txt
openssl cms -sign -nodetach -binary -in benign-entity.txt -signer c.pem -inkey k.pem -outform DER -out smime-signed-benign.p7m

# Archives (libarchive formats): a .docx and a .txt in tar.gz, a PDF in tar.bz2,
# text in tar.xz, a .doc in 7z, text in cab, iso and a bare zstd stream.
mkdir a && cp leak.docx leak.txt a/
tar -C a -czf leak.tar.gz leak.docx leak.txt
tar -C a -cjf leak.tar.bz2 -C "$work" leak.pdf
tar -C a -cJf leak.tar.xz leak.txt
7z a -bd -bso0 leak.7z leak.doc
gcab -c -z leak.cab leak.txt
xorriso -as mkisofs -quiet -o leak.iso a/leak.txt 2>/dev/null
zstd -q -o leak.txt.zst leak.txt
gzip -c benign.txt >benign.txt.gz
# 1 KB of zeros first: the decompressed stream looks like an empty tar archive
{ head -c 1024 /dev/zero; cat leak.txt; } | gzip -c >zero-prefixed.txt.gz
tar -czf benign.tar.gz benign.txt benign.pdf

# Hostile corpus for the sandbox.
head -c 200000000 /dev/zero | gzip -9 >bomb.gz
head -c 1000000000 /dev/zero | bzip2 -9 >bomb.bz2
head -c 200000000 /dev/zero | xz -9 >bomb.xz
head -c 200000000 /dev/zero | zstd -19 -q >bomb.zst
head -c 200000000 /dev/zero >zeros.bin && tar -czf bomb.tar.gz zeros.bin
7z a -bd -bso0 -mx=9 bomb.7z zeros.bin
gcab -c -z bomb.cab zeros.bin
rm zeros.bin
python3 "$here/mkhostile.py" "$work"
head -c 3000 leak.doc >truncated.doc

cp leak.pdf leak.doc leak.docx leak.rtf leak.png leak.xls leak.ppt benign.pdf word-style.rtf \
	tnef-doc.dat tnef-rtf.dat tnef-benign.dat smime-signed.p7m smime-enveloped.p7m smime-signed-benign.p7m \
	leak.tar.gz leak.tar.bz2 leak.tar.xz leak.7z leak.cab leak.iso leak.txt.zst benign.txt.gz benign.tar.gz zero-prefixed.txt.gz \
	bomb.gz bomb.bz2 bomb.xz bomb.zst bomb.tar.gz bomb.7z bomb.cab huge.png loop.pdf truncated.doc \
	small-logo.png msg-doc.msg msg-body.msg msg-benign.msg "$out/"
python3 "$here/make-cases.py"
echo "make-fixtures: $(ls "$out" | wc -l) fixtures in $out"
