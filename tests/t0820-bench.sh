#!/bin/sh
# t0820-bench — the pieces of `make bench` keep working as the compiler
# grows: the generated programs build with no finding at all, the
# generator is deterministic, the baseline builds and writes a sound zip,
# and the measuring script reports both programs.
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
	# deflated pages (defN: levels 3 to 7), stored media, fixed times,
	# as core/bundle_write.c writes them
	zipinfo b.zip > b.list &&
	grep " pages/" b.list > pages && test "$(wc -l < pages)" = "$n" &&
	! grep -v " defN 80-Jan-01 00:00 " pages &&
	grep " media/" b.list > media && test -s media &&
	! grep -v " stor " media &&
	"$STEGC" build -q p -o p.steg &&
	zipinfo p.steg > p.list &&
	grep " pages/" p.list > pages && test -s pages &&
	! grep -v " defN " pages &&
	grep -q "entries, .* yaml events" out
'

test_expect_success 'measure.py reports time, CPU and memory of both commands' '
	python3 "$SRC/bench/measure.py" 2 true -- sh -c "exit 0" > out &&
	test $(wc -w < out) = 6 &&
	run err python3 "$SRC/bench/measure.py" 1 false -- true && test $rc = 1 &&
	grep -q "measure: .false. exited 1" err
'

test_done
