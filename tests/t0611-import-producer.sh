#!/bin/sh
# t0611 — steg import binds the producer to the signer and a program id to
# its producer: a key trusted for one region vouches only for that region's
# own programs (the claims check of `stegc verify --pubkey`,
# bundle-signature-claims), and once the registry holds a version of an id
# from one producer, the id is not taken by another, signed or not.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

PARTNER=SE2321000024-0002

# bundle OUT VERSION PRODUCER [ID]: se.test.bas (or ID) at VERSION with
# PRODUCER, unsigned.
bundle() {
	rm -rf src && cp -R "$SRC/tests/golden/base" src &&
	sed -i "s/^version: 1.0.0$/version: $2/; s/^  id: SE2321000016-0001$/  id: $3/; s/^id: se.test.bas$/id: ${4:-se.test.bas}/" src/program.yaml &&
	"$STEGC" build -q src -o "$1"
}

test_expect_success 'a key trusted for region P cannot sign a bundle whose producer is R' '
	setup_registry &&
	bundle lie.steg 1.0.0 $PARTNER &&
	"$STEGC" sign lie.steg --key "$BUNDLES/region.key" --unencrypted --expires 3650 --publisher $REGION > /dev/null &&
	run out "$STEGC" verify lie.steg --pubkey "$BUNDLES/region.pub" &&
	test $rc = 1 &&
	grep -F "the signature names publisher '"'"'$REGION'"'"', but the producer is '"'"'$PARTNER'"'"' [bundle-signature-claims]" out &&
	refused 1 "bundle '"'"'lie.steg'"'"' is not what its signature says: the signature names publisher '"'"'$REGION'"'"', but the producer is '"'"'$PARTNER'"'"' [bundle-signature-claims]; a key trusted for '"'"'$REGION'"'"' vouches only for '"'"'$REGION'"'"''"'"'s own programs, under the signed id and version (docs/signatures.md): ask '"'"'$REGION'"'"' to sign this bundle again with '"'"'stegc sign'"'"'; nothing was imported" \
		"$STEG" import lie.steg --as $PUB &&
	refused 1 "bundle '"'"'lie.steg'"'"' is not what its signature says: the signature names publisher '"'"'$REGION'"'"', but the producer is '"'"'$PARTNER'"'"' [bundle-signature-claims]; a key trusted for '"'"'$REGION'"'"' vouches only for '"'"'$REGION'"'"''"'"'s own programs, under the signed id and version (docs/signatures.md): ask '"'"'$REGION'"'"' to sign this bundle again with '"'"'stegc sign'"'"'; nothing was imported" \
		"$STEG" import lie.steg --as $PUB --allow-unsigned &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM versions")" = 0
'

test_expect_success 'the signing partner is trusted for R as well: the claims still bind the producer' '
	setup_registry &&
	"$STEG" trust add --region $PARTNER --key "$BUNDLES/other.pub" --as $ADMIN > /dev/null &&
	bundle lie.steg 1.0.0 $PARTNER &&
	"$STEGC" sign lie.steg --key "$BUNDLES/region.key" --unencrypted --expires 3650 --publisher $REGION > /dev/null &&
	run out "$STEG" import lie.steg --as $PUB &&
	test $rc = 1 &&
	grep -q "^steg: error: bundle .*but the producer is .*\[bundle-signature-claims\]" out &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM versions")" = 0 &&
	"$STEGC" sign lie.steg --key "$BUNDLES/other.key" --unencrypted --expires 3650 > /dev/null &&
	"$STEG" import lie.steg --as $PUB > out &&
	grep -q "^imported se.test.bas@1.0.0 .*, signed by $PARTNER$" out &&
	test "$(sqlite3 steg.db "SELECT producer_id, signed_by FROM versions")" = "$PARTNER|$PARTNER"
'

test_expect_success 'a program id belongs to its producer: another producer is refused by name' '
	setup_registry &&
	"$STEG" trust add --region $PARTNER --key "$BUNDLES/other.pub" --as $ADMIN > /dev/null &&
	"$STEG" import "$BUNDLES/base-signed.steg" --as $PUB > /dev/null &&
	when=$(sqlite3 steg.db "SELECT imported_at FROM versions") &&
	bundle squat.steg 1.1.0 $PARTNER &&
	"$STEGC" sign squat.steg --key "$BUNDLES/other.key" --unencrypted --expires 3650 > /dev/null &&
	refused 1 "program id '"'"'se.test.bas'"'"' belongs to another producer: this registry holds se.test.bas@1.0.0 (producer '"'"'$REGION'"'"', imported by $PUB at $when, signed by key $(sed -n "s/.* //p" "$BUNDLES/region.pub" | head -1) of '"'"'$REGION'"'"'), and this bundle'"'"'s producer is '"'"'$PARTNER'"'"'; a program id belongs to its producer, and a region that adapts a partner'"'"'s program gives it its own id (docs/registry.md)" \
		"$STEG" import squat.steg --as $PUB &&
	bundle squat2.steg 1.2.0 SE2321000057-0001 &&
	run out "$STEG" import squat2.steg --as $PUB --allow-unsigned &&
	test $rc = 1 &&
	grep -q "^steg: error: program id '"'"'se.test.bas'"'"' belongs to another producer: .*, and this bundle'"'"'s producer is '"'"'SE2321000057-0001'"'"'; " out &&
	bundle own.steg 1.1.0 $PARTNER se.partner.bas &&
	"$STEGC" sign own.steg --key "$BUNDLES/other.key" --unencrypted --expires 3650 > /dev/null &&
	"$STEG" import own.steg --as $PUB > /dev/null &&
	bundle next.steg 1.1.0 $REGION &&
	"$STEG" import next.steg --as $PUB --allow-unsigned > /dev/null &&
	sqlite3 steg.db "SELECT program, version, producer_id FROM versions ORDER BY 1, 2" > got &&
	printf "se.partner.bas|1.1.0|$PARTNER\nse.test.bas|1.0.0|$REGION\nse.test.bas|1.1.0|$REGION\n" > want &&
	test_cmp want got
'

test_expect_success 'an unsigned bundle cannot speak for a partner region' '
	setup_registry &&
	"$STEG" trust add --region $PARTNER --key "$BUNDLES/other.pub" --as $ADMIN > /dev/null &&
	bundle fake.steg 1.0.0 $PARTNER se.partner.bas &&
	refused 1 "bundle '"'"'fake.steg'"'"' is unsigned but names as producer '"'"'$PARTNER'"'"', a partner region whose key this registry trusts; a partner'"'"'s programs are imported only with the partner'"'"'s signature: ask '"'"'$PARTNER'"'"' for the signed bundle; nothing was imported" \
		"$STEG" import fake.steg --as $PUB --allow-unsigned
'

test_expect_success 'an unsigned local import that came first keeps the id for its producer' '
	setup_registry &&
	"$STEG" trust add --region $PARTNER --key "$BUNDLES/other.pub" --as $ADMIN > /dev/null &&
	bundle local.steg 1.0.0 $REGION se.partner.bas &&
	"$STEG" import local.steg --as $PUB --allow-unsigned > /dev/null &&
	bundle theirs.steg 2.0.0 $PARTNER se.partner.bas &&
	"$STEGC" sign theirs.steg --key "$BUNDLES/other.key" --unencrypted --expires 3650 > /dev/null &&
	run out "$STEG" import theirs.steg --as $PUB &&
	test $rc = 1 &&
	grep -q "^steg: error: program id '"'"'se.partner.bas'"'"' belongs to another producer: this registry holds se.partner.bas@1.0.0 (producer '"'"'$REGION'"'"', imported unsigned (with --allow-unsigned) by $PUB at " out &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM versions")" = 1
'

test_done
