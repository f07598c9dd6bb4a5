#!/bin/sh
# scripts/demo-certs.sh: the demo CA and certificates `make demo` makes for
# steg serve.  The users' HSA-ids are in the subjects' serialNumber, the
# server's names cover localhost, the PKCS#12 files open with the printed
# password; a rerun changes nothing; a CA is never replaced silently;
# revocation reaches the CRL.
. "$(dirname "$0")/lib.sh"

command -v openssl >/dev/null 2>&1 || test_skip_all 'openssl is not installed (make deps)'
DC=$SRC/scripts/demo-certs.sh
K=SE2321000099-K001 P=SE2321000099-P001

test_expect_success 'a CA, a server certificate and one client certificate per user, under fixed names' '
	sh "$DC" d "$K=Karin Behandlare" "$P=Per Utgivare" >out 2>&1 &&
	(cd d && ls) >names &&
	printf "%s\n" $K.key $K.p12 $K.pem $P.key $P.p12 $P.pem ca.db ca.key ca.pem \
		crl.pem p12-password.txt server.key server.pem >want &&
	test_cmp want names &&
	echo demo >want && test_cmp want d/p12-password.txt &&
	openssl verify -CAfile d/ca.pem d/server.pem d/$K.pem d/$P.pem
'

test_expect_success 'the HSA-id is the subject serialNumber, for client authentication' '
	sh "$DC" d "$K=Karin Behandlare" >/dev/null &&
	openssl x509 -in d/$K.pem -noout -subject -nameopt RFC2253 >out &&
	echo "subject=serialNumber=$K,CN=Karin Behandlare,O=Region Exempel (demo),C=SE" >want &&
	test_cmp want out &&
	openssl x509 -in d/$K.pem -noout -ext extendedKeyUsage,basicConstraints >out &&
	grep -qx "    TLS Web Client Authentication" out &&
	grep -qx "    CA:FALSE" out &&
	openssl x509 -in d/server.pem -noout -ext subjectAltName,extendedKeyUsage >out &&
	grep -qx "    DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1" out &&
	grep -qx "    TLS Web Server Authentication" out
'

test_expect_success 'a user name with Swedish letters is kept in UTF-8' '
	sh "$DC" d "SE2321000099-X1=Åsa Öberg" >/dev/null &&
	openssl x509 -in d/SE2321000099-X1.pem -noout -subject -nameopt RFC2253,-esc_msb >out &&
	echo "subject=serialNumber=SE2321000099-X1,CN=Åsa Öberg,O=Region Exempel (demo),C=SE" >want &&
	test_cmp want out
'

test_expect_success 'the PKCS#12 file opens with the password and holds the key, the certificate and the CA' '
	sh "$DC" d "$K=Karin Behandlare" >/dev/null &&
	openssl pkcs12 -in d/$K.p12 -passin pass:demo -nodes -out all.pem 2>/dev/null &&
	test "$(grep -c "BEGIN CERTIFICATE" all.pem)" = 2 &&
	grep -q "BEGIN PRIVATE KEY" all.pem &&
	rc=0; openssl pkcs12 -in d/$K.p12 -passin pass:wrong -nodes -out /dev/null 2>/dev/null || rc=$?;
	test $rc != 0
'

test_expect_success 'the PKCS#12 file imports into an NSS database (as a browser does)' '
	command -v pk12util >/dev/null 2>&1 || { echo "pk12util missing (libnss3-tools; make deps)"; false; }
	sh "$DC" d "$K=Karin Behandlare" >/dev/null &&
	mkdir nss && certutil -N -d sql:nss --empty-password &&
	pk12util -i d/$K.p12 -d sql:nss -W demo -K "" >out 2>&1 &&
	certutil -L -d sql:nss -n "$K ($K)" >out &&
	grep -q "serialNumber=$K" out
'

test_expect_success 'a second run changes no file' '
	sh "$DC" d "$K=Karin Behandlare" "$P=Per Utgivare" >/dev/null &&
	(cd d && sha256sum *.pem *.key *.p12 ca.db/index.txt) >before &&
	sh "$DC" d "$K=Karin Behandlare" "$P=Per Utgivare" >out 2>&1 &&
	test_cmp /dev/null out &&
	(cd d && sha256sum *.pem *.key *.p12 ca.db/index.txt) >after &&
	test_cmp before after
'

test_expect_success 'a user added later is issued by the same CA, the others kept' '
	sh "$DC" d "$K=Karin Behandlare" >/dev/null &&
	cp d/ca.pem ca.before && cp d/$K.pem k.before &&
	sh "$DC" d "$K=Karin Behandlare" "$P=Per Utgivare" >out &&
	echo "demo-certs: issued $PWD/d/$P.pem (/C=SE/O=Region Exempel (demo)/CN=Per Utgivare/serialNumber=$P)" >want &&
	test_cmp want out &&
	cmp ca.before d/ca.pem && cmp k.before d/$K.pem &&
	openssl verify -CAfile d/ca.pem d/$P.pem
'

test_expect_code 1 'a certificate from another CA stops the script before anything is made' '
	sh "$DC" a "$K=K" >/dev/null && sh "$DC" b >/dev/null &&
	cp a/$K.pem a/$K.key b/ &&
	(cd b && sha256sum *) >before &&
	run out sh "$DC" b "$K=K" &&
	echo "demo-certs: $PWD/b/$K.pem does not verify against $PWD/b/ca.pem (another CA, or expired); run with --new-ca to replace the CA and every certificate" >want &&
	test_cmp want out &&
	(cd b && sha256sum *) >after && test_cmp before after &&
	exit $rc
'

test_expect_code 1 'a CA key without its certificate is not overwritten' '
	sh "$DC" a >/dev/null && rm a/ca.pem && cp a/ca.key key.before &&
	run out sh "$DC" a &&
	echo "demo-certs: $PWD/a/ca.key exists without $PWD/a/ca.pem: not overwriting a CA key (move it away, or --new-ca)" >want &&
	test_cmp want out && cmp key.before a/ca.key && test ! -e a/ca.pem &&
	exit $rc
'

test_expect_code 1 'client certificates without their CA are not reissued from a new one' '
	sh "$DC" a "$K=K" >/dev/null && rm a/ca.pem a/ca.key &&
	run out sh "$DC" a "$K=K" &&
	echo "demo-certs: $PWD/a/server.pem is there but its CA $PWD/a/ca.pem is not; run with --new-ca to issue everything from a new CA" >want &&
	test_cmp want out && test ! -e a/ca.pem &&
	exit $rc
'

test_expect_success '--new-ca keeps the old CA and issues everything again; a second --new-ca keeps it too' '
	sh "$DC" a "$K=K" >/dev/null && cp a/ca.pem ca.1 && cp a/$K.pem k.1 &&
	sh "$DC" --new-ca a "$K=K" >out &&
	cmp ca.1 a/ca.pem.old && ! cmp -s ca.1 a/ca.pem && ! cmp -s k.1 a/$K.pem &&
	openssl verify -CAfile a/ca.pem a/server.pem a/$K.pem &&
	cp a/ca.pem ca.2 &&
	run out sh "$DC" --new-ca a "$K=K" && test $rc = 1 &&
	echo "demo-certs: --new-ca: $PWD/a/ca.pem.old or ca.key.old is there from an earlier --new-ca; move it away first" >want &&
	test_cmp want out && cmp ca.2 a/ca.pem && cmp ca.1 a/ca.pem.old
'

test_expect_success 'a revoked certificate is in the CRL, the others are not' '
	sh "$DC" d "$K=K" "$P=P" >/dev/null &&
	openssl verify -crl_check -CRLfile d/crl.pem -CAfile d/ca.pem d/$K.pem d/$P.pem &&
	sh "$DC" --revoke d $P >out &&
	echo "demo-certs: revoked $PWD/d/$P.pem; $PWD/d/crl.pem lists it" >want && test_cmp want out &&
	openssl verify -crl_check -CRLfile d/crl.pem -CAfile d/ca.pem d/$K.pem &&
	run out openssl verify -crl_check -CRLfile d/crl.pem -CAfile d/ca.pem d/$P.pem &&
	test $rc = 2 && grep -q "certificate revoked" out &&
	sh "$DC" d "$K=K" "$P=P" >/dev/null &&
	run out openssl verify -crl_check -CRLfile d/crl.pem -CAfile d/ca.pem d/$P.pem && test $rc = 2
'

test_expect_code 1 'a name that is not an HSA-id is refused' '
	run out sh "$DC" d "SE232100009-K1=K" &&
	echo "demo-certs: '\''SE232100009-K1'\'' is not an HSA-id (SE, ten digits, '\''-'\'', 1 to 19 letters and digits)" >want &&
	test_cmp want out && test ! -e d/ca.pem && exit $rc
'

test_done
