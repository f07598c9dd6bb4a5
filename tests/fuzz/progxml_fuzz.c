/*
 * progxml_fuzz.c — a libFuzzer entry point for the XML layer: the bytes
 * are program.xml from a bundle (core/xmlsafe.c, core/progxml.c).  Every
 * input must be refused or accepted without a crash, a leak or a sanitizer
 * report, and what is accepted must write back in a stable form.
 *
 *   make
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DSTEG_VERSION='"fuzz"' \
 *     -Icore -Ibuild/gen $(pkg-config --cflags libxml-2.0) \
 *     tests/fuzz/progxml_fuzz.c core/xmlsafe.c core/progxml.c core/util.c \
 *     core/diag.c build/gen/schemas.c build/libstegcore.a \
 *     $(pkg-config --libs libxml-2.0 libcrypto yaml-0.1 libzip zlib libsodium \
 *     jansson) -lm -o progxml_fuzz
 *   mkdir corpus && unzip -p x.steg program.xml > corpus/x.xml
 *   ./progxml_fuzz -max_len=65536 -max_total_time=600 corpus/
 *
 * (The XML layer is compiled with the fuzzer's instrumentation; the rest
 * comes uninstrumented from the plain build's library.)  First run, seeded
 * with base, depression and insomnia: 100,998 inputs in 90 s, no finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "progxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_program *p = NULL, *q = NULL;
	char *x1 = NULL, *x2 = NULL;
	size_t l1 = 0, l2 = 0;
	if (st_progxml_read(&p, a, d, "fuzz:program.xml", (const char *)data,
	                    size) == 0 &&
	    st_progxml_write(d, p, &x1, &l1) == 0) {
		if (st_progxml_read(&q, a, d, "fuzz:again.xml", x1, l1) != 0 ||
		    st_progxml_write(d, q, &x2, &l2) != 0 || l1 != l2 ||
		    memcmp(x1, x2, l1))
			abort();   /* accepted once, but not stable */
	}
	free(x1);
	free(x2);
	st_diags_free(d);
	st_arena_free(a);
	return 0;
}
