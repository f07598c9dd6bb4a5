#!/usr/bin/env python3
"""bench/measure.py -- run two or more commands RUNS times each,
alternating, and print for each its median wall time (s), median CPU time
(user + system, s) and peak resident memory (KiB, the largest of its
runs):

    python3 bench/measure.py RUNS CMD1 [ARGS...] -- CMD2 [ARGS...] [-- CMD3...]

prints "WALL1 CPU1 KIB1 WALL2 CPU2 KIB2 ..." (three figures per command).

The runs alternate (1, 2, 3, 1, 2, 3, ...) so that a change in the
machine's load during the measurement hits every command alike; the CPU
time is printed too because on a shared machine it is the steadier figure.
Each run is waited for with os.wait4, which gives that child's own rusage
(ru_maxrss of RUSAGE_CHILDREN would be the maximum over every child so
far, mixing the programs).  The text {run} in an argument becomes the
run's number, 0001, 0002, ..., for a command that can run only once per
target (a publish to a care unit: one unit per run).  Output goes to
/dev/null; a run that exits non-zero stops the measurement with exit 1 and
its stderr shown.
"""
import os
import statistics
import subprocess
import sys
import time


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    if p.returncode != 0:
        sys.stderr.write("measure: '%s' exited %d\n%s" %
                         (" ".join(cmd), p.returncode,
                          err.decode(errors="replace")[-4000:]))
        sys.exit(1)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def main():
    args = sys.argv[1:]
    if len(args) < 4 or "--" not in args:
        sys.stderr.write("usage: measure.py RUNS CMD1... -- CMD2... "
                         "[-- CMD3...]\n")
        return 2
    runs = int(args[0])
    cmds = [[]]
    for a in args[1:]:
        if a == "--":
            cmds.append([])
        else:
            cmds[-1].append(a)
    if any(not c for c in cmds):
        sys.stderr.write("measure: an empty command\n")
        return 2
    res = [([], [], 0) for _ in cmds]
    for r in range(runs):
        for i, cmd in enumerate(cmds):
            cmd = [a.replace("{run}", "%04d" % (r + 1)) for a in cmd]
            w, c, m = run(cmd)
            walls, cpus, peak = res[i]
            walls.append(w)
            cpus.append(c)
            res[i] = (walls, cpus, max(peak, m))
    print(" ".join("%.4f %.4f %d" % (statistics.median(w),
                                     statistics.median(c), m)
                   for w, c, m in res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
