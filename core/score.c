/*
 * score.c — answers to a rating form in, scores, bands and alerts out
 * (score.h).
 *
 * The answers file is untrusted input: it is size-capped, parsed by
 * jansson with duplicate keys refused, and every value is checked against
 * its item before any expression runs, so that the evaluator only ever
 * sees values the form allows.  Each problem is reported with the item it
 * is about; all of them, not just the first, since a clinician or an
 * integration fixing a file wants the whole list.
 *
 * Scores may refer to scores; each is computed once, on demand, in the
 * order the references need (the checker has already refused cycles; a
 * guard here keeps a damaged program from recursing forever).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "score.h"

static st_value missing(int type)
{
	st_value v = { type, 1, 0, NULL };
	return v;
}

static st_span file_span(const char *file)
{
	st_span sp = { file, 0, 0, 0, 0 };
	return sp;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static int parse_date(const char *s, double *out)
{
	unsigned y, m, d;
	char tail;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3)
		return 0;
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	                                  31, 30, 31 };
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return 0;
	*out = (double)days_from_civil((long)y, m, d);
	return 1;
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

static const char *option_list(st_arena *a, const st_option *o, size_t n)
{
	st_buf b;
	st_buf_init(&b);
	for (size_t i = 0; i < n && i < 20; i++)
		st_buf_printf(&b, "%s%g", i ? ", " : "", o[i].value);
	if (n > 20)
		st_buf_adds(&b, ", ...");
	const char *s = st_strdup(a, b.data ? b.data : "");
	st_buf_release(&b);
	return s;
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "a list";
	case JSON_STRING: return "a text";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "true or false";
	default: return "null";
	}
}

/* Check one answer; fills *raw and *val or reports. */
static int check_answer(st_arena *a, st_diags *d, const char *file,
                        const st_form *f, const st_item *it, json_t *j,
                        st_value *raw, st_value *val)
{
	const char *t = it->type ? it->type : "choice";
	const char *id = it->id;
	st_span sp = file_span(file);
	*raw = missing(ST_TYPE_NUMBER);
	if (json_is_null(j)) {
		if (!strcmp(t, "text")) raw->type = ST_TYPE_TEXT;
		else if (!strcmp(t, "boolean")) raw->type = ST_TYPE_BOOL;
		else if (!strcmp(t, "date")) raw->type = ST_TYPE_DATE;
		*val = *raw;
		return 0;
	}
	if (!strcmp(t, "choice") || !strcmp(t, "number") ||
	    !strcmp(t, "scale")) {
		if (!json_is_number(j)) {
			st_diag(d, ST_ERROR, "answers-type", sp,
			        "item '%s' must be answered with a number, not %s",
			        id, json_kind(j));
			return 1;
		}
		double v = json_number_value(j);
		raw->missing = 0;
		raw->num = v;
		if (!strcmp(t, "choice")) {
			size_t n;
			const st_option *o = item_options(f, it, &n);
			double lo = INFINITY, hi = -INFINITY;
			int found = 0;
			for (size_t i = 0; i < n; i++) {
				if (o[i].value == v)
					found = 1;
				if (o[i].value < lo) lo = o[i].value;
				if (o[i].value > hi) hi = o[i].value;
			}
			if (!found) {
				st_diag(d, ST_ERROR, "answers-value", sp,
				        "item '%s': %g is not one of its answer options "
				        "(%s)", id, v, option_list(a, o, n));
				return 1;
			}
			*val = *raw;
			if (it->reverse)
				val->num = lo + hi - v;
			return 0;
		}
		if (it->has_min && v < it->min) {
			st_diag(d, ST_ERROR, "answers-value", sp,
			        "item '%s': %g is below its minimum %g", id, v,
			        it->min);
			return 1;
		}
		if (it->has_max && v > it->max) {
			st_diag(d, ST_ERROR, "answers-value", sp,
			        "item '%s': %g is above its maximum %g", id, v,
			        it->max);
			return 1;
		}
		if (!strcmp(t, "scale") && v != floor(v)) {
			st_diag(d, ST_ERROR, "answers-value", sp,
			        "item '%s': %g is not a whole step of the scale", id, v);
			return 1;
		}
		*val = *raw;
		if (it->reverse && it->has_min && it->has_max)
			val->num = it->min + it->max - v;
		return 0;
	}
	if (!strcmp(t, "boolean")) {
		if (!json_is_boolean(j)) {
			st_diag(d, ST_ERROR, "answers-type", sp,
			        "item '%s' must be answered with true or false, not %s",
			        id, json_kind(j));
			return 1;
		}
		raw->type = ST_TYPE_BOOL;
		raw->missing = 0;
		raw->num = json_is_true(j);
		*val = *raw;
		return 0;
	}
	if (!json_is_string(j)) {
		st_diag(d, ST_ERROR, "answers-type", sp,
		        "item '%s' must be answered with a text, not %s", id,
		        json_kind(j));
		return 1;
	}
	const char *s = json_string_value(j);
	if (!strcmp(t, "date")) {
		double days;
		if (!parse_date(s, &days)) {
			st_diag(d, ST_ERROR, "answers-value", sp,
			        "item '%s': '%.40s' is not a date written YYYY-MM-DD",
			        id, s);
			return 1;
		}
		raw->type = ST_TYPE_DATE;
		raw->missing = 0;
		raw->num = days;
	} else {
		if (strlen(s) != json_string_length(j)) {
			st_diag(d, ST_ERROR, "answers-value", sp,
			        "item '%s': the text holds a NUL character", id);
			return 1;
		}
		raw->type = ST_TYPE_TEXT;
		raw->missing = 0;
		raw->str = st_strdup(a, s);
	}
	*val = *raw;
	return 0;
}

int st_answers_parse(st_answers *out, st_arena *a, st_diags *d,
                     const st_form *f, const char *file, const char *json,
                     size_t len)
{
	int before = st_diags_errors(d);
	memset(out, 0, sizeof *out);
	out->form = f;
	out->values = st_alloc(a, (f->nitems + 1) * sizeof *out->values);
	out->raw = st_alloc(a, (f->nitems + 1) * sizeof *out->raw);
	for (size_t i = 0; i < f->nitems; i++)
		out->values[i] = out->raw[i] = missing(ST_TYPE_NUMBER);
	if (len > ST_ANSWERS_MAX_BYTES) {
		st_diag(d, ST_ERROR, "answers-syntax", file_span(file),
		        "answers file is %zu bytes, more than the limit of %u",
		        len, ST_ANSWERS_MAX_BYTES);
		return ST_ERR;
	}
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		st_span sp = { file, je.line > 0 ? je.line : 0,
		               je.column > 0 ? je.column : 0, 0, 0 };
		sp.end_line = sp.line;
		sp.end_col = sp.col;
		st_diag(d, ST_ERROR, "answers-syntax", sp,
		        "answers are not valid JSON: %s", je.text);
		return ST_ERR;
	}
	if (!json_is_object(root)) {
		st_diag(d, ST_ERROR, "answers-type", file_span(file),
		        "answers must be a JSON object from item id to answer, not "
		        "%s", json_kind(root));
		json_decref(root);
		return ST_ERR;
	}
	st_strmap *items = st_strmap_new(a);
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].id)
			st_strmap_put(items, f->items[i].id, i, NULL);
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val) {
		size_t i;
		if (!st_strmap_get(items, key, &i)) {
			const char *near = st_strmap_closest(items, key);
			char shown[64];
			snprintf(shown, sizeof shown, "%s", key);
			for (char *c = shown; *c; c++)
				if ((unsigned char)*c < 0x20)
					*c = '?';
			if (near)
				st_diag(d, ST_ERROR, "answers-unknown-item",
				        file_span(file),
				        "unknown item '%s': form '%s' has no such item; did "
				        "you mean '%s'?", shown, f->id, near);
			else
				st_diag(d, ST_ERROR, "answers-unknown-item",
				        file_span(file),
				        "unknown item '%s': form '%s' has no such item",
				        shown, f->id);
			continue;
		}
		check_answer(a, d, file, f, &f->items[i], val, &out->raw[i],
		             &out->values[i]);
	}
	json_decref(root);
	return st_diags_errors(d) > before ? ST_ERR : ST_OK;
}

/* ---- scoring ----------------------------------------------------------- */
typedef struct scorer {
	const st_answers *ans;
	st_value *items;          /* after show-if */
	st_value *scores;
	unsigned char *state;
} scorer;

static st_value score_value(scorer *s, size_t i);

static st_value lookup(void *ctx, int ref, size_t i, const void *target)
{
	scorer *s = ctx;
	(void)target;
	if (ref == ST_NAME_ITEM)
		return s->items[i];
	if (ref == ST_NAME_SCORE)
		return score_value(s, i);
	return missing(ST_TYPE_NUMBER);
}

static st_value score_value(scorer *s, size_t i)
{
	if (s->state[i] == 2)
		return s->scores[i];
	if (s->state[i] == 1)
		return missing(ST_TYPE_NUMBER);
	s->state[i] = 1;
	const st_expr *e = s->ans->form->scores[i].value;
	st_eval_env env = { s, lookup, NULL };
	st_value v = e && e->ast ? st_expr_eval(e->ast, &env)
	                         : missing(ST_TYPE_NUMBER);
	s->scores[i] = v;
	s->state[i] = 2;
	return v;
}

const st_band *st_score_band(const st_score *s, double v)
{
	const st_band *best = NULL;
	for (size_t i = 0; i < s->nbands; i++) {
		const st_band *b = &s->bands[i];
		if (v >= b->from && v <= b->to && (!best || b->from > best->from))
			best = b;
	}
	return best;
}

int st_score_form(st_score_result *out, st_arena *a, const st_answers *ans)
{
	const st_form *f = ans->form;
	scorer s;
	memset(out, 0, sizeof *out);
	out->form = f;
	s.ans = ans;
	s.items = st_alloc(a, (f->nitems + 1) * sizeof *s.items);
	s.scores = st_alloc(a, (f->nscores + 1) * sizeof *s.scores);
	s.state = st_alloc(a, f->nscores + 1);
	st_eval_env env = { &s, lookup, NULL };

	/* Items hidden by their show-if are unanswered; in form order, so
	 * that a show-if sees earlier items as the patient saw them. */
	for (size_t i = 0; i < f->nitems; i++)
		s.items[i] = ans->values[i];
	for (size_t i = 0; i < f->nitems; i++) {
		const st_expr *e = f->items[i].show_if;
		if (e && e->ast && !st_value_true(st_expr_eval(e->ast, &env)))
			s.items[i] = missing(s.items[i].type);
	}

	out->nscores = f->nscores;
	out->scores = st_alloc(a, (f->nscores + 1) * sizeof *out->scores);
	for (size_t i = 0; i < f->nscores; i++) {
		st_score_value *sv = &out->scores[i];
		sv->score = &f->scores[i];
		sv->value = score_value(&s, i);
		if (!sv->value.missing)
			sv->band = st_score_band(sv->score, sv->value.num);
	}
	out->alerts = st_alloc(a, (f->nalerts + 1) * sizeof *out->alerts);
	for (size_t i = 0; i < f->nalerts; i++) {
		const st_expr *e = f->alerts[i].when;
		if (e && e->ast && st_value_true(st_expr_eval(e->ast, &env)))
			out->alerts[out->nalerts++] = &f->alerts[i];
	}
	return ST_OK;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *number(double v)
{
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

char *st_score_json(const st_score_result *r)
{
	json_t *root = json_object();
	json_t *scores = json_array();
	json_t *alerts = json_array();
	json_object_set_new(root, "form", str_or_null(r->form->id));
	for (size_t i = 0; i < r->nscores; i++) {
		const st_score_value *sv = &r->scores[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", str_or_null(sv->score->id));
		json_object_set_new(o, "value", sv->value.missing ? json_null()
		                                : number(sv->value.num));
		json_object_set_new(o, "band",
		                    str_or_null(sv->band ? sv->band->label : NULL));
		json_object_set_new(o, "level",
		                    str_or_null(sv->band ? sv->band->level : NULL));
		json_array_append_new(scores, o);
	}
	for (size_t i = 0; i < r->nalerts; i++) {
		const st_alert *al = r->alerts[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", str_or_null(al->id));
		json_object_set_new(o, "level", str_or_null(al->level));
		json_object_set_new(o, "message", str_or_null(al->message));
		json_array_append_new(alerts, o);
	}
	json_object_set_new(root, "scores", scores);
	json_object_set_new(root, "alerts", alerts);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	                              JSON_REAL_PRECISION(15));
	json_decref(root);
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *withnl = malloc(n + 2);
	if (withnl) {
		memcpy(withnl, text, n);
		withnl[n] = '\n';
		withnl[n + 1] = 0;
	}
	free(text);
	return withnl;
}
