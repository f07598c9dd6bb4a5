/*
 * bundle_fuzz.c — a libFuzzer entry point for the bundle reader
 * (core/bundle_read.c with libzip, and behind it manifest.xml,
 * program.xml and core/check.c): the bytes are a whole .steg file.
 * st_bundle_open takes a path, so each input is written to one temporary
 * file first.  Every input must be refused (with an error) or opened
 * without a crash, a leak or a sanitizer report; an opened bundle must
 * read back every entry it lists, with the sizes the manifest gives, both
 * whole and streamed.  The input's first 255 bytes also go through the
 * entry-name check, which must agree with its own definition.
 *
 * Zip checksums make most mutations fail early (bundle-zip); the seeds
 * (bundles of the examples and the golden base) and the dictionary
 * (tests/fuzz/bundle.dict) keep the fuzzer near valid archives.
 *
 *   make fuzz FUZZ=bundle FUZZ_SECONDS=120      (docs/fuzzing.md)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"

static char path[] = "/tmp/bundle_fuzz.XXXXXX";
static int fd = -1;

static int count(void *ctx, const void *p, size_t n)
{
	(void)p;
	*(size_t *)ctx += n;
	return 0;
}

/* The definition in bundle.h, written out independently. */
static int name_ok(const char *s, size_t n)
{
	if (n == 0 || n > ST_BUNDLE_MAX_NAME)
		return 0;
	size_t seg = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			if (seg == 0 || (seg == 1 && s[i - 1] == '.') ||
			    (seg == 2 && s[i - 1] == '.' && s[i - 2] == '.'))
				return 0;
			seg = 0;
			continue;
		}
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
		seg++;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t nn = size < 300 ? size : 300;
	if (!st_bundle_name_ok((const char *)data, nn) !=
	    !name_ok((const char *)data, nn))
		abort();

	if (fd < 0 && (fd = mkstemp(path)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();

	st_diags *d = st_diags_new();
	st_bundle *b = NULL;
	if (st_bundle_open(&b, d, path) != 0) {
		if (!st_diags_errors(d))
			abort();
		goto done;
	}
	if (!st_bundle_program(b) || !st_bundle_manifest_info(b))
		abort();
	size_t mlen = 0, slen = 0;
	if (!st_bundle_manifest_xml(b, &mlen) || !mlen)
		abort();
	(void)st_bundle_signature(b, &slen);
	for (size_t i = 0; i < st_bundle_nentries(b); i++) {
		const char *name = st_bundle_entry_name(b, i);
		char *buf = NULL;
		size_t len = 0, streamed = 0;
		if (!name || strlen(st_bundle_entry_sha256(b, i)) != 64)
			abort();
		if (st_bundle_read_entry(b, d, name, &buf, &len) != 0 ||
		    (long long)len != st_bundle_entry_size(b, i))
			abort();   /* opened, but an entry does not read back */
		free(buf);
		if (st_bundle_stream_entry(b, d, name, count, &streamed) != 0 ||
		    streamed != len)
			abort();
	}
done:
	st_bundle_free(b);
	st_diags_free(d);
	return 0;
}
