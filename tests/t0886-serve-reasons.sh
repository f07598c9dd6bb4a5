#!/bin/sh
# t0886-serve-reasons: the tables a refusal is worded from (docs/serve.md,
# "Reasons"): runtime/why.c's English templates, which the command line,
# the audit log and the API's detail_en say, and runtime/serve/words.c's
# Swedish ones, which steg serve's pages and the API's detail say.  Every
# code has both, each naming only its own arguments, and no Swedish one
# tells the user to type a command; a code stays with its own message
# on the registry handle and no other.  The TAP lines come from
# tests/tools/why-tables.c, built against the two tables.
. "$(dirname "$0")/lib.sh"

registry_tool why-tables runtime/serve/words.o
"$TRASH_ROOT/why-tables" "$TRASH_ROOT/scratch.db"
