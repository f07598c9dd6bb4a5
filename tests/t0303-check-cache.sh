#!/bin/sh
# t0303-check-cache: `stegc check` keeps its findings in
# $XDG_CACHE_HOME/steg/check and reuses them while no input has changed
# (compiler/checkcache.c, docs/cli.md).  A reused result must be exactly
# the fresh one: after an edit of every kind of file (module, form,
# exercise, program.yaml, media; an edit that keeps size and time; a file
# added, removed or renamed) the findings are those of --no-cache, in
# text and JSON, with the same exit code.  A damaged, foreign or
# writable-by-others entry is ignored, a folder with a symbolic link is
# not cached, and --no-cache neither reads nor writes.
. "$(dirname "$0")/lib.sh"

C=$XDG_CACHE_HOME/steg/check

# fresh DIR ARGS...: check's output and code with no cache at all, in
# fresh.out; cached DIR ARGS...: with the script's cache, in cached.out.
# same DIR ARGS... runs both, twice with the cache (the first run may
# write the entry, the second reads it), and compares all three.
same() {
	run fresh.out "$STEGC" check --no-cache "$@"; frc=$rc
	run cached1.out "$STEGC" check "$@"; c1=$rc
	run cached2.out "$STEGC" check "$@"; c2=$rc
	test_cmp fresh.out cached1.out && test_cmp fresh.out cached2.out &&
	test "$frc" = "$c1" && test "$frc" = "$c2"
}

# The entry's inode: a hit leaves the entry as it is, a miss writes a new
# one (renamed over it).
entry_ino() {
	set -- "$C"/*
	test $# = 1 && test -f "$1" && stat -c %i "$1"
}

test_expect_success 'an unchanged program: the second check reuses the entry and says the same' '
	cp -R "$EX/depression" p &&
	run one.out "$STEGC" check p && test $rc = 0 &&
	ino=$(entry_ino) &&
	run two.out "$STEGC" check p && test $rc = 0 &&
	test "$(entry_ino)" = "$ino" &&
	test_cmp one.out two.out &&
	grep -q ": ok$" two.out &&
	test "$(stat -c %a "$XDG_CACHE_HOME/steg")" = 700 &&
	test "$(stat -c %a "$C")" = 700 &&
	test "$(stat -c %a "$C"/*)" = 600
'

test_expect_success 'every golden case: findings and exit code read from the cache are the fresh ones' '
	for exp in "$SRC"/tests/golden/cases/*.expected; do
		name=$(basename "$exp" .expected)
		grep -qx build "$SRC/tests/golden/cases/$name.args" 2>/dev/null && continue
		rm -rf "$name"; cp -R "$SRC/tests/golden/base" "$name"
		if [ -f "$SRC/tests/golden/cases/$name/.delete" ]; then
			while IFS= read -r q; do [ -n "$q" ] && rm -rf "$name/$q"; done < "$SRC/tests/golden/cases/$name/.delete"
		fi
		[ -d "$SRC/tests/golden/cases/$name" ] && cp -R "$SRC/tests/golden/cases/$name/." "$name/"
		rm -f "$name/.delete"
		set --
		if [ -f "$SRC/tests/golden/cases/$name.args" ]; then
			while IFS= read -r a; do [ -n "$a" ] && set -- "$@" "$a"; done < "$SRC/tests/golden/cases/$name.args"
		fi
		same "$@" "$name" || { echo "differs: $name"; exit 1; }
		run j1.out "$STEGC" check --no-cache --format json "$@" "$name"
		run j2.out "$STEGC" check --format json "$@" "$name"
		test_cmp j1.out j2.out || { echo "JSON differs: $name"; exit 1; }
	done
'

# A program with something of every kind, checked clean, then edited.
setup_edit() {
	rm -rf e && cp -R "$EX/depression" e &&
	same e && test $frc = 0
}

test_expect_success 'a module edited: the new warning, not the kept clean result' '
	setup_edit &&
	printf "\nLäs [här](https://example.org/).\n" >> e/modules/03-aktivering-1.md &&
	same e && grep -q "\[vague-link\]" cached2.out
'

test_expect_success 'a module edited to the same size and time: found by its bytes' '
	setup_edit &&
	f=e/modules/01-intro.md && touch -d "2020-01-01 00:00" "$f" &&
	size=$(stat -c %s "$f") &&
	python3 -c "import sys; p=sys.argv[1]; b=open(p,\"rb\").read(); i=b.rindex(b\"\\n\", 0, len(b)-1); open(p,\"wb\").write(b[:i]+b\"\\n\\t\"+b[i+2:])" "$f" &&
	touch -d "2020-01-01 00:00" "$f" &&
	test "$(stat -c %s "$f")" = "$size" &&
	same e
'

test_expect_success 'a form edited: the same findings as a fresh check' '
	setup_edit &&
	sed -i "0,/^title:/s//titel: x\n&/" e/forms/phq9.yaml &&
	same e && test $frc = 1 && grep -q "e/forms/phq9.yaml:" cached2.out
'

test_expect_success 'an exercise edited: the same findings as a fresh check' '
	setup_edit &&
	printf "okänd: 1\n" >> e/exercises/aktivitetsdagbok.yaml &&
	same e && grep -q "e/exercises/aktivitetsdagbok.yaml:" cached2.out
'

test_expect_success 'program.yaml edited: the same findings as a fresh check' '
	setup_edit &&
	printf "okänd: 1\n" >> e/program.yaml &&
	same e && grep -q "e/program.yaml:" cached2.out
'

test_expect_success 'a media file replaced by text under the same name: the new error' '
	setup_edit &&
	echo "inte en bild" > e/media/valkommen.png &&
	same e && test $frc = 1 && grep -q "\[media-content\]" cached2.out
'

test_expect_success 'a file added, removed and renamed: the same findings as a fresh check each time' '
	setup_edit &&
	cp e/modules/09-aterfall.md e/modules/10-extra.md && same e &&
	rm e/modules/10-extra.md e/exercises/aktivitetsdagbok.yaml && same e &&
	test $frc = 1 &&
	mv e/modules/02-ond-cirkel.md e/modules/02-ond-cirkel.markdown && same e &&
	mkdir e/modules/tom && same e
'

test_expect_success 'an edit undone: the first findings again' '
	setup_edit && cp fresh.out clean.out &&
	cp e/program.yaml saved.yaml &&
	printf "okänd: 1\n" >> e/program.yaml && same e &&
	cp saved.yaml e/program.yaml && same e && test_cmp clean.out cached2.out
'

test_expect_success 'options that change findings are kept apart: -Werror, -Wno-CODE, --lix-max' '
	rm -rf w && cp -R "$EX/depression" w &&
	printf "\nLäs [här](https://example.org/).\n" >> w/modules/03-aktivering-1.md &&
	same w && test $frc = 0 &&
	same -Werror w && test $frc = 1 &&
	same -Wno-vague-link w && test $frc = 0 && ! grep -q vague-link cached2.out &&
	same --lix-max 5 w && grep -q "\[lix\]" cached2.out &&
	same w && test $frc = 0 && grep -q vague-link cached2.out &&
	same --format json w && same --format sarif w && same --format brief w
'

test_expect_success 'the folder spelled two ways: each its own paths' '
	rm -rf s && cp -R "$EX/depression" s &&
	printf "okänd: 1\n" >> s/program.yaml &&
	same s && grep -q "^s/program.yaml:" cached2.out &&
	same ./s && grep -q "^./s/program.yaml:" cached2.out
'

# corrupt HOW: change the one entry; the next check must still say what
# a fresh one says (and write a good entry again).
entry() { set -- "$C"/*; echo "$1"; }

test_expect_success 'a damaged entry is ignored: a flipped byte, cut short, emptied, garbage' '
	rm -rf "$XDG_CACHE_HOME" d && cp -R "$EX/insomnia" d &&
	printf "okänd: 1\n" >> d/program.yaml &&
	same d &&
	for how in flip cut empty garbage; do
		f=$(entry) &&
		case $how in
		flip) python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,\"rb\").read()); b[60]^=1; open(p,\"wb\").write(b)" "$f" ;;
		cut) truncate -s 50 "$f" ;;
		empty) : > "$f" ;;
		garbage) head -c 4096 /dev/urandom > "$f" ;;
		esac &&
		run again.out "$STEGC" check d &&
		test_cmp fresh.out again.out || { echo "after $how"; exit 1; }
	done
'

# forge WHAT: rewrite the entry of the clean program d with its module
# count changed and the checksum made right, as only someone able to
# write the file could.
forge() {
	python3 - "$(entry)" <<-\EOF
	import hashlib, struct, sys
	p = sys.argv[1]
	b = bytearray(open(p, "rb").read())[:-32]
	i = 8 + 32 + 4
	for _ in range(2):   # id and version
	    if struct.unpack_from("<I", b, i)[0]:
	        i += 4; i += 4 + struct.unpack_from("<I", b, i)[0]
	    else:
	        i += 4
	struct.pack_into("<Q", b, i, 4242)
	b += hashlib.sha256(b).digest()
	open(p, "wb").write(b)
	EOF
}

test_expect_success 'an entry writable by others or not the user'"'"'s is not trusted' '
	rm -rf "$XDG_CACHE_HOME" d && cp -R "$EX/insomnia" d &&
	same d && test $frc = 0 &&
	forge && chmod 600 "$(entry)" &&
	run forged.out "$STEGC" check d && grep -q "4242 modules" forged.out &&
	forge && chmod 666 "$(entry)" &&
	run again.out "$STEGC" check d && test_cmp fresh.out again.out &&
	forge && chmod 620 "$(entry)" &&
	run again.out "$STEGC" check d && test_cmp fresh.out again.out
'

test_expect_success 'an entry of another program copied over this one is ignored' '
	rm -rf "$XDG_CACHE_HOME" a b && cp -R "$EX/insomnia" a && cp -R "$EX/tobacco" b &&
	printf "okänd: 1\n" >> a/program.yaml &&
	same a && ea=$(entry) && same b &&
	for f in "$C"/*; do [ "$f" = "$ea" ] || eb=$f; done &&
	cp "$ea" "$eb" &&
	run again.out "$STEGC" check b && test_cmp fresh.out again.out
'

test_expect_success 'a cache folder others may write is not used' '
	rm -rf "$XDG_CACHE_HOME" && mkdir -p "$C" && chmod 777 "$C" &&
	rm -rf d && cp -R "$EX/insomnia" d &&
	same d && test -z "$(ls -A "$C")"
'

test_expect_success 'a folder with a symbolic link is checked afresh and not cached' '
	rm -rf "$XDG_CACHE_HOME" l && cp -R "$EX/insomnia" l &&
	ln -s /etc/hostname l/modules/99-lank.md &&
	same l && test $frc = 1 && test ! -e "$C" -o -z "$(ls -A "$C" 2>/dev/null)"
'

test_expect_success '--no-cache neither writes nor reads an entry' '
	rm -rf "$XDG_CACHE_HOME" n && cp -R "$EX/insomnia" n &&
	"$STEGC" check --no-cache -q n && test -z "$(ls -A "$C")" &&
	"$STEGC" check -q n && ino=$(entry_ino) &&
	"$STEGC" check --no-cache -q n && test "$(entry_ino)" = "$ino"
'

test_expect_success 'a temporary file a killed check left is removed when ten minutes old, a younger one kept' '
	rm -rf "$XDG_CACHE_HOME" k && cp -R "$EX/insomnia" k &&
	"$STEGC" check -q k &&
	: > "$C/.tmp-old123" && touch -d "20 minutes ago" "$C/.tmp-old123" &&
	: > "$C/.tmp-new123" && touch -d "5 minutes ago" "$C/.tmp-new123" &&
	printf "okänd: 1\n" >> k/program.yaml &&
	run out "$STEGC" check k && test $rc = 1 &&
	test ! -e "$C/.tmp-old123" && test -e "$C/.tmp-new123" &&
	test $(ls "$C" | wc -l) = 1
'

test_expect_success 'no cache folder at all (no HOME, no XDG_CACHE_HOME): check works' '
	rm -rf h && cp -R "$EX/insomnia" h &&
	run out env -u HOME -u XDG_CACHE_HOME "$STEGC" check h && test $rc = 0 &&
	run out2 env -u HOME XDG_CACHE_HOME=relative "$STEGC" check h && test $rc = 0 &&
	test ! -e relative && test_cmp out out2
'

test_done
