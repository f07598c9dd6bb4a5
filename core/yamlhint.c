/*
 * yamlhint.c — hints for YAML syntax errors in unquoted text (yamlhint.h).
 *
 * The line is read as indentation, any "- " list dashes, a plain key, ':'
 * and the value up to the line's end.  A hint is given only when the parser
 * stopped inside that value (not at the key's own colon: a line more
 * indented than the key above it is read as part of the text above, which
 * quotes would not fix).  Values that start a flow list or mapping ('[',
 * '{') are left alone: they are meant as YAML.
 */
#include "yamlhint.h"
#include "i18n.h"

#include <string.h>

#include "util.h"

/* A key or value longer than this is not repeated in the hint, so that a
 * megabyte line does not make a megabyte message. */
#define HINT_MAX_KEY 64
#define HINT_MAX_VALUE 200

/* Short enough and free of control bytes (a tab aside) to quote in a
 * message. */
static int printable(const char *s, size_t n, size_t max)
{
	if (n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return 0;
	return 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Why the parser stopped, in the designer's terms, from the value's first
 * byte and the byte where it stopped (at_end: the last of the line). */
static const char *reason(const char *v, size_t vn, char at, int at_end)
{
	switch (v[0]) {
	case '*': return st_tr("a text that starts with '*' is read as an alias");
	case '&': return st_tr("a text that starts with '&' is read as an anchor");
	case '!': return st_tr("a text that starts with '!' is read as a tag");
	case '|':
	case '>': return st_tr("a text that starts with '|' or '>' is read as a "
	                       "block text marker");
	case '@':
	case '`':
	case '%': return st_tr("a text without quotes cannot start with '@', '`' "
	                       "or '%'");
	case '"':
	case '\'': return st_tr("a text in quotes ends at its closing quote");
	case '-':
		if (vn == 1 || is_blank(v[1]))
			return st_tr("a text that starts with '- ' is read as a "
			             "list entry");
		break;
	default:
		break;
	}
	if (at == ':')
		return at_end ? st_tr("a ':' at the end of a line is read as a key")
		              : st_tr("': ' inside it is read as a new key");
	return st_tr("part of it is read as YAML syntax");
}

/* The value quoted as YAML: double quotes, or single quotes (with ' doubled)
 * when it holds '"' or '\', which double quotes would need escaped. */
static void add_quoted(st_buf *b, const char *v, size_t vn)
{
	if (!memchr(v, '"', vn) && !memchr(v, '\\', vn)) {
		st_buf_addc(b, '"');
		st_buf_add(b, v, vn);
		st_buf_addc(b, '"');
		return;
	}
	st_buf_addc(b, '\'');
	for (size_t i = 0; i < vn; i++) {
		if (v[i] == '\'')
			st_buf_addc(b, '\'');
		st_buf_addc(b, v[i]);
	}
	st_buf_addc(b, '\'');
}

int st_yaml_hint_line(const char *line, size_t n, size_t col, st_yaml_hint *h)
{
	if (col < n && line[col] == '\t') {
		size_t k = 0;
		while (k < n && (is_blank(line[k]) || line[k] == '\r'))
			k++;
		st_buf b;
		st_buf_init(&b);
		if (k == n)
			st_buf_adds(&b, st_tr("remove this tab: the line is blank but "
			                      "for it, and YAML does not allow tabs in "
			                      "indentation"));
		else if (col > 0 && line[col - 1] == '-')
			st_buf_adds(&b, st_tr("write a space instead of this tab after "
			                      "the list's '-'; YAML does not allow a tab "
			                      "there"));
		else
			st_buf_adds(&b, st_tr("indent with spaces instead of this tab; "
			                      "YAML does not allow tabs in indentation"));
		h->from = col;
		h->to = col + 1;
		h->msg = st_buf_detach(&b, NULL);
		return 1;
	}
	while (n > 0 && (line[n - 1] == '\r' || is_blank(line[n - 1])))
		n--;
	size_t i = 0;
	for (;;) {
		while (i < n && line[i] == ' ')
			i++;
		if (i < n && line[i] == '-' && (i + 1 == n || line[i + 1] == ' '))
			i++;
		else
			break;
	}
	if (i >= n || strchr("-?:,[]{}#&*!|>'\"%@`", line[i]))
		return 0;
	size_t k0 = i, colon = 0;
	for (; i < n; i++) {
		if (line[i] == '#' && is_blank(line[i - 1]))
			return 0;
		if (line[i] == ':' && (i + 1 == n || is_blank(line[i + 1]))) {
			colon = i;
			break;
		}
	}
	if (!colon)
		return 0;
	size_t k1 = colon;
	while (k1 > k0 && is_blank(line[k1 - 1]))
		k1--;
	size_t v0 = colon + 1;
	while (v0 < n && is_blank(line[v0]))
		v0++;
	if (k1 == k0 || v0 >= n || col < v0 || line[v0] == '[' || line[v0] == '{')
		return 0;
	if (!printable(line + k0, k1 - k0, HINT_MAX_KEY))
		return 0;
	const char *v = line + v0;
	size_t vn = n - v0;
	st_buf b;
	st_buf_init(&b);
	st_buf_printf(&b, st_tr_fmt("put the text of '%.*s' in quotes, since %s"),
	              (int)(k1 - k0), line + k0,
	              reason(v, vn, col < n ? line[col] : 0, col + 1 >= n));
	if (printable(v, vn, HINT_MAX_VALUE)) {
		st_buf_adds(&b, st_tr("; write it as "));
		st_buf_add(&b, line + k0, k1 - k0);
		st_buf_adds(&b, ": ");
		add_quoted(&b, v, vn);
	}
	h->from = v0;
	h->to = n;
	h->msg = st_buf_detach(&b, NULL);
	return 1;
}

/* ---- layout: indentation, dashes, keys ------------------------------- */

/* One line of the text, read as indentation and a first token: a list
 * dash, a key ("key:" or "key: value") or a text without a key. */
struct line {
	const char *s;
	size_t n;           /* bytes, without newline or trailing blanks */
	size_t ind;         /* leading spaces */
	int blank;          /* only blanks, or a comment */
	int dash;           /* the token at ind is a list '-' */
	size_t tok, tok_end;    /* the token after any dashes: a key or text */
	int key;            /* tok..tok_end is a key followed by ':' */
	size_t value;       /* where the key's value starts (n: none) */
};

static struct line get_line(const st_yaml_text *t, size_t i)
{
	struct line l;
	memset(&l, 0, sizeof l);
	size_t start = t->lines[i];
	size_t end = i + 1 < t->nlines ? t->lines[i + 1] - 1 : t->len;
	l.s = t->text + start;
	l.n = end - start;
	while (l.n > 0 && (l.s[l.n - 1] == '\r' || is_blank(l.s[l.n - 1])))
		l.n--;
	while (l.ind < l.n && l.s[l.ind] == ' ')
		l.ind++;
	l.blank = l.ind == l.n || l.s[l.ind] == '#' || l.s[l.ind] == '\t';
	if (l.blank)
		return l;
	size_t j = l.ind;
	l.dash = l.s[j] == '-' && (j + 1 == l.n || l.s[j + 1] == ' ');
	while (j < l.n && l.s[j] == '-' && (j + 1 == l.n || l.s[j + 1] == ' '))
		for (j++; j < l.n && l.s[j] == ' '; j++)
			;
	l.tok = j;
	l.value = l.n;
	for (size_t k = j; k < l.n; k++) {
		if (l.s[k] == '#' && k > j && is_blank(l.s[k - 1]))
			break;
		if (l.s[k] == ':' && k > j && (k + 1 == l.n || is_blank(l.s[k + 1]))) {
			l.key = 1;
			l.tok_end = k;
			for (l.value = k + 1; l.value < l.n && is_blank(l.s[l.value]); l.value++)
				;
			return l;
		}
	}
	l.tok_end = l.n;
	return l;
}

/* The token's text for a message, or NULL when unfit to quote. */
static int quotable(const struct line *l)
{
	return l->tok_end > l->tok &&
	       printable(l->s + l->tok, l->tok_end - l->tok, HINT_MAX_KEY);
}

/* A key's value is a text (not empty, not a block text, flow collection,
 * anchor or tag that a nested block may follow). */
static int value_is_text(const struct line *l)
{
	if (!l->key || l->value >= l->n)
		return 0;
	return !strchr("|>[{&!#", l->s[l->value]);
}

/* A column, a line: the 1-based numbers a message names. */
#define COL(t, c) ((int)(c) + 1 + (t)->col_base)
#define LINE(t, i) ((int)(i) + 1 + (t)->line_base)

/* One column in use above the stop: a key's or a list dash's. */
struct level {
	size_t line, col;
	int dash;
	struct line l;
};

/* The columns in use above line i, innermost first: each non-blank line
 * less indented than every line between it and i (at most max). */
static size_t levels_above(const st_yaml_text *t, size_t i, size_t lim,
                           struct level *out, size_t max)
{
	size_t n = 0;
	while (i-- > 0 && n < max) {
		struct line l = get_line(t, i);
		if (l.blank || l.ind >= lim)
			continue;
		if (l.dash && l.key && l.tok < lim && n < max)
			out[n++] = (struct level){ i, l.tok, 0, l };
		if (n < max)
			out[n++] = (struct level){ i, l.ind, l.dash, l };
		lim = l.ind;
		if (lim == 0)
			break;
	}
	return n;
}

static void describe_level(st_buf *b, const st_yaml_text *t, const struct level *v)
{
	if (v->dash)
		st_buf_printf(&*b, st_tr_fmt("the list's '-' at column %d (line %d)"),
		              COL(t, v->col), LINE(t, v->line));
	else if (v->l.key && printable(v->l.s + v->col, v->l.tok_end - v->col, HINT_MAX_KEY))
		st_buf_printf(b, st_tr_fmt("the key '%.*s' at column %d (line %d)"),
		              (int)(v->l.tok_end - v->col), v->l.s + v->col,
		              COL(t, v->col), LINE(t, v->line));
	else
		st_buf_printf(b, st_tr_fmt("line %d at column %d"), LINE(t, v->line),
		              COL(t, v->col));
}

static int finish(st_yaml_hint *h, st_buf *b, size_t line, size_t from, size_t to)
{
	h->line = line;
	h->from = from;
	h->to = to > from ? to : from + 1;
	h->msg = st_buf_detach(b, NULL);
	return 1;
}

/* The name of what stands at the start of line l, for a message. */
static void add_what(st_buf *b, const struct line *l)
{
	if (l->dash)
		st_buf_adds(b, st_tr("this '-'"));
	else if (quotable(l))
		st_buf_printf(b, "'%.*s'", (int)(l->tok_end - l->tok), l->s + l->tok);
	else
		st_buf_adds(b, st_tr("this line"));
}

/* "did not find expected key": the line lines up with no key or dash
 * above it; name the nearest column on each side. */
static int hint_unaligned(const st_yaml_text *t, const st_yaml_stop *s,
                          const struct line *l, st_yaml_hint *h)
{
	struct level lv[32];
	size_t n = levels_above(t, s->line, (size_t)-1, lv, 32);
	const struct level *in = NULL, *out = NULL;
	for (size_t k = 0; k < n; k++) {
		if (lv[k].col == l->ind)
			return 0;
		if (lv[k].col > l->ind)
			in = &lv[k];
		else if (!out)
			out = &lv[k];
	}
	if (!in && !out)
		return 0;
	st_buf b;
	st_buf_init(&b);
	add_what(&b, l);
	st_buf_printf(&b, st_tr_fmt(" at column %d lines up with nothing above it: "),
	              COL(t, l->ind));
	if (in)
		describe_level(&b, t, in);
	if (in && out)
		st_buf_adds(&b, st_tr(" is more indented, "));
	if (out)
		describe_level(&b, t, out);
	st_buf_adds(&b, in && out ? st_tr(" less; indent it as one of them")
	                          : st_tr("; indent it as that"));
	return finish(h, &b, s->line, l->ind, l->dash ? l->ind + 1 : l->tok_end);
}

/* "did not find expected '-' indicator": the parser reads a list whose
 * first '-' is at the context mark; this line is not its next entry. */
static int hint_list_entry(const st_yaml_text *t, const st_yaml_stop *s,
                           const struct line *l, st_yaml_hint *h)
{
	if (!s->has_ctx || s->ctx_line >= t->nlines)
		return 0;
	struct line first = get_line(t, s->ctx_line);
	size_t dash = s->ctx_col, entry = first.tok;
	if (first.blank || !first.dash || entry <= dash)
		return 0;
	st_buf b;
	st_buf_init(&b);
	if (l->dash && l->ind != dash) {
		st_buf_printf(&b, st_tr_fmt("this '-' is at column %d, but the entries of the "
		              "list it follows (from line %d) have their '-' at "
		              "column %d; move it to column %d"), COL(t, l->ind),
		              LINE(t, s->ctx_line), COL(t, dash), COL(t, dash));
		return finish(h, &b, s->line, l->ind, l->ind + 1);
	}
	if (l->dash || l->ind >= entry || l->ind < dash) {
		st_buf_release(&b);
		return 0;
	}
	add_what(&b, l);
	if (l->ind == dash)
		st_buf_printf(&b, st_tr_fmt(" is at the column of the list's '-' (line %d) "
		              "but has no '-' of its own: write '- ' before it to "
		              "begin a new entry, or indent it to column %d to add "
		              "it to the entry above"), LINE(t, s->ctx_line),
		              COL(t, entry));
	else
		st_buf_printf(&b, st_tr_fmt(" is at column %d, between the list's '-' "
		              "(column %d, line %d) and the keys of its entries "
		              "(column %d): indent it to column %d to add it to "
		              "the entry above, or write '- ' at column %d to begin "
		              "a new entry"), COL(t, l->ind), COL(t, dash),
		              LINE(t, s->ctx_line), COL(t, entry), COL(t, entry),
		              COL(t, dash));
	return finish(h, &b, s->line, l->ind, l->tok_end);
}

/* The previous non-blank line, or SIZE_MAX. */
static size_t line_before(const st_yaml_text *t, size_t i)
{
	while (i-- > 0)
		if (!get_line(t, i).blank)
			return i;
	return (size_t)-1;
}

/* s..e reads as a key a designer writes: letters (any UTF-8), digits,
 * '-' and '_'. */
static int is_word(const char *s, const char *e)
{
	for (; s < e; s++)
		if (!((unsigned char)*s >= 0x80 || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* A line that should be "key: value" and is not: its ':' has no space
 * after it, or it has no ':' at all. */
static int hint_no_key(const st_yaml_text *t, size_t i, st_yaml_hint *h)
{
	struct line l = get_line(t, i);
	if (l.blank || l.key || l.dash || !printable(l.s + l.tok, l.n - l.tok, HINT_MAX_VALUE))
		return 0;
	const char *c = memchr(l.s + l.tok, ':', l.n - l.tok);
	st_buf b;
	st_buf_init(&b);
	if (c && c > l.s + l.tok && c + 1 < l.s + l.n && c[1] != '/' &&
	    is_word(l.s + l.tok, c)) {
		size_t k = (size_t)(c - l.s);
		st_buf_printf(&b, st_tr_fmt("'%.*s' has no space after its ':', so it is not "
		              "read as a key but as a text; write it as %.*s: %.*s"),
		              (int)(l.n - l.tok), l.s + l.tok, (int)(k - l.tok),
		              l.s + l.tok, (int)(l.n - k - 1), c + 1);
	} else {
		st_buf_printf(&b, st_tr_fmt("'%.*s' stands among keys but has no 'key: ' "
		              "before it; write the key it is the value of before "
		              "it (KEY: %.*s)"), (int)(l.n - l.tok), l.s + l.tok,
		              (int)(l.n - l.tok), l.s + l.tok);
	}
	return finish(h, &b, i, l.tok, l.n);
}

/* "mapping values are not allowed" at this line's own key: the line is
 * read as more of a text above it, either a key's value above it or a
 * line without "key: " at its own indentation. */
static int hint_key_in_text(const st_yaml_text *t, const st_yaml_stop *s,
                            const struct line *l, st_yaml_hint *h)
{
	if (!l->key || s->col != l->tok_end || !quotable(l))
		return 0;
	struct level lv[1];
	if (levels_above(t, s->line, l->tok, lv, 1) == 1 && !lv[0].dash &&
	    value_is_text(&lv[0].l) && quotable(&lv[0].l)) {
		const struct line *p = &lv[0].l;
		st_buf b;
		st_buf_init(&b);
		st_buf_printf(&b, st_tr_fmt("'%.*s' is indented more than '%.*s' above it "
		              "(line %d), whose value is a text, so this line is "
		              "read as more of that text; to make '%.*s' a key of "
		              "its own, indent it as '%.*s' is (column %d)"),
		              (int)(l->tok_end - l->tok), l->s + l->tok,
		              (int)(p->tok_end - p->tok), p->s + p->tok,
		              LINE(t, lv[0].line), (int)(l->tok_end - l->tok),
		              l->s + l->tok, (int)(p->tok_end - p->tok),
		              p->s + p->tok, COL(t, p->tok));
		return finish(h, &b, s->line, l->tok, l->tok_end);
	}
	size_t i = line_before(t, s->line);
	if (i == (size_t)-1 || get_line(t, i).tok != l->tok)
		return 0;
	return hint_no_key(t, i, h);
}

int st_yaml_hint_layout(const st_yaml_text *t, const st_yaml_stop *s,
                        st_yaml_hint *h)
{
	if (!s->problem || s->line >= t->nlines)
		return 0;
	struct line l = get_line(t, s->line);
	if (!strcmp(s->problem, "could not find expected ':'"))
		return s->has_ctx && s->ctx_line < t->nlines &&
		       hint_no_key(t, s->ctx_line, h);
	if (l.blank)
		return 0;
	if (!strcmp(s->problem, "mapping values are not allowed in this context"))
		return hint_key_in_text(t, s, &l, h);
	if (s->col != l.ind)
		return 0;
	if (!strcmp(s->problem, "did not find expected '-' indicator") &&
	    hint_list_entry(t, s, &l, h))
		return 1;
	if (!strcmp(s->problem, "did not find expected key") ||
	    !strcmp(s->problem, "did not find expected '-' indicator"))
		return hint_unaligned(t, s, &l, h);
	return 0;
}
