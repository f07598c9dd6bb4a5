/*
 * check.c — the semantic checks of a program (check.h), shared by stegc
 * (after loading the sources) and steg (after reading a bundle).
 *
 * Titles and names are held to the text rule of core/util.h first (a
 * bundle's as much as a source's: steg import runs this too).  Then the
 * order is the order of dependence: name tables (one hash map
 * per form, per exercise, for modules and for forms), then every
 * expression is parsed and checked against its scope — scores and
 * computed fields through st_expr_check_dep, which finds cycles — then
 * the interval analysis of each form and exercise (bands, alerts,
 * show-if), then the reachability of modules under their unlock rules,
 * then assessments.  Everything is linear in the size of the program:
 * reachability is a worklist over the modules each rule mentions, not a
 * repeated sweep.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "showif.h"
#include "i18n.h"
#include "expr.h"
#include "interval.h"
#include "score.h"

typedef struct ctx {
	st_arena *a;
	st_diags *d;
	st_program *p;
	st_strmap *modules;
	st_strmap *forms;
	st_strmap **form_names;
} ctx;

/* "12", "4.5", "-inf" */
static const char *num(st_arena *a, double v)
{
	if (isinf(v))
		return v < 0 ? st_tr("minus infinity") : st_tr("infinity");
	return st_sprintf(a, "%g", v);
}

static const char *values(st_arena *a, double lo, double hi)
{
	if (lo == hi)
		return num(a, lo);
	return st_sprintf(a, st_tr_fmt("%s to %s"), num(a, lo), num(a, hi));
}

static st_span whole_expr(const st_expr *e)
{
	size_t n = e->src ? strlen(e->src) : 0;
	return st_expr_span(e, 0, n ? n : 1);
}

/* ---- bands ------------------------------------------------------------ */
typedef struct band_ref {
	const st_band *b;
	size_t i;
} band_ref;

static int by_from(const void *x, const void *y)
{
	const band_ref *a = x, *b = y;
	if (a->b->from != b->b->from)
		return a->b->from < b->b->from ? -1 : 1;
	if (a->b->to != b->b->to)
		return a->b->to < b->b->to ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static const char *band_name(st_arena *a, const st_band *b)
{
	return st_sprintf(a, "'%s' (%s)", b->label ? b->label : "?",
	                  values(a, b->from, b->to));
}

/*
 * Bands must cover the range r of score s exactly.  For a score that can
 * only be whole, a band covers the whole numbers from..to, so 0-4 and 5-9
 * meet.  For other scores bands are intervals of real numbers that meet
 * when one's 'to' is the next one's 'from' (a value on the boundary
 * belongs to the upper band).
 */
static void check_bands(ctx *c, const st_score *s, st_ival r)
{
	st_arena *a = c->a;
	st_diags *d = c->d;
	const char *sid = s->id ? s->id : "?";
	band_ref *v = malloc((s->nbands + 1) * sizeof *v);
	size_t n = 0;
	if (!v)
		return;
	for (size_t i = 0; i < s->nbands; i++) {
		const st_band *b = &s->bands[i];
		if (isnan(b->from) || isnan(b->to))
			continue;
		if (b->from > b->to) {
			st_diag(d, ST_ERROR, "band-reversed", b->sp,
			        "band '%s' runs backwards, from %s down to %s",
			        b->label ? b->label : "?", num(a, b->from),
			        num(a, b->to));
			continue;
		}
		if (b->to < r.lo || b->from > r.hi) {
			st_diag(d, ST_ERROR, "band-outside", b->sp,
			        "band %s lies outside the possible values of '%s', "
			        "%s", band_name(a, b), sid, values(a, r.lo, r.hi));
			continue;
		}
		if (b->from < r.lo)
			st_diag(d, ST_ERROR, "band-outside", b->sp,
			        "band %s starts below the lowest possible '%s', %s",
			        band_name(a, b), sid, num(a, r.lo));
		if (b->to > r.hi)
			st_diag(d, ST_ERROR, "band-outside", b->sp,
			        "band %s ends above the highest possible '%s', %s",
			        band_name(a, b), sid, num(a, r.hi));
		v[n].b = b;
		v[n].i = i;
		n++;
	}
	if (!n) {
		free(v);
		return;
	}
	qsort(v, n, sizeof *v, by_from);

	int whole = r.whole;
	/* reach: the highest value covered so far; by: the band that covers
	 * it.  For whole scores, values are from..to in whole numbers. */
	double lo = whole ? ceil(v[0].b->from) : v[0].b->from;
	if (isfinite(r.lo) && lo > r.lo)
		st_diag(d, ST_ERROR, "band-uncovered", v[0].b->sp,
		        "no band for a '%s' %s: the lowest possible value is %s",
		        sid, whole ? st_sprintf(a, st_tr_fmt("of %s"), values(a, r.lo, lo - 1))
		        : st_sprintf(a, st_tr_fmt("from %s up to %s"), num(a, r.lo),
		                     num(a, lo)), num(a, r.lo));
	double reach = whole ? floor(v[0].b->to) : v[0].b->to;
	size_t by = 0;
	for (size_t k = 1; k < n; k++) {
		const st_band *b = v[k].b;
		double from = whole ? ceil(b->from) : b->from;
		double to = whole ? floor(b->to) : b->to;
		const st_band *pb = v[by].b;
		if (whole ? from > reach + 1 : from > reach) {
			st_diag(d, ST_ERROR, "band-gap", b->sp,
			        "no band for a '%s' %s: the bands leave a gap between "
			        "%s and %s", sid, whole
			        ? st_sprintf(a, st_tr_fmt("of %s"), values(a, reach + 1, from - 1))
			        : st_sprintf(a, st_tr_fmt("between %s and %s"), num(a, reach),
			                     num(a, from)),
			        band_name(a, pb), band_name(a, b));
		} else if (whole ? from <= reach : from < reach) {
			double hi = to < reach ? to : reach;
			st_diag(d, ST_ERROR, "band-overlap", b->sp,
			        "bands %s and %s overlap: a '%s' of %s falls in both",
			        band_name(a, pb), band_name(a, b), sid,
			        values(a, from, hi));
			st_diag_note(d, pb->sp, "the other band");
		}
		if (to > reach) {
			reach = to;
			by = k;
		}
	}
	if (isfinite(r.hi) && reach < r.hi)
		st_diag(d, ST_ERROR, "band-uncovered", v[by].b->sp,
		        "no band for a '%s' %s: the highest possible value is %s",
		        sid, whole ? st_sprintf(a, st_tr_fmt("of %s"),
		                                values(a, reach + 1, r.hi))
		        : st_sprintf(a, st_tr_fmt("above %s"), num(a, reach)), num(a, r.hi));
	free(v);
}

/* ---- forms and exercises --------------------------------------------- */
/* Does n mention name kind/index? (an item's show-if on itself) */
static int mentions(const st_ast *n, int kind, size_t i)
{
	if (!n)
		return 0;
	if (n->kind == ST_AST_NAME && n->ref == kind && n->index == i)
		return 1;
	if (n->kind == ST_AST_RANGE && n->ref == kind && n->index <= i &&
	    i <= n->index_end)
		return 1;
	for (size_t k = 0; k < n->nargs; k++)
		if (mentions(n->args[k], kind, i))
			return 1;
	return 0;
}

/* ---- explaining a condition that is never true ---------------------- */
/* The source of node n of e, for a message. */
static const char *src_of(st_arena *a, const st_expr *e, const st_ast *n)
{
	size_t len = e->src ? strlen(e->src) : 0;
	if (!e->src || n->off >= len)
		return "?";
	return st_strndup(a, e->src + n->off,
	                  n->off + n->len <= len ? n->len : len - n->off);
}

/* "is never below 0", "is 0 to 21", "is always 3" */
static const char *range_words(st_arena *a, st_ival r)
{
	if (r.lo > r.hi)
		return st_tr("never has a value");
	if (r.lo == r.hi)
		return st_sprintf(a, st_tr_fmt("is always %s"), num(a, r.lo));
	if (isfinite(r.lo) && isfinite(r.hi))
		return st_sprintf(a, st_tr_fmt("can only be %s to %s"), num(a, r.lo),
		                  num(a, r.hi));
	if (isfinite(r.lo))
		return r.lo == 0 ? st_tr("is never negative")
		                 : st_sprintf(a, st_tr_fmt("is never below %s"), num(a, r.lo));
	if (isfinite(r.hi))
		return st_sprintf(a, st_tr_fmt("is never above %s"), num(a, r.hi));
	return NULL;
}

/* Why the part n of e is never true, as "'X' is never true (...)". */
static const char *why_never(st_arena *a, st_ival_env *env,
                             const st_expr *e, const st_ast *n)
{
	const char *what = src_of(a, e, n);
	if (n->kind == ST_AST_BIN && n->op == ST_OP_AND)
		return st_sprintf(a, st_tr_fmt("'%s' is never true: its parts "
		                  "cannot all hold at once"), what);
	if (n->kind == ST_AST_BIN && n->op >= ST_OP_EQ &&
	    n->args[0]->type == ST_TYPE_NUMBER) {
		st_buf b;
		st_buf_init(&b);
		for (int k = 0; k < 2; k++) {
			const st_ast *x = n->args[k];
			if (x->kind == ST_AST_NUM)
				continue;
			const char *w = range_words(a, st_ival_of(env, x));
			if (w)
				st_buf_printf(&b, "%s'%s' %s", b.len ? st_tr(" and ") : "",
				              src_of(a, e, x), w);
		}
		const char *r = b.len
		                ? st_sprintf(a, st_tr_fmt("'%s' is never true: %s"), what, b.data)
		                : st_sprintf(a, st_tr_fmt("'%s' is never true"), what);
		st_buf_release(&b);
		return r;
	}
	return st_sprintf(a, st_tr_fmt("'%s' is never true"), what);
}

static void truth_warn(ctx *c, st_ival_env *env, const st_expr *e,
                       const char *never_code, const char *what)
{
	if (!e || !e->ast || e->type != ST_TYPE_BOOL)
		return;
	st_truth t = st_ival_truth(env, e->ast);
	if (!t.can_true) {
		const st_ast *part = st_ival_never_part(env, e->ast);
		st_diag(c->d, ST_WARNING, never_code,
		        st_expr_span(e, part->off, part->len ? part->len : 1),
		        "%s can never %s: %s", what,
		        !strcmp(never_code, "alert-never") ? st_tr("fire")
		        : !strcmp(never_code, "message-never") ? st_tr("be sent")
		        : st_tr("be true"), why_never(c->a, env, e, part));
	} else if (!t.can_false) {
		st_diag(c->d, ST_WARNING, "always-true", whole_expr(e),
		        "%s is always true: '%s' holds for every possible answer",
		        what, e->src);
	}
}

static st_deps *new_deps(st_arena *a, size_t n)
{
	st_deps *dp = st_alloc(a, sizeof *dp);
	dp->state = st_alloc(a, n + 1);
	dp->path = st_alloc(a, (n + 1) * sizeof *dp->path);
	return dp;
}

static st_strmap *form_names(st_arena *a, const st_form *f)
{
	st_strmap *m = st_strmap_new(a);
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].id)
			st_strmap_put(m, f->items[i].id,
			              ST_NAMEVAL(ST_NAME_ITEM, i), NULL);
	for (size_t i = 0; i < f->nscores; i++)
		if (f->scores[i].id)
			st_strmap_put(m, f->scores[i].id,
			              ST_NAMEVAL(ST_NAME_SCORE, i), NULL);
	return m;
}

static void check_form(ctx *c, size_t fi)
{
	st_form *f = &c->p->forms[fi];
	st_arena *a = c->a;
	st_scope s;
	memset(&s, 0, sizeof s);
	s.prog = c->p;
	s.form = f;
	s.names = c->form_names[fi];
	s.forms = c->forms;
	s.form_names = (const st_strmap *const *)c->form_names;
	s.modules = c->modules;
	s.deps = new_deps(a, f->nscores);

	for (size_t i = 0; i < f->nscores; i++) {
		if (!f->scores[i].value)
			continue;
		st_expr_check_dep(a, c->d, &s, ST_NAME_SCORE, i);
	}
	for (size_t i = 0; i < f->nitems; i++) {
		st_item *it = &f->items[i];
		if (!it->show_if)
			continue;
		s.what = st_sprintf(a, st_tr_fmt("the show-if of item '%s'"),
		                    it->id ? it->id : "?");
		if (st_expr_check(a, c->d, it->show_if, &s, ST_TYPE_BOOL))
			continue;
		if (mentions(it->show_if->ast, ST_NAME_ITEM, i))
			st_diag(c->d, ST_ERROR, "expr-cycle", whole_expr(it->show_if),
			        "the show-if of item '%s' depends on the item's own "
			        "answer, which cannot be given before it is shown",
			        it->id ? it->id : "?");
	}
	st_show_if_rings_form(a, c->d, f);
	for (size_t i = 0; i < f->nalerts; i++) {
		st_alert *al = &f->alerts[i];
		s.what = st_sprintf(a, st_tr_fmt("the condition of alert '%s'"),
		                    al->id ? al->id : "?");
		st_expr_check(a, c->d, al->when, &s, ST_TYPE_BOOL);
	}

	st_score_check_rules(c->d, f);

	/* An item whose type is not a word (the loader said so) has answers
	 * nobody knows: bands and conditions cannot be judged over them
	 * without false findings. */
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].type == ST_Q_NONE)
			return;
	st_ival_env env;
	st_ival_env_init(&env, a, f, NULL);
	for (size_t i = 0; i < f->nscores; i++) {
		const st_score *sc = &f->scores[i];
		if (!sc->value || !sc->value->ast ||
		    sc->value->type != ST_TYPE_NUMBER || !sc->nbands)
			continue;
		check_bands(c, sc, st_ival_named(&env, i));
	}
	for (size_t i = 0; i < f->nalerts; i++)
		truth_warn(c, &env, f->alerts[i].when, "alert-never",
		           st_sprintf(a, st_tr_fmt("alert '%s'"), f->alerts[i].id
		                      ? f->alerts[i].id : "?"));
	for (size_t i = 0; i < f->nitems; i++)
		truth_warn(c, &env, f->items[i].show_if, "show-if-never",
		           st_sprintf(a, st_tr_fmt("the show-if of item '%s'"),
		                      f->items[i].id ? f->items[i].id : "?"));
}

static void check_exercise(ctx *c, st_exercise *e)
{
	st_arena *a = c->a;
	st_strmap *names = st_strmap_new(a);
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].id)
			st_strmap_put(names, e->fields[i].id,
			              ST_NAMEVAL(ST_NAME_FIELD, i), NULL);
	for (size_t i = 0; i < e->ncomputed; i++)
		if (e->computed[i].id)
			st_strmap_put(names, e->computed[i].id,
			              ST_NAMEVAL(ST_NAME_COMPUTED, i), NULL);
	st_scope s;
	memset(&s, 0, sizeof s);
	s.prog = c->p;
	s.ex = e;
	s.names = names;
	s.forms = c->forms;
	s.form_names = (const st_strmap *const *)c->form_names;
	s.modules = c->modules;
	s.deps = new_deps(a, e->ncomputed);
	for (size_t i = 0; i < e->ncomputed; i++)
		if (e->computed[i].value)
			st_expr_check_dep(a, c->d, &s, ST_NAME_COMPUTED, i);
	st_ival_env env;
	st_ival_env_init(&env, a, NULL, e);
	for (size_t i = 0; i < e->nfields; i++) {
		st_field *fl = &e->fields[i];
		if (!fl->show_if)
			continue;
		s.what = st_sprintf(a, st_tr_fmt("the show-if of field '%s'"),
		                    fl->id ? fl->id : "?");
		if (st_expr_check(a, c->d, fl->show_if, &s, ST_TYPE_BOOL))
			continue;
		if (mentions(fl->show_if->ast, ST_NAME_FIELD, i))
			st_diag(c->d, ST_ERROR, "expr-cycle", whole_expr(fl->show_if),
			        "the show-if of field '%s' depends on the field's own "
			        "answer, which cannot be given before it is shown",
			        fl->id ? fl->id : "?");
		else
			truth_warn(c, &env, fl->show_if, "show-if-never", s.what);
	}
	st_show_if_rings_exercise(a, c->d, e);
}

/* ---- unlock rules ------------------------------------------------------ */
/*
 * Whether a rule can be true is the interval analysis at the program
 * level (interval.h), told which modules can be completed at all:
 * completed(m) and reviewed(m) of a module that can never be completed are
 * false, and days_since(m) of it is missing (every comparison with it
 * false).  Another form's score has that score's range, days_since is
 * never negative.
 */

/* The modules a rule names, in order of writing (duplicates kept). */
static void collect_modules(const st_ast *n, size_t **out, size_t *nout,
                            size_t *cap, st_arena *a)
{
	if (n->kind == ST_AST_CALL && n->nargs == 1 &&
	    n->args[0]->ref == ST_NAME_MODULE)
		ST_PUSH(a, *out, *nout, *cap, n->args[0]->index);
	for (size_t i = 0; i < n->nargs; i++)
		collect_modules(n->args[i], out, nout, cap, a);
}

#define NO_COMP ((size_t)-1)

/* The rings among the unreachable modules: comp[i] numbers module i's
 * strongly connected component of the graph of the unreachable modules
 * and the unreachable modules their rules use (Tarjan's algorithm,
 * iterative so that a long chain cannot exhaust the stack); NO_COMP for
 * a reachable module.  Returns how many components there are. */
static size_t unreachable_rings(st_arena *a, size_t n, const unsigned char *reach,
                                size_t *const *uses, const size_t *nuses, size_t *comp)
{
	size_t *index = st_alloc(a, n * sizeof *index);
	size_t *low = st_alloc(a, n * sizeof *low);
	unsigned char *on = st_alloc(a, n);
	size_t *stack = st_alloc(a, (n + 1) * sizeof *stack);
	size_t *cstack = st_alloc(a, (n + 1) * sizeof *cstack); /* call stack */
	size_t *cedge = st_alloc(a, (n + 1) * sizeof *cedge);
	size_t sp = 0, csp = 0, next = 0, ncomp = 0;
	for (size_t i = 0; i < n; i++)
		index[i] = comp[i] = NO_COMP;

	for (size_t root = 0; root < n; root++) {
		if (reach[root] || index[root] != NO_COMP)
			continue;
		cstack[csp] = root;
		cedge[csp++] = 0;
		index[root] = low[root] = next++;
		stack[sp++] = root;
		on[root] = 1;
		while (csp) {
			size_t v = cstack[csp - 1];
			if (cedge[csp - 1] < nuses[v]) {
				size_t w = uses[v][cedge[csp - 1]++];
				if (reach[w])
					continue;
				if (index[w] == NO_COMP) {
					index[w] = low[w] = next++;
					stack[sp++] = w;
					on[w] = 1;
					cstack[csp] = w;
					cedge[csp++] = 0;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			csp--;
			if (csp) {
				size_t u = cstack[csp - 1];
				if (low[v] < low[u])
					low[u] = low[v];
			}
			if (low[v] == index[v]) {
				size_t w;
				do {
					w = stack[--sp];
					on[w] = 0;
					comp[w] = ncomp;
				} while (w != v);
				ncomp++;
			}
		}
	}
	return ncomp;
}

/* The error for ring k of size members, at its first module i: a module
 * that needs itself, a rule false whatever is completed, or modules that
 * wait for each other (the first five named). */
static void report_ring(ctx *c, size_t i, size_t k, size_t size,
                        const unsigned char *reach, const size_t *comp,
                        size_t *const *uses, const size_t *nuses)
{
	st_program *p = c->p;
	size_t n = p->nmodules;
	st_module *m = &p->modules[i];
	const char *id = m->id ? m->id : "?";
	st_span sp_ = m->unlock ? whole_expr(m->unlock) : m->sp;
	int self = 0;
	for (size_t j = 0; j < nuses[i]; j++)
		if (uses[i][j] == i)
			self = 1;
	if (size == 1 && self) {
		st_diag(c->d, ST_ERROR, "unreachable-module", sp_,
		        "module '%s' can never be unlocked: its unlock rule "
		        "needs the module itself", id);
		return;
	}
	if (size == 1) {
		st_diag(c->d, ST_ERROR, "unreachable-module", sp_,
		        "module '%s' can never be unlocked: its unlock rule "
		        "is false whichever modules are completed", id);
		return;
	}
	st_buf b;
	st_buf_init(&b);
	size_t shown = 0;
	for (size_t j = i; j < n && shown < 5; j++)
		if (!reach[j] && comp[j] == k) {
			st_buf_printf(&b, "%s'%s'", shown ? ", " : "",
			              p->modules[j].id ? p->modules[j].id : "?");
			shown++;
		}
	if (size > shown)
		st_buf_printf(&b, " and %zu more", size - shown);
	int dflt = 0;
	for (size_t j = i; j < n; j++)
		if (!reach[j] && comp[j] == k && !p->modules[j].unlock)
			dflt = 1;
	st_diag(c->d, ST_ERROR, "unreachable-module", sp_,
	        "module '%s' can never be unlocked: modules %s wait "
	        "for each other in their unlock rules%s", id, b.data,
	        dflt ? " (a module without 'unlock' waits for the one "
	               "before it)" : "");
	st_buf_release(&b);
}

/*
 * Report the modules that can never be unlocked, by cause, not by
 * consequence: the unreachable modules and the unreachable modules their
 * rules need form a graph; each ring of it (unreachable_rings) that needs
 * nothing unreachable outside itself is one cause and one error, at its
 * first module.  The rest only wait behind a cause.  Linear in the number
 * of modules and mentions.
 */
static void report_unreachable(ctx *c, const unsigned char *reach,
                               const unsigned char *reported,
                               size_t *const *uses, const size_t *nuses)
{
	st_arena *a = c->a;
	size_t n = c->p->nmodules;
	size_t *comp = st_alloc(a, n * sizeof *comp);
	size_t ncomp = unreachable_rings(a, n, reach, uses, nuses, comp);

	/* A component is a cause unless a member needs an unreachable module
	 * of another component; first[] is its first module in order. */
	unsigned char *blocked = st_alloc(a, ncomp + 1);
	size_t *first = st_alloc(a, (ncomp + 1) * sizeof *first);
	size_t *size = st_alloc(a, (ncomp + 1) * sizeof *size);
	for (size_t k = 0; k < ncomp; k++)
		first[k] = NO_COMP;
	for (size_t i = 0; i < n; i++) {
		if (reach[i])
			continue;
		size_t k = comp[i];
		size[k]++;
		if (first[k] == NO_COMP)
			first[k] = i;
		for (size_t j = 0; j < nuses[i]; j++)
			if (!reach[uses[i][j]] && comp[uses[i][j]] != k)
				blocked[k] = 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (reach[i] || first[comp[i]] != i || blocked[comp[i]] ||
		    reported[i])
			continue;
		report_ring(c, i, comp[i], size[comp[i]], reach, comp, uses, nuses);
	}
}

/*
 * Returns, per module, whether it can be unlocked (and so completed) at
 * all; the messages' check uses it too.  A rule that is never true even
 * if every module could be completed is an unlock-never error at the part
 * of the rule that is never true; the modules it leaves unreachable are
 * not reported again.
 */
static unsigned char *check_reachable(ctx *c)
{
	st_program *p = c->p;
	size_t n = p->nmodules;
	st_arena *a = c->a;
	unsigned char *reach = st_alloc(a, n + 1);
	if (!n)
		return reach;
	unsigned char *reported = st_alloc(a, n);
	st_ival_env env;
	st_ival_env_init_program(&env, a, p, NULL);
	for (size_t i = 0; i < n; i++) {
		st_module *m = &p->modules[i];
		if (!m->unlock || !m->unlock->ast ||
		    m->unlock->type != ST_TYPE_BOOL ||
		    st_ival_truth(&env, m->unlock->ast).can_true)
			continue;
		const st_ast *part = st_ival_never_part(&env, m->unlock->ast);
		st_diag(c->d, ST_ERROR, "unlock-never",
		        st_expr_span(m->unlock, part->off, part->len ? part->len : 1),
		        "module '%s' can never be unlocked: %s",
		        m->id ? m->id : "?", why_never(a, &env, m->unlock, part));
		reported[i] = 1;
	}
	env.reach = reach;
	unsigned char *usable = st_alloc(a, n);  /* rule checked fine */
	size_t **uses = st_alloc(a, n * sizeof *uses);    /* rule mentions */
	size_t *nuses = st_alloc(a, n * sizeof *nuses);
	/* dependents: for each module, the modules whose rule mentions it
	 * (a CSR layout: counts, then offsets) */
	size_t *cnt = st_alloc(a, (n + 1) * sizeof *cnt);
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		st_module *m = &p->modules[i];
		size_t cap = 0;
		if (!m->unlock) {
			usable[i] = 1;
			if (i > 0) {
				uses[i] = st_alloc(a, sizeof **uses);
				uses[i][0] = i - 1;
				nuses[i] = 1;
			}
		} else if (m->unlock->ast && m->unlock->type == ST_TYPE_BOOL) {
			usable[i] = 1;
			collect_modules(m->unlock->ast, &uses[i], &nuses[i], &cap, a);
		}
		for (size_t k = 0; k < nuses[i]; k++)
			cnt[uses[i][k]]++;
		total += nuses[i];
	}
	size_t *off = st_alloc(a, (n + 1) * sizeof *off);
	for (size_t i = 0; i < n; i++)
		off[i + 1] = off[i] + cnt[i];
	size_t *dep = st_alloc(a, (total + 1) * sizeof *dep);
	memset(cnt, 0, (n + 1) * sizeof *cnt);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nuses[i]; k++) {
			size_t u = uses[i][k];
			dep[off[u] + cnt[u]++] = i;
		}

	size_t *queue = st_alloc(a, (n + 1) * sizeof *queue);
	size_t qh = 0, qt = 0;
	/* A module's rule can be true given reach[]? */
#define CAN_UNLOCK(i) (!usable[i] || \
	(!p->modules[i].unlock ? ((i) == 0 || reach[(i) - 1]) \
	 : st_ival_truth(&env, p->modules[i].unlock->ast).can_true))
	for (size_t i = 0; i < n; i++)
		if (CAN_UNLOCK(i)) {
			reach[i] = 1;
			queue[qt++] = i;
		}
	while (qh < qt) {
		size_t x = queue[qh++];
		for (size_t k = off[x]; k < off[x + 1]; k++) {
			size_t y = dep[k];
			if (!reach[y] && CAN_UNLOCK(y)) {
				reach[y] = 1;
				queue[qt++] = y;
			}
		}
	}
#undef CAN_UNLOCK

	report_unreachable(c, reach, reported, uses, nuses);
	return reach;
}

/* ---- self-started programs ------------------------------------------- */
static const st_ast *find_call(const st_ast *n, int fn)
{
	if (!n)
		return NULL;
	if (n->kind == ST_AST_CALL && n->op == fn)
		return n;
	for (size_t i = 0; i < n->nargs; i++) {
		const st_ast *r = find_call(n->args[i], fn);
		if (r)
			return r;
	}
	return NULL;
}

/*
 * In a program with 'start: self' no clinician follows the patient: an
 * alert reaches nobody, and an unlock rule that needs reviewed(...) waits
 * for feedback nobody gives.  Warnings, since the program may be meant to
 * gain a clinician later; reach says which modules can open at all.
 */
static void check_self_started(ctx *c, const unsigned char *reach)
{
	st_program *p = c->p;
	st_arena *a = c->a;
	if (p->start != ST_START_SELF)
		return;
	for (size_t i = 0; i < p->nforms; i++)
		for (size_t k = 0; k < p->forms[i].nalerts; k++) {
			const st_alert *al = &p->forms[i].alerts[k];
			st_diag(c->d, ST_WARNING, "no-clinician", al->sp,
			        "alert '%s' of form '%s' goes to a clinician, but the "
			        "program has 'start: self' and no clinician: nobody "
			        "would see it", al->id ? al->id : "?",
			        p->forms[i].id ? p->forms[i].id : "?");
		}
	st_ival_env env;
	st_ival_env_init_program(&env, a, p, reach);
	env.no_review = 1;
	for (size_t i = 0; i < p->nmodules; i++) {
		const st_module *m = &p->modules[i];
		if (!reach[i] || !m->unlock || !m->unlock->ast ||
		    m->unlock->type != ST_TYPE_BOOL ||
		    st_ival_truth(&env, m->unlock->ast).can_true)
			continue;
		const st_ast *r = find_call(m->unlock->ast, ST_FN_REVIEWED);
		if (!r)
			continue;
		st_diag(c->d, ST_WARNING, "no-clinician",
		        st_expr_span(m->unlock, r->off, r->len),
		        "module '%s' waits for '%s', but the program has 'start: "
		        "self' and no clinician to give feedback: the module would "
		        "never open", m->id ? m->id : "?",
		        src_of(a, m->unlock, r));
	}
}

/* ---- titles and names -------------------------------------------------- */

/* The text rule of core/util.h for one title or name, so that stegc check,
 * stegc build, stegc verify and steg import refuse the same texts. */
static void check_text(ctx *c, st_span sp, const char *what, const char *s)
{
	char why[ST_TEXT_WHY];
	if (s && !st_text_valid(s, ST_TEXT_MAX, why))
		st_diag(c->d, ST_ERROR, "bad-text", sp, "%s %s; a title or name is "
		        "one line of printable text of at most %d bytes", what, why,
		        ST_TEXT_MAX);
}

static void check_texts(ctx *c)
{
	const st_program *p = c->p;
	st_arena *a = c->a;
	check_text(c, p->sp, st_tr("the program's title"), p->title);
	check_text(c, p->sp, st_tr("the producer's name"), p->producer_name);
	for (size_t i = 0; i < p->nmodules; i++) {
		const st_module *m = &p->modules[i];
		check_text(c, m->sp, st_sprintf(a, st_tr_fmt("the title of module '%s'"),
		           m->id ? m->id : "?"), m->title);
	}
	for (size_t i = 0; i < p->nforms; i++) {
		const st_form *f = &p->forms[i];
		const char *id = f->id ? f->id : "?";
		check_text(c, f->sp, st_sprintf(a, st_tr_fmt("the title of form '%s'"), id),
		           f->title);
		check_text(c, f->sp, st_sprintf(a, st_tr_fmt("the name of form '%s'"), id),
		           f->name);
		for (size_t j = 0; j < f->nscores; j++)
			check_text(c, f->scores[j].sp, st_sprintf(a, st_tr_fmt("the title of "
			           "score '%s'"), f->scores[j].id ? f->scores[j].id :
			           "?"), f->scores[j].title);
	}
	for (size_t i = 0; i < p->nexercises; i++) {
		const st_exercise *e = &p->exercises[i];
		check_text(c, e->sp, st_sprintf(a, st_tr_fmt("the title of exercise '%s'"),
		           e->id ? e->id : "?"), e->title);
	}
}

int st_check_program(st_arena *a, st_diags *d, st_program *p)
{
	int before = st_diags_errors(d);
	ctx c;
	memset(&c, 0, sizeof c);
	c.a = a;
	c.d = d;
	c.p = p;
	c.modules = st_strmap_new(a);
	for (size_t i = 0; i < p->nmodules; i++)
		if (p->modules[i].id)
			st_strmap_put(c.modules, p->modules[i].id, i, NULL);
	c.forms = st_strmap_new(a);
	c.form_names = st_alloc(a, (p->nforms + 1) * sizeof *c.form_names);
	for (size_t i = 0; i < p->nforms; i++) {
		if (p->forms[i].id)
			st_strmap_put(c.forms, p->forms[i].id, i, NULL);
		c.form_names[i] = form_names(a, &p->forms[i]);
	}

	check_texts(&c);
	for (size_t i = 0; i < p->nforms; i++)
		check_form(&c, i);
	for (size_t i = 0; i < p->nexercises; i++)
		check_exercise(&c, &p->exercises[i]);

	st_scope s;
	memset(&s, 0, sizeof s);
	s.prog = p;
	s.forms = c.forms;
	s.form_names = (const st_strmap *const *)c.form_names;
	s.modules = c.modules;
	s.program_level = 1;
	for (size_t i = 0; i < p->nmodules; i++) {
		st_module *m = &p->modules[i];
		if (!m->unlock)
			continue;
		s.what = st_sprintf(a, st_tr_fmt("the unlock rule of module '%s'"),
		                    m->id ? m->id : "?");
		st_expr_check(a, d, m->unlock, &s, ST_TYPE_BOOL);
	}
	for (size_t i = 0; i < p->nmessages; i++) {
		st_message *msg = &p->messages[i];
		if (!msg->when)
			continue;
		s.what = st_sprintf(a, st_tr_fmt("the condition of message '%s'"),
		                    msg->id ? msg->id : "?");
		st_expr_check(a, d, msg->when, &s, ST_TYPE_BOOL);
	}
	unsigned char *reach = check_reachable(&c);
	check_self_started(&c, reach);
	/* A message is sent in some state the program can reach: through
	 * other forms' scores (their ranges), days_since (never negative)
	 * and the modules that can be completed at all. */
	st_ival_env env;
	st_ival_env_init_program(&env, a, p, reach);
	for (size_t i = 0; i < p->nmessages; i++)
		truth_warn(&c, &env, p->messages[i].when, "message-never",
		           st_sprintf(a, st_tr_fmt("message '%s'"), p->messages[i].id
		                      ? p->messages[i].id : "?"));

	for (size_t i = 0; i < p->nassessments; i++) {
		st_assessment *as = &p->assessments[i];
		size_t fi;
		if (!as->form || st_strmap_get(c.forms, as->form, &fi) ||
		    st_program_form_unread(p, as->form))
			continue;
		const char *near = st_strmap_closest(c.forms, as->form);
		if (near)
			st_diag(d, ST_ERROR, "unknown-form", as->sp,
			        "assessment of unknown form '%s'; did you mean '%s'?",
			        as->form, near);
		else
			st_diag(d, ST_ERROR, "unknown-form", as->sp,
			        "assessment of unknown form '%s'", as->form);
	}
	return st_diags_errors(d) - before;
}
