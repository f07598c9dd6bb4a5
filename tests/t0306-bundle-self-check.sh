#!/bin/sh
# t0306-bundle-self-check: `stegc build --self-check` (STEG_SELF_CHECK=1,
# which tests/lib.sh sets for the whole suite) validates manifest.xml and
# program.xml against the schemas before the bundle goes into place; a
# release build leaves that to the readers (docs/bundle-format.md, "The
# self-check").  stegc cannot be made to write an invalid document on
# purpose, so tests/tools/writer-tool.c hands the writer (core/
# bundle_write.c) what the compiler's checks never would: a version the
# manifest's schema refuses, a module id program.xsd refuses.  With the
# self-check that is an internal error, exit 3, nothing written and an
# existing bundle kept; without it the bundle is written and `stegc
# verify` refuses it, which is the proof a release build relies on.
. "$(dirname "$0")/lib.sh"
WT=$TRASH_ROOT/writer-tool

test_expect_success 'the test tool builds against the core library' '
	san=
	case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
		-Wall -Wextra -Werror -I"$SRC/core" "$SRC/tests/tools/writer-tool.c" \
		"$SRC/$STEG_BUILD/libstegcore.a" \
		$(pkg-config --libs yaml-0.1 libxml-2.0 libzip zlib libsodium libcrypto jansson) \
		-lmagic -lm -lpthread -o "$WT"
'

# the depression example's bundle, unzipped into $TRASH_ROOT/dep
(cd "$TRASH_ROOT" && "$STEGC" build -q -o dep.steg "$EX/depression" &&
	mkdir dep && cd dep && unzip -q ../dep.steg) ||
	echo "Bail out! the example does not build"

test_expect_success 'unchanged, the writer gives the bundle stegc built, with and without the self-check' '
	"$WT" "$TRASH_ROOT/dep" on.steg --self-check &&
	"$WT" "$TRASH_ROOT/dep" off.steg &&
	cmp on.steg "$TRASH_ROOT/dep.steg" && cmp off.steg "$TRASH_ROOT/dep.steg"
'

cat > "$TRASH_ROOT/expect-manifest" <<-\EOF
stegc: error: the manifest.xml that stegc made does not validate against 'manifest.xsd' (a bug in stegc): line 3: Element '{urn:steg:manifest:1}program', attribute 'version': [facet 'pattern'] The value '1.0' is not accepted by the pattern '(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.\\-]+)?(\\+[0-9A-Za-z.\\-]+)?'. [internal-error]
EOF
cat > "$TRASH_ROOT/expect-program" <<-\EOF
stegc: error: the program.xml that stegc made does not validate against 'program.xsd' (a bug in stegc): line 10: Element '{urn:steg:program:1}module', attribute 'id': [facet 'pattern'] The value 'Intro' is not accepted by the pattern '[a-z0-9]+(([.]|-+)[a-z0-9]+)*'. [internal-error]
EOF

test_expect_success 'self-check: an invalid manifest.xml is an internal error (exit 3), the old bundle stays, no stray file' '
	mkdir out && cp "$TRASH_ROOT/dep.steg" out/b.steg &&
	run actual "$WT" "$TRASH_ROOT/dep" out/b.steg --self-check --version 1.0 &&
	test "$rc" = 3 && test_cmp "$TRASH_ROOT/expect-manifest" actual &&
	cmp out/b.steg "$TRASH_ROOT/dep.steg" &&
	ls -A out > files && echo b.steg > want && test_cmp want files
'

test_expect_success 'self-check: an invalid program.xml alone is caught too, and nothing is written' '
	mkdir out &&
	run actual "$WT" "$TRASH_ROOT/dep" out/b.steg --self-check --module-id Intro &&
	test "$rc" = 3 && test_cmp "$TRASH_ROOT/expect-program" actual &&
	ls -A out > files && test ! -s files
'

cat > "$TRASH_ROOT/expect-verify" <<-\EOF
b.steg:program.xml:10:13: error: element 'module', attribute 'id': [facet 'pattern'] the value 'Intro' is not accepted by the pattern '[a-z0-9]+(([.]|-+)[a-z0-9]+)*' [xml-schema]
EOF

test_expect_success 'without the self-check the broken bundle is written, and the reader refuses it' '
	"$WT" "$TRASH_ROOT/dep" b.steg --module-id Intro &&
	run actual "$STEGC" verify --format brief b.steg &&
	test "$rc" = 1 && test_cmp "$TRASH_ROOT/expect-verify" actual &&
	"$WT" "$TRASH_ROOT/dep" m.steg --version 1.0 &&
	run actual "$STEGC" verify --format brief m.steg &&
	test "$rc" = 1 &&
	grep "^m.steg:manifest.xml:3:45: error: element .program., attribute .version.: \[facet .pattern.\] the value .1.0. is not accepted" actual
'

test_expect_success 'stegc build: --self-check, STEG_SELF_CHECK=1 and a release build write the same bytes' '
	"$STEGC" build -q --self-check -o a.steg "$EX/depression" &&
	STEG_SELF_CHECK=1 "$STEGC" build -q -o b.steg "$EX/depression" &&
	STEG_SELF_CHECK=0 "$STEGC" build -q -o c.steg "$EX/depression" &&
	(unset STEG_SELF_CHECK && "$STEGC" build -q -o d.steg "$EX/depression") &&
	STEG_SELF_CHECK= "$STEGC" build -q -o e.steg "$EX/depression" &&
	for f in a b c d e; do cmp $f.steg "$TRASH_ROOT/dep.steg" || return 1; done
'

test_expect_success 'STEG_SELF_CHECK other than 0 or 1 is a usage error (exit 2), nothing written' '
	run actual env STEG_SELF_CHECK=yes "$STEGC" build -o x.steg "$EX/depression" &&
	test "$rc" = 2 && test ! -e x.steg &&
	cat > want <<-\EOF &&
	stegc: error: STEG_SELF_CHECK must be 0 or 1, not '"'"'yes'"'"'
	run '"'"'stegc build --help'"'"' for its options
	EOF
	test_cmp want actual
'

test_expect_success 'stegc build --help names --self-check' '
	"$STEGC" build --help > out &&
	grep -q "^  --self-check  *validate manifest.xml and program.xml" out
'

test_done
