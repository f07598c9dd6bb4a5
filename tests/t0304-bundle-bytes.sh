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

test_done
