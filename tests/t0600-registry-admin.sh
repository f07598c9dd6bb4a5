#!/bin/sh
# t0600 — steg init, unit add|list, user add|deactivate|list: the region,
# its care units and its people, and who may change them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

test_expect_success 'init creates the region, its first admin and trusts its key' '
	"$STEG" init --region $REGION --name "Region Test" --admin $ADMIN \
		--admin-name "Anna Admin" --key "$BUNDLES/region.pub" > out &&
	head -n 1 out > out1 &&
	echo "created the registry '"'"'steg.db'"'"' for region '"'"'$REGION'"'"' (Region Test) with admin '"'"'$ADMIN'"'"'" > want &&
	test_cmp want out1 &&
	grep "^trusted key [0-9A-F]\{16\} of region '"'"'$REGION'"'"'$" out &&
	test "$(sqlite3 steg.db "PRAGMA journal_mode")" = wal &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 4 &&
	test "$(sqlite3 steg.db "PRAGMA application_id")" = 1398031687 &&
	test "$(sqlite3 steg.db "SELECT hsa_id, kind FROM organisations")" = "$REGION|region" &&
	test "$(sqlite3 steg.db "SELECT hsa_id, role, unit, active FROM users")" = "$ADMIN|admin|$REGION|1" &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM trusted_keys WHERE region = '"'"'$REGION'"'"'")" = 1 &&
	test "$(sqlite3 steg.db "SELECT action, outcome FROM audit ORDER BY seq")" = "init|ok
trust add|ok"
'

test_expect_success 'init a second time is refused and changes nothing' '
	"$STEG" init --region $REGION --name "Region Test" --admin $ADMIN > /dev/null &&
	refused 1 "the registry '"'"'steg.db'"'"' already belongs to region '"'"'$REGION'"'"'; nothing was changed" \
		"$STEG" init --region SE2321000016-0002 --name Annan --admin SE2321000016-A009
'

test_expect_success 'init checks its arguments' '
	run out "$STEG" init --region $REGION --name X &&
	test $rc = 2 && head -n 1 out > out1 &&
	echo "steg: error: '"'"'init'"'"' needs --region, --name and --admin" > want &&
	test_cmp want out1 &&
	run out "$STEG" init --region "bad id" --name X --admin $ADMIN &&
	test $rc = 2 && grep "'"'"'bad id'"'"' is not an HSA-id" out &&
	test ! -e steg.db
'

test_expect_success '--db, STEG_DB and the default name the registry' '
	"$STEG" --db one.db init --region $REGION --name R --admin $ADMIN > /dev/null &&
	STEG_DB=two.db "$STEG" init --region $REGION --name R --admin $ADMIN > /dev/null &&
	"$STEG" unit add $U1 --name N --as $ADMIN --db one.db > /dev/null &&
	test -f one.db && test -f two.db && test ! -e steg.db &&
	test "$("$STEG" --db=one.db unit list | cut -f1)" = $U1 &&
	test -z "$(STEG_DB=two.db "$STEG" unit list)"
'

test_expect_success 'a missing registry or a file that is not one is an error' '
	run out "$STEG" unit list &&
	test $rc = 3 &&
	echo "steg: error: cannot open the registry '"'"'steg.db'"'"': No such file or directory; create one with '"'"'steg init'"'"' or name it with --db" > want &&
	test_cmp want out &&
	echo "not a database at all, just text" > junk.db &&
	run out "$STEG" --db junk.db unit list &&
	test $rc = 1 &&
	echo "steg: error: '"'"'junk.db'"'"' is not a steg registry (not an SQLite database)" > want &&
	test_cmp want out &&
	sqlite3 other.db "CREATE TABLE t (x)" &&
	run out "$STEG" --db other.db unit list &&
	test $rc = 1 &&
	echo "steg: error: '"'"'other.db'"'"' is an SQLite database but not a steg registry; steg leaves it as it is (name the registry with --db, or create one with '"'"'steg init'"'"')" > want &&
	test_cmp want out &&
	test "$(sqlite3 other.db .tables)" = t
'

test_expect_success 'a registry must be a regular file, not a link or a folder' '
	setup_registry && ln -s steg.db link.db && mkdir dir.db &&
	run out "$STEG" --db link.db list &&
	test $rc = 3 &&
	echo "steg: error: the registry '"'"'link.db'"'"' is a symbolic link; name the file itself with --db" > want &&
	test_cmp want out &&
	run out "$STEG" --db dir.db list &&
	test $rc = 3 &&
	echo "steg: error: the registry '"'"'dir.db'"'"' is not a regular file" > want &&
	test_cmp want out
'

test_expect_success 'a registry from a newer steg is refused' '
	setup_registry && sqlite3 steg.db "PRAGMA user_version = 99" &&
	run out "$STEG" unit list &&
	test $rc = 1 &&
	grep "schema version 99 but this steg knows only up to 4; use a newer steg" out
'

# A registry made by the steg before the channel tables became migration
# step 2 (tests/data/registry/v1.sql: init, user add, unit add).
V1SQL=$SRC/tests/data/registry/v1.sql
CHANNEL_TABLES="channel_out
channel_out_items
channel_seen"

# A reader (unit list) reads it as it is; the first writer migrates it.
V1ADMIN=SE2321000016-A001
test_expect_success 'a version-1 registry opens and migrates to version 4, rows and chain intact' '
	sqlite3 steg.db < "$V1SQL" &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 1 &&
	sqlite3 steg.db "SELECT * FROM organisations ORDER BY 1; SELECT * FROM users ORDER BY 1; SELECT * FROM audit ORDER BY seq" > before &&
	"$STEG" unit list > out &&
	grep -q "^SE2321000016-U001	Enhet 1	" out &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 1 &&
	"$STEG" audit --check > /dev/null &&
	"$STEG" unit add SE2321000016-U002 --name "Enhet 2" --as $V1ADMIN > /dev/null &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 4 &&
	test "$(sqlite3 steg.db "SELECT from_seq, version FROM audit_hashing")" = "4|2" &&
	echo "$CHANNEL_TABLES" > want &&
	sqlite3 steg.db "SELECT name FROM sqlite_schema WHERE type = '"'"'table'"'"' AND name LIKE '"'"'channel%'"'"' ORDER BY 1" > got &&
	test_cmp want got &&
	sqlite3 steg.db "SELECT * FROM organisations WHERE hsa_id != '"'"'SE2321000016-U002'"'"' ORDER BY 1; SELECT * FROM users ORDER BY 1; SELECT * FROM audit WHERE seq <= 3 ORDER BY seq" > after &&
	test_cmp before after &&
	test "$(sqlite3 steg.db "PRAGMA integrity_check")" = ok &&
	test -z "$(sqlite3 steg.db "PRAGMA foreign_key_check")" &&
	"$STEG" audit --check > /dev/null &&
	"$STEG" import "$BUNDLES/base.steg" --as SE2321000016-P001 --allow-unsigned > /dev/null &&
	"$STEG" audit --check
'

test_expect_success 'eight commands opening a version-1 registry at once: one migrates, all work' '
	sqlite3 steg.db < "$V1SQL" &&
	for i in 1 2 3 4 5 6 7 8; do
		if [ $((i % 2)) = 0 ]; then
			"$STEG" unit list > out.$i 2>&1 &
		else
			"$STEG" unit add SE2321000016-U10$i --name "Enhet 10$i" --as $V1ADMIN > out.$i 2>&1 &
		fi
	done &&
	wait &&
	for i in 1 2 3 4 5 6 7 8; do
		if [ $((i % 2)) = 0 ]; then
			grep -q "^SE2321000016-U001	Enhet 1	" out.$i || { cat out.$i; exit 1; }
		else
			grep -q "^added unit .SE2321000016-U10$i." out.$i || { cat out.$i; exit 1; }
		fi
	done &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 4 &&
	"$STEG" audit --check > /dev/null
'

test_expect_success 'the migrated registry has the schema of a new one' '
	sqlite3 old.db < "$V1SQL" &&
	"$STEG" --db old.db unit add SE2321000016-U002 --name X --as $V1ADMIN > /dev/null &&
	"$STEG" --db new.db init --region $REGION --name "Region Test" --admin $ADMIN > /dev/null &&
	for db in old new; do
		sqlite3 $db.db "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name" > $db.schema || exit 1
	done &&
	test_cmp new.schema old.schema
'

test_expect_success 'a version-1 registry whose channel tables the old steg made keeps their rows' '
	sqlite3 steg.db < "$V1SQL" &&
	sqlite3 steg.db "
		CREATE TABLE IF NOT EXISTS channel_seen (  region     TEXT PRIMARY KEY,  sequence   INTEGER NOT NULL,  expires    TEXT NOT NULL,  location   TEXT NOT NULL,  synced_at  TEXT NOT NULL,  synced_by  TEXT NOT NULL) STRICT;
		CREATE TABLE IF NOT EXISTS channel_out (  channel    TEXT PRIMARY KEY,  sequence   INTEGER NOT NULL,  updated_at TEXT NOT NULL) STRICT;
		CREATE TABLE IF NOT EXISTS channel_out_items (  channel    TEXT NOT NULL REFERENCES channel_out(channel),  program    TEXT NOT NULL,  version    TEXT NOT NULL,  sha256     TEXT NOT NULL,  size       INTEGER NOT NULL,  PRIMARY KEY (channel, program, version)) STRICT;
		INSERT INTO channel_seen VALUES ('"'"'SE2321000024-0002'"'"', 7, '"'"'2026-12-01T00:00:00Z'"'"', '"'"'/srv/c'"'"', '"'"'2026-11-20T10:00:00Z'"'"', '"'"'SE2321000016-P001'"'"');
		INSERT INTO channel_out VALUES ('"'"'/srv/out'"'"', 3, '"'"'2026-11-20T10:00:00Z'"'"');" &&
	"$STEG" unit add SE2321000016-U002 --name X --as $V1ADMIN > /dev/null &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 4 &&
	test "$(sqlite3 steg.db "SELECT region, sequence FROM channel_seen")" = "SE2321000024-0002|7" &&
	test "$(sqlite3 steg.db "SELECT channel, sequence FROM channel_out")" = "/srv/out|3"
'

test_expect_success 'a failed migration leaves the version-1 registry whole' '
	sqlite3 steg.db < "$V1SQL" &&
	sqlite3 steg.db "CREATE INDEX channel_out ON users(name)" &&
	run out "$STEG" unit add SE2321000016-U002 --name X --as $V1ADMIN &&
	test $rc = 3 &&
	echo "steg: error: cannot set up the registry schema (version 1): there is already an index named channel_out" > want &&
	test_cmp want out &&
	test "$(sqlite3 steg.db "PRAGMA user_version")" = 1 &&
	test -z "$(sqlite3 steg.db "SELECT name FROM sqlite_schema WHERE type = '"'"'table'"'"' AND name LIKE '"'"'channel%'"'"'")"
'

test_expect_success 'the connection settings of docs/registry.md hold' '
	setup_registry &&
	test "$(sqlite3 steg.db "PRAGMA journal_mode")" = wal &&
	sqlite3 steg.db "SELECT sql FROM sqlite_schema WHERE name = '"'"'audit'"'"'" | grep STRICT
'

test_expect_success 'unit add, unit list (text and JSON)' '
	setup_registry &&
	"$STEG" unit list > out &&
	printf "%s\t%s\tusers %s\tpublished 0\tactive 0\n" \
		$U1 "Vårdcentral Norr" 2 $U2 "Vårdcentral Syd" 1 > want &&
	test_cmp want out &&
	"$STEG" unit list --json > out.json &&
	python3 -c "import json,sys; d=json.load(open(\"out.json\")); assert [u[\"hsa_id\"] for u in d]==[\"$U1\",\"$U2\"], d; assert d[0][\"name\"]==\"Vårdcentral Norr\""
'

test_expect_success 'unit add: refusals' '
	setup_registry &&
	refused 1 "user '"'"'$CLIN1'"'"' is a clinician; this takes an admin" \
		"$STEG" unit add SE2321000016-U003 --name X --as $CLIN1 &&
	refused 1 "user '"'"'$UADM1'"'"' is an admin of unit '"'"'$U1'"'"'; only a region-wide admin adds units" \
		"$STEG" unit add SE2321000016-U003 --name X --as $UADM1 &&
	refused 1 "'"'"'$U1'"'"' is already the unit '"'"'$U1'"'"'" \
		"$STEG" unit add $U1 --name X --as $ADMIN &&
	refused 1 "unknown user '"'"'SE2321000016-X999'"'"'; an admin adds users with '"'"'steg user add'"'"'" \
		"$STEG" unit add SE2321000016-U003 --name X --as SE2321000016-X999 &&
	refused 2 "'"'"'unit add'"'"' needs HSA-ID, --name and --as" \
		"$STEG" unit add SE2321000016-U003 --name X
'

test_expect_success 'user add and user list' '
	setup_registry &&
	"$STEG" user add SE2321000016-C003 --name "Ny Behandlare" --role clinician --unit $U2 --as $ADMIN > out &&
	echo "added clinician '"'"'SE2321000016-C003'"'"' (Ny Behandlare) at '"'"'$U2'"'"'" > want &&
	test_cmp want out &&
	"$STEG" user list --unit $U2 > out &&
	printf "%s\t%s\tclinician\t%s\n" $CLIN2 "Clas Behandlare" $U2 SE2321000016-C003 "Ny Behandlare" $U2 > want &&
	test_cmp want out &&
	"$STEG" user list | grep "^$GONE	Gunnar Slutat	clinician	$U1	deactivated$" &&
	"$STEG" user list --json > out.json &&
	python3 -c "import json; d=json.load(open(\"out.json\")); g=[u for u in d if u[\"hsa_id\"]==\"$GONE\"][0]; assert g[\"active\"] is False and g[\"deactivated_at\"], g"
'

test_expect_success 'a unit admin manages the users of that unit only' '
	setup_registry &&
	"$STEG" user add SE2321000016-C004 --name "Ny" --role clinician --unit $U1 --as $UADM1 > /dev/null &&
	refused 1 "user '"'"'$UADM1'"'"' works at unit '"'"'$U1'"'"', not at '"'"'$U2'"'"'" \
		"$STEG" user add SE2321000016-C005 --name X --role clinician --unit $U2 --as $UADM1 &&
	refused 1 "user '"'"'$UADM1'"'"' works at unit '"'"'$U1'"'"', not at '"'"'$REGION'"'"'" \
		"$STEG" user add SE2321000016-A005 --name X --role admin --as $UADM1 &&
	refused 1 "user '"'"'$UADM1'"'"' works at unit '"'"'$U1'"'"', not at '"'"'$U2'"'"'" \
		"$STEG" user deactivate $CLIN2 --as $UADM1 &&
	"$STEG" user deactivate SE2321000016-C004 --as $UADM1 > out &&
	echo "deactivated user '"'"'SE2321000016-C004'"'"'" > want && test_cmp want out
'

test_expect_success 'user add: refusals' '
	setup_registry &&
	refused 1 "a clinician works at a care unit; give --unit" \
		"$STEG" user add SE2321000016-C005 --name X --role clinician --as $ADMIN &&
	refused 1 "user '"'"'$CLIN1'"'"' already exists (clinician at '"'"'$U1'"'"')" \
		"$STEG" user add $CLIN1 --name X --role clinician --unit $U2 --as $ADMIN &&
	refused 1 "unknown unit '"'"'SE2321000016-U999'"'"'; add it with '"'"'steg unit add'"'"'" \
		"$STEG" user add SE2321000016-C005 --name X --role clinician --unit SE2321000016-U999 --as $ADMIN &&
	refused 1 "user '"'"'$PUB'"'"' is a publisher; this takes an admin" \
		"$STEG" user add SE2321000016-C005 --name X --role clinician --unit $U1 --as $PUB &&
	refused 2 "unknown role '"'"'boss'"'"'; say admin, publisher or clinician" \
		"$STEG" user add SE2321000016-C005 --name X --role boss --as $ADMIN
'

test_expect_success 'a deactivated user can do nothing' '
	setup_registry &&
	refused 1 "user '"'"'$GONE'"'"' is deactivated and can do nothing" \
		"$STEG" user add SE2321000016-C005 --name X --role clinician --unit $U1 --as $GONE &&
	"$STEG" user deactivate $GONE --as $ADMIN > out &&
	echo "user '"'"'$GONE'"'"' is already deactivated; nothing changed" > want &&
	test_cmp want out
'

test_expect_success 'the last region-wide admin cannot be given another role or moved to a unit' '
	setup_registry &&
	refused 1 "'"'"'$ADMIN'"'"' is the last active region-wide admin; add another admin first" \
		"$STEG" user role $ADMIN --role publisher --as $ADMIN &&
	refused 1 "'"'"'$ADMIN'"'"' is the last active region-wide admin; add another admin first" \
		"$STEG" user role $ADMIN --role admin --unit $U1 --as $ADMIN &&
	"$STEG" user add SE2321000016-A003 --name "Andra Admin" --role admin --as $ADMIN > /dev/null &&
	"$STEG" user role $ADMIN --role publisher --as SE2321000016-A003 > /dev/null &&
	test "$(sqlite3 steg.db "SELECT role FROM users WHERE hsa_id = '"'"'$ADMIN'"'"'")" = publisher
'

test_expect_success 'the last region-wide admin cannot be deactivated' '
	setup_registry &&
	refused 1 "'"'"'$ADMIN'"'"' is the last active region-wide admin; add another admin first" \
		"$STEG" user deactivate $ADMIN --as $ADMIN &&
	"$STEG" user add SE2321000016-A003 --name "Andra Admin" --role admin --as $ADMIN > /dev/null &&
	"$STEG" user deactivate $ADMIN --as SE2321000016-A003 > /dev/null &&
	refused 1 "user '"'"'$ADMIN'"'"' is deactivated and can do nothing" \
		"$STEG" unit add SE2321000016-U003 --name X --as $ADMIN
'

test_expect_success 'every command has --help, and unknown options are usage errors' '
	for c in init unit user import list show approve publish unpublish activate deactivate retire audit; do
		"$STEG" $c --help > out && head -n 1 out | grep "^usage: steg $c" || exit 1
	done &&
	run out "$STEG" list --frobnicate &&
	test $rc = 2 &&
	printf "%s\n" "steg: error: unknown option '"'"'--frobnicate'"'"' for '"'"'list'"'"'" \
		"run '"'"'steg list --help'"'"' for its options" > want &&
	test_cmp want out
'

test_done
