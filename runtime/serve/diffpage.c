/*
 * diffpage.c — what changed between two stored versions of a program,
 * classified as `stegc diff` classifies it (core/diff.h: major, minor,
 * patch), for publishers and admins:
 *
 *   GET /versions/diff?program=ID&from=OLD&to=NEW          the page
 *   GET /api/v1/programs/{program}/diff?from=OLD&to=NEW    the JSON of
 *       `stegc diff OLD.steg NEW.steg --format json` (st_diff_json)
 *
 * Both versions are the registry's stored bundles, opened and checked by
 * view.c (and kept in its cache).  Reading only: nothing is audited.
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "diag.h"
#include "diff.h"
#include "../actions.h"
#include "../db.h"
#include "serve.h"
#include "pages.h"
#include "view.h"
#include "words.h"

typedef struct diffreq {
	const char *id, *from, *to;
	st_diff df;
	int version_ok;
	char title[512];
} diffreq;

/* The form that picks two versions of the program, each list the
 * program's versions in order. */
static int version_picker(st_buf *b, rt_reg *r, const diffreq *q)
{
	static const char *const names[2] = { "from", "to" };
	static const sv_word labels[2] = { SV_W_DIFF_FROM, SV_W_DIFF_TO };
	sqlite3_stmt *st = NULL;
	int step = ST_OK;

	st_buf_adds(b, "<form method=\"get\" action=\"/versions/diff\" "
	            "class=\"pick\"><input type=\"hidden\" name=\"program\" "
	            "value=\"");
	sv_esc_attr(b, q->id);
	st_buf_adds(b, "\">");
	for (int i = 0; i < 2 && step == ST_OK; i++) {
		const char *cur = i ? q->to : q->from;
		sv_escf(b, "<div><label for=\"d-%s\">%s</label><select id=\"d-%s\" "
		        "name=\"%s\">", names[i], sv_w(labels[i]), names[i],
		        names[i]);
		step = rt_db_prepare(r, &st, "cannot read the versions", "SELECT "
		                     "version FROM versions WHERE program = ?1 "
		                     "ORDER BY major, minor, patch, version",
		                     RT_ARGS(RT_TEXT(q->id)));
		while (step == ST_OK && (step = rt_db_step(r, st, "cannot read the "
		                                           "versions")) == RT_ROW) {
			const char *v = rt_col_text(st, 0);
			step = ST_OK;
			st_buf_adds(b, "<option");
			if (!strcmp(v, cur))
				st_buf_adds(b, " selected");
			sv_escf(b, ">%s</option>", v);
		}
		step = step == RT_DONE ? ST_OK : step;
		rt_db_done(r, st);
		st = NULL;
		st_buf_adds(b, "</select></div>");
	}
	sv_escf(b, "<p><button type=\"submit\">%s</button></p></form>",
	        sv_w(SV_W_COMPARE));
	return step;
}

static void diff_html(st_buf *b, const diffreq *q)
{
	char line[800], need[64];

	st_diff_needed_version(need, sizeof need, q->from, q->df.level);
	if (q->df.level == ST_CHANGE_NONE)
		snprintf(line, sizeof line, sv_w(SV_W_DIFF_NONE), q->from, q->to);
	else
		snprintf(line, sizeof line, sv_w(SV_W_DIFF_SUMMARY), q->from, q->to,
		         st_change_level_name(q->df.level), q->df.n, need);
	sv_escf(b, "<p class=\"summary\">%s</p>", line);
	if (!q->version_ok) {
		snprintf(line, sizeof line, sv_w(SV_W_DIFF_TOO_SMALL), q->to,
		         st_change_level_name(q->df.level), need);
		sv_escf(b, "<p class=\"refused\"><strong>%s</strong></p>", line);
	}
	if (q->df.n) {
		sv_escf(b, "<table class=\"diff\"><thead><tr><th>%s</th><th>%s</th>"
		        "<th>%s</th></tr></thead><tbody>", sv_w(SV_W_DIFF_LEVEL),
		        sv_w(SV_W_DIFF_WHAT), sv_w(SV_W_DIFF_HOW));
		for (size_t i = 0; i < q->df.n; i++) {
			const st_change *c = &q->df.changes[i];
			const char *lv = st_change_level_name(c->level);
			sv_escf(b, "<tr class=\"level-%s\"><td data-label=\"%s\">%s</td>"
			        "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s"
			        "</td></tr>", lv, sv_w(SV_W_DIFF_LEVEL), lv,
			        sv_w(SV_W_DIFF_WHAT), c->what, sv_w(SV_W_DIFF_HOW),
			        c->how);
		}
		st_buf_adds(b, "</tbody></table>");
	}
	sv_escf(b, "<p class=\"legend\">%s</p>", sv_w(SV_W_DIFF_LEGEND));
}

/* Compare q->from and q->to of q->id into q->df (arena a).  0; or the
 * status of the refusal with why filled. */
static int compare(rt_reg *r, diffreq *q, st_arena *a, vprog *vp[2],
                   char *why, size_t cap)
{
	const char *ver[2] = { q->from, q->to };
	rt_version v;

	for (int i = 0; i < 2; i++) {
		int rc = rt_version_load(r, &v, q->id, ver[i]);
		if (rc) {
			sv_reason(r, why, cap);
			return rc == ST_ERR ? 404 : 500;
		}
		if (!i)
			snprintf(q->title, sizeof q->title, "%s", v.title);
	}
	for (int i = 0; i < 2; i++)
		if (sv_vprog_get(r, q->id, ver[i], &vp[i], why, cap))
			return 500;
	st_diags *d = st_diags_new();
	st_span sp = { "", 0, 0, 0, 0 };
	st_diff_programs(&q->df, a, sv_vprog_program(vp[0]),
	                 sv_vprog_bundle(vp[0]), sv_vprog_program(vp[1]),
	                 sv_vprog_bundle(vp[1]));
	q->version_ok = st_diff_check_version(d, &q->df, q->from, q->to,
	                                      sp) == ST_OK;
	st_diags_free(d);
	return 0;
}

static int answer(sv_req *rq, rt_reg *r, diffreq *q, int json)
{
	char heading[700];
	st_buf b;

	if (json)
		return sv_send_json(rq, 200, st_diff_json(&q->df, q->id, q->from,
		                                          q->to, q->version_ok));
	snprintf(heading, sizeof heading, sv_w(SV_W_DIFF_HEADING), q->title);
	st_buf_init(&b);
	sv_page_begin(&b, rq, heading);
	sv_escf(&b, "<h1>%s</h1><p><small>%s</small></p>", heading, q->id);
	if (version_picker(&b, r, q)) {
		st_buf_release(&b);
		return sv_send_problem(rq, 500, sv_w(SV_W_ERROR), rt_reg_errmsg(r));
	}
	diff_html(&b, q);
	sv_escf(&b, "<p><a href=\"/versions\">%s</a></p>", sv_w(SV_W_BACK));
	sv_page_end(&b);
	return sv_send_html(rq, 200, &b);
}

int sv_page_diff(sv_req *rq, const char *program, int json)
{
	diffreq q;
	rt_reg *r = NULL;
	vprog *vp[2] = { NULL, NULL };
	st_arena *a = NULL;
	char why[600];
	int ret, status;

	memset(&q, 0, sizeof q);
	q.id = program ? program : sv_query(rq, "program");
	q.from = sv_query(rq, "from");
	q.to = sv_query(rq, "to");
	if (strcmp(rq->who.role, "publisher") && strcmp(rq->who.role, "admin"))
		return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
		                       sv_w(SV_W_WHY_VERSIONS_ROLE));
	if (!q.id || !*q.id || !q.from || !*q.from || !q.to || !*q.to)
		return sv_send_problem(rq, 400, sv_w(SV_W_BAD_REQUEST),
		                       sv_w(SV_W_WHY_DIFF_ARGS));
	if (sv_open(rq, &r, &ret))
		return ret;
	a = st_arena_new();
	if (rt_read_begin(r, "cannot read the registry") != ST_OK) {
		status = 500;
		snprintf(why, sizeof why, "%s", rt_reg_errmsg(r));
	} else
		status = compare(r, &q, a, vp, why, sizeof why);
	if (status == 404)
		ret = sv_send_refusal(rq, 404, sv_w(SV_W_NOT_FOUND), r, NULL,
		                      "/versions");
	else if (status)
		ret = sv_send_problem(rq, status, sv_w(SV_W_ERROR), why);
	else
		ret = answer(rq, r, &q, json);
	rt_read_end(r);
	sv_vprog_unref(vp[0]);
	sv_vprog_unref(vp[1]);
	st_arena_free(a);
	sv_close(r);
	return ret;
}
