#!/bin/sh
# t0850-preview: `stegc preview` serves the program as its patient meets
# it: the start page, module pages in the program's language, rating forms
# scored exactly as `steg score` scores them (missing answers included),
# security headers, hostile paths, bad input, a taken port, and a clean
# stop on SIGTERM.  Servers are started on a free port (--port 0) and
# waited for by the address they print, never by sleeping.
. "$(dirname "$0")/lib.sh"
W=$TRASH_ROOT/w
mkdir -p "$W"
PIDS=
trap 'for p in $PIDS; do kill "$p" 2> /dev/null; done; rm -rf "$TRASH_ROOT"' EXIT

# start NAME SOURCE: start a preview of SOURCE; its address is in
# $W/NAME.url, its stderr in $W/NAME.err, its pid in $W/NAME.pid.  The
# first line of its output is read from a FIFO, so this returns as soon as
# the server listens.
start() {
	mkfifo "$W/$1.fifo"
	"$STEGC" preview --port 0 "$2" > "$W/$1.fifo" 2> "$W/$1.err" &
	echo $! > "$W/$1.pid"
	PIDS="$PIDS $!"
	exec 3< "$W/$1.fifo"
	IFS= read -r line <&3 || line=
	echo "$line" > "$W/$1.line"
	echo "$line" | grep -o 'http://127\.0\.0\.1:[0-9]*/$' > "$W/$1.url" && return
	# why not, for the bail-out below: what it printed, and its stderr
	echo "# stegc preview $2 printed '$line'; its stderr:"
	sed 's/^/# /' "$W/$1.err"
	return 1
}

# wait_for FILE RE: until FILE holds the extended regular expression RE,
# for at most 20 s (a condition polled, with a deadline)
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

# get URL [curl options]: the body in ./body, the status in ./status,
# the headers in ./headers.
get() {
	u=$1; shift
	curl -s --path-as-is -D headers -o body -w '%{http_code}' "$@" "$u" > status
}

start dep "$EX/depression" || { echo "Bail out! stegc preview did not start"; exit 1; }
U=$(cat "$W/dep.url")
[ -n "$U" ] || { echo "Bail out! no address printed: $(cat "$W/dep.line" "$W/dep.err")"; exit 1; }

test_expect_success 'it prints the address it listens on' '
	grep -qx "Preview of '"'"'Depressionshjälpen'"'"' at http://127\.0\.0\.1:[0-9]*/" "$W/dep.line"
'

test_expect_success 'the start page lists every module of the program, the first open' '
	get "$U" && test "$(cat status)" = 200 &&
	grep -q "<html lang=\"sv\">" body &&
	grep -q "<h1>Depressionshjälpen</h1>" body &&
	for m in intro ond-cirkel aktivering-1 aktivering-2 tankar somn problemlosning varderingar aterfall; do
		grep -q "data-module=\"$m\"><a href=\"/m/$m/\">" body ||
			{ echo "module $m missing"; exit 1; }
	done &&
	grep -q "<li class=\"module open\" data-module=\"intro\">" body &&
	grep -q "<li class=\"module locked\" data-module=\"ond-cirkel\">" body &&
	grep -q "<a href=\"/forms/phq9\">Skattning av nedstämdhet (PHQ-9)</a>" body &&
	grep -q "Fylls i: vid start, varje vecka, vid slutet</span>" body &&
	! grep -q "Fylls i: [^<]*weekly" body
'

test_expect_success 'a page shows its text, its image with alt text, its language and navigation' '
	get "${U}m/intro/1" && test "$(cat status)" = 200 &&
	grep -q "<html lang=\"sv\">" body &&
	grep -q "<h1>Välkommen</h1>" body &&
	grep -q "Hej och välkommen! Vi är glada att du har valt att börja den här" body &&
	grep -q "<img src=\"/media/valkommen.png\" alt=\"En person sitter vid ett bord" body &&
	grep -q "<a class=\"next\" rel=\"next\" href=\"/m/intro/2\">Nästa</a>" body &&
	grep -q "Sida 1 av " body &&
	get "${U}m/intro/" && grep -q "<h1>Välkommen</h1>" body
'

test_expect_success 'the last page of a module leads on to the next module' '
	get "${U}m/intro/1" &&
	n=$(sed -n "s/.*Sida 1 av \([0-9]*\)<.*/\1/p" body) && test -n "$n" &&
	get "${U}m/intro/$n" && test "$(cat status)" = 200 &&
	grep -q "<a class=\"next\" rel=\"next\" href=\"/m/ond-cirkel/1\">Nästa</a>" body &&
	get "${U}m/ond-cirkel/1" &&
	grep -q "<a class=\"prev\" rel=\"prev\" href=\"/m/intro/$n\">Föregående</a>" body
'

test_expect_success 'media are served from the program with their type' '
	get "${U}media/valkommen.png" && test "$(cat status)" = 200 &&
	cmp body "$EX/depression/media/valkommen.png" &&
	grep -qi "^Content-Type: image/png" headers
'

# range_ok URL FIRST-LAST: a 206 of exactly those bytes of valkommen.png
range_ok() {
	f=$EX/depression/media/valkommen.png
	size=$(wc -c < "$f")
	get "$1" -r "$2" && test "$(cat status)" = 206 &&
	first=${2%-*} && last=${2#*-} &&
	grep -qi "^Content-Range: bytes $first-$last/$size" headers &&
	tail -c +$((first + 1)) "$f" | head -c $((last - first + 1)) > want &&
	cmp body want
}

test_expect_success 'media answer a byte range, so that players can seek (206, 416)' '
	M=${U}media/valkommen.png && size=$(wc -c < "$EX/depression/media/valkommen.png") &&
	get "$M" && grep -qi "^Accept-Ranges: bytes" headers &&
	range_ok "$M" 0-9 && range_ok "$M" 100-$((size - 1)) &&
	get "$M" -r 100- && grep -qi "^Content-Range: bytes 100-$((size - 1))/$size" headers &&
	test "$(wc -c < body)" = $((size - 100)) &&
	get "$M" -r -4 && test "$(cat status)" = 206 &&
	grep -qi "^Content-Range: bytes $((size - 4))-$((size - 1))/$size" headers &&
	get "$M" -r 0-99999999 && test "$(cat status)" = 206 && test "$(wc -c < body)" = "$size" &&
	get "$M" -r "$size-" && test "$(cat status)" = 416 &&
	grep -qi "^Content-Range: bytes \*/$size" headers && test ! -s body &&
	get "$M" -r -0 && test "$(cat status)" = 416 &&
	for bad in abc 5-2 0-1,3-4 x-y 1--2 99999999999999999999-; do
		get "$M" -r "$bad" && test "$(cat status)" = 200 &&
		cmp body "$EX/depression/media/valkommen.png" || { echo "Range: bytes=$bad"; exit 1; }
	done &&
	get "$M" -H "Range: items=0-9" && test "$(cat status)" = 200
'

test_expect_success 'every answer carries the security headers' '
	for p in "" m/intro/1 media/valkommen.png assets/steg.css nope; do
		get "$U$p" &&
		grep -qi "^Content-Security-Policy: default-src '"'"'self'"'"';.*frame-ancestors '"'"'none'"'"'" headers &&
		! grep -qi "unsafe-inline" headers &&
		grep -qi "^X-Content-Type-Options: nosniff" headers ||
			{ echo "headers of /$p"; cat headers; exit 1; }
	done
'

test_expect_success 'paths out of the program are not found' '
	for p in "../../etc/passwd" "media/../program.yaml" "media/%2e%2e/program.yaml" \
	         "media/..%2fprogram.yaml" "m/%2e%2e/%2e%2e/etc/passwd" "media/program.yaml" \
	         "assets/../Makefile" "media/" "media/.%2e/.%2e/program.yaml" "media//etc/passwd" \
	         "m" "m/" "forms" "forms/" "ex" "media" "assets" "assets/" "m/intro/1/" "forms/phq9/x" \
	         "media/%00x.png" "m/intro%2f..%2f..%2fprogram.yaml" "%2e%2e/program.yaml"; do
		get "$U$p" && test "$(cat status)" = 404 && ! grep -q "steg: 1" body ||
			{ echo "/$p: $(cat status)"; exit 1; }
	done
'

test_expect_success 'unknown modules and pages are a clear 404' '
	get "${U}m/nope/" && test "$(cat status)" = 404 &&
	grep -q "the program has no module &apos;nope&apos;\|the program has no module '"'"'nope'"'"'" body &&
	get "${U}m/intro/99" && test "$(cat status)" = 404 &&
	grep -q "module &apos;intro&apos; has [0-9]* pages\|module '"'"'intro'"'"' has [0-9]* pages" body &&
	get "${U}m/intro/0" && test "$(cat status)" = 404 &&
	get "${U}m/intro/x" && test "$(cat status)" = 404
'

test_expect_success 'a method a page does not take is 405' '
	get "${U}api/eval" && test "$(cat status)" = 405 &&
	get "${U}" -X DELETE && test "$(cat status)" = 405
'

test_expect_success 'a body over the limit is refused with 413, and the server goes on' '
	head -c 300000 /dev/zero | tr "\0" a > big &&
	get "${U}forms/phq9" --data-binary @big && test "$(cat status)" = 413 &&
	get "$U" && test "$(cat status)" = 200
'

test_expect_success 'headers over the limit are refused, and the server goes on' '
	big=$(head -c 40000 /dev/zero | tr "\0" a) &&
	get "$U" -H "X-Big: $big" && test "$(cat status)" -ge 400 && test "$(cat status)" -lt 500 &&
	get "$U" && test "$(cat status)" = 200
'

test_expect_success 'a client closing in the middle does not stop the server' '
	python3 - "$U" <<-\EOF &&
	import socket, sys, urllib.parse
	u = urllib.parse.urlparse(sys.argv[1])
	for req in (b"GET /media/valkommen.png HTTP/1.1\r\nHost: x\r\n\r\n",
	            b"GET / HTTP/1.1\r\nHo",
	            b"POST /api/eval HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"fo"):
	    s = socket.create_connection((u.hostname, u.port))
	    s.sendall(req)
	    s.close()
	EOF
	get "${U}m/intro/1" && test "$(cat status)" = 200
'

# The same answers scored by `steg score` on the built bundle and by the
# preview: the result must be the same.
SOURCE_DATE_EPOCH=1700000000 "$STEGC" build "$EX/depression" -o "$W/dep.steg" > /dev/null 2>&1 ||
	{ echo "Bail out! cannot build the depression example"; exit 1; }

# same_result API_RESPONSE STEG_SCORE_JSON: the response's result is the
# score's JSON.
same_result() {
	python3 - "$1" "$2" <<-\EOF
	import json, sys
	got = json.load(open(sys.argv[1]))["result"]
	want = json.load(open(sys.argv[2]))
	if got != want:
	    print("preview:", json.dumps(got, indent=1, ensure_ascii=False))
	    print("steg score:", json.dumps(want, indent=1, ensure_ascii=False))
	    sys.exit(1)
	EOF
}

test_expect_success 'a PHQ-9 submitted shows the total, band and item-9 alert of steg score' '
	echo "{\"q1\": 3, \"q2\": 3, \"q3\": 2, \"q4\": 2, \"q5\": 2, \"q6\": 2, \"q7\": 1, \"q8\": 1, \"q9\": 1}" > a.json &&
	"$STEG" score "$W/dep.steg" phq9 --answers a.json > want.json &&
	python3 -c "import json; d = json.load(open(\"want.json\")); print(d[\"scores\"][0][\"value\"], d[\"scores\"][0][\"band\"], d[\"alerts\"][0][\"id\"], d[\"alerts\"][0][\"status\"])" > want &&
	echo "17 Medelsvåra symtom suicidtankar fires" > expect && test_cmp expect want &&
	get "${U}forms/phq9" --data "q1=3&q2=3&q3=2&q4=2&q5=2&q6=2&q7=1&q8=1&q9=1" &&
	test "$(cat status)" = 200 &&
	grep -q "<span class=\"score-value\" data-score=\"total\">17</span> <span class=\"band level-moderately-severe\">Medelsvåra symtom</span>" body &&
	grep -q "<li class=\"alert level-urgent fires\" data-alert=\"suicidtankar\"><strong class=\"level\">Brådskande</strong>" body &&
	! grep -q "data-alert=\"svara_symtom\"" body &&
	grep -q "<p class=\"completeness\">Alla frågor är besvarade.</p>" body &&
	grep -q "<input type=\"radio\" name=\"q9\" value=\"1\" id=\"f-phq9-q9-1\" checked=\"checked\"/>" body &&
	get "${U}api/eval" -H "Content-Type: application/json" --data "{\"form\": \"phq9\", \"answers\": $(cat a.json)}" &&
	test "$(cat status)" = 200 && same_result body want.json
'

test_expect_success 'missing required answers behave as steg score: a range, a possible alert, named items' '
	echo "{\"q1\": 3, \"q2\": 3, \"q3\": 2, \"q4\": 2, \"q5\": 2, \"q6\": 2, \"q8\": 1}" > a.json &&
	rc=0 && "$STEG" score "$W/dep.steg" phq9 --answers a.json > want.json 2> err || rc=$? &&
	test $rc = 4 &&
	get "${U}forms/phq9" --data "q1=3&q2=3&q3=2&q4=2&q5=2&q6=2&q8=1&q7=&q9=" &&
	test "$(cat status)" = 200 &&
	grep -q "<p class=\"required-missing\">Frågor som måste besvaras saknar svar: <span class=\"missing\">q7, q9</span></p>" body &&
	grep -q "<span class=\"score-value\" data-score=\"total\">15 till 21</span>" body &&
	grep -q "<li class=\"alert level-urgent possible\" data-alert=\"suicidtankar\">" body &&
	get "${U}api/eval" -H "Content-Type: application/json" --data "{\"form\": \"phq9\", \"answers\": $(cat a.json)}" &&
	same_result body want.json &&
	get "${U}api/eval" --data "_form=phq9&q1=3&q2=3&q3=2&q4=2&q5=2&q6=2&q8=1" &&
	same_result body want.json
'

test_expect_success 'an answer steg score refuses is refused on the page, naming the item' '
	echo "{\"q1\": 7}" > a.json &&
	rc=0 && "$STEG" score "$W/dep.steg" phq9 --answers a.json > out 2> err || rc=$? &&
	test $rc = 1 && grep -q "item .q1.: 7 is not one of its answer options" err &&
	get "${U}forms/phq9" --data "q1=7&q2=x" && test "$(cat status)" = 200 &&
	grep -q "<div class=\"errors\" role=\"alert\">" body &&
	grep -q "<li>item .q1.: 7 is not one of its answer options (0, 1, 2, 3)</li>" body &&
	grep -q "<li>item .q2. must be answered with a number, not a text</li>" body &&
	grep -q "<p class=\"pending\">" body
'

test_expect_success 'show-if hides a field until its condition holds, on the page and in the endpoint' '
	get "${U}ex/tankedagbok" &&
	grep -q "<div class=\"field\" data-field=\"annan_kansla\" hidden=\"hidden\">" body &&
	get "${U}ex/tankedagbok" --data "kansla=5&_action=update" &&
	grep -q "<div class=\"field\" data-field=\"annan_kansla\">" body &&
	get "${U}api/eval" -H "Content-Type: application/json" --data "{\"exercise\": \"tankedagbok\", \"answers\": {\"kansla\": 5}}" &&
	python3 -c "import json; assert \"annan_kansla\" in json.load(open(\"body\"))[\"visible\"]" &&
	get "${U}api/eval" -H "Content-Type: application/json" --data "{\"exercise\": \"tankedagbok\", \"answers\": {\"kansla\": 1}}" &&
	python3 -c "import json; assert \"annan_kansla\" not in json.load(open(\"body\"))[\"visible\"]"
'

test_expect_success 'a computed field is computed by the server' '
	get "${U}api/eval" --data "_exercise=aktivitetsdagbok&hum_fore=3&hum_efter=7" &&
	test "$(cat status)" = 200 &&
	python3 -c "import json; c = json.load(open(\"body\"))[\"computed\"][\"forandring\"]; print(c[\"value\"], c[\"text\"])" > got &&
	echo "4.0 4 steg" > want && test_cmp want got &&
	get "${U}ex/aktivitetsdagbok" --data "hum_fore=3&hum_efter=7&_action=update" &&
	grep -q "<output data-computed=\"forandring\">4 steg</output>" body
'

# entries BODY: the diary entries a page carries, as JSON.
entries() {
	python3 -c "import html, re, sys; print(html.unescape(re.search(r\"name=\\\"_entries\\\" value=\\\"([^\\\"]*)\\\"\", open(sys.argv[1]).read()).group(1)))" "$1"
}

test_expect_success 'a diary keeps two dated entries, and one can be edited' '
	get "${U}ex/aktivitetsdagbok" --data "datum=2026-12-01&aktivitet=Promenad&hum_fore=3&hum_efter=6" &&
	test "$(cat status)" = 200 && entries body > e1 &&
	get "${U}ex/aktivitetsdagbok" --data-urlencode "_entries=$(cat e1)" --data "datum=2026-12-02&aktivitet=Fika&hum_fore=4&hum_efter=8" &&
	grep -o "<li class=\"entry\"><span class=\"entry-text\">[^<]*</span>" body > got &&
	cat > want <<-\EOF &&
	<li class="entry"><span class="entry-text">2026-12-01 · Promenad · Skillnad i humör efter aktiviteten: 3 steg</span>
	<li class="entry"><span class="entry-text">2026-12-02 · Fika · Skillnad i humör efter aktiviteten: 4 steg</span>
	EOF
	test_cmp want got &&
	entries body > e2 &&
	get "${U}ex/aktivitetsdagbok" --data-urlencode "_entries=$(cat e2)" --data "_load=1" &&
	grep -q "<input type=\"text\" name=\"aktivitet\" id=\"x-aktivitetsdagbok-aktivitet\" value=\"Fika\"" body &&
	grep -q "<input type=\"hidden\" name=\"_edit\" value=\"1\"/>" body &&
	get "${U}ex/aktivitetsdagbok" --data-urlencode "_entries=$(cat e2)" --data "_edit=1&datum=2026-12-03&aktivitet=Bio" &&
	grep -o "<span class=\"entry-text\">[^<]*</span>" body > got &&
	printf "%s\n" "<span class=\"entry-text\">2026-12-01 · Promenad · Skillnad i humör efter aktiviteten: 3 steg</span>" \
		"<span class=\"entry-text\">2026-12-03 · Bio</span>" > want &&
	test_cmp want got
'

test_expect_success 'a diary entry with a bad date is refused and nothing is saved' '
	get "${U}ex/aktivitetsdagbok" --data "datum=2026-02-30&aktivitet=X" &&
	grep -q "<li>field .datum.: .2026-02-30. is not a date written YYYY-MM-DD</li>" body &&
	grep -q "Inga anteckningar ännu." body
'

test_expect_success 'bad input to the endpoint is a clear 4xx' '
	get "${U}api/eval" -H "Content-Type: application/json" --data "{bad" &&
	test "$(cat status)" = 400 && grep -q "\"error\": \"the request is not valid JSON" body &&
	get "${U}api/eval" -H "Content-Type: application/json" --data "{\"form\": \"phq9\", \"extra\": 1}" &&
	test "$(cat status)" = 400 && grep -q "unknown key or wrong type: .extra." body &&
	get "${U}api/eval" -H "Content-Type: application/json" --data "{\"form\": \"nope\", \"answers\": {}}" &&
	test "$(cat status)" = 404 && grep -q "no such rating form" body &&
	get "${U}api/eval" -H "Content-Type: application/json" --data "[1, 2]" &&
	test "$(cat status)" = 400 &&
	get "${U}api/eval" -H "Content-Type: application/json" --data "{\"form\": \"phq9\", \"answers\": {\"q99\": 1}}" &&
	test "$(cat status)" = 200 && grep -q "unknown item .q99.: form .phq9. has no such item" body &&
	get "${U}forms/nope" && test "$(cat status)" = 404 &&
	get "${U}ex/nope" --data "x=1" && test "$(cat status)" = 404 &&
	get "$U" && test "$(cat status)" = 200
'

test_expect_success 'exercises appear working in their pages' '
	get "${U}m/aktivering-1/2" &&
	grep -q "<section class=\"steg-exercise\" data-exercise=\"aktivitetsdagbok\"><h2>Aktivitetsdagbok</h2>" body &&
	grep -q "<form method=\"post\" novalidate=\"novalidate\" data-eval=\"exercise\" action=\"/ex/aktivitetsdagbok\"" body &&
	grep -q "<input type=\"date\" name=\"datum\" id=\"x-aktivitetsdagbok-datum\" aria-required=\"true\"/>" body &&
	grep -q "<input type=\"time\" name=\"klockan\"" body &&
	! grep -q "steg-component" body
'

test_expect_success 'the stylesheet and the script are served, and no page has inline script or style' '
	get "${U}assets/steg.css" && test "$(cat status)" = 200 && grep -qi "^Content-Type: text/css" headers &&
	get "${U}assets/preview.js" && test "$(cat status)" = 200 && grep -qi "^Content-Type: text/javascript" headers &&
	grep -q "/api/eval" body &&
	for p in "" m/intro/1 m/aktivering-1/2 forms/phq9 ex/tankedagbok; do
		get "$U$p" &&
		! grep -q "<script>\|<script [^>]*>[^<]\|<style\| style=\| on[a-z]*=" body ||
			{ echo "/$p"; exit 1; }
	done
'

test_expect_success 'a built bundle is previewed the same way, its media from the bundle' '
	mkfifo fifo &&
	{ "$STEGC" preview --port 0 "$W/dep.steg" > fifo 2> err & echo $! > pid; } &&
	exec 4< fifo && IFS= read -r line <&4 &&
	bu=$(echo "$line" | grep -o "http://127\.0\.0\.1:[0-9]*/\$") &&
	get "$bu" && grep -q "data-module=\"aterfall\"><a href=\"/m/aterfall/\">" body &&
	get "${bu}media/valkommen.png" && test "$(cat status)" = 200 &&
	cmp body "$EX/depression/media/valkommen.png" &&
	range_ok "${bu}media/valkommen.png" 3-20 &&
	get "${bu}media/valkommen.png" -r 999999- && test "$(cat status)" = 416 &&
	get "${bu}forms/phq9" --data "q1=3&q2=3&q3=2&q4=2&q5=2&q6=2&q7=1&q8=1&q9=1" &&
	grep -q "data-score=\"total\">17</span>" body &&
	kill -TERM "$(cat pid)" && wait "$(cat pid)" && test_cmp /dev/null err
'

# crawl URL: follow every link and source of every page under URL; print
# "STATUS PATH" for each that is not 200, and the number of pages seen.
crawl() {
	python3 - "$1" <<-\EOF
	import re, sys, urllib.request, urllib.error
	root = sys.argv[1].rstrip("/")
	seen, todo, bad = set(), ["/"], []
	while todo and len(seen) < 2000:
	    p = todo.pop()
	    if p in seen:
	        continue
	    seen.add(p)
	    try:
	        r = urllib.request.urlopen(root + p)
	        code, body, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
	    except urllib.error.HTTPError as e:
	        code, body, ctype = e.code, b"", ""
	    if code != 200:
	        bad.append("%d %s" % (code, p))
	    if ctype.startswith("text/html"):
	        for m in re.finditer(rb'(?:href|src|action)="(/[^"#]*)"', body):
	            u = m.group(1).decode()
	            todo.append(u)
	for b in bad:
	    print(b)
	print("pages", len(seen))
	EOF
}

test_expect_success 'every page, form, exercise and media file of the three examples loads' '
	for ex in depression insomnia tobacco; do
		mkfifo "fifo.$ex" &&
		{ "$STEGC" preview --port 0 "$EX/$ex" > "fifo.$ex" 2> "err.$ex" & echo $! > "pid.$ex"; } &&
		exec 5< "fifo.$ex" && IFS= read -r line <&5 &&
		eu=$(echo "$line" | grep -o "http://127\.0\.0\.1:[0-9]*/\$") &&
		crawl "$eu" > "crawl.$ex" &&
		kill -TERM "$(cat "pid.$ex")" && wait "$(cat "pid.$ex")" &&
		test_cmp /dev/null "err.$ex" &&
		grep -q "^pages [0-9]*\$" "crawl.$ex" && test "$(wc -l < "crawl.$ex")" = 1 &&
		test "$(sed -n "s/^pages //p" "crawl.$ex")" -gt 20 ||
			{ echo "$ex:"; cat "crawl.$ex" "err.$ex"; exit 1; }
	done
'

test_expect_success 'crisis tel: links and links between modules work' '
	get "${U}m/intro/1" && n=$(sed -n "s/.*Sida 1 av \([0-9]*\)<.*/\1/p" body) &&
	: > all && i=1 && while [ $i -le $n ]; do get "${U}m/intro/$i" && cat body >> all; i=$((i + 1)); done &&
	grep -q "<a href=\"tel:112\">ring 112</a>" all &&
	grep -q "<a href=\"tel:1177\">ring 1177</a>" all &&
	for p in 1 2 3 4 5 6; do get "${U}m/ond-cirkel/$p" && cat body >> mods; done &&
	grep -q "<a href=\"/m/[a-z0-9-]*/\" data-module=\"[a-z0-9-]*\">" mods
'

# serve SOURCE: start a preview in a test body; its address in $bu.
serve() {
	rm -f fifo && mkfifo fifo &&
	{ "$STEGC" preview --port 0 "$1" > fifo 2> err & echo $! > pid; } &&
	exec 4< fifo && IFS= read -r line <&4 &&
	bu=$(echo "$line" | grep -o "http://127\.0\.0\.1:[0-9]*/\$")
}

test_expect_success 'pages are in the program language, and raw HTML of the sources never reaches them' '
	cp -R "$SRC/tests/golden/base" p &&
	sed -i "s/^language: sv/language: en/" p/program.yaml &&
	printf "\nText <b onclick=\"x()\">fet</b> och <script>alert(1)</script>\n\n<div style=\"color:red\">blockhtml</div>\n" >> p/modules/01-intro.md &&
	serve p &&
	get "${bu}m/intro/1" && test "$(cat status)" = 200 &&
	grep -q "<html lang=\"en\">" body &&
	test "$(grep -o "<script" body | wc -l)" = 2 &&
	grep -q "<script defer=\"defer\" src=\"/assets/preview.js\"></script>" body &&
	grep -q "<script defer=\"defer\" src=\"/assets/live.js\"></script>" body &&
	! grep -q "onclick\|style=\|blockhtml\|<b>" body &&
	kill -TERM "$(cat pid)" && wait "$(cat pid)" &&
	grep -q "\[raw-html\]" err
'

test_expect_success 'a bundle whose page holds a script is refused, not served' '
	"$STEGC" build -q "$SRC/tests/golden/base" -o base.steg &&
	unzip -p base.steg pages/intro/01.xhtml |
		sed "s|<p>|<p onclick=\"x()\"><script>alert(1)</script>|" > page.xhtml &&
	python3 "$SRC/tests/tools/bundlecraft.py" base.steg x.steg put pages/intro/01.xhtml page.xhtml &&
	run out "$STEGC" preview --port 0 x.steg && test $rc = 1 &&
	grep -q "\[bundle-page-element\]" out && ! grep -q "^Preview of" out
'

test_expect_success 'a port in use is an error with exit status 3' '
	port=$(sed "s|.*:\([0-9]*\)/\$|\1|" "$W/dep.url") &&
	run out "$STEGC" preview --port "$port" "$EX/depression" &&
	test $rc = 3 &&
	grep -q "^stegc: error: cannot listen on 127.0.0.1 port $port: the port is in use" out
'

test_expect_success 'usage errors are exit status 2' '
	run out "$STEGC" preview --port 70000 "$EX/depression" && test $rc = 2 &&
	grep -q "^stegc: error: .--port. takes a number from 0 to 65535" out &&
	run out "$STEGC" preview && test $rc = 2 &&
	run out "$STEGC" preview --help && test $rc = 0 && grep -q "^usage: stegc preview" out
'

test_expect_success 'a folder with errors is reported and served: its pages list the errors until the fix' '
	cp -R "$EX/depression" p && sed -i "/^title:/d" p/program.yaml &&
	start broken p &&
	UB=$(cat "$W/broken.url") && test -n "$UB" &&
	grep -q "^p/program.yaml:4:1: error: missing required key .title. \[missing-key\]" "$W/broken.err" &&
	wait_for "$W/broken.err" "the pages show the errors until they are fixed" &&
	get "$UB" && test "$(cat status)" = 503 &&
	grep -q "<li><strong>p/program.yaml:4:1</strong> missing required key .title. <code>\[missing-key\]</code></li>" body &&
	grep -q "src=\"/assets/live.js\"" body &&
	get "${UB}m/intro/" && test "$(cat status)" = 503 &&
	get "${UB}api/errors" && test "$(cat status)" = 200 &&
	grep -q "\"errors\":1,.*\"code\":\"missing-key\"" body &&
	get "${UB}assets/live.js" && test "$(cat status)" = 200 &&
	sed -i "s/^version: 1.0.0/version: 1.0.0\ntitle: Nu med titel/" p/program.yaml &&
	wait_for "$W/broken.err" "reloaded in" &&
	get "$UB" && test "$(cat status)" = 200 &&
	grep -q "<h1>Nu med titel</h1>" body &&
	kill -TERM "$(cat "$W/broken.pid")" && wait "$(cat "$W/broken.pid")" &&
	! grep -Eq "Sanitizer|runtime error" "$W/broken.err"
'

test_expect_success 'the start page says when a locked module opens in words, or shows the rule' '
	cp -R "$EX/depression" r &&
	sed -i "s/^unlock: .*/unlock: completed(\"intro\") and reviewed(\"intro\")/" r/modules/02-ond-cirkel.md &&
	sed -i "s/^unlock: .*/unlock: days_since(\"intro\") >= 7/" r/modules/03-aktivering-1.md &&
	sed -i "s/^unlock: .*/unlock: days_since(start) > 0 or completed(\"intro\")/" r/modules/04-aktivering-2.md &&
	sed -i "s/^unlock: .*/unlock: days_since(start) > 13 or phq9.total >= 20/" r/modules/05-tankar.md &&
	sed -i "s/^unlock: .*/unlock: completed(\"intro\") and reviewed(\"intro\") or days_since(start) >= 14/" r/modules/06-somn.md &&
	start rules r && get "$(cat "$W/rules.url")" &&
	kill -TERM "$(cat "$W/rules.pid")" && wait "$(cat "$W/rules.pid")" &&
	grep -o "data-module=\"[^\"]*\"\|class=\"why\">[^<]*" body |
		sed "s/^class=\"why\">/  /" > got &&
	cat > expect <<-\EOF &&
	data-module="intro"
	data-module="ond-cirkel"
	  Öppnas när modulen ”Välkommen till behandlingen” är klar och när behandlaren har gett återkoppling på modulen ”Välkommen till behandlingen”
	data-module="aktivering-1"
	  Öppnas 7 dagar efter att modulen ”Välkommen till behandlingen” är klar
	data-module="aktivering-2"
	  Öppnas 1 dag efter start eller när modulen ”Välkommen till behandlingen” är klar
	data-module="tankar"
	  Öppnas när: days_since(start) &gt; 13 or phq9.total &gt;= 20
	data-module="somn"
	  Öppnas när: completed("intro") and reviewed("intro") or days_since(start) &gt;= 14
	data-module="problemlosning"
	  Öppnas när modulen ”Sömn och vardagsrutiner” är klar
	data-module="varderingar"
	  Öppnas när modulen ”Problemlösning” är klar
	data-module="aterfall"
	  Öppnas när modulen ”Det som är viktigt för dig” är klar
	EOF
	test_cmp expect got
'

# A rating form that ends with a free comment (an item of type longtext).
cp -R "$SRC/tests/golden/base" "$W/lt"
python3 - "$W/lt/forms/mood.yaml" <<'EOT'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("    text: Har du haft svårt att sova?\n",
              "    text: Har du haft svårt att sova?\n"
              "  - id: kommentar\n    text: Vill du säga något mer?\n    type: longtext\n")
open(p, "w").write(s)
EOT
start lt "$W/lt" || { echo "Bail out! the preview of a form with a comment did not start"; exit 1; }
U3=$(cat "$W/lt.url")
test_expect_success 'a free comment in a rating form: a text area, never scored, the form complete without it' '
	get "${U3}forms/mood" && test "$(cat status)" = 200 &&
	grep -q "<label for=\"f-mood-kommentar\"><span class=\"qno\">3.</span> Vill du säga något mer?</label><textarea rows=\"4\" name=\"kommentar\" id=\"f-mood-kommentar\"></textarea>" body &&
	get "${U3}forms/mood" --data "q1=2&q2=1&kommentar=Jag+sover+b%C3%A4ttre+%3Cnu%3E" &&
	test "$(cat status)" = 200 &&
	grep -q "<textarea rows=\"4\" name=\"kommentar\" id=\"f-mood-kommentar\">Jag sover bättre &lt;nu&gt;</textarea>" body &&
	grep -q "<span class=\"score-value\" data-score=\"total\">3</span>" body &&
	grep -q "<p class=\"completeness\">Alla frågor är besvarade.</p>" body &&
	get "${U3}forms/mood" --data "q1=2&q2=1&kommentar=" &&
	grep -q "<span class=\"score-value\" data-score=\"total\">3</span>" body &&
	grep -q "<p class=\"completeness\">Alla frågor är besvarade.</p>" body
'

# A symlink that leads out, put in place of a media file after the start.
cp -R "$EX/depression" "$W/sym"
start sym "$W/sym" || { echo "Bail out! the second preview did not start"; exit 1; }
U2=$(cat "$W/sym.url")
test_expect_success 'a media file turned into a symlink out of the program is not served' '
	echo secret-bytes > "$W/secret.png" &&
	rm "$W/sym/media/valkommen.png" && ln -s "$W/secret.png" "$W/sym/media/valkommen.png" &&
	get "${U2}media/valkommen.png" && test "$(cat status)" = 404 &&
	! grep -q secret-bytes body &&
	# the folder is watched: the recompile refuses the link too, and the
	# pages keep the last good version, whose file is refused above
	wait_for "$W/sym.err" "the pages show the last good version" &&
	grep -q "valkommen.png.* leads out of the program folder.*\[path-escape\]" "$W/sym.err" &&
	get "${U2}media/valkommen.png" && test "$(cat status)" = 404 &&
	! grep -q secret-bytes body
'

# SIGTERM stops a server cleanly: exit 0, nothing on stderr (under the
# sanitizers: no leak).
pid=$(cat "$W/sym.pid")
kill -TERM "$pid"; rc=0; wait "$pid" || rc=$?
echo "$rc" > "$W/sym.rc"
test_expect_success 'SIGTERM stops the server with exit status 0 and no complaint' '
	test "$(cat "$W/sym.rc")" = 0 &&
	test "$(tail -n 1 "$W/sym.err")" = "stegc: preview: 2 errors; the pages show the last good version" &&
	! grep -Eq "Sanitizer|runtime error|leak" "$W/sym.err"
'
pid=$(cat "$W/dep.pid")
kill -INT "$pid"; rc=0; wait "$pid" || rc=$?
echo "$rc" > "$W/dep.rc"
test_expect_success 'SIGINT stops it too, after all the requests above' '
	test "$(cat "$W/dep.rc")" = 0 && test_cmp /dev/null "$W/dep.err"
'

test_done
