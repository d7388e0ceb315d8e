#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A real SMTP server for the end-to-end tests (Debian's python3-aiosmtpd): accepts
every message and saves it, as received, to FOLDER/NNNN.eml (written to a .tmp file
and renamed, so a reader never sees half a message). Prints "ready" once listening;
stops on SIGTERM or SIGINT.

usage: smtpsink.py HOST PORT FOLDER
"""
import itertools
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        number = next(self.numbers)
        path = os.path.join(self.folder, f"{number:04d}.eml")
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        recipients = ", ".join(envelope.rcpt_tos).encode("utf-8")
        with open(path + ".tmp", "wb") as out:
            out.write(b"X-Envelope-From: " + envelope.mail_from.encode("utf-8") + b"\r\n")
            out.write(b"X-Envelope-To: " + recipients + b"\r\n")
            out.write(content)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    host, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder), hostname=host, port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
