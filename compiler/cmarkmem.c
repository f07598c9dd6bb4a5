/*
 * cmarkmem.c — cmark's trees carved from chunks freed together (see
 * cmarkmem.h for why, and for the rules of use).
 *
 * A block carries its size in a header before it, since cmark's realloc
 * does not pass the old size.  cmark grows its buffers (a literal, the
 * parser's line) by realloc: the last block handed out grows in place
 * while its chunk has room, any other is copied, and the old copy stays
 * until the end (at most as much again as the final size, since cmark
 * doubles).  With STEG_ARENA_DEBUG set, as for core's arena, every block
 * is a chunk of its own, so that the sanitizers and valgrind see every
 * overrun.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmarkmem.h"

#define CHUNK_SIZE ((size_t)64 << 10)
#define ALIGN _Alignof(max_align_t)
#define HEAD ALIGN                       /* a block's size, before it */

struct sc_cmark_chunk {
	struct sc_cmark_chunk *next;
	size_t cap, used;
	_Alignas(max_align_t) char data[];
};

static _Thread_local sc_cmark_arena *cur;
static _Thread_local int debug;

static void oom(void)
{
	fputs("stegc: fatal: out of memory\n", stderr);
	abort();
}

static size_t round_up(size_t n)
{
	if (n > (size_t)-1 / 2)
		oom();
	return (n + ALIGN - 1) & ~(ALIGN - 1);
}

static size_t block_size(const char *p)
{
	size_t n;
	memcpy(&n, p - HEAD, sizeof n);
	return n;
}

/* A chunk of cap bytes, put first unless it is a block's own (behind the
 * first, which keeps its room). */
static struct sc_cmark_chunk *new_chunk(sc_cmark_arena *ar, size_t cap,
                                        int own)
{
	struct sc_cmark_chunk *c = malloc(sizeof *c + cap);
	if (!c)
		oom();
	c->cap = cap;
	c->used = 0;
	if (own && ar->chunks) {
		c->next = ar->chunks->next;
		ar->chunks->next = c;
	} else {
		c->next = ar->chunks;
		ar->chunks = c;
	}
	return c;
}

/* n bytes (not zeroed), aligned, with their size before them. */
static char *take(size_t n)
{
	sc_cmark_arena *ar = cur;
	if (!ar)
		abort();   /* a tree of the arena used outside begin/end */
	size_t need = HEAD + round_up(n ? n : 1);
	struct sc_cmark_chunk *c = ar->chunks;
	if (debug || need > CHUNK_SIZE / 4) {
		c = new_chunk(ar, need, 1);
	} else if (!c || c->cap - c->used < need) {
		c = new_chunk(ar, CHUNK_SIZE, 0);
	}
	char *p = c->data + c->used + HEAD;
	c->used += need;
	memcpy(p - HEAD, &n, sizeof n);
	ar->last = p;
	return p;
}

static void *arena_calloc(size_t k, size_t n)
{
	if (n && k > (size_t)-1 / n)
		oom();
	char *p = take(k * n);
	memset(p, 0, k * n);
	return p;
}

static void *arena_realloc(void *old, size_t n)
{
	if (!old)
		return take(n);
	char *o = old;
	size_t on = block_size(o);
	sc_cmark_arena *ar = cur;
	struct sc_cmark_chunk *c = ar ? ar->chunks : NULL;
	/* the newest block of the newest chunk grows where it is */
	if (!debug && c && o == ar->last && o + round_up(on) ==
	    c->data + c->used && round_up(n) - round_up(on) <=
	    c->cap - c->used && n >= on) {
		c->used += round_up(n) - round_up(on);
		memcpy(o - HEAD, &n, sizeof n);
		return o;
	}
	if (n <= on) {
		memcpy(o - HEAD, &n, sizeof n);
		return o;
	}
	char *p = take(n);
	memcpy(p, o, on);
	return p;
}

static void arena_free(void *p)
{
	(void)p;   /* freed with the arena */
}

static cmark_mem arena_mem = { arena_calloc, arena_realloc, arena_free };

void sc_cmark_arena_begin(sc_cmark_arena *ar)
{
	ar->chunks = NULL;
	ar->last = NULL;
	ar->prev = cur;
	if (!cur) {
		const char *dbg = getenv("STEG_ARENA_DEBUG");
		debug = dbg && *dbg && strcmp(dbg, "0");
	}
	cur = ar;
}

void sc_cmark_arena_end(sc_cmark_arena *ar)
{
	for (struct sc_cmark_chunk *c = ar->chunks, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	ar->chunks = NULL;
	ar->last = NULL;
	cur = ar->prev;
}

cmark_node *sc_cmark_parse(const char *text, size_t len, int options)
{
	cmark_parser *ps = cmark_parser_new_with_mem(options, &arena_mem);
	cmark_parser_feed(ps, text, len);
	cmark_node *doc = cmark_parser_finish(ps);
	cmark_parser_free(ps);
	return doc;
}
