/*
 * showif.c — show-if rings, direct and through derived values (showif.h).
 *
 * The form (exercise) becomes a graph: a node per item (field), an edge
 * from each node to every answer its show-if waits on, carrying the
 * derived value (score, computed field) it was named through, or none.
 * A derived value's answers are found once (memo), walking its value and
 * the derived values it names; a ring among derived values themselves is
 * reported by the expression checker, and is cut here.  A depth-first
 * walk then finds the rings.
 */
#include "showif.h"

#include <string.h>

#include "expr.h"

#define NO_VIA ((size_t)-1)

typedef struct edge {
	size_t to, via;         /* answer waited on; derived value or NO_VIA */
} edge;

typedef struct graph {
	st_arena *a;
	st_diags *d;
	int answer, derived;    /* name kinds: ST_NAME_ITEM, ST_NAME_SCORE */
	size_t n, nd;           /* answers, derived values */
	const char *const *names;       /* per answer */
	const st_expr *const *show_if;  /* per answer */
	const char *const *dnames;      /* per derived value */
	const st_expr *const *dvalue;   /* per derived value */
	const char *what, *dwhat;       /* "item", "score" */
	/* memo per derived value: state 0 new, 1 being walked, 2 done */
	unsigned char *dstate;
	size_t **dans, *ndans, *dcap;
	edge **out;
	size_t *nout;
} graph;

static void push_answer(graph *g, size_t k, size_t j)
{
	for (size_t i = 0; i < g->ndans[k]; i++)
		if (g->dans[k][i] == j)
			return;
	ST_PUSH(g->a, g->dans[k], g->ndans[k], g->dcap[k], j);
}

static void derived_answers(graph *g, size_t k);

/* The answers n names into derived value k's list, deep. */
static void collect_derived(graph *g, size_t k, const st_ast *n)
{
	if (!n)
		return;
	if ((n->kind == ST_AST_NAME || n->kind == ST_AST_RANGE) &&
	    n->ref == g->answer) {
		size_t last = n->kind == ST_AST_RANGE ? n->index_end : n->index;
		for (size_t j = n->index; j <= last && j < g->n; j++)
			push_answer(g, k, j);
	} else if (n->kind == ST_AST_NAME && n->ref == g->derived &&
	           n->index < g->nd) {
		derived_answers(g, n->index);
		for (size_t i = 0; i < g->ndans[n->index]; i++)
			push_answer(g, k, g->dans[n->index][i]);
	}
	for (size_t i = 0; i < n->nargs; i++)
		collect_derived(g, k, n->args[i]);
}

static void derived_answers(graph *g, size_t k)
{
	if (g->dstate[k])
		return;       /* done, or a ring of derived values: cut */
	g->dstate[k] = 1;
	const st_expr *v = g->dvalue[k];
	if (v && v->ast)
		collect_derived(g, k, v->ast);
	g->dstate[k] = 2;
}

static void add_edge(graph *g, size_t i, size_t to, size_t via)
{
	for (size_t k = 0; k < g->nout[i]; k++)
		if (g->out[i][k].to == to)
			return;   /* the first way it was named is kept */
	size_t cap = g->nout[i];
	g->out[i] = st_grow(g->a, g->out[i], g->nout[i], cap + 1, sizeof **g->out);
	g->out[i][g->nout[i]++] = (edge){ to, via };
}

/* The edges of node i from its show-if's tree n: names of answers first,
 * so that a direct edge wins over one through a derived value. */
static void collect_edges(graph *g, size_t i, const st_ast *n, int pass)
{
	if (!n)
		return;
	if (pass == 0 && (n->kind == ST_AST_NAME || n->kind == ST_AST_RANGE) &&
	    n->ref == g->answer) {
		size_t last = n->kind == ST_AST_RANGE ? n->index_end : n->index;
		for (size_t j = n->index; j <= last && j < g->n; j++)
			add_edge(g, i, j, NO_VIA);
	} else if (pass == 1 && n->kind == ST_AST_NAME && n->ref == g->derived &&
	           n->index < g->nd) {
		derived_answers(g, n->index);
		for (size_t k = 0; k < g->ndans[n->index]; k++)
			add_edge(g, i, g->dans[n->index][k], n->index);
	}
	for (size_t k = 0; k < n->nargs; k++)
		collect_edges(g, i, n->args[k], pass);
}

static st_span whole(const st_expr *e)
{
	size_t n = e->src ? strlen(e->src) : 0;
	return st_expr_span(e, 0, n ? n : 1);
}

typedef struct walk {
	graph *g;
	unsigned char *state;   /* 0 new, 1 on the path, 2 done */
	unsigned char *told;    /* in a ring already reported */
	size_t *path, *via;     /* the path, and the via of each step out */
	size_t npath;
} walk;

/* The ring path[from..] -> j as "a -> total -> b -> a", reported at j. */
static void report_ring(walk *w, size_t from, size_t j)
{
	graph *g = w->g;
	st_buf b;
	st_buf_init(&b);
	for (size_t p = from; p < w->npath; p++) {
		w->told[w->path[p]] = 1;
		st_buf_printf(&b, "%s -> ", g->names[w->path[p]]);
		if (w->via[p] != NO_VIA)
			st_buf_printf(&b, "%s -> ", g->dnames[w->via[p]]);
	}
	st_buf_adds(&b, g->names[j]);
	st_diag(g->d, ST_ERROR, "expr-cycle", whole(g->show_if[j]),
	        "the show-if conditions of these %ss wait on each other's "
	        "answers, so none of them can be shown first: %s", g->what,
	        b.data);
	st_buf_release(&b);
}

static void visit(walk *w, size_t i)
{
	graph *g = w->g;
	w->state[i] = 1;
	w->path[w->npath++] = i;
	for (size_t k = 0; k < g->nout[i]; k++) {
		size_t j = g->out[i][k].to;
		w->via[w->npath - 1] = g->out[i][k].via;
		if (j == i)
			continue;     /* its own answer: reported apart */
		if (w->state[j] == 0) {
			visit(w, j);
		} else if (w->state[j] == 1) {
			size_t from = w->npath;
			while (from > 0 && w->path[from - 1] != j)
				from--;
			from--;
			int told = 0;
			for (size_t p = from; p < w->npath; p++)
				told |= w->told[w->path[p]];
			if (!told)
				report_ring(w, from, j);
		}
	}
	w->npath--;
	w->state[i] = 2;
}

/* An answer that waits on itself through a derived value. */
static void report_self(graph *g, size_t i)
{
	for (size_t k = 0; k < g->nout[i]; k++) {
		const edge *e = &g->out[i][k];
		if (e->to != i || e->via == NO_VIA)
			continue;
		st_diag(g->d, ST_ERROR, "expr-cycle", whole(g->show_if[i]),
		        "the show-if of %s '%s' depends on the %s's own answer "
		        "through %s '%s', which uses it: the answer cannot be "
		        "given before the %s is shown", g->what, g->names[i],
		        g->what, g->dwhat, g->dnames[e->via], g->what);
	}
}

static void run(graph *g)
{
	st_arena *a = g->a;
	g->dstate = st_alloc(a, g->nd + 1);
	g->dans = st_alloc(a, (g->nd + 1) * sizeof *g->dans);
	g->ndans = st_alloc(a, (g->nd + 1) * sizeof *g->ndans);
	g->dcap = st_alloc(a, (g->nd + 1) * sizeof *g->dcap);
	g->out = st_alloc(a, (g->n + 1) * sizeof *g->out);
	g->nout = st_alloc(a, (g->n + 1) * sizeof *g->nout);
	for (size_t i = 0; i < g->n; i++) {
		const st_expr *e = g->show_if[i];
		if (!e || !e->ast || e->type != ST_TYPE_BOOL || !g->names[i])
			continue;
		collect_edges(g, i, e->ast, 0);
		collect_edges(g, i, e->ast, 1);
		report_self(g, i);
	}
	walk w = { .g = g };
	w.state = st_alloc(a, g->n + 1);
	w.told = st_alloc(a, g->n + 1);
	w.path = st_alloc(a, (g->n + 1) * sizeof *w.path);
	w.via = st_alloc(a, (g->n + 1) * sizeof *w.via);
	for (size_t i = 0; i < g->n; i++)
		if (!w.state[i])
			visit(&w, i);
}

/* A name for a message ("?" when it has none: the loader said so). */
static const char *name_or(const char *s)
{
	return s ? s : "?";
}

void st_show_if_rings_form(st_arena *a, st_diags *d, const st_form *f)
{
	graph g = { .a = a, .d = d, .answer = ST_NAME_ITEM,
	            .derived = ST_NAME_SCORE, .n = f->nitems, .nd = f->nscores,
	            .what = "item", .dwhat = "score" };
	const char **names = st_alloc(a, (g.n + 1) * sizeof *names);
	const st_expr **show = st_alloc(a, (g.n + 1) * sizeof *show);
	const char **dnames = st_alloc(a, (g.nd + 1) * sizeof *dnames);
	const st_expr **dvalue = st_alloc(a, (g.nd + 1) * sizeof *dvalue);
	for (size_t i = 0; i < g.n; i++) {
		names[i] = f->items[i].id;
		show[i] = f->items[i].show_if;
	}
	for (size_t k = 0; k < g.nd; k++) {
		dnames[k] = name_or(f->scores[k].id);
		dvalue[k] = f->scores[k].value;
	}
	g.names = names;
	g.show_if = show;
	g.dnames = dnames;
	g.dvalue = dvalue;
	run(&g);
}

void st_show_if_rings_exercise(st_arena *a, st_diags *d, const st_exercise *e)
{
	graph g = { .a = a, .d = d, .answer = ST_NAME_FIELD,
	            .derived = ST_NAME_COMPUTED, .n = e->nfields,
	            .nd = e->ncomputed, .what = "field",
	            .dwhat = "computed field" };
	const char **names = st_alloc(a, (g.n + 1) * sizeof *names);
	const st_expr **show = st_alloc(a, (g.n + 1) * sizeof *show);
	const char **dnames = st_alloc(a, (g.nd + 1) * sizeof *dnames);
	const st_expr **dvalue = st_alloc(a, (g.nd + 1) * sizeof *dvalue);
	for (size_t i = 0; i < g.n; i++) {
		names[i] = e->fields[i].id;
		show[i] = e->fields[i].show_if;
	}
	for (size_t k = 0; k < g.nd; k++) {
		dnames[k] = name_or(e->computed[k].id);
		dvalue[k] = e->computed[k].value;
	}
	g.names = names;
	g.show_if = show;
	g.dnames = dnames;
	g.dvalue = dvalue;
	run(&g);
}
