#!/bin/sh
# t0881-serve-cli-agree: the command line and the web are one set of
# rules.  Two copies of one registry; every state change (approve,
# publish, activate, a second version replacing the first, deactivate,
# unpublish, retire, user add and deactivate, import, and the same again
# where nothing changes) is done with `steg ... --as WHO` on one and with
# WHO's client certificate through steg serve's JSON API on the other
# (tests/tools/serve_agree.py); each answers alike, and at the end both
# registries hold the same rows and the same audit rows in the same order.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"
. "$SRC/tests/serve-lib.sh"
command -v openssl > /dev/null 2>&1 || test_skip_all "openssl is not installed"
[ -x "$(dirname "$STEG")/steg-serve" ] || test_skip_all "no steg-serve beside $STEG"
W=$TRASH_ROOT/w
mkdir -p "$W" && cd "$W" || exit 1
export STEG_DB=$W/steg.db
make_bundles && make_certs && setup_imported &&
"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
rm -rf src3 && cp -R "$SRC/tests/golden/base" src3 &&
sed -i 's/^version: 1.0.0$/version: 1.2.0/' src3/program.yaml &&
"$STEGC" build -q src3 -o base3.steg &&
cp steg.db cli.db && cp steg.db web.db ||
	{ echo "Bail out! setup failed"; exit 1; }

V3=se.test.bas@1.2.0
NEW=SE2321000016-C050
cases="[
 [\"$PUB\", \"approve\", \"se.test.bas@1.1.0\", null],
 [\"$PUB\", \"approve\", \"se.test.bas@1.1.0\", null],
 [\"$PUB\", \"publish\", \"se.test.bas@1.1.0\", \"$U1\"],
 [\"$CLIN1\", \"activate\", \"$V1\", \"$U1\"],
 [\"$CLIN1\", \"activate\", \"$V1\", \"$U1\"],
 [\"$CLIN1\", \"activate\", \"se.test.bas@1.1.0\", \"$U1\"],
 [\"$CLIN1\", \"deactivate\", \"se.test.bas@1.1.0\", \"$U1\"],
 [\"$CLIN1\", \"deactivate\", \"se.test.bas@1.1.0\", \"$U1\"],
 [\"$PUB\", \"unpublish\", \"$V1\", \"$U1\"],
 [\"$PUB\", \"unpublish\", \"$V1\", \"$U1\"],
 [\"$PUB\", \"retire\", \"$V1\", null],
 [\"$ADMIN\", \"retire\", \"$V1\", null],
 [\"$ADMIN\", \"user-add\", \"$NEW\", [\"Nils Ny\", \"clinician\", \"$U1\"]],
 [\"$ADMIN\", \"user-deactivate\", \"$NEW\", null],
 [\"$ADMIN\", \"user-deactivate\", \"$NEW\", null],
 [\"$PUB\", \"import\", \"$W/base3.steg\", null],
 [\"$PUB\", \"import\", \"$W/base3.steg\", null],
 [\"$PUB\", \"approve\", \"$V3\", null]
]"
python3 "$SRC/tests/tools/serve_agree.py" "$STEG" "$W/cli.db" "$W/web.db" "$CERTS" "$cases"
