#!/bin/sh
# t0812-fhirpath-agree — the FHIRPath that export-fhir writes for a score
# gives what Steg gives.  fhirpath.js (npm, with its R4 model; locked in
# tests/browser/) evaluates each score's calculatedExpression on a
# QuestionnaireResponse made of the same answers that the core's
# evaluator (tests/tools/score-once.c: one evaluation, docs/expressions.md
# "Missing answers") and `steg score` get, over a generated set of forms
# (tests/tools/gen-exprs.py: every built-in a form may use, every
# operator, yes/no, text and date conditions, scores of scores, random
# typed expressions) and answer sets with answers missing.  They must
# agree on every score of every answer set.
. "$(dirname "$0")/lib.sh"
Q="'"

command -v node >/dev/null 2>&1 || test_skip_all 'node is not installed (make deps)'
cmp -s "$SRC/tests/browser/package-lock.json" \
	"$SRC/tests/browser/node_modules/.steg-package-lock.json" ||
	test_skip_all 'the npm packages of tests/browser are missing or stale (make deps)'
EVAL="$SRC/tests/browser/fhir-eval.mjs"
ONCE=$TRASH_ROOT/score-once

test_expect_success 'the one-evaluation tool builds against the core library' '
	san=
	case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
		-Wall -Wextra -Werror -I"$SRC/core" "$SRC/tests/tools/score-once.c" \
		"$SRC/$STEG_BUILD/libstegcore.a" \
		$(pkg-config --libs yaml-0.1 libxml-2.0 libzip zlib libsodium libcrypto jansson) \
		-lmagic -lm -lpthread -o "$ONCE"
'

# The issue's two cases: a false yes/no is not counted, and a condition
# on an unanswered yes/no is false, so its not() is true.
test_expect_success 'count(b, c) and if(not (b == true), 1, 0): FHIRPath as Steg' '
	"$STEGC" new p > /dev/null &&
	cat > p/forms/veckokoll.yaml <<-\EOT &&
	id: veckokoll
	title: Test
	name: Test
	reference: test
	license: CC0-1.0
	options:
	  - { value: 0, label: Nej }
	  - { value: 1, label: Ja }
	items:
	  - { id: q1, text: Fråga }
	  - { id: b, text: B, type: boolean }
	  - { id: c, text: C, type: boolean }
	scores:
	  - { id: s1, value: "count(b, c)" }
	  - { id: s2, value: "if(not (b == true), 1, 0)" }
	EOT
	"$STEGC" build -q p -o p.steg &&
	run err "$STEGC" export-fhir p.steg veckokoll -o q.json && test $rc = 0 &&
	test_cmp /dev/null err &&
	python3 -c "import json; [print(e[\"valueExpression\"][\"expression\"]) for i in json.load(open(\"q.json\"))[\"item\"] for e in i.get(\"extension\", []) if \"valueExpression\" in e]" > actual &&
	cat > expect <<-\EOT &&
	%resource.item.where(linkId in ('"'b' | 'c'"')).answer.value.where($this = true).count()
	iif((iif(%resource.item.where(linkId='"'b'"').answer.value = true, true, false)).not(), 1, 0)
	EOT
	test_cmp expect actual &&
	echo "{\"q1\": 1, \"b\": false, \"c\": true}" > a1.json &&
	echo "{\"q1\": 1, \"c\": true}" > a2.json &&
	node "$EVAL" q.json a1.json a2.json > fp &&
	"$ONCE" p.steg veckokoll a1.json a2.json > once &&
	cat > expect <<-\EOT &&
	{"s1":1,"s2":1}
	{"s1":1,"s2":1}
	EOT
	test_cmp expect fp &&
	tr -d " " < once > o && test_cmp expect o
'

test_expect_success 'FHIRPath keeps halves away from zero and a false yes/no uncounted inside combine' '
	"$STEGC" new p > /dev/null &&
	cat > p/forms/veckokoll.yaml <<-\EOT &&
	id: veckokoll
	title: Test
	name: Test
	reference: test
	license: CC0-1.0
	options:
	  - { value: 0, label: Nej }
	  - { value: 1, label: Ja }
	items:
	  - { id: q1, text: Fråga }
	  - { id: b, text: B, type: boolean }
	  - { id: n, text: N, type: number }
	scores:
	  - { id: r1, value: "round(n - 3)" }
	  - { id: r2, value: "round(0 - n, 1)" }
	  - { id: c1, value: "count(q1, b, n)" }
	  - { id: m1, value: "mean(q1, q1, n)" }
	EOT
	"$STEGC" build -q p -o p.steg &&
	"$STEGC" export-fhir -q p.steg veckokoll -o q.json &&
	echo "{\"q1\": 1, \"b\": false, \"n\": 0.5}" > a1.json &&
	echo "{\"q1\": 0, \"b\": true, \"n\": 0.25}" > a2.json &&
	node "$EVAL" q.json a1.json a2.json > fp &&
	"$ONCE" p.steg veckokoll a1.json a2.json > once &&
	cat > expect <<-\EOT &&
	{"r1":-3,"r2":-0.5,"c1":2,"m1":0.8333333333333334}
	{"r1":-3,"r2":-0.3,"c1":3,"m1":0.08333333333333333}
	EOT
	test_cmp expect fp &&
	tr -d " " < once > o && test_cmp expect o
'

test_expect_success 'days between dates and round to a computed precision: no FHIRPath, said so' '
	"$STEGC" new p > /dev/null &&
	cat > p/forms/veckokoll.yaml <<-\EOT &&
	id: veckokoll
	title: Test
	name: Test
	reference: test
	license: CC0-1.0
	options:
	  - { value: 0, label: Nej }
	  - { value: 1, label: Ja }
	items:
	  - { id: q1, text: Fråga }
	  - { id: d1, text: Från, type: date }
	  - { id: d2, text: Till, type: date }
	scores:
	  - { id: dagar, value: "d2 - d1" }
	  - { id: r, value: "round(q1 / 3, q1)" }
	EOT
	"$STEGC" build -q p -o p.steg &&
	run err "$STEGC" export-fhir p.steg veckokoll -o q.json && test $rc = 0 &&
	cat > expect <<-EOT &&
	p.steg:program.xml:42: warning: score ${Q}dagar${Q} = ${Q}d2 - d1${Q} has no FHIRPath translation; it is exported without calculatedExpression [fhir-unsupported]
	p.steg:program.xml:45: warning: score ${Q}r${Q} = ${Q}round(q1 / 3, q1)${Q} has no FHIRPath translation; it is exported without calculatedExpression [fhir-unsupported]
	2 warnings generated
	EOT
	test_cmp expect err
'

test_expect_success 'a generated set of forms: it checks clean and exports every score' '
	cd "$TRASH_ROOT" &&
	"$STEGC" new gp > /dev/null &&
	python3 "$SRC/tests/tools/gen-exprs.py" gp ans 13 &&
	run out "$STEGC" check -Werror gp && { test $rc = 0 || { cat out; false; }; } &&
	"$STEGC" build -q gp -o gp.steg &&
	for f in g01 g02 g03 g04 g05; do
		run err "$STEGC" export-fhir gp.steg $f -o $f.json &&
		{ test $rc = 0 && test_cmp /dev/null err || { cat err; false; }; } &&
		test "$(grep -c calculatedExpression $f.json)" = \
			"$(grep -c "^  - id: x" gp/forms/$f.yaml)" || return 1
	done &&
	test "$(grep -c "^  - id: x" gp/forms/g01.yaml)" -ge 50
'

test_expect_success 'fhirpath.js, the evaluator and steg score agree on every score' '
	cd "$TRASH_ROOT" &&
	for f in g01 g02 g03 g04 g05; do
		node "$EVAL" $f.json ans/$f-*.json > $f.fp &&
		"$ONCE" gp.steg $f ans/$f-*.json > $f.once &&
		for a in ans/$f-*.json; do
			rc=0 && "$STEG" score gp.steg $f --answers $a > $a.score 2>/dev/null || rc=$?
			test $rc = 0 || test $rc = 4 || return 1
		done || return 1
	done &&
	python3 - > result <<-\EOT &&
	import glob, json
	def same(u, v):
	    return (u is None) == (v is None) and (u is None or abs(u - v) <= 1e-9 * max(1, abs(v)))
	n = {"scores": 0, "complete": 0, "with-missing": 0, "fhirpath-empty": 0}
	bad = []
	for f in ["g01", "g02", "g03", "g04", "g05"]:
	    files = sorted(glob.glob("ans/%s-*.json" % f))
	    fp = [json.loads(l) for l in open(f + ".fp")]
	    once = [json.loads(l) for l in open(f + ".once")]
	    assert len(fp) == len(once) == len(files) == 20
	    for a, x, y in zip(files, fp, once):
	        ans = json.load(open(a))
	        sc = {s["id"]: s for s in json.load(open(a + ".score"))["scores"]}
	        complete = len(ans) == 11
	        for k in y:
	            n["scores"] += 1
	            u = x[k]
	            # 1. one evaluation, by the core and by fhirpath.js
	            if not same(u, y[k]):
	                bad.append((a, k, "fhirpath", u, "evaluator", y[k]))
	            s = sc[k]
	            if complete:
	                # 2. every answer given: steg score computes the same
	                n["complete"] += 1
	                if s["range"] is not None or not same(u, s["value"]):
	                    bad.append((a, k, "fhirpath", u, "steg score", s["value"]))
	                continue
	            n["with-missing"] += 1
	            if u is None:
	                n["fhirpath-empty"] += 1
	                continue
	            # 3. answers missing: steg score knows the value or its range;
	            # a number FHIRPath shows is that value or in that range
	            r = s["range"]
	            ok = same(u, s["value"]) if r is None else \
	                (r["from"] is None or u >= r["from"] - 1e-9) and \
	                (r["to"] is None or u <= r["to"] + 1e-9)
	            if not ok:
	                bad.append((a, k, "fhirpath", u, "steg score", s["value"], r))
	for b in bad[:20]:
	    print("differ:", *b)
	print("%(scores)d scores, %(complete)d with every answer, %(with-missing)d with answers missing (%(fhirpath-empty)d of them empty)" % n)
	print("%d differ" % len(bad))
	EOT
	cat result >&2 &&
	tail -n 1 result > actual && echo "0 differ" > expect && test_cmp expect actual &&
	grep -q "^4320 scores, 1080 with every answer, 3240 with answers missing" result
'

test_done
