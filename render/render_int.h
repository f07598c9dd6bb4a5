/*
 * render_int.h — what the renderer's files share (not for callers).
 */
#ifndef SR_RENDER_INT_H
#define SR_RENDER_INT_H

#include "render.h"
#include "words.h"

/* Text and attribute values, escaped (core/xmlsafe.h). */
void sr_text(st_buf *b, const char *s);
void sr_attr(st_buf *b, const char *name, const char *v);
/* An attribute holding the view's base and then each of the texts up to
 * a NULL, escaped: sr_url(b, v, "href", "/m/", id, "/", NULL). */
void sr_url(st_buf *b, const sr_view *v, const char *name, ...)
	__attribute__((sentinel));
/* A word of the view's language. */
const char *sr_word_of(const sr_view *v, sr_word w);
const char *sr_base(const sr_view *v);
/* The document around a page's main content: sr_open writes up to and
 * including <main>, sr_close the rest. */
void sr_open(st_buf *b, const sr_view *v, const char *title,
             const char *body_class);
void sr_close(st_buf *b, const sr_view *v);
/* When a rating form is filled in ("start", "weekly", "end",
 * "module:SLUG"), in the view's words, unescaped. */
void sr_at_words(st_buf *b, const sr_view *v, const char *at);
/* A number as a person reads it: "3", "2.5", "-0.25". */
void sr_num(st_buf *b, double x);

/* Components inside a page (fields.c): an exercise or a rating form as a
 * working form; unknown refs become a short notice. */
void sr_exercise_block(st_buf *b, const sr_view *v, const st_exercise *e,
                       const sr_input *in, int standalone);
void sr_form_block(st_buf *b, const sr_view *v, const st_form *f,
                   const sr_input *in, int standalone);

#endif
