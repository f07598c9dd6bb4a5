/*
 * route.c — which handler answers which method and path.  Everything but
 * /healthz and the stylesheet needs a logged-in user (login.h).
 */
#include <string.h>
#include "serve.h"
#include "pages.h"
#include "words.h"
#include "assets.h"

/* The rest of path after prefix when it is one segment (no '/'), else
 * NULL. */
static const char *segment(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n) || !path[n] || strchr(path + n, '/'))
		return NULL;
	return path + n;
}

/* The path's segments after /api/v1/ (or the whole path), at most max;
 * the number, or -1 when there are more or one is empty or too long. */
static int split(const char *path, char seg[][200], int max)
{
	int n = 0;
	const char *p = path;
	if (*p != '/')
		return -1;
	while (*p == '/') {
		const char *q = strchr(p + 1, '/');
		size_t len = q ? (size_t)(q - p - 1) : strlen(p + 1);
		if (n == max || len == 0 || len >= 200)
			return -1;
		memcpy(seg[n], p + 1, len);
		seg[n++][len] = '\0';
		p += len + 1;
	}
	return n;
}

const char *sv_is_upload(const sv_server *s, const char *method,
                         const char *path, size_t *max)
{
	if (strcmp(method, "POST"))
		return NULL;
	if (!strcmp(path, "/api/v1/imports") || !strcmp(path, "/actions/import")) {
		*max = s->max_body;
		return "bundle";
	}
	if (!strcmp(path, "/confirm/trust-add")) {
		*max = SV_MAX_KEY_FILE;
		return "key";
	}
	return NULL;
}

/* POST under /api/v1/: the state changes (docs/openapi.yaml). */
static int route_api_post(sv_req *rq)
{
	char s[8][200];
	int n = split(rq->path + 7, s, 8);     /* after "/api/v1" */

	if (n == 1 && !strcmp(s[0], "imports"))
		return sv_act_import(rq, 1);
	if (n == 1 && !strcmp(s[0], "units"))
		return sv_act_post(rq, SV_ACT_UNIT_ADD, NULL, NULL, NULL, NULL, 1);
	if (n == 1 && !strcmp(s[0], "trusted-keys"))
		return sv_act_post(rq, SV_ACT_TRUST_ADD, NULL, NULL, NULL, NULL, 1);
	if (n == 3 && !strcmp(s[0], "trusted-keys") && !strcmp(s[2], "removal"))
		return sv_act_post(rq, SV_ACT_TRUST_REMOVE, NULL, NULL, NULL, s[1],
		                   1);
	if (n == 1 && !strcmp(s[0], "users"))
		return sv_act_post(rq, SV_ACT_USER_ADD, NULL, NULL, NULL, NULL, 1);
	if (n == 3 && !strcmp(s[0], "users") && !strcmp(s[2], "role"))
		return sv_act_post(rq, SV_ACT_USER_ROLE, NULL, NULL, NULL, s[1], 1);
	if (n == 3 && !strcmp(s[0], "users") && !strcmp(s[2], "deactivation"))
		return sv_act_post(rq, SV_ACT_USER_DEACTIVATE, NULL, NULL, NULL,
		                   s[1], 1);
	if (n == 3 && !strcmp(s[0], "units") && (!strcmp(s[2], "activations") ||
	                                         !strcmp(s[2], "deactivations")))
		return sv_act_post(rq, s[2][0] == 'a' ? SV_ACT_ACTIVATE :
		                   SV_ACT_DEACTIVATE, NULL, NULL, s[1], NULL, 1);
	if (n == 5 && !strcmp(s[0], "programs") && !strcmp(s[2], "versions")) {
		static const struct { const char *name; int kind; } what[] = {
			{ "approval", SV_ACT_APPROVE },
			{ "retirement", SV_ACT_RETIRE },
			{ "publications", SV_ACT_PUBLISH },
			{ "withdrawals", SV_ACT_UNPUBLISH },
		};
		for (size_t i = 0; i < sizeof what / sizeof what[0]; i++)
			if (!strcmp(s[4], what[i].name))
				return sv_act_post(rq, what[i].kind, s[1], s[3], NULL,
				                   NULL, 1);
	}
	return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), NULL);
}

static int route_post(sv_req *rq)
{
	const char *arg;
	int kind;
	if (!strncmp(rq->path, "/api/v1/", 8))
		return route_api_post(rq);
	/* a form tried in the patient's view: scored, shown, not stored */
	if (!strncmp(rq->path, "/view/", 6))
		return sv_page_view(rq);
	if (!strcmp(rq->path, "/confirm/trust-add"))
		return sv_act_confirm_key(rq);
	if ((arg = segment(rq->path, "/actions/")) &&
	    (kind = sv_act_by_name(arg)) >= 0)
		return kind == SV_ACT_IMPORT ? sv_act_import(rq, 0) :
		       sv_act_post(rq, kind, NULL, NULL, NULL, NULL, 0);
	return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), NULL);
}

static int route_get(sv_req *rq)
{
	const char *p = rq->path, *arg;
	char unit[80];

	if (!strcmp(p, "/"))
		return sv_page_home(rq, 0);
	if ((arg = segment(p, "/units/")))
		return sv_page_unit(rq, arg, 0);
	if ((arg = segment(p, "/confirm/")) && sv_act_by_name(arg) >= 0)
		return sv_act_confirm(rq, sv_act_by_name(arg));
	if (!strncmp(p, "/view/", 6))
		return sv_page_view(rq);
	if (!strcmp(p, "/versions"))
		return sv_page_versions(rq, 0);
	if (!strcmp(p, "/api/v1/programs"))
		return sv_page_versions(rq, 1);
	if (!strcmp(p, "/trust"))
		return sv_page_trust(rq, 0);
	if (!strcmp(p, "/api/v1/trusted-keys"))
		return sv_page_trust(rq, 1);
	if (!strcmp(p, "/channels"))
		return sv_page_channels(rq, 0);
	if (!strcmp(p, "/api/v1/channels"))
		return sv_page_channels(rq, 1);
	if (!strcmp(p, "/versions/diff"))
		return sv_page_diff(rq, NULL, 0);
	if (!strncmp(p, "/api/v1/programs/", 17)) {
		char s[4][200];
		if (split(p + 7, s, 4) == 3 && !strcmp(s[2], "diff"))
			return sv_page_diff(rq, s[1], 1);
	}
	if (!strcmp(p, "/audit"))
		return sv_page_audit(rq, 0);
	if (!strcmp(p, "/api/v1/audit"))
		return sv_page_audit(rq, 1);
	if (!strcmp(p, "/users"))
		return sv_page_users(rq, 0);
	if (!strcmp(p, "/api/v1/users"))
		return sv_page_users(rq, 1);
	if (!strcmp(p, "/api/v1/me"))
		return sv_api_me(rq);
	if (!strcmp(p, "/api/v1/units"))
		return sv_page_home(rq, 1);
	if (!strncmp(p, "/api/v1/units/", 14)) {
		const char *slash = strchr(p + 14, '/');
		size_t n = slash ? (size_t)(slash - (p + 14)) : 0;
		if (slash && n > 0 && n < sizeof unit &&
		    !strcmp(slash, "/programs")) {
			memcpy(unit, p + 14, n);
			unit[n] = '\0';
			return sv_page_unit(rq, unit, 1);
		}
	}
	return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), NULL);
}

int sv_route(sv_req *rq)
{
	int ret, get = !strcmp(rq->method, "GET") ||
	               !strcmp(rq->method, "HEAD");

	if (get && !strcmp(rq->path, "/healthz")) {
		st_buf b;
		st_buf_init(&b);
		st_buf_adds(&b, "ok\n");
		return sv_send(rq, 200, "text/plain; charset=utf-8", &b);
	}
	if (get && !strcmp(rq->path, "/favicon.ico")) {
		/* no icon (the renderer's pages do not name one) */
		st_buf b;
		st_buf_init(&b);
		return sv_send(rq, 204, "image/x-icon", &b);
	}
	if (get && !strcmp(rq->path, "/assets/serve.css"))
		return sv_send_static(rq, sv_css, sv_css_len,
		                      "text/css; charset=utf-8");
	if (!sv_login(rq, &ret))
		return ret;
	if (get)
		return route_get(rq);
	if (strcmp(rq->method, "POST"))
		return sv_send_problem(rq, 405, sv_w(SV_W_BAD_REQUEST),
		                       "this method is not used here");
	return route_post(rq);
}
