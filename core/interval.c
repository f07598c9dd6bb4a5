/*
 * interval.c — interval analysis of expressions (interval.h): the range
 * of every score, whether it can only be whole, and whether conditions can
 * be true or false.
 *
 * Interval arithmetic with infinite ends needs care where IEEE gives NaN
 * (inf - inf, 0 * inf); the helpers below give the sound answer instead.
 * An empty interval (lo > hi) is a value that is always missing (days
 * since a module that can never be completed); arithmetic on it is empty
 * too, and every comparison with it is false.  Scores and computed fields
 * that refer to each other are memoised, and a cycle (already reported by
 * the checker) is cut with an unbounded interval, so that every call is
 * linear in the size of the expressions.
 *
 * Conditions are analysed in one pass that gives both "can be true" and
 * "can be false".  Where a node heads a conjunction — `and` asked to be
 * true, `or` asked to be false, through any `not` — the conditions it is
 * made of (its literals) must hold together: a literal that appears with
 * both truth values, or comparisons that leave no value for one
 * expression (q1 > 2 and q1 < 1), make the conjunction impossible.  Only
 * the head of each conjunction collects it, so the pass stays linear.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "interval.h"
#include "vocab.h"

static const st_ival UNBOUNDED = { -INFINITY, INFINITY, 0, 0 };
static const st_ival EMPTY = { INFINITY, -INFINITY, 1, 1 };

static int is_empty(st_ival x)
{
	return x.lo > x.hi;
}

static int is_whole(double v)
{
	return isfinite(v) && v == floor(v);
}

static st_ival exact(double v)
{
	st_ival r = { v, v, is_whole(v), 0 };
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
	if (is_empty(a) || is_empty(b))
		return EMPTY;
	st_ival r = { add_lo(a.lo, b.lo), add_hi(a.hi, b.hi),
	              a.whole && b.whole, a.missing || b.missing };
	return r;
}

static st_ival ineg(st_ival a)
{
	if (is_empty(a))
		return EMPTY;
	st_ival r = { -a.hi, -a.lo, a.whole, a.missing };
	return r;
}

static st_ival imul(st_ival a, st_ival b)
{
	if (is_empty(a) || is_empty(b))
		return EMPTY;
	double p[4] = { mul1(a.lo, b.lo), mul1(a.lo, b.hi), mul1(a.hi, b.lo),
	                mul1(a.hi, b.hi) };
	st_ival r = { p[0], p[0], a.whole && b.whole, a.missing || b.missing };
	for (int i = 1; i < 4; i++) {
		if (p[i] < r.lo) r.lo = p[i];
		if (p[i] > r.hi) r.hi = p[i];
	}
	return r;
}

/* x * x: never negative. */
static st_ival isquare(st_ival a)
{
	st_ival r = imul(a, a);
	if (!is_empty(r) && a.lo <= 0 && a.hi >= 0)
		r.lo = 0;
	else if (!is_empty(r) && r.lo < 0)
		r.lo = 0;
	return r;
}

/* Division by zero is missing (docs/expressions.md). */
static st_ival idiv(st_ival a, st_ival b)
{
	if (is_empty(a) || is_empty(b))
		return EMPTY;
	if (b.lo == 0 && b.hi == 0)
		return EMPTY;
	if (b.lo <= 0 && b.hi >= 0) {
		st_ival r = UNBOUNDED;
		if (a.lo == 0 && a.hi == 0)
			r = exact(0);
		r.missing = 1;
		return r;
	}
	st_ival inv = { 1 / b.hi, 1 / b.lo, 0, 0 };   /* b does not hold 0 */
	st_ival r = imul(a, inv);
	r.whole = 0;
	r.missing = a.missing || b.missing;
	return r;
}

static st_ival iunion(st_ival a, st_ival b)
{
	if (is_empty(a))
		return b;
	if (is_empty(b))
		return a;
	st_ival r = { a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi,
	              a.whole && b.whole, a.missing || b.missing };
	return r;
}

static void opts_range(const st_option *o, size_t n, st_ival *r)
{
	r->lo = INFINITY;
	r->hi = -INFINITY;
	r->whole = 1;
	for (size_t i = 0; i < n; i++) {
		double w = st_option_score(&o[i]);
		if (w < r->lo) r->lo = w;
		if (w > r->hi) r->hi = w;
		if (!is_whole(w)) r->whole = 0;
	}
	if (!n)
		*r = UNBOUNDED;
}

st_ival st_ival_item(const st_form *f, const st_item *it)
{
	st_ival r = UNBOUNDED;
	if (it->type == ST_Q_CHOICE) {
		size_t n;
		const st_option *o = st_item_options(f, it, &n);
		if (n)
			opts_range(o, n, &r);
	} else if (st_qtype_flags(it->type) & ST_QF_RANGE) {
		if (it->has_min) r.lo = it->min;
		if (it->has_max) r.hi = it->max;
		r.whole = it->type == ST_Q_SCALE && (!it->has_min ||
		                                  is_whole(it->min));
	}
	/* Reverse scoring maps [lo, hi] onto itself: lo + hi - answer. */
	if (it->reverse && isfinite(r.lo) && isfinite(r.hi))
		r.whole = r.whole && is_whole(r.lo + r.hi);
	return tighten(r);
}

st_ival st_ival_field(const st_field *fl)
{
	st_qtype t = fl->type;
	st_ival r = UNBOUNDED;
	if (t == ST_Q_CHOICE) {
		opts_range(fl->options, fl->noptions, &r);
	} else if (t == ST_Q_MULTI) {
		/* The sum of any subset of the options' values (a field's
		 * option has no score). */
		r.lo = r.hi = 0;
		r.whole = 1;
		for (size_t i = 0; i < fl->noptions; i++) {
			double v = fl->options[i].value;
			if (v < 0) r.lo += v; else r.hi += v;
			if (!is_whole(v)) r.whole = 0;
		}
	} else if (t == ST_Q_TIME) {
		r.lo = 0;
		r.hi = 1439;
		r.whole = 1;
	} else if (st_qtype_flags(t) & ST_QF_RANGE) {
		if (fl->has_min) r.lo = fl->min;
		else if (t == ST_Q_DURATION) r.lo = 0;
		if (fl->has_max) r.hi = fl->max;
		double step = fl->has_step ? fl->step
		              : t == ST_Q_SCALE ? 1 : 0;
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

void st_ival_env_init_program(st_ival_env *env, st_arena *a,
                              const st_program *p,
                              const unsigned char *reach)
{
	st_ival_env_init(env, a, NULL, NULL);
	env->prog = p;
	env->reach = reach;
	env->forms = st_alloc(a, (p->nforms + 1) * sizeof *env->forms);
	for (size_t i = 0; i < p->nforms; i++)
		st_ival_env_init(&env->forms[i], a, &p->forms[i], NULL);
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
	case ST_NAME_ITEM: {
		if (!env->form || i >= env->form->nitems)
			return UNBOUNDED;
		/* A hidden item is unanswered whatever the patient does. */
		st_ival r = env->item ? env->item(env->ctx, i)
		            : st_ival_item(env->form, &env->form->items[i]);
		r.missing = env->form->items[i].show_if != NULL;
		return r;
	}
	case ST_NAME_FIELD: {
		if (!env->ex || i >= env->ex->nfields)
			return UNBOUNDED;
		st_ival r = st_ival_field(&env->ex->fields[i]);
		r.missing = env->ex->fields[i].show_if != NULL;
		return r;
	}
	case ST_NAME_SCORE:
		if (!env->form || i >= env->form->nscores)
			return UNBOUNDED;
		return st_ival_named(env, i);
	case ST_NAME_COMPUTED:
		if (!env->ex || i >= env->ex->ncomputed)
			return UNBOUNDED;
		return st_ival_named(env, i);
	default:
		return UNBOUNDED;
	}
}

/* Another form's score, at the program level: that score's interval, and
 * missing until the form is filled in. */
static st_ival form_score_ival(st_ival_env *env, const st_ast *n)
{
	const st_program *p = env->prog;
	const st_form *f = n->target;
	if (!p || !env->forms || !f || f < p->forms || f >= p->forms + p->nforms)
		return UNBOUNDED;
	st_ival_env *fe = &env->forms[f - p->forms];
	if (n->index >= f->nscores)
		return UNBOUNDED;
	st_ival r = st_ival_named(fe, n->index);
	r.missing = 1;
	return r;
}

/* Can module i be completed at all? */
static int reachable(const st_ival_env *env, const st_ast *m)
{
	if (m->ref != ST_NAME_MODULE)
		return 1;
	if (!env->reach || !env->prog || m->index >= env->prog->nmodules)
		return 1;
	return env->reach[m->index] != 0;
}

/* days_since(m): whole days, never negative; missing until m is
 * completed, and always when m can never be.  days_since(start) is
 * never missing: the treatment has started when anything is asked. */
static st_ival days_ival(st_ival_env *env, const st_ast *n)
{
	st_ival r = { 0, INFINITY, 1, 1 };
	if (n->nargs != 1)
		return r;
	if (n->args[0]->ref == ST_NAME_START) {
		r.missing = 0;
		return r;
	}
	if (!reachable(env, n->args[0]))
		return EMPTY;
	return r;
}

/* An argument of an aggregate is one value, or a range q1..q9 whose
 * values are the items from index to index_end: arg_span gives the
 * indexes to walk (0..0 for one value), arg_ival the k-th value. */
static void arg_span(const st_ast *x, size_t *from, size_t *to)
{
	*from = *to = 0;
	if (x->kind == ST_AST_RANGE) {
		*from = x->index;
		*to = x->index_end;
	}
}

static st_ival arg_ival(st_ival_env *env, const st_ast *x, size_t k)
{
	return x->kind == ST_AST_RANGE ? name_ival(env, x->ref, k)
	                               : st_ival_of(env, x);
}

/* Fold the arguments of sum, min or max (ranges expanded). */
static st_ival fold(st_ival_env *env, const st_ast *n, int fn)
{
	st_ival acc = { 0, 0, 1, 0 };
	int first = 1;
	for (size_t i = 0; i < n->nargs; i++) {
		const st_ast *x = n->args[i];
		size_t from, to;
		arg_span(x, &from, &to);
		for (size_t k = from; k <= to; k++) {
			st_ival v = arg_ival(env, x, k);
			if (is_empty(v))
				return EMPTY;
			if (first) {
				acc = v;
				first = 0;
			} else if (fn == ST_FN_SUM) {
				acc = iadd(acc, v);
			} else if (fn == ST_FN_MIN) {
				acc.lo = v.lo < acc.lo ? v.lo : acc.lo;
				acc.hi = v.hi < acc.hi ? v.hi : acc.hi;
				acc.whole = acc.whole && v.whole;
				acc.missing = acc.missing || v.missing;
			} else if (fn == ST_FN_MAX) {
				acc.lo = v.lo > acc.lo ? v.lo : acc.lo;
				acc.hi = v.hi > acc.hi ? v.hi : acc.hi;
				acc.whole = acc.whole && v.whole;
				acc.missing = acc.missing || v.missing;
			}
		}
	}
	return acc;
}

/* The mean skips missing values: an always-missing argument adds
 * nothing, and the mean is missing only when every argument may be. */
static st_ival fold_mean(st_ival_env *env, const st_ast *n)
{
	st_ival acc = EMPTY;
	int all_missing = 1;
	for (size_t i = 0; i < n->nargs; i++) {
		const st_ast *x = n->args[i];
		size_t from, to;
		arg_span(x, &from, &to);
		for (size_t k = from; k <= to; k++) {
			st_ival v = arg_ival(env, x, k);
			if (!v.missing)
				all_missing = 0;
			acc = iunion(acc, v);
		}
	}
	if (is_empty(acc))
		return EMPTY;
	acc.whole = 0;
	acc.missing = all_missing;
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

int st_ast_same(const st_ast *a, const st_ast *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->kind != b->kind || a->op != b->op ||
	    a->nargs != b->nargs || a->type != b->type)
		return 0;
	switch (a->kind) {
	case ST_AST_NUM:
	case ST_AST_BOOL:
		if (a->num != b->num)
			return 0;
		break;
	case ST_AST_STR:
		if (a->ref != b->ref || a->index != b->index ||
		    strcmp(a->name ? a->name : "", b->name ? b->name : ""))
			return 0;
		break;
	case ST_AST_NAME:
	case ST_AST_RANGE:
		if (!a->ref || a->ref != b->ref || a->index != b->index ||
		    a->target != b->target ||
		    (a->kind == ST_AST_RANGE && a->index_end != b->index_end))
			return 0;
		break;
	default:
		break;
	}
	for (size_t i = 0; i < a->nargs; i++)
		if (!st_ast_same(a->args[i], b->args[i]))
			return 0;
	return 1;
}

static st_ival of(st_ival_env *env, const st_ast *n)
{
	switch (n->kind) {
	case ST_AST_NUM:
		return exact(n->num);
	case ST_AST_NAME:
		if (n->ref == ST_NAME_FORM_SCORE)
			return form_score_ival(env, n);
		return name_ival(env, n->ref, n->index);
	case ST_AST_NEG:
		return ineg(st_ival_of(env, n->args[0]));
	case ST_AST_BIN: {
		const st_ast *l = n->args[0], *r = n->args[1];
		if (l->type != ST_TYPE_NUMBER || r->type != ST_TYPE_NUMBER)
			return UNBOUNDED;   /* date - date: days */
		st_ival a = st_ival_of(env, l);
		/* Two uses of one expression are one value. */
		int same = st_ast_same(l, r);
		st_ival b = same ? a : st_ival_of(env, r);
		switch (n->op) {
		case ST_OP_ADD: return tighten(iadd(a, b));
		case ST_OP_SUB:
			if (same && !is_empty(a)) {
				st_ival z = exact(0);
				z.missing = a.missing;
				return z;
			}
			return tighten(iadd(a, ineg(b)));
		case ST_OP_MUL:
			return tighten(same ? isquare(a) : imul(a, b));
		case ST_OP_DIV:
			if (same && !is_empty(a)) {
				if (a.lo == 0 && a.hi == 0)
					return EMPTY;
				st_ival one = exact(1);
				one.missing = a.missing || (a.lo <= 0 && a.hi >= 0);
				return one;
			}
			return idiv(a, b);
		default: return UNBOUNDED;
		}
	}
	case ST_AST_CALL:
		switch (n->op) {
		case ST_FN_SUM: case ST_FN_MIN: case ST_FN_MAX:
			return tighten(fold(env, n, n->op));
		case ST_FN_MEAN:
			return fold_mean(env, n);
		case ST_FN_COUNT: {
			st_ival r = { 0, (double)nvalues(n), 1, 0 };
			return r;
		}
		case ST_FN_ROUND: {
			st_ival x = st_ival_of(env, n->args[0]);
			double digits = 0;
			if (is_empty(x))
				return EMPTY;
			if (n->nargs == 2) {
				if (n->args[1]->kind != ST_AST_NUM)
					return UNBOUNDED;
				digits = n->args[1]->num;
			}
			st_ival r = { round_to(x.lo, digits), round_to(x.hi, digits),
			              digits <= 0, x.missing };
			return r;
		}
		case ST_FN_ABS: {
			st_ival x = st_ival_of(env, n->args[0]);
			if (is_empty(x) || x.lo >= 0)
				return x;
			if (x.hi <= 0)
				return ineg(x);
			st_ival r = { 0, -x.lo > x.hi ? -x.lo : x.hi, x.whole,
			              x.missing };
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
		case ST_FN_DAYS_SINCE:
			return days_ival(env, n);
		default:
			return UNBOUNDED;
		}
	default:
		return UNBOUNDED;
	}
}

st_ival st_ival_of(st_ival_env *env, const st_ast *n)
{
	if (!n || n->type != ST_TYPE_NUMBER)
		return UNBOUNDED;
	return of(env, n);
}

/* ---- conditions ------------------------------------------------------ */
static st_truth both(void)
{
	st_truth t = { 1, 1 };
	return t;
}

/* Negate a comparison: a false comparison on present values is the
 * opposite comparison. */
static int negate_op(int op)
{
	switch (op) {
	case ST_OP_EQ: return ST_OP_NE;
	case ST_OP_NE: return ST_OP_EQ;
	case ST_OP_LT: return ST_OP_GE;
	case ST_OP_LE: return ST_OP_GT;
	case ST_OP_GT: return ST_OP_LE;
	case ST_OP_GE: return ST_OP_LT;
	default: return op;
	}
}

static st_truth compare(int op, st_ival a, st_ival b)
{
	st_truth t = { 0, 0 };
	if (is_empty(a) || is_empty(b)) {
		t.can_false = 1;    /* a comparison with a missing value */
		return t;
	}
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
	if (a.missing || b.missing)
		t.can_false = 1;
	return t;
}

/*
 * The literals of one conjunction.  A literal is a condition that is not
 * and, or, not, with the truth value the conjunction needs of it; a
 * comparison between numbers also bounds each of its two sides.  At most
 * MAXLIT literals are kept: dropping some only makes the analysis say
 * "possible" more often.
 */
#define MAXLIT 256

typedef struct lit {
	const st_ast *n;     /* the literal */
	int value;           /* the truth value it must have */
} lit;

typedef struct bound {
	const st_ast *x;     /* the expression bounded */
	double lo, hi;
	int lo_open, hi_open;
	int whole;
} bound;

/* Does the number expression n hold a condition (inside if())?  Such
 * sides are left out of the bounds: analysing them again for every
 * conjunction around them would cost time exponential in their nesting. */
static int holds_condition(const st_ast *n)
{
	if (n->kind == ST_AST_CALL && n->op == ST_FN_IF)
		return 1;
	for (size_t i = 0; i < n->nargs; i++)
		if (holds_condition(n->args[i]))
			return 1;
	return 0;
}

static int is_cmp(const st_ast *n)
{
	return n->kind == ST_AST_BIN && n->op >= ST_OP_EQ && n->op <= ST_OP_GE;
}

static void collect(const st_ast *n, int value, lit *v, size_t *nv)
{
	if (n->type != ST_TYPE_BOOL)
		return;
	if (n->kind == ST_AST_NOT) {
		collect(n->args[0], !value, v, nv);
		return;
	}
	if (n->kind == ST_AST_BIN &&
	    ((n->op == ST_OP_AND && value) || (n->op == ST_OP_OR && !value))) {
		collect(n->args[0], value, v, nv);
		collect(n->args[1], value, v, nv);
		return;
	}
	if (n->kind == ST_AST_BIN && (n->op == ST_OP_AND || n->op == ST_OP_OR))
		return;     /* a disjunction inside: no single literal */
	if (*nv < MAXLIT) {
		v[*nv].n = n;
		v[*nv].value = value;
		(*nv)++;
	}
}

/* Narrow the bound of x by "x op [blo, bhi]". */
static void narrow(bound *b, int op, st_ival other)
{
	double lo = other.lo, hi = other.hi;
	switch (op) {
	case ST_OP_GT:
		if (lo > b->lo || (lo == b->lo && !b->lo_open)) {
			b->lo = lo;
			b->lo_open = 1;
		}
		break;
	case ST_OP_GE:
		if (lo > b->lo) {
			b->lo = lo;
			b->lo_open = 0;
		}
		break;
	case ST_OP_LT:
		if (hi < b->hi || (hi == b->hi && !b->hi_open)) {
			b->hi = hi;
			b->hi_open = 1;
		}
		break;
	case ST_OP_LE:
		if (hi < b->hi) {
			b->hi = hi;
			b->hi_open = 0;
		}
		break;
	case ST_OP_EQ:
		narrow(b, ST_OP_GE, other);
		narrow(b, ST_OP_LE, other);
		break;
	default:
		break;    /* != says little about an interval */
	}
}

static int bound_empty(const bound *b)
{
	double lo = b->lo, hi = b->hi;
	if (b->whole) {
		lo = b->lo_open ? floor(lo) + 1 : ceil(lo);
		hi = b->hi_open ? ceil(hi) - 1 : floor(hi);
		return lo > hi;
	}
	return lo > hi || (lo == hi && (b->lo_open || b->hi_open));
}

static void add_bound(st_ival_env *env, bound *bs, size_t *nb,
                      const st_ast *x, int op, st_ival other)
{
	if (x->kind == ST_AST_NUM || x->type != ST_TYPE_NUMBER ||
	    is_empty(other))
		return;
	size_t k = 0;
	while (k < *nb && !st_ast_same(bs[k].x, x))
		k++;
	if (k == *nb) {
		st_ival own = st_ival_of(env, x);
		if (*nb >= MAXLIT || is_empty(own))
			return;
		bs[k].x = x;
		bs[k].lo = own.lo;
		bs[k].hi = own.hi;
		bs[k].lo_open = bs[k].hi_open = 0;
		bs[k].whole = own.whole;
		(*nb)++;
	}
	narrow(&bs[k], op, other);
}

/* Can the literals of the conjunction headed by n (which must have the
 * truth value `value`) all hold at once?  0 when they certainly cannot. */
static int conj_possible(st_ival_env *env, const st_ast *n, int value)
{
	lit *v = malloc(MAXLIT * sizeof *v);
	bound *bs = malloc(2 * MAXLIT * sizeof *bs);
	size_t nv = 0, nb = 0;
	int ok = 1;
	if (!v || !bs)
		goto done;
	collect(n, value, v, &nv);
	for (size_t i = 0; i < nv && ok; i++)
		for (size_t j = 0; j < i && ok; j++)
			if (v[i].value != v[j].value && st_ast_same(v[i].n, v[j].n))
				ok = 0;
	for (size_t i = 0; i < nv && ok; i++) {
		const st_ast *c = v[i].n;
		if (!is_cmp(c) || c->args[0]->type != ST_TYPE_NUMBER ||
		    c->args[1]->type != ST_TYPE_NUMBER ||
		    holds_condition(c->args[0]) || holds_condition(c->args[1]))
			continue;
		st_ival a = st_ival_of(env, c->args[0]);
		st_ival b = st_ival_of(env, c->args[1]);
		int op = c->op;
		if (!v[i].value) {
			/* false: the opposite holds only when both are there */
			if (a.missing || b.missing)
				continue;
			op = negate_op(op);
		}
		add_bound(env, bs, &nb, c->args[0], op, b);
		add_bound(env, bs, &nb, c->args[1], st_op_flip(op), a);
	}
	for (size_t k = 0; k < nb && ok; k++)
		if (bound_empty(&bs[k]))
			ok = 0;
done:
	free(v);
	free(bs);
	return ok;
}

/* cov_true: an enclosing conjunction already collected this node as
 * needing to be true (so do not collect again); cov_false likewise. */
static st_truth truth(st_ival_env *env, const st_ast *n, int cov_true,
                      int cov_false)
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
		st_truth x = truth(env, n->args[0], cov_false, cov_true);
		t.can_true = x.can_false;
		t.can_false = x.can_true;
		return t;
	}
	case ST_AST_BIN: {
		const st_ast *l = n->args[0], *r = n->args[1];
		if (n->op == ST_OP_AND || n->op == ST_OP_OR) {
			int and = n->op == ST_OP_AND;
			st_truth a = truth(env, l, and, !and);
			st_truth b = truth(env, r, and, !and);
			if (and) {
				t.can_true = a.can_true && b.can_true;
				t.can_false = a.can_false || b.can_false;
				if (t.can_true && !cov_true)
					t.can_true = conj_possible(env, n, 1);
			} else {
				t.can_true = a.can_true || b.can_true;
				t.can_false = a.can_false && b.can_false;
				if (t.can_false && !cov_false)
					t.can_false = conj_possible(env, n, 0);
			}
			return t;
		}
		if (l->type == ST_TYPE_NUMBER && r->type == ST_TYPE_NUMBER) {
			st_ival a = st_ival_of(env, l);
			if (st_ast_same(l, r) && !is_empty(a)) {
				/* x op x: true for ==, <=, >= and false for the
				 * rest, whatever x is (unless it is missing) */
				int eq = n->op == ST_OP_EQ || n->op == ST_OP_LE ||
				         n->op == ST_OP_GE;
				t.can_true = eq;
				t.can_false = !eq || a.missing;
				return t;
			}
			return compare(n->op, a, st_ival_of(env, r));
		}
		return t;
	}
	case ST_AST_CALL:
		switch (n->op) {
		case ST_FN_IF: {
			st_truth c = truth(env, n->args[0], 0, 0);
			st_truth a = truth(env, n->args[1], 0, 0);
			st_truth b = truth(env, n->args[2], 0, 0);
			t.can_true = (c.can_true && a.can_true) ||
			             (c.can_false && b.can_true);
			t.can_false = (c.can_true && a.can_false) ||
			              (c.can_false && b.can_false);
			return t;
		}
		case ST_FN_COMPLETED:
		case ST_FN_REVIEWED:
			/* false at the start; true only for a module that can
			 * be completed, and reviewed only when someone reviews */
			if (n->nargs == 1 && !reachable(env, n->args[0]))
				t.can_true = 0;
			if (n->op == ST_FN_REVIEWED && env->no_review)
				t.can_true = 0;
			return t;
		default:
			return t;
		}
	default:
		return t;
	}
}

st_truth st_ival_truth(st_ival_env *env, const st_ast *n)
{
	return truth(env, n, 0, 0);
}

const st_ast *st_ival_never_part(st_ival_env *env, const st_ast *n)
{
	/* Walk down the conjunction while one side alone is never true;
	 * iterative, so a long chain of `and` costs no stack. */
	while (n && n->type == ST_TYPE_BOOL) {
		if (n->kind == ST_AST_BIN && n->op == ST_OP_AND) {
			if (!st_ival_truth(env, n->args[0]).can_true)
				n = n->args[0];
			else if (!st_ival_truth(env, n->args[1]).can_true)
				n = n->args[1];
			else
				return n;
		} else {
			return n;
		}
	}
	return n;
}
