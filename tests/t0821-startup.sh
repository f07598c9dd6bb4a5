#!/bin/sh
# t0821-startup — a steg command that needs no network starts without
# libcurl and the TLS, HTTP/2, Kerberos and LDAP libraries it pulls in
# (their loading was most of every command's start-up; docs/benchmarks.md):
# steg loads libcurl when a sync fetches from a URL, and only then.  A
# command that opens no bundle maps SQLite, libsodium and jansson and
# nothing else (no libxml2 with ICU and libstdc++, no libzip, libmagic or
# OpenSSL); import, sync and score run steg-bundle, which maps them.  What
# the dynamic loader maps is read from its own trace (LD_DEBUG=files).
# stegc in the same way: --version, --help, new and keygen map libsodium
# and jansson only; the commands that need XML load libstegc.so, which
# links the rest.  A writer opens one SQLite connection when the file's
# header carries steg's mark, and still syncs what it commits (strace;
# LeakSanitizer cannot run under ptrace, so it is off for that run).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry-lib.sh"
make_bundles || { echo "Bail out! cannot build the test bundles"; exit 1; }

NET='file=lib(curl|ssl|gnutls|nghttp2|ssh2|ldap|krb5|rtmp|psl|idn2)[.-]'

# traced FILE command...: run the command with the loader's trace in FILE
# (stderr, the command's own messages included); its exit code in $rc.
traced() {
	f=$1; shift
	rc=0
	LD_DEBUG=files "$@" > "$f.out" 2> "$f" || rc=$?
}

test_expect_success 'steg --version, list and publish load no network library' '
	setup_imported &&
	traced v "$STEG" --version && test $rc = 0 &&
	grep -q "file=libsqlite3" v &&
	! grep -E "$NET" v &&
	traced l "$STEG" list && test $rc = 0 &&
	grep -q "^$V1	" l.out &&
	! grep -E "$NET" l &&
	traced p "$STEG" publish $V1 --unit $U1 --as $PUB && test $rc = 0 &&
	grep -q "^published $V1" p.out &&
	! grep -E "$NET" p
'

# The libraries a traced run mapped, one a line, sorted; the sanitizers'
# own run-time libraries (and the C++ runtime libasan needs) left out.
mapped() {
	grep -v "needed by [^ ]*/lib\(asan\|ubsan\|stdc++\|gcc_s\)\." "$1" |
		sed -n "s/.*file=\([^ ]*\) .*needed by.*/\1/p" | sort -u > "$1.all"
	if grep -q "^libasan" "$1.all"; then
		grep -v "^lib\(asan\|ubsan\|stdc++\|gcc_s\)\." "$1.all"
	else
		cat "$1.all"
	fi
}

test_expect_success 'steg --version, list, show, publish, activate and audit map SQLite, libsodium and jansson only' '
	setup_imported &&
	printf "%s\n" libc.so.6 libjansson.so.4 libm.so.6 libsodium.so.23 libsqlite3.so.0 > expect &&
	traced v "$STEG" --version && test $rc = 0 && mapped v > v.libs && test_cmp expect v.libs &&
	traced l "$STEG" list && test $rc = 0 && mapped l > l.libs && test_cmp expect l.libs &&
	traced s "$STEG" show $V1 && test $rc = 0 && mapped s > s.libs && test_cmp expect s.libs &&
	traced p "$STEG" publish $V1 --unit $U1 --as $PUB && test $rc = 0 &&
	grep -q "^published $V1" p.out && mapped p > p.libs && test_cmp expect p.libs &&
	traced a "$STEG" audit --check && test $rc = 0 && mapped a > a.libs && test_cmp expect a.libs
'

test_expect_success 'steg import runs steg-bundle, which maps libxml2, libzip and OpenSSL' '
	setup_registry &&
	traced i "$STEG" import "$BUNDLES/base.steg" --as $PUB --allow-unsigned && test $rc = 0 &&
	grep -q "^imported $V1" i.out &&
	grep -q "file=libxml2\.so\.2 .*needed by steg-bundle " i &&
	grep -q "file=libzip\.so\.4 .*needed by steg-bundle " i &&
	grep -q "file=libcrypto\.so\.3 .*needed by " i &&
	test "$(grep -c "file=libxml2\.so\.2 .*needed by" i)" = 1
'

# synced FILE FD: the line of the last write to FD in strace output FILE is
# followed by an fdatasync or fsync of FD.
synced() {
	awk -v fd="$2" '
		$0 ~ "^[0-9]+ +pwrite64\\(" fd "," { w = NR }
		$0 ~ "^[0-9]+ +f(data)?sync\\(" fd "\\)" { s = NR }
		END { exit !(w > 0 && s > w) }' "$1"
}

test_expect_success 'steg publish opens one connection (the header read, then the writer) and syncs its commit and checkpoint before it exits' '
	setup_imported &&
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -o pt -e trace=openat,pwrite64,fdatasync,fsync,unlink \
		"$STEG" publish $V1 --unit $U1 --as $PUB > out && grep -q "^published $V1" out &&
	grep "openat(.*steg\.db\", " pt > opens &&
	test "$(wc -l < opens)" = 2 &&
	grep -q "O_RDONLY" opens && test "$(grep -c "O_RDWR" opens)" = 1 &&
	wal=$(sed -n "s/.*openat(.*steg\.db-wal\", .* = \([0-9]*\)$/\1/p" pt) &&
	db=$(sed -n "s/.*openat(.*steg\.db\", O_RDWR.* = \([0-9]*\)$/\1/p" pt) &&
	test -n "$wal" && test -n "$db" &&
	synced pt "$wal" && synced pt "$db" &&
	"$STEG" audit --check > /dev/null
'

test_expect_success 'a writer on a file without the mark in its header still looks read-only first, and leaves a foreign database as it was' '
	rm -f other.db && sqlite3 other.db "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);" > /dev/null &&
	cp other.db other.orig &&
	run out "$STEG" --db other.db unit add $U1 --name X --as $ADMIN && test "$rc" = 1 &&
	grep -q "is an SQLite database but not a steg registry" out &&
	cmp other.orig other.db && test ! -e other.db-wal && test ! -e other.db-shm
'

test_expect_success 'stegc --version, --help, new and keygen map libsodium and jansson only' '
	printf "%s\n" libc.so.6 libjansson.so.4 libsodium.so.23 > expect &&
	traced cv "$STEGC" --version && test $rc = 0 && mapped cv > cv.libs && test_cmp expect cv.libs &&
	traced ch "$STEGC" --help && test $rc = 0 && mapped ch > ch.libs && test_cmp expect ch.libs &&
	traced cn "$STEGC" new prog && test $rc = 0 && test -f prog/program.yaml &&
	mapped cn > cn.libs && test_cmp expect cn.libs &&
	traced ck "$STEGC" keygen -o k --unencrypted && test $rc = 0 && test -f k.pub &&
	mapped ck > ck.libs && test_cmp expect ck.libs &&
	! grep "dynamically loaded" cv ch cn ck
'

test_expect_success 'stegc build and check load libstegc.so from beside stegc, and libxml2 through it, once' '
	full=$(cd "$(dirname "$STEGC")" && pwd)/libstegc.so &&
	"$STEGC" new prog2 > /dev/null &&
	for c in "build prog2 -o p.steg" "check prog2"; do
		traced cb "$STEGC" $c && test $rc = 0 &&
		grep -q "file=$full .*dynamically loaded by " cb &&
		grep -q "file=libxml2\.so\.2 .*needed by $full " cb &&
		test "$(grep -c "file=libxml2\.so\.2 .*needed by" cb)" = 1 || return 1
	done &&
	test -s p.steg
'

test_expect_success 'a sync from a URL loads libcurl, and a fetch that fails says why' '
	setup_registry &&
	port=$(python3 -c "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])") &&
	traced s "$STEG" sync "http://127.0.0.1:$port/" --as $PUB &&
	test $rc = 3 &&
	grep -q "file=libcurl\.so\.4 .*dynamically loaded by" s &&
	grep -q "^steg: error: cannot fetch '"'"'http://127.0.0.1:$port/index.json'"'"': Failed to connect to 127.0.0.1 port $port" s
'

test_done
