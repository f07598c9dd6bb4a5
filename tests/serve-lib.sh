# tests/serve-lib.sh — sourced by the `steg serve` tests (t088x) after
# tests/lib.sh and tests/registry-lib.sh: certificates for the registry's
# people, a server on a free port, and curl with a client certificate.
#
#   CERTS      the test CA (scripts/demo-certs.sh): ca.pem, server.pem,
#              crl.pem, and HSA-ID.pem/.key for every user of
#              registry-lib.sh, plus NOBODY (a valid certificate of no user)
#   odd_cert NAME SERIALNUMBER START END   a certificate of the same CA
#              with other dates (openssl ca, YYYYMMDDHHMMSSZ)
#   start_serve [OPTIONS]   steg serve on port 0 over $STEG_DB, from the
#              script's top level (test bodies run in subshells); waits
#              for its "serving https://..." line (no sleep); sets PORT,
#              SPID; its stderr (the access log) is $W/serve.err
#   stop_serve  SIGTERM; SERVE_RC is its exit code
#   serve_test_begin   what each serve test does first: skip without
#              openssl or steg-serve; $W, the working folder (the current
#              one), with the registry STEG_DB=$W/steg.db; a server still
#              running when the script exits is stopped
#   get WHO PATH [curl options]  status in ./status, body in ./body,
#              headers in ./headers; WHO is an HSA-id of $CERTS, "none"
#              or a path prefix of a .pem/.key pair

NOBODY=SE2321000016-N404
CERTS=$TRASH_ROOT/certs

make_certs() {
	[ -f "$CERTS/$NOBODY.pem" ] && return 0
	sh "$SRC/scripts/demo-certs.sh" "$CERTS" "$ADMIN=Anna Admin" \
		"$UADM1=Ulla Enhetsadmin" "$PUB=Pia Utgivare" \
		"$CLIN1=Cilla Behandlare" "$CLIN2=Clas Behandlare" \
		"$GONE=Gunnar Slutat" "$NOBODY=Nils Okänd" > /dev/null
}

# A certificate of the test CA with the dates given.
odd_cert() {
	d=$CERTS/odd
	mkdir -p "$d/new" && : > "$d/index.txt" &&
	cat > "$d/ca.cnf" <<-EOF2 &&
	[ ca ]
	default_ca = odd
	[ odd ]
	database = $d/index.txt
	new_certs_dir = $d/new
	serial = $d/serial
	certificate = $CERTS/ca.pem
	private_key = $CERTS/ca.key
	default_md = sha256
	policy = any
	unique_subject = no
	copy_extensions = none
	[ any ]
	commonName = supplied
	serialNumber = optional
	[ ext ]
	basicConstraints = critical,CA:FALSE
	keyUsage = critical,digitalSignature
	extendedKeyUsage = clientAuth
	EOF2
	openssl rand -hex 16 > "$d/serial" &&
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$CERTS/$1.key" 2> /dev/null &&
	openssl req -new -key "$CERTS/$1.key" -subj "/CN=$1/serialNumber=$2" \
		-out "$d/$1.csr" 2> /dev/null &&
	openssl ca -batch -config "$d/ca.cnf" -extensions ext -notext \
		-startdate "$3" -enddate "$4" -in "$d/$1.csr" \
		-out "$CERTS/$1.pem" 2> /dev/null
}

serve_test_begin() {
	command -v openssl > /dev/null 2>&1 || test_skip_all "openssl is not installed"
	[ -x "$(dirname "$STEG")/steg-serve" ] || test_skip_all "no steg-serve beside $STEG"
	trap '[ -n "$SPID" ] && kill "$SPID" 2> /dev/null; rm -rf "$TRASH_ROOT"' EXIT
	W=$TRASH_ROOT/w
	SPID=
	mkdir -p "$W" && cd "$W" || exit 1
	export STEG_DB=$W/steg.db
}

start_serve() {
	rm -f "$W/serve.fifo" && mkfifo "$W/serve.fifo" || return 1
	"$STEG" serve --port 0 --cert "$CERTS/server.pem" \
		--key "$CERTS/server.key" --client-ca "$CERTS/ca.pem" "$@" \
		> "$W/serve.fifo" 2> "$W/serve.err" &
	SPID=$!
	exec 9< "$W/serve.fifo"
	IFS= read -r line <&9 || line=
	PORT=$(echo "$line" | sed -n 's|^serving https://127\.0\.0\.1:\([0-9]*\)/$|\1|p')
	[ -n "$PORT" ] || { echo "Bail out! steg serve did not start: $(cat "$W/serve.err")"; exit 1; }
}

stop_serve() {
	kill -TERM "$SPID"
	SERVE_RC=0
	wait "$SPID" || SERVE_RC=$?
	SPID=
	exec 9<&-
}

get() {
	who=$1 path=$2
	shift 2
	case $who in
	none) cert= ;;
	/*) cert="--cert $who.pem --key $who.key" ;;
	*) cert="--cert $CERTS/$who.pem --key $CERTS/$who.key" ;;
	esac
	# shellcheck disable=SC2086
	curl -s --path-as-is --cacert "$CERTS/ca.pem" $cert -D headers \
		-o body -w '%{http_code}' "$@" "https://127.0.0.1:$PORT$path" > status
}

# The last audit row as "actor action object outcome" (tab-separated).
last_row() {
	"$STEG" audit --json | python3 -c 'import json,sys; r=json.load(sys.stdin)[-1]; print("\t".join([r["actor"], r["action"], r["object"], r["outcome"]]))'
}
