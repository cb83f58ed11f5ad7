#!/usr/bin/env python3
"""SMTP client for the embargo-milter end-to-end tests.

Sends one message file to 127.0.0.1:PORT and prints the final reply as
"CODE TEXT" on one line (the first failing reply, or the reply to the end of
DATA). Exit status: 0 for 2xx, 4 for 4xx, 5 for 5xx, 1 when the connection
failed. With --retry SECONDS, a 4xx or a connection failure is retried (every
0.5 s) until that much time has passed, as an MTA client would.

Usage: send.py --port PORT --file FILE --from ADDR RCPT [RCPT...]
"""

import argparse
import smtplib
import socket
import sys
import time


def send_once(port, data, sender, rcpts):
    s = smtplib.SMTP("127.0.0.1", port, local_hostname="client.e2e.test", timeout=120)
    try:
        code, text = s.ehlo()
        if code // 100 != 2:
            return code, text
        code, text = s.mail(sender)
        if code // 100 != 2:
            return code, text
        accepted = 0
        first_bad = None
        for r in rcpts:
            code, text = s.rcpt(r)
            if code // 100 == 2:
                accepted += 1
            elif first_bad is None:
                first_bad = (code, text)
        if not accepted:
            return first_bad
        code, text = s.data(data)
        return code, text
    finally:
        try:
            s.quit()
        except (smtplib.SMTPException, OSError):
            s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--from", dest="sender", required=True)
    ap.add_argument("--retry", type=float, default=0.0)
    ap.add_argument("rcpts", nargs="+")
    a = ap.parse_args()
    with open(a.file, "rb") as f:
        data = f.read()
    deadline = time.monotonic() + a.retry
    while True:
        try:
            code, text = send_once(a.port, data, a.sender, a.rcpts)
            line = "%d %s" % (code, text.decode("utf-8", "replace").replace("\n", " "))
        except (smtplib.SMTPException, OSError, socket.timeout) as e:
            code, line = 0, "000 %s" % e
        if (code // 100 == 4 or code == 0) and time.monotonic() < deadline:
            time.sleep(0.5)
            continue
        print(line)
        return {2: 0, 4: 4, 5: 5}.get(code // 100, 1)


if __name__ == "__main__":
    sys.exit(main())
