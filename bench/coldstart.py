#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Cold start: runs COMMAND N times, each time polling URL every 2 ms from the moment of
exec until the first 200, then stops the process (SIGTERM, waited for). Prints
"median M ms (min A, max B)".

usage: coldstart.py N URL COMMAND...
"""
import signal
import statistics
import subprocess
import sys
import time
import urllib.request


def one(url, command):
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - started < 20:
            try:
                with urllib.request.urlopen(url, timeout=1) as reply:
                    if reply.status == 200:
                        return (time.monotonic() - started) * 1000
            except OSError:
                pass
            if proc.poll() is not None:
                raise SystemExit(f"coldstart: the server exited ({proc.returncode})")
            time.sleep(0.002)
        raise SystemExit("coldstart: no 200 within 20 s")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()


def main():
    n, url, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    times = [one(url, command) for _ in range(n)]
    print(f"median {statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f})")


main()
