"""openapi_check.py: steg serve against docs/openapi.yaml, as TAP.

    python3 openapi_check.py STEG DB CERTS OPENAPI SOURCES ROLES PARAMS

ROLES is a JSON object from role name to the HSA-id whose certificate
plays it ("none": no certificate); PARAMS a JSON object giving a value to
each path parameter of the document (by name).  SOURCES is the server's
source folder (runtime/serve).

What is checked:
- the document is OpenAPI 3.1 with JSON Schemas that are themselves valid
  (Draft 2020-12), every operation has an operationId and an x-steg-roles
  table, every error answer is application/problem+json with the Problem
  schema;
- every documented operation, asked by each role of its x-steg-roles table,
  answers the status the table names, with a content type the document
  lists for that status, and a body valid against its schema (jsonschema);
  operations that change state are taken in the document's order, the
  refused roles first (and the registry must then be unchanged), the
  allowed role last;
- a state change without the session's token, or from another origin, is
  refused (403, problem+json) and changes nothing;
- every /api/v1/ route the server's sources name is documented, an
  undocumented method on a documented path is refused (404 or 405,
  problem+json), and an undocumented path under /api/v1/ is 404.
"""
import json
import os
import re
import sys

import jsonschema
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, Tap, registry, rows_but_audit, sanitizer_report  # noqa: E402

STEG, DB, CERTS, DOC, SOURCES, ROLES, PARAMS = sys.argv[1:8]
ROLES = json.loads(ROLES)
PARAMS = json.loads(PARAMS)
tap = Tap()
with open(DOC, encoding="utf-8") as f:
    doc = yaml.safe_load(f)
METHODS = ("get", "put", "post", "delete", "patch")
WRITES = ("put", "post", "delete", "patch")


def ops():
    for path, item in doc.get("paths", {}).items():
        for m in METHODS:
            if m in item:
                yield path, m, item[m]


# ---- the document itself ------------------------------------------------
def doc_shape():
    if not str(doc.get("openapi", "")).startswith("3.1"):
        return "openapi is %r, not 3.1.x" % doc.get("openapi")
    if doc.get("jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base") not in (
            "https://spec.openapis.org/oas/3.1/dialect/base",
            "https://json-schema.org/draft/2020-12/schema"):
        return "unexpected jsonSchemaDialect %r" % doc.get("jsonSchemaDialect")
    problems = []
    for name, s in doc.get("components", {}).get("schemas", {}).items():
        try:
            jsonschema.Draft202012Validator.check_schema(s)
        except jsonschema.SchemaError as e:
            problems.append("components.schemas.%s: %s" % (name, e.message))
    ids = set()
    for path, m, op in ops():
        where = "%s %s" % (m.upper(), path)
        if not path.startswith("/api/v1/"):
            problems.append("%s: not under /api/v1/" % where)
        if "operationId" not in op:
            problems.append("%s: no operationId" % where)
        elif op["operationId"] in ids:
            problems.append("%s: operationId %s twice" % (where, op["operationId"]))
        ids.add(op.get("operationId"))
        roles = op.get("x-steg-roles")
        if not isinstance(roles, dict) or not roles:
            problems.append("%s: no x-steg-roles table" % where)
        for role, st in (roles or {}).items():
            if role not in ROLES:
                problems.append("%s: x-steg-roles names an unknown role %r" % (where, role))
            if str(st) not in {str(k) for k in op.get("responses", {})}:
                problems.append("%s: x-steg-roles says %s for %s, which is not among its responses"
                                % (where, st, role))
        for st, resp in op.get("responses", {}).items():
            resp = deref(resp)
            if str(st)[0] in "45":
                c = resp.get("content", {})
                if list(c) != ["application/problem+json"]:
                    problems.append("%s %s: an error must be application/problem+json only, not %s"
                                    % (where, st, list(c)))
        for p in op.get("parameters", []) + doc["paths"][path].get("parameters", []):
            p = deref(p)
            if p.get("in") == "path" and p["name"] not in PARAMS:
                problems.append("%s: no test value for path parameter %s" % (where, p["name"]))
    return "\n".join(problems) if problems else True


def deref(x):
    while isinstance(x, dict) and "$ref" in x:
        ref = x["$ref"]
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
        x = node
    return x


def validator(schema):
    # The schema with the document's components beside it, so that
    # "#/components/schemas/X" resolves against the document.
    root = dict(schema)
    root["components"] = doc.get("components", {})
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())


def fill(path):
    return re.sub(r"\{([^}]+)\}", lambda m: PARAMS[m.group(1)], path)


def snapshot():
    with registry(DB) as con:
        return rows_but_audit(con)


tap.check("docs/openapi.yaml is OpenAPI 3.1 with valid schemas, an operationId and a role "
          "table for every operation, and problem+json errors", doc_shape)

srv = Server(STEG, DB, CERTS)
tokens = {}


def token(role):
    if role not in tokens:
        st, _, body = srv.request("GET", "/api/v1/me", user=ROLES[role])
        tokens[role] = json.loads(body)["csrf_token"] if st == 200 else ""
    return tokens[role]


def ask(path, m, op, role, csrf=True, origin=True):
    headers = {"Accept": "application/json"}
    body = None
    if m in WRITES:
        if origin:
            headers["Origin"] = "https://localhost:%d" % srv.port
            headers["Sec-Fetch-Site"] = "same-origin"
        else:
            headers["Origin"] = "https://evil.example"
            headers["Sec-Fetch-Site"] = "cross-site"
        if csrf and ROLES.get(role):
            headers["X-CSRF-Token"] = token(role)
        rb = op.get("requestBody")
        if rb:
            rb = deref(rb)
            ctype, media = next(iter(rb["content"].items()))
            ex = media.get("example")
            if ex is None and media.get("examples"):
                ex = deref(next(iter(media["examples"].values()))).get("value")
            if isinstance(ex, str):
                ex = fill(ex)
            body = (json.dumps(ex) if ctype.endswith("json") else ex or "").encode()
            headers["Content-Type"] = ctype
        else:
            body = b""
    # A required query parameter is sent with the document's example.
    query = []
    for p in op.get("parameters", []):
        p = deref(p)
        if p.get("in") == "query" and p.get("required"):
            query.append("%s=%s" % (p["name"], p["example"]))
    url = fill(path) + ("?" + "&".join(query) if query else "")
    return srv.request(m.upper(), url, user=ROLES.get(role), headers=headers, body=body)


def judge(path, m, op, role, want, st, h, body):
    if st != int(want):
        return "status %s, the document says %s; body: %s" % (st, want, body[:400])
    resp = deref(op["responses"].get(str(want)) or op["responses"].get(int(want)))
    content = resp.get("content", {})
    ctype = h.get("content-type", "").split(";")[0].strip()
    if not content:
        return True if not body else "a body the document does not have: %r" % body[:200]
    if ctype not in content:
        return "content type %r, the document says %s" % (ctype, list(content))
    schema = content[ctype].get("schema")
    if schema is not None:
        try:
            data = json.loads(body)
        except ValueError as e:
            return "not JSON: %s: %r" % (e, body[:200])
        errs = sorted(validator(schema).iter_errors(data), key=lambda e: list(e.path))
        if errs:
            return "\n".join("%s: %s" % ("/".join(map(str, e.path)) or "(root)", e.message)
                             for e in errs[:10]) + "\nbody: %s" % json.dumps(data)[:600]
    return True


# ---- every operation, every role ------------------------------------------
for path, m, op in ops():
    roles = op.get("x-steg-roles") or {}
    allowed = [r for r, st in roles.items() if str(st)[0] == "2"]
    order = [r for r in roles if r not in allowed] + allowed if m in WRITES else list(roles)
    for role in order:
        want = roles[role]
        what = "%s %s as %s: %s" % (m.upper(), path, role, want)
        if m in WRITES and str(want)[0] != "2":
            def f(path=path, m=m, op=op, role=role, want=want):
                before = snapshot()
                st, h, body = ask(path, m, op, role)
                r = judge(path, m, op, role, want, st, h, body)
                if r is True and snapshot() != before:
                    return "refused, but the registry changed"
                return r
        else:
            if m in WRITES:
                # Before the allowed request: the same without the token,
                # and from another site, are refused and change nothing.
                def g(path=path, m=m, op=op, role=role):
                    before = snapshot()
                    for kw in ({"csrf": False}, {"origin": False}):
                        st, h, body = ask(path, m, op, role, **kw)
                        if st != 403 or not h.get("content-type", "").startswith(
                                "application/problem+json"):
                            return "%s: status %s %s" % (kw, st, body[:300])
                    return True if snapshot() == before else "the registry changed"
                tap.check("%s %s as %s without the session token, or from another site: 403"
                          % (m.upper(), path, role), g)

            def f(path=path, m=m, op=op, role=role, want=want):
                st, h, body = ask(path, m, op, role)
                return judge(path, m, op, role, want, st, h, body)
        tap.check(what, f)


# ---- nothing undocumented -------------------------------------------------
def templates():
    out = []
    for path in doc.get("paths", {}):
        out.append(re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"))
    return out


def source_routes():
    """The /api/v1/ paths the server's sources spell: whole literals, and
    prefixes (a literal ending in '/', whose continuation the code reads)."""
    found = set()
    for name in sorted(os.listdir(SOURCES)):
        if name.endswith(".c"):
            with open(os.path.join(SOURCES, name), encoding="utf-8") as f:
                for lit in re.findall(r'"(/api/v1/[^"]*)"', f.read()):
                    found.add(lit)
    return sorted(found)


def undocumented_in_sources():
    tpl = templates()
    filled = [re.sub(r"\{[^}]+\}", "x", p) for p in doc.get("paths", {})]
    missing = []
    for lit in source_routes():
        if lit.endswith("/"):
            ok = any(p.startswith(lit) for p in filled)
        else:
            ok = any(t.match(lit) for t in tpl)
        if not ok:
            missing.append(lit)
    if not source_routes():
        return "no /api/v1/ route found in %s: the check would see nothing" % SOURCES
    return True if not missing else "named in %s but not documented: %s" % (SOURCES, ", ".join(missing))


tap.check("every /api/v1/ route named in the server's sources is documented", undocumented_in_sources)


def other_methods():
    bad = []
    for path, item in doc.get("paths", {}).items():
        for m in ("get", "post", "delete", "put", "patch"):
            if m in item:
                continue
            h = {"Origin": "https://localhost:%d" % srv.port, "Sec-Fetch-Site": "same-origin"}
            st, hh, body = srv.request(m.upper(), fill(path), user=ROLES["admin"], headers=h,
                                       body=b"" if m != "get" else None)
            if st not in (404, 405) or not hh.get("content-type", "").startswith("application/problem+json"):
                bad.append("%s %s: %s %s" % (m.upper(), path, st, hh.get("content-type")))
    return True if not bad else "\n".join(bad)


tap.check("an undocumented method on a documented path is refused (404 or 405, problem+json)",
          other_methods)


def unknown_paths():
    bad = []
    for p in ("/api/v1/", "/api/v1/nothing", "/api/v2/me", "/api/v1/me/extra", "/api/v1/units/x/y/z"):
        st, h, body = srv.request("GET", p, user=ROLES["admin"])
        if st != 404 or not h.get("content-type", "").startswith("application/problem+json"):
            bad.append("%s: %s %s" % (p, st, h.get("content-type")))
    return True if not bad else "\n".join(bad)


tap.check("an undocumented path under /api/v1/ is 404 problem+json", unknown_paths)

rc = srv.stop()
tap.ok(rc == 0, "SIGTERM stops the server with exit 0", "exit %r" % rc)
log = srv.log_text()
tap.ok(not sanitizer_report(log), "no sanitizer report in the server's output", log[-3000:])
sys.exit(tap.done())
