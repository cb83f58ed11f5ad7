#!/usr/bin/env python3
"""Capture sink for the embargo-milter end-to-end tests: "the outside world".

A minimal SMTP server (asyncio, no deprecated smtpd module) on 127.0.0.1 that
accepts every message and stores each one as two files in the capture
directory, written under a temporary name and renamed when complete:

    NNNNNN.eml   the message exactly as received (CRLF line ends, dot-unstuffed)
    NNNNNN.json  {"mail_from": ..., "rcpt_to": [...], "helo": ..., "size": N}

so a test can check which recipients received what, byte for byte. It only
ever listens on 127.0.0.1. It announces 8BITMIME and PIPELINING (so Postfix
never converts 8-bit bodies on the way out) and nothing else.

Usage: sink.py --port PORT --dir DIR [--ready FILE]
"""

import argparse
import asyncio
import json
import os
import signal
import sys

MAX_LINE = 1 << 20          # a command or data line longer than this is refused
MAX_MSG = 256 << 20         # and a message larger than this


class Sink:
    def __init__(self, directory):
        self.dir = directory
        self.seq = 0

    def store(self, helo, mail_from, rcpts, data):
        self.seq += 1
        base = os.path.join(self.dir, "%06d" % self.seq)
        meta = {"mail_from": mail_from, "rcpt_to": rcpts, "helo": helo, "size": len(data)}
        for ext, blob in ((".eml", data), (".json", json.dumps(meta).encode() + b"\n")):
            tmp = base + ext + ".tmp"
            with open(tmp, "wb") as f:
                f.write(blob)
            os.rename(tmp, base + ext)

    async def session(self, reader, writer):
        def reply(text):
            writer.write(text.encode() + b"\r\n")

        helo = None
        mail_from = None
        rcpts = []
        try:
            reply("220 e2e-sink ESMTP")
            await writer.drain()
            while True:
                line = await reader.readuntil(b"\n")
                if len(line) > MAX_LINE:
                    reply("500 5.5.2 line too long")
                    break
                cmd = line.rstrip(b"\r\n").decode("utf-8", "replace")
                verb = cmd[:4].upper()
                arg = cmd[4:].strip()
                if verb == "EHLO":
                    helo = arg
                    mail_from, rcpts = None, []
                    reply("250-e2e-sink")
                    reply("250-PIPELINING")
                    reply("250-8BITMIME")
                    reply("250 SIZE %d" % MAX_MSG)
                elif verb == "HELO":
                    helo = arg
                    mail_from, rcpts = None, []
                    reply("250 e2e-sink")
                elif verb == "MAIL":
                    mail_from = addr_of(arg)
                    rcpts = []
                    reply("250 2.1.0 Ok")
                elif verb == "RCPT":
                    if mail_from is None:
                        reply("503 5.5.1 need MAIL")
                    else:
                        rcpts.append(addr_of(arg))
                        reply("250 2.1.5 Ok")
                elif verb == "DATA":
                    if mail_from is None or not rcpts:
                        reply("503 5.5.1 need RCPT")
                        await writer.drain()
                        continue
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    data = await read_data(reader)
                    if data is None:
                        reply("552 5.3.4 message too big")
                    else:
                        self.store(helo, mail_from, rcpts, data)
                        reply("250 2.0.0 Ok: stored %06d" % self.seq)
                    mail_from, rcpts = None, []
                elif verb == "RSET":
                    mail_from, rcpts = None, []
                    reply("250 2.0.0 Ok")
                elif verb == "NOOP":
                    reply("250 2.0.0 Ok")
                elif verb == "QUIT":
                    reply("221 2.0.0 Bye")
                    await writer.drain()
                    break
                else:
                    reply("502 5.5.2 command not recognized")
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            try:
                writer.close()
                await writer.wait_closed()
            except Exception:
                pass


def addr_of(arg):
    """'FROM:<a@b> SIZE=12' -> 'a@b' ('' for the null sender)."""
    _, _, rest = arg.partition(":")
    rest = rest.strip()
    if rest.startswith("<"):
        end = rest.find(">")
        return rest[1:end] if end >= 0 else rest[1:]
    return rest.split(" ")[0]


async def read_data(reader):
    """Reads DATA up to the lone dot; returns the unstuffed bytes, or None if too big."""
    parts = []
    size = 0
    too_big = False
    while True:
        line = await reader.readuntil(b"\n")
        if line in (b".\r\n", b".\n"):
            break
        if line.startswith(b"."):
            line = line[1:]
        size += len(line)
        if size > MAX_MSG:
            too_big = True
            parts = []
        if not too_big:
            parts.append(line)
    return None if too_big else b"".join(parts)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--ready", help="file created once the socket listens")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    sink = Sink(a.dir)
    server = await asyncio.start_server(sink.session, "127.0.0.1", a.port,
                                        limit=MAX_LINE + 2, reuse_address=True)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("%d\n" % os.getpid())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except OSError as e:
        print("sink: %s" % e, file=sys.stderr)
        sys.exit(1)
