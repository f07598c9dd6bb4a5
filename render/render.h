/*
 * render.h — a program as its patient meets it, in HTML: the start page,
 * every page of every module, exercises and diaries, rating forms with
 * the clinician's view of the result.  One renderer for `stegc preview`
 * and, later, `steg serve`; it depends on core only (docs/architecture.md).
 *
 * Input is a checked st_program (st_check_program has parsed and resolved
 * every expression) whose pages hold the sanitised XHTML of the bundle
 * (st_page.xhtml): from sources through the compiler, or from a bundle
 * through core/bundle.h.  Only that XHTML is ever shown, re-serialised
 * element by element with every text and attribute escaped
 * (core/xmlsafe.h's escapers); the sources' raw HTML never is.
 *
 * Every expression — show-if, computed fields, scores, bands, alerts,
 * unlock rules — is evaluated here, on the server, by core's one
 * evaluator (core/expr.h, core/score.h); the pages' script (preview.js)
 * only posts answers to sr_eval_json's endpoint and shows what comes
 * back.  Without the script a form's submit re-renders the page.
 *
 * Links: every URL starts with view->base ("" for the root):
 *   BASE/                 the start page
 *   BASE/m/MODULE/        a module's first page; BASE/m/MODULE/N page N
 *   BASE/forms/FORM       a rating form (GET empty, POST answered)
 *   BASE/ex/EXERCISE      an exercise or diary on its own
 *   BASE/api/eval         POST {"form"|"exercise": ID, "answers": {...}}
 *   BASE/media/NAME       a media file of the program
 *   BASE/assets/steg.css, BASE/assets/preview.js (sr_asset)
 *
 * Ownership: every function appends to a caller's st_buf; nothing else is
 * allocated that outlives a call.  Thread-safe for one program shared by
 * many threads: the program is only read.
 */
#ifndef SR_RENDER_H
#define SR_RENDER_H

#include <stddef.h>
#include "expr.h"
#include "model.h"
#include "util.h"

#define SR_MAX_BODY (256u << 10)   /* a POST body the renderer accepts */
#define SR_MAX_ENTRIES 500         /* entries of one diary in a post */

typedef struct sr_view {
	const st_program *p;   /* checked; read only */
	const char *base;      /* prefix of every link; NULL is "" */
	/* The treatment so far, for unlock rules and the module list:
	 * completed(), days_since() and reviewed() as core/expr.h's
	 * st_eval_env.module.  NULL: the first day, nothing completed. */
	void *ctx;
	st_value (*module)(void *ctx, int fn, size_t module_index);
	const char *banner;    /* a line over every page, or NULL */
	const char *script;    /* extra script URL after preview.js, or NULL */
	const char *panel;     /* URL of the designer's panel, linked from
	                          every page's header, or NULL */
} sr_view;

/* What a request gave a form or an exercise page. */
typedef struct sr_input {
	const char *body;      /* application/x-www-form-urlencoded, or NULL */
	size_t len;
} sr_input;

/* Whole HTML documents (status 200 unless they return otherwise).
 * Return ST_OK; ST_ENOENT when there is no such module, page, form or
 * exercise (nothing is written: the caller sends sr_error_page). */
int sr_start_page(st_buf *out, const sr_view *v);
int sr_module_page(st_buf *out, const sr_view *v, const char *module,
                   size_t n);
/* in NULL: the empty form.  A POST's answers are checked as `steg score`
 * checks them; refused answers are listed on the page. */
int sr_form_page(st_buf *out, const sr_view *v, const char *form,
                 const sr_input *in);
int sr_exercise_page(st_buf *out, const sr_view *v, const char *exercise,
                     const sr_input *in);
/* status 404 or 400 (or any) with a line of detail (may be NULL). */
void sr_error_page(st_buf *out, const sr_view *v, int status,
                   const char *detail);

/* The JSON endpoint: body is {"form": ID, "answers": {...}} or
 * {"exercise": ID, "answers": {...}}.  Writes {"visible": [ids],
 * "computed": {id: {"value", "text"}}, "errors": [messages],
 * "result": st_score_json's object or null, "panel": the clinician's
 * panel as HTML} and returns 200; or writes {"error": message} and
 * returns 400 (bad JSON, unknown keys) or 404 (no such form). */
int sr_eval_json(st_buf *out, const sr_view *v, const char *body,
                 size_t len);
/* The same for a form's post (application/x-www-form-urlencoded, as a
 * page sends it): the fields, and _form=ID or _exercise=ID.  This is what
 * preview.js sends, so that a value is read the same way with script and
 * without. */
int sr_eval_post(st_buf *out, const sr_view *v, const char *body,
                 size_t len);

/* Whether module i is open: its unlock rule (or, without one, the
 * previous module completed; the first is open from the start). */
int sr_module_open(const sr_view *v, size_t i);

/* The embedded stylesheet and script ("steg.css", "preview.js"), with
 * their Content-Type; NULL when there is no such asset. */
const unsigned char *sr_asset(const char *name, size_t *len,
                              const char **type);

#endif
