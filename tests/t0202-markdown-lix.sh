#!/bin/sh
# t0202-markdown-lix: the readability index as a designer meets it —
# words / sentences + 100 * long words / words, letters counted as
# characters (å ä ö are one letter each), abbreviations that do not end a
# sentence, and only running text: code, components and alternative text
# do not count.
. "$(dirname "$0")/lib.sh"

# 20 words, 4 sentences ("t.ex." does not end one), 5 long words
# (Tankarna snurrar hjälper övningar andning); "dåligt" and "känner" have
# six letters but seven bytes, so they are not long: LIX = 5 + 25 = 30.
# The alternative text, the code block and the component add nothing.
cat > "$TRASH_ROOT/text.md" <<-\MD
	---
	title: Sömn
	---
	Jag sover dåligt när jag känner oro. Tankarna snurrar hela natten.
	Då hjälper övningar t.ex. andning. Prova själv i kväll!

	![Sovrumsinteriör med nedsläckta sänglampor](../media/te.png)

	```
	Kodblocksinnehåll räknas aldrig någonsin överhuvudtaget.
	```

	```form
	ref: mood
	```
MD
prog() {
	cp -R "$SRC/tests/golden/base" prog &&
	cp "$TRASH_ROOT/text.md" prog/modules/03-somn.md
}

test_expect_success 'LIX 30 is above a limit of 29' '
	prog && run out "$STEGC" check --lix-max 29 prog &&
	test $rc = 0 &&
	cat > expect <<-\EXPECT &&
	prog/modules/03-somn.md:4:1: warning: readability index LIX 30 is above the limit 29; use shorter sentences and words, first here (this block: LIX 30, 20 words, 5 long, in 4 sentences) [lix]
	    4 | Jag sover dåligt när jag känner oro. Tankarna snurrar hela natten.
	      | ^
	1 warning generated
	prog: se.test.bas 1.0.0: 3 modules, 1 forms, 0 exercises, 1 media files: ok
	EXPECT
	test_cmp expect out
'

test_expect_success 'LIX 30 is not above a limit of 30' '
	prog && "$STEGC" check -Werror --lix-max 30 prog > out 2>&1 &&
	! grep "\[lix\]" out
'

test_expect_success 'the warning is an error under -Werror' '
	prog && run out "$STEGC" check -Werror --lix-max 29 prog &&
	test $rc = 1 && grep "03-somn.md:4:1: error: readability index LIX 30 .*\[lix\]" out
'

test_expect_success 'below 20 words there is no LIX warning, whatever the limit' '
	cp -R "$SRC/tests/golden/base" prog &&
	printf -- "---\ntitle: Kort\n---\nSjälvmedkänsla. Beteendeaktivering. Exponeringsövningar.\n" > prog/modules/03-kort.md &&
	run out "$STEGC" check --lix-max 1 prog &&
	! grep "03-kort.md.*\[lix\]" out
'

test_expect_success 'the default limit is 50' '
	cp -R "$SRC/tests/golden/base" prog &&
	printf -- "---\ntitle: Svår\n---\n%s\n" "Behandlingsprogrammets övergripande målsättning är att tillhandahålla evidensbaserade interventioner vilka systematiskt adresserar problematiska tankemönster och undvikandebeteenden varigenom deltagarens funktionsnivå förväntas förbättras påtagligt under behandlingsperioden och uppföljningsperioden." > prog/modules/03-svar.md &&
	"$STEGC" check prog > out 2>&1 &&
	grep "^prog/modules/03-svar.md:4:1: warning: readability index LIX [0-9]* is above the limit 50; use shorter sentences and words, first here (this block: LIX [0-9]*, 25 words, 19 long, in 1 sentence) \[lix\]$" out
'
test_expect_success 'the warning points at the block that weighs most' '
	cp -R "$SRC/tests/golden/base" prog &&
	cat > prog/modules/03-tung.md <<-\MD &&
	---
	title: Tung
	---
	# Om oro

	Oro är vanligt. Du är inte ensam. Det går att lära sig hantera.

	- Skriv ner.
	- Andas lugnt.

	Katastroftankarnas självförstärkande återkopplingsmekanismer vidmakthålls
	genom undvikandebeteenden, säkerhetsbeteenden och selektiv uppmärksamhet.

	Prova i dag. Det tar fem minuter.
	MD
	run out "$STEGC" check --lix-max 20 prog &&
	test $rc = 0 &&
	grep "^prog/modules/03-tung.md:11:1: warning: readability index LIX 35 is above the limit 20; use shorter sentences and words, first here (this block: LIX 90, 10 words, 8 long, in 1 sentence) \[lix\]$" out
'
# Letters are counted eight bytes at a time (compiler/lix.c): words of 7,
# 8, 9, 16 and 17 letters, å and ä inside a long run, abbreviations of 2
# to 4 letters (Inkl. osv. dvs. Mm.: no sentence end), "ok." (one), a dot
# inside a token (t.ex.), a token without letters (3×4).  By hand: 23
# words, 8 long (Abcdefg abcdefgh abcdefghi Xyz... abcd...q självkänsla
# abcdefghijkålmnop femsexsju), 5 sentences: 23/5 + 800/23 = 39.4.
test_expect_success 'word and sentence edges across eight-byte runs' '
	cp -R "$SRC/tests/golden/base" prog &&
	printf -- "---\ntitle: Gränser\n---\n%s\n" "Abcdefg abcdefgh abcdefghi. Inkl. osv. Xyzxyzxyzxyzxyzx abcdefghijklmnopq självkänsla 3×4 dvs. ok. Hej då! Vi ses snart. Mm. Ett två tre fyra abcdefghijkålmnop t.ex. femsexsju." > prog/modules/03-gr.md &&
	run out "$STEGC" check --lix-max 1 prog &&
	test $rc = 0 &&
	grep "^prog/modules/03-gr.md:4:1: warning: readability index LIX 39 is above the limit 1; use shorter sentences and words, first here (this block: LIX 39, 23 words, 8 long, in 5 sentences) \[lix\]$" out
'
test_done
