/*
 * preview.h — `stegc preview`: the local web server that shows a program
 * as its patient meets it (docs/preview.md), and the hooks that the
 * server's other parts (reload events, the treatment panel) build on.
 *
 * The server holds one compiled program at a time (pv_prog), shared by
 * every request: a request takes a reference (pv_acquire) and gives it back
 * (pv_release); pv_swap puts a newly compiled program in place under the
 * server's lock, and the old one is freed when its last request is done.
 *
 * Requests are dispatched by the route table in preview.c (method, path,
 * exact or prefix) to a pv_handler, which answers with pv_send (a whole
 * body) or pv_send_mhd (any libmicrohttpd response, e.g. a stream):
 * both add the security headers every answer carries
 * (Content-Security-Policy default-src 'self', frame-ancestors 'none';
 * X-Content-Type-Options nosniff; no referrer; no caching).
 *
 * The treatment's state (which modules are completed and reviewed, the
 * day of the treatment) lives in the server too, under the same lock:
 * the renderer reads it for unlock rules through render/timeline.h's
 * sr_timeline_module, the one rule for completed(), reviewed() and
 * days_since() over a treatment's state.
 */
#ifndef SC_PREVIEW_H
#define SC_PREVIEW_H

#include <pthread.h>
#include <stddef.h>
#include "bundle.h"
#include "compile.h"
#include "model.h"
#include "render.h"
#include "timeline.h"
#include "util.h"

struct MHD_Connection;
struct MHD_Response;

/* One compiled program and what serving it needs.  Owned by the server;
 * freed with its last reference. */
typedef struct pv_prog {
	st_arena *a;
	st_program *p;          /* checked */
	st_bundle *bundle;      /* the bundle it came from, or NULL (sources) */
	pthread_mutex_t bundle_lock;   /* one reader of bundle at a time */
	char *real_dir;         /* the program folder, resolved (sources) */
	struct sc_gen *gen;     /* the incremental compile's version that
	                           holds p (live.h), freed with it; or NULL */
	int refs;
} pv_prog;



typedef struct pv_server {
	pthread_mutex_t lock;   /* guards cur and state */
	pv_prog *cur;
	sr_tl_state state;      /* the treatment as the panel plays it
	                           (render/timeline.h), its arrays by module
	                           of cur (opened unused: NULL); malloc'd */
	const char *source;     /* DIR or BUNDLE as given */
	int is_bundle;
	sc_opts opts;           /* how to compile it again (pv_load) */
	char url[128];          /* http://HOST:PORT/ */
	const char *host;       /* --host as given (a name it may be
	                           addressed by besides localhost and IPs) */
	void *live;             /* for the reload and panel parts */
} pv_server;

typedef struct pv_request {
	pv_server *srv;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;       /* decoded URL path, "/m/intro/2" */
	const char *body;       /* POST body (bounded), or NULL */
	size_t len;
	pv_prog *prog;          /* acquired for the request */
	sr_view view;           /* the renderer's view of prog and state */
} pv_request;

typedef int (*pv_handler)(pv_request *rq);

typedef struct pv_route {
	const char *method;     /* "GET", "POST" */
	const char *path;       /* "/api/eval", or a prefix ending in '/' */
	int prefix;             /* path is a prefix */
	pv_handler fn;
} pv_route;

/* Answer with status, Content-Type type and body (taken: the buffer is
 * released).  Returns an MHD_Result. */
int pv_send(pv_request *rq, int status, const char *type, st_buf *body);
/* Answer with a response made by the caller (headers added, response
 * destroyed).  For streams. */
int pv_send_mhd(pv_request *rq, int status, struct MHD_Response *r);
/* An HTML error page (404, 400, 405, 413). */
int pv_send_error(pv_request *rq, int status, const char *detail);

pv_prog *pv_acquire(pv_server *s);
void pv_release(pv_server *s, pv_prog *p);
/* Put next in place (the server takes it); the treatment state is kept
 * for modules of the same id. */
void pv_swap(pv_server *s, pv_prog *next);
void pv_prog_free(pv_prog *p);
/* Compile the sources (sc_compile) or open and check the bundle, per
 * s->source and s->is_bundle, into *out (always set, NULL only when out of
 * memory).  Returns ST_OK, ST_ERR after errors (in d), ST_EIO.  The
 * findings in d point into the program's arena: free d first, then *out
 * (pv_prog_free) when it is not used. */
int pv_load(pv_prog **out, const pv_server *s, st_diags *d,
            const sc_opts *o);

#endif
