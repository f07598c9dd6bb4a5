#!/usr/bin/env python3
"""mdfuzz.py SEED COUNT DIR — write COUNT random modules into DIR/modules.

Used by t0203-markdown-fuzz.sh: random but valid Markdown built from the
pieces that are hard to render safely (entities for forbidden characters,
raw HTML, markup characters, nesting, code, links, media, components), so
that every page of the bundle must come out as well-formed XML.  The
modules contain no errors on purpose (warnings, such as raw HTML or
skipped heading levels, are fine): the bundle must build.
"""
import random
import sys

seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
r = random.Random(seed)

WORDS = ("jag du vi sömn oro känslor tankar beteende självkänsla "
         "övning vardag behandlare ångest Århus Ölands ÅÄÖ naïve café "
         "مرحبا 睡眠 😀 x²").split()
HAZARDS = ["&amp;", "&lt;", "&gt;", "&quot;", "&#1;", "&#0;", "&#xFFFE;",
           "&#xFFFF;", "&#55296;", "&#x110000;", "&#x1F600;", "&nbsp;",
           "&copy;", "5 < 6", "a & b", "\"citat\"", "'enkel'", "\\*",
           "\\[", "\\<", "<b>", "</i>", "<!-- c -->", "<br>", "<x y='1'>",
           "]]>", "<![CDATA[", "--", "\u00a0", "\u2028", "\u200b", "\t"]


def words(n):
    out = []
    for _ in range(n):
        out.append(r.choice(HAZARDS) if r.random() < 0.2 else r.choice(WORDS))
    return " ".join(out)


def inline():
    k = r.random()
    if k < 0.1:
        return "*" + words(2) + "*"
    if k < 0.2:
        return "**" + words(2) + "**"
    if k < 0.3:
        return "`" + words(2).replace("`", "") + "`"
    if k < 0.38:
        return "[%s](https://www.1177.se/%s?a=1&b=%d \"%s\")" % (
            words(3), r.choice(["somn", "oro", "x y", "å"]), r.randint(0, 9),
            words(1).replace('"', ""))
    if k < 0.42:
        return "[%s](01-intro.md)" % words(2)
    if k < 0.46:
        return "![%s](../media/te.png%s)" % (
            words(3).replace("]", "").replace("[", "") or "bild",
            r.choice(["", ' "%s"' % words(2).replace('"', "")]))
    return words(r.randint(1, 8))


def para():
    return " ".join(inline() for _ in range(r.randint(1, 5))) + r.choice([".", "!", "", "  \nny rad", "\\\nrad"])


def block(depth):
    k = r.random()
    if depth < 5 and k < 0.12:
        return "\n".join("> " + l if l else ">" for l in block(depth + 1).split("\n"))
    if depth < 5 and k < 0.24:
        marker = r.choice(["-", "*", "1.", "3)"])
        items = []
        for _ in range(r.randint(1, 3)):
            b = block(depth + 1).split("\n")
            pad = " " * (len(marker) + 1)
            items.append(marker + " " + b[0] + "".join("\n" + (pad + l if l else "") for l in b[1:]))
        return "\n".join(items)
    if k < 0.32:
        return "%s %s" % ("#" * r.randint(1, 6), words(3).replace("#", ""))
    if k < 0.38:
        fence = r.choice(["```", "~~~~"])
        return "%s%s\n%s\n%s" % (fence, r.choice(["", "sh", "py<>&\"", "x y"]),
                                 words(6) + "\n" + words(3), fence)
    if k < 0.42:
        return "```form\nref: mood\n```"
    if k < 0.45:
        return "<div onclick=\"x()\">\n%s\n</div>" % words(4)
    if k < 0.48:
        return "---"
    return para()


for i in range(count):
    body = "\n\n".join(block(0) for _ in range(r.randint(1, 25)))
    # A title is one line of printable text (docs/registry.md, "Names,
    # titles and comments"): the hazards are for the body.
    title = "".join(ch for ch in words(2).replace("\n", " ").replace("\\", "")
                    if ch.isprintable())
    with open("%s/modules/%02d-f%d.md" % (out, i + 3, i), "w", encoding="utf-8") as f:
        f.write("---\ntitle: %s\nminutes: %d\n---\n%s\n" % (
            '"' + title.replace('"', "'") + '"', r.randint(1, 60), body))
