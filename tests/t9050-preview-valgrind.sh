#!/bin/sh
# t9050-preview-valgrind: `stegc preview` under valgrind's memcheck: the
# start page, a page with an exercise, a rating form submitted, a diary
# entry saved, the evaluation endpoint (good and bad input), a hostile
# path, then SIGTERM — with no error and no definite leak (the renderer
# and the server free everything).
. "$(dirname "$0")/lib.sh"
command -v valgrind > /dev/null 2>&1 ||
	test_skip_all "valgrind is not installed (make deps installs it)"
W=$TRASH_ROOT/w
mkdir -p "$W"
PID=
trap '[ -n "$PID" ] && kill "$PID" 2> /dev/null; rm -rf "$TRASH_ROOT"' EXIT

mkfifo "$W/fifo"
valgrind -q --trace-children=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite "$STEGC" preview --port 0 "$EX/depression" \
	> "$W/fifo" 2> "$W/err" &
PID=$!
exec 3< "$W/fifo"
IFS= read -r line <&3 || line=
U=$(echo "$line" | grep -o 'http://127\.0\.0\.1:[0-9]*/$')
[ -n "$U" ] || { echo "Bail out! the preview did not start: $(cat "$W/err")"; exit 1; }

get() {
	curl -s --path-as-is -o /dev/null -w '%{http_code}\n' "$@"
}
{
	get "$U"
	get "${U}m/aktivering-1/2"
	get "${U}forms/phq9" --data "q1=3&q2=3&q3=2&q4=2&q5=2&q6=2&q8=1"
	get "${U}ex/aktivitetsdagbok" --data "datum=2026-12-01&aktivitet=Promenad&hum_fore=3&hum_efter=6"
	get "${U}api/eval" -H "Content-Type: application/json" --data '{"form": "phq9", "answers": {"q9": 1}}'
	get "${U}api/eval" --data "_exercise=tankedagbok&kansla=5"
	get "${U}api/eval" -H "Content-Type: application/json" --data '{bad'
	get "${U}media/%2e%2e/program.yaml"
	get "${U}media/valkommen.png"
} > "$W/codes"
kill -TERM "$PID"
rc=0; wait "$PID" || rc=$?
PID=
echo "$rc" > "$W/rc"

test_expect_success 'every request was answered as it should be' '
	printf "%s\n" 200 200 200 200 200 200 400 404 200 > want &&
	test_cmp want "$W/codes"
'

test_expect_success 'valgrind found no error and no definite leak, and the stop was clean' '
	test "$(cat "$W/rc")" = 0 && test_cmp /dev/null "$W/err"
'

test_done
