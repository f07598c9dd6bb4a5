/*
 * modules.c — a program's modules loaded on all the machine's cores
 * (sc_load_modules, compile.h).
 *
 * Loading a module (reading it, the encoding check, cmark, LIX and the
 * XHTML of its pages) is most of the work of `stegc check` and much of
 * `stegc build`, and one module's loading needs nothing of another's but
 * its id, which a link to it shows (read from its front matter then, as
 * for a module later in the list; sc_opts.parallel).  So workers take the
 * modules in turn, each with an arena and, per module, a findings list
 * and an exercise list of its own; when all are done, the findings and
 * the inline exercises join the program's in module order and the
 * workers' arenas join the caller's.  The output is the one loading in
 * order gives: the same pages, the same findings, the same bytes.
 *
 * For `stegc build` (sc_opts.hash_pages) the worker also makes the CRC-32
 * and SHA-256 of each page of the module it loaded (st_page.sums), which
 * the manifest needs before anything else of the bundle; the pages are
 * deflated by the bundle writer's threads (core/bundle_write.c), beside
 * the serial work of program.xml and manifest.xml.
 *
 * Environment: STEG_JOBS=N sets the number of workers (1: one by one, on
 * this thread); by default, one per online core, at most eight
 * (sc_jobs, which the bundle writer's threads follow too).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "deflate.h"
#include "strmap.h"

enum { MAX_WORKERS = 8, MIN_MODULES = 4 };

typedef struct job {
	st_module *m;
	st_diags *d;              /* its findings */
	st_exercise *ex;          /* its inline exercises, in the worker's arena */
	size_t nex;
} job;

/* name and id live in the workers' arenas, which the caller's adopts:
 * as long as the program. */
struct sc_idmemo {
	pthread_mutex_t mu;
	st_arena *a;              /* the map's own */
	st_strmap *map;           /* name -> index into ids */
	const char **ids;         /* malloc'd */
	size_t n, cap;
};

int sc_idmemo_get(sc_idmemo *m, const char *name, const char **id)
{
	size_t k;
	pthread_mutex_lock(&m->mu);
	int found = st_strmap_get(m->map, name, &k) == 1;
	if (found)
		*id = m->ids[k];
	pthread_mutex_unlock(&m->mu);
	return found;
}

void sc_idmemo_put(sc_idmemo *m, const char *name, const char *id)
{
	pthread_mutex_lock(&m->mu);
	size_t k;
	if (st_strmap_get(m->map, name, &k) != 1) {
		if (m->n == m->cap) {
			size_t nc = m->cap ? m->cap * 2 : 64;
			const char **ni = realloc(m->ids, nc * sizeof *ni);
			if (!ni)
				goto out;          /* not kept: read again next time */
			m->ids = ni;
			m->cap = nc;
		}
		m->ids[m->n] = id;
		st_strmap_put(m->map, name, m->n, NULL);
		m->n++;
	}
out:
	pthread_mutex_unlock(&m->mu);
}

typedef struct shared {
	st_program *p;
	job *jobs;
	size_t n;
	atomic_size_t next;
	const sc_opts *o;         /* with parallel set */
	sc_admit_fn admit;        /* NULL: every module is loaded */
	void *admit_ctx;
} shared;

typedef struct worker {
	shared *s;
	st_arena *a;
	pthread_t t;
} worker;

/* The CRC-32 and SHA-256 of each page of m (st_page.sums), when o asks
 * for them. */
static void hash_module(st_module *m, const sc_opts *o)
{
	if (!o || !o->hash_pages)
		return;
	for (size_t i = 0; i < m->npages; i++) {
		st_page *pg = &m->pages[i];
		const char *x = pg->xhtml ? pg->xhtml : "";
		pg->sums.crc = st_crc32(0, x, pg->xhtml_len);
		st_sha256_hex(x, pg->xhtml_len, pg->sums.sha256);
		pg->sums.set = 1;
	}
}

static void *work(void *arg)
{
	worker *w = arg;
	shared *s = w->s;
	/* the program as this worker sees it: its exercise list is its own */
	st_program p = *s->p;
	for (;;) {
		size_t i = atomic_fetch_add(&s->next, 1);
		if (i >= s->n)
			break;
		job *j = &s->jobs[i];
		j->ex = NULL;
		j->nex = 0;
		if (s->admit && s->admit(s->admit_ctx, j->m, j->d))
			continue;
		p.exercises = NULL;
		p.nexercises = p.cexercises = 0;
		sc_load_module(j->m, &p, w->a, j->d, j->m->file, s->o);
		hash_module(j->m, s->o);
		j->ex = p.exercises;
		j->nex = p.nexercises;
	}
	return NULL;
}

size_t sc_jobs(void)
{
	const char *env = getenv("STEG_JOBS");
	long k = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	if (k < 1)
		k = 1;
	if (k > MAX_WORKERS)
		k = MAX_WORKERS;
	return (size_t)k;
}

static size_t workers_wanted(size_t n)
{
	size_t k = sc_jobs();
	return n < MIN_MODULES ? 1 : k < n ? k : n;
}

void sc_load_modules(st_program *p, st_module **todo, size_t n, st_arena *a,
                     st_diags *d, const sc_opts *o, sc_admit_fn admit,
                     void *admit_ctx)
{
	size_t nw = o && o->incr ? 1 : workers_wanted(n);
	if (nw <= 1) {
		for (size_t i = 0; i < n; i++) {
			if (admit && admit(admit_ctx, todo[i], d))
				continue;
			sc_load_module_cached(todo[i], p, a, d, todo[i]->file, o);
			hash_module(todo[i], o);
		}
		return;
	}
	sc_opts po;
	if (o)
		po = *o;
	else
		sc_opts_init(&po);
	po.parallel = 1;
	sc_idmemo memo = { .a = st_arena_new() };
	pthread_mutex_init(&memo.mu, NULL);
	memo.map = st_strmap_new(memo.a);
	po.ids = &memo;
	shared s = { .p = p, .n = n, .o = &po, .admit = admit,
	             .admit_ctx = admit_ctx };
	atomic_init(&s.next, 0);
	s.jobs = st_alloc(a, n * sizeof *s.jobs);
	for (size_t i = 0; i < n; i++) {
		s.jobs[i].m = todo[i];
		s.jobs[i].d = st_diags_new();
	}
	worker w[MAX_WORKERS];
	size_t started = 0;
	for (size_t k = 0; k < nw; k++) {
		w[k].s = &s;
		w[k].a = st_arena_new();
		/* a worker that cannot start leaves its share to the others,
		 * and to this thread below */
		if (k > 0 && pthread_create(&w[k].t, NULL, work, &w[k]) != 0) {
			st_arena_free(w[k].a);
			break;
		}
		started++;
	}
	work(&w[0]);
	for (size_t k = 1; k < started; k++)
		pthread_join(w[k].t, NULL);
	for (size_t k = 0; k < started; k++)
		st_arena_adopt(a, w[k].a);
	pthread_mutex_destroy(&memo.mu);
	free(memo.ids);
	st_arena_free(memo.a);
	for (size_t i = 0; i < n; i++) {
		job *j = &s.jobs[i];
		st_diags_append(d, j->d);
		/* later checks (links, unlock rules) point into modules too */
		st_diags_move_source(d, j->d, j->m->file);
		st_diags_free(j->d);
		/* as push_exercise (markdown.c) appends them: the list of
		 * exercises/ is sized exactly, so the first push grows it */
		if (j->nex && p->cexercises < p->nexercises)
			p->cexercises = p->nexercises;
		for (size_t e = 0; e < j->nex; e++)
			ST_PUSH(a, p->exercises, p->nexercises, p->cexercises,
			        j->ex[e]);
	}
}
