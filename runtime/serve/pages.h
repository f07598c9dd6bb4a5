/*
 * pages.h — what the server shows: each handler answers one request for
 * an already logged-in user (rq->who), as an HTML page, or as JSON when
 * json is set (the same data under /api/v1/).  Reading is not audited
 * (docs/registry.md); every state change is, by the actions it calls.
 * Each returns the MHD result of its answer.
 */
#ifndef SV_PAGES_H
#define SV_PAGES_H

#include "http.h"

/* GET /: a unit's user goes to their unit; a region-wide user sees the
 * units (and /api/v1/units lists them). */
int sv_page_home(sv_req *rq, int json);
/* GET /units/UNIT (/api/v1/units/UNIT/programs): the programs published
 * to the unit, the version active there, a newer one available. */
int sv_page_unit(sv_req *rq, const char *unit, int json);
/* GET /api/v1/me: who the certificate says the user is. */
int sv_api_me(sv_req *rq);

/* GET /versions (/api/v1/programs): every imported version with its
 * producer, signature, state and the actions a publisher may take; the
 * bundle upload form.  Publishers and admins. */
int sv_page_versions(sv_req *rq, int json);
/* diffpage.c: GET /versions/diff?program=ID&from=V&to=V (program NULL)
 * and GET /api/v1/programs/{program}/diff?from=V&to=V: what changed
 * between two versions, as `stegc diff` says it.  Publishers and
 * admins. */
int sv_page_diff(sv_req *rq, const char *program, int json);
/* channels.c: GET /channels (/api/v1/channels): every channel the
 * registry syncs from with its last sync and outcome.  Publishers and
 * admins. */
int sv_page_channels(sv_req *rq, int json);
/* trustpage.c: GET /trust (/api/v1/trusted-keys): the trusted keys,
 * removed ones too, with the forms that change them.  Admins. */
int sv_page_trust(sv_req *rq, int json);
/* admin.c: GET /audit (/api/v1/audit): the audit log, filtered by the
 * query's actor, unit, action, from and to, with the chain check's
 * result.  Admins. */
int sv_page_audit(sv_req *rq, int json);
/* admin.c: GET /users (/api/v1/users): the users the admin manages, with
 * the form to add one and a deactivation link for each.  Admins. */
int sv_page_users(sv_req *rq, int json);

/* view.c: GET /view/ID@VERSION/... (and POST of a form's answers): the
 * version as its patient sees it, read-only, by the preview's renderer.
 * Clinicians: versions published to or active at their unit. */
int sv_page_view(sv_req *rq);

/* May the user see unit's pages: region-wide, or working there. */
int sv_may_see_unit(const sv_req *rq, const char *unit);

#endif
