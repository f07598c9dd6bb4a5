/*
 * deflate.c — raw deflate streams with a reused zlib stream (deflate.h).
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "deflate.h"
#include "util.h"

struct st_deflater {
	z_stream zs;
	int ready;                 /* deflateInit2 succeeded */
	unsigned char *buf;        /* the last output */
	size_t cap;
};

st_deflater *st_deflater_new(int level)
{
	level = level < 1 ? 1 : level > 9 ? 9 : level;
	st_deflater *z = calloc(1, sizeof *z);
	if (!z)
		return NULL;
	/* libzip's parameters (zip_algorithm_deflate.c): raw stream,
	 * MAX_MEM_LEVEL, the default strategy */
	if (deflateInit2(&z->zs, level, Z_DEFLATED, -MAX_WBITS, MAX_MEM_LEVEL,
	                 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(z);
		return NULL;
	}
	z->ready = 1;
	return z;
}

void st_deflater_free(st_deflater *z)
{
	if (!z)
		return;
	if (z->ready)
		deflateEnd(&z->zs);
	free(z->buf);
	free(z);
}

int st_deflate(st_deflater *z, const void *data, size_t len,
               const unsigned char **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	if (deflateReset(&z->zs) != Z_OK)
		return ST_EIO;
	/* one call with Z_FINISH, into deflateBound's room, finishes the
	 * stream (zlib.h); entries are far below 1 GiB (bundle.h) */
	if (len > 0x40000000u)
		return ST_EIO;
	size_t need = (size_t)deflateBound(&z->zs, (uLong)len);
	if (need > z->cap) {
		unsigned char *nb = realloc(z->buf, need);
		if (!nb)
			return ST_EIO;
		z->buf = nb;
		z->cap = need;
	}
	z->zs.next_in = (Bytef *)(uintptr_t)data;
	z->zs.avail_in = (uInt)len;
	z->zs.next_out = z->buf;
	z->zs.avail_out = (uInt)need;
	if (deflate(&z->zs, Z_FINISH) != Z_STREAM_END)
		return ST_EIO;
	size_t done = need - z->zs.avail_out;
	*out = z->buf;
	*outlen = done;
	return ST_OK;
}

unsigned st_deflate_zip_flags(int level)
{
	level = level < 1 ? 1 : level > 9 ? 9 : level;
	return level <= 2 ? 4u : level >= 8 ? 2u : 0u;
}

uint32_t st_crc32(uint32_t crc, const void *data, size_t len)
{
	return (uint32_t)crc32_z(crc, data, len);
}
