/*
 * load_full.c — run a command that lives in libstegc.so (commands.h,
 * sc_run_full).
 *
 * The object is looked for in the folder of the running stegc first (the
 * build folder, where tests run stegc), then in STEG_LIBDIR, where `make
 * install` puts it ($(LIBDIR)/steg); no environment variable is read, so
 * the code stegc runs is whatever is installed with it.  It must say the
 * same version as stegc (sc_full_version): a stegc from one release never
 * runs the commands of another's.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"

#ifndef STEG_LIBDIR
#define STEG_LIBDIR "/usr/local/lib/steg"
#endif

#define FULL_SO "libstegc.so"

/* dlopen path; NULL when it is not there (*why empty) or does not load
 * (*why the loader's reason). */
static void *try_load(const char *path, char *why, size_t n)
{
	why[0] = '\0';
	if (access(path, F_OK) != 0)
		return NULL;
	void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why, n, "%s", e ? e : "unknown error");
	}
	return h;
}

static void *load(char *path, size_t n)
{
	char self[PATH_MAX], why[PATH_MAX + 1024];
	ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
	void *h = NULL;
	if (k > 0) {
		self[k] = '\0';
		*strrchr(self, '/') = '\0';
		if ((size_t)snprintf(path, n, "%s/%s", self, FULL_SO) < n)
			h = try_load(path, why, sizeof why);
		if (h || why[0])
			goto done;
	}
	snprintf(path, n, "%s/%s", STEG_LIBDIR, FULL_SO);
	h = try_load(path, why, sizeof why);
	if (!h && !why[0])
		snprintf(why, sizeof why, "not found beside stegc%s%s nor in %s",
		         k > 0 ? " in " : "", k > 0 ? self : "", STEG_LIBDIR);
done:
	if (!h)
		fprintf(stderr, "stegc: error: cannot load %s: %s (it is installed "
		        "with stegc; reinstall Steg)\n", FULL_SO, why);
	return h;
}

int sc_run_full(int argc, char **argv)
{
	char path[PATH_MAX + 32];
	void *h = load(path, sizeof path);
	if (!h)
		return EXIT_IO;
	const char *version = dlsym(h, "sc_full_version");
	int (*fn)(int, char **);
	*(void **)&fn = dlsym(h, "sc_full_main");
	if (!version || !fn || strcmp(version, STEG_VERSION) != 0) {
		fprintf(stderr, "stegc: error: '%s' is %s%s, not the one of this "
		        "stegc %s; reinstall Steg\n", path,
		        version ? "version " : "not stegc's commands",
		        version ? version : "", STEG_VERSION);
		return EXIT_IO;
	}
	return fn(argc, argv);
}
