#!/bin/sh
# t0201-markdown-hostile: modules written to hurt — deep nesting, cmark's
# known quadratic inputs, oversized files, bytes that are not text.  Each
# must end (timeout 60 is a hang guard, not a speed test: make bench times) with exit 1
# and a message that says what is wrong and where.
. "$(dirname "$0")/lib.sh"

# hostile NAME PYTHON-EXPRESSION: program "NAME" whose third module is the
# bytes the expression gives (after a valid front matter unless it says
# otherwise); check it under timeout 60 into "out", exit code into "rc".
hostile() {
	cp -R "$SRC/tests/golden/base" "$1" &&
	python3 -c "import sys
body = $2
if isinstance(body, str): body = body.encode()
sys.stdout.buffer.write(body)" > "$1/modules/03-ond.md" &&
	rc=0 &&
	{ timeout 60 "$STEGC" check "$1" > out 2>&1 || rc=$?; } &&
	head -c 2000 out
}
FM='b"---\ntitle: Ond\n---\n"'

test_expect_success '100,000 nested block quotes: nesting-depth, in bounded time' '
	hostile deep "$FM + b\">\" * 100000 + b\" x\n\"" &&
	test $rc = 1 &&
	grep "^deep/modules/03-ond.md:4:33: error: text is nested more than 32 levels deep (quotes, lists, emphasis); flatten it \[nesting-depth\]$" out
'

test_expect_success '60,000 nested list items: nesting-depth, in bounded time' '
	hostile lists "$FM + b\"- \" * 60000 + b\"x\n\"" &&
	test $rc = 1 &&
	grep "^lists/modules/03-ond.md:4:33: error: text is nested more than 32 levels deep" out
'

test_expect_success 'nested lists one per line: nesting-depth' '
	hostile ladder "$FM + b\"\".join(b\"  \" * i + b\"- x\n\" for i in range(200))" &&
	test $rc = 1 &&
	grep "error: text is nested more than 32 levels deep" out
'

test_expect_success 'deep emphasis: nesting-depth, not a stack overflow' '
	hostile emph "$FM + b\"*a **\" * 20000 + b\"\n\"" &&
	test $rc -le 1 && ! grep -i "sanitizer\|overflow" out
'

test_expect_success 'cmark quadratic input ![[]() repeated to the size limit: bounded, findings capped' '
	hostile quad "$FM + b\"![[]()\" * 21000 + b\"\n\"" &&
	test $rc = 1 &&
	grep "^quad/modules/03-ond.md:4:3: error: link has no target \[broken-link\]$" out &&
	grep "error: this module has [0-9]* more findings that are not shown; fix the first 100 and check again \[too-many-findings\]" out &&
	test $(grep -c "\[broken-link\]" out) -le 100
'

test_expect_success 'unclosed brackets and code spans to the size limit' '
	hostile brackets "$FM + b\"[\" * 60000 + b\"\`\" * 60000 + b\"\n\"" &&
	test $rc -le 1 && ! grep -i "sanitizer" out
'

test_expect_success 'a 200 KB module: module-too-large, not parsed' '
	hostile big "$FM + b\"Ord och meningar. \" * 11500" &&
	test $rc = 1 &&
	cat > expect <<-\EXPECT &&
	big/modules/03-ond.md: error: module is 203 KiB, more than the limit of 128 KiB; split it into smaller modules [module-too-large]
	1 error generated
	EXPECT
	test_cmp expect out
'

test_expect_success 'a NUL byte: encoding error at its line and column' '
	hostile nul "$FM + b\"Hej\n\nett\x00tecken\n\"" &&
	test $rc = 1 &&
	cat > expect <<-\EXPECT &&
	nul/modules/03-ond.md:6:4: error: NUL byte in a module; is this a text file? [encoding]
	    6 | ett?tecken
	      |    ^
	1 error generated
	EXPECT
	test_cmp expect out
'

test_expect_success 'invalid UTF-8 (a lone continuation byte, an overlong form, a surrogate)' '
	for bad in "\x80" "\xc0\xaf" "\xed\xa0\x80" "\xf4\x90\x80\x80" "\xe4\xbd"; do
		rm -rf u &&
		hostile u "$FM + b\"Text $bad slut\n\"" > /dev/null &&
		test $rc = 1 &&
		grep "^u/modules/03-ond.md:4:6: error: invalid UTF-8 (byte 0x[0-9a-f]*); save the file as UTF-8 \[encoding\]$" out ||
		return 1
	done
'

test_expect_success 'a control character: encoding error' '
	hostile ctl "$FM + b\"Text \x1b[31m r\xc3\xb6d\n\"" &&
	test $rc = 1 &&
	grep "^ctl/modules/03-ond.md:4:6: error: control character U+001B is not allowed in a module; remove it \[encoding\]$" out
'

test_expect_success 'binary junk instead of a module' '
	hostile junk "bytes(range(256)) * 100" &&
	test $rc = 1 &&
	grep "\[encoding\]" out
'

test_expect_success 'a hostile component block: deep YAML is refused with its real line' '
	hostile yamldeep "$FM + b\"Text.\n\n\`\`\`form\nref: \" + b\"[\" * 100000 + b\"\n\`\`\`\n\"" &&
	test $rc = 1 &&
	grep "^yamldeep/modules/03-ond.md:7:" out && grep "\[yaml-limit\]" out
'

test_expect_success 'thousands of component blocks with errors: bounded and capped' '
	hostile blocks "$FM + b\"\`\`\`form\nrf: x\n\`\`\`\n\n\" * 5000" &&
	test $rc = 1 &&
	test $(grep -c "\[unknown-key\]" out) -le 100 &&
	grep "\[too-many-findings\]" out
'
test_done
