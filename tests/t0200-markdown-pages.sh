#!/bin/sh
# t0200-markdown-pages: what a module's Markdown becomes in the bundle —
# pages split at level-1 headings, whole XHTML documents that any XML
# parser reads, escaped text, media with captions, module links, inline
# exercises, and raw HTML that never reaches a page.
. "$(dirname "$0")/lib.sh"

# A program: the golden base plus tests/data/markdown/03-sida.md and the
# media it shows.  Builds prog.steg in the current folder.
make_prog() {
	cp -R "$SRC/tests/golden/base" prog &&
	cp "$SRC/tests/data/markdown/03-sida.md" prog/modules/ &&
	python3 "$SRC/tests/tools/mediagen.py" prog/media/film.mp4 \
		prog/media/film.sv.vtt prog/media/ljud.mp3 &&
	"$STEGC" build prog -o prog.steg > build.out 2>&1
}

# entry NAME: print one entry of prog.steg
entry() {
	python3 -c 'import sys, zipfile
sys.stdout.buffer.write(zipfile.ZipFile("prog.steg").read(sys.argv[1]))' "$1"
}

test_expect_success 'each level-1 heading starts a page; text before it is a page of its own' '
	make_prog &&
	python3 -c "import zipfile
for n in zipfile.ZipFile(\"prog.steg\").namelist():
    print(n)" | grep "^pages/sida/" > actual &&
	printf "pages/sida/01.xhtml\npages/sida/02.xhtml\npages/sida/03.xhtml\n" > expect &&
	test_cmp expect actual
'

test_expect_success 'the page before the first heading is titled by the module and escaped' '
	make_prog && entry pages/sida/01.xhtml > actual &&
	cat > expect <<-\EXPECT &&
	<?xml version="1.0" encoding="UTF-8"?>
	<html xmlns="http://www.w3.org/1999/xhtml" lang="sv"><head><meta charset="UTF-8"/><title>Sömn &amp; vila</title></head><body><section class="steg-page" data-module="sida"><h1>Sömn &amp; vila</h1>
	<p>Text före första rubriken: 5 &lt; 6 &amp; &quot;citat&quot; '"'"'enkla'"'"'.</p>
	</section></body></html>
	EXPECT
	test_cmp expect actual
'

test_expect_success 'inline markup, figure, video with captions, audio, links' '
	make_prog && entry pages/sida/02.xhtml > actual &&
	cat > expect <<-\EXPECT &&
	<?xml version="1.0" encoding="UTF-8"?>
	<html xmlns="http://www.w3.org/1999/xhtml" lang="sv"><head><meta charset="UTF-8"/><title>Första sidan</title></head><body><section class="steg-page" data-module="sida"><h1>Första sidan</h1>
	<p>En <em>kursiv</em> och <strong>fet</strong> text med <code>kod &lt;b&gt;</code> ochen radbrytning.<br/>
	Ny rad.</p>
	<figure class="steg-media"><img src="../../media/te.png" alt="En kopp te"/><figcaption>Te hjälper många att varva ner</figcaption></figure>
	<p><video controls="controls" src="../../media/film.mp4" aria-label="Film om sömnråd"><track kind="captions" src="../../media/film.sv.vtt" srclang="sv" default="default"/><a href="../../media/film.mp4">Film om sömnråd</a></video></p>
	<p>Lyssna: <audio controls="controls" src="../../media/ljud.mp3" aria-label="Avslappningsövning"><a href="../../media/ljud.mp3">Avslappningsövning</a></audio></p>
	<p>Se <a href="https://www.1177.se/somn?a=1&amp;b=2" rel="external" title="Råd">sömnråd på 1177</a> eller <a href="../vardag/01.xhtml" data-module="vardag">vardagen</a>.
	Ring <a href="tel:1177">1177 Vårdguiden</a>.</p>
	</section></body></html>
	EXPECT
	test_cmp expect actual
'

test_expect_success 'lists, quotes, rules, components and code blocks' '
	make_prog && entry pages/sida/03.xhtml > actual &&
	cat > expect <<-\EXPECT &&
	<?xml version="1.0" encoding="UTF-8"?>
	<html xmlns="http://www.w3.org/1999/xhtml" lang="sv"><head><meta charset="UTF-8"/><title>Andra sidan</title></head><body><section class="steg-page" data-module="sida"><h1>Andra sidan</h1>
	<ol>
	<li>ett</li>
	<li>två</li>
	</ol>
	<ol start="3">
	<li>tre</li>
	</ol>
	<ul>
	<li>punkt</li>
	<li>punkt</li>
	</ul>
	<blockquote>
	<p>Ett citat.</p>
	</blockquote>
	<hr/>
	<div class="steg-component steg-exercise" data-ref="sovdagbok"></div>
	<pre><code class="language-sh">echo &quot;&lt;hej&gt;&quot; &amp;&amp; exit
	</code></pre>
	</section></body></html>
	EXPECT
	test_cmp expect actual
'

test_expect_success 'raw HTML is reported where it stands and never reaches a page' '
	make_prog &&
	grep "raw-html" build.out > actual &&
	cat > expect <<-\EXPECT &&
	prog/modules/03-sida.md:7:1: warning: raw HTML '"'"'<script>alert(1)</script>'"'"' is not allowed and was dropped; write it in Markdown [raw-html]
	prog/modules/03-sida.md:11:47: warning: raw HTML '"'"'<br>'"'"' is not allowed and was dropped; write it in Markdown [raw-html]
	prog/modules/03-sida.md:31:3: warning: raw HTML '"'"'<span onclick="x()">'"'"' is not allowed and was dropped; write it in Markdown [raw-html]
	prog/modules/03-sida.md:31:28: warning: raw HTML '"'"'</span>'"'"' is not allowed and was dropped; write it in Markdown [raw-html]
	EXPECT
	test_cmp expect actual &&
	for p in 01 02 03; do entry pages/sida/$p.xhtml; done > all &&
	! grep -i "<script\|onclick\|<span\|<br>" all
'

test_expect_success 'every page is well-formed XML in the XHTML namespace' '
	make_prog &&
	python3 -c "import zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(\"prog.steg\")
n = 0
for name in z.namelist():
    if name.startswith(\"pages/\"):
        root = ET.fromstring(z.read(name))
        assert root.tag == \"{http://www.w3.org/1999/xhtml}html\", name
        n += 1
print(n)" > actual &&
	echo 7 > expect && test_cmp expect actual
'

test_expect_success 'an inline exercise joins the program as an exercise of its own' '
	make_prog && entry program.xml > program.xml &&
	grep "<exercise id=\"sovdagbok\" title=\"Sömndagbok\" file=\"modules/03-sida.md\" inline=\"true\">" program.xml &&
	grep "<component kind=\"exercise\" ref=\"sovdagbok\"/>" program.xml
'

# cmark turns "&#1;" into U+0001 and writes U+FFFE as the lone byte 0xFE.
test_expect_success 'characters that XML forbids become U+FFFD, never a broken page' '
	cp -R "$SRC/tests/golden/base" prog &&
	printf -- "---\ntitle: Tecken\n---\nEtt &#1; och &#xFFFE; och &#0; tecken.\n\n# Rubrik &#xFFFF;\n" > prog/modules/03-tecken.md &&
	"$STEGC" build prog -o prog.steg &&
	entry pages/tecken/01.xhtml > page &&
	python3 -c "import sys
t = open(\"page\", encoding=\"utf-8\").read()
assert \"<p>Ett \\ufffd och \\ufffd och \\ufffd tecken.</p>\" in t, t" &&
	entry program.xml > program.xml &&
	python3 -c "import xml.etree.ElementTree as ET
t = ET.parse(\"program.xml\").getroot()
titles = [p.get(\"title\") for p in t.iter(\"{urn:steg:program:1}page\")]
assert \"Rubrik \\ufffd\" in titles, titles"
'

test_expect_success 'a module links to another by file name, with or without ./, to the page of a heading' '
	cp -R "$SRC/tests/golden/base" prog &&
	printf -- "---\ntitle: L\n---\nTill [introduktionen](./01-intro.md) och [vardagen](02-vardag.md#din-vecka).\n" > prog/modules/03-l.md &&
	"$STEGC" build prog -o prog.steg &&
	entry pages/l/01.xhtml > page &&
	grep "<p>Till <a href=\"../intro/01.xhtml\" data-module=\"intro\">introduktionen</a> och <a href=\"../vardag/02.xhtml\" data-module=\"vardag\">vardagen</a>.</p>" page
'

test_expect_success 'a link to a later module uses the id its front matter sets' '
	cp -R "$SRC/tests/golden/base" prog &&
	printf -- "---\ntitle: V\nunlock: completed(\"intro\")\n---\nSe [nästa modul](03-sist.md) och [den här](02-vardag.md).\n" > prog/modules/02-vardag.md &&
	printf -- "---\ntitle: Sist\nid: avslutning\n---\nTillbaka till [vardagen](02-vardag.md).\n" > prog/modules/03-sist.md &&
	"$STEGC" build prog -o prog.steg &&
	entry pages/vardag/01.xhtml > page &&
	grep "<p>Se <a href=\"../avslutning/01.xhtml\" data-module=\"avslutning\">nästa modul</a> och <a href=\"../vardag/01.xhtml\" data-module=\"vardag\">den här</a>.</p>" page &&
	entry pages/avslutning/01.xhtml > page &&
	grep "<a href=\"../vardag/01.xhtml\" data-module=\"vardag\">vardagen</a>" page
'

test_expect_success 'media paths are percent-encoded and decoded the same way' '
	cp -R "$SRC/tests/golden/base" prog &&
	mkdir prog/media/bilder && cp prog/media/te.png prog/media/bilder/kopp_2.png &&
	printf -- "---\ntitle: M\n---\n![Kopp](../media/./bilder/../bilder/kopp%%5F2.png)\n" > prog/modules/03-m.md &&
	"$STEGC" build prog -o prog.steg &&
	entry pages/m/01.xhtml > page &&
	grep "<p><img src=\"../../media/bilder/kopp_2.png\" alt=\"Kopp\"/></p>" page
'

test_expect_success 'the same sources give byte-identical pages' '
	make_prog && mv prog.steg one.steg && rm -rf prog &&
	make_prog && cmp one.steg prog.steg
'
test_expect_success 'a link to a heading of another module reaches the page that holds it' '
	cp -R "$SRC/tests/golden/base" hl && cp "$SRC/tests/golden/cases/md-heading-link/modules/03-oroskedjan.md" hl/modules/ &&
	sed "/^Läs också/d" "$SRC/tests/golden/cases/md-heading-link/modules/02-vardag.md" > hl/modules/02-vardag.md &&
	"$STEGC" build -q hl -o hl.steg &&
	unzip -p hl.steg pages/vardag/02.xhtml | grep -o "<a href=\"[^\"]*\" data-module=\"oroskedjan\">[^<]*" > got &&
	cat > want <<-\EOF &&
	<a href="../oroskedjan/03.xhtml" data-module="oroskedjan">orosdagboken
	<a href="../oroskedjan/02.xhtml" data-module="oroskedjan">kedjan
	<a href="../oroskedjan/03.xhtml" data-module="oroskedjan">hur du fyller i
	<a href="../oroskedjan/01.xhtml" data-module="oroskedjan">början
	EOF
	test_cmp want got &&
	unzip -p hl.steg pages/oroskedjan/03.xhtml | grep -q "<h1>Orosdagboken</h1>" &&
	unzip -p hl.steg pages/oroskedjan/02.xhtml | grep -q "<h1>Oroskedjan: hur oro växer</h1>"
'

test_done
