#!/bin/sh
# t0800-new — `stegc new DIR`: a starter program that checks clean, refuses
# to mix with existing work, and leaves nothing behind when it fails.
. "$(dirname "$0")/lib.sh"

test_expect_success 'new writes a starter that checks with no finding' '
	"$STEGC" new prog > out &&
	grep -q "created .prog.: program .se.exempel.prog." out &&
	test -f prog/program.yaml &&
	test -f prog/modules/01-valkommen.md &&
	test -f prog/modules/02-forsta-steget.md &&
	test -f prog/forms/veckokoll.yaml &&
	test -f prog/media/ang.png &&
	run check.out "$STEGC" check prog && test $rc = 0 &&
	! grep -E "warning|error|note" check.out
'

test_expect_success 'the starter passes -Werror too' '
	"$STEGC" new prog > /dev/null &&
	"$STEGC" check -Werror prog
'

test_expect_success '--id and --title are written into program.yaml' '
	"$STEGC" new --id se.region.mitt-test --title "Min \"första\" kurs" p2 > /dev/null &&
	grep -x "id: se.region.mitt-test" p2/program.yaml &&
	grep -x "title: \"Min \\\\\"första\\\\\" kurs\"" p2/program.yaml &&
	"$STEGC" check p2
'

test_expect_success 'the default id comes from the folder name' '
	"$STEGC" new "Mitt Program_2" > /dev/null &&
	grep -x "id: se.exempel.mitt-program-2" "Mitt Program_2/program.yaml"
'

test_expect_success 'an existing empty folder is used' '
	mkdir empty &&
	"$STEGC" new empty > /dev/null &&
	test -f empty/program.yaml &&
	mkdir probe &&
	test "$(stat -c %a empty)" = "$(stat -c %a probe)"
'

test_expect_success 'a non-empty folder is refused and left untouched' '
	mkdir full && echo mine > full/notes.txt &&
	run out "$STEGC" new full &&
	test $rc = 2 &&
	grep -q "stegc: error: .full. exists and is not an empty folder" out &&
	test "$(ls full)" = notes.txt
'

test_expect_success 'a file in the way is refused' '
	echo x > afile &&
	run out "$STEGC" new afile && test $rc = 2 &&
	test "$(cat afile)" = x
'

test_expect_success 'a bad id is a usage error and writes nothing' '
	run out "$STEGC" new --id "Bad Id" p3 && test $rc = 2 &&
	grep -q "is not a valid program id" out &&
	! test -e p3 && test -z "$(ls -A | grep -v out)"
'

test_expect_success 'a title with a control character is refused' '
	run out "$STEGC" new --title "$(printf "a\tb")" p4 && test $rc = 2 &&
	! test -e p4
'

test_expect_success 'a missing parent folder fails with exit 3 and leaves nothing' '
	run out "$STEGC" new no/such/dir && test $rc = 3 &&
	grep -q "stegc: error: cannot create a folder beside" out &&
	! test -e no
'

test_expect_success 'a failure half-way removes what was written' '
	# With a file size limit of 0 (and SIGXFSZ ignored) the folders are
	# made but the first file cannot be written.
	# The output goes through a pipe, which the limit does not cover.
	mkdir w &&
	{ (trap "" XFSZ; ulimit -f 0; exec "$STEGC" new w/p) 2>&1
	  echo "exit $?"; } | cat > out &&
	grep -q "stegc: error: cannot write .w/p.new.*program.yaml.: File too large" out &&
	grep -qx "exit 3" out &&
	test -z "$(ls -A w)"
'

test_expect_success 'usage: no folder, two folders, unknown option' '
	run out "$STEGC" new && test $rc = 2 &&
	grep -q "usage: stegc new DIR" out &&
	run out "$STEGC" new a b && test $rc = 2 &&
	run out "$STEGC" new --bogus a && test $rc = 2 &&
	! test -e a && ! test -e b
'

test_expect_success 'the starter builds into a bundle that verifies' '
	"$STEGC" new prog > /dev/null &&
	if "$STEGC" build prog -o prog.steg > build.out 2>&1; then
		"$STEGC" verify prog.steg &&
		unzip -t prog.steg > /dev/null
	else
		grep -q "not part of this build" build.out
	fi
'

test_expect_success 'a Swedish folder name: the id in ASCII, and new says so' '
	"$STEGC" new oro-ångest > out &&
	cat > expect <<-\EOF &&
	created '"'"'oro-ångest'"'"': program '"'"'se.exempel.oro-angest'"'"', 2 modules, 1 form, 1 image
	note: ids are in ASCII: '"'"'oro-ångest'"'"' is written '"'"'oro-angest'"'"' in the id (docs/source-format.md, "Names in ASCII"); give another with --id
	next: stegc check oro-ångest && stegc build oro-ångest
	EOF
	test_cmp expect out &&
	grep -x "id: se.exempel.oro-angest" oro-ångest/program.yaml &&
	"$STEGC" check -Werror oro-ångest
'

test_expect_success 'a name written decomposed (as macOS writes it) gives the same id' '
	d=$(printf "Oro-a\314\212ngest") &&
	"$STEGC" new "$d" > out &&
	grep -x "id: se.exempel.oro-angest" "$d/program.yaml" &&
	grep -q "^note: ids are in ASCII" out
'

test_expect_success 'an ASCII folder name gives no note' '
	"$STEGC" new "Mitt Program_2" > out &&
	! grep -q "^note" out
'

test_expect_success 'a name with a character that has no ASCII spelling is refused with a name to use' '
	run out "$STEGC" new "oro&ångest" && test $rc = 2 &&
	echo "stegc: error: a program id is made from the folder name in a-z, 0-9 and '"'"'-'"'"', and '"'"'&'"'"' has no such spelling; name the folder oroangest, or give the id with --id (e.g. --id se.region.oroangest)" > expect &&
	test_cmp expect out &&
	! test -e "oro&ångest"
'

test_expect_success 'a name in another script is refused; --id makes it' '
	run out "$STEGC" new 感情 && test $rc = 2 &&
	echo "stegc: error: a program id is made from the folder name in a-z, 0-9 and '"'"'-'"'"', and '"'"'感'"'"' has no such spelling; give the id with --id (e.g. --id se.region.mitt-program)" > expect &&
	test_cmp expect out &&
	! test -e 感情 &&
	"$STEGC" new --id se.region.kansla 感情 > out &&
	grep -x "id: se.region.kansla" 感情/program.yaml
'

test_expect_success 'a name of separators only is refused' '
	run out "$STEGC" new ./__ && test $rc = 2 &&
	grep -qx "stegc: error: the folder name .__. has no letter or digit to make a program id of; give the id with --id (e.g. --id se.region.mitt-program)" out &&
	! test -e __
'

test_done
