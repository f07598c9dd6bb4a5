/*
 * sha256.c — SHA-256 by OpenSSL's low-level functions (sha256.h).
 *
 * Why not EVP, OpenSSL's recommended interface: OpenSSL 3 sets itself up
 * at the first EVP digest of a process (its library context, the default
 * provider, the table of every algorithm it offers, fetched by name),
 * and that took 0.7-0.8 ms even without reading openssl.cnf, a twentieth
 * of a 10-module `stegc build` (docs/benchmarks.md, "The fixed cost of a
 * small build").  SHA256_Init/Update/Final call the same assembly block
 * function (SHA-NI where the CPU has it) with no set-up at all.  They are
 * marked deprecated since OpenSSL 3.0 but shipped by every 3.x release
 * (Debian's included); should a release drop them, this file is the one
 * place to change: EVP (and its set-up) or another library's SHA-256.
 * libsodium's, which needs no set-up either, is portable C without
 * SHA-NI: several times slower per byte on the megabytes a build of
 * 1,000 modules hashes.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "sha256.h"

#include <openssl/sha.h>
#include <string.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((st_sha256_ctx *)0)->state),
               "st_sha256_ctx has no room for OpenSSL's SHA256_CTX");
_Static_assert(_Alignof(SHA256_CTX) <= 8,
               "st_sha256_ctx is not aligned enough for OpenSSL's SHA256_CTX");

/* The state is only ever used as a SHA256_CTX, through this pointer. */
static SHA256_CTX *ctx(st_sha256_ctx *h)
{
	return (SHA256_CTX *)(void *)h->state;
}

void st_sha256_begin(st_sha256_ctx *h)
{
	SHA256_Init(ctx(h));
}

void st_sha256_add(st_sha256_ctx *h, const void *data, size_t len)
{
	if (len)
		SHA256_Update(ctx(h), data, len);
}

void st_sha256_end(st_sha256_ctx *h, unsigned char out[ST_SHA256_LEN])
{
	SHA256_Final(out, ctx(h));
}

void st_sha256_to_hex(const unsigned char md[ST_SHA256_LEN], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < ST_SHA256_LEN; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

void st_sha256_end_hex(st_sha256_ctx *h, char hex[65])
{
	unsigned char md[ST_SHA256_LEN];
	st_sha256_end(h, md);
	st_sha256_to_hex(md, hex);
}

void st_sha256(const void *data, size_t len, unsigned char out[ST_SHA256_LEN])
{
	st_sha256_ctx h;
	st_sha256_begin(&h);
	st_sha256_add(&h, data, len);
	st_sha256_end(&h, out);
}
