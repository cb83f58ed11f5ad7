#!/usr/bin/env python3
"""The fingerprint benchmark input (deterministic, seed 7): for every release
file of IN/conf/releases.d, a 40-page draft (about 18,000 words: sentences of
statistical prose with figures) in OUT/docs/<id>.txt, and OUT/conf-fp/, a copy of
IN/conf whose releases each name OUT/conf-fp/releases.d/<id>.fp and three
hand-written figures (the .fp files are built by bench.sh with embargoctl).
  usage: gen-fpdocs.py BENCHDIR [PAGES]"""
import os, random, re, shutil, sys

d = sys.argv[1]
pages = int(sys.argv[2]) if len(sys.argv) > 2 else 40
rnd = random.Random(7)
WORDS = ("children households pupils patients claimants vacancies schools hospitals offences dwellings "
         "applications placements apprentices teachers nurses carers adoptions admissions arrivals "
         "local authority region england wales north south east west london rural urban "
         "provisional revised estimate survey series measure cohort proportion share average median "
         "compared previous year quarter months period recorded reported published").split()
TRENDS = ["fell to", "rose to", "was", "increased to", "decreased to", "reached"]

def figure():
    k = rnd.random()
    if k < 0.5:
        return "{:,}".format(rnd.randint(100, 900000))
    if k < 0.8:
        return "%d%%" % rnd.randint(1, 99)
    return "%d per 10,000" % rnd.randint(10, 900)

def sentence():
    w = [rnd.choice(WORDS) for _ in range(rnd.randint(10, 20))]
    w.insert(rnd.randint(2, len(w) - 1), "%s %s" % (rnd.choice(TRENDS), figure()))
    return " ".join(w).capitalize() + "."

src = os.path.join(d, "conf")
dst = os.path.join(d, "conf-fp")
shutil.rmtree(dst, ignore_errors=True)
shutil.copytree(src, dst)
os.makedirs(os.path.join(d, "docs"), exist_ok=True)
with open(os.path.join(dst, "embargo-milter.conf"), "a") as f:
    f.write('fingerprint_key = "fp.key";\n')
for name in sorted(os.listdir(os.path.join(dst, "releases.d"))):
    if not name.endswith(".conf"):
        continue
    p = os.path.join(dst, "releases.d", name)
    text = open(p).read()
    rid = re.search(r'id\s*=\s*"([^"]+)"', text).group(1)
    with open(os.path.join(d, "docs", rid + ".txt"), "w") as f:
        for _ in range(pages * 25):          # about 18 words a sentence, 450 words a page
            f.write(sentence() + "\n")
    figs = ", ".join('"%s"' % figure() for _ in range(3))
    i = text.rindex("};")
    text = text[:i] + '  fingerprints = "%s.fp";\n  figures = ( %s );\n' % (rid, figs) + text[i:]
    open(p, "w").write(text)
