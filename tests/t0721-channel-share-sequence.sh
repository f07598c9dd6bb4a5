#!/bin/sh
# t0721 — where `steg share` takes the next sequence from: the registry's
# own record, or the folder's index only when the region's own key signed
# it, and then at most 100000 beyond the record; never an overflow.
# Anyone who can write to the channel folder may plant an index.json: it
# must not decide the sequence the region signs (a planted
# 999999999999999998 would make the region sign the largest sequence there
# is, after which it could never share again).  Run under UBSan by
# `make check`: a sequence of 2^63-1 must not overflow.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/channel-lib.sh"
setup_regions || { echo "Bail out! cannot set up the two regions"; exit 1; }
C=$W/chan

# The sequence in C's index.json, and its signature's trusted comment.
seq_of() {
	python3 -c "import json; print(json.load(open(\"$1/index.json\"))[\"sequence\"])"
}
signed_seq() {
	minisign -V -p "$W/a.pub" -m "$1/index.json" | sed -n "s/.* sequence=\([0-9]*\) .*/\1/p"
}

# plant DIR SEQ: index.json of DIR says sequence SEQ, its signature left
# as it was (no longer holding).
plant() {
	python3 - "$1/index.json" "$2" <<-\EOF
	import json, sys
	ix = json.load(open(sys.argv[1]))
	ix["sequence"] = int(sys.argv[2])
	open(sys.argv[1], "w").write(json.dumps(ix, indent=2) + "\n")
	EOF
}

# resign DIR KEY PUBLISHER SEQ: DIR/index.json says PUBLISHER and SEQ and
# is signed by KEY with the trusted comment that says so.
resign() {
	python3 - "$1/index.json" "$3" "$4" <<-\EOF &&
	import json, sys
	ix = json.load(open(sys.argv[1]))
	ix["publisher"] = sys.argv[2]
	ix["sequence"] = int(sys.argv[3])
	open(sys.argv[1], "w").write(json.dumps(ix, indent=2) + "\n")
	EOF
	exp=$(python3 -c "import json; print(json.load(open(\"$1/index.json\"))[\"expires\"])") &&
	sign_file "$2" "$1/index.json" "steg kind=index publisher=$3 sequence=$4 expires=$exp"
}

no_ub() {
	! grep -q "runtime error" "$1"
}

test_expect_success 'a planted unsigned index is ignored: share signs the registry'"'"'s next number' '
	share_a se.test.bas@1.0.0 "$C" > /dev/null &&
	plant "$C" 999999999999999998 &&
	share_a se.test.bas@1.1.0 "$C" > out 2> err &&
	grep -q "index sequence 2, 2 bundles" out &&
	test "$(seq_of "$C")" = 2 && test "$(signed_seq "$C")" = 2 &&
	grep -q "^steg: warning: the folder'"'"'s index was not used: its signature does not hold against this region'"'"'s own keys: the signature of '"'"'$C/index.json'"'"' by key $(KEYID_A) does not hold" err &&
	sqlite3 "$W/A.db" "SELECT detail FROM audit ORDER BY seq DESC LIMIT 1" | grep -q "index sequence 2, .*; the folder'"'"'s index was not used: its signature does not hold" &&
	plant "$C" 999999999999999998 && rm "$C/index.json.minisig" &&
	share_a se.test.bas@1.1.0 "$C" > out 2> err &&
	grep -q "index sequence 3, 2 bundles" out &&
	grep -q "^steg: warning: the folder'"'"'s index was not used: '"'"'$C/index.json.minisig'"'"' is not there$" err &&
	sync_b "$C" > out &&
	test "$(sqlite3 "$W/B.db" "SELECT sequence FROM channel_seen")" = 3
'

test_expect_success 'an index signed by another key, or by a partner trusted for its own region, is ignored' '
	"$STEG" --db "$W/A.db" trust add --region $RB --key "$W/b.pub" --as $AADM > /dev/null &&
	resign "$C" "$W/x.key" $RA 999999999999999998 &&
	share_a se.test.bas@1.1.0 "$C" > out 2> err &&
	grep -q "index sequence 4, 2 bundles" out &&
	grep -q "^steg: warning: the folder'"'"'s index was not used: .*is signed by key $(sed -n "s/.* //p" "$W/x.pub" | head -1), which is not trusted here$" err &&
	resign "$C" "$W/b.key" $RB 999999999999999998 &&
	share_a se.test.bas@1.1.0 "$C" > out 2> err &&
	grep -q "index sequence 5, 2 bundles" out &&
	grep -q "^steg: warning: the folder'"'"'s index was not used" err &&
	resign "$C" "$W/b.key" $RA 999999999999999998 &&
	share_a se.test.bas@1.1.0 "$C" > out 2> err &&
	grep -q "index sequence 6, 2 bundles" out &&
	test "$(signed_seq "$C")" = 6
'

test_expect_success 'the region'"'"'s own signed index moves the sequence on, by at most 100000' '
	resign "$C" "$W/a.key" $RA 100006 &&
	share_a se.test.bas@1.1.0 "$C" > out 2> err &&
	grep -q "index sequence 100007, 2 bundles" out &&
	test ! -s err &&
	sqlite3 "$W/A.db" "UPDATE channel_out SET sequence = 6" &&
	cp "$C/index.json" "$C/index.json.minisig" . &&
	run out share_a se.test.bas@1.1.0 "$C" &&
	test $rc = 1 &&
	echo "steg: error: '"'"'$C/index.json'"'"' is signed with this region'"'"'s key and has sequence 100007, more than 100000 beyond 6, the last sequence this registry shared; this registry did not share it: find out who else signs with the region'"'"'s key (it may have leaked), and share into this folder only when that is clear" > want &&
	test_cmp want out &&
	cmp index.json "$C/index.json" && cmp index.json.minisig "$C/index.json.minisig" &&
	test "$(sqlite3 "$W/A.db" "SELECT action, outcome FROM audit ORDER BY seq DESC LIMIT 1")" = "share|refused" &&
	sqlite3 "$W/A.db" "UPDATE channel_out SET sequence = 7" &&
	share_a se.test.bas@1.1.0 "$C" > out &&
	grep -q "index sequence 100008, 2 bundles" out
'

test_expect_success 'share creates the channel folder with its missing parents' '
	share_a se.test.bas@1.0.0 "$W/deep/er/chan/" > out &&
	test -f "$W/deep/er/chan/index.json" &&
	: > "$W/afile" &&
	run out share_a se.test.bas@1.0.0 "$W/afile/chan" &&
	test $rc = 3 &&
	grep -q "^steg: error: cannot create the channel folder '"'"'$W/afile/chan'"'"': Not a directory$" out
'

test_expect_success 'no overflow: 2^63-1 in the folder or in the registry is refused cleanly' '
	last=$(sqlite3 "$W/A.db" "SELECT max(sequence) FROM channel_out") &&
	plant "$C" 9223372036854775807 &&
	share_a se.test.bas@1.1.0 "$C" > out 2> err &&
	no_ub err &&
	grep -q "index sequence $((last + 1)), 2 bundles" out &&
	sqlite3 "$W/A.db" "UPDATE channel_out SET sequence = 9223372036854775807" &&
	cp "$C/index.json" . &&
	run out share_a se.test.bas@1.1.0 "$C" &&
	test $rc = 1 && no_ub out &&
	echo "steg: error: the region'"'"'s last index sequence in this registry is 9223372036854775807, which leaves no next one (a signed index carries 1 to 999999999999999999); the registry was altered: restore it from a backup" > want &&
	test_cmp want out &&
	cmp index.json "$C/index.json" &&
	sqlite3 "$W/A.db" "UPDATE channel_out SET sequence = 999999999999999998" &&
	share_a se.test.bas@1.1.0 "$C" > out &&
	grep -q "index sequence 999999999999999999, 2 bundles" out &&
	run out share_a se.test.bas@1.1.0 "$C" &&
	test $rc = 1 && no_ub out &&
	echo "steg: error: the region'"'"'s index sequence has reached 999999999999999999, the largest a signed index carries; no further index can be shared" > want &&
	test_cmp want out
'

test_done
