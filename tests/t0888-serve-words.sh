#!/bin/sh
# How steg serve's pages say counts and times: "1 enhet", "2 enheter";
# the registry's times (UTC) in the server's time zone (TZ) to the minute,
# with the zone; an unsigned version without a command-line option's
# name.  (A 500 page's lead: t0887.)
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"
. "$SRC/tests/serve-lib.sh"
serve_test_begin
make_bundles && make_certs && setup_imported &&
"$STEG" publish $V1 --all-units --as $PUB > /dev/null &&
"$STEG" activate $V1 --unit $U1 --as $CLIN1 > /dev/null ||
	{ echo "Bail out! setup failed"; exit 1; }
# Central European time by its POSIX rule, which needs no time zone files.
CET='CET-1CEST,M3.5.0,M10.5.0/3'
TZ=$CET
export TZ
start_serve
unset TZ

test_expect_success 'the versions page counts units in the singular and the plural' '
	get $PUB /versions && test "$(cat status)" = 200 &&
	grep -F "Publicerad till 2 enheter, aktiv vid 1 enhet" body &&
	grep -F "Publicerad till 0 enheter, aktiv vid 0 enheter" body
'

test_expect_success 'times are the server zone'"'"'s, to the minute, with the zone' '
	get $PUB /versions && test "$(cat status)" = 200 &&
	"$STEG" show $V1 --json > v1.json &&
	for k in imported_at approved_at; do
		utc=$(python3 -c "import json; print(json.load(open(\"v1.json\"))[\"$k\"])") &&
		local=$(TZ=$CET date -d "$utc" "+%Y-%m-%d %H:%M %Z") &&
		case $local in *" CET"|*" CEST") ;; *) echo "date gave $local"; false ;; esac &&
		grep -F "$local av" body || { echo "no \"$local av\" for $k $utc"; false; }
	done &&
	! grep -E "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z" body
'

test_expect_success 'an unsigned version is called so without naming an option' '
	get $PUB /versions && test "$(cat status)" = 200 &&
	grep -F "Osignerad (togs emot utan signatur)" body &&
	! grep -e "--allow-unsigned" body
'

stop_serve
test_done
