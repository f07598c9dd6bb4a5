/*
 * admin.c — the admins' pages: the audit log with its filters and the
 * chain check, and the users with the forms that add and deactivate them
 * (the changes themselves are act.c's, through runtime/actions.h).
 * A region-wide admin sees the whole region; a unit's admin their unit.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "../db.h"
#include "../auditcheck.h"
#include "vocab.h"
#include "serve.h"
#include "pages.h"
#include "words.h"

#define SV_AUDIT_ROWS 500           /* the newest rows a page shows */

static int is_admin(const sv_req *rq)
{
	return !strcmp(rq->who.role, "admin");
}

/* A query parameter, NULL when absent or empty. */
static const char *param(sv_req *rq, const char *name)
{
	const char *v = sv_query(rq, name);
	return v && *v ? v : NULL;
}

/* YYYY-MM-DD */
static int is_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static void filter_field(st_buf *b, const char *name, sv_word label,
                         const char *value)
{
	sv_escf(b, "<div><label for=\"f-%s\">%s</label><input id=\"f-%s\" "
	        "name=\"%s\" value=\"", name, sv_w(label), name, name);
	sv_esc_attr(b, value ? value : "");
	st_buf_adds(b, "\"></div>");
}

/* What `steg audit --check` found, in a sentence. */
static void verdict_text(char *out, size_t cap, rt_reg *r, int rc,
                         const rt_audit_verdict *v)
{
	if (rc == ST_OK && v->ncps == 0)
		snprintf(out, cap, sv_w(SV_W_CHAIN_OK_NO_CP), v->rows);
	else if (rc == ST_OK)
		snprintf(out, cap, sv_w(SV_W_CHAIN_OK), v->rows, v->ncps);
	else if (v->broken_at)
		snprintf(out, cap, sv_w(SV_W_CHAIN_BROKEN), v->broken_at,
		         rt_reg_errmsg(r));
	else
		snprintf(out, cap, sv_w(SV_W_CHECK_FAILED), rt_reg_errmsg(r));
}

/* The signed checkpoints checked, each with its verdict. */
static void checkpoints_html(st_buf *b, rt_reg *r, const rt_audit_verdict *v)
{
	char *dir = rt_checkpoint_dir(r);

	sv_escf(b, "<h2>%s</h2>", sv_w(SV_W_CHECKPOINTS));
	if (!v->ncps)
		sv_escf(b, "<p>%s <code>%s</code></p>", sv_w(SV_W_NO_CHECKPOINTS),
		        dir ? dir : "");
	free(dir);
	if (!v->ncps)
		return;
	sv_escf(b, "<table class=\"checkpoints\"><thead><tr><th>%s</th>"
	        "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	        sv_w(SV_W_CP_FILE), sv_w(SV_W_CP_ROW), sv_w(SV_W_CP_SIGNED),
	        sv_w(SV_W_CP_KEY), sv_w(SV_W_OUTCOME));
	for (int i = 0; i < v->ncps; i++) {
		const rt_checkpoint_seen *c = &v->cps[i];
		int checked = v->failed < 0 || i < v->failed;
		char t[21] = "–", row[24] = "–";
		if (checked) {
			st_time_format(t, c->time);
			snprintf(row, sizeof row, "%lld", c->row);
		}
		sv_escf(b, "<tr><td data-label=\"%s\"><code>%s</code></td>"
		        "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
		        "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s"
		        "</td></tr>", sv_w(SV_W_CP_FILE), c->file, sv_w(SV_W_CP_ROW),
		        row, sv_w(SV_W_CP_SIGNED), t, sv_w(SV_W_CP_KEY),
		        checked ? c->key : "–", sv_w(SV_W_OUTCOME),
		        sv_w(checked ? SV_W_CP_HOLDS : i == v->failed ?
		             SV_W_CP_FAILS : SV_W_CP_UNCHECKED));
	}
	st_buf_adds(b, "</tbody></table>");
}

int sv_page_audit(sv_req *rq, int json)
{
	const char *actor = param(rq, "actor"), *unit = param(rq, "unit");
	const char *action = param(rq, "action"), *from = param(rq, "from");
	const char *to = param(rq, "to");
	rt_reg *r = NULL;
	sqlite3_stmt *st = NULL;
	rt_audit_verdict v;
	int ret, step, chain;
	char chain_text[1200];
	json_t *rows;
	st_buf b;

	if (!is_admin(rq))
		return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
		                       sv_w(SV_W_WHY_AUDIT_ROLE));
	if ((from && !is_date(from)) || (to && !is_date(to)))
		return sv_send_problem(rq, 400, sv_w(SV_W_BAD_REQUEST), "write "
		                       "the period's days as YYYY-MM-DD");
	if (!rq->who.region_wide) {
		if (unit && strcmp(unit, rq->who.unit))
			return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
			                       sv_w(SV_W_WHY_AUDIT_UNIT));
		unit = rq->who.unit;
	}
	if (sv_open(rq, &r, &ret))
		return ret;
	rows = json_array();
	memset(&v, 0, sizeof v);
	v.failed = -1;
	step = rt_read_begin(r, "cannot read the audit log");
	chain = step == ST_OK ? rt_audit_verify(r, NULL, 0, NULL, &v) : step;
	verdict_text(chain_text, sizeof chain_text, r, chain, &v);
	if (step == ST_OK)
		step = rt_db_prepare(r, &st, "cannot read the audit log",
			"SELECT seq, time, actor, role, unit, action, object, outcome, "
			"  detail FROM audit WHERE (?1 IS NULL OR actor = ?1) AND "
			"  (?2 IS NULL OR unit = ?2) AND (?3 IS NULL OR action = ?3) "
			"  AND (?4 IS NULL OR time >= ?4) AND (?5 IS NULL OR time < "
			"  date(?5, '+1 day')) ORDER BY seq DESC LIMIT ?6",
			RT_ARGS(RT_TEXT(actor), RT_TEXT(unit), RT_TEXT(action),
			        RT_TEXT(from), RT_TEXT(to), RT_INT(SV_AUDIT_ROWS)));
	st_buf_init(&b);
	sv_page_begin(&b, rq, sv_w(SV_W_AUDIT));
	sv_escf(&b, "<h1>%s</h1><p class=\"%s\" role=\"status\">%s</p>",
	        sv_w(SV_W_AUDIT), chain == ST_OK ? "done" : "refused",
	        chain_text);
	checkpoints_html(&b, r, &v);
	st_buf_adds(&b, "<form method=\"get\" action=\"/audit\" "
	            "class=\"filters\">");
	filter_field(&b, "actor", SV_W_ACTOR, actor);
	if (rq->who.region_wide)
		filter_field(&b, "unit", SV_W_UNIT, unit);
	filter_field(&b, "action", SV_W_ACTION, action);
	filter_field(&b, "from", SV_W_FROM, from);
	filter_field(&b, "to", SV_W_TO, to);
	sv_escf(&b, "<p><button type=\"submit\">%s</button></p></form>",
	        sv_w(SV_W_FILTER));
	sv_escf(&b, "<table class=\"audit\"><thead><tr><th>#</th><th>%s</th>"
	        "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	        "<th>%s</th></tr></thead><tbody>", sv_w(SV_W_TIME),
	        sv_w(SV_W_ACTOR), sv_w(SV_W_UNIT), sv_w(SV_W_ACTION),
	        sv_w(SV_W_OBJECT), sv_w(SV_W_OUTCOME), sv_w(SV_W_DETAIL));
	while (step == ST_OK &&
	       (step = rt_db_step(r, st, "cannot read the audit log")) ==
	       RT_ROW) {
		step = ST_OK;
		if (json) {
			static const char *const keys[] = { "seq", "time", "actor",
				"role", "unit", "action", "object", "outcome", "detail" };
			json_t *o = json_object();
			json_object_set_new(o, "seq", json_integer(rt_col_int(st, 0)));
			for (int i = 1; i < 9; i++)
				json_object_set_new(o, keys[i],
				                    st_json_str(rt_col_text(st, i)));
			json_array_append_new(rows, o);
			continue;
		}
		/* data-label: the column's name, shown before the value where
		 * the table is stacked (a phone's width) */
		st_buf_printf(&b, "<tr><td data-label=\"#\">%lld</td>",
		              rt_col_int(st, 0));
		sv_escf(&b, "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s"
		        "<br><small>%s</small></td><td data-label=\"%s\">%s</td>"
		        "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
		        "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
		        "</tr>", sv_w(SV_W_TIME), rt_col_text(st, 1),
		        sv_w(SV_W_ACTOR), rt_col_text(st, 2),
		        sv_role_word(rt_col_text(st, 3)), sv_w(SV_W_UNIT),
		        rt_col_text(st, 4), sv_w(SV_W_ACTION), rt_col_text(st, 5),
		        sv_w(SV_W_OBJECT), rt_col_text(st, 6), sv_w(SV_W_OUTCOME),
		        rt_col_text(st, 7), sv_w(SV_W_DETAIL), rt_col_text(st, 8));
	}
	step = step == RT_DONE ? ST_OK : step;
	rt_db_done(r, st);
	rt_read_end(r);
	st_buf_adds(&b, "</tbody></table>");
	sv_page_end(&b);
	if (step) {
		ret = sv_send_problem(rq, 500, sv_w(SV_W_ERROR), rt_reg_errmsg(r));
		st_buf_release(&b);
		json_decref(rows);
	} else if (json) {
		json_t *o = json_object();
		st_buf_release(&b);
		json_object_set_new(o, "chain_ok", json_boolean(chain == ST_OK));
		json_object_set_new(o, "chain", st_json_str(chain_text));
		json_object_set_new(o, "check", rt_audit_verdict_json(r, chain, &v));
		json_object_set_new(o, "rows", rows);
		ret = sv_send_json(rq, 200, o);
	} else {
		json_decref(rows);
		ret = sv_send_html(rq, 200, &b);
	}
	rt_audit_verdict_release(&v);
	sv_close(r);
	return ret;
}

/* ---- users -------------------------------------------------------------- */

static void unit_options(st_buf *b, rt_reg *r, const sv_req *rq);

/* The form that adds a user: its fields go to the confirmation page. */
static void add_form(st_buf *b, rt_reg *r, const sv_req *rq)
{
	static const char *const roles[] = { "clinician", "publisher", "admin" };

	sv_escf(b, "<h2>%s</h2><form method=\"get\" action=\"/confirm/user-add\">"
	        "<div><label for=\"hsa_id\">%s</label><input id=\"hsa_id\" "
	        "name=\"hsa_id\" required pattern=\"SE[0-9]{10}-[A-Za-z0-9]{1,19}\">"
	        "</div><div><label for=\"name\">%s</label><input id=\"name\" "
	        "name=\"name\" required></div><div><label for=\"role\">%s</label>"
	        "<select id=\"role\" name=\"role\">", sv_w(SV_W_USER_ADD),
	        sv_w(SV_W_HSA_ID), sv_w(SV_W_NAME), sv_w(SV_W_ROLE));
	for (size_t i = 0; i < 3; i++)
		sv_escf(b, "<option value=\"%s\">%s</option>", roles[i],
		        sv_role_word(roles[i]));
	sv_escf(b, "</select></div><div><label for=\"unit\">%s</label><select "
	        "id=\"unit\" name=\"unit\">", sv_w(SV_W_UNIT));
	if (rq->who.region_wide)
		sv_escf(b, "<option value=\"\">%s</option>", sv_w(SV_W_REGION_WIDE));
	unit_options(b, r, rq);
	sv_escf(b, "</select></div><p><button type=\"submit\">%s</button></p>"
	        "</form>", sv_w(SV_W_USER_ADD));
}

/* The units the admin manages, as <option>s. */
static void unit_options(st_buf *b, rt_reg *r, const sv_req *rq)
{
	sqlite3_stmt *st;
	if (rt_db_prepare(r, &st, "cannot read the units", "SELECT hsa_id, name "
	                  "FROM organisations WHERE kind = 'unit' AND (?1 OR "
	                  "hsa_id = ?2) ORDER BY name",
	                  RT_ARGS(RT_INT(rq->who.region_wide),
	                          RT_TEXT(rq->who.unit))) == ST_OK) {
		while (rt_db_step(r, st, "cannot read the units") == RT_ROW) {
			st_buf_adds(b, "<option value=\"");
			sv_esc_attr(b, rt_col_text(st, 0));
			sv_escf(b, "\">%s</option>", rt_col_text(st, 1));
		}
		rt_db_done(r, st);
	}
}

/* The form that changes a user's role (and unit): to the confirmation
 * page.  The users listed are the active ones the admin manages. */
static void role_form(st_buf *b, rt_reg *r, const sv_req *rq)
{
	static const char *const roles[] = { "clinician", "publisher", "admin" };
	sqlite3_stmt *st;

	sv_escf(b, "<h2>%s</h2><form method=\"get\" action=\"/confirm/"
	        "user-role\"><div><label for=\"r-hsa\">%s</label><select "
	        "id=\"r-hsa\" name=\"hsa_id\">", sv_w(SV_W_USER_ROLE),
	        sv_w(SV_W_USERS));
	if (rt_db_prepare(r, &st, "cannot read the users", "SELECT hsa_id, name "
	                  "FROM users WHERE active = 1 AND (?1 OR unit = ?2) "
	                  "ORDER BY name", RT_ARGS(RT_INT(rq->who.region_wide),
	                  RT_TEXT(rq->who.unit))) == ST_OK) {
		while (rt_db_step(r, st, "cannot read the users") == RT_ROW) {
			st_buf_adds(b, "<option value=\"");
			sv_esc_attr(b, rt_col_text(st, 0));
			sv_escf(b, "\">%s (%s)</option>", rt_col_text(st, 1),
			        rt_col_text(st, 0));
		}
		rt_db_done(r, st);
	}
	sv_escf(b, "</select></div><div><label for=\"r-role\">%s</label>"
	        "<select id=\"r-role\" name=\"role\">", sv_w(SV_W_ROLE));
	for (size_t i = 0; i < 3; i++)
		sv_escf(b, "<option value=\"%s\">%s</option>", roles[i],
		        sv_role_word(roles[i]));
	sv_escf(b, "</select></div><div><label for=\"r-unit\">%s</label><select "
	        "id=\"r-unit\" name=\"unit\"><option value=\"\">%s</option>",
	        sv_w(SV_W_UNIT), sv_w(SV_W_KEEP_UNIT));
	if (rq->who.region_wide) {
		st_buf_adds(b, "<option value=\"");
		sv_esc_attr(b, rq->who.unit);
		sv_escf(b, "\">%s</option>", sv_w(SV_W_REGION_WIDE));
	}
	unit_options(b, r, rq);
	sv_escf(b, "</select></div><p><button type=\"submit\">%s</button></p>"
	        "</form>", sv_w(SV_W_USER_ROLE));
}

int sv_page_users(sv_req *rq, int json)
{
	rt_reg *r = NULL;
	sqlite3_stmt *st = NULL;
	json_t *arr;
	st_buf b;
	int ret, step;

	if (!is_admin(rq))
		return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
		                       sv_w(SV_W_WHY_USERS_ROLE));
	if (sv_open(rq, &r, &ret))
		return ret;
	arr = json_array();
	st_buf_init(&b);
	sv_page_begin(&b, rq, sv_w(SV_W_USERS));
	sv_escf(&b, "<h1>%s</h1><table class=\"users\"><thead><tr><th>%s</th>"
	        "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
	        "<tbody>", sv_w(SV_W_USERS), sv_w(SV_W_NAME), sv_w(SV_W_ROLE),
	        sv_w(SV_W_UNIT), sv_w(SV_W_STATE), sv_w(SV_W_ACTIONS));
	step = rt_read_begin(r, "cannot read the registry");
	if (step == ST_OK)
		step = rt_db_prepare(r, &st, "cannot read the users",
			"SELECT u.hsa_id, u.name, u.role, u.unit, o.name, u.active "
			"FROM users u JOIN organisations o ON o.hsa_id = u.unit "
			"WHERE ?1 OR u.unit = ?2 ORDER BY o.name, u.name",
			RT_ARGS(RT_INT(rq->who.region_wide), RT_TEXT(rq->who.unit)));
	while (step == ST_OK &&
	       (step = rt_db_step(r, st, "cannot read the users")) == RT_ROW) {
		const char *hsa = rt_col_text(st, 0);
		int active = rt_col_int(st, 5) != 0;
		step = ST_OK;
		if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "hsa_id", st_json_str(hsa));
			json_object_set_new(o, "name", st_json_str(rt_col_text(st, 1)));
			json_object_set_new(o, "role", st_json_str(rt_col_text(st, 2)));
			json_object_set_new(o, "unit", st_json_str(rt_col_text(st, 3)));
			json_object_set_new(o, "active", json_boolean(active));
			json_array_append_new(arr, o);
			continue;
		}
		sv_escf(&b, "<tr><td>%s<br><small>%s</small></td><td>%s</td><td>%s"
		        "</td><td>%s</td><td>", rt_col_text(st, 1), hsa,
		        sv_role_word(rt_col_text(st, 2)), rt_col_text(st, 4),
		        active ? sv_w(SV_W_ACTIVE) : sv_w(SV_W_DEACTIVATED));
		if (active) {
			st_buf_adds(&b, "<a class=\"button secondary\" href=\"/confirm/"
			            "user-deactivate?hsa_id=");
			sv_esc_attr(&b, hsa);
			sv_escf(&b, "\">%s<span class=\"sr\"> %s</span></a>",
			        sv_w(SV_W_DEACTIVATE), rt_col_text(st, 1));
		}
		st_buf_adds(&b, "</td></tr>");
	}
	step = step == RT_DONE ? ST_OK : step;
	rt_db_done(r, st);
	st_buf_adds(&b, "</tbody></table>");
	if (!json) {
		add_form(&b, r, rq);
		role_form(&b, r, rq);
	}
	rt_read_end(r);
	sv_page_end(&b);
	if (step) {
		ret = sv_send_problem(rq, 500, sv_w(SV_W_ERROR), rt_reg_errmsg(r));
		st_buf_release(&b);
		json_decref(arr);
	} else if (json) {
		st_buf_release(&b);
		ret = sv_send_json(rq, 200, arr);
	} else {
		json_decref(arr);
		ret = sv_send_html(rq, 200, &b);
	}
	sv_close(r);
	return ret;
}
