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
#include "ynode.h"

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident_char(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static st_tok_kind keyword(const char *s, size_t n)
{
	static const struct { const char *w; st_tok_kind k; } kw[] = {
		{ "and", TK_AND }, { "or", TK_OR }, { "not", TK_NOT },
		{ "true", TK_TRUE }, { "false", TK_FALSE },
	};
	for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
		if (strlen(kw[i].w) == n && !memcmp(kw[i].w, s, n))
			return kw[i].k;
	return TK_IDENT;
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

int st_expr_lex(st_tok **toks, size_t *ntoks, st_arena *a, st_diags *d,
                const st_expr *e)
{
	const char *s = e->src ? e->src : "";
	size_t n = strlen(s), bad = 0;
	st_tok *out = NULL;
	size_t nout = 0, cap = 0;

	*toks = NULL;
	*ntoks = 0;
	if (n > ST_EXPR_MAX_BYTES) {
		st_diag(d, ST_ERROR, "expr-limit", st_expr_span(e, 0, 1),
		        "expression is %zu bytes long, more than the limit of "
		        "%u", n, ST_EXPR_MAX_BYTES);
		return 1;
	}
	if (!st_utf8_valid(s, n, &bad))
		return lex_error(d, e, bad, 1, "expr-syntax",
		                 "invalid UTF-8 in expression%s", "");

	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		st_tok t = { 0 };
		t.off = i;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (isdigit(c) || (c == '.' && i + 1 < n &&
		                   isdigit((unsigned char)s[i + 1]))) {
			size_t j = i;
			while (j < n && isdigit((unsigned char)s[j]))
				j++;
			if (j + 1 < n && s[j] == '.' &&
			    isdigit((unsigned char)s[j + 1])) {
				j++;
				while (j < n && isdigit((unsigned char)s[j]))
					j++;
			}
			if (j < n && (s[j] == 'e' || s[j] == 'E')) {
				size_t k = j + 1;
				if (k < n && (s[k] == '+' || s[k] == '-'))
					k++;
				if (k < n && isdigit((unsigned char)s[k])) {
					while (k < n && isdigit((unsigned char)s[k]))
						k++;
					j = k;
				}
			}
			if (j < n && is_ident_char((unsigned char)s[j])) {
				size_t k = j;
				while (k < n && k - i < 40 &&
				       is_ident_char((unsigned char)s[k]))
					k++;
				return lex_error(d, e, i, k - i, "expr-syntax",
				                 "malformed number '%s'",
				                 st_strndup(a, s + i, k - i));
			}
			char *lit = st_strndup(a, s + i, j - i);
			errno = 0;
			double v = strtod(lit, NULL);
			if (errno == ERANGE || !isfinite(v) ||
			    v > ST_EXPR_MAX_NUMBER) {
				const char *show = j - i > 40
					? st_sprintf(a, "%.20s...", lit) : lit;
				return lex_error(d, e, i, j - i, "expr-syntax",
				                 v != 0
				                 ? "number '%s' is too large"
				                 : "number '%s' is out of range", show);
			}
			t.kind = TK_NUM;
			t.num = v;
			t.len = j - i;
			i = j;
		} else if (is_ident_start(c)) {
			size_t j = i;
			while (j < n && is_ident_char((unsigned char)s[j]))
				j++;
			t.kind = keyword(s + i, j - i);
			t.str = st_strndup(a, s + i, j - i);
			t.len = j - i;
			i = j;
		} else if (c == '"' || c == '\'') {
			st_buf b;
			size_t j = i + 1;
			st_buf_init(&b);
			while (j < n && s[j] != (char)c) {
				if (s[j] == '\\' && j + 1 < n &&
				    (s[j + 1] == '\\' || s[j + 1] == (char)c)) {
					st_buf_addc(&b, s[j + 1]);
					j += 2;
				} else {
					st_buf_addc(&b, s[j]);
					j++;
				}
			}
			if (j >= n) {
				st_buf_release(&b);
				return lex_error(d, e, i, 1, "expr-syntax",
				                 "unterminated text: no closing %s",
				                 c == '"' ? "'\"'" : "\"'\"");
			}
			t.kind = TK_STR;
			t.str = st_strndup(a, b.data ? b.data : "", b.len);
			st_buf_release(&b);
			t.len = j + 1 - i;
			i = j + 1;
		} else {
			char c2 = i + 1 < n ? s[i + 1] : 0;
			t.len = 1;
			switch (c) {
			case '(': t.kind = TK_LPAREN; break;
			case ')': t.kind = TK_RPAREN; break;
			case ',': t.kind = TK_COMMA; break;
			case '+': t.kind = TK_PLUS; break;
			case '-': t.kind = TK_MINUS; break;
			case '*': t.kind = TK_STAR; break;
			case '/': t.kind = TK_SLASH; break;
			case '.':
				if (c2 == '.') {
					t.kind = TK_DOTDOT;
					t.len = 2;
				} else {
					t.kind = TK_DOT;
				}
				break;
			case '=':
				t.kind = TK_EQ;
				if (c2 == '=')
					t.len = 2;
				break;
			case '!':
				if (c2 != '=')
					return lex_error(d, e, i, 1, "expr-syntax",
					                 "'!' is not an operator: use "
					                 "'not'%s", "");
				t.kind = TK_NE;
				t.len = 2;
				break;
			case '<':
				t.kind = c2 == '=' ? TK_LE : TK_LT;
				if (c2 == '=')
					t.len = 2;
				else if (c2 == '>') {
					t.kind = TK_NE;
					t.len = 2;
				}
				break;
			case '>':
				t.kind = c2 == '=' ? TK_GE : TK_GT;
				if (c2 == '=')
					t.len = 2;
				break;
			case '&':
				return lex_error(d, e, i, c2 == '&' ? 2 : 1,
				                 "expr-syntax",
				                 "'%s' is not an operator: use 'and'",
				                 c2 == '&' ? "&&" : "&");
			case '|':
				return lex_error(d, e, i, c2 == '|' ? 2 : 1,
				                 "expr-syntax",
				                 "'%s' is not an operator: use 'or'",
				                 c2 == '|' ? "||" : "|");
			default: {
				size_t l = utf8_len(c);
				if (c < 0x20 || c == 0x7f)
					return lex_error(d, e, i, 1, "expr-syntax",
					                 "unexpected control character "
					                 "%s", st_sprintf(a, "0x%02x", c));
				return lex_error(d, e, i, l, "expr-syntax",
				                 "unexpected character '%s'",
				                 st_strndup(a, s + i, l));
			}
			}
			i += t.len;
		}
		ST_PUSH(a, out, nout, cap, t);
	}
	st_tok eof = { 0 };
	eof.kind = TK_EOF;
	eof.off = n;
	ST_PUSH(a, out, nout, cap, eof);
	*toks = out;
	*ntoks = nout;
	return 0;
}

const char *st_tok_show(st_arena *a, const st_expr *e, const st_tok *t)
{
	if (t->kind == TK_EOF)
		return "the end of the expression";
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
