/*
 * fhir_export.c — a rating form as an HL7 FHIR R4 Questionnaire (fhir.h;
 * docs/fhir.md): each item with its type; answer options as valueCoding
 * carrying the scoring weight in both extensions readers look for
 * (ordinalValue, R4, and itemWeight, R5/SDC); show-if as enableWhen where
 * it is a comparison of one item, or an and/or of such comparisons (else
 * an SDC enableWhenExpression); each score as a read-only item with an
 * SDC calculatedExpression in FHIRPath where the expression translates
 * (sums, means, counts, arithmetic, if/round/abs over this form's items).
 * Bands, alerts and the Steg source of expressions travel in Steg's
 * extensions (fhir.h; their StructureDefinitions in schemas/fhir/).
 */
#include <math.h>
#include <string.h>

#include "expr.h"
#include "fhir.h"
#include "fhir_path.h"
#include "strmap.h"
#include "vocab.h"

typedef struct exporter {
	st_arena *a;
	st_diags *d;
	const st_form *f;
	const char *file;        /* display name for diagnostics */
	const char *program;     /* the program's id, NULL when none */
	st_strmap *items;        /* item id -> index in f->items */
	sc_fhirpath fp;          /* f and items, for fhir_path.c */
} exporter;

static st_span ex_span(const exporter *x, st_span sp)
{
	if (!sp.file) {
		sp.file = x->file;
		sp.line = sp.col = 0;
	}
	return sp;
}

static int is_choice(const st_item *it)
{
	return it->type == ST_Q_CHOICE;
}

/* The scoring value of option o of item it: its weight (model.h
 * st_option_score), which reversed items count from the other end
 * (weight = highest + lowest - weight). */
static double option_weight(const st_form *f, const st_item *it, size_t o)
{
	size_t n;
	const st_option *op = st_item_options(f, it, &n);
	double w = st_option_score(&op[o]);
	if (!it->reverse || !n)
		return w;
	double lo = st_option_score(&op[0]), hi = lo;
	for (size_t i = 1; i < n; i++) {
		lo = fmin(lo, st_option_score(&op[i]));
		hi = fmax(hi, st_option_score(&op[i]));
	}
	return hi + lo - w;
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

/* The Coding that answers item it with option o: the option's own code
 * (a terminology's, e.g. LOINC) when it has one, else the option's value
 * in the item's code system under Steg's base (fhir.h, STEG_CODESYSTEM).
 * With the option's label as display when display is set. */
static json_t *option_coding(const exporter *x, const st_item *it, size_t o,
                             int display)
{
	size_t n;
	const st_option *op = &st_item_options(x->f, it, &n)[o];
	json_t *c = json_object();
	if (op->code.system && op->code.code) {
		json_object_set_new(c, "system", json_string(op->code.system));
		json_object_set_new(c, "code", json_string(op->code.code));
	} else {
		if (x->program)
			json_object_set_new(c, "system", json_string(st_sprintf(
			        x->a, STEG_CODESYSTEM "%s/%s/%s", x->program,
			        x->f->id, it->id)));
		json_object_set_new(c, "code", json_string(fmt_num(x->a,
		                    op->value)));
	}
	if (display)
		json_object_set_new(c, "display", json_string(op->label ?
		                    op->label : ""));
	return c;
}

/* ---- show-if to enableWhen ------------------------------------------- */


/* The comparisons as enableWhen spells them. */
static const char *const fhirpath_ops[] = {
	[ST_OP_EQ] = "=", [ST_OP_NE] = "!=", [ST_OP_LT] = "<",
	[ST_OP_LE] = "<=", [ST_OP_GT] = ">", [ST_OP_GE] = ">=",
};

/* A comparison's operator for enableWhen; NULL for any other op. */
static const char *fhir_op(int op)
{
	return op >= ST_OP_EQ && op <= ST_OP_GE ? fhirpath_ops[op] : NULL;
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
		op = st_op_flip(op);
	}
	if (name->kind != ST_AST_NAME || name->member)
		return -1;
	const st_item *it = find_item(x, name->name, NULL);
	if (!it)
		return -1;
	if (num->kind == ST_AST_BOOL && it->type == ST_Q_BOOLEAN &&
	    (op == ST_OP_EQ || op == ST_OP_NE)) {
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}",
		        "question", it->id, "operator", fhir_op(op),
		        "answerBoolean", num->num != 0));
		return 1;
	}
	if (num->kind != ST_AST_NUM)
		return -1;
	if (!is_choice(it)) {
		if (it->type != ST_Q_NUMBER && it->type != ST_Q_SCALE)
			return -1;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}",
		        "question", it->id, "operator", fhir_op(op),
		        it->type == ST_Q_SCALE ?
		        "answerInteger" : "answerDecimal", decimal(num->num)));
		return 1;
	}
	/* A choice is answered by a Coding, which FHIR compares only with =
	 * and !=: expand the comparison into the options it admits. */
	size_t no;
	st_item_options(f, it, &no);
	if (op == ST_OP_NE) {
		/* != one option; when options share the weight, = each of
		 * the others, below. */
		size_t hit = no, nhit = 0;
		for (size_t i = 0; i < no; i++)
			if (option_weight(f, it, i) == num->num) {
				hit = i;
				nhit++;
			}
		if (!nhit)
			return -1;
		if (nhit == 1) {
			json_array_append_new(arr, json_pack(
			        "{s:s, s:s, s:o}", "question", it->id,
			        "operator", "!=", "answerCoding",
			        option_coding(x, it, hit, 0)));
			return 1;
		}
	}
	int added = 0;
	for (size_t i = 0; i < no; i++) {
		if (!cmp_holds(option_weight(f, it, i), op, num->num))
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}",
		        "question", it->id, "operator", "=", "answerCoding",
		        option_coding(x, it, i, 1)));
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
		if (sc_fhirpath_expr(&x->fp, &fp, n) == 0) {
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

/* The Questionnaire item type of an item type (core/vocab.h); a scale is
 * an integer with a slider. */
static const char *fhir_type(st_qtype t)
{
	switch (t) {
	case ST_Q_NUMBER: return "decimal";
	case ST_Q_SCALE: return "integer";
	case ST_Q_TEXT: return "string";
	case ST_Q_LONGTEXT: return "text";
	case ST_Q_BOOLEAN: return "boolean";
	case ST_Q_DATE: return "date";
	default: return "choice";
	}
}

/* A code as a Coding list ([{system, code}]), or NULL when none. */
static json_t *codings(const st_code *c, const char *display)
{
	if (!c->system || !c->code)
		return NULL;
	json_t *o = json_pack("{s:s, s:s}", "system", c->system, "code",
	                      c->code);
	if (display)
		json_object_set_new(o, "display", json_string(display));
	return json_pack("[o]", o);
}

static json_t *export_item(exporter *x, const st_item *it)
{
	const st_form *f = x->f;
	json_t *q = json_object();
	json_object_set_new(q, "linkId", json_string(it->id));
	json_t *cd = codings(&it->code, NULL);
	if (cd)
		json_object_set_new(q, "code", cd);
	set_str(q, "text", it->text);
	st_qtype t = it->type;
	json_object_set_new(q, "type", json_string(fhir_type(t)));
	if (t == ST_Q_SCALE)
		push_ext(q, json_pack("{s:s, s:{s:[{s:s, s:s}]}}", "url",
		         URL_CONTROL, "valueCodeableConcept", "coding", "system",
		         "http://hl7.org/fhir/questionnaire-item-control",
		         "code", "slider"));
	if (it->has_min)
		push_ext(q, t == ST_Q_SCALE ?
		         json_pack("{s:s, s:I}", "url", URL_MIN, "valueInteger",
		                   (json_int_t)it->min) :
		         ext_decimal(URL_MIN, it->min));
	if (it->has_max)
		push_ext(q, t == ST_Q_SCALE ?
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
	if (t == ST_Q_CHOICE) {
		size_t no;
		const st_option *opts = st_item_options(f, it, &no);
		json_t *arr = json_array();
		for (size_t i = 0; i < no; i++) {
			double w = option_weight(f, it, i);
			json_t *o = json_pack("{s:[o,o], s:o}", "extension",
			        ext_decimal(URL_ORDINAL, w),
			        ext_decimal(URL_WEIGHT, w), "valueCoding",
			        option_coding(x, it, i, 1));
			/* a terminology's code is the answer's Coding; Steg's
			 * value travels beside it */
			if (opts[i].code.system && opts[i].code.code)
				push_ext(o, ext_decimal(URL_STEG_VALUE,
				                        opts[i].value));
			json_array_append_new(arr, o);
		}
		json_object_set_new(q, "answerOption", arr);
	}
	return q;
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
		int rc = -1;
		if (s->prorate > 0)
			rc = sc_fhirpath_prorated(&x->fp, &b, n, s->prorate);
		if (rc) {
			b.len = 0;
			rc = sc_fhirpath_expr(&x->fp, &b, n);
		}
		if (rc == 0) {
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

/* Questionnaire.name, a machine label ([A-Z][A-Za-z0-9_]{0,254}): the
 * form's id with its first letter in upper case ("phq9" -> "Phq9",
 * "somn_dagbok" -> "Somn_dagbok"); an identifier (core/vocab.h) always
 * gives a label, and the label gives the id back. */
char *sc_fhir_name(st_arena *a, const char *form_id)
{
	char *r = st_strdup(a, form_id);
	if (r[0] >= 'a' && r[0] <= 'z')
		r[0] = (char)(r[0] - 'a' + 'A');
	return r;
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
	x->fp.f = f;
	x->fp.items = x->items;
	json_t *q = json_object();
	json_object_set_new(q, "resourceType", json_string("Questionnaire"));
	json_object_set_new(q, "id", json_string(fhir_id(x->a, f->id)));
	json_object_set_new(q, "meta", json_pack("{s:[s]}", "profile",
	                    URL_SDC_PROFILE));
	if (p->id)
		json_object_set_new(q, "url", json_string(st_sprintf(x->a,
		        STEG_FHIR_BASE "/Questionnaire/%s/%s", p->id, f->id)));
	set_str(q, "version", p->version);
	json_object_set_new(q, "name", json_string(sc_fhir_name(x->a, f->id)));
	set_str(q, "title", f->title);
	json_object_set_new(q, "status", json_string("active"));
	json_t *fc = codings(&f->code, f->title);
	if (fc)
		json_object_set_new(q, "code", fc);
	set_str(q, "publisher", p->producer_name);
	set_str(q, "description", f->reference);
	set_str(q, "copyright", f->license);
	if (p->language)
		json_object_set_new(q, "language", json_string(p->language));
	if (f->name)
		push_ext(q, ext_string(URL_STEG_NAME, f->name));
	for (size_t i = 0; i < f->nalerts; i++) {
		const st_alert *al = &f->alerts[i];
		push_ext(q, json_pack("{s:s, s:[o,o,o,o]}", "url",
		         URL_STEG_ALERT, "extension",
		         ext_string("id", al->id ? al->id : ""),
		         ext_string("when", al->when ? al->when->src : ""),
		         ext_string("level", al->level ?
		                    st_alert_level_name(al->level) : ""),
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

json_t *sc_fhir_export(st_arena *a, st_diags *d, const char *bpath,
                       const st_program *p, const char *form_id)
{
	const st_form *f = st_program_form(p, form_id);
	if (!f) {
		st_span sp = { .file = bpath };
		st_buf names;
		st_buf_init(&names);
		for (size_t i = 0; i < p->nforms; i++)
			st_buf_printf(&names, "%s'%s'", i ? ", " : "",
			              p->forms[i].id);
		st_diag(d, ST_ERROR, "fhir-no-form", sp,
		        "bundle has no form '%s'", form_id);
		if (p->nforms)
			st_diag_note(d, sp, "its forms are %s", names.data);
		else
			st_diag_note(d, sp, "it has no forms");
		st_buf_release(&names);
		return NULL;
	}
	exporter x = { .a = a, .d = d, .f = f, .program = p->id,
	               .file = st_sprintf(a, "%s:%s", bpath, "program.xml") };
	return export_form(&x, p);
}
