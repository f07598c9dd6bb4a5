#!/bin/sh
# t0615 — names, titles and comments cannot forge output or steer a
# terminal: control characters, bidirectional controls and invalid UTF-8
# are refused at input (steg and stegc alike), whatever a registry already
# holds is printed escaped in every text and TSV listing, --json keeps
# every field, and no message is cut inside a character.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

NL='
'
TAB=$(printf '\t')
ESC=$(printf '\033')
BEL=$(printf '\007')
CSI1=$(printf '\302\233')          # U+009B, the C1 CSI
RLO=$(printf '\342\200\256')       # U+202E RIGHT-TO-LEFT OVERRIDE
LRI=$(printf '\342\201\246')       # U+2066 LEFT-TO-RIGHT ISOLATE
RLM=$(printf '\342\200\217')       # U+200F RIGHT-TO-LEFT MARK
BAD=$(printf 'x\377y')             # not UTF-8
LONG=$(python3 -c 'print("å" * 300, end="")')

# refused_text CMD-NAME OPT WHY command...: exit 2, the one message, no
# registry change.
refused_text() {
	c=$1; o=$2; why=$3; shift 3
	state > before.state
	n0=$(audit_rows)
	run out "$@" &&
	test $rc = 2 &&
	printf "steg: error: '%s' %s; write one line of printable text of at most 200 bytes\nrun 'steg %s --help' for its options\n" \
		"$o" "$why" "$c" > want &&
	test_cmp want out &&
	state > after.state && test_cmp before.state after.state &&
	test "$(audit_rows)" = "$n0"
}

test_expect_success 'a unit name with a newline and tabs cannot forge a line of unit list' '
	setup_registry &&
	refused_text unit --name "holds the control character U+000A" \
		"$STEG" unit add SE2321000016-U009 --name "Norr${NL}SE2321000016-U666${TAB}Falsk${TAB}users 9" --as $ADMIN &&
	refused_text unit --name "holds the control character U+0009" \
		"$STEG" unit add SE2321000016-U009 --name "Norr${TAB}users 9" --as $ADMIN &&
	test "$("$STEG" unit list | wc -l)" = 2
'

test_expect_success 'ESC, OSC, C1, bidi controls and invalid UTF-8 are refused in every name' '
	setup_registry &&
	refused_text unit --name "holds the control character U+001B" \
		"$STEG" unit add SE2321000016-U009 --name "x${ESC}[2J" --as $ADMIN &&
	refused_text unit --name "holds the control character U+001B" \
		"$STEG" unit add SE2321000016-U009 --name "x${ESC}]0;owned${BEL}" --as $ADMIN &&
	refused_text unit --name "holds the control character U+009B" \
		"$STEG" unit add SE2321000016-U009 --name "x${CSI1}2J" --as $ADMIN &&
	refused_text unit --name "holds the bidirectional control U+202E" \
		"$STEG" unit add SE2321000016-U009 --name "Norr${RLO}txt.exe" --as $ADMIN &&
	refused_text user --name "holds the bidirectional control U+2066" \
		"$STEG" user add SE2321000016-P009 --name "Pia${LRI}" --role publisher --as $ADMIN &&
	refused_text user --name "holds the bidirectional control U+200F" \
		"$STEG" user add SE2321000016-P009 --name "Pia${RLM}" --role publisher --as $ADMIN &&
	refused_text user --name "is not valid UTF-8 (byte 2)" \
		"$STEG" user add SE2321000016-P009 --name "$BAD" --role publisher --as $ADMIN &&
	refused_text user --name "holds the control character U+000A" \
		"$STEG" user add SE2321000016-P009 --name "Pia${NL}SE2321000016-X1${TAB}Eve${TAB}admin${TAB}$REGION" \
		--role publisher --as $ADMIN &&
	refused_text unit --name "is 600 bytes long, more than the limit of 200" \
		"$STEG" unit add SE2321000016-U009 --name "$LONG" --as $ADMIN &&
	refused_text "trust add" --comment "holds the control character U+000A" \
		"$STEG" trust add --region SE2321000024-0002 --key "$BUNDLES/other.pub" \
		--comment "avtal${NL}SE2321000016-0001         0000000000000000  added" --as $ADMIN &&
	refused_text "trust add" --comment "holds the bidirectional control U+202E" \
		"$STEG" trust add --region SE2321000024-0002 --key "$BUNDLES/other.pub" \
		--comment "avtal${RLO}" --as $ADMIN
'

test_expect_success 'init refuses a bad region or admin name and creates nothing' '
	run out "$STEG" init --region $REGION --name "Region${ESC}[31m" --admin $ADMIN &&
	test $rc = 2 && grep -F "'"'"'--name'"'"' holds the control character U+001B" out &&
	run out "$STEG" init --region $REGION --name R --admin $ADMIN --admin-name "$(printf "A\nB")" &&
	test $rc = 2 && grep -F "'"'"'--admin-name'"'"' holds the control character U+000A" out &&
	test ! -e steg.db
'

test_expect_success 'a name of 200 bytes of Swedish is fine, and Arabic and emoji too' '
	setup_registry &&
	N100=$(python3 -c "print(\"å\" * 100, end=\"\")") &&
	"$STEG" unit add SE2321000016-U009 --name "$N100" --as $ADMIN > /dev/null &&
	"$STEG" user add SE2321000016-P009 --name "نورة 👩‍⚕️ Öberg" --role publisher --as $ADMIN > /dev/null &&
	test "$(sqlite3 steg.db "SELECT name FROM organisations WHERE hsa_id = '"'"'SE2321000016-U009'"'"'")" = "$N100"
'

# Rows a registry may hold from before the rule, or planted with sqlite3.
plant() {
	sqlite3 steg.db <<EOF
INSERT INTO organisations VALUES ('SE2321000016-U007',
	'Syd' || char(10) || 'SE2321000016-U666' || char(9) || 'Falsk' ||
	char(27) || ']0;owned' || char(7) || char(155) || char(8238) || '\',
	'unit', '$REGION', '2026-01-01T00:00:00Z', '$ADMIN');
INSERT INTO organisations VALUES ('SE2321000016-U008',
	CAST(X'41FF42' AS TEXT), 'unit', '$REGION', '2026-01-01T00:00:00Z', '$ADMIN');
INSERT INTO users (hsa_id, name, role, unit, created_at, created_by) VALUES
	('SE2321000016-P007', 'Eve' || char(10) || 'SE2321000016-X1' || char(9) ||
	'Eve' || char(9) || 'admin', 'publisher', '$REGION', '2026-01-01T00:00:00Z', '$ADMIN');
UPDATE versions SET title = 'Bas' || char(10) || 'se.fake@9.9.9' || char(9) ||
	'approved' || char(9) || 'active' || char(27) || '[2J';
INSERT INTO trusted_keys (region, keyid, pubkey, comment, added_at, added_by) VALUES
	('SE2321000024-0002', '00000000000000AA', 'x',
	'avtal' || char(10) || 'SE2321000016-0001 FFFF  added' || char(8238),
	'2026-01-01T00:00:00Z', '$ADMIN');
EOF
}

test_expect_success 'planted rows are printed escaped: unit list, user list, trust list, list, show' '
	setup_imported && plant &&
	"$STEG" unit list > out &&
	grep -F -x "SE2321000016-U007${TAB}Syd\\nSE2321000016-U666\\tFalsk\\x1B]0;owned\\x07\\u{009B}\\u{202E}\\\\${TAB}users 0${TAB}published 0${TAB}active 0" out &&
	grep -F -x "SE2321000016-U008${TAB}A\\xFFB${TAB}users 0${TAB}published 0${TAB}active 0" out &&
	test "$(wc -l < out)" = 4 &&
	! grep -q "$ESC" out && ! grep -q "$CSI1" out && ! grep -q "$RLO" out &&
	"$STEG" user list > out &&
	grep -F -x "SE2321000016-P007${TAB}Eve\\nSE2321000016-X1\\tEve\\tadmin${TAB}publisher${TAB}$REGION" out &&
	test "$(grep -c "${TAB}admin${TAB}" out)" = 2 &&
	"$STEG" trust list > out &&
	test "$(wc -l < out)" = 2 &&
	grep -F "(avtal\\nSE2321000016-0001 FFFF  added\\u{202E})" out &&
	"$STEG" list > out &&
	test "$(wc -l < out)" = 2 &&
	grep -F -x "$V1${TAB}approved${TAB}published 0${TAB}active 0${TAB}Bas\\nse.fake@9.9.9\\tapproved\\tactive\\x1B[2J" out &&
	"$STEG" show $V1 > out &&
	head -n 1 out > out1 &&
	printf "%s\t%s\n" $V1 "Bas\\nse.fake@9.9.9\\tapproved\\tactive\\x1B[2J" > want &&
	test_cmp want out1 &&
	! grep -q "$ESC" out
'

test_expect_success '--json keeps every field, invalid UTF-8 as U+FFFD' '
	setup_imported && plant &&
	"$STEG" unit list --json > out &&
	test "$(jq -r ".[] | select(.hsa_id == \"SE2321000016-U008\") | .name" out)" = "$(printf "A\357\277\275B")" &&
	test "$(jq -r ".[] | select(.hsa_id == \"SE2321000016-U007\") | .name" out | head -n 1)" = "Syd" &&
	test "$(jq "[.[] | select(.name == null)] | length" out)" = 0 &&
	sqlite3 steg.db "UPDATE users SET name = CAST(X'"'"'50C3'"'"' AS TEXT) WHERE hsa_id = '"'"'$PUB'"'"'" &&
	"$STEG" user list --json > out &&
	test "$(jq -r ".[] | select(.hsa_id == \"$PUB\") | .name" out)" = "$(printf "P\357\277\275")" &&
	sqlite3 steg.db "UPDATE versions SET title = CAST(X'"'"'42FE'"'"' AS TEXT)" &&
	"$STEG" list --json > out &&
	test "$(jq -r ".[0].title" out)" = "$(printf "B\357\277\275")" &&
	"$STEG" show $V1 --json > out &&
	test "$(jq -r ".title" out)" = "$(printf "B\357\277\275")"
'

test_expect_success 'audit: a planted detail is printed escaped, and --json keeps it' '
	setup_registry &&
	sqlite3 steg.db "DROP TRIGGER audit_no_update;
		UPDATE audit SET detail = CAST(X'"'"'6E616D6520C3A5C3'"'"' AS TEXT) || char(10) || '"'"'5'"'"' || char(9) || char(27) || '"'"'[2J'"'"' WHERE seq = 1" &&
	"$STEG" audit > out &&
	test "$(wc -l < out)" = "$(audit_rows)" &&
	head -n 1 out | grep -F "${TAB}name å\\xC3\\n5\\t\\x1B[2J" &&
	"$STEG" audit --json > out &&
	test "$(jq -r ".[0].detail" out)" = "$(printf "name \303\245\357\277\275\n5\t\033[2J")"
'

test_expect_success 'a refusal message is never cut inside a character' '
	setup_registry &&
	N=$(python3 -c "print(\"å\" * 600, end=\"\")") &&
	run out "$STEG" publish $V1 --unit "$N" --as $UADM1 &&
	test $rc = 1 &&
	run out "$STEG" publish $V1 --unit "x$N" --as $UADM1 &&
	test $rc = 1 &&
	"$STEG" audit --json > out &&
	test "$(jq "[.[] | select(.detail == null)] | length" out)" = 0 &&
	test "$(jq -r ".[-1].detail, .[-2].detail" out | grep -c "not at .xåå*$")" = 1 &&
	test "$(jq -r ".[-1].detail, .[-2].detail" out | grep -c "not at .ååå*$")" = 1 &&
	"$STEG" audit --check > /dev/null
'

test_expect_success 'a message quoting what was typed is escaped too' '
	setup_registry &&
	run out "$STEG" unit add "U${ESC}[2J" --name N --as $ADMIN &&
	test $rc = 2 && ! grep -q "$ESC" out &&
	grep -F "'"'"'U\\x1B[2J'"'"' is not an HSA-id" out
'

test_done
