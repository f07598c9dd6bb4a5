#!/bin/sh
# bench/run.sh — `make bench`: how fast and how lean is `stegc build`
# compared with the unavoidable work on the same input?
#
# Builds bench/baseline.c with cc and pkg-config (it is not part of `make`),
# generates programs of 10, 100 and 1,000 modules with bench/gen.py into a
# scratch folder (never committed), builds each with stegc and with the
# baseline RUNS times, alternating, and prints per size: the median wall
# time of each and their ratio, the median CPU time (user + system) and
# its ratio — the steadier figure on a shared machine — and each one's peak
# resident memory (bench/measure.py, one os.wait4 per run).  Text entries
# are deflated at level 1, stegc's default (core/bundle.h), by both.
#
# The same program is also built by Hugo (Debian's hugo, installed here
# through scripts/install-deps.sh when missing), its modules copied into a
# minimal site by bench/hugo_site.sh: the three builds alternate in one
# measurement, and "Hugo/st" is Hugo's median divided by stegc's, how many
# times faster stegc is.
#
# The targets (issue 2): at the largest size stegc within 1.5x of the
# baseline's time and under 64 MB of peak memory.  The script exits 1 when
# a build fails or one of these is missed, so that CI can run it.  Issue
# 14's targets against Hugo (wall time at least 6x faster at 10 modules,
# 4x at 1,000) are marked on their rows and summed up in a last line, and
# do not change the exit code.
#
# Environment: STEG_BUILD (build folder, default build), BENCH_DIR (scratch,
# default a fresh $TMPDIR/steg-bench.XXXXXX), BENCH_SIZES (default "10 100 1000"),
# BENCH_RUNS (default 5), BENCH_KEEP=1 keeps the scratch folder,
# BENCH_CHECK=0 skips the check figures, BENCH_OLD_STEGC=PATH measures an
# older stegc's check beside them,
# BENCH_REGISTRY=0 skips bench/registry.sh (the registry's own benchmark,
# run after this one when it exists), BENCH_SERVE=0 skips bench/serve.sh (steg
# serve under load, docs/benchmarks.md), BENCH_HUGO=0 leaves Hugo out (also
# left out, with a note, when it cannot be installed), BENCH_CALLGRIND=1
# adds instruction counts at the largest size (valgrind; minutes).
set -eu
cd "$(dirname "$0")/.."
: "${STEG_BUILD:=build}"
case $STEG_BUILD in /*) STEGC=$STEG_BUILD/stegc ;; *) STEGC=$PWD/$STEG_BUILD/stegc ;; esac
WORK=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/steg-bench.XXXXXX")}
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

HUGO=""
if [ "${BENCH_HUGO:-1}" != 0 ]; then
	if ! command -v hugo > /dev/null; then
		sh scripts/install-deps.sh hugo >&2 || true
	fi
	if command -v hugo > /dev/null; then
		HUGO=$(command -v hugo)
	else
		echo "bench: hugo is not installed and could not be installed; built without it (BENCH_HUGO=0 to say so)" >&2
	fi
fi
hugo_v=""
[ -z "$HUGO" ] || hugo_v=", hugo $("$HUGO" version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')"

echo "stegc $("$STEGC" --version | cut -d' ' -f2)$hugo_v, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), median of $RUNS alternating runs, deflate level 1"
printf '%8s %7s | %40s | %40s | %24s\n' "" "" "wall s" "cpu s" "peak MB"
printf '%8s %7s | %7s %8s %7s %7s %7s | %7s %8s %7s %7s %7s | %7s %8s %7s\n' modules input \
	stegc baseline Hugo st/base Hugo/st stegc baseline Hugo st/base Hugo/st stegc baseline Hugo
status=0
hugo_miss=""
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
	hugo_cmd=""
	if [ -n "$HUGO" ]; then
		sh bench/hugo_site.sh "$dir" "$WORK/h$n"
		if ! "$HUGO" --source "$WORK/h$n" --destination "$WORK/h$n.out" --quiet > "$WORK/h$n.log" 2>&1; then
			echo "bench: hugo build of $n modules failed:" >&2
			head -n 40 "$WORK/h$n.log" >&2
			status=1
			continue
		fi
		hugo_cmd="-- $HUGO --source $WORK/h$n --destination $WORK/h$n.out --quiet"
	fi
	# shellcheck disable=SC2086
	r=$(python3 bench/measure.py "$RUNS" "$STEGC" build "$dir" -o "$WORK/p$n.steg" \
		-- "$WORK/baseline" "$dir" "$WORK/b$n.zip" $hugo_cmd) || { status=1; continue; }
	set -- $r
	line=$(awk -v n="$n" -v kin="$kb_in" -v sw="$1" -v sc="$2" -v sk="$3" \
		-v bw="$4" -v bc="$5" -v bk="$6" -v hw="${7:-}" -v hc="${8:-}" -v hk="${9:-}" \
		-v maxr="$MAX_RATIO" -v maxk="$MAX_KB" 'BEGIN {
		rw = sw / bw; rc = sc / bc
		if (hw != "") {
			fw = sprintf("%6.2fx", hw / sw); fc = sprintf("%6.2fx", hc / sc)
			hws = sprintf("%7.3f", hw); hcs = sprintf("%7.3f", hc); hks = sprintf("%7.1f", hk / 1024)
		} else {
			fw = fc = hws = hcs = hks = "      -"
		}
		printf "%8d %5.1fMB | %7.3f %8.3f %s %6.2fx %s | %7.3f %8.3f %s %6.2fx %s | %7.1f %8.1f %s", n, kin / 1024, sw, bw, hws, rw, fw, sc, bc, hcs, rc, fc, sk / 1024, bk / 1024, hks
		if (rw > maxr || sk > maxk) printf "  over target"
		if (hw != "" && ((n == 10 && hw / sw < 6) || (n == 1000 && hw / sw < 4))) printf "  below Hugo target"
	}')
	echo "$line"
	case $line in *"below Hugo target"*) hugo_miss="$hugo_miss $n" ;; esac
	last=$line
done
if [ -n "${last:-}" ]; then
	case $last in *"over target"*)
		echo "bench: target missed at the largest size (time within ${MAX_RATIO}x, memory under 64 MB)"
		status=1 ;;
	*)	echo "bench: targets met at the largest size (time within ${MAX_RATIO}x, memory under 64 MB)" ;;
	esac
fi
if [ -n "$HUGO" ]; then
	if [ -n "$hugo_miss" ]; then
		echo "bench: Hugo targets (wall: 6x faster at 10 modules, 4x at 1,000) missed at:$hugo_miss modules"
	else
		echo "bench: Hugo targets (wall: 6x faster at 10 modules, 4x at 1,000) met at the sizes measured"
	fi
fi
# stegc check (issue 14): the same programs checked afresh (--no-cache)
# and again with the entry of the check cache written by the first run
# (docs/cli.md, "The check cache"), alternating; with BENCH_OLD_STEGC=PATH
# a stegc from before is measured beside them, afresh, so that one run
# compares the three.  CPU is the steadier figure on a shared
# machine.
if [ "${BENCH_CHECK:-1}" != 0 ]; then
	echo
	export XDG_CACHE_HOME="$WORK/cache"
	old=${BENCH_OLD_STEGC:-}
	# the older stegc is measured afresh too: with --no-cache when it has
	# a cache, whose entry for the folder would otherwise replace this
	# stegc's between the runs (and make both miss)
	oldargs=
	if [ -n "$old" ] && "$old" check --help 2>&1 | grep -q -- --no-cache; then
		oldargs=--no-cache
	fi
	echo "stegc check, median of $RUNS alternating runs: afresh (--no-cache) and from the cache${old:+, and $old}"
	printf '%8s | %22s | %22s | %22s | %s\n' modules "afresh wall / cpu s" "cached wall / cpu s" "before wall / cpu s" "cached faster (cpu)"
	for n in $SIZES; do
		dir=$WORK/p$n
		[ -d "$dir" ] || continue
		"$STEGC" check -q "$dir" > /dev/null 2>&1 || { echo "bench: stegc check of $n modules failed" >&2; status=1; continue; }
		# shellcheck disable=SC2086
		r=$(python3 bench/measure.py "$RUNS" "$STEGC" check --no-cache -q "$dir" \
			-- "$STEGC" check -q "$dir" ${old:+-- "$old" check $oldargs -q "$dir"}) || { status=1; continue; }
		set -- $r
		awk -v n="$n" -v fw="$1" -v fc="$2" -v cw="$4" -v cc="$5" -v ow="${7:-}" -v oc="${8:-}" 'BEGIN {
			o = ow == "" ? "-" : sprintf("%.3f / %.3f", ow, oc)
			printf "%8d | %10.3f / %-9.3f | %10.3f / %-9.3f | %22s | %.1fx\n", n, fw, fc, cw, cc, o, fc / cc
		}'
	done
fi
# Instruction counts do not depend on the machine's load: on a shared
# machine they tell more than the clock.  Callgrind runs about 50x slower.
if [ "${BENCH_CALLGRIND:-0}" = 1 ] && [ -n "${n:-}" ] && [ -d "$WORK/p$n" ]; then
	if command -v valgrind > /dev/null; then
		rm -f "$WORK"/cg.*
		valgrind --tool=callgrind --separate-threads=yes \
			--callgrind-out-file="$WORK/cg.stegc" \
			"$STEGC" build "$WORK/p$n" -o "$WORK/cg.steg" > /dev/null 2>&1
		valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.base" \
			"$WORK/baseline" "$WORK/p$n" "$WORK/cg.zip" > /dev/null 2>&1
		grep -h '^totals:' "$WORK"/cg.stegc-* | cut -d' ' -f2 > "$WORK/cg.threads"
		base=$(grep -h '^totals:' "$WORK"/cg.base* | cut -d' ' -f2 | head -n 1)
		awk -v n="$n" -v base="$base" '
			{ t[NR] = $1; total += $1; if ($1 > big) big = $1 }
			END {
				printf "\ninstructions at %d modules (callgrind; independent of load, not of time):\n", n
				printf "  stegc     %6.3f G in all, by thread:", total / 1e9
				for (i = 1; i <= NR; i++) printf " %.3f G", t[i] / 1e9
				printf "\n  baseline  %6.3f G (one thread)\n", base / 1e9
				printf "  ratio     %.2fx in all; %.2fx for the busiest thread (a lower bound for two idle cores)\n", total / base, big / base
			}' "$WORK/cg.threads"
	else
		echo "bench: BENCH_CALLGRIND=1 needs valgrind" >&2
	fi
fi
if [ "${BENCH_PREVIEW:-1}" != 0 ]; then
	STEG_BUILD=$STEG_BUILD sh bench/preview.sh || status=1
fi
if [ -f bench/registry.sh ] && [ "${BENCH_REGISTRY:-1}" != 0 ]; then
	echo
	big=""
	[ ! -f "$WORK/p1000.steg" ] || big=$WORK/p1000.steg
	STEG_BUILD=$STEG_BUILD BENCH_BUNDLE=$big sh bench/registry.sh || status=1
fi
# steg serve under load (bench/serve.sh): in a tree that builds steg-serve.
if [ "${BENCH_SERVE:-1}" != 0 ]; then
	echo
	case $STEG_BUILD in /*) sb=$STEG_BUILD ;; *) sb=$PWD/$STEG_BUILD ;; esac
	if [ -x "$sb/steg-serve" ]; then
		STEG_BUILD=$STEG_BUILD sh bench/serve.sh || status=1
	else
		echo "bench: no $sb/steg-serve in this tree: the web server's load bench is left out"
	fi
fi
exit $status
