/*
 * serve.h — the server `steg serve` runs (build/steg-serve): what every
 * part of it shares, and the parts' entry points.  The program is linked
 * with the runtime's data layer and rules (runtime/registry.h, actions.h)
 * and the renderer, so that the web and the command line are one set of
 * rules (docs/serve.md, docs/architecture.md).
 *
 *   main.c    options, the TLS web server, signals, the request loop
 *   route.c   which handler answers which method and path
 *   login.c   the client certificate to an active user; refusals audited
 *   csrf.c    the per-user token and the same-origin checks
 *   act.c     the state changes: confirmation pages, forms, the API
 *   upload.c  a bundle upload streamed to a temporary file
 *   admin.c   the audit log and the users (admins)
 *   view.c    a stored version in the patient's view (the renderer)
 *   pages.c   the HTML pages and their JSON twins under /api/v1/
 *   words.c   the pages' own Swedish words
 */
#ifndef SV_SERVE_H
#define SV_SERVE_H

#include <stddef.h>
#include "http.h"
#include "tls.h"

#define SV_MAX_FORM (64u << 10)     /* a form or JSON body */

struct sv_server {
	const char *db;                  /* the registry file */
	sv_tls *tls;
	unsigned char csrf_key[32];      /* random, for this process only */
	size_t max_body;                 /* a bundle upload (--max-body) */
};

/* route.c: answer one request (the body is complete). */
int sv_route(sv_req *rq);
/* route.c: whether method and path take a file upload (streamed to a
 * file, upload.h, instead of read into memory): the form's file field
 * ("bundle", "key") with *max its largest size, or NULL. */
const char *sv_is_upload(const sv_server *s, const char *method,
                         const char *path, size_t *max);
#define SV_MAX_KEY_FILE 4096u       /* a public key (.pub) upload */

/* act.c: the state changes (runtime/actions.h) on the web. */
enum {
	SV_ACT_ACTIVATE, SV_ACT_DEACTIVATE, SV_ACT_APPROVE, SV_ACT_PUBLISH,
	SV_ACT_UNPUBLISH, SV_ACT_RETIRE, SV_ACT_USER_ADD,
	SV_ACT_USER_DEACTIVATE, SV_ACT_IMPORT, SV_ACT_UNIT_ADD,
	SV_ACT_TRUST_ADD, SV_ACT_TRUST_REMOVE, SV_ACT_USER_ROLE, SV_ACT_COUNT
};
/* The action of /confirm/NAME and /actions/NAME, or -1. */
int sv_act_by_name(const char *name);
/* GET /confirm/NAME?program=ID@VERSION&unit=U (hsa_id, name, role for
 * users): the page that says what will change, with the form to POST. */
int sv_act_confirm(sv_req *rq, int kind);
/* POST /actions/NAME (a form: json 0) or its /api/v1/ twin (json 1, the
 * path's arguments given: id and version, unit, user; NULL when not in
 * the path).  Origin and token checked first (refusals audited), then
 * the action; the outcome as a page or JSON, a refusal as 403/404/409
 * with the action's reason. */
int sv_act_post(sv_req *rq, int kind, const char *id, const char *version,
                const char *unit, const char *user, int json);
/* POST /confirm/trust-add: a public key file uploaded (multipart, field
 * "key", with region and comment): the confirmation page of trusting
 * it, whose form carries the key to /actions/trust-add. */
int sv_act_confirm_key(sv_req *rq);
/* POST /versions/import and /api/v1/imports: the uploaded bundle. */
int sv_act_import(sv_req *rq, int json);

/* login.c: identify the user from the client certificate; 1 when they
 * are an active user of the registry (rq->who filled, rq->token set),
 * else 0 after the refusal was audited and answered (*ret the result). */
int sv_login(sv_req *rq, int *ret);

/* The registry for one request (login.c): the request's connection,
 * taken from the server's pool at its first sv_open (RT_OPEN_SHARED);
 * 0, or -1 after answering 503 (*ret).  sv_close rolls back whatever is
 * open (the connection stays the request's); sv_release, once the
 * request is answered, hands the connection back to the pool (main.c).
 * sv_pool_free closes the idle ones when the server stops. */
int sv_open(sv_req *rq, rt_reg **r, int *ret);
void sv_close(rt_reg *r);
void sv_release(sv_req *rq);
void sv_pool_free(void);

/* csrf.c */
void sv_csrf_token(const sv_server *s, const char *fingerprint,
                   char out[65]);
/* For a state change: Sec-Fetch-Site (when sent) is same-origin, Origin
 * (when sent) is this server, and token equals the user's.  0, or the
 * refusal's code (why.h: RT_WHY_CSRF_SITE, _ORIGIN, _TOKEN) with its
 * argument in arg (the header, cut; "" for none). */
int sv_csrf_check(sv_req *rq, const char *token, char arg[100]);

#endif
