/*
 * expr_eval.c — the one evaluator of the expression language, used by
 * `steg score`, by the runtime's pages and by the compiler's tests, so
 * that a score is computed the same way everywhere.
 *
 * It runs on checked trees only (types known, names resolved), and gets
 * the values of names from the caller through st_eval_env, so that it
 * knows nothing of where answers are stored.  Missing values follow
 * docs/expressions.md: arithmetic on a missing value is missing (sum,
 * min and max included: a total with an unanswered item is no total),
 * mean and count skip missing values, and a condition on a missing value
 * is false — conditions are two-valued, so `not` of such a condition is
 * true.  Division by zero is missing too: no number is right.
 *
 * A value may be *assumed*: core/score.c evaluates a form once for every
 * answer an unanswered item could have had, and the value it supposes is
 * marked so.  It counts as the number it holds everywhere except in count,
 * answered and mean, which speak of what the patient answered and so see
 * it (and whatever is computed from it) as unanswered.  Every operation
 * passes the mark on from the operands its result depends on.
 */
#include <math.h>
#include <string.h>
#include "expr.h"


static st_value boolean(int b)
{
	st_value v = { ST_TYPE_BOOL, 0, b ? 1 : 0, NULL, 0 };
	return v;
}

static st_value marked(st_value v, int assumed)
{
	if (!v.missing)
		v.assumed = v.assumed || assumed;
	return v;
}

/* What the patient answered: neither missing nor supposed. */
static int given(st_value v)
{
	return !v.missing && !v.assumed;
}

int st_value_true(st_value v)
{
	return v.type == ST_TYPE_BOOL && !v.missing && v.num != 0;
}

static st_value name_value(const st_eval_env *env, int ref, size_t i,
                           const void *target, int type)
{
	if (!env || !env->name)
		return st_value_missing(type);
	st_value v = env->name(env->ctx, ref, i, target);
	return v;
}

/* Call fn for each value of the arguments, ranges expanded; stops when fn
 * returns nonzero. */
typedef int (*visit_fn)(void *acc, st_value v);

static void each_arg(const st_ast *n, const st_eval_env *env, visit_fn fn,
                     void *acc)
{
	for (size_t i = 0; i < n->nargs; i++) {
		const st_ast *x = n->args[i];
		if (x->kind == ST_AST_RANGE) {
			for (size_t k = x->index; k <= x->index_end; k++)
				if (fn(acc, name_value(env, x->ref, k, NULL,
				                       ST_TYPE_NUMBER)))
					return;
		} else if (fn(acc, st_expr_eval(x, env))) {
			return;
		}
	}
}

typedef struct agg {
	int fn;
	double total;
	size_t n;          /* values seen (not missing) */
	int any_missing;
	int assumed;       /* sum, min, max: a value seen was assumed */
} agg;

static int visit(void *p, st_value v)
{
	agg *g = p;
	if (g->fn == ST_FN_COUNT) {
		if (given(v) && (v.type != ST_TYPE_BOOL || st_value_true(v)))
			g->n++;
		return 0;
	}
	if (g->fn == ST_FN_ANSWERED) {
		if (!given(v)) {
			g->any_missing = 1;
			return 1;
		}
		return 0;
	}
	if (g->fn == ST_FN_MEAN && v.assumed)
		v.missing = 1;
	g->assumed = g->assumed || v.assumed;
	if (v.missing) {
		g->any_missing = 1;
		/* mean skips missing values; sum, min and max are missing */
		return g->fn != ST_FN_MEAN;
	}
	if (!g->n)
		g->total = v.num;
	else if (g->fn == ST_FN_MIN)
		g->total = v.num < g->total ? v.num : g->total;
	else if (g->fn == ST_FN_MAX)
		g->total = v.num > g->total ? v.num : g->total;
	else
		g->total += v.num;
	g->n++;
	return 0;
}

static st_value call(const st_ast *n, const st_eval_env *env)
{
	switch (n->op) {
	case ST_FN_SUM:
	case ST_FN_MEAN:
	case ST_FN_MIN:
	case ST_FN_MAX:
	case ST_FN_COUNT:
	case ST_FN_ANSWERED: {
		agg g = { n->op, 0, 0, 0, 0 };
		each_arg(n, env, visit, &g);
		if (n->op == ST_FN_COUNT)
			return st_value_number((double)g.n);
		if (n->op == ST_FN_ANSWERED)
			return boolean(!g.any_missing);
		if (n->op == ST_FN_MEAN)
			return g.n ? st_value_number(g.total / (double)g.n)
			           : st_value_missing(ST_TYPE_NUMBER);
		if (g.any_missing || !g.n)
			return st_value_missing(ST_TYPE_NUMBER);
		return marked(st_value_number(g.total), g.assumed);
	}
	case ST_FN_IF: {
		st_value c = st_expr_eval(n->args[0], env);
		return marked(st_expr_eval(n->args[st_value_true(c) ? 1 : 2], env),
		              c.assumed);
	}
	case ST_FN_ROUND: {
		st_value x = st_expr_eval(n->args[0], env);
		double digits = 0;
		if (n->nargs == 2) {
			st_value dv = st_expr_eval(n->args[1], env);
			if (dv.missing)
				return st_value_missing(ST_TYPE_NUMBER);
			x = marked(x, dv.assumed);
			digits = round(dv.num);
			if (digits > 15) digits = 15;
			if (digits < -15) digits = -15;
		}
		if (x.missing)
			return x;
		double m = pow(10, digits);
		double r = round(x.num * m) / m;
		return isfinite(r) ? marked(st_value_number(r), x.assumed) : x;
	}
	case ST_FN_ABS: {
		st_value x = st_expr_eval(n->args[0], env);
		if (!x.missing)
			x.num = fabs(x.num);
		return x;
	}
	case ST_FN_COMPLETED:
	case ST_FN_REVIEWED:
	case ST_FN_DAYS_SINCE: {
		const st_ast *m = n->args[0];
		int type = n->op == ST_FN_DAYS_SINCE ? ST_TYPE_NUMBER
		                                     : ST_TYPE_BOOL;
		if ((m->ref != ST_NAME_MODULE && m->ref != ST_NAME_START) ||
		    !env || !env->module)
			return type == ST_TYPE_BOOL ? boolean(0) : st_value_missing(type);
		return env->module(env->ctx, n->op, m->ref == ST_NAME_START
		                                    ? ST_MODULE_START : m->index);
	}
	default:
		return st_value_missing(n->type);
	}
}

static st_value arith(int op, st_value a, st_value b, int type)
{
	if (a.missing || b.missing)
		return st_value_missing(type);
	double r;
	switch (op) {
	case ST_OP_ADD: r = a.num + b.num; break;
	case ST_OP_SUB: r = a.num - b.num; break;
	case ST_OP_MUL: r = a.num * b.num; break;
	default:
		if (b.num == 0)
			return st_value_missing(type);
		r = a.num / b.num;
		break;
	}
	if (!isfinite(r))
		return st_value_missing(type);
	st_value v = { type, 0, r, NULL, a.assumed || b.assumed };
	return v;
}

static st_value compare_values(int op, st_value a, st_value b)
{
	int c;
	if (a.type == ST_TYPE_TEXT)
		c = strcmp(a.str ? a.str : "", b.str ? b.str : "");
	else
		c = a.num < b.num ? -1 : a.num > b.num;
	switch (op) {
	case ST_OP_EQ: return boolean(c == 0);
	case ST_OP_NE: return boolean(c != 0);
	case ST_OP_LT: return boolean(c < 0);
	case ST_OP_LE: return boolean(c <= 0);
	case ST_OP_GT: return boolean(c > 0);
	default: return boolean(c >= 0);
	}
}

static st_value compare(int op, st_value a, st_value b)
{
	if (a.missing || b.missing)
		return boolean(0);
	return marked(compare_values(op, a, b), a.assumed || b.assumed);
}

/* Bounded: the parser refuses trees taller than it allows. */
st_value st_expr_eval(const st_ast *n, const st_eval_env *env)
{
	st_value v = { 0, 1, 0, NULL, 0 };
	if (!n)
		return v;
	switch (n->kind) {
	case ST_AST_NUM:
		return st_value_number(n->num);
	case ST_AST_STR:
		v.type = ST_TYPE_TEXT;
		v.missing = 0;
		v.str = n->name;
		return v;
	case ST_AST_BOOL:
		return boolean(n->num != 0);
	case ST_AST_NAME:
		return name_value(env, n->ref, n->index, n->target, n->type);
	case ST_AST_NEG: {
		st_value x = st_expr_eval(n->args[0], env);
		if (!x.missing)
			x.num = -x.num;
		return x;
	}
	case ST_AST_NOT: {
		st_value x = st_expr_eval(n->args[0], env);
		return marked(boolean(!st_value_true(x)), x.assumed);
	}
	case ST_AST_BIN: {
		if (n->op == ST_OP_AND || n->op == ST_OP_OR) {
			/* and: false as soon as one side is; or: true as soon as
			 * one side is.  The result depends on the right only when
			 * the left did not decide. */
			int stop = n->op == ST_OP_OR;
			st_value l = st_expr_eval(n->args[0], env);
			if (st_value_true(l) == stop)
				return marked(boolean(stop), l.assumed);
			st_value r = st_expr_eval(n->args[1], env);
			return marked(boolean(st_value_true(r)),
			              l.assumed || r.assumed);
		}
		st_value a = st_expr_eval(n->args[0], env);
		st_value b = st_expr_eval(n->args[1], env);
		if (n->op >= ST_OP_EQ)
			return compare(n->op, a, b);
		return arith(n->op, a, b, n->type);
	}
	case ST_AST_CALL:
		return call(n, env);
	default:
		return v;
	}
}
