#!/bin/sh
# t0616-registry-output-full — a listing whose output cannot be written
# (stdout on a full disk) exits 3 and says so once: every listing ends in
# runtime/cli.c's rt_list_end, which reports through the registry's one
# message (rt_finish); the JSON printer's own message came out besides,
# so each said it twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }
[ -w /dev/full ] || test_skip_all "no /dev/full here"

test_expect_success 'each listing on a full disk: exit 3, one message' '
	setup_imported &&
	echo "steg: error: cannot write the output" > expect &&
	for c in "unit list --json" "user list --json" "list --json" \
	         "list --unit $U1 --json" "trust list --json" "policy list --json" \
	         "audit --json" "show se.test.bas --json" "show $V1 --json"; do
		rc=0 && "$STEG" $c > /dev/full 2> err || rc=$? &&
		test "$rc" = 3 && test_cmp expect err || return 1
	done
'

test_expect_success 'the same listings to a file are whole JSON' '
	setup_imported &&
	for c in "unit list --json" "user list --json" "list --json" \
	         "trust list --json" "policy list --json" "audit --json" \
	         "show se.test.bas --json"; do
		"$STEG" $c > out.json &&
		python3 -m json.tool out.json > /dev/null || return 1
	done
'

test_done
