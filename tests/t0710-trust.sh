#!/bin/sh
# t0710 — steg trust add|list|remove, and what trust means for import:
# a key vouches only for the region it was trusted for, a removed key's
# signatures are refused as such, and every refusal leaves the registry's
# keys and versions as they were.
. "$(dirname "$0")/lib.sh"

A=SE2321000016-0001          # this registry's region; the base program's producer
B=SE2321000024-0002          # a partner region
ADMIN=SE2321000016-A001
UADM=SE2321000016-A002
PUB=SE2321000016-P001
U1=SE2321000016-U001
K=$TRASH_ROOT/keys
mkdir -p "$K"
BASE=$TRASH_ROOT/base.steg
BASE_B=$TRASH_ROOT/base-b.steg   # the same program, produced by B
"$STEGC" build -q "$SRC/tests/golden/base" -o "$BASE" &&
cp -R "$SRC/tests/golden/base" "$TRASH_ROOT/src-b" &&
sed -i "s/^  id: $A$/  id: $B/" "$TRASH_ROOT/src-b/program.yaml" &&
"$STEGC" build -q "$TRASH_ROOT/src-b" -o "$BASE_B" &&
"$STEGC" keygen -o "$K/a" --unencrypted > /dev/null &&
"$STEGC" keygen -o "$K/b" --unencrypted > /dev/null &&
"$STEGC" keygen -o "$K/p" --unencrypted > /dev/null ||
	{ echo "Bail out! cannot make the keys and the base bundle"; exit 1; }
KA=$(sed -n 's/.* //p' "$K/a.pub" | head -1)
KB=$(sed -n 's/.* //p' "$K/b.pub" | head -1)
KP=$(sed -n 's/.* //p' "$K/p.pub" | head -1)

setup() {
	"$STEG" init --region $A --name "Region A" --admin $ADMIN --key "$K/a.pub" > /dev/null &&
	"$STEG" unit add $U1 --name "Vårdcentral Norr" --as $ADMIN > /dev/null &&
	"$STEG" user add $UADM --name "Ulla" --role admin --unit $U1 --as $ADMIN > /dev/null &&
	"$STEG" user add $PUB --name "Pia" --role publisher --as $ADMIN > /dev/null
}

# What a refusal must not change.
state() {
	sqlite3 steg.db "SELECT region, keyid, pubkey, removed_at IS NULL FROM trusted_keys ORDER BY id;
		SELECT program, version, bundle_sha256 FROM versions ORDER BY 1, 2;" > "$1"
}

# refused CODE MESSAGE CMD...: exit CODE, "steg: error: MESSAGE", state kept.
refused() {
	want_rc=$1 msg=$2; shift 2
	state before &&
	run out "$@" &&
	state after &&
	test_cmp before after &&
	test $rc = $want_rc || { echo "exit $rc, expected $want_rc"; cat out; return 1; }
	echo "steg: error: $msg" > want.msg &&
	grep "^steg: " out > got.msg || true
	test_cmp want.msg got.msg
}

# sign_as KEY PUBLISHER [EXPIRES]: a copy of the base bundle ($BUNDLE when
# set) signed with minisign (the trusted comment chosen freely) -> b.steg
sign_as() {
	cp "${BUNDLE:-$BASE}" b.steg && rm -rf x && mkdir x &&
	(cd x && unzip -q ../b.steg manifest.xml &&
		minisign -S -s "$1" -m manifest.xml \
			-t "steg kind=bundle publisher=$2 id=se.test.bas version=1.0.0 expires=${3:-2099-01-01T00:00:00Z}" \
			< /dev/null > /dev/null &&
		zip -q ../b.steg manifest.xml.minisig)
}

test_expect_success 'trust add by a region-wide admin, shown by trust list' '
	setup &&
	"$STEG" trust add --region $B --key "$K/b.pub" --as $ADMIN --comment "avtal 2026-11" > out &&
	echo "trusted key $KB for region '"'"'$B'"'"'" > want && test_cmp want out &&
	"$STEG" trust list > out &&
	sed "s/added [^ ]* by/added T by/" out > got &&
	printf "%-24s %s  added T by %s  (%s)\n" $A $KA $ADMIN "the region'"'"'s own key" $B $KB $ADMIN "avtal 2026-11" > want &&
	test_cmp want got &&
	"$STEG" trust list --json > out.json &&
	python3 -c "
import json, sys
v = json.load(open(\"out.json\"))
assert [(k[\"region\"], k[\"key_id\"]) for k in v] == [(\"$A\", \"$KA\"), (\"$B\", \"$KB\")], v
assert v[1][\"public_key\"] == open(\"$K/b.pub\").read().split(\"\n\")[1]
assert v[1][\"comment\"] == \"avtal 2026-11\" and v[1][\"added_by\"] == \"$ADMIN\"
" &&
	test "$(sqlite3 steg.db "SELECT action, object, outcome FROM audit ORDER BY seq DESC LIMIT 1")" = "trust add|$KB|ok"
'

test_expect_success 'only a region-wide admin changes trust' '
	setup &&
	refused 1 "user '"'"'$PUB'"'"' is a publisher; this takes an admin" \
		"$STEG" trust add --region $B --key "$K/b.pub" --as $PUB &&
	refused 1 "user '"'"'$UADM'"'"' is an admin of unit '"'"'$U1'"'"'; only a region-wide admin changes which keys are trusted" \
		"$STEG" trust add --region $B --key "$K/b.pub" --as $UADM &&
	refused 1 "user '"'"'$UADM'"'"' is an admin of unit '"'"'$U1'"'"'; only a region-wide admin changes which keys are trusted" \
		"$STEG" trust remove --region $A --key-id $KA --as $UADM &&
	test "$(sqlite3 steg.db "SELECT outcome FROM audit ORDER BY seq DESC LIMIT 1")" = refused
'

test_expect_success 'one key is trusted for one region at a time' '
	setup &&
	refused 1 "key $KA is already trusted for region '"'"'$A'"'"'; remove it first to trust it for another" \
		"$STEG" trust add --region $B --key "$K/a.pub" --as $ADMIN
'

test_expect_success 'a file that is not a public key is refused before anything' '
	setup &&
	printf "untrusted comment: x\nAAAA\n" > bad.pub &&
	refused 1 "'"'"'bad.pub'"'"' does not hold an Ed25519 public key in base64 [key-malformed]" \
		"$STEG" trust add --region $B --key bad.pub --as $ADMIN &&
	refused 1 "'"'"'$K/a.key'"'"' is a secret key; give the public key (.pub) instead, and keep the secret one secret [key-malformed]" \
		"$STEG" trust add --region $B --key "$K/a.key" --as $ADMIN &&
	run out "$STEG" trust add --region "S E" --key "$K/b.pub" --as $ADMIN &&
	test $rc = 2
'

test_expect_success 'trust remove ends the trust and keeps the history' '
	setup &&
	"$STEG" trust add --region $B --key "$K/b.pub" --as $ADMIN > /dev/null &&
	refused 1 "region '"'"'$A'"'"' has no trusted key $KB (see '"'"'steg trust list'"'"')" \
		"$STEG" trust remove --region $A --key-id $KB --as $ADMIN &&
	run out "$STEG" trust remove --region $B --key-id nothex --as $ADMIN &&
	test $rc = 2 &&
	"$STEG" trust remove --region $B --key-id "$(echo $KB | tr A-F a-f)" --as $ADMIN > out &&
	echo "removed key $KB of region '"'"'$B'"'"' from the trusted keys" > want &&
	test_cmp want out &&
	"$STEG" trust list | cut -c1-41 > got &&
	printf "%-24s %s\n" $A $KA | cut -c1-41 > want && test_cmp want got &&
	"$STEG" trust list --all | grep "^$B .*removed .* by $ADMIN" &&
	"$STEG" trust add --region $B --key "$K/b.pub" --as $ADMIN > /dev/null &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM trusted_keys WHERE keyid = '"'"'$KB'"'"'")" = 2
'

test_expect_success 'a key signs only for the region it was trusted for' '
	setup &&
	"$STEG" trust add --region $B --key "$K/b.pub" --as $ADMIN > /dev/null &&
	sign_as "$K/b.key" $A &&
	refused 1 "'"'"'b.steg'"'"' claims publisher '"'"'$A'"'"', but key $KB is trusted only for '"'"'$B'"'"'; trust the partner'"'"'s own key for '"'"'$A'"'"' with '"'"'steg trust add --region $A --key FILE'"'"', or have it signed with a key trusted for '"'"'$A'"'"'; nothing was imported" \
		"$STEG" import b.steg --as $PUB
'

test_expect_success 'a partner key imports, and after trust remove it is refused as removed' '
	setup &&
	"$STEG" trust add --region $B --key "$K/p.pub" --as $ADMIN > /dev/null &&
	BUNDLE=$BASE_B sign_as "$K/p.key" $B &&
	"$STEG" import b.steg --as $PUB > /dev/null &&
	"$STEG" trust remove --region $B --key-id $KP --as $ADMIN > /dev/null &&
	cp "$TRASH_ROOT/src-b" -R src2 &&
	sed -i "s/^version: 1.0.0$/version: 1.0.1/" src2/program.yaml &&
	"$STEGC" build -q src2 -o c.steg && rm -rf x && mkdir x &&
	(cd x && unzip -q ../c.steg manifest.xml &&
		minisign -S -s "$K/p.key" -m manifest.xml -t "steg kind=bundle publisher=$B id=se.test.bas version=1.0.1 expires=2099-01-01T00:00:00Z" < /dev/null > /dev/null &&
		zip -q ../c.steg manifest.xml.minisig) &&
	when=$(sqlite3 steg.db "SELECT removed_at FROM trusted_keys WHERE keyid = '"'"'$KP'"'"'") &&
	refused 1 "'"'"'c.steg'"'"' is signed by key $KP of region '"'"'$B'"'"', which was removed from the trusted keys at $when; if the agreement with '"'"'$B'"'"' goes on, trust its current key with '"'"'steg trust add --region $B --key FILE'"'"'; nothing was imported" \
		"$STEG" import c.steg --as $PUB &&
	"$STEG" list | grep -c "^se.test.bas@" | grep -qx 1
'

test_expect_success 'an untrusted key, an expired signature and the wrong kind are refused' '
	setup &&
	sign_as "$K/b.key" $A &&
	refused 1 "'"'"'b.steg'"'"' is signed by key $KB, which is not trusted here; if it comes from a partner region, trust that region'"'"'s public key with '"'"'steg trust add --region HSA-ID --key FILE'"'"' (see '"'"'steg trust list'"'"'); nothing was imported" \
		"$STEG" import b.steg --as $PUB &&
	sign_as "$K/a.key" $A 2020-01-01T00:00:00Z &&
	refused 1 "the signature of '"'"'b.steg'"'"' expired at 2020-01-01T00:00:00Z; ask the publisher to sign it again with a later expiry ('"'"'stegc sign --expires DAYS'"'"'); nothing was imported" \
		"$STEG" import b.steg --as $PUB &&
	cp "$BASE" b.steg && rm -rf x && mkdir x &&
	(cd x && unzip -q ../b.steg manifest.xml &&
		minisign -S -s "$K/a.key" -m manifest.xml -t "steg kind=index publisher=$A sequence=1 expires=2099-01-01T00:00:00Z" < /dev/null > /dev/null &&
		zip -q ../b.steg manifest.xml.minisig) &&
	refused 1 "the signature of '"'"'b.steg'"'"' is for an index, not for a bundle; a signature counts only for what it was made for: bundles are signed with '"'"'stegc sign'"'"', indexes by '"'"'steg share'"'"'; nothing was imported" \
		"$STEG" import b.steg --as $PUB
'

test_done
