"""servelib.py: what the tests and the bench of `steg serve` share.

Start the server on a free port and wait for the address it prints (the
printed line is the synchronisation, never a sleep); TLS contexts that log
in as a user with scripts/demo-certs.sh's certificates; one request; TAP.

    srv = Server(steg, db, certs)          # started, srv.port set
    st, hdrs, body = srv.request("GET", "/api/v1/me", user=CLIN1)
    srv.stop()                             # SIGTERM; exit code
    with registry(db) as con: ...          # read it while the server runs

Python's standard library only (ssl, http.client, subprocess).
"""
import contextlib
import http.client
import os
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time


class Server:
    def __init__(self, steg, db, certs, args=(), env=None, log=None):
        self.certs = certs
        self.log = log or os.path.join(os.path.dirname(os.path.abspath(db)), "serve.log")
        cmd = [steg, "--db", db, "serve", "--port", "0",
               "--cert", os.path.join(certs, "server.pem"),
               "--key", os.path.join(certs, "server.key"),
               "--client-ca", os.path.join(certs, "ca.pem")]
        crl = os.path.join(certs, "crl.pem")
        if os.path.exists(crl) and "--no-crl" not in args:
            cmd += ["--crl", crl]
        cmd += [a for a in args if a != "--no-crl"]
        self.errf = open(self.log, "wb")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.errf,
                                     env=env or os.environ)
        line = self._first_line(30)
        if not line.startswith("serving https://"):
            self.proc.kill()
            raise RuntimeError("steg serve did not start: %r; log:\n%s" % (line, self.log_text()))
        self.url = line.split()[1]
        hostport = self.url.split("//", 1)[1].rstrip("/")
        self.host, port = hostport.rsplit(":", 1)
        self.port = int(port)
        self._ctx = {}

    def _first_line(self, seconds):
        # readline in a thread, bounded: a server that hangs before printing
        # fails the run instead of hanging it.
        out = []
        t = threading.Thread(target=lambda: out.append(self.proc.stdout.readline()), daemon=True)
        t.start()
        t.join(seconds)
        return out[0].decode("utf-8", "replace").strip() if out else ""

    def log_text(self):
        if not self.errf.closed:
            self.errf.flush()
        with open(self.log, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def context(self, user=None):
        """A TLS client context trusting the demo CA, presenting user's
        certificate (none when user is None)."""
        if user not in self._ctx:
            ctx = ssl.create_default_context(cafile=os.path.join(self.certs, "ca.pem"))
            if user:
                ctx.load_cert_chain(os.path.join(self.certs, user + ".pem"),
                                    os.path.join(self.certs, user + ".key"))
            self._ctx[user] = ctx
        return self._ctx[user]

    def connection(self, user=None, timeout=10, source=None):
        return http.client.HTTPSConnection(
            "localhost", self.port, context=self.context(user), timeout=timeout,
            source_address=(source, 0) if source else None)

    def request(self, method, path, user=None, headers=None, body=None, timeout=10):
        """(status, headers as a dict with lower-case names, body bytes)."""
        c = self.connection(user, timeout)
        try:
            h = dict(headers or {})
            c.putrequest(method, path, skip_accept_encoding=True)
            if body is not None and "Content-Length" not in h:
                h["Content-Length"] = str(len(body))
            for k, v in h.items():
                c.putheader(k, v)
            c.endheaders(body)
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def tls_socket(self, user=None, source=None, timeout=10):
        """A raw TLS socket, handshake done, for requests written by hand."""
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=timeout,
                                       source_address=(source, 0) if source else None)
        return self.context(user).wrap_socket(raw, server_hostname="localhost")

    def raw(self, data, user=None, timeout=10, source=None):
        """Write data as is; read the response until the server closes or
        the headers and Content-Length bytes are in.  Returns (status or
        None, the bytes read)."""
        s = self.tls_socket(user, source, timeout)
        try:
            try:
                s.sendall(data)
            except (ConnectionError, ssl.SSLError, OSError):
                # A server that refuses a request once it has read too
                # much of it answers and closes before the rest is sent:
                # what it answered is still to be read.
                pass
            return read_response(s)
        finally:
            s.close()

    def stop(self, seconds=30):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(seconds)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return "killed"
        self.errf.close()
        return self.proc.returncode


def read_response(s):
    buf = b""
    need = None
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            if need is None and b"\r\n\r\n" in buf:
                head = buf.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
                need = 0
                for line in head.split("\r\n")[1:]:
                    if line.startswith("content-length:"):
                        need = int(line.split(":", 1)[1])
            if need is not None and len(buf.split(b"\r\n\r\n", 1)[1]) >= need:
                break
    except (ConnectionError, ssl.SSLError, socket.timeout, OSError):
        pass
    status = None
    if buf.startswith(b"HTTP/1."):
        try:
            status = int(buf.split(b" ", 2)[1])
        except (ValueError, IndexError):
            pass
    return status, buf


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=""):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, what), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, what), flush=True)
            for line in str(detail).splitlines()[:40]:
                print("#   " + line)
        return cond

    def check(self, what, fn):
        """fn returns True, or a string saying what went wrong."""
        try:
            r = fn()
        except Exception as e:  # an exception is a failed check, not a crash
            import traceback
            r = traceback.format_exc()
            del e
        return self.ok(r is True or r is None, what, "" if r in (True, None) else r)

    def done(self):
        print("1..%d" % self.n)
        return 0 if self.failed == 0 else 1


def poll(fn, seconds, every=0.05):
    """Call fn until it returns a true value or seconds have passed; the
    last value.  Polling a condition, bounded, not sleeping for one."""
    end = time.monotonic() + seconds
    while True:
        v = fn()
        if v or time.monotonic() >= end:
            return v
        time.sleep(every)


@contextlib.contextmanager
def registry(db):
    """A read-only connection to the registry db, closed after the block:
    for reading what the server wrote while it runs, never writing."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        yield con
    finally:
        con.close()


def rows_but_audit(con):
    """Every row of every table but the audit log and its hashing state,
    table by table, each sorted: the registry's state, to compare."""
    out = {}
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        if t not in ("audit", "audit_hashing"):
            out[t] = sorted(repr(r) for r in con.execute('SELECT * FROM "%s"' % t))
    return out


def sanitizer_report(text):
    return any(m in text for m in ("AddressSanitizer", "runtime error:", "LeakSanitizer"))


if __name__ == "__main__":
    sys.exit("servelib.py is a module")
