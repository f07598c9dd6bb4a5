#!/bin/sh
# t0302-parallel-load: modules load on several threads (compiler/
# modules.c), and nothing a user sees depends on it: the findings (text,
# JSON, their order and excerpts), the bundle's bytes and a link's target
# are those of loading one module at a time (STEG_JOBS=1).  The program
# has findings in many modules, inline exercises in several, and links to
# modules before and after the linking one, one of which sets its own id
# in its front matter.
. "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1700000000

P=$TRASH_ROOT/p
python3 "$SRC/bench/gen.py" "$P" 40 > /dev/null || { echo "Bail out! bench/gen.py failed"; exit 1; }
cp -r "$P" "$TRASH_ROOT/bad"
B=$TRASH_ROOT/bad
set -- "$B"/modules/*.md
# module 30 names itself; modules 3 and 35 link to it, 31 links back to 2
sed -i "0,/^title:/s//id: egen-modul\n&/" "$B/modules/$(basename "$(ls "$B"/modules/*.md | sed -n 30p)")"
m30=$(basename "$(ls "$B"/modules/*.md | sed -n 30p)")
m2=$(basename "$(ls "$B"/modules/*.md | sed -n 2p)")
for k in 3 35; do
	printf '\nLäs mer i [den modulen](%s).\n' "$m30" >> "$(ls "$B"/modules/*.md | sed -n ${k}p)"
done
printf '\nTillbaka till [modul två](%s).\n' "$m2" >> "$(ls "$B"/modules/*.md | sed -n 31p)"
# findings in a dozen modules: an image without alternative text and a
# link to no module
for k in 1 4 7 9 12 15 18 21 26 33 38 40; do
	f=$(ls "$B"/modules/*.md | sed -n ${k}p)
	printf '\n![](../media/%s)\n\nSe [den](999-finns-inte.md).\n' "$(ls "$B/media" | head -n 1)" >> "$f"
done

test_expect_success 'a clean program: the same bundle bytes on one thread and on four' '
	STEG_JOBS=1 "$STEGC" build -q -o one.steg "$P" &&
	STEG_JOBS=4 "$STEGC" build -q -o four.steg "$P" &&
	cmp one.steg four.steg
'

test_expect_success 'findings in many modules: the same text, JSON and exit code on one thread and on four' '
	run one.txt env STEG_JOBS=1 "$STEGC" check "$B" && rc1=$rc &&
	run four.txt env STEG_JOBS=4 "$STEGC" check "$B" && test "$rc" = "$rc1" && test "$rc" = 1 &&
	test_cmp one.txt four.txt &&
	test "$(grep -c "error: image has no alternative text \[alt-text\]" four.txt)" = 12 &&
	grep -q "^ *[0-9]* | Se \[den\](999-finns-inte.md)" four.txt &&
	{ STEG_JOBS=1 "$STEGC" check --format json "$B" > one.json; test $? = 1; } &&
	{ STEG_JOBS=4 "$STEGC" check --format json "$B" > four.json; test $? = 1; } &&
	test -s one.json && cmp one.json four.json
'

# last_page K BUNDLE: the last page of the K-th module, printed
last_page() {
	id=$(basename "$(ls "$B"/modules/*.md | sed -n "$1p")" .md | sed "s/^[0-9]*-//")
	n=$(unzip -l "$2" | grep -c "pages/$id/")
	unzip -p "$2" "$(printf "pages/%s/%02d.xhtml" "$id" "$n")"
}

test_expect_success 'a link reaches a module that names itself, before and after the linking one' '
	for f in "$B"/modules/*.md; do sed -i "/^\!\[\](/d; /999-finns-inte/d" "$f"; done &&
	STEG_JOBS=4 "$STEGC" build -q -o b4.steg "$B" &&
	STEG_JOBS=1 "$STEGC" build -q -o b1.steg "$B" && cmp b1.steg b4.steg &&
	last_page 3 b4.steg > p3 && grep -q "href=\"../egen-modul/01.xhtml\" data-module=\"egen-modul\"" p3 &&
	last_page 35 b4.steg > p35 && grep -q "href=\"../egen-modul/01.xhtml\" data-module=\"egen-modul\"" p35 &&
	m2=$(basename "$(ls "$B"/modules/*.md | sed -n 2p)" .md | sed "s/^[0-9]*-//") &&
	last_page 31 b4.steg > p31 && grep -q "data-module=\"$m2\"" p31
'

test_done
