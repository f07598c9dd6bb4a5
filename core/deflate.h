/*
 * deflate.h — the raw deflate streams a bundle's text entries hold, made
 * with one zlib stream reused from entry to entry (core/deflate.c).
 *
 *   st_deflater *z = st_deflater_new(level);      NULL: out of memory
 *   const unsigned char *out; size_t n;
 *   if (st_deflate(z, data, len, &out, &n) == ST_OK)
 *           ... out[0..n) until the next st_deflate or st_deflater_free
 *   st_deflater_free(z);
 *
 * The bytes are exactly those libzip 1.7.3 writes for an entry deflated at
 * the same level (windowBits -15, memLevel 9, the default strategy, the
 * whole input then Z_FINISH): a bundle stays byte for byte what it was
 * when libzip compressed it (tests/t0304 pins them).  deflateReset between
 * entries gives the same bytes as a fresh stream, without allocating and
 * zeroing zlib's ~270 KB of tables for every entry.
 *
 * One st_deflater per thread; nothing is shared.
 */
#ifndef ST_DEFLATE_H
#define ST_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

typedef struct st_deflater st_deflater;

/* level 1..9 (below 1 is taken as 1, above 9 as 9). */
st_deflater *st_deflater_new(int level);
void st_deflater_free(st_deflater *z);

/* data[0..len) as one raw deflate stream into *out (z's buffer), *outlen
 * bytes.  Returns ST_OK, or ST_EIO when zlib fails or memory runs out. */
int st_deflate(st_deflater *z, const void *data, size_t len,
               const unsigned char **out, size_t *outlen);

/* The zip general-purpose flag bits 1-2 for a deflated entry at level (as
 * libzip sets them: 4 "fast" for 1-2, 2 "maximum" for 8-9, else 0). */
unsigned st_deflate_zip_flags(int level);

/* The zip CRC-32 of data[0..len), continuing from crc (0 to start). */
uint32_t st_crc32(uint32_t crc, const void *data, size_t len);

#endif
