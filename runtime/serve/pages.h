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

/* May the user see unit's pages: region-wide, or working there. */
int sv_may_see_unit(const sv_req *rq, const char *unit);

#endif
