#!/bin/sh
# t0307-sha256: core/sha256.h, the SHA-256 that names every page, media
# file and bundle (OpenSSL's block function without its EVP set-up,
# docs/architecture.md), gives coreutils' sha256sum for inputs around
# every block boundary and for a megabyte, in one call and streamed in
# pieces of any size, empty ones included (tests/tools/sha256-tool.c).
# And the commands that hash without the bundle writer (check, afresh and
# from its cache, inspect, verify) never call an OpenSSL EVP function:
# with lazy binding the loader binds a symbol at its first call, and
# LD_DEBUG=bindings names each one bound.
. "$(dirname "$0")/lib.sh"
T=$TRASH_ROOT/sha256-tool

test_expect_success 'the test tool builds against the core library' '
	san=
	case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
		-Wall -Wextra -Werror -I"$SRC/core" "$SRC/tests/tools/sha256-tool.c" \
		"$SRC/$STEG_BUILD/libstegcore.a" \
		$(pkg-config --libs yaml-0.1 libxml-2.0 libzip zlib libsodium libcrypto jansson) \
		-lm -lpthread -o "$T"
'

# hashes FILE: the tool's nine ways each beside sha256sum's, all the same
hashes() {
	want=$(sha256sum < "$1" | cut -d" " -f1) &&
	"$T" "$1" > got &&
	test "$(wc -l < got)" = 9 &&
	for way in hex raw pieces-1 pieces-3 pieces-55 pieces-63 pieces-64 pieces-65 pieces-4099; do
		echo "$way $want"
	done > want &&
	test_cmp want got
}

test_expect_success 'empty, abc and the lengths around a block and its padding' '
	: > empty && hashes empty &&
	printf abc > abc && hashes abc &&
	test "$(head -1 got)" = "hex ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" &&
	for n in 1 55 56 63 64 65 119 120 127 128 129 4099; do
		head -c $n /dev/zero | tr "\0" "x" > f$n && hashes f$n || return 1
	done
'

test_expect_success 'a megabyte of random bytes' '
	head -c 1048577 /dev/urandom > big && hashes big
'

# bound FILE: the OpenSSL functions the loader bound for libstegc.so's
# calls in a traced run, one a line (libcrypto's bindings of its own
# functions, made when it is loaded, are not stegc's calls)
bound() {
	grep "binding file [^ ]*/libstegc\.so .*/libcrypto" "$1" |
		sed -n "s/.*normal symbol .\([A-Za-z0-9_]*\).*/\1/p" | sort -u
}

test_expect_success 'check (afresh and from its cache), inspect and verify hash with no EVP call' '
	cp -R "$SRC/tests/golden/base" p &&
	"$STEGC" build -q p -o p.steg &&
	LD_DEBUG=bindings "$STEGC" check --no-cache -q p > out 2> trace &&
	bound trace > got && ! grep "^EVP_" got &&
	for c in "check -q p" "check -q p" "inspect p.steg" "verify p.steg"; do
		LD_DEBUG=bindings "$STEGC" $c > out 2> trace &&
		bound trace > got && grep -q "^SHA256_Final$" got &&
		! grep "^EVP_" got || return 1
	done
'

test_done
