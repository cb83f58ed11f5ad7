#!/usr/bin/env python3
"""Writes the red-team messages (tests/redteam/cases/*.eml) and cases.tsv.

Each message is what a mail client of a statistics department sends, byte for
byte in its style: Outlook (QP plain + base64 HTML with MsoNormal, &nbsp;,
smart quotes, winmail.dat, RFC 2047-encoded attachment names inside quotes),
Apple Mail and iOS Mail (format=flowed, "Sent from my iPhone", base64 UTF-8),
Thunderbird (RFC 2231 names, format=flowed), Gmail and Android Gmail
(multipart/alternative, <div dir="auto">), Outlook mobile, calendar invites,
forwards as message/rfc822, zip attachments, LibreOffice documents.
The documents come from make-docs.sh (LibreOffice); the text is invented, in
the style of Ofsted's "Fostering in England" (the seed report's release).

Usage: make-cases.py DOCSDIR OUTDIR  (writes OUTDIR/*.eml; cases.tsv is
written by hand beside this script).  Licence: as the project.
"""
import base64
import io
import os
import quopri
import sys
import zipfile

DOCS, OUT = sys.argv[1], sys.argv[2]
os.makedirs(OUT, exist_ok=True)

POLICY = "Sam Policy <sam.policy@education.example.gov.uk>"
PRESS = "Duty Press Officer <duty.press@education.example.gov.uk>"
PO = "Private Office <minister.po@education.example.gov.uk>"
STATS = "Fostering statistics <fostering.stats@stats.ofsted.example.gov.uk>"
HOP = "Head of Profession <hop@ofsted.example.gov.uk>"

NBSP = "\u00a0"
SHY = "\u00ad"


def b64(data, width=76):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + width] for i in range(0, len(s), width))


def qp(text):
    return quopri.encodestring(text.encode("utf-8")).decode().replace("\n", "\r\n")


def doc(name):
    with open(os.path.join(DOCS, name), "rb") as f:
        return f.read()


def hdr(frm, to, subject, date="Wed, 11 Nov 2026 11:45:12 +0000",
        mid="<red@example.gov.uk>", extra=""):
    return (f"From: {frm}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\n"
            f"Message-ID: {mid}\r\nMIME-Version: 1.0\r\n{extra}")


def write(name, text):
    if isinstance(text, str):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(text)


def outlook_alt(plain, html):
    """Outlook desktop: multipart/alternative, plain QP, HTML base64 (windows
    smart quotes as UTF-8), MsoNormal paragraphs, &nbsp; everywhere."""
    paras = "".join(
        f'<p class="MsoNormal"><span style="font-size:11.0pt;font-family:&quot;Arial&quot;,sans-serif">{p}<o:p></o:p></span></p>\r\n'
        for p in html)
    body = ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
            '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style><!--\r\n'
            'p.MsoNormal {margin:0cm;font-size:11.0pt;}\r\n--></style></head>'
            '<body lang="EN-GB" link="#0563C1" style="word-wrap:break-word"><div class="WordSection1">\r\n'
            + paras + '</div></body></html>')
    return ('Content-Type: multipart/alternative;\r\n\tboundary="_000_LO2P265MB0001_"\r\n\r\n'
            '--_000_LO2P265MB0001_\r\nContent-Type: text/plain; charset="utf-8"\r\n'
            'Content-Transfer-Encoding: quoted-printable\r\n\r\n' + qp(plain) + '\r\n'
            '--_000_LO2P265MB0001_\r\nContent-Type: text/html; charset="utf-8"\r\n'
            'Content-Transfer-Encoding: base64\r\n\r\n' + b64(body.encode()) + '\r\n'
            '--_000_LO2P265MB0001_--\r\n')


OUTLOOK_HDRS = ("Thread-Topic: {topic}\r\nThread-Index: AdnRbGhXcFq0k1lMT0KqGZ3N1bq0dA==\r\n"
                "X-MS-Has-Attach: {att}\r\nX-MS-TNEF-Correlator:\r\n"
                "msip_labels: MSIP_Label_1a2b3c4d-0000-4000-8000-000000000001_Enabled=true;"
                " MSIP_Label_1a2b3c4d-0000-4000-8000-000000000001_Name={label}\r\n"
                "Content-Language: en-GB\r\n")

# ---------------------------------------------------------------- leaks
# L01 the seed's first breach, as Outlook writes it: five headline findings in
# the policy official's words, Official Sensitive, no release name, HTML has
# &nbsp; between figure and unit, "per cent", "£1.4bn".
plain = ("OFFICIAL-SENSITIVE\n\nAll,\n\nAhead of publication tomorrow, a heads-up on the five headline "
         "findings so we can prepare reactive lines:\n\n"
         "1. Fostering households are down 3.2 per cent to 42,850 - fifth fall in a row.\n"
         "2. LA services lost 2,140 households; IFAs recruited only 1,310.\n"
         "3. Spending on placements hit \u00a31.4bn, up 6%.\n"
         "4. IFA share up 0.3 percentage points to 38.6%.\n"
         "5. Applications to foster fell to 8,730 \u2013 lowest since 2014.\n\n"
         "Please don\u2019t share further.\n\nSam\n")
html = ["OFFICIAL-SENSITIVE", "&nbsp;", "All,", "&nbsp;",
        "Ahead of publication tomorrow, a heads-up on the five headline findings so we can prepare reactive lines:",
        "1.&nbsp;Fostering households are down 3.2&nbsp;per cent to 42,850 &#8211; fifth fall in a row.",
        "2.&nbsp;LA services lost 2,140 households; IFAs recruited only 1,310.",
        "3.&nbsp;Spending on placements hit &pound;1.4bn, up 6%.",
        "4.&nbsp;IFA share up 0.3 percentage points to 38.6%.",
        "5.&nbsp;Applications to foster fell to 8,730 &#8211; lowest since 2014.",
        "Please don&#8217;t share further.", "Sam"]
write("L01-outlook-five-findings.eml",
      hdr(POLICY, "policy-team@education.example.gov.uk", "Heads up - tomorrow's stats",
          extra=OUTLOOK_HDRS.format(topic="Heads up - tomorrow's stats", att="no", label="OFFICIAL-SENSITIVE"))
      + outlook_alt(plain, html))

# L02 the same findings in words and other units, no marker at all
plain = ("Hi both,\n\nQuick summary for lines: fostering households fell by just over three per cent "
         "(3.2pc) to 42.9k, spending on placements is 1.4 billion pounds and the IFA share is up "
         "0.3 ppts. Applications down to 8.7k.\n\nThanks\nSam\n")
write("L02-words-and-units.eml",
      hdr(POLICY, PRESS, "lines for Thursday") +
      'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' + qp(plain))

# L03 iPhone: base64 UTF-8, thin/no-break spaces as thousands separators,
# "Sent from my iPhone"
plain = ("Headline for tomorrow: fostering households down 3.2%\u00a0to 42\u202f850. Spend \u00a31.4\u00a0bn. "
         "IFAs took 38.6% of placements (+0.3pp).\n\nSent from my iPhone")
write("L03-iphone-thin-space-thousands.eml",
      hdr("Sam Policy <sam.policy@education.example.gov.uk>", PRESS, "Fostering numbers",
          extra="X-Mailer: iPhone Mail (21F90)\r\n") +
      'Content-Type: text/plain;\r\n\tcharset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n'
      + b64(plain.encode()))

# L04 Apple Mail: format=flowed delsp=yes, QP, a line break in the middle of a
# figure phrase and soft hyphens copied from a PDF
flowed = ("Fostering households fell by 3.2 per \r\ncent to 42,850 and LA spend on pla" + SHY +
          "cements rose to \u00a31.4bn (up 6%). The IFA share rose 0.3 percentage points.\r\n")
write("L04-apple-flowed-qp.eml",
      hdr(POLICY, PRESS, "Re: briefing", extra="X-Mailer: Apple Mail (2.3774.600.62)\r\n") +
      'Content-Type: text/plain;\r\n\tcharset=utf-8;\r\n\tdelsp=yes;\r\n\tformat=flowed\r\n'
      'Content-Transfer-Encoding: quoted-printable\r\n\r\n' + qp(flowed))

# L05 Android Gmail: multipart/alternative, HTML <div dir="auto">, figures
# split by <br> and inline <b>
html = ('<div dir="auto">Numbers for the sub: <b>42,850</b> fostering households, down <b>3.2</b>'
        '<b>%</b><div dir="auto">spend on placements <b>£1.4</b>bn</div></div>')
plainalt = "Numbers for the sub: 42,850 fostering households, down 3.2%\nspend on placements \u00a31.4bn\n"
write("L05-android-gmail-bold-split.eml",
      hdr("sam.policy@education.example.gov.uk", "duty.press@education.example.gov.uk", "sub",
          mid="<CAK1xYz@mail.gmail.com>") +
      'Content-Type: multipart/alternative; boundary="0000000000004f1a2b05f1"\r\n\r\n'
      '--0000000000004f1a2b05f1\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\n' + plainalt +
      '\r\n--0000000000004f1a2b05f1\r\nContent-Type: text/html; charset="UTF-8"\r\n'
      'Content-Transfer-Encoding: quoted-printable\r\n\r\n' + qp(html) +
      '\r\n--0000000000004f1a2b05f1--\r\n')


def outlook_with_attachment(name_hdr, data, ctype, body, subject, frm=POLICY, to=PRESS, label="OFFICIAL"):
    return (hdr(frm, to, subject, extra=OUTLOOK_HDRS.format(topic=subject, att="yes", label=label)) +
            'Content-Type: multipart/mixed;\r\n\tboundary="_004_LO2P265MB_"\r\n\r\n'
            '--_004_LO2P265MB_\r\n' +
            outlook_alt(body, [body.replace("\n", "<br>")]).replace("_000_LO2P265MB0001_", "_000_LO2P265MB0002_") +
            '\r\n--_004_LO2P265MB_\r\n'
            f'Content-Type: {ctype};\r\n\tname="{name_hdr}"\r\n'
            f'Content-Description: {name_hdr}\r\n'
            f'Content-Disposition: attachment;\r\n\tfilename="{name_hdr}"; size={len(data)};\r\n'
            '\tcreation-date="Wed, 11 Nov 2026 20:30:00 GMT";\r\n\tmodification-date="Wed, 11 Nov 2026 20:30:00 GMT"\r\n'
            'Content-Transfer-Encoding: base64\r\n\r\n' + b64(data) + '\r\n--_004_LO2P265MB_--\r\n')


DOCX = doc("draft.docx")
# L06 the seed's second breach: private office sends the final briefing note
# (LibreOffice .docx) to the duty press officer at 20:35; Outlook's RFC 2047
# encoded-word inside the quoted filename (not RFC 2231), en dash in the name.
ew = "=?utf-8?B?" + base64.b64encode("Briefing note – FINAL.docx".encode()).decode() + "?="
write("L06-outlook-briefing-docx-ew-filename.eml",
      outlook_with_attachment(ew, DOCX,
                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                              "Final briefing note attached for tomorrow morning.\n\nThanks\nPO", "Briefing note",
                              frm=PO, to=PRESS))

# L07 the PDF (LibreOffice) with Thunderbird's RFC 2231 name, as an octet-stream
PDF = doc("draft.pdf")
write("L07-thunderbird-pdf-rfc2231.eml",
      hdr(POLICY, PRESS, "draft", extra="User-Agent: Mozilla Thunderbird\r\n") +
      'Content-Type: multipart/mixed; boundary="------------7wB2mK4xTq"\r\n\r\n'
      'This is a multi-part message in MIME format.\r\n--------------7wB2mK4xTq\r\n'
      'Content-Type: text/plain; charset=UTF-8; format=flowed\r\nContent-Transfer-Encoding: 7bit\r\n\r\n'
      'See attached, for your eyes only until Thursday.\r\n\r\n'
      '--------------7wB2mK4xTq\r\nContent-Type: application/pdf;\r\n'
      " name*=UTF-8''Fostering%20draft%20%E2%80%93%20v3.pdf\r\n"
      "Content-Disposition: attachment;\r\n filename*=UTF-8''Fostering%20draft%20%E2%80%93%20v3.pdf\r\n"
      'Content-Transfer-Encoding: base64\r\n\r\n' + b64(PDF) + '\r\n--------------7wB2mK4xTq--\r\n')

# L08 the tables .xlsx (LibreOffice) alone, from Outlook mobile
XLSX = doc("tables.xlsx")
write("L08-outlook-mobile-xlsx-tables.eml",
      hdr(POLICY, PRESS, "tables", extra="X-Mailer: Outlook for iOS and Android\r\n") +
      'Content-Type: multipart/mixed; boundary="_002_mobile_"\r\n\r\n--_002_mobile_\r\n'
      'Content-Type: text/plain; charset="us-ascii"\r\n\r\nGet Outlook for iOS\r\n--_002_mobile_\r\n'
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="tables.xlsx"\r\n'
      'Content-Disposition: attachment; filename="tables.xlsx"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
      + b64(XLSX) + '\r\n--_002_mobile_--\r\n')

# L09 the .odt zipped, sent by Gmail
zb = io.BytesIO()
with zipfile.ZipFile(zb, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("Fostering 2026/draft.odt", date_time=(2026, 11, 11, 11, 0, 0)),
               doc("draft.odt"), compress_type=zipfile.ZIP_DEFLATED)
write("L09-gmail-zip-odt.eml",
      hdr("sam.policy@education.example.gov.uk", "press@newsroom.example.com", "files",
          mid="<CAK2abc@mail.gmail.com>") +
      'Content-Type: multipart/mixed; boundary="000000000000a1b2c3"\r\n\r\n--000000000000a1b2c3\r\n'
      'Content-Type: text/plain; charset="UTF-8"\r\n\r\nhere you go\r\n--000000000000a1b2c3\r\n'
      'Content-Type: application/zip; name="Fostering 2026.zip"\r\n'
      'Content-Disposition: attachment; filename="Fostering 2026.zip"\r\nContent-Transfer-Encoding: base64\r\n'
      'X-Attachment-Id: f_lx1\r\nContent-ID: <f_lx1>\r\n\r\n' + b64(zb.getvalue()) + '\r\n--000000000000a1b2c3--\r\n')

# L10 the PRA email (with the draft) forwarded as an attachment (.eml) to a
# policy colleague not on the list
pra = (hdr(STATS, "minister.po@education.example.gov.uk",
           "OFFICIAL-SENSITIVE: Fostering in England 2025-26 - pre-release access",
           date="Wed, 11 Nov 2026 09:30:00 +0000", mid="<pra-2026@stats.ofsted.example.gov.uk>") +
       'Content-Type: multipart/mixed; boundary="pra"\r\n\r\n--pra\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
       'You are receiving pre-release access to Fostering in England 2025-26. Do not share, forward or discuss.\r\n'
       '--pra\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="draft.docx"\r\n'
       'Content-Disposition: attachment; filename="draft.docx"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
       + b64(DOCX) + '\r\n--pra--\r\n')
write("L10-forward-pra-as-attachment.eml",
      hdr(PO, POLICY.replace("Sam Policy", "Jo Policy").replace("sam.", "jo."), "FW: PRA",
          extra=OUTLOOK_HDRS.format(topic="PRA", att="yes", label="OFFICIAL")) +
      'Content-Type: multipart/mixed; boundary="fw"\r\n\r\n--fw\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFYI\r\n'
      '--fw\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename="PRA.eml"\r\n\r\n'
      + pra + '\r\n--fw--\r\n')

# L11 calendar invite whose description carries the figures (lines meeting)
ics = ("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nPRODID:Microsoft Exchange Server 2010\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
       "ORGANIZER;CN=Sam Policy:mailto:sam.policy@education.example.gov.uk\r\n"
       "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE;CN=Duty Press:mailto:duty.press@education.example.gov.uk\r\n"
       "DESCRIPTION;LANGUAGE=en-GB:Agenda: reactive lines. Fostering households fel\r\n l 3.2 per cent to 42\\,850\\; "
       "placement spending \u00a31.4bn.\\n\r\nSUMMARY;LANGUAGE=en-GB:Lines meeting\r\n"
       "DTSTART;TZID=GMT Standard Time:20261111T160000\r\nDTEND;TZID=GMT Standard Time:20261111T163000\r\n"
       "UID:040000008200E00074C5B7101A82E0080000000011\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
write("L11-invite-figures-in-description.eml",
      hdr(POLICY, PRESS, "Lines meeting") +
      'Content-Type: multipart/alternative; boundary="cal"\r\n\r\n--cal\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\n'
      'Agenda: reactive lines.\r\n--cal\r\nContent-Type: text/calendar; charset="utf-8"; method=REQUEST\r\n'
      'Content-Transfer-Encoding: base64\r\n\r\n' + b64(ics.encode()) + '\r\n--cal--\r\n')

# L12 a long Outlook thread: the summary only deep in the quoted history of a
# reply, below "From:/Sent:" blocks (the reply itself says nothing)
hist = ("\n\nFrom: Sam Policy <sam.policy@education.example.gov.uk>\nSent: 11 November 2026 11:45\n"
        "To: Policy Team\nSubject: RE: Heads up\n\nOFFICIAL-SENSITIVE\n"
        "Sending the key lines again: an 8 word excerpt follows - the number of mainstream fostering "
        "places not used because of the carer's own circumstances rose.\n")
body = "Thanks, noted.\n" + "".join(
    f"\nFrom: Person {i}\nSent: 11 November 2026 12:{i:02d}\nSubject: RE: Heads up\n\nThanks {i}\n" for i in range(12)) + hist
write("L12-outlook-deep-thread-excerpt.eml",
      hdr(POLICY, "policy-team@education.example.gov.uk", "RE: Heads up") +
      'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' + qp(body))

# L13 excerpt retyped with smart apostrophes, hyphenated line wrap and NBSPs
body = ("Main worry for lines: \u201cTen local authorities reported that they had no foster car-\n"
        "ers available for sibling groups of three or more at any point in the year.\u201d\n")
write("L13-excerpt-hyphen-wrap.eml",
      hdr(POLICY, PRESS, "worry") +
      'Content-Type: text/plain; charset="windows-1252"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
      + quopri.encodestring(body.encode("cp1252")).decode().replace("\n", "\r\n"))

# L14 excerpt in Outlook HTML where every word is its own <span> and apostrophes
# are &#8217; (Word paste)
words = "Around a third of households that left fostering cited the cost of living as a factor".split()
html = ['<span lang="EN-US">' + "</span> <span lang=\"EN-US\">".join(words) + "</span>"]
write("L14-word-paste-spans.eml",
      hdr(POLICY, PRESS, "for the grid", extra=OUTLOOK_HDRS.format(topic="for the grid", att="no", label="OFFICIAL")) +
      outlook_alt("see below\n", html))

# L15 "1.4 billion pounds", "three point two per cent", "forty-two thousand,
# eight hundred and fifty" - a press officer writing the figures out for radio
plain = ("Radio script draft: the number of fostering households in England fell by three point two per cent, "
         "to forty-two thousand, eight hundred and fifty. Councils spent one point four billion pounds on "
         "fostering placements.\n")
write("L15-figures-spelled-for-radio.eml",
      hdr(POLICY, PRESS, "radio script") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\n' + plain)

# L16 percent forms: "3.2 percent" (US), "3.2 per-cent", "£1,400m", "0.3 % points"
plain = ("Fostering households: -3.2 percent to 42,850 (LA -2,140; IFA +1,310). Placement spend "
         "\u00a31,400m. IFA share +0.3 % points.\n")
write("L16-percent-forms.eml",
      hdr(POLICY, PRESS, "nums") + 'Content-Type: text/plain; charset="utf-8"\r\n\r\n' + plain)

# L17 winmail.dat (Outlook rich text) carrying the .docx
try:
    import subprocess
    tn = os.path.join(OUT, "..", "winmail.tmp")
    dx = os.path.join(DOCS, "draft.docx")
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run([sys.executable, os.path.join(here, "..", "extract", "mktnef.py"), tn,
                    "Final version attached.", dx], check=True)
    with open(tn, "rb") as f:
        tnef = f.read()
    os.unlink(tn)
    write("L17-winmail-dat-docx.eml",
          hdr(PO, PRESS, "Briefing") +
          'Content-Type: multipart/mixed; boundary="tnef"\r\n\r\n--tnef\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n'
          'Final version attached.\r\n--tnef\r\nContent-Type: application/ms-tnef; name="winmail.dat"\r\n'
          'Content-Disposition: attachment; filename="winmail.dat"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
          + b64(tnef) + '\r\n--tnef--\r\n')
except Exception as e:  # noqa
    print("no winmail.dat case:", e, file=sys.stderr)

# L18 the docx inline-forwarded by iOS Mail: Content-Disposition inline, name
# only in Content-Type, x-unix-mode, Apple-Mail boundary
write("L18-ios-inline-docx.eml",
      hdr(PO, PRESS, "Fwd: Briefing note", extra="X-Mailer: iPhone Mail (21F90)\r\n") +
      'Content-Type: multipart/mixed; boundary=Apple-Mail-1A2B3C4D-5E6F\r\n\r\n--Apple-Mail-1A2B3C4D-5E6F\r\n'
      'Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n\r\n\r\n'
      'Sent from my iPhone\r\n\r\nBegin forwarded message:\r\n\r\n--Apple-Mail-1A2B3C4D-5E6F\r\n'
      'Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\r\n'
      '\tname="Briefing note FINAL.docx";\r\n\tx-unix-mode=0644\r\nContent-Disposition: inline\r\n'
      'Content-Transfer-Encoding: base64\r\n\r\n' + b64(DOCX) + '\r\n--Apple-Mail-1A2B3C4D-5E6F--\r\n')

# ---------------------------------------------------------------- benign
# B01 meeting invite naming the release, routine OFFICIAL marking
ics = ("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
       "ORGANIZER;CN=Press Lead:mailto:press.lead@education.example.gov.uk\r\n"
       "ATTENDEE;CN=Duty Press:mailto:duty.press@education.example.gov.uk\r\n"
       "SUMMARY:OFFICIAL - Fostering in England publication: comms check-in\r\n"
       "DESCRIPTION:Classification: OFFICIAL\\nQuick check-in on handling for the Fostering in England release at 9:30.\r\n"
       "DTSTART:20261112T090000Z\r\nDTEND:20261112T091500Z\r\nUID:abc-123\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
write("B01-invite-release-official.eml",
      hdr("Press Lead <press.lead@education.example.gov.uk>", PRESS,
          "OFFICIAL - Fostering in England publication: comms check-in",
          extra=OUTLOOK_HDRS.format(topic="Fostering in England publication", att="no", label="OFFICIAL")) +
      'Content-Type: multipart/alternative; boundary="cal"\r\n\r\n--cal\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\n'
      'Classification: OFFICIAL\r\nQuick check-in on handling for the Fostering in England release at 9:30.\r\n'
      '--cal\r\nContent-Type: text/calendar; charset="utf-8"; method=REQUEST\r\n\r\n' + ics + '--cal--\r\n')

# B02 out-of-office auto-reply to the PRA email, back to the statistics team
write("B02-out-of-office-reply-to-pra.eml",
      hdr("Minister PO <minister.po@education.example.gov.uk>", STATS,
          "Automatic reply: OFFICIAL-SENSITIVE: Fostering in England 2025-26 - pre-release access",
          extra="Auto-Submitted: auto-replied\r\nX-Auto-Response-Suppress: All\r\n"
                "In-Reply-To: <pra-2026@stats.ofsted.example.gov.uk>\r\n") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\nI am out of the office until Monday with no access to email.\r\n')

# B03 out-of-office reply of a NON-PRA person to the HoP's reminder, sent back
# to the HoP (always allowed) - but Outlook also cc's... no: to the HoP only.
write("B03-out-of-office-to-hop.eml",
      hdr(POLICY, HOP, "Automatic reply: OFFICIAL-SENSITIVE reminder: Fostering in England pre-release access",
          extra="Auto-Submitted: auto-replied\r\n") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\nI am on leave until 16 November.\r\n')

# B04 published-statistics newsletter after publication, full of the figures
plain = ("Statistics newsletter, 12 November\n\nPublished today: Fostering in England 2025-26. The number of "
         "fostering households fell by 3.2 per cent to 42,850; spending on placements reached \u00a31.4bn; "
         "the IFA share rose 0.3 percentage points to 38.6%.\n\nUnsubscribe: https://news.example.gov.uk/u\n")
write("B04-newsletter-after-publication.eml",
      hdr("Stats News <news@ofsted.example.gov.uk>", "subscribers@lists.example.org", "Statistics newsletter",
          date="Thu, 12 Nov 2026 10:05:00 +0000", extra="List-Id: <stats-news.lists.example.org>\r\n") +
      'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' + qp(plain))

# B05 room booking naming the release next to a routine OFFICIAL marking and a
# departmental footer that mentions OFFICIAL-SENSITIVE handling
plain = ("OFFICIAL\n\nHi, can you book a room for the Fostering in England teach-in next week?\n\nThanks\nSam\n\n"
         "--\nThis email and any attachments may be marked OFFICIAL or OFFICIAL-SENSITIVE. If you are not the "
         "intended recipient please delete it.\n")
write("B05-room-booking-official-footer.eml",
      hdr(POLICY, "facilities@education.example.gov.uk", "OFFICIAL: room booking",
          extra=OUTLOOK_HDRS.format(topic="room booking", att="no", label="OFFICIAL")) +
      outlook_alt(plain, plain.split("\n")))

# B06 the HoP's PRA reminder to all new private-office staff (not on the list)
plain = ("OFFICIAL-SENSITIVE\n\nDear colleagues,\n\nA reminder ahead of Fostering in England on 12 November: "
         "pre-release access is limited to the named list. Do not share, forward or discuss figures or any "
         "indication of the content (\u2018favourable\u2019 or \u2018unfavourable\u2019).\n\nHead of Profession\n")
write("B06-hop-pra-reminder.eml",
      hdr(HOP, "new.po1@education.example.gov.uk, new.po2@education.example.gov.uk",
          "OFFICIAL-SENSITIVE: pre-release access reminder",
          extra=OUTLOOK_HDRS.format(topic="pre-release access reminder", att="no", label="OFFICIAL-SENSITIVE")) +
      outlook_alt(plain, plain.split("\n")))

# B07 an unrelated finance mail with 3.2 per cent, £1.4bn and 0.3 percentage
# points (pay award, budget, inflation) - no release name
plain = ("OFFICIAL\n\nPay remit: the award is 3.2 per cent, within the \u00a31.4bn envelope. CPI was up 0.3 "
         "percentage points. Headcount is 42,850 FTE across the department and its agencies.\n")
write("B07-finance-same-numbers.eml",
      hdr("Finance BP <finance@education.example.gov.uk>", "all-directors@education.example.gov.uk", "Pay remit") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\n' + plain)

# B08 a children's social care finance mail: same figures near "fostering"
# words but about budgets (a plausible false hold)
plain = ("OFFICIAL\n\nCouncils' fostering budgets: the LGA survey says spending on fostering placements will "
         "be about \u00a31.4bn next year, a 3.2 per cent real-terms rise; agency placements are up 6%.\n")
write("B08-lga-budget-fostering-words.eml",
      hdr("Finance BP <finance@education.example.gov.uk>", "policy-team@education.example.gov.uk", "LGA survey") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\n' + plain)

# B09 the statistics team's PRA mail itself, to the PRA list (allowed)
write("B09-pra-mail-to-list.eml", pra)

# B10 reply-all inside the PRA list: allowed
write("B10-reply-all-inside-pra.eml",
      hdr("Press Lead <press.lead@education.example.gov.uk>", "minister.po@education.example.gov.uk",
          "RE: OFFICIAL-SENSITIVE: Fostering in England 2025-26 - pre-release access",
          extra="In-Reply-To: <pra-2026@stats.ofsted.example.gov.uk>\r\n") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\nThe fall of 3.2 per cent to 42,850 will get coverage; '
      'lines by 8.\r\n')

# B11 a Gmail-style "Save the date" with Official Sensitive in a signature of
# a regular Word-style template - "OFFICIAL SENSITIVE" is a marker, so this is
# weak evidence at worst (confirm), never quarantine
plain = ("Hi all, save the date: Fostering in England teach-in for private office, Tues 17 Nov, 2pm.\n\n"
         "Jo\nPrivate Office | OFFICIAL SENSITIVE - handle with care\n")
write("B11-teach-in-signature-marker.eml",
      hdr(PO, "private-office@education.example.gov.uk", "Save the date") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\n' + plain)

# B12 the release calendar email: publication announcement naming the release
# days before, "embargoed until 9:30" used as an ordinary statement, PUBLIC
plain = ("Upcoming statistics (announced, public): Fostering in England 1 April 2025 to 31 March 2026 - "
         "12 November 2026 9:30am. Journalists: the release is not embargoed.\n")
write("B12-release-calendar-public.eml",
      hdr("Stats News <news@ofsted.example.gov.uk>", "subscribers@lists.example.org", "Upcoming statistics",
          date="Mon, 2 Nov 2026 09:00:00 +0000") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\n' + plain)

# B13 last year's published figures discussed (public) with a marker for other reasons
plain = ("OFFICIAL-SENSITIVE\n\nFor the PQ: last year's Fostering in England said households fell by 2 per cent "
         "to 44,265 at 31 March 2025.\n")
write("B13-last-year-figures-pq.eml",
      hdr(POLICY, "pq-team@education.example.gov.uk", "PQ 1234") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\n' + plain)

# L19 the amount in words on the mail side, "£1.4bn" in the draft and the
# release's figures (before the fix the draft's "£1.4bn" was read as "4bn"
# and figures = ( "£1.4bn" ) was refused by check)
plain = ("Councils spent 1.4 billion pounds on fostering placements this year, and fostering households "
         "fell by 3.2 per cent.\n")
write("L19-pounds-in-words.eml",
      hdr(POLICY, PRESS, "spend") + 'Content-Type: text/plain; charset="utf-8"\r\n\r\n' + plain)

# L20 iPhone as people type on it: terse, figures with the words next to them
plain = "Fostering households down 3.2% to 42,850. Placement spend \u00a31.4bn.\n\nSent from my iPhone"
write("L20-iphone-terse.eml",
      hdr(POLICY, PRESS, "nums", extra="X-Mailer: iPhone Mail (21F90)\r\n") +
      'Content-Type: text/plain;\r\n\tcharset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n'
      + b64(plain.encode()))

# G04 (known gap) two headline figures, the second in its own sentence with
# no word of its document sentence beside it
write("G04-figure-in-next-sentence.eml",
      hdr(POLICY, PRESS, "numbers") + 'Content-Type: text/plain; charset="utf-8"\r\n\r\n'
      "Fostering households fell 3.2 per cent.\nTotal now 42,850.\n")

# G05 (known gap) the full official title of the release (public on the
# release calendar weeks ahead) in a meeting invite's subject, routine OFFICIAL
write("G05-invite-full-title.eml",
      hdr("Press Lead <press.lead@education.example.gov.uk>", PRESS,
          "Fostering in England 1 April 2025 to 31 March 2026: publication check-in") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\nClassification: OFFICIAL\r\n\r\n'
      'Quick check-in on handling at 9:00, before publication at 9:30.\r\n')

# L21 the draft as slides (LibreOffice .pptx, made from the PDF by Impress)
write("L21-pptx-slides.eml",
      hdr(POLICY, PRESS, "slides for the lines meeting") +
      'Content-Type: multipart/mixed; boundary="pp"\r\n\r\n--pp\r\nContent-Type: text/plain\r\n\r\nslides\r\n--pp\r\n'
      'Content-Type: application/vnd.openxmlformats-officedocument.presentationml.presentation; name="Lines.pptx"\r\n'
      'Content-Disposition: attachment; filename="Lines.pptx"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
      + b64(doc("draft.pptx")) + '\r\n--pp--\r\n')

# G06 (known gap) an Exchange out-of-office reply of a PRA member to a
# colleague NOT on the list who had mailed them under a marked subject: the
# only "evidence" is the original subject; nobody will confirm an auto-reply
write("G06-out-of-office-to-non-pra.eml",
      hdr("Minister PO <minister.po@education.example.gov.uk>", POLICY,
          "Automatic reply: OFFICIAL-SENSITIVE: Fostering in England - lines?",
          extra="Auto-Submitted: auto-replied\r\nX-Auto-Response-Suppress: All\r\n") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\nI am out of the office until Monday with no access to email.\r\n')

# L22 a screenshot of the draft pasted into an Outlook HTML mail (inline cid
# image in multipart/related): read by OCR
PNG = doc("screenshot.png")
html = ('<html><body><p class="MsoNormal">See below<o:p></o:p></p><p class="MsoNormal"><img width="900" '
        'height="420" id="Picture_x0020_1" src="cid:image001.png@01DA1B2C.3D4E5F60"></p></body></html>')
write("L22-outlook-pasted-screenshot.eml",
      hdr(POLICY, PRESS, "see below") +
      'Content-Type: multipart/related;\r\n\tboundary="_005_rel_";\r\n\ttype="text/html"\r\n\r\n--_005_rel_\r\n'
      'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' + qp(html) +
      '\r\n--_005_rel_\r\nContent-Type: image/png; name="image001.png"\r\nContent-Description: image001.png\r\n'
      f'Content-Disposition: inline; filename="image001.png"; size={len(PNG)};\r\n'
      'Content-ID: <image001.png@01DA1B2C.3D4E5F60>\r\nContent-Transfer-Encoding: base64\r\n\r\n'
      + b64(PNG) + '\r\n--_005_rel_--\r\n')

# G07 (known gap) declared UTF-8, but the "£" is a windows-1252 byte (0xA3), as
# scripts and old web forms send: clients show "\ufffd1.4bn", the engine reads
# U+FFFD glued to the figure and never reads 1.4bn
write("G07-utf8-declared-cp1252-pound.eml",
      (hdr(POLICY, PRESS, "spend") + 'Content-Type: text/plain; charset="utf-8"\r\n'
       'Content-Transfer-Encoding: 8bit\r\n\r\n').encode() +
      "Councils spent \u00a31.4bn on fostering placements this year, and fostering households fell by 3.2 per cent.\r\n".encode("cp1252"))

# B14 a CSV row pasted into a mail: one 400 KB line of comma-grouped digits
# (was re-read from every ',' by the figure reader: quadratic, minutes)
write("B14-csv-row-400k.eml",
      hdr("Data Team <data@education.example.gov.uk>", "analysts@education.example.gov.uk", "raw extract") +
      'Content-Type: text/plain; charset="us-ascii"\r\n\r\nfostering households extract: ' + ",".join(["111"] * 100000) + "\r\n")
# L23 a paragraph pasted from the Word bulletin into Outlook: its footnote
# references are <sup> in the HTML and joined to the figures in Outlook's
# plain part ("42,8502"); both figures were read with the footnote's digit
plain = ("Draft para for the sub:\n\nThe number of approved fostering households fell by 3.2%1 to 42,8502, "
         "the fifth annual fall. Placement spend reached \u00a31.4bn3.\n")
html = ["Draft para for the sub:",
        'The number of approved fostering households fell by 3.2%<sup><span style="font-size:8.0pt">1</span></sup> '
        "to 42,850<sup>2</sup>, the fifth annual fall. Placement spend reached &pound;1.4bn<sup>3</sup>."]
write("L23-outlook-footnote-sup.eml",
      hdr(POLICY, PRESS, "para for the sub") + OUTLOOK_HDRS.format(topic="para for the sub", att="no", label="OFFICIAL") +
      outlook_alt(plain, html))

# L24 the same with the footnote references typed as superscript characters
# (U+00B9, U+00B2), which NFKC turns into plain digits
write("L24-superscript-footnote-chars.eml",
      hdr(POLICY, PRESS, "para") + 'Content-Type: text/plain; charset="utf-8"\r\n'
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
      qp("Fostering households fell by 3.2%\u00b9 to 42,850\u00b2.\n"))
# B15-B17 ordinary mail on other subjects sharing six or seven words in a row
# with the draft (not the 8 of excerpt_words): each was quarantined as an
# excerpt while the .fp kept only winnowed 6-grams and any hit counted
plain = ("Hi Jo,\n\nYes - you can carry over up to five days and use them at any point in the year, "
         "subject to your line manager's agreement.\n\nHR Services\n")
write("B15-hr-leave-any-point-in-year.eml",
      hdr("HR <hr@education.example.gov.uk>", "Jo Policy <jo.policy@education.example.gov.uk>", "Your leave query") +
      OUTLOOK_HDRS.format(topic="leave query", att="no", label="OFFICIAL") +
      outlook_alt(plain, plain.split("\n\n")))
plain = ("Colleagues,\n\nEnergy costs for the Sheffield office were up 6% on the previous year, mainly gas. "
         "From Monday the heating will come on at 7:30 rather than 6:30.\n\nEstates team\n")
write("B16-estates-energy-costs.eml",
      hdr("Estates <estates@education.example.gov.uk>", "all-sheffield@education.example.gov.uk",
          "[OFFICIAL] Energy costs and heating hours") +
      OUTLOOK_HDRS.format(topic="Energy costs and heating hours", att="no", label="OFFICIAL") +
      outlook_alt(plain, plain.split("\n\n")))
write("B17-release-calendar-time.eml",
      hdr("Stats News <news@ofsted.example.gov.uk>", "subscribers@lists.example.org", "Release calendar update",
          date="Mon, 9 Nov 2026 09:00:00 +0000") +
      'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' +
      qp("Release calendar update\n\nFostering in England 2025-26 will be published at 9:30am on 12 November "
         "2026 on GOV.UK.\n"))
# B18 a public allowance uprating: "4%" (3.2% rounded UP: nobody writes that)
# and "roughly 43,000" (the draft's 42,850, which the release also lists by
# hand: it counted twice, once per copy) were two figures
write("B18-allowance-uprating-rounded.eml",
      hdr("Finance BP <finance@education.example.gov.uk>", "csc-all-staff@education.example.gov.uk",
          "NMA uprating announced") +
      'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' +
      qp("All,\n\nThe national minimum allowance for foster carers in England will rise by 4% from April 2027. "
         "With roughly 43,000 fostering households it costs councils about \u00a335m a year.\n\nFinance\n"))
# L25 the draft shared with SharePoint's "Copy link" (Outlook pastes the
# sharing link, /:w:/s/SITE/TOKEN, not the /sites/SITE/ path of `links`)
write("L25-sharepoint-copy-link.eml",
      hdr(POLICY, PRESS, "draft") + 'Content-Type: text/plain; charset="utf-8"\r\n\r\n'
      "Draft is here: https://ofsted.sharepoint.example/:w:/s/fostering-2026/EQx7bW3kL9FhQ2?e=4fG7hJ\r\n\r\nPO\r\n")

# L26 a forward of a mail whose link the inbound gateway wrapped in Safe Links
# (percent-encoded inside ?url=)
html = ['See link below', '<a href="https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fofsted.'
        'sharepoint.example%2Fsites%2Ffostering-2026%2FShared%2520Documents%2Fdraft.docx&amp;data=05%7C01%7C'
        '&amp;sdata=abc%3D&amp;reserved=0">Fostering 2026 draft.docx</a>']
write("L26-safelinks-wrapped-link.eml",
      hdr(POLICY, PRESS, "FW: draft") + OUTLOOK_HDRS.format(topic="draft", att="no", label="OFFICIAL") +
      outlook_alt("See link below\n\nFostering 2026 draft.docx <https://eur02.safelinks.protection.outlook.com/"
                  "?url=https%3A%2F%2Fofsted.sharepoint.example%2Fsites%2Ffostering-2026%2FShared%2520Documents"
                  "%2Fdraft.docx&data=05%7C01%7C&sdata=abc%3D&reserved=0>\n", html))
# L27 a phone, terse, in everyday words: "foster households" for the draft's
# "fostering households" (context words met only exactly before)
write("L27-phone-foster-households.eml",
      hdr(POLICY, PRESS, "numbers") + 'Content-Type: text/plain; charset="utf-8"\r\n\r\n'
      "Foster households down 3.2% to 42,850. Sent from my iPhone\r\n")
# L28 one finding on its own, exactly as the draft has it: not min_figures
# (2), so it was accepted; now the sender is asked (weak_action, confirm)
write("L28-one-finding-exact.eml",
      hdr(POLICY, PRESS, "applications") + 'Content-Type: text/plain; charset="utf-8"\r\n\r\n'
      "Heads up for the lines: applications to foster fell to a record low of 8,730 this year.\r\n\r\nSam\r\n")

# B19 a minister's public commitment: "5,000 extra foster carers in England"
# (a rounding of the draft's 4,920, beside two of its sentence's words): one
# rounded figure alone is too common to ask about
write("B19-recruitment-commitment-5000.eml",
      hdr(POLICY, "Minister PO <minister.office@education.example.gov.uk>", "Recruitment programme") +
      'Content-Type: text/plain; charset="utf-8"\r\n\r\n'
      "Minister,\r\n\r\nOn the recruitment programme: the commitment is 5,000 extra foster carers in England "
      "by 2029, as announced in June.\r\n\r\nPolicy team\r\n")
# L29 a memo whose findings stand only in a Word chart (docs/chart-memo.docx,
# make-chart-docx.py): the chart's data references (<c:f>Sheet1!$B$2...)
# were read as text and their "!" cut each series from its name
CHART = doc("chart-memo.docx")
write("L29-docx-chart-only.eml",
      hdr(POLICY, PRESS, "chart for box") +
      'Content-Type: multipart/mixed;\r\n\tboundary="_004_chart_"\r\n\r\n--_004_chart_\r\n'
      'Content-Type: text/plain; charset="utf-8"\r\n\r\nChart attached, for tomorrow.\r\n\r\nSam\r\n'
      '--_004_chart_\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;'
      ' name="Chart for box.docx"\r\nContent-Disposition: attachment; filename="Chart for box.docx"\r\n'
      'Content-Transfer-Encoding: base64\r\n\r\n' + b64(CHART) + '\r\n--_004_chart_--\r\n')

# L30 Thursday's pack zipped: a README and the bulletin as a PDF; the PDF in
# the zip was skipped without a word (only text members were read)
def zipped(members):
    """A zip of (name, bytes) members, deflated as Windows' "Send to >
    Compressed folder" writes them, with fixed times: the same bytes every run."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, (2026, 11, 11, 11, 40, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


PACK = zipped((("Thursday pack/README.txt", b"Lines and the bulletin for Thursday.\r\n"),
               ("Thursday pack/Fostering bulletin.pdf", doc("draft.pdf"))))
write("L30-zipped-pack-with-pdf.eml",
      hdr(POLICY, PRESS, "Thursday pack") +
      'Content-Type: multipart/mixed;\r\n\tboundary="_004_pack_"\r\n\r\n--_004_pack_\r\n'
      'Content-Type: text/plain; charset="utf-8"\r\n\r\nPack attached.\r\n'
      '--_004_pack_\r\nContent-Type: application/x-zip-compressed; name="Thursday pack.zip"\r\n'
      'Content-Disposition: attachment; filename="Thursday pack.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
      + b64(PACK) + '\r\n--_004_pack_--\r\n')
# L31 an Apple Calendar invitation carrying the draft inside the event
# (ATTACH;ENCODING=BASE64;VALUE=BINARY, RFC 5545 3.8.1.1, folded at 75
# octets): the calendar reader dropped binary properties
att = "ATTACH;FMTTYPE=application/vnd.openxmlformats-officedocument.wordprocessingml.document;" \
      "ENCODING=BASE64;VALUE=BINARY;X-APPLE-FILENAME=Lines.docx:" + base64.b64encode(doc("draft.docx")).decode()
folded = "\r\n ".join(att[i:i + 74] for i in range(0, len(att), 74))
ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS 14.5//EN\r\nMETHOD:REQUEST\r\n"
       "BEGIN:VEVENT\r\nUID:5C1E7A2B-lines@education.example.gov.uk\r\nDTSTAMP:20261111T114500Z\r\n"
       "DTSTART:20261111T150000Z\r\nDTEND:20261111T153000Z\r\nSUMMARY:Lines prep\r\n"
       "ORGANIZER;CN=Sam Policy:mailto:sam.policy@education.example.gov.uk\r\n"
       "ATTENDEE;CN=Duty Press Officer;RSVP=TRUE:mailto:duty.press@education.example.gov.uk\r\n"
       + folded + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
write("L31-apple-invite-inline-docx.eml",
      hdr(POLICY, PRESS, "Invitation: Lines prep") +
      'Content-Type: multipart/alternative;\r\n\tboundary="Apple-Mail=_inv"\r\n\r\n--Apple-Mail=_inv\r\n'
      'Content-Type: text/plain; charset="us-ascii"\r\n\r\nLines prep at 3pm.\r\n--Apple-Mail=_inv\r\n'
      'Content-Type: text/calendar; charset="utf-8"; method=REQUEST\r\nContent-Transfer-Encoding: base64\r\n\r\n'
      + b64(ics.encode()) + '\r\n--Apple-Mail=_inv--\r\n')
# L32 a Thunderbird folder export zipped: "Sent" is an mbox (no extension;
# RFC 4155 "From " lines) holding the PRA email with the draft; only members
# named .eml were read as messages, so the .docx inside stayed base64 text
mbox_msg = (hdr(POLICY, "Minister PO <minister.po@education.example.gov.uk>", "Draft for PRA",
                date="Tue, 10 Nov 2026 09:00:00 +0000", mid="<sent1@education.example.gov.uk>") +
            'Content-Type: multipart/mixed; boundary="mb1"\r\n\r\n--mb1\r\nContent-Type: text/plain\r\n\r\n'
            'Draft attached.\r\n--mb1\r\nContent-Type: application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document; name="draft.docx"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            + b64(doc("draft.docx")) + '\r\n--mb1--\r\n')
mbox = ("From - Tue Nov 10 09:00:00 2026\r\n" + mbox_msg +
        "\r\nFrom - Tue Nov 10 09:05:00 2026\r\n" +
        hdr(POLICY, "Team <policy-team@education.example.gov.uk>", "lunch", mid="<sent2@education.example.gov.uk>") +
        "Content-Type: text/plain\r\n\r\nLunch at 1?\r\n")
write("L32-zipped-mbox-export.eml",
      hdr(POLICY, PRESS, "mail export") +
      'Content-Type: multipart/mixed;\r\n\tboundary="_004_mbox_"\r\n\r\n--_004_mbox_\r\n'
      'Content-Type: text/plain; charset="utf-8"\r\n\r\nThe thread, as asked.\r\n'
      '--_004_mbox_\r\nContent-Type: application/zip; name="Mail export.zip"\r\n'
      'Content-Disposition: attachment; filename="Mail export.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
      + b64(zipped((("Mail export/Sent", mbox.encode()),))) + '\r\n--_004_mbox_--\r\n')
print("written", len(os.listdir(OUT)), "messages")
