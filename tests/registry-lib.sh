# tests/registry-lib.sh — sourced by the registry tests (t06xx) after
# tests/lib.sh: a region with two care units and a user of every kind, the
# bundles the tests import, and a way to see whether a command changed
# anything.
#
#   REGION   the region           ADMIN  its region-wide admin
#   U1, U2   care units           UADM1  admin of U1 only
#   PUB      region publisher     CLIN1, CLIN2  clinicians at U1, U2
#   GONE     a deactivated clinician at U1
#
# Bundles are built once per script into $BUNDLES: base.steg (se.test.bas
# 1.0.0, unsigned), base2.steg (1.1.0), base-signed.steg (1.0.0 signed by
# region.key) and region.pub / other.pub (a key nobody trusts).  The
# signatures are made at the test's own clock (SIGNED_AT, now) and expire
# 30 days later: nothing here depends on the calendar year the suite runs
# in, and the bundles are otherwise the bytes of base.steg.

REGION=SE2321000016-0001
ADMIN=SE2321000016-A001
UADM1=SE2321000016-A002
PUB=SE2321000016-P001
U1=SE2321000016-U001
U2=SE2321000016-U002
CLIN1=SE2321000016-C001
CLIN2=SE2321000016-C002
GONE=SE2321000016-C009
PROG=se.test.bas
V1=se.test.bas@1.0.0
V2=se.test.bas@1.1.0
BUNDLES=$TRASH_ROOT/bundles
SIGNED_AT=$(date +%s)

# Build the test bundles (once per script).
make_bundles() {
	[ -f "$BUNDLES/base2.steg" ] && return 0
	mkdir -p "$BUNDLES" &&
	"$STEGC" build -q "$SRC/tests/golden/base" -o "$BUNDLES/base.steg" &&
	rm -rf "$BUNDLES/src2" && cp -R "$SRC/tests/golden/base" "$BUNDLES/src2" &&
	sed 's/^version: 1.0.0$/version: 1.1.0/' "$SRC/tests/golden/base/program.yaml" \
		> "$BUNDLES/src2/program.yaml" &&
	"$STEGC" build -q "$BUNDLES/src2" -o "$BUNDLES/base2.steg" &&
	"$STEGC" keygen -o "$BUNDLES/region" --unencrypted > /dev/null &&
	"$STEGC" keygen -o "$BUNDLES/other" --unencrypted > /dev/null &&
	cp "$BUNDLES/base.steg" "$BUNDLES/base-signed.steg" &&
	SOURCE_DATE_EPOCH=$SIGNED_AT "$STEGC" sign "$BUNDLES/base-signed.steg" \
		--key "$BUNDLES/region.key" --unencrypted --expires 30 > /dev/null &&
	cp "$BUNDLES/base.steg" "$BUNDLES/base-other.steg" &&
	SOURCE_DATE_EPOCH=$SIGNED_AT "$STEGC" sign "$BUNDLES/base-other.steg" \
		--key "$BUNDLES/other.key" --unencrypted --expires 30 > /dev/null
}

# A registry (./steg.db) with the people above.
setup_registry() {
	"$STEG" init --region $REGION --name "Region Test" --admin $ADMIN \
		--admin-name "Anna Admin" --key "$BUNDLES/region.pub" > /dev/null &&
	"$STEG" unit add $U1 --name "Vårdcentral Norr" --as $ADMIN > /dev/null &&
	"$STEG" unit add $U2 --name "Vårdcentral Syd" --as $ADMIN > /dev/null &&
	"$STEG" user add $UADM1 --name "Ulla Enhetsadmin" --role admin --unit $U1 --as $ADMIN > /dev/null &&
	"$STEG" user add $PUB --name "Pia Utgivare" --role publisher --as $ADMIN > /dev/null &&
	"$STEG" user add $CLIN1 --name "Cilla Behandlare" --role clinician --unit $U1 --as $ADMIN > /dev/null &&
	"$STEG" user add $CLIN2 --name "Clas Behandlare" --role clinician --unit $U2 --as $ADMIN > /dev/null &&
	"$STEG" user add $GONE --name "Gunnar Slutat" --role clinician --unit $U1 --as $ADMIN > /dev/null &&
	"$STEG" user deactivate $GONE --as $ADMIN > /dev/null
}

# setup_registry, then V1 imported and approved (and V2 imported).
setup_imported() {
	setup_registry &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	"$STEG" import "$BUNDLES/base2.steg" --as $PUB --allow-unsigned > /dev/null &&
	"$STEG" approve $V1 --as $PUB > /dev/null
}

# Everything in the registry but the audit log, as text.
state() {
	sqlite3 steg.db .dump | grep -v '^INSERT INTO audit VALUES'
}

# The number of audit rows.
audit_rows() {
	sqlite3 steg.db 'SELECT count(*) FROM audit'
}

# The last audit row's outcome|action|object|detail.
last_audit() {
	sqlite3 steg.db 'SELECT outcome, action, object, unit, detail FROM audit ORDER BY seq DESC LIMIT 1'
}

# refused EXPECTED-EXIT 'message' command...: the command exits as said,
# prints "steg: error: message" as its first such line on stderr (after
# any findings about a bundle), and changes
# nothing but, when EXPECTED-EXIT is 1, one "refused" audit row.
refused() {
	want_rc=$1; want_msg=$2; shift 2
	state > before.state
	n0=$(audit_rows)
	rc=0
	"$@" > refused.out 2> refused.err || rc=$?
	if [ "$rc" != "$want_rc" ]; then
		echo "exit $rc, expected $want_rc"; cat refused.out refused.err; return 1
	fi
	echo "steg: error: $want_msg" > refused.want
	grep "^steg: error: " refused.err | head -n 1 > refused.err1
	test_cmp refused.want refused.err1 || return 1
	state > after.state
	test_cmp before.state after.state || return 1
	n1=$(audit_rows)
	if [ "$want_rc" = 1 ]; then
		[ "$n1" = $((n0 + 1)) ] || { echo "audit rows $n0 -> $n1"; return 1; }
		[ "$(sqlite3 steg.db 'SELECT outcome FROM audit ORDER BY seq DESC LIMIT 1')" = refused ] ||
			{ echo "last audit row is not 'refused'"; last_audit; return 1; }
	else
		[ "$n1" = "$n0" ] || { echo "audit rows $n0 -> $n1"; return 1; }
	fi
}
