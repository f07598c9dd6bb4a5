#!/bin/sh
# t0620 — approve, publish, unpublish, activate, deactivate, retire, list
# and show: the life of a version at the region's care units, who may move
# it, and that every refusal changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

q="'"   # a single quote inside the test bodies

test_expect_success 'approve records the publisher who approved' '
	setup_registry &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	"$STEG" approve $V1 --as $PUB > out &&
	echo "approved $V1" > want && test_cmp want out &&
	test "$(sqlite3 steg.db "SELECT approved_by FROM versions")" = $PUB &&
	sha=$(sha256sum "$BUNDLES/base.steg" | cut -d" " -f1) &&
	last_audit > got && echo "ok|approve|$V1|$REGION|bundle sha256 $sha" > want &&
	test_cmp want got &&
	"$STEG" approve $V1 --as $PUB > out &&
	grep "^$V1 is already approved (.* by $q$PUB$q); nothing changed$" out
'

test_expect_success 'approve: only a publisher, only a known version' '
	setup_imported &&
	refused 1 "user $q$ADMIN$q is an admin; this takes a publisher" \
		"$STEG" approve $V2 --as $ADMIN &&
	refused 1 "user $q$CLIN1$q is a clinician; this takes a publisher" \
		"$STEG" approve $V2 --as $CLIN1 &&
	refused 1 "unknown program ${q}se.nosuch$q; import it with ${q}steg import BUNDLE$q (see ${q}steg list$q)" \
		"$STEG" approve se.nosuch@1.0.0 --as $PUB &&
	refused 1 "program ${q}se.test.bas$q has no version ${q}9.9.9$q; it has 1.0.0, 1.1.0" \
		"$STEG" approve se.test.bas@9.9.9 --as $PUB &&
	run out "$STEG" approve se.test.bas --as $PUB &&
	test $rc = 1 &&
	echo "steg: error: ${q}se.test.bas$q names no version; write se.test.bas@VERSION (see ${q}steg show se.test.bas$q)" > want &&
	test_cmp want out
'

test_expect_success 'only an approved version is published' '
	setup_imported &&
	refused 1 "$V2 is not approved; a publisher approves it first with ${q}steg approve $V2 --as HSA-ID$q" \
		"$STEG" publish $V2 --unit $U1 --as $PUB
'

test_expect_success 'publish to one unit, then to all units' '
	setup_imported &&
	"$STEG" publish $V1 --unit $U1 --as $PUB > out &&
	echo "published $V1 to $q$U1$q" > want && test_cmp want out &&
	last_audit > got && echo "ok|publish|$V1|$U1|" > want && test_cmp want got &&
	"$STEG" publish $V1 --unit $U1 --as $PUB > out &&
	echo "$V1 is already published to $q$U1$q; nothing changed" > want && test_cmp want out &&
	"$STEG" publish $V1 --all-units --as $ADMIN > out &&
	echo "published $V1 to $q$U2$q" > want && test_cmp want out &&
	"$STEG" publish $V1 --all-units --as $PUB > out &&
	echo "$V1 is already published to every unit; nothing changed" > want && test_cmp want out &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM publications")" = 2 &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM audit WHERE action = ${q}publish$q AND outcome = ${q}ok$q")" = 2
'

test_expect_success 'publish: only an admin or publisher, and a unit admin only at that unit' '
	setup_imported &&
	refused 1 "user $q$CLIN1$q is a clinician; this takes an admin or a publisher" \
		"$STEG" publish $V1 --unit $U1 --as $CLIN1 &&
	refused 1 "user $q$GONE$q is deactivated and can do nothing" \
		"$STEG" publish $V1 --unit $U1 --as $GONE &&
	refused 1 "user $q$UADM1$q works at unit $q$U1$q, not at $q$U2$q" \
		"$STEG" publish $V1 --unit $U2 --as $UADM1 &&
	refused 1 "user $q$UADM1$q works at unit $q$U1$q; only a region-wide admin or publisher uses --all-units" \
		"$STEG" publish $V1 --all-units --as $UADM1 &&
	refused 1 "unknown unit ${q}SE2321000016-U999$q; see ${q}steg unit list$q" \
		"$STEG" publish $V1 --unit SE2321000016-U999 --as $PUB &&
	refused 1 "not a care unit: $q$REGION$q; see ${q}steg unit list$q" \
		"$STEG" publish $V1 --unit $REGION --as $PUB &&
	refused 2 "${q}publish$q needs either --unit UNIT or --all-units" \
		"$STEG" publish $V1 --as $PUB &&
	refused 2 "${q}publish$q needs either --unit UNIT or --all-units" \
		"$STEG" publish $V1 --unit $U1 --all-units --as $PUB &&
	"$STEG" publish $V1 --unit $U1 --as $UADM1 > /dev/null
'

test_expect_success 'activate: a clinician or admin of that unit, a published version' '
	setup_imported &&
	"$STEG" publish $V1 --all-units --as $PUB > /dev/null &&
	refused 1 "user $q$CLIN1$q works at unit $q$U1$q, not at $q$U2$q" \
		"$STEG" activate $V1 --unit $U2 --as $CLIN1 &&
	refused 1 "user $q$PUB$q is a publisher; this takes an admin or a clinician" \
		"$STEG" activate $V1 --unit $U1 --as $PUB &&
	refused 1 "user $q$GONE$q is deactivated and can do nothing" \
		"$STEG" activate $V1 --unit $U1 --as $GONE &&
	refused 1 "unknown user ${q}SE2321000016-C777$q; an admin adds users with ${q}steg user add$q" \
		"$STEG" activate $V1 --unit $U1 --as SE2321000016-C777 &&
	"$STEG" activate $V1 --unit $U1 --as $CLIN1 > out &&
	echo "activated $V1 at $q$U1$q" > want && test_cmp want out &&
	last_audit > got && echo "ok|activate|$V1|$U1|" > want && test_cmp want got &&
	"$STEG" activate $V1 --unit $U1 --as $UADM1 > out &&
	echo "$V1 is already active at $q$U1$q; nothing changed" > want && test_cmp want out &&
	"$STEG" activate $V1 --unit $U2 --as $ADMIN > /dev/null &&
	test "$(sqlite3 steg.db "SELECT unit, activated_by FROM activations WHERE active = 1 ORDER BY unit")" = "$U1|$CLIN1
$U2|$ADMIN"
'

test_expect_success 'activate: not published there, not approved, unknown' '
	setup_imported &&
	"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
	refused 1 "$V1 is not published to $q$U2$q; a publisher publishes it there first with ${q}steg publish$q" \
		"$STEG" activate $V1 --unit $U2 --as $CLIN2 &&
	refused 1 "$V2 is not approved; a publisher approves it first" \
		"$STEG" activate $V2 --unit $U1 --as $CLIN1 &&
	refused 1 "unknown program ${q}se.nosuch$q; import it with ${q}steg import BUNDLE$q (see ${q}steg list$q)" \
		"$STEG" activate se.nosuch@1.0.0 --unit $U1 --as $CLIN1 &&
	refused 2 "${q}activate$q needs --unit" \
		"$STEG" activate $V1 --as $CLIN1
'

test_expect_success 'a new version changes nothing until activated, then replaces the old one' '
	setup_imported &&
	"$STEG" publish $V1 --all-units --as $PUB > /dev/null &&
	"$STEG" activate $V1 --unit $U1 --as $CLIN1 > /dev/null &&
	"$STEG" activate $V1 --unit $U2 --as $CLIN2 > /dev/null &&
	"$STEG" approve $V2 --as $PUB > /dev/null &&
	"$STEG" publish $V2 --all-units --as $PUB > /dev/null &&
	"$STEG" list --unit $U1 > out &&
	printf "%s\tapproved\t%s\tBasprogram\n" $V1 active $V2 published > want &&
	test_cmp want out &&
	"$STEG" activate $V2 --unit $U1 --as $CLIN1 > out &&
	echo "activated $V2 at $q$U1$q, replacing $V1" > want && test_cmp want out &&
	last_audit > got && echo "ok|activate|$V2|$U1|replaces $V1" > want && test_cmp want got &&
	"$STEG" list > out &&
	printf "%s\tapproved\tpublished 2\tactive %s\tBasprogram\n" $V1 1 $V2 1 > want &&
	test_cmp want out &&
	test "$(sqlite3 steg.db "SELECT version, unit, active FROM activations ORDER BY id")" = "1.0.0|$U1|0
1.0.0|$U2|1
1.1.0|$U1|1"
'

test_expect_success 'deactivate and unpublish; the history stays' '
	setup_imported &&
	"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
	"$STEG" activate $V1 --unit $U1 --as $CLIN1 > /dev/null &&
	refused 1 "$V1 is active at $q$U1$q; the unit deactivates it first with ${q}steg deactivate $V1 --unit $U1$q" \
		"$STEG" unpublish $V1 --unit $U1 --as $PUB &&
	refused 1 "user $q$CLIN2$q works at unit $q$U2$q, not at $q$U1$q" \
		"$STEG" deactivate $V1 --unit $U1 --as $CLIN2 &&
	"$STEG" deactivate $V1 --unit $U1 --as $CLIN1 > out &&
	echo "deactivated $V1 at $q$U1$q" > want && test_cmp want out &&
	"$STEG" deactivate $V1 --unit $U1 --as $CLIN1 > out &&
	echo "$V1 is not active at $q$U1$q; nothing changed" > want && test_cmp want out &&
	"$STEG" unpublish $V1 --unit $U1 --as $PUB > out &&
	echo "withdrew $V1 from $q$U1$q" > want && test_cmp want out &&
	"$STEG" unpublish $V1 --all-units --as $PUB > out &&
	echo "$V1 is not published to every unit; nothing changed" > want && test_cmp want out &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM activations WHERE deactivated_by = ${q}$CLIN1$q")" = 1 &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM publications WHERE withdrawn_by = ${q}$PUB$q")" = 1 &&
	"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM publications")" = 2
'

test_expect_success 'retire stops new activations and publications, not running ones' '
	setup_imported &&
	"$STEG" publish $V1 --all-units --as $PUB > /dev/null &&
	"$STEG" activate $V1 --unit $U1 --as $CLIN1 > /dev/null &&
	refused 1 "user $q$CLIN1$q is a clinician; this takes an admin or a publisher" \
		"$STEG" retire $V1 --as $CLIN1 &&
	refused 1 "user $q$UADM1$q works at unit $q$U1$q; only a region-wide admin or publisher retires a version" \
		"$STEG" retire $V1 --as $UADM1 &&
	"$STEG" retire $V1 --as $PUB > out &&
	echo "retired $V1" > want && test_cmp want out &&
	"$STEG" retire $V1 --as $PUB > out &&
	grep "^$V1 is already retired (.* by $q$PUB$q); nothing changed$" out &&
	refused 1 "$V1 is retired ($(sqlite3 steg.db "SELECT retired_at FROM versions WHERE version = ${q}1.0.0$q") by $q$PUB$q); activate a newer version" \
		"$STEG" activate $V1 --unit $U2 --as $CLIN2 &&
	refused 1 "$V1 is retired ($(sqlite3 steg.db "SELECT retired_at FROM versions WHERE version = ${q}1.0.0$q") by $q$PUB$q); publish a newer version" \
		"$STEG" publish $V1 --unit $U2 --as $PUB &&
	"$STEG" list --unit $U1 > out &&
	printf "%s\tretired\tactive\tBasprogram\n" $V1 > want && test_cmp want out
'

test_expect_success 'show says which units run which version (text and JSON)' '
	setup_imported &&
	"$STEG" publish $V1 --all-units --as $PUB > /dev/null &&
	"$STEG" activate $V1 --unit $U2 --as $CLIN2 > /dev/null &&
	"$STEG" show $V1 > out &&
	head -n 1 out > got && printf "%s\tBasprogram\n" $V1 > want && test_cmp want got &&
	grep "^  approved     .* by $PUB$" out &&
	grep "^    $U2 (Vårdcentral Syd)	activated .* by $CLIN2	active$" out &&
	grep "^    $U1 (Vårdcentral Norr)	published .* by $PUB	current$" out &&
	"$STEG" show $PROG > out &&
	grep -c "^se.test.bas@" out > n && echo 2 > want && test_cmp want n &&
	tail -n 2 out > got &&
	printf "running at:\n  %s (Vårdcentral Syd)\t1.0.0\tsince %s\n" $U2 \
		"$(sqlite3 steg.db "SELECT activated_at FROM activations")" > want &&
	test_cmp want got &&
	"$STEG" show $PROG --json > out.json &&
	python3 -c "
import json
d = json.load(open(\"out.json\"))
assert d[\"id\"] == \"se.test.bas\", d
v = d[\"versions\"]
assert [x[\"version\"] for x in v] == [\"1.0.0\", \"1.1.0\"], v
a = v[0][\"activations\"]
assert [(x[\"unit\"], x[\"active\"]) for x in a] == [(\"$U2\", True)], a
assert v[1][\"approved_by\"] is None and v[1][\"publications\"] == []
assert [(x[\"unit\"], x[\"version\"]) for x in d[\"running\"]] == [(\"$U2\", \"1.0.0\")], d
" &&
	"$STEG" show $V1 --json > one.json &&
	python3 -c "import json; d = json.load(open(\"one.json\")); assert d[\"id\"] == \"se.test.bas\" and d[\"modules\"] == 2, d" &&
	run out "$STEG" show se.nosuch &&
	test $rc = 1 &&
	echo "steg: error: unknown program ${q}se.nosuch$q; see ${q}steg list$q" > want && test_cmp want out
'

test_expect_success 'list --json and list --unit' '
	setup_imported &&
	"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
	"$STEG" list --json > out.json &&
	python3 -c "
import json
d = json.load(open(\"out.json\"))
assert d == [
 {\"id\": \"se.test.bas\", \"version\": \"1.0.0\", \"title\": \"Basprogram\", \"state\": \"approved\", \"published_units\": 1, \"active_units\": 0},
 {\"id\": \"se.test.bas\", \"version\": \"1.1.0\", \"title\": \"Basprogram\", \"state\": \"imported\", \"published_units\": 0, \"active_units\": 0}], d
" &&
	test -z "$("$STEG" list --unit $U2)" &&
	run out "$STEG" list --unit SE2321000016-U999 &&
	test $rc = 1
'

test_done
