/*
 * cmd_stats.c — `stegc stats DIR`: what each module and page asks of its
 * reader — words, reading time, readability (LIX), images, players,
 * exercises and forms — and the module's `minutes:` beside the reading
 * time, so that a designer sees the weight of the text before a warning
 * fires.  The counts are the loader's (st_page's words, long words and
 * sentences, fed to LIX as the Markdown is rendered; a module's pages
 * hold all its text), so a module's LIX here is the one the 'lix' warning
 * judges.
 *
 * Reading time is words divided by the rate (--wpm, default 150 words a
 * minute: a calm pace for plain Swedish read by someone whose
 * concentration may be low), rounded up; films and recordings are counted,
 * not timed.  A module whose `minutes:` is shorter than its reading time
 * alone is marked.  docs/source-format.md, "Reading time and readability".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"
#include "compile.h"
#include "lix.h"

#define WPM_DEFAULT 150

static void usage(FILE *f)
{
	fprintf(f, "usage: stegc stats [--json] [--wpm N] DIR\n\n"
	        "Words, reading time, readability (LIX), images, players, exercises and\n"
	        "forms of each module and page of a program folder, with each module's\n"
	        "'minutes:' beside its reading time.\n\n"
	        "Options:\n"
	        "  --json                    one JSON object on stdout\n"
	        "  --wpm N                   reading rate in words a minute (default %d)\n\n"
	        "Exit codes: 0 shown, 1 the sources have errors (shown instead), 2 usage,\n"
	        "3 I/O.\n", WPM_DEFAULT);
}

/* What a module or a page asks of its reader. */
typedef struct figures {
	size_t words, long_words, sentences;
	size_t images, players, exercises, forms;
} figures;

static void add(figures *to, const figures *f)
{
	to->words += f->words;
	to->long_words += f->long_words;
	to->sentences += f->sentences;
	to->images += f->images;
	to->players += f->players;
	to->exercises += f->exercises;
	to->forms += f->forms;
}

static void add_page(figures *to, const st_page *pg)
{
	figures f = { pg->words, pg->long_words, pg->sentences, pg->images,
	              pg->players, 0, 0 };
	for (size_t i = 0; i < pg->ncomponents; i++) {
		if (pg->components[i].kind == ST_COMP_FORM)
			f.forms++;
		else
			f.exercises++;
	}
	add(to, &f);
}

static double lix_of(const figures *f)
{
	sc_lix l;
	sc_lix_init(&l);
	l.words = f->words;
	l.long_words = f->long_words;
	l.sentences = f->sentences;
	return sc_lix_value(&l);
}

/* The one reading-time rule: whole minutes, rounded up. */
static long reading_minutes(size_t words, long wpm)
{
	return (long)((words + (size_t)wpm - 1) / (size_t)wpm);
}

/* A module's `minutes:` shorter than its reading time alone. */
static int too_short(const st_module *m, long read)
{
	return m->minutes > 0 && m->minutes < read;
}

/* The figures' keys, added to o after the keys that name it. */
static json_t *fig_put(json_t *o, const figures *f, long wpm)
{
	json_object_set_new(o, "words", json_integer((json_int_t)f->words));
	json_object_set_new(o, "reading_minutes",
	                    json_integer(reading_minutes(f->words, wpm)));
	json_object_set_new(o, "lix", f->words >= SC_LIX_MIN_WORDS
	                    ? json_integer((json_int_t)lround(lix_of(f)))
	                    : json_null());
	json_object_set_new(o, "long_words", json_integer((json_int_t)f->long_words));
	json_object_set_new(o, "sentences", json_integer((json_int_t)f->sentences));
	json_object_set_new(o, "images", json_integer((json_int_t)f->images));
	json_object_set_new(o, "players", json_integer((json_int_t)f->players));
	json_object_set_new(o, "exercises", json_integer((json_int_t)f->exercises));
	json_object_set_new(o, "forms", json_integer((json_int_t)f->forms));
	return o;
}

static int print_json(const st_program *p, long wpm)
{
	json_t *root = json_object();
	json_object_set_new(root, "id", json_string(p->id ? p->id : ""));
	json_object_set_new(root, "version", json_string(p->version ? p->version : ""));
	json_object_set_new(root, "title", json_string(p->title ? p->title : ""));
	json_object_set_new(root, "wpm", json_integer(wpm));
	json_t *mods = json_array();
	figures all = { 0 };
	long minutes = 0;
	for (size_t i = 0; i < p->nmodules; i++) {
		const st_module *m = &p->modules[i];
		figures mf = { 0 };
		json_t *pages = json_array();
		for (size_t j = 0; j < m->npages; j++) {
			figures pf = { 0 };
			add_page(&pf, &m->pages[j]);
			add_page(&mf, &m->pages[j]);
			json_t *jp = json_object();
			json_object_set_new(jp, "page", json_integer((json_int_t)j + 1));
			json_object_set_new(jp, "title", json_string(m->pages[j].title ? m->pages[j].title : ""));
			json_object_set_new(jp, "path", json_string(m->pages[j].path ? m->pages[j].path : ""));
			json_array_append_new(pages, fig_put(jp, &pf, wpm));
		}
		json_t *jm = json_object();
		json_object_set_new(jm, "module", json_integer((json_int_t)i + 1));
		json_object_set_new(jm, "id", json_string(m->id ? m->id : ""));
		json_object_set_new(jm, "title", json_string(m->title ? m->title : ""));
		json_object_set_new(jm, "file", json_string(m->file ? m->file : ""));
		json_object_set_new(jm, "minutes", m->minutes ? json_integer(m->minutes) : json_null());
		json_object_set_new(jm, "minutes_short_of_reading",
		                    json_boolean(too_short(m, reading_minutes(mf.words, wpm))));
		fig_put(jm, &mf, wpm);
		json_object_set_new(jm, "pages", pages);
		json_array_append_new(mods, jm);
		add(&all, &mf);
		minutes += m->minutes;
	}
	json_object_set_new(root, "modules", mods);
	json_t *total = json_object();
	json_object_set_new(total, "minutes", json_integer(minutes));
	fig_put(total, &all, wpm);
	json_object_set_new(root, "total", total);
	int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? EXIT_IO : EXIT_CLEAN;
	json_decref(root);
	if (rc == EXIT_CLEAN && fputc('\n', stdout) == EOF)
		rc = EXIT_IO;
	return rc;
}

/* One row: the figures first, in fixed columns, the name last (titles
 * are of any width in any script). */
static void row(const figures *f, double lix, long wpm, const char *minutes,
                const char *name)
{
	char l[16] = "-";
	if (f->words >= SC_LIX_MIN_WORDS)
		snprintf(l, sizeof l, "%ld", lround(lix));
	printf("%7zu %5ld %8s %4s %4zu %4zu %4zu %4zu  %s\n", f->words,
	       reading_minutes(f->words, wpm), minutes, l, f->images,
	       f->players, f->exercises, f->forms, name);
}

static void print_text(const st_program *p, long wpm)
{
	printf("%s (%s %s): %zu modules, reading time at %ld words a minute\n\n",
	       p->title ? p->title : "?", p->id ? p->id : "?",
	       p->version ? p->version : "?", p->nmodules, wpm);
	printf("%7s %5s %8s %4s %4s %4s %4s %4s  %s\n", "words", "read",
	       "minutes", "LIX", "img", "a/v", "ex", "form", "module, page");
	figures all = { 0 };
	long minutes = 0;
	int shorts = 0;
	char mins[32], name[512];
	for (size_t i = 0; i < p->nmodules; i++) {
		const st_module *m = &p->modules[i];
		figures mf = { 0 };
		for (size_t j = 0; j < m->npages; j++)
			add_page(&mf, &m->pages[j]);
		int s = too_short(m, reading_minutes(mf.words, wpm));
		shorts += s;
		if (m->minutes)
			snprintf(mins, sizeof mins, "%d%s", m->minutes, s ? " !" : "  ");
		else
			snprintf(mins, sizeof mins, "-  ");
		snprintf(name, sizeof name, "%zu %s: %s", i + 1, m->id ? m->id : "?",
		         m->title ? m->title : "");
		row(&mf, lix_of(&mf), wpm, mins, name);
		for (size_t j = 0; j < m->npages; j++) {
			figures pf = { 0 };
			add_page(&pf, &m->pages[j]);
			snprintf(name, sizeof name, "  %zu.%zu %s", i + 1, j + 1,
			         m->pages[j].title ? m->pages[j].title : "");
			row(&pf, lix_of(&pf), wpm, "", name);
		}
		add(&all, &mf);
		minutes += m->minutes;
	}
	snprintf(mins, sizeof mins, "%ld  ", minutes);
	row(&all, lix_of(&all), wpm, mins, "the whole program");
	if (shorts)
		printf("\n! %d module%s: 'minutes:' is shorter than the reading time "
		       "alone; raise it, or shorten the text\n", shorts,
		       shorts == 1 ? "" : "s");
}

int cmd_stats(int argc, char **argv)
{
	int json = 0;
	const char *wpm_arg = NULL;
	const st_opt opts[] = {
		ST_FLAG("--json", &json),
		ST_VALUE("--wpm", &wpm_arg),
		{ NULL }
	};
	const char *dir;
	int npos, rc = sc_parse(argc, argv, "stats", opts, NULL, &dir, 1, &npos,
	                        usage);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos != 1)
		return sc_usage_error("stats", "give one program folder");
	long wpm = WPM_DEFAULT;
	if (wpm_arg) {
		char *end;
		wpm = strtol(wpm_arg, &end, 10);
		if (end == wpm_arg || *end || wpm < 20 || wpm > 1000)
			return sc_usage_error("stats", "--wpm '%s' is not a reading "
			                      "rate from 20 to 1000 words a minute",
			                      wpm_arg);
	}
	sc_opts o;
	sc_opts_init(&o);
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_program *p = NULL;
	sc_compile(&p, a, d, dir, &o);
	if (!p || st_diags_errors(d)) {
		st_diags_sort(d);
		st_diags_render(d, stderr, ST_FMT_TEXT, isatty(2), "stegc");
		fprintf(stderr, "stegc: %s has errors; the figures are shown for a "
		        "program without errors\n", dir);
		rc = EXIT_ERRORS;
	} else if (json) {
		rc = print_json(p, wpm);
	} else {
		print_text(p, wpm);
		rc = fflush(stdout) ? EXIT_IO : EXIT_CLEAN;
	}
	st_diags_free(d);
	st_arena_free(a);
	return rc;
}
