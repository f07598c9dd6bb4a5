#!/bin/sh
# t0725 — `steg sync` stores every new bundle of a channel, records the
# channel's sequence and writes its audit rows in one transaction: killed
# with SIGKILL at random moments, it leaves region B's registry as it was
# before the sync or as it is after it, never a bundle without its
# sequence or a sequence without its bundles; and the transaction holds
# the "import" rows of the bundles and the "sync" row together.  What a
# killed sync leaves in TMPDIR is removed by the next sync.
#
# STEG_SYNC_CRASH_ROUNDS sets the number of kills (default 60).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/channel-lib.sh"
setup_regions || { echo "Bail out! cannot set up the two regions"; exit 1; }

ROUNDS=${STEG_SYNC_CRASH_ROUNDS:-60}

# Two states of A's channel: s1 lists 1.0.0 (sequence 1), s3 lists 1.0.0,
# 1.1.0 and 1.2.0 (sequence 3); and B as setup_regions left it.
(
	share_a se.test.bas@1.0.0 "$W/c" > /dev/null && cp -R "$W/c" "$W/s1" &&
	share_a se.test.bas@1.1.0 "$W/c" > /dev/null &&
	share_a se.test.bas@1.2.0 "$W/c" > /dev/null && cp -R "$W/c" "$W/s3" &&
	sqlite3 "$W/B.db" ".backup '$W/B0.db'"
) || { echo "Bail out! cannot share"; exit 1; }

test_expect_success 'one sync: the import rows, the sequence and the sync row in one transaction' '
	cp "$W/B0.db" b.db &&
	"$STEG" --db b.db sync "$W/s3" --as $BPUB > out &&
	grep -c "^imported se.test.bas@1\.[012]\.0 (Basprogram), [0-9]* bytes, sha256 [0-9a-f]*, signed by $RA$" out > n &&
	echo 3 > want && test_cmp want n &&
	sqlite3 b.db "SELECT action, object, outcome FROM audit WHERE seq > (SELECT max(seq) FROM audit WHERE action = '"'"'trust add'"'"') ORDER BY seq" > got &&
	printf "import|se.test.bas@1.0.0|ok\nimport|se.test.bas@1.1.0|ok\nimport|se.test.bas@1.2.0|ok\nsync|%s|ok\n" "$W/s3" > want &&
	test_cmp want got &&
	sqlite3 b.db "SELECT detail FROM audit WHERE action = '"'"'import'"'"' ORDER BY seq LIMIT 1" > got &&
	grep -q ", signed by key $(KEYID_A) of '"'"'$RA'"'"', from channel '"'"'$W/s3'"'"'$" got &&
	test "$(sqlite3 b.db "SELECT region, sequence FROM channel_seen")" = "$RA|3" &&
	"$STEG" --db b.db audit --check
'

test_expect_success "sync killed at random moments, $ROUNDS times: all or nothing" '
	mkdir tmp &&
	TMPDIR=$PWD/tmp python3 - "$STEG" "$W" "$ROUNDS" $BPUB $RA > crash.log <<-"PY" &&
	import os, random, shutil, signal, sqlite3, subprocess, sys, time
	steg, w, rounds, pub, ra = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
	rng = random.Random(20261123)
	ALL = ["se.test.bas@1.0.0", "se.test.bas@1.1.0", "se.test.bas@1.2.0"]
	def sync(where):
	    return [steg, "--db", "b.db", "sync", os.path.join(w, where), "--as", pub]
	def state():
	    db = sqlite3.connect("b.db")
	    q = lambda sql: db.execute(sql).fetchall()
	    assert q("PRAGMA integrity_check") == [("ok",)]
	    assert q("PRAGMA foreign_key_check") == []
	    versions = sorted("%s@%s" % r for r in q("SELECT program, version FROM versions"))
	    blobs = sorted(s for (s,) in q("SELECT sha256 FROM blobs"))
	    shas = sorted(s for (s,) in q("SELECT bundle_sha256 FROM versions"))
	    seen = q("SELECT region, sequence FROM channel_seen")
	    imports = sorted(o for (o,) in q("SELECT object FROM audit WHERE action = \"import\" AND outcome = \"ok\""))
	    syncs = q("SELECT count(*) FROM audit WHERE action = \"sync\" AND outcome = \"ok\"")[0][0]
	    db.close()
	    assert blobs == shas, "blobs and versions differ"
	    assert imports == versions, "import rows %s, versions %s" % (imports, versions)
	    return versions, seen, syncs
	# the two states a sync of s3 may leave, per starting point
	before = {0: ([], [], 0), 1: (ALL[:1], [(ra, 1)], 1)}
	after = {0: (ALL, [(ra, 3)], 1), 1: (ALL, [(ra, 3)], 2)}
	t0 = time.monotonic()
	shutil.copy(os.path.join(w, "B0.db"), "b.db")
	subprocess.run(sync("s3"), stdout=subprocess.DEVNULL, check=True)
	span = max(0.02, 1.5 * (time.monotonic() - t0))
	killed = whole = untouched = 0
	for r in range(rounds):
	    for f in ("b.db", "b.db-wal", "b.db-shm"):
	        if os.path.exists(f):
	            os.unlink(f)
	    shutil.copy(os.path.join(w, "B0.db"), "b.db")
	    start = rng.randrange(2)
	    if start:
	        subprocess.run(sync("s1"), stdout=subprocess.DEVNULL, check=True)
	    p = subprocess.Popen(sync("s3"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
	    time.sleep(rng.randrange(int(span * 1e6)) / 1e6)
	    if p.poll() is None:
	        p.send_signal(signal.SIGKILL)
	        killed += 1
	        span *= 1.05
	    else:
	        span *= 0.95
	    p.wait()
	    got = state()
	    if got == after[start]:
	        whole += 1
	    elif got == before[start]:
	        untouched += 1
	    else:
	        db = sqlite3.connect("b.db")
	        rows = db.execute("SELECT seq, action, object, outcome, detail FROM audit ORDER BY seq").fetchall()
	        sys.exit("round %d (start %d): a state between before and after: %s\n%s" % (r, start, got, "\n".join(map(str, rows))))
	    if subprocess.run([steg, "--db", "b.db", "audit", "--check"], stdout=subprocess.DEVNULL).returncode:
	        sys.exit("round %d: the audit chain is broken" % r)
	    # and sync runs on from whatever the kill left
	    subprocess.run(sync("s3"), stdout=subprocess.DEVNULL, check=True)
	    if state()[:2] != after[start][:2]:
	        sys.exit("round %d: sync after the kill did not complete: %s" % (r, state()))
	print("killed %d, whole %d, untouched %d, span %.1f ms" % (killed, whole, untouched, span * 1000))
	if killed < rounds // 4 or whole == 0 or untouched == 0:
	    sys.exit("the kills did not cover both outcomes: the test proves too little")
	PY
	cat crash.log &&
	ls tmp > left &&
	test_cmp /dev/null left
'

test_expect_success 'the next sync removes what a killed sync left in TMPDIR, and only that' '
	mkdir tmp other &&
	dead=$(sh -c "echo \$\$") &&
	mkdir tmp/steg-sync.$dead.AbC123 && echo x > tmp/steg-sync.$dead.AbC123/se.test.bas-1.0.0.steg &&
	ln -s "$PWD/other" tmp/steg-sync.$dead.link && echo keep > other/f &&
	mkdir tmp/steg-sync.$$.Live01 && echo y > tmp/steg-sync.$$.Live01/f &&
	mkdir tmp/steg-sync.XYZ123 tmp/steg-syncing &&
	mkdir tmp/steg-sync.$dead.Sub001 && mkdir tmp/steg-sync.$dead.Sub001/d &&
	cp "$W/B0.db" b.db &&
	TMPDIR=$PWD/tmp "$STEG" --db b.db sync "$W/s3" --as $BPUB > /dev/null &&
	ls tmp > got &&
	printf "steg-sync.$$.Live01\nsteg-sync.$dead.Sub001\nsteg-sync.$dead.link\nsteg-sync.XYZ123\nsteg-syncing\n" | sort > want &&
	test_cmp want got &&
	test "$(cat other/f)" = keep && test -d tmp/steg-sync.$dead.Sub001/d
'

test_done
