/*
 * channels.c — the channels this registry syncs from (`steg sync`), each
 * with its last sync and how it went, for publishers and admins:
 *
 *   GET /channels            the page
 *   GET /api/v1/channels     the same as JSON
 *
 * The data is runtime/channel.h's rt_channel_syncs (the audit log's
 * "sync" rows and channel_seen), which `steg sync --status` prints too.
 * Reading only: not audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "../channel.h"
#include "../db.h"
#include "serve.h"
#include "pages.h"
#include "words.h"

static sv_word outcome_word(const char *outcome)
{
	if (!strcmp(outcome, "ok"))
		return SV_W_SYNC_OK;
	if (!strcmp(outcome, "partial"))
		return SV_W_SYNC_PARTIAL;
	if (!strcmp(outcome, "refused"))
		return SV_W_SYNC_REFUSED;
	return SV_W_SYNC_ERROR;
}

static json_t *sync_json(const rt_channel_sync *c)
{
	json_t *partner = json_null();
	if (c->region[0])
		partner = json_pack("{s:o,s:I,s:o}", "region",
		                    st_json_str(c->region), "sequence",
		                    (json_int_t)c->sequence, "expires",
		                    st_json_str(c->expires));
	return json_pack("{s:o,s:{s:o,s:o,s:s,s:o},s:o,s:o}",
	                 "location", st_json_str(c->location),
	                 "last", "at", st_json_str(c->at), "by",
	                 st_json_str(c->by), "outcome", c->outcome, "detail",
	                 st_json_str(c->detail),
	                 "last_ok_at", c->ok_at[0] ? st_json_str(c->ok_at) :
	                 json_null(), "partner", partner);
}

static void sync_html(st_buf *b, const rt_channel_sync *c)
{
	char line[300], when[64];

	sv_escf(b, "<tr class=\"sync-%s\"><td data-label=\"%s\"><code>%s</code>"
	        "</td><td data-label=\"%s\"><strong>%s</strong><br><small>",
	        c->outcome, sv_w(SV_W_CHANNEL), c->location,
	        sv_w(SV_W_SYNC_LAST), sv_w(outcome_word(c->outcome)));
	sv_time(when, sizeof when, c->at);
	snprintf(line, sizeof line, sv_w(SV_W_SYNC_AT_BY), when, c->by);
	sv_escf(b, "%s</small><br>%s</td><td data-label=\"%s\">", line,
	        c->detail, sv_w(SV_W_SYNC_LAST_OK));
	sv_time(when, sizeof when, c->ok_at);
	if (c->ok_at[0])
		sv_esc(b, when);
	else
		sv_esc(b, sv_w(SV_W_SYNC_NEVER));
	sv_escf(b, "</td><td data-label=\"%s\">", sv_w(SV_W_SYNC_PARTNER));
	if (c->region[0]) {
		snprintf(line, sizeof line, sv_w(SV_W_SYNC_SEQUENCE), c->region,
		         c->sequence, c->expires);
		sv_esc(b, line);
	} else {
		sv_esc(b, sv_w(SV_W_SYNC_NO_PARTNER));
	}
	st_buf_adds(b, "</td></tr>");
}

static int answer(sv_req *rq, const rt_channel_sync *v, size_t n, int json)
{
	st_buf b;

	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, sync_json(&v[i]));
		return sv_send_json(rq, 200, arr);
	}
	st_buf_init(&b);
	sv_page_begin(&b, rq, sv_w(SV_W_CHANNELS));
	sv_escf(&b, "<h1>%s</h1><p>%s</p>", sv_w(SV_W_CHANNELS),
	        sv_w(SV_W_CHANNELS_INTRO));
	if (!n)
		sv_escf(&b, "<p>%s</p>", sv_w(SV_W_NO_CHANNELS));
	else {
		sv_escf(&b, "<table class=\"channels\"><thead><tr><th>%s</th><th>%s"
		        "</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		        sv_w(SV_W_CHANNEL), sv_w(SV_W_SYNC_LAST),
		        sv_w(SV_W_SYNC_LAST_OK), sv_w(SV_W_SYNC_PARTNER));
		for (size_t i = 0; i < n; i++)
			sync_html(&b, &v[i]);
		st_buf_adds(&b, "</tbody></table>");
	}
	sv_page_end(&b);
	return sv_send_html(rq, 200, &b);
}

int sv_page_channels(sv_req *rq, int json)
{
	rt_reg *r = NULL;
	rt_channel_sync *v = NULL;
	size_t n = 0;
	int ret, rc;

	if (strcmp(rq->who.role, "publisher") && strcmp(rq->who.role, "admin"))
		return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
		                       sv_w(SV_W_WHY_CHANNELS_ROLE));
	if (sv_open(rq, &r, &ret))
		return ret;
	if ((rc = rt_read_begin(r, "cannot read the registry")) == ST_OK)
		rc = rt_channel_syncs(r, &v, &n);
	rt_read_end(r);
	if (rc)
		ret = sv_send_problem(rq, 500, sv_w(SV_W_ERROR), rt_reg_errmsg(r));
	else
		ret = answer(rq, v, n, json);
	free(v);
	sv_close(r);
	return ret;
}
