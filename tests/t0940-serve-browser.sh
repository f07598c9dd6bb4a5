#!/bin/sh
# steg serve in a real browser with certificate login: Debian's chromium
# driven by puppeteer-core (tests/browser/serve-main.mjs).  First the proof
# that the login works at all: a temporary HOME's NSS database holds the
# demo CA and a user's PKCS#12 file (certutil, pk12util), the profile
# auto-selects the certificate, and openssl s_server -Verify 1 sees the
# user's HSA-id.  Then, in a tree with steg serve, the roles' work in the
# browser (tests/browser/serve.mjs).  Screenshots go to
# $STEG_BUILD/screenshots/.
. "$(dirname "$0")/lib.sh"

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

ADMIN=SE2321000099-A001 PUB=SE2321000099-P001 DOC=SE2321000099-K001
sh "$SRC/scripts/demo-certs.sh" "$TRASH_ROOT/certs" "$ADMIN=Anna Admin" \
	"$PUB=Per Utgivare" "$DOC=Karin Behandlare" > "$TRASH_ROOT/certs.log" 2>&1 || {
	echo "not ok 1 - demo certificates"; sed 's/^/#   /' "$TRASH_ROOT/certs.log"; echo "1..1"; exit 1; }
parts=
if [ -f "$SRC/tests/browser/serve.mjs" ] && "$STEG" serve --help >/dev/null 2>&1; then
	parts=serve
else
	echo "# no steg serve in this tree: the client-certificate proof only"
fi
cd "$TRASH_ROOT" && HOME=$TRASH_ROOT node "$SRC/tests/browser/serve-main.mjs" \
	"$TRASH_ROOT/certs" "$DOC" $parts
