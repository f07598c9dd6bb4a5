/*
 * findings.c — the page of a program's errors (findings.h).
 */
#include "findings.h"

#include <jansson.h>
#include <string.h>

#include "render_int.h"

static void finding(st_buf *b, const json_t *f)
{
	const char *file = json_string_value(json_object_get(f, "file"));
	const char *msg = json_string_value(json_object_get(f, "message"));
	const char *code = json_string_value(json_object_get(f, "code"));
	json_int_t line = json_integer_value(json_object_get(f, "line"));
	json_int_t col = json_integer_value(json_object_get(f, "column"));
	st_buf where;
	st_buf_init(&where);
	st_buf_adds(&where, file ? file : "");
	if (line > 0)
		st_buf_printf(&where, ":%lld", (long long)line);
	if (line > 0 && col > 0)
		st_buf_printf(&where, ":%lld", (long long)col);
	st_buf_adds(b, "<li><strong>");
	sr_text(b, where.data ? where.data : "");
	st_buf_adds(b, "</strong> ");
	sr_text(b, msg ? msg : "");
	st_buf_adds(b, " <code>[");
	sr_text(b, code ? code : "");
	st_buf_adds(b, "]</code></li>");
	st_buf_release(&where);
}

int sr_findings_page(st_buf *out, const sr_view *v, const char *json,
                     size_t len)
{
	json_error_t err;
	json_t *t = json_loadb(json, len, 0, &err);
	const json_t *list = json_object_get(t, "findings");
	if (!json_is_object(t) || !json_is_array(list)) {
		json_decref(t);
		return ST_ERR;
	}
	const char *title = sr_word_of(v, SR_W_HAS_ERRORS);
	sr_open(out, v, title, "findings");
	st_buf_adds(out, "<h1>");
	sr_text(out, title);
	st_buf_adds(out, "</h1><p>");
	sr_text(out, sr_word_of(v, SR_W_NO_GOOD_VERSION));
	st_buf_adds(out, "</p><ul class=\"findings\">");
	size_t i;
	const json_t *f;
	json_array_foreach(list, i, f) {
		const char *level = json_string_value(json_object_get(f, "level"));
		if (level && !strcmp(level, "error"))
			finding(out, f);
	}
	st_buf_adds(out, "</ul>");
	sr_close(out, v);
	json_decref(t);
	return ST_OK;
}
