#!/usr/bin/env python3
"""bench/reload.py -- edit-to-reload time of `stegc preview` (make bench).

    python3 bench/reload.py URL DIR EDITS

Listens to URL's /events (Server-Sent Events), then EDITS times: appends
a sentence to a module of the program folder DIR (the middle one, then
the next, ...) and measures from just before the write until the event
"reload" has reached this client.  Prints "MEDIAN WORST" in milliseconds
and, with --all, every time.  Exits 1 when an event does not come within
10 s or is not "reload".  Only the standard library is used.
"""
import http.client
import os
import statistics
import sys
import time
import urllib.parse


def next_event(resp, deadline):
    """The next event's name (comments and pings skipped)."""
    name = None
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("no event")
        line = resp.readline()
        if not line:
            raise EOFError("the stream ended")
        line = line.rstrip(b"\r\n")
        if line.startswith(b"event: "):
            name = line[7:].decode()
        elif not line and name:
            return name


def main():
    args = [a for a in sys.argv[1:] if a != "--all"]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    url, folder, edits = args[0], args[1], int(args[2])
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("GET", "/events")
    resp = conn.getresponse()
    if resp.status != 200:
        print("bench: /events answered %d" % resp.status, file=sys.stderr)
        return 1
    if next_event(resp, time.monotonic() + 10) != "ok":
        print("bench: the program has errors", file=sys.stderr)
        return 1
    mods = sorted(os.listdir(os.path.join(folder, "modules")))
    times = []
    for k in range(edits):
        path = os.path.join(folder, "modules", mods[(len(mods) // 2 + k) % len(mods)])
        with open(path, "rb") as f:
            text = f.read()
        text += ("\nDu ändrar texten en gång till, nummer %d.\n" % k).encode()
        t0 = time.monotonic()
        with open(path, "wb") as f:
            f.write(text)
        ev = next_event(resp, t0 + 10)
        t1 = time.monotonic()
        if ev != "reload":
            print("bench: edit %d brought '%s', not 'reload'" % (k, ev),
                  file=sys.stderr)
            return 1
        times.append((t1 - t0) * 1000)
    conn.close()
    print("%.1f %.1f" % (statistics.median(times), max(times)))
    if "--all" in sys.argv:
        print(" ".join("%.1f" % t for t in times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
