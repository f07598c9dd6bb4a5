#!/bin/sh
# t0402 — hostile XML inside a bundle.  Each case builds the base program,
# replaces program.xml (or manifest.xml) with a hostile document and
# makes the manifest's size and SHA-256 match, so that nothing but the XML
# layer (core/xmlsafe.c) stands in the way; `stegc verify` must exit 1
# with exactly our finding, quickly, print nothing of what an entity
# pointed at, and the same document fed to the parser alone must give the
# same finding.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/tools/progxml-tool.sh"

SWAP="python3 $SRC/tests/tools/swap-program.py"

test_expect_success 'setup: the base bundle, its program.xml, the test tool' '
	build_progxml_tool &&
	"$STEGC" build "$SRC/tests/golden/base" -o "$TRASH_ROOT/base.steg" &&
	unzip -p "$TRASH_ROOT/base.steg" program.xml > "$TRASH_ROOT/good.xml" &&
	unzip -p "$TRASH_ROOT/base.steg" manifest.xml > "$TRASH_ROOT/manifest.xml" &&
	"$STEGC" verify "$TRASH_ROOT/base.steg"
'

# hostile NAME: write $TRASH_ROOT/NAME.xml from python code that has
# `good` (base's program.xml, a str) and writes bytes to `out`.
hostile() {
	python3 - "$TRASH_ROOT/good.xml" "$TRASH_ROOT/$1.xml" <<PY
import sys
good = open(sys.argv[1], encoding='utf-8').read()
head, rest = good.split('\n', 1)
out = open(sys.argv[2], 'wb')
$2
PY
}

hostile doctype 'out.write((head + "\n<!DOCTYPE program>\n" + rest).encode())'
hostile xxe 'out.write((head + "\n<!DOCTYPE program [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n" + rest.replace("<summary>", "<summary>&xxe;")).encode())'
hostile xxe-param 'out.write((head + "\n<!DOCTYPE program [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n" + rest).encode())'
hostile external-dtd 'out.write((head + "\n<!DOCTYPE program SYSTEM \"http://127.0.0.1:9/program.dtd\">\n" + rest).encode())'
hostile laughs '
ents = "".join(" <!ENTITY lol%d \"%s\">\n" % (i, ("&lol%d;" % (i - 1)) * 10) for i in range(1, 10))
out.write((head + "\n<!DOCTYPE program [\n <!ENTITY lol0 \"lol\">\n" + ents + "]>\n" + rest.replace("<summary>", "<summary>&lol9;")).encode())'
hostile quadratic '
out.write((head + "\n<!DOCTYPE program [<!ENTITY a \"" + "a" * 50000 + "\">]>\n" + rest.replace("<summary>", "<summary>" + "&a;" * 50000)).encode())'
hostile deep 'out.write((head + "\n" + "<a>" * 100000 + "</a>" * 100000 + "\n").encode())'
hostile not-utf8 'out.write(good.encode().replace(b"Basprogram", b"Basprogram \xff", 1))'
hostile latin1 'out.write(good.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"").encode("latin-1"))'
hostile utf16 'out.write(good.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"").encode("utf-16"))'
hostile truncated 'out.write(good.encode()[:good.encode().index(b"<items>") + 3])'
hostile empty 'pass'
hostile xinclude 'out.write(good.replace("<summary>", "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\" parse=\"text\"/><summary>").encode())'
hostile schema 'out.write(good.replace("kind=\"treatment\"", "kind=\"therapy\"").encode())'

# case NAME 'first line of the finding (after BUNDLE:program.xml)'
case_verify() {
	$SWAP "$TRASH_ROOT/base.steg" "$TRASH_ROOT/$1.xml" h.steg &&
	run out timeout 10 "$STEGC" verify h.steg &&
	test $rc = 1 &&
	echo "h.steg:program.xml:$2" > expect &&
	head -n 1 out > actual &&
	test_cmp expect actual &&
	tail -n 1 out > last && echo "1 error generated" > expect && test_cmp expect last &&
	! grep "root:" out
}

# the parser alone gives the same finding
case_parse() {
	run out timeout 10 "$PXT" parse "$TRASH_ROOT/$1.xml" &&
	test $rc = 1 &&
	echo "$TRASH_ROOT/$1.xml:$2" > expect &&
	head -n 1 out > actual &&
	test_cmp expect actual
}

DOCTYPE_MSG='2:1: error: document has a DOCTYPE; a bundle never needs one, and DTDs and entities are refused [xml-doctype]'

for c in doctype xxe xxe-param external-dtd laughs quadratic; do
	test_expect_success "a DOCTYPE is refused: $c" "
		case_verify $c '$DOCTYPE_MSG' && case_parse $c '$DOCTYPE_MSG'
	"
done

test_expect_success 'an external entity never reads the file, even through the schema path' '
	run out "$PXT" validate "$TRASH_ROOT/xxe.xml" program.xsd &&
	test $rc = 1 && ! grep "root:" out && grep "\[xml-doctype\]" out
'

test_expect_success '100,000 nested elements are refused at depth 65, at once' '
	case_verify deep "2: error: elements nested deeper than 64 levels [xml-limit]"
'

test_expect_success 'nesting: 64 levels parse, 65 do not' '
	python3 -c "open(\"d64.xml\", \"w\").write(\"<a>\" * 64 + \"</a>\" * 64)" &&
	python3 -c "open(\"d65.xml\", \"w\").write(\"<a>\" * 65 + \"</a>\" * 65)" &&
	"$PXT" parse d64.xml > out && test ! -s out &&
	run out "$PXT" parse d65.xml && test $rc = 1 &&
	echo "d65.xml:1: error: elements nested deeper than 64 levels [xml-limit]" > expect &&
	head -n 1 out > actual && test_cmp expect actual
'

test_expect_success 'bytes that are not UTF-8 are refused with line and column' '
	case_verify not-utf8 "2:108: error: document is not valid UTF-8 (byte 0xff) [encoding]" &&
	sed -n 2p out | grep "title=\"Basprogram ?\"" &&
	sed -n 3p out | grep "^ *| *\^$"
'

test_expect_success 'a declared ISO-8859-1 encoding does not make Latin-1 acceptable' '
	case_verify latin1 "3:58: error: document is not valid UTF-8 (byte 0xe5) [encoding]"
'

test_expect_success 'UTF-16 is refused' '
	case_verify utf16 "1:1: error: document is not valid UTF-8 (byte 0xff) [encoding]"
'

test_expect_success 'a truncated program.xml is refused with where it stopped' '
	case_verify truncated "26:10: error: couldn'"'"'t find end of Start Tag it line 26 [xml-syntax]" &&
	sed -n 2p out > actual && echo "   26 |       <it" > expect && test_cmp expect actual
'

test_expect_success 'an empty program.xml is refused' '
	case_verify empty "1:1: error: document is empty [xml-syntax]"
'

test_expect_success 'XInclude is not processed: the element is unknown to the schema' '
	case_verify xinclude "3:3: error: element '"'"'include'"'"': this element is not expected. Expected is ( summary ) [xml-schema]"
'

test_expect_success 'a well-formed program.xml that breaks the schema is refused' '
	case_verify schema "2:123: error: element '"'"'program'"'"', attribute '"'"'kind'"'"': [facet '"'"'enumeration'"'"'] the value '"'"'therapy'"'"' is not an element of the set {'"'"'treatment'"'"', '"'"'support'"'"', '"'"'education'"'"', '"'"'screening'"'"'} [xml-schema]"
'

test_expect_success 'a document over 64 MiB is refused before parsing' '
	python3 -c "
f = open(\"big.xml\", \"w\"); f.write(\"<a>\"); f.write(\" \" * (64 << 20)); f.write(\"</a>\")" &&
	run out "$PXT" parse big.xml && test $rc = 1 &&
	echo "big.xml: error: document is 67108871 bytes; the limit is 64 MiB [xml-limit]" > expect &&
	head -n 1 out > actual && test_cmp expect actual
'

test_expect_success 'manifest.xml goes through the same parser: a DOCTYPE there is refused' '
	python3 -c "
import sys
m = open(sys.argv[1]).read().split(\"\\n\", 1)
open(\"m.xml\", \"w\").write(m[0] + \"\\n<!DOCTYPE manifest [<!ENTITY x SYSTEM \\\"file:///etc/passwd\\\">]>\\n\" + m[1])" "$TRASH_ROOT/manifest.xml" &&
	$SWAP "$TRASH_ROOT/base.steg" m.xml h.steg manifest.xml &&
	run out "$STEGC" verify h.steg && test $rc = 1 &&
	grep "^h.steg:manifest.xml:2:1: error: document has a DOCTYPE" out &&
	! grep "root:" out
'

test_expect_success 'stegc inspect refuses the same bundles with the same findings' '
	for c in xxe deep not-utf8 schema; do
		$SWAP "$TRASH_ROOT/base.steg" "$TRASH_ROOT/$c.xml" h.steg &&
		run v "$STEGC" verify h.steg && test $rc = 1 &&
		run i "$STEGC" inspect h.steg && test $rc = 1 &&
		grep "^h.steg:program.xml:" v > expect &&
		grep "^h.steg:program.xml:" i > actual &&
		test_cmp expect actual || return 1
	done
'

test_expect_success 'libxml2 prints nothing of its own' '
	for c in doctype deep truncated not-utf8 schema; do
		$SWAP "$TRASH_ROOT/base.steg" "$TRASH_ROOT/$c.xml" h.steg || return 1
		rc=0; "$STEGC" verify h.steg > out 2> err || rc=$?
		test $rc = 1 && grep -q "^h.steg:program.xml:[0-9:]* error: " out err &&
		! grep -i "parser error\|validity error\|^Entity\|namespace error" out err || return 1
	done
'

test_done
