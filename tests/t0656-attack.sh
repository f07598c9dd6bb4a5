#!/bin/sh
# t0656 — attacks on the audit log's guards by someone who can write the
# registry file: a trigger that steg did not make, on the log under
# another spelling of its name ("Audit": SQLite keeps the name as written)
# or on a state table, is caught by `audit --check`, and no command writes
# to such a registry; a user, unit or trusted key put in around steg, a
# role or a key's region changed, a deactivated user or a retired version
# brought back, disagrees with the log and is caught too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

q="'"

test_expect_success 'a trigger on "Audit" that drops refusals is caught' '
	setup_imported &&
	sqlite3 steg.db "CREATE TRIGGER hide BEFORE INSERT ON Audit WHEN NEW.outcome = ${q}refused$q BEGIN SELECT RAISE(IGNORE); END" &&
	run out "$STEG" audit --check && test $rc = 1 &&
	echo "steg: error: the registry${q}s trigger ${q}hide$q is not one steg made" > want &&
	test_cmp want out &&
	sqlite3 steg.db "SELECT count(*) FROM audit" > before &&
	run out "$STEG" activate $V1 --unit $U2 --as $CLIN1 && test $rc = 1 &&
	echo "steg: error: refusing to change the registry ${q}steg.db$q: the registry${q}s trigger ${q}hide$q is not one steg made; check it with ${q}steg audit --check$q and restore it from a backup" > want &&
	test_cmp want out &&
	sqlite3 steg.db "SELECT count(*) FROM audit" > after &&
	test_cmp before after
'

test_expect_success 'a trigger on a state table is caught, and nothing runs it' '
	rm -f steg.db* && setup_imported &&
	sqlite3 steg.db "CREATE TRIGGER unretire AFTER UPDATE OF retired_at ON versions BEGIN UPDATE versions SET retired_at = NULL WHERE program = NEW.program AND version = NEW.version; END" &&
	run out "$STEG" audit --check --json && test $rc = 1 &&
	grep "\"reason\": \"the registry${q}s trigger ${q}unretire$q is not one steg made\"" out &&
	run out "$STEG" retire $V1 --as $PUB && test $rc = 1 &&
	grep "trigger ${q}unretire$q is not one steg made" out &&
	sqlite3 steg.db "SELECT count(*) FROM versions WHERE retired_at IS NOT NULL" > n &&
	echo 0 > want && test_cmp want n
'

# check_says 'what': audit --check exits 1 naming the disagreement.
check_says() {
	run out "$STEG" audit --check && test $rc = 1 &&
	echo "steg: error: the registry and its audit log disagree: $1 in the log (rows were removed, or the registry was changed around steg)" > want &&
	test_cmp want out
}

test_expect_success 'a user added or promoted around steg is caught' '
	rm -f steg.db* && setup_imported &&
	"$STEG" audit --check > /dev/null &&
	sqlite3 steg.db "INSERT INTO users (hsa_id, name, role, unit, created_at, created_by) VALUES (${q}SE2321000016-X001$q, ${q}X$q, ${q}admin$q, $q$REGION$q, ${q}2026-01-01T00:00:00Z$q, $q$ADMIN$q)" &&
	check_says "the user SE2321000016-X001 (admin) has no ${q}user add$q or ${q}user role$q row for that role and unit" &&
	rm -f steg.db* && setup_imported &&
	sqlite3 steg.db "UPDATE users SET role = ${q}admin$q, unit = $q$REGION$q WHERE hsa_id = $q$CLIN1$q" &&
	check_says "the user $CLIN1 (admin) has no ${q}user add$q or ${q}user role$q row for that role and unit"
'

test_expect_success 'a unit, a trusted key or a key moved to a partner region around steg is caught' '
	rm -f steg.db* && setup_imported &&
	sqlite3 steg.db "INSERT INTO organisations (hsa_id, name, kind, region, created_at, created_by) VALUES (${q}SE2321000016-U009$q, ${q}U$q, ${q}unit$q, $q$REGION$q, ${q}2026-01-01T00:00:00Z$q, $q$ADMIN$q)" &&
	check_says "the unit ${q}SE2321000016-U009$q has no ${q}unit add$q row" &&
	rm -f steg.db* && setup_imported &&
	sqlite3 steg.db "INSERT INTO trusted_keys (region, keyid, pubkey, added_at, added_by) SELECT ${q}SE2321000099-0001$q, ${q}00112233445566FF$q, pubkey, added_at, added_by FROM trusted_keys" &&
	check_says "the trusted key 00112233445566FF of region SE2321000099-0001 has no ${q}trust add$q row" &&
	rm -f steg.db* && setup_imported &&
	sqlite3 steg.db "UPDATE trusted_keys SET region = ${q}SE2321000099-0001$q" > /dev/null &&
	keyid=$(sqlite3 steg.db "SELECT keyid FROM trusted_keys") &&
	check_says "the trusted key $keyid of region SE2321000099-0001 has no ${q}trust add$q row"
'

test_expect_success 'a deactivated user or a retired version brought back is caught' '
	rm -f steg.db* && setup_imported &&
	sqlite3 steg.db "UPDATE users SET active = 1, deactivated_at = NULL, deactivated_by = NULL WHERE hsa_id = $q$GONE$q" &&
	check_says "the user ${q}$GONE$q is active, though deactivated" &&
	rm -f steg.db* && setup_imported &&
	"$STEG" retire $V1 --as $PUB > /dev/null &&
	"$STEG" audit --check > /dev/null &&
	sqlite3 steg.db "UPDATE versions SET retired_at = NULL, retired_by = NULL" &&
	check_says "version $V1 is not retired, though retired"
'

test_expect_success 'a checkpoint file name is printed escaped, and kept in --json' '
	rm -rf steg.db* && setup_imported &&
	"$STEG" audit checkpoint --key "$BUNDLES/region.key" --unencrypted > /dev/null &&
	mv steg.db.checkpoints/checkpoint-*.minisig "$(printf "steg.db.checkpoints/\033[2J\377.minisig")" &&
	"$STEG" audit --check > out &&
	rows=$(sqlite3 steg.db "SELECT max(seq) FROM audit") &&
	echo "the audit log is unbroken: $rows rows" > want &&
	head -n 1 out > first && test_cmp want first &&
	grep "^it extends checkpoint ${q}steg.db.checkpoints/\\\\x1B\[2J\\\\xFF.minisig$q: row $rows, signed " out &&
	! grep "$(printf "\033")" out &&
	"$STEG" audit --check --json > out &&
	grep "\"file\": \"steg.db.checkpoints/\\\\u001B\[2J$(printf "\357\277\275").minisig\"," out
'

test_done
