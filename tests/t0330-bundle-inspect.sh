#!/bin/sh
# t0330-bundle-inspect: `stegc inspect` says in words (or JSON) what is in a
# bundle, after verifying it.
. "$(dirname "$0")/lib.sh"
BASE=$SRC/tests/golden/base

# The bundle's own size and hash change with the compiler's output.
mask() { sed -E 's/^bundle: (.*), [0-9]+ bytes, ([0-9]+) entries \([0-9]+ bytes unpacked\), sha256 [0-9a-f]{64}$/bundle: \1, N bytes, \2 entries (N bytes unpacked), sha256 H/'; }

test_expect_success 'inspect describes the program, modules, forms, media and bundle' '
	"$STEGC" build -q -o b.steg "$BASE" &&
	"$STEGC" inspect b.steg > out && mask < out > actual &&
	cat > expect <<-EOF &&
	se.test.bas 1.0.0: Basprogram
	  kind       treatment, started by a clinician, language sv
	  producer   Region Test (SE2321000016-0001)
	  summary    Ett litet program som testerna bygger vidare på.
	  duration   2 weeks
	  retention  365 days after completion
	  built      2023-11-14T22:13:20Z by stegc 0.2.0
	  signature  unsigned

	modules: 2, 4 pages, 10 minutes
	  1. intro: Introduktion (10 min)
	       pages/intro/01.xhtml  Introduktion
	       pages/intro/02.xhtml  Så går det till
	  2. vardag: Vardagen
	       unlock: completed("intro")
	       pages/vardag/01.xhtml  Vardagen  [form mood]
	       pages/vardag/02.xhtml  Din vecka

	forms: 1
	  mood: Hur mår du? (Humör), 2 items
	     score total, 0 to 4: 0-1 Lite, 2-4 Mycket
	     alert nere (warning): q1 >= 2
	  given:
	     mood at start, end

	exercises: 0

	media: 1, 73 bytes
	  media/te.png  image, 73 bytes

	bundle: b.steg, N bytes, 7 entries (N bytes unpacked), sha256 H
	EOF
	test_cmp expect actual
'

test_expect_success 'inspect --json gives the same facts to scripts' '
	"$STEGC" build -q -o b.steg "$BASE" &&
	"$STEGC" inspect --json b.steg > out.json &&
	python3 - out.json <<-EOF
	import json, sys, hashlib
	j = json.load(open(sys.argv[1]))
	assert j["id"] == "se.test.bas" and j["version"] == "1.0.0", j
	assert j["signed"] is False and j["key_id"] is None
	assert j["producer"] == {"id": "SE2321000016-0001", "name": "Region Test"}
	assert [m["id"] for m in j["modules"]] == ["intro", "vardag"]
	assert [len(m["pages"]) for m in j["modules"]] == [2, 2]
	assert j["minutes"] == 10
	f = j["forms"][0]
	assert f["id"] == "mood" and f["items"] == 2
	assert f["scores"][0]["min"] == 0 and f["scores"][0]["max"] == 4
	assert [b["label"] for b in f["scores"][0]["bands"]] == ["Lite", "Mycket"]
	assert j["media"] == [{"path": "media/te.png", "kind": "image", "size": 73}]
	assert j["sha256"] == hashlib.sha256(open("b.steg", "rb").read()).hexdigest()
	assert [e["path"] for e in j["entries"]][0] == "program.xml"
	EOF
'

test_expect_success 'inspect names the key of a signed bundle' '
	"$STEGC" keygen -o k --unencrypted > /dev/null &&
	SOURCE_DATE_EPOCH=$(date +%s) "$STEGC" build -q -o s.steg --sign k.key --unencrypted "$BASE" &&
	"$STEGC" inspect s.steg > out &&
	grep -q "^  signature  signed by key [0-9A-F]\{16\}$" out
'

test_expect_success 'inspect --cat writes one entry exactly, or names the missing one' '
	"$STEGC" build -q -o b.steg "$BASE" &&
	"$STEGC" inspect --cat media/te.png b.steg > te.png &&
	cmp te.png "$BASE/media/te.png" &&
	"$STEGC" inspect --cat pages/intro/01.xhtml b.steg > page &&
	unzip -p b.steg pages/intro/01.xhtml | cmp - page &&
	run actual "$STEGC" inspect --cat pages/none.xhtml b.steg && test "$rc" = 1 &&
	printf "%s\n1 error generated\n" "b.steg: error: the bundle has no entry '\''pages/none.xhtml'\'' [bundle-missing-entry]" > expect &&
	test_cmp expect actual
'

test_expect_success 'inspect of a non-bundle exits 1, of nothing 3, without a bundle 2' '
	echo hello > x.steg &&
	run out "$STEGC" inspect x.steg && test "$rc" = 1 &&
	run out "$STEGC" inspect none.steg && test "$rc" = 3 &&
	run out "$STEGC" inspect && test "$rc" = 2
'

test_done
