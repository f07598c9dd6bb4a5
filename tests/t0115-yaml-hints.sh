#!/bin/sh
# t0115-yaml-hints: a YAML syntax error caused by text written without
# quotes gets a note naming the key, saying why, and showing the line with
# the text in quotes, at the value's line and column; errors that quotes
# would not fix get no such note.  (The golden cases load-yaml-quote-*
# show the whole output for a program title, a form item and front matter.)
. "$(dirname "$0")/lib.sh"
BASE=$SRC/tests/golden/base

# check_p: stegc check p exits 1 with a [yaml-syntax] error; the output
# is in out, its note lines in notes (empty when none)
check_p() {
	rc=0
	"$STEGC" check p > out 2>&1 || rc=$?
	cat out
	test "$rc" = 1 || { echo "exit $rc, expected 1"; return 1; }
	grep -q "\[yaml-syntax\]" out || return 1
	grep "note:" out > notes || test ! -s notes
}

# hint LINE: append LINE to the base program.yaml and check_p
hint() {
	rm -rf p && cp -R "$BASE" p && printf "%s\n" "$1" >> p/program.yaml &&
	check_p
}

test_expect_success 'a colon in a value: the note shows the quoted line' '
	hint "audience: Obs: läs först" &&
	echo "p/program.yaml:21:11: note: put the text of '\''audience'\'' in quotes, since '\'': '\'' inside it is read as a new key; write it as audience: \"Obs: läs först\"" > expect &&
	test_cmp expect notes
'

test_expect_success 'a colon at the end of a value' '
	hint "audience: Steg 1:" &&
	grep -F "21:11: note: put the text of '\''audience'\'' in quotes, since a '\'':'\'' at the end of a line is read as a key; write it as audience: \"Steg 1:\"" notes
'

test_expect_success 'a value that starts with * (an alias), also as a whole alias' '
	hint "audience: *viktigt* text" &&
	grep -F "21:11: note: put the text of '\''audience'\'' in quotes, since a text that starts with '\''*'\'' is read as an alias; write it as audience: \"*viktigt* text\"" notes &&
	hint "audience: *viktigt" &&
	grep -F "unknown alias" out &&
	grep -F "write it as audience: \"*viktigt\"" notes
'

test_expect_success 'values that start with &, @, a backquote, %, >, |, "- "' '
	hint "audience: & och" && grep -F "starts with '\''&'\'' is read as an anchor; write it as audience: \"& och\"" notes &&
	hint "audience: @hem" && grep -F "cannot start with '\''@'\''" notes &&
	hint "audience: \`kod\`" && grep -F "write it as audience: \"\`kod\`\"" notes &&
	hint "audience: %50 rabatt" && grep -F "write it as audience: \"%50 rabatt\"" notes &&
	hint "audience: > 5 poäng" && grep -F "block text marker; write it as audience: \"> 5 poäng\"" notes &&
	hint "audience: | x" && grep -F "write it as audience: \"| x\"" notes &&
	hint "audience: - punkt" && grep -F "is read as a list entry; write it as audience: \"- punkt\"" notes
'

test_expect_success 'a text that holds double quotes is suggested in single quotes' '
	hint "audience: \"Hej\" sa hon" &&
	grep -F "21:11: note: put the text of '\''audience'\'' in quotes, since a text in quotes ends at its closing quote; write it as audience: '\''\"Hej\" sa hon'\''" notes
'

test_expect_success 'an item in a list of mappings, indented, names its own key' '
	rm -rf p && cp -R "$BASE" p &&
	sed -i "s/^  - id: q2$/  - text: Obs: och sen/" p/forms/mood.yaml &&
	check_p &&
	grep -F "p/forms/mood.yaml:13:11: note: put the text of '\''text'\'' in quotes" out &&
	grep -F "write it as text: \"Obs: och sen\"" out
'

test_expect_success 'a tab in the indentation: indent with spaces' '
	hint "	audience: x" &&
	echo "p/program.yaml:21:1: note: indent with spaces instead of this tab; YAML does not allow tabs in indentation" > expect &&
	test_cmp expect notes
'

test_expect_success 'no quoting note where quotes would not help' '
	hint "audience: [a, b] c" && test_cmp /dev/null notes &&
	rm -rf p && cp -R "$BASE" p &&
	printf "audience: en text\n  som: fortsätter\n" >> p/program.yaml &&
	check_p &&
	test_cmp /dev/null notes
'

test_expect_success 'a long value gets the reason but is not repeated' '
	rm -rf p && cp -R "$BASE" p &&
	python3 -c "print(\"audience: Obs: \" + \"ord \" * 100)" >> p/program.yaml &&
	check_p &&
	grep -F "note: put the text of '\''audience'\'' in quotes, since '\'': '\'' inside it is read as a new key" notes &&
	! grep -F "write it as" notes
'
test_done
