#!/usr/bin/env python3
"""mktnef.py [--rtf-body FILE] OUT BODY-TEXT [ATTACHMENT...] - writes a TNEF stream (winmail.dat)
as Outlook does for "Rich Text" mail ([MS-OXTNEF] 2.1.3): signature, key,
message attributes (version, OEM code page, message class, subject, body) and,
for each attachment, attAttachRenddata + attAttachTitle + attAttachData.
No Debian package writes TNEF (tnef and ytnef only read it), so the test
fixtures are made with this small writer and checked by reading them back with
tnef(1) in make-fixtures.sh."""
import struct
import sys

LVL_MESSAGE, LVL_ATTACHMENT = 1, 2


def attr(level, ident, data):
    return (struct.pack("<BII", level, ident, len(data)) + data +
            struct.pack("<H", sum(data) & 0xFFFF))


def lzfu(raw):
    """Compressed RTF ([MS-OXRTFCP] 2.1.3.1), written with literals only (a valid
    stream every reader accepts) and the CRC of 2.1.3.2."""
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    out = bytearray()
    for i in range(0, len(raw), 8):
        out.append(0)
        out += raw[i:i + 8]
    end = ((207 + len(raw)) % 4096) << 4
    if len(raw) % 8 == 0:
        out.append(1)
        out += struct.pack(">H", end)
    else:
        out[-(len(raw) % 8) - 1] = 1 << (len(raw) % 8)
        out += struct.pack(">H", end)
    crc = 0
    for b in out:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return struct.pack("<IIII", len(out) + 12, len(raw), 0x75465A4C, crc) + bytes(out)


def mapi_rtf(rtf):
    data = lzfu(rtf)
    pad = b"\0" * (-len(data) % 4)
    # one property: PT_BINARY PR_RTF_COMPRESSED (0x1009), one value
    return struct.pack("<IHHII", 1, 0x0102, 0x1009, 1, len(data)) + data + pad


def main():
    args = sys.argv[1:]
    rtf = None
    if args[0] == "--rtf-body":
        rtf = open(args[1], "rb").read()
        args = args[2:]
    out, body, files = args[0], args[1], args[2:]
    s = struct.pack("<IH", 0x223E9F78, 0x0001)
    s += attr(LVL_MESSAGE, 0x00089006, struct.pack("<I", 0x00010000))      # attTnefVersion
    s += attr(LVL_MESSAGE, 0x00069007, struct.pack("<II", 1252, 0))        # attOemCodepage
    s += attr(LVL_MESSAGE, 0x00078008, b"IPM.Microsoft Mail.Note\0")       # attMessageClass
    s += attr(LVL_MESSAGE, 0x00018004, b"Note\0")                          # attSubject
    if body:
        s += attr(LVL_MESSAGE, 0x0002800C, body.encode("cp1252") + b"\0")  # attBody
    if rtf is not None:
        s += attr(LVL_MESSAGE, 0x00069003, mapi_rtf(rtf))                  # attMsgProps
    for f in files:
        data = open(f, "rb").read()
        name = f.rsplit("/", 1)[-1].encode("cp1252") + b"\0"
        s += attr(LVL_ATTACHMENT, 0x00069002, struct.pack("<HIIHHI", 1, 0xFFFFFFFF, 0, 0, 0, 0))
        s += attr(LVL_ATTACHMENT, 0x00018010, name)                        # attAttachTitle
        s += attr(LVL_ATTACHMENT, 0x0006800F, data)                        # attAttachData
    open(out, "wb").write(s)


if __name__ == "__main__":
    main()
