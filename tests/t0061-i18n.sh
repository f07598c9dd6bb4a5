#!/bin/sh
# Diagnostics in Swedish (GNU gettext, text domain "steg", po/sv.po):
# the catalogue is complete and its formats are the code's, the language
# follows LC_ALL / LC_MESSAGES / LANG / LANGUAGE as GNU gettext's does, on a
# machine where sv_SE.UTF-8 is not generated too, and numbers, scores and
# bundle bytes never follow the locale (docs/diagnostics.md).
. "$(dirname "$0")/lib.sh"

for tool in xgettext msgfmt msgmerge msgattrib localedef strace; do
	command -v $tool > /dev/null || { test_skip_all "$tool is missing (Debian's gettext, libc-bin, strace)"; exit 0; }
done

# missing PO: the msgids of the sources that PO has no translation of
# (untranslated, fuzzy, or not there at all), one a line.
missing() {
	sh "$SRC/scripts/po-extract.sh" steg.pot &&
	msgmerge --quiet --no-wrap --no-fuzzy-matching -o merged.po "$1" steg.pot &&
	{ msgattrib --no-wrap --untranslated merged.po; msgattrib --no-wrap --only-fuzzy merged.po; } |
		sed -n 's/^msgid "\(..*\)"$/\1/p'
}

test_expect_success 'every message of the sources has a Swedish translation' '
	missing "$SRC/po/sv.po" > got &&
	: > want &&
	test_cmp want got
'

test_expect_success 'the completeness check sees a message the catalogue lacks, and a fuzzy one' '
	python3 - "$SRC/po/sv.po" <<-\PY > sv.po &&
	import re, sys
	s = open(sys.argv[1]).read()
	s = s.replace("msgstr \"intervallet \x27%s\x27 går baklänges, från %s ner till %s\"", "msgstr \"\"", 1)
	s = s.replace("#, c-format\nmsgid \"unknown name \x27%s\x27\"\n", "#, fuzzy, c-format\nmsgid \"unknown name \x27%s\x27\"\n", 1)
	sys.stdout.write(s)
	PY
	missing sv.po > got &&
	printf "%s\n" "band \x27%s\x27 runs backwards, from %s down to %s" "unknown name \x27%s\x27" | sed "s/\\\\x27/'"'"'/g" > want &&
	test_cmp want got
'

test_expect_success 'every translation reads the arguments its English reads (msgfmt --check-format)' '
	msgfmt --check-format --check-header -o /dev/null "$SRC/po/sv.po"
'

test_expect_success 'msgfmt --check-format refuses a translation with other conversions' '
	sed "s/^msgstr \"intervallen %s och %s överlappar: \(.*\)\"$/msgstr \"intervallen %d och %s överlappar: \1\"/" \
		"$SRC/po/sv.po" > bad.po &&
	! cmp -s bad.po "$SRC/po/sv.po" &&
	rc=0; msgfmt --check-format -o /dev/null bad.po 2> err || rc=$?
	test $rc != 0 &&
	grep -q "format specifications" err
'

# A program with one case of tests/golden/cases over the golden base.
golden_case() {
	cp -R "$SRC/tests/golden/base" p &&
	cp -R "$SRC/tests/golden/cases/$1/." p/
}

# Swedish golden cases: tests/i18n/CASE.FORMAT.expected is the exact output
# of `stegc check --format FORMAT` on the golden case CASE under
# LANG=sv_SE.UTF-8, then "exit N".
sv_golden() {
	golden_case "$1" &&
	rc=0; env -u LC_MESSAGES LANG=sv_SE.UTF-8 "$STEGC" check --format "$2" p > out 2>&1 || rc=$?
	echo "exit $rc" >> out &&
	test_cmp "$SRC/tests/i18n/$1.$2.expected" out
}
for c in form-duplicate-option.text expr-type.text form-alert-never.text \
         expr-syntax.brief diag-did-you-mean.brief form-duplicate-option.json \
         form-alert-never.sarif form-band-gap.text load-yaml-missing-dash.text \
         form-bad-id.brief load-yaml-syntax.text load-yaml-quote-title.text \
         bad-text.brief load-media-content.brief; do
	test_expect_success "Swedish golden: ${c%.*} as ${c##*.}" "sv_golden ${c%.*} ${c##*.}"
done

test_expect_success 'the English output is unchanged by the catalogue: C, POSIX, and no locale at all' '
	golden_case form-duplicate-option &&
	for l in C POSIX ""; do
		rc=0; env -u LC_MESSAGES LANG=$l "$STEGC" check p > out-$l 2>&1 || rc=$?
		test $rc = 1 &&
		sed -e "\$d" -e "s|^form-duplicate-option/|p/|" \
			"$SRC/tests/golden/cases/form-duplicate-option.expected" > want &&
		test_cmp want out-$l || return 1
	done
'

test_expect_success 'the language follows LC_ALL, then LC_MESSAGES, then LANG, and LANGUAGE unless the locale is C' '
	golden_case form-duplicate-option &&
	sv="p/forms/mood.yaml:6:14: fel: svarsalternativets värde 1 finns redan [duplicate-option]" &&
	en="p/forms/mood.yaml:6:14: error: duplicate option value 1 [duplicate-option]" &&
	first() { env "$@" "$STEGC" check --format brief p 2>&1 | head -n 1; } &&
	test "$(first -u LC_MESSAGES LC_ALL=sv_SE.UTF-8 LANG=C)" = "$sv" &&
	test "$(first -u LC_MESSAGES LC_ALL=C LANG=sv_SE.UTF-8)" = "$en" &&
	test "$(first -u LC_ALL LC_MESSAGES=sv_SE.UTF-8 LANG=C)" = "$sv" &&
	test "$(first -u LC_ALL LC_MESSAGES=C LANG=sv_SE.UTF-8)" = "$en" &&
	test "$(first -u LC_MESSAGES LANG=sv_SE)" = "$sv" &&
	test "$(first -u LC_MESSAGES LANG=sv_FI.UTF-8)" = "$sv" &&
	test "$(first -u LC_MESSAGES LANG=de_DE.UTF-8)" = "$en" &&
	test "$(first -u LC_MESSAGES LANG=en_US.UTF-8 LANGUAGE=sv:en)" = "$sv" &&
	test "$(first -u LC_MESSAGES LANG=sv_SE.UTF-8 LANGUAGE=en)" = "$en" &&
	test "$(first -u LC_MESSAGES LANG=C LANGUAGE=sv)" = "$en"
'

test_expect_success 'C.UTF-8 is English without reading a locale file or a catalogue; LANGUAGE under it still chooses' '
	golden_case form-duplicate-option &&
	sv="p/forms/mood.yaml:6:14: fel: svarsalternativets värde 1 finns redan [duplicate-option]" &&
	en="p/forms/mood.yaml:6:14: error: duplicate option value 1 [duplicate-option]" &&
	first() { env "$@" "$STEGC" check --format brief p 2>&1 | head -n 1; } &&
	test "$(first -u LC_MESSAGES LANG=C.UTF-8)" = "$en" &&
	test "$(first -u LC_MESSAGES LANG=C.utf8)" = "$en" &&
	test "$(first -u LC_MESSAGES -u LANG LC_ALL=C.UTF-8)" = "$en" &&
	test "$(first -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=sv)" = "$sv" &&
	test "$(first -u LC_MESSAGES LANG=C.utf8 LANGUAGE=sv:en)" = "$sv" &&
	rc=0; ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	env -u LC_MESSAGES LANG=C.UTF-8 strace -f -o tr -e trace=openat,open \
		"$STEGC" check --format brief p > out 2>&1 || rc=$?
	test $rc = 1 && head -n 1 out > got && echo "$en" > want && test_cmp want got &&
	grep -q "libstegc\.so" tr &&
	! grep -E "locale\.alias|/LC_MESSAGES|gconv|steg\.mo" tr
'

test_expect_success 'a generated sv_SE.UTF-8 (LOCPATH) gives the same Swedish as an absent one' '
	mkdir loc && localedef -i sv_SE -f UTF-8 loc/sv_SE.UTF-8 &&
	golden_case form-duplicate-option &&
	rc=0; env -u LC_MESSAGES LANG=sv_SE.UTF-8 "$STEGC" check p > absent 2>&1 || rc=$?
	test $rc = 1 &&
	rc=0; env -u LC_MESSAGES LOCPATH=$PWD/loc LANG=sv_SE.UTF-8 "$STEGC" check p > generated 2>&1 || rc=$?
	test $rc = 1 &&
	echo "exit 1" >> absent && echo "exit 1" >> generated &&
	test_cmp "$SRC/tests/i18n/form-duplicate-option.text.expected" absent &&
	test_cmp absent generated
'

test_expect_success 'the check cache keeps findings apart by language (English, Swedish, English again)' '
	golden_case form-duplicate-option &&
	export XDG_CACHE_HOME=$PWD/cache &&
	first() { env "$@" "$STEGC" check --format brief p 2>&1 | head -n 1; } &&
	sv="p/forms/mood.yaml:6:14: fel: svarsalternativets värde 1 finns redan [duplicate-option]" &&
	en="p/forms/mood.yaml:6:14: error: duplicate option value 1 [duplicate-option]" &&
	test "$(first -u LC_MESSAGES LANG=C)" = "$en" &&
	test -n "$(ls cache/steg/check)" &&
	test "$(first -u LC_MESSAGES LANG=sv_SE.UTF-8)" = "$sv" &&
	test "$(first -u LC_MESSAGES LANG=sv_SE.UTF-8)" = "$sv" &&
	test "$(first -u LC_MESSAGES LANG=C)" = "$en" &&
	mkdir -p other/sv/LC_MESSAGES &&
	sed "s/^msgstr \"svarsalternativets värde %g finns redan\"$/msgstr \"värdet %g finns redan\"/" \
		"$SRC/po/sv.po" > other.po &&
	msgfmt -o other/sv/LC_MESSAGES/steg.mo other.po &&
	test "$(first -u LC_MESSAGES STEG_LOCALEDIR=$PWD/other LANG=sv_SE.UTF-8)" = \
	     "p/forms/mood.yaml:6:14: fel: värdet 1 finns redan [duplicate-option]"
'

test_expect_success 'STEG_LOCALEDIR chooses the catalogue folder; one without steg.mo gives English' '
	golden_case form-duplicate-option &&
	mkdir -p empty/sv/LC_MESSAGES &&
	test "$(env -u LC_MESSAGES STEG_LOCALEDIR=$PWD/empty LANG=sv_SE.UTF-8 "$STEGC" check --format brief p 2>&1 | head -n 1)" = \
	     "p/forms/mood.yaml:6:14: error: duplicate option value 1 [duplicate-option]"
'

test_expect_success 'a catalogue whose translation reads other arguments is not used for that message (no crash)' '
	golden_case form-duplicate-option &&
	mkdir -p bad/sv/LC_MESSAGES &&
	sed "s/^msgstr \"svarsalternativets värde %g finns redan\"$/msgstr \"värde %s %s finns redan\"/" \
		"$SRC/po/sv.po" > bad.po &&
	! cmp -s bad.po "$SRC/po/sv.po" &&
	msgfmt -o bad/sv/LC_MESSAGES/steg.mo bad.po &&
	rc=0; env -u LC_MESSAGES STEG_LOCALEDIR=$PWD/bad LANG=sv_SE.UTF-8 "$STEGC" check --format brief p > out 2>&1 || rc=$?
	test $rc = 1 &&
	cat > want <<-\EOF &&
	p/forms/mood.yaml:6:14: fel: duplicate option value 1 [duplicate-option]
	p/forms/mood.yaml:5:5: not: användes först här
	EOF
	head -n 2 out > got &&
	test_cmp want got
'

test_expect_success 'steg stays English under a Swedish locale (its refusals go into the audit log)' '
	golden_case form-duplicate-option &&
	sed -i "s/value: 1, label: Ofta/value: 2, label: Ofta/" p/forms/mood.yaml &&
	"$STEGC" build -q p -o b.steg &&
	echo "{\"q1\": 7}" > a.json &&
	rc=0; env -u LC_MESSAGES LANG=sv_SE.UTF-8 LANGUAGE=sv "$STEG" score b.steg mood --answers a.json > out 2> err || rc=$?
	test $rc = 1 &&
	grep -q "error: item .q1.: 7 is not one of its answer options" err &&
	! grep -q "fel:\|frågan" err
'

# The patient-safety hazard: a Swedish LC_NUMERIC writes 1,5 and reads
# "1.5" as 1.  With sv_SE.UTF-8 generated (LOCPATH), bundles and scores
# under LANG and LC_ALL must be the C locale's byte for byte.
test_expect_success 'a bundle built and a form scored under sv_SE.UTF-8 are byte-identical to C' '
	mkdir loc && localedef -i sv_SE -f UTF-8 loc/sv_SE.UTF-8 &&
	cp -R "$SRC/tests/golden/base" p &&
	cat > p/forms/mood.yaml <<-\EOF &&
	id: mood
	title: Halvor
	options:
	  - { value: 0, label: aldrig }
	  - { value: 1.5, label: ibland }
	  - { value: 3, label: ofta }
	items:
	  - { id: q1, text: t }
	  - { id: q2, text: t }
	scores:
	  - id: medel
	    value: sum(q1..q2) / 2
	    bands:
	      - { from: 0, to: 1.25, label: låg }
	      - { from: 1.25, to: 3, label: hög }
	alerts:
	  - id: hog
	    when: medel >= 2.25
	    level: warning
	    message: Hög nivå
	EOF
	echo "{\"q1\": 1.5, \"q2\": 3}" > a.json &&
	for env in "LC_ALL=C" "LANG=sv_SE.UTF-8" "LC_ALL=sv_SE.UTF-8"; do
		env -u LC_MESSAGES LOCPATH=$PWD/loc $env "$STEGC" build -q p -o "b-$env.steg" &&
		env -u LC_MESSAGES LOCPATH=$PWD/loc $env "$STEG" score "b-$env.steg" mood --answers a.json > "s-$env.json" &&
		env -u LC_MESSAGES LOCPATH=$PWD/loc $env "$STEG" score "b-$env.steg" mood --answers a.json --text > "t-$env.txt" || return 1
	done &&
	cmp "b-LC_ALL=C.steg" "b-LANG=sv_SE.UTF-8.steg" &&
	cmp "b-LC_ALL=C.steg" "b-LC_ALL=sv_SE.UTF-8.steg" &&
	cmp "s-LC_ALL=C.json" "s-LANG=sv_SE.UTF-8.json" &&
	cmp "s-LC_ALL=C.json" "s-LC_ALL=sv_SE.UTF-8.json" &&
	cmp "t-LC_ALL=C.txt" "t-LANG=sv_SE.UTF-8.txt" &&
	cmp "t-LC_ALL=C.txt" "t-LC_ALL=sv_SE.UTF-8.txt" &&
	grep -q "^score medel: 2.25: hög$" "t-LC_ALL=C.txt" &&
	grep -q "\"value\": 2.25," "s-LC_ALL=C.json" &&
	grep -q "\"band\": \"hög\"," "s-LC_ALL=C.json" &&
	grep -q "\"status\": \"fires\"," "s-LC_ALL=C.json"
'

test_done
