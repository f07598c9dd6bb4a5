#!/bin/sh
# bench/preview.sh — `make bench`, part 3: how soon an edit reaches the
# browser under `stegc preview` (issue 11's target: 50 ms at 1,000
# modules).  For each size, bench/gen.py makes a program, stegc preview
# serves it on a free port, and bench/reload.py listens to /events and
# edits a module EDITS times, each time measuring from just before the
# write to the "reload" event reaching it: the median and the worst.
#
# Environment: STEG_BUILD (default build), BENCH_DIR (scratch),
# BENCH_SIZES (default "10 100 1000"), BENCH_EDITS (default 20),
# BENCH_KEEP=1 keeps the scratch folder.  Exits 1 when a server does not
# start, an edit brings no reload, or the median at the largest size is
# over 50 ms.
set -eu
cd "$(dirname "$0")/.."
: "${STEG_BUILD:=build}"
case $STEG_BUILD in /*) STEGC=$STEG_BUILD/stegc ;; *) STEGC=$PWD/$STEG_BUILD/stegc ;; esac
WORK=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/steg-bench-preview.XXXXXX")}
SIZES=${BENCH_SIZES:-10 100 1000}
EDITS=${BENCH_EDITS:-20}
TARGET_MS=50
unset STEG_ARENA_DEBUG
mkdir -p "$WORK"
pid=
cleanup() {
	if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || :; wait "$pid" 2>/dev/null || :; fi
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

echo
echo "stegc preview: edit to reload event, $EDITS edits per size, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%8s | %10s %10s\n' modules "median ms" "worst ms"
status=0
last=
for n in $SIZES; do
	dir=$WORK/live$n
	rm -rf "$dir"
	python3 bench/gen.py "$dir" "$n"
	: > "$WORK/url$n"
	"$STEGC" preview --port 0 "$dir" > "$WORK/url$n" 2> "$WORK/err$n" &
	pid=$!
	i=0
	while ! grep -q "^Preview of" "$WORK/url$n"; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
			echo "bench: stegc preview of $n modules did not start:" >&2
			head -n 20 "$WORK/err$n" >&2
			exit 1
		fi
		sleep 0.1
	done
	url=$(sed -n 's/^Preview of .* at //p' "$WORK/url$n")
	if r=$(python3 bench/reload.py "$url" "$dir" "$EDITS"); then
		set -- $r
		printf '%8d | %10.1f %10.1f\n' "$n" "$1" "$2"
		last=$1
	else
		status=1
	fi
	kill -TERM "$pid"
	wait "$pid" || status=1
	pid=
done
if [ -n "$last" ]; then
	if awk -v m="$last" -v t="$TARGET_MS" 'BEGIN { exit !(m > t) }'; then
		echo "bench: edit to reload over ${TARGET_MS} ms at the largest size"
		status=1
	else
		echo "bench: edit to reload within ${TARGET_MS} ms at the largest size"
	fi
fi
exit $status
