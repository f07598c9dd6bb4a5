#!/bin/sh
# Install the browser tests' npm packages (tests/browser/package.json, at
# the exact versions of its package-lock.json) into tests/browser/node_modules
# when that folder is missing or was installed from another lock file.
# puppeteer-core drives Debian's /usr/bin/chromium: no browser is downloaded.
set -e
cd "$(dirname "$0")/../tests/browser"
stamp=node_modules/.steg-package-lock.json
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
	exit 0
fi
echo "npm ci in tests/browser"
export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
