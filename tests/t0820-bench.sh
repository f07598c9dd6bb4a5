#!/bin/sh
# t0820-bench — the pieces of `make bench` keep working as the compiler
# grows: the generated programs build with no finding at all, the
# generator is deterministic, the baseline builds and writes a sound zip,
# Hugo builds the site made of the same modules, the measuring script
# reports every command, and the build and registry benchmarks run through
# at a tiny size.  No figure is asserted: only that each is there.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a generated program checks with no finding and builds' '
	python3 "$SRC/bench/gen.py" p 24 &&
	test $(ls p/modules | wc -l) = 24 &&
	run out "$STEGC" check -Werror p && test $rc = 0 &&
	! grep -E "warning|error|note" out &&
	"$STEGC" build -q p -o p.steg &&
	unzip -t p.steg > /dev/null
'

test_expect_success 'modules are about 6-7 KB of text with pages, links, components' '
	python3 "$SRC/bench/gen.py" p 12 &&
	for f in p/modules/*.md; do
		s=$(wc -c < "$f") && test "$s" -gt 6000 && test "$s" -lt 8000 || exit 1
	done &&
	grep -q "^# " p/modules/02-*.md && grep -q "^## " p/modules/02-*.md &&
	grep -q "](01-" p/modules/02-*.md && grep -q "](03-" p/modules/02-*.md &&
	grep -q "^\`\`\`exercise" p/modules/03-*.md &&
	grep -q "^\`\`\`form" p/modules/04-*.md &&
	grep -q "!\[" p/modules/05-*.md
'

test_expect_success 'the generator is deterministic' '
	python3 "$SRC/bench/gen.py" a 30 && python3 "$SRC/bench/gen.py" b 30 &&
	diff -r a b
'

test_expect_success 'the baseline builds, and its zip holds every page and the media' '
	python3 "$SRC/bench/gen.py" p 10 &&
	cc -std=c11 -O2 -Wall -Wextra -Werror -o baseline "$SRC/bench/baseline.c" \
		$(pkg-config --cflags --libs yaml-0.1 libcmark libzip libcrypto) &&
	./baseline p b.zip > out &&
	unzip -t b.zip > /dev/null &&
	n=$(unzip -Z1 b.zip | grep -c "^pages/") &&
	test "$n" -ge 30 &&
	unzip -Z1 b.zip | grep -q "^manifest.xml$" &&
	test $(unzip -Z1 b.zip | grep -c "^media/") = $(ls p/media | wc -l) &&
	# deflated pages (defF: level 1, the default of both), stored media, fixed times,
	# as core/bundle_write.c writes them
	zipinfo b.zip > b.list &&
	grep " pages/" b.list > pages && test "$(wc -l < pages)" = "$n" &&
	! grep -v " defF 80-Jan-01 00:00 " pages &&
	grep " media/" b.list > media && test -s media &&
	! grep -v " stor " media &&
	"$STEGC" build -q p -o p.steg &&
	zipinfo p.steg > p.list &&
	grep " pages/" p.list > pages && test -s pages &&
	! grep -v " defF " pages &&
	grep -q "entries, .* yaml events" out
'

test_expect_success 'measure.py reports time, CPU and memory of both commands' '
	python3 "$SRC/bench/measure.py" 2 true -- sh -c "exit 0" > out &&
	test $(wc -w < out) = 6 &&
	run err python3 "$SRC/bench/measure.py" 1 false -- true && test $rc = 1 &&
	grep -q "measure: .false. exited 1" err
'

test_expect_success 'measure.py alternates three commands; {run} is the run number' '
	python3 "$SRC/bench/measure.py" 3 true -- sh -c "echo \$1 >> runs" sh "u{run}" -- true > out &&
	test $(wc -w < out) = 9 &&
	printf "u0001\nu0002\nu0003\n" > want && test_cmp want runs &&
	run err python3 "$SRC/bench/measure.py" 1 true -- -- true && test $rc = 2
'

if command -v hugo > /dev/null; then
test_expect_success 'the Hugo site holds the modules and media, and Hugo builds every module' '
	python3 "$SRC/bench/gen.py" p 6 &&
	sh "$SRC/bench/hugo_site.sh" p site &&
	for f in p/modules/*.md; do cmp "$f" "site/content/$(basename "$f")" || exit 1; done &&
	test $(ls site/content | wc -l) = 6 &&
	test $(ls site/static/media | wc -l) = $(ls p/media | wc -l) &&
	test $(wc -l < site/layouts/_default/single.html) = 1 &&
	hugo --source site --destination "$PWD/out" --quiet > log 2>&1 &&
	! test -s log &&
	test $(find out -name index.html | wc -l) = 6 &&
	grep -q "<title>Tankar och känslor</title>" out/03-tankar-och-kanslor/index.html &&
	grep -q "<h1 id=\"välkommen\">Välkommen</h1>" out/03-tankar-och-kanslor/index.html &&
	test $(ls out/media | wc -l) = $(ls p/media | wc -l) &&
	run err sh "$SRC/bench/hugo_site.sh" nowhere site && test $rc = 2 &&
	grep -q "^usage: bench/hugo_site.sh PROGRAM SITE" err
'

test_expect_success 'bench/run.sh measures stegc, the baseline and Hugo side by side' '
	run out env STEG_BUILD="$(dirname "$STEGC")" BENCH_DIR="$PWD/w" BENCH_SIZES="4" \
		BENCH_RUNS=1 BENCH_REGISTRY=0 sh "$SRC/bench/run.sh" &&
	# the targets are timing: met or missed, either exit is a run
	{ test $rc = 0 || test $rc = 1; } &&
	head -n 1 out | grep -q "^stegc [0-9.]*, hugo [0-9.]*, [0-9]* cores, load" &&
	sed -n 3p out | grep -q "stegc baseline    Hugo st/base Hugo/st |" &&
	# modules, input, then 3 groups of figures: nothing missing
	grep -E "^ +4 +[0-9.]+MB \| +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+x +[0-9.]+x \| +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+x +[0-9.]+x \| +[0-9.]+ +[0-9.]+ +[0-9.]+" out &&
	grep -q "^bench: Hugo targets (wall: 6x faster at 10 modules, 4x at 1,000) met at the sizes measured$" out
'
else
	test_skip 'the Hugo site holds the modules and media, and Hugo builds every module' 'hugo is not installed (scripts/install-deps.sh)'
	test_skip 'bench/run.sh measures stegc, the baseline and Hugo side by side' 'hugo is not installed'
fi

test_expect_success 'bench/run.sh measures check afresh, from the cache and with an older stegc' '
	run out env STEG_BUILD="$(dirname "$STEGC")" BENCH_DIR="$PWD/w" BENCH_SIZES="4" \
		BENCH_RUNS=1 BENCH_HUGO=0 BENCH_REGISTRY=0 BENCH_SERVE=0 BENCH_PREVIEW=0 BENCH_KEEP=1 \
		BENCH_OLD_STEGC="$STEGC" sh "$SRC/bench/run.sh" &&
	{ test $rc = 0 || test $rc = 1; } &&
	grep -q "^stegc check, median of 1 alternating runs: afresh (--no-cache) and from the cache, and $STEGC$" out &&
	grep -E "^ +4 \| +[0-9.]+ / [0-9.]+ +\| +[0-9.]+ / [0-9.]+ +\| +[0-9.]+ / [0-9.]+ \| [0-9.]+x$" out &&
	ls w/cache/steg/check > entries && test $(wc -l < entries) = 1
'

test_expect_success 'bench/registry.sh runs its commands and reports start-up beside /bin/true' '
	python3 "$SRC/bench/gen.py" p 4 &&
	"$STEGC" build -q p -o p.steg &&
	STEG_BUILD="$(dirname "$STEG")" BENCH_DIR="$PWD/w" BENCH_BUNDLE="$PWD/p.steg" \
		BENCH_REG_UNITS=3 BENCH_REG_VERSIONS=1 BENCH_REG_RUNS=1 BENCH_KEEP=1 \
		sh "$SRC/bench/registry.sh" > out &&
	grep -q "^publish:  3 commands, [0-9.]* ms per command" out &&
	grep -q "^activate: 3 commands, [0-9.]* ms per command" out &&
	grep -q "^audit log: [0-9]* rows, chain verified$" out &&
	grep -q "^start-up: median of 3 alternating runs, this registry (2 versions, 3 units; publish: one version to a new unit each run); load [0-9.]* before$" out &&
	grep -q "^start-up: median of 3 alternating runs, a registry like the demo.s (3 programs, 2 units; publish: se\.regionexempel\.[a-z]*@1\.0\.0 to a new unit each run); load [0-9.]* before$" out &&
	for c in "/bin/true" "stegc --version" "steg --version" "steg list" "steg publish"; do
		test "$(grep -cE "^  $c +[0-9.]+ +-?[0-9.]+ +[0-9.]+" out)" = 2 || { echo "not two rows of figures for $c"; exit 1; }
	done &&
	"$STEG" --db w/reg.db list > list &&
	grep -E "^se\.test\.bas@1\.2\.0	.*	published 3	" list &&
	"$STEG" --db w/demo.db list > demo &&
	test "$(grep -c "	approved	published [25]	active [01]	" demo)" = 3 &&
	test "$(grep -c "	active 1	" demo)" = 1
'

test_done
