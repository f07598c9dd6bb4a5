/*
 * cmarkmem.h — one arena for the cmark trees of a module.
 *
 * cmark allocates every node, every literal and every growing buffer of
 * its parser with its own malloc, and frees them one by one: at 1,000
 * modules that was a tenth of `stegc check`'s CPU (malloc, free,
 * cmark_node_free's walk, page faults of fresh memory).  A module's trees
 * live exactly as long as sc_load_module, so they are carved from chunks
 * that are freed together when the module is done.
 *
 * cmark's allocator callbacks take no context, so the arena in use is
 * per thread: sc_cmark_arena_begin makes it the calling thread's,
 * sc_cmark_arena_end frees every chunk and makes the previous one current
 * again.  Between them, on that thread only, sc_cmark_parse returns trees
 * owned by the arena: never pass them to cmark_node_free's caller after
 * the end, and do not use them on another thread.  cmark_node_free on a
 * node of such a tree is allowed (it frees nothing).  A tree parsed with
 * cmark_parse_document is not affected.
 */
#ifndef SC_CMARKMEM_H
#define SC_CMARKMEM_H

#include <cmark.h>
#include <stddef.h>

struct sc_cmark_chunk;

typedef struct sc_cmark_arena {
	struct sc_cmark_chunk *chunks;   /* newest first; owned */
	char *last;                      /* the last block handed out, which
	                                    may grow in place */
	struct sc_cmark_arena *prev;     /* the thread's arena before this */
} sc_cmark_arena;

/* Make a (zeroed or uninitialised) arena the calling thread's. */
void sc_cmark_arena_begin(sc_cmark_arena *ar);
/* Free everything it holds; the thread's previous arena is current again. */
void sc_cmark_arena_end(sc_cmark_arena *ar);

/* cmark_parse_document with the calling thread's arena (between begin and
 * end).  Never NULL: cmark aborts when memory runs out. */
cmark_node *sc_cmark_parse(const char *text, size_t len, int options);

#endif
