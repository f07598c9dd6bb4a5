#!/bin/sh
# t0310-bundle-hostile: `stegc verify` refuses every kind of damaged or
# hostile bundle with exit 1 and a message naming the entry, in bounded
# time and memory (docs/bundle-format.md, "What verify checks").
. "$(dirname "$0")/lib.sh"
BASE=$SRC/tests/golden/base
CRAFT="python3 $SRC/tests/tools/bundlecraft.py"

# One valid bundle for every test to damage.
"$STEGC" build -q -o "$TRASH_ROOT/good.steg" "$BASE" || echo "Bail out! cannot build the base bundle"
GOOD=$TRASH_ROOT/good.steg

# refused_xml ENTRY 'MESSAGE [CODE]' OP ARGS...: the same for findings of
# the XML layer (core/xmlsafe.c), whose excerpt lines are its own: only the
# first line is compared, with or without a column.
refused_xml() {
	entry=$1; expected=$2; shift 2
	$CRAFT "$GOOD" x.steg "$@" 2>/dev/null
	run actual timeout 30 "$STEGC" verify x.steg
	test "$rc" = 1 &&
	head -n 1 actual | sed -E "s/^(x.steg:$entry:[0-9]+):[0-9]+:/\1:/" > first &&
	echo "x.steg:$entry:2: error: $expected" > expect &&
	test_cmp expect first &&
	tail -n 1 actual | grep -q "^1 error generated$"
}

# refuse 'EXPECTED LINE' OP ARGS...: craft x.steg from the good bundle
# with bundlecraft.py OP ARGS, verify it, and expect exactly that finding
# and exit 1.
refuse() {
	expected=$1; shift
	$CRAFT "$GOOD" x.steg "$@" 2>/dev/null
	run actual timeout 30 "$STEGC" verify x.steg
	printf "%s\n1 error generated\n" "$expected" > expect
	test_cmp expect actual && test "$rc" = 1
}

test_expect_success 'the valid bundle verifies' '
	run actual "$STEGC" verify "$GOOD" && test "$rc" = 0 &&
	echo "$GOOD: ok (7 entries, unsigned)" > expect && test_cmp expect actual
'

test_expect_success 'zip bomb: declared 100 bytes, inflates to 50 MB' '
	refuse "x.steg: error: entry '\''pages/bomb.xhtml'\'' inflates to more than its declared 100 bytes [bundle-size-mismatch]" \
		bomb pages/bomb.xhtml 50000000
'

test_expect_success 'zip bomb: refused in bounded memory and time' '
	$CRAFT "$GOOD" x.steg bomb pages/bomb.xhtml 50000000 &&
	python3 -c "
import resource, subprocess, sys, time
t = time.time()
r = subprocess.run(sys.argv[1:], capture_output=True)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
dt = time.time() - t
print(r.returncode, rss, dt)
sys.exit(0 if r.returncode == 1 and rss < 300000 and dt < 10 else 1)
" "$STEGC" verify x.steg
'

test_expect_success 'zip bomb: an honest declaration beyond the ratio cap' '
	refuse "x.steg: error: entry '\''pages/bomb.xhtml'\'' would inflate 1028 times, more than the limit of 200 [bundle-limit]" \
		honest-bomb pages/bomb.xhtml 50000000
'

test_expect_success 'entry with ../ in its name' '
	refuse "x.steg: error: entry '\''../evil.sh'\'' has a name that is not a safe relative path (letters, digits, '\''.'\'', '\''_'\'', '\''-'\'' and '\''/'\'' only; no '\''..'\'', no leading '\''/'\'') [bundle-unsafe-name]" \
		add ../evil.sh "echo owned"
'

test_expect_success 'entry with an absolute name' '
	refuse "x.steg: error: entry '\''/etc/cron.d/x'\'' has a name that is not a safe relative path (letters, digits, '\''.'\'', '\''_'\'', '\''-'\'' and '\''/'\'' only; no '\''..'\'', no leading '\''/'\'') [bundle-unsafe-name]" \
		add /etc/cron.d/x "* * * * * root true"
'

test_expect_success 'entry names with a backslash, an empty segment or a folder' '
	for n in "media\\x.png" "pages//x" "media/" "media/./x" "media/a b"; do
		$CRAFT "$GOOD" x.steg add "$n" hi &&
		run actual "$STEGC" verify x.steg && test "$rc" = 1 &&
		grep -q "\[bundle-unsafe-name\]" actual || return 1
	done
'

test_expect_success 'duplicate names' '
	refuse "x.steg: error: entry '\''program.xml'\'' appears more than once [bundle-duplicate-entry]" \
		dup program.xml
'

test_expect_success 'symlink entry' '
	refuse "x.steg: error: entry '\''media/link.png'\'' is a symbolic link, not a regular file [bundle-not-regular]" \
		symlink media/link.png /etc/passwd
'

test_expect_success 'entry not in the manifest' '
	refuse "x.steg: error: entry '\''media/extra.png'\'' is in the bundle but not in the manifest [bundle-unlisted-entry]" \
		add media/extra.png hello
'

test_expect_success 'entry in the manifest but missing' '
	refuse "x.steg: error: entry '\''pages/intro/02.xhtml'\'' is in the manifest but not in the bundle [bundle-missing-entry]" \
		drop pages/intro/02.xhtml
'

test_expect_success 'no manifest.xml' '
	refuse "x.steg: error: the bundle has no entry '\''manifest.xml'\'' [bundle-no-manifest]" \
		drop manifest.xml
'

test_expect_success 'hash mismatch' '
	$CRAFT "$GOOD" x.steg flip pages/intro/01.xhtml &&
	run actual "$STEGC" verify x.steg && test "$rc" = 1 &&
	grep -q "^x.steg: error: entry '\''pages/intro/01.xhtml'\'' has SHA-256 [0-9a-f]\{12\}\.\.\., the manifest says [0-9a-f]\{12\}\.\.\. \[bundle-hash-mismatch\]$" actual
'

test_expect_success 'size mismatch: the entry changed' '
	$CRAFT "$GOOD" x.steg grow pages/intro/01.xhtml &&
	run actual "$STEGC" verify x.steg && test "$rc" = 1 &&
	grep -q "^x.steg: error: entry '\''pages/intro/01.xhtml'\'' has [0-9]* bytes, the manifest says [0-9]* \[bundle-size-mismatch\]$" actual
'

test_expect_success 'size mismatch: the manifest changed' '
	refuse "x.steg: error: entry '\''media/te.png'\'' has 73 bytes, the manifest says 74 [bundle-size-mismatch]" \
		manifest-size media/te.png 74
'

test_expect_success 'damaged data (CRC)' '
	refuse "x.steg: error: entry '\''pages/intro/01.xhtml'\'' is damaged: CRC error [bundle-corrupt]" \
		crc pages/intro/01.xhtml
'

# The good bundle itself, cut: bundlecraft.py rewrites a bundle with
# Python's zipfile before it cuts, at Python's own deflate level, so its
# output is no longer the size of the original (with stegc 0.2.0's level 1
# it came out 73 bytes shorter, so "30 bytes short of the original" cut
# nothing, and verify rightly said ok).
test_expect_success 'truncated file' '
	size=$(wc -c < "$GOOD") &&
	head -c $((size - 30)) "$GOOD" > x.steg &&
	test $(wc -c < x.steg) = $((size - 30)) &&
	run actual timeout 30 "$STEGC" verify x.steg &&
	printf "%s\n1 error generated\n" "x.steg: error: not a zip file, or a truncated one (no end of central directory) [bundle-not-zip]" > expect &&
	test_cmp expect actual && test "$rc" = 1
'

test_expect_success 'not a zip file' '
	echo "PK but not really" > x.steg &&
	run actual "$STEGC" verify x.steg && test "$rc" = 1 &&
	printf "%s\n1 error generated\n" "x.steg: error: not a zip file, or a truncated one (no end of central directory) [bundle-not-zip]" > expect &&
	test_cmp expect actual
'

test_expect_success 'empty file' '
	: > x.steg &&
	run actual "$STEGC" verify x.steg && test "$rc" = 1 &&
	printf "%s\n1 error generated\n" "x.steg: error: the file is empty, not a bundle [bundle-not-zip]" > expect &&
	test_cmp expect actual
'

test_expect_success 'a missing file or a folder is an I/O error (exit 3)' '
	run actual "$STEGC" verify nothing.steg && test "$rc" = 3 &&
	grep -q "^nothing.steg: error: cannot open: .* \[bundle-io\]$" actual &&
	mkdir dir.steg && run actual "$STEGC" verify dir.steg && test "$rc" = 3
'

test_expect_success 'bzip2-compressed entry' '
	refuse "x.steg: error: entry '\''program.xml'\'' uses compression method 12; only stored (0) and deflated (8) entries are allowed [bundle-compression]" \
		method program.xml bzip2
'

test_expect_success 'lzma-compressed entry' '
	refuse "x.steg: error: entry '\''pages/intro/01.xhtml'\'' uses compression method 14; only stored (0) and deflated (8) entries are allowed [bundle-compression]" \
		method pages/intro/01.xhtml lzma
'

test_expect_success 'encrypted entry' '
	refuse "x.steg: error: entry '\''pages/intro/01.xhtml'\'' is encrypted [bundle-encrypted]" \
		encrypt pages/intro/01.xhtml
'

test_expect_success 'manifest with DOCTYPE and an external entity (XXE)' '
	unzip -p "$GOOD" manifest.xml | sed "1a <!DOCTYPE manifest [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" |
		sed "s/<title>/<title>\\&x;/" > m.xml &&
	refused_xml manifest.xml "document has a DOCTYPE; a bundle never needs one, and DTDs and entities are refused [xml-doctype]" \
		manifest m.xml &&
	! grep -q root: actual
'

test_expect_success 'manifest as a billion-laughs document' '
	{
		echo "<?xml version=\"1.0\"?>"
		echo "<!DOCTYPE lolz ["
		echo " <!ENTITY lol \"lol\">"
		prev="&lol;"
		for i in 1 2 3 4 5 6 7 8 9; do
			echo " <!ENTITY lol$i \"$prev$prev$prev$prev$prev$prev$prev$prev$prev$prev\">"
			prev="&lol$i;"
		done
		echo "]>"
		echo "<manifest xmlns=\"urn:steg:manifest:1\">&lol9;</manifest>"
	} > lol.xml &&
	refused_xml manifest.xml "document has a DOCTYPE; a bundle never needs one, and DTDs and entities are refused [xml-doctype]" \
		manifest lol.xml
'

test_expect_success 'program.xml with DOCTYPE, even with matching hashes' '
	unzip -p "$GOOD" program.xml | sed "1a <!DOCTYPE program [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" > p.xml &&
	refused_xml program.xml "document has a DOCTYPE; a bundle never needs one, and DTDs and entities are refused [xml-doctype]" \
		put program.xml p.xml
'

test_expect_success 'manifest that does not validate' '
	unzip -p "$GOOD" manifest.xml | sed "s/format=\"1\"/format=\"2\"/" > m.xml &&
	$CRAFT "$GOOD" x.steg manifest m.xml &&
	run actual "$STEGC" verify x.steg && test "$rc" = 1 &&
	grep -q "^x.steg:manifest.xml:2\(:[0-9]*\)\?: error: .*format.* \[xml-schema\]$" actual
'

test_expect_success 'manifest and program.xml disagree about the version' '
	refuse "x.steg: error: program.xml is '\''se.test.bas'\'' 1.0.0 by '\''SE2321000016-0001'\'', but the manifest says '\''se.test.bas'\'' 1.0.1 by '\''SE2321000016-0001'\'' [bundle-identity-mismatch]" \
		msub "version=\"1.0.0\"" "version=\"1.0.1\""
'

test_expect_success 'too many entries' '
	refuse "x.steg: error: the bundle has 20008 entries, more than the limit of 20000 [bundle-limit]" \
		many 20001
'

test_expect_success 'verify --format json gives the findings to machines, stdout stays JSON' '
	$CRAFT "$GOOD" x.steg symlink media/link.png /etc/passwd &&
	run out "$STEGC" verify --format json x.steg && test "$rc" = 1 &&
	python3 -c "
import json, sys
j = json.load(open(\"out\"))
d = j[\"diagnostics\"]
assert [x[\"code\"] for x in d] == [\"bundle-not-regular\"], d
" &&
	"$STEGC" verify --format json "$GOOD" > out 2> err &&
	python3 -c "import json; json.load(open(\"out\"))" &&
	grep -q ": ok (7 entries, unsigned)" err
'

test_expect_success 'inspect refuses what verify refuses' '
	$CRAFT "$GOOD" x.steg add ../evil.sh "echo owned" &&
	run actual "$STEGC" inspect x.steg && test "$rc" = 1 &&
	grep -q "\[bundle-unsafe-name\]" actual
'

test_done
