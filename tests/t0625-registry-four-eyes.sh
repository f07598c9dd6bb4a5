#!/bin/sh
# t0625 — four-eyes approval: a region policy, set at init or by a
# region-wide admin with `steg policy set`, audited, under which the
# publisher who imported a version may not approve it; and an approval,
# which holds for the whole region, is given only by a region-wide
# publisher.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

PUB2=SE2321000016-P002       # a second region-wide publisher
UPUB=SE2321000016-P003       # a publisher of unit U1
q="'"
TAB=$(printf '\t')

more_people() {
	"$STEG" user add $PUB2 --name "Per Granskare" --role publisher --as $ADMIN > /dev/null &&
	"$STEG" user add $UPUB --name "Ulf Enhetsutgivare" --role publisher --unit $U1 --as $ADMIN > /dev/null
}

test_expect_success 'by default four-eyes approval is off, and init says so' '
	"$STEG" init --region $REGION --name "Region Test" --admin $ADMIN > out &&
	tail -n 1 out > out1 &&
	echo "four-eyes approval is off (turn it on with ${q}steg policy set four-eyes on${q})" > want &&
	test_cmp want out1 &&
	"$STEG" policy > out &&
	printf "four-eyes\toff\tnever set\n" > want && test_cmp want out &&
	"$STEG" policy list --json > out &&
	test "$(jq -c ".[0]" out)" = "{\"name\":\"four-eyes\",\"value\":\"off\",\"set_at\":null,\"set_by\":null}" &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 4 &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM policies")" = 0
'

test_expect_success 'with the policy off the importer may approve, as before' '
	setup_registry &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	"$STEG" approve $V1 --as $PUB > out &&
	echo "approved $V1" > want && test_cmp want out
'

test_expect_success 'init --four-eyes turns it on from the start, audited' '
	"$STEG" init --region $REGION --name "Region Test" --admin $ADMIN --four-eyes > out &&
	tail -n 1 out > out1 && echo "four-eyes approval is on" > want && test_cmp want out1 &&
	test "$(sqlite3 steg.db "SELECT name, value, set_by FROM policies")" = "four-eyes|on|$ADMIN" &&
	test "$(sqlite3 steg.db "SELECT actor, action, object, outcome, detail FROM audit ORDER BY seq DESC LIMIT 1")" = \
		"$ADMIN|policy set|four-eyes|ok|on (was off)" &&
	"$STEG" policy > out &&
	grep -x "four-eyes${TAB}on${TAB}set 20[0-9-]*T[0-9:]*Z by $ADMIN" out
'

test_expect_success 'with the policy on the importer cannot approve; the refusal is audited' '
	setup_registry && more_people &&
	"$STEG" policy set four-eyes on --as $ADMIN > /dev/null &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	refused 1 "${q}$PUB${q} imported $V1 and the region requires four-eyes approval; another region-wide publisher approves it" \
		"$STEG" approve $V1 --as $PUB &&
	test "$(last_audit)" = "refused|approve|$V1|$REGION|${q}$PUB${q} imported $V1 and the region requires four-eyes approval; another region-wide publisher approves it" &&
	test -z "$(sqlite3 steg.db "SELECT approved_by FROM versions")"
'

test_expect_success 'with the policy on another region-wide publisher approves' '
	setup_registry && more_people &&
	"$STEG" policy set four-eyes on --as $ADMIN > /dev/null &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	"$STEG" approve $V1 --as $PUB2 > out &&
	echo "approved $V1" > want && test_cmp want out &&
	sha=$(sqlite3 steg.db "SELECT bundle_sha256 FROM versions") &&
	test "$(last_audit)" = "ok|approve|$V1|$REGION|bundle sha256 $sha, four-eyes: imported by ${q}$PUB${q}" &&
	test "$(sqlite3 steg.db "SELECT imported_by, approved_by FROM versions")" = "$PUB|$PUB2" &&
	"$STEG" publish $V1 --all-units --as $PUB > /dev/null
'

test_expect_success 'an admin who imported is no exception: an admin never approves, and the importer check is by person' '
	setup_registry && more_people &&
	"$STEG" policy set four-eyes on --as $ADMIN > /dev/null &&
	"$STEG" import "$BUNDLES/base.steg" --as $ADMIN --allow-unsigned > /dev/null &&
	"$STEG" approve $V1 --as $PUB > out &&
	echo "approved $V1" > want && test_cmp want out
'

test_expect_success 'a unit publisher cannot approve for the whole region, policy on or off' '
	setup_registry && more_people &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	refused 1 "user ${q}$UPUB${q} is a publisher of unit ${q}$U1${q}; an approval holds for the whole region, so only a region-wide publisher approves" \
		"$STEG" approve $V1 --as $UPUB &&
	"$STEG" policy set four-eyes on --as $ADMIN > /dev/null &&
	refused 1 "user ${q}$UPUB${q} is a publisher of unit ${q}$U1${q}; an approval holds for the whole region, so only a region-wide publisher approves" \
		"$STEG" approve $V1 --as $UPUB &&
	test -z "$(sqlite3 steg.db "SELECT approved_by FROM versions")"
'

test_expect_success 'only a region-wide admin changes a policy; every attempt is audited' '
	setup_registry && more_people &&
	refused 1 "user ${q}$PUB${q} is a publisher; this takes an admin" \
		"$STEG" policy set four-eyes on --as $PUB &&
	test "$(sqlite3 steg.db "SELECT actor, action, object, outcome FROM audit ORDER BY seq DESC LIMIT 1")" = \
		"$PUB|policy set|four-eyes|refused" &&
	refused 1 "user ${q}$UADM1${q} is an admin of unit ${q}$U1${q}; only a region-wide admin changes the region${q}s policies" \
		"$STEG" policy set four-eyes on --as $UADM1 &&
	refused 1 "user ${q}$CLIN1${q} is a clinician; this takes an admin" \
		"$STEG" policy set four-eyes on --as $CLIN1 &&
	refused 1 "user ${q}$GONE${q} is deactivated and can do nothing" \
		"$STEG" policy set four-eyes off --as $GONE &&
	"$STEG" policy set four-eyes on --as $ADMIN > out &&
	echo "policy ${q}four-eyes${q} is now on" > want && test_cmp want out &&
	test "$(last_audit)" = "ok|policy set|four-eyes|$REGION|on (was off)" &&
	n=$(audit_rows) &&
	"$STEG" policy set four-eyes on --as $ADMIN > out &&
	echo "policy ${q}four-eyes${q} is already on; nothing changed" > want && test_cmp want out &&
	test "$(audit_rows)" = $n &&
	"$STEG" policy set four-eyes off --as $ADMIN > /dev/null &&
	test "$(last_audit)" = "ok|policy set|four-eyes|$REGION|off (was on)" &&
	test "$(sqlite3 steg.db "SELECT value, set_by FROM policies")" = "off|$ADMIN" &&
	"$STEG" audit --check > /dev/null
'

test_expect_success 'policy set checks its arguments' '
	setup_registry &&
	run out "$STEG" policy set two-eyes on --as $ADMIN &&
	test $rc = 2 && head -n 1 out > out1 &&
	echo "steg: error: unknown policy ${q}two-eyes${q}; the policies are: four-eyes" > want &&
	test_cmp want out1 &&
	run out "$STEG" policy set four-eyes yes --as $ADMIN &&
	test $rc = 2 && grep -F "${q}yes${q} is neither on nor off" out &&
	run out "$STEG" policy set four-eyes on &&
	test $rc = 2 &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM policies")" = 0
'

test_expect_success 'turning the policy on keeps earlier approvals' '
	setup_imported &&
	"$STEG" policy set four-eyes on --as $ADMIN > /dev/null &&
	test "$(sqlite3 steg.db "SELECT approved_by FROM versions WHERE version = '"'"'1.0.0'"'"'")" = $PUB &&
	"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null
'

test_expect_success 'a registry from before policies: read as off, migrated with four-eyes off' '
	setup_imported &&
	sqlite3 steg.db "DROP TABLE policies; PRAGMA user_version = 3" &&
	"$STEG" policy > out &&
	printf "four-eyes\toff\tnever set\n" > want && test_cmp want out &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 3 &&
	"$STEG" approve $V2 --as $PUB > /dev/null &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 4 &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM policies")" = 0 &&
	"$STEG" audit --check > /dev/null
'

test_done
