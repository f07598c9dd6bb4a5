#!/bin/sh
# t0901-fuzz-findings: what the fuzzers of tests/fuzz/ found, as a user
# meets it on the command line (the raw inputs are in tests/fuzz/crashes/
# and t0900 runs them through the harnesses).  Each test names the file
# and line where the fault was.
. "$(dirname "$0")/lib.sh"

# fhir_fuzz, 23 Nov 2026: a contained ValueSet whose concept has neither
# display nor code gives an option without a label, and write_yaml's
# same_options compares labels with strcmp (compiler/fhir_import.c):
# NULL reached strcmp, a segmentation fault without the sanitizers
# (fixed in 5b80e21).
test_expect_success 'import-fhir: a ValueSet concept without display or code does not crash' '
	tail -c +2 "$SRC/tests/fuzz/crashes/fhir-valueset-concept-without-label" > q.json &&
	run out "$STEGC" import-fhir q.json -o . &&
	cat out &&
	test "$rc" -lt 128 &&
	! grep -q "runtime error\|Sanitizer" out
'
test_done
