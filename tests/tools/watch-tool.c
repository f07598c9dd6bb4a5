/*
 * watch-tool.c — a test driver for compiler/watch.h, built by t0857.
 *
 *   watch-tool DIR BURSTS
 *
 * prints "ready" when the folder is watched, then one line per burst of
 * changes, the paths sorted ("modules/01-a.md program.yaml"; "*" for lost
 * events), and exits after BURSTS bursts, or 1 after 20 s without one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch.h"

struct burst {
	char *paths[64];
	int n;
};

static void on_change(void *ctx, const char *rel)
{
	struct burst *b = ctx;
	if (b->n < 64)
		b->paths[b->n++] = strdup(rel ? rel : "*");
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: watch-tool DIR BURSTS\n", stderr);
		return 2;
	}
	char err[256];
	sc_watch *w = sc_watch_new(argv[1], err, sizeof err);
	if (!w) {
		fprintf(stderr, "watch-tool: %s\n", err);
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	int rc = 0;
	for (int k = atoi(argv[2]); k > 0; k--) {
		struct burst b = { { 0 }, 0 };
		int n = sc_watch_wait(w, 20000, 20, 1000, on_change, &b);
		if (n <= 0) {
			rc = 1;
			break;
		}
		qsort(b.paths, (size_t)b.n, sizeof *b.paths, by_name);
		for (int i = 0; i < b.n; i++) {
			printf("%s%s", i ? " " : "", b.paths[i]);
			free(b.paths[i]);
		}
		printf("\n");
		fflush(stdout);
	}
	sc_watch_free(w);
	return rc;
}
