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
#include "interval.h"
#include "score.h"
#include "vocab.h"


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

int st_date_parse(const char *s, double *out)
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

/* An answer v of item it as the scores see it: a choice's answer is the
 * weight of the option with that value (st_option_score); reverse
 * scoring maps a weight w to lowest + highest - w, over the weights of
 * the item's options (choice) or its min and max (scale and number). */
static double scored_answer(const st_form *f, const st_item *it, double v)
{
	if (it->type == ST_Q_CHOICE) {
		const st_option *c = st_item_option(f, it, v);
		if (c)
			v = st_option_score(c);
	}
	if (!it->reverse)
		return v;
	if (it->type == ST_Q_CHOICE) {
		size_t n;
		const st_option *o = st_item_options(f, it, &n);
		double lo = INFINITY, hi = -INFINITY;
		for (size_t i = 0; i < n; i++) {
			double w = st_option_score(&o[i]);
			if (w < lo) lo = w;
			if (w > hi) hi = w;
		}
		return n ? lo + hi - v : v;
	}
	if (it->has_min && it->has_max)
		return it->min + it->max - v;
	return v;
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
	st_qtype t = it->type;
	const char *id = it->id;
	st_span sp = file_span(file);
	*raw = st_value_missing(ST_TYPE_NUMBER);
	if (json_is_null(j)) {
		raw->type = st_qtype_value_type(t);
		*val = *raw;
		return 0;
	}
	if (t == ST_Q_CHOICE || t == ST_Q_NUMBER || t == ST_Q_SCALE) {
		if (!json_is_number(j)) {
			st_diag(d, ST_ERROR, "answers-type", sp,
			        "item '%s' must be answered with a number, not %s",
			        id, json_kind(j));
			return 1;
		}
		double v = json_number_value(j);
		raw->missing = 0;
		raw->num = v;
		if (t == ST_Q_CHOICE) {
			size_t n;
			const st_option *o = st_item_options(f, it, &n);
			if (!st_item_option(f, it, v)) {
				st_diag(d, ST_ERROR, "answers-value", sp,
				        "item '%s': %g is not one of its answer options "
				        "(%s)", id, v, option_list(a, o, n));
				return 1;
			}
			*val = *raw;
			val->num = scored_answer(f, it, v);
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
		if (t == ST_Q_SCALE && v != floor(v)) {
			st_diag(d, ST_ERROR, "answers-value", sp,
			        "item '%s': %g is not a whole step of the scale", id, v);
			return 1;
		}
		*val = *raw;
		val->num = scored_answer(f, it, v);
		return 0;
	}
	if (t == ST_Q_BOOLEAN) {
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
	if (t == ST_Q_DATE) {
		double days;
		if (!st_date_parse(s, &days)) {
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
		out->values[i] = out->raw[i] = st_value_missing(ST_TYPE_NUMBER);
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
/*
 * One scorer evaluates the form for one *completion* at a time: cur holds
 * the answers given and, for the unanswered items being tried, a supposed
 * answer (marked assumed, core/expr.h); setup() applies the show-ifs in
 * form order, as the patient saw the form, and forgets the scores of the
 * previous completion.
 *
 * Which unanswered items a score or an alert depends on comes from a walk
 * of its expression (through the scores it uses and the show-ifs of the
 * items it uses).  Only items whose value is used are tried: inside count,
 * answered and mean a supposed answer counts as unanswered whatever it is.
 */
typedef struct outcome {
	size_t n;              /* completions tried */
	size_t ntrue;          /* conditions: completions where it holds */
	size_t nvalue;         /* scores: completions where it has a value */
	double lo, hi;
	int differ;            /* two completions gave different values */
	unsigned char *band_hit;   /* per band of the score */
	int no_band;           /* a value in no band */
} outcome;

typedef struct domain {
	size_t item;
	st_value *vals;        /* its possible answers as the scores see them */
	size_t n;
} domain;

typedef struct scorer {
	st_arena *a;
	const st_form *f;
	const st_answers *ans;
	st_value *cur;            /* answers given, and the ones supposed */
	st_value *items;          /* cur after show-if */
	st_value *base;           /* items with nothing supposed */
	st_value *scores;         /* memo of this completion */
	unsigned char *state;
	unsigned char *hidden;    /* unanswered and hidden in every completion */
	unsigned char *shown;     /* setup() records each item's show-if here,
	                             when set */
	size_t base_cost;         /* steps of setup() */
	size_t *score_cost;       /* nodes of each score's value */
	size_t work;              /* steps left for the whole form */
	/* the walk of one score or alert */
	unsigned char *ref_item;  /* used at all */
	unsigned char *val_item;  /* its value used */
	unsigned char *seen;      /* scores walked: 1 for value, 2 otherwise */
	size_t cost;              /* nodes of the expressions walked */
} scorer;

static st_value score_value(scorer *s, size_t i);

static st_value lookup(void *ctx, int ref, size_t i, const void *target)
{
	scorer *s = ctx;
	(void)target;
	if (ref == ST_NAME_ITEM && i < s->f->nitems)
		return s->items[i];
	if (ref == ST_NAME_SCORE && i < s->f->nscores)
		return score_value(s, i);
	return st_value_missing(ST_TYPE_NUMBER);
}

static st_value score_value(scorer *s, size_t i)
{
	if (s->state[i] == 2)
		return s->scores[i];
	if (s->state[i] == 1)
		return st_value_missing(ST_TYPE_NUMBER);
	s->state[i] = 1;
	const st_expr *e = s->f->scores[i].value;
	st_eval_env env = { s, lookup, NULL };
	st_value v = e && e->ast ? st_expr_eval(e->ast, &env)
	                         : st_value_missing(ST_TYPE_NUMBER);
	s->scores[i] = v;
	s->state[i] = 2;
	return v;
}

/* The items as shown in the completion in cur; scores forgotten.  Items
 * hidden by their show-if are unanswered; in form order, so that a show-if
 * sees earlier items as the patient saw them. */
static void setup(scorer *s)
{
	const st_form *f = s->f;
	st_eval_env env = { s, lookup, NULL };
	memcpy(s->items, s->cur, f->nitems * sizeof *s->items);
	memset(s->state, 0, f->nscores);
	for (size_t i = 0; i < f->nitems; i++) {
		const st_expr *e = f->items[i].show_if;
		int on = !e || !e->ast || st_value_true(st_expr_eval(e->ast, &env));
		if (!on)
			s->items[i] = st_value_missing(s->items[i].type);
		if (s->shown)
			s->shown[i] = (unsigned char)on;
	}
}

static size_t count_nodes(const st_ast *n)
{
	if (!n)
		return 0;
	size_t k = 1;
	if (n->kind == ST_AST_RANGE && n->index_end >= n->index)
		k += n->index_end - n->index;
	for (size_t i = 0; i < n->nargs; i++)
		k += count_nodes(n->args[i]);
	return k;
}

static void walk(scorer *s, const st_ast *n, int value);

static void walk_item(scorer *s, size_t i, int value)
{
	if (i >= s->f->nitems)
		return;
	int had = s->ref_item[i];
	s->ref_item[i] = 1;
	if (value)
		s->val_item[i] = 1;
	const st_expr *e = s->f->items[i].show_if;
	if (!had && e && e->ast)
		walk(s, e->ast, 1);     /* setup() evaluates it: base_cost */
}

static void walk_score(scorer *s, size_t i, int value)
{
	if (i >= s->f->nscores || (s->seen[i] & 1) ||
	    (!value && (s->seen[i] & 2)))
		return;
	if (!s->seen[i])
		s->cost += s->score_cost[i];
	s->seen[i] |= value ? 1 : 2;
	const st_expr *e = s->f->scores[i].value;
	if (e && e->ast)
		walk(s, e->ast, value);
}

static void walk_name(scorer *s, int ref, size_t i, int value)
{
	if (ref == ST_NAME_ITEM)
		walk_item(s, i, value);
	else if (ref == ST_NAME_SCORE)
		walk_score(s, i, value);
}

/* Bounded like the evaluator: the parser refuses deeper trees. */
static void walk(scorer *s, const st_ast *n, int value)
{
	if (!n)
		return;
	if (n->kind == ST_AST_NAME) {
		walk_name(s, n->ref, n->index, value);
		return;
	}
	if (n->kind == ST_AST_RANGE) {
		for (size_t k = n->index; k <= n->index_end; k++)
			walk_name(s, n->ref, k, value);
		return;
	}
	/* These see a supposed answer as unanswered, whatever it is. */
	if (n->kind == ST_AST_CALL && (n->op == ST_FN_COUNT ||
	    n->op == ST_FN_ANSWERED || n->op == ST_FN_MEAN))
		value = 0;
	for (size_t i = 0; i < n->nargs; i++)
		walk(s, n->args[i], value);
}

/* An unanswered item that may have been shown. */
static int is_missing(const scorer *s, size_t i)
{
	return s->ans->values[i].missing && !s->hidden[i];
}

/* The answers item it could have had, as the scores see them (reverse
 * scoring applied), marked assumed; 0 when they are not a finite set
 * small enough to try (number, text and date items). */
static size_t item_domain(st_arena *a, const st_form *f, const st_item *it,
                          st_value **out)
{
	st_qtype t = it->type;
	st_value *v = NULL;
	size_t n = 0;
	if (t == ST_Q_CHOICE) {
		const st_option *o = st_item_options(f, it, &n);
		v = st_alloc(a, (n + 1) * sizeof *v);
		for (size_t i = 0; i < n; i++) {
			st_value x = { ST_TYPE_NUMBER, 0,
			               scored_answer(f, it, o[i].value), NULL, 1 };
			v[i] = x;
		}
	} else if (t == ST_Q_BOOLEAN) {
		n = 2;
		v = st_alloc(a, 2 * sizeof *v);
		for (size_t i = 0; i < 2; i++) {
			st_value x = { ST_TYPE_BOOL, 0, (double)i, NULL, 1 };
			v[i] = x;
		}
	} else if (t == ST_Q_SCALE && it->has_min && it->has_max) {
		double lo = ceil(it->min), hi = floor(it->max);
		if (!(hi >= lo) || hi - lo >= ST_SCORE_EXACT_MAX)
			return 0;
		n = (size_t)(hi - lo) + 1;
		v = st_alloc(a, (n + 1) * sizeof *v);
		for (size_t i = 0; i < n; i++) {
			st_value x = { ST_TYPE_NUMBER, 0,
			               scored_answer(f, it, lo + (double)i), NULL, 1 };
			v[i] = x;
		}
	}
	*out = v;
	return n;
}

static void record(scorer *s, size_t score, const st_ast *cond, outcome *o)
{
	o->n++;
	if (cond) {
		st_eval_env env = { s, lookup, NULL };
		if (st_value_true(st_expr_eval(cond, &env)))
			o->ntrue++;
		return;
	}
	st_value v = score_value(s, score);
	if (v.missing)
		return;
	if (!o->nvalue) {
		o->lo = o->hi = v.num;
	} else {
		if (v.num != o->lo || v.num != o->hi)
			o->differ = 1;
		if (v.num < o->lo) o->lo = v.num;
		if (v.num > o->hi) o->hi = v.num;
	}
	o->nvalue++;
	const st_score *sc = &s->f->scores[score];
	const st_band *b = st_score_band(sc, v.num);
	if (b)
		o->band_hit[b - sc->bands] = 1;
	else
		o->no_band = 1;
}

/* Evaluate score (cond NULL) or condition cond for every completion of the
 * items of dom.  Returns 0, having evaluated nothing, when that is beyond
 * the bounds. */
static int enumerate(scorer *s, size_t score, const st_ast *cond,
                     const domain *dom, size_t nd, outcome *o)
{
	size_t total = 1;
	for (size_t k = 0; k < nd; k++) {
		if (!dom[k].n || total > ST_SCORE_EXACT_MAX / dom[k].n)
			return 0;
		total *= dom[k].n;
	}
	size_t steps = s->base_cost + s->cost;
	if (total > s->work / (steps ? steps : 1))
		return 0;
	s->work -= total * steps;
	size_t *idx = st_alloc(s->a, (nd + 1) * sizeof *idx);
	for (;;) {
		for (size_t k = 0; k < nd; k++)
			s->cur[dom[k].item] = dom[k].vals[idx[k]];
		setup(s);
		record(s, score, cond, o);
		size_t k = 0;
		while (k < nd && ++idx[k] == dom[k].n)
			idx[k++] = 0;
		if (k == nd)
			break;
	}
	for (size_t k = 0; k < nd; k++)
		s->cur[dom[k].item] = s->ans->values[dom[k].item];
	return 1;
}

/* The interval analysis with the answers given pinned: the bound when
 * there are too many completions to try. */
static st_ival pinned(void *ctx, size_t i)
{
	scorer *s = ctx;
	const st_item *it = &s->f->items[i];
	st_value v = s->ans->values[i];
	if (!v.missing && v.type == ST_TYPE_NUMBER && !it->show_if) {
		st_ival r = { v.num, v.num, v.num == floor(v.num), 0 };
		return r;
	}
	return st_ival_item(s->f, it);
}

static void bounds_env(scorer *s, st_ival_env *env)
{
	st_ival_env_init(env, s->a, s->f, NULL);
	env->item = pinned;
	env->ctx = s;
}

typedef struct analysis {
	int exact;             /* o is complete; else bounds are needed */
	outcome o;
	size_t *missing;       /* unanswered items used */
	size_t nmissing;
} analysis;

/* Walk score (cond NULL) or condition cond, list the unanswered items it
 * uses, and try every completion of those whose value it uses. */
static void analyse(scorer *s, size_t score, const st_ast *cond,
                    analysis *r)
{
	const st_form *f = s->f;
	memset(r, 0, sizeof *r);
	memset(s->ref_item, 0, f->nitems);
	memset(s->val_item, 0, f->nitems);
	memset(s->seen, 0, f->nscores);
	s->cost = 0;
	if (cond) {
		s->cost = count_nodes(cond);
		walk(s, cond, 1);
	} else {
		walk_score(s, score, 1);
		r->o.band_hit = st_alloc(s->a, f->scores[score].nbands + 1);
	}
	size_t nd = 0;
	for (size_t i = 0; i < f->nitems; i++) {
		if (!is_missing(s, i))
			continue;
		if (s->ref_item[i])
			r->nmissing++;
		if (s->val_item[i])
			nd++;
	}
	r->missing = st_alloc(s->a, (r->nmissing + 1) * sizeof *r->missing);
	domain *dom = st_alloc(s->a, (nd + 1) * sizeof *dom);
	size_t k = 0, m = 0;
	int finite = 1;
	for (size_t i = 0; i < f->nitems; i++) {
		if (!is_missing(s, i))
			continue;
		if (s->ref_item[i])
			r->missing[m++] = i;
		if (!s->val_item[i])
			continue;
		dom[k].item = i;
		dom[k].n = item_domain(s->a, f, &f->items[i], &dom[k].vals);
		if (!dom[k].n)
			finite = 0;
		k++;
	}
	r->exact = finite && enumerate(s, score, cond, dom, nd, &r->o);
}

/* A score of the form sum(items...): the number of items it adds (0 when
 * it is not one); with base, also how many of them are unanswered there
 * and the total of the others. */
static size_t sum_items(const st_ast *n, size_t nitems, const st_value *base,
                        size_t *unanswered, double *total)
{
	if (!n || n->kind != ST_AST_CALL || n->op != ST_FN_SUM || !n->nargs)
		return 0;
	size_t k = 0;
	for (size_t i = 0; i < n->nargs; i++) {
		const st_ast *x = n->args[i];
		if ((x->kind != ST_AST_NAME && x->kind != ST_AST_RANGE) ||
		    x->ref != ST_NAME_ITEM)
			return 0;
		size_t end = x->kind == ST_AST_RANGE ? x->index_end : x->index;
		for (size_t j = x->index; j <= end; j++) {
			if (j >= nitems)
				return 0;
			k++;
			if (!base)
				continue;
			if (base[j].missing)
				++*unanswered;
			else
				*total += base[j].num;
		}
	}
	return k;
}

int st_score_check_rules(st_diags *d, const st_form *f)
{
	int before = st_diags_errors(d);
	for (size_t i = 0; i < f->nscores; i++) {
		const st_score *sc = &f->scores[i];
		if (!sc->prorate || !sc->value || !sc->value->ast ||
		    sc->value->type != ST_TYPE_NUMBER)
			continue;   /* an error in the value is reported already */
		const char *id = sc->id ? sc->id : "?";
		size_t k = sum_items(sc->value->ast, f->nitems, NULL, NULL, NULL);
		if (!k)
			st_diag(d, ST_ERROR, "missing-rule", sc->prorate_sp,
			        "score '%s' cannot be prorated: its value '%s' is not "
			        "a sum of items, such as sum(q1..q9)", id,
			        sc->value->src ? sc->value->src : "");
		else if ((size_t)sc->prorate >= k)
			st_diag(d, ST_ERROR, "missing-rule", sc->prorate_sp,
			        "score '%s' adds %zu item%s, so at most %zu can be "
			        "missing for a prorated total, not %d", id, k,
			        k == 1 ? "" : "s", k - 1, sc->prorate);
	}
	return st_diags_errors(d) - before;
}

static void score_one(scorer *s, size_t i, st_score_value *sv)
{
	const st_score *sc = &s->f->scores[i];
	analysis r;
	analyse(s, i, NULL, &r);
	sv->score = sc;
	sv->value = st_value_missing(ST_TYPE_NUMBER);
	sv->missing = r.missing;
	sv->nmissing = r.nmissing;
	sv->bands = st_alloc(s->a, (sc->nbands + 1) * sizeof *sv->bands);
	if (r.exact) {
		const outcome *o = &r.o;
		if (o->nvalue == o->n && !o->differ) {
			sv->value = st_value_number(o->lo);
			sv->band = st_score_band(sc, o->lo);
		} else if (o->nvalue) {
			sv->has_range = 1;
			sv->exact = 1;
			sv->lo = o->lo;
			sv->hi = o->hi;
			for (size_t b = 0; b < sc->nbands; b++)
				if (o->band_hit[b])
					sv->bands[sv->nbands++] = &sc->bands[b];
			if (sv->nbands == 1 && !o->no_band && o->nvalue == o->n)
				sv->band = sv->bands[0];
		}
	} else {
		st_ival_env env;
		bounds_env(s, &env);
		st_ival v = st_ival_named(&env, i);
		sv->has_range = v.lo <= v.hi;   /* else it never has a value */
		sv->lo = v.lo;
		sv->hi = v.hi;
		for (size_t b = 0; sv->has_range && b < sc->nbands; b++)
			if (sc->bands[b].from <= v.hi && sc->bands[b].to >= v.lo)
				sv->bands[sv->nbands++] = &sc->bands[b];
		if (sv->nbands == 1 && sv->bands[0]->from <= v.lo &&
		    sv->bands[0]->to >= v.hi)
			sv->band = sv->bands[0];
	}

	/* The instrument's own rule, where the form states it. */
	size_t unanswered = 0;
	double total = 0;
	size_t k = sc->prorate && sc->value
	           ? sum_items(sc->value->ast, s->f->nitems, s->base,
	                       &unanswered, &total) : 0;
	if (k && unanswered >= 1 && unanswered <= (size_t)sc->prorate &&
	    unanswered < k) {
		double p = round(total * (double)k / (double)(k - unanswered));
		sv->value = st_value_number(p);
		sv->band = st_score_band(sc, p);
		sv->prorated = 1;
		sv->prorate_answered = k - unanswered;
		sv->prorate_items = k;
	}
}

static void alert_one(scorer *s, size_t i, st_alert_value *av, int *fires)
{
	const st_alert *al = &s->f->alerts[i];
	*fires = 0;
	if (!al->when || !al->when->ast)
		return;
	analysis r;
	analyse(s, 0, al->when->ast, &r);
	av->alert = al;
	av->missing = r.missing;
	av->nmissing = r.nmissing;
	if (r.exact) {
		if (r.o.ntrue == r.o.n)
			av->status = ST_ALERT_FIRES;
		else if (r.o.ntrue)
			av->status = ST_ALERT_POSSIBLE;
	} else {
		st_ival_env env;
		bounds_env(s, &env);
		if (st_ival_truth(&env, al->when->ast).can_true)
			av->status = ST_ALERT_POSSIBLE;
	}
	*fires = av->status != 0;
}

int st_score_form(st_score_result *out, st_arena *a, const st_answers *ans)
{
	const st_form *f = ans->form;
	scorer s;
	memset(out, 0, sizeof *out);
	memset(&s, 0, sizeof s);
	out->form = f;
	s.a = a;
	s.f = f;
	s.ans = ans;
	s.cur = st_alloc(a, (f->nitems + 1) * sizeof *s.cur);
	s.items = st_alloc(a, (f->nitems + 1) * sizeof *s.items);
	s.base = st_alloc(a, (f->nitems + 1) * sizeof *s.base);
	s.scores = st_alloc(a, (f->nscores + 1) * sizeof *s.scores);
	s.state = st_alloc(a, f->nscores + 1);
	s.hidden = st_alloc(a, f->nitems + 1);
	s.ref_item = st_alloc(a, f->nitems + 1);
	s.val_item = st_alloc(a, f->nitems + 1);
	s.seen = st_alloc(a, f->nscores + 1);
	s.score_cost = st_alloc(a, (f->nscores + 1) * sizeof *s.score_cost);
	s.work = ST_SCORE_WORK_MAX;
	s.base_cost = f->nitems + f->nscores + 1;
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].show_if)
			s.base_cost += count_nodes(f->items[i].show_if->ast);
	for (size_t i = 0; i < f->nscores; i++)
		s.score_cost[i] = f->scores[i].value
		                  ? count_nodes(f->scores[i].value->ast) : 0;

	/* The form as answered, nothing supposed. */
	memcpy(s.cur, ans->values, f->nitems * sizeof *s.cur);
	s.shown = out->shown = st_alloc(a, f->nitems + 1);
	setup(&s);
	s.shown = NULL;
	memcpy(s.base, s.items, f->nitems * sizeof *s.base);

	/* Unanswered items that no completion shows were never asked. */
	for (size_t i = 0; i < f->nitems; i++) {
		const st_expr *e = f->items[i].show_if;
		if (!ans->values[i].missing || !e || !e->ast)
			continue;
		analysis r;
		analyse(&s, 0, e->ast, &r);
		if (r.exact) {
			s.hidden[i] = r.o.ntrue == 0;
		} else {
			st_ival_env env;
			bounds_env(&s, &env);
			s.hidden[i] = !st_ival_truth(&env, e->ast).can_true;
		}
	}
	out->missing = st_alloc(a, (f->nitems + 1) * sizeof *out->missing);
	out->required = st_alloc(a, (f->nitems + 1) * sizeof *out->required);
	for (size_t i = 0; i < f->nitems; i++) {
		if (!is_missing(&s, i))
			continue;
		/* a free comment left out leaves the form complete, unless
		 * the form requires it (docs/forms.md) */
		if (f->items[i].type == ST_Q_LONGTEXT && !f->items[i].required)
			continue;
		out->missing[out->nmissing++] = i;
		if (f->items[i].required)
			out->required[out->nrequired++] = i;
	}

	/* Alerts first: if the work bound is reached, it is reached on the
	 * scores. */
	out->alerts = st_alloc(a, (f->nalerts + 1) * sizeof *out->alerts);
	for (size_t i = 0; i < f->nalerts; i++) {
		int fires;
		alert_one(&s, i, &out->alerts[out->nalerts], &fires);
		if (fires)
			out->nalerts++;
		else
			memset(&out->alerts[out->nalerts], 0, sizeof *out->alerts);
	}
	out->nscores = f->nscores;
	out->scores = st_alloc(a, (f->nscores + 1) * sizeof *out->scores);
	for (size_t i = 0; i < f->nscores; i++)
		score_one(&s, i, &out->scores[i]);
	return ST_OK;
}

void st_score_shown(unsigned char *shown, st_arena *a, const st_answers *ans)
{
	const st_form *f = ans->form;
	scorer s;
	memset(&s, 0, sizeof s);
	s.a = a;
	s.f = f;
	s.ans = ans;
	s.items = st_alloc(a, (f->nitems + 1) * sizeof *s.items);
	s.scores = st_alloc(a, (f->nscores + 1) * sizeof *s.scores);
	s.state = st_alloc(a, f->nscores + 1);
	s.cur = ans->values;
	s.shown = shown;
	setup(&s);
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

/* ---- output ------------------------------------------------------------ */
static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *json_num(double v)
{
	if (!isfinite(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *item_list(const st_form *f, const size_t *idx, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, str_or_null(f->items[idx[i]].id));
	return arr;
}

char *st_score_json(const st_score_result *r)
{
	const st_form *f = r->form;
	json_t *root = json_object();
	json_t *scores = json_array();
	json_t *alerts = json_array();
	json_object_set_new(root, "form", str_or_null(f->id));
	json_object_set_new(root, "complete", json_boolean(!r->nmissing));
	json_object_set_new(root, "missing", item_list(f, r->missing,
	                                                r->nmissing));
	json_object_set_new(root, "required_missing",
	                    item_list(f, r->required, r->nrequired));
	for (size_t i = 0; i < r->nscores; i++) {
		const st_score_value *sv = &r->scores[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", str_or_null(sv->score->id));
		json_object_set_new(o, "value", sv->value.missing ? json_null()
		                                : json_num(sv->value.num));
		json_object_set_new(o, "band",
		                    str_or_null(sv->band ? sv->band->label : NULL));
		json_object_set_new(o, "level",
		                    str_or_null(sv->band ? sv->band->level : NULL));
		json_object_set_new(o, "range", !sv->has_range ? json_null()
		        : json_pack("{s:o, s:o, s:b}", "from", json_num(sv->lo),
		                    "to", json_num(sv->hi), "exact", sv->exact));
		json_t *bands = json_array();
		for (size_t b = 0; b < sv->nbands; b++)
			json_array_append_new(bands, json_pack("{s:o, s:o}",
			        "band", str_or_null(sv->bands[b]->label),
			        "level", str_or_null(sv->bands[b]->level)));
		json_object_set_new(o, "bands", bands);
		json_object_set_new(o, "prorated", !sv->prorated ? json_null()
		        : json_pack("{s:I, s:I}", "answered",
		                    (json_int_t)sv->prorate_answered, "items",
		                    (json_int_t)sv->prorate_items));
		json_object_set_new(o, "missing",
		                    item_list(f, sv->missing, sv->nmissing));
		json_array_append_new(scores, o);
	}
	for (size_t i = 0; i < r->nalerts; i++) {
		const st_alert_value *av = &r->alerts[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", str_or_null(av->alert->id));
		json_object_set_new(o, "level",
		                    str_or_null(st_alert_level_name(av->alert->level)));
		json_object_set_new(o, "message", str_or_null(av->alert->message));
		json_object_set_new(o, "status", json_string(
		        av->status == ST_ALERT_FIRES ? "fires" : "possible"));
		json_object_set_new(o, "missing",
		                    item_list(f, av->missing, av->nmissing));
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

/* "q7", "q7 and q8", "q1, q2 and q3" */
static void add_items(st_buf *b, const st_form *f, const size_t *idx,
                      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *id = f->items[idx[i]].id;
		st_buf_printf(b, "%s%s", !i ? "" : i + 1 == n ? " and " : ", ",
		              id ? id : "?");
	}
}

static void add_num(st_buf *b, double v)
{
	st_buf_printf(b, "%.15g", v);
}

/* How an alert stands, after its id: "fires", "fires for every answer to
 * q7", "may fire, depending on q9". */
static void add_alert_state(st_buf *b, const st_form *f,
                            const st_alert_value *av)
{
	if (av->status == ST_ALERT_POSSIBLE) {
		st_buf_adds(b, "may fire, depending on ");
		add_items(b, f, av->missing, av->nmissing);
		return;
	}
	st_buf_adds(b, "fires");
	if (av->nmissing) {
		st_buf_adds(b, " for every answer to ");
		add_items(b, f, av->missing, av->nmissing);
	}
}

static void add_summary(st_buf *b, const st_score_result *r)
{
	const st_form *f = r->form;
	if (!r->nmissing) {
		st_buf_adds(b, "complete");
		return;
	}
	st_buf_adds(b, "incomplete: ");
	add_items(b, f, r->missing, r->nmissing);
	st_buf_adds(b, " not answered");
	for (size_t i = 0; i < r->nalerts; i++) {
		const st_alert_value *av = &r->alerts[i];
		if (!av->nmissing)
			continue;
		st_buf_printf(b, "; alert '%s' ", av->alert->id ? av->alert->id
		                                                : "?");
		add_alert_state(b, f, av);
	}
}

static char *detach(st_buf *b)
{
	if (!b->data)
		st_buf_adds(b, "");
	return st_buf_detach(b, NULL);
}

char *st_score_summary(const st_score_result *r)
{
	st_buf b;
	st_buf_init(&b);
	add_summary(&b, r);
	return detach(&b);
}

static void add_band(st_buf *b, const st_band *bd)
{
	st_buf_adds(b, bd->label ? bd->label : "?");
	if (bd->level)
		st_buf_printf(b, " (%s)", bd->level);
}

char *st_score_text(const st_score_result *r)
{
	const st_form *f = r->form;
	st_buf b;
	st_buf_init(&b);
	st_buf_printf(&b, "form %s: ", f->id ? f->id : "?");
	add_summary(&b, r);
	st_buf_addc(&b, '\n');
	for (size_t i = 0; i < r->nscores; i++) {
		const st_score_value *sv = &r->scores[i];
		st_buf_printf(&b, "score %s: ", sv->score->id ? sv->score->id
		                                              : "?");
		if (sv->value.missing && !sv->has_range) {
			st_buf_adds(&b, "no value");
		} else if (!sv->value.missing) {
			add_num(&b, sv->value.num);
			if (sv->prorated)
				st_buf_printf(&b, ", prorated from %zu of %zu items",
				              sv->prorate_answered, sv->prorate_items);
		}
		if (sv->has_range) {
			st_buf_adds(&b, sv->value.missing ? "" : "; ");
			if (!sv->exact && (isfinite(sv->lo) || isfinite(sv->hi)))
				st_buf_adds(&b, "within ");
			if (!isfinite(sv->lo) && !isfinite(sv->hi)) {
				st_buf_adds(&b, "any value");
			} else if (!isfinite(sv->lo)) {
				st_buf_adds(&b, "up to ");
				add_num(&b, sv->hi);
			} else if (!isfinite(sv->hi)) {
				add_num(&b, sv->lo);
				st_buf_adds(&b, " or more");
			} else {
				add_num(&b, sv->lo);
				if (sv->hi != sv->lo) {
					st_buf_adds(&b, "\xe2\x80\x93");   /* en dash */
					add_num(&b, sv->hi);
				}
			}
		}
		if (sv->nmissing && sv->has_range) {
			st_buf_adds(&b, " depending on ");
			add_items(&b, f, sv->missing, sv->nmissing);
		} else if (sv->nmissing) {
			st_buf_adds(&b, " (");
			add_items(&b, f, sv->missing, sv->nmissing);
			st_buf_adds(&b, " not answered)");
		}
		if (sv->band) {
			st_buf_adds(&b, ": ");
			add_band(&b, sv->band);
		} else if (sv->has_range && sv->nbands) {
			st_buf_adds(&b, ": ");
			for (size_t k = 0; k < sv->nbands; k++) {
				st_buf_adds(&b, !k ? "" : k + 1 == sv->nbands ? " or "
				                                              : ", ");
				add_band(&b, sv->bands[k]);
			}
		} else if (!sv->value.missing && sv->score->nbands) {
			st_buf_adds(&b, ": in no band");
		}
		st_buf_addc(&b, '\n');
	}
	for (size_t i = 0; i < r->nalerts; i++) {
		const st_alert_value *av = &r->alerts[i];
		const char *lv = st_alert_level_name(av->alert->level);
		st_buf_printf(&b, "alert %s (%s) ", av->alert->id ? av->alert->id
		              : "?", lv ? lv : "?");
		add_alert_state(&b, f, av);
		st_buf_printf(&b, ": %s\n", av->alert->message
		                            ? av->alert->message : "");
	}
	return detach(&b);
}
