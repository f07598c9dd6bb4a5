/*
 * sha256-tool — core/sha256.h against a reference (t0307).
 *
 *   sha256-tool FILE   prints, one a line, the SHA-256 of FILE's bytes
 *                      computed nine ways: st_sha256_hex, st_sha256 (raw,
 *                      printed as hex), and streamed through
 *                      st_sha256_ctx in pieces of 1, 3, 55, 63, 64, 65 and
 *                      4,099 bytes (with an empty piece between every two),
 *                      each line "WAY HEX".
 */
#include <stdio.h>
#include <stdlib.h>
#include "sha256.h"
#include "util.h"

static void streamed(const unsigned char *p, size_t n, size_t piece)
{
	st_sha256_ctx h;
	char hex[65];
	st_sha256_begin(&h);
	for (size_t at = 0; at < n; at += piece) {
		st_sha256_add(&h, p + at, n - at < piece ? n - at : piece);
		st_sha256_add(&h, p, 0);
	}
	st_sha256_end_hex(&h, hex);
	printf("pieces-%zu %s\n", piece, hex);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sha256-tool FILE\n");
		return 2;
	}
	char *data = NULL, err[256];
	size_t n = 0;
	if (st_read_file(&data, &n, argv[1], 64u << 20, err, sizeof err) != 0) {
		fprintf(stderr, "sha256-tool: %s\n", err);
		return 1;
	}
	char hex[65];
	unsigned char md[ST_SHA256_LEN];
	st_sha256_hex(data, n, hex);
	printf("hex %s\n", hex);
	st_sha256(data, n, md);
	st_sha256_to_hex(md, hex);
	printf("raw %s\n", hex);
	static const size_t pieces[] = { 1, 3, 55, 63, 64, 65, 4099 };
	for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++)
		streamed((const unsigned char *)data, n, pieces[i]);
	free(data);
	return 0;
}
