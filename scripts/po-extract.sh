#!/bin/sh
# po-extract.sh OUT.pot — every message of the "steg" text domain in the
# sources, as a PO template (xgettext).  The one list of the functions
# whose argument is a message (docs/diagnostics.md, "Adding a message"):
#   st_diag's 5th and st_diag_note's 3rd argument (core/diag.h),
#   st_tr, st_tr_fmt, st_trn_fmt and ST_N (core/i18n.h),
# and, file by file, the helpers that take a message format and hand it on
# (a keyword only in its own file: their names are common words).
# Used by `make po` and tests/t0061-i18n.sh.
set -eu
case $1 in /*) out=$1 ;; *) out=$PWD/$1 ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

common="--keyword=st_diag:5 --keyword=st_diag_note:3 --keyword=st_tr:1
 --keyword=st_tr_fmt:1 --keyword=st_trn_fmt:1,2 --keyword=ST_N:1
 --flag=st_diag:5:c-format --flag=st_diag_note:3:c-format
 --flag=st_tr_fmt:1:c-format --flag=st_trn_fmt:1:c-format
 --flag=st_trn_fmt:2:c-format"

# FILE KEYWORD:ARG — a helper of that file that takes a message format.
helpers='core/yamlload.c fail_at:4
core/expr_parse.c fail:5
core/expr_parse.c fail_tok:2
core/expr_lex.c lex_error:6
core/expr_lex.c fail_at:4
core/expr_check.c err:5
core/page.c finding:4
compiler/load.c wrong_type:4
compiler/forms_load.c check_ident:3
compiler/forms_load.c check_unique:7
compiler/markdown.c fnd:5
compiler/fhir_import.c warn:3'

xg() {
	# shellcheck disable=SC2086
	xgettext --language=C --from-code=UTF-8 --no-wrap --sort-by-file --add-location=file \
		--add-comments=TRANSLATORS: --package-name=steg \
		--msgid-bugs-address="the Steg project" --keyword= $common "$@"
}

# xgettext reads copies made by po-prep.py, in which it sees the message
# of a call whose span is a compound literal, and both branches of a
# message chosen by `?:`.
ls core/*.c render/*.c compiler/*.c runtime/*.c runtime/serve/*.c \
	| LC_ALL=C sort > "$tmp/files"
# shellcheck disable=SC2046
python3 scripts/po-prep.py "$tmp/src" \
	st_diag:5,st_diag_note:3,st_tr:1,st_tr_fmt:1,st_trn_fmt:1 $(cat "$tmp/files")
(cd "$tmp/src" && xg -o "$tmp/all.pot" -f "$tmp/files")
i=0
echo "$helpers" | while read -r file kw; do
	i=$((i + 1))
	python3 scripts/po-prep.py "$tmp/h$i" "$kw" "$file"
	(cd "$tmp/h$i" && xg --keyword="$kw" --flag="$kw:c-format" -o "$tmp/h$i.pot" "$file")
	test -s "$tmp/h$i.pot" || { echo "po-extract: $file: no message for $kw" >&2; exit 1; }
done
msgcat --no-wrap --sort-by-file --add-location=file --use-first -o "$out" "$tmp/all.pot" "$tmp"/h*.pot
