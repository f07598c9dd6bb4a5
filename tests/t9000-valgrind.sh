#!/bin/sh
# t9000-valgrind: the plain build under valgrind's memcheck on the main
# paths — check, build, verify, inspect of an example, a hostile YAML
# file, and the registry's import — with no error and no definite leak.
. "$(dirname "$0")/lib.sh"

# Without valgrind every test is a TAP skip, which tests/run.sh counts
# as skipped (and `make check`, which installs valgrind, as a failure).
vg_skip=
command -v valgrind >/dev/null 2>&1 ||
	vg_skip="valgrind is not installed (make deps installs it)"
vg_test() {
	if [ -n "$vg_skip" ]; then test_skip "$1" "$vg_skip"; else test_expect_success "$1" "$2"; fi
}
# --trace-children: steg import runs steg-bundle (docs/architecture.md),
# which must be checked too.
VG="valgrind -q --trace-children=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"

vg_test 'check of the depression example is clean under valgrind' '
	$VG "$STEGC" check -q "$EX/depression"
'

vg_test 'build, verify and inspect under valgrind' '
	$VG "$STEGC" build -q "$EX/insomnia" -o ins.steg &&
	$VG "$STEGC" verify ins.steg > /dev/null &&
	$VG "$STEGC" inspect ins.steg > /dev/null
'

vg_test 'a billion-laughs program.yaml is refused cleanly under valgrind' '
	cp -R "$SRC/tests/golden/base" p &&
	python3 -c "
print(\"conditions:\")
print(\"  - &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\")
for i in range(1,10): print(\"  - &%s [\" % chr(97+i) + \",\".join([\"*\"+chr(96+i)]*9) + \"]\")
" >> p/program.yaml &&
	rc=0 && $VG "$STEGC" check p 2> err || rc=$? &&
	test $rc = 1 && grep -q "yaml-limit" err
'

vg_test 'media sniffing and page checks refuse cleanly under valgrind' '
	cp -R "$SRC/tests/golden/base" p &&
	printf "inte ljud\n" > p/media/ljud.mp3 &&
	rc=0 && $VG "$STEGC" check p 2> err || rc=$? &&
	test $rc = 1 && grep -q "\[media-content\]" err &&
	"$STEGC" build -q "$SRC/tests/golden/base" -o base.steg &&
	unzip -p base.steg pages/intro/01.xhtml |
		sed "s|<p>|<p onclick=\"x()\"><script>alert(1)</script>|" > page.xhtml &&
	python3 "$SRC/tests/tools/bundlecraft.py" base.steg x.steg put pages/intro/01.xhtml page.xhtml &&
	rc=0 && $VG "$STEGC" verify x.steg 2> err || rc=$? &&
	test $rc = 1 && grep -q "\[bundle-page-element\]" err &&
	printf "<html/>" > te.png &&
	python3 "$SRC/tests/tools/bundlecraft.py" base.steg y.steg put media/te.png te.png &&
	rc=0 && $VG "$STEGC" verify y.steg 2> err || rc=$? &&
	test $rc = 1 && grep -q "\[bundle-media-content\]" err
'

vg_test 'check in Swedish (the catalogue, the check cache stamp, libyaml and hint messages) under valgrind' '
	cp -R "$SRC/tests/golden/base" p &&
	cp -R "$SRC/tests/golden/cases/load-yaml-quote-title/." p/ &&
	for i in 1 2; do
		rc=0 && env -u LC_MESSAGES LANG=sv_SE.UTF-8 $VG "$STEGC" check p 2> err || rc=$?
		test $rc = 1 && grep -q "fel: värden i en mappning är inte tillåtna här \[yaml-syntax\]" err || return 1
	done
'

vg_test 'steg import and list under valgrind' '
	"$STEGC" build -q "$SRC/tests/golden/base" -o base.steg &&
	$VG "$STEG" --db r.db init --region SE2321000016-0001 --name Region --admin SE2321000016-A001 > /dev/null &&
	$VG "$STEG" --db r.db import base.steg --allow-unsigned --as SE2321000016-A001 > /dev/null &&
	$VG "$STEG" --db r.db list > /dev/null
'
test_done
