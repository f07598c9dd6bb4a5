#!/bin/sh
# bench/run.sh — `make bench`: how fast and how lean is `stegc build`
# compared with the unavoidable work on the same input?
#
# Builds bench/baseline.c with cc and pkg-config (it is not part of `make`),
# generates programs of 10, 100 and 1,000 modules with bench/gen.py into a
# scratch folder (never committed), builds each with stegc and with the
# baseline RUNS times, and prints per size: the median wall time of each,
# their ratio, and each one's peak resident memory (bench/measure.py, one
# os.wait4 per run).  Text entries are deflated at level 6 by both.
#
# The targets (issue 2): at the largest size stegc within 1.5x of the
# baseline's time and under 64 MB of peak memory.  The script exits 1 when
# a build fails or a target is missed, so that CI can run it.
#
# Environment: STEG_BUILD (build folder, default build), BENCH_DIR (scratch,
# default $TMPDIR/steg-bench), BENCH_SIZES (default "10 100 1000"),
# BENCH_RUNS (default 5), BENCH_KEEP=1 keeps the scratch folder.
set -eu
cd "$(dirname "$0")/.."
: "${STEG_BUILD:=build}"
STEGC=$PWD/$STEG_BUILD/stegc
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/steg-bench}
SIZES=${BENCH_SIZES:-10 100 1000}
RUNS=${BENCH_RUNS:-5}
MAX_RATIO=1.5
MAX_KB=65536
unset STEG_ARENA_DEBUG
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

if [ ! -x "$STEGC" ]; then
	echo "bench: '$STEGC' is missing; run make first" >&2
	exit 3
fi
mkdir -p "$WORK"
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

PKGS="yaml-0.1 libcmark libzip libcrypto"
# shellcheck disable=SC2046
cc -std=c11 -O2 -Wall -Wextra -o "$WORK/baseline" bench/baseline.c \
	$(pkg-config --cflags --libs $PKGS)

echo "stegc $("$STEGC" --version | cut -d' ' -f2), $(nproc) cores, median of $RUNS runs, deflate level 6"
printf '%8s %9s %10s %10s %7s %11s %11s\n' modules "input" "stegc s" \
	"baseline s" ratio "stegc MB" "baseline MB"
status=0
for n in $SIZES; do
	dir=$WORK/p$n
	rm -rf "$dir"
	python3 bench/gen.py "$dir" "$n"
	kb_in=$(du -sk "$dir" | cut -f1)
	# One build outside the measurement: it must succeed with no errors.
	if ! "$STEGC" build "$dir" -o "$WORK/p$n.steg" > "$WORK/p$n.log" 2>&1; then
		echo "bench: stegc build of $n modules failed:" >&2
		head -n 40 "$WORK/p$n.log" >&2
		status=1
		continue
	fi
	s=$(python3 bench/measure.py "$RUNS" "$STEGC" build "$dir" -o "$WORK/p$n.steg") || { status=1; continue; }
	b=$(python3 bench/measure.py "$RUNS" "$WORK/baseline" "$dir" "$WORK/b$n.zip") || { status=1; continue; }
	set -- $s $b
	line=$(awk -v n="$n" -v kin="$kb_in" -v st="$1" -v sk="$2" -v bt="$3" -v bk="$4" \
		-v maxr="$MAX_RATIO" -v maxk="$MAX_KB" 'BEGIN {
		r = st / bt
		printf "%8d %7.1fMB %10.3f %10.3f %6.2fx %11.1f %11.1f", n, kin / 1024, st, bt, r, sk / 1024, bk / 1024
		if (r > maxr || sk > maxk) printf "  over target"
	}')
	echo "$line"
	last=$line
done
if [ -n "${last:-}" ]; then
	case $last in *"over target"*)
		echo "bench: target missed at the largest size (time within ${MAX_RATIO}x, memory under 64 MB)"
		status=1 ;;
	*)	echo "bench: targets met at the largest size (time within ${MAX_RATIO}x, memory under 64 MB)" ;;
	esac
fi
if [ -f bench/registry.sh ]; then
	echo
	STEG_BUILD=$STEG_BUILD sh bench/registry.sh || status=1
fi
exit $status
