# tests/lib.sh — sourced by every tests/tNNNN-*.sh.  TAP output in the
# manner of git's t/test-lib.sh:
#
#   test_expect_success 'what it shows' '
#       commands; test_cmp expect actual
#   '
#   test_done
#
# Each test body runs in a subshell inside a fresh scratch folder
# ($TRASH); $STEGC and $STEG are the binaries under test (the sanitizer
# build under `make check`), $SRC the project root, $EX the examples.
#
# A test that cannot run here is skipped, never passed: `test_skip_all
# REASON` (before any test) or `test_skip 'what' REASON` print TAP skips
# ("ok N - what # skip REASON"), which tests/run.sh counts as skipped.
# docs/testing.md describes the suite.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
: "${STEG_BUILD:=build}"
: "${STEGC:=$SRC/$STEG_BUILD/stegc}"
: "${STEG:=$SRC/$STEG_BUILD/steg}"
EX=$SRC/examples
export SRC EX STEGC STEG
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
# Every bundle a test builds is validated by stegc itself against the
# schemas before it goes into place (stegc build --self-check; a release
# build leaves that to the readers: docs/bundle-format.md, "The
# self-check").  t0304 builds without it too and compares the bytes.
export STEG_SELF_CHECK=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
unset STEG_DB
# Messages in English whatever the caller's locale (the golden files are
# English); tests of Swedish set LANG or LC_ALL for their own commands
# (core/i18n.h, docs/diagnostics.md).
unset LANGUAGE STEG_LOCALEDIR
export LC_MESSAGES=C
if [ -n "${LC_ALL:-}" ]; then export LC_ALL=C; fi
# Nothing in the environment may turn a comparison into a rewrite: golden
# files are rewritten only by `sh tests/t0100-golden.sh --update`.
if [ -n "${STEG_GOLDEN_UPDATE:-}" ]; then
	echo "# STEG_GOLDEN_UPDATE is ignored; rewrite golden files with 'sh tests/t0100-golden.sh --update'"
fi
unset STEG_GOLDEN_UPDATE
TEST_NAME=$(basename "$0" .sh)
TRASH_ROOT=${TMPDIR:-/tmp}/steg-test.$TEST_NAME.$$
rm -rf "$TRASH_ROOT"; mkdir -p "$TRASH_ROOT"
# stegc check keeps a cache of findings (docs/cli.md): one per script,
# never the user's.
export XDG_CACHE_HOME="$TRASH_ROOT/.cache"
trap 'rm -rf "$TRASH_ROOT"' EXIT
test_count=0
test_failed=0

test_expect_success() {
	test_count=$((test_count + 1))
	TRASH=$TRASH_ROOT/$test_count
	mkdir -p "$TRASH"
	# Not inside an "if": there the shell ignores set -e, and a failing
	# command in the middle of a body would go unnoticed.
	(cd "$TRASH" && set -e && eval "$2") > "$TRASH_ROOT/log.$test_count" 2>&1
	body_rc=$?
	if [ "$body_rc" = 0 ]; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$TRASH_ROOT/log.$test_count" | head -n 60
	fi
}

# test_expect_code CODE 'what' 'commands': the commands run under set -e
# like any test body, and the body must exit CODE: the last command's
# code, or that of an earlier one that failed (which then stops it).
test_expect_code() {
	test_expect_success "$2" "set +e; ( set -e; $3
); rc=\$?; set -e; test \$rc = $1 || { echo \"exit \$rc, expected $1\"; false; }"
}

# test_skip 'what' REASON: a test that cannot run here, reported as a TAP
# skip and counted as one by tests/run.sh (never as a pass).
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # skip $2"
}

# test_skip_all REASON: none of this script's tests can run here.
test_skip_all() {
	echo "1..0 # skip $1"
	trap - EXIT; rm -rf "$TRASH_ROOT"
	exit 0
}

test_cmp() {
	diff -u "$1" "$2"
}

# Run a command, capture stdout+stderr into a file and its exit code into $rc
# without tripping set -e.
run() {
	out=$1; shift
	rc=0
	"$@" > "$out" 2>&1 || rc=$?
}

# registry_tool NAME: build tests/tools/NAME.c against the runtime's data
# layer (build/runtime/{registry,db,db_schema,why}.o and libstegcore.a, with
# the sanitizers of a sanitizer build) into $TRASH_ROOT/NAME, or skip the
# script when the build has not been made, or bail out when it does not
# compile.  Its TAP lines are the script's.  Further arguments are more
# objects of the build to link (runtime/serve/words.o).
registry_tool() {
	_b=$SRC/$STEG_BUILD
	_t=$1
	shift
	_more=
	for _o in runtime/registry runtime/db runtime/db_schema runtime/why "$@"; do
		_o=${_o%.o}
		[ -f "$_b/$_o.o" ] || test_skip_all "no $_b/$_o.o (make first)"
		case $_o in runtime/registry|runtime/db|runtime/db_schema|runtime/why) ;;
		*) _more="$_more $_b/$_o.o" ;;
		esac
	done
	_san=
	case "$STEG_BUILD" in *san*) _san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
	# shellcheck disable=SC2046,SC2086
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $_san \
		-Wall -Wextra -Werror -I"$SRC/core" -I"$SRC/runtime" \
		"$SRC/tests/tools/$_t.c" "$_b/runtime/registry.o" "$_b/runtime/db.o" \
		"$_b/runtime/db_schema.o" "$_b/runtime/why.o" $_more "$_b/libstegcore.a" \
		$(pkg-config --libs sqlite3 yaml-0.1 libxml-2.0 libzip libsodium libcrypto jansson) \
		-lmagic -lm -lpthread -o "$TRASH_ROOT/$_t" 2> "$TRASH_ROOT/cc.err" ||
		{ echo "Bail out! the test tool does not build: $(cat "$TRASH_ROOT/cc.err")"; exit 1; }
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" = 0 ]
}
