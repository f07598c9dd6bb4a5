/*
 * sha256.h — SHA-256, streamed or in one go, as bytes or hex.
 *
 * Contract: an st_sha256_ctx lives wherever its caller puts it (the stack,
 * a struct); it owns no memory and needs no freeing.  st_sha256_begin
 * starts it, st_sha256_add feeds it any number of times (any sizes, zero
 * included), st_sha256_end or st_sha256_end_hex finishes it; after that
 * it must be begun again before another use.  Nothing here fails, reads
 * a file or sets anything up for the process: the first hash costs what
 * every other one does (docs/architecture.md, "SHA-256").  Safe to use
 * from any number of threads, each with its own st_sha256_ctx.
 *
 * The implementation is OpenSSL's SHA-256 block function (with the
 * SHA-NI and AVX2 code it picks for the CPU); programs that use this
 * module link libcrypto.  steg, which does not, hashes by libsodium
 * (st_sha256_sodium_hex in util.h).
 */
#ifndef STEG_SHA256_H
#define STEG_SHA256_H

#include <stddef.h>

enum { ST_SHA256_LEN = 32 };

/* Room for OpenSSL's SHA256_CTX (112 bytes on every platform it
 * supports; sha256.c checks the size when it is compiled). */
typedef struct {
	_Alignas(8) unsigned char state[128];
} st_sha256_ctx;

void st_sha256_begin(st_sha256_ctx *h);
void st_sha256_add(st_sha256_ctx *h, const void *data, size_t len);
void st_sha256_end(st_sha256_ctx *h, unsigned char out[ST_SHA256_LEN]);
/* 64 lower-case hex digits and a NUL. */
void st_sha256_end_hex(st_sha256_ctx *h, char hex[65]);

/* The SHA-256 of data[0..len) in one call. */
void st_sha256(const void *data, size_t len, unsigned char out[ST_SHA256_LEN]);

/* out[0..64] = the 32 bytes of md as lower-case hex and a NUL. */
void st_sha256_to_hex(const unsigned char md[ST_SHA256_LEN], char hex[65]);

#endif
