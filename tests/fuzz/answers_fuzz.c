/*
 * answers_fuzz.c — a libFuzzer entry point for the answers file of
 * `steg score` (core/score.c st_answers_parse, jansson) and for scoring
 * what it accepts (st_score_form, core/expr_eval.c, st_score_json).  The
 * forms are the real instruments: every form of examples/depression,
 * examples/insomnia, examples/tobacco and tests/golden/base, compiled
 * once with the compiler's own pipeline (sc_compile, so checked); the
 * first byte chooses the form, the rest is the JSON text.  Every input
 * must be refused with an error or scored, without a crash, a leak or a
 * sanitizer report; a score is missing or finite, and in a band only
 * when the band holds it.
 *
 * STEG_FUZZ_SRC (a -D at build time, else the environment variable of the
 * same name, else ".") is the source tree the forms are read from.
 *
 *   make fuzz FUZZ=answers FUZZ_SECONDS=120      (docs/fuzzing.md)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "score.h"

#ifndef STEG_FUZZ_SRC
#define STEG_FUZZ_SRC "."
#endif

static st_arena *forms_arena;
static const st_form *forms[32];
static size_t nforms;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const dirs[] = {
		"examples/depression", "examples/insomnia", "examples/tobacco",
		"tests/golden/base",
	};
	const char *src = getenv("STEG_FUZZ_SRC");
	if (!src)
		src = STEG_FUZZ_SRC;
	forms_arena = st_arena_new();
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		st_diags *d = st_diags_new();
		st_program *p = NULL;
		sc_opts o;
		sc_opts_init(&o);
		const char *dir = st_path_join(forms_arena, src, dirs[i]);
		if (sc_compile(&p, forms_arena, d, dir, &o) != 0 || !p) {
			fprintf(stderr, "answers_fuzz: '%s' does not compile\n", dir);
			st_diags_render(d, stderr, ST_FMT_TEXT, 0, "answers_fuzz");
			exit(2);
		}
		for (size_t k = 0; k < p->nforms && nforms < 32; k++)
			forms[nforms++] = &p->forms[k];
		st_diags_free(d);
	}
	if (!nforms) {
		fprintf(stderr, "answers_fuzz: no forms\n");
		exit(2);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const st_form *f = forms[data[0] % nforms];
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_answers ans;
	st_score_result r;

	if (st_answers_parse(&ans, a, d, f, "answers.json",
	                     (const char *)data + 1, size - 1) != 0) {
		if (!st_diags_errors(d))
			abort();
		goto done;
	}
	if (ans.form != f || st_score_form(&r, a, &ans) != 0)
		goto done;
	if (r.nscores != f->nscores)
		abort();
	for (size_t i = 0; i < r.nscores; i++) {
		const st_score_value *v = &r.scores[i];
		if (!v->value.missing && !isfinite(v->value.num))
			abort();
		/* A band holds the value, or every value it could have. */
		if (v->band && (v->value.missing
		                ? !v->has_range || v->lo < v->band->from ||
		                  v->hi > v->band->to
		                : v->value.num < v->band->from ||
		                  v->value.num > v->band->to))
			abort();
		if (v->has_range && !(v->lo <= v->hi))
			abort();
	}
	for (size_t i = 0; i < r.nalerts; i++)
		if (r.alerts[i].status != ST_ALERT_FIRES &&
		    r.alerts[i].status != ST_ALERT_POSSIBLE)
			abort();
	char *json = st_score_json(&r);
	if (!json)
		abort();
	free(json);
done:
	st_diags_free(d);
	st_arena_free(a);
	return 0;
}
