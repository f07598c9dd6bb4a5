/*
 * forms_load.c — rating forms (forms/ID.yaml) and exercises
 * (exercises/ID.yaml and inline ```exercise blocks) from YAML into the
 * model (docs/forms.md).
 *
 * The loader checks shape only: every key known (unknown-key with a
 * suggestion), every value of the right type, ids that are identifiers
 * (bad-id) and unique within their form or exercise (duplicate-id, with a
 * note at the first), enumerations (bad-value), options where a choice
 * needs them.  Expressions are kept as source with the scalar they came
 * from, so that core/check.c can parse, resolve and analyse them later and
 * still point at the exact line and column.  Keeping the two apart lets
 * the runtime run the same semantic checks on a program read from a
 * bundle, where there is no YAML.
 */
#include <math.h>
#include <string.h>
#include "compile.h"
#include "i18n.h"
#include "expr.h"
#include "vocab.h"

static const char *const form_keys[] = {
	"id", "title", "name", "reference", "license", "instructions",
	"code", "options", "items", "scores", "alerts", NULL
};
static const char *const item_keys[] = {
	"id", "text", "type", "code", "options", "reverse", "required",
	"show-if", "min", "max", NULL
};
/* A rating form's option has a weight; an exercise field's does not. */
static const char *const option_keys[] = {
	"value", "score", "label", "code", NULL
};
static const char *const field_option_keys[] = {
	"value", "label", "code", "score", NULL
};
static const char *const code_keys[] = { "system", "code", NULL };
static const char *const score_keys[] = {
	"id", "title", "value", "bands", "missing", NULL
};
static const char *const missing_keys[] = { "prorate", NULL };
static const char *const band_keys[] = {
	"from", "to", "label", "level", NULL
};
static const char *const alert_keys[] = {
	"id", "when", "level", "message", NULL
};
static const char *const exercise_keys[] = {
	"id", "title", "instructions", "fields", "repeat", "computed", NULL
};
static const char *const field_keys[] = {
	"id", "type", "label", "options", "min", "max", "step", "unit",
	"required", "show-if", NULL
};
static const char *const computed_keys[] = {
	"id", "label", "value", "unit", NULL
};

/* A number under key: 1 when present and read, 0 when absent or wrong
 * (the helper reported it). */
static int num_key(st_diags *d, const st_ynode *map, const char *key,
                   double *out, int required)
{
	if (!st_ymap_get(map, key) && !required)
		return 0;
	double v = NAN;
	sc_ynum(d, map, key, &v, required);
	if (isnan(v))
		return 0;
	*out = v;
	return 1;
}

static int bool_key(st_diags *d, const st_ynode *map, const char *key)
{
	if (!st_ymap_get(map, key))
		return 0;
	int v = -1;
	sc_ybool(d, map, key, &v);
	return v == 1;
}

/* A list under key, or NULL (absent, or not a list: reported). */
static const st_ynode *list_key(st_diags *d, const st_ynode *map,
                                const char *key, int required)
{
	const st_ynode *n = st_ymap_get(map, key);
	if (!n) {
		if (required)
			st_diag(d, ST_ERROR, "missing-key", map->sp,
			        "missing required key '%s'", key);
		return NULL;
	}
	if (n->kind != ST_Y_SEQ) {
		/* An empty value ("items:") is a null scalar: treat as none. */
		if (n->kind == ST_Y_SCALAR && n->style == ST_YS_PLAIN &&
		    (!n->len || !strcmp(n->str, "~") || !strcmp(n->str, "null"))) {
			if (required)
				st_diag(d, ST_ERROR, "missing-key", n->sp,
				        "'%s' is empty", key);
			return NULL;
		}
		st_diag(d, ST_ERROR, "wrong-type", n->sp,
		        "'%s' must be a list, not %s", key, st_ykind_name(n));
		return NULL;
	}
	return n;
}

static int is_map(st_diags *d, const st_ynode *n, const char *what)
{
	if (n->kind == ST_Y_MAP)
		return 1;
	st_diag(d, ST_ERROR, "wrong-type", n->sp,
	        "each entry of '%s' must be a mapping, not %s", what,
	        st_ykind_name(n));
	return 0;
}

/* The span of the value under key, or of the map. */
static st_span key_span(const st_ynode *map, const char *key)
{
	const st_ynode *n = st_ymap_get(map, key);
	return n ? n->sp : map->sp;
}

/* A score's rule for missing answers, missing: {prorate: N}: at most N
 * items of its sum may be unanswered, and then the total is prorated
 * (core/score.h).  That the value is a sum of items is checked with the
 * expressions (st_score_check_rules). */
static void load_missing(st_score *s, st_diags *d, const st_ynode *m)
{
	const st_ynode *n = st_ymap_get(m, "missing");
	if (!n)
		return;
	if (n->kind != ST_Y_MAP) {
		st_diag(d, ST_ERROR, "wrong-type", n->sp,
		        "'missing' must be a mapping such as '{prorate: 2}', not %s",
		        st_ykind_name(n));
		return;
	}
	sc_check_keys(d, n, "'missing'", missing_keys);
	const st_ynode *p = st_ymap_get(n, "prorate");
	if (!p) {
		st_diag(d, ST_ERROR, "missing-key", n->sp,
		        "'missing' needs 'prorate: N', the most items that may be "
		        "unanswered for a prorated total");
		return;
	}
	int v = 0;
	if (sc_yint(d, n, "prorate", &v, 1) <= 0)
		return;
	if (v < 1) {
		st_diag(d, ST_ERROR, "bad-value", p->sp,
		        "'prorate' must be at least 1: it is how many items may be "
		        "unanswered; leave 'missing' out for a total that needs "
		        "every answer");
		return;
	}
	s->prorate = v;
	s->prorate_sp = p->sp;
}

/* The word under key as its value in v (core/vocab.h); 0 when absent or
 * not one of v's words (reported). */
static int enum_key(st_arena *a, st_diags *d, const st_ynode *map,
                    const char *key, const st_vocab *v, int required)
{
	const char *val = sc_ystr(a, d, map, key, required);
	int k = st_vocab_value(v, val);
	if (val && !k) {
		char buf[256];
		st_vocab_list(buf, sizeof buf, v, 1);
		st_diag(d, ST_ERROR, "bad-value", key_span(map, key),
		        "'%s' must be %s, not '%s'", key, buf, val);
	}
	return k;
}

/* A word of a vocabulary (core/vocab.h) under key, with "did you mean". */
static void check_word(st_diags *d, const st_ynode *map, const char *key,
                       const char *val, const st_vocab *v)
{
	if (!val || st_vocab_has(v, val))
		return;
	const char *near = st_vocab_closest(v, val);
	if (near) {
		st_diag(d, ST_ERROR, "bad-value", key_span(map, key),
		        "%s '%s' is not one of the levels; did you mean '%s'?",
		        v->what, val, near);
		return;
	}
	char buf[512];
	st_vocab_list(buf, sizeof buf, v, 1);
	st_diag(d, ST_ERROR, "bad-value", key_span(map, key),
	        "%s '%s' is not one of the levels: use %s", v->what, val, buf);
}

/* An identifier (docs/source-format.md, "Ids and names"): [a-z][a-z0-9_]*,
 * not a reserved word. */
static int check_ident(st_diags *d, st_span sp, const char *what,
                       const char *id)
{
	if (!id)
		return 0;
	if (!st_is_ident(id)) {
		st_diag(d, ST_ERROR, "bad-id", sp,
		        "%s id '%s' is not an identifier: use a-z, 0-9 and _, "
		        "starting with a letter", st_tr(what), id);
		return 0;
	}
	if (st_expr_is_reserved(id)) {
		st_diag(d, ST_ERROR, "bad-id", sp,
		        "%s id '%s' is a word of the expression language",
		        st_tr(what), id);
		return 0;
	}
	return 1;
}

/* Register id in a namespace; duplicate-id with a note at the first. */
static void check_unique(st_diags *d, st_strmap *ns, const st_span *spans,
                         size_t idx, const char *id, st_span sp,
                         const char *what)
{
	size_t first;
	if (!id)
		return;
	if (st_strmap_put(ns, id, idx, &first)) {
		st_diag(d, ST_ERROR, "duplicate-id", sp,
		        "duplicate %s id '%s'", st_tr(what), id);
		st_diag_note(d, spans[first], "'%s' first defined here", id);
	}
}

/* code: {system: URI, code: CODE} of a form, an item or an option into
 * *c (left empty when absent or wrong, reported). */
static void load_code(st_code *c, st_arena *a, st_diags *d,
                      const st_ynode *map)
{
	const st_ynode *n = st_ymap_get(map, "code");
	if (!n)
		return;
	if (n->kind != ST_Y_MAP) {
		st_diag(d, ST_ERROR, "wrong-type", n->sp,
		        "'code' must be a mapping such as '{ system: "
		        "http://loinc.org, code: 69737-5 }', not %s",
		        st_ykind_name(n));
		return;
	}
	sc_check_keys(d, n, "'code'", code_keys);
	const char *sys = sc_ystr(a, d, n, "system", 1);
	const char *code = sc_ystr(a, d, n, "code", 1);
	if (sys && !st_code_system_ok(sys)) {
		st_diag(d, ST_ERROR, "bad-value", key_span(n, "system"),
		        "code system '%s' is not an absolute URI: write the "
		        "terminology's own, such as 'http://loinc.org' or "
		        "'http://snomed.info/sct'", sys);
		sys = NULL;
	}
	if (code && !st_code_ok(code)) {
		st_diag(d, ST_ERROR, "bad-value", key_span(n, "code"),
		        "code '%s' must be 1 to 256 characters with no space at "
		        "either end and no control character", code);
		code = NULL;
	}
	if (sys && code) {
		c->system = sys;
		c->code = code;
	}
}

/* The options under list.  scored: a rating form's, which may have a
 * 'score' (its weight, which options may share); values stay unique. */
static st_option *load_options(st_arena *a, st_diags *d,
                               const st_ynode *list, size_t *n, int scored)
{
	st_option *opts = st_alloc(a, (list->n ? list->n : 1) * sizeof *opts);
	st_strmap *seen = st_strmap_new(a);
	size_t k = 0;
	*n = 0;
	if (!list->n)
		st_diag(d, ST_ERROR, "missing-key", list->sp,
		        "'options' is empty: give at least one option");
	for (size_t i = 0; i < list->n; i++) {
		const st_ynode *m = list->items[i];
		if (!is_map(d, m, "options"))
			continue;
		sc_check_keys(d, m, "option", scored ? option_keys :
		              field_option_keys);
		st_option *o = &opts[k];
		o->sp = m->sp;
		o->label = sc_ystr(a, d, m, "label", 1);
		if (scored)
			o->has_score = num_key(d, m, "score", &o->score, 0);
		else if (st_ymap_get(m, "score"))
			st_diag(d, ST_ERROR, "bad-value", key_span(m, "score"),
			        "an exercise field's options have no 'score': "
			        "weights belong to rating forms' options");
		load_code(&o->code, a, d, m);
		if (!num_key(d, m, "value", &o->value, 1))
			continue;
		char key[64];
		size_t first;
		snprintf(key, sizeof key, "%.17g", o->value);
		if (st_strmap_put(seen, st_strdup(a, key), k, &first)) {
			st_diag(d, ST_ERROR, "duplicate-option", key_span(m, "value"),
			        "duplicate option value %g", o->value);
			st_diag_note(d, opts[first].sp, "first used here");
			if (scored && !o->has_score)
				st_diag_note(d, key_span(m, "value"), "options "
				             "may share a weight but not a value: "
				             "give each its own 'value' and the "
				             "weight as 'score'");
		}
		k++;
	}
	*n = k;
	return opts;
}

static void load_item(st_item *it, st_arena *a, st_diags *d,
                      const st_ynode *m, const st_form *f)
{
	sc_check_keys(d, m, "item", item_keys);
	it->sp = m->sp;
	it->id = sc_ystr(a, d, m, "id", 1);
	check_ident(d, key_span(m, "id"), "item", it->id);
	it->text = sc_ystr(a, d, m, "text", 1);
	/* 'type' left out or left empty ("type:") is the default; a type that
	 * is not a word was reported and stays unknown (0). */
	int before = st_diags_errors(d);
	it->type = enum_key(a, d, m, "type", &st_item_types, 0);
	if (!it->type && st_diags_errors(d) == before)
		it->type = ST_ITEM_TYPE_DEFAULT;
	unsigned fl = st_qtype_flags(it->type);
	const char *tn = st_qtype_name(it->type);
	const st_ynode *ol = list_key(d, m, "options", 0);
	if (ol)
		it->options = load_options(a, d, ol, &it->noptions, 1);
	it->has_min = num_key(d, m, "min", &it->min, 0);
	it->has_max = num_key(d, m, "max", &it->max, 0);
	it->reverse = bool_key(d, m, "reverse");
	it->required = bool_key(d, m, "required");
	it->show_if = sc_yexpr(a, d, m, "show-if", 0);
	load_code(&it->code, a, d, m);

	if (!it->type)
		return;   /* a type that is not a word: what fits it is unknown */
	if ((fl & ST_QF_OPTIONS) && !it->noptions && !f->noptions && !ol)
		st_diag(d, ST_ERROR, "missing-key", it->sp,
		        "item '%s' is a choice but neither it nor the form has "
		        "'options'", it->id ? it->id : "?");
	if (it->type == ST_Q_SCALE && (!it->has_min || !it->has_max))
		st_diag(d, ST_ERROR, "missing-key", it->sp,
		        "scale item '%s' needs 'min' and 'max'",
		        it->id ? it->id : "?");
	if ((it->has_min || it->has_max) && !(fl & ST_QF_RANGE))
		st_diag(d, ST_ERROR, "bad-value",
		        key_span(m, it->has_min ? "min" : "max"),
		        "'min' and 'max' apply to number and scale items, not "
		        "to a %s item", tn);
	if (it->has_min && it->has_max && it->min > it->max)
		st_diag(d, ST_ERROR, "bad-value", key_span(m, "max"),
		        "'max' %g is below 'min' %g", it->max, it->min);
	if (ol && !(fl & ST_QF_OPTIONS))
		st_diag(d, ST_ERROR, "bad-value", ol->sp,
		        "'options' apply to choice items, not to a %s item", tn);
	if (it->reverse && !(fl & ST_QF_REVERSE))
		st_diag(d, ST_ERROR, "bad-value", key_span(m, "reverse"),
		        "only choice and scale items can be reverse-scored, "
		        "not a %s item", tn);
}

static void load_band(st_band *b, st_arena *a, st_diags *d,
                      const st_ynode *m)
{
	sc_check_keys(d, m, "band", band_keys);
	b->sp = m->sp;
	b->from = NAN;
	b->to = NAN;
	num_key(d, m, "from", &b->from, 1);
	num_key(d, m, "to", &b->to, 1);
	b->label = sc_ystr(a, d, m, "label", 1);
	b->level = sc_ystr(a, d, m, "level", 0);
	check_word(d, m, "level", b->level, &st_band_levels);
}

int sc_load_form(st_form *f, st_arena *a, st_diags *d, const st_ynode *root,
                 const char *file, const char *expected_id)
{
	int errors = st_diags_errors(d);
	memset(f, 0, sizeof *f);
	f->file = file;
	if (!root)
		return 1;
	f->sp = root->sp;
	if (root->kind != ST_Y_MAP) {
		st_diag(d, ST_ERROR, "wrong-type", root->sp,
		        "a form must be a mapping, not %s", st_ykind_name(root));
		return st_diags_errors(d) - errors;
	}
	sc_check_keys(d, root, "form", form_keys);
	f->id = sc_ystr(a, d, root, "id", expected_id == NULL);
	if (f->id) {
		if (check_ident(d, key_span(root, "id"), "form", f->id) &&
		    expected_id && strcmp(f->id, expected_id))
			st_diag(d, ST_ERROR, "id-mismatch", key_span(root, "id"),
			        "form id '%s' does not match its file name "
			        "'%s.yaml'", f->id, expected_id);
	} else if (expected_id && !st_ymap_get(root, "id")) {
		f->id = st_strdup(a, expected_id);
		check_ident(d, root->sp, "form (from the file name)", f->id);
	}
	f->title = sc_ystr(a, d, root, "title", 1);
	f->name = sc_ystr(a, d, root, "name", 0);
	f->reference = sc_ystr(a, d, root, "reference", 0);
	f->license = sc_ystr(a, d, root, "license", 0);
	f->instructions = sc_ystr(a, d, root, "instructions", 0);
	load_code(&f->code, a, d, root);

	const st_ynode *ol = list_key(d, root, "options", 0);
	if (ol)
		f->options = load_options(a, d, ol, &f->noptions, 1);

	/* Items and scores share one namespace: expressions name both. */
	st_strmap *ns = st_strmap_new(a);
	const st_ynode *il = list_key(d, root, "items", 1);
	const st_ynode *sl = list_key(d, root, "scores", 0);
	const st_ynode *al = list_key(d, root, "alerts", 0);
	size_t nspans = (il ? il->n : 0) + (sl ? sl->n : 0);
	st_span *spans = st_alloc(a, (nspans + 1) * sizeof *spans);
	size_t k = 0;

	if (il) {
		f->items = st_alloc(a, (il->n + 1) * sizeof *f->items);
		for (size_t i = 0; i < il->n; i++) {
			const st_ynode *m = il->items[i];
			if (!is_map(d, m, "items"))
				continue;
			st_item *it = &f->items[f->nitems++];
			load_item(it, a, d, m, f);
			spans[k] = key_span(m, "id");
			check_unique(d, ns, spans, k, it->id, spans[k], "item");
			k++;
		}
		if (!il->n)
			st_diag(d, ST_ERROR, "missing-key", il->sp,
			        "a form needs at least one item");
	}
	if (sl) {
		f->scores = st_alloc(a, (sl->n + 1) * sizeof *f->scores);
		for (size_t i = 0; i < sl->n; i++) {
			const st_ynode *m = sl->items[i];
			if (!is_map(d, m, "scores"))
				continue;
			st_score *s = &f->scores[f->nscores++];
			sc_check_keys(d, m, "score", score_keys);
			s->sp = m->sp;
			s->id = sc_ystr(a, d, m, "id", 1);
			check_ident(d, key_span(m, "id"), "score", s->id);
			s->title = sc_ystr(a, d, m, "title", 0);
			s->value = sc_yexpr(a, d, m, "value", 1);
			load_missing(s, d, m);
			spans[k] = key_span(m, "id");
			check_unique(d, ns, spans, k, s->id, spans[k], "score");
			k++;
			const st_ynode *bl = list_key(d, m, "bands", 0);
			if (!bl)
				continue;
			s->bands = st_alloc(a, (bl->n + 1) * sizeof *s->bands);
			for (size_t j = 0; j < bl->n; j++) {
				if (!is_map(d, bl->items[j], "bands"))
					continue;
				load_band(&s->bands[s->nbands++], a, d,
				          bl->items[j]);
			}
		}
	}
	if (al) {
		st_strmap *ans = st_strmap_new(a);
		st_span *aspans = st_alloc(a, (al->n + 1) * sizeof *aspans);
		f->alerts = st_alloc(a, (al->n + 1) * sizeof *f->alerts);
		for (size_t i = 0; i < al->n; i++) {
			const st_ynode *m = al->items[i];
			if (!is_map(d, m, "alerts"))
				continue;
			size_t ai = f->nalerts++;
			st_alert *al_ = &f->alerts[ai];
			sc_check_keys(d, m, "alert", alert_keys);
			al_->sp = m->sp;
			al_->id = sc_ystr(a, d, m, "id", 1);
			check_ident(d, key_span(m, "id"), "alert", al_->id);
			aspans[ai] = key_span(m, "id");
			check_unique(d, ans, aspans, ai, al_->id, aspans[ai],
			             "alert");
			al_->when = sc_yexpr(a, d, m, "when", 1);
			const char *lv = sc_ystr(a, d, m, "level", 1);
			check_word(d, m, "level", lv, &st_alert_levels);
			al_->level = st_vocab_value(&st_alert_levels, lv);
			al_->message = sc_ystr(a, d, m, "message", 1);
		}
	}
	return st_diags_errors(d) - errors;
}

static void load_field(st_field *fl, st_arena *a, st_diags *d,
                       const st_ynode *m)
{
	sc_check_keys(d, m, "field", field_keys);
	fl->sp = m->sp;
	fl->id = sc_ystr(a, d, m, "id", 1);
	check_ident(d, key_span(m, "id"), "field", fl->id);
	fl->type = enum_key(a, d, m, "type", &st_field_types, 1);
	fl->label = sc_ystr(a, d, m, "label", 1);
	const st_ynode *ol = list_key(d, m, "options", 0);
	if (ol)
		fl->options = load_options(a, d, ol, &fl->noptions, 0);
	fl->has_min = num_key(d, m, "min", &fl->min, 0);
	fl->has_max = num_key(d, m, "max", &fl->max, 0);
	fl->has_step = num_key(d, m, "step", &fl->step, 0);
	fl->unit = sc_ystr(a, d, m, "unit", 0);
	fl->required = bool_key(d, m, "required");
	fl->show_if = sc_yexpr(a, d, m, "show-if", 0);
	if (!fl->type)
		return;
	int choice = !!(st_qtype_flags(fl->type) & ST_QF_OPTIONS);
	int numeric = !!(st_qtype_flags(fl->type) & ST_QF_RANGE);
	const char *tn = st_qtype_name(fl->type);
	const char *id = fl->id ? fl->id : "?";
	if (choice && !ol)
		st_diag(d, ST_ERROR, "missing-key", fl->sp,
		        "%s field '%s' needs 'options'", tn, id);
	if (ol && !choice)
		st_diag(d, ST_ERROR, "bad-value", ol->sp,
		        "'options' apply to choice and multi fields, not to a "
		        "%s field", tn);
	if (fl->type == ST_Q_SCALE && (!fl->has_min || !fl->has_max))
		st_diag(d, ST_ERROR, "missing-key", fl->sp,
		        "scale field '%s' needs 'min' and 'max'", id);
	if ((fl->has_min || fl->has_max || fl->has_step) && !numeric)
		st_diag(d, ST_ERROR, "bad-value",
		        key_span(m, fl->has_min ? "min" : fl->has_max ? "max"
		                 : "step"),
		        "'min', 'max' and 'step' apply to number, scale and "
		        "duration fields, not to a %s field", tn);
	if (fl->has_min && fl->has_max && fl->min > fl->max)
		st_diag(d, ST_ERROR, "bad-value", key_span(m, "max"),
		        "'max' %g is below 'min' %g", fl->max, fl->min);
	if (fl->has_step && !(fl->step > 0))
		st_diag(d, ST_ERROR, "bad-value", key_span(m, "step"),
		        "'step' must be above 0, not %g", fl->step);
}

/* "exercises/sleep-diary.yaml" -> "sleep-diary" */
static const char *file_id(st_arena *a, const char *file)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(base + n - 4, ".yml"))
		n -= 4;
	return st_strndup(a, base, n);
}

int sc_load_exercise(st_exercise *e, st_arena *a, st_diags *d,
                     const st_ynode *root, const char *file, int is_inline)
{
	int errors = st_diags_errors(d);
	memset(e, 0, sizeof *e);
	e->file = file;
	e->is_inline = is_inline;
	if (!root)
		return 1;
	e->sp = root->sp;
	if (root->kind != ST_Y_MAP) {
		st_diag(d, ST_ERROR, "wrong-type", root->sp,
		        "an exercise must be a mapping, not %s",
		        st_ykind_name(root));
		return st_diags_errors(d) - errors;
	}
	sc_check_keys(d, root, "exercise", exercise_keys);
	const char *expected = is_inline || !file ? NULL : file_id(a, file);
	e->id = sc_ystr(a, d, root, "id", 0);
	if (e->id) {
		if (!st_is_exercise_id(e->id))
			st_diag(d, ST_ERROR, "bad-id", key_span(root, "id"),
			        "exercise id '%s' is neither a slug (a-z, 0-9, '-' "
			        "and '.') nor an identifier (a-z, 0-9 and '_', "
			        "starting with a letter)", e->id);
		/* A mismatch with the file name is load.c's to report. */
	} else if (expected && !st_ymap_get(root, "id")) {
		e->id = expected;
		if (!st_is_exercise_id(e->id))
			st_diag(d, ST_ERROR, "bad-id", root->sp,
			        "exercise id '%s' (from the file name) is neither a "
			        "slug (a-z, 0-9, '-' and '.') nor an identifier (a-z, "
			        "0-9 and '_', starting with a letter)", e->id);
	}
	e->title = sc_ystr(a, d, root, "title", 1);
	e->instructions = sc_ystr(a, d, root, "instructions", 0);
	e->repeat = bool_key(d, root, "repeat");

	st_strmap *ns = st_strmap_new(a);
	const st_ynode *fl = list_key(d, root, "fields", 1);
	const st_ynode *cl = list_key(d, root, "computed", 0);
	size_t nspans = (fl ? fl->n : 0) + (cl ? cl->n : 0);
	st_span *spans = st_alloc(a, (nspans + 1) * sizeof *spans);
	size_t k = 0;
	if (fl) {
		e->fields = st_alloc(a, (fl->n + 1) * sizeof *e->fields);
		for (size_t i = 0; i < fl->n; i++) {
			const st_ynode *m = fl->items[i];
			if (!is_map(d, m, "fields"))
				continue;
			st_field *f = &e->fields[e->nfields++];
			load_field(f, a, d, m);
			spans[k] = key_span(m, "id");
			check_unique(d, ns, spans, k, f->id, spans[k], "field");
			k++;
		}
		if (!fl->n)
			st_diag(d, ST_ERROR, "missing-key", fl->sp,
			        "an exercise needs at least one field");
	}
	if (cl) {
		e->computed = st_alloc(a, (cl->n + 1) * sizeof *e->computed);
		for (size_t i = 0; i < cl->n; i++) {
			const st_ynode *m = cl->items[i];
			if (!is_map(d, m, "computed"))
				continue;
			st_computed *c = &e->computed[e->ncomputed++];
			sc_check_keys(d, m, "computed field", computed_keys);
			c->sp = m->sp;
			c->id = sc_ystr(a, d, m, "id", 1);
			check_ident(d, key_span(m, "id"), "computed field", c->id);
			c->label = sc_ystr(a, d, m, "label", 0);
			c->value = sc_yexpr(a, d, m, "value", 1);
			c->unit = sc_ystr(a, d, m, "unit", 0);
			spans[k] = key_span(m, "id");
			check_unique(d, ns, spans, k, c->id, spans[k],
			             "computed field");
			k++;
		}
	}
	return st_diags_errors(d) - errors;
}
