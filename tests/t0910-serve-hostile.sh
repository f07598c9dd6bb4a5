#!/bin/sh
# steg serve against hostile HTTP clients (tests/tools/serve_hostile.py):
# oversized headers and bodies, slowloris and half-open connections, path
# traversal (.., %2e%2e, encoded slashes), malformed multipart uploads, a
# zip bomb bundle.  Each is refused with its status; the server still
# answers another client (a bounded, polled wait); the registry is
# unchanged but for refusal rows in the audit log; SIGTERM stops it
# cleanly.  The TAP lines come from python3.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"

command -v openssl >/dev/null 2>&1 || test_skip_all 'openssl is not installed (make deps)'
[ -x "$(dirname "$STEG")/steg-serve" ] || test_skip_all "no steg-serve beside $STEG"

cd "$TRASH_ROOT" &&
make_bundles && setup_registry &&
sh "$SRC/scripts/demo-certs.sh" certs "$CLIN1=Cilla Behandlare" "$PUB=Pia Utgivare" \
	"$ADMIN=Anna Admin" > certs.log 2>&1 &&
python3 "$SRC/tests/tools/bundlecraft.py" "$BUNDLES/base.steg" "$BUNDLES/bomb.steg" \
	bomb pages/bomb.xhtml 50000000 ||
	{ echo "Bail out! cannot set up the registry, the certificates or the bundles"; cat certs.log; exit 1; }
# The upload checks run where the server has its bundle upload.
if grep -q '"/api/v1/imports"' "$SRC"/runtime/serve/*.c; then
	STEG_SERVE_UPLOAD=/api/v1/imports
	export STEG_SERVE_UPLOAD
fi
# Each hostile request is reported by one TAP line of python's.
python3 "$SRC/tests/tools/serve_hostile.py" "$STEG" "$TRASH_ROOT/steg.db" \
	"$TRASH_ROOT/certs" "$CLIN1" "$PUB" "$BUNDLES"
