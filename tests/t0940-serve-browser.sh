#!/bin/sh
# steg serve in a real browser with certificate login: Debian's chromium
# driven by puppeteer-core (tests/browser/serve-main.mjs).  First the proof
# that the login works at all: a temporary HOME's NSS database holds the
# demo CA and a user's PKCS#12 file (certutil, pk12util), the profile
# auto-selects the certificate, and openssl s_server -Verify 1 sees the
# user's HSA-id.  Then, in a tree with steg serve, each role's work in a
# browser of its own (tests/browser/serve.mjs): pages clean, accessible
# (axe-core, WCAG 2.1 AA) and photographed at 375 and 1280 px into
# $STEG_BUILD/screenshots/serve-*.png; the command line agrees afterwards.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null 2>&1 || test_skip_all 'node is not installed (make deps)'
[ -x "$CHROMIUM" ] || test_skip_all "no chromium at $CHROMIUM (make deps)"
command -v certutil >/dev/null 2>&1 && command -v pk12util >/dev/null 2>&1 ||
	test_skip_all 'certutil and pk12util are not installed (libnss3-tools; make deps)'
command -v openssl >/dev/null 2>&1 || test_skip_all 'openssl is not installed (make deps)'
cmp -s "$SRC/tests/browser/package-lock.json" \
	"$SRC/tests/browser/node_modules/.steg-package-lock.json" ||
	test_skip_all 'the npm packages of tests/browser are missing or stale (make deps)'
case $STEG_BUILD in /*) b=$STEG_BUILD ;; *) b=$SRC/$STEG_BUILD ;; esac
STEG_SCREENSHOTS=$b/screenshots
export CHROMIUM STEG_SCREENSHOTS

cd "$TRASH_ROOT" &&
sh "$SRC/scripts/demo-certs.sh" "$TRASH_ROOT/certs" "$ADMIN=Anna Admin" \
	"$PUB=Pia Utgivare" "$CLIN1=Cilla Behandlare" > certs.log 2>&1 ||
	{ echo "Bail out! cannot make the certificates"; cat certs.log; exit 1; }
parts=
if [ -x "$(dirname "$STEG")/steg-serve" ] && [ -f "$SRC/tests/browser/serve.mjs" ]; then
	parts=serve
	make_bundles && setup_imported &&
	"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
	{ "$STEG" sync "$TRASH_ROOT/nochannel" --as $PUB > /dev/null 2>&1; test $? = 1; } ||
		{ echo "Bail out! cannot set up the registry"; exit 1; }
	STEG_DB=$TRASH_ROOT/steg.db
	SERVE_USERS="{\"clinician\": \"$CLIN1\", \"publisher\": \"$PUB\", \"admin\": \"$ADMIN\",
		\"UNIT\": \"$U1\", \"OTHER_UNIT\": \"$U2\", \"PROGRAM\": \"$V1\", \"APPROVE\": \"$V2\",
		\"CHANNEL\": \"$TRASH_ROOT/nochannel\", \"KEY_FILE\": \"$BUNDLES/other.pub\",
		\"PARTNER\": \"SE2321000024-0002\"}"
	export STEG STEG_DB SERVE_USERS
else
	echo "# no steg-serve beside $STEG: the client-certificate proof only"
fi
HOME=$TRASH_ROOT node "$SRC/tests/browser/serve-main.mjs" "$TRASH_ROOT/certs" "$CLIN1" $parts
