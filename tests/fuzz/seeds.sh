#!/bin/sh
# tests/fuzz/seeds.sh NAME OUT — write the seed corpus of harness NAME
# (tests/fuzz/NAME_fuzz.c) into folder OUT, from tests/golden, examples
# and tests/data: real sources, and bundles, manifests and signatures
# built from them with $STEGC (default build/stegc).  Each harness's
# header says what its first byte(s) mean; the seeds carry them.  Used by
# `make fuzz` (tests/fuzz/run.sh) and by tests/t0900-fuzz-smoke.sh.
set -e
name=$1 out=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
: "${STEGC:=$src/build/stegc}"
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/steg-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT
# SOURCE_DATE_EPOCH: the bundles are the same all day (and the signature
# valid for a year from today).
now=$(date +%s)
export SOURCE_DATE_EPOCH=$((now - now % 86400))
PROGS="$src/tests/golden/base $src/examples/depression $src/examples/insomnia $src/examples/tobacco"

n=0
# seed PREFIX FILE: OUT/NAME-N is the bytes of printf PREFIX, then FILE
seed() {
	n=$((n + 1))
	{ printf "$1"; cat "$2"; } > "$out/$name-$n"
}

bundles() {
	i=0
	for p in $PROGS; do
		i=$((i + 1))
		"$STEGC" build -q -o "$work/b$i.steg" "$p" >/dev/null
	done
	(cd "$work" && "$STEGC" keygen -o k --unencrypted >/dev/null &&
		"$STEGC" build -q -o s.steg --sign k.key --unencrypted \
			"$src/tests/golden/base" >/dev/null)
}

# unzip ENTRY BUNDLE > FILE (python, so that unzip is not needed)
entry() {
	python3 -c 'import sys, zipfile
sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[2]).read(sys.argv[1]))' "$1" "$2"
}

case $name in
yaml)
	find "$src/tests/golden" "$src/examples" -type f -name '*.yaml' | sort > "$work/list"
	while IFS= read -r f; do
		seed '\0\0' "$f"
	done < "$work/list"   # names may hold spaces
	# front matter as the module loader passes it: shifted by one line
	for f in "$src"/tests/golden/base/modules/*.md; do
		sed -n '2,/^---$/p' "$f" | sed '$d' > "$work/fm"
		seed '\1\0' "$work/fm"
	done
	;;
channel)
	# index.json as docs/channels.md shows it: empty, one bundle, three
	python3 - "$out" <<'PY'
import json, sys
def ix(bundles):
    return {"format": "steg-channel", "format-version": 1,
            "publisher": "SE2321000016-0001", "sequence": 3,
            "issued": "2026-11-23T09:39:13Z", "expires": "2026-11-30T09:39:13Z",
            "bundles": bundles}
def b(i, v):
    return {"id": i, "version": v, "file": "%s-%s.steg" % (i, v),
            "size": 5284, "sha256": "09f4ca00ab602a172ba54e2c25bfda874000681153f1f1483bdbfc0f1e392d57"}
sets = [[], [b("se.exempel.prog", "0.1.0")],
        [b("se.a.b", "1.0.0"), b("se.a.b", "1.0.1-rc.1+x"), b("se.c", "2.0.0")]]
for k, bs in enumerate(sets):
    open("%s/channel-%d" % (sys.argv[1], k), "w").write(json.dumps(ix(bs), indent=2) + "\n")
PY
	;;
program)
	# program.yaml of the examples and golden cases, exercises, forms
	find "$src/tests/golden" "$src/examples" -type f -name program.yaml | sort > "$work/list"
	while IFS= read -r f; do
		seed '\0' "$f"
	done < "$work/list"   # names may hold spaces
	find "$src/tests/golden" "$src/examples" -type f -path '*/exercises/*.yaml' | sort > "$work/list"
	while IFS= read -r f; do
		sed 's/^id: .*/id: ovning/' "$f" > "$work/ex"
		seed '\1' "$work/ex"
	done < "$work/list"   # names may hold spaces
	seed '\2' "$src/tests/golden/base/forms/mood.yaml"
	;;
form)
	find "$src/tests/golden" "$src/examples" -type f -path '*/forms/*.yaml' | sort > "$work/list"
	while IFS= read -r f; do
		seed '' "$f"
	done < "$work/list"   # names may hold spaces
	;;
markdown)
	find "$src/tests/golden" "$src/examples" -type f -name '*.md' | sort > "$work/list"
	while IFS= read -r f; do
		seed '' "$f"
	done < "$work/list"   # names may hold spaces
	;;
expr)
	# every expression of the examples' forms, in each of the four places
	grep -rhE '^ *(value|when|show-if|unlock): [^0-9"-]' \
		"$src/examples" "$src/tests/golden/base" |
	sed -E 's/^ *[a-z-]+: //' | sort -u > "$work/exprs"
	while read -r e; do
		printf '%s' "$e" > "$work/e"
		for w in '\0' '\1' '\2' '\3'; do seed "$w" "$work/e"; done
	done < "$work/exprs"
	;;
progxml|manifest)
	bundles
	for b in "$work"/*.steg; do
		entry "$([ "$name" = manifest ] && echo manifest.xml || echo program.xml)" "$b" > "$work/x"
		seed '' "$work/x"
	done
	;;
bundle)
	bundles
	for b in "$work"/*.steg; do seed '' "$b"; done
	;;
sign)
	bundles
	entry manifest.xml.minisig "$work/s.steg" > "$work/sig"
	seed '\0' "$work/sig"
	sed -n 's/^trusted comment: //p' "$work/sig" | tr -d '\n' > "$work/tc"
	seed '\1' "$work/tc"
	printf 'steg kind=index publisher=SE2321000016-0001 sequence=7 expires=2026-11-30T09:00:00Z' > "$work/tc"
	seed '\1' "$work/tc"
	sed -n 2p "$work/k.pub" | tr -d '\n' > "$work/pub"
	seed '\2' "$work/pub"
	printf '5C064EF72371C247' > "$work/kid"
	seed '\2' "$work/kid"
	printf '2027-11-23T00:00:00Z' > "$work/t"
	seed '\2' "$work/t"
	;;
answers)
	# for each form: every item answered with its first option (or its
	# minimum, or true), every other option value, and an empty object;
	# each with every first byte that may pick the form
	for f in "$src"/examples/*/forms/*.yaml "$src"/tests/golden/base/forms/*.yaml; do
		python3 - "$f" "$src/tests/tools" "$work" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
import schemacheck
form = schemacheck.load_yaml(open(sys.argv[1], encoding="utf-8").read())
def values(it):
    t = it.get("type", "choice")
    if t == "boolean":
        return [True, False]
    if t in ("number", "scale"):
        return [it.get("min", 0), it.get("max", 10)]
    if t == "text":
        return ["text"]
    if t == "date":
        return ["2026-11-23"]
    opts = it.get("options") or form.get("options") or []
    return [o["value"] for o in opts] or [0]
items = form.get("items") or []
sets = [{}]
for k in range(4):
    sets.append({it["id"]: values(it)[min(k, len(values(it)) - 1)] for it in items})
for i, s in enumerate(sets):
    open("%s/a%d" % (sys.argv[3], i), "w").write(json.dumps(s))
PY
		for a in "$work"/a[0-9]; do
			for k in 0 1 2 3 4 5 6 7; do seed "\\$k" "$a"; done
		done
	done
	printf '{"q1": 3, "q2": null, "q9": 1.5}' > "$work/a"
	seed '\0' "$work/a"
	;;
fhir)
	for f in "$src"/tests/data/fhir/*.json; do
		seed '\0' "$f"
	done
	bundles
	"$STEGC" export-fhir "$work/b2.steg" phq9 -o "$work/q.json" 2>/dev/null
	seed '\1' "$work/q.json"
	"$STEGC" export-fhir "$work/b2.steg" gad7 -o "$work/q.json" 2>/dev/null
	seed '\0' "$work/q.json"
	# texts only in rendering-xhtml, answers without display, a duplicate
	# linkId, a CQL total (t0814)
	cat > "$work/q.json" <<-'EOT'
	{"resourceType": "Questionnaire", "status": "active", "title": "X",
	 "contained": [{"resourceType": "ValueSet", "id": "vs", "compose": {"include": [{"concept": [{"code": "a"}]}]}}],
	 "item": [
	  {"linkId": "a", "type": "choice", "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/rendering-xhtml", "valueString": "<p>Har du <b>sovit</b> &amp; &#x263A;<script>x</script><!-- c --></p>"}]},
	   "answerOption": [{"valueCoding": {"code": "1", "_display": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/rendering-xhtml", "valueString": "<i>Ja</i>"}]}}}]},
	  {"linkId": "a", "text": "", "type": "choice", "answerValueSet": "#vs",
	   "enableWhen": [{"question": "a", "operator": "exists", "answerBoolean": true}]},
	  {"linkId": "t", "type": "decimal", "extension": [{"url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression", "valueExpression": {"language": "text/cql", "expression": "Sum(x)"}}]}
	 ]}
	EOT
	seed '\0' "$work/q.json"
	;;
*)
	echo "seeds.sh: no seeds for '$name'" >&2
	exit 2
	;;
esac
