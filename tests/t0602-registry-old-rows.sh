#!/bin/sh
# t0602 — a registry written by an earlier steg (tests/data/registry/v4.sql:
# schema version 4, every kind of row, made before integers were bound as
# integers) is read exactly as that steg read it (v4.out holds its output)
# and takes new rows with its audit chain and its old rows intact.
. "$(dirname "$0")/lib.sh"

V4SQL=$SRC/tests/data/registry/v4.sql
V4OUT=$SRC/tests/data/registry/v4.out
ADMIN=SE2321000016-A001
PUB=SE2321000016-P001
CLIN=SE2321000016-C001
U1=SE2321000016-U001
U2=SE2321000016-U002
export STEG_DB=A.db

# The readers' output, as the steg that wrote the registry printed it.
readers() {
	for c in "list" "list --json" "list --unit $U1" "show se.test.bas" \
		"show se.test.bas --json" "show se.test.bas@1.0.0" \
		"show se.partner.bas@1.0.0 --json" "unit list" "unit list --json" \
		"user list" "user list --json" "trust list --all" \
		"trust list --all --json" "policy list" "policy list --json" \
		"audit" "audit --json --object se.test.bas" "audit --check"; do
		echo "\$ steg $c"
		# shellcheck disable=SC2086
		"$STEG" $c
		echo "exit $?"
	done 2>&1
}

# Every integer column of every table, as SQLite stores it: "integer"
# once per column that holds only integers.
int_types() {
	for tc in blobs.size versions.major versions.minor versions.patch \
		versions.modules versions.forms versions.size users.active \
		activations.active channel_out.sequence channel_out_items.size \
		channel_seen.sequence audit.seq audit_hashing.from_seq \
		audit_hashing.version trusted_keys.id publications.id \
		activations.id; do
		sqlite3 A.db "SELECT '${tc}', group_concat(DISTINCT typeof(${tc#*.})) FROM ${tc%.*}"
	done
}

test_expect_success 'the old registry opens, its chain holds, and it reads as before' '
	sqlite3 A.db < "$V4SQL" &&
	test "$(sqlite3 A.db "PRAGMA user_version")" = 4 &&
	readers > got &&
	test_cmp "$V4OUT" got
'

test_expect_success 'its integer columns hold integers, before and after new rows' '
	sqlite3 A.db < "$V4SQL" &&
	int_types > before &&
	! grep -v "|integer\$" before &&
	sqlite3 A.db "SELECT * FROM audit ORDER BY seq; SELECT * FROM versions ORDER BY 1, 2; SELECT * FROM channel_out; SELECT * FROM channel_out_items; SELECT * FROM channel_seen; SELECT * FROM activations ORDER BY id; SELECT * FROM publications ORDER BY id; SELECT * FROM trusted_keys ORDER BY id" > rows.before &&
	"$STEG" publish se.test.bas@1.1.0 --unit $U2 --as $PUB > /dev/null &&
	"$STEG" deactivate se.test.bas@1.1.0 --unit $U1 --as $CLIN > /dev/null &&
	"$STEG" policy set four-eyes off --as $ADMIN > /dev/null &&
	"$STEG" user add SE2321000016-C002 --name "Clas" --role clinician --unit $U2 --as $ADMIN > /dev/null &&
	"$STEG" approve se.partner.bas@1.0.0 --as $PUB > /dev/null &&
	int_types > after &&
	test_cmp before after &&
	sqlite3 A.db "SELECT * FROM audit WHERE seq <= 25 ORDER BY seq; SELECT * FROM versions ORDER BY 1, 2; SELECT * FROM channel_out; SELECT * FROM channel_out_items; SELECT * FROM channel_seen; SELECT * FROM activations WHERE id <= 2 ORDER BY id; SELECT * FROM publications WHERE id <= 3 ORDER BY id; SELECT * FROM trusted_keys ORDER BY id" > rows.after &&
	grep -v "^se.partner.bas|1.0.0|" rows.before | sed "/^[0-9]*|se.test.bas|1.1.0|$U1|1|/d" > b &&
	grep -v "^se.partner.bas|1.0.0|" rows.after | sed "/^[0-9]*|se.test.bas|1.1.0|$U1|0|/d" > a &&
	test_cmp b a &&
	test "$(sqlite3 A.db "SELECT count(*) FROM audit")" = 30 &&
	"$STEG" audit --check > out &&
	echo "the audit log is unbroken: 30 rows" > want &&
	test_cmp want out
'

test_done
