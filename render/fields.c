/*
 * fields.c — exercises, diaries and rating forms as working forms, and the
 * JSON endpoint that evaluates them (render.h).
 */
#include <string.h>
#include "render_int.h"

void sr_exercise_block(st_buf *b, const sr_view *v, const st_exercise *e,
                       const sr_input *in, int standalone)
{
	(void)in; (void)standalone;
	st_buf_adds(b, "<section class=\"exercise\"><h2>");
	sr_text(b, e->title ? e->title : e->id);
	st_buf_adds(b, "</h2><p><a");
	sr_url(b, v, "href", "/ex/", e->id, NULL);
	st_buf_addc(b, '>');
	sr_text(b, e->title ? e->title : e->id);
	st_buf_adds(b, "</a></p></section>");
}

void sr_form_block(st_buf *b, const sr_view *v, const st_form *f,
                   const sr_input *in, int standalone)
{
	(void)in; (void)standalone;
	st_buf_adds(b, "<section class=\"form\"><h2>");
	sr_text(b, f->title ? f->title : f->id);
	st_buf_adds(b, "</h2><p><a");
	sr_url(b, v, "href", "/forms/", f->id, NULL);
	st_buf_addc(b, '>');
	sr_text(b, f->title ? f->title : f->id);
	st_buf_adds(b, "</a></p></section>");
}

int sr_form_page(st_buf *out, const sr_view *v, const char *form,
                 const sr_input *in)
{
	const st_form *f = form ? st_program_form(v->p, form) : NULL;
	if (!f)
		return ST_ENOENT;
	sr_open(out, v, f->title ? f->title : f->id, "form");
	sr_form_block(out, v, f, in, 1);
	sr_close(out, v);
	return ST_OK;
}

int sr_exercise_page(st_buf *out, const sr_view *v, const char *exercise,
                     const sr_input *in)
{
	const st_exercise *e = exercise ? st_program_exercise(v->p, exercise)
	                                : NULL;
	if (!e)
		return ST_ENOENT;
	sr_open(out, v, e->title ? e->title : e->id, "exercise");
	sr_exercise_block(out, v, e, in, 1);
	sr_close(out, v);
	return ST_OK;
}

int sr_eval_json(st_buf *out, const sr_view *v, const char *body,
                 size_t len)
{
	(void)v; (void)body; (void)len;
	st_buf_adds(out, "{\"error\": \"not yet\"}\n");
	return 400;
}
