/*
 * fhir_path.c — Steg expressions as FHIRPath with Steg's meaning
 * (fhir_path.h).  The value of a choice item is its weight, through the
 * SDC supplement's weight(); of other items the answer itself; a score is
 * the answer of its read-only item.  A missing value is the empty
 * collection, which FHIRPath's arithmetic already passes on; what
 * FHIRPath does differently (three-valued conditions, count of a false
 * yes/no, round below zero) is spelled out here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fhir_path.h"
#include "vocab.h"

/* What kind of value a node stands for, as far as the translation needs
 * to know: the type checker has run on the bundle, but the exporter parses
 * its own copy, so the kinds are read off the tree and the form. */
enum { K_NUM, K_TEXT, K_BOOL, K_DATE };

static const st_item *item_named(const sc_fhirpath *c, const char *id)
{
	size_t i;
	if (!id || !st_strmap_get(c->items, id, &i))
		return NULL;
	return &c->f->items[i];
}

static int score_named(const sc_fhirpath *c, const char *id)
{
	for (size_t i = 0; i < c->f->nscores; i++)
		if (c->f->scores[i].id && !strcmp(c->f->scores[i].id, id))
			return 1;
	return 0;
}

static int item_kind(const st_item *it)
{
	switch (it->type) {
	case ST_Q_TEXT:
	case ST_Q_LONGTEXT: return K_TEXT;
	case ST_Q_BOOLEAN: return K_BOOL;
	case ST_Q_DATE: return K_DATE;
	default: return K_NUM;
	}
}

static int kind_of(const sc_fhirpath *c, const st_ast *n, int depth)
{
	if (depth > 250)
		return K_NUM;
	switch (n->kind) {
	case ST_AST_STR: return K_TEXT;
	case ST_AST_BOOL:
	case ST_AST_NOT: return K_BOOL;
	case ST_AST_NAME: {
		const st_item *it = n->member ? NULL : item_named(c, n->name);
		return it ? item_kind(it) : K_NUM;
	}
	case ST_AST_BIN:
		if (n->op >= ST_OP_EQ)
			return K_BOOL;   /* comparisons, and, or */
		/* date - date is days; date +/- days a date */
		if (kind_of(c, n->args[0], depth + 1) == K_DATE)
			return n->op == ST_OP_SUB &&
			       kind_of(c, n->args[1], depth + 1) == K_DATE ?
			       K_NUM : K_DATE;
		return kind_of(c, n->args[1], depth + 1) == K_DATE ? K_DATE
		                                                 : K_NUM;
	case ST_AST_CALL:
		if (n->op == ST_FN_ANSWERED || n->op == ST_FN_COMPLETED ||
		    n->op == ST_FN_REVIEWED)
			return K_BOOL;
		if (n->op == ST_FN_IF && n->nargs == 3)
			return kind_of(c, n->args[1], depth + 1);
		return K_NUM;
	default:
		return K_NUM;
	}
}

static int expr(const sc_fhirpath *c, st_buf *b, const st_ast *n, int depth);

/* A number as FHIRPath writes it: no exponent; whole numbers beyond
 * FHIRPath's 32-bit Integer as decimals. */
static void number(st_buf *b, double v)
{
	char s[64];
	if (v < 0) {
		st_buf_adds(b, "(0 - ");
		number(b, -v);
		st_buf_addc(b, ')');
		return;
	}
	if (v == floor(v) && v < 2147483648.0) {
		st_buf_printf(b, "%.0f", v);
		return;
	}
	int e = v > 0 ? (int)floor(log10(v)) : 0;
	int prec = 15 - 1 - e;
	if (prec < 1)
		prec = 1;
	if (prec > 40)
		prec = 40;
	snprintf(s, sizeof s, "%.*f", prec, v);
	size_t k = strlen(s);
	while (k > 1 && s[k - 1] == '0' && s[k - 2] != '.')
		s[--k] = '\0';
	st_buf_adds(b, s);
}

static void text(st_buf *b, const char *s)
{
	st_buf_addc(b, '\'');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\'': st_buf_adds(b, "\\'"); break;
		case '\\': st_buf_adds(b, "\\\\"); break;
		case '\n': st_buf_adds(b, "\\n"); break;
		case '\r': st_buf_adds(b, "\\r"); break;
		case '\t': st_buf_adds(b, "\\t"); break;
		default:
			if (*p < 0x20)
				st_buf_printf(b, "\\u%04x", *p);
			else
				st_buf_addc(b, (char)*p);
		}
	}
	st_buf_addc(b, '\'');
}

/* The value of item it (the weight of the chosen option for a choice). */
static void item_value(st_buf *b, const st_item *it)
{
	st_buf_printf(b, "%%resource.item.where(linkId='%s').answer.value%s",
	              it->id, it->type == ST_Q_CHOICE ? ".weight()" : "");
}

/* n as a two-valued condition: true, or false where Steg's evaluator says
 * false, a missing value included (st_value_true). */
static int truth(const sc_fhirpath *c, st_buf *b, const st_ast *n, int depth)
{
	int two_valued = n->kind == ST_AST_BOOL || n->kind == ST_AST_NOT ||
	        (n->kind == ST_AST_BIN && n->op >= ST_OP_EQ) ||
	        (n->kind == ST_AST_CALL && n->op == ST_FN_ANSWERED);
	if (two_valued)
		return expr(c, b, n, depth);
	st_buf_adds(b, "iif(");
	if (expr(c, b, n, depth))
		return -1;
	st_buf_adds(b, ", true, false)");
	return 0;
}

/* The items argument arg stands for, *from to *to: 1 for an item or a
 * range of items, 0 for another expression, -1 for a range that is not
 * one. */
static int arg_items(const sc_fhirpath *c, const st_ast *arg, size_t *from,
                     size_t *to)
{
	*from = *to = 0;
	if (arg->kind == ST_AST_RANGE) {
		if (!st_strmap_get(c->items, arg->name, from) ||
		    !st_strmap_get(c->items, arg->member, to) || *to < *from)
			return -1;
		return 1;
	}
	if (arg->kind == ST_AST_NAME && !arg->member &&
	    st_strmap_get(c->items, arg->name, from)) {
		*to = *from;
		return 1;
	}
	return 0;
}

/* How an item's answers join a collection: 0 as they are, 1 by weight
 * (choice), 2 a yes/no (count keeps only the true ones). */
static int item_class(const st_item *it)
{
	return it->type == ST_Q_CHOICE ? 1 : it->type == ST_Q_BOOLEAN ? 2 : 0;
}

/* The arguments of a call that are all items, of one class, as one
 * where() over their linkIds; 0, or 1 when they are not such. */
static int simple_collection(const sc_fhirpath *c, st_buf *b,
                             const st_ast *call, size_t *count, int trues)
{
	size_t from, to, cnt = 0, nitems = c->f->nitems;
	int cls = -1;
	/* linkId in (...) finds an item once: each at most once here */
	unsigned char seen[256] = { 0 };
	if (nitems > sizeof seen)
		return 1;
	for (size_t i = 0; i < call->nargs; i++) {
		if (arg_items(c, call->args[i], &from, &to) != 1)
			return 1;
		for (size_t j = from; j <= to; j++) {
			int k = item_class(&c->f->items[j]);
			if ((cls >= 0 && k != cls) || seen[j]++)
				return 1;
			cls = k;
		}
	}
	if (cls < 0)
		return 1;
	st_buf_adds(b, "%resource.item.where(linkId in (");
	for (size_t i = 0; i < call->nargs; i++) {
		arg_items(c, call->args[i], &from, &to);
		for (size_t j = from; j <= to; j++)
			st_buf_printf(b, "%s'%s'", cnt++ ? " | " : "",
			              c->f->items[j].id);
	}
	st_buf_printf(b, ")).answer.value%s", cls == 1 ? ".weight()" :
	              cls == 2 && trues ? ".where($this = true)" : "");
	*count = cnt;
	return 0;
}

/* The elements of an aggregate's arguments as one collection (combine
 * keeps duplicates, which | would drop); *count receives how many there
 * are when every one is answered.  With trues (count), a yes/no element
 * is kept only when it is true. */
static int collection(const sc_fhirpath *c, st_buf *b, const st_ast *call,
                      size_t *count, int depth, int trues)
{
	size_t cnt = 0, from, to;
	int first = 1;
	const char *keep = trues ? ".where($this = true)" : "";

	if (simple_collection(c, b, call, count, trues) == 0)
		return 0;
	for (size_t i = 0; i < call->nargs; i++) {
		const st_ast *arg = call->args[i];
		int r = arg_items(c, arg, &from, &to);
		if (r < 0)
			return -1;
		if (r == 0) {
			st_buf_adds(b, first ? "(" : ".combine(");
			if (expr(c, b, arg, depth + 1))
				return -1;
			/* inside the parentheses: after them, where() would
			 * filter everything combined so far */
			st_buf_printf(b, "%s)", kind_of(c, arg, 0) == K_BOOL ?
			              keep : "");
			first = 0;
			cnt++;
			continue;
		}
		for (size_t j = from; j <= to; j++) {
			const st_item *it = &c->f->items[j];
			st_buf_adds(b, first ? "(" : ".combine(");
			item_value(b, it);
			st_buf_printf(b, "%s)", it->type == ST_Q_BOOLEAN ? keep
			                                                 : "");
			first = 0;
			cnt++;
		}
	}
	if (first)
		return -1;
	*count = cnt;
	return 0;
}

/* sum, mean, min, max, count, answered over one collection. */
static int aggregate(const sc_fhirpath *c, st_buf *b, const st_ast *n,
                     int depth)
{
	st_buf x;
	size_t cnt = 0;
	st_buf_init(&x);
	if (collection(c, &x, n, &cnt, depth, n->op == ST_FN_COUNT) ||
	    x.len > FHIRPATH_MAX / 4) {
		st_buf_release(&x);
		return -1;
	}
	switch (n->op) {
	case ST_FN_SUM:
		/* arithmetic: missing when one element is */
		st_buf_printf(b, "iif(%s.count() = %zu, %s.aggregate($total "
		              "+ $this, 0), {})", x.data, cnt, x.data);
		break;
	case ST_FN_MIN:
	case ST_FN_MAX:
		st_buf_printf(b, "iif(%s.count() = %zu, %s.aggregate(iif("
		              "$total.empty() or $this %s $total, $this, "
		              "$total)), {})", x.data, cnt, x.data,
		              n->op == ST_FN_MIN ? "<" : ">");
		break;
	case ST_FN_MEAN:
		/* skips missing elements; none at all is 0 / 0, empty */
		st_buf_printf(b, "(%s.aggregate($total + $this, 0) / "
		              "%s.count())", x.data, x.data);
		break;
	case ST_FN_COUNT:
		st_buf_printf(b, "%s.count()", x.data);
		break;
	default:
		st_buf_printf(b, "(%s.count() = %zu)", x.data, cnt);
		break;
	}
	st_buf_release(&x);
	return 0;
}

/* round(x) and round(x, n), n a whole number 0..15 written out: halves
 * away from zero, as the evaluator rounds (FHIRPath's round() takes them
 * up, so -2.5 would become -2). */
static int round_call(const sc_fhirpath *c, st_buf *b, const st_ast *n,
                      int depth)
{
	char digits[8] = "";
	if (n->nargs == 2) {
		const st_ast *d = n->args[1];
		if (d->kind != ST_AST_NUM || d->num != floor(d->num) ||
		    d->num < 0 || d->num > 15)
			return -1;
		snprintf(digits, sizeof digits, "%d", (int)d->num);
	}
	st_buf_addc(b, '(');
	if (expr(c, b, n->args[0], depth + 1))
		return -1;
	st_buf_printf(b, ").select(iif($this < 0, 0 - (0 - $this).round(%s), "
	              "$this.round(%s)))", digits, digits);
	return 0;
}

/* A call of a built-in; completed, reviewed and days_since have no
 * FHIRPath (and no place in a form). */
static int call(const sc_fhirpath *c, st_buf *b, const st_ast *n, int depth)
{
	switch (n->op) {
	case ST_FN_SUM:
	case ST_FN_MIN:
	case ST_FN_MAX:
	case ST_FN_MEAN:
	case ST_FN_COUNT:
	case ST_FN_ANSWERED:
		return aggregate(c, b, n, depth);
	case ST_FN_IF:
		if (n->nargs != 3)
			return -1;
		/* iif() takes an empty criterion as false, as Steg does */
		st_buf_adds(b, "iif(");
		for (size_t i = 0; i < 3; i++) {
			if (i)
				st_buf_adds(b, ", ");
			if (expr(c, b, n->args[i], depth + 1))
				return -1;
		}
		st_buf_addc(b, ')');
		return 0;
	case ST_FN_ROUND:
		if (n->nargs < 1 || n->nargs > 2)
			return -1;
		return round_call(c, b, n, depth);
	case ST_FN_ABS:
		if (n->nargs != 1)
			return -1;
		st_buf_addc(b, '(');
		if (expr(c, b, n->args[0], depth + 1))
			return -1;
		st_buf_adds(b, ").abs()");
		return 0;
	default:
		return -1;
	}
}

static const char *const ops[] = {
	[ST_OP_ADD] = "+", [ST_OP_SUB] = "-", [ST_OP_MUL] = "*",
	[ST_OP_DIV] = "/", [ST_OP_EQ] = "=", [ST_OP_NE] = "!=",
	[ST_OP_LT] = "<", [ST_OP_LE] = "<=", [ST_OP_GT] = ">",
	[ST_OP_GE] = ">=", [ST_OP_AND] = "and", [ST_OP_OR] = "or",
};

static int binary(const sc_fhirpath *c, st_buf *b, const st_ast *n,
                  int depth)
{
	if (n->op < ST_OP_ADD || n->op > ST_OP_OR || n->nargs != 2)
		return -1;
	int logic = n->op == ST_OP_AND || n->op == ST_OP_OR;
	int cmp = !logic && n->op >= ST_OP_EQ;
	if (!logic && !cmp && (kind_of(c, n->args[0], depth) == K_DATE ||
	                       kind_of(c, n->args[1], depth) == K_DATE))
		return -1;   /* days between dates: FHIRPath R4 has none */
	st_buf_adds(b, cmp ? "iif(" : "(");
	if ((logic ? truth : expr)(c, b, n->args[0], depth + 1))
		return -1;
	st_buf_printf(b, " %s ", ops[n->op]);
	if ((logic ? truth : expr)(c, b, n->args[1], depth + 1))
		return -1;
	/* a comparison with a missing value is false, not empty */
	st_buf_adds(b, cmp ? ", true, false)" : ")");
	return 0;
}

static int expr(const sc_fhirpath *c, st_buf *b, const st_ast *n, int depth)
{
	if (depth > 250 || b->len > FHIRPATH_MAX)
		return -1;
	switch (n->kind) {
	case ST_AST_NUM:
		number(b, n->num);
		return 0;
	case ST_AST_BOOL:
		st_buf_adds(b, n->num ? "true" : "false");
		return 0;
	case ST_AST_STR:
		text(b, n->name);
		return 0;
	case ST_AST_NAME: {
		if (n->member)
			return -1;   /* another form's score */
		const st_item *it = item_named(c, n->name);
		if (it)
			item_value(b, it);
		else if (score_named(c, n->name))
			st_buf_printf(b, "%%resource.item.where(linkId='%s')"
			              ".answer.value", n->name);
		else
			return -1;
		return 0;
	}
	case ST_AST_NEG:
		st_buf_adds(b, "(0 - ");
		if (expr(c, b, n->args[0], depth + 1))
			return -1;
		st_buf_addc(b, ')');
		return 0;
	case ST_AST_NOT:
		st_buf_addc(b, '(');
		if (truth(c, b, n->args[0], depth + 1))
			return -1;
		st_buf_adds(b, ").not()");
		return 0;
	case ST_AST_BIN:
		return binary(c, b, n, depth);
	case ST_AST_CALL:
		return call(c, b, n, depth);
	default:
		return -1;   /* a range outside an aggregate */
	}
}

int sc_fhirpath_expr(const sc_fhirpath *c, st_buf *b, const st_ast *n)
{
	if (!n || expr(c, b, n, 0) || b->len > FHIRPATH_MAX)
		return -1;
	return 0;
}

int sc_fhirpath_prorated(const sc_fhirpath *c, st_buf *b, const st_ast *n,
                         int prorate)
{
	if (!n || n->kind != ST_AST_CALL || n->op != ST_FN_SUM)
		return -1;
	st_buf x;
	size_t cnt = 0;
	st_buf_init(&x);
	if (collection(c, &x, n, &cnt, 0, 0) || cnt <= (size_t)prorate) {
		st_buf_release(&x);
		return -1;
	}
	st_buf_printf(b, "iif(%s.count() >= %zu, (%s.aggregate($total + "
	              "$this, 0) * %zu / %s.count()).select(iif($this < 0, "
	              "0 - (0 - $this).round(), $this.round())), {})", x.data,
	              cnt - (size_t)prorate, x.data, cnt, x.data);
	st_buf_release(&x);
	return 0;
}
