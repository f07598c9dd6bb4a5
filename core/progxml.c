/*
 * progxml.c — program.xml: writing the compiled program into a bundle and
 * reading it back (core/progxml.h, schemas/program.xsd,
 * docs/program-xml.md).
 *
 * Writing is plain string building into an st_buf in one fixed order with
 * fixed indentation; no libxml2 tree is built, because the bytes must be
 * the same for the same program (reproducible, signed bundles) and a tree
 * would only cost time.  What makes the bytes canonical: attributes in
 * schema order, optional parts only when present, booleans only when true,
 * numbers in the shortest form that reads back to the same double, and an
 * escaping that keeps every character (CR, and TAB and LF in attributes,
 * as character references) so that reading gives back the same strings.
 * Hence the round trip write(read(write(p))) == write(p), byte for byte.
 * A string that XML cannot hold (a C0 control character) or a number that
 * is not finite is reported at the span of what it belongs to.
 *
 * Reading trusts nothing: the bytes are parsed by core/xmlsafe.c and must
 * validate against the embedded program.xsd before the tree is walked.
 * The schema guarantees the shape, so the walk mostly converts, yet every
 * typed value is still parsed defensively.  Every object gets the line of
 * its element as its span, so that the checks that run again on a bundle
 * (expressions above all) point into program.xml.
 */
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "progxml.h"
#include "vocab.h"
#include "xmlsafe.h"

#define NS "urn:steg:program:1"
#define FORMAT 1

/* ==== writing ============================================================ */

struct wr {
	st_buf b;
	st_diags *d;
	int errors;
	const char *dir;         /* the program folder, without trailing '/' */
	size_t dirlen;
};

/* Source paths are display paths that begin with the folder the compiler
 * was given ("../progs/x/modules/01-intro.md"); the bundle keeps them
 * relative to the program ("modules/01-intro.md"), or the bytes would
 * depend on where the build ran. */
static const char *rel(const struct wr *w, const char *path)
{
	if (!path)
		return NULL;
	if (w->dirlen && !strncmp(path, w->dir, w->dirlen) &&
	    path[w->dirlen] == '/')
		path += w->dirlen + 1;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return path;
}

static void indent(struct wr *w, int level)
{
	static const char sp[] = "                ";   /* 8 levels */
	while (level > 8) {
		st_buf_add(&w->b, sp, 16);
		level -= 8;
	}
	if (level > 0)
		st_buf_add(&w->b, sp, 2 * (size_t)level);
}

/* a, name and z one after another: a tag or an attribute's start without
 * printf's cost (program.xml has some hundred thousand of them) */
static void wrap(struct wr *w, const char *a, const char *name,
                 const char *z)
{
	st_buf_adds(&w->b, a);
	st_buf_adds(&w->b, name);
	st_buf_adds(&w->b, z);
}

static void bad_char(struct wr *w, st_span sp, const char *what, unsigned c)
{
	st_diag(w->d, ST_ERROR, "xml-char", sp,
	        "%s contains the character U+%04X, which XML cannot carry",
	        what, c);
	w->errors++;
}

/* What the schema requires is checked here first, so that a program the
 * loaders let through with an empty text gets a finding at its source,
 * not an internal error from the self-check of the bundle writer. */
static void report_empty(struct wr *w, st_span sp, const char *name)
{
	st_diag(w->d, ST_ERROR, "missing-key", sp, "'%s' is empty", name);
	w->errors++;
}

static void put_attr(struct wr *w, const char *name, const char *val,
                     st_span sp)
{
	wrap(w, " ", name, "=\"");
	unsigned c = st_xml_add_attr(&w->b, val);
	st_buf_addc(&w->b, '"');
	if (c)
		bad_char(w, sp, name, c);
}

/* An optional attribute: absent when NULL or empty. */
static void attr(struct wr *w, const char *name, const char *val, st_span sp)
{
	if (val && *val)
		put_attr(w, name, val, sp);
}

/* A required attribute. */
static void req_attr(struct wr *w, const char *name, const char *val,
                     st_span sp)
{
	if (!val || !*val)
		report_empty(w, sp, name);
	put_attr(w, name, val ? val : "", sp);
}

static void attr_num(struct wr *w, const char *name, double v, int has,
                     st_span sp)
{
	if (!has)
		return;
	wrap(w, " ", name, "=\"");
	if (st_xml_add_num(&w->b, v) != 0) {
		st_diag(w->d, ST_ERROR, "xml-number", sp,
		        "'%s' is not a finite number", name);
		w->errors++;
	}
	st_buf_addc(&w->b, '"');
}

static void attr_int(struct wr *w, const char *name, long long v)
{
	st_buf_printf(&w->b, " %s=\"%lld\"", name, v);
}

static void attr_bool(struct wr *w, const char *name, int v)
{
	if (v)
		wrap(w, " ", name, "=\"true\"");
}

static void put_text(struct wr *w, int level, const char *name,
                     const char *text, st_span sp)
{
	indent(w, level);
	wrap(w, "<", name, ">");
	unsigned c = st_xml_add_text(&w->b, text);
	wrap(w, "</", name, ">\n");
	if (c)
		bad_char(w, sp, name, c);
}

/* <name>text</name> on a line of its own; nothing when text is NULL or
 * empty. */
static void text_el(struct wr *w, int level, const char *name,
                    const char *text, st_span sp)
{
	if (text && *text)
		put_text(w, level, name, text, sp);
}

static void req_text(struct wr *w, int level, const char *name,
                     const char *text, st_span sp)
{
	if (!text || !*text)
		report_empty(w, sp, name);
	put_text(w, level, name, text ? text : "", sp);
}

/* An expression as its source text; sp is the owner's, for an absent
 * required one. */
static void expr_el(struct wr *w, int level, const char *name,
                    const st_expr *e)
{
	if (e && e->src && *e->src)
		put_text(w, level, name, e->src, e->sp);
}

static void req_expr(struct wr *w, int level, const char *name,
                     const st_expr *e, st_span sp)
{
	if (e && e->src && *e->src)
		put_text(w, level, name, e->src, e->sp);
	else
		req_text(w, level, name, NULL, sp);
}

/* Close the start tag: "/>" when there is nothing inside, else ">". */
static void end_start(struct wr *w, int empty)
{
	st_buf_adds(&w->b, empty ? "/>\n" : ">\n");
}

static void end_el(struct wr *w, int level, const char *name)
{
	indent(w, level);
	wrap(w, "</", name, ">\n");
}

/* A code's two attributes, both or neither (model.h st_code). */
static void code_attrs(struct wr *w, const st_code *c, st_span sp)
{
	if (!c->system || !c->code)
		return;
	put_attr(w, "system", c->system, sp);
	put_attr(w, "code", c->code, sp);
}

static void write_options(struct wr *w, int level, const st_option *o,
                          size_t n)
{
	if (!n)
		return;
	indent(w, level);
	st_buf_adds(&w->b, "<options>\n");
	for (size_t i = 0; i < n; i++) {
		indent(w, level + 1);
		st_buf_adds(&w->b, "<option");
		attr_num(w, "value", o[i].value, 1, o[i].sp);
		attr_num(w, "score", o[i].score, o[i].has_score, o[i].sp);
		req_attr(w, "label", o[i].label, o[i].sp);
		code_attrs(w, &o[i].code, o[i].sp);
		st_buf_adds(&w->b, "/>\n");
	}
	end_el(w, level, "options");
}

static void write_module(struct wr *w, const st_module *m)
{
	indent(w, 2);
	st_buf_adds(&w->b, "<module");
	req_attr(w, "id", m->id, m->sp);
	req_attr(w, "title", m->title, m->sp);
	attr(w, "file", rel(w, m->file), m->sp);
	if (m->minutes > 0)
		attr_int(w, "minutes", m->minutes);
	int has_unlock = m->unlock && m->unlock->src && *m->unlock->src;
	end_start(w, !has_unlock && !m->npages);
	if (!has_unlock && !m->npages)
		return;
	expr_el(w, 3, "unlock", m->unlock);
	for (size_t i = 0; i < m->npages; i++) {
		const st_page *pg = &m->pages[i];
		indent(w, 3);
		st_buf_adds(&w->b, "<page");
		req_attr(w, "title", pg->title, pg->sp);
		req_attr(w, "path", pg->path, pg->sp);
		end_start(w, !pg->ncomponents);
		if (!pg->ncomponents)
			continue;
		for (size_t j = 0; j < pg->ncomponents; j++) {
			const st_component *c = &pg->components[j];
			indent(w, 4);
			st_buf_adds(&w->b, "<component");
			attr(w, "kind", c->kind == ST_COMP_FORM ? "form" :
			     c->kind == ST_COMP_EXERCISE ? "exercise" : "?", c->sp);
			req_attr(w, "ref", c->ref, c->sp);
			st_buf_adds(&w->b, "/>\n");
		}
		end_el(w, 3, "page");
	}
	end_el(w, 2, "module");
}

static void write_form(struct wr *w, const st_form *f)
{
	indent(w, 2);
	st_buf_adds(&w->b, "<form");
	req_attr(w, "id", f->id, f->sp);
	req_attr(w, "title", f->title, f->sp);
	attr(w, "name", f->name, f->sp);
	attr(w, "license", f->license, f->sp);
	attr(w, "file", rel(w, f->file), f->sp);
	code_attrs(w, &f->code, f->sp);
	end_start(w, 0);
	text_el(w, 3, "reference", f->reference, f->sp);
	text_el(w, 3, "instructions", f->instructions, f->sp);
	write_options(w, 3, f->options, f->noptions);

	indent(w, 3);
	st_buf_adds(&w->b, "<items>\n");
	for (size_t i = 0; i < f->nitems; i++) {
		const st_item *it = &f->items[i];
		indent(w, 4);
		st_buf_adds(&w->b, "<item");
		req_attr(w, "id", it->id, it->sp);
		attr(w, "type", st_qtype_name(it->type), it->sp);
		attr_num(w, "min", it->min, it->has_min, it->sp);
		attr_num(w, "max", it->max, it->has_max, it->sp);
		attr_bool(w, "reverse", it->reverse);
		attr_bool(w, "required", it->required);
		code_attrs(w, &it->code, it->sp);
		end_start(w, 0);
		req_text(w, 5, "text", it->text, it->sp);
		write_options(w, 5, it->options, it->noptions);
		expr_el(w, 5, "show-if", it->show_if);
		end_el(w, 4, "item");
	}
	end_el(w, 3, "items");

	if (f->nscores) {
		indent(w, 3);
		st_buf_adds(&w->b, "<scores>\n");
		for (size_t i = 0; i < f->nscores; i++) {
			const st_score *s = &f->scores[i];
			indent(w, 4);
			st_buf_adds(&w->b, "<score");
			req_attr(w, "id", s->id, s->sp);
			attr(w, "title", s->title, s->sp);
			if (s->prorate > 0)
				attr_int(w, "prorate", s->prorate);
			end_start(w, 0);
			req_expr(w, 5, "value", s->value, s->sp);
			for (size_t j = 0; j < s->nbands; j++) {
				const st_band *bd = &s->bands[j];
				indent(w, 5);
				st_buf_adds(&w->b, "<band");
				attr_num(w, "from", bd->from, 1, bd->sp);
				attr_num(w, "to", bd->to, 1, bd->sp);
				req_attr(w, "label", bd->label, bd->sp);
				attr(w, "level", bd->level, bd->sp);
				st_buf_adds(&w->b, "/>\n");
			}
			end_el(w, 4, "score");
		}
		end_el(w, 3, "scores");
	}
	if (f->nalerts) {
		indent(w, 3);
		st_buf_adds(&w->b, "<alerts>\n");
		for (size_t i = 0; i < f->nalerts; i++) {
			const st_alert *al = &f->alerts[i];
			indent(w, 4);
			st_buf_adds(&w->b, "<alert");
			req_attr(w, "id", al->id, al->sp);
			req_attr(w, "level", st_alert_level_name(al->level), al->sp);
			end_start(w, 0);
			req_expr(w, 5, "when", al->when, al->sp);
			req_text(w, 5, "message", al->message, al->sp);
			end_el(w, 4, "alert");
		}
		end_el(w, 3, "alerts");
	}
	end_el(w, 2, "form");
}

static void write_exercise(struct wr *w, const st_exercise *e)
{
	indent(w, 2);
	st_buf_adds(&w->b, "<exercise");
	attr(w, "id", e->id, e->sp);
	req_attr(w, "title", e->title, e->sp);
	attr(w, "file", rel(w, e->file), e->sp);
	attr_bool(w, "repeat", e->repeat);
	attr_bool(w, "inline", e->is_inline);
	end_start(w, 0);
	text_el(w, 3, "instructions", e->instructions, e->sp);
	for (size_t i = 0; i < e->nfields; i++) {
		const st_field *f = &e->fields[i];
		indent(w, 3);
		st_buf_adds(&w->b, "<field");
		req_attr(w, "id", f->id, f->sp);
		req_attr(w, "type", st_qtype_name(f->type), f->sp);
		req_attr(w, "label", f->label, f->sp);
		attr_num(w, "min", f->min, f->has_min, f->sp);
		attr_num(w, "max", f->max, f->has_max, f->sp);
		attr_num(w, "step", f->step, f->has_step, f->sp);
		attr(w, "unit", f->unit, f->sp);
		attr_bool(w, "required", f->required);
		int empty = !f->noptions &&
		            !(f->show_if && f->show_if->src && *f->show_if->src);
		end_start(w, empty);
		if (empty)
			continue;
		write_options(w, 4, f->options, f->noptions);
		expr_el(w, 4, "show-if", f->show_if);
		end_el(w, 3, "field");
	}
	for (size_t i = 0; i < e->ncomputed; i++) {
		const st_computed *c = &e->computed[i];
		indent(w, 3);
		st_buf_adds(&w->b, "<computed");
		req_attr(w, "id", c->id, c->sp);
		attr(w, "label", c->label, c->sp);
		attr(w, "unit", c->unit, c->sp);
		end_start(w, 0);
		req_expr(w, 4, "value", c->value, c->sp);
		end_el(w, 3, "computed");
	}
	end_el(w, 2, "exercise");
}

static const char *media_kind_name(st_media_kind k)
{
	switch (k) {
	case ST_MEDIA_IMAGE: return "image";
	case ST_MEDIA_AUDIO: return "audio";
	case ST_MEDIA_VIDEO: return "video";
	case ST_MEDIA_CAPTION: return "caption";
	default: return "other";
	}
}

/* ---- what the schema's identity constraints require ----------------------
 *
 * program.xsd says which ids are unique and that assessments name forms
 * that exist.  The loaders check most of this at the source already; what
 * slips through (an inline exercise in one module with the id of one in
 * another) is reported here, with a note at the first, so that it never
 * surfaces as the bundle writer's internal error. */

struct uniq {
	st_arena *a;
	st_strmap *m;
	st_span *sp;
	size_t n, cap;
	const char *what;
};

static void uniq_init(struct uniq *u, st_arena *a, const char *what)
{
	memset(u, 0, sizeof *u);
	u->a = a;
	u->m = st_strmap_new(a);
	u->what = what;
}

static int uniq_add(struct uniq *u, st_diags *d, const char *id, st_span sp)
{
	if (!id || !*id)
		return 0;
	size_t old = 0;
	if (st_strmap_put(u->m, id, u->n, &old) == 1) {
		st_diag(d, ST_ERROR, "duplicate-id", sp, "duplicate %s '%s'",
		        u->what, id);
		st_diag_note(d, u->sp[old], "first defined here");
		return 1;
	}
	ST_PUSH(u->a, u->sp, u->n, u->cap, sp);
	return 0;
}

static int check_unique(st_diags *d, const st_program *p)
{
	st_arena *a = st_arena_new();
	int errors = 0;
	struct uniq mods, pages, forms, exs, msgs, media;
	uniq_init(&mods, a, "module id");
	uniq_init(&pages, a, "page path");
	uniq_init(&forms, a, "form id");
	uniq_init(&exs, a, "exercise id");
	uniq_init(&msgs, a, "message id");
	uniq_init(&media, a, "media path");
	for (size_t i = 0; i < p->nmodules; i++) {
		const st_module *m = &p->modules[i];
		errors += uniq_add(&mods, d, m->id, m->sp);
		for (size_t j = 0; j < m->npages; j++)
			errors += uniq_add(&pages, d, m->pages[j].path,
			                   m->pages[j].sp);
	}
	for (size_t i = 0; i < p->nforms; i++) {
		const st_form *f = &p->forms[i];
		errors += uniq_add(&forms, d, f->id, f->sp);
		struct uniq names, alerts;
		uniq_init(&names, a, "item or score id");
		uniq_init(&alerts, a, "alert id");
		for (size_t j = 0; j < f->nitems; j++)
			errors += uniq_add(&names, d, f->items[j].id,
			                   f->items[j].sp);
		for (size_t j = 0; j < f->nscores; j++)
			errors += uniq_add(&names, d, f->scores[j].id,
			                   f->scores[j].sp);
		for (size_t j = 0; j < f->nalerts; j++)
			errors += uniq_add(&alerts, d, f->alerts[j].id,
			                   f->alerts[j].sp);
	}
	for (size_t i = 0; i < p->nexercises; i++) {
		const st_exercise *e = &p->exercises[i];
		errors += uniq_add(&exs, d, e->id, e->sp);
		struct uniq names;
		uniq_init(&names, a, "field id");
		for (size_t j = 0; j < e->nfields; j++)
			errors += uniq_add(&names, d, e->fields[j].id,
			                   e->fields[j].sp);
		for (size_t j = 0; j < e->ncomputed; j++)
			errors += uniq_add(&names, d, e->computed[j].id,
			                   e->computed[j].sp);
	}
	for (size_t i = 0; i < p->nmessages; i++)
		errors += uniq_add(&msgs, d, p->messages[i].id,
		                   p->messages[i].sp);
	for (size_t i = 0; i < p->nmedia; i++)
		errors += uniq_add(&media, d, p->media[i].path, p->media[i].sp);
	for (size_t i = 0; i < p->nassessments; i++) {
		const st_assessment *as = &p->assessments[i];
		if (as->form && !st_strmap_get(forms.m, as->form, NULL)) {
			st_diag(d, ST_ERROR, "unknown-form", as->sp,
			        "assessment of unknown form '%s'", as->form);
			errors++;
		}
	}
	st_arena_free(a);
	return errors;
}

int st_progxml_check_unique(st_diags *d, const st_program *p)
{
	return check_unique(d, p) ? ST_ERR : ST_OK;
}

int st_progxml_write(st_diags *d, const st_program *p, char **xml,
                     size_t *len)
{
	int r = st_progxml_write_doc(d, p, xml, len);
	if (st_progxml_check_unique(d, p) != ST_OK)
		r = ST_ERR;
	return r;
}

int st_progxml_write_doc(st_diags *d, const st_program *p, char **xml,
                         size_t *len)
{
	struct wr w;
	memset(&w, 0, sizeof w);
	st_buf_init(&w.b);
	w.d = d;
	if (p->dir) {
		w.dir = p->dir;
		w.dirlen = strlen(p->dir);
		while (w.dirlen > 1 && w.dir[w.dirlen - 1] == '/')
			w.dirlen--;
		if (w.dirlen == 1 && w.dir[0] == '.')
			w.dirlen = 0;
	}

	st_buf_adds(&w.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	st_buf_printf(&w.b, "<program xmlns=\"%s\" format=\"%d\"", NS, FORMAT);
	attr_int(&w, "steg", p->steg);
	req_attr(&w, "id", p->id, p->sp);
	req_attr(&w, "version", p->version, p->sp);
	req_attr(&w, "title", p->title, p->sp);
	req_attr(&w, "language", p->language, p->sp);
	req_attr(&w, "kind", st_program_kind_name(p->kind), p->sp);
	req_attr(&w, "start", st_start_mode_name(p->start), p->sp);
	if (p->duration_weeks > 0)
		attr_int(&w, "duration-weeks", p->duration_weeks);
	if (p->retention_days > 0)
		attr_int(&w, "retention-days", p->retention_days);
	req_attr(&w, "compiler", p->compiler ? p->compiler : "stegc " STEG_VERSION,
	     p->sp);
	st_buf_adds(&w.b, ">\n");

	req_text(&w, 1, "summary", p->summary, p->sp);
	indent(&w, 1);
	st_buf_adds(&w.b, "<producer");
	req_attr(&w, "id", p->producer_id, p->sp);
	req_attr(&w, "name", p->producer_name, p->sp);
	st_buf_adds(&w.b, "/>\n");
	text_el(&w, 1, "audience", p->audience, p->sp);
	for (size_t i = 0; i < p->nconditions; i++)
		req_text(&w, 1, "condition", p->conditions[i], p->sp);

	indent(&w, 1);
	if (!p->nmodules) {
		st_buf_adds(&w.b, "<modules/>\n");
	} else {
		st_buf_adds(&w.b, "<modules>\n");
		for (size_t i = 0; i < p->nmodules; i++)
			write_module(&w, &p->modules[i]);
		end_el(&w, 1, "modules");
	}
	if (p->nforms) {
		indent(&w, 1);
		st_buf_adds(&w.b, "<forms>\n");
		for (size_t i = 0; i < p->nforms; i++)
			write_form(&w, &p->forms[i]);
		end_el(&w, 1, "forms");
	}
	if (p->nexercises) {
		indent(&w, 1);
		st_buf_adds(&w.b, "<exercises>\n");
		for (size_t i = 0; i < p->nexercises; i++)
			write_exercise(&w, &p->exercises[i]);
		end_el(&w, 1, "exercises");
	}
	if (p->nassessments) {
		indent(&w, 1);
		st_buf_adds(&w.b, "<assessments>\n");
		for (size_t i = 0; i < p->nassessments; i++) {
			const st_assessment *as = &p->assessments[i];
			indent(&w, 2);
			st_buf_adds(&w.b, "<assessment");
			req_attr(&w, "form", as->form, as->sp);
			end_start(&w, 0);
			for (size_t j = 0; j < as->nat; j++)
				req_text(&w, 3, "at", as->at[j], as->sp);
			end_el(&w, 2, "assessment");
		}
		end_el(&w, 1, "assessments");
	}
	if (p->nmessages) {
		indent(&w, 1);
		st_buf_adds(&w.b, "<messages>\n");
		for (size_t i = 0; i < p->nmessages; i++) {
			const st_message *m = &p->messages[i];
			indent(&w, 2);
			st_buf_adds(&w.b, "<message");
			req_attr(&w, "id", m->id, m->sp);
			attr(&w, "when", m->when_kw, m->sp);
			end_start(&w, 0);
			if (!m->when_kw)
				req_expr(&w, 3, "when", m->when, m->sp);
			req_text(&w, 3, "text", m->text, m->sp);
			end_el(&w, 2, "message");
		}
		end_el(&w, 1, "messages");
	}
	if (p->nmedia) {
		indent(&w, 1);
		st_buf_adds(&w.b, "<media>\n");
		for (size_t i = 0; i < p->nmedia; i++) {
			const st_media *m = &p->media[i];
			indent(&w, 2);
			st_buf_adds(&w.b, "<file");
			req_attr(&w, "path", m->path, m->sp);
			attr(&w, "kind", media_kind_name(m->kind), m->sp);
			if (m->sha256[0]) {
				attr_int(&w, "size", m->size);
				attr(&w, "sha256", m->sha256, m->sp);
			}
			st_buf_adds(&w.b, "/>\n");
		}
		end_el(&w, 1, "media");
	}
	st_buf_adds(&w.b, "</program>\n");

	*xml = st_buf_detach(&w.b, len);
	return w.errors ? ST_ERR : ST_OK;
}

/* ==== reading ============================================================ */

struct rd {
	st_arena *a;
	st_diags *d;
	const char *file;        /* arena copy: spans outlive the caller's */
	int errors;
};

static st_span span_of(const struct rd *r, const xmlNode *n)
{
	st_span sp = { r->file, st_xml_line(n), 0, 0, 0 };
	return sp;
}

/* A typed attribute that the schema accepted but we cannot convert. */
static void bad_attr(struct rd *r, const xmlNode *n, const char *name)
{
	st_diag(r->d, ST_ERROR, "xml-schema", span_of(r, n),
	        "element '%s': attribute '%s' is not a valid value",
	        (const char *)n->name, name);
	r->errors++;
}

static const char *get_attr(struct rd *r, const xmlNode *n, const char *name)
{
	return st_xml_attr(r->a, n, name);
}

/* A word of v (core/vocab.h) as its enum value; 0 when absent. */
static int word_attr(struct rd *r, const xmlNode *n, const char *name,
                     const st_vocab *v)
{
	const char *w = get_attr(r, n, name);
	int k = st_vocab_value(v, w);
	if (w && !k)
		bad_attr(r, n, name);
	return k;
}

static int get_num(struct rd *r, const xmlNode *n, const char *name,
                   double *out)
{
	int k = st_xml_attr_num(n, name, out);
	if (k < 0) {
		bad_attr(r, n, name);
		return 0;
	}
	return k;
}

static int get_int(struct rd *r, const xmlNode *n, const char *name,
                   long long lo, long long hi, long long *out)
{
	int k = st_xml_attr_ll(n, name, out);
	if (k < 0 || (k > 0 && (*out < lo || *out > hi))) {
		bad_attr(r, n, name);
		*out = 0;
		return 0;
	}
	return k;
}

static int get_bool(struct rd *r, const xmlNode *n, const char *name)
{
	int v = 0;
	if (st_xml_attr_bool(n, name, &v) < 0)
		bad_attr(r, n, name);
	return v;
}

static const char *child_text(struct rd *r, const xmlNode *n,
                              const char *name)
{
	xmlNodePtr c = st_xml_first(n, name);
	return c ? st_xml_text(r->a, c) : NULL;
}

static st_expr *child_expr(struct rd *r, const xmlNode *n, const char *name)
{
	xmlNodePtr c = st_xml_first(n, name);
	if (!c)
		return NULL;
	st_expr *e = st_alloc(r->a, sizeof *e);
	e->src = st_xml_text(r->a, c);
	e->sp = span_of(r, c);
	return e;
}

/* An array of n elements of size sz in the arena, NULL when n is 0. */
static void *array(struct rd *r, size_t n, size_t sz)
{
	return n ? st_alloc(r->a, n * sz) : NULL;
}

/* The children of parent named el, each read into an element of a new
 * array by reader(r, element, node); n counts them.  parent may be NULL
 * (a list element that is not there): none. */
#define READ_CHILDREN(r, parent, el, arr, n, reader) do {                      \
		const xmlNode *parent_ = (parent);                              \
		(n) = st_xml_count(parent_, (el));                              \
		(arr) = array((r), (n), sizeof *(arr));                         \
		size_t i_ = 0;                                                  \
		for (xmlNodePtr c_ = st_xml_first(parent_, (el)); c_;           \
		     c_ = st_xml_next(c_, (el)), i_++)                          \
			reader((r), &(arr)[i_], c_);                            \
	} while (0)

static void read_code(struct rd *r, const xmlNode *n, st_code *c)
{
	c->system = get_attr(r, n, "system");
	c->code = get_attr(r, n, "code");
	if (!c->system || !c->code)
		c->system = c->code = NULL;
}

static void read_option(struct rd *r, st_option *o, const xmlNode *c)
{
	get_num(r, c, "value", &o->value);
	o->has_score = get_num(r, c, "score", &o->score);
	o->label = get_attr(r, c, "label");
	read_code(r, c, &o->code);
	o->sp = span_of(r, c);
}

static st_option *read_options(struct rd *r, const xmlNode *parent,
                               size_t *n)
{
	st_option *o;
	READ_CHILDREN(r, st_xml_first(parent, "options"), "option", o, *n,
	              read_option);
	return o;
}

static void read_component(struct rd *r, st_component *c, const xmlNode *cn)
{
	c->sp = span_of(r, cn);
	const char *kind = get_attr(r, cn, "kind");
	c->kind = kind && !strcmp(kind, "form") ? ST_COMP_FORM : ST_COMP_EXERCISE;
	c->ref = get_attr(r, cn, "ref");
}

static void read_page(struct rd *r, st_page *pg, const xmlNode *pn)
{
	pg->sp = span_of(r, pn);
	pg->title = get_attr(r, pn, "title");
	pg->path = get_attr(r, pn, "path");
	READ_CHILDREN(r, pn, "component", pg->components, pg->ncomponents,
	              read_component);
}

static void read_module(struct rd *r, st_module *m, const xmlNode *n)
{
	m->sp = span_of(r, n);
	m->id = get_attr(r, n, "id");
	m->title = get_attr(r, n, "title");
	m->file = get_attr(r, n, "file");
	if (m->file) {
		const char *slash = strrchr(m->file, '/');
		m->file_name = slash ? slash + 1 : m->file;
	}
	long long v = 0;
	if (get_int(r, n, "minutes", 0, 1000000, &v))
		m->minutes = (int)v;
	m->unlock = child_expr(r, n, "unlock");
	READ_CHILDREN(r, n, "page", m->pages, m->npages, read_page);
}

static void read_item(struct rd *r, st_item *it, const xmlNode *c)
{
	it->sp = span_of(r, c);
	it->id = get_attr(r, c, "id");
	it->type = word_attr(r, c, "type", &st_item_types);
	it->has_min = get_num(r, c, "min", &it->min);
	it->has_max = get_num(r, c, "max", &it->max);
	it->reverse = get_bool(r, c, "reverse");
	it->required = get_bool(r, c, "required");
	read_code(r, c, &it->code);
	it->text = child_text(r, c, "text");
	it->options = read_options(r, c, &it->noptions);
	it->show_if = child_expr(r, c, "show-if");
}

static void read_band(struct rd *r, st_band *b, const xmlNode *bn)
{
	b->sp = span_of(r, bn);
	get_num(r, bn, "from", &b->from);
	get_num(r, bn, "to", &b->to);
	b->label = get_attr(r, bn, "label");
	b->level = get_attr(r, bn, "level");
}

static void read_score(struct rd *r, st_score *s, const xmlNode *c)
{
	s->sp = span_of(r, c);
	s->id = get_attr(r, c, "id");
	s->title = get_attr(r, c, "title");
	long long pr = 0;
	if (get_int(r, c, "prorate", 1, 1000000, &pr)) {
		s->prorate = (int)pr;
		s->prorate_sp = s->sp;
	}
	s->value = child_expr(r, c, "value");
	READ_CHILDREN(r, c, "band", s->bands, s->nbands, read_band);
}

static void read_alert(struct rd *r, st_alert *al, const xmlNode *c)
{
	al->sp = span_of(r, c);
	al->id = get_attr(r, c, "id");
	al->level = word_attr(r, c, "level", &st_alert_levels);
	al->when = child_expr(r, c, "when");
	al->message = child_text(r, c, "message");
}

static void read_form(struct rd *r, st_form *f, const xmlNode *n)
{
	f->sp = span_of(r, n);
	f->id = get_attr(r, n, "id");
	f->title = get_attr(r, n, "title");
	f->name = get_attr(r, n, "name");
	f->license = get_attr(r, n, "license");
	f->file = get_attr(r, n, "file");
	read_code(r, n, &f->code);
	f->reference = child_text(r, n, "reference");
	f->instructions = child_text(r, n, "instructions");
	f->options = read_options(r, n, &f->noptions);
	READ_CHILDREN(r, st_xml_first(n, "items"), "item", f->items, f->nitems,
	              read_item);
	READ_CHILDREN(r, st_xml_first(n, "scores"), "score", f->scores, f->nscores,
	              read_score);
	READ_CHILDREN(r, st_xml_first(n, "alerts"), "alert", f->alerts, f->nalerts,
	              read_alert);
}

static void read_field(struct rd *r, st_field *f, const xmlNode *c)
{
	f->sp = span_of(r, c);
	f->id = get_attr(r, c, "id");
	f->type = word_attr(r, c, "type", &st_field_types);
	f->label = get_attr(r, c, "label");
	f->has_min = get_num(r, c, "min", &f->min);
	f->has_max = get_num(r, c, "max", &f->max);
	f->has_step = get_num(r, c, "step", &f->step);
	f->unit = get_attr(r, c, "unit");
	f->required = get_bool(r, c, "required");
	f->options = read_options(r, c, &f->noptions);
	f->show_if = child_expr(r, c, "show-if");
}

static void read_computed(struct rd *r, st_computed *cp, const xmlNode *c)
{
	cp->sp = span_of(r, c);
	cp->id = get_attr(r, c, "id");
	cp->label = get_attr(r, c, "label");
	cp->unit = get_attr(r, c, "unit");
	cp->value = child_expr(r, c, "value");
}

static void read_exercise(struct rd *r, st_exercise *e, const xmlNode *n)
{
	e->sp = span_of(r, n);
	e->id = get_attr(r, n, "id");
	e->title = get_attr(r, n, "title");
	e->file = get_attr(r, n, "file");
	e->repeat = get_bool(r, n, "repeat");
	e->is_inline = get_bool(r, n, "inline");
	e->instructions = child_text(r, n, "instructions");
	READ_CHILDREN(r, n, "field", e->fields, e->nfields, read_field);
	READ_CHILDREN(r, n, "computed", e->computed, e->ncomputed, read_computed);
}

static st_media_kind media_kind(const char *s)
{
	if (!s)
		return ST_MEDIA_OTHER;
	if (!strcmp(s, "image")) return ST_MEDIA_IMAGE;
	if (!strcmp(s, "audio")) return ST_MEDIA_AUDIO;
	if (!strcmp(s, "video")) return ST_MEDIA_VIDEO;
	if (!strcmp(s, "caption")) return ST_MEDIA_CAPTION;
	return ST_MEDIA_OTHER;
}

/* The texts of n's children named name, in order; *count of them. */
static const char **child_texts(struct rd *r, const xmlNode *n, const char *name,
                                size_t *count)
{
	*count = st_xml_count(n, name);
	const char **t = array(r, *count, sizeof *t);
	size_t i = 0;
	for (xmlNodePtr c = st_xml_first(n, name); c; c = st_xml_next(c, name), i++)
		t[i] = st_xml_text(r->a, c);
	return t;
}

/* The program's own attributes and texts: the root element's. */
static void read_head(struct rd *r, st_program *p, xmlNodePtr root)
{
	p->sp = span_of(r, root);
	long long v = 0;
	if (get_int(r, root, "steg", 1, 1000000, &v))
		p->steg = (int)v;
	p->id = get_attr(r, root, "id");
	p->version = get_attr(r, root, "version");
	p->title = get_attr(r, root, "title");
	p->language = get_attr(r, root, "language");
	p->kind = word_attr(r, root, "kind", &st_program_kinds);
	p->start = word_attr(r, root, "start", &st_start_modes);
	if (get_int(r, root, "duration-weeks", 0, 1000000, &v))
		p->duration_weeks = (int)v;
	if (get_int(r, root, "retention-days", 0, 100000000, &v))
		p->retention_days = (int)v;
	p->compiler = get_attr(r, root, "compiler");
	p->summary = child_text(r, root, "summary");
	xmlNodePtr prod = st_xml_first(root, "producer");
	p->producer_id = get_attr(r, prod, "id");
	p->producer_name = get_attr(r, prod, "name");
	p->audience = child_text(r, root, "audience");
	p->conditions = child_texts(r, root, "condition", &p->nconditions);
}

static void read_assessment(struct rd *r, st_assessment *as, const xmlNode *c)
{
	as->sp = span_of(r, c);
	as->form = get_attr(r, c, "form");
	as->at = child_texts(r, c, "at", &as->nat);
}

static void read_message(struct rd *r, st_message *m, const xmlNode *c)
{
	m->sp = span_of(r, c);
	m->id = get_attr(r, c, "id");
	m->when_kw = get_attr(r, c, "when");
	if (!m->when_kw)
		m->when = child_expr(r, c, "when");
	m->text = child_text(r, c, "text");
}

static void read_media(struct rd *r, st_media *m, const xmlNode *c)
{
	m->sp = (st_span){ r->file, 0, 0, 0, 0 };
	m->path = get_attr(r, c, "path");
	m->kind = media_kind(get_attr(r, c, "kind"));
	const char *h = get_attr(r, c, "sha256");
	if (h && strlen(h) == 64) {
		memcpy(m->sha256, h, 65);
		get_int(r, c, "size", 0, (long long)1 << 50, &m->size);
	} else if (h) {
		bad_attr(r, c, "sha256");
	}
}

int st_progxml_read(st_program **out, st_arena *a, st_diags *d,
                    const char *file, const char *xml, size_t len)
{
	*out = NULL;
	xmlDocPtr doc = st_xml_load(d, file, xml, len, "program.xsd");
	if (!doc)
		return ST_ERR;
	struct rd r = { a, d, st_strdup(a, file ? file : "program.xml"), 0 };
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!st_xml_is(root, "program") || !root->ns ||
	    strcmp((const char *)root->ns->href, NS)) {
		/* The schema has already said so; this guards the walk. */
		st_diag(d, ST_ERROR, "xml-schema", span_of(&r, root),
		        "the root element is not a program of '%s'", NS);
		xmlFreeDoc(doc);
		return ST_ERR;
	}
	st_program *p = st_alloc(a, sizeof *p);
	read_head(&r, p, root);
	READ_CHILDREN(&r, st_xml_first(root, "modules"), "module",
	              p->modules, p->nmodules, read_module);
	READ_CHILDREN(&r, st_xml_first(root, "forms"), "form",
	              p->forms, p->nforms, read_form);
	READ_CHILDREN(&r, st_xml_first(root, "exercises"), "exercise",
	              p->exercises, p->nexercises, read_exercise);
	READ_CHILDREN(&r, st_xml_first(root, "assessments"), "assessment",
	              p->assessments, p->nassessments, read_assessment);
	READ_CHILDREN(&r, st_xml_first(root, "messages"), "message",
	              p->messages, p->nmessages, read_message);
	READ_CHILDREN(&r, st_xml_first(root, "media"), "file",
	              p->media, p->nmedia, read_media);
	xmlFreeDoc(doc);
	if (r.errors)
		return ST_ERR;
	*out = p;
	return ST_OK;
}
