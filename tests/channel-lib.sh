# tests/channel-lib.sh — sourced by the channel tests (t072x, t073x) after
# tests/lib.sh: two regions, A (publishes) and B (syncs), their keys and
# registries under $W, and the signed bundles A shares:
#
#   $W/A.db, $W/B.db        the registries (region A trusts its own key;
#                           region B trusts its own key and A's)
#   $W/a.key, $W/a.pub      region A's key (unencrypted: tests only)
#   $W/v1.steg v2 v3        se.test.bas 1.0.0, 1.1.0, 1.2.0 signed by A,
#                           imported into A
#   $W/x.key, $W/x.pub      a key nobody trusts
#
# sign_file KEY FILE COMMENT signs FILE with minisign (any trusted comment)
# into FILE.minisig, for indexes the tests forge.

# Signatures count their expiry from SOURCE_DATE_EPOCH (docs/signatures.md):
# a recent build time, so that the bundles' year-long signatures hold.
NOW=$(date +%s)
export SOURCE_DATE_EPOCH=$((NOW - NOW % 86400))

RA=SE2321000016-0001          # the base program's producer
RB=SE2321000024-0002
AADM=SE2321000016-A001
APUB=SE2321000016-P001
BADM=SE2321000024-A001
BPUB=SE2321000024-P001
W=$TRASH_ROOT/w

setup_regions() {
	mkdir -p "$W" &&
	"$STEGC" keygen -o "$W/a" --unencrypted > /dev/null &&
	"$STEGC" keygen -o "$W/b" --unencrypted > /dev/null &&
	"$STEGC" keygen -o "$W/x" --unencrypted > /dev/null &&
	for v in 1.0.0:v1 1.1.0:v2 1.2.0:v3; do
		rm -rf "$W/src" && cp -R "$SRC/tests/golden/base" "$W/src" &&
		sed -i "s/^version: 1.0.0$/version: ${v%:*}/" "$W/src/program.yaml" &&
		"$STEGC" build -q "$W/src" -o "$W/${v#*:}.steg" &&
		"$STEGC" sign "$W/${v#*:}.steg" --key "$W/a.key" --unencrypted > /dev/null ||
		return 1
	done &&
	"$STEG" --db "$W/A.db" init --region $RA --name "Region A" --admin $AADM --key "$W/a.pub" > /dev/null &&
	"$STEG" --db "$W/A.db" user add $APUB --name "Pia A" --role publisher --as $AADM > /dev/null &&
	for v in v1 v2 v3; do
		"$STEG" --db "$W/A.db" import "$W/$v.steg" --as $APUB > /dev/null || return 1
	done &&
	"$STEG" --db "$W/B.db" init --region $RB --name "Region B" --admin $BADM --key "$W/b.pub" > /dev/null &&
	"$STEG" --db "$W/B.db" user add $BPUB --name "Per B" --role publisher --as $BADM > /dev/null &&
	"$STEG" --db "$W/B.db" trust add --region $RA --key "$W/a.pub" --as $BADM > /dev/null
}

KEYID_A() { sed -n 's/.* //p' "$W/a.pub" | head -1; }

share_a() {
	"$STEG" --db "$W/A.db" share "$1" --channel "$2" --key "$W/a.key" --unencrypted --as $APUB
}

sync_b() {
	"$STEG" --db "$W/B.db" sync "$1" --as $BPUB
}

# What a refused sync must leave as it was in B.
b_state() {
	sqlite3 "$W/B.db" "SELECT program, version, bundle_sha256 FROM versions ORDER BY 1, 2;
		SELECT count(*) FROM blobs;
		SELECT name FROM sqlite_schema WHERE name = 'channel_seen';" > "$1" &&
	if sqlite3 "$W/B.db" "SELECT 1 FROM sqlite_schema WHERE name = 'channel_seen'" | grep -q 1; then
		sqlite3 "$W/B.db" "SELECT region, sequence, expires FROM channel_seen" >> "$1"
	fi
}

# sync_refused MESSAGE LOCATION: B's sync exits 1 with exactly
# "steg: error: MESSAGE" as its last line, and changes nothing but the
# audit log (where the refusal is written).
sync_refused() {
	b_state before.state &&
	run out sync_b "$2" &&
	b_state after.state &&
	test_cmp before.state after.state &&
	test $rc = 1 || { echo "exit $rc, expected 1"; cat out; return 1; }
	echo "steg: error: $1" > want.msg &&
	tail -n 1 out > got.msg &&
	test_cmp want.msg got.msg &&
	test "$(sqlite3 "$W/B.db" "SELECT action, outcome FROM audit ORDER BY seq DESC LIMIT 1")" = "sync|refused"
}

sign_file() {
	minisign -S -s "$1" -m "$2" -t "$3" < /dev/null > /dev/null
}
