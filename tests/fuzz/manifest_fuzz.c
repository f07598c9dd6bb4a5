/*
 * manifest_fuzz.c — a libFuzzer entry point for the manifest reader
 * (core/manifest.c, core/xmlsafe.c): the bytes are manifest.xml from a
 * bundle, the file a publisher signs and the first one a reader trusts.
 * Every input must be refused or accepted without a crash, a leak or a
 * sanitizer report; refused with at least one error; and what is accepted
 * must write back deterministically: read(write(m)) writes the same bytes
 * again, and that text passes the embedded schema.
 *
 *   make fuzz FUZZ=manifest FUZZ_SECONDS=120      (docs/fuzzing.md)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_manifest m, m2;
	st_buf w1, w2;
	char err[256];

	st_buf_init(&w1);
	st_buf_init(&w2);
	if (st_manifest_read(&m, a, d, "fuzz.steg:manifest.xml",
	                     (const char *)data, size) != 0) {
		if (!st_diags_errors(d))
			abort();   /* refused without saying why */
		goto done;
	}
	st_manifest_write(&w1, &m);
	if (st_manifest_validate_bytes("manifest.xsd", w1.data, w1.len, err,
	                               sizeof err) != 0)
		abort();       /* accepted, but writes an invalid manifest */
	if (st_manifest_read(&m2, a, d, "again.xml", w1.data, w1.len) != 0)
		abort();
	st_manifest_write(&w2, &m2);
	if (w1.len != w2.len || memcmp(w1.data, w2.data, w1.len))
		abort();       /* not stable */
done:
	st_buf_release(&w1);
	st_buf_release(&w2);
	st_diags_free(d);
	st_arena_free(a);
	return 0;
}
