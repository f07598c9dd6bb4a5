#!/bin/sh
# t0055-vocab: the closed vocabularies of the source format are spelled once,
# in core/vocab.c; the JSON Schemas for editors, program.xsd and the docs
# must list exactly the same words, and the compiler must hold sources to
# them with a suggestion for a near miss.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/channel-lib.sh"

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
	b = open(os.path.join(src, "core", "expr_builtin.c"), encoding="utf-8").read()
	words = re.findall(r"\{ \"([a-z]+)\", TK_[A-Z]+ \}", b)
	assert words == ["and", "or", "not", "true", "false"], words
	for sch in (form, ex):
	    assert sch["definitions"]["ident"]["not"]["enum"] == words, "ident: not the reserved words"
	print(len(items), "item types,", len(fields), "field types,", len(words), "reserved words")
	EOF
'

test_expect_success 'a media file named x.PNG: the loader and the renderer give the same verdict as the bundle reader' '
	cp -R "$SRC/tests/golden/base" p &&
	"$STEGC" check p > out 2>&1 &&
	mv p/media/te.png p/media/te.PNG &&
	sed -i "s|../media/te.png|../media/te.PNG|" p/modules/01-intro.md &&
	run out "$STEGC" check p && test "$rc" = 1 &&
	grep -q "p/media/te.PNG: error: unsupported media type" out &&
	grep -q "01-intro.md:7:1: error: .media/te.PNG. is not a kind of media a page can show (.\.PNG.)" out &&
	test "$(grep -c "error:" out)" = 2 || { cat out; false; }
	"$STEGC" build -q "$SRC/tests/golden/base" -o good.steg &&
	python3 "$SRC/tests/tools/bundlecraft.py" good.steg x.steg list media/te.PNG "$SRC/tests/golden/base/media/te.png" &&
	run out "$STEGC" verify x.steg && test "$rc" = 1 &&
	grep -q "entry .media/te.PNG. is not a kind of entry a bundle holds" out || { cat out; false; }
'

# HSA-ids: accepted and refused alike by stegc (a program's producer), steg
# (user add, trust add) and a channel index (its publisher).
GOOD_HSA="SE2321000016-0001 SE2321000016-7P3Q SE2321000099-abc9 SE2321000016-ABCDEFGHIJ123456789"
BAD_HSA="SE2321000016 SE123-1 se2321000016-0001 SE2321000016-00-1 SE2321000016-ABCDEFGHIJ1234567890 SE23210000161-1 X"

test_expect_success 'one HSA-id rule: stegc, steg user add, steg trust add and a channel index agree' '
	setup_regions && cp -R "$SRC/tests/golden/base" p &&
	share_a se.test.bas@1.0.0 "$W/chan" > /dev/null &&
	n=0 &&
	for id in $GOOD_HSA $BAD_HSA; do
		n=$((n + 1)) &&
		sed -i "s/^  id: .*/  id: $id/" p/program.yaml &&
		if "$STEGC" check p > c.out 2>&1; then v1=ok; elif grep -q bad-hsa-id c.out; then v1=bad; else cat c.out; false; fi &&
		"$STEG" --db "$W/A.db" user add "$id" --name "N $n" --role publisher --as $AADM > u.out 2>&1
		if grep -q "is not an HSA-id" u.out; then v2=bad; else v2=ok; fi &&
		"$STEG" --db "$W/A.db" trust add --region "$id" --key "$W/x.pub" --as $AADM > t.out 2>&1
		if grep -q "is not an HSA-id" t.out; then v3=bad; else v3=ok; fi &&
		rm -rf c && cp -R "$W/chan" c &&
		python3 -c "import json,sys; p=\"c/index.json\"; ix=json.load(open(p)); ix[\"publisher\"]=sys.argv[1]; open(p,\"w\").write(json.dumps(ix))" "$id" &&
		sign_file "$W/a.key" c/index.json "$(sed -n "s/^trusted comment: //p" "$W/chan/index.json.minisig")" &&
		sync_b c > s.out 2>&1
		if grep -q ".publisher. is not an HSA-id" s.out; then v4=bad; else v4=ok; fi &&
		echo "$id $v1 $v2 $v3 $v4" >> got || return 1
	done &&
	for id in $GOOD_HSA; do echo "$id ok ok ok ok"; done > want &&
	for id in $BAD_HSA; do echo "$id bad bad bad bad"; done >> want &&
	test_cmp want got
'

test_expect_success 'a time is read strictly everywhere: a manifest build time, a signature expiry' '
	"$STEGC" build -q "$SRC/tests/golden/base" -o good.steg &&
	t=$(unzip -p good.steg manifest.xml | sed -n "s/.* time=\"\([^\"]*\)\".*/\1/p") &&
	"$STEGC" inspect good.steg > out && grep -q "built      $t" out &&
	python3 "$SRC/tests/tools/bundlecraft.py" good.steg x.steg msub "time=\"$t\"" "time=\"2023-02-30T22:13:20Z\"" &&
	run out "$STEGC" inspect x.steg && test "$rc" != 0 &&
	grep -q "manifest.xml:[0-9]*: error: element .build.: attribute .time. is not a valid value: .2023-02-30T22:13:20Z. is not a time that exists, written YYYY-MM-DDThh:mm:ssZ \[xml-schema\]" out || { cat out; false; }
	run out "$STEGC" verify x.steg && test "$rc" = 1 && grep -q "2023-02-30T22:13:20Z" out &&
	"$STEGC" keygen -o k --unencrypted > /dev/null &&
	unzip -p good.steg manifest.xml > manifest.xml &&
	sign_file k.key manifest.xml "steg kind=bundle publisher=SE2321000016-0001 id=se.test.bas version=1.0.0 expires=2099-02-30T00:00:00Z" &&
	python3 "$SRC/tests/tools/bundlecraft.py" good.steg y.steg signature manifest.xml.minisig &&
	run out "$STEGC" verify --pubkey k.pub y.steg && test "$rc" = 1 &&
	grep -q "sig-comment" out || { cat out; false; }
'

test_expect_success 'a signature names a program id and version by the rules of program.yaml' '
	"$STEGC" build -q "$SRC/tests/golden/base" -o good.steg &&
	"$STEGC" keygen -o k --unencrypted > /dev/null &&
	unzip -p good.steg manifest.xml > manifest.xml &&
	for f in "id=se.test..bas version=1.0.0|se.test..bas|id" "id=se.test.bas version=1.0|1.0|version" "id=se.test.bas version=01.0.0|01.0.0|version"; do
		c=${f%%|*} rest=${f#*|} &&
		sign_file k.key manifest.xml "steg kind=bundle publisher=SE2321000016-0001 $c expires=2099-01-01T00:00:00Z" &&
		python3 "$SRC/tests/tools/bundlecraft.py" good.steg y.steg signature manifest.xml.minisig &&
		run out "$STEGC" verify --pubkey k.pub y.steg && test "$rc" = 1 &&
		grep -Fq "bad value '"'"'${rest%|*}'"'"' for '"'"'${rest#*|}'"'"' [sig-comment]" out || { cat out; return 1; }
	done
'

test_expect_success 'one rule writes names in ASCII: stegc new and a module file name give the same id' '
	printf "%s\n" "oro-ångest|oro-angest" "Återfall i Ölkök|aterfall-i-olkok" \
		"crème_brûlée.v2|creme-brulee-v2" "Straße – Æsir|strasse-aesir" \
		"Łódź  Żółć|lodz-zolc" "$(printf "a\314\212ngest")|angest" > names &&
	while IFS="|" read -r name want; do
		"$STEGC" new "$name" > out &&
		grep -qx "id: se.exempel.$want" "$name/program.yaml" || { echo "new $name:"; cat "$name/program.yaml"; return 1; }
		mv "$name/modules/02-forsta-steget.md" "$name/modules/02-$name.md" &&
		sed -i "s|(02-forsta-steget.md)|(<02-$name.md>)|" "$name/modules/01-valkommen.md" &&
		"$STEGC" build -q "$name" -o m.steg &&
		"$STEGC" inspect m.steg > out &&
		grep -q "^  2\. $want: " out || { echo "module $name:"; cat out; return 1; }
	done < names
'

test_done
