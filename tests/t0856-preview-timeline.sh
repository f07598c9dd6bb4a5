#!/bin/sh
# t0856-preview-timeline: the treatment panel's simulation
# (render/timeline.h) opens modules, makes forms fall due and sends
# messages by the program's own rules, evaluated by core's evaluator.
# tests/tools/timeline-tool.c compiles a folder and plays a script.
. "$(dirname "$0")/lib.sh"
TT=$TRASH_ROOT/timeline-tool

test_expect_success 'the test tool builds against the compiler and render/timeline.c' '
	san=
	case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
	B=$SRC/$STEG_BUILD
	# shellcheck disable=SC2046
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
		-I"$SRC/core" -I"$SRC/compiler" -I"$SRC/render" -I"$B/gen" \
		$(pkg-config --cflags libxml-2.0 yaml-0.1) \
		"$SRC/tests/tools/timeline-tool.c" "$SRC/render/timeline.c" \
		$(ls "$B"/compiler/*.o | grep -v "/main\.o\$\|/preview_main\.o\$") "$B/librender.a" "$B/libstegcore.a" \
		$(pkg-config --libs libxml-2.0 libzip zlib libsodium libcrypto jansson yaml-0.1 libcmark libmicrohttpd) \
		-lmagic -lm -lpthread -o "$TT"
'

# events as "DAY KIND ID AT", one a line
EV='import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1:]:
    for e in d[k]:
        print(e["day"], e["kind"], e.get("id", "-"), e.get("at", "-"))'
STATES='import json, sys
d = json.load(sys.stdin)
print(d["day"], " ".join("%s=%s" % (m["id"], m["state"]) for m in d["modules"]))
for p in d["problems"]: print(p)'

# A program of three modules: two opens after intro is completed and
# reviewed, tre seven days after intro was completed; phq9 weekly.
make_prog() {
	cp -R "$EX/depression" prog &&
	for f in prog/modules/0[4-9]-*.md; do rm "$f"; done &&
	sed -i "/^  - \(aktivering-2\|tankar\|somn\|problemlosning\|varderingar\|aterfall\)\$/d" prog/program.yaml &&
	sed -i "/^  - id: aktivering_klar/,/^      nya delar\./d" prog/program.yaml &&
	sed -i "s/^unlock: .*/unlock: completed(\"intro\") and reviewed(\"intro\")/" prog/modules/02-ond-cirkel.md &&
	sed -i "s/^unlock: .*/unlock: days_since(\"intro\") >= 7/" prog/modules/03-aktivering-1.md &&
	"$STEGC" check prog 2>/dev/null
}

test_expect_success 'the first day: the first module opens, start forms and message' '
	make_prog && "$TT" prog > out.json &&
	python3 -c "$EV" history < out.json > got &&
	cat > expect <<-\EOF &&
	0 due phq9 start
	0 due gad7 start
	0 open intro -
	0 message valkommen -
	EOF
	test_cmp expect got
'

test_expect_success 'completing module 1 and giving feedback opens module 2' '
	make_prog &&
	"$TT" prog "complete intro" > a.json && python3 -c "$STATES" < a.json > got &&
	echo "0 intro=completed ond-cirkel=locked aktivering-1=locked" > expect &&
	test_cmp expect got &&
	"$TT" prog "complete intro" "review intro" > b.json &&
	python3 -c "$STATES" < b.json > got &&
	echo "0 intro=completed ond-cirkel=open aktivering-1=locked" > expect &&
	test_cmp expect got
'

test_expect_success 'moving the clock seven days opens a days_since module, a weekly form falls due' '
	make_prog &&
	"$TT" prog "complete intro" "wait 6" > a.json &&
	python3 -c "$STATES" < a.json > got &&
	echo "6 intro=completed ond-cirkel=locked aktivering-1=locked" > expect &&
	test_cmp expect got &&
	"$TT" prog "complete intro" "wait 7" > b.json &&
	python3 -c "$STATES" < b.json > got &&
	echo "7 intro=completed ond-cirkel=locked aktivering-1=open" > expect &&
	test_cmp expect got &&
	python3 -c "$EV" history < b.json | sed -n "5,\$p" > got &&
	cat > expect <<-\EOF &&
	0 complete intro -
	7 due phq9 weekly
	7 open aktivering-1 -
	EOF
	test_cmp expect got
'

test_expect_success 'the forecast says when what time brings, up to the end' '
	make_prog && "$TT" prog "complete intro" > a.json &&
	python3 -c "$EV" planned < a.json > got &&
	cat > expect <<-\EOF &&
	7 due phq9 weekly
	7 open aktivering-1 -
	14 due phq9 weekly
	14 message paminnelse -
	21 due phq9 weekly
	28 due phq9 weekly
	35 due phq9 weekly
	42 due phq9 weekly
	49 due phq9 weekly
	56 due phq9 weekly
	63 due phq9 weekly
	70 end - -
	70 due phq9 end
	70 due gad7 end
	70 message avslut -
	EOF
	test_cmp expect got
'

test_expect_success 'a form due at a module, a message on a score, as the rules say' '
	make_prog &&
	sed -i "s/^    at: \[start, end\]/    at: [start, module:ond-cirkel]/" prog/program.yaml &&
	cat >> prog/program.yaml <<-\EOF &&
	  - id: hog_skattning
	    when: phq9.total >= 20
	    text: Din skattning är hög. Din behandlare hör av sig.
	EOF
	"$STEGC" check prog 2>/dev/null &&
	"$TT" prog "complete intro" "review intro" "complete ond-cirkel" \
		"score phq9.total 12" "wait 1" "score phq9.total 21" > a.json &&
	python3 -c "$EV" history < a.json | sed -n "6,\$p" > got &&
	cat > expect <<-\EOF &&
	0 review intro -
	0 open ond-cirkel -
	0 complete ond-cirkel -
	0 due gad7 module:ond-cirkel
	1 message hog_skattning -
	EOF
	test_cmp expect got
'

test_expect_code 1 'an action that cannot be played is a problem; the rest is played' '
	make_prog &&
	"$TT" prog "complete ond-cirkel" "complete nope" "wait x" "dance" "complete intro" \
		"review intro" "review intro" > a.json; rc=$?;
	python3 -c "$STATES" < a.json > got &&
	cat > expect <<-\EOF &&
	0 intro=completed ond-cirkel=open aktivering-1=locked
	line 1: module '"'"'ond-cirkel'"'"' is not open
	line 2: no module '"'"'nope'"'"'
	line 3: '"'"'wait'"'"' takes a number of days from 1 to 3650
	line 4: unknown action '"'"'dance'"'"'; use complete MODULE, review MODULE, wait DAYS or score FORM.SCORE VALUE
	line 7: module '"'"'intro'"'"' has feedback already
	EOF
	test_cmp expect got && exit $rc
'

test_expect_success 'the clock stops at ten years' '
	make_prog && "$TT" prog "wait 3650" > a.json &&
	python3 -c "import json,sys; d=json.load(sys.stdin); print(d[\"day\"], d[\"ended\"], d[\"problems\"])" < a.json > got &&
	echo "3650 True []" > expect && test_cmp expect got &&
	{ "$TT" prog "wait 3650" "wait 1" > b.json; test $? = 1; } &&
	grep -q "the clock stops at day 3650" b.json
'

test_done
