#!/bin/sh
# The registry's cache of prepared statements (runtime/db.c): a statement
# taken from it is as if prepared afresh — the same SQL used twice at
# once gives two statements, values are bound anew (none left from the
# last use), more statements than it holds all answer right, a statement
# handed back holds no snapshot (another connection's rows and schema
# change are seen), and a failing statement fails as before.  The TAP
# lines come from tests/tools/stmt-cache.c, built against the runtime's
# data layer.
. "$(dirname "$0")/lib.sh"

B=$SRC/$STEG_BUILD
TOOL=$TRASH_ROOT/stmt-cache
for o in registry db db_schema; do
	[ -f "$B/runtime/$o.o" ] || test_skip_all "no $B/runtime/$o.o (make first)"
done
san=
case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
# shellcheck disable=SC2046,SC2086
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
	-Wall -Wextra -Werror -I"$SRC/core" -I"$SRC/runtime" \
	"$SRC/tests/tools/stmt-cache.c" "$B/runtime/registry.o" "$B/runtime/db.o" \
	"$B/runtime/db_schema.o" "$B/libstegcore.a" \
	$(pkg-config --libs sqlite3 yaml-0.1 libxml-2.0 libzip libsodium libcrypto jansson) \
	-lmagic -lm -lpthread -o "$TOOL" 2> "$TRASH_ROOT/cc.err" ||
	{ echo "Bail out! the test tool does not build: $(cat "$TRASH_ROOT/cc.err")"; exit 1; }
"$TOOL" "$TRASH_ROOT/cache.db"
