#!/usr/bin/env python3
"""Writes the fingerprint suite's messages into tests/fprint/cases/ and cases.tsv.

Leaks (class leak-figures, leak-excerpt, leak-link) are messages about the
invented release cla-2026 (make-docs.py): the seed report's "short summary of 5
of the headline findings" rewritten in five people's words, retyped figure
summaries, excerpts of 8 or more words copied into people's own text, figures in
a subject line, an HTML table, a link to the working area. Benign messages
(benign, benign-weak) are release-week mail of the same team: the Head of
Profession's embargo reminder, a teach-in invitation, a draft PQ answer naming
the release, the weekly OFFICIAL-SENSITIVE comms grid (benign-weak: they name the
release and carry a marker: they must get confirm, never quarantine), newsletters,
last year's figures, other departments' statistics, mail full of numbers.
All text written for this project; licence: as the project.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")
rows = []


def mail(name, cls, subject, body, html=False, marker=""):
    os.makedirs(OUT, exist_ok=True)
    ctype = "text/html" if html else "text/plain"
    hdr = (
        "From: Policy Adviser <policy.adviser@education.example.gov.uk>\n"
        "To: colleague.policy@education.example.gov.uk\n"
        "Subject: %s\n"
        "Date: Tue, 17 Nov 2026 12:00:00 +0000\n"
        "Message-ID: <%s@education.example.gov.uk>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: %s; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n" % (subject, name, ctype))
    if marker:
        hdr += "X-Protective-Marking: %s\n" % marker
    with open(os.path.join(OUT, name + ".eml"), "w", encoding="utf-8") as f:
        f.write(hdr + "\n" + body.strip("\n") + "\n")
    rows.append((name + ".eml", cls))


# ---- the seed's summary email in five people's words (figures) ----
mail("summary-1-policy-adviser", "leak-figures", "CLA stats - headlines ahead of Thursday", """
OFFICIAL-SENSITIVE

Colleagues,

A heads up on Thursday's figures so we can get reactive lines ready:

1. The number of looked after children is down about 2 per cent to just over 80k - the first fall in years.
2. The rate is now 66 per 10k children.
3. Starts down 4% to around 32,500.
4. UASC up 14%, now about 9,600 children.
5. Adoptions down 7% to 2,950, lowest for a decade.

Please don't share further.
Amira
""")
mail("summary-2-casual", "leak-figures", "quick one on the LAC numbers", """
hi both - quick one before the meeting. CLA numbers fell by two percent to around 80,100 at the end of March.
unaccompanied children up fourteen per cent (9.6k). adoptions only 2,950 (-7%). rate 66 per 10k.
keep it to yourselves till Thurs!
""")
mail("summary-3-bullets", "leak-figures", "numbers for the sub", """
Looked after at 31 March: 80,120 (\u22122%)
Started: 32,450 (-4%)
Ceased: 31,870
Adopted: 2,950 (-7%)
UASC: 9,610 (+14%)
""")
mail("summary-4-deputy-director", "leak-figures", "Looked after children - where we are", """
Ahead of publication, the headline is that the looked-after population has fallen for the first time
since 2008, to roughly 80,000 children, a 2pc drop. Adoptions dropped by seven per cent and the share of
children placed with independent fostering agencies climbed to 38%. Expect questions on children's homes
(13,240 children now in residential placements).
""")
mail("summary-5-press-office", "leak-figures", "Draft lines - children in care", """
Draft line to take (not for use before 09:30 Thursday):
"The number of children in care fell by 2% to 80,120 this year, and the rate of children in care is now
66 per 10,000 children, down from last year."
Reactive: on adoptions, 2,950 children were adopted, 7% fewer.
""")
# ---- more retyped figure summaries ----
mail("retyped-2pc-66-per-10k", "leak-figures", "sub for the minister", """
Headline for the submission: a 2% drop in looked after children, rate 66 per 10k.
""")
mail("retyped-slash-rate", "leak-figures", "CLA", """
CLA at 31 Mar: 80.1k looked after children (down 2%), rate 66/10k children. Thoughts on lines?
""")
mail("retyped-care-leavers", "leak-figures", "care leavers figures", """
For the care leavers roundtable: 41% of care leavers aged 19-21 are NEET, and the number of care leavers living in
unsuitable accommodation is up to 1,580.
""")
mail("retyped-missing", "leak-figures", "missing from care", """
Missing episodes: 6,830 children went missing from their placement at least once, a rise of 9%.
Worth flagging to the unregulated provision team.
""")
mail("retyped-residential", "leak-figures", "residential", """
Residential placements: children's homes up to 13,240 children; the share of placements with independent
fostering agencies is now 38%.
""")
mail("retyped-words", "leak-figures", "headline", """
Eighty thousand children looked after at the end of March, two per cent fewer than last year. Starts
down four per cent to 32,450.
""")
mail("retyped-subject-only", "leak-figures", "CLA 2026: 80,120 looked after (-2%), 66 per 10k children", """
see subject - not to go further please
""")
mail("retyped-html-table", "leak-figures", "table for the pack", """
<html><body><p>Table for the briefing pack:</p>
<table>
<tr><th>Measure</th><th>31 March 2026</th><th>Change</th></tr>
<tr><td>Children looked after</td><td>80,120</td><td>-2%</td></tr>
<tr><td>Rate per 10,000 children</td><td>66</td><td></td></tr>
<tr><td>Started to be looked after</td><td>32,450</td><td>-4%</td></tr>
<tr><td>Adopted</td><td>2,950</td><td>-7%</td></tr>
</table></body></html>
""", html=True)
mail("retyped-quoted-forward", "leak-figures", "FW: numbers", """
Passing this on - see below.

> Looked after children fell to 80,120, down 2%.
> Adoptions 2,950, the lowest since 2012.
""")
mail("retyped-uasc", "leak-figures", "UASC", """
Unaccompanied asylum-seeking children now 9,610 of the looked after total - up 14% on last year, mostly Kent.
""")
mail("retyped-starts-ceased", "leak-figures", "flows", """
Flows into and out of care: 32,450 children started to be looked after (down 4%) and 31,870 ceased.
""")
# ---- excerpts of 8 or more words ----
ex = [
    ("excerpt-8-teenagers", "growing difficulty finding a first placement for teenagers"),
    ("excerpt-8-unregulated", "that coincides with the expansion of unregulated provision"),
    ("excerpt-9-kent", "driven by arrivals in Kent and the south east"),
    ("excerpt-10-agencies", "the share placed with independent fostering agencies grew to 38%"),
    ("excerpt-12-miles", "with one in eight of these children placed more than 20 miles from home"),
    ("excerpt-15-adoptive", "The average time between a child entering care and moving in with their adoptive family rose"),
    ("excerpt-11-carers", "although the share placed with independent fostering agencies grew to 38% as local"),
    ("excerpt-9-accommodation", "while the number living in unsuitable accommodation rose to 1,580"),
    ("excerpt-8-decline", "Adoptions continued to decline: 2,950 children looked after were"),
    ("excerpt-13-sentence", "caseworkers reported growing difficulty finding a first placement for teenagers, Outcomes for care"),
]
for name, text in ex:
    mail(name, "leak-excerpt", "wording for the note", """
Could we use this wording in the note? "%s" - it reads well and I think it works for the minister.
Thanks, Sam
""" % text)
# ---- links ----
mail("link-plain", "leak-link", "draft", """
The latest draft is here: https://dfe.sharepoint.example/sites/cla-2026/Shared%20Documents/CLA-draft-v7.docx
""")
mail("link-html", "leak-link", "draft bulletin", """
<html><body><p>Draft bulletin: https://dfe.sharepoint.example/sites/cla-2026/Drafts/bulletin.docx (v7)</p></body></html>
""", html=True)
# issue 11: the link only in an href, the anchor text names nothing
mail("link-href", "leak-link", "the draft", """
<html><body><p>Here is <a href="https://dfe.sharepoint.example/sites/cla-2026/Drafts/bulletin.docx">the latest version</a>, comments by Friday please.</p></body></html>
""", html=True)

# ---- benign, naming the release with a marker: must get confirm ----
mail("weak-hop-embargo-reminder", "benign-weak", "Pre-release access reminder: children looked after statistics", """
OFFICIAL-SENSITIVE

Dear colleagues,

Children looked after in England including adoptions will be published on Thursday 19 November at 9:30am.
If you are on the pre-release access list, you will receive the release 24 hours before publication. You must
not share, forward or discuss it with anyone who is not on the list, and that includes indications of the
content such as 'favourable' or 'unfavourable'. Any accidental release must be reported to me immediately.

Head of Profession for Statistics
""")
mail("weak-teach-in-invitation", "benign-weak", "Invitation: pre-release access teach-in for new private office staff", """
OFFICIAL-SENSITIVE

You are invited to a 30-minute teach-in on pre-release access on Monday at 2pm in room 4.12.
We will walk through how the children looked after in England release is handled: who is on the list, when
access opens, and what to do if a briefing note needs to reach someone who is not on the list.
Tea and coffee provided.
""")
mail("weak-draft-pq-answer", "benign-weak", "DRAFT PQ 12345 - looked after children", """
OFFICIAL-SENSITIVE - DRAFT

To ask the Secretary of State for Education how many children were looked after by local authorities.

Draft answer: Information on the number of children looked after is published in the statistical release
'Children looked after in England including adoptions'. The latest published figures show that 81,770 children
were looked after at 31 March 2025. Figures for the year ending 31 March 2026 will be published on 19 November.
""")
mail("weak-comms-grid", "benign-weak", "Weekly comms grid w/c 16 November", """
OFFICIAL-SENSITIVE

Mon 16: Teacher pay announcement (SoS), handling: high
Tue 17: School funding letters to LAs, handling: medium
Thu 19, 09:30: Children looked after in England including adoptions (stats), handling: low, lines in prep
Fri 20: Apprenticeships data (stats), handling: low
Grid owner: Strategic Communications
""")
mail("weak-reminder-reply", "benign-weak", "RE: Pre-release access reminder", """
Thanks, noted - I am not on the list so will wait for publication.

> OFFICIAL-SENSITIVE
> Children looked after in England including adoptions will be published on Thursday 19 November at 9:30am.
""")
# ---- benign, ordinary release-week mail ----
mail("newsletter-staff", "benign", "DfE weekly: charity appeal, wellbeing week, parking", """
This week at DfE: our charity appeal raised over £80k for children's hospices, up 2% on last year - thank you!
Wellbeing week starts on Monday with 12 sessions; the canteen will close at 2pm on Friday for maintenance.
Car park levels 2 and 3 will be resurfaced, so 120 spaces are unavailable until 4 December.
""")
mail("newsletter-analysis", "benign", "Analysis newsletter November", """
In this issue: the GSS conference (1,200 delegates), our new R training (8 cohorts of 15), and the results of the
staff survey: engagement index 66%, up 2 points. The statistics authority published 14 assessments this year.
""")
mail("newsletter-sports", "benign", "Sports club: 5-a-side results", """
Results: Analysts 4 - 2 Policy, Comms 3 - 3 Finance. Season table: Analysts 21 points, Policy 18, Finance 12.
Subs are £2 per week, 80 members so far. Next game Thursday 6pm.
""")
mail("last-year-figures", "benign", "last year's CLA figures for the briefing", """
For background, last year's published figures: 81,770 children were looked after at 31 March 2025, up 1%,
a rate of 67 per 10,000 children. 3,190 children were adopted and 33,800 started to be looked after.
""")
mail("ons-labour-market", "benign", "ONS labour market headlines", """
ONS labour market release this morning: the unemployment rate rose to 4.2% and the employment rate was 75.1%.
1.6 million people were unemployed, up 80,000 on the quarter. Regular pay growth slowed to 5.2%, and
vacancies fell by 2% to 819,000.
""")
mail("nhs-waiting-list", "benign", "NHS England waiting list stats", """
NHS England: the waiting list fell by 2% to 7.6 million cases. 80,120 patients had waited more than 65 weeks in
the spring, now down to 40,000. A&E four-hour performance was 74%.
""")
mail("home-office-asylum", "benign", "Home Office immigration statistics", """
Home Office immigration statistics for the year ending September: 108,000 asylum claims, up 19%, of which
4,300 were from unaccompanied children. Grant rate at initial decision 47%. Returns up 22% to 31,000.
""")
mail("school-census", "benign", "Schools, pupils and their characteristics - published", """
Now published: there are 9.1 million pupils in schools in England, 2% fewer in primary and 4% more in secondary.
25.7% of pupils are eligible for free school meals, up from 24.6%. Class sizes average 26.6 pupils.
""")
mail("workforce-stats", "benign", "Children's social work workforce (published)", """
Published today: 33,500 FTE children and family social workers, up 2%. Turnover was 17% and the vacancy
rate 20%, with agency workers at 17.6% of the workforce. Caseloads average 16.3 children per worker.
""")
mail("budget-numbers", "benign", "Q3 budget lines", """
Q3 budget: staff £820,000; travel £12,500 (-4%); IT £80,000 with a 2% uplift; training £9,610; contingency 7%.
Please check against the 2026-27 plan before Friday; the total is £1,234,567.
""")
mail("salary-band", "benign", "G7 vacancy", """
The G7 vacancy is advertised at £66,000 to £80,000 (London) with the 2% pay award from August. Closing date 31 March.
""")
mail("meeting-logistics", "benign", "Room booking", """
Booked room 2.14 for 10:30-12:00 on 19 November, 14 people, dial-in 0207 946 0123 pin 4471. Agenda: 1) data
sharing agreement, 2) 2026-27 workplan, 3) AOB.
""")
mail("it-update", "benign", "IT: Windows update", """
Windows 11 24H2 will be installed on 2,950 laptops across 9 sites; each install takes around 80 minutes.
Please restart before 4pm. The service desk is on 0800 123 4567.
""")
mail("school-funding", "benign", "School funding letters", """
The per-pupil funding letters go to 152 local authorities on Tuesday. The national funding formula rises by 2%
in 2027-28, worth £66 per pupil on average, with 80,000 schools' allocations in the tables.
""")
mail("census-consultation", "benign", "Consultation responses", """
We received 1,580 responses to the consultation, 41% from parents and 38% from schools. The summary will be
published in the new year; thanks to the 14 people who helped code them.
""")
mail("childcare-stats", "benign", "Childcare and early years survey", """
Published: 68% of children aged 0 to 4 used childcare, down 2%. 1.3 million children took up funded hours,
and the average cost of 25 hours a week was £140.
""")
mail("finance-report", "benign", "Month 7 finance report", """
Month 7: spend £13,240,000 against a profile of £13,900,000 (95%). Forecast outturn 98%. Capital: £6,830,000
committed, 9% below plan. Headcount 472 FTE.
""")
mail("travel-claims", "benign", "Expenses", """
Please submit travel claims by the 14th: mileage 45p per mile for the first 10,000 miles, 25p after.
Hotel cap £150 in London, £90 elsewhere.
""")
mail("fostering-ofsted-published", "benign", "Fostering in England (Ofsted) - published", """
Ofsted's Fostering in England statistics are out: 43,905 fostering households, down 2%, and 35,930 children
placed with foster carers at 31 March. Approvals fell 4%.
""")

mail("ssda903-return-reminder", "benign", "SSDA903 return: deadline reminder", """
Reminder to local authority data teams: the SSDA903 return on children looked after for 2026-27 opens on
1 April. Please validate episodes, placements and legal statuses before submission; the helpdesk is open
9am to 5pm and the guidance has 14 new validation rules.
""")
mail("adoption-last-year-reply", "benign", "RE: adoption figures", """
Yes - the published figure for last year is 3,190 children adopted, and the average time to adoption
was 461 days. The scorecards for each local authority are on GOV.UK.
""")
mail("steering-group-agenda", "benign", "Statistics steering group - agenda", """
Agenda: 1) release calendar for the next 6 months (23 releases, 4 official statistics in development);
2) user engagement survey: 312 responses, 80% satisfied; 3) the 2027 code of practice review; 4) AOB.
""")

with open(os.path.join(HERE, "cases.tsv"), "w") as f:
    f.write("# file\tclass   (written by make-cases.py)\n")
    for name, cls in rows:
        f.write("%s\t%s\n" % (name, cls))
print("%d cases" % len(rows), file=sys.stderr)
