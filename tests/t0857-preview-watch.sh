#!/bin/sh
# t0857-preview-watch: stegc preview notices edits to a program folder
# (compiler/watch.h): a burst of events is one report, a save by rename
# is seen, a folder that appears is watched, and nothing outside the
# folder is ever watched, even through a symlink.
. "$(dirname "$0")/lib.sh"
WT=$TRASH_ROOT/watch-tool

test_expect_success 'the test tool builds' '
	san=
	case "$STEG_BUILD" in *san*) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
		-I"$SRC/core" -I"$SRC/compiler" "$SRC/tests/tools/watch-tool.c" \
		"$SRC/$STEG_BUILD/compiler/watch.o" -o "$WT"
'

# wait_lines FILE N: until FILE has N lines, for at most 20 s (the tool
# itself gives up after 20 s without a change)
wait_lines() {
	i=0
	while [ "$(wc -l < "$1")" -lt "$2" ]; do
		i=$((i + 1)); [ $i -lt 400 ] || return 1
		sleep 0.05
	done
}

# An editor saves by writing a new file and renaming it over the old.
test_expect_success 'an edit, a save by rename and a new folder: one report each' '
	cp -R "$EX/depression" prog && : > out &&
	sed "s/PHQ-9/PHQ 9/" prog/forms/phq9.yaml > phq9.new
	"$WT" prog 3 > out 2>&1 &
	pid=$!
	wait_lines out 1 &&
	echo "Mer text." >> prog/modules/02-ond-cirkel.md &&
	wait_lines out 2 &&
	cp prog/forms/phq9.yaml prog/forms/.phq9.yaml.swp &&
	mv phq9.new prog/forms/phq9.yaml &&
	wait_lines out 3 &&
	mkdir prog/media/bilder && cp prog/media/valkommen.png prog/media/bilder/a.png &&
	wait $pid &&
	sed -n 2,3p out > got &&
	cat > expect <<-\EOF &&
	modules/02-ond-cirkel.md
	forms/phq9.yaml
	EOF
	test_cmp expect got &&
	sed -n 4p out | grep -q "^media/bilder"
'

test_expect_success 'a file in a new folder of media/ is seen' '
	cp -R "$EX/depression" prog && mkdir prog/media/ny && : > out
	"$WT" prog 1 > out 2>&1 &
	pid=$!
	wait_lines out 1 &&
	cp prog/media/valkommen.png prog/media/ny/b.png &&
	wait $pid && sed -n 2p out > got &&
	echo "media/ny/b.png" > expect && test_cmp expect got
'

test_expect_success 'a symlink out of the folder is not followed' '
	cp -R "$EX/depression" prog && mkdir outside &&
	ln -s "$PWD/outside" prog/media/ut &&
	ln -s "$PWD/outside" prog/exercises2 && : > out
	"$WT" prog 1 > out 2>&1 &
	pid=$!
	wait_lines out 1 &&
	echo x > outside/secret.png &&
	echo "# nytt" >> prog/program.yaml &&
	wait $pid && sed -n 2p out > got &&
	echo "program.yaml" > expect && test_cmp expect got
'

test_expect_success 'modules/ as a symlink out is not watched' '
	cp -R "$EX/depression" prog && mv prog/modules outmods &&
	ln -s "$PWD/outmods" prog/modules && : > out
	"$WT" prog 1 > out 2>&1 &
	pid=$!
	wait_lines out 1 &&
	echo "x" >> outmods/01-intro.md &&
	echo "# nytt" >> prog/program.yaml &&
	wait $pid && sed -n 2p out > got &&
	echo "program.yaml" > expect && test_cmp expect got
'

test_done
