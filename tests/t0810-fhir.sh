#!/bin/sh
# t0810-fhir — rating forms as FHIR R4 Questionnaires: export-fhir and
# import-fhir, round trips, public questionnaires we did not write
# (tests/data/fhir/README.md), and hostile input.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/tests/data/fhir
Q="'"

# A program with a form that uses every item type, reverse scoring,
# show-if of every shape and scores of every function.
make_prog() {
	"$STEGC" new prog > /dev/null &&
	cat > prog/forms/fhirtest.yaml <<-'EOT'
	id: fhirtest
	title: Testformulär
	name: FT-9
	reference: Eget formulär för test
	license: CC0-1.0
	instructions: Svara på alla frågor.
	options:
	  - { value: 0, label: Nej }
	  - { value: 1, label: Lite }
	  - { value: 2, label: Mycket }
	items:
	  - { id: a1, text: Fråga ett }
	  - { id: a2, text: Fråga två, reverse: true }
	  - { id: a3, text: Fråga tre, show-if: a1 >= 1 }
	  - id: a4
	    text: Hur många timmar?
	    type: number
	    min: 0
	    max: 24
	    show-if: a1 == 2 and a2 != 0
	  - { id: a5, text: Hur mår du?, type: scale, min: 0, max: 10, required: true }
	  - { id: a6, text: Kommentar, type: text, show-if: not answered(a5) or a5 < 3 }
	  - { id: a7, text: Har du sökt vård?, type: boolean }
	  - { id: a8, text: När?, type: date, show-if: a7 == true }
	  - { id: a9, text: Fråga nio, show-if: a1 + a2 > 2 }
	scores:
	  - id: total
	    title: Summa
	    value: sum(a1..a3)
	    bands:
	      - { from: 0, to: 2, label: Låg }
	      - { from: 3, to: 4, label: Medel }
	      - { from: 5, to: 6, label: Hög, level: high }
	  - { id: medel, title: Medelvärde, value: round(mean(a1..a3) * 10) / 10 }
	  - { id: blandat, title: Blandat, value: "if(a7, a4 * 2, 0) + abs(a5 - 5) + count(a1, a2)" }
	alerts:
	  - { id: hog, when: total >= 5, level: warning, message: Högt värde }
	EOT
	cat >> prog/program.yaml <<-'EOT'
	  - form: fhirtest
	    at: [start]
	EOT
	# The new assessment went after 'messages': move it up into
	# 'assessments'.
	python3 - <<-'EOT'
	p = "prog/program.yaml"
	s = open(p).read()
	m = s.index("messages:\n")
	e = s.index("  - form: fhirtest")
	s = s[:m] + s[e:] + s[m:e]
	open(p, "w").write(s)
	EOT
	"$STEGC" build -q prog -o prog.steg
}

# Drop every Steg extension: what a reader that knows only FHIR keeps.
strip_steg() {
	python3 - "$1" "$2" <<-'EOT'
	import json, sys
	q = json.load(open(sys.argv[1]))
	def strip(o):
	    if isinstance(o, dict):
	        if "extension" in o:
	            o["extension"] = [e for e in o["extension"]
	                              if not e["url"].startswith("https://steg-sob.github.io/fhir/")]
	            if not o["extension"]:
	                del o["extension"]
	        for v in o.values():
	            strip(v)
	    elif isinstance(o, list):
	        for v in o:
	            strip(v)
	strip(q)
	json.dump(q, open(sys.argv[2], "w"), indent=1, ensure_ascii=False)
	EOT
}

test_expect_success 'import the LHC-Forms PHQ-9: weights, texts, what is left out' '
	cp "$DATA/lforms-phq9.json" phq9.json && mkdir p &&
	run err "$STEGC" import-fhir phq9.json -o p --id phq9 && test $rc = 0 &&
	cat > expect <<-\EOT &&
	wrote p/forms/phq9.yaml: 10 items, 0 scores, 0 alerts, 2 warnings
	phq9.json: warning: item[9].extension[13]: calculated item '"'"'/44261-6'"'"' is FHIRPath ('"'"'iif(%any_questions_answered, iif(%q1_value.exists(), %q1_value, 0) + iif(%q2_val...'"'"'), which is not translated; add a score with its '"'"'value'"'"' in Steg'"'"'s expression language by hand [fhir-unsupported]
	phq9.json: warning: item[10].answerOption: the options of item '"'"'q10'"'"' carry no weight (itemWeight or ordinalValue); they are numbered 0 to 3 in order — check them [fhir-no-weights]
	2 warnings generated
	EOT
	sort expect > e && sort err > a && test_cmp e a &&
	cat > expect <<-\EOT &&
	id: phq9
	title: "PHQ-9 quick depression assessment panel"
	name: "PHQ-9 quick depression assessment panel"
	code: { system: "http://loinc.org", code: "44249-1" }
	options:
	  - { value: 0, label: "Not at all" }
	  - { value: 1, label: "Several days" }
	  - { value: 2, label: "More than half the days" }
	  - { value: 3, label: "Nearly every day" }
	items:
	  - id: q1
	    text: "Little interest or pleasure in doing things?"
	    code: { system: "http://loinc.org", code: "44250-9" }
	    required: true
	EOT
	grep -v "^#" p/forms/phq9.yaml | head -14 > actual && test_cmp expect actual &&
	test $(grep -c "^  - id: q" p/forms/phq9.yaml) = 10 &&
	grep -A2 "id: q9" p/forms/phq9.yaml | grep -q "better off dead" &&
	! grep -A2 "id: q9" p/forms/phq9.yaml | grep -q required &&
	grep -A7 "id: q10" p/forms/phq9.yaml | grep -q "{ value: 3, label: \"Extremely difficult\" }"
'

test_expect_success 'import the ResearchKitOnFHIR GAD-7: group and contained value set' '
	cp "$DATA/researchkitonfhir-gad7.json" gad7.json && mkdir p &&
	run err "$STEGC" import-fhir gad7.json -o p && test $rc = 0 &&
	echo "wrote p/forms/generalized_anxiety_disorder_7.yaml: 7 items, 0 scores, 0 alerts, 0 warnings" > expect &&
	test_cmp expect err &&
	f=p/forms/generalized_anxiety_disorder_7.yaml &&
	grep -qx "instructions: \"How often have you been bothered by the following over the past 2 weeks?\"" $f &&
	grep -qx "  - { value: 3, label: \"Nearly every day\", code: { system: \"http://cardinalkit.org/fhir/uv/sdc/CodeSystem/CSGAD7\", code: \"Nearly every day\" } }" $f &&
	test $(grep -c "^    required: true" $f) = 7 &&
	grep -qx "    text: \"Feeling as if something awful might happen\"" $f
'

test_expect_success 'import the HL7 SDC PHQ-9 example: its whole-form sum becomes a score' '
	cp "$DATA/sdc-phq9.json" sdc.json && mkdir p &&
	run err "$STEGC" import-fhir sdc.json -o p --id phq9 && test $rc = 0 &&
	cat > expect <<-\EOT &&
	wrote p/forms/phq9.yaml: 9 items, 1 score, 0 alerts, 1 warning
	sdc.json: warning: item[0].item[9].extension[0]: the sum of every answer${Q}s weight is read as ${Q}sum(q1..q9)${Q}; FHIRPath${Q}s sum() leaves unanswered items out, while Steg${Q}s sum is missing when one is unanswered — check the instrument${Q}s rule for missing answers [fhir-unsupported]
	1 warning generated
	EOT
	sed "s/\${Q}/$Q/g" expect > e && sort e > e2 && sort err > a && test_cmp e2 a &&
	grep -qx "    value: \"sum(q1..q9)\"" p/forms/phq9.yaml &&
	grep -qx "  - id: total" p/forms/phq9.yaml &&
	"$STEGC" new prog > /dev/null && cp p/forms/phq9.yaml prog/forms/ &&
	sed -i "s/^    at: \[start, end\]/    at: [start, end]\n  - { form: phq9, at: [start] }/" prog/program.yaml &&
	"$STEGC" build -q prog -o prog.steg &&
	echo "{\"q1\":3,\"q2\":3,\"q3\":3,\"q4\":3,\"q5\":3,\"q6\":3,\"q7\":3,\"q8\":3,\"q9\":2}" > a.json &&
	"$STEG" score prog.steg phq9 --answers a.json > s.json &&
	python3 -c "import json; print(json.load(open(\"s.json\"))[\"scores\"][0][\"value\"])" > actual &&
	echo 26 > expect && test_cmp expect actual
'

test_expect_success 'imported PHQ-9 and GAD-7 check clean and score as published' '
	"$STEGC" new prog > /dev/null &&
	"$STEGC" import-fhir -q "$DATA/lforms-phq9.json" -o prog --id phq9 2>/dev/null &&
	"$STEGC" import-fhir -q "$DATA/researchkitonfhir-gad7.json" -o prog --id gad7 &&
	cat >> prog/forms/phq9.yaml <<-\EOT &&
	scores:
	  - id: total
	    value: sum(q1..q9)
	    bands:
	      - { from: 0, to: 4, label: Minimal }
	      - { from: 5, to: 9, label: Mild }
	      - { from: 10, to: 14, label: Moderate }
	      - { from: 15, to: 19, label: Moderately severe }
	      - { from: 20, to: 27, label: Severe }
	EOT
	sed -i "s/^    at: \[start, end\]/    at: [start, end]\n  - { form: phq9, at: [start] }\n  - { form: gad7, at: [start] }/" prog/program.yaml &&
	run out "$STEGC" check prog && test $rc = 0 && ! grep -q warning out &&
	"$STEGC" build -q prog -o prog.steg &&
	echo "{\"q1\":3,\"q2\":3,\"q3\":2,\"q4\":1,\"q5\":0,\"q6\":1,\"q7\":0,\"q8\":0,\"q9\":0}" > a.json &&
	"$STEG" score prog.steg phq9 --answers a.json > s.json &&
	python3 -c "import json; s = json.load(open(\"s.json\"))[\"scores\"][0]; print(s[\"value\"], s[\"band\"])" > actual &&
	echo "10 Moderate" > expect && test_cmp expect actual &&
	echo "{\"q1\":3,\"q2\":3,\"q3\":3,\"q4\":3,\"q5\":3,\"q6\":3,\"q7\":3,\"q8\":3,\"q9\":3,\"q10\":1}" > a.json &&
	"$STEG" score prog.steg phq9 --answers a.json > s.json &&
	python3 -c "import json; s = json.load(open(\"s.json\"))[\"scores\"][0]; print(s[\"value\"], s[\"band\"])" > actual &&
	echo "27 Severe" > expect && test_cmp expect actual
'

test_expect_success 'export: weights, skip logic and scores as FHIR' '
	make_prog &&
	run err "$STEGC" export-fhir prog.steg fhirtest -o q.json && test $rc = 0 &&
	cat > expect <<-\EOT &&
	prog.steg:program.xml:NN: note: show-if '"'"'a1 + a2 > 2'"'"' of item '"'"'a9'"'"' does not map onto enableWhen; it is exported as an SDC enableWhenExpression, which readers without SDC ignore [fhir-unsupported]
	prog.steg:program.xml:NN: note: FHIR Questionnaire has no alerts: the form'"'"'s 1 alert travels only in a Steg extension [fhir-unsupported]
	EOT
	sed "s/program.xml:[0-9]*:/program.xml:NN:/" err > actual && test_cmp expect actual &&
	python3 - <<-\EOT
	import json
	q = json.load(open("q.json"))
	assert q["resourceType"] == "Questionnaire" and q["id"] == "fhirtest"
	it = {i["linkId"]: i for i in q["item"]}
	assert it["instructions"]["type"] == "display"
	W = "http://hl7.org/fhir/StructureDefinition/itemWeight"
	O = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
	def w(o, url):
	    return [e["valueDecimal"] for e in o["extension"] if e["url"] == url][0]
	a1 = it["a1"]["answerOption"]
	assert [(o["valueCoding"]["code"], w(o, O), w(o, W)) for o in a1] == \
	    [("0", 0, 0), ("1", 1, 1), ("2", 2, 2)]
	# reverse-scored: the answer is the code, the weight counts back
	a2 = it["a2"]["answerOption"]
	assert [(o["valueCoding"]["code"], w(o, W)) for o in a2] == \
	    [("0", 2), ("1", 1), ("2", 0)]
	assert it["a3"]["enableBehavior"] == "any"
	assert [(e["question"], e["operator"], e["answerCoding"]["code"])
	        for e in it["a3"]["enableWhen"]] == [("a1", "=", "1"), ("a1", "=", "2")]
	assert it["a4"]["type"] == "decimal" and it["a4"]["enableBehavior"] == "all"
	assert [(e["question"], e["operator"], e["answerCoding"]["code"])
	        for e in it["a4"]["enableWhen"]] == [("a1", "=", "2"), ("a2", "!=", "2")]
	assert it["a5"]["type"] == "integer" and it["a5"]["required"] is True
	assert it["a6"]["enableWhen"] == [
	    {"question": "a5", "operator": "exists", "answerBoolean": False},
	    {"question": "a5", "operator": "<", "answerInteger": 3}]
	assert it["a8"]["enableWhen"] == [
	    {"question": "a7", "operator": "=", "answerBoolean": True}]
	assert it["a7"]["type"] == "boolean" and it["a8"]["type"] == "date"
	assert it["a6"]["type"] == "string"
	ewe = [e for e in it["a9"]["extension"] if e["url"].endswith("enableWhenExpression")]
	assert ewe[0]["valueExpression"]["expression"] == \
	    "iif((%resource.item.where(linkId=\x27a1\x27).answer.value.weight() + %resource.item.where(linkId=\x27a2\x27).answer.value.weight()) > 2, true, false)"
	C = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
	def calc(i):
	    return [e for e in i["extension"] if e["url"] == C][0]["valueExpression"]["expression"]
	assert it["total"]["readOnly"] is True
	assert calc(it["total"]) == "iif(%resource.item.where(linkId in (\x27a1\x27 | \x27a2\x27 | \x27a3\x27)).answer.value.weight().count() = 3, %resource.item.where(linkId in (\x27a1\x27 | \x27a2\x27 | \x27a3\x27)).answer.value.weight().aggregate($total + $this, 0), {})", calc(it["total"])
	assert "round()" in calc(it["medel"]) and "abs()" in calc(it["blandat"])
	EOT
'

test_expect_success 'round trip: export, import, build, export gives the same questionnaire' '
	make_prog &&
	"$STEGC" export-fhir prog.steg fhirtest -o q1.json 2>/dev/null &&
	cp prog/forms/fhirtest.yaml orig.yaml &&
	run err "$STEGC" import-fhir q1.json -o prog --force && test $rc = 0 &&
	grep -q "wrote prog/forms/fhirtest.yaml: 9 items, 3 scores, 1 alert, 0 warnings" err &&
	"$STEGC" build -q prog -o prog2.steg &&
	"$STEGC" export-fhir prog2.steg fhirtest -o q2.json 2>/dev/null &&
	test_cmp q1.json q2.json &&
	grep -qx "    show-if: \"a1 == 2 and a2 != 0\"" prog/forms/fhirtest.yaml &&
	grep -qx "    reverse: true" prog/forms/fhirtest.yaml &&
	grep -qx "      - { from: 5, to: 6, label: \"Hög\", level: \"high\" }" prog/forms/fhirtest.yaml
'

test_expect_success 'a free comment (longtext) is FHIR type text and comes back as longtext, never scored' '
	make_prog &&
	sed -i "s/^  - { id: a9, text: Fråga nio, show-if: a1 + a2 > 2 }$/&\n  - { id: a10, text: Något mer du vill säga?, type: longtext }/" prog/forms/fhirtest.yaml &&
	grep -q "id: a10" prog/forms/fhirtest.yaml &&
	"$STEGC" build -q prog -o lt.steg &&
	"$STEGC" export-fhir lt.steg fhirtest -o q1.json 2>/dev/null &&
	python3 -c "import json; q = json.load(open(\"q1.json\")); it = {i[\"linkId\"]: i for i in q[\"item\"]}; assert it[\"a10\"][\"type\"] == \"text\" and it[\"a6\"][\"type\"] == \"string\", it[\"a10\"]; assert \"answerOption\" not in it[\"a10\"]" &&
	run err "$STEGC" import-fhir q1.json -o prog --force && test $rc = 0 &&
	grep -q "wrote prog/forms/fhirtest.yaml: 10 items, 3 scores, 1 alert, 0 warnings" err &&
	grep -A2 "id: a10" prog/forms/fhirtest.yaml | grep -qx "    type: longtext" &&
	grep -A2 "id: a6" prog/forms/fhirtest.yaml | grep -qx "    type: text" &&
	"$STEGC" build -q prog -o lt2.steg &&
	"$STEGC" export-fhir lt2.steg fhirtest -o q2.json 2>/dev/null &&
	test_cmp q1.json q2.json &&
	printf "{\"a1\": 1, \"a2\": 0, \"a3\": 2, \"a5\": 7, \"a7\": false, \"a9\": 0, \"a10\": \"Jag sover bättre.\\\\nTack.\"}" > ans.json &&
	"$STEG" score lt2.steg fhirtest --answers ans.json --text > with &&
	sed "s/, \"a10\": \"[^\"]*\"//" ans.json > ans2.json && ! grep -q a10 ans2.json &&
	"$STEG" score lt2.steg fhirtest --answers ans2.json --text > without &&
	test_cmp with without &&
	grep -qx "form fhirtest: complete" without
'

test_expect_success 'codes travel both ways: the form'"'"'s LOINC code, an item'"'"'s, the answers'"'"' LA codes' '
	make_prog &&
	python3 - <<-\EOT &&
	p = "prog/forms/fhirtest.yaml"
	s = open(p).read()
	s = s.replace("instructions: Svara på alla frågor.\n",
	              "instructions: Svara på alla frågor.\ncode: { system: http://loinc.org, code: 69737-5 }\n")
	s = s.replace("  - { id: a1, text: Fråga ett }\n",
	              "  - id: a1\n    text: Fråga ett\n    code: { system: http://loinc.org, code: 69725-0 }\n"
	              "    options:\n"
	              "      - { value: 0, label: Nej, code: { system: http://loinc.org, code: LA6568-5 } }\n"
	              "      - { value: 1, label: Lite, code: { system: http://loinc.org, code: LA6569-3 } }\n"
	              "      - { value: 2, label: Mycket, code: { system: http://loinc.org, code: LA6570-1 } }\n")
	open(p, "w").write(s)
	EOT
	"$STEGC" build -q prog -o c.steg &&
	"$STEGC" export-fhir c.steg fhirtest -o q1.json 2>/dev/null &&
	python3 - <<-\EOT &&
	import json
	q = json.load(open("q1.json"))
	L = "http://loinc.org"
	assert q["code"] == [{"system": L, "code": "69737-5", "display": "Testformulär"}], q["code"]
	it = {i["linkId"]: i for i in q["item"]}
	assert it["a1"]["code"] == [{"system": L, "code": "69725-0"}], it["a1"]
	assert [o["valueCoding"]["system"] + " " + o["valueCoding"]["code"] for o in it["a1"]["answerOption"]] == \
	    [L + " LA6568-5", L + " LA6569-3", L + " LA6570-1"]
	S = q["url"].replace("/Questionnaire/", "/CodeSystem/") + "/a2"
	assert S.startswith("https://steg-sob.github.io/fhir/CodeSystem/"), S
	assert it["a2"]["answerOption"][0]["valueCoding"] == {"system": S, "code": "0", "display": "Nej"}, it["a2"]
	# show-if a1 >= 1 on coded answers: enableWhen answers with their codes
	assert [(e["operator"], e["answerCoding"]) for e in it["a3"]["enableWhen"]] == \
	    [("=", {"system": L, "code": "LA6569-3", "display": "Lite"}),
	     ("=", {"system": L, "code": "LA6570-1", "display": "Mycket"})], it["a3"]["enableWhen"]
	S4 = q["url"].replace("/Questionnaire/", "/CodeSystem/") + "/a2"
	assert [(e["operator"], e["answerCoding"]) for e in it["a4"]["enableWhen"]][1:] == \
	    [("!=", {"system": S4, "code": "2"})], it["a4"]["enableWhen"]
	EOT
	run err "$STEGC" import-fhir q1.json -o prog --force && test $rc = 0 &&
	grep -qx "code: { system: \"http://loinc.org\", code: \"69737-5\" }" prog/forms/fhirtest.yaml &&
	grep -qx "    code: { system: \"http://loinc.org\", code: \"69725-0\" }" prog/forms/fhirtest.yaml &&
	grep -qx "      - { value: 1, label: \"Lite\", code: { system: \"http://loinc.org\", code: \"LA6569-3\" } }" prog/forms/fhirtest.yaml &&
	"$STEGC" build -q prog -o c2.steg &&
	"$STEGC" export-fhir c2.steg fhirtest -o q2.json 2>/dev/null &&
	test_cmp q1.json q2.json
'

test_expect_success 'import: linkIds that are words of the expressions are renamed; hidden, initial and prefix are named' '
	cat > w.json <<-\EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "Ord",
	 "item": [
	  {"linkId": "and", "text": "Första", "type": "boolean", "prefix": "1."},
	  {"linkId": "true", "text": "Andra", "type": "boolean",
	   "enableWhen": [{"question": "and", "operator": "=", "answerBoolean": true}]},
	  {"linkId": "dold", "text": "Dold", "type": "string",
	   "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden", "valueBoolean": true}],
	   "initial": [{"valueString": "x"}]}
	 ]}
	EOT
	mkdir p && run err "$STEGC" import-fhir w.json -o p --id ord && test $rc = 0 &&
	cat > expect <<-\EOT &&
	wrote p/forms/ord.yaml: 3 items, 0 scores, 0 alerts, 5 warnings
	w.json: warning: item[0].linkId: linkId '"'"'and'"'"' is a word of Steg'"'"'s expressions; the item is called '"'"'q1'"'"' (and its show-if conditions follow) [fhir-unsupported]
	w.json: warning: item[0].prefix: prefix '"'"'1.'"'"' is not carried over: Steg numbers the questions itself [fhir-unsupported]
	w.json: warning: item[1].linkId: linkId '"'"'true'"'"' is a word of Steg'"'"'s expressions; the item is called '"'"'q2'"'"' (and its show-if conditions follow) [fhir-unsupported]
	w.json: warning: item[2]: the item is hidden (questionnaire-hidden), but Steg shows every item whose show-if holds; remove it or give it a show-if [fhir-unsupported]
	w.json: warning: item[2].initial: initial answers are not carried over: the patient starts with none [fhir-unsupported]
	5 warnings generated
	EOT
	sort expect > e && sort err > a && test_cmp e a &&
	grep -qx "  - id: q2" p/forms/ord.yaml &&
	grep -qx "    show-if: \"q1 == true\"" p/forms/ord.yaml &&
	"$STEGC" new prog2 > /dev/null && cp p/forms/ord.yaml prog2/forms/ &&
	run out "$STEGC" check prog2 && test $rc = 0 && ! grep -q "error" out
'

test_expect_success 'an enableWhen loop imports as written and is an expr-cycle error of check' '
	cat > loop.json <<-\EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "Ring",
	 "item": [
	  {"linkId": "a", "text": "A", "type": "boolean",
	   "enableWhen": [{"question": "b", "operator": "exists", "answerBoolean": true}]},
	  {"linkId": "b", "text": "B", "type": "boolean",
	   "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": true}]}
	 ]}
	EOT
	"$STEGC" new prog > /dev/null &&
	"$STEGC" import-fhir -q loop.json -o prog --id ring 2> /dev/null &&
	run out "$STEGC" check prog && test $rc = 1 &&
	grep -q "prog/forms/ring.yaml:[0-9]*:[0-9]*: error: the show-if conditions of these items wait on each other.s answers, so none of them can be shown first: a -> b -> a \[expr-cycle\]" out &&
	test $(grep -c "error:" out) = 1
'

test_expect_success 'a reader without Steg extensions still keeps items, weights and skip logic' '
	make_prog &&
	"$STEGC" export-fhir prog.steg fhirtest -o q.json 2>/dev/null &&
	strip_steg q.json plain.json && mkdir p &&
	run err "$STEGC" import-fhir plain.json -o p --id plain && test $rc = 0 &&
	f=p/forms/plain.yaml &&
	grep -qx "    show-if: \"a1 == 1 or a1 == 2\"" $f &&
	grep -qx "    show-if: \"a1 == 2 and a2 != 0\"" $f &&
	grep -qx "    show-if: \"not answered(a5) or a5 < 3\"" $f &&
	grep -qx "    show-if: \"a7 == true\"" $f &&
	grep -A4 "id: a2" $f | grep -qx "      - { value: 0, score: 2, label: \"Nej\" }" &&
	grep -q "item\[9\]: enableWhenExpression (FHIRPath) is not translated" err &&
	test $(grep -c "calculated item" err) = 3
'

test_expect_success 'export: unknown form lists the forms there are' '
	"$STEGC" new prog > /dev/null && "$STEGC" build -q prog -o prog.steg &&
	run err "$STEGC" export-fhir prog.steg nosuch && test $rc = 1 &&
	cat > expect <<-\EOT &&
	prog.steg: error: bundle has no form '"'"'nosuch'"'"' [fhir-no-form]
	prog.steg: note: its forms are '"'"'veckokoll'"'"'
	1 error generated
	EOT
	test_cmp expect err
'

test_expect_success 'export: a damaged bundle is refused' '
	printf "PK\003\004garbage" > bad.steg &&
	run err "$STEGC" export-fhir bad.steg veckokoll && test $rc = 1 &&
	grep -q "error:" err
'

test_expect_success 'import: malformed JSON names its line and column' '
	printf "{\n  \"resourceType\": \"Questionnaire\",\n  \"item\": [ 1, ]\n}\n" > bad.json &&
	run err "$STEGC" import-fhir bad.json && test $rc = 1 &&
	head -n 1 err > actual &&
	echo "bad.json:3:16: error: unexpected token near '"'"']'"'"' [fhir-json]" > expect &&
	test_cmp expect actual && ! test -d forms
'

test_expect_success 'import: duplicate keys, deep nesting, wrong resource, huge file' '
	echo "{\"resourceType\":\"Questionnaire\",\"id\":\"a\",\"id\":\"b\"}" > dup.json &&
	run err "$STEGC" import-fhir dup.json && test $rc = 1 &&
	grep -q "dup.json:1:45: error: duplicate object key near" err &&
	python3 -c "print(\"[\" * 100000)" > deep.json &&
	run err "$STEGC" import-fhir deep.json && test $rc = 1 &&
	grep -q "maximum parsing depth reached" err &&
	echo "{\"resourceType\":\"Bundle\"}" > b.json &&
	run err "$STEGC" import-fhir b.json && test $rc = 1 &&
	grep -qx "b.json: error: resourceType is '"'"'Bundle'"'"', not '"'"'Questionnaire'"'"' \[fhir-not-questionnaire\]" err &&
	python3 -c "print(\"{\\\"resourceType\\\":\\\"Questionnaire\\\",\\\"x\\\":\\\"\" + \"a\" * (9 << 20) + \"\\\"}\")" > big.json &&
	run err "$STEGC" import-fhir big.json && test $rc = 1 &&
	grep -q "fhir-json" err && ! test -d forms
'

test_expect_success 'import: a questionnaire of 5,000 items is refused in bounded time' '
	python3 -c "import json; json.dump({\"resourceType\": \"Questionnaire\", \"id\": \"big\", \"item\": [{\"linkId\": \"x\", \"type\": \"choice\", \"text\": \"t\", \"answerOption\": [{\"valueInteger\": 1}], \"enableWhen\": [{\"question\": \"x\", \"operator\": \"exists\", \"answerBoolean\": True}] * 20}] * 5000}, open(\"big.json\", \"w\"))" &&
	run err timeout 60 "$STEGC" import-fhir -Wno-fhir-unsupported big.json && test $rc = 1 &&
	grep -qx "big.json: error: item\[2000\]: more than 2000 items; a rating form has far fewer \[fhir-limit\]" err &&
	! test -e forms
'

test_expect_success 'import: what cannot be carried over is named by its FHIR path' '
	cat > q.json <<-\EOT &&
	{"resourceType": "Questionnaire", "id": "mixed", "title": "Blandat",
	 "item": [
	  {"linkId": "g", "type": "group", "text": "Del 1", "item": [
	    {"linkId": "x1", "type": "choice", "text": "Ett",
	     "answerOption": [{"valueCoding": {"code": "a", "display": "A"},
	       "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1}]}]},
	    {"linkId": "x2", "type": "choice", "text": "Två",
	     "answerValueSet": "http://loinc.org/vs/LL358-3"},
	    {"linkId": "x3", "type": "attachment", "text": "Bild"},
	    {"linkId": "x4", "type": "open-choice", "text": "Fyra",
	     "answerOption": [{"valueString": "ja"}, {"valueString": "nej"}]},
	    {"linkId": "x5", "type": "integer", "text": "Fem",
	     "enableWhen": [{"question": "x1", "operator": "=",
	       "answerCoding": {"code": "a"}}]}]},
	  {"linkId": "g2", "type": "group", "text": "Del 2", "item": [
	    {"linkId": "x6", "type": "dateTime", "text": "Sex", "repeats": true}]}
	 ]}
	EOT
	run err "$STEGC" import-fhir q.json && test $rc = 0 &&
	cat > expect <<-\EOT &&
	wrote forms/mixed.yaml: 4 items, 0 scores, 0 alerts, 7 warnings
	q.json: warning: item[0].item[1].answerValueSet: value set '"'"'http://loinc.org/vs/LL358-3'"'"' is not contained in the questionnaire; the item is left out [fhir-unsupported]
	q.json: warning: item[0].item[2].type: items of type '"'"'attachment'"'"' are not carried over; item '"'"'x3'"'"' is left out [fhir-unsupported]
	q.json: warning: item[0].item[3].type: open-choice becomes choice: the free-text answer is not carried over [fhir-unsupported]
	q.json: warning: item[0].item[3].answerOption: the options of item '"'"'x4'"'"' carry no weight (itemWeight or ordinalValue); they are numbered 0 to 1 in order — check them [fhir-no-weights]
	q.json: warning: item[1].text: the heading of group '"'"'g2'"'"' is not carried over (Steg forms have no groups) [fhir-unsupported]
	q.json: warning: item[1].item[0].repeats: more than one answer per item is not carried over; the item takes one answer [fhir-unsupported]
	q.json: warning: item[1].item[0].type: dateTime becomes date: the time of day is not carried over [fhir-unsupported]
	7 warnings generated
	EOT
	sort expect > e && sort err > a && test_cmp e a &&
	grep -qx "    show-if: \"x1 == 1\"" forms/mixed.yaml &&
	grep -qx "instructions: \"Del 1\"" forms/mixed.yaml
'

test_expect_success 'import: findings as JSON on standard output, the summary on stderr' '
	cp "$DATA/lforms-phq9.json" phq9.json &&
	"$STEGC" import-fhir --format json phq9.json --id phq9 > out.json 2> err &&
	python3 -c "import json; d = json.load(open(\"out.json\")); print(sorted(x[\"code\"] for x in d[\"diagnostics\"]))" > actual &&
	printf "%s\n" "[${Q}fhir-no-weights${Q}, ${Q}fhir-unsupported${Q}]" > expect &&
	test_cmp expect actual &&
	grep -q "^wrote forms/phq9.yaml" err
'

test_expect_success 'import: -Werror writes nothing; an existing form needs --force' '
	cp "$DATA/lforms-phq9.json" phq9.json &&
	run err "$STEGC" import-fhir -Werror phq9.json --id phq9 && test $rc = 1 &&
	! test -e forms/phq9.yaml &&
	"$STEGC" import-fhir -q phq9.json --id phq9 2>/dev/null &&
	cp forms/phq9.yaml before &&
	run err "$STEGC" import-fhir phq9.json --id phq9 && test $rc = 2 &&
	grep -q "stegc: error: .forms/phq9.yaml. exists; use --force to replace it" err &&
	test_cmp before forms/phq9.yaml &&
	"$STEGC" import-fhir -q --force phq9.json --id phq9 2>/dev/null
'

test_expect_success 'usage errors' '
	run err "$STEGC" import-fhir && test $rc = 2 &&
	run err "$STEGC" import-fhir a.json --id "Bad-Id" && test $rc = 2 &&
	run err "$STEGC" export-fhir onlyone && test $rc = 2 &&
	run err "$STEGC" export-fhir --bogus a b && test $rc = 2 &&
	run err "$STEGC" export-fhir --format json a.steg f && test $rc = 2 &&
	grep -q "give the questionnaire a file with -o" err &&
	"$STEGC" export-fhir --help | grep -q "usage: stegc export-fhir" &&
	"$STEGC" import-fhir --help | grep -q "usage: stegc import-fhir"
'

test_done
