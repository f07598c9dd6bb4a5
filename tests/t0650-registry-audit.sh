#!/bin/sh
# t0650 — the audit log: one row per change and per refusal, append-only by
# the database's own triggers, and a hash chain that `steg audit --check`
# verifies and that names the first row that does not hold.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

q="'"

# A registry with some history, refusals included.
history() {
	setup_imported &&
	"$STEG" publish $V1 --all-units --as $PUB > /dev/null &&
	"$STEG" activate $V1 --unit $U1 --as $CLIN1 > /dev/null &&
	{ "$STEG" activate $V1 --unit $U2 --as $CLIN1 2> /dev/null; true; }
}

test_expect_success 'audit prints every change and refusal, oldest first' '
	history &&
	"$STEG" audit > out &&
	cut -f1,3-8 out > got &&
	cat > want <<-EOF &&
	1	$ADMIN	admin	$REGION	init	$REGION	ok
	2	$ADMIN	admin	$REGION	trust add	$(sqlite3 steg.db "SELECT keyid FROM trusted_keys")	ok
	3	$ADMIN	admin	$U1	unit add	$U1	ok
	4	$ADMIN	admin	$U2	unit add	$U2	ok
	5	$ADMIN	admin	$U1	user add	$UADM1	ok
	6	$ADMIN	admin	$REGION	user add	$PUB	ok
	7	$ADMIN	admin	$U1	user add	$CLIN1	ok
	8	$ADMIN	admin	$U2	user add	$CLIN2	ok
	9	$ADMIN	admin	$U1	user add	$GONE	ok
	10	$ADMIN	admin	$U1	user deactivate	$GONE	ok
	11	$PUB	publisher	$REGION	import	$V1	ok
	12	$PUB	publisher	$REGION	import	$V2	ok
	13	$PUB	publisher	$REGION	approve	$V1	ok
	14	$PUB	publisher	$U1	publish	$V1	ok
	15	$PUB	publisher	$U2	publish	$V1	ok
	16	$CLIN1	clinician	$U1	activate	$V1	ok
	17	$CLIN1	clinician	$U2	activate	$V1	refused
	EOF
	test_cmp want got &&
	tail -n 1 out | cut -f9 > got &&
	echo "user $q$CLIN1$q works at unit $q$U1$q, not at $q$U2$q" > want &&
	test_cmp want got &&
	cut -f2 out > times &&
	test "$(wc -l < times)" = 17 &&
	! grep -v "^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$" times
'

test_expect_success 'audit --json carries the chain' '
	history &&
	"$STEG" audit --json > out.json &&
	python3 -c "
import json
d = json.load(open(\"out.json\"))
assert len(d) == 17 and d[0][\"seq\"] == 1
assert d[0][\"prev_hash\"] == \"0\" * 64
for a, b in zip(d, d[1:]):
    assert b[\"prev_hash\"] == a[\"hash\"], (a, b)
assert d[-1][\"outcome\"] == \"refused\"
"
'

test_expect_success 'audit --check passes on an untouched log' '
	history &&
	"$STEG" audit --check > out &&
	echo "the audit log is unbroken: 17 rows" > want && test_cmp want out &&
	"$STEG" audit --check --json > out.json &&
	python3 -c "import json; d = json.load(open(\"out.json\")); assert d == {\"ok\": True, \"rows\": 17}, d"
'

test_expect_success 'the database refuses to update or delete audit rows' '
	history &&
	! sqlite3 steg.db "UPDATE audit SET outcome = ${q}ok$q WHERE seq = 17" 2> err &&
	grep "the audit log is append-only" err &&
	! sqlite3 steg.db "DELETE FROM audit WHERE seq = 17" 2> err &&
	grep "the audit log is append-only" err &&
	"$STEG" audit --check > /dev/null
'

test_expect_success 'audit --check finds a row changed around the triggers' '
	history &&
	sqlite3 steg.db "DROP TRIGGER audit_no_update; UPDATE audit SET actor = ${q}SE2321000016-X000$q WHERE seq = 14" &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: audit log broken at row 14: the row does not match its hash (changed after it was written)" > want &&
	test_cmp want out &&
	rc=0 && "$STEG" audit --check --json > out.json 2> err || rc=$? &&
	test $rc = 1 &&
	test_cmp want err &&
	python3 -c "import json; d = json.load(open(\"out.json\")); assert d == {\"ok\": False, \"rows\": 13, \"broken_at\": 14, \"reason\": \"audit log broken at row 14: the row does not match its hash (changed after it was written)\"}, d"
'

test_expect_success 'audit --check finds a deleted row and a rehashed row' '
	history &&
	sqlite3 steg.db "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 9" &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: audit log broken at row 10: row 9 is missing" > want &&
	test_cmp want out &&
	history_again() { rm -f steg.db*; history; } && history_again &&
	sqlite3 steg.db "DROP TRIGGER audit_no_update; UPDATE audit SET hash = ${q}$(printf %064d 1)$q WHERE seq = 5" &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: audit log broken at row 5: the row does not match its hash (changed after it was written)" > want &&
	test_cmp want out
'

test_expect_success 'audit --check finds a row whose prev_hash alone was changed' '
	history &&
	h13=$(sqlite3 steg.db "SELECT hash FROM audit WHERE seq = 13") &&
	h15=$(sqlite3 steg.db "SELECT hash FROM audit WHERE seq = 15") &&
	sqlite3 steg.db "DROP TRIGGER audit_no_update; UPDATE audit SET prev_hash = ${q}$h15$q WHERE seq = 14" &&
	test "$(sqlite3 steg.db "SELECT prev_hash FROM audit WHERE seq = 14")" = "$h15" &&
	test "$(sqlite3 steg.db "SELECT hash FROM audit WHERE seq = 13")" = "$h13" &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: audit log broken at row 14: its prev_hash is not the hash of row 13" > want &&
	test_cmp want out
'

test_expect_success 'audit filters by object, actor, unit and time' '
	history &&
	"$STEG" audit --object $PROG | cut -f1,6,7 > got &&
	printf "%s\t%s\t%s\n" 11 import $V1 12 import $V2 13 approve $V1 14 publish $V1 \
		15 publish $V1 16 activate $V1 17 activate $V1 > want &&
	test_cmp want got &&
	"$STEG" audit --object $V2 | cut -f1 > got && echo 12 > want && test_cmp want got &&
	"$STEG" audit --actor $CLIN1 --unit $U2 | cut -f1,8 > got &&
	printf "17\trefused\n" > want && test_cmp want got &&
	test "$("$STEG" audit --since 2000-01-01 | wc -l)" = 17 &&
	test -z "$("$STEG" audit --since 2999-01-01T00:00:00Z)" &&
	"$STEG" audit --unit $U1 --json > out.json &&
	python3 -c "import json; d = json.load(open(\"out.json\")); assert [r[\"seq\"] for r in d] == [3, 5, 7, 9, 10, 14, 16], d" &&
	run out "$STEG" audit --since yesterday && test $rc = 2 &&
	run out "$STEG" audit --check --object $V1 && test $rc = 2
'

test_expect_success 'a refused command adds one refused row and nothing else' '
	history &&
	refused 1 "$V2 is not approved; a publisher approves it first with ${q}steg approve $V2 --as HSA-ID$q" \
		"$STEG" publish $V2 --unit $U1 --as $PUB &&
	last_audit > got &&
	echo "refused|publish|$V2|$U1|$V2 is not approved; a publisher approves it first with ${q}steg approve $V2 --as HSA-ID$q" > want &&
	test_cmp want got &&
	"$STEG" audit --check > /dev/null
'

test_done
