/*
 * pages.c — the unit's programs, and the start page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "../db.h"
#include "serve.h"
#include "pages.h"
#include "words.h"

int sv_may_see_unit(const sv_req *rq, const char *unit)
{
	return rq->who.region_wide || !strcmp(rq->who.unit, unit);
}

int sv_api_me(sv_req *rq)
{
	json_t *o = json_object();
	json_object_set_new(o, "hsa_id", st_json_str(rq->who.hsa));
	json_object_set_new(o, "name", st_json_str(rq->who.name));
	json_object_set_new(o, "role", st_json_str(rq->who.role));
	json_object_set_new(o, "unit", st_json_str(rq->who.unit));
	json_object_set_new(o, "region_wide", json_boolean(rq->who.region_wide));
	json_object_set_new(o, "csrf_token", json_string(rq->token));
	return sv_send_json(rq, 200, o);
}

/* The region's units: JSON, or a page of links. */
/* A region-wide admin's form that adds a care unit (to the
 * confirmation page, which holds the change's form). */
static void unit_form(st_buf *b)
{
	sv_escf(b, "<h2>%s</h2><form method=\"get\" action=\"/confirm/"
	        "unit-add\"><div><label for=\"hsa_id\">%s</label><input "
	        "id=\"hsa_id\" name=\"hsa_id\" required pattern=\"SE[0-9]{10}-"
	        "[A-Za-z0-9]{1,19}\"></div><div><label for=\"name\">%s</label>"
	        "<input id=\"name\" name=\"name\" required maxlength=\"200\">"
	        "</div><p><button type=\"submit\">%s</button></p></form>",
	        sv_w(SV_W_UNIT_ADD), sv_w(SV_W_HSA_ID), sv_w(SV_W_NAME),
	        sv_w(SV_W_UNIT_ADD));
}

int sv_page_home(sv_req *rq, int json)
{
	rt_reg *r = NULL;
	sqlite3_stmt *st = NULL;
	int ret, step;
	st_buf b;
	json_t *arr = json_array();

	if (!json && !rq->who.region_wide) {
		char loc[128];
		snprintf(loc, sizeof loc, "/units/%s", rq->who.unit);
		json_decref(arr);
		return sv_redirect(rq, loc);
	}
	if (sv_open(rq, &r, &ret)) {
		json_decref(arr);
		return ret;
	}
	st_buf_init(&b);
	sv_page_begin(&b, rq, sv_w(SV_W_UNITS));
	sv_escf(&b, "<h1>%s</h1><ul class=\"units\">", sv_w(SV_W_UNITS));
	step = rt_db_prepare(r, &st, "cannot read the units", "SELECT hsa_id, "
	                     "name FROM organisations WHERE kind = 'unit' AND "
	                     "(?1 OR hsa_id = ?2) ORDER BY hsa_id",
	                     RT_ARGS(RT_INT(rq->who.region_wide),
	                             RT_TEXT(rq->who.unit)));
	while (step == ST_OK && st &&
	       (step = rt_db_step(r, st, "cannot read the units")) == RT_ROW) {
		step = ST_OK;
		const char *id = rt_col_text(st, 0), *name = rt_col_text(st, 1);
		json_t *o = json_object();
		json_object_set_new(o, "hsa_id", st_json_str(id));
		json_object_set_new(o, "name", st_json_str(name));
		json_array_append_new(arr, o);
		st_buf_adds(&b, "<li><a href=\"/units/");
		sv_esc_attr(&b, id);
		sv_escf(&b, "\">%s</a> (%s)</li>", name, id);
	}
	step = step == RT_DONE ? ST_OK : step;
	rt_db_done(r, st);
	st_buf_adds(&b, "</ul>");
	if (!strcmp(rq->who.role, "admin") && rq->who.region_wide)
		unit_form(&b);
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

/* One version at a unit, as the listing reads it. */
typedef struct uver {
	char id[160], version[64], title[256];
	int approved, retired, published, active;
} uver;

typedef struct ulist {
	uver *v;
	size_t n;
	char name[256];
} ulist;

static int read_unit(rt_reg *r, const char *unit, ulist *out)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int step = rt_db_row(r, &st, "cannot read the units", "SELECT name "
	                     "FROM organisations WHERE hsa_id = ?1 AND kind = "
	                     "'unit'", RT_ARGS(RT_TEXT(unit)));
	if (step != RT_ROW)
		return step < 0 ? step : ST_ENOENT;
	rt_col_copy(st, 0, out->name, sizeof out->name);
	rt_db_done(r, st);
	step = rt_db_prepare(r, &st, "cannot read the versions",
		"SELECT v.program, v.version, v.title, v.approved_at IS NOT NULL, "
		"  v.retired_at IS NOT NULL, "
		"  EXISTS (SELECT 1 FROM publications p WHERE p.program = "
		"    v.program AND p.version = v.version AND p.unit = ?1 AND "
		"    p.withdrawn_at IS NULL), "
		"  EXISTS (SELECT 1 FROM activations a WHERE a.program = "
		"    v.program AND a.version = v.version AND a.unit = ?1 AND "
		"    a.active = 1) "
		"FROM versions v WHERE EXISTS (SELECT 1 FROM publications p WHERE "
		"  p.program = v.program AND p.version = v.version AND p.unit = ?1 "
		"  AND p.withdrawn_at IS NULL) OR EXISTS (SELECT 1 FROM "
		"  activations a WHERE a.program = v.program AND a.version = "
		"  v.version AND a.unit = ?1 AND a.active = 1) "
		"ORDER BY v.program, v.major, v.minor, v.patch, v.version",
		RT_ARGS(RT_TEXT(unit)));
	while (step == ST_OK && st &&
	       (step = rt_db_step(r, st, "cannot read the versions")) == RT_ROW) {
		step = ST_OK;
		if (out->n == cap) {
			uver *nv = realloc(out->v, (cap = cap ? cap * 2 : 8) *
			                   sizeof *nv);
			if (!nv) {
				step = rt_fail(r, ST_EIO, "out of memory");
				break;
			}
			out->v = nv;
		}
		uver *u = &out->v[out->n++];
		rt_col_copy(st, 0, u->id, sizeof u->id);
		rt_col_copy(st, 1, u->version, sizeof u->version);
		rt_col_copy(st, 2, u->title, sizeof u->title);
		u->approved = rt_col_int(st, 3) != 0;
		u->retired = rt_col_int(st, 4) != 0;
		u->published = rt_col_int(st, 5) != 0;
		u->active = rt_col_int(st, 6) != 0;
	}
	rt_db_done(r, st);
	return step == RT_DONE ? ST_OK : step;
}

/* May version u be activated here: approved, published, not retired. */
static int usable(const uver *u)
{
	return u->approved && u->published && !u->retired;
}

/* The versions of one program are v[i..j); its active one and the newest
 * usable one (NULL when none). */
static void program_state(const ulist *l, size_t i, size_t j,
                          const uver **act, const uver **newest)
{
	*act = *newest = NULL;
	for (size_t k = i; k < j; k++) {
		if (l->v[k].active)
			*act = &l->v[k];
		if (usable(&l->v[k]))
			*newest = &l->v[k];
	}
	if (*newest && *act && *newest <= *act)
		*newest = NULL;
}

static json_t *unit_json(const ulist *l, const char *unit)
{
	json_t *root = json_object(), *progs = json_array();
	json_object_set_new(root, "unit", st_json_str(unit));
	json_object_set_new(root, "name", st_json_str(l->name));
	for (size_t i = 0, j; i < l->n; i = j) {
		const uver *act, *newest;
		json_t *p = json_object(), *vs = json_array();
		for (j = i; j < l->n && !strcmp(l->v[j].id, l->v[i].id); j++) {
			json_t *v = json_object();
			json_object_set_new(v, "version", st_json_str(l->v[j].version));
			json_object_set_new(v, "title", st_json_str(l->v[j].title));
			json_object_set_new(v, "state", json_string(
				l->v[j].retired ? "retired" : l->v[j].approved ?
				"approved" : "imported"));
			json_object_set_new(v, "published",
			                    json_boolean(l->v[j].published));
			json_object_set_new(v, "active", json_boolean(l->v[j].active));
			json_array_append_new(vs, v);
		}
		program_state(l, i, j, &act, &newest);
		json_object_set_new(p, "id", st_json_str(l->v[i].id));
		json_object_set_new(p, "title", st_json_str(l->v[j - 1].title));
		json_object_set_new(p, "active", act ? st_json_str(act->version) :
		                    json_null());
		json_object_set_new(p, "newer", newest && act ?
		                    st_json_str(newest->version) : json_null());
		json_object_set_new(p, "versions", vs);
		json_array_append_new(progs, p);
	}
	json_object_set_new(root, "programs", progs);
	return root;
}

/* A button-like link to the confirmation page of action for u. */
static void action_link(st_buf *b, const char *action, const uver *u,
                        const char *unit, const char *label)
{
	st_buf_printf(b, "<a class=\"button\" href=\"/confirm/%s?program=",
	              action);
	sv_esc_attr(b, u->id);
	st_buf_adds(b, "%40");
	sv_esc_attr(b, u->version);
	st_buf_adds(b, "&amp;unit=");
	sv_esc_attr(b, unit);
	sv_escf(b, "\">%s</a>", label);
}

static void unit_html(st_buf *b, const ulist *l, const char *unit)
{
	char head[400];
	snprintf(head, sizeof head, sv_w(SV_W_UNIT_PROGRAMS), l->name);
	sv_escf(b, "<h1>%s</h1>", head);
	if (!l->n) {
		sv_escf(b, "<p>%s</p>", sv_w(SV_W_NONE_PUBLISHED));
		return;
	}
	sv_escf(b, "<table class=\"programs\"><thead><tr><th>%s</th><th>%s</th>"
	        "<th>%s</th><th>%s</th></tr></thead><tbody>",
	        sv_w(SV_W_PROGRAM), sv_w(SV_W_VERSION), sv_w(SV_W_STATE),
	        sv_w(SV_W_ACTIONS));
	for (size_t i = 0, j; i < l->n; i = j) {
		const uver *act, *newest;
		for (j = i; j < l->n && !strcmp(l->v[j].id, l->v[i].id); j++)
			;
		program_state(l, i, j, &act, &newest);
		for (size_t k = i; k < j; k++) {
			const uver *u = &l->v[k];
			if (!u->active && !usable(u))
				continue;
			sv_escf(b, "<tr><td>%s<br><small>%s</small></td><td>%s</td><td>",
			        u->title, u->id, u->version);
			sv_esc(b, u->active ? sv_w(SV_W_ACTIVE) : sv_w(SV_W_AVAILABLE));
			if (u->active && newest) {
				char msg[200];
				snprintf(msg, sizeof msg, sv_w(SV_W_NEWER), newest->version);
				sv_escf(b, "<br><strong>%s</strong>", msg);
			}
			st_buf_adds(b, "</td><td>");
			action_link(b, u->active ? "deactivate" : "activate", u, unit,
			            sv_w(u->active ? SV_W_DEACTIVATE : SV_W_ACTIVATE));
			st_buf_adds(b, " <a href=\"/view/");
			sv_esc_attr(b, u->id);
			st_buf_adds(b, "@");
			sv_esc_attr(b, u->version);
			sv_escf(b, "/\">%s</a></td></tr>", sv_w(SV_W_OPEN_VIEW));
		}
	}
	st_buf_adds(b, "</tbody></table>");
}

int sv_page_unit(sv_req *rq, const char *unit, int json)
{
	rt_reg *r = NULL;
	ulist l;
	int ret, rc;

	if (!sv_may_see_unit(rq, unit))
		return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
		                       sv_w(SV_W_WHY_OTHER_UNIT));
	if (sv_open(rq, &r, &ret))
		return ret;
	memset(&l, 0, sizeof l);
	if ((rc = rt_read_begin(r, "cannot read the registry")) == ST_OK)
		rc = read_unit(r, unit, &l);
	rt_read_end(r);
	if (rc == ST_ENOENT)
		ret = sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND),
		                      sv_w(SV_W_WHY_NO_UNIT));
	else if (rc)
		ret = sv_send_problem(rq, 500, sv_w(SV_W_ERROR), rt_reg_errmsg(r));
	else if (json)
		ret = sv_send_json(rq, 200, unit_json(&l, unit));
	else {
		st_buf b;
		st_buf_init(&b);
		sv_page_begin(&b, rq, l.name);
		unit_html(&b, &l, unit);
		sv_page_end(&b);
		ret = sv_send_html(rq, 200, &b);
	}
	free(l.v);
	sv_close(r);
	return ret;
}

/* ---- the publisher's versions ------------------------------------------- */

static int may_publish(const sv_req *rq)
{
	return !strcmp(rq->who.role, "publisher") ||
	       !strcmp(rq->who.role, "admin");
}

/* A link to action's confirmation page for id@version. */
static void confirm_link(st_buf *b, const char *action, const char *id,
                         const char *version, sv_word label)
{
	st_buf_printf(b, "<a class=\"button\" href=\"/confirm/%s?program=",
	              action);
	sv_esc_attr(b, id);
	st_buf_adds(b, "%40");
	sv_esc_attr(b, version);
	sv_escf(b, "\">%s</a> ", sv_w(label));
}

/* A link to the difference from the version before (prev, "" when this
 * is the program's first). */
static void diff_link(st_buf *b, const char *id, const char *prev,
                      const char *version)
{
	char label[200];
	if (!*prev)
		return;
	st_buf_adds(b, "<a href=\"/versions/diff?program=");
	sv_esc_attr(b, id);
	st_buf_adds(b, "&amp;from=");
	sv_esc_attr(b, prev);
	st_buf_adds(b, "&amp;to=");
	sv_esc_attr(b, version);
	snprintf(label, sizeof label, sv_w(SV_W_COMPARE_WITH), prev);
	sv_escf(b, "\">%s</a> ", label);
}

static void version_html(st_buf *b, sqlite3_stmt *st, const sv_req *rq,
                         const char *prev)
{
	const char *id = rt_col_text(st, 0), *ver = rt_col_text(st, 1);
	int approved = rt_col_text(st, 9) != NULL;
	int retired = rt_col_text(st, 11) != NULL;
	long long npub = rt_col_int(st, 13), nact = rt_col_int(st, 14);
	char line[600], when[64], pub[48], act[48];

	sv_escf(b, "<tr><td>%s<br><small>%s</small></td><td>%s</td><td>%s"
	        "<br><small>%s</small></td><td>", rt_col_text(st, 2), id, ver,
	        rt_col_text(st, 4), rt_col_text(st, 3));
	if (rt_col_text(st, 5)) {
		snprintf(line, sizeof line, sv_w(SV_W_SIGNED_BY),
		         rt_col_text(st, 6) ? rt_col_text(st, 6) : "",
		         rt_col_text(st, 5));
		sv_esc(b, line);
	} else {
		sv_escf(b, "<strong>%s</strong>", sv_w(SV_W_UNSIGNED));
	}
	sv_time(when, sizeof when, rt_col_text(st, 7));
	snprintf(line, sizeof line, sv_w(SV_W_IMPORTED_BY), when,
	         rt_col_text(st, 8));
	sv_escf(b, "<br><small>%s</small></td><td>", line);
	sv_time(when, sizeof when, rt_col_text(st, retired ? 11 : 9));
	if (retired)
		snprintf(line, sizeof line, sv_w(SV_W_RETIRED_BY), when,
		         rt_col_text(st, 12));
	else if (approved)
		snprintf(line, sizeof line, sv_w(SV_W_APPROVED_BY), when,
		         rt_col_text(st, 10));
	else
		snprintf(line, sizeof line, "%s", sv_w(SV_W_NOT_APPROVED));
	sv_esc(b, line);
	sv_units(pub, sizeof pub, npub);
	sv_units(act, sizeof act, nact);
	snprintf(line, sizeof line, sv_w(SV_W_PUB_ACT_COUNT), pub, act);
	sv_escf(b, "<br><small>%s</small></td><td>", line);
	if (!retired && !approved && !strcmp(rq->who.role, "publisher") &&
	    rq->who.region_wide)
		confirm_link(b, "approve", id, ver, SV_W_APPROVE);
	if (!retired && approved)
		confirm_link(b, "publish", id, ver, SV_W_PUBLISH);
	if (npub)
		confirm_link(b, "unpublish", id, ver, SV_W_UNPUBLISH);
	if (!retired && rq->who.region_wide)
		confirm_link(b, "retire", id, ver, SV_W_RETIRE);
	diff_link(b, id, prev, ver);
	st_buf_adds(b, "<a href=\"/view/");
	sv_esc_attr(b, id);
	st_buf_adds(b, "@");
	sv_esc_attr(b, ver);
	sv_escf(b, "/\">%s</a></td></tr>", sv_w(SV_W_OPEN_VIEW));
}

static json_t *version_json(sqlite3_stmt *st)
{
	static const char *const keys[] = {
		"id", "version", "title", "producer_id", "producer_name",
		"signed_by", "keyid", "imported_at", "imported_by", "approved_at",
		"approved_by", "retired_at", "retired_by",
	};
	json_t *o = json_object();
	for (int i = 0; i < 13; i++)
		json_object_set_new(o, keys[i], rt_col_text(st, i) ?
		                    st_json_str(rt_col_text(st, i)) : json_null());
	json_object_set_new(o, "state", json_string(
		rt_col_text(st, 11) ? "retired" : rt_col_text(st, 9) ? "approved" :
		"imported"));
	json_object_set_new(o, "published_units",
	                    json_integer(rt_col_int(st, 13)));
	json_object_set_new(o, "active_units", json_integer(rt_col_int(st, 14)));
	return o;
}

static void upload_form(st_buf *b, const sv_req *rq)
{
	sv_escf(b, "<h2>%s</h2><form method=\"post\" action=\"/actions/import\" "
	        "enctype=\"multipart/form-data\">", sv_w(SV_W_IMPORT_BUNDLE));
	st_buf_adds(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	sv_esc_attr(b, rq->token);
	sv_escf(b, "\"><label for=\"bundle\">%s</label><input type=\"file\" "
	        "id=\"bundle\" name=\"bundle\" accept=\".steg\" required>"
	        "<label><input type=\"checkbox\" name=\"allow_unsigned\" "
	        "value=\"1\"> %s</label><p><button type=\"submit\">%s</button>"
	        "</p></form>", sv_w(SV_W_BUNDLE_FILE), sv_w(SV_W_ALLOW_UNSIGNED),
	        sv_w(SV_W_IMPORT));
}

int sv_page_versions(sv_req *rq, int json)
{
	rt_reg *r = NULL;
	sqlite3_stmt *st = NULL;
	json_t *arr;
	st_buf b;
	int ret, step;
	char prev_id[256] = "", prev[64] = "";

	if (!may_publish(rq))
		return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
		                       sv_w(SV_W_WHY_VERSIONS_ROLE));
	if (sv_open(rq, &r, &ret))
		return ret;
	arr = json_array();
	st_buf_init(&b);
	sv_page_begin(&b, rq, sv_w(SV_W_VERSIONS));
	sv_escf(&b, "<h1>%s</h1><table class=\"versions\"><thead><tr><th>%s</th>"
	        "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
	        "</thead><tbody>", sv_w(SV_W_VERSIONS), sv_w(SV_W_PROGRAM),
	        sv_w(SV_W_VERSION), sv_w(SV_W_PRODUCER), sv_w(SV_W_SIGNATURE),
	        sv_w(SV_W_STATE), sv_w(SV_W_ACTIONS));
	step = rt_read_begin(r, "cannot read the registry");
	if (step == ST_OK)
		step = rt_db_prepare(r, &st, "cannot read the versions",
			"SELECT v.program, v.version, v.title, v.producer_id, "
			"  v.producer_name, v.signed_by, v.keyid, v.imported_at, "
			"  v.imported_by, v.approved_at, v.approved_by, v.retired_at, "
			"  v.retired_by, "
			"  (SELECT count(*) FROM publications p WHERE p.program = "
			"     v.program AND p.version = v.version AND p.withdrawn_at "
			"     IS NULL), "
			"  (SELECT count(*) FROM activations a WHERE a.program = "
			"     v.program AND a.version = v.version AND a.active = 1) "
			"FROM versions v ORDER BY v.program, v.major, v.minor, "
			"v.patch, v.version", RT_NOARGS);
	while (step == ST_OK &&
	       (step = rt_db_step(r, st, "cannot read the versions")) == RT_ROW) {
		step = ST_OK;
		if (json)
			json_array_append_new(arr, version_json(st));
		else {
			const char *id = rt_col_text(st, 0);
			if (strcmp(prev_id, id))
				prev[0] = '\0';
			version_html(&b, st, rq, prev);
			snprintf(prev_id, sizeof prev_id, "%s", id);
			snprintf(prev, sizeof prev, "%s", rt_col_text(st, 1));
		}
	}
	step = step == RT_DONE ? ST_OK : step;
	rt_db_done(r, st);
	rt_read_end(r);
	st_buf_adds(&b, "</tbody></table>");
	upload_form(&b, rq);
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
