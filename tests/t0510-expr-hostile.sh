#!/bin/sh
# t0510-expr-hostile: hostile expressions get a clear error in bounded
# time — 100,000 nested parentheses, a 1 MB expression, thousands of
# operators, numbers that overflow — and large forms and programs are
# checked in linear time.
. "$(dirname "$0")/lib.sh"

# program DIR: the golden base program, whose form mood has items q1, q2.
program() {
	cp -R "$SRC/tests/golden/base" "$1"
}

# with_value DIR FILE: replace the score's value by the text of FILE
with_value() {
	python3 - "$1/forms/mood.yaml" "$2" <<'PY'
import sys
p, f = sys.argv[1], sys.argv[2]
s = open(p, "rb").read()
v = open(f, "rb").read()
open(p, "wb").write(s.replace(b"value: sum(q1..q2)", b"value: '" + v + b"'"))
PY
}

test_expect_success '100,000 nested parentheses: expr-limit, quickly' '
	program p &&
	python3 -c "print(\"(\" * 100000 + \"1\" + \")\" * 100000, end=\"\")" >v &&
	with_value p v &&
	run out timeout 10 "$STEGC" check p &&
	test $rc = 1 &&
	grep "forms/mood.yaml:18:13: error: expression is 200001 bytes long, more than the limit of 65536 \[expr-limit\]" out
'

test_expect_success '30,000 nested parentheses within the size limit: nesting error at the 201st' '
	program p &&
	python3 -c "print(\"(\" * 30000 + \"1\" + \")\" * 30000, end=\"\")" >v &&
	with_value p v &&
	run out timeout 10 "$STEGC" check p &&
	test $rc = 1 &&
	grep "forms/mood.yaml:18:213: error: expression is nested more than 200 levels deep \[expr-limit\]" out
'

test_expect_success 'a 1 MB expression is refused' '
	program p &&
	python3 -c "print(\"q1 + \" * 200000 + \"q2\", end=\"\")" >v &&
	with_value p v &&
	run out timeout 10 "$STEGC" check p &&
	test $rc = 1 &&
	grep "error: expression is 1000002 bytes long, more than the limit of 65536 \[expr-limit\]" out
'

test_expect_success '10,000 operators in a chain: a clear limit, no deep recursion' '
	program p &&
	python3 -c "print(\"q1+\" * 10000 + \"q2\", end=\"\")" >v &&
	with_value p v &&
	run out timeout 10 "$STEGC" check p &&
	test $rc = 1 &&
	grep "error: expression is too long a chain of operators (more than 1000 levels) \[expr-limit\]" out
'

test_expect_success '100,000 nots and minus signs: expr-limit' '
	program p &&
	python3 -c "print(\"-\" * 60000 + \"1\", end=\"\")" >v &&
	with_value p v &&
	run out timeout 10 "$STEGC" check p &&
	test $rc = 1 &&
	grep "expression is nested more than 200 levels deep \[expr-limit\]" out
'

test_expect_success 'numbers that overflow are syntax errors at their column' '
	program p &&
	printf "%s" "q1 + 1e999" >v &&
	with_value p v &&
	run out "$STEGC" check p &&
	test $rc = 1 &&
	grep "forms/mood.yaml:18:18: error: number .1e999. is too large \[expr-syntax\]" out &&
	printf "%s" "q1 * 99999999999999999999999999999999999999999999" >v &&
	program q && with_value q v &&
	run out "$STEGC" check q &&
	test $rc = 1 &&
	grep "forms/mood.yaml:18:18: error: number .99999999999999999999\.\.\.. is too large \[expr-syntax\]" out
'

test_expect_success 'invalid UTF-8 inside an expression is refused with its position' '
	program p &&
	printf "q1 + \"\\377\"" >v &&
	with_value p v &&
	run out "$STEGC" check p &&
	test $rc = 1 &&
	grep "forms/mood.yaml:18:19: error: invalid UTF-8" out
'

test_expect_success 'a form of 10,000 items and a 1,000-module chain check in linear time' '
	program p &&
	python3 - p <<-\PY &&
	import sys, os
	d = sys.argv[1]
	n = 10000
	s = ["id: mood", "title: Stor", "options:", "  - { value: 0, label: a }",
	     "  - { value: 1, label: b }", "items:"]
	s += ["- {id: q%d, text: t, show-if: q%d > 0}" % (i, i - 1) if i > 1
	      else "- {id: q1, text: t}" for i in range(1, n + 1)]
	s += ["scores:"]
	s += ["  - id: total", "    value: sum(q1..q%d)" % n, "    bands:",
	      "      - { from: 0, to: 4999, label: l }",
	      "      - { from: 5000, to: %d, label: h }" % n]
	for i in range(1, 200):
	    s += ["  - { id: s%d, value: s%d + q%d }" % (i, i + 1, i)]
	s += ["  - { id: s200, value: total }"]
	open(os.path.join(d, "forms/mood.yaml"), "w").write("\n".join(s) + "\n")
	for i in range(3, 1001):
	    open(os.path.join(d, "modules/9%04d-m%d.md" % (i, i)), "w").write(
	        "---\ntitle: M%d\nunlock: completed(\"%s\") and days_since(\"intro\") >= 0\n---\nText.\n"
	        % (i, "vardag" if i == 3 else "m%d" % (i - 1)))
	PY
	run out timeout 20 "$STEGC" check p &&
	test $rc = 0 || { cat out; false; }
'

test_done
