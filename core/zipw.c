/*
 * zipw.c — writing a zip archive as libzip lays out a bundle (zipw.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "zipw.h"

#define BUF_SIZE (1u << 20)
#define MADE_BY 0x033fu            /* Unix, zip 6.3, as libzip writes */
#define ATTR ((uint32_t)0100644 << 16)  /* a regular file, rw-r--r-- */
#define LOCAL_SIZE 30u
#define CENTRAL_SIZE 46u

struct st_zipw {
	int fd;
	st_zip_time when;
	unsigned char *buf;        /* bytes not yet written, which go at pos - nbuf */
	size_t nbuf;
	uint64_t pos;              /* the archive's size so far */
	unsigned char *cd;         /* the central directory so far */
	size_t ncd, cdcap;
	size_t n;                  /* entries */
	uint64_t last_off;         /* the last entry's local header */
	size_t last_cd;            /* its record in cd */
	size_t last_namelen;
	int open;                  /* a streamed entry is open (the last) */
	int failed;
};

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)(v >> 8 & 0xff);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

st_zipw *st_zipw_new(int fd, st_zip_time when)
{
	st_zipw *w = calloc(1, sizeof *w);
	if (!w || !(w->buf = malloc(BUF_SIZE))) {
		free(w);
		errno = ENOMEM;
		return NULL;
	}
	w->fd = fd;
	w->when = when;
	return w;
}

void st_zipw_free(st_zipw *w)
{
	if (!w)
		return;
	free(w->buf);
	free(w->cd);
	free(w);
}

static int fail(st_zipw *w, int e)
{
	w->failed = 1;
	errno = e;
	return -1;
}

static int flush(st_zipw *w)
{
	if (w->nbuf && st_write_all(w->fd, w->buf, w->nbuf) != 0)
		return fail(w, errno ? errno : EIO);
	w->nbuf = 0;
	return 0;
}

/* len bytes at the end of the archive: gathered in buf, large ones
 * written straight through. */
static int emit(st_zipw *w, const void *data, size_t len)
{
	if (w->failed)
		return fail(w, EIO);
	if ((uint64_t)len >= UINT32_MAX || w->pos + len >= UINT32_MAX)
		return fail(w, EFBIG);
	if (w->nbuf + len > BUF_SIZE && flush(w) != 0)
		return -1;
	if (len >= BUF_SIZE) {
		if (st_write_all(w->fd, data, len) != 0)
			return fail(w, errno ? errno : EIO);
	} else if (len) {
		memcpy(w->buf + w->nbuf, data, len);
		w->nbuf += len;
	}
	w->pos += len;
	return 0;
}

static int name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 0xffff)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* The fields local and central headers share, from "version needed";
 * namelen is strlen(e->name). */
static void common(unsigned char *p, const st_zipw_entry *e, size_t namelen,
                   st_zip_time t)
{
	put16(p, e->method == 8 ? 20 : 10);
	put16(p + 2, e->flags);
	put16(p + 4, e->method);
	put16(p + 6, t.time);
	put16(p + 8, t.date);
	put32(p + 10, e->crc);
	put32(p + 14, (uint32_t)e->csize);
	put32(p + 18, (uint32_t)e->usize);
	put16(p + 22, (unsigned)namelen);
	put16(p + 24, 0);                   /* extra field */
}

/* e's record appended to the central directory, made as each entry is
 * written so that st_zipw_finish has only to write it out. */
static int central(st_zipw *w, const st_zipw_entry *e, size_t namelen)
{
	size_t need = CENTRAL_SIZE + namelen;
	if (w->cdcap - w->ncd < need) {
		size_t nc = w->cdcap ? w->cdcap : 1u << 16;
		while (nc - w->ncd < need)
			nc *= 2;
		unsigned char *ncd = realloc(w->cd, nc);
		if (!ncd)
			return fail(w, ENOMEM);
		w->cd = ncd;
		w->cdcap = nc;
	}
	unsigned char *h = w->cd + w->ncd;
	put32(h, 0x02014b50);
	put16(h + 4, MADE_BY);
	common(h + 6, e, namelen, w->when);
	put16(h + 32, 0);                   /* comment */
	put16(h + 34, 0);                   /* disk */
	put16(h + 36, 0);                   /* internal attributes */
	put32(h + 38, ATTR);
	put32(h + 42, (uint32_t)w->pos);    /* the local header, next */
	memcpy(h + CENTRAL_SIZE, e->name, namelen);
	w->last_cd = w->ncd;
	w->ncd += need;
	return 0;
}

static int header(st_zipw *w, const st_zipw_entry *e)
{
	if (w->failed || w->open)
		return fail(w, EINVAL);
	if (!name_ok(e->name))
		return fail(w, EINVAL);
	if (e->csize >= UINT32_MAX || e->usize >= UINT32_MAX || w->n >= 0xffff ||
	    w->pos >= UINT32_MAX)
		return fail(w, EFBIG);
	size_t namelen = strlen(e->name);
	if (central(w, e, namelen) != 0)
		return -1;
	w->last_off = w->pos;
	w->last_namelen = namelen;
	w->n++;
	unsigned char h[LOCAL_SIZE];
	put32(h, 0x04034b50);
	common(h + 4, e, namelen, w->when);
	if (emit(w, h, sizeof h) != 0)
		return -1;
	return emit(w, e->name, namelen);
}

int st_zipw_add(st_zipw *w, const st_zipw_entry *e, const void *data)
{
	if (header(w, e) != 0)
		return -1;
	return emit(w, data, (size_t)e->csize);
}

int st_zipw_begin(st_zipw *w, const char *name)
{
	st_zipw_entry e = { name, 0, 0, 0, 0, 0 };
	if (header(w, &e) != 0)
		return -1;
	w->open = 1;
	return 0;
}

int st_zipw_write(st_zipw *w, const void *data, size_t len)
{
	if (!w->open)
		return fail(w, EINVAL);
	return emit(w, data, len);
}

int st_zipw_end(st_zipw *w, uint32_t crc, uint64_t size)
{
	if (!w->open || w->failed)
		return fail(w, EINVAL);
	w->open = 0;
	uint64_t off = w->last_off;
	if (w->pos - off - LOCAL_SIZE - w->last_namelen != size)
		return fail(w, EINVAL);     /* the bytes written are the entry */
	unsigned char f[12];
	put32(f, crc);
	put32(f + 4, (uint32_t)size);
	put32(f + 8, (uint32_t)size);
	/* the central record's CRC and sizes are at 16, the local's at 14 */
	memcpy(w->cd + w->last_cd + 16, f, sizeof f);
	/* the header is still in buf, or already written */
	uint64_t at = off + 14;
	uint64_t start = w->pos - w->nbuf;
	if (at >= start) {
		memcpy(w->buf + (at - start), f, sizeof f);
		return 0;
	}
	if (flush(w) != 0)
		return -1;
	size_t done = 0;
	while (done < sizeof f) {
		ssize_t k = pwrite(w->fd, f + done, sizeof f - done, (off_t)(at + done));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return fail(w, k < 0 ? errno : EIO);
		done += (size_t)k;
	}
	return 0;
}

int st_zipw_finish(st_zipw *w)
{
	if (w->open || w->failed)
		return fail(w, EINVAL);
	uint64_t cd = w->pos;
	if (emit(w, w->cd, w->ncd) != 0)
		return -1;
	unsigned char end[22];
	put32(end, 0x06054b50);
	put16(end + 4, 0);
	put16(end + 6, 0);
	put16(end + 8, (unsigned)w->n);
	put16(end + 10, (unsigned)w->n);
	put32(end + 12, (uint32_t)(w->pos - cd));
	put32(end + 16, (uint32_t)cd);
	put16(end + 20, 0);
	if (emit(w, end, sizeof end) != 0)
		return -1;
	return flush(w);
}
