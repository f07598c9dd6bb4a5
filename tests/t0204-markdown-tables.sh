#!/bin/sh
# t0204-markdown-tables: GitHub-flavoured pipe tables and callouts as a
# patient's page shows them — <th scope="col">, alignment as classes,
# cells as inline Markdown (links resolved, '\|' a pipe, no blocks),
# callouts as <aside> with a label in the program's language — and pages
# that the bundle's own page check (core/page.c, schemas/page.xsd) accepts.
. "$(dirname "$0")/lib.sh"

make_prog() {
	cp -R "$SRC/tests/golden/base" prog &&
	cp "$SRC/tests/data/markdown/03-tabell.md" prog/modules/ &&
	"$STEGC" build prog -o prog.steg > build.out 2>&1
}

entry() {
	python3 -c 'import sys, zipfile
sys.stdout.buffer.write(zipfile.ZipFile("prog.steg").read(sys.argv[1]))' "$1"
}

test_expect_success 'a table, callouts and a quote become accessible markup' '
	make_prog && entry pages/tabell/01.xhtml > actual &&
	cat > expect <<-\EXPECT &&
	<?xml version="1.0" encoding="UTF-8"?>
	<html xmlns="http://www.w3.org/1999/xhtml" lang="sv"><head><meta charset="UTF-8"/><title>Tabell</title></head><body><section class="steg-page" data-module="tabell"><h1>Tabell</h1>
	<p>Så här kan en vecka se ut.</p>
	<table>
	<thead>
	<tr><th scope="col" class="steg-left">Dag</th><th scope="col" class="steg-center">Oro (0–10)</th><th scope="col" class="steg-right">Vad <em>hände</em>?</th></tr>
	</thead>
	<tbody>
	<tr><td class="steg-left">Måndag</td><td class="steg-center">7</td><td class="steg-right">Möte med <code>chefen</code> | jobbet</td></tr>
	<tr><td class="steg-left">Tisdag</td><td class="steg-center">3</td><td class="steg-right"></td></tr>
	<tr><td class="steg-left">- punkt</td><td class="steg-center"># rubrik</td><td class="steg-right">1. ett</td></tr>
	</tbody>
	</table>
	<aside class="steg-callout steg-tip" aria-label="Tips">
	<p><strong>Tips</strong></p>
	<p>Skriv varje kväll.</p>
	<table>
	<thead>
	<tr><th scope="col">A</th><th scope="col">B</th></tr>
	</thead>
	</table>
	</aside>
	<aside class="steg-callout steg-important" aria-label="Viktigt">
	<p><strong>Viktigt</strong></p>
	<p>Ring 112 om det är .</p>
	</aside>
	<aside class="steg-callout steg-note" aria-label="Obs">
	<p><strong>Obs</strong></p>
	</aside>
	<blockquote>
	<p>Ett vanligt citat.</p>
	</blockquote>
	<p>| Inte | en tabell |
	| --- |</p>
	</section></body></html>
	EXPECT
	test_cmp expect actual
'

test_expect_success 'raw HTML in a callout is reported and dropped as anywhere' '
	make_prog && grep "03-tabell.md:18:23: warning: raw HTML .<akut>. is not allowed" build.out
'

test_expect_success 'the page passes the bundle page check' '
	make_prog && "$STEGC" verify prog.steg > out 2>&1 &&
	grep "^prog.steg: ok" out
'

test_expect_success 'an English program labels callouts in English' '
	make_prog && sed -i "s/^language: sv/language: en/" prog/program.yaml &&
	"$STEGC" build prog -o prog.steg > /dev/null 2>&1 &&
	entry pages/tabell/01.xhtml | grep -c "aria-label=\"\(Tip\|Important\|Note\)\"" > n &&
	echo 3 > expect && test_cmp expect n
'
test_done
