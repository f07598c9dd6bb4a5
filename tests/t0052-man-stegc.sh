#!/bin/sh
# t0052-man-stegc: man/stegc.1 keeps up with the compiler.  Every command
# that `stegc --help` lists, and every option that a command's --help
# names, must be in the man page, so that a new option cannot land
# undocumented; and the page must format without warnings.
. "$(dirname "$0")/lib.sh"
MAN=$SRC/man/stegc.1

# need: a check that fails the test by itself and says which check it
# was (set -e alone would stop the body without a word).
need() {
	"$@" || { echo "failed: $*"; exit 1; }
}

# The man page's text with roff's escapes undone: \- is -, \(:o is ö.
plain() {
	sed -e 's/\\-/-/g' -e 's/\\(:o/ö/g' -e 's/\\(:a/ä/g' "$MAN"
}

test_expect_success 'every command of stegc --help has a section in the man page' '
	"$STEGC" --help > help
	sed -n "/^Commands:/,/^\$/p" help | awk "NF > 1 { print \$1 }" > commands
	need test -s commands
	plain > page
	while read -r c; do
		grep -q "^\.BI\{0,1\} \"$c " page || grep -q "^\.B $c\$" page ||
			{ echo "command $c is not in man/stegc.1"; exit 1; }
	done < commands
'

test_expect_success 'every option of every command is in the man page' '
	plain > page
	"$STEGC" --help | sed -n "/^Commands:/,/^\$/p" | awk "NF > 1 { print \$1 }" > commands
	missing=0
	while read -r c; do
		"$STEGC" "$c" --help > h 2>&1 || true
		grep -o -- "--[a-z][a-z-]*\|-W[a-z]*\|-[a-zA-Z]\b" h | sort -u > opts
		while read -r o; do
			case $o in -h|--help|-Wno|-Wno-) continue ;; esac
			grep -q -- "$o" page || { echo "stegc $c: option $o is not in man/stegc.1"; missing=1; }
		done < opts
	done < commands
	need test $missing = 0
'

test_expect_success 'the exit codes and SOURCE_DATE_EPOCH are documented' '
	plain > page
	need grep -q "^\.SH EXIT STATUS" page
	for code in 0 1 2 3; do need grep -q "^\.B $code\$" page; done
	need grep -q "^\.B SOURCE_DATE_EPOCH" page
'

test_expect_success 'the man page formats without warnings (when groff is there)' '
	if command -v groff > /dev/null; then
		groff -man -ww -z "$MAN" 2> warnings
		need test_cmp /dev/null warnings
	fi
'

# The text of one command's entry under COMMANDS: from its tag to the
# next command's tag (or the next section).
entry() {
	plain | awk -v c="$1" '
		/^\.SH / { on = 0 }
		/^\.SH COMMANDS/ { cmds = 1 }
		cmds && /^\.BI? "?[a-z][a-z-]*([ "]|$)/ {
			t = $0; sub(/^\.BI? "?/, "", t); sub(/[ "].*$/, "", t)
			if (prev == ".TP") on = (t == c)
		}
		/^\.SS / { on = 0 }
		on { print }
		{ prev = $0 }'
}

test_expect_success 'each command entry says what a new user trips over' '
	entry new > e; need grep -q "exit status 2" e; need grep -q -- "--id" e; need grep -q -- "--title" e
	entry build > e; need grep -q -- "--level" e; need grep -q -- "--previous" e; need grep -q -- "--sign" e
	entry inspect > e; need grep -q -- "--cat" e; need grep -q -- "--json" e
	entry diff > e; need grep -q -- "--format text" e; need grep -q "exit status is 0" e
	entry export-fhir > e; need grep -q -- "-o" e; need grep -q "fhir-unsupported" e
	entry import-fhir > e; need grep -q -- "-o" e; need grep -q -- "--id" e; need grep -q -- "--force" e
	entry import-fhir > e; need grep -q "exit status is 2" e
'

test_done
