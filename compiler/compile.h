/*
 * compile.h — the compiler's pipeline, from a program folder to a checked
 * st_program ready for the bundle writer.
 *
 *   sc_load_program   program.yaml, forms/, exercises/, media/   (load.c)
 *   sc_load_form      one forms/ID.yaml                            (forms_load.c)
 *   sc_load_exercise  one exercise mapping (file or inline block)  (forms_load.c)
 *   sc_load_module    one modules/NN-name.md, rendered to pages    (markdown.c)
 *   sc_check_refs     ids, links, media, assessments               (refs.c)
 *   st_check_program  expressions, forms, bands, unlock            (core/check.h)
 *   sc_check_loaded   the two above, in that order                 (load.c)
 *
 * Each phase adds findings to the st_diags and returns the number of errors
 * it added (0 = fine).  Later phases run even after errors where they can
 * (a designer wants every error at once), but the bundle is written only
 * when there are none.
 */
#ifndef SC_COMPILE_H
#define SC_COMPILE_H

#include "diag.h"
#include "model.h"
#include "util.h"
#include "yamlload.h"

#define SC_MAX_MODULE_BYTES (128u << 10)   /* cmark 0.30.2 is quadratic */
#define SC_MAX_YAML_BYTES   (1u << 20)

struct sc_incr;

#define SC_LIX_MAX_DEFAULT 50   /* --lix-max when not given */

typedef struct sc_opts {
	double lix_max;      /* warn when a module's LIX is above;
	                        default SC_LIX_MAX_DEFAULT */
	struct sc_incr *incr; /* modules memoised across compiles (incr.h);
	                        NULL: none */
	int parallel;        /* set by sc_load_modules while modules load on
	                        several threads: a module then never reads
	                        another's st_module (its id is read from its
	                        file) */
	struct sc_idmemo *ids; /* while modules load in parallel: the ids
	                        read ahead from other modules' files, shared
	                        by the workers (each file read once) */
	int hash_pages;      /* stegc build: each page's CRC-32 and SHA-256
	                        made by the worker that loaded its module
	                        (st_page.sums); 0: not (check, preview) */
	int no_pages;        /* stegc check: the pages are not written
	                        (st_page.xhtml NULL, xhtml_len 0); every
	                        finding is the same, since none depends on
	                        the XHTML (markdown.c) */
} sc_opts;

void sc_opts_init(sc_opts *o);

/* The whole pipeline.  *out is set even when there are errors (as far as
 * loading got), NULL only when program.yaml could not be read at all.
 * Returns the number of errors. */
int sc_compile(st_program **out, st_arena *a, st_diags *d, const char *dir,
               const sc_opts *o);

/* What sc_compile checks once the program is loaded: references
 * (sc_check_refs), then expressions, forms, bands and unlock rules
 * (st_check_program).  It reads the program and writes only what no
 * writer of program.xml reads (a media file's 'used', expressions'
 * types), so st_progxml_write may run on p beside it (cmd_check.c).
 * Returns the number of errors it added. */
int sc_check_loaded(st_program *p, st_arena *a, st_diags *d);

/* program.yaml, media/, forms/, exercises/, then each module. */
int sc_load_program(st_program **out, st_arena *a, st_diags *d,
                    const char *dir, const sc_opts *o);

/* Fill *f from the root mapping of a forms/ID.yaml.  file is the display
 * path; expected_id is the id the file name implies (or NULL). */
int sc_load_form(st_form *f, st_arena *a, st_diags *d, const st_ynode *root,
                 const char *file, const char *expected_id);

/* Fill *e from an exercise mapping (exercises/ID.yaml, or the YAML of an
 * ```exercise block, where is_inline is 1). */
int sc_load_exercise(st_exercise *e, st_arena *a, st_diags *d,
                     const st_ynode *root, const char *file, int is_inline);

/* Load modules/<file_name>: front matter, pages, components, references.
 * Inline exercises are appended to p->exercises.  m->file, m->file_name
 * and the default id are set by the caller. */
int sc_load_module(st_module *m, st_program *p, st_arena *a, st_diags *d,
                   const char *disk_path, const sc_opts *o);

/* The ids that modules' front matter sets, read ahead (markdown.c's
 * peek_id) while modules load in parallel, kept by file name so that each
 * file is read once however many modules link to it; safe from every
 * worker.  sc_idmemo_get returns 1 and *id when name was kept. */
typedef struct sc_idmemo sc_idmemo;
int sc_idmemo_get(sc_idmemo *m, const char *name, const char **id);
void sc_idmemo_put(sc_idmemo *m, const char *name, const char *id);

/* Whether a module's file may be loaded: 0 yes; else not, and why is in
 * d (the module's own findings).  Called from any loading thread, so it
 * must touch nothing but d and its own locals (load.c: the lstat of a
 * listed module file, a symlink's target inside the program folder). */
typedef int (*sc_admit_fn)(void *ctx, const st_module *m, st_diags *d);

/* Load the modules todo[0..n) of p (file, file_name and default id set),
 * in parallel on the machine's cores when there are enough of them and no
 * cache (o->incr) is used, else one by one with sc_load_module_cached.
 * A module that admit (when not NULL) refuses is not loaded.  The result
 * is the same either way: the modules as loaded, their inline exercises
 * appended to p->exercises in module order, their findings (admit's
 * first) added to d in module order (modules.c). */
void sc_load_modules(st_program *p, st_module **todo, size_t n, st_arena *a,
                     st_diags *d, const sc_opts *o, sc_admit_fn admit,
                     void *admit_ctx);

/* How many threads a command's parallel parts use: STEG_JOBS when set
 * (at least 1), else one per online processor; at most 8 (modules.c). */
size_t sc_jobs(void);

/* sc_load_module, or its memoised form when o->incr is set (incr.c). */
int sc_load_module_cached(st_module *m, st_program *p, st_arena *a,
                          st_diags *d, const char *disk_path,
                          const sc_opts *o);

int sc_check_refs(st_program *p, st_diags *d);

/* Small helpers for reading typed values out of YAML with diagnostics;
 * they report "wrong-type" and "missing-key" findings.  A required text
 * that is empty or only white space is "missing-key" too (NULL). */
const char *sc_ystr(st_arena *a, st_diags *d, const st_ynode *map,
                    const char *key, int required);
int sc_yint(st_diags *d, const st_ynode *map, const char *key, int *out,
            int required);
int sc_ynum(st_diags *d, const st_ynode *map, const char *key, double *out,
            int required);
int sc_ybool(st_diags *d, const st_ynode *map, const char *key, int *out);
/* Report every key of map not in the NULL-terminated list known, with a
 * "did you mean" suggestion ("unknown-key"). */
void sc_check_keys(st_diags *d, const st_ynode *map, const char *what,
                   const char *const *known);
/* An expression from a scalar (NULL if the key is absent). */
st_expr *sc_yexpr(st_arena *a, st_diags *d, const st_ynode *map,
                  const char *key, int required);

#endif
