#!/bin/sh
# t0320-bundle-sign: `stegc build --sign` and `stegc verify --pubkey`: the
# signature covers manifest.xml, minisign agrees, and verify checks that
# the signature is this bundle's and has not expired.
. "$(dirname "$0")/lib.sh"
BASE=$SRC/tests/golden/base
CRAFT="python3 $SRC/tests/tools/bundlecraft.py"
# A recent build time, so that a year's signature is still valid.
NOW=$(date +%s)
export SOURCE_DATE_EPOCH=$((NOW - NOW % 86400))

(cd "$TRASH_ROOT" && "$STEGC" keygen -o k --unencrypted >/dev/null &&
	"$STEGC" keygen -o other --unencrypted >/dev/null) || echo "Bail out! keygen failed"
K=$TRASH_ROOT/k
KID=$(sed -n 2p "$K.pub" | base64 -d 2>/dev/null | od -An -tx1 -j2 -N8 | tr -d " \n")
# minisign prints key ids as the 8 bytes read little-endian, upper case.
KID=$(echo "$KID" | sed -E "s/(..)(..)(..)(..)(..)(..)(..)(..)/\8\7\6\5\4\3\2\1/" | tr a-f A-F)

test_expect_success 'build --sign writes a signed bundle that verifies with the key' '
	"$STEGC" build -o s.steg --sign "$K.key" --unencrypted "$BASE" > out &&
	grep -q "^wrote s.steg: 2 modules, 4 pages, 1 forms, [0-9]* bytes, signed$" out &&
	zipinfo -1 s.steg | sed -n 1,3p > actual &&
	printf "manifest.xml\nmanifest.xml.minisig\nprogram.xml\n" > expect &&
	test_cmp expect actual &&
	run actual "$STEGC" verify --pubkey "$K.pub" s.steg && test "$rc" = 0 &&
	echo "s.steg: ok (8 entries, signed by $KID)" > expect &&
	test_cmp expect actual
'

test_expect_success 'without --pubkey verify says the signature was not checked' '
	"$STEGC" build -q -o s.steg --sign "$K.key" --unencrypted "$BASE" &&
	run actual "$STEGC" verify s.steg && test "$rc" = 0 &&
	echo "s.steg: ok (8 entries, signed by $KID, signature not checked: give --pubkey)" > expect &&
	test_cmp expect actual
'

test_expect_success 'minisign -V verifies the manifest with the trusted comment' '
	command -v minisign >/dev/null || { echo "# no minisign"; exit 0; }
	"$STEGC" build -q -o s.steg --sign "$K.key" --unencrypted "$BASE" &&
	unzip -q s.steg manifest.xml manifest.xml.minisig &&
	minisign -V -p "$K.pub" -m manifest.xml > out &&
	exp=$(date -u -d "@$((SOURCE_DATE_EPOCH + 365 * 86400))" +%Y-%m-%dT%H:%M:%SZ) &&
	grep -q "^Trusted comment: steg kind=bundle publisher=SE2321000016-0001 id=se.test.bas version=1.0.0 expires=$exp$" out
'

test_expect_success 'signed builds are reproducible given the same expiry (Ed25519 is deterministic)' '
	"$STEGC" build -q -o a.steg --sign "$K.key" --unencrypted "$BASE" &&
	"$STEGC" build -q -o b.steg --sign "$K.key" --unencrypted "$BASE" &&
	cmp a.steg b.steg
'

test_expect_success 'stegc sign adds the signature and keeps every other entry byte for byte' '
	"$STEGC" build -q -o a.steg --sign "$K.key" --unencrypted "$BASE" &&
	"$STEGC" build -q -o b.steg "$BASE" &&
	"$STEGC" sign b.steg --key "$K.key" --unencrypted > /dev/null &&
	python3 - a.steg b.steg <<-EOF
	import sys, zipfile, struct
	def raw(path):
	    z = zipfile.ZipFile(path); buf = open(path, "rb").read(); out = {}
	    for i in z.infolist():
	        o = i.header_offset
	        n, x = struct.unpack_from("<HH", buf, o + 26)
	        out[i.filename] = (buf[o:o + 30 + n + x + i.compress_size],
	                           i.external_attr, i.create_system, i.date_time)
	    return [i.filename for i in z.infolist()], out
	na, a = raw(sys.argv[1]); nb, b = raw(sys.argv[2])
	assert na == nb, (na, nb)
	for k in na:
	    if k != "manifest.xml.minisig":
	        assert a[k] == b[k], k
	EOF
	"$STEGC" verify --pubkey "$K.pub" b.steg
'

test_expect_success 'signing again replaces the signature: one minisig, the new key' '
	"$STEGC" build -q -o s.steg --sign "$K.key" --unencrypted "$BASE" &&
	"$STEGC" sign s.steg --key "$TRASH_ROOT/other.key" --unencrypted > /dev/null &&
	zipinfo -1 s.steg | grep -c "^manifest.xml.minisig$" > actual &&
	echo 1 > expect && test_cmp expect actual &&
	"$STEGC" verify --pubkey "$TRASH_ROOT/other.pub" s.steg > /dev/null &&
	run out "$STEGC" verify --pubkey "$K.pub" s.steg && test "$rc" = 1
'

test_expect_success 'build --sign opens an encrypted key with --passphrase-env' '
	STEG_PASS=hemligt "$STEGC" keygen -o enc --passphrase-env STEG_PASS --kdf interactive > /dev/null &&
	STEG_PASS=hemligt "$STEGC" build -q -o s.steg --sign enc.key --passphrase-env STEG_PASS "$BASE" &&
	"$STEGC" verify --pubkey enc.pub s.steg > /dev/null &&
	run out env STEG_PASS=fel "$STEGC" build -q -o t.steg --sign enc.key --passphrase-env STEG_PASS "$BASE" &&
	test "$rc" = 1 && ! test -e t.steg
'

test_expect_success 'passphrase options without --sign are a usage error' '
	run out "$STEGC" build -q --unencrypted "$BASE" && test "$rc" = 2
'

test_expect_success 'the wrong key is refused' '
	"$STEGC" build -q -o s.steg --sign "$K.key" --unencrypted "$BASE" &&
	run actual "$STEGC" verify --pubkey "$TRASH_ROOT/other.pub" s.steg && test "$rc" = 1 &&
	grep -q "\[sig-wrong-key\]" actual
'

test_expect_success 'an unsigned bundle fails verify --pubkey' '
	"$STEGC" build -q -o u.steg "$BASE" &&
	run actual "$STEGC" verify --pubkey "$K.pub" u.steg && test "$rc" = 1 &&
	printf "%s\n1 error generated\n" "u.steg: error: the bundle is not signed (no entry '\''manifest.xml.minisig'\'') [bundle-unsigned]" > expect &&
	test_cmp expect actual
'

test_expect_success 'a manifest changed after signing fails with the key, though its hashes agree' '
	"$STEGC" build -q -o s.steg --sign "$K.key" --unencrypted "$BASE" &&
	$CRAFT s.steg x.steg msub "<title>Basprogram</title>" "<title>Basprogram 2</title>" &&
	"$STEGC" verify x.steg > /dev/null &&
	run actual "$STEGC" verify --pubkey "$K.pub" x.steg && test "$rc" = 1 &&
	grep -q "error: .*\[sig-" actual
'

test_expect_success 'a signature for another program, version or publisher is refused' '
	"$STEGC" build -q -o s.steg "$BASE" &&
	"$STEGC" sign s.steg --key "$K.key" --unencrypted --publisher SE2321000016-0002 > /dev/null &&
	run actual "$STEGC" verify --pubkey "$K.pub" s.steg && test "$rc" = 1 &&
	printf "%s\n1 error generated\n" "s.steg: error: the signature names publisher '\''SE2321000016-0002'\'', but the producer is '\''SE2321000016-0001'\'' [bundle-signature-claims]" > expect &&
	test_cmp expect actual
'

test_expect_success 'build will not make a signature that has already expired' '
	run out env SOURCE_DATE_EPOCH=1700000000 "$STEGC" build -o old.steg --sign "$K.key" --unencrypted "$BASE" &&
	test "$rc" = 1 && ! test -e old.steg &&
	grep -q "the signature would expire at 2024-11-13T22:13:20Z, which has passed" out &&
	SOURCE_DATE_EPOCH=1700000000 "$STEGC" build -q -o old.steg --sign "$K.key" --unencrypted --expires 36000 "$BASE" &&
	"$STEGC" verify --pubkey "$K.pub" old.steg > /dev/null
'

test_expect_success 'a missing public key file is an I/O error' '
	"$STEGC" build -q -o s.steg --sign "$K.key" --unencrypted "$BASE" &&
	run actual "$STEGC" verify --pubkey nothing.pub s.steg && test "$rc" = 3
'

test_done
