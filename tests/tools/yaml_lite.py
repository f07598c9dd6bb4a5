"""yaml_lite — the subset of YAML that Steg's sources use, read with the
Python standard library only.

The schema test (tests/t0050-json-schemas.sh) must run on a fresh Debian
machine where neither PyYAML nor jsonschema is installed, so it brings its
own small reader.  It handles what program.yaml, forms, exercises, front
matter and component blocks are written with: block mappings and
sequences (including "- key: value" items), flow sequences and mappings of
scalars ([start, weekly], {value: 1, label: Ja}), plain, single- and
double-quoted scalars, literal and folded block scalars (| |- > >-),
multi-line plain scalars, comments and a leading '---'.  Plain scalars
resolve as YAML 1.2's core schema does: null, true/false, integers,
floats, else text.  Anchors, aliases, tags and multiple documents are not
part of the subset and raise YamlError, as do tabs in indentation and
duplicate keys.  When PyYAML is installed the test also checks that both
readers agree on every example.
"""

import re


class YamlError(Exception):
    def __init__(self, line, msg):
        super().__init__("line %d: %s" % (line, msg))
        self.line = line


_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _resolve(s):
    if s in ("", "~", "null", "Null", "NULL"):
        return None
    if s in ("true", "True", "TRUE"):
        return True
    if s in ("false", "False", "FALSE"):
        return False
    if _INT.match(s):
        return int(s)
    if _FLOAT.match(s):
        return float(s)
    if s in (".inf", "+.inf", ".Inf", "+.Inf"):
        return float("inf")
    if s in ("-.inf", "-.Inf"):
        return float("-inf")
    return s


def _strip_comment(s):
    """Remove a trailing ' # comment' outside quotes."""
    q = None
    i = 0
    while i < len(s):
        c = s[i]
        if q:
            if c == "\\" and q == '"':
                i += 2
                continue
            if c == q:
                if q == "'" and i + 1 < len(s) and s[i + 1] == "'":
                    i += 2
                    continue
                q = None
        elif c in "'\"" and (i == 0 or s[i - 1] in " [{,:"):
            q = c
        elif c == "#" and (i == 0 or s[i - 1] in " \t"):
            return s[:i].rstrip()
        i += 1
    return s.rstrip()


_ESC = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "/": "/", "0": "\0",
        "r": "\r", " ": " ", "a": "\a", "b": "\b", "e": "\x1b", "N": "\x85",
        "_": "\xa0"}


def _double(s, line):
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 >= len(s):
                raise YamlError(line, "bad escape")
            e = s[i + 1]
            if e in _ESC:
                out.append(_ESC[e])
                i += 2
            elif e in "xuU":
                n = {"x": 2, "u": 4, "U": 8}[e]
                out.append(chr(int(s[i + 2:i + 2 + n], 16)))
                i += 2 + n
            else:
                raise YamlError(line, "bad escape '\\%s'" % e)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _scalar(tok, line):
    tok = tok.strip()
    if tok.startswith('"'):
        if len(tok) < 2 or not tok.endswith('"'):
            raise YamlError(line, "unterminated double-quoted scalar")
        return _double(tok[1:-1], line)
    if tok.startswith("'"):
        if len(tok) < 2 or not tok.endswith("'"):
            raise YamlError(line, "unterminated single-quoted scalar")
        return tok[1:-1].replace("''", "'")
    if tok[:1] in ("&", "*", "!", "|", ">", "@", "`", "%"):
        raise YamlError(line, "'%s' is outside the supported YAML subset" % tok[0])
    return _resolve(tok)


def _split_flow(body, line):
    """Split the inside of [...] or {...} at top-level commas."""
    parts, cur, q, depth = [], [], None, 0
    for c in body:
        if q:
            cur.append(c)
            if c == q:
                q = None
            continue
        if c in "'\"":
            q = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(c)
    if q or depth:
        raise YamlError(line, "unbalanced flow collection")
    if "".join(cur).strip():
        parts.append("".join(cur))
    return parts


def _flow(tok, line):
    tok = tok.strip()
    if tok.startswith("["):
        if not tok.endswith("]"):
            raise YamlError(line, "flow sequence must end on its line")
        return [_flow(p, line) for p in _split_flow(tok[1:-1], line)]
    if tok.startswith("{"):
        if not tok.endswith("}"):
            raise YamlError(line, "flow mapping must end on its line")
        out = {}
        for p in _split_flow(tok[1:-1], line):
            k, sep, v = p.partition(":")
            if not sep:
                raise YamlError(line, "flow mapping entry without ':'")
            k = _scalar(k, line)
            if k in out:
                raise YamlError(line, "duplicate key '%s'" % k)
            out[k] = _flow(v, line)
        return out
    return _scalar(tok, line)


_KEY = re.compile(r"""^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"#\[\]{},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+|$)(.*)$""")


class _Lines:
    def __init__(self, text):
        self.raw = text.split("\n")
        if self.raw and self.raw[-1] == "":
            self.raw.pop()   # the final newline ends the last line
        self.i = 0

    def peek(self):
        """(indent, content, lineno) of the next meaningful line, or None."""
        while self.i < len(self.raw):
            l = self.raw[self.i]
            s = l.lstrip(" ")
            if s.startswith("\t"):
                raise YamlError(self.i + 1, "tab in indentation")
            if not s.strip() or s.startswith("#"):
                self.i += 1
                continue
            if self.i == 0 and s.rstrip() == "---":
                self.i += 1
                continue
            if s.rstrip() in ("---", "...") and len(l) == len(s):
                raise YamlError(self.i + 1, "more than one document")
            return len(l) - len(s), s.rstrip(), self.i + 1
        return None


def _block_scalar(lines, header, parent_indent, line):
    style = header[0]
    chomp = "clip"
    for c in header[1:]:
        if c == "-":
            chomp = "strip"
        elif c == "+":
            chomp = "keep"
        elif c.isdigit():
            raise YamlError(line, "explicit indentation indicators are outside the subset")
        else:
            raise YamlError(line, "bad block scalar header '%s'" % header)
    body = []
    indent = None
    while lines.i < len(lines.raw):
        l = lines.raw[lines.i]
        if not l.strip():
            body.append("")
            lines.i += 1
            continue
        ind = len(l) - len(l.lstrip(" "))
        if indent is None:
            if ind <= parent_indent:
                break
            indent = ind
        if ind < indent:
            break
        body.append(l[indent:])
        lines.i += 1
    # trailing empty lines belong to chomping
    trail = 0
    while body and body[-1] == "":
        body.pop()
        trail += 1
    if style == "|":
        text = "\n".join(body)
    else:
        out = ""
        prev_more = False
        for k, b in enumerate(body):
            more = b.startswith(" ") or b == ""
            if k == 0:
                out = b
            elif b == "":
                out += "\n"
            elif more or prev_more:
                out += ("" if out.endswith("\n") else "\n") + b
            else:
                out += ("" if out.endswith("\n") else " ") + b
            prev_more = b.startswith(" ")
        text = out
    if not body:
        return "" if chomp != "keep" else "\n" * trail
    if chomp == "strip":
        return text
    if chomp == "clip":
        return text + "\n"
    return text + "\n" + "\n" * trail


def _plain_continuation(lines, first, indent):
    """A plain scalar may continue on more-indented lines (folded)."""
    parts = [first]
    while lines.i < len(lines.raw):
        l = lines.raw[lines.i]
        if not l.strip():
            break
        ind = len(l) - len(l.lstrip(" "))
        s = l.strip()
        if ind <= indent or s.startswith("#"):
            break
        if _KEY.match(s) or s.startswith("- ") or s == "-":
            break
        parts.append(_strip_comment(s))
        lines.i += 1
    return " ".join(parts)


def _value(lines, rest, indent, line):
    """The value after 'key:' or '- ' whose own line held rest."""
    rest = _strip_comment(rest)
    if rest == "":
        nxt = lines.peek()
        if nxt and (nxt[0] > indent or
                    (nxt[0] == indent and (nxt[1].startswith("- ") or nxt[1] == "-"))):
            return _node(lines, nxt[0])
        return None
    if rest[0] in "|>":
        return _block_scalar(lines, rest, indent, line)
    if rest[0] in "[{":
        return _flow(rest, line)
    if rest[0] in "'\"":
        return _scalar(rest, line)
    return _scalar(_plain_continuation(lines, rest, indent), line)


def _node(lines, indent):
    first = lines.peek()
    if first[1].startswith("- ") or first[1] == "-":
        return _seq(lines, first[0])
    return _map(lines, first[0])


def _seq(lines, indent):
    out = []
    while True:
        p = lines.peek()
        if not p or p[0] < indent:
            return out
        ind, s, line = p
        if ind > indent:
            raise YamlError(line, "bad indentation")
        if not (s.startswith("- ") or s == "-"):
            return out
        lines.i += 1
        rest = s[1:].lstrip(" ")
        if rest and (rest.startswith("- ") or rest == "-" or
                     (rest[0] not in "[{" and _KEY.match(rest))):
            # "- key: value" or "- - x": a collection that starts at the
            # item's content column
            col = ind + (len(s) - len(rest))
            lines.raw[lines.i - 1] = " " * col + rest
            lines.i -= 1
            out.append(_node(lines, col))
        else:
            out.append(_value(lines, rest, ind, line))


def _map(lines, indent):
    out = {}
    while True:
        p = lines.peek()
        if not p or p[0] < indent:
            return out
        ind, s, line = p
        if ind > indent:
            raise YamlError(line, "bad indentation")
        if s.startswith("- ") or s == "-":
            return out
        m = _KEY.match(s)
        if not m:
            raise YamlError(line, "expected 'key: value'")
        lines.i += 1
        key = _scalar(m.group(1), line)
        if key in out:
            raise YamlError(line, "duplicate key '%s'" % key)
        out[key] = _value(lines, m.group(2), ind, line)


def load(text):
    """Parse one YAML document of the subset into dicts, lists and scalars."""
    lines = _Lines(text)
    first = lines.peek()
    if not first:
        return None
    if first[1][0] in "[{" and not _KEY.match(first[1]):
        lines.i += 1
        return _flow(_strip_comment(first[1]), first[2])
    if not (first[1].startswith("- ") or _KEY.match(first[1])):
        lines.i += 1
        return _scalar(_plain_continuation(lines, _strip_comment(first[1]), -1), first[2])
    v = _node(lines, first[0])
    rest = lines.peek()
    if rest:
        raise YamlError(rest[2], "unexpected content")
    return v
