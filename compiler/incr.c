/*
 * incr.c — the memoised module loader behind sc_incr_compile (incr.h).
 *
 * sc_compile's module loop calls sc_load_module_cached; without a cache
 * (sc_opts.incr NULL, every command but preview) that is sc_load_module.
 * With one, each module file has an entry: its own arena and st_diags,
 * the st_module as loaded and the inline exercises its loading added to
 * the program.  A generation copies the module struct, takes fresh copies
 * of the expressions (the checker parses and types an expression once and
 * stores the tree in it), appends the inline exercises and replays the
 * findings.  Entries are reference counted: the cache holds one, each
 * generation one per use.
 *
 * What else a module's loading reads — the language, the media files, the
 * modules' file names and ids — is summed up in a context digest after
 * each compile.  An entry remembers the digest of the compile that loaded
 * it; reused under another digest, it is marked stale and the compile runs
 * once more (a rare case: a module's id, the module list or the media
 * changed), so that nothing stale survives.
 */
#include "incr.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "strmap.h"

typedef struct entry {
	atomic_int refs;           /* the cache's one, one per generation use */
	st_arena *a;
	st_diags *d;               /* the findings of loading it */
	st_module mod;             /* as loaded; strings in a */
	st_exercise *ex;           /* inline exercises, in order */
	size_t nex;
	int errors;
	struct stat key;           /* the file when it was read */
	int stale;                 /* told that the file changed */
	char ctx[65];              /* context digest; "" until stamped */
	unsigned long used_in;     /* the last generation that used it */
} entry;

struct sc_gen_priv {
	st_arena *a;
	entry **used;              /* in a */
	size_t nused, cap;
};

struct sc_incr {
	st_arena *a;               /* the paths of the map */
	char *dir;
	sc_opts opts;              /* opts.incr == this cache */
	st_strmap *map;            /* disk path -> slot */
	entry **slot;              /* in a */
	size_t nslot, capslot;
	unsigned long seq;
	sc_gen *cur;               /* the generation being compiled */
};

static void entry_release(entry *e)
{
	if (!e || atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	st_diags_free(e->d);
	st_arena_free(e->a);
	free(e);
}

sc_incr *sc_incr_new(const char *dir, const sc_opts *o)
{
	sc_incr *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->a = st_arena_new();
	c->dir = st_strdup(c->a, dir);
	if (o)
		c->opts = *o;
	else
		sc_opts_init(&c->opts);
	c->opts.incr = c;
	c->map = st_strmap_new(c->a);
	return c;
}

void sc_incr_free(sc_incr *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nslot; i++)
		entry_release(c->slot[i]);
	st_arena_free(c->a);
	free(c);
}

void sc_incr_changed(sc_incr *c, const char *rel)
{
	if (!rel) {
		for (size_t i = 0; i < c->nslot; i++)
			if (c->slot[i])
				c->slot[i]->stale = 1;
		return;
	}
	st_arena *tmp = st_arena_new();
	size_t k;
	if (st_strmap_get(c->map, st_path_join(tmp, c->dir, rel), &k) &&
	    c->slot[k])
		c->slot[k]->stale = 1;
	st_arena_free(tmp);
}

void sc_gen_free(sc_gen *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->priv->nused; i++)
		entry_release(g->priv->used[i]);
	st_diags_free(g->diags);
	st_arena_free(g->priv->a);
	free(g->priv);
	free(g);
}

int sc_gen_report(const sc_gen *g, st_diags *d)
{
	size_t from = st_diags_count(d);
	st_diags_append(d, g->diags);
	for (size_t i = from; i < st_diags_count(d); i++) {
		size_t nn = st_diags_nnotes(d, i);
		for (size_t j = 0; j <= nn; j++) {
			st_span sp = j < nn ? st_diags_note_span(d, i, j)
			                    : st_diags_span(d, i);
			if (sp.file)
				st_diags_copy_source(d, g->diags, sp.file);
		}
	}
	return st_diags_errors(d);
}

static int same_file(const struct stat *x, const struct stat *y)
{
	return x->st_dev == y->st_dev && x->st_ino == y->st_ino &&
	       x->st_size == y->st_size && x->st_mode == y->st_mode &&
	       x->st_mtim.tv_sec == y->st_mtim.tv_sec &&
	       x->st_mtim.tv_nsec == y->st_mtim.tv_nsec &&
	       x->st_ctim.tv_sec == y->st_ctim.tv_sec &&
	       x->st_ctim.tv_nsec == y->st_ctim.tv_nsec;
}

/* A copy of e that the checker has not seen (NULL stays NULL). */
static st_expr *fresh_expr(st_arena *a, const st_expr *e)
{
	if (!e)
		return NULL;
	st_expr *n = st_alloc(a, sizeof *n);
	n->src = e->src;
	n->sp = e->sp;
	n->node = e->node;
	return n;
}

static void push_exercise(st_program *p, st_arena *a, const st_exercise *e)
{
	st_exercise x = *e;
	x.fields = st_alloc(a, (e->nfields + 1) * sizeof *x.fields);
	for (size_t i = 0; i < e->nfields; i++) {
		x.fields[i] = e->fields[i];
		x.fields[i].show_if = fresh_expr(a, e->fields[i].show_if);
	}
	x.computed = st_alloc(a, (e->ncomputed + 1) * sizeof *x.computed);
	for (size_t i = 0; i < e->ncomputed; i++) {
		x.computed[i] = e->computed[i];
		x.computed[i].value = fresh_expr(a, e->computed[i].value);
	}
	/* as markdown.c's push_exercise: the list may be sized exactly */
	if (p->cexercises < p->nexercises)
		p->cexercises = p->nexercises;
	ST_PUSH(a, p->exercises, p->nexercises, p->cexercises, x);
}

/* Load m from its file into a new entry, in the program's real context. */
static entry *load_entry(st_module *m, st_program *p, const char *disk_path,
                         const struct stat *st, int have, const sc_opts *o)
{
	entry *e = calloc(1, sizeof *e);
	if (!e)
		abort();
	atomic_init(&e->refs, 1);
	e->a = st_arena_new();
	e->d = st_diags_new();
	if (have)
		e->key = *st;
	/* Everything the entry keeps must live in its arena: spans point at
	 * m->file, and the id stays the file's when no front matter sets it. */
	m->file = m->file ? st_strdup(e->a, m->file) : NULL;
	m->file_name = m->file_name ? st_strdup(e->a, m->file_name) : NULL;
	m->id = m->id ? st_strdup(e->a, m->id) : NULL;
	st_exercise *ex = p->exercises;
	size_t nex = p->nexercises, cex = p->cexercises;
	p->exercises = NULL;
	p->nexercises = p->cexercises = 0;
	e->errors = sc_load_module(m, p, e->a, e->d, st_strdup(e->a, disk_path), o);
	e->mod = *m;
	/* a link to another module's heading read that file too: its page
	 * may change with that file, so the entry is used once */
	e->stale = m->reads_others;
	e->ex = p->exercises;
	e->nex = p->nexercises;
	p->exercises = ex;
	p->nexercises = nex;
	p->cexercises = cex;
	return e;
}

int sc_load_module_cached(st_module *m, st_program *p, st_arena *a,
                          st_diags *d, const char *disk_path, const sc_opts *o)
{
	sc_incr *c = o ? o->incr : NULL;
	if (!c || !c->cur)
		return sc_load_module(m, p, a, d, disk_path, o);
	struct stat st;
	int have = stat(disk_path, &st) == 0;
	size_t k;
	entry *e = NULL;
	if (st_strmap_get(c->map, disk_path, &k))
		e = c->slot[k];
	else {
		k = c->nslot;
		ST_PUSH(c->a, c->slot, c->nslot, c->capslot, NULL);
		st_strmap_put(c->map, st_strdup(c->a, disk_path), k, NULL);
	}
	if (!e || e->stale || !have || !same_file(&e->key, &st)) {
		entry_release(e);
		e = c->slot[k] = load_entry(m, p, disk_path, &st, have, o);
		c->cur->loaded++;
	} else {
		c->cur->reused++;
	}
	e->used_in = c->cur->seq;
	atomic_fetch_add(&e->refs, 1);
	struct sc_gen_priv *g = c->cur->priv;
	ST_PUSH(g->a, g->used, g->nused, g->cap, e);

	*m = e->mod;
	m->unlock = fresh_expr(a, e->mod.unlock);
	for (size_t i = 0; i < e->nex; i++)
		push_exercise(p, a, &e->ex[i]);
	st_diags_append(d, e->d);
	return e->errors;
}

/* What a module's loading reads besides its own file. */
static void context_digest(const st_program *p, char hex[65])
{
	st_buf b;
	st_buf_init(&b);
	st_buf_adds(&b, p->language ? p->language : "");
	st_buf_addc(&b, '\n');
	for (size_t i = 0; i < p->nmedia; i++)
		st_buf_printf(&b, "m %d %s\n", (int)p->media[i].kind,
		              p->media[i].path ? p->media[i].path : "");
	for (size_t i = 0; i < p->nmodules; i++)
		st_buf_printf(&b, "M %s %s\n",
		              p->modules[i].file_name ? p->modules[i].file_name : "",
		              p->modules[i].id ? p->modules[i].id : "");
	st_sha256_hex(b.data ? b.data : "", b.len, hex);
	st_buf_release(&b);
}

static sc_gen *gen_new(sc_incr *c)
{
	sc_gen *g = calloc(1, sizeof *g);
	struct sc_gen_priv *pv = calloc(1, sizeof *pv);
	if (!g || !pv)
		abort();
	pv->a = st_arena_new();
	g->priv = pv;
	g->diags = st_diags_new();
	g->seq = ++c->seq;
	return g;
}

/* The text of every module file a finding or note points into, so that
 * the findings render with their source lines as a clean compile's do
 * (copying all of them would cost more than the rest of a recompile). */
static void add_sources(sc_incr *c, sc_gen *g)
{
	st_diags *d = g->diags;
	size_t n = st_diags_count(d);
	for (size_t i = 0; i < n; i++) {
		size_t nn = st_diags_nnotes(d, i);
		for (size_t j = 0; j <= nn; j++) {
			st_span sp = j < nn ? st_diags_note_span(d, i, j)
			                    : st_diags_span(d, i);
			size_t k;
			if (sp.file && st_strmap_get(c->map, sp.file, &k) &&
			    c->slot[k] && c->slot[k]->used_in == g->seq)
				st_diags_copy_source(d, c->slot[k]->d, sp.file);
		}
	}
}

/* One compile; 1 when an entry it reused was loaded in another context. */
static int compile_once(sc_incr *c, sc_gen *g)
{
	c->cur = g;
	g->errors = sc_compile(&g->program, g->priv->a, g->diags, c->dir,
	                       &c->opts);
	c->cur = NULL;
	add_sources(c, g);
	if (!g->program)
		return 0;
	char hex[65];
	context_digest(g->program, hex);
	int bad = 0;
	for (size_t i = 0; i < g->priv->nused; i++) {
		entry *e = g->priv->used[i];
		if (!e->ctx[0])
			memcpy(e->ctx, hex, sizeof hex);
		else if (strcmp(e->ctx, hex)) {
			e->stale = 1;
			bad = 1;
		}
	}
	return bad;
}

sc_gen *sc_incr_compile(sc_incr *c)
{
	sc_gen *g = NULL;
	for (int pass = 0; pass < 3; pass++) {
		g = gen_new(c);
		if (!compile_once(c, g))
			break;
		sc_gen_free(g);
		g = NULL;
	}
	if (!g) {
		/* The folder keeps changing under us: compile it all. */
		for (size_t i = 0; i < c->nslot; i++)
			if (c->slot[i])
				c->slot[i]->stale = 1;
		g = gen_new(c);
		compile_once(c, g);
	}
	/* Forget the modules this version does not have. */
	for (size_t i = 0; i < c->nslot; i++)
		if (c->slot[i] && c->slot[i]->used_in != g->seq) {
			entry_release(c->slot[i]);
			c->slot[i] = NULL;
		}
	return g;
}
