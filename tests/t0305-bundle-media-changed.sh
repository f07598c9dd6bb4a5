#!/bin/sh
# t0305-bundle-media-changed: a media file that changes between the moment
# `stegc build` hashes it for the manifest and the moment it goes into the
# zip fails the build (exit 1, bundle-source-changed) and leaves nothing
# behind; entry times are SOURCE_DATE_EPOCH in UTC whatever TZ says.
#
# The change is made by tests/tools/reopen-shim.c, an LD_PRELOAD library
# that counts the opens of one file and changes it just before the N-th:
# deterministic, no timing.  A first build counts the opens of the media
# file (N); the last one is the write's, the one before it the hash's.
. "$(dirname "$0")/lib.sh"
BASE=$SRC/tests/golden/base
export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"
SHIM=$TRASH_ROOT/reopen-shim.so
${CC:-cc} -shared -fPIC -o "$SHIM" "$SRC/tests/tools/reopen-shim.c" -ldl ||
	echo "Bail out! cannot build the shim"
(cd "$TRASH_ROOT" && "$STEGC" keygen -o k --unencrypted >/dev/null) ||
	echo "Bail out! keygen failed"
K=$TRASH_ROOT/k
NOW=$(date +%s)
SIGNED_SDE=$((NOW - NOW % 86400))

# shim AT DO CMD...: run CMD with the shim on prog/media/te.png; the number
# of opens goes to ./opens.
shim() {
	at=$1 what=$2; shift 2
	REOPEN_SHIM_FILE=prog/media/te.png REOPEN_SHIM_COUNT=opens \
	REOPEN_SHIM_AT=$at REOPEN_SHIM_DO=$what LD_PRELOAD=$SHIM "$@"
}

cat > "$TRASH_ROOT/expect-changed" <<-EOF
prog/media/te.png: error: the file changed while the bundle was being written (its bytes are no longer those the manifest lists for 'media/te.png'); nothing was written: build again once it stays the same [bundle-source-changed]
1 error generated
EOF

test_expect_success 'the shim counts the opens of the media file (hash, write)' '
	cp -R "$BASE" prog &&
	shim 0 flip "$STEGC" build -q -o x.steg prog &&
	test "$(cat opens)" -ge 2 && cmp prog/media/te.png "$BASE/media/te.png"
'

for what in flip grow shrink fifo; do
	test_expect_success "changed between hash and write ($what): exit 1, the old bundle stays, no stray file" '
		cp -R "$BASE" prog &&
		shim 0 flip "$STEGC" build -q -o x.steg prog && n=$(cat opens) &&
		cp x.steg keep.steg &&
		sed -i "s/^version: 1.0.0/version: 1.0.1/" prog/program.yaml &&
		run actual shim $n '"$what"' "$STEGC" build -o x.steg prog &&
		test "$rc" = 1 && test_cmp "$TRASH_ROOT/expect-changed" actual &&
		{ test -p prog/media/te.png || ! cmp -s prog/media/te.png "$BASE/media/te.png"; } &&
		cmp x.steg keep.steg &&
		ls > actual && printf "actual\nkeep.steg\nopens\nprog\nx.steg\n" > expect &&
		test_cmp expect actual
	'
done

test_expect_success 'changed between hash and write, no bundle before: none after' '
	cp -R "$BASE" prog &&
	shim 0 flip "$STEGC" build -q -o x.steg prog && n=$(cat opens) && rm x.steg &&
	run actual shim $n flip "$STEGC" build -q -o x.steg prog &&
	test "$rc" = 1 && test_cmp "$TRASH_ROOT/expect-changed" actual &&
	ls > actual && printf "actual\nopens\nprog\n" > expect && test_cmp expect actual
'

test_expect_success 'a named pipe by the time of the hash: refused, not waited on' '
	cp -R "$BASE" prog &&
	shim 0 flip "$STEGC" build -q -o x.steg prog && n=$(cat opens) && rm x.steg &&
	run actual shim $((n - 1)) fifo "$STEGC" build -q -o x.steg prog &&
	test "$rc" = 3 && test -p prog/media/te.png &&
	grep -q "^prog/media/te.png: error: cannot read .prog/media/te.png.: not a regular file \[bundle-write\]" actual &&
	! test -e x.steg
'

# (grow, not flip: the first open is now the loader's media sniff, and a
# PNG with its first byte flipped is rightly refused as not a PNG.)
test_expect_success 'changed before the hash: the bundle holds the new bytes and verifies' '
	cp -R "$BASE" prog &&
	shim 1 grow "$STEGC" build -q -o x.steg prog &&
	! cmp -s prog/media/te.png "$BASE/media/te.png" &&
	unzip -p x.steg media/te.png > got && cmp got prog/media/te.png &&
	"$STEGC" verify x.steg
'

test_expect_success 'build --sign: changed between the signed manifest and the write' '
	cp -R "$BASE" prog &&
	export SOURCE_DATE_EPOCH=$SIGNED_SDE &&
	shim 0 flip "$STEGC" build -q --sign "$K.key" --unencrypted -o x.steg prog &&
	n=$(cat opens) && test "$n" -ge 3 && rm x.steg &&
	run actual shim $((n - 1)) flip "$STEGC" build -q --sign "$K.key" --unencrypted -o x.steg prog &&
	test "$rc" = 1 &&
	cat > expect <<-EOF &&
	x.steg: error: a media file changed while the bundle was being signed: the manifest is no longer the one the signature covers; nothing was written, build again when the files stay the same [bundle-source-changed]
	1 error generated
	EOF
	test_cmp expect actual &&
	cp "$BASE/media/te.png" prog/media/te.png &&
	run actual shim $n grow "$STEGC" build -q --sign "$K.key" --unencrypted -o x.steg prog &&
	test "$rc" = 1 && test_cmp "$TRASH_ROOT/expect-changed" actual &&
	ls > actual && printf "actual\nexpect\nopens\nprog\n" > expect && test_cmp expect actual
'

test_expect_success 'entry times are SOURCE_DATE_EPOCH in UTC whatever TZ is' '
	export SOURCE_DATE_EPOCH=1711852200 &&
	TZ=UTC "$STEGC" build -q -o utc.steg "$BASE" &&
	TZ=Europe/Stockholm "$STEGC" build -q -o sthlm.steg "$BASE" &&
	TZ=America/New_York "$STEGC" build -q --level 9 -o ny.steg "$BASE" &&
	TZ=UTC "$STEGC" build -q --level 9 -o ny-utc.steg "$BASE" &&
	cmp utc.steg sthlm.steg && cmp ny.steg ny-utc.steg &&
	TZ=UTC zipinfo -T utc.steg | sed -n "3,\$p" | grep -v "files," |
		awk "{print \$7}" | sort -u > actual &&
	echo 20240331.023000 > expect && test_cmp expect actual
'

test_expect_success 'stegc sign keeps every entry time whatever TZ is' '
	export SOURCE_DATE_EPOCH=$SIGNED_SDE &&
	TZ=UTC "$STEGC" build -q -o a.steg "$BASE" && cp a.steg b.steg &&
	TZ=UTC "$STEGC" sign a.steg --key "$K.key" --unencrypted &&
	TZ=Europe/Stockholm "$STEGC" sign b.steg --key "$K.key" --unencrypted &&
	cmp a.steg b.steg &&
	TZ=UTC zipinfo -T a.steg | sed -n "3,\$p" | grep -v "files," |
		awk "{print \$7}" | sort -u > actual &&
	TZ=UTC date -d @$SIGNED_SDE +%Y%m%d.%H%M%S > expect && test_cmp expect actual &&
	ls > actual && printf "a.steg\nactual\nb.steg\nexpect\n" > expect && test_cmp expect actual
'

test_done
