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

registry_tool stmt-cache
"$TRASH_ROOT/stmt-cache" "$TRASH_ROOT/cache.db"
