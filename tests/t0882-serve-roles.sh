#!/bin/sh
# t0882-serve-roles: on the web each role may do exactly what the command
# line lets it, and every refusal is in the audit log.  Every action is
# asked of every kind of user (clinician of the unit and of another unit,
# a unit's admin, the publisher, the region-wide admin, a deactivated
# user) on two copies of one registry, through `steg --as` and through
# the JSON API (tests/tools/serve_agree.py): the outcomes and the audit
# rows agree, refusals included.  Then, against the server: a state
# change from another site, or without the session's token, is refused
# (403) whatever the user may do, changes nothing and is audited as that
# action refused; the HTML forms take the token from the page.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"
. "$SRC/tests/serve-lib.sh"
serve_test_begin
make_bundles && make_certs && setup_imported &&
"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
"$STEG" publish $V1 --unit $U2 --as $PUB > /dev/null &&
cp steg.db cli.db && cp steg.db web.db ||
	{ echo "Bail out! setup failed"; exit 1; }

# Every actor tries each action; the order is the same on both copies.
V2=se.test.bas@1.1.0
OTHER_KEY=$(sed -n '1s/.* //p' "$BUNDLES/other.pub")
cases=$(python3 - "$CLIN1" "$CLIN2" "$UADM1" "$PUB" "$ADMIN" "$GONE" "$U1" "$U2" "$V1" "$V2" \
	SE2321000024-0002 "$BUNDLES/other.pub" "$OTHER_KEY" <<'PY'
import json, sys
clin1, clin2, uadm1, pub, admin, gone, u1, u2, v1, v2, partner, pubfile, keyid = sys.argv[1:]
people = [clin2, clin1, uadm1, pub, admin]
out = []
for who in people:
    out.append([who, "approve", v2, None])
for who in people:
    out.append([who, "publish", v2, u1])
for who in people:
    out.append([who, "activate", v2, u1])
    out.append([who, "deactivate", v2, u1])
for who in people:
    out.append([who, "activate", v1, u2])
for who in people:
    out.append([who, "unpublish", v2, u1])
for who in people:
    out.append([who, "user-add", "SE2321000016-C06%d" % people.index(who),
                ["Ny Användare", "clinician", u1]])
for who in people:
    out.append([who, "user-deactivate", "SE2321000016-C060", None])
for who in people:
    out.append([who, "retire", v2, None])
for who in people:
    out.append([who, "user-role", clin1, ["publisher", None]])
    out.append([who, "user-role", clin1, ["clinician", None]])
for who in people:
    out.append([who, "user-role", clin2, ["admin", u1]])
for who in people:
    out.append([who, "user-role", clin2, ["clinician", u2]])
for who in people:
    out.append([who, "user-role", uadm1, ["admin", None]])
for who in people:
    out.append([who, "user-role", gone, ["admin", None]])
for who in people:
    out.append([who, "unit-add", "SE2321000016-U07%d" % people.index(who), "Ny enhet"])
for who in people:
    out.append([who, "trust-add", partner, [pubfile, "Avtal"]])
for who in people:
    out.append([who, "trust-remove", partner, keyid])
print(json.dumps(out))
PY
)
python3 "$SRC/tests/tools/serve_agree.py" "$STEG" "$W/cli.db" "$W/web.db" "$CERTS" \
	"$cases" > "$W/agree.tap" 2>&1

test_expect_success 'every action by every kind of user: the command line and the web agree, refusals and audit rows included' '
	grep -q "^1\.\.[1-9]" "$W/agree.tap" || { cat "$W/agree.tap"; return 1; }
	if grep -q "^not ok" "$W/agree.tap"; then
		grep -v "^ok" "$W/agree.tap"; return 1
	fi
	test "$(grep -c "^ok" "$W/agree.tap")" -gt 80
'

# ---- the same-origin rule and the token, against a running server ----------
export STEG_DB=$W/web.db
start_serve

token() {
	get "$1" /api/v1/me && python3 -c 'import json; print(json.load(open("body"))["csrf_token"])'
}

# post WHO PATH BODY [curl options]: JSON POST as WHO.
post() {
	who=$1 path=$2 data=$3
	shift 3
	get "$who" "$path" -X POST -H "Content-Type: application/json" --data "$data" "$@"
}

rows() { sqlite3 "$STEG_DB" "SELECT count(*) FROM audit"; }

# The last audit row's detail; the text of ./body without its tags.
last_detail() { sqlite3 "$STEG_DB" "SELECT detail FROM audit ORDER BY seq DESC LIMIT 1"; }
page_text() {
	python3 -c 'import html, re; t = re.sub(r"<[^>]*>", " ", open("body", encoding="utf-8").read()); print(html.unescape(re.sub(r"\s+", " ", t)))'
}
# The page tells nobody to type a command (steg ..., stegc ..., --option).
no_command() {
	page_text > text &&
	if grep -E "(^|[^a-z])stegc? [a-z]|--[a-z]" text; then return 1; fi
}

# refused_csrf WHAT [TYPE]: 403 (TYPE, default problem+json), the
# registry unchanged but for one new audit row: the action, refused, with
# the reason WHAT.
refused_csrf() {
	test "$(cat status)" = 403 || { echo "status $(cat status): $(cat body)"; return 1; }
	grep -qi "^content-type: ${2:-application/problem+json}" headers || { cat headers; return 1; }
	grep -q "$1" body || { cat body; return 1; }
	sqlite3 "$STEG_DB" "SELECT actor, action, object, outcome FROM audit ORDER BY seq DESC LIMIT 1" > got
	echo "$CLIN1|activate|$V1|refused" > expect && test_cmp expect got &&
	sqlite3 "$STEG_DB" "SELECT count(*) FROM activations WHERE active = 1 AND unit = '$U1'" > got &&
	echo 0 > expect && test_cmp expect got
}

ACT="{\"program\": \"$PROG\", \"version\": \"1.0.0\"}"

test_expect_success 'a POST from another site is refused and audited, even with the token' '
	tok=$(token $CLIN1) &&
	post $CLIN1 /api/v1/units/$U1/activations "$ACT" -H "X-CSRF-Token: $tok" \
		-H "Origin: https://evil.example" -H "Sec-Fetch-Site: cross-site" &&
	refused_csrf "another site (Sec-Fetch-Site: cross-site)"
'

test_expect_success 'a POST whose Origin is another server is refused and audited' '
	tok=$(token $CLIN1) &&
	post $CLIN1 /api/v1/units/$U1/activations "$ACT" -H "X-CSRF-Token: $tok" \
		-H "Origin: https://evil.example" &&
	refused_csrf "another site (Origin: https://evil.example)"
'

test_expect_success 'a POST without the token is refused and audited' '
	post $CLIN1 /api/v1/units/$U1/activations "$ACT" &&
	refused_csrf "does not carry this session.s token"
'

test_expect_success 'a POST with another user'"'"'s token is refused and audited' '
	tok=$(token $CLIN2) &&
	post $CLIN1 /api/v1/units/$U1/activations "$ACT" -H "X-CSRF-Token: $tok" &&
	refused_csrf "does not carry this session.s token"
'

test_expect_success 'a cross-site HTML form POST is refused and audited: the page in Swedish, the row in English' '
	get $CLIN1 /actions/activate -X POST -H "Sec-Fetch-Site: cross-site" \
		--data "program=$PROG%401.0.0&unit=$U1" &&
	refused_csrf "<p class=\"detail\"><strong>Skäl:</strong> Begäran kom från en annan webbplats, och en sådan får inte ändra något. Gör ändringen från registrets egna sidor.</p>" text/html &&
	echo "a request from another site (Sec-Fetch-Site: cross-site) may not change anything" > expect &&
	last_detail > got && test_cmp expect got && no_command
'

test_expect_success 'the confirmation page says what changes and its form carries the token' '
	get $CLIN1 "/confirm/activate?program=$PROG%401.0.0&unit=$U1" &&
	test "$(cat status)" = 200 &&
	grep -q "Vårdcentral Norr börjar erbjuda ”Basprogram” version 1.0.0." body &&
	tok=$(token $CLIN1) &&
	get $CLIN1 "/confirm/activate?program=$PROG%401.0.0&unit=$U1" &&
	grep -q "name=\"_csrf\" value=\"$tok\"" body &&
	grep -q "<form method=\"post\" action=\"/actions/activate\">" body
'

test_expect_success 'the form, posted with its token, activates and says so' '
	tok=$(token $CLIN1) &&
	get $CLIN1 /actions/activate -X POST -H "Sec-Fetch-Site: same-origin" \
		-H "Origin: https://127.0.0.1:$PORT" \
		--data "_csrf=$tok&program=$PROG%401.0.0&unit=$U1" &&
	test "$(cat status)" = 200 &&
	grep -q "Vårdcentral Norr erbjuder nu ”Basprogram” version 1.0.0." body &&
	sqlite3 "$STEG_DB" "SELECT actor, action, object, unit, outcome FROM audit ORDER BY seq DESC LIMIT 1" > got &&
	echo "$CLIN1|activate|$V1|$U1|ok" > expect && test_cmp expect got
'

test_expect_success 'a clinician of another unit is refused on the web as on the command line' '
	tok=$(token $CLIN2) &&
	post $CLIN2 /api/v1/units/$U1/deactivations "$ACT" -H "X-CSRF-Token: $tok" &&
	test "$(cat status)" = 403 &&
	grep -q "works at unit .$U2., not at .$U1." body &&
	sqlite3 "$STEG_DB" "SELECT actor, action, unit, outcome FROM audit ORDER BY seq DESC LIMIT 1" > got &&
	echo "$CLIN2|deactivate|$U1|refused" > expect && test_cmp expect got
'

test_expect_success 'a clinician sees a version published to their unit in the patient'"'"'s view' '
	get $CLIN1 /view/$V1/ && test "$(cat status)" = 200 &&
	grep -q "Förhandsvisning av $V1" body && grep -q "href=\"/view/$V1/forms/" body
'

test_expect_success 'and not one that is not published there, told so in Swedish' '
	get $CLIN1 /view/se.test.bas@1.1.0/ && test "$(cat status)" = 403 &&
	grep -F "<strong>Skäl:</strong> Versionen är inte publicerad till din enhet. Be en utgivare publicera den dit om enheten ska erbjuda den.</p>" body
'

test_expect_success 'the admins'"'"' pages refuse others in Swedish' '
	get $PUB /users && test "$(cat status)" = 403 &&
	grep -F "<strong>Skäl:</strong> Användarna sköts av administratörer.</p>" body &&
	get $CLIN1 /audit && test "$(cat status)" = 403 &&
	grep -F "<strong>Skäl:</strong> Granskningsloggen är till för administratörer.</p>" body &&
	get $UADM1 "/audit?unit=$U2" && test "$(cat status)" = 403 &&
	grep -F "<strong>Skäl:</strong> Du administrerar en annan enhet och ser bara din egen enhets rader i granskningsloggen.</p>" body &&
	get $ADMIN /units/SE2321000016-U404 && test "$(cat status)" = 404 &&
	grep -F "<strong>Skäl:</strong> Det finns ingen sådan vårdenhet i registret. Välj en vårdenhet i listan på startsidan.</p>" body
'

test_expect_success 'the difference between two versions: publishers and admins, a unit'"'"'s admin too; not clinicians' '
	for who in $PUB $ADMIN $UADM1; do
		get $who "/versions/diff?program=$PROG&from=1.0.0&to=1.1.0" &&
		test "$(cat status)" = 200 &&
		grep -F "Inga ändringar från version 1.0.0 till 1.1.0." body || return 1
	done
	for who in $CLIN1 $CLIN2; do
		get $who "/versions/diff?program=$PROG&from=1.0.0&to=1.1.0" &&
		test "$(cat status)" = 403 &&
		grep -F "Versionerna är till för utgivare och administratörer." body &&
		get $who "/api/v1/programs/$PROG/diff?from=1.0.0&to=1.1.0" &&
		test "$(cat status)" = 403 || return 1
	done
'

# ---- refusals: in Swedish for people, stable types for programs -----------
ORIGIN="https://127.0.0.1:$PORT"
test_expect_success 'a refused action'"'"'s page says in Swedish what happened and why; the audit row keeps the English' '
	tok=$(token $CLIN2) &&
	get $CLIN2 /actions/deactivate -X POST -H "Origin: https://127.0.0.1:$PORT" \
		--data-urlencode "_csrf=$tok" --data-urlencode "program=$V1" \
		--data-urlencode "unit=$U1" &&
	test "$(cat status)" = 403 &&
	grep -qi "^content-type: text/html" headers &&
	grep -F "<h1>Nekades</h1><p class=\"lead\">Du får inte göra det här med din roll och enhet, eller så kom begäran inte från registrets egen sida. Inget ändrades; försöket står i granskningsloggen." body &&
	grep -F "<p class=\"detail\"><strong>Skäl:</strong> Du ($CLIN2) arbetar vid enheten $U2, inte vid $U1, och gör det här bara vid din egen enhet. Be någon vid $U1 eller en administratör för hela regionen.</p>" body &&
	echo "user '"'"'$CLIN2'"'"' works at unit '"'"'$U2'"'"', not at '"'"'$U1'"'"'" > expect &&
	last_detail > got && test_cmp expect got && no_command
'

# A version approved but published nowhere: 1.2.0.
V3=$PROG@1.2.0
rm -rf "$W/src3" && cp -R "$SRC/tests/golden/base" "$W/src3" &&
sed 's/^version: 1.0.0$/version: 1.2.0/' "$SRC/tests/golden/base/program.yaml" > "$W/src3/program.yaml" &&
"$STEGC" build -q "$W/src3" -o "$W/v3.steg" &&
"$STEG" import "$W/v3.steg" --allow-unsigned --as $PUB > /dev/null &&
"$STEG" approve $V3 --as $PUB > /dev/null ||
	{ echo "Bail out! cannot import and approve $V3"; exit 1; }

test_expect_success 'a clinician activating a version not published to their unit: the page says in Swedish whom to ask and links back to the unit, the row is the command line'"'"'s' '
	tok=$(token $CLIN1) &&
	get $CLIN1 /actions/activate -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "program=$V3" \
		--data-urlencode "unit=$U1" &&
	test "$(cat status)" = 409 &&
	grep -F "<p class=\"detail\"><strong>Skäl:</strong> $V3 är inte publicerad till $U1. Be en utgivare publicera den till enheten; sedan kan den aktiveras där.</p><p><a href=\"/units/$U1\">Tillbaka</a></p>" body &&
	echo "$V3 is not published to '"'"'$U1'"'"'; a publisher publishes it there first with '"'"'steg publish'"'"'" > expect &&
	last_detail > got && test_cmp expect got && no_command &&
	{ rc=0; "$STEG" activate $V3 --unit $U1 --as $CLIN1 2> err || rc=$?; } &&
	test $rc = 1 &&
	echo "steg: error: $(cat expect)" > want && test_cmp want err &&
	last_detail > got && test_cmp expect got
'

test_expect_success 'the API says the same refusal in Swedish (detail), as a code (reason) and in English (detail_en)' '
	tok=$(token $CLIN1) &&
	post $CLIN1 /api/v1/units/$U1/activations "{\"program\": \"$PROG\", \"version\": \"1.2.0\"}" -H "X-CSRF-Token: $tok" &&
	test "$(cat status)" = 409 &&
	python3 - "$V3" "$U1" <<-\PY
	import json, sys
	v, u = sys.argv[1:]
	p = json.load(open("body", encoding="utf-8"))
	assert p["reason"] == "not-published", p
	assert p["detail"] == "%s är inte publicerad till %s. Be en utgivare publicera den till enheten; sedan kan den aktiveras där." % (v, u), p
	assert p["detail_en"] == "%s is not published to \x27%s\x27; a publisher publishes it there first with \x27steg publish\x27" % (v, u), p
	PY
'

test_expect_success 'a clinician refused by role (rt_authorize): the page names their role and the one it takes, in Swedish' '
	tok=$(token $CLIN1) &&
	get $CLIN1 /actions/approve -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "program=$V3" &&
	test "$(cat status)" = 403 &&
	grep -F "<p class=\"detail\"><strong>Skäl:</strong> Du ($CLIN1) är behandlare, och det här kräver rollen utgivare. Be en administratör om hjälp om du behöver göra det.</p>" body &&
	echo "user '"'"'$CLIN1'"'"' is a clinician; this takes a publisher" > expect &&
	last_detail > got && test_cmp expect got && no_command
'

test_expect_success 'a publisher withdrawing a version a unit runs: told in Swedish what the unit does first' '
	"$STEG" publish $V3 --unit $U1 --as $PUB > /dev/null &&
	"$STEG" activate $V3 --unit $U1 --as $CLIN1 > /dev/null &&
	tok=$(token $PUB) &&
	get $PUB /actions/unpublish -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "program=$V3" \
		--data-urlencode "unit=$U1" &&
	test "$(cat status)" = 409 &&
	grep -F "<p class=\"detail\"><strong>Skäl:</strong> $V3 är aktiv vid $U1. Enheten avaktiverar den först (Avaktivera på enhetens sida); dra sedan tillbaka den.</p><p><a href=\"/versions\">Tillbaka</a></p>" body &&
	echo "$V3 is active at '"'"'$U1'"'"'; the unit deactivates it first with '"'"'steg deactivate $V3 --unit $U1'"'"'" > expect &&
	last_detail > got && test_cmp expect got && no_command
'

test_expect_success 'the last region-wide admin cannot be deactivated: the page says what to do first' '
	tok=$(token $ADMIN) &&
	get $ADMIN /actions/user-deactivate -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "hsa_id=$ADMIN" &&
	test "$(cat status)" = 409 &&
	grep -F "<p class=\"detail\"><strong>Skäl:</strong> $ADMIN är den sista aktiva administratören för hela regionen. Lägg först till en till på sidan Användare.</p><p><a href=\"/users\">Tillbaka</a></p>" body &&
	echo "'"'"'$ADMIN'"'"' is the last active region-wide admin; add another admin first" > expect &&
	last_detail > got && test_cmp expect got && no_command
'

test_expect_success 'the API'"'"'s problems carry a stable type by kind: forbidden, not-found, conflict, bad-request' '
	ctok=$(token $CLIN2) && ptok=$(token $PUB) && atok=$(token $ADMIN) &&
	post $CLIN2 /api/v1/units/$U1/deactivations "$ACT" -H "X-CSRF-Token: $ctok" &&
	test "$(cat status)" = 403 && grep -F "\"type\": \"urn:steg:problem:forbidden\"" body &&
	post $PUB /api/v1/programs/$PROG/versions/9.9.9/approval "" -H "X-CSRF-Token: $ptok" &&
	test "$(cat status)" = 404 && grep -F "\"type\": \"urn:steg:problem:not-found\"" body &&
	post $ADMIN /api/v1/units/$U2/activations "{\"program\": \"$PROG\", \"version\": \"1.1.0\"}" -H "X-CSRF-Token: $atok" &&
	test "$(cat status)" = 409 && grep -F "\"type\": \"urn:steg:problem:conflict\"" body &&
	post $ADMIN /api/v1/units/$U2/activations "{" -H "X-CSRF-Token: $atok" &&
	test "$(cat status)" = 400 && grep -F "\"type\": \"urn:steg:problem:bad-request\"" body
'

# ---- the admins' pages: units, trusted keys --------------------------------
last_audit() {
	sqlite3 "$STEG_DB" "SELECT actor, action, object, outcome FROM audit ORDER BY seq DESC LIMIT 1"
}

test_expect_success 'a region-wide admin adds a unit through its confirmation page; the row and audit row as steg unit add writes them' '
	get $ADMIN / && grep -F "<form method=\"get\" action=\"/confirm/unit-add\">" body &&
	get $ADMIN "/confirm/unit-add?hsa_id=SE2321000016-U099&name=V%C3%A5rdcentral+V%C3%A4st" &&
	test "$(cat status)" = 200 &&
	grep -F "Vårdenheten Vårdcentral Väst (SE2321000016-U099) läggs till i regionen" body &&
	tok=$(token $ADMIN) &&
	get $ADMIN /actions/unit-add -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "hsa_id=SE2321000016-U099" \
		--data-urlencode "name=Vårdcentral Väst" &&
	test "$(cat status)" = 200 &&
	grep -F "Vårdenheten Vårdcentral Väst (SE2321000016-U099) är tillagd." body &&
	echo "$ADMIN|unit add|SE2321000016-U099|ok" > expect && last_audit > got && test_cmp expect got &&
	"$STEG" unit list | grep -F "SE2321000016-U099" | grep -F "Vårdcentral Väst"
'

test_expect_success 'a unit'"'"'s admin has no unit form, and is refused adding one as on the command line' '
	get $UADM1 /api/v1/units && test "$(cat status)" = 200 &&
	tok=$(token $UADM1) &&
	get $UADM1 /actions/unit-add -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "hsa_id=SE2321000016-U098" \
		--data-urlencode "name=Nej" &&
	test "$(cat status)" = 403 &&
	echo "$UADM1|unit add|SE2321000016-U098|refused" > expect && last_audit > got && test_cmp expect got
'

test_expect_success 'an admin changes a role through the users page and its confirmation, as steg user role does' '
	get $ADMIN /users && grep -F "<form method=\"get\" action=\"/confirm/user-role\">" body &&
	get $ADMIN "/confirm/user-role?hsa_id=$CLIN1&role=publisher&unit=" &&
	test "$(cat status)" = 200 &&
	grep -F "Cilla Behandlare ($CLIN1) blir utgivare vid Vårdcentral Norr. Nu är hen behandlare vid Vårdcentral Norr." body &&
	tok=$(token $ADMIN) &&
	get $ADMIN /actions/user-role -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "hsa_id=$CLIN1" \
		--data-urlencode "role=publisher" --data-urlencode "unit=" &&
	test "$(cat status)" = 200 &&
	grep -F "Cilla Behandlare ($CLIN1) är nu utgivare vid Vårdcentral Norr." body &&
	echo "$ADMIN|user role|$CLIN1|ok" > expect && last_audit > got && test_cmp expect got &&
	"$STEG" user list --json | python3 -c "import json,sys; u=[x for x in json.load(sys.stdin) if x[\"hsa_id\"] == \"$CLIN1\"][0]; sys.exit(0 if u[\"role\"] == \"publisher\" else 1)" &&
	"$STEG" user role $CLIN1 --role clinician --as $ADMIN > out &&
	echo "user '"'"'$CLIN1'"'"' is now clinician at '"'"'$U1'"'"' (was publisher at '"'"'$U1'"'"')" > want && test_cmp want out &&
	"$STEG" audit --check
'

test_expect_success 'a unit'"'"'s admin may not make one of their clinicians region-wide, on the page as on the command line' '
	tok=$(token $UADM1) &&
	get $UADM1 /actions/user-role -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "hsa_id=$CLIN1" \
		--data-urlencode "role=admin" --data-urlencode "unit=$REGION" &&
	test "$(cat status)" = 403 &&
	grep -F "<strong>Skäl:</strong> Du ($UADM1) arbetar vid enheten $U1, inte vid $REGION," body &&
	echo "$UADM1|user role|$CLIN1|refused" > expect && last_audit > got && test_cmp expect got &&
	echo "user '"'"'$UADM1'"'"' works at unit '"'"'$U1'"'"', not at '"'"'$REGION'"'"'" > expect &&
	last_detail > got && test_cmp expect got
'

test_expect_success 'a region-wide admin uploads a .pub, confirms, and the key is trusted as by steg trust add' '
	tok=$(token $ADMIN) &&
	get $ADMIN /trust && test "$(cat status)" = 200 &&
	grep -F "<form method=\"post\" action=\"/confirm/trust-add\" enctype=\"multipart/form-data\">" body &&
	get $ADMIN /confirm/trust-add -X POST -H "Origin: $ORIGIN" -F "_csrf=$tok" \
		-F "region=SE2321000024-0002" -F "comment=Avtal med Region B" \
		-F "key=@$BUNDLES/other.pub" &&
	test "$(cat status)" = 200 &&
	grep -F "Nyckel $OTHER_KEY blir betrodd för SE2321000024-0002" body &&
	pk=$(sed -n 2p "$BUNDLES/other.pub") &&
	grep -F "<input type=\"hidden\" name=\"public_key\" value=\"$pk\">" body &&
	test "$(sqlite3 "$STEG_DB" "SELECT count(*) FROM trusted_keys WHERE keyid = '"'"'$OTHER_KEY'"'"' AND removed_at IS NULL")" = 0 &&
	get $ADMIN /actions/trust-add -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "region=SE2321000024-0002" \
		--data-urlencode "public_key=$pk" --data-urlencode "comment=Avtal med Region B" &&
	test "$(cat status)" = 200 &&
	grep -F "Nyckel $OTHER_KEY är betrodd för SE2321000024-0002." body &&
	echo "$ADMIN|trust add|$OTHER_KEY|ok" > expect && last_audit > got && test_cmp expect got &&
	"$STEG" trust list | grep -F "$OTHER_KEY" | grep -F "(Avtal med Region B)"
'

test_expect_success 'the trusted keys page lists it with a removal link; removing it is steg trust remove' '
	get $ADMIN /trust &&
	grep -F "href=\"/confirm/trust-remove?region=SE2321000024-0002&amp;key_id=$OTHER_KEY\"" body &&
	get $ADMIN "/confirm/trust-remove?region=SE2321000024-0002&key_id=$OTHER_KEY" &&
	grep -F "Nyckel $OTHER_KEY för SE2321000024-0002 är inte längre betrodd: nya importer" body &&
	tok=$(token $ADMIN) &&
	get $ADMIN /actions/trust-remove -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "region=SE2321000024-0002" \
		--data-urlencode "key_id=$OTHER_KEY" &&
	test "$(cat status)" = 200 &&
	echo "$ADMIN|trust remove|$OTHER_KEY|ok" > expect && last_audit > got && test_cmp expect got &&
	get $ADMIN /trust && grep -F "Borttagen " body
'

test_expect_success 'a file that is not a public key is refused with the key reader'"'"'s reason; nothing trusted' '
	tok=$(token $ADMIN) &&
	printf "hej\n" > notakey.pub &&
	n=$(sqlite3 "$STEG_DB" "SELECT count(*) FROM trusted_keys") &&
	get $ADMIN /confirm/trust-add -X POST -H "Origin: $ORIGIN" -F "_csrf=$tok" \
		-F "region=SE2321000024-0002" -F "key=@notakey.pub" &&
	test "$(cat status)" = 400 && grep -F "notakey.pub: " body &&
	test "$(sqlite3 "$STEG_DB" "SELECT count(*) FROM trusted_keys")" = "$n"
'

test_expect_success 'an upload to the key confirmation without the token is refused and audited as trust add' '
	get $ADMIN /confirm/trust-add -X POST -H "Origin: $ORIGIN" \
		-F "region=SE2321000024-0002" -F "key=@$BUNDLES/other.pub" &&
	test "$(cat status)" = 403 &&
	echo "$ADMIN|trust add|-|refused" > expect && last_audit > got && test_cmp expect got
'

test_expect_success 'a unit'"'"'s admin sees the keys but cannot change them; publishers and clinicians do not see them' '
	get $UADM1 /trust && test "$(cat status)" = 200 &&
	grep -F "$OTHER_KEY" body && ! grep -F "/confirm/trust-" body &&
	tok=$(token $UADM1) &&
	get $UADM1 /actions/trust-remove -X POST -H "Origin: $ORIGIN" \
		--data-urlencode "_csrf=$tok" --data-urlencode "region=$REGION" \
		--data-urlencode "key_id=$(sed -n "1s/.* //p" "$BUNDLES/region.pub")" &&
	test "$(cat status)" = 403 &&
	for who in $PUB $CLIN1; do
		get $who /trust && test "$(cat status)" = 403 &&
		grep -F "Sidan är till för administratörer." body &&
		get $who /api/v1/trusted-keys && test "$(cat status)" = 403 &&
		get $who /versions/diff?program=x\&from=1\&to=2 &&
		! grep -F "href=\"/trust\"" body || return 1
	done
'

# The server's own problems, in Swedish too (no command named): a media
# file the program does not have, a stored bundle that no longer opens
# (its bytes damaged in the database: 1.3.0, published to U1 and never
# viewed before, so no earlier load of it is cached), and a body over
# the server's limit.
test_expect_success 'a media file the program does not have: 404, said in Swedish' '
	get $CLIN1 /view/$V1/media/finns-inte.png && test "$(cat status)" = 404 &&
	grep -F "Programmet har ingen mediefil med det namnet." body
'

V4=$PROG@1.3.0
test_expect_success 'a stored bundle that does not open: 500 in Swedish, naming no command; the cause in English in the access log' '
	rm -rf "$W/src4" && cp -R "$SRC/tests/golden/base" "$W/src4" &&
	sed "s/^version: 1.0.0\$/version: 1.3.0/" "$SRC/tests/golden/base/program.yaml" > "$W/src4/program.yaml" &&
	"$STEGC" build -q "$W/src4" -o "$W/v4.steg" &&
	"$STEG" import "$W/v4.steg" --allow-unsigned --as $PUB > /dev/null &&
	"$STEG" approve $V4 --as $PUB > /dev/null &&
	"$STEG" publish $V4 --unit $U1 --as $PUB > /dev/null &&
	sha=$(sqlite3 "$STEG_DB" "SELECT bundle_sha256 FROM versions WHERE version = '"'"'1.3.0'"'"'") &&
	sqlite3 "$STEG_DB" "SELECT hex(data) FROM blobs WHERE sha256 = '"'"'$sha'"'"'" > blob.hex &&
	test -s blob.hex &&
	sqlite3 "$STEG_DB" "UPDATE blobs SET data = zeroblob(size) WHERE sha256 = '"'"'$sha'"'"'" &&
	get $CLIN1 /view/$V4/ && code=$(cat status) &&
	sqlite3 "$STEG_DB" "UPDATE blobs SET data = X'"'"'$(cat blob.hex)'"'"' WHERE sha256 = '"'"'$sha'"'"'" &&
	test "$code" = 500 &&
	grep -F "Versionens lagrade paket går inte att öppna eller kontrollera, så programmet kan inte visas. Be registrets administratör undersöka det." body &&
	! grep -F "steg " body &&
	grep -F "/view/$V4/" "$W/serve.err" | grep -F " error=" | grep -q "$V4"
'

test_expect_success 'a body over the limit: 413, said in Swedish, for an upload with the largest file of its kind' '
	head -c 70000 /dev/zero | tr "\\0" x > big &&
	tok=$(token $CLIN1) &&
	get $CLIN1 /api/v1/units/$U1/activations -X POST -H "Content-Type: application/json" \
		-H "X-CSRF-Token: $tok" --data-binary @big &&
	test "$(cat status)" = 413 &&
	python3 -c "import json; d = json.load(open(\"body\")); print(d[\"status\"], d[\"detail\"])" > got &&
	echo "413 Det som skickades är större än servern tar emot." > expect &&
	test_cmp expect got &&
	get $ADMIN /confirm/trust-add -X POST -H "Origin: $ORIGIN" -F "key=@big" &&
	test "$(cat status)" = 413 &&
	grep -F "Det som skickades är större än servern tar emot. En nyckelfil får vara högst 4096 byte." body &&
	# a bundle: Content-Length alone says too large (curl sends one byte
	# of it; its own exit code is not what is tested: the answer is)
	curl_rc=0 &&
	get $PUB /api/v1/imports -X POST -H "Content-Length: 99999999999" --data-binary x || curl_rc=$? &&
	test "$(cat status)" = 413 &&
	python3 -c "import json; d = json.load(open(\"body\")); print(d[\"status\"], d[\"detail\"])" > got &&
	echo "413 Det som skickades är större än servern tar emot. Ett programpaket får vara högst 64 MiB." > expect &&
	test_cmp expect got
'

stop_serve
test_expect_success 'SIGTERM stops the server with exit 0' '
	test "$SERVE_RC" = 0
'

test_done
