#!/usr/bin/env python3
"""Generates the golden corpus: tests/corpus/cases/*.eml and cases.tsv.

Each case is a realistic message (as Outlook, Gmail or Thunderbird would
encode it) with the envelope, the decision time and the verdict expected under
the repository's example configuration (conf/, modelling the seed breach report:
Fostering in England 2019-20, published 2020-11-12 09:30 GMT).
The .eml files are committed; re-run this script only to change the corpus.
"""
import base64, io, os, struct, zipfile
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.mime.message import MIMEMessage
from email.header import Header
from email import policy

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")
rows = []

POLICY = "policy.official@education.example.gov.uk"
COLLEAGUES = ["policy.colleague%d@education.example.gov.uk" % i for i in range(1, 7)]
PRESS = "duty.press.officer@education.example.gov.uk"
PO = "private.office@education.example.gov.uk"
STATS = "statistician@stats.example.gov.uk"
PRA = ["secretary.of.state.po@education.example.gov.uk", "minister.po@education.example.gov.uk"]

FINDINGS = """Headline findings (5):
1. The number of fostering households fell by 2% to 43,905.
2. Approved foster carers down 1%.
3. Enquiries from prospective carers rose.
4. Applications fell.
5. Places stable.
"""


def emit(name, raw, at, sender, rcpts, action, releases, trick):
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(raw)
    rows.append("\t".join([name + ".eml", at, sender, ",".join(rcpts), action, ",".join(releases) or "-", trick]))


def base(msg, sender, rcpts, subject):
    msg["From"] = sender
    msg["To"] = ", ".join(rcpts)
    msg["Subject"] = subject
    msg["Date"] = "Wed, 11 Nov 2020 11:45:00 +0000"
    msg["Message-ID"] = "<%s@example.gov.uk>" % abs(hash(subject))
    return msg


def plain(sender, rcpts, subject, body, cte="7bit", charset="utf-8", extra=None):
    m = EmailMessage(policy=policy.SMTP)
    base(m, sender, rcpts, subject)
    for k, v in (extra or {}).items():
        m[k] = v
    m.set_content(body, charset=charset, cte=cte)
    return m.as_bytes()


def docx(paragraphs_runs, label=None):
    """A minimal .docx: paragraphs made of runs; optional MSIP label."""
    buf = io.BytesIO()
    z = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
    body = "".join("<w:p>" + "".join('<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>' % r for r in runs) + "</w:p>" for runs in paragraphs_runs)
    z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % body)
    if label:
        guid = "3f1b2c4d-0000-4a5b-9c8d-1234567890ab"
        z.writestr("docProps/custom.xml", '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="MSIP_Label_%s_Enabled"><vt:lpwstr>true</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="MSIP_Label_%s_Name"><vt:lpwstr>%s</vt:lpwstr></property></Properties>' % (guid, guid, label))
    z.close()
    return buf.getvalue()


def xlsx_inline(cells):
    buf = io.BytesIO()
    z = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    row = "".join('<c r="A%d" t="inlineStr"><is><t>%s</t></is></c>' % (i + 1, c) for i, c in enumerate(cells))
    z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">%s</row></sheetData></worksheet>' % row)
    z.close()
    return buf.getvalue()


def encrypted_zip(name, data):
    """A zip whose entry is flagged as password-protected (traditional PKWARE)."""
    buf = io.BytesIO()
    z = zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED)
    z.writestr(name, data)
    z.close()
    b = bytearray(buf.getvalue())
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = b.find(sig)
        struct.pack_into("<H", b, i + off, struct.unpack_from("<H", b, i + off)[0] | 1)
    return bytes(b)


def with_attachment(sender, rcpts, subject, body, data, filename, mimetype=("application", "octet-stream"), extra=None):
    m = MIMEMultipart()
    base(m, sender, rcpts, subject)
    for k, v in (extra or {}).items():
        m[k] = v
    m.attach(MIMEText(body, "plain", "utf-8"))
    a = MIMEApplication(data, mimetype[1])
    a.add_header("Content-Disposition", "attachment", filename=filename)
    m.attach(a)
    return m.as_bytes()


os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.unlink(os.path.join(OUT, f))

# --- the two breaches of the seed report -------------------------------------
emit("breach1-headline-summary", plain(POLICY, COLLEAGUES, "OFFICIAL-SENSITIVE: Fostering in England - lines to take",
     "Colleagues,\n\nAhead of tomorrow's Fostering in England publication, a short summary so we can prepare reactive lines.\n\n" + FINDINGS + "\nPlease do not share.\n"),
     "2020-11-11 11:45", POLICY, COLLEAGUES, "quarantine", ["fostering-2020"], "seed breach 1: marker in subject, identifier and headline figure in body, 6 recipients off the list")
emit("breach2-briefing-note-docx", with_attachment(PO, [PRESS], "Final briefing note", "Please find attached the final briefing note for tomorrow.\n",
     docx([["Briefing note: Fos", "tering in Eng", "land 2019-20"], ["The number of fostering households fell by 2%."]], label="OFFICIAL-SENSITIVE"),
     "Briefing note FINAL.docx", ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")),
     "2020-11-11 20:35", PO, [PRESS], "quarantine", ["fostering-2020"], "seed breach 2: .docx with MSIP label, identifier split across runs, 13 h before publication")
# --- legitimate mail ---------------------------------------------------------
emit("pra-email-to-list", plain(STATS, PRA, "PRE-RELEASE ACCESS: Fostering in England 2019-20",
     "You have pre-release access to Fostering in England 2019-20.\n" + FINDINGS),
     "2020-11-11 09:35", STATS, PRA, "accept", ["fostering-2020"], "the pre-release email itself, to PRA recipients inside the window")
emit("producers-before-window", plain(STATS, ["analyst@stats.example.gov.uk", "head.of.profession@example.gov.uk"], "Draft: Fostering in England (OFFICIAL-SENSITIVE)", FINDINGS),
     "2020-11-09 14:00", STATS, ["analyst@stats.example.gov.uk", "head.of.profession@example.gov.uk"], "accept", ["fostering-2020"], "producers and always_allowed before the PRA window")
emit("pra-before-window", plain(STATS, ["minister.po@education.example.gov.uk"], "Draft: Fostering in England (OFFICIAL-SENSITIVE)", FINDINGS),
     "2020-11-10 14:00", STATS, ["minister.po@education.example.gov.uk"], "quarantine", ["fostering-2020"], "a PRA recipient before pre_release_from is not yet allowed")
emit("after-publication", plain(POLICY, COLLEAGUES, "OFFICIAL-SENSITIVE: Fostering in England - lines to take", FINDINGS),
     "2020-11-12 09:31", POLICY, COLLEAGUES, "accept", [], "after publish_at a release never blocks")
emit("release-calendar-identifier-only", plain(STATS, ["everyone@education.example.gov.uk"], "Statistics release calendar: November",
     "Forthcoming: Fostering in England 2019-20, 12 November 09:30.\n"),
     "2020-11-11 12:00", STATS, ["everyone@education.example.gov.uk"], "accept", [], "identifier alone (public calendar) is not a match")
emit("content-pattern-no-marker", plain(POLICY, ["friend@example.org"], "heads up", "fyi the number of fostering households fell by 2.3% this year\n"),
     "2020-11-11 12:00", POLICY, ["friend@example.org"], "quarantine", ["fostering-2020"], "a content pattern alone matches")
# --- encodings -----------------------------------------------------------------
emit("qp-soft-break-2047-subject",
     b"From: policy.official@education.example.gov.uk\r\nTo: policy.colleague1@education.example.gov.uk\r\n"
     b"Subject: =?utf-8?q?OFFICIAL=E2=80=93SENSI?= =?utf-8?q?TIVE_lines?=\r\nMIME-Version: 1.0\r\n"
     b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
     b"Summary of Fos=\r\ntering in Eng=\r\nland ahead of publication.\r\n",
     "2020-11-11 12:00", POLICY, COLLEAGUES[:1], "quarantine", ["fostering-2020"], "RFC 2047 split words with an en dash; QP soft breaks inside the identifier")
html = '<html><head><style>p{color:red}</style></head><body><p>OFFICIAL&nbsp;SENSITIVE</p><p>Fos<span style="x">ter</span>ing in Eng&shy;land: <b>draft</b></p></body></html>'
m = MIMEMultipart("alternative"); base(m, POLICY, COLLEAGUES[:2], "lines")
m.attach(MIMEText("see html version", "plain", "utf-8")); m.attach(MIMEText(html, "html", "utf-8"))
emit("html-tags-inside-words", m.as_bytes(), "2020-11-11 12:00", POLICY, COLLEAGUES[:2], "quarantine", ["fostering-2020"], "HTML only: tags and &shy; inside words, &nbsp; in the marker, base64")
emit("msip-labels-header", plain(POLICY, COLLEAGUES[:1], "lines to take", "Fostering in England: lines attached below.\n",
     extra={"msip_labels": "MSIP_Label_3f1b2c4d-0000-4a5b-9c8d-1234567890ab_Enabled=true; MSIP_Label_3f1b2c4d-0000-4a5b-9c8d-1234567890ab_Name=OFFICIAL-SENSITIVE; MSIP_Label_3f1b2c4d-0000-4a5b-9c8d-1234567890ab_SetDate=2020-11-11T11:40:00Z"}),
     "2020-11-11 12:00", POLICY, COLLEAGUES[:1], "quarantine", ["fostering-2020"], "the Outlook sensitivity label header is the only marker")
emit("x-protective-marking", plain(POLICY, COLLEAGUES[:1], "lines", "Fostering in England attached.\n",
     extra={"X-Protective-Marking": "VER=2018.1, NS=gov.uk, SEC=OFFICIAL:Sensitive, ORIGIN=policy.official@education.example.gov.uk"}),
     "2020-11-11 12:00", POLICY, COLLEAGUES[:1], "quarantine", ["fostering-2020"], "X-Protective-Marking SEC=OFFICIAL:Sensitive against the default marker")
emit("quoted-reply-wrapped", plain(PRESS, ["someone@example.org"], "Re: lines",
     "Thanks, noted.\n\nOn Wed, 11 Nov 2020 at 11:45, Policy wrote:\n> OFFICIAL SENSITIVE. Summary of the Fostering in\n> England figures:\n> - households down\n"),
     "2020-11-11 13:00", PRESS, ["someone@example.org"], "quarantine", ["fostering-2020"], "identifier wrapped across two quoted lines")
inner = EmailMessage(policy=policy.SMTP); base(inner, POLICY, COLLEAGUES[:1], "OFFICIAL-SENSITIVE Fostering in England"); inner.set_content(FINDINGS, cte="base64")
fwd = MIMEMultipart(); base(fwd, COLLEAGUES[0], ["outsider@example.org"], "Fwd: lines"); fwd.attach(MIMEText("see below", "plain")); fwd.attach(MIMEMessage(inner))
emit("forwarded-rfc822", fwd.as_bytes(), "2020-11-11 13:00", COLLEAGUES[0], ["outsider@example.org"], "quarantine", ["fostering-2020"], "forwarded as message/rfc822 with a base64 body")
emit("xlsx-inline-strings", with_attachment(STATS, ["outsider@example.org"], "tables", "tables attached\n",
     xlsx_inline(["OFFICIAL-SENSITIVE", "Fostering in England: table 1"]), "tables.xlsx"),
     "2020-11-11 13:00", STATS, ["outsider@example.org"], "quarantine", ["fostering-2020"], "xlsx inline strings, declared octet-stream")
emit("utf16-text-attachment", with_attachment(POLICY, ["outsider@example.org"], "notes", "notes attached\n",
     "\ufeffOFFICIAL-SENSITIVE\r\nFostering in England notes\r\n".encode("utf-16-le"), "notes.txt"),
     "2020-11-11 13:00", POLICY, ["outsider@example.org"], "quarantine", ["fostering-2020"], "UTF-16LE text with BOM as octet-stream")
emit("cp1252-en-dash", plain(POLICY, ["outsider@example.org"], "notes", "OFFICIAL\u2013SENSITIVE\nFostering in England\n", cte="8bit", charset="windows-1252"),
     "2020-11-11 13:00", POLICY, ["outsider@example.org"], "quarantine", ["fostering-2020"], "windows-1252 en dash (0x96) in the marker")
emit("encrypted-zip", with_attachment(POLICY, ["outsider@example.org"], "figures", "password to follow\n",
     encrypted_zip("figures.txt", b"OFFICIAL-SENSITIVE Fostering in England"), "figures.zip"),
     "2020-11-11 13:00", POLICY, ["outsider@example.org"], "tempfail", [], "password-protected archive cannot be scanned: on_error")
emit("bcc-only-outsider", plain(STATS, PRA[:1], "PRE-RELEASE ACCESS: Fostering in England", FINDINGS),
     "2020-11-11 13:00", STATS, PRA[:1] + ["hidden.bcc@example.org"], "quarantine", ["fostering-2020"], "the outsider is only in the envelope (Bcc)")
emit("outlook-spaced-dash-marker", open(os.path.join(HERE, "outlook-spaced-dash-marker.src"), "rb").read(),
     "2020-11-11 12:00", POLICY, ["colleague@education.example.gov.uk"], "quarantine", ["fostering-2020"],
     "Outlook multipart/alternative, iso-8859-1 QP with cp1252 bytes, marker written 'OFFICIAL \u2013 SENSITIVE'")
emit("smime-encrypted-body",
     b"From: policy.official@education.example.gov.uk\r\nTo: outsider@example.org\r\nSubject: figures\r\nMIME-Version: 1.0\r\n"
     b"Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
     b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7m\r\n\r\n"
     + base64.encodebytes(bytes(range(256)) * 8).replace(b"\n", b"\r\n"),
     "2020-11-11 13:00", POLICY, ["outsider@example.org"], "tempfail", [], "S/MIME-encrypted body cannot be scanned: on_error")
emit("unrelated-mail", plain(POLICY, ["outsider@example.org"], "Lunch?", "Are you free for lunch on Thursday?\n"),
     "2020-11-11 13:00", POLICY, ["outsider@example.org"], "accept", [], "ordinary mail")

with open(os.path.join(HERE, "cases.tsv"), "w") as f:
    f.write("# file\tat\tfrom\trcpts\texpected-action\texpected-releases\ttrick\n")
    f.write("\n".join(rows) + "\n")
print("wrote %d cases" % len(rows))
