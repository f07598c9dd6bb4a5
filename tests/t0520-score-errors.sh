#!/bin/sh
# t0520-score-errors: `steg score` refuses bad answers with exit 1 and a
# message naming the item (or the JSON line and column), refuses unknown
# forms and bad usage, and re-checks the bundle's program before scoring.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"

BUNDLE=$TRASH_ROOT/dep.steg

test_expect_success 'the depression example builds' '
	"$STEGC" build "$EX/depression" -o "$BUNDLE" >/dev/null
'

# refuse JSON 'expected output' : exit 1 and exactly that on stderr
refuse() {
	printf "%s" "$1" >a.json &&
	run out "$STEG" score "$BUNDLE" phq9 --answers a.json &&
	test $rc = 1 &&
	printf "%s\n" "$2" >expect &&
	test_cmp expect out
}

test_expect_success 'an answer that is not an option value names the item and the options' '
	refuse "{\"q3\": 4}" "a.json: error: item '"'q3'"': 4 is not one of its answer options (0, 1, 2, 3) [answers-value]
1 error generated"
'

test_expect_success 'a fractional answer is not an option either' '
	refuse "{\"q1\": 1.5}" "a.json: error: item '"'q1'"': 1.5 is not one of its answer options (0, 1, 2, 3) [answers-value]
1 error generated"
'

test_expect_success 'an unknown item is named, with a suggestion' '
	refuse "{\"qq1\": 1}" "a.json: error: unknown item '"'qq1'"': form '"'phq9'"' has no such item; did you mean '"'q1'"'? [answers-unknown-item]
1 error generated"
'

test_expect_success 'a numbered sibling is never suggested: q10 is not q1' '
	refuse "{\"q10\": 1}" "a.json: error: unknown item '"'q10'"': form '"'phq9'"' has no such item [answers-unknown-item]
1 error generated"
'

test_expect_success 'wrong types are named per item, all of them' '
	refuse "{\"q1\": \"2\", \"q2\": true, \"q3\": [1]}" "a.json: error: item '"'q1'"' must be answered with a number, not a text [answers-type]
a.json: error: item '"'q2'"' must be answered with a number, not true or false [answers-type]
a.json: error: item '"'q3'"' must be answered with a number, not a list [answers-type]
3 errors generated"
'

test_expect_success 'malformed JSON gives the line and column' '
	refuse "{
  \"q1\": 1,
  \"q2\": ,
}" "a.json:3:9: error: answers are not valid JSON: unexpected token near '"','"' [answers-syntax]
1 error generated"
'

test_expect_success 'a duplicated item is refused' '
	printf "{\"q1\": 1, \"q1\": 2}" >a.json &&
	run out "$STEG" score "$BUNDLE" phq9 --answers a.json &&
	test $rc = 1 &&
	grep "^a.json:1:14: error: answers are not valid JSON: duplicate object key near ..q1.. \[answers-syntax\]$" out
'

test_expect_success 'answers must be an object' '
	refuse "[0, 1, 2]" "a.json: error: answers must be a JSON object from item id to answer, not a list [answers-type]
1 error generated"
'

test_expect_success 'an empty file is malformed JSON' '
	: >a.json &&
	run out "$STEG" score "$BUNDLE" phq9 --answers a.json &&
	test $rc = 1 && grep "answers-syntax" out
'

test_expect_success 'invalid UTF-8 in the answers is refused' '
	printf "{\"q1\\377\": 1}" >a.json &&
	run out "$STEG" score "$BUNDLE" phq9 --answers a.json &&
	test $rc = 1 && grep "error: answers are not valid JSON: unable to decode byte 0xff" out
'

test_expect_success 'a form the bundle does not have lists the ones it has' '
	echo "{}" >a.json &&
	run out "$STEG" score "$BUNDLE" phq8 --answers a.json &&
	test $rc = 1 &&
	echo "steg: error: the bundle has no rating form '"'phq8'"'; its forms: '"'gad7'"', '"'phq9'"'" >expect &&
	test_cmp expect out
'

test_expect_success 'a missing answers file is an I/O error (exit 3)' '
	run out "$STEG" score "$BUNDLE" phq9 --answers nope.json &&
	test $rc = 3 &&
	grep "^steg: error: cannot read answers '"'nope.json'"'" out
'

test_expect_success 'usage errors exit 2' '
	run out "$STEG" score "$BUNDLE" phq9 &&
	test $rc = 2 &&
	run out "$STEG" score "$BUNDLE" --answers a.json &&
	test $rc = 2
'

test_expect_success 'a damaged bundle is refused before any scoring' '
	echo "{}" >a.json &&
	printf "PK\003\004 not a zip" >bad.steg &&
	run out "$STEG" score bad.steg phq9 --answers a.json &&
	test $rc = 1 && test -s out
'

# tamper BUNDLE OUT SED: rewrite program.xml with SED and fix the manifest's
# size and hash, as an attacker (or a bug in another compiler) would.
tamper() {
	python3 - "$@" <<-\PY
	import hashlib, re, sys, zipfile
	src, dst, old, new = sys.argv[1:5]
	zin = zipfile.ZipFile(src)
	prog = zin.read("program.xml").decode()
	assert old in prog, old
	prog = prog.replace(old, new, 1).encode()
	man = zin.read("manifest.xml").decode()
	man = re.sub(r'<entry path="program.xml" size="\d+" sha256="[0-9a-f]+"/>',
	             '<entry path="program.xml" size="%d" sha256="%s"/>'
	             % (len(prog), hashlib.sha256(prog).hexdigest()), man)
	with zipfile.ZipFile(dst, "w") as zout:
	    for info in zin.infolist():
	        if info.filename == "manifest.xml.minisig":
	            continue
	        data = zin.read(info.filename)
	        if info.filename == "program.xml":
	            data = prog
	        elif info.filename == "manifest.xml":
	            data = man.encode()
	        zout.writestr(info, data)
	PY
}

test_expect_success 'the runtime re-checks bands in a bundle: a gap is refused' '
	tamper "$BUNDLE" gap.steg "<band from=\"10\" to=\"14\" label=\"Måttliga symtom\" level=\"moderate\"/>
          <band from=\"15\"" "<band from=\"11\" to=\"14\" label=\"Måttliga symtom\" level=\"moderate\"/>
          <band from=\"15\"" &&
	echo "{}" >a.json &&
	run out "$STEG" score gap.steg phq9 --answers a.json &&
	test $rc = 1 &&
	grep "error: no band for a '"'total'"' of 10: the bands leave a gap between '"'Lindriga symtom'"' (5 to 9) and '"'Måttliga symtom'"' (11 to 14) \[band-gap\]" out &&
	grep "not scored" out
'

test_expect_success 'the runtime re-checks expressions in a bundle: an unknown name is refused' '
	tamper "$BUNDLE" name.steg "q9 &gt; 0" "qq9 &gt; 0" &&
	echo "{}" >a.json &&
	run out "$STEG" score name.steg phq9 --answers a.json &&
	test $rc = 1 &&
	grep "error: unknown name '"'qq9'"'; did you mean '"'q9'"'? \[unknown-name\]" out
'

test_expect_success 'ID@VERSION scores a version stored in the registry' '
	make_bundles && setup_registry &&
	"$STEG" import "$BUNDLES/base-signed.steg" --as $PUB >/dev/null &&
	echo "{\"q1\": 2, \"q2\": 1}" >a.json &&
	mkdir tmp &&
	TMPDIR=$PWD/tmp "$STEG" score $V1 mood --answers a.json >out &&
	"$STEG" score "$BUNDLES/base-signed.steg" mood --answers a.json >expect &&
	test_cmp expect out &&
	grep "\"value\": 3," out &&
	ls tmp >after &&
	test_cmp /dev/null after
'

test_expect_success 'ID@VERSION that the registry does not hold is refused' '
	make_bundles && setup_registry &&
	echo "{}" >a.json &&
	run out "$STEG" score se.test.bas@9.9.9 mood --answers a.json &&
	test $rc = 1 &&
	echo "steg: error: se.test.bas@9.9.9 is not in the registry; see '"'steg list'"'" >expect &&
	test_cmp expect out
'

test_done
