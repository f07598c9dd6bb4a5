#!/bin/sh
# t0550-score-missing: scoring with missing answers (docs/forms.md,
# "Missing answers").  A missing answer could have been any of the item's
# answers: an alert that holds for every one of them fires, one that holds
# for some may fire, a score reports the values it could have and their
# bands.  A score prorates only where its form says so; required items
# left unanswered are named and make steg score exit 4 unless --partial.
# Reverse scoring, divided scores, show-if, the bound beyond which only
# interval bounds are given, and the examples scoring as before.
. "$(dirname "$0")/lib.sh"

BUNDLE=$TRASH_ROOT/m.steg
Q="'"

test_expect_success 'a program with the test forms builds' '
	cp -R "$SRC/tests/golden/base" "$TRASH_ROOT/p" &&
	cat >"$TRASH_ROOT/p/forms/angest.yaml" <<-\EOF &&
	id: angest
	title: Oro och ångest (GAD-7)
	options:
	  - { value: 0, label: Inte alls }
	  - { value: 1, label: Flera dagar }
	  - { value: 2, label: Mer än hälften av dagarna }
	  - { value: 3, label: Nästan varje dag }
	items:
	  - { id: q1, text: t, required: true }
	  - { id: q2, text: t, required: true }
	  - { id: q3, text: t, required: true }
	  - { id: q4, text: t, required: true }
	  - { id: q5, text: t, required: true }
	  - { id: q6, text: t, required: true }
	  - { id: q7, text: t, required: true }
	scores:
	  - id: total
	    value: sum(q1..q7)
	    bands:
	      - { from: 0, to: 4, label: Minimala, level: none }
	      - { from: 5, to: 9, label: Lindriga, level: mild }
	      - { from: 10, to: 14, label: Måttliga, level: moderate }
	      - { from: 15, to: 21, label: Svåra, level: severe }
	alerts:
	  - { id: svar_angest, when: total >= 15, level: warning, message: Summan är 15 eller högre. }
	EOF
	cat >"$TRASH_ROOT/p/forms/phq.yaml" <<-\EOF &&
	id: phq
	title: PHQ-9 utan regel för saknade svar
	options:
	  - { value: 0, label: Inte alls }
	  - { value: 1, label: Flera dagar }
	  - { value: 2, label: Mer än hälften av dagarna }
	  - { value: 3, label: Nästan varje dag }
	items:
	  - { id: q1, text: t }
	  - { id: q2, text: t }
	  - { id: q3, text: t }
	  - { id: q4, text: t }
	  - { id: q5, text: t }
	  - { id: q6, text: t }
	  - { id: q7, text: t }
	  - { id: q8, text: t }
	  - { id: q9, text: t }
	scores:
	  - id: total
	    value: sum(q1..q9)
	    bands:
	      - { from: 0, to: 4, label: Minimala, level: none }
	      - { from: 5, to: 9, label: Lindriga, level: mild }
	      - { from: 10, to: 14, label: Måttliga, level: moderate }
	      - { from: 15, to: 19, label: Medelsvåra, level: moderately-severe }
	      - { from: 20, to: 27, label: Svåra, level: severe }
	alerts:
	  - { id: suicidtankar, when: q9 > 0, level: urgent, message: Tankar på döden. }
	  - { id: svara_symtom, when: total >= 20, level: warning, message: Svåra symtom. }
	EOF
	python3 - "$TRASH_ROOT/p/forms" <<-\EOF &&
	import sys
	d = sys.argv[1]
	t = open(d + "/phq.yaml", encoding="utf-8").read()
	t = t.replace("id: phq\n", "id: phqpro\n", 1)
	t = t.replace("    value: sum(q1..q9)\n",
	              "    value: sum(q1..q9)\n    missing: { prorate: 2 }\n", 1)
	open(d + "/phqpro.yaml", "w", encoding="utf-8").write(t)
	EOF
	grep -q "^    missing: { prorate: 2 }$" "$TRASH_ROOT/p/forms/phqpro.yaml" &&
	cat >"$TRASH_ROOT/p/forms/omv.yaml" <<-\EOF &&
	id: omv
	title: Omvända frågor som inte börjar på 0
	items:
	  - id: r1
	    text: t
	    reverse: true
	    options:
	      - { value: 1, label: a }
	      - { value: 2, label: b }
	      - { value: 5, label: c }
	  - { id: s1, text: t, type: scale, min: 1, max: 4, reverse: true }
	scores:
	  - id: r
	    value: r1
	    bands:
	      - { from: 1, to: 1, label: Ett }
	      - { from: 2, to: 3, label: Två-tre }
	      - { from: 4, to: 5, label: Fyra-fem }
	  - id: rs
	    value: r1 * 10 + s1
	alerts:
	  - { id: r_tva, when: r1 == 2, level: info, message: Två. }
	  - { id: s_lag, when: s1 <= 1, level: info, message: Låg. }
	EOF
	cat >"$TRASH_ROOT/p/forms/delad.yaml" <<-\EOF &&
	id: delad
	title: Medel av två
	options:
	  - { value: 0, label: a }
	  - { value: 1, label: b }
	  - { value: 2, label: c }
	  - { value: 3, label: d }
	items:
	  - { id: q1, text: t }
	  - { id: q2, text: t }
	  - { id: q3, text: t, show-if: q1 > 0 }
	  - { id: n1, text: t, type: number, min: 0, max: 10 }
	scores:
	  - id: medel
	    value: sum(q1..q2) / 2
	    bands:
	      - { from: 0, to: 1.5, label: Låg }
	      - { from: 1.5, to: 3, label: Hög }
	  - id: noll
	    value: q1 - q1
	  - id: snitt
	    value: mean(q1..q2)
	  - id: dold
	    value: q3 * 2
	alerts:
	  - { id: aldrig, when: q1 - q1 > 0, level: info, message: Aldrig. }
	  - { id: antal, when: count(q1..q2) < 2, level: info, message: Ett svar saknas. }
	  - { id: alla, when: answered(q1..q2), level: info, message: Alla svar. }
	  - { id: dold_hog, when: q3 >= 2, level: info, message: Dold hög. }
	  - { id: tal, when: n1 >= 0, level: info, message: Alltid om besvarad. }
	EOF
	"$STEGC" build "$TRASH_ROOT/p" -o "$BUNDLE" >/dev/null 2>&1
'

# score FORM JSON [OPTION...]: steg score's stdout and stderr, then "exit N"
score() {
	form=$1 answers=$2
	shift 2
	printf "%s\n" "$answers" >a.json
	rc=0
	"$STEG" score "$BUNDLE" "$form" --answers a.json "$@" >out 2>err || rc=$?
	cat out err
	echo "exit $rc"
}

test_expect_success 'GAD-7 with q7 missing: the alert fires, the total is 18-21, severe (JSON)' '
	score angest "{\"q1\":3,\"q2\":3,\"q3\":3,\"q4\":3,\"q5\":3,\"q6\":3}" >actual &&
	cat >expect <<-\EOF &&
	{
	  "form": "angest",
	  "complete": false,
	  "missing": [
	    "q7"
	  ],
	  "required_missing": [
	    "q7"
	  ],
	  "scores": [
	    {
	      "id": "total",
	      "value": null,
	      "band": "Svåra",
	      "level": "severe",
	      "range": {
	        "from": 18,
	        "to": 21,
	        "exact": true
	      },
	      "bands": [
	        {
	          "band": "Svåra",
	          "level": "severe"
	        }
	      ],
	      "prorated": null,
	      "missing": [
	        "q7"
	      ]
	    }
	  ],
	  "alerts": [
	    {
	      "id": "svar_angest",
	      "level": "warning",
	      "message": "Summan är 15 eller högre.",
	      "status": "fires",
	      "missing": [
	        "q7"
	      ]
	    }
	  ]
	}
	steg: form '"'angest'"': incomplete: q7 not answered; alert '"'svar_angest'"' fires for every answer to q7
	a.json: error: required item '"'q7'"' of form '"'angest'"' is not answered: the result is partial; ask the patient, or accept a partial result with --partial [answers-required]
	1 error generated
	exit 4
	EOF
	test_cmp expect actual
'

test_expect_success 'GAD-7 with q7 missing, --partial --text: said plainly, exit 0' '
	score angest "{\"q1\":3,\"q2\":3,\"q3\":3,\"q4\":3,\"q5\":3,\"q6\":3}" --text --partial >actual &&
	cat >expect <<-\EOF &&
	form angest: incomplete: q7 not answered; alert '"'svar_angest'"' fires for every answer to q7
	score total: 18–21 depending on q7: Svåra (severe)
	alert svar_angest (warning) fires for every answer to q7: Summan är 15 eller högre.
	exit 0
	EOF
	test_cmp expect actual
'

test_expect_success 'GAD-7 complete: the same total and alert as always, exit 0' '
	score angest "{\"q1\":3,\"q2\":3,\"q3\":3,\"q4\":3,\"q5\":3,\"q6\":3,\"q7\":0}" --text >actual &&
	cat >expect <<-\EOF &&
	form angest: complete
	score total: 18: Svåra (severe)
	alert svar_angest (warning) fires: Summan är 15 eller högre.
	exit 0
	EOF
	test_cmp expect actual
'

test_expect_success 'required items are named, all of them, in form order' '
	score angest "{\"q2\":0,\"q4\":1,\"q5\":0,\"q6\":0}" >actual &&
	tail -n 3 actual >tail &&
	cat >expect <<-\EOF &&
	a.json: error: required items '"'q1'"', '"'q3'"' and '"'q7'"' of form '"'angest'"' are not answered: the result is partial; ask the patient, or accept a partial result with --partial [answers-required]
	1 error generated
	exit 4
	EOF
	test_cmp expect tail &&
	score angest "{\"q2\":0,\"q4\":1,\"q5\":0,\"q6\":0}" --partial >actual &&
	tail -n 1 actual >tail &&
	echo "exit 0" >expect &&
	test_cmp expect tail &&
	grep -q "\"required_missing\": \\[" actual
'

test_expect_success 'PHQ-9 with item 9 missing: both alerts possible, the total 18-21 across two bands' '
	score phq "{\"q1\":3,\"q2\":3,\"q3\":3,\"q4\":3,\"q5\":3,\"q6\":3,\"q7\":0,\"q8\":0}" --text >actual &&
	cat >expect <<-\EOF &&
	form phq: incomplete: q9 not answered; alert '"'suicidtankar'"' may fire, depending on q9; alert '"'svara_symtom'"' may fire, depending on q9
	score total: 18–21 depending on q9: Medelsvåra (moderately-severe) or Svåra (severe)
	alert suicidtankar (urgent) may fire, depending on q9: Tankar på döden.
	alert svara_symtom (warning) may fire, depending on q9: Svåra symtom.
	exit 0
	EOF
	test_cmp expect actual
'

test_expect_success 'PHQ-9 with item 9 missing: a total of 20 already fires, item 9 still possible (JSON)' '
	score phq "{\"q1\":3,\"q2\":3,\"q3\":3,\"q4\":3,\"q5\":3,\"q6\":3,\"q7\":2,\"q8\":0}" >out0 &&
	python3 -c "
import json, sys
r = json.loads(open(\"out\").read())
print(r[\"complete\"], r[\"missing\"], r[\"required_missing\"])
for s in r[\"scores\"]:
    print(s[\"id\"], s[\"value\"], s[\"band\"], s[\"range\"], [b[\"level\"] for b in s[\"bands\"]], s[\"prorated\"], s[\"missing\"])
for a in r[\"alerts\"]:
    print(a[\"id\"], a[\"status\"], a[\"missing\"])
" >actual &&
	cat >expect <<-\EOF &&
	False ['"'q9'"'] []
	total None Svåra {'"'from'"': 20, '"'to'"': 23, '"'exact'"': True} ['"'severe'"'] None ['"'q9'"']
	suicidtankar possible ['"'q9'"']
	svara_symtom fires ['"'q9'"']
	EOF
	test_cmp expect actual
'

test_expect_success 'proration only where the form says so: 4 of 8 answered becomes 4.5, rounded up to 5' '
	a="{\"q1\":1,\"q2\":1,\"q3\":1,\"q4\":1,\"q5\":0,\"q6\":0,\"q7\":0,\"q8\":0}" &&
	score phq "$a" --text >actual &&
	score phqpro "$a" --text >>actual &&
	score phqpro "$a" >out0 &&
	python3 -c "
import json
s = json.loads(open(\"out\").read())[\"scores\"][0]
print(s[\"value\"], s[\"level\"], s[\"prorated\"], s[\"range\"])
" >>actual &&
	cat >expect <<-\EOF &&
	form phq: incomplete: q9 not answered; alert '"'suicidtankar'"' may fire, depending on q9
	score total: 4–7 depending on q9: Minimala (none) or Lindriga (mild)
	alert suicidtankar (urgent) may fire, depending on q9: Tankar på döden.
	exit 0
	form phqpro: incomplete: q9 not answered; alert '"'suicidtankar'"' may fire, depending on q9
	score total: 5, prorated from 8 of 9 items; 4–7 depending on q9: Lindriga (mild)
	alert suicidtankar (urgent) may fire, depending on q9: Tankar på döden.
	exit 0
	5 mild {'"'answered'"': 8, '"'items'"': 9} {'"'from'"': 4, '"'to'"': 7, '"'exact'"': True}
	EOF
	test_cmp expect actual
'

test_expect_success 'proration: two missing still prorate (4 x 9 / 7 = 5.14 -> 5), three do not' '
	score phqpro "{\"q1\":1,\"q2\":1,\"q3\":1,\"q4\":1,\"q5\":0,\"q6\":0,\"q7\":0}" --text >out0 &&
	sed -n 2p out >actual &&
	score phqpro "{\"q1\":1,\"q2\":1,\"q3\":1,\"q4\":1,\"q5\":0,\"q6\":0}" --text >out0 &&
	sed -n 2p out >>actual &&
	score phqpro "{\"q1\":1,\"q2\":1,\"q3\":1,\"q4\":1,\"q5\":0,\"q6\":0,\"q7\":0,\"q8\":0,\"q9\":2}" --text >out0 &&
	sed -n 2p out >>actual &&
	cat >expect <<-\EOF &&
	score total: 5, prorated from 7 of 9 items; 4–10 depending on q8 and q9: Lindriga (mild)
	score total: 4–13 depending on q7, q8 and q9: Minimala (none), Lindriga (mild) or Måttliga (moderate)
	score total: 6: Lindriga (mild)
	EOF
	test_cmp expect actual
'

test_expect_success 'reverse scoring with options 1, 2, 5: a missing answer could score 5, 4 or 1, never 2' '
	score omv "{}" --text >actual &&
	score omv "{\"r1\":2}" --text >>actual &&
	cat >expect <<-\EOF &&
	form omv: incomplete: r1 and s1 not answered; alert '"'s_lag'"' may fire, depending on s1
	score r: 1–5 depending on r1: Ett or Fyra-fem
	score rs: 11–54 depending on r1 and s1
	alert s_lag (info) may fire, depending on s1: Låg.
	exit 0
	form omv: incomplete: s1 not answered; alert '"'s_lag'"' may fire, depending on s1
	score r: 4: Fyra-fem
	score rs: 41–44 depending on s1
	alert s_lag (info) may fire, depending on s1: Låg.
	exit 0
	EOF
	test_cmp expect actual
'

test_expect_success 'a divided score with a missing item: 2.5 and 1.5 get their bands' '
	score delad "{\"q1\":3,\"q3\":1,\"n1\":1}" --text >actual &&
	score delad "{\"q1\":0,\"n1\":1}" --text >>actual &&
	cat >expect <<-\EOF &&
	form delad: incomplete: q2 not answered; alert '"'antal'"' fires for every answer to q2
	score medel: 1.5–3 depending on q2: Hög
	score noll: 0
	score snitt: 3 (q2 not answered)
	score dold: 2
	alert antal (info) fires for every answer to q2: Ett svar saknas.
	alert tal (info) fires: Alltid om besvarad.
	exit 0
	form delad: incomplete: q2 not answered; alert '"'antal'"' fires for every answer to q2
	score medel: 0–1.5 depending on q2: Låg or Hög
	score noll: 0
	score snitt: 0 (q2 not answered)
	score dold: no value
	alert antal (info) fires for every answer to q2: Ett svar saknas.
	alert tal (info) fires: Alltid om besvarad.
	exit 0
	EOF
	test_cmp expect actual
'

test_expect_success 'exact, not interval: q1 - q1 is 0 whatever q1 is, and its alert never fires' '
	score delad "{\"q2\":1,\"n1\":1}" --text >actual &&
	cat >expect <<-\EOF &&
	form delad: incomplete: q1 and q3 not answered; alert '"'antal'"' fires for every answer to q1; alert '"'dold_hog'"' may fire, depending on q1 and q3
	score medel: 0.5–2 depending on q1: Låg or Hög
	score noll: 0 (q1 not answered)
	score snitt: 1 (q1 not answered)
	score dold: 0–6 depending on q1 and q3
	alert antal (info) fires for every answer to q1: Ett svar saknas.
	alert dold_hog (info) may fire, depending on q1 and q3: Dold hög.
	alert tal (info) fires: Alltid om besvarad.
	exit 0
	EOF
	test_cmp expect actual
'

test_expect_success 'an item its show-if hides for every answer is not missing; one that may be shown is' '
	score delad "{\"q1\":0,\"q2\":0,\"n1\":0}" >out0 &&
	python3 -c "
import json
r = json.loads(open(\"out\").read())
print(r[\"complete\"], r[\"missing\"], [a[\"id\"] for a in r[\"alerts\"]])
" >actual &&
	score delad "{\"q2\":0,\"n1\":0}" >out0 &&
	python3 -c "
import json
r = json.loads(open(\"out\").read())
print(r[\"complete\"], r[\"missing\"], [a[\"id\"] + \":\" + a[\"status\"] for a in r[\"alerts\"]])
" >>actual &&
	cat >expect <<-\EOF &&
	True [] ['"'alla'"', '"'tal'"']
	False ['"'q1'"', '"'q3'"'] ['"'antal:fires'"', '"'dold_hog:possible'"', '"'tal:fires'"']
	EOF
	test_cmp expect actual
'

test_expect_success 'a number item cannot be enumerated: bounds, and "may fire", never "fires"' '
	score delad "{\"q1\":1,\"q2\":1,\"q3\":0}" --text >actual &&
	cat >expect <<-\EOF &&
	form delad: incomplete: n1 not answered; alert '"'tal'"' may fire, depending on n1
	score medel: 1: Låg
	score noll: 0
	score snitt: 1
	score dold: 0
	alert alla (info) fires: Alla svar.
	alert tal (info) may fire, depending on n1: Alltid om besvarad.
	exit 0
	EOF
	test_cmp expect actual
'

test_expect_success 'beyond 65,536 completions the range is a bound (exact: false); at 65,536 it is exact' '
	score phq "{}" >out0 &&
	python3 -c "
import json
r = json.loads(open(\"out\").read())
s = r[\"scores\"][0]
print(s[\"range\"], len(s[\"bands\"]), [a[\"id\"] + \":\" + a[\"status\"] for a in r[\"alerts\"]])
" >actual &&
	score phq "{\"q1\":3}" >out0 &&
	python3 -c "
import json
r = json.loads(open(\"out\").read())
s = r[\"scores\"][0]
print(s[\"range\"], len(s[\"bands\"]), [a[\"id\"] + \":\" + a[\"status\"] for a in r[\"alerts\"]])
" >>actual &&
	cat >expect <<-\EOF &&
	{'"'from'"': 0, '"'to'"': 27, '"'exact'"': False} 5 ['"'suicidtankar:possible'"', '"'svara_symtom:possible'"']
	{'"'from'"': 3, '"'to'"': 27, '"'exact'"': True} 5 ['"'suicidtankar:possible'"', '"'svara_symtom:possible'"']
	EOF
	test_cmp expect actual
'

test_expect_success '--json and --text together is a usage error' '
	printf "{}\n" >a.json &&
	run out "$STEG" score "$BUNDLE" phq --answers a.json --json --text &&
	test $rc = 2 &&
	grep -q "^steg: error: --json and --text do not go together; choose one$" out
'

# every example form, answered completely with every item at one option
# (yes/no items alternating): "FORM k: score=value/band/level ... | alerts"
examples_summary() {
	for ex in depression insomnia tobacco; do
		"$STEGC" build "$EX/$ex" -o "$ex.steg" >/dev/null 2>&1 || return 1
	done
	for spec in depression:phq9:3 depression:gad7:3 insomnia:somnskattning:4 tobacco:abstinens:3; do
		ex=${spec%%:*} rest=${spec#*:} form=${rest%%:*} top=${rest#*:}
		k=0
		while [ $k -le $top ]; do
			python3 - "$SRC/examples/$ex/forms/$form.yaml" $k >a.json <<-\PY
			import json, re, sys
			text = open(sys.argv[1], encoding="utf-8").read()
			k = int(sys.argv[2])
			ans = {}
			for m in re.finditer(r"^  - id: (\w+)\n((?:    .*\n)*)", text.split("\nscores:")[0], re.M):
			    ans[m.group(1)] = (k % 2 == 1) if "type: boolean" in m.group(2) else k
			print(json.dumps(ans))
			PY
			"$STEG" score "$ex.steg" $form --answers a.json >out || return 1
			python3 -c "
import json, sys
r = json.load(open(\"out\"))
print(sys.argv[1], sys.argv[2] + \":\", *[\"%s=%s/%s/%s\" % (s[\"id\"], s[\"value\"], s[\"band\"], s[\"level\"]) for s in r[\"scores\"]], \"|\", *[a[\"id\"] for a in r[\"alerts\"]])
" $form $k || return 1
			k=$((k + 1))
		done
	done
}

test_expect_success 'the examples'"'"' forms score as before when complete' '
	examples_summary >actual &&
	cat >expect <<-\EOF &&
	phq9 0: total=0/Minimala eller inga symtom/none |
	phq9 1: total=9/Lindriga symtom/mild | suicidtankar
	phq9 2: total=18/Medelsvåra symtom/moderately-severe | suicidtankar
	phq9 3: total=27/Svåra symtom/severe | suicidtankar svara_symtom
	gad7 0: total=0/Minimala eller inga symtom/none |
	gad7 1: total=7/Lindriga symtom/mild |
	gad7 2: total=14/Måttliga symtom/moderate |
	gad7 3: total=21/Svåra symtom/severe | svar_oro
	somnskattning 0: total=4/Små sömnbesvär/mild |
	somnskattning 1: total=7/Måttliga sömnbesvär/moderate | trotthet_trafik
	somnskattning 2: total=10/Måttliga sömnbesvär/moderate |
	somnskattning 3: total=13/Stora sömnbesvär/severe | trotthet_trafik
	somnskattning 4: total=16/Stora sömnbesvär/severe |
	abstinens 0: total=0/Lätta besvär/mild sug=0/Lite eller inget sug/mild |
	abstinens 1: total=6/Måttliga besvär/moderate sug=1/Lite eller inget sug/mild |
	abstinens 2: total=12/Starka besvär/severe sug=2/Starkt sug/severe |
	abstinens 3: total=18/Starka besvär/severe sug=3/Starkt sug/severe |
	EOF
	test_cmp expect actual
'

test_expect_success 'program.xml records the rule; the schema takes it; it reads back the same' '
	. "$SRC/tests/tools/progxml-tool.sh" &&
	build_progxml_tool &&
	unzip -p "$BUNDLE" program.xml >program.xml &&
	grep -c "<score id=\"total\" prorate=\"2\">" program.xml >n &&
	echo 1 >expect && test_cmp expect n &&
	xmllint --noout --schema "$SRC/schemas/program.xsd" program.xml &&
	"$PXT" rt program.xml >again.xml &&
	cmp program.xml again.xml &&
	sed "s/prorate=\"2\"/prorate=\"0\"/" program.xml >zero.xml &&
	! xmllint --noout --schema "$SRC/schemas/program.xsd" zero.xml 2>/dev/null
'

test_expect_success 'stegc diff: adding or changing the rule is a major change' '
	cp -R "$TRASH_ROOT/p" q &&
	sed -i "s/missing: { prorate: 2 }/missing: { prorate: 1 }/" q/forms/phqpro.yaml &&
	sed -i "s/^version: 1.0.0$/version: 2.0.0/" q/program.yaml &&
	"$STEGC" build q -o new.steg >/dev/null 2>&1 &&
	"$STEGC" diff "$BUNDLE" new.steg >out &&
	grep -Fx "major: form ${Q}phqpro${Q} score ${Q}total${Q}: rule for missing answers changed" out
'

test_expect_success 'FHIR: the rule is exported (extension and a prorating calculatedExpression) and imported back' '
	"$STEGC" export-fhir "$BUNDLE" phqpro -o q.json 2>/dev/null &&
	python3 -c "
import json
q = json.load(open(\"q.json\"))
s = [i for i in q[\"item\"] if i[\"linkId\"] == \"total\"][0]
for e in s[\"extension\"]:
    if e[\"url\"].endswith(\"calculatedExpression\"):
        print(e[\"valueExpression\"][\"expression\"].replace(\"%resource.item.where(linkId in (\" + \" | \".join(\"${Q}q%d${Q}\" % k for k in range(1, 10)) + \")).answer.value.weight()\", \"X\"))
for e in s[\"extension\"]:
    if e[\"url\"] == \"https://steg-sob.github.io/fhir/StructureDefinition/missing\":
        print(json.dumps(e))
" >actual &&
	cat >expect <<-\EOF &&
	iif(X.count() >= 7, (X.aggregate($total + $this, 0) * 9 / X.count()).select(iif($this < 0, 0 - (0 - $this).round(), $this.round())), {})
	{"url": "https://steg-sob.github.io/fhir/StructureDefinition/missing", "extension": [{"url": "prorate", "valueInteger": 2}]}
	EOF
	test_cmp expect actual &&
	mkdir imp &&
	"$STEGC" import-fhir q.json -o imp >/dev/null 2>&1 &&
	grep -A1 "^    value: \"sum(q1..q9)\"$" imp/forms/phqpro.yaml >actual &&
	printf "%s\n" "    value: \"sum(q1..q9)\"" "    missing: { prorate: 2 }" >expect &&
	test_cmp expect actual &&
	cp -R "$TRASH_ROOT/p" r &&
	cp imp/forms/phqpro.yaml r/forms/phqpro.yaml &&
	"$STEGC" build r -o r.steg >/dev/null 2>&1 &&
	"$STEGC" export-fhir r.steg phqpro -o q2.json 2>/dev/null &&
	python3 -c "
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
pick = lambda q: [i for i in q[\"item\"] if i[\"linkId\"] == \"total\"]
assert pick(a) == pick(b), (pick(a), pick(b))
" q.json q2.json
'

test_done
