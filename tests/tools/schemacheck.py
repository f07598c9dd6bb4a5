#!/usr/bin/env python3
"""schemacheck.py -- validate Steg sources against schemas/*.schema.json.

Editors check program.yaml, forms, exercises and front matter against the
JSON Schemas in schemas/ (draft-07).  This validates the same files from
the command line with python3-jsonschema, reading YAML with python3-yaml
(Debian packages; scripts/install-deps.sh installs both).  YAML is read as
YAML 1.2's core schema reads it, as editors and stegc do: only true/false
are booleans, a date stays text, 010 is ten; a key twice in one mapping is
an error, as in stegc.

Usage:
  schemacheck.py SCHEMA.json FILE...       each FILE is YAML, JSON, or a
                                           module (.md: its front matter)
  schemacheck.py --program SCHEMAS_DIR PROGRAM_DIR
                                           every file of a program folder
                                           with its schema, inline
                                           ```exercise blocks included
Prints "FILE: PATH: message" per problem, in the order of the file.  Exit
0 when all is valid, 1 when something is not, 2 on a usage error or a
schema that is not valid draft-07.
"""

import json
import os
import re
import sys

import jsonschema
import yaml


# ---- YAML 1.2 core schema on PyYAML's safe loader ----------------------

class Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1 (yes/no booleans, dates, octal 010); Steg's
    sources are YAML 1.2 core: null, true/false, integers, floats, text."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for knode, _ in node.value:
            key = self.construct_object(knode, deep=True)
            try:
                dup = key in seen
                seen.add(key)
            except TypeError:
                continue        # an unhashable key: PyYAML says so
            if dup:
                raise yaml.constructor.ConstructorError(
                    None, None, "duplicate key '%s'" % key, knode.start_mark)
        return super().construct_mapping(node, deep)


Loader.yaml_implicit_resolvers = {}
for _tag, _re, _first in (
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
        ("int", r"^[-+]?[0-9]+$", list("-+0123456789")),
        ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                  r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+0123456789."))):
    Loader.add_implicit_resolver("tag:yaml.org,2002:" + _tag, re.compile(_re), _first)
Loader.add_constructor("tag:yaml.org,2002:int",
                       lambda loader, node: int(loader.construct_scalar(node)))
Loader.add_constructor("tag:yaml.org,2002:float",
                       lambda loader, node: float(loader.construct_scalar(node).lower()
                                                  .replace(".inf", "inf").replace(".nan", "nan")))


def load_yaml(text):
    """The document, or raise ValueError("line N: what")."""
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        what = getattr(e, "problem", None) or str(e)
        if mark is not None:
            raise ValueError("line %d: %s" % (mark.line + 1, what)) from None
        raise ValueError(what) from None


# ---- files ---------------------------------------------------------------

_FENCE = re.compile(r"^(`{3,}|~{3,})[ \t]*(\w+)[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M)


def front_matter(text):
    """The YAML between the leading '---' lines of a module, and the body."""
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---\n", 3)
    if end < 0:
        end = text.find("\n---", 3)
        if end < 0 or text[end + 4:].strip():
            return None, text
    return text[4:end + 1], text[end + 5:]


def load_file(path):
    """(data, error) for a YAML, JSON or module file."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        if path.endswith(".json"):
            return json.loads(text), None
        if path.endswith(".md"):
            fm, _ = front_matter(text)
            if fm is None:
                return None, "no front matter"
            return load_yaml(fm), None
        return load_yaml(text), None
    except ValueError as e:
        return None, str(e)


# ---- validation ----------------------------------------------------------

def validator(schema, root=None):
    """A draft-07 validator for schema; a part of a bigger schema (root)
    resolves its "#/definitions/..." references against root's."""
    if root is not None and schema is not root and "definitions" in root:
        schema = dict(schema, definitions=root["definitions"])
    return jsonschema.Draft7Validator(schema)


def _required_only(s):
    return isinstance(s, dict) and set(s) == {"required"}


def _messages(e):
    """(path, message) pairs for one jsonschema error.  jsonschema's own
    words, except where they would be unclear: an unknown key is named at
    its own path, a pattern is shown as written, and the two shapes of
    "not" the Steg schemas use say what they mean."""
    path = tuple(e.absolute_path)
    if e.validator == "additionalProperties" and e.validator_value is False:
        props = e.schema.get("properties", {})
        return [(path + (k,), "unknown key '%s'" % k) for k in e.instance if k not in props]
    if e.validator == "pattern":
        return [(path, "'%s' does not match %s" % (e.instance, e.validator_value))]
    if e.validator == "not":
        sub = e.validator_value
        subs = [sub] if _required_only(sub) else \
            sub.get("anyOf", []) if isinstance(sub, dict) and set(sub) == {"anyOf"} else []
        if isinstance(e.instance, dict) and subs and all(_required_only(x) for x in subs):
            keys = [k for x in subs for k in x["required"] if k in e.instance]
            return [(path, "%s %s not apply to this type" % (
                "key" if len(keys) == 1 else "keys",
                ", ".join("'%s'" % k for k in keys) + (" does" if len(keys) == 1 else " do")))]
        if isinstance(sub, dict) and set(sub) == {"enum"}:
            return [(path, "%s is reserved and cannot be used here"
                     % json.dumps(e.instance, ensure_ascii=False))]
    return [(path, e.message)]


def _order(data, path):
    """Where path is in the document: the position of each step."""
    key, node = [], data
    for step in path:
        if isinstance(node, dict):
            keys = list(node)
            key.append(keys.index(step) if step in node else len(keys))
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int):
            key.append(step)
            node = node[step] if step < len(node) else None
        else:
            key.append(0)
    return key


def validate(data, schema, root=None):
    """The (path, message) problems of data, in the order of the document."""
    out = []
    for e in validator(schema, root).iter_errors(data):
        out += _messages(e)
    out.sort(key=lambda pm: _order(data, pm[0]))
    return out


def _ptr(path):
    return "/" + "/".join(str(p) for p in path) if path else "/"


def check(schema, path, data=None, label=None):
    """Print the problems of one instance; return their number."""
    label = label or path
    if data is None:
        data, err = load_file(path)
        if err:
            print("%s: %s" % (label, err))
            return 1
    errs = validate(data, schema)
    for p, msg in errs:
        print("%s: %s: %s" % (label, _ptr(p), msg))
    return len(errs)


def load_schema(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    return schema


def check_program(schemas_dir, prog):
    sp, sm, sf, se = (load_schema(os.path.join(schemas_dir, n + ".schema.json"))
                      for n in ("program", "module", "form", "exercise"))
    n = check(sp, os.path.join(prog, "program.yaml"))
    for sub, s in (("forms", sf), ("exercises", se)):
        d = os.path.join(prog, sub)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                if name.endswith((".yaml", ".yml")):
                    n += check(s, os.path.join(d, name))
    d = os.path.join(prog, "modules")
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if not name.endswith(".md"):
            continue
        path = os.path.join(d, name)
        n += check(sm, path)
        with open(path, encoding="utf-8") as f:
            _, body = front_matter(f.read())
        for k, m in enumerate(_FENCE.finditer(body)):
            if m.group(2) != "exercise":
                continue
            label = "%s: exercise block %d" % (path, k + 1)
            try:
                data = load_yaml(m.group(3))
            except ValueError as e:
                print("%s: %s" % (label, e))
                n += 1
                continue
            if isinstance(data, dict) and "ref" in data:
                continue    # a reference, checked by stegc
            n += check(se, path, data, label)
    return n


def main(argv):
    try:
        if len(argv) == 3 and argv[0] == "--program":
            return 1 if check_program(argv[1], argv[2]) else 0
        if len(argv) < 2 or argv[0].startswith("-"):
            print(__doc__.split("Usage:")[1].split("Prints")[0].rstrip(), file=sys.stderr)
            return 2
        schema = load_schema(argv[0])
        n = 0
        for path in argv[1:]:
            n += check(schema, path)
        return 1 if n else 0
    except jsonschema.SchemaError as e:
        print("schema error: %s" % e.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
