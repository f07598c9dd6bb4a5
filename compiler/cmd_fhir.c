/*
 * cmd_fhir.c — rating forms as HL7 FHIR R4 Questionnaires, both ways
 * (issue 3; docs/fhir.md):
 *
 *   stegc export-fhir BUNDLE FORM [-o FILE]
 *   stegc import-fhir FILE [-o DIR] [--id ID] [--force]
 *
 * Export reads a verified bundle (core/bundle.h) and writes one form as a
 * Questionnaire: each item with its type; answer options as valueCoding
 * carrying the scoring weight in both extensions readers look for
 * (ordinalValue, R4, and itemWeight, R5/SDC); show-if as enableWhen where
 * it is a comparison of one item, or an and/or of such comparisons; each
 * score as a read-only item with an SDC calculatedExpression in FHIRPath
 * where the expression translates (sums, means, counts, arithmetic,
 * if/round/abs over this form's items).  What FHIR has no place for —
 * bands, alerts, the Steg source of an expression — travels in extensions
 * under urn:steg: so that a Questionnaire exported by Steg imports back to
 * the same form; other readers ignore them as FHIR allows.
 *
 * Import reads a Questionnaire (bounded size; jansson, whose parse errors
 * carry line and column) and writes forms/ID.yaml atomically.  Groups are
 * flattened, answer options come from answerOption or from a contained
 * ValueSet named by answerValueSet, weights from itemWeight or
 * ordinalValue, skip logic from enableWhen.  Anything it cannot carry over
 * is a warning (fhir-unsupported) naming the FHIR path of the element,
 * e.g. "item[3].item[0].answerValueSet", so that the designer knows what
 * to finish by hand; nothing is guessed silently.
 *
 * Both directions are pure translations over small documents (a form has
 * tens of items): the item lookups are linear scans, which is simpler and
 * as fast as a map at this size.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "commands.h"
#include "expr.h"
#include "model.h"
#include "util.h"

#define FHIR_MAX_BYTES (8u << 20)
/* Items of one questionnaire, groups included.  A rating form has tens;
 * the bound keeps a hostile file from making thousands. */
#define FHIR_MAX_ITEMS 2000

#define URL_ORDINAL "http://hl7.org/fhir/StructureDefinition/ordinalValue"
#define URL_WEIGHT "http://hl7.org/fhir/StructureDefinition/itemWeight"
#define URL_CALC "http://hl7.org/fhir/uv/sdc/StructureDefinition/" \
	"sdc-questionnaire-calculatedExpression"
#define URL_ENABLE_EXPR "http://hl7.org/fhir/uv/sdc/StructureDefinition/" \
	"sdc-questionnaire-enableWhenExpression"
#define URL_MIN "http://hl7.org/fhir/StructureDefinition/minValue"
#define URL_MAX "http://hl7.org/fhir/StructureDefinition/maxValue"
#define URL_CONTROL "http://hl7.org/fhir/StructureDefinition/" \
	"questionnaire-itemControl"
#define URL_SDC_PROFILE "http://hl7.org/fhir/uv/sdc/StructureDefinition/" \
	"sdc-questionnaire"
#define URL_STEG_EXPR "urn:steg:fhir:expression"
#define URL_STEG_BAND "urn:steg:fhir:band"
#define URL_STEG_ALERT "urn:steg:fhir:alert"
#define URL_STEG_REVERSE "urn:steg:fhir:reverse"
#define URL_STEG_SHOW_IF "urn:steg:fhir:show-if"
#define URL_STEG_MISSING "urn:steg:fhir:missing"

/* ====================================================================
 * Export
 * ==================================================================== */

typedef struct exporter {
	st_arena *a;
	st_diags *d;
	const st_form *f;
	const char *file;        /* display name for diagnostics */
	st_strmap *items;        /* item id -> index in f->items */
} exporter;

static st_span ex_span(const exporter *x, st_span sp)
{
	if (!sp.file) {
		sp.file = x->file;
		sp.line = sp.col = 0;
	}
	return sp;
}

static const st_option *item_options(const st_form *f, const st_item *it,
                                     size_t *n)
{
	if (it->noptions) {
		*n = it->noptions;
		return it->options;
	}
	*n = f->noptions;
	return f->options;
}

static int is_choice(const st_item *it)
{
	return !it->type || !strcmp(it->type, "choice");
}

/* The scoring value of option o of item it: reversed items count from the
 * other end (model.h: value = max + min - answer). */
static double option_weight(const st_form *f, const st_item *it, size_t o)
{
	size_t n;
	const st_option *op = item_options(f, it, &n);
	if (!it->reverse || !n)
		return op[o].value;
	double lo = op[0].value, hi = op[0].value;
	for (size_t i = 1; i < n; i++) {
		lo = fmin(lo, op[i].value);
		hi = fmax(hi, op[i].value);
	}
	return hi + lo - op[o].value;
}

static const st_item *find_item(const exporter *x, const char *id,
                                 size_t *idx)
{
	size_t i;
	if (!id || !st_strmap_get(x->items, id, &i))
		return NULL;
	if (idx)
		*idx = i;
	return &x->f->items[i];
}

static const st_score *find_score(const st_form *f, const char *id)
{
	for (size_t i = 0; i < f->nscores; i++)
		if (f->scores[i].id && !strcmp(f->scores[i].id, id))
			return &f->scores[i];
	return NULL;
}

static char *fmt_num(st_arena *a, double v)
{
	return st_sprintf(a, "%.15g", v);
}

static json_t *decimal(double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *ext_decimal(const char *url, double v)
{
	return json_pack("{s:s, s:o}", "url", url, "valueDecimal", decimal(v));
}

static json_t *ext_string(const char *url, const char *s)
{
	return json_pack("{s:s, s:s}", "url", url, "valueString", s);
}

static void push_ext(json_t *obj, json_t *ext)
{
	json_t *arr = json_object_get(obj, "extension");
	if (!arr) {
		arr = json_array();
		json_object_set_new(obj, "extension", arr);
	}
	json_array_append_new(arr, ext);
}

static void set_str(json_t *obj, const char *key, const char *s)
{
	if (s && *s)
		json_object_set_new(obj, key, json_string(s));
}

/* ---- show-if to enableWhen ------------------------------------------- */

static int fp_expr(exporter *x, st_buf *b, const st_ast *n, int depth);

static const char *fhir_op(int op)
{
	switch (op) {
	case ST_OP_EQ: return "=";
	case ST_OP_NE: return "!=";
	case ST_OP_LT: return "<";
	case ST_OP_LE: return "<=";
	case ST_OP_GT: return ">";
	case ST_OP_GE: return ">=";
	}
	return NULL;
}

static int flip_op(int op)
{
	switch (op) {
	case ST_OP_LT: return ST_OP_GT;
	case ST_OP_LE: return ST_OP_GE;
	case ST_OP_GT: return ST_OP_LT;
	case ST_OP_GE: return ST_OP_LE;
	}
	return op;
}

static int cmp_holds(double a, int op, double b)
{
	switch (op) {
	case ST_OP_EQ: return a == b;
	case ST_OP_NE: return a != b;
	case ST_OP_LT: return a < b;
	case ST_OP_LE: return a <= b;
	case ST_OP_GT: return a > b;
	case ST_OP_GE: return a >= b;
	}
	return 0;
}

/* One comparison or answered() as enableWhen entries appended to arr;
 * several entries mean "any of them".  Returns the number added, 0 when
 * the condition can never hold, -1 when it does not map onto enableWhen. */
static int atom_enable(exporter *x, json_t *arr, const st_ast *n)
{
	const st_form *f = x->f;
	if (n->kind == ST_AST_CALL && n->op == ST_FN_ANSWERED &&
	    n->nargs == 1 && n->args[0]->kind == ST_AST_NAME &&
	    !n->args[0]->member) {
		if (!find_item(x, n->args[0]->name, NULL))
			return -1;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}",
		        "question", n->args[0]->name, "operator", "exists",
		        "answerBoolean", 1));
		return 1;
	}
	if (n->kind == ST_AST_NOT && n->nargs == 1 &&
	    n->args[0]->kind == ST_AST_CALL &&
	    n->args[0]->op == ST_FN_ANSWERED && n->args[0]->nargs == 1 &&
	    n->args[0]->args[0]->kind == ST_AST_NAME &&
	    !n->args[0]->args[0]->member) {
		const char *q = n->args[0]->args[0]->name;
		if (!find_item(x, q, NULL))
			return -1;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}",
		        "question", q, "operator", "exists", "answerBoolean", 0));
		return 1;
	}
	if (n->kind != ST_AST_BIN || !fhir_op(n->op) || n->nargs != 2)
		return -1;
	const st_ast *name = n->args[0], *num = n->args[1];
	int op = n->op;
	if (name->kind != ST_AST_NAME) {
		name = n->args[1];
		num = n->args[0];
		op = flip_op(op);
	}
	if (name->kind != ST_AST_NAME || name->member)
		return -1;
	const st_item *it = find_item(x, name->name, NULL);
	if (!it)
		return -1;
	if (num->kind == ST_AST_BOOL && it->type &&
	    !strcmp(it->type, "boolean") &&
	    (op == ST_OP_EQ || op == ST_OP_NE)) {
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}",
		        "question", it->id, "operator", fhir_op(op),
		        "answerBoolean", num->num != 0));
		return 1;
	}
	if (num->kind != ST_AST_NUM)
		return -1;
	if (!is_choice(it)) {
		if (it->type && strcmp(it->type, "number") &&
		    strcmp(it->type, "scale"))
			return -1;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}",
		        "question", it->id, "operator", fhir_op(op),
		        it->type && !strcmp(it->type, "scale") ?
		        "answerInteger" : "answerDecimal", decimal(num->num)));
		return 1;
	}
	/* A choice is answered by a Coding, which FHIR compares only with =
	 * and !=: expand the comparison into the options it admits. */
	size_t no;
	const st_option *opts = item_options(f, it, &no);
	if (op == ST_OP_NE) {
		for (size_t i = 0; i < no; i++)
			if (option_weight(f, it, i) == num->num) {
				json_array_append_new(arr, json_pack(
				        "{s:s, s:s, s:{s:s}}", "question", it->id,
				        "operator", "!=", "answerCoding", "code",
				        fmt_num(x->a, opts[i].value)));
				return 1;
			}
		return -1;
	}
	int added = 0;
	for (size_t i = 0; i < no; i++) {
		if (!cmp_holds(option_weight(f, it, i), op, num->num))
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:{s:s, s:s}}",
		        "question", it->id, "operator", "=", "answerCoding",
		        "code", fmt_num(x->a, opts[i].value),
		        "display", opts[i].label ? opts[i].label : ""));
		added++;
	}
	return added;
}

/* Flatten a chain of one operator (and / or) into its operands. */
static void collect(const st_ast *n, int op, const st_ast **out, size_t *k,
                    size_t max)
{
	if (n->kind == ST_AST_BIN && n->op == op) {
		collect(n->args[0], op, out, k, max);
		collect(n->args[1], op, out, k, max);
	} else if (*k < max) {
		out[(*k)++] = n;
	} else {
		(*k)++;
	}
}

/* Set enableWhen and enableBehavior on q from show-if.  Returns 0, or -1
 * when show-if does not map (a warning is then added). */
static int export_show_if(exporter *x, json_t *q, const st_item *it,
                          const st_ast *n)
{
	json_t *arr = json_array();
	const st_ast *parts[64];
	size_t k = 0;
	const char *behavior = NULL;
	int ok = 1;

	if (n->kind == ST_AST_BIN && n->op == ST_OP_AND) {
		collect(n, ST_OP_AND, parts, &k, 64);
		behavior = "all";
		for (size_t i = 0; ok && i < k && i < 64; i++)
			ok = atom_enable(x, arr, parts[i]) == 1;
		ok = ok && k <= 64;
	} else {
		if (n->kind == ST_AST_BIN && n->op == ST_OP_OR)
			collect(n, ST_OP_OR, parts, &k, 64);
		else
			parts[k++] = n;
		for (size_t i = 0; ok && i < k && i < 64; i++)
			ok = atom_enable(x, arr, parts[i]) >= 0;
		ok = ok && k <= 64;
		if (ok && json_array_size(arr) == 0) {
			st_diag(x->d, ST_WARNING, "fhir-unsupported",
			        ex_span(x, it->show_if->sp),
			        "show-if of item '%s' can never be true; exported "
			        "as enableWhen on an answer that does not exist",
			        it->id);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:b}",
			        "question", it->id, "operator", "exists",
			        "answerBoolean", 0));
		}
		if (json_array_size(arr) > 1)
			behavior = "any";
	}
	if (!ok) {
		json_decref(arr);
		/* SDC's enableWhenExpression takes any condition, at the price
		 * of readers that know only core FHIR showing the item. */
		st_buf fp;
		st_buf_init(&fp);
		if (fp_expr(x, &fp, n, 0) == 0) {
			push_ext(q, json_pack("{s:s, s:{s:s, s:s}}", "url",
			         URL_ENABLE_EXPR, "valueExpression", "language",
			         "text/fhirpath", "expression", fp.data));
			st_diag(x->d, ST_NOTE, "fhir-unsupported",
			        ex_span(x, it->show_if->sp),
			        "show-if '%s' of item '%s' does not map onto "
			        "enableWhen; it is exported as an SDC "
			        "enableWhenExpression, which readers without SDC "
			        "ignore", it->show_if->src, it->id);
			st_buf_release(&fp);
			return 0;
		}
		st_buf_release(&fp);
		st_diag(x->d, ST_WARNING, "fhir-unsupported",
		        ex_span(x, it->show_if->sp),
		        "show-if '%s' of item '%s' does not map onto enableWhen; "
		        "the item is exported without it and is always shown",
		        it->show_if->src, it->id);
		return -1;
	}
	json_object_set_new(q, "enableWhen", arr);
	if (behavior)
		json_object_set_new(q, "enableBehavior", json_string(behavior));
	return 0;
}

/* ---- scores to FHIRPath ---------------------------------------------- */

static int fp_expr(exporter *x, st_buf *b, const st_ast *n, int depth);

/* The FHIRPath of the value of item it (its weight for a choice). */
static void fp_item(st_buf *b, const st_item *it)
{
	st_buf_printf(b, "%%resource.item.where(linkId='%s').answer.value%s",
	              it->id, is_choice(it) ? ".weight()" : "");
}

/* The elements of an aggregate's arguments as one collection (combine
 * keeps duplicates, which | would drop); *count receives how many
 * elements there are when every one is answered. */
static int fp_collection(exporter *x, st_buf *b, const st_ast *call,
                         size_t *count, int depth)
{
	const st_form *f = x->f;
	size_t cnt = 0;
	int first = 1;

	/* Only items of one kind, by name or range: one where() over their
	 * linkIds reads far better than a chain of combine(). */
	int simple = 1, kind = -1;
	for (size_t i = 0; simple && i < call->nargs; i++) {
		const st_ast *arg = call->args[i];
		size_t from = 0, to = 0;
		if (arg->kind == ST_AST_RANGE) {
			if (!find_item(x, arg->name, &from) ||
			    !find_item(x, arg->member, &to) || to < from)
				return -1;
		} else if (arg->kind == ST_AST_NAME && !arg->member &&
		           find_item(x, arg->name, &from)) {
			to = from;
		} else {
			simple = 0;
			break;
		}
		for (size_t j = from; j <= to; j++) {
			int k = is_choice(&f->items[j]);
			if (kind >= 0 && k != kind)
				simple = 0;
			kind = k;
		}
	}
	if (simple && call->nargs) {
		st_buf_adds(b, "%resource.item.where(linkId in (");
		for (size_t i = 0; i < call->nargs; i++) {
			const st_ast *arg = call->args[i];
			size_t from = 0, to = 0;
			find_item(x, arg->name, &from);
			to = from;
			if (arg->kind == ST_AST_RANGE)
				find_item(x, arg->member, &to);
			for (size_t j = from; j <= to; j++) {
				st_buf_printf(b, "%s'%s'", cnt ? " | " : "",
				              f->items[j].id);
				cnt++;
			}
		}
		st_buf_printf(b, ")).answer.value%s",
		              kind ? ".weight()" : "");
		*count = cnt;
		return 0;
	}
	for (size_t i = 0; i < call->nargs; i++) {
		const st_ast *arg = call->args[i];
		size_t from = 0, to = 0;
		if (arg->kind == ST_AST_RANGE) {
			if (!find_item(x, arg->name, &from) ||
			    !find_item(x, arg->member, &to) || to < from)
				return -1;
		} else {
			st_buf sub;
			st_buf_init(&sub);
			if (fp_expr(x, &sub, arg, depth + 1) != 0) {
				st_buf_release(&sub);
				return -1;
			}
			if (first)
				st_buf_printf(b, "(%s)", sub.data);
			else
				st_buf_printf(b, ".combine(%s)", sub.data);
			st_buf_release(&sub);
			first = 0;
			cnt++;
			continue;
		}
		for (size_t j = from; j <= to; j++) {
			st_buf_adds(b, first ? "(" : ".combine(");
			fp_item(b, &f->items[j]);
			st_buf_addc(b, ')');
			first = 0;
			cnt++;
		}
	}
	if (first)
		return -1;
	*count = cnt;
	return 0;
}

static int fp_expr(exporter *x, st_buf *b, const st_ast *n, int depth)
{
	if (depth > 100)
		return -1;
	switch (n->kind) {
	case ST_AST_NUM:
		st_buf_printf(b, "%.15g", n->num);
		return 0;
	case ST_AST_BOOL:
		st_buf_adds(b, n->num ? "true" : "false");
		return 0;
	case ST_AST_STR:
		st_buf_addc(b, '\'');
		for (const char *p = n->name; *p; p++) {
			if (*p == '\'' || *p == '\\')
				st_buf_addc(b, '\\');
			st_buf_addc(b, *p);
		}
		st_buf_addc(b, '\'');
		return 0;
	case ST_AST_NAME: {
		if (n->member)
			return -1;   /* another form's score */
		const st_item *it = find_item(x, n->name, NULL);
		if (it) {
			fp_item(b, it);
			return 0;
		}
		if (find_score(x->f, n->name)) {
			st_buf_printf(b, "%%resource.item.where(linkId='%s')"
			              ".answer.value", n->name);
			return 0;
		}
		return -1;
	}
	case ST_AST_RANGE:
		return -1;
	case ST_AST_NEG:
		st_buf_adds(b, "(0 - ");
		if (fp_expr(x, b, n->args[0], depth + 1))
			return -1;
		st_buf_addc(b, ')');
		return 0;
	case ST_AST_NOT:
		st_buf_addc(b, '(');
		if (fp_expr(x, b, n->args[0], depth + 1))
			return -1;
		st_buf_adds(b, ").not()");
		return 0;
	case ST_AST_BIN: {
		static const char *const ops[] = {
			[ST_OP_ADD] = "+", [ST_OP_SUB] = "-", [ST_OP_MUL] = "*",
			[ST_OP_DIV] = "/", [ST_OP_EQ] = "=", [ST_OP_NE] = "!=",
			[ST_OP_LT] = "<", [ST_OP_LE] = "<=", [ST_OP_GT] = ">",
			[ST_OP_GE] = ">=", [ST_OP_AND] = "and", [ST_OP_OR] = "or",
		};
		if (n->op < ST_OP_ADD || n->op > ST_OP_OR)
			return -1;
		st_buf_addc(b, '(');
		if (fp_expr(x, b, n->args[0], depth + 1))
			return -1;
		st_buf_printf(b, " %s ", ops[n->op]);
		if (fp_expr(x, b, n->args[1], depth + 1))
			return -1;
		st_buf_addc(b, ')');
		return 0;
	}
	case ST_AST_CALL:
		break;
	}
	st_buf c;
	size_t cnt = 0;
	int rc = -1;
	st_buf_init(&c);
	switch (n->op) {
	case ST_FN_SUM:
	case ST_FN_MIN:
	case ST_FN_MAX:
		/* Arithmetic on a missing answer is missing (docs/expressions.md), so these
		 * give a value only when every element is there. */
		if (fp_collection(x, &c, n, &cnt, depth))
			break;
		if (n->op == ST_FN_SUM)
			st_buf_printf(b, "iif(%s.count() = %zu, "
			              "%s.aggregate($total + $this, 0), {})",
			              c.data, cnt, c.data);
		else
			st_buf_printf(b, "iif(%s.count() = %zu, %s.aggregate("
			              "iif($total.empty() or $this %s $total, "
			              "$this, $total)), {})", c.data, cnt, c.data,
			              n->op == ST_FN_MIN ? "<" : ">");
		rc = 0;
		break;
	case ST_FN_MEAN:
		/* mean skips missing answers; none at all is missing (a
		 * division by zero is empty in FHIRPath). */
		if (fp_collection(x, &c, n, &cnt, depth))
			break;
		st_buf_printf(b, "(%s.aggregate($total + $this, 0) / "
		              "%s.count())", c.data, c.data);
		rc = 0;
		break;
	case ST_FN_COUNT:
		if (fp_collection(x, &c, n, &cnt, depth))
			break;
		st_buf_printf(b, "%s.count()", c.data);
		rc = 0;
		break;
	case ST_FN_ANSWERED:
		if (fp_collection(x, &c, n, &cnt, depth))
			break;
		st_buf_printf(b, "(%s.count() = %zu)", c.data, cnt);
		rc = 0;
		break;
	case ST_FN_IF:
		if (n->nargs != 3)
			break;
		st_buf_adds(b, "iif(");
		for (size_t i = 0; i < 3; i++) {
			if (i)
				st_buf_adds(b, ", ");
			if (fp_expr(x, b, n->args[i], depth + 1))
				goto out;
		}
		st_buf_addc(b, ')');
		rc = 0;
		break;
	case ST_FN_ROUND:
	case ST_FN_ABS:
		if (n->nargs < 1 || n->nargs > 2)
			break;
		st_buf_addc(b, '(');
		if (fp_expr(x, b, n->args[0], depth + 1))
			break;
		if (n->op == ST_FN_ABS) {
			st_buf_adds(b, ").abs()");
		} else if (n->nargs == 2) {
			st_buf_adds(b, ").round(");
			if (fp_expr(x, b, n->args[1], depth + 1))
				break;
			st_buf_addc(b, ')');
		} else {
			st_buf_adds(b, ").round()");
		}
		rc = 0;
		break;
	default:
		break;   /* completed, days_since, reviewed */
	}
out:
	st_buf_release(&c);
	return rc;
}

/* Parse an expression of the bundle (a copy, so the bundle's program
 * stays untouched).  Returns the tree or NULL after errors. */
static const st_ast *parsed(exporter *x, const st_expr *e)
{
	if (!e)
		return NULL;
	if (e->ast)
		return e->ast;
	st_expr *c = st_alloc(x->a, sizeof *c);
	*c = *e;
	c->sp = ex_span(x, e->sp);
	if (st_expr_parse(x->a, x->d, c) != 0)
		return NULL;
	return c->ast;
}

static json_t *export_item(exporter *x, const st_item *it)
{
	const st_form *f = x->f;
	json_t *q = json_object();
	json_object_set_new(q, "linkId", json_string(it->id));
	set_str(q, "text", it->text);
	const char *t = it->type ? it->type : "choice";
	if (!strcmp(t, "choice")) {
		json_object_set_new(q, "type", json_string("choice"));
	} else if (!strcmp(t, "number")) {
		json_object_set_new(q, "type", json_string("decimal"));
	} else if (!strcmp(t, "scale")) {
		json_object_set_new(q, "type", json_string("integer"));
		push_ext(q, json_pack("{s:s, s:{s:[{s:s, s:s}]}}", "url",
		         URL_CONTROL, "valueCodeableConcept", "coding", "system",
		         "http://hl7.org/fhir/questionnaire-item-control",
		         "code", "slider"));
	} else if (!strcmp(t, "text")) {
		json_object_set_new(q, "type", json_string("string"));
	} else {
		json_object_set_new(q, "type", json_string(t)); /* boolean, date */
	}
	if (it->has_min)
		push_ext(q, !strcmp(t, "scale") ?
		         json_pack("{s:s, s:I}", "url", URL_MIN, "valueInteger",
		                   (json_int_t)it->min) :
		         ext_decimal(URL_MIN, it->min));
	if (it->has_max)
		push_ext(q, !strcmp(t, "scale") ?
		         json_pack("{s:s, s:I}", "url", URL_MAX, "valueInteger",
		                   (json_int_t)it->max) :
		         ext_decimal(URL_MAX, it->max));
	if (it->reverse)
		push_ext(q, json_pack("{s:s, s:b}", "url", URL_STEG_REVERSE,
		                      "valueBoolean", 1));
	if (it->required)
		json_object_set_new(q, "required", json_true());
	if (it->show_if) {
		const st_ast *n = parsed(x, it->show_if);
		if (n)
			export_show_if(x, q, it, n);
		push_ext(q, ext_string(URL_STEG_SHOW_IF, it->show_if->src));
	}
	if (!strcmp(t, "choice")) {
		size_t no;
		const st_option *opts = item_options(f, it, &no);
		json_t *arr = json_array();
		for (size_t i = 0; i < no; i++) {
			double w = option_weight(f, it, i);
			json_t *o = json_pack("{s:[o,o], s:{s:s, s:s}}",
			        "extension", ext_decimal(URL_ORDINAL, w),
			        ext_decimal(URL_WEIGHT, w), "valueCoding",
			        "code", fmt_num(x->a, opts[i].value), "display",
			        opts[i].label ? opts[i].label : "");
			json_array_append_new(arr, o);
		}
		json_object_set_new(q, "answerOption", arr);
	}
	return q;
}

/* A sum with missing: {prorate: N}: with at most N of its K items
 * unanswered, the sum of the others times K over their number, rounded to
 * a whole number as steg scores it (core/score.h; FHIRPath's round()
 * takes halves up); more unanswered, empty. */
static int fp_prorated(exporter *x, st_buf *b, const st_ast *n, int prorate)
{
	if (n->kind != ST_AST_CALL || n->op != ST_FN_SUM)
		return -1;
	st_buf c;
	size_t cnt = 0;
	st_buf_init(&c);
	if (fp_collection(x, &c, n, &cnt, 0) || cnt <= (size_t)prorate) {
		st_buf_release(&c);
		return -1;
	}
	st_buf_printf(b, "iif(%s.count() >= %zu, (%s.aggregate($total + "
	              "$this, 0) * %zu / %s.count()).round(), {})", c.data,
	              cnt - (size_t)prorate, c.data, cnt, c.data);
	st_buf_release(&c);
	return 0;
}

static json_t *export_score(exporter *x, const st_score *s)
{
	json_t *q = json_object();
	json_object_set_new(q, "linkId", json_string(s->id));
	set_str(q, "text", s->title ? s->title : s->id);
	json_object_set_new(q, "type", json_string("decimal"));
	json_object_set_new(q, "readOnly", json_true());
	const st_ast *n = parsed(x, s->value);
	if (n) {
		st_buf b;
		st_buf_init(&b);
		if (s->prorate > 0 && fp_prorated(x, &b, n, s->prorate) == 0) {
			push_ext(q, json_pack("{s:s, s:{s:s, s:s, s:s}}", "url",
			         URL_CALC, "valueExpression", "description",
			         s->title ? s->title : s->id, "language",
			         "text/fhirpath", "expression", b.data));
		} else if (fp_expr(x, &b, n, 0) == 0) {
			push_ext(q, json_pack("{s:s, s:{s:s, s:s, s:s}}", "url",
			         URL_CALC, "valueExpression", "description",
			         s->title ? s->title : s->id, "language",
			         "text/fhirpath", "expression", b.data));
		} else {
			st_diag(x->d, ST_WARNING, "fhir-unsupported",
			        ex_span(x, s->value->sp),
			        "score '%s' = '%s' has no FHIRPath translation; "
			        "it is exported without calculatedExpression",
			        s->id, s->value->src);
		}
		st_buf_release(&b);
	}
	if (s->value)
		push_ext(q, ext_string(URL_STEG_EXPR, s->value->src));
	if (s->prorate > 0)
		push_ext(q, json_pack("{s:s, s:[{s:s, s:i}]}", "url",
		         URL_STEG_MISSING, "extension", "url", "prorate",
		         "valueInteger", s->prorate));
	for (size_t i = 0; i < s->nbands; i++) {
		const st_band *bd = &s->bands[i];
		json_t *sub = json_pack("[o, o, {s:s, s:s}]",
		        ext_decimal("from", bd->from), ext_decimal("to", bd->to),
		        "url", "label", "valueString", bd->label ? bd->label : "");
		if (bd->level)
			json_array_append_new(sub, ext_string("level", bd->level));
		push_ext(q, json_pack("{s:s, s:o}", "url", URL_STEG_BAND,
		                      "extension", sub));
	}
	return q;
}

/* A FHIR id: [A-Za-z0-9\-\.]{1,64}. */
static char *fhir_id(st_arena *a, const char *s)
{
	char *r = st_strndup(a, s, strlen(s) > 64 ? 64 : strlen(s));
	for (char *p = r; *p; p++)
		if (*p == '_')
			*p = '-';
	return r;
}

static json_t *export_form(exporter *x, const st_program *p)
{
	const st_form *f = x->f;
	x->items = st_strmap_new(x->a);
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].id)
			st_strmap_put(x->items, f->items[i].id, i, NULL);
	json_t *q = json_object();
	json_object_set_new(q, "resourceType", json_string("Questionnaire"));
	json_object_set_new(q, "id", json_string(fhir_id(x->a, f->id)));
	json_object_set_new(q, "meta", json_pack("{s:[s]}", "profile",
	                    URL_SDC_PROFILE));
	if (p->id)
		json_object_set_new(q, "url", json_string(st_sprintf(x->a,
		        "urn:steg:%s:form:%s", p->id, f->id)));
	set_str(q, "version", p->version);
	set_str(q, "name", f->name);
	set_str(q, "title", f->title);
	json_object_set_new(q, "status", json_string("active"));
	set_str(q, "publisher", p->producer_name);
	set_str(q, "description", f->reference);
	set_str(q, "copyright", f->license);
	if (p->language)
		json_object_set_new(q, "language", json_string(p->language));
	for (size_t i = 0; i < f->nalerts; i++) {
		const st_alert *al = &f->alerts[i];
		push_ext(q, json_pack("{s:s, s:[o,o,o,o]}", "url",
		         URL_STEG_ALERT, "extension",
		         ext_string("id", al->id ? al->id : ""),
		         ext_string("when", al->when ? al->when->src : ""),
		         ext_string("level", al->level ? al->level : ""),
		         ext_string("message", al->message ? al->message : "")));
	}
	if (f->nalerts) {
		const st_alert *al = &f->alerts[0];
		st_diag(x->d, ST_NOTE, "fhir-unsupported", ex_span(x, al->sp),
		        "FHIR Questionnaire has no alerts: the form's %zu alert%s "
		        "travel%s only in a Steg extension", f->nalerts,
		        f->nalerts == 1 ? "" : "s", f->nalerts == 1 ? "s" : "");
	}
	json_t *items = json_array();
	if (f->instructions)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s}",
		        "linkId", "instructions", "text", f->instructions,
		        "type", "display"));
	for (size_t i = 0; i < f->nitems; i++)
		json_array_append_new(items, export_item(x, &f->items[i]));
	for (size_t i = 0; i < f->nscores; i++)
		json_array_append_new(items, export_score(x, &f->scores[i]));
	json_object_set_new(q, "item", items);
	return q;
}

static void export_usage(FILE *f)
{
	fprintf(f, "usage: stegc export-fhir BUNDLE FORM [-o FILE]\n\n"
	        "Write rating form FORM of BUNDLE as an HL7 FHIR R4 Questionnaire\n"
	        "(JSON) to standard output or FILE.  What FHIR cannot express is\n"
	        "reported as a warning [fhir-unsupported]; see docs/fhir.md.\n");
}

int cmd_export_fhir(int argc, char **argv)
{
	sc_cli cli;
	const char *bpath = NULL, *form = NULL, *out = NULL;
	st_diags *d = NULL;
	st_bundle *b = NULL;
	st_arena *a = NULL;
	json_t *q = NULL;
	char *text = NULL;
	int rc = EXIT_IO;

	int early = sc_cli_begin(&cli, &argc, argv, export_usage);
	if (early >= 0)
		return early;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			sc_fail("unknown option '%s'", argv[i]);
			export_usage(stderr);
			return EXIT_USAGE;
		} else if (!bpath) {
			bpath = argv[i];
		} else if (!form) {
			form = argv[i];
		} else {
			sc_fail("unexpected argument '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!bpath || !form) {
		export_usage(stderr);
		return EXIT_USAGE;
	}
	if (cli.format != ST_FMT_TEXT && !out) {
		/* The findings would be mixed into the questionnaire. */
		sc_fail("--format json or sarif writes the findings to standard "
		        "output: give the questionnaire a file with -o");
		return EXIT_USAGE;
	}
	d = sc_cli_diags(&cli);
	a = st_arena_new();
	if (st_bundle_open(&b, d, bpath) != 0) {
		rc = sc_cli_finish(&cli, d);
		if (rc == EXIT_CLEAN)
			rc = EXIT_IO;
		goto done;
	}
	const st_program *p = st_bundle_program(b);
	const st_form *f = st_program_form(p, form);
	if (!f) {
		st_span sp = { .file = bpath };
		st_buf names;
		st_buf_init(&names);
		for (size_t i = 0; i < p->nforms; i++)
			st_buf_printf(&names, "%s'%s'", i ? ", " : "",
			              p->forms[i].id);
		st_diag(d, ST_ERROR, "fhir-no-form", sp,
		        "bundle has no form '%s'", form);
		if (p->nforms)
			st_diag_note(d, sp, "its forms are %s", names.data);
		else
			st_diag_note(d, sp, "it has no forms");
		st_buf_release(&names);
		rc = sc_cli_finish(&cli, d);
		goto done;
	}
	exporter x = { .a = a, .d = d, .f = f,
	               .file = st_sprintf(a, "%s:%s", bpath, "program.xml") };
	q = export_form(&x, p);
	text = json_dumps(q, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		sc_fail("cannot serialise the questionnaire");
		goto done;
	}
	size_t len = strlen(text);
	st_buf body;
	st_buf_init(&body);
	st_buf_add(&body, text, len);
	st_buf_addc(&body, '\n');
	if (st_diags_errors(d)) {
		st_buf_release(&body);
		rc = sc_cli_finish(&cli, d);
		goto done;
	}
	if (out) {
		char err[512];
		if (st_write_file_atomic(out, body.data, body.len, err,
		                         sizeof err) != 0) {
			st_buf_release(&body);
			sc_cli_finish(&cli, d);
			sc_fail("%s", err);
			goto done;
		}
	} else if (fwrite(body.data, 1, body.len, stdout) != body.len ||
	           fflush(stdout) != 0) {
		st_buf_release(&body);
		sc_fail("cannot write the questionnaire: %s", strerror(errno));
		goto done;
	}
	st_buf_release(&body);
	rc = sc_cli_finish(&cli, d);
done:
	free(text);
	json_decref(q);
	st_bundle_free(b);
	st_arena_free(a);
	st_diags_free(d);
	return rc;
}

/* ====================================================================
 * Import
 * ==================================================================== */

typedef struct imp_option {
	double value;
	const char *label;
	const char *code;        /* valueCoding.code or the value as text */
	const char *system;
} imp_option;

typedef struct imp_item {
	const char *link;        /* linkId as written */
	const char *id;          /* Steg identifier */
	const char *text;
	const char *type;        /* choice number scale text boolean date */
	const char *path;        /* FHIR path, for messages */
	int required, reverse;
	int has_min, has_max;
	double min, max;
	imp_option *opts;
	size_t nopts;
	json_t *enable;          /* enableWhen array (borrowed) */
	const char *behavior;
	const char *show_if;     /* Steg source carried by Steg's export */
} imp_item;

typedef struct imp_band {
	double from, to;
	const char *label, *level;
} imp_band;

typedef struct imp_score {
	const char *id, *title, *value;
	imp_band *bands;
	size_t nbands;
	long long prorate;       /* urn:steg:fhir:missing; 0: none */
	const char *sum_all;     /* FHIR path of a "sum of every answer's
	                            weight" expression, resolved when all
	                            items are known; value is NULL until then */
} imp_score;

typedef struct imp_alert {
	const char *id, *when, *level, *message;
} imp_alert;

typedef struct importer {
	st_arena *a;
	st_diags *d;
	const char *file;
	json_t *root;
	const char *instructions;
	imp_item *items;
	size_t nitems, citems;
	imp_score *scores;
	size_t nscores, cscores;
	imp_alert *alerts;
	size_t nalerts, calerts;
	size_t nquestions;       /* for q<N> ids */
	size_t nvisited;         /* items seen, groups included */
	st_strmap *ids;          /* ids given to items and scores */
	st_strmap *links;        /* linkId -> index in items */
} importer;

static void warn(importer *m, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn(importer *m, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	st_span sp = { .file = m->file };
	st_diag(m->d, ST_WARNING, "fhir-unsupported", sp, "%s: %s", path, msg);
}

static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int jnum(const json_t *v, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 1;
	}
	/* Some tools write decimals as strings. */
	if (json_is_string(v)) {
		char *end;
		const char *s = json_string_value(v);
		double d = strtod(s, &end);
		if (end != s && !*end && isfinite(d)) {
			*out = d;
			return 1;
		}
	}
	return 0;
}

/* The weight an element carries in itemWeight or ordinalValue. */
static int ext_weight(const json_t *obj, double *w)
{
	const json_t *exts = json_object_get(obj, "extension");
	size_t i;
	const json_t *e;
	int found = 0;
	json_array_foreach(exts, i, e) {
		const char *url = jstr(e, "url");
		if (!url || (strcmp(url, URL_WEIGHT) && strcmp(url, URL_ORDINAL)))
			continue;
		double v;
		if (jnum(json_object_get(e, "valueDecimal"), &v) ||
		    jnum(json_object_get(e, "valueInteger"), &v)) {
			if (!found || !strcmp(url, URL_WEIGHT))
				*w = v;
			found = 1;
		}
	}
	return found;
}

static const json_t *find_ext(const json_t *obj, const char *url,
                              size_t *idx)
{
	const json_t *exts = json_object_get(obj, "extension");
	size_t i;
	const json_t *e;
	json_array_foreach(exts, i, e) {
		const char *u = jstr(e, "url");
		if (u && !strcmp(u, url)) {
			if (idx)
				*idx = i;
			return e;
		}
	}
	return NULL;
}

static const char *sub_str(const json_t *ext, const char *url)
{
	const json_t *e = find_ext(ext, url, NULL);
	return e ? jstr(e, "valueString") : NULL;
}

/* Lower-case identifier from free text; NULL when nothing usable. */
static char *ident_of(st_arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *r = st_alloc(a, n + 2);
	size_t k = 0;
	int us = 0;
	for (const char *p = s; *p && k < 60; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (us && k)
				r[k++] = '_';
			r[k++] = (char)c;
			us = 0;
		} else {
			us = 1;
		}
	}
	r[k] = 0;
	if (!k)
		return NULL;
	if (r[0] >= '0' && r[0] <= '9') {
		memmove(r + 1, r, k + 1);
		r[0] = 'f';
	}
	return r;
}

static int id_taken(const importer *m, const char *id)
{
	return st_strmap_get(m->ids, id, NULL);
}

/* linkId as is when it is an identifier not used yet, else q<N>. */
static const char *item_id(importer *m, const char *link)
{
	const char *id;
	if (link && st_is_ident(link) && !id_taken(m, link)) {
		id = st_strdup(m->a, link);
	} else {
		size_t n = m->nquestions;
		do
			id = st_sprintf(m->a, "q%zu", n++);
		while (id_taken(m, id));
	}
	st_strmap_put(m->ids, id, 0, NULL);
	return id;
}

static const json_t *contained_valueset(importer *m, const char *ref)
{
	if (!ref || ref[0] != '#')
		return NULL;
	const json_t *c = json_object_get(m->root, "contained");
	size_t i;
	const json_t *r;
	json_array_foreach(c, i, r) {
		const char *rt = jstr(r, "resourceType"), *id = jstr(r, "id");
		if (rt && id && !strcmp(rt, "ValueSet") && !strcmp(id, ref + 1))
			return r;
	}
	return NULL;
}

/* Options from a contained ValueSet's compose.include[].concept[] or its
 * expansion.contains[].  Returns the count, -1 when there are none. */
static int valueset_options(importer *m, imp_item *it, const json_t *vs,
                            const char *path, int *unweighted)
{
	imp_option *opts = NULL;
	size_t n = 0, cap = 0;
	const json_t *inc = json_object_get(json_object_get(vs, "compose"),
	                                    "include");
	size_t i, j;
	const json_t *e, *c;
	json_array_foreach(inc, i, e) {
		const char *sys = jstr(e, "system");
		json_array_foreach(json_object_get(e, "concept"), j, c) {
			imp_option o = { 0 };
			o.code = jstr(c, "code");
			o.system = sys;
			o.label = jstr(c, "display");
			if (!ext_weight(c, &o.value)) {
				o.value = (double)n;
				(*unweighted)++;
			}
			if (!o.label)
				o.label = o.code;
			ST_PUSH(m->a, opts, n, cap, o);
		}
	}
	json_array_foreach(json_object_get(json_object_get(vs, "expansion"),
	                                   "contains"), i, c) {
		imp_option o = { 0 };
		o.code = jstr(c, "code");
		o.system = jstr(c, "system");
		o.label = jstr(c, "display");
		if (!ext_weight(c, &o.value)) {
			o.value = (double)n;
			(*unweighted)++;
		}
		if (!o.label)
			o.label = o.code;
		ST_PUSH(m->a, opts, n, cap, o);
	}
	(void)path;
	it->opts = opts;
	it->nopts = n;
	return n ? (int)n : -1;
}

static int answer_options(importer *m, imp_item *it, const json_t *q,
                          const char *path)
{
	const json_t *ao = json_object_get(q, "answerOption");
	int unweighted = 0;
	size_t i;
	const json_t *o;
	if (json_array_size(ao)) {
		size_t n = 0, cap = 0;
		imp_option *opts = NULL;
		json_array_foreach(ao, i, o) {
			imp_option op = { 0 };
			const char *opath = st_sprintf(m->a, "%s.answerOption[%zu]",
			                               path, i);
			const json_t *vc = json_object_get(o, "valueCoding");
			const json_t *vi = json_object_get(o, "valueInteger");
			const json_t *vs = json_object_get(o, "valueString");
			int has_w = ext_weight(o, &op.value) ||
			            (vc && ext_weight(vc, &op.value));
			if (vc) {
				op.code = jstr(vc, "code");
				op.system = jstr(vc, "system");
				op.label = jstr(vc, "display");
				if (!op.label)
					op.label = op.code;
			} else if (json_is_integer(vi)) {
				op.label = st_sprintf(m->a, "%lld",
				        (long long)json_integer_value(vi));
				op.code = op.label;
				if (!has_w) {
					op.value = (double)json_integer_value(vi);
					has_w = 1;
				}
			} else if (vs && json_is_string(vs)) {
				op.label = json_string_value(vs);
				op.code = op.label;
			} else {
				warn(m, opath, "only valueCoding, valueInteger and "
				     "valueString answers are carried over; this "
				     "option is left out");
				continue;
			}
			if (!op.label) {
				warn(m, opath, "option has no display text; its "
				     "code is used as the label");
				op.label = "";
			}
			if (!has_w) {
				op.value = (double)n;
				unweighted++;
			}
			ST_PUSH(m->a, opts, n, cap, op);
		}
		it->opts = opts;
		it->nopts = n;
	} else {
		const char *ref = jstr(q, "answerValueSet");
		const json_t *vs = contained_valueset(m, ref);
		if (!vs) {
			warn(m, st_sprintf(m->a, "%s.answerValueSet", path),
			     ref ? "value set '%s' is not contained in the "
			     "questionnaire; the item is left out" :
			     "a choice item without answerOption or "
			     "answerValueSet%s is left out", ref ? ref : "");
			return -1;
		}
		if (valueset_options(m, it, vs, path, &unweighted) < 0) {
			warn(m, st_sprintf(m->a, "%s.answerValueSet", path),
			     "value set '%s' lists no concepts; the item is left "
			     "out", ref);
			return -1;
		}
	}
	if (!it->nopts) {
		warn(m, path, "choice item has no usable options; it is left "
		     "out");
		return -1;
	}
	st_span sp = { .file = m->file };
	if (unweighted == (int)it->nopts)
		st_diag(m->d, ST_WARNING, "fhir-no-weights", sp, "%s: %s",
		     st_sprintf(m->a, "%s.answerOption", path), st_sprintf(m->a,
		     "the options of item '%s' carry no weight (itemWeight or "
		     "ordinalValue); they are numbered 0 to %zu in order — check "
		     "them", it->id, it->nopts - 1));
	else if (unweighted)
		st_diag(m->d, ST_WARNING, "fhir-no-weights", sp, "%s: %s",
		     st_sprintf(m->a, "%s.answerOption", path), st_sprintf(m->a,
		     "%d option%s of item '%s' carry no weight and are numbered "
		     "by position — check them", unweighted,
		     unweighted == 1 ? "" : "s", it->id));
	return 0;
}

static void import_list(importer *m, const json_t *items, const char *path,
                        int depth);

/* The whole-form sum that SDC's examples write, in its common spellings:
 * every answer's weight (ordinal() in R4's FHIRPath supplement, weight()
 * in R5's), summed. */
static int is_sum_all(const char *fp)
{
	static const char *const forms[] = {
		"%resource.answers().value.ordinal().sum()",
		"%resource.answers().value.weight().sum()",
		"%resource.answers().ordinal().sum()",
		"%resource.answers().weight().sum()",
		NULL
	};
	char norm[128];
	size_t k = 0;
	for (const char *p = fp; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (k + 1 >= sizeof norm)
			return 0;
		norm[k++] = *p;
	}
	norm[k] = 0;
	for (size_t i = 0; forms[i]; i++)
		if (!strcmp(norm, forms[i]))
			return 1;
	return 0;
}

/* A score's id: its linkId when that is an identifier not taken yet, else
 * "total", "total_2", ... */
static const char *score_id(importer *m, const char *link)
{
	const char *id;
	if (link && st_is_ident(link) && !id_taken(m, link)) {
		id = st_strdup(m->a, link);
	} else {
		id = "total";
		for (size_t n = 2; id_taken(m, id); n++)
			id = st_sprintf(m->a, "total_%zu", n);
	}
	st_strmap_put(m->ids, id, 0, NULL);
	return id;
}

/* Turn the pending whole-form sums into Steg expressions over the choice
 * items, and say where the two languages differ on missing answers. */
static void resolve_sums(importer *m)
{
	for (size_t i = 0; i < m->nscores; i++) {
		imp_score *s = &m->scores[i];
		if (!s->sum_all)
			continue;
		st_buf b;
		size_t first = m->nitems, last = 0, n = 0;
		int contiguous = 1;
		for (size_t j = 0; j < m->nitems; j++) {
			if (strcmp(m->items[j].type, "choice"))
				continue;
			if (n && j != last + 1)
				contiguous = 0;
			if (first == m->nitems)
				first = j;
			last = j;
			n++;
		}
		if (!n) {
			warn(m, s->sum_all, "score '%s' sums the weights of the "
			     "answers, but no choice item was carried over; the "
			     "score is left out", s->id);
			continue;
		}
		st_buf_init(&b);
		if (contiguous && n > 1) {
			st_buf_printf(&b, "sum(%s..%s)", m->items[first].id,
			              m->items[last].id);
		} else {
			st_buf_adds(&b, "sum(");
			for (size_t j = 0, k = 0; j < m->nitems; j++)
				if (!strcmp(m->items[j].type, "choice"))
					st_buf_printf(&b, "%s%s", k++ ? ", " : "",
					              m->items[j].id);
			st_buf_addc(&b, ')');
		}
		s->value = st_strdup(m->a, b.data);
		st_buf_release(&b);
		warn(m, s->sum_all, "the sum of every answer's weight is read as "
		     "'%s'; FHIRPath's sum() leaves unanswered items out, while "
		     "Steg's sum is missing when one is unanswered — check the "
		     "instrument's rule for missing answers", s->value);
	}
}

static void import_score(importer *m, const json_t *q, const char *path,
                         const char *link, const char *text)
{
	const char *src = NULL;
	const json_t *e = find_ext(q, URL_STEG_EXPR, NULL);
	if (e)
		src = jstr(e, "valueString");
	const char *sum_all = NULL;
	if (!src) {
		size_t ci = 0;
		const json_t *c = find_ext(q, URL_CALC, &ci);
		const char *fp = jstr(json_object_get(c, "valueExpression"),
		                      "expression");
		if (fp && is_sum_all(fp)) {
			sum_all = st_sprintf(m->a, "%s.extension[%zu]", path, ci);
			goto make;
		}
		warn(m, st_sprintf(m->a, "%s.extension[%zu]", path, ci),
		     "calculated item '%s' is FHIRPath ('%.80s%s'), which is not "
		     "translated; add a score with its 'value' in Steg's "
		     "expression language by hand", link ? link : "?",
		     fp ? fp : "", fp && strlen(fp) > 80 ? "..." : "");
		return;
	}
make:;
	imp_score s = { 0 };
	s.id = score_id(m, link);
	s.title = text;
	s.value = src;
	s.sum_all = sum_all;
	size_t i, cap = 0;
	const json_t *x;
	json_array_foreach(json_object_get(q, "extension"), i, x) {
		const char *url = jstr(x, "url");
		if (!url || strcmp(url, URL_STEG_BAND))
			continue;
		imp_band b = { 0 };
		const json_t *f = find_ext(x, "from", NULL);
		const json_t *t = find_ext(x, "to", NULL);
		if (!f || !t || !jnum(json_object_get(f, "valueDecimal"), &b.from)
		    || !jnum(json_object_get(t, "valueDecimal"), &b.to)) {
			warn(m, st_sprintf(m->a, "%s.extension[%zu]", path, i),
			     "band without 'from' and 'to' is left out");
			continue;
		}
		b.label = sub_str(x, "label");
		b.level = sub_str(x, "level");
		ST_PUSH(m->a, s.bands, s.nbands, cap, b);
	}
	size_t mi = 0;
	const json_t *mx = find_ext(q, URL_STEG_MISSING, &mi);
	if (mx) {
		const json_t *pr = json_object_get(find_ext(mx, "prorate", NULL),
		                                   "valueInteger");
		if (json_is_integer(pr) && json_integer_value(pr) >= 1 &&
		    json_integer_value(pr) <= 1000000)
			s.prorate = json_integer_value(pr);
		else
			warn(m, st_sprintf(m->a, "%s.extension[%zu]", path, mi),
			     "the rule for missing answers needs 'prorate' with a "
			     "whole number from 1; it is left out");
	}
	ST_PUSH(m->a, m->scores, m->nscores, m->cscores, s);
}

static void import_item(importer *m, const json_t *q, const char *path,
                        int depth)
{
	const char *type = jstr(q, "type");
	const char *link = jstr(q, "linkId");
	const char *text = jstr(q, "text");
	if (!type) {
		warn(m, path, "item has no type; it is left out");
		return;
	}
	if (!strcmp(type, "group")) {
		if (text) {
			if (!m->instructions)
				m->instructions = text;
			else
				warn(m, st_sprintf(m->a, "%s.text", path),
				     "the heading of group '%s' is not carried "
				     "over (Steg forms have no groups)",
				     link ? link : "?");
		}
		import_list(m, json_object_get(q, "item"),
		            st_sprintf(m->a, "%s.item", path), depth + 1);
		return;
	}
	if (!strcmp(type, "display")) {
		if (!m->instructions && text)
			m->instructions = text;
		else if (text)
			warn(m, path, "display text '%.60s' is not carried over",
			     text);
		return;
	}
	if (find_ext(q, URL_CALC, NULL) || find_ext(q, URL_STEG_EXPR, NULL)) {
		import_score(m, q, path, link, text);
		return;
	}
	imp_item it = { 0 };
	it.link = link;
	it.path = path;
	it.text = text ? text : "";
	it.required = json_is_true(json_object_get(q, "required"));
	it.reverse = find_ext(q, URL_STEG_REVERSE, NULL) != NULL;
	if (json_is_true(json_object_get(q, "repeats")))
		warn(m, st_sprintf(m->a, "%s.repeats", path),
		     "more than one answer per item is not carried over; the "
		     "item takes one answer");
	if (json_object_get(q, "item"))
		warn(m, st_sprintf(m->a, "%s.item", path),
		     "items nested under a question are left out");
	if (find_ext(q, URL_ENABLE_EXPR, NULL) &&
	    !find_ext(q, URL_STEG_SHOW_IF, NULL))
		warn(m, path, "enableWhenExpression (FHIRPath) is not "
		     "translated; add a 'show-if' by hand");
	m->nquestions++;
	it.id = item_id(m, link);
	if (!link)
		warn(m, path, "item has no linkId; it is called '%s'", it.id);

	const json_t *mn = find_ext(q, URL_MIN, NULL);
	const json_t *mx = find_ext(q, URL_MAX, NULL);
	if (mn && (jnum(json_object_get(mn, "valueDecimal"), &it.min) ||
	           jnum(json_object_get(mn, "valueInteger"), &it.min)))
		it.has_min = 1;
	if (mx && (jnum(json_object_get(mx, "valueDecimal"), &it.max) ||
	           jnum(json_object_get(mx, "valueInteger"), &it.max)))
		it.has_max = 1;

	if (!strcmp(type, "choice") || !strcmp(type, "open-choice")) {
		it.type = "choice";
		if (!strcmp(type, "open-choice"))
			warn(m, st_sprintf(m->a, "%s.type", path),
			     "open-choice becomes choice: the free-text answer "
			     "is not carried over");
		if (answer_options(m, &it, q, path) != 0) {
			m->nquestions--;
			return;
		}
		/* Steg's export weights a reversed item's options from the
		 * other end and keeps the answer itself as the code: take the
		 * codes back, since 'reverse' reverses again. */
		int numeric = 1;
		for (size_t k = 0; it.reverse && k < it.nopts; k++) {
			char *e;
			const char *c = it.opts[k].code;
			double v = c ? strtod(c, &e) : 0;
			if (!c || e == c || *e || !isfinite(v))
				numeric = 0;
		}
		if (it.reverse && !numeric) {
			warn(m, path, "reversed item '%s' has an option code "
			     "that is not a number; 'reverse' is dropped and the "
			     "weights are kept", it.id);
			it.reverse = 0;
		}
		for (size_t k = 0; it.reverse && k < it.nopts; k++)
			it.opts[k].value = strtod(it.opts[k].code, NULL);
		it.has_min = it.has_max = 0;
	} else if (!strcmp(type, "integer") || !strcmp(type, "decimal")) {
		const json_t *ctl = find_ext(q, URL_CONTROL, NULL);
		const json_t *cc = ctl ? json_object_get(ctl,
		                        "valueCodeableConcept") : NULL;
		const json_t *cd = json_array_get(json_object_get(cc, "coding"),
		                                  0);
		const char *code = cd ? jstr(cd, "code") : NULL;
		it.type = code && !strcmp(code, "slider") && it.has_min &&
		          it.has_max ? "scale" : "number";
	} else if (!strcmp(type, "string") || !strcmp(type, "text")) {
		it.type = "text";
	} else if (!strcmp(type, "boolean")) {
		it.type = "boolean";
	} else if (!strcmp(type, "date") || !strcmp(type, "dateTime")) {
		it.type = "date";
		if (!strcmp(type, "dateTime"))
			warn(m, st_sprintf(m->a, "%s.type", path),
			     "dateTime becomes date: the time of day is not "
			     "carried over");
	} else {
		warn(m, st_sprintf(m->a, "%s.type", path),
		     "items of type '%s' are not carried over; item '%s' is "
		     "left out", type, link ? link : "?");
		m->nquestions--;
		return;
	}
	if (strcmp(it.type, "number") && strcmp(it.type, "scale"))
		it.has_min = it.has_max = 0;
	it.enable = json_object_get(q, "enableWhen");
	it.behavior = jstr(q, "enableBehavior");
	const json_t *se = find_ext(q, URL_STEG_SHOW_IF, NULL);
	if (se)
		it.show_if = jstr(se, "valueString");
	(void)depth;
	if (link)
		st_strmap_put(m->links, link, m->nitems, NULL);
	ST_PUSH(m->a, m->items, m->nitems, m->citems, it);
}

static void import_list(importer *m, const json_t *items, const char *path,
                        int depth)
{
	size_t i;
	const json_t *q;
	if (depth > 16) {
		warn(m, path, "groups nested deeper than 16 levels are left out");
		return;
	}
	json_array_foreach(items, i, q) {
		if (++m->nvisited > FHIR_MAX_ITEMS) {
			if (m->nvisited == FHIR_MAX_ITEMS + 1) {
				st_span sp = { .file = m->file };
				st_diag(m->d, ST_ERROR, "fhir-limit", sp,
				        "%s[%zu]: more than %d items; a rating form "
				        "has far fewer", path, i, FHIR_MAX_ITEMS);
			}
			return;
		}
		const char *p = st_sprintf(m->a, "%s[%zu]", path, i);
		if (!json_is_object(q)) {
			warn(m, p, "an item must be an object; left out");
			continue;
		}
		import_item(m, q, p, depth);
	}
}

static const imp_item *item_by_link(const importer *m, const char *link)
{
	size_t i;
	return st_strmap_get(m->links, link, &i) ? &m->items[i] : NULL;
}

/* enableWhen to a show-if expression, after all items are known (a
 * condition may name a later item).  NULL after a warning. */
static const char *enable_to_show_if(importer *m, const imp_item *it)
{
	st_buf b;
	size_t i;
	const json_t *ew;
	const char *join = it->behavior && !strcmp(it->behavior, "any") ?
	                   " or " : " and ";
	const char *res = NULL;
	st_buf_init(&b);
	if (json_array_size(it->enable) > 1 && !it->behavior) {
		warn(m, st_sprintf(m->a, "%s.enableBehavior", it->path),
		     "several enableWhen without enableBehavior; read as 'all'");
	}
	json_array_foreach(it->enable, i, ew) {
		const char *p = st_sprintf(m->a, "%s.enableWhen[%zu]", it->path,
		                           i);
		const char *qn = jstr(ew, "question"), *op = jstr(ew, "operator");
		const imp_item *t = qn ? item_by_link(m, qn) : NULL;
		if (!t || !op) {
			warn(m, p, "condition on '%s', which is not an imported "
			     "item; item '%s' gets no show-if", qn ? qn : "?",
			     it->id);
			goto out;
		}
		if (i)
			st_buf_adds(&b, join);
		double v;
		const json_t *ac = json_object_get(ew, "answerCoding");
		const json_t *ab = json_object_get(ew, "answerBoolean");
		if (!strcmp(op, "exists")) {
			st_buf_printf(&b, "%sanswered(%s)",
			              json_is_false(ab) ? "not " : "", t->id);
		} else if (ac) {
			const char *code = jstr(ac, "code");
			const char *sys = jstr(ac, "system");
			size_t k;
			for (k = 0; k < t->nopts; k++)
				if (code && t->opts[k].code &&
				    !strcmp(code, t->opts[k].code) &&
				    (!sys || !t->opts[k].system ||
				     !strcmp(sys, t->opts[k].system)))
					break;
			if (k == t->nopts || (strcmp(op, "=") &&
			                      strcmp(op, "!="))) {
				warn(m, st_sprintf(m->a, "%s.answerCoding", p),
				     "code '%s' is not an option of '%s'; item "
				     "'%s' gets no show-if", code ? code : "?",
				     t->id, it->id);
				goto out;
			}
			st_buf_printf(&b, "%s %s %.15g", t->id,
			              !strcmp(op, "=") ? "==" : "!=",
			              t->opts[k].value);
		} else if (jnum(json_object_get(ew, "answerDecimal"), &v) ||
		           jnum(json_object_get(ew, "answerInteger"), &v)) {
			st_buf_printf(&b, "%s %s %.15g", t->id,
			              !strcmp(op, "=") ? "==" : op, v);
		} else if (json_is_boolean(ab)) {
			st_buf_printf(&b, "%s %s %s", t->id,
			              !strcmp(op, "=") ? "==" : op,
			              json_is_true(ab) ? "true" : "false");
		} else {
			warn(m, p, "this kind of answer is not carried over; "
			     "item '%s' gets no show-if", it->id);
			goto out;
		}
	}
	res = st_strdup(m->a, b.data ? b.data : "");
out:
	st_buf_release(&b);
	return res;
}

/* ---- YAML out --------------------------------------------------------- */

static void yq(st_buf *b, const char *s)
{
	st_buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : "");
	     *p; p++) {
		switch (*p) {
		case '"': st_buf_adds(b, "\\\""); break;
		case '\\': st_buf_adds(b, "\\\\"); break;
		case '\n': st_buf_adds(b, "\\n"); break;
		case '\t': st_buf_adds(b, "\\t"); break;
		case '\r': st_buf_adds(b, "\\r"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				st_buf_printf(b, "\\x%02x", *p);
			else
				st_buf_addc(b, (char)*p);
		}
	}
	st_buf_addc(b, '"');
}

static int same_options(const imp_item *a, const imp_item *b)
{
	if (a->nopts != b->nopts)
		return 0;
	for (size_t i = 0; i < a->nopts; i++)
		if (a->opts[i].value != b->opts[i].value ||
		    strcmp(a->opts[i].label ? a->opts[i].label : "",
		           b->opts[i].label ? b->opts[i].label : ""))
			return 0;
	return 1;
}

static void y_options(st_buf *b, const imp_item *it, const char *indent)
{
	for (size_t i = 0; i < it->nopts; i++) {
		st_buf_printf(b, "%s- { value: %.15g, label: ", indent,
		              it->opts[i].value);
		yq(b, it->opts[i].label);
		st_buf_adds(b, " }\n");
	}
}

static void y_key(st_buf *b, const char *indent, const char *key,
                  const char *v)
{
	if (!v)
		return;
	st_buf_printf(b, "%s%s: ", indent, key);
	yq(b, v);
	st_buf_addc(b, '\n');
}

static void write_yaml(importer *m, st_buf *b, const char *id,
                       const char **show)
{
	const json_t *r = m->root;
	st_buf_printf(b, "# Imported by stegc import-fhir from %s.\n"
	              "# Check the wording, weights, skip logic and scores "
	              "against the\n# instrument's publication before it "
	              "meets a patient.\n", m->file);
	st_buf_printf(b, "id: %s\n", id);
	const char *title = jstr(r, "title");
	if (!title)
		title = jstr(r, "name");
	y_key(b, "", "title", title ? title : id);
	y_key(b, "", "name", jstr(r, "name"));
	y_key(b, "", "reference", jstr(r, "description"));
	y_key(b, "", "license", jstr(r, "copyright"));
	y_key(b, "", "instructions", m->instructions);

	/* Options shared by every choice item become the form's default. */
	/* The option set most choice items share becomes the form's default
	 * (when two or more share it); the others keep their own.  Forms are
	 * small, so counting pairs is fine. */
	const imp_item *shared = NULL;
	size_t best = 1;
	for (size_t i = 0; i < m->nitems; i++) {
		if (strcmp(m->items[i].type, "choice"))
			continue;
		size_t same = 0;
		for (size_t j = 0; j < m->nitems; j++)
			if (!strcmp(m->items[j].type, "choice") &&
			    same_options(&m->items[i], &m->items[j]))
				same++;
		if (same > best) {
			best = same;
			shared = &m->items[i];
		}
	}
	if (shared) {
		st_buf_adds(b, "options:\n");
		y_options(b, shared, "  ");
	}
	st_buf_adds(b, "items:\n");
	for (size_t i = 0; i < m->nitems; i++) {
		const imp_item *it = &m->items[i];
		st_buf_printf(b, "  - id: %s\n", it->id);
		y_key(b, "    ", "text", it->text);
		if (strcmp(it->type, "choice"))
			st_buf_printf(b, "    type: %s\n", it->type);
		if (it->has_min)
			st_buf_printf(b, "    min: %.15g\n", it->min);
		if (it->has_max)
			st_buf_printf(b, "    max: %.15g\n", it->max);
		if (it->reverse)
			st_buf_adds(b, "    reverse: true\n");
		if (it->required)
			st_buf_adds(b, "    required: true\n");
		if (show[i])
			y_key(b, "    ", "show-if", show[i]);
		if (!strcmp(it->type, "choice") &&
		    (!shared || !same_options(shared, it))) {
			st_buf_adds(b, "    options:\n");
			y_options(b, it, "      ");
		}
	}
	size_t nvalued = 0;
	for (size_t i = 0; i < m->nscores; i++)
		nvalued += m->scores[i].value != NULL;
	if (nvalued) {
		st_buf_adds(b, "scores:\n");
		for (size_t i = 0; i < m->nscores; i++) {
			const imp_score *s = &m->scores[i];
			if (!s->value)
				continue;
			st_buf_printf(b, "  - id: %s\n", s->id);
			y_key(b, "    ", "title", s->title);
			y_key(b, "    ", "value", s->value);
			if (s->prorate)
				st_buf_printf(b, "    missing: { prorate: %lld }\n",
				              s->prorate);
			if (!s->nbands)
				continue;
			st_buf_adds(b, "    bands:\n");
			for (size_t j = 0; j < s->nbands; j++) {
				const imp_band *bd = &s->bands[j];
				st_buf_printf(b, "      - { from: %.15g, to: %.15g, "
				              "label: ", bd->from, bd->to);
				yq(b, bd->label ? bd->label : "");
				if (bd->level) {
					st_buf_adds(b, ", level: ");
					yq(b, bd->level);
				}
				st_buf_adds(b, " }\n");
			}
		}
	}
	if (m->nalerts) {
		st_buf_adds(b, "alerts:\n");
		for (size_t i = 0; i < m->nalerts; i++) {
			const imp_alert *al = &m->alerts[i];
			st_buf_printf(b, "  - id: %s\n", al->id);
			y_key(b, "    ", "when", al->when);
			y_key(b, "    ", "level", al->level);
			y_key(b, "    ", "message", al->message);
		}
	}
}

static void import_usage(FILE *f)
{
	fprintf(f, "usage: stegc import-fhir FILE [-o DIR] [--id ID] [--force]\n\n"
	        "Write DIR/forms/ID.yaml (DIR defaults to '.') from an HL7 FHIR R4\n"
	        "Questionnaire in JSON.  Whatever cannot be carried over is\n"
	        "reported with its FHIR path [fhir-unsupported].  --force replaces\n"
	        "an existing form file.  See docs/fhir.md.\n");
}

int cmd_import_fhir(int argc, char **argv)
{
	sc_cli cli;
	const char *path = NULL, *dir = ".", *want_id = NULL;
	int force = 0, rc = EXIT_IO;
	st_diags *d = NULL;
	st_arena *a = NULL;
	char *data = NULL;
	json_t *root = NULL;
	st_buf y;
	char err[512];

	st_buf_init(&y);
	int early = sc_cli_begin(&cli, &argc, argv, import_usage);
	if (early >= 0)
		return early;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--id") && i + 1 < argc) {
			want_id = argv[++i];
		} else if (!strcmp(argv[i], "--force")) {
			force = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			sc_fail("unknown option '%s' (or it needs a value)",
			        argv[i]);
			import_usage(stderr);
			return EXIT_USAGE;
		} else if (!path) {
			path = argv[i];
		} else {
			sc_fail("unexpected argument '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (!path) {
		import_usage(stderr);
		return EXIT_USAGE;
	}
	if (want_id && !st_is_ident(want_id)) {
		sc_fail("'%s' is not a form id: use a-z, 0-9 and '_', starting "
		        "with a letter", want_id);
		return EXIT_USAGE;
	}
	d = sc_cli_diags(&cli);
	a = st_arena_new();
	size_t len;
	int r = st_read_file(&data, &len, path, FHIR_MAX_BYTES, err,
	                     sizeof err);
	if (r != 0) {
		if (r == ST_ETOOBIG) {
			st_span sp = { .file = path };
			st_diag(d, ST_ERROR, "fhir-json", sp, "%s", err);
			rc = sc_cli_finish(&cli, d);
		} else {
			sc_fail("%s", err);
		}
		goto done;
	}
	json_error_t je;
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		st_span sp = { .file = path, .line = je.line > 0 ? je.line : 0,
		               .col = je.column > 0 ? je.column : 0 };
		st_diags_add_source(d, path, data, len);
		st_diag(d, ST_ERROR, "fhir-json", sp, "%s", je.text);
		rc = sc_cli_finish(&cli, d);
		goto done;
	}
	const char *rt = jstr(root, "resourceType");
	if (!json_is_object(root) || !rt || strcmp(rt, "Questionnaire")) {
		st_span sp = { .file = path };
		st_diag(d, ST_ERROR, "fhir-not-questionnaire", sp,
		        "resourceType is '%s', not 'Questionnaire'",
		        rt ? rt : "(none)");
		rc = sc_cli_finish(&cli, d);
		goto done;
	}

	importer m = { .a = a, .d = d, .file = path, .root = root,
	               .ids = st_strmap_new(a), .links = st_strmap_new(a) };
	import_list(&m, json_object_get(root, "item"), "item", 0);
	resolve_sums(&m);
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(root, "extension"), i, x) {
		const char *url = jstr(x, "url");
		if (!url || strcmp(url, URL_STEG_ALERT))
			continue;
		imp_alert al = { sub_str(x, "id"), sub_str(x, "when"),
		                 sub_str(x, "level"), sub_str(x, "message") };
		if (!al.id || !al.when || !st_is_ident(al.id)) {
			warn(&m, st_sprintf(a, "extension[%zu]", i),
			     "alert without a valid 'id' and 'when' is left out");
			continue;
		}
		ST_PUSH(a, m.alerts, m.nalerts, m.calerts, al);
	}
	const char **show = st_alloc(a, (m.nitems + 1) * sizeof *show);
	for (i = 0; i < m.nitems; i++) {
		imp_item *it = &m.items[i];
		if (it->show_if)
			show[i] = it->show_if;   /* Steg's own, exact */
		else if (json_array_size(it->enable))
			show[i] = enable_to_show_if(&m, it);
	}
	const char *id = want_id;
	if (!id)
		id = ident_of(a, jstr(root, "id"));
	if (!id)
		id = ident_of(a, jstr(root, "name"));
	if (!id)
		id = ident_of(a, jstr(root, "title"));
	if (!id) {
		st_span sp = { .file = path };
		st_diag(d, ST_ERROR, "fhir-no-id", sp,
		        "the questionnaire has no 'id', 'name' or 'title' to "
		        "name the form; give one with --id");
		rc = sc_cli_finish(&cli, d);
		goto done;
	}
	if (!m.nitems) {
		st_span sp = { .file = path };
		st_diag(d, ST_ERROR, "fhir-no-items", sp,
		        "no item of the questionnaire could be carried over");
		rc = sc_cli_finish(&cli, d);
		goto done;
	}
	if (st_diags_errors(d)) {     /* -Werror: write nothing */
		rc = sc_cli_finish(&cli, d);
		goto done;
	}
	write_yaml(&m, &y, id, show);

	const char *fdir = st_path_join(a, dir, "forms");
	const char *out = st_path_join(a, fdir, st_sprintf(a, "%s.yaml", id));
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		sc_cli_finish(&cli, d);
		sc_fail("'%s' is not a folder", dir);
		goto done;
	}
	if (mkdir(fdir, 0777) != 0 && errno != EEXIST) {
		sc_cli_finish(&cli, d);
		sc_fail("cannot create '%s': %s", fdir, strerror(errno));
		goto done;
	}
	if (!force && stat(out, &st) == 0) {
		sc_cli_finish(&cli, d);
		sc_fail("'%s' exists; use --force to replace it", out);
		rc = EXIT_USAGE;
		goto done;
	}
	if (st_write_file_atomic(out, y.data, y.len, err, sizeof err) != 0) {
		sc_cli_finish(&cli, d);
		sc_fail("%s", err);
		goto done;
	}
	rc = sc_cli_finish(&cli, d);
	size_t nvalued = 0;
	for (i = 0; i < m.nscores; i++)
		nvalued += m.scores[i].value != NULL;
	if (!cli.quiet)
		fprintf(cli.format == ST_FMT_TEXT ? stdout : stderr,
		        "wrote %s: %zu item%s, %zu score%s, %zu alert%s, "
		        "%d warning%s\n", out, m.nitems, m.nitems == 1 ? "" : "s",
		        nvalued, nvalued == 1 ? "" : "s", m.nalerts,
		        m.nalerts == 1 ? "" : "s", st_diags_warnings(d),
		        st_diags_warnings(d) == 1 ? "" : "s");
done:
	st_buf_release(&y);
	json_decref(root);
	free(data);
	st_arena_free(a);
	st_diags_free(d);
	return rc;
}
