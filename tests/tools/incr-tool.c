/*
 * incr-tool.c — a test driver for the incremental compile of stegc
 * preview (compiler/incr.h), built by t0855 against the compiler's
 * objects: after each edit it compiles the folder incrementally and
 * cleanly and compares the two.
 *
 *   incr-tool DIR STEP...
 *
 * A step "!CMD" runs CMD with the shell (an edit); "=REL" tells the cache
 * that DIR/REL changed (as the watcher does); "." compiles.  Each compile
 * prints one line:
 *
 *   compile N: loaded L reused R errors E findings F: same
 *
 * where "same" means the findings (in order, with notes, rendered as text
 * and as JSON, before and after sorting; and as sc_gen_report copies
 * them), program.xml and every page's XHTML equal a clean sc_compile's; otherwise "DIFFERENT: WHAT" and the
 * two renderings on stderr.  "?" instead of "." prints the findings too.
 *
 * With INCR_TOOL_TIME set, the time of each incremental compile goes to
 * stderr; with INCR_TOOL_ONLY set, it does not compile cleanly nor compare
 * (for profiling).
 *
 * Exit: 0 all same, 1 some different, 2 usage.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile.h"
#include "incr.h"
#include "progxml.h"

static char *render(st_diags *d, st_format f, size_t *len)
{
	char *s = NULL;
	FILE *m = open_memstream(&s, len);
	st_diags_render(d, m, f, 0, "stegc");
	fclose(m);
	return s;
}

static const char *compare_diags(st_diags *x, st_diags *y)
{
	static const st_format fmts[] = { ST_FMT_TEXT, ST_FMT_JSON };
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < 2; k++) {
			size_t lx, ly;
			char *a = render(x, fmts[k], &lx), *b = render(y, fmts[k], &ly);
			int same = lx == ly && !memcmp(a, b, lx);
			if (!same)
				fprintf(stderr, "--- incremental\n%s--- clean\n%s", a, b);
			free(a);
			free(b);
			if (!same)
				return pass ? "findings after sorting" : "findings in order";
		}
		st_diags_sort(x);
		st_diags_sort(y);
	}
	return NULL;
}

static const char *compare_programs(const st_program *x, const st_program *y)
{
	if (!x || !y)
		return x == y ? NULL : "one program is missing";
	st_diags *d = st_diags_new();
	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	st_progxml_write(d, x, &a, &la);
	st_progxml_write(d, y, &b, &lb);
	int same = la == lb && !memcmp(a, b, la);
	free(a);
	free(b);
	st_diags_free(d);
	if (!same)
		return "program.xml";
	if (x->nmodules != y->nmodules || x->nexercises != y->nexercises)
		return "counts";
	for (size_t i = 0; i < x->nmodules; i++) {
		const st_module *m = &x->modules[i], *n = &y->modules[i];
		if (m->npages != n->npages)
			return "pages";
		for (size_t k = 0; k < m->npages; k++)
			if (m->pages[k].xhtml_len != n->pages[k].xhtml_len ||
			    (m->pages[k].xhtml_len && memcmp(m->pages[k].xhtml,
			     n->pages[k].xhtml, m->pages[k].xhtml_len)) ||
			    strcmp(m->pages[k].path, n->pages[k].path))
				return "a page's XHTML";
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: incr-tool DIR STEP...\n", stderr);
		return 2;
	}
	sc_incr *c = sc_incr_new(argv[1], NULL);
	int status = 0, n = 0;
	sc_gen *prev = NULL;
	for (int i = 2; i < argc; i++) {
		const char *s = argv[i];
		if (s[0] == '!') {
			if (system(s + 1) != 0) {
				fprintf(stderr, "incr-tool: '%s' failed\n", s + 1);
				return 2;
			}
			continue;
		}
		if (s[0] == '=') {
			sc_incr_changed(c, s[1] ? s + 1 : NULL);
			continue;
		}
		if (strcmp(s, ".") && strcmp(s, "?")) {
			fprintf(stderr, "incr-tool: unknown step '%s'\n", s);
			return 2;
		}
		struct timespec t0, t1, c0, c1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
		sc_gen *g = sc_incr_compile(c);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
		if (getenv("INCR_TOOL_TIME"))
			fprintf(stderr, "compile %d took %.1f ms (cpu %.1f ms)\n", n + 1,
			        (t1.tv_sec - t0.tv_sec) * 1e3 +
			        (t1.tv_nsec - t0.tv_nsec) / 1e6,
			        (c1.tv_sec - c0.tv_sec) * 1e3 +
			        (c1.tv_nsec - c0.tv_nsec) / 1e6);
		/* the previous version stays valid while the next is built */
		sc_gen_free(prev);
		prev = g;
		if (getenv("INCR_TOOL_ONLY")) {
			n++;
			continue;
		}
		sc_opts o;
		sc_opts_init(&o);
		st_arena *a = st_arena_new();
		st_diags *d = st_diags_new();
		st_program *p = NULL;
		sc_compile(&p, a, d, argv[1], &o);
		if (s[0] == '?') {
			st_diags_sort(g->diags);
			st_diags_render(g->diags, stdout, ST_FMT_TEXT, 0, "stegc");
		}
		const char *why = compare_programs(g->program, p);
		if (!why)
			why = compare_diags(g->diags, d);
		if (!why) {
			/* and as reported into another set (sc_gen_report) */
			st_diags *r = st_diags_new();
			sc_gen_report(g, r);
			why = compare_diags(r, d);
			st_diags_free(r);
		}
		printf("compile %d: loaded %zu reused %zu errors %d findings %zu: %s%s\n",
		       ++n, g->loaded, g->reused, g->errors, st_diags_count(g->diags),
		       why ? "DIFFERENT: " : "same", why ? why : "");
		if (why)
			status = 1;
		st_diags_free(d);
		st_arena_free(a);
	}
	sc_incr_free(c);
	/* a version outlives the cache */
	sc_gen_free(prev);
	return status;
}
