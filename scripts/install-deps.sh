#!/bin/sh
# Install the Debian packages that Steg builds and tests with, if any is
# missing, then the browser tests' npm packages (scripts/install-npm-deps.sh).
# Runs apt-get as root, or through sudo.  With arguments, only those Debian
# packages, if missing (bench/run.sh: `install-deps.sh hugo`).
# gettext compiles and checks the message catalogues (po/); locales only
# provides the locale sources that tests/t0061 compiles with localedef into
# its own folder: no locale is generated system-wide (docs/diagnostics.md).
# strace: tests/t0821 reads which files `steg publish` opens and that it
# syncs what it wrote before it exits; t0061, that stegc under C.UTF-8
# reads no locale file.
set -e
PKGS="build-essential pkg-config libyaml-dev libcmark-dev libxml2-dev libxml2-utils
libzip-dev zlib1g-dev libsqlite3-dev sqlite3 libsodium-dev libssl-dev libjansson-dev
libcurl4-openssl-dev libmicrohttpd-dev libgnutls28-dev libmagic-dev minisign unzip zip python3
python3-yaml python3-jsonschema valgrind chromium hugo openssl libnss3-tools
groff-base bsdutils coreutils gettext locales strace"
[ $# = 0 ] || PKGS="$*"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# Node.js and npm are looked for as commands, not as Debian packages: a
# machine may have them from another Debian-format source whose nodejs
# ships npm itself and conflicts with Debian's npm package.
if [ $# = 0 ]; then
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
if [ -n "$missing" ]; then
	echo "installing:$missing"
	if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq $missing
fi
[ $# = 0 ] || exit 0
exec sh "$(dirname "$0")/install-npm-deps.sh"
