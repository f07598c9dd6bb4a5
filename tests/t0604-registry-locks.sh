#!/bin/sh
# A second connection to a registry in one process leaves the first one's
# locks on the file: closing any descriptor of a file drops every POSIX
# lock the process holds on it, SQLite's included, and another process
# could then take a registry that steg serve is writing as unused,
# checkpoint it and remove the -wal file the server's other connections
# still write to: their commits, answered 200, then seen by no other
# process and lost if the server is killed.  The TAP lines come from
# tests/tools/reg-locks.c, built against the runtime's data layer; the
# locks are read from /proc/locks.
. "$(dirname "$0")/lib.sh"

B=$SRC/$STEG_BUILD
[ -r /proc/locks ] || test_skip_all "no /proc/locks to read the locks from"
TOOL=$TRASH_ROOT/reg-locks
for o in registry db db_schema; do
	[ -f "$B/runtime/$o.o" ] || test_skip_all "no $B/runtime/$o.o (make first)"
done
san=
case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
# shellcheck disable=SC2046,SC2086
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
	-Wall -Wextra -Werror -I"$SRC/core" -I"$SRC/runtime" \
	"$SRC/tests/tools/reg-locks.c" "$B/runtime/registry.o" "$B/runtime/db.o" \
	"$B/runtime/db_schema.o" "$B/libstegcore.a" \
	$(pkg-config --libs sqlite3 yaml-0.1 libxml-2.0 libzip libsodium libcrypto jansson) \
	-lmagic -lm -lpthread -o "$TOOL" 2> "$TRASH_ROOT/cc.err" ||
	{ echo "Bail out! the test tool does not build: $(cat "$TRASH_ROOT/cc.err")"; exit 1; }
"$TOOL" "$TRASH_ROOT/locks.db"
