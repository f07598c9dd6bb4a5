#!/bin/sh
# bench/registry.sh — the registry's share of `make bench` (bench/run.sh
# calls it): how long `steg import` of the 1,000-module bundle takes, and
# the time per command of 10,000 publish and activate commands, each one a
# process with its own transaction, fsync and audit row, as a region's
# scripts would run them.
#
# The 10,000: BENCH_REG_VERSIONS (default 25) versions of a small program,
# each published to and then activated at each of BENCH_REG_UNITS (default
# 200) care units — half publishes, half activations, every activation after
# the first at a unit replacing the version running there.  The setup
# (units, imports, approvals) is not measured.
#
# Then start-up: `stegc --version`, `steg --version`, `steg list` and
# `steg publish` of one more version (to a new unit each run) on that
# registry, and again on a registry like the demo's (scripts/demo.sh: the
# three examples, two units), each beside /bin/true, alternating,
# BENCH_START_RUNS times (default 101, at most the number of units),
# medians (bench/measure.py); the target (issue 14) is 5 ms of wall time
# for each of these on the demo's registry.
#
# Environment: STEG_BUILD (default build), BENCH_DIR (scratch, default a
# fresh $TMPDIR/steg-bench-reg.XXXXXX, removed unless BENCH_KEEP=1),
# BENCH_BUNDLE (an already built 1,000-module bundle; default: generate it
# with bench/gen.py and build it), BENCH_REG_RUNS (imports timed, default 3).
# Exit 0, or 1 when a command fails.
set -eu
cd "$(dirname "$0")/.."
: "${STEG_BUILD:=build}"
case $STEG_BUILD in /*) B=$STEG_BUILD ;; *) B=$PWD/$STEG_BUILD ;; esac
STEGC=$B/stegc
STEG=$B/steg
UNITS=${BENCH_REG_UNITS:-200}
VERSIONS=${BENCH_REG_VERSIONS:-25}
RUNS=${BENCH_REG_RUNS:-3}
WORK=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/steg-bench-reg.XXXXXX")}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
unset STEG_DB STEG_ARENA_DEBUG

for x in "$STEGC" "$STEG"; do
	if [ ! -x "$x" ]; then
		echo "bench: '$x' is missing; run make first" >&2
		exit 3
	fi
done
mkdir -p "$WORK"
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

REGION=SE2321000016-0001
ADMIN=SE2321000016-A001
PUB=SE2321000016-P001

now_ns() { date +%s%N; }

fresh_registry() {
	rm -f "$1" "$1-wal" "$1-shm"
	"$STEG" --db "$1" init --region $REGION --name "Region Bench" --admin $ADMIN > /dev/null
	"$STEG" --db "$1" user add $PUB --name "Pia Utgivare" --role publisher --as $ADMIN > /dev/null
}

echo "steg registry: WAL, each command's commit synced before it exits (docs/registry.md), one process and one transaction per command"

# ---- import of the 1,000-module bundle ----
big=${BENCH_BUNDLE:-}
if [ -z "$big" ]; then
	python3 bench/gen.py "$WORK/p1000" 1000
	"$STEGC" build -q "$WORK/p1000" -o "$WORK/p1000.steg"
	big=$WORK/p1000.steg
fi
size_kb=$(( $(wc -c < "$big") / 1024 ))
times=""
i=0
while [ $i -lt "$RUNS" ]; do
	fresh_registry "$WORK/imp.db"
	t0=$(now_ns)
	"$STEG" --db "$WORK/imp.db" import "$big" --as $PUB --allow-unsigned > /dev/null
	t1=$(now_ns)
	times="$times $(( (t1 - t0) / 1000 ))"
	i=$((i + 1))
done
med=$(echo $times | tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
printf 'import of 1,000 modules (%d KB bundle): %.3f s (median of %d, each into a fresh registry)\n' \
	"$size_kb" "$(echo "$med" | awk '{ print $1 / 1e6 }')" "$RUNS"

# ---- 10,000 publish and activate commands ----
DB=$WORK/reg.db
fresh_registry "$DB"
u=1
while [ $u -le "$UNITS" ]; do
	"$STEG" --db "$DB" unit add "SE2321000016-U$(printf %04d $u)" --name "Enhet $u" --as $ADMIN > /dev/null
	u=$((u + 1))
done
v=1
while [ $v -le $((VERSIONS + 1)) ]; do
	rm -rf "$WORK/src"
	cp -R tests/golden/base "$WORK/src"
	sed "s/^version: 1.0.0$/version: 1.$v.0/" tests/golden/base/program.yaml > "$WORK/src/program.yaml"
	"$STEGC" build -q "$WORK/src" -o "$WORK/v$v.steg"
	"$STEG" --db "$DB" import "$WORK/v$v.steg" --as $PUB --allow-unsigned > /dev/null
	"$STEG" --db "$DB" approve "se.test.bas@1.$v.0" --as $PUB > /dev/null
	v=$((v + 1))
done

pub_ns=0
act_ns=0
n=0
v=1
while [ $v -le "$VERSIONS" ]; do
	t0=$(now_ns)
	u=1
	while [ $u -le "$UNITS" ]; do
		"$STEG" --db "$DB" publish "se.test.bas@1.$v.0" --unit "SE2321000016-U$(printf %04d $u)" --as $PUB > /dev/null
		u=$((u + 1))
	done
	t1=$(now_ns)
	u=1
	while [ $u -le "$UNITS" ]; do
		"$STEG" --db "$DB" activate "se.test.bas@1.$v.0" --unit "SE2321000016-U$(printf %04d $u)" --as $ADMIN > /dev/null
		u=$((u + 1))
	done
	t2=$(now_ns)
	pub_ns=$((pub_ns + t1 - t0))
	act_ns=$((act_ns + t2 - t1))
	n=$((n + UNITS))
	v=$((v + 1))
done
"$STEG" --db "$DB" audit --check > /dev/null
rows=$(sqlite3 "$DB" "SELECT count(*) FROM audit" 2> /dev/null || echo "?")
awk -v n="$n" -v p="$pub_ns" -v a="$act_ns" -v rows="$rows" 'BEGIN {
	printf "publish:  %d commands, %.2f ms per command, %.1f s in all\n", n, p / n / 1e6, p / 1e9
	printf "activate: %d commands, %.2f ms per command, %.1f s in all\n", n, a / n / 1e6, a / 1e9
	printf "audit log: %s rows, chain verified\n", rows
}'

# ---- start-up ----
# On this registry, then on one like the demo's (scripts/demo.sh: the three
# examples imported, approved and published to two care units, one active;
# the units that publish goes to, one a run, added beside them).
SRUNS=${BENCH_START_RUNS:-101}
[ "$SRUNS" -le "$UNITS" ] || SRUNS=$UNITS

# start_up TITLE DB ID@VERSION UNIT-PREFIX: the five medians, printed.
start_up() {
	r=$(python3 bench/measure.py "$SRUNS" /bin/true \
		-- "$STEGC" --version \
		-- "$STEG" --version \
		-- "$STEG" --db "$2" list \
		-- "$STEG" --db "$2" publish "$3" --unit "$4{run}" --as $PUB)
	echo "start-up: median of $SRUNS alternating runs, $1; load $(cut -d' ' -f1 /proc/loadavg) before"
	echo "$r" | awk '{
		split("/bin/true|stegc --version|steg --version|steg list|steg publish", name, "|")
		printf "  %-24s %8s %8s %8s\n", "", "wall ms", "-true", "cpu ms"
		for (i = 1; i <= 5; i++) {
			w = $(3 * i - 2) * 1000; c = $(3 * i - 1) * 1000
			printf "  %-24s %8.2f %8.2f %8.2f%s\n", name[i], w, w - $1 * 1000, c, (i > 1 && i != 3 && w > 5) ? "  over 5 ms" : ""
		}
	}'
}

start_up "this registry ($((VERSIONS + 1)) versions, $UNITS units; publish: one version to a new unit each run)" \
	"$DB" "se.test.bas@1.$((VERSIONS + 1)).0" "SE2321000016-U"

# The demo's registry, unsigned (signatures are checked at import only).
DEMO=$WORK/demo.db
rm -f "$DEMO" "$DEMO-wal" "$DEMO-shm"
"$STEG" --db "$DEMO" init --region $REGION --name "Region Exempel" --admin $ADMIN > /dev/null
"$STEG" --db "$DEMO" user add $PUB --name "Per Utgivare" --role publisher --as $ADMIN > /dev/null
for u in E001 E002; do
	"$STEG" --db "$DEMO" unit add "SE2321000016-$u" --name "Vårdcentralen $u" --as $ADMIN > /dev/null
done
"$STEG" --db "$DEMO" user add SE2321000016-K001 --name "Karin Behandlare" --role clinician \
	--unit SE2321000016-E001 --as $ADMIN > /dev/null
for ex in examples/*/; do
	n=$(basename "$ex")
	"$STEGC" build -q "$ex" -o "$WORK/ex-$n.steg"
	"$STEG" --db "$DEMO" import "$WORK/ex-$n.steg" --as $PUB --allow-unsigned > /dev/null
	idv=$("$STEG" --db "$DEMO" list --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
print("\n".join(v["id"] + "@" + v["version"] for v in d if v["state"] == "imported"))')
	"$STEG" --db "$DEMO" approve "$idv" --as $PUB > /dev/null
	for u in E001 E002; do
		"$STEG" --db "$DEMO" publish "$idv" --unit "SE2321000016-$u" --as $PUB > /dev/null
	done
	last=$idv
done
"$STEG" --db "$DEMO" activate "$last" --unit SE2321000016-E001 --as SE2321000016-K001 > /dev/null
u=1
while [ $u -le "$SRUNS" ]; do
	"$STEG" --db "$DEMO" unit add "SE2321000016-D$(printf %04d $u)" --name "Enhet $u" --as $ADMIN > /dev/null
	u=$((u + 1))
done
start_up "a registry like the demo's (3 programs, 2 units; publish: $last to a new unit each run)" \
	"$DEMO" "$last" "SE2321000016-D"
