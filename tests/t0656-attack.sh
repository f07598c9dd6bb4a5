#!/bin/sh
# t0656 — attacks on the audit log's guards by someone who can write the
# registry file: a trigger that steg did not make, on the log under
# another spelling of its name ("Audit": SQLite keeps the name as written)
# or on a state table, is caught by `audit --check`, and no command writes
# to such a registry.
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

test_done
