#!/bin/sh
# t0560 — an option's value (the answer, unique) and its score (its
# weight, which options may share, as AUDIT's "4 to 5" and "6 or 7 times
# a week" both weigh 4): check, program.xml, `steg score`, reverse
# scoring over the weights, missing answers and diff all follow the score.
. "$(dirname "$0")/lib.sh"

BUNDLE=$TRASH_ROOT/audit.steg

test_expect_success 'a form whose options share a weight checks clean and builds' '
	cp -R "$SRC/tests/golden/base" "$TRASH_ROOT/p" &&
	cat > "$TRASH_ROOT/p/forms/mood.yaml" <<-\EOF &&
	id: mood
	title: Alkoholvanor
	code: { system: http://loinc.org, code: 72109-2 }
	options:
	  - { value: 0, label: Aldrig }
	  - { value: 1, label: En gång i månaden eller mer sällan }
	  - { value: 2, label: 2–4 gånger i månaden }
	  - { value: 3, label: 2–3 gånger i veckan }
	  - { value: 4, score: 4, label: 4–5 gånger i veckan }
	  - { value: 5, score: 4, label: 6–7 gånger i veckan, code: { system: "http://example.org/cs", code: "6-7/v" } }
	items:
	  - { id: q1, text: Hur ofta dricker du?, code: { system: http://loinc.org, code: 68518-0 } }
	  - { id: q2, text: Hur ofta dricker du sex glas eller mer? }
	  - { id: r1, text: Omvänd, reverse: true }
	scores:
	  - id: total
	    value: sum(q1..q2)
	    bands:
	      - { from: 0, to: 3, label: låg }
	      - { from: 4, to: 8, label: hög, level: high }
	  - id: omv
	    value: r1
	alerts:
	  - { id: ofta, when: q1 >= 4, level: warning, message: Dricker ofta. }
	EOF
	"$STEGC" check -Werror "$TRASH_ROOT/p" &&
	"$STEGC" build -q "$TRASH_ROOT/p" -o "$BUNDLE"
'

test_expect_success 'program.xml carries the score and the codes, and only where written' '
	unzip -p "$BUNDLE" program.xml > px &&
	grep -F "<form id=\"mood\" title=\"Alkoholvanor\" file=\"forms/mood.yaml\" system=\"http://loinc.org\" code=\"72109-2\">" px &&
	grep -F "<option value=\"3\" label=\"2–3 gånger i veckan\"/>" px &&
	grep -F "<option value=\"4\" score=\"4\" label=\"4–5 gånger i veckan\"/>" px &&
	grep -F "<option value=\"5\" score=\"4\" label=\"6–7 gånger i veckan\" system=\"http://example.org/cs\" code=\"6-7/v\"/>" px &&
	grep -F "<item id=\"q1\" type=\"choice\" system=\"http://loinc.org\" code=\"68518-0\">" px
'

# score 'JSON answers': "id value band" per score, then "alert status".
score() {
	echo "$1" > a.json &&
	"$STEG" score "$BUNDLE" mood --answers a.json > out.json &&
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for s in r["scores"]:
    print(s["id"], json.dumps(s["value"]), s["band"] or "-", json.dumps(s["range"]))
for a in r["alerts"]:
    print(a["id"], a["status"])
' out.json
}

test_expect_success 'the answers 4 and 5 both weigh 4: same total, band and alert' '
	score "{\"q1\": 4, \"q2\": 0, \"r1\": 0}" > got4 &&
	score "{\"q1\": 5, \"q2\": 0, \"r1\": 0}" > got5 &&
	cat > want <<-\EOF &&
	total 4 hög null
	omv 4 - null
	ofta fires
	EOF
	test_cmp want got4 &&
	test_cmp want got5
'

test_expect_success 'reverse scoring counts over the weights 0 to 4: 5 and 4 score 0' '
	for c in "0 4" "1 3" "2 2" "3 1" "4 0" "5 0"; do
		set -- $c &&
		score "{\"q1\": 0, \"q2\": 0, \"r1\": $1}" > got &&
		grep -x "omv $2 - null" got || { echo "r1=$1:"; cat got; return 1; }
	done
'

test_expect_success 'an unanswered item ranges over the weights, not the values' '
	score "{\"q1\": 5, \"r1\": 0}" > got &&
	grep -x "total null hög {\"from\": 4, \"to\": 8, \"exact\": true}" got || { cat got; return 1; }
'

test_expect_success 'an answer that is no option names the values' '
	echo "{\"q1\": 6}" > a.json &&
	run out "$STEG" score "$BUNDLE" mood --answers a.json &&
	test $rc = 1 &&
	cat > want <<-\EOF &&
	a.json: error: item '"'"'q1'"'"': 6 is not one of its answer options (0, 1, 2, 3, 4, 5) [answers-value]
	1 error generated
	EOF
	test_cmp want out
'

test_expect_success 'a changed weight is a major change; a changed code is not a value change' '
	cp -R "$TRASH_ROOT/p" p2 &&
	sed -i "s/{ value: 5, score: 4,/{ value: 5, score: 3,/" p2/forms/mood.yaml &&
	sed -i "s/version: 1.0.0/version: 2.0.0/" p2/program.yaml &&
	"$STEGC" build -q p2 -o new.steg &&
	"$STEGC" diff "$BUNDLE" new.steg > out &&
	grep -F "answer options'"'"' values changed" out
'

test_done
