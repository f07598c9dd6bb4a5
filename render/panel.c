/*
 * panel.c — the treatment panel page (panel.h), from the timeline's JSON
 * (render/timeline.h), so that the page and /api/state show one result.
 */
#include "panel.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "render_int.h"

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static long num(const json_t *o, const char *key)
{
	const json_t *n = json_object_get(o, key);
	return json_is_integer(n) ? (long)json_integer_value(n) : -1;
}

/* A word with its %s / %ld filled in, escaped.  The formats are the
 * words table's (words.c), never the program's. */
static void wordf(st_buf *b, const sr_view *v, sr_word w, ...)
{
	va_list ap;
	va_start(ap, w);
	st_buf t;
	st_buf_init(&t);
	st_buf_vprintf(&t, sr_word_of(v, w), ap);
	va_end(ap);
	sr_text(b, t.data ? t.data : "");
	st_buf_release(&t);
}

static void button(st_buf *b, const sr_view *v, const char *action,
                   const char *module, sr_word label)
{
	st_buf_adds(b, "<form method=\"post\" class=\"panel-action\"");
	sr_url(b, v, "action", "/panel", NULL);
	st_buf_addc(b, '>');
	if (module) {
		st_buf_adds(b, "<input type=\"hidden\" name=\"module\"");
		sr_attr(b, "value", module);
		st_buf_adds(b, "/>");
	}
	st_buf_adds(b, "<button type=\"submit\" name=\"action\"");
	sr_attr(b, "value", action);
	st_buf_addc(b, '>');
	sr_text(b, sr_word_of(v, label));
	st_buf_adds(b, "</button></form>");
}

static void event_text(st_buf *b, const sr_view *v, const json_t *e)
{
	const char *kind = str(e, "kind");
	const char *id = str(e, "id");
	const char *title = json_string_value(json_object_get(e, "title"));
	const char *name = title ? title : id;
	if (!strcmp(kind, "open"))
		wordf(b, v, SR_W_PANEL_EV_OPEN, name);
	else if (!strcmp(kind, "due")) {
		st_buf at;
		st_buf_init(&at);
		sr_at_words(&at, v, str(e, "at"));
		wordf(b, v, SR_W_PANEL_EV_DUE, name, at.data ? at.data : "");
		st_buf_release(&at);
	}
	else if (!strcmp(kind, "message"))
		wordf(b, v, SR_W_PANEL_EV_MESSAGE, id);
	else if (!strcmp(kind, "complete"))
		wordf(b, v, SR_W_PANEL_EV_COMPLETE, name);
	else if (!strcmp(kind, "review"))
		wordf(b, v, SR_W_PANEL_EV_REVIEW, name);
	else
		sr_text(b, sr_word_of(v, SR_W_PANEL_EV_END));
	const char *text = json_string_value(json_object_get(e, "text"));
	if (text) {
		st_buf_adds(b, "<blockquote>");
		sr_text(b, text);
		st_buf_adds(b, "</blockquote>");
	}
}

static void events(st_buf *b, const sr_view *v, const json_t *list,
                   const char *hid, sr_word heading)
{
	st_buf_printf(b, "<section aria-labelledby=\"%s\"><h2 id=\"%s\">", hid, hid);
	sr_text(b, sr_word_of(v, heading));
	st_buf_adds(b, "</h2>");
	if (!json_array_size(list)) {
		st_buf_adds(b, "<p>");
		sr_text(b, sr_word_of(v, SR_W_PANEL_NOTHING));
		st_buf_adds(b, "</p></section>");
		return;
	}
	st_buf_printf(b, "<ol class=\"panel-events\" id=\"%s-list\">", hid);
	size_t i;
	const json_t *e;
	json_array_foreach(list, i, e) {
		st_buf_adds(b, "<li");
		sr_attr(b, "data-kind", str(e, "kind"));
		if (*str(e, "id"))
			sr_attr(b, "data-id", str(e, "id"));
		st_buf_printf(b, " data-day=\"%ld\"><span class=\"panel-day\">",
		              num(e, "day"));
		wordf(b, v, SR_W_PANEL_EV_DAY, num(e, "day"));
		st_buf_adds(b, "</span> ");
		event_text(b, v, e);
		st_buf_adds(b, "</li>");
	}
	st_buf_adds(b, "</ol></section>");
}

static void module_row(st_buf *b, const sr_view *v, const json_t *m)
{
	const char *state = str(m, "state");
	int reviewed = json_is_true(json_object_get(m, "reviewed"));
	st_buf_adds(b, "<tr");
	sr_attr(b, "data-module", str(m, "id"));
	st_buf_adds(b, "><th scope=\"row\">");
	sr_text(b, *str(m, "title") ? str(m, "title") : str(m, "id"));
	int done = !strcmp(state, "completed"), open = !strcmp(state, "open");
	st_buf_printf(b, "</th><td class=\"state-%s\">", done ? "completed" :
	              open ? "open" : "locked");
	sr_text(b, sr_word_of(v, done ? SR_W_COMPLETED : open ? SR_W_OPEN
	                                                     : SR_W_LOCKED));
	if (reviewed) {
		st_buf_adds(b, ", ");
		sr_text(b, sr_word_of(v, SR_W_PANEL_REVIEWED));
	}
	st_buf_adds(b, "</td><td>");
	if (num(m, "opened") >= 0)
		st_buf_printf(b, "%ld", num(m, "opened"));
	st_buf_adds(b, "</td><td>");
	if (num(m, "completed") >= 0)
		st_buf_printf(b, "%ld", num(m, "completed"));
	st_buf_adds(b, "</td><td>");
	if (open)
		button(b, v, "complete", str(m, "id"), SR_W_PANEL_COMPLETE);
	else if (done && !reviewed)
		button(b, v, "review", str(m, "id"), SR_W_PANEL_REVIEW);
	st_buf_adds(b, "</td></tr>");
}

int sr_panel_page(st_buf *out, const sr_view *v, const char *json, size_t len)
{
	json_error_t err;
	json_t *t = json_loadb(json, len, 0, &err);
	const json_t *mods = json_object_get(t, "modules");
	if (!json_is_object(t) || !json_is_array(mods)) {
		json_decref(t);
		return ST_ERR;
	}
	sr_open(out, v, sr_word_of(v, SR_W_PANEL), "panel");
	st_buf_adds(out, "<h1>");
	sr_text(out, sr_word_of(v, SR_W_PANEL));
	st_buf_adds(out, "</h1><p class=\"panel-clock\" id=\"panel-clock\">");
	wordf(out, v, SR_W_PANEL_DAY, num(t, "day"), num(t, "week"));
	st_buf_addc(out, ' ');
	if (json_is_true(json_object_get(t, "ended")))
		sr_text(out, sr_word_of(v, SR_W_PANEL_ENDED));
	else if (num(t, "end_day") >= 0)
		wordf(out, v, SR_W_PANEL_ENDS, num(t, "end_day"));
	st_buf_adds(out, "</p><div class=\"panel-actions\">");
	button(out, v, "day", NULL, SR_W_PANEL_DAY_ON);
	button(out, v, "week", NULL, SR_W_PANEL_WEEK_ON);
	button(out, v, "undo", NULL, SR_W_PANEL_UNDO);
	button(out, v, "reset", NULL, SR_W_PANEL_RESET);
	st_buf_adds(out, "</div>");

	const json_t *probs = json_object_get(t, "problems");
	if (json_array_size(probs)) {
		st_buf_adds(out, "<section class=\"panel-problems\" role=\"alert\" "
		            "aria-labelledby=\"h-problems\"><h2 id=\"h-problems\">");
		sr_text(out, sr_word_of(v, SR_W_PANEL_PROBLEMS));
		st_buf_adds(out, "</h2><ul>");
		size_t i;
		const json_t *pr;
		json_array_foreach(probs, i, pr) {
			st_buf_adds(out, "<li>");
			sr_text(out, json_string_value(pr) ? json_string_value(pr) : "");
			st_buf_adds(out, "</li>");
		}
		st_buf_adds(out, "</ul></section>");
	}

	st_buf_adds(out, "<section aria-labelledby=\"h-panel-modules\"><h2 "
	            "id=\"h-panel-modules\">");
	sr_text(out, sr_word_of(v, SR_W_MODULES));
	st_buf_adds(out, "</h2><div class=\"table-scroll\"><table class=\"panel-modules\">"
	            "<thead><tr><th scope=\"col\"></th><th scope=\"col\">");
	sr_text(out, sr_word_of(v, SR_W_PANEL_STATE));
	st_buf_adds(out, "</th><th scope=\"col\">");
	sr_text(out, sr_word_of(v, SR_W_PANEL_OPENED));
	st_buf_adds(out, "</th><th scope=\"col\">");
	sr_text(out, sr_word_of(v, SR_W_PANEL_DONE_DAY));
	st_buf_adds(out, "</th><th scope=\"col\"></th></tr></thead><tbody>");
	size_t i;
	const json_t *m;
	json_array_foreach(mods, i, m)
		module_row(out, v, m);
	st_buf_adds(out, "</tbody></table></div></section>");

	int scores = 0;
	for (size_t k = 0; v->p && k < v->p->nforms; k++)
		scores += v->p->forms[k].nscores > 0;
	if (scores) {
		st_buf_adds(out, "<section aria-labelledby=\"h-panel-score\"><h2 "
		            "id=\"h-panel-score\">");
		sr_text(out, sr_word_of(v, SR_W_PANEL_SCORE));
		st_buf_adds(out, "</h2><form method=\"post\" class=\"panel-score\"");
		sr_url(out, v, "action", "/panel", NULL);
		st_buf_adds(out, "><label for=\"panel-score-name\">");
		sr_text(out, sr_word_of(v, SR_W_PANEL_SCORE_NAME));
		st_buf_adds(out, "</label><select id=\"panel-score-name\" name=\"score\">");
		for (size_t k = 0; k < v->p->nforms; k++)
			for (size_t j = 0; j < v->p->forms[k].nscores; j++) {
				const char *fid = v->p->forms[k].id, *sid = v->p->forms[k].scores[j].id;
				if (!fid || !sid)
					continue;
				st_buf o;
				st_buf_init(&o);
				st_buf_printf(&o, "%s.%s", fid, sid);
				st_buf_adds(out, "<option");
				sr_attr(out, "value", o.data);
				st_buf_addc(out, '>');
				sr_text(out, o.data);
				st_buf_adds(out, "</option>");
				st_buf_release(&o);
			}
		st_buf_adds(out, "</select><label for=\"panel-score-value\">");
		sr_text(out, sr_word_of(v, SR_W_PANEL_VALUE));
		st_buf_adds(out, "</label><input id=\"panel-score-value\" name=\"value\" "
		            "inputmode=\"decimal\" size=\"6\"/><button type=\"submit\" "
		            "name=\"action\" value=\"score\">");
		sr_text(out, sr_word_of(v, SR_W_PANEL_SCORE));
		st_buf_adds(out, "</button></form></section>");
	}

	events(out, v, json_object_get(t, "history"), "h-history", SR_W_PANEL_HISTORY);
	events(out, v, json_object_get(t, "planned"), "h-planned", SR_W_PANEL_PLANNED);
	sr_close(out, v);
	json_decref(t);
	return ST_OK;
}
