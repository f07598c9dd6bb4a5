"""serve_pool.py: steg serve's registry connections under concurrent
requests, as TAP.

    python3 serve_pool.py STEG DB CERTS ADMIN CLIN1 CLIN2 PROGRAM@VERSION UNIT...

The server keeps a pool of registry connections that requests borrow and
hand back, its writers take turns on a mutex, and their commits share one
sync of the log (runtime/registry.h, RT_OPEN_SHARED).  What must hold:

- writers at once: one thread per unit, each on its own kept-alive
  connection as ADMIN, activates and deactivates PROGRAM at its unit
  ROUNDS times; every answer is 200, the audit log has exactly one 'ok'
  row for each, the chain holds (steg audit --check), and every unit ends
  as it began (inactive);
- authorisation per request: CLIN1 and CLIN2 each on a kept-alive
  connection (the same socket throughout), after other requests have
  warmed the pool: CLIN2 deactivated by the command line (another
  process) is refused 403 on the very next request on that connection,
  and CLIN1 moved to another unit through the web by ADMIN sees the new
  unit on its very next request.
"""
import json
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, Tap, registry, sanitizer_report  # noqa: E402

STEG, DB, CERTS, ADMIN, CLIN1, CLIN2, REF = sys.argv[1:8]
UNITS = sys.argv[8:]
PROG, VER = REF.split("@")
ROUNDS = 15
tap = Tap()
srv = Server(STEG, DB, CERTS)


def call(conn, method, path, headers=None, body=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r.status, r.read()


def state_headers(conn):
    st, body = call(conn, "GET", "/api/v1/me")
    token = json.loads(body)["csrf_token"] if st == 200 else ""
    return {"Origin": "https://localhost:%d" % srv.port, "Sec-Fetch-Site": "same-origin",
            "X-CSRF-Token": token, "Content-Type": "application/json"}


def audit_max():
    with registry(DB) as con:
        return con.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0]


def audit_ok_rows(since):
    with registry(DB) as con:
        return con.execute("SELECT unit, action, outcome FROM audit WHERE seq > ? AND "
                           "action IN ('activate', 'deactivate')", (since,)).fetchall()


def writers():
    n0 = audit_max()
    answers = {u: [] for u in UNITS}

    def toggle(unit):
        conn = srv.connection(ADMIN, timeout=30)
        try:
            h = state_headers(conn)
            body = json.dumps({"program": PROG, "version": VER})
            for _ in range(ROUNDS):
                for what in ("activations", "deactivations"):
                    st, _ = call(conn, "POST", "/api/v1/units/%s/%s" % (unit, what), h, body)
                    answers[unit].append((what, st))
        finally:
            conn.close()

    ts = [threading.Thread(target=toggle, args=(u,)) for u in UNITS]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    bad = [(u, a) for u in UNITS for a in answers[u] if a[1] != 200]
    if bad or any(len(answers[u]) != 2 * ROUNDS for u in UNITS):
        return "not every change answered 200: %r" % (bad[:10] or
                                                       {u: len(answers[u]) for u in UNITS})
    rows = audit_ok_rows(n0)
    want = sorted((u, a, "ok") for u in UNITS for a in ("activate", "deactivate")
                  for _ in range(ROUNDS))
    if sorted(rows) != want:
        return "audit rows: %d, want %d; first ones: %r" % (len(rows), len(want), rows[:6])
    p = subprocess.run([STEG, "--db", DB, "audit", "--check"], capture_output=True, text=True)
    if p.returncode != 0:
        return "steg audit --check: %s" % (p.stdout + p.stderr)
    with registry(DB) as con:
        active = con.execute("SELECT count(*) FROM activations WHERE active = 1").fetchone()[0]
    return True if active == 0 else "%d activations still active" % active


tap.check("%d writers at once, %d changes each: every one 200, one 'ok' audit row each, "
          "the chain holds" % (len(UNITS), 2 * ROUNDS), writers)

# ---- authorisation on a kept-alive connection ----------------------------
c1 = srv.connection(CLIN1)
c2 = srv.connection(CLIN2)


def warm():
    """Requests by several users over several connections, so that the
    pool holds more than one connection, each having read the users."""
    for st, _ in (call(c1, "GET", "/api/v1/me"), call(c2, "GET", "/api/v1/me")):
        if st != 200:
            return "GET /api/v1/me answered %d" % st
    ts = []
    errs = []

    def reads():
        c = srv.connection(ADMIN)
        for _ in range(10):
            st, _ = call(c, "GET", "/api/v1/me")
            if st != 200:
                errs.append(st)
        c.close()
    ts = [threading.Thread(target=reads) for _ in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    return True if not errs else "reads answered %r" % errs


tap.check("the pool is warm: every request answered 200", warm)
sock1, sock2 = c1.sock, c2.sock


def deactivated_at_once():
    p = subprocess.run([STEG, "--db", DB, "user", "deactivate", CLIN2, "--as", ADMIN],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return "steg user deactivate: %s" % (p.stdout + p.stderr)
    st, body = call(c2, "GET", "/api/v1/me")
    if c2.sock is not sock2:
        return "the connection was not kept alive"
    if st != 403 or b"is deactivated" not in body:
        return "the next request answered %d: %r" % (st, body[:300])
    return True


tap.check("a user deactivated from the command line is refused (403) on the very next "
          "request on their kept-alive connection", deactivated_at_once)


def moved_at_once():
    c = srv.connection(ADMIN)
    h = state_headers(c)
    st, body = call(c, "POST", "/api/v1/users/%s/role" % CLIN1, h,
                    json.dumps({"role": "clinician", "unit": UNITS[1]}))
    c.close()
    if st != 200:
        return "the role change answered %d: %r" % (st, body[:300])
    st, body = call(c1, "GET", "/api/v1/me")
    if c1.sock is not sock1:
        return "the connection was not kept alive"
    me = json.loads(body) if st == 200 else {}
    return True if me.get("unit") == UNITS[1] else \
        "the next request answered %d: %r" % (st, body[:300])


tap.check("a clinician moved to another unit on the web has that unit on the very next "
          "request on their kept-alive connection", moved_at_once)
c1.close()
c2.close()

rc = srv.stop()
log = srv.log_text()
tap.ok(rc == 0 and not sanitizer_report(log), "SIGTERM stops the server cleanly (exit 0)",
       "exit %r; log:\n%s" % (rc, log[-3000:]))
sys.exit(tap.done())
