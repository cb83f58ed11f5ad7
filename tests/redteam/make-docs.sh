#!/bin/sh
# Writes the red-team release's documents into OUTDIR with LibreOffice:
#   draft.txt  -> draft.docx, draft.pdf, draft.odt, draft.pptx (the embargoed bulletin;
#                 the .pptx is Impress's import of the PDF)
#   tables.csv -> tables.xlsx                       (its tables)
#   draft.pdf  -> screenshot.png                    (page 1's top, 900x420, pdftoppm)
#   published.txt                                   (last year's edition, public)
# Text invented for this project in the style of Ofsted's "Fostering in
# England" release (the seed breach report's release). Licence: as the project.
# Usage: make-docs.sh OUTDIR
set -eu
OUT=$1
mkdir -p "$OUT"
cat > "$OUT/draft.txt" <<'TXT'
Fostering in England 1 April 2025 to 31 March 2026
OFFICIAL-SENSITIVE: pre-release access only until publication at 9:30am on 12 November 2026.
Main findings
The number of approved fostering households in England fell by 3.2 per cent to 42,850 at 31 March 2026, the fifth consecutive annual fall.
Local authority fostering services lost 2,140 households during the year while independent fostering agencies recruited only 1,310.
Spending on fostering placements by local authorities reached £1.4bn, up 6% on the previous year as agency fees continued to rise.
The share of children placed with independent fostering agencies rose by 0.3 percentage points to 38.6%.
Applications to become a foster carer fell to 8,730, the lowest number since this collection began in 2014.
Around a third of households that left fostering cited the cost of living as a factor in their decision.
Capacity and sufficiency
Ten local authorities reported that they had no foster carers available for sibling groups of three or more at any point in the year.
The number of mainstream fostering places not used because of the carer's own circumstances rose to 4,920.
About these statistics
These statistics are based on the annual fostering data collection from local authorities and independent fostering agencies in England.
TXT
cat > "$OUT/tables.csv" <<'CSV'
Table 1: Approved fostering households at 31 March 2026,Households,Change
Local authority fostering services,"25,410","-2,140"
Independent fostering agencies,"17,440","+1,310"
All fostering households,"42,850",-3.2%
Spending on fostering placements,£1.4bn,+6%
CSV
cat > "$OUT/published.txt" <<'TXT'
Fostering in England 1 April 2024 to 31 March 2025
The number of approved fostering households in England fell by 2 per cent to 44,265 at 31 March 2025.
These statistics are based on the annual fostering data collection from local authorities and independent fostering agencies in England.
TXT
cd "$OUT"
HOME=$OUT soffice --headless --convert-to docx:"MS Word 2007 XML" draft.txt >/dev/null 2>&1
HOME=$OUT soffice --headless --convert-to odt draft.txt >/dev/null 2>&1
HOME=$OUT soffice --headless --convert-to pdf draft.txt >/dev/null 2>&1
HOME=$OUT soffice --headless --infilter=impress_pdf_import --convert-to pptx draft.pdf >/dev/null 2>&1
HOME=$OUT soffice --headless --infilter=CSV:44,34,76,1 --convert-to xlsx tables.csv >/dev/null 2>&1
# a screenshot of the top of page 1, as pasted into Outlook (poppler-utils)
pdftoppm -r 110 -png -f 1 -l 1 -x 0 -y 60 -W 900 -H 420 draft.pdf shot && mv shot-1.png screenshot.png
rm -rf "$OUT/.cache" "$OUT/.config"
ls "$OUT"
