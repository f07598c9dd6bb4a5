#!/bin/sh
# t0805-stats: `stegc stats` gives each module's and page's words, reading
# time, LIX, images, players, exercises and forms, marks a module whose
# 'minutes:' is shorter than its reading time, agrees with the 'lix'
# warning, and refuses what it cannot count.
. "$(dirname "$0")/lib.sh"

# A starter program with a third module of known text: page 1 is a heading
# of two words and sixty sentences of five short words (302 words, 61
# sentences, no long word: LIX 5, three minutes at 150 words a minute);
# page 2 a heading of one word, an image (its alternative text is not
# read as text) and one sentence of four long words: 5 words; the module
# 307 words, 4 long, 63 sentences: LIX 6.
"$STEGC" new "$TRASH_ROOT/p" > /dev/null 2>&1 || { echo "Bail out! stegc new failed"; exit 1; }
P=$TRASH_ROOT/p
{
	printf -- '---\ntitle: Lång text\nminutes: 1\n---\n\n# Lång sida\n\n'
	i=0; while [ $i -lt 60 ]; do printf 'Detta är en kort mening. '; i=$((i + 1)); done
	printf '\n\n# Bild\n\n![En blå himmel över en grön äng](../media/ang.png)\n\n'
	printf 'Behandlingen fungerar ordentligt tillsammans.\n'
} > "$P/modules/03-lang.md"

test_expect_success 'a module and its pages: words, reading time, LIX, images, the minutes marked' '
	"$STEGC" stats "$P" > out 2> err &&
	test_cmp /dev/null err &&
	grep -qx "Mitt program (se.exempel.p 0.1.0): 3 modules, reading time at 150 words a minute" out &&
	grep -qx "  words  read  minutes  LIX  img  a/v   ex form  module, page" out &&
	grep -qx "    307     3      1 !    6    1    0    0    0  3 lang: Lång text" out &&
	grep -qx "    302     3             5    0    0    0    0    3.1 Lång sida" out &&
	grep -qx "      5     1             -    1    0    0    0    3.2 Bild" out &&
	grep -qx "! 1 module: '"'"'minutes:'"'"' is shorter than the reading time alone; raise it, or shorten the text" out
'

test_expect_success 'exercises and forms are counted on their page, and the whole program is summed' '
	"$STEGC" stats "$P" > out &&
	grep -qx "     11     1             -    0    0    0    1    2.2 Hur mår du?" out &&
	grep -qx "     24     1            13    0    0    1    0    2.3 Din plan" out &&
	grep -x " *[0-9]* *[0-9]* *[0-9]* *[0-9-]* *2 *0 *1 *1  the whole program" out
'

test_expect_success '--wpm sets the rate; --json gives the same figures' '
	"$STEGC" stats --wpm=100 "$P" > out &&
	grep -qx "    307     4      1 !    6    1    0    0    0  3 lang: Lång text" out &&
	"$STEGC" stats --json "$P" > out.json &&
	python3 - out.json <<-PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["id"] == "se.exempel.p" and d["wpm"] == 150, d
	m = d["modules"][2]
	assert [m[k] for k in ("module", "id", "minutes", "minutes_short_of_reading", "words", "reading_minutes", "lix", "sentences", "long_words", "images")] == [3, "lang", 1, True, 307, 3, 6, 63, 4, 1], m
	p = m["pages"]
	assert [(x["page"], x["title"], x["path"], x["words"], x["lix"]) for x in p] == [(1, "Lång sida", "pages/lang/01.xhtml", 302, 5), (2, "Bild", "pages/lang/02.xhtml", 5, None)], p
	assert d["modules"][0]["minutes_short_of_reading"] is False
	assert d["total"]["words"] == sum(x["words"] for x in d["modules"]), d["total"]
	PY
'

test_expect_success 'a module'"'"'s LIX is the one the lix warning judges' '
	run err "$STEGC" check --lix-max 4 "$P" && test "$rc" = 0 &&
	grep -q "modules/03-lang.md:.*readability index LIX 6 is above the limit 4" err &&
	"$STEGC" stats "$P" > out && grep -q "^ *307 .*  6 .* 3 lang: Lång text$" out
'

test_expect_success 'a program with errors gives its findings, not figures (exit 1)' '
	cp -r "$P" q && printf -- "---\ntitle: Fel\n---\n\n![](../media/ang.png)\n" > q/modules/04-fel.md &&
	"$STEGC" stats q > out 2> err || rc=$? && test "$rc" = 1 &&
	test ! -s out && grep -q "04-fel.md:5:1: error: image has no alternative text \[alt-text\]" err &&
	grep -q "the figures are shown for a program without errors" err
'

test_expect_success 'usage: a bad rate, no folder, --help' '
	run err "$STEGC" stats --wpm 0 "$P" && test "$rc" = 2 &&
	grep -q "stegc: error: --wpm '"'"'0'"'"' is not a reading rate from 20 to 1000 words a minute" err &&
	run err "$STEGC" stats && test "$rc" = 2 &&
	"$STEGC" stats --help > out && grep -q "^usage: stegc stats \[--json\] \[--wpm N\] DIR" out &&
	"$STEGC" --help > out && grep -q "^  stats  *words, reading time and readability of each module and page" out
'

test_done
