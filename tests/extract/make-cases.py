#!/usr/bin/env python3
"""make-cases.py - wraps each fixture of tests/extract/fixtures/ into a message
(tests/extract/cases/*.eml) as a mail client sends it, and writes cases.tsv:
file, expected action, what the notes must say (a regular expression; "-" when
nothing), the kind. Expected verdicts are for tests/extract/embargo-milter.conf
(the example release of conf/ with tight extraction limits) at 2020-11-11 20:35,
from private.office@education.example.gov.uk to duty.press.officer@education.example.gov.uk."""
import base64
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
OUT = os.path.join(HERE, "cases")

# name, fixture, content type, file name, expected, notes regex, kind
CASES = [
    ("pdf-leak", "leak.pdf", "application/pdf", "Briefing note FINAL.pdf", "quarantine", "-", "PDF made by LibreOffice"),
    ("pdf-renamed-bin", "leak.pdf", "application/octet-stream", "data.bin", "quarantine", "-", "PDF recognised by content, not name"),
    ("doc-leak", "leak.doc", "application/msword", "note.doc", "quarantine", "-", "Word 97-2003 .doc (LibreOffice)"),
    ("xls-leak", "leak.xls", "application/vnd.ms-excel", "tables.xls", "quarantine", "-", "Excel 97-2003 .xls (LibreOffice)"),
    ("ppt-leak", "leak.ppt", "application/vnd.ms-powerpoint", "slides.ppt", "quarantine", "-", "PowerPoint 97-2003 .ppt (LibreOffice)"),
    ("rtf-libreoffice", "leak.rtf", "application/rtf", "note.rtf", "quarantine", "-", "RTF written by LibreOffice"),
    ("rtf-word-style", "word-style.rtf", "text/rtf", "note.rtf", "quarantine", "-", "Word-style RTF: each run its own group, \\'96 dash"),
    ("tnef-doc", "tnef-doc.dat", "application/ms-tnef", "winmail.dat", "quarantine", "-", "TNEF with a .doc attachment (read again by the extractor)"),
    ("tnef-rtf-body", "tnef-rtf.dat", "application/ms-tnef", "winmail.dat", "quarantine", "-", "TNEF whose only body is compressed RTF"),
    ("tar-gz-docx", "leak.tar.gz", "application/gzip", "papers.tar.gz", "quarantine", "-", ".docx inside .tar.gz (read by the core's zip reader)"),
    ("tar-bz2-pdf", "leak.tar.bz2", "application/x-bzip2", "papers.tar.bz2", "quarantine", "-", "PDF inside .tar.bz2"),
    ("tar-xz", "leak.tar.xz", "application/x-xz", "papers.tar.xz", "quarantine", "-", "text inside .tar.xz"),
    ("7z-doc", "leak.7z", "application/x-7z-compressed", "papers.7z", "quarantine", "-", ".doc inside 7z"),
    ("cab", "leak.cab", "application/vnd.ms-cab-compressed", "papers.cab", "quarantine", "-", "text inside a cabinet"),
    ("iso", "leak.iso", "application/x-iso9660-image", "papers.iso", "quarantine", "-", "text inside an ISO 9660 image"),
    ("zstd", "leak.txt.zst", "application/zstd", "notes.txt.zst", "quarantine", "-", "a bare zstd stream"),
    ("gz-zero-prefixed", "zero-prefixed.txt.gz", "application/gzip", "notes.txt.gz", "quarantine", "-", "gzip whose stream starts with 1 KB of zeros (looks like an empty tar)"),
    ("msg-doc", "msg-doc.msg", "application/vnd.ms-outlook", "Briefing.msg", "quarantine", "-", "Outlook .msg (libgsf writer, mkmsg.c) carrying a .doc"),
    ("msg-body", "msg-body.msg", "application/vnd.ms-outlook", "Fwd.msg", "quarantine", "-", "Outlook .msg whose body and subject carry the leak"),
    ("msg-benign", "msg-benign.msg", "application/vnd.ms-outlook", "Facilities.msg", "accept", "-", "benign Outlook .msg"),
    ("png-ocr", "leak.png", "image/png", "screenshot.png", "quarantine", "-", "a screenshot of the text (OCR)"),
    ("smime-signed", "smime-signed.p7m", None, None, "quarantine", "-", "S/MIME opaque-signed (openssl cms -sign -nodetach)"),
    ("pdf-benign", "benign.pdf", "application/pdf", "minutes.pdf", "accept", "-", "benign PDF"),
    ("tnef-benign", "tnef-benign.dat", "application/ms-tnef", "winmail.dat", "accept", "-", "benign TNEF"),
    ("gz-benign", "benign.txt.gz", "application/gzip", "minutes.txt.gz", "accept", "-", "benign gzip"),
    ("tar-gz-benign", "benign.tar.gz", "application/gzip", "minutes.tar.gz", "accept", "-", "benign tar.gz with a PDF"),
    ("small-logo", "small-logo.png", "image/png", "logo.png", "accept", "-", "a 120x40 logo: below the OCR threshold, not read"),
    ("smime-signed-benign", "smime-signed-benign.p7m", None, None, "accept", "-", "benign S/MIME opaque-signed"),
    # unreadable: the marker in the Subject is the signal that makes on_error apply
    ("smime-enveloped", "smime-enveloped.p7m", None, None, "tempfail", "enveloped", "S/MIME encrypted: unreadable"),
    ("hostile-bomb-gz", "bomb.gz", "application/gzip", "data.gz", "tempfail", "output limit", "gzip bomb (200 MB of zeros)"),
    ("hostile-bomb-bz2", "bomb.bz2", "application/x-bzip2", "data.bz2", "tempfail", "output limit", "bzip2 bomb (1 GB of zeros)"),
    ("hostile-bomb-xz", "bomb.xz", "application/x-xz", "data.xz", "tempfail", "output limit", "xz bomb"),
    ("hostile-bomb-zst", "bomb.zst", "application/zstd", "data.zst", "tempfail", "output limit", "zstd bomb"),
    ("hostile-bomb-tar-gz", "bomb.tar.gz", "application/gzip", "data.tar.gz", "tempfail", "output limit", "tar.gz bomb"),
    ("hostile-bomb-7z", "bomb.7z", "application/x-7z-compressed", "data.7z", "tempfail", "output limit", "7z bomb"),
    ("hostile-bomb-cab", "bomb.cab", "application/vnd.ms-cab-compressed", "data.cab", "tempfail", "output limit", "cab bomb"),
    ("hostile-huge-png", "huge.png", "image/png", "photo.png", "tempfail", "too large", "100-megapixel PNG"),
    ("hostile-truncated-doc", "truncated.doc", "application/msword", "note.doc", "tempfail", "damaged OLE2", "OLE2 file cut at 3000 bytes"),
    ("hostile-loop-pdf", "loop.pdf", "application/pdf", "loop.pdf", "tempfail", "time limit|CPU limit|output limit", "a PDF that never finishes (10^10 form draws)"),
]

HEAD = ("From: Private Office <private.office@education.example.gov.uk>\r\n"
        "To: Duty Press Officer <duty.press.officer@education.example.gov.uk>\r\n"
        "Subject: {subject}\r\nDate: Wed, 11 Nov 2020 20:35:00 +0000\r\n"
        "Message-ID: <{name}@extract.example.gov.uk>\r\nMIME-Version: 1.0\r\n")


def b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + "\r\n"


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = ["file\texpected_action\tnotes_regex\tkind"]
    for name, fix, ctype, fname, action, notes, kind in CASES:
        data = open(os.path.join(FIX, fix), "rb").read()
        subject = "OFFICIAL-SENSITIVE" if action == "tempfail" else "Note"
        m = HEAD.format(subject=subject, name=name)
        if ctype is None:  # S/MIME: the whole body
            kindp = "enveloped-data" if "enveloped" in fix else "signed-data"
            m += ('Content-Type: application/pkcs7-mime; smime-type=%s; name="smime.p7m"\r\n'
                  'Content-Transfer-Encoding: base64\r\n'
                  'Content-Disposition: attachment; filename="smime.p7m"\r\n\r\n' % kindp) + b64(data)
        else:
            disp = "inline" if ctype.startswith("image/") else "attachment"
            m += ('Content-Type: multipart/mixed; boundary="=_b1"\r\n\r\n--=_b1\r\n'
                  'Content-Type: text/plain; charset=us-ascii\r\n\r\nSee attached.\r\n--=_b1\r\n'
                  'Content-Type: %s; name="%s"\r\nContent-Transfer-Encoding: base64\r\n'
                  'Content-Disposition: %s; filename="%s"\r\n\r\n' % (ctype, fname, disp, fname))
            m += b64(data) + "--=_b1--\r\n"
        open(os.path.join(OUT, name + ".eml"), "w", newline="").write(m)
        rows.append("%s.eml\t%s\t%s\t%s" % (name, action, notes, kind))
    open(os.path.join(HERE, "cases.tsv"), "w").write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
