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

static int route_get(sv_req *rq)
{
	const char *p = rq->path, *arg;
	char unit[80];

	if (!strcmp(p, "/"))
		return sv_page_home(rq, 0);
	if ((arg = segment(p, "/units/")))
		return sv_page_unit(rq, arg, 0);
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
	return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), NULL);
}
