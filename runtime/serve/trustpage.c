/*
 * trustpage.c — the trusted keys (`steg trust list --all`) for admins:
 *
 *   GET /trust                  the page: every key, active or removed,
 *                               with "Sluta lita på nyckeln" for region-
 *                               wide admins and the form that uploads a
 *                               .pub to trust (POST /confirm/trust-add)
 *   GET /api/v1/trusted-keys    the same as `steg trust list --all --json`
 *
 * The list is trust.h's rt_trusted_key_list, the changes act.c's (through
 * runtime/actions.h).  Reading only: not audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "../trust.h"
#include "../db.h"
#include "serve.h"
#include "pages.h"
#include "words.h"

static json_t *entry_json(const rt_trust_entry *e)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	        "region", st_json_str(e->region), "key_id", st_json_str(e->keyid),
	        "public_key", st_json_str(e->pubkey),
	        "comment", st_json_str(e->comment),
	        "added_at", st_json_str(e->added_at),
	        "added_by", st_json_str(e->added_by),
	        "removed_at", e->removed_at[0] ? st_json_str(e->removed_at) :
	        json_null(), "removed_by", e->removed_by[0] ?
	        st_json_str(e->removed_by) : json_null());
}

static void entry_html(st_buf *b, const sv_req *rq, const rt_trust_entry *e)
{
	char line[300];

	sv_escf(b, "<tr><td data-label=\"%s\">%s</td><td data-label=\"%s\">"
	        "<code>%s</code>", sv_w(SV_W_REGION), e->region,
	        sv_w(SV_W_KEY_ID), e->keyid);
	if (e->comment[0])
		sv_escf(b, "<br><small>%s</small>", e->comment);
	snprintf(line, sizeof line, sv_w(SV_W_ADDED), e->added_at, e->added_by);
	sv_escf(b, "</td><td data-label=\"%s\">%s", sv_w(SV_W_STATE), line);
	if (e->removed_at[0]) {
		snprintf(line, sizeof line, sv_w(SV_W_REMOVED), e->removed_at,
		         e->removed_by);
		sv_escf(b, "<br><strong>%s</strong>", line);
	}
	sv_escf(b, "</td><td data-label=\"%s\">", sv_w(SV_W_ACTIONS));
	if (!e->removed_at[0] && rq->who.region_wide) {
		st_buf_adds(b, "<a class=\"button\" href=\"/confirm/trust-remove?"
		            "region=");
		sv_esc_attr(b, e->region);
		st_buf_adds(b, "&amp;key_id=");
		sv_esc_attr(b, e->keyid);
		sv_escf(b, "\">%s</a>", sv_w(SV_W_TRUST_REMOVE));
	}
	st_buf_adds(b, "</td></tr>");
}

/* The form that uploads a .pub: to the confirmation, not the change. */
static void key_form(st_buf *b, const sv_req *rq)
{
	sv_escf(b, "<h2>%s</h2><form method=\"post\" action=\"/confirm/"
	        "trust-add\" enctype=\"multipart/form-data\">",
	        sv_w(SV_W_TRUST_ADD));
	st_buf_adds(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	sv_esc_attr(b, rq->token);
	sv_escf(b, "\"><div><label for=\"region\">%s (HSA-id)</label><input "
	        "id=\"region\" name=\"region\" required pattern=\"SE[0-9]{10}-"
	        "[A-Za-z0-9]{1,19}\"></div><div><label for=\"key\">%s</label>"
	        "<input type=\"file\" id=\"key\" name=\"key\" accept=\".pub\" "
	        "required></div><div><label for=\"comment\">%s</label><input "
	        "id=\"comment\" name=\"comment\" maxlength=\"200\"></div><p>"
	        "<button type=\"submit\">%s</button></p></form>",
	        sv_w(SV_W_REGION), sv_w(SV_W_KEY_FILE), sv_w(SV_W_COMMENT),
	        sv_w(SV_W_TRUST_ADD));
}

static int answer(sv_req *rq, const rt_trust_entry *v, size_t n, int json)
{
	st_buf b;

	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, entry_json(&v[i]));
		return sv_send_json(rq, 200, arr);
	}
	st_buf_init(&b);
	sv_page_begin(&b, rq, sv_w(SV_W_TRUSTED_KEYS));
	sv_escf(&b, "<h1>%s</h1><p>%s</p>", sv_w(SV_W_TRUSTED_KEYS),
	        sv_w(SV_W_TRUSTED_INTRO));
	if (!n)
		sv_escf(&b, "<p>%s</p>", sv_w(SV_W_NO_KEYS));
	else {
		sv_escf(&b, "<table class=\"keys\"><thead><tr><th>%s</th><th>%s</th>"
		        "<th>%s</th><th>%s</th></tr></thead><tbody>",
		        sv_w(SV_W_REGION), sv_w(SV_W_KEY_ID), sv_w(SV_W_STATE),
		        sv_w(SV_W_ACTIONS));
		for (size_t i = 0; i < n; i++)
			entry_html(&b, rq, &v[i]);
		st_buf_adds(&b, "</tbody></table>");
	}
	if (rq->who.region_wide)
		key_form(&b, rq);
	sv_page_end(&b);
	return sv_send_html(rq, 200, &b);
}

int sv_page_trust(sv_req *rq, int json)
{
	rt_reg *r = NULL;
	rt_trust_entry *v = NULL;
	size_t n = 0;
	int ret, rc;

	if (strcmp(rq->who.role, "admin"))
		return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
		                       sv_w(SV_W_WHY_ADMINS));
	if (sv_open(rq, &r, &ret))
		return ret;
	if ((rc = rt_read_begin(r, "cannot read the registry")) == ST_OK)
		rc = rt_trusted_key_list(r, 1, &v, &n);
	rt_read_end(r);
	ret = rc ? sv_send_problem(rq, 500, sv_w(SV_W_ERROR), rt_reg_errmsg(r))
	         : answer(rq, v, n, json);
	free(v);
	sv_close(r);
	return ret;
}
