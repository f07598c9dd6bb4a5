#!/bin/sh
# A demo certificate authority for `steg serve`, made with the openssl
# command line only:
#
#   sh scripts/demo-certs.sh DIR HSA-ID=NAME...
#   sh scripts/demo-certs.sh --new-ca DIR HSA-ID=NAME...
#
# writes into DIR (created if missing), always under these names:
#
#   ca.key ca.pem        the demo CA (EC P-256, 10 years)
#   crl.pem              the CA's revocation list (empty until a revoke)
#   server.key server.pem  the server, for localhost, 127.0.0.1 and ::1
#   HSA-ID.key HSA-ID.pem  one client certificate per user: the subject's
#                        serialNumber attribute holds the HSA-id, as in a
#                        SITHS certificate; extendedKeyUsage clientAuth
#   HSA-ID.p12           the same with its key, for a browser; the password
#                        is in p12-password.txt ("demo")
#
# Idempotent: what exists and still verifies against the CA is kept, what
# is missing is made.  An existing CA is never replaced silently: a
# certificate that does not verify against the CA in DIR, or a CA key
# without its certificate, stops the script with the reason; --new-ca
# replaces the CA only when asked, keeping the old one as ca.pem.old and
# ca.key.old, and reissues everything from it.
#
#   sh scripts/demo-certs.sh --revoke DIR HSA-ID
#
# revokes that user's certificate and rewrites crl.pem.
#
# The keys are demo keys, unencrypted, for a test machine: a region's CA
# is its SITHS issuer, never this script (docs/serve.md).
set -eu

usage() {
	echo "usage: demo-certs.sh [--new-ca] DIR HSA-ID=NAME..." >&2
	echo "       demo-certs.sh --revoke DIR HSA-ID" >&2
	exit 2
}

die() { echo "demo-certs: $*" >&2; exit 1; }

command -v openssl >/dev/null 2>&1 || die "openssl is not installed (make deps)"

newca=0 revoke=0
case ${1:-} in
--new-ca) newca=1; shift ;;
--revoke) revoke=1; shift ;;
-*) usage ;;
esac
[ $# -ge 1 ] || usage
D=$1; shift
P12PASS=demo
# How long the CA and the certificates it issues are valid, in days.
CA_DAYS=3650
CERT_DAYS=825

hsa_ok() {
	# The registry's HSA-id rule (core/vocab.c): SE, ten digits, '-', then
	# 1 to 19 letters and digits.
	printf '%s\n' "$1" | grep -Eq '^SE[0-9]{10}-[A-Za-z0-9]{1,19}$'
}

# The openssl ca database and the configuration it reads: the CRL and
# revocation need it; issuing goes through `openssl x509 -req` so that
# reruns are not refused by the database's unique-subject rule.
ca_conf() {
	mkdir -p "$D/ca.db"
	[ -f "$D/ca.db/index.txt" ] || : > "$D/ca.db/index.txt"
	[ -f "$D/ca.db/crlnumber" ] || echo 1000 > "$D/ca.db/crlnumber"
	cat > "$D/ca.db/openssl.cnf" <<EOF
[ ca ]
default_ca = demo
[ demo ]
database = $D/ca.db/index.txt
crlnumber = $D/ca.db/crlnumber
certificate = $D/ca.pem
private_key = $D/ca.key
default_md = sha256
default_crl_days = 365
unique_subject = no
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF
}

gencrl() {
	openssl ca -config "$D/ca.db/openssl.cnf" -gencrl -crlexts crl_ext \
		-out "$D/crl.pem.tmp" 2>"$D/ca.db/last.err" ||
		{ cat "$D/ca.db/last.err" >&2; die "could not write $D/crl.pem"; }
	mv "$D/crl.pem.tmp" "$D/crl.pem"
}

# The certificate's subject is recorded in the CA's database so that it
# can be revoked later (openssl ca -revoke needs the certificate only).
record() {
	serial=$(openssl x509 -in "$1" -noout -serial | sed 's/^serial=//')
	grep -q "	$serial	" "$D/ca.db/index.txt" 2>/dev/null && return 0
	enddate=$(openssl x509 -in "$1" -noout -enddate | sed 's/^notAfter=//')
	end=$(date -u -d "$enddate" +%y%m%d%H%M%SZ)
	subj=$(openssl x509 -in "$1" -noout -subject -nameopt compat | sed 's/^subject=//')
	printf 'V\t%s\t\t%s\tunknown\t%s\n' "$end" "$serial" "$subj" >> "$D/ca.db/index.txt"
}

make_ca() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$D/ca.key.tmp" 2>/dev/null
	openssl req -new -utf8 -x509 -key "$D/ca.key.tmp" -out "$D/ca.pem.tmp" -days $CA_DAYS \
		-subj "/C=SE/O=Region Exempel (demo)/CN=Steg demo CA" \
		-addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-addext "subjectKeyIdentifier=hash" 2>/dev/null
	chmod 600 "$D/ca.key.tmp"
	mv "$D/ca.key.tmp" "$D/ca.key"
	mv "$D/ca.pem.tmp" "$D/ca.pem"
	rm -rf "$D/ca.db"
	ca_conf
	echo "demo-certs: made a new demo CA in $D/ca.pem"
}

# issue NAME SUBJECT EXTENSIONS: NAME.key and NAME.pem signed by the CA.
issue() {
	name=$1 subj=$2 ext=$3
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$D/$name.key.tmp" 2>/dev/null
	chmod 600 "$D/$name.key.tmp"
	openssl req -new -utf8 -key "$D/$name.key.tmp" -subj "$subj" -out "$D/$name.csr" 2>/dev/null
	printf '%s\n' "$ext" > "$D/$name.ext"
	openssl x509 -req -in "$D/$name.csr" -CA "$D/ca.pem" -CAkey "$D/ca.key" \
		-set_serial "0x$(openssl rand -hex 16)" -days $CERT_DAYS -sha256 \
		-extfile "$D/$name.ext" -out "$D/$name.pem.tmp" 2>/dev/null
	rm -f "$D/$name.csr" "$D/$name.ext"
	mv "$D/$name.key.tmp" "$D/$name.key"
	mv "$D/$name.pem.tmp" "$D/$name.pem"
	record "$D/$name.pem"
	echo "demo-certs: issued $D/$name.pem ($subj)"
}

# A certificate is kept when its key is there and it verifies against the
# CA in DIR.  A certificate from another CA stops the script: it was made
# by a CA that is no longer here, and replacing it needs --new-ca.
keep() {
	[ -f "$D/$1.pem" ] || return 1
	[ -f "$D/$1.key" ] || die "$D/$1.pem has no key $D/$1.key; remove the certificate to have both made again"
	openssl verify -CAfile "$D/ca.pem" "$D/$1.pem" >/dev/null 2>&1 ||
		die "$D/$1.pem does not verify against $D/ca.pem (another CA, or expired); run with --new-ca to replace the CA and every certificate"
}

p12() {
	[ -f "$D/$1.p12" ] && [ "$D/$1.p12" -nt "$D/$1.pem" ] && return 0
	openssl pkcs12 -export -in "$D/$1.pem" -inkey "$D/$1.key" -certfile "$D/ca.pem" \
		-name "$2" -passout "pass:$P12PASS" -out "$D/$1.p12.tmp"
	mv "$D/$1.p12.tmp" "$D/$1.p12"
}

mkdir -p "$D"
D=$(cd "$D" && pwd)

if [ $revoke = 1 ]; then
	[ $# = 1 ] || usage
	[ -f "$D/$1.pem" ] || die "no certificate $D/$1.pem"
	ca_conf
	record "$D/$1.pem"
	openssl ca -config "$D/ca.db/openssl.cnf" -revoke "$D/$1.pem" 2>"$D/ca.db/last.err" ||
		{ cat "$D/ca.db/last.err" >&2; die "could not revoke $D/$1.pem"; }
	gencrl
	echo "demo-certs: revoked $D/$1.pem; $D/crl.pem lists it"
	exit 0
fi

for u in "$@"; do
	case $u in *=*) ;; *) usage ;; esac
	hsa_ok "${u%%=*}" || die "'${u%%=*}' is not an HSA-id (SE, ten digits, '-', 1 to 19 letters and digits)"
done

if [ $newca = 1 ] && [ -f "$D/ca.pem" ]; then
	[ ! -e "$D/ca.pem.old" ] && [ ! -e "$D/ca.key.old" ] ||
		die "--new-ca: $D/ca.pem.old or ca.key.old is there from an earlier --new-ca; move it away first"
	mv "$D/ca.pem" "$D/ca.pem.old"
	[ ! -f "$D/ca.key" ] || mv "$D/ca.key" "$D/ca.key.old"
	rm -f "$D/server.pem" "$D/crl.pem"
	for u in "$@"; do rm -f "$D/${u%%=*}.pem" "$D/${u%%=*}.p12"; done
	echo "demo-certs: --new-ca: the old CA is kept as $D/ca.pem.old; every certificate is issued again"
fi
if [ -f "$D/ca.pem" ]; then
	[ -f "$D/ca.key" ] || die "$D/ca.pem has no key $D/ca.key: cannot issue from it (--new-ca replaces it)"
	openssl x509 -in "$D/ca.pem" -noout -checkend 0 >/dev/null ||
		die "$D/ca.pem has expired (--new-ca replaces it)"
	ca_conf
else
	[ ! -f "$D/ca.key" ] || die "$D/ca.key exists without $D/ca.pem: not overwriting a CA key (move it away, or --new-ca)"
	for n in server $(for u in "$@"; do echo "${u%%=*}"; done); do
		[ ! -f "$D/$n.pem" ] || die "$D/$n.pem is there but its CA $D/ca.pem is not; run with --new-ca to issue everything from a new CA"
	done
	make_ca
fi
# Everything already there must verify before anything is added.
for n in server $(for u in "$@"; do echo "${u%%=*}"; done); do
	keep "$n" || :
done

keep server || issue server "/C=SE/O=Region Exempel (demo)/CN=localhost" \
"basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
authorityKeyIdentifier=keyid"

for u in "$@"; do
	id=${u%%=*} name=${u#*=}
	keep "$id" || issue "$id" "/C=SE/O=Region Exempel (demo)/CN=$name/serialNumber=$id" \
"basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
authorityKeyIdentifier=keyid"
	p12 "$id" "$name ($id)"
done

# The CRL is kept while it verifies and has a month left before its next
# update; a server refuses every certificate once the CRL is out of date.
crl_fresh() {
	[ -f "$D/crl.pem" ] && openssl crl -in "$D/crl.pem" -noout -CAfile "$D/ca.pem" 2>/dev/null || return 1
	next=$(openssl crl -in "$D/crl.pem" -noout -nextupdate | sed 's/^nextUpdate=//')
	[ "$(date -u -d "$next" +%s)" -gt $(($(date +%s) + 30 * 86400)) ]
}
crl_fresh || gencrl
echo "$P12PASS" > "$D/p12-password.txt"
