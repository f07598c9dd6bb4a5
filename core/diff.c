/*
 * diff.c — classify the change between two versions of a program
 * (diff.h; docs/versioning.md).
 *
 * The rule behind the levels is the clinician's question: can a score
 * given under the new version be read next to one given under the old?
 * A rating form is a validated instrument, so any change to what is asked
 * or how it is scored — an item's text, type, options, order, reverse
 * scoring, range or show-if, a score's formula or bands — is major, and so
 * is removing anything that stored answers, progress or scores refer to.
 * New things and a changed course (unlock rules, assessments, messages,
 * alerts) are minor; text is patch.
 *
 * Things are matched by id, never by position, with sorted indexes so that
 * a program of thousands of modules compares in n log n.  Expressions are
 * compared as written with whitespace outside string literals removed, so
 * that reformatting a formula is not a change.
 */
#include "diff.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vocab.h"

typedef struct idx idx;

/* Where page text comes from: a bundle's entries (sorted by name), or
 * the compiled page in memory. */
typedef struct pages {
	const st_bundle *b;
	idx *names;
	size_t n;
} pages;

typedef struct dctx {
	st_arena *a;
	st_change *v;
	size_t n, cap;
	pages po, pn;
} dctx;

static void add(dctx *c, st_change_level l, const char *what, const char *how)
{
	st_change ch = { l, what, how };
	ST_PUSH(c->a, c->v, c->n, c->cap, ch);
}

static int streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b || (!a && b && !*b) || (!b && a && !*a);
	return !strcmp(a, b);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* "type changed from 'choice' to 'scale'" */
static const char *type_changed(dctx *c, st_qtype from, st_qtype to)
{
	return st_sprintf(c->a, "type changed from '%s' to '%s'",
	                  or_empty(st_qtype_name(from)),
	                  or_empty(st_qtype_name(to)));
}

/* Expression text without whitespace outside "..." and '...'. */
static char *squeeze(st_arena *a, const char *s)
{
	size_t n = strlen(s), j = 0;
	char *o = st_alloc(a, n + 1), q = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (q) {
			if (ch == q)
				q = 0;
		} else if (ch == '"' || ch == '\'') {
			q = ch;
		} else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			continue;
		}
		o[j++] = ch;
	}
	o[j] = 0;
	return o;
}

static int expr_eq(st_arena *a, const st_expr *x, const st_expr *y)
{
	if (!x || !y || !x->src || !y->src)
		return (!x || !x->src) && (!y || !y->src);
	return !strcmp(squeeze(a, x->src), squeeze(a, y->src));
}

static int num_eq(double x, double y)
{
	return x == y || (isnan(x) && isnan(y));
}

/* ---- matching by id -------------------------------------------------------- */

struct idx {
	const char *id;
	size_t pos;
};

static int cmp_idx(const void *a, const void *b)
{
	return strcmp(((const idx *)a)->id, ((const idx *)b)->id);
}

/* Sorted (id, position) pairs of n things whose id is at offset off of
 * records of size sz. */
static idx *make_index(st_arena *a, const void *base, size_t n, size_t sz,
                       size_t off)
{
	idx *v = st_alloc(a, (n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		const char *const *id = (const char *const *)
			((const char *)base + i * sz + off);
		v[i].id = *id ? *id : "";
		v[i].pos = i;
	}
	qsort(v, n, sizeof *v, cmp_idx);
	return v;
}

static long find(const idx *v, size_t n, const char *id)
{
	idx key = { id ? id : "", 0 };
	const idx *hit = bsearch(&key, v, n, sizeof *v, cmp_idx);
	return hit ? (long)hit->pos : -1;
}

static void pages_init(pages *p, st_arena *a, const st_bundle *b)
{
	p->b = b;
	p->n = b ? st_bundle_nentries(b) : 0;
	p->names = st_alloc(a, (p->n + 1) * sizeof *p->names);
	for (size_t i = 0; i < p->n; i++) {
		p->names[i].id = st_bundle_entry_name(b, i);
		p->names[i].pos = i;
	}
	qsort(p->names, p->n, sizeof *p->names, cmp_idx);
}

/* The SHA-256 of a page's XHTML, from the bundle or computed. */
static const char *page_hash(st_arena *a, const pages *p, const st_page *pg)
{
	if (p->b) {
		long i = pg->path ? find(p->names, p->n, pg->path) : -1;
		return i < 0 ? "" : st_bundle_entry_sha256(p->b, (size_t)i);
	}
	char *h = st_alloc(a, 65);
	st_sha256_hex(pg->xhtml ? pg->xhtml : "", pg->xhtml ? pg->xhtml_len : 0,
	              h);
	return h;
}

/* ---- options ----------------------------------------------------------------- */

/* 0 same; 1 only labels differ; 2 values differ (or count). */
static int options_diff(const st_option *x, size_t nx, const st_option *y,
                        size_t ny)
{
	int labels = 0;
	if (nx != ny)
		return 2;
	for (size_t i = 0; i < nx; i++) {
		if (!num_eq(x[i].value, y[i].value))
			return 2;
		if (!streq(x[i].label, y[i].label))
			labels = 1;
	}
	return labels;
}

/* ---- forms ------------------------------------------------------------------- */

static void diff_items(dctx *c, const char *fw, const st_form *o,
                       const st_form *n)
{
	idx *oi = make_index(c->a, o->items, o->nitems, sizeof *o->items,
	                     offsetof(st_item, id));
	idx *ni = make_index(c->a, n->items, n->nitems, sizeof *n->items,
	                     offsetof(st_item, id));
	size_t common_old = 0, common_new = 0;
	const char **order_old = st_alloc(c->a, (o->nitems + 1) * sizeof *order_old);
	const char **order_new = st_alloc(c->a, (n->nitems + 1) * sizeof *order_new);

	for (size_t i = 0; i < o->nitems; i++) {
		const st_item *x = &o->items[i];
		long j = find(ni, n->nitems, x->id);
		const char *w = st_sprintf(c->a, "%s item '%s'", fw, x->id);
		if (j < 0) {
			add(c, ST_CHANGE_MAJOR, w, "removed");
			continue;
		}
		order_old[common_old++] = x->id;
		const st_item *y = &n->items[j];
		if (!streq(x->text, y->text))
			add(c, ST_CHANGE_MAJOR, w, "text changed");
		if (x->type != y->type)
			add(c, ST_CHANGE_MAJOR, w, type_changed(c, x->type, y->type));
		{
			const st_option *xo = x->options ? x->options : o->options;
			size_t nxo = x->options ? x->noptions : o->noptions;
			const st_option *yo = y->options ? y->options : n->options;
			size_t nyo = y->options ? y->noptions : n->noptions;
			int od = options_diff(xo, nxo, yo, nyo);
			if (od == 2)
				add(c, ST_CHANGE_MAJOR, w, "answer options' values changed");
			else if (od == 1)
				add(c, ST_CHANGE_MAJOR, w, "answer options' labels changed");
		}
		if (x->reverse != y->reverse)
			add(c, ST_CHANGE_MAJOR, w, y->reverse ? "now reverse-scored" :
			    "no longer reverse-scored");
		if (x->has_min != y->has_min || x->has_max != y->has_max ||
		    (x->has_min && !num_eq(x->min, y->min)) ||
		    (x->has_max && !num_eq(x->max, y->max)))
			add(c, ST_CHANGE_MAJOR, w, "range changed");
		if (x->required != y->required)
			add(c, ST_CHANGE_MAJOR, w, y->required ? "now required" :
			    "no longer required");
		if (!expr_eq(c->a, x->show_if, y->show_if))
			add(c, ST_CHANGE_MAJOR, w, "show-if changed");
	}
	for (size_t i = 0; i < n->nitems; i++) {
		const st_item *y = &n->items[i];
		if (find(oi, o->nitems, y->id) < 0)
			add(c, ST_CHANGE_MAJOR, st_sprintf(c->a, "%s item '%s'", fw,
			    y->id), "added (the instrument changed)");
		else
			order_new[common_new++] = y->id;
	}
	for (size_t i = 0; i < common_old && i < common_new; i++)
		if (strcmp(order_old[i], order_new[i])) {
			add(c, ST_CHANGE_MAJOR, fw, "items reordered (ranges such as "
			    "q1..q9 follow the order)");
			break;
		}
}

static void diff_bands(dctx *c, const char *w, const st_score *x,
                       const st_score *y)
{
	int labels = 0;
	if (x->nbands != y->nbands) {
		add(c, ST_CHANGE_MAJOR, w, "bands changed");
		return;
	}
	for (size_t i = 0; i < x->nbands; i++) {
		const st_band *p = &x->bands[i], *q = &y->bands[i];
		if (!num_eq(p->from, q->from) || !num_eq(p->to, q->to) ||
		    !streq(p->level, q->level)) {
			add(c, ST_CHANGE_MAJOR, w, "bands changed");
			return;
		}
		if (!streq(p->label, q->label))
			labels = 1;
	}
	if (labels)
		add(c, ST_CHANGE_PATCH, w, "band labels changed");
}

static void diff_form(dctx *c, const st_form *o, const st_form *n)
{
	const char *fw = st_sprintf(c->a, "form '%s'", o->id);

	/* the form's default options are compared per item that uses them */
	diff_items(c, fw, o, n);

	idx *os = make_index(c->a, o->scores, o->nscores, sizeof *o->scores,
	                     offsetof(st_score, id));
	idx *ns = make_index(c->a, n->scores, n->nscores, sizeof *n->scores,
	                     offsetof(st_score, id));
	for (size_t i = 0; i < o->nscores; i++) {
		const st_score *x = &o->scores[i];
		const char *w = st_sprintf(c->a, "%s score '%s'", fw, x->id);
		long j = find(ns, n->nscores, x->id);
		if (j < 0) {
			add(c, ST_CHANGE_MAJOR, w, "removed");
			continue;
		}
		const st_score *y = &n->scores[j];
		if (!expr_eq(c->a, x->value, y->value))
			add(c, ST_CHANGE_MAJOR, w, "formula changed");
		if (x->prorate != y->prorate)
			add(c, ST_CHANGE_MAJOR, w, "rule for missing answers changed");
		diff_bands(c, w, x, y);
		if (!streq(x->title, y->title))
			add(c, ST_CHANGE_PATCH, w, "title changed");
	}
	for (size_t i = 0; i < n->nscores; i++)
		if (find(os, o->nscores, n->scores[i].id) < 0)
			add(c, ST_CHANGE_MINOR, st_sprintf(c->a, "%s score '%s'", fw,
			    n->scores[i].id), "added");

	idx *oa = make_index(c->a, o->alerts, o->nalerts, sizeof *o->alerts,
	                     offsetof(st_alert, id));
	idx *na = make_index(c->a, n->alerts, n->nalerts, sizeof *n->alerts,
	                     offsetof(st_alert, id));
	for (size_t i = 0; i < o->nalerts; i++) {
		const st_alert *x = &o->alerts[i];
		const char *w = st_sprintf(c->a, "%s alert '%s'", fw, x->id);
		long j = find(na, n->nalerts, x->id);
		if (j < 0) {
			add(c, ST_CHANGE_MINOR, w, "removed");
			continue;
		}
		const st_alert *y = &n->alerts[j];
		if (!expr_eq(c->a, x->when, y->when))
			add(c, ST_CHANGE_MINOR, w, "condition changed");
		if (x->level != y->level)
			add(c, ST_CHANGE_MINOR, w, st_sprintf(c->a, "level changed "
			    "from '%s' to '%s'", or_empty(st_alert_level_name(x->level)),
			    or_empty(st_alert_level_name(y->level))));
		if (!streq(x->message, y->message))
			add(c, ST_CHANGE_PATCH, w, "message changed");
	}
	for (size_t i = 0; i < n->nalerts; i++)
		if (find(oa, o->nalerts, n->alerts[i].id) < 0)
			add(c, ST_CHANGE_MINOR, st_sprintf(c->a, "%s alert '%s'", fw,
			    n->alerts[i].id), "added");

	if (!streq(o->title, n->title) || !streq(o->name, n->name) ||
	    !streq(o->instructions, n->instructions) ||
	    !streq(o->reference, n->reference) || !streq(o->license, n->license))
		add(c, ST_CHANGE_PATCH, fw, "title, name, instructions, reference "
		    "or license changed");
}

/* ---- exercises ------------------------------------------------------------- */

static void diff_exercise(dctx *c, const st_exercise *o, const st_exercise *n)
{
	const char *ew = st_sprintf(c->a, "exercise '%s'", o->id);
	idx *of = make_index(c->a, o->fields, o->nfields, sizeof *o->fields,
	                     offsetof(st_field, id));
	idx *nf = make_index(c->a, n->fields, n->nfields, sizeof *n->fields,
	                     offsetof(st_field, id));

	if (o->repeat != n->repeat)
		add(c, ST_CHANGE_MAJOR, ew, n->repeat ? "is now a diary (repeat)" :
		    "is no longer a diary (repeat)");
	for (size_t i = 0; i < o->nfields; i++) {
		const st_field *x = &o->fields[i];
		const char *w = st_sprintf(c->a, "%s field '%s'", ew, x->id);
		long j = find(nf, n->nfields, x->id);
		if (j < 0) {
			add(c, ST_CHANGE_MAJOR, w, "removed");
			continue;
		}
		const st_field *y = &n->fields[j];
		if (x->type != y->type)
			add(c, ST_CHANGE_MAJOR, w, type_changed(c, x->type, y->type));
		int od = options_diff(x->options, x->noptions, y->options,
		                      y->noptions);
		if (od == 2)
			add(c, ST_CHANGE_MAJOR, w, "options' values changed");
		else if (od == 1)
			add(c, ST_CHANGE_PATCH, w, "options' labels changed");
		if (x->has_min != y->has_min || x->has_max != y->has_max ||
		    x->has_step != y->has_step ||
		    (x->has_min && !num_eq(x->min, y->min)) ||
		    (x->has_max && !num_eq(x->max, y->max)) ||
		    (x->has_step && !num_eq(x->step, y->step)) ||
		    !streq(x->unit, y->unit) || x->required != y->required ||
		    !expr_eq(c->a, x->show_if, y->show_if))
			add(c, ST_CHANGE_MINOR, w, "range, unit, required or show-if "
			    "changed");
		if (!streq(x->label, y->label))
			add(c, ST_CHANGE_PATCH, w, "label changed");
	}
	for (size_t i = 0; i < n->nfields; i++)
		if (find(of, o->nfields, n->fields[i].id) < 0)
			add(c, ST_CHANGE_MINOR, st_sprintf(c->a, "%s field '%s'", ew,
			    n->fields[i].id), "added");

	idx *oc = make_index(c->a, o->computed, o->ncomputed,
	                     sizeof *o->computed, offsetof(st_computed, id));
	idx *nc = make_index(c->a, n->computed, n->ncomputed,
	                     sizeof *n->computed, offsetof(st_computed, id));
	for (size_t i = 0; i < o->ncomputed; i++) {
		const st_computed *x = &o->computed[i];
		const char *w = st_sprintf(c->a, "%s computed '%s'", ew, x->id);
		long j = find(nc, n->ncomputed, x->id);
		if (j < 0) {
			add(c, ST_CHANGE_MAJOR, w, "removed");
			continue;
		}
		const st_computed *y = &n->computed[j];
		if (!expr_eq(c->a, x->value, y->value))
			add(c, ST_CHANGE_MAJOR, w, "formula changed");
		if (!streq(x->label, y->label) || !streq(x->unit, y->unit))
			add(c, ST_CHANGE_PATCH, w, "label or unit changed");
	}
	for (size_t i = 0; i < n->ncomputed; i++)
		if (find(oc, o->ncomputed, n->computed[i].id) < 0)
			add(c, ST_CHANGE_MINOR, st_sprintf(c->a, "%s computed '%s'",
			    ew, n->computed[i].id), "added");
	if (!streq(o->title, n->title) || !streq(o->instructions,
	                                          n->instructions))
		add(c, ST_CHANGE_PATCH, ew, "title or instructions changed");
}

/* ---- modules ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The components of a module as a sorted list "kind:ref". */
static const char **components(st_arena *a, const st_module *m, size_t *n)
{
	size_t k = 0, cap = 0;
	const char **v = NULL;
	for (size_t p = 0; p < m->npages; p++)
		for (size_t i = 0; i < m->pages[p].ncomponents; i++) {
			const st_component *cm = &m->pages[p].components[i];
			const char *s = st_sprintf(a, "%s:%s",
			    cm->kind == ST_COMP_FORM ? "form" : "exercise",
			    cm->ref ? cm->ref : "");
			ST_PUSH(a, v, k, cap, s);
		}
	if (k)
		qsort(v, k, sizeof *v, cmp_str);
	*n = k;
	return v;
}

static void diff_module(dctx *c, const st_module *o, const st_module *n)
{
	const char *w = st_sprintf(c->a, "module '%s'", o->id);
	size_t nco, ncn;
	const char **co = components(c->a, o, &nco);
	const char **cn = components(c->a, n, &ncn);
	int text = o->npages != n->npages;

	if (!expr_eq(c->a, o->unlock, n->unlock))
		add(c, ST_CHANGE_MINOR, w, "unlock rule changed");
	if (nco != ncn)
		add(c, ST_CHANGE_MINOR, w, "forms or exercises given changed");
	else
		for (size_t i = 0; i < nco; i++)
			if (strcmp(co[i], cn[i])) {
				add(c, ST_CHANGE_MINOR, w, "forms or exercises given "
				    "changed");
				break;
			}
	for (size_t p = 0; !text && p < o->npages; p++) {
		const st_page *x = &o->pages[p], *y = &n->pages[p];
		if (!streq(x->title, y->title) ||
		    strcmp(page_hash(c->a, &c->po, x), page_hash(c->a, &c->pn, y)))
			text = 1;
	}
	if (text)
		add(c, ST_CHANGE_PATCH, w, "text changed");
	if (!streq(o->title, n->title) || o->minutes != n->minutes)
		add(c, ST_CHANGE_PATCH, w, "title or minutes changed");
}

/* ---- the program --------------------------------------------------------------- */

static int str_list_eq(const char **x, size_t nx, const char **y, size_t ny)
{
	if (nx != ny)
		return 0;
	for (size_t i = 0; i < nx; i++)
		if (!streq(x[i], y[i]))
			return 0;
	return 1;
}

int st_diff_programs(st_diff *out, st_arena *a,
                     const st_program *o, const st_bundle *ob,
                     const st_program *n, const st_bundle *nb)
{
	dctx c;
	memset(&c, 0, sizeof c);
	c.a = a;
	pages_init(&c.po, a, ob);
	pages_init(&c.pn, a, nb);

	/* modules */
	{
		idx *om = make_index(a, o->modules, o->nmodules, sizeof *o->modules,
		                     offsetof(st_module, id));
		idx *nm = make_index(a, n->modules, n->nmodules, sizeof *n->modules,
		                     offsetof(st_module, id));
		size_t ko = 0, kn = 0;
		const char **ord_o = st_alloc(a, (o->nmodules + 1) * sizeof *ord_o);
		const char **ord_n = st_alloc(a, (n->nmodules + 1) * sizeof *ord_n);
		for (size_t i = 0; i < o->nmodules; i++) {
			long j = find(nm, n->nmodules, o->modules[i].id);
			if (j < 0) {
				add(&c, ST_CHANGE_MAJOR, st_sprintf(a, "module '%s'",
				    o->modules[i].id), "removed");
				continue;
			}
			ord_o[ko++] = o->modules[i].id;
			diff_module(&c, &o->modules[i], &n->modules[j]);
		}
		for (size_t i = 0; i < n->nmodules; i++) {
			if (find(om, o->nmodules, n->modules[i].id) < 0)
				add(&c, ST_CHANGE_MINOR, st_sprintf(a, "module '%s'",
				    n->modules[i].id), "added");
			else
				ord_n[kn++] = n->modules[i].id;
		}
		if (!str_list_eq(ord_o, ko, ord_n, kn))
			add(&c, ST_CHANGE_MINOR, "modules", "reordered");
	}
	/* forms */
	{
		idx *of = make_index(a, o->forms, o->nforms, sizeof *o->forms,
		                     offsetof(st_form, id));
		idx *nf = make_index(a, n->forms, n->nforms, sizeof *n->forms,
		                     offsetof(st_form, id));
		for (size_t i = 0; i < o->nforms; i++) {
			long j = find(nf, n->nforms, o->forms[i].id);
			if (j < 0)
				add(&c, ST_CHANGE_MAJOR, st_sprintf(a, "form '%s'",
				    o->forms[i].id), "removed");
			else
				diff_form(&c, &o->forms[i], &n->forms[j]);
		}
		for (size_t i = 0; i < n->nforms; i++)
			if (find(of, o->nforms, n->forms[i].id) < 0)
				add(&c, ST_CHANGE_MINOR, st_sprintf(a, "form '%s'",
				    n->forms[i].id), "added");
	}
	/* exercises */
	{
		idx *oe = make_index(a, o->exercises, o->nexercises,
		                     sizeof *o->exercises, offsetof(st_exercise, id));
		idx *ne = make_index(a, n->exercises, n->nexercises,
		                     sizeof *n->exercises, offsetof(st_exercise, id));
		for (size_t i = 0; i < o->nexercises; i++) {
			long j = find(ne, n->nexercises, o->exercises[i].id);
			if (j < 0)
				add(&c, ST_CHANGE_MAJOR, st_sprintf(a, "exercise '%s'",
				    o->exercises[i].id), "removed");
			else
				diff_exercise(&c, &o->exercises[i], &n->exercises[j]);
		}
		for (size_t i = 0; i < n->nexercises; i++)
			if (find(oe, o->nexercises, n->exercises[i].id) < 0)
				add(&c, ST_CHANGE_MINOR, st_sprintf(a, "exercise '%s'",
				    n->exercises[i].id), "added");
	}
	/* assessments: when each form is given */
	{
		int changed = o->nassessments != n->nassessments;
		for (size_t i = 0; !changed && i < o->nassessments; i++) {
			const st_assessment *x = &o->assessments[i];
			const st_assessment *y = &n->assessments[i];
			changed = !streq(x->form, y->form) ||
			          !str_list_eq(x->at, x->nat, y->at, y->nat);
		}
		if (changed)
			add(&c, ST_CHANGE_MINOR, "assessments", "changed");
	}
	/* messages */
	{
		idx *om = make_index(a, o->messages, o->nmessages,
		                     sizeof *o->messages, offsetof(st_message, id));
		idx *nm = make_index(a, n->messages, n->nmessages,
		                     sizeof *n->messages, offsetof(st_message, id));
		for (size_t i = 0; i < o->nmessages; i++) {
			const st_message *x = &o->messages[i];
			const char *w = st_sprintf(a, "message '%s'", x->id);
			long j = find(nm, n->nmessages, x->id);
			if (j < 0) {
				add(&c, ST_CHANGE_MINOR, w, "removed");
				continue;
			}
			const st_message *y = &n->messages[j];
			if (!streq(x->when_kw, y->when_kw) ||
			    !expr_eq(a, x->when, y->when))
				add(&c, ST_CHANGE_MINOR, w, "when changed");
			if (!streq(x->text, y->text))
				add(&c, ST_CHANGE_PATCH, w, "text changed");
		}
		for (size_t i = 0; i < n->nmessages; i++)
			if (find(om, o->nmessages, n->messages[i].id) < 0)
				add(&c, ST_CHANGE_MINOR, st_sprintf(a, "message '%s'",
				    n->messages[i].id), "added");
	}
	/* media: by path and content */
	{
		idx *om = make_index(a, o->media, o->nmedia, sizeof *o->media,
		                     offsetof(st_media, path));
		idx *nm = make_index(a, n->media, n->nmedia, sizeof *n->media,
		                     offsetof(st_media, path));
		for (size_t i = 0; i < o->nmedia; i++) {
			const st_media *x = &o->media[i];
			long j = find(nm, n->nmedia, x->path);
			const char *w = st_sprintf(a, "media '%s'", x->path);
			if (j < 0)
				add(&c, ST_CHANGE_PATCH, w, "removed");
			else if (strcmp(x->sha256, n->media[j].sha256))
				add(&c, ST_CHANGE_PATCH, w, "changed");
		}
		for (size_t i = 0; i < n->nmedia; i++)
			if (find(om, o->nmedia, n->media[i].path) < 0)
				add(&c, ST_CHANGE_PATCH, st_sprintf(a, "media '%s'",
				    n->media[i].path), "added");
	}
	/* the program's own fields */
	if (o->kind != n->kind || o->start != n->start ||
	    !streq(o->language, n->language) ||
	    !streq(o->producer_id, n->producer_id) ||
	    o->duration_weeks != n->duration_weeks ||
	    o->retention_days != n->retention_days ||
	    !str_list_eq(o->conditions, o->nconditions, n->conditions,
	                 n->nconditions))
		add(&c, ST_CHANGE_MINOR, "program", "kind, start, language, "
		    "producer, conditions, duration or retention changed");
	if (!streq(o->title, n->title) || !streq(o->summary, n->summary) ||
	    !streq(o->audience, n->audience) ||
	    !streq(o->producer_name, n->producer_name))
		add(&c, ST_CHANGE_PATCH, "program", "title, summary, audience or "
		    "producer name changed");

	/* most significant first, keeping program order within a level */
	{
		st_change *sorted = st_alloc(a, (c.n + 1) * sizeof *sorted);
		size_t k = 0;
		for (int l = ST_CHANGE_MAJOR; l >= ST_CHANGE_PATCH; l--)
			for (size_t i = 0; i < c.n; i++)
				if ((int)c.v[i].level == l)
					sorted[k++] = c.v[i];
		out->changes = sorted;
		out->n = k;
		out->level = k ? sorted[0].level : ST_CHANGE_NONE;
	}
	return ST_OK;
}

const char *st_change_level_name(st_change_level l)
{
	switch (l) {
	case ST_CHANGE_MAJOR: return "major";
	case ST_CHANGE_MINOR: return "minor";
	case ST_CHANGE_PATCH: return "patch";
	default: return "none";
	}
}

void st_diff_needed_version(char *out, size_t cap, const char *old_version,
                            st_change_level l)
{
	long ma, mi, pa;
	if (!old_version || st_semver_parse(old_version, &ma, &mi, &pa) != 0) {
		if (cap)
			out[0] = 0;
		return;
	}
	switch (l) {
	case ST_CHANGE_MAJOR:
		snprintf(out, cap, "%ld.0.0", ma + 1);
		break;
	case ST_CHANGE_MINOR:
		snprintf(out, cap, "%ld.%ld.0", ma, mi + 1);
		break;
	case ST_CHANGE_PATCH:
		snprintf(out, cap, "%ld.%ld.%ld", ma, mi, pa + 1);
		break;
	default:
		snprintf(out, cap, "%s", old_version);
		break;
	}
}

int st_diff_check_version(st_diags *d, const st_diff *df,
                          const char *old_version, const char *new_version,
                          st_span sp)
{
	long oma, omi, opa, nma, nmi, npa;
	int ok;

	if (!old_version || !new_version ||
	    st_semver_parse(old_version, &oma, &omi, &opa) != 0 ||
	    st_semver_parse(new_version, &nma, &nmi, &npa) != 0) {
		st_diag(d, ST_ERROR, "version-not-newer", sp, "cannot compare "
		        "versions '%s' and '%s' (MAJOR.MINOR.PATCH)",
		        old_version ? old_version : "", new_version ?
		        new_version : "");
		return ST_ERR;
	}
	int cmp = st_semver_cmp(new_version, old_version);
	switch (df->level) {
	case ST_CHANGE_MAJOR:
		ok = nma > oma;
		break;
	case ST_CHANGE_MINOR:
		ok = nma > oma || (nma == oma && nmi > omi);
		break;
	case ST_CHANGE_PATCH:
		ok = cmp > 0;
		break;
	default:
		ok = cmp >= 0;
		break;
	}
	if (ok && cmp >= 0)
		return ST_OK;
	if (cmp <= 0 && df->level == ST_CHANGE_NONE) {
		st_diag(d, ST_ERROR, "version-not-newer", sp, "version '%s' is "
		        "older than the previous release '%s'", new_version,
		        old_version);
		return ST_ERR;
	}
	char need[64];
	st_diff_needed_version(need, sizeof need, old_version, df->level);
	st_diag(d, ST_ERROR, "version-too-small", sp, "version '%s' is too "
	        "small: %s: %s needs a %s version after '%s', at least %s",
	        new_version, df->changes[0].what, df->changes[0].how,
	        st_change_level_name(df->level), old_version, need);
	return ST_ERR;
}
