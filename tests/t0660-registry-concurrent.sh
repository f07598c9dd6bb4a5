#!/bin/sh
# t0660 — many steg commands at once on one registry: each takes the write
# lock up front (BEGIN IMMEDIATE) and waits for the others (busy timeout),
# so that all of them succeed, once each, and the audit chain stays whole.
# Also: an acting user that is not an HSA-id.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

q="'"

test_expect_success '24 commands at once all succeed, each once' '
	setup_imported &&
	i=3; while [ $i -le 14 ]; do
		"$STEG" unit add SE2321000016-U$(printf %03d $i) --name "Enhet $i" --as $ADMIN > /dev/null || exit 1
		i=$((i + 1))
	done &&
	i=1; while [ $i -le 12 ]; do
		u=SE2321000016-U$(printf %03d $i)
		"$STEG" publish $V1 --unit $u --as $PUB > pub.$i.out 2>&1 &
		"$STEG" user add SE2321000016-Z$(printf %03d $i) --name "Z $i" --role clinician --unit $u --as $ADMIN > user.$i.out 2>&1 &
		i=$((i + 1))
	done &&
	wait &&
	cat pub.*.out user.*.out > all.out &&
	test "$(grep -c "^published $V1 to" all.out)" = 12 &&
	test "$(grep -c "^added clinician" all.out)" = 12 &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM publications")" = 12 &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM audit WHERE action = ${q}publish$q")" = 12 &&
	"$STEG" audit --check
'

test_expect_success 'a --as that is not an HSA-id is refused and audited' '
	setup_registry &&
	refused 1 "${q}not an id$q is not an HSA-id (SE, ten digits, ${q}-$q, then 1 to 19 of A-Z, a-z and 0-9)" \
		"$STEG" unit add SE2321000016-U003 --name X --as "not an id"
'

test_done
