#!/bin/sh
# t0690 — nothing is lost: `steg import`, `approve`, `publish`, `activate`
# and `unpublish` killed with SIGKILL at random moments, hundreds of times, and then the
# registry passes PRAGMA integrity_check, every command is either wholly
# done or not at all, and the audit log matches the state row for row.
#
# STEG_CRASH_ROUNDS sets the number of kills (default 240).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

ROUNDS=${STEG_CRASH_ROUNDS:-240}

# Ten versions of the base program, and thirty care units.
make_versions() {
	[ -f "$BUNDLES/v/1.0.9.steg" ] && return 0
	mkdir -p "$BUNDLES/v" &&
	for i in 0 1 2 3 4 5 6 7 8 9; do
		rm -rf "$BUNDLES/v/src" && cp -R "$SRC/tests/golden/base" "$BUNDLES/v/src" &&
		sed "s/^version: 1.0.0$/version: 2.0.$i/" "$SRC/tests/golden/base/program.yaml" \
			> "$BUNDLES/v/src/program.yaml" &&
		"$STEGC" build -q "$BUNDLES/v/src" -o "$BUNDLES/v/1.0.$i.steg" || return 1
	done
}
make_versions || { echo "Bail out! cannot build the versions"; exit 1; }

test_expect_success "SIGKILL at random moments, $ROUNDS times, loses nothing" '
	setup_registry &&
	i=3; while [ $i -le 8 ]; do
		"$STEG" unit add SE2321000016-U$(printf %03d $i) --name "Enhet $i" --as $ADMIN > /dev/null || exit 1
		i=$((i + 1))
	done &&
	python3 - "$STEG" "$BUNDLES/v" "$ROUNDS" $PUB $ADMIN > crash.log <<-"PY" &&
	import os, random, signal, subprocess, sys, time
	steg, vdir, rounds, pub, admin = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
	rng = random.Random(20261123)
	units = ["SE2321000016-U%03d" % i for i in range(1, 9)]
	def cmd():
	    n = rng.randrange(10)
	    ref = "se.test.bas@2.0.%d" % n
	    k = rng.random()
	    if k < 0.3:
	        return [steg, "import", os.path.join(vdir, "1.0.%d.steg" % n), "--as", pub, "--allow-unsigned"]
	    if k < 0.42:
	        return [steg, "approve", ref, "--as", pub]
	    if k < 0.5:
	        return [steg, "publish", ref, "--all-units", "--as", pub]
	    if k < 0.7:
	        return [steg, "publish", ref, "--unit", rng.choice(units), "--as", pub]
	    if k < 0.94:
	        return [steg, "activate", ref, "--unit", rng.choice(units), "--as", admin]
	    return [steg, "unpublish", ref, "--unit", rng.choice(units), "--as", pub]
	# Half the versions in place first, so that publish and activate
	# have something to work on from the start.
	for n in range(5):
	    ref = "se.test.bas@2.0.%d" % n
	    for c in (["import", os.path.join(vdir, "1.0.%d.steg" % n), "--as", pub, "--allow-unsigned"],
	              ["approve", ref, "--as", pub], ["publish", ref, "--all-units", "--as", pub]):
	        subprocess.run([steg] + c, stdout=subprocess.DEVNULL, check=True)
	# How long does a command take here (sanitizer builds are slower)?
	t0 = time.monotonic()
	subprocess.run([steg, "unit", "list"], stdout=subprocess.DEVNULL)
	span = max(0.02, 3 * (time.monotonic() - t0))
	killed = finished = 0
	for r in range(rounds):
	    p = subprocess.Popen(cmd(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
	    time.sleep(rng.randrange(int(span * 1e6)) / 1e6)
	    if p.poll() is None:
	        p.send_signal(signal.SIGKILL)
	        killed += 1
	        span *= 1.05      # keep about half of them killed, half not:
	    else:                 # the delays then cover the whole run
	        finished += 1
	        span *= 0.95
	    p.wait()
	    # Now and then a command that runs to its end, so that the state grows.
	    if r % 4 == 0:
	        subprocess.run(cmd(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
	print("killed %d, finished %d, span %.1f ms" % (killed, finished, span * 1000))
	if killed < rounds // 4:
	    sys.exit("too few commands were killed mid-way (%d of %d)" % (killed, rounds))
	PY
	cp crash.log "$TRASH_ROOT/stats" &&
	sqlite3 steg.db "SELECT action, outcome, count(*) FROM audit GROUP BY 1, 2" >> "$TRASH_ROOT/stats" &&
	test "$(sqlite3 steg.db "PRAGMA integrity_check")" = ok &&
	test -z "$(sqlite3 steg.db "PRAGMA foreign_key_check")" &&
	"$STEG" audit --check &&
	python3 - <<-"PY"
	import hashlib, sqlite3, sys
	db = sqlite3.connect("steg.db")
	q = lambda sql: db.execute(sql).fetchall()
	bad = []
	# import: a version, its blob and one ok row, or none of them
	versions = {("%s@%s" % (p, v)): (sha, size) for p, v, sha, size in
	            q("SELECT program, version, bundle_sha256, size FROM versions")}
	imports = [o for (o,) in q("SELECT object FROM audit WHERE action = \"import\" AND outcome = \"ok\"")]
	if sorted(imports) != sorted(versions):
	    bad.append("imports: audit %s, versions %s" % (sorted(imports), sorted(versions)))
	for sha, size, data in q("SELECT sha256, size, data FROM blobs"):
	    if hashlib.sha256(data).hexdigest() != sha or len(data) != size:
	        bad.append("blob %s does not match its bytes" % sha)
	blobs = {sha for (sha,) in q("SELECT sha256 FROM blobs")}
	if blobs != {sha for sha, _ in versions.values()}:
	    bad.append("blobs without versions or versions without blobs")
	# approve: approved versions and ok rows agree
	approved = sorted("%s@%s" % r for r in q("SELECT program, version FROM versions WHERE approved_by IS NOT NULL"))
	approvals = sorted(o for (o,) in q("SELECT object FROM audit WHERE action = \"approve\" AND outcome = \"ok\""))
	if approved != approvals:
	    bad.append("approvals: audit %s, versions %s" % (approvals, approved))
	# publish, unpublish: one ok row per publication and per withdrawal
	def pairs(sql):
	    return sorted(("%s@%s" % (p, v), u) for p, v, u in q(sql))
	def rows(action, extra=""):
	    return sorted(q("SELECT object, unit FROM audit WHERE action = \"%s\" AND outcome = \"ok\"%s" % (action, extra)))
	if pairs("SELECT program, version, unit FROM publications") != rows("publish"):
	    bad.append("publications and ok publish rows differ")
	if pairs("SELECT program, version, unit FROM publications WHERE withdrawn_at IS NOT NULL") != rows("unpublish"):
	    bad.append("withdrawals and ok unpublish rows differ")
	# activate: one ok row per activation; an ended activation was replaced
	if pairs("SELECT program, version, unit FROM activations") != rows("activate"):
	    bad.append("activations and ok activate rows differ")
	ended = q("SELECT count(*) FROM activations WHERE active = 0")[0][0]
	replaced = len(rows("activate", " AND detail LIKE \"replaces %\""))
	if ended != replaced:
	    bad.append("%d ended activations, %d replacing activate rows" % (ended, replaced))
	for (n_active,) in q("SELECT count(*) FROM activations WHERE active = 1 GROUP BY program, unit"):
	    if n_active != 1:
	        bad.append("a unit runs two versions of one program")
	live = q("SELECT count(*) FROM activations a WHERE a.active = 1 AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.program = a.program AND p.version = a.version AND p.unit = a.unit AND p.withdrawn_at IS NULL)")[0][0]
	if live:
	    bad.append("%d active versions are not published where they run" % live)
	n = q("SELECT count(*) FROM publications")[0][0]
	with open("../stats", "a") as f:
	    print("versions %d, approved %d, publications %d, activations %d, audit rows %d" %
	          (len(versions), len(approved), n, q("SELECT count(*) FROM activations")[0][0],
	           q("SELECT count(*) FROM audit")[0][0]), file=f)
	if n == 0 or not versions:
	    bad.append("the loop changed nothing: the test proves nothing")
	if bad:
	    sys.exit("\n".join(bad))
	PY
'

[ -f "$TRASH_ROOT/stats" ] && sed 's/^/# /' "$TRASH_ROOT/stats"

test_expect_success 'the registry works on after the crashes' '
	cd "$TRASH_ROOT/1" &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	"$STEG" approve $V1 --as $PUB > /dev/null &&
	"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
	"$STEG" audit --check
'

test_done
