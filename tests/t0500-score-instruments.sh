#!/bin/sh
# t0500-score-instruments: `steg score` on the published instruments in
# examples/depression — PHQ-9 (Kroenke et al. 2001: cut-offs 5, 10, 15,
# 20; maximum 27) and GAD-7 (Spitzer et al. 2006: cut-offs 5, 10, 15;
# maximum 21) — at every band edge, with all and with one answer missing
# (every item of both is required: exit 4, the result printed all the
# same), and the alerts (PHQ-9 item 9 above 0; totals at the severe
# cut-offs).  t0550 has the rules for missing answers in detail.
. "$(dirname "$0")/lib.sh"

BUNDLE=$TRASH_ROOT/dep.steg

# answers N TOTAL [LAST]: N items q1..qN summing to TOTAL, filled from q1
# with 3s; item qN is LAST (default 0) and counts towards TOTAL.
answers() {
	python3 - "$@" <<'PY'
import json, sys
n, total = int(sys.argv[1]), int(sys.argv[2])
last = int(sys.argv[3]) if len(sys.argv) > 3 else 0
vals = [0] * n
vals[n - 1] = last
rest = total - last
for i in range(n - 1):
    take = min(3, rest)
    vals[i] = take
    rest -= take
assert rest == 0, "total not reachable"
print(json.dumps({"q%d" % (i + 1): v for i, v in enumerate(vals)}))
PY
}

# summary FILE: "VALUE LEVEL BAND | ALERT..." from steg score's JSON; a
# range "from-to", an alert that may fire "ID:LEVEL?"
summary() {
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
s = r["scores"][0]
v = s["value"] if s["range"] is None else "%s-%s" % (s["range"]["from"], s["range"]["to"])
print(v, s["level"], s["band"], "|", *[a["id"] + ":" + a["level"] + ("?" if a["status"] == "possible" else "") for a in r["alerts"]])
' "$1"
}

# partial FORM FILE: score answers with required items missing: exit 4,
# answers-required on stderr, the result in out
partial() {
	rc=0
	"$STEG" score "$BUNDLE" "$1" --answers "$2" >out 2>err || rc=$?
	test $rc = 4 && grep -q "\[answers-required\]$" err
}

test_expect_success 'the depression example builds' '
	"$STEGC" build "$EX/depression" -o "$BUNDLE" >/dev/null
'

test_expect_success 'PHQ-9: the whole output for one set of answers' '
	answers 9 13 1 >a.json &&
	"$STEG" score "$BUNDLE" phq9 --answers a.json >actual &&
	cat >expect <<-\EOF &&
	{
	  "form": "phq9",
	  "complete": true,
	  "missing": [],
	  "required_missing": [],
	  "scores": [
	    {
	      "id": "total",
	      "value": 13,
	      "band": "Måttliga symtom",
	      "level": "moderate",
	      "range": null,
	      "bands": [],
	      "prorated": null,
	      "missing": []
	    }
	  ],
	  "alerts": [
	    {
	      "id": "suicidtankar",
	      "level": "urgent",
	      "message": "Patienten har svarat att hen har tankar på att det vore bättre att vara död eller att skada sig (fråga 9). Gör en suicidriskbedömning och kontakta patienten i dag, helst per telefon.",
	      "status": "fires",
	      "missing": []
	    }
	  ]
	}
	EOF
	test_cmp expect actual
'

for case in "0 none" "4 none" "5 mild" "9 mild" "10 moderate" "14 moderate" \
            "15 moderately-severe" "19 moderately-severe" "20 severe" "27 severe"; do
	set -- $case
	test_expect_success "PHQ-9: a total of $1 is $2" "
		answers 9 $1 \$(test $1 = 27 && echo 3 || echo 0) >a.json &&
		\"\$STEG\" score \"\$BUNDLE\" phq9 --answers a.json >out &&
		summary out >actual &&
		alerts= &&
		if test $1 = 27; then alerts=' suicidtankar:urgent svara_symtom:warning';
		elif test $1 -ge 20; then alerts=' svara_symtom:warning'; fi &&
		test \"\$(cut -d' ' -f1,2 actual)\" = \"$1 $2\" &&
		test \"\$(sed 's/^[^|]*|//' actual)\" = \"\$alerts\"
	"
done

test_expect_success 'PHQ-9: the band labels are the Swedish ones at each edge' '
	for t in 0 5 10 15 20; do
		answers 9 $t >a.json &&
		"$STEG" score "$BUNDLE" phq9 --answers a.json >out &&
		summary out | sed "s/ |.*//" || return 1
	done >actual &&
	cat >expect <<-\EOF &&
	0 none Minimala eller inga symtom
	5 mild Lindriga symtom
	10 moderate Måttliga symtom
	15 moderately-severe Medelsvåra symtom
	20 severe Svåra symtom
	EOF
	test_cmp expect actual
'

test_expect_success 'PHQ-9: item 9 above 0 raises the urgent alert at any total' '
	for q9 in 0 1 2 3; do
		answers 9 $q9 $q9 >a.json &&
		"$STEG" score "$BUNDLE" phq9 --answers a.json >out &&
		summary out || return 1
	done >actual &&
	cat >expect <<-\EOF &&
	0 none Minimala eller inga symtom |
	1 none Minimala eller inga symtom | suicidtankar:urgent
	2 none Minimala eller inga symtom | suicidtankar:urgent
	3 none Minimala eller inga symtom | suicidtankar:urgent
	EOF
	test_cmp expect actual
'

test_expect_success 'PHQ-9: nothing answered: any total, both alerts possible, exit 4' '
	echo "{}" >a.json &&
	partial phq9 a.json &&
	summary out >actual &&
	echo "0-27 None None | suicidtankar:urgent? svara_symtom:warning?" >expect &&
	test_cmp expect actual
'

test_expect_success 'PHQ-9: item 9 missing (or null) after 24 points: 24-27, severe, the total alert fires' '
	echo "{\"q1\":3,\"q2\":3,\"q3\":3,\"q4\":3,\"q5\":3,\"q6\":3,\"q7\":3,\"q8\":3}" >a.json &&
	partial phq9 a.json &&
	summary out >actual &&
	echo "{\"q1\":3,\"q2\":3,\"q3\":3,\"q4\":3,\"q5\":3,\"q6\":3,\"q7\":3,\"q8\":3,\"q9\":null}" >b.json &&
	partial phq9 b.json &&
	summary out >>actual &&
	printf "%s\n" "24-27 severe Svåra symtom | suicidtankar:urgent? svara_symtom:warning" \
		"24-27 severe Svåra symtom | suicidtankar:urgent? svara_symtom:warning" >expect &&
	test_cmp expect actual
'

test_expect_success 'PHQ-9: item 9 answered alone still raises its alert' '
	echo "{\"q9\":2}" >a.json &&
	partial phq9 a.json &&
	summary out >actual &&
	echo "2-26 None None | suicidtankar:urgent svara_symtom:warning?" >expect &&
	test_cmp expect actual
'

for case in "0 none" "4 none" "5 mild" "9 mild" "10 moderate" "14 moderate" \
            "15 severe" "21 severe"; do
	set -- $case
	test_expect_success "GAD-7: a total of $1 is $2" "
		answers 7 $1 \$(test $1 = 21 && echo 3 || echo 0) >a.json &&
		\"\$STEG\" score \"\$BUNDLE\" gad7 --answers a.json >out &&
		summary out >actual &&
		alerts= &&
		if test $1 -ge 15; then alerts=' svar_oro:warning'; fi &&
		test \"\$(cut -d' ' -f1,2 actual)\" = \"$1 $2\" &&
		test \"\$(sed 's/^[^|]*|//' actual)\" = \"\$alerts\"
	"
done

test_expect_success 'GAD-7: all missing and one missing give the possible totals' '
	echo "{}" >a.json &&
	partial gad7 a.json &&
	summary out >actual &&
	echo "{\"q1\":1,\"q2\":1,\"q3\":1,\"q4\":1,\"q5\":1,\"q6\":1}" >a.json &&
	partial gad7 a.json &&
	summary out >>actual &&
	printf "%s\n" "0-21 None None | svar_oro:warning?" "6-9 mild Lindriga symtom |" >expect &&
	test_cmp expect actual
'

test_expect_success 'the insomnia form: reverse-scored item 4 and a yes/no alert' '
	"$STEGC" build "$EX/insomnia" -o ins.steg >/dev/null &&
	echo "{\"q1\":0,\"q2\":0,\"q3\":0,\"q4\":0,\"q5\":0,\"q6\":false}" >a.json &&
	"$STEG" score ins.steg somnskattning --answers a.json >out &&
	summary out >actual &&
	echo "{\"q1\":0,\"q2\":0,\"q3\":0,\"q4\":4,\"q5\":0,\"q6\":true}" >a.json &&
	"$STEG" score ins.steg somnskattning --answers a.json >out &&
	summary out >>actual &&
	printf "%s\n" "4 mild Små sömnbesvär |" \
		"0 mild Små sömnbesvär | trotthet_trafik:warning" >expect &&
	test_cmp expect actual
'

test_done
