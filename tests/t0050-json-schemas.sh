#!/bin/sh
# t0050-json-schemas: the JSON Schemas in schemas/ that editors use to
# complete and check program.yaml, front matter, forms and exercises.
#
# They must accept every example and the starter program, refuse wrong
# files with a message that says where, describe every key, and agree with
# the compiler on what is wrong.  tests/tools/jsonschema_lite.py validates
# with the Python standard library alone (a fresh Debian machine has
# neither jsonschema nor PyYAML); where those packages happen to be
# installed, the real implementations are asked as well.
. "$(dirname "$0")/lib.sh"
V="python3 $SRC/tests/tools/jsonschema_lite.py"
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
	import jsonschema_lite
	def samples(node, root, where):
	    # every example and default an editor offers must itself be valid
	    global bad
	    if isinstance(node, dict):
	        for v in node.get("examples", []) + ([node["default"]] if "default" in node else []):
	            for p, msg in jsonschema_lite.validate(v, node, root):
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
	program.yaml: /steg: must be 1
	program.yaml: /id: '"'"'Se.Bad'"'"' does not match ^[a-z0-9](-*[a-z0-9]|\.[a-z0-9])*$
	program.yaml: /version: must be string, not a number
	program.yaml: /language: '"'"'svenska'"'"' does not match ^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$
	program.yaml: /kind: must be one of "treatment", "support", "education", "screening", not "therapy"
	program.yaml: /producer/id: '"'"'SE123-1'"'"' does not match ^SE[0-9]{10}-[A-Za-z0-9]{1,19}$
	program.yaml: /titel: unknown key '"'"'titel'"'"'
	program.yaml: /assessments/0/at/1: '"'"'monthly'"'"' does not match ^(start|end|weekly|module:[a-z0-9](-*[a-z0-9]|\.[a-z0-9])*)$
	program.yaml: /assessments/0/at/2: '"'"'module:Intro'"'"' does not match ^(start|end|weekly|module:[a-z0-9](-*[a-z0-9]|\.[a-z0-9])*)$
	program.yaml: /messages/0: missing required key '"'"'text'"'"'
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
	phq9.yaml: /items/0/type: must be one of "choice", "number", "text", "boolean", "date", "scale", not "radio"
	phq9.yaml: /items/1/type: must be "choice"
	phq9.yaml: /items/2/id: "and" is reserved and cannot be used here
	phq9.yaml: /items/2: missing required key '"'"'min'"'"'
	phq9.yaml: /items/2: missing required key '"'"'max'"'"'
	phq9.yaml: /scores/0/bands/0: missing required key '"'"'label'"'"'
	phq9.yaml: /alerts/0/level: must be one of "info", "warning", "urgent", not "critical"
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
	dagbok.yaml: /repeat: must be boolean, not a string
	dagbok.yaml: /fields/0: missing required key '"'"'options'"'"'
	dagbok.yaml: /fields/1: key '"'"'min'"'"' does not apply to this type
	dagbok.yaml: /fields/2/step: 0 must be above 0
	dagbok.yaml: /fields/2: key '"'"'options'"'"' does not apply to this type
	dagbok.yaml: /computed/0: missing required key '"'"'value'"'"'
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
	prog/modules/01-start.md: exercise block 1: /id: '"'"'Min_Plan'"'"' does not match ^[a-z0-9](-*[a-z0-9]|\.[a-z0-9])*$
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
modules/03-aktivering-1.md|title: Aktivering, steg 1 – se hur veckan ser ut|# ingen rubrik|missing-key|missing required key 'title'
modules/05-tankar.md|id: tankedagbok|id: tanke_dagbok|bad-id|exercise block 1: /id:
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

test_expect_success 'the lite validator refuses keywords it does not implement' '
	printf "{\"type\": \"object\", \"patternProperties\": {}}\n" > s.json
	printf "a: 1\n" > x.yaml
	rc=0; $V s.json x.yaml 2> err || rc=$?
	test $rc = 2
	grep -q "unsupported keyword(s) patternProperties" err
'

test_expect_success 'yaml_lite reads every example as PyYAML does (when installed)' '
	python3 - "$SRC" <<-\EOF
	import sys, glob, os, re
	sys.path.insert(0, os.path.join(sys.argv[1], "tests/tools"))
	import yaml_lite
	try:
	    import yaml
	except ImportError:
	    print("PyYAML is not installed: nothing to compare"); sys.exit(0)
	docs = []
	ex = os.path.join(sys.argv[1], "examples")
	for f in glob.glob(ex + "/*/*.yaml") + glob.glob(ex + "/*/*/*.yaml"):
	    docs.append((f, open(f, encoding="utf-8").read()))
	for f in glob.glob(ex + "/*/modules/*.md"):
	    t = open(f, encoding="utf-8").read()
	    docs.append((f, t.split("---\n")[1]))
	    for m in re.finditer(r"^```(\w+)\n(.*?)^```", t, re.S | re.M):
	        docs.append((f + " block", m.group(2)))
	docs += [("flow", "a: [x, \"y, z\", module:q]\nb: {value: 1, label: Ja}  # c\n"),
	         ("nested", "k:\n- a\n- b: 1\n  c: [1, 2]\n- - 3\n  - 4\n"),
	         ("scalars", "q: '"'"'it'"'"''"'"'s'"'"'\nd: \"\\u00e5\\n\"\nr: ~\ns: true\nt: 2.5\n"),
	         ("block", "x: |\n  one\n   two\n\n  three\ny: >-\n  a\n  b\n\n  c\nz: plain\n  more\n")]
	bad = 0
	for name, text in docs:
	    if yaml.safe_load(text) != yaml_lite.load(text):
	        print("differs:", name); bad += 1
	print(len(docs), "documents compared")
	sys.exit(1 if bad else 0)
	EOF
'

test_expect_success 'the real jsonschema package agrees on the examples (when installed)' '
	python3 - "$SRC" <<-\EOF
	import sys, os, json, glob, re
	sys.path.insert(0, os.path.join(sys.argv[1], "tests/tools"))
	import yaml_lite, jsonschema_lite
	try:
	    import jsonschema
	except ImportError:
	    print("jsonschema is not installed: nothing to compare"); sys.exit(0)
	S = {n: json.load(open(os.path.join(sys.argv[1], "schemas", n + ".schema.json")))
	     for n in ("program", "module", "form", "exercise")}
	for s in S.values():
	    jsonschema.Draft7Validator.check_schema(s)
	ex = os.path.join(sys.argv[1], "examples")
	cases = [("program", f) for f in glob.glob(ex + "/*/program.yaml")]
	cases += [("form", f) for f in glob.glob(ex + "/*/forms/*.yaml")]
	cases += [("exercise", f) for f in glob.glob(ex + "/*/exercises/*.yaml")]
	cases += [("module", f) for f in glob.glob(ex + "/*/modules/*.md")]
	bad = 0
	for kind, f in cases:
	    data, err = jsonschema_lite.load_file(f)
	    real = sorted(e.message for e in jsonschema.Draft7Validator(S[kind]).iter_errors(data))
	    lite = jsonschema_lite.validate(data, S[kind])
	    if real or lite:
	        print(f, real, lite); bad += 1
	print(len(cases), "files compared")
	sys.exit(1 if bad else 0)
	EOF
'

test_done
