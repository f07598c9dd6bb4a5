#!/bin/sh
# tests/fuzz/run.sh — the body of `make fuzz` (docs/fuzzing.md): link
# every tests/fuzz/*_fuzz.c (or those named in FUZZ, comma- or
# space-separated: FUZZ=yaml,sign) with libFuzzer against the clang,
# ASan+UBSan objects in build-fuzz/, write its seed corpus
# (tests/fuzz/seeds.sh) and fuzz it for FUZZ_SECONDS (default 60).
#
#   build-fuzz/bin/NAME_fuzz        the fuzzer (run it by hand for more)
#   build-fuzz/seeds/NAME/          seeds, written afresh each run
#   build-fuzz/corpus/NAME/         the corpus libFuzzer grows; kept
#   build-fuzz/crashes/NAME-*       what failed (crash-, leak-, timeout-)
#   build-fuzz/logs/NAME.log        libFuzzer's output
#
# Prints one line per harness: runs, executions, corpus, and "ok" or the
# artifact; exits 1 when any harness failed.  FUZZ_JOBS (default 1) runs
# that many fuzzers at once; they run under nice.
cd "$(dirname "$0")/../.." || exit 2
: "${STEG_BUILD:=build}" "${FUZZ_SECONDS:=60}" "${FUZZ_JOBS:=1}"
FB=build-fuzz
PKGS="yaml-0.1 libxml-2.0 libzip zlib libsodium libcrypto jansson libcmark sqlite3 libcurl libmicrohttpd"
names=$(echo "${FUZZ:-}" | tr ',' ' ')
[ -n "$names" ] || names=$(ls tests/fuzz/*_fuzz.c | sed 's|.*/||; s|_fuzz\.c$||')
mkdir -p "$FB/bin" "$FB/seeds" "$FB/corpus" "$FB/crashes" "$FB/logs"

# The compiler's and the runtime's objects without their main(), for the
# harnesses that load sources (markdown, form, answers, fhir) and channel.
rm -f "$FB/libsc.a" "$FB/librt.a"
ar rcs "$FB/libsc.a" $(ls "$FB"/compiler/*.o | grep -v '/main\.o$\|/preview_main\.o$')
ar rcs "$FB/librt.a" $(ls "$FB"/runtime/*.o | grep -v '/main\.o$\|/bundle_main\.o$')

for n in $names; do
	[ -f "tests/fuzz/${n}_fuzz.c" ] || { echo "no harness tests/fuzz/${n}_fuzz.c" >&2; exit 2; }
	echo "  FUZZCC  ${n}_fuzz"
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
		-DSTEG_VERSION='"fuzz"' -DSTEG_FUZZ_SRC="\"$PWD\"" \
		-iquote core -iquote compiler -iquote runtime -iquote "$FB/gen" \
		$(pkg-config --cflags $PKGS) "tests/fuzz/${n}_fuzz.c" \
		"$FB/libsc.a" "$FB/librt.a" "$FB/libstegcore.a" $(pkg-config --libs $PKGS) -lmagic -lm \
		-o "$FB/bin/${n}_fuzz" || exit 2
	rm -rf "$FB/seeds/$n"
	STEGC="$PWD/$STEG_BUILD/stegc" sh tests/fuzz/seeds.sh "$n" "$FB/seeds/$n" || exit 2
done

max_len() {
	case $1 in
	expr|sign) echo 4096 ;;
	answers|form|yaml|markdown|manifest) echo 16384 ;;
	*) echo 65536 ;;
	esac
}

fuzz_one() {
	n=$1
	mkdir -p "$FB/corpus/$n"
	dict=""
	[ -f "tests/fuzz/$n.dict" ] && dict="-dict=tests/fuzz/$n.dict"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	nice -n 10 "$FB/bin/${n}_fuzz" -max_total_time="$FUZZ_SECONDS" \
		-timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$n")" \
		-print_final_stats=1 -artifact_prefix="$FB/crashes/$n-" $dict \
		"$FB/corpus/$n" "$FB/seeds/$n" > "$FB/logs/$n.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$FB/logs/$n.log")
	cov=$(grep -E '^#[0-9]+.*(DONE|INITED)' "$FB/logs/$n.log" | tail -1 |
		sed -E 's/.*(cov: [0-9]+).*(corp: [0-9]+\/[^ ]+).*/\1 \2/')
	if [ "$rc" = 0 ]; then
		echo "$n: ${FUZZ_SECONDS}s, ${execs:-?} executions, $cov: ok"
	else
		art=$(sed -n 's/.*Test unit written to //p' "$FB/logs/$n.log" | tail -1)
		echo "$n: FAILED after ${execs:-?} executions (exit $rc): ${art:-see $FB/logs/$n.log}"
		grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$FB/logs/$n.log"
	fi
	return $rc
}

failed=0 running=0
results=$FB/logs/results.$$
: > "$results"
for n in $names; do
	( fuzz_one "$n" >> "$results" || echo fail >> "$results.f" ) &
	running=$((running + 1))
	if [ "$running" -ge "$FUZZ_JOBS" ]; then
		wait
		running=0
	fi
done
wait
cat "$results"
[ -f "$results.f" ] && failed=1
rm -f "$results" "$results.f"
exit $failed
