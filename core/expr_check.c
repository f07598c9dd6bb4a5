/*
 * expr_check.c — name resolution and type checking of expressions, and
 * cycle detection between scores and between computed fields.
 *
 * A scope says what an expression may name: the items and scores of one
 * form, or the fields and computed fields of one exercise, or — in unlock
 * rules and messages — modules (through completed, days_since, reviewed)
 * and other forms' scores as `form.score`.  Names are found through hash
 * maps built once per form, so checking is linear in the size of the
 * expressions.
 *
 * A reference to a score or computed field checks that one first
 * (st_expr_check_dep); the chain being checked is kept, so that meeting a
 * score already on it is a cycle, reported once with its whole path.
 *
 * Types: number, text, yes/no (boolean) and date.  A node whose type could
 * not be found is ST_TYPE_ERROR, which every rule accepts silently, so that
 * one mistake gives one error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "expr.h"
#include "i18n.h"
#include "vocab.h"

/* ---- types ------------------------------------------------------------ */
const char *st_type_name(int t)
{
	switch (t) {
	case ST_TYPE_NUMBER: return st_tr("a number");
	case ST_TYPE_TEXT: return st_tr("a text");
	case ST_TYPE_BOOL: return st_tr("a yes/no value");
	case ST_TYPE_DATE: return st_tr("a date");
	default: return st_tr("of unknown type");
	}
}

/* ---- the checker ------------------------------------------------------ */
typedef struct checker {
	st_arena *a;
	st_diags *d;
	const st_expr *e;
	const st_scope *s;
	int errors;
	int depth;       /* of nested st_expr_check_dep calls */
} checker;

static int check(checker *c, st_ast *n);

static void err(checker *c, const char *code, size_t off, size_t len,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void err(checker *c, const char *code, size_t off, size_t len,
                const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, st_tr_fmt(fmt), ap);
	va_end(ap);
	st_diag(c->d, ST_ERROR, code, st_expr_span(c->e, off, len ? len : 1),
	        "%s", msg);
	c->errors++;
}

static const char *name_of(const st_scope *s, int kind, size_t i)
{
	switch (kind) {
	case ST_NAME_ITEM: return s->form->items[i].id;
	case ST_NAME_SCORE: return s->form->scores[i].id;
	case ST_NAME_FIELD: return s->ex->fields[i].id;
	case ST_NAME_COMPUTED: return s->ex->computed[i].id;
	default: return "?";
	}
}

/* The type of an item's or a field's answer; ST_TYPE_ERROR when its type
 * was missing or not a word (the loader said so): nothing that uses it is
 * reported again (a 'type: skala' is one error, not one more for each
 * computed field that uses it). */
static int answer_type(st_qtype t)
{
	return t == ST_Q_NONE ? ST_TYPE_ERROR : st_qtype_value_type(t);
}

/* Type of a resolved local name, checking scores and computed fields it
 * depends on first. */
static int local_type(checker *c, int kind, size_t i, st_ast *at)
{
	const st_scope *s = c->s;
	switch (kind) {
	case ST_NAME_ITEM:
		return answer_type(s->form->items[i].type);
	case ST_NAME_FIELD:
		return answer_type(s->ex->fields[i].type);
	case ST_NAME_SCORE:
	case ST_NAME_COMPUTED: {
		st_expr *v = kind == ST_NAME_SCORE ? s->form->scores[i].value
		                                   : s->ex->computed[i].value;
		st_deps *dp = s->deps;
		if (dp && dp->state[i] == 1) {
			/* A cycle: the path from i to the top of the chain. */
			st_buf b;
			st_buf_init(&b);
			size_t k = 0;
			while (k < dp->npath && dp->path[k] != i)
				k++;
			for (; k < dp->npath; k++)
				st_buf_printf(&b, "%s -> ", name_of(s, kind, dp->path[k]));
			st_buf_adds(&b, name_of(s, kind, i));
			err(c, "expr-cycle", at->off, at->len,
			    "%s '%s' depends on itself: %s",
			    kind == ST_NAME_SCORE ? st_tr("score") : st_tr("computed field"),
			    name_of(s, kind, i), b.data);
			st_buf_release(&b);
			return ST_TYPE_ERROR;
		}
		if (dp && dp->state[i] == 0) {
			if (c->depth > ST_EXPR_MAX_DEPTH) {
				err(c, "expr-limit", at->off, at->len,
				    "'%s' is at the end of a chain of more than %d "
				    "scores or computed fields", name_of(s, kind, i),
				    ST_EXPR_MAX_DEPTH);
				return ST_TYPE_ERROR;
			}
			st_scope sub = *s;
			c->errors += st_expr_check_dep(c->a, c->d, &sub, kind, i);
		}
		if (!v || !v->ast)
			return ST_TYPE_ERROR;
		if (kind == ST_NAME_SCORE)
			return ST_TYPE_NUMBER;
		return v->type ? v->type : ST_TYPE_ERROR;
	}
	default:
		return ST_TYPE_ERROR;
	}
}


/* "form 'gad7' has no score 'totl'; did you mean 'total'?" (the one rule
 * of st_suggest_rank, over the form's scores only). */
static void no_score(checker *c, const st_form *f, const st_ast *n)
{
	const char *best = NULL;
	int rank = -1;
	for (size_t k = 0; k < f->nscores; k++)
		if (f->scores[k].id)
			best = st_suggest_pick(n->member, best, &rank, f->scores[k].id);
	if (best)
		err(c, "unknown-name", n->member_off, n->member_len,
		    "form '%s' has no score '%s'; did you mean '%s'?", n->name,
		    n->member, best);
	else
		err(c, "unknown-name", n->member_off, n->member_len,
		    "form '%s' has no score '%s'", n->name, n->member);
}
static int check_name(checker *c, st_ast *n)
{
	const st_scope *s = c->s;
	size_t v;
	if (n->member) {
		/* form.score */
		size_t fi;
		if (s->form && !strcmp(n->name, s->form->id ? s->form->id : "")) {
			if (st_strmap_get(s->names, n->member, &v) &&
			    ST_NAMEVAL_KIND(v) == ST_NAME_SCORE) {
				n->ref = ST_NAME_SCORE;
				n->index = ST_NAMEVAL_INDEX(v);
				return local_type(c, n->ref, n->index, n);
			}
		}
		if (!s->program_level) {
			err(c, "unknown-name", n->off, n->len,
			    "'%s.%s' names another form's score, which only unlock "
			    "rules and messages can use", n->name, n->member);
			return ST_TYPE_ERROR;
		}
		if (!st_strmap_get(s->forms, n->name, &fi)) {
			if (st_program_form_unread(s->prog, n->name))
				return ST_TYPE_ERROR;   /* its file's error says it */
			const char *near = st_strmap_closest(s->forms, n->name);
			if (near)
				err(c, "unknown-name", n->off, strlen(n->name),
				    "unknown form '%s'; did you mean '%s'?", n->name,
				    near);
			else
				err(c, "unknown-name", n->off, strlen(n->name),
				    "unknown form '%s'", n->name);
			return ST_TYPE_ERROR;
		}
		const st_strmap *fn = s->form_names ? s->form_names[fi] : NULL;
		if (!st_strmap_get(fn, n->member, &v) ||
		    ST_NAMEVAL_KIND(v) != ST_NAME_SCORE) {
			if (st_strmap_get(fn, n->member, &v))
				err(c, "unknown-name", n->member_off, n->member_len,
				    "'%s' is an item of form '%s', not a score; only "
				    "scores can be used outside the form", n->member,
				    n->name);
			else
				no_score(c, &s->prog->forms[fi], n);
			return ST_TYPE_ERROR;
		}
		n->ref = ST_NAME_FORM_SCORE;
		n->index = ST_NAMEVAL_INDEX(v);
		n->target = &s->prog->forms[fi];
		return ST_TYPE_NUMBER;
	}
	if (!st_strmap_get(s->names, n->name, &v)) {
		const char *near = st_strmap_closest(s->names, n->name);
		if (near)
			err(c, "unknown-name", n->off, n->len,
			    "unknown name '%s'; did you mean '%s'?", n->name, near);
		else if (s->program_level)
			err(c, "unknown-name", n->off, n->len,
			    "unknown name '%s': here a form's score is written "
			    "'form.score'", n->name);
		else
			err(c, "unknown-name", n->off, n->len,
			    "unknown name '%s'", n->name);
		return ST_TYPE_ERROR;
	}
	n->ref = ST_NAMEVAL_KIND(v);
	n->index = ST_NAMEVAL_INDEX(v);
	return local_type(c, n->ref, n->index, n);
}

/* A range a..b: both ends items (or both fields), a not after b.  Returns
 * the common type of its members, ST_TYPE_ERROR after an error, or
 * ST_TYPE_NONE when the members differ in type. */
static int check_range(checker *c, st_ast *n)
{
	const st_scope *s = c->s;
	size_t va, vb;
	int ka = 0, kb = 0;
	if (s->program_level) {
		err(c, "expr-syntax", n->off, n->len,
		    "a range like '%s..%s' names items of a form; it cannot be "
		    "used here", n->name, n->member);
		return ST_TYPE_ERROR;
	}
	if (!st_strmap_get(s->names, n->name, &va)) {
		err(c, "unknown-name", n->off, strlen(n->name),
		    "unknown name '%s' at the start of the range", n->name);
		return ST_TYPE_ERROR;
	}
	if (!st_strmap_get(s->names, n->member, &vb)) {
		err(c, "unknown-name", n->member_off, n->member_len,
		    "unknown name '%s' at the end of the range", n->member);
		return ST_TYPE_ERROR;
	}
	ka = ST_NAMEVAL_KIND(va);
	kb = ST_NAMEVAL_KIND(vb);
	if ((ka != ST_NAME_ITEM && ka != ST_NAME_FIELD) || ka != kb) {
		err(c, "expr-type", n->off, n->len,
		    "a range must run from %s to %s",
		    s->form ? st_tr("an item") : st_tr("a field"),
		    s->form ? st_tr("an item") : st_tr("a field"));
		return ST_TYPE_ERROR;
	}
	size_t ia = ST_NAMEVAL_INDEX(va), ib = ST_NAMEVAL_INDEX(vb);
	if (ia > ib) {
		err(c, "expr-syntax", n->off, n->len,
		    "range '%s..%s' runs backwards: '%s' comes after '%s' in the "
		    "%s", n->name, n->member, n->name, n->member,
		    s->form ? "form" : "exercise");
		return ST_TYPE_ERROR;
	}
	n->ref = ka;
	n->index = ia;
	n->index_end = ib;
	int t = 0;
	for (size_t i = ia; i <= ib; i++) {
		int ti = answer_type(ka == ST_NAME_ITEM ? s->form->items[i].type
		                                        : s->ex->fields[i].type);
		if (ti == ST_TYPE_ERROR)
			return ST_TYPE_ERROR;
		if (!t)
			t = ti;
		else if (t != ti)
			return ST_TYPE_NONE;
	}
	return t;
}

static void need(checker *c, const st_ast *n, int got, int want,
                 const char *ctx)
{
	if (got == want || got == ST_TYPE_ERROR || want == ST_TYPE_NONE)
		return;
	err(c, "expr-type", n->off, n->len, "%s needs %s, but this is %s", ctx,
	    st_type_name(want), st_type_name(got));
}

/* The argument of completed(), days_since() and reviewed(): a module id in
 * quotes, or days_since(start). */
static int check_module_call(checker *c, st_ast *n, const st_builtin *bi)
{
	const char *fname = bi->name;
	st_ast *x = n->args[0];
	int rt = bi->result;
	if (!c->s->program_level) {
		err(c, "expr-type", n->off, n->len,
		    "%s() is about modules and can only be used in unlock "
		    "rules and messages", fname);
		return ST_TYPE_ERROR;
	}
	/* days_since(start): days since the treatment started.  The
	 * word is unquoted, so it never clashes with a module id. */
	if (n->op == ST_FN_DAYS_SINCE && x->kind == ST_AST_NAME &&
	    !x->member && !strcmp(x->name, "start")) {
		x->ref = ST_NAME_START;
		x->type = ST_TYPE_NUMBER;
		return rt;
	}
	if (x->kind != ST_AST_STR) {
		if (n->op == ST_FN_DAYS_SINCE)
			err(c, "expr-type", x->off, x->len,
			    "days_since() takes a module id in quotes, like "
			    "days_since(\"intro\"), or start, for the days since "
			    "the treatment started");
		else
			err(c, "expr-type", x->off, x->len,
			    "%s() takes a module id in quotes, like %s(\"intro\")",
			    fname, fname);
		return ST_TYPE_ERROR;
	}
	size_t mi;
	if (!st_strmap_get(c->s->modules, x->name, &mi)) {
		const char *near = st_strmap_closest(c->s->modules, x->name);
		if (n->op == ST_FN_DAYS_SINCE && !strcmp(x->name, "start"))
			err(c, "unknown-name", x->off, x->len,
			    "unknown module 'start'; for the days since the "
			    "treatment started write days_since(start), without "
			    "quotes");
		else if (near)
			err(c, "unknown-name", x->off, x->len,
			    "unknown module '%s'; did you mean '%s'?", x->name,
			    near);
		else
			err(c, "unknown-name", x->off, x->len,
			    "unknown module '%s'", x->name);
		return rt;
	}
	x->ref = ST_NAME_MODULE;
	x->index = mi;
	x->target = &c->s->prog->modules[mi];
	x->type = ST_TYPE_TEXT;
	return rt;
}

static int check_call(checker *c, st_ast *n)
{
	const st_builtin *bi = st_builtin_of(n->op);
	if (!bi)
		return ST_TYPE_ERROR;    /* the parser makes no other calls */
	const char *fname = bi->name;
	size_t na = n->nargs;
	int minargs = bi->min_args;
	int maxargs = bi->max_args < 0 ? 1 << 20 : bi->max_args;
	if ((int)na < minargs || (int)na > maxargs) {
		if (minargs == maxargs)
			err(c, "expr-type", n->off, n->len,
			    "%s() takes %d argument%s, not %zu", fname, minargs,
			    minargs == 1 ? "" : "s", na);
		else if ((int)na < minargs)
			err(c, "expr-type", n->off, n->len,
			    "%s() needs at least %d argument%s", fname, minargs,
			    minargs == 1 ? "" : "s");
		else
			err(c, "expr-type", n->off, n->len,
			    "%s() takes at most %d arguments, not %zu", fname,
			    maxargs, na);
		return ST_TYPE_ERROR;
	}
	int ranges_ok = !!(bi->flags & ST_BI_RANGES);
	if (bi->flags & ST_BI_MODULE)
		return check_module_call(c, n, bi);

	int types[3] = { 0, 0, 0 };
	for (size_t i = 0; i < na; i++) {
		st_ast *x = n->args[i];
		int t;
		if (x->kind == ST_AST_RANGE) {
			if (!ranges_ok) {
				err(c, "expr-type", x->off, x->len,
				    "%s() does not take a range", fname);
				t = ST_TYPE_ERROR;
			} else {
				t = check_range(c, x);
				if (t == ST_TYPE_NONE && bi->arg_type != ST_TYPE_NONE) {
					err(c, "expr-type", x->off, x->len,
					    "%s() needs numbers, but range '%s..%s' mixes "
					    "types", fname, x->name, x->member);
					t = ST_TYPE_ERROR;
				}
			}
			x->type = t;
		} else {
			t = check(c, x);
		}
		if (i < 3)
			types[i] = t;
		if (bi->arg_type != ST_TYPE_NONE)
			need(c, x, t, bi->arg_type,
			     st_sprintf(c->a, "%s()", fname));
		else if ((bi->flags & ST_BI_IF) && i == 0)
			need(c, x, t, ST_TYPE_BOOL, st_tr("the condition of if()"));
	}
	if (!(bi->flags & ST_BI_IF))
		return bi->result;
	if (types[1] == ST_TYPE_ERROR)
		return types[2];
	if (types[2] == ST_TYPE_ERROR)
		return types[1];
	if (types[1] != types[2]) {
		err(c, "expr-type", n->off, n->len,
		    "the two branches of if() differ: %s and %s",
		    st_type_name(types[1]), st_type_name(types[2]));
		return ST_TYPE_ERROR;
	}
	return types[1];
}

static int check_bin(checker *c, st_ast *n)
{
	st_ast *l = n->args[0], *r = n->args[1];
	int tl = check(c, l), tr = check(c, r);
	int bad = tl == ST_TYPE_ERROR || tr == ST_TYPE_ERROR;
	const char *op = st_op_name(n->op);
	switch (n->op) {
	case ST_OP_ADD:
	case ST_OP_SUB:
	case ST_OP_MUL:
	case ST_OP_DIV:
		if (bad)
			return ST_TYPE_ERROR;
		if (tl == ST_TYPE_NUMBER && tr == ST_TYPE_NUMBER)
			return ST_TYPE_NUMBER;
		/* Dates: date - date is days; date +/- days is a date. */
		if (n->op == ST_OP_SUB && tl == ST_TYPE_DATE && tr == ST_TYPE_DATE)
			return ST_TYPE_NUMBER;
		if ((n->op == ST_OP_ADD || n->op == ST_OP_SUB) &&
		    tl == ST_TYPE_DATE && tr == ST_TYPE_NUMBER)
			return ST_TYPE_DATE;
		if (n->op == ST_OP_ADD && tl == ST_TYPE_NUMBER &&
		    tr == ST_TYPE_DATE)
			return ST_TYPE_DATE;
		{
			const st_ast *culprit = tl != ST_TYPE_NUMBER &&
			                        tl != ST_TYPE_DATE ? l : r;
			int tc = culprit == l ? tl : tr;
			if (tc == ST_TYPE_NUMBER || tc == ST_TYPE_DATE)
				err(c, "expr-type", n->off, n->len,
				    "cannot apply '%s' to %s and %s", op,
				    st_type_name(tl), st_type_name(tr));
			else
				err(c, "expr-type", culprit->off, culprit->len,
				    "'%s' needs numbers, but this is %s", op,
				    st_type_name(tc));
		}
		return ST_TYPE_ERROR;
	case ST_OP_EQ:
	case ST_OP_NE:
	case ST_OP_LT:
	case ST_OP_LE:
	case ST_OP_GT:
	case ST_OP_GE:
		if (bad)
			return ST_TYPE_BOOL;
		if (tl != tr) {
			err(c, "expr-type", n->off, n->len,
			    "cannot compare %s with %s", st_type_name(tl),
			    st_type_name(tr));
			return ST_TYPE_ERROR;
		}
		if (n->op != ST_OP_EQ && n->op != ST_OP_NE &&
		    (tl == ST_TYPE_TEXT || tl == ST_TYPE_BOOL)) {
			err(c, "expr-type", n->off, n->len,
			    "'%s' orders numbers and dates, not %ss", op,
			    tl == ST_TYPE_TEXT ? "text" : "yes/no value");
			return ST_TYPE_ERROR;
		}
		return ST_TYPE_BOOL;
	default: /* and, or */
		need(c, l, tl, ST_TYPE_BOOL, st_sprintf(c->a, "'%s'", op));
		need(c, r, tr, ST_TYPE_BOOL, st_sprintf(c->a, "'%s'", op));
		return ST_TYPE_BOOL;
	}
}

/* Bounded: the parser refuses trees taller than it allows. */
static int check(checker *c, st_ast *n)
{
	int t;
	switch (n->kind) {
	case ST_AST_NUM: t = ST_TYPE_NUMBER; break;
	case ST_AST_STR: t = ST_TYPE_TEXT; break;
	case ST_AST_BOOL: t = ST_TYPE_BOOL; break;
	case ST_AST_NAME: t = check_name(c, n); break;
	case ST_AST_RANGE:
		err(c, "expr-syntax", n->off, n->len,
		    "a range can only be a function argument");
		t = ST_TYPE_ERROR;
		break;
	case ST_AST_CALL: t = check_call(c, n); break;
	case ST_AST_NEG:
		t = check(c, n->args[0]);
		need(c, n->args[0], t, ST_TYPE_NUMBER, "'-'");
		t = t == ST_TYPE_NUMBER ? t : ST_TYPE_ERROR;
		break;
	case ST_AST_NOT:
		t = check(c, n->args[0]);
		need(c, n->args[0], t, ST_TYPE_BOOL, "'not'");
		t = ST_TYPE_BOOL;
		break;
	case ST_AST_BIN: t = check_bin(c, n); break;
	default: t = ST_TYPE_ERROR; break;
	}
	n->type = t;
	return t;
}

static int check_expr(st_arena *a, st_diags *d, st_expr *e,
                      const st_scope *s, int want, int depth)
{
	if (!e)
		return 0;
	if (!e->ast && st_expr_parse(a, d, e))
		return 1;
	checker c = { a, d, e, s, 0, depth };
	int t = check(&c, e->ast);
	e->type = t;
	if (want && t != want && t != ST_TYPE_ERROR && !c.errors) {
		const char *what = s->what ? s->what : "this expression";
		if (want == ST_TYPE_BOOL)
			err(&c, "expr-type", e->ast->off, e->ast->len,
			    "%s must be a condition (yes or no), but this is %s",
			    what, st_type_name(t));
		else
			err(&c, "expr-type", e->ast->off, e->ast->len,
			    "%s must be %s, but this is %s", what,
			    st_type_name(want), st_type_name(t));
	}
	/* An expression with any error is of no type: later phases (intervals,
	 * reachability, evaluation) then leave it alone. */
	if (c.errors)
		e->type = ST_TYPE_ERROR;
	return c.errors;
}

int st_expr_check(st_arena *a, st_diags *d, st_expr *e, const st_scope *s,
                  int want)
{
	return check_expr(a, d, e, s, want, 0);
}

int st_expr_check_dep(st_arena *a, st_diags *d, const st_scope *s, int kind,
                      size_t index)
{
	st_deps *dp = s->deps;
	if (!dp || dp->state[index])
		return 0;
	st_expr *v;
	const char *what;
	if (kind == ST_NAME_SCORE) {
		v = s->form->scores[index].value;
		what = st_sprintf(a, st_tr_fmt("score '%s'"), s->form->scores[index].id);
	} else {
		v = s->ex->computed[index].value;
		what = st_sprintf(a, st_tr_fmt("computed field '%s'"),
		                  s->ex->computed[index].id);
	}
	dp->state[index] = 1;
	dp->path[dp->npath++] = index;
	st_scope sub = *s;
	sub.what = what;
	int errs = check_expr(a, d, v, &sub,
	                      kind == ST_NAME_SCORE ? ST_TYPE_NUMBER : 0,
	                      (int)dp->npath);
	dp->npath--;
	dp->state[index] = 2;
	return errs;
}
