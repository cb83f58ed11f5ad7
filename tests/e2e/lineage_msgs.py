#!/usr/bin/env python3
"""lineage_msgs.py KIND OUT [key=value ...] - writes one real-looking message
for the thread lineage end-to-end test (t_lineage.sh), with the threading
header shapes of the client named in KIND. CRLF line ends; every message has
Date and Message-ID so Postfix adds nothing.

KIND:
  outlook-pra      Outlook (Exchange Online) PRA email: Thread-Topic,
                   Thread-Index (new conversation), OFFICIAL-SENSITIVE marker
                   and the release identifier. mid=, guid= (32 hex), ident=, subject=
  thunderbird-reply  Thunderbird reply, marker deleted, original quoted:
                   In-Reply-To and References = parent. mid=, parent=, ident=, subject=
  outlook-reply    Outlook reply: Thread-Index = the parent's (ti=) + one response
                   level; with_refs=0 leaves out In-Reply-To/References (Thread-Index
                   only). mid=, parent=, ti=, subject=
  apple-fwd-attach Apple Mail forward as attachment: the parent message with the
                   marker and identifier lines deleted, its Message-ID kept.
                   mid=, parent=, subject=
  plain            A new message, no threading headers: mid=, subject=, body=
  forged-refs      A new message whose References/In-Reply-To name refs=
Common: from=, to= (header To).
"""
import base64
import email.utils
import sys
import time


def crlf(lines):
    return ("\r\n".join(lines) + "\r\n").encode()


def thread_index(guid_hex):
    # [MS-OXOMSG] 2.2.1.3: 0x01, the 5 high bytes of the FILETIME
    # (big-endian), the 16-byte conversation GUID.
    ft = int((time.time() + 11644473600) * 10_000_000)
    hdr = bytes([1]) + (ft >> 24).to_bytes(5, "big") + bytes.fromhex(guid_hex)
    return base64.b64encode(hdr).decode()


def date():
    return email.utils.formatdate(localtime=False)


def main():
    kind, out = sys.argv[1], sys.argv[2]
    a = dict(x.split("=", 1) for x in sys.argv[3:])
    frm = a.get("from", "Analyst <analyst@stats.e2e.test>")
    to = a.get("to", "pra.minister@gov.e2e.test")
    subj = a.get("subject", "Widget briefing")
    ident = a.get("ident", "Widget Production Statistics")
    if kind == "outlook-pra":
        ti = thread_index(a["guid"])
        print(ti)
        lines = [
            "From: " + frm, "To: " + to, "Subject: " + subj,
            "Thread-Topic: " + subj,
            "Thread-Index: " + ti,
            "Date: " + date(),
            "Message-ID: <" + a["mid"] + ">",
            "Accept-Language: en-GB, en-US", "Content-Language: en-GB",
            "X-MS-Has-Attach:", "X-MS-TNEF-Correlator:",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=\"us-ascii\"",
            "Content-Transfer-Encoding: quoted-printable", "",
            "OFFICIAL-SENSITIVE", "",
            "Minister,", "",
            "Attached is the pre-release briefing on " + ident + ". It is published",
            "tomorrow at 09:30; please do not share it before then.", "",
            "Analyst",
        ]
    elif kind == "thunderbird-reply":
        lines = [
            "Message-ID: <" + a["mid"] + ">",
            "Date: " + date(), "MIME-Version: 1.0",
            "User-Agent: Mozilla Thunderbird",
            "Subject: Re: " + subj, "Content-Language: en-GB",
            "To: " + to,
            "References: <" + a["parent"] + ">",
            "From: " + frm,
            "In-Reply-To: <" + a["parent"] + ">",
            "Content-Type: text/plain; charset=UTF-8; format=flowed",
            "Content-Transfer-Encoding: 7bit", "",
            "Adding the press office so they can prepare lines.", "",
            "On 30/11/2026 09:00, Analyst wrote:",
            "> Minister,", ">",
            "> Attached is the pre-release briefing on " + ident + ". It is published",
            "> tomorrow at 09:30.",
        ]
    elif kind == "outlook-reply":
        lines = [
            "From: " + frm, "To: " + to, "Subject: RE: " + subj,
            "Thread-Topic: " + subj,
            # Outlook keeps the parent's value and appends one response level
            "Thread-Index: " + base64.b64encode(base64.b64decode(a["ti"]) + bytes([0, 0, 0x1B, 0x2C, 0x3D])).decode(),
            "Date: " + date(),
            "Message-ID: <" + a["mid"] + ">",
        ]
        if a.get("with_refs", "1") == "1":
            lines += ["References: <" + a["parent"] + ">", "In-Reply-To: <" + a["parent"] + ">"]
        lines += [
            "Accept-Language: en-GB, en-US", "Content-Language: en-GB",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=\"us-ascii\"",
            "Content-Transfer-Encoding: quoted-printable", "",
            "Press office - can you draft lines on this for tomorrow?", "",
            "________________________________",
            "From: Analyst <analyst@stats.e2e.test>",
            "Subject: " + subj, "",
            "Minister, the briefing is attached.",
        ]
    elif kind == "apple-fwd-attach":
        b = "Apple-Mail=_5E3F2A10-77C1-4B8E-9D52-0F3C1A2B3C4D"
        inner = [
            "From: Analyst <analyst@stats.e2e.test>",
            "Subject: " + subj,
            "Date: " + date(),
            "Message-ID: <" + a["parent"] + ">",
            "To: pra.minister@gov.e2e.test",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=\"us-ascii\"", "",
            "Minister,", "",
            "Attached is the pre-release briefing. It is published tomorrow.", "",
            "Analyst",
        ]
        lines = [
            "From: " + frm,
            "Content-Type: multipart/mixed; boundary=\"" + b + "\"",
            "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3731.700.6\\))",
            "Subject: Fwd: " + subj,
            "Message-Id: <" + a["mid"] + ">",
            "Date: " + date(),
            "To: " + to,
            "X-Mailer: Apple Mail (2.3731.700.6)", "",
            "", "--" + b,
            "Content-Transfer-Encoding: 7bit",
            "Content-Type: text/plain; charset=us-ascii", "",
            "FYI, see attached.", "",
            "--" + b,
            "Content-Disposition: attachment; filename=\"" + subj + ".eml\"",
            "Content-Type: message/rfc822; name=\"" + subj + ".eml\"",
            "Content-Transfer-Encoding: 7bit", "",
        ] + inner + ["", "--" + b + "--"]
    elif kind in ("plain", "forged-refs"):
        lines = [
            "From: " + frm, "To: " + to, "Subject: " + subj,
            "Date: " + date(), "Message-ID: <" + a["mid"] + ">",
        ]
        if kind == "forged-refs":
            lines += ["In-Reply-To: <" + a["refs"] + ">", "References: <" + a["refs"] + ">"]
        if "parent" in a:
            lines += ["In-Reply-To: <" + a["parent"] + ">", "References: <" + a["parent"] + ">"]
        lines += [
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=us-ascii", "",
        ] + a.get("body", "Hello,\n\nThe allotment meeting is on Saturday.").split("\n")
    else:
        sys.exit("unknown kind " + kind)
    open(out, "wb").write(crlf(lines))


main()
