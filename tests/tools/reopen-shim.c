/*
 * reopen-shim.c — an LD_PRELOAD library for tests: it counts the times a
 * process opens one file and can change the file's bytes just before a
 * given open, so that a test can change a media file between the moment
 * stegc hashes it and the moment it writes it, deterministically (no
 * timing, no sleeps).
 *
 *   REOPEN_SHIM_FILE=SUFFIX   the file: any path opened that ends in SUFFIX
 *   REOPEN_SHIM_COUNT=OUT     at exit, write the number of opens to OUT
 *   REOPEN_SHIM_AT=N          just before the N-th open, change the file:
 *   REOPEN_SHIM_DO=flip|grow|shrink|fifo
 *                             flip its first byte (same size), add a byte
 *                             at its end, drop its last byte, or replace
 *                             the file by a named pipe
 *
 * open, open64, openat and openat64 are wrapped (glibc's fopen does not go
 * through them, and stegc opens media with open).  Under AddressSanitizer
 * run with ASAN_OPTIONS=verify_asan_link_order=0.
 *
 *   cc -shared -fPIC -o reopen-shim.so tests/tools/reopen-shim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int opens;

static int matches(const char *path)
{
	const char *suffix = getenv("REOPEN_SHIM_FILE");
	if (!path || !suffix || !*suffix)
		return 0;
	size_t n = strlen(path), k = strlen(suffix);
	return n >= k && strcmp(path + n - k, suffix) == 0;
}

static void change(int (*real)(const char *, int, ...), const char *path)
{
	const char *what = getenv("REOPEN_SHIM_DO");
	if (what && !strcmp(what, "fifo")) {
		if (unlink(path) != 0 || mkfifo(path, 0644) != 0) {
			fprintf(stderr, "reopen-shim: cannot make '%s' a FIFO\n", path);
			abort();
		}
		return;
	}
	int fd = real(path, O_RDWR);
	struct stat st;
	if (!what || fd < 0 || fstat(fd, &st) != 0 || st.st_size < 1) {
		fprintf(stderr, "reopen-shim: cannot change '%s'\n", path);
		abort();
	}
	unsigned char c;
	int ok = 0;
	if (!strcmp(what, "flip")) {
		ok = pread(fd, &c, 1, 0) == 1;
		c ^= 0xff;
		ok = ok && pwrite(fd, &c, 1, 0) == 1;
	} else if (!strcmp(what, "grow")) {
		c = 0;
		ok = pwrite(fd, &c, 1, st.st_size) == 1;
	} else if (!strcmp(what, "shrink")) {
		ok = ftruncate(fd, st.st_size - 1) == 0;
	}
	close(fd);
	if (!ok) {
		fprintf(stderr, "reopen-shim: REOPEN_SHIM_DO=%s failed on '%s'\n", what, path);
		abort();
	}
}

static void seen(const char *path)
{
	static int (*real)(const char *, int, ...);
	if (!matches(path))
		return;
	if (!real)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	opens++;
	const char *at = getenv("REOPEN_SHIM_AT");
	if (at && atoi(at) == opens)
		change(real, path);
}

__attribute__((destructor)) static void report(void)
{
	const char *out = getenv("REOPEN_SHIM_COUNT");
	if (!out)
		return;
	FILE *f = fopen(out, "w");
	if (f) {
		fprintf(f, "%d\n", opens);
		fclose(f);
	}
}

#define WRAP(name, ...)                                                      \
	int name(__VA_ARGS__, int flags, ...)                                \
	{                                                                    \
		static int (*real)();                                        \
		mode_t mode = 0;                                             \
		if (flags & (O_CREAT | O_TMPFILE)) {                         \
			va_list ap;                                          \
			va_start(ap, flags);                                 \
			mode = (mode_t)va_arg(ap, int);                      \
			va_end(ap);                                          \
		}                                                            \
		if (!real)                                                   \
			real = (int (*)())dlsym(RTLD_NEXT, #name);           \
		seen(path);                                                  \
		return CALL;                                                 \
	}

#define CALL real(path, flags, mode)
WRAP(open, const char *path)
WRAP(open64, const char *path)
#undef CALL
#define CALL real(dirfd, path, flags, mode)
WRAP(openat, int dirfd, const char *path)
WRAP(openat64, int dirfd, const char *path)
