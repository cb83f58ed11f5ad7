#!/usr/bin/env python3
"""Message comparisons for the embargo-milter end-to-end tests.

  check.py header FILE NAME
      prints the value of every NAME header field (case-insensitive), unfolded,
      one per line, in order. Works on CRLF or LF files (sink .eml files,
      postcat output).
  check.py same SENT RECEIVED
      checks that RECEIVED (a sink .eml) is SENT as delivered through the
      relay: the body byte for byte, and the header section line for line once
      the relay's own trace header (the topmost Received:) and every
      X-Embargo-Milter* field are taken out. Exit 0 when equal, 1 with the
      differences on stderr otherwise.
"""

import sys


def split(data):
    """Returns (list of header fields as raw bytes incl. folding, body bytes)."""
    i = 0
    fields = []
    while i < len(data):
        j = data.find(b"\n", i)
        line = data[i:] if j < 0 else data[i:j + 1]
        if line in (b"\r\n", b"\n"):
            return fields, data[j + 1:]
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line
        else:
            fields.append(line)
        i = len(data) if j < 0 else j + 1
    return fields, b""


def name_of(field):
    return field.split(b":", 1)[0].strip().lower()


def value_of(field):
    v = field.split(b":", 1)[1] if b":" in field else b""
    v = v.replace(b"\r\n", b"\n").replace(b"\n\t", b" ").replace(b"\n ", b" ")
    return v.strip().decode("utf-8", "replace")


def cmd_header(path, name):
    fields, _ = split(open(path, "rb").read())
    for f in fields:
        if name_of(f) == name.lower().encode():
            print(value_of(f))
    return 0


def cmd_same(sent_path, got_path):
    sent_h, sent_b = split(open(sent_path, "rb").read())
    got_h, got_b = split(open(got_path, "rb").read())
    ok = True
    if sent_b != got_b:
        ok = False
        n = next((k for k in range(min(len(sent_b), len(got_b))) if sent_b[k] != got_b[k]),
                 min(len(sent_b), len(got_b)))
        print("body differs at byte %d (sent %d bytes, got %d): sent %r got %r"
              % (n, len(sent_b), len(got_b), sent_b[n:n + 40], got_b[n:n + 40]), file=sys.stderr)
    # Our fields first (the filter may insert its verdict at the very top),
    # then the relay's Received:, which must be the topmost of the rest.
    got_h = [f for f in got_h if not name_of(f).startswith(b"x-embargo-milter")]
    sent_h = [f for f in sent_h if not name_of(f).startswith(b"x-embargo-milter")]
    if not got_h or name_of(got_h[0]) != b"received":
        ok = False
        print("no Received: on top of the delivered copy", file=sys.stderr)
    else:
        got_h = got_h[1:]
    if got_h != sent_h:
        ok = False
        print("header sections differ:", file=sys.stderr)
        for f in sent_h:
            if f not in got_h:
                print("  lost:  %r" % f, file=sys.stderr)
        for f in got_h:
            if f not in sent_h:
                print("  added: %r" % f, file=sys.stderr)
        if sorted(sent_h) == sorted(got_h):
            print("  (same fields, different order)", file=sys.stderr)
    return 0 if ok else 1


def main(argv):
    if len(argv) == 4 and argv[1] == "header":
        return cmd_header(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "same":
        return cmd_same(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
