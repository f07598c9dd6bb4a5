/*
 * diag.c — collecting and rendering diagnostics.
 *
 * Findings are kept in the order they were added and sorted by position
 * before rendering, so that what a designer reads does not depend on the
 * order of the phases.  The text form follows compilers (file:line:col,
 * the source line, a caret under the column and a tilde run to the end of
 * the span on the same line); JSON and SARIF 2.1.0 carry the same fields
 * for machines.  The source texts are kept so that any phase can point into
 * any file without re-reading it; they are found by name through a small
 * open-addressing hash table (a program of a thousand modules adds a
 * thousand sources, and a scan per addition would be quadratic).
 */
#include "diag.h"
#include "i18n.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

struct note {
	st_span sp;
	char *msg;
};

struct finding {
	st_level lvl;
	char code[48];
	st_span sp;
	char *msg;
	struct note *notes;
	size_t nnotes;
	size_t seq;
};

struct source {
	char *name;
	char *text;
	size_t len;
};

struct st_diags {
	struct finding *f;
	size_t n, cap;
	struct source *src;
	size_t nsrc, capsrc;
	size_t *slot;        /* hash table of src indices + 1; 0 is empty */
	size_t nslot;        /* a power of two, at least twice nsrc */
	char **disabled;
	size_t ndisabled;
	int werror;
	int last_dropped;    /* the last finding was disabled: drop its notes */
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("steg: fatal: out of memory\n", stderr);
		abort();
	}
	return q;
}

static char *xvasprintf(const char *fmt, va_list ap)
{
	st_buf b;
	st_buf_init(&b);
	st_buf_vprintf(&b, fmt, ap);
	return st_buf_detach(&b, NULL);
}

st_diags *st_diags_new(void)
{
	st_diags *d = calloc(1, sizeof *d);
	if (!d) {
		fputs("steg: fatal: out of memory\n", stderr);
		abort();
	}
	return d;
}

void st_diags_free(st_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->f[i].msg);
		for (size_t j = 0; j < d->f[i].nnotes; j++)
			free(d->f[i].notes[j].msg);
		free(d->f[i].notes);
	}
	free(d->f);
	for (size_t i = 0; i < d->nsrc; i++) {
		free(d->src[i].name);
		free(d->src[i].text);
	}
	free(d->src);
	free(d->slot);
	for (size_t i = 0; i < d->ndisabled; i++)
		free(d->disabled[i]);
	free(d->disabled);
	free(d);
}

static size_t name_hash(const char *s)
{
	size_t h = 14695981039346656037u;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot that holds name, or the empty slot where it would go. */
static size_t *find_slot(const st_diags *d, const char *name)
{
	size_t mask = d->nslot - 1, i = name_hash(name) & mask;
	while (d->slot[i] && strcmp(d->src[d->slot[i] - 1].name, name))
		i = (i + 1) & mask;
	return &d->slot[i];
}

static void rehash(st_diags *d)
{
	free(d->slot);
	d->nslot = d->nslot ? d->nslot * 2 : 64;
	d->slot = calloc(d->nslot, sizeof *d->slot);
	if (!d->slot) {
		fputs("steg: fatal: out of memory\n", stderr);
		abort();
	}
	for (size_t i = 0; i < d->nsrc; i++)
		*find_slot(d, d->src[i].name) = i + 1;
}

/* A new entry for name, or NULL when d keeps a text for it already. */
static struct source *new_source(st_diags *d, const char *name)
{
	if (2 * (d->nsrc + 1) > d->nslot)
		rehash(d);
	size_t *slot = find_slot(d, name);
	if (*slot)
		return NULL;
	if (d->nsrc == d->capsrc) {
		d->capsrc = d->capsrc ? d->capsrc * 2 : 16;
		d->src = xrealloc(d->src, d->capsrc * sizeof *d->src);
	}
	struct source *s = &d->src[d->nsrc++];
	s->name = xrealloc(NULL, strlen(name) + 1);
	strcpy(s->name, name);
	s->text = NULL;
	s->len = 0;
	*slot = d->nsrc;
	return s;
}

void st_diags_add_source(st_diags *d, const char *name, const char *text,
                         size_t len)
{
	struct source *s = new_source(d, name);
	if (!s)
		return;
	s->text = xrealloc(NULL, len + 1);
	memcpy(s->text, text, len);
	s->text[len] = 0;
	s->len = len;
}

int st_diags_take_source(st_diags *d, const char *name, char *text,
                         size_t len)
{
	struct source *s = new_source(d, name);
	if (!s)
		return 0;
	s->text = text;
	s->len = len;
	return 1;
}

void st_diags_set_werror(st_diags *d, int on)
{
	d->werror = on;
}

void st_diags_disable(st_diags *d, const char *code)
{
	d->disabled = xrealloc(d->disabled, (d->ndisabled + 1) * sizeof *d->disabled);
	d->disabled[d->ndisabled++] = strdup(code);
}

static st_level effective(const st_diags *d, st_level l)
{
	return (d->werror && l == ST_WARNING) ? ST_ERROR : l;
}

void st_diag(st_diags *d, st_level lvl, const char *code, st_span sp,
             const char *fmt, ...)
{
	if (lvl != ST_ERROR)
		for (size_t i = 0; i < d->ndisabled; i++)
			if (!strcmp(d->disabled[i], code)) {
				d->last_dropped = 1;
				return;
			}
	d->last_dropped = 0;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->f = xrealloc(d->f, d->cap * sizeof *d->f);
	}
	struct finding *f = &d->f[d->n];
	memset(f, 0, sizeof *f);
	f->lvl = lvl;
	snprintf(f->code, sizeof f->code, "%s", code);
	f->sp = sp;
	f->seq = d->n;
	va_list ap;
	va_start(ap, fmt);
	f->msg = xvasprintf(st_tr_fmt(fmt), ap);
	va_end(ap);
	d->n++;
}

void st_diag_note(st_diags *d, st_span sp, const char *fmt, ...)
{
	if (d->n == 0 || d->last_dropped)
		return;
	struct finding *f = &d->f[d->n - 1];
	f->notes = xrealloc(f->notes, (f->nnotes + 1) * sizeof *f->notes);
	va_list ap;
	va_start(ap, fmt);
	f->notes[f->nnotes].msg = xvasprintf(st_tr_fmt(fmt), ap);
	va_end(ap);
	f->notes[f->nnotes].sp = sp;
	f->nnotes++;
}

int st_diags_errors(const st_diags *d)
{
	int n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += effective(d, d->f[i].lvl) == ST_ERROR;
	return n;
}

int st_diags_warnings(const st_diags *d)
{
	int n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += effective(d, d->f[i].lvl) == ST_WARNING;
	return n;
}

size_t st_diags_count(const st_diags *d) { return d->n; }
st_level st_diags_level(const st_diags *d, size_t i) { return effective(d, d->f[i].lvl); }
st_level st_diags_reported_level(const st_diags *d, size_t i) { return d->f[i].lvl; }
const char *st_diags_code(const st_diags *d, size_t i) { return d->f[i].code; }
const char *st_diags_message(const st_diags *d, size_t i) { return d->f[i].msg; }
st_span st_diags_span(const st_diags *d, size_t i) { return d->f[i].sp; }

static int cmp_finding(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	const char *fa = a->sp.file ? a->sp.file : "", *fb = b->sp.file ? b->sp.file : "";
	int c = strcmp(fa, fb);
	if (c)
		return c;
	if (a->sp.line != b->sp.line)
		return a->sp.line < b->sp.line ? -1 : 1;
	if (a->sp.col != b->sp.col)
		return a->sp.col < b->sp.col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void st_diags_sort(st_diags *d)
{
	if (d->n > 1)
		qsort(d->f, d->n, sizeof *d->f, cmp_finding);
}

/* ---- rendering ------------------------------------------------------- */

static const struct source *find_source(const st_diags *d, const char *name)
{
	if (!name || !d->nslot)
		return NULL;
	size_t i = *find_slot(d, name);
	return i && d->src[i - 1].text ? &d->src[i - 1] : NULL;
}

/* The text of line (1-based) in s; NULL if out of range. */
static const char *line_of(const struct source *s, int line, size_t *len)
{
	if (!s || line < 1)
		return NULL;
	const char *p = s->text, *end = s->text + s->len;
	for (int l = 1; l < line; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	if (p > end)
		return NULL;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (n && p[n - 1] == '\r')
		n--;
	*len = n;
	return p;
}

/* The level as JSON and SARIF name it: the English word always, since it
 * is a value of their schemas ("error", "warning", "note"). */
static const char *level_name(st_level l)
{
	return l == ST_ERROR ? ST_N("error") : l == ST_WARNING ? ST_N("warning")
	       : ST_N("note");
}

/* The level as the text and brief forms show it, in the user's language. */
static const char *level_shown(st_level l)
{
	return st_tr(level_name(l));
}

static void put_location(FILE *out, st_span sp)
{
	if (sp.file) {
		fputs(sp.file, out);
		if (sp.line > 0) {
			fprintf(out, ":%d", sp.line);
			if (sp.col > 0)
				fprintf(out, ":%d", sp.col);
		}
		fputs(": ", out);
	}
}

/* Print bytes [from, to) of a source line for a terminal: control bytes
 * and invalid UTF-8 as '?', so that a hostile file cannot garble it. */
static void put_clean(FILE *out, const char *t, size_t from, size_t to)
{
	size_t i = from;
	while (i < to) {
		unsigned char c = (unsigned char)t[i];
		if (c >= 0x80) {
			size_t k = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
			           (c & 0xf8) == 0xf0 ? 4 : 0, bad;
			if (k && i + k <= to && st_utf8_valid(t + i, k, &bad)) {
				fwrite(t + i, 1, k, out);
				i += k;
				continue;
			}
			fputc('?', out);
		} else {
			fputc(c < 0x20 && c != '\t' ? '?' : c, out);
		}
		i++;
	}
}

#define EXCERPT_MAX 100   /* bytes of a long line shown around the column */

static void put_excerpt(const st_diags *d, FILE *out, st_span sp, int color)
{
	size_t n;
	const char *text = line_of(find_source(d, sp.file), sp.line, &n);
	if (!text || sp.col < 1)
		return;
	size_t col = (size_t)sp.col - 1;
	if (col > n)
		col = n;
	/* a window around the column, so that a 64 MB line stays readable */
	size_t from = col > EXCERPT_MAX / 2 ? col - EXCERPT_MAX / 2 : 0;
	while (from > 0 && ((unsigned char)text[from] & 0xc0) == 0x80)
		from--;
	size_t to = n - from > EXCERPT_MAX ? from + EXCERPT_MAX : n;
	while (to < n && ((unsigned char)text[to] & 0xc0) == 0x80)
		to++;
	fprintf(out, "%5d | %s", sp.line, from ? "..." : "");
	put_clean(out, text, from, to);
	fputs(to < n ? "...\n" : "\n", out);
	fputs("      | ", out);
	if (from)
		fputs("   ", out);
	for (size_t i = from; i < col; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\t')
			fputc('\t', out);
		else if ((c & 0xc0) != 0x80)   /* one space per character */
			fputc(' ', out);
	}
	if (color)
		fputs("\033[1;32m", out);
	fputc('^', out);
	if (sp.end_line == sp.line && sp.end_col > sp.col) {
		size_t end = (size_t)sp.end_col;
		for (size_t i = col + 1; i < end && i < to; i++)
			if (((unsigned char)text[i] & 0xc0) != 0x80)
				fputc('~', out);
	}
	if (color)
		fputs("\033[0m", out);
	fputc('\n', out);
}

/* "2 errors and 1 warning generated", in the user's language. */
static void put_summary(const st_diags *d, FILE *out)
{
	int e = st_diags_errors(d), w = st_diags_warnings(d);
	char es[64], ws[64];
	snprintf(es, sizeof es, st_trn_fmt("%d error", "%d errors", (unsigned long)e),
	         e);
	snprintf(ws, sizeof ws, st_trn_fmt("%d warning", "%d warnings",
	                                   (unsigned long)w), w);
	if (e && w)
		fprintf(out, st_tr_fmt("%s and %s generated\n"), es, ws);
	else if (e || w)
		fprintf(out, st_tr_fmt("%s generated\n"), e ? es : ws);
}

static void render_text(const st_diags *d, FILE *out, int color)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct finding *f = &d->f[i];
		st_level l = effective(d, f->lvl);
		if (color)
			fputs("\033[1m", out);
		put_location(out, f->sp);
		if (color)
			fputs(l == ST_ERROR ? "\033[1;31m" : l == ST_WARNING ?
			      "\033[1;35m" : "\033[1;36m", out);
		fputs(level_shown(l), out);
		if (color)
			fputs("\033[0;1m", out);
		fprintf(out, ": %s [%s]", f->msg, f->code);
		if (l != f->lvl)
			fputs(" (-Werror)", out);
		if (color)
			fputs("\033[0m", out);
		fputc('\n', out);
		put_excerpt(d, out, f->sp, color);
		for (size_t j = 0; j < f->nnotes; j++) {
			put_location(out, f->notes[j].sp);
			fprintf(out, "%s: %s\n", level_shown(ST_NOTE), f->notes[j].msg);
			put_excerpt(d, out, f->notes[j].sp, color);
		}
	}
	put_summary(d, out);
}

/* One line per finding (and per note), for messages among other output:
 * "file:line:col: level: message [code]", or "TOOL: level: ..." for a
 * finding about no file.  The message and the file name go through the
 * escaper (st_buf_add_escaped), so that each stays on its line. */
static void render_brief(const st_diags *d, FILE *out, const char *tool)
{
	st_buf b;
	st_buf_init(&b);
	for (size_t i = 0; i < d->n; i++) {
		const struct finding *f = &d->f[i];
		st_level l = effective(d, f->lvl);
		for (size_t j = 0; j <= f->nnotes; j++) {
			st_span sp = j ? f->notes[j - 1].sp : f->sp;
			const char *msg = j ? f->notes[j - 1].msg : f->msg;
			b.len = 0;
			if (sp.file) {
				st_buf_add_escaped(&b, sp.file, strlen(sp.file));
				if (sp.line > 0)
					st_buf_printf(&b, ":%d", sp.line);
				if (sp.line > 0 && sp.col > 0)
					st_buf_printf(&b, ":%d", sp.col);
			} else {
				st_buf_adds(&b, tool ? tool : "steg");
			}
			st_buf_printf(&b, ": %s: ", level_shown(j ? ST_NOTE : l));
			st_buf_add_escaped(&b, msg, strlen(msg));
			if (!j)
				st_buf_printf(&b, " [%s]%s", f->code,
				              l != f->lvl ? " (-Werror)" : "");
			st_buf_addc(&b, '\n');
			fwrite(b.data, 1, b.len, out);
		}
	}
	st_buf_release(&b);
}

/* ---- JSON and SARIF -------------------------------------------------- */

/* The documents are built with jansson and written compactly, with one
 * exception that keeps them readable in a terminal and diffable: each
 * finding begins a line of its own.  jansson encodes every string and
 * number; the walk below only places the brackets, commas and colons. */
#if JANSSON_VERSION_HEX < 0x020e00
#error "jansson 2.14 or later: objects must keep their keys in insertion order"
#endif

static int add_bytes(const char *p, size_t n, void *b)
{
	st_buf_add(b, p, n);
	return 0;
}

static void dump_leaf(st_buf *b, json_t *v)
{
	json_dump_callback(v, add_bytes, b, JSON_ENCODE_ANY | JSON_COMPACT |
	                   JSON_PRESERVE_ORDER);
}

/* Where the findings go in a document: the array lined, each element
 * after lead; the array closes on a line of its own when it is not empty
 * (JSON), or always (SARIF). */
struct layout {
	const json_t *lined;
	const char *lead;
	int close_always;
};

/* v as json_dumps(v, JSON_COMPACT) would write it, except for the array
 * of findings (struct layout). */
static void dump(st_buf *b, json_t *v, const struct layout *lo)
{
	const char *k;
	json_t *x;
	size_t i = 0;

	if (json_is_object(v)) {
		st_buf_addc(b, '{');
		json_object_foreach(v, k, x) {
			json_t *key = json_string(k);
			if (i++)
				st_buf_addc(b, ',');
			dump_leaf(b, key);
			json_decref(key);
			st_buf_addc(b, ':');
			dump(b, x, lo);
		}
		st_buf_addc(b, '}');
	} else if (json_is_array(v)) {
		st_buf_addc(b, '[');
		json_array_foreach(v, i, x) {
			if (i)
				st_buf_addc(b, ',');
			if (v == lo->lined)
				st_buf_adds(b, lo->lead);
			dump(b, x, lo);
		}
		if (v == lo->lined && (json_array_size(v) || lo->close_always))
			st_buf_addc(b, '\n');
		st_buf_addc(b, ']');
	} else {
		dump_leaf(b, v);
	}
}

static json_t *jint(int n)
{
	return json_integer(n);
}

static void span_fields(json_t *o, st_span sp)
{
	json_object_set_new(o, "file", st_json_str(sp.file));
	json_object_set_new(o, "line", jint(sp.line));
	json_object_set_new(o, "column", jint(sp.col));
	json_object_set_new(o, "end_line", jint(sp.end_line));
	json_object_set_new(o, "end_column", jint(sp.end_col));
}

static json_t *json_finding(const st_diags *d, const struct finding *f)
{
	json_t *o = json_object(), *notes = json_array();
	span_fields(o, f->sp);
	json_object_set_new(o, "level", json_string(level_name(effective(d, f->lvl))));
	json_object_set_new(o, "code", st_json_str(f->code));
	json_object_set_new(o, "message", st_json_str(f->msg));
	for (size_t j = 0; j < f->nnotes; j++) {
		json_t *n = json_object();
		span_fields(n, f->notes[j].sp);
		json_object_set_new(n, "message", st_json_str(f->notes[j].msg));
		json_array_append_new(notes, n);
	}
	json_object_set_new(o, "notes", notes);
	return o;
}

static void render_json(const st_diags *d, st_buf *b, const char *tool)
{
	json_t *doc = json_object(), *list = json_array();
	json_object_set_new(doc, "tool", st_json_str(tool));
	json_object_set_new(doc, "version", json_string(STEG_VERSION));
	for (size_t i = 0; i < d->n; i++)
		json_array_append_new(list, json_finding(d, &d->f[i]));
	json_object_set_new(doc, "diagnostics", list);
	json_object_set_new(doc, "errors", jint(st_diags_errors(d)));
	json_object_set_new(doc, "warnings", jint(st_diags_warnings(d)));
	dump(b, doc, &(struct layout){ list, "\n  ", 0 });
	st_buf_addc(b, '\n');
	json_decref(doc);
}

/* SARIF counts columns in characters (we declare unicodeCodePoints); our
 * spans count bytes, so convert through the source line when we have it. */
static int cp_column(const st_diags *d, st_span sp, int col)
{
	size_t n;
	const char *text = line_of(find_source(d, sp.file), sp.line, &n);
	if (!text || col < 1)
		return col;
	int cp = 1;
	for (size_t i = 0; i + 1 < (size_t)col && i < n; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80)
			cp++;
	return cp;
}

static json_t *sarif_location(const st_diags *d, st_span sp)
{
	json_t *art = json_object(), *phys = json_object(), *loc = json_object();
	json_object_set_new(art, "uri", st_json_str(sp.file ? sp.file : ""));
	json_object_set_new(phys, "artifactLocation", art);
	if (sp.line > 0) {
		json_t *region = json_object();
		json_object_set_new(region, "startLine", jint(sp.line));
		if (sp.col > 0)
			json_object_set_new(region, "startColumn",
			                    jint(cp_column(d, sp, sp.col)));
		if (sp.end_line >= sp.line && sp.end_col > 0) {
			st_span end = { sp.file, sp.end_line, 0, 0, 0 };
			json_object_set_new(region, "endLine", jint(sp.end_line));
			json_object_set_new(region, "endColumn",
			                    jint(cp_column(d, end, sp.end_col) + 1));
		}
		json_object_set_new(phys, "region", region);
	}
	json_object_set_new(loc, "physicalLocation", phys);
	return loc;
}

static json_t *sarif_message(const char *text)
{
	json_t *m = json_object();
	json_object_set_new(m, "text", st_json_str(text));
	return m;
}

static json_t *sarif_result(const st_diags *d, const struct finding *f)
{
	json_t *r = json_object(), *locs = json_array();
	json_object_set_new(r, "ruleId", st_json_str(f->code));
	json_object_set_new(r, "level", json_string(level_name(effective(d, f->lvl))));
	json_object_set_new(r, "message", sarif_message(f->msg));
	json_array_append_new(locs, sarif_location(d, f->sp));
	json_object_set_new(r, "locations", locs);
	if (f->nnotes) {
		json_t *rel = json_array();
		for (size_t j = 0; j < f->nnotes; j++) {
			json_t *loc = sarif_location(d, f->notes[j].sp);
			json_object_set_new(loc, "message", sarif_message(f->notes[j].msg));
			json_array_append_new(rel, loc);
		}
		json_object_set_new(r, "relatedLocations", rel);
	}
	return r;
}

#define DOCS_URI "https://github.com/steg-project/steg/blob/main/docs/diagnostics.md"

/* One rule per distinct code, in order of first appearance. */
static json_t *sarif_rules(const st_diags *d)
{
	json_t *rules = json_array();
	for (size_t i = 0; i < d->n; i++) {
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(d->f[j].code, d->f[i].code);
		if (seen)
			continue;
		json_t *rule = json_object();
		st_buf uri;
		st_buf_init(&uri);
		st_buf_printf(&uri, "%s#%s", DOCS_URI, d->f[i].code);
		json_object_set_new(rule, "id", st_json_str(d->f[i].code));
		json_object_set_new(rule, "helpUri", st_json_str(uri.data));
		st_buf_release(&uri);
		json_array_append_new(rules, rule);
	}
	return rules;
}

static void render_sarif(const st_diags *d, st_buf *b, const char *tool)
{
	json_t *doc = json_object(), *runs = json_array(), *run = json_object();
	json_t *tl = json_object(), *driver = json_object(), *results = json_array();
	json_object_set_new(doc, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_object_set_new(driver, "name", st_json_str(tool));
	json_object_set_new(driver, "version", json_string(STEG_VERSION));
	json_object_set_new(driver, "informationUri", json_string(DOCS_URI));
	json_object_set_new(driver, "rules", sarif_rules(d));
	json_object_set_new(tl, "driver", driver);
	json_object_set_new(run, "tool", tl);
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	for (size_t i = 0; i < d->n; i++)
		json_array_append_new(results, sarif_result(d, &d->f[i]));
	json_object_set_new(run, "results", results);
	json_array_append_new(runs, run);
	json_object_set_new(doc, "runs", runs);
	dump(b, doc, &(struct layout){ results, "\n", 1 });
	st_buf_addc(b, '\n');
	json_decref(doc);
}

static const char *const format_names[] = {
	[ST_FMT_TEXT] = "text", [ST_FMT_BRIEF] = "brief",
	[ST_FMT_JSON] = "json", [ST_FMT_SARIF] = "sarif",
};

const char *st_format_name(st_format f)
{
	return format_names[f];
}

int st_format_parse(const char *s, st_format *f)
{
	for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
		if (!strcmp(s, format_names[i])) {
			*f = (st_format)i;
			return 0;
		}
	return -1;
}

void st_diags_render(const st_diags *d, FILE *out, st_format fmt, int color,
                     const char *tool_name)
{
	if (fmt == ST_FMT_TEXT) {
		render_text(d, out, color);
		return;
	}
	if (fmt == ST_FMT_BRIEF) {
		render_brief(d, out, tool_name);
		return;
	}
	st_buf b;
	st_buf_init(&b);
	if (fmt == ST_FMT_JSON)
		render_json(d, &b, tool_name);
	else
		render_sarif(d, &b, tool_name);
	fwrite(b.data, 1, b.len, out);
	st_buf_release(&b);
}

/* ---- copying ---------------------------------------------------------- */

void st_diags_append(st_diags *dst, const st_diags *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct finding *f = &src->f[i];
		st_diag(dst, f->lvl, f->code, f->sp, "%s", f->msg);
		for (size_t j = 0; j < f->nnotes; j++)
			st_diag_note(dst, f->notes[j].sp, "%s", f->notes[j].msg);
	}
}

void st_diags_copy_source(st_diags *dst, const st_diags *src,
                          const char *file)
{
	const struct source *s = find_source(src, file);
	if (s)
		st_diags_add_source(dst, s->name, s->text, s->len);
}

void st_diags_move_source(st_diags *dst, st_diags *src, const char *file)
{
	struct source *s = (struct source *)find_source(src, file);
	if (!s)
		return;
	char *text = s->text;
	size_t len = s->len;
	if (!st_diags_take_source(dst, s->name, text, len))
		return;       /* dst has its own: src keeps its */
	s->text = NULL;   /* src's entry stays, empty: find_source skips it */
	s->len = 0;
}

size_t st_diags_nnotes(const st_diags *d, size_t i)
{
	return d->f[i].nnotes;
}

st_span st_diags_note_span(const st_diags *d, size_t i, size_t j)
{
	return d->f[i].notes[j].sp;
}

const char *st_diags_note_message(const st_diags *d, size_t i, size_t j)
{
	return d->f[i].notes[j].msg;
}

const char *st_diags_source(const st_diags *d, const char *name, size_t *len)
{
	if (!d->nslot || !name)
		return NULL;
	size_t slot = *find_slot(d, name);
	if (!slot)
		return NULL;
	*len = d->src[slot - 1].len;
	return d->src[slot - 1].text;
}
