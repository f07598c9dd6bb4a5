/*
 * expr_builtin.c — the built-in functions and the reserved words of the
 * expression language, each written once (core/expr.h): the parser finds
 * a function here by name, the checker takes its arity, what its
 * arguments must be and what it gives from its row, and messages name it
 * from here.  docs/expressions.md describes each function.
 */
#include <string.h>
#include "expr_int.h"

#define ANY (-1)

static const st_builtin builtins[] = {
	/* fn, name, min, max, flags, argument type, result type */
	{ ST_FN_SUM, "sum", 1, ANY, ST_BI_RANGES, ST_TYPE_NUMBER, ST_TYPE_NUMBER },
	{ ST_FN_MEAN, "mean", 1, ANY, ST_BI_RANGES, ST_TYPE_NUMBER, ST_TYPE_NUMBER },
	{ ST_FN_MIN, "min", 1, ANY, ST_BI_RANGES, ST_TYPE_NUMBER, ST_TYPE_NUMBER },
	{ ST_FN_MAX, "max", 1, ANY, ST_BI_RANGES, ST_TYPE_NUMBER, ST_TYPE_NUMBER },
	{ ST_FN_COUNT, "count", 1, ANY, ST_BI_RANGES, ST_TYPE_NONE, ST_TYPE_NUMBER },
	{ ST_FN_ANSWERED, "answered", 1, ANY, ST_BI_RANGES, ST_TYPE_NONE,
	  ST_TYPE_BOOL },
	/* if(condition, then, else): the type of its branches */
	{ ST_FN_IF, "if", 3, 3, ST_BI_IF, ST_TYPE_NONE, ST_TYPE_NONE },
	{ ST_FN_ROUND, "round", 1, 2, 0, ST_TYPE_NUMBER, ST_TYPE_NUMBER },
	{ ST_FN_ABS, "abs", 1, 1, 0, ST_TYPE_NUMBER, ST_TYPE_NUMBER },
	{ ST_FN_COMPLETED, "completed", 1, 1, ST_BI_MODULE, ST_TYPE_NONE,
	  ST_TYPE_BOOL },
	{ ST_FN_DAYS_SINCE, "days_since", 1, 1, ST_BI_MODULE, ST_TYPE_NONE,
	  ST_TYPE_NUMBER },
	{ ST_FN_REVIEWED, "reviewed", 1, 1, ST_BI_MODULE, ST_TYPE_NONE,
	  ST_TYPE_BOOL },
};

#define NBUILTINS (sizeof builtins / sizeof *builtins)

const st_builtin *st_builtin_named(const char *name)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

const st_builtin *st_builtin_of(int fn)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if ((int)builtins[i].fn == fn)
			return &builtins[i];
	return NULL;
}

const char *st_func_name(int fn)
{
	const st_builtin *b = st_builtin_of(fn);
	return b ? b->name : "?";
}

/* The words of the language, which no item, score or field can be named,
 * and the tokens the lexer makes of them. */
static const struct { const char *w; st_tok_kind k; } reserved[] = {
	{ "and", TK_AND }, { "or", TK_OR }, { "not", TK_NOT },
	{ "true", TK_TRUE }, { "false", TK_FALSE },
};

st_tok_kind st_expr_keyword(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
		if (strlen(reserved[i].w) == n && !memcmp(reserved[i].w, s, n))
			return reserved[i].k;
	return TK_IDENT;
}

int st_expr_is_reserved(const char *s)
{
	return st_expr_keyword(s, strlen(s)) != TK_IDENT;
}
