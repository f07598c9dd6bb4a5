/*
 * cmd_check.c — `stegc check DIR`: every finding about a program folder,
 * nothing written: the same findings as `stegc build`.  The command designers run many times an hour, and CI
 * runs with --format sarif.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkcache.h"
#include "commands.h"
#include "compile.h"
#include "progxml.h"

static void usage(FILE *f)
{
	fputs("usage: stegc check [OPTIONS] DIR\n\n"
	      "Check a program folder and report every error and warning.\n\n"
	      "Options:\n"
	      "  --format FORMAT           how to report: text (default) or brief on\n"
	      "                            stderr; json or sarif (SARIF 2.1.0) on\n"
	      "                            stdout\n"
	      "  -Werror                   treat warnings as errors\n"
	      "  -Wno-CODE                 do not report warnings with this code\n"
	      "  --lix-max N               readability limit per module (default 50)\n"
	      "  --color auto|always|never colours in text output\n"
	      "  -q, --quiet               print nothing when there is no error\n"
	      "  --no-cache                check afresh, neither reading nor\n"
	      "                            writing the cache of findings\n\n"
	      "Findings are kept in $XDG_CACHE_HOME/steg/check (else\n"
	      "~/.cache/steg/check) and reused while no input has changed; the\n"
	      "folder is safe to delete.\n\n"
	      "Exit codes: 0 clean (warnings allowed), 1 errors, 2 usage, 3 I/O.\n", f);
}

/* What `stegc build` would find writing program.xml (a character XML
 * cannot carry, a number that is not finite, an empty required text, an
 * id or path twice) is found here too, so that check and build never
 * disagree.  Those findings count only for a program without errors.
 * The document is written on a thread of its own beside sc_check_loaded,
 * into findings of its own; its uniqueness check then runs on this
 * thread while the document is still being written; both join d (after
 * every other finding, the document's first, as st_progxml_write adds
 * them) only when d has no error.  The document is started only when
 * loading found no error: a program the loaders gave up on is never
 * written. */
typedef struct xml_job {
	const st_program *p;
	st_diags *d;              /* the document's findings */
	pthread_t t;
	int started;
} xml_job;

static void *write_xml(void *arg)
{
	xml_job *j = arg;
	char *xml = NULL;
	size_t xlen = 0;
	st_progxml_write_doc(j->d, j->p, &xml, &xlen);
	free(xml);
	return NULL;
}

static void xml_start(xml_job *j, const st_program *p)
{
	*j = (xml_job){ p, st_diags_new(), 0, 0 };
	/* one core (STEG_JOBS=1) or no thread: written after the checks */
	j->started = sc_jobs() > 1 &&
	             pthread_create(&j->t, NULL, write_xml, j) == 0;
}

static void xml_finish(xml_job *j, st_diags *d)
{
	int clean = !st_diags_errors(d);
	st_diags *uniq = st_diags_new();
	if (clean)
		st_progxml_check_unique(uniq, j->p);
	if (j->started)
		pthread_join(j->t, NULL);
	if (clean) {
		if (!j->started)
			write_xml(j);
		st_diags_append(d, j->d);
		st_diags_append(d, uniq);
	}
	st_diags_free(uniq);
	st_diags_free(j->d);
}

/* Compile dir into d and fill *s: check's findings, found afresh; the
 * same as sc_compile and then st_progxml_write when it found no error. */
static void check_afresh(st_diags *d, st_arena *a, const char *dir,
                         const sc_opts *o, sc_check_summary *s)
{
	st_program *p = NULL;
	sc_load_program(&p, a, d, dir, o);
	*s = (sc_check_summary){ 0 };
	if (!p)
		return;
	xml_job xj;
	int xml = !st_diags_errors(d);
	if (xml)
		xml_start(&xj, p);
	sc_check_loaded(p, a, d);
	if (xml)
		xml_finish(&xj, d);
	*s = (sc_check_summary){ 1, p->id, p->version, p->nmodules,
	                         p->nforms, p->nexercises, p->nmedia };
}

int cmd_check(int argc, char **argv)
{
	sc_cli cli;
	const char *dir;
	int no_cache = 0, npos;
	st_opt opts[] = { ST_FLAG("--no-cache", &no_cache), { NULL } };
	int rc = sc_parse(argc, argv, "check", opts, &cli, &dir, 1, &npos,
	                  usage);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	sc_opts o;
	sc_cli_opts(&cli, &o);
	o.no_pages = 1;   /* check reports; it writes no page */
	st_arena *a = st_arena_new();
	st_diags *d = sc_cli_diags(&cli);
	sc_check_summary s;
	sc_check_key_opts ko = { o.lix_max, cli.werror, cli.no_codes,
	                         cli.nno_codes };
	sc_checkcache *cache = no_cache ? NULL : sc_checkcache_open(dir, &ko);
	if (!cache || !sc_checkcache_get(cache, d, a, &s)) {
		check_afresh(d, a, dir, &o, &s);
		if (cache)
			sc_checkcache_put(cache, d, &s);
	}
	sc_checkcache_free(cache);
	rc = sc_cli_finish(&cli, d);
	if (rc == EXIT_CLEAN && !sc_cli_machine(&cli) && !cli.quiet && s.have)
		fprintf(stderr, "%s: %s %s: %zu modules, %zu forms, %zu exercises, "
		        "%zu media files: ok\n", dir, s.id ? s.id : "?",
		        s.version ? s.version : "?", s.nmodules, s.nforms,
		        s.nexercises, s.nmedia);
	st_diags_free(d);
	st_arena_free(a);
	return rc;
}
