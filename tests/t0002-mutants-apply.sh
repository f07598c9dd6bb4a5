#!/bin/sh
# t0002 — every deliberate bug in tests/mutants/ still applies to the
# current tree, says which rule it breaks and names test scripts that
# exist, so that a refactor notices a mutant it has made stale.  (`make
# mutants` runs them; docs/testing.md.)
. "$(dirname "$0")/lib.sh"

test_expect_success 'there are mutants' '
	test "$(ls "$SRC"/tests/mutants/*.patch | wc -l)" -ge 20
'

for p in "$SRC"/tests/mutants/*.patch; do
	name=$(basename "$p" .patch)
	test_expect_success "mutant $name applies and names its rule and tests" '
		rule=$(sed -n "/^---\$/q; s/^Rule: *//p" "$p") &&
		tests=$(sed -n "/^---\$/q; s/^Tests: *//p" "$p") &&
		test -n "$rule" && test -n "$tests" &&
		for t in $tests; do
			test -f "$SRC/tests/$t" || { echo "no test tests/$t"; exit 1; }
		done &&
		(cd "$SRC" && git apply --check "$p") &&
		test "$(grep -c "^diff --git " "$p")" -ge 1
	'
done

test_done
