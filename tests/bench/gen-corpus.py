#!/usr/bin/env python3
"""Generates the engine benchmark input (deterministic, seed 42):
  OUT/conf/embargo-milter.conf + releases.d/ with N releases (5 identifiers and
  5 content patterns each), and OUT/conf1/ with the same config but 1 release
  (the baseline), and OUT/mail/ with messages of mixed size 2 KB - 2 MB:
  plain and HTML text (7bit, QP, base64), .docx and binary attachments.
  usage: gen-corpus.py OUT [NRELEASES] [NMESSAGES]"""
import base64, io, os, random, sys, zipfile
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email import charset as ecs

out = sys.argv[1]
nrel = int(sys.argv[2]) if len(sys.argv) > 2 else 50
nmsg = int(sys.argv[3]) if len(sys.argv) > 3 else 400
rnd = random.Random(42)
WORDS = ("the of and to in for on with as by from at rate quarter annual survey estimate household "
         "region policy national change increase decrease data table figure report statistics england "
         "wales local authority children care education health employment earnings housing population "
         "per cent compared previous year provisional revised official guidance meeting agenda note draft").split()

def words(n):
    return " ".join(rnd.choice(WORDS) for _ in range(n))

def text(nbytes):
    lines, size = [], 0
    while size < nbytes:
        l = words(rnd.randint(8, 14)).capitalize() + "."
        lines.append(l); size += len(l) + 1
    return "\n".join(lines) + "\n"

topics = ["%s %s" % (rnd.choice(["Regional", "National", "Local", "Quarterly", "Annual"]), w) for w in
          ["labour market", "house prices", "school census", "hospital admissions", "crime survey",
           "road casualties", "fuel poverty", "migration", "earnings", "trade"]]

def write_conf(d, n):
    os.makedirs(os.path.join(d, "releases.d"), exist_ok=True)
    with open(os.path.join(d, "embargo-milter.conf"), "w") as f:
        # max_decoded_mb above the largest benchmark message (64 MB): at the
        # default 25 the scan stops at the limit and its speed means nothing
        f.write('releases_dir = "releases.d";\ndefault_action = "quarantine";\nquarantine_dir = "/tmp";\n'
                'limits = { max_decoded_mb = 128; };\n')
    for i in range(n):
        t = topics[i % len(topics)] + " %d" % i
        idents = ", ".join('"%s release %d part %d"' % (t, i, k) for k in range(5))
        content = ", ".join('"%s (rose|fell) by [0-9.]+ ?%% in quarter %d-%d"' % (t.split()[1], i, k) for k in range(5))
        with open(os.path.join(d, "releases.d", "r%02d.conf" % i), "w") as f:
            f.write('release = {\n id = "release-%02d";\n title = "%s";\n publish_at = "2030-01-01 09:30";\n'
                    ' identifiers = ( %s );\n content = ( %s );\n producers = ( "@stats.example.gov.uk" );\n};\n'
                    % (i, t, idents, content))

def docx(nbytes):
    buf = io.BytesIO(); z = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
    paras = "".join("<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % l for l in text(nbytes).split("\n"))
    z.writestr("word/document.xml", '<w:document><w:body>%s</w:body></w:document>' % paras)
    z.close(); return buf.getvalue()

write_conf(os.path.join(out, "conf"), nrel)
write_conf(os.path.join(out, "conf1"), 1)
mail = os.path.join(out, "mail"); os.makedirs(mail, exist_ok=True)
for i in range(nmsg):
    kind = rnd.random()
    m = MIMEMultipart()
    m["From"] = "a@example.gov.uk"; m["To"] = "b@example.org"; m["Subject"] = words(6)
    if kind < 0.55:      # ordinary text mail 2-20 KB, sometimes HTML, sometimes QP
        body = text(rnd.randint(2000, 20000))
        if rnd.random() < 0.4:
            m.attach(MIMEText("<html><body>" + "".join("<p>%s</p>" % l for l in body.split("\n")) + "</body></html>", "html", "utf-8"))
        else:
            m.attach(MIMEText(body, "plain", "utf-8" if rnd.random() < 0.5 else "us-ascii"))
    elif kind < 0.80:    # a .docx 30-400 KB of text
        m.attach(MIMEText(text(1500), "plain"))
        a = MIMEApplication(docx(rnd.randint(30000, 400000)), "vnd.openxmlformats-officedocument.wordprocessingml.document")
        a.add_header("Content-Disposition", "attachment", filename="paper%d.docx" % i); m.attach(a)
    elif kind < 0.95:    # a binary attachment 100 KB - 2 MB (image)
        m.attach(MIMEText(text(1000), "plain"))
        a = MIMEApplication(rnd.randbytes(rnd.randint(100000, 1500000)), "octet-stream")
        a.add_header("Content-Disposition", "attachment", filename="chart%d.png" % i); m.attach(a)
    else:                # a large text report 0.5-2 MB
        m.attach(MIMEText(text(rnd.randint(500000, 1500000)), "plain", "utf-8"))
    with open(os.path.join(mail, "m%04d.eml" % i), "wb") as f:
        f.write(m.as_bytes())
