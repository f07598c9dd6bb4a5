#!/bin/sh
# t0722 — what one bad version does to a sync.  A version the registry
# already holds with other bytes (a squat), or a program id the registry
# holds from another producer, is not taken — named, with where the other
# one came from, and written to the audit log — while the rest of the
# channel is imported in the same transaction and the exit code (4) says
# that not everything was taken.  A bundle whose signature lies about its
# producer (a key trusted for A signing R's program) is refused with the
# whole sync: the channel contradicts itself, and nothing is imported.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/channel-lib.sh"
setup_regions || { echo "Bail out! cannot set up the two regions"; exit 1; }
C=$W/chan
RC=SE2321000057-0003          # a third region nobody here trusts

# bundle OUT ID VERSION PRODUCER [TITLE]: an unsigned build.
bundle() {
	rm -rf "$W/bsrc" && cp -R "$SRC/tests/golden/base" "$W/bsrc" &&
	sed -i "s/^id: se.test.bas$/id: $2/; s/^version: 1.0.0$/version: $3/; s/^  id: SE2321000016-0001$/  id: $4/; s/^title: Basprogram$/title: ${5:-Basprogram}/" "$W/bsrc/program.yaml" &&
	"$STEGC" build -q "$W/bsrc" -o "$1"
}

# A's channel: se.test.bas 1.0.0, 1.1.0, 1.2.0 and se.test.annan 1.0.0, all
# A's own and signed by A.
(
	bundle "$W/annan.steg" se.test.annan 1.0.0 $RA Annan &&
	"$STEGC" sign "$W/annan.steg" --key "$W/a.key" --unencrypted > /dev/null &&
	"$STEG" --db "$W/A.db" import "$W/annan.steg" --as $APUB > /dev/null &&
	for v in se.test.bas@1.0.0 se.test.bas@1.1.0 se.test.bas@1.2.0 se.test.annan@1.0.0; do
		share_a $v "$C" > /dev/null || exit 1
	done
) || { echo "Bail out! cannot share"; exit 1; }

versions() {
	sqlite3 "$1" "SELECT program || '@' || version || ' ' || producer_id FROM versions ORDER BY 1"
}

test_expect_success 'a squatted version no longer blocks the rest of the channel' '
	"$STEG" --db "$W/b2.db" init --region $RB --name "Region B2" --admin $BADM --key "$W/b.pub" > /dev/null &&
	"$STEG" --db "$W/b2.db" user add $BPUB --name "Per B" --role publisher --as $BADM > /dev/null &&
	bundle squat.steg se.test.bas 1.0.0 $RA "Ett annat program" &&
	"$STEG" --db "$W/b2.db" import squat.steg --as $BPUB --allow-unsigned > /dev/null &&
	when=$(sqlite3 "$W/b2.db" "SELECT imported_at FROM versions") &&
	"$STEG" --db "$W/b2.db" trust add --region $RA --key "$W/a.pub" --as $BADM > /dev/null &&
	run out "$STEG" --db "$W/b2.db" sync "$C" --as $BPUB &&
	test $rc = 4 &&
	versions "$W/b2.db" > got &&
	printf "se.test.annan@1.0.0 $RA\nse.test.bas@1.0.0 $RA\nse.test.bas@1.1.0 $RA\nse.test.bas@1.2.0 $RA\n" > want &&
	test_cmp want got &&
	test "$(sqlite3 "$W/b2.db" "SELECT bundle_sha256 FROM versions WHERE program = '"'"'se.test.bas'"'"' AND version = '"'"'1.0.0'"'"'")" = "$(sha256sum squat.steg | cut -d" " -f1)" &&
	test "$(sqlite3 "$W/b2.db" "SELECT region, sequence FROM channel_seen")" = "$RA|4" &&
	grep "^steg: error: " out > got &&
	echo "steg: error: se.test.bas@1.0.0 is not taken: the index lists it with sha256 $(sha256sum "$W/v1.steg" | cut -d" " -f1), but this registry holds other content under it (sha256 $(sha256sum squat.steg | cut -d" " -f1), producer '"'"'$RA'"'"', imported unsigned (with --allow-unsigned) by $BPUB at $when); a version never changes: compare the two ('"'"'steg show se.test.bas@1.0.0'"'"'), and tell whoever made the other one to publish new content under a new version" > want &&
	test_cmp want got &&
	tail -n 1 out | grep -q "; 3 new bundles imported, 0 already here; 1 not taken (exit 4)$" &&
	sqlite3 "$W/b2.db" "SELECT action, object, outcome FROM audit WHERE seq > (SELECT max(seq) FROM audit WHERE action = '"'"'trust add'"'"') ORDER BY seq" > got &&
	printf "import|se.test.annan@1.0.0|ok\nimport|se.test.bas@1.1.0|ok\nimport|se.test.bas@1.2.0|ok\nimport|se.test.bas@1.0.0|refused\nsync|$C|ok\n" > want &&
	test_cmp want got &&
	"$STEG" --db "$W/b2.db" audit --check > /dev/null &&
	run out "$STEG" --db "$W/b2.db" sync "$C" --as $BPUB &&
	test $rc = 4 &&
	tail -n 1 out | grep -q "; 0 new bundles imported, 3 already here; 1 not taken (exit 4)$"
'

test_expect_success 'a program id held by another producer is not taken at sync, the rest is' '
	bundle own.steg se.test.bas 0.9.0 $RB "Vårt eget" &&
	"$STEG" --db "$W/B.db" import own.steg --as $BPUB --allow-unsigned > /dev/null &&
	when=$(sqlite3 "$W/B.db" "SELECT imported_at FROM versions") &&
	run out sync_b "$C" &&
	test $rc = 4 &&
	versions "$W/B.db" > got &&
	printf "se.test.annan@1.0.0 $RA\nse.test.bas@0.9.0 $RB\n" > want &&
	test_cmp want got &&
	grep -c "^steg: error: se.test.bas@1\.[012]\.0 is not taken: program id '"'"'se.test.bas'"'"' belongs to another producer: this registry holds se.test.bas@0.9.0 (producer '"'"'$RB'"'"', imported unsigned (with --allow-unsigned) by $BPUB at $when), and this bundle'"'"'s producer is '"'"'$RA'"'"'; a program id belongs to its producer, and a region that adapts a partner'"'"'s program gives it its own id (docs/registry.md)$" out > n &&
	echo 3 > want && test_cmp want n &&
	test "$(sqlite3 "$W/B.db" "SELECT count(*) FROM audit WHERE action = '"'"'import'"'"' AND outcome = '"'"'refused'"'"' AND detail LIKE '"'"'%belongs to another producer%'"'"'")" = 3 &&
	"$STEG" --db "$W/B.db" audit --check > /dev/null
'

test_expect_success 'a bundle whose signature lies about its producer refuses the whole sync' '
	mkdir c3 && cp "$C"/* c3/ &&
	bundle c3/se.test.lie-1.0.0.steg se.test.lie 1.0.0 $RC Lögn &&
	"$STEGC" sign c3/se.test.lie-1.0.0.steg --key "$W/a.key" --unencrypted --publisher $RA > /dev/null &&
	run out "$STEGC" verify c3/se.test.lie-1.0.0.steg --pubkey "$W/a.pub" &&
	test $rc = 1 && grep -q "\[bundle-signature-claims\]" out &&
	python3 - c3/index.json c3/se.test.lie-1.0.0.steg <<-\EOF &&
	import hashlib, json, sys
	ix = json.load(open(sys.argv[1]))
	data = open(sys.argv[2], "rb").read()
	ix["sequence"] = 10
	ix["bundles"].append({"id": "se.test.lie", "version": "1.0.0",
	    "file": "se.test.lie-1.0.0.steg", "size": len(data),
	    "sha256": hashlib.sha256(data).hexdigest()})
	open(sys.argv[1], "w").write(json.dumps(ix, indent=2) + "\n")
	EOF
	exp=$(python3 -c "import json; print(json.load(open(\"c3/index.json\"))[\"expires\"])") &&
	sign_file "$W/a.key" c3/index.json "steg kind=index publisher=$RA sequence=10 expires=$exp" &&
	n=$(sqlite3 "$W/B.db" "SELECT count(*) FROM versions") &&
	sync_refused "bundle '"'"'c3/se.test.lie-1.0.0.steg'"'"' is not what its signature says: the signature names publisher '"'"'$RA'"'"', but the producer is '"'"'$RC'"'"' [bundle-signature-claims]; a key trusted for '"'"'$RA'"'"' vouches only for '"'"'$RA'"'"''"'"'s own programs, under the signed id and version (docs/signatures.md): ask '"'"'$RA'"'"' to sign this bundle again with '"'"'stegc sign'"'"'; nothing was imported" c3 &&
	test "$(sqlite3 "$W/B.db" "SELECT count(*) FROM versions")" = $n &&
	run out "$STEG" --db "$W/b2.db" sync c3 --as $BPUB &&
	test $rc = 1 &&
	test "$(sqlite3 "$W/b2.db" "SELECT count(*) FROM versions WHERE program = '"'"'se.test.lie'"'"'")" = 0
'

test_done
