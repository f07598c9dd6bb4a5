#!/bin/sh
# t0880-serve-login: `steg serve` lets in exactly the registry's active
# users, by the HSA-id in their client certificate's serialNumber: no
# certificate, a certificate of another CA, an expired or not yet valid
# one, a revoked one (--crl), one without an HSA-id, and one of an unknown
# or a deactivated user are each answered 403 and written to the audit
# log as a refused "login"; /healthz needs no certificate; a clinician
# sees their unit's programs and not another unit's; every answer carries
# the security headers; SIGTERM stops the server cleanly.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"
. "$SRC/tests/serve-lib.sh"
command -v openssl > /dev/null 2>&1 || test_skip_all "openssl is not installed"
trap '[ -n "$SPID" ] && kill "$SPID" 2> /dev/null; rm -rf "$TRASH_ROOT"' EXIT
W=$TRASH_ROOT/w
SPID=
mkdir -p "$W" && cd "$W" || exit 1
export STEG_DB=$W/steg.db
make_bundles && make_certs && setup_imported &&
"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
"$STEG" activate $V1 --unit $U1 --as $CLIN1 > /dev/null ||
	{ echo "Bail out! setup failed"; exit 1; }

test_expect_success 'serve refuses to start without its certificates (exit 2)' '
	run out "$STEG" serve --port 0 --cert "$CERTS/server.pem" --key "$CERTS/server.key" &&
	test $rc = 2 &&
	grep -q "^steg: error: .serve. needs --cert and --key (the server.s) and --client-ca" out
'

test_expect_success 'serve refuses a client CA that is not PEM (exit 1)' '
	echo hello > notpem &&
	run out "$STEG" serve --port 0 --cert "$CERTS/server.pem" \
		--key "$CERTS/server.key" --client-ca notpem &&
	test $rc = 1 && grep -q "^steg: error: the client CA .notpem. is not in PEM form" out
'

start_serve

test_expect_success '/healthz needs no certificate' '
	get none /healthz && test "$(cat status)" = 200 && echo ok > expect &&
	test_cmp expect body
'

test_expect_success 'a clinician is sent to their unit and sees its programs' '
	get $CLIN1 / && test "$(cat status)" = 303 &&
	grep -qi "^location: /units/$U1" headers &&
	get $CLIN1 /units/$U1 && test "$(cat status)" = 200 &&
	grep -q "Vårdcentral Norr" body && grep -q "$PROG" body &&
	grep -q "Aktiv" body && grep -q "Cilla Behandlare" body
'

test_expect_success 'every answer carries the security headers' '
	get $CLIN1 /units/$U1 &&
	for h in "content-security-policy: default-src .self." \
		"strict-transport-security: max-age=" "x-frame-options: DENY" \
		"x-content-type-options: nosniff" "referrer-policy: same-origin"; do
		grep -qi "^$h" headers || { echo "missing: $h"; return 1; }
	done &&
	! grep -q "<script" body && ! grep -qi " style=" body
'

test_expect_success 'the unit listing as JSON says which version is active' '
	get $CLIN1 /api/v1/units/$U1/programs && test "$(cat status)" = 200 &&
	python3 -c "import json; d = json.load(open(\"body\")); p = d[\"programs\"][0]; print(p[\"id\"], p[\"active\"], d[\"name\"])" > got &&
	echo "$PROG 1.0.0 Vårdcentral Norr" > expect && test_cmp expect got
'

test_expect_success 'a clinician may not see another unit, and is told so in Swedish' '
	get $CLIN1 /units/$U2 && test "$(cat status)" = 403 &&
	grep -F "<strong>Skäl:</strong> Du arbetar vid en annan enhet och ser och ändrar bara din egen enhets program. Be någon vid den enheten, eller en administratör för hela regionen.</p>" body &&
	get $CLIN1 /api/v1/units/$U2/programs && test "$(cat status)" = 403 &&
	grep -qi "^content-type: application/problem+json" headers
'

test_expect_success 'the region-wide admin sees every unit' '
	get $ADMIN /api/v1/units && test "$(cat status)" = 200 &&
	python3 -c "import json; print(\" \".join(u[\"hsa_id\"] for u in json.load(open(\"body\"))))" > got &&
	echo "$U1 $U2" > expect && test_cmp expect got
'

# refused WHO ACTOR REASON-PATTERN OBJECT-PATTERN SWEDISH: 403, the page
# saying SWEDISH as the reason, and the audit log's last row is a refused
# login: by ACTOR (the HSA-id of a certificate that verified, else
# nobody), of the certificate's HSA-id or subject, its detail in English
# matching REASON-PATTERN.
refused() {
	n=$(sqlite3 "$STEG_DB" "SELECT count(*) FROM audit") &&
	get "$1" /units/$U1 && test "$(cat status)" = 403 &&
	grep -F "<p class=\"detail\"><strong>Skäl:</strong> $5</p>" body &&
	! grep -q "$3" body &&
	test "$(sqlite3 "$STEG_DB" "SELECT count(*) FROM audit")" = $((n + 1)) &&
	last_row > got && printf "%s\tlogin\trefused\n" "$2" > expect &&
	cut -f1,2,4 got > got.x && test_cmp expect got.x &&
	cut -f3 got | grep -q "^$4\$" &&
	"$STEG" audit --json | python3 -c "import json,sys; print(json.load(sys.stdin)[-1][\"detail\"])" > detail &&
	grep -q "$3" detail && grep -q "from 127.0.0.1" detail
}

test_expect_success 'no certificate: refused and audited' '
	refused none "" "no client certificate was sent" "" \
		"Webbläsaren skickade inget certifikat. Sätt i ditt SITHS-kort, eller välj ditt certifikat när webbläsaren frågar, och ladda om sidan."
'

test_expect_success 'a certificate of an unknown user: refused and audited' '
	refused $NOBODY $NOBODY "is not a user of this registry" $NOBODY \
		"$NOBODY är inte användare i registret. Be en administratör lägga till dig." &&
	grep -q "certificate sha256 [0-9a-f]\{64\}" detail
'

test_expect_success 'a deactivated user: refused and audited' '
	refused $GONE $GONE "user .$GONE. is deactivated" $GONE \
		"Användaren $GONE är avaktiverad. Be en administratör om hjälp om du ska arbeta här igen."
'

test_expect_success 'a certificate of another CA: refused and audited' '
	sh "$SRC/scripts/demo-certs.sh" "$W/other" "$CLIN1=Cilla Behandlare" > /dev/null &&
	refused "$W/other/$CLIN1" "" "not issued by the staff CA" "serialNumber=$CLIN1,CN=Cilla Behandlare,O=Region Exempel (demo),C=SE" \
		"Certifikatet är inte utfärdat av den utfärdare som registret godtar för personalens inloggning. Välj ditt SITHS-certifikat, eller be förvaltningen om hjälp."
'

test_expect_success 'an expired certificate: refused and audited' '
	odd_cert expired $CLIN1 20200101000000Z 20200201000000Z &&
	refused "$CERTS/expired" "" "has expired" "serialNumber=$CLIN1,CN=expired" \
		"Certifikatet har gått ut. Skaffa ett nytt kort eller certifikat hos den som utfärdar dem i regionen."
'

test_expect_success 'a certificate not yet valid: refused and audited' '
	odd_cert future $CLIN1 20400101000000Z 20410101000000Z &&
	refused "$CERTS/future" "" "is not valid yet" "serialNumber=$CLIN1,CN=future" \
		"Certifikatet gäller inte än. Försök igen när det börjar gälla, eller be förvaltningen om hjälp."
'

test_expect_success 'a certificate whose serialNumber is no HSA-id: refused and audited' '
	odd_cert nohsa 12345 20200101000000Z 20400101000000Z &&
	refused "$CERTS/nohsa" "" "serialNumber is not an HSA-id" "serialNumber=12345,CN=nohsa" \
		"Certifikatet bär inget HSA-id (eller fler än ett). Välj ditt SITHS-certifikat för inloggning."
'

test_expect_success 'the access log has one line per request, with the HSA-id' '
	grep -q "^time=[0-9T:Z-]* hsa=$CLIN1 method=GET path=/units/$U1 status=200 bytes=[0-9]* ms=[0-9.]*$" "$W/serve.err" &&
	grep -q "^time=.* hsa=- method=GET path=/healthz status=200 " "$W/serve.err"
'

stop_serve
test_expect_success 'SIGTERM stops the server with exit 0' '
	test "$SERVE_RC" = 0
'

sh "$SRC/scripts/demo-certs.sh" --revoke "$CERTS" $CLIN2 > /dev/null
start_serve --crl "$CERTS/crl.pem"
test_expect_success 'with --crl, a revoked certificate is refused and audited' '
	refused $CLIN2 "" "is revoked" "serialNumber=$CLIN2,CN=Clas Behandlare,O=Region Exempel (demo),C=SE" \
		"Certifikatet är spärrat. Be den som utfärdar kort i regionen om ett nytt." &&
	get $CLIN1 /units/$U1 && test "$(cat status)" = 200
'
stop_serve

test_expect_success 'the audit log still checks after the refusals' '
	"$STEG" audit --check > /dev/null
'

test_done
