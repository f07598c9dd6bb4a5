#!/bin/sh
# The whole path on the examples: build each example program into a signed
# bundle, create a demo registry for a region with two care units, import,
# approve, publish to both units, activate at one, and show what each unit
# has and the audit log.  Everything goes into build/demo/.
set -eu
B=${STEG_BUILD:-build}
STEGC=$PWD/$B/stegc
STEG=$PWD/$B/steg
W=$PWD/$B/demo
rm -rf "$W"
mkdir -p "$W"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}
export STEG_DEMO_PASS=demo-lösenord
REGION=SE2321000099-0001
ADMIN=SE2321000099-A001
PUB=SE2321000099-P001
DOC=SE2321000099-K001
UNIT1=SE2321000099-E001
UNIT2=SE2321000099-E002

say() { printf '\n== %s\n' "$*"; }

say "a signing key for the region (passphrase from \$STEG_DEMO_PASS)"
"$STEGC" keygen -o "$W/region" --passphrase-env STEG_DEMO_PASS

for ex in examples/*/; do
	name=$(basename "$ex")
	say "stegc build $ex"
	"$STEGC" build "$ex" -o "$W/$name.steg" --sign "$W/region.key" \
		--passphrase-env STEG_DEMO_PASS --expires 3650
	"$STEGC" verify --pubkey "$W/region.pub" "$W/$name.steg"
done
say "what is inside the depression program"
"$STEGC" inspect "$W/depression.steg" | head -n 40

export STEG_DB="$W/region.db"
say "a registry for Region Exempel, two care units, a publisher, a clinician"
"$STEG" init --region $REGION --name "Region Exempel" --admin $ADMIN \
	--admin-name "Anna Admin" --key "$W/region.pub"
"$STEG" unit add $UNIT1 --name "Vårdcentralen Norr" --as $ADMIN
"$STEG" unit add $UNIT2 --name "Vårdcentralen Söder" --as $ADMIN
"$STEG" user add $PUB --name "Per Utgivare" --role publisher --as $ADMIN
"$STEG" user add $DOC --name "Karin Behandlare" --role clinician --unit $UNIT1 --as $ADMIN

for ex in examples/*/; do
	name=$(basename "$ex")
	say "import, approve and publish $name to both units"
	"$STEG" import "$W/$name.steg" --as $PUB
	idv=$("$STEGC" inspect --json "$W/$name.steg" | python3 -c \
		'import json,sys; d=json.load(sys.stdin); print(d["id"]+"@"+d["version"])')
	"$STEG" approve "$idv" --as $PUB
	"$STEG" publish "$idv" --unit $UNIT1 --as $PUB
	"$STEG" publish "$idv" --unit $UNIT2 --as $PUB
	[ "$name" = depression ] && dep=$idv
done

say "the clinician activates the depression program at Vårdcentralen Norr"
"$STEG" activate "$dep" --unit $UNIT1 --as $DOC

say "what Vårdcentralen Norr ($UNIT1) has"
"$STEG" list --unit $UNIT1
say "what Vårdcentralen Söder ($UNIT2) has"
"$STEG" list --unit $UNIT2
say "where the depression program runs"
"$STEG" show "$dep"

say "a new version that changes PHQ-9's bands needs a new major version"
cp -R examples/depression "$W/depression-src"
sed -i 's/^version: 1.0.0$/version: 1.1.0/' "$W/depression-src/program.yaml"
python3 - "$W/depression-src/forms/phq9.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("        to: 4\n", "        to: 5\n", 1).replace("      - from: 5\n", "      - from: 6\n", 1)
open(p, "w", encoding="utf-8").write(s)
PY
if "$STEGC" build "$W/depression-src" -o "$W/depression-1.1.0.steg" \
	--previous "$W/depression.steg"; then
	echo "demo: expected the build of 1.1.0 to be refused" >&2
	exit 1
fi
echo "(refused, as it should be: scores would no longer be comparable)"
sed -i 's/^version: 1.1.0$/version: 2.0.0/' "$W/depression-src/program.yaml"
"$STEGC" build "$W/depression-src" -o "$W/depression-2.0.0.steg" \
	--previous "$W/depression.steg" --sign "$W/region.key" \
	--passphrase-env STEG_DEMO_PASS --expires 3650
"$STEGC" diff "$W/depression.steg" "$W/depression-2.0.0.steg" || true

say "2.0.0 is imported and published; Vårdcentralen Norr keeps running 1.0.0 until it activates 2.0.0"
dep2=${dep%@*}@2.0.0
"$STEG" import "$W/depression-2.0.0.steg" --as $PUB
"$STEG" approve "$dep2" --as $PUB
"$STEG" publish "$dep2" --unit $UNIT1 --as $PUB
"$STEG" list --unit $UNIT1

say "scoring answers with the registry's 1.0.0 (item 9 answered: an urgent alert)"
printf '{"q1":2,"q2":2,"q3":1,"q4":2,"q5":1,"q6":1,"q7":1,"q8":0,"q9":1}\n' > "$W/answers.json"
"$STEG" score "$dep" phq9 --answers "$W/answers.json"

say "the audit log, and its hash chain"
"$STEG" audit
"$STEG" audit --check
say "certificates for steg serve: a demo CA, the server, one per user (scripts/demo-certs.sh)"
# Beside the registry's folder, not in it: a rerun of the demo keeps the
# CA and the certificates already loaded into a browser.
C=$PWD/$B/demo-certs
sh scripts/demo-certs.sh "$C" "$ADMIN=Anna Admin" "$PUB=Per Utgivare" \
	"$DOC=Karin Behandlare"
say "demo done: bundles and the registry are in $W, certificates in $C"
cat <<EOF

The registry on the web (docs/serve.md):

  $STEG --db $W/region.db serve --port 8443 \\
      --cert $C/server.pem --key $C/server.key \\
      --client-ca $C/ca.pem --crl $C/crl.pem

then open https://localhost:8443/ in a browser that has one user's
certificate and trusts the demo CA:

  Karin Behandlare, clinician at Vårdcentralen Norr: $C/$DOC.p12
  Per Utgivare, publisher:                          $C/$PUB.p12
  Anna Admin, administrator:                        $C/$ADMIN.p12
  password of each .p12 file: $(cat "$C/p12-password.txt")
  the CA to trust for web sites:                    $C/ca.pem

Chromium (Linux: its NSS database; close it first):
  certutil -d sql:\$HOME/.pki/nssdb -A -n steg-demo-ca -t C,, -i $C/ca.pem
  pk12util -d sql:\$HOME/.pki/nssdb -i $C/$DOC.p12 -W $(cat "$C/p12-password.txt")
Firefox: Settings, Privacy & Security, View Certificates: Authorities,
Import ca.pem (trust for websites); Your Certificates, Import the .p12.
EOF
