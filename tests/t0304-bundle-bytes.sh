#!/bin/sh
# t0304-bundle-bytes: the bytes of a bundle do not change with the
# compiler's speed work.  The SHA-256 of the three examples' bundles and
# of bench/gen.py's 10-, 100- and 1,000-module programs, built at
# SOURCE_DATE_EPOCH=1700000000, are pinned.  A change of the bytes must
# come with a new compiler version, which the manifest and program.xml
# name, and say so in docs/bundle-format.md; then these are recorded
# anew.  The deflated bytes are zlib's: recorded with Debian 12's zlib
# 1.2.13, which tests/run.sh's machines have (a zlib that deflates
# differently fails here, and says which bundle).
#
# Since issue 14 stegc deflates the pages itself, on every core, and lays
# the zip out itself (core/deflate.c, core/zipw.c) instead of libzip.
# stegc 0.1.0's pins were the bytes libzip wrote (recorded with stegc at
# bb8c538), at levels 6 (then the default), 1 and 9, on one thread and
# on several.  stegc 0.2.0 deflates at level 1 by default
# (docs/bundle-format.md, "Reproducible builds"); its pins below were
# recorded at 0.2.0, after checking that each 0.2.0 bundle differs from
# 0.1.0's at the same level only in the two documents that name the
# compiler (program.xml, "stegc 0.2.0", and the manifest, which also
# lists program.xml's SHA-256): every other entry's compressed bytes,
# names, order and header fields are identical.  Levels 6 and 9 and one
# thread (STEG_JOBS=1, the pages deflated one by one; 3 threads give the
# same bytes) are pinned too.
. "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1700000000

cat > "$TRASH_ROOT/want" <<'SUMS'
769318316babd45cab1d40aaded7acaf1ca772a0adc96a6307d44b67483d86ff  ex-depression.steg
bd18c5107af026ba759b7114326a1ddd97ef4055a54b02c84808204e48f3e9da  ex-insomnia.steg
fbd405a39910307b0dd2e319f00ff990b3f25e45fff61f983f1306c8cc2a5a56  ex-tobacco.steg
0dad48e88630c917e5dfae555b80bfb6a848c39d2f24703b8a4e7ed5a013e8c0  p10.steg
b3bdb4c74e44dafb7a6eb552b182bf137363616d2f01ee5d6d96f4e240393507  p100.steg
3cde34a21d15df01308b50d0e878a73a609694d7f037e1478aec41b067a3f950  p1000.steg
SUMS

test_expect_success 'the examples and the benchmark programs build to the recorded bytes' '
	for e in depression insomnia tobacco; do
		"$STEGC" build -q -o ex-$e.steg "$EX/$e"
	done &&
	for n in 10 100 1000; do
		python3 "$SRC/bench/gen.py" p$n $n > /dev/null &&
		"$STEGC" build -q -o p$n.steg p$n
	done &&
	sha256sum ex-*.steg p*.steg > got &&
	test_cmp "$TRASH_ROOT/want" got
'

# A release build does not validate its own manifest.xml and program.xml
# (the self-check is lib.sh's STEG_SELF_CHECK=1 above; docs/bundle-format.md,
# "The self-check"): the same bytes without it, and an independent
# validator, xmllint, accepts both documents of every one of these bundles.
test_expect_success 'without the self-check: the same bytes, and xmllint accepts manifest.xml and program.xml' '
	for e in depression insomnia tobacco; do
		STEG_SELF_CHECK=0 "$STEGC" build -q -o ex-$e.steg "$EX/$e" || return 1
	done &&
	for n in 10 100 1000; do
		python3 "$SRC/bench/gen.py" p$n $n > /dev/null &&
		STEG_SELF_CHECK=0 "$STEGC" build -q -o p$n.steg p$n || return 1
	done &&
	sha256sum ex-*.steg p*.steg > got &&
	test_cmp "$TRASH_ROOT/want" got &&
	for b in ex-*.steg p*.steg; do
		mkdir x-$b && (cd x-$b && unzip -q ../$b manifest.xml program.xml) &&
		xmllint --noout --nonet --schema "$SRC/schemas/manifest.xsd" \
			x-$b/manifest.xml 2>> lint &&
		xmllint --noout --nonet --schema "$SRC/schemas/program.xsd" \
			x-$b/program.xml 2>> lint || return 1
	done &&
	test "$(grep -c " validates\$" lint)" = 12
'

cat > "$TRASH_ROOT/want-levels" <<'SUMS'
2ea938067fdc8eba84c1c6cb8d45132bf3af265d9cd14bd607327e07a3fa3486  ex-depression-6.steg
f3625a0ebe57e9f26d87078cb158b05f555e58ca17094d095f1ff7992520c421  ex-depression-9.steg
5867666ebec91d49f6a19d07faced72ae89b9d27cc444164f2c8a4638d90b93c  p100-6.steg
51be7cbe78431dbcbbaaec63c787c3046201e30840c6cc70ff57eb33f36dbec1  p100-9.steg
SUMS

test_expect_success 'levels 6 and 9, and one worker, build to the recorded bytes' '
	python3 "$SRC/bench/gen.py" p100 100 > /dev/null &&
	for l in 6 9; do
		"$STEGC" build -q --level $l -o ex-depression-$l.steg "$EX/depression" &&
		"$STEGC" build -q --level $l -o p100-$l.steg p100 || return 1
	done &&
	sha256sum ex-depression-?.steg p100-?.steg > got-levels &&
	test_cmp "$TRASH_ROOT/want-levels" got-levels &&
	STEG_JOBS=1 "$STEGC" build -q -o p100-one.steg p100 &&
	sha256sum p100-one.steg | sed "s/-one//" > got-one &&
	grep " p100.steg\$" "$TRASH_ROOT/want" | test_cmp - got-one &&
	STEG_JOBS=3 "$STEGC" build -q -o p100-three.steg p100 &&
	cmp p100-one.steg p100-three.steg
'

test_done
