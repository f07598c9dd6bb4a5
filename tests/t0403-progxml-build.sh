#!/bin/sh
# t0403 — program.xml from the compiler's side: texts with CR, TAB and
# line breaks reach the bundle and come back exactly; a character that XML
# cannot carry stops the build with xml-char at the file it came from, and
# an empty text that program.xml requires with missing-key, an id that
# must be unique with duplicate-id;
# readers in many threads at once share the compiled schema safely; a
# 1,000-module program.xml reads and writes back quickly.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/tools/progxml-tool.sh"

test_expect_success 'setup: the test tool' '
	build_progxml_tool
'

test_expect_success 'CR, TAB and line breaks survive build, verify and a round trip' '
	cp -r "$SRC/tests/golden/base" prog &&
	sed -i "s/text: Har du haft svårt att sova?/text: \"Sova?\\\\r\\\\nJa\\\\tNej\"/" prog/forms/mood.yaml &&
	grep "Sova" prog/forms/mood.yaml &&
	"$STEGC" build prog -o x.steg &&
	"$STEGC" verify x.steg &&
	unzip -p x.steg program.xml > program.xml &&
	printf "          <text>Sova?&#13;\\nJa\\tNej</text>\\n" > expect &&
	grep -A1 "<text>Sova" program.xml > actual &&
	test_cmp expect actual &&
	"$PXT" rt program.xml > again.xml &&
	cmp program.xml again.xml
'

test_expect_success 'a control character in a text stops the build (xml-char)' '
	cp -r "$SRC/tests/golden/base" prog2 &&
	sed -i "s/text: Har du haft svårt att sova?/text: \"Sova\\\\x07?\"/" prog2/forms/mood.yaml &&
	run out "$STEGC" build prog2 -o y.steg &&
	test $rc = 1 && test ! -e y.steg &&
	cat > expect <<-\EOF &&
	prog2/forms/mood.yaml:13:5: error: text contains the character U+0007, which XML cannot carry [xml-char]
	EOF
	grep "xml-char" out > actual &&
	test_cmp expect actual
'

test_expect_success 'an empty text the schema requires is reported at its source' '
	cp -r "$SRC/tests/golden/base" prog3 &&
	sed -i "s/label: Inte alls/label: \"\"/" prog3/forms/mood.yaml &&
	run out "$STEGC" build prog3 -o z.steg &&
	test $rc = 1 && test ! -e z.steg &&
	cat > expect <<-\EOF &&
	prog3/forms/mood.yaml:7:24: error: '"'"'label'"'"' is empty; write its text [missing-key]
	EOF
	grep "missing-key" out > actual &&
	test_cmp expect actual &&
	! grep "internal-error" out
'

test_expect_success 'two inline exercises with one id: duplicate-id at the source, not an internal error' '
	cp -r "$SRC/tests/golden/base" prog4 &&
	for f in prog4/modules/01-intro.md prog4/modules/02-vardag.md; do
		printf "\n\`\`\`exercise\nid: dubbel\ntitle: Dubbel\nfields:\n  - id: a\n    type: text\n    label: A\n\`\`\`\n" >> $f || return 1
	done &&
	run out "$STEGC" build prog4 -o w.steg &&
	test $rc = 1 && test ! -e w.steg &&
	cat > expect <<-\EOF &&
	prog4/modules/02-vardag.md:16:1: error: duplicate exercise id '"'"'dubbel'"'"' [duplicate-id]
	prog4/modules/01-intro.md:15:1: note: first defined here
	EOF
	grep "duplicate-id\|note:" out > actual &&
	test_cmp expect actual &&
	! grep "internal-error" out
'

test_expect_success '8 threads reading program.xml at once, 400 reads, all exact' '
	"$STEGC" build "$EX/depression" -o d.steg &&
	unzip -p d.steg program.xml > program.xml &&
	"$PXT" threads 8 program.xml > out &&
	echo "400 reads, 0 failed" > expect && test_cmp expect out
'

test_expect_success 'a 1,000-module program.xml round-trips exactly (a hang guard, not a speed test: speed is make bench'"'"'s)' '
	"$STEGC" build "$SRC/tests/golden/base" -o base.steg &&
	unzip -p base.steg program.xml > good.xml &&
	python3 - <<-\PY &&
	good = open("good.xml").read()
	mods = []
	for i in range(1000):
	    pages = "".join("      <page title=\"Sida %d\" path=\"pages/m%d/%02d.xhtml\">\n        <component kind=\"form\" ref=\"mood\"/>\n      </page>\n" % (j, i, j) for j in range(1, 6))
	    prev = max(i - 1, 0)
	    mods.append("    <module id=\"m%d\" title=\"Modul %d\" file=\"modules/%04d-m%d.md\" minutes=\"30\">\n      <unlock>completed(\"m%d\") and days_since(\"m%d\") &gt;= 7</unlock>\n%s    </module>\n" % (i, i, i, i, prev, prev, pages))
	head, tail = good.split("  <modules>\n")[0], good.split("  </modules>\n")[1]
	open("big.xml", "w").write(head + "  <modules>\n" + "".join(mods) + "  </modules>\n" + tail)
	PY
	timeout 120 "$PXT" rt big.xml > again.xml &&
	cmp big.xml again.xml
'

test_done
