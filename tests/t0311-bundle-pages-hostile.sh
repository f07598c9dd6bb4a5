#!/bin/sh
# t0311-bundle-pages-hostile: a partner's bundle whose pages or media carry
# active content — scripts, event handlers, frames, javascript: and data:
# links, inline SVG, entities, SVG files, an index.html, a shell script, a
# .png that is text, a picture the manifest does not list — is refused by
# `stegc verify`, by `steg import` (signed by a trusted key, and with
# --allow-unsigned) and by `steg sync`, with the finding that names the
# entry, and leaves no version in the registry.  The bundles are SIGNED:
# each crafted manifest is signed again with the partner's key, so the
# signature holds and only the content check can stop them.
# (docs/bundle-format.md, "Pages" and "Media"; core/page.c, core/media.c.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/channel-lib.sh"
CRAFT="python3 $SRC/tests/tools/bundlecraft.py"
H=$TRASH_ROOT/h

# Region A's key, region B's registry trusting it, and se.test.bas 1.3.0
# built from the golden base: the bundle each case damages.
setup() {
	mkdir -p "$W" "$H" &&
	"$STEGC" keygen -o "$W/a" --unencrypted > /dev/null &&
	"$STEGC" keygen -o "$W/b" --unencrypted > /dev/null &&
	"$STEG" --db "$W/B.db" init --region $RB --name "Region B" --admin $BADM --key "$W/b.pub" > /dev/null &&
	"$STEG" --db "$W/B.db" user add $BPUB --name "Per B" --role publisher --as $BADM > /dev/null &&
	"$STEG" --db "$W/B.db" trust add --region $RA --key "$W/a.pub" --as $BADM > /dev/null &&
	cp -R "$SRC/tests/golden/base" "$H/src" &&
	sed -i "s/^version: 1.0.0$/version: 1.3.0/" "$H/src/program.yaml" &&
	"$STEGC" build -q "$H/src" -o "$H/good.steg" &&
	unzip -p "$H/good.steg" pages/intro/01.xhtml > "$H/page.xhtml"
}
setup || { echo "Bail out! cannot set up region B and the base bundle"; exit 1; }

# page OLD NEW: $H/page.xhtml with OLD replaced by NEW, as ./page.xhtml
page() {
	cp "$H/page.xhtml" page.xhtml &&
	python3 "$SRC/tests/tools/replace_once.py" page.xhtml "$1" "$2"
}

# craft OP ARGS...: x.steg from the good bundle, its manifest signed again
# by region A (with minisign: stegc sign refuses to sign a bad bundle)
craft() {
	$CRAFT "$H/good.steg" y.steg "$@" &&
	unzip -p y.steg manifest.xml > manifest.xml &&
	sign_file "$W/a.key" manifest.xml "steg kind=bundle publisher=$RA id=se.test.bas version=1.3.0 expires=2099-01-01T00:00:00Z" &&
	$CRAFT y.steg x.steg signature manifest.xml.minisig
}

# verify_refuses 'FINDING': stegc verify x.steg exits 1 and its first line
# is FINDING (the signature holds: verify with the key says nothing else)
verify_refuses() {
	run out "$STEGC" verify --pubkey "$W/a.pub" x.steg
	test "$rc" = 1 || { echo "verify: exit $rc, expected 1"; cat out; return 1; }
	echo "$1" > want && head -n 1 out > got && test_cmp want got
}

# import_refuses 'FINDING' [--allow-unsigned]: steg import of x.steg into
# B exits 1, shows FINDING, says nothing was imported, and B holds no
# version afterwards
import_refuses() {
	b_state before.state &&
	run out "$STEG" --db "$W/B.db" import x.steg --as $BPUB ${2:-} &&
	b_state after.state &&
	test_cmp before.state after.state &&
	test "$rc" = 1 || { echo "import: exit $rc, expected 1"; cat out; return 1; }
	grep -Fx "$1" out > /dev/null || { echo "no line: $1"; cat out; return 1; }
	tail -n 1 out > got &&
	echo "steg: error: bundle 'x.steg' is damaged or unsafe (the findings above say how); get it again from its publisher; nothing was imported" > want &&
	test_cmp want got &&
	test "$(sqlite3 "$W/B.db" "SELECT count(*) FROM versions")" = 0
}

# sync_refuses 'FINDING': x.steg shared by A in a channel folder whose
# index A signed; B's sync exits 1, shows FINDING, imports nothing
sync_refuses() {
	rm -rf c && mkdir c &&
	cp x.steg c/se.test.bas-1.3.0.steg &&
	python3 - c/index.json c/se.test.bas-1.3.0.steg "$RA" <<-\EOF &&
	import hashlib, json, sys, time
	data = open(sys.argv[2], "rb").read()
	now = int(time.time())
	ts = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
	ix = {"format": "steg-channel", "format-version": 1, "publisher": sys.argv[3],
	      "sequence": 10, "issued": ts(now), "expires": ts(now + 7 * 86400),
	      "bundles": [{"id": "se.test.bas", "version": "1.3.0",
	                   "file": "se.test.bas-1.3.0.steg", "size": len(data),
	                   "sha256": hashlib.sha256(data).hexdigest()}]}
	open(sys.argv[1], "w").write(json.dumps(ix, indent=2) + "\n")
	EOF
	exp=$(python3 -c "import json; print(json.load(open(\"c/index.json\"))[\"expires\"])") &&
	sign_file "$W/a.key" c/index.json "steg kind=index publisher=$RA sequence=10 expires=$exp" &&
	b_state before.state &&
	run out sync_b c &&
	b_state after.state &&
	test_cmp before.state after.state &&
	test "$rc" = 1 || { echo "sync: exit $rc, expected 1"; cat out; return 1; }
	# sync reads the bundle from a temporary copy, which the findings name
	sed -E "s|^[^ ]*/steg-sync\.[^/]*/se\.test\.bas-1\.3\.0\.steg|x.steg|" out > out.x &&
	grep -Fx "$1" out.x > /dev/null || { echo "no line: $1"; cat out; return 1; }
	tail -n 1 out > got &&
	echo "steg: error: bundle 'c/se.test.bas-1.3.0.steg' is damaged or unsafe (the findings above say how); get it again from its publisher; nothing was imported" > want &&
	test_cmp want got &&
	test "$(sqlite3 "$W/B.db" "SELECT count(*) FROM versions")" = 0 &&
	test "$(sqlite3 "$W/B.db" "SELECT action, outcome FROM audit ORDER BY seq DESC LIMIT 1")" = "sync|refused"
}

# everywhere 'FINDING': refused by verify, import (signed and with
# --allow-unsigned) and sync, each showing FINDING
everywhere() {
	verify_refuses "$1" &&
	import_refuses "$1" &&
	import_refuses "$1" --allow-unsigned &&
	sync_refuses "$1"
}

P=x.steg:pages/intro/01.xhtml

test_expect_success 'every kind of XHTML stegc writes passes the page checks (tests/data/pages/03-horn.md)' '
	cp -R "$SRC/tests/golden/base" prog &&
	cp "$SRC/tests/data/pages/03-horn.md" "$SRC/tests/data/markdown/03-sida.md" prog/modules/ &&
	mkdir prog/media/sub && cp prog/media/te.png prog/media/sub/x.png &&
	python3 "$SRC/tests/tools/mediagen.py" prog/media/f.mp4 prog/media/f.sv.vtt \
		prog/media/l.mp3 prog/media/b.jpg prog/media/c.webp prog/media/d.gif \
		prog/media/o.ogg prog/media/m.m4a prog/media/w.webm prog/media/w.sv.vtt \
		prog/media/film.mp4 prog/media/film.sv.vtt prog/media/ljud.mp3 &&
	"$STEGC" build -q prog -o prog.steg 2> build.err &&
	! grep error build.err &&
	"$STEGC" verify prog.steg > out &&
	grep -q "^prog.steg: ok (" out &&
	for e in depression insomnia tobacco; do
		"$STEGC" build -q "$EX/$e" -o $e.steg && "$STEGC" verify $e.steg > /dev/null || return 1
	done
'

test_expect_success 'the signed base bundle is accepted everywhere (the cases below differ only in what they add)' '
	cp "$H/good.steg" x.steg &&
	"$STEGC" sign x.steg --key "$W/a.key" --unencrypted > /dev/null &&
	"$STEGC" verify --pubkey "$W/a.pub" x.steg > out &&
	cp "$W/B.db" keep.db &&
	"$STEG" --db "$W/B.db" import x.steg --as $BPUB > /dev/null &&
	test "$(sqlite3 "$W/B.db" "SELECT count(*) FROM versions")" = 1 &&
	cp keep.db "$W/B.db"
'

test_expect_success 'a <script> in a page' '
	page "<p>H" "<script>alert(document.cookie)</script><p>H" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	everywhere "$P:3: error: element '\''script'\'' is not allowed in a page: pages hold only the XHTML that stegc writes, never scripts, frames, plug-ins, styles, forms, SVG or MathML [bundle-page-element]"
'

test_expect_success 'onload= and onerror= attributes' '
	page "<img " "<img onerror=\"alert(1)\" " &&
	python3 "$SRC/tests/tools/replace_once.py" page.xhtml "<section " "<section onload=\"alert(2)\" " &&
	craft put pages/intro/01.xhtml page.xhtml &&
	everywhere "$P:2: error: attribute '\''onload'\'' of element '\''section'\'' is not allowed: pages carry no event handlers (scripts) [bundle-page-attribute]" &&
	grep -Fx "$P:4: error: attribute '\''onerror'\'' of element '\''img'\'' is not allowed: pages carry no event handlers (scripts) [bundle-page-attribute]" out.x
'

test_expect_success 'an <iframe>' '
	page "<p>H" "<iframe src=\"https://evil.example/\"></iframe><p>H" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	everywhere "$P:3: error: element '\''iframe'\'' is not allowed in a page: pages hold only the XHTML that stegc writes, never scripts, frames, plug-ins, styles, forms, SVG or MathML [bundle-page-element]"
'

test_expect_success 'a javascript: link' '
	page "Läs lugnt." "<a href=\"javascript:alert(1)\">Läs</a> lugnt." &&
	craft put pages/intro/01.xhtml page.xhtml &&
	everywhere "$P:3: error: attribute '\''href'\'' of element '\''a'\'' holds a '\''javascript:'\'' URL ('\''javascript:alert(1)'\''); a page never runs scripts or carries inline data [bundle-page-link]"
'

test_expect_success 'a data: link' '
	page "Läs lugnt." "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">Läs</a> lugnt." &&
	craft put pages/intro/01.xhtml page.xhtml &&
	everywhere "$P:3: error: attribute '\''href'\'' of element '\''a'\'' holds a '\''data:'\'' URL ('\''data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='\''); a page never runs scripts or carries inline data [bundle-page-link]"
'

test_expect_success 'inline <svg> with a script' '
	page "<p>H" "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg><p>H" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	everywhere "$P:3: error: element '\''svg'\'' is not allowed in a page: pages hold only the XHTML that stegc writes, never scripts, frames, plug-ins, styles, forms, SVG or MathML [bundle-page-element]"
'

test_expect_success 'a DOCTYPE with entities' '
	page "<html " "<!DOCTYPE html [<!ENTITY x \"<script>alert(1)</script>\">]>\\n<html " &&
	python3 "$SRC/tests/tools/replace_once.py" page.xhtml "Läs lugnt." "&x;" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	everywhere "$P:2:1: error: document has a DOCTYPE; a bundle never needs one, and DTDs and entities are refused [xml-doctype]"
'

test_expect_success 'media/x.svg with a script' '
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n" > x.svg &&
	craft list media/x.svg x.svg &&
	everywhere "x.steg: error: entry '\''media/x.svg'\'' is not a kind of entry a bundle holds: only manifest.xml, manifest.xml.minisig, program.xml, pages/*.xhtml and media/ files of the kinds .png, .jpg, .jpeg, .gif or .webp images, .mp3, .m4a or .ogg audio, .mp4 or .webm video, .vtt captions are [bundle-entry-kind]"
'

test_expect_success 'an extra index.html' '
	printf "<html><body><script>alert(1)</script></body></html>\n" > index.html &&
	craft list index.html index.html &&
	everywhere "x.steg: error: entry '\''index.html'\'' is not a kind of entry a bundle holds: only manifest.xml, manifest.xml.minisig, program.xml, pages/*.xhtml and media/ files of the kinds .png, .jpg, .jpeg, .gif or .webp images, .mp3, .m4a or .ogg audio, .mp4 or .webm video, .vtt captions are [bundle-entry-kind]"
'

test_expect_success 'media/run.sh' '
	printf "#!/bin/sh\nrm -rf \"\$HOME\"\n" > run.sh &&
	craft list media/run.sh run.sh &&
	everywhere "x.steg: error: entry '\''media/run.sh'\'' is not a kind of entry a bundle holds: only manifest.xml, manifest.xml.minisig, program.xml, pages/*.xhtml and media/ files of the kinds .png, .jpg, .jpeg, .gif or .webp images, .mp3, .m4a or .ogg audio, .mp4 or .webm video, .vtt captions are [bundle-entry-kind]"
'

test_expect_success 'a .png that is text (here HTML)' '
	printf "<html><script>alert(1)</script></html>\n" > te.png &&
	craft put media/te.png te.png &&
	everywhere "x.steg: error: entry '\''media/te.png'\'' is not an image: a .png file must be a PNG image (image/png), but this one holds text/html [bundle-media-content]"
'

test_expect_success 'an <img src> at an entry the manifest does not list' '
	page "media/te.png" "media/gömd.png" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	everywhere "$P:4: error: element '\''img'\'' refers to '\''../../media/g\\xc3\\xb6md.png'\'', which is not a path of the bundle (letters, digits, '\''.'\'', '\''_'\'', '\''-'\'' and '\''/'\'' only) [bundle-page-media]" &&
	page "media/te.png" "media/hidden.png" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	everywhere "$P:4: error: element '\''img'\'' refers to '\''media/hidden.png'\'', which is not a media entry the manifest lists [bundle-page-media]"
'

# ---- more of the same, at verify (the reader is one for all three) ------

test_expect_success 'obfuscated javascript: (character references, a tab, capitals, a leading space)' '
	page "Läs lugnt." "<a href=\" Java&#9;Script:alert(1)\">a</a> <a href=\"&#x6A;avascript:alert(1)\">b</a>" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	verify_refuses "$P:3: error: attribute '\''href'\'' of element '\''a'\'' holds a '\''javascript:'\'' URL ('\'' Java\\x09Script:alert(1)'\''); a page never runs scripts or carries inline data [bundle-page-link]" &&
	grep -Fx "$P:3: error: attribute '\''href'\'' of element '\''a'\'' holds a '\''javascript:'\'' URL ('\''javascript:alert(1)'\''); a page never runs scripts or carries inline data [bundle-page-link]" out
'

test_expect_success 'links: http:, protocol-relative, outside the bundle, at program.xml' '
	page "Läs lugnt." "<a href=\"http://evil.example/\">a</a> <a href=\"//evil.example/\">b</a> <a href=\"../../../etc/passwd\">c</a> <a href=\"../../program.xml\">d</a> <a href=\"https:evil\">e</a>" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	run out "$STEGC" verify x.steg && test $rc = 1 &&
	cat > want <<-EOF &&
	$P:3: error: link '\''http://evil.example/'\'' uses the scheme '\''http:'\''; a page links only with '\''https:'\'', '\''tel:'\'' or to pages and media of its bundle [bundle-page-link]
	$P:3: error: link '\''//evil.example/'\'' is not a relative path; a page links only with '\''https:'\'', '\''tel:'\'' or to pages and media of its bundle [bundle-page-link]
	$P:3: error: link '\''../../../etc/passwd'\'' climbs out of the bundle; a page links only with '\''https:'\'', '\''tel:'\'' or to pages and media of its bundle [bundle-page-link]
	$P:3: error: link '\''../../program.xml'\'' points at '\''program.xml'\'', which is not a page or media entry the manifest lists [bundle-page-link]
	$P:3: error: link '\''https:evil'\'' is not an https: URL with a host [bundle-page-link]
	5 errors generated
	EOF
	test_cmp want out
'

test_expect_success 'a style attribute, <base>, <form>, a foreign namespace, a processing instruction' '
	page "<p>H" "<?xml-stylesheet href=\"https://evil.example/x.xsl\"?><base href=\"https://evil.example/\"/><form><input name=\"pnr\"/></form><x:y xmlns:x=\"urn:x\"/><p style=\"position:fixed\">H" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	run out "$STEGC" verify x.steg && test $rc = 1 &&
	cat > want <<-EOF &&
	$P:3: error: processing instruction '\''xml-stylesheet'\'' is not allowed in a page [bundle-page-element]
	$P:3: error: element '\''base'\'' is not allowed in a page: pages hold only the XHTML that stegc writes, never scripts, frames, plug-ins, styles, forms, SVG or MathML [bundle-page-element]
	$P:3: error: element '\''form'\'' is not allowed in a page: pages hold only the XHTML that stegc writes, never scripts, frames, plug-ins, styles, forms, SVG or MathML [bundle-page-element]
	$P:3: error: element '\''y'\'' is in another namespace than XHTML'\''s; pages hold only XHTML [bundle-page-element]
	$P:3: error: attribute '\''style'\'' of element '\''p'\'' is not allowed: pages carry no styles [bundle-page-attribute]
	5 errors generated
	EOF
	test_cmp want out
'

test_expect_success 'what the schema refuses: an unknown element, an attribute stegc never writes' '
	page "<p>H" "<marquee>x</marquee><p>H" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	verify_refuses "$P:3: error: element '\''marquee'\'': this element is not expected [xml-schema]" &&
	page "<p>H" "<p class=\"evil\">H" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	verify_refuses "$P:3: error: element '\''p'\'', attribute '\''class'\'': the attribute '\''class'\'' is not allowed [xml-schema]"
'

test_expect_success 'media of the wrong kind: a page as an image, a picture as captions' '
	page "src=\"../../media/te.png\"" "src=\"../intro/02.xhtml\"" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	verify_refuses "$P:4: error: element '\''img'\'' refers to '\''pages/intro/02.xhtml'\'', which is not a media entry the manifest lists [bundle-page-media]" &&
	page "<p><img src=\"../../media/te.png\" alt=\"En kopp te på ett bord\"/></p>" "<p><video controls=\"controls\" src=\"../../media/te.png\" aria-label=\"v\"><track kind=\"captions\" src=\"../../media/te.png\" srclang=\"sv\"/><a href=\"../../media/te.png\">v</a></video></p>" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	run out "$STEGC" verify x.steg && test $rc = 1 &&
	cat > want <<-EOF &&
	$P:4: error: element '\''video'\'' refers to '\''media/te.png'\'', which is not a video [bundle-page-media]
	$P:4: error: element '\''track'\'' refers to '\''media/te.png'\'', which is not a caption file [bundle-page-media]
	2 errors generated
	EOF
	test_cmp want out
'

test_expect_success 'media whose bytes are another kind: a PNG named .mp3, an empty .mp4, captions without WEBVTT' '
	craft list media/ljud.mp3 "$SRC/tests/golden/base/media/te.png" &&
	verify_refuses "x.steg: error: entry '\''media/ljud.mp3'\'' is not audio: a .mp3 file must be MP3 audio (audio/mpeg), but this one holds image/png [bundle-media-content]" &&
	: > empty.mp4 && craft list media/film.mp4 empty.mp4 &&
	verify_refuses "x.steg: error: entry '\''media/film.mp4'\'' is not a video: a .mp4 file must be an MPEG-4 video (video/mp4), but this one holds nothing (the file is empty) [bundle-media-content]" &&
	printf "00:00.000 --> 00:01.000\nHej\n" > c.vtt && craft list media/film.sv.vtt c.vtt &&
	verify_refuses "x.steg: error: entry '\''media/film.sv.vtt'\'' is not a caption file: a .vtt file must be WebVTT captions (text/vtt), but this one holds text/plain without the signature '\''WEBVTT'\'' on its first line [bundle-media-content]"
'

test_expect_success 'entries of no known kind: capitals, a page that is not .xhtml, a folder of its own' '
	printf "x" > f &&
	for n in media/TE.PNG pages/evil.html pages/intro/01.xhtml.bak scripts/x.png .htaccess media/.png; do
		craft list "$n" f &&
		run out "$STEGC" verify x.steg && test "$rc" = 1 &&
		grep -q "^x.steg: error: entry '\''$n'\'' is not a kind of entry a bundle holds" out || { echo "$n"; cat out; return 1; }
	done
'

test_expect_success 'a flood of findings is bounded: 20 per page, then a note' '
	python3 -c "
import sys
s = open(sys.argv[1]).read().replace(\"<p>H\", \"<p onclick=\\\"x\\\">H\" * 1, 1)
s = s.replace(\"</section>\", \"<p onclick=\\\"x\\\">y</p>\" * 500 + \"</section>\")
open(\"page.xhtml\", \"w\").write(s)
" "$H/page.xhtml" &&
	craft put pages/intro/01.xhtml page.xhtml &&
	run out "$STEGC" verify x.steg && test $rc = 1 &&
	test $(grep -c "\[bundle-page-attribute\]" out) = 20 &&
	grep -Fx "$P: note: 481 more findings in this page not shown" out
'

test_done
