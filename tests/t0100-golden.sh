#!/bin/sh
# t0100-golden: every compiler diagnostic, by golden files.
#
# tests/golden/base/ is a small program that checks clean.  Each case
# tests/golden/cases/NAME/ is an overlay on it (plus NAME/.delete listing
# paths to remove from base before the overlay is copied); NAME.args holds extra arguments for `stegc check`
# (one per line; a line "build" makes the case run `stegc build` instead);
# NAME.expected is the exact stdout+stderr followed by "exit N".
# `sh tests/t0100-golden.sh --update` rewrites the expected files that
# differ (and writes missing ones); each rewritten case is reported as
# "not ok" with "rewritten: FILE", so an update never passes: read the diff
# (git diff tests/golden) before you commit, then run again.  Nothing in
# the environment turns this on (tests/lib.sh unsets STEG_GOLDEN_UPDATE).
. "$(dirname "$0")/lib.sh"
G=$SRC/tests/golden
update=
[ "${1:-}" = --update ] && update=1

assemble() {
	rm -rf "$2"; mkdir -p "$2"
	cp -R "$G/base/." "$2/"
	if [ -d "$G/cases/$1" ]; then
		if [ -f "$G/cases/$1/.delete" ]; then
			while IFS= read -r p; do [ -n "$p" ] && rm -rf "$2/$p"; done < "$G/cases/$1/.delete"
		fi
		cp -R "$G/cases/$1/." "$2/"
		rm -f "$2/.delete"
	fi
}

golden_case() {
	name=$1
	cd "$TRASH"
	assemble "$name" "$name"
	cmd=check
	set --
	if [ -f "$G/cases/$name.args" ]; then
		while IFS= read -r a; do
			[ -z "$a" ] && continue
			if [ "$a" = build ]; then cmd=build; else set -- "$@" "$a"; fi
		done < "$G/cases/$name.args"
	fi
	rc=0
	"$STEGC" $cmd "$@" "$name" > actual 2>&1 || rc=$?
	echo "exit $rc" >> actual
	if [ -n "$update" ] && ! cmp -s "$G/cases/$name.expected" actual; then
		cp actual "$G/cases/$name.expected"
		echo "rewritten: $G/cases/$name.expected"
		return 1
	fi
	test_cmp "$G/cases/$name.expected" actual
}

test_expect_success 'the base program checks clean' '
	assemble base base && "$STEGC" check -Werror base
'

for exp in "$G"/cases/*.expected "$G"/cases/*/; do
	[ -e "$exp" ] || continue
	case "$exp" in
	*.expected) name=$(basename "$exp" .expected) ;;
	*) name=$(basename "$exp"); [ -f "$G/cases/$name.expected" ] && continue
	   [ -n "$update" ] || { test_expect_success "golden $name has an expected file" "false"; continue; } ;;
	esac
	test_expect_success "golden $name" "golden_case $name"
done
test_done
