/*
 * interval.h — static analysis of expressions by intervals: the values a
 * score can take, and whether a condition can be true or false, given
 * every answer a patient could give and every state a treatment can be in.
 *
 * The analysis is sound and simple: every number expression gets an
 * interval [lo, hi] that contains each value it can take (infinite ends
 * when nothing bounds it), a flag saying it can only be a whole number and
 * a flag saying it can be missing; every condition gets two flags, "can be
 * true" and "can be false".  In a form or an exercise it looks at answered
 * items (a missing answer only makes conditions false and scores missing,
 * which the bands and alerts need not cover), except that an item or
 * field with a show-if can be missing whatever the patient does (it is
 * unanswered while hidden); in unlock rules and
 * messages (the program level) another form's score has that score's
 * interval and may be missing (the form is not filled in yet),
 * days_since("m") is a whole number of days, never negative, and missing
 * until m is completed, and days_since(start) is never missing.
 *
 * Two uses of one expression are the same value: q1 - q1 is 0, q1 / q1 is
 * 1, and in a conjunction (`and`, or `or` under `not`) the conditions on
 * one expression are intersected, so that `q1 > 2 and q1 < 1` and
 * `completed("a") and not completed("a")` can never be true.  Beyond that
 * it may say "possible" where a cleverer analysis would not; it never says
 * "impossible" wrongly.  Both properties keep its findings free of false
 * alarms, which matters most where they are errors (unlock rules).
 */
#ifndef ST_INTERVAL_H
#define ST_INTERVAL_H

#include "expr.h"
#include "model.h"

typedef struct st_ival {
	double lo, hi;     /* inclusive; -INFINITY / INFINITY when unbounded;
	                      lo > hi: no value at all (always missing) */
	int whole;         /* only whole numbers are possible */
	int missing;       /* can be missing even when every item is answered
	                      (division by zero, program-level values) */
} st_ival;

typedef struct st_truth {
	int can_true, can_false;
} st_truth;

/* The analysis of one form or one exercise (the memo of its scores' or
 * computed fields' intervals), or of the program level.  Initialise with
 * st_ival_env_init or st_ival_env_init_program; the arrays live in the
 * arena. */
typedef struct st_ival_env {
	const st_form *form;
	const st_exercise *ex;
	st_ival *memo;
	unsigned char *state;   /* 0 not yet, 1 in progress, 2 done */
	/* the program level: unlock rules and messages */
	const st_program *prog;
	struct st_ival_env *forms;  /* one per form of prog, for form.score */
	const unsigned char *reach; /* per module: can it be completed at all?
	                               NULL: every module can.  Read at each
	                               call, so the caller may grow it. */
	int no_review;              /* reviewed() is never true (nobody gives
	                               feedback) */
	/* Optional (NULL: st_ival_item): the interval of item i of the form,
	 * for an analysis that knows some answers (core/score.c). */
	st_ival (*item)(void *ctx, size_t i);
	void *ctx;
} st_ival_env;

void st_ival_env_init(st_ival_env *env, st_arena *a, const st_form *f,
                      const st_exercise *ex);
/* The program level of p; reach as in st_ival_env (may be NULL). */
void st_ival_env_init_program(st_ival_env *env, st_arena *a,
                              const st_program *p,
                              const unsigned char *reach);

/* The possible answers of an item or a field as numbers (its options'
 * values, reverse scoring, min and max). */
st_ival st_ival_item(const st_form *f, const st_item *it);
st_ival st_ival_field(const st_field *fl);

/* The interval of a checked number expression, and of score or computed
 * field i of env's form or exercise. */
st_ival st_ival_of(st_ival_env *env, const st_ast *n);
st_ival st_ival_named(st_ival_env *env, size_t i);
/* Whether a checked condition can be true, can be false. */
st_truth st_ival_truth(st_ival_env *env, const st_ast *n);

/* For a checked condition n that can never be true: the smallest part of
 * it that is never true by itself (a conjunct, or n), for pointing at. */
const st_ast *st_ival_never_part(st_ival_env *env, const st_ast *n);

/* Two checked trees that always have the same value (the same names,
 * calls and literals in the same shape). */
int st_ast_same(const st_ast *a, const st_ast *b);

#endif
