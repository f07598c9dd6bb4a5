/*
 * expr_lex.c — the lexer of the expression language: source text to an
 * array of tokens, each with its byte range so that every later error can
 * point at the exact column.
 *
 * The whole expression is tokenised up front (it is at most
 * ST_EXPR_MAX_BYTES), which keeps the parser a simple walk over an array.
 * The lexer is where hostile bytes stop: invalid UTF-8, characters that
 * are no part of the language, number literals that overflow or lose
 * precision, unterminated texts.  It reports the first problem and stops;
 * one precise error is worth more than a cascade.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "expr_int.h"
#include "i18n.h"
#include "ynode.h"

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident_char(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Length of the UTF-8 sequence starting at s (already validated). */
static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static int lex_error(st_diags *d, const st_expr *e, size_t off, size_t len,
                     const char *code, const char *msg, const char *arg)
{
	st_diag(d, ST_ERROR, code, st_expr_span(e, off, len ? len : 1), msg,
	        arg);
	return 1;
}

/* The lexer's state: the source, where it is, and where errors go.  Each
 * lex_* below reads one token at x->i into *t, moves x->i past it and
 * returns 0, or reports the problem and returns 1. */
typedef struct lexer {
	st_arena *a;
	st_diags *d;
	const st_expr *e;
	const char *s;
	size_t n, i;
} lexer;

static int fail_at(lexer *x, size_t off, size_t len, const char *msg,
                   const char *arg)
{
	return lex_error(x->d, x->e, off, len, "expr-syntax", msg, arg);
}

/* The end of the digits at j. */
static size_t digits(const lexer *x, size_t j)
{
	while (j < x->n && isdigit((unsigned char)x->s[j]))
		j++;
	return j;
}

/* 12, 1.5, .5, 1e3: at most ST_EXPR_MAX_NUMBER, and not run into a name
 * (12abc is malformed, not 12 and abc). */
static int lex_number(lexer *x, st_tok *t)
{
	const char *s = x->s;
	size_t n = x->n, i = x->i;
	size_t j = digits(x, i);
	if (j + 1 < n && s[j] == '.' && isdigit((unsigned char)s[j + 1]))
		j = digits(x, j + 1);
	if (j < n && (s[j] == 'e' || s[j] == 'E')) {
		size_t k = j + 1;
		if (k < n && (s[k] == '+' || s[k] == '-'))
			k++;
		if (k < n && isdigit((unsigned char)s[k]))
			j = digits(x, k);
	}
	if (j < n && is_ident_char((unsigned char)s[j])) {
		size_t k = j;
		while (k < n && k - i < 40 && is_ident_char((unsigned char)s[k]))
			k++;
		return fail_at(x, i, k - i, "malformed number '%s'",
		               st_strndup(x->a, s + i, k - i));
	}
	char *lit = st_strndup(x->a, s + i, j - i);
	errno = 0;
	double v = strtod(lit, NULL);
	if (errno == ERANGE || !isfinite(v) || v > ST_EXPR_MAX_NUMBER) {
		const char *show = j - i > 40 ? st_sprintf(x->a, "%.20s...", lit)
		                              : lit;
		return fail_at(x, i, j - i, v != 0 ? "number '%s' is too large"
		               : "number '%s' is out of range", show);
	}
	t->kind = TK_NUM;
	t->num = v;
	t->len = j - i;
	x->i = j;
	return 0;
}

/* A name, or a reserved word (expr_builtin.c). */
static int lex_word(lexer *x, st_tok *t)
{
	size_t i = x->i, j = i;
	while (j < x->n && is_ident_char((unsigned char)x->s[j]))
		j++;
	t->kind = st_expr_keyword(x->s + i, j - i);
	t->str = st_strndup(x->a, x->s + i, j - i);
	t->len = j - i;
	x->i = j;
	return 0;
}

/* "text" or 'text', with \\ and \" (or \') as the only escapes. */
static int lex_text(lexer *x, st_tok *t)
{
	const char *s = x->s;
	size_t n = x->n, i = x->i, j = i + 1;
	char q = s[i];
	st_buf b;
	st_buf_init(&b);
	while (j < n && s[j] != q) {
		if (s[j] == '\\' && j + 1 < n && (s[j + 1] == '\\' || s[j + 1] == q)) {
			st_buf_addc(&b, s[j + 1]);
			j += 2;
		} else {
			st_buf_addc(&b, s[j]);
			j++;
		}
	}
	if (j >= n) {
		st_buf_release(&b);
		return fail_at(x, i, 1, "unterminated text: no closing %s",
		               q == '"' ? "'\"'" : "\"'\"");
	}
	t->kind = TK_STR;
	t->str = st_strndup(x->a, b.data ? b.data : "", b.len);
	st_buf_release(&b);
	t->len = j + 1 - i;
	x->i = j + 1;
	return 0;
}

/* An operator or punctuation; the operators of other languages (!, &&,
 * ||) are refused with the word to use. */
static int lex_punct(lexer *x, st_tok *t)
{
	const char *s = x->s;
	size_t i = x->i;
	unsigned char c = (unsigned char)s[i];
	char c2 = i + 1 < x->n ? s[i + 1] : 0;
	t->len = 1;
	switch (c) {
	case '(': t->kind = TK_LPAREN; break;
	case ')': t->kind = TK_RPAREN; break;
	case ',': t->kind = TK_COMMA; break;
	case '+': t->kind = TK_PLUS; break;
	case '-': t->kind = TK_MINUS; break;
	case '*': t->kind = TK_STAR; break;
	case '/': t->kind = TK_SLASH; break;
	case '.':
		t->kind = c2 == '.' ? TK_DOTDOT : TK_DOT;
		t->len = c2 == '.' ? 2 : 1;
		break;
	case '=':
		if (c2 == '>' || c2 == '<')
			return fail_at(x, i, 2, c2 == '>' ?
			               ST_N("'=>' is not an operator: use '>='%s") :
			               ST_N("'=<' is not an operator: use '<='%s"), "");
		t->kind = TK_EQ;
		t->len = c2 == '=' ? 2 : 1;
		break;
	case '!':
		if (c2 != '=')
			return fail_at(x, i, 1, "'!' is not an operator: use "
			               "'not'%s", "");
		t->kind = TK_NE;
		t->len = 2;
		break;
	case '<':
		t->kind = c2 == '=' ? TK_LE : c2 == '>' ? TK_NE : TK_LT;
		t->len = c2 == '=' || c2 == '>' ? 2 : 1;
		break;
	case '>':
		t->kind = c2 == '=' ? TK_GE : TK_GT;
		t->len = c2 == '=' ? 2 : 1;
		break;
	case '&':
		return fail_at(x, i, c2 == '&' ? 2 : 1,
		               "'%s' is not an operator: use 'and'",
		               c2 == '&' ? "&&" : "&");
	case '|':
		return fail_at(x, i, c2 == '|' ? 2 : 1,
		               "'%s' is not an operator: use 'or'",
		               c2 == '|' ? "||" : "|");
	default:
		if (c < 0x20 || c == 0x7f)
			return fail_at(x, i, 1, "unexpected control character %s",
			               st_sprintf(x->a, "0x%02x", c));
		return fail_at(x, i, utf8_len(c), "unexpected character '%s'",
		               st_strndup(x->a, s + i, utf8_len(c)));
	}
	x->i += t->len;
	return 0;
}

int st_expr_lex(st_tok **toks, size_t *ntoks, st_arena *a, st_diags *d,
                const st_expr *e)
{
	lexer x = { a, d, e, e->src ? e->src : "", 0, 0 };
	size_t bad = 0;
	st_tok *out = NULL;
	size_t nout = 0, cap = 0;

	x.n = strlen(x.s);
	*toks = NULL;
	*ntoks = 0;
	if (x.n > ST_EXPR_MAX_BYTES) {
		st_diag(d, ST_ERROR, "expr-limit", st_expr_span(e, 0, 1),
		        "expression is %zu bytes long, more than the limit of "
		        "%u", x.n, ST_EXPR_MAX_BYTES);
		return 1;
	}
	if (!st_utf8_valid(x.s, x.n, &bad))
		return lex_error(d, e, bad, 1, "expr-syntax",
		                 "invalid UTF-8 in expression%s", "");
	while (x.i < x.n) {
		unsigned char c = (unsigned char)x.s[x.i];
		st_tok t = { 0 };
		t.off = x.i;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			x.i++;
			continue;
		}
		int rc = isdigit(c) || (c == '.' && x.i + 1 < x.n &&
		                        isdigit((unsigned char)x.s[x.i + 1]))
		         ? lex_number(&x, &t)
		         : is_ident_start(c) ? lex_word(&x, &t)
		         : c == '"' || c == '\'' ? lex_text(&x, &t)
		         : lex_punct(&x, &t);
		if (rc)
			return rc;
		ST_PUSH(a, out, nout, cap, t);
	}
	st_tok eof = { 0 };
	eof.kind = TK_EOF;
	eof.off = x.n;
	ST_PUSH(a, out, nout, cap, eof);
	*toks = out;
	*ntoks = nout;
	return 0;
}

const char *st_tok_show(st_arena *a, const st_expr *e, const st_tok *t)
{
	if (t->kind == TK_EOF)
		return st_tr("the end of the expression");
	size_t len = t->len > 40 ? 40 : t->len;
	return st_sprintf(a, "'%.*s%s'", (int)len, e->src + t->off,
	                  t->len > 40 ? "..." : "");
}

st_span st_expr_span(const st_expr *e, size_t off, size_t len)
{
	if (e->node)
		return st_yaml_pos(e->node, off, len);
	st_span sp = e->sp;
	if (!sp.line || !e->src)
		return sp;
	/* Walk the source to the offset: lines and columns from the start. */
	int line = sp.line, col = sp.col;
	for (size_t i = 0; i < off && e->src[i]; i++) {
		if (e->src[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	sp.line = line;
	sp.col = col;
	sp.end_line = line;
	sp.end_col = col + (int)(len ? len - 1 : 0);
	return sp;
}
