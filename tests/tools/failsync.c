/*
 * failsync.c — an LD_PRELOAD library for tests: the next fdatasync() or
 * fsync() of a file whose path ends in "-wal" fails with EIO once the
 * file named by $FAILSYNC_FLAG exists; that sync removes the flag, so one
 * flag is one failure.  Everything else goes to the C library.  It stands
 * for a disk that reports a failed write-back, which the kernel reports
 * once (a later sync of the same file succeeds even though the pages it
 * failed to write are gone from the log on disk).
 *
 * $FAILSYNC_SKIP=N lets the process's first N syncs of a -wal file pass
 * before the flag is looked at (to fail the second sync of a command, not
 * the first).  $FAILSYNC_LOG names a file to which every sync appends one
 * line: the path synced (a folder's too), and " EIO" when it failed.
 *
 * Built by tests/t0887-serve-sync-fail.sh and t0621-registry-sync.sh:
 * cc -shared -fPIC ... -ldl.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The path of fd into path ("" when unknown). */
static void fd_path(int fd, char path[PATH_MAX])
{
	char link[64];
	ssize_t n;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, PATH_MAX - 1);
	path[n > 0 ? n : 0] = '\0';
}

static int should_fail(const char *path)
{
	static long wal_syncs;      /* of this process, so far */
	const char *flag = getenv("FAILSYNC_FLAG");
	const char *skip = getenv("FAILSYNC_SKIP");
	size_t n = strlen(path);
	if (n < 4 || strcmp(path + n - 4, "-wal") != 0)
		return 0;
	if (skip && wal_syncs++ < atol(skip))
		return 0;
	if (!flag || !*flag)
		return 0;
	return unlink(flag) == 0;   /* the flag was there: this one fails */
}

static void log_sync(const char *path, int failed)
{
	const char *log = getenv("FAILSYNC_LOG");
	FILE *f;
	if (!log || !*log || !(f = fopen(log, "a")))
		return;
	fprintf(f, "%s%s\n", path, failed ? " EIO" : "");
	fclose(f);
}

/* The sync the C library calls name (fdatasync, fsync), or EIO for the one
 * should_fail picks. */
static int sync_or_fail(int fd, const char *name, int (**real)(int))
{
	char path[PATH_MAX];
	fd_path(fd, path);
	if (should_fail(path)) {
		log_sync(path, 1);
		errno = EIO;
		return -1;
	}
	log_sync(path, 0);
	if (!*real)
		*(void **)real = dlsym(RTLD_NEXT, name);
	return (*real)(fd);
}

int fdatasync(int fd)
{
	static int (*real)(int);
	return sync_or_fail(fd, "fdatasync", &real);
}

int fsync(int fd)
{
	static int (*real)(int);
	return sync_or_fail(fd, "fsync", &real);
}
