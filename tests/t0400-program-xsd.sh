#!/bin/sh
# t0400 — program.xml as stegc writes it validates against
# schemas/program.xsd with an independent validator (xmllint), builds are
# byte-identical wherever they run, and the schema is strict: it refuses
# unknown parts, bad enumerations and patterns, duplicate ids and
# assessments of forms that do not exist.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/tools/progxml-tool.sh"

XSD=$SRC/schemas/program.xsd

test_expect_success 'the test tool builds against the core library' '
	build_progxml_tool && test -x "$PXT"
'

test_expect_success 'program.xml of the base program validates with xmllint' '
	"$STEGC" build "$SRC/tests/golden/base" -o base.steg &&
	unzip -p base.steg program.xml > program.xml &&
	xmllint --noout --schema "$XSD" program.xml 2> out &&
	grep "program.xml validates" out &&
	head -c 38 program.xml > head && printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" > exp &&
	test_cmp exp head
'

for ex in depression insomnia tobacco; do
test_expect_success "program.xml of examples/$ex validates with xmllint" '
	"$STEGC" build "$EX/'$ex'" -o x.steg &&
	unzip -p x.steg program.xml > program.xml &&
	xmllint --noout --schema "$XSD" program.xml
'
done

test_expect_success 'an exercise id may be a slug or an identifier: both validate, other shapes do not' '
	cp -R "$SRC/tests/golden/base" ex && cp -R "$SRC/tests/golden/cases/exercise-ids/." ex/ &&
	rm ex/exercises/fel_och-fel.yaml &&
	sed -i "s/^id: För_och-emot$/id: for-och-emot/" ex/modules/03-ovningar.md &&
	"$STEGC" build -q ex -o ex.steg &&
	unzip -p ex.steg program.xml > program.xml &&
	grep -q "<exercise id=\"for_och_emot\"" program.xml &&
	grep -q "<exercise id=\"for-och-emot\"" program.xml &&
	grep -q "<exercise id=\"vaga-lage\"" program.xml &&
	xmllint --noout --schema "$XSD" program.xml &&
	sed "s/<exercise id=\"for_och_emot\"/<exercise id=\"for_och-emot\"/" program.xml > bad.xml &&
	! xmllint --noout --schema "$XSD" bad.xml 2> /dev/null
'

test_expect_success 'source paths are relative: the same bytes from any folder' '
	cp -r "$SRC/tests/golden/base" prog &&
	"$STEGC" build prog -o a.steg &&
	"$STEGC" build "$PWD/prog/" -o b.steg &&
	(cd prog && "$STEGC" build . -o ../c.steg) &&
	cmp a.steg b.steg && cmp a.steg c.steg &&
	unzip -p a.steg program.xml > program.xml &&
	grep "file=\"modules/01-intro.md\"" program.xml &&
	! grep "file=\"[./]" program.xml
'

# Each case: what it shows, a sed expression that breaks base's
# program.xml, and the exact finding of our validator, with the line and
# the column of the element or attribute it is about (the excerpt follows
# it); xmllint must refuse the same file.
cat > "$TRASH_ROOT/cases" <<'CASES'
an unknown element is refused	s|<summary>|<extra/><summary>|	bad.xml:3:3: error: element 'extra': this element is not expected. Expected is ( summary ) [xml-schema]
an unknown attribute is refused	s|<module id="intro"|<module colour="red" id="intro"|	bad.xml:6:13: error: element 'module', attribute 'colour': the attribute 'colour' is not allowed [xml-schema]
a program kind outside the enumeration is refused	s|kind="treatment"|kind="therapy"|	bad.xml:2:123: error: element 'program', attribute 'kind': [facet 'enumeration'] the value 'therapy' is not an element of the set {'treatment', 'support', 'education', 'screening'} [xml-schema]
an item type outside the enumeration is refused	s|<item id="q1" type="choice"|<item id="q1" type="slider"|	bad.xml:27:23: error: element 'item', attribute 'type': [facet 'enumeration'] the value 'slider' is not an element of the set {'choice', 'number', 'text', 'boolean', 'date', 'scale', 'longtext'} [xml-schema]
a module id that is not a slug is refused	s|<module id="intro"|<module id="Intro Modul"|	bad.xml:6:13: error: element 'module', attribute 'id': [facet 'pattern'] the value 'Intro Modul' is not accepted by the pattern '[a-z0-9]+(([.]|-+)[a-z0-9]+)*' [xml-schema]
a version that is not semver is refused	s|version="1.0.0"|version="1.0"|	bad.xml:2:74: error: element 'program', attribute 'version': [facet 'pattern'] the value '1.0' is not accepted by the pattern '(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([\-+][0-9A-Za-z.+\-]+)?' [xml-schema]
a missing required attribute is refused	s| start="clinician"||	bad.xml:2:1: error: element 'program': the attribute 'start' is required but missing [xml-schema]
two modules with one id are refused	s|<module id="vardag"|<module id="intro"|	bad.xml:10:5: error: element 'module': duplicate key-sequence ['intro'] in unique identity-constraint 'module-ids' [xml-schema]
an item id used twice in a form is refused	s|<item id="q2"|<item id="q1"|	bad.xml:30:9: error: element 'item': duplicate key-sequence ['q1'] in unique identity-constraint 'form-names' [xml-schema]
an assessment of a form that does not exist is refused	s|<assessment form="mood"|<assessment form="phq9"|	bad.xml:50:5: error: element 'assessment': no match found for key-sequence ['phq9'] of keyref 'assessed-forms' [xml-schema]
an infinite number is refused	s|<option value="2"|<option value="INF"|	bad.xml:24:17: error: element 'option', attribute 'value': [facet 'pattern'] the value 'INF' is not accepted by the pattern '-?[0-9]+(\.[0-9]+)?([eE][+\-]?[0-9]+)?' [xml-schema]
an expression cannot be empty	s|<value>sum(q1..q2)</value>|<value></value>|	bad.xml:36:11: error: element 'value': [facet 'minLength'] the value has a length of '0'; this underruns the allowed minimum length of '1' [xml-schema]
the wrong namespace is refused	s|urn:steg:program:1|urn:steg:program:2|	bad.xml:2:1: error: element 'program': no matching global declaration available for the validation root [xml-schema]
xsi:schemaLocation cannot choose another schema	s|<program xmlns="urn:steg:program:1"|<program xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:steg:program:1 http://127.0.0.1:9/any.xsd" xmlns="urn:steg:program:1" colour="red"|	bad.xml:2:158: error: element 'program', attribute 'colour': the attribute 'colour' is not allowed [xml-schema]
CASES

test_expect_success 'setup: a valid program.xml to break' '
	"$STEGC" build "$SRC/tests/golden/base" -o base.steg &&
	unzip -p base.steg program.xml > "$TRASH_ROOT/good.xml" &&
	"$PXT" validate "$TRASH_ROOT/good.xml" program.xsd > out && test ! -s out
'

check_case() {
	sed -n "$1p" "$TRASH_ROOT/cases" | cut -f2 > expr &&
	sed -n "$1p" "$TRASH_ROOT/cases" | cut -f3 > expect &&
	sed "$(cat expr)" "$TRASH_ROOT/good.xml" > bad.xml &&
	! cmp -s bad.xml "$TRASH_ROOT/good.xml" &&
	! xmllint --noout --schema "$XSD" bad.xml 2>/dev/null &&
	run out "$PXT" validate bad.xml program.xsd &&
	test $rc = 1 &&
	head -n 1 out > actual &&
	test_cmp expect actual &&
	tail -n 1 out > actual && echo "1 error generated" > expect &&
	test_cmp expect actual
}

n=0
while IFS='	' read -r what rest; do
	n=$((n + 1))
	test_expect_success "schema: $what" "check_case $n"
done < "$TRASH_ROOT/cases"

test_done
