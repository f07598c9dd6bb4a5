#!/bin/sh
# t0053-source-keys: the three descriptions of the source format agree on
# its keys.  The compiler's loaders list the keys they accept (the arrays
# named *keys[] in compiler/*.c, which feed the unknown-key check); the
# JSON Schemas in schemas/ declare properties for editors; and
# docs/source-format.md is the reference.  A key in one and not in the
# others is a key an editor rejects, a designer cannot look up, or the
# compiler refuses.
. "$(dirname "$0")/lib.sh"

test_expect_success 'every key the compiler accepts is in the schemas and the reference, and back' '
	python3 - "$SRC" <<-\EOF
	import glob, json, os, re, sys
	src = sys.argv[1]
	compiler = set()
	for f in glob.glob(os.path.join(src, "compiler", "*.c")):
	    text = open(f, encoding="utf-8").read()
	    for m in re.finditer(r"\b\w*keys\[\]\s*=\s*\{(.*?)\}", text, re.S):
	        compiler |= set(re.findall(r"\"([a-z][a-z-]*)\"", m.group(1)))
	# the extraction must see the loaders at all
	for k in ("retention-days", "show-if", "unlock", "ref", "computed", "bands"):
	    assert k in compiler, "did not find the key lists in compiler/*.c: " + k
	schema = set()
	def walk(n):
	    if isinstance(n, dict):
	        schema.update(n.get("properties", {}).keys())
	        for k, v in n.items():
	            if k not in ("allOf", "anyOf", "oneOf", "not", "if", "then", "else"):
	                walk(v)
	    elif isinstance(n, list):
	        for v in n:
	            walk(v)
	for f in glob.glob(os.path.join(src, "schemas", "*.schema.json")):
	    walk(json.load(open(f, encoding="utf-8")))
	schema.add("ref")    # component blocks have no schema of their own
	doc = open(os.path.join(src, "docs", "source-format.md"), encoding="utf-8").read()
	documented = set(re.findall(r"`([a-z][a-z-]*)`", doc))
	bad = 0
	for k in sorted(compiler - schema):
	    print("the compiler accepts %r, the schemas do not" % k); bad += 1
	for k in sorted(schema - compiler):
	    print("the schemas declare %r, the compiler does not accept it" % k); bad += 1
	for k in sorted(compiler - documented):
	    print("%r is not in docs/source-format.md" % k); bad += 1
	print(len(compiler), "keys")
	sys.exit(1 if bad else 0)
	EOF
'

test_expect_success 'every enum value of the schemas is in the reference' '
	python3 - "$SRC" <<-\EOF
	import glob, json, os, re, sys
	src = sys.argv[1]
	doc = open(os.path.join(src, "docs", "source-format.md"), encoding="utf-8").read()
	bad = 0
	def walk(n, where):
	    global bad
	    if isinstance(n, dict):
	        for v in n.get("enum", []):
	            if isinstance(v, str) and "`%s`" % v not in doc:
	                print("%s: %r is not in docs/source-format.md" % (where, v)); bad += 1
	        for k, v in n.items():
	            walk(v, where + "/" + k)
	    elif isinstance(n, list):
	        for v in n:
	            walk(v, where)
	for f in glob.glob(os.path.join(src, "schemas", "*.schema.json")):
	    walk(json.load(open(f, encoding="utf-8")), os.path.basename(f))
	sys.exit(1 if bad else 0)
	EOF
'

test_done
