#!/usr/bin/env python3
"""Generates the adversarial corpus: tests/adversarial/cases/*.eml and cases.tsv.

Each message plays one trick that a leaker (or a clumsy mail client) could use
to get an embargoed draft past a filter: odd encodings, lying structure,
hidden text, archives, resource exhaustion. The marker and the identifier (or
the content pattern) sit *only* where the trick hides them, so a scanner that
falls for the trick lets the message through and the case fails.

Expected verdicts follow the spec, never the engine of the day: held
("quarantine", release fostering-2020) whenever a reader could see the text;
"tempfail" (on_error) when the message cannot be fully scanned and nothing
blocking was found. Same format as tests/corpus/cases.tsv; run by run.sh
against the repository's example configuration (conf/).
The .eml files are committed; re-run this script only to change the corpus.
"""
import base64, io, os, quopri, struct, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")
rows = []

AT = "2020-11-11 13:00"            # inside the PRA window (publish 2020-11-12 09:30)
FROM = "policy.official@education.example.gov.uk"
RCPT = ["outsider@example.org"]    # on no list
HOLD = ("quarantine", ["fostering-2020"])
TEMPFAIL = ("tempfail", [])
MARK = "OFFICIAL-SENSITIVE"
IDENT = "Fostering in England"
SECRET = MARK + ": " + IDENT + " 2019-20 draft for comment.\r\n"
CONTENT = "The number of fostering households fell by 2% to 43,905.\r\n"
BENIGN = "Hello, notes from today's meeting are below. Nothing else to add.\r\n"


def emit(name, raw, expect, trick, at=AT, sender=FROM, rcpts=RCPT):
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(raw)
    action, releases = expect
    rows.append("\t".join([name + ".eml", at, sender, ",".join(rcpts), action, ",".join(releases) or "-", trick]))


def top(n, subject="notes", extra=b""):
    """The top-level header block (without the empty line), as bytes."""
    if isinstance(extra, str):
        extra = extra.encode("utf-8")
    if isinstance(subject, str):
        subject = subject.encode("utf-8")
    return (b"From: Policy Official <" + FROM.encode() + b">\r\nTo: <outsider@example.org>\r\n"
            b"Subject: " + subject + b"\r\nDate: Wed, 11 Nov 2020 13:00:00 +0000\r\n"
            b"Message-ID: <adv-%d@education.example.gov.uk>\r\nMIME-Version: 1.0\r\n" % n) + extra


def b(x):
    return x.encode("utf-8") if isinstance(x, str) else x


def b64lines(data, width=76):
    e = base64.b64encode(b(data)).decode()
    return "\r\n".join(e[i:i + width] for i in range(0, len(e), width)) + "\r\n"


def single(n, ctype, body, cte=None, subject="notes", extra=""):
    h = "Content-Type: %s\r\n" % ctype
    if cte:
        h += "Content-Transfer-Encoding: %s\r\n" % cte
    return top(n, subject, b(extra) + b(h)) + b"\r\n" + b(body)


def part(ctype, body, cte=None, extra=""):
    h = "Content-Type: %s\r\n" % ctype
    if cte:
        h += "Content-Transfer-Encoding: %s\r\n" % cte
    return b(extra) + b(h) + b"\r\n" + b(body)


def multipart(n, subtype, parts, boundary="=_adv_b", subject="notes", preamble="", epilogue="",
              close=True, ctype=None, extra=""):
    out = top(n, subject, b(extra) + b("Content-Type: %s\r\n" % (ctype or 'multipart/%s; boundary="%s"' % (subtype, boundary))))
    out += b"\r\n" + b(preamble)
    for p in parts:
        out += b("--%s\r\n" % boundary) + b(p)
        if not out.endswith(b"\r\n"):
            out += b"\r\n"
    if close:
        out += b("--%s--\r\n" % boundary)
    return out + b(epilogue)


def attachment(filename, data, ctype="application/octet-stream"):
    return part('%s; name="%s"' % (ctype, filename), b64lines(data), "base64",
                'Content-Disposition: attachment; filename="%s"\r\n' % filename)


def utf7_all(s):
    """UTF-7 with every character in a base64 run (legal, and opaque to ASCII scans)."""
    return "+" + base64.b64encode(s.encode("utf-16-be")).decode().rstrip("=") + "-"


def zipped(entries, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def docx(paragraph_runs):
    body = "".join("<w:p>" + "".join('<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % r for r in runs) + "</w:p>"
                   for runs in paragraph_runs)
    return zipped([
        ("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        ("_rels/.rels", '<?xml version="1.0"?><Relationships/>'),
        ("word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % body),
    ])


def xlsx_inline_rich(cells):
    """Cells as inline strings made of several rich-text runs each."""
    row = "".join('<c r="A%d" t="inlineStr"><is>%s</is></c>' % (i + 1, "".join("<r><t>%s</t></r>" % run for run in runs))
                  for i, runs in enumerate(cells))
    return zipped([
        ("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">%s</row></sheetData></worksheet>' % row),
    ])


def encrypted_zip(name, data):
    """A zip whose entry carries the traditional PKWARE encryption bit."""
    raw = bytearray(zipped([(name, data)], zipfile.ZIP_STORED))
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = raw.find(sig)
        struct.pack_into("<H", raw, i + off, struct.unpack_from("<H", raw, i + off)[0] | 1)
    return bytes(raw)


def nested_rfc822(levels, innermost):
    """innermost message bytes wrapped in `levels` forwarding messages."""
    msg = innermost
    for i in range(levels):
        msg = (b"From: fwd%d@example.org\r\nTo: next@example.org\r\nSubject: Fwd: level %d\r\nMIME-Version: 1.0\r\n"
               b'Content-Type: multipart/mixed; boundary="lvl%d"\r\n\r\n--lvl%d\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n'
               b"--lvl%d\r\nContent-Type: message/rfc822\r\n\r\n" % (i, i, i, i, i)) + msg + b"\r\n--lvl%d--\r\n" % i
    return msg


os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.unlink(os.path.join(OUT, f))
n = 0


def nx():
    global n
    n += 1
    return n


# --- RFC 2047 encoded words ----------------------------------------------------
subj = ("=?utf-8?q?OFFI?= =?utf-8?q?CIAL-?=\r\n =?utf-8?b?%s?= =?iso-8859-1?q?Fost?=\r\n =?us-ascii?q?ering_in_?= =?utf-8?b?%s?="
        % (base64.b64encode(b"SENSITIVE: ").decode(), base64.b64encode(b"England").decode()))
emit("ew-split-across-words", single(nx(), "text/plain; charset=utf-8", BENIGN, subject=subj), HOLD,
     "marker and identifier each split over several encoded words (Q and B, three charsets), folded")
dash = "OFFICIAL\u2013SENSITIVE ".encode()
i = dash.index(b"\xe2") + 1       # cut inside the en dash's UTF-8 sequence
subj = "=?utf-8?b?%s?= =?utf-8?b?%s?= =?utf-8?q?Fostering_in_England?=" % (
    base64.b64encode(dash[:i]).decode(), base64.b64encode(dash[i:]).decode())
emit("ew-split-inside-utf8-char", single(nx(), "text/plain; charset=utf-8", BENIGN, subject=subj), HOLD,
     "an encoded word boundary cuts a UTF-8 en dash in half; adjacent words must be joined before decoding")
subj = "=?UTF-8?Q?OFFICIAL=2DSENSITIVE=3A_Fostering=20in=20England?="
emit("ew-q-hex-everything", single(nx(), "text/plain", BENIGN, subject=subj), HOLD,
     "Q encoding with hex escapes for dash, colon and spaces, upper-case charset")
subj = "=?utf-8*en?q?OFFICIAL-SENSITIVE?= =?utf-8*en?b?%s?=" % base64.b64encode(b" Fostering in England").decode()
emit("ew-rfc2231-language", single(nx(), "text/plain", BENIGN, subject=subj), HOLD,
     "RFC 2231 language tags inside encoded words (charset*lang)")

# --- charsets ------------------------------------------------------------------------
body = "\r\n".join(utf7_all(line) for line in (MARK, IDENT + " summary")) + "\r\n"
emit("utf7-body", single(nx(), "text/plain; charset=utf-7", body), HOLD,
     "UTF-7 body with every character inside base64 runs")
emit("utf16-declared-no-bom", single(nx(), "text/plain; charset=utf-16", b64lines(SECRET.encode("utf-16-le")), "base64"), HOLD,
     "charset=utf-16 declared, little-endian bytes without a BOM")
emit("utf16le-undeclared-no-bom-text", single(nx(), "text/plain", b64lines(SECRET.encode("utf-16-le")), "base64"), HOLD,
     "text/plain without charset holding UTF-16LE without a BOM")
emit("utf16be-attachment-no-bom", multipart(nx(), "mixed", [part("text/plain", BENIGN), attachment("notes.txt", SECRET.encode("utf-16-be"))]), HOLD,
     "UTF-16BE .txt attachment without a BOM, declared octet-stream")
emit("rfc2231-charset-param", single(nx(), "text/plain; charset*=''UTF-16LE", b64lines(SECRET.encode("utf-16-le")), "base64"), HOLD,
     "the charset parameter itself in RFC 2231 extended form (charset*='')")

# --- quoted-printable ------------------------------------------------------------------
body = "".join(c + "=\r\n" for c in SECRET.rstrip()) + "\r\n"
emit("qp-soft-break-every-char", single(nx(), "text/plain; charset=utf-8", body, "quoted-printable"), HOLD,
     "QP soft line break after every single character")
body = "".join("=%02X" % ord(c) for c in MARK) + " " + "".join("=%02x" % ord(c) for c in IDENT) + "=\r\n \r\n"
emit("qp-hex-lowercase-escapes", single(nx(), "text/plain", body, "quoted-printable"), HOLD,
     "every letter as a QP escape, lower-case hex in the identifier")
body = "OFFICIAL-SEN=  \r\nSITIVE Fos=\t\r\ntering in Eng= \r\nland\r\n"
emit("qp-soft-break-trailing-blanks", single(nx(), "text/plain", body, "quoted-printable"), HOLD,
     "QP soft breaks followed by transport padding (trailing blanks after '=')")

# --- HTML ---------------------------------------------------------------------------------
html = ("<html><body><p>O&#70;FICIAL&#x2D;SENS&#73;TIVE</p><p>&#x46;ostering in Engl&#97;nd &mdash; "
        "Fos&shy;tering</p></body></html>")
emit("html-entities-inside-words", single(nx(), "text/html; charset=utf-8", b64lines(html), "base64"), HOLD,
     "decimal and hex character references inside the marker and identifier")
html = ("<div>OFFI<!-- x -->CIAL<span></span>-<b>SEN</b><i>SITIVE</i></div><div>Fo<font color=black>ster</font>ing"
        "<wbr>&nbsp;in&#32;Eng<u>land</u></div>")
emit("html-tags-and-comments-inside-words", single(nx(), "text/html", html, "7bit"), HOLD,
     "inline tags, an HTML comment and <wbr> inside the words, no <html> wrapper")
html = ('<html><body><p>Lunch on Thursday?</p><div style="display:none">OFFICIAL-SENSITIVE Fostering in England'
        '</div><span style="font-size:0;color:#fff">draft</span></body></html>')
emit("css-hidden-text", single(nx(), "text/html", html, "quoted-printable"), HOLD,
     "marker and identifier in a display:none block: hidden text still leaves the building")
html = ('<html><head><style>.h{visibility:hidden}</style></head><body><p>Hi</p><p class="h" style="color:#ffffff;'
        'font-size:1px">the number of fostering households fell by 2% to 43,905</p></body></html>')
emit("css-white-tiny-content", single(nx(), "text/html", html), HOLD,
     "content pattern in white 1px text with a visibility:hidden class")
html = "<p>Fostering<br>in<br/>England</p><p>OFFICIAL<br>SENSITIVE</p>"
emit("html-br-inside-phrases", multipart(nx(), "alternative", [part("text/plain", "see the HTML version\r\n"), part("text/html", html)]), HOLD,
     "line breaks (<br>) inside the identifier and between the marker words")

# --- invisible and look-alike characters --------------------------------------------
zw = "O\u200bFFI\u200dCIAL\u2060-SEN\ufeffSITIVE F\u200costering in Eng\u00adland\u200e"
emit("zero-width-inside-words", single(nx(), "text/plain; charset=utf-8", b64lines(zw + "\r\n"), "base64"), HOLD,
     "zero-width space/joiner/non-joiner, word joiner, BOM, soft hyphen and LRM inside the words")
html = "O&#8203;FFICIAL&#x200B;-SENSITIVE Fos&#x200d;tering in England"
emit("zero-width-html-references", single(nx(), "text/html", html), HOLD,
     "zero-width characters written as HTML character references")
emit("fullwidth-letters", single(nx(), "text/plain; charset=utf-8", b64lines("\uff2f\uff26\uff26\uff29\uff23\uff29\uff21\uff2c\uff0d\uff33\uff25\uff2e\uff33\uff29\uff34\uff29\uff36\uff25 Fostering in England\r\n"), "base64"), HOLD,
     "marker in fullwidth Latin letters (NFKC folds them)")
bold = "".join(chr(0x1D400 + ord(c) - ord("A")) if "A" <= c <= "Z" else c for c in MARK)
emit("math-bold-letters", single(nx(), "text/plain; charset=utf-8", b64lines(bold + " " + IDENT + "\r\n"), "base64"), HOLD,
     "marker in mathematical bold capitals (NFKC folds them)")
homo = "\u041eFFI\u0421IAL-SENSITIVE"            # Cyrillic O and ES
emit("homoglyph-cyrillic-marker", single(nx(), "text/plain; charset=utf-8", b64lines(homo + " " + IDENT + "\r\n"), "base64"), HOLD,
     "Cyrillic O and ES inside OFFICIAL (confusables are not folded by NFKC)")
homo = "F\u043est\u0435ring in \u0415ngland"     # Cyrillic o, ie, IE
emit("homoglyph-cyrillic-identifier", single(nx(), "text/plain; charset=utf-8", b64lines(MARK + " " + homo + "\r\n"), "base64"), HOLD,
     "Cyrillic o and e inside the identifier")

# --- nesting ---------------------------------------------------------------------------
inner = (b"From: a@example.org\r\nSubject: draft\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
         b"Content-Transfer-Encoding: base64\r\n\r\n" + b64lines(SECRET).encode())
emit("rfc822-nested-5-levels", top(nx(), "Fwd: level 5", b'Content-Type: multipart/mixed; boundary="top"\r\n') +
     b"\r\n--top\r\nContent-Type: message/rfc822\r\n\r\n" + nested_rfc822(4, inner) + b"\r\n--top--\r\n", HOLD,
     "forwarded as message/rfc822 five levels deep, base64 at the bottom")
inner = b"From: a@example.org\r\nSubject: draft\r\n\r\n" + SECRET.encode()
emit("rfc822-nested-beyond-limit", top(nx(), "Fwd: deep", b'Content-Type: multipart/mixed; boundary="top"\r\n') +
     b"\r\n--top\r\nContent-Type: message/rfc822\r\n\r\n" + nested_rfc822(14, inner) + b"\r\n--top--\r\n", HOLD,
     "message/rfc822 nested 15 levels (beyond max_depth 10): read as text, the plain marker still found")
inner = b"From: a@example.org\r\nSubject: draft\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64lines(SECRET).encode()
emit("rfc822-nested-beyond-limit-encoded", top(nx(), "Fwd: deep", b'Content-Type: multipart/mixed; boundary="top"\r\n') +
     b"\r\n--top\r\nContent-Type: message/rfc822\r\n\r\n" + nested_rfc822(14, inner) + b"\r\n--top--\r\n", TEMPFAIL,
     "15 levels of message/rfc822 with a base64 body at the bottom: cannot be fully scanned, on_error")
depth = 200
body = b"".join(b'--d%d\r\nContent-Type: multipart/mixed; boundary="d%d"\r\n\r\n' % (k, k + 1) for k in range(depth))
body += b"--d%d\r\nContent-Type: text/plain\r\n\r\n" % depth + SECRET.encode()
body += b"".join(b"--d%d--\r\n" % k for k in range(depth, -1, -1))
emit("multipart-nested-200-deep", top(nx(), "deep", b'Content-Type: multipart/mixed; boundary="d0"\r\n') + b"\r\n" + body, HOLD,
     "multipart nested 200 levels deep; the text at the bottom is still read")
inner = b"From: a@example.org\r\nSubject: minutes\r\n\r\nSee you on Thursday.\r\n"
emit("rfc822-filename-marker-only", multipart(nx(), "mixed", [part("text/plain", BENIGN),
     part("message/rfc822", inner.decode(), None, 'Content-Disposition: attachment; filename="OFFICIAL-SENSITIVE Fostering in England.eml"\r\n')]), HOLD,
     "marker and identifier only in the filename of an attached message/rfc822")
digest = ('Content-Type: multipart/digest; boundary="dg"\r\n', "--dg\r\n\r\nFrom: a@example.org\r\nSubject: " + MARK +
          "\r\n\r\nsee below\r\n--dg\r\n\r\nFrom: b@example.org\r\nSubject: minutes\r\n\r\n" + IDENT + " tables attached\r\n--dg--\r\n")
emit("multipart-digest-default-rfc822", top(nx(), "digest", digest[0]) + b"\r\n" + digest[1].encode(), HOLD,
     "multipart/digest parts without Content-Type default to message/rfc822: marker in a nested Subject")

# --- parts that disagree or lie ----------------------------------------------------
emit("alternative-disagree-html-only", multipart(nx(), "alternative", [part("text/plain", BENIGN),
     part("text/html; charset=utf-8", b64lines("<p>" + SECRET + "</p>"), "base64")]), HOLD,
     "multipart/alternative: the plain part is harmless, only the HTML part (what Outlook shows) has the text")
emit("alternative-disagree-plain-only", multipart(nx(), "alternative", [part("text/plain", b64lines(SECRET), "base64"),
     part("text/html", "<p>Hello</p>")]), HOLD,
     "multipart/alternative: only the plain part (what a text reader shows) has the text")
p = 'Content-Type: application/octet-stream\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>OFFI<b>CIAL</b>-SEN<i>SITIVE</i> Fos<b>ter</b>ing in England</p>\r\n'
emit("duplicate-content-type", multipart(nx(), "mixed", [part("text/plain", BENIGN), p]), HOLD,
     "two Content-Type fields (octet-stream, then text/html with tags inside the words): either reading must be scanned")
mp_inner = ('--in\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n' + b64lines(SECRET) + '--in--\r\n')
emit("duplicate-content-type-multipart", top(nx(), "notes", b'Content-Type: text/plain\r\nContent-Type: multipart/mixed; boundary="in"\r\n') +
     b"\r\n" + mp_inner.encode(), HOLD,
     "two Content-Type fields on the message: text/plain, then multipart/mixed whose part is base64")
p = "Content-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64lines(SECRET)
emit("duplicate-cte-7bit-then-base64", multipart(nx(), "mixed", [part("text/plain", BENIGN), p]), HOLD,
     "two Content-Transfer-Encoding fields (7bit, then base64): the base64 reading must be scanned")
p = "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + "OFFICIAL-SEN=\r\nSITIVE Fos=\r\ntering in England\r\n"
emit("duplicate-cte-base64-then-qp", multipart(nx(), "mixed", [part("text/plain", BENIGN), p]), HOLD,
     "two Content-Transfer-Encoding fields (base64, then quoted-printable with soft breaks inside the words)")
emit("cte-unknown-value", single(nx(), "text/plain", SECRET, "x-leak-encoding"), HOLD,
     "a Content-Transfer-Encoding nobody knows: clients show the bytes as they are")
emit("cte-mixed-case-and-comment", single(nx(), "text/plain", b64lines(SECRET), "BaSe64 (converted)"), HOLD,
     "Content-Transfer-Encoding in mixed case with an RFC 822 comment")
emit("docx-declared-text-plain", multipart(nx(), "mixed", [part("text/plain", BENIGN),
     part('text/plain; name="brief.docx"', b64lines(docx([["OFFICIAL-", "SENSITIVE"], ["Fos", "tering in Eng", "land"]])), "base64",
          'Content-Disposition: attachment; filename="brief.docx"\r\n')]), HOLD,
     "a .docx declared text/plain (Outlook opens it by its name, as Word)")
eml = b"From: a@example.org\r\nSubject: draft\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64lines(SECRET).encode()
emit("eml-attached-as-octet-stream", multipart(nx(), "mixed", [part("text/plain", BENIGN), attachment("draft.eml", eml)]), HOLD,
     "a whole message attached as application/octet-stream draft.eml, its body base64 (mail clients open it as a message)")

# --- boundaries -------------------------------------------------------------------------
emit("boundary-never-closed", multipart(nx(), "mixed", [part("text/plain", BENIGN), part("text/plain", b64lines(SECRET), "base64")], close=False), HOLD,
     "multipart without its closing delimiter; the last part is base64")
inner_mp = ('Content-Type: multipart/alternative; boundary="=_adv_b"\r\n\r\n--=_adv_b\r\nContent-Type: text/plain\r\n\r\nhello\r\n'
            '--=_adv_b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n' + b64lines(SECRET) + '--=_adv_b--\r\n')
emit("boundary-reused-by-inner", multipart(nx(), "mixed", [part("text/plain", BENIGN), inner_mp]), HOLD,
     "an inner multipart reuses its parent's boundary string")
emit("boundary-parameter-missing", single(nx(), "multipart/mixed", "--x\r\nContent-Type: text/plain\r\n\r\n" + SECRET + "--x--\r\n"), HOLD,
     "multipart/mixed without a boundary parameter: the body is read as text")
emit("boundary-rfc2231-continuation", multipart(nx(), "mixed", [part("text/plain", BENIGN), part("text/plain", b64lines(SECRET), "base64")],
     boundary="abcdefghij", ctype='multipart/mixed; boundary*0="abcde"; boundary*1="fghij"'), HOLD,
     "the boundary parameter in RFC 2231 continuation form (boundary*0, boundary*1)")
body = ("--B\r\nContent-Type: text/plain\r\n\r\n" + BENIGN + "--B\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + b64lines(SECRET) + "--B--\r\n")
emit("two-boundary-params-second-used", single(nx(), 'multipart/mixed; boundary="A"; boundary="B"', body), HOLD,
     "two boundary= parameters, the body delimited by the second (base64 part)")
body = ("--A\r\nContent-Type: text/plain\r\n\r\n" + BENIGN + "--A\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + b64lines(SECRET) + "--A--\r\n")
emit("two-boundary-params-first-used", single(nx(), 'multipart/mixed; boundary="A"; boundary="B"', body), HOLD,
     "two boundary= parameters, the body delimited by the first (base64 part)")
emit("text-in-preamble-and-epilogue", multipart(nx(), "mixed", [part("text/plain", BENIGN)], preamble=MARK + "\r\n", epilogue=IDENT + " tables\r\n"), HOLD,
     "marker in the multipart preamble and identifier in the epilogue")

# --- parameters and names ------------------------------------------------------------------
att = part("application/pdf", b64lines(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "base64",
           "Content-Disposition: attachment;\r\n filename*0*=utf-8''OFFICIAL%E2%80%91SENSITIVE%20;\r\n filename*1*=Fostering%20in%20England.pdf\r\n")
emit("rfc2231-filename-marker-only", multipart(nx(), "mixed", [part("text/plain", BENIGN), att]), HOLD,
     "marker and identifier only in an RFC 2231 continued, percent-encoded filename (non-breaking hyphen)")
att = part('application/pdf; name="=?utf-8?b?%s?="' % base64.b64encode(b"OFFICIAL SENSITIVE - Fostering in England.pdf").decode(),
           b64lines(b"%PDF-1.4\n%%EOF\n"), "base64", "Content-Disposition: attachment\r\n")
emit("filename-rfc2047-in-name", multipart(nx(), "mixed", [part("text/plain", BENIGN), att]), HOLD,
     "marker only in an RFC 2047-encoded name= parameter of Content-Type (no filename=)")

# --- archives ----------------------------------------------------------------------------------
inner_zip = zipped([("notes.txt", SECRET)])
emit("zip-inside-zip", multipart(nx(), "mixed", [part("text/plain", BENIGN), attachment("bundle.zip", zipped([("readme.txt", "see inner"), ("inner.zip", inner_zip)]), "application/zip")]), HOLD,
     "the text in a .txt inside a zip inside a zip")
d = docx([["Briefing: Fos", "tering in Eng", "land"], ["OFFICIAL", "-SENSITIVE"]])
emit("docx-renamed-bin", multipart(nx(), "mixed", [part("text/plain", BENIGN), attachment("data.bin", d)]), HOLD,
     "a .docx renamed data.bin, declared octet-stream, identifier split across runs")
x = xlsx_inline_rich([["OFFICIAL", "-SENS", "ITIVE"], ["Fostering ", "in England"], ["table 1"]])
emit("xlsx-inline-rich-runs", multipart(nx(), "mixed", [part("text/plain", BENIGN), attachment("tables.dat", x, "application/vnd.ms-excel")]), HOLD,
     "an .xlsx with inline rich-text strings split into runs, named .dat, declared as old Excel")
emit("zip-password-protected", multipart(nx(), "mixed", [part("text/plain", "password follows by phone\r\n"),
     attachment("tables.zip", encrypted_zip("tables.txt", SECRET), "application/zip")]), TEMPFAIL,
     "password-protected archive: cannot be scanned, on_error")
emit("zip-password-inside-plain-zip", multipart(nx(), "mixed", [part("text/plain", BENIGN),
     attachment("outer.zip", zipped([("a.txt", "hello"), ("inner.zip", encrypted_zip("t.txt", SECRET))]), "application/zip")]), TEMPFAIL,
     "an encrypted zip inside an ordinary zip: cannot be scanned, on_error")
bomb = zipped([("figures.csv", b"0," * (32 * 1024 * 1024))])
emit("zip-decompression-bomb", multipart(nx(), "mixed", [part("text/plain", BENIGN), attachment("data.zip", bomb, "application/zip")]), TEMPFAIL,
     "a decompression bomb (a 64 MB text entry, ratio about 1000:1): limit reached, on_error")

# --- size and count ------------------------------------------------------------------------------
filler = b"".join(b"X-Filler-%05d: %s\r\n" % (k, b"y" * 60) for k in range(8000))
emit("huge-header-block", top(nx(), "OFFICIAL-SENSITIVE: Fostering in England", filler + b"Content-Type: text/plain\r\n") + b"\r\n" + BENIGN.encode(), HOLD,
     "8,000 header fields (600 KB) before the body; marker and identifier in the Subject")
big = b"Subject: " + b"lorem ipsum " * 100000 + b"OFFICIAL-SENSITIVE Fostering in England\r\n"
raw = top(nx(), "x").replace(b"Subject: x\r\n", big) + b"Content-Type: text/plain\r\n\r\n" + BENIGN.encode()
emit("huge-subject-over-limit", raw, TEMPFAIL,
     "a 1.2 MB Subject (beyond max_header 1 MB) with the marker past the cut: incomplete, on_error")
parts = [part("text/plain", "p%d\r\n" % k) for k in range(9999)] + [part("text/plain", b64lines(SECRET), "base64")]
emit("ten-thousand-parts", multipart(nx(), "mixed", parts, boundary="p"), HOLD,
     "10,000 MIME parts, the text only in the last one (base64)")
emit("base64-concatenated-padding", single(nx(), "text/plain", "".join(base64.b64encode(w.encode()).decode() + "\r\n" for w in ("OFFICIAL-", "SENSITIVE ", "Fostering ", "in England\n")), "base64"), HOLD,
     "base64 of separately padded chunks concatenated (padding '=' in the middle of the stream)")
e = base64.b64encode(SECRET.encode()).decode()
emit("base64-junk-and-odd-lines", single(nx(), "text/plain", "\r\n".join(e[k:k + 7] + " \t" for k in range(0, len(e), 7)) + "\r\n", "base64"), HOLD,
     "base64 with 7-character lines and trailing blanks")
emit("bare-lf-and-cr-lines", (top(nx(), "notes") + b"Content-Type: text/plain\r\n\r\n").replace(b"\r\n", b"\n") + b"OFFICIAL-SENSITIVE\rFostering in England\n", HOLD,
     "LF-only line ends and a bare CR between the marker and the identifier")

with open(os.path.join(HERE, "cases.tsv"), "w") as f:
    f.write("# file\tat\tfrom\trcpts\texpected-action\texpected-releases\ttrick\n")
    f.write("\n".join(rows) + "\n")
print("wrote %d cases" % len(rows))
