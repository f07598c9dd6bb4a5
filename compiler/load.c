/*
 * load.c — the compiler's front door: a program folder to an st_program.
 *
 * It reads program.yaml, finds the modules, forms, exercises and media,
 * refuses what must never be read (symlinks or paths leading out of the
 * folder, folders where files belong, names that are not plain UTF-8) and
 * hands each file to its loader.  The sc_y* helpers here are how every
 * YAML loader reads a typed value, so that "missing key", "wrong type" and
 * "unknown key, did you mean" read the same everywhere.
 */
#include "compile.h"
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Semantic checks of expressions, forms and unlock rules live in the core
 * so that the runtime re-checks the same way. */
#include "check.h"
#include "media.h"
#include "strmap.h"
#include "vocab.h"

void sc_opts_init(sc_opts *o)
{
	*o = (sc_opts){ .lix_max = SC_LIX_MAX_DEFAULT };
}

/* ---- typed YAML access ----------------------------------------------- */

static int is_null(const st_ynode *n)
{
	return n && n->kind == ST_Y_SCALAR && n->style == ST_YS_PLAIN &&
	       (n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null"));
}

/* Only white space, or nothing. */
static int blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

static const st_ynode *get(st_diags *d, const st_ynode *map, const char *key,
                           int required)
{
	const st_ynode *n = st_ymap_get(map, key);
	if ((!n || is_null(n)) && required && map) {
		st_span sp = map->sp;
		if (n)
			sp = n->sp;
		else
			sp.end_line = sp.line, sp.end_col = sp.col;
		st_diag(d, ST_ERROR, "missing-key", sp, "missing required key '%s'", key);
	}
	return is_null(n) ? NULL : n;
}

static void wrong_type(st_diags *d, const st_ynode *n, const char *key,
                       const char *want)
{
	st_diag(d, ST_ERROR, "wrong-type", n->sp, "'%s' must be %s, not %s", key,
	        st_tr(want), st_ykind_name(n));
}

const char *sc_ystr(st_arena *a, st_diags *d, const st_ynode *map,
                    const char *key, int required)
{
	const st_ynode *n = get(d, map, key, required);
	if (!n)
		return NULL;
	if (n->kind != ST_Y_SCALAR) {
		wrong_type(d, n, key, "a text");
		return NULL;
	}
	(void)a;
	if (required && blank(n->str)) {
		/* "" or " ": a question, title or label nobody can read */
		st_diag(d, ST_ERROR, "missing-key", n->sp,
		        "'%s' is empty; write its text", key);
		return NULL;
	}
	return n->str;
}

int sc_ynum(st_diags *d, const st_ynode *map, const char *key, double *out,
            int required)
{
	const st_ynode *n = get(d, map, key, required);
	if (!n)
		return 0;
	char *end;
	errno = 0;
	double v = n->kind == ST_Y_SCALAR && n->style == ST_YS_PLAIN ?
	           strtod(n->str, &end) : 0;
	if (n->kind != ST_Y_SCALAR || n->style != ST_YS_PLAIN || end == n->str ||
	    *end || !isfinite(v) || errno == ERANGE || n->str[0] == '+' ||
	    strpbrk(n->str, "xXnN")) {
		if (n->kind == ST_Y_SCALAR)
			st_diag(d, ST_ERROR, "wrong-type", n->sp,
			        "'%s' must be a number, not '%s'", key, n->str);
		else
			wrong_type(d, n, key, "a number");
		return -1;
	}
	*out = v;
	return 1;
}

int sc_yint(st_diags *d, const st_ynode *map, const char *key, int *out,
            int required)
{
	double v;
	int r = sc_ynum(d, map, key, &v, required);
	if (r <= 0)
		return r;
	if (v != floor(v) || v < 0 || v > 1000000) {
		const st_ynode *n = st_ymap_get(map, key);
		st_diag(d, ST_ERROR, "wrong-type", n->sp,
		        "'%s' must be a whole number from 0 to 1000000, not '%s'", key, n->str);
		return -1;
	}
	*out = (int)v;
	return 1;
}

int sc_ybool(st_diags *d, const st_ynode *map, const char *key, int *out)
{
	const st_ynode *n = get(d, map, key, 0);
	if (!n)
		return 0;
	if (n->kind == ST_Y_SCALAR && n->style == ST_YS_PLAIN) {
		if (!strcmp(n->str, "true")) {
			*out = 1;
			return 1;
		}
		if (!strcmp(n->str, "false")) {
			*out = 0;
			return 1;
		}
	}
	if (n->kind == ST_Y_SCALAR)
		st_diag(d, ST_ERROR, "wrong-type", n->sp,
		        "'%s' must be true or false, not '%s'", key, n->str);
	else
		wrong_type(d, n, key, "true or false");
	return -1;
}

st_expr *sc_yexpr(st_arena *a, st_diags *d, const st_ynode *map,
                  const char *key, int required)
{
	const st_ynode *n = get(d, map, key, required);
	if (!n)
		return NULL;
	if (n->kind != ST_Y_SCALAR) {
		wrong_type(d, n, key, "an expression");
		return NULL;
	}
	st_expr *e = st_alloc(a, sizeof *e);
	e->src = n->str;
	e->sp = n->sp;
	e->node = n;
	return e;
}

void sc_check_keys(st_diags *d, const st_ynode *map, const char *what,
                   const char *const *known)
{
	if (!map || map->kind != ST_Y_MAP)
		return;
	for (size_t i = 0; i < map->n; i++) {
		const char *k = map->keys[i]->str;
		const char *best = NULL;
		int rank = -1;
		const char *const *p = known;
		while (*p && strcmp(*p, k))
			p++;
		if (*p)
			continue;
		/* unknown: only now the suggestion (edit distances) */
		for (p = known; *p; p++)
			best = st_suggest_pick(k, best, &rank, *p);
		if (best)
			st_diag(d, ST_ERROR, "unknown-key", map->keys[i]->sp,
			        "unknown key '%s' in %s; did you mean '%s'?", k, what, best);
		else
			st_diag(d, ST_ERROR, "unknown-key", map->keys[i]->sp,
			        "unknown key '%s' in %s", k, what);
	}
}

/* ---- files and folders ----------------------------------------------- */

struct ctx {
	st_arena *a;
	st_diags *d;
	const char *dir;        /* as given, for display */
	char *real_dir;         /* realpath, for containment */
};

static st_span file_span(const char *file)
{
	return (st_span){ file, 0, 0, 0, 0 };
}

/* A name printable in a message: through the one escaper of core/util.h
 * (invalid UTF-8 and control bytes as \xHH). */
static const char *printable(st_arena *a, const char *name)
{
	return st_escape(a, name);
}

/* Check that path (inside the program folder) is a regular file that does
 * not lead out of the folder through a symlink.  0 if fine. */
static int check_inside(struct ctx *c, const char *path, const char *display,
                        int want_dir)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return ST_ENOENT;
	char *real = realpath(path, NULL);
	if (!real) {
		st_diag(c->d, ST_ERROR, "path-escape", file_span(display),
		        "'%s' is a symlink that leads nowhere; replace it with the file itself",
		        display);
		return ST_ERR;
	}
	size_t rl = strlen(c->real_dir);
	int inside = !strncmp(real, c->real_dir, rl) && (real[rl] == '/' || real[rl] == 0);
	free(real);
	if (!inside) {
		st_diag(c->d, ST_ERROR, "path-escape", file_span(display),
		        "'%s' leads out of the program folder; a program may only use "
		        "its own files", display);
		return ST_ERR;
	}
	if (stat(path, &st) != 0)
		return ST_ENOENT;
	if (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
		st_diag(c->d, ST_ERROR, "not-a-file", file_span(display),
		        want_dir ? "'%s' must be a folder" : "'%s' must be a regular file, "
		        "not a folder or device", display);
		return ST_ERR;
	}
	return 0;
}

/* check_inside for a file listed in a folder that check_inside accepted:
 * what is not a symlink is inside as its folder is, so one lstat says
 * all (realpath walks every component of the path: at a thousand modules
 * it was the longest serial step of loading); a symlink is followed. */
static int check_entry(struct ctx *c, const char *path, const char *display)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return ST_ENOENT;
	if (S_ISLNK(st.st_mode))
		return check_inside(c, path, display, 0);
	if (!S_ISREG(st.st_mode)) {
		st_diag(c->d, ST_ERROR, "not-a-file", file_span(display),
		        "'%s' must be a regular file, not a folder or device",
		        display);
		return ST_ERR;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a folder, sorted (bytewise, so the order is the same on
 * every machine), skipping dot files.  NULL when the folder is absent. */
static char **list_dir(struct ctx *c, const char *path, size_t *n)
{
	*n = 0;
	DIR *dh = opendir(path);
	if (!dh)
		return NULL;
	char **names = NULL;
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(dh))) {
		if (de->d_name[0] == '.')
			continue;
		ST_PUSH(c->a, names, *n, cap, st_strdup(c->a, de->d_name));
	}
	closedir(dh);
	if (*n)
		qsort(names, *n, sizeof *names, cmp_str);
	return names;
}

/* Read and YAML-parse a file inside the program. */
static st_ynode *load_yaml_file(struct ctx *c, const char *rel, int required)
{
	const char *path = st_path_join(c->a, c->dir, rel);
	const char *display = path;
	int r = check_inside(c, path, display, 0);
	if (r == ST_ENOENT) {
		if (required)
			st_diag(c->d, ST_ERROR, "missing-file", file_span(display),
			        "no %s here; is '%s' a program folder? ('stegc new' makes one)",
			        rel, c->dir);
		return NULL;
	}
	if (r)
		return NULL;
	char *text;
	size_t len;
	char err[256];
	r = st_read_file(&text, &len, path, SC_MAX_YAML_BYTES, err, sizeof err);
	if (r) {
		st_diag(c->d, ST_ERROR, r == ST_ETOOBIG ? "yaml-limit" : "io", file_span(display),
		        "%s", err);
		return NULL;
	}
	st_diags_add_source(c->d, display, text, len);
	st_ynode *root = st_yaml_load(c->a, c->d, display, text, len, 0, 0);
	free(text);
	if (root && root->kind != ST_Y_MAP) {
		st_diag(c->d, ST_ERROR, "wrong-type", root->sp,
		        "%s must be a mapping of keys to values, not %s", rel,
		        st_ykind_name(root));
		return NULL;
	}
	return root;
}

/* ---- program.yaml ---------------------------------------------------- */

static int is_language(const char *s)
{
	/* BCP 47, the forms programs use: sv, sv-SE, en, ar, se-Latn */
	size_t n = 0;
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return 0;
	while (s[n] == '-') {
		size_t k = ++n;
		while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		       (s[n] >= '0' && s[n] <= '9'))
			n++;
		if (n - k < 2 || n - k > 8)
			return 0;
	}
	return s[n] == 0;
}

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

/* The word under key as its value in voc (core/vocab.h); 0 when absent
 * or not one of its words (reported). */
static int enum_key(struct ctx *c, const st_ynode *map, const char *key,
                    const st_vocab *voc)
{
	const char *v = sc_ystr(c->a, c->d, map, key, 1);
	int k = st_vocab_value(voc, v);
	if (v && !k) {
		char hint[256];
		st_vocab_list(hint, sizeof hint, voc, 0);
		st_diag(c->d, ST_ERROR, "bad-value", st_ymap_get(map, key)->sp,
		        "'%s' must be %s, not '%s'", key, hint, v);
	}
	return k;
}

static const char **str_list(struct ctx *c, const st_ynode *map, const char *key,
                             size_t *n)
{
	*n = 0;
	const st_ynode *l = get(c->d, map, key, 0);
	if (!l)
		return NULL;
	if (l->kind != ST_Y_SEQ) {
		wrong_type(c->d, l, key, "a list");
		return NULL;
	}
	const char **out = st_alloc(c->a, (l->n + 1) * sizeof *out);
	for (size_t i = 0; i < l->n; i++) {
		if (l->items[i]->kind != ST_Y_SCALAR) {
			wrong_type(c->d, l->items[i], key, "a list of texts");
			continue;
		}
		out[(*n)++] = l->items[i]->str;
	}
	return out;
}

static void load_assessments(struct ctx *c, st_program *p, const st_ynode *root)
{
	const st_ynode *l = get(c->d, root, "assessments", 0);
	if (!l)
		return;
	if (l->kind != ST_Y_SEQ) {
		wrong_type(c->d, l, "assessments", "a list");
		return;
	}
	static const char *const keys[] = { "form", "at", NULL };
	p->assessments = st_alloc(c->a, l->n * sizeof *p->assessments);
	for (size_t i = 0; i < l->n; i++) {
		const st_ynode *m = l->items[i];
		if (m->kind != ST_Y_MAP) {
			wrong_type(c->d, m, "assessments", "a list of mappings with 'form' and 'at'");
			continue;
		}
		sc_check_keys(c->d, m, "an assessment", keys);
		st_assessment *as = &p->assessments[p->nassessments++];
		as->sp = m->sp;
		as->form = sc_ystr(c->a, c->d, m, "form", 1);
		const st_ynode *at = get(c->d, m, "at", 1);
		if (!at)
			continue;
		size_t cnt = at->kind == ST_Y_SEQ ? at->n : 1;
		as->at = st_alloc(c->a, cnt * sizeof *as->at);
		for (size_t j = 0; j < cnt; j++) {
			const st_ynode *v = at->kind == ST_Y_SEQ ? at->items[j] : at;
			if (v->kind != ST_Y_SCALAR) {
				wrong_type(c->d, v, "at", "start, end, weekly or module:SLUG");
				continue;
			}
			static const char *const when[] = { "start", "end", "weekly", NULL };
			if (!one_of(v->str, when) &&
			    !(strncmp(v->str, "module:", 7) == 0 && st_is_slug(v->str + 7))) {
				st_diag(c->d, ST_ERROR, "bad-value", v->sp,
				        "'at' must be start, end, weekly or module:SLUG, not '%s'",
				        v->str);
				continue;
			}
			as->at[as->nat++] = v->str;
		}
	}
}

static void load_messages(struct ctx *c, st_program *p, const st_ynode *root)
{
	const st_ynode *l = get(c->d, root, "messages", 0);
	if (!l)
		return;
	if (l->kind != ST_Y_SEQ) {
		wrong_type(c->d, l, "messages", "a list");
		return;
	}
	static const char *const keys[] = { "id", "when", "text", NULL };
	p->messages = st_alloc(c->a, l->n * sizeof *p->messages);
	for (size_t i = 0; i < l->n; i++) {
		const st_ynode *m = l->items[i];
		if (m->kind != ST_Y_MAP) {
			wrong_type(c->d, m, "messages", "a list of mappings with 'id', 'when' and 'text'");
			continue;
		}
		sc_check_keys(c->d, m, "a message", keys);
		st_message *msg = &p->messages[p->nmessages++];
		msg->sp = m->sp;
		msg->id = sc_ystr(c->a, c->d, m, "id", 1);
		if (msg->id && !st_is_ident(msg->id))
			st_diag(c->d, ST_ERROR, "bad-id", st_ymap_get(m, "id")->sp,
			        "message id '%s' must be a-z, 0-9 and _, starting with a letter",
			        msg->id);
		msg->text = sc_ystr(c->a, c->d, m, "text", 1);
		const st_ynode *w = st_ymap_get(m, "when");
		if (w && w->kind == ST_Y_SCALAR && w->style == ST_YS_PLAIN &&
		    (!strcmp(w->str, "start") || !strcmp(w->str, "end")))
			msg->when_kw = w->str;
		else
			msg->when = sc_yexpr(c->a, c->d, m, "when", 1);
		for (size_t j = 0; j + 1 < p->nmessages; j++)
			if (msg->id && p->messages[j].id && !strcmp(msg->id, p->messages[j].id)) {
				st_diag(c->d, ST_ERROR, "duplicate-id", msg->sp,
				        "duplicate message id '%s'", msg->id);
				st_diag_note(c->d, p->messages[j].sp, "first defined here");
			}
	}
}

static void load_header(struct ctx *c, st_program *p, const st_ynode *root)
{
	static const char *const keys[] = {
		"steg", "id", "version", "title", "language", "kind", "summary",
		"producer", "start", "conditions", "audience", "duration-weeks",
		"retention-days", "modules", "assessments", "messages", NULL
	};
	sc_check_keys(c->d, root, "program.yaml", keys);
	p->sp = root->sp;
	int v = 0;
	if (sc_yint(c->d, root, "steg", &v, 1) > 0 && v != 1)
		st_diag(c->d, ST_ERROR, "bad-value", st_ymap_get(root, "steg")->sp,
		        "source format version %d is not known to this stegc; it reads "
		        "version 1", v);
	p->steg = v;
	p->id = sc_ystr(c->a, c->d, root, "id", 1);
	if (p->id && !st_is_slug(p->id))
		st_diag(c->d, ST_ERROR, "bad-id", st_ymap_get(root, "id")->sp,
		        "program id '%s' must be lower-case letters, digits, '-' and '.', "
		        "e.g. se.region.depression", p->id);
	p->version = sc_ystr(c->a, c->d, root, "version", 1);
	p->version_sp = p->version ? st_ymap_get(root, "version")->sp : root->sp;
	if (p->version && st_semver_parse(p->version, NULL, NULL, NULL))
		st_diag(c->d, ST_ERROR, "bad-version", st_ymap_get(root, "version")->sp,
		        "version '%s' is not a semantic version MAJOR.MINOR.PATCH, "
		        "e.g. 1.0.0", p->version);
	p->title = sc_ystr(c->a, c->d, root, "title", 1);
	p->language = sc_ystr(c->a, c->d, root, "language", 1);
	if (p->language && !is_language(p->language))
		st_diag(c->d, ST_ERROR, "bad-value", st_ymap_get(root, "language")->sp,
		        "language '%s' is not a BCP 47 tag such as 'sv' or 'en'", p->language);
	p->kind = enum_key(c, root, "kind", &st_program_kinds);
	p->summary = sc_ystr(c->a, c->d, root, "summary", 1);
	p->start = enum_key(c, root, "start", &st_start_modes);
	const st_ynode *prod = get(c->d, root, "producer", 1);
	if (prod && prod->kind != ST_Y_MAP) {
		wrong_type(c->d, prod, "producer", "a mapping with 'id' and 'name'");
	} else if (prod) {
		static const char *const pk[] = { "id", "name", NULL };
		sc_check_keys(c->d, prod, "producer", pk);
		p->producer_id = sc_ystr(c->a, c->d, prod, "id", 1);
		p->producer_name = sc_ystr(c->a, c->d, prod, "name", 1);
		if (p->producer_id && !st_is_hsa_id(p->producer_id))
			st_diag(c->d, ST_ERROR, "bad-hsa-id", st_ymap_get(prod, "id")->sp,
			        "'%s' is not an HSA-id such as SE2321000016-0001", p->producer_id);
	}
	p->conditions = str_list(c, root, "conditions", &p->nconditions);
	p->audience = sc_ystr(c->a, c->d, root, "audience", 0);
	sc_yint(c->d, root, "duration-weeks", &p->duration_weeks, 0);
	sc_yint(c->d, root, "retention-days", &p->retention_days, 0);
	load_assessments(c, p, root);
	load_messages(c, p, root);
}

/* ---- modules --------------------------------------------------------- */

/* Each module file's id from its name (ids[i]); a name that gives none
 * is reported and its names[i] set to NULL.  Returns how many gave one. */
static size_t module_file_ids(struct ctx *c, const char *mdir, char **names,
                              size_t n, const char **ids)
{
	size_t good = 0;
	for (size_t i = 0; i < n; i++) {
		const char *disp = st_path_join(c->a, mdir, printable(c->a, names[i]));
		size_t bad;
		if (!st_utf8_valid(names[i], strlen(names[i]), &bad)) {
			st_diag(c->d, ST_ERROR, "bad-file-name", file_span(disp),
			        "file name is not valid UTF-8; rename it to NN-name.md");
			names[i] = NULL;
			continue;
		}
		const char *suggest;
		ids[i] = st_module_id_of(c->a, names[i], &suggest);
		if (!ids[i]) {
			const char *ch = NULL;
			const char *dot = strrchr(names[i], '.');
			size_t k = strspn(names[i], "0123456789");
			if (k && names[i][k] == '-' && dot)
				st_slugify(c->a, st_strndup(c->a, names[i] + k + 1,
				           (size_t)(dot - names[i]) - k - 1), &ch, NULL);
			if (suggest && ch)
				st_diag(c->d, ST_ERROR, "bad-file-name", file_span(disp),
				        "a module's id is its file name in a-z, 0-9 and '-' "
				        "(docs/source-format.md, \"Names in ASCII\"), and '%s' "
				        "has no such spelling; rename the file %s",
				        printable(c->a, ch), printable(c->a, suggest));
			else if (ch)
				st_diag(c->d, ST_ERROR, "bad-file-name", file_span(disp),
				        "a module's id is its file name in a-z, 0-9 and '-' "
				        "(docs/source-format.md, \"Names in ASCII\"), and '%s' "
				        "has no such spelling; rename the file in Latin letters "
				        "(e.g. %.*s-modul.md)", printable(c->a, ch), (int)k,
				        names[i]);
			else
				st_diag(c->d, ST_ERROR, "bad-file-name", file_span(disp),
				        "module file names are NN-name.md (e.g. "
				        "02-beteendeaktivering.md or 06-återfall.md), the "
				        "name in letters and digits");
			names[i] = NULL;
			continue;
		}
		good++;
	}
	return good;
}

/* The modules to load, as indexes into names (pick, returned counted):
 * program.yaml's modules list in its order, else every file in file
 * order.  A listed module that is not there, one listed twice and a file
 * left out of the list are reported. */
static size_t module_order(struct ctx *c, const st_ynode *root, const char *mdir,
                           char **names, const char **ids, size_t n, size_t *pick)
{
	const st_ynode *order = get(c->d, root, "modules", 0);
	size_t npick = 0;
	if (order && order->kind != ST_Y_SEQ) {
		wrong_type(c->d, order, "modules", "a list of module ids");
		order = NULL;
	}
	if (order) {
		char *used = st_alloc(c->a, n + 1);
		/* an entry names the first file whose id or name it is: a map
		 * of each (the first file kept), not a scan of every file for
		 * every entry */
		st_strmap *by_id = st_strmap_new(c->a), *by_name = st_strmap_new(c->a);
		for (size_t k = 0; k < n; k++)
			if (names[k]) {
				st_strmap_put(by_id, ids[k], k, NULL);
				st_strmap_put(by_name, names[k], k, NULL);
			}
		for (size_t j = 0; j < order->n; j++) {
			const st_ynode *it = order->items[j];
			if (it->kind != ST_Y_SCALAR) {
				wrong_type(c->d, it, "modules", "a list of module ids");
				continue;
			}
			size_t k = n, kn;
			st_strmap_get(by_id, it->str, &k);
			if (st_strmap_get(by_name, it->str, &kn) && kn < k)
				k = kn;
			if (k == n) {
				st_diag(c->d, ST_ERROR, "unknown-module", it->sp,
				        "no module '%s' in modules/", it->str);
				continue;
			}
			if (used[k]) {
				st_diag(c->d, ST_ERROR, "duplicate-id", it->sp,
				        "module '%s' is listed twice", it->str);
				continue;
			}
			used[k] = 1;
			pick[npick++] = k;
		}
		for (size_t k = 0; k < n; k++)
			if (names[k] && !used[k])
				st_diag(c->d, ST_WARNING, "unlisted-module",
				        file_span(st_path_join(c->a, mdir, names[k])),
				        "module file is not in program.yaml's 'modules' list and is "
				        "left out; add '%s' to the list or remove the file", ids[k]);
	} else {
		for (size_t k = 0; k < n; k++)
			if (names[k])
				pick[npick++] = k;
	}
	return npick;
}

/* Module ids must be unique (front matter may set them); a map keeps
 * this linear for a thousand modules. */
static void check_module_ids(struct ctx *c, const st_program *p)
{
	st_strmap *seen = st_strmap_new(c->a);
	for (size_t i = 0; i < p->nmodules; i++) {
		size_t first;
		const st_module *m = &p->modules[i];
		if (!m->id || st_strmap_put(seen, m->id, i, &first) != 1)
			continue;
		const st_module *f = &p->modules[first];
		const char *mi = st_module_id_of(c->a, m->file_name, NULL);
		const char *fi = st_module_id_of(c->a, f->file_name, NULL);
		if (mi && fi && !strcmp(mi, m->id) && !strcmp(fi, f->id))
			st_diag(c->d, ST_ERROR, "duplicate-id", m->sp,
			        "the file names %s and %s both give the module id "
			        "'%s' (docs/source-format.md, \"Names in ASCII\"); "
			        "rename one of them or give it an 'id:' of its own",
			        printable(c->a, f->file_name),
			        printable(c->a, m->file_name), m->id);
		else
			st_diag(c->d, ST_ERROR, "duplicate-id", m->sp,
			        "duplicate module id '%s'", m->id);
		st_diag_note(c->d, f->sp, "first used here");
	}}

/* sc_admit_fn for sc_load_modules: check_entry of the module's file,
 * its findings in d (c's arena is not touched: safe on any thread). */
static int admit_module(void *arg, const st_module *m, st_diags *d)
{
	struct ctx c = *(const struct ctx *)arg;
	c.d = d;
	return check_entry(&c, m->file, m->file) != 0;
}

static void load_modules(struct ctx *c, st_program *p, const st_ynode *root,
                         const sc_opts *o)
{
	const char *mdir = st_path_join(c->a, c->dir, "modules");
	size_t n = 0;
	char **names = NULL;
	if (check_inside(c, mdir, mdir, 1) == 0)
		names = list_dir(c, mdir, &n);
	const char **ids = st_alloc(c->a, (n + 1) * sizeof *ids);
	size_t good = module_file_ids(c, mdir, names, n, ids);
	if (good == 0 && !p->dir[0])
		return;
	/* the order: program.yaml's modules list, else file order */
	size_t *pick = st_alloc(c->a, (n + 1) * sizeof *pick);
	size_t npick = module_order(c, root, mdir, names, ids, n, pick);
	if (npick == 0) {
		st_diag(c->d, ST_ERROR, "no-modules", file_span(mdir),
		        "the program has no modules; add modules/01-intro.md");
		return;
	}
	p->modules = st_alloc(c->a, npick * sizeof *p->modules);
	st_module **todo = st_alloc(c->a, npick * sizeof *todo);
	for (size_t j = 0; j < npick; j++) {
		size_t k = pick[j];
		st_module *m = &p->modules[p->nmodules++];
		m->file_name = names[k];
		m->file = st_path_join(c->a, mdir, names[k]);
		m->id = ids[k];
		m->sp = (st_span){ m->file, 1, 1, 1, 1 };
		todo[j] = m;
	}
	/* each file's check_entry by the thread that loads it: a thousand
	 * lstat calls off the serial path */
	sc_load_modules(p, todo, npick, c->a, c->d, o, admit_module, c);
	check_module_ids(c, p);
}

/* ---- forms and exercises --------------------------------------------- */

static void load_yaml_folder(struct ctx *c, st_program *p, const char *sub, int forms)
{
	const char *fdir = st_path_join(c->a, c->dir, sub);
	if (check_inside(c, fdir, fdir, 1))
		return;
	size_t n;
	char **names = list_dir(c, fdir, &n);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		const char *disp = st_path_join(c->a, fdir, printable(c->a, names[i]));
		if (len < 6 || strcmp(names[i] + len - 5, ".yaml")) {
			st_diag(c->d, ST_WARNING, "stray-file", file_span(disp),
			        "%s/ holds only ID.yaml files; this file is ignored", sub);
			continue;
		}
		char *id = st_strndup(c->a, names[i], len - 5);
		if (forms && !st_is_ident(id)) {
			st_diag(c->d, ST_ERROR, "bad-file-name", file_span(disp),
			        "'%s' must be named ID.yaml where ID is a-z, 0-9 and _, "
			        "starting with a letter", disp);
			continue;
		}
		if (!forms && !st_is_exercise_id(id)) {
			st_diag(c->d, ST_ERROR, "bad-file-name", file_span(disp),
			        "'%s' must be named ID.yaml where ID is an exercise id: a "
			        "slug (a-z, 0-9, '-' and '.') or an identifier (a-z, 0-9 "
			        "and '_', starting with a letter)", disp);
			continue;
		}
		st_ynode *root = load_yaml_file(c, st_sprintf(c->a, "%s/%s", sub, names[i]), 1);
		if (!root) {
			/* its own error is enough: remember the id, so that no
			 * reference to it is reported as unknown */
			const char ***l = forms ? &p->unread_forms : &p->unread_exercises;
			size_t *nl = forms ? &p->nunread_forms : &p->nunread_exercises;
			*l = st_grow(c->a, *l, *nl, *nl + 1, sizeof **l);
			(*l)[(*nl)++] = id;
			continue;
		}
		if (forms) {
			st_form f;
			memset(&f, 0, sizeof f);
			f.file = disp;
			sc_load_form(&f, c->a, c->d, root, disp, id);
			p->forms = st_grow(c->a, p->forms, p->nforms, p->nforms + 1, sizeof f);
			p->forms[p->nforms++] = f;
		} else {
			st_exercise e;
			memset(&e, 0, sizeof e);
			e.file = disp;
			sc_load_exercise(&e, c->a, c->d, root, disp, 0);
			if (e.id && strcmp(e.id, id))
				st_diag(c->d, ST_ERROR, "id-mismatch", e.sp,
				        "exercise id '%s' differs from its file name '%s'", e.id,
				        names[i]);
			p->exercises = st_grow(c->a, p->exercises, p->nexercises,
			                       p->nexercises + 1, sizeof e);
			p->exercises[p->nexercises++] = e;
		}
	}
}

/* ---- media ----------------------------------------------------------- */

static int media_name_ok(const char *s)
{
	if (!*s || *s == '.' || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static void scan_media(struct ctx *c, st_program *p, const char *rel, int depth,
                       size_t *cap)
{
	const char *disk = st_path_join(c->a, c->dir, rel);
	if (check_inside(c, disk, disk, 1))
		return;
	size_t n;
	char **names = list_dir(c, disk, &n);
	for (size_t i = 0; i < n; i++) {
		const char *r = st_sprintf(c->a, "%s/%s", rel, names[i]);
		const char *path = st_path_join(c->a, c->dir, r);
		const char *disp = st_path_join(c->a, c->dir, printable(c->a, r));
		if (!media_name_ok(names[i])) {
			st_diag(c->d, ST_ERROR, "bad-file-name", file_span(disp),
			        "media file names may hold only a-z, A-Z, 0-9, '.', '-' and '_'");
			continue;
		}
		struct stat st;
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth >= 4)
				st_diag(c->d, ST_ERROR, "media-depth", file_span(disp),
				        "media folders nest at most four deep");
			else
				scan_media(c, p, r, depth + 1, cap);
			continue;
		}
		if (check_inside(c, path, disp, 0))
			continue;
		stat(path, &st);
		const st_media_type *t = st_media_type_of(names[i]);
		if (!t) {
			st_diag(c->d, ST_ERROR, "media-type", file_span(disp),
			        "unsupported media type; use png, jpg, jpeg, gif or webp images, "
			        "mp3, m4a or ogg audio, mp4 or webm video, vtt captions");
			continue;
		}
		if ((unsigned long long)st.st_size > (256ull << 20)) {
			st_diag(c->d, ST_ERROR, "media-size", file_span(disp),
			        "media file is %lld bytes, more than the limit of 256 MiB",
			        (long long)st.st_size);
			continue;
		}
		/* the bytes are what the extension says (as the bundle reader
		 * will check them) */
		char found[256];
		int src = st_media_sniff_file(t, path, found, sizeof found);
		if (src == ST_EIO) {
			st_diag(c->d, ST_ERROR, "io", file_span(disp),
			        "cannot check the media file: %s", found);
		} else if (src != ST_OK) {
			st_buf msg;
			st_buf_init(&msg);
			st_media_mismatch(&msg, t, found);
			st_diag(c->d, ST_ERROR, "media-content", file_span(disp),
			        "'%s' %.*s; save it again in that format, or give it "
			        "the extension of what it is", printable(c->a, r),
			        (int)msg.len, msg.data ? msg.data : "");
			st_buf_release(&msg);
		}
		st_media_kind k = t->kind;
		st_media m;
		memset(&m, 0, sizeof m);
		m.path = r;
		m.disk_path = path;
		m.kind = k;
		m.size = st.st_size;
		m.sp = file_span(disp);
		ST_PUSH(c->a, p->media, p->nmedia, *cap, m);
	}
}

/* ---- the whole program ----------------------------------------------- */

int sc_load_program(st_program **out, st_arena *a, st_diags *d, const char *dir,
                    const sc_opts *o)
{
	*out = NULL;
	int before = st_diags_errors(d);
	struct ctx c = { a, d, dir, NULL };
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		st_diag(d, ST_ERROR, "missing-file", file_span(dir),
		        "'%s' is not a folder; give the program's folder", dir);
		return 1;
	}
	c.real_dir = realpath(dir, NULL);
	if (!c.real_dir) {
		st_diag(d, ST_ERROR, "io", file_span(dir), "cannot resolve '%s': %s", dir,
		        strerror(errno));
		return 1;
	}
	/* A program.yaml that is there but cannot be read (a YAML error, not
	 * a mapping) is reported once, and the rest of the folder is still
	 * loaded and checked, so that every file's own findings appear.  A
	 * folder without one is no program folder: nothing more is read. */
	struct stat pst;
	int have_yaml = lstat(st_path_join(a, dir, "program.yaml"), &pst) == 0;
	st_ynode *root = load_yaml_file(&c, "program.yaml", 1);
	if (!root && !have_yaml) {
		free(c.real_dir);
		return st_diags_errors(d) - before;
	}
	st_program *p = st_alloc(a, sizeof *p);
	p->dir = st_strdup(a, dir);
	if (root) {
		load_header(&c, p, root);
		if (!p->language)
			p->language = "sv";
	} else {
		p->header_unread = 1;
		p->sp = file_span(st_path_join(a, dir, "program.yaml"));
	}
	size_t mcap = 0;
	scan_media(&c, p, "media", 0, &mcap);
	load_yaml_folder(&c, p, "forms", 1);
	load_yaml_folder(&c, p, "exercises", 0);
	load_modules(&c, p, root, o);
	free(c.real_dir);
	*out = p;
	return st_diags_errors(d) - before;
}

int sc_check_loaded(st_program *p, st_arena *a, st_diags *d)
{
	int before = st_diags_errors(d);
	sc_check_refs(p, d);
	st_check_program(a, d, p);
	return st_diags_errors(d) - before;
}

int sc_compile(st_program **out, st_arena *a, st_diags *d, const char *dir,
               const sc_opts *o)
{
	int before = st_diags_errors(d);
	sc_load_program(out, a, d, dir, o);
	if (*out)
		sc_check_loaded(*out, a, d);
	return st_diags_errors(d) - before;
}
