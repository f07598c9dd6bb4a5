#!/bin/sh
# Install what `make fuzz` needs beyond scripts/install-deps.sh: clang and
# its runtime libraries (libFuzzer, AddressSanitizer, UBSan), if missing.
# Kept apart so that building and `make check` never need clang.
set -e
PKGS="clang libclang-rt-14-dev"
if command -v clang >/dev/null 2>&1 &&
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' |
	clang -fsanitize=fuzzer,address,undefined -x c - -o /dev/null 2>/dev/null; then
	exit 0
fi
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
