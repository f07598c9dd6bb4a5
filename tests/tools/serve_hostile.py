"""serve_hostile.py: steg serve against hostile HTTP clients, as TAP.

    python3 serve_hostile.py STEG DB CERTS CLINICIAN PUBLISHER BUNDLES

Oversized headers, oversized bodies (declared and chunked), slowloris and
half-open connections, path traversal, malformed multipart uploads and a
zip bomb: each is refused with its status, the server answers another
client afterwards (within a bounded, polled wait while the attack is still
going on), and the registry holds what it held before (only refusal rows
are added to the audit log).  Run by tests/t0910-serve-hostile.sh.
"""
import os
import socket
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import (Server, Tap, poll, read_response, registry, rows_but_audit,  # noqa: E402
                      sanitizer_report)

STEG, DB, CERTS, CLIN, PUB, BUNDLES = sys.argv[1:7]
MAX_BODY = 1 << 20          # --max-body for this run
tap = Tap()

# ---- the registry before and after -------------------------------------
def snapshot():
    """Every row of every table but the audit log (and its hashing state),
    and the audit log's length."""
    with registry(DB) as con:
        return rows_but_audit(con), con.execute("SELECT count(*) FROM audit").fetchone()[0]


def audit_since(n):
    with registry(DB) as con:
        return con.execute("SELECT actor, action, outcome, detail FROM audit WHERE seq > ?"
                           " ORDER BY seq", (n,)).fetchall()


def unchanged(before):
    rows, n = before
    now, _ = snapshot()
    if now != rows:
        changed = [t for t in set(now) | set(rows) if now.get(t) != rows.get(t)]
        return "the registry changed: tables %s" % ", ".join(sorted(changed))
    bad = [r for r in audit_since(n) if r[2] == "ok"]
    if bad:
        return "audit rows with outcome ok after a refused request: %r" % bad
    return True


srv = Server(STEG, DB, CERTS, args=["--max-body", str(MAX_BODY), "--threads", "4"])


def alive(who=CLIN, seconds=5):
    """The server answers /healthz and a logged-in API read, each within a
    bounded wait."""
    t0 = time.monotonic()
    st, _, body = srv.request("GET", "/healthz", timeout=seconds)
    if st != 200 or body != b"ok\n":
        return "GET /healthz: %s %r" % (st, body[:200])
    st, _, body = srv.request("GET", "/api/v1/me", user=who, timeout=seconds)
    if st != 200:
        return "GET /api/v1/me as %s: %s %r" % (who, st, body[:200])
    dt = time.monotonic() - t0
    return True if dt < seconds else "answered after %.1f s" % dt


def head_of(buf):
    return buf.split(b"\r\n\r\n", 1)[0].decode("latin-1")


def is_problem(buf):
    return "content-type: application/problem+json" in head_of(buf).lower()


def refused(status, buf, want, problem=True):
    if status not in want:
        return "status %s, want %s; got:\n%s" % (status, want, buf[:600].decode("latin-1"))
    if problem and not is_problem(buf):
        return "status %s without application/problem+json:\n%s" % (status, head_of(buf))
    return True


# ---- headers ------------------------------------------------------------
before = snapshot()


def big_header():
    req = (b"GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 100000 +
           b"\r\n\r\n")
    st, buf = srv.raw(req, user=CLIN)
    return refused(st, buf, (431, 413, 400), problem=False)


def many_headers():
    req = b"GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\n" + \
        b"".join(b"X-H%d: v\r\n" % i for i in range(5000)) + b"\r\n"
    st, buf = srv.raw(req, user=CLIN)
    return refused(st, buf, (431, 413, 400), problem=False)


def long_url():
    req = b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    st, buf = srv.raw(req, user=CLIN)
    return refused(st, buf, (414, 431, 413, 400), problem=False)


tap.check("a 100 kB header is refused (431)", big_header)
tap.check("5000 headers are refused (431)", many_headers)
tap.check("a 100 kB request line is refused (414 or 431)", long_url)
tap.check("the server answers others after the oversized headers", alive)

# ---- bodies -------------------------------------------------------------
def declared_too_big(path):
    def f():
        s = srv.tls_socket(CLIN)
        try:
            s.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: localhost\r\n"
                      b"Origin: https://localhost:%d\r\n"
                      b"Content-Type: application/octet-stream\r\n"
                      b"Content-Length: 1000000000000\r\n\r\n" % srv.port + b"x" * 1000)
            t0 = time.monotonic()
            st, buf = read_response(s)
            dt = time.monotonic() - t0
        finally:
            s.close()
        r = refused(st, buf, (413,))
        if r is not True:
            return r
        return True if dt < 5 else "413 only after %.1f s: the body was read" % dt
    return f


def chunked_too_big(path, total):
    def f():
        s = srv.tls_socket(CLIN)
        try:
            s.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: localhost\r\n"
                      b"Origin: https://localhost:%d\r\n"
                      b"Content-Type: application/octet-stream\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n" % srv.port)
            chunk = b"%x\r\n" % 65536 + b"z" * 65536 + b"\r\n"
            sent = 0
            try:
                while sent < total:
                    s.sendall(chunk)
                    sent += 65536
                s.sendall(b"0\r\n\r\n")
            except (ConnectionError, ssl.SSLError, OSError):
                pass  # the server may close once it has refused
            st, buf = read_response(s)
        finally:
            s.close()
        return refused(st, buf, (413,))
    return f


tap.check("a form POST declaring a terabyte is refused (413) before its body is read",
          declared_too_big("/api/v1/units"))
tap.check("a chunked form POST over the limit is refused (413)",
          chunked_too_big("/api/v1/units", 4 << 20))
tap.check("the server answers others after the oversized bodies", alive)
tap.check("nothing was written to the registry by the oversized requests",
          lambda: unchanged(before))

# ---- slowloris and half-open connections --------------------------------
def slowloris():
    """150 TLS connections from 127.0.0.2 that send a request line and then
    a header byte now and then, 100 TCP connections from 127.0.0.3 that
    never start TLS; meanwhile a client on 127.0.0.1 must be answered, and
    after the slow ones are gone, too."""
    slow, half = [], []
    try:
        for _ in range(150):
            try:
                s = srv.tls_socket(CLIN, source="127.0.0.2", timeout=5)
                s.sendall(b"GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                slow.append(s)
            except (ConnectionError, ssl.SSLError, OSError, socket.timeout):
                break  # the server refuses more from this address: fine
        for _ in range(100):
            try:
                half.append(socket.create_connection(("127.0.0.1", srv.port), timeout=5,
                                                     source_address=("127.0.0.3", 0)))
            except OSError:
                break
        if len(slow) < 20:
            return "only %d slow connections could be opened" % len(slow)
        # A byte on each slow connection, while the other client asks.
        for s in slow:
            try:
                s.sendall(b"a")
            except (ConnectionError, ssl.SSLError, OSError):
                pass
        t0 = time.monotonic()
        r = poll(lambda: alive(seconds=10) is True, 10)
        dt = time.monotonic() - t0
        if not r:
            return "no answer within 10 s with %d slow and %d half-open connections open:\n%s" % (
                len(slow), len(half), alive(seconds=2))
        print("# answered in %.2f s beside %d slow TLS and %d half-open connections"
              % (dt, len(slow), len(half)))
        return True
    finally:
        for s in slow + half:
            try:
                s.close()
            except OSError:
                pass


tap.check("slowloris: another client is answered within 10 s while 150 slow and 100 "
          "half-open connections are open", slowloris)
tap.check("the server answers others after the slow connections are gone", alive)

# ---- path traversal -----------------------------------------------------
TRAVERSALS = [
    "/../../../../etc/passwd",
    "/assets/../../../../etc/passwd",
    "/assets/..%2f..%2f..%2fetc%2fpasswd",
    "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/assets/%252e%252e/etc/passwd",
    "/assets/serve.css/../../../../etc/passwd",
    "/assets/..\\..\\..\\etc\\passwd",
    "/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/units/..%2f..%2f..%2fetc%2fpasswd",
    "/api/v1/units/..%2f..%2fusers/programs",
    "/api/v1/../../etc/passwd",
    "//etc/passwd",
    "/assets/serve.css%00.html",
    "/%00",
    "/healthz/../api/v1/me",
]


def traversal(path, user):
    def f():
        req = ("GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" % path).encode()
        st, buf = srv.raw(req, user=user)
        body = buf.split(b"\r\n\r\n", 1)[-1]
        if b"root:" in body or b"/bin/" in body:
            return "a system file was served:\n%r" % buf[:400]
        # A page's 404 is a page; the API's is problem+json.
        return refused(st, buf, (400, 404), problem=path.startswith("/api/"))
    return f


for p in TRAVERSALS:
    tap.check("path traversal %s is refused (400 or 404%s)" % (
        p, ", problem+json" if p.startswith("/api/") else ""), traversal(p, CLIN))
tap.check("path traversal without a certificate: /healthz/../api/v1/me is not the user's data",
          lambda: (lambda st, buf: True if st != 200 and b"SE23" not in buf else
                   "status %s: %r" % (st, buf[:300]))(
              *srv.raw(b"GET /healthz/../api/v1/me HTTP/1.1\r\nHost: localhost\r\n"
                       b"Connection: close\r\n\r\n")))
tap.check("the server answers others after the traversals", alive)
tap.check("nothing was written to the registry by the traversals", lambda: unchanged(before))

# ---- malformed multipart and a zip bomb ----------------------------------
UPLOAD = os.environ.get("STEG_SERVE_UPLOAD", "")


def post_upload(content_type, body, user=PUB):
    h = {"Content-Type": content_type,
         "Origin": "https://localhost:%d" % srv.port, "Sec-Fetch-Site": "same-origin"}
    h["X-CSRF-Token"] = csrf_token(user)
    return srv.request("POST", UPLOAD, user=user, headers=h, body=body, timeout=30)


def csrf_token(user):
    import json
    st, _, body = srv.request("GET", "/api/v1/me", user=user)
    return json.loads(body).get("csrf_token", "")


def multipart(parts, boundary=b"steg-boundary-1", close=True):
    out = b""
    for headers, data in parts:
        out += b"--" + boundary + b"\r\n" + headers + b"\r\n\r\n" + data + b"\r\n"
    if close:
        out += b"--" + boundary + b"--\r\n"
    return out


def bundle_bytes(name):
    with open(os.path.join(BUNDLES, name), "rb") as f:
        return f.read()


if UPLOAD:
    good = bundle_bytes("base.steg")
    part = b'Content-Disposition: form-data; name="bundle"; filename="x.steg"\r\n' \
           b"Content-Type: application/octet-stream"
    MALFORMED = [
        ("no boundary in the Content-Type", "multipart/form-data",
         multipart([(part, good)])),
        ("a boundary that never occurs", "multipart/form-data; boundary=nowhere",
         multipart([(part, good)])),
        ("no closing boundary", "multipart/form-data; boundary=steg-boundary-1",
         multipart([(part, good)], close=False)),
        ("a part without Content-Disposition", "multipart/form-data; boundary=steg-boundary-1",
         multipart([(b"Content-Type: application/octet-stream", good)])),
        ("a part header of 64 kB", "multipart/form-data; boundary=steg-boundary-1",
         multipart([(part + b"\r\nX-Pad: " + b"p" * 65536, good)])),
        ("an empty body", "multipart/form-data; boundary=steg-boundary-1", b""),
        ("a truncated bundle", "multipart/form-data; boundary=steg-boundary-1",
         multipart([(part, good[:len(good) // 2])])),
    ]
    for what, ctype, body in MALFORMED:
        def f(ctype=ctype, body=body):
            st, h, b = post_upload(ctype, body)
            if st not in (400, 413, 415, 422):
                return "status %s: %r" % (st, b[:400])
            if h.get("content-type", "").split(";")[0] != "application/problem+json":
                return "content type %r" % h.get("content-type")
            return True
        tap.check("malformed multipart upload: %s is refused (4xx, problem+json)" % what, f)
    tap.check("the server answers others after the malformed uploads", alive)
    tap.check("nothing was imported from the malformed uploads", lambda: unchanged(before))

    def zip_bomb():
        bomb = bundle_bytes("bomb.steg")
        t0 = time.monotonic()
        st, h, b = post_upload("multipart/form-data; boundary=steg-boundary-1",
                               multipart([(part, bomb)]))
        dt = time.monotonic() - t0
        if st not in (400, 413, 422):
            return "status %s: %r" % (st, b[:400])
        if h.get("content-type", "").split(";")[0] != "application/problem+json":
            return "content type %r" % h.get("content-type")
        if dt > 10:
            return "refused only after %.1f s" % dt
        return True
    tap.check("a zip bomb bundle upload (50 MB declared as 100 bytes) is refused", zip_bomb)
    tap.check("the server answers others after the zip bomb", alive)
    tap.check("nothing was imported from the zip bomb; its refusal is in the audit log",
              lambda: unchanged(before) is True and
              any(r[2] == "refused" for r in audit_since(before[1])) or
              "%r / audit: %r" % (unchanged(before), audit_since(before[1])))

    def big_key():
        # A .pub upload is capped at 4 KiB: 100 kB of "key" is refused as
        # it streams, whoever sends it, and nothing is trusted.
        kpart = b'Content-Disposition: form-data; name="key"; filename="big.pub"\r\n' \
                b"Content-Type: application/octet-stream"
        body = multipart([(b'Content-Disposition: form-data; name="_csrf"', csrf_token(PUB).encode()),
                          (kpart, b"k" * 100000)])
        h = {"Content-Type": "multipart/form-data; boundary=steg-boundary-1",
             "Origin": "https://localhost:%d" % srv.port, "Sec-Fetch-Site": "same-origin"}
        st, hh, b = srv.request("POST", "/confirm/trust-add", user=PUB, headers=h, body=body,
                                timeout=30)
        return st == 413 or "status %s: %r" % (st, b[:400])
    tap.check("a 100 kB public key upload to /confirm/trust-add is refused (413)", big_key)
    tap.check("the server answers others after the oversized key", alive)
    tap.check("nothing was trusted from the oversized key", lambda: unchanged(before))
else:
    print("# this steg serve has no bundle upload (STEG_SERVE_UPLOAD unset): no multipart or zip bomb checks yet")

# ---- the end --------------------------------------------------------------
rc = srv.stop()
tap.ok(rc == 0, "SIGTERM stops the server with exit 0", "exit %r" % rc)
log = srv.log_text()
tap.ok(not sanitizer_report(log), "no sanitizer report in the server's output", log[-3000:])
sys.exit(tap.done())
