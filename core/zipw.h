/*
 * zipw.h — a zip archive written entry by entry from bytes prepared
 * beforehand, laid out exactly as libzip 1.7.3 lays out a bundle
 * (core/bundle_write.c; docs/bundle-format.md, "Zip layout").
 *
 *   st_zipw *w = st_zipw_new(fd, when);           writes fd from offset 0
 *   st_zipw_add(w, &e, data);                     a whole entry in memory
 *   st_zipw_begin(w, &e); st_zipw_write(w, ...);  a stored entry streamed,
 *           ...; st_zipw_end(w, crc, size);       its CRC and size after it
 *   st_zipw_finish(w);                            central directory, end
 *   st_zipw_free(w);
 *
 * Every entry: a local header without extra fields (version needed 2.0
 * deflated, 1.0 stored; the given general-purpose flags; the one time
 * given; CRC-32 and sizes in the header, no data descriptor), its bytes;
 * then the central directory in the same order (made by Unix, 6.3; a
 * regular file, mode 0644; no comment) and the end record.  No zip64:
 * more than 65,535 entries or anything at or past 4 GiB fails with EFBIG
 * (a bundle is at most 2 GiB and 20,000 entries, core/bundle.h).  Names
 * are ASCII (bundle names are checked before, st_bundle_name_ok): another
 * fails with EINVAL.
 *
 * Each entry's central-directory record is made as the entry is written
 * (its name copied), so that st_zipw_finish has only the records to write
 * out: the entries can go in while other work runs, and the end is short.
 *
 * Functions return 0, or -1 with errno; after a failure the archive is
 * unusable (the caller removes the file).  An st_zipw is not safe for
 * concurrent use: one thread at a time, with whatever hands it from one
 * thread to the next (a mutex; core/bundle_write.c, struct pool) ordering
 * each use after the last.
 */
#ifndef ST_ZIPW_H
#define ST_ZIPW_H

#include <stddef.h>
#include <stdint.h>

#include "zipout.h"

typedef struct st_zipw st_zipw;

typedef struct st_zipw_entry {
	const char *name;
	unsigned method;        /* 0 stored, 8 deflated */
	unsigned flags;         /* general-purpose bits (deflate.h) */
	uint32_t crc;           /* of the uncompressed bytes */
	uint64_t csize, usize;  /* compressed (= the bytes written) and not */
} st_zipw_entry;

st_zipw *st_zipw_new(int fd, st_zip_time when);
void st_zipw_free(st_zipw *w);

/* e with its e->csize bytes of data. */
int st_zipw_add(st_zipw *w, const st_zipw_entry *e, const void *data);

/* A stored entry whose bytes follow in st_zipw_write calls; st_zipw_end
 * puts its CRC and size into its header. */
int st_zipw_begin(st_zipw *w, const char *name);
int st_zipw_write(st_zipw *w, const void *data, size_t len);
int st_zipw_end(st_zipw *w, uint32_t crc, uint64_t size);

int st_zipw_finish(st_zipw *w);

#endif
