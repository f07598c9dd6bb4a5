/*
 * score-once.c — one evaluation of every score of a form, by the core's
 * one evaluator (core/expr_eval.c), with missing answers left missing:
 * the value docs/expressions.md "Missing answers" defines for one
 * evaluation, which the FHIRPath of the export must give too
 * (compiler/fhir_path.h).  `steg score` goes further on missing answers
 * (the range over every completion); with every answer given the two
 * agree, which tests/t0812 checks as well.  Built by t0812 against the
 * core library.
 *
 *   score-once BUNDLE FORM ANSWERS.json...
 *
 * prints one JSON object per answers file, from score id to its value
 * (null when missing), scores in form order.  Items hidden by their
 * show-if are unanswered, as in steg score.  Exit 0, 1 on any error
 * (printed), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "check.h"
#include "expr.h"
#include "score.h"

typedef struct once {
	const st_form *f;
	st_value *items;
	st_value *scores;
	unsigned char *state;   /* per score: 0 not yet, 1 busy, 2 done */
} once;

static st_value score_value(once *o, size_t i);

static st_value lookup(void *ctx, int ref, size_t i, const void *target)
{
	once *o = ctx;
	(void)target;
	if (ref == ST_NAME_ITEM && i < o->f->nitems)
		return o->items[i];
	if (ref == ST_NAME_SCORE && i < o->f->nscores)
		return score_value(o, i);
	return st_value_missing(ST_TYPE_NUMBER);
}

static st_value score_value(once *o, size_t i)
{
	if (o->state[i] == 2)
		return o->scores[i];
	if (o->state[i] == 1)
		return st_value_missing(ST_TYPE_NUMBER);
	o->state[i] = 1;
	st_eval_env env = { o, lookup, NULL };
	const st_expr *e = o->f->scores[i].value;
	o->scores[i] = e && e->ast ? st_expr_eval(e->ast, &env)
	                           : st_value_missing(ST_TYPE_NUMBER);
	o->state[i] = 2;
	return o->scores[i];
}

/* The shortest decimal that reads back as v, as JavaScript prints it. */
static void shortest(double v)
{
	char s[64];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	fputs(s, stdout);
}

static int one(st_arena *a, st_diags *d, const st_form *f, const char *path)
{
	char *json = NULL, err[256];
	size_t len = 0;
	if (st_read_file(&json, &len, path, ST_ANSWERS_MAX_BYTES, err,
	                 sizeof err) != ST_OK) {
		fprintf(stderr, "score-once: %s: %s\n", path, err);
		return 1;
	}
	st_answers ans;
	int rc = st_answers_parse(&ans, a, d, f, path, json, len);
	free(json);
	if (rc != ST_OK)
		return 1;
	once o = { f, st_alloc(a, (f->nitems + 1) * sizeof(st_value)),
	           st_alloc(a, (f->nscores + 1) * sizeof(st_value)),
	           st_alloc(a, f->nscores + 1) };
	memcpy(o.items, ans.values, f->nitems * sizeof(st_value));
	memset(o.state, 0, f->nscores + 1);
	st_eval_env env = { &o, lookup, NULL };
	for (size_t i = 0; i < f->nitems; i++) {
		const st_expr *e = f->items[i].show_if;
		if (e && e->ast && !st_value_true(st_expr_eval(e->ast, &env)))
			o.items[i] = st_value_missing(o.items[i].type);
	}
	printf("{");
	for (size_t i = 0; i < f->nscores; i++) {
		st_value v = score_value(&o, i);
		printf("%s\"%s\": ", i ? ", " : "", f->scores[i].id);
		if (v.missing)
			printf("null");
		else
			shortest(v.num);
	}
	printf("}\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: score-once BUNDLE FORM ANSWERS.json...\n");
		return 2;
	}
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_bundle *b = NULL;
	int rc = 1;
	if (st_bundle_open(&b, d, argv[1]) != ST_OK)
		goto out;
	st_program *p = (st_program *)st_bundle_program(b);
	if (st_check_program(a, d, p) || st_diags_errors(d))
		goto out;
	const st_form *f = st_program_form(p, argv[2]);
	if (!f) {
		fprintf(stderr, "score-once: no form '%s'\n", argv[2]);
		goto out;
	}
	rc = 0;
	for (int i = 3; i < argc; i++)
		rc |= one(a, d, f, argv[i]);
out:
	if (st_diags_errors(d))
		st_diags_render(d, stderr, ST_FMT_TEXT, 0, "score-once");
	st_bundle_free(b);
	st_diags_free(d);
	st_arena_free(a);
	return rc;
}
