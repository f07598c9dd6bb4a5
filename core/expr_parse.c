/*
 * expr_parse.c — the parser of the expression language: tokens to a tree
 * of st_ast nodes, by recursive descent with one function per precedence
 * level, the grammar rule above each (in the manner of chibicc).
 *
 * Recursion is bounded twice, so that no input can exhaust the stack:
 * nesting (parentheses, calls, not and unary minus) deeper than
 * ST_EXPR_MAX_DEPTH stops the parse with "expr-limit" at the token that
 * went too deep; and a tree taller than ST_EXPR_TREE_HEIGHT (a chain of
 * thousands of '+') is refused too, since the checker and the evaluator
 * walk the tree recursively.  The first syntax error ends the parse: later
 * errors in the same expression would only echo it.
 */
#include <string.h>
#include "expr_int.h"
#include "i18n.h"

#define ST_EXPR_TREE_HEIGHT 1000

typedef struct parser {
	st_arena *a;
	st_diags *d;
	const st_expr *e;
	st_tok *t;          /* current token */
	int depth;
	int failed;
} parser;

static st_ast *expr(parser *p);

static void fail(parser *p, const char *code, size_t off, size_t len,
                 const char *fmt, const char *a1, const char *a2)
{
	if (p->failed)
		return;
	p->failed = 1;
	st_diag(p->d, ST_ERROR, code, st_expr_span(p->e, off, len ? len : 1),
	        fmt, a1, a2);
}

static void fail_tok(parser *p, const char *what)
{
	fail(p, "expr-syntax", p->t->off, p->t->len,
	     "expected %s, found %s", st_tr(what), st_tok_show(p->a, p->e, p->t));
}

static int height(const st_ast *n)
{
	return n ? (int)n->index_end : 0;   /* index_end holds the height
	                                       until the checker resets it */
}

static st_ast *node(parser *p, st_ast_kind kind, size_t off, size_t len)
{
	st_ast *n = st_alloc(p->a, sizeof *n);
	n->kind = kind;
	n->off = off;
	n->len = len;
	n->index_end = 1;
	return n;
}

static st_ast *binary(parser *p, int op, st_ast *l, st_ast *r)
{
	st_ast *n = node(p, ST_AST_BIN, l->off, r->off + r->len - l->off);
	n->op = op;
	n->args = st_alloc(p->a, 2 * sizeof *n->args);
	n->args[0] = l;
	n->args[1] = r;
	n->nargs = 2;
	int h = height(l) > height(r) ? height(l) : height(r);
	n->index_end = (size_t)h + 1;
	if (n->index_end > ST_EXPR_TREE_HEIGHT)
		fail(p, "expr-limit", r->off, r->len,
		     "expression is too long a chain of operators (more than "
		     "%s levels)%s", "1000", "");
	return n;
}

static int enter(parser *p)
{
	if (++p->depth > ST_EXPR_MAX_DEPTH) {
		fail(p, "expr-limit", p->t->off, p->t->len,
		     "expression is nested more than %s levels deep%s", "200",
		     "");
		return 0;
	}
	return 1;
}

/*
 * arg = IDENT ".." IDENT
 *     | expr
 */
static st_ast *arg(parser *p)
{
	if (p->t[0].kind == TK_IDENT && p->t[1].kind == TK_DOTDOT) {
		st_tok *s = &p->t[0], *dd = &p->t[1], *end = &p->t[2];
		if (end->kind != TK_IDENT) {
			p->t = end;
			fail_tok(p, "an item id after '..'");
			return NULL;
		}
		st_ast *n = node(p, ST_AST_RANGE, s->off,
		                 end->off + end->len - s->off);
		n->name = s->str;
		n->member = end->str;
		n->member_off = end->off;
		n->member_len = end->len;
		(void)dd;
		p->t += 3;
		return n;
	}
	return expr(p);
}

/* "(" expr ")", at t: the node inside, whose extent takes in the
 * parentheses. */
static st_ast *paren(parser *p, st_tok *t)
{
	if (!enter(p))
		return NULL;
	p->t++;
	st_ast *inner = expr(p);
	if (!inner)
		return NULL;
	if (p->t->kind != TK_RPAREN) {
		fail(p, "expr-syntax", p->t->off, p->t->len,
		     "expected ')' to close the '(' at column %s, found %s",
		     st_sprintf(p->a, "%d",
		                st_expr_span(p->e, t->off, 1).col),
		     st_tok_show(p->a, p->e, p->t));
		return NULL;
	}
	p->depth--;
	inner->off = t->off;
	inner->len = p->t->off + 1 - t->off;
	p->t++;
	return inner;
}

/* IDENT "(" (arg ("," arg)*)? ")", at t: a call of a built-in. */
static st_ast *call(parser *p, st_tok *t)
{
	const st_builtin *bi = st_builtin_named(t->str);
	if (!bi) {
		fail(p, "unknown-name", t->off, t->len,
		     "unknown function '%s'%s", t->str, "");
		return NULL;
	}
	if (!enter(p))
		return NULL;
	st_ast *n = node(p, ST_AST_CALL, t->off, 0);
	n->op = bi->fn;
	n->name = t->str;
	p->t += 2;
	st_ast **args = NULL;
	size_t nargs = 0, cap = 0;
	int h = 0;
	if (p->t->kind != TK_RPAREN) {
		for (;;) {
			st_ast *x = arg(p);
			if (!x)
				return NULL;
			if (height(x) > h)
				h = height(x);
			ST_PUSH(p->a, args, nargs, cap, x);
			if (p->t->kind == TK_COMMA) {
				p->t++;
				continue;
			}
			if (p->t->kind != TK_RPAREN) {
				fail_tok(p, "',' or ')' in the call");
				return NULL;
			}
			break;
		}
	}
	p->depth--;
	n->args = args;
	n->nargs = nargs;
	n->len = p->t->off + 1 - t->off;
	n->index_end = (size_t)h + 1;
	p->t++;
	return n;
}

/* IDENT ("." IDENT)?, at t: an item, field or score, or a score of a
 * form.  A range ("q1..") is refused here: only arguments may be one. */
static st_ast *name(parser *p, st_tok *t)
{
	st_ast *n = node(p, ST_AST_NAME, t->off, t->len);
	n->name = t->str;
	p->t++;
	if (p->t->kind == TK_DOT) {
		if (p->t[1].kind != TK_IDENT) {
			p->t++;
			fail_tok(p, "a score id after '.'");
			return NULL;
		}
		st_tok *m = &p->t[1];
		n->member = m->str;
		n->member_off = m->off;
		n->member_len = m->len;
		n->len = m->off + m->len - t->off;
		p->t += 2;
	} else if (p->t->kind == TK_DOTDOT) {
		fail(p, "expr-syntax", t->off, p->t->off + p->t->len - t->off,
		     "a range like '%s..' can only be an argument of a function "
		     "such as sum()%s", t->str, "");
		return NULL;
	}
	return n;
}

/*
 * primary = NUM | STR | "true" | "false"
 *         | "(" expr ")"
 *         | IDENT "(" (arg ("," arg)*)? ")"
 *         | IDENT ("." IDENT)?
 */
static st_ast *primary(parser *p)
{
	st_tok *t = p->t;
	st_ast *n;
	switch (t->kind) {
	case TK_NUM:
		n = node(p, ST_AST_NUM, t->off, t->len);
		n->num = t->num;
		p->t++;
		return n;
	case TK_STR:
		n = node(p, ST_AST_STR, t->off, t->len);
		n->name = t->str;
		p->t++;
		return n;
	case TK_TRUE:
	case TK_FALSE:
		n = node(p, ST_AST_BOOL, t->off, t->len);
		n->num = t->kind == TK_TRUE;
		p->t++;
		return n;
	case TK_LPAREN:
		return paren(p, t);
	case TK_IDENT:
		return t[1].kind == TK_LPAREN ? call(p, t) : name(p, t);
	case TK_DOTDOT:
		fail(p, "expr-syntax", t->off, t->len,
		     "a range like 'q1..q9' needs an item id on each side%s%s",
		     "", "");
		return NULL;
	default:
		fail_tok(p, "a value, a name or '('");
		return NULL;
	}
}

/*
 * unary = "-" unary
 *       | primary
 */
static st_ast *unary(parser *p)
{
	if (p->t->kind == TK_MINUS) {
		st_tok *t = p->t;
		if (!enter(p))
			return NULL;
		p->t++;
		st_ast *x = unary(p);
		if (!x)
			return NULL;
		p->depth--;
		st_ast *n = node(p, ST_AST_NEG, t->off, x->off + x->len - t->off);
		n->args = st_alloc(p->a, sizeof *n->args);
		n->args[0] = x;
		n->nargs = 1;
		n->index_end = (size_t)height(x) + 1;
		return n;
	}
	if (p->t->kind == TK_PLUS) {
		fail(p, "expr-syntax", p->t->off, 1,
		     "unexpected '+' before a value%s%s", "", "");
		return NULL;
	}
	return primary(p);
}

/*
 * mul = unary (("*" | "/") unary)*
 */
static st_ast *mul(parser *p)
{
	st_ast *l = unary(p);
	while (l && (p->t->kind == TK_STAR || p->t->kind == TK_SLASH)) {
		int op = p->t->kind == TK_STAR ? ST_OP_MUL : ST_OP_DIV;
		p->t++;
		st_ast *r = unary(p);
		if (!r)
			return NULL;
		l = binary(p, op, l, r);
	}
	return p->failed ? NULL : l;
}

/*
 * add = mul (("+" | "-") mul)*
 */
static st_ast *add(parser *p)
{
	st_ast *l = mul(p);
	while (l && (p->t->kind == TK_PLUS || p->t->kind == TK_MINUS)) {
		int op = p->t->kind == TK_PLUS ? ST_OP_ADD : ST_OP_SUB;
		p->t++;
		st_ast *r = mul(p);
		if (!r)
			return NULL;
		l = binary(p, op, l, r);
	}
	return p->failed ? NULL : l;
}

int st_op_flip(int op)
{
	switch (op) {
	case ST_OP_LT: return ST_OP_GT;
	case ST_OP_LE: return ST_OP_GE;
	case ST_OP_GT: return ST_OP_LT;
	case ST_OP_GE: return ST_OP_LE;
	default: return op;
	}
}

static int cmp_op(st_tok_kind k)
{
	switch (k) {
	case TK_EQ: return ST_OP_EQ;
	case TK_NE: return ST_OP_NE;
	case TK_LT: return ST_OP_LT;
	case TK_LE: return ST_OP_LE;
	case TK_GT: return ST_OP_GT;
	case TK_GE: return ST_OP_GE;
	default: return 0;
	}
}

/*
 * cmp = add (("==" | "=" | "!=" | "<>" | "<" | "<=" | ">" | ">=") add)?
 *
 * Comparisons do not chain: `0 < q1 < 3` is an error, not a surprise.
 */
static st_ast *cmp(parser *p)
{
	st_ast *l = add(p);
	int op;
	if (!l || !(op = cmp_op(p->t->kind)))
		return l;
	p->t++;
	st_ast *r = add(p);
	if (!r)
		return NULL;
	if (cmp_op(p->t->kind)) {
		fail(p, "expr-syntax", p->t->off, p->t->len,
		     "comparisons do not chain: write 'a < b and b < c' instead "
		     "of 'a < b < c'%s%s", "", "");
		return NULL;
	}
	return binary(p, op, l, r);
}

/*
 * not = "not" not
 *     | cmp
 */
static st_ast *not_(parser *p)
{
	if (p->t->kind == TK_NOT) {
		st_tok *t = p->t;
		if (!enter(p))
			return NULL;
		p->t++;
		st_ast *x = not_(p);
		if (!x)
			return NULL;
		p->depth--;
		st_ast *n = node(p, ST_AST_NOT, t->off, x->off + x->len - t->off);
		n->args = st_alloc(p->a, sizeof *n->args);
		n->args[0] = x;
		n->nargs = 1;
		n->index_end = (size_t)height(x) + 1;
		return n;
	}
	return cmp(p);
}

/*
 * and = not ("and" not)*
 */
static st_ast *and_(parser *p)
{
	st_ast *l = not_(p);
	while (l && p->t->kind == TK_AND) {
		p->t++;
		st_ast *r = not_(p);
		if (!r)
			return NULL;
		l = binary(p, ST_OP_AND, l, r);
	}
	return p->failed ? NULL : l;
}

/*
 * expr = and ("or" and)*
 */
static st_ast *expr(parser *p)
{
	st_ast *l = and_(p);
	while (l && p->t->kind == TK_OR) {
		p->t++;
		st_ast *r = and_(p);
		if (!r)
			return NULL;
		l = binary(p, ST_OP_OR, l, r);
	}
	return p->failed ? NULL : l;
}

static void clear_heights(st_ast *n)
{
	/* Bounded by ST_EXPR_TREE_HEIGHT. */
	n->index_end = 0;
	for (size_t i = 0; i < n->nargs; i++)
		clear_heights(n->args[i]);
}

int st_expr_parse(st_arena *a, st_diags *d, st_expr *e)
{
	st_tok *toks;
	size_t ntoks;
	if (e->ast)
		return 0;
	if (st_expr_lex(&toks, &ntoks, a, d, e))
		return 1;
	parser p = { a, d, e, toks, 0, 0 };
	if (toks[0].kind == TK_EOF) {
		fail(&p, "expr-syntax", 0, 1, "empty expression%s%s", "", "");
		return 1;
	}
	st_ast *root = expr(&p);
	if (root && p.t->kind != TK_EOF) {
		if (p.t->kind == TK_RPAREN)
			fail(&p, "expr-syntax", p.t->off, 1,
			     "unmatched ')'%s%s", "", "");
		else
			fail(&p, "expr-syntax", p.t->off, p.t->len,
			     "unexpected %s after the end of the expression%s",
			     st_tok_show(a, e, p.t), "");
	}
	if (p.failed || !root)
		return 1;
	clear_heights(root);
	e->ast = root;
	return 0;
}

const char *st_op_name(int op)
{
	static const char *const names[] = {
		"?", "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=",
		"and", "or",
	};
	return op > 0 && op < (int)(sizeof names / sizeof *names) ? names[op]
	                                                         : "?";
}
