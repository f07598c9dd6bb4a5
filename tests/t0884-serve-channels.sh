#!/bin/sh
# t0884-serve-channels: each channel's last sync and its outcome, on the
# web (/channels), in the API (/api/v1/channels) and on the command line
# (steg sync --status), all read by rt_channel_syncs (runtime/channel.h)
# from the audit log's "sync" rows and channel_seen.  Region B syncs A's
# channel (a version B holds with other bytes is not taken: partial), and a folder
# that is no channel (refused); publishers and admins see both, with the
# partner's sequence; clinicians are refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/channel-lib.sh"
command -v openssl > /dev/null 2>&1 || test_skip_all "openssl is not installed"
[ -x "$(dirname "$STEG")/steg-serve" ] || test_skip_all "no steg-serve beside $STEG"
trap '[ -n "$SPID" ] && kill "$SPID" 2> /dev/null; rm -rf "$TRASH_ROOT"' EXIT
SPID=
setup_regions || { echo "Bail out! cannot set up the two regions"; exit 1; }
. "$SRC/tests/serve-lib.sh"
C=$W/chan
BU=SE2321000024-U001
BCLIN=SE2321000024-C001
(
	cd "$W" &&
	rm -rf src2 && cp -R "$SRC/tests/golden/base" src2 &&
	sed -i 's/^version: 1.0.0$/version: 1.1.0/; s/^title: Basprogram$/title: Egen/' src2/program.yaml &&
	"$STEGC" build -q src2 -o squat.steg &&
	# B2: region B before it trusted A, holding an unsigned 1.1.0 of its own
	"$STEG" --db B2.db init --region $RB --name "Region B" --admin $BADM --key "$W/b.pub" > /dev/null &&
	"$STEG" --db B2.db user add $BPUB --name "Per B" --role publisher --as $BADM > /dev/null &&
	"$STEG" --db B2.db import squat.steg --allow-unsigned --as $BPUB > /dev/null &&
	"$STEG" --db B2.db trust add --region $RA --key "$W/a.pub" --as $BADM > /dev/null &&
	"$STEG" --db B2.db unit add $BU --name "Vårdcentral B" --as $BADM > /dev/null &&
	"$STEG" --db B2.db user add $BCLIN --name "Cia B" --role clinician --unit $BU --as $BADM > /dev/null &&
	share_a se.test.bas@1.0.0 "$C" > /dev/null &&
	share_a se.test.bas@1.1.0 "$C" > /dev/null &&
	{ "$STEG" --db B2.db sync "$C" --as $BPUB > /dev/null 2>&1; test $? = 4; } &&
	{ "$STEG" --db B2.db sync "$W/nochannel" --as $BPUB > /dev/null 2>&1; test $? = 1; } &&
	sh "$SRC/scripts/demo-certs.sh" "$CERTS" "$BPUB=Per B" "$BADM=Bo Admin" \
		"$BCLIN=Cia B" > /dev/null
) || { echo "Bail out! setup failed"; exit 1; }
export STEG_DB=$W/B2.db
start_serve

test_expect_success 'steg sync --status: each location, its last sync and outcome, the last success and the partner' '
	"$STEG" sync --status > out &&
	sed "s/[0-9-]*T[0-9:]*Z/T/g" out > got &&
	cat > want <<-EOF2 &&
	$C
	  last sync: T by $BPUB: partial: index of '"'"'$RA'"'"', sequence 2, expires T; imported 1: se.test.bas@1.0.0; already here 0; not taken: se.test.bas@1.1.0 (see their '"'"'import'"'"' rows)
	  last ok: T
	  partner: $RA, index sequence 2, expires T
	$W/nochannel
	  last sync: T by $BPUB: refused: '"'"'$W/nochannel/index.json'"'"' is not there; '"'"'$W/nochannel'"'"' is not a signed channel (index.json and index.json.minisig); check the location, or ask the partner to share into it with '"'"'steg share'"'"'
	  last ok: never
	EOF2
	test_cmp want got
'

test_expect_success 'the API lists the same, as the document describes it' '
	get $BPUB /api/v1/channels &&
	test "$(cat status)" = 200 &&
	"$STEG" sync --status > cli &&
	python3 - "$C" "$W/nochannel" "$RA" <<-\EOF2
	import json, sys
	c, nochan, ra = sys.argv[1:4]
	got = json.load(open("body"))
	assert [x["location"] for x in got] == [c, nochan], got
	a, b = got
	assert a["last"]["outcome"] == "partial" and a["last"]["by"] == "SE2321000024-P001", a
	assert "not taken: se.test.bas@1.1.0" in a["last"]["detail"], a
	assert a["last_ok_at"] == a["last"]["at"], a
	assert a["partner"]["region"] == ra and a["partner"]["sequence"] == 2, a
	assert b["last"]["outcome"] == "refused" and b["last_ok_at"] is None and b["partner"] is None, b
	cli = open("cli").read()
	for x in got:
	    line = "  last sync: %s by %s: %s: %s\n" % (x["last"]["at"], x["last"]["by"],
	                                               x["last"]["outcome"], x["last"]["detail"])
	    assert x["location"] + "\n" + line in cli, (line, cli)
	EOF2
'

test_expect_success 'the page shows each channel with its outcome in words, for publishers and admins' '
	for who in $BPUB $BADM; do
		get $who /channels &&
		test "$(cat status)" = 200 &&
		grep -F "<tr class=\"sync-partial\"><td data-label=\"Kanal\"><code>$C</code></td><td data-label=\"Senaste synkronisering\"><strong>Lyckades delvis: några versioner togs inte emot</strong>" body &&
		grep -F "<tr class=\"sync-refused\"><td data-label=\"Kanal\"><code>$W/nochannel</code></td><td data-label=\"Senaste synkronisering\"><strong>Nekades</strong>" body &&
		grep -F "$RA, indexets sekvensnummer 2, giltigt till" body &&
		grep -F "<td data-label=\"Senast lyckad\">Aldrig</td><td data-label=\"Partner\">Inget index godtaget än</td>" body &&
		grep -F "<li><a href=\"/channels\">Kanaler</a></li>" body || return 1
	done
'

test_expect_success 'a clinician is refused the channels, on the page and in the API, and has no link to them' '
	get $BCLIN /channels && test "$(cat status)" = 403 &&
	grep -F "Kanalerna är till för utgivare och administratörer." body &&
	get $BCLIN /api/v1/channels && test "$(cat status)" = 403 &&
	grep -qi "^content-type: application/problem+json" headers &&
	get $BCLIN /units/$BU && ! grep -F "/channels" body
'

test_expect_success 'a registry that never synced says so' '
	"$STEG" --db "$W/A.db" sync --status > out &&
	echo "no sync has been run; sync a partner'"'"'s channel with '"'"'steg sync DIR|URL --as USER'"'"'" > want &&
	test_cmp want out
'

stop_serve
test_expect_success 'the server stopped cleanly, without a sanitizer report' '
	test "$SERVE_RC" = 0 &&
	! grep -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$W/serve.err"
'
test_done
