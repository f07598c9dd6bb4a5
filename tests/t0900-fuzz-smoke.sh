#!/bin/sh
# t0900-fuzz-smoke: every libFuzzer harness of tests/fuzz/ runs over its
# seed corpus (tests/fuzz/seeds.sh) and over every saved reproducer of
# tests/fuzz/crashes/ (NAME-*, for harness NAME), without fuzzing and
# without clang: each harness is linked with tests/fuzz/driver.c, a plain
# main(), by the C compiler that built $STEG_BUILD — with the sanitizers
# when that build has them (make check: build-san).  A harness that
# aborts, or a sanitizer report, fails the test.  `make fuzz` does the
# fuzzing (docs/fuzzing.md).
. "$(dirname "$0")/lib.sh"

B=$SRC/$STEG_BUILD
CC=${CC:-cc}
PKGS="yaml-0.1 libxml-2.0 libzip zlib libsodium libcrypto jansson libcmark sqlite3 libcurl libmicrohttpd"
SAN=""
if nm "$B/libstegcore.a" 2>/dev/null | grep -q '__asan_report'; then
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
fi
W=$TRASH_ROOT/fuzz
mkdir -p "$W"
ar rcs "$W/libsc.a" $(ls "$B"/compiler/*.o | grep -v '/main\.o$\|/preview_main\.o$')
ar rcs "$W/librt.a" $(ls "$B"/runtime/*.o | grep -v '/main\.o$\|/bundle_main\.o$')

# build NAME: $W/NAME, the harness with the standalone driver
build() {
	$CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g \
		-Wall -Wextra -Wno-unused-parameter -Werror $SAN \
		-DSTEG_VERSION='"fuzz"' -DSTEG_FUZZ_SRC="\"$SRC\"" \
		-iquote "$SRC/core" -iquote "$SRC/compiler" -iquote "$SRC/runtime" -iquote "$B/gen" \
		$(pkg-config --cflags $PKGS) \
		"$SRC/tests/fuzz/$1_fuzz.c" "$SRC/tests/fuzz/driver.c" \
		"$W/libsc.a" "$W/librt.a" "$B/libstegcore.a" $(pkg-config --libs $PKGS) -lmagic -lm \
		-o "$W/$1"
}

for h in "$SRC"/tests/fuzz/*_fuzz.c; do
	n=$(basename "$h" _fuzz.c)
	test_expect_success "$n: the harness builds without libFuzzer" "
		build $n
	"
	test_expect_success "$n: every seed runs clean" "
		sh \"\$SRC/tests/fuzz/seeds.sh\" $n seeds &&
		test -n \"\$(ls seeds)\" &&
		\"$W/$n\" seeds 2> err &&
		grep -q '^[1-9][0-9]* inputs\$' err
	"
	for c in "$SRC"/tests/fuzz/crashes/$n-*; do
		[ -f "$c" ] || continue
		test_expect_success "$n: reproducer $(basename "$c") runs clean" "
			\"$W/$n\" \"$c\"
		"
	done
done
test_done
