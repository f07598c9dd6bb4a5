"""serve_agree.py: the command line and the web agree, as TAP.

    python3 serve_agree.py STEG CLI_DB WEB_DB CERTS CASES

CLI_DB and WEB_DB are two copies of one registry.  CASES is a JSON list
of [who, action, ref, extra]: action one of activate, deactivate, approve,
publish, unpublish, retire, user-add, user-deactivate, import, unit-add,
trust-add, trust-remove; ref an ID@VERSION (a user's HSA-id for
user-deactivate, a bundle file for import, a unit's HSA-id for unit-add,
a region's HSA-id for trust-add and trust-remove); extra the unit
(activate, deactivate, publish, unpublish), [name, role, unit]
(user-add), [role, unit or null] (user-role, ref the user), the unit's
name (unit-add), [.pub file, comment] (trust-add) or the key id
(trust-remove).  Each case is done as `steg ... --as WHO`
on CLI_DB and as WHO's certificate through steg serve's JSON API on
WEB_DB, in the same order; then

- each case's outcome agrees: exit 0 and 200/201, exit 1 and a refusal
  (403, 404, 409, 422, problem+json) whose `reason` is a code, whose
  `detail_en` is the command line's message and whose `detail` is other
  words (Swedish) that name no command to type (docs/serve.md, "Reasons");
- at the end both registries hold the same rows (times left out) and
  their audit logs the same rows (actor, role, unit, action, object,
  outcome, detail) in the same order, and both chains hold.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, Tap, registry, sanitizer_report  # noqa: E402

STEG, CLI_DB, WEB_DB, CERTS, CASES = sys.argv[1:6]
CASES = json.loads(CASES)
tap = Tap()
srv = Server(STEG, WEB_DB, CERTS)
tokens = {}


def token(who):
    if who not in tokens:
        st, _, body = srv.request("GET", "/api/v1/me", user=who)
        tokens[who] = json.loads(body)["csrf_token"] if st == 200 else ""
    return tokens[who]


def cli(who, action, ref, extra):
    argv = [STEG, "--db", CLI_DB]
    if action == "user-add":
        name, role, unit = extra
        argv += ["user", "add", ref, "--name", name, "--role", role]
        argv += ["--unit", unit] if unit else []
    elif action == "user-deactivate":
        argv += ["user", "deactivate", ref]
    elif action == "import":
        argv += ["import", ref, "--allow-unsigned"]
    elif action == "user-role":
        argv += ["user", "role", ref, "--role", extra[0]]
        argv += ["--unit", extra[1]] if extra[1] else []
    elif action == "unit-add":
        argv += ["unit", "add", ref, "--name", extra]
    elif action == "trust-add":
        argv += ["trust", "add", "--region", ref, "--key", extra[0]]
        argv += ["--comment", extra[1]] if extra[1] else []
    elif action == "trust-remove":
        argv += ["trust", "remove", "--region", ref, "--key-id", extra]
    else:
        argv += [action, ref]
        if extra:
            argv += ["--unit", extra]
    argv += ["--as", who]
    p = subprocess.run(argv, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def web(who, action, ref, extra):
    h = {"Origin": "https://localhost:%d" % srv.port, "Sec-Fetch-Site": "same-origin",
         "X-CSRF-Token": token(who), "Content-Type": "application/json"}
    body = b""
    if action == "import":
        h["Content-Type"] = "application/octet-stream"
        with open(ref, "rb") as f:
            body = f.read()
        path = "/api/v1/imports?allow_unsigned=1"
    elif action == "user-add":
        name, role, unit = extra
        d = {"hsa_id": ref, "name": name, "role": role}
        if unit:
            d["unit"] = unit
        body = json.dumps(d).encode()
        path = "/api/v1/users"
    elif action == "user-deactivate":
        path = "/api/v1/users/%s/deactivation" % ref
    elif action == "user-role":
        d = {"role": extra[0]}
        if extra[1]:
            d["unit"] = extra[1]
        body = json.dumps(d).encode()
        path = "/api/v1/users/%s/role" % ref
    elif action == "unit-add":
        body = json.dumps({"hsa_id": ref, "name": extra}).encode()
        path = "/api/v1/units"
    elif action == "trust-add":
        with open(extra[0], encoding="utf-8") as f:
            pub = f.read().splitlines()[1]
        d = {"region": ref, "public_key": pub}
        if extra[1]:
            d["comment"] = extra[1]
        body = json.dumps(d).encode()
        path = "/api/v1/trusted-keys"
    elif action == "trust-remove":
        body = json.dumps({"region": ref}).encode()
        path = "/api/v1/trusted-keys/%s/removal" % extra
    else:
        prog, version = ref.split("@")
        if action in ("activate", "deactivate"):
            path = "/api/v1/units/%s/%ss" % (extra, "activation" if action == "activate"
                                             else "deactivation")
            body = json.dumps({"program": prog, "version": version}).encode()
        else:
            what = {"approve": "approval", "retire": "retirement",
                    "publish": "publications", "unpublish": "withdrawals"}[action]
            path = "/api/v1/programs/%s/versions/%s/%s" % (prog, version, what)
            if action in ("publish", "unpublish"):
                body = json.dumps({"units": [extra]}).encode()
    return srv.request("POST", path, user=who, headers=h, body=body)


COMMAND = re.compile(r"\bstegc? [a-z]|--[a-z]")


def worded(out, body):
    """A refusal: its reason has a code, detail_en is the command line's
    message (and so the audit row's), detail is other words that name no
    command to type."""
    p = json.loads(body)
    msg = out.strip().splitlines()[-1] if out.strip() else ""
    if not p.get("reason"):
        return "the refusal has no reason code: %s" % body[:300]
    if msg != "steg: error: " + p.get("detail_en", ""):
        return "detail_en is not the command line's message %r: %s" % (msg, body[:400])
    if p.get("detail") == p.get("detail_en") or COMMAND.search(p.get("detail", "")):
        return "detail is the English or names a command: %s" % body[:400]
    return True


for who, action, ref, extra in CASES:
    def f(who=who, action=action, ref=ref, extra=extra):
        rc, out = cli(who, action, ref, extra)
        st, h, body = web(who, action, ref, extra)
        ctype = h.get("content-type", "").split(";")[0]
        if rc == 0 and st in (200, 201) and ctype == "application/json":
            return True
        if rc == 1 and st in (403, 404, 409, 422) and ctype == "application/problem+json":
            return worded(out, body)
        return "steg exited %d (%s); the web answered %d %s: %s" % (
            rc, out.strip()[:300], st, ctype, body[:300])
    tap.check("%s %s %s as %s: the command line and the web agree"
              % (action, ref if action != "import" else os.path.basename(ref),
                 extra if isinstance(extra, str) else "", who), f)

srv_rc = srv.stop()

STATE = {
    "versions": "program, version, approved_by, approved_at IS NULL, retired_by, "
                "retired_at IS NULL, imported_by, bundle_sha256, signed_by",
    "publications": "program, version, unit, published_by, withdrawn_by, withdrawn_at IS NULL",
    "activations": "program, version, unit, activated_by, active, deactivated_by",
    "users": "hsa_id, name, role, unit, active, created_by, deactivated_by",
    "organisations": "hsa_id, kind, name, created_by",
    "trusted_keys": "region, keyid, pubkey, comment, added_by, removed_by, "
                    "removed_at IS NULL",
}


def state(db):
    with registry(db) as con:
        out = {}
        for t, cols in STATE.items():
            out[t] = sorted(repr(r) for r in con.execute("SELECT %s FROM %s" % (cols, t)))
        out["audit"] = [repr(r) for r in con.execute(
            "SELECT actor, role, unit, action, object, outcome, detail FROM audit ORDER BY seq")]
        return out


def same():
    a, b = state(CLI_DB), state(WEB_DB)
    bad = []
    for t in a:
        if a[t] != b[t]:
            only_a = [r for r in a[t] if r not in b[t]]
            only_b = [r for r in b[t] if r not in a[t]]
            bad.append("%s differs:\n  command line only: %s\n  web only: %s"
                       % (t, only_a[:5], only_b[:5]))
    return True if not bad else "\n".join(bad)


tap.check("both registries hold the same rows and the same audit rows, in order", same)


def chains():
    for db in (CLI_DB, WEB_DB):
        p = subprocess.run([STEG, "--db", db, "audit", "--check"], capture_output=True, text=True)
        if p.returncode != 0:
            return "%s: %s" % (db, p.stdout + p.stderr)
    return True


tap.check("both audit chains hold (steg audit --check)", chains)
tap.ok(srv_rc == 0, "SIGTERM stops the server with exit 0", "exit %r" % srv_rc)
log = srv.log_text()
tap.ok(not sanitizer_report(log), "no sanitizer report in the server's output", log[-3000:])
sys.exit(tap.done())
