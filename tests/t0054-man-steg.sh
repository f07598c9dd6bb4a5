#!/bin/sh
# t0054-man-steg: man/steg.1 keeps up with the runtime.  Every command
# that `steg --help` lists, and every option that a command's --help
# names, must be in the man page, so that a new command or option cannot
# land undocumented; and the page must format without warnings.
. "$(dirname "$0")/lib.sh"
MAN=$SRC/man/steg.1

# need: a check that fails the test by itself and says which check it
# was (set -e alone would stop the body without a word).
need() {
	"$@" || { echo "failed: $*"; exit 1; }
}

# The man page's text with roff's escapes undone: \- is -, \(:o is ö.
plain() {
	sed -e 's/\\-/-/g' -e 's/\\(:o/ö/g' -e 's/\\(:a/ä/g' "$MAN"
}

commands() {
	"$STEG" --help | sed -n "/^Commands:/,/^\$/p" | awk "NF > 1 { print \$1 }"
}

test_expect_success 'every command of steg --help has an entry under COMMANDS' '
	commands > commands
	need test -s commands
	plain | sed -n "/^\.SH COMMANDS/,/^\.SH /p" > section
	while read -r c; do
		# the tag line after .TP names it: ".B c", ".BI \"c ", "\fBc", "\" c"
		grep -A1 "^\.TP\$" section |
			grep -E -q "(^\.BI? \"?|\\\\fB|\" )$c\b" ||
			{ echo "command $c has no entry in man/steg.1"; exit 1; }
	done < commands
'

test_expect_success 'every command is in the synopsis' '
	commands > commands
	plain | sed -n "/^\.SH SYNOPSIS/,/^\.SH /p" > synopsis
	while read -r c; do
		grep -q "steg\"\{0,1\} $c\b" synopsis ||
			{ echo "command $c is not in the synopsis of man/steg.1"; exit 1; }
	done < commands
'

test_expect_success 'every option of every command is in the man page' '
	plain > page
	commands > commands
	"$STEG" --help > h
	grep -o -- "--[a-z][a-z-]*" h | sort -u > opts
	missing=0
	while read -r o; do
		case $o in --help) continue ;; esac
		grep -q -- "$o" page || { echo "steg: option $o is not in man/steg.1"; missing=1; }
	done < opts
	while read -r c; do
		"$STEG" "$c" --help > h 2>&1 || true
		grep -o -- "--[a-z][a-z-]*\|-[a-zA-Z]\b" h | sort -u > opts
		while read -r o; do
			case $o in -h|--help) continue ;; esac
			grep -q -- "$o" page || { echo "steg $c: option $o is not in man/steg.1"; missing=1; }
		done < opts
	done < commands
	need test $missing = 0
'

test_expect_success 'the subcommands of unit, user and trust are in the man page' '
	plain > page
	missing=0
	for c in unit user trust; do
		"$STEG" $c --help | grep -o "steg $c [a-z]*" | sort -u > subs
		need test -s subs
		while read -r s; do
			grep -q "$s" page || { echo "$s is not in man/steg.1"; missing=1; }
		done < subs
	done
	need test $missing = 0
'

test_expect_success 'the roles, exit codes and environment are documented' '
	plain > page
	need grep -q "^\.SS Roles" page
	for role in admin publisher clinician; do need grep -q "^\.B $role\$" page; done
	need grep -q "^\.SH EXIT STATUS" page
	for code in 0 1 2 3; do need grep -q "^\.B $code\$" page; done
	need grep -q "^\.B STEG_DB" page
	need grep -q "SOURCE_DATE_EPOCH" page
'

test_expect_success 'the man page formats without warnings (when groff is there)' '
	if command -v groff > /dev/null; then
		groff -man -ww -z "$MAN" 2> warnings
		need test_cmp /dev/null warnings
	fi
'

# docs/cli.md is a walk-through for new users; its commands (the lines
# that start with "$ ") must keep working.  Each runs in order in one
# folder and must exit 0, or non-zero where the page shows "stegc: error"
# or "steg: error" as its output.  The test supplies what the page leaves
# to the user: the passphrase (asked on the terminal there), a cheaper
# KDF, and the edit that makes version 0.1.1 before its build.
test_expect_success 'the commands of docs/cli.md run as the page says' '
	unset SOURCE_DATE_EPOCH
	need mkdir bin
	need ln -s "$STEGC" bin/stegc
	need ln -s "$STEG" bin/steg
	PATH=$PWD/bin:$PATH
	P=hemligt; export P
	python3 - "$SRC/docs/cli.md" > cmds <<-\PY
	import sys
	lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
	i = 0
	while i < len(lines):
	    if lines[i].startswith("    $ "):
	        c = lines[i][6:]
	        while c.endswith("\\"):
	            i += 1
	            c = c[:-1] + " " + lines[i].strip()
	        nxt = lines[i + 1] if i + 1 < len(lines) else ""
	        fail = nxt.startswith(("    stegc: error", "    steg: error"))
	        print(("F " if fail else "0 ") + c)
	    i += 1
	PY
	need test $(wc -l < cmds) -gt 30
	n=0
	while IFS= read -r line; do
		want=${line%% *}; c=${line#? }
		run=$c
		case $c in
		"stegc keygen"*) run="$c --passphrase-env P --kdf interactive" ;;
		"stegc sign"*|*" --sign "*|"steg share"*) run="$c --passphrase-env P" ;;
		esac
		if [ "$c" = "stegc build somn" ] && [ -e se.exempel.somn-0.1.0.steg ]; then
			sed -i "s/^version: 0.1.0/version: 0.1.1/" somn/program.yaml
			sed -i "s/Läs i din egen takt./Läs i lugn och ro./" somn/modules/01-valkommen.md
		fi
		rc=0
		eval "$run" < /dev/null > out 2>&1 || rc=$?
		if [ $want = F ]; then
			[ $rc = 1 ] || [ $rc = 2 ] || { echo "\$ $c: exit $rc, the page shows an error"; cat out; exit 1; }
		else
			[ $rc = 0 ] || { echo "\$ $c: exit $rc"; cat out; exit 1; }
		fi
	done < cmds
	need test -s se.exempel.somn-0.1.1.steg
	steg audit --check
'

test_expect_success 'docs/README.md names every document in docs/' '
	missing=0
	for f in "$SRC"/docs/*.md; do
		b=$(basename "$f")
		[ "$b" = README.md ] && continue
		grep -q "^- \[$b\]($b) — " "$SRC/docs/README.md" ||
			{ echo "docs/$b is not in docs/README.md"; missing=1; }
	done
	need test $missing = 0
'

test_done
