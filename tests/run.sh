#!/bin/sh
# tests/run.sh — run every tests/tNNNN-*.sh (each prints TAP), two at a
# time, and end with the summary line "N passed, N failed" (", N skipped"
# when a test could not run here: "ok N - what # skip why", or a script's
# "1..0 # skip why", counted as one).  With STEG_NO_SKIP=1 (make check,
# which installs every tool the suite uses) a skip fails the run.
#
# Under `make check` the binaries are the sanitizer build (STEG_SAN_BUILD);
# t9xxx scripts run valgrind over the plain build.
#
#     sh tests/run.sh                        every script
#     sh tests/run.sh 't03*.sh' t0610-*.sh   the scripts these patterns name
cd "$(dirname "$0")/.." || exit 3
: "${STEG_BUILD:=build}"
: "${STEG_SAN_BUILD:=$STEG_BUILD}"
export STEG_BUILD STEG_SAN_BUILD
results=${TMPDIR:-/tmp}/steg-results.$$
mkdir -p "$results"
trap 'rm -rf "$results"' EXIT
# Each argument is a pattern of script names under tests/ (default: all;
# a leading "tests/" is allowed, so a path works too);
# a pattern that names no script is an error, so that a typo or a quoted
# list does not pass as "nothing failed".
[ $# -gt 0 ] || set -- 't[0-9]*.sh'
list=$results/list
: > "$list"
for pattern in "$@"; do
	pattern=${pattern#tests/}
	found=$(ls -d tests/$pattern 2>/dev/null | grep '^tests/t[0-9][0-9]*-.*\.sh$')
	if [ -z "$pattern" ] || [ -z "$found" ]; then
		echo "tests/run.sh: no test script matches 'tests/$pattern'" >&2
		exit 3
	fi
	echo "$found" >> "$list"
done
sort -u "$list" | xargs -P 2 -I{} sh -c '
	t={}; n=$(basename "$t" .sh)
	case "$n" in t9*) b="$STEG_BUILD" ;; *) b="$STEG_SAN_BUILD" ;; esac
	STEG_BUILD="$b" STEGC="$PWD/$b/stegc" STEG="$PWD/$b/steg" \
		timeout 900 sh "$t" > "'"$results"'/$n.tap" 2>&1
	echo $? > "'"$results"'/$n.rc"
'
passed=0; failed=0; skipped=0
for f in "$results"/*.tap; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .tap)
	s=$(grep -ciE '^ok [0-9]+( .*)? # skip|^1\.\.0 # skip' "$f")
	p=$(grep -c '^ok ' "$f"); p=$((p - $(grep -ciE '^ok [0-9]+( .*)? # skip' "$f")))
	q=$(grep -c '^not ok ' "$f")
	rc=$(cat "$results/$n.rc")
	if [ "$q" != 0 ] || [ "$rc" != 0 ]; then
		echo "--- $n (exit $rc)"; grep -v '^ok ' "$f" | head -n 80
		[ "$q" = 0 ] && q=1
	fi
	if [ "$s" != 0 ]; then
		grep -iE '# skip' "$f" | sed "s/^/$n: /"
	fi
	if [ "$s" = 0 ]; then
		echo "$n: $p passed, $q failed" >&2
	else
		echo "$n: $p passed, $q failed, $s skipped" >&2
	fi
	passed=$((passed + p)); failed=$((failed + q)); skipped=$((skipped + s))
done
if [ "$skipped" != 0 ] && [ "${STEG_NO_SKIP:-}" = 1 ]; then
	echo "STEG_NO_SKIP=1: a skipped test fails the run (install what it needs: make deps)"
fi
if [ "$skipped" = 0 ]; then
	echo "$passed passed, $failed failed"
else
	echo "$passed passed, $failed failed, $skipped skipped"
fi
[ "$failed" = 0 ] && [ "$passed" -gt 0 ] &&
	{ [ "$skipped" = 0 ] || [ "${STEG_NO_SKIP:-}" != 1 ]; }
