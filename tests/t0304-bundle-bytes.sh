#!/bin/sh
# t0304-bundle-bytes: the bytes of a bundle do not change with the
# compiler's speed work.  The SHA-256 of the three examples' bundles and
# of bench/gen.py's 10-, 100- and 1,000-module programs, built at
# SOURCE_DATE_EPOCH=1700000000, are those recorded before issue 14's work
# (docs/benchmarks.md).  A change of format must bump the bundle's
# version and say so in docs/bundle-format.md; then these are recorded
# anew.  The deflated bytes are zlib's: recorded with Debian 12's zlib
# 1.2.13, which tests/run.sh's machines have (a zlib that deflates
# differently fails here, and says which bundle).
#
# Since issue 14 stegc deflates the pages itself, on every core, and lays
# the zip out itself (core/deflate.c, core/zipw.c) instead of libzip: the
# levels that set other general-purpose flags (1 and 9) and one thread
# (STEG_JOBS=1, the pages deflated one by one; 3 threads give the same
# bytes) are pinned too, to the bytes libzip wrote (recorded with stegc at
# bb8c538).
. "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1700000000

cat > "$TRASH_ROOT/want" <<'SUMS'
cbee1955b0e631b0a3d5941b7f186d633d6ad206654c28b7af66cba7003f1421  ex-depression.steg
a05ebbfeba071e696e34e909e283fd3aefd3699c9e340dfd08c9df23de4e17ab  ex-insomnia.steg
0fdf1a8e20a5e98ebd2b73004a9cd0180710aac06aa9c00b05648952f1b246e1  ex-tobacco.steg
9131633a00631d4a73da0ae7d3e3024f7ad95be1159f2654aae8ac34c322b32e  p10.steg
3b7795f10bcd7f72b4bcccd3a017e6d8ee19831f592379acd7d0c49a7e937bf7  p100.steg
787959ec4fa4af7d64577a1cb8c2bb87bb3e6041fc291eeb16873e72275c6f76  p1000.steg
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
56fafa15e450b7511e2a06ca2d34847aaee60c88c0618cceaf453a5f5bfe8b06  ex-depression-1.steg
ca0b1b9e6188c6cfafa3047707c76ae53992b633739ed24de6889fe32a640dec  ex-depression-9.steg
1c04a9687b14b2fb9c4cbffe7613280486a510630afc5e963ff8c38db87c9c4f  p100-1.steg
861071297f6ef9f3db1a67b97c345223f5f5cac113909409a2721e00eec485d6  p100-9.steg
SUMS

test_expect_success 'levels 1 and 9, and one worker, build to the bytes libzip wrote' '
	python3 "$SRC/bench/gen.py" p100 100 > /dev/null &&
	for l in 1 9; do
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
