#!/bin/sh
# tests/run.sh — run every tests/tNNNN-*.sh (each prints TAP), two at a
# time, and end with the summary line "N passed, N failed".
#
# Under `make check` the binaries are the sanitizer build (STEG_SAN_BUILD);
# t9xxx scripts run valgrind over the plain build.
cd "$(dirname "$0")/.." || exit 3
: "${STEG_BUILD:=build}"
: "${STEG_SAN_BUILD:=$STEG_BUILD}"
export STEG_BUILD STEG_SAN_BUILD
results=${TMPDIR:-/tmp}/steg-results.$$
mkdir -p "$results"
trap 'rm -rf "$results"' EXIT
pattern=${1:-t[0-9]*.sh}
ls tests/$pattern 2>/dev/null | sort | xargs -P 2 -I{} sh -c '
	t={}; n=$(basename "$t" .sh)
	case "$n" in t9*) b="$STEG_BUILD" ;; *) b="$STEG_SAN_BUILD" ;; esac
	STEG_BUILD="$b" STEGC="$PWD/$b/stegc" STEG="$PWD/$b/steg" \
		timeout 900 sh "$t" > "'"$results"'/$n.tap" 2>&1
	echo $? > "'"$results"'/$n.rc"
'
passed=0; failed=0
for f in "$results"/*.tap; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .tap)
	p=$(grep -c '^ok ' "$f"); q=$(grep -c '^not ok ' "$f")
	rc=$(cat "$results/$n.rc")
	if [ "$q" != 0 ] || [ "$rc" != 0 ]; then
		echo "--- $n (exit $rc)"; grep -v '^ok ' "$f" | head -n 80
		[ "$q" = 0 ] && q=1
	fi
	echo "$n: $p passed, $q failed" >&2
	passed=$((passed + p)); failed=$((failed + q))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
