#!/usr/bin/env python3
"""Metamorphic test: meaning-preserving rewrites of held messages stay held.

For every case of tests/corpus/cases.tsv and tests/adversarial/cases.tsv whose
expected action is quarantine or reject, Python's email package reads the
message and writes variants a reader would see as the same message:

  roundtrip  parsed and written back unchanged (the baseline: when Python reads
             a hostile message differently from the engine and this variant is
             no longer held, the message's other variants are skipped, not
             failed, and listed; Python, not the engine, lost the trick)
  base64     every text part re-encoded as base64
  qp         every text part re-encoded as quoted-printable with short lines
             (soft breaks inside words)
  refold     text lines re-wrapped at 24 columns, the Subject folded at every blank
  forwarded  the whole message forwarded as message/rfc822 inside a new one
  zipped     original header, body replaced by a zip of its parts (text parts
             as UTF-8 .txt/.html, attachments under their own names)
  html       every text/plain part turned into text/html (non-ASCII as &#NNN;)

Each variant is scanned with `embargoctl scan --json` under the case's
envelope and time and must still be held (action quarantine or reject). A
variant that wrapping pushed past max_depth may instead be tempfailed with a
nesting-limit reason (the specified fail-closed outcome): listed as LIMIT.
Variants are written to a temporary directory; with --keep DIR they are kept.

Not done: a comparison of the engine's MIME part tree with Python's (embargoctl
has no part-tree dump). The base64 and zipped variants compare what matters for
the verdict instead: every leaf as Python decodes it, rescanned.
"""
import argparse, base64, copy, email, html, io, json, os, subprocess, sys, tempfile, textwrap, zipfile
from email import policy
from email.message import Message

sys.setrecursionlimit(100000)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
HELD = ("quarantine", "reject")


def leaves(msg):
    for p in msg.walk():
        if not p.is_multipart() and p.get_content_type() not in ("message/rfc822", "message/global"):
            yield p


def is_text(p):
    # by content first, like a reader: a .docx declared text/plain is a document
    return p.get_content_maintype() == "text" and not (p.get_payload(decode=True) or b"").startswith(b"PK\x03\x04")


def set_body(p, data, cte):
    del p["Content-Transfer-Encoding"]
    p["Content-Transfer-Encoding"] = cte
    p.set_payload(data)


def b64(data):
    e = base64.b64encode(data).decode()
    return "\n".join(e[i:i + 76] for i in range(0, len(e), 76)) + "\n"


def qp(data, width=24):
    """Quoted-printable with soft breaks every `width` columns, never inside an escape."""
    out, lines = [], data.split(b"\n")
    for k, line in enumerate(lines):
        if k == len(lines) - 1 and line == b"":
            break
        cur = ""
        for i, c in enumerate(line.rstrip(b"\r")):
            last = i == len(line.rstrip(b"\r")) - 1
            tok = chr(c) if (33 <= c <= 126 and c != 61) or (c in (32, 9) and not last) else "=%02X" % c
            if len(cur) + len(tok) > width - 1:
                out.append(cur + "=")
                cur = ""
            cur += tok
        out.append(cur)
    return "\n".join(out) + "\n"


def text_of(p):
    data = p.get_payload(decode=True) or b""
    cs = p.get_content_charset()
    if cs is None:  # what a reader does with undeclared UTF-16 (Notepad's .txt)
        odd, even = data[1::2].count(0), data[0::2].count(0)
        cs = "utf-16-le" if odd * 3 > len(data) // 2 else "utf-16-be" if even * 3 > len(data) // 2 else "utf-8"
    try:
        return data.decode(cs, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def v_roundtrip(msg):
    return msg


def v_base64(msg):
    for p in leaves(msg):
        if is_text(p):
            set_body(p, b64(p.get_payload(decode=True) or b""), "base64")
    return msg


def v_qp(msg):
    for p in leaves(msg):
        if is_text(p):
            set_body(p, qp(p.get_payload(decode=True) or b""), "quoted-printable")
    return msg


def v_refold(msg):
    for p in leaves(msg):
        if not is_text(p):
            continue
        out = []
        for line in text_of(p).splitlines():
            if line.startswith(">") or len(line) <= 24:
                out.append(line)
            else:
                out.extend(textwrap.wrap(line, 24, break_long_words=False, break_on_hyphens=False) or [""])
        p.set_param("charset", "utf-8")
        set_body(p, b64(("\n".join(out) + "\n").encode("utf-8")), "base64")
    return msg


def fold_subject(raw):
    head, sep, body = raw.partition(b"\n\n") if b"\r\n\r\n" not in raw else raw.partition(b"\r\n\r\n")
    lines = head.split(b"\n")
    for i, line in enumerate(lines):
        if line.lower().startswith(b"subject:"):
            name, value = line[:8], line[8:].strip(b"\r ")
            lines[i] = name + b" " + value.replace(b" ", b"\n ") + (b"\r" if line.endswith(b"\r") else b"")
            break
    return b"\n".join(lines) + sep + body


def v_forwarded(msg):
    outer = email.message.Message()
    outer["From"] = "forwarder@education.example.gov.uk"
    outer["To"] = "someone@example.org"
    outer["Subject"] = "Fwd: as discussed"
    outer["MIME-Version"] = "1.0"
    outer["Content-Type"] = 'multipart/mixed; boundary="=_fwd_variant"'
    note = Message()
    note["Content-Type"] = "text/plain; charset=us-ascii"
    note.set_payload("See the forwarded message.\n")
    att = Message()
    att["Content-Type"] = "message/rfc822"
    att["Content-Disposition"] = "inline"
    att.set_payload([msg])
    outer.set_payload([note, att])
    return outer


def v_zipped(msg):
    # Python reads only the first of two boundary= parameters: its parts are then
    # raw text in a preamble, which is not what the other reading shows
    if any(str(p.get("Content-Type", "")).lower().count("boundary=") > 1 for p in msg.walk()):
        raise NotImplementedError("two boundary parameters")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        # what a reader also sees: forwarded messages' headers, text around parts
        for k, p in enumerate(msg.walk()):
            if p.get_content_type() in ("message/rfc822", "message/global") and isinstance(p.get_payload(), list):
                inner = p.get_payload()[0]
                # a named forwarded message keeps its name as the member's name
                z.writestr("%s-header.txt" % (p.get_filename() or "message%d" % k).replace("/", "_"),
                           "".join("%s: %s\n" % (a, b) for a, b in inner.items()))
            for what in ("preamble", "epilogue"):
                if p.is_multipart() and getattr(p, what):
                    z.writestr("%s%d.txt" % (what, k), getattr(p, what))
        for k, p in enumerate(leaves(msg)):
            if is_text(p):
                ext = ".html" if p.get_content_subtype() == "html" else ".txt"
                z.writestr("part%d%s" % (k, ext), text_of(p).encode("utf-8"))
            else:
                name = p.get_filename() or "part%d.bin" % k
                z.writestr("%d-%s" % (k, name.replace("/", "_")), p.get_payload(decode=True) or b"")
    new = Message()
    for k, v in msg.items():
        if k.lower() not in ("content-type", "content-transfer-encoding", "content-disposition", "mime-version"):
            new[k] = v
    new["MIME-Version"] = "1.0"
    new["Content-Type"] = 'multipart/mixed; boundary="=_zip_variant"'
    note = Message()
    note["Content-Type"] = "text/plain; charset=us-ascii"
    note.set_payload("Attached, zipped.\n")
    att = Message()
    att["Content-Type"] = 'application/zip; name="message.zip"'
    att["Content-Disposition"] = 'attachment; filename="message.zip"'
    set_body(att, b64(buf.getvalue()), "base64")
    new.set_payload([note, att])
    return new


def v_html(msg):
    for p in leaves(msg):
        if p.get_content_type() != "text/plain" or not is_text(p):
            continue
        body = html.escape(text_of(p)).encode("ascii", "xmlcharrefreplace").decode()
        doc = "<html><body><p>" + body.replace("\n", "<br>\n") + "</p></body></html>\n"
        p.set_type("text/html")
        p.set_param("charset", "us-ascii")
        set_body(p, b64(doc.encode()), "base64")
    return msg


# Order matters: roundtrip and forwarded keep the original bytes; base64 is the
# first variant built from Python's decoding of each part, so when it is not
# held (Python decodes a hostile part differently), the decoded variants after
# it are skipped too.
VARIANTS = [("roundtrip", v_roundtrip), ("forwarded", v_forwarded), ("base64", v_base64), ("qp", v_qp),
            ("refold", v_refold), ("zipped", v_zipped), ("html", v_html)]
BASELINES = ("roundtrip", "base64")
# Variants built from a Python reading that shows no leak to any reader: skipped
# and listed, not failed. Since the engine decodes a multipart whose body is
# base64 (issue 10), the base64 and qp variants of this message are held and
# no longer stop the run, so the variants after them are reached.
PYTHON_LOSES = {
    ("duplicate-content-type-multipart.eml", "refold"): "Python takes the first Content-Type "
    "(text/plain); its rewrap breaks the inner header, leaving base64 text nobody decodes",
    ("duplicate-content-type-multipart.eml", "zipped"): "the zipped text is the inner part's base64, "
    "as Python shows it, not the leak",
    ("duplicate-content-type-multipart.eml", "html"): "the HTML shows the inner part's base64, as "
    "Python reads it, not the leak",
}


def scan(ctl, conf, at, sender, rcpts, path):
    """(action, exit code, incomplete reasons) of one scan."""
    args = [ctl, "scan", "-c", conf, "--at", at, "--from", sender]
    for r in rcpts:
        args += ["--rcpt", r]
    try:
        p = subprocess.run(args + ["--json", path], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "timeout", -1, []
    try:
        v = json.loads(p.stdout)
        return v["action"], p.returncode, v.get("incomplete", [])
    except Exception:
        return "error", p.returncode, []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ctl", default="build/embargoctl")
    ap.add_argument("--conf", default=os.path.join(ROOT, "conf", "embargo-milter.conf"))
    ap.add_argument("--keep", help="directory to keep the variants in")
    a = ap.parse_args()
    out = a.keep or tempfile.mkdtemp(prefix="em-transform-")
    os.makedirs(out, exist_ok=True)
    fails, skipped, limited, n = [], [], [], 0
    for corpus in ("tests/corpus", "tests/adversarial"):
        for row in open(os.path.join(ROOT, corpus, "cases.tsv"), encoding="utf-8"):
            if row.startswith("#") or not row.strip():
                continue
            f = row.rstrip("\n").split("\t")
            name, at, sender, rcpts, action = f[0], f[1], f[2], f[3].split(","), f[4]
            if action not in HELD:
                continue
            raw = open(os.path.join(ROOT, corpus, "cases", name), "rb").read()
            for vname, fn in VARIANTS:
                if (name, vname) in PYTHON_LOSES:
                    skipped.append("%s/%s: %s variant: %s" % (corpus, name, vname, PYTHON_LOSES[(name, vname)]))
                    continue
                try:
                    msg = email.message_from_bytes(raw, policy=policy.compat32)
                    data = fn(msg).as_bytes(policy=policy.compat32.clone(linesep="\r\n"))
                    if vname == "refold":
                        data = fold_subject(data)
                except NotImplementedError as e:
                    skipped.append("%s/%s: %s variant: %s" % (corpus, name, vname, e))
                    continue
                except Exception as e:  # Python cannot take this message apart
                    skipped.append("%s/%s: python: %s" % (corpus, name, type(e).__name__))
                    break
                path = os.path.join(out, "%s.%s.eml" % (name[:-4], vname))
                with open(path, "wb") as fh:
                    fh.write(data)
                n += 1
                got, code, why = scan(a.ctl, a.conf, at, sender, rcpts, path)
                if got in HELD and code == 1:
                    continue
                if got == "tempfail" and code == 1 and any(w.startswith("nesting limit") for w in why):
                    # a variant one level deeper than max_depth: fail-closed as specified
                    limited.append("%s %s: %s" % (name, vname, "; ".join(why)))
                    continue
                if vname in BASELINES:
                    skipped.append("%s/%s: %s variant not held (%s): later variants skipped" % (corpus, name, vname, got))
                    break
                fails.append("FAIL transform %s %s: want held, got %s exit %d (%s)" % (name, vname, got, code, path))
    for s in skipped:
        print("SKIP " + s)
    for s in limited:
        print("LIMIT " + s)
    for f in fails:
        print(f)
    print("transform: %d variants scanned, %d failed, %d tempfail at the nesting limit, %d messages skipped" %
          (n, len(fails), len(limited), len(skipped)))
    if fails and not a.keep:
        print("variants kept in " + out)
    elif not a.keep:
        for f in os.listdir(out):
            os.unlink(os.path.join(out, f))
        os.rmdir(out)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
