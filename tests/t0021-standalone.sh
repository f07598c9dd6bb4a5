#!/bin/sh
# t0021-standalone: the project stands alone.  No source, document, man
# page, schema, test or starter text points at documents outside the
# repository: its contract is docs/ (docs/README.md).
. "$(dirname "$0")/lib.sh"

# The names are spelt in pieces so that this file does not match itself.
OUTSIDE="\.\./shared|SPEC\.md|HAZARDS\.md|STYLE\.md|\bSP""EC\b"

files() {
	if git -C "$SRC" rev-parse --git-dir > /dev/null 2>&1; then
		git -C "$SRC" -c core.quotepath=off ls-files
	else
		(cd "$SRC" && find . -path ./build -prune -o -path "./build-*" -prune -o \
			-type f -print | sed "s|^\./||")
	fi
}

test_expect_success 'no file of the project points outside it' '
	files | grep -v "^tests/t0021-standalone.sh\$" > list && test -s list &&
	(cd "$SRC" && run "$TRASH/actual" xargs -d "\n" grep -HnE "$OUTSIDE" -- < "$TRASH/list") &&
	test_cmp /dev/null actual
'

test_expect_success 'the starter of stegc new points at the project own docs' '
	"$STEGC" new starter > /dev/null &&
	! grep -rnE "$OUTSIDE" starter &&
	grep -q "docs/source-format.md" starter/program.yaml &&
	"$STEGC" check starter
'

test_done
