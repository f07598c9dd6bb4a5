#!/bin/sh
# Install the Debian packages that Steg builds and tests with, if any is
# missing.  Runs apt-get as root, or through sudo.
set -e
PKGS="build-essential pkg-config libyaml-dev libcmark-dev libxml2-dev libxml2-utils
libzip-dev libsqlite3-dev sqlite3 libsodium-dev libssl-dev libjansson-dev
libcurl4-openssl-dev libmicrohttpd-dev libmagic-dev minisign unzip zip python3
python3-yaml python3-jsonschema valgrind
groff-base bsdutils coreutils"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing
