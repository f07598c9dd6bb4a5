#!/bin/sh
# steg serve's registry connections under concurrent requests
# (tests/tools/serve_pool.py): writers on many kept-alive connections at
# once (they take turns and share their syncs: runtime/registry.h,
# RT_OPEN_SHARED) each get 200 and exactly one audit row, and the chain
# holds; a user deactivated by the command line, or moved to another unit
# on the web, is refused, or sees the new unit, on the very next request
# on a connection kept alive from before.  The TAP lines come from
# python3.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"
. "$SRC/tests/serve-lib.sh"
serve_test_begin
units="$U1 $U2"
make_bundles && make_certs && setup_imported &&
for u in 3 4 5 6; do
	"$STEG" unit add SE2321000016-U00$u --name "Vårdcentral $u" --as $ADMIN > /dev/null || exit 1
	units="$units SE2321000016-U00$u"
done &&
"$STEG" publish $V1 --all-units --as $PUB > /dev/null ||
	{ echo "Bail out! setup failed"; exit 1; }
# shellcheck disable=SC2086
python3 "$SRC/tests/tools/serve_pool.py" "$STEG" "$STEG_DB" "$CERTS" "$ADMIN" \
	"$CLIN1" "$CLIN2" "$V1" $units
