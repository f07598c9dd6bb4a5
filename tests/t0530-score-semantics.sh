#!/bin/sh
# t0530-score-semantics: the evaluator's rules for missing answers, as
# docs/expressions.md states them, seen through `steg score` on a small
# form that uses every function: sum (missing if any answer is), mean and
# count (skip missing), if, round, answered, reverse scoring, show-if
# hiding an answer, dates, texts, yes/no items, and conditions on missing
# answers.  A missing answer is tried with every answer it could have had
# (docs/expressions.md): a score then shows its range ("6-9"), an alert
# that holds for some answers "?"; count, answered and mean see only what
# was answered.
. "$(dirname "$0")/lib.sh"

BUNDLE=$TRASH_ROOT/sem.steg

test_expect_success 'a program with the test form builds' '
	cp -R "$SRC/tests/golden/base" "$TRASH_ROOT/p" &&
	cat >"$TRASH_ROOT/p/forms/mood.yaml" <<-\EOF &&
	id: mood
	title: Semantik
	options:
	  - { value: 0, label: a }
	  - { value: 1, label: b }
	  - { value: 2, label: c }
	  - { value: 3, label: d }
	items:
	  - { id: q1, text: t }
	  - { id: q2, text: t }
	  - { id: q3, text: t }
	  - { id: q4, text: t }
	  - { id: q5, text: t, reverse: true }
	  - { id: n1, text: t, type: number, min: 0, max: 10 }
	  - { id: b1, text: t, type: boolean }
	  - { id: t1, text: t, type: text }
	  - { id: d1, text: t, type: date }
	  - { id: d2, text: t, type: date }
	  - { id: q6, text: t, show-if: q1 > 0 }
	scores:
	  - id: total
	    value: sum(q1..q4)
	    bands:
	      - { from: 0, to: 12, label: alla }
	  - id: snitt
	    value: mean(q1..q4)
	    bands:
	      - { from: 0, to: 1.5, label: låg }
	      - { from: 1.5, to: 3, label: hög }
	  - id: antal
	    value: count(q1..q4)
	    bands:
	      - { from: 0, to: 4, label: alla }
	  - id: omv
	    value: q5
	  - id: pro
	    value: if(count(q1..q4) >= 3, round(mean(q1..q4) * 4), -1)
	    bands:
	      - { from: -1, to: -1, label: för få svar }
	      - { from: 0, to: 12, label: skattad }
	  - id: dagar
	    value: d2 - d1
	  - id: dold
	    value: q6 + 0
	  - id: doldsum
	    value: sum(q1, q6)
	  - id: ja
	    value: if(t1 == "ja", 1, 0)
	  - id: kvot
	    value: n1 / 4
	  - id: avrundad
	    value: round(n1 / 3, 2) + abs(0 - q1)
	alerts:
	  - { id: a_bool, when: b1, level: info, message: m }
	  - { id: a_not, when: not (q1 > 2), level: info, message: m }
	  - { id: a_ans, when: answered(q1..q4), level: info, message: m }
	EOF
	"$STEGC" build "$TRASH_ROOT/p" -o "$BUNDLE" >/dev/null
'

summary() {
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for s in r["scores"]:
    v = json.dumps(s["value"])
    if s["range"]:
        v = "%s-%s%s" % (s["range"]["from"], s["range"]["to"], "" if s["range"]["exact"] else "~")
    print(s["id"], v, s["band"] or "-")
print("alerts:", *[a["id"] + ("?" if a["status"] == "possible" else "") for a in r["alerts"]])
' "$1"
}

test_expect_success 'one item missing: sum takes its possible values, mean and count skip it' '
	cat >a.json <<-\EOF &&
	{"q1": 3, "q2": null, "q3": 1, "q4": 2, "q5": 0, "n1": 5, "b1": true,
	 "t1": "ja", "d1": "2024-02-28", "d2": "2024-03-01", "q6": 2}
	EOF
	"$STEG" score "$BUNDLE" mood --answers a.json >out &&
	summary out >actual &&
	cat >expect <<-\EOF &&
	total 6-9 alla
	snitt 2 hög
	antal 3 alla
	omv 3 -
	pro 8 skattad
	dagar 2 -
	dold 2 -
	doldsum 5 -
	ja 1 -
	kvot 1.25 -
	avrundad 4.67 -
	alerts: a_bool
	EOF
	test_cmp expect actual
'

test_expect_success 'nothing answered: every answer is tried (bounds where there are no options); count, mean, answered see none' '
	echo "{}" >a.json &&
	"$STEG" score "$BUNDLE" mood --answers a.json >out &&
	summary out >actual &&
	cat >expect <<-\EOF &&
	total 0-12 alla
	snitt null -
	antal 0 alla
	omv 0-3 -
	pro -1 för få svar
	dagar None-None~ -
	dold 0-3 -
	doldsum 1-6 -
	ja 0-1~ -
	kvot 0-2.5~ -
	avrundad 0-6.33~ -
	alerts: a_bool? a_not?
	EOF
	test_cmp expect actual
'

test_expect_success 'an item hidden by its show-if is unanswered, whatever the file says' '
	echo "{\"q1\": 0, \"q2\": 0, \"q3\": 0, \"q4\": 0, \"q6\": 3}" >a.json &&
	"$STEG" score "$BUNDLE" mood --answers a.json >out &&
	summary out >actual &&
	grep "^dold null -$" actual &&
	grep "^doldsum null -$" actual &&
	grep "^total 0 alla$" actual &&
	grep "^antal 4 alla$" actual &&
	grep "^alerts: a_bool? a_not a_ans$" actual
'

test_expect_success 'a value on a shared boundary of a mean falls in the upper band' '
	echo "{\"q1\": 3, \"q2\": 0, \"q3\": 3, \"q4\": 0}" >a.json &&
	"$STEG" score "$BUNDLE" mood --answers a.json >out &&
	summary out >actual &&
	grep "^snitt 1.5 hög$" actual
'

test_expect_success 'reverse scoring maps each answer to lowest + highest - answer' '
	for v in 0 1 2 3; do
		echo "{\"q5\": $v}" >a.json &&
		"$STEG" score "$BUNDLE" mood --answers a.json >out &&
		summary out | grep "^omv" || return 1
	done >actual &&
	printf "omv %s -\n" 3 2 1 0 >expect &&
	test_cmp expect actual
'

test_expect_success 'dates, numbers and scales are checked against the item' '
	echo "{\"d1\": \"2023-02-29\", \"n1\": 11}" >a.json &&
	run out "$STEG" score "$BUNDLE" mood --answers a.json &&
	test $rc = 1 &&
	cat >expect <<-\EOF &&
	a.json: error: item '"'d1'"': '"'2023-02-29'"' is not a date written YYYY-MM-DD [answers-value]
	a.json: error: item '"'n1'"': 11 is above its maximum 10 [answers-value]
	2 errors generated
	EOF
	test_cmp expect out
'

test_done
