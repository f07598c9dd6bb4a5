#!/bin/sh
# t0715 — one expiry rule for every signature (core/sign.c st_sig_expired:
# expired when expires <= now), tested one second on each side of the
# boundary for stegc sign, stegc verify and steg import; and a signature
# for another version of the same program is refused by both, with their
# exact messages.
#
# The clock is time(); tests/tools/fake-time.c (LD_PRELOAD) sets it to
# STEG_TEST_TIME, so that each command runs at one exact second.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }
FAKE=$TRASH_ROOT/fake-time.so
cc -shared -fPIC -O2 -o "$FAKE" "$SRC/tests/tools/fake-time.c" ||
	{ echo "Bail out! cannot build tests/tools/fake-time.c"; exit 1; }
# The sanitizer runtime accepts a preloaded library ahead of it.
export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"

E=1893456000                 # 2030-01-01T00:00:00Z, the expiry under test
EXP=2030-01-01T00:00:00Z
q="'"

# at SECONDS CMD...: CMD with time() at SECONDS.
at() {
	t=$1; shift
	LD_PRELOAD=$FAKE STEG_TEST_TIME=$t "$@"
}

# b.steg: base.steg signed by the region key, expiring at E exactly (one
# day's signature made a day before E).
signed_at_e() {
	cp "$BUNDLES/base.steg" b.steg &&
	at $((E - 86400)) env SOURCE_DATE_EPOCH=$((E - 86400)) \
		"$STEGC" sign b.steg --key "$BUNDLES/region.key" --unencrypted --expires 1 > /dev/null &&
	unzip -p b.steg manifest.xml.minisig | grep -q "^trusted comment: .* expires=$EXP$"
}

test_expect_success 'the fake clock is the clock the commands use' '
	cp "$BUNDLES/base.steg" b.steg &&
	at $((E - 86400)) env -u SOURCE_DATE_EPOCH \
		"$STEGC" sign b.steg --key "$BUNDLES/region.key" --unencrypted --expires 1 > /dev/null &&
	unzip -p b.steg manifest.xml.minisig | grep -q "^trusted comment: .* expires=$EXP$"
'

test_expect_success 'stegc sign: a signature expiring one second from now is made, one expiring now is not' '
	cp "$BUNDLES/base.steg" b.steg &&
	at $((E - 1)) env SOURCE_DATE_EPOCH=$((E - 86400)) \
		"$STEGC" sign b.steg --key "$BUNDLES/region.key" --unencrypted --expires 1 > /dev/null &&
	for t in $E $((E + 1)); do
		cp "$BUNDLES/base.steg" b.steg &&
		run out at $t env SOURCE_DATE_EPOCH=$((E - 86400)) \
			"$STEGC" sign b.steg --key "$BUNDLES/region.key" --unencrypted --expires 1 &&
		test $rc = 1 &&
		echo "stegc: error: the signature would expire at $EXP, which has passed (SOURCE_DATE_EPOCH plus 1 days); give a larger $q--expires$q, or a later SOURCE_DATE_EPOCH [bundle-signature-expired]" > want &&
		test_cmp want out &&
		cmp b.steg "$BUNDLES/base.steg" || return 1
	done
'

test_expect_success 'stegc verify: valid one second before the expiry, expired at it and one second after' '
	signed_at_e &&
	at $((E - 1)) "$STEGC" verify b.steg --pubkey "$BUNDLES/region.pub" > out &&
	grep -q "^b.steg: ok (.*signed by [0-9A-F]\{16\})$" out &&
	for t in $E $((E + 1)); do
		run out at $t "$STEGC" verify b.steg --pubkey "$BUNDLES/region.pub" &&
		test $rc = 1 &&
		printf "b.steg: error: the signature expired at %s [bundle-signature-expired]\n1 error generated\n" $EXP > want &&
		test_cmp want out || return 1
	done
'

test_expect_success 'steg import: refused at the expiry and one second after, imported one second before' '
	signed_at_e &&
	at $((E - 300)) "$STEG" init --region $REGION --name "Region Test" --admin $ADMIN \
		--key "$BUNDLES/region.pub" > /dev/null &&
	at $((E - 300)) "$STEG" user add $PUB --name "Pia Utgivare" --role publisher --as $ADMIN > /dev/null &&
	for t in $E $((E + 1)); do
		refused 1 "the signature of ${q}b.steg$q expired at $EXP; ask the publisher to sign it again with a later expiry (${q}stegc sign --expires DAYS$q); nothing was imported" \
			at $t "$STEG" import b.steg --as $PUB || return 1
	done &&
	at $((E - 1)) "$STEG" import b.steg --as $PUB > out &&
	grep -q "^imported $V1 (Basprogram), .* signed by $REGION$" out &&
	test "$(sqlite3 steg.db "SELECT signed_by FROM versions")" = $REGION
'

test_expect_success 'an expiry at the epoch (1970-01-01T00:00:00Z) is long past, not "no expiry"' '
	cp "$BUNDLES/base.steg" b.steg && mkdir x &&
	(cd x && unzip -q ../b.steg manifest.xml &&
		minisign -S -s "$BUNDLES/region.key" -m manifest.xml \
			-t "steg kind=bundle publisher=$REGION id=$PROG version=1.0.0 expires=1970-01-01T00:00:00Z" \
			< /dev/null > /dev/null &&
		zip -q ../b.steg manifest.xml.minisig) &&
	run out "$STEGC" verify b.steg --pubkey "$BUNDLES/region.pub" &&
	test $rc = 1 &&
	printf "b.steg: error: the signature expired at 1970-01-01T00:00:00Z [bundle-signature-expired]\n1 error generated\n" > want &&
	test_cmp want out
'

# b.steg: base.steg (1.0.0) with a valid signature by the region key whose
# trusted comment claims version $1 (signed with minisign, which lets the
# comment say anything).
signed_for_version() {
	cp "$BUNDLES/base.steg" b.steg && rm -rf x && mkdir x &&
	(cd x && unzip -q ../b.steg manifest.xml &&
		minisign -S -s "$BUNDLES/region.key" -m manifest.xml \
			-t "steg kind=bundle publisher=$REGION id=$PROG version=$1 expires=2099-01-01T00:00:00Z" \
			< /dev/null > /dev/null &&
		zip -q ../b.steg manifest.xml.minisig)
}

test_expect_success 'a signature for another version of the same program is refused by import' '
	setup_registry &&
	signed_for_version 1.1.0 &&
	refused 1 "bundle ${q}b.steg$q is not what its signature says: the signature is for $q$PROG$q 1.1.0, but the manifest is $q$PROG$q 1.0.0 [bundle-signature-claims]; a key trusted for $q$REGION$q vouches only for $q$REGION$q${q}s own programs, under the signed id and version (docs/signatures.md): ask $q$REGION$q to sign this bundle again with ${q}stegc sign$q; nothing was imported" \
		"$STEG" import b.steg --as $PUB &&
	signed_for_version 1.0.0 &&
	"$STEG" import b.steg --as $PUB > /dev/null
'

test_expect_success 'a signature for another version of the same program is refused by stegc verify' '
	signed_for_version 1.0.1 &&
	run out "$STEGC" verify b.steg --pubkey "$BUNDLES/region.pub" &&
	test $rc = 1 &&
	printf "b.steg: error: the signature is for %s 1.0.1, but the manifest is %s 1.0.0 [bundle-signature-claims]\n1 error generated\n" "$q$PROG$q" "$q$PROG$q" > want &&
	test_cmp want out
'

test_done
