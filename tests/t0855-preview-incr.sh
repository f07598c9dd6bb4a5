#!/bin/sh
# t0855-preview-incr: stegc preview recompiles only what changed
# (compiler/incr.h), and what it finds is exactly what a clean compile
# finds.  tests/tools/incr-tool.c compiles a folder incrementally after
# each edit and cleanly, and compares findings (in order and sorted, text
# and JSON, with source lines and notes), program.xml and every page.
. "$(dirname "$0")/lib.sh"
IT=$TRASH_ROOT/incr-tool

test_expect_success 'the test tool builds against the compiler' '
	san=
	case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
	B=$SRC/$STEG_BUILD
	# shellcheck disable=SC2046
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
		-I"$SRC/core" -I"$SRC/compiler" -I"$B/gen" \
		$(pkg-config --cflags libxml-2.0 yaml-0.1) \
		"$SRC/tests/tools/incr-tool.c" $(ls "$B"/compiler/*.o | grep -v "/main\.o\$\|/preview_main\.o\$") \
		"$B/librender.a" "$B/libstegcore.a" \
		$(pkg-config --libs libxml-2.0 libzip zlib libsodium libcrypto jansson yaml-0.1 libcmark libmicrohttpd) \
		-lmagic -lm -lpthread -o "$IT"
'

# steps: "!CMD" edits, "=REL" tells the cache as the watcher would, "."
# compiles and compares
D=prog
M=prog/modules
test_expect_success 'a module edited: one module loaded again, the rest reused' '
	cp -R "$EX/depression" $D &&
	"$IT" $D . "!sed -i s/orken/kraften/ $M/02-ond-cirkel.md" "=modules/02-ond-cirkel.md" . \
		"!printf \"\\n# Ny sida\\n\\nMer text.\\n\" >> $M/05-tankar.md" . > out &&
	cat > expect <<-\EOF &&
	compile 1: loaded 9 reused 0 errors 0 findings 0: same
	compile 2: loaded 1 reused 8 errors 0 findings 0: same
	compile 3: loaded 1 reused 8 errors 0 findings 0: same
	EOF
	test_cmp expect out
'

test_expect_success 'errors in a module come and go with the same findings' '
	cp -R "$EX/depression" $D &&
	"$IT" $D . \
		"!sed -i \"s/^unlock: .*/unlock: completed(\\\"intro2\\\") and bogus(1)/\" $M/03-aktivering-1.md" . \
		"!sed -i \"s/!\\[[^]]*\\]/![]/\" $M/01-intro.md" "=modules/01-intro.md" . \
		"!sed -i \"s/^unlock: .*/unlock: completed(\\\"ond-cirkel\\\")/\" $M/03-aktivering-1.md" . \
		"!cp $EX/depression/modules/01-intro.md $M/" . > out &&
	sed "s/findings [0-9]*/findings N/" out > got &&
	cat > expect <<-\EOF &&
	compile 1: loaded 9 reused 0 errors 0 findings N: same
	compile 2: loaded 1 reused 8 errors 1 findings N: same
	compile 3: loaded 1 reused 8 errors 2 findings N: same
	compile 4: loaded 1 reused 8 errors 1 findings N: same
	compile 5: loaded 1 reused 8 errors 0 findings N: same
	EOF
	test_cmp expect got
'

# The edited module is loaded at once; the others were loaded when its id
# was another, so they are loaded again in a second pass.
test_expect_success 'a module id set in front matter reloads the modules that link' '
	cp -R "$EX/depression" $D &&
	"$IT" $D . "!sed -i \"1a id: onda-cirkeln\" $M/02-ond-cirkel.md" . \
		"!sed -i \"/^id: onda-cirkeln/d\" $M/02-ond-cirkel.md" . > out &&
	cat > expect <<-\EOF &&
	compile 1: loaded 9 reused 0 errors 0 findings 0: same
	compile 2: loaded 8 reused 1 errors 2 findings 2: same
	compile 3: loaded 8 reused 1 errors 0 findings 0: same
	EOF
	test_cmp expect out
'

test_expect_success 'two modules with one id: the note points into the other file' '
	cp -R "$EX/depression" $D &&
	"$IT" $D . "!sed -i \"1a id: tankar\" $M/06-somn.md" "?" > out &&
	grep "duplicate module id" out && grep "first used here" out &&
	tail -n 1 out | grep ": same\$"
'

test_expect_success 'forms, exercises and program.yaml edited: modules reused' '
	cp -R "$EX/depression" $D &&
	"$IT" $D . "!sed -i \"s/to: 27/to: 28/\" $D/forms/phq9.yaml" . \
		"!cp $EX/depression/forms/phq9.yaml $D/forms/" . \
		"!sed -i \"s/^title: .*/title: Aktivitetsdagbok 2/\" $D/exercises/aktivitetsdagbok.yaml" . \
		"!sed -i \"s/^title: .*/title: Depressionshjälpen 2/\" $D/program.yaml" . \
		"!sed -i \"s/^  - somn\$/  - somm/\" $D/program.yaml" . > out &&
	sed "s/findings [0-9]*/findings N/" out > got &&
	cat > expect <<-\EOF &&
	compile 1: loaded 9 reused 0 errors 0 findings N: same
	compile 2: loaded 0 reused 9 errors 1 findings N: same
	compile 3: loaded 0 reused 9 errors 0 findings N: same
	compile 4: loaded 0 reused 9 errors 0 findings N: same
	compile 5: loaded 0 reused 9 errors 0 findings N: same
	compile 6: loaded 8 reused 0 errors 2 findings N: same
	EOF
	test_cmp expect got
'

test_expect_success 'media and modules added, removed and renamed' '
	cp -R "$EX/depression" $D &&
	"$IT" $D . "!cp $D/media/sex-steg.png $D/media/extra.png" . \
		"!rm $D/media/sex-steg.png" . \
		"!mv $M/09-aterfall.md $M/10-aterfall.md" . \
		"!printf \"# Till sist\\n\\nEn rad.\\n\" > $M/11-slut.md" . \
		"!rm $M/11-slut.md $M/10-aterfall.md" . > out &&
	sed "s/findings [0-9]*/findings N/; s/loaded [0-9]* reused [0-9]*/L/" out > got &&
	cat > expect <<-\EOF &&
	compile 1: L errors 0 findings N: same
	compile 2: L errors 0 findings N: same
	compile 3: L errors 1 findings N: same
	compile 4: L errors 1 findings N: same
	compile 5: L errors 1 findings N: same
	compile 6: L errors 2 findings N: same
	EOF
	test_cmp expect got
'

test_expect_success 'the other examples, edited and restored' '
	for ex in insomnia tobacco; do
		rm -rf $D && cp -R "$EX/$ex" $D &&
		first=$(ls $M | head -n 1) &&
		"$IT" $D . "!sed -i \"s/^title: .*/title: Ändrad/\" $M/$first" "=modules/$first" . \
			"!cp $EX/$ex/modules/$first $M/" "=modules/$first" . > out &&
		! grep -v ": same\$" out && test $(wc -l < out) = 3 || return 1
	done
'

test_expect_success 'a large program: one module of a hundred is loaded again' '
	python3 "$SRC/bench/gen.py" big 100 &&
	m=$(ls big/modules | sed -n 50p) &&
	"$IT" big . "!sed -i s/Beteende/Beteenden/ big/modules/$m" "=modules/$m" . > out &&
	cat > expect <<-\EOF &&
	compile 1: loaded 100 reused 0 errors 0 findings 0: same
	compile 2: loaded 1 reused 99 errors 0 findings 0: same
	EOF
	test_cmp expect out
'

test_done
