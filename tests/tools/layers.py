#!/usr/bin/env python3
"""tests/tools/layers.py -- check that no #include crosses a layer the
wrong way (docs/architecture.md).

    python3 tests/tools/layers.py [ROOT]

The layers are core/ (the library), render/ (the pages, librender.a),
compiler/ (stegc) and runtime/ (steg): core sees only core; render sees
core and itself; the compiler and the runtime see core, render and
themselves; the two front ends never see each other.  A quoted include is
resolved as the C compiler resolves it under the Makefile's flags (the
including file's folder, then -iquote core, -iquote render, then -iquote
build/gen); one that names a path with '..' or a folder is resolved the
same way.  Library headers are checked too: each package belongs to the
parts that compile with it (Makefile: CORE_PKGS, YAML_PKGS, RENDER_PKGS,
COMPILER_PKGS, RUNTIME_PKGS), and libyaml to core/yamlload.c alone, so that steg does not
link it.

Prints one line per crossing, "FILE:LINE: includes WHAT (PART may not see
OTHER)" or "... (only PART may)", and exits 1 when there is any; 0 and
nothing otherwise.
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
PARTS = ("core", "render", "compiler", "runtime")
SEES = {"core": {"core", "gen"},
        "render": {"core", "render", "gen"},
        "compiler": {"core", "render", "compiler", "gen"},
        "runtime": {"core", "render", "runtime", "gen"}}
# System headers of packages only some parts compile with: the header's
# first path segment -> the parts (or single files) allowed to include it.
PACKAGES = {
    "yaml.h": {"core/yamlload.c"},
    "cmark.h": {"compiler"},
    "sqlite3.h": {"runtime"},
    "curl": {"runtime"},
    "microhttpd.h": {"compiler", "runtime"},
    "gnutls": {"runtime"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def part_of(path):
    rel = os.path.relpath(path, ROOT)
    top = rel.split(os.sep)[0]
    if top == "build":
        return "gen"
    return top if top in PARTS else None


def resolve(src, name):
    """The file a quoted include names, or None if it does not exist."""
    for d in (os.path.dirname(src), os.path.join(ROOT, "core"),
              os.path.join(ROOT, "render"), os.path.join(ROOT, "build", "gen")):
        cand = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(cand):
            return cand
    # Not there (e.g. build/gen before a build): judge by the path alone.
    return os.path.normpath(os.path.join(os.path.dirname(src), name))


def main():
    bad = []
    for part in PARTS:
        folder = os.path.join(ROOT, part)
        if not os.path.isdir(folder):
            continue
        # A part's subfolders (runtime/serve/) belong to the part.
        files = sorted(os.path.relpath(os.path.join(d, f), folder)
                       for d, _, fs in os.walk(folder) for f in fs)
        for fn in files:
            if not fn.endswith((".c", ".h")):
                continue
            src = os.path.join(folder, fn)
            rel = "%s/%s" % (part, fn.replace(os.sep, "/"))
            with open(src, encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n")
            for ln, text in enumerate(lines, 1):
                m = INCLUDE.match(text)
                if not m:
                    continue
                kind, name = m.groups()
                if kind == '"':
                    target = resolve(src, name)
                    tpart = part_of(target)
                    if tpart is None or tpart not in SEES[part]:
                        bad.append("%s:%d: includes \"%s\" (%s may not see %s)" % (
                            rel, ln, name, part,
                            tpart or os.path.relpath(target, ROOT)))
                else:
                    allowed = PACKAGES.get(name.split("/")[0])
                    if allowed is not None and part not in allowed and rel not in allowed:
                        bad.append("%s:%d: includes <%s> (only %s may)" % (
                            rel, ln, name, " and ".join(sorted(allowed))))
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
