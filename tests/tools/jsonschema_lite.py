#!/usr/bin/env python3
"""jsonschema_lite — validate Steg sources against schemas/*.schema.json
with the Python standard library only.

Editors check program.yaml, forms, exercises and front matter against the
JSON Schemas in schemas/ (draft-07).  The test t0050-json-schemas.sh makes
sure that those schemas accept every example and refuse wrong files, on a
machine where the jsonschema package may be missing; so this file
implements the part of draft-07 that the schemas use, and refuses any
other keyword rather than silently ignoring it (a schema that grew a
keyword this validator does not know fails loudly, not open).

Supported: type (with integer/number/boolean kept apart as JSON Schema
does), enum, const, pattern, minLength, maxLength, minimum, maximum,
exclusiveMinimum, minItems, uniqueItems, items, properties, required,
additionalProperties, $ref (local: #/definitions/NAME), allOf, anyOf,
oneOf, not, if/then/else; annotations ($schema, $id, title, description,
default, examples, definitions) are read and ignored.

Usage:
  jsonschema_lite.py SCHEMA.json FILE...     each FILE is YAML, JSON, or a
                                             module (.md: its front matter)
  jsonschema_lite.py --program SCHEMAS_DIR PROGRAM_DIR
                                             every file of a program folder
                                             with its schema, inline
                                             ```exercise blocks included
Prints "FILE: PATH: message" per problem.  Exit 0 when all is valid, 1 when
something is not, 2 on a usage error.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yaml_lite  # noqa: E402

_KNOWN = {
    "$schema", "$id", "title", "description", "definitions", "type", "enum",
    "const", "pattern", "minLength", "maxLength", "minimum", "maximum",
    "exclusiveMinimum", "minItems", "uniqueItems", "items", "properties",
    "required", "additionalProperties", "$ref", "allOf", "anyOf", "oneOf",
    "not", "if", "then", "else", "default", "examples",
}


class SchemaError(Exception):
    pass


def _is_type(v, t):
    if t == "object":
        return isinstance(v, dict)
    if t == "array":
        return isinstance(v, list)
    if t == "string":
        return isinstance(v, str)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "null":
        return v is None
    if t == "integer":
        return (isinstance(v, int) and not isinstance(v, bool)) or \
            (isinstance(v, float) and v.is_integer())
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    raise SchemaError("unknown type '%s'" % t)


def _equal(a, b):
    # JSON equality: 1 == 1.0 but True != 1
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return a == b


def _ptr(path):
    return "/" + "/".join(str(p) for p in path) if path else "(top)"


def _resolve(root, ref):
    if not ref.startswith("#/definitions/"):
        raise SchemaError("only local #/definitions/ references: '%s'" % ref)
    name = ref[len("#/definitions/"):]
    try:
        return root["definitions"][name]
    except KeyError:
        raise SchemaError("unresolved reference '%s'" % ref)


def validate(inst, schema, root=None, path=()):
    """Return a list of (path, message) for inst against schema."""
    if root is None:
        root = schema
    if schema is True:
        return []
    if schema is False:
        return [(path, "no value is allowed here")]
    unknown = set(schema) - _KNOWN
    if unknown:
        raise SchemaError("unsupported keyword(s) %s" % ", ".join(sorted(unknown)))
    errs = []
    if "$ref" in schema:
        # draft-07: siblings of $ref are annotations only
        return validate(inst, _resolve(root, schema["$ref"]), root, path)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(inst, t) for t in types):
            return [(path, "must be %s, not %s" % (" or ".join(types), _json_type(inst)))]
    if "const" in schema and not _equal(inst, schema["const"]):
        errs.append((path, "must be %s" % json.dumps(schema["const"], ensure_ascii=False)))
    if "enum" in schema and not any(_equal(inst, e) for e in schema["enum"]):
        errs.append((path, "must be one of %s, not %s" % (
            ", ".join(json.dumps(e, ensure_ascii=False) for e in schema["enum"]),
            json.dumps(inst, ensure_ascii=False))))
    if isinstance(inst, str):
        if "pattern" in schema and not re.search(schema["pattern"], inst):
            errs.append((path, "'%s' does not match %s" % (inst, schema["pattern"])))
        if "minLength" in schema and len(inst) < schema["minLength"]:
            errs.append((path, "shorter than %d characters" % schema["minLength"]))
        if "maxLength" in schema and len(inst) > schema["maxLength"]:
            errs.append((path, "longer than %d characters" % schema["maxLength"]))
    if _is_type(inst, "number"):
        if "minimum" in schema and inst < schema["minimum"]:
            errs.append((path, "%s is below the minimum %s" % (inst, schema["minimum"])))
        if "maximum" in schema and inst > schema["maximum"]:
            errs.append((path, "%s is above the maximum %s" % (inst, schema["maximum"])))
        if "exclusiveMinimum" in schema and inst <= schema["exclusiveMinimum"]:
            errs.append((path, "%s must be above %s" % (inst, schema["exclusiveMinimum"])))
    if isinstance(inst, list):
        if "minItems" in schema and len(inst) < schema["minItems"]:
            errs.append((path, "needs at least %d item(s)" % schema["minItems"]))
        if schema.get("uniqueItems"):
            for i in range(len(inst)):
                for j in range(i):
                    if _equal(inst[i], inst[j]):
                        errs.append((path + (i,), "duplicate of item %d" % j))
        if "items" in schema:
            for i, v in enumerate(inst):
                errs += validate(v, schema["items"], root, path + (i,))
    if isinstance(inst, dict):
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            if k not in inst:
                errs.append((path, "missing required key '%s'" % k))
        for k, v in inst.items():
            if k in props:
                errs += validate(v, props[k], root, path + (k,))
            elif "additionalProperties" in schema:
                ap = schema["additionalProperties"]
                if ap is False:
                    errs.append((path + (k,), "unknown key '%s'" % k))
                else:
                    errs += validate(v, ap, root, path + (k,))
    for sub in schema.get("allOf", []):
        errs += validate(inst, sub, root, path)
    if "anyOf" in schema:
        results = [validate(inst, s, root, path) for s in schema["anyOf"]]
        if all(results):
            errs.append((path, "matches none of the alternatives (%s)" %
                         "; ".join(r[0][1] for r in results)))
    if "oneOf" in schema:
        n = sum(1 for s in schema["oneOf"] if not validate(inst, s, root, path))
        if n != 1:
            errs.append((path, "must match exactly one alternative, matches %d" % n))
    if "not" in schema and not validate(inst, schema["not"], root, path):
        errs.append((path, _not_message(inst, schema["not"])))
    if "if" in schema:
        if not validate(inst, schema["if"], root, path):
            if "then" in schema:
                errs += validate(inst, schema["then"], root, path)
        elif "else" in schema:
            errs += validate(inst, schema["else"], root, path)
    return errs


def _required_only(s):
    return isinstance(s, dict) and set(s) == {"required"}


def _not_message(inst, sub):
    """Say in words why inst matched a schema it must not match, for the
    shapes the Steg schemas use: forbidden keys and reserved words."""
    if isinstance(inst, dict):
        subs = [sub] if _required_only(sub) else sub.get("anyOf", []) if set(sub) == {"anyOf"} else []
        if subs and all(_required_only(x) for x in subs):
            keys = [k for x in subs for k in x["required"] if k in inst]
            return "%s %s not apply to this type" % (
                ("key" if len(keys) == 1 else "keys"),
                ", ".join("'%s'" % k for k in keys) + (" does" if len(keys) == 1 else " do"))
    if set(sub) == {"enum"}:
        return "%s is reserved and cannot be used here" % json.dumps(inst, ensure_ascii=False)
    return "must not match %s" % json.dumps(sub, ensure_ascii=False)


def _json_type(v):
    if isinstance(v, bool):
        return "a boolean"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    return "an object"


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
            return yaml_lite.load(fm), None
        return yaml_lite.load(text), None
    except (ValueError, yaml_lite.YamlError) as e:
        return None, str(e)


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


def check_program(schemas_dir, prog):
    def schema(name):
        with open(os.path.join(schemas_dir, name + ".schema.json"), encoding="utf-8") as f:
            return json.load(f)
    sp, sm, sf, se = (schema(n) for n in ("program", "module", "form", "exercise"))
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
                data = yaml_lite.load(m.group(3))
            except yaml_lite.YamlError as e:
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
        with open(argv[0], encoding="utf-8") as f:
            schema = json.load(f)
        n = 0
        for path in argv[1:]:
            n += check(schema, path)
        return 1 if n else 0
    except SchemaError as e:
        print("schema error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
