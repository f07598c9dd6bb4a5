#!/bin/sh
# steg serve when a sync of the registry's log fails (tests/tools/failsync.c,
# preloaded: one EIO from fdatasync of the -wal file).  The change whose
# sync failed is answered 500, never 200.  The kernel reports a failed
# write-back once: a later sync succeeds although the pages it could not
# write are gone from the log on disk, and a power cut would then lose the
# later change with them.  So after one failed sync the server takes no
# more changes (500, saying why and what to do) until it is restarted,
# while pages that only read still work; a restarted server takes changes
# again.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"
. "$SRC/tests/serve-lib.sh"
serve_test_begin
${CC:-cc} -shared -fPIC -Wall -Wextra -Werror -o "$W/failsync.so" \
	"$SRC/tests/tools/failsync.c" -ldl 2> cc.err ||
	{ echo "Bail out! failsync.so does not build: $(cat cc.err)"; exit 1; }
U3=SE2321000016-U003
make_bundles && make_certs && setup_imported &&
"$STEG" unit add $U3 --name "Vårdcentral 3" --as $ADMIN > /dev/null &&
"$STEG" publish $V1 --all-units --as $PUB > /dev/null ||
	{ echo "Bail out! setup failed"; exit 1; }
FLAG=$W/fail-next-sync

# post WHO PATH JSON: an API change as a browser's same-origin request
post() {
	get "$1" /api/v1/me && tok=$(python3 -c 'import json; print(json.load(open("body"))["csrf_token"])') &&
	get "$1" "$2" -X POST -H "Origin: https://127.0.0.1:$PORT" -H "Sec-Fetch-Site: same-origin" \
		-H "X-CSRF-Token: $tok" -H "Content-Type: application/json" --data "$3"
}

# act activations|deactivations UNIT: V1 there, by the region-wide admin
act() {
	post $ADMIN /api/v1/units/$2/$1 "{\"program\": \"${V1%@*}\", \"version\": \"${V1#*@}\"}"
}

# shows WHAT FILE: fails, showing FILE, unless it holds WHAT
shows() {
	grep "$1" "$2" > /dev/null || { cat "$2"; false; }
}

# status_is CODE: fails, showing the answer, unless it was CODE
status_is() {
	test "$(cat status)" = "$1" || { echo "status $(cat status), not $1:"; cat body; false; }
}

# The sanitizer build's runtime must come first among the libraries; the
# preloaded one does not need it.
FAILSYNC_FLAG=$FLAG
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export FAILSYNC_FLAG ASAN_OPTIONS
serve_failing() {
	LD_PRELOAD=$W/failsync.so
	export LD_PRELOAD
	start_serve
	unset LD_PRELOAD
}
serve_failing

# A new log's first sync is SQLite's own, inside COMMIT (its header).
test_expect_success 'a change whose sync inside COMMIT fails is answered 500, not 200' '
	: > "$FLAG" &&
	act activations $U1 &&
	status_is 500 &&
	shows "disk I/O error" body &&
	test ! -e "$FLAG"
'

test_expect_success 'after it, no change is taken (500, what to do), though the next sync would succeed' '
	act activations $U2 &&
	status_is 500 &&
	shows "restart steg serve" body &&
	post $ADMIN /api/v1/units "{\"hsa_id\": \"SE2321000016-U009\", \"name\": \"Nya enheten\"}" &&
	status_is 500 &&
	"$STEG" unit list > units && ! grep SE2321000016-U009 units &&
	"$STEG" list --unit $U2 > programs && ! grep "active" programs
'

test_expect_success 'the HTML form gets the same 500, and its page does not say nothing changed' '
	get $ADMIN /api/v1/me && tok=$(python3 -c "import json; print(json.load(open(\"body\"))[\"csrf_token\"])") &&
	get $ADMIN /actions/activate -X POST -H "Sec-Fetch-Site: same-origin" \
		-H "Origin: https://127.0.0.1:$PORT" \
		--data "_csrf=$tok&program=${V1%@*}%40${V1#*@}&unit=$U2" &&
	status_is 500 &&
	shows "restart steg serve" body &&
	shows "Något gick fel i servern; skälet står nedan." body &&
	! grep "Inget ändrades" body
'

test_expect_success 'pages that only read still work' '
	get $CLIN1 /api/v1/units/$U1/programs && status_is 200 &&
	get $ADMIN /api/v1/units && status_is 200
'

stop_serve
serve_failing

# The log is new again after a restart (the server's last connection
# folded it into the file); the first commit syncs its header inside
# COMMIT, then the server's own group sync (fdatasync) makes it durable
# before the answer; the next commit appends to the same log, and its
# only sync is the group sync.
test_expect_success 'a change whose group sync fails is answered 500, not 200' '
	act activations $U3 && status_is 200 &&
	: > "$FLAG" &&
	act deactivations $U3 &&
	status_is 500 &&
	shows "could not be synced to disk" body &&
	test ! -e "$FLAG"
'

test_expect_success 'after it too, no change is taken until a restart' '
	act activations $U2 &&
	status_is 500 &&
	shows "restart steg serve" body &&
	shows "restart steg serve" "$W/serve.err"
'

stop_serve
start_serve

test_expect_success 'a restarted server takes changes again' '
	post $ADMIN /api/v1/units "{\"hsa_id\": \"SE2321000016-U009\", \"name\": \"Nya enheten\"}" &&
	status_is 200 &&
	"$STEG" unit list > units && grep SE2321000016-U009 units
'

stop_serve
test_done
