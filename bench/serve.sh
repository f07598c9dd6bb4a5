#!/bin/sh
# bench/serve.sh — steg serve under load, the web's share of `make bench`
# (bench/run.sh calls it): BENCH_SERVE_CLIENTS (default 64) concurrent
# clients over loopback, each on its own keep-alive TLS connection with a
# clinician's certificate (connected before the clock starts), mixing
# page views (GET /units/UNIT, 45%), API reads (GET
# /api/v1/units/UNIT/programs, 45%) and activations (10%: the client's own
# program at its unit, activated, then deactivated, in turn, so that no
# two clients contend for one row).  The client is bench/serve-load.c (C,
# OpenSSL, one thread per client, blocking I/O: a waiting client costs no
# CPU), built here with cc.
#
# Two phases of BENCH_SERVE_SECONDS (default 30) each, against one server:
#
#  1. closed loop: every client asks again as soon as it is answered.  Its
#     requests per second are the server's saturation throughput.  Its
#     latencies are mostly queueing: with N clients and no pause, the mean
#     latency is N / throughput (Little's law: 64 / 2,200 = 29 ms) however
#     fast the server, so a p99 of 20 ms cannot be met this way at 64
#     clients below some 3,200 requests a second.
#  2. fixed offered rate (as wrk2 measures): BENCH_SERVE_RATE requests a
#     second in all (default: 2,200 reads a second, 10% over the target,
#     with the activations of the same mix: 2,444), each client on a fixed
#     schedule of 1/64 of them, each request's latency counted from when it
#     was due, not from when it was sent, so that a server that stalls
#     shows up as latency rather than as fewer requests (no "coordinated
#     omission").  The time from sending is printed beside it ("svc").
#
# Each phase prints requests per second and p50/p99 per kind, then checks
# the audit log: every activation and deactivation the clients saw
# succeed has its 'ok' row, by the right clinician, and there are no
# others, counted over all the phases so far (a phase's own count once
# hid, and then showed as a "mismatch", rows that steg serve's connections
# had committed where no other process could see them: t0604), read by
# another process while the server runs.  The targets (issue 12): at least 2,000 reads/s (phase 1), and
# at the fixed rate a read p99 of at most 20 ms and an activation of at
# most 5 ms at p50 (phase 2); they are printed, with by how much they are
# missed, and do not change the exit code.  Exit 1 when a request failed
# or an audit row is missing, 3 when the bench could not run.
#
# The registry: 4 care units, a clinician at each, 16 programs (the test
# base program under 16 ids) published to every unit; client i is the
# clinician of unit i mod 4 and toggles program i div 4 there.  Setup is
# not measured.
#
# Environment: STEG_BUILD (default build), BENCH_DIR (scratch, removed
# unless BENCH_KEEP=1), BENCH_SERVE_CLIENTS, BENCH_SERVE_SECONDS, BENCH_SERVE_ACTIVATE (the
# activations' weight against 45 and 45, default 10; 0 for reads only),
# BENCH_SERVE_MODE (both, closed or rate; default both), BENCH_SERVE_RATE.
set -eu
cd "$(dirname "$0")/.."
: "${STEG_BUILD:=build}"
case $STEG_BUILD in /*) B=$STEG_BUILD ;; *) B=$PWD/$STEG_BUILD ;; esac
STEGC=$B/stegc
STEG=$B/steg
CLIENTS=${BENCH_SERVE_CLIENTS:-64}
SECONDS_=${BENCH_SERVE_SECONDS:-30}
ACT=${BENCH_SERVE_ACTIVATE:-10}
MODE=${BENCH_SERVE_MODE:-both}
# 2,200 reads/s (10% over the target) and the activations in the same mix
# (45 + 45 + ACT)
RATE=${BENCH_SERVE_RATE:-$(( 2200 * (90 + ACT) / 90 ))}
WORK=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/steg-bench-serve.XXXXXX")}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
unset STEG_DB STEG_ARENA_DEBUG

for x in "$STEGC" "$STEG" "$B/steg-serve"; do
	if [ ! -x "$x" ]; then
		echo "bench: '$x' is missing; run make first" >&2
		exit 3
	fi
done
mkdir -p "$WORK"
SERVER_PID=
cleanup() {
	[ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || :
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

case $MODE in both|closed|rate) ;; *) echo "bench: BENCH_SERVE_MODE is both, closed or rate" >&2; exit 3 ;; esac
echo "== steg serve: $CLIENTS clients, $SECONDS_ s a phase, over loopback (load $(cut -d' ' -f1-3 /proc/loadavg))"
cc -std=c11 -O2 -Wall -Wextra -o "$WORK/serve-load" bench/serve-load.c \
	$(pkg-config --cflags --libs libssl libcrypto) -lpthread

REGION=SE2321000016-0001 ADMIN=SE2321000099-A001 PUB=SE2321000099-P001
DB=$WORK/region.db
S="$STEG --db $DB"
"$STEGC" keygen -o "$WORK/region" --unencrypted > /dev/null
$S init --region $REGION --name "Region Bänk" --admin $ADMIN --admin-name "Anna Admin" \
	--key "$WORK/region.pub" > /dev/null
$S user add $PUB --name "Per Utgivare" --role publisher --as $ADMIN > /dev/null
users="$ADMIN=Anna Admin"
for u in 1 2 3 4; do
	$S unit add SE2321000099-E00$u --name "Vårdcentral $u" --as $ADMIN > /dev/null
	$S user add SE2321000099-K00$u --name "Klinikern $u" --role clinician \
		--unit SE2321000099-E00$u --as $ADMIN > /dev/null
	users="$users
SE2321000099-K00$u=Klinikern $u"
done
p=0
while [ $p -lt 16 ]; do
	rm -rf "$WORK/src" && cp -R tests/golden/base "$WORK/src"
	sed -i "s/^id: se.test.bas$/id: se.bench.p$p/" "$WORK/src/program.yaml"
	SOURCE_DATE_EPOCH=$(date +%s) "$STEGC" build -q "$WORK/src" -o "$WORK/p$p.steg" --sign "$WORK/region.key" \
		--unencrypted --expires 30 > /dev/null
	$S import "$WORK/p$p.steg" --as $PUB > /dev/null
	$S approve se.bench.p$p@1.0.0 --as $PUB > /dev/null
	$S publish se.bench.p$p@1.0.0 --all-units --as $PUB > /dev/null
	p=$((p + 1))
done
echo "$users" | while IFS= read -r u; do printf '%s\0' "$u"; done |
	xargs -0 sh scripts/demo-certs.sh "$WORK/certs" > /dev/null

# The server, on a free port: its first line names it.
mkfifo "$WORK/serve.out"
$S serve --port 0 --cert "$WORK/certs/server.pem" \
	--key "$WORK/certs/server.key" --client-ca "$WORK/certs/ca.pem" \
	--crl "$WORK/certs/crl.pem" > "$WORK/serve.out" 2> "$WORK/serve.log" &
SERVER_PID=$!
exec 4< "$WORK/serve.out"
IFS= read -r line <&4 || line=
PORT=$(echo "$line" | sed -n 's|^serving https://127\.0\.0\.1:\([0-9]*\)/$|\1|p')
[ -n "$PORT" ] || { echo "bench: steg serve did not start: $line" >&2; cat "$WORK/serve.log" >&2; exit 3; }

# Each clinician's session token (GET /api/v1/me), for the activations.
for u in 1 2 3 4; do
	curl -sf --cacert "$WORK/certs/ca.pem" --cert "$WORK/certs/SE2321000099-K00$u.pem" \
		--key "$WORK/certs/SE2321000099-K00$u.key" "https://localhost:$PORT/api/v1/me" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])' > "$WORK/token$u"
done

# One client file per client (bench/serve-load.c).  Client i toggles
# program i div 4 at its unit; its first request of the two is the one
# that changes something from the registry's state now (an activation of
# a program already active answers 200 and writes nothing, which would
# make the audit count wrong), so each phase starts from where the one
# before left off.
activate_req() { # activations|deactivations UNIT PROGRAM TOKEN (docs/openapi.yaml)
	body="{\"program\":\"$3\",\"version\":\"1.0.0\"}"
	printf 'POST /api/v1/units/%s/%s HTTP/1.1\nHost: localhost:%s\nOrigin: https://localhost:%s\nSec-Fetch-Site: same-origin\nX-CSRF-Token: %s\nContent-Type: application/json\nContent-Length: %d\n\n%s\n%%%%\n' \
		"$2" "$1" "$PORT" "$PORT" "$4" "${#body}" "$body"
}
client_files() { # PHASE: writes $WORK/PHASE-client*, sets $files
	files=
	i=0
	while [ $i -lt "$CLIENTS" ]; do
		u=$((i % 4 + 1)) prog=se.bench.p$((i / 4 % 16))
		unit=SE2321000099-E00$u tok=$(cat "$WORK/token$u")
		f=$WORK/$1-client$i
		active=$(sqlite3 "$DB" "SELECT count(*) FROM activations WHERE program = '$prog' AND unit = '$unit' AND active = 1")
		{
			echo "cert $WORK/certs/SE2321000099-K00$u.pem"
			echo "key $WORK/certs/SE2321000099-K00$u.key"
			printf 'op 45 page\nGET /units/%s HTTP/1.1\nHost: localhost:%s\n\n%%%%\n' "$unit" "$PORT"
			printf 'op 45 api-read\nGET /api/v1/units/%s/programs HTTP/1.1\nHost: localhost:%s\nAccept: application/json\n\n%%%%\n' "$unit" "$PORT"
			if [ "$ACT" != 0 ] && [ "$active" = 0 ]; then
				echo "toggle $ACT activate deactivate"
				activate_req activations "$unit" "$prog" "$tok"
				activate_req deactivations "$unit" "$prog" "$tok"
			elif [ "$ACT" != 0 ]; then
				echo "toggle $ACT deactivate activate"
				activate_req deactivations "$unit" "$prog" "$tok"
				activate_req activations "$unit" "$prog" "$tok"
			fi
		} > "$f"
		files="$files $f"
		i=$((i + 1))
	done
}

# One phase: the load, then its figures and its audit rows.
phase() { # NAME [--rate R]
	name=$1
	shift
	client_files "$name"
	# shellcheck disable=SC2086
	"$WORK/serve-load" "$@" "$PORT" "$SECONDS_" "$WORK/certs/ca.pem" $files \
		> "$WORK/$name.json" || status=1
	python3 - "$WORK/$name.json" "$DB" "$BASE" "$WORK/answered" <<'PY' || status=1
import json, sqlite3, sys
r = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
base = int(sys.argv[3])
before = {}
try:
    for line in open(sys.argv[4]):
        k, v = line.split()
        before[k] = int(v)
except FileNotFoundError:
    pass
L = r["labels"]
rate = r["rate"]
if rate:
    print("-- fixed offered rate: %.0f requests/s in all (latency from each request's due time;"
          " 'svc' from sending)" % rate)
    print("%-11s %9s %7s %9s %8s %8s %8s %8s %8s" % ("kind", "requests", "errors", "per s",
          "p50 ms", "p99 ms", "max ms", "svc p50", "svc p99"))
else:
    print("-- closed loop: each client asks again as soon as it is answered (saturation)")
    print("%-11s %9s %7s %9s %8s %8s" % ("kind", "requests", "errors", "per s", "p50 ms", "p99 ms"))
for k in ("page", "api-read", "activate", "deactivate", "connect"):
    if k in L:
        v = L[k]
        line = "%-11s %9d %7d %9.1f %8.2f %8.2f" % (k, v["count"], v["errors"], v["per_s"],
                                                   v["p50_ms"], v["p99_ms"])
        if rate:
            line += " %8.2f %8.2f %8.2f" % (v["max_ms"], v["svc_p50_ms"], v["svc_p99_ms"])
        print(line)
reads = sum(L[k]["count"] for k in ("page", "api-read") if k in L)
print("all: %d requests in %.1f s, %.1f per s, %d errors; reads %.1f per s"
      % (r["requests"], r["seconds"], r["per_s"], r["errors"], reads / r["seconds"]))
# Every change answered ok has its 'ok' row: counted over every phase so
# far, from before the first one, so that no boundary between two phases
# (a row committed a moment before or after one) can blur the count.
ok = True
for action in ("activate", "deactivate"):
    now = L.get(action, {"count": 0, "errors": 0})
    now = now["count"] - now["errors"]
    want = before.get(action, 0) + now
    before[action] = want
    rows = db.execute("SELECT count(*) FROM audit WHERE seq > ? AND action = ? AND outcome = 'ok'"
                      " AND role = 'clinician' AND actor LIKE 'SE2321000099-K00_'", (base, action)).fetchone()[0]
    other = db.execute("SELECT count(*) FROM audit WHERE seq > ? AND action = ? AND outcome != 'ok'",
                       (base, action)).fetchone()[0]
    print("audit: %d %s answered ok (%d in all phases so far), %d 'ok' rows, %d other rows%s"
          % (now, action, want, rows, other, "" if rows == want and other == 0 else "  <-- MISMATCH"))
    ok = ok and rows == want and other == 0
with open(sys.argv[4], "w") as f:
    for k, v in before.items():
        f.write("%s %d\n" % (k, v))
miss = []
p99 = max(L[k]["p99_ms"] for k in ("page", "api-read") if k in L)
if not rate:
    if reads / r["seconds"] < 2000:
        miss.append("reads %.0f/s < 2000" % (reads / r["seconds"]))
    print("target (issue 12) at saturation: >= 2000 reads/s: "
          + ("met" if not miss else "missed: " + "; ".join(miss)))
else:
    if reads / r["seconds"] < 2000:
        miss.append("reads %.0f/s < 2000 (offered too few, or the server fell behind)"
                    % (reads / r["seconds"]))
    if p99 > 20:
        miss.append("read p99 %.1f ms > 20 (by %.1f ms)" % (p99, p99 - 20))
    if "activate" in L and L["activate"]["p50_ms"] > 5:
        miss.append("activation p50 %.1f ms > 5 (by %.1f ms)"
                    % (L["activate"]["p50_ms"], L["activate"]["p50_ms"] - 5))
    print("targets (issue 12) at this rate: read p99 <= 20 ms, activation p50 <= 5 ms: "
          + ("met" if not miss else "missed: " + "; ".join(miss)))
sys.exit(0 if ok and r["errors"] == 0 else 1)
PY
}

status=0
BASE=$(sqlite3 "$DB" 'SELECT coalesce(max(seq), 0) FROM audit')
rm -f "$WORK/answered"
if [ "$MODE" != rate ]; then
	phase closed
fi
if [ "$MODE" != closed ]; then
	phase rate --rate "$RATE"
fi
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || { echo "bench: steg serve exited $? on SIGTERM" >&2; status=1; }
SERVER_PID=
check=$($S audit --check 2>&1) || { echo "bench: $check" >&2; status=1; }
echo "$check"
exit $status
