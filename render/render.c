/*
 * render.c — the document around every page, the start page and the
 * pages of modules (render.h).  A page's XHTML is parsed again with the
 * hardened reader (core/xmlsafe.h) and written out element by element:
 * links to media and to other modules are made absolute under the view's
 * base, and each component block becomes a working exercise or form
 * (fields.c).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "render_int.h"
#include "vocab.h"
#include "xmlsafe.h"

void sr_text(st_buf *b, const char *s)
{
	st_xml_add_text(b, s ? s : "");
}

void sr_attr(st_buf *b, const char *name, const char *v)
{
	st_buf_addc(b, ' ');
	st_buf_adds(b, name);
	st_buf_adds(b, "=\"");
	st_xml_add_attr(b, v ? v : "");
	st_buf_addc(b, '"');
}

void sr_url(st_buf *b, const sr_view *v, const char *name, ...)
{
	va_list ap;
	st_buf_addc(b, ' ');
	st_buf_adds(b, name);
	st_buf_adds(b, "=\"");
	st_xml_add_attr(b, sr_base(v));
	va_start(ap, name);
	for (const char *s; (s = va_arg(ap, const char *));)
		st_xml_add_attr(b, s);
	va_end(ap);
	st_buf_addc(b, '"');
}

const char *sr_word_of(const sr_view *v, sr_word w)
{
	return sr_w(sr_words_for(v->p ? v->p->language : NULL), w);
}

const char *sr_base(const sr_view *v)
{
	return v->base ? v->base : "";
}

void sr_num(st_buf *b, double x)
{
	if (isinf(x)) {
		st_buf_adds(b, x < 0 ? "−∞" : "∞");
		return;
	}
	if (st_xml_add_num(b, x) != ST_OK)
		st_buf_adds(b, "?");
}

void sr_open(st_buf *b, const sr_view *v, const char *title,
             const char *body_class)
{
	const st_program *p = v->p;
	st_buf_adds(b, "<!DOCTYPE html>\n<html");
	sr_attr(b, "lang", p && p->language ? p->language : "sv");
	st_buf_adds(b, "><head><meta charset=\"utf-8\"/>"
	            "<meta name=\"viewport\" content=\"width=device-width, "
	            "initial-scale=1\"/><title>");
	if (title) {
		sr_text(b, title);
		st_buf_adds(b, " – ");
	}
	sr_text(b, p && p->title ? p->title : "Steg");
	st_buf_adds(b, "</title><link rel=\"stylesheet\"");
	sr_url(b, v, "href", "/assets/steg.css", NULL);
	st_buf_adds(b, "/><script defer=\"defer\"");
	sr_url(b, v, "src", "/assets/preview.js", NULL);
	st_buf_adds(b, "></script>");
	if (v->script) {
		st_buf_adds(b, "<script defer=\"defer\"");
		sr_attr(b, "src", v->script);
		st_buf_adds(b, "></script>");
	}
	st_buf_adds(b, "</head><body");
	if (body_class)
		sr_attr(b, "class", body_class);
	sr_url(b, v, "data-base", NULL);
	st_buf_adds(b, "><a class=\"skip\" href=\"#main\">");
	sr_text(b, sr_word_of(v, SR_W_SKIP));
	st_buf_adds(b, "</a>");
	if (v->banner) {
		st_buf_adds(b, "<p class=\"banner\" role=\"note\">");
		sr_text(b, v->banner);
		st_buf_adds(b, "</p>");
	}
	st_buf_adds(b, "<header class=\"site\"><a class=\"home\"");
	sr_url(b, v, "href", "/", NULL);
	st_buf_addc(b, '>');
	sr_text(b, p && p->title ? p->title : "Steg");
	st_buf_adds(b, "</a>");
	if (v->panel) {
		st_buf_adds(b, " <a class=\"panel-link\"");
		sr_attr(b, "href", v->panel);
		st_buf_addc(b, '>');
		sr_text(b, sr_word_of(v, SR_W_PANEL));
		st_buf_adds(b, "</a>");
	}
	st_buf_adds(b, "</header><main id=\"main\">");
}

void sr_close(st_buf *b, const sr_view *v)
{
	(void)v;
	st_buf_adds(b, "</main></body></html>\n");
}

/* ---- the start page ---------------------------------------------------- */

static st_value no_name(void *ctx, int ref, size_t index, const void *target)
{
	(void)ctx; (void)ref; (void)index; (void)target;
	st_value v = { ST_TYPE_NUMBER, 1, 0, NULL, 0 };
	return v;
}

static st_value fresh(void *ctx, int fn, size_t module_index)
{
	(void)ctx; (void)module_index;
	st_value v = { fn == ST_FN_DAYS_SINCE ? ST_TYPE_NUMBER : ST_TYPE_BOOL,
	               0, 0, NULL, 0 };
	/* days_since a module not completed is missing; since the start 0 */
	if (fn == ST_FN_DAYS_SINCE && module_index != ST_MODULE_START)
		v.missing = 1;
	return v;
}

static st_value module_state(const sr_view *v, int fn, size_t i)
{
	return v->module ? v->module(v->ctx, fn, i) : fresh(NULL, fn, i);
}

int sr_module_open(const sr_view *v, size_t i)
{
	const st_program *p = v->p;
	if (i >= p->nmodules)
		return 0;
	const st_expr *u = p->modules[i].unlock;
	if (u && u->ast) {
		st_eval_env env = { v->ctx, no_name,
		                    v->module ? v->module : fresh };
		return st_value_true(st_expr_eval(u->ast, &env));
	}
	if (i == 0)
		return 1;
	return st_value_true(module_state(v, ST_FN_COMPLETED, i - 1));
}

/* The module a completed(), reviewed() or days_since() argument names,
 * by its title; NULL for start or an argument not resolved. */
static const char *rule_module(const sr_view *v, const st_ast *arg)
{
	if (arg->ref != ST_NAME_MODULE || arg->index >= v->p->nmodules)
		return NULL;
	const st_module *m = &v->p->modules[arg->index];
	return m->title ? m->title : m->id;
}

/* days_since(X) >= N (or > N-1) as "N dagar efter ..."; 0 when the
 * comparison is of another shape. */
static int rule_days(st_buf *b, const sr_view *v, const st_ast *a)
{
	const st_ast *call = a->args[0], *n = a->args[1];
	if (call->kind != ST_AST_CALL || call->op != ST_FN_DAYS_SINCE ||
	    call->nargs != 1 || n->kind != ST_AST_NUM ||
	    (a->op != ST_OP_GE && a->op != ST_OP_GT))
		return 0;
	double d = n->num + (a->op == ST_OP_GT);
	if (d != (double)(long)d || d < 1 || d > 100000)
		return 0;
	long days = (long)d;
	if (call->args[0]->ref == ST_NAME_START) {
		if (days == 1)
			st_buf_adds(b, sr_word_of(v, SR_W_RULE_DAY_START));
		else
			st_buf_printf(b, sr_word_of(v, SR_W_RULE_DAYS_START), days);
		return 1;
	}
	const char *m = rule_module(v, call->args[0]);
	if (!m)
		return 0;
	if (days == 1)
		st_buf_printf(b, sr_word_of(v, SR_W_RULE_DAY_MODULE), m);
	else
		st_buf_printf(b, sr_word_of(v, SR_W_RULE_DAYS_MODULE), days, m);
	return 1;
}

/* An unlock rule in the words of the table (words.h): completed(),
 * reviewed(), days_since() >= N, joined by and / or.  0 when some part
 * has no words (the caller shows the expression). */
static int rule_words(st_buf *b, const sr_view *v, const st_ast *a, int depth)
{
	if (!a || depth > 8)
		return 0;
	if (a->kind == ST_AST_CALL && a->nargs == 1 &&
	    (a->op == ST_FN_COMPLETED || a->op == ST_FN_REVIEWED)) {
		const char *m = rule_module(v, a->args[0]);
		if (!m)
			return 0;
		st_buf_printf(b, sr_word_of(v, a->op == ST_FN_COMPLETED
		              ? SR_W_RULE_COMPLETED : SR_W_RULE_REVIEWED), m);
		return 1;
	}
	if (a->kind != ST_AST_BIN || a->nargs != 2)
		return 0;
	if (a->op != ST_OP_AND && a->op != ST_OP_OR)
		return rule_days(b, v, a);
	/* "a och b eller c" would not say which binds first: and within or
	 * (or the other way) keeps the expression */
	for (size_t k = 0; k < 2; k++)
		if (a->args[k]->kind == ST_AST_BIN && a->args[k]->op != a->op &&
		    (a->args[k]->op == ST_OP_AND || a->args[k]->op == ST_OP_OR))
			return 0;
	st_buf l, r;
	st_buf_init(&l);
	st_buf_init(&r);
	int ok = rule_words(&l, v, a->args[0], depth + 1) &&
	         rule_words(&r, v, a->args[1], depth + 1);
	if (ok)
		st_buf_printf(b, sr_word_of(v, a->op == ST_OP_AND ? SR_W_RULE_AND
		                                                 : SR_W_RULE_OR),
		              l.data, r.data);
	st_buf_release(&l);
	st_buf_release(&r);
	return ok;
}

static void module_item(st_buf *b, const sr_view *v, size_t i)
{
	const st_module *m = &v->p->modules[i];
	int done = st_value_true(module_state(v, ST_FN_COMPLETED, i));
	int open = sr_module_open(v, i);
	const char *cls = done ? "module completed" : open ? "module open"
	                                                   : "module locked";
	st_buf_adds(b, "<li");
	sr_attr(b, "class", cls);
	sr_attr(b, "data-module", m->id);
	st_buf_adds(b, "><a");
	sr_url(b, v, "href", "/m/", m->id, "/", NULL);
	st_buf_addc(b, '>');
	sr_text(b, m->title ? m->title : m->id);
	st_buf_adds(b, "</a> <span class=\"state\">");
	sr_text(b, sr_word_of(v, done ? SR_W_COMPLETED : open ? SR_W_OPEN
	                                                      : SR_W_LOCKED));
	st_buf_adds(b, "</span>");
	if (m->minutes > 0) {
		st_buf_adds(b, " <span class=\"minutes\">");
		st_buf_printf(b, sr_word_of(v, SR_W_MINUTES), m->minutes);
		st_buf_adds(b, "</span>");
	}
	if (!open && !done) {
		st_buf_adds(b, "<span class=\"why\">");
		if (m->unlock && m->unlock->src) {
			st_buf sub, words;
			st_buf_init(&sub);
			st_buf_init(&words);
			if (rule_words(&words, v, m->unlock->ast, 0))
				st_buf_printf(&sub, sr_word_of(v, SR_W_OPENS),
				              words.data);
			else
				st_buf_printf(&sub, sr_word_of(v, SR_W_OPENS_WHEN),
				              m->unlock->src);
			st_buf_release(&words);
			sr_text(b, sub.data);
			st_buf_release(&sub);
		} else {
			sr_text(b, sr_word_of(v, SR_W_OPENS_AFTER_PREV));
		}
		st_buf_adds(b, "</span>");
	}
	st_buf_adds(b, "</li>");
}

void sr_at_words(st_buf *b, const sr_view *v, const char *at)
{
	if (!strcmp(at, "start"))
		st_buf_adds(b, sr_word_of(v, SR_W_AT_START));
	else if (!strcmp(at, "weekly"))
		st_buf_adds(b, sr_word_of(v, SR_W_AT_WEEKLY));
	else if (!strcmp(at, "end"))
		st_buf_adds(b, sr_word_of(v, SR_W_AT_END));
	else if (!strncmp(at, "module:", 7))
		st_buf_printf(b, sr_word_of(v, SR_W_AT_MODULE), at + 7);
	else
		st_buf_adds(b, at);
}

static void assessment_times(st_buf *b, const sr_view *v, const st_form *f)
{
	const st_program *p = v->p;
	st_buf at;
	st_buf_init(&at);
	for (size_t i = 0; i < p->nassessments; i++) {
		const st_assessment *as = &p->assessments[i];
		if (!as->form || strcmp(as->form, f->id))
			continue;
		for (size_t k = 0; k < as->nat; k++) {
			if (at.len)
				st_buf_adds(&at, ", ");
			sr_at_words(&at, v, as->at[k]);
		}
	}
	if (at.len) {
		st_buf line;
		st_buf_init(&line);
		st_buf_printf(&line, sr_word_of(v, SR_W_ASSESSMENT_AT), at.data);
		st_buf_adds(b, " <span class=\"when\">");
		sr_text(b, line.data);
		st_buf_adds(b, "</span>");
		st_buf_release(&line);
	}
	st_buf_release(&at);
}

int sr_start_page(st_buf *out, const sr_view *v)
{
	const st_program *p = v->p;
	sr_open(out, v, NULL, "start");
	st_buf_adds(out, "<h1>");
	sr_text(out, p->title ? p->title : p->id);
	st_buf_adds(out, "</h1>");
	if (p->summary) {
		st_buf_adds(out, "<p class=\"summary\">");
		sr_text(out, p->summary);
		st_buf_adds(out, "</p>");
	}
	st_buf_adds(out, "<section aria-labelledby=\"h-modules\"><h2 "
	            "id=\"h-modules\">");
	sr_text(out, sr_word_of(v, SR_W_MODULES));
	st_buf_adds(out, "</h2><ol class=\"modules\">");
	for (size_t i = 0; i < p->nmodules; i++)
		module_item(out, v, i);
	st_buf_adds(out, "</ol></section>");
	if (p->nforms) {
		st_buf_adds(out, "<section aria-labelledby=\"h-forms\"><h2 "
		            "id=\"h-forms\">");
		sr_text(out, sr_word_of(v, SR_W_FORMS));
		st_buf_adds(out, "</h2><ul class=\"forms\">");
		for (size_t i = 0; i < p->nforms; i++) {
			const st_form *f = &p->forms[i];
			st_buf_adds(out, "<li><a");
			sr_url(out, v, "href", "/forms/", f->id, NULL);
			st_buf_addc(out, '>');
			sr_text(out, f->title ? f->title : f->id);
			st_buf_adds(out, "</a>");
			assessment_times(out, v, f);
			st_buf_adds(out, "</li>");
		}
		st_buf_adds(out, "</ul></section>");
	}
	size_t shown = 0;
	for (size_t i = 0; i < p->nexercises; i++) {
		const st_exercise *e = &p->exercises[i];
		if (!shown++) {
			st_buf_adds(out, "<section aria-labelledby=\"h-ex\"><h2 "
			            "id=\"h-ex\">");
			sr_text(out, sr_word_of(v, SR_W_EXERCISES));
			st_buf_adds(out, "</h2><ul class=\"exercises\">");
		}
		st_buf_adds(out, "<li><a");
		sr_url(out, v, "href", "/ex/", e->id, NULL);
		st_buf_addc(out, '>');
		sr_text(out, e->title ? e->title : e->id);
		st_buf_adds(out, "</a></li>");
	}
	if (shown)
		st_buf_adds(out, "</ul></section>");
	sr_close(out, v);
	return ST_OK;
}

/* ---- the pages of a module ---------------------------------------------- */

/* HTML elements without content, written <x/>; every other element gets
 * its end tag even when empty. */
static int is_void(const char *name)
{
	static const char *const v[] = { "img", "br", "hr", "track", "source",
	                                 "wbr", "col", NULL };
	for (size_t i = 0; v[i]; i++)
		if (!strcmp(name, v[i]))
			return 1;
	return 0;
}

/* Elements never written out, whatever a page holds (the bundle reader has
 * refused them already; this is the second lock). */
static int is_banned(const char *name)
{
	static const char *const v[] = { "script", "style", "iframe", "frame",
	                                 "object", "embed", "form", "base",
	                                 "link", "meta", "svg", "math", NULL };
	for (size_t i = 0; v[i]; i++)
		if (!strcmp(name, v[i]))
			return 1;
	return 0;
}

typedef struct walker {
	const sr_view *v;
	st_buf *b;
	st_arena *a;
} walker;

/* A link or source of a page, made absolute: "../../media/x.png" is
 * BASE/media/x.png, "../MODULE/01.xhtml" BASE/m/MODULE/; anything else
 * (https:, tel:) as it is. */
static void link_value(walker *w, const char *name, const char *val)
{
	if (!strncmp(val, "../../media/", 12)) {
		sr_url(w->b, w->v, name, "/media/", val + 12, NULL);
		return;
	}
	if (!strncmp(val, "../", 3) && strchr(val + 3, '/')) {
		const char *id = val + 3;
		size_t n = strcspn(id, "/");
		char *mod = st_strndup(w->a, id, n);
		if (st_is_slug(mod) && !strcmp(id + n, "/01.xhtml")) {
			sr_url(w->b, w->v, name, "/m/", mod, "/", NULL);
			return;
		}
	}
	sr_attr(w->b, name, val);
}

static void component(walker *w, xmlNodePtr n)
{
	const char *cls = st_xml_attr(w->a, n, "class");
	const char *ref = st_xml_attr(w->a, n, "data-ref");
	const st_program *p = w->v->p;
	if (ref && cls && strstr(cls, "steg-exercise")) {
		const st_exercise *e = st_program_exercise(p, ref);
		if (e) {
			sr_exercise_block(w->b, w->v, e, NULL, 0);
			return;
		}
	} else if (ref && cls && strstr(cls, "steg-form")) {
		const st_form *f = st_program_form(p, ref);
		if (f) {
			sr_form_block(w->b, w->v, f, NULL, 0);
			return;
		}
	}
	st_buf_adds(w->b, "<p class=\"missing-component\">");
	sr_text(w->b, ref ? ref : "?");
	st_buf_adds(w->b, "</p>");
}

static void walk(walker *w, xmlNodePtr n, int depth)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			sr_text(w->b, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || depth > ST_XML_MAX_DEPTH)
			continue;
		const char *name = (const char *)n->name;
		if (is_banned(name))
			continue;
		const char *cls = st_xml_attr(w->a, n, "class");
		if (!strcmp(name, "div") && cls && strstr(cls, "steg-component")) {
			component(w, n);
			continue;
		}
		st_buf_addc(w->b, '<');
		st_buf_adds(w->b, name);
		for (xmlAttrPtr at = n->properties; at; at = at->next) {
			const char *an = (const char *)at->name;
			const char *av = st_xml_attr(w->a, n, an);
			if (at->ns || !av || !strncmp(an, "on", 2) ||
			    !strcmp(an, "style"))
				continue;
			if (!strcmp(an, "href") || !strcmp(an, "src"))
				link_value(w, an, av);
			else
				sr_attr(w->b, an, av);
		}
		if (is_void(name)) {
			st_buf_adds(w->b, "/>");
			continue;
		}
		st_buf_addc(w->b, '>');
		walk(w, n->children, depth + 1);
		st_buf_adds(w->b, "</");
		st_buf_adds(w->b, name);
		st_buf_addc(w->b, '>');
	}
}

/* The page's content: the children of its <body>. */
static int page_body(st_buf *b, const sr_view *v, const st_page *pg,
                     st_arena *a)
{
	st_diags *d = st_diags_new();
	const char *file = pg->path ? pg->path : "page";
	xmlDocPtr doc = pg->xhtml ? st_xml_parse(d, file, pg->xhtml,
	                                         pg->xhtml_len) : NULL;
	int rc = ST_ERR;
	if (doc) {
		xmlNodePtr root = xmlDocGetRootElement(doc);
		xmlNodePtr body = root ? st_xml_first(root, "body") : NULL;
		/* the page's own <section class="steg-page"> is the article */
		xmlNodePtr sec = body ? st_xml_first(body, "section") : NULL;
		if (sec && !st_xml_next(sec, NULL))
			body = sec;
		if (body) {
			walker w = { v, b, a };
			walk(&w, body->children, 0);
			rc = ST_OK;
		}
		xmlFreeDoc(doc);
	}
	st_diags_free(d);
	return rc;
}

static void pager_link(st_buf *b, const sr_view *v, const st_module *m,
                       size_t n, const char *rel, sr_word w)
{
	char num[24];
	snprintf(num, sizeof num, "%zu", n);
	st_buf_adds(b, "<a");
	sr_attr(b, "class", rel);
	sr_attr(b, "rel", rel);
	sr_url(b, v, "href", "/m/", m->id, "/", num, NULL);
	st_buf_addc(b, '>');
	sr_text(b, sr_word_of(v, w));
	st_buf_adds(b, "</a>");
}

int sr_module_page(st_buf *out, const sr_view *v, const char *module,
                   size_t n)
{
	const st_program *p = v->p;
	const st_module *m = module ? st_program_module(p, module) : NULL;
	if (!m || n < 1 || n > m->npages)
		return ST_ENOENT;
	size_t mi = (size_t)(m - p->modules);
	const st_page *pg = &m->pages[n - 1];
	st_arena *a = st_arena_new();
	st_buf body;
	st_buf_init(&body);
	if (page_body(&body, v, pg, a) != ST_OK) {
		st_buf_release(&body);
		st_arena_free(a);
		return ST_ERR;
	}
	sr_open(out, v, pg->title ? pg->title : m->title, "page");
	st_buf_adds(out, "<nav class=\"crumbs\"");
	sr_attr(out, "aria-label", m->title ? m->title : m->id);
	st_buf_adds(out, "><span class=\"module\">");
	st_buf_printf(out, sr_word_of(v, SR_W_MODULE), mi + 1);
	st_buf_adds(out, ": ");
	sr_text(out, m->title ? m->title : m->id);
	st_buf_adds(out, "</span> <span class=\"pageno\">");
	st_buf_printf(out, sr_word_of(v, SR_W_PAGE_OF), n, m->npages);
	st_buf_adds(out, "</span></nav><article class=\"steg-page\"");
	sr_attr(out, "data-module", m->id);
	st_buf_addc(out, '>');
	st_buf_add(out, body.data ? body.data : "", body.len);
	st_buf_adds(out, "</article><nav class=\"pager\">");
	if (n > 1)
		pager_link(out, v, m, n - 1, "prev", SR_W_PREV);
	else if (mi > 0 && p->modules[mi - 1].npages)
		pager_link(out, v, &p->modules[mi - 1],
		           p->modules[mi - 1].npages, "prev", SR_W_PREV);
	if (n < m->npages)
		pager_link(out, v, m, n + 1, "next", SR_W_NEXT);
	else if (mi + 1 < p->nmodules && p->modules[mi + 1].npages)
		pager_link(out, v, &p->modules[mi + 1], 1, "next", SR_W_NEXT);
	st_buf_adds(out, "</nav>");
	sr_close(out, v);
	st_buf_release(&body);
	st_arena_free(a);
	return ST_OK;
}

void sr_error_page(st_buf *out, const sr_view *v, int status,
                   const char *detail)
{
	sr_word w = status == 404 ? SR_W_NOT_FOUND
	          : status == 403 ? SR_W_FORBIDDEN : SR_W_BAD_REQUEST;
	sr_open(out, v, sr_word_of(v, w), "error");
	st_buf_adds(out, "<h1>");
	sr_text(out, sr_word_of(v, w));
	st_buf_adds(out, "</h1>");
	if (detail) {
		st_buf_adds(out, "<p class=\"detail\">");
		sr_text(out, detail);
		st_buf_adds(out, "</p>");
	}
	st_buf_adds(out, "<p><a");
	sr_url(out, v, "href", "/", NULL);
	st_buf_addc(out, '>');
	sr_text(out, sr_word_of(v, SR_W_START));
	st_buf_adds(out, "</a></p>");
	sr_close(out, v);
}
