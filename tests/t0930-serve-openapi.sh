#!/bin/sh
# steg serve against its API description, docs/openapi.yaml
# (tests/tools/openapi_check.py): the document is OpenAPI 3.1 with valid
# schemas; every documented operation answers each role of the test
# registry with the status the document names, the documented content
# type and a body its schema accepts (jsonschema); state changes without
# the session token or from another site are refused; every /api/v1/
# route the server's sources name is documented, and nothing undocumented
# answers.  The TAP lines come from python3.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"

command -v openssl >/dev/null 2>&1 || test_skip_all 'openssl is not installed (make deps)'
python3 -c 'import yaml, jsonschema' 2>/dev/null ||
	test_skip_all 'python3-yaml and python3-jsonschema are not installed (make deps)'
[ -x "$(dirname "$STEG")/steg-serve" ] || test_skip_all "no steg-serve beside $STEG"

cd "$TRASH_ROOT" &&
make_bundles && setup_imported &&
"$STEG" publish $V1 --unit $U1 --as $PUB > /dev/null &&
sh "$SRC/scripts/demo-certs.sh" certs "$CLIN1=Cilla Behandlare" "$CLIN2=Clas Behandlare" \
	"$PUB=Pia Utgivare" "$ADMIN=Anna Admin" > certs.log 2>&1 ||
	{ echo "Bail out! cannot set up the registry or the certificates"; cat certs.log; exit 1; }
roles="{\"clinician\": \"$CLIN1\", \"publisher\": \"$PUB\", \"admin\": \"$ADMIN\",
	\"other\": \"$CLIN2\", \"none\": null}"
params="{\"unit\": \"$U1\", \"program\": \"$PROG\", \"version\": \"1.0.0\",
	\"user\": \"SE2321000016-C077\", \"key_id\": \"FF5817CC06DF51BB\"}"
python3 "$SRC/tests/tools/openapi_check.py" "$STEG" "$TRASH_ROOT/steg.db" \
	"$TRASH_ROOT/certs" "$SRC/docs/openapi.yaml" "$SRC/runtime/serve" "$roles" "$params"
