#!/bin/sh
# t0814-fhir-drops — what import-fhir used to drop or mislabel without a
# word (docs/fhir.md, "Import"): a text only in the rendering-xhtml
# extension is carried as plain text and reported; a question without
# text is named at import and refused by check; a duplicate linkId is
# renamed with its mapping in the warning and conditions on it are not
# guessed; a CQL (or other non-FHIRPath) expression is called by its
# language.  And on export: Questionnaire.name is a machine label made
# from the form's id, the form's short name travels in Steg's name
# extension, and every answer Coding has a system.
. "$(dirname "$0")/lib.sh"
Q="'"
XHTML=http://hl7.org/fhir/StructureDefinition/rendering-xhtml
CALC=http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression
EWX=http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression

# A program to check imported forms in: the form is an assessment.
prog_with() {
	rm -rf prog && "$STEGC" new prog > /dev/null &&
	cp "$1" prog/forms/ &&
	sed -i "s/^    at: \[start, end\]/    at: [start, end]\n  - { form: $2, at: [start] }/" prog/program.yaml
}

test_expect_success 'a text only in rendering-xhtml is carried as plain text and reported' '
	cat > x.json <<-EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "X",
	 "item": [
	  {"linkId": "intro", "type": "display", "_text": {"extension": [{"url": "$XHTML",
	   "valueString": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Läs <i>noga</i>.</p></div>"}]}},
	  {"linkId": "sov", "type": "boolean", "_text": {"extension": [{"url": "$XHTML",
	   "valueString": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Har du <b>sovit</b> &amp; ätit?</p><script>alert(1)</script><!-- <p>nej</p> --><p>Svara&#160;ärligt &#x263A;</p></div>"}]}},
	  {"linkId": "mat", "type": "boolean", "_text": {"extension": [{"url": "$XHTML",
	   "valueString": "<p>Har   du\n ätit?</p>"}]}},
	  {"linkId": "båda", "text": "Vanlig text", "type": "boolean", "_text": {"extension": [{"url": "$XHTML",
	   "valueString": "<p>Vanlig <b>text</b></p>"}]}}
	 ]}
	EOT
	mkdir p && run err "$STEGC" import-fhir x.json -o p --id x && test $rc = 0 &&
	cat > expect <<-EOT &&
	wrote p/forms/x.yaml: 3 items, 0 scores, 0 alerts, 2 warnings
	x.json: warning: item[0]._text.extension[0]: the text is only in rendering-xhtml; it is carried over as plain text (${Q}Läs noga.${Q}) and its formatting is not — check it [fhir-unsupported]
	x.json: warning: item[1]._text.extension[0]: the text is only in rendering-xhtml; it is carried over as plain text (${Q}Har du sovit & ätit? Svara ärligt ☺${Q}) and its formatting is not — check it [fhir-unsupported]
	x.json: note: item[2]._text.extension[0]: the text is only in rendering-xhtml; it is carried over as plain text (${Q}Har du ätit?${Q}) [fhir-unsupported]
	2 warnings generated
	EOT
	sort expect > e && sort err > a && test_cmp e a &&
	grep -x "instructions: \"Läs noga.\"" p/forms/x.yaml &&
	grep -x "    text: \"Har du sovit & ätit? Svara ärligt ☺\"" p/forms/x.yaml &&
	grep -x "    text: \"Har du ätit?\"" p/forms/x.yaml &&
	grep -x "    text: \"Vanlig text\"" p/forms/x.yaml &&
	! grep -e alert -e nej p/forms/x.yaml &&
	prog_with p/forms/x.yaml x &&
	run out "$STEGC" check -Werror prog && { test $rc = 0 || { cat out; false; }; }
'

test_expect_success 'an answer without display: rendering-xhtml, else its code as label, reported once per concept' '
	cat > o.json <<-EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "O",
	 "contained": [{"resourceType": "ValueSet", "id": "vs", "status": "active",
	   "compose": {"include": [{"system": "http://loinc.org", "concept": [
	     {"code": "LA6568-5", "display": "Inte alls"},
	     {"code": "LA6569-3"}]}]}}],
	 "item": [
	  {"linkId": "a", "text": "Ett", "type": "choice", "answerOption": [
	   {"valueCoding": {"code": "0", "display": "Nej"}},
	   {"valueCoding": {"code": "1", "_display": {"extension": [{"url": "$XHTML", "valueString": "<b>Ja</b>"}]}}},
	   {"valueCoding": {"code": "2", "display": ""}},
	   {"valueCoding": {"system": "http://loinc.org"}}]},
	  {"linkId": "b", "text": "Två", "type": "choice", "answerValueSet": "#vs"},
	  {"linkId": "c", "text": "Tre", "type": "choice", "answerValueSet": "#vs"}
	 ]}
	EOT
	mkdir p && run err "$STEGC" import-fhir o.json -o p --id o && test $rc = 0 &&
	grep -v "fhir-no-weights" err > got &&
	cat > expect <<-EOT &&
	wrote p/forms/o.yaml: 3 items, 0 scores, 0 alerts, 8 warnings
	o.json: warning: item[0].answerOption[1].valueCoding._display.extension[0]: the text is only in rendering-xhtml; it is carried over as plain text (${Q}Ja${Q}) and its formatting is not — check it [fhir-unsupported]
	o.json: warning: item[0].answerOption[2].valueCoding: the answer has no display; its code ${Q}2${Q} becomes its label, which the patient reads — write the label [fhir-unsupported]
	o.json: warning: item[0].answerOption[3].valueCoding: the code${Q}s system or code is not one Steg can keep; the code is not carried over [fhir-unsupported]
	o.json: warning: item[0].answerOption[3].valueCoding: the answer has neither display nor code; its label is empty — write it [fhir-unsupported]
	o.json: warning: contained[0].compose.include[0].concept[1]: the answer has no display; its code ${Q}LA6569-3${Q} becomes its label, which the patient reads — write the label [fhir-unsupported]
	8 warnings generated
	EOT
	sort expect > e && sort got > a && test_cmp e a &&
	grep -F "label: \"Ja\"" p/forms/o.yaml &&
	grep -F "label: \"LA6569-3\"" p/forms/o.yaml
'
test_expect_success 'a question without text is named at import, and check refuses it at its line' '
	cat > t.json <<-\EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "T",
	 "item": [
	  {"linkId": "/1-1", "text": "", "type": "boolean"},
	  {"linkId": "b", "type": "boolean"},
	  {"linkId": "c", "text": "Med text", "type": "boolean"},
	  {"linkId": "d", "type": "attachment"}
	 ]}
	EOT
	mkdir p && run err "$STEGC" import-fhir t.json -o p --id t && test $rc = 0 &&
	cat > expect <<-EOT &&
	wrote p/forms/t.yaml: 3 items, 0 scores, 0 alerts, 3 warnings
	t.json: warning: item[0].text: question ${Q}/1-1${Q} (item ${Q}q1${Q}) has no text; write it in the form, since stegc check refuses an empty text [fhir-unsupported]
	t.json: warning: item[1].text: question ${Q}b${Q} has no text; write it in the form, since stegc check refuses an empty text [fhir-unsupported]
	t.json: warning: item[3].type: items of type ${Q}attachment${Q} are not carried over; item ${Q}d${Q} is left out [fhir-unsupported]
	3 warnings generated
	EOT
	sort expect > e && sort err > a && test_cmp e a &&
	run err "$STEGC" import-fhir -Werror t.json -o w --id t && test $rc = 1 &&
	test ! -e w/forms/t.yaml &&
	prog_with p/forms/t.yaml t &&
	run out "$STEGC" check prog && test $rc = 1 &&
	grep "error:" out > actual &&
	cat > expect <<-EOT &&
	prog/forms/t.yaml:8:11: error: ${Q}text${Q} is empty; write its text [missing-key]
	prog/forms/t.yaml:11:11: error: ${Q}text${Q} is empty; write its text [missing-key]
	EOT
	test_cmp expect actual
'

test_expect_success 'a duplicate linkId: renamed, the mapping said, conditions on it not guessed' '
	cat > d.json <<-EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "D",
	 "item": [
	  {"linkId": "a", "text": "Första", "type": "boolean"},
	  {"linkId": "b", "text": "Andra", "type": "boolean",
	   "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": true}]},
	  {"linkId": "a", "text": "Tredje", "type": "boolean"},
	  {"linkId": "c", "text": "Fjärde", "type": "boolean",
	   "enableWhen": [{"question": "b", "operator": "=", "answerBoolean": true}]},
	  {"linkId": "b", "text": "Rubrik", "type": "display"},
	  {"linkId": "c", "text": "Summa", "type": "decimal", "readOnly": true,
	   "extension": [{"url": "$CALC", "valueExpression": {"language": "text/fhirpath",
	    "expression": "%resource.answers().value.weight().sum()"}}]}
	 ]}
	EOT
	mkdir p && run err "$STEGC" import-fhir d.json -o p --id d && test $rc = 0 &&
	cat > expect <<-EOT &&
	wrote p/forms/d.yaml: 4 items, 0 scores, 0 alerts, 6 warnings
	d.json: warning: item[1].enableWhen[0]: condition on ${Q}a${Q}, the linkId of more than one item; item ${Q}b${Q} gets no show-if [fhir-unsupported]
	d.json: warning: item[2].linkId: linkId ${Q}a${Q} is also item[0]${Q}s (FHIR gives each item its own); this item is called ${Q}q3${Q}, and conditions on ${Q}a${Q} are not carried over [fhir-unsupported]
	d.json: warning: item[3].enableWhen[0]: condition on ${Q}b${Q}, the linkId of more than one item; item ${Q}c${Q} gets no show-if [fhir-unsupported]
	d.json: warning: item[4].linkId: linkId ${Q}b${Q} is also item[1]${Q}s (FHIR gives each item its own); its text is read as usual, and conditions on ${Q}b${Q} are not carried over [fhir-unsupported]
	d.json: warning: item[5].extension[0]: score ${Q}total${Q} sums the weights of the answers, but no choice item was carried over; the score is left out [fhir-unsupported]
	d.json: warning: item[5].linkId: linkId ${Q}c${Q} is also item[3]${Q}s (FHIR gives each item its own); the score is called ${Q}total${Q}, and conditions on ${Q}c${Q} are not carried over [fhir-unsupported]
	6 warnings generated
	EOT
	sort expect > e && sort err > a && test_cmp e a &&
	test "$(grep -c "^  - id: " p/forms/d.yaml)" = 4 &&
	grep -x "  - id: q3" p/forms/d.yaml &&
	! grep "show-if" p/forms/d.yaml
'

test_expect_success 'a CQL total and a CQL condition are called CQL, not FHIRPath' '
	cat > c.json <<-EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "C",
	 "item": [
	  {"linkId": "a", "text": "Första", "type": "boolean"},
	  {"linkId": "b", "text": "Andra", "type": "boolean",
	   "extension": [{"url": "$EWX", "valueExpression": {"language": "text/cql-expression", "expression": "A"}}]},
	  {"linkId": "s1", "text": "Summa", "type": "decimal", "readOnly": true,
	   "extension": [{"url": "$CALC", "valueExpression": {"language": "text/cql", "expression": "Sum(\"Answers\")"}}]},
	  {"linkId": "s2", "text": "Summa", "type": "decimal", "readOnly": true,
	   "extension": [{"url": "$CALC", "valueExpression": {"language": "application/x-fhir-query", "expression": "Observation?code=1"}}]},
	  {"linkId": "s3", "text": "Summa", "type": "decimal", "readOnly": true,
	   "extension": [{"url": "$CALC", "valueExpression": {"expression": "1 + 1"}}]}
	 ]}
	EOT
	mkdir p && run err "$STEGC" import-fhir c.json -o p --id c && test $rc = 0 &&
	cat > expect <<-EOT &&
	wrote p/forms/c.yaml: 2 items, 0 scores, 0 alerts, 4 warnings
	c.json: warning: item[1]: enableWhenExpression (CQL) is not translated; add a ${Q}show-if${Q} by hand [fhir-unsupported]
	c.json: warning: item[2].extension[0]: calculated item ${Q}s1${Q} is CQL (${Q}Sum("Answers")${Q}), which is not translated; add a score with its ${Q}value${Q} in Steg${Q}s expression language by hand [fhir-unsupported]
	c.json: warning: item[3].extension[0]: calculated item ${Q}s2${Q} is in the language ${Q}application/x-fhir-query${Q} (${Q}Observation?code=1${Q}), which is not translated; add a score with its ${Q}value${Q} in Steg${Q}s expression language by hand [fhir-unsupported]
	c.json: warning: item[4].extension[0]: calculated item ${Q}s3${Q} is FHIRPath (${Q}1 + 1${Q}), which is not translated; add a score with its ${Q}value${Q} in Steg${Q}s expression language by hand [fhir-unsupported]
	4 warnings generated
	EOT
	sort expect > e && sort err > a && test_cmp e a
'

test_expect_success 'a long text in a message is shortened between characters, never inside one' '
	long="01234567890123456789012345678901234567890123456789012345678" &&
	cat > l.json <<-EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "L",
	 "item": [
	  {"linkId": "i", "text": "Inledning", "type": "display"},
	  {"linkId": "j", "text": "${long}ååå", "type": "display"},
	  {"linkId": "a", "text": "Fråga", "type": "boolean", "prefix": "1234567890123456789å"}
	 ]}
	EOT
	mkdir p && run err "$STEGC" import-fhir l.json -o p --id l && test $rc = 0 &&
	python3 -c "import sys; open(sys.argv[1], \"rb\").read().decode(\"utf-8\")" err &&
	grep -F "display text ${Q}${long}...${Q} is not carried over" err &&
	grep -F "prefix ${Q}1234567890123456789...${Q} is not carried over" err
'

test_expect_success 'what the file says reaches the terminal without control characters or half characters' '
	long=$(python3 -c "print(\"x\" * 1000 + \"å\" * 20)") &&
	cat > h.json <<-EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "H",
	 "item": [
	  {"linkId": "a\u001b[2J\nb", "text": "Ett", "type": "boolean"},
	  {"linkId": "a\u001b[2J\nb", "text": "Två", "type": "boolean"},
	  {"linkId": "c", "text": "Tre", "type": "boolean",
	   "enableWhen": [{"question": "${long}", "operator": "exists", "answerBoolean": true}]}
	 ]}
	EOT
	mkdir p && run err "$STEGC" import-fhir h.json -o p --id h && test $rc = 0 &&
	grep -F "linkId ${Q}a?[2J?b${Q} is also item[0]${Q}s" err &&
	! grep -q "$(printf "\033")" err &&
	test "$(wc -l < err)" = 4 &&
	python3 -c "import sys; open(sys.argv[1], \"rb\").read().decode(\"utf-8\")" err &&
	grep -q "item\[2\].enableWhen\[0\]: condition on ${Q}xxxx" err
'
test_expect_success 'import-fhir speaks Swedish under LANG=sv_SE.UTF-8, plurals included' '
	cat > s.json <<-\EOT &&
	{"resourceType": "Questionnaire", "status": "active", "title": "S",
	 "item": [
	  {"linkId": "a", "text": "Första", "type": "boolean"},
	  {"linkId": "a", "text": "Andra", "type": "choice", "answerOption": [
	   {"valueCoding": {"code": "x", "display": "X"}, "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 3}]},
	   {"valueCoding": {"code": "y", "display": "Y"}}]}
	 ]}
	EOT
	mkdir en sv &&
	run err "$STEGC" import-fhir s.json -o en --id s && test $rc = 0 &&
	cat > expect <<-EOT &&
	wrote en/forms/s.yaml: 2 items, 0 scores, 0 alerts, 2 warnings
	s.json: warning: item[1].answerOption: 1 option of item ${Q}q2${Q} carries no weight and is numbered by position — check it [fhir-no-weights]
	s.json: warning: item[1].linkId: linkId ${Q}a${Q} is also item[0]${Q}s (FHIR gives each item its own); this item is called ${Q}q2${Q}, and conditions on ${Q}a${Q} are not carried over [fhir-unsupported]
	2 warnings generated
	EOT
	sort expect > e && sort err > a && test_cmp e a &&
	rc=0; env -u LC_MESSAGES -u LC_ALL LANG=sv_SE.UTF-8 "$STEGC" import-fhir s.json -o sv --id s > err 2>&1 || rc=$?
	test $rc = 0 &&
	cat > expect <<-EOT &&
	wrote sv/forms/s.yaml: 2 items, 0 scores, 0 alerts, 2 warnings
	s.json: varning: item[1].answerOption: 1 alternativ för frågan ${Q}q2${Q} har ingen vikt och numreras efter plats — kontrollera det [fhir-no-weights]
	s.json: varning: item[1].linkId: linkId ${Q}a${Q} används också av item[0] (i FHIR har varje fråga ett eget); den här frågan heter ${Q}q2${Q}, och villkor på ${Q}a${Q} förs inte över [fhir-unsupported]
	2 varningar hittades
	EOT
	sort expect > e && sort err > a && test_cmp e a &&
	test_cmp en/forms/s.yaml sv/forms/s.yaml
'
test_expect_success 'export: name is a machine label from the form id, the short name in Steg'"'"'s extension, every answer Coding has a system' '
	"$STEGC" build -q "$EX/depression" -o d.steg &&
	"$STEGC" export-fhir -q d.steg phq9 -o phq9.json &&
	python3 - <<-\EOT
	import json, re
	q = json.load(open("phq9.json"))
	B = "https://steg-sob.github.io/fhir"
	assert q["name"] == "Phq9", q["name"]
	assert re.fullmatch(r"[A-Z][A-Za-z0-9_]{0,254}", q["name"])
	assert [e["valueString"] for e in q["extension"] if e["url"] == B + "/StructureDefinition/name"] == ["PHQ-9"]
	n = 0
	for it in q["item"]:
	    for o in it.get("answerOption", []):
	        c = o["valueCoding"]
	        assert c["system"] == B + "/CodeSystem/se.regionexempel.depression/phq9/" + it["linkId"], c
	        assert c["code"] == str(int(c["code"])), c
	        n += 1
	    for e in it.get("enableWhen", []):
	        assert "answerCoding" not in e or "system" in e["answerCoding"], e
	assert n == 36, n
	EOT
'

test_expect_success 'import: the short name from Steg'"'"'s extension; the derived label is no name; other names kept' '
	"$STEGC" build -q "$EX/depression" -o d.steg &&
	"$STEGC" export-fhir -q d.steg phq9 -o phq9.json &&
	mkdir a b c &&
	"$STEGC" import-fhir -q phq9.json -o a --id phq9 &&
	grep -x "name: \"PHQ-9\"" a/forms/phq9.yaml &&
	! grep -e "CodeSystem" -e "code:" a/forms/phq9.yaml &&
	python3 - <<-\EOT &&
	import json
	q = json.load(open("phq9.json"))
	B = "https://steg-sob.github.io/fhir/StructureDefinition/name"
	q["extension"] = [e for e in q["extension"] if e["url"] != B]
	json.dump(q, open("noname.json", "w"))
	q["name"] = "PHQ-9 (2024)"
	json.dump(q, open("older.json", "w"))
	q["url"] = "http://example.org/Questionnaire/phq9"
	q["name"] = "Phq9"
	json.dump(q, open("foreign.json", "w"))
	EOT
	"$STEGC" import-fhir -q noname.json -o b --id phq9 &&
	! grep "^name:" b/forms/phq9.yaml &&
	"$STEGC" import-fhir -q older.json -o c --id phq9 &&
	grep -x "name: \"PHQ-9 (2024)\"" c/forms/phq9.yaml &&
	"$STEGC" import-fhir -q foreign.json -o c --id phq9 --force &&
	grep -x "name: \"Phq9\"" c/forms/phq9.yaml
'

test_expect_success 'export, import, export: a form without a name and one with own options are byte-stable' '
	"$STEGC" new prog > /dev/null &&
	cat > prog/forms/egen.yaml <<-\EOT &&
	id: egen_form
	title: Egen
	options:
	  - { value: 0, label: Nej }
	  - { value: 1, label: Ja }
	items:
	  - { id: a1, text: Ett }
	  - id: a2
	    text: Två
	    show-if: a1 == 1
	    options:
	      - { value: 0, label: Aldrig }
	      - { value: 5, label: Ofta }
	EOT
	mv prog/forms/egen.yaml prog/forms/egen_form.yaml &&
	sed -i "s/^    at: \[start, end\]/    at: [start, end]\n  - { form: egen_form, at: [start] }/" prog/program.yaml &&
	"$STEGC" build -q prog -o p1.steg &&
	"$STEGC" export-fhir -q p1.steg egen_form -o q1.json &&
	python3 -c "import json; q = json.load(open(\"q1.json\")); assert q[\"name\"] == \"Egen_form\", q[\"name\"]; assert \"extension\" not in q" &&
	"$STEGC" import-fhir -q q1.json -o prog --force --id egen_form &&
	! grep "^name:" prog/forms/egen_form.yaml &&
	"$STEGC" build -q prog -o p2.steg &&
	"$STEGC" export-fhir -q p2.steg egen_form -o q2.json &&
	test_cmp q1.json q2.json
'

test_done
