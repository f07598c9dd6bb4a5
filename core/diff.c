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
#include <jansson.h>
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

/* 0 same; 1 only labels or codes differ; 2 values or weights differ (or
 * count). */
static int options_diff(const st_option *x, size_t nx, const st_option *y,
                        size_t ny)
{
	int labels = 0;
	if (nx != ny)
		return 2;
	for (size_t i = 0; i < nx; i++) {
		if (!num_eq(x[i].value, y[i].value) ||
		    !num_eq(st_option_score(&x[i]), st_option_score(&y[i])))
			return 2;
		if (!streq(x[i].label, y[i].label) ||
		    !streq(x[i].code.system, y[i].code.system) ||
		    !streq(x[i].code.code, y[i].code.code))
			labels = 1;
	}
	return labels;
}

/* ---- forms ------------------------------------------------------------------- */

/* ---- one walk for every kind of thing matched by id ------------------------ */

/* A kind of thing that the old and the new program (or form, or exercise)
 * hold a list of, matched by id: one only in the old is "removed", one
 * only in the new "added" (each at its level), and one in both is
 * compared by same(), given what it is called in messages ("form 'phq9'
 * item 'q1'") and the two parents (the forms, for items). */
typedef void same_fn(dctx *c, const char *w, const void *x, const void *y,
                     const void *oparent, const void *nparent);
typedef struct kind {
	const char *noun;            /* "item" */
	size_t size, id_off;         /* record size, offset of its id */
	st_change_level removed, added;
	const char *added_how;       /* NULL: "added" */
	same_fn *same;               /* NULL: nothing more to compare */
} kind;

static const char *named(dctx *c, const char *parent, const char *noun,
                         const char *id)
{
	return parent ? st_sprintf(c->a, "%s %s '%s'", parent, noun, id)
	              : st_sprintf(c->a, "%s '%s'", noun, id);
}

/* Walk the old list o (no records) and the new list n (nn) of kind k
 * under parent (NULL at the top); 1 when the ones in both are in another
 * order. */
static int walk_by_id(dctx *c, const kind *k, const char *parent,
                      const void *op, const void *o, size_t no,
                      const void *np, const void *n, size_t nn)
{
	idx *oi = make_index(c->a, o, no, k->size, k->id_off);
	idx *ni = make_index(c->a, n, nn, k->size, k->id_off);
	const char **ord_o = st_alloc(c->a, (no + 1) * sizeof *ord_o);
	const char **ord_n = st_alloc(c->a, (nn + 1) * sizeof *ord_n);
	size_t ko = 0, kn = 0;
#define REC(base, i) ((const char *)(base) + (i) * k->size)
#define ID(base, i) (*(const char *const *)(REC(base, i) + k->id_off))
	for (size_t i = 0; i < no; i++) {
		const char *id = ID(o, i);
		const char *w = named(c, parent, k->noun, id);
		long j = find(ni, nn, id);
		if (j < 0) {
			add(c, k->removed, w, "removed");
			continue;
		}
		ord_o[ko++] = id;
		if (k->same)
			k->same(c, w, REC(o, i), REC(n, (size_t)j), op, np);
	}
	for (size_t i = 0; i < nn; i++) {
		const char *id = ID(n, i);
		if (find(oi, no, id) < 0)
			add(c, k->added, named(c, parent, k->noun, id),
			    k->added_how ? k->added_how : "added");
		else
			ord_n[kn++] = id;
	}
#undef ID
#undef REC
	for (size_t i = 0; i < ko && i < kn; i++)
		if (strcmp(ord_o[i], ord_n[i]))
			return 1;
	return 0;
}

/* ---- forms ------------------------------------------------------------------- */

static void same_item(dctx *c, const char *w, const void *xv, const void *yv,
                      const void *ov, const void *nv)
{
	const st_item *x = xv, *y = yv;
	const st_form *o = ov, *n = nv;
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

static void same_score(dctx *c, const char *w, const void *xv,
                       const void *yv, const void *ov, const void *nv)
{
	const st_score *x = xv, *y = yv;
	if (!expr_eq(c->a, x->value, y->value))
		add(c, ST_CHANGE_MAJOR, w, "formula changed");
	if (x->prorate != y->prorate)
		add(c, ST_CHANGE_MAJOR, w, "rule for missing answers changed");
	diff_bands(c, w, x, y);
	if (!streq(x->title, y->title))
		add(c, ST_CHANGE_PATCH, w, "title changed");
}

static void same_alert(dctx *c, const char *w, const void *xv,
                       const void *yv, const void *ov, const void *nv)
{
	const st_alert *x = xv, *y = yv;
	if (!expr_eq(c->a, x->when, y->when))
		add(c, ST_CHANGE_MINOR, w, "condition changed");
	if (x->level != y->level)
		add(c, ST_CHANGE_MINOR, w, st_sprintf(c->a, "level changed "
		    "from '%s' to '%s'", or_empty(st_alert_level_name(x->level)),
		    or_empty(st_alert_level_name(y->level))));
	if (!streq(x->message, y->message))
		add(c, ST_CHANGE_PATCH, w, "message changed");
}

static const kind items = {
	"item", sizeof(st_item), offsetof(st_item, id), ST_CHANGE_MAJOR,
	ST_CHANGE_MAJOR, "added (the instrument changed)", same_item
};
static const kind scores = {
	"score", sizeof(st_score), offsetof(st_score, id), ST_CHANGE_MAJOR,
	ST_CHANGE_MINOR, NULL, same_score
};
static const kind alerts = {
	"alert", sizeof(st_alert), offsetof(st_alert, id), ST_CHANGE_MINOR,
	ST_CHANGE_MINOR, NULL, same_alert
};

static void same_form(dctx *c, const char *fw, const void *ov, const void *nv,
                      const void *op, const void *np)
{
	const st_form *o = ov, *n = nv;
	/* the form's default options are compared per item that uses them */
	if (walk_by_id(c, &items, fw, o, o->items, o->nitems, n, n->items,
	               n->nitems))
		add(c, ST_CHANGE_MAJOR, fw, "items reordered (ranges such as "
		    "q1..q9 follow the order)");
	walk_by_id(c, &scores, fw, o, o->scores, o->nscores, n, n->scores,
	           n->nscores);
	walk_by_id(c, &alerts, fw, o, o->alerts, o->nalerts, n, n->alerts,
	           n->nalerts);
	if (!streq(o->title, n->title) || !streq(o->name, n->name) ||
	    !streq(o->instructions, n->instructions) ||
	    !streq(o->reference, n->reference) || !streq(o->license, n->license))
		add(c, ST_CHANGE_PATCH, fw, "title, name, instructions, reference "
		    "or license changed");
}

/* ---- exercises ------------------------------------------------------------- */

static void same_field(dctx *c, const char *w, const void *xv,
                       const void *yv, const void *ov, const void *nv)
{
	const st_field *x = xv, *y = yv;
	if (x->type != y->type)
		add(c, ST_CHANGE_MAJOR, w, type_changed(c, x->type, y->type));
	int od = options_diff(x->options, x->noptions, y->options, y->noptions);
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

static void same_computed(dctx *c, const char *w, const void *xv,
                          const void *yv, const void *ov, const void *nv)
{
	const st_computed *x = xv, *y = yv;
	if (!expr_eq(c->a, x->value, y->value))
		add(c, ST_CHANGE_MAJOR, w, "formula changed");
	if (!streq(x->label, y->label) || !streq(x->unit, y->unit))
		add(c, ST_CHANGE_PATCH, w, "label or unit changed");
}

static const kind fields = {
	"field", sizeof(st_field), offsetof(st_field, id), ST_CHANGE_MAJOR,
	ST_CHANGE_MINOR, NULL, same_field
};
static const kind computeds = {
	"computed", sizeof(st_computed), offsetof(st_computed, id),
	ST_CHANGE_MAJOR, ST_CHANGE_MINOR, NULL, same_computed
};

static void same_exercise(dctx *c, const char *ew, const void *ov,
                          const void *nv, const void *op, const void *np)
{
	const st_exercise *o = ov, *n = nv;
	if (o->repeat != n->repeat)
		add(c, ST_CHANGE_MAJOR, ew, n->repeat ? "is now a diary (repeat)" :
		    "is no longer a diary (repeat)");
	walk_by_id(c, &fields, ew, o, o->fields, o->nfields, n, n->fields,
	           n->nfields);
	walk_by_id(c, &computeds, ew, o, o->computed, o->ncomputed, n,
	           n->computed, n->ncomputed);
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

static void same_module(dctx *c, const char *w, const void *ov,
                        const void *nv, const void *op, const void *np)
{
	const st_module *o = ov, *n = nv;
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

static void same_message(dctx *c, const char *w, const void *xv,
                         const void *yv, const void *op, const void *np)
{
	const st_message *x = xv, *y = yv;
	if (!streq(x->when_kw, y->when_kw) || !expr_eq(c->a, x->when, y->when))
		add(c, ST_CHANGE_MINOR, w, "when changed");
	if (!streq(x->text, y->text))
		add(c, ST_CHANGE_PATCH, w, "text changed");
}

static void same_media(dctx *c, const char *w, const void *xv,
                       const void *yv, const void *op, const void *np)
{
	const st_media *x = xv, *y = yv;
	if (strcmp(x->sha256, y->sha256))
		add(c, ST_CHANGE_PATCH, w, "changed");
}

static const kind modules = {
	"module", sizeof(st_module), offsetof(st_module, id), ST_CHANGE_MAJOR,
	ST_CHANGE_MINOR, NULL, same_module
};
static const kind forms = {
	"form", sizeof(st_form), offsetof(st_form, id), ST_CHANGE_MAJOR,
	ST_CHANGE_MINOR, NULL, same_form
};
static const kind exercises = {
	"exercise", sizeof(st_exercise), offsetof(st_exercise, id),
	ST_CHANGE_MAJOR, ST_CHANGE_MINOR, NULL, same_exercise
};
static const kind messages = {
	"message", sizeof(st_message), offsetof(st_message, id),
	ST_CHANGE_MINOR, ST_CHANGE_MINOR, NULL, same_message
};
/* media by path and content */
static const kind media = {
	"media", sizeof(st_media), offsetof(st_media, path), ST_CHANGE_PATCH,
	ST_CHANGE_PATCH, NULL, same_media
};

int st_diff_programs(st_diff *out, st_arena *a,
                     const st_program *o, const st_bundle *ob,
                     const st_program *n, const st_bundle *nb)
{
	dctx c;
	memset(&c, 0, sizeof c);
	c.a = a;
	pages_init(&c.po, a, ob);
	pages_init(&c.pn, a, nb);

	if (walk_by_id(&c, &modules, NULL, o, o->modules, o->nmodules, n,
	               n->modules, n->nmodules))
		add(&c, ST_CHANGE_MINOR, "modules", "reordered");
	walk_by_id(&c, &forms, NULL, o, o->forms, o->nforms, n, n->forms,
	           n->nforms);
	walk_by_id(&c, &exercises, NULL, o, o->exercises, o->nexercises, n,
	           n->exercises, n->nexercises);
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
	walk_by_id(&c, &messages, NULL, o, o->messages, o->nmessages, n,
	           n->messages, n->nmessages);
	walk_by_id(&c, &media, NULL, o, o->media, o->nmedia, n, n->media,
	           n->nmedia);
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

json_t *st_diff_json(const st_diff *df, const char *program,
                     const char *old_version, const char *new_version,
                     int version_ok)
{
	char need[64];
	json_t *arr = json_array();

	st_diff_needed_version(need, sizeof need, old_version, df->level);
	for (size_t i = 0; arr && i < df->n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s}",
		    "level", st_change_level_name(df->changes[i].level),
		    "what", df->changes[i].what, "how", df->changes[i].how));
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:o}", "program", program,
	                 "old", old_version, "new", new_version,
	                 "level", st_change_level_name(df->level),
	                 "needed", need, "version_ok", version_ok,
	                 "changes", arr);
}
