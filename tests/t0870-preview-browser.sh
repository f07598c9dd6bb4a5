#!/bin/sh
# The preview in a real browser: Debian's chromium driven by puppeteer-core
# (tests/browser/, npm packages locked in tests/browser/package-lock.json
# and installed by `make deps`).  The TAP lines come from node: first the
# self-test (each detector sees a fault planted in a static page), then
# `stegc preview` on the examples, then the panel and live reload on a copy
# of examples/depression (live.mjs).  Screenshots go to
# $STEG_BUILD/screenshots/.  docs/testing.md describes the run.
. "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null 2>&1 || test_skip_all 'node is not installed (make deps)'
[ -x "$CHROMIUM" ] || test_skip_all "no chromium at $CHROMIUM (make deps)"
cmp -s "$SRC/tests/browser/package-lock.json" \
	"$SRC/tests/browser/node_modules/.steg-package-lock.json" ||
	test_skip_all 'the npm packages of tests/browser are missing or stale (make deps)'
case $STEG_BUILD in /*) b=$STEG_BUILD ;; *) b=$SRC/$STEG_BUILD ;; esac
STEG_SCREENSHOTS=$b/screenshots
export CHROMIUM STEG_SCREENSHOTS
# The preview checks run wherever the tree has the command (compiler/
# preview.c); a tree from before it runs the self-test alone and says so.
parts=
if [ ! -f "$SRC/compiler/preview.c" ]; then
	echo "# no compiler/preview.c in this tree: the self-test only"
	parts=selftest
fi
# The servers and chromium run in the scratch folder: nothing is left behind.
cd "$TRASH_ROOT" && HOME=$TRASH_ROOT node "$SRC/tests/browser/main.mjs" $parts
