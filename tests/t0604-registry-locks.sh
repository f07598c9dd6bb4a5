#!/bin/sh
# A second connection to a registry in one process leaves the first one's
# locks on the file: closing any descriptor of a file drops every POSIX
# lock the process holds on it, SQLite's included, and another process
# could then take a registry that steg serve is writing as unused,
# checkpoint it and remove the -wal file the server's other connections
# still write to: their commits, answered 200, then seen by no other
# process and lost if the server is killed.  The TAP lines come from
# tests/tools/reg-locks.c, built against the runtime's data layer; the
# locks are read from /proc/locks.  Also: two readers of a whole file in
# one process each keep their own lock (an open file description lock),
# which stops another process from rewriting the file while they read.
. "$(dirname "$0")/lib.sh"

[ -r /proc/locks ] || test_skip_all "no /proc/locks to read the locks from"
registry_tool reg-locks
"$TRASH_ROOT/reg-locks" "$TRASH_ROOT/locks.db"
