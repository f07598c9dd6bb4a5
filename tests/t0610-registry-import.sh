#!/bin/sh
# t0610 — steg import: every check of stegc verify, the program checked
# again, signatures against the trusted keys, content addressing, and a
# version that never changes.  A refused import changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

# Rewrite a zip entry with Python's zipfile (keeping the others), for
# bundles whose hashes no longer match.
zip_replace() {
	python3 - "$@" <<'PY'
import sys, zipfile
src, dst, name, old, new = sys.argv[1:6]
zin = zipfile.ZipFile(src)
zout = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)
for info in zin.infolist():
    data = zin.read(info.filename)
    if info.filename == name:
        data = data.replace(old.encode(), new.encode())
    zout.writestr(info, data)
zout.close()
PY
}

test_expect_success 'an unsigned bundle is refused without --allow-unsigned' '
	setup_registry &&
	refused 1 "bundle '"'"'$BUNDLES/base.steg'"'"' is not signed; import signed bundles, or pass --allow-unsigned to accept this one (it is recorded in the audit log)" \
		"$STEG" import "$BUNDLES/base.steg" --as $PUB &&
	test "$(sqlite3 steg.db "SELECT object FROM audit ORDER BY seq DESC LIMIT 1")" = $V1
'

test_expect_success 'import --allow-unsigned stores the bytes and the metadata' '
	setup_registry &&
	sha=$(sha256sum "$BUNDLES/base.steg" | cut -d" " -f1) &&
	size=$(wc -c < "$BUNDLES/base.steg") &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > out &&
	echo "imported $V1 (Basprogram), $size bytes, sha256 $sha, unsigned" > want &&
	test_cmp want out &&
	sqlite3 steg.db "SELECT writefile('"'"'back.steg'"'"', data) FROM blobs WHERE sha256 = '"'"'$sha'"'"'" > /dev/null &&
	cmp back.steg "$BUNDLES/base.steg" &&
	test "$(sqlite3 steg.db "SELECT program, version, title, producer_id, bundle_sha256, size, modules, forms, signed_by IS NULL, imported_by, approved_by IS NULL FROM versions")" = \
		"se.test.bas|1.0.0|Basprogram|$REGION|$sha|$size|2|1|1|$PUB|1" &&
	last_audit > got &&
	echo "ok|import|$V1|$REGION|sha256 $sha, $size bytes, unsigned, accepted with --allow-unsigned" > want &&
	test_cmp want got
'

test_expect_success 'the same bytes again are a no-op' '
	setup_registry &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	state > before && n=$(audit_rows) &&
	"$STEG" import "$BUNDLES/base.steg" --as $ADMIN --allow-unsigned > out &&
	echo "$V1 is already imported with these bytes; nothing changed" > want &&
	test_cmp want out &&
	state > after && test_cmp before after && test "$(audit_rows)" = $n
'

test_expect_success 'other bytes under an imported version are refused' '
	setup_registry &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	rm -rf src && cp -R "$SRC/tests/golden/base" src &&
	sed "s/^title: Basprogram$/title: Ett annat program/" "$SRC/tests/golden/base/program.yaml" > src/program.yaml &&
	"$STEGC" build -q src -o changed.steg &&
	old=$(sha256sum "$BUNDLES/base.steg" | cut -d" " -f1) &&
	new=$(sha256sum changed.steg | cut -d" " -f1) &&
	when=$(sqlite3 steg.db "SELECT imported_at FROM versions") &&
	refused 1 "$V1 was already imported with other content (sha256 $old, producer '"'"'$REGION'"'"', imported unsigned (with --allow-unsigned) by $PUB at $when; this bundle $new); a version never changes: build the new content with a new version" \
		"$STEG" import changed.steg --as $PUB --allow-unsigned
'

test_expect_success 'a signed bundle verifies against the trusted region key' '
	setup_registry &&
	"$STEG" import "$BUNDLES/base-signed.steg" --as $PUB > out &&
	grep "^imported $V1 (Basprogram), .* signed by $REGION$" out &&
	test "$(sqlite3 steg.db "SELECT signed_by FROM versions")" = $REGION &&
	"$STEG" show $V1 | grep "^  signed       key [0-9A-F]\{16\} of '"'"'$REGION'"'"'$" &&
	last_audit | grep "^ok|import|$V1|$REGION|sha256 .*, signed by key [0-9A-F]\{16\} of '"'"'$REGION'"'"'$"
'

test_expect_success 'a bundle signed by an untrusted key is refused, --allow-unsigned or not' '
	setup_registry &&
	state > before && n=$(audit_rows) &&
	run out "$STEG" import "$BUNDLES/base-other.steg" --as $PUB &&
	test $rc = 1 && grep "^steg: error: .*not trusted here.*; nothing was imported$" out &&
	run out "$STEG" import "$BUNDLES/base-other.steg" --as $PUB --allow-unsigned &&
	test $rc = 1 && grep "^steg: error: .*not trusted here.*; nothing was imported$" out &&
	state > after && test_cmp before after &&
	test "$(audit_rows)" = $((n + 2)) &&
	test "$(sqlite3 steg.db "SELECT DISTINCT outcome FROM audit WHERE seq > $n")" = refused
'

test_expect_success 'a damaged bundle is refused with its findings and the registry unchanged' '
	setup_registry &&
	python3 -c "
d = bytearray(open(\"$BUNDLES/base.steg\", \"rb\").read()); d[600] ^= 0xff
open(\"flipped.steg\", \"wb\").write(d)" &&
	head -c 1000 "$BUNDLES/base.steg" > short.steg &&
	: > empty.steg &&
	refused 1 "bundle '"'"'flipped.steg'"'"' is damaged or unsafe (the findings above say how); get it again from its publisher; nothing was imported" \
		"$STEG" import flipped.steg --as $PUB --allow-unsigned &&
	grep "\[bundle-" refused.err &&
	refused 1 "bundle '"'"'short.steg'"'"' is damaged or unsafe (the findings above say how); get it again from its publisher; nothing was imported" \
		"$STEG" import short.steg --as $PUB --allow-unsigned &&
	grep "not a zip file" refused.err &&
	refused 1 "bundle '"'"'empty.steg'"'"' is damaged or unsafe (the findings above say how); get it again from its publisher; nothing was imported" \
		"$STEG" import empty.steg --as $PUB --allow-unsigned &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM blobs")" = 0
'

test_expect_success 'a hostile bundle (entry outside the manifest, path escape) is refused' '
	setup_registry &&
	python3 - "$BUNDLES/base.steg" <<-PY &&
	import sys, zipfile
	for out, extra in (("extra.steg", "pages/evil.xhtml"), ("escape.steg", "../../evil")):
	    # opened anew for each copy: writestr(info) rewrites the
	    # offset in info to the one in the copy, and a second read would miss
	    zin = zipfile.ZipFile(sys.argv[1])
	    z = zipfile.ZipFile(out, "w")
	    for i in zin.infolist():
	        z.writestr(i, zin.read(i.filename))
	    z.writestr(extra, "x")
	    z.close()
	PY
	refused 1 "bundle '"'"'extra.steg'"'"' is damaged or unsafe (the findings above say how); get it again from its publisher; nothing was imported" \
		"$STEG" import extra.steg --as $PUB --allow-unsigned &&
	refused 1 "bundle '"'"'escape.steg'"'"' is damaged or unsafe (the findings above say how); get it again from its publisher; nothing was imported" \
		"$STEG" import escape.steg --as $PUB --allow-unsigned
'

test_expect_success 'a program whose expressions do not check is refused even when every hash holds' '
	setup_registry &&
	unzip -p "$BUNDLES/base.steg" program.xml | sed "s/q1 &gt;= 2/q1 &gt;= \&quot;x\&quot; and nosuch/" > bad.xml &&
	! cmp -s bad.xml program.xml &&
	python3 - "$BUNDLES/base.steg" bad.xml <<-PY &&
	import sys, zipfile, hashlib, re
	zin = zipfile.ZipFile(sys.argv[1]); bad = open(sys.argv[2], "rb").read()
	man = zin.read("manifest.xml").decode()
	old = zin.read("program.xml")
	man = man.replace(hashlib.sha256(old).hexdigest(), hashlib.sha256(bad).hexdigest())
	man = re.sub(r"(path=\"program.xml\"[^>]*size=\")[0-9]+", lambda m: m.group(1) + str(len(bad)), man)
	man = re.sub(r"(size=\")[0-9]+(\"[^>]*path=\"program.xml\")", lambda m: m.group(1) + str(len(bad)) + m.group(2), man)
	z = zipfile.ZipFile("badexpr.steg", "w")
	for i in zin.infolist():
	    data = zin.read(i.filename)
	    if i.filename == "program.xml": data = bad
	    if i.filename == "manifest.xml": data = man.encode()
	    z.writestr(i, data)
	z.close()
	PY
	refused 1 "bundle '"'"'badexpr.steg'"'"' has a program that does not check (the findings above say where); its publisher fixes the sources and builds a new version; nothing was imported" \
		"$STEG" import badexpr.steg --as $PUB --allow-unsigned
'

test_expect_success 'import takes an active admin or publisher' '
	setup_registry &&
	refused 1 "user '"'"'$CLIN1'"'"' is a clinician; this takes an admin or a publisher" \
		"$STEG" import "$BUNDLES/base.steg" --as $CLIN1 --allow-unsigned &&
	refused 1 "user '"'"'$GONE'"'"' is deactivated and can do nothing" \
		"$STEG" import "$BUNDLES/base.steg" --as $GONE --allow-unsigned &&
	refused 2 "'"'"'import'"'"' needs BUNDLE and --as" \
		"$STEG" import "$BUNDLES/base.steg" --allow-unsigned
'

test_expect_success 'a bundle that cannot be read is an I/O error' '
	setup_registry &&
	run out "$STEG" import nosuch.steg --as $PUB --allow-unsigned &&
	test $rc = 3 &&
	grep "^steg: error: cannot read the bundle '"'"'nosuch.steg'"'"': " out &&
	last_audit | grep "^error|import|nosuch.steg|"
'

test_expect_success 'two versions of one program live side by side' '
	setup_registry &&
	"$STEG" import "$BUNDLES/base2.steg" --as $PUB --allow-unsigned > /dev/null &&
	"$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned > /dev/null &&
	"$STEG" list > out &&
	printf "%s\timported\tpublished 0\tactive 0\tBasprogram\n" $V1 $V2 > want &&
	test_cmp want out &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM programs")" = 1 &&
	test "$(sqlite3 steg.db "SELECT count(*) FROM blobs")" = 2
'

test_done
