#!/bin/sh
# t0621 — a command's change is on disk before it says so, with no sync
# more than it needs (runtime/registry.c, durable_commit; docs/registry.md,
# "Database settings").  tests/tools/failsync.c, preloaded, lists every
# sync a command makes ($FAILSYNC_LOG) and fails the one after the first N
# of the log ($FAILSYNC_SKIP, $FAILSYNC_FLAG).
#
# A command commits without syncing the log (synchronous=NORMAL) and then
# checkpoints: the checkpoint's sync of the log is the commit's, then the
# file's; when a reader's snapshot keeps the checkpoint from copying the
# change, the command syncs the log itself.  A failed sync fails the
# command (exit 3), and a later sync that succeeds does not make it a
# success (the kernel reports a failed write-back once).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }
W=$TRASH_ROOT
${CC:-cc} -shared -fPIC -Wall -Wextra -Werror -o "$W/failsync.so" \
	"$SRC/tests/tools/failsync.c" -ldl 2> "$W/cc.err" ||
	{ echo "Bail out! failsync.so does not build: $(cat "$W/cc.err")"; exit 1; }
# The sanitizer build's runtime must come first among the libraries; the
# preloaded one does not need it.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS
q="'"

# synced CMD...: run CMD with failsync preloaded; its exit code in $rc,
# stdout and stderr in out, the syncs in syncs (paths relative to here).
synced() {
	rm -f syncs.raw
	rc=0
	FAILSYNC_LOG=$PWD/syncs.raw LD_PRELOAD=$W/failsync.so "$@" > out 2>&1 ||
		rc=$?
	touch syncs.raw
	sed "s|^$PWD/||; s|^$PWD\$|.|" syncs.raw > syncs
}

# holding CMD...: CMD runs while another connection holds a read
# transaction on steg.db begun before it (as steg serve reading, or any
# reader through -wal); "sees N" is what that snapshot still shows.
holding() {
	python3 - "$@" <<'EOF'
import sqlite3, subprocess, sys
con = sqlite3.connect("steg.db", isolation_level=None)
con.execute("BEGIN")
n = con.execute("SELECT count(*) FROM publications").fetchone()[0]
rc = subprocess.call(sys.argv[1:])
m = con.execute("SELECT count(*) FROM publications").fetchone()[0]
con.execute("COMMIT")
con.close()
print("sees %d of %d" % (m, n))
sys.exit(rc)
EOF
}

test_expect_success 'publish syncs the log (its header), the folder, the log (the checkpoint, which is the commit), the file: one sync fewer than synchronous=FULL' '
	setup_imported &&
	synced "$STEG" publish $V1 --unit $U1 --as $PUB &&
	test $rc = 0 &&
	echo "published $V1 to $q$U1$q" > want && test_cmp want out &&
	printf "%s\n" steg.db-wal . steg.db-wal steg.db > want &&
	test_cmp want syncs &&
	test ! -e steg.db-wal && test ! -e steg.db-shm &&
	test "$(sqlite3 steg.db "SELECT unit FROM publications")" = $U1
'

test_expect_success 'a reader holding an older snapshot: the command syncs the log itself before it says done' '
	setup_imported &&
	holding env FAILSYNC_LOG=$PWD/syncs.raw LD_PRELOAD=$W/failsync.so \
		"$STEG" publish $V1 --unit $U1 --as $PUB > out 2>&1 &&
	printf "%s\n" "published $V1 to $q$U1$q" "sees 0 of 0" > want &&
	test_cmp want out &&
	sed "s|^$PWD/||; s|^$PWD\$|.|" syncs.raw > syncs &&
	printf "%s\n" steg.db-wal . steg.db-wal > want &&
	test_cmp want syncs &&
	test "$(sqlite3 steg.db "SELECT unit FROM publications")" = $U1 &&
	test ! -e steg.db-wal && test ! -e steg.db-shm
'

# locked CMD...: CMD runs while another process holds SQLite's shared
# lock on steg.db as a reader of a whole file does (docs/registry.md,
# "Readers": steg list reading it as immutable), no connection of its own.
locked() {
	python3 - "$@" <<'EOF'
import fcntl, os, subprocess, sys
fd = os.open("steg.db", os.O_RDONLY)
fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 510, 0x40000000 + 2, os.SEEK_SET)
rc = subprocess.call(sys.argv[1:])
os.close(fd)
sys.exit(rc)
EOF
}

test_expect_success 'a reader of the whole file holds its lock: the command does not write the file under it, and syncs the log itself' '
	setup_imported &&
	cp steg.db before.db &&
	locked env FAILSYNC_LOG=$PWD/syncs.raw LD_PRELOAD=$W/failsync.so \
		"$STEG" publish $V1 --unit $U1 --as $PUB > out 2>&1 &&
	echo "published $V1 to $q$U1$q" > want && test_cmp want out &&
	cmp before.db steg.db &&
	sed "s|^$PWD/||; s|^$PWD\$|.|" syncs.raw > syncs &&
	printf "%s\n" steg.db-wal . steg.db-wal > want &&
	test_cmp want syncs &&
	test -e steg.db-wal && test -e steg.db-shm &&
	"$STEG" list --unit $U1 > list && grep "^$V1" list &&
	"$STEG" publish $V1 --unit $U2 --as $PUB > out &&
	test ! -e steg.db-wal && test ! -e steg.db-shm &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM publications")" = 2
'

test_expect_success 'the sync after the commit fails: exit 3, saying the change may be lost; the log is kept, and the next command recovers it and leaves the file whole' '
	setup_imported &&
	: > flag &&
	FAILSYNC_FLAG=$PWD/flag FAILSYNC_SKIP=1 synced "$STEG" publish $V1 --unit $U1 --as $PUB &&
	test $rc = 3 &&
	echo "steg: error: the change was written to the registry ${q}steg.db$q but could not be synced to disk (Input/output error); it may be lost if the machine stops now: check the disk" > want &&
	test_cmp want out &&
	test ! -e flag &&
	head -n 3 syncs > got && printf "%s\n" steg.db-wal . "steg.db-wal EIO" > want &&
	test_cmp want got &&
	test -e steg.db-wal && test -e steg.db-shm &&
	"$STEG" audit --check > check && grep "^the audit log is unbroken" check &&
	"$STEG" audit > log && tail -n 1 log | cut -f 6,8 > got &&
	printf "publish\terror\n" > want && test_cmp want got &&
	"$STEG" publish $V1 --unit $U2 --as $PUB > out &&
	echo "published $V1 to $q$U2$q" > want && test_cmp want out &&
	test ! -e steg.db-wal && test ! -e steg.db-shm &&
	test "$(sqlite3 steg.db "PRAGMA integrity_check")" = ok &&
	"$STEG" audit --check > check && grep "^the audit log is unbroken" check
'

test_expect_success 'a reader holding a snapshot and the sync the command makes itself fails: exit 3, not done' '
	setup_imported &&
	: > flag &&
	rc=0 &&
	holding env FAILSYNC_FLAG=$PWD/flag FAILSYNC_SKIP=1 LD_PRELOAD=$W/failsync.so \
		"$STEG" publish $V1 --unit $U1 --as $PUB > out 2>&1 || rc=$? &&
	test $rc = 3 &&
	printf "%s\n" "steg: error: the change was written to the registry ${q}steg.db$q but could not be synced to disk (Input/output error); it may be lost if the machine stops now: check the disk" "sees 0 of 0" > want &&
	test_cmp want out &&
	test ! -e flag
'

test_done
