/*
 * interval.c — interval analysis of expressions (interval.h): the range
 * of every score, whether it can only be whole, and whether conditions can
 * be true or false.
 *
 * Interval arithmetic with infinite ends needs care where IEEE gives NaN
 * (inf - inf, 0 * inf); the helpers below give the sound answer instead.
 * Scores and computed fields that refer to each other are memoised, and a
 * cycle (already reported by the checker) is cut with an unbounded
 * interval, so that every call is linear in the size of the expressions.
 */
#include <math.h>
#include <string.h>
#include "interval.h"

static const st_ival UNBOUNDED = { -INFINITY, INFINITY, 0 };

static int is_whole(double v)
{
	return isfinite(v) && v == floor(v);
}

static st_ival exact(double v)
{
	st_ival r = { v, v, is_whole(v) };
	return r;
}

/* Tighten the ends of a whole-number interval to whole numbers. */
static st_ival tighten(st_ival x)
{
	if (x.whole) {
		if (isfinite(x.lo))
			x.lo = ceil(x.lo);
		if (isfinite(x.hi))
			x.hi = floor(x.hi);
	}
	return x;
}

static double add_lo(double a, double b)
{
	if (isinf(a) && a < 0) return -INFINITY;
	if (isinf(b) && b < 0) return -INFINITY;
	return a + b;
}

static double add_hi(double a, double b)
{
	if (isinf(a) && a > 0) return INFINITY;
	if (isinf(b) && b > 0) return INFINITY;
	return a + b;
}

static double mul1(double a, double b)
{
	if (a == 0 || b == 0)
		return 0;
	return a * b;
}

static st_ival iadd(st_ival a, st_ival b)
{
	st_ival r = { add_lo(a.lo, b.lo), add_hi(a.hi, b.hi),
	              a.whole && b.whole };
	return r;
}

static st_ival ineg(st_ival a)
{
	st_ival r = { -a.hi, -a.lo, a.whole };
	return r;
}

static st_ival imul(st_ival a, st_ival b)
{
	double p[4] = { mul1(a.lo, b.lo), mul1(a.lo, b.hi), mul1(a.hi, b.lo),
	                mul1(a.hi, b.hi) };
	st_ival r = { p[0], p[0], a.whole && b.whole };
	for (int i = 1; i < 4; i++) {
		if (p[i] < r.lo) r.lo = p[i];
		if (p[i] > r.hi) r.hi = p[i];
	}
	return r;
}

static st_ival idiv(st_ival a, st_ival b)
{
	if (b.lo <= 0 && b.hi >= 0) {
		if (a.lo == 0 && a.hi == 0)
			return exact(0);
		return UNBOUNDED;
	}
	st_ival inv = { 1 / b.hi, 1 / b.lo, 0 };   /* b does not hold 0 */
	st_ival r = imul(a, inv);
	r.whole = 0;
	return r;
}

static st_ival iunion(st_ival a, st_ival b)
{
	st_ival r = { a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi,
	              a.whole && b.whole };
	return r;
}

static void opts_range(const st_option *o, size_t n, st_ival *r)
{
	r->lo = INFINITY;
	r->hi = -INFINITY;
	r->whole = 1;
	for (size_t i = 0; i < n; i++) {
		if (o[i].value < r->lo) r->lo = o[i].value;
		if (o[i].value > r->hi) r->hi = o[i].value;
		if (!is_whole(o[i].value)) r->whole = 0;
	}
	if (!n)
		*r = UNBOUNDED;
}

st_ival st_ival_item(const st_form *f, const st_item *it)
{
	const char *t = it->type ? it->type : "choice";
	st_ival r = UNBOUNDED;
	if (!strcmp(t, "choice")) {
		if (it->noptions)
			opts_range(it->options, it->noptions, &r);
		else if (f && f->noptions)
			opts_range(f->options, f->noptions, &r);
	} else if (!strcmp(t, "number") || !strcmp(t, "scale")) {
		if (it->has_min) r.lo = it->min;
		if (it->has_max) r.hi = it->max;
		r.whole = !strcmp(t, "scale") && (!it->has_min ||
		                                  is_whole(it->min));
	}
	/* Reverse scoring maps [lo, hi] onto itself: lo + hi - answer. */
	if (it->reverse && isfinite(r.lo) && isfinite(r.hi))
		r.whole = r.whole && is_whole(r.lo + r.hi);
	return tighten(r);
}

st_ival st_ival_field(const st_field *fl)
{
	const char *t = fl->type ? fl->type : "text";
	st_ival r = UNBOUNDED;
	if (!strcmp(t, "choice")) {
		opts_range(fl->options, fl->noptions, &r);
	} else if (!strcmp(t, "multi")) {
		/* The sum of any subset of the options' values. */
		r.lo = r.hi = 0;
		r.whole = 1;
		for (size_t i = 0; i < fl->noptions; i++) {
			double v = fl->options[i].value;
			if (v < 0) r.lo += v; else r.hi += v;
			if (!is_whole(v)) r.whole = 0;
		}
	} else if (!strcmp(t, "time")) {
		r.lo = 0;
		r.hi = 1439;
		r.whole = 1;
	} else if (!strcmp(t, "number") || !strcmp(t, "scale") ||
	           !strcmp(t, "duration")) {
		if (fl->has_min) r.lo = fl->min;
		else if (!strcmp(t, "duration")) r.lo = 0;
		if (fl->has_max) r.hi = fl->max;
		double step = fl->has_step ? fl->step
		              : !strcmp(t, "scale") ? 1 : 0;
		r.whole = step > 0 && is_whole(step) &&
		          (!fl->has_min || is_whole(fl->min));
	}
	return tighten(r);
}

void st_ival_env_init(st_ival_env *env, st_arena *a, const st_form *f,
                      const st_exercise *ex)
{
	size_t n = f ? f->nscores : ex ? ex->ncomputed : 0;
	memset(env, 0, sizeof *env);
	env->form = f;
	env->ex = ex;
	env->memo = st_alloc(a, (n + 1) * sizeof *env->memo);
	env->state = st_alloc(a, n + 1);
}

st_ival st_ival_named(st_ival_env *env, size_t i)
{
	if (env->state[i] == 2)
		return env->memo[i];
	if (env->state[i] == 1)
		return UNBOUNDED;       /* a cycle; the checker reported it */
	env->state[i] = 1;
	const st_expr *v = env->form ? env->form->scores[i].value
	                             : env->ex->computed[i].value;
	st_ival r = v && v->ast && v->type == ST_TYPE_NUMBER
	            ? st_ival_of(env, v->ast) : UNBOUNDED;
	env->memo[i] = r;
	env->state[i] = 2;
	return r;
}

static st_ival name_ival(st_ival_env *env, int ref, size_t i)
{
	switch (ref) {
	case ST_NAME_ITEM:
		return st_ival_item(env->form, &env->form->items[i]);
	case ST_NAME_FIELD:
		return st_ival_field(&env->ex->fields[i]);
	case ST_NAME_SCORE:
	case ST_NAME_COMPUTED:
		return st_ival_named(env, i);
	default:
		return UNBOUNDED;
	}
}

/* Fold the arguments of sum, min or max (ranges expanded). */
static st_ival fold(st_ival_env *env, const st_ast *n, int fn)
{
	st_ival acc = { 0, 0, 1 };
	int first = 1;
	for (size_t i = 0; i < n->nargs; i++) {
		const st_ast *x = n->args[i];
		size_t from = 0, to = 0;
		int range = x->kind == ST_AST_RANGE;
		if (range) {
			from = x->index;
			to = x->index_end;
		}
		for (size_t k = from; k <= to; k++) {
			st_ival v = range ? name_ival(env, x->ref, k)
			                  : st_ival_of(env, x);
			if (first) {
				acc = v;
				first = 0;
			} else if (fn == ST_FN_SUM) {
				acc = iadd(acc, v);
			} else if (fn == ST_FN_MIN) {
				acc.lo = v.lo < acc.lo ? v.lo : acc.lo;
				acc.hi = v.hi < acc.hi ? v.hi : acc.hi;
				acc.whole = acc.whole && v.whole;
			} else if (fn == ST_FN_MAX) {
				acc.lo = v.lo > acc.lo ? v.lo : acc.lo;
				acc.hi = v.hi > acc.hi ? v.hi : acc.hi;
				acc.whole = acc.whole && v.whole;
			} else { /* mean: between the smallest and largest */
				acc = iunion(acc, v);
				acc.whole = 0;
			}
		}
	}
	if (fn == ST_FN_MEAN) {
		acc.whole = 0;
		/* The mean of one whole value is whole, but not in general. */
	}
	return acc;
}

static size_t nvalues(const st_ast *n)
{
	size_t k = 0;
	for (size_t i = 0; i < n->nargs; i++)
		k += n->args[i]->kind == ST_AST_RANGE
		     ? n->args[i]->index_end - n->args[i]->index + 1 : 1;
	return k;
}

static double round_to(double v, double digits)
{
	if (!isfinite(v))
		return v;
	double m = pow(10, digits);
	return round(v * m) / m;
}

st_ival st_ival_of(st_ival_env *env, const st_ast *n)
{
	if (!n || n->type != ST_TYPE_NUMBER)
		return UNBOUNDED;
	switch (n->kind) {
	case ST_AST_NUM:
		return exact(n->num);
	case ST_AST_NAME:
		/* Another form's score (in unlock rules and messages) is
		 * left unbounded: those conditions are about pacing, and a
		 * bound would not make their warnings more useful. */
		if (n->ref == ST_NAME_FORM_SCORE)
			return UNBOUNDED;
		return name_ival(env, n->ref, n->index);
	case ST_AST_NEG:
		return ineg(st_ival_of(env, n->args[0]));
	case ST_AST_BIN: {
		st_ival a = st_ival_of(env, n->args[0]);
		st_ival b = st_ival_of(env, n->args[1]);
		switch (n->op) {
		case ST_OP_ADD: return tighten(iadd(a, b));
		case ST_OP_SUB: return tighten(iadd(a, ineg(b)));
		case ST_OP_MUL: return tighten(imul(a, b));
		case ST_OP_DIV: return idiv(a, b);
		default: return UNBOUNDED;  /* date - date: days */
		}
	}
	case ST_AST_CALL:
		switch (n->op) {
		case ST_FN_SUM: case ST_FN_MIN: case ST_FN_MAX: case ST_FN_MEAN:
			return tighten(fold(env, n, n->op));
		case ST_FN_COUNT: {
			st_ival r = { 0, (double)nvalues(n), 1 };
			return r;
		}
		case ST_FN_ROUND: {
			st_ival x = st_ival_of(env, n->args[0]);
			double digits = 0;
			if (n->nargs == 2) {
				if (n->args[1]->kind != ST_AST_NUM)
					return UNBOUNDED;
				digits = n->args[1]->num;
			}
			st_ival r = { round_to(x.lo, digits), round_to(x.hi, digits),
			              digits <= 0 };
			return r;
		}
		case ST_FN_ABS: {
			st_ival x = st_ival_of(env, n->args[0]);
			if (x.lo >= 0)
				return x;
			if (x.hi <= 0)
				return ineg(x);
			st_ival r = { 0, -x.lo > x.hi ? -x.lo : x.hi, x.whole };
			return r;
		}
		case ST_FN_IF: {
			st_truth c = st_ival_truth(env, n->args[0]);
			st_ival a = st_ival_of(env, n->args[1]);
			st_ival b = st_ival_of(env, n->args[2]);
			if (c.can_true && !c.can_false)
				return a;
			if (!c.can_true && c.can_false)
				return b;
			return iunion(a, b);
		}
		case ST_FN_DAYS_SINCE: {
			st_ival r = { 0, INFINITY, 1 };
			return r;
		}
		default:
			return UNBOUNDED;
		}
	default:
		return UNBOUNDED;
	}
}

static st_truth both(void)
{
	st_truth t = { 1, 1 };
	return t;
}

static st_truth compare(int op, st_ival a, st_ival b)
{
	st_truth t = { 0, 0 };
	st_ival d = tighten(iadd(a, ineg(b)));
	switch (op) {
	case ST_OP_GT: t.can_true = d.hi > 0; t.can_false = d.lo <= 0; break;
	case ST_OP_GE: t.can_true = d.hi >= 0; t.can_false = d.lo < 0; break;
	case ST_OP_LT: t.can_true = d.lo < 0; t.can_false = d.hi >= 0; break;
	case ST_OP_LE: t.can_true = d.lo <= 0; t.can_false = d.hi > 0; break;
	case ST_OP_EQ:
	case ST_OP_NE:
		t.can_true = d.lo <= 0 && d.hi >= 0;
		/* A whole number never equals a fraction. */
		if ((a.whole && b.lo == b.hi && !is_whole(b.lo)) ||
		    (b.whole && a.lo == a.hi && !is_whole(a.lo)))
			t.can_true = 0;
		t.can_false = !(d.lo == 0 && d.hi == 0);
		if (op == ST_OP_NE) {
			int x = t.can_true;
			t.can_true = t.can_false;
			t.can_false = x;
		}
		break;
	default:
		return both();
	}
	return t;
}

st_truth st_ival_truth(st_ival_env *env, const st_ast *n)
{
	st_truth t = { 1, 1 };
	if (!n || n->type != ST_TYPE_BOOL)
		return t;
	switch (n->kind) {
	case ST_AST_BOOL:
		t.can_true = n->num != 0;
		t.can_false = n->num == 0;
		return t;
	case ST_AST_NOT: {
		st_truth x = st_ival_truth(env, n->args[0]);
		t.can_true = x.can_false;
		t.can_false = x.can_true;
		return t;
	}
	case ST_AST_BIN: {
		const st_ast *l = n->args[0], *r = n->args[1];
		if (n->op == ST_OP_AND || n->op == ST_OP_OR) {
			st_truth a = st_ival_truth(env, l);
			st_truth b = st_ival_truth(env, r);
			if (n->op == ST_OP_AND) {
				t.can_true = a.can_true && b.can_true;
				t.can_false = a.can_false || b.can_false;
			} else {
				t.can_true = a.can_true || b.can_true;
				t.can_false = a.can_false && b.can_false;
			}
			return t;
		}
		if (l->type == ST_TYPE_NUMBER && r->type == ST_TYPE_NUMBER)
			return compare(n->op, st_ival_of(env, l), st_ival_of(env, r));
		return t;
	}
	case ST_AST_CALL:
		if (n->op == ST_FN_IF) {
			st_truth c = st_ival_truth(env, n->args[0]);
			st_truth a = st_ival_truth(env, n->args[1]);
			st_truth b = st_ival_truth(env, n->args[2]);
			t.can_true = (c.can_true && a.can_true) ||
			             (c.can_false && b.can_true);
			t.can_false = (c.can_true && a.can_false) ||
			              (c.can_false && b.can_false);
			return t;
		}
		return t;
	default:
		return t;
	}
}
