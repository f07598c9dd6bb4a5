#!/bin/sh
# t0404 — program.xml under mutation: a fixed-seed mutator makes 400
# variants of real program.xml files (bytes flipped, cut, repeated, values
# swapped for hostile ones: empty, huge, NaN, control characters, bad
# UTF-8, entities; and values swapped for valid but non-canonical ones) and the XML layer must refuse or accept each
# without a crash or a sanitizer report; whatever it accepts must write
# back in a stable, canonical form (read, write, read, write: the same
# bytes).  The sanitizer build runs this under ASan and UBSan.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/tools/progxml-tool.sh"

test_expect_success 'setup: tool and seeds (base, tricky, examples)' '
	build_progxml_tool &&
	mkdir -p "$TRASH_ROOT/seeds" &&
	"$STEGC" build "$SRC/tests/golden/base" -o base.steg &&
	unzip -p base.steg program.xml > "$TRASH_ROOT/seeds/base.xml" &&
	for ex in depression insomnia; do
		"$STEGC" build "$EX/$ex" -o $ex.steg &&
		unzip -p $ex.steg program.xml > "$TRASH_ROOT/seeds/$ex.xml" || return 1
	done
'

test_expect_success 'the seeds themselves are stable' '
	"$PXT" stable "$TRASH_ROOT"/seeds/*.xml > out &&
	echo "3 read, 0 refused, 0 unstable" > expect && test_cmp expect out
'

test_expect_success '400 mutants: no crash, every accepted one stable' '
	python3 - "$TRASH_ROOT/seeds" <<-\PY &&
	import os, random, re, sys
	rnd = random.Random(4004)
	seeds = [open(os.path.join(sys.argv[1], f), "rb").read() for f in sorted(os.listdir(sys.argv[1]))]
	hostile = [b"", b" ", b"-1", b"1e999", b"NaN", b"INF", b"0x10", b"+1", b"1.", b".5",
	           b"\x01", b"&#1;", b"&#xFFFE;", b"\xff\xfe", b"\xed\xa0\x80", b"&amp;&lt;",
	           b"&unknown;", b"]]>", b"<", b"\"", b"a" * 70000, b"true", b"2", b"99999999999999999999",
	           b"module:", b"pages/../x", b"media/a b", b"\t\n\r", "\u00e5\u00e4\u00f6".encode()]
	# values a valid program.xml may well hold, spelled in ways that are
	# not canonical or easy to get wrong, each where it belongs
	numbers = [b"0.1", b"-0", b"1e-300", b"3.0000000000000004", b" 5 ", b"1", b"0",
	           b"010", b"1E5", b"-2.50", b"123456789012345678", b"4.9e-324", b"1e-400"]
	texts = [b"\xc3\xa5 &lt;&gt;&amp; &quot;", b"&#9;tab&#10;nl&#13;cr", b"x\ny",
	         b"  spaces  ", b"q9", "\U0001f600 \u00e4".encode(), b"&#x41;&#66;",
	         b"x" * 3000, b"]]&gt;", b"&apos;"]
	num_re = re.compile(rb" (value|min|max|from|to|step)=\"[^\"]*\"")
	text_re = re.compile(rb" (title|label|name|unit|license)=\"[^\"]*\"|<(text|message|summary|instructions|reference|audience|condition)>[^<]*<")
	def benign(s):
	    if rnd.randrange(2):
	        ms = list(num_re.finditer(bytes(s)))
	        if ms:
	            m = rnd.choice(ms)
	            s[m.start():m.end()] = b" " + m.group(1) + b"=\"" + rnd.choice(numbers) + b"\""
	            return
	    m = rnd.choice(list(text_re.finditer(bytes(s))))
	    v = rnd.choice(texts)
	    if m.group(1):
	        s[m.start():m.end()] = b" " + m.group(1) + b"=\"" + v.replace(b"\n", b"&#10;") + b"\""
	    else:
	        s[m.start():m.end()] = b"<" + m.group(2) + b">" + v + b"<"
	values = re.compile(rb"=\"[^\"]*\"|>[^<]+<")
	def swap(s, pool):
	    ms = list(values.finditer(bytes(s)))
	    m = rnd.choice(ms)
	    v = rnd.choice(pool).replace(b"\"", b"&quot;").replace(b"<", b"&lt;")
	    rep = b"=\"" + v + b"\"" if m.group(0).startswith(b"=") else b">" + v + b"<"
	    s[m.start():m.end()] = rep
	for i in range(200):
	    s = bytearray(rnd.choice(seeds))
	    for _ in range(rnd.randint(1, 4)):
	        op = rnd.randrange(6)
	        pos = rnd.randrange(len(s))
	        if op == 0:
	            s[pos] = rnd.randrange(256)
	        elif op == 1:
	            del s[pos:pos + rnd.randint(1, 200)]
	        elif op == 2:
	            s[pos:pos] = s[pos:pos + rnd.randint(1, 400)]
	        elif op == 3:
	            s = s[:pos]
	        elif op == 4:
	            s[pos:pos] = rnd.choice(hostile)
	        else:
	            swap(s, hostile)
	    open("m%03d.xml" % i, "wb").write(bytes(s))
	for i in range(200, 400):
	    s = bytearray(rnd.choice(seeds))
	    for _ in range(rnd.randint(1, 3)):
	        benign(s)
	    open("m%03d.xml" % i, "wb").write(bytes(s))
	PY
	run out "$PXT" stable m*.xml &&
	tail -n 1 out &&
	test $rc = 0 &&
	grep "^[0-9]* read, [0-9]* refused, 0 unstable$" out &&
	read=$(tail -n 1 out | cut -d" " -f1) &&
	test "$read" -ge 200 &&
	! grep -i "sanitizer\|runtime error" out
'

test_done
