/*
 * live.h — stegc preview's live parts (docs/preview.md): the program
 * recompiled while it is edited, and the designer's treatment panel.
 *
 * Live reload (program folders only): a thread waits for edits
 * (watch.h), recompiles what changed (incr.h) and either swaps the new
 * version in (pv_swap) and sends every page the event "reload", or keeps
 * the last good version and sends "errors" with the findings; the pages'
 * script (render/live.js, /assets/live.js) reloads in place or shows the
 * findings over the page.  GET /events is the Server-Sent Events stream
 * (at most PV_LIVE_MAX_CLIENTS at once; a comment line every
 * PV_LIVE_PING_S seconds finds a browser that has gone); GET /api/errors
 * the current findings as JSON.
 *
 * The panel (sources and bundles): the treatment is a script of actions
 * (render/timeline.h) kept by the server for this preview; GET /panel
 * shows it, POST /panel (a form, 303 back to /panel) or POST /api/state
 * (JSON back) adds an action, GET /api/state gives the timeline's JSON.
 * After every action and every recompile the pages' treatment state
 * (pv_server.state: completed, reviewed, the day) is set from the script, so that
 * the start page opens and locks modules as the panel says.
 *
 * Ownership: the pv_live is the caller's (pv_live_free after
 * pv_live_stop, after the web server has stopped).
 */
#ifndef SC_LIVE_H
#define SC_LIVE_H

#include "commands.h"
#include "incr.h"
#include "preview.h"

#define PV_LIVE_MAX_CLIENTS 16
#define PV_LIVE_PING_S 15

typedef struct pv_live pv_live;

/* For s (s->live is set to it).  cli and o are copied: the findings of
 * each recompile are reported with cli's settings. */
pv_live *pv_live_new(pv_server *s, const sc_cli *cli, const sc_opts *o);
void pv_live_free(pv_live *lv);

/* The first compile of the folder (incrementally, so that later ones
 * reuse it), as pv_load: findings added to d, *out set. */
int pv_live_load(pv_live *lv, pv_prog **out, st_diags *d);

/* The first compile had errors (in d): keep its findings for /events,
 * /api/errors and the pages, which show them (pv_live_findings) until a
 * recompile without errors puts a program in place. */
void pv_live_failed(pv_live *lv, const st_diags *d);

/* Start watching the folder (after the server listens); 0, or -1 with a
 * reason in err.  Stop wakes every event stream and waits for the
 * thread: call it before stopping the web server. */
int pv_live_start(pv_live *lv, char *err, size_t errlen);
void pv_live_stop(pv_live *lv);

/* The script URL the pages load for live reload, or NULL (a bundle). */
const char *pv_live_script(const pv_live *lv);

/* Route handlers. */
int pv_live_events(pv_request *rq);
int pv_live_errors(pv_request *rq);
int pv_live_panel(pv_request *rq);
int pv_live_state(pv_request *rq);
/* While there is no program yet: the page of the findings (503). */
int pv_live_findings(pv_request *rq);

#endif
