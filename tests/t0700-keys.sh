#!/bin/sh
# t0700 — stegc keygen and stegc sign, and both directions of
# compatibility with the real minisign 0.11: keys made by stegc sign with
# minisign and verify with `minisign -V`; keys and signatures made by
# minisign are read by stegc.  Secret keys are encrypted unless asked,
# created 0600, never overwritten, and a passphrase comes from the
# environment, a file or the terminal.
. "$(dirname "$0")/lib.sh"
# Signatures count their expiry from SOURCE_DATE_EPOCH (docs/signatures.md):
# a recent build time, so that a year's signature is still valid.
NOW=$(date +%s)
export SOURCE_DATE_EPOCH=$((NOW - NOW % 86400))

PUBLISHER=SE2321000016-0001
# Build the base program once; every test signs a copy.
BASE=$TRASH_ROOT/base.steg
"$STEGC" build -q "$SRC/tests/golden/base" -o "$BASE" ||
	{ echo "Bail out! cannot build the base bundle"; exit 1; }

# A passphrase prompt must never block a test run from a terminal.
notty() { setsid -w "$@" < /dev/null; }

test_expect_success 'keygen --unencrypted writes a 0600 secret key and a minisign public key' '
	"$STEGC" keygen -o k --unencrypted > out &&
	id=$(sed -n "s/^key id: //p" out) &&
	printf "secret key: k.key (not encrypted)\npublic key: k.pub\nkey id: %s\n" "$id" > want &&
	test_cmp want out &&
	test "$(stat -c %a k.key)" = 600 &&
	test "$(sed -n 1p k.pub)" = "untrusted comment: minisign public key $id" &&
	test "$(sed -n 2p k.pub | base64 -d | head -c 2)" = Ed &&
	test "$(sed -n 2p k.pub | base64 -d | wc -c)" = 42 &&
	test "$(sed -n 2p k.key | base64 -d | wc -c)" = 158 &&
	test "$(wc -l < k.pub)" = 2 && test "$(wc -l < k.key)" = 2
'

test_expect_success 'keygen never replaces a key unless --force' '
	"$STEGC" keygen -o k --unencrypted > /dev/null &&
	cp k.key k.key.orig && cp k.pub k.pub.orig &&
	run out "$STEGC" keygen -o k --unencrypted &&
	test $rc = 1 &&
	echo "stegc: error: '"'"'k.key'"'"' already exists; pass --force to replace it [key-exists]" > want &&
	test_cmp want out &&
	cmp k.key k.key.orig && cmp k.pub k.pub.orig &&
	"$STEGC" keygen -o k --unencrypted --force > /dev/null &&
	! cmp -s k.key k.key.orig && ! cmp -s k.pub k.pub.orig &&
	test "$(stat -c %a k.key)" = 600 &&
	ls -a | grep -c tmp | grep -qx 0
'

test_expect_success 'a passphrase comes from a file or the environment, never from nowhere' '
	printf "rätt lösen\nsecond line ignored\n" > pass &&
	"$STEGC" keygen -o k --passphrase-file pass --kdf interactive > /dev/null &&
	test "$(sed -n 1p k.key)" = "untrusted comment: steg secret key $(sed -n "s/.* //p" k.pub | head -1) (encrypted with a passphrase)" &&
	test "$(sed -n 2p k.key | base64 -d | head -c 6)" = EdScB2 &&
	cp "$BASE" b.steg &&
	PASS="rätt lösen" "$STEGC" sign b.steg --key k.key --passphrase-env PASS > out &&
	grep -q "^signed se.test.bas@1.0.0 for $PUBLISHER with key " out &&
	run out env -u NOPE "$STEGC" sign b.steg --key k.key --passphrase-env NOPE &&
	test $rc = 1 &&
	echo "stegc: error: environment variable '"'"'NOPE'"'"' is not set [key-passphrase]" > want &&
	test_cmp want out &&
	run out notty "$STEGC" sign b.steg --key k.key &&
	test $rc = 1 &&
	echo "stegc: error: no terminal to ask for the passphrase of '"'"'k.key'"'"'; use --passphrase-env VAR or --passphrase-file FILE [key-passphrase]" > want &&
	test_cmp want out &&
	run out notty "$STEGC" keygen -o other &&
	test $rc = 1 && test ! -e other.key && test ! -e other.pub
'

# The terminal is a pseudo-terminal driven by tests/tools/pty-answer.py,
# which answers each prompt once it has appeared (echo is off by then).
PTY="python3 $SRC/tests/tools/pty-answer.py"
ASK1="passphrase for the new key: " ASK2="the same passphrase again: "

test_expect_success 'the terminal is asked twice, with echo off, when no option says where' '
	$PTY "$ASK1" tangent-lösen "$ASK2" tangent-lösen -- \
		"$STEGC" keygen -o k --kdf interactive > out &&
	tr -d "\r" < out > got &&
	id=$(sed -n "s/^key id: //p" got) &&
	test -n "$id" &&
	printf "%s\n%s\nsecret key: k.key\npublic key: k.pub\nkey id: %s\n" "$ASK1" "$ASK2" "$id" > want &&
	test_cmp want got &&
	! grep -q tangent out &&
	printf "tangent-lösen\n" > pass &&
	cp "$BASE" b.steg &&
	"$STEGC" sign b.steg --key k.key --passphrase-file pass > /dev/null
'

test_expect_success 'two different passphrases at the terminal make no key' '
	rc=0 &&
	$PTY "$ASK1" ett "$ASK2" "ett annat" -- \
		"$STEGC" keygen -o k2 --kdf interactive > out || rc=$?
	test $rc = 1 &&
	tr -d "\r" < out > got &&
	printf "%s\n%s\nstegc: error: the two passphrases differ [key-passphrase]\n" "$ASK1" "$ASK2" > want &&
	test_cmp want got &&
	test ! -e k2.key && test ! -e k2.pub &&
	! grep -q "ett" out
'

test_expect_success 'a wrong passphrase is refused and the bundle is left as it was' '
	printf "rätt\n" > pass && printf "fel\n" > wrong &&
	"$STEGC" keygen -o k --passphrase-file pass --kdf interactive > /dev/null &&
	cp "$BASE" b.steg && cp b.steg b.orig &&
	run out "$STEGC" sign b.steg --key k.key --passphrase-file wrong &&
	test $rc = 1 &&
	echo "stegc: error: wrong passphrase for secret key '"'"'k.key'"'"' [key-passphrase]" > want &&
	test_cmp want out &&
	cmp b.steg b.orig
'

test_expect_success 'an unencrypted key is used only with --unencrypted' '
	"$STEGC" keygen -o k --unencrypted > /dev/null &&
	cp "$BASE" b.steg &&
	run out "$STEGC" sign b.steg --key k.key &&
	test $rc = 1 &&
	echo "stegc: error: secret key '"'"'k.key'"'"' is not encrypted; pass --unencrypted to use it anyway [key-unencrypted]" > want &&
	test_cmp want out &&
	"$STEGC" sign b.steg --key k.key --unencrypted > /dev/null
'

test_expect_success 'a damaged secret key is refused, not used' '
	"$STEGC" keygen -o k --unencrypted > /dev/null &&
	cp "$BASE" b.steg &&
	python3 -c "
import base64
l = open(\"k.key\").read().split(\"\n\")
raw = bytearray(base64.b64decode(l[1])); raw[100] ^= 1
l[1] = base64.b64encode(bytes(raw)).decode()
open(\"bad.key\", \"w\").write(\"\n\".join(l))
" &&
	run out "$STEGC" sign b.steg --key bad.key --unencrypted &&
	test $rc = 1 &&
	echo "stegc: error: secret key '"'"'bad.key'"'"' is damaged (checksum mismatch) [key-malformed]" > want &&
	test_cmp want out &&
	printf "untrusted comment: x\nnot base64\n" > junk.key &&
	run out "$STEGC" sign b.steg --key junk.key --unencrypted &&
	test $rc = 1 &&
	echo "stegc: error: '"'"'junk.key'"'"' is not a minisign secret key file [key-malformed]" > want &&
	test_cmp want out
'

test_expect_success 'minisign -V verifies a bundle that stegc signed' '
	printf "lösen\n" > pass &&
	"$STEGC" keygen -o k --passphrase-file pass --kdf interactive > /dev/null &&
	cp "$BASE" b.steg &&
	"$STEGC" sign b.steg --key k.key --passphrase-file pass --expires 30 > /dev/null &&
	mkdir x && (cd x && unzip -q ../b.steg manifest.xml manifest.xml.minisig) &&
	minisign -V -p k.pub -m x/manifest.xml > out &&
	sed -n 1p out > line1 && echo "Signature and comment signature verified" > want &&
	test_cmp want line1 &&
	grep -Eq "^Trusted comment: steg kind=bundle publisher=$PUBLISHER id=se.test.bas version=1.0.0 expires=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$" out &&
	exp=$(sed -n "s/.*expires=//p" out) &&
	test "$exp" = "$(date -u -d @$((SOURCE_DATE_EPOCH + 30 * 86400)) +%Y-%m-%dT%H:%M:%SZ)"
'

test_expect_success 'without SOURCE_DATE_EPOCH the expiry counts from now' '
	"$STEGC" keygen -o n --unencrypted > /dev/null &&
	cp "$BASE" b.steg &&
	env -u SOURCE_DATE_EPOCH "$STEGC" sign b.steg --key n.key --unencrypted --expires 30 > /dev/null &&
	mkdir x && (cd x && unzip -q ../b.steg manifest.xml.minisig) &&
	exp=$(sed -n "s/^trusted comment: .*expires=//p" x/manifest.xml.minisig) &&
	{ test "$exp" = "$(date -u -d @$(( $(date +%s) + 30 * 86400 )) +%Y-%m-%dT%H:%M:%SZ)" ||
	  test "$exp" = "$(date -u -d @$(( $(date +%s) + 30 * 86400 - 1 )) +%Y-%m-%dT%H:%M:%SZ)"; }
'

test_expect_success 'build --sign and build + sign give byte-identical bundles (one expiry rule)' '
	"$STEGC" keygen -o s --unencrypted > /dev/null &&
	for days in 30 365; do
		"$STEGC" build -q "$SRC/tests/golden/base" -o a.steg --sign s.key --unencrypted --expires $days &&
		"$STEGC" build -q "$SRC/tests/golden/base" -o b.steg &&
		"$STEGC" sign b.steg --key s.key --unencrypted --expires $days > /dev/null &&
		cmp a.steg b.steg || exit 1
	done &&
	"$STEGC" build -q "$SRC/tests/golden/base" -o a.steg --sign s.key --unencrypted &&
	"$STEGC" build -q "$SRC/tests/golden/base" -o b.steg &&
	"$STEGC" sign b.steg --key s.key --unencrypted > /dev/null &&
	cmp a.steg b.steg
'

test_expect_success 'stegc sign refuses an expiry that has already passed, as build --sign does' '
	"$STEGC" keygen -o s --unencrypted > /dev/null &&
	cp "$BASE" b.steg && cp b.steg before.steg &&
	run out env SOURCE_DATE_EPOCH=1700000000 "$STEGC" sign b.steg --key s.key --unencrypted &&
	test "$rc" = 1 &&
	echo "stegc: error: the signature would expire at 2024-11-13T22:13:20Z, which has passed (SOURCE_DATE_EPOCH plus 365 days); give a larger '"'"'--expires'"'"', or a later SOURCE_DATE_EPOCH [bundle-signature-expired]" > want &&
	test_cmp want out &&
	cmp before.steg b.steg
'

test_expect_success 'minisign signs with a stegc key, stegc verify accepts it' '
	printf "lösen\n" > pass &&
	"$STEGC" keygen -o k --passphrase-file pass --kdf interactive > /dev/null &&
	cp "$BASE" b.steg && mkdir x && (cd x && unzip -q ../b.steg manifest.xml) &&
	(cd x && printf "lösen\n" | minisign -S -s ../k.key -m manifest.xml \
		-t "steg kind=bundle publisher=$PUBLISHER id=se.test.bas version=1.0.0 expires=2099-01-01T00:00:00Z" > /dev/null &&
		zip -q ../b.steg manifest.xml.minisig) &&
	"$STEGC" verify b.steg --pubkey k.pub > out &&
	grep -q "^b.steg: ok .*signed by $(sed -n "s/.* //p" k.pub | head -1)" out
'

test_expect_success 'stegc signs with an unencrypted minisign key (minisign -G -W)' '
	minisign -G -W -p m.pub -s m.key > /dev/null &&
	cp "$BASE" b.steg &&
	"$STEGC" sign b.steg --key m.key --unencrypted > /dev/null &&
	"$STEGC" verify b.steg --pubkey m.pub > /dev/null &&
	mkdir x && (cd x && unzip -q ../b.steg manifest.xml manifest.xml.minisig) &&
	minisign -Vq -p m.pub -m x/manifest.xml
'

test_expect_success 'stegc opens minisign'"'"'s own encrypted key (scrypt, 1 GiB)' '
	printf "minisign-lösen\nminisign-lösen\n" | minisign -G -p m.pub -s m.key > /dev/null 2>&1 &&
	test "$(sed -n 2p m.key | base64 -d | head -c 6)" = EdScB2 &&
	printf "minisign-lösen\n" > pass &&
	cp "$BASE" b.steg &&
	"$STEGC" sign b.steg --key m.key --passphrase-file pass > /dev/null &&
	mkdir x && (cd x && unzip -q ../b.steg manifest.xml manifest.xml.minisig) &&
	minisign -Vq -p m.pub -m x/manifest.xml
'

# Sign manifest.xml with minisign and the trusted comment $1, put the
# signature into b.steg, and run stegc verify --pubkey m.pub.
minisign_comment() {
	cp "$BASE" b.steg && rm -rf x && mkdir x &&
	(cd x && unzip -q ../b.steg manifest.xml &&
		minisign -S -s ../m.key -m manifest.xml -t "$1" < /dev/null > /dev/null &&
		zip -q ../b.steg manifest.xml.minisig) &&
	run out "$STEGC" verify b.steg --pubkey m.pub
}

test_expect_success 'the trusted comment is parsed strictly' '
	minisign -G -W -p m.pub -s m.key > /dev/null &&
	P="publisher=$PUBLISHER id=se.test.bas version=1.0.0" &&
	for c in \
		"steg kind=bundle $P expires=2099-01-01T00:00:00Z|" \
		"timestamp:1700000000	file:manifest.xml	hashed|it does not start with '"'"'steg '"'"'" \
		"steg kind=bundle $P expires=2099-01-01T00:00:00Z owner=x|unexpected field '"'"'owner'"'"' after '"'"'expires'"'"'" \
		"steg kind=bundle $P|field '"'"'expires'"'"' is missing" \
		"steg kind=bundle id=se.test.bas publisher=$PUBLISHER version=1.0.0 expires=2099-01-01T00:00:00Z|field '"'"'id'"'"' is out of place or repeated; expected '"'"'publisher'"'"'" \
		"steg kind=bundle $P expires=2027-02-30T00:00:00Z|bad value '"'"'2027-02-30T00:00:00Z'"'"' for '"'"'expires'"'"'" \
		"steg kind=bundle $P  expires=2099-01-01T00:00:00Z|fields are separated by one space" \
		"steg kind=bundle $P expires=2099-01-01T00:00:00Z |it ends with a space" \
		"steg kind=program $P expires=2099-01-01T00:00:00Z|unknown kind '"'"'program'"'"'" \
		"steg kind=bundle publisher=SE/1 id=se.test.bas version=1.0.0 expires=2099-01-01T00:00:00Z|bad value '"'"'SE/1'"'"' for '"'"'publisher'"'"'" \
		"steg kind=index publisher=$PUBLISHER sequence=07 expires=2099-01-01T00:00:00Z|bad value '"'"'07'"'"' for '"'"'sequence'"'"'"
	do
		comment=${c%|*} why=${c##*|} &&
		minisign_comment "$comment" &&
		if test -z "$why"; then
			test $rc = 0 || { cat out; false; }
		else
			test $rc = 1 &&
			grep -Fx "error: the trusted comment is not in Steg'"'"'s grammar: $why [sig-comment]" out ||
			{ echo "comment: $comment"; cat out; false; }
		fi || return 1
	done
'

test_expect_success 'a legacy (not prehashed) minisign signature is refused' '
	minisign -G -W -p m.pub -s m.key > /dev/null &&
	cp "$BASE" b.steg && mkdir x &&
	(cd x && unzip -q ../b.steg manifest.xml &&
		minisign -S -l -s ../m.key -m manifest.xml -t "steg kind=bundle publisher=$PUBLISHER id=se.test.bas version=1.0.0 expires=2099-01-01T00:00:00Z" < /dev/null > /dev/null &&
		zip -q ../b.steg manifest.xml.minisig) &&
	run out "$STEGC" verify b.steg --pubkey m.pub &&
	test $rc = 1 &&
	grep -Fx "error: the signature is not in minisign'"'"'s format: it is a legacy (not prehashed) signature; sign without minisign'"'"'s -l [sig-malformed]" out
'

test_expect_success 'an altered trusted comment breaks the signature, for stegc and minisign alike' '
	"$STEGC" keygen -o k --unencrypted > /dev/null &&
	cp "$BASE" b.steg &&
	"$STEGC" sign b.steg --key k.key --unencrypted > /dev/null &&
	mkdir x && (cd x && unzip -q ../b.steg manifest.xml manifest.xml.minisig &&
		sed -i "3s/version=1.0.0/version=9.0.0/" manifest.xml.minisig &&
		zip -q ../b.steg manifest.xml.minisig) &&
	run out "$STEGC" verify b.steg --pubkey k.pub &&
	test $rc = 1 &&
	grep -Fx "error: the trusted comment'"'"'s signature does not hold [sig-invalid]" out &&
	! minisign -Vq -p k.pub -m x/manifest.xml 2> /dev/null
'

test_expect_success 'sign refuses bad options and a damaged bundle' '
	"$STEGC" keygen -o k --unencrypted > /dev/null &&
	cp "$BASE" b.steg &&
	run out "$STEGC" sign b.steg --key k.key --unencrypted --expires 0 &&
	test $rc = 2 &&
	grep -Fx "stegc: error: '"'"'--expires'"'"' takes a number of days from 1 to 36600, not '"'"'0'"'"'" out &&
	run out "$STEGC" sign b.steg &&
	test $rc = 2 &&
	printf "not a zip" > junk.steg &&
	run out "$STEGC" sign junk.steg --key k.key --unencrypted &&
	test $rc = 1 &&
	printf "not a zip" | cmp junk.steg -
'

test_done
