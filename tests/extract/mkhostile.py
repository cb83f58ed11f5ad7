#!/usr/bin/env python3
"""mkhostile.py DIR - writes the hand-made hostile fixtures into DIR:
  loop.pdf        10 levels of Form XObjects, each drawing the next 10 times:
                  10^10 text draws from 3 KB (a PDF that never finishes: it
                  must end at the time, CPU or output limit)
  huge.png        a 10000 x 10000 (100-megapixel) PNG, 1-bit, ~12 KB
  small-logo.png  a 120 x 40 PNG (below the OCR threshold: not read)"""
import struct
import sys
import zlib


def png(path, w, h, depth, colour, row):
    raw = b"".join(b"\0" + row(y) for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def pdf(path, levels=10, fan=10):
    objs = {}
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objs[3] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
               b"/Resources << /Font << /F1 4 0 R >> /XObject << /X 10 0 R >> >> >>")
    objs[4] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    body = b"/X Do"
    objs[5] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body)
    for i in range(levels):
        n = 10 + i
        if i + 1 < levels:
            s = b"/X Do " * fan
            res = b"<< /XObject << /X %d 0 R >> >>" % (n + 1)
        else:
            s = b"BT /F1 12 Tf 72 700 Td (OFFICIAL-SENSITIVE loop) Tj ET"
            res = b"<< /Font << /F1 4 0 R >> >>"
        objs[n] = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources %s /Length %d >>\n"
                   b"stream\n%s\nendstream" % (res, len(s), s))
    out = bytearray(b"%PDF-1.4\n")
    offs = {}
    for k in sorted(objs):
        offs[k] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (k, objs[k])
    xref = len(out)
    top = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % top
    for k in range(1, top):
        out += (b"%010d 00000 n \n" % offs[k]) if k in offs else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (top, xref)
    open(path, "wb").write(out)


def main():
    d = sys.argv[1]
    png(d + "/huge.png", 10000, 10000, 1, 0, lambda y: b"\0" * 1250)
    png(d + "/small-logo.png", 120, 40, 8, 0, lambda y: bytes((x * 2 + y) & 0xFF for x in range(120)))
    pdf(d + "/loop.pdf")


if __name__ == "__main__":
    main()
