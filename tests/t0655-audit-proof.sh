#!/bin/sh
# t0655 — what the audit log proves against someone who can write the
# registry file: signed checkpoints (a recomputed chain, rows cut off the
# end), every byte of every field hashed and no NUL stored, the
# append-only triggers and the registry's state checked against the log;
# and the registry file itself: readers open it read-only (a read-only
# copy can be audited, nothing is left behind), and another application's
# SQLite file is left byte for byte as it was by every command.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

q="'"
KEY=$BUNDLES/region.key
export KEY

# A registry with some history, a refusal last (as in t0650).
history() {
	setup_imported &&
	"$STEG" publish $V1 --all-units --as $PUB > /dev/null &&
	"$STEG" activate $V1 --unit $U1 --as $CLIN1 > /dev/null &&
	{ "$STEG" activate $V1 --unit $U2 --as $CLIN1 2> /dev/null; true; }
}

# Going around steg as someone who can write the file would: keep the
# triggers, drop them, change the rows, put the triggers back word for word.
drop_triggers() {
	sqlite3 steg.db "SELECT sql || ';' FROM sqlite_schema WHERE type = 'trigger'" > triggers.sql &&
	sqlite3 steg.db "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema WHERE type = 'trigger'" | sqlite3 steg.db
}
restore_triggers() {
	sqlite3 steg.db < triggers.sql
}

# Recompute every prev_hash and hash as steg does (docs/registry.md):
# version 1 up to the first NUL of each field, version 2 every byte, after
# its tag; from which row on is in audit_hashing.
rehash() {
	python3 - <<-\PY
	import hashlib, sqlite3
	db = sqlite3.connect("steg.db")
	db.text_factory = bytes
	hv = db.execute("SELECT from_seq, version FROM audit_hashing ORDER BY 1").fetchall()
	def version(seq):
	    v = 1
	    for f, ver in hv:
	        if f <= seq:
	            v = ver
	    return v
	def enc(b):
	    return str(len(b)).encode() + b":" + b + b"\n"
	prev = b"0" * 64
	rows = db.execute("SELECT seq, time, actor, role, unit, action, object, outcome, detail FROM audit ORDER BY seq").fetchall()
	for r in rows:
	    seq, fields = r[0], r[1:]
	    v = version(seq)
	    m = b"steg audit row 2\n" if v >= 2 else b""
	    m += enc(prev) + enc(str(seq).encode())
	    for f in fields:
	        m += enc(f if v >= 2 else f.split(b"\0")[0])
	    h = hashlib.sha256(m).hexdigest().encode()
	    db.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev.decode(), h.decode(), seq))
	    prev = h
	db.commit()
	PY
}

# Run a command as a user who does not own the registry: nobody, when the
# tests run as root (who could write anything anyway), else ourselves.
# nobody runs copies of steg and steg-bundle in a folder every user can
# reach: the build folder may lie in one only its owner can enter (a clone
# in mktemp -d's folder, mode 0700), and steg runs steg-bundle from its own
# folder (a score as nobody failed there with 'Permission denied').
as_reader() {
	if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
		rb=$TRASH_ROOT/reader-bin
		if [ ! -x "$rb/steg-bundle" ]; then
			mkdir -p "$rb" && chmod 755 "$rb" &&
			cp "$STEG" "$(dirname "$STEG")/steg-bundle" "$rb/" || return 3
		fi
		if [ "$1" = "$STEG" ]; then
			shift
			set -- "$rb/steg" "$@"
		fi
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}

test_expect_success 'audit checkpoint signs the head of the log; --check verifies it' '
	history &&
	"$STEG" audit checkpoint --key "$KEY" --unencrypted > out &&
	head=$(sqlite3 steg.db "SELECT hash FROM audit WHERE seq = 17") &&
	keyid=$(sqlite3 steg.db "SELECT keyid FROM trusted_keys") &&
	cp=steg.db.checkpoints/checkpoint-000000000017.minisig &&
	echo "signed a checkpoint of the audit log at row 17 (hash $head) with key $keyid: $cp" > want &&
	test_cmp want out &&
	sed -n 3p $cp | grep "^trusted comment: steg kind=checkpoint publisher=$REGION sequence=17 head=$head time=20[0-9-]*T[0-9:]*Z$" &&
	"$STEG" audit --check > out &&
	head -n 1 out > got && echo "the audit log is unbroken: 17 rows" > want && test_cmp want got &&
	sed -n 2p out | grep "^it extends checkpoint $q$cp$q: row 17, signed 20[0-9-]*T[0-9:]*Z by key $keyid$" &&
	"$STEG" audit --check --json > out.json &&
	python3 -c "
import json; d = json.load(open(\"out.json\"))
assert d[\"ok\"] is True and d[\"rows\"] == 17, d
assert [(c[\"file\"], c[\"row\"], c[\"key\"]) for c in d[\"checkpoints\"]] == [(\"$cp\", 17, \"$keyid\")], d
"
'

if command -v minisign > /dev/null; then
test_expect_success 'minisign verifies a checkpoint: the signed data is the head' '
	history &&
	"$STEG" audit checkpoint --key "$KEY" --unencrypted -o cp.minisig > /dev/null &&
	printf %s "$(sqlite3 steg.db "SELECT hash FROM audit WHERE seq = 17")" > head &&
	minisign -V -p "$BUNDLES/region.pub" -m head -x cp.minisig > out &&
	grep "^Trusted comment: steg kind=checkpoint publisher=$REGION sequence=17 " out
'
else
	test_skip 'minisign verifies a checkpoint: the signed data is the head' 'no minisign'
fi

test_expect_success 'a chain recomputed after rewriting history is caught by a checkpoint' '
	history &&
	"$STEG" audit checkpoint --key "$KEY" --unencrypted -o cp.minisig > /dev/null &&
	drop_triggers &&
	sqlite3 steg.db "UPDATE audit SET actor = ${q}SE2321000016-X000$q WHERE seq = 14" &&
	rehash && restore_triggers &&
	"$STEG" audit --check > out &&
	echo "the audit log is unbroken: 17 rows" > want && test_cmp want out &&
	run out "$STEG" audit --check --checkpoint cp.minisig &&
	test $rc = 1 &&
	echo "steg: error: the audit log does not extend checkpoint ${q}cp.minisig$q: the hash of row 17 is not the one the checkpoint signed (the log was rewritten at or before row 17)" > want &&
	test_cmp want out &&
	rc=0 && "$STEG" audit --check --checkpoint cp.minisig --json > out.json || rc=$? &&
	test $rc = 1 &&
	python3 -c "import json; d = json.load(open(\"out.json\")); assert d[\"ok\"] is False and d[\"checkpoint\"] == \"cp.minisig\", d"
'

test_expect_success 'rows cut off the end of the log are caught by a checkpoint' '
	history &&
	"$STEG" audit checkpoint --key "$KEY" --unencrypted > /dev/null &&
	drop_triggers &&
	sqlite3 steg.db "DELETE FROM audit WHERE seq = 17" &&
	restore_triggers &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: the audit log ends at row 16, but checkpoint ${q}steg.db.checkpoints/checkpoint-000000000017.minisig$q was signed at row 17: rows were cut off the end of the log" > want &&
	test_cmp want out
'

test_expect_success 'a checkpoint is checked against the region key, and its bytes hold' '
	history &&
	"$STEG" audit checkpoint --key "$KEY" --unencrypted -o cp.minisig > /dev/null &&
	"$STEG" audit --check --checkpoint cp.minisig --pubkey "$BUNDLES/region.pub" > /dev/null &&
	run out "$STEG" audit --check --checkpoint cp.minisig --pubkey "$BUNDLES/other.pub" &&
	test $rc = 1 && grep "^steg: error: checkpoint does not hold: .cp.minisig. is signed by key [0-9A-F]*, which is not trusted here$" out &&
	sed "3s/sequence=17/sequence=16/" cp.minisig > forged.minisig &&
	run out "$STEG" audit --check --checkpoint forged.minisig &&
	test $rc = 1 && grep "^steg: error: checkpoint does not hold: the signature of .forged.minisig. by key [0-9A-F]* does not hold: the data or its trusted comment was altered$" out &&
	run out "$STEG" audit --check --checkpoint "$BUNDLES/region.pub" &&
	test $rc = 1 && grep "^steg: error: checkpoint does not hold: the signature of .*region.pub. is not in minisign" out
'

test_expect_success 'audit checkpoint refuses an untrusted key, a broken log and a rewritten row' '
	history &&
	run out "$STEG" audit checkpoint --key "$BUNDLES/other.key" --unencrypted &&
	test $rc = 1 &&
	grep "^steg: error: key [0-9A-F]* is not a trusted key of this region .$REGION., so nobody could check the checkpoint; trust it with .steg trust add --region $REGION --key FILE.pub.$" out &&
	test ! -e steg.db.checkpoints &&
	"$STEG" audit checkpoint --key "$KEY" --unencrypted > /dev/null &&
	cp steg.db.checkpoints/checkpoint-000000000017.minisig keep &&
	drop_triggers &&
	sqlite3 steg.db "UPDATE audit SET detail = ${q}x$q WHERE seq = 17" &&
	restore_triggers &&
	run out "$STEG" audit checkpoint --key "$KEY" --unencrypted &&
	test $rc = 1 &&
	echo "steg: error: refusing to sign a checkpoint of a log that does not check (audit log broken at row 17: the row does not match its hash (changed after it was written)); see ${q}steg audit --check$q" > want &&
	test_cmp want out &&
	drop_triggers && rehash && restore_triggers &&
	run out "$STEG" audit checkpoint --key "$KEY" --unencrypted &&
	test $rc = 1 &&
	grep "^steg: error: .steg.db.checkpoints/checkpoint-000000000017.minisig. already holds a checkpoint of row 17 with another hash: the log was rewritten since" out &&
	cmp keep steg.db.checkpoints/checkpoint-000000000017.minisig
'

test_expect_success 'a NUL byte in a field is caught, rehashed or not, and never stored by the database' '
	history &&
	drop_triggers &&
	sqlite3 steg.db "UPDATE audit SET actor = actor || char(0) || ${q}x$q WHERE seq = 14" &&
	restore_triggers &&
	test -z "$("$STEG" audit --actor $PUB | grep "^14	")" &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: audit log broken at row 14: the row does not match its hash (changed after it was written)" > want &&
	test_cmp want out &&
	drop_triggers && rehash && restore_triggers &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: audit log broken at row 14: its ${q}actor$q holds a NUL byte, which steg never writes" > want &&
	test_cmp want out &&
	! sqlite3 steg.db "INSERT INTO audit SELECT 18, time, actor || char(0), role, unit, action, object, outcome, detail, hash, hash FROM audit WHERE seq = 17" 2> err &&
	grep "the audit log takes no NUL byte" err
'

V1SQL=$SRC/tests/data/registry/v1.sql
test_expect_success 'a registry from before: old rows keep hashing version 1, a NUL in one is caught' '
	sqlite3 steg.db < "$V1SQL" &&
	"$STEG" unit add SE2321000016-U002 --name "Enhet 2" --as SE2321000016-A001 > /dev/null &&
	test "$(sqlite3 steg.db "SELECT from_seq, version FROM audit_hashing")" = "4|2" &&
	"$STEG" audit --check > out &&
	echo "the audit log is unbroken: 4 rows" > want && test_cmp want out &&
	cp steg.db clean.db &&
	drop_triggers &&
	sqlite3 steg.db "UPDATE audit SET actor = actor || char(0) || ${q}x$q WHERE seq = 2" &&
	restore_triggers &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: audit log broken at row 2: its ${q}actor$q holds a NUL byte, which steg never writes" > want &&
	test_cmp want out &&
	cp clean.db steg.db &&
	drop_triggers &&
	sqlite3 steg.db "UPDATE audit_hashing SET from_seq = 3" &&
	restore_triggers &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: audit log broken at row 3: the row does not match its hash (changed after it was written)" > want &&
	test_cmp want out
'

test_expect_success 'a deleted log and dropped triggers are caught, and no command writes then' '
	history &&
	sqlite3 steg.db "DROP TRIGGER audit_no_delete; DELETE FROM audit" &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: the audit log${q}s trigger ${q}audit_no_delete$q is missing, so the log is no longer append-only" > want &&
	test_cmp want out &&
	state > before.state &&
	run out "$STEG" unit add SE2321000016-U003 --name X --as $ADMIN &&
	test $rc = 1 &&
	echo "steg: error: refusing to change the registry ${q}steg.db$q: the audit log${q}s trigger ${q}audit_no_delete$q is missing, so the log is no longer append-only; check it with ${q}steg audit --check$q and restore it from a backup" > want &&
	test_cmp want out &&
	run out "$STEG" approve $V2 --as $PUB && test $rc = 1 &&
	run out "$STEG" import "$BUNDLES/base-signed.steg" --as $PUB && test $rc = 1 &&
	state > after.state && test_cmp before.state after.state &&
	test "$(audit_rows)" = 0 &&
	sqlite3 steg.db "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit  BEGIN SELECT RAISE(ABORT, ${q}the audit log is append-only$q); END" &&
	run out "$STEG" audit --check &&
	test $rc = 1 &&
	echo "steg: error: the registry and its audit log disagree: the region ${q}$REGION$q has no ${q}init$q row in the log (rows were removed, or the registry was changed around steg)" > want &&
	test_cmp want out
'

test_expect_success 'a trigger changed or added on the log is caught' '
	history &&
	sqlite3 steg.db "DROP TRIGGER audit_no_update; CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT 1; END" &&
	run out "$STEG" audit --check && test $rc = 1 &&
	echo "steg: error: the registry${q}s trigger ${q}audit_no_update$q is not one steg made" > want &&
	test_cmp want out &&
	rm -f steg.db* && history &&
	sqlite3 steg.db "CREATE TRIGGER audit_more AFTER INSERT ON audit BEGIN SELECT 1; END" &&
	run out "$STEG" audit --check && test $rc = 1 &&
	echo "steg: error: the registry${q}s trigger ${q}audit_more$q is not one steg made" > want &&
	test_cmp want out &&
	run out "$STEG" deactivate $V1 --unit $U1 --as $CLIN1 && test $rc = 1
'

test_expect_success 'state and log must agree: a rehashed log without a row is caught' '
	history &&
	drop_triggers &&
	sqlite3 steg.db "DELETE FROM audit WHERE seq >= 15; UPDATE audit SET seq = seq - 1 WHERE seq = 16" &&
	rehash && restore_triggers &&
	run out "$STEG" audit --check && test $rc = 1 &&
	echo "steg: error: the registry and its audit log disagree: the publication of $V1 at unit $U2 has no ${q}publish$q row in the log (rows were removed, or the registry was changed around steg)" > want &&
	test_cmp want out &&
	rm -f steg.db* && history &&
	drop_triggers &&
	sqlite3 steg.db "DELETE FROM audit WHERE seq >= 12" && rehash && restore_triggers &&
	run out "$STEG" audit --check && test $rc = 1 &&
	grep "^steg: error: the registry and its audit log disagree: version $V2 has no .import. row in the log" out
'

test_expect_success 'changing only the prev_hash of one row is caught' '
	history &&
	drop_triggers &&
	sqlite3 steg.db "UPDATE audit SET prev_hash = ${q}$(printf %064d 7)$q WHERE seq = 5" &&
	restore_triggers &&
	run out "$STEG" audit --check && test $rc = 1 &&
	echo "steg: error: audit log broken at row 5: its prev_hash is not the hash of row 4" > want &&
	test_cmp want out
'

test_expect_success 'every reading command works on a read-only copy and leaves no file' '
	history &&
	"$STEG" audit checkpoint --key "$KEY" --unencrypted -o cp.minisig > /dev/null &&
	python3 -c "import json; print(json.dumps({\"q1\": 1, \"q2\": 2}))" > a.json &&
	mkdir ro && sqlite3 steg.db ".backup ro/steg.db" && chmod 444 ro/steg.db && chmod 555 ro &&
	for c in "list" "list --unit $U1" "show $V1" "show $PROG --json" "audit" "audit --json" \
		"audit --check" "audit --check --checkpoint cp.minisig" "trust list" "unit list" \
		"user list" "score $V1 mood --answers a.json"; do
		as_reader "$STEG" --db ro/steg.db $c > out.ro 2>&1 || { echo "$c:"; cat out.ro; exit 1; }
		"$STEG" $c > out.rw 2>&1 || { echo "$c:"; cat out.rw; exit 1; }
		test_cmp out.rw out.ro || exit 1
	done &&
	test "$(ls -A ro)" = steg.db &&
	chmod 755 ro
'

test_expect_success 'a reader in a shared folder leaves nothing that locks the owner out' '
	history &&
	mkdir shared && chmod 1777 shared && mv steg.db shared/ && chmod 644 shared/steg.db &&
	as_reader "$STEG" --db shared/steg.db audit --check > /dev/null &&
	as_reader "$STEG" --db shared/steg.db list > /dev/null &&
	as_reader "$STEG" --db shared/steg.db unit list > /dev/null &&
	test "$(ls -A shared)" = steg.db &&
	"$STEG" --db shared/steg.db deactivate $V1 --unit $U1 --as $CLIN1 > /dev/null &&
	"$STEG" --db shared/steg.db audit --check > /dev/null &&
	run out as_reader "$STEG" --db shared/steg.db unit add SE2321000016-U009 --name X --as $ADMIN &&
	test $rc != 0 && test "$(ls -A shared)" = steg.db
'

if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
test_expect_success 'a reader who is not the owner does not touch a registry a killed steg left' '
	history &&
	mkdir shared && chmod 1777 shared && mv steg.db shared/ &&
	: > shared/steg.db-wal &&
	run out as_reader "$STEG" --db shared/steg.db list &&
	test $rc = 3 &&
	echo "steg: error: the registry ${q}shared/steg.db$q has a -wal file but no -shm file, left by a steg that was killed; its owner runs any steg command on it first (that recovers it), then try again" > want &&
	test_cmp want out &&
	test "$(ls -A shared | tr "\n" " ")" = "steg.db steg.db-wal " &&
	"$STEG" --db shared/steg.db list > /dev/null &&
	as_reader "$STEG" --db shared/steg.db list > /dev/null
'
else
	test_skip 'a reader who is not the owner does not touch a registry a killed steg left' 'needs root and setpriv to be another user'
fi

test_expect_success 'readers and writers at once: every reader reads, every writer writes' '
	setup_registry &&
	for i in 1 2 3 4 5 6 7 8 9; do
		"$STEG" unit add SE2321000016-U10$i --name "Enhet $i" --as $ADMIN > w.$i 2>&1 &
		"$STEG" audit --check > r.$i 2>&1 &
		"$STEG" unit list > l.$i 2>&1 &
	done &&
	wait &&
	for i in 1 2 3 4 5 6 7 8 9; do
		grep -q "^added unit" w.$i || { cat w.$i; exit 1; }
		grep -q "^the audit log is unbroken: [0-9]* rows$" r.$i || { cat r.$i; exit 1; }
		grep -q "^$U1	" l.$i || { cat l.$i; exit 1; }
	done &&
	"$STEG" audit --check > out &&
	echo "the audit log is unbroken: 19 rows" > want && test_cmp want out
'

# Another application's SQLite files: in rollback mode, in WAL mode, with
# an application_id of its own, with a user_version and no steg tables.
foreign_files() {
	sqlite3 plain.db "CREATE TABLE t (x); INSERT INTO t VALUES (1)" &&
	sqlite3 wal.db "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (2)" > /dev/null &&
	sqlite3 appid.db "PRAGMA application_id = 42; CREATE TABLE audit (x)" &&
	sqlite3 uv.db "PRAGMA user_version = 2; CREATE TABLE organisations (x); CREATE TABLE audit (x)"
}

test_expect_success 'another application'"'"'s SQLite file is byte-identical after any steg command' '
	foreign_files &&
	python3 -c "import json; print(json.dumps({\"q1\": 1}))" > a.json &&
	for f in plain wal appid uv; do
		cp $f.db $f.orig || exit 1
		for c in "init --region $REGION --name R --admin $ADMIN" "unit add $U1 --name U --as $ADMIN" \
			"unit list" "user list" "user add $PUB --name P --role publisher --as $ADMIN" \
			"trust list" "trust add --region $REGION --key $BUNDLES/other.pub --as $ADMIN" \
			"import $BUNDLES/base.steg --as $PUB --allow-unsigned" "list" "show $V1" \
			"approve $V1 --as $PUB" "publish $V1 --all-units --as $PUB" "activate $V1 --unit $U1 --as $ADMIN" \
			"retire $V1 --as $PUB" "audit" "audit --check" "audit checkpoint --key $KEY --unencrypted" \
			"score $V1 mood --answers a.json" "share $V1 --channel ch --key $KEY --unencrypted --as $PUB" \
			"sync ch --as $PUB"; do
			rc=0; "$STEG" --db $f.db $c > out 2>&1 || rc=$?
			test $rc != 0 || { echo "$f: $c: exit 0"; cat out; exit 1; }
			cmp $f.orig $f.db || { echo "$f: $c changed it"; cat out; exit 1; }
			test ! -e $f.db-wal && test ! -e $f.db-shm && test ! -e $f.db.checkpoints ||
				{ echo "$f: $c left files"; ls; exit 1; }
		done
	done &&
	run out "$STEG" --db plain.db init --region $REGION --name R --admin $ADMIN &&
	echo "steg: error: ${q}plain.db$q is an SQLite database but not a steg registry; steg leaves it as it is (name the registry with --db, or create one with ${q}steg init$q)" > want &&
	test_cmp want out
'

test_expect_success 'steg init takes an empty file, and marks the registry' '
	: > empty.db &&
	"$STEG" --db empty.db init --region $REGION --name R --admin $ADMIN > /dev/null &&
	test "$(sqlite3 empty.db "PRAGMA application_id")" = 1398031687 &&
	"$STEG" --db empty.db audit --check > /dev/null
'

test_expect_success 'a secret key or passphrase file others can read is used, with a warning' '
	history &&
	cp "$KEY" open.key && chmod 644 open.key &&
	"$STEG" audit checkpoint --key open.key --unencrypted -o cp.minisig > out 2> err &&
	echo "steg: warning: secret key ${q}open.key$q can be read or written by others (mode 0644); make it private with ${q}chmod 600 open.key$q [key-permissions]" > want &&
	test_cmp want err &&
	"$STEG" audit --check --checkpoint cp.minisig > /dev/null &&
	cp "$BUNDLES/base.steg" b.steg && "$STEGC" sign b.steg --key open.key --unencrypted --expires 3650 > /dev/null 2> err &&
	grep "^stegc: warning: secret key .open.key. can be read or written by others (mode 0644); make it private with .chmod 600 open.key. \[key-permissions\]$" err &&
	echo secret-passphrase > pass && chmod 640 pass &&
	"$STEGC" keygen -o enc --passphrase-file pass --kdf interactive > /dev/null 2> err &&
	grep "^stegc: warning: passphrase file .pass. can be read or written by others (mode 0640)" err &&
	chmod 600 pass &&
	cp "$BUNDLES/base.steg" c.steg && "$STEGC" sign c.steg --key enc.key --passphrase-file pass --expires 3650 > /dev/null 2> err &&
	test ! -s err
'

# steg asks as stegc does (core/term.c): on the terminal, echo off, before
# it opens the registry.  The key is not trusted here, so the checkpoint is
# refused after the key has been read: "not trusted", not "wrong
# passphrase", shows that the answer was read.
test_expect_success 'steg asks the terminal for the passphrase of an encrypted key, and without one says how to give it' '
	history &&
	printf "lösen på terminalen\n" > tpass && chmod 600 tpass &&
	"$STEGC" keygen -o tkey --passphrase-file tpass --kdf interactive > /dev/null &&
	rc=0 &&
	python3 "$SRC/tests/tools/pty-answer.py" "passphrase for ${q}tkey.key$q: " "lösen på terminalen" -- \
		"$STEG" audit checkpoint --key tkey.key > out || rc=$?
	test $rc = 1 &&
	tr -d "\r" < out > got &&
	sed -n 1p got > first &&
	echo "passphrase for ${q}tkey.key$q: " > want &&
	test_cmp want first &&
	sed -n 2p got | grep "^steg: error: key [0-9A-F]* is not a trusted key of this region" &&
	! grep -q "lösen" got &&
	run out setsid -w "$STEG" audit checkpoint --key tkey.key < /dev/null &&
	test $rc = 1 &&
	echo "steg: error: no terminal to ask for the passphrase of ${q}tkey.key$q; use --passphrase-env VAR or --passphrase-file FILE [key-passphrase]" > want &&
	test_cmp want out &&
	test ! -e steg.db.checkpoints
'

test_done
