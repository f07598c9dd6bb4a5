/*
 * expr-tool.c — a test driver for the expression language at the program
 * level (core/expr_*.c, core/check.c), built by t0545 against the core
 * library, so that the evaluation of unlock rules and messages is tested
 * on its own: the runtime has no pages that open modules yet.
 *
 *   expr-tool RULE START TODAY [INTRO_DONE]
 *
 * checks RULE as the unlock rule of module "tre" in a program of three
 * modules (intro, tva, tre; tva's rule is completed("intro")), printing
 * the findings; when there are no errors it evaluates RULE on day TODAY
 * of a treatment that started on day START (days since 1970-01-01), with
 * module intro completed on day INTRO_DONE when given, and prints "true"
 * or "false".
 *
 * Exit: 0 evaluated, 1 findings with errors, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "expr.h"

struct state {
	long start, today, intro_done;
	int intro;
};

static st_value module(void *ctx, int fn, size_t index)
{
	struct state *s = ctx;
	st_value v = { ST_TYPE_BOOL, 0, 0, NULL };
	int done = index == 0 && s->intro;
	if (fn == ST_FN_DAYS_SINCE) {
		v.type = ST_TYPE_NUMBER;
		if (index == ST_MODULE_START)
			v.num = (double)(s->today - s->start);
		else if (done)
			v.num = (double)(s->today - s->intro_done);
		else
			v.missing = 1;
		return v;
	}
	v.num = fn == ST_FN_COMPLETED && done;
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: expr-tool RULE START TODAY [INTRO_DONE]\n");
		return 2;
	}
	struct state s = { atol(argv[2]), atol(argv[3]), 0, argc == 5 };
	if (argc == 5)
		s.intro_done = atol(argv[4]);
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_program *p = st_alloc(a, sizeof *p);
	static const char *const ids[] = { "intro", "tva", "tre" };
	p->id = "se.test.expr";
	p->start = ST_START_CLINICIAN;
	p->nmodules = 3;
	p->modules = st_alloc(a, 3 * sizeof *p->modules);
	for (size_t i = 0; i < 3; i++) {
		p->modules[i].id = ids[i];
		p->modules[i].title = ids[i];
	}
	p->modules[1].unlock = st_alloc(a, sizeof(st_expr));
	p->modules[1].unlock->src = "completed(\"intro\")";
	st_expr *rule = st_alloc(a, sizeof *rule);
	rule->src = argv[1];
	p->modules[2].unlock = rule;
	int errors = st_check_program(a, d, p);
	for (size_t i = 0; i < st_diags_count(d); i++)
		printf("%s: %s [%s]\n",
		       st_diags_level(d, i) == ST_ERROR ? "error" : "warning",
		       st_diags_message(d, i), st_diags_code(d, i));
	int rc = 1;
	if (!errors) {
		st_eval_env env = { &s, NULL, module };
		printf("%s\n", st_value_true(st_expr_eval(rule->ast, &env))
		       ? "true" : "false");
		rc = 0;
	}
	st_diags_free(d);
	st_arena_free(a);
	return rc;
}
