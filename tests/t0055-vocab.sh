#!/bin/sh
# t0055-vocab: the closed vocabularies of the source format are spelled once,
# in core/vocab.c; the JSON Schemas for editors, program.xsd and the docs
# must list exactly the same words, and the compiler must hold sources to
# them with a suggestion for a near miss.
. "$(dirname "$0")/lib.sh"

test_expect_success 'schemas and docs list the words of core/vocab.c' '
	python3 - "$SRC" <<-\EOF
	import json, os, re, sys
	src = sys.argv[1]
	c = open(os.path.join(src, "core", "vocab.c"), encoding="utf-8").read()
	def table(name):
	    m = re.search(r"static const st_word " + name + r"\[\] = \{(.*?)\n\};", c, re.S)
	    assert m, "no table " + name + " in core/vocab.c"
	    return re.findall(r"\{ \"([a-z-]+)\",", m.group(1))
	band, alert = table("band_words"), table("alert_words")
	assert "severe" in band and "urgent" in alert, (band, alert)
	schema = json.load(open(os.path.join(src, "schemas", "form.schema.json"), encoding="utf-8"))
	found = {}
	def walk(n, path):
	    if isinstance(n, dict):
	        if "enum" in n and path.endswith("level"):
	            found[path] = n["enum"]
	        for k, v in n.items():
	            walk(v, path + "/" + k)
	    elif isinstance(n, list):
	        for v in n:
	            walk(v, path)
	walk(schema, "")
	lists = sorted(found.values())
	assert sorted([band, alert]) == lists, (band, alert, found)
	xsd = open(os.path.join(src, "schemas", "program.xsd"), encoding="utf-8").read()
	m = re.search(r"<xs:simpleType name=\"alert-level\">(.*?)</xs:simpleType>", xsd, re.S)
	assert re.findall(r"value=\"([a-z-]+)\"", m.group(1)) == alert, "program.xsd alert-level"
	forms = open(os.path.join(src, "docs", "forms.md"), encoding="utf-8").read()
	sec = forms[forms.index("### Levels"):]
	rows = re.findall(r"^\| `([a-z-]+)` \|", sec, re.M)
	assert rows == band + alert, ("docs/forms.md Levels", rows)
	ref = open(os.path.join(src, "docs", "source-format.md"), encoding="utf-8").read()
	for w in band + alert:
	    assert "`%s`" % w in ref, "docs/source-format.md lacks " + w
	print(len(band), "band levels,", len(alert), "alert levels")
	EOF
'

test_expect_success 'every band level of the vocabulary compiles' '
	mkdir -p p && cp -R "$SRC/tests/golden/base/." p/ &&
	for w in $(python3 -c "import re,sys; c=open(sys.argv[1]).read(); m=re.search(r\"band_words\\[\\] = \\{(.*?)\\n\\};\", c, re.S); print(\" \".join(re.findall(r\"\\{ \\\"([a-z-]+)\\\",\", m.group(1))))" "$SRC/core/vocab.c"); do
		sed -i "s/label: Mycket, level: [a-z-]*/label: Mycket, level: $w/" p/forms/mood.yaml &&
		grep -q "level: $w }" p/forms/mood.yaml &&
		"$STEGC" check -Werror p > out 2>&1 || { cat out; echo "level $w refused"; false; }
	done
'

test_expect_success 'the examples use only words of the vocabulary' '
	for ex in depression insomnia tobacco; do
		"$STEGC" check -Werror "$EX/$ex" || exit 1
	done
'
test_expect_success 'item and field types, program kinds and start modes: the schemas say what core/vocab.c says' '
	python3 - "$SRC" <<-\EOF
	import json, os, re, sys
	src = sys.argv[1]
	c = open(os.path.join(src, "core", "vocab.c"), encoding="utf-8").read()
	def table(name):
	    m = re.search(r"static const st_word " + name + r"\[\] = \{(.*?)\n\};", c, re.S)
	    assert m, "no table " + name + " in core/vocab.c"
	    return re.findall(r"\{ \"([a-z-]+)\",", m.group(1))
	items, fields = table("item_type_words"), table("field_type_words")
	kinds, starts = table("kind_words"), table("start_words")
	def schema(n):
	    return json.load(open(os.path.join(src, "schemas", n + ".schema.json"), encoding="utf-8"))
	form, ex, prog = schema("form"), schema("exercise"), schema("program")
	assert form["definitions"]["item"]["properties"]["type"]["enum"] == items, "form.schema.json item types"
	assert ex["definitions"]["field"]["properties"]["type"]["enum"] == fields, "exercise.schema.json field types"
	assert prog["properties"]["kind"]["enum"] == kinds, "program.schema.json kind"
	assert prog["properties"]["start"]["enum"] == starts, "program.schema.json start"
	assert set(items) <= set(fields), "an item type that is no field type"
	# which keys apply to which type: the qtypes flags against the schemas
	m = re.search(r"qtypes\[\] = \{(.*?)\n\};", c, re.S)
	flags = {w.lower(): f for w, f in re.findall(r"\[ST_Q_([A-Z]+)\]\s*= \{ ST_TYPE_[A-Z]+, ([^}]*)\}", m.group(1))}
	def having(flag):
	    return sorted(t for t in fields if flag in flags[t])
	assert having("ST_QF_OPTIONS") == ["choice", "multi"], having("ST_QF_OPTIONS")
	assert having("ST_QF_RANGE") == ["duration", "number", "scale"], having("ST_QF_RANGE")
	rev = [a["then"]["properties"]["type"]["enum"] for a in form["definitions"]["item"]["allOf"]
	       if "reverse" in a["if"].get("properties", {})][0]
	assert having("ST_QF_REVERSE") == sorted(rev), (having("ST_QF_REVERSE"), rev)
	xsd = open(os.path.join(src, "schemas", "program.xsd"), encoding="utf-8").read()
	def simple(name):
	    m = re.search(r"<xs:simpleType name=\"" + name + r"\">(.*?)</xs:simpleType>", xsd, re.S)
	    return re.findall(r"value=\"([a-z-]+)\"", m.group(1))
	assert simple("item-type") == items and simple("field-type") == fields, "program.xsd types"
	assert simple("program-kind") == kinds and simple("start") == starts, "program.xsd kind, start"
	ref = open(os.path.join(src, "docs", "source-format.md"), encoding="utf-8").read()
	for w in fields + kinds + starts:
	    assert "`%s`" % w in ref, "docs/source-format.md lacks " + w
	print(len(items), "item types,", len(fields), "field types")
	EOF
'

test_done
