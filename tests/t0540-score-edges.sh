#!/bin/sh
# t0540 — scoring at its edges, where a deliberate bug survived the suite
# before (docs/testing.md, mutants): reverse scoring of options and scales
# that do not start at 0 (lowest + highest - answer, not highest -
# answer); a score that divides is not a whole number, so bands on it must
# meet exactly and a quotient such as 2.5 gets its band; and the band of a
# value on a band's edge, for whole and for fractional scores.
. "$(dirname "$0")/lib.sh"

BUNDLE=$TRASH_ROOT/edges.steg

test_expect_success 'a program with the test form checks clean and builds' '
	cp -R "$SRC/tests/golden/base" "$TRASH_ROOT/p" &&
	cat > "$TRASH_ROOT/p/forms/mood.yaml" <<-\EOF &&
	id: mood
	title: Kanter
	options:
	  - { value: 1, label: aldrig }
	  - { value: 2, label: sällan }
	  - { value: 3, label: ibland }
	  - { value: 4, label: ofta }
	  - { value: 5, label: alltid }
	items:
	  - { id: r1, text: t, reverse: true }
	  - { id: s1, text: t, type: scale, min: 1, max: 7, reverse: true }
	  - { id: q1, text: t }
	  - { id: q2, text: t }
	scores:
	  - id: omv
	    value: r1
	  - id: skala
	    value: s1
	  - id: halv
	    value: sum(q1..q2) / 2
	    bands:
	      - { from: 1, to: 2.5, label: låg }
	      - { from: 2.5, to: 5, label: hög }
	  - id: summa
	    value: sum(q1..q2)
	    bands:
	      - { from: 2, to: 4, label: låg }
	      - { from: 5, to: 10, label: hög }
	EOF
	"$STEGC" check -Werror "$TRASH_ROOT/p" &&
	"$STEGC" build -q "$TRASH_ROOT/p" -o "$BUNDLE"
'

# score 'JSON answers': "id value band" per score, in order.
score() {
	echo "$1" > a.json &&
	"$STEG" score "$BUNDLE" mood --answers a.json > out.json &&
	python3 -c '
import json, sys
for s in json.load(open(sys.argv[1]))["scores"]:
    print(s["id"], json.dumps(s["value"]), s["band"] or "-")
' out.json
}

test_expect_success 'reverse scoring of options 1 to 5 maps 1..5 to 5..1' '
	for v in 1 2 3 4 5; do
		score "{\"r1\": $v, \"s1\": 1, \"q1\": 1, \"q2\": 1}" > got &&
		grep -x "omv $((6 - v)) -" got || { cat got; return 1; }
	done
'

test_expect_success 'reverse scoring of a scale 1 to 7 maps 1..7 to 7..1' '
	for v in 1 2 3 4 5 6 7; do
		score "{\"r1\": 1, \"s1\": $v, \"q1\": 1, \"q2\": 1}" > got &&
		grep -x "skala $((8 - v)) -" got || { cat got; return 1; }
	done
'

test_expect_success 'a quotient of 2.5 gets its band; a band edge belongs to the upper band' '
	for c in "1 1 1 låg" "1 2 1.5 låg" "2 2 2 låg" "2 3 2.5 hög" "1 4 2.5 hög" "3 3 3 hög" "5 5 5 hög"; do
		set -- $c &&
		score "{\"r1\": 1, \"s1\": 1, \"q1\": $1, \"q2\": $2}" > got &&
		grep -x "halv $3 $4" got || { echo "q1=$1 q2=$2:"; cat got; return 1; }
	done
'

test_expect_success 'a whole score on the edges of its bands' '
	for c in "1 1 2 låg" "2 2 4 låg" "2 3 5 hög" "5 5 10 hög"; do
		set -- $c &&
		score "{\"r1\": 1, \"s1\": 1, \"q1\": $1, \"q2\": $2}" > got &&
		grep -x "summa $3 $4" got || { echo "q1=$1 q2=$2:"; cat got; return 1; }
	done
'

test_expect_success 'bands that meet only for whole numbers leave a gap on a score that divides' '
	cp -R "$TRASH_ROOT/p" p &&
	sed -i "s/{ from: 1, to: 2.5, label: låg }/{ from: 1, to: 2, label: låg }/; s/{ from: 2.5, to: 5, label: hög }/{ from: 3, to: 5, label: hög }/" p/forms/mood.yaml &&
	run out "$STEGC" check p &&
	test $rc = 1 &&
	cat > want <<-\EOF &&
	p/forms/mood.yaml:23:9: error: no band for a '"'"'halv'"'"' between 2 and 3: the bands leave a gap between '"'"'låg'"'"' (1 to 2) and '"'"'hög'"'"' (3 to 5) [band-gap]
	   23 |       - { from: 3, to: 5, label: hög }
	      |         ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
	1 error generated
	EOF
	test_cmp want out
'

test_done
