/*
 * incr.h — compiling a program folder again after an edit, reusing every
 * module whose file has not changed (stegc preview's live reload).
 *
 * sc_incr_compile runs the very pipeline of sc_compile (compile.h):
 * program.yaml, media, forms, exercises and the folders' listings are read
 * again (they are small); only the module loader, where the time goes
 * (Markdown, XHTML, LIX), is memoised.  A module is loaded again when its
 * file changed (sc_incr_changed was told, or its size, times, inode or
 * device differ) or when what its loading depends on changed: the
 * program's language, the media files, or the modules' file names and
 * ids (a link between modules is written with the target's id).  A reused
 * module's findings and source text are added again in their place and
 * its expressions are fresh copies, so that the program-wide checks
 * (sc_check_refs, st_check_program), which run over the whole program
 * each time, report exactly what a clean compile reports — findings,
 * order, spans and messages (tests/t0855-preview-incr.sh compares them
 * after an edit of each kind of file).
 *
 * Ownership: an sc_incr is the caller's (sc_incr_free).  Each sc_gen is
 * the caller's too (sc_gen_free) and holds the cached modules it uses, so
 * it may outlive the cache and be freed on any thread.  One thread at a
 * time compiles with a given sc_incr.
 */
#ifndef SC_INCR_H
#define SC_INCR_H

#include "compile.h"

typedef struct sc_incr sc_incr;
struct sc_gen_priv;

/* One compiled version of the program. */
typedef struct sc_gen {
	st_program *program;   /* NULL when program.yaml could not be read */
	st_diags *diags;       /* every finding, in a clean compile's order */
	int errors;            /* how many of them are errors */
	unsigned long seq;     /* 1, 2, ... per sc_incr */
	size_t loaded;         /* modules loaded from their files ... */
	size_t reused;         /* ... and taken from the cache */
	struct sc_gen_priv *priv;
} sc_gen;

/* dir is copied; o may be NULL (defaults). */
sc_incr *sc_incr_new(const char *dir, const sc_opts *o);
void sc_incr_free(sc_incr *c);

/* A file of the program changed, appeared or went away: rel is its path
 * inside the program folder ("modules/03-x.md").  NULL: maybe every file
 * (the watcher lost events). */
void sc_incr_changed(sc_incr *c, const char *rel);

/* Compile the folder now.  Never NULL. */
sc_gen *sc_incr_compile(sc_incr *c);
void sc_gen_free(sc_gen *g);

/* Add g's findings to d, whose settings apply (-Werror, -Wno-CODE), with
 * the source texts they point into.  Returns the number of errors in d. */
int sc_gen_report(const sc_gen *g, st_diags *d);

#endif
