#!/usr/bin/env python3
"""Generates the realistic message mix for `make bench-mta` (deterministic, seed 7).

usage: gen-mta-mix.py OUTDIR MEAN_BYTES

Writes OUTDIR/00.eml .. OUTDIR/09.eml, ten kinds of ordinary outgoing mail as
clients make them, whose sizes average MEAN_BYTES (within a few per cent):
  00 Outlook: multipart/alternative, text/plain + text/html (quoted-printable,
     Word's HTML styles), a quoted thread below the reply
  01 Apple Mail: multipart/alternative, base64 UTF-8 HTML
  02 Thunderbird: a format=flowed reply with "> " quoting
  03 a phone: a short base64 text/plain
  04 Outlook with a .docx attachment
  05 Outlook with an .xlsx attachment (a table of figures)
  06 Thunderbird with a PDF of a few pages (text, Helvetica)
  07 Apple Mail: multipart/related HTML with an inline PNG photo
  08 Outlook forward as attachment (message/rfc822)
  09 Outlook meeting request (text/calendar)
None names a release of the benchmark's rules: the mix measures the cost of
scanning clean mail, the common case. Line ends are LF (smtp-source -F adds
CR). Written with the Python standard library only; the attachments are made
here (zipfile for OOXML, a hand-written PDF 1.4 per ISO 32000-1 section 7,
a PNG per RFC 2083 with zlib), so nothing is copied from elsewhere.
"""
import base64
import io
import random
import struct
import sys
import zipfile
import zlib
from email import charset as ecs
from email.generator import Generator
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

WORDS = ("the of and to in for on with as by from at rate quarter annual survey estimate household "
         "region policy national change increase decrease data table figure report statistics england "
         "wales local authority children care education health employment earnings housing population "
         "per cent compared previous year provisional revised official guidance meeting agenda note draft "
         "thanks could you please see below attached update call tomorrow team minister briefing").split()


def prose(rnd, nbytes):
    out, size = [], 0
    while size < nbytes:
        s = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 16))).capitalize() + "."
        out.append(s)
        size += len(s) + 1
    lines, line = [], ""
    for s in out:
        if len(line) + len(s) > 72:
            lines.append(line.rstrip())
            line = ""
        line += s + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


def headers(m, kind, i):
    m["From"] = "Analyst %d <analyst%d@stats.bench.test>" % (i, i)
    m["To"] = "Reader <reader@out.bench.test>"
    m["Subject"] = "RE: %s update (%d)" % (kind, i)
    m["Date"] = "Mon, 30 Nov 2026 10:%02d:00 +0000" % i
    m["Message-ID"] = "<mix-%02d-%s@stats.bench.test>" % (i, kind)
    m["MIME-Version"] = "1.0"
    return m


def coded_text(body, subtype="plain", encoding=ecs.QP):
    """A UTF-8 text part in the given transfer encoding (ecs.QP or ecs.BASE64)."""
    cs = ecs.Charset("utf-8")
    cs.body_encoding = encoding
    t = MIMEText("", subtype)
    t.set_payload(body, cs)
    return t


def qp_text(body, subtype="plain"):
    return coded_text(body, subtype, ecs.QP)


def b64_text(body, subtype="plain"):
    return coded_text(body, subtype, ecs.BASE64)


def outlook_html(text, quoted):
    paras = "".join('<p class="MsoNormal">%s<o:p></o:p></p>\n' % p for p in text.split("\n") if p)
    q = "".join('<p class="MsoNormal">%s</p>\n' % p for p in quoted.split("\n") if p)
    return ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '<style>p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;}'
            '</style></head><body lang="EN-GB"><div class="WordSection1">%s'
            '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
            '<p class="MsoNormal"><b>From:</b> Colleague<br><b>Sent:</b> 27 November 2026 16:02'
            '</p></div>%s</div></body></html>' % (paras, q))


def docx(text):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        body = "".join("<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % p for p in text.split("\n"))
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   "<w:body>%s</w:body></w:document>" % body)
    return b.getvalue()


def xlsx(rnd, nrows):
    b = io.BytesIO()
    rows = []
    for r in range(1, nrows + 1):
        cells = "".join('<c r="%s%d"><v>%.1f</v></c>' % (chr(65 + c), r, rnd.uniform(0, 1000)) for c in range(8))
        rows.append('<row r="%d">%s</row>' % (r, cells))
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="Table 1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   "<sheetData>%s</sheetData></worksheet>" % "".join(rows))
    return b.getvalue()


def pdf(text, lines_per_page=45):
    """A PDF 1.4 with one Helvetica text page per lines_per_page lines."""
    lines = [l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for l in text.split("\n")]
    pages = [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[""]]
    objs = []  # object bodies, numbered from 1
    objs.append("<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join("%d 0 R" % (4 + 2 * i) for i in range(len(pages)))
    objs.append("<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    objs.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, pl in enumerate(pages):
        stream = "BT /F1 10 Tf 50 800 Td 14 TL\n" + "".join("(%s) '\n" % l for l in pl) + "ET"
        objs.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objs.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for n, body in enumerate(objs, 1):
        offs.append(out.tell())
        out.write(("%d 0 obj\n%s\nendobj\n" % (n, body)).encode("latin-1"))
    xref = out.tell()
    out.write(("xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)).encode())
    for o in offs:
        out.write(("%010d 00000 n \n" % o).encode())
    out.write(("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)).encode())
    return out.getvalue()


def png(rnd, nbytes):
    """An RGB PNG of noise (a photo does not compress either) of about nbytes."""
    w = 64
    h = max(1, nbytes // (w * 3))
    raw = b"".join(b"\x00" + bytes(rnd.getrandbits(8) for _ in range(w * 3)) for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def build(kind, i, n, rnd):
    """Message kind i with about n bytes of variable content."""
    text = prose(rnd, max(200, n))
    reply = prose(rnd, 300)
    if kind == 0:
        quoted = text
        m = MIMEMultipart("alternative")
        m.attach(qp_text(reply + "\n\n-----Original Message-----\n" + quoted))
        m.attach(qp_text(outlook_html(reply, quoted), "html"))
    elif kind == 1:
        m = MIMEMultipart("alternative")
        m.attach(b64_text(reply + "\n\n" + text))
        m.attach(b64_text("<html><body><div>%s</div><blockquote type=\"cite\">%s</blockquote></body></html>"
                          % (reply, text.replace("\n", "<br>")), "html"))
    elif kind == 2:
        m = MIMEText("", "plain")
        body = reply + "\n\nOn 27/11/2026 16:02, Colleague wrote:\n" + "\n".join("> " + l for l in text.split("\n"))
        m.set_payload(body.replace("\n> ", " \n> ", 3), "utf-8")
        m.replace_header("Content-Type", 'text/plain; charset=UTF-8; format=flowed')
        m["Content-Transfer-Encoding"] = "8bit"
    elif kind == 3:
        m = b64_text(prose(rnd, 400) + "\n\nSent from my iPhone")
    elif kind == 4:
        m = MIMEMultipart("mixed")
        m.attach(qp_text(reply))
        a = MIMEApplication(docx(text), "vnd.openxmlformats-officedocument.wordprocessingml.document")
        a.add_header("Content-Disposition", "attachment", filename="Briefing note v3.docx")
        m.attach(a)
    elif kind == 5:
        m = MIMEMultipart("mixed")
        m.attach(qp_text(reply))
        a = MIMEApplication(xlsx(rnd, max(2, n // 60)), "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        a.add_header("Content-Disposition", "attachment", filename="Tables.xlsx")
        m.attach(a)
    elif kind == 6:
        m = MIMEMultipart("mixed")
        m.attach(MIMEText(reply, "plain", "utf-8"))
        a = MIMEApplication(pdf(text), "pdf")
        a.add_header("Content-Disposition", "attachment", filename="Minutes.pdf")
        m.attach(a)
    elif kind == 7:
        m = MIMEMultipart("related")
        m.attach(b64_text('<html><body><div>%s</div><img src="cid:photo1@mix"></body></html>' % reply, "html"))
        img = MIMEImage(png(rnd, n), "png")
        img.add_header("Content-ID", "<photo1@mix>")
        img.add_header("Content-Disposition", "inline", filename="IMG_0412.png")
        m.attach(img)
    elif kind == 8:
        inner = headers(MIMEText(text, "plain", "utf-8"), "original", i)
        m = MIMEMultipart("mixed")
        m.attach(qp_text("FYI, see the attached.\n\n" + reply))
        m.attach(MIMEMessage(inner))
    else:
        m = MIMEMultipart("alternative")
        m.attach(qp_text(reply + "\n\n" + text))
        cal = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\n"
               "METHOD:REQUEST\nBEGIN:VEVENT\nUID:mix-%d@stats.bench.test\nDTSTAMP:20261130T100000Z\n"
               "DTSTART:20261203T140000Z\nDTEND:20261203T150000Z\nSUMMARY:Team meeting\n"
               "DESCRIPTION:%s\nEND:VEVENT\nEND:VCALENDAR\n" % (i, reply[:200]))
        c = MIMEText(cal, "calendar", "utf-8")
        c.set_param("method", "REQUEST")
        m.attach(c)
    return headers(m, "kind%d" % kind, i)


def render(m):
    b = io.StringIO()
    Generator(b, mangle_from_=False, maxheaderlen=78).flatten(m)
    return b.getvalue().encode("utf-8")


def main():
    out, mean = sys.argv[1], int(sys.argv[2])
    random.seed(7)  # the email package draws MIME boundaries from it
    # size of each kind relative to the mean (they average 1.0): a phone
    # message is small, a photo or an attachment large
    weights = [0.8, 0.7, 0.5, 0.15, 1.4, 1.1, 1.3, 1.9, 0.9, 0.5]
    weights = [w * len(weights) / sum(weights) for w in weights]
    total = 0
    for k, w in enumerate(weights):
        target = mean * w
        # size grows about linearly with n: two probes, then solve
        a = len(render(build(k, k, 1000, random.Random(k))))
        b = len(render(build(k, k, 6000, random.Random(k))))
        slope = (b - a) / 5000.0
        n = 1000 if slope <= 0 else max(200, int(1000 + (target - a) / slope))
        data = render(build(k, k, n, random.Random(k)))
        with open("%s/%02d.eml" % (out, k), "wb") as f:
            f.write(data)
        total += len(data)
    print("gen-mta-mix: 10 messages in %s, mean %d bytes (asked %d)" % (out, total // 10, mean))


if __name__ == "__main__":
    main()
