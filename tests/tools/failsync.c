/*
 * failsync.c — an LD_PRELOAD library for tests: the next fdatasync() or
 * fsync() of a file whose path ends in "-wal" fails with EIO once the
 * file named by $FAILSYNC_FLAG exists; that sync removes the flag, so one
 * flag is one failure.  Everything else goes to the C library.  It stands
 * for a disk that reports a failed write-back, which the kernel reports
 * once (a later sync of the same file succeeds even though the pages it
 * failed to write are gone from the log on disk).
 *
 * Built by tests/t0887-serve-sync-fail.sh: cc -shared -fPIC ... -ldl.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int should_fail(int fd)
{
	const char *flag = getenv("FAILSYNC_FLAG");
	char link[64], path[PATH_MAX];
	ssize_t n;
	if (!flag || !*flag)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n < 4)
		return 0;
	path[n] = '\0';
	if (strcmp(path + n - 4, "-wal") != 0)
		return 0;
	return unlink(flag) == 0;   /* the flag was there: this one fails */
}

/* The sync the C library calls name (fdatasync, fsync), or EIO for the one
 * should_fail picks. */
static int sync_or_fail(int fd, const char *name, int (**real)(int))
{
	if (should_fail(fd)) {
		errno = EIO;
		return -1;
	}
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
