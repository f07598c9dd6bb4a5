#!/usr/bin/env python3
"""po-prep.py OUTDIR KEYWORDS FILE... — copies of C sources that xgettext
reads right (scripts/po-extract.sh).  KEYWORDS: NAME:ARG[,NAME:ARG...],
the functions whose ARGth argument is a message.

xgettext counts the commas inside a compound literal such as
(st_span){ file, 1, 1, 0, 0 } as argument separators, and of an argument
`cond ? "a" : "b"` it takes only "a".  Inside the calls of the keyword
functions each compound literal becomes `(st_span)0`, and in the message
argument each string after a `?` or `:` is marked ST_N("..."), so that
both branches are extracted.  Lines stay where they were, so
that the locations in the catalogue are the sources'."""
import os
import re
import sys

out, files = sys.argv[1], sys.argv[3:]
argof = {}
for kw in sys.argv[2].split(","):
    name, n = kw.split(":")
    argof[name] = int(n)
call = re.compile(r"\b(%s)\s*\(" % "|".join(map(re.escape, argof)))


def skip_literal(s, i):
    """Index after the string or character literal starting at s[i]."""
    q = s[i]
    i += 1
    while i < len(s) and s[i] != q:
        i += 2 if s[i] == "\\" else 1
    return i + 1


def skip_comment(s, i):
    if s.startswith("//", i):
        j = s.find("\n", i)
        return len(s) if j < 0 else j
    j = s.find("*/", i + 2)
    return len(s) if j < 0 else j + 2


def call_end(s, i):
    """s[i] is '(': the index of its matching ')'."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c in "\"'":
            i = skip_literal(s, i)
            continue
        if s.startswith("/*", i) or s.startswith("//", i):
            i = skip_comment(s, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(s) - 1


def strings_group(s, i):
    """s[i] is '"': the end of the run of adjacent literals from it."""
    j = i
    while True:
        j = skip_literal(s, j)
        k = j
        while k < len(s) and s[k] in " \t\n":
            k += 1
        if k < len(s) and s[k] == '"':
            j = k
        else:
            return j


def blank(text):
    """text with everything but newlines removed (keeps line numbers)."""
    return "\n" * text.count("\n")


def fix_args(a, msg_arg):
    """The arguments a of a call, fixed; msg_arg: the message's (1-based)."""
    r = []
    depth = 0
    arg = 1
    i = 0
    after_branch = False
    while i < len(a):
        c = a[i]
        m = re.match(r"\((\s*st_span\s*|\s*struct\s+\w+\s*)\)\s*\{", a[i:])
        if m:
            j = i + m.end() - 1
            depth = 0
            while j < len(a):
                if a[j] in "\"'":
                    j = skip_literal(a, j)
                    continue
                if a[j] == "{":
                    depth += 1
                elif a[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            r.append("(st_span)0" + blank(a[i:j + 1]))
            i = j + 1
            continue
        if c == '"':
            j = strings_group(a, i)
            if after_branch and arg == msg_arg:
                r.append("ST_N(" + a[i:j] + ")")
            else:
                r.append(a[i:j])
            i = j
            after_branch = False
            continue
        if c == "'":
            j = skip_literal(a, i)
            r.append(a[i:j])
            i = j
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            arg += 1
        if c in "?:":
            after_branch = True
        elif not c.isspace():
            after_branch = False
        r.append(c)
        i += 1
    return "".join(r)


for f in files:
    s = open(f, encoding="utf-8").read()
    r = []
    pos = 0
    for m in call.finditer(s):
        if m.start() < pos:
            continue
        open_ = m.end() - 1
        end = call_end(s, open_)
        r.append(s[pos:open_ + 1])
        r.append(fix_args(s[open_ + 1:end], argof[m.group(1)]))
        pos = end
    r.append(s[pos:])
    dst = os.path.join(out, f)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    open(dst, "w", encoding="utf-8").write("".join(r))
