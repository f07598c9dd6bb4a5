/*
 * program_fuzz.c — a libFuzzer entry point for the whole compiler front
 * end on a hostile source file: the first byte chooses which file of a
 * copy of tests/golden/base the rest replaces — 0: program.yaml
 * (compiler/load.c: keys, producer, assessments, messages, the folder
 * scan), 1: an extra exercises/ovning.yaml (forms_load.c, exercises'
 * computed fields), 2: forms/mood.yaml — and the folder goes through
 * sc_compile, as `stegc build` runs it (refs.c, core/check.c).  Every input
 * must end in findings or a program without a crash, a leak or a
 * sanitizer report, and a program without errors must write a program.xml
 * that passes the embedded schema and reads back (core/progxml.c): what
 * stegc accepts, the bundle writer and every reader accept too.
 *
 * STEG_FUZZ_SRC (a -D at build time, else the environment variable, else
 * ".") is the source tree tests/golden/base is copied from.
 *
 *   make fuzz FUZZ=program FUZZ_SECONDS=120      (docs/fuzzing.md)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "progxml.h"

#ifndef STEG_FUZZ_SRC
#define STEG_FUZZ_SRC "."
#endif

static char dir[] = "/tmp/program_fuzz.XXXXXX";
static char *files[3];
static char *orig[3];
static size_t origlen[3];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const rel[] = {
		"program.yaml", "exercises/ovning.yaml", "forms/mood.yaml",
	};
	const char *src = getenv("STEG_FUZZ_SRC");
	char cmd[1024], err[256];
	if (!src)
		src = STEG_FUZZ_SRC;
	if (!mkdtemp(dir))
		abort();
	snprintf(cmd, sizeof cmd, "cp -R '%s/tests/golden/base/.' '%s' && "
	         "mkdir -p '%s/exercises'", src, dir, dir);
	if (system(cmd) != 0)
		abort();
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(dir) + strlen(rel[i]) + 2;
		files[i] = malloc(n);
		snprintf(files[i], n, "%s/%s", dir, rel[i]);
		if (i != 1 && st_read_file(&orig[i], &origlen[i], files[i],
		                           1u << 20, err, sizeof err))
			abort();
	}
	return 0;
}

static void put(int i, const void *data, size_t len)
{
	FILE *f = fopen(files[i], "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (!files[0])
		LLVMFuzzerInitialize(NULL, NULL);
	int which = data[0] % 3;
	put(which, data + 1, size - 1);

	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_program *p = NULL, *q = NULL;
	sc_opts o;
	sc_opts_init(&o);
	int errs = sc_compile(&p, a, d, dir, &o);
	if (errs == 0 && !st_diags_errors(d)) {
		char *x = NULL;
		size_t xl = 0;
		if (!p || st_progxml_write(d, p, &x, &xl) != 0)
			abort();   /* stegc accepted what the writer refuses */
		if (st_progxml_read(&q, a, d, "fuzz:program.xml", x, xl) != 0)
			abort();   /* ... or what a reader refuses */
		free(x);
	}
	st_diags_free(d);
	st_arena_free(a);
	if (which == 1)
		unlink(files[1]);
	else
		put(which, orig[which], origlen[which]);
	return 0;
}
