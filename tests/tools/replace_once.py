#!/usr/bin/env python3
"""replace_once FILE OLD NEW — replace the first OLD in FILE by NEW (a
literal "\\n" in NEW is a line break).  Fails when OLD is not in FILE, so
that a test's edit can never silently do nothing."""
import sys
f, old, new = sys.argv[1:4]
with open(f, encoding="utf-8") as fh:
    t = fh.read()
if old not in t:
    sys.exit("replace_once: '%s' is not in %s" % (old, f))
with open(f, "w", encoding="utf-8") as fh:
    fh.write(t.replace(old, new.replace("\\n", "\n"), 1))
