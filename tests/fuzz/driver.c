/*
 * driver.c — a main() for the libFuzzer entry points of tests/fuzz/, so
 * that a harness can be built with any C compiler (gcc, no libFuzzer) and
 * run over a fixed corpus: tests/t0900-fuzz-smoke.sh uses it so that
 * `make check` runs every harness over its seeds under the sanitizers,
 * without fuzzing.
 *
 *   driver FILE-OR-DIR...   calls LLVMFuzzerTestOneInput once per file
 *                           (a directory's files in name order), then
 *                           prints "N inputs"
 *
 * A harness that needs setup defines LLVMFuzzerInitialize, as with
 * libFuzzer; it is called first when present (a weak reference).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long ninputs;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "driver: cannot open '%s'\n", path);
		return 1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf)
			abort();
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
	}
	fclose(f);
	/* an exact-size copy, so that reading past the input is caught */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	ninputs++;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "driver: no such file '%s'\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	DIR *dir = opendir(path);
	if (!dir)
		return 1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				abort();
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof *names, cmp);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(path) + strlen(names[i]) + 2;
		char *p = malloc(l);
		snprintf(p, l, "%s/%s", path, names[i]);
		rc |= run_path(p);
		free(p);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		rc |= run_path(argv[i]);
	fprintf(stderr, "%ld inputs\n", ninputs);
	return rc;
}
