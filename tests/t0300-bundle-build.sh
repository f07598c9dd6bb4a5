#!/bin/sh
# t0300-bundle-build: `stegc build` writes a bundle that any unzip opens,
# with a fixed layout, valid manifest.xml and program.xml, and the same
# bytes every time (docs/bundle-format.md).
. "$(dirname "$0")/lib.sh"
BASE=$SRC/tests/golden/base

# Sizes change when the compiler's output changes; mask them.
mask() { sed -E 's/, [0-9]+ bytes/, N bytes/'; }

test_expect_success 'build writes ID-VERSION.steg and says what it wrote' '
	cp -R "$BASE" prog &&
	"$STEGC" build prog > out 2>&1 &&
	mask < out > actual &&
	echo "wrote se.test.bas-1.0.0.steg: 2 modules, 4 pages, 1 forms, N bytes" > expect &&
	test_cmp expect actual &&
	test -f se.test.bas-1.0.0.steg
'

test_expect_success '-q prints nothing; -o names the file' '
	cp -R "$BASE" prog &&
	"$STEGC" build -q -o x.steg prog > out 2>&1 &&
	test ! -s out && test -f x.steg && ! test -e se.test.bas-1.0.0.steg
'

test_expect_success 'unzip -t passes and the entries are in the fixed order' '
	"$STEGC" build -q -o x.steg "$BASE" &&
	unzip -t x.steg > out && grep -q "No errors detected" out &&
	zipinfo -1 x.steg > actual &&
	cat > expect <<-EOF &&
	manifest.xml
	program.xml
	pages/intro/01.xhtml
	pages/intro/02.xhtml
	pages/vardag/01.xhtml
	pages/vardag/02.xhtml
	media/te.png
	EOF
	test_cmp expect actual
'

# defF: deflated at level 1, the default since stegc 0.2.0 (the entry's
# general-purpose flags say "fast", as zip tools write them).
test_expect_success 'text is deflated, media stored, every entry 0644 at SOURCE_DATE_EPOCH, no extra fields' '
	"$STEGC" build -q -o x.steg "$BASE" &&
	zipinfo x.steg | sed -n "3,\$p" | grep -v "files," | awk "{print \$1, \$3, \$5, \$6, \$7, \$8, \$9}" > actual &&
	cat > expect <<-EOF &&
	-rw-r--r-- unx b- defF 23-Nov-14 22:13 manifest.xml
	-rw-r--r-- unx b- defF 23-Nov-14 22:13 program.xml
	-rw-r--r-- unx b- defF 23-Nov-14 22:13 pages/intro/01.xhtml
	-rw-r--r-- unx b- defF 23-Nov-14 22:13 pages/intro/02.xhtml
	-rw-r--r-- unx b- defF 23-Nov-14 22:13 pages/vardag/01.xhtml
	-rw-r--r-- unx b- defF 23-Nov-14 22:13 pages/vardag/02.xhtml
	-rw-r--r-- unx b- stor 23-Nov-14 22:13 media/te.png
	EOF
	test_cmp expect actual &&
	unzip -z x.steg > out && ! grep -v "^Archive:" out
'

test_expect_success 'manifest.xml and program.xml validate against the schemas' '
	"$STEGC" build -q -o x.steg "$BASE" &&
	unzip -q x.steg manifest.xml program.xml &&
	xmllint --noout --nonet --schema "$SRC/schemas/manifest.xsd" manifest.xml &&
	xmllint --noout --nonet --schema "$SRC/schemas/program.xsd" program.xml
'

test_expect_success 'the manifest names the program and the build, and lists every other entry with its size and SHA-256' '
	"$STEGC" build -q -o x.steg "$BASE" &&
	mkdir x && (cd x && unzip -q ../x.steg) &&
	sed -n "1,8p" x/manifest.xml > actual &&
	cat > expect <<-EOF &&
	<?xml version="1.0" encoding="UTF-8"?>
	<manifest xmlns="urn:steg:manifest:1" format="1">
	  <program id="se.test.bas" version="1.0.0" kind="treatment" language="sv">
	    <title>Basprogram</title>
	    <producer id="SE2321000016-0001">Region Test</producer>
	  </program>
	  <build compiler="stegc 0.2.0" source-format="1" time="2023-11-14T22:13:20Z"/>
	  <entries>
	EOF
	test_cmp expect actual &&
	grep "<entry " x/manifest.xml | sed -E "s/.*path=\"([^\"]*)\" size=\"([0-9]+)\" sha256=\"([0-9a-f]+)\".*/\\1 \\2 \\3/" > actual &&
	(cd x && for f in $(zipinfo -1 ../x.steg | grep -v "^manifest.xml"); do
		echo "$f $(wc -c < $f | tr -d " ") $(sha256sum $f | cut -d" " -f1)"; done) > expect &&
	test_cmp expect actual
'

test_expect_success 'building twice gives the same bytes' '
	"$STEGC" build -q -o a.steg "$BASE" &&
	"$STEGC" build -q -o b.steg "$BASE" &&
	cmp a.steg b.steg
'

test_expect_success 'a copy with other file times and modes, another TZ and another folder gives the same bytes' '
	"$STEGC" build -q -o a.steg "$BASE" &&
	mkdir -p elsewhere/deeper && cp -R "$BASE" elsewhere/deeper/copy &&
	find elsewhere -exec touch -d "2031-05-06 07:08:09" {} + &&
	chmod 0755 elsewhere/deeper/copy/media/te.png &&
	chmod 0600 elsewhere/deeper/copy/modules/01-intro.md &&
	TZ=Asia/Tokyo "$STEGC" build -q -o b.steg elsewhere/deeper/copy &&
	TZ=America/New_York "$STEGC" build -q -o c.steg elsewhere/deeper/copy &&
	cmp a.steg b.steg && cmp a.steg c.steg
'

test_expect_success 'the folder named as DIR, DIR/, an absolute path or . gives the same bytes' '
	cp -R "$BASE" base &&
	"$STEGC" build -q -o a.steg base &&
	"$STEGC" build -q -o b.steg base/ &&
	"$STEGC" build -q -o c.steg "$PWD/base" &&
	(cd base && "$STEGC" build -q -o ../d.steg .) &&
	cmp a.steg b.steg && cmp a.steg c.steg && cmp a.steg d.steg
'

test_expect_success 'another SOURCE_DATE_EPOCH gives another bundle; none means 1980-01-01' '
	"$STEGC" build -q -o a.steg "$BASE" &&
	SOURCE_DATE_EPOCH=1800000000 "$STEGC" build -q -o b.steg "$BASE" &&
	! cmp -s a.steg b.steg &&
	unzip -p b.steg manifest.xml | grep -q "time=\"2027-01-15T08:00:00Z\"" &&
	(unset SOURCE_DATE_EPOCH; "$STEGC" build -q -o c.steg "$BASE") &&
	unzip -p c.steg manifest.xml | grep -q "time=\"1980-01-01T00:00:00Z\"" &&
	zipinfo c.steg | grep -q "80-Jan-01 00:00 manifest.xml"
'

test_expect_success 'a build with errors writes nothing and exits 1' '
	cp -R "$BASE" prog &&
	sed -i "s/^version: 1.0.0/version: one/" prog/program.yaml &&
	run out "$STEGC" build prog && test "$rc" = 1 &&
	grep -q "error" out &&
	ls > actual && printf "actual\nout\nprog\n" > expect && test_cmp expect actual
'

test_expect_success 'a failed build leaves an existing bundle untouched' '
	"$STEGC" build -q -o x.steg "$BASE" && cp x.steg keep.steg &&
	cp -R "$BASE" prog && sed -i "s/^version: 1.0.0/version: 1.1.0/" prog/program.yaml &&
	rm prog/modules/02-vardag.md && echo "---" > prog/modules/02-vardag.md &&
	run out "$STEGC" build -o x.steg prog && test "$rc" = 1 &&
	cmp x.steg keep.steg &&
	ls > actual && printf "actual\nkeep.steg\nout\nprog\nx.steg\n" > expect &&
	test_cmp expect actual
'

test_expect_success 'an unwritable destination is an I/O error (exit 3) and leaves no file' '
	mkdir dest &&
	run out "$STEGC" build -o dest "$BASE" && test "$rc" = 3 &&
	grep -q "bundle-write" out &&
	test -d dest && test -z "$(ls dest)" &&
	run out "$STEGC" build -o missing/x.steg "$BASE" && test "$rc" = 3 &&
	! test -e missing
'

# A disk that fills while the zip is written (stegc writes it itself,
# core/zipw.c): the file-size limit makes a write fail part way, with
# SIGXFSZ ignored (as it stays across exec) so that write() says EFBIG.
test_expect_success 'a write that fails part way (full disk) is exit 3; the old bundle stays, no stray file' '
	echo old > x.steg &&
	(trap "" XFSZ; ulimit -f 8; "$STEGC" build -o x.steg "$EX/depression" > out 2>&1; echo $? > rc) &&
	test "$(cat rc)" = 3 &&
	echo "x.steg: error: cannot write the bundle: File too large [bundle-write]" > expect &&
	head -1 out > actual && test_cmp expect actual &&
	echo old > expect && test_cmp expect x.steg &&
	ls > actual && printf "actual\nexpect\nout\nrc\nx.steg\n" > expect &&
	test_cmp expect actual
'

# Since issue 14 the pages go into the file while the other pages are
# still being deflated (core/bundle_write.c, struct pool): with 400
# modules the first 1 MiB of the zip is written, and fails, while the
# threads still deflate, on whichever thread writes then.  The failure
# must still stop the build with the write's own error, and leave the old
# bundle and nothing else.
test_expect_success 'a write that fails while pages are still deflating: exit 3, old bundle stays, no stray file' '
	mkdir ahead &&
	python3 "$SRC/bench/gen.py" ahead/p400 400 > /dev/null &&
	printf "%s\n" "x.steg: error: cannot write the bundle: File too large [bundle-write]" \
		"1 error generated" > ahead-want &&
	for j in 1 2 3; do
		echo old > ahead/x.steg &&
		(cd ahead && trap "" XFSZ && ulimit -f 8 &&
		 STEG_JOBS=$j "$STEGC" build -o x.steg p400 > ../out 2>&1; echo $? > ../rc) &&
		test "$(cat rc)" = 3 &&
		test_cmp ahead-want out &&
		echo old > expect && test_cmp expect ahead/x.steg &&
		ls ahead > actual && printf "p400\nx.steg\n" > expect &&
		test_cmp expect actual || return 1
	done
'

test_expect_success '--previous: the same sources rebuild as the same version' '
	"$STEGC" build -q -o old.steg "$BASE" &&
	"$STEGC" build -q --previous old.steg -o new.steg "$BASE" &&
	cmp old.steg new.steg
'

test_expect_success '--previous: a change needs a version that steps far enough' '
	"$STEGC" build -q -o old.steg "$BASE" &&
	cp -R "$BASE" prog &&
	sed -i "s/Har du känt dig nere?/Har du känt dig nedstämd?/" prog/forms/mood.yaml &&
	run out "$STEGC" build -q --previous old.steg -o new.steg prog &&
	test "$rc" = 1 && ! test -e new.steg &&
	grep -q "version .1.0.0. is too small: .*needs a major version.*at least 2.0.0 \[version-too-small\]" out &&
	sed -i "s/^version: 1.0.0/version: 1.1.0/" prog/program.yaml &&
	run out "$STEGC" build -q --previous old.steg -o new.steg prog &&
	test "$rc" = 1 && ! test -e new.steg && grep -q "\[version-too-small\]" out &&
	sed -i "s/^version: 1.1.0/version: 2.0.0/" prog/program.yaml &&
	"$STEGC" build -q --previous old.steg -o new.steg prog && test -f new.steg
'

test_expect_success '--previous: a lower version is not newer' '
	cp -R "$BASE" prog && sed -i "s/^version: 1.0.0/version: 1.2.0/" prog/program.yaml &&
	"$STEGC" build -q -o old.steg prog &&
	run out "$STEGC" build -q --previous old.steg -o new.steg "$BASE" &&
	test "$rc" = 1 && ! test -e new.steg && grep -q "\[version-not-newer\]" out
'

test_expect_success '--previous must be the same program, and must verify' '
	cp -R "$BASE" prog &&
	sed -i -e "s/^id: se.test.bas/id: se.test.annat/" -e "s/^version: 1.0.0/version: 2.0.0/" prog/program.yaml &&
	"$STEGC" build -q -o other.steg prog &&
	run out "$STEGC" build -q --previous other.steg -o new.steg "$BASE" &&
	test "$rc" = 1 && grep -q "\[previous-mismatch\]" out &&
	echo junk > junk.steg &&
	run out "$STEGC" build -q --previous junk.steg -o new.steg "$BASE" &&
	test "$rc" = 1 && grep -q "junk.steg: error: not a zip file" out && ! test -e new.steg
'

test_expect_success 'usage errors exit 2' '
	run out "$STEGC" build && test "$rc" = 2 &&
	run out "$STEGC" build --level 11 "$BASE" && test "$rc" = 2 &&
	run out "$STEGC" build --bogus "$BASE" && test "$rc" = 2
'

# A module file may be a symlink that stays inside the program folder; it
# is loaded through the link, and so is the id that links to it name (the
# read-ahead used to open it with O_NOFOLLOW and name the file-name id:
# the bundle's links then pointed at pages it did not hold, and stegc
# inspect refused it).  Loaded one by one and in parallel.
test_expect_success 'a link to a symlinked module names the id its front matter sets' '
	cp -R "$BASE" prog && mkdir prog/texts &&
	{ printf -- "---\ntitle: Vardagen\nid: vardagen\nunlock: completed(\"intro\")\n---\n" &&
	  sed "1,/^---\$/d" prog/modules/02-vardag.md; } > prog/texts/vardag.md &&
	rm prog/modules/02-vardag.md && ln -s ../texts/vardag.md prog/modules/02-vardag.md &&
	printf "\nSe [modulen om vardagen](02-vardag.md).\n" >> prog/modules/01-intro.md &&
	for j in 1 2; do
		STEG_JOBS=$j "$STEGC" build -q -o s$j.steg prog &&
		"$STEGC" inspect s$j.steg > info 2>&1 &&
		"$STEGC" inspect --cat pages/intro/02.xhtml s$j.steg > page &&
		grep -q "href=\"../vardagen/01.xhtml\" data-module=\"vardagen\"" page &&
		"$STEGC" inspect --cat pages/vardagen/01.xhtml s$j.steg > /dev/null ||
		return 1
	done
'

# A media file is streamed into the zip and its CRC-32 and size put into
# its local header and its central-directory record after its bytes
# (core/zipw.c, st_zipw_end); past the 1 MiB write buffer the local header
# is already on disk and is patched in place.  Both must agree with the
# bytes, which unzip -t and stegc verify check.
test_expect_success 'a media file larger than the write buffer: CRC and size right in both headers' '
	cp -R "$EX/depression" big &&
	head -c 3000000 /dev/urandom >> big/media/ond-cirkel.png &&
	"$STEGC" build -q big -o big.steg &&
	unzip -tq big.steg > out && grep -q "^No errors detected" out &&
	unzip -v big.steg media/ond-cirkel.png > v &&
	size=$(wc -c < big/media/ond-cirkel.png) &&
	crc=$(python3 -c "import sys,zlib; print(\"%08x\" % zlib.crc32(open(sys.argv[1],\"rb\").read()))" big/media/ond-cirkel.png) &&
	grep -q "^ *$size  Stored  *$size .* $crc  media/ond-cirkel.png\$" v &&
	"$STEGC" verify big.steg > out && grep -q "^big.steg: ok (" out
'

test_done
