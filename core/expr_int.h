/*
 * expr_int.h — what the phases of the expression language share inside
 * the core: the tokens of the lexer, for the parser.  Not for use outside
 * core/expr_*.c.
 */
#ifndef ST_EXPR_INT_H
#define ST_EXPR_INT_H

#include "expr.h"

typedef enum {
	TK_EOF = 0, TK_NUM, TK_STR, TK_IDENT,
	TK_LPAREN, TK_RPAREN, TK_COMMA, TK_DOT, TK_DOTDOT,
	TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH,
	TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
	TK_AND, TK_OR, TK_NOT, TK_TRUE, TK_FALSE
} st_tok_kind;

typedef struct st_tok {
	st_tok_kind kind;
	size_t off, len;
	double num;
	const char *str;    /* identifier or unescaped text, arena-owned */
} st_tok;

/* The token of a reserved word (TK_AND ... TK_FALSE; expr_builtin.c's
 * table), or TK_IDENT for any other name. */
st_tok_kind st_expr_keyword(const char *s, size_t n);

/* Tokenise e->src.  On success *toks is an arena array ending in TK_EOF.
 * Returns the number of errors added (at most one). */
int st_expr_lex(st_tok **toks, size_t *ntoks, st_arena *a, st_diags *d,
                const st_expr *e);

/* How a token reads in a message: "')'", "'foo'", "the end of the
 * expression".  Arena-owned. */
const char *st_tok_show(st_arena *a, const st_expr *e, const st_tok *t);

#endif
