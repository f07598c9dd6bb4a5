#!/bin/sh
# t0858-preview-live: stegc preview while the program is edited
# (compiler/live.h) and the treatment panel.  An edit reaches an event
# stream as "reload" and the page shows the new text; an error reaches it
# as "errors" naming file, line, column and code while the pages keep the
# last good version; the fix clears it.  The panel plays the treatment:
# completing module 1 and giving feedback opens module 2, seven days open
# a days_since module and a weekly form falls due, on the panel and on the
# start page.  Event streams are bounded and a browser leaving mid-stream
# frees its place.  Every wait is for an event, with a deadline.
. "$(dirname "$0")/lib.sh"

command -v curl > /dev/null || test_skip_all "curl is not installed"

# until FILE holds the extended regular expression RE, for at most 20 s
wait_for() {
	_w=0
	until grep -Eq "$2" "$1" 2>/dev/null; do
		_w=$((_w + 1))
		if [ $_w -gt 400 ]; then
			echo "no '$2' in $1 after 20 s:"; cat "$1"; return 1
		fi
		sleep 0.05
	done
}
# the number of lines of FILE matching RE
count() { grep -Ec "$2" "$1" 2>/dev/null || :; }

# A program of three modules: ond-cirkel opens when intro is completed
# and reviewed, aktivering-1 seven days after intro was completed.
make_prog() {
	cp -R "$EX/depression" prog &&
	for f in prog/modules/0[4-9]-*.md; do rm "$f"; done &&
	sed -i "/^  - \(aktivering-2\|tankar\|somn\|problemlosning\|varderingar\|aterfall\)\$/d" prog/program.yaml &&
	sed -i "/^  - id: aktivering_klar/,/^      nya delar\./d" prog/program.yaml &&
	sed -i "s/^unlock: .*/unlock: completed(\"intro\") and reviewed(\"intro\")/" prog/modules/02-ond-cirkel.md &&
	sed -i "s/^unlock: .*/unlock: days_since(\"intro\") >= 7/" prog/modules/03-aktivering-1.md
}

# start: the server on a free port, its address in $URL and pid in $SPID
start() {
	# whatever this test leaves running goes with it, even after a failure
	trap 'kill $(jobs -p) 2>/dev/null || :' EXIT
	: > server.out
	"$STEGC" preview --port 0 prog > server.out 2> server.err &
	SPID=$!
	wait_for server.out "^Preview of .* at http" &&
	URL=$(sed -n "s/^Preview of .* at //p" server.out)
}
stop() {
	kill -TERM "$SPID" && wait "$SPID" && ! grep -q Sanitizer server.err
}

test_expect_success 'an edit reaches the event stream as reload, and the page has it' '
	make_prog && start
	curl -sN "${URL}events" > ev &
	cpid=$!
	wait_for ev "^event: ok" &&
	sed -i "s/När orken tar slut/När kraften tar slut/" prog/modules/02-ond-cirkel.md &&
	wait_for ev "^event: reload" &&
	curl -s "${URL}m/ond-cirkel/1" > page &&
	grep -q "När kraften tar slut" page && ! grep -q "När orken tar slut" page &&
	grep -q "src=\"/assets/live.js\"" page &&
	curl -sf "${URL}assets/live.js" | grep -q EventSource
	r=$?; kill $cpid; stop && test $r -eq 0
'

test_expect_success 'an error reaches it with file, line, column and code; the fix clears it' '
	make_prog && start
	curl -sN "${URL}events" > ev &
	cpid=$!
	wait_for ev "^event: ok" &&
	sed -i "s/^unlock: .*/unlock: completed(\"intro\") and reviewed(\"intrp\")/" prog/modules/02-ond-cirkel.md &&
	wait_for ev "^event: errors" &&
	curl -s "${URL}api/errors" > errors.json &&
	python3 -c "
import json, sys
d = json.load(open(\"errors.json\"))
e = [f for f in d[\"findings\"] if f[\"level\"] == \"error\"][0]
print(d[\"errors\"], e[\"file\"], e[\"line\"], e[\"column\"], e[\"code\"])
" > got &&
	echo "1 prog/modules/02-ond-cirkel.md 4 41 unknown-name" > expect &&
	test_cmp expect got &&
	grep "^data: " ev | tail -n 1 | grep -q "\"code\":\"unknown-name\"" &&
	curl -s "${URL}m/ond-cirkel/1" | grep -q "När orken tar slut" &&
	sed -i "s/reviewed(\"intrp\")/reviewed(\"intro\")/" prog/modules/02-ond-cirkel.md &&
	wait_for ev "^event: reload" &&
	curl -s "${URL}api/errors" > errors.json &&
	python3 -c "import json; d = json.load(open(\"errors.json\")); print(d[\"errors\"], len([f for f in d[\"findings\"] if f[\"level\"] == \"error\"]))" > got &&
	echo "0 0" > expect && test_cmp expect got
	r=$?; kill $cpid; stop && test $r -eq 0
'

# the state of each module in /api/state, "id=state ..."
STATES='import json, sys
d = json.load(sys.stdin)
print(d["day"], " ".join("%s=%s" % (m["id"], m["state"]) for m in d["modules"]))'

test_expect_success 'the panel: feedback opens module 2, seven days a days_since module and a weekly form' '
	make_prog && start &&
	curl -s -o /dev/null -w "%{http_code} %{redirect_url}\n" -d "action=complete&module=intro" "${URL}panel" > got &&
	echo "303 ${URL}panel" > expect && test_cmp expect got &&
	curl -s "${URL}api/state" | python3 -c "$STATES" > got &&
	echo "0 intro=completed ond-cirkel=locked aktivering-1=locked" > expect && test_cmp expect got &&
	curl -s "$URL" | grep -q "class=\"module locked\" data-module=\"ond-cirkel\"" &&
	curl -s -o /dev/null -d "action=review&module=intro" "${URL}panel" &&
	curl -s "${URL}api/state" | python3 -c "$STATES" > got &&
	echo "0 intro=completed ond-cirkel=open aktivering-1=locked" > expect && test_cmp expect got &&
	curl -s "$URL" | grep -q "class=\"module open\" data-module=\"ond-cirkel\"" &&
	curl -s -d "action=week" "${URL}api/state" > state.json &&
	python3 -c "$STATES" < state.json > got &&
	echo "7 intro=completed ond-cirkel=open aktivering-1=open" > expect && test_cmp expect got &&
	python3 -c "
import json
d = json.load(open(\"state.json\"))
for e in d[\"history\"]:
    if e[\"day\"] == 7: print(e[\"kind\"], e.get(\"id\"), e.get(\"at\", \"-\"))
" > got &&
	printf "due phq9 weekly\nopen aktivering-1 -\n" > expect && test_cmp expect got &&
	curl -s "$URL" | grep -q "class=\"module open\" data-module=\"aktivering-1\"" &&
	curl -s "${URL}panel" > panel.html &&
	grep -q "Dag 7, vecka 2" panel.html &&
	grep -q "name=\"action\" value=\"week\"" panel.html &&
	stop
'

test_expect_success 'the panel refuses what it cannot play, and keeps its state over a reload' '
	make_prog && start &&
	curl -s -o /dev/null -w "%{http_code}\n" -d "action=dance" "${URL}panel" > got &&
	curl -s -o /dev/null -w "%{http_code}\n" -d "action=complete&module=../x" "${URL}panel" >> got &&
	curl -s -o /dev/null -w "%{http_code}\n" -d "action=complete&module=aktivering-1" "${URL}panel" >> got &&
	printf "400\n400\n303\n" > expect && test_cmp expect got &&
	curl -s "${URL}api/state" > state.json &&
	grep -q "line 1: module .aktivering-1. is not open" state.json &&
	curl -s -o /dev/null -d "action=reset" "${URL}panel" &&
	curl -s -o /dev/null -d "action=complete&module=intro" "${URL}panel"
	curl -sN "${URL}events" > ev &
	cpid=$!
	wait_for ev "^event: ok" &&
	echo "Ännu en rad." >> prog/modules/01-intro.md &&
	wait_for ev "^event: reload" &&
	curl -s "${URL}api/state" | python3 -c "$STATES" > got &&
	echo "0 intro=completed ond-cirkel=locked aktivering-1=locked" > expect && test_cmp expect got
	r=$?; kill $cpid; stop && test $r -eq 0
'

# A web page the designer visits may post to the preview (a form needs
# no permission) or point a name of its own at 127.0.0.1 and read the
# preview as its own site (DNS rebinding).  Both are refused: 403, a page
# naming nothing of the program, the state untouched.
test_expect_success 'a page of another site can neither move the panel nor read the preview by a name of its own' '
	make_prog && start &&
	HP=${URL#http://}; HP=${HP%/} &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Origin: http://evil.example" -d "action=complete&module=intro" "${URL}panel" > got &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Sec-Fetch-Site: cross-site" -d "action=week" "${URL}api/state" >> got &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Origin: null" -d "action=week" "${URL}api/state" >> got &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Sec-Fetch-Site: same-site" -H "Origin: http://127.0.0.1:1" -d "action=week" "${URL}api/state" >> got &&
	curl -s -o page -w "%{http_code}\n" -H "Host: evil.example:${HP#*:}" "$URL" >> got &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Host: evil.example" "${URL}api/state" >> got &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Host: 127.0.0.1.evil.example" "${URL}m/intro/1" >> got &&
	printf "403\n403\n403\n403\n403\n403\n403\n" > expect && test_cmp expect got &&
	grep -q "<h1>Åtkomst nekad</h1>" page &&
	grep -q "answers only requests addressed to this machine" page &&
	! grep -q "Depressionshjälpen" page &&
	curl -s "${URL}api/state" | python3 -c "$STATES" > got &&
	echo "0 intro=open ond-cirkel=locked aktivering-1=locked" > expect && test_cmp expect got &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Origin: null" -H "Sec-Fetch-Site: same-origin" -d "action=complete&module=intro" "${URL}panel" > got &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Origin: http://$HP" -d "action=reset" "${URL}panel" >> got &&
	curl -s -o /dev/null -d "action=complete&module=intro" "${URL}panel" &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Host: localhost:${HP#*:}" "$URL" >> got &&
	curl -s -o /dev/null -w "%{http_code}\n" -H "Host: steg.localhost" "$URL" >> got &&
	printf "303\n303\n200\n200\n" > expect && test_cmp expect got &&
	curl -s "${URL}api/state" | python3 -c "$STATES" > got &&
	echo "0 intro=completed ond-cirkel=locked aktivering-1=locked" > expect && test_cmp expect got &&
	stop
'

test_expect_success 'event streams are bounded; a browser leaving frees its place' '
	make_prog && start
	i=0; while [ $i -lt 16 ]; do
		curl -sN --max-time 30 "${URL}events" > "ev$i" &
		eval "c$i=\$!"
		i=$((i + 1))
	done
	i=0; while [ $i -lt 16 ]; do wait_for "ev$i" "^event: ok"; i=$((i + 1)); done &&
	curl -s -o /dev/null -w "%{http_code}\n" --max-time 5 "${URL}events" > got &&
	echo 503 > expect && test_cmp expect got &&
	# two pages go away (curl killed: its exit status is the signal)
	kill $c0 $c1 && { wait $c0 $c1 2>/dev/null || :; }
	# the server finds within a second or so that they have gone: until
	# then a new page is told there is no room
	n=0
	while :; do
		curl -sN --max-time 30 "${URL}events" > evnew &
		cn=$!
		wait_for evnew "^event: (ok|errors)|too many pages are listening"
		grep -q "^event: " evnew && break
		n=$((n + 1)); [ $n -lt 100 ] || { echo "no room after 10 s"; exit 1; }
		sleep 0.1
	done
	test $n -lt 100 &&
	curl -s "$URL" > /dev/null &&
	sed -i "s/När orken tar slut/När orken tar slut nu/" prog/modules/02-ond-cirkel.md &&
	wait_for evnew "^event: reload" && wait_for ev5 "^event: reload"
	r=$?
	i=2; while [ $i -lt 16 ]; do eval "kill \$c$i"; i=$((i + 1)); done
	kill $cn; stop && test $r -eq 0
'

test_expect_success 'the server stops at once with a page listening' '
	make_prog && start
	curl -sN "${URL}events" > ev &
	cpid=$!
	wait_for ev "^event: ok" &&
	stop &&
	# the stream ends with the server (how curl saw the end does not matter)
	{ wait $cpid || :; } &&
	! grep -E "Sanitizer|runtime error|stegc: (error|preview)" server.err
'

test_expect_success 'a bundle has the panel but no reload events' '
	make_prog && "$STEGC" build prog -o prog.steg 2>/dev/null &&
	trap 'kill $(jobs -p) 2>/dev/null || :' EXIT &&
	: > server.out &&
	"$STEGC" preview --port 0 prog.steg > server.out 2> server.err &
	SPID=$!
	wait_for server.out "^Preview of .* at http" &&
	URL=$(sed -n "s/^Preview of .* at //p" server.out) &&
	curl -s -o /dev/null -w "%{http_code}\n" "${URL}events" > got &&
	curl -s -o /dev/null -w "%{http_code}\n" -d "action=complete&module=intro" "${URL}panel" >> got &&
	printf "404\n303\n" > expect && test_cmp expect got &&
	curl -s "$URL" | grep -vq "live.js" &&
	stop
'

test_done
