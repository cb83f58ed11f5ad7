#!/usr/bin/env python3
"""Writes the example release documents of the fingerprint suite (tests/fprint):

  draft.docx      the draft bulletin "Children looked after in England including
                  adoptions: year ending 31 March 2026" (invented figures, written
                  for this project in the style of a DfE statistical release)
  draft.txt       the same text, one paragraph a line (the suite greps the .fp
                  for each of its sentences and figures)
  published.txt   last year's edition and the methodology page (already public)

Usage: make-docs.py OUTDIR.  The .docx is a minimal Office Open XML package built
with python3's zipfile (what Word writes, less styles). Licence: as the project.
"""
import os
import sys
import zipfile
from xml.sax.saxutils import escape

DRAFT = [
    "Children looked after in England including adoptions: year ending 31 March 2026",
    "OFFICIAL-SENSITIVE: pre-release access only until publication at 9:30am on 19 November 2026.",
    "Headline facts and figures",
    "The number of children looked after by local authorities in England fell to 80,120 at 31 March 2026, down 2% on the previous year and the first fall since 2008.",
    "The rate of children looked after fell to 66 per 10,000 children, from 67 per 10,000 a year earlier.",
    "During the year 32,450 children started to be looked after, a decrease of 4%, and 31,870 children ceased to be looked after.",
    "Unaccompanied asylum-seeking children accounted for 9,610 of the children looked after at 31 March, an increase of 14% driven by arrivals in Kent and the south east.",
    "Adoptions continued to decline: 2,950 children looked after were adopted during the year, down 7% and the lowest number since 2012.",
    "The average time between a child entering care and moving in with their adoptive family rose to 472 days.",
    "Placements and stability",
    "Most children looked after were living with foster carers, although the share placed with independent fostering agencies grew to 38% as local authority carers left the sector.",
    "Residential placements in children's homes rose to 13,240, with one in eight of these children placed more than 20 miles from home.",
    "The proportion of children with three or more placements during the year increased to 11% and caseworkers reported growing difficulty finding a first placement for teenagers.",
    "Outcomes for care leavers",
    "Of care leavers aged 19 to 21, 41% were not in education, employment or training, broadly unchanged, while the number living in unsuitable accommodation rose to 1,580.",
    "Local authorities reported 6,830 children missing from their placement at least once, a rise of 9% that coincides with the expansion of unregulated provision.",
    "Table 1: Children looked after at 31 March by characteristic",
    "All children looked after 80,120; male 44,870; female 35,250; aged under 1 4,170; aged 16 and over 20,430; unaccompanied asylum-seeking children 9,610.",
    "Table 2: Children starting and ceasing to be looked after",
    "Started 32,450; ceased 31,870; adopted 2,950; returned home to parents 8,920; special guardianship orders 3,410.",
    "About these statistics",
    "This release covers children looked after by local authorities in England and is based on the SSDA903 return.",
    "Figures are rounded to the nearest 10 and percentages to the nearest whole number.",
]

PUBLISHED = [
    "Children looked after in England including adoptions: year ending 31 March 2025",
    "The number of children looked after by local authorities in England rose to 81,770 at 31 March 2025, up 1% on the previous year.",
    "The rate of children looked after was 67 per 10,000 children.",
    "During the year 33,800 children started to be looked after and 31,430 children ceased to be looked after.",
    "Most children looked after were living with foster carers, 71% of all children looked after.",
    "3,190 children looked after were adopted during the year.",
    "About these statistics",
    "This release covers children looked after by local authorities in England and is based on the SSDA903 return.",
    "Figures are rounded to the nearest 10 and percentages to the nearest whole number.",
    "Pre-release access: the statistics are shared 24 hours before publication with officials named on the pre-release access list.",
]


def docx(path, paragraphs):
    body = "".join(
        '<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % escape(p) for p in paragraphs)
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>',
        "word/document.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body>%s</w:body></w:document>' % body,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    pages = int(os.environ.get("PAGES", "1"))
    docx(os.path.join(out, "draft.docx"), DRAFT * pages)
    with open(os.path.join(out, "draft.txt"), "w") as f:
        f.write("\n".join(DRAFT) + "\n")
    with open(os.path.join(out, "published.txt"), "w") as f:
        f.write("\n".join(PUBLISHED) + "\n")


if __name__ == "__main__":
    main()
