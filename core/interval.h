/*
 * interval.h — static analysis of expressions by intervals: the values a
 * score can take, and whether a condition can be true or false, given
 * every answer a patient could give.
 *
 * The analysis is sound and simple: every number expression gets an
 * interval [lo, hi] that contains each value it can take (infinite ends
 * when nothing bounds it) and a flag saying it can only be a whole number;
 * every condition gets two flags, "can be true" and "can be false".  It
 * looks at answered items (a missing answer only makes conditions false
 * and scores missing, which the bands and alerts need not cover), and it
 * does not track that two uses of one item are the same answer, so it may
 * say "possible" where a cleverer analysis would not; it never says
 * "impossible" wrongly.  Both properties keep its warnings free of false
 * alarms.
 */
#ifndef ST_INTERVAL_H
#define ST_INTERVAL_H

#include "expr.h"
#include "model.h"

typedef struct st_ival {
	double lo, hi;     /* inclusive; -INFINITY / INFINITY when unbounded */
	int whole;         /* only whole numbers are possible */
} st_ival;

typedef struct st_truth {
	int can_true, can_false;
} st_truth;

/* The analysis of one form or one exercise: the memo of its scores' or
 * computed fields' intervals.  Initialise with st_ival_env_init; the
 * arrays live in the arena. */
typedef struct st_ival_env {
	const st_form *form;
	const st_exercise *ex;
	st_ival *memo;
	unsigned char *state;   /* 0 not yet, 1 in progress, 2 done */
} st_ival_env;

void st_ival_env_init(st_ival_env *env, st_arena *a, const st_form *f,
                      const st_exercise *ex);

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

#endif
