#!/bin/sh
# t0741 — stegc diff on the examples: a new PHQ-9 band boundary in the
# depression program is major, a new module in the insomnia program minor,
# new text in the tobacco program patch; each version step is checked.
. "$(dirname "$0")/lib.sh"

# release NAME VERSION 'commands in the copy' -> NAME-VERSION.steg in $TRASH_ROOT
release() {
	rm -rf "$TRASH_ROOT/src-$1" && cp -R "$EX/$1" "$TRASH_ROOT/src-$1" &&
	sed -i "s/^version: 1.0.0$/version: $2/" "$TRASH_ROOT/src-$1/program.yaml" &&
	(cd "$TRASH_ROOT/src-$1" && eval "$3") &&
	"$STEGC" build -q "$TRASH_ROOT/src-$1" -o "$TRASH_ROOT/$1-$2.steg"
}

for ex in depression insomnia tobacco; do
	release $ex 1.0.0 ":" || { echo "Bail out! cannot build examples/$ex"; exit 1; }
done

test_expect_success 'depression: a moved PHQ-9 band boundary is major' '
	release depression 1.1.0 "sed -i \"s/^        to: 4$/        to: 5/; s/^      - from: 5$/      - from: 6/\" forms/phq9.yaml" &&
	run out "$STEGC" diff "$TRASH_ROOT/depression-1.0.0.steg" "$TRASH_ROOT/depression-1.1.0.steg" &&
	test $rc = 1 &&
	id=$(sed -n "s/^id: //p" "$EX/depression/program.yaml") &&
	cat > want <<-EOF2 &&
	major: form '"'"'phq9'"'"' score '"'"'total'"'"': bands changed
	$id 1.0.0 -> 1.1.0: a major change (1 change; needs at least 2.0.0)
	$TRASH_ROOT/depression-1.1.0.steg: error: version '"'"'1.1.0'"'"' is too small: form '"'"'phq9'"'"' score '"'"'total'"'"': bands changed needs a major version after '"'"'1.0.0'"'"', at least 2.0.0 [version-too-small]
	EOF2
	test_cmp want out &&
	release depression 2.0.0 "sed -i \"s/^        to: 4$/        to: 5/; s/^      - from: 5$/      - from: 6/\" forms/phq9.yaml" &&
	"$STEGC" diff "$TRASH_ROOT/depression-1.0.0.steg" "$TRASH_ROOT/depression-2.0.0.steg" > out &&
	tail -n 1 out | grep -q "a major change"
'

test_expect_success 'insomnia: an added module is minor' '
	release insomnia 1.1.0 "printf -- \"---\\ntitle: Extra\\n---\\n\\nEn extra modul med lite text om sömn och vila.\\n\" > modules/08-extra.md && if grep -q \"^modules:\" program.yaml; then sed -i \"/^modules:/a\\\\  - 08-extra.md\" program.yaml; fi" &&
	"$STEGC" diff "$TRASH_ROOT/insomnia-1.0.0.steg" "$TRASH_ROOT/insomnia-1.1.0.steg" > out &&
	grep -Fx "minor: module '"'"'extra'"'"': added" out &&
	! grep -q "^major:" out &&
	tail -n 1 out | grep -q "a minor change (.*needs at least 1.1.0)$"
'

test_expect_success 'tobacco: new text is a patch, and a patch version is enough' '
	release tobacco 1.0.1 "sed -i \"s/Välj en dag som är ganska lugn./Välj en dag som är ganska lugn och vanlig./\" modules/02-forbered.md" &&
	"$STEGC" diff "$TRASH_ROOT/tobacco-1.0.0.steg" "$TRASH_ROOT/tobacco-1.0.1.steg" > out &&
	grep -c "^patch: module .*: text changed$" out | grep -qx 1 &&
	! grep -q "^major:\|^minor:" out &&
	tail -n 1 out | grep -q "a patch change (1 change; needs at least 1.0.1)$"
'

test_done
