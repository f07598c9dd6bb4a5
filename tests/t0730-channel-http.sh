#!/bin/sh
# t0730 — two regions over HTTP on loopback: region A shares into a folder
# that a real web server (python3 -m http.server on 127.0.0.1) serves,
# region B syncs the URL: a newer version arrives, a replayed older index
# is refused, a tampered bundle is refused, and B's registry is unchanged
# after each refusal.  The transport carries no trust: the signatures do.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/channel-lib.sh"
setup_regions || { echo "Bail out! cannot set up the two regions"; exit 1; }
C=$W/www
mkdir -p "$C"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$C" "$PORT" > "$W/http.log" 2>&1 &
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

test_expect_success 'region B syncs what region A shares over HTTP' '
	share_a se.test.bas@1.0.0 "$C" > /dev/null &&
	sync_b "$URL" > out &&
	grep -Fx "imported se.test.bas@1.0.0 (Basprogram), $(wc -c < "$W/v1.steg") bytes, sha256 $(sha256sum "$W/v1.steg" | cut -d" " -f1), signed by $RA" out &&
	tail -n 1 out | sed "s/expires [^;]*;/expires T;/" > got &&
	echo "synced '"'"'$URL'"'"': index sequence 1 of '"'"'$RA'"'"', expires T; 1 new bundle imported, 0 already here" > want &&
	test_cmp want got &&
	sqlite3 "$W/B.db" "SELECT program, version, bundle_sha256, signed_by FROM versions" > got &&
	echo "se.test.bas|1.0.0|$(sha256sum "$W/v1.steg" | cut -d" " -f1)|$RA" > want &&
	test_cmp want got &&
	grep -q "\"GET /index.json HTTP/1.1\" 200" "$W/http.log" &&
	grep -q "\"GET /se.test.bas-1.0.0.steg HTTP/1.1\" 200" "$W/http.log" &&
	test "$(sqlite3 "$W/B.db" "SELECT action, object, outcome FROM audit ORDER BY seq DESC LIMIT 1")" = "sync|$URL|ok"
'

test_expect_success 'a newer version arrives; what B has is not fetched again' '
	cp "$C/index.json" "$C/index.json.minisig" "$W/" &&
	share_a se.test.bas@1.1.0 "$C" > /dev/null &&
	: > "$W/http.log" &&
	sync_b "$URL/" > out &&
	tail -n 1 out | grep -q "index sequence 2 of .*; 1 new bundle imported, 1 already here$" &&
	"$STEG" --db "$W/B.db" list | cut -f1 > got &&
	printf "se.test.bas@1.0.0\nse.test.bas@1.1.0\n" > want && test_cmp want got &&
	! grep -q "se.test.bas-1.0.0.steg" "$W/http.log" &&
	test "$(sqlite3 "$W/B.db" "SELECT sequence FROM channel_seen WHERE region = '"'"'$RA'"'"'")" = 2
'

test_expect_success 'a replayed older index is refused' '
	mkdir keep && cp "$C/index.json" "$C/index.json.minisig" keep/ &&
	cp "$W/index.json" "$W/index.json.minisig" "$C/" &&
	when=$(sqlite3 "$W/B.db" "SELECT synced_at FROM channel_seen") &&
	sync_refused "refusing the channel index: its sequence 1 is older than 2, the last seen from '"'"'$RA'"'"' (at $when); an old index is being replayed: sync from the partner'"'"'s own channel, or ask the partner to share again" "$URL" &&
	cp keep/* "$C/"
'

test_expect_success 'a tampered bundle is refused, and the genuine one then imports' '
	share_a se.test.bas@1.2.0 "$C" > /dev/null &&
	cp "$C/se.test.bas-1.2.0.steg" genuine.steg &&
	python3 - "$C/se.test.bas-1.2.0.steg" <<-\EOF2 &&
	import sys
	p = sys.argv[1]
	d = bytearray(open(p, "rb").read())
	d[len(d) // 3] ^= 0x01
	open(p, "wb").write(bytes(d))
	EOF2
	sha=$(sha256sum genuine.steg | cut -d" " -f1) &&
	bad=$(sha256sum "$C/se.test.bas-1.2.0.steg" | cut -d" " -f1) &&
	test "$sha" != "$bad" &&
	sync_refused "'"'"'$URL/se.test.bas-1.2.0.steg'"'"' is not the bundle the signed index names: sha256 $bad and $(wc -c < "$C/se.test.bas-1.2.0.steg") bytes, the index says $sha and $(wc -c < genuine.steg) bytes; the partner may be sharing right now: sync again later, and tell the partner if it stays; nothing was imported" "$URL" &&
	cp genuine.steg "$C/se.test.bas-1.2.0.steg" &&
	sync_b "$URL" > out &&
	tail -n 1 out | grep -q "index sequence 3 of .*; 1 new bundle imported, 2 already here$"
'

test_expect_success 'a missing file, a wrong URL and an oversized index are refused' '
	mv "$C/se.test.bas-1.2.0.steg" "$W/hold.steg" &&
	"$STEG" --db "$W/A.db" share se.test.bas@1.2.0 --channel "$W/www2" --key "$W/a.key" --unencrypted --as $APUB > /dev/null &&
	mv "$W/hold.steg" "$C/se.test.bas-1.2.0.steg" &&
	sync_refused "'"'"'$URL/nowhere/index.json'"'"' is not there (HTTP 404); '"'"'$URL/nowhere'"'"' is not a signed channel (index.json and index.json.minisig); check the location, or ask the partner to share into it with '"'"'steg share'"'"'" "$URL/nowhere" &&
	mkdir -p "$C/big" && python3 -c "open(\"$C/big/index.json\", \"w\").write(\" \" * (5 << 20))" &&
	sync_refused "'"'"'$URL/big/index.json'"'"' is larger than 4194304 bytes; '"'"'$URL/big'"'"' is not a signed channel (index.json and index.json.minisig); check the location, or ask the partner to share into it with '"'"'steg share'"'"'" "$URL/big"
'

test_expect_success 'a URL that nobody answers is an I/O failure, not a refusal' '
	b_state before.state &&
	run out sync_b "http://127.0.0.1:1/" &&
	test $rc = 3 &&
	grep -q "^steg: error: cannot fetch '"'"'http://127.0.0.1:1/index.json'"'"'" out &&
	b_state after.state && test_cmp before.state after.state
'

test_done
