#!/bin/sh
# t0881-serve-cli-agree: the command line and the web are one set of
# rules.  Two copies of one registry; every state change (approve,
# publish, activate, a second version replacing the first, deactivate,
# unpublish, retire, user add and deactivate, import, and the same again
# where nothing changes) is done with `steg ... --as WHO` on one and with
# WHO's client certificate through steg serve's JSON API on the other;
# then a care unit added, a partner's key trusted, removed and trusted
# again, roles changed (a clinician made admin and moved, a publisher made
# admin, who then may step down), each also where the command line
# refuses it
# (tests/tools/serve_agree.py); each answers alike, and at the end both
# registries hold the same rows and the same audit rows in the same order.
# Then the difference between two stored versions, on the web and in the
# API, is what `stegc diff` says of their bundles.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"
. "$SRC/tests/serve-lib.sh"
serve_test_begin
make_bundles && make_certs && setup_imported &&
"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
rm -rf src3 && cp -R "$SRC/tests/golden/base" src3 &&
sed -i 's/^version: 1.0.0$/version: 1.2.0/' src3/program.yaml &&
sed -i 's/Har du haft svårt att sova?/Har du sovit dåligt?/' src3/forms/mood.yaml &&
sed -i 's/^title: Vardagen$/title: Din vardag/' src3/modules/02-vardag.md &&
"$STEGC" build -q src3 -o base3.steg &&
cp steg.db cli.db && cp steg.db web.db ||
	{ echo "Bail out! setup failed"; exit 1; }

V3=se.test.bas@1.2.0
PARTNER=SE2321000024-0002
OTHER_KEY=$(sed -n '1s/.* //p' "$BUNDLES/other.pub")
NEW=SE2321000016-C050
cases="[
 [\"$PUB\", \"approve\", \"se.test.bas@1.1.0\", null],
 [\"$PUB\", \"approve\", \"se.test.bas@1.1.0\", null],
 [\"$PUB\", \"publish\", \"se.test.bas@1.1.0\", \"$U1\"],
 [\"$CLIN1\", \"activate\", \"$V1\", \"$U1\"],
 [\"$CLIN1\", \"activate\", \"$V1\", \"$U1\"],
 [\"$CLIN1\", \"activate\", \"se.test.bas@1.1.0\", \"$U1\"],
 [\"$CLIN1\", \"deactivate\", \"se.test.bas@1.1.0\", \"$U1\"],
 [\"$CLIN1\", \"deactivate\", \"se.test.bas@1.1.0\", \"$U1\"],
 [\"$PUB\", \"unpublish\", \"$V1\", \"$U1\"],
 [\"$PUB\", \"unpublish\", \"$V1\", \"$U1\"],
 [\"$PUB\", \"retire\", \"$V1\", null],
 [\"$ADMIN\", \"retire\", \"$V1\", null],
 [\"$ADMIN\", \"user-add\", \"$NEW\", [\"Nils Ny\", \"clinician\", \"$U1\"]],
 [\"$ADMIN\", \"user-deactivate\", \"$NEW\", null],
 [\"$ADMIN\", \"user-deactivate\", \"$NEW\", null],
 [\"$PUB\", \"import\", \"$W/base3.steg\", null],
 [\"$PUB\", \"import\", \"$W/base3.steg\", null],
 [\"$PUB\", \"approve\", \"$V3\", null],
 [\"$ADMIN\", \"unit-add\", \"SE2321000016-U003\", \"Vårdcentral Öst\"],
 [\"$ADMIN\", \"unit-add\", \"SE2321000016-U003\", \"Vårdcentral Öst\"],
 [\"$ADMIN\", \"unit-add\", \"$U1\", \"Vårdcentral Norr igen\"],
 [\"$ADMIN\", \"trust-add\", \"$PARTNER\", [\"$BUNDLES/other.pub\", \"Avtal 2026\"]],
 [\"$ADMIN\", \"trust-add\", \"$REGION\", [\"$BUNDLES/other.pub\", \"\"]],
 [\"$ADMIN\", \"trust-remove\", \"$PARTNER\", \"$OTHER_KEY\"],
 [\"$ADMIN\", \"trust-remove\", \"$PARTNER\", \"$OTHER_KEY\"],
 [\"$ADMIN\", \"trust-add\", \"$REGION\", [\"$BUNDLES/other.pub\", \"\"]],
 [\"$ADMIN\", \"user-role\", \"$CLIN1\", [\"admin\", null]],
 [\"$ADMIN\", \"user-role\", \"$CLIN1\", [\"admin\", null]],
 [\"$ADMIN\", \"user-role\", \"$CLIN1\", [\"clinician\", \"$U2\"]],
 [\"$ADMIN\", \"user-role\", \"$CLIN1\", [\"clinician\", \"$REGION\"]],
 [\"$PUB\", \"user-role\", \"$ADMIN\", [\"publisher\", null]],
 [\"$ADMIN\", \"user-role\", \"$ADMIN\", [\"publisher\", null]],
 [\"$ADMIN\", \"user-role\", \"$PUB\", [\"admin\", \"$REGION\"]],
 [\"$PUB\", \"user-role\", \"$PUB\", [\"publisher\", null]],
 [\"$ADMIN\", \"user-role\", \"$GONE\", [\"admin\", null]],
 [\"$ADMIN\", \"user-role\", \"SE2321000016-C404\", [\"admin\", null]]
]"
python3 "$SRC/tests/tools/serve_agree.py" "$STEG" "$W/cli.db" "$W/web.db" "$CERTS" \
	"$cases" > "$W/agree.tap" 2>&1

test_expect_success 'every state change through each: the same answers, rows and audit rows' '
	grep -q "^1\.\.[1-9]" "$W/agree.tap" || { cat "$W/agree.tap"; return 1; }
	if grep -q "^not ok" "$W/agree.tap"; then
		grep -v "^ok" "$W/agree.tap"; return 1
	fi
	test "$(grep -c "^ok" "$W/agree.tap")" -ge 39
'

# The difference between versions: the web says what stegc diff says.
trap '[ -n "$SPID" ] && kill "$SPID" 2> /dev/null; rm -rf "$TRASH_ROOT"' EXIT
SPID=
export STEG_DB=$W/web.db
start_serve

test_expect_success 'the API diff of 1.0.0 and 1.2.0 is stegc diff --format json of their bundles' '
	rc=0 && "$STEGC" diff "$BUNDLES/base.steg" "$W/base3.steg" \
		--format json > cli.json || rc=$?
	test "$rc" = 1 &&
	get $PUB "/api/v1/programs/se.test.bas/diff?from=1.0.0&to=1.2.0" &&
	test "$(cat status)" = 200 &&
	grep -qi "^content-type: application/json" headers &&
	python3 -c "import json,sys; a=json.load(open(\"cli.json\")); b=json.load(open(\"body\")); sys.exit(0 if a == b and a[\"level\"] == \"major\" and len(a[\"changes\"]) == 3 and not a[\"version_ok\"] else 1)" ||
	{ cat cli.json body; return 1; }
'

test_expect_success 'the diff page lists each change as stegc diff does, with its level and the version it needs' '
	rc=0 && "$STEGC" diff "$BUNDLES/base.steg" "$W/base3.steg" > cli.txt || rc=$?
	test "$rc" = 1 &&
	get $ADMIN "/versions/diff?program=se.test.bas&from=1.0.0&to=1.2.0" &&
	test "$(cat status)" = 200 &&
	grep -F "<tr class=\"level-major\"><td data-label=\"Nivå\">major</td><td data-label=\"Vad\">form '"'"'mood'"'"' item '"'"'q2'"'"'</td><td data-label=\"Ändring\">text changed</td></tr>" body &&
	grep -F "<tr class=\"level-patch\"><td data-label=\"Nivå\">patch</td><td data-label=\"Vad\">module '"'"'vardag'"'"'</td><td data-label=\"Ändring\">title or minutes changed</td></tr>" body &&
	grep -F "major: form '"'"'mood'"'"' item '"'"'q2'"'"': text changed" cli.txt &&
	grep -F "patch: module '"'"'vardag'"'"': title or minutes changed" cli.txt &&
	grep -F "Från version 1.0.0 till 1.2.0: en ändring på nivån major (antal ändringar: 3). Den kräver minst version 2.0.0." body &&
	grep -F "Versionsnumret 1.2.0 är för litet för en ändring på nivån major: den kräver minst 2.0.0." body &&
	grep -F "<option selected>1.0.0</option><option>1.1.0</option><option>1.2.0</option></select>" body
'

test_expect_success 'two versions with the same content: no change, and the version number is enough' '
	get $PUB "/api/v1/programs/se.test.bas/diff?from=1.0.0&to=1.1.0" &&
	test "$(cat status)" = 200 &&
	python3 -c "import json,sys; b=json.load(open(\"body\")); sys.exit(0 if b[\"level\"] == \"none\" and b[\"changes\"] == [] and b[\"version_ok\"] else 1)" &&
	get $PUB "/versions/diff?program=se.test.bas&from=1.0.0&to=1.1.0" &&
	grep -F "Inga ändringar från version 1.0.0 till 1.1.0." body
'

test_expect_success 'the versions page links each version to the difference from the one before' '
	get $PUB /versions &&
	grep -F "<a href=\"/versions/diff?program=se.test.bas&amp;from=1.1.0&amp;to=1.2.0\">Jämför med 1.1.0</a>" body &&
	grep -F "<a href=\"/versions/diff?program=se.test.bas&amp;from=1.0.0&amp;to=1.1.0\">Jämför med 1.0.0</a>" body &&
	test "$(grep -o "Jämför med" body | wc -l)" = 2
'

test_expect_success 'a version the registry does not hold is 404 naming the versions it has, in Swedish and English; no versions asked is 400' '
	get $PUB "/api/v1/programs/se.test.bas/diff?from=1.0.0&to=9.9.9" &&
	test "$(cat status)" = 404 &&
	grep -qi "^content-type: application/problem+json" headers &&
	python3 -c "import json; p = json.load(open(\"body\", encoding=\"utf-8\")); print(p[\"reason\"]); print(p[\"detail\"]); print(p[\"detail_en\"])" > got &&
	cat > want <<-\EOF &&
	no-such-version
	Programmet se.test.bas har ingen version 9.9.9. Det har 1.0.0, 1.1.0, 1.2.0. Gå tillbaka och välj en av dem.
	program '"'"'se.test.bas'"'"' has no version '"'"'9.9.9'"'"'; it has 1.0.0, 1.1.0, 1.2.0
	EOF
	test_cmp want got &&
	get $PUB "/versions/diff?program=se.test.nej&from=1.0.0&to=1.1.0" &&
	test "$(cat status)" = 404 &&
	grep -F "<strong>Skäl:</strong> Programmet se.test.nej finns inte i registret. En utgivare importerar det på sidan Versioner." body &&
	! grep -F "steg import" body &&
	get $PUB "/versions/diff?program=se.test.bas&from=1.0.0" &&
	test "$(cat status)" = 400 &&
	grep -F "Ange programmet och två versioner att jämföra" body
'

test_expect_success 'the audit page and API give the verdict of steg audit --check, checkpoints included' '
	get $ADMIN /audit && test "$(cat status)" = 200 &&
	grep -F "Inga signerade kontrollpunkter finns." body &&
	grep -F "skydden mot ändringar på plats och registrets innehåll med sina rader.</p>" body &&
	! grep -F "alla 0 signerade" body &&
	grep -F "<code>$W/web.db.checkpoints</code>" body &&
	"$STEG" audit checkpoint --key "$BUNDLES/region.key" --unencrypted > cp.out &&
	grep -F "signed a checkpoint of the audit log" cp.out &&
	"$STEG" audit --check --json > cli.json &&
	get $ADMIN /api/v1/audit && test "$(cat status)" = 200 &&
	python3 -c "import json,sys; a=json.load(open(\"cli.json\")); b=json.load(open(\"body\"))[\"check\"]; sys.exit(0 if a == b and a[\"ok\"] and len(a[\"checkpoints\"]) == 1 else 1)" &&
	get $ADMIN /audit &&
	grep -F "Granskningsloggen håller:" body &&
	grep -F "och loggen bygger vidare på alla 1 signerade kontrollpunkter." body &&
	grep -F "<td data-label=\"Utfall\">Loggen bygger vidare på den</td>" body
'

test_expect_success 'a checkpoint the log does not extend: the page and the API say what steg audit --check says' '
	cp=$(ls "$W"/web.db.checkpoints/*.minisig | head -n 1) &&
	cp "$cp" "$W/web.db.checkpoints/checkpoint-999999999999.minisig" &&
	sed -i "s/sequence=\([0-9]*\)/sequence=999999/" "$W/web.db.checkpoints/checkpoint-999999999999.minisig" &&
	rc=0 && "$STEG" audit --check --json > cli.json || rc=$?
	test "$rc" = 1 &&
	get $ADMIN /api/v1/audit && test "$(cat status)" = 200 &&
	python3 -c "import json,sys; a=json.load(open(\"cli.json\")); b=json.load(open(\"body\")); sys.exit(0 if a == b[\"check\"] and not a[\"ok\"] and a[\"checkpoint\"].endswith(\"checkpoint-999999999999.minisig\") and not b[\"chain_ok\"] else 1)" &&
	reason=$(python3 -c "import json; print(json.load(open(\"cli.json\"))[\"reason\"])") &&
	get $ADMIN /audit &&
	grep -F "Granskningsloggen håller inte: $reason" body &&
	grep -F "<td data-label=\"Utfall\">Håller inte (se ovan)</td>" body &&
	rm "$W/web.db.checkpoints/checkpoint-999999999999.minisig"
'

stop_serve
test_expect_success 'the server stopped cleanly, without a sanitizer report' '
	test "$SERVE_RC" = 0 &&
	! grep -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$W/serve.err"
'
test_done
