#!/bin/sh
# t0110-hostile-sources: sources written to hurt — huge scalars, deep
# nesting, bad bytes in content and in file names — each gives exit 1 and a
# clear message naming the file, in bounded time, under the sanitizers.
. "$(dirname "$0")/lib.sh"
BASE=$SRC/tests/golden/base

# check_refused DIR CODE: stegc check exits 1 within 30 s and names CODE
check_refused() {
	rc=0
	timeout 30 "$STEGC" check "$1" > out 2>&1 || rc=$?
	cat out
	test "$rc" = 1 || { echo "exit $rc, expected 1"; return 1; }
	grep -q "\[$2\]" out
}

test_expect_success 'a 64 MB scalar in program.yaml is refused by size' '
	cp -R "$BASE" p &&
	python3 -c "import sys; sys.stdout.write(\"audience: \" + \"x\" * (64 << 20) + \"\n\")" >> p/program.yaml &&
	check_refused p yaml-limit &&
	grep -q "p/program.yaml: error: file is 6710[0-9]* bytes, more than the limit of 1048576" out
'

test_expect_success 'a 64 MB scalar in a form is refused by size' '
	cp -R "$BASE" p &&
	python3 -c "import sys; sys.stdout.write(\"instructions: \" + \"x\" * (64 << 20) + \"\n\")" >> p/forms/mood.yaml &&
	check_refused p yaml-limit && grep -q "forms/mood.yaml" out
'

test_expect_success 'a 64 MB module is refused by size' '
	cp -R "$BASE" p &&
	python3 -c "import sys; sys.stdout.write(\"---\ntitle: x\n---\n\" + \"ord \" * (16 << 20))" > p/modules/03-stor.md &&
	check_refused p module-too-large
'

test_expect_success '100,000-deep nesting in a form is refused' '
	cp -R "$BASE" p &&
	python3 -c "print(\"license: \" + \"{a: \" * 100000 + \"1\" + \"}\" * 100000)" >> p/forms/mood.yaml &&
	check_refused p yaml-limit
'

test_expect_success '100,000-deep nesting in front matter is refused' '
	cp -R "$BASE" p &&
	python3 -c "print(\"---\ntitle: \" + \"[\" * 100000 + \"\n---\ntext\")" > p/modules/03-djup.md &&
	check_refused p yaml-limit
'

test_expect_success 'a NUL byte in a module is refused with its line' '
	cp -R "$BASE" p &&
	printf "Text.\n\000\n" >> p/modules/01-intro.md &&
	check_refused p encoding && grep -q "p/modules/01-intro.md:1[0-9]:" out
'

test_expect_success 'invalid UTF-8 in a module name is refused, the name escaped' '
	cp -R "$BASE" p &&
	cp p/modules/02-vardag.md "$(printf "p/modules/03-d\377lig.md")" &&
	check_refused p bad-file-name &&
	grep -q "modules/03-d\\\\xFFlig.md: error: file name is not valid UTF-8" out
'

test_expect_success 'invalid UTF-8 in a media name is refused, the name escaped' '
	cp -R "$BASE" p &&
	cp p/media/te.png "$(printf "p/media/b\351ld.png")" &&
	check_refused p bad-file-name && grep -q "media/b\\\\xE9ld.png" out
'

test_expect_success 'invalid UTF-8 in a form file name is refused' '
	cp -R "$BASE" p &&
	cp p/forms/mood.yaml "$(printf "p/forms/hum\366r.yaml")" &&
	check_refused p bad-file-name
'

test_expect_success 'a symlink to a folder outside the program is refused' '
	cp -R "$BASE" p && rm -rf p/forms && ln -s /etc p/forms &&
	check_refused p path-escape
'

test_expect_success 'a module that is a symlink out of the program is refused' '
	cp -R "$BASE" p && ln -s /etc/hostname p/modules/03-ut.md &&
	check_refused p path-escape
'

test_expect_success 'a fifo where a module belongs does not hang the compiler' '
	cp -R "$BASE" p && mkfifo p/modules/03-fifo.md &&
	check_refused p not-a-file
'

# Each module file's lstat (and a symlink's containment) is checked by the
# thread that loads it (compiler/modules.c): with many modules and two
# workers the findings are the ones a single thread gives, in file order.
test_expect_success 'bad module files among many are refused alike on one thread and on several' '
	cp -R "$BASE" p &&
	for i in 03 04 05 06 07 08 09 10; do
		cp p/modules/02-vardag.md p/modules/$i-kopia-$i.md || return 1
	done &&
	ln -s /etc/hostname p/modules/11-ut.md &&
	ln -s ../nowhere.md p/modules/12-borta.md &&
	mkdir p/modules/13-mapp.md && mkfifo p/modules/14-fifo.md &&
	ln -s 01-intro.md p/modules/15-lank.md &&
	rc=0 && STEG_JOBS=1 timeout 30 "$STEGC" check --no-cache p > one 2>&1 || rc=$? &&
	test $rc = 1 &&
	rc=0 && STEG_JOBS=2 timeout 30 "$STEGC" check --no-cache p > two 2>&1 || rc=$? &&
	test $rc = 1 && test_cmp one two &&
	grep "^p/modules/1[1-5]-" one | sed "s/: [^:]*\[/ [/" > codes &&
	cat > expected <<-\EOF &&
	p/modules/11-ut.md: error [path-escape]
	p/modules/12-borta.md: error [path-escape]
	p/modules/13-mapp.md: error [not-a-file]
	p/modules/14-fifo.md: error [not-a-file]
	EOF
	test_cmp expected codes && tail -n 1 one > count &&
	echo "4 errors generated" > expected && test_cmp expected count
'

test_expect_success 'a program folder that does not exist is an error, not a crash' '
	check_refused nowhere missing-file
'

test_expect_success 'no partial bundle is left when the build fails' '
	cp -R "$BASE" p && echo "titel: x" >> p/program.yaml &&
	rc=0 && "$STEGC" build p -o out.steg 2> err || rc=$? &&
	test $rc = 1 && ! ls out.steg* 2>/dev/null && ! ls .*.tmp* 2>/dev/null
'
test_done
