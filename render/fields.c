/*
 * fields.c — exercises, diaries and rating forms as working forms, and the
 * evaluation endpoint (render.h).
 *
 * A post (application/x-www-form-urlencoded, from a page without script or
 * from preview.js) becomes the same JSON answers `steg score` reads: each
 * value typed by its item or field, an empty value unanswered.  A rating
 * form's answers are then checked and scored by core/score.c; an
 * exercise's by the rules below, and its show-if and computed fields
 * evaluated by core/expr_eval.c.  Nothing is evaluated anywhere else.
 *
 * Diaries keep their entries in the page: every entry so far travels in
 * the hidden field _entries (a JSON array of answers, each checked again
 * on every post, at most SR_MAX_ENTRIES), so that the server keeps no
 * state between requests.  _edit names the entry being edited; a button
 * _load=N puts entry N into the form.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render_int.h"
#include "score.h"
#include "vocab.h"
#include "xmlsafe.h"

#define TEXT_MAX (16u << 10)    /* bytes of one text answer */

/* ---- a post ------------------------------------------------------------ */

typedef struct pair {
	char *k, *v;
} pair;

typedef struct post {
	pair *p;
	size_t n, cap;
} post;

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static char *urldecode(st_arena *a, const char *s, size_t n)
{
	char *o = st_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			o[k++] = ' ';
		} else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		           hexval(s[i + 2]) >= 0) {
			o[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			o[k++] = s[i];
		}
	}
	o[k] = 0;
	/* a NUL inside ends the value: it is then no valid answer anyway */
	return o;
}

static void post_parse(post *ps, st_arena *a, const char *body, size_t len)
{
	memset(ps, 0, sizeof *ps);
	if (!body)
		return;
	size_t i = 0;
	while (i < len && ps->n < 10000) {
		size_t j = i;
		while (j < len && body[j] != '&')
			j++;
		size_t eq = i;
		while (eq < j && body[eq] != '=')
			eq++;
		if (eq > i) {
			pair pr;
			pr.k = urldecode(a, body + i, eq - i);
			pr.v = eq < j ? urldecode(a, body + eq + 1, j - eq - 1)
			              : st_strdup(a, "");
			ST_PUSH(a, ps->p, ps->n, ps->cap, pr);
		}
		i = j + 1;
	}
}

static const char *post_get(const post *ps, const char *k)
{
	for (size_t i = 0; i < ps->n; i++)
		if (!strcmp(ps->p[i].k, k))
			return ps->p[i].v;
	return NULL;
}

/* json_string refuses bytes that are not UTF-8: keep them as a marker the
 * checks refuse. */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : json_string("\xef\xbf\xbd");
}

/* A text from a post as a JSON number when it is one, else as a string
 * (which the checks then refuse, naming the item). */
static json_t *number_or_text(const char *s)
{
	char *end;
	double x = strtod(s, &end);
	if (*s && !*end && isfinite(x) && !strchr(s, 'x') && !strchr(s, 'X') &&
	    !strchr(s, 'n') && !strchr(s, 'N'))
		return x == floor(x) && fabs(x) < 1e15 ? json_integer((json_int_t)x)
		                                       : json_real(x);
	return text(s);
}

static json_t *bool_or_text(const char *s)
{
	if (!strcmp(s, "true"))
		return json_true();
	if (!strcmp(s, "false"))
		return json_false();
	return text(s);
}

/* The answers of a post to a form: {item: value}; keys starting with '_'
 * are the page's own. */
static json_t *form_answers(const st_form *f, const post *ps)
{
	json_t *o = json_object();
	for (size_t i = 0; i < ps->n; i++) {
		const char *k = ps->p[i].k, *v = ps->p[i].v;
		if (k[0] == '_' || !*v)
			continue;
		const st_item *it = NULL;
		for (size_t n = 0; n < f->nitems && !it; n++)
			if (f->items[n].id && !strcmp(f->items[n].id, k))
				it = &f->items[n];
		st_qtype t = it ? it->type : ST_Q_CHOICE;
		json_t *j;
		if (!it || t == ST_Q_TEXT || t == ST_Q_LONGTEXT || t == ST_Q_DATE)
			j = text(v);
		else if (t == ST_Q_BOOLEAN)
			j = bool_or_text(v);
		else
			j = number_or_text(v);
		json_object_set_new(o, k, j);
	}
	return o;
}

static const st_field *field_of(const st_exercise *e, const char *id)
{
	for (size_t n = 0; n < e->nfields; n++)
		if (e->fields[n].id && !strcmp(e->fields[n].id, id))
			return &e->fields[n];
	return NULL;
}

static st_qtype ftype(const st_field *f)
{
	return f && f->type ? f->type : ST_Q_TEXT;
}

static int is_numeric(st_qtype t)
{
	return t == ST_Q_NUMBER || t == ST_Q_SCALE ||
	       t == ST_Q_CHOICE || t == ST_Q_DURATION;
}

static json_t *exercise_answers(const st_exercise *e, const post *ps)
{
	json_t *o = json_object();
	for (size_t i = 0; i < ps->n; i++) {
		const char *k = ps->p[i].k, *v = ps->p[i].v;
		if (k[0] == '_' || !*v)
			continue;
		const st_field *f = field_of(e, k);
		st_qtype t = ftype(f);
		if (f && t == ST_Q_MULTI) {
			json_t *arr = json_object_get(o, k);
			if (!arr) {
				arr = json_array();
				json_object_set_new(o, k, arr);
			}
			if (json_is_array(arr))
				json_array_append_new(arr, number_or_text(v));
			continue;
		}
		json_t *j = !f ? text(v) : is_numeric(t) ? number_or_text(v)
		          : t == ST_Q_BOOLEAN ? bool_or_text(v) : text(v);
		json_object_set_new(o, k, j);
	}
	return o;
}

/* ---- an exercise's answers and what follows from them ------------------- */

typedef struct ex_eval {
	const st_exercise *e;
	st_value *given;        /* per field, as answered */
	st_value *fields;       /* after show-if */
	unsigned char *shown;
	st_value *comp;
	unsigned char *cstate;  /* 0 new, 1 computing, 2 done */
} ex_eval;

static const char *kind_of(const json_t *j)
{
	if (json_is_string(j)) return "a text";
	if (json_is_number(j)) return "a number";
	if (json_is_boolean(j)) return "true or false";
	if (json_is_array(j)) return "a list";
	if (json_is_object(j)) return "an object";
	return "null";
}

static int option_has(const st_field *f, double v)
{
	for (size_t i = 0; i < f->noptions; i++)
		if (f->options[i].value == v)
			return 1;
	return 0;
}

static int bounded(st_diags *d, st_span sp, const st_field *f, double v)
{
	if (f->has_min && v < f->min) {
		st_diag(d, ST_ERROR, "answers-value", sp,
		        "field '%s': %g is below its minimum %g", f->id, v, f->min);
		return 1;
	}
	if (f->has_max && v > f->max) {
		st_diag(d, ST_ERROR, "answers-value", sp,
		        "field '%s': %g is above its maximum %g", f->id, v, f->max);
		return 1;
	}
	return 0;
}

/* "HH:MM" as minutes since midnight; -1 when not one. */
static int clock_minutes(const char *s)
{
	unsigned h, m;
	char tail;
	if (strlen(s) != 5 || s[2] != ':' ||
	    sscanf(s, "%2u:%2u%c", &h, &m, &tail) != 2 || h > 23 || m > 59)
		return -1;
	return (int)(h * 60 + m);
}

/* Check one field's answer (as `steg score` checks an item's) into *v. */
static int check_field(st_arena *a, st_diags *d, st_span sp,
                       const st_field *f, json_t *j, st_value *v)
{
	st_qtype t = ftype(f);
	if (json_is_null(j))
		return 0;
	if (is_numeric(t) || t == ST_Q_MULTI) {
		double x = 0;
		if (t == ST_Q_MULTI) {
			if (!json_is_array(j)) {
				st_diag(d, ST_ERROR, "answers-type", sp, "field '%s' "
				        "must be answered with a list of options, not %s",
				        f->id, kind_of(j));
				return 1;
			}
			size_t i;
			json_t *el;
			json_array_foreach(j, i, el) {
				if (!json_is_number(el) ||
				    !option_has(f, json_number_value(el))) {
					st_diag(d, ST_ERROR, "answers-value", sp, "field "
					        "'%s': a choice that is not one of its "
					        "options", f->id);
					return 1;
				}
				for (size_t k = 0; k < i; k++)
					if (json_number_value(json_array_get(j, k)) ==
					    json_number_value(el)) {
						st_diag(d, ST_ERROR, "answers-value", sp,
						        "field '%s': an option chosen twice",
						        f->id);
						return 1;
					}
				x += json_number_value(el);
			}
		} else {
			if (!json_is_number(j)) {
				st_diag(d, ST_ERROR, "answers-type", sp, "field '%s' must "
				        "be answered with a number, not %s", f->id,
				        kind_of(j));
				return 1;
			}
			x = json_number_value(j);
			if (t == ST_Q_CHOICE && !option_has(f, x)) {
				st_diag(d, ST_ERROR, "answers-value", sp, "field '%s': %g "
				        "is not one of its options", f->id, x);
				return 1;
			}
			if (t != ST_Q_CHOICE && bounded(d, sp, f, x))
				return 1;
			if (t == ST_Q_SCALE) {
				double step = f->has_step ? f->step : 1;
				double base = f->has_min ? f->min : 0;
				double k = (x - base) / step;
				if (fabs(k - floor(k + 0.5)) > 1e-9) {
					st_diag(d, ST_ERROR, "answers-value", sp, "field "
					        "'%s': %g is not a step of the scale", f->id,
					        x);
					return 1;
				}
			}
		}
		v->type = ST_TYPE_NUMBER;
		v->missing = 0;
		v->num = x;
		return 0;
	}
	if (t == ST_Q_BOOLEAN) {
		if (!json_is_boolean(j)) {
			st_diag(d, ST_ERROR, "answers-type", sp, "field '%s' must be "
			        "answered with true or false, not %s", f->id,
			        kind_of(j));
			return 1;
		}
		v->missing = 0;
		v->num = json_is_true(j);
		return 0;
	}
	if (!json_is_string(j)) {
		st_diag(d, ST_ERROR, "answers-type", sp, "field '%s' must be "
		        "answered with a text, not %s", f->id, kind_of(j));
		return 1;
	}
	const char *s = json_string_value(j);
	size_t n = json_string_length(j);
	if (strlen(s) != n || n > TEXT_MAX) {
		st_diag(d, ST_ERROR, "answers-value", sp, "field '%s': the text "
		        "holds a NUL character or is longer than %u bytes", f->id,
		        TEXT_MAX);
		return 1;
	}
	if (t == ST_Q_DATE) {
		double days;
		if (!st_date_parse(s, &days)) {
			st_diag(d, ST_ERROR, "answers-value", sp, "field '%s': '%.40s' "
			        "is not a date written YYYY-MM-DD", f->id, s);
			return 1;
		}
		v->missing = 0;
		v->num = days;
		return 0;
	}
	if (t == ST_Q_TIME) {
		int m = clock_minutes(s);
		if (m < 0) {
			st_diag(d, ST_ERROR, "answers-value", sp, "field '%s': '%.40s' "
			        "is not a time written HH:MM", f->id, s);
			return 1;
		}
		v->type = ST_TYPE_NUMBER;
		v->missing = 0;
		v->num = m;
		return 0;
	}
	v->missing = 0;
	v->str = st_strdup(a, s);
	return 0;
}

static int field_value_type(const st_field *f)
{
	st_qtype t = ftype(f);
	if (t == ST_Q_TEXT || t == ST_Q_LONGTEXT)
		return ST_TYPE_TEXT;
	if (t == ST_Q_BOOLEAN)
		return ST_TYPE_BOOL;
	if (t == ST_Q_DATE)
		return ST_TYPE_DATE;
	return ST_TYPE_NUMBER;
}

/* Check an answers object against the exercise; errors into d. */
static int ex_parse(ex_eval *x, st_arena *a, st_diags *d,
                    const st_exercise *e, json_t *obj)
{
	int errs = 0;
	st_span sp = { "answers", 0, 0, 0, 0 };
	memset(x, 0, sizeof *x);
	x->e = e;
	x->given = st_alloc(a, (e->nfields + 1) * sizeof *x->given);
	x->fields = st_alloc(a, (e->nfields + 1) * sizeof *x->fields);
	x->shown = st_alloc(a, e->nfields + 1);
	x->comp = st_alloc(a, (e->ncomputed + 1) * sizeof *x->comp);
	x->cstate = st_alloc(a, e->ncomputed + 1);
	for (size_t i = 0; i < e->nfields; i++)
		x->given[i] = st_value_missing(field_value_type(&e->fields[i]));
	if (!json_is_object(obj)) {
		st_diag(d, ST_ERROR, "answers-type", sp, "answers must be an "
		        "object from field id to answer, not %s", kind_of(obj));
		return 1;
	}
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		const st_field *f = field_of(e, key);
		if (!f) {
			char shown[64];
			snprintf(shown, sizeof shown, "%s", key);
			for (char *c = shown; *c; c++)
				if ((unsigned char)*c < 0x20)
					*c = '?';
			st_diag(d, ST_ERROR, "answers-unknown-item", sp, "unknown "
			        "field '%s': exercise '%s' has no such field", shown,
			        e->id);
			errs++;
			continue;
		}
		errs += check_field(a, d, sp, f, val,
		                    &x->given[f - e->fields]);
	}
	return errs;
}

static st_value ex_computed(ex_eval *x, size_t i);

static st_value ex_lookup(void *ctx, int ref, size_t i, const void *target)
{
	ex_eval *x = ctx;
	(void)target;
	if (ref == ST_NAME_FIELD && i < x->e->nfields)
		return x->fields[i];
	if (ref == ST_NAME_COMPUTED && i < x->e->ncomputed)
		return ex_computed(x, i);
	return st_value_missing(ST_TYPE_NUMBER);
}

static st_value ex_computed(ex_eval *x, size_t i)
{
	if (x->cstate[i] == 2)
		return x->comp[i];
	if (x->cstate[i] == 1)     /* a cycle the checker refused */
		return st_value_missing(ST_TYPE_NUMBER);
	x->cstate[i] = 1;
	const st_expr *e = x->e->computed[i].value;
	st_eval_env env = { x, ex_lookup, NULL };
	x->comp[i] = e && e->ast ? st_expr_eval(e->ast, &env)
	                         : st_value_missing(ST_TYPE_NUMBER);
	x->cstate[i] = 2;
	return x->comp[i];
}

/* Show-ifs in field order (a show-if sees earlier fields as the patient
 * saw them, hidden ones unanswered), then every computed field. */
static void ex_run(ex_eval *x)
{
	const st_exercise *e = x->e;
	st_eval_env env = { x, ex_lookup, NULL };
	memcpy(x->fields, x->given, e->nfields * sizeof *x->fields);
	for (size_t i = 0; i < e->nfields; i++) {
		const st_expr *s = e->fields[i].show_if;
		int on = !s || !s->ast || st_value_true(st_expr_eval(s->ast, &env));
		x->shown[i] = (unsigned char)on;
		if (!on)
			x->fields[i] = st_value_missing(x->fields[i].type);
	}
	for (size_t i = 0; i < e->ncomputed; i++)
		ex_computed(x, i);
}

/* ---- controls ------------------------------------------------------------ */

/* One question of a form or field of an exercise, as a control. */
typedef struct ctl {
	const char *id;
	const char *dom;          /* unique prefix of DOM ids */
	const char *label;
	st_qtype kind;            /* the field types; items: choice number
	                             text boolean date scale */
	const st_option *opts;
	size_t nopts;
	double min, max, step;
	int has_min, has_max, has_step;
	const char *unit;
	int required;
	int shown;
	size_t number;            /* a form's question number, 0: none */
} ctl;

static int cur_is_num(const json_t *cur, double v)
{
	if (json_is_number(cur))
		return json_number_value(cur) == v;
	if (json_is_array(cur)) {
		size_t i;
		json_t *el;
		json_array_foreach(cur, i, el)
			if (json_is_number(el) && json_number_value(el) == v)
				return 1;
	}
	return 0;
}

static void dom_id(st_buf *b, const ctl *c, const char *suffix)
{
	st_buf id;
	st_buf_init(&id);
	st_buf_printf(&id, "%s-%s%s%s", c->dom, c->id, suffix ? "-" : "",
	              suffix ? suffix : "");
	sr_attr(b, "id", id.data);
	st_buf_release(&id);
}

static void label_text(st_buf *b, const sr_view *v, const ctl *c)
{
	if (c->number)
		st_buf_printf(b, "<span class=\"qno\">%zu.</span> ", c->number);
	sr_text(b, c->label ? c->label : c->id);
	if (c->required) {
		st_buf_adds(b, " <span class=\"req\">(");
		sr_text(b, sr_word_of(v, SR_W_REQUIRED));
		st_buf_adds(b, ")</span>");
	}
}

static void choice_input(st_buf *b, const ctl *c, const char *type,
                         const char *value, const char *label, int checked,
                         size_t k)
{
	char suffix[32];
	snprintf(suffix, sizeof suffix, "%zu", k);
	st_buf_adds(b, "<label class=\"option\"><input");
	sr_attr(b, "type", type);
	sr_attr(b, "name", c->id);
	sr_attr(b, "value", value);
	dom_id(b, c, suffix);
	if (checked)
		st_buf_adds(b, " checked=\"checked\"");
	st_buf_adds(b, "/> <span>");
	sr_text(b, label);
	st_buf_adds(b, "</span></label>");
}

/* A number written as a control's value: "3", "2.5". */
static const char *numtext(st_arena *a, double x)
{
	st_buf t;
	st_buf_init(&t);
	sr_num(&t, x);
	const char *s = st_strdup(a, t.data ? t.data : "");
	st_buf_release(&t);
	return s;
}

static size_t scale_steps(const ctl *c)
{
	if (!c->has_min || !c->has_max || c->max < c->min)
		return 0;
	double step = c->has_step && c->step > 0 ? c->step : 1;
	double n = floor((c->max - c->min) / step + 1e-9) + 1;
	return n >= 2 && n <= 21 ? (size_t)n : 0;
}

static void control(st_buf *b, st_arena *a, const sr_view *v, const ctl *c,
                    const json_t *cur)
{
	st_qtype k = c->kind ? c->kind : ST_Q_TEXT;
	int group = k == ST_Q_CHOICE || k == ST_Q_MULTI ||
	            k == ST_Q_BOOLEAN ||
	            (k == ST_Q_SCALE && scale_steps(c));
	st_buf_adds(b, group ? "<fieldset" : "<div");
	st_buf_adds(b, " class=\"field\"");
	sr_attr(b, "data-field", c->id);
	if (!c->shown)
		st_buf_adds(b, " hidden=\"hidden\"");
	st_buf_addc(b, '>');
	if (group) {
		st_buf_adds(b, "<legend>");
		label_text(b, v, c);
		/* a scale of up to eleven steps (0-10) is one row of equal
		 * cells, even at 320 px, not a wrapped 5 + 5 + 1 */
		st_buf_adds(b, k == ST_Q_SCALE && scale_steps(c) <= 11
		               ? "</legend><div class=\"options scale\">"
		               : "</legend><div class=\"options\">");
		if (k == ST_Q_BOOLEAN) {
			choice_input(b, c, "radio", "true", sr_word_of(v, SR_W_YES),
			             json_is_true(cur), 1);
			choice_input(b, c, "radio", "false", sr_word_of(v, SR_W_NO),
			             json_is_false(cur), 0);
		} else if (k == ST_Q_SCALE) {
			double step = c->has_step && c->step > 0 ? c->step : 1;
			size_t n = scale_steps(c);
			for (size_t i = 0; i < n; i++) {
				double x = c->min + step * (double)i;
				const char *t = numtext(a, x);
				choice_input(b, c, "radio", t, t, cur_is_num(cur, x), i);
			}
		} else {
			for (size_t i = 0; i < c->nopts; i++) {
				const st_option *o = &c->opts[i];
				choice_input(b, c, k == ST_Q_MULTI ? "checkbox"
				                                       : "radio",
				             numtext(a, o->value), o->label ? o->label : "",
				             cur_is_num(cur, o->value), i);
			}
		}
		st_buf_adds(b, "</div></fieldset>");
		return;
	}
	st_buf_adds(b, "<label");
	st_buf_printf(b, " for=\"");
	st_xml_add_attr(b, c->dom);
	st_buf_addc(b, '-');
	st_xml_add_attr(b, c->id);
	st_buf_adds(b, "\">");
	label_text(b, v, c);
	st_buf_adds(b, "</label>");
	const char *val = json_is_string(cur) ? json_string_value(cur)
	                : json_is_number(cur) ? numtext(a, json_number_value(cur))
	                : NULL;
	if (k == ST_Q_LONGTEXT) {
		st_buf_adds(b, "<textarea rows=\"4\"");
		sr_attr(b, "name", c->id);
		dom_id(b, c, NULL);
		if (c->required)
			st_buf_adds(b, " aria-required=\"true\"");
		st_buf_addc(b, '>');
		sr_text(b, val ? val : "");
		st_buf_adds(b, "</textarea></div>");
		return;
	}
	const char *type = k == ST_Q_DATE ? "date" : k == ST_Q_TIME
	                   ? "time" : k == ST_Q_TEXT ? "text" : "number";
	st_buf_adds(b, "<span class=\"input\"><input");
	sr_attr(b, "type", type);
	sr_attr(b, "name", c->id);
	dom_id(b, c, NULL);
	if (!strcmp(type, "number")) {
		if (c->has_min)
			sr_attr(b, "min", numtext(a, c->min));
		if (c->has_max)
			sr_attr(b, "max", numtext(a, c->max));
		sr_attr(b, "step", c->has_step ? numtext(a, c->step)
		                  : k == ST_Q_SCALE ? "1" : "any");
		st_buf_adds(b, " inputmode=\"decimal\"");
	}
	if (val)
		sr_attr(b, "value", val);
	if (c->required)
		st_buf_adds(b, " aria-required=\"true\"");
	st_buf_adds(b, "/>");
	const char *unit = c->unit ? c->unit : k == ST_Q_DURATION ? "min"
	                                                             : NULL;
	if (unit) {
		st_buf_adds(b, " <span class=\"unit\">");
		sr_text(b, unit);
		st_buf_adds(b, "</span>");
	}
	st_buf_adds(b, "</span></div>");
}

static void errors_box(st_buf *b, const sr_view *v, const st_diags *d)
{
	size_t n = st_diags_count(d);
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		if (st_diags_level(d, i) != ST_ERROR)
			continue;
		if (!any++) {
			st_buf_adds(b, "<div class=\"errors\" role=\"alert\"><p>");
			sr_text(b, sr_word_of(v, SR_W_ERRORS));
			st_buf_adds(b, "</p><ul>");
		}
		st_buf_adds(b, "<li>");
		sr_text(b, st_diags_message(d, i));
		st_buf_adds(b, "</li>");
	}
	if (any)
		st_buf_adds(b, "</ul></div>");
}

/* ---- rating forms ------------------------------------------------------- */

static const st_option *item_options(const st_form *f, const st_item *it,
                                     size_t *n)
{
	if (it->options) {
		*n = it->noptions;
		return it->options;
	}
	*n = f->noptions;
	return f->options;
}

static void item_list(st_buf *b, const st_form *f, const size_t *idx,
                      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			st_buf_adds(b, ", ");
		sr_text(b, f->items[idx[i]].id);
	}
}

/* The clinician's view of a result: scores with their bands, alerts,
 * missing items.  r NULL: not submitted yet. */
static void panel_body(st_buf *b, const sr_view *v, const st_form *f,
                       const st_score_result *r)
{
	if (!r) {
		st_buf_adds(b, "<p class=\"pending\">");
		sr_text(b, sr_word_of(v, SR_W_NOT_SUBMITTED));
		st_buf_adds(b, "</p>");
		return;
	}
	st_buf_adds(b, "<p class=\"completeness\">");
	if (!r->nmissing) {
		sr_text(b, sr_word_of(v, SR_W_COMPLETE));
	} else {
		sr_text(b, sr_word_of(v, SR_W_MISSING));
		st_buf_adds(b, ": <span class=\"missing\">");
		item_list(b, f, r->missing, r->nmissing);
		st_buf_adds(b, "</span>");
	}
	st_buf_adds(b, "</p>");
	if (r->nrequired) {
		st_buf_adds(b, "<p class=\"required-missing\">");
		sr_text(b, sr_word_of(v, SR_W_REQUIRED_MISSING));
		st_buf_adds(b, ": <span class=\"missing\">");
		item_list(b, f, r->required, r->nrequired);
		st_buf_adds(b, "</span></p>");
	}
	st_buf_adds(b, "<dl class=\"scores\">");
	for (size_t i = 0; i < r->nscores; i++) {
		const st_score_value *sv = &r->scores[i];
		const st_score *sc = sv->score;
		st_buf_adds(b, "<dt>");
		sr_text(b, sc->title ? sc->title : sc->id);
		st_buf_adds(b, "</dt><dd><span class=\"score-value\"");
		sr_attr(b, "data-score", sc->id);
		st_buf_addc(b, '>');
		if (sv->has_range) {
			st_buf lo, hi, line;
			st_buf_init(&lo);
			st_buf_init(&hi);
			st_buf_init(&line);
			sr_num(&lo, sv->lo);
			sr_num(&hi, sv->hi);
			st_buf_printf(&line, sr_word_of(v, SR_W_SCORE_RANGE),
			              lo.data, hi.data);
			sr_text(b, line.data);
			st_buf_release(&lo);
			st_buf_release(&hi);
			st_buf_release(&line);
		} else if (!sv->value.missing && sv->value.type == ST_TYPE_NUMBER) {
			sr_num(b, sv->value.num);
		} else {
			sr_text(b, sr_word_of(v, SR_W_NO_VALUE));
		}
		st_buf_adds(b, "</span>");
		const st_band *const *bands = sv->band ? &sv->band : sv->bands;
		size_t nb = sv->band ? 1 : sv->nbands;
		for (size_t k = 0; k < nb; k++) {
			const st_band *bd = bands[k];
			st_buf_adds(b, k ? " / " : " ");
			st_buf_adds(b, "<span");
			st_buf sub;
			st_buf_init(&sub);
			st_buf_printf(&sub, "band level-%s", bd->level ? bd->level
			                                              : "none");
			sr_attr(b, "class", sub.data);
			st_buf_release(&sub);
			st_buf_addc(b, '>');
			sr_text(b, bd->label ? bd->label : "");
			st_buf_adds(b, "</span>");
		}
		if (!nb && !sv->value.missing && sc->nbands) {
			st_buf_adds(b, " <span class=\"band\">");
			sr_text(b, sr_word_of(v, SR_W_NO_BAND));
			st_buf_adds(b, "</span>");
		}
		if (sv->prorated) {
			st_buf line;
			st_buf_init(&line);
			st_buf_printf(&line, sr_word_of(v, SR_W_PRORATED),
			              sv->prorate_answered, sv->prorate_items);
			st_buf_adds(b, " <span class=\"prorated\">(");
			sr_text(b, line.data);
			st_buf_adds(b, ")</span>");
		}
		st_buf_adds(b, "</dd>");
	}
	st_buf_adds(b, "</dl><h3>");
	sr_text(b, sr_word_of(v, SR_W_ALERTS));
	st_buf_adds(b, "</h3>");
	if (!r->nalerts) {
		st_buf_adds(b, "<p class=\"no-alerts\">");
		sr_text(b, sr_word_of(v, SR_W_NO_ALERTS));
		st_buf_adds(b, "</p>");
		return;
	}
	st_buf_adds(b, "<ul class=\"alerts\">");
	for (size_t i = 0; i < r->nalerts; i++) {
		const st_alert_value *av = &r->alerts[i];
		const st_alert *al = av->alert;
		int fires = av->status == ST_ALERT_FIRES;
		st_buf cls;
		st_buf_init(&cls);
		const char *lv = st_alert_level_name(al->level);
		st_buf_printf(&cls, "alert level-%s %s", lv ? lv : "info",
		              fires ? "fires" : "possible");
		st_buf_adds(b, "<li");
		sr_attr(b, "class", cls.data);
		sr_attr(b, "data-alert", al->id);
		st_buf_release(&cls);
		st_buf_adds(b, "><strong class=\"level\">");
		sr_text(b, sr_word_of(v, al->level == ST_ALERT_URGENT ? SR_W_LEVEL_URGENT
		                      : al->level == ST_ALERT_WARNING ? SR_W_LEVEL_WARNING
		                      : SR_W_LEVEL_INFO));
		st_buf_adds(b, "</strong> <span class=\"status\">");
		sr_text(b, sr_word_of(v, fires ? SR_W_FIRES : SR_W_POSSIBLE));
		st_buf_adds(b, "</span><p>");
		sr_text(b, al->message ? al->message : al->id);
		st_buf_adds(b, "</p></li>");
	}
	st_buf_adds(b, "</ul>");
}

/* The start of a form's or an exercise's section: its heading (h1 on a
 * page of its own, h2 inside a module page; the id when it has no title)
 * and its instructions. */
static void section_head(st_buf *b, const char *cls, const char *data_attr,
                         const char *id, const char *title,
                         const char *instructions, int standalone)
{
	const char *h = standalone ? "h1" : "h2";
	st_buf_printf(b, "<section class=\"%s\"", cls);
	sr_attr(b, data_attr, id);
	st_buf_printf(b, "><%s>", h);
	sr_text(b, title ? title : id);
	st_buf_printf(b, "</%s>", h);
	if (instructions) {
		st_buf_adds(b, "<p class=\"instructions\">");
		sr_text(b, instructions);
		st_buf_adds(b, "</p>");
	}
}

typedef struct form_run {
	st_diags *d;
	json_t *answers;         /* owned */
	int parsed;              /* answers passed the checks */
	int scored;              /* res is filled in */
	st_score_result res;
} form_run;

/* Check answers (an object, taken) and score them, or (score 0) only see
 * which items are shown.  Everything in a. */
static void form_eval(form_run *fr, st_arena *a, const st_form *f,
                      json_t *answers, int score)
{
	memset(fr, 0, sizeof *fr);
	fr->d = st_diags_new();
	fr->answers = answers;
	char *text = json_dumps(answers, JSON_COMPACT);
	st_answers ans;
	if (text && st_answers_parse(&ans, a, fr->d, f, "answers", text,
	                             strlen(text)) == ST_OK) {
		fr->parsed = 1;
		if (score) {
			st_score_form(&fr->res, a, &ans);
			fr->scored = 1;
		} else {
			fr->res.shown = st_alloc(a, f->nitems + 1);
			st_score_shown(fr->res.shown, a, &ans);
		}
	}
	free(text);
}

static void form_run_free(form_run *fr)
{
	json_decref(fr->answers);
	st_diags_free(fr->d);
}

static void form_panel(st_buf *b, const sr_view *v, const st_form *f,
                       const form_run *fr)
{
	st_buf_adds(b, "<aside class=\"clinician\" aria-live=\"polite\"");
	sr_attr(b, "data-panel", f->id);
	st_buf_adds(b, "><h2>");
	sr_text(b, sr_word_of(v, SR_W_CLINICIAN));
	st_buf_adds(b, "</h2><div class=\"panel-body\">");
	panel_body(b, v, f, fr && fr->scored ? &fr->res : NULL);
	st_buf_adds(b, "</div></aside>");
}

void sr_form_block(st_buf *b, const sr_view *v, const st_form *f,
                   const sr_input *in, int standalone)
{
	st_arena *a = st_arena_new();
	post ps;
	post_parse(&ps, a, in ? in->body : NULL, in ? in->len : 0);
	form_run fr;
	form_eval(&fr, a, f, form_answers(f, &ps), in != NULL);
	section_head(b, "steg-form", "data-form", f->id, f->title,
	             f->instructions, standalone);
	/* The clinician's panel comes first: on a phone, where the two are
	 * one column, it is above the questions (and what a submit shows
	 * first), not under the submit button where nobody looks; on a wide
	 * screen the stylesheet puts it beside them. */
	st_buf_adds(b, "<div class=\"form-layout\">");
	form_panel(b, v, f, in ? &fr : NULL);
	st_buf_adds(b, "<form method=\"post\" "
	            "novalidate=\"novalidate\" data-eval=\"form\"");
	sr_url(b, v, "action", "/forms/", f->id, NULL);
	sr_attr(b, "data-id", f->id);
	st_buf_addc(b, '>');
	if (in)
		errors_box(b, v, fr.d);
	st_buf dom;
	st_buf_init(&dom);
	st_buf_printf(&dom, "f-%s", f->id);
	for (size_t i = 0; i < f->nitems; i++) {
		const st_item *it = &f->items[i];
		ctl c;
		memset(&c, 0, sizeof c);
		c.id = it->id;
		c.dom = dom.data;
		c.label = it->text;
		c.kind = it->type;
		c.opts = item_options(f, it, &c.nopts);
		c.min = it->min;
		c.max = it->max;
		c.has_min = it->has_min;
		c.has_max = it->has_max;
		c.required = it->required;
		c.shown = !fr.parsed || !fr.res.shown || fr.res.shown[i];
		c.number = i + 1;
		control(b, a, v, &c, json_object_get(fr.answers, it->id));
	}
	st_buf_release(&dom);
	st_buf_adds(b, "<p class=\"actions\"><button type=\"submit\">");
	sr_text(b, sr_word_of(v, SR_W_SUBMIT));
	st_buf_adds(b, "</button></p></form></div>");
	if (standalone && (f->reference || f->license)) {
		st_buf_adds(b, "<footer class=\"source\">");
		if (f->reference) {
			st_buf_adds(b, "<p>");
			sr_text(b, f->reference);
			st_buf_adds(b, "</p>");
		}
		if (f->license) {
			st_buf_adds(b, "<p>");
			sr_text(b, f->license);
			st_buf_adds(b, "</p>");
		}
		st_buf_adds(b, "</footer>");
	}
	st_buf_adds(b, "</section>");
	form_run_free(&fr);
	st_arena_free(a);
}

int sr_form_page(st_buf *out, const sr_view *v, const char *form,
                 const sr_input *in)
{
	const st_form *f = form ? st_program_form(v->p, form) : NULL;
	if (!f)
		return ST_ENOENT;
	sr_open(out, v, f->title ? f->title : f->id, "form");
	sr_form_block(out, v, f, in, 1);
	sr_close(out, v);
	return ST_OK;
}

/* ---- exercises and diaries ---------------------------------------------- */

/* A value as a person reads it, with a unit. */
static void value_text(st_buf *b, const sr_view *v, st_value x,
                       const char *unit)
{
	if (x.missing) {
		sr_text(b, sr_word_of(v, SR_W_NO_VALUE));
		return;
	}
	switch (x.type) {
	case ST_TYPE_TEXT:
		sr_text(b, x.str);
		return;
	case ST_TYPE_BOOL:
		sr_text(b, sr_word_of(v, x.num ? SR_W_YES : SR_W_NO));
		return;
	case ST_TYPE_DATE: {
		/* days since 1970-01-01 to y-m-d (H. Hinnant) */
		long z = (long)x.num + 719468;
		long era = (z >= 0 ? z : z - 146096) / 146097;
		long doe = z - era * 146097;
		long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		long mp = (5 * doy + 2) / 153;
		long d = doy - (153 * mp + 2) / 5 + 1;
		long m = mp < 10 ? mp + 3 : mp - 9;
		st_buf_printf(b, "%04ld-%02ld-%02ld", yoe + era * 400 + (m <= 2),
		              m, d);
		return;
	}
	default:
		sr_num(b, x.num);
		if (unit) {
			st_buf_addc(b, ' ');
			sr_text(b, unit);
		}
	}
}

typedef struct ex_state {
	st_diags *d;
	json_t *answers;        /* the form's current answers (owned) */
	json_t *entries;        /* a diary's entries (owned array) */
	long edit;              /* entry being edited, -1 */
	int saved;
	ex_eval x;
	int ok;                 /* answers passed the checks */
} ex_state;

/* The diary's entries from a post: each checked again. */
static json_t *entries_of(st_arena *a, st_diags *d, const st_exercise *e,
                          const post *ps)
{
	json_t *out = json_array();
	const char *t = post_get(ps, "_entries");
	if (!t || !*t)
		return out;
	json_error_t je;
	json_t *arr = json_loads(t, JSON_REJECT_DUPLICATES, &je);
	st_span sp = { "entries", 0, 0, 0, 0 };
	if (!json_is_array(arr) || json_array_size(arr) > SR_MAX_ENTRIES) {
		st_diag(d, ST_ERROR, "answers-syntax", sp, "the diary's entries "
		        "are not a list of at most %u entries", SR_MAX_ENTRIES);
		json_decref(arr);
		return out;
	}
	size_t i;
	json_t *el;
	json_array_foreach(arr, i, el) {
		ex_eval x;
		st_diags *ed = st_diags_new();
		if (!ex_parse(&x, a, ed, e, el))
			json_array_append(out, el);
		else
			st_diag(d, ST_ERROR, "answers-value", sp, "entry %zu of the "
			        "diary is not a valid entry and was left out", i + 1);
		st_diags_free(ed);
	}
	json_decref(arr);
	return out;
}

static void ex_state_run(ex_state *st, st_arena *a, const st_exercise *e,
                         const sr_input *in)
{
	post ps;
	memset(st, 0, sizeof *st);
	st->d = st_diags_new();
	st->edit = -1;
	post_parse(&ps, a, in ? in->body : NULL, in ? in->len : 0);
	st->answers = exercise_answers(e, &ps);
	st->entries = e->repeat ? entries_of(a, st->d, e, &ps) : json_array();
	const char *ed = post_get(&ps, "_edit");
	if (ed && *ed) {
		long k = strtol(ed, NULL, 10);
		if (k >= 0 && (size_t)k < json_array_size(st->entries))
			st->edit = k;
	}
	const char *load = post_get(&ps, "_load");
	const char *action = post_get(&ps, "_action");
	int update = action && !strcmp(action, "update");
	if (e->repeat && load && *load) {
		long k = strtol(load, NULL, 10);
		json_t *en = k >= 0 ? json_array_get(st->entries, (size_t)k) : NULL;
		if (en) {
			json_decref(st->answers);
			st->answers = json_deep_copy(en);
			st->edit = k;
		}
	}
	st->ok = !ex_parse(&st->x, a, st->d, e, st->answers);
	ex_run(&st->x);
	if (in && e->repeat && st->ok && !(load && *load) && !update &&
	    json_object_size(st->answers)) {
		if (st->edit >= 0)
			json_array_set(st->entries, (size_t)st->edit, st->answers);
		else if (json_array_size(st->entries) < SR_MAX_ENTRIES)
			json_array_append(st->entries, st->answers);
		/* a new, empty entry */
		json_decref(st->answers);
		st->answers = json_object();
		st->edit = -1;
		st->saved = 1;
		ex_parse(&st->x, a, st->d, e, st->answers);
		ex_run(&st->x);
	}
}

static void ex_state_free(ex_state *st)
{
	json_decref(st->answers);
	json_decref(st->entries);
	st_diags_free(st->d);
}

static void computed_list(st_buf *b, const sr_view *v, const st_exercise *e,
                          const ex_eval *x)
{
	if (!e->ncomputed)
		return;
	st_buf_adds(b, "<div class=\"computed\"><p class=\"computed-head\">");
	sr_text(b, sr_word_of(v, SR_W_COMPUTED));
	st_buf_adds(b, "</p><dl>");
	for (size_t i = 0; i < e->ncomputed; i++) {
		const st_computed *c = &e->computed[i];
		st_buf_adds(b, "<dt>");
		sr_text(b, c->label ? c->label : c->id);
		st_buf_adds(b, "</dt><dd><output");
		sr_attr(b, "data-computed", c->id);
		st_buf_addc(b, '>');
		value_text(b, v, x->comp[i], c->unit);
		st_buf_adds(b, "</output></dd>");
	}
	st_buf_adds(b, "</dl></div>");
}

/* One line about an entry: its first date and time, its first text. */
static void entry_line(st_buf *b, st_arena *a, const sr_view *v,
                       const st_exercise *e, json_t *en, size_t k)
{
	ex_eval x;
	st_diags *d = st_diags_new();
	ex_parse(&x, a, d, e, en);
	st_diags_free(d);
	ex_run(&x);
	int any = 0;
	static const st_qtype order[] = { ST_Q_DATE, ST_Q_TIME, ST_Q_TEXT };
	for (size_t o = 0; o < sizeof order / sizeof *order; o++)
		for (size_t i = 0; i < e->nfields; i++) {
			if (ftype(&e->fields[i]) != order[o] ||
			    x.given[i].missing)
				continue;
			st_buf_adds(b, any++ ? " · " : "");
			json_t *j = json_object_get(en, e->fields[i].id);
			sr_text(b, json_is_string(j) ? json_string_value(j) : "");
			break;
		}
	if (!any) {
		st_buf line;
		st_buf_init(&line);
		st_buf_printf(&line, sr_word_of(v, SR_W_ENTRY), k + 1);
		sr_text(b, line.data);
		st_buf_release(&line);
	}
	for (size_t i = 0; i < e->ncomputed; i++)
		if (!x.comp[i].missing) {
			st_buf_adds(b, " · ");
			sr_text(b, e->computed[i].label ? e->computed[i].label
			                                : e->computed[i].id);
			st_buf_adds(b, ": ");
			value_text(b, v, x.comp[i], e->computed[i].unit);
		}
}

static void diary_list(st_buf *b, st_arena *a, const sr_view *v,
                       const st_exercise *e, const ex_state *st)
{
	char *t = json_dumps(st->entries, JSON_COMPACT);
	st_buf_adds(b, "<input type=\"hidden\" name=\"_entries\"");
	sr_attr(b, "value", t ? t : "[]");
	st_buf_adds(b, "/>");
	free(t);
	if (st->edit >= 0) {
		st_buf_adds(b, "<input type=\"hidden\" name=\"_edit\"");
		st_buf_printf(b, " value=\"%ld\"/>", st->edit);
	}
	st_buf_adds(b, "<div class=\"entries\"><p class=\"entries-head\">");
	sr_text(b, sr_word_of(v, SR_W_DIARY_ENTRIES));
	st_buf_adds(b, "</p>");
	size_t n = json_array_size(st->entries);
	if (!n) {
		st_buf_adds(b, "<p class=\"empty\">");
		sr_text(b, sr_word_of(v, SR_W_DIARY_EMPTY));
		st_buf_adds(b, "</p></div>");
		return;
	}
	st_buf_adds(b, "<ol class=\"entry-list\">");
	for (size_t k = 0; k < n; k++) {
		st_buf_adds(b, "<li class=\"entry\"><span class=\"entry-text\">");
		entry_line(b, a, v, e, json_array_get(st->entries, k), k);
		st_buf_adds(b, "</span> <button type=\"submit\" name=\"_load\"");
		st_buf_printf(b, " value=\"%zu\"", k);
		st_buf line;
		st_buf_init(&line);
		st_buf_printf(&line, "%s: ", sr_word_of(v, SR_W_DIARY_EDIT));
		st_buf_printf(&line, sr_word_of(v, SR_W_ENTRY), k + 1);
		sr_attr(b, "aria-label", line.data);
		st_buf_release(&line);
		st_buf_addc(b, '>');
		sr_text(b, sr_word_of(v, SR_W_DIARY_EDIT));
		st_buf_adds(b, "</button></li>");
	}
	st_buf_adds(b, "</ol></div>");
}

void sr_exercise_block(st_buf *b, const sr_view *v, const st_exercise *e,
                       const sr_input *in, int standalone)
{
	st_arena *a = st_arena_new();
	ex_state st;
	ex_state_run(&st, a, e, in);
	section_head(b, "steg-exercise", "data-exercise", e->id, e->title,
	             e->instructions, standalone);
	st_buf_adds(b, "<form method=\"post\" novalidate=\"novalidate\" "
	            "data-eval=\"exercise\"");
	sr_url(b, v, "action", "/ex/", e->id, NULL);
	sr_attr(b, "data-id", e->id);
	st_buf_addc(b, '>');
	if (in)
		errors_box(b, v, st.d);
	if (e->repeat) {
		st_buf_adds(b, "<p class=\"entry-head\">");
		if (st.edit >= 0) {
			st_buf line;
			st_buf_init(&line);
			st_buf_printf(&line, sr_word_of(v, SR_W_ENTRY),
			              (size_t)st.edit + 1);
			sr_text(b, line.data);
			st_buf_release(&line);
		} else {
			sr_text(b, sr_word_of(v, SR_W_DIARY_NEW));
		}
		st_buf_adds(b, "</p>");
	}
	st_buf dom;
	st_buf_init(&dom);
	st_buf_printf(&dom, "x-%s", e->id);
	for (size_t i = 0; i < e->nfields; i++) {
		const st_field *f = &e->fields[i];
		ctl c;
		memset(&c, 0, sizeof c);
		c.id = f->id;
		c.dom = dom.data;
		c.label = f->label;
		c.kind = ftype(f);
		c.opts = f->options;
		c.nopts = f->noptions;
		c.min = f->min;
		c.max = f->max;
		c.step = f->step;
		c.has_min = f->has_min;
		c.has_max = f->has_max;
		c.has_step = f->has_step;
		c.unit = f->unit;
		c.required = f->required;
		c.shown = st.x.shown[i];
		control(b, a, v, &c, json_object_get(st.answers, f->id));
	}
	st_buf_release(&dom);
	computed_list(b, v, e, &st.x);
	st_buf_adds(b, "<p class=\"actions\"><button type=\"submit\" "
	            "name=\"_action\" value=\"save\">");
	sr_text(b, sr_word_of(v, SR_W_SAVE));
	st_buf_adds(b, "</button>");
	int dynamic = e->ncomputed > 0;
	for (size_t i = 0; i < e->nfields; i++)
		dynamic |= e->fields[i].show_if != NULL;
	if (dynamic) {
		/* without script, show-if and computed fields follow a post */
		st_buf_adds(b, "<noscript> <button type=\"submit\" "
		            "name=\"_action\" value=\"update\" "
		            "class=\"secondary\">");
		sr_text(b, sr_word_of(v, SR_W_UPDATE));
		st_buf_adds(b, "</button></noscript>");
	}
	st_buf_adds(b, "</p>");
	if (e->repeat)
		diary_list(b, a, v, e, &st);
	st_buf_adds(b, "</form></section>");
	ex_state_free(&st);
	st_arena_free(a);
}

int sr_exercise_page(st_buf *out, const sr_view *v, const char *exercise,
                     const sr_input *in)
{
	const st_exercise *e = exercise ? st_program_exercise(v->p, exercise)
	                                : NULL;
	if (!e)
		return ST_ENOENT;
	sr_open(out, v, e->title ? e->title : e->id, "exercise");
	sr_exercise_block(out, v, e, in, 1);
	sr_close(out, v);
	return ST_OK;
}

/* ---- the evaluation endpoint -------------------------------------------- */

static json_t *errors_json(const st_diags *d)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < st_diags_count(d); i++)
		if (st_diags_level(d, i) == ST_ERROR)
			json_array_append_new(arr, text(st_diags_message(d, i)));
	return arr;
}

static void dump(st_buf *out, json_t *o)
{
	char *t = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (t) {
		st_buf_adds(out, t);
		st_buf_addc(out, '\n');
	}
	free(t);
	json_decref(o);
}

static int fail(st_buf *out, int status, const char *msg)
{
	json_t *o = json_object();
	json_object_set_new(o, "error", text(msg));
	dump(out, o);
	return status;
}

/* Evaluate answers (taken) for the form or exercise named. */
static int evaluate(st_buf *out, const sr_view *v, const char *form,
                    const char *exercise, json_t *answers)
{
	st_arena *a = st_arena_new();
	json_t *o = json_object();
	json_t *visible = json_array();
	json_t *computed = json_object();
	json_object_set_new(o, "visible", visible);
	json_object_set_new(o, "computed", computed);
	if (form) {
		const st_form *f = st_program_form(v->p, form);
		form_run fr;
		form_eval(&fr, a, f, answers, 1);
		for (size_t i = 0; i < f->nitems; i++)
			if (!fr.parsed || !fr.res.shown || fr.res.shown[i])
				json_array_append_new(visible, json_string(f->items[i].id));
		json_object_set_new(o, "errors", errors_json(fr.d));
		json_t *res = NULL;
		if (fr.scored) {
			char *t = st_score_json(&fr.res);
			res = t ? json_loads(t, 0, NULL) : NULL;
			free(t);
		}
		json_object_set_new(o, "result", res ? res : json_null());
		st_buf panel;
		st_buf_init(&panel);
		panel_body(&panel, v, f, fr.scored ? &fr.res : NULL);
		json_object_set_new(o, "panel", text(panel.data ? panel.data : ""));
		st_buf_release(&panel);
		form_run_free(&fr);
	} else {
		const st_exercise *e = st_program_exercise(v->p, exercise);
		st_diags *d = st_diags_new();
		ex_eval x;
		int errs = ex_parse(&x, a, d, e, answers);
		ex_run(&x);
		for (size_t i = 0; i < e->nfields; i++)
			if (x.shown[i])
				json_array_append_new(visible, json_string(e->fields[i].id));
		for (size_t i = 0; i < e->ncomputed; i++) {
			json_t *c = json_object();
			st_value cv = x.comp[i];
			json_t *val = errs || cv.missing ? json_null()
			            : cv.type == ST_TYPE_TEXT ? text(cv.str)
			            : cv.type == ST_TYPE_BOOL ? json_boolean(cv.num)
			            : json_real(cv.num);
			st_buf t;
			st_buf_init(&t);
			value_text(&t, v, errs ? st_value_missing(cv.type) : cv,
			           e->computed[i].unit);
			json_object_set_new(c, "value", val);
			json_object_set_new(c, "text", text(t.data ? t.data : ""));
			st_buf_release(&t);
			json_object_set_new(computed, e->computed[i].id, c);
		}
		json_object_set_new(o, "errors", errors_json(d));
		json_object_set_new(o, "result", json_null());
		st_diags_free(d);
		json_decref(answers);
	}
	dump(out, o);
	st_arena_free(a);
	return 200;
}

static int target_check(st_buf *out, const sr_view *v, const char *form,
                        const char *exercise)
{
	if (!!form == !!exercise)
		return fail(out, 400, "give either \"form\" or \"exercise\", "
		            "with \"answers\"");
	if (form && !st_program_form(v->p, form))
		return fail(out, 404, "the program has no such rating form");
	if (exercise && !st_program_exercise(v->p, exercise))
		return fail(out, 404, "the program has no such exercise");
	return 0;
}

int sr_eval_json(st_buf *out, const sr_view *v, const char *body, size_t len)
{
	if (len > SR_MAX_BODY)
		return fail(out, 413, "the request is too large");
	json_error_t je;
	json_t *root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES,
	                          &je);
	if (!root) {
		char msg[256];
		snprintf(msg, sizeof msg, "the request is not valid JSON: line "
		         "%d: %s", je.line, je.text);
		return fail(out, 400, msg);
	}
	const char *form = NULL, *exercise = NULL, *key;
	json_t *answers = NULL, *val;
	int status = 0;
	if (!json_is_object(root))
		status = fail(out, 400, "the request must be a JSON object");
	json_object_foreach(root, key, val) {
		if (status)
			break;
		if (!strcmp(key, "form") && json_is_string(val))
			form = json_string_value(val);
		else if (!strcmp(key, "exercise") && json_is_string(val))
			exercise = json_string_value(val);
		else if (!strcmp(key, "answers") && json_is_object(val))
			answers = val;
		else {
			char msg[160];
			snprintf(msg, sizeof msg, "unknown key or wrong type: "
			         "'%.60s'; the keys are form or exercise (a text) "
			         "and answers (an object)", key);
			status = fail(out, 400, msg);
		}
	}
	if (!status)
		status = target_check(out, v, form, exercise);
	if (!status)
		status = evaluate(out, v, form, exercise,
		                  answers ? json_incref(answers) : json_object());
	json_decref(root);
	return status;
}

int sr_eval_post(st_buf *out, const sr_view *v, const char *body, size_t len)
{
	if (len > SR_MAX_BODY)
		return fail(out, 413, "the request is too large");
	st_arena *a = st_arena_new();
	post ps;
	post_parse(&ps, a, body, len);
	const char *form = post_get(&ps, "_form");
	const char *exercise = post_get(&ps, "_exercise");
	int status = target_check(out, v, form, exercise);
	if (!status) {
		json_t *ans = form ? form_answers(st_program_form(v->p, form), &ps)
		              : exercise_answers(st_program_exercise(v->p, exercise),
		                                 &ps);
		status = evaluate(out, v, form, exercise, ans);
	}
	st_arena_free(a);
	return status;
}
