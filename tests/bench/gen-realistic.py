#!/usr/bin/env python3
"""A realistic engine benchmark corpus (deterministic, seed 11), built only
from fixtures already in this repository (no ../shared reads):
  - generated office mail: HTML + plain alternative (quoted-printable), a
    quoted reply thread ("> " lines and <blockquote>), in some a .docx or
    .xlsx (tests/unit/data/office/), a PDF (tests/extract/fixtures/benign.pdf,
    tests/bench/data/pages-158.pdf) or an image (base64), 2 KB - 2 MB;
  - every message of the real-world corpus (tests/corpus/real-world/) and the
    non-hostile extraction cases (tests/extract/cases/) between 2 KB and 2 MB.
Writes OUT/realistic/*.eml.
  usage: gen-realistic.py OUT [NGENERATED]"""
import glob, math, os, random, shutil, sys
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email import charset as ecs

out = os.path.join(sys.argv[1], "realistic")
ngen = int(sys.argv[2]) if len(sys.argv) > 2 else 200
rnd = random.Random(11)
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
WORDS = ("the of and to in for on with as by from at rate quarter annual survey estimate household "
         "region policy national change increase decrease data table figure report statistics england "
         "wales local authority children care education health employment earnings housing population "
         "per cent compared previous year provisional revised official guidance meeting agenda note draft "
         "thanks please could you let me know by friday attached latest version comments welcome").split()

def para(nbytes):
    lines, size = [], 0
    while size < nbytes:
        l = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 14))).capitalize() + "."
        if rnd.random() < 0.1:
            l += " The figure was %s, %d%% up on last year." % ("{:,}".format(rnd.randint(100, 90000)),
                                                             rnd.randint(1, 30))
        lines.append(l)
        size += len(l) + 1
    return lines

def read(p):
    with open(p, "rb") as f:
        return f.read()

ATTACH = [("docx", read("tests/unit/data/office/doc.docx"),
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
          ("xlsx", read("tests/unit/data/office/book.xlsx"),
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          ("pdf", read("tests/extract/fixtures/benign.pdf"), "application/pdf"),
          ("pdf", read("tests/bench/data/pages-158.pdf"), "application/pdf")]
qp = ecs.Charset("utf-8")
qp.body_encoding = ecs.QP
for i in range(ngen):
    size = int(math.exp(rnd.uniform(math.log(2e3), math.log(1e6))))  # 2 KB .. 1 MB of text
    own = para(size // 2)
    quoted = para(size // 2)
    plain = "\n".join(own) + "\n\nOn Monday someone wrote:\n" + "\n".join("> " + l for l in quoted) + "\n"
    html = ("<html><body><div style=\"font-family:Calibri\">" +
            "".join("<p>%s</p>" % l for l in own) +
            "<blockquote style=\"border-left:1px solid\">" +
            "".join("<p>%s</p>" % l for l in quoted) + "</blockquote>" +
            "<table><tr><td>Region</td><td>Count</td></tr><tr><td>North</td><td>%d</td></tr></table>"
            % rnd.randint(100, 9999) + "</div></body></html>")
    alt = MIMEMultipart("alternative")
    p = MIMEText("", "plain", "utf-8"); p.set_payload(plain, qp); alt.attach(p)
    h = MIMEText("", "html", "utf-8"); h.set_payload(html, qp); alt.attach(h)
    k = rnd.random()
    if k < 0.45:
        m = alt
    else:
        m = MIMEMultipart("mixed")
        m.attach(alt)
        if k < 0.85:
            ext, data, ctype = ATTACH[rnd.randrange(len(ATTACH))]
            a = MIMEApplication(data, _subtype=ctype.split("/")[1])
            a.add_header("Content-Disposition", "attachment", filename="file%d.%s" % (i, ext))
            m.attach(a)
        else:
            img = b"\x89PNG\r\n\x1a\n" + bytes(rnd.getrandbits(8) for _ in range(rnd.randint(2000, 60000)))
            a = MIMEImage(img, _subtype="png")
            a.add_header("Content-Disposition", "inline", filename="image%d.png" % i)
            m.attach(a)
    m["From"] = "analyst@example.gov.uk"
    m["To"] = "colleague@example.org"
    m["Subject"] = "RE: draft tables %d" % i
    with open(os.path.join(out, "gen-%03d.eml" % i), "w") as f:
        f.write(m.as_string())
n = 0
for p in sorted(glob.glob("tests/corpus/real-world/**/*.eml", recursive=True) +
                glob.glob("tests/extract/cases/*.eml")):
    if "hostile" in p or not 2048 <= os.path.getsize(p) <= 2 << 20:
        continue
    shutil.copy(p, os.path.join(out, "fixture-%03d.eml" % n))
    n += 1
print("%d generated + %d fixture messages in %s" % (ngen, n, out))
