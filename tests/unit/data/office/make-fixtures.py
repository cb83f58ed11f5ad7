#!/usr/bin/env python3
"""Generates the zip/Office fixtures used by tests/unit/test_office.c.

Only the standard library (zipfile, struct, zlib via zipfile) is used; no
network. Run from anywhere: files are written next to this script. The
fixtures are deterministic (fixed timestamps) so re-running gives the same
bytes and `git status` stays clean.

Every phrase the tests look for is unique to one place, so a test can tell
exactly which part of a document was (or was not) reached.
"""
import io
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2024, 1, 1, 0, 0, 0)
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
       b"\x08\x02\x00\x00\x00IMGSENTINEL\x00\x00\x00\x00IEND\xaeB`\x82")
CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<!-- CTSENTINEL --><Override PartName="/CTSENTINEL"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="RELSENTINEL.xml"/>RELSENTINEL</Relationships>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def build(entries, compression=zipfile.ZIP_DEFLATED):
    """entries: list of (name, bytes|str[, compress_type]) -> zip bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for e in entries:
            name, data = e[0], e[1]
            ctype = e[2] if len(e) > 2 else compression
            if isinstance(data, str):
                data = data.encode("utf-8")
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = ctype
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return out.getvalue()


def save(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def wpara(*runs):
    return "<w:p><w:pPr><w:jc w:val=\"left\"/></w:pPr>" + "".join(
        "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">%s</w:t></w:r>" % r
        for r in runs) + "</w:p>"


def docx():
    body = (wpara("Fos", "tering") + wpara("Second", " paragraph")
            + "<w:p><w:r><w:t>Tom &amp; Jerry &lt;3 &#x2014; caf&#233;</w:t></w:r>"
            "<w:proofErr w:type=\"spellStart\"/><w:r><w:t>Embar</w:t></w:r>"
            "<w:bookmarkStart w:id=\"0\" w:name=\"x\"/><w:r><w:t>goed</w:t></w:r></w:p>"
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>CellOne</w:t></w:r></w:p></w:tc>"
            "<w:tc><w:p><w:r><w:t>CellTwo</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
            "<w:p><w:r><w:t>Before</w:t><w:br/><w:t>After</w:t></w:r></w:p>")
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document %s><w:body>%s</w:body></w:document>' % (W, body))
    part = '<?xml version="1.0" encoding="UTF-8"?><w:%s %s>%s</w:%s>'
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
              'name="MSIP_Label_3f1c2d2e-0000-4a5b-9c8d-112233445566_Enabled"><vt:lpwstr>true</vt:lpwstr></property>'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" '
              'name="MSIP_Label_3f1c2d2e-0000-4a5b-9c8d-112233445566_Name"><vt:lpwstr>OFFICIAL-SENSITIVE</vt:lpwstr></property>'
              '</Properties>')
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:title>Quarterly GDP</dc:title><dc:subject>CoreSubject</dc:subject>'
            '<dc:creator>Stats Office</dc:creator></cp:coreProperties>')
    return build([
        ("[Content_Types].xml", CT),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", RELS),
        ("word/document.xml", doc),
        ("word/header1.xml", part % ("hdr", W, wpara("Header", "Marker"), "hdr")),
        ("word/footer1.xml", part % ("ftr", W, wpara("Footer", "Marker"), "ftr")),
        ("word/comments.xml", part % ("comments", W,
                                      '<w:comment w:id="0" w:author="A">%s</w:comment>'
                                      % wpara("Comment", "Marker"), "comments")),
        ("word/footnotes.xml", part % ("footnotes", W,
                                       '<w:footnote w:id="1">%s</w:footnote>'
                                       % wpara("Footnote", "Marker"), "footnotes")),
        ("word/media/image1.png", PNG, zipfile.ZIP_STORED),
        ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00VBASENTINEL\x00"),
        ("docProps/core.xml", core),
        ("docProps/custom.xml", custom),
    ])


def xlsx():
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst %s count="3" uniqueCount="3">'
           '<si><t>Plain shared</t></si>'
           '<si><r><rPr><b/></rPr><t>Rich</t></r><r><t xml:space="preserve">Split</t></r></si>'
           '<si><t>Third</t></si></sst>' % ns)
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>12345</v></c>'
             '<c r="C1"><v>678</v></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>Inline</t></is></c>'
             '<c r="B2" t="inlineStr"><is><r><t>In</t></r><r><t>line2</t></r></is></c></row>'
             '</sheetData></worksheet>' % ns)
    wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook %s><sheets>'
          '<sheet name="EmbargoSheet" sheetId="1"/></sheets></workbook>' % ns)
    return build([
        ("[Content_Types].xml", CT),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", wb),
        ("xl/sharedStrings.xml", sst),
        ("xl/worksheets/sheet1.xml", sheet),
    ])


def pptx():
    a = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
         'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')

    def sp(*paras):
        return ("<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title 1\"/></p:nvSpPr><p:txBody>"
                + "".join("<a:p>" + "".join("<a:r><a:t>%s</a:t></a:r>" % r for r in p) + "</a:p>"
                          for p in paras) + "</p:txBody></p:sp>")
    slide = ('<?xml version="1.0" encoding="UTF-8"?><p:sld %s><p:cSld><p:spTree>%s%s'
             '</p:spTree></p:cSld></p:sld>' % (a, sp(["Slide", "Title"]), sp(["Bullet", "One"], ["Bullet Two"])))
    notes = ('<?xml version="1.0" encoding="UTF-8"?><p:notes %s><p:cSld><p:spTree>%s'
             '</p:spTree></p:cSld></p:notes>' % (a, sp(["Speaker", "Notes"])))
    return build([
        ("[Content_Types].xml", CT),
        ("ppt/slides/slide1.xml", slide),
        ("ppt/slides/_rels/slide1.xml.rels", RELS),
        ("ppt/notesSlides/notesSlide1.xml", notes),
    ])


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def odf(mimetype, body):
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content %s>'
               '<office:body>%s</office:body></office:document-content>' % (ODF_NS, body))
    meta = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta %s><office:meta>'
            '<meta:generator>Gen</meta:generator><dc:title>OdfTitle</dc:title>'
            '<dc:subject>OdfSubject</dc:subject></office:meta></office:document-meta>' % ODF_NS)
    styles = ('<?xml version="1.0" encoding="UTF-8"?><office:document-styles %s>'
              '<office:master-styles><style:master-page xmlns:style="s"><style:header>'
              '<text:p>OdfHeader</text:p></style:header></style:master-page>'
              '</office:master-styles></office:document-styles>' % ODF_NS)
    return build([
        ("mimetype", mimetype, zipfile.ZIP_STORED),
        ("content.xml", content),
        ("styles.xml", styles),
        ("meta.xml", meta),
        ("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="m"/>'),
    ])


def odt():
    return odf("application/vnd.oasis.opendocument.text",
               '<office:text><text:h text:outline-level="1">OdfHeading</text:h>'
               '<text:p>Fos<text:span text:style-name="T1">ter</text:span>ing</text:p>'
               '<text:p>Word<text:s/>Spaced<text:tab/>Tabbed<text:line-break/>Broken</text:p>'
               '<text:list><text:list-item><text:p>ItemOne</text:p></text:list-item>'
               '<text:list-item><text:p>ItemTwo</text:p></text:list-item></text:list>'
               '</office:text>')


def ods():
    return odf("application/vnd.oasis.opendocument.spreadsheet",
               '<office:spreadsheet><table:table table:name="OdsSheet"><table:table-row>'
               '<table:table-cell office:value-type="string"><text:p>OdsA1</text:p></table:table-cell>'
               '<table:table-cell office:value-type="float" office:value="42"><text:p>42</text:p>'
               '</table:table-cell></table:table-row><table:table-row>'
               '<table:table-cell><text:p>OdsA2</text:p></table:table-cell>'
               '</table:table-row></table:table></office:spreadsheet>')


def set_flag_bit0(data, names):
    """Marks the named entries as encrypted (general-purpose flag bit 0) in
    both the local and the central header, as a ZipCrypto writer would."""
    b = bytearray(data)
    i = 0
    while True:
        i = b.find(b"PK\x03\x04", i)
        if i < 0:
            break
        nlen = struct.unpack_from("<H", b, i + 26)[0]
        if b[i + 30:i + 30 + nlen].decode() in names:
            struct.pack_into("<H", b, i + 6, struct.unpack_from("<H", b, i + 6)[0] | 1)
        i += 4
    i = 0
    while True:
        i = b.find(b"PK\x01\x02", i)
        if i < 0:
            break
        nlen = struct.unpack_from("<H", b, i + 28)[0]
        if b[i + 46:i + 46 + nlen].decode() in names:
            struct.pack_into("<H", b, i + 8, struct.unpack_from("<H", b, i + 8)[0] | 1)
        i += 4
    return bytes(b)


def set_declared_size(data, size):
    """Makes every header lie about the uncompressed size (bomb in disguise)."""
    b = bytearray(data)
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = 0
        while True:
            i = b.find(sig, i)
            if i < 0:
                break
            struct.pack_into("<I", b, i + off, size)
            i += 4
    return bytes(b)


def corrupt_first_entry_data(data):
    """Overwrites the middle of the first entry's compressed data."""
    b = bytearray(data)
    nlen, xlen = struct.unpack_from("<HH", b, 26)
    csize = struct.unpack_from("<I", b, 18)[0]
    start = 30 + nlen + xlen
    for k in range(start + csize // 4, start + 3 * csize // 4):
        b[k] ^= 0x5A
    return bytes(b)


def main():
    d, x, p, t, s = docx(), xlsx(), pptx(), odt(), ods()
    save("doc.docx", d)
    save("book.xlsx", x)
    save("deck.pptx", p)
    save("doc.odt", t)
    save("sheet.ods", s)

    # zip inside zip, a docx renamed .bin, plain text in two charsets.
    save("nested.zip", build([
        ("inner/doc.docx", d, zipfile.ZIP_STORED),
        ("attachment.bin", d),
        ("notes.txt", "UTF-8 note: na\u00efve r\u00e9sum\u00e9\n"),
        ("legacy.csv", "Legacy;caf\u00e9;\u2013dash\n".encode("cp1252")),
        ("no-extension", "Unnamed text file with PlainMarker\n"),
        ("page.html", "<html><body><p>Html<b>Bold</b>Join</p><p>Html&amp;Second</p></body></html>"),
        ("utf16.txt", "\ufeffWide UTF16 text".encode("utf-16-le")),
        ("subdir/", b""),
    ]))

    # three levels: outer.zip -> mid.zip -> deepest.zip -> deep.txt
    deepest = build([("deep.txt", "DeepestMarker")])
    mid = build([("deepest.zip", deepest), ("mid.txt", "MidMarker")])
    save("deep.zip", build([("mid.zip", mid), ("top.txt", "TopMarker")]))

    # 50 MB of one byte: ratio around 1000:1.
    big = b"A" * (50 * 1024 * 1024)
    save("bomb.zip", build([("bomb.txt", big), ("after.txt", "AfterBomb")]))
    # the same bomb whose headers declare 1000 bytes.
    save("bomb-lying.zip", set_declared_size(build([("liar.txt", big)]), 1000))

    # one entry flagged encrypted (as ZipCrypto writers do), one plain.
    save("encrypted.zip", set_flag_bit0(build([
        ("secret.txt", "SecretMarker should not be read"),
        ("plain.txt", "PlainVisible"),
    ], zipfile.ZIP_STORED), {"secret.txt"}))

    # first entry's deflate data damaged, second intact.
    save("corrupt-entry.zip", corrupt_first_entry_data(build([
        ("broken.txt", "".join("line %d of broken text\n" % i for i in range(2000))),
        ("good.txt", "GoodAfterBroken"),
    ])))

    # an XML part in UTF-16 (allowed by OOXML) and one declared windows-1252.
    save("encodings.docx", build([
        ("word/document.xml", ('<?xml version="1.0" encoding="UTF-16"?><w:document %s><w:body>%s'
                               '</w:body></w:document>' % (W, wpara("Utf16", "Body"))).encode("utf-16")),
        ("word/header1.xml", ('<?xml version="1.0" encoding="windows-1252"?><w:hdr %s>%s</w:hdr>'
                              % (W, wpara("Caf\u00e9", "Header"))).encode("cp1252")),
    ]))

    # a password-protected OpenDocument file: zip fine, parts are ciphertext.
    cipher = bytes((i * 73 + 41) % 256 for i in range(600))
    save("encrypted.odt", build([
        ("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED),
        ("content.xml", cipher, zipfile.ZIP_STORED),
        ("META-INF/manifest.xml",
         '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
         '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
         'manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="1200">'
         '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
         '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="y"/>'
         '</manifest:encryption-data></manifest:file-entry></manifest:manifest>'),
    ]))

    # budget sharing: 60 kB of text inside a nested zip, 60 kB after it.
    lines = "".join("shared budget line %05d\n" % i for i in range(2500))
    save("shared.zip", build([
        ("inner.zip", build([("big.txt", lines)])),
        ("after.txt", lines),
    ]))

    # 40 levels of zip in zip, LevelN.txt at each: for the built-in depth cap.
    z = build([("level40.txt", "Level40Marker")])
    for lvl in range(39, 0, -1):
        z = build([("l%d.zip" % (lvl + 1), z, zipfile.ZIP_STORED),
                   ("level%d.txt" % lvl, "Level%dMarker" % lvl)])
    save("deep40.zip", z)

    save("many.zip", build([("f%02d.txt" % i, "Entry%02d" % i) for i in range(20)]))


if __name__ == "__main__":
    main()
