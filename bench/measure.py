#!/usr/bin/env python3
"""bench/measure.py -- run a command several times; print its median wall
time in seconds and its peak resident memory in KiB (the largest of the
runs), as "SECONDS KIB".

    python3 bench/measure.py RUNS CMD [ARGS...]

Each run is waited for with os.wait4, which gives that child's own rusage:
ru_maxrss of RUSAGE_CHILDREN would be the maximum over every child so far,
which mixes the runs of different programs.  Output of the command goes to
/dev/null; a run that exits non-zero stops the measurement with exit 1 and
the command's stderr shown.
"""
import os
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: measure.py RUNS CMD [ARGS...]\n")
        return 2
    runs = int(sys.argv[1])
    cmd = sys.argv[2:]
    times, rss = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        t = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        p.stderr.close()
        if p.returncode != 0:
            sys.stderr.write("measure: '%s' exited %d\n%s" %
                             (" ".join(cmd), p.returncode,
                              err.decode(errors="replace")[-4000:]))
            return 1
        times.append(t)
        rss = max(rss, ru.ru_maxrss)
    print("%.4f %d" % (statistics.median(times), rss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
