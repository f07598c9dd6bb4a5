# tests/tools/progxml-tool.sh — sourced by the t04xx tests after lib.sh:
# build tests/tools/progxml-tool.c against the core library of the build
# under test (the sanitizer build gets the sanitizers too) into
# $TRASH_ROOT/progxml-tool, and make $PXT name it.
PXT=$TRASH_ROOT/progxml-tool
build_progxml_tool() {
	san=
	case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
	# shellcheck disable=SC2046
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
		-I"$SRC/core" -I"$SRC/$STEG_BUILD/gen" \
		$(pkg-config --cflags libxml-2.0) \
		"$SRC/tests/tools/progxml-tool.c" "$SRC/$STEG_BUILD/libstegcore.a" \
		$(pkg-config --libs yaml-0.1 libxml-2.0 libzip zlib libsodium libcrypto jansson) \
		-lmagic -lm -lpthread -o "$PXT"
}
export PXT
