#!/bin/sh
# t0020-layers: no #include crosses a layer the wrong way (core sees only
# core; render/ sees core and itself; stegc's compiler/ and steg's runtime/
# see core, render and themselves, never each other), library headers stay
# with the parts that compile with them, steg does not link libyaml (nor
# the XML, zip, media or OpenSSL libraries, which steg-bundle links), and
# the library reads no terminal: only core/term.c, which the binaries pass
# as the passphrase prompt, opens /dev/tty (docs/architecture.md).
. "$(dirname "$0")/lib.sh"
LAYERS="python3 $SRC/tests/tools/layers.py"

test_expect_success 'the sources cross no layer' '
	run actual $LAYERS "$SRC" && test "$rc" = 0 && test_cmp /dev/null actual
'

# A scratch copy of the three parts with one crossing added.
copy() {
	mkdir -p root && cp -R "$SRC/core" "$SRC/render" "$SRC/compiler" "$SRC/runtime" root/
}

test_expect_success 'core including a compiler header is found' '
	copy && sed -i "1i #include \"../compiler/compile.h\"" root/core/diff.c &&
	run actual $LAYERS root && test "$rc" = 1 &&
	echo "core/diff.c:1: includes \"../compiler/compile.h\" (core may not see compiler)" > expect &&
	test_cmp expect actual
'

test_expect_success 'core including a runtime header from a header is found' '
	copy && sed -i "/#define ST_MODEL_H/a #include \"../runtime/registry.h\"" root/core/model.h &&
	run actual $LAYERS root && test "$rc" = 1 &&
	grep -n "runtime/registry.h" root/core/model.h | cut -d: -f1 > line &&
	echo "core/model.h:$(cat line): includes \"../runtime/registry.h\" (core may not see runtime)" > expect &&
	test_cmp expect actual
'

test_expect_success 'the compiler and the runtime including each other are found' '
	copy && sed -i "1i #include \"../runtime/registry.h\"" root/compiler/cmd_check.c &&
	sed -i "1i #include \"../compiler/keyopts.h\"" root/runtime/cmd_trust.c &&
	run actual $LAYERS root && test "$rc" = 1 &&
	cat > expect <<-\EOF &&
	compiler/cmd_check.c:1: includes "../runtime/registry.h" (compiler may not see runtime)
	runtime/cmd_trust.c:1: includes "../compiler/keyopts.h" (runtime may not see compiler)
	EOF
	test_cmp expect actual
'

test_expect_success 'the renderer including the compiler, or core the renderer, is found' '
	copy && sed -i "1i #include \"../compiler/compile.h\"" root/render/words.c &&
	sed -i "1i #include \"render.h\"" root/core/diff.c &&
	sed -i "1i #include <microhttpd.h>" root/render/render.c &&
	run actual $LAYERS root && test "$rc" = 1 &&
	cat > expect <<-\EOF &&
	core/diff.c:1: includes "render.h" (core may not see render)
	render/render.c:1: includes <microhttpd.h> (only compiler and runtime may)
	render/words.c:1: includes "../compiler/compile.h" (render may not see compiler)
	EOF
	test_cmp expect actual
'

test_expect_success 'the compiler and the runtime may include the renderer' '
	copy && sed -i "1i #include \"render.h\"" root/runtime/cmd_trust.c &&
	run actual $LAYERS root && test "$rc" = 0 && test_cmp /dev/null actual
'

test_expect_success 'package headers outside their parts are found' '
	copy && sed -i "1i #include <sqlite3.h>" root/core/diff.c &&
	sed -i "1i #include <yaml.h>" root/runtime/cmd_trust.c &&
	sed -i "1i #  include <yaml.h>" root/core/expr_lex.c &&
	run actual $LAYERS root && test "$rc" = 1 &&
	cat > expect <<-\EOF &&
	core/diff.c:1: includes <sqlite3.h> (only runtime may)
	core/expr_lex.c:1: includes <yaml.h> (only core/yamlload.c may)
	runtime/cmd_trust.c:1: includes <yaml.h> (only core/yamlload.c may)
	EOF
	test_cmp expect actual
'

test_expect_success 'only core/term.c opens /dev/tty, and no other core file calls it' '
	(cd "$SRC" && grep -l "/dev/tty" core/*.c) > tty &&
	(cd "$SRC" && grep -l "st_term_ask" core/*.c) > callers &&
	echo core/term.c > expect &&
	test_cmp expect tty && test_cmp expect callers &&
	(cd "$SRC" && grep -l "st_term_ask" compiler/*.c runtime/*.c) > binaries &&
	test -s binaries
'

test_expect_success 'only core/i18n.c sets the locale, only for messages, and only the mains of stegc call it' '
	(cd "$SRC" && grep -l "setlocale\|setenv\|st_i18n_init" core/*.c render/*.c) > core &&
	echo core/i18n.c > expect && test_cmp expect core &&
	! grep "setlocale(" "$SRC/core/i18n.c" | grep -qv "LC_MESSAGES" &&
	! (cd "$SRC" && grep -q "setlocale" compiler/*.c runtime/*.c runtime/serve/*.c) &&
	(cd "$SRC" && grep -l "st_i18n_init()" compiler/*.c runtime/*.c runtime/serve/*.c) > mains &&
	printf "%s\n" compiler/main.c compiler/preview_main.c > expect &&
	test_cmp expect mains
'

test_expect_success 'steg does not link libyaml; libstegc.so, which stegc loads, does' '
	ldd "$STEG" > steg.libs && ldd "$(dirname "$STEGC")/libstegc.so" > full.libs &&
	! grep -q libyaml steg.libs && grep -q libyaml full.libs
'

test_expect_success 'steg does not link the web server or GnuTLS; steg-serve does' '
	ldd "$STEG" > steg.libs && ldd "$(dirname "$STEG")/steg-serve" > serve.libs &&
	! grep -q "libmicrohttpd\|libgnutls" steg.libs &&
	grep -q libmicrohttpd serve.libs && grep -q libgnutls serve.libs
'

# What a program links directly (DT_NEEDED), without the sanitizers' own
# run-time libraries, one a line, sorted.
needed() {
	readelf -d "$1" | sed -n "s/.*(NEEDED).*\[\(.*\)\]/\1/p" |
		grep -v "^lib\(asan\|ubsan\)\.so" | sort
}

test_expect_success 'steg links SQLite, libsodium and jansson only; steg-bundle links the XML, zip, media and OpenSSL libraries' '
	needed "$STEG" > steg.needed &&
	printf "%s\n" libc.so.6 libjansson.so.4 libm.so.6 libsodium.so.23 libsqlite3.so.0 > expect &&
	test_cmp expect steg.needed &&
	needed "$(dirname "$STEG")/steg-bundle" > bundle.needed &&
	grep -q "^libxml2\.so" bundle.needed && grep -q "^libzip\.so" bundle.needed &&
	grep -q "^libmagic\.so" bundle.needed && grep -q "^libcrypto\.so" bundle.needed &&
	grep -q "^libsqlite3\.so" bundle.needed
'

test_expect_success 'a steg without steg-bundle lists, and says what import, sync and score miss' '
	mkdir lone && cp "$STEG" lone/ &&
	run out lone/steg --db nothing.db --version && test "$rc" = 0 &&
	for c in "import b.steg --as X" "sync http://127.0.0.1:1/ --as X" "score b.steg phq9 --answers a"; do
		run out lone/steg --db nothing.db $c && test "$rc" = 3 &&
		echo "steg: error: cannot run '"'"'$TRASH/lone/steg-bundle'"'"': No such file or directory (it is installed beside this program)" > expect &&
		test_cmp expect out || return 1
	done
'

test_expect_success 'stegc links libsodium and jansson only; libstegc.so links the XML, zip, media, Markdown and YAML libraries and exports its entry alone' '
	needed "$STEGC" > stegc.needed &&
	printf "%s\n" libc.so.6 libjansson.so.4 libsodium.so.23 > expect &&
	test_cmp expect stegc.needed &&
	full=$(dirname "$STEGC")/libstegc.so &&
	needed "$full" > full.needed &&
	for l in libxml2 libzip libmagic libcrypto libcmark libyaml; do
		grep -q "^$l[.-]" full.needed || return 1
	done &&
	nm -D --defined-only "$full" | sed -n "s/.* [A-Za-z] \(sc_.*\)/\1/p" | sort > exported &&
	printf "%s\n" sc_full_main sc_full_version > expect &&
	test_cmp expect exported
'

test_expect_success 'a stegc without its libstegc.so says so: --version, new and keygen still work, check and build exit 3 with the reason' '
	mkdir solo && cp "$STEGC" solo/ &&
	run out solo/stegc --version && test "$rc" = 0 &&
	run out solo/stegc new solo/p && test "$rc" = 0 && test -f solo/p/program.yaml &&
	printf "garbage\n" > solo/libstegc.so &&
	run out solo/stegc check solo/p && test "$rc" = 3 &&
	grep -q "^stegc: error: cannot load libstegc.so: $TRASH/solo/libstegc.so: .*(it is installed with stegc; reinstall Steg)\$" out &&
	lib=$(ldd "$STEGC" | sed -n "s/.*libjansson[^ ]* => \([^ ]*\) .*/\1/p") &&
	test -f "$lib" && cp "$lib" solo/libstegc.so &&
	run out solo/stegc build solo/p -o solo/p.steg && test "$rc" = 3 &&
	test ! -e solo/p.steg &&
	grep -q "^stegc: error: .$TRASH/solo/libstegc.so. is not stegc.s commands, not the one of this stegc [0-9.]*; reinstall Steg\$" out
'

test_expect_success 'stegc does not link the web server or GnuTLS; stegc-preview does, and stegc preview runs it' '
	ldd "$STEGC" > stegc.libs && ldd "$(dirname "$STEGC")/stegc-preview" > preview.libs &&
	! grep -q "libmicrohttpd\|libgnutls" stegc.libs &&
	grep -q libmicrohttpd preview.libs && grep -q libgnutls preview.libs &&
	mkdir alone && cp "$STEGC" alone/ &&
	run out alone/stegc preview --port 0 "$EX/depression" && test "$rc" = 3 &&
	grep -q "^stegc: error: cannot run .*/alone/stegc-preview.: No such file or directory (it is installed beside this program)" out
'

test_expect_success 'the server (runtime/serve/) is checked too' '
	copy && sed -i "1i #include \"../../compiler/compile.h\"" root/runtime/serve/tls.c &&
	sed -i "1i #include <gnutls/gnutls.h>" root/core/diff.c &&
	run actual $LAYERS root && test "$rc" = 1 &&
	cat > expect <<-\EOF &&
	core/diff.c:1: includes <gnutls/gnutls.h> (only runtime may)
	runtime/serve/tls.c:1: includes "../../compiler/compile.h" (runtime may not see compiler)
	EOF
	test_cmp expect actual
'

test_done
