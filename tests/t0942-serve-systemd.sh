#!/bin/sh
# contrib/steg-serve.service: systemd accepts the unit without a warning
# (systemd-analyze verify, with ExecStart pointed at the steg under test,
# since verify checks that the command exists), it carries the hardening
# options docs/serve.md promises, and systemd's own exposure score for it
# stays low.  systemd-analyze runs offline: no systemd needs to be running.
. "$(dirname "$0")/lib.sh"

command -v systemd-analyze >/dev/null 2>&1 ||
	test_skip_all 'systemd-analyze is not installed (the systemd package)'
UNIT=$SRC/contrib/steg-serve.service

# --threshold is in tenths of the printed level: 20 is 2.0.
# The unit with ExecStart pointing at the binary under test.
local_unit() {
	mkdir -p u && sed "s|/usr/local/bin/steg |$STEG |" "$UNIT" > u/steg-serve.service
}

test_expect_success 'the unit runs the installed steg serve' '
	grep -q "^ExecStart=/usr/local/bin/steg --db /var/lib/steg/region.db serve " "$UNIT"
'

test_expect_success 'systemd-analyze verify accepts the unit with no warning' '
	local_unit &&
	grep -q "^ExecStart=$STEG " u/steg-serve.service &&
	systemd-analyze verify --man=no u/steg-serve.service >out 2>&1 &&
	test_cmp /dev/null out
'

test_expect_success 'the check sees a misspelt key and a wrong value' '
	local_unit &&
	sed "s/^Type=exec/Tpye=exec/; s/^ProtectSystem=strict/ProtectSystem=strickt/" \
		u/steg-serve.service > u/bad.service &&
	systemd-analyze verify --man=no u/bad.service >out 2>&1 &&
	grep -q "Unknown key .Tpye. in section \[Service\]" out &&
	grep -q "Failed to parse protect system value, ignoring: strickt" out
'

test_expect_success 'the hardening options are set' '
	for line in DynamicUser=yes StateDirectory=steg ReadWritePaths=/var/lib/steg \
		ProtectSystem=strict ProtectHome=yes NoNewPrivileges=yes PrivateTmp=yes \
		PrivateDevices=yes CapabilityBoundingSet= AmbientCapabilities= \
		"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" \
		SystemCallFilter=@system-service "SystemCallFilter=~@privileged @resources" \
		SystemCallArchitectures=native MemoryDenyWriteExecute=yes RestrictNamespaces=yes \
		RestrictSUIDSGID=yes LockPersonality=yes ProtectKernelTunables=yes \
		ProtectKernelModules=yes ProtectControlGroups=yes UMask=0077 \
		LoadCredential=server.key:/etc/steg/server.key KillSignal=SIGTERM; do
		grep -qxF "$line" "$UNIT" || { echo "missing: $line"; exit 1; }
	done
'

test_expect_success 'systemd rates the exposure at most 2.0 (of 10)' '
	local_unit &&
	systemd-analyze security --offline=yes u/steg-serve.service >out 2>&1 &&
	grep "Overall exposure level" out &&
	systemd-analyze security --offline=yes --threshold=20 u/steg-serve.service >/dev/null 2>&1 &&
	sed "/^NoNewPrivileges=/d; /^CapabilityBoundingSet=/d; /^ProtectSystem=/d; /^SystemCallFilter=/d; /^PrivateDevices=/d; /^ProtectKernel/d; /^RestrictAddressFamilies=/d" \
		u/steg-serve.service > u/weak.service &&
	run out systemd-analyze security --offline=yes --threshold=20 u/weak.service &&
	test $rc != 0
'

test_expect_success 'every option of ExecStart is one steg serve takes, and --db is steg'"'"'s' '
	"$STEG" serve --help >help 2>&1 &&
	sed -n "/^ExecStart=/,/^[^	]/p" "$UNIT" | grep -o -- "--[a-z-]*" | sort -u >opts &&
	test -s opts &&
	while read -r o; do
		case $o in
		--db) "$STEG" --help | grep -q -- "--db FILE" ;;
		*) grep -q -- "^  $o " help || { echo "steg serve --help does not list $o"; exit 1; } ;;
		esac
	done <opts
'

test_done
