#!/bin/sh
# t0401 — program.xml round trip: reading what stegc wrote and writing it
# again gives the same bytes (write(read(write(p))) == write(p)), for the
# base program, every example and a program.xml full of the characters and
# numbers that are easy to get wrong; a non-canonical but valid
# program.xml comes out in canonical form, and numbers are printed in the
# shortest form that reads back exactly.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/tools/progxml-tool.sh"

test_expect_success 'the test tool builds against the core library' '
	build_progxml_tool && test -x "$PXT"
'

test_expect_success 'base program: read and write again gives the same bytes' '
	"$STEGC" build "$SRC/tests/golden/base" -o base.steg &&
	unzip -p base.steg program.xml > program.xml &&
	"$PXT" rt program.xml > again.xml &&
	cmp program.xml again.xml
'

for ex in depression insomnia tobacco; do
test_expect_success "examples/$ex: read and write again gives the same bytes" '
	"$STEGC" build "$EX/'$ex'" -o x.steg &&
	unzip -p x.steg program.xml > program.xml &&
	"$PXT" rt program.xml > again.xml &&
	cmp program.xml again.xml
'
done

# Canonical: what st_progxml_write itself would write.  Tabs, newlines and
# a CR inside attributes; CR, markup characters and quotes in text; an
# inline exercise without an id; numbers that need all 17 digits.
cat > "$TRASH_ROOT/tricky.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<program xmlns="urn:steg:program:1" format="1" steg="1" id="se.test.knepig" version="2.1.0-rc.1" title="Tab&#9;och&#10;radbrytning &amp; &quot;citat&quot; 'enkla' &lt;b&gt;&#13;" language="sv-SE" kind="support" start="self" duration-weeks="12" compiler="stegc 0.0.9">
  <summary>Rad ett&#13;
rad två med &lt;b&gt;fet&lt;/b&gt; &amp; "citat" och 'apostrof' ]]&gt; — åäö 😀</summary>
  <producer id="SE2321000016-15CQ" name="Region Ö &amp; Co"/>
  <audience>  vuxna  </audience>
  <condition>depression</condition>
  <condition>ångest</condition>
  <modules>
    <module id="a" title="A"/>
    <module id="b--c.d" title="B" file="modules/02-b--c.d.md" minutes="45">
      <unlock>completed("a") and days_since("a") &gt;= 7 and reviewed("a")</unlock>
      <page title="Första" path="pages/b--c.d/01.xhtml"/>
      <page title="Andra" path="pages/b--c.d/02.xhtml">
        <component kind="exercise" ref="dagbok"/>
        <component kind="form" ref="skala_1"/>
        <component kind="exercise" ref="b--c.d-1"/>
      </page>
    </module>
  </modules>
  <forms>
    <form id="skala_1" title="Skala">
      <items>
        <item id="q1" type="number" min="-0.25" max="1e+20" reverse="true" required="true">
          <text>Hur många?
Två rader.</text>
          <options>
            <option value="0.1" label="En tiondel"/>
            <option value="0.30000000000000004" label="Nästan tre tiondelar"/>
            <option value="-0" label="Minus noll"/>
            <option value="1.2345678901234568e+17" label="Stort"/>
            <option value="1e-07" label="Litet"/>
          </options>
          <show-if>q2 = "ja" or not answered(q2)</show-if>
        </item>
        <item id="q2" type="text">
          <text>Text</text>
        </item>
      </items>
      <scores>
        <score id="s">
          <value>if(q1 &gt; 0.5, 1, 0)</value>
        </score>
      </scores>
    </form>
  </forms>
  <exercises>
    <exercise id="dagbok" title="Dagbok" file="exercises/dagbok.yaml" repeat="true">
      <instructions>Skriv
varje dag.</instructions>
      <field id="sov" type="duration" label="Sömn" min="0" max="960" step="0.5" unit="min" required="true"/>
      <field id="val" type="multi" label="Val">
        <options>
          <option value="1" label="Ett"/>
          <option value="2" label="Två"/>
        </options>
        <show-if>sov &gt; 0</show-if>
      </field>
      <computed id="eff" label="Effektivitet" unit="%">
        <value>round(sov / 960 * 100)</value>
      </computed>
    </exercise>
    <exercise title="Utan id" file="modules/02-b--c.d.md" inline="true">
      <field id="x" type="boolean" label="Ja?"/>
    </exercise>
    <exercise id="b--c.d-1" title="Med id" inline="true">
      <field id="y" type="text" label="Text"/>
    </exercise>
  </exercises>
  <assessments>
    <assessment form="skala_1">
      <at>start</at>
      <at>weekly</at>
      <at>module:b--c.d</at>
    </assessment>
  </assessments>
  <messages>
    <message id="hej" when="end">
      <text>Hej då</text>
    </message>
    <message id="paminnelse_1">
      <when>days_since("a") &gt; 14 and not completed("b--c.d")</when>
      <text>Dags att fortsätta.</text>
    </message>
  </messages>
  <media>
    <file path="media/bild.png" kind="image" size="73" sha256="2aaf301a0d419bf2c046b4a0dc440727519af83a2d3ce050e1e11ca144089b0b"/>
    <file path="media/film.mp4" kind="video"/>
    <file path="media/film.sv.vtt" kind="caption" size="0" sha256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"/>
    <file path="media/ljud.mp3" kind="audio"/>
    <file path="media/x.pdf" kind="other"/>
  </media>
</program>
XML

test_expect_success 'setup: the tricky program.xml validates' '
	"$PXT" validate "$TRASH_ROOT/tricky.xml" program.xsd
'

test_expect_success 'tricky program.xml: read and write again gives the same bytes' '
	"$PXT" rt "$TRASH_ROOT/tricky.xml" > again.xml &&
	cmp "$TRASH_ROOT/tricky.xml" again.xml
'

# The same program written by hand: attributes in another order, other
# quotes and spacing, CDATA, "1" for true, "+" signs and leading zeros in
# numbers, a comment and a processing instruction, no indentation.
cat > "$TRASH_ROOT/loose.xml" <<'XML'
<?xml version='1.0'?>
<!-- written by hand -->
<p:program xmlns:p="urn:steg:program:1" compiler='stegc 0.0.9' start='self' kind = "support" language="sv-SE" title="T" version="2.1.0" id="se.test.los" steg=" 1 " format="1"><?pi ignored?><p:summary><![CDATA[<b>fet</b> & "citat"]]></p:summary><p:producer name="R" id="SE1"/><p:modules><p:module title="A" id="a"/></p:modules><p:forms><p:form title="F" id="f"><p:items><p:item required="1" reverse="0" max="010" min="-0.50" type="scale" id="q1"><p:text>x</p:text></p:item></p:items></p:form></p:forms></p:program>
XML

cat > "$TRASH_ROOT/loose.expect" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<program xmlns="urn:steg:program:1" format="1" steg="1" id="se.test.los" version="2.1.0" title="T" language="sv-SE" kind="support" start="self" compiler="stegc 0.0.9">
  <summary>&lt;b&gt;fet&lt;/b&gt; &amp; "citat"</summary>
  <producer id="SE1" name="R"/>
  <modules>
    <module id="a" title="A"/>
  </modules>
  <forms>
    <form id="f" title="F">
      <items>
        <item id="q1" type="scale" min="-0.5" max="10" required="true">
          <text>x</text>
        </item>
      </items>
    </form>
  </forms>
</program>
XML

test_expect_success 'a valid but loose program.xml comes out canonical' '
	"$PXT" rt "$TRASH_ROOT/loose.xml" > once.xml &&
	test_cmp "$TRASH_ROOT/loose.expect" once.xml &&
	"$PXT" rt once.xml > twice.xml &&
	cmp once.xml twice.xml
'

test_expect_success 'numbers: the shortest form that reads back exactly' '
	"$PXT" num 3 -2 0.5 0.1 0.3 -0.25 1e20 1e-7 0.30000000000000004 \
		123456789012345678 -0 1e308 5e-324 nan inf > actual &&
	cat > expect <<-\EOF &&
	3
	-2
	0.5
	0.1
	0.3
	-0.25
	1e+20
	1e-07
	0.30000000000000004
	1.2345678901234568e+17
	-0
	1e+308
	5e-324
	(not finite)
	(not finite)
	EOF
	test_cmp expect actual
'

test_expect_success 'numbers do not follow the locale (sv_SE writes 0,5)' '
	mkdir loc &&
	localedef -i sv_SE -f UTF-8 loc/sv_SE.UTF-8 2>/dev/null || test -d loc/sv_SE.UTF-8 &&
	LOCPATH=$PWD/loc LC_ALL=sv_SE.UTF-8 "$PXT" printf > libc.out &&
	echo "0,5" > expect && test_cmp expect libc.out &&
	"$PXT" num 0.5 -1.25 1e-07 > C.out &&
	LOCPATH=$PWD/loc LC_ALL=sv_SE.UTF-8 "$PXT" num 0.5 -1.25 1e-07 > sv.out &&
	test_cmp C.out sv.out &&
	LOCPATH=$PWD/loc LC_ALL=sv_SE.UTF-8 "$PXT" rt "$TRASH_ROOT/tricky.xml" > again.xml &&
	cmp "$TRASH_ROOT/tricky.xml" again.xml
'

test_expect_success 'a bundle that stegc verified reads back into the same program.xml' '
	"$STEGC" build "$EX/insomnia" -o x.steg &&
	"$STEGC" verify x.steg &&
	unzip -p x.steg program.xml > program.xml &&
	"$PXT" rt program.xml > once.xml &&
	"$PXT" rt once.xml > twice.xml &&
	cmp program.xml twice.xml
'

test_done
