#!/bin/sh
# scripts/mutants.sh — `make mutants`: does the suite catch the bugs that
# matter?  Each tests/mutants/NAME.patch is one small deliberate bug in a
# rule that guards a patient, a signature or the registry; its header
# names the tests that must catch it:
#
#   Rule: what the rule is, in a line
#   Tests: t0540-score-edges.sh t0530-score-semantics.sh
#   ---
#   diff --git a/core/score.c b/core/score.c
#   ...
#
# The tree (tracked and new files, as they are in the working tree) is
# copied once to a scratch folder and built there (plain build, build/);
# the named tests must pass on it unchanged.  Then, for each patch: apply
# it, rebuild (only what changed), run its tests, revert.  A mutant is
# "killed" when one of its tests fails, "SURVIVED" when all pass, and
# "broken" when it does not apply or does not build (the patch needs
# updating).  Prints a table; exits 1 unless every mutant was killed.
#
#   sh scripts/mutants.sh [GLOB...]   e.g. 'expiry*' for some patches
#   MUTANTS_KEEP=1                    keep the scratch copy (its path is
#                                     printed)
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- '*'
patches=
for glob in "$@"; do
	p=$(ls "$SRC"/tests/mutants/$glob.patch 2>/dev/null)
	[ -n "$p" ] || { echo "mutants: no tests/mutants/$glob.patch" >&2; exit 2; }
	patches="$patches $p"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/steg-mutants.XXXXXX") || exit 3
[ "${MUTANTS_KEEP:-}" = 1 ] && echo "mutants: scratch copy in $work" ||
	trap 'rm -rf "$work"' EXIT
tree=$work/tree
mkdir -p "$tree"
# Tracked and untracked (not ignored) files as they are now: the patches
# are checked against the tree being worked on, not only the last commit.
(cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do { [ -e "$f" ] || [ -L "$f" ]; } && printf "%s\0" "$f"; done' sh |
	xargs -0 cp -P --parents -t "$tree") || { echo "mutants: cannot copy the tree" >&2; exit 3; }

header() {   # header FIELD PATCH: the field's value from the patch header
	sed -n "/^---$/q; s/^$1: *//p" "$2" | head -n 1
}

build() {
	make -C "$tree" --no-print-directory > "$work/build.log" 2>&1
}

# run_tests LOG TEST...: 0 when every test script passes.
run_tests() {
	log=$1; shift
	: > "$log"
	ok=0; failed_test=
	for t in "$@"; do
		(cd "$tree" && STEG_BUILD=build STEGC="$tree/build/stegc" STEG="$tree/build/steg" \
			timeout 900 sh "tests/$t") >> "$log" 2>&1 || ok=1
		[ "$ok" = 0 ] || { failed_test=$t; break; }   # one failing test kills it
	done
	return $ok
}

echo "mutants: building the unchanged tree"
build || { echo "mutants: the unchanged tree does not build"; cat "$work/build.log"; exit 3; }
all_tests=$(for p in $patches; do header Tests "$p"; done | tr ' ' '\n' | sort -u | grep .)
for t in $all_tests; do
	[ -f "$tree/tests/$t" ] || { echo "mutants: no test tests/$t (named by a patch)"; exit 3; }
done
echo "mutants: the named tests on the unchanged tree"
if ! run_tests "$work/baseline.log" $all_tests; then
	echo "mutants: the named tests fail without any mutant; fix that first"
	grep "^not ok\|Bail out" "$work/baseline.log" | head -n 20
	exit 3
fi

killed=0; survived=0; broken=0
table=$work/table
printf "%-28s %-9s %s\n" MUTANT RESULT "CAUGHT BY" > "$table"
for p in $patches; do
	name=$(basename "$p" .patch)
	tests=$(header Tests "$p")
	if [ -z "$tests" ]; then
		result=broken; by="no Tests: line"
	elif ! (cd "$tree" && git apply "$p") > "$work/apply.log" 2>&1; then
		result=broken; by="does not apply: $(head -n 1 "$work/apply.log")"
	else
		if ! build; then
			result=broken; by="does not build"
		elif run_tests "$work/$name.log" $tests; then
			result=SURVIVED; by="($tests)"
		else
			result=killed
			what=$(sed -n 's/^not ok \([0-9]*\) - .*/test \1/p' "$work/$name.log" | head -n 1)
			[ -n "$what" ] || what=$(grep -m 1 "Bail out" "$work/$name.log" | cut -c 1-40)
			by="${failed_test%.sh}${what:+ $what}"
		fi
		(cd "$tree" && git apply -R "$p") || { echo "mutants: cannot revert $name"; exit 3; }
	fi
	case $result in
	killed) killed=$((killed + 1)) ;;
	SURVIVED) survived=$((survived + 1)) ;;
	broken) broken=$((broken + 1)) ;;
	esac
	printf "%-28s %-9s %s\n" "$name" "$result" "$by" | tee -a "$table"
done
build > /dev/null 2>&1
echo
cat "$table"
echo
echo "$killed killed, $survived survived, $broken broken"
[ "$survived" = 0 ] && [ "$broken" = 0 ]
