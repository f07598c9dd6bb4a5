/*
 * zipout.h — writing a zip file through libzip, atomically and with entry
 * times in UTC (core/bundle_write.c writes bundles with it).
 *
 *   st_zipout o;
 *   if (st_zipout_create(&o, path) != 0)          creates PATH.XXXXXX
 *           ... errno ...
 *   zip_t *z = st_zipout_open(&o);                an archive writing into it
 *   ... zip_file_add ...; zip_close(z);           libzip writes the file
 *   st_zipout_commit(&o, path, times, n);         stamps times, renames
 *   st_zipout_abandon(&o);                        always: removes what is left
 *
 * The temporary file is created beside path with O_EXCL and the mode
 * libzip's own would have (path's when it exists, else 0666 less the
 * umask); nothing appears at path until st_zipout_commit renames it there.
 *
 * Times: a zip entry's time is an MS-DOS date and time, which name no zone.
 * libzip 1.7 makes them from a time_t with localtime_r(), and
 * zip_file_set_dostime() goes through mktime() first, so they follow TZ,
 * and in a zone with summer time no time_t gives the hour the clocks skip.
 * So whatever libzip wrote is overwritten: st_zipout_commit puts each
 * entry's date and time into its central and local headers before the
 * rename.  Nothing touches the environment (TZ), so this is safe beside
 * other threads.
 */
#ifndef ST_ZIPOUT_H
#define ST_ZIPOUT_H

#include <stddef.h>
#include <zip.h>

typedef struct st_zip_time {
	zip_uint16_t time, date;     /* MS-DOS time and date fields */
} st_zip_time;

/* t (seconds since 1970; 1980..2107 fit) in UTC; 1980-01-01 outside. */
st_zip_time st_zip_time_utc(long long t);

/* The entry times of the zip archive open at fd, in central-directory
 * order (libzip's index order), into t[0..n); n must be the number of
 * entries.  For archives without zip64 records (bundles are far below
 * 4 GiB).  Returns 0, or -1 with errno (EINVAL: not such an archive). */
int st_zip_times_read(int fd, st_zip_time *t, size_t n);

typedef struct st_zipout {
	int fd;                      /* the temporary file, or -1 */
	char *tmp;                   /* its path (owned) */
	unsigned char *buf;          /* writes are gathered here (owned) */
	size_t nbuf;                 /* bytes in buf, which go at pos - nbuf */
	zip_uint64_t pos, end;       /* the next write's offset; the size */
	zip_error_t err;             /* the last error of the source */
} st_zipout;

/* Create the temporary file for path.  Returns 0, or -1 with errno (EISDIR
 * when path is a directory).  Call st_zipout_abandon in every case. */
int st_zipout_create(st_zipout *o, const char *path);

/* A new archive that libzip writes into the temporary file (it owns its
 * source; the st_zipout outlives it).  NULL on failure, with the reason in
 * st_zipout_strerror. */
zip_t *st_zipout_open(st_zipout *o);
const char *st_zipout_strerror(st_zipout *o);

/* After a successful zip_close(): stamp the n entries' times (t in the
 * archive's order) and rename the file to path.  t NULL: the times are
 * right already (an archive core/zipw.c wrote on o->fd): only rename.
 * Returns 0, or -1 with errno. */
int st_zipout_commit(st_zipout *o, const char *path, const st_zip_time *t,
                     size_t n);

/* Close and remove the temporary file if it is still there, free all. */
void st_zipout_abandon(st_zipout *o);

#endif
