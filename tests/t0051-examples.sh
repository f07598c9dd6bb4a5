#!/bin/sh
# t0051-examples: the three example programs are what a region copies, so
# they must stay exemplary: no finding at all (not even a warning, with
# -Werror and the default LIX limit), a reproducible bundle that standard
# tools accept, every media file carried and stored uncompressed, and
# rating forms that score as the instruments prescribe (PHQ-9's item 9
# alert, the reverse-scored sleep item).
. "$(dirname "$0")/lib.sh"

for ex in depression insomnia tobacco; do
	test_expect_success "$ex: stegc check -Werror reports nothing" "
		\"\$STEGC\" check -Werror --format json '$EX/$ex' > out
		grep -q '\"diagnostics\":\[\],\"errors\":0,\"warnings\":0' out
	"

	test_expect_success "$ex: builds byte for byte the same twice" "
		\"\$STEGC\" build -q '$EX/$ex' -o one.steg
		\"\$STEGC\" build -q '$EX/$ex' -o two.steg
		cmp one.steg two.steg
	"

	test_expect_success "$ex: the bundle verifies and standard tools accept it" "
		\"\$STEGC\" build -q '$EX/$ex' -o b.steg
		\"\$STEGC\" verify -q b.steg
		unzip -tq b.steg > /dev/null
		mkdir x && (cd x && unzip -q ../b.steg)
		xmllint --noout --nonet --schema \"\$SRC/schemas/manifest.xsd\" x/manifest.xml 2> /dev/null
		xmllint --noout --nonet --schema \"\$SRC/schemas/program.xsd\" x/program.xml 2> /dev/null
		for p in x/pages/*/*.xhtml; do xmllint --noout --nonet \"\$p\"; done
	"

	test_expect_success "$ex: every media file is in the bundle, stored" "
		\"\$STEGC\" build -q '$EX/$ex' -o b.steg
		(cd '$EX/$ex' && find media -type f | sort) > expect
		unzip -Z1 b.steg | grep '^media/' | sort > actual
		test_cmp expect actual
		test -s expect
		unzip -v b.steg | awk '\$NF ~ /^media\\// && \$2 != \"Stored\" { print; bad = 1 } END { exit bad }'
	"
done

test_expect_success 'depression: PHQ-9 scores 0-27 in five bands and alerts on item 9' '
	"$STEGC" build -q "$EX/depression" -o d.steg
	echo "{\"q1\":1,\"q2\":2,\"q3\":1,\"q4\":3,\"q5\":0,\"q6\":1,\"q7\":2,\"q8\":0,\"q9\":1}" > a.json
	"$STEG" score d.steg phq9 --answers a.json > out
	python3 - out <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	s = {x["id"]: x for x in r["scores"]}
	assert s["total"]["value"] == 11, s
	assert s["total"]["band"] == "Måttliga symtom" and s["total"]["level"] == "moderate", s
	a = {x["id"]: x["level"] for x in r["alerts"]}
	assert a == {"suicidtankar": "urgent"}, a
	EOF
	echo "{\"q1\":0,\"q2\":0,\"q3\":0,\"q4\":0,\"q5\":0,\"q6\":0,\"q7\":0,\"q8\":0,\"q9\":0}" > z.json
	"$STEG" score d.steg phq9 --answers z.json > out
	python3 - out <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	assert r["scores"][0]["value"] == 0 and r["scores"][0]["level"] == "none", r
	assert r["alerts"] == [], r
	EOF
'

test_expect_success 'insomnia: the rested item is reverse-scored; dozing at the wheel warns' '
	"$STEGC" build -q "$EX/insomnia" -o s.steg
	echo "{\"q1\":4,\"q2\":4,\"q3\":4,\"q4\":0,\"q5\":4,\"q6\":true}" > a.json
	"$STEG" score s.steg somnskattning --answers a.json > out
	python3 - out <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	assert r["scores"][0]["value"] == 20 and r["scores"][0]["level"] == "severe", r
	assert [a["id"] for a in r["alerts"]] == ["trotthet_trafik"], r
	EOF
'

test_expect_success 'the modules stay easy to read: LIX at most 30 everywhere' '
	for ex in depression insomnia tobacco; do
		"$STEGC" check --lix-max 30 -Werror -q "$EX/$ex"
	done
'

test_done
