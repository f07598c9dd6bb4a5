#!/bin/sh
# t0050-json-schemas: the JSON Schemas in schemas/ that editors use to
# complete and check program.yaml, front matter, forms and exercises.
#
# They must accept every example and the starter program, refuse wrong
# files with a message that says where, describe every key, and agree with
# the compiler on what is wrong.  tests/tools/schemacheck.py validates with
# python3-jsonschema and reads YAML with python3-yaml (YAML 1.2 core, as
# stegc and editors read it).
. "$(dirname "$0")/lib.sh"
V="python3 $SRC/tests/tools/schemacheck.py"
S=$SRC/schemas

test_expect_success 'the schemas are JSON, draft-07, with a description on every key' '
	python3 - "$S" <<-\EOF
	import json, sys, os
	bad = 0
	def walk(node, where):
	    global bad
	    if isinstance(node, dict):
	        for k, v in node.get("properties", {}).items():
	            if not isinstance(v, dict) or not v.get("description"):
	                print("%s: property %s has no description" % (where, k)); bad += 1
	            elif " — Svenska: " not in v["description"]:
	                print("%s: property %s has no Swedish hint" % (where, k)); bad += 1
	        if "properties" in node and node.get("additionalProperties") is not False:
	            print("%s: additionalProperties is not false" % where); bad += 1
	        for k, v in node.items():
	            # conditions (if/then, not...) restate keys; they are not new keys
	            if k not in ("allOf", "anyOf", "oneOf", "not", "if", "then", "else"):
	                walk(v, where + "/" + k)
	    elif isinstance(node, list):
	        for i, v in enumerate(node):
	            walk(v, "%s/%d" % (where, i))
	sys.path.insert(0, os.path.join(sys.argv[1], "../tests/tools"))
	import jsonschema, schemacheck
	def samples(node, root, where):
	    # every example and default an editor offers must itself be valid
	    global bad
	    if isinstance(node, dict):
	        for v in node.get("examples", []) + ([node["default"]] if "default" in node else []):
	            for p, msg in schemacheck.validate(v, node, root):
	                print("%s: example %r: %s" % (where, v, msg)); bad += 1
	        for k, v in node.items():
	            samples(v, root, where + "/" + k)
	    elif isinstance(node, list):
	        for v in node:
	            samples(v, root, where)
	for n in ("program", "module", "form", "exercise"):
	    p = os.path.join(sys.argv[1], n + ".schema.json")
	    s = json.load(open(p, encoding="utf-8"))
	    assert s["$schema"] == "http://json-schema.org/draft-07/schema#", p
	    jsonschema.Draft7Validator.check_schema(s)
	    walk(s, n)
	    samples(s, s, n)
	sys.exit(1 if bad else 0)
	EOF
'

for ex in depression insomnia tobacco; do
	test_expect_success "example '$ex' conforms to the schemas" "
		$V --program '$S' '$EX/$ex' > out 2>&1 || { cat out; false; }
		test ! -s out
	"
done

test_expect_success 'the starter program of stegc new conforms to the schemas' '
	"$STEGC" new starter > /dev/null 2>&1
	$V --program "$S" starter
'

test_expect_success 'a wrong program.yaml is refused key by key' '
	cat > program.yaml <<-\EOF
	steg: 2
	id: Se.Bad
	version: 1.0
	title: Prov
	language: svenska
	kind: therapy
	summary: Ett trasigt program
	producer: {id: SE123-1, name: Region Prov}
	start: self
	titel: stavfel
	assessments:
	  - form: phq9
	    at: [start, monthly, module:Intro]
	messages:
	  - id: en-vecka
	    when: start
	EOF
	rc=0; $V "$S/program.schema.json" program.yaml > actual || rc=$?
	test $rc = 1
	cat > expect <<-\EOF
	program.yaml: /steg: 1 was expected
	program.yaml: /id: '"'"'Se.Bad'"'"' does not match ^[a-z0-9](-*[a-z0-9]|\.[a-z0-9])*$
	program.yaml: /version: 1.0 is not of type '"'"'string'"'"'
	program.yaml: /language: '"'"'svenska'"'"' does not match ^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$
	program.yaml: /kind: '"'"'therapy'"'"' is not one of ['"'"'treatment'"'"', '"'"'support'"'"', '"'"'education'"'"', '"'"'screening'"'"']
	program.yaml: /producer/id: '"'"'SE123-1'"'"' does not match ^SE[0-9]{10}-[A-Za-z0-9]{1,19}$
	program.yaml: /titel: unknown key '"'"'titel'"'"'
	program.yaml: /assessments/0/at/1: '"'"'monthly'"'"' does not match ^(start|end|weekly|module:[a-z0-9](-*[a-z0-9]|\.[a-z0-9])*)$
	program.yaml: /assessments/0/at/2: '"'"'module:Intro'"'"' does not match ^(start|end|weekly|module:[a-z0-9](-*[a-z0-9]|\.[a-z0-9])*)$
	program.yaml: /messages/0: '"'"'text'"'"' is a required property
	program.yaml: /messages/0/id: '"'"'en-vecka'"'"' does not match ^[a-z][a-z0-9_]*$
	EOF
	test_cmp expect actual
'

test_expect_success 'a wrong form is refused: ids, types, scale bounds, bands, levels' '
	cat > phq9.yaml <<-\EOF
	id: phq9
	title: Prov
	items:
	  - id: Q1
	    text: Fråga ett
	    type: radio
	  - id: q2
	    text: Fråga två
	    type: number
	    options: [{value: 1, label: Ja}]
	  - id: and
	    text: Fråga tre
	    type: scale
	scores:
	  - id: total
	    value: sum(q1..q2)
	    bands: [{from: 0, to: 3}]
	alerts:
	  - id: larm
	    when: q2 > 0
	    level: critical
	    message: Ring patienten
	EOF
	rc=0; $V "$S/form.schema.json" phq9.yaml > actual || rc=$?
	test $rc = 1
	cat > expect <<-\EOF
	phq9.yaml: /items/0/id: '"'"'Q1'"'"' does not match ^[a-z][a-z0-9_]*$
	phq9.yaml: /items/0/type: '"'"'radio'"'"' is not one of ['"'"'choice'"'"', '"'"'number'"'"', '"'"'text'"'"', '"'"'boolean'"'"', '"'"'date'"'"', '"'"'scale'"'"', '"'"'longtext'"'"']
	phq9.yaml: /items/1/type: '"'"'choice'"'"' was expected
	phq9.yaml: /items/2: '"'"'min'"'"' is a required property
	phq9.yaml: /items/2: '"'"'max'"'"' is a required property
	phq9.yaml: /items/2/id: "and" is reserved and cannot be used here
	phq9.yaml: /scores/0/bands/0: '"'"'label'"'"' is a required property
	phq9.yaml: /alerts/0/level: '"'"'critical'"'"' is not one of ['"'"'info'"'"', '"'"'warning'"'"', '"'"'urgent'"'"']
	EOF
	test_cmp expect actual
'

test_expect_success 'a wrong exercise is refused: options, min/max/step per type' '
	cat > dagbok.yaml <<-\EOF
	title: Dagbok
	repeat: "ja"
	fields:
	  - id: val
	    type: choice
	    label: Välj
	  - id: text
	    type: text
	    label: Skriv
	    min: 1
	  - id: tid
	    type: duration
	    label: Hur länge?
	    step: 0
	    options: [{value: 1, label: x}]
	computed:
	  - id: summa
	    label: Summa
	EOF
	rc=0; $V "$S/exercise.schema.json" dagbok.yaml > actual || rc=$?
	test $rc = 1
	cat > expect <<-\EOF
	dagbok.yaml: /repeat: '"'"'ja'"'"' is not of type '"'"'boolean'"'"'
	dagbok.yaml: /fields/0: '"'"'options'"'"' is a required property
	dagbok.yaml: /fields/1: key '"'"'min'"'"' does not apply to this type
	dagbok.yaml: /fields/2: key '"'"'options'"'"' does not apply to this type
	dagbok.yaml: /fields/2/step: 0 is less than or equal to the minimum of 0
	dagbok.yaml: /computed/0: '"'"'value'"'"' is a required property
	EOF
	test_cmp expect actual
'

test_expect_success 'front matter and inline exercise blocks of a module are checked' '
	mkdir -p prog/modules
	cp "$EX/tobacco/program.yaml" prog/
	cp -R "$EX/tobacco/forms" "$EX/tobacco/exercises" prog/
	cat > prog/modules/01-start.md <<-\EOF
	---
	title: Start
	minuter: 10
	unlock: completed("x")
	---
	# Sida

	```exercise
	id: Min_Plan
	title: Plan
	fields:
	  - id: a
	    type: text
	    label: A
	```

	```exercise
	ref: sugdagbok
	```
	EOF
	rc=0; $V --program "$S" prog > actual || rc=$?
	test $rc = 1
	cat > expect <<-\EOF
	prog/modules/01-start.md: /minuter: unknown key '"'"'minuter'"'"'
	prog/modules/01-start.md: exercise block 1: /id: '"'"'Min_Plan'"'"' does not match ^([a-z0-9](-*[a-z0-9]|\.[a-z0-9])*|[a-z][a-z0-9_]*)$
	EOF
	test_cmp expect actual
'

test_expect_success 'the schemas and stegc agree: a misspelt key fails both' '
	cp -R "$EX/tobacco" prog
	printf "titel: Stavfel\n" >> prog/program.yaml
	rc=0; $V --program "$S" prog > schema.out || rc=$?
	test $rc = 1
	grep -q "unknown key '"'"'titel'"'"'" schema.out
	rc=0; "$STEGC" check prog > stegc.out 2>&1 || rc=$?
	test $rc = 1
	grep -q "unknown-key" stegc.out
'

# Each line: FILE|TEXT|REPLACEMENT|STEGC CODE|WHERE THE SCHEMAS COMPLAIN.
# The change is made to a copy of the depression example; stegc must
# report the code and the schemas must refuse the same place, so that what
# an editor marks is what the compiler says.
cat > "$TRASH_ROOT/mutations" <<\EOF
program.yaml|kind: treatment|kind: therapy|bad-value|/kind:
program.yaml|start: clinician|start: patient|bad-value|/start:
program.yaml|version: 1.0.0|version: "1.0"|bad-version|/version:
program.yaml|id: SE2321000099-0001|id: SE99-1|bad-hsa-id|/producer/id:
program.yaml|language: sv|language: svenska|bad-value|/language:
program.yaml|duration-weeks: 10|duration-weeks: tio|wrong-type|/duration-weeks:
program.yaml|retention-days: 730|retention-days: -1|wrong-type|/retention-days:
program.yaml|at: [start, end]|at: [start, monthly]|bad-value|/assessments/1/at/1:
program.yaml|id: aktivering_klar|id: aktivering-klar|bad-id|/messages/1/id:
program.yaml|title: Depressionshjälpen|titel: Depressionshjälpen|unknown-key|/titel:
modules/03-aktivering-1.md|minutes: 30|minuter: 30|unknown-key|/minuter:
modules/03-aktivering-1.md|minutes: 30|minutes: tio|wrong-type|/minutes:
modules/03-aktivering-1.md|title: Aktivering, steg 1 – se hur veckan ser ut|# ingen rubrik|missing-key|'title' is a required property
modules/05-tankar.md|id: tankedagbok|id: tanke_dag-bok|bad-id|exercise block 1: /id:
modules/05-tankar.md|    type: choice|    type: radio|bad-value|exercise block 1: /fields/4/type:
forms/phq9.yaml|level: urgent|level: critical|bad-value|/alerts/0/level:
forms/phq9.yaml|  - id: q1|  - id: Q1|bad-id|/items/0/id:
forms/phq9.yaml|        label: Svåra symtom|        title: Svåra symtom|unknown-key|/scores/0/bands/4/title:
forms/gad7.yaml|    required: true|    type: slider|bad-value|/items/0/type:
exercises/aktivitetsdagbok.yaml|repeat: true|repeat: ja|wrong-type|/repeat:
exercises/aktivitetsdagbok.yaml|    type: choice|    type: colour|bad-value|/fields/4/type:
exercises/aktivitetsdagbok.yaml|    max: 10|    maks: 10|unknown-key|/fields/5/maks:
exercises/aktivitetsdagbok.yaml|    step: 1|    step: 0|bad-value|/fields/5/step:
exercises/aktivitetsdagbok.yaml|    label: Datum|    label: Datum\n    min: 1|bad-value|/fields/0:
EOF

while IFS='|' read -r file old new code where; do
	test_expect_success "stegc [$code] and the schemas ($where) refuse a change to $file" "
		cp -R \"\$EX/depression\" prog
		python3 \"\$SRC/tests/tools/replace_once.py\" 'prog/$file' '$old' '$new'
		rc=0; \"\$STEGC\" check prog > stegc.out 2>&1 || rc=\$?
		cat stegc.out
		test \$rc = 1
		grep -q '\\[$code\\]' stegc.out
		rc=0; $V --program \"\$S\" prog > schema.out || rc=\$?
		cat schema.out
		test \$rc = 1
		grep -F -q \"$where\" schema.out
	"
done < "$TRASH_ROOT/mutations"

test_expect_success 'a schema that is not valid draft-07 is a usage error (exit 2)' '
	printf "{\"type\": \"objekt\"}\n" > s.json
	printf "a: 1\n" > x.yaml
	rc=0; $V s.json x.yaml 2> err || rc=$?
	test $rc = 2
	grep -q "^schema error: " err
'

test_expect_success 'YAML is read as YAML 1.2 core, as stegc reads it' '
	cat > s.json <<-\EOF
	{"type": "object", "properties": {
	  "a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "integer", "const": 10},
	  "d": {"type": "boolean"}, "e": {"type": "null"}, "f": {"type": "number"}},
	 "additionalProperties": false}
	EOF
	printf "a: yes\nb: 2024-03-31\nc: 010\nd: false\ne: ~\nf: -.inf\n" > ok.yaml
	$V s.json ok.yaml
	printf "a: 1\nd: no\n" > bad.yaml
	rc=0; $V s.json bad.yaml > actual || rc=$?
	test $rc = 1
	cat > expect <<-\EOF
	bad.yaml: /a: 1 is not of type '"'"'string'"'"'
	bad.yaml: /d: '"'"'no'"'"' is not of type '"'"'boolean'"'"'
	EOF
	test_cmp expect actual
'

test_expect_success 'a key twice in one mapping is an error with its line' '
	printf "{\"type\": \"object\"}\n" > s.json
	printf "a: 1\nb:\n  c: 1\n  c: 2\n" > dup.yaml
	rc=0; $V s.json dup.yaml > actual || rc=$?
	test $rc = 1
	echo "dup.yaml: line 4: duplicate key '"'"'c'"'"'" > expect
	test_cmp expect actual
'

test_done
