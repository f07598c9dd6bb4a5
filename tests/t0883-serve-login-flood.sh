#!/bin/sh
# t0883-serve-login-flood: knocking does not grow the audit log without
# bound.  Refused logins of one certificate, or without a certificate
# from one address, are each answered 403 and logged in the access log,
# but written to the audit log once a minute: forty attempts without a
# certificate and forty with a certificate of nobody add one audit row
# each; another certificate still gets its own row; a user's login is
# not affected; the chain still checks (docs/serve.md, "Refused logins").
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/registry-lib.sh"
. "$SRC/tests/serve-lib.sh"
serve_test_begin
make_bundles && make_certs && setup_registry ||
	{ echo "Bail out! setup failed"; exit 1; }
start_serve

rows() { sqlite3 "$STEG_DB" "SELECT count(*) FROM audit WHERE action = 'login'"; }

# knock WHO N: N requests as WHO, each answered 403.
knock() {
	i=0
	while [ $i -lt "$2" ]; do
		get "$1" /api/v1/me && test "$(cat status)" = 403 ||
			{ echo "attempt $i: $(cat status)"; return 1; }
		i=$((i + 1))
	done
}

test_expect_success 'forty requests without a certificate: forty 403s, one audit row' '
	n0=$(rows) && knock none 40 &&
	test "$(rows)" = $((n0 + 1)) &&
	test "$(grep -c "hsa=- method=GET path=/api/v1/me status=403" "$W/serve.err")" = 40
'

test_expect_success 'forty with the certificate of nobody: one audit row, naming it' '
	n0=$(rows) && knock $NOBODY 40 &&
	test "$(rows)" = $((n0 + 1)) &&
	sqlite3 "$STEG_DB" "SELECT object, outcome FROM audit ORDER BY seq DESC LIMIT 1" > got &&
	echo "$NOBODY|refused" > expect && test_cmp expect got
'

test_expect_success 'another certificate is written on its own, and users still log in' '
	n0=$(rows) && knock $GONE 3 &&
	test "$(rows)" = $((n0 + 1)) &&
	get $CLIN1 /api/v1/me && test "$(cat status)" = 200
'

stop_serve
test_expect_success 'the server stopped cleanly and the audit chain holds' '
	test "$SERVE_RC" = 0 && "$STEG" audit --check > /dev/null
'

test_done
