#!/bin/sh
# t0203-markdown-fuzz: random modules built from the pieces that are hard
# to render safely (tests/tools/mdfuzz.py: entities of characters XML
# forbids, raw HTML, markup characters, nesting, code, links, media,
# components).  For fixed seeds the program must build, and every page and
# program.xml must be well-formed XML with no raw markup in it; the only
# findings allowed are the warnings such text earns.
. "$(dirname "$0")/lib.sh"

for seed in 1 2 3 4 5; do
	test_expect_success "random modules, seed $seed: the bundle builds and every page is XML" "
		cp -R \"\$SRC/tests/golden/base\" prog &&
		python3 \"\$SRC/tests/tools/mdfuzz.py\" $seed 20 prog &&
		timeout 60 \"\$STEGC\" build prog -o prog.steg > out 2>&1 &&
		! grep -Ev '\\[(raw-html|heading-level|vague-link|lix)\\]\$|^ |generated\$|^wrote ' out &&
		\"\$STEGC\" verify prog.steg > /dev/null &&
		python3 -c 'import zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(\"prog.steg\")
ET.fromstring(z.read(\"program.xml\"))
n = 0
for name in z.namelist():
    if name.startswith(\"pages/\"):
        root = ET.fromstring(z.read(name))
        for el in root.iter():
            tag = el.tag.split(\"}\")[1]
            assert tag not in (\"script\", \"div\") or el.get(\"class\", \"\").startswith(\"steg-component\"), (name, tag)
            assert not [a for a in el.attrib if a.startswith(\"on\")], (name, tag)
        n += 1
assert n > 20, n'
	"
done
test_done
