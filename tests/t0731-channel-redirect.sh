#!/bin/sh
# t0731 — a channel behind a redirect: region B syncs an address that
# answers with HTTP redirects to where the files are, and the audit log
# records where each file was really fetched from (after the redirects),
# not only the address B was given.  A channel that is not redirected
# records no such note.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/channel-lib.sh"
setup_regions || { echo "Bail out! cannot set up the two regions"; exit 1; }
C=$W/www
mkdir -p "$C"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# /moved/X answers 302 to /hop/X, which answers 301 to /files/X, served
# from $C.
python3 - "$C" "$PORT" > "$W/http.log" 2>&1 <<'EOF2' &
import http.server, os, sys
root, port = sys.argv[1], int(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        for src, code, dst in (("/moved/", 302, "/hop/"), ("/hop/", 301, "/files/")):
            if self.path.startswith(src):
                self.send_response(code)
                self.send_header("Location", dst + self.path[len(src):])
                self.end_headers()
                return
        name = self.path[len("/files/"):]
        p = os.path.join(root, name)
        if not self.path.startswith("/files/") or "/" in name or not os.path.isfile(p):
            self.send_error(404)
            return
        data = open(p, "rb").read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
EOF2
HTTP_PID=$!
trap 'kill $HTTP_PID 2> /dev/null; rm -rf "$TRASH_ROOT"' EXIT
URL=http://127.0.0.1:$PORT
python3 - "$PORT" <<'EOF2' || { echo "Bail out! the web server did not start"; exit 1; }
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF2

test_expect_success 'a redirected sync records where each file was fetched from' '
	share_a se.test.bas@1.0.0 "$C" > /dev/null &&
	sync_b "$URL/moved" > out &&
	tail -n 1 out | grep -q "; 1 new bundle imported, 0 already here$" &&
	grep -q "\"GET /hop/index.json HTTP/1.[01]\" 301" "$W/http.log" &&
	sqlite3 "$W/B.db" "SELECT action, object, detail FROM audit WHERE action IN ('"'"'import'"'"', '"'"'sync'"'"') ORDER BY seq" > got &&
	exp=$(sqlite3 "$W/B.db" "SELECT expires FROM channel_seen") &&
	sha=$(sha256sum "$W/v1.steg" | cut -d" " -f1) &&
	printf "%s\n" \
		"import|se.test.bas@1.0.0|sha256 $sha, $(wc -c < "$W/v1.steg") bytes, signed by key $(KEYID_A) of '"'"'$RA'"'"', from channel '"'"'$URL/moved'"'"', se.test.bas-1.0.0.steg fetched from '"'"'$URL/files/se.test.bas-1.0.0.steg'"'"'" \
		"sync|$URL/moved|index of '"'"'$RA'"'"', sequence 1, expires $exp, index.json fetched from '"'"'$URL/files/index.json'"'"', index.json.minisig fetched from '"'"'$URL/files/index.json.minisig'"'"'; imported 1: se.test.bas@1.0.0; already here 0" > want &&
	test_cmp want got
'

test_expect_success 'a channel that is not redirected records no such note' '
	share_a se.test.bas@1.1.0 "$C" > /dev/null &&
	sync_b "$URL/files/" > /dev/null &&
	sqlite3 "$W/B.db" "SELECT detail FROM audit WHERE action IN ('"'"'import'"'"', '"'"'sync'"'"') ORDER BY seq DESC LIMIT 2" > got &&
	! grep -q "fetched from" got &&
	grep -q "from channel '"'"'$URL/files/'"'"'$" got
'

test_done
