#!/bin/sh
# t0720 — steg share and steg sync through a channel folder: what share
# writes, what sync imports, and each refusal — unsigned, untrusted,
# altered, expired (freeze), replayed (rollback), a bundle that is not the
# one the index names (mix-and-match) — with region B's registry unchanged
# after it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/channel-lib.sh"
setup_regions || { echo "Bail out! cannot set up the two regions"; exit 1; }
C=$W/chan

test_expect_success 'share writes the signed bundle and a signed index' '
	share_a se.test.bas@1.0.0 "$C" > out &&
	exp=$(python3 -c "import json; print(json.load(open(\"$C/index.json\"))[\"expires\"])") &&
	echo "shared se.test.bas@1.0.0 to '"'"'$C'"'"': index sequence 1, 1 bundle, expires $exp" > want &&
	test_cmp want out &&
	(cd "$C" && ls) > got && printf "index.json\nindex.json.minisig\nse.test.bas-1.0.0.steg\n" > want &&
	test_cmp want got &&
	cmp "$C/se.test.bas-1.0.0.steg" "$W/v1.steg" &&
	minisign -V -p "$W/a.pub" -m "$C/index.json" > mv &&
	grep -Fx "Trusted comment: steg kind=index publisher=$RA sequence=1 expires=$exp" mv &&
	python3 - "$C/index.json" "$W/v1.steg" "$RA" <<-\EOF2
	import hashlib, json, sys, time, calendar
	ix = json.load(open(sys.argv[1]))
	data = open(sys.argv[2], "rb").read()
	assert list(ix) == ["format", "format-version", "publisher", "sequence",
	                    "issued", "expires", "bundles"], list(ix)
	assert ix["format"] == "steg-channel" and ix["format-version"] == 1
	assert ix["publisher"] == sys.argv[3] and ix["sequence"] == 1
	t = lambda s: calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))
	assert t(ix["expires"]) - t(ix["issued"]) == 7 * 86400
	assert ix["bundles"] == [{"id": "se.test.bas", "version": "1.0.0",
	    "file": "se.test.bas-1.0.0.steg", "size": len(data),
	    "sha256": hashlib.sha256(data).hexdigest()}], ix["bundles"]
	EOF2
'

test_expect_success 'sync imports from a trusted partner, and again is a no-op' '
	sync_b "$C" > out &&
	tail -n 1 out | sed "s/expires [^;]*;/expires T;/" > got &&
	echo "synced '"'"'$C'"'"': index sequence 1 of '"'"'$RA'"'"', expires T; 1 new bundle imported, 0 already here" > want &&
	test_cmp want got &&
	"$STEG" --db "$W/B.db" list | cut -f1,2 > got &&
	printf "se.test.bas@1.0.0\timported\n" > want && test_cmp want got &&
	test "$(sqlite3 "$W/B.db" "SELECT signed_by FROM versions")" = $RA &&
	test "$(sqlite3 "$W/B.db" "SELECT region, sequence FROM channel_seen")" = "$RA|1" &&
	sync_b "$C" > out &&
	tail -n 1 out | grep -q "0 new bundles imported, 1 already here$"
'

test_expect_success 'the sequence only grows and the index keeps every bundle' '
	share_a se.test.bas@1.1.0 "$C" > out &&
	grep -q "index sequence 2, 2 bundles" out &&
	share_a se.test.bas@1.1.0 "$C" > out &&
	grep -q "index sequence 3, 2 bundles" out &&
	python3 -c "
import json
ix = json.load(open(\"$C/index.json\"))
assert ix[\"sequence\"] == 3
assert [b[\"version\"] for b in ix[\"bundles\"]] == [\"1.0.0\", \"1.1.0\"]
"
'

test_expect_success 'a replayed older index is refused (rollback)' '
	mkdir old && cp "$C/index.json" "$C/index.json.minisig" old/ &&
	sync_b "$C" > /dev/null &&
	share_a se.test.bas@1.2.0 "$C" > /dev/null &&
	sync_b "$C" > /dev/null &&
	mkdir keep && cp "$C/index.json" "$C/index.json.minisig" keep/ &&
	cp old/* "$C"/ &&
	when=$(sqlite3 "$W/B.db" "SELECT synced_at FROM channel_seen") &&
	sync_refused "refusing the channel index: its sequence 3 is older than 4, the last seen from '"'"'$RA'"'"' (at $when); an old index is being replayed: sync from the partner'"'"'s own channel, or ask the partner to share again" "$C" &&
	cp keep/* "$C"/ && sync_b "$C" > /dev/null
'

test_expect_success 'an index without its signature, or signed by an untrusted key, is refused' '
	mkdir c2 && cp "$C"/* c2/ && rm c2/index.json.minisig &&
	sync_refused "'"'"'c2/index.json.minisig'"'"' is not there; '"'"'c2'"'"' is not a signed channel (index.json and index.json.minisig); check the location, or ask the partner to share into it with '"'"'steg share'"'"'" c2 &&
	sign_file "$W/x.key" c2/index.json "steg kind=index publisher=$RA sequence=9 expires=2099-01-01T00:00:00Z" &&
	sync_refused "refusing the channel index: '"'"'c2/index.json'"'"' is signed by key $(sed -n "s/.* //p" "$W/x.pub" | head -1), which is not trusted here; if it comes from a partner region, trust that region'"'"'s public key with '"'"'steg trust add --region HSA-ID --key FILE'"'"' (see '"'"'steg trust list'"'"')" c2 &&
	mkdir empty &&
	sync_refused "'"'"'empty/index.json'"'"' is not there; '"'"'empty'"'"' is not a signed channel (index.json and index.json.minisig); check the location, or ask the partner to share into it with '"'"'steg share'"'"'" empty
'

test_expect_success 'an index altered after signing is refused' '
	mkdir c2 && cp "$C"/* c2/ &&
	sed -i "s/\"sequence\": 4/\"sequence\": 40/" c2/index.json &&
	sync_refused "refusing the channel index: the signature of '"'"'c2/index.json'"'"' by key $(KEYID_A) does not hold: the data or its trusted comment was altered; the partner may be sharing right now: sync again later, and tell the partner if it stays" c2
'

test_expect_success 'an expired index is refused (freeze)' '
	mkdir c2 && cp "$C"/* c2/ &&
	sed -i "s/\"sequence\": 4/\"sequence\": 5/; s/\"expires\": \"[^\"]*\"/\"expires\": \"2026-01-01T00:00:00Z\"/" c2/index.json &&
	sign_file "$W/a.key" c2/index.json "steg kind=index publisher=$RA sequence=5 expires=2026-01-01T00:00:00Z" &&
	sync_refused "refusing the channel index: the signature of '"'"'c2/index.json'"'"' expired at 2026-01-01T00:00:00Z; the partner renews the index by sharing again ('"'"'steg share'"'"'); until then the channel is frozen" c2
'

test_expect_success 'an index whose JSON and signed comment disagree is refused' '
	mkdir c2 && cp "$C"/* c2/ &&
	exp=$(python3 -c "import json; print(json.load(open(\"c2/index.json\"))[\"expires\"])") &&
	sign_file "$W/a.key" c2/index.json "steg kind=index publisher=$RA sequence=99 expires=$exp" &&
	sync_refused "refusing the channel index: its publisher, sequence or expiry differs from what its signature says; it was altered after signing: tell the partner, and do not use the channel until it is shared again" c2 &&
	sign_file "$W/a.key" c2/index.json "steg kind=bundle publisher=$RA id=se.test.bas version=1.0.0 expires=$exp" &&
	sync_refused "refusing the channel index: the signature of '"'"'c2/index.json'"'"' is for a bundle, not for an index; a signature counts only for what it was made for: bundles are signed with '"'"'stegc sign'"'"', indexes by '"'"'steg share'"'"'" c2
'

# A channel of A's with a new version (1.3.0) that B does not have yet,
# its index re-signed by A as sequence 10: for the bundle-level refusals.
new_channel() {
	mkdir c2 && cp "$C"/index.json c2/ &&
	rm -rf src && cp -R "$SRC/tests/golden/base" src &&
	sed -i "s/^version: 1.0.0$/version: 1.3.0/" src/program.yaml &&
	"$STEGC" build -q src -o c2/se.test.bas-1.3.0.steg &&
	"$STEGC" sign c2/se.test.bas-1.3.0.steg --key "$W/${1:-a}.key" --unencrypted > /dev/null &&
	reindex c2 1.3.0 c2/se.test.bas-1.3.0.steg
}

# reindex DIR VERSION FILE: DIR/index.json lists FILE's bytes as VERSION,
# as sequence 10, signed by A.
reindex() {
	python3 - "$1/index.json" "$2" "$3" <<-\EOF2 &&
	import hashlib, json, sys
	ix = json.load(open(sys.argv[1]))
	data = open(sys.argv[3], "rb").read()
	ix["sequence"] = 10
	ix["bundles"] = [{"id": "se.test.bas", "version": sys.argv[2],
	    "file": "se.test.bas-%s.steg" % sys.argv[2], "size": len(data),
	    "sha256": hashlib.sha256(data).hexdigest()}]
	open(sys.argv[1], "w").write(json.dumps(ix, indent=2) + "\n")
	EOF2
	exp=$(python3 -c "import json; print(json.load(open(\"$1/index.json\"))[\"expires\"])") &&
	sign_file "$W/a.key" "$1/index.json" "steg kind=index publisher=$RA sequence=10 expires=$exp"
}

test_expect_success 'a bundle that differs from the index is refused (mix-and-match, tampering)' '
	new_channel &&
	sha=$(sha256sum c2/se.test.bas-1.3.0.steg | cut -d" " -f1) &&
	size=$(wc -c < c2/se.test.bas-1.3.0.steg) &&
	cp "$W/v1.steg" c2/se.test.bas-1.3.0.steg &&
	sha1=$(sha256sum "$W/v1.steg" | cut -d" " -f1) &&
	size1=$(wc -c < "$W/v1.steg") &&
	# the keys are new each run, so the swapped bundle may be larger than
	# the one the index names: then the fetch stops at the size it gives
	if [ "$size1" -gt "$size" ]; then
		sync_refused "'"'"'c2/se.test.bas-1.3.0.steg'"'"' is larger than the $size bytes the signed index gives; the partner may be sharing right now: sync again later, and tell the partner if it stays; nothing was imported" c2
	else
		sync_refused "'"'"'c2/se.test.bas-1.3.0.steg'"'"' is not the bundle the signed index names: sha256 $sha1 and $size1 bytes, the index says $sha and $size bytes; the partner may be sharing right now: sync again later, and tell the partner if it stays; nothing was imported" c2
	fi &&
	python3 -c "
import sys
p = \"c2/se.test.bas-1.3.0.steg\"
d = bytearray(open(\"$W/v1.steg\", \"rb\").read())
d[len(d) // 2] ^= 0x20
open(p, \"wb\").write(bytes(d))
" &&
	run out sync_b c2 && test $rc = 1 &&
	# the damaged copy has v1.steg'"'"'s size: larger than the index says
	# in some runs (above), and then that is what the fetch finds first
	if [ "$size1" -gt "$size" ]; then
		tail -n 1 out | grep -q "is larger than the $size bytes the signed index gives"
	else
		tail -n 1 out | grep -q "is not the bundle the signed index names"
	fi &&
	"$STEG" --db "$W/B.db" list | grep -c "^se.test.bas@1.3.0" | grep -qx 0
'

test_expect_success 'a bundle the index names but another key signed is refused' '
	new_channel x &&
	sync_refused "'"'"'c2/se.test.bas-1.3.0.steg'"'"' is signed by key $(sed -n "s/.* //p" "$W/x.pub" | head -1), which is not trusted here; if it comes from a partner region, trust that region'"'"'s public key with '"'"'steg trust add --region HSA-ID --key FILE'"'"' (see '"'"'steg trust list'"'"'); nothing was imported" c2
'

test_expect_success 'a bundle listed under another version is refused' '
	mkdir c2 && cp "$C"/index.json c2/ &&
	rm -rf src && cp -R "$SRC/tests/golden/base" src &&
	sed -i "s/^version: 1.0.0$/version: 1.4.0/" src/program.yaml &&
	"$STEGC" build -q src -o c2/se.test.bas-1.3.0.steg &&
	"$STEGC" sign c2/se.test.bas-1.3.0.steg --key "$W/a.key" --unencrypted > /dev/null &&
	reindex c2 1.3.0 c2/se.test.bas-1.3.0.steg &&
	sync_refused "'"'"'c2/se.test.bas-1.3.0.steg'"'"' holds se.test.bas@1.4.0 signed as se.test.bas@1.4.0, but the index lists it as se.test.bas@1.3.0; tell the partner: the channel contradicts itself; nothing was imported" c2
'

test_expect_success 'an index that lists other bytes under a version B has: that version is not taken' '
	mkdir c2 && cp "$C"/index.json c2/ &&
	cp "$W/v2.steg" c2/se.test.bas-1.0.0.steg &&
	reindex c2 1.0.0 c2/se.test.bas-1.0.0.steg &&
	sha=$(sha256sum c2/se.test.bas-1.0.0.steg | cut -d" " -f1) &&
	have=$(sha256sum "$W/v1.steg" | cut -d" " -f1) &&
	when=$(sqlite3 "$W/B.db" "SELECT imported_at FROM versions WHERE version = '"'"'1.0.0'"'"'") &&
	sqlite3 "$W/B.db" "SELECT program, version, bundle_sha256 FROM versions ORDER BY 1, 2" > before &&
	run out sync_b c2 && test $rc = 4 &&
	sqlite3 "$W/B.db" "SELECT program, version, bundle_sha256 FROM versions ORDER BY 1, 2" > after &&
	test_cmp before after &&
	msg="se.test.bas@1.0.0 is not taken: the index lists it with sha256 $sha, but this registry holds other content under it (sha256 $have, producer '"'"'$RA'"'"', imported by $BPUB at $when, signed by key $(KEYID_A) of '"'"'$RA'"'"'); a version never changes: compare the two ('"'"'steg show se.test.bas@1.0.0'"'"'), and tell whoever made the other one to publish new content under a new version" &&
	echo "steg: error: $msg" > want &&
	grep "^steg: error: " out > got && test_cmp want got &&
	tail -n 1 out | grep -q "; 0 new bundles imported, 0 already here; 1 not taken (exit 4)$" &&
	sqlite3 "$W/B.db" "SELECT action, object, outcome, detail FROM audit ORDER BY seq DESC LIMIT 2" > got &&
	printf "sync|c2|ok|index of '"'"'%s'"'"', sequence 10, expires %s; imported 0: none; already here 0; not taken: se.test.bas@1.0.0 (see their '"'"'import'"'"' rows)\nimport|se.test.bas@1.0.0|refused|%s; from channel '"'"'c2'"'"'\n" \
		$RA "$(sqlite3 "$W/B.db" "SELECT expires FROM channel_seen")" "$msg" > want &&
	test_cmp want got &&
	"$STEG" --db "$W/B.db" audit --check > /dev/null
'

test_expect_success 'a strictly parsed index: unknown keys and duplicates are refused' '
	mkdir c2 && cp "$C"/* c2/ &&
	python3 - c2/index.json <<-\EOF2 &&
	import json, sys
	ix = json.load(open(sys.argv[1]))
	ix["sequence"] = 10
	ix["mirror"] = "http://example.org/"
	open(sys.argv[1], "w").write(json.dumps(ix, indent=2) + "\n")
	EOF2
	exp=$(python3 -c "import json; print(json.load(open(\"c2/index.json\"))[\"expires\"])") &&
	sign_file "$W/a.key" c2/index.json "steg kind=index publisher=$RA sequence=10 expires=$exp" &&
	sync_refused "refusing the channel index: index.json: unknown key '"'"'mirror'"'"'; it is not an index '"'"'steg share'"'"' writes: tell the partner" c2 &&
	sed -i "s/\"mirror\": \"http:\/\/example.org\/\"/\"sequence\": 10/" c2/index.json &&
	sign_file "$W/a.key" c2/index.json "steg kind=index publisher=$RA sequence=10 expires=$exp" &&
	run out sync_b c2 && test $rc = 1 &&
	tail -n 1 out | grep -q "^steg: error: refusing the channel index: index.json:.*duplicate object key"
'

test_expect_success 'share refuses an unsigned version, an unknown one, and a key the region does not trust' '
	rm -rf src && cp -R "$SRC/tests/golden/base" src &&
	sed -i "s/^version: 1.0.0$/version: 2.0.0/" src/program.yaml &&
	"$STEGC" build -q src -o u.steg &&
	"$STEG" --db "$W/A.db" import u.steg --as $APUB --allow-unsigned > /dev/null &&
	run out share_a se.test.bas@2.0.0 c3 && test $rc = 1 &&
	echo "steg: error: se.test.bas@2.0.0 was imported unsigned; partners accept only signed bundles: sign it with '"'"'stegc sign'"'"' and import that" > want &&
	test_cmp want out &&
	run out share_a se.test.bas@9.0.0 c3 && test $rc = 1 &&
	echo "steg: error: se.test.bas@9.0.0 is not in the registry (see '"'"'steg list'"'"')" > want &&
	test_cmp want out &&
	run out "$STEG" --db "$W/A.db" share se.test.bas@1.0.0 --channel c3 --key "$W/x.key" --unencrypted --as $APUB &&
	test $rc = 1 &&
	echo "steg: error: key $(sed -n "s/.* //p" "$W/x.pub" | head -1) is not a trusted key of this region '"'"'$RA'"'"', so partners could not check the index either; trust it with '"'"'steg trust add --region $RA'"'"'" > want &&
	test_cmp want out &&
	test ! -e c3/index.json
'

test_expect_success 'the sequence is one counter for the region, across channel folders' '
	last=$(sqlite3 "$W/A.db" "SELECT max(sequence) FROM channel_out") &&
	share_a se.test.bas@1.0.0 "$W/second" > out &&
	grep -q "index sequence $((last + 1)), 1 bundle," out &&
	share_a se.test.bas@1.2.0 "$C" > out &&
	grep -q "index sequence $((last + 2)), 3 bundles," out
'

test_done
