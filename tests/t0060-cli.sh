#!/bin/sh
# t0060-cli: the command line both binaries share (core/opts.h,
# docs/cli.md): --opt=value and --opt value alike, usage errors that name
# the option and the command (exit 2), --help on stdout (exit 0), the
# registry named by --db alone, and findings printed at their own level.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"
q="'"
unset STEG_DB

make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

# ---- stegc -----------------------------------------------------------------

test_expect_success 'stegc: --opt=value and --opt value alike (build --sign=k.key, -o, --output=)' '
	export SOURCE_DATE_EPOCH=$SIGNED_AT &&
	"$STEGC" keygen --output=k --unencrypted > /dev/null &&
	"$STEGC" build -q "$SRC/tests/golden/base" --sign=k.key --unencrypted --expires=30 -o a.steg &&
	"$STEGC" build -q --sign k.key --unencrypted --expires 30 --output b.steg "$SRC/tests/golden/base" &&
	"$STEGC" build -q "$SRC/tests/golden/base" --output=c.steg --level=9 &&
	cmp a.steg b.steg &&
	"$STEGC" verify --pubkey=k.pub a.steg > /dev/null &&
	"$STEGC" verify -q --pubkey k.pub b.steg &&
	"$STEGC" inspect --cat=program.xml a.steg > x1 &&
	"$STEGC" inspect a.steg --cat program.xml > x2 && cmp x1 x2 &&
	cp c.steg d.steg &&
	"$STEGC" sign d.steg --key=k.key --unencrypted --expires=30 > /dev/null &&
	"$STEGC" diff --format=json c.steg d.steg > j1 &&
	"$STEGC" diff c.steg d.steg --format json > j2 && cmp j1 j2
'

test_expect_success 'stegc: unknown option: exit 2, named with its command' '
	run out "$STEGC" build --frob=1 "$SRC/tests/golden/base" && test $rc = 2 &&
	printf "%s\n" "stegc: error: unknown option ${q}--frob$q for ${q}build$q" \
		"run ${q}stegc build --help$q for its options" > want &&
	test_cmp want out &&
	run out "$STEGC" check -x "$SRC/tests/golden/base" && test $rc = 2 &&
	grep -qx "stegc: error: unknown option ${q}-x$q for ${q}check$q" out &&
	run out "$STEGC" check -Wfrob "$SRC/tests/golden/base" && test $rc = 2 &&
	grep -qx "stegc: error: unknown option ${q}-Wfrob$q; say -Werror or -Wno-CODE" out
'

test_expect_success 'stegc: a missing value, a flag given a value, a value given twice' '
	run out "$STEGC" build "$SRC/tests/golden/base" --sign && test $rc = 2 &&
	printf "%s\n" "stegc: error: ${q}--sign$q needs a value" \
		"run ${q}stegc build --help$q for its options" > want &&
	test_cmp want out &&
	run out "$STEGC" keygen --force=yes && test $rc = 2 &&
	grep -qx "stegc: error: ${q}--force$q takes no value" out &&
	run out "$STEGC" check --format json --format=text "$SRC/tests/golden/base" &&
	test $rc = 2 && grep -qx "stegc: error: ${q}--format$q given twice" out &&
	run out "$STEGC" check --format=xml "$SRC/tests/golden/base" && test $rc = 2 &&
	grep -qx "stegc: error: ${q}--format$q takes text, brief, json or sarif, not ${q}xml$q" out &&
	! test -e steg.key
'

test_expect_success 'stegc: diff takes text and json only, and says why' '
	run out "$STEGC" diff --format=sarif a.steg b.steg && test $rc = 2 &&
	grep -qx "stegc: error: ${q}--format$q is ${q}text$q or ${q}json$q for diff, not ${q}sarif$q: its output is a list of changes, and brief and sarif are forms of findings" out
'

test_expect_success 'stegc: --help and -h print the usage on stdout and exit 0' '
	for c in new check build inspect verify keygen sign diff export-fhir import-fhir; do
		"$STEGC" $c --help > out 2> err && test_cmp /dev/null err &&
		head -n 1 out | grep -q "^usage: stegc $c" &&
		"$STEGC" $c -h > out2 && test_cmp out out2 || exit 1
	done
'

test_expect_success 'stegc: --format brief prints one line per finding' '
	cp -R "$SRC/tests/golden/base" p &&
	printf "\nstray: 1\n" >> p/program.yaml &&
	run out "$STEGC" check --format=brief p && test $rc = 1 &&
	echo "p/program.yaml:$(wc -l < p/program.yaml):1: error: unknown key ${q}stray$q in program.yaml [unknown-key]" > want &&
	test_cmp want out
'

# ---- steg ------------------------------------------------------------------

# Two registries, a.db with unit U1 and b.db with unit U2, made with every
# spelling of --db and of the options.
two_registries() {
	"$STEG" --db=a.db init --region $REGION --name R --admin $ADMIN > /dev/null &&
	"$STEG" init --db b.db --region=$REGION --name=R --admin=$ADMIN > /dev/null &&
	"$STEG" unit add $U1 --db=a.db --name="Vårdcentral Norr" --as $ADMIN > /dev/null &&
	"$STEG" --db b.db unit add $U2 --name "Vårdcentral Syd" --as=$ADMIN > /dev/null
}

test_expect_success 'steg: --db=FILE and --db FILE, before or after the command, without STEG_DB' '
	two_registries &&
	! test -e steg.db &&
	"$STEG" --db a.db unit list > a.out && grep -q "^$U1" a.out &&
	! grep -q "^$U2" a.out &&
	"$STEG" unit list --db=b.db > b.out && grep -q "^$U2" b.out &&
	! grep -q "^$U1" b.out &&
	"$STEG" list --db=a.db --json > list.json && test "$(cat list.json)" = "[]"
'

test_expect_success 'steg: a --db after the command wins over the one before it' '
	two_registries &&
	"$STEG" --db a.db unit list --db=b.db > out &&
	grep -q "^$U2" out && ! grep -q "^$U1" out
'

test_expect_success 'steg: unknown option, missing value, value twice, stray argument: exit 2, named' '
	run out "$STEG" --db a.db unit list --frob=1 && test $rc = 2 &&
	printf "%s\n" "steg: error: unknown option ${q}--frob$q for ${q}unit$q" \
		"run ${q}steg unit --help$q for its options" > want &&
	test_cmp want out &&
	run out "$STEG" --db a.db user add $CLIN1 --name C --role clinician --as &&
	test $rc = 2 &&
	printf "%s\n" "steg: error: ${q}--as$q needs a value" \
		"run ${q}steg user --help$q for its options" > want &&
	test_cmp want out &&
	run out "$STEG" --db a.db unit list --json=yes && test $rc = 2 &&
	grep -qx "steg: error: ${q}--json$q takes no value" out &&
	run out "$STEG" --db a.db show x@1.0.0 --as A --as=B && test $rc = 2 &&
	grep -qx "steg: error: unknown option ${q}--as$q for ${q}show$q" out &&
	run out "$STEG" --db a.db import a.steg --as $PUB --as $PUB && test $rc = 2 &&
	grep -qx "steg: error: ${q}--as$q given twice" out &&
	run out "$STEG" --db a.db show a b && test $rc = 2 &&
	grep -qx "steg: error: unexpected argument ${q}b$q" out &&
	run out "$STEG" --db= list && test $rc = 2 &&
	grep -qx "steg: error: ${q}--db$q needs a file name" out
'

test_expect_success 'steg: --help and -h print the usage on stdout and exit 0, even among other options' '
	"$STEG" import --as X --help > out 2> err && test_cmp /dev/null err &&
	head -n 1 out | grep -q "^usage: steg import" &&
	"$STEG" trust add -h > out && head -n 1 out | grep -q "^usage: steg trust"
'

test_expect_success 'steg: after --, an argument that looks like an option is an argument' '
	run out "$STEG" --db a.db show -- --as && test $rc = 1 &&
	grep -q "^steg: error: ${q}--as$q is not a program id" out
'

test_expect_success 'steg: findings print at their level, one line each, escaped' '
	k=$(printf "o\033x") &&
	"$STEGC" keygen -o "$k" --unencrypted > /dev/null && chmod 644 "$k.key" &&
	run out "$STEG" --db none.db audit checkpoint --key "$k.key" --unencrypted -o cp.minisig &&
	test $rc = 3 &&
	printf "%s\n" \
		"steg: warning: secret key ${q}o\\x1Bx.key$q can be read or written by others (mode 0644); make it private with ${q}chmod 600 o\\x1Bx.key$q [key-permissions]" \
		"steg: error: cannot open the registry ${q}none.db$q: No such file or directory; create one with ${q}steg init$q or name it with --db" > want &&
	test_cmp want out &&
	PW=secret "$STEGC" keygen -o enc --passphrase-env PW --kdf interactive > /dev/null &&
	run out env WRONG=nope "$STEG" --db none.db share $V1 --channel ch \
		--key=enc.key --passphrase-env=WRONG --as $ADMIN &&
	test $rc = 1 &&
	echo "steg: error: wrong passphrase for secret key ${q}enc.key$q [key-passphrase]" > want &&
	test_cmp want out
'

test_done
