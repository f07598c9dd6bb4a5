/*
 * form_fuzz.c — a libFuzzer entry point for a rating form from source to
 * score: the bytes are forms/ID.yaml, loaded with the compiler's form
 * loader (core/yamlload.c, compiler/forms_load.c and its sc_y* helpers),
 * checked in a small program as `stegc build` checks it (core/check.c:
 * expressions, cycles, intervals, bands, reachability) and, when it has
 * no error, scored (core/score.c) with every item answered with its first
 * allowed value, with its last, and with none.  Every input must end in
 * findings or scores without a crash, a hang, a leak or a sanitizer
 * report; a score is missing or finite and lies in its band.
 *
 *   make fuzz FUZZ=form FUZZ_SECONDS=120      (docs/fuzzing.md)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "score.h"
#include "yamlload.h"

/* {"id": value, ...}: each item's first (last) allowed value. */
static char *answers_json(st_arena *a, const st_form *f, int last)
{
	st_buf b;
	st_buf_init(&b);
	st_buf_addc(&b, '{');
	for (size_t i = 0; i < f->nitems; i++) {
		const st_item *it = &f->items[i];
		st_qtype t = it->type;
		const st_option *o = it->options ? it->options : f->options;
		size_t no = it->options ? it->noptions : f->noptions;
		if (i)
			st_buf_adds(&b, ", ");
		st_buf_printf(&b, "\"%s\": ", it->id);
		if (t == ST_Q_BOOLEAN)
			st_buf_adds(&b, last ? "false" : "true");
		else if (t == ST_Q_TEXT)
			st_buf_adds(&b, "\"svar\"");
		else if (t == ST_Q_DATE)
			st_buf_adds(&b, last ? "\"2024-02-29\"" : "\"1970-01-01\"");
		else if (t == ST_Q_NUMBER || t == ST_Q_SCALE)
			st_buf_printf(&b, "%.17g", last ? (it->has_max ? it->max : 1e6)
			                                : (it->has_min ? it->min : 0));
		else if (no)
			st_buf_printf(&b, "%.17g", o[last ? no - 1 : 0].value);
		else
			st_buf_adds(&b, "null");
	}
	st_buf_addc(&b, '}');
	char *s = st_strndup(a, b.data, b.len);
	st_buf_release(&b);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_ynode *root = st_yaml_load(a, d, "forms/fuzz.yaml",
	                              (const char *)data, size, 0, 0);
	if (!root)
		goto done;
	st_program *p = st_alloc(a, sizeof *p);
	st_form *f = st_alloc(a, sizeof *f);
	p->steg = 1;
	p->id = "se.fuzz.form";
	p->version = "1.0.0";
	p->title = "fuzz";
	p->language = "sv";
	p->forms = f;
	p->nforms = 1;
	p->nmodules = 1;
	p->modules = st_alloc(a, sizeof *p->modules);
	p->modules[0].id = "intro";
	if (sc_load_form(f, a, d, root, "forms/fuzz.yaml", NULL) != 0 ||
	    st_diags_errors(d))
		goto done;
	if (st_check_program(a, d, p) != 0 || st_diags_errors(d))
		goto done;
	for (int k = 0; k < 3; k++) {
		const char *json = k == 2 ? "{}" : answers_json(a, f, k);
		st_answers ans;
		st_score_result r;
		st_diags *d2 = st_diags_new();
		if (st_answers_parse(&ans, a, d2, f, "fuzz.json", json,
		                     strlen(json)) == 0 &&
		    st_score_form(&r, a, &ans) == 0) {
			for (size_t i = 0; i < r.nscores; i++) {
				const st_score_value *v = &r.scores[i];
				if (!v->value.missing && !isfinite(v->value.num))
					abort();
				if (v->band && (v->value.missing
				                ? !v->has_range ||
				                  v->lo < v->band->from ||
				                  v->hi > v->band->to
				                : v->value.num < v->band->from ||
				                  v->value.num > v->band->to))
					abort();
			}
			free(st_score_json(&r));
		}
		st_diags_free(d2);
	}
done:
	st_diags_free(d);
	st_arena_free(a);
	return 0;
}
