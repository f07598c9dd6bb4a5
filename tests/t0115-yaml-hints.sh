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
	echo "p/program.yaml:22:3: note: '\''som'\'' is indented more than '\''audience'\'' above it (line 21), whose value is a text, so this line is read as more of that text; to make '\''som'\'' a key of its own, indent it as '\''audience'\'' is (column 1)" > expect &&
	test_cmp expect notes
'

# layout P: program.yaml is the base's first three lines and then P
layout() {
	rm -rf p && cp -R "$BASE" p && head -3 "$BASE/program.yaml" > p/program.yaml &&
	printf "$1" >> p/program.yaml && check_p
}

test_expect_success 'a key between a list dash and its entry'"'"'s keys' '
	layout "messages:\n  - id: a\n    when: start\n   text: b\n" &&
	echo "p/program.yaml:7:4: note: '\''text'\'' is at column 4, between the list'\''s '\''-'\'' (column 3, line 5) and the keys of its entries (column 5): indent it to column 5 to add it to the entry above, or write '\''- '\'' at column 3 to begin a new entry" > expect &&
	test_cmp expect notes
'

test_expect_success 'a dash that lines up with no list: the columns on both sides' '
	layout "messages:\n    - id: a\n      when: start\n  - id: b\n" &&
	echo "p/program.yaml:7:3: note: this '\''-'\'' at column 3 lines up with nothing above it: the list'\''s '\''-'\'' at column 5 (line 5) is more indented, the key '\''messages'\'' at column 1 (line 4) less; indent it as one of them" > expect &&
	test_cmp expect notes
'

test_expect_success 'a key written without a space after its colon, on the line above the stop' '
	layout "producer:\n  id:SE2321000016-0001\n  name: y\n" &&
	grep -F "p/program.yaml:6:7: error: mapping values are not allowed in this context" out &&
	echo "p/program.yaml:5:3: note: '\''id:SE2321000016-0001'\'' has no space after its '\'':'\'', so it is not read as a key but as a text; write it as id: SE2321000016-0001" > expect &&
	test_cmp expect notes
'

test_expect_success 'a text that is not a key: no "write it as" for what is no key (an address)' '
	layout "producer:\n  id: x\n  https://exempel.se\n  name: y\n" &&
	echo "p/program.yaml:6:3: note: '\''https://exempel.se'\'' stands among keys but has no '\''key: '\'' before it; write the key it is the value of before it (KEY: https://exempel.se)" > expect &&
	test_cmp expect notes
'

test_expect_success 'tabs: after a list dash, in a blank line, in a block text' '
	layout "messages:\n  -\tid: a\n" &&
	grep -F "5:4: note: write a space instead of this tab after the list'\''s '\''-'\''; YAML does not allow a tab there" notes &&
	layout "producer:\n\t\n  id: x\n" &&
	grep -F "5:1: note: remove this tab: the line is blank but for it" notes &&
	layout "summary: |\n  En text\n\tmer\n" &&
	grep -F "6:1: note: indent with spaces instead of this tab" notes
'

test_expect_success 'CRLF line ends: the same note' '
	layout "title: Basprogram\r\n  language: sv\r\n" &&
	grep -F "5:3: note: '\''language'\'' is indented more than '\''title'\'' above it (line 4)" notes
'

test_expect_success 'a long value gets the reason but is not repeated' '
	rm -rf p && cp -R "$BASE" p &&
	python3 -c "print(\"audience: Obs: \" + \"ord \" * 100)" >> p/program.yaml &&
	check_p &&
	grep -F "note: put the text of '\''audience'\'' in quotes, since '\'': '\'' inside it is read as a new key" notes &&
	! grep -F "write it as" notes
'
test_done
