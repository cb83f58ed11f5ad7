#!/usr/bin/env python3
"""Writes tests/redteam/docs/chart-memo.docx: a Word memo whose findings stand
only in a chart (word/charts/chart1.xml with its cached values, as Word saves
a chart pasted from Excel with linked data). Hand-written OOXML (ECMA-376
Part 1, 21.2 DrawingML charts) with the Python standard library, styles and
relationships taken from docs/draft.docx; written by the third red-team round.
Text invented for this project; licence: as the project.

usage: make-chart-docx.py DOCSDIR
"""
import io
import os
import sys
import zipfile

D = sys.argv[1]
FIXED = (2026, 11, 11, 11, 45, 0)  # member times: the same bytes every run


class _Zip(zipfile.ZipFile):
    def writestr(self, name, data, *a, **k):
        info = zipfile.ZipInfo(name, FIXED)
        info.compress_type = zipfile.ZIP_DEFLATED
        return super().writestr(info, data)




NS_W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"')


def wp(text):
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def chart_xml(title, cats, series, fmt="#,##0"):
    """series: list of (name, [values]) ; values as strings as Excel caches them."""
    ser = ""
    for i, (name, vals) in enumerate(series):
        cat_pts = "".join(f'<c:pt idx="{k}"><c:v>{c}</c:v></c:pt>' for k, c in enumerate(cats))
        val_pts = "".join(f'<c:pt idx="{k}"><c:v>{v}</c:v></c:pt>' for k, v in enumerate(vals))
        col = chr(ord('B') + i)
        ser += (f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f>'
                f'<c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
                f'<c:invertIfNegative val="0"/>'
                f'<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${len(cats)+1}</c:f><c:strCache><c:ptCount val="{len(cats)}"/>{cat_pts}</c:strCache></c:strRef></c:cat>'
                f'<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${len(cats)+1}</c:f><c:numCache><c:formatCode>{fmt}</c:formatCode>'
                f'<c:ptCount val="{len(vals)}"/>{val_pts}</c:numCache></c:numRef></c:val></c:ser>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<c:date1904 val="0"/><c:lang val="en-GB"/><c:roundedCorners val="0"/><c:chart>'
            f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:rPr lang="en-GB"/><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
            '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
            f'<c:varyColors val="0"/>{ser}<c:gapWidth val="219"/><c:axId val="1"/><c:axId val="2"/></c:barChart>'
            '<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:crossAx val="2"/></c:catAx>'
            f'<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="{fmt}" sourceLinked="1"/><c:crossAx val="1"/></c:valAx>'
            '</c:plotArea><c:legend><c:legendPos val="b"/></c:legend><c:plotVisOnly val="1"/></c:chart>'
            '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>')


def inline_chart(rid, n):
    return (f'<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="5486400" cy="3200400"/>'
            f'<wp:docPr id="{n}" name="Chart {n}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')


def docx(body_xml, extra_parts=None, extra_rels="", extra_ct="", main_ct=None):
    """A Word document: body_xml inside w:body; extra_parts {name: bytes}."""
    z0 = zipfile.ZipFile(os.path.join(D, "draft.docx"))
    buf = io.BytesIO()
    with _Zip(buf, "w", zipfile.ZIP_DEFLATED) as z:
        ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>'
              '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
              f'<Override PartName="/word/document.xml" ContentType="{main_ct or "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"}"/>'
              '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
              '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
              f'{extra_ct}</Types>')
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", z0.read("_rels/.rels"))
        z.writestr("docProps/core.xml", '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Sam Policy</dc:creator></cp:coreProperties>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document {NS_W}><w:body>{body_xml}<w:sectPr/></w:body></w:document>')
        z.writestr("word/styles.xml", z0.read("word/styles.xml"))
        z.writestr("word/_rels/document.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                   f'{extra_rels}</Relationships>')
        for n, d in (extra_parts or {}).items():
            z.writestr(n, d)
    return buf.getvalue()


CATS = ["2022", "2023", "2024", "2025", "2026"]
LA = ["31120", "29870", "28460", "27550", "25410"]
IFA = ["14980", "15460", "15900", "16130", "17440"]
ALL = ["46100", "45330", "44360", "44265", "42850"]

# ---------------- A01: Word memo, findings only in a chart -----------------
chart1 = chart_xml("Approved fostering households at 31 March, England",
                   CATS, [("Local authority fostering services", LA),
                          ("Independent fostering agencies", IFA),
                          ("All approved fostering households", ALL)])
body = (wp("Minister – chart for your box ahead of tomorrow, as requested.") + inline_chart("rId10", 1)
        + wp("Happy to talk through."))
A01 = docx(body, {"word/charts/chart1.xml": chart1,
                  "word/charts/_rels/chart1.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"/></Relationships>'},
           '<Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="charts/chart1.xml"/>',
           '<Override PartName="/word/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>')
with open(os.path.join(D, "chart-memo.docx"), "wb") as f:
    f.write(A01)
