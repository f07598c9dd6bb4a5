/*
 * expr.h — the expression language of show-if, unlock, when, scores and
 * computed fields (docs/expressions.md).
 *
 * One language, one implementation, used by the compiler and the runtime
 * alike: the lexer and parser (expr_lex.c, expr_parse.c) turn the source of
 * an st_expr into a tree of st_ast nodes, knowing the built-in functions
 * and reserved words from one table (expr_builtin.c); the checker
 * (expr_check.c) resolves names against a scope and gives every node a
 * type from the same table; the evaluator (expr_eval.c) computes a value
 * under the rules for missing answers.  Every node keeps the byte range
 * it was written at, and st_expr_span() maps a range back to the line and
 * column in the YAML file it came from, so that an error inside
 * `sum(q1..q9) + q11` points at q11.
 *
 * Hostile input is bounded: an expression longer than ST_EXPR_MAX_BYTES or
 * nested deeper than ST_EXPR_MAX_DEPTH is refused with "expr-limit" before
 * any recursion could run away; number literals that overflow, and bytes
 * that are not UTF-8, are "expr-syntax" errors.
 *
 * All trees live in the arena passed to the parser.
 */
#ifndef ST_EXPR_H
#define ST_EXPR_H

#include <stddef.h>
#include "diag.h"
#include "model.h"
#include "strmap.h"
#include "util.h"

#define ST_EXPR_MAX_BYTES (64u << 10)
#define ST_EXPR_MAX_DEPTH 200
/* Largest magnitude of a number literal: beyond this doubles stop being
 * exact integers, and no rating form needs it. */
#define ST_EXPR_MAX_NUMBER 1e15

typedef enum {
	ST_TYPE_NONE = 0, ST_TYPE_NUMBER, ST_TYPE_TEXT, ST_TYPE_BOOL,
	ST_TYPE_DATE, ST_TYPE_ERROR
} st_type;

typedef enum {
	ST_AST_NUM = 1,   /* num */
	ST_AST_STR,       /* name: the text, unescaped */
	ST_AST_BOOL,      /* num: 0 or 1 */
	ST_AST_NAME,      /* name, or name.member for another form's score */
	ST_AST_RANGE,     /* name..member, only as a function argument */
	ST_AST_CALL,      /* op: st_func; args */
	ST_AST_NEG,       /* args[0] */
	ST_AST_NOT,       /* args[0] */
	ST_AST_BIN        /* op: st_op; args[0], args[1] */
} st_ast_kind;

typedef enum {
	ST_OP_ADD = 1, ST_OP_SUB, ST_OP_MUL, ST_OP_DIV,
	ST_OP_EQ, ST_OP_NE, ST_OP_LT, ST_OP_LE, ST_OP_GT, ST_OP_GE,
	ST_OP_AND, ST_OP_OR
} st_op;

/* The comparison op of b op a that says a op b: LT for GT, LE for GE and
 * back; EQ, NE and the other ops are their own. */
int st_op_flip(int op);

typedef enum {
	ST_FN_SUM = 1, ST_FN_MEAN, ST_FN_MIN, ST_FN_MAX, ST_FN_COUNT,
	ST_FN_ANSWERED, ST_FN_IF, ST_FN_ROUND, ST_FN_ABS,
	ST_FN_COMPLETED, ST_FN_DAYS_SINCE, ST_FN_REVIEWED
} st_func;

/* What a resolved name refers to (st_ast.ref). */
typedef enum {
	ST_NAME_NONE = 0,
	ST_NAME_ITEM,        /* index into form->items */
	ST_NAME_SCORE,       /* index into form->scores (same form) */
	ST_NAME_FIELD,       /* index into exercise->fields */
	ST_NAME_COMPUTED,    /* index into exercise->computed */
	ST_NAME_FORM_SCORE,  /* target: the st_form, index: its score */
	ST_NAME_MODULE,      /* call argument of completed() etc.: target is
	                        the st_module, index its position */
	ST_NAME_START        /* the argument of days_since(start): the start
	                        of the treatment */
} st_name_kind;

typedef struct st_ast st_ast;
struct st_ast {
	st_ast_kind kind;
	int op;                 /* st_op or st_func */
	size_t off, len;        /* bytes of the source this node covers */
	double num;
	const char *name;       /* name, text literal, range start */
	const char *member;     /* after the dot; range end */
	size_t member_off, member_len;
	st_ast **args;
	size_t nargs;
	/* filled in by the checker */
	int type;               /* st_type */
	int ref;                /* st_name_kind */
	size_t index, index_end;/* resolved index; a range's last index */
	const void *target;     /* st_form or st_module when ref says so */
};

/* Human names: "a number", "a text", "a yes/no value", "a date". */
const char *st_type_name(int t);
const char *st_func_name(int fn);       /* "sum"; "?" for none */
const char *st_op_name(int op);

/* ---- built-ins and reserved words (expr_builtin.c) -------------------- */

/* A built-in function: one row of the table the parser (names), the
 * checker (arity, arguments, result) and messages read. */
#define ST_BI_RANGES 1u   /* its arguments may be ranges, q1..q9 */
#define ST_BI_MODULE 2u   /* one module id in quotes ("intro"); only in
                             unlock rules and messages */
#define ST_BI_IF     4u   /* if(condition, then, else): the first a
                             condition, the result its branches' type */
typedef struct st_builtin {
	st_func fn;
	const char *name;
	int min_args, max_args;    /* max_args -1: any number */
	unsigned flags;            /* ST_BI_* */
	int arg_type;              /* st_type each argument must have;
	                              ST_TYPE_NONE: any */
	int result;                /* st_type it gives; ST_TYPE_NONE: if's */
} st_builtin;

/* The built-in called name, or the one for fn; NULL when there is none. */
const st_builtin *st_builtin_named(const char *name);
const st_builtin *st_builtin_of(int fn);

/* Whether s is a reserved word ("and", "or", "not", "true", "false"),
 * which no item, score, field or computed value may be named. */
int st_expr_is_reserved(const char *s);

/* The span of bytes [off, off+len) of e's source in its file: exact when
 * the expression came from YAML (e->node), else e->sp. */
st_span st_expr_span(const st_expr *e, size_t off, size_t len);

/* Parse e->src into e->ast (nothing to do when already parsed).  Errors:
 * "expr-syntax", "expr-limit".  Returns the number of errors added. */
int st_expr_parse(st_arena *a, st_diags *d, st_expr *e);

/* ---- names ------------------------------------------------------------ */
/* The name maps: core/strmap.h. */

#define ST_NAMEVAL(kind, idx) (((size_t)(kind) << 32) | (size_t)(idx))
#define ST_NAMEVAL_KIND(v) ((int)((v) >> 32))
#define ST_NAMEVAL_INDEX(v) ((size_t)((v) & 0xffffffffu))

/* Cycle tracking between scores or between computed fields: state[i] is
 * 0 (not yet checked), 1 (being checked), 2 (done); path the chain being
 * checked.  Both arrays have one slot per score or computed field. */
typedef struct st_deps {
	unsigned char *state;
	size_t *path;
	size_t npath;
} st_deps;

/* What an expression may refer to. */
typedef struct st_scope {
	const st_program *prog;     /* may be NULL */
	const st_form *form;        /* a form's items and scores, or */
	const st_exercise *ex;      /* an exercise's fields and computed */
	const st_strmap *names;     /* name -> ST_NAMEVAL(st_name_kind, index) */
	const st_strmap *forms;     /* form id -> index in prog->forms */
	const st_strmap *const *form_names; /* per form: its names map */
	const st_strmap *modules;   /* module id -> index in prog->modules */
	int program_level;          /* unlock rules and messages: module
	                               functions and other forms' scores */
	const char *what;           /* "show-if", "score 'total'"... */
	st_deps *deps;              /* cycle tracking for scores or computed
	                               fields of this form or exercise */
} st_scope;

/* Check the value of score or computed field index (kind ST_NAME_SCORE or
 * ST_NAME_COMPUTED) of s's form or exercise, first checking what it
 * depends on; a dependency on itself is an "expr-cycle" error naming the
 * cycle.  Each is checked once.  Returns the number of errors added. */
int st_expr_check_dep(st_arena *a, st_diags *d, const st_scope *s, int kind,
                      size_t index);

/* Resolve names and type-check e (parsing it first if needed) against s;
 * want is the type the context needs (ST_TYPE_NONE: any).  Errors:
 * "unknown-name", "expr-type", "expr-syntax".  Sets e->type.  Returns the
 * number of errors added. */
int st_expr_check(st_arena *a, st_diags *d, st_expr *e, const st_scope *s,
                  int want);

/* ---- evaluation ------------------------------------------------------- */
typedef struct st_value {
	int type;          /* st_type */
	int missing;       /* an unanswered item, or arithmetic on one */
	double num;        /* number, boolean (0/1), date (days since
	                      1970-01-01) */
	const char *str;   /* text */
	int assumed;       /* not missing, but computed from a value supposed
	                      for an unanswered item (core/score.c tries every
	                      answer it could have had): count, answered and
	                      mean treat it as unanswered, everything else as
	                      the value it holds */
} st_value;

/* A missing value of a type; a number. */
static inline st_value st_value_missing(int type)
{
	st_value v = { type, 1, 0, NULL, 0 };
	return v;
}

static inline st_value st_value_number(double x)
{
	st_value v = { ST_TYPE_NUMBER, 0, x, NULL, 0 };
	return v;
}

/* Where the evaluator gets the values of names.  name() is called for
 * every resolved name (ITEM, SCORE, FIELD, COMPUTED, FORM_SCORE) with the
 * node; module() for completed/days_since/reviewed, and for
 * days_since(start) with module_index ST_MODULE_START: whole days since
 * the treatment started (may be NULL: then completed and reviewed are
 * false and days_since is missing). */
#define ST_MODULE_START ((size_t)-1)
typedef struct st_eval_env {
	void *ctx;
	st_value (*name)(void *ctx, int ref, size_t index, const void *target);
	st_value (*module)(void *ctx, int fn, size_t module_index);
} st_eval_env;

/* Evaluate a checked tree.  Conditions are two-valued: a comparison or
 * condition on a missing value is false.  A result is assumed when it
 * depends on an assumed value (a condition that short-circuits does not
 * depend on what it did not look at). */
st_value st_expr_eval(const st_ast *n, const st_eval_env *env);
/* A condition's truth: booleans that are true and not missing. */
int st_value_true(st_value v);

#endif
