#!/bin/sh
# t0001 — the test library itself: test_expect_code works under set -e,
# a skip is reported as a TAP skip and counted by tests/run.sh as skipped
# (never as passed, and as a failure under STEG_NO_SKIP=1), a failing body
# fails however it fails, and nothing in the environment makes t0100
# rewrite golden files.
. "$(dirname "$0")/lib.sh"

# fake_suite < SCRIPT: a scratch tree with tests/lib.sh, tests/run.sh and
# SCRIPT as tests/t5000-x.sh; its TAP in tap (exit code $trc), and
# run.sh's report in run.out and run.err (exit code $rc).
fake_suite() {
	mkdir -p tree/tests &&
	cp "$SRC/tests/lib.sh" "$SRC/tests/run.sh" tree/tests/ &&
	{ echo '. "$(dirname "$0")/lib.sh"'; cat; echo test_done; } > tree/tests/t5000-x.sh &&
	trc=0 && sh tree/tests/t5000-x.sh > tap 2>&1 || trc=$?
	rc=0 && env -u STEG_NO_SKIP sh tree/tests/run.sh > run.out 2> run.err || rc=$?
}

test_expect_success 'test_expect_code: the exit code of the body, under set -e' '
	fake_suite <<-\EOF &&
	test_expect_code 3 "exits 3" "true; (exit 3)"
	test_expect_code 0 "exits 0" "true"
	test_expect_code 1 "a failing command in the middle stops the body" "false; true"
	test_expect_code 2 "wrong code fails" "(exit 1)"
	EOF
	test $trc = 1 && test $rc = 1 &&
	grep -x "ok 1 - exits 3" tap &&
	grep -x "ok 2 - exits 0" tap &&
	grep -x "ok 3 - a failing command in the middle stops the body" tap &&
	grep -x "not ok 4 - wrong code fails" tap &&
	grep -x "#   exit 1, expected 2" tap &&
	test "$(tail -n 1 run.out)" = "3 passed, 1 failed"
'

test_expect_success 'a skip is a TAP skip, counted as a skip and not as a pass' '
	fake_suite <<-\EOF &&
	test_expect_success "runs" "true"
	test_skip "cannot run" "no such tool"
	EOF
	test $trc = 0 && test $rc = 0 &&
	grep -x "ok 2 - cannot run # skip no such tool" tap &&
	grep -x "t5000-x: ok 2 - cannot run # skip no such tool" run.out &&
	test "$(tail -n 1 run.out)" = "1 passed, 0 failed, 1 skipped" &&
	grep -x "t5000-x: 1 passed, 0 failed, 1 skipped" run.err
'

test_expect_success 'a script that skips everything is one skip; STEG_NO_SKIP=1 fails the run' '
	fake_suite <<-\EOF &&
	test_skip_all "nothing here"
	EOF
	grep -x "1..0 # skip nothing here" tap &&
	test $rc = 1 &&
	test "$(tail -n 1 run.out)" = "0 passed, 0 failed, 1 skipped" &&
	fake_suite <<-\EOF &&
	test_expect_success "runs" "true"
	test_skip "cannot run" "no such tool"
	EOF
	test $rc = 0 &&
	rc=0 && STEG_NO_SKIP=1 sh tree/tests/run.sh > run.out 2> run.err || rc=$?
	test $rc = 1 &&
	grep -x "STEG_NO_SKIP=1: a skipped test fails the run (install what it needs: make deps)" run.out &&
	test "$(tail -n 1 run.out)" = "1 passed, 0 failed, 1 skipped"
'

test_expect_success 'a body fails at its first failing command, not only at its last' '
	fake_suite <<-\EOF &&
	test_expect_success "middle" "false
	true"
	test_expect_success "a && chain" "true && false && true"
	EOF
	test $trc = 1 && test $rc = 1 &&
	grep -x "not ok 1 - middle" tap &&
	grep -x "not ok 2 - a && chain" tap &&
	test "$(tail -n 1 run.out)" = "0 passed, 2 failed"
'

test_expect_success 'STEG_GOLDEN_UPDATE in the environment rewrites nothing' '
	fake_suite <<-\EOF &&
	test_expect_success "unset" "test -z \"\${STEG_GOLDEN_UPDATE+set}\""
	EOF
	STEG_GOLDEN_UPDATE=1 sh tree/tests/t5000-x.sh > tap &&
	grep -x "ok 1 - unset" tap &&
	cp "$SRC/tests/t0100-golden.sh" tree/tests/ &&
	cp -R "$SRC/tests/golden" tree/tests/ &&
	cp -R "$SRC/tests/golden" golden.orig &&
	printf "#!/bin/sh\necho changed\n" > fake-stegc && chmod +x fake-stegc &&
	rc=0 && STEG_GOLDEN_UPDATE=1 STEGC=$PWD/fake-stegc sh tree/tests/t0100-golden.sh > t0100.out 2>&1 || rc=$?
	test $rc = 1 &&
	grep -x "# STEG_GOLDEN_UPDATE is ignored; rewrite golden files with .sh tests/t0100-golden.sh --update." t0100.out &&
	! grep "^rewritten:" t0100.out &&
	diff -r golden.orig tree/tests/golden
'

test_expect_success 't0100 --update rewrites a differing case and reports it as not ok' '
	mkdir -p tree/tests &&
	cp "$SRC/tests/lib.sh" "$SRC/tests/t0100-golden.sh" tree/tests/ &&
	cp -R "$SRC/tests/golden" tree/tests/ &&
	name=$(ls tree/tests/golden/cases/*.expected | head -n 1) &&
	echo stale > "$name" &&
	rc=0 && sh tree/tests/t0100-golden.sh --update > out 2>&1 || rc=$?
	test $rc = 1 &&
	test "$(grep -c "^not ok" out)" = 1 &&
	grep -x "#   rewritten: .*/$(basename "$name")" out &&
	cmp "$name" "$SRC/tests/golden/cases/$(basename "$name")" &&
	sh tree/tests/t0100-golden.sh > out 2>&1
'

test_expect_success 'run.sh takes several patterns, runs each script once, and refuses a pattern that names none' '
	fake_suite <<-\EOF &&
	test_expect_success "five thousand" "true"
	EOF
	printf "%s\n" ". \"\$(dirname \"\$0\")/lib.sh\"" "test_expect_success six \"true\"" test_done > tree/tests/t6000-y.sh &&
	sh tree/tests/run.sh "t5*.sh" "t6000-*.sh" "t5000-x.sh" > run.out 2> run.err &&
	test "$(tail -n 1 run.out)" = "2 passed, 0 failed" &&
	test "$(grep -c "^t5000-x: " run.err)" = 1 &&
	rc=0 && sh tree/tests/run.sh "t5*.sh" "t7*.sh" > run.out 2> run.err || rc=$?
	test $rc = 3 &&
	grep -x "tests/run.sh: no test script matches .tests/t7\*\.sh." run.err &&
	test ! -s run.out
'

test_done
