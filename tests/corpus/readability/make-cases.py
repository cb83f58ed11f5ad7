#!/usr/bin/env python3
"""Generates the project-made readability cases (issue 10, part A) into this
directory and project-cases.tsv. The supplied cases (NN-*.eml named in
cases.tsv) came with the issue and are not touched.

Every leak carries the example release's text (conf/: Fostering in England
2019-20) in one form a mail client really produces -- and, for most kinds, a
benign twin of the same shape that must be delivered. Shapes follow what
Outlook, Apple Mail and Thunderbird send (CRLF, QP, base64, format=flowed).
The .eml files are committed; re-run only to change the cases.
"""
import base64, binascii, io, os, struct, zipfile
from email import policy
from email.message import EmailMessage

HERE = os.path.dirname(os.path.abspath(__file__))
rows = []

LEAK = ("OFFICIAL-SENSITIVE\r\nDraft headline for Fostering in England 2019-20:\r\n"
        "The number of fostering households fell by 2.3% on the previous year.\r\n")
BENIGN = "Hi all,\r\nThe team lunch is moved to Friday at 12:30 in the usual place.\r\nThanks\r\n"
LABEL_GUID = "d9a1b3c4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"   # conf/embargo-milter.conf labels
OTHER_GUID = "0b2c4d6e-8f10-4a2b-9c3d-5e7f9a1b3c5d"


def head(subject, n, extra=""):
    return ("From: Private Office <private.office@education.example.gov.uk>\r\n"
            "To: Duty Press Officer <duty.press.officer@education.example.gov.uk>\r\n"
            "Subject: %s\r\nDate: Wed, 11 Nov 2020 20:35:00 +0000\r\n"
            "Message-ID: <readability-%s@education.example.gov.uk>\r\nMIME-Version: 1.0\r\n%s"
            % (subject, n, extra))


# accepted, but the verdict must list what could not be read
MUST_LIST = ("90b-", "92-", "93b-", "94-", "96-")


def put(name, text, action, kind, at=""):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text.encode("utf-8") if isinstance(text, str) else text)
    rows.append((name, action, kind, at or ("2020-11-11 20:35" if name.startswith(MUST_LIST) else ""),
                 "unreadable" if name.startswith(MUST_LIST) else ""))


def b64(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return "\r\n".join(base64.encodebytes(data).decode().splitlines()) + "\r\n"


def docx(body_text, label_guid=None):
    """A minimal Word document (what python-docx or Word writes, reduced)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        paras = "".join('<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % l for l in body_text.split("\n") if l)
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % paras)
        if label_guid:
            z.writestr("docMetadata/LabelInfo.xml", '<?xml version="1.0" encoding="utf-8" standalone="yes"?><clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label id="{%s}" enabled="1" method="Standard" siteId="{72f988bf-86f1-41af-91ab-2d7cd011db47}" removed="0"/></clbl:labelList>' % label_guid.upper())
    return buf.getvalue()


def uuencode(data, name):
    out = "begin 644 %s\r\n" % name
    for i in range(0, len(data), 45):
        out += binascii.b2a_uu(data[i:i + 45]).decode().rstrip("\n") + "\r\n"
    return out + "`\r\nend\r\n"


def yenc(data, name):
    lines, cur = [], bytearray()
    for b in data:
        c = (b + 42) % 256
        if c in (0, 10, 13, 61) or (c in (9, 32) and not cur) or (c == 46 and not cur):
            cur += b"=" + bytes([(c + 64) % 256])
        else:
            cur.append(c)
        if len(cur) >= 128:
            lines.append(bytes(cur)); cur = bytearray()
    if cur:
        lines.append(bytes(cur))
    body = b"=ybegin line=128 size=%d name=%s\r\n" % (len(data), name.encode())
    body += b"\r\n".join(lines) + b"\r\n=yend size=%d crc32=%08x\r\n" % (len(data), binascii.crc32(data))
    return body


def plain(subject, n, body, extra=""):
    return head(subject, n, extra + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n") + "\r\n" + body


def with_attachment(subject, n, text, att_type, att_name, att_bytes, extra=""):
    return (head(subject, n, extra + 'Content-Type: multipart/mixed; boundary="=_b"\r\n') + "\r\n"
            "--=_b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + text + "\r\n"
            '--=_b\r\nContent-Type: %s; name="%s"\r\nContent-Disposition: attachment; filename="%s"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n%s--=_b--\r\n" % (att_type, att_name, att_name, b64(att_bytes)))


# ---- 1. uuencode / yEnc ------------------------------------------------------
leak_docx = docx("Draft headline for Fostering in England 2019-20 (OFFICIAL-SENSITIVE)\nThe number of fostering households fell by 2.3% on the previous year.")
put("20-uuencode-docx.eml", plain("Notes", 20, "Briefing note below, as discussed.\r\n\r\n" + uuencode(leak_docx, "Briefing note.docx")),
    "quarantine", "uuencoded .docx in a CRLF text/plain body (Outlook Express / pine shape)")
put("20b-uuencode-docx-benign.eml", plain("Notes", 21, "Lunch rota below.\r\n\r\n" + uuencode(docx("Lunch rota\nMonday: Sam"), "rota.docx")),
    "accept", "benign twin of 20")
put("21-yenc-text.eml", head("Notes", 22, "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n").encode() + b"\r\nNotes attached.\r\n\r\n" + yenc(LEAK.encode(), "notes.txt"),
    "quarantine", "yEnc-encoded notes.txt inside a text/plain body (Usenet-style clients)")
put("21b-yenc-text-benign.eml", head("Notes", 23, "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n").encode() + b"\r\nNotes attached.\r\n\r\n" + yenc(BENIGN.encode(), "notes.txt"),
    "accept", "benign twin of 21")
put("22-uuencode-base64-variant.eml", plain("Notes", 24, "begin-base64 644 notes.txt\r\n" + b64(LEAK) + "====\r\n"),
    "quarantine", "uuencode -m (begin-base64 ... ====) inside a body")
put("23-uuencode-in-qp-body.eml", head("Notes", 25, "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: quoted-printable\r\n") + "\r\n" +
    uuencode(LEAK.encode(), "notes.txt").replace("=", "=3D"),
    "quarantine", "uuencoded file inside a quoted-printable body (decoded first, then found)")

# ---- 2. calendar -------------------------------------------------------------
def ical(summary, description, location="Room 1.14", html=None):
    desc = description.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
    lines = ["BEGIN:VCALENDAR", "METHOD:REQUEST", "PRODID:Microsoft Exchange Server 2010", "VERSION:2.0",
             "BEGIN:VEVENT", "ORGANIZER;CN=\"Private Office\":mailto:private.office@education.example.gov.uk",
             "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Duty Press Officer:mailto:duty.press.officer@education.example.gov.uk",
             "DESCRIPTION;LANGUAGE=en-GB:" + desc, "SUMMARY;LANGUAGE=en-GB:" + summary,
             "DTSTART;TZID=GMT Standard Time:20201112T080000", "DTEND;TZID=GMT Standard Time:20201112T083000",
             "UID:040000008200E00074C5B7101A82E00800000000", "LOCATION;LANGUAGE=en-GB:" + location]
    if html:
        lines.append("X-ALT-DESC;FMTTYPE=text/html:" + html)
    lines += ["END:VEVENT", "END:VCALENDAR"]
    out = []
    for l in lines:   # folded where "|" stands (mid-word, as Outlook's 75-octet folds fall)
        out.append(l.replace("|", "\r\n "))
    return "\r\n".join(out) + "\r\n"


def invite(subject, n, cal):
    return (head(subject, n, 'Content-Type: multipart/alternative; boundary="=_alt"\r\n') + "\r\n"
            "--=_alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease see the meeting invite.\r\n"
            "--=_alt\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + b64(cal) + "--=_alt--\r\n")


put("30-calendar-outlook-invite.eml", invite("Pre-brief", 30, ical("Pre-brief: Fos|tering in Eng|land 2019-20",
    "OFFICIAL-SEN|SITIVE. Lines to take: the number of fostering house|holds fell by 2.3%, on the previous year; see you there.")),
    "quarantine", "text/calendar invite (Outlook): folded mid-word, \\, \\; \\n escapes; the text/plain alternative says nothing")
put("30b-calendar-outlook-invite-benign.eml", invite("Team lunch", 31, ical("Team lunch", "Lunch is moved to Friday, 12:30; usual place.")),
    "accept", "benign twin of 30")
put("31-ics-attachment.eml", with_attachment("Invite", 32, "Invite attached.", "application/octet-stream", "invite.ics",
    ical("Embar|goed: Fostering in Eng|land 2019-20", "OFFICIAL-SENSI|TIVE\r\nthe number of fostering house|holds fell by 2.3% on the previous year")),
    "quarantine", ".ics attachment declared application/octet-stream (Apple Calendar export)")
put("32-calendar-x-alt-desc-html.eml", invite("Pre-brief", 33, ical("Pre-brief", "See below.",
    html="<html><body><p>OFFI<b>CIAL-SEN</b>SI|TIVE: Fos<i>ter</i>i|ng in Eng|land 2019-20</p></body></html>")),
    "quarantine", "calendar whose only copy is in X-ALT-DESC (HTML, tags inside words)")

# ---- 3. multipart with its own transfer encoding ------------------------------
inner = ("--=_in\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + LEAK + "--=_in--\r\n")
qp = (inner.replace("=", "=3D").replace("OFFICIAL-SENSITIVE", "OFFICIAL-SEN=\r\nSITIVE")
      .replace("Fostering", "Fos=\r\ntering").replace("households", "house=\r\nholds"))
put("40-multipart-cte-qp.eml", head("Report", 40, 'Content-Type: multipart/mixed; boundary="=_in"\r\nContent-Transfer-Encoding: quoted-printable\r\n') + "\r\n" + qp,
    "quarantine", "multipart/mixed whose whole body is quoted-printable")
put("41-nested-multipart-base64.eml", head("Report", 41, 'Content-Type: multipart/mixed; boundary="=_out"\r\n') + "\r\n"
    "--=_out\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
    '--=_out\r\nContent-Type: multipart/alternative; boundary="=_in"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + b64(inner) + "--=_out--\r\n",
    "quarantine", "a base64 multipart nested inside an ordinary multipart")
put("41b-multipart-cte-base64-benign.eml", head("Lunch", 42, 'Content-Type: multipart/mixed; boundary="=_in"\r\nContent-Transfer-Encoding: base64\r\n') + "\r\n"
    + b64("--=_in\r\nContent-Type: text/plain\r\n\r\n" + BENIGN + "--=_in--\r\n"), "accept", "benign twin of 14/41")

# ---- 4. format=flowed ----------------------------------------------------------
put("50-flowed-delsp-yes-quoted.eml", head("Re: Draft", 50, "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n") + "\r\n"
    "Thanks, forwarding as asked.\r\n\r\nOn 11 Nov 2020, at 18:02, Private Office wrote:\r\n\r\n"
    "> OFFICIAL-SEN \r\n> SITIVE\r\n> Draft headline for Fos \r\n> tering in Eng \r\n> land 2019-20: the number of fostering house \r\n> holds fell by 2.3%.\r\n",
    "quarantine", "Apple Mail reply: quoted format=flowed; delsp=yes lines split inside words")
put("51-flowed-delsp-no-benign.eml", head("Draft", 51, "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=no\r\n") + "\r\n"
    "Our foster \r\ning of new talent in Eng \r\nland goes on.\r\n",
    "accept", "delsp=no keeps the trailing space: 'Eng land' is not joined (Thunderbird)")
put("52-flowed-space-stuffed.eml", head("Draft", 52, "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n") + "\r\n"
    " OFFICIAL-SENSI \r\nTIVE Fostering in Eng \r\nland 2019-20\r\n",
    "quarantine", "flowed with a space-stuffed first line (RFC 3676 4.4)")

# ---- 5. HTML as displayed ------------------------------------------------------
def html(subject, n, body, cte="8bit"):
    return head(subject, n, "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: %s\r\n" % cte) + "\r\n" + body

put("60-html-img-alt-only.eml", html("Chart", 60, '<html><body><p>Chart below.</p><img src="cid:chart1" alt="OFFICIAL-SENSITIVE: Fostering in England 2019-20 - the number of fostering households fell by 2.3%" width="600"></body></html>'),
    "quarantine", "the only copy of the text is an <img alt> (shown when images are blocked)")
put("61-html-title-attribute.eml", html("Link", 61, '<html><body><p>See <a href="https://intranet.example/x" title="OFFICIAL-SENSITIVE Fostering in England 2019-20: households fell by 2.3%">this</a>.</p></body></html>'),
    "quarantine", "the only copy is a title= tooltip")
put("62-html-display-none-junk.eml", html("Draft", 62, '<html><body><p>OFF<span style="display: none">xq</span>ICIAL-SENS<span style="DISPLAY:NONE !important">zz</span>ITIVE</p><p>Fos<span style="visibility:hidden">kk</span>tering in Eng<span style="mso-hide:all">pp</span>land 2019-20: house<span style="font-size:0.5px">77</span>holds fell by 2.3%</p></body></html>'),
    "quarantine", "junk letters inside words hidden by display:none, visibility:hidden, mso-hide:all, 0.5px font")
put("62b-html-preheader-benign.eml", html("Newsletter", 63, '<html><body><div style="display:none;max-height:0;overflow:hidden">Your weekly digest</div><p>Team lunch is moved to Friday.</p></body></html>'),
    "accept", "benign: a hidden preheader, as newsletters send")
put("63-html-bdo-rtl.eml", html("Draft", 64, '<html><body><p><bdo dir="rtl">EVITISNES-LAICIFFO</bdo></p><p><span dir="rtl">02-9102 dnalgnE ni gniretsoF</span></p></body></html>'),
    "quarantine", "marker and identifier stored backwards inside <bdo dir=rtl> / dir=rtl (shown forwards)")
put("64-plain-rlo-reversed.eml", plain("Draft", 65, "\u202eEVITISNES-LAICIFFO\u202c\r\nDraft headline for \u202e02-9102 dnalgnE ni gniretsoF\u202c\r\n"),
    "quarantine", "text/plain with U+202E ... U+202C overrides around reversed text")
put("64b-plain-rtl-benign.eml", plain("Shalom", 66, "\u202eolleh\u202c \u2067\u05e9\u05dc\u05d5\u05dd\u2069 friends, lunch on Friday\r\n"),
    "accept", "benign bidi controls (a Hebrew greeting in an isolate)")
put("65-hangul-filler-spaces.eml", plain("Draft", 67, "OFFICIAL\u3164SENSITIVE\r\nDraft headline for Fostering\u2800in\uffa0England 2019-20\r\n"),
    "quarantine", "blank-looking letters (U+3164, U+2800, U+FFA0) used as spaces")
put("66-html-zero-size-box.eml", html("Draft", 68, '<html><body><p>OFFICIAL-SENS<span style="width:0;height:0;overflow:hidden;display:inline-block">qq</span>ITIVE Fos<font style="font-size:0pt">jj</font>tering in England 2019-20</p></body></html>', "8bit"),
    "quarantine", "junk in a zero-size overflow:hidden box and a 0pt font inside words")

# ---- 6. RFC 2047 ----------------------------------------------------------------
put("70-ew-stray-b-opener-before-q.eml", head("=?utf-8?b?RHJhZnQ= =?utf-8?q?OFFICIAL-SENSITIVE=3A_Fostering_in_England_2019-20?=", 70,
    "Content-Type: text/plain; charset=us-ascii\r\n") + "\r\nSee you at 10.\r\n",
    "quarantine", "Subject: a stray =?utf-8?b? opener before a real Q word")

# ---- 7. zips at an offset ---------------------------------------------------------
def zipof(name, text):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, text)
    return buf.getvalue()


def adjust_offsets(stub, zdata):
    """What `zip -A` does to a self-extractor: offsets relative to the file."""
    z = bytearray(zdata)
    e = z.rfind(b"PK\x05\x06")
    cd_size, cd_off = struct.unpack_from("<II", z, e + 12)
    struct.pack_into("<I", z, e + 16, cd_off + len(stub))
    p = cd_off
    while p < cd_off + cd_size:
        struct.pack_into("<I", z, p + 42, struct.unpack_from("<I", z, p + 42)[0] + len(stub))
        n, m, k = struct.unpack_from("<HHH", z, p + 28)
        p += 46 + n + m + k
    return stub + bytes(z)


put("80-two-zips-back-to-back.eml", with_attachment("Files", 80, "Files attached.", "application/octet-stream", "files.bin",
    zipof("readme.txt", BENIGN) + zipof("notes.txt", LEAK)),
    "quarantine", "two zip archives concatenated; the leak is in the second")
put("80b-two-zips-back-to-back-benign.eml", with_attachment("Files", 81, "Files attached.", "application/octet-stream", "files.bin",
    zipof("readme.txt", BENIGN) + zipof("rota.txt", "Monday: Sam\r\n")), "accept", "benign twin of 80")
stub = b"MZ" + b"\x00" * 62 + b"This program cannot be run in DOS mode.\r\n" + b"\x90" * 2000
put("81-sfx-adjusted-offsets.eml", with_attachment("Files", 82, "Self-extracting archive attached.", "application/x-msdownload", "notes.exe",
    adjust_offsets(stub, zipof("notes.txt", LEAK))),
    "quarantine", "self-extractor with offsets adjusted to the file (zip -A)")

# ---- 8. PGP, S/MIME, rpmsg, password-protected ----------------------------------
ARMOUR = ("-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA6M2vXUhvP7sAQgAmtG0wHrC7c3bwp2Xm1YqgE1d4bQ0vY6tXkPp1y7Yj0oL\r\n"
          "Qm9zdGVyaW5nIGlzIG5vdCBoZXJlOyB0aGlzIGlzIHJhbmRvbSBmaWxsZXIgdGV4dA==\r\n=Kx1P\r\n-----END PGP MESSAGE-----\r\n")
put("90-pgp-encrypted-with-marker.eml", plain("OFFICIAL-SENSITIVE draft", 90, ARMOUR), "tempfail",
    "a real OpenPGP armour block while the subject carries a marker: unreadable and signalled, on_error")
put("90b-pgp-encrypted-routine.eml", plain("Keys", 91, ARMOUR), "accept",
    "a real OpenPGP armour block and nothing signalling a release: listed as unreadable, accepted")
put("91-pgp-clearsigned-leak.eml", plain("Draft", 92, "-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\n" + LEAK +
    "-----BEGIN PGP SIGNATURE-----\r\n\r\niQEzBAEBCAAdFiEEabc=\r\n=abcd\r\n-----END PGP SIGNATURE-----\r\n"),
    "quarantine", "clearsigned PGP text is readable (guards the armour check: SIGNED MESSAGE is not MESSAGE)")
put("92-pgp-mime-encrypted-routine.eml", head("Keys", 93, 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="=_e"\r\n') + "\r\n"
    "--=_e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
    '--=_e\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n' + ARMOUR + "--=_e--\r\n",
    "accept", "PGP/MIME (RFC 3156, Thunderbird) with nothing signalled: listed as unreadable, accepted")
ENVELOPED = bytes.fromhex("3080" "06092a864886f70d010703" "a080" "3080" "020100") + os.urandom(0) + b"\x11" * 200
put("93-smime-enveloped-with-identifier.eml", head("Fostering in England 2019-20", 94,
    'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\r\nContent-Disposition: attachment; filename="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n') + "\r\n" + b64(ENVELOPED),
    "tempfail", "S/MIME enveloped-data and an identifier in the subject: signalled, on_error")
put("93b-smime-enveloped-routine.eml", head("Lunch", 95,
    'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\r\nContent-Disposition: attachment; filename="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n') + "\r\n" + b64(ENVELOPED),
    "accept", "S/MIME enveloped-data, nothing signalled: listed as unreadable, accepted")
RPMSG = b"\x76\xe8\x04\x60\xc4\x11\xe3\x86" + b"DRMContent" + b"\x00" * 300
put("94-rpmsg-routine.eml", with_attachment("Protected message", 96, "You have received a protected message.", "application/x-microsoft-rpmsg-message", "message.rpmsg", RPMSG),
    "accept", "IRM-protected message.rpmsg with nothing signalled: listed as unreadable, accepted")
put("95-rpmsg-label-guid-header.eml", with_attachment("Protected message", 97, "You have received a protected message.", "application/x-microsoft-rpmsg-message", "message.rpmsg", RPMSG,
    extra="msip_labels: MSIP_Label_%s_Enabled=true; MSIP_Label_%s_SiteId=72f988bf-86f1-41af-91ab-2d7cd011db47; MSIP_Label_%s_Method=Standard\r\n" % (LABEL_GUID, LABEL_GUID, LABEL_GUID)),
    "tempfail", "rpmsg whose msip_labels header names the OFFICIAL-SENSITIVE label only by GUID: signalled, on_error")
with open(os.path.join(HERE, "..", "cases", "encrypted-zip.eml"), "rb") as f:
    from email import message_from_binary_file
    m = message_from_binary_file(f, policy=policy.default)
    ZIPPED = [p for p in m.walk() if p.get_filename()][0].get_payload(decode=True)
put("96-password-zip-nothing-embargoed.eml", with_attachment("Scans", 98, "Scans attached, password by phone.", "application/zip", "scans.zip", ZIPPED),
    "accept", "a routine password-protected zip when no release is embargoed", at="2021-03-01 10:00")
put("97-password-zip-with-identifier.eml", with_attachment("Fostering in England tables", 99, "Tables attached, password by phone.", "application/zip", "tables.zip", ZIPPED),
    "tempfail", "a password-protected zip whose subject names an embargoed release: signalled, on_error")

# ---- 9. sensitivity labels -------------------------------------------------------
put("98-docx-labelinfo-guid-only.eml", with_attachment("Draft", 100, "Draft attached.", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Draft.docx",
    docx("Draft headline for Fostering in England 2019-20", LABEL_GUID)),
    "quarantine", "current Word: the label is only a GUID in docMetadata/LabelInfo.xml (configured label = a marker) + identifier")
put("98b-docx-labelinfo-unknown-guid.eml", with_attachment("Draft", 101, "Draft attached.", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Draft.docx",
    docx("Draft headline for Fostering in England 2019-20", OTHER_GUID)),
    "accept", "the same with a label GUID not configured: the identifier alone is only a note")
put("99-msip-labels-guid-only.eml", plain("Draft", 102, "Draft headline for Fostering in England 2019-20\r\n",
    extra="msip_labels: MSIP_Label_%s_Enabled=true; MSIP_Label_%s_SetDate=2020-11-11T18:00:00Z; MSIP_Label_%s_ContentBits=0\r\n" % (LABEL_GUID, LABEL_GUID, LABEL_GUID)),
    "quarantine", "msip_labels header without _Name: the GUID maps to OFFICIAL-SENSITIVE")

with open(os.path.join(HERE, "project-cases.tsv"), "w") as f:
    f.write("# Project-made readability cases (make-cases.py). file\texpected_action\tkind\t[at, default 2020-11-11 20:35]\t[unreadable: the verdict must list what was not read]\n")
    for r in rows:
        f.write("\t".join(r).rstrip("\t") + "\n")
print(len(rows), "cases")
