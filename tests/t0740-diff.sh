#!/bin/sh
# t0740 — stegc diff classifies what changed between two versions of a
# program: a rating form's item, option value, formula or band is major
# (scores stop being comparable), a new module or form is minor, text is
# patch; and it fails when the new version is too small for the change.
. "$(dirname "$0")/lib.sh"

OLD=$TRASH_ROOT/old.steg
"$STEGC" build -q "$SRC/tests/golden/base" -o "$OLD" ||
	{ echo "Bail out! cannot build the base bundle"; exit 1; }

# variant VERSION 'shell commands run inside the copy' -> new.steg
variant() {
	rm -rf src && cp -R "$SRC/tests/golden/base" src &&
	sed -i "s/^version: 1.0.0$/version: $1/" src/program.yaml &&
	(cd src && eval "$2") &&
	"$STEGC" build -q src -o new.steg
}

# expect_diff CODE: run stegc diff, exit CODE, stdout as in ./want
expect_diff() {
	run out "$STEGC" diff "$OLD" new.steg &&
	test $rc = $1 || { echo "exit $rc, expected $1"; cat out; return 1; }
	test_cmp want out
}

test_expect_success 'the same content is no change' '
	variant 1.0.0 ":" &&
	echo "se.test.bas 1.0.0 -> 1.0.0: no change" > want &&
	expect_diff 0
'

test_expect_success 'changed page text is a patch' '
	variant 1.0.1 "sed -i \"\$ a\\\\Ett nytt stycke text.\" modules/01-intro.md" &&
	cat > want <<-\EOF2 &&
	patch: module '"'"'intro'"'"': text changed
	se.test.bas 1.0.0 -> 1.0.1: a patch change (1 change; needs at least 1.0.1)
	EOF2
	expect_diff 0
'

test_expect_success 'a changed item text is major and needs 2.0.0' '
	variant 1.1.0 "sed -i \"s/Har du känt dig nere?/Har du känt dig nedstämd?/\" forms/mood.yaml" &&
	cat > want <<-\EOF2 &&
	major: form '"'"'mood'"'"' item '"'"'q1'"'"': text changed
	se.test.bas 1.0.0 -> 1.1.0: a major change (1 change; needs at least 2.0.0)
	stegc: error: version '"'"'1.1.0'"'"' is too small: form '"'"'mood'"'"' item '"'"'q1'"'"': text changed needs a major version after '"'"'1.0.0'"'"', at least 2.0.0 [version-too-small]
	EOF2
	sed -i "s|^stegc: error:|new.steg: error:|" want &&
	expect_diff 1 &&
	sed -i "s/^version: 1.1.0$/version: 2.0.0/" src/program.yaml &&
	"$STEGC" build -q src -o new.steg &&
	run out "$STEGC" diff "$OLD" new.steg && test $rc = 0
'

test_expect_success 'option values, formulas and bands are major; band labels patch' '
	variant 2.0.0 "sed -i \"s/{ value: 2, label: Ofta }/{ value: 3, label: Ofta }/; s/to: 4, label: Mycket/to: 6, label: Mycket/\" forms/mood.yaml" &&
	"$STEGC" diff "$OLD" new.steg > out &&
	grep -Fx "major: form '"'"'mood'"'"' item '"'"'q1'"'"': answer options'"'"' values changed" out &&
	grep -Fx "major: form '"'"'mood'"'"' item '"'"'q2'"'"': answer options'"'"' values changed" out &&
	grep -Fx "major: form '"'"'mood'"'"' score '"'"'total'"'"': bands changed" out &&
	variant 2.0.0 "sed -i \"s/value: sum(q1..q2)/value: max(q1, q2) * 2/; s/from: 0, to: 1, label: Lite, level: low/from: 0, to: 1, label: Lite, level: low/\" forms/mood.yaml" &&
	run out "$STEGC" diff "$OLD" new.steg &&
	grep -Fx "major: form '"'"'mood'"'"' score '"'"'total'"'"': formula changed" out &&
	variant 1.0.1 "sed -i \"s/label: Lite, level: low/label: Lindrigt, level: low/\" forms/mood.yaml" &&
	cat > want <<-\EOF2 &&
	patch: form '"'"'mood'"'"' score '"'"'total'"'"': band labels changed
	se.test.bas 1.0.0 -> 1.0.1: a patch change (1 change; needs at least 1.0.1)
	EOF2
	expect_diff 0
'

test_expect_success 'reformatting a formula is not a change' '
	variant 1.0.0 "sed -i \"s/value: sum(q1..q2)/value: \\\"sum( q1 .. q2 )\\\"/\" forms/mood.yaml" &&
	echo "se.test.bas 1.0.0 -> 1.0.0: no change" > want &&
	expect_diff 0
'

test_expect_success 'an added module is minor; a removed one major' '
	variant 1.1.0 "cp modules/02-vardag.md modules/03-extra.md && sed -i \"s/^title: .*/title: Extra/\" modules/03-extra.md && (grep -q \"^modules:\" program.yaml && sed -i \"/^modules:/a\\\\  - 03-extra.md\" program.yaml || :)" &&
	run out "$STEGC" diff "$OLD" new.steg &&
	test $rc = 0 &&
	grep -Fx "minor: module '"'"'extra'"'"': added" out &&
	tail -n 1 out | grep -q ": a minor change" &&
	variant 1.1.0 "rm modules/02-vardag.md" &&
	run out "$STEGC" diff "$OLD" new.steg &&
	test $rc = 1 &&
	grep -Fx "major: module '"'"'vardag'"'"': removed" out
'

test_expect_success 'an added item changes the instrument: major' '
	variant 2.0.0 "sed -i \"/text: Har du haft svårt att sova?/a\\\\  - id: q3\\\\n    text: Har du haft ont?\" forms/mood.yaml" &&
	run out "$STEGC" diff "$OLD" new.steg && test $rc = 0 &&
	grep -Fx "major: form '"'"'mood'"'"' item '"'"'q3'"'"': added (the instrument changed)" out
'

test_expect_success 'a smaller version is refused; JSON carries the same' '
	variant 0.9.0 "sed -i \"\$ a\\\\Mer text.\" modules/01-intro.md" &&
	run out "$STEGC" diff "$OLD" new.steg && test $rc = 1 &&
	grep -q "^new.steg: error: version '"'"'0.9.0'"'"' is too small: module '"'"'intro'"'"': text changed needs a patch version after '"'"'1.0.0'"'"', at least 1.0.1 \[version-too-small\]$" out &&
	run out.json "$STEGC" diff "$OLD" new.steg --format json && test $rc = 1 &&
	sed -i "/^new.steg: error:/d" out.json &&
	python3 -c "
import json
v = json.load(open(\"out.json\"))
assert v[\"program\"] == \"se.test.bas\" and v[\"old\"] == \"1.0.0\" and v[\"new\"] == \"0.9.0\"
assert v[\"level\"] == \"patch\" and v[\"needed\"] == \"1.0.1\" and v[\"version_ok\"] is False
assert v[\"changes\"] == [{\"level\": \"patch\", \"what\": \"module '"'"'intro'"'"'\", \"how\": \"text changed\"}], v
"
'

test_expect_success 'diff refuses different programs and damaged bundles' '
	variant 1.0.1 "sed -i \"s/^id: se.test.bas$/id: se.test.annan/\" program.yaml" &&
	run out "$STEGC" diff "$OLD" new.steg && test $rc = 1 &&
	echo "stegc: error: '"'"'$OLD'"'"' is program '"'"'se.test.bas'"'"' and '"'"'new.steg'"'"' is program '"'"'se.test.annan'"'"'; diff compares versions of one program" > want &&
	test_cmp want out &&
	printf "junk" > junk.steg &&
	run out "$STEGC" diff "$OLD" junk.steg && test $rc = 1 &&
	run out "$STEGC" diff "$OLD" && test $rc = 2
'

test_done
