/*
 * zipout.c — a zip file written through libzip into a temporary file, with
 * entry times in UTC, renamed into place (core/zipout.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vocab.h"
#include "zipout.h"

st_zip_time st_zip_time_utc(long long t)
{
	st_zip_time dt = { 0, (1 << 5) | 1 };   /* 1980-01-01 00:00 */
	st_civil c;
	/* the years an MS-DOS date holds: 1980 to 2107 */
	if (st_time_civil(t, &c) != ST_OK || c.year < 1980 || c.year > 2107)
		return dt;
	dt.date = (zip_uint16_t)(((c.year - 1980) << 9) | (c.month << 5) | c.day);
	dt.time = (zip_uint16_t)((c.hour << 11) | (c.min << 5) | (c.sec >> 1));
	return dt;
}

static unsigned rd16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long rd32(const unsigned char *p)
{
	return (unsigned long)rd16(p) | (unsigned long)rd16(p + 2) << 16;
}

static void wr16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)(v >> 8 & 0xff);
}

static int pread_all(int fd, void *buf, size_t n, off_t off)
{
	unsigned char *p = buf;
	while (n) {
		ssize_t k = pread(fd, p, n, off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EINVAL;   /* shorter than its directory says */
			return -1;
		}
		p += k;
		n -= (size_t)k;
		off += k;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t n, off_t off)
{
	const unsigned char *p = buf;
	while (n) {
		ssize_t k = pwrite(fd, p, n, off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		p += k;
		n -= (size_t)k;
		off += k;
	}
	return 0;
}

#define ZIP_EOCD   22                    /* end of central directory */
#define ZIP_CDH    46                    /* a central header, before names */
#define ZIP_LFH    30                    /* a local header, before names */

/* The zip archive's entry times, in central-directory order: read into
 * get[0..n), or written from put into every central and local header. */
static int zip_times(int fd, st_zip_time *get, const st_zip_time *put, size_t n)
{
	struct stat st;
	unsigned char *tail = NULL, *cd = NULL;
	int rc = -1;
	if (fstat(fd, &st) != 0)
		return -1;
	errno = EINVAL;
	if (st.st_size < ZIP_EOCD)
		return -1;
	size_t tlen = st.st_size < ZIP_EOCD + 65535 ? (size_t)st.st_size : ZIP_EOCD + 65535;
	off_t tpos = st.st_size - (off_t)tlen;
	tail = malloc(tlen);
	if (!tail || pread_all(fd, tail, tlen, tpos) != 0)
		goto done;
	/* The record whose comment ends the file. */
	size_t e = tlen - ZIP_EOCD + 1;
	while (e-- > 0)
		if (rd32(tail + e) == 0x06054b50ul && e + ZIP_EOCD + rd16(tail + e + 20) == tlen)
			break;
	errno = EINVAL;
	if (e == (size_t)-1)
		goto done;
	const unsigned char *r = tail + e;
	unsigned long cdlen = rd32(r + 12), cdoff = rd32(r + 16);
	off_t eocd = tpos + (off_t)e;
	if (rd16(r + 4) != 0 || rd16(r + 6) != 0 || rd16(r + 8) != n ||
	    rd16(r + 10) != n || n >= 0xffff || cdoff >= 0xfffffffful ||
	    (off_t)cdoff + (off_t)cdlen != eocd)
		goto done;
	cd = malloc(cdlen ? cdlen : 1);
	if (!cd || pread_all(fd, cd, cdlen, (off_t)cdoff) != 0)
		goto done;
	size_t p = 0;
	for (size_t k = 0; k < n; k++) {
		errno = EINVAL;
		if (cdlen - p < ZIP_CDH || rd32(cd + p) != 0x02014b50ul)
			goto done;
		size_t len = ZIP_CDH + (size_t)rd16(cd + p + 28) + rd16(cd + p + 30) +
			rd16(cd + p + 32);
		unsigned long loc = rd32(cd + p + 42);
		if (cdlen - p < len || loc > cdoff || cdoff - loc < ZIP_LFH)
			goto done;
		if (get) {
			get[k].time = (zip_uint16_t)rd16(cd + p + 12);
			get[k].date = (zip_uint16_t)rd16(cd + p + 14);
		} else {
			unsigned char lh[ZIP_LFH];
			if (pread_all(fd, lh, sizeof lh, (off_t)loc) != 0)
				goto done;
			errno = EINVAL;
			if (rd32(lh) != 0x04034b50ul)
				goto done;
			wr16(cd + p + 12, put[k].time);
			wr16(cd + p + 14, put[k].date);
			wr16(lh + 10, put[k].time);
			wr16(lh + 12, put[k].date);
			if (pwrite_all(fd, lh + 10, 4, (off_t)loc + 10) != 0)
				goto done;
		}
		p += len;
	}
	errno = EINVAL;
	if (p != cdlen)
		goto done;
	if (!get && pwrite_all(fd, cd, cdlen, (off_t)cdoff) != 0)
		goto done;
	rc = 0;
done:
	free(tail);
	free(cd);
	return rc;
}

int st_zip_times_read(int fd, st_zip_time *t, size_t n)
{
	return zip_times(fd, t, NULL, n);
}

/* ---- the output file ------------------------------------------------------
 *
 * libzip writes the archive through out_cb, a write-only source over the
 * temporary file whose writes are gathered into OUT_BUF bytes (libzip's
 * are small: headers, 8 KiB of data). */

#define OUT_BUF (256u << 10)

static int out_flush(st_zipout *o)
{
	if (o->nbuf && pwrite_all(o->fd, o->buf, o->nbuf, (off_t)(o->pos - o->nbuf)) != 0) {
		zip_error_set(&o->err, ZIP_ER_WRITE, errno);
		return -1;
	}
	o->nbuf = 0;
	return 0;
}

static zip_int64_t out_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	st_zipout *o = ud;
	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_WRITABLE;
	case ZIP_SOURCE_STAT:
		/* a new archive: libzip reads nothing back */
		zip_error_set(&o->err, ZIP_ER_READ, ENOENT);
		return -1;
	case ZIP_SOURCE_BEGIN_WRITE:
		o->nbuf = 0;
		o->pos = o->end = 0;
		return 0;
	case ZIP_SOURCE_WRITE:
		if (o->nbuf + len > OUT_BUF && out_flush(o) != 0)
			return -1;
		if (len >= OUT_BUF) {
			if (pwrite_all(o->fd, data, len, (off_t)o->pos) != 0) {
				zip_error_set(&o->err, ZIP_ER_WRITE, errno);
				return -1;
			}
		} else {
			memcpy(o->buf + o->nbuf, data, len);
			o->nbuf += len;
		}
		o->pos += len;
		if (o->pos > o->end)
			o->end = o->pos;
		return (zip_int64_t)len;
	case ZIP_SOURCE_SEEK_WRITE: {
		if (out_flush(o) != 0)
			return -1;
		zip_int64_t to = zip_source_seek_compute_offset(o->pos, o->end, data, len, &o->err);
		if (to < 0)
			return -1;
		o->pos = (zip_uint64_t)to;
		return 0;
	}
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)o->pos;
	case ZIP_SOURCE_COMMIT_WRITE:
		return out_flush(o);
	case ZIP_SOURCE_ROLLBACK_WRITE:
		o->nbuf = 0;
		return 0;
	case ZIP_SOURCE_REMOVE:
	case ZIP_SOURCE_FREE:
		return 0;          /* the writer removes or renames the file */
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&o->err, data, len);
	default:
		zip_error_set(&o->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

int st_zipout_create(st_zipout *o, const char *path)
{
	static const char az[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	memset(o, 0, sizeof *o);
	o->fd = -1;
	zip_error_init(&o->err);
	struct stat st;
	int keep = stat(path, &st) == 0;
	if (keep && !S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
		return -1;
	}
	size_t n = strlen(path);
	o->tmp = malloc(n + 8);
	o->buf = malloc(OUT_BUF);
	if (!o->tmp || !o->buf) {
		errno = ENOMEM;
		return -1;
	}
	for (int tries = 0; tries < 100 && o->fd < 0; tries++) {
		unsigned char r[6];
		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
			unsigned long long x = (unsigned long long)getpid() * 2654435761u +
				(unsigned long long)tries * 40503u + (unsigned long long)time(NULL);
			for (size_t i = 0; i < sizeof r; i++, x >>= 8)
				r[i] = (unsigned char)x;
		}
		memcpy(o->tmp, path, n);
		o->tmp[n] = '.';
		for (size_t i = 0; i < sizeof r; i++)
			o->tmp[n + 1 + i] = az[r[i] % (sizeof az - 1)];
		o->tmp[n + 7] = 0;
		o->fd = open(o->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		             keep ? 0600 : 0666);
		if (o->fd < 0 && errno != EEXIST)
			return -1;
	}
	if (o->fd < 0)
		return -1;
	if (keep)
		(void)fchmod(o->fd, st.st_mode & 07777);
	return 0;
}

zip_t *st_zipout_open(st_zipout *o)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_function_create(out_cb, o, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &ze) : NULL;
	if (!z) {
		zip_error_set(&o->err, zip_error_code_zip(&ze), zip_error_code_system(&ze));
		if (src)
			zip_source_free(src);
	}
	zip_error_fini(&ze);
	return z;
}

int st_zipout_commit(st_zipout *o, const char *path, const st_zip_time *t,
                     size_t n)
{
	if (t && zip_times(o->fd, NULL, t, n) != 0)
		return -1;
	int fd = o->fd;
	o->fd = -1;
	if (close(fd) != 0 || rename(o->tmp, path) != 0)
		return -1;
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

void st_zipout_abandon(st_zipout *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->buf);
	zip_error_fini(&o->err);
	memset(o, 0, sizeof *o);
	o->fd = -1;
}

const char *st_zipout_strerror(st_zipout *o)
{
	return zip_error_strerror(&o->err);
}
